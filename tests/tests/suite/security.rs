//! What an attacker with a teacher's, a pupil's or no account can send, and what must still hold:
//! the server keeps answering, keys stay secret, limits hold in parallel, no markup or redirect
//! escapes. Each test reproduces a finding of the security review and failed before its fix.

use app::entities::{account, attempt, offline_program, question, role_grant};
use khien_so_tests::{
    TEST_PASSWORD, TestApp, account_with_grant, account_with_test_password, bare_client,
    other_browser, seed_people, server_fn_url, spawn_app, spawn_app_with, test_config, xlsx_with,
};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::time::{Duration, Instant};

async fn upload(app: &TestApp, path: &str, file_name: &str, bytes: Vec<u8>) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
    );
    app.client
        .post(format!("{}{path}", app.address))
        .header("origin", &app.address)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// The text of the import report an upload was sent to.
async fn report_of(app: &TestApp, response: reqwest::Response) -> String {
    assert_eq!(response.status().as_u16(), 303, "the upload is answered");
    let location = response.headers()["location"].to_str().unwrap().to_owned();
    app.get(&location).await.1
}

async fn healthy(app: &TestApp) {
    let (status, body) = app.get("/healthz").await;
    assert_eq!(
        (status, body.as_str()),
        (200, "ok"),
        "the server still answers"
    );
}

#[tokio::test]
async fn crafted_spreadsheets_are_refused_clearly_and_the_server_keeps_running() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    app.login("giaovien", TEST_PASSWORD).await;
    let path = format!("/truong/{}/nhap-danh-sach", people.school_a);
    let header = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>họ và tên</t></is></c><c r="B1" t="inlineStr"><is><t>lớp</t></is></c><c r="C1" t="inlineStr"><is><t>khối</t></is></c></row>"#;

    // 1. A declared count of 100 billion shared strings (the reader reserved 2.4 TB and the
    //    process aborted). The file itself is fine apart from the count, so it imports.
    let shared = r#"<sst count="100000000000" uniqueCount="100000000000"><si><t>Nguyễn Văn An</t></si></sst>"#;
    let rows = format!(
        r#"{header}<row r="2"><c r="A2" t="s"><v>0</v></c><c r="B2" t="inlineStr"><is><t>9A</t></is></c><c r="C2"><v>9</v></c></row>"#
    );
    let bytes = xlsx_with(&rows, shared);
    assert!(bytes.len() < 10_000);
    let html = report_of(&app, upload(&app, &path, "lop.xlsx", bytes).await).await;
    assert!(html.contains("Tạo 1 tài khoản học sinh mới"), "{html}");
    healthy(&app).await;

    // 2. Cells at A1 and XFD1048576 (the reader sized the rectangle between them: 550 GB).
    let far = format!(
        r#"{header}<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>x</t></is></c></row>"#
    );
    let html = report_of(
        &app,
        upload(&app, &path, "xa.xlsx", xlsx_with(&far, "<sst/>")).await,
    )
    .await;
    assert!(html.contains("dòng 1.048.576"), "the refusal names the row");
    assert!(html.contains("20.000"), "and the limit");
    healthy(&app).await;

    // 3. A part that inflates to 200 MB from a small file.
    let bomb_part = format!(
        "<sst>{}</sst>",
        "<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>"
            .repeat(2_600_000)
    );
    let bytes = xlsx_with(header, &bomb_part);
    assert!(bytes.len() < 2_000_000, "compressed {}", bytes.len());
    let html = report_of(&app, upload(&app, &path, "bom.xlsx", bytes).await).await;
    assert!(html.contains("giải nén ra quá lớn"), "{html}");
    healthy(&app).await;

    // 4. Not a workbook at all.
    let html = report_of(
        &app,
        upload(&app, &path, "hong.xlsx", b"PK\x03\x04 not really".to_vec()).await,
    )
    .await;
    assert!(html.contains("không mở được tệp Excel"));
    healthy(&app).await;
}

#[tokio::test]
async fn a_workbook_with_several_filled_sheets_is_refused_naming_them() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    app.login("giaovien", TEST_PASSWORD).await;
    let sheet = |name: &str| {
        let mut sheets = String::new();
        sheets.push_str(&format!(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>họ và tên</t></is></c><c r="B1" t="inlineStr"><is><t>lớp</t></is></c><c r="C1" t="inlineStr"><is><t>khối</t></is></c></row><row r="2"><c r="A2" t="inlineStr"><is><t>{name}</t></is></c><c r="B2" t="inlineStr"><is><t>9A</t></is></c><c r="C2"><v>9</v></c></row>"#
        ));
        format!(
            r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheets}</sheetData></worksheet>"#
        )
    };
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let book = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Lớp 9A" sheetId="1" r:id="rId1"/><sheet name="Lớp 9B" sheetId="2" r:id="rId2"/></sheets></workbook>"#;
    let book_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet2.xml"/></Relationships>"#;
    let (a, b) = (sheet("Nguyễn Văn An"), sheet("Trần Thị Bình"));
    let bytes = khien_so_tests::zip_package(&[
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", book.as_bytes()),
        ("xl/_rels/workbook.xml.rels", book_rels.as_bytes()),
        ("xl/worksheets/sheet1.xml", a.as_bytes()),
        ("xl/worksheets/sheet2.xml", b.as_bytes()),
    ]);
    let before = account::Entity::find().count(&app.db).await.unwrap();
    let path = format!("/truong/{}/nhap-danh-sach", people.school_a);
    let html = report_of(&app, upload(&app, &path, "hai-trang.xlsx", bytes).await).await;
    assert!(
        html.contains("2 trang tính (“Lớp 9A”, “Lớp 9B”)"),
        "the sheets are named: {html}"
    );
    assert_eq!(
        account::Entity::find().count(&app.db).await.unwrap(),
        before
    );
}

