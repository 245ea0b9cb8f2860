//! The practice service: catalogue, lessons, attempts. Every function takes the connection and
//! the caller's learner id; an attempt that is not the caller's is reported as not found.

use crate::attempt::{items_of, json_indexes, submit_any};
use crate::clock::format_vietnam_time;
use crate::clock::now_ms;
use crate::codes::*;
use crate::codes::{AttemptKind, AttemptScope};
use crate::content::bank::revisions_by_id;
use crate::domain::contest as domain_contest;
use crate::domain::quiz;
use crate::entities::{attempt, attempt_item, learner, lesson, question, question_revision, topic};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::practice::types::*;
use rand::Rng;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use std::collections::HashMap;

/// What a practice attempt draws from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PracticeScope {
    Topic(String),
    Track(Track),
}

impl PracticeScope {
    /// Parses "topic:<slug>" or "track:<A|B>" (a round is started from the contest page only).
    pub fn parse(text: &str) -> Option<PracticeScope> {
        match AttemptScope::from_code(text)? {
            AttemptScope::Topic(slug) => Some(PracticeScope::Topic(slug)),
            AttemptScope::Track(track) => Some(PracticeScope::Track(track)),
            AttemptScope::Round(_) => None,
        }
    }

    /// The stored and URL form.
    pub fn to_text(&self) -> String {
        self.stored().code()
    }

    /// As a stored attempt scope.
    pub fn stored(&self) -> AttemptScope {
        match self {
            PracticeScope::Topic(slug) => AttemptScope::Topic(slug.clone()),
            PracticeScope::Track(track) => AttemptScope::Track(*track),
        }
    }
}

async fn scope_title(
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
        AttemptScope::Round(round) => crate::contests::service::round_title(db, round).await?,
    })
}

/// Topics with their lessons and question counts, in content order.
pub async fn catalogue(db: &DatabaseConnection) -> Result<Vec<TopicView>, AppError> {
    let topics = topic::Entity::find()
        .order_by_asc(topic::Column::Position)
        .all(db)
        .await?;
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::Active.eq(true))
        .order_by_asc(lesson::Column::Slug)
        .all(db)
        .await?;
    let questions = question::Entity::find()
        .filter(question::Column::Active.eq(true))
        .all(db)
        .await?;
    let mut counts: HashMap<&str, u32> = HashMap::new();
    for q in &questions {
        *counts.entry(q.topic.as_str()).or_default() += 1;
    }
    Ok(topics
        .into_iter()
        .filter_map(|t| {
            let track = Track::parse(&t.track)?;
            Some(TopicView {
                question_count: counts.get(t.slug.as_str()).copied().unwrap_or(0),
                lessons: lessons
                    .iter()
                    .filter(|l| l.topic == t.slug)
                    .map(|l| LessonSummary {
                        slug: l.slug.clone(),
                        title: l.title.clone(),
                        summary: l.summary.clone(),
                        levels: crate::codes::SchoolLevel::parse_stored(&l.levels),
                        minutes: l.minutes.max(0) as u32,
                    })
                    .collect(),
                slug: t.slug,
                track,
                title: t.title,
                title_en: t.title_en,
            })
        })
        .collect())
}

/// One active lesson.
pub async fn lesson(db: &DatabaseConnection, slug: &str) -> Result<LessonView, AppError> {
    let l = lesson::Entity::find_by_id(slug.to_owned())
        .filter(lesson::Column::Active.eq(true))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let topic_title = topic::Entity::find_by_id(l.topic.clone())
        .one(db)
        .await?
        .map(|t| t.title)
        .unwrap_or_default();
    Ok(LessonView {
        track: Track::parse(&l.track).ok_or(AppError::Internal)?,
        levels: crate::codes::SchoolLevel::parse_stored(&l.levels),
        minutes: l.minutes.max(0) as u32,
        sources: serde_json::from_str(&l.sources_json).unwrap_or_default(),
        slug: l.slug,
        title: l.title,
        topic: l.topic,
        topic_title,
        body_html: l.body_html,
    })
}

