//! What the simulated pupils saw, measured on the client: one sample per HTTP request (type,
//! when it started, how long until the whole body was read, whether it was right), the errors by
//! message, and every answer and submission the server acknowledged.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

/// The request types reported separately.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    Login,
    EnterRound,
    FirstPage,
    SaveAnswer,
    FinishAttempt,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Login,
        Kind::EnterRound,
        Kind::FirstPage,
        Kind::SaveAnswer,
        Kind::FinishAttempt,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Kind::Login => "login",
            Kind::EnterRound => "enter_round",
            Kind::FirstPage => "first page",
            Kind::SaveAnswer => "save_answer",
            Kind::FinishAttempt => "finish_attempt",
        }
    }
}

#[derive(Clone, Copy, Debug)]
pub struct Sample {
    pub kind: Kind,
    /// Start of the request, from the run's epoch.
    pub start: Duration,
    /// From sending to the last byte of the body.
    pub latency: Duration,
}

/// One answer the server said it saved.
#[derive(Clone, Debug)]
pub struct Ack {
    pub attempt: String,
    pub position: u32,
    /// The display position chosen.
    pub display: u32,
}

pub struct Recorder {
    pub epoch: Instant,
    samples: Mutex<Vec<Sample>>,
    errors: Mutex<BTreeMap<(Kind, String), u64>>,
    acks: Mutex<Vec<Ack>>,
    submitted: Mutex<Vec<String>>,
    started: Mutex<Vec<String>>,
    pub signed_in: AtomicU64,
    pub in_round: AtomicU64,
    pub answers: AtomicU64,
    pub finished: AtomicU64,
    pub error_count: AtomicU64,
    pub requests: AtomicU64,
    pub in_flight: AtomicU64,
    /// Requests the server turned away as busy (503, or a form sent back with the busy error),
    /// sent again as the page or the pupil does.
    pub shed: AtomicU64,
}

impl Recorder {
    pub fn new(epoch: Instant) -> Recorder {
        Recorder {
            epoch,
            samples: Mutex::new(Vec::new()),
            errors: Mutex::new(BTreeMap::new()),
            acks: Mutex::new(Vec::new()),
            submitted: Mutex::new(Vec::new()),
            started: Mutex::new(Vec::new()),
            signed_in: AtomicU64::new(0),
            in_round: AtomicU64::new(0),
            answers: AtomicU64::new(0),
            finished: AtomicU64::new(0),
            error_count: AtomicU64::new(0),
            requests: AtomicU64::new(0),
            in_flight: AtomicU64::new(0),
            shed: AtomicU64::new(0),
        }
    }

    pub fn sample(&self, sample: Sample) {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.samples.lock().unwrap().push(sample);
    }

    /// Counts an error; messages are grouped, so keep ids out of them.
    pub fn error(&self, kind: Kind, message: impl Into<String>) {
        self.error_count.fetch_add(1, Ordering::Relaxed);
        *self
            .errors
            .lock()
            .unwrap()
            .entry((kind, message.into()))
            .or_default() += 1;
    }

    pub fn ack(&self, ack: Ack) {
        self.answers.fetch_add(1, Ordering::Relaxed);
        self.acks.lock().unwrap().push(ack);
    }

    pub fn started(&self, attempt: &str) {
        self.in_round.fetch_add(1, Ordering::Relaxed);
        self.started.lock().unwrap().push(attempt.to_owned());
    }

    pub fn submitted(&self, attempt: &str) {
        self.finished.fetch_add(1, Ordering::Relaxed);
        self.submitted.lock().unwrap().push(attempt.to_owned());
    }

    pub fn take(&self) -> Results {
        Results {
            samples: std::mem::take(&mut *self.samples.lock().unwrap()),
            errors: std::mem::take(&mut *self.errors.lock().unwrap()),
            acks: std::mem::take(&mut *self.acks.lock().unwrap()),
            submitted: std::mem::take(&mut *self.submitted.lock().unwrap()),
            started: std::mem::take(&mut *self.started.lock().unwrap()),
            shed: self.shed.load(Ordering::Relaxed),
        }
    }
}

pub struct Results {
    pub samples: Vec<Sample>,
    pub errors: BTreeMap<(Kind, String), u64>,
    pub acks: Vec<Ack>,
    pub submitted: Vec<String>,
    pub started: Vec<String>,
    /// Requests refused as busy and sent again.
    pub shed: u64,
}

/// Latency figures of one request type.
pub struct Summary {
    pub count: usize,
    pub errors: u64,
    pub p50: Duration,
    pub p95: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub mean: Duration,
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

impl Results {
    pub fn summary(&self, kind: Kind) -> Summary {
        let mut times: Vec<Duration> = self
            .samples
            .iter()
            .filter(|s| s.kind == kind)
            .map(|s| s.latency)
            .collect();
        times.sort_unstable();
        let errors = self
            .errors
            .iter()
            .filter(|((k, _), _)| *k == kind)
            .map(|(_, n)| *n)
            .sum();
        let total: Duration = times.iter().sum();
        Summary {
            count: times.len(),
            errors,
            p50: percentile(&times, 50.0),
            p95: percentile(&times, 95.0),
            p99: percentile(&times, 99.0),
            max: times.last().copied().unwrap_or_default(),
            mean: if times.is_empty() {
                Duration::ZERO
            } else {
                total / times.len() as u32
            },
        }
    }
}

pub fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}