/// Distinct, valid Vietnamese full names.
fn names(count: usize) -> Vec<String> {
    let family = [
        "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
    ];
    let middle = [
        "Văn", "Thị", "Hữu", "Minh", "Ngọc", "Thanh", "Quốc", "Gia", "Bảo", "Đức",
    ];
    let given = [
        "An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Khánh", "Lan", "Long", "Mai", "Nam",
        "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Vy", "Yến", "Hùng", "Linh", "Tú",
    ];
    let mut out = Vec::new();
    'outer: for f in family {
        for m in middle {
            for g in given {
                out.push(format!("{f} {m} {g}"));
                if out.len() == count {
                    break 'outer;
                }
            }
        }
    }
    assert_eq!(out.len(), count);
    out
}

fn roster_csv(count: usize) -> Vec<u8> {
    let mut csv = String::from("họ và tên,lớp,khối\n");
    for (i, name) in names(count).iter().enumerate() {
        csv.push_str(&format!("{name},9A{},9\n", i / 45 + 1));
    }
    csv.into_bytes()
}

#[tokio::test]
async fn a_class_list_at_the_row_limit_imports_while_the_server_keeps_answering() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    app.login("hieutruong", TEST_PASSWORD).await;
    let path = format!("/truong/{}/nhap-danh-sach", people.school_a);

    // One row over the limit: refused with the figure, nothing written.
    let before = account::Entity::find().count(&app.db).await.unwrap();
    let limit = app::schools::roster::MAX_ROSTER_PUPILS;
    let html = report_of(
        &app,
        upload(&app, &path, "qua-nhieu.csv", roster_csv(limit + 1)).await,
    )
    .await;
    assert!(html.contains("tối đa 2.000 học sinh"), "{html}");
    assert_eq!(
        account::Entity::find().count(&app.db).await.unwrap(),
        before
    );

    // Another import of the same school is running: this one waits its turn.
    let now = app::clock::now_ms();
    let key = format!("import:school:{}", people.school_a);
    assert!(
        app::platform::limits::take_lease(&app.db, &key, "khac", now, 60_000)
            .await
            .unwrap()
    );
    let response = upload(&app, &path, "lop.csv", roster_csv(3)).await;
    assert_eq!(response.status().as_u16(), 409);
    assert!(response.text().await.unwrap().contains("đang được nhập"));
    app::platform::limits::release_lease(&app.db, &key, "khac")
        .await
        .unwrap();

    // A list at the limit, with /healthz asked every 100 ms meanwhile.
    let watcher = other_browser(&app);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watch = {
        let stop = stop.clone();
        tokio::spawn(async move {
            let mut slowest = Duration::ZERO;
            let mut asked = 0;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let started = Instant::now();
                healthy(&watcher).await;
                slowest = slowest.max(started.elapsed());
                asked += 1;
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
            (asked, slowest)
        })
    };
    // Two schools import a list at the limit at the same time (two 20,000-row uploads used to
    // leave /healthz unanswered for 165 s).
    let other_school = other_browser(&app);
    other_school.login("giaovien.b", TEST_PASSWORD).await;
    let path_b = format!("/truong/{}/nhap-danh-sach", people.school_b);
    let roster_b: Vec<u8> = String::from_utf8(roster_csv(limit))
        .unwrap()
        .replace(",9A", ",10A")
        .replace(",9\n", ",10\n")
        .into_bytes();
    let started = Instant::now();
    let (a, b) = tokio::join!(
        upload(&app, &path, "ca-khoi.csv", roster_csv(limit)),
        upload(&other_school, &path_b, "khoi-10.csv", roster_b)
    );
    let took = started.elapsed();
    let html = report_of(&app, a).await;
    let html_b = report_of(&other_school, b).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (asked, slowest) = watch.await.unwrap();
    println!(
        "two schools imported {limit} pupils each in {:.1} s; /healthz asked {asked} times meanwhile, slowest answer {} ms",
        took.as_secs_f64(),
        slowest.as_millis()
    );
    for page in [&html, &html_b] {
        assert!(
            page.contains(&format!("Tạo {limit} tài khoản học sinh mới")),
            "{page}"
        );
    }
    assert!(
        slowest < Duration::from_secs(2),
        "/healthz waited {slowest:?} during the import"
    );
}

