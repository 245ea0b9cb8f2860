//! Assignment pages: setting work (`/lop/:id/giao-bai`), the teacher's report
//! (`/giao-bai/:id?lop=`), the printable list of pupils still to do it (`/giao-bai/:id/chua-lam`),
//! a class's list of work, and "Bài được giao" on a pupil's pages. Plain forms: everything works
//! without JavaScript.

use crate::classroom::api::*;
use crate::classroom::types::*;
use crate::components::{ErrorMessage, FormError, param, query};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// The `lop` query parameter (a class id).
fn class_query() -> i32 {
    query("lop").and_then(|v| v.parse().ok()).unwrap_or(0)
}

/// "Bài được giao": the work set for the signed-in pupil's class, with a button to do each.
/// Renders nothing for anyone without work set (visitors, staff), unless `always` is set.
#[component]
pub fn AssignedWorkList(#[prop(optional)] always: bool) -> impl IntoView {
    let list = Resource::new(|| (), |_| my_assignments());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(list) if list.is_empty() && !always => ().into_any(),
                    Ok(list) => view! {
                        <section class="assigned" aria-labelledby="bai-duoc-giao">
                            <h2 id="bai-duoc-giao">{tr("Bài được giao", "Work set for you")}</h2>
                            {list.is_empty().then(|| view! { <p class="muted">{tr("Thầy cô chưa giao bài nào cho lớp em.", "Your teachers have not set any work yet.")}</p> })}
                            <ul class="cards">
                                {list.into_iter().map(|a| view! { <AssignedCard a /> }).collect_view()}
                            </ul>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn AssignedCard(a: AssignedToMe) -> impl IntoView {
    let state_class = format!(
        "badge{}",
        if a.standing.is_done() {
            " badge-done"
        } else if a.overdue {
            " badge-late"
        } else {
            ""
        }
    );
    let due = if a.overdue && !a.standing.is_done() {
        format!(
            "{} {} ({})",
            tr("Hạn nộp:", "Due:"),
            a.due_at,
            tr(
                "đã quá hạn, em vẫn có thể làm",
                "overdue, you can still do it"
            )
        )
    } else {
        format!("{} {}", tr("Hạn nộp:", "Due:"), a.due_at)
    };
    let action = match a.standing {
        PupilStanding::NotOpenYet => view! { <p class="muted">{format!("{} {}", tr("Mở lúc", "Opens"), a.opens_at)}</p> }.into_any(),
        PupilStanding::InProgress => view! {
            <a class="button" href=a.attempt_href.clone().unwrap_or_default()>{tr("Làm tiếp", "Continue")}<span class="visually-hidden">{format!(": {}", a.title)}</span></a>
        }.into_any(),
        standing => {
            let label = if standing.is_done() { tr("Làm lại", "Try again") } else { tr("Làm bài", "Start") };
            let secondary = standing.is_done();
            view! {
                <form method="post" action=StartAssignment::url() class="inline-form">
                    <input type="hidden" name="id" value=a.id />
                    <button type="submit" class=if secondary { "button secondary" } else { "button" }>{label}<span class="visually-hidden">{format!(": {}", a.title)}</span></button>
                </form>
                {(standing.is_done()).then(|| a.attempt_href.clone().map(|href| view! { <a href=href>{tr("Xem kết quả", "See the result")}</a> }))}
            }.into_any()
        }
    };
    view! {
        <li class="card assigned-card">
            <h3>{a.title.clone()}</h3>
            <p>
                <span class=state_class>{a.standing.label()}</span>
                {a.best.map(|b| format!(" {} {b}", tr("· Điểm cao nhất:", "· Best:")))}
            </p>
            <p class="meta">{due}</p>
            {(!a.note.is_empty()).then(|| view! { <p>{format!("{} {}", tr("Lời dặn:", "Note:"), a.note)}</p> })}
            <div class="card-actions">
                {a.lesson_href.map(|href| view! { <a class="button secondary" href=href>{tr("Đọc bài học", "Read the lesson")}</a> })}
                {action}
            </div>
        </li>
    }
}

/// The work set for a class, on the class's page.
#[component]
pub fn ClassAssignments(class_id: i32) -> impl IntoView {
    let list = Resource::new(move || class_id, get_class_assignments);
    view! {
        <h2 id="bai-duoc-giao">{tr("Bài được giao", "Assignments")}</h2>
        <p><a class="button" href=format!("/lop/{class_id}/giao-bai")>{tr("Giao bài mới", "Set new work")}</a></p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted">{tr("Lớp chưa có bài nào được giao.", "No work set for this class yet.")}</p> }.into_any(),
                    Ok(list) => view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label=tr("Bài được giao", "Assignments")><table>
                            <thead><tr>
                                <th scope="col">{tr("Bài", "Work")}</th>
                                <th scope="col">{tr("Hạn nộp", "Due")}</th>
                                <th scope="col">{tr("Đã nộp", "Handed in")}</th>
                            </tr></thead>
                            <tbody>
                                {list.into_iter().map(|a| view! {
                                    <tr>
                                        <td><a href=format!("/giao-bai/{}?lop={class_id}", a.id)>{a.title}</a></td>
                                        <td>{a.due_at}{a.overdue.then(|| format!(" ({})", tr("đã hết hạn", "past due")))}</td>
                                        <td>{format!("{}/{}", a.done, a.pupils)}</td>
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

/// `/lop/:id/giao-bai`: set work for this class (and others of the school).
#[component]
pub fn NewAssignmentPage() -> impl IntoView {
    let class_id = param("id").unwrap_or(0);
    let form = Resource::new(move || class_id, get_assignment_form);
    let title = tr("Giao bài", "Set work");
    view! {
        <Title text=title />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match form.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(f) => view! {
                        <p><a href=format!("/lop/{}", f.from_class)>{tr("← Về trang lớp", "← Back to the class")}</a></p>
                        <h1>{title}</h1>
                        <p class="muted">{f.school_name.clone()}</p>
                        <FormError />
                        <form method="post" action=CreateAssignment::url() class="stack-form">
                            <input type="hidden" name="from_class" value=f.from_class />
                            <label for="work">{tr("Bài giao", "Work")}</label>
                            <select id="work" name="work" required>
                                <option value="">{tr("— Chọn bài học hoặc chủ đề —", "— Choose a lesson or topic —")}</option>
                                {f.groups.into_iter().map(|g| view! {
                                    <optgroup label=g.label>
                                        {g.choices.into_iter().map(|(code, label)| view! { <option value=code>{label}</option> }).collect_view()}
                                    </optgroup>
                                }).collect_view()}
                            </select>
                            <p class="hint">{tr("Học sinh đọc bài học rồi làm bài kiểm tra 10 câu của chủ đề; hoặc chỉ làm bài luyện tập của chủ đề. Câu hỏi được rút theo cấp học của lớp.", "Pupils read the lesson, then take the topic's 10-question quiz; or only the topic's practice. Questions are drawn for the class's level.")}</p>
                            <fieldset>
                                <legend>{tr("Giao cho lớp", "For classes")}</legend>
                                {f.classes.into_iter().map(|c| view! {
                                    <label class="check">
                                        <input type="checkbox" name=format!("class[{}]", c.id) value=c.id checked=c.checked />
                                        {format!("{} ({} {})", c.name, c.pupils, tr("học sinh", "pupils"))}
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <label for="opens_at">{tr("Mở lúc (giờ Việt Nam)", "Opens (Vietnam time)")}</label>
                            <input id="opens_at" name="opens_at" type="datetime-local" required value=f.opens_at />
                            <label for="due_at">{tr("Hạn nộp (giờ Việt Nam)", "Due (Vietnam time)")}</label>
                            <input id="due_at" name="due_at" type="datetime-local" required value=f.due_at />
                            <label for="note">{tr("Lời dặn học sinh (không bắt buộc)", "Note to pupils (optional)")}</label>
                            <textarea id="note" name="note" maxlength="500" rows="3"></textarea>
                            <button type="submit">{tr("Giao bài", "Set work")}</button>
                        </form>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn cell_text(cell: GridCell) -> (&'static str, &'static str, &'static str) {
    // (shown, class, spoken)
    match cell {
        GridCell::Right => ("✓", "cell-right", tr("đúng", "right")),
        GridCell::Wrong => ("✗", "cell-wrong", tr("sai", "wrong")),
        GridCell::Blank => ("–", "cell-blank", tr("bỏ trống", "blank")),
        GridCell::NotDrawn => (
            "",
            "cell-none",
            tr("không có trong đề của em", "not in this pupil's quiz"),
        ),
    }
}

/// `/giao-bai/:id?lop=<class>`: who has done the work, the pupil × question grid, the
/// questions most missed, downloads and withdrawing it.
#[component]
pub fn AssignmentReportPage() -> impl IntoView {
    let id = param("id").unwrap_or(0);
    let class_id = class_query();
    let report = Resource::new(
        move || (id, class_id),
        |(id, class_id)| get_assignment_report(id, class_id),
    );
    let set = query("xong").is_some();
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match report.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(r) => {
                        let title = format!("{} · {} {}", r.title, tr("Lớp", "Class"), r.class_name);
                        let (aid, cid) = (r.id, r.class_id);
                        let pupils = r.rows.len();
                        let columns = r.questions.len();
                        let missed: Vec<QuestionSummary> = r.most_missed.iter().filter_map(|c| r.questions.get(*c as usize - 1).cloned()).collect();
                        view! {
                            <Title text=title.clone() />
                            <p><a href=format!("/lop/{cid}#bai-duoc-giao")>{format!("{} {}", tr("← Về trang lớp", "← Back to class"), r.class_name)}</a></p>
                            <h1>{r.title.clone()}</h1>
                            {set.then(|| view! { <p class="notice" role="status">{tr("Đã giao bài. Học sinh thấy bài ở mục “Bài được giao” khi đăng nhập.", "Work set. Pupils see it under “Work set for you” when they sign in.")}</p> })}
                            {r.withdrawn.then(|| view! { <p class="notice error">{tr("Bài này đã được thu hồi.", "This work was withdrawn.")}</p> })}
                            <dl class="facts">
                                <dt>{tr("Lớp", "Class")}</dt><dd>{r.class_name.clone()}</dd>
                                <dt>{tr("Mở lúc", "Opens")}</dt><dd>{r.opens_at.clone()}</dd>
                                <dt>{tr("Hạn nộp", "Due")}</dt><dd>{r.due_at.clone()}</dd>
                                <dt>{tr("Đã nộp", "Handed in")}</dt><dd>{format!("{}/{}", r.done, pupils)}</dd>
                                {(!r.note.is_empty()).then(|| view! { <dt>{tr("Lời dặn", "Note")}</dt><dd>{r.note.clone()}</dd> })}
                            </dl>
                            {r.lesson_href.clone().map(|href| view! { <p><a href=href>{tr("Xem bài học", "See the lesson")}</a></p> })}
                            {(r.classes.len() > 1).then(|| view! {
                                <nav aria-label=tr("Các lớp được giao", "Classes")><p class="inline-actions">
                                    {r.classes.iter().map(|(id, name)| view! {
                                        <a href=format!("/giao-bai/{aid}?lop={id}") aria-current=(*id == cid).then_some("page")>{format!("{} {name}", tr("Lớp", "Class"))}</a>
                                    }).collect_view()}
                                </p></nav>
                            })}
                            <p class="inline-actions no-print">
                                <a class="button secondary" href=format!("/giao-bai/{aid}/ket-qua.xlsx?lop={cid}") download>{tr("Tải kết quả (Excel)", "Download (Excel)")}</a>
                                <a class="button secondary" href=format!("/giao-bai/{aid}/ket-qua.csv?lop={cid}") download>{tr("Tải kết quả (CSV)", "Download (CSV)")}</a>
                                <a class="button secondary" href=format!("/giao-bai/{aid}/chua-lam?lop={cid}")>{tr("In danh sách chưa nộp", "Print who has not handed in")}</a>
                            </p>
                            <h2>{tr("Học sinh", "Pupils")}</h2>
                            <div class="table-wrap" tabindex="0" role="region" aria-label=tr("Kết quả từng học sinh (trên điện thoại, vuốt ngang để xem hết)", "Each pupil's result (on a phone, swipe sideways)")><table class="grid-table">
                                <thead><tr>
                                    <th scope="col">{tr("Họ và tên", "Name")}</th>
                                    <th scope="col">{tr("Trạng thái", "Status")}</th>
                                    <th scope="col">{tr("Điểm", "Points")}</th>
                                    <th scope="col">{tr("Lượt", "Tries")}</th>
                                    {(1..=columns).map(|c| view! { <th scope="col"><abbr title=format!("{} {c}", tr("Câu", "Question"))>{format!("C{c}")}</abbr></th> }).collect_view()}
                                </tr></thead>
                                <tbody>
                                    {r.rows.into_iter().map(|row| view! {
                                        <tr>
                                            <th scope="row">{row.full_name.clone()}</th>
                                            <td>{row.standing.label()}</td>
                                            <td>{row.points.clone().unwrap_or_default()}</td>
                                            <td>{row.attempts}</td>
                                            {row.cells.iter().enumerate().map(|(i, cell)| {
                                                let (shown, class, spoken) = cell_text(*cell);
                                                view! { <td class=class><span aria-hidden="true">{shown}</span><span class="visually-hidden">{format!("{} {}: {spoken}", tr("Câu", "Question"), i + 1)}</span></td> }
                                            }).collect_view()}
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table></div>
                            <p class="hint">{tr("✓ đúng · ✗ sai · – bỏ trống · ô trống: câu không có trong đề của em (mỗi em được rút 10 câu của chủ đề). Điểm và các câu tính theo lượt làm tốt nhất.", "✓ right · ✗ wrong · – blank · empty: not in that pupil's quiz (each pupil draws 10 of the topic's questions). Points and answers are from the best try.")}</p>
                            <h2>{tr("Câu hỏi lớp sai nhiều nhất", "Questions the class missed most")}</h2>
                            {if missed.is_empty() {
                                view! { <p class="muted">{tr("Chưa có câu nào bị làm sai.", "No question was missed yet.")}</p> }.into_any()
                            } else {
                                view! {
                                    <ol class="review-list">
                                        {missed.into_iter().map(|q| view! {
                                            <li class="card">
                                                <p><strong>{format!("{} {} · ", tr("Câu", "Question"), q.column)}</strong>{format!("{}/{} {} ({}%)", q.right, q.shown, tr("em làm đúng", "right"), q.percent_right)}</p>
                                                <p>{q.stem.clone()}</p>
                                                {if q.held_back {
                                                    view! { <p class="muted">{tr("Câu này đang được dùng trong một vòng thi đang mở; đáp án và tỉ lệ chọn được hiện sau khi vòng thi đóng.", "An open contest round uses this question; its key is shown after the round closes.")}</p> }.into_any()
                                                } else {
                                                    view! {
                                                        <ul class="result-options">
                                                            {q.options.iter().map(|(letter, text, percent, key)| {
                                                                let tag = if q.signs { tr("đáng ngờ", "suspicious") } else { tr("đáp án", "key") };
                                                                view! {
                                                                    <li>{format!("{letter}. {text} — {percent}%")}{key.then(|| view! { <span class="tag tag-correct">{tag}</span> })}</li>
                                                                }
                                                            }).collect_view()}
                                                            {(q.blank_percent > 0).then(|| view! { <li class="muted">{format!("{} — {}%", tr("Bỏ trống", "Blank"), q.blank_percent)}</li> })}
                                                        </ul>
                                                    }.into_any()
                                                }}
                                            </li>
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            {(!r.withdrawn).then(|| view! {
                                <h2 class="no-print">{tr("Thu hồi bài", "Withdraw")}</h2>
                                <form method="post" action=WithdrawAssignment::url() class="no-print">
                                    <input type="hidden" name="id" value=aid />
                                    <input type="hidden" name="class_id" value=cid />
                                    <crate::components::ConfirmButton
                                        label=tr("Thu hồi bài này", "Withdraw this work").to_owned()
                                        warning=tr("Bài sẽ không còn hiện với học sinh của mọi lớp được giao. Bài các em đã làm vẫn được giữ.", "Pupils of every class set will no longer see it. Work already done is kept.").to_owned()
                                        confirm=tr("Xác nhận thu hồi", "Confirm: withdraw").to_owned()
                                    />
                                </form>
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/giao-bai/:id/chua-lam?lop=<class>`: a printable list of the pupils who have not handed the
/// work in yet.
#[component]
pub fn NotDonePage() -> impl IntoView {
    let id = param("id").unwrap_or(0);
    let class_id = class_query();
    let report = Resource::new(
        move || (id, class_id),
        |(id, class_id)| get_assignment_report(id, class_id),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match report.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(r) => {
                        let missing: Vec<ReportRow> = r.rows.into_iter().filter(|row| !row.standing.is_done()).collect();
                        let heading = format!("{} {} — {}", tr("Học sinh lớp", "Pupils of class"), r.class_name, tr("chưa nộp bài", "yet to hand in"));
                        view! {
                            <Title text=heading.clone() />
                            <p class="no-print"><a href=format!("/giao-bai/{}?lop={}", r.id, r.class_id)>{tr("← Về kết quả bài", "← Back to the report")}</a></p>
                            <h1>{heading}</h1>
                            <p>{format!("{}: {} · {} {}", tr("Bài", "Work"), r.title, tr("Hạn nộp", "Due"), r.due_at)}</p>
                            <p class="no-print muted">{tr("In trang này (Ctrl+P).", "Print this page (Ctrl+P).")}</p>
                            {if missing.is_empty() {
                                view! { <p class="notice">{tr("Tất cả học sinh đã nộp bài.", "Every pupil has handed it in.")}</p> }.into_any()
                            } else {
                                view! {
                                    <table>
                                        <thead><tr>
                                            <th scope="col">{tr("STT", "No.")}</th>
                                            <th scope="col">{tr("Họ và tên", "Name")}</th>
                                            <th scope="col">{tr("Trạng thái", "Status")}</th>
                                        </tr></thead>
                                        <tbody>
                                            {missing.into_iter().enumerate().map(|(i, row)| view! {
                                                <tr><td>{i + 1}</td><td>{row.full_name}</td><td>{row.standing.label()}</td></tr>
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                }.into_any()
                            }}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
