//! The `khien-so` binary as an operator uses it: checking content, migrating, serving and
//! stopping on SIGTERM. Runs on SQLite, or PostgreSQL when `KHIEN_SO_TEST_DB=postgres`.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::{BIN, database_url, repo};

fn run(args: &[&str], envs: &[(&str, &str)]) -> Output {
    Command::new(BIN)
        .args(args)
        .current_dir(repo())
        .envs(envs.iter().copied())
        .output()
        .unwrap()
}

#[test]
fn check_content_accepts_the_shipped_content() {
    let out = run(&["check-content"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Nội dung hợp lệ:"));
}

#[test]
fn check_content_read_by_a_reader_that_stops_early_ends_quietly() {
    // `check-content | head -1`: the reader has gone before anything is written (its end of the
    // pipe is closed before the program starts, so every write meets a closed pipe).
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = Command::new(BIN)
        .arg("check-content")
        .current_dir(repo())
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.status.success(), "{stderr}");
}

#[test]
fn check_content_prints_file_and_line_and_fails() {
    let dir = std::env::temp_dir().join(format!("ks-cli-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(dir.join("questions")).unwrap();
    std::fs::write(
        dir.join("topics.toml"),
        "[[topic]]\nslug = \"otp\"\ntrack = \"X\"\ntitle = \"a\"\ntitle_en = \"a\"\n",
    )
    .unwrap();
    let dir_text = dir.to_string_lossy().to_string();
    let out = run(&["check-content", "--dir", &dir_text], &[]);
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!(
            "{}:3: track phải là \"A\" hoặc \"B\"",
            dir.join("topics.toml").display()
        )),
        "{stdout}"
    );
}

#[tokio::test]
async fn migrate_then_serve_then_stop_on_sigterm() {
    let url = database_url().await;
    let out = run(&["migrate"], &[("KHIEN_SO_DATABASE_URL", &url)]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let listen = format!("127.0.0.1:{port}");
    let log = std::env::temp_dir().join(format!("ks-serve-{port}.log"));
    let mut child = Command::new(BIN)
        .arg("serve")
        .current_dir(repo())
        .env("KHIEN_SO_DATABASE_URL", &url)
        .env("KHIEN_SO_LISTEN", &listen)
        .env("KHIEN_SO_LOG_FORMAT", "json")
        .stdout(std::fs::File::create(&log).unwrap())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        if let Ok(r) = client.get(format!("http://{listen}/healthz")).send().await
            && r.status().is_success()
        {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "server did not start"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let stopped = Instant::now();
    let exit = loop {
        if let Some(exit) = child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            stopped.elapsed() < Duration::from_secs(10),
            "server ignored SIGTERM"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(exit.success(), "exit status {exit}");
    let log = std::fs::read_to_string(&log).unwrap();
    assert!(
        log.contains("\"shutdown signal received") || log.contains("shutdown signal received"),
        "{log}"
    );
    assert!(log.lines().all(|l| l.starts_with('{')), "JSON logs: {log}");
}