#[tokio::test]
async fn a_hundred_parallel_guesses_meet_the_same_limit_as_guesses_made_one_by_one() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let action = app.action_on("/dang-nhap", "login").await;
    let right = 37;
    let guesses = (0..100).map(|i| {
        let me = other_browser(&app);
        let action = action.clone();
        tokio::spawn(async move {
            let password = if i == right {
                TEST_PASSWORD.to_owned()
            } else {
                format!("doan-sai-{i}")
            };
            me.post_form(
                &action,
                &[
                    ("username", "hocsinh"),
                    ("password", &password),
                    ("next", ""),
                ],
            )
            .await
            .1
            .unwrap_or_default()
        })
    });
    let mut checked = 0;
    let mut wrong = 0;
    for guess in guesses {
        let location = guess.await.unwrap();
        if !location.contains("loi=nhieu-lan") {
            checked += 1;
        }
        if location.contains("loi=sai") {
            wrong += 1;
        }
    }
    assert!(
        wrong <= 5,
        "{wrong} wrong passwords were checked (at most 5 may be)"
    );
    assert!(checked <= 6, "{checked} guesses were checked");
}

/// A school, or a mobile network, brings many pupils from one address, and at a round's opening
/// they sign in together while the server hashes passwords a few at a time: sign-ins still
/// waiting for their check are not failures, so more of them than the address's failure limit
/// all get in. (Each attempt used to be counted against the address before its check: with over
/// 100 waiting, the next was refused as "too many attempts" although none had failed.)
#[tokio::test]
async fn many_pupils_signing_in_at_once_from_one_address_all_get_in() {
    use app::accounts::auth::MAX_FAILURES_PER_ADDRESS;
    let app = spawn_app().await;
    let action = app.action_on("/dang-nhap", "login").await;
    let pupils = MAX_FAILURES_PER_ADDRESS as usize + 30;
    for i in 0..pupils {
        account_with_test_password(
            &app.db,
            &format!("hs.cung.dia.chi.{i}"),
            &format!("Học sinh {i}"),
        )
        .await;
    }
    let sign_ins: Vec<_> = (0..pupils)
        .map(|i| {
            let me = other_browser(&app);
            let action = action.clone();
            tokio::spawn(async move {
                let username = format!("hs.cung.dia.chi.{i}");
                me.post_form(
                    &action,
                    &[
                        ("username", username.as_str()),
                        ("password", TEST_PASSWORD),
                        ("next", ""),
                    ],
                )
                .await
                .1
                .unwrap_or_default()
            })
        })
        .collect();
    let mut refused = Vec::new();
    for sign_in in sign_ins {
        let location = sign_in.await.unwrap();
        if location.contains("loi=") {
            refused.push(location);
        }
    }
    assert!(
        refused.is_empty(),
        "{} of {pupils} refused: {:?}",
        refused.len(),
        refused.first()
    );
}

/// Failed sign-ins from one address still stop at the limit, whichever accounts they try.
#[tokio::test]
async fn failed_sign_ins_from_one_address_stop_at_the_limit() {
    use app::accounts::auth::MAX_FAILURES_PER_ADDRESS;
    let app = spawn_app().await;
    seed_people(&app.db).await;
    for i in 0..MAX_FAILURES_PER_ADDRESS {
        let location = app.login(&format!("khong.ton.tai.{i}"), "doan-sai").await;
        assert_eq!(
            location.as_deref(),
            Some("/dang-nhap?loi=sai"),
            "attempt {i}"
        );
    }
    let location = app.login("hocsinh", TEST_PASSWORD).await.unwrap();
    assert!(location.contains("loi=nhieu-lan"), "{location}");
}

fn from(app: &TestApp, address: &'static str) -> TestApp {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "x-forwarded-for",
        reqwest::header::HeaderValue::from_static(address),
    );
    headers.insert(
        "sec-fetch-site",
        reqwest::header::HeaderValue::from_static("same-origin"),
    );
    TestApp {
        client: reqwest::Client::builder()
            .default_headers(headers)
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap(),
        address: app.address.clone(),
        db: app.db.clone(),
        config: app.config.clone(),
    }
}

#[tokio::test]
async fn guessing_from_elsewhere_does_not_lock_a_pupil_out_of_their_own_computer() {
    let mut config = test_config(None).await;
    config.trust_proxy = true;
    let app = spawn_app_with(config).await;
    seed_people(&app.db).await;
    let stranger = from(&app, "192.0.2.10");
    for _ in 0..5 {
        assert_eq!(
            stranger.login("hocsinh", "doan-sai").await.as_deref(),
            Some("/dang-nhap?loi=sai")
        );
    }
    assert!(
        stranger
            .login("hocsinh", TEST_PASSWORD)
            .await
            .unwrap()
            .contains("loi=nhieu-lan"),
        "the guessing address is locked out"
    );
    let pupil = from(&app, "198.51.100.20");
    let location = pupil.login("hocsinh", TEST_PASSWORD).await.unwrap();
    assert!(!location.contains("loi="), "the pupil signs in: {location}");

    // Guessing spread over many addresses still stops, at 30 failures in all.
    let addresses: [&'static str; 6] = [
        "192.0.2.21",
        "192.0.2.22",
        "192.0.2.23",
        "192.0.2.24",
        "192.0.2.25",
        "192.0.2.26",
    ];
    for address in addresses {
        let guesser = from(&app, address);
        for _ in 0..5 {
            guesser.login("giaovien", "doan-sai").await;
        }
    }
    let location = from(&app, "203.0.113.7")
        .login("giaovien", TEST_PASSWORD)
        .await
        .unwrap();
    assert!(location.contains("loi=nhieu-lan"), "{location}");
}

