//! Sign-in, sessions, rosters, join codes — over real HTTP on a fresh database.

use app::entities::{account, attempt, class_member, school_class};
use khien_so_tests::{TEST_PASSWORD, TestApp, other_browser, seed_people, spawn_app};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

async fn upload(
    app: &TestApp,
    path: &str,
    file_name: &str,
    bytes: Vec<u8>,
    origin: &str,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
    );
    app.client
        .post(format!("{}{path}", app.address))
        .header("origin", origin)
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn after_five_wrong_passwords_the_account_is_locked_for_a_while_even_with_the_right_one() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    for _ in 0..5 {
        assert_eq!(
            app.login("giaovien", "sai-mat-khau").await.as_deref(),
            Some("/dang-nhap?loi=sai")
        );
    }
    let location = app.login("giaovien", TEST_PASSWORD).await.unwrap();
    assert!(
        location.starts_with("/dang-nhap?loi=nhieu-lan&phut="),
        "{location}"
    );
    let (_, html) = app.get(&location).await;
    assert!(
        html.contains("Bạn đã nhập sai quá nhiều lần"),
        "the page explains it in Vietnamese"
    );
    // Another account from the same address is not locked.
    assert_eq!(
        other_browser(&app)
            .login("hieutruong", TEST_PASSWORD)
            .await
            .as_deref(),
        Some("/tai-khoan")
    );
}

#[tokio::test]
async fn an_unknown_username_gets_the_same_answer_as_a_wrong_password() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    assert_eq!(
        app.login("khong-ton-tai", "bat-ky-mat-khau").await,
        app.login("giaovien", "bat-ky-mat-khau").await
    );
}

#[tokio::test]
async fn the_session_cookie_is_http_only_renewed_at_each_login_and_dead_after_logout() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let action = app.action_on("/dang-nhap", "login").await;
    let login = |client: reqwest::Client| {
        let action = action.clone();
        let address = app.address.clone();
        async move {
            let response = client
                .post(format!("{address}{action}"))
                .header("accept", "text/html")
                .header("origin", &address)
                .form(&[("username", "hieutruong"), ("password", TEST_PASSWORD)])
                .send()
                .await
                .unwrap();
            response
                .headers()
                .get_all("set-cookie")
                .iter()
                .map(|v| v.to_str().unwrap().to_owned())
                .find(|c| c.starts_with("ks_session="))
                .expect("a session cookie")
        }
    };
    let first = login(app.client.clone()).await;
    assert!(
        first.contains("HttpOnly") && first.contains("SameSite=Lax"),
        "{first}"
    );
    let second = login(app.client.clone()).await;
    assert_ne!(first, second, "a new session id at each sign-in");
    assert_eq!(app.get("/tai-khoan").await.0, 200);

    let old_token = second.split(';').next().unwrap().to_owned();
    app.submit("/tai-khoan", "logout", &[]).await;
    assert_eq!(app.get("/tai-khoan").await.0, 401);
    // Replaying the old cookie does not bring the session back.
    let replay = reqwest::Client::new()
        .get(format!("{}/tai-khoan", app.address))
        .header("cookie", old_token)
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status().as_u16(), 401);
}

