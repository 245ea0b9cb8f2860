//! Contests: `/cuoc-thi` (the rounds: upcoming, open, closed; pupils start or resume an attempt)
//! and `/cuoc-thi/quan-ly` (the organising committee creates contests and rounds). An attempt is
//! answered on the same pages as practice (`/luyen-tap/<attempt>/…`), with the server's deadline.

// Forms posted without JavaScript arrive as flat fields (three draw rules, six level boxes).
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
use crate::codes::*;
use crate::components::{ConfirmButton, ErrorMessage, query, signed_query};
use crate::contests::types::*;
use crate::error::AppError;
use crate::i18n::points_text;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
mod ssr {
    /// An optional form number: empty is `None`, anything else must parse.
    pub fn number<T: std::str::FromStr>(text: &Option<String>) -> Result<Option<T>, ()> {
        match text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            None => Ok(None),
            Some(t) => t.parse().map(Some).map_err(|_| ()),
        }
    }
}

/// The rounds, as the caller sees them.
#[server]
pub async fn list_rounds() -> Result<RoundsView, AppError> {
    let caller = crate::platform::request::caller();
    let db = &crate::platform::app_state()?.db;
    let now = crate::clock::now_ms();
    crate::attempt::submit::submit_expired(db, now).await?;
    Ok(RoundsView {
        rounds: crate::contests::service::rounds_for(db, caller.as_ref(), now).await?,
        is_pupil: caller.as_ref().is_some_and(|c| c.has(Role::Pupil)),
        is_committee: caller
            .as_ref()
            .is_some_and(|c| c.has(Role::Committee) || c.has(Role::Admin)),
    })
}

/// A pupil starts (or resumes) their attempt in a round, then goes to its first question.
#[server]
pub async fn enter_round(round_id: i32, prediction: Option<String>) -> Result<(), AppError> {
    use crate::contests::service::{StartOutcome, start_round};
    let caller = crate::platform::request::require_caller()?;
    let state = crate::platform::app_state()?;
    let Ok(prediction) = ssr::number::<i64>(&prediction) else {
        crate::platform::request::redirect("/cuoc-thi?loi=du-doan");
        return Ok(());
    };
    let outcome = start_round(
        &state.db,
        &state.pool_cache,
        &state.starts,
        &caller,
        round_id,
        prediction.filter(|p| *p >= 0),
        crate::clock::now_ms(),
    )
    .await?;
    match outcome {
        StartOutcome::Started(id) | StartOutcome::Resumed(id) => {
            crate::platform::request::redirect(&format!("/luyen-tap/{id}/cau/1"))
        }
        StartOutcome::NotOpen => crate::platform::request::redirect("/cuoc-thi?loi=chua-mo"),
        StartOutcome::NotEligible => {
            crate::platform::request::redirect("/cuoc-thi?loi=khong-thuoc")
        }
        StartOutcome::NoAttemptsLeft => {
            crate::platform::request::redirect("/cuoc-thi?loi=het-luot")
        }
    }
    Ok(())
}

/// The contests and rounds, for the committee.
#[server]
pub async fn get_contests_admin() -> Result<ContestAdminView, AppError> {
    crate::access::require_committee()?;
    let db = &crate::platform::app_state()?.db;
    crate::contests::service::contests_admin(db, crate::clock::now_ms()).await
}

/// Creates a contest (title, description, which attempt counts, prizes).
#[server]
pub async fn create_contest(
    title: String,
    description: String,
    counted_attempt: String,
    prize_first: Option<String>,
    prize_second: Option<String>,
    prize_third: Option<String>,
    prize_consolation: Option<String>,
    prize_min_score: Option<String>,
    tie_break_1: Option<String>,
    tie_break_2: Option<String>,
    tie_break_3: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::ranking::{CountedAttempt, parse_order};
    let caller = crate::access::require_committee()?;
    let db = &crate::platform::app_state()?.db;
    // On an error the form comes back with what was typed (no JavaScript: the page reads it
    // from the address).
    let typed = crate::query_string(
        [
            ("ten", Some(&title)),
            ("gioi-thieu", Some(&description)),
            ("tinh", Some(&counted_attempt)),
            ("nhat", prize_first.as_ref()),
            ("nhi", prize_second.as_ref()),
            ("ba", prize_third.as_ref()),
            ("kk", prize_consolation.as_ref()),
            ("diem", prize_min_score.as_ref()),
            ("tb1", tie_break_1.as_ref()),
            ("tb2", tie_break_2.as_ref()),
            ("tb3", tie_break_3.as_ref()),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.map(|v| (key, v.as_str()))),
    );
    let back = |code: &str| {
        crate::platform::request::redirect(&format!(
            "/cuoc-thi/quan-ly?loi={code}&{typed}#tao-cuoc-thi"
        ))
    };
    let title = crate::domain::text::clean_name(&title);
    if title.chars().count() < 3
        || title.chars().count() > 120
        || crate::domain::text::plain_text_problem(&title).is_some()
    {
        back("ten-cuoc-thi");
        return Ok(());
    }
    let mut prizes = [0i32; 4];
    for (slot, text) in prizes.iter_mut().zip([
        &prize_first,
        &prize_second,
        &prize_third,
        &prize_consolation,
    ]) {
        match ssr::number::<i32>(text) {
            Ok(value) if value.unwrap_or(0) >= 0 => *slot = value.unwrap_or(0),
            _ => {
                back("giai");
                return Ok(());
            }
        }
    }
    let Ok(prize_min_score) = ssr::number::<i32>(&prize_min_score) else {
        back("giai");
        return Ok(());
    };
    // Score always comes first; the committee orders the tie-breaks after it. A form without the
    // tie-break fields at all (not a browser's) gets the usual order.
    let tie_breaks = [tie_break_1, tie_break_2, tie_break_3];
    let order_text = if tie_breaks.iter().all(Option::is_none) {
        crate::domain::ranking::format_order(&crate::domain::ranking::default_order())
    } else {
        std::iter::once("diem".to_owned())
            .chain(
                tie_breaks
                    .into_iter()
                    .flatten()
                    .filter(|t| !t.trim().is_empty()),
            )
            .collect::<Vec<_>>()
            .join(",")
    };
    let Ok(ranking_order) = parse_order(&order_text) else {
        back("thu-tu");
        return Ok(());
    };
    let settings = crate::contests::service::ContestSettings {
        title,
        description: description.trim().to_owned(),
        school_year: crate::clock::current_school_year(),
        ranking_order,
        counted_attempt: CountedAttempt::parse(&counted_attempt).unwrap_or(CountedAttempt::Best),
        prizes,
        prize_min_score: prize_min_score.filter(|m| *m > 0),
    };
    let actor = crate::platform::request::actor(&caller);
    let id = crate::contests::service::create_contest(db, &actor, settings).await?;
    crate::platform::request::redirect(&format!(
        "/cuoc-thi/quan-ly?xong=tao-cuoc-thi#cuoc-thi-{id}"
    ));
    Ok(())
}