#[tokio::test]
async fn a_locked_account_says_so_whatever_the_password() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    use sea_orm::sea_query::Expr;
    account::Entity::update_many()
        .col_expr(account::Column::Disabled, Expr::value(true))
        .filter(account::Column::Id.eq(people.teacher))
        .exec(&app.db)
        .await
        .unwrap();
    assert_eq!(
        app.login("giaovien", "sai-hoan-toan").await.as_deref(),
        Some("/dang-nhap?loi=khoa-tk")
    );
    assert_eq!(
        other_browser(&app)
            .login("giaovien", TEST_PASSWORD)
            .await
            .as_deref(),
        Some("/dang-nhap?loi=khoa-tk")
    );
}

/// The questions of an attempt's items.
async fn questions_of(app: &TestApp, attempt_id: &str) -> Vec<question::Model> {
    let mut out = Vec::new();
    for (_, revision) in khien_so_tests::attempt_questions(app, attempt_id).await {
        out.push(
            question::Entity::find_by_id(revision.question_id)
                .one(&app.db)
                .await
                .unwrap()
                .unwrap(),
        );
    }
    out
}

#[tokio::test]
async fn while_a_round_is_open_its_questions_stay_out_of_practice_and_out_of_every_review() {
    use app::domain::contest::DrawRule;
    let app = spawn_app().await;
    seed_people(&app.db).await;
    // The round draws from one topic; practice on the same track goes on.
    let sample = question::Entity::find()
        .filter(question::Column::Active.eq(true))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let topic = sample.topic.clone();

    // A practice attempt on that topic, finished before the round opens.
    let earlier = app.start_practice(&format!("topic:{topic}")).await;
    let submit = app
        .action_on(&format!("/luyen-tap/{earlier}/nop-bai"), "submit_attempt")
        .await;
    app.post_form(&submit, &[("attempt", &earlier)]).await;
    let (_, before) = app.get(&format!("/luyen-tap/{earlier}/ket-qua")).await;
    assert!(
        before.contains("class=\"explanation\""),
        "keys shown while no round is open"
    );

    // Keys only after the round closes: practice must not give them away sooner.
    let now = app::clock::now_ms();
    khien_so_tests::round_with(
        &app.db,
        now - 60_000,
        now + 3_600_000,
        vec![DrawRule {
            topic: Some(topic.clone()),
            count: 1,
            ..Default::default()
        }],
        false,
    )
    .await;

    // The earlier attempt's review no longer shows those keys.
    let (_, after) = app.get(&format!("/luyen-tap/{earlier}/ket-qua")).await;
    assert!(
        !after.contains("class=\"explanation\""),
        "no explanation while the round is open"
    );
    assert!(after.contains("giữ kín"), "the page says why");

    // Practice on the topic itself is closed while the round is open …
    let action = app.action_on("/luyen-tap", "start_practice").await;
    let (_, location) = app
        .post_form(&action, &[("scope", &format!("topic:{topic}"))])
        .await;
    assert!(
        !location.unwrap_or_default().ends_with("/cau/1"),
        "no practice attempt on the round's topic"
    );
    // … and the harvest the review found (216 anonymous attempts) draws none of its questions.
    for _ in 0..25 {
        let harvester = other_browser(&app);
        let attempt = harvester
            .start_practice(&format!("track:{}", sample.track))
            .await;
        for q in questions_of(&app, &attempt).await {
            assert_ne!(
                q.topic, topic,
                "practice drew a question the open round uses"
            );
        }
    }
}

#[tokio::test]
async fn anonymous_practice_starts_are_limited_per_browser() {
    let app = spawn_app().await;
    let action = app.action_on("/luyen-tap", "start_practice").await;
    let mut started = 0;
    for _ in 0..31 {
        let (_, location) = app.post_form(&action, &[("scope", "track:A")]).await;
        if location.unwrap_or_default().ends_with("/cau/1") {
            started += 1;
        }
    }
    assert_eq!(started, 30, "30 starts in ten minutes, then a pause");
    // Another browser is not affected.
    assert!(
        !other_browser(&app)
            .start_practice("track:A")
            .await
            .is_empty()
    );
}

