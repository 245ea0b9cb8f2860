//! Contest rounds over real HTTP: the committee sets them up with forms, pupils start, resume and
//! answer within the server's deadline; late answers, ineligible pupils and used-up attempts are
//! refused.

use app::clock::format_vietnam_input;
use app::contests::service::{ContestSettings, RoundSettings};
use app::domain::contest::{DrawRule, Eligibility};
use app::entities::{attempt, attempt_item, contest_entry};
use app::schools::people::Actor;
use khien_so_tests::{
    TEST_PASSWORD, TestApp, account_with_grant, hold_writes, metric, metric_reaches, other_browser,
    seed_people, server_fn_url, spawn_app,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

fn now() -> i64 {
    app::clock::now_ms()
}

/// A contest with one round open now, made through the services.
async fn open_round(app: &TestApp, levels: &[&str], attempts: i32, review_at_once: bool) -> i32 {
    let actor = Actor::command_line();
    let contest = app::contests::service::create_contest(
        &app.db,
        &actor,
        ContestSettings {
            title: "Khiên Số thử nghiệm".to_owned(),
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
    app::contests::service::add_round(
        &app.db,
        &actor,
        contest,
        RoundSettings {
            name: "Vòng 1".to_owned(),
            opens_at: now() - 60_000,
            closes_at: now() + 3_600_000,
            time_allowed_ms: 20 * 60_000,
            attempts_allowed: attempts,
            rules: vec![DrawRule {
                track: Some("A".to_owned()),
                topic: None,
                difficulty: None,
                count: 5,
            }],
            eligibility: Eligibility {
                levels: levels.iter().map(|l| (*l).to_owned()).collect(),
                school_ids: vec![],
                commune_ids: vec![],
            },
            prediction_question: Some("Bao nhiêu bạn đạt điểm tối đa?".to_owned()),
            review_at_once,
        },
    )
    .await
    .unwrap()
    .unwrap()
}

async fn start(pupil: &TestApp, round: i32, prediction: &str) -> String {
    pupil
        .post_form(
            &server_fn_url("enter_round"),
            &[("round_id", &round.to_string()), ("prediction", prediction)],
        )
        .await
        .1
        .unwrap_or_default()
}

fn attempt_of(location: &str) -> String {
    location
        .trim_start_matches("/luyen-tap/")
        .trim_end_matches("/cau/1")
        .to_owned()
}

#[tokio::test]
async fn the_committee_sets_up_a_round_with_forms_and_a_bad_one_is_explained() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    app.login("btc", TEST_PASSWORD).await;
    let (_, location) = app
        .submit(
            "/cuoc-thi/quan-ly",
            "create_contest",
            &[
                ("title", "Khiên Số 2026"),
                ("description", "Cuộc thi thử"),
                ("counted_attempt", "cao-nhat"),
                ("prize_first", "1"),
                ("prize_second", "2"),
                ("prize_third", "3"),
                ("prize_consolation", "4"),
            ],
        )
        .await;
    let location = location.unwrap();
    let contest_id: i32 = location
        .rsplit("cuoc-thi-")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let stored = app::entities::contest::Entity::find_by_id(contest_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.ranking_order, "diem,du-doan,thoi-gian,nop-luc",
        "the default order"
    );
    let (_, location) = app
        .submit(
            "/cuoc-thi/quan-ly",
            "create_contest",
            &[
                ("title", "Thứ tự khác"),
                ("description", ""),
                ("counted_attempt", "lan-dau"),
                ("tie_break_1", "thoi-gian"),
                ("tie_break_2", "thoi-gian"),
            ],
        )
        .await;
    let location = location.unwrap_or_default();
    assert!(
        location.starts_with("/cuoc-thi/quan-ly?loi=thu-tu&"),
        "{location}"
    );
    let (_, location) = app
        .submit(
            "/cuoc-thi/quan-ly",
            "create_contest",
            &[
                ("title", "Thứ tự khác"),
                ("description", ""),
                ("counted_attempt", "lan-dau"),
                ("prize_min_score", "3"),
                ("tie_break_1", "thoi-gian"),
                ("tie_break_2", ""),
                ("tie_break_3", "nop-luc"),
            ],
        )
        .await;
    let other: i32 = location
        .unwrap()
        .rsplit("cuoc-thi-")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let stored = app::entities::contest::Entity::find_by_id(other)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.ranking_order, "diem,thoi-gian,nop-luc");
    assert_eq!(stored.counted_attempt, "lan-dau");
    assert_eq!(stored.prize_min_score, Some(3));

    let opens = format_vietnam_input(now() - 60_000);
    let closes = format_vietnam_input(now() + 3_600_000);
    let round = |opens: String, closes: String, count: &'static str| {
        let app = &app;
        async move {
            app.submit(
                "/cuoc-thi/quan-ly",
                "add_round",
                &[
                    ("contest_id", &contest_id.to_string()),
                    ("name", "Vòng 1"),
                    ("opens_at", &opens),
                    ("closes_at", &closes),
                    ("minutes", "20"),
                    ("attempts", "1"),
                    ("review", "sau-vong"),
                    ("prediction_question", ""),
                    ("track_1", "A"),
                    ("topic_1", ""),
                    ("difficulty_1", ""),
                    ("count_1", count),
                ],
            )
            .await
            .1
            .unwrap()
        }
    };
    let only_school = |codes: &'static str| {
        let app = &app;
        let (opens, closes) = (opens.clone(), closes.clone());
        async move {
            app.submit(
                "/cuoc-thi/quan-ly",
                "add_round",
                &[
                    ("contest_id", &contest_id.to_string()),
                    ("name", "Vòng riêng"),
                    ("opens_at", &opens),
                    ("closes_at", &closes),
                    ("minutes", "20"),
                    ("attempts", "1"),
                    ("review", "ngay"),
                    ("count_1", "5"),
                    ("school_codes", codes),
                ],
            )
            .await
            .1
            .unwrap()
        }
    };
    let (_, html) = app.get(&only_school("TB-02, KHONG-CO").await).await;
    assert!(
        html.contains("Không có trường mã “KHONG-CO” trong danh mục."),
        "the unknown code is named"
    );
    assert!(only_school("TB-02").await.contains("xong=tao-vong"));
    let refused = round(closes.clone(), opens.clone(), "5").await;
    assert!(refused.contains("loi-vong="), "{refused}");
    let (_, html) = app.get(&refused).await;
    assert!(
        html.contains("Giờ đóng vòng thi phải sau giờ mở."),
        "explained on the page"
    );
    let refused = round(opens.clone(), closes.clone(), "900").await;
    let (_, html) = app.get(&refused).await;
    assert!(
        html.contains("Quy tắc 1"),
        "the draw that cannot be filled is named"
    );
    // A rule on a topic names the topic as the committee knows it, not by its slug.
    let (_, location) = app
        .submit(
            "/cuoc-thi/quan-ly",
            "add_round",
            &[
                ("contest_id", &contest_id.to_string()),
                ("name", "Vòng chủ đề"),
                ("opens_at", &opens),
                ("closes_at", &closes),
                ("minutes", "20"),
                ("attempts", "1"),
                ("review", "ngay"),
                ("topic_1", "tim-kiem-anh-nguoc"),
                ("count_1", "900"),
            ],
        )
        .await;
    let (_, html) = app.get(&location.unwrap()).await;
    assert!(
        html.contains("chủ đề “Tìm kiếm ngược bằng hình ảnh”"),
        "{html}"
    );
    assert!(!html.contains("“tim-kiem-anh-nguoc”"));
    let made = round(opens, closes, "5").await;
    assert!(made.contains("xong=tao-vong"), "{made}");

    let pupil = other_browser(&app);
    let (_, html) = pupil.get("/cuoc-thi").await;
    assert!(html.contains("Vòng 1 · Khiên Số 2026") && html.contains("Đang mở"));
    assert!(!html.contains("enter_round"), "visitors cannot start");
    pupil.login("hocsinh", TEST_PASSWORD).await;
    let (_, html) = pupil.get("/cuoc-thi").await;
    assert!(html.contains("enter_round"), "the pupil can start");
    assert!(
        html.contains("Vòng này không dành cho em."),
        "the round for school B only is listed but closed to a pupil of school A"
    );
    assert_eq!(pupil.get("/cuoc-thi/quan-ly").await.0, 403);
}

