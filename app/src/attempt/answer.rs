//! Showing an attempt's questions (in their frozen option order, never with the key) and saving
//! answers. An attempt that is not the caller's is reported as not found; a contest attempt whose
//! time is up is submitted by whoever looks next.

use super::submit::{GRACE_MS, entry_of, submit_any};
use super::{items_of, own_attempt, stored_indexes};
use crate::attempt::types::{AttemptOverview, MessageLayout, QuestionPage};
use crate::clock::now_ms;
use crate::codes::stored_json;
use crate::codes::{AttemptKind, AttemptScope, Track};
use crate::domain::contest as domain_contest;
use crate::domain::quiz;
use crate::entities::{attempt, attempt_item, contest, contest_round, question_revision, topic};
use crate::error::AppError;
use crate::i18n::Locale;
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, Set};

pub(super) fn as_u32(values: Vec<usize>) -> Vec<u32> {
    values.into_iter().map(|v| v as u32).collect()
}

pub async fn scope_title(
    db: &impl ConnectionTrait,
    scope: &str,
    locale: Locale,
) -> Result<String, AppError> {
    Ok(match AttemptScope::parse(scope)? {
        AttemptScope::Topic(slug) => match topic::Entity::find_by_id(slug.clone()).one(db).await? {
            Some(t) if locale == Locale::En => t.title_en,
            Some(t) => t.title,
            None => slug,
        },
        AttemptScope::Track(track) => {
            let texts = locale.texts();
            match track {
                Track::A => texts.track_a_title.to_owned(),
                Track::B => texts.track_b_title.to_owned(),
            }
        }
        AttemptScope::Round(round) => round_title(db, round).await?,
    })
}

/// Round title for attempt pages: "Vòng 1 · Khiên Số 2026".
pub async fn round_title(db: &impl ConnectionTrait, round_id: i32) -> Result<String, AppError> {
    let Some(round) = contest_round::Entity::find_by_id(round_id).one(db).await? else {
        return Ok(String::new());
    };
    let contest = contest::Entity::find_by_id(round.contest_id)
        .one(db)
        .await?;
    Ok(match contest {
        Some(c) => format!("{} · {}", round.name, c.title),
        None => round.name,
    })
}

/// An attempt of the learner, with its deadline if it is a contest attempt. A contest attempt
/// whose time is up (deadline + grace) is submitted here, so whoever looks next sees it closed.
pub(super) async fn current_attempt(
    db: &DatabaseConnection,
    learner_id: &str,
    attempt_id: &str,
) -> Result<(attempt::Model, Option<i64>), AppError> {
    let attempt = own_attempt(db, learner_id, attempt_id).await?;
    if AttemptKind::parse(&attempt.kind)? != AttemptKind::Contest {
        return Ok((attempt, None));
    }
    let entry = entry_of(db, attempt_id).await?.ok_or(AppError::Internal)?;
    if attempt.submitted_at.is_none()
        && !domain_contest::accepts_answer(now_ms(), entry.deadline_at, GRACE_MS)
    {
        submit_any(db, attempt_id).await?;
        let attempt = own_attempt(db, learner_id, attempt_id).await?;
        return Ok((attempt, Some(entry.deadline_at)));
    }
    Ok((attempt, Some(entry.deadline_at)))
}

