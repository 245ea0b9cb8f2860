//! How fast are the coverage dashboards on a province-sized database? Builds (once) a synthetic
//! province on SQLite — the demo directory of about 2,000 schools, 1,000,000 pupils with
//! accounts and classes, 10,000,000 attempts, three school years of participation and the
//! tallies the app keeps — then times the department dashboard and a school dashboard over real
//! HTTP, signed in, and prints the figures.
//!
//! Run: `cargo bench -p khien-so-tests --bench coverage_dashboards`
//! The database is kept (`KHIEN_SO_BENCH_DB`, default `<temp dir>/khien-so-province.db`, about
//! 2 GB) and reused by the next run; delete it or set `KHIEN_SO_BENCH_FRESH=1` to rebuild.
//! `KHIEN_SO_BENCH_PUPILS` and `KHIEN_SO_BENCH_ATTEMPTS` change the size, `KHIEN_SO_BENCH_RUNS`
//! (default 20) the number of timed requests per page.
//!
//! The synthetic data is written with bulk SQL, not through the app's services (that would take
//! hours); the tallies are computed from the participation rows once, which gives what the app
//! maintains one submission at a time. Synthetic pupils: "Học Sinh 1234".

use app::accounts::auth::{Grant, NewAccount, insert_account, insert_grant};
use app::codes::{Role, SchoolLevel};
use khien_so_tests::{TEST_PASSWORD, TestApp, new_client, spawn_app_with, test_config};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const YEAR: i32 = 2026;
const FIRST_PUPIL_ID: i64 = 1_000;
/// Largest class (Thông tư 32/2020: 45 pupils in THCS/THPT).
const CLASS_SIZE: u32 = 45;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(default)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

async fn exec(db: &impl ConnectionTrait, sql: &str) {
    db.execute_unprepared(sql)
        .await
        .unwrap_or_else(|e| panic!("{e}\n{}", &sql[..sql.len().min(300)]));
}

async fn count(db: &DatabaseConnection, sql: &str) -> i64 {
    use sea_orm::Statement;
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get_by_index::<i64>(0).unwrap()
}

async fn is_complete(url: &str) -> bool {
    let Ok(db) = app::platform::db::connect(url, 1).await else {
        return false;
    };
    use sea_orm::Statement;
    db.query_one_raw(Statement::from_string(
        db.get_database_backend(),
        "SELECT done FROM bench_info".to_owned(),
    ))
    .await
    .ok()
    .flatten()
    .is_some()
}

/// One class: its id, school, grade and number of pupils.
struct ClassPlan {
    id: i64,
    school_id: i32,
    grade: u8,
    pupils: u32,
}

