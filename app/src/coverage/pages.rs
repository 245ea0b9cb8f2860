//! Participation and coverage: `/bao-cao` (the department's dashboard, a commune's view of its
//! schools), `/bao-cao/in` (the printable annual report), `/bao-cao/quy-tac` (the year's rule),
//! `/bao-cao/chuong-trinh` (offline programs waiting for approval) and `/truong/:id/tham-gia`
//! (a school's dashboard, where its teachers log offline programs). Charts are SVG rendered on
//! the server, each followed by a table with the same figures.

// Forms posted without JavaScript arrive as flat fields (the rule form has nine).
#![allow(clippy::too_many_arguments)]

use crate::codes::Track;
#[cfg(feature = "ssr")]
use crate::codes::*;
use crate::components::{ErrorMessage, query, signed_query};
use crate::coverage::types::*;
use crate::error::AppError;
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

#[cfg(feature = "ssr")]
pub(crate) mod ssr {
    pub use crate::coverage::service::coverage_scope;

    /// Today in Vietnam (ISO).
    pub fn today() -> String {
        crate::clock::vietnam_date(crate::clock::now_ms())
    }

    /// The school year asked for (`?nam=2025`), else the current one.
    pub fn year(asked: Option<i32>) -> (i32, i32) {
        let current = crate::clock::current_school_year();
        (
            asked
                .filter(|y| (2000..=current).contains(y))
                .unwrap_or(current),
            current,
        )
    }

    pub fn now_text() -> String {
        crate::clock::format_vietnam_time(crate::clock::now_ms())
    }
}

/// The coverage dashboard for a school year (department, commune or administrator).
#[server]
pub async fn get_coverage(
    year: Option<i32>,
    sort: Option<String>,
    track: Option<String>,
    level: Option<String>,
    page: Option<u32>,
) -> Result<CoverageView, AppError> {
    let caller = crate::platform::request::require_caller()?;
    let (scope, levels) = ssr::coverage_scope(&caller)?;
    let db = &crate::platform::app_state()?.db;
    let (year, current) = ssr::year(year);
    let options = crate::coverage::service::ListOptions {
        sort: sort.unwrap_or_default(),
        track: track.as_deref().and_then(Track::parse),
        level: level.as_deref().and_then(SchoolLevel::from_code),
        page: page.unwrap_or(1),
    };
    let mut view = crate::coverage::service::dashboard(
        db,
        scope,
        &levels,
        year,
        current,
        &ssr::today(),
        &options,
        ssr::now_text(),
    )
    .await?;
    let department = caller.may_oversee_coverage();
    view.can_edit_rule = department;
    view.can_decide_programs = department;
    Ok(view)
}

/// A school's dashboard for a school year (its staff, its commune, the department).
#[server]
pub async fn get_school_coverage(
    school_id: i32,
    year: Option<i32>,
) -> Result<SchoolCoverageView, AppError> {
    let caller = crate::platform::request::require_caller()?;
    let db = &crate::platform::app_state()?.db;
    let school = crate::access::readable_school(db, &caller, school_id).await?;
    let (year, current) = ssr::year(year);
    let staff = caller.can_manage_school(school.id);
    let mut view = crate::coverage::service::school_dashboard(
        db,
        school.id,
        year,
        current,
        &ssr::today(),
        staff,
        ssr::now_text(),
    )
    .await?;
    view.can_log_programs = staff;
    Ok(view)
}

/// The rule of a school year, for the department to edit.
#[server]
pub async fn get_coverage_rule(year: Option<i32>) -> Result<CoverageRuleView, AppError> {
    crate::access::require_department()?;
    let db = &crate::platform::app_state()?.db;
    let (year, current) = ssr::year(year);
    let year = year.min(current + 1);
    let (rule, saved) = crate::coverage::service::rule_for(db, year).await?;
    Ok(crate::coverage::service::rule_view(&rule, saved))
}

/// Saves a school year's rule (department, administrators).
#[server]
pub async fn save_coverage_rule(
    school_year: i32,
    starts_on: String,
    ends_on: String,
    threshold_percent: String,
    pass_percent: String,
    target_a_percent: String,
    target_a_strict: Option<String>,
    target_b_percent: String,
    target_b_strict: Option<String>,
    #[server(default)] basis: String,
) -> Result<(), AppError> {
    use crate::coverage::service::parse_date;
    let caller = crate::access::require_department()?;
    let db = &crate::platform::app_state()?.db;
    let back = format!("/bao-cao/quy-tac?nam={school_year}");
    let number = |text: &str| text.trim().trim_end_matches('%').trim().parse::<u32>().ok();
    let (Some(threshold), Some(pass), Some(a), Some(b)) = (
        number(&threshold_percent),
        number(&pass_percent),
        number(&target_a_percent),
        number(&target_b_percent),
    ) else {
        crate::platform::request::redirect(&format!("{back}&loi=so"));
        return Ok(());
    };
    let (Some(starts_on), Some(ends_on)) = (parse_date(&starts_on), parse_date(&ends_on)) else {
        crate::platform::request::redirect(&format!("{back}&loi=ngay"));
        return Ok(());
    };
    let rule = crate::domain::coverage::Rule {
        school_year,
        starts_on,
        ends_on,
        threshold_percent: threshold,
        pass_percent: pass,
        target_a_percent: a,
        target_a_strict: target_a_strict.is_some(),
        target_b_percent: b,
        target_b_strict: target_b_strict.is_some(),
        basis: crate::domain::text::clean_name(&basis),
    };
    let actor = crate::platform::request::actor(&caller);
    match crate::coverage::service::save_rule(db, &actor, rule).await? {
        Ok(()) => crate::platform::request::redirect(&format!("{back}&xong=1")),
        Err(message) => crate::platform::request::redirect(&format!(
            "{back}&{}",
            crate::platform::notice::signed_param("loi-chi-tiet", &message)
        )),
    }
    Ok(())
}

/// The department's queue of offline programs.
#[server]
pub async fn get_program_queue(year: Option<i32>) -> Result<ProgramQueueView, AppError> {
    let caller = crate::access::require_department()?;
    let (_, levels) = crate::coverage::service::coverage_scope(&caller)?;
    let db = &crate::platform::app_state()?.db;
    let (year, current) = ssr::year(year);
    crate::coverage::service::program_queue(db, year, current, &levels).await
}

