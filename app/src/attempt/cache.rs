//! What an attempt's pages and saves would otherwise read again on every request, kept by each app
//! server: an attempt's facts (fixed when it starts: whose it is, its deadline, each item's
//! question revision and option order), question revisions (a revision is never changed once
//! written) and page titles (a minute). Whether an attempt is submitted is never cached: saves
//! check it in the same statement that writes (`answer::answer`).
//!
//! Measured before this cache (issue 17's note): an answer save made 13 queries, and each query
//! costs two hand-offs between threads, which is where the server's CPU went.

use crate::codes::AttemptKind;
use crate::entities::{attempt, attempt_item, contest_entry, question_revision};
use crate::error::AppError;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

/// Attempts whose facts are kept (about 60 bytes an item: 50,000 pupils' 24-question attempts
/// take about 75 MB at most).
const ATTEMPTS_KEPT: usize = 60_000;
/// Question revisions kept (the whole bank is a few hundred).
const REVISIONS_KEPT: usize = 5_000;
/// How long a page title (round and contest names) is kept, in milliseconds.
const TITLE_MS: i64 = 60_000;

/// What never changes about an attempt once it has started.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptFacts {
    pub id: String,
    pub learner_id: String,
    pub scope: String,
    /// Number of questions.
    pub total: u32,
    /// Contest attempts (and only they): when the pupil's time is up (server clock, ms).
    pub deadline_at: Option<i64>,
    /// Per position (index 0 = question 1): the revision shown and its option order
    /// (`order[display] = original`).
    pub items: Vec<(i32, Vec<usize>)>,
}

impl AttemptFacts {
    /// The item at a 1-based position.
    pub fn item(&self, position: u32) -> Option<&(i32, Vec<usize>)> {
        self.items.get((position as usize).checked_sub(1)?)
    }
}

/// A map that keeps at most about `2 × half` entries: when the newer half is full it becomes the
/// older one and the oldest entries go (an entry used again moves back to the newer half).
#[derive(Debug)]
struct Bounded<K, V> {
    halves: Mutex<(HashMap<K, V>, HashMap<K, V>)>,
    half: usize,
}

impl<K: Eq + Hash + Clone, V: Clone> Bounded<K, V> {
    fn new(kept: usize) -> Self {
        Bounded {
            halves: Mutex::new((HashMap::new(), HashMap::new())),
            half: (kept / 2).max(1),
        }
    }

    fn get(&self, key: &K) -> Option<V> {
        let mut halves = self.halves.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(value) = halves.0.get(key) {
            return Some(value.clone());
        }
        let value = halves.1.remove(key)?;
        Self::put(&mut halves, self.half, key.clone(), value.clone());
        Some(value)
    }

    fn insert(&self, key: K, value: V) {
        let mut halves = self.halves.lock().unwrap_or_else(|e| e.into_inner());
        Self::put(&mut halves, self.half, key, value);
    }

    fn put(halves: &mut (HashMap<K, V>, HashMap<K, V>), half: usize, key: K, value: V) {
        if halves.0.len() >= half {
            halves.1 = std::mem::take(&mut halves.0);
        }
        halves.0.insert(key, value);
    }
}

/// The caches of one app server.
#[derive(Debug)]
pub struct AttemptCache {
    facts: Bounded<String, Arc<AttemptFacts>>,
    revisions: Bounded<i32, Arc<question_revision::Model>>,
    titles: Mutex<HashMap<String, (i64, String)>>,
}

impl Default for AttemptCache {
    fn default() -> Self {
        AttemptCache {
            facts: Bounded::new(ATTEMPTS_KEPT),
            revisions: Bounded::new(REVISIONS_KEPT),
            titles: Mutex::new(HashMap::new()),
        }
    }
}

impl AttemptCache {
    /// The facts of an attempt (anyone's: the caller checks whose it is), or `None` if there is
    /// no such attempt.
    pub async fn facts(
        &self,
        db: &impl ConnectionTrait,
        attempt_id: &str,
    ) -> Result<Option<Arc<AttemptFacts>>, AppError> {
        if let Some(facts) = self.facts.get(&attempt_id.to_owned()) {
            return Ok(Some(facts));
        }
        let Some(attempt) = attempt::Entity::find_by_id(attempt_id.to_owned())
            .one(db)
            .await?
        else {
            return Ok(None);
        };
        let deadline_at = match AttemptKind::parse(&attempt.kind)? {
            AttemptKind::Contest => Some(
                contest_entry::Entity::find_by_id(attempt_id.to_owned())
                    .one(db)
                    .await?
                    .ok_or(AppError::Internal)?
                    .deadline_at,
            ),
            AttemptKind::Practice => None,
        };
        let mut items = Vec::new();
        for item in attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.eq(attempt_id))
            .order_by_asc(attempt_item::Column::Position)
            .all(db)
            .await?
        {
            items.push((
                item.revision_id,
                super::stored_indexes("attempt_item.option_order", &item.option_order)?,
            ));
        }
        let facts = Arc::new(AttemptFacts {
            id: attempt.id,
            learner_id: attempt.learner_id,
            scope: attempt.scope,
            total: attempt.total.max(0) as u32,
            deadline_at,
            items,
        });
        self.facts.insert(attempt_id.to_owned(), facts.clone());
        Ok(Some(facts))
    }

    /// A question revision by id.
    pub async fn revision(
        &self,
        db: &impl ConnectionTrait,
        id: i32,
    ) -> Result<Arc<question_revision::Model>, AppError> {
        if let Some(revision) = self.revisions.get(&id) {
            return Ok(revision);
        }
        let revision = Arc::new(
            question_revision::Entity::find_by_id(id)
                .one(db)
                .await?
                .ok_or(AppError::Internal)?,
        );
        self.revisions.insert(id, revision.clone());
        Ok(revision)
    }

    /// A page title kept for a minute under `key`, else made by `make`.
    pub async fn title<F, Fut>(&self, key: String, now: i64, make: F) -> Result<String, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<String, AppError>>,
    {
        {
            let titles = self.titles.lock().unwrap_or_else(|e| e.into_inner());
            if let Some((at, title)) = titles.get(&key)
                && now - at < TITLE_MS
            {
                return Ok(title.clone());
            }
        }
        let title = make().await?;
        let mut titles = self.titles.lock().unwrap_or_else(|e| e.into_inner());
        if titles.len() > 1_000 {
            titles.retain(|_, (at, _)| now - *at < TITLE_MS);
        }
        titles.insert(key, (now, title.clone()));
        Ok(title)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bounded_map_forgets_the_oldest_and_keeps_what_is_used() {
        let map: Bounded<u32, u32> = Bounded::new(4);
        for k in 0..2 {
            map.insert(k, k * 10);
        }
        // 0 and 1 fill the newer half; 2 moves them to the older half.
        map.insert(2, 20);
        assert_eq!(map.get(&0), Some(0), "used again: back in the newer half");
        map.insert(3, 30);
        map.insert(4, 40);
        assert_eq!(map.get(&1), None, "the oldest, unused, is gone");
        assert_eq!(map.get(&4), Some(40));
        let halves = map.halves.lock().unwrap();
        assert!(halves.0.len() + halves.1.len() <= 4);
    }
}
