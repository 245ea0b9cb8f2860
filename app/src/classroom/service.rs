//! Assignments on the server: setting and withdrawing them, what a pupil has been set, starting
//! (or continuing) the attempt for one, and the teacher's report for a class.

use crate::accounts::auth::Caller;
use crate::attempt::result::Reserved;
use crate::attempt::stored_indexes;
use crate::classroom::types::*;
use crate::clock::{format_vietnam_input, format_vietnam_time};
use crate::codes::{AssignedWork, Role, stored_json};
use crate::domain::assignment::{self, AttemptFact, Standing};
use crate::domain::item_analysis::{Response, analyse, option_letter};
use crate::entities::{
    account, assignment as assignment_row, assignment_attempt, assignment_class, attempt,
    class_member, lesson, school_class, topic,
};
use crate::error::AppError;
use crate::i18n::points_text;
use crate::schools::classes::{class_pupils, classes_of_school, managed_class};
use crate::schools::people::{Actor, audit};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use std::collections::HashMap;

/// The longest note a teacher may add to an assignment.
pub const NOTE_MAX_CHARS: usize = 500;
/// How many of the questions most missed the report lists.
const MOST_MISSED: usize = 5;
/// How long after its due time a pupil still sees an assignment listed.
const LISTED_AFTER_DUE_MS: i64 = 14 * 24 * 60 * 60 * 1000;

fn bad(message: &str) -> AppError {
    AppError::BadRequest(message.to_owned())
}

/// The lessons and topic practices a teacher may set, by topic in content order.
pub async fn work_groups(db: &impl ConnectionTrait) -> Result<Vec<WorkGroup>, AppError> {
    let topics = topic::Entity::find()
        .order_by_asc(topic::Column::Position)
        .all(db)
        .await?;
    let lessons = lesson::Entity::find()
        .filter(lesson::Column::Active.eq(true))
        .order_by_asc(lesson::Column::Slug)
        .all(db)
        .await?;
    Ok(topics
        .into_iter()
        .map(|t| {
            let mut choices: Vec<(String, String)> = lessons
                .iter()
                .filter(|l| l.topic == t.slug)
                .map(|l| {
                    (
                        AssignedWork::Lesson(l.slug.clone()).code(),
                        format!("Bài học: {} (kèm bài kiểm tra chủ đề)", l.title),
                    )
                })
                .collect();
            choices.push((
                AssignedWork::Topic(t.slug.clone()).code(),
                format!("Luyện tập chủ đề: {}", t.title),
            ));
            WorkGroup {
                label: t.title,
                choices,
            }
        })
        .collect())
}

/// The title pupils see and the topic the quiz draws from, for a work code; `None` when the
/// lesson, topic or quiz does not exist.
async fn describe(
    db: &impl ConnectionTrait,
    work: &AssignedWork,
) -> Result<Option<(String, String)>, AppError> {
    Ok(match work {
        AssignedWork::Lesson(slug) => lesson::Entity::find_by_id(slug.clone())
            .one(db)
            .await?
            .filter(|l| l.active)
            .map(|l| (l.title, l.topic)),
        AssignedWork::Topic(slug) => topic::Entity::find_by_id(slug.clone())
            .one(db)
            .await?
            .map(|t| (format!("Luyện tập chủ đề: {}", t.title), t.slug)),
        // A teacher's quiz draws from no topic (see `quizzes::start`).
        AssignedWork::Quiz(id) => crate::entities::teacher_quiz::Entity::find_by_id(*id)
            .one(db)
            .await?
            .filter(|q| q.deleted_at.is_none())
            .map(|q| (q.title, String::new())),
    })
}