#[tokio::test]
async fn an_attempt_resumes_on_another_device_and_answers_after_the_deadline_are_refused() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let round = open_round(&app, &[], 1, false).await;
    let phone = other_browser(&app);
    phone.login("hocsinh", TEST_PASSWORD).await;
    let location = start(&phone, round, "12").await;
    assert!(location.ends_with("/cau/1"), "{location}");
    let attempt_id = attempt_of(&location);
    let (_, html) = phone.get(&location).await;
    assert!(html.contains("Còn lại:"), "the server's time left is shown");

    // Another device (or tab) gets the same attempt, not a second one.
    let laptop = other_browser(&app);
    laptop.login("hocsinh", TEST_PASSWORD).await;
    assert_eq!(attempt_of(&start(&laptop, round, "").await), attempt_id);
    let entry = contest_entry::Entity::find_by_id(attempt_id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.prediction, Some(12));
    assert_eq!(entry.school_id, Some(people.school_a));
    assert_eq!(entry.class_name.as_deref(), Some("8A"));

    let action = phone
        .action_on(&format!("/luyen-tap/{attempt_id}/cau/1"), "answer_question")
        .await;
    phone
        .post_form(
            &action,
            &[
                ("attempt", &attempt_id),
                ("position", "1"),
                ("choice[0]", "0"),
            ],
        )
        .await;
    let saved = attempt_item::Entity::find_by_id((attempt_id.clone(), 1))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(saved.chosen.is_some(), "saved before the deadline");

    // The deadline passes (moved into the past, beyond the grace period).
    contest_entry::Entity::update_many()
        .col_expr(
            contest_entry::Column::DeadlineAt,
            sea_orm::sea_query::Expr::value(now() - 60_000),
        )
        .filter(contest_entry::Column::AttemptId.eq(attempt_id.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    laptop
        .post_form(
            &action,
            &[
                ("attempt", &attempt_id),
                ("position", "2"),
                ("choice[0]", "0"),
            ],
        )
        .await;
    let late = attempt_item::Entity::find_by_id((attempt_id.clone(), 2))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(late.chosen.is_none(), "a late answer is not saved");
    let submitted = attempt::Entity::find_by_id(attempt_id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        submitted.submitted_at.is_some(),
        "submitted at the deadline"
    );
    let entry = contest_entry::Entity::find_by_id(attempt_id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(entry.open_key, None, "no longer the open attempt");

    // Review only after the round closes: the result shows the score, no keys yet.
    let (status, html) = phone.get(&format!("/luyen-tap/{attempt_id}/ket-qua")).await;
    assert_eq!(status, 200);
    assert!(html.contains("công bố khi vòng thi đóng"), "{html}");
    assert!(
        !html.contains("result-list\"><li"),
        "no reviewed questions yet"
    );

    // One attempt allowed, and it is used.
    assert_eq!(start(&phone, round, "").await, "/cuoc-thi?loi=het-luot");
}

#[tokio::test]
async fn a_round_for_other_levels_refuses_the_pupil_and_an_expired_attempt_is_submitted_by_the_sweep()
 {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let thpt_only = open_round(&app, &["THPT"], 1, true).await;
    let pupil = other_browser(&app);
    pupil.login("hocsinh", TEST_PASSWORD).await;
    assert_eq!(
        start(&pupil, thpt_only, "").await,
        "/cuoc-thi?loi=khong-thuoc",
        "a THCS pupil cannot enter a THPT round"
    );

    let everyone = open_round(&app, &["THCS"], 2, true).await;
    let attempt_id = attempt_of(&start(&pupil, everyone, "").await);
    contest_entry::Entity::update_many()
        .col_expr(
            contest_entry::Column::DeadlineAt,
            sea_orm::sea_query::Expr::value(now() - 60_000),
        )
        .filter(contest_entry::Column::AttemptId.eq(attempt_id.clone()))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(
        app::attempt::submit::submit_expired(&app.db, now())
            .await
            .unwrap(),
        1
    );
    let attempt = attempt::Entity::find_by_id(attempt_id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        attempt.score,
        Some(0),
        "marked with what was saved (nothing)"
    );
    // A second attempt is allowed and is a new one; review right after submitting.
    let second = attempt_of(&start(&pupil, everyone, "").await);
    assert_ne!(second, attempt_id);
    let (_, html) = pupil.get(&format!("/luyen-tap/{attempt_id}/ket-qua")).await;
    assert!(
        !html.contains("công bố khi vòng thi đóng"),
        "review at once"
    );
    assert_eq!(
        contest_entry::Entity::find()
            .filter(contest_entry::Column::RoundId.eq(everyone))
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        2
    );
}

/// Another pupil of school A, class 8A; returns their signed-in browser.
async fn pupil_in_8a(
    app: &TestApp,
    people: &khien_so_tests::People,
    username: &str,
    name: &str,
) -> TestApp {
    khien_so_tests::pupil_account(
        &app.db,
        username,
        name,
        people.school_a,
        Some(people.class_a),
    )
    .await;
    let browser = other_browser(app);
    browser.login(username, TEST_PASSWORD).await;
    browser
}

#[tokio::test]
async fn published_results_rank_by_score_then_time_with_masked_names_and_verifiable_certificates() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let round = open_round(&app, &[], 1, true).await;
    let an = pupil_in_8a(&app, &people, "an.nv", "Nguyễn Văn An").await;
    let binh = pupil_in_8a(&app, &people, "binh.tt", "Trần Thị Bình").await;
    let chi = other_browser(&app);
    chi.login("hocsinh", TEST_PASSWORD).await;
    // Scores and times set straight in the database: An 3/5 in 60 s, Bình 5/5 in 120 s,
    // "Người Thử hocsinh" 5/5 in 90 s → hocsinh first (same score, less time), Bình, An.
    let started = now() - 600_000;
    for (browser, score, seconds) in [(&an, 3, 60), (&binh, 5, 120), (&chi, 5, 90)] {
        let id = attempt_of(&start(browser, round, "").await);
        attempt::Entity::update_many()
            .col_expr(
                attempt::Column::StartedAt,
                sea_orm::sea_query::Expr::value(started),
            )
            .col_expr(
                attempt::Column::SubmittedAt,
                sea_orm::sea_query::Expr::value(Some(started + seconds * 1000)),
            )
            .col_expr(
                attempt::Column::Score,
                sea_orm::sea_query::Expr::value(Some(score)),
            )
            .filter(attempt::Column::Id.eq(id.clone()))
            .exec(&app.db)
            .await
            .unwrap();
        app::entities::contest_entry::Entity::update_many()
            .col_expr(
                app::entities::contest_entry::Column::OpenKey,
                sea_orm::sea_query::Expr::value(Option::<String>::None),
            )
            .filter(app::entities::contest_entry::Column::AttemptId.eq(id.clone()))
            .exec(&app.db)
            .await
            .unwrap();
    }
    // A second THCS school of the same phường, 700 pupils, where nobody took part: the phường's
    // rate divides by both schools' enrolment (400 + 700), not only by the school that took part.
    let school_a = app::entities::school::Entity::find_by_id(people.school_a)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let contest_year = app::entities::contest::Entity::find()
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .school_year;
    let quiet = app::entities::school::ActiveModel {
        code: sea_orm::Set("TC-03".into()),
        name: sea_orm::Set("Trường THCS Thử Nghiệm C".into()),
        levels: sea_orm::Set("THCS".into()),
        ownership: sea_orm::Set(school_a.ownership.clone()),
        commune_id: sea_orm::Set(school_a.commune_id),
        former_district: sea_orm::Set(school_a.former_district.clone()),
        overseeing_body: sea_orm::Set(school_a.overseeing_body.clone()),
        valid_from: sea_orm::Set(None),
        valid_to: sea_orm::Set(None),
        merged_into: sea_orm::Set(None),
        created_at: sea_orm::Set(now()),
        updated_at: sea_orm::Set(now()),
        ..Default::default()
    };
    let quiet = sea_orm::ActiveModelTrait::insert(quiet, &app.db)
        .await
        .unwrap();
    sea_orm::ActiveModelTrait::insert(
        app::entities::school_enrolment::ActiveModel {
            school_id: sea_orm::Set(quiet.id),
            school_year: sea_orm::Set(contest_year),
            level: sea_orm::Set("THCS".into()),
            pupils: sea_orm::Set(700),
            ..Default::default()
        },
        &app.db,
    )
    .await
    .unwrap();
    let committee = other_browser(&app);
    committee.login("btc", TEST_PASSWORD).await;
    let results = format!("/cuoc-thi/vong/{round}/ket-qua");
    let (_, html) = committee.get(&results).await;
    assert!(html.contains("Kết quả tạm thời"), "provisional while open");
    assert!(
        !html.contains("publish_results"),
        "no publish form while the round is open"
    );
    let (_, location) = committee
        .post_form(
            &server_fn_url("publish_results"),
            &[("round_id", &round.to_string())],
        )
        .await;
    assert_eq!(
        location,
        Some(format!("{results}?loi=chua-dong")),
        "refused by the server too"
    );
    // The round closes.
    app::entities::contest_round::Entity::update_many()
        .col_expr(
            app::entities::contest_round::Column::ClosesAt,
            sea_orm::sea_query::Expr::value(now() - 1_000),
        )
        .filter(app::entities::contest_round::Column::Id.eq(round))
        .exec(&app.db)
        .await
        .unwrap();
    let (_, location) = committee
        .submit(
            &results,
            "publish_results",
            &[("round_id", &round.to_string())],
        )
        .await;
    assert_eq!(location, Some(format!("{results}?xong=cong-bo")));
    let (_, location) = committee
        .post_form(
            &server_fn_url("publish_results"),
            &[("round_id", &round.to_string())],
        )
        .await;
    assert_eq!(
        location,
        Some(format!("{results}?loi=da-cong-bo")),
        "once only"
    );

    let csv = committee
        .client
        .get(format!("{}{results}.csv", app.address))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[1].starts_with("1,Giải Nhất,Người Thử hocsinh"),
        "{csv}"
    );
    assert!(lines[2].starts_with("2,Giải Nhì,Trần Thị Bình"), "{csv}");
    assert!(lines[3].starts_with("3,Giải Ba,Nguyễn Văn An"), "{csv}");

    let (status, analysis) = committee
        .get(&format!("/cuoc-thi/vong/{round}/phan-tich"))
        .await;
    assert_eq!(status, 200);
    assert!(analysis.contains("3 bài đã nộp"), "{analysis}");
    assert!(
        analysis.contains("bỏ trống: 100%"),
        "nothing was answered in these attempts"
    );

    let visitor = other_browser(&app);
    let (status, board) = visitor
        .get(&format!("/cuoc-thi/vong/{round}/bang-xep-hang"))
        .await;
    assert_eq!(status, 200);
    assert!(
        board.contains("Trần T. B · 8A · Trường THCS Thử Nghiệm A"),
        "{board}"
    );
    assert!(!board.contains("Trần Thị Bình"), "full names never public");
    assert!(board.contains("Trường THCS Thử Nghiệm A") && board.contains("Phường Thử Nghiệm"));
    // School A: 3 participants of 400 enrolled (THCS, the seeded school year) = 0,75% → 0,8%
    // (half up). Its phường: 3 of 400 + 700 = 0,2727…% → 0,3%.
    assert!(
        board.contains("<td>Trường THCS Thử Nghiệm A</td><td>3</td><td>400</td><td>0,8%</td>"),
        "school rate: {board}"
    );
    assert!(
        board.contains("<td>Phường Thử Nghiệm</td><td>3</td><td>1100</td><td>0,3%</td>"),
        "the phường counts every school's enrolment: {board}"
    );

    let award = app::entities::contest_award::Entity::find()
        .filter(app::entities::contest_award::Column::DisplayName.eq("Trần Thị Bình"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (_, own) = binh.get(&format!("/chung-nhan/{}", award.code)).await;
    assert!(own.contains("Trần Thị Bình") && own.contains("Giải Nhì"));
    let (_, account) = binh.get("/tai-khoan").await;
    assert!(
        account.contains(&award.code),
        "listed on the pupil's account page"
    );
    let (status, verified) = visitor
        .get(&format!("/chung-nhan/{}", award.code.to_lowercase()))
        .await;
    assert_eq!(status, 200);
    assert!(verified.contains("Trần T. B") && !verified.contains("Trần Thị Bình"));
    assert_eq!(visitor.get("/chung-nhan/ABCDE-23456").await.0, 404);
    // The printed certificate says where to check it; anyone can type the code on /chung-nhan.
    assert!(
        own.contains(&format!("Kiểm tra tại: /chung-nhan/{}", award.code)),
        "{own}"
    );
    let (status, typed) = visitor
        .get(&format!("/chung-nhan?ma={}", award.code.to_lowercase()))
        .await;
    assert_eq!(status, 200);
    assert!(
        typed.contains("Trần T. B") && typed.contains("Giải Nhì"),
        "{typed}"
    );
    let (status, _) = visitor.get("/chung-nhan?ma=ABCDE-23456").await;
    assert_eq!(status, 404);
    assert_eq!(visitor.get("/chung-nhan").await.0, 200);
    let qr =
        app::contests::results::qr_svg("https://khienso.example.edu.vn/chung-nhan/ABCDE-23456")
            .unwrap();
    assert!(
        qr.starts_with("<?xml") && qr.contains("<svg") && qr.contains("<path"),
        "{qr}"
    );
}

async fn record(tab: &TestApp, attempt: &str, position: u32, choice: u32) -> String {
    tab.autosave(attempt, position, choice).await.2
}

#[tokio::test]
async fn two_tabs_answer_the_same_attempt_and_the_latest_choice_wins() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let round = open_round(&app, &[], 1, true).await;
    let tab1 = other_browser(&app);
    tab1.login("hocsinh", TEST_PASSWORD).await;
    // Same browser, second tab: the same cookies.
    let tab2 = TestApp {
        client: tab1.client.clone(),
        address: app.address.clone(),
        db: app.db.clone(),
        config: app.config.clone(),
    };
    let attempt = attempt_of(&start(&tab1, round, "").await);
    assert_eq!(attempt_of(&start(&tab2, round, "").await), attempt);
    let (a, b, c) = tokio::join!(
        record(&tab1, &attempt, 1, 0),
        record(&tab2, &attempt, 2, 1),
        record(&tab2, &attempt, 3, 2),
    );
    assert_eq!(
        (a.as_str(), b.as_str(), c.as_str()),
        ("true", "true", "true")
    );
    assert_eq!(record(&tab2, &attempt, 1, 3).await, "true");
    let items = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(attempt.clone()))
        .all(&app.db)
        .await
        .unwrap();
    let chosen = |position: i32| {
        let item = items.iter().find(|i| i.position == position).unwrap();
        let order: Vec<usize> = serde_json::from_str(&item.option_order).unwrap();
        let chosen: Vec<usize> = serde_json::from_str(item.chosen.as_deref().unwrap()).unwrap();
        (order, chosen)
    };
    for (position, display) in [(1, 3), (2, 1), (3, 2)] {
        let (order, stored) = chosen(position);
        assert_eq!(stored, vec![order[display]], "question {position}");
    }
    let (_, page) = tab1.get(&format!("/luyen-tap/{attempt}/nop-bai")).await;
    assert_eq!(
        page.matches("Đã trả lời").count(),
        3,
        "both tabs' answers count"
    );
}

