//! Teachers' quizzes (đề của giáo viên) on the server: built from the official bank, shared with
//! the school's other teachers, edited until first assigned, then fixed (a copy can be edited).
//! Questions an open contest round can draw are never offered, and are left out when a pupil
//! starts a quiz while such a round runs.

use crate::accounts::auth::Caller;
use crate::attempt::result::Reserved;
use crate::classroom::types::*;
use crate::codes::{AttemptScope, stored_json};
use crate::domain::item_analysis::option_letter;
use crate::entities::{
    account, question, question_revision, teacher_quiz, teacher_quiz_item, topic,
};
use crate::error::AppError;
use crate::schools::people::{Actor, audit};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use std::collections::HashMap;

/// The most questions a quiz may hold.
pub const MAX_QUESTIONS: usize = 40;
/// Bank questions shown per search.
const FOUND_SHOWN: usize = 20;

fn bad(message: &str) -> AppError {
    AppError::BadRequest(message.to_owned())
}

/// A quiz that exists and is not deleted, or 404.
async fn quiz_by_id(db: &impl ConnectionTrait, id: i32) -> Result<teacher_quiz::Model, AppError> {
    teacher_quiz::Entity::find_by_id(id)
        .one(db)
        .await?
        .filter(|q| q.deleted_at.is_none())
        .ok_or(AppError::NotFound)
}

/// Whether the caller may see (and assign, and copy) a quiz: its author, or a teacher or
/// principal of its school when it is shared.
fn may_see(caller: &Caller, quiz: &teacher_quiz::Model) -> bool {
    quiz.created_by == Some(caller.account_id)
        || (quiz.shared && caller.can_manage_school(quiz.school_id))
}

/// A quiz the caller may see: 404 if it does not exist, 403 if it is not for them.
pub async fn visible_quiz(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i32,
) -> Result<teacher_quiz::Model, AppError> {
    let quiz = quiz_by_id(db, id).await?;
    if may_see(caller, &quiz) {
        Ok(quiz)
    } else {
        Err(AppError::Forbidden)
    }
}

/// A quiz its author may still change (never assigned).
async fn editable_quiz(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i32,
) -> Result<teacher_quiz::Model, AppError> {
    let quiz = visible_quiz(db, caller, id).await?;
    if quiz.created_by != Some(caller.account_id) {
        return Err(AppError::Forbidden);
    }
    if quiz.used_at.is_some() {
        return Err(bad(
            "Đề đã được giao nên không sửa được nữa; hãy sao chép đề để sửa.",
        ));
    }
    Ok(quiz)
}

/// The items of quizzes, in order, per quiz.
async fn items_of(
    db: &impl ConnectionTrait,
    quiz_ids: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, Vec<teacher_quiz_item::Model>>, AppError> {
    let mut out: HashMap<i32, Vec<teacher_quiz_item::Model>> = HashMap::new();
    for item in teacher_quiz_item::Entity::find()
        .filter(teacher_quiz_item::Column::QuizId.is_in(quiz_ids))
        .order_by_asc(teacher_quiz_item::Column::Position)
        .all(db)
        .await?
    {
        out.entry(item.quiz_id).or_default().push(item);
    }
    Ok(out)
}

async fn authors(
    db: &impl ConnectionTrait,
    quizzes: &[teacher_quiz::Model],
) -> Result<HashMap<i32, String>, AppError> {
    Ok(account::Entity::find()
        .filter(account::Column::Id.is_in(quizzes.iter().filter_map(|q| q.created_by)))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.id, a.full_name))
        .collect())
}

/// The quizzes of a school the caller sees (teachers and principals of the school): their own,
/// then those colleagues share.
pub async fn list(
    db: &impl ConnectionTrait,
    caller: &Caller,
    school_id: i32,
) -> Result<QuizList, AppError> {
    if !caller.can_manage_school(school_id) {
        return Err(AppError::Forbidden);
    }
    let school = crate::schools::service::school_by_id(db, school_id).await?;
    let quizzes: Vec<teacher_quiz::Model> = teacher_quiz::Entity::find()
        .filter(teacher_quiz::Column::SchoolId.eq(school_id))
        .filter(teacher_quiz::Column::DeletedAt.is_null())
        .order_by_desc(teacher_quiz::Column::UpdatedAt)
        .all(db)
        .await?
        .into_iter()
        .filter(|q| may_see(caller, q))
        .collect();
    let items = items_of(db, quizzes.iter().map(|q| q.id)).await?;
    let names = authors(db, &quizzes).await?;
    let (mine, shared): (Vec<_>, Vec<_>) = quizzes
        .iter()
        .map(|q| summary(q, &items, &names))
        .partition(|(_, q)| q.created_by == Some(caller.account_id));
    Ok(QuizList {
        school_id,
        school_name: school.name,
        mine: mine.into_iter().map(|(s, _)| s).collect(),
        shared: shared.into_iter().map(|(s, _)| s).collect(),
    })
}

