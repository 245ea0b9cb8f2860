//! HTTP tests through the real server on a fresh database (SQLite or PostgreSQL).

use app::entities::{attempt, attempt_item, question, question_revision};
use khien_so_tests::*;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

/// The display positions of the correct options of one attempt item.
fn correct_display(item: &attempt_item::Model, revision: &question_revision::Model) -> Vec<usize> {
    let order: Vec<usize> = serde_json::from_str(&item.option_order).unwrap();
    let key: Vec<usize> = serde_json::from_str(&revision.correct_json).unwrap();
    order
        .iter()
        .enumerate()
        .filter(|(_, o)| key.contains(o))
        .map(|(d, _)| d)
        .collect()
}

async fn answer(
    app: &TestApp,
    attempt_id: &str,
    position: usize,
    display: &[usize],
) -> (u16, Option<String>) {
    let (_, html) = app
        .get(&format!("/luyen-tap/{attempt_id}/cau/{position}"))
        .await;
    let action = form_action(&html, "answer_question");
    let position_text = position.to_string();
    let mut fields: Vec<(String, String)> = vec![
        ("attempt".into(), attempt_id.into()),
        ("position".into(), position_text),
    ];
    let multiple = html.contains("type=\"checkbox\"");
    for d in display {
        let name = if multiple {
            format!("choice[{d}]")
        } else {
            "choice[0]".to_owned()
        };
        fields.push((name, d.to_string()));
    }
    let borrowed: Vec<(&str, &str)> = fields
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    app.post_form(&action, &borrowed).await
}

async fn submit(app: &TestApp, attempt_id: &str) -> (u16, Option<String>) {
    let (_, html) = app.get(&format!("/luyen-tap/{attempt_id}/nop-bai")).await;
    let action = form_action(&html, "submit_attempt");
    app.post_form(&action, &[("attempt", attempt_id)]).await
}

#[tokio::test]
async fn metrics_count_requests_and_their_queries_per_route_for_this_machine_only() {
    let app = spawn_app().await;
    let attempt = app.start_practice("track:A").await;
    app.get(&format!("/luyen-tap/{attempt}/cau/1")).await;
    let (status, metrics) = app.get("/metrics").await;
    assert_eq!(status, 200);
    let value = |series: &str| -> f64 {
        metrics
            .lines()
            .find_map(|l| l.strip_prefix(series)?.trim().parse().ok())
            .unwrap_or_else(|| panic!("no {series} in {metrics}"))
    };
    assert_eq!(
        value("khien_so_http_requests_total{route=\"GET /luyen-tap/:id/cau/:id\"}"),
        1.0
    );
    // Starting a practice reads the bank and writes the attempt: it made queries.
    assert!(value("khien_so_db_queries_total{route=\"POST /api/start_practice\"}") >= 2.0);
    assert!(value("process_cpu_seconds_total") > 0.0);
    // Through a proxy (nginx adds the header), the page is not there.
    let response = app
        .client
        .get(format!("{}/metrics", app.address))
        .header("x-forwarded-for", "203.0.113.9")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test]
