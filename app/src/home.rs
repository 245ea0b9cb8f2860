//! The home page: what this is, and the two tracks.

use crate::practice::api::StartPractice;
use crate::use_texts;
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use leptos_meta::{Meta, Title};

/// A form that starts a practice attempt on `scope`. Outside the quiz island pages are plain
/// HTML, so this is a plain form: the server function redirects to the first question.
#[component]
pub fn StartPracticeButton(
    scope: String,
    label: String,
    #[prop(optional)] secondary: bool,
) -> impl IntoView {
    let class = if secondary {
        "button secondary"
    } else {
        "button"
    };
    view! {
        <form action=StartPractice::url() method="post" class="inline-form">
            <input type="hidden" name="scope" value=scope />
            <button type="submit" class=class>{label}</button>
        </form>
    }
}

/// "THCS", "THPT" or "all": the level practice draws from (only rendered on the server).
fn current_level_code() -> &'static str {
    #[cfg(feature = "ssr")]
    if let Some(level) = crate::detect_level() {
        return level.code();
    }
    "all"
}

/// "Questions for: All levels · THCS · THPT" — plain links that set the `ks_level` cookie.
#[component]
pub fn LevelSwitch() -> impl IntoView {
    let t = use_texts();
    let current = current_level_code();
    let choices = [("all", t.all_levels), ("THCS", "THCS"), ("THPT", "THPT")];
    view! {
        <nav class="level-switch" aria-label=t.level_choice_label>
            <span>{t.level_choice}</span>
            {choices.into_iter().map(|(code, label)| {
                let active = current == code;
                view! {
                    <a href=format!("/cap-hoc?level={code}") aria-current=active.then_some("true")>{label}</a>
                }
            }).collect_view()}
        </nav>
    }
}

/// `/`
#[component]
pub fn HomePage() -> impl IntoView {
    let t = use_texts();
    view! {
        <Title text="" />
        <Meta name="description" content=t.home_intro />
        <section class="hero">
            <p class="eyebrow">{t.tagline}</p>
            <h1>{t.home_title}</h1>
            <p class="lead">{t.home_intro}</p>
            <p class="muted">{t.home_no_account}</p>
        </section>
        <crate::classroom::pages::AssignedWorkList />
        <div class="tracks">
            <section class="card track-card track-a" aria-labelledby="track-a">
                <h2 id="track-a">{t.track_a_title}</h2>
                <p>{t.track_a_desc}</p>
                <div class="card-actions">
                    <StartPracticeButton scope="track:A".into() label=t.practice_track.into() />
                    <a class="button secondary" href="/bai-hoc#mach-a">{t.see_lessons}</a>
                </div>
            </section>
            <section class="card track-card track-b" aria-labelledby="track-b">
                <h2 id="track-b">{t.track_b_title}</h2>
                <p>{t.track_b_desc}</p>
                <div class="card-actions">
                    <StartPracticeButton scope="track:B".into() label=t.practice_track.into() />
                    <a class="button secondary" href="/bai-hoc#mach-b">{t.see_lessons}</a>
                </div>
            </section>
        </div>
    }
}