/// Adds a round to a contest. Times are Vietnam time (`datetime-local`); up to three draw rules.
#[server]
pub async fn add_round(
    contest_id: i32,
    name: String,
    opens_at: String,
    closes_at: String,
    minutes: String,
    attempts: String,
    review: String,
    prediction_question: Option<String>,
    track_1: Option<String>,
    topic_1: Option<String>,
    difficulty_1: Option<String>,
    count_1: Option<String>,
    track_2: Option<String>,
    topic_2: Option<String>,
    difficulty_2: Option<String>,
    count_2: Option<String>,
    track_3: Option<String>,
    topic_3: Option<String>,
    difficulty_3: Option<String>,
    count_3: Option<String>,
    level_thcs: Option<String>,
    level_thpt: Option<String>,
    school_codes: Option<String>,
    communes: Option<String>,
) -> Result<(), AppError> {
    use crate::clock::parse_vietnam_datetime;
    use crate::contests::service::RoundSettings;
    use crate::domain::contest::{DrawRule, Eligibility};
    let caller = crate::access::require_committee()?;
    let db = &crate::platform::app_state()?.db;
    let fail = |message: &str| {
        crate::platform::request::redirect(&format!(
            "/cuoc-thi/quan-ly?{}&cuoc-thi={contest_id}#cuoc-thi-{contest_id}",
            crate::platform::notice::signed_param("loi-vong", message)
        ));
        Ok(())
    };
    let name = crate::domain::text::clean_name(&name);
    if name.is_empty() || name.chars().count() > 80 {
        return fail("Hãy đặt tên vòng thi (tối đa 80 ký tự).");
    }
    if let Some(problem) = crate::domain::text::plain_text_problem(&name) {
        return fail(&format!("Tên vòng thi {problem}."));
    }
    let (Some(opens), Some(closes)) = (
        parse_vietnam_datetime(&opens_at),
        parse_vietnam_datetime(&closes_at),
    ) else {
        return fail("Giờ mở và giờ đóng cần đủ ngày và giờ.");
    };
    let Some(minutes) = minutes
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|m| (1..=180).contains(m))
    else {
        return fail("Thời gian làm bài là số phút từ 1 đến 180.");
    };
    let Some(attempts) = attempts
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|a| (1..=10).contains(a))
    else {
        return fail("Số lượt làm bài là số từ 1 đến 10.");
    };
    let mut rules = Vec::new();
    for (n, (track, topic, difficulty, count)) in [
        (track_1, topic_1, difficulty_1, count_1),
        (track_2, topic_2, difficulty_2, count_2),
        (track_3, topic_3, difficulty_3, count_3),
    ]
    .into_iter()
    .enumerate()
    {
        let Ok(count) = ssr::number::<u32>(&count) else {
            return fail(&format!("Quy tắc {}: số câu phải là số.", n + 1));
        };
        let Ok(difficulty) = ssr::number::<u8>(&difficulty) else {
            return fail(&format!("Quy tắc {}: độ khó phải là số.", n + 1));
        };
        let filled = |v: Option<String>| v.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        if let Some(count) = count.filter(|c| *c > 0) {
            rules.push(DrawRule {
                track: filled(track),
                topic: filled(topic),
                difficulty,
                count,
            });
        }
    }
    let mut school_ids = Vec::new();
    for code in school_codes
        .as_deref()
        .unwrap_or_default()
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match crate::schools::people::school_id_by_code(db, code).await? {
            Some(id) => school_ids.push(id),
            None => return fail(&format!("Không có trường mã “{code}” trong danh mục.")),
        }
    }
    let mut commune_ids = Vec::new();
    for name in communes
        .as_deref()
        .unwrap_or_default()
        .split([',', ';', '\n'])
        .map(str::trim)
        .filter(|c| !c.is_empty())
    {
        match crate::schools::people::commune_id_by_name(db, name).await? {
            Some(id) => commune_ids.push(id),
            None => return fail(&format!("Không có xã/phường “{name}” trong danh mục.")),
        }
    }
    let levels = [("THCS", level_thcs), ("THPT", level_thpt)]
        .into_iter()
        .filter_map(|(code, ticked)| ticked.map(|_| code.to_owned()))
        .collect();
    let settings = RoundSettings {
        name,
        opens_at: opens,
        closes_at: closes,
        time_allowed_ms: minutes * 60_000,
        attempts_allowed: attempts,
        rules,
        eligibility: Eligibility {
            levels,
            school_ids,
            commune_ids,
        },
        prediction_question: prediction_question
            .map(|q| q.trim().to_owned())
            .filter(|q| !q.is_empty()),
        review_at_once: review == "ngay",
    };
    let actor = crate::platform::request::actor(&caller);
    match crate::contests::service::add_round(db, &actor, contest_id, settings).await? {
        Ok(_) => {
            crate::platform::request::redirect(&format!(
                "/cuoc-thi/quan-ly?xong=tao-vong#cuoc-thi-{contest_id}"
            ));
            Ok(())
        }
        Err(message) => fail(&message),
    }
}

