//! Copies validated content into the database at start-up. Idempotent: unchanged content writes
//! nothing; an edited question gets a new revision so past attempts keep the text they showed.

use crate::clock::now_ms;
use crate::content::load::ContentSet;
use crate::entities::{lesson, question, question_revision, topic};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, DbErr, EntityTrait,
    Set, Statement,
};
use std::collections::{HashMap, HashSet};

/// What a sync changed, for the start-up log.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SyncReport {
    pub topics_written: usize,
    pub lessons_written: usize,
    pub questions_added: usize,
    pub questions_revised: usize,
    pub retired: usize,
}

/// Writes `content` into the database in one transaction.
pub async fn sync_content(
    db: &DatabaseConnection,
    content: &ContentSet,
) -> Result<SyncReport, DbErr> {
    let txn = crate::platform::db::begin_write(db).await?;
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // Several app servers may start at once: only one syncs at a time.
        txn.execute_raw(Statement::from_string(
            DatabaseBackend::Postgres,
            "SELECT pg_advisory_xact_lock(7270011)",
        ))
        .await?;
    }
    let mut report = SyncReport::default();

    let existing_topics: HashMap<String, topic::Model> = topic::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|t| (t.slug.clone(), t))
        .collect();
    for t in &content.topics {
        let wanted = topic::Model {
            slug: t.slug.clone(),
            track: t.track.code().to_owned(),
            title: t.title.clone(),
            title_en: t.title_en.clone(),
            position: t.position,
        };
        match existing_topics.get(&t.slug) {
            Some(current) if *current == wanted => {}
            Some(_) => {
                topic::ActiveModel::from(wanted)
                    .reset_all()
                    .update(&txn)
                    .await?;
                report.topics_written += 1;
            }
            None => {
                topic::ActiveModel::from(wanted).insert(&txn).await?;
                report.topics_written += 1;
            }
        }
    }

    let existing_lessons: HashMap<String, lesson::Model> = lesson::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|l| (l.slug.clone(), l))
        .collect();
    for l in &content.lessons {
        let wanted = lesson::Model {
            slug: l.slug.clone(),
            track: l.track.code().to_owned(),
            topic: l.topic.clone(),
            title: l.title.clone(),
            summary: l.summary.clone(),
            levels: crate::codes::SchoolLevel::join(&l.levels),
            minutes: l.minutes as i32,
            body_html: l.body_html.clone(),
            sources_json: serde_json::to_string(&l.sources).unwrap_or_else(|_| "[]".into()),
            content_hash: l.content_hash.clone(),
            active: true,
        };
        match existing_lessons.get(&l.slug) {
            Some(current) if *current == wanted => {}
            Some(_) => {
                lesson::ActiveModel::from(wanted)
                    .reset_all()
                    .update(&txn)
                    .await?;
                report.lessons_written += 1;
            }
            None => {
                lesson::ActiveModel::from(wanted).insert(&txn).await?;
                report.lessons_written += 1;
            }
        }
    }
    let lesson_slugs: HashSet<&str> = content.lessons.iter().map(|l| l.slug.as_str()).collect();
    for (slug, current) in &existing_lessons {
        if current.active && !lesson_slugs.contains(slug.as_str()) {
            let mut retired: lesson::ActiveModel = current.clone().into();
            retired.active = Set(false);
            retired.update(&txn).await?;
            report.retired += 1;
        }
    }

    let existing_questions: HashMap<String, question::Model> = question::Entity::find()
        .all(&txn)
        .await?
        .into_iter()
        .map(|q| (q.id.clone(), q))
        .collect();
    let current_revisions = crate::content::bank::revisions_by_id(
        &txn,
        existing_questions.values().map(|q| q.current_revision),
    )
    .await?;
    let now = now_ms();
    for q in &content.questions {
        let existing = existing_questions.get(&q.id);
        let current = existing.and_then(|e| current_revisions.get(&e.current_revision));
        let revision_id = match current {
            Some(rev) if rev.content_hash == q.content_hash => rev.id,
            _ => {
                let number = current.map(|r| r.revision + 1).unwrap_or(1);
                if existing.is_none() {
                    // The revision row references the question: create the question first.
                    question::ActiveModel {
                        id: Set(q.id.clone()),
                        track: Set(q.track.code().to_owned()),
                        topic: Set(q.topic.clone()),
                        difficulty: Set(q.difficulty as i32),
                        levels: Set(crate::codes::SchoolLevel::join(&q.levels)),
                        active: Set(true),
                        current_revision: Set(0),
                    }
                    .insert(&txn)
                    .await?;
                    report.questions_added += 1;
                } else {
                    report.questions_revised += 1;
                }
                let inserted = question_revision::ActiveModel {
                    question_id: Set(q.id.clone()),
                    revision: Set(number),
                    content_hash: Set(q.content_hash.clone()),
                    stem: Set(q.stem.clone()),
                    options_json: Set(serde_json::to_string(&q.options).unwrap_or_default()),
                    correct_json: Set(serde_json::to_string(&q.correct).unwrap_or_default()),
                    explanation: Set(q.explanation.clone()),
                    source: Set(q.source.clone()),
                    created_at: Set(now),
                    kind: Set(q.kind.code().to_owned()),
                    layout_json: Set(q
                        .layout
                        .as_ref()
                        .map(|l| serde_json::to_string(l).unwrap_or_default())),
                    notes_json: Set((!q.part_notes.is_empty())
                        .then(|| serde_json::to_string(&q.part_notes).unwrap_or_default())),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
                inserted.id
            }
        };
        let wanted = question::Model {
            id: q.id.clone(),
            track: q.track.code().to_owned(),
            topic: q.topic.clone(),
            difficulty: q.difficulty as i32,
            levels: crate::codes::SchoolLevel::join(&q.levels),
            active: true,
            current_revision: revision_id,
        };
        // A question inserted just above still points at revision 0, so it is always updated.
        if existing != Some(&wanted) {
            question::ActiveModel::from(wanted)
                .reset_all()
                .update(&txn)
                .await?;
        }
    }
    let question_ids: HashSet<&str> = content.questions.iter().map(|q| q.id.as_str()).collect();
    for (id, current) in &existing_questions {
        if current.active && !question_ids.contains(id.as_str()) {
            let mut retired: question::ActiveModel = current.clone().into();
            retired.active = Set(false);
            retired.update(&txn).await?;
            report.retired += 1;
        }
    }
    txn.commit().await?;
    Ok(report)
}