#[tokio::test]
async fn markup_in_a_name_or_title_never_reaches_the_page_as_markup() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    // A name stored before the import checked names (or written by any other path).
    let evil =
        r#"Trường A</title><meta http-equiv="refresh" content="0;url=https://evil.example/">"#;
    use sea_orm::sea_query::Expr;
    app::entities::school::Entity::update_many()
        .col_expr(app::entities::school::Column::Name, Expr::value(evil))
        .filter(app::entities::school::Column::Id.eq(people.school_a))
        .exec(&app.db)
        .await
        .unwrap();
    app.login("giaovien", TEST_PASSWORD).await;
    let (status, html) = app.get(&format!("/truong/{}", people.school_a)).await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("<meta http-equiv=\"refresh\""),
        "no meta refresh in the page"
    );
    assert!(
        html.contains("Trường A&lt;/title&gt;"),
        "the title shows the text"
    );

    // New titles with markup are refused at input: a contest …
    let committee = other_browser(&app);
    committee.login("btc", TEST_PASSWORD).await;
    let contests_before = app::entities::contest::Entity::find()
        .count(&app.db)
        .await
        .unwrap();
    let (_, location) = committee
        .submit(
            "/cuoc-thi/quan-ly",
            "create_contest",
            &[
                ("title", "Thi</title><meta http-equiv=refresh content=0>"),
                ("description", ""),
                ("counted_attempt", "cao-nhat"),
            ],
        )
        .await;
    let location = location.unwrap_or_default();
    assert!(
        location.starts_with("/cuoc-thi/quan-ly?loi=ten-cuoc-thi&"),
        "{location}"
    );
    // The form comes back with what was typed, as text in the field, never as markup.
    let (_, page) = app.get(&location).await;
    assert!(!page.contains("<meta http-equiv=refresh"), "{page}");
    assert_eq!(
        app::entities::contest::Entity::find()
            .count(&app.db)
            .await
            .unwrap(),
        contests_before
    );
    // … and a school name in the directory, with NUL or a right-to-left override too.
    for name in [
        "Trường THCS X</title>",
        "Trường THCS\u{0} Nul",
        "Trường THCS \u{202E}gnp.exe",
    ] {
        let csv = format!(
            "mã trường,tên trường,cấp học,loại hình,xã/phường,cơ quan quản lý\nX-01,{name},THCS,Công lập,Phường Thử Nghiệm,Sở GD&ĐT\n"
        );
        let errors =
            app::schools::directory::parse_directory("dm.csv", csv.as_bytes()).unwrap_err();
        assert!(
            errors[0].to_string().contains("cột “tên trường”"),
            "{name:?}: {errors:?}"
        );
    }
}

#[tokio::test]
async fn a_merge_cycle_in_the_directory_is_refused() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let csv = "mã trường,tên trường,cấp học,loại hình,xã/phường,cơ quan quản lý,hiệu lực đến,sáp nhập vào\n\
               X-0011,Trường THCS Vòng Một,THCS,Công lập,Phường Thử Nghiệm,Sở GD&ĐT,01/07/2025,X-0012\n\
               X-0012,Trường THCS Vòng Hai,THCS,Công lập,Phường Thử Nghiệm,Sở GD&ĐT,01/07/2025,X-0011\n";
    let records = app::schools::directory::parse_directory("vong.csv", csv.as_bytes()).unwrap();
    let errors = app::schools::people::import_directory(
        &app.db,
        &records,
        &app::schools::people::Actor::command_line(),
        "vong.csv",
    )
    .await
    .unwrap()
    .unwrap_err();
    assert!(
        errors
            .iter()
            .any(|e| e.to_string().contains("sáp nhập vòng tròn")),
        "{errors:?}"
    );
}

#[tokio::test]
async fn a_department_official_decides_only_the_programs_of_their_levels() {
    use app::codes::{SchoolLevel, Track};
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    // A program at school B (THPT); so.gddt oversees THCS only.
    let today = app::clock::vietnam_date(app::clock::now_ms());
    let program = app::coverage::service::log_program(
        &app.db,
        &app::schools::people::Actor::command_line(),
        people.teacher,
        people.school_b,
        app::coverage::service::NewProgram {
            track: Some(Track::A),
            levels: vec![SchoolLevel::Thpt],
            held_on: today.clone(),
            title: "Chuyên đề an toàn trên mạng THPT".to_owned(),
            participants: "120".to_owned(),
            evidence_url: "https://truong-b.example/chuyen-de".to_owned(),
            evidence_file: None,
        },
        &today,
    )
    .await
    .unwrap()
    .unwrap();
    app.login("so.gddt", TEST_PASSWORD).await;
    let (status, html) = app.get("/bao-cao/chuong-trinh").await;
    assert_eq!(status, 200);
    assert!(
        !html.contains("Chuyên đề an toàn trên mạng THPT"),
        "a THPT program is not in a THCS official's queue"
    );
    let response = app
        .client
        .post(format!(
            "{}{}",
            app.address,
            server_fn_url("decide_program")
        ))
        .header("origin", &app.address)
        .form(&[
            ("program_id", program.to_string().as_str()),
            ("decision", "duyet"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    let stored = offline_program::Entity::find_by_id(program)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.status, "cho-duyet", "still waiting");
}

#[tokio::test]
async fn after_sign_in_the_browser_never_leaves_the_site_and_odd_next_values_do_not_crash() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let action = app.action_on("/dang-nhap", "login").await;
    for next in [
        "/\t/evil.example/phish",
        "/\n/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/tai-khoan\r\nSet-Cookie: x=1",
    ] {
        let me = other_browser(&app);
        let (status, location) = me
            .post_form(
                &action,
                &[
                    ("username", "giaovien"),
                    ("password", TEST_PASSWORD),
                    ("next", next),
                ],
            )
            .await;
        assert_eq!(status, 302, "{next:?} answered");
        assert_eq!(location.as_deref(), Some("/tai-khoan"), "{next:?}");
    }
    // A next that is fine is followed.
    let (_, location) = other_browser(&app)
        .post_form(
            &action,
            &[
                ("username", "giaovien"),
                ("password", TEST_PASSWORD),
                ("next", "/bai-hoc"),
            ],
        )
        .await;
    assert_eq!(location.as_deref(), Some("/bai-hoc"));
}

#[tokio::test]
async fn huge_page_numbers_get_a_page_not_a_dropped_connection() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    app.login("quantri", TEST_PASSWORD).await;
    for path in [
        "/quan-tri?trang=18446744073709551615",
        "/quan-tri/nhat-ky?trang=18446744073709551615",
        "/quan-tri/nguoi-dung?trang=18446744073709551615",
    ] {
        let (status, _) = app.get(path).await;
        assert_eq!(status, 200, "{path}");
    }
    for function in ["list_schools", "get_audit_log", "list_staff"] {
        let response = app
            .client
            .post(format!("{}{}", app.address, server_fn_url(function)))
            .header("origin", &app.address)
            .form(&[("page", "18446744073709551615")])
            .send()
            .await
            .unwrap();
        assert_eq!(response.status().as_u16(), 200, "{function}");
    }
}