/// Approves (`decision = "duyet"`) or rejects, with a reason, an offline program.
#[server]
pub async fn decide_program(
    program_id: i32,
    decision: String,
    reason: Option<String>,
    year: Option<i32>,
) -> Result<(), AppError> {
    let caller = crate::access::require_department()?;
    let (_, levels) = crate::coverage::service::coverage_scope(&caller)?;
    let db = &crate::platform::app_state()?.db;
    let actor = crate::platform::request::actor(&caller);
    let back = format!("/bao-cao/chuong-trinh?nam={}", ssr::year(year).0);
    match crate::coverage::service::decide_program(
        db,
        &actor,
        caller.account_id,
        &levels,
        program_id,
        decision == "duyet",
        reason.as_deref().unwrap_or(""),
    )
    .await?
    {
        Ok(()) => crate::platform::request::redirect(&format!("{back}&xong={program_id}")),
        Err(message) => crate::platform::request::redirect(&format!(
            "{back}&{}#chuong-trinh-{program_id}",
            crate::platform::notice::signed_param("loi-chi-tiet", &message)
        )),
    }
    Ok(())
}

fn year_query() -> Option<i32> {
    query("nam").and_then(|y| y.parse().ok())
}

fn percent(permille: u32) -> String {
    crate::i18n::percent_text(permille)
}

fn track_name(track: Track) -> &'static str {
    match track {
        Track::A => crate::use_texts().track_a_title,
        Track::B => crate::use_texts().track_b_title,
    }
}

fn target_text(cell: &CoverageCell) -> String {
    if cell.target_strict {
        format!("{} {}%", tr("trên", "over"), cell.target_percent)
    } else {
        format!("{}%", cell.target_percent)
    }
}

fn cell_label(cell: &CoverageCell) -> String {
    format!(
        "{} · {}",
        crate::level_name(cell.level),
        tr_track_short(cell.track)
    )
}

fn tr_track_short(track: Track) -> String {
    format!("{} {}", tr("Mạch", "Track"), track.code())
}

/// The year picker (a GET form: works without JavaScript).
#[component]
fn YearPicker(action: String, years: Vec<i32>, selected: i32) -> impl IntoView {
    view! {
        <form method="get" action=action class="inline-actions no-print">
            <label for="nam">{tr("Năm học", "School year")}</label>
            <select id="nam" name="nam">
                {years.into_iter().map(|y| view! {
                    <option value=y.to_string() selected=y == selected>{crate::i18n::school_year_label(y)}</option>
                }).collect_view()}
            </select>
            <button type="submit" class="button secondary">{tr("Xem", "Show")}</button>
        </form>
    }
}

/// Horizontal bars: the share of schools covered per level and track, with the target marked.
#[component]
pub fn CoverageBars(cells: Vec<CoverageCell>, id: &'static str) -> impl IntoView {
    let row_height = 46.0;
    let left = 120.0;
    let width = 260.0;
    let height = row_height * cells.len() as f64 + 24.0;
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let labelled_by = format!("{title_id} {desc_id}");
    let desc = cells
        .iter()
        .map(|c| {
            format!(
                "{}: {}/{} {} ({}); {} {} — {}",
                cell_label(c),
                c.covered,
                c.total,
                tr("trường", "schools"),
                percent(c.permille),
                tr("mục tiêu", "target"),
                target_text(c),
                if c.meets {
                    tr("đạt", "met")
                } else {
                    tr("chưa đạt", "not met")
                }
            )
        })
        .collect::<Vec<_>>()
        .join(". ");
    let bars = cells
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let y = 8.0 + i as f64 * row_height;
            let w = width * f64::from(c.permille.min(1000)) / 1000.0;
            let target_x = left + width * f64::from(c.target_percent.min(100)) / 100.0;
            let class = if c.meets { "bar ok" } else { "bar short" };
            view! {
                <g>
                    <text x="0" y=y + 18.0 class="chart-label">{cell_label(c)}</text>
                    <rect x=left y=y width=width height="24" class="bar-track" />
                    <rect x=left y=y width=w height="24" class=class />
                    <line x1=target_x x2=target_x y1=y - 4.0 y2=y + 28.0 class="target-line" />
                    <text x=left + width + 6.0 y=y + 18.0 class="chart-value">{percent(c.permille)}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 440 {height}") role="img" aria-labelledby=labelled_by>
            <title id=title_id>{tr("Tỷ lệ trường đã triển khai, theo cấp học và mạch nội dung", "Share of schools covered, by level and track")}</title>
            <desc id=desc_id>{desc}</desc>
            {bars}
        </svg>
    }
}

