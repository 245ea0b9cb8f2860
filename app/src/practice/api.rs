//! Server functions: thin wrappers that check the caller and call the services in `ssr`.

use crate::attempt::types::*;
use crate::error::AppError;
use crate::practice::types::*;
use leptos::prelude::*;
use leptos::server_fn;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use crate::attempt::{answer, result};
#[cfg(feature = "ssr")]
use crate::{platform::app_state, platform::request::learner_id, practice::service};

/// The questions open contest rounds keep out of practice and reviews right now.
#[cfg(feature = "ssr")]
async fn reserved_now(
    db: &sea_orm::DatabaseConnection,
) -> Result<crate::attempt::result::Reserved, AppError> {
    let state = app_state()?;
    crate::contests::service::reserved_questions(db, &state.pool_cache, crate::clock::now_ms())
        .await
}

/// Topics with lessons, for the catalogue and the practice page.
#[server]
pub async fn list_topics() -> Result<Vec<TopicView>, AppError> {
    let db = &app_state()?.db;
    service::catalogue(db, &reserved_now(db).await?).await
}

/// One lesson.
#[server]
pub async fn get_lesson(slug: String) -> Result<LessonView, AppError> {
    let db = &app_state()?.db;
    service::lesson(db, &slug, &reserved_now(db).await?).await
}

/// Practice attempts an anonymous browser may start in ten minutes.
#[cfg(feature = "ssr")]
const ANONYMOUS_STARTS_PER_BROWSER: i64 = 30;
/// Practice attempts anonymous browsers behind one address (a school's computer room) may
/// start in ten minutes.
#[cfg(feature = "ssr")]
const ANONYMOUS_STARTS_PER_ADDRESS: i64 = 600;

/// Starts a practice attempt on "topic:<slug>" or "track:<A|B>" and goes to its first question.
#[server]
pub async fn start_practice(scope: String) -> Result<(), AppError> {
    let scope = service::PracticeScope::parse(&scope)
        .ok_or_else(|| AppError::BadRequest("Phạm vi luyện tập không hợp lệ.".into()))?;
    let learner = learner_id()?;
    let level = crate::detect_level();
    let state = app_state()?;
    let now = crate::clock::now_ms();
    if crate::platform::request::caller().is_none() {
        // Anonymous practice needs no account, so it is limited per browser and per address.
        let ip = crate::platform::request::client_ip().unwrap_or_else(|| "?".to_owned());
        let window = 10 * 60 * 1000;
        let per_browser = format!("practice:learner:{}", learner.0);
        let per_address = format!("practice:ip:{ip}");
        if !crate::platform::limits::allow(
            &state.db,
            &per_browser,
            ANONYMOUS_STARTS_PER_BROWSER,
            window,
            now,
        )
        .await?
            || !crate::platform::limits::allow(
                &state.db,
                &per_address,
                ANONYMOUS_STARTS_PER_ADDRESS,
                window,
                now,
            )
            .await?
        {
            return Err(AppError::BadRequest(
                "Em đã bắt đầu rất nhiều lượt luyện tập trong vài phút. Hãy nghỉ một chút rồi thử lại, hoặc đăng nhập để luyện tập tiếp.".into(),
            ));
        }
    }
    let reserved =
        crate::contests::service::reserved_questions(&state.db, &state.pool_cache, now).await?;
    let attempt =
        service::start_practice(&state.db, &learner.0, &scope, level, &reserved, None).await?;
    crate::platform::request::redirect(&format!("/luyen-tap/{attempt}/cau/1"));
    Ok(())
}

/// One question of the caller's attempt, without its key.
#[server]
pub async fn get_question(attempt: String, position: u32) -> Result<QuestionPage, AppError> {
    let learner = learner_id()?;
    let state = app_state()?;
    answer::question_page(
        &state.db,
        &state.attempts,
        &learner.0,
        &attempt,
        position,
        crate::detect_locale(),
        None,
    )
    .await
}

/// Saves an answer and moves to the next question, or to the review page after the last one.
///
/// `choice` maps input names to display positions: a radio group posts `choice[0]=2`,
/// checkboxes post `choice[1]=1&choice[3]=3`.
#[server]
pub async fn answer_question(
    attempt: String,
    position: u32,
    #[server(default)] choice: BTreeMap<String, String>,
) -> Result<(), AppError> {
    let learner = learner_id()?;
    let mut chosen = Vec::with_capacity(choice.len());
    for value in choice.values() {
        let index = value
            .parse::<usize>()
            .map_err(|_| AppError::BadRequest("Phương án đã chọn không hợp lệ.".into()))?;
        chosen.push(index);
    }
    let state = app_state()?;
    let db = &state.db;
    let (outcome, total, _) = answer::answer(
        db,
        &state.attempts,
        &state.answers,
        &learner.0,
        &attempt,
        position,
        &chosen,
        false,
    )
    .await?;
    let next = if outcome == answer::AnswerOutcome::AlreadySubmitted {
        format!("/luyen-tap/{attempt}/ket-qua")
    } else if position < total {
        format!("/luyen-tap/{attempt}/cau/{}", position + 1)
    } else {
        format!("/luyen-tap/{attempt}/nop-bai")
    };
    // Nothing chosen: the question is skipped, and the next page says so.
    let next = if outcome == answer::AnswerOutcome::Empty {
        format!("{next}?bo-qua={position}")
    } else {
        next
    };
    crate::platform::request::redirect(&next);
    Ok(())
}