#[tokio::test]
async fn no_key_or_explanation_reaches_the_pupil_before_the_round_closes() {
    use app::entities::question_revision;
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let round = open_round(&app, &[], 1, false).await;
    let pupil = other_browser(&app);
    pupil.login("hocsinh", TEST_PASSWORD).await;
    let attempt = attempt_of(&start(&pupil, round, "").await);
    let items = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(attempt.clone()))
        .all(&app.db)
        .await
        .unwrap();
    let revisions = question_revision::Entity::find()
        .filter(question_revision::Column::Id.is_in(items.iter().map(|i| i.revision_id)))
        .all(&app.db)
        .await
        .unwrap();
    let mut sent = String::new();
    for position in 1..=items.len() {
        sent.push_str(
            &pupil
                .get(&format!("/luyen-tap/{attempt}/cau/{position}"))
                .await
                .1,
        );
        sent.push_str(&record(&pupil, &attempt, position as u32, 0).await);
        let json = pupil
            .client
            .post(format!("{}{}", app.address, server_fn_url("save_answer")))
            .header("origin", &app.address)
            .header("content-type", "application/json")
            .body(
                serde_json::json!({ "attempt": attempt, "position": position, "choices": [1] })
                    .to_string(),
            )
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            json.contains("\"stem\"") || json.contains("Review"),
            "{json}"
        );
        sent.push_str(&json);
    }
    sent.push_str(&pupil.get(&format!("/luyen-tap/{attempt}/nop-bai")).await.1);
    // Submitted, but the round is still open: the result holds no key.
    let finished = finish(&pupil, &attempt).await.1;
    assert!(finished.contains("review_after"), "{finished}");
    sent.push_str(&finished);
    sent.push_str(&pupil.get(&format!("/luyen-tap/{attempt}/ket-qua")).await.1);
    for revision in &revisions {
        assert!(
            !sent.contains(&revision.explanation),
            "an explanation was sent before the round closed"
        );
    }
    for marker in ["\"correct\"", "is_correct", "Đáp án đúng", "tag-correct"] {
        assert!(
            !sent.contains(marker),
            "“{marker}” sent before the round closed"
        );
    }
}

