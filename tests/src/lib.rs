//! Test helpers: `spawn_app()` starts the real server on a random port with a fresh database —
//! SQLite or PostgreSQL, chosen by `KHIEN_SO_TEST_DB` — so the same tests run on both.

use sea_orm::{ConnectionTrait, Database, DatabaseConnection};
use server::config::Config;
use std::path::{Path, PathBuf};

/// Which database the suite runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// `KHIEN_SO_TEST_DB=postgres` selects PostgreSQL; anything else, SQLite.
pub fn backend() -> Backend {
    match std::env::var("KHIEN_SO_TEST_DB").as_deref() {
        Ok("postgres") | Ok("postgresql") => Backend::Postgres,
        _ => Backend::Sqlite,
    }
}

/// The repository root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A running server and a client that keeps cookies and does not follow redirects.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub db: DatabaseConnection,
    pub config: Config,
}

fn postgres_base() -> String {
    std::env::var("KHIEN_SO_TEST_POSTGRES")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".to_owned())
}

/// The name of this process's migrated template database (made on first use; `scripts/test.sh`
/// drops leftovers, which share the `ks_test_` prefix).
async fn postgres_template(base: &str) -> String {
    use migrations::MigratorTrait;
    static TEMPLATE: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    TEMPLATE
        .get_or_init(|| async {
            let name = format!("ks_test_template_{}", uuid::Uuid::new_v4().simple());
            let admin = Database::connect(format!("{base}/postgres"))
                .await
                .expect("PostgreSQL reachable (KHIEN_SO_TEST_POSTGRES)");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name}"))
                .await
                .unwrap();
            admin.close().await.ok();
            let db = Database::connect(format!("{base}/{name}")).await.unwrap();
            migrations::Migrator::up(&db, None).await.unwrap();
            db.close().await.ok();
            name
        })
        .await
        .clone()
}

/// Creates an empty database for one test and returns its URL.
pub async fn fresh_database_url() -> String {
    let id = uuid::Uuid::new_v4().simple().to_string();
    match backend() {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join("khien-so-tests");
            std::fs::create_dir_all(&dir).unwrap();
            format!(
                "sqlite://{}?mode=rwc",
                dir.join(format!("{id}.db")).display()
            )
        }
        Backend::Postgres => {
            let base = postgres_base();
            let template = postgres_template(&base).await;
            let admin = Database::connect(format!("{base}/postgres"))
                .await
                .expect("PostgreSQL reachable (KHIEN_SO_TEST_POSTGRES)");
            let name = format!("ks_test_{id}");
            // A copy of a database migrated once per test process: each test starts from the
            // schema without running every migration again.
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .await
                .unwrap();
            admin.close().await.ok();
            format!("{base}/{name}")
        }
    }
}

/// A configuration for tests: random port, the shipped content, a fresh database.
pub async fn test_config(content_dir: Option<&Path>) -> Config {
    let root = workspace_root();
    Config {
        database_url: fresh_database_url().await,
        listen: "127.0.0.1:0".parse().unwrap(),
        site_root: root.join("target/site"),
        content_dir: content_dir
            .map(Path::to_path_buf)
            .unwrap_or_else(|| root.join("content")),
        db_max_connections: 5,
        secure_cookies: false,
        log_json: false,
        session_idle_minutes: 120,
        session_hours: 12,
        trust_proxy: false,
        public_url: None,
        answer_queue: 2_000,
        max_in_flight: 256,
        max_wait_seconds: 5,
        max_connections: None,
        idle_seconds: 60,
    }
}

/// Starts the app with the shipped content.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(test_config(None).await).await
}

