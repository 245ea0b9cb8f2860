//! Does a wrong sign-in take as long for an unknown username as for a known one? If not, anyone
//! could find out which usernames exist by timing the login form.
//!
//! Run: `cargo bench -p khien-so-tests --bench login_timing` (SQLite; `KHIEN_SO_TEST_DB=postgres`
//! for PostgreSQL). Prints median, mean and 90th percentile per kind over real HTTP, each trial
//! with a fresh username so that no attempt is throttled, known and unknown interleaved so that
//! drift in the machine's load affects both alike.

use app::accounts::auth::{self, NewAccount};
use khien_so_tests::{TEST_PASSWORD, form_action, spawn_app};
use std::time::{Duration, Instant};

const TRIALS: usize = 40;

fn summary(label: &str, times: &mut [Duration]) -> f64 {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[times.len() / 2]);
    let mean = times.iter().map(|d| ms(*d)).sum::<f64>() / times.len() as f64;
    let p90 = ms(times[times.len() * 9 / 10]);
    println!(
        "{label:<28} n={:>3}  median {median:>7.1} ms  mean {mean:>7.1} ms  p90 {p90:>7.1} ms",
        times.len()
    );
    median
}

#[tokio::main]
async fn main() {
    let app = spawn_app().await;
    let hash = auth::hash_password(TEST_PASSWORD.to_owned()).await.unwrap();
    for i in 0..TRIALS {
        auth::insert_account(
            &app.db,
            NewAccount {
                username: format!("codon{i:03}"),
                full_name: "Người Đo Thời Gian".to_owned(),
                password_hash: hash.clone(),
                initial_password: None,
                must_change_password: false,
                birth_year: None,
                pupil_code: None,
            },
        )
        .await
        .unwrap();
    }
    let (_, html) = app.get("/dang-nhap").await;
    let action = form_action(&html, "login");
    // One warm-up request of each kind (connection set-up, first hash).
    app.post_form(
        &action,
        &[("username", "khoidong"), ("password", "sai"), ("next", "")],
    )
    .await;
    let mut known = Vec::with_capacity(TRIALS);
    let mut unknown = Vec::with_capacity(TRIALS);
    for i in 0..TRIALS {
        for (username, times) in [
            (format!("codon{i:03}"), &mut known),
            (format!("khongco{i:03}"), &mut unknown),
        ] {
            let start = Instant::now();
            let (status, location) = app
                .post_form(
                    &action,
                    &[
                        ("username", &username),
                        ("password", "mat-khau-sai"),
                        ("next", ""),
                    ],
                )
                .await;
            times.push(start.elapsed());
            let location = location.unwrap_or_default();
            assert!(
                status == 302 && location.starts_with("/dang-nhap?loi=sai"),
                "a plain refusal, not throttled: {status} {location}"
            );
        }
    }
    println!(
        "Wrong password over HTTP ({}, debug={}):",
        match khien_so_tests::backend() {
            khien_so_tests::Backend::Sqlite => "SQLite",
            khien_so_tests::Backend::Postgres => "PostgreSQL",
        },
        cfg!(debug_assertions)
    );
    let a = summary("known username", &mut known);
    let b = summary("unknown username", &mut unknown);
    println!(
        "difference of medians: {:+.1} ms ({:+.1}%)",
        b - a,
        (b - a) / a * 100.0
    );
}
