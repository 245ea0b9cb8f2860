//! "My progress": the attempts of this browser.

use crate::codes::Track;
use crate::components::ErrorMessage;
use crate::practice::api::get_progress;
use crate::use_texts;
use leptos::prelude::*;
use leptos_meta::Title;

/// `/tien-do`
#[component]
pub fn ProgressPage() -> impl IntoView {
    let t = use_texts();
    let progress = Resource::new(|| (), |_| get_progress());
    view! {
        <Title text=t.progress_title />
        <h1>{t.progress_title}</h1>
        <Suspense fallback=move || view! { <p>{t.loading}</p> }>
            {move || Suspend::new(async move {
                let progress = progress.await;
                let intro = match &progress {
                    Ok(p) if p.signed_in => t.progress_intro_signed_in,
                    _ => t.progress_intro,
                };
                view! { <p class="lead">{intro}</p> {match progress {
                    Ok(p) if p.attempts.is_empty() => view! {
                        <p class="notice">{t.progress_empty}</p>
                        <p><a class="button" href="/luyen-tap">{t.nav_practice}</a></p>
                    }.into_any(),
                    Ok(p) => view! {
                        <div class="tracks">
                            {p.tracks.iter().map(|tp| {
                                let title = match tp.track { Track::A => t.track_a_title, Track::B => t.track_b_title };
                                view! {
                                    <section class="card">
                                        <h2>{title}</h2>
                                        <p>{if tp.questions_answered == 0 {
                                            t.no_answers_yet.to_owned()
                                        } else {
                                            format!("{} {} · {}/{} {}", tp.submitted_attempts, t.attempts_done, tp.correct_answers, tp.questions_answered, t.correct_answers)
                                        }}</p>
                                    </section>
                                }
                            }).collect_view()}
                        </div>
                        <h2>{t.attempts}</h2>
                        <div class="table-wrap" tabindex="0" role="region" aria-label=crate::tr("Bảng (trên điện thoại, vuốt ngang để xem hết)", "Table (on a phone, swipe sideways to see it all)")>
                            <table>
                                <thead>
                                    <tr><th scope="col">{t.date}</th><th scope="col">{t.topic}</th><th scope="col">{t.status}</th><th scope="col"><span class="visually-hidden">{t.view_result}</span></th></tr>
                                </thead>
                                <tbody>
                                    {p.attempts.into_iter().map(|a| {
                                        let (status, link_text, href) = if a.submitted {
                                            (format!("{}/{}", crate::i18n::points_text(a.points.unwrap_or(0)), a.total), t.view_result, format!("/luyen-tap/{}/ket-qua", a.attempt_id))
                                        } else {
                                            (t.in_progress.to_owned(), t.continue_attempt, format!("/luyen-tap/{}/nop-bai", a.attempt_id))
                                        };
                                        view! {
                                            <tr>
                                                <td>{a.started_at}</td>
                                                <td>{a.scope_title}</td>
                                                <td>{status}</td>
                                                <td><a href=href>{link_text}</a></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }.into_any(),
                    Err(error) => view! { <ErrorMessage error /> }.into_any(),
                }} }
            })}
        </Suspense>
    }
}