async fn build(url: &str, pupils_wanted: u64, attempts: u64) {
    let started = Instant::now();
    let db = app::platform::db::connect(url, 1).await.unwrap();
    Migrator::up(&db, None).await.unwrap();
    // Speed for a one-off bulk load; the app's own settings apply when it opens the file again.
    exec(&db, "PRAGMA journal_mode = WAL; PRAGMA synchronous = OFF;").await;

    // The directory: the demo province, its THCS/THPT enrolment scaled to the pupils wanted.
    let mut province = app::schools::demo::generate(&app::schools::demo::DemoOptions {
        populated_schools: Some(0),
        school_year: YEAR,
        ..Default::default()
    });
    let secondary = |l: SchoolLevel| matches!(l, SchoolLevel::Thcs | SchoolLevel::Thpt);
    let total: u64 = province
        .schools
        .iter()
        .filter(|s| s.valid_to.is_none())
        .flat_map(|s| s.enrolment.iter())
        .filter(|(l, _)| secondary(*l))
        .map(|(_, n)| u64::from(*n))
        .sum();
    let factor = pupils_wanted as f64 / total as f64;
    for school in &mut province.schools {
        for (level, n) in &mut school.enrolment {
            if secondary(*level) {
                *n = ((f64::from(*n) * factor).round() as u32).max(1);
            }
        }
    }
    app::schools::people::import_directory(
        &db,
        &province.schools,
        &app::schools::people::Actor::command_line(),
        "bench",
    )
    .await
    .unwrap()
    .unwrap();
    for year in [YEAR - 2, YEAR - 1] {
        exec(
            &db,
            &format!(
                "INSERT INTO school_enrolment (school_id, school_year, level, pupils) \
                 SELECT school_id, {year}, level, pupils FROM school_enrolment WHERE school_year = {YEAR}"
            ),
        )
        .await;
    }
    println!(
        "  directory: {} schools ({:.1} s)",
        province.schools.len(),
        started.elapsed().as_secs_f64()
    );

    // Classes of at most 45 for every active THCS/THPT school, pupils spread over the grades.
    let codes: std::collections::HashMap<String, i32> = {
        use sea_orm::EntityTrait;
        app::entities::school::Entity::find()
            .all(&db)
            .await
            .unwrap()
            .into_iter()
            .map(|s| (s.code, s.id))
            .collect()
    };
    let mut classes: Vec<ClassPlan> = Vec::new();
    for school in province.schools.iter().filter(|s| s.valid_to.is_none()) {
        let school_id = codes[&school.code];
        for &(level, enrolled) in &school.enrolment {
            let Some(grades) = level.grades().filter(|_| secondary(level)) else {
                continue;
            };
            let grades: Vec<u8> = grades.collect();
            for (k, &grade) in grades.iter().enumerate() {
                let in_grade = enrolled / grades.len() as u32
                    + u32::from((k as u32) < enrolled % grades.len() as u32);
                let count = in_grade.div_ceil(CLASS_SIZE).max(1);
                for c in 0..count {
                    let pupils = in_grade / count + u32::from(c < in_grade % count);
                    classes.push(ClassPlan {
                        id: classes.len() as i64 + 1,
                        school_id,
                        grade,
                        pupils,
                    });
                }
            }
        }
    }
    let biggest = classes
        .iter()
        .fold(std::collections::HashMap::<i32, u32>::new(), |mut m, c| {
            *m.entry(c.school_id).or_default() += c.pupils;
            m
        })
        .into_iter()
        .max_by_key(|(id, n)| (*n, -id))
        .map(|(id, _)| id)
        .unwrap();

    // Staff who read the dashboards.
    let hash = app::accounts::auth::hash_password(TEST_PASSWORD.to_owned())
        .await
        .unwrap();
    let staff = [
        (
            "so.gddt",
            Grant {
                role: Role::Department,
                school_id: None,
                commune_id: None,
                levels: vec![SchoolLevel::Thcs, SchoolLevel::Thpt],
            },
        ),
        (
            "giaovien",
            Grant {
                role: Role::Teacher,
                school_id: Some(biggest),
                commune_id: None,
                levels: vec![],
            },
        ),
    ];
    for (username, grant) in staff {
        let id = insert_account(
            &db,
            NewAccount {
                username: username.to_owned(),
                full_name: format!("Cán bộ {username}"),
                password_hash: hash.clone(),
                initial_password: None,
                must_change_password: false,
                birth_year: None,
                pupil_code: None,
            },
        )
        .await
        .unwrap();
        insert_grant(&db, id, &grant).await.unwrap();
    }

    let txn = db.begin().await.unwrap();
    for chunk in classes.chunks(1000) {
        let values: Vec<String> = chunk
            .iter()
            .map(|c| {
                format!(
                    "({}, {}, {YEAR}, '{}-{}', {}, NULL, NULL, 0)",
                    c.id, c.school_id, c.grade, c.id, c.grade
                )
            })
            .collect();
        exec(
            &txn,
            &format!(
                "INSERT INTO school_class (id, school_id, school_year, name, grade, teacher_id, join_code, created_at) VALUES {}",
                values.join(",")
            ),
        )
        .await;
    }
    // Seats: one pupil per seat, numbered from FIRST_PUPIL_ID.
    exec(
        &txn,
        "CREATE TABLE bench_seat (account_id INTEGER PRIMARY KEY, class_id INTEGER, school_id INTEGER, grade INTEGER)",
    )
    .await;
    let mut next = FIRST_PUPIL_ID;
    let mut rows: Vec<String> = Vec::with_capacity(2000);
    for class in &classes {
        for _ in 0..class.pupils {
            rows.push(format!(
                "({next}, {}, {}, {})",
                class.id, class.school_id, class.grade
            ));
            next += 1;
            if rows.len() == 2000 {
                exec(
                    &txn,
                    &format!("INSERT INTO bench_seat VALUES {}", rows.join(",")),
                )
                .await;
                rows.clear();
            }
        }
    }
    if !rows.is_empty() {
        exec(
            &txn,
            &format!("INSERT INTO bench_seat VALUES {}", rows.join(",")),
        )
        .await;
    }
    let pupils = next - FIRST_PUPIL_ID;
    let hash_sql = hash.replace('\'', "''");
    for sql in [
        "INSERT INTO learner (id, created_at) SELECT 'L' || account_id, 0 FROM bench_seat".to_owned(),
        format!(
            "INSERT INTO account (id, username, full_name, password_hash, initial_password, must_change_password, birth_year, pupil_code, learner_id, disabled, created_at, last_login_at) \
             SELECT account_id, 'hs' || account_id, 'Học Sinh ' || account_id, '{hash_sql}', NULL, 0, NULL, NULL, 'L' || account_id, 0, 0, NULL FROM bench_seat"
        ),
        "INSERT INTO role_grant (account_id, role, school_id, commune_id, levels, created_at) SELECT account_id, 'pupil', school_id, NULL, NULL, 0 FROM bench_seat".to_owned(),
        "INSERT INTO class_member (class_id, account_id, via, joined_at, left_at) SELECT class_id, account_id, 'roster', 0, NULL FROM bench_seat".to_owned(),
    ] {
        exec(&txn, &sql).await;
    }
    txn.commit().await.unwrap();
    println!(
        "  {} pupils in {} classes, with accounts ({:.1} s)",
        pupils,
        classes.len(),
        started.elapsed().as_secs_f64()
    );

    // Attempts, spread over the pupils and three school years (index rebuilt after the load).
    exec(&db, "DROP INDEX IF EXISTS idx_attempt_learner").await;
    let t0 = 1_725_148_800_000i64; // 1 September 2024, 00:00 UTC
    let span = 3 * 365 * 86_400_000i64;
    exec(
        &db,
        &format!(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {attempts}) \
             INSERT INTO attempt (id, learner_id, kind, scope, seed, total, started_at, submitted_at, score) \
             SELECT printf('bench-%09d', i), 'L' || ({FIRST_PUPIL_ID} + (i * 7919) % {pupils}), 'practice', \
                    CASE i % 2 WHEN 0 THEN 'track:A' ELSE 'track:B' END, i, 10, \
                    {t0} + (i * {step}) , {t0} + (i * {step}) + 420000, i % 11 FROM n",
            step = span / attempts as i64
        ),
    )
    .await;
    exec(
        &db,
        "CREATE INDEX idx_attempt_learner ON attempt (learner_id, started_at)",
    )
    .await;
    println!(
        "  {attempts} attempts ({:.1} s)",
        started.elapsed().as_secs_f64()
    );

    // Participation for three years: each school has its own share of pupils taking part in
    // each track, rising year on year, so that some schools are covered and others not.
    let txn = db.begin().await.unwrap();
    for year in [YEAR - 2, YEAR - 1, YEAR] {
        let rise = (year - (YEAR - 2)) * 40;
        for (track, base, spread, salt) in [("A", 60, 380, 17), ("B", 20, 260, 29)] {
            exec(
                &txn,
                &format!(
                    "INSERT INTO participation (account_id, track, school_year, school_id, level, class_id, via, first_at, last_at, activities) \
                     SELECT account_id, '{track}', {year}, school_id, CASE WHEN grade <= 9 THEN 'THCS' ELSE 'THPT' END, class_id, 'lesson', 0, 0, 1 \
                     FROM bench_seat \
                     WHERE (account_id * 2654435761 + {salt} * {year}) % 1000 < {base} + {rise} + (school_id * 37 + {salt}) % {spread}"
                ),
            )
            .await;
        }
        exec(
            &txn,
            &format!(
                "INSERT INTO participation (account_id, track, school_year, school_id, level, class_id, via, first_at, last_at, activities) \
                 SELECT account_id, '*', school_year, MIN(school_id), MIN(level), MIN(class_id), 'lesson', 0, 0, 1 \
                 FROM participation WHERE school_year = {year} GROUP BY account_id, school_year"
            ),
        )
        .await;
    }
    exec(
        &txn,
        "INSERT INTO participation_tally (school_id, school_year, level, track, participants) \
         SELECT school_id, school_year, level, track, COUNT(*) FROM participation GROUP BY school_id, school_year, level, track",
    )
    .await;
    // Offline programs: some approved, some waiting, some rejected.
    exec(
        &txn,
        &format!(
            "INSERT INTO offline_program (school_id, school_year, track, levels, held_on, title, participants, evidence_url, evidence_name, status, reason, submitted_by, submitted_at, decided_by, decided_at) \
             SELECT id, {YEAR}, CASE id % 2 WHEN 0 THEN 'A' ELSE 'B' END, levels, '2026-10-20', 'Chuyên đề an toàn thông tin', 200, 'https://truong.example/tin/' || id, NULL, \
                    CASE id % 3 WHEN 0 THEN 'da-duyet' WHEN 1 THEN 'cho-duyet' ELSE 'tu-choi' END, NULL, 1, 0, NULL, NULL \
             FROM school WHERE id % 7 = 0"
        ),
    )
    .await;
    exec(&txn, "CREATE TABLE bench_info (done INTEGER)").await;
    exec(&txn, "INSERT INTO bench_info VALUES (1)").await;
    txn.commit().await.unwrap();
    exec(&db, "PRAGMA wal_checkpoint(TRUNCATE)").await;
    println!(
        "  participation, tallies and programs ({:.1} s in all)",
        started.elapsed().as_secs_f64()
    );
    db.close().await.ok();
}