/// A round's full results, for the committee.
#[server]
pub async fn get_round_results(round_id: i32) -> Result<RoundResultsView, AppError> {
    crate::access::require_committee()?;
    let db = &crate::platform::app_state()?.db;
    crate::contests::results::round_results(db, round_id, crate::clock::now_ms()).await
}

/// Publishes a closed round's results (ranks, prizes, certificates). Once only.
#[server]
pub async fn publish_results(round_id: i32) -> Result<(), AppError> {
    use crate::contests::results::PublishProblem;
    let caller = crate::access::require_committee()?;
    let db = &crate::platform::app_state()?.db;
    let actor = crate::platform::request::actor(&caller);
    let outcome =
        crate::contests::results::publish(db, &actor, round_id, crate::clock::now_ms()).await?;
    let query = match outcome {
        Ok(_) => "xong=cong-bo",
        Err(PublishProblem::NotClosed) => "loi=chua-dong",
        Err(PublishProblem::AlreadyPublished) => "loi=da-cong-bo",
    };
    crate::platform::request::redirect(&format!("/cuoc-thi/vong/{round_id}/ket-qua?{query}"));
    Ok(())
}

/// The item analysis of a round, for the committee.
#[server]
pub async fn get_item_analysis(round_id: i32) -> Result<ItemAnalysisView, AppError> {
    crate::access::require_committee()?;
    let db = &crate::platform::app_state()?.db;
    crate::contests::results::item_analysis(db, round_id).await
}

/// The public leaderboards of a round (`None` until the committee publishes them).
#[server]
pub async fn get_leaderboard(round_id: i32) -> Result<Option<LeaderboardView>, AppError> {
    let db = &crate::platform::app_state()?.db;
    crate::contests::results::leaderboard(db, round_id).await
}

/// A certificate by its code: anyone can verify it; its owner sees their full name to print.
#[server]
pub async fn get_certificate(code: String) -> Result<Certificate, AppError> {
    let state = crate::platform::app_state()?;
    let viewer = crate::platform::request::caller().map(|c| c.account_id);
    let mut certificate = crate::contests::results::certificate(&state.db, &code, viewer).await?;
    // The configured public address, never the request's Host header (anyone can send any).
    let path = format!("/chung-nhan/{}", certificate.code);
    match state.public_url {
        Some(base) => {
            certificate.verify_url = format!("{base}{path}");
            certificate.qr_svg = Some(crate::contests::results::qr_svg(&certificate.verify_url)?);
        }
        None => certificate.verify_url = path,
    }
    Ok(certificate)
}

