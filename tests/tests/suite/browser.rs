//! Browser tests: a pupil takes a practice quiz in headless Chromium, with JavaScript on
//! (client-side navigation, no page reload) and off (plain forms and redirects).
//!
//! Needs `chromedriver` and Chromium (`CHROMEDRIVER`, `CHROME_BIN` override the paths) and the
//! browser bundle in `target/site/pkg` (`cargo run -p xtask -- site`).

use fantoccini::{Client, ClientBuilder, Locator};
use khien_so_tests::*;
use sea_orm::EntityTrait;
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

struct Browser {
    client: Client,
    driver: Child,
    profile: std::path::PathBuf,
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

async fn browser(javascript: bool) -> Browser {
    browser_with(javascript, false).await
}

/// A browser that is a 390-pixel-wide phone: a headless window cannot be narrower than 500
/// pixels, so the phone's screen is emulated.
async fn phone() -> Browser {
    browser_with(true, true).await
}

async fn browser_with(javascript: bool, phone: bool) -> Browser {
    // Both rustls back ends are in the dependency tree; pick one for the WebDriver client.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let driver_path = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let driver = Command::new(&driver_path)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("cannot start {driver_path}: {e} (apt-get install chromium-driver)")
        });
    let profile = std::env::temp_dir().join(format!("khien-so-chrome-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&profile).unwrap();
    let mut options = json!({
        "binary": std::env::var("CHROME_BIN").unwrap_or_else(|_| "/usr/bin/chromium".into()),
        "args": [
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync",
            "--disable-dev-shm-usage", "--window-size=390,844",
            format!("--user-data-dir={}", profile.display()),
        ],
    });
    if phone {
        options["mobileEmulation"] =
            json!({ "deviceMetrics": { "width": 390, "height": 844, "pixelRatio": 2 } });
    }
    if !javascript {
        options["prefs"] = json!({ "profile.managed_default_content_settings.javascript": 2 });
    }
    let mut caps = serde_json::Map::new();
    caps.insert("goog:chromeOptions".into(), options);
    let url = format!("http://127.0.0.1:{port}");
    let mut last_error = None;
    for _ in 0..50 {
        match ClientBuilder::rustls()
            .unwrap()
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(client) => {
                return Browser {
                    client,
                    driver,
                    profile,
                };
            }
            Err(e) => {
                last_error = Some(e);
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        }
    }
    panic!("chromedriver did not start: {last_error:?}");
}

async fn wait_for(client: &Client, css: &str) -> fantoccini::elements::Element {
    client
        .wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::Css(css))
        .await
        .unwrap_or_else(|e| panic!("waiting for {css}: {e}"))
}