async fn login(app: &TestApp, username: &str) -> TestApp {
    let browser = TestApp {
        client: new_client(),
        address: app.address.clone(),
        db: app.db.clone(),
        config: app.config.clone(),
    };
    assert_eq!(
        browser.login(username, TEST_PASSWORD).await.as_deref(),
        Some("/tai-khoan"),
        "{username} signs in"
    );
    browser
}

/// Times `runs` GETs of a page (after two untimed ones) and prints the figures; returns p95.
async fn time_page(
    browser: &TestApp,
    label: &str,
    path: &str,
    runs: usize,
    must_contain: &str,
) -> f64 {
    for _ in 0..2 {
        let (status, html) = browser.get(path).await;
        assert_eq!(status, 200, "{path}");
        assert!(html.contains(must_contain), "{path} shows “{must_contain}”");
    }
    let mut times = Vec::with_capacity(runs);
    let mut bytes = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let (status, html) = browser.get(path).await;
        times.push(started.elapsed());
        assert_eq!(status, 200);
        bytes = html.len();
    }
    times.sort();
    let pick = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
    println!(
        "{label:<34} n={runs:>3}  min {:>7.1}  median {:>7.1}  p95 {:>7.1}  max {:>7.1} ms  ({} KB of HTML)",
        pick(0.0),
        pick(0.5),
        pick(0.95),
        pick(1.0),
        bytes / 1024
    );
    pick(0.95)
}