#[tokio::test]
async fn the_demo_contest_is_created_once_with_an_open_round_of_24_questions() {
    let app = spawn_app().await;
    let rounds = app::contests::service::seed_demo_contest(&app.db, now())
        .await
        .unwrap()
        .expect("created on an empty database");
    assert_eq!(rounds.len(), 2, "both rounds fit the shipped question bank");
    assert_eq!(
        app::contests::service::seed_demo_contest(&app.db, now())
            .await
            .unwrap(),
        None,
        "not twice"
    );
    let (_, html) = app.get("/cuoc-thi").await;
    assert!(html.contains("(dữ liệu minh họa)") && html.contains("24 câu · 30 phút"));
    assert!(html.contains("Đang mở") && html.contains("Sắp mở"));
    // The open round holds back only its own topics: practice goes on elsewhere, and a whole
    // track can still be practised while it runs.
    app.start_practice("track:A").await;
    app.start_practice("topic:lien-ket-gia-mao").await;
    // A topic the open round draws from says so, and until when, instead of offering a start
    // that would fail; so does its lesson.
    let (_, html) = app.get("/luyen-tap").await;
    assert!(html.contains("value=\"topic:lien-ket-gia-mao\""));
    assert!(
        !html.contains("value=\"topic:otp-chiem-tai-khoan\""),
        "no start for a held-back topic"
    );
    assert!(html.contains(
        "Các câu hỏi của chủ đề này đang dùng cho một vòng thi đang mở; em luyện tập được sau"
    ));
    let (_, html) = app.get("/bai-hoc/bao-ve-ma-otp").await;
    assert!(!html.contains("value=\"topic:otp-chiem-tai-khoan\""));
    assert!(html.contains("đang dùng cho một vòng thi đang mở"));
}