/// The form to set work, opened from `class_id`: the classes of that school and year the
/// caller may manage (that one ticked), the lessons and topics, default times.
pub async fn form(
    db: &DatabaseConnection,
    caller: &Caller,
    class_id: i32,
    now: i64,
) -> Result<AssignmentForm, AppError> {
    let class = managed_class(db, caller, class_id).await?;
    let school = crate::schools::service::school_by_id(db, class.school_id).await?;
    let mut groups = work_groups(db).await?;
    let quizzes = crate::classroom::quizzes::assignable(db, caller, class.school_id).await?;
    if !quizzes.is_empty() {
        groups.insert(
            0,
            WorkGroup {
                label: "Đề của thầy cô".to_owned(),
                choices: quizzes
                    .into_iter()
                    .map(|(id, title, n)| {
                        (AssignedWork::Quiz(id).code(), format!("{title} ({n} câu)"))
                    })
                    .collect(),
            },
        );
    }
    let classes = classes_of_school(db, class.school_id, class.school_year)
        .await?
        .into_iter()
        .filter(|(c, _)| caller.can_manage_class(c) || caller.has(Role::Admin))
        .map(|(c, pupils)| ClassChoice {
            checked: c.id == class_id,
            id: c.id,
            name: c.name,
            pupils,
        })
        .collect();
    // A week from today at 21:00, Vietnam time.
    let week = format_vietnam_input(now + 7 * 24 * 60 * 60 * 1000);
    let due_at = format!("{}T21:00", week.split('T').next().unwrap_or_default());
    Ok(AssignmentForm {
        school_id: school.id,
        school_name: school.name,
        from_class: class_id,
        classes,
        groups,
        opens_at: format_vietnam_input(now),
        due_at,
    })
}

/// What a teacher asks for when setting work.
pub struct NewAssignment {
    pub class_ids: Vec<i32>,
    pub work: String,
    pub opens_at: String,
    pub due_at: String,
    pub note: String,
}