/// Answers the 10 questions of the quiz on screen (the first option each time) and returns the
/// text of the review list that follows.
async fn answer_ten_questions(client: &Client) -> String {
    for n in 1..=10 {
        wait_for(
            client,
            &format!(".question-form input[name=position][value=\"{n}\"]"),
        )
        .await;
        let heading = wait_for(client, "#step-heading")
            .await
            .text()
            .await
            .unwrap();
        assert_eq!(heading, format!("Câu {n}/10"));
        wait_for(client, "label[for=option-0]")
            .await
            .click()
            .await
            .unwrap();
        wait_for(client, ".question-form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
    }
    let review = wait_for(client, ".review-list").await.text().await.unwrap();
    assert_eq!(review.matches("Đã trả lời").count(), 10, "{review}");
    review
}

/// Submits from the review step and returns the score line, after checking that every question
/// shows its explanation and its correct answer.
async fn submit_and_read_score(client: &Client) -> String {
    wait_for(client, "form[action*=submit_attempt] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let score = wait_for(client, ".score").await.text().await.unwrap();
    assert!(
        score.starts_with("Điểm:") && score.ends_with("/10"),
        "{score}"
    );
    assert_eq!(
        client
            .find_all(Locator::Css(".result-item"))
            .await
            .unwrap()
            .len(),
        10
    );
    assert_eq!(
        client
            .find_all(Locator::Css(".result-item .explanation"))
            .await
            .unwrap()
            .len(),
        10
    );
    // Every question shows its key: the correct option, or a warning-signs message's
    // suspicious parts.
    let with_key = client
        .execute(
            "return [...document.querySelectorAll('.result-item')].filter(i => i.querySelector('.tag-correct, mark.part-suspicious')).length;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        with_key,
        json!(10),
        "every question shows its correct answer"
    );
    score
}

/// Opens the phishing lesson and starts its practice quiz.
async fn start_from_lesson(app: &TestApp, client: &Client) {
    client
        .goto(&format!(
            "{}/bai-hoc/nhan-dien-lien-ket-gia-mao",
            app.address
        ))
        .await
        .unwrap();
    let heading = wait_for(client, "article.lesson h1")
        .await
        .text()
        .await
        .unwrap();
    assert!(!heading.is_empty());
    wait_for(client, ".practice-box button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_pupil_with_javascript_takes_a_quiz_without_any_page_reload() {
    let app = spawn_app().await;
    let browser = browser(true).await;
    let client = &browser.client;
    start_from_lesson(&app, client).await;
    // Question 1 is a new page; from here on the quiz island does everything in place.
    wait_for(client, ".quiz[data-ready=true]").await;
    // A value on `window` survives in-page updates but not a page load.
    client
        .execute("window.__khienSoMarker = 42; return null;", vec![])
        .await
        .unwrap();
    answer_ten_questions(client).await;
    let url = client.current_url().await.unwrap();
    assert!(
        url.path().ends_with("/nop-bai"),
        "the address follows the quiz: {url}"
    );
    submit_and_read_score(client).await;
    let marker = client
        .execute("return window.__khienSoMarker ?? null;", vec![])
        .await
        .unwrap();
    assert_eq!(marker, json!(42), "the page was reloaded during the quiz");
    let url = client.current_url().await.unwrap();
    assert!(url.path().ends_with("/ket-qua"), "{url}");
    browser.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_pupil_without_javascript_takes_a_quiz_with_plain_forms() {
    let app = spawn_app().await;
    let browser = browser(false).await;
    let client = &browser.client;
    start_from_lesson(&app, client).await;
    answer_ten_questions(client).await;
    submit_and_read_score(client).await;
    // JavaScript really was off: the page was never hydrated.
    assert!(
        client
            .find(Locator::Css("html[data-hydrated]"))
            .await
            .is_err()
    );
    let url = client.current_url().await.unwrap();
    assert!(url.path().ends_with("/ket-qua"), "{url}");
    browser.client.clone().close().await.unwrap();
}

/// Starts the practice of topic `otp` from the practice page, as a pupil would.
async fn start_otp_practice(app: &TestApp, client: &Client) {
    client
        .goto(&format!("{}/luyen-tap", app.address))
        .await
        .unwrap();
    wait_for(
        client,
        "form:has(input[name=scope][value='topic:otp']) button[type=submit]",
    )
    .await
    .click()
    .await
    .unwrap();
}

#[tokio::test]
async fn a_warning_signs_message_is_answered_by_tapping_its_parts_with_and_without_javascript() {
    for javascript in [true, false] {
        let dir = content_fixture(&[
            ("topics.toml", FIXTURE_TOPICS),
            ("questions/otp.toml", SIGNS_FIXTURE),
        ]);
        let app = spawn_app_with(test_config(Some(&dir)).await).await;
        let browser = browser(javascript).await;
        let client = &browser.client;
        start_otp_practice(&app, client).await;
        wait_for(client, "figure.message-sms").await;
        if javascript {
            wait_for(client, ".quiz[data-ready=true]").await;
            client
                .execute("window.__khienSoMarker = 7; return null;", vec![])
                .await
                .unwrap();
        }
        // The parts sit in the message, in its order; each is tapped on its words.
        let parts = client
            .execute(
                "return [...document.querySelectorAll('figure.message .sign-part label')].map(l => l.textContent);",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(
            parts,
            json!(["VNeID-HoTro", "sẽ bị khóa", "tổng đài in trên thẻ"])
        );
        // Tap all three, then think again about the third (innocent) one.
        for part in [0, 1, 2, 2] {
            wait_for(client, &format!("label[for=option-{part}]"))
                .await
                .click()
                .await
                .unwrap();
        }
        let ticked = client
            .execute(
                "return [...document.querySelectorAll('.sign-part input')].map(i => i.checked);",
                vec![],
            )
            .await
            .unwrap();
        assert_eq!(ticked, json!([true, true, false]));
        if javascript {
            // Each tap is saved at once, without a page load.
            client
                .wait()
                .at_most(Duration::from_secs(20))
                .for_element(Locator::XPath(
                    "//p[contains(@class,'autosave') and contains(., 'Đã lưu')]",
                ))
                .await
                .unwrap();
        }
        wait_for(client, ".question-form button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        wait_for(client, "form[action*=submit_attempt] button[type=submit]")
            .await
            .click()
            .await
            .unwrap();
        let score = wait_for(client, ".score").await.text().await.unwrap();
        assert_eq!(score, "Điểm: 1/1", "javascript {javascript}");
        // The result marks the suspicious parts in the message and says why for each part.
        let marked = client
            .find_all(Locator::Css("figure.message mark.part-suspicious"))
            .await
            .unwrap();
        assert_eq!(marked.len(), 2);
        let notes = wait_for(client, ".part-list").await.text().await.unwrap();
        for expected in [
            "Đáng ngờ — em đã chọn (+1)",
            "Không đáng ngờ — em đã không chọn",
            "Tên tự đặt.",
            "Giục gấp.",
            "Cách kiểm tra đúng.",
        ] {
            assert!(notes.contains(expected), "{expected}: {notes}");
        }
        let stored = app::entities::attempt::Entity::find()
            .all(&app.db)
            .await
            .unwrap();
        assert_eq!(
            stored.iter().map(|a| a.points).collect::<Vec<_>>(),
            vec![Some(100)]
        );
        if javascript {
            let marker = client
                .execute("return window.__khienSoMarker ?? null;", vec![])
                .await
                .unwrap();
            assert_eq!(marker, json!(7), "the page was reloaded during the quiz");
        } else {
            assert!(
                client
                    .find(Locator::Css("html[data-hydrated]"))
                    .await
                    .is_err()
            );
        }
        browser.client.clone().close().await.unwrap();
    }
}

/// Presses `key` on whatever has focus (a real key press, not a click).
async fn press(client: &Client, key: &str) {
    client
        .active_element()
        .await
        .unwrap()
        .send_keys(key)
        .await
        .unwrap();
}

async fn active(client: &Client, script: &str) -> serde_json::Value {
    client
        .execute(
            &format!("const e = document.activeElement; return {script};"),
            vec![],
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn a_question_can_be_answered_with_the_keyboard_alone_and_focus_is_visible() {
    let app = spawn_app().await;
    let browser = browser(true).await;
    let client = &browser.client;
    client
        .goto(&format!("{}/bai-hoc/bao-ve-ma-otp", app.address))
        .await
        .unwrap();
    wait_for(client, ".practice-box button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_for(client, ".quiz[data-ready=true]").await;
    // Tab from the top of the page to the first option.
    let mut reached = false;
    for _ in 0..30 {
        press(client, "\u{e004}").await; // Tab
        if active(
            client,
            "e.name === 'choice[0]' || (e.name || '').startsWith('choice[')",
        )
        .await
            == json!(true)
        {
            reached = true;
            break;
        }
    }
    assert!(reached, "Tab never reached an answer option");
    let outline = active(client, "getComputedStyle(e).outlineStyle").await;
    assert_ne!(outline, json!("none"), "focused option shows a focus ring");
    press(client, " ").await; // Space selects the focused option
    assert_eq!(active(client, "e.checked").await, json!(true));
    // Tab on to the submit button and press Enter.
    for _ in 0..10 {
        press(client, "\u{e004}").await;
        if active(client, "e.type === 'submit'").await == json!(true) {
            break;
        }
    }
    assert_eq!(active(client, "e.type").await, json!("submit"));
    press(client, "\u{e007}").await; // Enter
    wait_for(client, ".question-form input[name=position][value=\"2\"]").await;
    let progress = wait_for(client, ".progress-text")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        progress.contains("1/10"),
        "the answer was saved: {progress}"
    );
    // Focus moved to the new question's heading for screen-reader users.
    let heading = active(client, "e.id").await;
    assert_eq!(heading, json!("step-heading"));
    browser.client.clone().close().await.unwrap();
}

async fn fill(client: &Client, css: &str, text: &str) {
    wait_for(client, css).await.send_keys(text).await.unwrap();
}

#[tokio::test]
async fn a_teacher_without_javascript_opens_a_class_code_and_a_pupil_joins_with_it() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;

    // The teacher's browser has JavaScript off: everything is plain forms and redirects.
    let teacher = browser(false).await;
    let t = &teacher.client;
    t.goto(&format!("{}/dang-nhap", app.address)).await.unwrap();
    fill(t, "#username", "giaovien").await;
    fill(t, "#password", TEST_PASSWORD).await;
    wait_for(t, ".stack-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_for(t, ".facts").await;
    t.find(Locator::LinkText("Trường: Trường THCS Thử Nghiệm A"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    t.find(Locator::LinkText("8A"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(t, "form button[name=enable][value=true]")
        .await
        .click()
        .await
        .unwrap();
    let code = wait_for(t, ".join-code").await.text().await.unwrap();
    assert_eq!(code.len(), 6, "a six-character code: {code}");
    assert!(t.find(Locator::Css("html[data-hydrated]")).await.is_err());

    // The pupil's phone has JavaScript on; the form works the same.
    let pupil = browser(true).await;
    let p = &pupil.client;
    p.goto(&format!("{}/tham-gia", app.address)).await.unwrap();
    fill(p, "#code", &code.to_lowercase()).await;
    fill(p, "#full_name", "Đỗ Thu Hà").await;
    fill(p, "#password", "giu-bi-mat-nhe").await;
    fill(p, "#confirm", "giu-bi-mat-nhe").await;
    wait_for(p, ".stack-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let notice = wait_for(p, "p.notice[role=status] strong")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        notice.starts_with("hadt"),
        "the username to remember: {notice}"
    );

    // Back in the teacher's browser, the class lists the new pupil.
    t.goto(&format!("{}/lop/{}", app.address, people.class_a))
        .await
        .unwrap();
    let table = wait_for(t, "table").await.text().await.unwrap();
    assert!(
        table.contains("Đỗ Thu Hà") && table.contains(&notice),
        "{table}"
    );
    teacher.client.clone().close().await.unwrap();
    pupil.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn in_a_contest_each_choice_is_saved_at_once_and_the_time_left_counts_down() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let round = open_round(&app.db).await;
    let pupil = browser(true).await;
    let p = &pupil.client;
    p.goto(&format!("{}/dang-nhap?next=/cuoc-thi", app.address))
        .await
        .unwrap();
    fill(p, "#username", "hocsinh").await;
    fill(p, "#password", TEST_PASSWORD).await;
    wait_for(p, ".stack-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_for(p, &format!("form input[name=round_id][value=\"{round}\"]")).await;
    wait_for(p, "form[action*=enter_round] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_for(p, "html[data-hydrated]").await;
    wait_for(p, ".quiz[data-ready=true]").await;
    let first = wait_for(p, "[role=timer]").await.text().await.unwrap();
    assert!(
        first.starts_with("Còn lại: 9 phút") || first.starts_with("Còn lại: 10 phút"),
        "{first}"
    );

    // Choosing is saving: no button pressed.
    wait_for(p, "label[for=option-1]")
        .await
        .click()
        .await
        .unwrap();
    p.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(
            "//p[@class='autosave' and contains(., 'Đã lưu câu trả lời')]",
        ))
        .await
        .expect("the pupil sees that the answer is saved");
    let progress = wait_for(p, ".progress-text").await.text().await.unwrap();
    assert!(
        progress.contains("1/5"),
        "the answered count follows: {progress}"
    );
    let url = p.current_url().await.unwrap();
    let attempt = url
        .path()
        .trim_start_matches("/luyen-tap/")
        .trim_end_matches("/cau/1")
        .to_owned();
    let saved = app::entities::attempt_item::Entity::find_by_id((attempt, 1))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        saved.chosen.is_some(),
        "in the database before pressing anything"
    );

    tokio::time::sleep(Duration::from_millis(2_200)).await;
    let later = wait_for(p, "[role=timer]").await.text().await.unwrap();
    assert_ne!(first, later, "the countdown moves");
    pupil.client.clone().close().await.unwrap();
}

/// Chromium's network emulation: offline or back online.
#[derive(Debug)]
struct Network {
    offline: bool,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Network {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/chromium/network_conditions",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let conditions = json!({ "network_conditions": {
            "offline": self.offline,
            "latency": 0,
            "download_throughput": 100_000_000,
            "upload_throughput": 100_000_000,
        }});
        (http::Method::POST, Some(conditions.to_string()))
    }
}

#[tokio::test]
async fn an_answer_chosen_offline_is_kept_and_sent_when_the_network_returns() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    open_round(&app.db).await;
    let pupil = browser(true).await;
    let p = &pupil.client;
    p.goto(&format!("{}/dang-nhap?next=/cuoc-thi", app.address))
        .await
        .unwrap();
    fill(p, "#username", "hocsinh").await;
    fill(p, "#password", TEST_PASSWORD).await;
    wait_for(p, ".stack-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_for(p, "form[action*=enter_round] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_for(p, ".quiz[data-ready=true]").await;
    let url = p.current_url().await.unwrap();
    let attempt = url
        .path()
        .trim_start_matches("/luyen-tap/")
        .trim_end_matches("/cau/1")
        .to_owned();

    p.issue_cmd(Network { offline: true }).await.unwrap();
    wait_for(p, "label[for=option-2]")
        .await
        .click()
        .await
        .unwrap();
    p.wait()
        .at_most(Duration::from_secs(20))
        .for_element(Locator::XPath(
            "//p[@class='autosave' and contains(., 'Chưa có kết nối')]",
        ))
        .await
        .expect("the pupil is told the answer is waiting for the network");
    let item = |attempt: String| {
        let db = app.db.clone();
        async move {
            app::entities::attempt_item::Entity::find_by_id((attempt, 1))
                .one(&db)
                .await
                .unwrap()
                .unwrap()
        }
    };
    assert!(
        item(attempt.clone()).await.chosen.is_none(),
        "not sent while offline"
    );

    p.issue_cmd(Network { offline: false }).await.unwrap();
    p.wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::XPath(
            "//p[@class='autosave' and contains(., 'Đã lưu câu trả lời')]",
        ))
        .await
        .expect("sent again once back online");
    let saved = item(attempt).await;
    let order: Vec<usize> = serde_json::from_str(&saved.option_order).unwrap();
    assert_eq!(
        saved.chosen.as_deref(),
        Some(format!("[{}]", order[2]).as_str()),
        "the option chosen offline is the one stored"
    );
    pupil.client.clone().close().await.unwrap();
}

async fn sign_in(client: &Client, app: &TestApp, username: &str) {
    client
        .goto(&format!("{}/dang-nhap", app.address))
        .await
        .unwrap();
    fill(client, "#username", username).await;
    fill(client, "#password", TEST_PASSWORD).await;
    wait_for(client, ".stack-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    wait_for(client, ".facts").await;
}

/// Saves a screenshot to `$KHIEN_SO_SCREENSHOTS/<name>.png` when that variable names a folder
/// (to look at the pages a test walks through); does nothing otherwise.
async fn screenshot(client: &Client, name: &str) {
    if let Ok(dir) = std::env::var("KHIEN_SO_SCREENSHOTS") {
        let png = client.screenshot().await.unwrap();
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(std::path::Path::new(&dir).join(format!("{name}.png")), png).unwrap();
    }
}

#[tokio::test]
async fn a_teacher_sets_a_lesson_for_a_class_and_sees_the_pupil_who_did_it_without_javascript() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;

    // The teacher, on a phone with JavaScript: from the class page to the form, and set it.
    let teacher = phone().await;
    let t = &teacher.client;
    sign_in(t, &app, "giaovien").await;
    t.goto(&format!("{}/lop/{}", app.address, people.class_a))
        .await
        .unwrap();
    t.find(Locator::LinkText("Giao bài mới"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    wait_for(t, "#work")
        .await
        .select_by_value("lesson:nhan-dien-lien-ket-gia-mao")
        .await
        .unwrap();
    let ticked = wait_for(t, &format!("input[name=\"class[{}]\"]", people.class_a))
        .await
        .prop("checked")
        .await
        .unwrap();
    assert_eq!(
        ticked.as_deref(),
        Some("true"),
        "the class it was opened from"
    );
    fill(t, "#note", "Đọc kỹ phần dấu hiệu nhận biết.").await;
    screenshot(t, "giao-bai-form").await;
    wait_for(t, ".stack-form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let notice = wait_for(t, "p.notice[role=status]")
        .await
        .text()
        .await
        .unwrap();
    assert!(notice.starts_with("Đã giao bài"), "{notice}");

    // The pupil, JavaScript off: the work is on their account page; they do it with forms.
    let pupil = browser(false).await;
    let p = &pupil.client;
    sign_in(p, &app, "hocsinh").await;
    let card = wait_for(p, ".assigned-card").await.text().await.unwrap();
    assert!(
        card.contains("Chưa làm") && card.contains("Đọc kỹ phần dấu hiệu"),
        "{card}"
    );
    screenshot(p, "bai-duoc-giao-hoc-sinh").await;
    wait_for(p, ".assigned-card form button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    answer_ten_questions(p).await;
    let score = submit_and_read_score(p).await;
    p.goto(&format!("{}/tai-khoan", app.address)).await.unwrap();
    let card = wait_for(p, ".assigned-card").await.text().await.unwrap();
    assert!(card.contains("Đã nộp"), "{card}");
    assert!(p.find(Locator::Css("html[data-hydrated]")).await.is_err());

    // Back with the teacher: the pupil handed it in, with the score they saw.
    t.goto(&format!("{}/lop/{}", app.address, people.class_a))
        .await
        .unwrap();
    wait_for(t, "a[href^=\"/giao-bai/\"]")
        .await
        .click()
        .await
        .unwrap();
    let grid = wait_for(t, ".grid-table").await.text().await.unwrap();
    assert!(
        grid.contains("Người Thử hocsinh") && grid.contains("Đã nộp"),
        "{grid}"
    );
    let points = score.trim_start_matches("Điểm:").trim().to_owned();
    assert!(grid.contains(&points), "{points} in {grid}");
    screenshot(t, "giao-bai-ket-qua").await;
    teacher.client.clone().close().await.unwrap();
    pupil.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn a_teacher_logs_an_offline_program_with_its_evidence_and_the_department_approves_it() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;

    // The teacher fills the form in a real browser and attaches a file.
    let teacher = browser(true).await;
    let t = &teacher.client;
    sign_in(t, &app, "giaovien").await;
    t.goto(&format!(
        "{}/truong/{}/tham-gia",
        app.address, people.school_a
    ))
    .await
    .unwrap();
    wait_for(t, "#track")
        .await
        .select_by_value("B")
        .await
        .unwrap();
    fill(t, "#title", "Ngoại khóa: nhận diện tin giả").await;
    let today = app::clock::vietnam_date(app::clock::now_ms());
    t.execute(
        "document.getElementById('held_on').value = arguments[0];",
        vec![json!(today)],
    )
    .await
    .unwrap();
    fill(t, "#participants", "320").await;
    let evidence = std::env::temp_dir().join(format!("bien-ban-{}.pdf", uuid::Uuid::new_v4()));
    std::fs::write(&evidence, b"%PDF-1.7 bien ban ngoai khoa").unwrap();
    wait_for(t, "#file")
        .await
        .send_keys(&evidence.display().to_string())
        .await
        .unwrap();
    wait_for(t, "form[enctype='multipart/form-data'] button[type=submit]")
        .await
        .click()
        .await
        .unwrap();
    let notice = wait_for(t, "p.notice[role=status]")
        .await
        .text()
        .await
        .unwrap();
    assert!(notice.contains("Đã gửi hoạt động"), "{notice}");
    let card = wait_for(t, "ul.cards li.card").await.text().await.unwrap();
    assert!(
        card.contains("Chờ duyệt") && card.contains("bien-ban-"),
        "{card}"
    );
    let _ = std::fs::remove_file(&evidence);

    // The department official, without JavaScript, approves it and sees the school covered.
    let official = browser(false).await;
    let o = &official.client;
    sign_in(o, &app, "so.gddt").await;
    o.goto(&format!("{}/bao-cao/chuong-trinh", app.address))
        .await
        .unwrap();
    wait_for(o, "form input[name=decision][value=duyet] ~ button")
        .await
        .click()
        .await
        .unwrap();
    let notice = wait_for(o, "p.notice[role=status]")
        .await
        .text()
        .await
        .unwrap();
    assert!(notice.contains("Đã ghi nhận"), "{notice}");
    o.goto(&format!("{}/bao-cao", app.address)).await.unwrap();
    let chart = wait_for(o, "svg.chart[role=img]").await;
    let labelled_by = chart.attr("aria-labelledby").await.unwrap().unwrap();
    assert!(labelled_by.contains("summary-chart-title"), "{labelled_by}");
    let summary = wait_for(o, "table").await.text().await.unwrap();
    assert!(
        summary.contains("Mạch B") && summary.contains("1/1"),
        "THCS, track B: 1 of 1 school covered\n{summary}"
    );
    teacher.client.clone().close().await.unwrap();
    official.client.clone().close().await.unwrap();
}

/// axe-core's source (`scripts/test.sh` installs the pinned version into `.tools/`).
fn axe_source() -> String {
    let path = std::env::var("KHIEN_SO_AXE")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| workspace_root().join(".tools/node_modules/axe-core/axe.min.js"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read axe-core at {}: {e} (scripts/test.sh installs it: npm install --prefix .tools axe-core)",
            path.display()
        )
    })
}

/// What is wrong with the page on screen: wider than the phone's screen (outside a scrolling
/// table), or a WCAG 2.2 A/AA violation axe-core finds. One line per problem.
async fn page_problems(client: &Client, axe: &str, label: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let width = client
        .execute(
            "return [document.documentElement.scrollWidth, window.innerWidth, document.title];",
            vec![],
        )
        .await
        .unwrap();
    let (page_width, screen) = (
        width[0].as_f64().unwrap_or(0.0),
        width[1].as_f64().unwrap_or(0.0),
    );
    if page_width > 390.0 || screen > 390.0 {
        // Name what sticks out (outside anything that scrolls on its own).
        let wide = client
            .execute(
                r#"const out = [];
                   for (const e of document.querySelectorAll('body *')) {
                     const r = e.getBoundingClientRect();
                     if (r.right <= 390.5) continue;
                     let scrolls = false;
                     for (let p = e.parentElement; p; p = p.parentElement) {
                       if (getComputedStyle(p).overflowX !== 'visible') { scrolls = true; break; }
                     }
                     if (!scrolls) out.push(e.tagName.toLowerCase() + '.' + e.className + ' (' + Math.round(r.right) + ' px): ' + (e.textContent || '').slice(0, 40));
                   }
                   return out.slice(0, 5).join('; ');"#,
                vec![],
            )
            .await
            .unwrap();
        problems.push(format!(
            "{label}: the page is {page_width} px wide on a 390 px screen: {}",
            wide.as_str().unwrap_or_default()
        ));
    }
    client.execute(axe, vec![]).await.unwrap();
    let violations = client
        .execute_async(
            r#"const done = arguments[arguments.length - 1];
               axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa'] } })
                 .then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' — ' + v.nodes.map(n => n.target.join(' ')).slice(0, 3).join(', '))))
                 .catch(e => done(['axe failed: ' + e]));"#,
            vec![],
        )
        .await
        .unwrap();
    for violation in violations.as_array().cloned().unwrap_or_default() {
        problems.push(format!(
            "{label}: {}",
            violation.as_str().unwrap_or_default()
        ));
    }
    problems
}

#[tokio::test]
async fn every_page_of_every_role_fits_a_phone_and_passes_the_accessibility_checks() {
    use app::entities::{account, contest_round, role_grant, school_class};
    use sea_orm::{ColumnTrait, QueryFilter, QueryOrder};
    let app = spawn_app().await;
    // The demo province, as `scripts/demo.sh` shows it (two schools with classes and pupils).
    let school_year = seed_demo_province(&app.db, 2).await;
    let axe = axe_source();
    let mut problems = Vec::new();
    let mut checked = 0;
    // A guest's practice quiz (a question, the review page and the result), before the demo
    // round opens and holds back its questions.
    {
        let phone = phone().await;
        let client = &phone.client;
        start_from_lesson(&app, client).await;
        wait_for(client, ".quiz[data-ready=true]").await;
        problems.extend(page_problems(client, &axe, "khách: câu hỏi luyện tập").await);
        answer_ten_questions(client).await;
        problems.extend(page_problems(client, &axe, "khách: nộp bài").await);
        submit_and_read_score(client).await;
        problems.extend(page_problems(client, &axe, "khách: kết quả").await);
        checked += 3;
        phone.client.clone().close().await.unwrap();
    }
    let now = app::clock::now_ms();
    app::contests::service::seed_demo_contest(&app.db, now)
        .await
        .unwrap();
    app::coverage::service::seed_demo_participation(&app.db, school_year, now)
        .await
        .unwrap();
    let assignment = app::classroom::service::seed_demo_assignment(&app.db, now)
        .await
        .unwrap()
        .expect("the demo assignment");
    let assigned_class = app::entities::assignment_class::Entity::find()
        .filter(app::entities::assignment_class::Column::AssignmentId.eq(assignment))
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo assignment's class")
        .class_id;
    let account_id = |username: &'static str| {
        let db = app.db.clone();
        async move {
            account::Entity::find()
                .filter(account::Column::Username.eq(username))
                .one(&db)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("demo account {username}"))
                .id
        }
    };
    let teacher = account_id("giaovien").await;
    let school = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(teacher))
        .one(&app.db)
        .await
        .unwrap()
        .and_then(|g| g.school_id)
        .expect("the teacher's school");
    let class = school_class::Entity::find()
        .filter(school_class::Column::SchoolId.eq(school))
        .order_by_asc(school_class::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("a class")
        .id;
    let quiz = quiz_for(&app.db, school, teacher, false).await;
    let round = contest_round::Entity::find()
        .order_by_asc(contest_round::Column::Id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the demo round")
        .id;
    let pages: Vec<(Option<&str>, Vec<String>)> = vec![
        (
            None,
            [
                "/",
                "/bai-hoc",
                "/bai-hoc/nhan-dien-lien-ket-gia-mao",
                "/bai-hoc/so-lieu-bieu-do-gay-hieu-lam",
                "/bai-hoc/bao-ve-ma-otp",
                "/luyen-tap",
                "/tien-do",
                "/dang-nhap",
                "/tham-gia",
                "/cuoc-thi",
                "/chung-nhan",
                "/cuoc-thi/quan-ly",
                "/bao-cao",
                "/khong-co-trang-nay",
            ]
            .map(str::to_owned)
            .into_iter()
            .chain([format!("/cuoc-thi/vong/{round}/bang-xep-hang")])
            .collect(),
        ),
        (
            Some("hs000001"),
            [
                "/tai-khoan",
                "/doi-mat-khau",
                "/tien-do",
                "/cuoc-thi",
                "/bao-cao",
                "/quan-tri",
            ]
            .map(str::to_owned)
            .to_vec(),
        ),
        (
            Some("giaovien"),
            vec![
                "/tai-khoan".to_owned(),
                format!("/truong/{school}"),
                format!("/truong/{school}/tham-gia"),
                format!("/lop/{class}"),
                format!("/lop/{class}/phieu"),
                format!("/lop/{class}/giao-bai"),
                format!("/giao-bai/{assignment}?lop={assigned_class}"),
                format!("/giao-bai/{assignment}/chua-lam?lop={assigned_class}"),
                format!("/truong/{school}/de"),
                format!("/de/{quiz}?mach=A"),
            ],
        ),
        (
            Some("hieutruong"),
            vec![
                format!("/truong/{school}"),
                format!("/truong/{school}/tham-gia"),
            ],
        ),
        (
            Some("canbo.xa"),
            ["/tai-khoan", "/bao-cao", "/quan-tri"]
                .map(str::to_owned)
                .to_vec(),
        ),
        (
            Some("so.gddt"),
            vec![
                "/bao-cao".to_owned(),
                "/bao-cao/in".to_owned(),
                "/bao-cao/quy-tac".to_owned(),
                "/bao-cao/chuong-trinh".to_owned(),
                "/quan-tri".to_owned(),
                format!("/truong/{school}/tham-gia"),
            ],
        ),
        (
            Some("btc"),
            vec![
                "/cuoc-thi".to_owned(),
                "/cuoc-thi/quan-ly".to_owned(),
                format!("/cuoc-thi/vong/{round}/ket-qua"),
                format!("/cuoc-thi/vong/{round}/phan-tich"),
            ],
        ),
        (
            Some("admin"),
            vec![
                "/quan-tri".to_owned(),
                "/quan-tri/nhat-ky".to_owned(),
                "/quan-tri/nguoi-dung".to_owned(),
                format!("/quan-tri/nguoi-dung/{teacher}"),
            ],
        ),
    ];
    for (username, paths) in pages {
        let phone = phone().await;
        let client = &phone.client;
        let who = username.unwrap_or("khách");
        if let Some(username) = username {
            sign_in(client, &app, username).await;
        }
        for path in &paths {
            client
                .goto(&format!("{}{path}", app.address))
                .await
                .unwrap();
            wait_for(client, "main#main").await;
            problems.extend(page_problems(client, &axe, &format!("{who} {path}")).await);
            let name: String = format!("{who}{path}")
                .chars()
                .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
                .collect();
            screenshot(client, &name).await;
            checked += 1;
        }
        // The same pages in English for visitors: the language switch keeps the layout.
        if username.is_none() {
            client
                .goto(&format!("{}/ngon-ngu?lang=en", app.address))
                .await
                .unwrap();
            for path in ["/", "/bai-hoc", "/cuoc-thi"] {
                client
                    .goto(&format!("{}{path}", app.address))
                    .await
                    .unwrap();
                wait_for(client, "main#main").await;
                problems.extend(page_problems(client, &axe, &format!("{who} (en) {path}")).await);
                checked += 1;
            }
        }
        phone.client.clone().close().await.unwrap();
    }
    println!("checked {checked} pages at 390 px with axe-core (WCAG 2.2 A and AA)");
    assert!(checked >= 40, "{checked}");
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