/// Starts the app with a given configuration. `KHIEN_SO_TEST_LOG` (an `EnvFilter`, e.g.
/// `info,sea_orm=debug`) prints the server's logs, for debugging a failing test.
pub async fn spawn_app_with(config: Config) -> TestApp {
    if let Ok(filter) = std::env::var("KHIEN_SO_TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
            .with_thread_names(true)
            .try_init();
    }
    let state = server::prepare(&config).await.expect("app starts");
    let db = state.db.clone();
    let router = server::router(state, &config);
    let listener = tokio::net::TcpListener::bind(config.listen).await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let limits = config.connection_limits();
    tokio::spawn(server::listener::serve(
        listener,
        router,
        limits,
        std::future::pending(),
    ));
    TestApp {
        client: new_client(),
        address,
        db,
        config,
    }
}

/// (item, its revision) for every question of an attempt, in order.
pub async fn attempt_questions(
    app: &TestApp,
    attempt_id: &str,
) -> Vec<(
    app::entities::attempt_item::Model,
    app::entities::question_revision::Model,
)> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let items = app::entities::attempt_item::Entity::find()
        .filter(app::entities::attempt_item::Column::AttemptId.eq(attempt_id))
        .order_by_asc(app::entities::attempt_item::Column::Position)
        .all(&app.db)
        .await
        .unwrap();
    let mut out = Vec::new();
    for item in items {
        let revision = app::entities::question_revision::Entity::find_by_id(item.revision_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        out.push((item, revision));
    }
    out
}

/// Another browser on the same server: its own cookies, nobody signed in.
pub fn other_browser(app: &TestApp) -> TestApp {
    TestApp {
        client: new_client(),
        address: app.address.clone(),
        db: app.db.clone(),
        config: app.config.clone(),
    }
}

impl TestApp {
    /// PostgreSQL's view of this test's connections (state, wait event, query), to tell a
    /// request stuck in the database from one stuck in the app.
    pub async fn database_activity(&self) -> String {
        if backend() != Backend::Postgres {
            return "(SQLite)".to_owned();
        }
        use sea_orm::{ConnectionTrait, Statement};
        let sql = "SELECT coalesce(state, '') || ' | ' || coalesce(wait_event_type, '') || ':' || \
                   coalesce(wait_event, '') || ' | ' || left(query, 200) AS line \
                   FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
        match self
            .db
            .query_all_raw(Statement::from_string(self.db.get_database_backend(), sql))
            .await
        {
            Ok(rows) => rows
                .iter()
                .filter_map(|r| r.try_get::<String>("", "line").ok())
                .collect::<Vec<_>>()
                .join("\n"),
            Err(e) => format!("(could not ask: {e})"),
        }
    }
}

