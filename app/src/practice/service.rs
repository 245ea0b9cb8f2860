//! The practice service: the catalogue, a lesson, starting a practice quiz (what it draws) and a
//! learner's progress. Answering, submitting and results are `crate::attempt`.

use crate::attempt::result::Reserved;
use crate::attempt::start::{self, DrawnItem};
use crate::clock::format_vietnam_time;
use crate::clock::now_ms;
use crate::codes::stored_json;
use crate::codes::*;
use crate::codes::{AttemptKind, AttemptScope};
use crate::content::bank::revisions_by_id;
use crate::domain::quiz;
use crate::entities::{
    assignment_attempt, attempt, attempt_item, learner, lesson, question, topic,
};
use crate::error::AppError;
use crate::i18n::Locale;
use crate::practice::types::*;
use rand::Rng;
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};
use std::collections::{HashMap, HashSet};

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
            AttemptScope::Round(_) | AttemptScope::Quiz(_) => None,
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

/// Topics with their lessons and question counts, in content order.
pub async fn catalogue(
    db: &DatabaseConnection,
    reserved: &Reserved,
) -> Result<Vec<TopicView>, AppError> {
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
    let held = held_back_by_topic(&questions, reserved);
    Ok(topics
        .into_iter()
        .filter_map(|t| {
            let track = Track::parse(&t.track)?;
            Some(TopicView {
                question_count: counts.get(t.slug.as_str()).copied().unwrap_or(0),
                held_back: held.get(t.slug.as_str()).cloned().unwrap_or_default(),
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

/// Per topic, the active questions open rounds hold back from practice, and until when.
fn held_back_by_topic<'q>(
    questions: &'q [question::Model],
    reserved: &Reserved,
) -> HashMap<&'q str, HeldBack> {
    let mut until: HashMap<&str, (u32, i64)> = HashMap::new();
    for q in questions {
        if let Some(closes) = reserved.withheld_until(&q.id, None) {
            let entry = until.entry(q.topic.as_str()).or_default();
            entry.0 += 1;
            entry.1 = entry.1.max(closes);
        }
    }
    until
        .into_iter()
        .map(|(topic, (questions, closes))| {
            (
                topic,
                HeldBack {
                    questions,
                    until: Some(crate::clock::format_vietnam_time(closes)),
                },
            )
        })
        .collect()
}

/// One active lesson.
pub async fn lesson(
    db: &DatabaseConnection,
    slug: &str,
    reserved: &Reserved,
) -> Result<LessonView, AppError> {
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
    let questions = question::Entity::find()
        .filter(question::Column::Active.eq(true))
        .filter(question::Column::Topic.eq(l.topic.as_str()))
        .all(db)
        .await?;
    let held_back = held_back_by_topic(&questions, reserved)
        .remove(l.topic.as_str())
        .unwrap_or_default();
    Ok(LessonView {
        question_count: questions.len() as u32,
        held_back,
        track: Track::parse(&l.track).ok_or(AppError::Internal)?,
        levels: crate::codes::SchoolLevel::parse_stored(&l.levels),
        minutes: l.minutes.max(0) as u32,
        sources: stored_json("lesson.sources_json", &l.sources_json)?,
        slug: l.slug,
        title: l.title,
        topic: l.topic,
        topic_title,
        body_html: l.body_html,
    })
}

/// Starts a 10-question practice attempt and returns its id. With a `level`, only questions
/// tagged for that level are drawn; with an `assignment`, the attempt is made for it.
pub async fn start_practice(
    db: &DatabaseConnection,
    learner_id: &str,
    scope: &PracticeScope,
    level: Option<SchoolLevel>,
    reserved: &Reserved,
    assignment: Option<i32>,
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
    let mut option_counts: Vec<usize> = Vec::with_capacity(candidates.len());
    let mut keep_order: Vec<bool> = Vec::with_capacity(candidates.len());
    for q in &candidates {
        let revision = revisions
            .get(&q.current_revision)
            .ok_or(AppError::Internal)?;
        let options: Vec<String> =
            stored_json("question_revision.options_json", &revision.options_json)?;
        option_counts.push(options.len());
        keep_order.push(crate::content::bank::is_signs(revision));
    }
    let seed: u64 = rand::rng().random();
    let drawn = quiz::draw_quiz(seed, &option_counts, &keep_order, quiz::PRACTICE_QUESTIONS);
    let items: Vec<DrawnItem> = drawn
        .items
        .iter()
        .map(|item| DrawnItem {
            revision_id: candidates[item.candidate].current_revision,
            option_order: item.option_order.clone(),
        })
        .collect();
    write_practice_attempt(db, learner_id, &scope.stored(), seed, &items, assignment).await
}

/// Writes a practice attempt (a topic, a track or a teacher's quiz) with its drawn items in one
/// transaction, with its learner if new and, with an `assignment`, the link to that work.
pub async fn write_practice_attempt(
    db: &DatabaseConnection,
    learner_id: &str,
    scope: &AttemptScope,
    seed: u64,
    items: &[DrawnItem],
    assignment: Option<i32>,
) -> Result<String, AppError> {
    let now = now_ms();
    let txn = crate::platform::db::begin_write(db).await?;
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
    let attempt_id = start::create(
        &txn,
        learner_id,
        AttemptKind::Practice,
        scope,
        seed,
        items,
        now,
    )
    .await?;
    if let Some(assignment_id) = assignment {
        assignment_attempt::ActiveModel {
            attempt_id: Set(attempt_id.clone()),
            assignment_id: Set(assignment_id),
        }
        .insert(&txn)
        .await?;
    }
    txn.commit().await?;
    Ok(attempt_id)
}

/// The caller's attempts, newest first, with totals per track: every submitted attempt counts,
/// practice and contest rounds alike, each question in the track it belongs to (a round mixes
/// both).
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
    let submitted: Vec<String> = attempts
        .iter()
        .filter(|a| a.submitted_at.is_some())
        .map(|a| a.id.clone())
        .collect();
    let items = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.is_in(submitted))
        .all(db)
        .await?;
    let revisions = revisions_by_id(db, items.iter().map(|i| i.revision_id)).await?;
    let question_tracks: HashMap<String, Track> = question::Entity::find()
        .filter(question::Column::Id.is_in(revisions.values().map(|r| r.question_id.clone())))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|q| Track::parse(&q.track).map(|t| (q.id, t)))
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
    let mut attempts_in: HashSet<(String, Track)> = HashSet::new();
    for item in &items {
        let Some(track) = revisions
            .get(&item.revision_id)
            .and_then(|r| question_tracks.get(&r.question_id))
        else {
            continue;
        };
        let Some(totals) = tracks.iter_mut().find(|t| t.track == *track) else {
            continue;
        };
        totals.questions_answered += 1;
        totals.correct_answers += u32::from(item.is_correct == Some(true));
        if attempts_in.insert((item.attempt_id.clone(), *track)) {
            totals.submitted_attempts += 1;
        }
    }
    let mut rows = Vec::with_capacity(attempts.len());
    for a in attempts {
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
            _ => crate::attempt::answer::scope_title(db, &a.scope, locale).await?,
        };
        let points = crate::attempt::points_of(&a);
        rows.push(AttemptRow {
            attempt_id: a.id,
            scope_title: title,
            started_at: format_vietnam_time(a.started_at),
            submitted: a.submitted_at.is_some(),
            points,
            total: a.total.max(0) as u32,
        });
    }
    Ok(ProgressView {
        attempts: rows,
        tracks,
        signed_in: false,
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