#[tokio::test]
async fn a_state_change_without_origin_or_fetch_metadata_is_refused() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let client = bare_client();
    let admin = TestApp {
        client: client.clone(),
        address: app.address.clone(),
        db: app.db.clone(),
        config: app.config.clone(),
    };
    // Signing in through the form, as a browser would (it sends Origin).
    admin.login("quantri", TEST_PASSWORD).await;
    let grants_before = role_grant::Entity::find()
        .filter(role_grant::Column::AccountId.eq(people.teacher))
        .count(&app.db)
        .await
        .unwrap();
    let response = client
        .post(format!(
            "{}{}",
            app.address,
            server_fn_url("add_staff_role")
        ))
        .form(&[
            ("account_id", people.teacher.to_string().as_str()),
            ("role", "admin"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 403);
    assert_eq!(
        role_grant::Entity::find()
            .filter(role_grant::Column::AccountId.eq(people.teacher))
            .count(&app.db)
            .await
            .unwrap(),
        grants_before,
        "no role was granted"
    );
}

#[tokio::test]
async fn the_attempt_table_keeps_no_trace_of_refused_practice() {
    // A practice start refused by the rate limit writes nothing.
    let app = spawn_app().await;
    let action = app.action_on("/luyen-tap", "start_practice").await;
    for _ in 0..35 {
        app.post_form(&action, &[("scope", "track:A")]).await;
    }
    assert_eq!(attempt::Entity::find().count(&app.db).await.unwrap(), 30);
}

/// A multipart body as a browser sends it, with one file and some text fields.
fn multipart_body(boundary: &str, fields: &[(&str, &str)], file: (&str, &[u8])) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{}\"\r\nContent-Type: application/octet-stream\r\n\r\n",
            file.0
        )
        .as_bytes(),
    );
    body.extend_from_slice(file.1);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    body
}