/// Lines across school years, one per level and track, with the targets dashed.
#[component]
pub fn TrendChart(trend: Vec<YearCoverage>) -> impl IntoView {
    let left = 40.0;
    let top = 10.0;
    let width = 360.0;
    let height = 180.0;
    let n = trend.len().max(1);
    let x = move |i: usize| {
        if n == 1 {
            left + width / 2.0
        } else {
            left + width * i as f64 / (n - 1) as f64
        }
    };
    let y = move |permille: u32| top + height * (1.0 - f64::from(permille.min(1000)) / 1000.0);
    let series: Vec<(String, String, Vec<u32>)> = trend
        .first()
        .map(|first| {
            first
                .cells
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    (
                        cell_label(c),
                        format!("series-{k}"),
                        trend
                            .iter()
                            .map(|year| year.cells.get(k).map(|c| c.permille).unwrap_or(0))
                            .collect(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let targets: Vec<u32> = {
        let mut t: Vec<u32> = trend
            .last()
            .map(|y| y.cells.iter().map(|c| c.target_percent).collect())
            .unwrap_or_default();
        t.sort_unstable();
        t.dedup();
        t
    };
    let desc = trend
        .iter()
        .map(|year| {
            format!(
                "{}: {}",
                year.label,
                year.cells
                    .iter()
                    .map(|c| format!("{} {}", cell_label(c), percent(c.permille)))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        })
        .collect::<Vec<_>>()
        .join(". ");
    view! {
        <svg class="chart" viewBox="0 0 440 250" role="img" aria-labelledby="trend-title trend-desc">
            <title id="trend-title">{tr("Tỷ lệ trường đã triển khai qua các năm học", "Share of schools covered across school years")}</title>
            <desc id="trend-desc">{desc}</desc>
            {[0u32, 500, 1000].into_iter().map(|p| view! {
                <g>
                    <line x1=left x2=left + width y1=y(p) y2=y(p) class="grid-line" />
                    <text x="0" y=y(p) + 4.0 class="chart-value">{percent(p)}</text>
                </g>
            }).collect_view()}
            {targets.into_iter().map(|t| view! {
                <line x1=left x2=left + width y1=y(t * 10) y2=y(t * 10) class="target-line dashed" />
            }).collect_view()}
            {trend.iter().enumerate().map(|(i, year)| view! {
                <text x=x(i) y=top + height + 20.0 text-anchor="middle" class="chart-value">{year.label.clone()}</text>
            }).collect_view()}
            {series.iter().map(|(_, class, values)| {
                let points = values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))).collect::<Vec<_>>().join(" ");
                let dots = values.iter().enumerate().map(|(i, v)| view! { <circle cx=x(i) cy=y(*v) r="4" class=format!("dot {class}") /> }).collect_view();
                view! { <g><polyline points=points class=format!("line {class}") />{dots}</g> }
            }).collect_view()}
            {series.iter().enumerate().map(|(k, (label, class, _))| {
                let lx = left + (k % 2) as f64 * 180.0;
                let ly = top + height + 36.0 + (k / 2) as f64 * 16.0;
                view! { <g><rect x=lx y=ly - 9.0 width="18" height="4" class=format!("swatch {class}") /><text x=lx + 24.0 y=ly class="chart-value">{label.clone()}</text></g> }
            }).collect_view()}
        </svg>
    }
}

/// The summary table (the text alternative of the bars).
#[component]
fn SummaryTable(cells: Vec<CoverageCell>) -> impl IntoView {
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
            <caption>{tr("Số trường đã triển khai so với mục tiêu", "Schools covered against the target")}</caption>
            <thead><tr>
                <th scope="col">{tr("Cấp học", "Level")}</th>
                <th scope="col">{tr("Mạch", "Track")}</th>
                <th scope="col">{tr("Đã triển khai", "Covered")}</th>
                <th scope="col">{tr("Tỷ lệ", "Share")}</th>
                <th scope="col">{tr("Mục tiêu", "Target")}</th>
                <th scope="col">{tr("Đánh giá", "Assessment")}</th>
            </tr></thead>
            <tbody>
                {cells.into_iter().map(|c| view! {
                    <tr>
                        <td>{crate::level_name(c.level)}</td>
                        <td>{track_name(c.track)}</td>
                        <td>{format!("{}/{}", c.covered, c.total)}</td>
                        <td>{percent(c.permille)}</td>
                        <td>{target_text(&c)}</td>
                        <td>{if c.meets {
                            tr("Đạt", "Met").to_owned()
                        } else if c.total == 0 {
                            tr("Chưa có trường", "No schools").to_owned()
                        } else {
                            format!("{} ({} {})", tr("Chưa đạt", "Not met"), tr("cần thêm", "needs"), format_args!("{} {}", c.missing, tr("trường", "schools")))
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
}

/// Shares per group (xã/phường, huyện cũ).
#[component]
fn GroupTable(
    groups: Vec<GroupCoverage>,
    caption: &'static str,
    first: &'static str,
) -> impl IntoView {
    let header: Vec<String> = groups
        .first()
        .map(|g| g.cells.iter().map(cell_label).collect())
        .unwrap_or_default();
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
            <caption>{caption}</caption>
            <thead><tr>
                <th scope="col">{first}</th>
                {header.into_iter().map(|h| view! { <th scope="col">{h}</th> }).collect_view()}
            </tr></thead>
            <tbody>
                {groups.into_iter().map(|g| view! {
                    <tr>
                        <th scope="row">{g.name}</th>
                        {g.cells.into_iter().map(|c| view! {
                            <td class=if c.meets { "ok" } else { "" }>{if c.total == 0 { "—".to_owned() } else { format!("{}/{} ({})", c.covered, c.total, percent(c.permille)) }}</td>
                        }).collect_view()}
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
}

fn sort_link(view: &CoverageView, sort: &str, label: &'static str) -> impl IntoView + use<> {
    let href = format!(
        "/bao-cao?nam={}&sap-xep={sort}{}{}#chua-dat",
        view.school_year,
        query("noi-dung")
            .map(|t| format!("&noi-dung={t}"))
            .unwrap_or_default(),
        query("cap")
            .map(|l| format!("&cap={l}"))
            .unwrap_or_default(),
    );
    let current = query("sap-xep").unwrap_or_else(|| "thieu".to_owned()) == sort;
    view! { <a href=href aria-current=current.then_some("true")>{label}</a> }
}

/// `/bao-cao`
#[component]
pub fn CoveragePage() -> impl IntoView {
    let page: Option<u32> = query("trang").and_then(|p| p.parse().ok());
    let data = Resource::new(
        move || (),
        move |_| {
            get_coverage(
                year_query(),
                query("sap-xep"),
                query("noi-dung"),
                query("cap"),
                page,
            )
        },
    );
    let title = tr("Báo cáo kết quả triển khai", "Coverage report");
    view! {
        <Title text=title />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(v) => coverage_body(v).into_any(),
                }
            })}
        </Suspense>
    }
}

fn coverage_body(v: CoverageView) -> impl IntoView {
    let year = v.school_year;
    let export = |ext: &str| format!("/bao-cao/xuat/phu-song-{year}.{ext}");
    let pager = (v.pages > 1).then(|| {
        let base = format!(
            "/bao-cao?nam={year}{}{}{}",
            query("sap-xep").map(|s| format!("&sap-xep={s}")).unwrap_or_default(),
            query("noi-dung").map(|t| format!("&noi-dung={t}")).unwrap_or_default(),
            query("cap").map(|l| format!("&cap={l}")).unwrap_or_default(),
        );
        view! {
            <nav class="inline-actions" aria-label=tr("Trang của danh sách", "List pages")>
                {(v.page > 1).then(|| view! { <a href=format!("{base}&trang={}#chua-dat", v.page - 1)>{tr("← Trang trước", "← Previous")}</a> })}
                <span>{format!("{} {}/{}", tr("Trang", "Page"), v.page, v.pages)}</span>
                {(v.page < v.pages).then(|| view! { <a href=format!("{base}&trang={}#chua-dat", v.page + 1)>{tr("Trang sau →", "Next →")}</a> })}
            </nav>
        }
    });
    let sort_links = view! {
        <p class="inline-actions no-print">
            {tr("Sắp xếp:", "Sort:")}
            {sort_link(&v, "thieu", tr("thiếu nhiều nhất", "most lacking"))}
            {sort_link(&v, "ty-le", tr("tỷ lệ thấp nhất", "lowest rate"))}
            {sort_link(&v, "ten", tr("tên trường", "school name"))}
            {sort_link(&v, "xa", tr("xã/phường", "commune"))}
        </p>
    };
    let filter = view! {
        <form method="get" action="/bao-cao" class="inline-actions no-print">
            <input type="hidden" name="nam" value=year.to_string() />
            <label for="loc-noi-dung">{tr("Mạch", "Track")}</label>
            <select id="loc-noi-dung" name="noi-dung">
                <option value="">{tr("Cả hai", "Both")}</option>
                <option value="A" selected=query("noi-dung").as_deref() == Some("A")>"A"</option>
                <option value="B" selected=query("noi-dung").as_deref() == Some("B")>"B"</option>
            </select>
            <label for="loc-cap">{tr("Cấp học", "Level")}</label>
            <select id="loc-cap" name="cap">
                <option value="">{tr("Tất cả", "All")}</option>
                <option value="THCS" selected=query("cap").as_deref() == Some("THCS")>"THCS"</option>
                <option value="THPT" selected=query("cap").as_deref() == Some("THPT")>"THPT"</option>
            </select>
            <button type="submit" class="button secondary">{tr("Lọc", "Filter")}</button>
        </form>
    };
    view! {
        <h1>{format!("{} — {} {}", tr("Kết quả triển khai tuyên truyền an toàn thông tin", "Information-security coverage"), tr("năm học", "school year"), v.label)}</h1>
        <p class="muted">{format!("{} · {} {} · {} {}", if v.scope.is_empty() { tr("Toàn tỉnh", "Whole province").to_owned() } else { v.scope.clone() }, tr("Số liệu đến ngày", "Directory as of"), v.reference_day, tr("lập lúc", "generated"), v.generated_at)}</p>
        <YearPicker action="/bao-cao".to_owned() years=v.years.clone() selected=year />
        <p class="inline-actions no-print">
            <a class="button secondary" href=format!("/bao-cao/in?nam={year}")>{tr("Báo cáo in (A4)", "Printable report (A4)")}</a>
            <a class="button secondary" href=export("xlsx") download>{tr("Tải Excel", "Download Excel")}</a>
            <a class="button secondary" href=export("csv") download>{tr("Tải CSV", "Download CSV")}</a>
            {v.can_edit_rule.then(|| view! { <a href=format!("/bao-cao/quy-tac?nam={year}")>{tr("Quy tắc tính", "Counting rule")}</a> })}
            {v.can_decide_programs.then(|| view! { <a href=format!("/bao-cao/chuong-trinh?nam={year}")>{format!("{} ({} {})", tr("Hoạt động trực tiếp", "Offline programs"), v.pending_programs, tr("chờ duyệt", "waiting"))}</a> })}
        </p>
        <details class="rule"><summary>{tr("Cách tính", "How it is counted")}</summary><p>{v.rule.text.clone()}</p></details>
        <h2>{tr("Tổng hợp", "Summary")}</h2>
        <CoverageBars cells=v.summary.clone() id="summary-chart" />
        <SummaryTable cells=v.summary.clone() />
        {(!v.reach.is_empty()).then(|| view! {
            <h2>{tr("Học sinh, sinh viên được tiếp cận (GDTX, trung cấp, cao đẳng, đại học)", "Students reached (continuing education, vocational, university)")}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                <thead><tr><th scope="col">{tr("Cấp học", "Level")}</th><th scope="col">{tr("Số cơ sở", "Institutions")}</th><th scope="col">{tr("Đã tham gia", "Reached")}</th><th scope="col">{tr("Sĩ số", "Enrolled")}</th><th scope="col">{tr("Tỷ lệ", "Share")}</th></tr></thead>
                <tbody>{v.reach.iter().map(|r| view! {
                    <tr><td>{crate::level_name(r.level)}</td><td>{r.schools}</td><td>{r.reached}</td><td>{r.enrolled}</td><td>{r.permille.map(percent).unwrap_or_else(|| tr("chưa có sĩ số", "no enrolment").to_owned())}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
        })}
        <h2>{tr("Qua các năm học", "Across school years")}</h2>
        <TrendChart trend=v.trend.clone() />
        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
            <caption>{tr("Tỷ lệ trường đã triển khai theo năm học", "Share of schools covered by school year")}</caption>
            <thead><tr><th scope="col">{tr("Năm học", "School year")}</th>
                {v.summary.iter().map(|c| view! { <th scope="col">{cell_label(c)}</th> }).collect_view()}
            </tr></thead>
            <tbody>{v.trend.iter().map(|y| view! {
                <tr><th scope="row">{y.label.clone()}</th>{y.cells.iter().map(|c| view! { <td>{format!("{} ({}/{})", percent(c.permille), c.covered, c.total)}</td> }).collect_view()}</tr>
            }).collect_view()}</tbody>
        </table></div>
        <h2>{tr("Theo xã/phường", "By commune")}</h2>
        <GroupTable groups=v.by_commune.clone() caption=tr("Số trường đã triển khai / tổng số trường, theo xã/phường", "Schools covered / all schools, by commune") first=tr("Xã/phường", "Commune") />
        <h2>{tr("Theo huyện cũ", "By former district")}</h2>
        <GroupTable groups=v.by_district.clone() caption=tr("Theo địa giới huyện trước ngày 01/07/2025", "By the districts before 1 July 2025") first=tr("Huyện cũ", "Former district") />
        <h2 id="chua-dat">{format!("{}: {} {}", tr("Trường chưa đạt", "Schools not covered"), v.uncovered_schools, tr("trường", "schools"))}</h2>
        {(v.uncovered_total > 0).then(|| view! { <p class="muted">{format!("{} {} {}", tr("Tính theo từng cấp học và mạch nội dung:", "Counted per level and track:"), v.uncovered_total, tr("lượt trường × cấp học × mạch chưa đạt.", "school × level × track rows not covered."))}</p> })}
        {filter}
        {sort_links}
        {if v.uncovered.is_empty() {
            view! { <p>{tr("Không có trường nào chưa đạt.", "Every school is covered.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                    <thead><tr>
                        <th scope="col">{tr("Trường", "School")}</th>
                        <th scope="col">{tr("Xã/phường", "Commune")}</th>
                        <th scope="col">{tr("Cấp", "Level")}</th>
                        <th scope="col">{tr("Mạch", "Track")}</th>
                        <th scope="col">{tr("Tham gia / sĩ số", "Took part / enrolled")}</th>
                        <th scope="col">{tr("Còn thiếu", "Lacks")}</th>
                    </tr></thead>
                    <tbody>{v.uncovered.iter().map(|u| view! {
                        <tr>
                            <td><a href=format!("/truong/{}/tham-gia?nam={year}", u.school_id)>{u.name.clone()}</a></td>
                            <td>{u.commune.clone()}</td>
                            <td>{crate::level_name(u.level)}</td>
                            <td>{u.track.code()}</td>
                            <td>{format!("{}/{}{}", u.participants, u.enrolled, u.rate_permille.map(|p| format!(" ({})", percent(p))).unwrap_or_default())}</td>
                            <td>{u.lacks.text(crate::use_locale())}</td>
                        </tr>
                    }).collect_view()}</tbody>
                </table></div>
            }.into_any()
        }}
        {pager}
    }
}

/// `/bao-cao/in`: the annual report on A4, in the usual shape of an administrative report.
#[component]
pub fn CoverageReportPage() -> impl IntoView {
    let data = Resource::new(
        move || (),
        move |_| get_coverage(year_query(), None, None, None, Some(1)),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(v) => report_body(v).into_any(),
                }
            })}
        </Suspense>
    }
}

/// The year the report is printed in (from "dd/mm/yyyy hh:mm" of its generation).
fn printed_year(v: &CoverageView) -> String {
    v.generated_at
        .get(6..10)
        .map(str::to_owned)
        .unwrap_or_else(|| (v.school_year + 1).to_string())
}

fn report_body(v: CoverageView) -> impl IntoView {
    let title = format!(
        "Báo cáo kết quả thực hiện tuyên truyền, nâng cao nhận thức về an toàn thông tin cho học sinh năm học {}",
        v.label
    );
    let lines: Vec<String> = v
        .summary
        .iter()
        .map(|c| {
            format!(
                "Cấp {}, mạch {}: {}/{} trường đã triển khai, đạt tỷ lệ {} (mục tiêu {}) — {}.",
                c.level.label(),
                c.track.code(),
                crate::i18n::thousands(u64::from(c.covered)),
                crate::i18n::thousands(u64::from(c.total)),
                percent(c.permille),
                target_text(c),
                if c.meets {
                    "đạt mục tiêu".to_owned()
                } else {
                    format!("chưa đạt, cần thêm {} trường", c.missing)
                }
            )
        })
        .collect();
    view! {
        <Title text=title.clone() />
        <article class="a4-report">
            <header class="report-head">
                <div class="report-agency">
                    <p>"UBND TỈNH THANH HÓA"</p>
                    <p><strong>"SỞ GIÁO DỤC VÀ ĐÀO TẠO"</strong></p>
                    <p>"Số: ……/BC-SGDĐT"</p>
                </div>
                <div class="report-motto">
                    <p><strong>"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"</strong></p>
                    <p><strong><u>"Độc lập - Tự do - Hạnh phúc"</u></strong></p>
                    <p><em>{format!("Thanh Hóa, ngày …… tháng …… năm {}", printed_year(&v))}</em></p>
                </div>
            </header>
            <h1 class="report-title">"BÁO CÁO"<br />{format!("Kết quả thực hiện tuyên truyền, nâng cao nhận thức về an toàn thông tin cho học sinh năm học {}", v.label)}</h1>
            <p class="report-to">"Kính gửi: ……………………………………………"</p>
            <p class="report-basis">{if v.rule.basis.is_empty() {
                "Thực hiện ……………………………………………… (chưa ghi văn bản làm căn cứ cho năm học này: mục “Quy tắc tính”), Sở Giáo dục và Đào tạo báo cáo kết quả năm học như sau:".to_owned()
            } else {
                format!("Thực hiện {}, Sở Giáo dục và Đào tạo báo cáo kết quả năm học như sau:", v.rule.basis)
            }}</p>
            <h2>"I. CÁCH TÍNH"</h2>
            <p>{v.rule.text.clone()}</p>
            <p>{format!("Phạm vi: {}. Số liệu danh mục trường tính đến ngày {}; số liệu tham gia lấy từ hệ thống Khiên Số lúc {}.", if v.scope.is_empty() { "toàn tỉnh" } else { v.scope.as_str() }, v.reference_day, v.generated_at)}</p>
            <h2>"II. KẾT QUẢ"</h2>
            <ol>{lines.into_iter().map(|l| view! { <li>{l}</li> }).collect_view()}</ol>
            <SummaryTable cells=v.summary.clone() />
            {(!v.reach.is_empty()).then(|| view! {
                <p>{v.reach.iter().map(|r| format!("{}: {}/{} học sinh, sinh viên đã tham gia ({}).", r.level.label(), crate::i18n::thousands(u64::from(r.reached)), crate::i18n::thousands(u64::from(r.enrolled)), r.permille.map(percent).unwrap_or_else(|| "chưa có sĩ số".to_owned()))).collect::<Vec<_>>().join(" ")}</p>
            })}
            <h3>"Theo xã/phường"</h3>
            <GroupTable groups=v.by_commune.clone() caption="Số trường đã triển khai / tổng số trường" first="Xã/phường" />
            <h3>"Qua các năm học"</h3>
            <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                <thead><tr><th scope="col">"Năm học"</th>{v.summary.iter().map(|c| view! { <th scope="col">{cell_label(c)}</th> }).collect_view()}</tr></thead>
                <tbody>{v.trend.iter().map(|y| view! {
                    <tr><th scope="row">{y.label.clone()}</th>{y.cells.iter().map(|c| view! { <td>{percent(c.permille)}</td> }).collect_view()}</tr>
                }).collect_view()}</tbody>
            </table></div>
            <h2>"III. ĐỀ XUẤT"</h2>
            <p>{format!("Có {} trường chưa đạt ở ít nhất một cấp học và mạch nội dung ({} lượt trường/cấp học/mạch nội dung; danh sách chi tiết kèm theo tệp Excel xuất từ hệ thống). Đề nghị các trường chưa đạt tổ chức cho học sinh tham gia bài học, bài luyện tập, cuộc thi trên hệ thống hoặc tổ chức hoạt động trực tiếp và gửi minh chứng để Sở duyệt.", crate::i18n::thousands(u64::from(v.uncovered_schools)), crate::i18n::thousands(u64::from(v.uncovered_total)))}</p>
            <footer class="report-sign">
                <div>
                    <p><strong><em>"Nơi nhận:"</em></strong></p>
                    <p>"- Như trên;"</p>
                    <p>"- Lưu: VT."</p>
                </div>
                <div class="sign-block">
                    <p><strong>"GIÁM ĐỐC"</strong></p>
                    <p class="sign-space"></p>
                </div>
            </footer>
        </article>
        <p class="no-print"><a href=format!("/bao-cao?nam={}", v.school_year)>{tr("← Về báo cáo", "← Back to the report")}</a></p>
    }
}

/// `/bao-cao/quy-tac`
#[component]
pub fn CoverageRulePage() -> impl IntoView {
    let data = Resource::new(move || (), move |_| get_coverage_rule(year_query()));
    let title = tr("Quy tắc tính kết quả triển khai", "Coverage rule");
    let problem = signed_query("loi-chi-tiet").or_else(|| {
        query("loi").map(|code| {
            match code.as_str() {
                "ngay" => tr(
                    "Ngày không hợp lệ (ví dụ: 01/09/2026).",
                    "Invalid date (e.g. 01/09/2026).",
                ),
                _ => tr(
                    "Các tỷ lệ cần là số nguyên từ 1 đến 100.",
                    "Percentages must be whole numbers from 1 to 100.",
                ),
            }
            .to_owned()
        })
    });
    view! {
        <Title text=title />
        <h1>{title}</h1>
        {problem.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
        {query("xong").map(|_| view! { <p class="notice" role="status">{tr("Đã lưu quy tắc.", "Rule saved.")}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(r) => view! {
                        <p>{if r.saved { tr("Sở đã đặt quy tắc cho năm học này.", "The department set this year's rule.") } else { tr("Năm học này đang dùng giá trị mặc định của kế hoạch.", "This year uses the plan's defaults.") }}</p>
                        <p class="muted">{r.text.clone()}</p>
                        <p class="muted">{tr("Thay đổi ngày đầu/cuối năm học chỉ áp dụng cho hoạt động ghi nhận từ nay; hoạt động đã ghi nhận giữ năm học cũ.", "Changing the year's dates applies to activity recorded from now on.")}</p>
                        <form method="post" action=SaveCoverageRule::url() class="stack-form">
                            <input type="hidden" name="school_year" value=r.school_year.to_string() />
                            <h2>{format!("{} {}", tr("Năm học", "School year"), r.label)}</h2>
                            <label for="starts_on">{tr("Ngày bắt đầu", "First day")}</label>
                            <input type="date" id="starts_on" name="starts_on" value=r.starts_on.clone() required />
                            <label for="ends_on">{tr("Ngày kết thúc", "Last day")}</label>
                            <input type="date" id="ends_on" name="ends_on" value=r.ends_on.clone() required />
                            <label for="threshold_percent">{tr("Tỷ lệ học sinh tham gia tối thiểu (%)", "Minimum share of pupils taking part (%)")}</label>
                            <input type="number" min="1" max="100" id="threshold_percent" name="threshold_percent" value=r.threshold_percent.to_string() required />
                            <label for="pass_percent">{tr("Tỷ lệ câu đúng để đạt bài luyện tập (%)", "Share of a lesson quiz to pass (%)")}</label>
                            <input type="number" min="1" max="100" id="pass_percent" name="pass_percent" value=r.pass_percent.to_string() required />
                            <label for="target_a_percent">{tr("Chỉ tiêu mạch A (% số trường)", "Track A target (% of schools)")}</label>
                            <input type="number" min="1" max="100" id="target_a_percent" name="target_a_percent" value=r.target_a_percent.to_string() required />
                            <label class="check"><input type="checkbox" name="target_a_strict" value="1" checked=r.target_a_strict />{tr("Phải vượt (“trên”) chỉ tiêu A", "Must exceed the Track A target")}</label>
                            <label for="target_b_percent">{tr("Chỉ tiêu mạch B (% số trường)", "Track B target (% of schools)")}</label>
                            <input type="number" min="1" max="100" id="target_b_percent" name="target_b_percent" value=r.target_b_percent.to_string() required />
                            <label class="check"><input type="checkbox" name="target_b_strict" value="1" checked=r.target_b_strict />{tr("Phải vượt (“trên”) chỉ tiêu B", "Must exceed the Track B target")}</label>
                            <label for="basis">{tr("Văn bản làm căn cứ của báo cáo năm học (kế hoạch, quyết định)", "The plan or decision the year's report answers to")}</label>
                            <textarea id="basis" name="basis" rows="2" maxlength="300">{r.basis.clone()}</textarea>
                            <button type="submit" class="button">{tr("Lưu quy tắc", "Save the rule")}</button>
                        </form>
                        <p><a href=format!("/bao-cao/quy-tac?nam={}", r.school_year + 1)>{tr("Đặt quy tắc cho năm học sau →", "Set next year's rule →")}</a></p>
                        <p><a href=format!("/bao-cao?nam={}", r.school_year)>{tr("← Về báo cáo", "← Back to the report")}</a></p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn status_label(status: &str) -> &'static str {
    match status {
        "da-duyet" => tr("Đã duyệt", "Approved"),
        "tu-choi" => tr("Không duyệt", "Rejected"),
        _ => tr("Chờ duyệt", "Waiting"),
    }
}

/// One program, with its evidence.
#[component]
fn ProgramItem(p: ProgramRow, #[prop(optional)] decide: bool, year: i32) -> impl IntoView {
    let id = p.id;
    view! {
        <li class="card" id=format!("chuong-trinh-{id}")>
            <h3>{p.title.clone()}</h3>
            <p><span class=format!("badge {}", p.status)>{status_label(&p.status)}</span>" "{p.school_name.clone()}</p>
            <dl class="facts">
                <dt>{tr("Mạch", "Track")}</dt><dd>{track_name(p.track)}</dd>
                <dt>{tr("Cấp học", "Levels")}</dt><dd>{p.levels.iter().map(|l| crate::level_name(*l)).collect::<Vec<_>>().join(", ")}</dd>
                <dt>{tr("Ngày tổ chức", "Held on")}</dt><dd>{p.held_on.clone()}</dd>
                <dt>{tr("Số người tham gia", "Participants")}</dt><dd>{p.participants}</dd>
                <dt>{tr("Sĩ số ở các cấp học này", "Enrolled at these levels")}</dt><dd>{p.enrolled.map(|n| n.to_string()).unwrap_or_else(|| tr("chưa có sĩ số", "no enrolment recorded").to_owned())}</dd>
                <dt>{tr("Người gửi", "Submitted by")}</dt><dd>{format!("{} · {}", p.submitted_by, p.submitted_at)}</dd>
                <dt>{tr("Minh chứng", "Evidence")}</dt>
                <dd>
                    {p.evidence_file.clone().map(|name| view! { <a href=format!("/chuong-trinh/{id}/minh-chung")>{name}</a>" " })}
                    {p.evidence_url.clone().map(|url| {
                        // The site only: a long address would run off a phone's screen.
                        let site = url.split("://").nth(1).and_then(|a| a.split(['/', '?', '#']).next()).unwrap_or(&url).trim_start_matches("www.").to_owned();
                        view! { <a href=url.clone() title=url rel="noopener noreferrer nofollow" target="_blank">{format!("{} {site}", tr("Liên kết tới", "Link to"))}</a> }
                    })}
                </dd>
                {p.decided_by.clone().map(|who| view! { <dt>{tr("Người xử lý", "Decided by")}</dt><dd>{format!("{who} · {}", p.decided_at.clone().unwrap_or_default())}</dd> })}
                {p.reason.clone().map(|r| view! { <dt>{tr("Lý do", "Reason")}</dt><dd>{r}</dd> })}
            </dl>
            {(decide && p.status == "cho-duyet").then(|| view! {
                <div class="inline-actions">
                    <form method="post" action=DecideProgram::url()>
                        <input type="hidden" name="program_id" value=id.to_string() />
                        <input type="hidden" name="year" value=year.to_string() />
                        <input type="hidden" name="decision" value="duyet" />
                        <button type="submit" class="button">{tr("Duyệt", "Approve")}</button>
                    </form>
                    <form method="post" action=DecideProgram::url() class="stack-form">
                        <input type="hidden" name="program_id" value=id.to_string() />
                        <input type="hidden" name="year" value=year.to_string() />
                        <input type="hidden" name="decision" value="tu-choi" />
                        <label for=format!("ly-do-{id}")>{tr("Lý do không duyệt", "Reason for rejecting")}</label>
                        <input type="text" id=format!("ly-do-{id}") name="reason" required minlength="5" />
                        <button type="submit" class="button secondary">{tr("Không duyệt", "Reject")}</button>
                    </form>
                </div>
            })}
        </li>
    }
}

/// `/bao-cao/chuong-trinh`
#[component]
pub fn ProgramQueuePage() -> impl IntoView {
    let data = Resource::new(move || (), move |_| get_program_queue(year_query()));
    let title = tr(
        "Hoạt động trực tiếp của các trường",
        "Schools' offline programs",
    );
    view! {
        <Title text=title />
        <h1>{title}</h1>
        {signed_query("loi-chi-tiet").map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
        {query("xong").map(|_| view! { <p class="notice" role="status">{tr("Đã ghi nhận quyết định.", "Decision recorded.")}</p> })}
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(q) => {
                        let year = q.school_year;
                        view! {
                            <YearPicker action="/bao-cao/chuong-trinh".to_owned() years=q.years.clone() selected=year />
                            <h2>{format!("{} ({})", tr("Chờ duyệt", "Waiting"), q.pending.len())}</h2>
                            {q.pending.is_empty().then(|| view! { <p>{tr("Không có hoạt động nào chờ duyệt.", "Nothing is waiting.")}</p> })}
                            <ul class="cards">{q.pending.into_iter().map(|p| view! { <ProgramItem p decide=true year /> }).collect_view()}</ul>
                            <h2>{format!("{} ({})", tr("Đã xử lý", "Decided"), q.decided.len())}</h2>
                            <ul class="cards">{q.decided.into_iter().map(|p| view! { <ProgramItem p year /> }).collect_view()}</ul>
                            <p><a href=format!("/bao-cao?nam={year}")>{tr("← Về báo cáo", "← Back to the report")}</a></p>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/truong/:id/tham-gia`
#[component]
pub fn SchoolCoveragePage() -> impl IntoView {
    let id = crate::components::param("id").unwrap_or(0);
    let data = Resource::new(move || (), move |_| get_school_coverage(id, year_query()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match data.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(v) => school_body(v).into_any(),
                }
            })}
        </Suspense>
    }
}

fn school_body(v: SchoolCoverageView) -> impl IntoView {
    let sid = v.school_id;
    let year = v.school_year;
    let title = format!(
        "{} — {} {}",
        v.school_name,
        tr("tham gia năm học", "participation"),
        v.label
    );
    let levels = v.levels.clone();
    let this_label = v.label.clone();
    let last_label = crate::i18n::school_year_label(v.school_year - 1);
    let level_sections = levels
        .into_iter()
        .map(|l| {
            view! {
                <section>
                    <h2>{format!("{} {} · {} {} · {} {}", tr("Cấp", "Level"), crate::level_name(l.level), tr("sĩ số", "enrolled"), l.enrolled, tr("cần đạt", "needed"), l.required)}</h2>
                    {(!l.merged.is_empty()).then(|| view! { <p class="muted">{format!("{} {}", tr("Gồm cả trường đã sáp nhập:", "Includes merged schools:"), l.merged.join(", "))}</p> })}
                    <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                        <thead><tr>
                            <th scope="col">{tr("Mạch", "Track")}</th>
                            <th scope="col">{format!("{} {}", tr("Tham gia", "Took part"), this_label)}</th>
                            <th scope="col">{format!("{} {}", tr("Tham gia", "Took part"), last_label)}</th>
                            <th scope="col">{tr("Tỷ lệ", "Rate")}</th>
                            <th scope="col">{tr("Hoạt động trực tiếp được duyệt", "Approved offline programs")}</th>
                            <th scope="col">{tr("Tình trạng", "Status")}</th>
                        </tr></thead>
                        <tbody>{l.tracks.into_iter().map(|t| view! {
                            <tr class=if t.covered { "ok" } else { "" }>
                                <th scope="row"><abbr title=track_name(t.track)>{tr_track_short(t.track)}</abbr></th>
                                <td>{t.participants}</td>
                                <td>{t.last_year}</td>
                                <td>{t.rate_permille.map(percent).unwrap_or_else(|| "—".to_owned())}</td>
                                <td>{t.approved_programs}</td>
                                <td>{t.lacks.text(crate::use_locale())}</td>
                            </tr>
                        }).collect_view()}</tbody>
                    </table></div>
                </section>
            }
        })
        .collect_view();
    let classes = v.classes.clone();
    let activities = v.activities.clone();
    let grades = v.grades.clone();
    let grade_this = v.label.clone();
    let grade_last = crate::i18n::school_year_label(v.school_year - 1);
    let not_yet = v.not_yet.clone();
    let programs = v.programs.clone();
    let problem = signed_query("loi-chi-tiet");
    let form = v.can_log_programs.then(|| {
        let f = |name: &'static str| query(name).unwrap_or_default();
        view! {
            <h3>{tr("Gửi hoạt động trực tiếp để Sở duyệt", "Log an offline program for approval")}</h3>
            <form method="post" action=format!("/truong/{sid}/chuong-trinh") enctype="multipart/form-data" class="stack-form">
                <label for="track">{tr("Mạch", "Track")}</label>
                <select id="track" name="track" required>
                    <option value="A" selected=f("noi-dung") != "B">{track_name(Track::A)}</option>
                    <option value="B" selected=f("noi-dung") == "B">{track_name(Track::B)}</option>
                </select>
                <fieldset>
                    <legend>{tr("Cấp học tham gia", "Levels")}</legend>
                    {v.levels.iter().map(|l| view! {
                        <label class="check"><input type="checkbox" name="level" value=l.level.code() checked=true />{crate::level_name(l.level)}</label>
                    }).collect_view()}
                </fieldset>
                <label for="title">{tr("Tên hoạt động", "Title")}</label>
                <input type="text" id="title" name="title" required minlength="5" maxlength="200" value=f("ten") />
                <label for="held_on">{tr("Ngày tổ chức", "Held on")}</label>
                <input type="date" id="held_on" name="held_on" required value=f("ngay") />
                <label for="participants">{tr("Số người tham gia", "Participants")}</label>
                <input type="number" id="participants" name="participants" min="1" max="100000" required value=f("so") />
                <label for="evidence_url">{tr("Đường dẫn minh chứng (bài đăng trên cổng thông tin của trường…)", "Evidence link")}</label>
                <input type="url" id="evidence_url" name="evidence_url" value=f("lien-ket") />
                <label for="file">{tr("Hoặc tệp minh chứng (PDF, JPG, PNG, DOCX; tối đa 5 MB)", "Or an evidence file (PDF, JPG, PNG, DOCX; 5 MB at most)")}</label>
                <input type="file" id="file" name="file" accept=".pdf,.jpg,.jpeg,.png,.docx" />
                <button type="submit" class="button">{tr("Gửi", "Submit")}</button>
            </form>
        }
    });
    view! {
        <Title text=title.clone() />
        <h1>{title}</h1>
        <p class="muted">{format!("{} {}", tr("Lập lúc", "Generated"), v.generated_at)}</p>
        <YearPicker action=format!("/truong/{sid}/tham-gia") years=v.years.clone() selected=year />
        <p class="inline-actions no-print">
            <a href=format!("/truong/{sid}")>{tr("← Trang trường", "← School page")}</a>
        </p>
        <details class="rule"><summary>{tr("Cách tính", "How it is counted")}</summary><p>{v.rule.text.clone()}</p></details>
        {level_sections}
        <h2>{format!("{} {}", tr("Theo lớp, năm học", "By class, school year"), v.label)}</h2>
        {if classes.is_empty() {
            view! { <p class="muted">{tr("Trường không có lớp nào trong năm học này trên hệ thống.", "No classes in this school year.")}</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                    <thead><tr><th scope="col">{tr("Lớp", "Class")}</th><th scope="col">{tr("Sĩ số có tài khoản", "Pupils with accounts")}</th><th scope="col">{tr("Mạch A", "Track A")}</th><th scope="col">{tr("Mạch B", "Track B")}</th></tr></thead>
                    <tbody>{classes.into_iter().map(|c| view! {
                        <tr><th scope="row">{c.name}</th><td>{c.members}</td><td>{c.track_a}</td><td>{c.track_b}</td></tr>
                    }).collect_view()}</tbody>
                </table></div>
            }.into_any()
        }}
        {(!activities.is_empty()).then(|| view! {
            <h2>{tr("Theo hoạt động", "By activity")}</h2>
            <p class="muted">{tr("Mỗi học sinh được tính ở hoạt động đầu tiên đưa em vào số tham gia của mạch đó trong năm học.", "Each pupil counts under the first activity that made them a participant in the track this year.")}</p>
            <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                <thead><tr><th scope="col">{tr("Hoạt động", "Activity")}</th><th scope="col">{tr("Mạch A", "Track A")}</th><th scope="col">{tr("Mạch B", "Track B")}</th></tr></thead>
                <tbody>{activities.into_iter().map(|a| view! {
                    <tr><th scope="row">{a.label()}</th><td>{a.track_a}</td><td>{a.track_b}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
        })}
        {(!grades.is_empty()).then(|| view! {
            <h2>{format!("{} {} {} {}", tr("Theo khối: năm học", "By grade: school year"), grade_this, tr("so với", "against"), grade_last)}</h2>
            <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")><table>
                <thead><tr><th scope="col">{tr("Khối", "Grade")}</th><th scope="col">{format!("A {grade_this}")}</th><th scope="col">{format!("A {grade_last}")}</th><th scope="col">{format!("B {grade_this}")}</th><th scope="col">{format!("B {grade_last}")}</th></tr></thead>
                <tbody>{grades.into_iter().map(|g| view! {
                    <tr><th scope="row">{g.grade.map(|n| n.to_string()).unwrap_or_else(|| tr("Không thuộc lớp nào khi tham gia", "In no class when taking part").to_owned())}</th><td>{g.this_a}</td><td>{g.last_a}</td><td>{g.this_b}</td><td>{g.last_b}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
        })}
        {not_yet.map(|list| view! {
            <h2>{tr("Học sinh chưa tham gia", "Pupils who have not taken part yet")}</h2>
            <p class="muted">{tr("Chỉ giáo viên và hiệu trưởng của trường xem được danh sách này.", "Only the school's teachers and principal see this list.")}</p>
            {if list.is_empty() {
                view! { <p>{tr("Mọi học sinh đã tham gia cả hai mạch nội dung.", "Every pupil has taken part in both tracks.")}</p> }.into_any()
            } else {
                view! { <ul>{list.into_iter().map(|c| view! {
                    <li><details><summary>{format!("{} {} · {} {}: {} {}", tr("Lớp", "Class"), c.class_name, tr("mạch", "track"), c.track.code(), c.names.len(), tr("học sinh", "pupils"))}</summary><p>{c.names.join(", ")}</p></details></li>
                }).collect_view()}</ul> }.into_any()
            }}
        })}
        <h2 id="chuong-trinh">{tr("Hoạt động trực tiếp", "Offline programs")}</h2>
        {problem.map(|p| view! { <p class="notice error" role="alert">{p}</p> })}
        {query("xong").map(|_| view! { <p class="notice" role="status">{tr("Đã gửi hoạt động; Sở GD&ĐT sẽ xem xét.", "Submitted; the department will review it.")}</p> })}
        {if programs.is_empty() {
            view! { <p class="muted">{tr("Chưa có hoạt động trực tiếp nào trong năm học này.", "No offline programs this year.")}</p> }.into_any()
        } else {
            view! { <ul class="cards">{programs.into_iter().map(|p| view! { <ProgramItem p year /> }).collect_view()}</ul> }.into_any()
        }}
        {form}
    }
}