#[tokio::test]
async fn a_one_time_password_must_be_replaced_before_anything_else() {
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let password = app::schools::people::create_account(
        &app.db,
        app::schools::people::AccountSpec {
            username: "gv.moi".into(),
            full_name: "Lê Thị Mới".into(),
            grants: vec![],
        },
        &app::schools::people::Actor::command_line(),
    )
    .await
    .unwrap();
    assert_eq!(
        app.login("gv.moi", &password).await.as_deref(),
        Some("/doi-mat-khau?lan-dau=1")
    );
    let response = app
        .client
        .get(format!("{}/tai-khoan", app.address))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 303);
    assert_eq!(response.headers()["location"], "/doi-mat-khau");

    let action = app.action_on("/doi-mat-khau", "change_password").await;
    let (_, location) = app
        .post_form(
            &action,
            &[
                ("current", &password),
                ("new_password", "ngan"),
                ("confirm", "ngan"),
            ],
        )
        .await;
    assert_eq!(location.as_deref(), Some("/doi-mat-khau?loi=ngan"));
    let (_, location) = app
        .post_form(
            &action,
            &[
                ("current", &password),
                ("new_password", "bao-ve-tai-khoan"),
                ("confirm", "bao-ve-tai-khoan"),
            ],
        )
        .await;
    assert_eq!(location.as_deref(), Some("/tai-khoan?doi-mat-khau=1"));
    assert_eq!(app.get("/tai-khoan").await.0, 200);
    let stored = account::Entity::find()
        .filter(account::Column::Username.eq("gv.moi"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert!(
        stored.initial_password.is_none(),
        "the slip password is forgotten"
    );
    assert_eq!(
        other_browser(&app)
            .login("gv.moi", &password)
            .await
            .as_deref(),
        Some("/dang-nhap?loi=sai")
    );
}

#[tokio::test]
async fn practice_done_before_signing_in_moves_to_the_account() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let attempt_id = app.start_practice("track:A").await;
    app.login("hocsinh", TEST_PASSWORD).await;
    let pupil = account::Entity::find_by_id(people.pupil)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let stored = attempt::Entity::find_by_id(attempt_id.clone())
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.learner_id, pupil.learner_id);
    let (status, html) = app.get("/tien-do").await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&attempt_id),
        "the attempt is in the pupil's progress"
    );
    // Signed in elsewhere, the pupil sees it too.
    let phone = other_browser(&app);
    phone.login("hocsinh", TEST_PASSWORD).await;
    assert!(phone.get("/tien-do").await.1.contains(&attempt_id));
}