/// Submits an attempt as the quiz page does with JavaScript (`finish_attempt`): the status and
/// the body (the result, as JSON).
async fn finish(tab: &TestApp, attempt: &str) -> (u16, String) {
    let response = tab
        .client
        .post(format!(
            "{}{}",
            tab.address,
            server_fn_url("finish_attempt")
        ))
        .header("origin", &tab.address)
        .header("content-type", "application/json")
        .body(serde_json::json!({ "attempt": attempt }).to_string())
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.text().await.unwrap())
}

/// `count` pupils of `school` (`{prefix}00`, `{prefix}01` …), each signed in in a browser of
/// their own.
async fn signed_in_pupils(app: &TestApp, school: i32, prefix: &str, count: usize) -> Vec<TestApp> {
    use app::accounts::auth::Grant;
    use app::codes::Role;
    let mut browsers = Vec::with_capacity(count);
    for i in 0..count {
        let username = format!("{prefix}{i:02}");
        account_with_grant(
            &app.db,
            &username,
            "Học Sinh Thử",
            &Grant {
                role: Role::Pupil,
                school_id: Some(school),
                commune_id: None,
                levels: vec![],
            },
        )
        .await;
        let browser = other_browser(app);
        browser.login(&username, TEST_PASSWORD).await;
        browsers.push(browser);
    }
    browsers
}

