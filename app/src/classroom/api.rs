//! Server functions of assignments: each checks the caller, then calls `service`.

use crate::classroom::types::*;
use crate::error::AppError;
use leptos::prelude::*;
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
use crate::{classroom::service, clock::now_ms, platform::app_state};

/// The questions open contest rounds hold back now.
#[cfg(feature = "ssr")]
async fn reserved_now() -> Result<crate::attempt::result::Reserved, AppError> {
    let state = app_state()?;
    crate::contests::service::reserved_questions(&state.db, &state.pool_cache, now_ms()).await
}

/// The form to set work, opened from one of the caller's classes.
#[server]
pub async fn get_assignment_form(class_id: i32) -> Result<AssignmentForm, AppError> {
    let caller = crate::platform::request::require_caller()?;
    service::form(&app_state()?.db, &caller, class_id, now_ms()).await
}

/// Sets work for the ticked classes (`class[<id>]=<id>`) and goes to its report for the class
/// it was set from (or the first one ticked).
#[server]
pub async fn create_assignment(
    from_class: i32,
    #[server(default)] class: BTreeMap<String, String>,
    work: String,
    opens_at: String,
    due_at: String,
    #[server(default)] note: String,
) -> Result<(), AppError> {
    let caller = crate::platform::request::require_caller()?;
    let db = &app_state()?.db;
    let mut class_ids = Vec::with_capacity(class.len());
    for value in class.values() {
        class_ids.push(
            value
                .parse::<i32>()
                .map_err(|_| AppError::BadRequest("Lớp đã chọn không hợp lệ.".into()))?,
        );
    }
    let shown = if class_ids.contains(&from_class) {
        from_class
    } else {
        class_ids.iter().copied().min().unwrap_or(from_class)
    };
    let id = service::create(
        db,
        &caller,
        &crate::platform::request::actor(&caller),
        service::NewAssignment {
            class_ids,
            work,
            opens_at,
            due_at,
            note,
        },
        now_ms(),
    )
    .await?;
    crate::platform::request::redirect(&format!("/giao-bai/{id}?lop={shown}&xong=da-giao"));
    Ok(())
}

/// Withdraws an assignment and goes back to the class's page.
#[server]
pub async fn withdraw_assignment(id: i32, class_id: i32) -> Result<(), AppError> {
    let caller = crate::platform::request::require_caller()?;
    service::withdraw(
        &app_state()?.db,
        &caller,
        &crate::platform::request::actor(&caller),
        id,
        now_ms(),
    )
    .await?;
    crate::platform::request::redirect(&format!("/lop/{class_id}?xong=thu-hoi"));
    Ok(())
}

/// The work set for the caller's class ("Bài được giao"); empty for anyone who is not a pupil
/// in a class, signed out included.
#[server]
pub async fn my_assignments() -> Result<Vec<AssignedToMe>, AppError> {
    let Some(caller) = crate::platform::request::caller() else {
        return Ok(Vec::new());
    };
    service::assigned_to(&app_state()?.db, &caller, now_ms()).await
}

/// Starts (or continues) the caller's attempt for an assignment and goes to its first question.
#[server]
pub async fn start_assignment(id: i32) -> Result<(), AppError> {
    let caller = crate::platform::request::require_caller()?;
    let attempt = service::start(
        &app_state()?.db,
        &caller,
        id,
        &reserved_now().await?,
        now_ms(),
    )
    .await?;
    crate::platform::request::redirect(&format!("/luyen-tap/{attempt}/cau/1"));
    Ok(())
}

/// The assignments of a class the caller manages.
#[server]
pub async fn get_class_assignments(class_id: i32) -> Result<Vec<ClassAssignment>, AppError> {
    let caller = crate::platform::request::require_caller()?;
    let db = &app_state()?.db;
    crate::schools::classes::managed_class(db, &caller, class_id).await?;
    service::for_class(db, class_id, now_ms()).await
}

