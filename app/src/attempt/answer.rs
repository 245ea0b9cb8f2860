//! Showing an attempt's questions (in their frozen option order, never with the key) and saving
//! answers. An attempt that is not the caller's is reported as not found; a contest attempt whose
//! time is up is submitted by whoever looks next.

use super::cache::{AttemptCache, AttemptFacts};
use super::submit::{GRACE_MS, entry_of, submit_any};
use super::writer::AnswerWriter;
use super::{own_attempt, stored_indexes};
use crate::attempt::types::{AttemptOverview, MessageLayout, QuestionPage};
use crate::clock::now_ms;
use crate::codes::stored_json;
use crate::codes::{AttemptKind, AttemptScope, Track};
use crate::domain::contest as domain_contest;
use crate::domain::quiz;
use crate::entities::{attempt, contest, contest_round, question_revision, topic};
use crate::error::AppError;
use crate::i18n::Locale;
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

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
        AttemptScope::Quiz(id) => crate::entities::teacher_quiz::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|q| q.title)
            .unwrap_or_default(),
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

/// The learner's attempt as pages and saves need it: its facts (cached by the server), and a
/// contest attempt whose time is up (deadline + grace) submitted first, so whoever looks next sees
/// it closed. Someone else's attempt is reported as not found.
async fn facts_for(
    db: &DatabaseConnection,
    cache: &AttemptCache,
    learner_id: &str,
    attempt_id: &str,
) -> Result<(Arc<AttemptFacts>, bool), AppError> {
    let facts = cache
        .facts(db, attempt_id)
        .await?
        .filter(|f| f.learner_id == learner_id)
        .ok_or(AppError::NotFound)?;
    let expired = facts
        .deadline_at
        .is_some_and(|d| !domain_contest::accepts_answer(now_ms(), d, GRACE_MS));
    if expired {
        // Submitting twice changes nothing: this is cheap once the attempt is submitted.
        submit_any(db, attempt_id).await?;
    }
    Ok((facts, expired))
}

/// Where an attempt's items stand: each position's stored choice (JSON of original indexes), in
/// order, and whether the attempt is submitted.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Answers {
    pub chosen: Vec<Option<String>>,
    pub submitted: bool,
}

/// Where an attempt's items stand, in one query.
async fn answers_of(db: &DatabaseConnection, attempt_id: &str) -> Result<Answers, AppError> {
    let mut standing = answers_of_many(db, &HashSet::from([attempt_id])).await?;
    Ok(standing.remove(attempt_id).unwrap_or_default())
}

/// Where each of these attempts stands, in one query (rows ordered by attempt and position).
pub(super) async fn answers_of_many(
    db: &DatabaseConnection,
    attempts: &HashSet<&str>,
) -> Result<HashMap<String, Answers>, AppError> {
    use crate::entities::attempt_item;
    use sea_orm::sea_query::{Expr, ExprTrait, Query};
    let stmt = Query::select()
        .columns([
            (attempt_item::Entity, attempt_item::Column::AttemptId),
            (attempt_item::Entity, attempt_item::Column::Chosen),
        ])
        .column((attempt::Entity, attempt::Column::SubmittedAt))
        .from(attempt_item::Entity)
        .inner_join(
            attempt::Entity,
            Expr::col((attempt::Entity, attempt::Column::Id))
                .equals((attempt_item::Entity, attempt_item::Column::AttemptId)),
        )
        .and_where(
            Expr::col((attempt_item::Entity, attempt_item::Column::AttemptId))
                .is_in(attempts.iter().copied()),
        )
        .order_by(
            (attempt_item::Entity, attempt_item::Column::AttemptId),
            sea_orm::Order::Asc,
        )
        .order_by(
            (attempt_item::Entity, attempt_item::Column::Position),
            sea_orm::Order::Asc,
        )
        .to_owned();
    let mut standing: HashMap<String, Answers> = HashMap::with_capacity(attempts.len());
    for row in db.query_all(&stmt).await? {
        let attempt: String = row.try_get("", "attempt_id")?;
        let submitted: Option<i64> = row.try_get("", "submitted_at")?;
        let answers = standing.entry(attempt).or_default();
        answers.submitted = submitted.is_some();
        answers.chosen.push(row.try_get("", "chosen")?);
    }
    Ok(standing)
}

/// The title of an attempt's page, kept by the server for a minute.
async fn cached_scope_title(
    db: &DatabaseConnection,
    cache: &AttemptCache,
    scope: &str,
    locale: Locale,
) -> Result<String, AppError> {
    cache
        .title(format!("{}:{scope}", locale.tag()), now_ms(), || {
            scope_title(db, scope, locale)
        })
        .await
}

