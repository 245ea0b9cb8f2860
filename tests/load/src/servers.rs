//! The app servers under test (`khien-so serve` child processes) and a sampler of CPU and memory
//! use from /proc, so a report can say what was saturated.

use anyhow::{Context, bail};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::process::{Child, Command};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Server {
    pub base_url: String,
    pub pid: u32,
    pub log: PathBuf,
    child: Child,
}

/// A free port on 127.0.0.1 (bound and released; the server binds it a moment later).
fn free_port() -> anyhow::Result<u16> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    Ok(listener.local_addr()?.port())
}

pub struct ServerSettings<'a> {
    pub binary: &'a Path,
    pub database_url: &'a str,
    pub content_dir: &'a Path,
    pub site_root: &'a Path,
    pub db_max_connections: Option<u32>,
    pub log_filter: Option<&'a str>,
}

/// Starts `khien-so serve` and waits until `/healthz` answers 200.
pub async fn start(
    settings: &ServerSettings<'_>,
    number: usize,
    log_dir: &Path,
) -> anyhow::Result<Server> {
    let port = free_port()?;
    let log = log_dir.join(format!("server-{number}.log"));
    let file =
        std::fs::File::create(&log).with_context(|| format!("creating {}", log.display()))?;
    let mut command = Command::new(settings.binary);
    command
        .arg("serve")
        .env("KHIEN_SO_DATABASE_URL", settings.database_url)
        .env("KHIEN_SO_LISTEN", format!("127.0.0.1:{port}"))
        .env("KHIEN_SO_CONTENT_DIR", settings.content_dir)
        .env("KHIEN_SO_SITE_ROOT", settings.site_root)
        .stdin(Stdio::null())
        .stdout(Stdio::from(file.try_clone()?))
        .stderr(Stdio::from(file));
    if let Some(n) = settings.db_max_connections {
        command.env("KHIEN_SO_DB_MAX_CONNECTIONS", n.to_string());
    }
    if let Some(filter) = settings.log_filter {
        command.env("KHIEN_SO_LOG", filter);
    }
    let mut child = command
        .spawn()
        .with_context(|| format!("starting {}", settings.binary.display()))?;
    let pid = child.id();
    let base_url = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::builder()
        .no_proxy()
        .timeout(Duration::from_secs(2))
        .build()?;
    let deadline = Instant::now() + Duration::from_secs(180);
    loop {
        if let Some(status) = child.try_wait()? {
            bail!(
                "server {number} exited ({status}) before answering /healthz; its log:\n{}",
                tail(&log, 30)
            );
        }
        if let Ok(response) = client.get(format!("{base_url}/healthz")).send().await
            && response.status().is_success()
        {
            break;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            bail!(
                "server {number} did not answer /healthz within 180 s; its log:\n{}",
                tail(&log, 30)
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    Ok(Server {
        base_url,
        pid,
        log,
        child,
    })
}

impl Server {
    /// SIGTERM (the server finishes in-flight requests), then SIGKILL after 20 s.
    pub async fn stop(mut self) -> String {
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid.to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => return format!("exited ({status})"),
                Ok(None) if Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(100)).await
                }
                _ => {
                    let _ = self.child.kill();
                    let _ = self.child.wait();
                    return "killed after 20 s without exiting".to_owned();
                }
            }
        }
    }
}

impl Drop for Server {
    /// A server is never left running, even when the harness fails half-way.
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// The last `lines` lines of a file.
pub fn tail(path: &Path, lines: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let all: Vec<&str> = text.lines().collect();
    all[all.len().saturating_sub(lines)..].join("\n")
}

/// WARN and ERROR lines of a server log, grouped by their message (timestamps dropped).
pub fn log_problems(path: &Path) -> (usize, Vec<(String, usize)>) {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let mut groups: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = 0;
    for line in text.lines() {
        let clean = strip_ansi(line);
        if clean.contains(" WARN ") || clean.contains(" ERROR ") || clean.contains("panicked") {
            total += 1;
            // "2026-…Z  WARN target: message" → "WARN target: message"
            let key = clean
                .split_once(' ')
                .map(|(_, rest)| rest.trim().to_owned())
                .unwrap_or(clean.clone());
            // Numbers (latencies, wait times, ports) replaced, so that like messages group.
            let key: String = normalise_numbers(&key).chars().take(220).collect();
            *groups.entry(key).or_default() += 1;
        }
    }
    let mut groups: Vec<(String, usize)> = groups.into_iter().collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.1));
    (total, groups)
}

