//! One goose user is one pupil with a browser of their own (cookie jar, connection — or a shared
//! pool of connections, as behind a reverse proxy, with `--shared-connections`): they sign in
//! at a random moment of the sign-in window, start the round at a random moment of the start
//! window after it opens, answer every question after 5–30 s of thinking, and submit. The
//! requests are the ones the app's JavaScript makes (server functions), timed on this side.

use crate::record::{Ack, Kind, Recorder, Sample};
use app::attempt::types::{QuizStep, ResultView};
use goose::metrics::GooseRequestMetric;
use goose::prelude::*;
use rand::{Rng, SeedableRng};
use reqwest::header::{
    ACCEPT, CONTENT_TYPE, COOKIE, HeaderMap, LOCATION, ORIGIN, REFERER, SET_COOKIE,
};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Server function URLs (`/api/<name><hash>`).
#[derive(Clone, Debug)]
pub struct Urls {
    pub login: String,
    pub enter_round: String,
    pub save_answer: String,
    pub finish_attempt: String,
}

/// Everything the users share, set before the attack starts.
pub struct Plan {
    /// With `--shared-connections`: the client every pupil sends through (cookies sent by hand).
    pub shared_client: Option<reqwest::Client>,
    pub servers: Vec<String>,
    pub pupils: usize,
    pub round_id: i32,
    pub sign_in_from: Instant,
    pub sign_in_window: Duration,
    pub opens: Instant,
    pub start_window: Duration,
    pub think: (Duration, Duration),
    pub questions: u32,
    pub urls: Urls,
    pub timeout: Duration,
    pub recorder: Recorder,
}

pub static PLAN: OnceLock<Plan> = OnceLock::new();
static NEXT_PUPIL: AtomicUsize = AtomicUsize::new(0);

const HTML: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
const JSON: &str = "application/json";