/// The report of an assignment for one of its classes (the class's teachers).
#[server]
pub async fn get_assignment_report(id: i32, class_id: i32) -> Result<AssignmentReport, AppError> {
    let caller = crate::platform::request::require_caller()?;
    service::report(
        &app_state()?.db,
        &caller,
        id,
        class_id,
        &reserved_now().await?,
        now_ms(),
    )
    .await
}

/// The quizzes of a school the caller teaches at.
#[server]
pub async fn get_quizzes(school_id: i32) -> Result<QuizList, AppError> {
    let caller = crate::platform::request::require_caller()?;
    crate::classroom::quizzes::list(&app_state()?.db, &caller, school_id).await
}

/// Creates an empty quiz and goes to it.
#[server]
pub async fn create_quiz(school_id: i32, title: String) -> Result<(), AppError> {
    let caller = crate::platform::request::require_caller()?;
    let id = crate::classroom::quizzes::create(
        &app_state()?.db,
        &caller,
        &crate::platform::request::actor(&caller),
        school_id,
        &title,
        now_ms(),
    )
    .await?;
    crate::platform::request::redirect(&format!("/de/{id}"));
    Ok(())
}

/// A quiz with its questions, and the bank search (filter as on the page's search form).
#[server]
pub async fn get_quiz(
    id: i32,
    #[server(default)] filter: BankFilter,
) -> Result<QuizView, AppError> {
    let caller = crate::platform::request::require_caller()?;
    crate::classroom::quizzes::view(
        &app_state()?.db,
        &caller,
        id,
        filter,
        &reserved_now().await?,
    )
    .await
}

/// Changes a quiz: `action` is `them` (add bank question `question`), `xoa` / `len` (remove /
/// move up the question at `position`), `doi-ten` (rename to `title`), `chia-se` /
/// `thoi-chia-se` (share with the school's teachers or stop), `xoa-de` (delete). Goes back to the
/// quiz with the search it came from (`back`: the page's query string).
#[server]
pub async fn edit_quiz(
    id: i32,
    action: String,
    #[server(default)] question: String,
    #[server(default)] position: Option<i32>,
    #[server(default)] title: String,
    #[server(default)] back: String,
) -> Result<(), AppError> {
    use crate::classroom::quizzes::QuizEdit;
    let caller = crate::platform::request::require_caller()?;
    let db = &app_state()?.db;
    let change = match (action.as_str(), position) {
        ("them", _) => QuizEdit::Add(question.trim().to_owned()),
        ("xoa", Some(p)) => QuizEdit::Remove(p),
        ("len", Some(p)) => QuizEdit::Up(p),
        ("doi-ten", _) => QuizEdit::Rename(title),
        ("chia-se", _) => QuizEdit::Share(true),
        ("thoi-chia-se", _) => QuizEdit::Share(false),
        ("xoa-de", _) => QuizEdit::Delete,
        _ => return Err(AppError::BadRequest("Thao tác không hợp lệ.".into())),
    };
    let deleting = matches!(change, QuizEdit::Delete);
    let school_id = crate::classroom::quizzes::edit(
        db,
        &caller,
        &crate::platform::request::actor(&caller),
        id,
        change,
        &reserved_now().await?,
        now_ms(),
    )
    .await?;
    if deleting {
        crate::platform::request::redirect(&format!("/truong/{school_id}/de?xong=da-xoa"));
    } else {
        // Only the search's own parameters travel back (never a foreign address).
        let back: String = back
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || "=&%-_.+".contains(*c))
            .take(500)
            .collect();
        let back = if back.is_empty() {
            String::new()
        } else {
            format!("?{back}")
        };
        crate::platform::request::redirect(&format!("/de/{id}{back}#cau-hoi"));
    }
    Ok(())
}

/// Copies a quiz into a new one of the caller's, and goes to it.
#[server]
pub async fn copy_quiz(id: i32) -> Result<(), AppError> {
    let caller = crate::platform::request::require_caller()?;
    let copy = crate::classroom::quizzes::copy(
        &app_state()?.db,
        &caller,
        &crate::platform::request::actor(&caller),
        id,
        now_ms(),
    )
    .await?;
    crate::platform::request::redirect(&format!("/de/{copy}"));
    Ok(())
}
