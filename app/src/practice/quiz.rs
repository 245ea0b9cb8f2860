//! Practice: choosing what to practise, the quiz (one island that works as plain forms without
//! JavaScript and without page reloads with it), the result.

use crate::attempt::types::{
    AttemptOverview, Frame, MessageLayout, QuestionPage, QuizStep, ResultItem, ResultView, Segment,
};
use crate::codes::Track;
use crate::components::{ConfirmButton, ErrorMessage};
use crate::error::AppError;
use crate::home::StartPracticeButton;
use crate::i18n::points_text;
use crate::practice::api::{
    AnswerQuestion, SubmitAttempt, finish_attempt, get_overview, get_question, get_result,
    list_topics, record_answer, save_answer,
};
use crate::practice::lessons::TrackSection;
use crate::tr;
use crate::use_texts;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos::task::spawn_local;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/luyen-tap`
#[component]
pub fn PracticePage() -> impl IntoView {
    let t = use_texts();
    let topics = Resource::new(|| (), |_| list_topics());
    view! {
        <Title text=t.practice_title />
        <h1>{t.practice_title}</h1>
        <p class="lead">{t.practice_intro}</p>
        <crate::home::LevelSwitch />
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match topics.await {
                    Ok(topics) => view! {
                        <TrackSection track=Track::A topics=topics.clone() practice_only=true />
                        <TrackSection track=Track::B topics practice_only=true />
                    }.into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn attempt_param() -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let params = use_params_map();
    move || params.read().get("attempt").unwrap_or_default()
}

/// The canonical address of a step, so reloading or sharing the page lands on the same step.
#[cfg(feature = "hydrate")]
fn step_url(step: &QuizStep) -> String {
    match step {
        QuizStep::Question(p) => format!("/luyen-tap/{}/cau/{}", p.attempt_id, p.position),
        QuizStep::Review(o) => format!("/luyen-tap/{}/nop-bai", o.attempt_id),
        QuizStep::Result(r) => format!("/luyen-tap/{}/ket-qua", r.attempt_id),
    }
}

/// After a step changes without a page load: address bar, title, scroll, focus on the heading.
#[cfg(feature = "hydrate")]
fn after_step_change(url: &str, title: &str) {
    use leptos::wasm_bindgen::{JsCast, JsValue};
    let Some(window) = web_sys::window() else {
        return;
    };
    if let Ok(history) = window.history() {
        let _ = history.push_state_with_url(&JsValue::NULL, "", Some(url));
    }
    if let Some(document) = window.document() {
        document.set_title(&format!("{title} · Khiên Số"));
    }
    window.scroll_to_with_x_and_y(0.0, 0.0);
    request_animation_frame(|| {
        if let Some(heading) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id("step-heading"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        {
            let _ = heading.focus();
        }
    });
}

/// What a pupil is told after moving on without choosing anything.
fn skipped_text(position: u32) -> String {
    crate::tr(
        "Câu {n} chưa có phương án nào được chọn nên để trống. Em có thể quay lại trả lời trước khi nộp bài.",
        "Question {n} was left blank (nothing was chosen). You can go back to it before handing in.",
    )
    .replace("{n}", &position.to_string())
}

/// A warning-signs message as a phone shows it — a text message, a chat, an e-mail or a web page
/// with its address bar — with each part drawn by `part` (from its display position).
fn message_view(layout: &MessageLayout, part: &dyn Fn(usize) -> AnyView) -> AnyView {
    let line = |segments: &[Segment]| -> Vec<AnyView> {
        segments
            .iter()
            .map(|s| match s {
                Segment::Text(text) => text.clone().into_any(),
                Segment::Part(i) => part(*i),
            })
            .collect()
    };
    let (class, label, from) = match layout.frame {
        Frame::Sms => (
            "message message-sms",
            tr("Tin nhắn điện thoại", "Text message"),
            tr("Từ:", "From:"),
        ),
        Frame::Chat => (
            "message message-chat",
            tr("Tin nhắn trò chuyện", "Chat message"),
            tr("Người nhắn:", "From:"),
        ),
        Frame::Email => (
            "message message-email",
            tr("Thư điện tử", "E-mail"),
            tr("Từ:", "From:"),
        ),
        Frame::Web => (
            "message message-web",
            tr("Trang web", "Web page"),
            tr("Địa chỉ:", "Address:"),
        ),
    };
    let subject = (!layout.subject.is_empty()).then(|| {
        let subject = line(&layout.subject);
        view! { <p class="message-subject"><span class="message-label">{tr("Tiêu đề:", "Subject:")}</span>" "<strong>{subject}</strong></p> }
    });
    let sender = line(&layout.sender);
    let bubble = layout.frame == Frame::Chat;
    let body: Vec<AnyView> = layout
        .body
        .iter()
        .map(|paragraph| {
            let content = line(paragraph);
            view! { <p class:bubble=bubble>{content}</p> }.into_any()
        })
        .collect();
    view! {
        <figure class=class>
            <figcaption class="message-kind">{label}</figcaption>
            <div class="message-head">
                <p class="message-from"><span class="message-label">{from}</span>" "<strong>{sender}</strong></p>
                {subject}
            </div>
            <div class="message-body">{body}</div>
        </figure>
    }
    .into_any()
}

/// The bar and the words "Câu 3/10 · 2/10 đã trả lời".
#[component]
fn Progress(position: u32, total: u32, #[prop(into)] answered: Signal<u32>) -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="progress">
            <p class="progress-text">
                <strong>{format!("{} {position}/{total}", t.question)}</strong>
                {move || format!(" · {}/{total} {}", answered.get(), t.answered)}
            </p>
            <progress max=total value=move || answered.get() aria-label=t.progress_label>
                {move || format!("{}/{total}", answered.get())}
            </progress>
        </div>
    }
}

fn step_title(step: &QuizStep) -> String {
    let t = use_texts();
    match step {
        QuizStep::Question(p) => format!(
            "{} {}/{} · {}",
            t.question, p.position, p.total, p.scope_title
        ),
        QuizStep::Review(_) => t.review_title.to_owned(),
        QuizStep::Result(_) => t.result_title.to_owned(),
    }
}

/// The quiz from the first question to the result. Rendered on the server as plain forms (they
/// post and redirect without JavaScript); in the browser it saves each answer with a server
/// function and moves on without reloading the page.
#[island]
pub fn QuizRunner(
    start: QuizStep,
    /// A message to show from the start (the question before was left blank); islands have no
    /// router, so the page reads the address and passes it in.
    notice: Option<String>,
) -> impl IntoView {
    let locale = crate::detect_locale();
    provide_context(locale);
    let stage = RwSignal::new(start);
    let busy = RwSignal::new(false);
    let error = RwSignal::new(notice);
    // False in the server's HTML; true once the island runs in the browser.
    let ready = RwSignal::new(false);
    Effect::new(move |_| ready.set(true));
    let show = Callback::new(move |step: QuizStep| {
        #[cfg(feature = "hydrate")]
        after_step_change(&step_url(&step), &step_title(&step));
        stage.set(step);
    });
    let open = Callback::new(move |(attempt, position): (String, u32)| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match get_question(attempt, position).await {
                Ok(page) => show.run(QuizStep::Question(page)),
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    });
    #[cfg(feature = "hydrate")]
    {
        // Back and forward buttons: show the step the address now names.
        let handle = window_event_listener(leptos::ev::popstate, |_| {
            if let Some(window) = web_sys::window() {
                let _ = window.location().reload();
            }
        });
        on_cleanup(move || handle.remove());
    }
    view! {
        <div class="quiz" aria-busy=move || busy.get().to_string() data-ready=move || ready.get().to_string()>
            {move || match stage.get() {
                QuizStep::Question(page) => view! { <QuestionStep page busy error show open /> }.into_any(),
                QuizStep::Review(overview) => view! { <ReviewStep overview busy error show open /> }.into_any(),
                QuizStep::Result(result) => view! { <ResultBody result /> }.into_any(),
            }}
            <p class="notice error" role="alert" hidden=move || error.read().is_none()>
                {move || error.get()}
            </p>
        </div>
    }
}

#[component]
fn QuestionStep(
    page: QuestionPage,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    show: Callback<QuizStep>,
    open: Callback<(String, u32)>,
) -> impl IntoView {
    let t = use_texts();
    let input_type = if page.multiple { "checkbox" } else { "radio" };
    let hint = if page.layout.is_some() {
        tr(
            "Chạm vào từng phần em thấy đáng ngờ (hoặc đánh dấu ô trước phần đó); có thể chọn nhiều phần. Mỗi phần chọn nhầm sẽ trừ đi một phần chọn đúng.",
            "Tap each part you find suspicious (or tick the box before it); you may choose several. Each part chosen wrongly cancels one chosen rightly.",
        )
    } else if page.multiple {
        t.choose_all
    } else {
        t.choose_one
    };
    let last = page.position >= page.total;
    let multiple = page.multiple;
    let position = page.position;
    let selected = RwSignal::new(page.chosen.clone());
    #[cfg(feature = "hydrate")]
    {
        // Moving between questions reuses the same inputs: make their checked state match this
        // question's saved answer rather than whatever was clicked on the previous one.
        let chosen = page.chosen.clone();
        let count = page.options.len() as u32;
        Effect::new(move |_| {
            use leptos::wasm_bindgen::JsCast;
            let Some(document) = web_sys::window().and_then(|w| w.document()) else {
                return;
            };
            for i in 0..count {
                if let Some(input) = document
                    .get_element_by_id(&format!("option-{i}"))
                    .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    input.set_checked(chosen.contains(&i));
                }
            }
        });
    }
    let attempt = page.attempt_id.clone();
    // Each choice is saved at once; while offline the latest choice waits and is sent again every
    // few seconds, and the pupil sees which state the answer is in.
    let save_state = RwSignal::new(SaveState::Idle);
    // The count of answered questions follows an autosave of a question not answered before.
    let answered = RwSignal::new(page.answered);
    let was_answered = !page.chosen.is_empty();
    let answered_before = page.answered;
    Effect::new(move |_| {
        if save_state.get() == SaveState::Saved && !was_answered {
            answered.set(answered_before + 1);
        }
    });
    let autosave = {
        let attempt = attempt.clone();
        Callback::new(move |choices: Vec<u32>| {
            save_state.set(SaveState::Saving);
            send_answer(attempt.clone(), position, choices, save_state);
        })
    };
    // A choice (or a part of a message) ticked or unticked: saved at once.
    let toggle = move |i: u32, checked: bool| {
        selected.update(|s| {
            if !multiple {
                s.clear();
            }
            s.retain(|c| *c != i);
            if checked {
                s.push(i);
            }
        });
        let choices = selected.get_untracked();
        if !choices.is_empty() {
            autosave.run(choices);
        }
    };
    let on_submit = {
        let attempt = attempt.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let attempt = attempt.clone();
            let choices = selected.get_untracked();
            let skipped = choices.is_empty();
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                match save_answer(attempt, position, choices).await {
                    Ok(step) => {
                        show.run(step);
                        if skipped {
                            error.set(Some(skipped_text(position)));
                        }
                    }
                    Err(e) => error.set(Some(e.to_string())),
                }
                busy.set(false);
            });
        }
    };
    let prev = (position > 1).then(|| {
        let attempt = attempt.clone();
        let href = format!("/luyen-tap/{attempt}/cau/{}", position - 1);
        view! {
            <a class="button secondary" href=href on:click=move |ev| {
                ev.prevent_default();
                open.run((attempt.clone(), position - 1));
            }>{t.previous}</a>
        }
    });
    view! {
        <p class="eyebrow">{page.scope_title.clone()}</p>
        {page.seconds_left.map(|s| view! { <TimeLeft seconds=s /> })}
        <h1 id="step-heading" tabindex="-1" class="step-title">
            {format!("{} {}/{}", t.question, page.position, page.total)}
        </h1>
        <Progress position=page.position total=page.total answered=answered />
        <form action=AnswerQuestion::url() method="post" class="question-form" on:submit=on_submit>
            <input type="hidden" name="attempt" value=attempt.clone() />
            <input type="hidden" name="position" value=page.position />
            <fieldset aria-describedby="choice-hint">
                <legend lang="vi">{page.stem.clone()}</legend>
                <p class="hint" id="choice-hint">{hint}</p>
                {match page.layout.clone() {
                    Some(layout) => {
                        // The parts of the message, selected in place: a label per part (a tap
                        // toggles its checkbox, with or without JavaScript).
                        let options = page.options.clone();
                        let chosen = page.chosen.clone();
                        message_view(&layout, &move |i| {
                            let n = i as u32;
                            let id = format!("option-{n}");
                            let text = options.get(i).cloned().unwrap_or_default();
                            view! {
                                <span class="sign-part">
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        name=format!("choice[{n}]")
                                        value=n
                                        checked=chosen.contains(&n)
                                        on:change=move |ev| toggle(n, event_target_checked(&ev))
                                    />
                                    <label for=id lang="vi">{text}</label>
                                </span>
                            }.into_any()
                        })
                    }
                    None => view! {
                        <div class="options">
                            {page.options.iter().enumerate().map(|(i, text)| {
                                let i = i as u32;
                                let id = format!("option-{i}");
                                // A radio group shares one name; checkboxes each post their own.
                                let name = if multiple { format!("choice[{i}]") } else { "choice[0]".to_owned() };
                                view! {
                                    <div class="option">
                                        <input
                                            type=input_type
                                            id=id.clone()
                                            name=name
                                            value=i
                                            checked=page.chosen.contains(&i)
                                            on:change=move |ev| toggle(i, event_target_checked(&ev))
                                        />
                                        <label for=id lang="vi">{text.clone()}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    }.into_any(),
                }}
            </fieldset>
            <p class="autosave" role="status" aria-live="polite">{move || save_state.get().text()}</p>
            <div class="form-actions">
                <button type="submit" class="button" disabled=move || busy.get()>
                    {if last { t.save_and_review } else { t.save_and_next }}
                </button>
                {prev}
            </div>
        </form>
    }
}

#[component]
fn ReviewStep(
    overview: AttemptOverview,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    show: Callback<QuizStep>,
    open: Callback<(String, u32)>,
) -> impl IntoView {
    let t = use_texts();
    let total = overview.answered.len() as u32;
    let answered = overview.answered.iter().filter(|a| **a).count() as u32;
    let missing = total - answered;
    let attempt = overview.attempt_id.clone();
    let on_submit = {
        let attempt = attempt.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let attempt = attempt.clone();
            busy.set(true);
            error.set(None);
            spawn_local(async move {
                match finish_attempt(attempt).await {
                    Ok(result) => show.run(QuizStep::Result(result)),
                    Err(e) => error.set(Some(e.to_string())),
                }
                busy.set(false);
            });
        }
    };
    view! {
        <p class="eyebrow">{overview.scope_title.clone()}</p>
        {overview.seconds_left.map(|s| view! { <TimeLeft seconds=s /> })}
        <h1 id="step-heading" tabindex="-1">{t.review_title}</h1>
        <Progress position=total total answered />
        <p>{t.review_intro}</p>
        <p class=if missing == 0 { "notice" } else { "notice warning" }>
            {if missing == 0 { t.review_all_answered.to_owned() } else { format!("{} {missing}", t.review_unanswered) }}
        </p>
        <ol class="review-list">
            {overview.answered.iter().enumerate().map(|(i, done)| {
                let n = i as u32 + 1;
                let attempt = attempt.clone();
                view! {
                    <li>
                        <a href=format!("/luyen-tap/{attempt}/cau/{n}") on:click=move |ev| {
                            ev.prevent_default();
                            open.run((attempt.clone(), n));
                        }>{format!("{} {n}", t.question)}</a>
                        " — "
                        <span class=if *done { "status done" } else { "status missing" }>
                            {if *done { t.answered_mark } else { t.not_answered }}
                        </span>
                    </li>
                }
            }).collect_view()}
        </ol>
        <form action=SubmitAttempt::url() method="post" class="inline-form" on:submit=on_submit>
            <input type="hidden" name="attempt" value=attempt.clone() />
            {if missing == 0 {
                view! { <button type="submit" class="button" disabled=move || busy.get()>{t.submit}</button> }.into_any()
            } else {
                // Unanswered questions count as wrong: one tap must not hand the attempt in.
                view! {
                    <ConfirmButton
                        label=t.submit.to_owned()
                        warning=format!("{} {missing} {}", t.submit_with_missing_before, t.submit_with_missing_after).trim().to_owned()
                        confirm=t.submit_anyway.to_owned()
                    />
                }.into_any()
            }}
        </form>
    }
}

#[component]
fn ResultQuestion(item: ResultItem) -> impl IntoView {
    let t = use_texts();
    let verdict = if item.withheld_until.is_some() {
        t.key_withheld_short.to_owned()
    } else if item.is_correct {
        t.right.to_owned()
    } else if item.layout.is_some() {
        format!(
            "{} {}/1 {}",
            tr("Được", "Earned"),
            points_text(item.points),
            tr("điểm", "point")
        )
    } else {
        t.wrong.to_owned()
    };
    let class = if item.is_correct {
        "card result-item right"
    } else {
        "card result-item wrong"
    };
    view! {
        <li class=class>
            <h2 class="result-stem">
                <span class="question-number">{format!("{} {}. ", t.question, item.position)}</span>
                <span lang="vi">{item.stem.clone()}</span>
            </h2>
            <p class="verdict"><strong>{verdict}</strong></p>
            {match item.layout.clone() {
                Some(layout) => view! { <SignsReview item=item.clone() layout /> }.into_any(),
                None => view! {
                    <ul class="result-options">
                        {item.options.iter().enumerate().map(|(i, text)| {
                            let i = i as u32;
                            let chosen = item.chosen.contains(&i);
                            let correct = item.correct.contains(&i);
                            let class = match (chosen, correct) {
                                (_, true) => "correct",
                                (true, false) => "chosen-wrong",
                                _ => "",
                            };
                            view! {
                                <li class=class>
                                    <span lang="vi">{text.clone()}</span>
                                    {chosen.then(|| view! { <span class="tag">{t.your_answer}</span> })}
                                    {correct.then(|| view! { <span class="tag tag-correct">{t.correct_answer}</span> })}
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
            {item.chosen.is_empty().then(|| view! { <p class="muted">{t.not_answered}</p> })}
            {match item.withheld_until.clone() {
                Some(until) => view! {
                    <p class="notice">{format!("{} {until}.", t.key_withheld)}</p>
                }.into_any(),
                None => view! {
                    <p class="explanation"><strong>{format!("{}: ", t.explanation)}</strong><span lang="vi">{item.explanation.clone()}</span></p>
                    <p class="source"><strong>{format!("{}: ", t.source)}</strong><span lang="vi">{item.source.clone()}</span></p>
                }.into_any(),
            }}
        </li>
    }
}

/// A warning-signs question after submitting: the message with the parts marked (suspicious or
/// not, chosen or not, in words as well as colour), then each part with why.
#[component]
fn SignsReview(item: ResultItem, layout: MessageLayout) -> impl IntoView {
    let shown = item.withheld_until.is_none();
    let state = |item: &ResultItem, i: usize| {
        let n = i as u32;
        (item.chosen.contains(&n), item.correct.contains(&n))
    };
    let mark = {
        let item = item.clone();
        move |i: usize| {
            let (chosen, suspicious) = state(&item, i);
            let class = match (shown, suspicious) {
                (false, _) => "part",
                (true, true) => "part part-suspicious",
                (true, false) => "part part-innocent",
            };
            let text = item.options.get(i).cloned().unwrap_or_default();
            view! {
                <mark class=class class:part-chosen=chosen>
                    {text}<sup class="part-number">{format!("[{}]", i + 1)}</sup>
                </mark>
            }
            .into_any()
        }
    };
    let message = message_view(&layout, &mark);
    view! {
        {message}
        <ol class="part-list">
            {item.options.iter().enumerate().map(|(i, text)| {
                let (chosen, suspicious) = state(&item, i);
                let verdict = match (shown, chosen, suspicious) {
                    (false, true, _) => tr("Em đã chọn", "You chose it"),
                    (false, false, _) => tr("Em không chọn", "You did not choose it"),
                    (true, true, true) => tr("Đáng ngờ — em đã chọn (+1)", "Suspicious — you chose it (+1)"),
                    (true, false, true) => tr("Đáng ngờ — em chưa chọn", "Suspicious — you missed it"),
                    (true, true, false) => tr("Không đáng ngờ — em đã chọn nhầm (−1)", "Not suspicious — chosen by mistake (−1)"),
                    (true, false, false) => tr("Không đáng ngờ — em đã không chọn", "Not suspicious — rightly left alone"),
                };
                let class = match (shown, chosen, suspicious) {
                    (true, true, true) | (true, false, false) => "part-item good",
                    (true, _, _) => "part-item bad",
                    _ => "part-item",
                };
                view! {
                    <li class=class value=i + 1>
                        <p><span lang="vi">{format!("“{text}”")}</span></p>
                        <p class="part-verdict"><strong>{verdict}</strong></p>
                        {item.part_notes.get(i).filter(|n| !n.is_empty()).map(|note| view! {
                            <p class="part-note" lang="vi">{note.clone()}</p>
                        })}
                    </li>
                }
            }).collect_view()}
        </ol>
    }
}

/// Score, every question with the chosen and correct answers, explanation and source.
#[component]
fn ResultBody(result: ResultView) -> impl IntoView {
    let t = use_texts();
    view! {
        <p class="eyebrow">{result.scope_title.clone()}</p>
        <h1 id="step-heading" tabindex="-1">{t.result_title}</h1>
        <p class="score" role="status">
            {format!("{}: ", t.score)}<strong>{format!("{}/{}", points_text(result.points), result.total)}</strong>
        </p>
        {result.review_after.clone().map(|until| view! {
            <p class="notice">{format!("{} {until}.", tr(
                "Bài đã được nộp và chấm. Đáp án và lời giải được công bố khi vòng thi đóng, lúc",
                "Your paper is submitted and marked. Answers and explanations are published when the round closes, at",
            ))}</p>
        })}
        <ol class="result-list">
            {result.items.into_iter().map(|item| view! { <ResultQuestion item /> }).collect_view()}
        </ol>
        {match result.try_again.clone() {
            Some(scope) => view! { <StartPracticeButton scope label=t.try_again.into() /> }.into_any(),
            None => view! { <p><a class="button" href="/cuoc-thi">{tr("Về trang cuộc thi", "Back to contests")}</a></p> }.into_any(),
        }}
    }
}

/// Where the answer being chosen stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SaveState {
    Idle,
    Saving,
    Saved,
    /// Not sent (no connection); it is sent again shortly.
    Waiting,
    /// The server was too busy to take it (nothing was written); it is sent again in a moment.
    Busy,
    /// The attempt was already submitted: the answer was not saved.
    TooLate,
}

impl SaveState {
    fn text(self) -> &'static str {
        match self {
            SaveState::Idle => "",
            SaveState::Saving => tr("Đang lưu…", "Saving…"),
            SaveState::Saved => tr("✓ Đã lưu câu trả lời", "✓ Answer saved"),
            SaveState::Waiting => tr(
                "Chưa có kết nối: câu trả lời được giữ lại và sẽ tự gửi khi có mạng.",
                "No connection: the answer is kept and sent when you are back online.",
            ),
            SaveState::Busy => tr(
                "Máy chủ đang bận nên chưa lưu được câu trả lời; trang đang tự gửi lại.",
                "The server is busy and has not saved the answer yet; the page is sending it again.",
            ),
            SaveState::TooLate => tr(
                "Bài đã được nộp (hết giờ), câu trả lời này không được lưu.",
                "The paper was already submitted (time is up); this answer was not saved.",
            ),
        }
    }
}

/// (attempt, question) → (number of the newest send, its choice).
type Sends = std::collections::HashMap<(String, u32), (u64, Vec<u32>)>;

thread_local! {
    /// The newest choice sent for each (attempt, question) and its number: an older choice still
    /// retrying must never overwrite a newer one when the network comes back.
    static LATEST_SEND: std::cell::RefCell<Sends> = Default::default();
}

/// Sends an answer; when the server cannot be reached, tries again every 5 seconds until it
/// answers — also after the pupil has moved to another question (the indicator is gone then, the
/// answer is not). A newer choice for the same question stops the older one's retries.
fn send_answer(attempt: String, position: u32, choices: Vec<u32>, state: RwSignal<SaveState>) {
    let generation = LATEST_SEND.with(|latest| {
        let mut latest = latest.borrow_mut();
        let slot = latest
            .entry((attempt.clone(), position))
            .or_insert((0, Vec::new()));
        *slot = (slot.0 + 1, choices.clone());
        slot.0
    });
    retry_answer(attempt, position, choices, state, generation);
}

/// The newest (number, choice) sent for a question.
fn latest_send(attempt: &str, position: u32) -> Option<(u64, Vec<u32>)> {
    LATEST_SEND.with(|latest| {
        latest
            .borrow()
            .get(&(attempt.to_owned(), position))
            .cloned()
    })
}

fn retry_answer(
    attempt: String,
    position: u32,
    choices: Vec<u32>,
    state: RwSignal<SaveState>,
    generation: u64,
) {
    if latest_send(&attempt, position).is_some_and(|(g, _)| g != generation) {
        return;
    }
    spawn_local(async move {
        let outcome = record_answer(attempt.clone(), position, choices.clone()).await;
        match latest_send(&attempt, position) {
            Some((newest, newest_choices)) if newest != generation => {
                // A newer choice was sent meanwhile and may have reached the server first: send
                // it once more so that it is the one stored.
                if outcome.is_ok() {
                    retry_answer(attempt, position, newest_choices, state, newest);
                }
                return;
            }
            _ => {}
        }
        match outcome {
            Ok(true) => {
                state.try_set(SaveState::Saved);
            }
            Ok(false) => {
                state.try_set(SaveState::TooLate);
            }
            Err(error) => {
                // Busy: nothing was written and the server asks to try again soon; spread the
                // retries of a whole class over a second or two so they do not arrive together.
                let wait = if error == AppError::Busy {
                    state.try_set(SaveState::Busy);
                    1_000 + retry_jitter_ms()
                } else {
                    state.try_set(SaveState::Waiting);
                    5_000
                };
                set_timeout(
                    move || retry_answer(attempt, position, choices, state, generation),
                    std::time::Duration::from_millis(wait),
                );
            }
        }
    });
}

/// 0–2 s, different on each phone (the time since its page loaded).
fn retry_jitter_ms() -> u64 {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.performance())
            .map(|p| (p.now() * 7.0) as u64 % 2_000)
            .unwrap_or(1_000)
    }
    #[cfg(not(feature = "hydrate"))]
    {
        1_000
    }
}

fn time_left_text(seconds: i64) -> String {
    format!(
        "{} {} {} {:02} {}",
        tr("Còn lại:", "Time left:"),
        seconds / 60,
        tr("phút", "min"),
        seconds % 60,
        tr(
            "giây — hết giờ bài được nộp tự động.",
            "s — the paper is submitted automatically when time is up."
        ),
    )
}

/// The time left in a contest attempt, as the server counts it. With JavaScript it counts down
/// live against the browser's monotonic clock (a phone asleep or a background tab stays right)
/// and reloads a few seconds after zero to show the submitted paper.
#[component]
fn TimeLeft(seconds: i64) -> impl IntoView {
    let left = RwSignal::new(seconds);
    #[cfg(feature = "hydrate")]
    {
        let clock = || {
            web_sys::window()
                .and_then(|w| w.performance())
                .map(|p| p.now())
        };
        let started = clock().unwrap_or(0.0);
        if let Ok(handle) = set_interval_with_handle(
            move || {
                let elapsed = (clock().unwrap_or(started) - started) / 1000.0;
                let remaining = seconds - elapsed.floor() as i64;
                left.set(remaining.max(0));
                if remaining <= -3
                    && let Some(window) = web_sys::window()
                {
                    let _ = window.location().reload();
                }
            },
            std::time::Duration::from_secs(1),
        ) {
            on_cleanup(move || handle.clear());
        }
    }
    view! {
        <p class="notice timer" role="timer" aria-live="off">{move || time_left_text(left.get())}</p>
    }
}

/// `/luyen-tap/:attempt/cau/:n`
#[component]
pub fn QuestionPageView() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let attempt = attempt_param();
    let position = move || {
        params
            .read()
            .get("n")
            .and_then(|n| n.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let page = Resource::new(move || (attempt(), position()), |(a, n)| get_question(a, n));
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) if page.submitted => view! {
                        <Title text=t.result_title />
                        <p class="notice">
                            <a href=format!("/luyen-tap/{}/ket-qua", page.attempt_id)>{t.view_result}</a>
                        </p>
                    }.into_any(),
                    Ok(page) => {
                        let step = QuizStep::Question(page);
                        let notice = crate::components::query("bo-qua")
                            .and_then(|n| n.parse::<u32>().ok())
                            .map(skipped_text);
                        view! {
                            <Title text=step_title(&step) />
                            <QuizRunner start=step notice=notice />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/luyen-tap/:attempt/nop-bai`
#[component]
pub fn ReviewPage() -> impl IntoView {
    let t = use_texts();
    let attempt = attempt_param();
    let overview = Resource::new(attempt, get_overview);
    view! {
        <Title text=t.review_title />
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) if o.submitted => view! {
                        <p class="notice"><a href=format!("/luyen-tap/{}/ket-qua", o.attempt_id)>{t.view_result}</a></p>
                    }.into_any(),
                    Ok(o) => view! { <QuizRunner start=QuizStep::Review(o) notice=None /> }.into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/luyen-tap/:attempt/ket-qua`
#[component]
pub fn ResultPage() -> impl IntoView {
    let t = use_texts();
    let attempt = attempt_param();
    let result = Resource::new(attempt, get_result);
    view! {
        <Title text=t.result_title />
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match result.await {
                    Ok(Some(result)) => view! { <ResultBody result /> }.into_any(),
                    Ok(None) => view! {
                        <p class="notice">
                            <a href=format!("/luyen-tap/{}/nop-bai", attempt())>{t.back_to_questions}</a>
                        </p>
                    }.into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
