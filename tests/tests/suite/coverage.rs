//! Participation and coverage, on a fresh database (SQLite or PostgreSQL): a hand-computed
//! province with a school without enrolment, a merger mid-year, a pupil who changes school, the
//! 31 August / 1 September boundary, a liên cấp school, offline programs pending and approved;
//! then the same rules through real HTTP: submissions that make participants, the dashboards and
//! who may see them, offline programs logged and decided.

use app::codes::{SchoolLevel, Track};
use app::coverage::service::{ListOptions, Scope, dashboard, record};
use app::entities::{
    audit_log, class_member, offline_program, participation, participation_tally, school_class,
};
use app::schools::people::{self, Actor};
use khien_so_tests::{
    TEST_PASSWORD, TestApp, other_browser, seed_demo_province, seed_people, spawn_app,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

/// Milliseconds of a moment in Vietnam time (UTC+7).
fn vn(y: i32, m: u32, d: u32, h: u32, min: u32) -> i64 {
    chrono::NaiveDate::from_ymd_opt(y, m, d)
        .unwrap()
        .and_hms_opt(h, min, 0)
        .unwrap()
        .and_utc()
        .timestamp_millis()
        - 7 * 3_600_000
}

async fn import(db: &DatabaseConnection, csv: &str) {
    let records = app::schools::directory::parse_directory("thu.csv", csv.as_bytes()).unwrap();
    people::import_directory(db, &records, &Actor::command_line(), "thu.csv")
        .await
        .unwrap()
        .unwrap();
}

async fn school(db: &DatabaseConnection, code: &str) -> i32 {
    people::school_id_by_code(db, code).await.unwrap().unwrap()
}

/// A pupil account in a class of `grade` at a school (the class is made if needed).
async fn pupil(db: &DatabaseConnection, name: &str, school_id: i32, grade: i32, year: i32) -> i32 {
    let id = khien_so_tests::account_with_grant(
        db,
        name,
        &format!("Học Sinh {name}"),
        &app::accounts::auth::Grant {
            role: app::codes::Role::Pupil,
            school_id: Some(school_id),
            commune_id: None,
            levels: vec![],
        },
    )
    .await;
    join_class(db, id, school_id, grade, year).await;
    id
}

async fn join_class(
    db: &DatabaseConnection,
    account_id: i32,
    school_id: i32,
    grade: i32,
    year: i32,
) {
    let name = format!("{grade}A");
    let existing = school_class::Entity::find()
        .filter(school_class::Column::SchoolId.eq(school_id))
        .filter(school_class::Column::SchoolYear.eq(year))
        .filter(school_class::Column::Name.eq(name.clone()))
        .one(db)
        .await
        .unwrap();
    let class_id = match existing {
        Some(c) => c.id,
        None => {
            school_class::ActiveModel {
                school_id: Set(school_id),
                school_year: Set(year),
                name: Set(name),
                grade: Set(grade),
                teacher_id: Set(None),
                join_code: Set(None),
                created_at: Set(0),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap()
            .id
        }
    };
    class_member::Entity::update_many()
        .col_expr(
            class_member::Column::LeftAt,
            sea_orm::sea_query::Expr::value(1i64),
        )
        .filter(class_member::Column::AccountId.eq(account_id))
        .filter(class_member::Column::LeftAt.is_null())
        .exec(db)
        .await
        .unwrap();
    class_member::ActiveModel {
        class_id: Set(class_id),
        account_id: Set(account_id),
        via: Set("roster".to_owned()),
        joined_at: Set(0),
        left_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

/// Moves a pupil to another school (grant and class), as a transfer does.
async fn move_school(
    db: &DatabaseConnection,
    account_id: i32,
    school_id: i32,
    grade: i32,
    year: i32,
) {
    use app::entities::role_grant;
    role_grant::Entity::update_many()
        .col_expr(
            role_grant::Column::SchoolId,
            sea_orm::sea_query::Expr::value(school_id),
        )
        .filter(role_grant::Column::AccountId.eq(account_id))
        .exec(db)
        .await
        .unwrap();
    join_class(db, account_id, school_id, grade, year).await;
}

async fn program(db: &DatabaseConnection, school_id: i32, track: &str, levels: &str, status: &str) {
    offline_program::ActiveModel {
        school_id: Set(school_id),
        school_year: Set(2025),
        track: Set(track.to_owned()),
        levels: Set(levels.to_owned()),
        held_on: Set("2025-11-20".to_owned()),
        title: Set("Chuyên đề ngoại khóa".to_owned()),
        participants: Set(300),
        evidence_url: Set(Some("https://truong.example/tin/1".to_owned())),
        evidence_name: Set(None),
        status: Set(status.to_owned()),
        reason: Set(None),
        submitted_by: Set(1),
        submitted_at: Set(0),
        decided_by: Set(None),
        decided_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
}

/// The province's coverage report for a school year, read on `today` (ISO).
async fn report(
    db: &DatabaseConnection,
    levels: &[SchoolLevel],
    year: i32,
    today: &str,
) -> app::coverage::types::CoverageView {
    let current = year.max(app::clock::current_school_year());
    dashboard(
        db,
        Scope::Province,
        levels,
        year,
        current,
        today,
        &ListOptions::default(),
        String::new(),
    )
    .await
    .unwrap()
}

const PROVINCE: &str = "mã trường,tên trường,cấp học,loại hình,xã/phường,huyện cũ,cơ quan quản lý,hiệu lực từ,hiệu lực đến,sáp nhập vào,năm học,sĩ số THCS,sĩ số THPT\n\
S1,Trường THCS Một,THCS,Công lập,Phường Đông,Huyện cũ Một,Sở GD&ĐT,,,,2025-2026,10,\n\
S2,Trường THCS Hai,THCS,Công lập,Phường Đông,Huyện cũ Một,Sở GD&ĐT,,,,2025-2026,,\n\
S3,Trường THCS Ba,THCS,Công lập,Xã Tây,Huyện cũ Hai,Sở GD&ĐT,,31/01/2026,S4,2025-2026,10,\n\
S4,Trường THCS Bốn,THCS,Công lập,Xã Tây,Huyện cũ Hai,Sở GD&ĐT,,,,2025-2026,10,\n\
S5,Trường THCS và THPT Năm,THCS+THPT,Công lập,Xã Tây,Huyện cũ Hai,Sở GD&ĐT,,,,2025-2026,5,5\n";

/// The province of the hand computation, with its participation recorded as it happened.
async fn hand_computed_province(db: &DatabaseConnection) -> [i32; 5] {
    import(db, PROVINCE).await;
    let ids = [
        school(db, "S1").await,
        school(db, "S2").await,
        school(db, "S3").await,
        school(db, "S4").await,
        school(db, "S5").await,
    ];
    let [s1, s2, s3, s4, s5] = ids;
    let autumn = vn(2025, 10, 15, 9, 0);
    // S1: 10 pupils enrolled. p1 takes part in A and (on 1 September, 00:30) in B; the mover
    // takes part in A before moving to S4.
    let p1 = pupil(db, "p1", s1, 7, 2025).await;
    assert_eq!(
        record(db, p1, &[Track::A], "lesson", autumn).await.unwrap(),
        1
    );
    assert_eq!(
        record(db, p1, &[Track::B], "lesson", vn(2025, 9, 1, 0, 30))
            .await
            .unwrap(),
        1
    );
    let mover = pupil(db, "mover", s1, 7, 2025).await;
    record(db, mover, &[Track::A], "contest", autumn)
        .await
        .unwrap();
    // A pupil whose only activity was on 31 August, 23:30: the year before.
    let summer = pupil(db, "summer", s1, 7, 2025).await;
    record(db, summer, &[Track::B], "lesson", vn(2025, 8, 31, 23, 30))
        .await
        .unwrap();
    // S2: no enrolment recorded; three pupils in A.
    for name in ["q1", "q2", "q3"] {
        let p = pupil(db, name, s2, 8, 2025).await;
        record(db, p, &[Track::A], "lesson", autumn).await.unwrap();
    }
    // S3 (merged into S4 on 1 February): two pupils in A before the merger.
    for name in ["r1", "r2"] {
        let p = pupil(db, name, s3, 9, 2025).await;
        record(db, p, &[Track::A], "lesson", autumn).await.unwrap();
    }
    // S4: one pupil in A; the mover arrives, takes part in B and in A again.
    let s4_pupil = pupil(db, "s4p", s4, 6, 2025).await;
    record(db, s4_pupil, &[Track::A], "lesson", autumn)
        .await
        .unwrap();
    move_school(db, mover, s4, 7, 2025).await;
    assert_eq!(
        record(
            db,
            mover,
            &[Track::A, Track::B],
            "contest",
            vn(2026, 3, 2, 20, 0)
        )
        .await
        .unwrap(),
        1,
        "only B is new for the mover"
    );
    // S5 (liên cấp THCS and THPT): one THCS pupil in A; nobody at THPT.
    let t1 = pupil(db, "t1", s5, 8, 2025).await;
    record(db, t1, &[Track::A], "lesson", autumn).await.unwrap();
    // Offline programs: S2 approved in B; S5 pending in B at THPT.
    program(db, s2, "B", "THCS", "da-duyet").await;
    program(db, s5, "B", "THPT", "cho-duyet").await;
    ids
}

#[tokio::test]
async fn the_hand_computed_province_gives_the_expected_figures() {
    let app = spawn_app().await;
    let db = &app.db;
    let [s1, s2, _s3, s4, s5] = hand_computed_province(db).await;

    // Tallies as activity happened: the mover stays counted at S1 in A, and in B at S4.
    let tally = |school: i32, year: i32, level: &'static str, track: &'static str| async move {
        participation_tally::Entity::find()
            .filter(participation_tally::Column::SchoolId.eq(school))
            .filter(participation_tally::Column::SchoolYear.eq(year))
            .filter(participation_tally::Column::Level.eq(level))
            .filter(participation_tally::Column::Track.eq(track))
            .one(db)
            .await
            .unwrap()
            .map(|t| t.participants)
            .unwrap_or(0)
    };
    assert_eq!(tally(s1, 2025, "THCS", "A").await, 2);
    assert_eq!(
        tally(s1, 2025, "THCS", "B").await,
        1,
        "1 September counts in 2025–2026"
    );
    assert_eq!(
        tally(s1, 2024, "THCS", "B").await,
        1,
        "31 August counts in 2024–2025"
    );
    assert_eq!(tally(s4, 2025, "THCS", "A").await, 1);
    assert_eq!(tally(s4, 2025, "THCS", "B").await, 1);
    assert_eq!(
        tally(s1, 2025, "THCS", "*").await,
        2,
        "either track, each pupil once"
    );
    let mover_rows = participation::Entity::find()
        .filter(participation::Column::SchoolYear.eq(2025))
        .filter(participation::Column::Track.eq("A"))
        .filter(participation::Column::SchoolId.eq(s1))
        .all(db)
        .await
        .unwrap();
    assert_eq!(mover_rows.len(), 2);
    assert!(
        mover_rows.iter().any(|r| r.activities == 2),
        "the mover's second A activity updates the record"
    );

    // The report at the end of 2025–2026.
    let view = report(
        db,
        &[SchoolLevel::Thcs, SchoolLevel::Thpt],
        2025,
        "2026-11-28",
    )
    .await;
    assert_eq!(view.reference_day, "31/08/2026");
    let cell = |level: SchoolLevel, track: Track| {
        view.summary
            .iter()
            .find(|c| c.level == level && c.track == track)
            .cloned()
            .unwrap()
    };
    // THCS: S1, S2, S4 (with S3 merged in), S5 → 4 schools.
    // A: S1 2/10 ✓, S2 no enrolment ✗, S4 3/20 ✗, S5 1/5 ✓ → 2/4 = 50%, over 80% needs 4.
    let a = cell(SchoolLevel::Thcs, Track::A);
    assert_eq!(
        (a.covered, a.total, a.permille, a.meets, a.missing),
        (2, 4, 500, false, 2)
    );
    // B: S1 1/10 ✗, S2 approved program ✓, S4 1/20 ✗, S5 0/5 ✗ → 1/4 = 25%, 50% needs 2.
    let b = cell(SchoolLevel::Thcs, Track::B);
    assert_eq!(
        (b.covered, b.total, b.permille, b.meets, b.missing),
        (1, 4, 250, false, 1)
    );
    // THPT: only S5, nobody took part, its B program is still pending.
    let b = cell(SchoolLevel::Thpt, Track::B);
    assert_eq!((b.covered, b.total), (0, 1));

    let lacking = |school: i32, level: SchoolLevel, track: Track| {
        view.uncovered
            .iter()
            .find(|u| u.school_id == school && u.level == level && u.track == track)
            .map(|u| u.lacks.text(app::i18n::Locale::Vi))
            .unwrap_or_default()
    };
    assert_eq!(
        lacking(s4, SchoolLevel::Thcs, Track::A),
        "Cần thêm 1 học sinh tham gia"
    );
    assert_eq!(
        lacking(s4, SchoolLevel::Thcs, Track::B),
        "Cần thêm 3 học sinh tham gia"
    );
    assert!(lacking(s2, SchoolLevel::Thcs, Track::A).starts_with("Chưa có sĩ số"));
    assert_eq!(
        lacking(s5, SchoolLevel::Thpt, Track::B),
        "Cần thêm 1 học sinh tham gia (1 hoạt động trực tiếp đang chờ Sở duyệt)"
    );
    assert_eq!(
        view.uncovered_total, 7,
        "S1 B, S2 A, S4 A, S4 B, S5 THCS B, S5 THPT A and B"
    );
    assert!(
        view.uncovered.iter().all(|u| u.school_id != _s3),
        "a merged school is not listed"
    );
    // Groups: Phường Đông has S1 and S2; Xã Tây has S4 and S5.
    let dong = view
        .by_commune
        .iter()
        .find(|g| g.name == "Phường Đông")
        .unwrap();
    let a = dong
        .cells
        .iter()
        .find(|c| c.level == SchoolLevel::Thcs && c.track == Track::A)
        .unwrap();
    assert_eq!((a.covered, a.total), (1, 2));
    assert!(view.by_district.iter().any(|g| g.name == "Huyện cũ Hai"));
    // The trend has the year before (from the 31 August activity) and this one.
    assert_eq!(
        view.trend.iter().map(|y| y.school_year).collect::<Vec<_>>(),
        vec![2024, 2025]
    );

    // Before the merger (the report read on 15 January 2026), S3 still counts on its own.
    let before = report(db, &[SchoolLevel::Thcs], 2025, "2026-01-15").await;
    let a = before.summary.iter().find(|c| c.track == Track::A).unwrap();
    // S1 ✓, S2 ✗, S3 2/10 ✓, S4 1/10 ✗, S5 ✓ → 3/5.
    assert_eq!((a.covered, a.total), (3, 5));
}

#[tokio::test]
async fn a_rule_with_a_higher_threshold_changes_the_verdict_and_is_printed() {
    let app = spawn_app().await;
    let db = &app.db;
    hand_computed_province(db).await;
    let mut rule = app::domain::coverage::Rule::default_for(2025);
    rule.threshold_percent = 25;
    app::coverage::service::save_rule(db, &Actor::command_line(), rule)
        .await
        .unwrap()
        .unwrap();
    let view = report(db, &[SchoolLevel::Thcs], 2025, "2026-11-28").await;
    // At 25%: S1 needs 3 of 10 (has 2), S5 needs 2 of 5 (has 1) → no school covered in A.
    let a = view.summary.iter().find(|c| c.track == Track::A).unwrap();
    assert_eq!((a.covered, a.total), (0, 4));
    assert!(view.rule.text.contains("ít nhất 25%"));
    // Overlapping years are refused, naming the other year.
    let mut next = app::domain::coverage::Rule::default_for(2026);
    next.starts_on = "2026-08-15".into();
    let refused = app::coverage::service::save_rule(db, &Actor::command_line(), next)
        .await
        .unwrap()
        .unwrap_err();
    assert!(refused.contains("2025–2026"), "{refused}");
}

async fn practice_scores(app: &TestApp, scope: &str, right: bool) -> String {
    use app::entities::{attempt_item, question_revision};
    use sea_orm::QueryOrder;
    let attempt = app.start_practice(scope).await;
    let items = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(attempt.clone()))
        .order_by_asc(attempt_item::Column::Position)
        .all(&app.db)
        .await
        .unwrap();
    for item in items {
        let revision = question_revision::Entity::find_by_id(item.revision_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let key: Vec<usize> = serde_json::from_str(&revision.correct_json).unwrap();
        let options: Vec<serde_json::Value> = serde_json::from_str(&revision.options_json).unwrap();
        let chosen: Vec<usize> = if right {
            key
        } else {
            (0..options.len())
                .filter(|o| !key.contains(o))
                .take(1)
                .collect()
        };
        let mut active: attempt_item::ActiveModel = item.into();
        active.chosen = Set(Some(serde_json::to_string(&chosen).unwrap()));
        active.update(&app.db).await.unwrap();
    }
    let (_, html) = app.get(&format!("/luyen-tap/{attempt}/nop-bai")).await;
    let action = khien_so_tests::form_action(&html, "submit_attempt");
    let (status, _) = app.post_form(&action, &[("attempt", &attempt)]).await;
    assert_eq!(status, 302);
    attempt
}

#[tokio::test]
async fn a_passed_lesson_quiz_makes_a_participant_and_a_failed_one_does_not() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    assert_eq!(
        app.login("hocsinh", TEST_PASSWORD).await.as_deref(),
        Some("/tai-khoan")
    );
    let topic_a = app::entities::topic::Entity::find()
        .filter(app::entities::topic::Column::Track.eq("A"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let topic_b = app::entities::topic::Entity::find()
        .filter(app::entities::topic::Column::Track.eq("B"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    practice_scores(&app, &format!("topic:{}", topic_b.slug), false).await;
    // A whole-track practice is not a lesson quiz: it does not count either.
    practice_scores(&app, "track:A", true).await;
    let rows = participation::Entity::find()
        .filter(participation::Column::AccountId.eq(people.pupil))
        .all(&app.db)
        .await
        .unwrap();
    assert!(rows.is_empty(), "{rows:?}");
    practice_scores(&app, &format!("topic:{}", topic_a.slug), true).await;
    let rows = participation::Entity::find()
        .filter(participation::Column::AccountId.eq(people.pupil))
        .filter(participation::Column::Track.eq("A"))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert_eq!(
        (
            row.school_id,
            row.level.as_str(),
            row.class_id,
            row.via.as_str(),
            row.school_year
        ),
        (
            people.school_a,
            "THCS",
            Some(people.class_a),
            "lesson",
            app::clock::current_school_year()
        )
    );
    // The school's dashboard counts the pupil in class 8A, track A.
    let teacher = other_browser(&app);
    teacher.login("giaovien", TEST_PASSWORD).await;
    let (status, html) = teacher
        .get(&format!("/truong/{}/tham-gia", people.school_a))
        .await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Cần thêm 79 học sinh tham gia"),
        "400 enrolled, 20% is 80"
    );
    assert!(html.contains("Học sinh chưa tham gia"));
}

#[tokio::test]
async fn a_contest_attempt_makes_its_pupil_a_participant_in_its_questions_tracks() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let round = khien_so_tests::open_round(&app.db).await;
    app.login("hocsinh", TEST_PASSWORD).await;
    let (status, location) = app
        .post_form(
            &khien_so_tests::server_fn_url("enter_round"),
            &[("round_id", &round.to_string()), ("prediction", "3")],
        )
        .await;
    assert_eq!(status, 302, "{location:?}");
    let attempt = location
        .unwrap()
        .strip_prefix("/luyen-tap/")
        .and_then(|r| r.strip_suffix("/cau/1"))
        .unwrap()
        .to_owned();
    let (_, html) = app.get(&format!("/luyen-tap/{attempt}/nop-bai")).await;
    let action = khien_so_tests::form_action(&html, "submit_attempt");
    app.post_form(&action, &[("attempt", &attempt)]).await;
    let rows = participation::Entity::find()
        .filter(participation::Column::AccountId.eq(people.pupil))
        .filter(participation::Column::Track.is_in(["A", "B"]))
        .all(&app.db)
        .await
        .unwrap();
    assert!(
        !rows.is_empty(),
        "a submitted contest attempt counts, whatever the score"
    );
    assert!(
        rows.iter()
            .all(|r| r.via == "contest" && r.school_id == people.school_a)
    );
}

#[tokio::test]
async fn only_the_department_communes_and_administrators_see_the_province_report() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    for (user, status) in [
        ("hocsinh", 403),
        ("giaovien", 403),
        ("btc", 403),
        ("so.gddt", 200),
        ("canbo.xa", 200),
        ("quantri", 200),
    ] {
        let browser = other_browser(&app);
        browser.login(user, TEST_PASSWORD).await;
        let (got, html) = browser.get("/bao-cao").await;
        assert_eq!(got, status, "{user}");
        let (file_status, _) = browser.get("/bao-cao/xuat/phu-song-2026.xlsx").await;
        assert_eq!(file_status, status, "{user} export");
        if status == 200 {
            assert!(html.contains("<svg"), "a chart");
            assert!(html.contains("role=\"img\""));
        }
    }
    let (status, _) = other_browser(&app).get("/bao-cao").await;
    assert_eq!(status, 401);
    // The commune sees its own schools only: school A (Phường Thử Nghiệm), not school B.
    let commune = other_browser(&app);
    commune.login("canbo.xa", TEST_PASSWORD).await;
    let (_, html) = commune.get("/bao-cao?cap=THCS").await;
    assert!(html.contains("Trường THCS Thử Nghiệm A"));
    assert!(!html.contains("Trường THPT Thử Nghiệm B"));
    // The department's CSV has a row per school and level.
    let department = other_browser(&app);
    department.login("quantri", TEST_PASSWORD).await;
    let year = app::clock::current_school_year();
    let response = department
        .client
        .get(format!("{}/bao-cao/xuat/phu-song-{year}.csv", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let csv = response.text().await.unwrap();
    assert!(csv.contains("TA-01") && csv.contains("TB-02"), "{csv}");
    let (status, html) = department.get(&format!("/bao-cao/in?nam={year}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("BÁO CÁO"));
    assert!(html.contains("Kết quả thực hiện tuyên truyền"));
    let this_year = &app::clock::vietnam_date(app::clock::now_ms())[..4];
    assert!(
        html.contains(&format!("tháng …… năm {this_year}")),
        "dated in the year it is printed"
    );
}

#[tokio::test]
async fn a_teacher_logs_an_offline_program_and_the_department_approves_it() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let teacher = other_browser(&app);
    teacher.login("giaovien", TEST_PASSWORD).await;
    let post = |browser: &TestApp, fields: Vec<(&'static str, String)>, file: Option<Vec<u8>>| {
        let mut form = reqwest::multipart::Form::new();
        for (name, value) in fields {
            form = form.text(name, value);
        }
        if let Some(bytes) = file {
            form = form.part(
                "file",
                reqwest::multipart::Part::bytes(bytes).file_name("biên bản.pdf"),
            );
        }
        browser
            .client
            .post(format!(
                "{}/truong/{}/chuong-trinh",
                browser.address, people.school_a
            ))
            .header("origin", browser.address.clone())
            .multipart(form)
            .send()
    };
    let today = app::clock::vietnam_date(app::clock::now_ms());
    let fields = |participants: &str| {
        vec![
            ("track", "B".to_owned()),
            ("level", "THCS".to_owned()),
            ("title", "Ngoại khóa: nhận diện tin giả".to_owned()),
            ("held_on", today.clone()),
            ("participants", participants.to_owned()),
            ("evidence_url", String::new()),
        ]
    };
    // A bad number: the form comes back with the error and what was typed.
    let response = post(&teacher, fields("nhiều"), Some(b"%PDF-1.7 test".to_vec()))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, html) = teacher.get(&location).await;
    assert!(
        html.contains("Số người tham gia “nhiều” không hợp lệ"),
        "{location}"
    );
    assert!(
        html.contains("Ngoại khóa: nhận diện tin giả"),
        "the title is kept"
    );
    assert_eq!(
        offline_program::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        0
    );
    // A pupil may not post one; nor may another site.
    let pupil = other_browser(&app);
    pupil.login("hocsinh", TEST_PASSWORD).await;
    let response = post(&pupil, fields("30"), Some(b"%PDF-1.7".to_vec()))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let response = teacher
        .client
        .post(format!(
            "{}/truong/{}/chuong-trinh",
            app.address, people.school_a
        ))
        .header("origin", "https://evil.example")
        .multipart(reqwest::multipart::Form::new().text("track", "B"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    // The real one.
    let response = post(&teacher, fields("320"), Some(b"%PDF-1.7 test".to_vec()))
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let programs = offline_program::Entity::find().all(&app.db).await.unwrap();
    assert_eq!(programs.len(), 1);
    let id = programs[0].id;
    assert_eq!(programs[0].status, "cho-duyet");
    // The evidence: the school's staff and the department may download it; another school's
    // teacher may not.
    let (status, _) = teacher.get(&format!("/chuong-trinh/{id}/minh-chung")).await;
    assert_eq!(status, 200);
    let other_teacher = other_browser(&app);
    other_teacher.login("giaovien.b", TEST_PASSWORD).await;
    let (status, _) = other_teacher
        .get(&format!("/chuong-trinh/{id}/minh-chung"))
        .await;
    assert_eq!(status, 403);
    // Pending: the school is not covered in B yet.
    let department = other_browser(&app);
    department.login("so.gddt", TEST_PASSWORD).await;
    let (_, html) = department.get("/bao-cao/chuong-trinh").await;
    assert!(html.contains("Ngoại khóa: nhận diện tin giả"));
    // A rejection needs a reason.
    let (status, location) = department
        .submit(
            "/bao-cao/chuong-trinh",
            "decide_program",
            &[
                ("program_id", &id.to_string()),
                ("decision", "tu-choi"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let (_, html) = department.get(&location.unwrap()).await;
    assert!(html.contains("cần ghi lý do"));
    let (status, _) = department
        .submit(
            "/bao-cao/chuong-trinh",
            "decide_program",
            &[
                ("program_id", &id.to_string()),
                ("decision", "duyet"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let program = offline_program::Entity::find_by_id(id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(program.status, "da-duyet");
    // Approved: school A counts in B at THCS.
    let view = report(
        &app.db,
        &[SchoolLevel::Thcs],
        app::clock::current_school_year(),
        &today,
    )
    .await;
    let b = view.summary.iter().find(|c| c.track == Track::B).unwrap();
    assert_eq!((b.covered, b.total), (1, 1));
    // Both steps are in the audit log.
    let actions: Vec<String> = audit_log::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .into_iter()
        .map(|a| a.action)
        .collect();
    assert!(actions.contains(&"chuong-trinh.gui".to_owned()));
    assert!(actions.contains(&"chuong-trinh.duyet".to_owned()));
}

#[tokio::test]
async fn pupils_names_are_for_the_schools_staff_only() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let path = format!("/truong/{}/tham-gia", people.school_a);
    let teacher = other_browser(&app);
    teacher.login("giaovien", TEST_PASSWORD).await;
    let (_, html) = teacher.get(&path).await;
    assert!(
        html.contains("Người Thử hocsinh"),
        "the teacher sees who has not taken part"
    );
    for user in ["canbo.xa", "so.gddt"] {
        let browser = other_browser(&app);
        browser.login(user, TEST_PASSWORD).await;
        let (status, html) = browser.get(&path).await;
        assert_eq!(status, 200, "{user} reads the school's figures");
        assert!(
            !html.contains("Người Thử hocsinh"),
            "{user} does not see names"
        );
    }
    let pupil = other_browser(&app);
    pupil.login("hocsinh", TEST_PASSWORD).await;
    let (status, _) = pupil.get(&path).await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn the_demo_gives_the_dashboards_figures_for_two_years() {
    let app = spawn_app().await;
    let school_year = seed_demo_province(&app.db, 2).await;
    let now = app::clock::now_ms();
    let records = app::coverage::service::seed_demo_participation(&app.db, school_year, now)
        .await
        .unwrap()
        .unwrap();
    assert!(records > 100, "{records}");
    assert!(
        app::coverage::service::seed_demo_participation(&app.db, school_year, now)
            .await
            .unwrap()
            .is_none(),
        "seeding twice adds nothing"
    );
    // The tallies match the records, as if each had been recorded one by one.
    let tallies: i32 = participation_tally::Entity::find()
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|t| t.participants)
        .sum();
    assert_eq!(tallies as usize, records);
    let view = report(
        &app.db,
        &[SchoolLevel::Thcs, SchoolLevel::Thpt],
        school_year,
        &app::clock::vietnam_date(now),
    )
    .await;
    let thcs_a = view
        .summary
        .iter()
        .find(|c| c.level == SchoolLevel::Thcs && c.track == Track::A)
        .unwrap();
    assert!(
        thcs_a.total >= 166,
        "the whole directory is the denominator (a THCS school in every commune at least): {}",
        thcs_a.total
    );
    assert_eq!(view.trend.len(), 2);
    assert_eq!(view.pending_programs, 1);
}

#[tokio::test]
async fn every_figure_is_rounded_half_up_adds_up_and_says_what_it_counts() {
    use calamine::{Data, Reader, Xlsx};
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let year = app::clock::current_school_year();
    let now = app::clock::now_ms();
    // School A (THCS, 400 enrolled): 3 pupils took part in track A this year, 2 in track B last
    // year; none of them in a class when they took part.
    for n in 0..5 {
        let pupil = khien_so_tests::pupil_account(
            &app.db,
            &format!("hs.figures.{n}"),
            &format!("Học Sinh Số {n}"),
            people.school_a,
            None,
        )
        .await;
        let (track, in_year) = if n < 3 {
            (Track::A, year)
        } else {
            (Track::B, year - 1)
        };
        app::coverage::service::record_in_year(&app.db, pupil, &[track], "lesson", now, in_year)
            .await
            .unwrap();
    }
    let principal = other_browser(&app);
    principal.login("hieutruong", TEST_PASSWORD).await;
    let (status, html) = principal
        .get(&format!("/truong/{}/tham-gia", people.school_a))
        .await;
    assert_eq!(status, 200);
    // 3/400 = 0,75% → 0,8% (rounded half up; cut it would read 0,7%).
    assert!(html.contains("<td>0,8%</td>"), "{html}");
    assert!(!html.contains("0,7%"));
    // By grade: the five participants are in no class; the row says so and the grades add up
    // to the totals (3 in A this year, 2 in B last year).
    assert!(
        html.contains("<th scope=\"row\">Không thuộc lớp nào khi tham gia</th><td>3</td><td>0</td><td>0</td><td>2</td>"),
        "{html}"
    );
    let last_label = app::i18n::school_year_label(year - 1);
    assert!(
        html.contains(&format!("Tham gia {last_label}")),
        "columns name the years"
    );
    // A past year is not "everyone took part": the list of pupils yet to take part is only for
    // the current year.
    let (_, past) = principal
        .get(&format!(
            "/truong/{}/tham-gia?nam={}",
            people.school_a,
            year - 1
        ))
        .await;
    assert!(!past.contains("Mọi học sinh đã tham gia"), "{past}");
    assert!(!past.contains("năm nay"));

    // The department's dashboard counts schools, and says what else it counts: schools A and B
    // are each uncovered in both tracks at their one level.
    let department = other_browser(&app);
    department.login("quantri", TEST_PASSWORD).await;
    let (_, dashboard_html) = department.get("/bao-cao").await;
    assert!(
        dashboard_html.contains("Trường chưa đạt: 2 trường"),
        "{dashboard_html}"
    );
    assert!(dashboard_html.contains("4 lượt trường × cấp học × mạch chưa đạt"));

    // The XLSX export carries numbers: enrolment, participants and the rate as a percentage.
    let bytes = department
        .client
        .get(format!("{}/bao-cao/xuat/phu-song-{year}.xlsx", app.address))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let sheet = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&sheet).unwrap();
    let header: Vec<String> = (0..range.width())
        .map(|c| range.get((0, c)).map(|d| d.to_string()).unwrap_or_default())
        .collect();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let row = (1..range.height())
        .find(|r| range.get((*r, 0)) == Some(&Data::String("TA-01".into())))
        .unwrap();
    assert_eq!(range.get((row, column("Sĩ số"))), Some(&Data::Float(400.0)));
    assert_eq!(
        range.get((row, column("Mạch A: số HS tham gia"))),
        Some(&Data::Float(3.0))
    );
    assert_eq!(
        range.get((row, column("Mạch A: tỷ lệ"))),
        Some(&Data::Float(0.008))
    );

    // An offline program with more participants than the school's pupils at that level.
    let teacher = other_browser(&app);
    teacher.login("giaovien", TEST_PASSWORD).await;
    let form = reqwest::multipart::Form::new()
        .text("track", "A")
        .text("level", "THCS")
        .text("title", "Ngoại khóa an toàn trên mạng")
        .text("held_on", app::clock::vietnam_date(now))
        .text("participants", "5000")
        .text("evidence_url", "https://truong.example/bai-dang");
    let response = teacher
        .client
        .post(format!(
            "{}/truong/{}/chuong-trinh",
            app.address, people.school_a
        ))
        .header("origin", app.address.clone())
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = teacher.get(&location).await;
    assert!(
        page.contains("Số người tham gia (5000) nhiều hơn sĩ số của trường ở cấp học đã chọn"),
        "{page}"
    );
    assert!(page.contains("(400 học sinh)"), "{page}");
    assert_eq!(
        offline_program::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        0,
        "nothing was written"
    );
}

#[tokio::test]
async fn the_report_cites_the_plan_recorded_for_its_school_year() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let department = other_browser(&app);
    department.login("quantri", TEST_PASSWORD).await;
    let year = app::clock::current_school_year();
    // 2024–2025 is within the 2021–2025 plan; a later year has no basis until one is recorded.
    let (_, old) = department.get("/bao-cao/in?nam=2024").await;
    assert!(
        old.contains("giai đoạn 2021–2025, Sở Giáo dục và Đào tạo báo cáo"),
        "{old}"
    );
    let (_, current) = department.get(&format!("/bao-cao/in?nam={year}")).await;
    assert!(
        current.contains("chưa ghi văn bản làm căn cứ cho năm học này"),
        "{current}"
    );
    assert!(!current.contains("giai đoạn 2021–2025, Sở"));
    let (status, location) = department
        .submit(
            &format!("/bao-cao/quy-tac?nam={year}"),
            "save_coverage_rule",
            &[
                ("school_year", &year.to_string()),
                ("starts_on", &format!("{year}-09-01")),
                ("ends_on", &format!("{}-08-31", year + 1)),
                ("threshold_percent", "20"),
                ("pass_percent", "70"),
                ("target_a_percent", "80"),
                ("target_a_strict", "1"),
                ("target_b_percent", "50"),
                ("basis", "Kế hoạch thử nghiệm của bộ kiểm thử"),
            ],
        )
        .await;
    assert_eq!(status, 302, "{location:?}");
    assert!(location.unwrap().contains("xong=1"));
    let (_, current) = department.get(&format!("/bao-cao/in?nam={year}")).await;
    assert!(
        current.contains(
            "Thực hiện Kế hoạch thử nghiệm của bộ kiểm thử, Sở Giáo dục và Đào tạo báo cáo"
        ),
        "{current}"
    );
}