fn summary<'a>(
    quiz: &'a teacher_quiz::Model,
    items: &HashMap<i32, Vec<teacher_quiz_item::Model>>,
    names: &HashMap<i32, String>,
) -> (QuizSummary, &'a teacher_quiz::Model) {
    (
        QuizSummary {
            id: quiz.id,
            title: quiz.title.clone(),
            questions: items.get(&quiz.id).map_or(0, Vec::len) as u32,
            author: quiz
                .created_by
                .and_then(|id| names.get(&id).cloned())
                .unwrap_or_default(),
            shared: quiz.shared,
            used: quiz.used_at.is_some(),
        },
        quiz,
    )
}

/// The quizzes the caller may set as work in a school, with at least one question:
/// (id, title, questions).
pub async fn assignable(
    db: &impl ConnectionTrait,
    caller: &Caller,
    school_id: i32,
) -> Result<Vec<(i32, String, u32)>, AppError> {
    if !caller.can_manage_school(school_id) {
        return Ok(Vec::new());
    }
    let list = list(db, caller, school_id).await?;
    Ok(list
        .mine
        .into_iter()
        .chain(list.shared)
        .filter(|q| q.questions > 0)
        .map(|q| (q.id, q.title, q.questions))
        .collect())
}

fn clean_title(title: &str) -> Result<String, AppError> {
    let title = crate::domain::text::clean_name(title);
    if title.is_empty() || title.chars().count() > 120 {
        return Err(bad("Hãy đặt tên đề (tối đa 120 ký tự)."));
    }
    Ok(title)
}

