//! Who is behind a session, kept by each app server: every request asks who is calling, and
//! reading the session, its account and grants from the database each time was one query in
//! three of a contest round's answer saves.
//!
//! A kept session is used only while it cannot be out of date:
//! - **Changes made by this process** forget the account (or session) right after their commit:
//!   signing out, locking, a new or reset password, a role granted or revoked, a pupil moved or
//!   removed ([`forget_account`], [`forget_session`]). The next request reads it again.
//! - **Changes made by another app server** (PostgreSQL): triggers on `account`, `role_grant` and
//!   `session` notify the channel [`CHANNEL`] with the account's id when their transaction
//!   commits, and each server's listener ([`listen`]) forgets that account. While the listener is
//!   not connected the server keeps nothing, and when it connects it forgets everything (what was
//!   notified meanwhile is lost). One SQLite file is served by one process, so on SQLite the
//!   first rule is enough.
//! - **A read that raced a change** must not put the old state back after it was forgotten:
//!   every forgetting moves a generation on, and a read is kept only if the generation it started
//!   at is still current (checked and kept under the same lock).
//! - Nothing is kept longer than [`KEEP_MS`], and the session's `last_seen_at` (written once a
//!   minute) is refreshed through the database as before, so idle and absolute expiry are
//!   unchanged.

use crate::accounts::auth::Grant;
use sea_orm::DatabaseConnection;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, LazyLock, Mutex, Weak};

/// The PostgreSQL channel the identity triggers notify (payload: the account id).
pub const CHANNEL: &str = "khien_so_identity";
/// A kept session is read again after this long (ms), whatever happened.
pub const KEEP_MS: i64 = 30_000;
/// Most sessions kept per server; when full, all are forgotten and the next requests refill it.
pub const MAX_KEPT: usize = 200_000;

/// A session with its account and the account's grants, as read from the database.
#[derive(Debug)]
pub struct SessionRow {
    pub expires_at: i64,
    pub last_seen_at: i64,
    pub account_id: i32,
    pub username: String,
    pub full_name: String,
    pub learner_id: String,
    pub must_change_password: bool,
    pub disabled: bool,
    pub grants: Vec<Grant>,
}

struct Kept {
    row: Arc<SessionRow>,
    kept_at: i64,
}

#[derive(Default)]
struct Inner {
    sessions: HashMap<String, Kept>,
    /// The kept sessions of each account, so forgetting one account does not scan them all (an
    /// import notifies once per account).
    by_account: HashMap<i32, Vec<String>>,
    /// Moves on at every forgetting.
    generation: u64,
}

/// One app server's kept sessions (see the module's documentation for when they are used).
pub struct IdentityCache {
    inner: Mutex<Inner>,
    /// False while changes made by other servers could be missed.
    trusted: AtomicBool,
}

/// Every cache of this process, so that a change made here is forgotten by all of them (one in
/// production; the tests run several servers in one process).
static CACHES: LazyLock<Mutex<Vec<Weak<IdentityCache>>>> = LazyLock::new(Default::default);

impl IdentityCache {
    /// A new cache, trusted at once (SQLite) or only once its listener is connected
    /// (PostgreSQL: `trusted = false`, then [`listen`]).
    pub fn new(trusted: bool) -> Arc<IdentityCache> {
        let cache = Arc::new(IdentityCache {
            inner: Mutex::new(Inner::default()),
            trusted: AtomicBool::new(trusted),
        });
        let mut all = CACHES.lock().unwrap_or_else(|e| e.into_inner());
        all.retain(|c| c.strong_count() > 0);
        all.push(Arc::downgrade(&cache));
        cache
    }