/// The goose transaction: a pupil's whole round.
pub async fn pupil(user: &mut GooseUser) -> TransactionResult {
    let plan = PLAN.get().expect("plan set before the attack");
    let index = NEXT_PUPIL.fetch_add(1, Ordering::Relaxed);
    if index >= plan.pupils {
        return Ok(());
    }
    let base = plan.servers[index % plan.servers.len()].clone();
    user.set_base_url(&base)?;
    // Every random choice up front: the generator is not kept across awaits.
    let (sign_in_at, start_at, thinks, picks) = {
        let mut rng = rand::rngs::StdRng::from_os_rng();
        let sign_in_at = plan.sign_in_from + plan.sign_in_window.mul_f64(rng.random::<f64>());
        // 100 ms after the opening at the earliest, so nobody is refused for being early.
        let start_at = plan.opens
            + Duration::from_millis(100)
            + plan.start_window.mul_f64(rng.random::<f64>());
        let (min, max) = plan.think;
        let thinks: Vec<Duration> = (0..plan.questions)
            .map(|_| {
                if max > min {
                    rng.random_range(min..=max)
                } else {
                    min
                }
            })
            .collect();
        let picks: Vec<u32> = (0..plan.questions).map(|_| rng.random()).collect();
        (sign_in_at, start_at, thinks, picks)
    };
    let rec = &plan.recorder;

    // Signing in, from the pupil's own browser.
    tokio::time::sleep_until(sign_in_at.into()).await;
    match &plan.shared_client {
        Some(shared) => user.client = shared.clone(),
        None => {
            let client = browser(plan.timeout).cookie_store(true);
            if let Err(e) = user.set_client_builder(client).await {
                rec.error(Kind::Login, format!("building the HTTP client: {e}"));
                return Ok(());
            }
        }
    }
    let username = crate::seed::username(index);
    let request = user
        .get_request_builder(&GooseMethod::Post, &plan.urls.login)?
        .header(ORIGIN, &base)
        .header(REFERER, format!("{base}/dang-nhap"))
        .header(ACCEPT, HTML)
        .form(&[
            ("username", username.as_str()),
            ("password", crate::seed::PASSWORD),
            ("next", ""),
        ]);
    let Some(reply) = send(user, Kind::Login, GooseMethod::Post, request, 302).await else {
        return Ok(());
    };
    // On a shared client the pupil's cookies go with each request by hand.
    let cookies = plan.shared_client.is_some().then(|| {
        reply
            .headers
            .get_all(SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .filter_map(|v| v.split(';').next())
            .collect::<Vec<_>>()
            .join("; ")
    });
    let jar = |request: reqwest::RequestBuilder| match &cookies {
        Some(cookies) => request.header(COOKIE, cookies),
        None => request,
    };
    match reply.location.clone().as_deref() {
        Some("/tai-khoan") => {
            rec.signed_in.fetch_add(1, Ordering::Relaxed);
        }
        other => {
            reply.fail(
                user,
                format!("login redirected to {other:?}, not /tai-khoan"),
            );
            return Ok(());
        }
    }

    // Starting the round.
    tokio::time::sleep_until(start_at.into()).await;
    let request = jar(user.get_request_builder(&GooseMethod::Post, &plan.urls.enter_round)?)
        .header(ORIGIN, &base)
        .header(REFERER, format!("{base}/cuoc-thi"))
        .header(ACCEPT, HTML)
        .form(&[
            ("round_id", plan.round_id.to_string().as_str()),
            ("prediction", ""),
        ]);
    let Some(reply) = send(user, Kind::EnterRound, GooseMethod::Post, request, 302).await else {
        return Ok(());
    };
    let attempt = match reply
        .location
        .as_deref()
        .and_then(|l| l.strip_prefix("/luyen-tap/"))
        .and_then(|l| l.strip_suffix("/cau/1"))
    {
        Some(attempt) => attempt.to_owned(),
        None => {
            let to = reply.location.as_deref().map(strip_ids);
            reply.fail(user, format!("enter_round redirected to {to:?}"));
            return Ok(());
        }
    };
    rec.started(&attempt);

    // The first question, server-rendered.
    let first = format!("/luyen-tap/{attempt}/cau/1");
    let request = jar(user.get_request_builder(&GooseMethod::Get, &first)?).header(ACCEPT, HTML);
    let Some(reply) = send(user, Kind::FirstPage, GooseMethod::Get, request, 200).await else {
        return Ok(());
    };
    let mut options = reply.body.matches("id=\"option-").count() as u32;
    if options == 0 {
        reply.fail(user, "first page shows no options".to_owned());
        options = 1;
    }

    // The questions, each after some thinking.
    for position in 1..=plan.questions {
        tokio::time::sleep(thinks[position as usize - 1]).await;
        let display = picks[position as usize - 1] % options.max(1);
        let request = jar(user.get_request_builder(&GooseMethod::Post, &plan.urls.save_answer)?)
            .header(ORIGIN, &base)
            .header(
                REFERER,
                format!("{base}/luyen-tap/{attempt}/cau/{position}"),
            )
            .header(ACCEPT, JSON)
            .header(CONTENT_TYPE, JSON)
            .body(
                serde_json::json!({
                    "attempt": attempt,
                    "position": position,
                    "choices": [display],
                })
                .to_string(),
            );
        let Some(reply) = send(user, Kind::SaveAnswer, GooseMethod::Post, request, 200).await
        else {
            // The next question's options are unknown: choose the first, which always exists.
            options = 1;
            continue;
        };
        match serde_json::from_str::<QuizStep>(&reply.body) {
            Ok(QuizStep::Question(next)) => {
                rec.ack(Ack {
                    attempt: attempt.clone(),
                    position,
                    display,
                });
                if next.position != position + 1 || next.options.is_empty() {
                    reply.fail(
                        user,
                        "save_answer answered with the wrong next question".to_owned(),
                    );
                }
                options = next.options.len().max(1) as u32;
            }
            Ok(QuizStep::Review(overview)) => {
                rec.ack(Ack {
                    attempt: attempt.clone(),
                    position,
                    display,
                });
                if position != plan.questions {
                    reply.fail(
                        user,
                        format!(
                            "save_answer went to the review after question {position} of {}",
                            overview.answered.len()
                        ),
                    );
                }
            }
            Ok(QuizStep::Result(_)) => {
                reply.fail(
                    user,
                    "save_answer: the attempt was already submitted (answer not saved)".to_owned(),
                );
            }
            Err(e) => {
                reply.fail(user, format!("save_answer body is not a QuizStep: {e}"));
            }
        }
    }

    // Submitting.
    let request = jar(user.get_request_builder(&GooseMethod::Post, &plan.urls.finish_attempt)?)
        .header(ORIGIN, &base)
        .header(REFERER, format!("{base}/luyen-tap/{attempt}/nop-bai"))
        .header(ACCEPT, JSON)
        .header(CONTENT_TYPE, JSON)
        .body(serde_json::json!({ "attempt": attempt }).to_string());
    let Some(reply) = send(user, Kind::FinishAttempt, GooseMethod::Post, request, 200).await else {
        return Ok(());
    };
    match serde_json::from_str::<ResultView>(&reply.body) {
        Ok(_) => rec.submitted(&attempt),
        Err(e) => reply.fail(
            user,
            format!("finish_attempt body is not a ResultView: {e}"),
        ),
    }
    Ok(())
}

/// A pupil's browser as the server sees it (same-site requests, redirects not followed), without
/// cookies; `timeout` per request.
pub fn browser(timeout: Duration) -> reqwest::ClientBuilder {
    let mut headers = HeaderMap::new();
    headers.insert(
        "sec-fetch-site",
        reqwest::header::HeaderValue::from_static("same-origin"),
    );
    reqwest::Client::builder()
        .default_headers(headers)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(timeout)
        .no_proxy()
        .user_agent("khien-so-load (pupil)")
}

/// A response that came back with the expected status.
struct Reply {
    kind: Kind,
    location: Option<String>,
    body: String,
    headers: HeaderMap,
    metric: GooseRequestMetric,
}

impl Reply {
    /// The response was wrong in content: counted as an error here and in goose's figures.
    fn fail(mut self, user: &mut GooseUser, message: String) {
        let plan = PLAN.get().expect("plan");
        plan.recorder.error(self.kind, message.clone());
        let _ = user.set_failure(&message, &mut self.metric, Some(&self.headers), None);
    }
}

/// Sends one request through goose (which keeps its own figures) and times it here, up to the
/// last byte of the body. Wrong status or transport failures are counted as errors and give
/// `None`.
async fn send(
    user: &mut GooseUser,
    kind: Kind,
    method: GooseMethod,
    request: reqwest::RequestBuilder,
    expect: u16,
) -> Option<Reply> {
    let plan = PLAN.get().expect("plan");
    let rec = &plan.recorder;
    rec.in_flight.fetch_add(1, Ordering::Relaxed);
    let started = Instant::now();
    let mut request = request;
    let result = loop {
        // A request the server is too busy to take (503, or a form sent back as busy) is sent
        // again after 1–3 s, as the quiz page's autosave does, the busy page does (it loads
        // itself again) and a pupil pressing the button again does; its latency runs from the
        // first send to the answer that came.
        let again = request.try_clone();
        let goose_request = GooseRequest::builder()
            .name(kind.label())
            .method(method)
            .set_request_builder(request)
            .expect_status_code(expect)
            .build();
        let outcome = user.request(goose_request).await;
        if let (Ok(goose), Some(builder)) = (&outcome, again)
            && goose
                .response
                .as_ref()
                .is_ok_and(|r| r.status() == 503 || redirected_busy(r.headers().get(LOCATION)))
        {
            rec.shed.fetch_add(1, Ordering::Relaxed);
            let wait = rand::rng().random_range(1_000..3_000);
            tokio::time::sleep(Duration::from_millis(wait)).await;
            request = builder;
            continue;
        }
        break match outcome {
            Err(e) => Err(format!("goose refused the request: {e:?}")),
            Ok(goose) => match goose.response {
                Err(e) => Err(transport_error(&e)),
                Ok(response) => {
                    let status = response.status().as_u16();
                    let headers = response.headers().clone();
                    match response.text().await {
                        Err(e) => Err(format!("reading the body: {}", transport_error(&e))),
                        Ok(body) if status != expect => {
                            let excerpt: String = body
                                .chars()
                                .take(160)
                                .collect::<String>()
                                .replace('\n', " ");
                            let id_free = strip_ids(&excerpt);
                            Err(format!("HTTP {status} (expected {expect}): {id_free}"))
                        }
                        Ok(body) => Ok(Reply {
                            kind,
                            location: headers
                                .get(LOCATION)
                                .and_then(|v| v.to_str().ok())
                                .map(str::to_owned),
                            body,
                            headers,
                            metric: goose.request,
                        }),
                    }
                }
            },
        };
    };
    let latency = started.elapsed();
    rec.in_flight.fetch_sub(1, Ordering::Relaxed);
    rec.sample(Sample {
        kind,
        start: started.duration_since(rec.epoch),
        latency,
    });
    match result {
        Ok(reply) => Some(reply),
        Err(message) => {
            rec.error(kind, message);
            None
        }
    }
}

/// A form posted without JavaScript that the server was too busy to take comes back to its page
/// with the error in the address (`?__err=…`), which the page shows ("máy chủ đang bận … thử
/// lại"); the pupil presses the button again.
fn redirected_busy(location: Option<&reqwest::header::HeaderValue>) -> bool {
    location
        .and_then(|l| l.to_str().ok())
        .and_then(|l| l.split(['?', '&']).find_map(|p| p.strip_prefix("__err=")))
        .is_some_and(|encoded| {
            leptos::server_fn::error::ServerFnUrlError::<app::error::AppError>::decode_err(encoded)
                == app::error::AppError::Busy
        })
}

/// A transport failure, described by its kind (timeouts, refused connections…).
fn transport_error(e: &reqwest::Error) -> String {
    let what = if e.is_timeout() {
        "timeout"
    } else if e.is_connect() {
        "connect error"
    } else if e.is_body() || e.is_decode() {
        "body error"
    } else if e.is_request() {
        "request error"
    } else {
        "transport error"
    };
    let mut source: Option<&dyn std::error::Error> = Some(e);
    let mut chain = Vec::new();
    while let Some(s) = source {
        chain.push(s.to_string());
        source = s.source();
    }
    let detail = chain.last().cloned().unwrap_or_default();
    format!("{what}: {}", strip_ids(&detail))
}

/// Replaces UUIDs and long digit runs, so that messages group.
fn strip_ids(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        let hexish = run.len() >= 8
            && run.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
            && run.chars().any(|c| c.is_ascii_digit());
        if hexish {
            out.push('…');
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || c == '-' {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use leptos::server_fn::error::ServerFnUrlError;

    #[test]
    fn a_form_sent_back_as_busy_is_sent_again_and_other_errors_are_not() {
        let location = |error: app::error::AppError| {
            let url = ServerFnUrlError::new("/api/enter_round123", error)
                .to_url("http://127.0.0.1:3000/cuoc-thi")
                .unwrap();
            reqwest::header::HeaderValue::from_str(url.as_str()).unwrap()
        };
        assert!(redirected_busy(Some(&location(app::error::AppError::Busy))));
        assert!(!redirected_busy(Some(&location(
            app::error::AppError::Forbidden
        ))));
        assert!(!redirected_busy(Some(
            &reqwest::header::HeaderValue::from_static("/luyen-tap/x/cau/1")
        )));
        assert!(!redirected_busy(None));
    }
}