#[tokio::test]
async fn many_pupils_submitting_at_once_all_get_their_result() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let round = open_round(&app, &[], 1, true).await;
    let browsers = signed_in_pupils(&app, people.school_a, "dongthoi", 30).await;
    // Everyone starts, answers and submits at the same moment (SQLite takes one writer at a
    // time: transactions must wait for the lock, never fail with "database is locked").
    let outcomes = futures_join_all(browsers.iter().map(|b| async move {
        let attempt = attempt_of(&start(b, round, "").await);
        let saved = record(b, &attempt, 1, 0).await;
        let finished = finish(b, &attempt).await.0;
        (saved, finished)
    }))
    .await;
    for (saved, finished) in outcomes {
        assert_eq!((saved.as_str(), finished), ("true", 200));
    }
}

/// Submissions arriving while the database is busy wait for the submit writer and are written
/// together in a few shared commits: each pupil gets their own score, each attempt is scored and
/// closed once (a pupil pressing "Nộp bài" twice at once included), and each pupil is counted once
/// in the school's tallies.
#[tokio::test]
async fn submissions_arriving_together_are_written_together_and_each_pupil_counted_once() {
    use app::entities::{participation, participation_tally};
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let round = open_round(&app, &[], 1, true).await;
    let mut pupils = Vec::new();
    let browsers = signed_in_pupils(&app, people.school_a, "cungnop", 12).await;
    for (i, browser) in browsers.into_iter().enumerate() {
        let i = i as u32;
        let browser = std::sync::Arc::new(browser);
        let attempt = attempt_of(&start(&browser, round, "").await);
        // Pupil i answers the first i questions (the first option each time).
        for position in 1..=i.min(5) {
            assert_eq!(record(&browser, &attempt, position, 0).await, "true");
        }
        pupils.push((browser, attempt));
    }
    let finish = |browser: std::sync::Arc<TestApp>, attempt: String| {
        tokio::spawn(async move {
            let (status, body) = finish(&browser, &attempt).await;
            let body: serde_json::Value = serde_json::from_str(&body).unwrap_or_default();
            (status, body["points"].as_u64())
        })
    };
    let held = hold_writes(&app.db, "attempt").await;
    let mut sent = Vec::new();
    for (browser, attempt) in &pupils {
        sent.push((attempt.clone(), finish(browser.clone(), attempt.clone())));
    }
    // The first pupil presses twice.
    sent.push((
        pupils[0].1.clone(),
        finish(pupils[0].0.clone(), pupils[0].1.clone()),
    ));
    metric_reaches(&app, "khien_so_requests_in_flight", sent.len() as f64).await;
    held.rollback().await.unwrap();

    let mut scores: std::collections::HashMap<String, u64> = Default::default();
    for (attempt, reply) in sent {
        let (status, points) = reply.await.unwrap();
        assert_eq!(status, 200, "{attempt}");
        let points = points.expect("the result has points");
        // Both presses of the first pupil see the same result.
        assert_eq!(
            *scores.entry(attempt.clone()).or_insert(points),
            points,
            "{attempt}"
        );
    }
    for (_, attempt) in &pupils {
        let stored = attempt::Entity::find_by_id(attempt.clone())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let items = attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.eq(attempt.clone()))
            .all(&app.db)
            .await
            .unwrap();
        assert!(items.iter().all(|i| i.is_correct.is_some()), "{attempt}");
        let right = items.iter().filter(|i| i.is_correct == Some(true)).count() as u64;
        assert_eq!(stored.score.map(|s| s as u64), Some(right), "{attempt}");
        assert_eq!(
            stored.points.map(|p| p as u64),
            Some(scores[attempt]),
            "{attempt}"
        );
        assert!(stored.submitted_at.is_some());
        let entry = contest_entry::Entity::find_by_id(attempt.clone())
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(entry.open_key, None, "{attempt}");
    }
    // Fewer commits than submissions.
    let (_, metrics) = app.get("/metrics").await;
    let commits = metric(
        &metrics,
        "khien_so_http_requests_total{route=\"submit writer: batch\"}",
    )
    .expect("the submit writer's commits in /metrics");
    assert!(commits < pupils.len() as f64, "{commits} commits");
    // Every pupil is a participant once ("either track"), and the school's tally counts them once.
    let year = app::clock::current_school_year();
    let either = participation::Entity::find()
        .filter(participation::Column::SchoolYear.eq(year))
        .filter(participation::Column::Track.eq(app::coverage::service::EITHER_TRACK))
        .filter(participation::Column::SchoolId.eq(people.school_a))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(either.len(), pupils.len());
    assert!(
        either
            .iter()
            .all(|p| p.activities == 1 && p.via == "contest")
    );
    let tallied: i32 = participation_tally::Entity::find()
        .filter(participation_tally::Column::SchoolYear.eq(year))
        .filter(participation_tally::Column::SchoolId.eq(people.school_a))
        .filter(participation_tally::Column::Track.eq(app::coverage::service::EITHER_TRACK))
        .all(&app.db)
        .await
        .unwrap()
        .iter()
        .map(|t| t.participants)
        .sum();
    assert_eq!(tallied, pupils.len() as i32);
}

