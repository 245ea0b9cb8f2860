//! The access matrix: every page, server function and upload route × every role → allowed or
//! refused, from one table. The table must name every route the app registers and every server
//! function it exposes, so a new one cannot be added without deciding who may use it.

use khien_so_tests::{People, ROLE_USERS, TEST_PASSWORD, other_browser, seed_people, spawn_app};
use std::collections::BTreeSet;

/// Columns of the expectation strings: anonymous, then the accounts of [`ROLE_USERS`]:
/// pupil, teacher (school A), teacher (school B), principal (A), commune (A's), department (THCS),
/// committee, administrator. `Y` = allowed, `N` = refused.
const WHO: [&str; 9] = [
    "(ẩn danh)",
    ROLE_USERS[0],
    ROLE_USERS[1],
    ROLE_USERS[2],
    ROLE_USERS[3],
    ROLE_USERS[4],
    ROLE_USERS[5],
    ROLE_USERS[6],
    ROLE_USERS[7],
];

enum Kind {
    /// A page: allowed = 200; refused = 401, 403 or 404.
    Page,
    /// A server function posted as a form (no `Accept: text/html`, so errors keep their status):
    /// refused = 401 or 403, anything else is allowed (the function ran its own checks and
    /// answered, e.g. 404 for an attempt that is not the caller's).
    ServerFn(&'static str),
    /// A server function with a JSON body.
    ServerFnJson(&'static str),
    /// A multipart upload route: refused = 401 or 403.
    Upload,
}

struct Entry {
    /// Route as registered (`/truong/{id}`) or server-function name.
    key: &'static str,
    kind: Kind,
    /// Concrete request path; `{A}`, `{B}`, `{CA}`, `{SLUG}` are filled in.
    path: &'static str,
    expect: &'static str,
}

const fn page(key: &'static str, path: &'static str, expect: &'static str) -> Entry {
    Entry {
        key,
        kind: Kind::Page,
        path,
        expect,
    }
}

const fn sfn(key: &'static str, body: &'static str, expect: &'static str) -> Entry {
    Entry {
        key,
        kind: Kind::ServerFn(body),
        path: "",
        expect,
    }
}

const fn sfn_json(key: &'static str, body: &'static str, expect: &'static str) -> Entry {
    Entry {
        key,
        kind: Kind::ServerFnJson(body),
        path: "",
        expect,
    }
}

const ALL: &str = "YYYYYYYYY";
const SIGNED_IN: &str = "NYYYYYYYY";
const PUPIL: &str = "NYNNNNNNN";
const COMMITTEE: &str = "NNNNNNNYY";
const NOBODY: &str = "NNNNNNNNN";
const READ_SCHOOL_A: &str = "NNYNYYYNY";
const READ_SCHOOL_B: &str = "NNNYNNNNY";
const MANAGE_CLASS_A: &str = "NNYNYNNNY";
const MANAGE_SCHOOL_A: &str = "NNYNYNNNN";
const TEACHER_A: &str = "NNYNNNNNN";
const PRINCIPAL_A: &str = "NNNNYNNNY";
const DIRECTORY: &str = "NNNNNYYNY";
const ADMIN: &str = "NNNNNNNNY";
const COVERAGE: &str = "NNNNNYYNY";
const DEPARTMENT: &str = "NNNNNNYNY";

/// The one table. `logout` is last on purpose: it ends the session used by the rows above.
const TABLE: &[Entry] = &[
    page("/", "/", ALL),
    page("/bai-hoc", "/bai-hoc", ALL),
    page("/bai-hoc/{slug}", "/bai-hoc/{SLUG}", ALL),
    page("/luyen-tap", "/luyen-tap", ALL),
    // Attempts belong to a browser; ownership is tested in http.rs. The gate here is "none".
    page(
        "/luyen-tap/{attempt}/cau/{n}",
        "/luyen-tap/{ATT}/cau/1",
        ALL,
    ),
    page(
        "/luyen-tap/{attempt}/nop-bai",
        "/luyen-tap/{ATT}/nop-bai",
        ALL,
    ),
    page(
        "/luyen-tap/{attempt}/ket-qua",
        "/luyen-tap/{ATT}/ket-qua",
        ALL,
    ),
    page("/tien-do", "/tien-do", ALL),
    page("/dang-nhap", "/dang-nhap", ALL),
    page("/tham-gia", "/tham-gia", ALL),
    page("/cuoc-thi", "/cuoc-thi", ALL),
    page("/cuoc-thi/quan-ly", "/cuoc-thi/quan-ly", COMMITTEE),
    page(
        "/cuoc-thi/vong/{id}/ket-qua",
        "/cuoc-thi/vong/{R}/ket-qua",
        COMMITTEE,
    ),
    page(
        "/cuoc-thi/vong/{id}/ket-qua.csv",
        "/cuoc-thi/vong/{R}/ket-qua.csv",
        COMMITTEE,
    ),
    page(
        "/cuoc-thi/vong/{id}/ket-qua.xlsx",
        "/cuoc-thi/vong/{R}/ket-qua.xlsx",
        COMMITTEE,
    ),
    page(
        "/cuoc-thi/vong/{id}/phan-tich",
        "/cuoc-thi/vong/{R}/phan-tich",
        COMMITTEE,
    ),
    page(
        "/cuoc-thi/vong/{id}/bang-xep-hang",
        "/cuoc-thi/vong/{R}/bang-xep-hang",
        ALL,
    ),
    // An unknown code is 404 for everyone (real certificates: tests/contests.rs).
    page("/chung-nhan", "/chung-nhan", ALL),
    page("/chung-nhan/{code}", "/chung-nhan/KHONG-CO", NOBODY),
    page("/doi-mat-khau", "/doi-mat-khau", SIGNED_IN),
    page("/tai-khoan", "/tai-khoan", SIGNED_IN),
    page("/truong/{id}", "/truong/{A}", READ_SCHOOL_A),
    page("/truong/{id}", "/truong/{B}", READ_SCHOOL_B),
    page("/lop/{id}", "/lop/{CA}", MANAGE_CLASS_A),
    page("/lop/{id}/phieu", "/lop/{CA}/phieu", MANAGE_CLASS_A),
    page("/lop/{id}/giao-bai", "/lop/{CA}/giao-bai", MANAGE_CLASS_A),
    page("/truong/{id}/de", "/truong/{A}/de", MANAGE_SCHOOL_A),
    // A quiz teacher A shares: the teachers and principal of school A.
    page("/de/{id}", "/de/{QZ}", MANAGE_SCHOOL_A),
    page("/giao-bai/{id}", "/giao-bai/{ASG}?lop={CA}", MANAGE_CLASS_A),
    page(
        "/giao-bai/{id}/chua-lam",
        "/giao-bai/{ASG}/chua-lam?lop={CA}",
        MANAGE_CLASS_A,
    ),
    page(
        "/giao-bai/{id}/ket-qua.csv",
        "/giao-bai/{ASG}/ket-qua.csv?lop={CA}",
        MANAGE_CLASS_A,
    ),
    page(
        "/giao-bai/{id}/ket-qua.xlsx",
        "/giao-bai/{ASG}/ket-qua.xlsx?lop={CA}",
        MANAGE_CLASS_A,
    ),
    page("/nhap/{id}", "/nhap/{REPORT}", ADMIN),
    page("/quan-tri", "/quan-tri", DIRECTORY),
    page("/quan-tri/nhat-ky", "/quan-tri/nhat-ky", ADMIN),
    page("/quan-tri/nguoi-dung", "/quan-tri/nguoi-dung", ADMIN),
    page(
        "/quan-tri/nguoi-dung/{id}",
        "/quan-tri/nguoi-dung/{T}",
        ADMIN,
    ),
    page("/mau/{file}", "/mau/danh-sach-lop.csv", ALL),
    page(
        "/truong/{id}/xuat-du-lieu.csv",
        "/truong/{A}/xuat-du-lieu.csv",
        PRINCIPAL_A,
    ),
    page(
        "/truong/{id}/xuat-du-lieu.xlsx",
        "/truong/{A}/xuat-du-lieu.xlsx",
        PRINCIPAL_A,
    ),
    page("/bao-cao", "/bao-cao", COVERAGE),
    page("/bao-cao/in", "/bao-cao/in", COVERAGE),
    page(
        "/bao-cao/xuat/{file}",
        "/bao-cao/xuat/phu-song-2025.xlsx",
        COVERAGE,
    ),
    page("/bao-cao/quy-tac", "/bao-cao/quy-tac", DEPARTMENT),
    page("/bao-cao/chuong-trinh", "/bao-cao/chuong-trinh", DEPARTMENT),
    page(
        "/truong/{id}/tham-gia",
        "/truong/{A}/tham-gia",
        READ_SCHOOL_A,
    ),
    page(
        "/truong/{id}/tham-gia",
        "/truong/{B}/tham-gia",
        READ_SCHOOL_B,
    ),
    // An unknown program is 404 for everyone (real evidence files: tests/coverage.rs).
    page(
        "/chuong-trinh/{id}/minh-chung",
        "/chuong-trinh/999999/minh-chung",
        NOBODY,
    ),
    Entry {
        key: "/truong/{id}/chuong-trinh",
        kind: Kind::Upload,
        path: "/truong/{A}/chuong-trinh",
        expect: MANAGE_SCHOOL_A,
    },
    Entry {
        key: "/quan-tri/truong/nhap",
        kind: Kind::Upload,
        path: "/quan-tri/truong/nhap",
        expect: ADMIN,
    },
    Entry {
        key: "/truong/{id}/nhap-danh-sach",
        kind: Kind::Upload,
        path: "/truong/{A}/nhap-danh-sach",
        expect: MANAGE_SCHOOL_A,
    },
    sfn("list_topics", "", ALL),
    sfn("get_lesson", "slug={SLUG}", ALL),
    sfn("start_practice", "scope=track%3AA", ALL),
    sfn("get_question", "attempt={ATT}&position=1", ALL),
    sfn(
        "answer_question",
        "attempt={ATT}&position=1&choice%5B0%5D=0",
        ALL,
    ),
    sfn("get_overview", "attempt={ATT}", ALL),
    sfn("submit_attempt", "attempt=nope", ALL),
    sfn("get_result", "attempt={ATT}", ALL),
    sfn("get_progress", "", ALL),
    sfn_json(
        "save_answer",
        r#"{"attempt":"{ATT}","position":2,"choices":[0]}"#,
        ALL,
    ),
    sfn_json("finish_attempt", r#"{"attempt":"nope"}"#, ALL),
    sfn_json(
        "record_answer",
        r#"{"attempt":"{ATT}","position":3,"choices":[1]}"#,
        ALL,
    ),
    sfn("login", "username=khong-co&password=sai-mat-khau", ALL),
    sfn(
        "join_class",
        "code=KHONGCO&full_name=Nguy%E1%BB%85n+An&password=abcdefgh1&confirm=abcdefgh1",
        ALL,
    ),
    sfn("get_me", "", SIGNED_IN),
    sfn("list_rounds", "", ALL),
    // Only pupils: for them an unknown round is 404 (allowed: the function ran its checks).
    sfn("enter_round", "round_id=999999&prediction=", PUPIL),
    sfn("get_contests_admin", "", COMMITTEE),
    sfn("get_round_results", "round_id={R}", COMMITTEE),
    sfn("get_item_analysis", "round_id={R}", COMMITTEE),
    sfn("publish_results", "round_id=999999", COMMITTEE),
    sfn("get_leaderboard", "round_id={R}", ALL),
    sfn("get_coverage", "", COVERAGE),
    sfn("get_school_coverage", "school_id={A}", READ_SCHOOL_A),
    sfn("get_coverage_rule", "", DEPARTMENT),
    sfn(
        "save_coverage_rule",
        "school_year=2030&starts_on=x&ends_on=y&threshold_percent=20&pass_percent=50&target_a_percent=80&target_b_percent=50",
        DEPARTMENT,
    ),
    sfn("get_program_queue", "", DEPARTMENT),
    sfn(
        "decide_program",
        "program_id=999999&decision=duyet",
        DEPARTMENT,
    ),
    sfn("get_certificate", "code=KHONG-CO", ALL),
    sfn(
        "create_contest",
        "title=Cu%E1%BB%99c+thi+th%E1%BB%AD&description=&counted_attempt=cao-nhat",
        COMMITTEE,
    ),
    sfn(
        "add_round",
        "contest_id=999999&name=V1&opens_at=2026-12-01T19%3A00&closes_at=2026-12-01T21%3A00&minutes=20&attempts=1&review=ngay&count_1=5",
        COMMITTEE,
    ),
    // Only pupils may: staff get 403 from the function itself.
    sfn("join_class_signed_in", "code=KHONGCO", PUPIL),
    sfn(
        "change_password",
        "current=sai&new_password=abcdefgh1&confirm=abcdefgh1",
        SIGNED_IN,
    ),
    sfn(
        "get_import_report",
        "id=00000000-0000-0000-0000-000000000000",
        SIGNED_IN,
    ),
    sfn("get_school", "id={A}", READ_SCHOOL_A),
    sfn(
        "create_class",
        "school_id={A}&name=9Z&grade=9",
        MANAGE_SCHOOL_A,
    ),
    sfn("get_class", "id={CA}", MANAGE_CLASS_A),
    sfn("get_slips", "class_id={CA}", MANAGE_CLASS_A),
    sfn(
        "pupil_action",
        "class_id={CA}&account_id=999999&action=remove",
        MANAGE_CLASS_A,
    ),
    sfn(
        "set_join_code",
        "class_id={CA}&enable=false",
        MANAGE_CLASS_A,
    ),
    // The principal really deletes the pupil here; the administrator then gets 404 (allowed).
    sfn(
        "delete_pupil",
        "class_id={CA}&account_id={P}&confirm=1",
        PRINCIPAL_A,
    ),
    sfn("get_assignment_form", "class_id={CA}", MANAGE_CLASS_A),
    // An unknown lesson: managers get 400 (allowed), nothing is set.
    sfn(
        "create_assignment",
        "from_class={CA}&class%5B{CA}%5D={CA}&work=lesson%3Akhong-co&opens_at=x&due_at=y",
        MANAGE_CLASS_A,
    ),
    sfn("get_class_assignments", "class_id={CA}", MANAGE_CLASS_A),
    sfn(
        "get_assignment_report",
        "id={ASG}&class_id={CA}",
        MANAGE_CLASS_A,
    ),
    sfn("my_assignments", "", ALL),
    sfn("get_quizzes", "school_id={A}", MANAGE_SCHOOL_A),
    // An empty title: the school's teachers get 400 (allowed), nothing is created.
    sfn("create_quiz", "school_id={A}&title=", MANAGE_SCHOOL_A),
    sfn("get_quiz", "id={QZ}", MANAGE_SCHOOL_A),
    // Only its author changes a quiz (sharing it again changes nothing).
    sfn("edit_quiz", "id={QZ}&action=chia-se", TEACHER_A),
    sfn("copy_quiz", "id={QZ}", MANAGE_SCHOOL_A),
    // Only pupils of a class it was set for.
    sfn("start_assignment", "id={ASG}", PUPIL),
    // The class's teacher really withdraws it; later managers see it withdrawn (allowed).
    sfn(
        "withdraw_assignment",
        "id={ASG}&class_id={CA}",
        MANAGE_CLASS_A,
    ),
    sfn("list_schools", "", DIRECTORY),
    sfn("get_audit_log", "", ADMIN),
    sfn("list_staff", "", ADMIN),
    sfn("get_staff", "id={T}", ADMIN),
    sfn(
        "create_staff",
        "username=moi.tao&full_name=C%C3%A1n+B%E1%BB%99+M%E1%BB%9Bi&role=committee",
        ADMIN,
    ),
    sfn(
        "add_staff_role",
        "account_id={T}&role=teacher&school_code=TA-01",
        ADMIN,
    ),
    sfn("staff_action", "account_id=999999&action=unlock", ADMIN),
    sfn("logout", "", ALL),
];

/// `/api/login1234…` → `login`.
fn server_fn_name(path: &str) -> String {
    path.trim_start_matches("/api/")
        .trim_end_matches(|c: char| c.is_ascii_digit())
        .to_owned()
}

#[test]
fn the_table_names_every_page_and_every_server_function() {
    let in_table: BTreeSet<&str> = TABLE.iter().map(|e| e.key).collect();
    let pages: BTreeSet<String> = server::route_list()
        .iter()
        .map(|r| r.path().to_owned())
        .collect();
    let missing_pages: Vec<&String> = pages
        .iter()
        .filter(|p| !in_table.contains(p.as_str()))
        .collect();
    assert!(
        missing_pages.is_empty(),
        "pages missing from the access table: {missing_pages:?}"
    );
    let functions: BTreeSet<String> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| server_fn_name(path))
        .collect();
    let missing: Vec<&String> = functions
        .iter()
        .filter(|f| !in_table.contains(f.as_str()))
        .collect();
    assert!(
        missing.is_empty(),
        "server functions missing from the access table: {missing:?}"
    );
    for entry in TABLE {
        assert_eq!(entry.expect.len(), WHO.len(), "{}", entry.key);
    }
}

#[tokio::test]
async fn every_route_and_server_function_allows_exactly_the_roles_in_the_table() {
    let app = spawn_app().await;
    let people: People = seed_people(&app.db).await;
    let functions: Vec<(String, String)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| (server_fn_name(path), path.to_owned()))
        .collect();
    let slug = {
        let (_, html) = app.get("/bai-hoc").await;
        let start =
            html.find("href=\"/bai-hoc/").expect("a lesson link") + "href=\"/bai-hoc/".len();
        html[start..start + html[start..].find('"').unwrap()].to_owned()
    };
    // An import report owned by the administrator.
    let admin = khien_so_tests::new_client();
    let report = {
        let viewer = khien_so_tests::TestApp {
            client: admin.clone(),
            address: app.address.clone(),
            db: app.db.clone(),
            config: app.config.clone(),
        };
        viewer.login("quantri", TEST_PASSWORD).await;
        let form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(b"khong,hop,le\n".to_vec()).file_name("sai.csv"),
        );
        let response = admin
            .post(format!("{}/quan-tri/truong/nhap", app.address))
            .header("origin", &app.address)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        location.trim_start_matches("/nhap/").to_owned()
    };