/// Sets work for classes the caller manages (all of one school and school year), audited.
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    new: NewAssignment,
    now: i64,
) -> Result<i32, AppError> {
    let mut class_ids = new.class_ids;
    class_ids.sort_unstable();
    class_ids.dedup();
    if class_ids.is_empty() {
        return Err(bad("Hãy chọn ít nhất một lớp."));
    }
    let mut classes: Vec<school_class::Model> = Vec::with_capacity(class_ids.len());
    for id in &class_ids {
        classes.push(managed_class(db, caller, *id).await?);
    }
    let (school_id, school_year) = (classes[0].school_id, classes[0].school_year);
    if classes
        .iter()
        .any(|c| c.school_id != school_id || c.school_year != school_year)
    {
        return Err(bad(
            "Các lớp được chọn phải cùng một trường và một năm học.",
        ));
    }
    let work = AssignedWork::from_code(new.work.trim())
        .ok_or_else(|| bad("Hãy chọn bài học hoặc chủ đề để giao."))?;
    let (title, _) = describe(db, &work)
        .await?
        .ok_or_else(|| bad("Bài học, chủ đề hoặc đề này không còn trên hệ thống."))?;
    if let AssignedWork::Quiz(quiz_id) = work {
        let quiz = crate::classroom::quizzes::visible_quiz(db, caller, quiz_id).await?;
        if quiz.school_id != school_id {
            return Err(bad("Đề này thuộc một trường khác."));
        }
        if crate::classroom::quizzes::question_positions(db, quiz_id)
            .await?
            .is_empty()
        {
            return Err(bad("Đề chưa có câu hỏi nào."));
        }
    }
    let opens_at = crate::clock::parse_vietnam_datetime(&new.opens_at)
        .ok_or_else(|| bad("Thời điểm mở bài không hợp lệ (ngày và giờ)."))?;
    let due_at = crate::clock::parse_vietnam_datetime(&new.due_at)
        .ok_or_else(|| bad("Hạn nộp không hợp lệ (ngày và giờ)."))?;
    if let Some(problem) = assignment::window_problem(opens_at, due_at, now) {
        return Err(bad(problem));
    }
    let note = crate::domain::text::clean_name(&new.note);
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(bad("Lời dặn dài tối đa 500 ký tự."));
    }
    let txn = crate::platform::db::begin_write(db).await?;
    let row = assignment_row::ActiveModel {
        school_id: Set(school_id),
        school_year: Set(school_year),
        work: Set(work.code()),
        title: Set(title.clone()),
        note: Set(note),
        created_by: Set(Some(caller.account_id)),
        opens_at: Set(opens_at),
        due_at: Set(due_at),
        created_at: Set(now),
        withdrawn_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    if let AssignedWork::Quiz(quiz_id) = work {
        crate::classroom::quizzes::mark_used(&txn, quiz_id, now).await?;
    }
    assignment_class::Entity::insert_many(class_ids.iter().map(|&class_id| {
        assignment_class::ActiveModel {
            assignment_id: Set(row.id),
            class_id: Set(class_id),
        }
    }))
    .exec_without_returning(&txn)
    .await?;
    audit(
        &txn,
        actor,
        "assignment.create",
        &format!("assignment:{}", row.id),
        serde_json::json!({
            "school": school_id,
            "classes": class_ids,
            "work": work.code(),
            "title": title,
            "opens_at": opens_at,
            "due_at": due_at,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(row.id)
}

/// An assignment that exists (withdrawn or not), or 404.
async fn assignment_by_id(
    db: &impl ConnectionTrait,
    id: i32,
) -> Result<assignment_row::Model, AppError> {
    assignment_row::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// The classes an assignment was set for, by name.
async fn classes_of(
    db: &impl ConnectionTrait,
    assignment_id: i32,
) -> Result<Vec<school_class::Model>, AppError> {
    let ids: Vec<i32> = assignment_class::Entity::find()
        .filter(assignment_class::Column::AssignmentId.eq(assignment_id))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.class_id)
        .collect();
    Ok(school_class::Entity::find()
        .filter(school_class::Column::Id.is_in(ids))
        .order_by_asc(school_class::Column::Grade)
        .order_by_asc(school_class::Column::Name)
        .all(db)
        .await?)
}

/// Withdraws an assignment (it leaves pupils' lists; attempts made for it are kept). The caller
/// must manage every class it was set for. Audited.
pub async fn withdraw(
    db: &DatabaseConnection,
    caller: &Caller,
    actor: &Actor,
    id: i32,
    now: i64,
) -> Result<(), AppError> {
    let row = assignment_by_id(db, id).await?;
    for class in classes_of(db, id).await? {
        managed_class(db, caller, class.id).await?;
    }
    if row.withdrawn_at.is_some() {
        return Ok(());
    }
    let txn = crate::platform::db::begin_write(db).await?;
    let mut active: assignment_row::ActiveModel = row.into();
    active.withdrawn_at = Set(Some(now));
    active.update(&txn).await?;
    audit(
        &txn,
        actor,
        "assignment.withdraw",
        &format!("assignment:{id}"),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Per learner id, the facts of their attempts for an assignment (and the attempts).
async fn attempts_by_learner(
    db: &impl ConnectionTrait,
    assignment_ids: &[i32],
    learner_ids: Vec<String>,
) -> Result<HashMap<(i32, String), Vec<attempt::Model>>, AppError> {
    let links = assignment_attempt::Entity::find()
        .filter(assignment_attempt::Column::AssignmentId.is_in(assignment_ids.iter().copied()))
        .all(db)
        .await?;
    let assignment_of: HashMap<String, i32> = links
        .into_iter()
        .map(|l| (l.attempt_id, l.assignment_id))
        .collect();
    let attempts = attempt::Entity::find()
        .filter(attempt::Column::LearnerId.is_in(learner_ids))
        .filter(attempt::Column::Id.is_in(assignment_of.keys().cloned()))
        .order_by_asc(attempt::Column::StartedAt)
        .all(db)
        .await?;
    let mut out: HashMap<(i32, String), Vec<attempt::Model>> = HashMap::new();
    for a in attempts {
        if let Some(&assignment_id) = assignment_of.get(&a.id) {
            out.entry((assignment_id, a.learner_id.clone()))
                .or_default()
                .push(a);
        }
    }
    Ok(out)
}

/// The work (not withdrawn) set for any of these classes, soonest due first.
async fn set_for(
    db: &impl ConnectionTrait,
    class_ids: Vec<i32>,
) -> Result<Vec<assignment_row::Model>, AppError> {
    use sea_orm::{QuerySelect, QueryTrait};
    let set = assignment_class::Entity::find()
        .select_only()
        .column(assignment_class::Column::AssignmentId)
        .filter(assignment_class::Column::ClassId.is_in(class_ids))
        .into_query();
    Ok(assignment_row::Entity::find()
        .filter(assignment_row::Column::Id.in_subquery(set))
        .filter(assignment_row::Column::WithdrawnAt.is_null())
        .order_by_asc(assignment_row::Column::DueAt)
        .order_by_asc(assignment_row::Column::Id)
        .all(db)
        .await?)
}

fn fact(a: &attempt::Model) -> AttemptFact {
    AttemptFact {
        started_at: a.started_at,
        submitted_at: a.submitted_at,
        points: crate::attempt::points_of(a),
    }
}

fn standing_view(standing: Standing) -> PupilStanding {
    match standing {
        Standing::NotOpenYet => PupilStanding::NotOpenYet,
        Standing::ToDo => PupilStanding::ToDo,
        Standing::InProgress => PupilStanding::InProgress,
        Standing::Done => PupilStanding::Done,
        Standing::DoneLate => PupilStanding::DoneLate,
    }
}

fn points_of_total(a: &attempt::Model) -> Option<String> {
    crate::attempt::points_of(a).map(|p| format!("{}/{}", points_text(p), a.total))
}

/// The work set for the classes a pupil is in now (not withdrawn, due within the last two
/// weeks or later, or not handed in yet), soonest due first. Empty for anyone not in a class.
pub async fn assigned_to(
    db: &impl ConnectionTrait,
    caller: &Caller,
    now: i64,
) -> Result<Vec<AssignedToMe>, AppError> {
    if !caller.has(Role::Pupil) {
        return Ok(Vec::new());
    }
    let class_ids: Vec<i32> = class_member::Entity::find()
        .filter(class_member::Column::AccountId.eq(caller.account_id))
        .filter(class_member::Column::LeftAt.is_null())
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.class_id)
        .collect();
    if class_ids.is_empty() {
        return Ok(Vec::new());
    }
    let rows = set_for(db, class_ids).await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let mut attempts = attempts_by_learner(db, &ids, vec![caller.learner_id.clone()]).await?;
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mine = attempts
            .remove(&(row.id, caller.learner_id.clone()))
            .unwrap_or_default();
        let facts: Vec<AttemptFact> = mine.iter().map(fact).collect();
        let standing = assignment::standing(&facts, row.opens_at, row.due_at, now);
        let done = matches!(standing, Standing::Done | Standing::DoneLate);
        if !done || row.due_at + LISTED_AFTER_DUE_MS >= now {
            let best = assignment::counted(&facts).map(|i| &mine[i]);
            let open = mine.iter().find(|a| a.submitted_at.is_none());
            out.push(AssignedToMe {
                id: row.id,
                title: row.title.clone(),
                lesson_href: lesson_href(&row.work),
                opens_at: format_vietnam_time(row.opens_at),
                due_at: format_vietnam_time(row.due_at),
                overdue: now > row.due_at,
                standing: standing_view(standing),
                best: best.and_then(points_of_total),
                attempt_href: match (open, best) {
                    (Some(a), _) => Some(format!("/luyen-tap/{}/cau/1", a.id)),
                    (None, Some(a)) => Some(format!("/luyen-tap/{}/ket-qua", a.id)),
                    (None, None) => None,
                },
                note: row.note,
            });
        }
    }
    Ok(out)
}

fn lesson_href(work: &str) -> Option<String> {
    match AssignedWork::from_code(work)? {
        AssignedWork::Lesson(slug) => Some(format!("/bai-hoc/{slug}")),
        AssignedWork::Topic(_) | AssignedWork::Quiz(_) => None,
    }
}

/// Starts the pupil's attempt for an assignment (or returns the one they have not handed in
/// yet): they must be in one of its classes now, and it must be open (work past its due time
/// may still be done; it shows as late).
pub async fn start(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    reserved: &Reserved,
    now: i64,
) -> Result<String, AppError> {
    let row = assignment_by_id(db, id).await?;
    let classes = classes_of(db, id).await?;
    let class = match crate::accounts::auth::current_class(db, caller.account_id).await? {
        Some(c) if classes.iter().any(|a| a.id == c.id) => c,
        _ => return Err(AppError::Forbidden),
    };
    if row.withdrawn_at.is_some() {
        return Err(bad("Thầy cô đã thu hồi bài này."));
    }
    if now < row.opens_at {
        return Err(AppError::BadRequest(format!(
            "Bài này mở lúc {}.",
            format_vietnam_time(row.opens_at)
        )));
    }
    let mine = attempts_by_learner(db, &[id], vec![caller.learner_id.clone()]).await?;
    if let Some(open) = mine
        .get(&(id, caller.learner_id.clone()))
        .and_then(|list| list.iter().find(|a| a.submitted_at.is_none()))
    {
        return Ok(open.id.clone());
    }
    let work = AssignedWork::parse(&row.work)?;
    if let AssignedWork::Quiz(quiz_id) = work {
        return crate::classroom::quizzes::start(db, &caller.learner_id, quiz_id, reserved, id)
            .await;
    }
    let Some((_, topic)) = describe(db, &work).await? else {
        return Err(bad("Bài học hoặc chủ đề này không còn trên hệ thống."));
    };
    let level = crate::schools::service::level_of_grade(class.grade);
    crate::practice::service::start_practice(
        db,
        &caller.learner_id,
        &crate::practice::service::PracticeScope::Topic(topic),
        level,
        reserved,
        Some(id),
    )
    .await
}

/// The assignments of a class, newest due first, with how many of its pupils handed each in.
pub async fn for_class(
    db: &impl ConnectionTrait,
    class_id: i32,
    now: i64,
) -> Result<Vec<ClassAssignment>, AppError> {
    let rows = set_for(db, vec![class_id]).await?;
    let ids: Vec<i32> = rows.iter().map(|r| r.id).collect();
    let pupils = class_pupils(db, class_id).await?;
    let learners: Vec<String> = pupils.iter().map(|(a, _)| a.learner_id.clone()).collect();
    let attempts = attempts_by_learner(db, &ids, learners.clone()).await?;
    // Newest due first.
    Ok(rows
        .into_iter()
        .rev()
        .map(|row| {
            let done = learners
                .iter()
                .filter(|l| {
                    attempts
                        .get(&(row.id, (*l).clone()))
                        .is_some_and(|list| list.iter().any(|a| a.submitted_at.is_some()))
                })
                .count() as u32;
            ClassAssignment {
                id: row.id,
                title: row.title,
                opens_at: format_vietnam_time(row.opens_at),
                due_at: format_vietnam_time(row.due_at),
                overdue: now > row.due_at,
                done,
                pupils: learners.len() as u32,
            }
        })
        .collect())
}

/// The report of an assignment for one of its classes (the caller must manage the class): each
/// pupil's standing and counted attempt, the pupil × question grid and the questions most
/// missed. Keys of questions an open contest round holds back are not shown.
pub async fn report(
    db: &impl ConnectionTrait,
    caller: &Caller,
    id: i32,
    class_id: i32,
    reserved: &Reserved,
    now: i64,
) -> Result<AssignmentReport, AppError> {
    let row = assignment_by_id(db, id).await?;
    let classes = classes_of(db, id).await?;
    let Some(class) = classes.iter().find(|c| c.id == class_id) else {
        return Err(AppError::NotFound);
    };
    managed_class(db, caller, class.id).await?;
    let pupils = class_pupils(db, class_id).await?;
    let mut attempts = attempts_by_learner(
        db,
        &[id],
        pupils.iter().map(|(a, _)| a.learner_id.clone()).collect(),
    )
    .await?;
    // Each pupil's attempts, where they stand and the attempt counted.
    let mine: Vec<(
        &account::Model,
        Vec<attempt::Model>,
        Standing,
        Option<usize>,
    )> = pupils
        .iter()
        .map(|(a, _)| {
            let list = attempts
                .remove(&(id, a.learner_id.clone()))
                .unwrap_or_default();
            let facts: Vec<AttemptFact> = list.iter().map(fact).collect();
            let standing = assignment::standing(&facts, row.opens_at, row.due_at, now);
            let counted = assignment::counted(&facts);
            (a, list, standing, counted)
        })
        .collect();
    let counted_ids: Vec<String> = mine
        .iter()
        .filter_map(|(_, list, _, c)| c.map(|i| list[i].id.clone()))
        .collect();
    // The grid's columns: one per question, its latest revision seen, by question id.
    let mut grid = crate::attempt::answer_grid(db, counted_ids).await?;
    if let Ok(AssignedWork::Quiz(quiz_id)) = AssignedWork::parse(&row.work) {
        // A teacher's quiz: the columns in the quiz's own order.
        let position: HashMap<String, i32> =
            crate::classroom::quizzes::question_positions(db, quiz_id).await?;
        grid.sort_by_key(|r| position.get(&r.question_id).copied().unwrap_or(i32::MAX));
    }
    let questions = &grid.questions;
    let mut rows = Vec::with_capacity(mine.len());
    let mut responses = Vec::new();
    let mut done = 0;
    for &(account, ref list, standing, counted) in &mine {
        if matches!(standing, Standing::Done | Standing::DoneLate) {
            done += 1;
        }
        let best = counted.map(|i| &list[i]);
        let cells = match best.and_then(|a| grid.by_attempt.get(a.id.as_str())) {
            Some(list) => list
                .iter()
                .map(|answer| match answer {
                    None => GridCell::NotDrawn,
                    Some(a) if a.chosen.is_empty() => GridCell::Blank,
                    Some(a) if a.correct => GridCell::Right,
                    Some(_) => GridCell::Wrong,
                })
                .collect(),
            None => vec![GridCell::NotDrawn; questions.len()],
        };
        if let Some(a) = best {
            responses.push(Response {
                total_score: crate::attempt::points_of(a).unwrap_or(0),
                answers: grid.row(&a.id),
            });
        }
        rows.push(ReportRow {
            account_id: account.id,
            full_name: account.full_name.clone(),
            standing: standing_view(standing),
            attempts: list.len() as u32,
            points: best.and_then(points_of_total),
            submitted_at: best.and_then(|a| a.submitted_at).map(format_vietnam_time),
            cells,
        });
    }
    let mut option_counts = Vec::with_capacity(questions.len());
    let mut keys = Vec::with_capacity(questions.len());
    let mut texts = Vec::with_capacity(questions.len());
    for r in questions.iter() {
        let options: Vec<String> = stored_json("question_revision.options_json", &r.options_json)?;
        option_counts.push(options.len());
        keys.push(stored_indexes(
            "question_revision.correct_json",
            &r.correct_json,
        )?);
        texts.push(options);
    }
    let stats = analyse(&responses, &option_counts, &keys);
    let percent = |share: f64| (share * 100.0).round() as u32;
    let summaries: Vec<QuestionSummary> = questions
        .iter()
        .zip(stats.iter())
        .enumerate()
        .map(|(i, (r, s))| {
            let held_back = reserved.contains(&r.question_id);
            let signs = crate::content::bank::is_signs(r);
            QuestionSummary {
                signs,
                column: i as u32 + 1,
                stem: r.stem.clone(),
                shown: s.shown,
                right: s.correct,
                percent_right: s.facility.map(percent).unwrap_or(0),
                options: if held_back {
                    Vec::new()
                } else {
                    texts[i]
                        .iter()
                        .enumerate()
                        .map(|(o, text)| {
                            (
                                if signs {
                                    format!("Phần {}", o + 1)
                                } else {
                                    option_letter(o)
                                },
                                text.clone(),
                                s.option_share.get(o).copied().map(percent).unwrap_or(0),
                                keys[i].contains(&o),
                            )
                        })
                        .collect()
                },
                blank_percent: percent(s.blank_share),
                held_back,
            }
        })
        .collect();
    let mut missed: Vec<&QuestionSummary> = summaries
        .iter()
        .filter(|q| q.shown > 0 && q.right < q.shown)
        .collect();
    missed.sort_by_key(|q| {
        // Worst share right first; among equals, the one more pupils missed.
        (
            q.right * 1000 / q.shown,
            std::cmp::Reverse(q.shown - q.right),
            q.column,
        )
    });
    let most_missed = missed.iter().take(MOST_MISSED).map(|q| q.column).collect();
    Ok(AssignmentReport {
        id,
        title: row.title.clone(),
        lesson_href: lesson_href(&row.work),
        note: row.note.clone(),
        opens_at: format_vietnam_time(row.opens_at),
        due_at: format_vietnam_time(row.due_at),
        class_id,
        class_name: class.name.clone(),
        school_id: class.school_id,
        classes: classes.iter().map(|c| (c.id, c.name.clone())).collect(),
        done,
        rows,
        questions: summaries,
        most_missed,
        withdrawn: row.withdrawn_at.is_some(),
    })
}

/// The report as a table to download: one row per pupil, a column per question
/// (Đ = đúng, S = sai, – = bỏ trống, blank = not drawn).
pub fn report_table(report: &AssignmentReport) -> crate::spreadsheet::export::Table {
    let mut header: Vec<String> = [
        "Họ và tên",
        "Trạng thái",
        "Số lượt làm",
        "Điểm (lượt tốt nhất)",
        "Nộp lúc",
    ]
    .iter()
    .map(|s| (*s).to_owned())
    .collect();
    header.extend(report.questions.iter().map(|q| format!("Câu {}", q.column)));
    let header_refs: Vec<&str> = header.iter().map(String::as_str).collect();
    let mut table =
        crate::spreadsheet::export::Table::new(&format!("Lớp {}", report.class_name), &header_refs);
    for r in &report.rows {
        let mut row = vec![
            r.full_name.clone(),
            r.standing.label_vi().to_owned(),
            r.attempts.to_string(),
            r.points.clone().unwrap_or_default(),
            r.submitted_at.clone().unwrap_or_default(),
        ];
        row.extend(r.cells.iter().map(|c| {
            match c {
                GridCell::Right => "Đ",
                GridCell::Wrong => "S",
                GridCell::Blank => "–",
                GridCell::NotDrawn => "",
            }
            .to_owned()
        }));
        table.push(row);
    }
    table
}

/// Whether an attempt was made for an assignment (its participation is then counted as from
/// an assignment).
pub async fn is_assigned(db: &impl ConnectionTrait, attempt_id: &str) -> Result<bool, AppError> {
    Ok(
        assignment_attempt::Entity::find_by_id(attempt_id.to_owned())
            .one(db)
            .await?
            .is_some(),
    )
}

/// The demo's work (clearly marked as such): the phishing lesson set by the demo teacher
/// (`giaovien`) for the demo pupil's class (`hs000001`), open since yesterday and due in a
/// week. Does nothing when any assignment exists or the demo accounts are missing. Returns the
/// assignment's id.
pub async fn seed_demo_assignment(
    db: &DatabaseConnection,
    now: i64,
) -> Result<Option<i32>, AppError> {
    use sea_orm::PaginatorTrait;
    const DAY: i64 = 86_400_000;
    if assignment_row::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let by_name = |username: &'static str| {
        account::Entity::find()
            .filter(account::Column::Username.eq(username))
            .one(db)
    };
    let (Some(teacher), Some(pupil)) = (by_name("giaovien").await?, by_name("hs000001").await?)
    else {
        return Ok(None);
    };
    let Some(class) = crate::accounts::auth::current_class(db, pupil.id).await? else {
        return Ok(None);
    };
    let Some(lesson) = lesson::Entity::find()
        .filter(lesson::Column::Active.eq(true))
        .order_by_asc(lesson::Column::Slug)
        .all(db)
        .await?
        .into_iter()
        .min_by_key(|l| l.slug != "nhan-dien-lien-ket-gia-mao")
    else {
        return Ok(None);
    };
    let txn = crate::platform::db::begin_write(db).await?;
    let row = assignment_row::ActiveModel {
        school_id: Set(class.school_id),
        school_year: Set(class.school_year),
        work: Set(AssignedWork::Lesson(lesson.slug.clone()).code()),
        title: Set(lesson.title),
        note: Set("Bài giao minh họa: đọc bài học rồi làm bài kiểm tra 10 câu.".to_owned()),
        created_by: Set(Some(teacher.id)),
        opens_at: Set(now - DAY),
        due_at: Set(now + 7 * DAY),
        created_at: Set(now),
        withdrawn_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    assignment_class::ActiveModel {
        assignment_id: Set(row.id),
        class_id: Set(class.id),
    }
    .insert(&txn)
    .await?;
    audit(
        &txn,
        &Actor::command_line(),
        "assignment.create",
        &format!("assignment:{}", row.id),
        serde_json::json!({ "demo": true, "classes": [class.id] }),
    )
    .await?;
    txn.commit().await?;
    Ok(Some(row.id))
}