/// Starts a 10-question practice attempt and returns its id. With a `level`, only questions
/// tagged for that level are drawn.
pub async fn start_practice(
    db: &DatabaseConnection,
    learner_id: &str,
    scope: &PracticeScope,
    level: Option<SchoolLevel>,
    reserved: &crate::contests::service::Reserved,
) -> Result<String, AppError> {
    let mut candidates = question::Entity::find().filter(question::Column::Active.eq(true));
    if let Some(level) = level {
        // Levels are stored as "THCS,THPT"; the two codes never contain each other.
        candidates = candidates.filter(question::Column::Levels.contains(level.code()));
    }
    candidates = match scope {
        PracticeScope::Topic(slug) => candidates.filter(question::Column::Topic.eq(slug.as_str())),
        PracticeScope::Track(track) => candidates.filter(question::Column::Track.eq(track.code())),
    };
    let candidates = candidates
        .order_by_asc(question::Column::Id)
        .all(db)
        .await?;
    if candidates.is_empty() {
        return Err(AppError::BadRequest(
            "Chủ đề này chưa có câu hỏi luyện tập.".into(),
        ));
    }
    let candidates: Vec<question::Model> = candidates
        .into_iter()
        .filter(|q| !reserved.contains(&q.id))
        .collect();
    if candidates.is_empty() {
        return Err(AppError::BadRequest(
            "Các câu hỏi của phần này đang được dùng trong một vòng thi đang mở. Em hãy luyện tập lại sau khi vòng thi đóng.".into(),
        ));
    }
    let revisions = revisions_by_id(db, candidates.iter().map(|q| q.current_revision)).await?;
    let option_counts: Vec<usize> = candidates
        .iter()
        .map(|q| {
            revisions
                .get(&q.current_revision)
                .and_then(|r| serde_json::from_str::<Vec<String>>(&r.options_json).ok())
                .map(|o| o.len())
                .unwrap_or(0)
        })
        .collect();
    let seed: u64 = rand::rng().random();
    let drawn = quiz::draw_quiz(seed, &option_counts, quiz::PRACTICE_QUESTIONS);
    let attempt_id = uuid::Uuid::new_v4().to_string();
    let now = now_ms();

    let txn = crate::platform::begin_write(db).await?;
    learner::Entity::insert(learner::ActiveModel {
        id: Set(learner_id.to_owned()),
        created_at: Set(now),
    })
    .on_conflict(
        OnConflict::column(learner::Column::Id)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(&txn)
    .await?;
    attempt::ActiveModel {
        id: Set(attempt_id.clone()),
        learner_id: Set(learner_id.to_owned()),
        kind: Set(AttemptKind::Practice.code().into()),
        scope: Set(scope.to_text()),
        // Stored as the same 64 bits, so the draw can be reproduced from the row.
        seed: Set(seed as i64),
        total: Set(drawn.items.len() as i32),
        started_at: Set(now),
        submitted_at: Set(None),
        score: Set(None),
    }
    .insert(&txn)
    .await?;
    let items: Vec<attempt_item::ActiveModel> = drawn
        .items
        .iter()
        .enumerate()
        .map(|(position, item)| attempt_item::ActiveModel {
            attempt_id: Set(attempt_id.clone()),
            position: Set(position as i32 + 1),
            revision_id: Set(candidates[item.candidate].current_revision),
            option_order: Set(serde_json::to_string(&item.option_order).unwrap_or_default()),
            chosen: Set(None),
            answered_at: Set(None),
            is_correct: Set(None),
        })
        .collect();
    attempt_item::Entity::insert_many(items)
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(attempt_id)
}

async fn own_attempt(
    db: &impl ConnectionTrait,
    learner_id: &str,
    attempt_id: &str,
) -> Result<attempt::Model, AppError> {
    attempt::Entity::find_by_id(attempt_id.to_owned())
        .filter(attempt::Column::LearnerId.eq(learner_id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

fn as_u32(values: Vec<usize>) -> Vec<u32> {
    values.into_iter().map(|v| v as u32).collect()
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
    let options: Vec<String> = serde_json::from_str(&revision.options_json)
        .map_err(|e| AppError::internal("reading stored options", e))?;
    let order = json_indexes(&item.option_order);
    let key = json_indexes(&revision.correct_json);
    let chosen = item
        .chosen
        .as_deref()
        .map(|c| quiz::to_display(&order, &json_indexes(c)))
        .unwrap_or_default();
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
        // Whether several options may be chosen is shown to the pupil, as on paper.
        multiple: key.len() > 1,
        chosen: as_u32(chosen),
        submitted: attempt.submitted_at.is_some(),
        seconds_left: deadline_at.map(|d| domain_contest::remaining_ms(now_ms(), d) / 1000),
    })
}

/// An attempt of the learner, with its deadline if it is a contest attempt. A contest attempt
/// whose time is up (deadline + grace) is submitted here, so whoever looks next sees it closed.
async fn current_attempt(
    db: &DatabaseConnection,
    learner_id: &str,
    attempt_id: &str,
) -> Result<(attempt::Model, Option<i64>), AppError> {
    let attempt = own_attempt(db, learner_id, attempt_id).await?;
    if AttemptKind::parse(&attempt.kind)? != AttemptKind::Contest {
        return Ok((attempt, None));
    }
    let entry = crate::contests::service::entry_of(db, attempt_id)
        .await?
        .ok_or(AppError::Internal)?;
    if attempt.submitted_at.is_none()
        && !domain_contest::accepts_answer(
            now_ms(),
            entry.deadline_at,
            crate::contests::service::GRACE_MS,
        )
    {
        submit_any(db, attempt_id).await?;
        let attempt = own_attempt(db, learner_id, attempt_id).await?;
        return Ok((attempt, Some(entry.deadline_at)));
    }
    Ok((attempt, Some(entry.deadline_at)))
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
    let order = json_indexes(&item.option_order);
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
    active.chosen = Set(Some(serde_json::to_string(&original).unwrap_or_default()));
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

/// Scores and closes an attempt. Submitting twice changes nothing.
pub async fn submit(
    db: &DatabaseConnection,
    learner_id: &str,
    attempt_id: &str,
) -> Result<u32, AppError> {
    own_attempt(db, learner_id, attempt_id).await?;
    submit_any(db, attempt_id).await
}

/// The result of a submitted attempt, with keys, explanations and sources.
pub async fn result(
    db: &DatabaseConnection,
    learner_id: &str,
    attempt_id: &str,
    locale: Locale,
    reserved: &crate::contests::service::Reserved,
) -> Result<Option<ResultView>, AppError> {
    let (attempt, _) = current_attempt(db, learner_id, attempt_id).await?;
    let Some(score) = attempt.score else {
        return Ok(None);
    };
    let entry = crate::contests::service::entry_of(db, attempt_id).await?;
    let own_round = entry.as_ref().map(|e| e.round_id);
    let review_after = match entry {
        Some(entry) => crate::contests::service::review_allowed(db, &entry, now_ms())
            .await?
            .err(),
        None => None,
    };
    if review_after.is_some() {
        // Keys and explanations wait until the round closes: nobody may pass them on.
        return Ok(Some(ResultView {
            scope_title: scope_title(db, &attempt.scope, locale).await?,
            practice_scope: attempt.scope,
            attempt_id: attempt.id,
            score: score.max(0) as u32,
            total: attempt.total as u32,
            items: vec![],
            review_after,
        }));
    }
    let items = items_of(db, attempt_id).await?;
    let revisions = revisions_by_id(db, items.iter().map(|i| i.revision_id)).await?;
    let mut result_items = Vec::with_capacity(items.len());
    for item in &items {
        let revision = revisions.get(&item.revision_id).ok_or(AppError::Internal)?;
        let options: Vec<String> = serde_json::from_str(&revision.options_json).unwrap_or_default();
        let order = json_indexes(&item.option_order);
        let withheld_until = reserved
            .withheld_until(&revision.question_id, own_round)
            .map(format_vietnam_time);
        let shown = withheld_until.is_none();
        result_items.push(ResultItem {
            position: item.position as u32,
            stem: revision.stem.clone(),
            options: order
                .iter()
                .filter_map(|&o| options.get(o).cloned())
                .collect(),
            chosen: as_u32(quiz::to_display(
                &order,
                &item.chosen.as_deref().map(json_indexes).unwrap_or_default(),
            )),
            // While an open round can draw the question, nothing tells its key.
            correct: if shown {
                as_u32(quiz::to_display(
                    &order,
                    &json_indexes(&revision.correct_json),
                ))
            } else {
                vec![]
            },
            is_correct: shown && item.is_correct.unwrap_or(false),
            explanation: if shown {
                revision.explanation.clone()
            } else {
                String::new()
            },
            source: if shown {
                revision.source.clone()
            } else {
                String::new()
            },
            withheld_until,
        });
    }
    Ok(Some(ResultView {
        scope_title: scope_title(db, &attempt.scope, locale).await?,
        practice_scope: attempt.scope,
        attempt_id: attempt.id,
        score: score.max(0) as u32,
        total: attempt.total as u32,
        items: result_items,
        review_after: None,
    }))
}

/// The caller's attempts, newest first, with totals per track.
pub async fn progress(
    db: &DatabaseConnection,
    learner_id: &str,
    locale: Locale,
) -> Result<ProgressView, AppError> {
    let attempts = attempt::Entity::find()
        .filter(attempt::Column::LearnerId.eq(learner_id))
        .order_by_desc(attempt::Column::StartedAt)
        .all(db)
        .await?;
    let topics: HashMap<String, topic::Model> = topic::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.slug.clone(), t))
        .collect();
    let mut tracks: Vec<TrackProgress> = [Track::A, Track::B]
        .into_iter()
        .map(|track| TrackProgress {
            track,
            submitted_attempts: 0,
            correct_answers: 0,
            questions_answered: 0,
        })
        .collect();
    let mut rows = Vec::with_capacity(attempts.len());
    for a in attempts {
        let track = match PracticeScope::parse(&a.scope) {
            Some(PracticeScope::Track(t)) => Some(t),
            Some(PracticeScope::Topic(slug)) => {
                topics.get(&slug).and_then(|t| Track::parse(&t.track))
            }
            None => None,
        };
        if let (Some(track), Some(score)) = (track, a.score) {
            let totals = tracks
                .iter_mut()
                .find(|t| t.track == track)
                .expect("both tracks listed");
            totals.submitted_attempts += 1;
            totals.correct_answers += score.max(0) as u32;
            totals.questions_answered += a.total.max(0) as u32;
        }
        let title = match PracticeScope::parse(&a.scope) {
            Some(PracticeScope::Topic(slug)) => topics
                .get(&slug)
                .map(|t| {
                    if locale == Locale::En {
                        t.title_en.clone()
                    } else {
                        t.title.clone()
                    }
                })
                .unwrap_or(slug),
            _ => scope_title(db, &a.scope, locale).await?,
        };
        rows.push(AttemptRow {
            attempt_id: a.id,
            scope_title: title,
            started_at: format_vietnam_time(a.started_at),
            submitted: a.submitted_at.is_some(),
            score: a.score.map(|s| s.max(0) as u32),
            total: a.total.max(0) as u32,
        });
    }
    Ok(ProgressView {
        attempts: rows,
        tracks,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_and_reject_garbage() {
        for text in ["topic:otp-chiem-tai-khoan", "track:A", "track:B"] {
            assert_eq!(PracticeScope::parse(text).unwrap().to_text(), text);
        }
        for text in ["", "topic:", "track:C", "lesson:x", "otp"] {
            assert_eq!(PracticeScope::parse(text), None, "{text}");
        }
    }
}