/// A pupil presses “Bắt đầu” in several tabs at once: the starts arrive together (and are
/// written in one commit), one attempt is made, every tab lands on it, and nothing of the others
/// is left in the database.
#[tokio::test]
async fn starting_a_round_in_several_tabs_at_once_makes_one_attempt() {
    use app::entities::{attempt, contest_entry};
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let round = open_round(&app, &[], 3, true).await;
    let pupil = pupil_in_8a(&app, &people, "nhieu.tab", "Lê Thị Tab").await;
    let locations = futures_join_all((0..8).map(|_| start(&pupil, round, ""))).await;
    let attempts: std::collections::HashSet<String> =
        locations.iter().map(|l| attempt_of(l)).collect();
    assert_eq!(
        attempts.len(),
        1,
        "every tab lands on one attempt: {locations:?}"
    );
    let learner = app::entities::account::Entity::find()
        .filter(app::entities::account::Column::Username.eq("nhieu.tab"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .learner_id;
    assert_eq!(
        attempt::Entity::find()
            .filter(attempt::Column::LearnerId.eq(learner))
            .count(&app.db)
            .await
            .unwrap(),
        1,
        "no attempt of the other tabs is left"
    );
    assert_eq!(
        contest_entry::Entity::find()
            .filter(contest_entry::Column::RoundId.eq(round))
            .count(&app.db)
            .await
            .unwrap(),
        1
    );
}

/// Runs futures concurrently on the test's runtime and collects their outputs in order.
async fn futures_join_all<F: std::future::Future>(
    futures: impl Iterator<Item = F>,
) -> Vec<F::Output> {
    let mut set = Vec::new();
    for f in futures {
        set.push(Box::pin(f));
    }
    let mut outputs = Vec::with_capacity(set.len());
    let mut pending: Vec<_> = set.into_iter().map(Some).collect();
    let mut results: Vec<Option<F::Output>> = (0..pending.len()).map(|_| None).collect();
    std::future::poll_fn(|cx| {
        let mut done = true;
        for (i, slot) in pending.iter_mut().enumerate() {
            if let Some(f) = slot {
                match f.as_mut().poll(cx) {
                    std::task::Poll::Ready(v) => {
                        results[i] = Some(v);
                        *slot = None;
                    }
                    std::task::Poll::Pending => done = false,
                }
            }
        }
        if done {
            std::task::Poll::Ready(())
        } else {
            std::task::Poll::Pending
        }
    })
    .await;
    outputs.extend(results.into_iter().map(|r| r.unwrap()));
    outputs
}

#[tokio::test]
async fn progress_counts_contest_rounds_per_track_and_speaks_to_a_signed_in_pupil() {
    use std::collections::HashMap;
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let round = open_round(&app, &[], 1, true).await;
    let pupil = pupil_in_8a(&app, &people, "tien.do", "Lê Văn Tiến").await;
    let id = attempt_of(&start(&pupil, round, "").await);
    // Two answers (the first option of questions 1 and 2), then the attempt is submitted.
    for position in ["1", "2"] {
        let (_, page) = pupil.get(&format!("/luyen-tap/{id}/cau/{position}")).await;
        let action = khien_so_tests::form_action(&page, "answer_question");
        pupil
            .post_form(
                &action,
                &[("attempt", &id), ("position", position), ("choice[0]", "0")],
            )
            .await;
    }
    let (_, review) = pupil.get(&format!("/luyen-tap/{id}/nop-bai")).await;
    let action = khien_so_tests::form_action(&review, "submit_attempt");
    pupil.post_form(&action, &[("attempt", &id)]).await;
    // The expected totals, from the stored items: each question in its own track.
    let items = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(id.clone()))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!items.is_empty() && items.iter().all(|i| i.is_correct.is_some()));
    let mut expected: HashMap<String, (u32, u32)> = HashMap::new();
    for item in &items {
        let revision = app::entities::question_revision::Entity::find_by_id(item.revision_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let question = app::entities::question::Entity::find_by_id(revision.question_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let slot = expected.entry(question.track).or_default();
        slot.0 += u32::from(item.is_correct == Some(true));
        slot.1 += 1;
    }
    // The round's card links to the result of the attempt just handed in.
    let (_, rounds) = pupil.get("/cuoc-thi").await;
    assert!(
        rounds.contains(&format!(
            "href=\"/luyen-tap/{id}/ket-qua\">Xem kết quả bài đã nộp"
        )),
        "{rounds}"
    );
    let (status, html) = pupil.get("/tien-do").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("trên mọi thiết bị bạn đã đăng nhập"),
        "{html}"
    );
    assert!(!html.contains("trên trình duyệt này"));
    for (track, (right, asked)) in &expected {
        assert!(
            html.contains(&format!("1 lượt làm bài · {right}/{asked} câu đúng")),
            "track {track}: {html}"
        );
    }
    if expected.len() == 1 {
        assert!(html.contains("Chưa có câu nào thuộc mạch này."), "{html}");
    }
    assert!(!html.contains("0/0"), "{html}");
}

#[tokio::test]
async fn a_refused_contest_form_comes_back_with_what_was_typed() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let committee = other_browser(&app);
    committee.login("btc", TEST_PASSWORD).await;
    let (_, location) = committee
        .submit(
            "/cuoc-thi/quan-ly",
            "create_contest",
            &[
                ("title", "Cuộc thi An toàn thông tin 2026"),
                ("description", "Dành cho học sinh THCS"),
                ("counted_attempt", "lan-dau"),
                ("prize_first", "2"),
                ("prize_second", "-1"),
                ("prize_third", "3"),
                ("prize_consolation", "7"),
                ("prize_min_score", ""),
                ("tie_break_1", "thoi-gian"),
                ("tie_break_2", ""),
                ("tie_break_3", ""),
            ],
        )
        .await;
    let location = location.unwrap();
    assert!(
        location.starts_with("/cuoc-thi/quan-ly?loi=giai"),
        "{location}"
    );
    let (_, html) = committee.get(&location).await;
    assert!(html.contains("Số giải phải là số không âm."), "{html}");
    assert!(
        html.contains("value=\"Cuộc thi An toàn thông tin 2026\""),
        "{html}"
    );
    assert!(html.contains(">Dành cho học sinh THCS</textarea>"));
    assert!(html.contains("value=\"lan-dau\" selected"), "{html}");
    assert!(html.contains("name=\"prize_consolation\" type=\"number\" min=\"0\" value=\"7\""));
    assert!(
        html.contains("Giải Nhì"),
        "each prize field says which prize it is"
    );
    assert_eq!(
        app::entities::contest::Entity::find()
            .all(&app.db)
            .await
            .unwrap()
            .len(),
        0
    );
}