/// Creates an empty quiz for a school the caller teaches at. Audited.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    school_id: i32,
    title: &str,
    now: i64,
) -> Result<i32, AppError> {
    if !caller.can_manage_school(school_id) {
        return Err(AppError::Forbidden);
    }
    let title = clean_title(title)?;
    let txn = crate::platform::db::begin_write(db).await?;
    let quiz = teacher_quiz::ActiveModel {
        school_id: Set(school_id),
        title: Set(title.clone()),
        created_by: Set(Some(caller.account_id)),
        shared: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        used_at: Set(None),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit(
        &txn,
        actor,
        "quiz.create",
        &format!("quiz:{}", quiz.id),
        serde_json::json!({ "school": school_id, "title": title }),
    )
    .await?;
    txn.commit().await?;
    Ok(quiz.id)
}

/// A change the author makes to a quiz.
pub enum QuizEdit {
    /// Appends the current revision of a bank question.
    Add(String),
    /// Removes the question at a position.
    Remove(i32),
    /// Moves the question at a position one place up.
    Up(i32),
    Rename(String),
    Share(bool),
    Delete,
}

/// Applies an edit to a quiz the caller wrote: questions and title only until it is assigned;
/// sharing at any time; deleting only before it is assigned. Audited (except moves). Returns the
/// quiz's school.
pub async fn edit(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    id: i32,
    change: QuizEdit,
    reserved: &Reserved,
    now: i64,
) -> Result<i32, AppError> {
    let quiz = match change {
        QuizEdit::Share(_) => {
            let quiz = visible_quiz(db, caller, id).await?;
            if quiz.created_by != Some(caller.account_id) {
                return Err(AppError::Forbidden);
            }
            quiz
        }
        _ => editable_quiz(db, caller, id).await?,
    };
    let txn = crate::platform::db::begin_write(db).await?;
    let mut items: Vec<teacher_quiz_item::Model> = teacher_quiz_item::Entity::find()
        .filter(teacher_quiz_item::Column::QuizId.eq(id))
        .order_by_asc(teacher_quiz_item::Column::Position)
        .all(&txn)
        .await?;
    let mut active: teacher_quiz::ActiveModel = quiz.clone().into();
    let mut rewrite_items = false;
    let detail = match &change {
        QuizEdit::Add(question_id) => {
            if items.len() >= MAX_QUESTIONS {
                return Err(bad("Một đề có tối đa 40 câu."));
            }
            let Some(q) = question::Entity::find_by_id(question_id.clone())
                .one(&txn)
                .await?
                .filter(|q| q.active)
            else {
                return Err(bad("Câu hỏi này không còn trong ngân hàng."));
            };
            if reserved.contains(&q.id) {
                return Err(bad(
                    "Câu hỏi này đang được dùng trong một vòng thi đang mở; hãy chọn câu khác.",
                ));
            }
            let revisions: Vec<i32> = items.iter().map(|i| i.revision_id).collect();
            let already = question_revision::Entity::find()
                .filter(question_revision::Column::Id.is_in(revisions))
                .filter(question_revision::Column::QuestionId.eq(q.id.clone()))
                .one(&txn)
                .await?;
            if already.is_some() {
                return Err(bad("Câu hỏi này đã có trong đề."));
            }
            items.push(teacher_quiz_item::Model {
                quiz_id: id,
                position: 0,
                revision_id: q.current_revision,
            });
            rewrite_items = true;
            serde_json::json!({ "add": q.id })
        }
        QuizEdit::Remove(position) => {
            let before = items.len();
            items.retain(|i| i.position != *position);
            if items.len() == before {
                return Ok(quiz.school_id);
            }
            rewrite_items = true;
            serde_json::json!({ "remove": position })
        }
        QuizEdit::Up(position) => {
            let Some(i) = items.iter().position(|i| i.position == *position) else {
                return Ok(quiz.school_id);
            };
            if i == 0 {
                return Ok(quiz.school_id);
            }
            items.swap(i, i - 1);
            rewrite_items = true;
            serde_json::Value::Null
        }
        QuizEdit::Rename(title) => {
            let title = clean_title(title)?;
            active.title = Set(title.clone());
            serde_json::json!({ "title": title })
        }
        QuizEdit::Share(shared) => {
            active.shared = Set(*shared);
            serde_json::json!({ "shared": shared })
        }
        QuizEdit::Delete => {
            active.deleted_at = Set(Some(now));
            serde_json::json!({ "delete": true })
        }
    };
    if rewrite_items {
        teacher_quiz_item::Entity::delete_many()
            .filter(teacher_quiz_item::Column::QuizId.eq(id))
            .exec(&txn)
            .await?;
        if !items.is_empty() {
            teacher_quiz_item::Entity::insert_many(items.iter().enumerate().map(|(n, item)| {
                teacher_quiz_item::ActiveModel {
                    quiz_id: Set(id),
                    position: Set(n as i32 + 1),
                    revision_id: Set(item.revision_id),
                }
            }))
            .exec_without_returning(&txn)
            .await?;
        }
    }
    active.updated_at = Set(now);
    active.update(&txn).await?;
    if !detail.is_null() {
        audit(&txn, actor, "quiz.edit", &format!("quiz:{id}"), detail).await?;
    }
    txn.commit().await?;
    Ok(quiz.school_id)
}

/// Copies a quiz the caller may see into a new quiz of theirs (same questions, same
/// revisions), to edit. Audited.
pub async fn copy(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    id: i32,
    now: i64,
) -> Result<i32, AppError> {
    let quiz = visible_quiz(db, caller, id).await?;
    let items = items_of(db, [id]).await?.remove(&id).unwrap_or_default();
    let title: String = format!("{} (bản sao)", quiz.title)
        .chars()
        .take(120)
        .collect();
    let txn = crate::platform::db::begin_write(db).await?;
    let copy = teacher_quiz::ActiveModel {
        school_id: Set(quiz.school_id),
        title: Set(title),
        created_by: Set(Some(caller.account_id)),
        shared: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        used_at: Set(None),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if !items.is_empty() {
        teacher_quiz_item::Entity::insert_many(items.iter().map(|item| {
            teacher_quiz_item::ActiveModel {
                quiz_id: Set(copy.id),
                position: Set(item.position),
                revision_id: Set(item.revision_id),
            }
        }))
        .exec_without_returning(&txn)
        .await?;
    }
    audit(
        &txn,
        actor,
        "quiz.create",
        &format!("quiz:{}", copy.id),
        serde_json::json!({ "copy_of": id }),
    )
    .await?;
    txn.commit().await?;
    Ok(copy.id)
}

fn bank_question(
    revision: &question_revision::Model,
    q: Option<&question::Model>,
) -> Result<BankQuestion, AppError> {
    let options: Vec<String> =
        stored_json("question_revision.options_json", &revision.options_json)?;
    let key: Vec<usize> = stored_json("question_revision.correct_json", &revision.correct_json)?;
    let signs = crate::content::bank::is_signs(revision);
    Ok(BankQuestion {
        revision_id: revision.id,
        question_id: revision.question_id.clone(),
        topic: q.map(|q| q.topic.clone()).unwrap_or_default(),
        difficulty: q.map_or(0, |q| q.difficulty),
        levels: q.map(|q| q.levels.replace(',', ", ")).unwrap_or_default(),
        stem: revision.stem.clone(),
        options: options
            .into_iter()
            .enumerate()
            .map(|(i, text)| {
                (
                    if signs {
                        format!("Phần {}", i + 1)
                    } else {
                        option_letter(i)
                    },
                    text,
                    key.contains(&i),
                )
            })
            .collect(),
        signs,
    })
}

/// A quiz with its questions; for its author while it can be edited, the bank search too.
pub async fn view(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i32,
    filter: BankFilter,
    reserved: &Reserved,
) -> Result<QuizView, AppError> {
    let quiz = visible_quiz(db, caller, id).await?;
    let items = items_of(db, [id]).await?.remove(&id).unwrap_or_default();
    let revisions: HashMap<i32, question_revision::Model> =
        crate::content::bank::revisions_by_id(db, items.iter().map(|i| i.revision_id)).await?;
    let in_quiz: Vec<String> = revisions.values().map(|r| r.question_id.clone()).collect();
    let bank: HashMap<String, question::Model> = question::Entity::find()
        .filter(question::Column::Id.is_in(in_quiz.clone()))
        .all(db)
        .await?
        .into_iter()
        .map(|q| (q.id.clone(), q))
        .collect();
    let mut questions = Vec::with_capacity(items.len());
    for item in &items {
        let revision = revisions.get(&item.revision_id).ok_or(AppError::Internal)?;
        questions.push(bank_question(revision, bank.get(&revision.question_id))?);
    }
    let mine = quiz.created_by == Some(caller.account_id);
    let editable = mine && quiz.used_at.is_none();
    let topics: Vec<(String, String)> = topic::Entity::find()
        .order_by_asc(topic::Column::Position)
        .all(db)
        .await?
        .into_iter()
        .map(|t| (t.slug, t.title))
        .collect();
    let (found, found_total, held_back) = if editable {
        search(db, &filter, &in_quiz, reserved).await?
    } else {
        (Vec::new(), 0, 0)
    };
    let author = authors(db, std::slice::from_ref(&quiz))
        .await?
        .into_values()
        .next()
        .unwrap_or_default();
    Ok(QuizView {
        id,
        school_id: quiz.school_id,
        title: quiz.title,
        author,
        shared: quiz.shared,
        used: quiz.used_at.is_some(),
        editable,
        mine,
        questions,
        topics,
        filter,
        found,
        found_total,
        held_back,
    })
}

/// Active bank questions matching the filter, not in the quiz and not held back by an open
/// round (first 20 by id), how many matched, and how many were held back.
async fn search(
    db: &impl ConnectionTrait,
    filter: &BankFilter,
    in_quiz: &[String],
    reserved: &Reserved,
) -> Result<(Vec<BankQuestion>, u32, u32), AppError> {
    let mut query = question::Entity::find().filter(question::Column::Active.eq(true));
    if let Some(track) = crate::codes::Track::parse(filter.track.trim()) {
        query = query.filter(question::Column::Track.eq(track.code()));
    }
    if !filter.topic.trim().is_empty() {
        query = query.filter(question::Column::Topic.eq(filter.topic.trim()));
    }
    if let Some(level) = crate::codes::SchoolLevel::content_level(filter.level.trim()) {
        query = query.filter(question::Column::Levels.contains(level.code()));
    }
    if let Ok(difficulty) = filter.difficulty.trim().parse::<i32>() {
        query = query.filter(question::Column::Difficulty.eq(difficulty));
    }
    let candidates: Vec<question::Model> = query
        .order_by_asc(question::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .filter(|q| !in_quiz.contains(&q.id))
        .collect();
    let held_back = candidates
        .iter()
        .filter(|q| reserved.contains(&q.id))
        .count() as u32;
    let candidates: Vec<question::Model> = candidates
        .into_iter()
        .filter(|q| !reserved.contains(&q.id))
        .collect();
    let revisions =
        crate::content::bank::revisions_by_id(db, candidates.iter().map(|q| q.current_revision))
            .await?;
    // The text search folds diacritics and case, so "lua dao" finds "lừa đảo".
    let words: Vec<String> = crate::domain::text::ascii_fold(&filter.text.to_lowercase())
        .split_whitespace()
        .map(str::to_owned)
        .collect();
    let mut found = Vec::new();
    let mut total = 0u32;
    for q in &candidates {
        let Some(revision) = revisions.get(&q.current_revision) else {
            continue;
        };
        if !words.is_empty() {
            let text = crate::domain::text::ascii_fold(
                &format!("{} {} {}", revision.stem, revision.options_json, q.id).to_lowercase(),
            );
            if !words.iter().all(|w| text.contains(w.as_str())) {
                continue;
            }
        }
        total += 1;
        if found.len() < FOUND_SHOWN {
            found.push(bank_question(revision, Some(q))?);
        }
    }
    Ok((found, total, held_back))
}

/// Each question id of a quiz → its position in the quiz.
pub async fn question_positions(
    db: &impl ConnectionTrait,
    quiz_id: i32,
) -> Result<HashMap<String, i32>, AppError> {
    let items = items_of(db, [quiz_id])
        .await?
        .remove(&quiz_id)
        .unwrap_or_default();
    let revisions =
        crate::content::bank::revisions_by_id(db, items.iter().map(|i| i.revision_id)).await?;
    Ok(items
        .iter()
        .filter_map(|i| {
            revisions
                .get(&i.revision_id)
                .map(|r| (r.question_id.clone(), i.position))
        })
        .collect())
}

/// Marks a quiz as used (its questions fixed), inside the assignment's transaction.
pub async fn mark_used(db: &impl ConnectionTrait, id: i32, now: i64) -> Result<(), AppError> {
    teacher_quiz::Entity::update_many()
        .col_expr(
            teacher_quiz::Column::UsedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(teacher_quiz::Column::Id.eq(id))
        .filter(teacher_quiz::Column::UsedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}

/// Starts a pupil's attempt on a teacher's quiz, made for an assignment: its questions in the
/// quiz's order, options shuffled, leaving out any an open contest round can draw now.
pub async fn start(
    db: &DatabaseConnection,
    learner_id: &str,
    quiz_id: i32,
    reserved: &Reserved,
    assignment_id: i32,
) -> Result<String, AppError> {
    use rand::Rng;
    let items = items_of(db, [quiz_id])
        .await?
        .remove(&quiz_id)
        .unwrap_or_default();
    let revisions =
        crate::content::bank::revisions_by_id(db, items.iter().map(|i| i.revision_id)).await?;
    let mut shown = Vec::with_capacity(items.len());
    for item in &items {
        let revision = revisions.get(&item.revision_id).ok_or(AppError::Internal)?;
        if !reserved.contains(&revision.question_id) {
            shown.push(revision);
        }
    }
    if shown.is_empty() {
        return Err(bad(
            "Các câu của đề đang được dùng trong một vòng thi đang mở; em hãy làm sau khi vòng thi đóng.",
        ));
    }
    let mut option_counts = Vec::with_capacity(shown.len());
    let mut keep_order = Vec::with_capacity(shown.len());
    for revision in &shown {
        let options: Vec<String> =
            stored_json("question_revision.options_json", &revision.options_json)?;
        option_counts.push(options.len());
        keep_order.push(crate::content::bank::is_signs(revision));
    }
    let seed: u64 = rand::rng().random();
    let drawn = crate::domain::quiz::shuffle_options(seed, &option_counts, &keep_order);
    let drawn: Vec<crate::attempt::start::DrawnItem> = drawn
        .items
        .iter()
        .map(|item| crate::attempt::start::DrawnItem {
            revision_id: shown[item.candidate].id,
            option_order: item.option_order.clone(),
        })
        .collect();
    crate::practice::service::write_practice_attempt(
        db,
        learner_id,
        &AttemptScope::Quiz(quiz_id),
        seed,
        &drawn,
        Some(assignment_id),
    )
    .await
}