/// Mutation fuzzing of the multipart upload routes over real HTTP: whatever the body, the answer
/// is never a 500 and the server keeps running. `KHIEN_SO_FUZZ_RUNS` sets the number of bodies
/// per route (default 150).
#[tokio::test]
async fn fuzzed_multipart_uploads_never_get_a_500() {
    use rand::rngs::StdRng;
    use rand::{Rng, SeedableRng};
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let runs: usize = std::env::var("KHIEN_SO_FUZZ_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let teacher = other_browser(&app);
    teacher.login("giaovien", TEST_PASSWORD).await;
    let admin = other_browser(&app);
    admin.login("quantri", TEST_PASSWORD).await;
    let boundary = "----khienso7MA4YWxkTrZu0gW";
    let today = app::clock::vietnam_date(app::clock::now_ms());
    let roster = "họ và tên,lớp,khối\nNguyễn Văn An,9A,9\n";
    let directory = std::fs::read(
        khien_so_tests::workspace_root().join("content/templates/danh-muc-truong.csv"),
    )
    .unwrap();
    let xlsx = xlsx_with(
        r#"<row r="1"><c r="A1" t="inlineStr"><is><t>họ và tên</t></is></c></row>"#,
        "<sst/>",
    );
    let routes: Vec<(&TestApp, String, Vec<Vec<u8>>)> = vec![
        (
            &teacher,
            format!("/truong/{}/nhap-danh-sach", people.school_a),
            vec![
                multipart_body(boundary, &[], ("lop.csv", roster.as_bytes())),
                multipart_body(boundary, &[], ("lop.xlsx", &xlsx)),
            ],
        ),
        (
            &admin,
            "/quan-tri/truong/nhap".to_owned(),
            vec![multipart_body(boundary, &[], ("dm.csv", &directory))],
        ),
        (
            &teacher,
            format!("/truong/{}/chuong-trinh", people.school_a),
            vec![multipart_body(
                boundary,
                &[
                    ("track", "A"),
                    ("level", "THCS"),
                    ("held_on", &today),
                    ("title", "Chuyên đề an toàn trên mạng"),
                    ("participants", "120"),
                    ("evidence_url", ""),
                ],
                ("minh-chung.pdf", b"%PDF-1.7 test"),
            )],
        ),
    ];
    let mut rng = StdRng::seed_from_u64(0x6d75_6c74_6970);
    let pieces: [&[u8]; 8] = [
        b"\r\n",
        b"--",
        boundary.as_bytes(),
        b"\0",
        b"Content-Disposition: form-data; name=\"file\"; filename=\"\xff.xlsx\"\r\n",
        b"\"",
        b"18446744073709551615",
        b"\xe2\x80\xae",
    ];
    let mut failures = Vec::new();
    let mut sent = 0;
    for (client, path, seeds) in &routes {
        for _ in 0..runs {
            let mut body = seeds[rng.random_range(0..seeds.len())].clone();
            for _ in 0..rng.random_range(1..=4) {
                let len = body.len();
                match rng.random_range(0..5) {
                    0 if len > 0 => {
                        let i = rng.random_range(0..len);
                        body[i] = rng.random();
                    }
                    1 => {
                        let i = rng.random_range(0..=len);
                        let piece = pieces[rng.random_range(0..pieces.len())];
                        body.splice(i..i, piece.iter().copied());
                    }
                    2 if len > 0 => {
                        let a = rng.random_range(0..len);
                        let b = (a + rng.random_range(1..=40)).min(len);
                        body.drain(a..b);
                    }
                    3 if len > 0 => body.truncate(rng.random_range(0..len)),
                    _ => {
                        let i = rng.random_range(0..=len);
                        body.splice(i..i, std::iter::repeat_n(b'A', rng.random_range(1..5_000)));
                    }
                }
            }
            sent += 1;
            let response = client
                .client
                .post(format!("{}{path}", app.address))
                .header("origin", &app.address)
                .header(
                    "content-type",
                    format!("multipart/form-data; boundary={boundary}"),
                )
                .body(body)
                .send()
                .await;
            match response {
                Ok(r) if r.status().as_u16() >= 500 => {
                    failures.push(format!("{path}: HTTP {}", r.status().as_u16()))
                }
                Ok(_) => {}
                Err(e) => failures.push(format!("{path}: no answer ({e})")),
            }
        }
    }
    println!("fuzz multipart: {sent} bodies, {} failures", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    healthy(&app).await;
}

#[tokio::test]
async fn a_crafted_link_cannot_put_words_in_an_official_alert() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    app.login("so.gddt", TEST_PASSWORD).await;
    let words = "Hãy gửi mật khẩu của bạn cho cán bộ Sở qua Zalo";
    for path in [
        "/bao-cao/quy-tac?loi-chi-tiet=",
        "/bao-cao/quy-tac?loi-chi-tiet-ky=00&loi-chi-tiet=",
    ] {
        let (_, html) = app.get(&format!("{path}{}", app::urlencode(words))).await;
        assert!(
            !html.contains(words),
            "{path}: the crafted text is not shown"
        );
    }
    // A problem the server itself worded is shown (the rule form refuses overlapping years).
    let signed = app::platform::notice::signed_param("loi-chi-tiet", "Năm học này đã có quy tắc.");
    let (_, html) = app.get(&format!("/bao-cao/quy-tac?{signed}")).await;
    assert!(html.contains("Năm học này đã có quy tắc."));
}

#[tokio::test]
async fn login_slips_never_print_the_host_the_request_named() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    app.login("giaovien", TEST_PASSWORD).await;
    let path = format!("/truong/{}/nhap-danh-sach", people.school_a);
    report_of(&app, upload(&app, &path, "lop.csv", roster_csv(2)).await).await;
    let class = app::entities::school_class::Entity::find()
        .filter(app::entities::school_class::Column::Name.eq("9A1"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let html = app
        .client
        .get(format!("{}/lop/{}/phieu", app.address, class.id))
        .header("host", "evil.example")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Mật khẩu lần đầu"), "the slips are there");
    assert!(
        !html.contains("evil.example"),
        "no address from the request"
    );
}

/// A department official with the given levels, signed in.
async fn department_official(
    app: &TestApp,
    username: &str,
    levels: Vec<app::codes::SchoolLevel>,
) -> TestApp {
    use app::accounts::auth::Grant;
    account_with_grant(
        &app.db,
        username,
        &format!("Cán Bộ {username}"),
        &Grant {
            role: app::codes::Role::Department,
            school_id: None,
            commune_id: None,
            levels,
        },
    )
    .await;
    let me = other_browser(app);
    me.login(username, TEST_PASSWORD).await;
    me
}

async fn listed_schools(me: &TestApp) -> String {
    let response = me
        .client
        .post(format!("{}{}", me.address, server_fn_url("list_schools")))
        .header("origin", &me.address)
        .form(&[("page", "1")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    response.text().await.unwrap()
}

#[tokio::test]
async fn one_policy_decides_which_schools_a_department_official_reads_and_lists() {
    use app::codes::SchoolLevel;
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    // A grant that names no level oversees every level: it reads and lists every school (it
    // used to list them but read none of them).
    let all = department_official(&app, "so.tatca", vec![]).await;
    for school in [people.school_a, people.school_b] {
        assert_eq!(all.get(&format!("/truong/{school}")).await.0, 200);
    }
    let listed = listed_schools(&all).await;
    assert!(
        listed.contains("TA-01") && listed.contains("TB-02"),
        "{listed}"
    );
    // A grant for primary schools (TH) neither reads nor lists THCS or THPT schools (the list
    // used a text search, and "TH" is inside both codes).
    let primary = department_official(&app, "so.tieuhoc", vec![SchoolLevel::TieuHoc]).await;
    for school in [people.school_a, people.school_b] {
        let status = primary.get(&format!("/truong/{school}")).await.0;
        assert!(matches!(status, 403 | 404), "{status}");
    }
    let listed = listed_schools(&primary).await;
    assert!(
        !listed.contains("TA-01") && !listed.contains("TB-02"),
        "{listed}"
    );
    // THCS only: school A, not school B, in both answers.
    let thcs = department_official(&app, "so.thcs", vec![SchoolLevel::Thcs]).await;
    assert_eq!(
        thcs.get(&format!("/truong/{}", people.school_a)).await.0,
        200
    );
    let status = thcs.get(&format!("/truong/{}", people.school_b)).await.0;
    assert!(matches!(status, 403 | 404), "{status}");
    let listed = listed_schools(&thcs).await;
    assert!(
        listed.contains("TA-01") && !listed.contains("TB-02"),
        "{listed}"
    );
}

#[tokio::test]
async fn a_corrupt_stored_eligibility_closes_the_round_instead_of_opening_it_to_everyone() {
    use app::entities::{contest_entry, contest_round};
    use sea_orm::sea_query::Expr;
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let round = khien_so_tests::open_round(&app.db).await;
    contest_round::Entity::update_many()
        .col_expr(contest_round::Column::Eligibility, Expr::value("{hỏng"))
        .filter(contest_round::Column::Id.eq(round))
        .exec(&app.db)
        .await
        .unwrap();
    app.login("hocsinh", TEST_PASSWORD).await;
    let response = app
        .client
        .post(format!("{}{}", app.address, server_fn_url("enter_round")))
        .header("origin", &app.address)
        .form(&[("round_id", round.to_string().as_str()), ("prediction", "")])
        .send()
        .await
        .unwrap();
    assert!(!response.status().is_success() && !response.status().is_redirection());
    assert_eq!(
        contest_entry::Entity::find()
            .filter(contest_entry::Column::RoundId.eq(round))
            .count(&app.db)
            .await
            .unwrap(),
        0,
        "no attempt was started"
    );
    // The list of rounds still answers, showing the round as not open to this pupil.
    assert_eq!(app.get("/cuoc-thi").await.0, 200);
}

#[tokio::test]
async fn old_counters_and_expired_leases_are_pruned_and_live_ones_kept() {
    use app::platform::limits;
    let app = spawn_app().await;
    let now = app::clock::now_ms();
    let day = 24 * 3_600_000;
    // A counter from two days ago, one from now; a lease that expired, one that holds.
    limits::hit(
        &app.db,
        "rate_limit",
        "hits",
        "practice:ip:old",
        now - 2 * day,
        600_000,
    )
    .await
    .unwrap();
    limits::hit(
        &app.db,
        "rate_limit",
        "hits",
        "practice:ip:new",
        now,
        600_000,
    )
    .await
    .unwrap();
    assert!(
        limits::take_lease(&app.db, "import:school:1", "a", now - 120_000, 60_000)
            .await
            .unwrap()
    );
    assert!(
        limits::take_lease(&app.db, "import:school:2", "b", now, 60_000)
            .await
            .unwrap()
    );
    let removed = limits::prune(&app.db, now, day).await.unwrap();
    assert_eq!(removed, 2);
    // The live lease still holds; the live counter goes on counting.
    assert!(
        !limits::take_lease(&app.db, "import:school:2", "c", now, 60_000)
            .await
            .unwrap()
    );
    let (count, _) = limits::hit(
        &app.db,
        "rate_limit",
        "hits",
        "practice:ip:new",
        now,
        600_000,
    )
    .await
    .unwrap();
    assert_eq!(count, 2);
}

#[tokio::test]
async fn a_corrupt_stored_key_stops_the_submission_instead_of_scoring_every_answer_wrong() {
    use app::entities::{attempt, attempt_item, question_revision};
    use sea_orm::sea_query::Expr;
    let app = spawn_app().await;
    let attempt_id = app.start_practice("track:A").await;
    let first = attempt_item::Entity::find()
        .filter(attempt_item::Column::AttemptId.eq(attempt_id.as_str()))
        .filter(attempt_item::Column::Position.eq(1))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    question_revision::Entity::update_many()
        .col_expr(question_revision::Column::CorrectJson, Expr::value("[hỏng"))
        .filter(question_revision::Column::Id.eq(first.revision_id))
        .exec(&app.db)
        .await
        .unwrap();
    let (_, review) = app.get(&format!("/luyen-tap/{attempt_id}/nop-bai")).await;
    let action = khien_so_tests::form_action(&review, "submit_attempt");
    let (status, location) = app.post_form(&action, &[("attempt", &attempt_id)]).await;
    // Without JavaScript a failed server function goes back to the page with its error.
    assert_eq!(status, 302);
    let location = location.unwrap_or_default();
    assert!(location.contains("__err="), "{location}");
    assert!(!location.contains("ket-qua"), "no result page: {location}");
    let stored = attempt::Entity::find_by_id(attempt_id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.score, None, "nothing was scored");
    assert_eq!(stored.submitted_at, None, "the attempt is still open");
    // The question page of the same item refuses too, rather than showing it without its key's
    // shape (single or multiple choice).
    assert!(app.get(&format!("/luyen-tap/{attempt_id}/cau/1")).await.0 >= 500);
    assert_eq!(app.get("/healthz").await.0, 200);
}