async fn health_check_answers_ok() {
    let app = spawn_app().await;
    let (status, body) = app.get("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
}

#[tokio::test]
async fn the_home_page_is_vietnamese_and_switches_to_english() {
    let app = spawn_app().await;
    let (status, html) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(html.contains("<html lang=\"vi\""));
    assert!(html.contains("Mạch A — An toàn khi lên mạng"));
    assert!(html.contains("Mạch B — Đọc hiểu và nhận diện tin giả"));

    let response = app
        .client
        .get(format!("{}/ngon-ngu?lang=en", app.address))
        .header("referer", format!("{}/bai-hoc", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/bai-hoc");
    let (_, html) = app.get("/").await;
    assert!(html.contains("<html lang=\"en\""));
    assert!(html.contains("Track A — Staying safe online"));
}

#[tokio::test]
async fn the_language_switch_never_redirects_to_another_site() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/ngon-ngu?lang=en", app.address))
        .header("referer", "https://evil.example/phish")
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/");
}

#[tokio::test]
async fn pages_allow_only_scripts_with_their_nonce() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/bai-hoc", app.address))
        .send()
        .await
        .unwrap();
    let csp = response.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    let html = response.text().await.unwrap();
    let nonce = csp
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .unwrap();
    assert!(
        csp.contains("frame-ancestors 'none'") && csp.contains("default-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    let scripts = html.matches("<script").count();
    assert!(scripts > 0);
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every script carries the nonce"
    );
}

#[tokio::test]
async fn a_pupil_who_picks_thcs_only_gets_thcs_questions() {
    let app = spawn_app().await;
    let response = app
        .client
        .get(format!("{}/cap-hoc?level=THCS", app.address))
        .header("referer", format!("{}/luyen-tap", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.headers()["location"], "/luyen-tap");
    let (_, page) = app.get("/luyen-tap").await;
    assert!(
        page.contains("href=\"/cap-hoc?level=THCS\" aria-current=\"true\""),
        "the choice is shown"
    );
    for _ in 0..3 {
        let attempt_id = app.start_practice("track:A").await;
        let items = attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.eq(attempt_id.as_str()))
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(items.len(), 10);
        for item in items {
            let revision = question_revision::Entity::find_by_id(item.revision_id)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            let q = question::Entity::find_by_id(revision.question_id)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap();
            assert!(
                q.levels.split(',').any(|l| l == "THCS"),
                "{} is {}",
                q.id,
                q.levels
            );
        }
    }
    // Back to every level.
    app.client
        .get(format!("{}/cap-hoc?level=all", app.address))
        .send()
        .await
        .unwrap();
    let (_, page) = app.get("/luyen-tap").await;
    assert!(page.contains("href=\"/cap-hoc?level=all\" aria-current=\"true\""));
}

#[tokio::test]
async fn the_catalogue_lists_lessons_of_both_tracks() {
    let app = spawn_app().await;
    let (status, html) = app.get("/bai-hoc").await;
    assert_eq!(status, 200);
    assert!(html.contains("id=\"mach-a\"") && html.contains("id=\"mach-b\""));
    assert!(html.contains("href=\"/bai-hoc/nhan-dien-lien-ket-gia-mao\""));
    assert!(html.contains("href=\"/bai-hoc/phuong-phap-sift\""));
}

#[tokio::test]
async fn a_lesson_renders_and_an_unknown_one_is_404() {
    let app = spawn_app().await;
    let (status, html) = app.get("/bai-hoc/nhan-dien-lien-ket-gia-mao").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h2>"), "Markdown headings are rendered");
    assert!(html.contains("tinnhiemmang.vn"));
    assert!(html.contains(&form_action(&html, "start_practice")));
    assert!(
        !html.contains("khien-so.js") && !html.contains(".wasm"),
        "a lesson has no island, so it ships no script or wasm"
    );
    let (status, _) = app.get("/bai-hoc/khong-ton-tai").await;
    assert_eq!(status, 404);
    let (status, _) = app.get("/khong-co-trang-nay").await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_pupil_without_javascript_takes_a_practice_quiz_and_sees_every_explanation() {
    let app = spawn_app().await;
    let attempt_id = app.start_practice("topic:lien-ket-gia-mao").await;
    let questions = attempt_questions(&app, &attempt_id).await;
    assert_eq!(questions.len(), 10);
    let (_, first) = app.get(&format!("/luyen-tap/{attempt_id}/cau/1")).await;
    assert!(
        first.contains("/pkg/khien-so.js") && first.contains("<leptos-island"),
        "the quiz is an island"
    );
    // Right answers on odd positions, a wrong one on even positions.
    for (i, (item, revision)) in questions.iter().enumerate() {
        let position = i + 1;
        let correct = correct_display(item, revision);
        let options: Vec<String> = serde_json::from_str(&revision.options_json).unwrap();
        let choice = if position % 2 == 1 {
            correct.clone()
        } else {
            vec![(0..options.len()).find(|d| !correct.contains(d)).unwrap()]
        };
        let (status, location) = answer(&app, &attempt_id, position, &choice).await;
        assert_eq!(status, 302);
        let expected = if position < 10 {
            format!("/luyen-tap/{attempt_id}/cau/{}", position + 1)
        } else {
            format!("/luyen-tap/{attempt_id}/nop-bai")
        };
        assert_eq!(location.as_deref(), Some(expected.as_str()));
    }
    let (_, review) = app.get(&format!("/luyen-tap/{attempt_id}/nop-bai")).await;
    assert!(review.contains("Bạn đã trả lời tất cả các câu."));
    let (status, location) = submit(&app, &attempt_id).await;
    assert_eq!(status, 302);
    assert_eq!(location, Some(format!("/luyen-tap/{attempt_id}/ket-qua")));

    let (status, result) = app.get(&format!("/luyen-tap/{attempt_id}/ket-qua")).await;
    assert_eq!(status, 200);
    assert!(
        result.contains("<strong>5/10</strong>"),
        "score 5/10 expected"
    );
    for (_, revision) in &questions {
        assert!(result.contains(&revision.explanation), "explanation shown");
        assert!(result.contains(&revision.source), "source shown");
    }
    // Each choice question tags its correct options; each warning-signs message marks its
    // suspicious parts.
    let (choice, signs): (Vec<_>, Vec<_>) = questions.iter().partition(|(_, r)| r.kind == "choice");
    assert_eq!(
        result.matches("Đáp án đúng").count(),
        choice
            .iter()
            .map(|(i, r)| correct_display(i, r).len())
            .sum::<usize>()
    );
    assert_eq!(
        result.matches("part part-suspicious").count(),
        signs
            .iter()
            .map(|(i, r)| correct_display(i, r).len())
            .sum::<usize>()
    );
    let stored = attempt::Entity::find_by_id(attempt_id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.score, Some(5));

    let (_, progress) = app.get("/tien-do").await;
    assert!(progress.contains(&format!("/luyen-tap/{attempt_id}/ket-qua")));
    assert!(progress.contains("5/10"));
}

#[tokio::test]
async fn nothing_sent_before_submission_reveals_the_key_or_an_explanation() {
    let app = spawn_app().await;
    let attempt_id = app.start_practice("track:B").await;
    let questions = attempt_questions(&app, &attempt_id).await;
    let mut sent = String::new();
    for position in 1..=questions.len() {
        let (_, html) = app
            .get(&format!("/luyen-tap/{attempt_id}/cau/{position}"))
            .await;
        sent.push_str(&html);
        // The JSON a hydrated page asks for.
        let (_, page) = app
            .get(&format!("/luyen-tap/{attempt_id}/cau/{position}"))
            .await;
        let action =
            form_action(&page, "answer_question").replace("answer_question", "get_question");
        let json = app
            .client
            .post(format!("{}{action}", app.address))
            .form(&[
                ("attempt", attempt_id.as_str()),
                ("position", &position.to_string()),
            ])
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            json.contains("\"stem\""),
            "server function answered: {json}"
        );
        sent.push_str(&json);
    }
    let (_, review) = app.get(&format!("/luyen-tap/{attempt_id}/nop-bai")).await;
    sent.push_str(&review);
    let (_, result_before) = app.get(&format!("/luyen-tap/{attempt_id}/ket-qua")).await;
    sent.push_str(&result_before);
    let wasm = std::fs::read(workspace_root().join("target/site/pkg/khien-so_bg.wasm"))
        .unwrap_or_default();
    let wasm = String::from_utf8_lossy(&wasm);
    for (_, revision) in &questions {
        assert!(
            !sent.contains(&revision.explanation),
            "explanation leaked before submission"
        );
        // A warning-signs message's notes say which parts are suspicious: part of the key.
        let notes: Vec<String> = revision
            .notes_json
            .as_deref()
            .map(|n| serde_json::from_str(n).unwrap())
            .unwrap_or_default();
        for note in notes {
            assert!(!sent.contains(&note), "a part's note leaked: {note}");
        }
        assert!(
            !wasm.contains(&revision.explanation),
            "explanation compiled into the wasm"
        );
    }
    for marker in [
        "correct",
        "is_correct",
        "explanation",
        "Đáp án đúng",
        "tag-correct",
    ] {
        assert!(!sent.contains(marker), "“{marker}” sent before submission");
    }
    // After submitting, the key is there.
    submit(&app, &attempt_id).await;
    let (_, result) = app.get(&format!("/luyen-tap/{attempt_id}/ket-qua")).await;
    assert!(result.contains("Đáp án đúng") && result.contains(&questions[0].1.explanation));
}

#[tokio::test]
async fn another_browser_cannot_see_or_answer_an_attempt() {
    let app = spawn_app().await;
    let attempt_id = app.start_practice("track:A").await;
    let stranger = TestApp {
        client: new_client(),
        address: app.address.clone(),
        db: app.db.clone(),
        config: app.config.clone(),
    };
    for path in ["cau/1", "nop-bai", "ket-qua"] {
        let (status, _) = stranger
            .get(&format!("/luyen-tap/{attempt_id}/{path}"))
            .await;
        assert_eq!(status, 404, "{path}");
    }
    let (_, html) = app.get(&format!("/luyen-tap/{attempt_id}/cau/1")).await;
    let action = form_action(&html, "answer_question");
    let (_, location) = stranger
        .post_form(
            &action,
            &[
                ("attempt", &attempt_id),
                ("position", "1"),
                ("choice[0]", "0"),
            ],
        )
        .await;
    assert_ne!(
        location,
        Some(format!("/luyen-tap/{attempt_id}/cau/2")),
        "a stranger's answer is refused"
    );
    let item = attempt_item::Entity::find_by_id((attempt_id.clone(), 1))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(item.chosen, None);
}

#[tokio::test]
async fn answers_after_submission_change_nothing() {
    let app = spawn_app().await;
    let attempt_id = app.start_practice("topic:otp-chiem-tai-khoan").await;
    let questions = attempt_questions(&app, &attempt_id).await;
    let correct = correct_display(&questions[0].0, &questions[0].1);
    let (_, page) = app.get(&format!("/luyen-tap/{attempt_id}/cau/1")).await;
    let action = form_action(&page, "answer_question");
    let (_, review) = app.get(&format!("/luyen-tap/{attempt_id}/nop-bai")).await;
    let submit_action = form_action(&review, "submit_attempt");
    answer(&app, &attempt_id, 1, &correct).await;
    submit(&app, &attempt_id).await;
    // A stale tab still holding the question form posts another answer.
    let wrong = (0..4).find(|d| !correct.contains(d)).unwrap().to_string();
    let (status, location) = app
        .post_form(
            &action,
            &[
                ("attempt", &attempt_id),
                ("position", "1"),
                ("choice[0]", &wrong),
            ],
        )
        .await;
    assert_eq!(status, 302);
    assert_eq!(location, Some(format!("/luyen-tap/{attempt_id}/ket-qua")));
    let stored = attempt::Entity::find_by_id(attempt_id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.score, Some(1));
    // Submitting again (from a stale review tab) keeps the first result.
    app.post_form(&submit_action, &[("attempt", &attempt_id)])
        .await;
    let stored = attempt::Entity::find_by_id(attempt_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.score, Some(1));
}

#[tokio::test]
async fn an_out_of_range_choice_is_a_clear_error_not_a_crash() {
    let app = spawn_app().await;
    let attempt_id = app.start_practice("track:A").await;
    let (_, html) = app.get(&format!("/luyen-tap/{attempt_id}/cau/1")).await;
    let action = form_action(&html, "answer_question");
    let response = app
        .client
        .post(format!("{}{action}", app.address))
        .form(&[
            ("attempt", attempt_id.as_str()),
            ("position", "1"),
            ("choice[0]", "9"),
        ])
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body = response.text().await.unwrap();
    assert_eq!(
        status, 400,
        "bad input is the caller's error, not the server's: {body}"
    );
    assert!(
        body.contains("Phương án đã chọn không có trong câu hỏi"),
        "{body}"
    );
}

#[tokio::test]
async fn a_server_function_asked_for_a_missing_attempt_answers_404() {
    let app = spawn_app().await;
    let attempt_id = app.start_practice("track:A").await;
    let (_, html) = app.get(&format!("/luyen-tap/{attempt_id}/cau/1")).await;
    let action = form_action(&html, "answer_question").replace("answer_question", "get_question");
    let response = app
        .client
        .post(format!("{}{action}", app.address))
        .form(&[("attempt", "khong-co"), ("position", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 404);
}

#[tokio::test]
async fn state_changing_requests_from_another_site_are_refused() {
    let app = spawn_app().await;
    let (_, html) = app.get("/luyen-tap").await;
    let action = form_action(&html, "start_practice");
    for (header, value) in [
        ("origin", "https://evil.example"),
        ("sec-fetch-site", "cross-site"),
    ] {
        let response = app
            .client
            .post(format!("{}{action}", app.address))
            .header(header, value)
            .form(&[("scope", "track:A")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 403, "{header}");
    }
    assert_eq!(attempt::Entity::find().all(&app.db).await.unwrap().len(), 0);
}

fn fixture_question(id: &str, explanation: &str, extra_options: &str, correct: &str) -> String {
    format!(
        "[[question]]\nid = \"{id}\"\ntrack = \"A\"\ntopic = \"otp\"\ndifficulty = 1\nlevels = [\"THCS\"]\nstem = \"Câu {id}: chọn đúng?\"\noptions = [\"Một\", \"Hai\", \"Ba\"{extra_options}]\ncorrect = {correct}\nexplanation = \"{explanation}\"\nsource = \"Nguồn thử\"\n\n"
    )
}

#[tokio::test]
async fn several_correct_options_are_answered_with_checkboxes() {
    let bank = fixture_question("A-otp-001", "Giải thích.", ", \"Bốn\"", "[1, 3]");
    let dir = content_fixture(&[
        ("topics.toml", FIXTURE_TOPICS),
        ("questions/otp.toml", &bank),
    ]);
    let app = spawn_app_with(test_config(Some(&dir)).await).await;
    let attempt_id = app.start_practice("topic:otp").await;
    let (_, html) = app.get(&format!("/luyen-tap/{attempt_id}/cau/1")).await;
    assert!(html.contains("type=\"checkbox\"") && html.contains("Chọn tất cả đáp án đúng"));
    let questions = attempt_questions(&app, &attempt_id).await;
    let correct = correct_display(&questions[0].0, &questions[0].1);
    assert_eq!(correct.len(), 2);
    let (status, _) = answer(&app, &attempt_id, 1, &correct).await;
    assert_eq!(status, 302);
    submit(&app, &attempt_id).await;
    let stored = attempt::Entity::find_by_id(attempt_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.score, stored.total), (Some(1), 1));
}

#[tokio::test]
async fn an_edited_question_gets_a_new_revision_and_old_attempts_keep_their_text() {
    let dir = content_fixture(&[
        ("topics.toml", FIXTURE_TOPICS),
        (
            "questions/otp.toml",
            &fixture_question("A-otp-001", "Bản đầu.", "", "[2]"),
        ),
    ]);
    let mut config = test_config(Some(&dir)).await;
    let app = spawn_app_with(config.clone()).await;
    let attempt_id = app.start_practice("topic:otp").await;

    // Restart on the same database with unchanged content: nothing is written.
    let state = server::prepare(&config).await.unwrap();
    assert_eq!(
        question_revision::Entity::find()
            .all(&state.db)
            .await
            .unwrap()
            .len(),
        1
    );

    std::fs::write(
        dir.join("questions/otp.toml"),
        fixture_question("A-otp-001", "Bản sửa.", "", "[2]"),
    )
    .unwrap();
    config.content_dir = dir.clone();
    let state = server::prepare(&config).await.unwrap();
    let revisions = question_revision::Entity::find()
        .order_by_asc(question_revision::Column::Revision)
        .all(&state.db)
        .await
        .unwrap();
    assert_eq!(
        revisions.iter().map(|r| r.revision).collect::<Vec<_>>(),
        vec![1, 2]
    );
    let q = question::Entity::find_by_id("A-otp-001")
        .one(&state.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(q.current_revision, revisions[1].id);

    submit(&app, &attempt_id).await;
    let (_, result) = app.get(&format!("/luyen-tap/{attempt_id}/ket-qua")).await;
    assert!(result.contains("Bản đầu.") && !result.contains("Bản sửa."));
    let new_attempt = app.start_practice("topic:otp").await;
    submit(&app, &new_attempt).await;
    let (_, result) = app.get(&format!("/luyen-tap/{new_attempt}/ket-qua")).await;
    assert!(result.contains("Bản sửa."));
}

#[tokio::test]
async fn a_warning_signs_item_is_shown_in_place_answered_without_javascript_and_scored_per_part() {
    let signs = SIGNS_FIXTURE;
    let bank = format!(
        "{}{signs}",
        fixture_question("A-otp-001", "Giải thích.", "", "[2]")
    );
    let dir = content_fixture(&[
        ("topics.toml", FIXTURE_TOPICS),
        ("questions/otp.toml", &bank),
    ]);
    let app = spawn_app_with(test_config(Some(&dir)).await).await;
    let stored = question_revision::Entity::find()
        .order_by_asc(question_revision::Column::QuestionId)
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(stored.len(), 2);
    assert_eq!(
        (stored[0].kind.as_str(), stored[0].layout_json.is_none()),
        ("choice", true)
    );
    let item = &stored[1];
    assert_eq!(item.kind, "signs");
    assert_eq!(
        item.options_json,
        r#"["VNeID-HoTro","sẽ bị khóa","tổng đài in trên thẻ"]"#
    );
    assert_eq!(item.correct_json, "[0,1]");
    assert!(
        item.layout_json
            .as_deref()
            .unwrap()
            .contains(r#""frame":"sms""#)
    );
    assert_eq!(
        item.notes_json.as_deref(),
        Some(r#"["Tên tự đặt.","Giục gấp.","Cách kiểm tra đúng."]"#)
    );
    // Practice draws both; the message's parts keep their order.
    let attempt_id = app.start_practice("topic:otp").await;
    let questions = attempt_questions(&app, &attempt_id).await;
    assert_eq!(questions.len(), 2);
    let signs_at = questions
        .iter()
        .position(|(_, r)| r.kind == "signs")
        .unwrap()
        + 1;
    let choice_at = 3 - signs_at;
    let (signs_item, _) = &questions[signs_at - 1];
    assert_eq!(signs_item.option_order, "[0,1,2]");
    let (_, page) = app
        .get(&format!("/luyen-tap/{attempt_id}/cau/{signs_at}"))
        .await;
    assert!(page.contains(&format!("Câu {signs_at}/2")), "{page}");
    // The message as a text message, each part a checkbox with its text as the label…
    assert!(page.contains("class=\"message message-sms\""), "{page}");
    for (n, text) in ["VNeID-HoTro", "sẽ bị khóa", "tổng đài in trên thẻ"]
        .iter()
        .enumerate()
    {
        assert!(
            page.contains(&format!("name=\"choice[{n}]\" value=\"{n}\"")),
            "part {n}: {page}"
        );
        assert!(page.contains(text), "{text}: {page}");
    }
    assert!(page.contains("Tài khoản "));
    // …and nothing of the key: no note, no explanation, no word of which part is suspicious.
    for secret in [
        "Tên tự đặt.",
        "Giục gấp.",
        "Cách kiểm tra đúng.",
        "Vì thế.",
        "suspicious",
    ] {
        assert!(!page.contains(secret), "{secret} leaked: {page}");
    }
    // Without JavaScript: the form posts the ticked parts. One suspicious part of two: half a
    // point; the choice question right: one point.
    let (status, _) = answer(&app, &attempt_id, signs_at, &[0]).await;
    assert_eq!(status, 302);
    let (choice_item, choice_revision) = &questions[choice_at - 1];
    answer(
        &app,
        &attempt_id,
        choice_at,
        &correct_display(choice_item, choice_revision),
    )
    .await;
    // The saved answer shows ticked when the pupil comes back.
    let (_, page) = app
        .get(&format!("/luyen-tap/{attempt_id}/cau/{signs_at}"))
        .await;
    assert!(
        page.contains("name=\"choice[0]\" value=\"0\" checked")
            && !page.contains("name=\"choice[1]\" value=\"1\" checked"),
        "{page}"
    );
    submit(&app, &attempt_id).await;
    let stored = attempt::Entity::find_by_id(attempt_id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (stored.points, stored.score),
        (Some(150), Some(1)),
        "points in hundredths; score counts answers fully right"
    );
    let (_, result) = app.get(&format!("/luyen-tap/{attempt_id}/ket-qua")).await;
    assert!(result.contains("1,5/2"), "{result}");
    assert!(result.contains("Được 0,5/1 điểm"), "{result}");
    // Each part with what it is, what the pupil did and why.
    for expected in [
        "Đáng ngờ — em đã chọn (+1)",
        "Đáng ngờ — em chưa chọn",
        "Không đáng ngờ — em đã không chọn",
        "Tên tự đặt.",
        "Giục gấp.",
        "Cách kiểm tra đúng.",
    ] {
        assert!(result.contains(expected), "{expected}: {result}");
    }
    // The practice page counts every question it can draw.
    let (_, html) = app.get("/luyen-tap").await;
    assert!(html.contains("(2 câu hỏi)"), "{html}");
}

#[tokio::test]
async fn the_server_refuses_to_start_on_invalid_content_and_says_where() {
    let dir = content_fixture(&[
        ("topics.toml", FIXTURE_TOPICS),
        (
            "questions/otp.toml",
            &fixture_question("A-otp-001", "", "", "[]"),
        ),
    ]);
    let config = test_config(Some(&dir)).await;
    let error = match server::prepare(&config).await {
        Ok(_) => panic!("started on invalid content"),
        Err(e) => e.to_string(),
    };
    assert!(
        error.contains("questions/otp.toml:9: câu hỏi chưa có đáp án đúng"),
        "{error}"
    );
    assert!(
        error.contains("questions/otp.toml:10: thiếu nội dung “explanation”"),
        "{error}"
    );
}

#[tokio::test]
async fn a_backup_is_a_usable_copy_of_the_database() {
    let app = spawn_app().await;
    app.start_practice("track:A").await;
    let target = std::env::temp_dir().join(format!("khien-so-backup-{}.db", uuid::Uuid::new_v4()));
    let outcome = server::backup(&app.config, &target).await;
    match backend() {
        Backend::Sqlite => {
            outcome.unwrap();
            let copy = sea_orm::Database::connect(format!("sqlite://{}", target.display()))
                .await
                .unwrap();
            assert_eq!(attempt::Entity::find().all(&copy).await.unwrap().len(), 1);
            // Never overwrite an existing backup.
            assert!(server::backup(&app.config, &target).await.is_err());
        }
        Backend::Postgres => {
            let message = outcome.unwrap_err().to_string();
            assert!(message.contains("pg_dump"), "{message}");
        }
    }
}

#[tokio::test]
async fn handing_in_with_unanswered_questions_asks_first_and_says_how_many() {
    let app = spawn_app().await;
    let attempt_id = app.start_practice("track:A").await;
    let (_, review) = app.get(&format!("/luyen-tap/{attempt_id}/nop-bai")).await;
    // Nothing answered: the first button only opens the warning, with the count.
    assert!(review.contains("<details class=\"confirm\">"), "{review}");
    assert!(review.contains("Còn 10 câu chưa trả lời"), "{review}");
    assert!(review.contains("Vẫn nộp bài"));
    // Every question answered: a plain button, no question asked.
    let questions = attempt_questions(&app, &attempt_id).await;
    for (n, _) in questions.iter().enumerate() {
        answer(&app, &attempt_id, n + 1, &[0]).await;
    }
    let (_, review) = app.get(&format!("/luyen-tap/{attempt_id}/nop-bai")).await;
    assert!(!review.contains("<details class=\"confirm\">"), "{review}");
}

#[tokio::test]
async fn moving_on_without_choosing_says_the_question_was_left_blank() {
    let app = spawn_app().await;
    let attempt_id = app.start_practice("track:A").await;
    let (_, page) = app.get(&format!("/luyen-tap/{attempt_id}/cau/1")).await;
    let action = form_action(&page, "answer_question");
    let (status, location) = app
        .post_form(&action, &[("attempt", &attempt_id), ("position", "1")])
        .await;
    assert_eq!(status, 302);
    let location = location.unwrap();
    assert_eq!(location, format!("/luyen-tap/{attempt_id}/cau/2?bo-qua=1"));
    let (_, next) = app.get(&location).await;
    assert!(
        next.contains("Câu 1 chưa có phương án nào được chọn nên để trống."),
        "{next}"
    );
}

/// Takes the database's write lock (on PostgreSQL, the answers' table too) until the returned
/// transaction is rolled back: the answer writer's batches wait for it.
async fn hold_answer_writes(app: &TestApp) -> app::platform::db::WriteTxn {
    hold_writes(&app.db, "attempt_item").await
}

/// The page a form without JavaScript was sent back to (`location`, with `__err=`) shows that
/// nothing was saved.
async fn says_nothing_was_saved(app: &TestApp, location: &str) {
    let back = location.trim_start_matches(&app.address);
    let (status, page) = app.get(back).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("role=\"alert\"") && page.contains("Máy chủ đang bận nên chưa lưu được"),
        "the question page says the answer was not saved"
    );
}

type PendingSave = (u32, tokio::task::JoinHandle<(u16, Option<String>, String)>);

/// Waits for saves sent while the database was held: each is acknowledged (200 `true`). Returns
/// their positions.
async fn acknowledged(pending: Vec<PendingSave>) -> Vec<u32> {
    let mut positions = Vec::new();
    for (position, save) in pending {
        let (status, _, body) = save.await.unwrap();
        assert_eq!(
            (status, body.as_str()),
            (200, "true"),
            "question {position}"
        );
        positions.push(position);
    }
    positions
}

async fn chosen_at(app: &TestApp, attempt: &str, position: i32) -> Option<String> {
    attempt_item::Entity::find_by_id((attempt.to_owned(), position))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .chosen
}

/// When the answer writer's queue is full, a save is refused at once with 503, `Retry-After` and
/// a Vietnamese "try again" — and nothing of it is written; the saves already queued are written
/// once the database is free, and the refused ones are stored when sent again.
#[tokio::test]
async fn a_full_answer_queue_answers_try_again_and_loses_nothing() {
    let mut config = test_config(None).await;
    config.answer_queue = 1;
    let app = std::sync::Arc::new(spawn_app_with(config).await);
    let attempt_id = app.start_practice("track:A").await;

    // Something else holds the database's write lock: the writer's batch has to wait for it.
    let lock = hold_answer_writes(&app).await;

    // Saves go out one after another; the writer takes one and waits, the queue holds one more,
    // and the next is refused.
    let mut pending = Vec::new();
    let mut refused = Vec::new();
    for position in 1..=6u32 {
        let (app2, attempt) = (app.clone(), attempt_id.clone());
        let save = tokio::spawn(async move { app2.autosave(&attempt, position, 1).await });
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        if save.is_finished() {
            let (status, retry, body) = save.await.unwrap();
            assert_eq!(status, 503, "a full queue is 503: {body}");
            assert_eq!(retry.as_deref(), Some("2"), "with Retry-After");
            // The page's script reads this and says the server is busy and it is sending again.
            assert_eq!(body, "\"Busy\"");
            refused.push(position);
        } else {
            assert!(
                refused.is_empty(),
                "a save waits only while the queue has room"
            );
            pending.push((position, save));
        }
    }
    assert!(
        (1..=2).contains(&pending.len()),
        "one save in the writer, at most one waiting: {}",
        pending.len()
    );
    assert!(refused.len() >= 4);
    // Without JavaScript the answer form posts and the browser is sent back to the question,
    // which says that nothing was saved.
    let question = format!("{}/luyen-tap/{attempt_id}/cau/6", app.address);
    let (_, html) = app.get(&format!("/luyen-tap/{attempt_id}/cau/6")).await;
    let action = form_action(&html, "answer_question");
    let response = app
        .client
        .post(format!("{}{action}", app.address))
        .header("origin", &app.address)
        .header("accept", "text/html")
        .header("referer", &question)
        .form(&[
            ("attempt", attempt_id.as_str()),
            ("position", "6"),
            ("choice[0]", "1"),
        ])
        .send()
        .await
        .unwrap();
    let back = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("__err="), "{back}");
    says_nothing_was_saved(&app, &back).await;

    lock.rollback().await.unwrap();
    for position in acknowledged(pending).await {
        assert!(
            chosen_at(&app, &attempt_id, position as i32)
                .await
                .is_some()
        );
    }
    for &position in &refused {
        assert_eq!(
            chosen_at(&app, &attempt_id, position as i32).await,
            None,
            "a refused save wrote nothing"
        );
    }
    // The page sends them again, as it does after a 503.
    for &position in &refused {
        let (status, _, body) = app.autosave(&attempt_id, position, 1).await;
        assert_eq!((status, body.as_str()), (200, "true"));
    }
    for position in 1..=6 {
        assert!(chosen_at(&app, &attempt_id, position).await.is_some());
    }
}

/// A server working on as many requests as it may lets the next wait its turn and, when none comes
/// within the wait, answers it "busy, try again" without doing any of it: a page gets a 503 page
/// that loads itself again, the quiz page's save gets 503 `Busy` (which it sends again), a form
/// posted without JavaScript goes back to its page, which says nothing was saved. The health check
/// and the metrics still answer; nothing refused is written; everything sent again is.
#[tokio::test]
async fn a_server_at_its_limit_lets_requests_wait_then_answers_try_again_and_loses_nothing() {
    let mut config = test_config(None).await;
    config.max_in_flight = 2;
    config.max_wait_seconds = 1;
    let app = std::sync::Arc::new(spawn_app_with(config).await);
    let attempt_id = app.start_practice("track:A").await;
    let question = format!("/luyen-tap/{attempt_id}/cau/3");
    let (_, html) = app.get(&question).await;
    let action = form_action(&html, "answer_question");

    // Two saves wait for the writer, which waits for the database's write lock: the server's two
    // turns are taken.
    let lock = hold_answer_writes(&app).await;
    let mut pending = Vec::new();
    for position in 1..=2u32 {
        let (app2, attempt) = (app.clone(), attempt_id.clone());
        pending.push((
            position,
            tokio::spawn(async move { app2.autosave(&attempt, position, 1).await }),
        ));
    }
    metric_reaches(&app, "khien_so_requests_in_flight", 2.0).await;

    // A page waits its turn for the wait, then gets the busy page.
    let started = std::time::Instant::now();
    let response = app
        .client
        .get(format!("{}/luyen-tap", app.address))
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_millis(900));
    assert_eq!(response.status().as_u16(), 503);
    assert_eq!(response.headers()["retry-after"], "2");
    let page = response.text().await.unwrap();
    assert!(
        page.contains("lang=\"vi\"")
            && page.contains("Máy chủ đang bận")
            && page.contains("http-equiv=\"refresh\""),
        "{page}"
    );
    // The quiz page's save: 503 Busy, which its script sends again.
    let (status, retry, body) = app.autosave(&attempt_id, 3, 1).await;
    assert_eq!(
        (status, retry.as_deref(), body.as_str()),
        (503, Some("2"), "\"Busy\"")
    );
    // Without JavaScript: back to the question, which says nothing was saved.
    let response = app
        .client
        .post(format!("{}{action}", app.address))
        .header("origin", &app.address)
        .header("accept", "text/html")
        .header("referer", format!("{}{question}", app.address))
        .form(&[
            ("attempt", attempt_id.as_str()),
            ("position", "3"),
            ("choice[0]", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 302);
    let back = response.headers()["location"].to_str().unwrap().to_owned();
    assert!(back.contains("__err="), "{back}");
    // The health check and the metrics do not wait.
    let started = std::time::Instant::now();
    assert_eq!(app.get("/healthz").await.0, 200);
    let (_, metrics) = app.get("/metrics").await;
    assert!(started.elapsed() < std::time::Duration::from_millis(900));
    assert_eq!(metric(&metrics, "khien_so_requests_shed_total"), Some(3.0));
    assert_eq!(
        metric(&metrics, "khien_so_requests_max_in_flight"),
        Some(2.0)
    );

    lock.rollback().await.unwrap();
    acknowledged(pending).await;
    assert_eq!(
        chosen_at(&app, &attempt_id, 3).await,
        None,
        "a refused save wrote nothing"
    );
    says_nothing_was_saved(&app, &back).await;
    let (status, _, body) = app.autosave(&attempt_id, 3, 1).await;
    assert_eq!((status, body.as_str()), (200, "true"));
    assert!(chosen_at(&app, &attempt_id, 3).await.is_some());
    // A turn is given back once the response's body is done.
    metric_reaches(&app, "khien_so_requests_in_flight", 0.0).await;
}

/// Saves arriving together are written together and each is acknowledged only once stored:
/// forty pupils' answers sent at once are all there, each with the option sent.
#[tokio::test]
async fn answers_sent_together_are_each_stored_once_acknowledged() {
    let app = spawn_app().await;
    let mut attempts = Vec::new();
    for _ in 0..8 {
        let tab = other_browser(&app);
        let attempt = tab.start_practice("track:A").await;
        attempts.push((std::sync::Arc::new(tab), attempt));
    }
    let mut saves = Vec::new();
    for (tab, attempt) in &attempts {
        for position in 1..=5u32 {
            let (tab, attempt) = (tab.clone(), attempt.clone());
            saves.push(tokio::spawn(async move {
                let choice = position % 2;
                let (status, _, body) = tab.autosave(&attempt, position, choice).await;
                assert_eq!((status, body.as_str()), (200, "true"));
                (attempt, position)
            }));
        }
    }
    for save in saves {
        let (attempt, position) = save.await.unwrap();
        let stored = attempt_item::Entity::find_by_id((attempt.clone(), position as i32))
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        let order: Vec<usize> = serde_json::from_str(&stored.option_order).unwrap();
        let original = order[(position % 2) as usize];
        assert_eq!(
            stored.chosen,
            Some(format!("[{original}]")),
            "{attempt} {position}"
        );
    }
}

/// How many signed-in sessions a server keeps (its `/metrics`).
async fn sessions_kept(app: &TestApp) -> u64 {
    let (_, metrics) = app.get("/metrics").await;
    metrics
        .lines()
        .find_map(|l| l.strip_prefix("khien_so_sessions_kept "))
        .and_then(|n| n.parse().ok())
        .expect("khien_so_sessions_kept in /metrics")
}

/// Each app server keeps who is behind a session (`accounts::identity`), and a change made
/// anywhere reaches it before the pupil's next request: the answer is refused and not written.
/// On PostgreSQL the lock is written straight to the database, as another app server would, so
/// only the database's notification can tell server B (it arrives moments after the commit; the
/// test waits for it and allows a second). One SQLite file is served by one process: there a
/// teacher resets the pupil's password through server A, and B refuses the very next request.
#[tokio::test]
async fn a_locked_pupil_is_refused_on_the_next_request_by_every_server() {
    let a = spawn_app().await;
    let people = seed_people(&a.db).await;
    let mut config = test_config(None).await;
    config.database_url = a.config.database_url.clone();
    let b = spawn_app_with(config).await;
    // One browser (cookies are kept per host, whatever the port) talking to server B.
    let pupil_on_b = TestApp {
        client: a.client.clone(),
        address: b.address.clone(),
        db: b.db.clone(),
        config: b.config.clone(),
    };
    a.login("hocsinh", TEST_PASSWORD).await.unwrap();
    let attempt_id = pupil_on_b.start_practice("track:A").await;
    let (status, _, body) = pupil_on_b.autosave(&attempt_id, 1, 0).await;
    assert_eq!((status, body.as_str()), (200, "true"));
    // B keeps the session once it may (on PostgreSQL: once it listens for changes).
    let mut kept = false;
    for _ in 0..100 {
        assert_eq!(pupil_on_b.get("/tai-khoan").await.0, 200);
        if sessions_kept(&b).await >= 1 {
            kept = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(kept, "server B keeps the pupil's session");

    let changed = std::time::Instant::now();
    match backend() {
        Backend::Postgres => {
            use sea_orm::sea_query::Expr;
            app::entities::account::Entity::update_many()
                .col_expr(app::entities::account::Column::Disabled, Expr::value(true))
                .filter(app::entities::account::Column::Username.eq("hocsinh"))
                .exec(&a.db)
                .await
                .unwrap();
            while pupil_on_b.get("/tai-khoan").await.0 == 200 {
                assert!(
                    changed.elapsed() < std::time::Duration::from_secs(1),
                    "the lock reached server B within a second"
                );
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
            }
        }
        Backend::Sqlite => {
            let teacher = other_browser(&a);
            teacher.login("giaovien", TEST_PASSWORD).await.unwrap();
            let class_page = format!("/lop/{}", people.class_a);
            let (_, location) = teacher
                .submit(
                    &class_page,
                    "pupil_action",
                    &[
                        ("class_id", &people.class_a.to_string()),
                        ("account_id", &people.pupil.to_string()),
                        ("action", "reset"),
                        ("to_class", ""),
                    ],
                )
                .await;
            assert_eq!(location, Some(format!("{class_page}?xong=dat-lai")));
        }
    }
    let (status, _, body) = pupil_on_b.autosave(&attempt_id, 2, 0).await;
    assert_ne!(status, 200, "a locked account's answer is refused: {body}");
    assert_eq!(chosen_at(&b, &attempt_id, 2).await, None);
    let (status, _) = pupil_on_b.get("/tai-khoan").await;
    assert_ne!(status, 200, "the account page asks for a sign-in again");
}

/// A server keeps at most its number of connections open (`KHIEN_SO_MAX_CONNECTIONS`): a client
/// past it waits until one closes, and a connection that sends no request is closed after the
/// idle time (`KHIEN_SO_IDLE_SECONDS`), so the waiting client gets in and is answered.
#[tokio::test]
async fn a_client_past_the_connection_limit_waits_until_an_idle_connection_is_closed() {
    use tokio::io::AsyncReadExt;
    let mut config = test_config(None).await;
    config.max_connections = Some(2);
    config.idle_seconds = 1;
    let app = spawn_app_with(config).await;
    let host = app.address.trim_start_matches("http://").to_owned();
    // Two connections that say nothing take both places.
    let mut silent = Vec::new();
    for _ in 0..2 {
        silent.push(tokio::net::TcpStream::connect(&host).await.unwrap());
    }
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    let asked = std::time::Instant::now();
    let (status, body) =
        tokio::time::timeout(std::time::Duration::from_secs(10), app.get("/healthz"))
            .await
            .expect("the waiting client is answered once an idle connection is closed");
    assert_eq!((status, body.as_str()), (200, "ok"));
    let waited = asked.elapsed();
    assert!(
        waited >= std::time::Duration::from_millis(500),
        "answered after {waited:?}: the places were not held"
    );
    // The server closed the silent connections.
    for mut connection in silent {
        let mut rest = Vec::new();
        tokio::time::timeout(
            std::time::Duration::from_secs(5),
            connection.read_to_end(&mut rest),
        )
        .await
        .expect("the idle connection is closed")
        .ok();
    }
}

/// A write that only failed because of another one — PostgreSQL ending one of two transactions
/// that wait on each other (a deadlock), SQLite finding the file locked by another writer — is
/// "busy, try again" (503, which the quiz page's autosave sends again; nothing of it was
/// written), not a server error. The errors are the databases' own.
#[tokio::test]
async fn a_write_that_lost_to_another_is_answered_try_again() {
    use app::error::AppError;
    use sea_orm::{ConnectionTrait, Statement, TransactionTrait};
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let db_backend = app.db.get_database_backend();
    let touch = |school: i32| {
        Statement::from_sql_and_values(
            db_backend,
            match db_backend {
                sea_orm::DbBackend::Postgres => "UPDATE school SET name = name WHERE id = $1",
                _ => "UPDATE school SET name = name WHERE id = ?",
            },
            [school.into()],
        )
    };
    let error = match backend() {
        Backend::Postgres => {
            // Each holds one school and then asks for the other's.
            let first = app.db.begin().await.unwrap();
            let second = app.db.begin().await.unwrap();
            first.execute_raw(touch(people.school_a)).await.unwrap();
            second.execute_raw(touch(people.school_b)).await.unwrap();
            let (one, two) = tokio::join!(
                first.execute_raw(touch(people.school_b)),
                second.execute_raw(touch(people.school_a)),
            );
            match (one, two) {
                (Err(e), Ok(_)) | (Ok(_), Err(e)) => e,
                other => panic!("one of the two ends with a deadlock: {other:?}"),
            }
        }
        Backend::Sqlite => {
            // The server holds the write lock; another connection that will not wait asks for it.
            let held = app::platform::db::begin_write(&app.db).await.unwrap();
            let mut options = sea_orm::ConnectOptions::new(app.config.database_url.clone());
            options.map_sqlx_sqlite_opts(|o| o.busy_timeout(std::time::Duration::ZERO));
            let other = sea_orm::Database::connect(options).await.unwrap();
            let error = other
                .execute_unprepared("BEGIN IMMEDIATE")
                .await
                .expect_err("the file is locked");
            held.rollback().await.unwrap();
            error
        }
    };
    assert!(app::error::is_transient(&error), "{error}");
    assert_eq!(AppError::from(error), AppError::Busy);
    // Any other database error stays a server error.
    let other = app
        .db
        .execute_unprepared("SELECT * FROM no_such_table")
        .await
        .unwrap_err();
    assert_eq!(AppError::from(other), AppError::Internal);
}