/// A browser-like client: cookies kept, redirects not followed. A request that gets no answer in
/// 60 s fails the test with its URL instead of hanging the suite.
pub fn new_client() -> reqwest::Client {
    // What a browser sends with every request of a page of ours (the server refuses
    // state-changing requests that carry neither this nor `Origin`).
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "sec-fetch-site",
        reqwest::header::HeaderValue::from_static("same-origin"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

impl TestApp {
    /// GET a page; returns status and body.
    pub async fn get(&self, path: &str) -> (u16, String) {
        let response = match self
            .client
            .get(format!("{}{path}", self.address))
            .send()
            .await
        {
            Ok(response) => response,
            Err(error) => panic!(
                "GET {path} failed: {error}\nwhat the database was doing: {}",
                self.database_activity().await
            ),
        };
        (response.status().as_u16(), response.text().await.unwrap())
    }

    /// POSTs a form the way a browser without JavaScript does; returns status and Location.
    pub async fn post_form(&self, action: &str, fields: &[(&str, &str)]) -> (u16, Option<String>) {
        let response = self
            .client
            .post(format!("{}{action}", self.address))
            .header("accept", "text/html,application/xhtml+xml")
            .header("referer", format!("{}/", self.address))
            .header("origin", &self.address)
            .form(fields)
            .send()
            .await
            .unwrap();
        let location = response
            .headers()
            .get("location")
            .map(|v| v.to_str().unwrap().to_owned());
        (response.status().as_u16(), location)
    }

    /// Starts a practice attempt on `scope` through the form on the practice page.
    pub async fn start_practice(&self, scope: &str) -> String {
        let (_, html) = self.get("/luyen-tap").await;
        let action = form_action(&html, "start_practice");
        let (status, location) = self.post_form(&action, &[("scope", scope)]).await;
        assert_eq!(status, 302, "start_practice should redirect");
        let location = location.unwrap();
        let attempt = location
            .strip_prefix("/luyen-tap/")
            .and_then(|rest| rest.strip_suffix("/cau/1"))
            .unwrap_or_else(|| panic!("unexpected redirect {location}"));
        attempt.to_owned()
    }
}

/// The address of the server function `name` (`/api/enter_round1234…`), for posting to it when
/// the page shows no form for it (e.g. to check that the server refuses what the page hides).
pub fn server_fn_url(name: &str) -> String {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .find(|path| {
            path.trim_start_matches("/api/")
                .trim_end_matches(|c: char| c.is_ascii_digit())
                == name
        })
        .unwrap_or_else(|| panic!("no server function {name}"))
        .to_owned()
}

/// The `action` of the first form posting to the server function `name`.
pub fn form_action(html: &str, name: &str) -> String {
    let needle = format!("action=\"/api/{name}");
    let start = html
        .find(&needle)
        .unwrap_or_else(|| panic!("no form for {name} in page"))
        + "action=\"".len();
    let end = start + html[start..].find('"').unwrap();
    html[start..end].to_owned()
}

/// `topics.toml` of a content fixture: one topic, `otp`, in track A.
pub const FIXTURE_TOPICS: &str =
    "[[topic]]\nslug = \"otp\"\ntrack = \"A\"\ntitle = \"Mã OTP\"\ntitle_en = \"OTP\"\n";

/// A "spot the warning signs" question of topic `otp`: a text message with three parts, the
/// first two suspicious (the sender's name, the hurry), the third innocent.
pub const SIGNS_FIXTURE: &str = "[[question]]\nid = \"A-otp-101\"\ntype = \"dau-hieu\"\ntrack = \"A\"\ntopic = \"otp\"\ndifficulty = 2\nlevels = [\"THCS\"]\nstem = \"Tin nhắn sau có những chỗ nào đáng ngờ?\"\nframe = \"sms\"\nsender = \"{{VNeID-HoTro}}\"\nmessage = \"Tài khoản {{sẽ bị khóa}}. Gọi {{tổng đài in trên thẻ}}.\"\nparts = [\n  { suspicious = true, why = \"Tên tự đặt.\" },\n  { suspicious = true, why = \"Giục gấp.\" },\n  { suspicious = false, why = \"Cách kiểm tra đúng.\" },\n]\nexplanation = \"Vì thế.\"\nsource = \"Nguồn thử\"\n";

/// Writes files into a new temporary content directory.
pub fn content_fixture(files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("khien-so-content-{}", uuid::Uuid::new_v4()));
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The password of every account [`seed_people`] creates.
pub const TEST_PASSWORD: &str = "mat-khau-thu-nghiem";

/// Ids of what [`seed_people`] created: two schools in two communes, a class in school A with
/// its teacher and a pupil, and one account per role.
#[derive(Clone, Debug)]
pub struct People {
    pub school_a: i32,
    pub school_b: i32,
    pub class_a: i32,
    pub class_a2: i32,
    pub class_b: i32,
    pub pupil: i32,
    /// The account of the teacher of school A (`giaovien`).
    pub teacher: i32,
}

/// Usernames of the accounts [`seed_people`] creates, one per role (plus a teacher elsewhere).
pub const ROLE_USERS: [&str; 8] = [
    "hocsinh",
    "giaovien",
    "giaovien.b",
    "hieutruong",
    "canbo.xa",
    "so.gddt",
    "btc",
    "quantri",
];

/// The demo province as `seed-demo` makes it, with `populated` schools holding classes and
/// pupils and every demo account's password `TEST_PASSWORD`. Returns the school year.
pub async fn seed_demo_province(db: &DatabaseConnection, populated: usize) -> i32 {
    let options = app::schools::demo::DemoOptions {
        populated_schools: Some(populated),
        ..Default::default()
    };
    let province = app::schools::demo::generate(&options);
    app::schools::people::seed_demo(db, &province, options.school_year, TEST_PASSWORD)
        .await
        .unwrap()
        .expect("an empty database");
    options.school_year
}

/// A small directory, accounts of every role, a class with a pupil. Written straight to the
/// database through the same services the app uses.
pub async fn seed_people(db: &DatabaseConnection) -> People {
    use app::accounts::auth::Grant;
    use app::codes::{Role, SchoolLevel};
    use app::schools::people::{self, Actor};
    let csv = "mã trường,tên trường,cấp học,loại hình,xã/phường,huyện cũ,cơ quan quản lý,năm học,sĩ số THCS,sĩ số THPT\n\
               TA-01,Trường THCS Thử Nghiệm A,THCS,Công lập,Phường Thử Nghiệm,Huyện cũ Một,Sở GD&ĐT,2026-2027,400,\n\
               TB-02,Trường THPT Thử Nghiệm B,THPT,Công lập,Xã Thử Nghiệm,Huyện cũ Hai,Sở GD&ĐT,2026-2027,,900\n";
    let records = app::schools::directory::parse_directory("thu.csv", csv.as_bytes()).unwrap();
    people::import_directory(db, &records, &Actor::command_line(), "thu.csv")
        .await
        .unwrap()
        .unwrap();
    let school_a = people::school_id_by_code(db, "TA-01")
        .await
        .unwrap()
        .unwrap();
    let school_b = people::school_id_by_code(db, "TB-02")
        .await
        .unwrap()
        .unwrap();
    let commune_a = people::commune_id_by_name(db, "Phường Thử Nghiệm")
        .await
        .unwrap()
        .unwrap();
    let grant = |role, school_id, commune_id, levels: Vec<SchoolLevel>| Grant {
        role,
        school_id,
        commune_id,
        levels,
    };
    let specs = [
        ("hocsinh", grant(Role::Pupil, Some(school_a), None, vec![])),
        (
            "giaovien",
            grant(Role::Teacher, Some(school_a), None, vec![]),
        ),
        (
            "giaovien.b",
            grant(Role::Teacher, Some(school_b), None, vec![]),
        ),
        (
            "hieutruong",
            grant(Role::Principal, Some(school_a), None, vec![]),
        ),
        (
            "canbo.xa",
            grant(Role::Commune, None, Some(commune_a), vec![]),
        ),
        (
            "so.gddt",
            grant(Role::Department, None, None, vec![SchoolLevel::Thcs]),
        ),
        ("btc", grant(Role::Committee, None, None, vec![])),
        ("quantri", grant(Role::Admin, None, None, vec![])),
    ];
    let mut ids = std::collections::HashMap::new();
    for (username, grant) in specs {
        let id = account_with_grant(db, username, &format!("Người Thử {username}"), &grant).await;
        ids.insert(username, id);
    }
    let year = app::clock::current_school_year();
    let class = |school_id: i32, name: &str, grade: i32, teacher: Option<i32>| {
        app::entities::school_class::ActiveModel {
            school_id: sea_orm::Set(school_id),
            school_year: sea_orm::Set(year),
            name: sea_orm::Set(name.to_owned()),
            grade: sea_orm::Set(grade),
            teacher_id: sea_orm::Set(teacher),
            join_code: sea_orm::Set(None),
            created_at: sea_orm::Set(0),
            ..Default::default()
        }
    };
    use sea_orm::ActiveModelTrait;
    let class_a = class(school_a, "8A", 8, Some(ids["giaovien"]))
        .insert(db)
        .await
        .unwrap()
        .id;
    let class_a2 = class(school_a, "8B", 8, Some(ids["giaovien"]))
        .insert(db)
        .await
        .unwrap()
        .id;
    let class_b = class(school_b, "10A1", 10, Some(ids["giaovien.b"]))
        .insert(db)
        .await
        .unwrap()
        .id;
    app::entities::class_member::ActiveModel {
        class_id: sea_orm::Set(class_a),
        account_id: sea_orm::Set(ids["hocsinh"]),
        via: sea_orm::Set("roster".to_owned()),
        joined_at: sea_orm::Set(0),
        left_at: sea_orm::Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    People {
        school_a,
        school_b,
        class_a,
        class_a2,
        class_b,
        pupil: ids["hocsinh"],
        teacher: ids["giaovien"],
    }
}

impl TestApp {
    /// The action URL of a server function, read from the form on `page`.
    pub async fn action_on(&self, page: &str, name: &str) -> String {
        let (_, html) = self.get(page).await;
        form_action(&html, name)
    }

    /// Signs in through the login form; returns where the server sent the browser.
    pub async fn login(&self, username: &str, password: &str) -> Option<String> {
        let action = self.action_on("/dang-nhap", "login").await;
        let (status, location) = self
            .post_form(
                &action,
                &[("username", username), ("password", password), ("next", "")],
            )
            .await;
        assert_eq!(status, 302, "login answers with a redirect");
        location
    }
}

impl TestApp {
    /// Saves one answer (display position `choice`) as the quiz page's autosave does:
    /// (status, `Retry-After`, body).
    pub async fn autosave(
        &self,
        attempt: &str,
        position: u32,
        choice: u32,
    ) -> (u16, Option<String>, String) {
        let response = self
            .client
            .post(format!("{}{}", self.address, server_fn_url("record_answer")))
            .header("origin", &self.address)
            .header("content-type", "application/json")
            .body(
                serde_json::json!({ "attempt": attempt, "position": position, "choices": [choice] })
                    .to_string(),
            )
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        let retry = response
            .headers()
            .get("retry-after")
            .map(|v| v.to_str().unwrap().to_owned());
        (status, retry, response.text().await.unwrap())
    }

    /// Posts the form of server function `name` found on `page`, as a browser without JavaScript.
    pub async fn submit(
        &self,
        page: &str,
        name: &str,
        fields: &[(&str, &str)],
    ) -> (u16, Option<String>) {
        let action = self.action_on(page, name).await;
        self.post_form(&action, fields).await
    }
}

/// A contest with one round that closed a minute ago and nobody took; returns the round id.
pub async fn closed_round(db: &DatabaseConnection) -> i32 {
    let now = app::clock::now_ms();
    round_between(db, now - 3_600_000, now - 60_000).await
}

/// A contest with one round open for the next hour (5 questions, 10 minutes, review at once).
pub async fn open_round(db: &DatabaseConnection) -> i32 {
    let now = app::clock::now_ms();
    round_between(db, now - 60_000, now + 3_600_000).await
}

async fn round_between(db: &DatabaseConnection, opens_at: i64, closes_at: i64) -> i32 {
    round_with(
        db,
        opens_at,
        closes_at,
        vec![app::domain::contest::DrawRule {
            count: 5,
            ..Default::default()
        }],
        true,
    )
    .await
}

/// A contest with one round between `opens_at` and `closes_at` (10 minutes, one attempt) that
/// draws by `rules`; keys shown right after submitting or only after the close.
pub async fn round_with(
    db: &DatabaseConnection,
    opens_at: i64,
    closes_at: i64,
    rules: Vec<app::domain::contest::DrawRule>,
    review_at_once: bool,
) -> i32 {
    use app::contests::service::{ContestSettings, RoundSettings};
    use app::domain::contest::Eligibility;
    let actor = app::schools::people::Actor::command_line();
    let contest = app::contests::service::create_contest(
        db,
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
        db,
        &actor,
        contest,
        RoundSettings {
            name: "Vòng thử".to_owned(),
            opens_at,
            closes_at,
            time_allowed_ms: 600_000,
            attempts_allowed: 1,
            rules,
            eligibility: Eligibility {
                levels: vec![],
                school_ids: vec![],
                commune_ids: vec![],
            },
            prediction_question: None,
            review_at_once,
        },
    )
    .await
    .unwrap()
    .unwrap()
}

/// A client with cookies and no redirects that sends neither `Origin` nor `Sec-Fetch-Site` unless
/// told to: what a script, not a browser, would send.
pub fn bare_client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .build()
        .unwrap()
}

/// An XLSX package from (part name, content) pairs, deflated, for crafted-file tests.
pub fn zip_package(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// A one-sheet workbook with the given `<sheetData>` body and shared-strings part.
pub fn xlsx_with(sheet_data: &str, shared_strings: &str) -> Vec<u8> {
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
    let book = r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Trang1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
    let book_rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
    let sheet = format!(
        r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
    );
    zip_package(&[
        ("_rels/.rels", rels.as_bytes()),
        ("xl/workbook.xml", book.as_bytes()),
        ("xl/_rels/workbook.xml.rels", book_rels.as_bytes()),
        ("xl/sharedStrings.xml", shared_strings.as_bytes()),
        ("xl/worksheets/sheet1.xml", sheet.as_bytes()),
    ])
}

/// An account without a role whose password is [`TEST_PASSWORD`] (hashed once per test
/// process); returns its id.
pub async fn account_with_test_password(
    db: &DatabaseConnection,
    username: &str,
    full_name: &str,
) -> i32 {
    use app::accounts::auth::{self, NewAccount};
    static HASH: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    let hash = HASH
        .get_or_init(|| async { auth::hash_password(TEST_PASSWORD.to_owned()).await.unwrap() })
        .await;
    auth::insert_account(
        db,
        NewAccount {
            username: username.to_owned(),
            full_name: full_name.to_owned(),
            password_hash: hash.clone(),
            initial_password: None,
            must_change_password: false,
            birth_year: None,
            pupil_code: None,
        },
    )
    .await
    .unwrap()
}

/// Inserts an account whose password is `TEST_PASSWORD` with one grant; returns its id. The
/// password is hashed once per test process (argon2 is slow on purpose).
pub async fn account_with_grant(
    db: &DatabaseConnection,
    username: &str,
    full_name: &str,
    grant: &app::accounts::auth::Grant,
) -> i32 {
    let id = account_with_test_password(db, username, full_name).await;
    app::accounts::auth::insert_grant(db, id, grant)
        .await
        .unwrap();
    id
}

/// A pupil account at `school_id` (password [`TEST_PASSWORD`]), a member of `class_id` when given;
/// returns the account id.
pub async fn pupil_account(
    db: &DatabaseConnection,
    username: &str,
    full_name: &str,
    school_id: i32,
    class_id: Option<i32>,
) -> i32 {
    use app::accounts::auth::Grant;
    use app::codes::Role;
    use sea_orm::ActiveModelTrait;
    let id = account_with_grant(
        db,
        username,
        full_name,
        &Grant {
            role: Role::Pupil,
            school_id: Some(school_id),
            commune_id: None,
            levels: vec![],
        },
    )
    .await;
    if let Some(class_id) = class_id {
        app::entities::class_member::ActiveModel {
            class_id: sea_orm::Set(class_id),
            account_id: sea_orm::Set(id),
            via: sea_orm::Set("roster".to_owned()),
            joined_at: sea_orm::Set(0),
            left_at: sea_orm::Set(None),
            ..Default::default()
        }
        .insert(db)
        .await
        .unwrap();
    }
    id
}

/// Takes the database's write lock until the returned transaction is rolled back (on SQLite the
/// server's turn to write; on PostgreSQL an exclusive lock on `table`, which reads pass): the
/// writers that write to it wait.
pub async fn hold_writes(db: &DatabaseConnection, table: &str) -> app::platform::db::WriteTxn {
    let lock = app::platform::db::begin_write(db).await.unwrap();
    if matches!(backend(), Backend::Postgres) {
        lock.execute_unprepared(&format!("LOCK TABLE {table} IN EXCLUSIVE MODE"))
            .await
            .unwrap();
    }
    lock
}

/// The value of a `/metrics` line (`name` with its labels, if any).
pub fn metric(text: &str, name: &str) -> Option<f64> {
    text.lines()
        .find_map(|line| line.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
}

/// Waits (up to 10 s) until `/metrics` shows `name` at `value`.
pub async fn metric_reaches(app: &TestApp, name: &str, value: f64) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let (_, metrics) = app.get("/metrics").await;
        if metric(&metrics, name) == Some(value) {
            return;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "{name} ≠ {value}: {metrics}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

/// Work set for `class_id` of `school_id`, open since an hour ago and due in a week: the first
/// topic's practice (written straight to the database; the form is tested in classroom.rs).
pub async fn assignment_for(db: &DatabaseConnection, school_id: i32, class_id: i32) -> i32 {
    use app::entities::{assignment, assignment_class, topic};
    use sea_orm::{ActiveModelTrait, EntityTrait, QueryOrder, Set};
    let now = app::clock::now_ms();
    let first = topic::Entity::find()
        .order_by_asc(topic::Column::Position)
        .one(db)
        .await
        .unwrap()
        .expect("a topic");
    let row = assignment::ActiveModel {
        school_id: Set(school_id),
        school_year: Set(app::clock::current_school_year()),
        work: Set(format!("topic:{}", first.slug)),
        title: Set(format!("Luyện tập chủ đề: {}", first.title)),
        note: Set(String::new()),
        created_by: Set(None),
        opens_at: Set(now - 3_600_000),
        due_at: Set(now + 7 * 86_400_000),
        created_at: Set(now),
        withdrawn_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    assignment_class::ActiveModel {
        assignment_id: Set(row.id),
        class_id: Set(class_id),
    }
    .insert(db)
    .await
    .unwrap();
    row.id
}

/// A teacher's quiz of `school_id` by `teacher_id` with the current revisions of the first three
/// active track-A questions (written straight to the database; the pages are tested in
/// classroom.rs).
pub async fn quiz_for(
    db: &DatabaseConnection,
    school_id: i32,
    teacher_id: i32,
    shared: bool,
) -> i32 {
    use app::entities::{question, teacher_quiz, teacher_quiz_item};
    use sea_orm::{
        ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    };
    let now = app::clock::now_ms();
    let quiz = teacher_quiz::ActiveModel {
        school_id: Set(school_id),
        title: Set("Kiểm tra 15 phút (thử)".to_owned()),
        created_by: Set(Some(teacher_id)),
        shared: Set(shared),
        created_at: Set(now),
        updated_at: Set(now),
        used_at: Set(None),
        deleted_at: Set(None),
        ..Default::default()
    }
    .insert(db)
    .await
    .unwrap();
    let questions = question::Entity::find()
        .filter(question::Column::Active.eq(true))
        .filter(question::Column::Track.eq("A"))
        .order_by_asc(question::Column::Id)
        .limit(3)
        .all(db)
        .await
        .unwrap();
    for (i, q) in questions.iter().enumerate() {
        teacher_quiz_item::ActiveModel {
            quiz_id: Set(quiz.id),
            position: Set(i as i32 + 1),
            revision_id: Set(q.current_revision),
        }
        .insert(db)
        .await
        .unwrap();
    }
    quiz.id
}
