//! A contest attempt survives the server being killed (SIGKILL, no goodbye) and started again:
//! the same attempt, the saved answers, the same deadline. Runs the real binary, on SQLite or on
//! PostgreSQL (`KHIEN_SO_TEST_DB=postgres`).

use app::accounts::auth::{self, Grant, NewAccount};
use app::codes::Role;
use app::contests::service::{ContestSettings, RoundSettings};
use app::domain::contest::{DrawRule, Eligibility};
use app::entities::{attempt_item, contest_entry};
use sea_orm::EntityTrait;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::{BIN, database_url, repo};

/// Starts `khien-so serve` on a free port and waits until it answers; returns it and its base URL.
async fn serve(url: &str) -> (Child, String) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(BIN)
        .arg("serve")
        .current_dir(repo())
        .env("KHIEN_SO_DATABASE_URL", url)
        .env("KHIEN_SO_LISTEN", &listen)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let started = Instant::now();
    let probe = reqwest::Client::new();
    loop {
        if let Ok(r) = probe.get(format!("http://{listen}/healthz")).send().await
            && r.status().is_success()
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    (child, format!("http://{listen}"))
}

fn server_fn(name: &str) -> String {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .find(|path| {
            path.trim_start_matches("/api/")
                .trim_end_matches(|c: char| c.is_ascii_digit())
                == name
        })
        .unwrap()
        .to_owned()
}

/// Posts a form as a browser without JavaScript does; the redirect's target, or `None` when the
/// server cannot be reached or does not redirect.
async fn post(
    client: &reqwest::Client,
    base: &str,
    name: &str,
    form: &[(&str, &str)],
) -> Option<String> {
    let response = client
        .post(format!("{base}{}", server_fn(name)))
        .header("origin", base)
        .header("accept", "text/html")
        .form(form)
        .send()
        .await
        .ok()?;
    response
        .headers()
        .get("location")
        .map(|l| l.to_str().unwrap().to_owned())
}

/// A pupil account (no school) with this password hash; returns its id.
async fn pupil(db: &sea_orm::DatabaseConnection, username: &str, hash: &str) -> i32 {
    let id = auth::insert_account(
        db,
        NewAccount {
            username: username.to_owned(),
            full_name: format!("Thí sinh {username}"),
            password_hash: hash.to_owned(),
            initial_password: None,
            must_change_password: false,
            birth_year: None,
            pupil_code: None,
        },
    )
    .await
    .unwrap();
    auth::insert_grant(
        db,
        id,
        &Grant {
            role: Role::Pupil,
            school_id: None,
            commune_id: None,
            levels: vec![],
        },
    )
    .await
    .unwrap();
    id
}

/// A contest with one round open for the next hour (20 minutes an attempt, five questions);
/// returns the round's id.
async fn open_round(db: &sea_orm::DatabaseConnection, attempts_allowed: i32) -> i32 {
    let actor = app::schools::people::Actor::command_line();
    let contest = app::contests::service::create_contest(
        db,
        &actor,
        ContestSettings {
            title: "Thử khởi động lại".to_owned(),
            description: String::new(),
            school_year: app::clock::current_school_year(),
            ranking_order: app::domain::ranking::default_order(),
            counted_attempt: app::domain::ranking::CountedAttempt::Best,
            prizes: [1, 1, 1, 1],
            prize_min_score: None,
        },
    )
    .await
    .unwrap();
    let now = app::clock::now_ms();
    app::contests::service::add_round(
        db,
        &actor,
        contest,
        RoundSettings {
            name: "Vòng 1".to_owned(),
            opens_at: now - 60_000,
            closes_at: now + 3_600_000,
            time_allowed_ms: 20 * 60_000,
            attempts_allowed,
            rules: vec![DrawRule {
                count: 5,
                ..Default::default()
            }],
            eligibility: Eligibility {
                levels: vec![],
                school_ids: vec![],
                commune_ids: vec![],
            },
            prediction_question: None,
            review_at_once: true,
        },
    )
    .await
    .unwrap()
    .unwrap()
}