#[tokio::test]
async fn a_roster_upload_creates_accounts_and_slips_and_a_bad_one_writes_nothing() {
    let mut config = khien_so_tests::test_config(None).await;
    config.public_url = Some("https://khienso.example.edu.vn".to_owned());
    let app = khien_so_tests::spawn_app_with(config).await;
    let people = seed_people(&app.db).await;
    app.login("giaovien", TEST_PASSWORD).await;
    let path = format!("/truong/{}/nhap-danh-sach", people.school_a);
    let before = account::Entity::find().count(&app.db).await.unwrap();

    let bad = "họ và tên,lớp,khối,năm sinh\nNguyễn Văn An,9C,9,2012\nAn,9C,5,1900\n";
    let response = upload(
        &app,
        &path,
        "lop9c.csv",
        bad.as_bytes().to_vec(),
        &app.address,
    )
    .await;
    assert_eq!(response.status().as_u16(), 303);
    let report = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, html) = app.get(&report).await;
    assert!(
        html.contains("dòng 3, cột “khối”"),
        "errors name row and column"
    );
    assert!(html.contains("chưa có gì được ghi"));
    assert_eq!(
        account::Entity::find().count(&app.db).await.unwrap(),
        before,
        "nothing written"
    );

    let good = "\u{feff}họ và tên,lớp,khối,mã học sinh,năm sinh\nnguyễn văn an,9C,9,,2012\nTrần Thị Bình,9C,9,HS-2,2012\n";
    let response = upload(
        &app,
        &path,
        "lop9c.csv",
        good.as_bytes().to_vec(),
        &app.address,
    )
    .await;
    let report = response.headers()["location"].to_str().unwrap().to_owned();
    let (_, html) = app.get(&report).await;
    assert!(html.contains("Tạo 2 tài khoản học sinh mới"), "{html}");
    let class = school_class::Entity::find()
        .filter(school_class::Column::Name.eq("9C"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (status, slips) = app.get(&format!("/lop/{}/phieu", class.id)).await;
    assert_eq!(status, 200);
    assert!(slips.contains("Nguyễn Văn An") && slips.contains("Trần Thị Bình"));
    assert!(
        slips.contains("https://khienso.example.edu.vn/dang-nhap"),
        "each slip says where to sign in (the configured public address)"
    );
    // Importing the same file again adds nobody.
    let response = upload(
        &app,
        &path,
        "lop9c.csv",
        good.as_bytes().to_vec(),
        &app.address,
    )
    .await;
    let (_, html) = app
        .get(response.headers()["location"].to_str().unwrap())
        .await;
    assert!(
        html.contains("Tạo 0 tài khoản học sinh mới; 2 học sinh đã có"),
        "{html}"
    );

    // The slip works once, then the pupil must choose a password.
    let pupil = account::Entity::find()
        .filter(account::Column::FullName.eq("Trần Thị Bình"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let browser = other_browser(&app);
    assert_eq!(
        browser
            .login(&pupil.username, pupil.initial_password.as_deref().unwrap())
            .await
            .as_deref(),
        Some("/doi-mat-khau?lan-dau=1")
    );
}

#[tokio::test]
async fn uploads_from_another_site_and_non_utf8_files_are_refused() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    app.login("giaovien", TEST_PASSWORD).await;
    let path = format!("/truong/{}/nhap-danh-sach", people.school_a);
    let csv = "họ và tên,lớp,khối\nNguyễn Văn An,9C,9\n";
    let response = upload(
        &app,
        &path,
        "a.csv",
        csv.as_bytes().to_vec(),
        "https://ke-gian.example",
    )
    .await;
    assert_eq!(response.status().as_u16(), 403);
    // Windows-1258-ish bytes: not UTF-8.
    let response = upload(
        &app,
        &path,
        "a.csv",
        b"h\xe4 v\xe0 t\xean,l\xf3p\n".to_vec(),
        &app.address,
    )
    .await;
    let (_, html) = app
        .get(response.headers()["location"].to_str().unwrap())
        .await;
    assert!(html.contains("UTF-8"), "the encoding problem is explained");
    assert_eq!(
        class_member::Entity::find().count(&app.db).await.unwrap(),
        1,
        "only the seeded pupil is in a class"
    );
}

#[tokio::test]
async fn a_pupil_joins_a_class_with_its_code_and_the_teacher_sees_and_can_remove_them() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    app.login("giaovien", TEST_PASSWORD).await;
    app.submit(
        &format!("/lop/{}", people.class_a),
        "set_join_code",
        &[
            ("class_id", &people.class_a.to_string()),
            ("enable", "true"),
        ],
    )
    .await;
    let code = school_class::Entity::find_by_id(people.class_a)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .join_code
        .expect("a join code");

    let pupil = other_browser(&app);
    let join = pupil.action_on("/tham-gia", "join_class").await;
    let (_, location) = pupil
        .post_form(
            &join,
            &[
                ("code", "SAI123"),
                ("full_name", "Phạm Minh Châu"),
                ("birth_year", ""),
                ("password", "an-toan-tren-mang"),
                ("confirm", "an-toan-tren-mang"),
            ],
        )
        .await;
    assert_eq!(location.as_deref(), Some("/tham-gia?loi=ma"));
    let (_, location) = pupil
        .post_form(
            &join,
            &[
                ("code", &code.to_lowercase()),
                ("full_name", "Phạm Minh Châu"),
                ("birth_year", "2012"),
                ("password", "an-toan-tren-mang"),
                ("confirm", "an-toan-tren-mang"),
            ],
        )
        .await;
    let location = location.unwrap();
    assert!(location.starts_with("/tai-khoan?moi="), "{location}");
    let (status, html) = pupil.get(&location).await;
    assert_eq!(status, 200);
    assert!(html.contains("Phạm Minh Châu"));

    let (_, class_page) = app.get(&format!("/lop/{}", people.class_a)).await;
    assert!(
        class_page.contains("Phạm Minh Châu"),
        "the teacher sees the pupil"
    );
    let joined = account::Entity::find()
        .filter(account::Column::FullName.eq("Phạm Minh Châu"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    app.submit(
        &format!("/lop/{}", people.class_a),
        "pupil_action",
        &[
            ("class_id", &people.class_a.to_string()),
            ("account_id", &joined.id.to_string()),
            ("action", "remove"),
        ],
    )
    .await;
    let (_, class_page) = app.get(&format!("/lop/{}", people.class_a)).await;
    assert!(
        !class_page.contains("Phạm Minh Châu"),
        "removed from the class"
    );
}

#[tokio::test]
async fn every_administrative_action_lands_in_the_audit_log() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    app.login("giaovien", TEST_PASSWORD).await;
    app.submit(
        &format!("/lop/{}", people.class_a),
        "pupil_action",
        &[
            ("class_id", &people.class_a.to_string()),
            ("account_id", &people.pupil.to_string()),
            ("action", "move"),
            ("to_class", &people.class_a2.to_string()),
        ],
    )
    .await;
    let admin = other_browser(&app);
    admin.login("quantri", TEST_PASSWORD).await;
    let (status, html) = admin.get("/quan-tri/nhat-ky").await;
    assert_eq!(status, 200);
    assert!(
        html.contains("Chuyển lớp học sinh")
            && html.contains("giaovien")
            && html.contains("127.0.0.1"),
        "who, what (in words, not a code), from where"
    );
    assert!(html.contains("Nhập danh mục trường"));
    let table = &html[html.find("<table").expect("a table")..];
    assert!(
        !table.contains("pupil.move") && !table.contains("{\""),
        "no codes or raw JSON in the log"
    );
    // The move kept the old membership as history.
    let memberships = class_member::Entity::find()
        .filter(class_member::Column::AccountId.eq(people.pupil))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(memberships.len(), 2);
    assert!(
        memberships
            .iter()
            .any(|m| m.class_id == people.class_a && m.left_at.is_some())
    );
    assert!(
        memberships
            .iter()
            .any(|m| m.class_id == people.class_a2 && m.left_at.is_none())
    );
    let _ = people.class_b;
}

#[tokio::test]
async fn a_principal_exports_the_pupils_data_and_deleting_a_pupil_keeps_their_attempts_anonymously()
{
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let pupil_browser = other_browser(&app);
    let attempt_id = pupil_browser.start_practice("track:A").await;
    pupil_browser.login("hocsinh", TEST_PASSWORD).await;
    // A name that would be a formula in Excel is neutralised in the export.
    account::Entity::update_many()
        .col_expr(
            account::Column::FullName,
            sea_orm::sea_query::Expr::value("=HYPERLINK(\"x\")"),
        )
        .filter(account::Column::Id.eq(people.pupil))
        .exec(&app.db)
        .await
        .unwrap();

    app.login("hieutruong", TEST_PASSWORD).await;
    let (status, csv) = app
        .get(&format!("/truong/{}/xuat-du-lieu.csv", people.school_a))
        .await;
    assert_eq!(status, 200);
    assert!(
        csv.contains("hocsinh") && csv.contains(&attempt_id),
        "the pupil and their attempt"
    );
    assert!(
        csv.contains("'=HYPERLINK"),
        "formulas are neutralised: {csv}"
    );
    // What the attempt was, in words: not "practice" and "track:A".
    assert!(csv.contains(",Luyện tập,Mạch A,"), "{csv}");
    assert!(
        !csv.contains("track:A") && !csv.contains(",practice,"),
        "{csv}"
    );
    let xlsx = app
        .client
        .get(format!(
            "{}/truong/{}/xuat-du-lieu.xlsx",
            app.address, people.school_a
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(xlsx.status(), 200);
    assert!(
        xlsx.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    assert!(
        xlsx.bytes().await.unwrap().starts_with(b"PK"),
        "a zip (XLSX) file"
    );
    assert_eq!(
        other_browser(&app)
            .get(&format!("/truong/{}/xuat-du-lieu.csv", people.school_a))
            .await
            .0,
        401
    );

    let delete = app
        .action_on(&format!("/lop/{}", people.class_a), "delete_pupil")
        .await;
    let (_, location) = app
        .post_form(
            &delete,
            &[
                ("class_id", &people.class_a.to_string()),
                ("account_id", &people.pupil.to_string()),
                ("confirm", "1"),
            ],
        )
        .await;
    assert_eq!(
        location,
        Some(format!("/lop/{}?xong=da-xoa-tk", people.class_a))
    );
    assert!(
        account::Entity::find_by_id(people.pupil)
            .one(&app.db)
            .await
            .unwrap()
            .is_none()
    );
    let kept = attempt::Entity::find_by_id(attempt_id)
        .one(&app.db)
        .await
        .unwrap()
        .expect("the attempt stays");
    assert!(
        account::Entity::find()
            .filter(account::Column::LearnerId.eq(kept.learner_id))
            .one(&app.db)
            .await
            .unwrap()
            .is_none(),
        "no longer linked to anyone"
    );
    assert_eq!(
        pupil_browser.get("/tai-khoan").await.0,
        401,
        "the pupil's session ended"
    );
}

#[tokio::test]
async fn an_administrator_manages_staff_accounts_in_the_browser_and_changes_take_effect_at_once() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    app.login("quantri", TEST_PASSWORD).await;

    // A username that breaks the rules, an unknown school: refused with a message, nothing made.
    let create = |username: &'static str, school: &'static str| {
        let app = &app;
        async move {
            app.submit(
                "/quan-tri/nguoi-dung",
                "create_staff",
                &[
                    ("username", username),
                    ("full_name", "Lê Thị Hoa"),
                    ("role", "teacher"),
                    ("school_code", school),
                    ("commune", ""),
                ],
            )
            .await
            .1
        }
    };
    assert_eq!(
        create("Lê Hoa", "TA-01").await.as_deref(),
        Some("/quan-tri/nguoi-dung?loi=ten-dn")
    );
    assert_eq!(
        create("hoa.le", "KHONG-CO").await.as_deref(),
        Some("/quan-tri/nguoi-dung?loi=truong")
    );
    assert_eq!(
        create("giaovien", "TA-01").await.as_deref(),
        Some("/quan-tri/nguoi-dung?loi=trung-ten-dn")
    );
    let location = create("hoa.le", "TA-01").await.unwrap();
    assert!(
        location.ends_with("?xong=tao-moi"),
        "goes to the new account: {location}"
    );
    let account_page = location.split('?').next().unwrap().to_owned();
    let hoa = account::Entity::find()
        .filter(account::Column::Username.eq("hoa.le"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("created");
    let one_time = hoa.initial_password.clone().expect("a one-time password");
    let (status, html) = app.get(&location).await;
    assert_eq!(status, 200);
    assert!(
        html.contains(&one_time),
        "the administrator sees it to hand over"
    );
    let (_, list) = app.get("/quan-tri/nguoi-dung?q=hoa").await;
    assert!(list.contains("hoa.le") && !list.contains("hocsinh"));

    // The new teacher signs in with it, must choose a password, then reads school A.
    let hoa_browser = other_browser(&app);
    let first = hoa_browser.login("hoa.le", &one_time).await.unwrap();
    assert!(first.starts_with("/doi-mat-khau"), "{first}");
    hoa_browser
        .submit(
            "/doi-mat-khau",
            "change_password",
            &[
                ("current", &one_time),
                ("new_password", "mat-khau-rieng-2026"),
                ("confirm", "mat-khau-rieng-2026"),
            ],
        )
        .await;
    let school_a = format!("/truong/{}", people.school_a);
    assert_eq!(hoa_browser.get(&school_a).await.0, 200);
    let (_, html) = app.get(&account_page).await;
    assert!(
        !html.contains(&one_time),
        "the one-time password is gone once replaced"
    );

    // A second role; then the first is withdrawn and works no more at the next request.
    let (_, location) = app
        .submit(
            &account_page,
            "add_staff_role",
            &[
                ("account_id", &hoa.id.to_string()),
                ("role", "commune"),
                ("school_code", ""),
                ("commune", "Xã Thử Nghiệm"),
            ],
        )
        .await;
    assert_eq!(location, Some(format!("{account_page}?xong=them-vai-tro")));
    let teacher_grant = app::entities::role_grant::Entity::find()
        .filter(app::entities::role_grant::Column::AccountId.eq(hoa.id))
        .filter(app::entities::role_grant::Column::Role.eq("teacher"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    app.submit(
        &account_page,
        "staff_action",
        &[
            ("account_id", &hoa.id.to_string()),
            ("grant_id", &teacher_grant.id.to_string()),
            ("action", "revoke"),
        ],
    )
    .await;
    assert_eq!(hoa_browser.get(&school_a).await.0, 403, "role withdrawn");
    assert_eq!(
        hoa_browser
            .get(&format!("/truong/{}", people.school_b))
            .await
            .0,
        200,
        "the commune role reads school B (in Xã Thử Nghiệm)"
    );

    // Locking ends the session at once and refuses the right password.
    app.submit(
        &account_page,
        "staff_action",
        &[("account_id", &hoa.id.to_string()), ("action", "lock")],
    )
    .await;
    assert_eq!(hoa_browser.get("/tai-khoan").await.0, 401);
    let refused = other_browser(&app)
        .login("hoa.le", "mat-khau-rieng-2026")
        .await
        .unwrap();
    assert!(refused.starts_with("/dang-nhap?loi=khoa-tk"), "{refused}");

    // An administrator cannot lock themselves out or drop their own administrator role.
    let me = account::Entity::find()
        .filter(account::Column::Username.eq("quantri"))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let own_grant = app::entities::role_grant::Entity::find()
        .filter(app::entities::role_grant::Column::AccountId.eq(me.id))
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let (_, location) = app
        .submit(
            &account_page,
            "staff_action",
            &[
                ("account_id", &me.id.to_string()),
                ("grant_id", &own_grant.id.to_string()),
                ("action", "revoke"),
            ],
        )
        .await;
    assert_eq!(
        location,
        Some(format!("/quan-tri/nguoi-dung/{}?loi=chinh-minh", me.id))
    );
    assert_eq!(app.get("/quan-tri/nguoi-dung").await.0, 200, "still admin");

    // Pupils are not staff: their accounts are not reachable here.
    assert_eq!(
        app.get(&format!("/quan-tri/nguoi-dung/{}", people.pupil))
            .await
            .0,
        404
    );
    let (_, log) = app.get("/quan-tri/nhat-ky").await;
    for action in [
        "Tạo tài khoản",
        "Cấp vai trò",
        "Thu hồi vai trò",
        "Khóa tài khoản",
    ] {
        assert!(log.contains(action), "{action} in the audit log");
    }
}

#[tokio::test]
async fn a_pupil_who_changes_school_joins_the_new_class_with_a_code_and_keeps_their_history() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let pupil = other_browser(&app);
    pupil.login("hocsinh", TEST_PASSWORD).await;
    let attempt_id = pupil.start_practice("track:A").await;

    let teacher_b = other_browser(&app);
    teacher_b.login("giaovien.b", TEST_PASSWORD).await;
    teacher_b
        .submit(
            &format!("/lop/{}", people.class_b),
            "set_join_code",
            &[
                ("class_id", &people.class_b.to_string()),
                ("enable", "true"),
            ],
        )
        .await;
    let code = school_class::Entity::find_by_id(people.class_b)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap()
        .join_code
        .unwrap();

    // Signed in, the join page asks only for the code.
    let (_, html) = pupil.get("/tham-gia").await;
    assert!(html.contains("join_class_signed_in") && !html.contains("name=\"full_name\""));
    assert_eq!(
        pupil
            .submit("/tham-gia", "join_class_signed_in", &[("code", "SAI999")])
            .await
            .1
            .as_deref(),
        Some("/tham-gia?loi=ma")
    );
    assert_eq!(
        pupil
            .submit("/tham-gia", "join_class_signed_in", &[("code", &code)])
            .await
            .1
            .as_deref(),
        Some("/tai-khoan?xong=chuyen-truong")
    );
    let (_, html) = pupil.get("/tai-khoan").await;
    assert!(html.contains("10A1"), "the account shows the new class");

    let (_, class_b) = teacher_b.get(&format!("/lop/{}", people.class_b)).await;
    assert!(
        class_b.contains("Người Thử hocsinh"),
        "the new teacher sees the pupil"
    );
    app.login("giaovien", TEST_PASSWORD).await;
    let (_, class_a) = app.get(&format!("/lop/{}", people.class_a)).await;
    assert!(
        !class_a.contains("Người Thử hocsinh"),
        "gone from the old class"
    );
    let memberships = class_member::Entity::find()
        .filter(class_member::Column::AccountId.eq(people.pupil))
        .all(&app.db)
        .await
        .unwrap();
    assert_eq!(
        memberships.len(),
        2,
        "the old membership is kept as history"
    );
    assert!(
        memberships
            .iter()
            .any(|m| m.class_id == people.class_a && m.left_at.is_some())
    );
    let kept = attempt::Entity::find_by_id(attempt_id)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    let account = account::Entity::find_by_id(people.pupil)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        kept.learner_id, account.learner_id,
        "the attempt stays theirs"
    );
    // The principal of the old school no longer handles the pupil's data; the new school does.
    let csv_a = {
        let principal = other_browser(&app);
        principal.login("hieutruong", TEST_PASSWORD).await;
        principal
            .get(&format!("/truong/{}/xuat-du-lieu.csv", people.school_a))
            .await
            .1
    };
    assert!(!csv_a.contains("hocsinh"), "not in the old school's export");
}

#[tokio::test]
async fn the_audit_log_filters_by_person_action_and_days_in_vietnam_time() {
    use app::entities::audit_log;
    use sea_orm::{ActiveModelTrait, Set};
    let app = spawn_app().await;
    seed_people(&app.db).await;
    let at = |local: &str| app::clock::parse_vietnam_datetime(local).unwrap();
    for (when, actor, action, target) in [
        ("2026-11-14T23:50", "quantri", "account.create", "dong-mot"),
        ("2026-11-15T00:10", "giaovien", "class.create", "dong-hai"),
        ("2026-11-15T23:59", "GiaoVien.B", "pupil.move", "dong-ba"),
        ("2026-11-16T00:00", "giaovien", "pupil.move", "dong-bon"),
    ] {
        audit_log::ActiveModel {
            at: Set(at(when)),
            actor_id: Set(None),
            actor: Set(actor.to_owned()),
            action: Set(action.to_owned()),
            target: Set(target.to_owned()),
            detail: Set("{}".to_owned()),
            ip: Set(None),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .unwrap();
    }
    app.login("quantri", TEST_PASSWORD).await;
    // The rows shown, in the order of the page.
    let shown = |html: &str| -> Vec<&'static str> {
        let mut found: Vec<(usize, &'static str)> = ["dong-mot", "dong-hai", "dong-ba", "dong-bon"]
            .into_iter()
            .filter_map(|target| {
                html.find(&format!("<td>{target}</td>"))
                    .map(|at| (at, target))
            })
            .collect();
        found.sort();
        found.into_iter().map(|(_, target)| target).collect()
    };
    let (status, html) = app.get("/quan-tri/nhat-ky").await;
    assert_eq!(status, 200);
    assert_eq!(
        shown(&html),
        ["dong-bon", "dong-ba", "dong-hai", "dong-mot"]
    );
    // Part of a username, any case.
    let (_, html) = app.get("/quan-tri/nhat-ky?nguoi=GIAOVIEN").await;
    assert_eq!(shown(&html), ["dong-bon", "dong-ba", "dong-hai"]);
    assert!(
        html.contains("value=\"GIAOVIEN\""),
        "the box keeps what was typed"
    );
    // One action; the list offers it by name.
    let (_, html) = app.get("/quan-tri/nhat-ky?thao-tac=pupil.move").await;
    assert_eq!(shown(&html), ["dong-bon", "dong-ba"]);
    assert!(html.contains("<option value=\"pupil.move\" selected>Chuyển lớp học sinh</option>"));
    // One day in Vietnam time, both ends included: 00:10 and 23:59 on the 15th, not 23:50 on
    // the 14th nor midnight of the 16th.
    let (_, html) = app
        .get("/quan-tri/nhat-ky?tu=2026-11-15&den=2026-11-15")
        .await;
    assert_eq!(shown(&html), ["dong-ba", "dong-hai"]);
    // Filters together.
    let (_, html) = app
        .get("/quan-tri/nhat-ky?nguoi=giaovien&thao-tac=pupil.move&tu=2026-11-16")
        .await;
    assert_eq!(shown(&html), ["dong-bon"]);
    // LIKE wildcards typed in the box match nothing special.
    let (_, html) = app.get("/quan-tri/nhat-ky?nguoi=gi_o%25").await;
    assert_eq!(shown(&html), Vec::<&str>::new());
    assert!(html.contains("Không có dòng nào khớp bộ lọc."));
    // An unreadable day names the field.
    let (status, html) = app.get("/quan-tri/nhat-ky?tu=15%2F11%2F2026").await;
    assert_eq!(status, 400);
    assert!(
        html.contains("“Từ ngày”: “15/11/2026” không phải một ngày"),
        "{html}"
    );
}