fn normalise_numbers(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_number = false;
    for c in text.chars() {
        if c.is_ascii_digit() || (in_number && c == '.') {
            if !in_number {
                out.push('#');
                in_number = true;
            }
        } else {
            in_number = false;
            out.push(c);
        }
    }
    out
}

fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// CPU and memory sampling

/// Clock ticks per second of /proc times (USER_HZ, 100 on Linux).
const TICKS: f64 = 100.0;

/// One reading every few seconds: CPU% of each watched group since the previous reading (100% =
/// one core) and the machine's busy share of all cores.
#[derive(Clone, Debug)]
pub struct Reading {
    pub at: Duration,
    pub machine_busy: f64,
    pub groups: Vec<(String, f64, u64)>,
}

#[derive(Clone)]
pub struct Watch {
    pub name: String,
    /// Fixed processes, or `None` for "every process whose name is `match_comm`".
    pub pids: Option<Vec<u32>>,
    pub match_comm: Option<String>,
}

fn proc_times(pid: u32) -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let after = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after.split_whitespace().collect();
    // After the name: state(0) … utime(11) stime(12) … rss(21, pages)
    let utime: u64 = fields.get(11)?.parse().ok()?;
    let stime: u64 = fields.get(12)?.parse().ok()?;
    let rss_pages: u64 = fields.get(21)?.parse().ok()?;
    Some((utime + stime, rss_pages * 4096))
}

fn comm_pids(name: &str) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    dir.filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm"))
                .map(|c| c.trim() == name)
                .unwrap_or(false)
        })
        .collect()
}

fn machine_times() -> Option<(u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?;
    let values: Vec<u64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|v| v.parse().ok())
        .collect();
    let idle = values.get(3)? + values.get(4).unwrap_or(&0);
    let total: u64 = values.iter().take(8).sum();
    Some((total - idle, total))
}

/// Samples every `every` until stopped; the readings are shared.
pub fn sample(
    watches: Vec<Watch>,
    epoch: Instant,
    every: Duration,
) -> (Arc<Mutex<Vec<Reading>>>, tokio::task::JoinHandle<()>) {
    let readings = Arc::new(Mutex::new(Vec::new()));
    let out = readings.clone();
    let handle = tokio::spawn(async move {
        // Per process, so that processes coming and going (PostgreSQL backends) count right.
        let group_ticks = |w: &Watch| -> (HashMap<u32, u64>, u64) {
            let pids = match (&w.pids, &w.match_comm) {
                (Some(p), _) => p.clone(),
                (None, Some(name)) => comm_pids(name),
                _ => vec![],
            };
            let mut ticks = HashMap::new();
            let mut rss = 0;
            for pid in pids {
                if let Some((t, r)) = proc_times(pid) {
                    ticks.insert(pid, t);
                    rss += r;
                }
            }
            (ticks, rss)
        };
        let mut previous: Vec<HashMap<u32, u64>> =
            watches.iter().map(|w| group_ticks(w).0).collect();
        let mut previous_machine = machine_times().unwrap_or((0, 1));
        let mut last = Instant::now();
        loop {
            tokio::time::sleep(every).await;
            let elapsed = last.elapsed().as_secs_f64();
            last = Instant::now();
            let mut groups = Vec::new();
            for (i, w) in watches.iter().enumerate() {
                let (ticks, rss) = group_ticks(w);
                let delta: u64 = ticks
                    .iter()
                    .map(|(pid, t)| t.saturating_sub(previous[i].get(pid).copied().unwrap_or(0)))
                    .sum();
                let cpu = delta as f64 / TICKS / elapsed * 100.0;
                previous[i] = ticks;
                groups.push((w.name.clone(), cpu, rss));
            }
            let machine = machine_times().unwrap_or(previous_machine);
            let busy = (machine.0.saturating_sub(previous_machine.0)) as f64
                / (machine.1.saturating_sub(previous_machine.1)).max(1) as f64
                * 100.0;
            previous_machine = machine;
            out.lock().unwrap().push(Reading {
                at: epoch.elapsed(),
                machine_busy: busy,
                groups,
            });
        }
    });
    (readings, handle)
}
