//! The lesson catalogue and the lesson page.

use crate::codes::{SchoolLevel, Track};
use crate::components::ErrorMessage;
use crate::home::StartPracticeButton;
use crate::i18n::Locale;
use crate::practice::api::{get_lesson, list_topics};
use crate::practice::types::{HeldBack, TopicView};
use crate::{use_locale, use_texts};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

/// "THCS, THPT"
pub fn levels_text(levels: &[SchoolLevel]) -> String {
    levels
        .iter()
        .map(|l| l.code())
        .collect::<Vec<_>>()
        .join(", ")
}

fn topic_title(topic: &TopicView, locale: Locale) -> String {
    if locale == Locale::En {
        topic.title_en.clone()
    } else {
        topic.title.clone()
    }
}

/// Topics of one track with their lessons and a practice button each.
#[component]
pub fn TrackSection(
    track: Track,
    topics: Vec<TopicView>,
    #[prop(optional)] practice_only: bool,
) -> impl IntoView {
    let t = use_texts();
    let locale = use_locale();
    let (id, title) = match track {
        Track::A => ("mach-a", t.track_a_title),
        Track::B => ("mach-b", t.track_b_title),
    };
    let topics: Vec<TopicView> = topics
        .into_iter()
        .filter(|topic| topic.track == track)
        .collect();
    // Questions an open contest round holds back cannot be practised until it closes.
    let total: u32 = topics
        .iter()
        .map(|topic| {
            topic
                .question_count
                .saturating_sub(topic.held_back.questions)
        })
        .sum();
    view! {
        <section class="track-section" aria-labelledby=id>
            <h2 id=id>{title}</h2>
            {(practice_only && total > 0).then(|| view! {
                <StartPracticeButton
                    scope=format!("track:{}", track.code())
                    label=format!("{} — {} ({total} {})", t.practice_track, t.whole_track, t.topic_questions)
                />
            })}
            <ul class="topic-list">
                {topics.into_iter().map(|topic| {
                    let title = topic_title(&topic, locale);
                    let available = topic.question_count.saturating_sub(topic.held_back.questions);
                    let held = held_back_note(topic.question_count, &topic.held_back);
                    let lessons = topic.lessons.clone();
                    view! {
                        <li class="card topic">
                            <h3>{title}</h3>
                            {(!practice_only).then(|| if lessons.is_empty() {
                                view! { <p class="muted">{t.no_lessons_yet}</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="lesson-list">
                                        {lessons.into_iter().map(|lesson| view! {
                                            <li>
                                                <a href=format!("/bai-hoc/{}", lesson.slug)>{lesson.title}</a>
                                                <span class="meta">
                                                    {format!(" · {} {} · {}", lesson.minutes, t.minutes, levels_text(&lesson.levels))}
                                                </span>
                                                <p class="summary">{lesson.summary}</p>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            })}
                            {(available > 0).then(|| view! {
                                <StartPracticeButton
                                    scope=format!("topic:{}", topic.slug)
                                    label=format!("{} ({} {})", t.practice_topic, available, t.topic_questions)
                                    secondary=true
                                />
                            })}
                            {held.map(|note| view! { <p class="muted held-back">{note}</p> })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        </section>
    }
}

/// What an open contest round holds back from a topic's practice, in words; `None` when
/// nothing is.
fn held_back_note(question_count: u32, held: &HeldBack) -> Option<String> {
    if held.questions == 0 {
        return None;
    }
    let until = held.until.clone().unwrap_or_default();
    Some(if held.questions >= question_count {
        format!(
            "{} {until}.",
            crate::tr(
                "Các câu hỏi của chủ đề này đang dùng cho một vòng thi đang mở; em luyện tập được sau",
                "This topic's questions are in use in an open contest round; practise them after"
            )
        )
    } else {
        format!(
            "{} {} {until}.",
            held.questions,
            crate::tr(
                "câu đang dùng cho một vòng thi đang mở, luyện tập được sau",
                "questions are in use in an open contest round; practise them after"
            )
        )
    })
}

/// `/bai-hoc`
#[component]
pub fn CataloguePage() -> impl IntoView {
    let t = use_texts();
    let topics = Resource::new(|| (), |_| list_topics());
    view! {
        <Title text=t.lessons_title />
        <h1>{t.lessons_title}</h1>
        <p class="lead">{t.lessons_intro}</p>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match topics.await {
                    Ok(topics) => view! {
                        <TrackSection track=Track::A topics=topics.clone() />
                        <TrackSection track=Track::B topics />
                    }.into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/bai-hoc/:slug`
#[component]
pub fn LessonPage() -> impl IntoView {
    let t = use_texts();
    let params = use_params_map();
    let lesson = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        get_lesson,
    );
    view! {
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                match lesson.await {
                    Ok(lesson) => {
                        let track_title = match lesson.track {
                            Track::A => t.track_a_title,
                            Track::B => t.track_b_title,
                        };
                        view! {
                            <Title text=lesson.title.clone() />
                            <article class="lesson" lang="vi">
                                <p class="eyebrow"><a href="/bai-hoc">{t.nav_lessons}</a>" · "{track_title}</p>
                                <h1>{lesson.title.clone()}</h1>
                                <p class="meta">
                                    {format!("{} · {} {} · {} {}", lesson.topic_title, lesson.minutes, t.minutes, t.levels, levels_text(&lesson.levels))}
                                </p>
                                <div class="lesson-body" inner_html=lesson.body_html.clone()></div>
                            </article>
                            <section class="card practice-box" aria-labelledby="practice-heading">
                                <h2 id="practice-heading">{t.lesson_practice_title}</h2>
                                <p>{t.lesson_practice_text}</p>
                                <crate::home::LevelSwitch />
                                {(lesson.question_count > lesson.held_back.questions).then(|| view! {
                                    <StartPracticeButton scope=format!("topic:{}", lesson.topic) label=t.practice_topic.into() />
                                })}
                                {held_back_note(lesson.question_count, &lesson.held_back).map(|note| view! { <p class="muted held-back">{note}</p> })}
                            </section>
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