/// One question of an attempt, in its frozen option order, without the key. `known`: where the
/// attempt stands, if the caller has just read it (otherwise it is read here).
pub async fn question_page(
    db: &DatabaseConnection,
    cache: &AttemptCache,
    learner_id: &str,
    attempt_id: &str,
    position: u32,
    locale: Locale,
    known: Option<Answers>,
) -> Result<QuestionPage, AppError> {
    let (facts, _) = facts_for(db, cache, learner_id, attempt_id).await?;
    let (revision_id, order) = facts.item(position).ok_or(AppError::NotFound)?;
    let Answers {
        chosen: answers,
        submitted,
    } = match known {
        Some(known) => known,
        None => answers_of(db, attempt_id).await?,
    };
    let revision = cache.revision(db, *revision_id).await?;
    let options: Vec<String> =
        stored_json("question_revision.options_json", &revision.options_json)?;
    let key = stored_indexes("question_revision.correct_json", &revision.correct_json)?;
    let chosen = match answers
        .get(position as usize - 1)
        .and_then(|c| c.as_deref())
    {
        Some(c) => quiz::to_display(order, &stored_indexes("attempt_item.chosen", c)?),
        None => vec![],
    };
    let layout = layout_of(&revision, order)?;
    Ok(QuestionPage {
        attempt_id: facts.id.clone(),
        scope_title: cached_scope_title(db, cache, &facts.scope, locale).await?,
        position,
        total: facts.total,
        answered: answers.iter().filter(|c| c.is_some()).count() as u32,
        stem: revision.stem.clone(),
        options: order
            .iter()
            .filter_map(|&o| options.get(o).cloned())
            .collect(),
        // Whether several options may be chosen is shown to the pupil, as on paper; the parts of
        // a message are always chosen one by one, whatever the key.
        multiple: key.len() > 1 || layout.is_some(),
        chosen: as_u32(chosen),
        submitted,
        seconds_left: facts
            .deadline_at
            .map(|d| domain_contest::remaining_ms(now_ms(), d) / 1000),
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
/// Also returns the number of questions in the attempt, so callers know where to go next, and,
/// when `then_read`, where the attempt stands after the save (read with the other saves of its
/// batch, in one query for all of them; `None` when nothing was written). The write itself
/// checks that the attempt is not submitted, so an answer racing the submission is either stored
/// before it (and scored) or refused — never stored after it. The write shares its commit with
/// the saves arriving together (`writer`) and is acknowledged after that commit.
#[allow(clippy::too_many_arguments)]
pub async fn answer(
    db: &DatabaseConnection,
    cache: &AttemptCache,
    writer: &AnswerWriter,
    learner_id: &str,
    attempt_id: &str,
    position: u32,
    display_choices: &[usize],
    then_read: bool,
) -> Result<(AnswerOutcome, u32, Option<Answers>), AppError> {
    let (facts, expired) = facts_for(db, cache, learner_id, attempt_id).await?;
    let total = facts.total;
    if expired {
        return Ok((AnswerOutcome::AlreadySubmitted, total, None));
    }
    let (_, order) = facts.item(position).ok_or(AppError::NotFound)?;
    if display_choices.iter().any(|&c| c >= order.len()) {
        return Err(AppError::BadRequest(
            "Phương án đã chọn không có trong câu hỏi.".into(),
        ));
    }
    let original = quiz::to_original(order, display_choices);
    if original.is_empty() {
        return Ok((AnswerOutcome::Empty, total, None));
    }
    let chosen =
        serde_json::to_string(&original).map_err(|e| AppError::internal("writing an answer", e))?;
    let saved = writer
        .save(attempt_id, position, chosen, now_ms(), then_read)
        .await?;
    if saved.stored {
        return Ok((AnswerOutcome::Saved, total, saved.answers));
    }
    if facts.deadline_at.is_some() {
        // Refused because the time is up: submit the attempt now (twice changes nothing).
        submit_any(db, attempt_id).await?;
    }
    Ok((AnswerOutcome::AlreadySubmitted, total, None))
}

/// Which questions of an attempt have an answer (`known`: as in [`question_page`]).
pub async fn overview(
    db: &DatabaseConnection,
    cache: &AttemptCache,
    learner_id: &str,
    attempt_id: &str,
    locale: Locale,
    known: Option<Answers>,
) -> Result<AttemptOverview, AppError> {
    let (facts, _) = facts_for(db, cache, learner_id, attempt_id).await?;
    let Answers {
        chosen: answers,
        submitted,
    } = match known {
        Some(known) => known,
        None => answers_of(db, attempt_id).await?,
    };
    Ok(AttemptOverview {
        seconds_left: facts
            .deadline_at
            .map(|d| domain_contest::remaining_ms(now_ms(), d) / 1000),
        scope_title: cached_scope_title(db, cache, &facts.scope, locale).await?,
        attempt_id: facts.id.clone(),
        answered: answers.iter().map(|c| c.is_some()).collect(),
        submitted,
    })
}