#[tokio::test]
async fn a_contest_attempt_resumes_after_the_server_is_killed_and_restarted() {
    let url = database_url().await;
    let (mut first, base) = serve(&url).await;

    // A pupil and an open round, written with the app's own services.
    let db = app::platform::db::connect(&url, 2).await.unwrap();
    let hash = auth::hash_password("mat-khau-thu".to_owned())
        .await
        .unwrap();
    pupil(&db, "thisinh", &hash).await;
    let round = open_round(&db, 1).await;

    // Cookies are kept per host, so the same "browser" talks to both servers.
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    post(
        &client,
        &base,
        "login",
        &[
            ("username", "thisinh"),
            ("password", "mat-khau-thu"),
            ("next", ""),
        ],
    )
    .await;
    let location = post(
        &client,
        &base,
        "enter_round",
        &[("round_id", &round.to_string()), ("prediction", "")],
    )
    .await
    .unwrap();
    let attempt = location
        .trim_start_matches("/luyen-tap/")
        .trim_end_matches("/cau/1")
        .to_owned();
    let saved = client
        .post(format!("{base}{}", server_fn("record_answer")))
        .header("origin", &base)
        .header("content-type", "application/json")
        .body(serde_json::json!({ "attempt": attempt, "position": 2, "choices": [1] }).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(saved.text().await.unwrap(), "true", "acknowledged");
    let deadline = contest_entry::Entity::find_by_id(attempt.clone())
        .one(&db)
        .await
        .unwrap()
        .unwrap()
        .deadline_at;

    // SIGKILL: no graceful shutdown.
    first.kill().unwrap();
    first.wait().unwrap();
    let (mut second, base) = serve(&url).await;

    let again = post(
        &client,
        &base,
        "enter_round",
        &[("round_id", &round.to_string()), ("prediction", "")],
    )
    .await
    .unwrap();
    assert_eq!(again, location, "the same attempt resumes");
    let page = client
        .get(format!("{base}/luyen-tap/{attempt}/cau/2"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Còn lại:"), "the time left is shown");
    assert!(
        html.contains("checked"),
        "the answer saved before the crash is still chosen"
    );
    let item = attempt_item::Entity::find_by_id((attempt.clone(), 2))
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert!(item.chosen.is_some());
    let entry = contest_entry::Entity::find_by_id(attempt.clone())
        .one(&db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.deadline_at, deadline, "the deadline did not move");
    second.kill().unwrap();
    second.wait().unwrap();
}

/// Saves one answer as the quiz page's autosave does; `None` when the server did not acknowledge
/// it (connection refused or cut, or anything but "saved").
async fn autosave(
    client: &reqwest::Client,
    base: &str,
    attempt: &str,
    position: i32,
    choice: usize,
) -> Option<()> {
    let response = client
        .post(format!("{base}{}", server_fn("record_answer")))
        .header("origin", base)
        .header("content-type", "application/json")
        .body(
            serde_json::json!({ "attempt": attempt, "position": position, "choices": [choice] })
                .to_string(),
        )
        .send()
        .await
        .ok()?;
    (response.status() == 200 && response.text().await.ok()? == "true").then_some(())
}

/// Once the clients are under way (`under_way`, checked every 10 ms, at most 60 s), kills the
/// server (SIGKILL) at a moment up to 1.2 s later, different on every run, then waits for the
/// clients' tasks to stop; returns the moment (ms after they were under way), to print. Waiting
/// for the clients first keeps the test meaningful on a loaded machine.
async fn kill_at_a_random_moment(
    server: &mut Child,
    tasks: Vec<tokio::task::JoinHandle<()>>,
    under_way: impl Fn() -> bool,
) -> u64 {
    let waiting = Instant::now();
    while !under_way() {
        assert!(
            waiting.elapsed() < Duration::from_secs(60),
            "the clients did not get under way"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let after_ms = u64::from(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .subsec_nanos(),
    ) % 1_200;
    tokio::time::sleep(Duration::from_millis(after_ms)).await;
    server.kill().unwrap();
    server.wait().unwrap();
    for task in tasks {
        task.await.unwrap();
    }
    after_ms
}

/// Answers are acknowledged only after the commit that holds them (the server writes the saves
/// arriving together in one commit): learners save answers as fast as they can, the server is
/// killed (SIGKILL) at a moment that differs from run to run, and every answer acknowledged before
/// that is in the database with the option sent; an answer sent but not acknowledged is either
/// stored as sent or not at all.
#[tokio::test]
async fn every_acknowledged_answer_survives_a_kill_at_any_moment() {
    use app::entities::attempt_item;
    use sea_orm::{ColumnTrait, QueryFilter};
    use std::sync::{Arc, Mutex};

    let url = database_url().await;
    let (mut server, base) = serve(&url).await;
    let db = app::platform::db::connect(&url, 2).await.unwrap();

    // Each learner is a browser of its own (practice needs no account), with a quiz started.
    let mut learners = Vec::new();
    for _ in 0..12 {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        client
            .get(format!("{base}/luyen-tap"))
            .send()
            .await
            .unwrap();
        learners.push(client);
    }
    // (attempt, position, display choice): sent, and acknowledged.
    let sent = Arc::new(Mutex::new(Vec::new()));
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for (n, client) in learners.into_iter().enumerate() {
        let (base, sent, acknowledged, db) =
            (base.clone(), sent.clone(), acknowledged.clone(), db.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let Some(location) =
                    post(&client, &base, "start_practice", &[("scope", "track:A")]).await
                else {
                    return;
                };
                let attempt = location
                    .trim_start_matches("/luyen-tap/")
                    .trim_end_matches("/cau/1")
                    .to_owned();
                let Ok(items) = attempt_item::Entity::find()
                    .filter(attempt_item::Column::AttemptId.eq(attempt.as_str()))
                    .all(&db)
                    .await
                else {
                    return;
                };
                for position in 1..=items.len() as i32 {
                    let choice = (n + position as usize) % 2;
                    sent.lock()
                        .unwrap()
                        .push((attempt.clone(), position, choice));
                    if autosave(&client, &base, &attempt, position, choice)
                        .await
                        .is_none()
                    {
                        return;
                    }
                    acknowledged
                        .lock()
                        .unwrap()
                        .push((attempt.clone(), position, choice));
                }
            }
        }));
    }
    let after_ms = kill_at_a_random_moment(&mut server, tasks, || {
        acknowledged.lock().unwrap().len() >= 12
    })
    .await;

    let sent = sent.lock().unwrap().clone();
    let acknowledged = acknowledged.lock().unwrap().clone();
    println!(
        "killed {after_ms} ms after 12 answers were acknowledged: {} answers sent, {} acknowledged",
        sent.len(),
        acknowledged.len()
    );
    let db = app::platform::db::connect(&url, 2).await.unwrap();
    for (attempt, position, choice) in &sent {
        let item = attempt_item::Entity::find_by_id((attempt.clone(), *position))
            .one(&db)
            .await
            .unwrap()
            .unwrap();
        let order: Vec<usize> = serde_json::from_str(&item.option_order).unwrap();
        let expected = format!("[{}]", order[*choice]);
        let was_acknowledged = acknowledged.contains(&(attempt.clone(), *position, *choice));
        match item.chosen {
            Some(stored) => assert_eq!(stored, expected, "{attempt} question {position}"),
            None => assert!(
                !was_acknowledged,
                "{attempt} question {position}: acknowledged, then lost in the crash"
            ),
        }
    }
}

/// Contest starts and submissions share their commits too (`attempt::start`,
/// `attempt::submit`): pupils start, submit and start again as fast as they can, the server is
/// killed (SIGKILL) at a moment that differs from run to run, and every start acknowledged
/// (redirected to its first question) is in the database with its items and its entry, every
/// submission acknowledged (its result sent) is scored and closed — and no start or submission
/// was half written.
#[tokio::test]
async fn every_acknowledged_contest_start_and_submission_survives_a_kill_at_any_moment() {
    use app::entities::attempt;
    use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};
    use std::sync::{Arc, Mutex};

    let url = database_url().await;
    let (mut server, base) = serve(&url).await;
    let db = app::platform::db::connect(&url, 2).await.unwrap();
    let hash = auth::hash_password("mat-khau-thu".to_owned())
        .await
        .unwrap();
    let pupils = 8;
    for n in 0..pupils {
        pupil(&db, &format!("thisinh{n}"), &hash).await;
    }
    let round = open_round(&db, 10_000).await;

    let mut clients = Vec::new();
    for n in 0..pupils {
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        let username = format!("thisinh{n}");
        let signed_in = post(
            &client,
            &base,
            "login",
            &[
                ("username", &username),
                ("password", "mat-khau-thu"),
                ("next", ""),
            ],
        )
        .await;
        assert_eq!(signed_in.as_deref(), Some("/tai-khoan"));
        clients.push(client);
    }
    // Attempts whose start was acknowledged, and whose submission was.
    let acknowledged = Arc::new(Mutex::new(Vec::new()));
    let submitted = Arc::new(Mutex::new(Vec::new()));
    let mut tasks = Vec::new();
    for client in clients {
        let (base, acknowledged, submitted) =
            (base.clone(), acknowledged.clone(), submitted.clone());
        tasks.push(tokio::spawn(async move {
            loop {
                let Some(location) = post(
                    &client,
                    &base,
                    "enter_round",
                    &[("round_id", &round.to_string()), ("prediction", "")],
                )
                .await
                else {
                    return;
                };
                let Some(attempt) = location
                    .strip_prefix("/luyen-tap/")
                    .and_then(|l| l.strip_suffix("/cau/1"))
                else {
                    panic!("enter_round went to {location}");
                };
                acknowledged.lock().unwrap().push(attempt.to_owned());
                let finished = client
                    .post(format!("{base}{}", server_fn("finish_attempt")))
                    .header("origin", &base)
                    .header("content-type", "application/json")
                    .body(serde_json::json!({ "attempt": attempt }).to_string())
                    .send()
                    .await;
                if !finished.is_ok_and(|r| r.status() == 200) {
                    return;
                }
                submitted.lock().unwrap().push(attempt.to_owned());
            }
        }));
    }
    let after_ms = kill_at_a_random_moment(&mut server, tasks, || {
        acknowledged.lock().unwrap().len() >= pupils
    })
    .await;

    let acknowledged = acknowledged.lock().unwrap().clone();
    let submitted = submitted.lock().unwrap().clone();
    println!(
        "killed {after_ms} ms after {pupils} starts were acknowledged: {} starts and {} submissions acknowledged",
        acknowledged.len(),
        submitted.len()
    );
    let db = app::platform::db::connect(&url, 2).await.unwrap();
    for id in &acknowledged {
        assert!(
            contest_entry::Entity::find_by_id(id.clone())
                .one(&db)
                .await
                .unwrap()
                .is_some(),
            "{id}: acknowledged, then lost in the crash"
        );
    }
    // Every attempt written is whole: its entry and its five items.
    let attempts = attempt::Entity::find().all(&db).await.unwrap();
    assert!(attempts.len() >= acknowledged.len());
    for a in &attempts {
        let items = attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.eq(a.id.as_str()))
            .count(&db)
            .await
            .unwrap();
        assert_eq!(items, 5, "{}: its items", a.id);
        let entry = contest_entry::Entity::find_by_id(a.id.clone())
            .one(&db)
            .await
            .unwrap();
        let Some(entry) = entry else {
            panic!("{}: its entry", a.id);
        };
        // Submitted wholly or not at all: score, closed entry and every item marked together.
        let marked = attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.eq(a.id.as_str()))
            .filter(attempt_item::Column::IsCorrect.is_not_null())
            .count(&db)
            .await
            .unwrap();
        if a.submitted_at.is_some() {
            assert!(a.score.is_some(), "{}: submitted without a score", a.id);
            assert_eq!(
                entry.open_key, None,
                "{}: submitted, entry still open",
                a.id
            );
            assert_eq!(marked, 5, "{}: submitted, items not marked", a.id);
        } else {
            assert!(
                !submitted.contains(&a.id),
                "{}: submission acknowledged, then lost in the crash",
                a.id
            );
            assert_eq!(a.score, None, "{}: a score without a submission", a.id);
            assert_eq!(marked, 0, "{}: items marked without a submission", a.id);
        }
    }
}
