//! Assignments: a teacher sets work for classes, pupils see and do it, the teacher's report,
//! downloads and the printable list agree with what was stored; refusals write nothing.

use app::entities::{assignment, attempt_item, audit_log, participation};
use khien_so_tests::{
    TEST_PASSWORD, TestApp, other_browser, pupil_account, seed_people, spawn_app,
};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

/// Answers every question of an attempt straight in the database: right, except the positions
/// in `wrong` (answered with a wrong option). Returns the stems of the wrong ones.
async fn answer_all(app: &TestApp, attempt: &str, wrong: &[u32]) -> Vec<String> {
    let mut missed = Vec::new();
    for (item, revision) in khien_so_tests::attempt_questions(app, attempt).await {
        let key: Vec<usize> = serde_json::from_str(&revision.correct_json).unwrap();
        let options: Vec<serde_json::Value> = serde_json::from_str(&revision.options_json).unwrap();
        let chosen: Vec<usize> = if wrong.contains(&(item.position as u32)) {
            missed.push(revision.stem.clone());
            (0..options.len())
                .filter(|o| !key.contains(o))
                .take(1)
                .collect()
        } else {
            key
        };
        let mut active: attempt_item::ActiveModel = item.into();
        active.chosen = Set(Some(serde_json::to_string(&chosen).unwrap()));
        active.update(&app.db).await.unwrap();
    }
    missed
}

async fn hand_in(app: &TestApp, attempt: &str) {
    let (_, html) = app.get(&format!("/luyen-tap/{attempt}/nop-bai")).await;
    let action = khien_so_tests::form_action(&html, "submit_attempt");
    let (status, _) = app.post_form(&action, &[("attempt", attempt)]).await;
    assert_eq!(status, 302);
}

/// A track-A topic with questions for THCS (the test school's level).
async fn thcs_topic(app: &TestApp) -> (String, String) {
    use app::entities::{question, topic};
    for t in topic::Entity::find()
        .filter(topic::Column::Track.eq("A"))
        .all(&app.db)
        .await
        .unwrap()
    {
        let n = question::Entity::find()
            .filter(question::Column::Topic.eq(t.slug.clone()))
            .filter(question::Column::Active.eq(true))
            .filter(question::Column::Levels.contains("THCS"))
            .count(&app.db)
            .await
            .unwrap();
        if n >= 10 {
            return (t.slug, t.title);
        }
    }
    panic!("no THCS topic with ten questions");
}