/// `/cuoc-thi`
#[component]
pub fn RoundsPage() -> impl IntoView {
    let rounds = Resource::new(|| (), |_| list_rounds());
    let title = tr("Cuộc thi", "Contests");
    let problem = query("loi").map(|code| match code.as_str() {
        "chua-mo" => tr(
            "Vòng thi này chưa mở hoặc đã đóng.",
            "This round is not open.",
        ),
        "khong-thuoc" => tr(
            "Vòng thi này không dành cho cấp học, trường hoặc xã/phường của em.",
            "This round is not for your level, school or commune.",
        ),
        "het-luot" => tr(
            "Em đã dùng hết số lượt làm bài của vòng này.",
            "You have used all your attempts in this round.",
        ),
        _ => tr(
            "Số dự đoán cần là một số nguyên không âm.",
            "The prediction must be a whole number.",
        ),
    });
    view! {
        <Title text=title />
        <h1>{title}</h1>
        {problem.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match rounds.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(view) => {
                        let is_pupil = view.is_pupil;
                        view! {
                            {view.is_committee.then(|| view! { <p><a href="/cuoc-thi/quan-ly">{tr("Quản lý cuộc thi (Ban Tổ chức)", "Manage contests (committee)")}</a></p> })}
                            {(!is_pupil).then(|| view! {
                                <p>{tr("Học sinh đăng nhập bằng tài khoản do nhà trường cấp để tham gia.", "Pupils sign in with the account from their school to take part.")}" "<a href="/dang-nhap?next=/cuoc-thi">{tr("Đăng nhập", "Sign in")}</a></p>
                            })}
                            {view.rounds.is_empty().then(|| view! { <p>{tr("Chưa có vòng thi nào.", "No rounds yet.")}</p> })}
                            <ul class="cards">
                                {view.rounds.into_iter().map(|r| view! { <RoundItem round=r is_pupil /> }).collect_view()}
                            </ul>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn RoundItem(round: RoundCard, is_pupil: bool) -> impl IntoView {
    let can_start = is_pupil
        && round.eligible
        && round.phase == "dang-mo"
        && round.attempts_used < round.attempts_allowed;
    view! {
        <li class="card">
            <h2>{format!("{} · {}", round.name, round.contest_title)}</h2>
            <p><span class=format!("badge {}", round.phase)>{match round.phase.as_str() {
                "sap-mo" => tr("Sắp mở", "Upcoming").to_owned(),
                "dang-mo" => tr("Đang mở", "Open").to_owned(),
                "da-dong" => tr("Đã đóng", "Closed").to_owned(),
                _ => round.phase_label.clone(),
            }}</span></p>
            <dl class="facts">
                <dt>{tr("Mở", "Opens")}</dt><dd>{round.opens.clone()}</dd>
                <dt>{tr("Đóng", "Closes")}</dt><dd>{round.closes.clone()}</dd>
                <dt>{tr("Bài thi", "Paper")}</dt><dd>{format!("{} {} · {} {}", round.questions, tr("câu", "questions"), round.minutes, tr("phút", "minutes"))}</dd>
                {is_pupil.then(|| view! { <dt>{tr("Lượt đã làm", "Attempts used")}</dt><dd>{format!("{}/{}", round.attempts_used, round.attempts_allowed)}</dd> })}
            </dl>
            {match (round.open_attempt.clone(), can_start) {
                (Some(id), _) => view! {
                    <p><a class="button" href=format!("/luyen-tap/{id}/cau/1")>{tr("Làm tiếp bài đang làm", "Continue your attempt")}</a></p>
                }.into_any(),
                (None, true) => view! {
                    <form method="post" action=EnterRound::url() class="stack-form">
                        <input type="hidden" name="round_id" value=round.id />
                        {round.prediction_question.clone().map(|q| view! {
                            <label for=format!("du-doan-{}", round.id)>{format!("{} {q}", tr("Câu hỏi dự đoán:", "Prediction:"))}</label>
                            <input id=format!("du-doan-{}", round.id) name="prediction" type="number" min="0" inputmode="numeric" />
                        })}
                        <button type="submit" class="button">{tr("Bắt đầu làm bài", "Start")}</button>
                    </form>
                }.into_any(),
                (None, false) => view! {
                    {(is_pupil && !round.eligible).then(|| view! { <p class="muted">{tr("Vòng này không dành cho em.", "This round is not for you.")}</p> })}
                }.into_any(),
            }}
            {(!round.submitted_attempts.is_empty()).then(|| {
                let several = round.submitted_attempts.len() > 1;
                view! {
                    <ul class="inline-actions">
                        {round.submitted_attempts.iter().enumerate().map(|(i, id)| view! {
                            <li><a href=format!("/luyen-tap/{id}/ket-qua")>{if several {
                                format!("{} {}", tr("Xem kết quả lượt", "Result of attempt"), i + 1)
                            } else {
                                tr("Xem kết quả bài đã nộp", "See your result").to_owned()
                            }}</a></li>
                        }).collect_view()}
                    </ul>
                }
            })}
            {(round.phase == "da-dong").then(|| view! {
                <p><a href=format!("/cuoc-thi/vong/{}/bang-xep-hang", round.id)>{tr("Bảng xếp hạng", "Leaderboard")}</a></p>
            })}
        </li>
    }
}

/// `/cuoc-thi/quan-ly`
#[component]
pub fn ContestAdminPage() -> impl IntoView {
    let view_data = Resource::new(|| (), |_| get_contests_admin());
    let title = tr("Quản lý cuộc thi", "Manage contests");
    let done = query("xong").map(|code| match code.as_str() {
        "tao-vong" => tr("Đã thêm vòng thi.", "Round added."),
        _ => tr("Đã tạo cuộc thi.", "Contest created."),
    });
    let problem = query("loi").map(|code| match code.as_str() {
        "giai" => tr(
            "Số giải phải là số không âm.",
            "Prize counts must be whole numbers.",
        ),
        _ => tr(
            "Tên cuộc thi cần từ 3 đến 120 ký tự.",
            "A contest title needs 3–120 characters.",
        ),
    });
    let round_problem = signed_query("loi-vong");
    let round_problem_contest: Option<i32> = query("cuoc-thi").and_then(|c| c.parse().ok());
    view! {
        <Title text=title />
        <h1>{title}</h1>
        {done.map(|d| view! { <p class="notice" role="status">{d}</p> })}
        {problem.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
        <Suspense fallback=|| ()>
            {move || {
                let round_problem = round_problem.clone();
                Suspend::new(async move {
                match view_data.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(data) => {
                        let topics = data.topics.clone();
                        view! {
                            <p class="muted">{format!("{} {}", data.bank_size, tr("câu hỏi trong ngân hàng đang dùng được.", "questions in the active bank."))}</p>
                            {data.contests.into_iter().map(|c| {
                                let cid = c.id;
                                let problem_here = round_problem.clone().filter(|_| round_problem_contest == Some(cid));
                                let open_form = problem_here.is_some();
                                view! {
                                    <section id=format!("cuoc-thi-{cid}")>
                                        <h2>{format!("{} ({})", c.title, c.school_year)}</h2>
                                        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                                            <thead><tr>
                                                <th scope="col">{tr("Vòng", "Round")}</th>
                                                <th scope="col">{tr("Trạng thái", "Status")}</th>
                                                <th scope="col">{tr("Mở – đóng", "Opens – closes")}</th>
                                                <th scope="col">{tr("Đề", "Paper")}</th>
                                                <th scope="col">{tr("Bài đã nộp / đã bắt đầu", "Submitted / started")}</th>
                                            </tr></thead>
                                            <tbody>
                                                {c.rounds.into_iter().map(|r| view! {
                                                    <tr>
                                                        <td><a href=format!("/cuoc-thi/vong/{}/ket-qua", r.id)>{r.name}</a></td>
                                                        <td>{r.phase_label}</td>
                                                        <td>{format!("{} – {}", r.opens, r.closes)}</td>
                                                        <td>{format!("{} · {} {} · {} {}", r.draw, r.minutes, tr("phút", "min"), r.attempts_allowed, tr("lượt", "attempts"))}</td>
                                                        <td>{format!("{} / {}", r.submitted, r.entries)}</td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table></div>
                                        <details open=open_form>
                                            <summary>{tr("Thêm vòng thi", "Add a round")}</summary>
                                            {problem_here.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
                                            <RoundForm contest_id=cid topics=topics.clone() />
                                        </details>
                                    </section>
                                }
                                .into_any()
                            }).collect_view()}
                            <CreateContestForm />
                        }.into_any()
                    }
                }
            })}}
        </Suspense>

    }
}

/// The “create a contest” form (only for those who may run contests), filled with what was
/// typed when the server sent it back with an error.
#[component]
fn CreateContestForm() -> impl IntoView {
    let typed =
        |name: &'static str, default: &str| query(name).unwrap_or_else(|| default.to_owned());
    view! {
        <h2 id="tao-cuoc-thi">{tr("Tạo cuộc thi", "Create a contest")}</h2>
        <form method="post" action=CreateContest::url() class="stack-form">
            <label for="contest-title">{tr("Tên cuộc thi", "Title")}</label>
            <input id="contest-title" name="title" type="text" required minlength="3" maxlength="120" value=typed("ten", "") />
            <label for="contest-description">{tr("Giới thiệu", "Description")}</label>
            <textarea id="contest-description" name="description" rows="3" maxlength="2000">{typed("gioi-thieu", "")}</textarea>
            <label for="contest-counted">{tr("Lượt được tính khi xếp hạng", "Attempt that counts")}</label>
            <select id="contest-counted" name="counted_attempt">
                <option value="cao-nhat" selected=typed("tinh", "cao-nhat") == "cao-nhat">{tr("Lượt điểm cao nhất", "Best")}</option>
                <option value="lan-dau" selected=typed("tinh", "") == "lan-dau">{tr("Lượt đầu tiên", "First")}</option>
                <option value="lan-cuoi" selected=typed("tinh", "") == "lan-cuoi">{tr("Lượt cuối cùng", "Last")}</option>
            </select>
            <fieldset>
                <legend>{tr("Số giải mỗi vòng", "Prizes per round")}</legend>
                <label>{tr("Giải Nhất", "First prizes")}<input name="prize_first" type="number" min="0" value=typed("nhat", "1") inputmode="numeric" /></label>
                <label>{tr("Giải Nhì", "Second prizes")}<input name="prize_second" type="number" min="0" value=typed("nhi", "2") inputmode="numeric" /></label>
                <label>{tr("Giải Ba", "Third prizes")}<input name="prize_third" type="number" min="0" value=typed("ba", "3") inputmode="numeric" /></label>
                <label>{tr("Giải Khuyến khích", "Consolation prizes")}<input name="prize_consolation" type="number" min="0" value=typed("kk", "5") inputmode="numeric" /></label>
            </fieldset>
            <label for="contest-min-score">{tr("Điểm tối thiểu để xét giải (không bắt buộc)", "Minimum score for a prize (optional)")}</label>
            <input id="contest-min-score" name="prize_min_score" type="number" min="0" inputmode="numeric" value=typed("diem", "") />
            <fieldset>
                <legend>{tr("Xếp hạng: điểm cao hơn trước; nếu bằng điểm thì xét lần lượt", "Ranking: higher score first; ties broken by, in turn")}</legend>
                <TieBreakSelect n=1 default=typed("tb1", "du-doan") />
                <TieBreakSelect n=2 default=typed("tb2", "thoi-gian") />
                <TieBreakSelect n=3 default=typed("tb3", "nop-luc") />
            </fieldset>
            <button type="submit" class="button">{tr("Tạo cuộc thi", "Create")}</button>
        </form>
    }
}

/// One tie-break choice of the contest form.
#[component]
fn TieBreakSelect(n: u32, default: String) -> impl IntoView {
    let options = [
        ("du-doan", tr("Dự đoán gần đúng hơn", "Closer prediction")),
        (
            "thoi-gian",
            tr("Thời gian làm bài ít hơn", "Less time used"),
        ),
        ("nop-luc", tr("Nộp bài sớm hơn", "Submitted earlier")),
        ("", tr("(không dùng)", "(none)")),
    ];
    view! {
        <label>{format!("{} {n}", tr("Tiêu chí phụ", "Tie-break"))}
            <select name=format!("tie_break_{n}")>
                {options.into_iter().map(|(code, label)| view! {
                    <option value=code selected=code == default.as_str()>{label}</option>
                }).collect_view()}
            </select>
        </label>
    }
}

/// The “add a round” form of one contest.
#[component]
fn RoundForm(contest_id: i32, topics: Vec<(String, String)>) -> impl IntoView {
    let id = move |name: &str| format!("r{contest_id}-{name}");
    let rule = move |n: u32, topics: Vec<(String, String)>| {
        view! {
            <fieldset>
                <legend>{format!("{} {n}", tr("Quy tắc rút câu hỏi", "Draw rule"))}</legend>
                <label>{tr("Mạch", "Track")}
                    <select name=format!("track_{n}")>
                        <option value="">{tr("Cả hai mạch", "Both")}</option>
                        <option value="A">{tr("Mạch A: rủi ro trên mạng", "Track A")}</option>
                        <option value="B">{tr("Mạch B: đọc hiểu phản biện", "Track B")}</option>
                    </select>
                </label>
                <label>{tr("Chủ đề", "Topic")}
                    <select name=format!("topic_{n}")>
                        <option value="">{tr("Mọi chủ đề", "Any")}</option>
                        {topics.into_iter().map(|(slug, title)| view! { <option value=slug>{title}</option> }).collect_view()}
                    </select>
                </label>
                <label>{tr("Độ khó", "Difficulty")}
                    <select name=format!("difficulty_{n}")>
                        <option value="">{tr("Mọi mức", "Any")}</option>
                        <option value="1">"1"</option>
                        <option value="2">"2"</option>
                        <option value="3">"3"</option>
                    </select>
                </label>
                <label>{tr("Số câu", "Questions")}<input name=format!("count_{n}") type="number" min="0" max="100" inputmode="numeric" value=if n == 1 { "10" } else { "" } /></label>
            </fieldset>
        }
        .into_any()
    };
    view! {
        <form method="post" action=AddRound::url() class="stack-form">
            <input type="hidden" name="contest_id" value=contest_id />
            <label for=id("name")>{tr("Tên vòng", "Round name")}</label>
            <input id=id("name") name="name" type="text" required maxlength="80" placeholder=tr("Vòng 1", "Round 1") />
            <label for=id("opens")>{tr("Mở lúc (giờ Việt Nam)", "Opens (Vietnam time)")}</label>
            <input id=id("opens") name="opens_at" type="datetime-local" required />
            <label for=id("closes")>{tr("Đóng lúc (giờ Việt Nam)", "Closes (Vietnam time)")}</label>
            <input id=id("closes") name="closes_at" type="datetime-local" required />
            <label for=id("minutes")>{tr("Thời gian làm bài (phút)", "Time allowed (minutes)")}</label>
            <input id=id("minutes") name="minutes" type="number" min="1" max="180" value="20" required inputmode="numeric" />
            <label for=id("attempts")>{tr("Số lượt làm bài", "Attempts allowed")}</label>
            <input id=id("attempts") name="attempts" type="number" min="1" max="10" value="1" required inputmode="numeric" />
            {rule(1, topics.clone())}
            {rule(2, topics.clone())}
            {rule(3, topics)}
            <fieldset>
                <legend>{tr("Dành cho (không chọn = mọi học sinh)", "For (none = everyone)")}</legend>
                <label class="check"><input type="checkbox" name="level_thcs" value="1" />"THCS"</label>
                <label class="check"><input type="checkbox" name="level_thpt" value="1" />"THPT"</label>
                <label for=id("schools")>{tr("Chỉ các trường có mã (cách nhau bởi dấu phẩy)", "Only these school codes (comma-separated)")}</label>
                <input id=id("schools") name="school_codes" type="text" maxlength="2000" autocomplete="off" spellcheck="false" />
                <label for=id("communes")>{tr("Chỉ các xã/phường (cách nhau bởi dấu phẩy)", "Only these communes (comma-separated)")}</label>
                <input id=id("communes") name="communes" type="text" maxlength="2000" autocomplete="off" />
            </fieldset>
            <label for=id("prediction")>{tr("Câu hỏi dự đoán (không bắt buộc)", "Prediction question (optional)")}</label>
            <input id=id("prediction") name="prediction_question" type="text" maxlength="200" placeholder=tr("Có bao nhiêu thí sinh đạt điểm tối đa ở vòng này?", "How many contestants will score full marks?") />
            <label for=id("review")>{tr("Xem đáp án", "Review")}</label>
            <select id=id("review") name="review">
                <option value="sau-vong">{tr("Sau khi vòng thi đóng", "After the round closes")}</option>
                <option value="ngay">{tr("Ngay sau khi nộp bài", "Right after submitting")}</option>
            </select>
            <button type="submit" class="button">{tr("Thêm vòng thi", "Add round")}</button>
        </form>
    }
    .into_any()
}

fn one_decimal(value: f64) -> String {
    format!("{value:.1}").replace('.', ",")
}

/// `/cuoc-thi/vong/:id/ket-qua`: the committee's results, publishing and export.
#[component]
pub fn RoundResultsPage() -> impl IntoView {
    let id = crate::components::param("id").unwrap_or(0);
    let results = Resource::new(move || id, get_round_results);
    let done = query("xong").map(|_| {
        tr(
            "Đã công bố kết quả; học sinh xem được giấy chứng nhận.",
            "Results published; pupils can see their certificates.",
        )
    });
    let problem = query("loi").map(|code| match code.as_str() {
        "chua-dong" => tr(
            "Vòng thi chưa đóng nên chưa công bố được.",
            "The round has not closed yet.",
        ),
        _ => tr(
            "Kết quả vòng này đã được công bố.",
            "These results are already published.",
        ),
    });
    view! {
        <p><a href="/cuoc-thi/quan-ly">{tr("← Quản lý cuộc thi", "← Manage contests")}</a></p>
        {done.map(|d| view! { <p class="notice" role="status">{d}</p> })}
        {problem.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match results.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(r) => {
                        let rid = r.round_id;
                        view! {
                            <Title text=format!("{} · {}", tr("Kết quả", "Results"), r.title) />
                            <h1>{format!("{}: {}", tr("Kết quả", "Results"), r.title)}</h1>
                            <p>{format!("{} {}", r.rows.len(), tr("học sinh có bài được tính.", "pupils with a counted attempt."))}</p>
                            {r.prediction_question.clone().map(|q| view! {
                                <p>{format!("{} {q} — {} {}", tr("Câu hỏi dự đoán:", "Prediction:"), tr("đáp số thực tế:", "actual figure:"), r.actual)}</p>
                            })}
                            <p class="inline-actions">
                                <a class="button secondary" href=format!("/cuoc-thi/vong/{rid}/ket-qua.xlsx") download>{tr("Tải kết quả (Excel)", "Download (Excel)")}</a>
                                <a class="button secondary" href=format!("/cuoc-thi/vong/{rid}/ket-qua.csv") download>{tr("Tải kết quả (CSV)", "Download (CSV)")}</a>
                                <a class="button secondary" href=format!("/cuoc-thi/vong/{rid}/bang-xep-hang")>{tr("Bảng xếp hạng công khai", "Public leaderboard")}</a>
                                <a class="button secondary" href=format!("/cuoc-thi/vong/{rid}/phan-tich")>{tr("Phân tích câu hỏi", "Item analysis")}</a>
                            </p>
                            {match (r.published_at.clone(), r.closed) {
                                (Some(at), _) => view! { <p class="notice">{format!("{} {at}.", tr("Đã công bố lúc", "Published at"))}</p> }.into_any(),
                                (None, true) => view! {
                                    <form method="post" action=PublishResults::url()>
                                        <input type="hidden" name="round_id" value=rid />
                                        <ConfirmButton
                                            label=tr("Công bố kết quả", "Publish results").to_owned()
                                            warning=tr("Công bố sẽ lưu thứ hạng, giải và mã giấy chứng nhận của từng học sinh; sau đó không thay đổi được.", "Publishing stores each pupil's rank, prize and certificate code; it cannot be changed afterwards.").to_owned()
                                            confirm=tr("Xác nhận công bố", "Confirm: publish").to_owned()
                                        />
                                    </form>
                                }.into_any(),
                                (None, false) => view! { <p class="muted">{tr("Kết quả tạm thời: vòng thi chưa đóng.", "Provisional: the round is still open.")}</p> }.into_any(),
                            }}
                            <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                                <thead><tr>
                                    <th scope="col">{tr("Hạng", "Rank")}</th>
                                    <th scope="col">{tr("Giải", "Prize")}</th>
                                    <th scope="col">{tr("Họ và tên", "Name")}</th>
                                    <th scope="col">{tr("Lớp", "Class")}</th>
                                    <th scope="col">{tr("Trường", "School")}</th>
                                    <th scope="col">{tr("Điểm", "Score")}</th>
                                    <th scope="col">{tr("Dự đoán", "Prediction")}</th>
                                    <th scope="col">{tr("Thời gian", "Time")}</th>
                                </tr></thead>
                                <tbody>
                                    {r.rows.into_iter().map(|row| view! {
                                        <tr>
                                            <td>{row.rank}</td>
                                            <td>{row.prize.unwrap_or_default()}</td>
                                            <td>{row.full_name}</td>
                                            <td>{row.class_name}</td>
                                            <td>{row.school}</td>
                                            <td>{format!("{}/{}", points_text(row.points), row.total)}</td>
                                            <td>{row.prediction.map(|p| p.to_string()).unwrap_or_default()}</td>
                                            <td>{row.time_used}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/cuoc-thi/vong/:id/bang-xep-hang`: public leaderboards, masked names.
#[component]
pub fn LeaderboardPage() -> impl IntoView {
    let id = crate::components::param("id").unwrap_or(0);
    let board = Resource::new(move || id, get_leaderboard);
    view! {
        <p><a href="/cuoc-thi">{tr("← Cuộc thi", "← Contests")}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match board.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(None) => view! {
                        <Title text=tr("Bảng xếp hạng", "Leaderboard") />
                        <h1>{tr("Bảng xếp hạng", "Leaderboard")}</h1>
                        <p>{tr("Ban Tổ chức chưa công bố kết quả vòng thi này.", "The committee has not published these results yet.")}</p>
                    }.into_any(),
                    Ok(Some(b)) => view! {
                        <Title text=format!("{} · {}", tr("Bảng xếp hạng", "Leaderboard"), b.title) />
                        <h1>{format!("{}: {}", tr("Bảng xếp hạng", "Leaderboard"), b.title)}</h1>
                        <p class="muted">{format!("{} {}", tr("Công bố lúc", "Published"), b.published_at)}</p>
                        <h2>{tr("Cá nhân", "Pupils")}</h2>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                            <thead><tr><th scope="col">{tr("Hạng", "Rank")}</th><th scope="col">{tr("Học sinh", "Pupil")}</th><th scope="col">{tr("Điểm", "Score")}</th><th scope="col">{tr("Giải", "Prize")}</th></tr></thead>
                            <tbody>
                                {b.pupils.into_iter().take(100).map(|p| view! {
                                    <tr><td>{p.rank}</td><td>{p.who}</td><td>{format!("{}/{}", points_text(p.points), p.total)}</td><td>{p.prize.unwrap_or_default()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                        <h2>{tr("Theo trường", "By school")}</h2>
                        <AreaTable rows=b.schools label=tr("Trường", "School") />
                        <h2>{tr("Theo xã/phường", "By commune")}</h2>
                        <AreaTable rows=b.communes label=tr("Xã/phường", "Commune") />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AreaTable(rows: Vec<AreaStanding>, label: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
            <thead><tr>
                <th scope="col">{label}</th>
                <th scope="col">{tr("Dự thi", "Took part")}</th>
                <th scope="col">{tr("Sĩ số", "Enrolled")}</th>
                <th scope="col">{tr("Tỷ lệ tham gia", "Participation")}</th>
                <th scope="col">{tr("Điểm trung bình", "Mean score")}</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr>
                        <td>{r.name}</td>
                        <td>{r.participants}</td>
                        <td>{r.enrolment}</td>
                        <td>{r.rate_permille.map(crate::i18n::percent_text).unwrap_or_else(|| "—".to_owned())}</td>
                        <td>{r.mean_score.map(one_decimal).unwrap_or_default()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

/// `/chung-nhan/:code`: a certificate to print (its owner) or verify (anyone).
#[component]
pub fn CertificatePage() -> impl IntoView {
    let code = leptos_router::hooks::use_params_map()
        .with_untracked(|p| p.get("code").unwrap_or_default());
    view! { <CertificateView code /> }
}

/// `/chung-nhan`: anyone types the code printed on a certificate and sees whether it is genuine.
#[component]
pub fn CertificateLookupPage() -> impl IntoView {
    let code = query("ma")
        .map(|c| c.trim().to_uppercase())
        .filter(|c| !c.is_empty());
    let title = tr("Xác minh giấy chứng nhận", "Verify a certificate");
    view! {
        <Title text=title />
        {code.is_none().then(|| view! { <h1>{title}</h1> })}
        <form method="get" action="/chung-nhan" class="inline-actions no-print" role="search">
            <label for="ma">{tr("Mã xác minh in trên giấy chứng nhận", "The code printed on the certificate")}</label>
            <input id="ma" name="ma" type="text" required maxlength="20" autocapitalize="characters" placeholder="ABCDE-23456" value=code.clone().unwrap_or_default() />
            <button type="submit" class="button">{tr("Kiểm tra", "Check")}</button>
        </form>
        {code.map(|code| view! { <CertificateView code /> })}
    }
}

/// A certificate by its code, or why there is none.
#[component]
fn CertificateView(code: String) -> impl IntoView {
    let certificate = Resource::new(move || code.clone(), get_certificate);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match certificate.await {
                    Err(error) => {
                        #[cfg(feature = "ssr")]
                        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                            response.set_status(error.status());
                        }
                        #[cfg(not(feature = "ssr"))]
                        let _ = error;
                        view! {
                        <Title text=tr("Không tìm thấy giấy chứng nhận", "Certificate not found") />
                        <h1>{tr("Không tìm thấy giấy chứng nhận", "Certificate not found")}</h1>
                        <p>{tr("Không có giấy chứng nhận nào mang mã này. Hãy kiểm tra lại mã in ở cuối giấy.", "No certificate has this code. Check the code printed at the bottom.")}</p>
                    }.into_any() }
                    Ok(c) => view! {
                        <Title text=format!("{} {}", tr("Giấy chứng nhận", "Certificate"), c.code) />
                        {(!c.owner).then(|| view! { <p class="notice" role="status">{tr("Giấy chứng nhận này có thật, do hệ thống Khiên Số cấp. Tên học sinh được viết tắt để bảo vệ trẻ em.", "This certificate is genuine. The pupil's name is shortened to protect children.")}</p> })}
                        <article class="certificate">
                            <p class="certificate-head">"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"<br/>"Độc lập – Tự do – Hạnh phúc"</p>
                            <h1>"GIẤY CHỨNG NHẬN"</h1>
                            <p>{format!("Ban Tổ chức {} chứng nhận", c.contest)}</p>
                            <p class="certificate-name">{c.name.clone()}</p>
                            <p>{[c.class_name.clone(), c.school.clone()].into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" · ")}</p>
                            <p>{match c.prize.clone() {
                                Some(prize) => format!("đã đạt {prize} tại {}, với {}/{} điểm, xếp hạng {}.", c.round, points_text(c.points), c.total, c.rank),
                                None => format!("đã tham gia {}, với {}/{} điểm.", c.round, points_text(c.points), c.total),
                            }}</p>
                            <div class="certificate-verify">
                                {c.qr_svg.clone().map(|svg| view! { <div class="qr" role="img" aria-label=tr("Mã QR dẫn tới trang xác minh giấy chứng nhận", "QR code of the verification page") inner_html=svg></div> })}
                                <p class="muted">{format!("Cấp ngày {}. Mã xác minh: {}.", c.issued, c.code)}<br/>{format!("Kiểm tra tại: {}", c.verify_url)}</p>
                            </div>
                        </article>
                        {c.owner.then(|| view! { <p class="no-print muted">{tr("Để in: dùng lệnh In của trình duyệt (Ctrl+P, hoặc Chia sẻ → In trên điện thoại). Người khác có thể mở đường dẫn này để xác minh.", "To print, use the browser's Print command. Anyone can open this address to verify it.")}</p> })}
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/cuoc-thi/vong/:id/phan-tich`: item analysis for the committee.
#[component]
pub fn ItemAnalysisPage() -> impl IntoView {
    let id = crate::components::param("id").unwrap_or(0);
    let analysis = Resource::new(move || id, get_item_analysis);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match analysis.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(a) => view! {
                        <Title text=format!("{} · {}", tr("Phân tích câu hỏi", "Item analysis"), a.title) />
                        <p><a href=format!("/cuoc-thi/vong/{}/ket-qua", a.round_id)>{tr("← Kết quả vòng thi", "← Round results")}</a></p>
                        <h1>{format!("{}: {}", tr("Phân tích câu hỏi", "Item analysis"), a.title)}</h1>
                        <p>{format!("{} {}", a.attempts, tr(
                            "bài đã nộp. Độ khó = tỷ lệ làm đúng; độ phân biệt = tỷ lệ đúng của 27% bài điểm cao nhất trừ tỷ lệ đúng của 27% bài điểm thấp nhất. Cần ít nhất 20 bài có câu hỏi đó mới đưa ra cảnh báo.",
                            "submitted attempts. Facility = share correct; discrimination = share correct in the top 27% minus the bottom 27%. Warnings need at least 20 attempts with the question.",
                        ))}</p>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                            <thead><tr>
                                <th scope="col">{tr("Câu hỏi", "Question")}</th>
                                <th scope="col">{tr("Số bài", "Shown")}</th>
                                <th scope="col">{tr("Tỷ lệ đúng", "Facility")}</th>
                                <th scope="col">{tr("Độ phân biệt", "Discrimination")}</th>
                                <th scope="col">{tr("Các phương án", "Options")}</th>
                                <th scope="col">{tr("Cảnh báo", "Warnings")}</th>
                            </tr></thead>
                            <tbody>
                                {a.rows.into_iter().map(|r| view! {
                                    <tr>
                                        <td><code>{r.question_id}</code><br/>{r.stem}</td>
                                        <td>{r.shown}</td>
                                        <td>{r.facility.unwrap_or_else(|| "—".to_owned())}</td>
                                        <td>{r.discrimination.unwrap_or_else(|| "—".to_owned())}</td>
                                        <td>{r.options.join(" · ")}</td>
                                        <td>{r.flags.join("; ")}</td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table></div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