    let round = khien_so_tests::closed_round(&app.db).await;
    let assignment = khien_so_tests::assignment_for(&app.db, people.school_a, people.class_a).await;
    let quiz = khien_so_tests::quiz_for(&app.db, people.school_a, people.teacher, true).await;

    let mut failures = Vec::new();
    for (column, who) in WHO.iter().enumerate() {
        let client = if column == 8 {
            admin.clone()
        } else {
            khien_so_tests::new_client()
        };
        let me = khien_so_tests::TestApp {
            client: client.clone(),
            address: app.address.clone(),
            db: app.db.clone(),
            config: app.config.clone(),
        };
        if column > 0 && column != 8 {
            let location = me.login(who, TEST_PASSWORD).await;
            assert_eq!(location.as_deref(), Some("/tai-khoan"), "{who} signs in");
        }
        let attempt = me.start_practice("track:A").await;
        let fill = |s: &str| {
            s.replace("{A}", &people.school_a.to_string())
                .replace("{B}", &people.school_b.to_string())
                .replace("{CA}", &people.class_a.to_string())
                .replace("{SLUG}", &slug)
                .replace("{ATT}", &attempt)
                .replace("{REPORT}", &report)
                .replace("{P}", &people.pupil.to_string())
                .replace("{T}", &people.teacher.to_string())
                .replace("{R}", &round.to_string())
                .replace("{ASG}", &assignment.to_string())
                .replace("{QZ}", &quiz.to_string())
        };
        for entry in TABLE {
            let expected = entry.expect.as_bytes()[column] == b'Y';
            let (status, label) = match &entry.kind {
                Kind::Page => {
                    let path = fill(entry.path);
                    let status = client
                        .get(format!("{}{path}", app.address))
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16();
                    (status, format!("GET {path}"))
                }
                Kind::ServerFn(body) | Kind::ServerFnJson(body) => {
                    let path = &functions
                        .iter()
                        .find(|(name, _)| name == entry.key)
                        .unwrap_or_else(|| panic!("no server function {}", entry.key))
                        .1;
                    let json = matches!(entry.kind, Kind::ServerFnJson(_));
                    let status = client
                        .post(format!("{}{path}", app.address))
                        .header("origin", &app.address)
                        .header(
                            "content-type",
                            if json {
                                "application/json"
                            } else {
                                "application/x-www-form-urlencoded"
                            },
                        )
                        .body(fill(body))
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16();
                    (status, format!("POST {}", entry.key))
                }
                Kind::Upload => {
                    let path = fill(entry.path);
                    let form = reqwest::multipart::Form::new().part(
                        "file",
                        reqwest::multipart::Part::bytes(b"sai\n".to_vec()).file_name("sai.csv"),
                    );
                    let status = client
                        .post(format!("{}{path}", app.address))
                        .header("origin", &app.address)
                        .multipart(form)
                        .send()
                        .await
                        .unwrap()
                        .status()
                        .as_u16();
                    (status, format!("POST {path}"))
                }
            };
            let refused = match entry.kind {
                Kind::Page => matches!(status, 401 | 403 | 404),
                _ => matches!(status, 401 | 403),
            };
            let allowed = match entry.kind {
                Kind::Page => status == 200,
                _ => !refused && status != 500,
            };
            if (expected && !allowed) || (!expected && !refused) {
                failures.push(format!(
                    "{label} as {who}: expected {}, got HTTP {status}",
                    if expected { "allowed" } else { "refused" }
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "access matrix mismatches:\n{}",
        failures.join("\n")
    );
}

/// Values of every kind a request parameter can carry, at their worst: numbers past every integer
/// type, negative and non-finite numbers, control and bidi characters, header injection, markup,
/// invalid UTF-8 and a 100,000-character string. (Percent-encoded, as they travel.)
fn hostile_values() -> Vec<String> {
    let mut values: Vec<String> = [
        "18446744073709551615",
        "18446744073709551616",
        "-9223372036854775809",
        "-1",
        "0",
        "1e309",
        "NaN",
        "%00%01%1F%7F",
        "%E2%80%AE%E2%80%8B",
        "%0D%0ASet-Cookie%3A%20x%3D1",
        "%3C%2Ftitle%3E%3Cscript%3E",
        "%FF%FE%C3",
        "",
    ]
    .iter()
    .map(|v| v.to_string())
    .collect();
    values.push("A".repeat(100_000));
    values
}

/// The same hostile values as JSON.
fn hostile_json() -> Vec<serde_json::Value> {
    use serde_json::json;
    vec![
        json!(18446744073709551615u64),
        json!(-9223372036854775807i64),
        json!(-1),
        json!(1e300),
        json!("\u{0}\u{1f}\u{202e}"),
        json!("A".repeat(100_000)),
        json!(null),
        json!([18446744073709551615u64, -1]),
        json!({"x": 1}),
        json!(true),
    ]
}

/// Query parameters the pages read.
const PAGE_PARAMETERS: &[&str] = &[
    "trang",
    "nam",
    "loi",
    "next",
    "q",
    "lang",
    "level",
    "sap-xep",
    "mach",
    "cap",
    "xong",
    "phut",
    "loi-chi-tiet",
    "loi-vong",
    "cuoc-thi",
    "lan-dau",
    "lop",
    "chu-de",
    "do-kho",
    "tim",
];

#[tokio::test]
async fn hostile_values_in_every_parameter_get_an_answer_and_never_a_500() {
    let app = spawn_app().await;
    let people: People = seed_people(&app.db).await;
    let round = khien_so_tests::closed_round(&app.db).await;
    let assignment = khien_so_tests::assignment_for(&app.db, people.school_a, people.class_a).await;
    let quiz = khien_so_tests::quiz_for(&app.db, people.school_a, people.teacher, true).await;
    let functions: Vec<(String, String)> = leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| (server_fn_name(path), path.to_owned()))
        .collect();
    let fill = |s: &str, attempt: &str| {
        s.replace("{A}", &people.school_a.to_string())
            .replace("{B}", &people.school_b.to_string())
            .replace("{CA}", &people.class_a.to_string())
            .replace("{SLUG}", "bao-ve-ma-otp")
            .replace("{ATT}", attempt)
            .replace("{REPORT}", "00000000-0000-0000-0000-000000000000")
            .replace("{P}", "999999")
            .replace("{T}", &people.teacher.to_string())
            .replace("{R}", &round.to_string())
            .replace("{ASG}", &assignment.to_string())
            .replace("{QZ}", &quiz.to_string())
    };
    let values = hostile_values();
    let mut requests = 0usize;
    let mut failures = Vec::new();
    for who in ["quantri", "giaovien", "hocsinh", "(ẩn danh)"] {
        let me = khien_so_tests::TestApp {
            client: khien_so_tests::new_client(),
            address: app.address.clone(),
            db: app.db.clone(),
            config: app.config.clone(),
        };
        if who != "(ẩn danh)" {
            me.login(who, TEST_PASSWORD).await;
        }
        let attempt = me.start_practice("track:A").await;
        // (label, method-and-path, content type, body)
        let mut cases: Vec<(String, String, Option<&'static str>, String)> = Vec::new();
        for entry in TABLE {
            match &entry.kind {
                Kind::Page => {
                    let path = fill(entry.path, &attempt);
                    for value in &values {
                        let query: Vec<String> = PAGE_PARAMETERS
                            .iter()
                            .map(|p| format!("{p}={}", &value[..value.len().min(2_000)]))
                            .collect();
                        cases.push((
                            format!("GET {path}?…={}", short(value)),
                            format!("{path}?{}", query.join("&")),
                            None,
                            String::new(),
                        ));
                        // Each numeric or free segment of the path, replaced.
                        let segments: Vec<&str> = path.split('/').collect();
                        for (i, segment) in segments.iter().enumerate().skip(1) {
                            if segment.chars().any(|c| c.is_ascii_digit()) || segment.len() > 20 {
                                let mut changed: Vec<String> =
                                    segments.iter().map(|s| s.to_string()).collect();
                                changed[i] = value[..value.len().min(2_000)].to_owned();
                                cases.push((
                                    format!("GET {} [{i}]={}", path, short(value)),
                                    changed.join("/"),
                                    None,
                                    String::new(),
                                ));
                            }
                        }
                    }
                }
                Kind::ServerFn(body) if entry.key != "logout" && entry.key != "delete_pupil" => {
                    let path = &functions.iter().find(|(n, _)| n == entry.key).unwrap().1;
                    let body = fill(body, &attempt);
                    let pairs: Vec<(String, String)> = body
                        .split('&')
                        .filter(|p| !p.is_empty())
                        .map(|p| {
                            let (k, v) = p.split_once('=').unwrap_or((p, ""));
                            (k.to_owned(), v.to_owned())
                        })
                        .collect();
                    // Every parameter, and a parameter the function does not expect ("page").
                    let mut names: Vec<String> = pairs.iter().map(|(k, _)| k.clone()).collect();
                    names.push("page".to_owned());
                    for name in &names {
                        for value in &values {
                            let mut changed = pairs.clone();
                            match changed.iter_mut().find(|(k, _)| k == name) {
                                Some(pair) => pair.1 = value.clone(),
                                None => changed.push((name.clone(), value.clone())),
                            }
                            let body = changed
                                .iter()
                                .map(|(k, v)| format!("{k}={v}"))
                                .collect::<Vec<_>>()
                                .join("&");
                            cases.push((
                                format!("POST {} {name}={}", entry.key, short(value)),
                                path.clone(),
                                Some("application/x-www-form-urlencoded"),
                                body,
                            ));
                        }
                    }
                }
                Kind::ServerFnJson(body) => {
                    let path = &functions.iter().find(|(n, _)| n == entry.key).unwrap().1;
                    let base: serde_json::Value =
                        serde_json::from_str(&fill(body, &attempt)).unwrap();
                    for key in base.as_object().unwrap().keys() {
                        for value in hostile_json() {
                            let mut changed = base.clone();
                            changed[key] = value.clone();
                            cases.push((
                                format!("POST {} {key}={}", entry.key, short(&value.to_string())),
                                path.clone(),
                                Some("application/json"),
                                changed.to_string(),
                            ));
                        }
                    }
                    // Not JSON at all.
                    cases.push((
                        format!("POST {} (not JSON)", entry.key),
                        path.clone(),
                        Some("application/json"),
                        "{\"attempt\": \u{0}".to_owned(),
                    ));
                }
                _ => {}
            }
        }
        requests += cases.len();
        for chunk in cases.chunks(16) {
            let mut set = tokio::task::JoinSet::new();
            for (label, path, content_type, body) in chunk.iter().cloned() {
                let client = me.client.clone();
                let url = format!("{}{path}", app.address);
                set.spawn(async move {
                    let request = match content_type {
                        None => client.get(url),
                        Some(kind) => client.post(url).header("content-type", kind).body(body),
                    };
                    match request.send().await {
                        Ok(response) if response.status().as_u16() >= 500 => {
                            Some(format!("{label}: HTTP {}", response.status().as_u16()))
                        }
                        Ok(_) => None,
                        Err(error) => Some(format!("{label}: no answer ({error})")),
                    }
                });
            }
            while let Some(outcome) = set.join_next().await {
                if let Some(failure) = outcome.unwrap() {
                    failures.push(format!("as {who}: {failure}"));
                }
            }
        }
    }
    println!("{requests} hostile requests, {} failures", failures.len());
    assert!(
        failures.is_empty(),
        "{} of {requests} hostile requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    let (status, body) = app.get("/healthz").await;
    assert_eq!((status, body.as_str()), (200, "ok"));
}

fn short(value: &str) -> String {
    if value.len() > 24 {
        format!("{}…({} chars)", &value[..12], value.len())
    } else {
        value.to_owned()
    }
}

#[tokio::test]
async fn a_page_someone_may_not_use_shows_only_why_never_its_forms() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    // Anonymous: a sign-in page, and nothing of the committee's form.
    let (status, html) = app.get("/cuoc-thi/quan-ly").await;
    assert_eq!(status, 401);
    assert!(html.contains("Cần đăng nhập"));
    assert!(
        !html.contains("create_contest") && !html.contains("Tạo cuộc thi"),
        "{html}"
    );
    // A signed-in pupil: "no access", not "something went wrong", and no import form.
    let pupil = other_browser(&app);
    pupil.login("hocsinh", TEST_PASSWORD).await;
    for page in [
        "/quan-tri",
        "/bao-cao",
        "/cuoc-thi/quan-ly",
        "/quan-tri/nguoi-dung",
    ] {
        let (status, html) = pupil.get(page).await;
        assert_eq!(status, 403, "{page}");
        assert!(
            html.contains("Không có quyền xem trang này"),
            "{page}: {html}"
        );
        assert!(!html.contains("Đã có lỗi"), "{page}");
        assert!(
            !html.contains("<form method=\"post\""),
            "{page}: no form: {html}"
        );
    }
    // The administrator still gets the directory import form, the committee the contest form.
    let admin = other_browser(&app);
    admin.login("quantri", TEST_PASSWORD).await;
    assert!(
        admin
            .get("/quan-tri")
            .await
            .1
            .contains("/quan-tri/truong/nhap")
    );
    let committee = other_browser(&app);
    committee.login("btc", TEST_PASSWORD).await;
    assert!(
        committee
            .get("/cuoc-thi/quan-ly")
            .await
            .1
            .contains("create_contest")
    );
}