#[tokio::test]
async fn a_teacher_sets_work_for_two_classes_and_sees_who_did_it_and_which_questions_were_missed() {
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    pupil_account(
        &app.db,
        "hs.binh",
        "Trần Thị Bình",
        people.school_a,
        Some(people.class_a),
    )
    .await;
    let (slug, topic_title) = thcs_topic(&app).await;
    let teacher = other_browser(&app);
    teacher.login("giaovien", TEST_PASSWORD).await;
    let (status, form) = teacher
        .get(&format!("/lop/{}/giao-bai", people.class_a))
        .await;
    assert_eq!(status, 200);
    assert!(form.contains(&format!("value=\"topic:{slug}\"")), "{form}");
    let action = khien_so_tests::form_action(&form, "create_assignment");
    let now = app::clock::now_ms();
    let opens = app::clock::format_vietnam_input(now - 60_000);
    let due = app::clock::format_vietnam_input(now + 3 * 86_400_000);
    let class_a = people.class_a.to_string();
    let class_a2 = people.class_a2.to_string();
    let class_b = people.class_b.to_string();
    let work = format!("topic:{slug}");
    let field_a = format!("class[{class_a}]");
    let field_a2 = format!("class[{class_a2}]");
    let field_b = format!("class[{class_b}]");

    // Refusals write nothing: a due time before the opening, another school's class.
    let (status, location) = teacher
        .post_form(
            &action,
            &[
                ("from_class", &class_a),
                (&field_a, &class_a),
                ("work", &work),
                ("opens_at", &due),
                ("due_at", &opens),
            ],
        )
        .await;
    assert_eq!(status, 302);
    assert!(location.unwrap().contains("__err="));
    let (status, _) = teacher
        .post_form(
            &action,
            &[
                ("from_class", &class_a),
                (&field_a, &class_a),
                (&field_b, &class_b),
                ("work", &work),
                ("opens_at", &opens),
                ("due_at", &due),
            ],
        )
        .await;
    assert_ne!(status, 200);
    assert_eq!(assignment::Entity::find().count(&app.db).await.unwrap(), 0);

    let (status, location) = teacher
        .post_form(
            &action,
            &[
                ("from_class", &class_a),
                (&field_a, &class_a),
                (&field_a2, &class_a2),
                ("work", &work),
                ("opens_at", &opens),
                ("due_at", &due),
                ("note", "Làm trước buổi sinh hoạt lớp thứ Hai."),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let location = location.unwrap();
    let id: i32 = location
        .strip_prefix("/giao-bai/")
        .and_then(|rest| rest.split('?').next())
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("unexpected redirect {location}"));
    assert_eq!(
        location,
        format!("/giao-bai/{id}?lop={class_a}&xong=da-giao")
    );
    let created = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("assignment.create"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("audited");
    assert_eq!(created.actor, "giaovien");
    assert_eq!(created.target, format!("assignment:{id}"));

    // The pupil sees it on the home page and their account page, and does it.
    let pupil = other_browser(&app);
    pupil.login("hocsinh", TEST_PASSWORD).await;
    let (_, home) = pupil.get("/").await;
    assert!(home.contains("Bài được giao"), "{home}");
    assert!(home.contains(&topic_title));
    let (_, account) = pupil.get("/tai-khoan").await;
    assert!(account.contains("Chưa làm"));
    assert!(account.contains("Làm trước buổi sinh hoạt lớp thứ Hai."));
    let id_text = id.to_string();
    let (status, location) = pupil
        .submit("/tai-khoan", "start_assignment", &[("id", &id_text)])
        .await;
    assert_eq!(status, 302);
    let location = location.unwrap();
    let attempt = location
        .strip_prefix("/luyen-tap/")
        .and_then(|rest| rest.strip_suffix("/cau/1"))
        .unwrap()
        .to_owned();
    // Starting again before handing in continues the same attempt.
    let (_, again) = pupil
        .post_form(
            &khien_so_tests::server_fn_url("start_assignment"),
            &[("id", &id_text)],
        )
        .await;
    assert_eq!(again.unwrap(), format!("/luyen-tap/{attempt}/cau/1"));
    let (_, account) = pupil.get("/tai-khoan").await;
    assert!(account.contains("Đang làm") && account.contains("Làm tiếp"));
    let missed = answer_all(&pupil, &attempt, &[3]).await;
    hand_in(&pupil, &attempt).await;
    let (_, account) = pupil.get("/tai-khoan").await;
    assert!(account.contains("Đã nộp"), "{account}");
    assert!(account.contains("9/10"), "{account}");

    // Counted for coverage, as coming from an assignment.
    let counted = participation::Entity::find()
        .filter(participation::Column::AccountId.eq(people.pupil))
        .all(&app.db)
        .await
        .unwrap();
    assert!(!counted.is_empty());
    assert!(counted.iter().all(|p| p.via == "assignment"), "{counted:?}");
    let (_, coverage) = teacher
        .get(&format!("/truong/{}/tham-gia", people.school_a))
        .await;
    assert!(coverage.contains("Theo hoạt động") && coverage.contains("Bài được giao"));

    // A pupil of another school's class cannot start it.
    let outsider = other_browser(&app);
    pupil_account(
        &app.db,
        "hs.ngoai",
        "Lê Văn Ngoại",
        people.school_b,
        Some(people.class_b),
    )
    .await;
    outsider.login("hs.ngoai", TEST_PASSWORD).await;
    let (_, outsider_home) = outsider.get("/tai-khoan").await;
    assert!(!outsider_home.contains(&topic_title));
    let (_, refused) = outsider
        .post_form(
            &khien_so_tests::server_fn_url("start_assignment"),
            &[("id", &id_text)],
        )
        .await;
    assert!(refused.unwrap().contains("__err="));

    // The teacher's report: one of two handed in, the grid and the question missed.
    let (status, report) = teacher.get(&format!("/giao-bai/{id}?lop={class_a}")).await;
    assert_eq!(status, 200);
    assert!(report.contains("Người Thử hocsinh") && report.contains("Trần Thị Bình"));
    assert!(report.contains("1/2"), "{report}");
    assert!(report.contains("9/10"));
    let stem = html_escape(&missed[0]);
    assert!(
        report.contains(&stem),
        "the question missed is listed: {stem}"
    );
    assert!(report.contains("0/1"));
    let (status, csv) = teacher
        .get(&format!("/giao-bai/{id}/ket-qua.csv?lop={class_a}"))
        .await;
    assert_eq!(status, 200);
    let mut reader =
        csv::ReaderBuilder::new().from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    assert_eq!(rows.len(), 2);
    let done = rows.iter().find(|r| &r[0] == "Người Thử hocsinh").unwrap();
    assert_eq!(&done[1], "Đã nộp");
    assert_eq!(&done[3], "9/10");
    let cells: Vec<&str> = done.iter().skip(5).collect();
    assert_eq!(cells.iter().filter(|c| **c == "Đ").count(), 9);
    assert_eq!(cells.iter().filter(|c| **c == "S").count(), 1);
    let not_done = rows.iter().find(|r| &r[0] == "Trần Thị Bình").unwrap();
    assert_eq!(&not_done[1], "Chưa làm");
    assert!(not_done.iter().skip(5).all(|c| c.is_empty()));
    let (_, printable) = teacher
        .get(&format!("/giao-bai/{id}/chua-lam?lop={class_a}"))
        .await;
    assert!(printable.contains("<td>Trần Thị Bình</td>"), "{printable}");
    assert!(!printable.contains("<td>Người Thử hocsinh</td>"));
    let (_, class_page) = teacher.get(&format!("/lop/{class_a}")).await;
    assert!(class_page.contains(&format!("/giao-bai/{id}?lop={class_a}")));
    assert!(class_page.contains("1/2"));
    // The other class it was set for: nobody there yet.
    let (status, other) = teacher.get(&format!("/giao-bai/{id}?lop={class_a2}")).await;
    assert_eq!(status, 200);
    assert!(other.contains("0/0"));
    // Another school's teacher sees nothing of it.
    let stranger = other_browser(&app);
    stranger.login("giaovien.b", TEST_PASSWORD).await;
    let (status, _) = stranger.get(&format!("/giao-bai/{id}?lop={class_a}")).await;
    assert!(matches!(status, 403 | 404), "{status}");

    // Withdrawn: it leaves the pupil's list and cannot be started; the attempt is kept.
    let (status, location) = teacher
        .submit(
            &format!("/giao-bai/{id}?lop={class_a}"),
            "withdraw_assignment",
            &[("id", &id_text), ("class_id", &class_a)],
        )
        .await;
    assert_eq!(status, 302);
    assert_eq!(
        location.as_deref(),
        Some(format!("/lop/{class_a}?xong=thu-hoi").as_str())
    );
    let (_, account) = pupil.get("/tai-khoan").await;
    assert!(!account.contains(&topic_title));
    let (_, refused) = pupil
        .post_form(
            &khien_so_tests::server_fn_url("start_assignment"),
            &[("id", &id_text)],
        )
        .await;
    assert!(refused.unwrap().contains("__err="));
    let kept = app::entities::attempt::Entity::find_by_id(attempt)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.score, Some(9));
}

/// Text as the server writes it into a page (`&`, `<`, `>` escaped).
fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The positions → question ids of a quiz, in order.
async fn quiz_questions(app: &TestApp, quiz: i32) -> Vec<(i32, String)> {
    use app::entities::{question_revision, teacher_quiz_item};
    use sea_orm::QueryOrder;
    let mut out = Vec::new();
    for item in teacher_quiz_item::Entity::find()
        .filter(teacher_quiz_item::Column::QuizId.eq(quiz))
        .order_by_asc(teacher_quiz_item::Column::Position)
        .all(&app.db)
        .await
        .unwrap()
    {
        let revision = question_revision::Entity::find_by_id(item.revision_id)
            .one(&app.db)
            .await
            .unwrap()
            .unwrap();
        out.push((item.revision_id, revision.question_id));
    }
    out
}

#[tokio::test]
async fn a_teacher_builds_a_quiz_from_the_bank_shares_it_and_once_set_its_questions_are_fixed() {
    use app::entities::{question, teacher_quiz};
    use sea_orm::QueryOrder;
    let app = spawn_app().await;
    let people = seed_people(&app.db).await;
    let teacher = other_browser(&app);
    teacher.login("giaovien", TEST_PASSWORD).await;
    let school_a = people.school_a.to_string();
    let (status, list) = teacher.get(&format!("/truong/{school_a}/de")).await;
    assert_eq!(status, 200);
    let (status, location) = teacher
        .submit(
            &format!("/truong/{school_a}/de"),
            "create_quiz",
            &[
                ("school_id", &school_a),
                ("title", "  Kiểm tra 15 phút:   lừa đảo "),
            ],
        )
        .await;
    assert_eq!(status, 302, "{list}");
    let location = location.unwrap();
    let quiz: i32 = location
        .strip_prefix("/de/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("{location}"));
    let quiz_text = quiz.to_string();
    let stored = teacher_quiz::Entity::find_by_id(quiz)
        .one(&app.db)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.title, "Kiểm tra 15 phút: lừa đảo");

    // The bank search: track A, THCS; a question is found by words without diacritics.
    let bank: Vec<question::Model> = question::Entity::find()
        .filter(question::Column::Active.eq(true))
        .filter(question::Column::Track.eq("A"))
        .filter(question::Column::Levels.contains("THCS"))
        .order_by_asc(question::Column::Id)
        .all(&app.db)
        .await
        .unwrap();
    assert!(bank.len() >= 4);
    let (status, page) = teacher.get(&format!("/de/{quiz}?mach=A&cap=THCS")).await;
    assert_eq!(status, 200);
    assert!(page.contains(&format!("Tìm thấy {}", bank.len())), "{page}");
    let action = khien_so_tests::form_action(&page, "edit_quiz");
    for q in &bank[..4] {
        let (status, location) = teacher
            .post_form(
                &action,
                &[
                    ("id", &quiz_text),
                    ("action", "them"),
                    ("question", &q.id),
                    ("back", "mach=A&cap=THCS"),
                ],
            )
            .await;
        assert_eq!(status, 302);
        assert_eq!(
            location.as_deref(),
            Some(format!("/de/{quiz}?mach=A&cap=THCS#cau-hoi").as_str())
        );
    }
    // The same question twice is refused; a foreign address in `back` is not followed.
    let (_, refused) = teacher
        .post_form(
            &action,
            &[
                ("id", &quiz_text),
                ("action", "them"),
                ("question", &bank[0].id),
            ],
        )
        .await;
    assert!(refused.unwrap().contains("__err="));
    let (_, location) = teacher
        .post_form(
            &action,
            &[
                ("id", &quiz_text),
                ("action", "len"),
                ("position", "3"),
                ("back", "//evil.example/x"),
            ],
        )
        .await;
    assert!(location.unwrap().starts_with(&format!("/de/{quiz}?")));
    let (_, _) = teacher
        .post_form(
            &action,
            &[("id", &quiz_text), ("action", "xoa"), ("position", "1")],
        )
        .await;
    let ids: Vec<String> = quiz_questions(&app, quiz)
        .await
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    assert_eq!(
        ids,
        vec![bank[2].id.clone(), bank[1].id.clone(), bank[3].id.clone()]
    );

    // Not shared: the principal cannot open it; shared: the principal can, and copies it,
    // but cannot change it. Another school's teacher never sees it.
    let principal = other_browser(&app);
    principal.login("hieutruong", TEST_PASSWORD).await;
    let (status, _) = principal.get(&format!("/de/{quiz}")).await;
    assert_eq!(status, 403);
    teacher
        .post_form(&action, &[("id", &quiz_text), ("action", "chia-se")])
        .await;
    let (status, shared) = principal.get(&format!("/de/{quiz}")).await;
    assert_eq!(status, 200);
    assert!(shared.contains("Sao chép đề") && !shared.contains("Thêm vào đề"));
    let (_, refused) = principal
        .post_form(
            &khien_so_tests::server_fn_url("edit_quiz"),
            &[("id", &quiz_text), ("action", "xoa"), ("position", "1")],
        )
        .await;
    assert!(refused.unwrap().contains("__err="));
    let (_, copied) = principal
        .post_form(
            &khien_so_tests::server_fn_url("copy_quiz"),
            &[("id", &quiz_text)],
        )
        .await;
    let copy: i32 = copied.unwrap().trim_start_matches("/de/").parse().unwrap();
    assert_eq!(
        quiz_questions(&app, copy).await,
        quiz_questions(&app, quiz).await
    );
    let stranger = other_browser(&app);
    stranger.login("giaovien.b", TEST_PASSWORD).await;
    let (status, _) = stranger.get(&format!("/de/{quiz}")).await;
    assert_eq!(status, 403);

    // Set for 8A: the form offers it; once set its questions are fixed.
    let (_, form) = teacher
        .get(&format!("/lop/{}/giao-bai", people.class_a))
        .await;
    assert!(form.contains(&format!("value=\"quiz:{quiz}\"")));
    let class_a = people.class_a.to_string();
    let field_a = format!("class[{class_a}]");
    let now = app::clock::now_ms();
    let work = format!("quiz:{quiz}");
    let (status, location) = teacher
        .submit(
            &format!("/lop/{class_a}/giao-bai"),
            "create_assignment",
            &[
                ("from_class", &class_a),
                (&field_a, &class_a),
                ("work", &work),
                ("opens_at", &app::clock::format_vietnam_input(now - 60_000)),
                (
                    "due_at",
                    &app::clock::format_vietnam_input(now + 86_400_000),
                ),
            ],
        )
        .await;
    assert_eq!(status, 302);
    let assignment: i32 = location
        .unwrap()
        .trim_start_matches("/giao-bai/")
        .split('?')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let (_, refused) = teacher
        .post_form(
            &action,
            &[("id", &quiz_text), ("action", "xoa"), ("position", "1")],
        )
        .await;
    assert!(refused.unwrap().contains("__err="));
    assert_eq!(quiz_questions(&app, quiz).await.len(), 3);

    // The pupil gets exactly the quiz's questions, in its order, and passes it.
    let pupil = other_browser(&app);
    pupil.login("hocsinh", TEST_PASSWORD).await;
    let (_, location) = pupil
        .submit(
            "/tai-khoan",
            "start_assignment",
            &[("id", &assignment.to_string())],
        )
        .await;
    let attempt = location
        .unwrap()
        .trim_start_matches("/luyen-tap/")
        .trim_end_matches("/cau/1")
        .to_owned();
    let drawn: Vec<i32> = khien_so_tests::attempt_questions(&pupil, &attempt)
        .await
        .into_iter()
        .map(|(item, _)| item.revision_id)
        .collect();
    let expected: Vec<i32> = quiz_questions(&app, quiz)
        .await
        .into_iter()
        .map(|(r, _)| r)
        .collect();
    assert_eq!(drawn, expected);
    let (_, question_page) = pupil.get(&format!("/luyen-tap/{attempt}/cau/1")).await;
    assert!(question_page.contains("Kiểm tra 15 phút: lừa đảo"));
    // The quiz's first question (not the first by id) answered wrong.
    let missed = answer_all(&pupil, &attempt, &[1]).await;
    hand_in(&pupil, &attempt).await;
    let (_, result) = pupil.get(&format!("/luyen-tap/{attempt}/ket-qua")).await;
    assert!(result.contains("2/3"), "{result}");
    let counted = participation::Entity::find()
        .filter(participation::Column::AccountId.eq(people.pupil))
        .filter(participation::Column::Track.eq("A"))
        .one(&app.db)
        .await
        .unwrap()
        .expect("a passed teacher's quiz counts in its questions' track");
    assert_eq!(counted.via, "assignment");
    let (_, report) = teacher
        .get(&format!("/giao-bai/{assignment}?lop={class_a}"))
        .await;
    assert!(report.contains("2/3") && report.contains("C3") && !report.contains("C4"));
    // The grid follows the quiz's order: the question missed is column 1.
    let listed = report
        .find("<strong>Câu 1 · </strong>0/1")
        .expect("question 1 listed as missed");
    assert!(report[listed..].contains(&html_escape(&missed[0])));
}
