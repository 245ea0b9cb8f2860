//! Practice: choosing what to practise, one page per question, review, result.

use super::home::StartPracticeButton;
use super::lessons::TrackSection;
use super::{ActionError, ErrorMessage};
use crate::api::{
    AnswerQuestion, StartPractice, SubmitAttempt, get_overview, get_question, get_result,
    list_topics,
};
use crate::model::{QuestionPage, ResultItem, Track};
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// `/luyen-tap`
#[component]
pub fn PracticePage() -> impl IntoView {
    let t = use_texts();
    let topics = Resource::new(|| (), |_| list_topics());
    let start = ServerAction::<StartPractice>::new();
    view! {
        <Title text=t.practice_title />
        <h1>{t.practice_title}</h1>
        <p class="lead">{t.practice_intro}</p>
        <ActionError value=start.value() />
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match topics.await {
                    Ok(topics) => view! {
                        <TrackSection track=Track::A topics=topics.clone() action=start practice_only=true />
                        <TrackSection track=Track::B topics action=start practice_only=true />
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

/// The bar and the words "Câu 3 trên 10 · đã trả lời 2".
#[component]
fn Progress(position: u32, total: u32, answered: u32) -> impl IntoView {
    let t = use_texts();
    view! {
        <div class="progress">
            <p class="progress-text">
                <strong>{format!("{} {position} {} {total}", t.question, t.of)}</strong>
                {format!(" · {answered}/{total} {}", t.answered)}
            </p>
            <progress max=total value=answered aria-label=t.progress_label>
                {format!("{answered}/{total}")}
            </progress>
        </div>
    }
}

#[component]
fn QuestionForm(page: QuestionPage, action: ServerAction<AnswerQuestion>) -> impl IntoView {
    let t = use_texts();
    let input_type = if page.multiple { "checkbox" } else { "radio" };
    let hint = if page.multiple {
        t.choose_all
    } else {
        t.choose_one
    };
    let last = page.position >= page.total;
    let prev = (page.position > 1)
        .then(|| format!("/luyen-tap/{}/cau/{}", page.attempt_id, page.position - 1));
    let options = page.options.clone();
    let multiple = page.multiple;
    let chosen = page.chosen.clone();
    view! {
        <Progress position=page.position total=page.total answered=page.answered />
        <ActionForm action=action attr:class="question-form">
            <input type="hidden" name="attempt" value=page.attempt_id.clone() />
            <input type="hidden" name="position" value=page.position />
            <fieldset aria-describedby="choice-hint">
                <legend>
                    <span class="question-number">{format!("{} {}. ", t.question, page.position)}</span>
                    <span lang="vi">{page.stem.clone()}</span>
                </legend>
                <p class="hint" id="choice-hint">{hint}</p>
                <div class="options">
                    {options.into_iter().enumerate().map(|(i, text)| {
                        let id = format!("option-{i}");
                        // A radio group shares one name; checkboxes each post their own.
                        let name = if multiple { format!("choice[{i}]") } else { "choice[0]".to_owned() };
                        let checked = chosen.contains(&(i as u32));
                        view! {
                            <div class="option">
                                <input type=input_type id=id.clone() name=name value=i checked=checked />
                                <label for=id lang="vi">{text}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
            <ActionError value=action.value() />
            <div class="form-actions">
                <button type="submit" class="button">
                    {if last { t.save_and_review } else { t.save_and_next }}
                </button>
                {prev.map(|href| view! { <a class="button secondary" href=href>{t.previous}</a> })}
            </div>
        </ActionForm>
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
    let answer = ServerAction::<AnswerQuestion>::new();
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
                    Ok(page) => view! {
                        <Title text=format!("{} {}/{} · {}", t.question, page.position, page.total, page.scope_title) />
                        <p class="eyebrow">{page.scope_title.clone()}</p>
                        <QuestionForm page action=answer />
                    }.into_any(),
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
    let submit = ServerAction::<SubmitAttempt>::new();
    view! {
        <Title text=t.review_title />
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match overview.await {
                    Ok(o) if o.submitted => view! {
                        <p class="notice"><a href=format!("/luyen-tap/{}/ket-qua", o.attempt_id)>{t.view_result}</a></p>
                    }.into_any(),
                    Ok(o) => {
                        let total = o.answered.len() as u32;
                        let answered = o.answered.iter().filter(|a| **a).count() as u32;
                        let missing = total - answered;
                        view! {
                            <p class="eyebrow">{o.scope_title.clone()}</p>
                            <h1>{t.review_title}</h1>
                            <Progress position=total total answered />
                            <p>{t.review_intro}</p>
                            <p class=if missing == 0 { "notice" } else { "notice warning" }>
                                {if missing == 0 { t.review_all_answered.to_owned() } else { format!("{} {missing}", t.review_unanswered) }}
                            </p>
                            <ol class="review-list">
                                {o.answered.iter().enumerate().map(|(i, done)| {
                                    let n = i + 1;
                                    view! {
                                        <li>
                                            <a href=format!("/luyen-tap/{}/cau/{n}", o.attempt_id)>{format!("{} {n}", t.question)}</a>
                                            " — "
                                            <span class=if *done { "status done" } else { "status missing" }>
                                                {if *done { t.answered_mark } else { t.not_answered }}
                                            </span>
                                        </li>
                                    }
                                }).collect_view()}
                            </ol>
                            <ActionForm action=submit attr:class="inline-form">
                                <input type="hidden" name="attempt" value=o.attempt_id.clone() />
                                <button type="submit" class="button">{t.submit}</button>
                            </ActionForm>
                            <ActionError value=submit.value() />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ResultQuestion(item: ResultItem) -> impl IntoView {
    let t = use_texts();
    let verdict = if item.is_correct { t.right } else { t.wrong };
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
            {item.chosen.is_empty().then(|| view! { <p class="muted">{t.not_answered}</p> })}
            <p class="explanation"><strong>{format!("{}: ", t.explanation)}</strong><span lang="vi">{item.explanation.clone()}</span></p>
            <p class="source"><strong>{format!("{}: ", t.source)}</strong><span lang="vi">{item.source.clone()}</span></p>
        </li>
    }
}

/// `/luyen-tap/:attempt/ket-qua`
#[component]
pub fn ResultPage() -> impl IntoView {
    let t = use_texts();
    let attempt = attempt_param();
    let result = Resource::new(attempt, get_result);
    let again = ServerAction::<StartPractice>::new();
    view! {
        <Title text=t.result_title />
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match result.await {
                    Ok(Some(r)) => view! {
                        <p class="eyebrow">{r.scope_title.clone()}</p>
                        <h1>{t.result_title}</h1>
                        <p class="score" role="status">
                            {format!("{}: ", t.score)}<strong>{format!("{}/{}", r.score, r.total)}</strong>
                        </p>
                        <ol class="result-list">
                            {r.items.into_iter().map(|item| view! { <ResultQuestion item /> }).collect_view()}
                        </ol>
                        <ActionError value=again.value() />
                        <StartPracticeButton action=again scope=r.practice_scope.clone() label=t.try_again.into() />
                    }.into_any(),
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