/// Which questions of the caller's attempt have an answer.
#[server]
pub async fn get_overview(attempt: String) -> Result<AttemptOverview, AppError> {
    let learner = learner_id()?;
    let state = app_state()?;
    answer::overview(
        &state.db,
        &state.attempts,
        &learner.0,
        &attempt,
        crate::detect_locale(),
        None,
    )
    .await
}

/// Submits the caller's attempt and goes to the result.
#[server]
pub async fn submit_attempt(attempt: String) -> Result<(), AppError> {
    let learner = learner_id()?;
    let state = app_state()?;
    state
        .submissions
        .submit(&state.db, &learner.0, &attempt)
        .await?;
    crate::platform::request::redirect(&format!("/luyen-tap/{attempt}/ket-qua"));
    Ok(())
}

/// The result of the caller's attempt; `None` while it is not submitted.
#[server]
pub async fn get_result(attempt: String) -> Result<Option<ResultView>, AppError> {
    let learner = learner_id()?;
    let db = app_state()?.db;
    let reserved = reserved_now(&db).await?;
    result::result(&db, &learner.0, &attempt, crate::detect_locale(), &reserved).await
}

/// The caller's practice history.
#[server]
pub async fn get_progress() -> Result<ProgressView, AppError> {
    let learner = learner_id()?;
    let signed_in = crate::platform::request::caller().is_some();
    let mut view = service::progress(&app_state()?.db, &learner.0, crate::detect_locale()).await?;
    view.signed_in = signed_in;
    Ok(view)
}

/// With JavaScript: saves an answer (display positions) and returns what to show next.
#[server(input = server_fn::codec::Json)]
pub async fn save_answer(
    attempt: String,
    position: u32,
    choices: Vec<u32>,
) -> Result<QuizStep, AppError> {
    let learner = learner_id()?;
    let state = app_state()?;
    let (db, cache) = (&state.db, &state.attempts);
    let locale = crate::detect_locale();
    let chosen: Vec<usize> = choices.into_iter().map(|c| c as usize).collect();
    // Where the attempt stands after the save is read with the saves of its batch (one query
    // for all of them), not once per save.
    let (outcome, total, known) = answer::answer(
        db,
        cache,
        &state.answers,
        &learner.0,
        &attempt,
        position,
        &chosen,
        true,
    )
    .await?;
    if outcome == answer::AnswerOutcome::AlreadySubmitted
        && let Some(result) =
            result::result(db, &learner.0, &attempt, locale, &reserved_now(db).await?).await?
    {
        return Ok(QuizStep::Result(result));
    }
    if position < total {
        let next =
            answer::question_page(db, cache, &learner.0, &attempt, position + 1, locale, known)
                .await?;
        Ok(QuizStep::Question(next))
    } else {
        let overview = answer::overview(db, cache, &learner.0, &attempt, locale, known).await?;
        Ok(QuizStep::Review(overview))
    }
}

/// With JavaScript: saves an answer as soon as it is chosen (display positions). Saving the same
/// answer again changes nothing. `true` = saved (acknowledged); `false` = the attempt is already
/// submitted (time is up), so the answer was not saved.
#[server(input = server_fn::codec::Json)]
pub async fn record_answer(
    attempt: String,
    position: u32,
    choices: Vec<u32>,
) -> Result<bool, AppError> {
    let learner = learner_id()?;
    let state = app_state()?;
    let chosen: Vec<usize> = choices.into_iter().map(|c| c as usize).collect();
    let (outcome, _, _) = answer::answer(
        &state.db,
        &state.attempts,
        &state.answers,
        &learner.0,
        &attempt,
        position,
        &chosen,
        false,
    )
    .await?;
    Ok(outcome != answer::AnswerOutcome::AlreadySubmitted)
}

/// With JavaScript: submits the attempt and returns its result.
#[server(input = server_fn::codec::Json)]
pub async fn finish_attempt(attempt: String) -> Result<ResultView, AppError> {
    let learner = learner_id()?;
    let state = app_state()?;
    let db = state.db;
    state.submissions.submit(&db, &learner.0, &attempt).await?;
    let reserved = reserved_now(&db).await?;
    result::result(&db, &learner.0, &attempt, crate::detect_locale(), &reserved)
        .await?
        .ok_or(AppError::Internal)
}
