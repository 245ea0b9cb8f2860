//! Teachers' quiz pages: a school's quizzes (`/truong/:id/de`) and one quiz with the bank search
//! (`/de/:id`). Plain forms (the search is a GET form): everything works without JavaScript.

use crate::classroom::api::*;
use crate::classroom::types::*;
use crate::components::{ConfirmButton, ErrorMessage, FormError, param, query};
use crate::tr;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::Title;

/// `/truong/:id/de`: the quizzes a teacher wrote and those colleagues share; a new one.
#[component]
pub fn QuizListPage() -> impl IntoView {
    let school_id = param("id").unwrap_or(0);
    let list = Resource::new(move || school_id, get_quizzes);
    let deleted = query("xong").is_some();
    let title = tr("Đề kiểm tra của giáo viên", "Teachers' quizzes");
    view! {
        <Title text=title />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match list.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(l) => view! {
                        <p><a href=format!("/truong/{}", l.school_id)>{format!("← {}", l.school_name)}</a></p>
                        <h1>{title}</h1>
                        {deleted.then(|| view! { <p class="notice" role="status">{tr("Đã xóa đề.", "The quiz was deleted.")}</p> })}
                        <p>{tr("Thầy cô chọn câu hỏi từ ngân hàng câu hỏi chính thức để tạo đề riêng, chia sẻ với giáo viên cùng trường và giao cho lớp (ở trang lớp, “Giao bài mới”). Đề của giáo viên không bao giờ được dùng trong vòng thi.", "Pick questions from the official bank to build your own quiz, share it with your school's teachers and set it for a class (on the class page, “Set new work”). Teachers' quizzes are never used in contest rounds.")}</p>
                        <FormError />
                        <form method="post" action=CreateQuiz::url() class="stack-form">
                            <input type="hidden" name="school_id" value=l.school_id />
                            <label for="quiz-title">{tr("Tên đề mới", "New quiz's name")}</label>
                            <input id="quiz-title" name="title" type="text" required maxlength="120" placeholder=tr("Ví dụ: Kiểm tra 15 phút — Lừa đảo trực tuyến", "e.g. 15-minute check — online scams") />
                            <button type="submit">{tr("Tạo đề", "Create")}</button>
                        </form>
                        <h2>{tr("Đề của tôi", "My quizzes")}</h2>
                        <QuizTable list=l.mine empty=tr("Thầy cô chưa tạo đề nào.", "You have no quizzes yet.") />
                        <h2>{tr("Đề giáo viên cùng trường chia sẻ", "Shared by colleagues")}</h2>
                        <QuizTable list=l.shared empty=tr("Chưa có đề nào được chia sẻ.", "Nothing shared yet.") />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn QuizTable(list: Vec<QuizSummary>, empty: &'static str) -> impl IntoView {
    if list.is_empty() {
        return view! { <p class="muted">{empty}</p> }.into_any();
    }
    view! {
        <div class="table-wrap" tabindex="0" role="region" aria-label=tr("Danh sách đề", "Quizzes")><table>
            <thead><tr>
                <th scope="col">{tr("Đề", "Quiz")}</th>
                <th scope="col">{tr("Số câu", "Questions")}</th>
                <th scope="col">{tr("Người tạo", "Author")}</th>
                <th scope="col">{tr("Trạng thái", "State")}</th>
            </tr></thead>
            <tbody>
                {list.into_iter().map(|q| view! {
                    <tr>
                        <td><a href=format!("/de/{}", q.id)>{q.title}</a></td>
                        <td>{q.questions}</td>
                        <td>{q.author}</td>
                        <td>{match (q.used, q.shared) {
                            (true, true) => tr("Đã giao · đang chia sẻ", "Set · shared"),
                            (true, false) => tr("Đã giao", "Set"),
                            (false, true) => tr("Đang soạn · đang chia sẻ", "Draft · shared"),
                            (false, false) => tr("Đang soạn", "Draft"),
                        }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table></div>
    }
    .into_any()
}

/// The search as it came in the address.
fn filter_from_query() -> BankFilter {
    BankFilter {
        track: query("mach").unwrap_or_default(),
        topic: query("chu-de").unwrap_or_default(),
        level: query("cap").unwrap_or_default(),
        difficulty: query("do-kho").unwrap_or_default(),
        text: query("tim").unwrap_or_default(),
    }
}

/// The same search as a query string (for the forms to come back to it).
fn filter_query(f: &BankFilter) -> String {
    let pairs = [
        ("mach", &f.track),
        ("chu-de", &f.topic),
        ("cap", &f.level),
        ("do-kho", &f.difficulty),
        ("tim", &f.text),
    ];
    pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

fn percent_encode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[component]
fn QuestionCard(q: BankQuestion, n: Option<usize>) -> impl IntoView {
    let key_tag = if q.signs {
        tr("đáng ngờ", "suspicious")
    } else {
        tr("đáp án", "key")
    };
    view! {
        <p>
            {n.map(|n| view! { <strong>{format!("{} {n}. ", tr("Câu", "Question"))}</strong> })}
            {q.stem}
        </p>
        <ul class="result-options">
            {q.options.into_iter().map(|(letter, text, key)| view! {
                <li>{format!("{letter}. {text}")}{key.then(|| view! { <span class="tag tag-correct">{key_tag}</span> })}</li>
            }).collect_view()}
        </ul>
        <p class="meta">{format!("{} · {} {} · {}", q.question_id, tr("độ khó", "difficulty"), q.difficulty, q.levels)}</p>
    }
}

/// `/de/:id`: a quiz's questions (with their keys: teachers only); for its author while it has
/// not been set, removing and ordering questions and adding from the bank.
#[component]
pub fn QuizPage() -> impl IntoView {
    let id = param("id").unwrap_or(0);
    let filter = filter_from_query();
    let quiz = Resource::new(
        move || (id, filter.clone()),
        |(id, filter)| get_quiz(id, filter),
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match quiz.await {
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    Ok(v) => {
                        let qid = v.id;
                        let back = filter_query(&v.filter);
                        let editable = v.editable;
                        let count = v.questions.len();
                        view! {
                            <Title text=v.title.clone() />
                            <p><a href=format!("/truong/{}/de", v.school_id)>{tr("← Các đề của trường", "← The school's quizzes")}</a></p>
                            <h1>{v.title.clone()}</h1>
                            <p class="muted">{format!("{} {} · {} {}", tr("Người tạo:", "By"), v.author, count, tr("câu", "questions"))}</p>
                            <FormError />
                            {v.used.then(|| view! { <p class="notice">{tr("Đề đã được giao cho lớp nên câu hỏi được giữ nguyên như học sinh đã làm. Muốn sửa, hãy sao chép đề.", "This quiz has been set, so its questions stay as pupils saw them. Copy it to make changes.")}</p> })}
                            <div class="inline-actions">
                                <form method="post" action=CopyQuiz::url() class="inline-form">
                                    <input type="hidden" name="id" value=qid />
                                    <button type="submit" class="button secondary">{tr("Sao chép đề", "Copy")}</button>
                                </form>
                                {v.mine.then(|| view! {
                                    <form method="post" action=EditQuiz::url() class="inline-form">
                                        <input type="hidden" name="id" value=qid />
                                        <button type="submit" name="action" value=if v.shared { "thoi-chia-se" } else { "chia-se" } class="button secondary">
                                            {if v.shared { tr("Thôi chia sẻ", "Stop sharing") } else { tr("Chia sẻ với giáo viên cùng trường", "Share with the school's teachers") }}
                                        </button>
                                    </form>
                                })}
                            </div>
                            <p class="hint">{tr("Để giao đề cho lớp: mở trang lớp, chọn “Giao bài mới” và chọn đề trong mục “Đề của thầy cô”.", "To set it: open the class page, “Set new work”, and pick it under “Your quizzes”.")}</p>
                            {editable.then(|| view! {
                                <form method="post" action=EditQuiz::url() class="stack-form">
                                    <input type="hidden" name="id" value=qid />
                                    <input type="hidden" name="action" value="doi-ten" />
                                    <label for="rename">{tr("Tên đề", "Name")}</label>
                                    <input id="rename" name="title" type="text" required maxlength="120" value=v.title.clone() />
                                    <button type="submit" class="button secondary">{tr("Đổi tên", "Rename")}</button>
                                </form>
                            })}
                            <h2 id="cau-hoi">{format!("{} ({count})", tr("Câu hỏi trong đề", "Questions"))}</h2>
                            {if v.questions.is_empty() {
                                view! { <p class="muted">{tr("Đề chưa có câu nào. Tìm câu hỏi trong ngân hàng ở dưới rồi bấm “Thêm vào đề”.", "No questions yet. Search the bank below and press “Add”.")}</p> }.into_any()
                            } else {
                                let back = back.clone();
                                view! {
                                    <ol class="cards">
                                        {v.questions.into_iter().enumerate().map(|(i, q)| {
                                            let position = i as i32 + 1;
                                            let back = back.clone();
                                            view! {
                                                <li class="card">
                                                    <QuestionCard q n=Some(i + 1) />
                                                    {editable.then(|| view! {
                                                        <form method="post" action=EditQuiz::url() class="inline-actions">
                                                            <input type="hidden" name="id" value=qid />
                                                            <input type="hidden" name="position" value=position />
                                                            <input type="hidden" name="back" value=back />
                                                            {(position > 1).then(|| view! { <button type="submit" name="action" value="len" class="button secondary">{tr("Lên trên", "Move up")}<span class="visually-hidden">{format!(": {} {position}", tr("câu", "question"))}</span></button> })}
                                                            <button type="submit" name="action" value="xoa" class="button secondary">{tr("Bỏ khỏi đề", "Remove")}<span class="visually-hidden">{format!(": {} {position}", tr("câu", "question"))}</span></button>
                                                        </form>
                                                    })}
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ol>
                                }.into_any()
                            }}
                            {editable.then(|| {
                                let f = v.filter.clone();
                                let back = back.clone();
                                view! {
                                    <h2 id="ngan-hang">{tr("Thêm câu hỏi từ ngân hàng", "Add questions from the bank")}</h2>
                                    <form method="get" action=format!("/de/{qid}") class="stack-form" role="search">
                                        <label for="mach">{tr("Mạch", "Track")}</label>
                                        <select id="mach" name="mach">
                                            <option value="">{tr("Cả hai mạch", "Both")}</option>
                                            <option value="A" selected=f.track == "A">{tr("Mạch A: rủi ro trên mạng", "Track A")}</option>
                                            <option value="B" selected=f.track == "B">{tr("Mạch B: đọc hiểu phản biện", "Track B")}</option>
                                        </select>
                                        <label for="chu-de">{tr("Chủ đề", "Topic")}</label>
                                        <select id="chu-de" name="chu-de">
                                            <option value="">{tr("Mọi chủ đề", "Any")}</option>
                                            {v.topics.iter().map(|(slug, title)| view! { <option value=slug.clone() selected=*slug == f.topic>{title.clone()}</option> }).collect_view()}
                                        </select>
                                        <label for="cap">{tr("Cấp học", "Level")}</label>
                                        <select id="cap" name="cap">
                                            <option value="">{tr("Mọi cấp", "Any")}</option>
                                            <option value="THCS" selected=f.level == "THCS">"THCS"</option>
                                            <option value="THPT" selected=f.level == "THPT">"THPT"</option>
                                        </select>
                                        <label for="do-kho">{tr("Độ khó", "Difficulty")}</label>
                                        <select id="do-kho" name="do-kho">
                                            <option value="">{tr("Mọi mức", "Any")}</option>
                                            {["1", "2", "3"].into_iter().map(|d| view! { <option value=d selected=f.difficulty == d>{d}</option> }).collect_view()}
                                        </select>
                                        <label for="tim">{tr("Từ khóa trong câu hỏi", "Words in the question")}</label>
                                        <input id="tim" name="tim" type="search" maxlength="100" value=f.text.clone() />
                                        <button type="submit" class="button secondary">{tr("Tìm", "Search")}</button>
                                    </form>
                                    <p class="muted" role="status">{format!("{} {} {}", tr("Tìm thấy", "Found"), v.found_total, tr("câu chưa có trong đề", "questions not in the quiz"))}{(v.found_total as usize > v.found.len()).then(|| format!(" ({} {})", tr("hiện", "showing"), v.found.len()))}{(v.held_back > 0).then(|| format!("; {} {}", v.held_back, tr("câu đang dùng trong vòng thi đang mở không hiện ở đây", "questions used by an open contest round are not shown")))}"."</p>
                                    <ul class="cards">
                                        {v.found.into_iter().map(|q| {
                                            let back = back.clone();
                                            let question_id = q.question_id.clone();
                                            view! {
                                                <li class="card">
                                                    <QuestionCard q n=None />
                                                    <form method="post" action=EditQuiz::url()>
                                                        <input type="hidden" name="id" value=qid />
                                                        <input type="hidden" name="action" value="them" />
                                                        <input type="hidden" name="question" value=question_id.clone() />
                                                        <input type="hidden" name="back" value=back />
                                                        <button type="submit" class="button">{tr("Thêm vào đề", "Add")}<span class="visually-hidden">{format!(": {question_id}")}</span></button>
                                                    </form>
                                                </li>
                                            }
                                        }).collect_view()}
                                    </ul>
                                    <h2 class="no-print">{tr("Xóa đề", "Delete")}</h2>
                                    <form method="post" action=EditQuiz::url() class="no-print">
                                        <input type="hidden" name="id" value=qid />
                                        <input type="hidden" name="action" value="xoa-de" />
                                        <ConfirmButton
                                            label=tr("Xóa đề này", "Delete this quiz").to_owned()
                                            warning=tr("Đề chưa được giao nên có thể xóa hẳn.", "It was never set, so it can be deleted.").to_owned()
                                            confirm=tr("Xác nhận xóa đề", "Confirm: delete").to_owned()
                                        />
                                    </form>
                                }
                            })}
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}
