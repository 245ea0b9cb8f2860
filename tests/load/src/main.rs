//! `khien-so-load`: the load harness of Khiên Số. It makes a fresh database (SQLite file or
//! PostgreSQL database), seeds pupils and a contest round, starts one or more `khien-so serve`
//! processes, and runs one goose user per pupil: sign in during the window before the round
//! opens, start within the start window after it opens, answer every question after some
//! thinking, submit. Then it prints throughput, latency per request type (measured here, on real
//! HTTP, to the last byte of the body) and errors, checks that every acknowledged answer is in the
//! database, stops the servers and removes the database.
//!
//! Exit status: 0 when there were no errors, no lost answers, every pupil submitted and every
//! request type's p99 was under the limit; 1 when the target was missed; 2 when the run could not
//! be carried out.

mod cost;
mod pupil;
mod record;
mod seed;
mod servers;
mod verify;

use anyhow::{Context, anyhow, bail};
use clap::{Parser, ValueEnum};
use goose::client::GooseClientBuilder;
use goose::prelude::*;
use pupil::pupil as pupil_round;
use record::{Kind, Recorder, Results, ms};
use servers::{Reading, Server, ServerSettings, Watch};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum Backend {
    Sqlite,
    Postgres,
}

/// Think time range in seconds, "MIN..MAX".
#[derive(Clone, Copy, Debug)]
struct Think(f64, f64);

fn parse_think(text: &str) -> Result<Think, String> {
    let (min, max) = text
        .split_once("..")
        .ok_or_else(|| format!("“{text}”: expected MIN..MAX seconds, e.g. 5..30"))?;
    let min: f64 = min
        .trim()
        .parse()
        .map_err(|_| format!("“{min}” is not a number"))?;
    let max: f64 = max
        .trim()
        .parse()
        .map_err(|_| format!("“{max}” is not a number"))?;
    if !(min >= 0.0 && max >= min) {
        return Err(format!("“{text}”: need 0 <= MIN <= MAX"));
    }
    Ok(Think(min, max))
}

#[derive(Parser, Debug)]
#[command(
    name = "khien-so-load",
    about = "Load harness: simulated pupils sit a timed contest round against real khien-so servers"
)]
struct Cli {
    /// Number of pupils (one goose user and one cookie jar each; one connection each unless
    /// `--shared-connections`).
    #[arg(long, default_value_t = 10_000)]
    pupils: usize,
    /// Database of the run: a new SQLite file, or a new PostgreSQL database.
    #[arg(long, value_enum, default_value = "sqlite")]
    database: Backend,
    /// App server processes sharing the database (default 1 for SQLite, 2 for PostgreSQL).
    /// Pupils are spread over them round-robin.
    #[arg(long)]
    servers: Option<usize>,
    /// Pupils sign in at random moments of this many minutes before the round opens.
    #[arg(long, default_value_t = 10.0)]
    sign_in_minutes: f64,
    /// Pupils start their attempt at random moments of this many seconds after the opening.
    #[arg(long, default_value_t = 60.0)]
    start_window_seconds: f64,
    /// Thinking time before each answer, in seconds: MIN..MAX, uniform.
    #[arg(long, default_value = "5..30", value_parser = parse_think)]
    think: Think,
    /// Questions in the round.
    #[arg(long, default_value_t = 24)]
    questions: u32,
    /// The `khien-so` binary (default: beside this binary, else target/release/khien-so).
    #[arg(long, env = "KHIEN_SO_BIN")]
    server_bin: Option<PathBuf>,
    /// PostgreSQL server for `--database postgres` (a database is created on it and dropped).
    #[arg(
        long,
        env = "KHIEN_SO_LOAD_POSTGRES",
        default_value = "postgres://postgres@127.0.0.1:5432"
    )]
    postgres: String,
    /// KHIEN_SO_DB_MAX_CONNECTIONS for each server (default: the app's own default).
    #[arg(long)]
    db_max_connections: Option<u32>,
    /// KHIEN_SO_LOG for the servers (default: the app's own default).
    #[arg(long)]
    server_log: Option<String>,
    /// The target: every request type's p99 must be under this many milliseconds.
    #[arg(long, default_value_t = 300)]
    p99_limit_ms: u64,
    /// Goose users launched per second (they then wait for their sign-in moment).
    #[arg(long, default_value_t = 1000)]
    launch_rate: usize,
    /// Client timeout of one request, in seconds (a request that takes longer is an error).
    #[arg(long, default_value_t = 60)]
    timeout_seconds: u64,
    /// Keep the database after the run (the SQLite file, or the PostgreSQL database).
    #[arg(long)]
    keep: bool,
    /// The content directory the servers load (default: the repository's content/).
    #[arg(long)]
    content_dir: Option<PathBuf>,
    /// Pupils share one pool of keep-alive connections (each keeps its own cookies), as the app
    /// servers see them behind a reverse proxy; needed when the pupils outnumber the open-files
    /// limit. Default: one connection per pupil, as without a proxy.
    #[arg(long)]
    shared_connections: bool,
}

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from("."))
}