    fn inner(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// The kept session, if it was kept less than [`KEEP_MS`] ago and the cache is trusted.
    pub fn get(&self, session_id: &str, now: i64) -> Option<Arc<SessionRow>> {
        if !self.trusted.load(Ordering::Acquire) {
            return None;
        }
        let inner = self.inner();
        let kept = inner.sessions.get(session_id)?;
        (now - kept.kept_at < KEEP_MS).then(|| kept.row.clone())
    }

    /// Taken before reading a session from the database and given back to [`Self::keep`];
    /// `None` when nothing may be kept now.
    pub fn generation(&self) -> Option<u64> {
        if !self.trusted.load(Ordering::Acquire) {
            return None;
        }
        Some(self.inner().generation)
    }

    /// Keeps a session read from the database, unless something was forgotten since the read
    /// started (`read_at` is [`Self::generation`] from before the read).
    pub fn keep(&self, session_id: String, row: Arc<SessionRow>, read_at: u64, now: i64) {
        let mut inner = self.inner();
        if inner.generation != read_at || !self.trusted.load(Ordering::Acquire) {
            return;
        }
        if inner.sessions.len() >= MAX_KEPT {
            inner.sessions.clear();
            inner.by_account.clear();
        }
        let account = row.account_id;
        let kept = Kept { row, kept_at: now };
        if inner.sessions.insert(session_id.clone(), kept).is_none() {
            inner
                .by_account
                .entry(account)
                .or_default()
                .push(session_id);
        }
    }

    /// Forgets one account's sessions in this cache.
    pub fn forget_account(&self, account_id: i32) {
        let mut inner = self.inner();
        inner.generation += 1;
        for id in inner.by_account.remove(&account_id).unwrap_or_default() {
            inner.sessions.remove(&id);
        }
    }

    /// Forgets one session in this cache.
    pub fn forget_session(&self, session_id: &str) {
        let mut inner = self.inner();
        inner.generation += 1;
        if let Some(kept) = inner.sessions.remove(session_id) {
            let account = kept.row.account_id;
            if let Some(ids) = inner.by_account.get_mut(&account) {
                ids.retain(|id| id != session_id);
                if ids.is_empty() {
                    inner.by_account.remove(&account);
                }
            }
        }
    }

    /// Forgets everything (the listener reconnected, or changes may have been missed).
    pub fn forget_all(&self) {
        let mut inner = self.inner();
        inner.generation += 1;
        inner.sessions.clear();
        inner.by_account.clear();
    }

    fn set_trusted(&self, trusted: bool) {
        self.trusted.store(trusted, Ordering::Release);
    }

    /// How many sessions are kept (for `/metrics` and tests).
    pub fn len(&self) -> usize {
        self.inner().sessions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn every_cache(forget: impl Fn(&IdentityCache)) {
    let all: Vec<Arc<IdentityCache>> = CACHES
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .filter_map(Weak::upgrade)
        .collect();
    for cache in all {
        forget(&cache);
    }
}

/// Forgets an account's sessions in every cache of this process. Call it after the commit of
/// anything that changes what a session resolves to: the account's lock, password, name, roles,
/// school, or its sessions.
pub fn forget_account(account_id: i32) {
    every_cache(|c| c.forget_account(account_id));
}

/// Forgets one session (by its stored id, the token's hash) in every cache of this process.
pub fn forget_session(session_id: &str) {
    every_cache(|c| c.forget_session(session_id));
}

/// PostgreSQL: listens on [`CHANNEL`] and forgets each notified account in `cache`; trusts the
/// cache only while listening. Runs until the cache is dropped.
pub async fn listen(db: DatabaseConnection, cache: Weak<IdentityCache>) {
    use sea_orm::sqlx::postgres::PgListener;
    let pool = db.get_postgres_connection_pool().clone();
    let mut failures = 0u32;
    loop {
        let Some(strong) = cache.upgrade() else {
            return;
        };
        strong.set_trusted(false);
        drop(strong);
        let listener = async {
            let mut listener = PgListener::connect_with(&pool).await?;
            listener.listen(CHANNEL).await?;
            Ok::<_, sea_orm::sqlx::Error>(listener)
        }
        .await;
        let mut listener = match listener {
            Ok(listener) => listener,
            Err(error) => {
                failures += 1;
                // Logged once, then every minute or so, while the database is away.
                if failures == 1 || failures.is_multiple_of(60) {
                    tracing::warn!(%error, "identity listener cannot connect; sessions are read from the database meanwhile");
                }
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        failures = 0;
        // Listening from now on: what changed before is forgotten, what changes next is notified.
        match cache.upgrade() {
            Some(strong) => {
                strong.forget_all();
                strong.set_trusted(true);
            }
            None => return,
        }
        loop {
            let notification = tokio::select! {
                n = listener.try_recv() => n,
                // Wakes now and then to notice a dropped cache.
                _ = tokio::time::sleep(std::time::Duration::from_secs(30)) => {
                    if cache.strong_count() == 0 {
                        return;
                    }
                    continue;
                }
            };
            match notification {
                Ok(Some(n)) => {
                    let Some(strong) = cache.upgrade() else {
                        return;
                    };
                    match n.payload().parse::<i32>() {
                        Ok(account) => strong.forget_account(account),
                        Err(_) => strong.forget_all(),
                    }
                }
                // The connection was lost: notifications may have been missed.
                Ok(None) | Err(_) => {
                    tracing::warn!("identity listener lost its connection; reconnecting");
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(account_id: i32) -> Arc<SessionRow> {
        Arc::new(SessionRow {
            expires_at: i64::MAX,
            last_seen_at: 0,
            account_id,
            username: "hs1".into(),
            full_name: "Hà".into(),
            learner_id: "l".into(),
            must_change_password: false,
            disabled: false,
            grants: vec![],
        })
    }

    #[test]
    fn a_read_that_raced_a_forgetting_is_not_kept() {
        let cache = IdentityCache::new(true);
        let before = cache.generation().unwrap();
        // The account changes (and is forgotten) while the read is under way.
        cache.forget_account(7);
        cache.keep("s".into(), row(7), before, 0);
        assert!(cache.get("s", 0).is_none());
        // A read started after the change is kept.
        let after = cache.generation().unwrap();
        cache.keep("s".into(), row(7), after, 0);
        assert_eq!(cache.get("s", 0).unwrap().account_id, 7);
    }

    #[test]
    fn forgetting_an_account_forgets_only_its_sessions() {
        let cache = IdentityCache::new(true);
        let g = cache.generation().unwrap();
        cache.keep("a".into(), row(1), g, 0);
        cache.keep("b".into(), row(2), g, 0);
        cache.forget_account(1);
        assert!(cache.get("a", 0).is_none());
        assert!(cache.get("b", 0).is_some());
        cache.forget_session("b");
        assert!(cache.get("b", 0).is_none());
    }

    #[test]
    fn nothing_is_used_past_its_time_or_while_untrusted() {
        let cache = IdentityCache::new(true);
        let g = cache.generation().unwrap();
        cache.keep("a".into(), row(1), g, 1_000);
        assert!(cache.get("a", 1_000 + KEEP_MS - 1).is_some());
        assert!(cache.get("a", 1_000 + KEEP_MS).is_none());
        cache.set_trusted(false);
        assert!(cache.get("a", 1_000).is_none());
        assert!(cache.generation().is_none());
    }
}
