//! How many requests this server works on at once.
//!
//! A request is worked on only with one of [`Admission`]'s turns; the others wait for one, first
//! come first served, parked (no task runs for them, so the answer and start writers are never
//! starved of the CPU by thousands of half-done requests, and each costs only its request head and
//! its already-read body). A request that waited `KHIEN_SO_MAX_WAIT_SECONDS` without a turn, or
//! arrives when [`MAX_WAITING_PER_TURN`] per turn already wait, is answered "busy — try again"
//! before anything of it is done (the server middleware writes that answer), so memory stays
//! bounded whatever arrives.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// Requests worked on at once unless `KHIEN_SO_MAX_IN_FLIGHT` says otherwise: enough for the
/// answer writer to fill its shared commits (a save holds its turn until its commit), few enough
/// that two cores switch between them quickly.
pub const DEFAULT_MAX_IN_FLIGHT: usize = 256;

/// How long a request waits for a turn unless `KHIEN_SO_MAX_WAIT_SECONDS` says otherwise.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// Requests that may wait, per turn: beyond that a request is answered "busy" at once.
pub const MAX_WAITING_PER_TURN: usize = 32;

/// The turns of one server.
#[derive(Debug)]
pub struct Admission {
    turns: Arc<Semaphore>,
    max_in_flight: usize,
    wait: Duration,
    waiting: AtomicUsize,
    shed: AtomicU64,
}

/// A turn: the request is worked on while it is held.
pub type Turn = OwnedSemaphorePermit;

impl Admission {
    pub fn new(max_in_flight: usize, wait: Duration) -> Admission {
        let max_in_flight = max_in_flight.max(1);
        Admission {
            turns: Arc::new(Semaphore::new(max_in_flight)),
            max_in_flight,
            wait,
            waiting: AtomicUsize::new(0),
            shed: AtomicU64::new(0),
        }
    }

    /// A turn, at once or after waiting; `None` (counted as shed) when none came in time or too
    /// many already wait.
    pub async fn turn(&self) -> Option<Turn> {
        if let Ok(turn) = self.turns.clone().try_acquire_owned() {
            return Some(turn);
        }
        let limit = self.max_in_flight.saturating_mul(MAX_WAITING_PER_TURN);
        if self.waiting.fetch_add(1, Ordering::AcqRel) >= limit {
            self.waiting.fetch_sub(1, Ordering::AcqRel);
            self.shed.fetch_add(1, Ordering::Relaxed);
            return None;
        }
        // Counted as waiting until this returns or the request is dropped (client gone).
        struct Waiting<'a>(&'a AtomicUsize);
        impl Drop for Waiting<'_> {
            fn drop(&mut self) {
                self.0.fetch_sub(1, Ordering::AcqRel);
            }
        }
        let _waiting = Waiting(&self.waiting);
        match tokio::time::timeout(self.wait, self.turns.clone().acquire_owned()).await {
            Ok(Ok(turn)) => Some(turn),
            _ => {
                self.shed.fetch_add(1, Ordering::Relaxed);
                None
            }
        }
    }

    /// Requests being worked on now.
    pub fn in_flight(&self) -> usize {
        self.max_in_flight - self.turns.available_permits()
    }

    /// Requests waiting for a turn now.
    pub fn waiting(&self) -> usize {
        self.waiting.load(Ordering::Acquire)
    }

    /// Requests answered "busy" without a turn so far.
    pub fn shed(&self) -> u64 {
        self.shed.load(Ordering::Relaxed)
    }

    /// The most requests worked on at once.
    pub fn max_in_flight(&self) -> usize {
        self.max_in_flight
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_request_waits_for_a_turn_in_order_and_is_shed_when_none_comes_in_time() {
        let admission = Arc::new(Admission::new(1, Duration::from_millis(300)));
        let first = admission.turn().await.expect("a free turn at once");
        assert_eq!((admission.in_flight(), admission.waiting()), (1, 0));
        // Waits, gets the turn when the first request ends.
        let second = tokio::spawn({
            let admission = admission.clone();
            async move { admission.turn().await.is_some() }
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(admission.waiting(), 1);
        drop(first);
        assert!(
            second.await.unwrap(),
            "the waiting request got the freed turn"
        );
        assert_eq!((admission.in_flight(), admission.waiting()), (0, 0));
        // Nobody frees the turn: the waiting request is shed after the wait.
        let held = admission.turn().await.expect("free again");
        let started = std::time::Instant::now();
        assert!(admission.turn().await.is_none());
        assert!(started.elapsed() >= Duration::from_millis(300));
        assert_eq!((admission.shed(), admission.waiting()), (1, 0));
        drop(held);
        assert!(admission.turn().await.is_some());
    }

    #[tokio::test]
    async fn beyond_the_waiting_limit_a_request_is_shed_at_once() {
        let admission = Arc::new(Admission::new(1, Duration::from_secs(30)));
        let _held = admission.turn().await.unwrap();
        let waiters: Vec<_> = (0..MAX_WAITING_PER_TURN)
            .map(|_| {
                let admission = admission.clone();
                tokio::spawn(async move { admission.turn().await.is_some() })
            })
            .collect();
        while admission.waiting() < MAX_WAITING_PER_TURN {
            tokio::task::yield_now().await;
        }
        let started = std::time::Instant::now();
        assert!(admission.turn().await.is_none());
        assert!(started.elapsed() < Duration::from_secs(1));
        assert_eq!(admission.shed(), 1);
        // A waiter whose client goes away stops counting.
        for waiter in &waiters {
            waiter.abort();
        }
        for waiter in waiters {
            let _ = waiter.await;
        }
        assert_eq!(admission.waiting(), 0);
    }
}