/// One question of an attempt, in its frozen option order, without the key.
pub async fn question_page(
    db: &DatabaseConnection,
    learner_id: &str,
    attempt_id: &str,
    position: u32,
    locale: Locale,
) -> Result<QuestionPage, AppError> {
    let (attempt, deadline_at) = current_attempt(db, learner_id, attempt_id).await?;
    let items = items_of(db, attempt_id).await?;
    let item = items
        .iter()
        .find(|i| i.position as u32 == position)
        .ok_or(AppError::NotFound)?;
    let revision = question_revision::Entity::find_by_id(item.revision_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let options: Vec<String> =
        stored_json("question_revision.options_json", &revision.options_json)?;
    let order = stored_indexes("attempt_item.option_order", &item.option_order)?;
    let key = stored_indexes("question_revision.correct_json", &revision.correct_json)?;
    let chosen = match item.chosen.as_deref() {
        Some(c) => quiz::to_display(&order, &stored_indexes("attempt_item.chosen", c)?),
        None => vec![],
    };
    let layout = layout_of(&revision, &order)?;
    Ok(QuestionPage {
        attempt_id: attempt.id,
        scope_title: scope_title(db, &attempt.scope, locale).await?,
        position,
        total: attempt.total as u32,
        answered: items.iter().filter(|i| i.chosen.is_some()).count() as u32,
        stem: revision.stem,
        options: order
            .iter()
            .filter_map(|&o| options.get(o).cloned())
            .collect(),
        // Whether several options may be chosen is shown to the pupil, as on paper; the parts of
        // a message are always chosen one by one, whatever the key.
        multiple: key.len() > 1 || layout.is_some(),
        chosen: as_u32(chosen),
        submitted: attempt.submitted_at.is_some(),
        seconds_left: deadline_at.map(|d| domain_contest::remaining_ms(now_ms(), d) / 1000),
        layout,
    })
}

/// The message of a warning-signs question, its parts numbered by display position; `None` for a
/// choice question.
pub(super) fn layout_of(
    revision: &question_revision::Model,
    order: &[usize],
) -> Result<Option<MessageLayout>, AppError> {
    if !crate::content::bank::is_signs(revision) {
        return Ok(None);
    }
    let stored = revision
        .layout_json
        .as_deref()
        .ok_or_else(|| crate::codes::corrupt("question_revision.layout_json", ""))?;
    let layout: MessageLayout = stored_json("question_revision.layout_json", stored)?;
    Ok(Some(layout.in_display_order(order)))
}

/// What happened to an answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AnswerOutcome {
    Saved,
    /// Nothing was chosen: the stored answer (if any) is kept.
    Empty,
    /// The attempt was already submitted; nothing changed.
    AlreadySubmitted,
}

/// Saves the options chosen (display positions) for one question. Saving again replaces it.
/// Also returns the number of questions in the attempt, so callers know where to go next.
pub async fn answer(
    db: &DatabaseConnection,
    learner_id: &str,
    attempt_id: &str,
    position: u32,
    display_choices: &[usize],
) -> Result<(AnswerOutcome, u32), AppError> {
    let (attempt, _) = current_attempt(db, learner_id, attempt_id).await?;
    let total = attempt.total.max(0) as u32;
    if attempt.submitted_at.is_some() {
        return Ok((AnswerOutcome::AlreadySubmitted, total));
    }
    let item = attempt_item::Entity::find_by_id((attempt_id.to_owned(), position as i32))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let order = stored_indexes("attempt_item.option_order", &item.option_order)?;
    if display_choices.iter().any(|&c| c >= order.len()) {
        return Err(AppError::BadRequest(
            "Phương án đã chọn không có trong câu hỏi.".into(),
        ));
    }
    let original = quiz::to_original(&order, display_choices);
    if original.is_empty() {
        return Ok((AnswerOutcome::Empty, total));
    }
    let mut active: attempt_item::ActiveModel = item.into();
    active.chosen = Set(Some(
        serde_json::to_string(&original).map_err(|e| AppError::internal("writing an answer", e))?,
    ));
    active.answered_at = Set(Some(now_ms()));
    active.update(db).await?;
    Ok((AnswerOutcome::Saved, total))
}

/// Which questions of an attempt have an answer.
pub async fn overview(
    db: &DatabaseConnection,
    learner_id: &str,
    attempt_id: &str,
    locale: Locale,
) -> Result<AttemptOverview, AppError> {
    let (attempt, deadline_at) = current_attempt(db, learner_id, attempt_id).await?;
    let items = items_of(db, attempt_id).await?;
    Ok(AttemptOverview {
        seconds_left: deadline_at.map(|d| domain_contest::remaining_ms(now_ms(), d) / 1000),
        scope_title: scope_title(db, &attempt.scope, locale).await?,
        attempt_id: attempt.id,
        answered: items.iter().map(|i| i.chosen.is_some()).collect(),
        submitted: attempt.submitted_at.is_some(),
    })
}