#[tokio::main]
async fn main() {
    let path: PathBuf = std::env::var("KHIEN_SO_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir().join("khien-so-province.db"));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let pupils = env_number("KHIEN_SO_BENCH_PUPILS", 1_000_000);
    let attempts = env_number("KHIEN_SO_BENCH_ATTEMPTS", 10_000_000);
    let runs = env_number("KHIEN_SO_BENCH_RUNS", 20) as usize;
    let fresh = std::env::var("KHIEN_SO_BENCH_FRESH").is_ok_and(|v| v == "1");
    println!(
        "Coverage dashboards on a synthetic province (SQLite: {})",
        path.display()
    );
    if fresh || !is_complete(&url).await {
        for suffix in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
        }
        println!("Building the province (once; reused by later runs):");
        build(&url, pupils, attempts).await;
    } else {
        println!("Reusing the province built earlier (KHIEN_SO_BENCH_FRESH=1 rebuilds it).");
    }

    let mut config = test_config(None).await;
    config.database_url = url.clone();
    let app = spawn_app_with(config).await;
    let db = &app.db;
    let teacher_school: i32 = {
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        app::entities::role_grant::Entity::find()
            .filter(app::entities::role_grant::Column::Role.eq("teacher"))
            .one(db)
            .await
            .unwrap()
            .and_then(|g| g.school_id)
            .unwrap()
    };
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    println!(
        "Database: {:.2} GB · {} schools · {} pupil accounts · {} classes · {} attempts · {} participation records · {} tally rows",
        size as f64 / 1e9,
        count(db, "SELECT COUNT(*) FROM school").await,
        count(db, "SELECT COUNT(*) FROM role_grant WHERE role = 'pupil'").await,
        count(db, "SELECT COUNT(*) FROM school_class").await,
        count(db, "SELECT COUNT(*) FROM attempt").await,
        count(db, "SELECT COUNT(*) FROM participation").await,
        count(db, "SELECT COUNT(*) FROM participation_tally").await,
    );
    println!(
        "The school timed is the largest: {} pupils.",
        count(
            db,
            &format!("SELECT COUNT(*) FROM role_grant WHERE role = 'pupil' AND school_id = {teacher_school}")
        )
        .await
    );
    let department = login(&app, "so.gddt").await;
    let teacher = login(&app, "giaovien").await;
    println!("Over real HTTP, signed in, whole page read (server-rendered HTML):");
    let province = time_page(
        &department,
        "department dashboard /bao-cao",
        &format!("/bao-cao?nam={YEAR}"),
        runs,
        "Trường chưa đạt",
    )
    .await;
    let school = time_page(
        &teacher,
        "school dashboard /truong/…/tham-gia",
        &format!("/truong/{teacher_school}/tham-gia?nam={YEAR}"),
        runs,
        "Học sinh chưa tham gia",
    )
    .await;
    time_page(
        &department,
        "printable report /bao-cao/in",
        &format!("/bao-cao/in?nam={YEAR}"),
        runs,
        "BÁO CÁO",
    )
    .await;
    println!(
        "Targets: department dashboard under 1000 ms (p95 {province:.1} ms: {}), school dashboard under 200 ms (p95 {school:.1} ms: {}).",
        if province < 1000.0 { "met" } else { "MISSED" },
        if school < 200.0 { "met" } else { "MISSED" }
    );
}