fn server_binary(cli: &Cli) -> PathBuf {
    if let Some(path) = &cli.server_bin {
        return path.clone();
    }
    if let Ok(me) = std::env::current_exe()
        && let Some(dir) = me.parent()
        && dir.join("khien-so").is_file()
    {
        return dir.join("khien-so");
    }
    repo_root().join("target/release/khien-so")
}

/// The URL of server function `name`, from the server functions linked into this binary (the
/// same `app` crate as the server's, so the same paths).
fn server_fn_url(name: &str) -> anyhow::Result<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path)
        .find(|path| {
            path.trim_start_matches("/api/")
                .trim_end_matches(|c: char| c.is_ascii_digit())
                == name
        })
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("no server function {name} linked into the harness"))
}

/// Lifts the soft open-files limit to the hard one (each pupil holds a connection, and the
/// servers inherit the limit).
fn raise_open_files() -> (u64, u64) {
    unsafe {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) == 0 {
            if limit.rlim_cur < limit.rlim_max {
                let raised = libc::rlimit {
                    rlim_cur: limit.rlim_max,
                    rlim_max: limit.rlim_max,
                };
                if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                    limit = raised;
                }
            }
            return (limit.rlim_cur, limit.rlim_max);
        }
    }
    (0, 0)
}

fn secs(d: Duration) -> String {
    format!("{:.1} s", d.as_secs_f64())
}

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli).await {
        Ok(true) => {
            println!("\nRESULT: PASS");
            ExitCode::SUCCESS
        }
        Ok(false) => {
            println!("\nRESULT: FAIL (see above)");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("\nThe load test could not be carried out: {e:#}");
            ExitCode::from(2)
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<bool> {
    let wall = Instant::now();
    let servers_wanted = cli.servers.unwrap_or(match cli.database {
        Backend::Sqlite => 1,
        Backend::Postgres => 2,
    });
    if servers_wanted == 0 || cli.pupils == 0 || cli.questions == 0 {
        bail!("--pupils, --servers and --questions must be at least 1");
    }
    let (files_soft, _) = raise_open_files();
    let binary = server_binary(&cli);
    if !binary.is_file() {
        bail!(
            "no khien-so binary at {} (build it with `cargo build --release -p server`, or pass --server-bin / KHIEN_SO_BIN)",
            binary.display()
        );
    }
    let root = repo_root();
    let content_dir = cli
        .content_dir
        .clone()
        .unwrap_or_else(|| root.join("content"));
    let site_root = root.join("target/site");
    let urls = pupil::Urls {
        login: server_fn_url("login")?,
        enter_round: server_fn_url("enter_round")?,
        save_answer: server_fn_url("save_answer")?,
        finish_attempt: server_fn_url("finish_attempt")?,
    };
    let needed_files = cli.pupils as u64 + 1_000;
    println!("Khiên Số load test");
    println!("  pupils:               {}", cli.pupils);
    println!(
        "  database:             {:?}, {} app server process(es)",
        cli.database, servers_wanted
    );
    println!(
        "  sign-in window:       {} min before the opening; start window {} s after it",
        cli.sign_in_minutes, cli.start_window_seconds
    );
    println!(
        "  questions:            {}, thinking {}..{} s before each answer",
        cli.questions, cli.think.0, cli.think.1
    );
    println!("  server binary:        {}", binary.display());
    println!(
        "  DB pool per server:   {}",
        cli.db_max_connections
            .map(|n| n.to_string())
            .unwrap_or_else(|| "app default (8 SQLite / 16 PostgreSQL)".to_owned())
    );
    println!(
        "  open files limit:     {files_soft}{}",
        if files_soft < needed_files {
            format!("  (WARNING: about {needed_files} needed; raise it with ulimit -n)")
        } else {
            String::new()
        }
    );
    println!(
        "  machine:              {} CPU(s); load generator and server(s) on this machine",
        std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(0)
    );
    let expected = cli.sign_in_minutes * 60.0
        + cli.start_window_seconds
        + f64::from(cli.questions) * (cli.think.0 + cli.think.1) / 2.0;
    println!(
        "  expected duration:    about {:.1} min of scenario, plus set-up",
        expected / 60.0
    );

    let run_id = uuid::Uuid::new_v4().simple().to_string()[..12].to_owned();
    let (store, url) = match cli.database {
        Backend::Sqlite => seed::Store::new_sqlite(&run_id)?,
        Backend::Postgres => seed::Store::new_postgres(&cli.postgres, &run_id).await?,
    };
    println!("  store:                {}", store.describe());
    let log_dir = store.log_dir(&run_id)?;
    println!("  server logs:          {}", log_dir.display());

    let outcome = run_on(
        &cli,
        &url,
        &binary,
        &content_dir,
        &site_root,
        &log_dir,
        servers_wanted,
        urls,
    )
    .await;

    if cli.keep {
        println!("\nKept {} (--keep).", store.describe());
    } else if let Err(e) = store.remove().await {
        println!("\nCould not remove {}: {e:#}", store.describe());
    } else {
        println!("\nRemoved {}.", store.describe());
    }
    println!("Whole run took {}.", secs(wall.elapsed()));
    outcome
}

#[allow(clippy::too_many_arguments)]
async fn run_on(
    cli: &Cli,
    url: &str,
    binary: &Path,
    content_dir: &Path,
    site_root: &Path,
    log_dir: &Path,
    servers_wanted: usize,
    urls: pupil::Urls,
) -> anyhow::Result<bool> {
    // Seed.
    let started = Instant::now();
    let db = app::platform::db::connect(url, 4)
        .await
        .context("connecting to the new database")?;
    let seeded = seed::seed_pupils(&db, content_dir, cli.pupils).await?;
    println!(
        "\nSeeded {} pupils in {} classes (one shared argon2 hash); question bank: {} questions ({}).",
        seeded.pupils,
        seeded.classes,
        seeded.questions,
        secs(started.elapsed())
    );
    if (cli.questions as usize) > seeded.questions {
        bail!(
            "--questions {} is more than the bank's {} questions",
            cli.questions,
            seeded.questions
        );
    }

    // Servers, one after the other (each migrates and syncs content on start).
    let settings = ServerSettings {
        binary,
        database_url: url,
        content_dir,
        site_root,
        db_max_connections: cli.db_max_connections,
        log_filter: cli.server_log.as_deref(),
    };
    let mut servers: Vec<Server> = Vec::new();
    for number in 1..=servers_wanted {
        let started = Instant::now();
        match servers::start(&settings, number, log_dir).await {
            Ok(server) => {
                println!(
                    "Server {number} ready at {} (pid {}) in {}.",
                    server.base_url,
                    server.pid,
                    secs(started.elapsed())
                );
                servers.push(server);
            }
            Err(e) => {
                for server in servers {
                    server.stop().await;
                }
                return Err(e);
            }
        }
    }

    let outcome = attack(cli, &db, &servers, urls).await;

    println!("\nStopping the servers…");
    let mut logs = Vec::new();
    for (i, server) in servers.into_iter().enumerate() {
        let log = server.log.clone();
        let status = server.stop().await;
        println!("  server {}: {status}", i + 1);
        logs.push(log);
    }
    println!("\nServer logs (WARN/ERROR lines):");
    for log in &logs {
        let (total, groups) = servers::log_problems(log);
        println!("  {}: {total}", log.display());
        for (message, count) in groups.iter().take(12) {
            println!("    {count:>7} × {message}");
        }
    }

    let (mut pass, round_id, results) = outcome?;

    // Verification, against what the servers left in the database.
    println!("\nVerifying acknowledged answers in the database…");
    let started = Instant::now();
    let verification = verify::verify(
        &db,
        round_id,
        &results.acks,
        &results.started,
        &results.submitted,
    )
    .await?;
    println!(
        "acknowledged answers: {}, found: {}, lost: {}",
        verification.acknowledged,
        verification.found,
        verification.lost()
    );
    println!(
        "acknowledged submissions: {}, submitted in the database: {}",
        verification.submissions_acknowledged, verification.submissions_found
    );
    println!(
        "attempts started (acknowledged): {}, contest entries in the round: {}; answers stored in those attempts: {}",
        verification.attempts_started,
        verification.entries_in_round,
        verification.answers_stored_in_round
    );
    println!(
        "participation records written by the submissions (coverage): {} for {} pupils who submitted",
        verification.participants_recorded, verification.submissions_acknowledged
    );
    println!("(verification took {})", secs(started.elapsed()));
    for example in &verification.lost_examples {
        println!("  LOST: {example}");
    }
    if verification.lost() > 0 {
        println!(
            "FAIL: {} acknowledged answers are not in the database",
            verification.lost()
        );
        pass = false;
    }
    if verification.submissions_found != verification.submissions_acknowledged {
        println!(
            "FAIL: {} acknowledged submissions are not submitted in the database",
            verification.submissions_acknowledged - verification.submissions_found
        );
        pass = false;
    }
    if verification.participants_recorded != verification.submissions_acknowledged as u64 {
        println!("FAIL: participation records do not match the submissions");
        pass = false;
    }
    db.close().await.ok();
    Ok(pass)
}

/// Creates the round, runs the pupils, prints the figures. Returns (target met, round, results).
async fn attack(
    cli: &Cli,
    db: &sea_orm::DatabaseConnection,
    servers: &[Server],
    urls: pupil::Urls,
) -> anyhow::Result<(bool, i32, Results)> {
    // The login form the server shows must post where the harness posts.
    let probe = reqwest::Client::builder().no_proxy().build()?;
    let html = probe
        .get(format!("{}/dang-nhap", servers[0].base_url))
        .send()
        .await?
        .text()
        .await?;
    if !html.contains(&format!("action=\"{}\"", urls.login)) {
        bail!(
            "the sign-in page does not post to {} — is the server binary built from this source?",
            urls.login
        );
    }

    let launch = Duration::from_secs_f64(cli.pupils as f64 / cli.launch_rate.max(1) as f64 + 3.0);
    let sign_in_window = Duration::from_secs_f64(cli.sign_in_minutes * 60.0);
    let start_window = Duration::from_secs_f64(cli.start_window_seconds);
    let epoch = Instant::now();
    let now_ms = app::clock::now_ms();
    let sign_in_from = epoch + launch;
    let opens = sign_in_from + sign_in_window;
    let opens_ms = now_ms + (launch + sign_in_window).as_millis() as i64;
    let closes_ms = opens_ms + start_window.as_millis() as i64 + 2 * 3_600_000;
    let round_id = seed::create_round(db, opens_ms, closes_ms, cli.questions).await?;
    println!(
        "\nRound {round_id} opens {} from now ({} launching users, then the {}-minute sign-in window).",
        secs(launch + sign_in_window),
        secs(launch),
        cli.sign_in_minutes
    );

    let shared_client = if cli.shared_connections {
        Some(pupil::browser(Duration::from_secs(cli.timeout_seconds)).build()?)
    } else {
        None
    };
    let plan = pupil::Plan {
        shared_client,
        servers: servers.iter().map(|s| s.base_url.clone()).collect(),
        pupils: cli.pupils,
        round_id,
        sign_in_from,
        sign_in_window,
        opens,
        start_window,
        think: (
            Duration::from_secs_f64(cli.think.0),
            Duration::from_secs_f64(cli.think.1),
        ),
        questions: cli.questions,
        urls,
        timeout: Duration::from_secs(cli.timeout_seconds),
        recorder: Recorder::new(epoch),
    };
    if pupil::PLAN.set(plan).is_err() {
        bail!("the plan was already set");
    }
    let plan = pupil::PLAN.get().expect("just set");

    // CPU and memory: each server, PostgreSQL (all its processes), this harness.
    let mut watches: Vec<Watch> = servers
        .iter()
        .enumerate()
        .map(|(i, s)| Watch {
            name: format!("server {}", i + 1),
            pids: Some(vec![s.pid]),
            match_comm: None,
        })
        .collect();
    if cli.database == Backend::Postgres {
        watches.push(Watch {
            name: "postgres".to_owned(),
            pids: None,
            match_comm: Some("postgres".to_owned()),
        });
    }
    watches.push(Watch {
        name: "harness".to_owned(),
        pids: Some(vec![std::process::id()]),
        match_comm: None,
    });
    let (readings, sampler) = servers::sample(watches, epoch, Duration::from_secs(5));
    let progress = tokio::spawn(progress(readings.clone(), cli.pupils));

    let server_urls: Vec<String> = servers.iter().map(|s| s.base_url.clone()).collect();
    let costs_before = scrape(&probe, &server_urls).await?;
    // A reading at the opening splits the cost of signing in (password hashing) from the round's.
    let at_opening = {
        let (probe, urls) = (probe.clone(), server_urls.clone());
        tokio::spawn(async move {
            tokio::time::sleep_until(opens.into()).await;
            scrape(&probe, &urls).await
        })
    };
    let scenario_started = Instant::now();
    let goose = GooseAttack::initialize_with_config(goose::config::GooseConfiguration::default())?
        .register_scenario(
            scenario!("Pupil").register_transaction(transaction!(pupil_round).set_name("round")),
        )
        // Launching users share one client; each pupil builds its own before signing in.
        .set_client_builder_without_cookies(GooseClientBuilder::new().without_cookies())?
        .set_default(GooseDefault::Host, servers[0].base_url.as_str())?
        .set_default(GooseDefault::Users, cli.pupils)?
        .set_default(
            GooseDefault::IncreaseRate,
            cli.launch_rate.to_string().as_str(),
        )?
        .set_default(GooseDefault::Iterations, 1)?
        // With --iterations goose keeps every request's metrics (no reset after the launch).
        .set_default(GooseDefault::Quiet, 1)?
        .set_default(GooseDefault::NoTelnet, true)?
        .set_default(
            GooseDefault::Timeout,
            cli.timeout_seconds.to_string().as_str(),
        )?
        .execute()
        .await;
    let scenario_time = scenario_started.elapsed();
    progress.abort();
    sampler.abort();
    let goose_metrics = goose.map_err(|e| anyhow!("goose: {e:?}"))?;

    let costs_after = scrape(&probe, &server_urls).await?;
    let costs_at_opening = at_opening.await??;

    let results = plan.recorder.take();
    let readings = readings.lock().unwrap().clone();
    let pass = report(
        cli,
        &results,
        &readings,
        scenario_time,
        epoch,
        opens,
        &goose_metrics,
    );
    // PostgreSQL's CPU seconds before and after the opening, from the 5-s readings.
    let opens_at = opens.duration_since(epoch);
    let postgres_cpu = |round: bool| {
        (cli.database == Backend::Postgres).then(|| {
            readings
                .iter()
                .filter(|r| (r.at >= opens_at) == round)
                .flat_map(|r| r.groups.iter())
                .filter(|(name, _, _)| name == "postgres")
                .map(|(_, cpu, _)| cpu / 100.0 * 5.0)
                .sum::<f64>()
        })
    };
    cost::report(
        "before the opening (signing in)",
        &costs_before,
        &costs_at_opening,
        postgres_cpu(false),
    );
    cost::report(
        "from the opening (the round)",
        &costs_at_opening,
        &costs_after,
        postgres_cpu(true),
    );
    Ok((pass, round_id, results))
}

/// `/metrics` of each server at these addresses, in order.
async fn scrape(
    client: &reqwest::Client,
    base_urls: &[String],
) -> anyhow::Result<Vec<cost::Scrape>> {
    let mut scrapes = Vec::with_capacity(base_urls.len());
    for url in base_urls {
        scrapes.push(
            cost::scrape(client, url)
                .await
                .with_context(|| format!("reading {url}/metrics"))?,
        );
    }
    Ok(scrapes)
}

/// A line every 30 s while the pupils run.
async fn progress(readings: Arc<Mutex<Vec<Reading>>>, pupils: usize) {
    let plan = pupil::PLAN.get().expect("plan");
    let rec = &plan.recorder;
    let mut tick = tokio::time::interval(Duration::from_secs(30));
    tick.tick().await;
    loop {
        tick.tick().await;
        let cpu = readings
            .lock()
            .unwrap()
            .last()
            .map(|r| {
                let groups: Vec<String> = r
                    .groups
                    .iter()
                    .map(|(name, cpu, _)| format!("{name} {cpu:.0}%"))
                    .collect();
                format!("CPU machine {:.0}% | {}", r.machine_busy, groups.join(", "))
            })
            .unwrap_or_default();
        let t = rec.epoch.elapsed().as_secs();
        println!(
            "[{:>2}:{:02}] signed in {}/{pupils} · started {} · answers {} · submitted {} · requests {} (in flight {}) · errors {} · {cpu}",
            t / 60,
            t % 60,
            rec.signed_in.load(Ordering::Relaxed),
            rec.in_round.load(Ordering::Relaxed),
            rec.answers.load(Ordering::Relaxed),
            rec.finished.load(Ordering::Relaxed),
            rec.requests.load(Ordering::Relaxed),
            rec.in_flight.load(Ordering::Relaxed),
            rec.error_count.load(Ordering::Relaxed),
        );
    }
}

/// Prints the figures; returns whether the latency and error targets were met.
fn report(
    cli: &Cli,
    results: &Results,
    readings: &[Reading],
    scenario_time: Duration,
    epoch: Instant,
    opens: Instant,
    goose_metrics: &GooseMetrics,
) -> bool {
    let limit = Duration::from_millis(cli.p99_limit_ms);
    let samples = &results.samples;
    let total = samples.len();
    let first = samples.iter().map(|s| s.start).min().unwrap_or_default();
    let last = samples
        .iter()
        .map(|s| s.start + s.latency)
        .max()
        .unwrap_or_default();
    let span = last.saturating_sub(first);
    println!("\n================ Khiên Số load test: results ================");
    println!(
        "pupils: {} · database: {:?} · servers: {} · questions: {} · think {}..{} s",
        cli.pupils,
        cli.database,
        cli.servers.unwrap_or(if cli.database == Backend::Sqlite {
            1
        } else {
            2
        }),
        cli.questions,
        cli.think.0,
        cli.think.1
    );
    println!("scenario time: {} (goose run)", secs(scenario_time));
    println!("total requests: {total}");
    println!(
        "throughput: {:.1} req/s over {} (first request to last response)",
        total as f64 / span.as_secs_f64().max(0.001),
        secs(span)
    );
    // Busiest 10 s, and the answering phase (from the opening to the end).
    let mut buckets: std::collections::BTreeMap<u64, usize> = std::collections::BTreeMap::new();
    for s in samples {
        *buckets.entry(s.start.as_secs() / 10).or_default() += 1;
    }
    if let Some((bucket, count)) = buckets.iter().max_by_key(|(_, c)| **c) {
        println!(
            "busiest 10 s: {:.1} req/s (from {} s after the start)",
            *count as f64 / 10.0,
            bucket * 10
        );
    }
    let opens_at = opens.duration_since(epoch);
    let after_opening = samples.iter().filter(|s| s.start >= opens_at).count();
    let round_span = last.saturating_sub(opens_at);
    println!(
        "after the opening: {after_opening} requests in {} = {:.1} req/s",
        secs(round_span),
        after_opening as f64 / round_span.as_secs_f64().max(0.001)
    );
    println!("\nlatency per request type (client side, request sent → whole body read), ms:");
    println!(
        "{:<15} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8}",
        "request", "count", "errors", "p50", "p95", "p99", "max", "mean"
    );
    let mut pass = true;
    let mut failures = Vec::new();
    let mut all: Vec<Duration> = samples.iter().map(|s| s.latency).collect();
    all.sort_unstable();
    for kind in Kind::ALL {
        let s = results.summary(kind);
        println!(
            "{:<15} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9} {:>8}",
            kind.label(),
            s.count,
            s.errors,
            ms(s.p50),
            ms(s.p95),
            ms(s.p99),
            ms(s.max),
            ms(s.mean)
        );
        if s.p99 >= limit {
            failures.push(format!(
                "{}: p99 {} ms is not under {} ms",
                kind.label(),
                ms(s.p99),
                cli.p99_limit_ms
            ));
        }
    }
    let errors: u64 = results.errors.values().sum();
    println!(
        "{:<15} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}",
        "all",
        total,
        errors,
        ms(record::percentile(&all, 50.0)),
        ms(record::percentile(&all, 95.0)),
        ms(record::percentile(&all, 99.0)),
        ms(all.last().copied().unwrap_or_default()),
    );
    println!("\nerrors: {errors}");
    println!(
        "requests refused as busy (503 or a form sent back) and sent again: {}",
        results.shed
    );
    for ((kind, message), count) in &results.errors {
        println!("  {count:>7} × {}: {message}", kind.label());
    }
    if errors > 0 {
        failures.push(format!("{errors} errors"));
    }
    let submitted = results.submitted.len();
    println!(
        "pupils who submitted: {submitted} of {} (started: {})",
        cli.pupils,
        results.started.len()
    );
    if submitted != cli.pupils {
        failures.push(format!(
            "{} pupils did not get to submit",
            cli.pupils - submitted
        ));
    }
    // Goose's own figures (time to first byte), for comparison.
    println!("\ngoose's own figures per request (time to first byte, ms):");
    let mut names: Vec<_> = goose_metrics.requests.keys().cloned().collect();
    names.sort();
    for name in names {
        let r = &goose_metrics.requests[&name];
        println!(
            "  {name:<22} ok {:>7}  failed {:>5}  mean {:>8.1}  max {:>6}",
            r.success_count,
            r.fail_count,
            r.raw_data.total_time_us as f64 / 1000.0 / (r.raw_data.counter.max(1)) as f64,
            format!("{:.1}", r.raw_data.maximum_time_us as f64 / 1000.0)
        );
    }
    // CPU.
    if !readings.is_empty() {
        println!("\nCPU (100% = one core; machine = share of all cores) and memory, 5-s samples:");
        let busy: Vec<f64> = readings.iter().map(|r| r.machine_busy).collect();
        let in_round: Vec<&Reading> = readings.iter().filter(|r| r.at >= opens_at).collect();
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
        let max = |v: &[f64]| v.iter().cloned().fold(0.0, f64::max);
        let busy_round: Vec<f64> = in_round.iter().map(|r| r.machine_busy).collect();
        println!(
            "  {:<10} mean {:>5.0}%  max {:>5.0}%  (after the opening: mean {:>5.0}%)",
            "machine",
            mean(&busy),
            max(&busy),
            mean(&busy_round)
        );
        for (i, (name, _, _)) in readings[0].groups.iter().enumerate() {
            let cpu: Vec<f64> = readings.iter().map(|r| r.groups[i].1).collect();
            let cpu_round: Vec<f64> = in_round.iter().map(|r| r.groups[i].1).collect();
            let rss = readings.iter().map(|r| r.groups[i].2).max().unwrap_or(0);
            println!(
                "  {name:<10} mean {:>5.0}%  max {:>5.0}%  (after the opening: mean {:>5.0}%)  max RSS {:.0} MiB{}",
                mean(&cpu),
                max(&cpu),
                mean(&cpu_round),
                rss as f64 / 1_048_576.0,
                if name == "postgres" {
                    " (summed over its processes: shared buffers counted several times)"
                } else {
                    ""
                }
            );
        }
        // What the rest of the machine used (builds, other services): it competes for the cores.
        let cores = std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(1) as f64;
        let others = |r: &Reading| {
            (r.machine_busy * cores - r.groups.iter().map(|g| g.1).sum::<f64>()).max(0.0)
        };
        let other: Vec<f64> = readings.iter().map(others).collect();
        let other_round: Vec<f64> = in_round.iter().map(|r| others(r)).collect();
        println!(
            "  {:<10} mean {:>5.0}%  max {:>5.0}%  (after the opening: mean {:>5.0}%)  — processes outside the test",
            "others",
            mean(&other),
            max(&other),
            mean(&other_round)
        );
        println!("  timeline (every 30 s: machine% / per group%):");
        for r in readings.iter().step_by(6) {
            let groups: Vec<String> = r
                .groups
                .iter()
                .map(|(n, c, _)| format!("{n} {c:.0}%"))
                .collect();
            println!(
                "    {:>5} s  machine {:>3.0}%  {}  others {:.0}%",
                r.at.as_secs(),
                r.machine_busy,
                groups.join("  "),
                others(r)
            );
        }
    }
    if failures.is_empty() {
        println!(
            "\nTarget met: no errors, every p99 under {} ms, every pupil submitted.",
            cli.p99_limit_ms
        );
    } else {
        pass = false;
        println!("\nTarget missed:");
        for f in &failures {
            println!("  - {f}");
        }
    }
    pass
}
