//! After the run: every answer the server acknowledged must be in the database, as the option
//! chosen (stored as original option indexes), and every acknowledged submission must be
//! submitted.

use crate::record::Ack;
use app::entities::{attempt, attempt_item, contest_entry, participation};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};
use std::collections::{HashMap, HashSet};

pub struct Verification {
    pub acknowledged: usize,
    pub found: usize,
    /// (attempt, position, what was expected, what is stored), the first few.
    pub lost_examples: Vec<String>,
    pub submissions_acknowledged: usize,
    pub submissions_found: usize,
    pub entries_in_round: u64,
    pub attempts_started: usize,
    pub answers_stored_in_round: usize,
    /// Pupils with a participation record (either track) written by their submission.
    pub participants_recorded: u64,
}

impl Verification {
    pub fn lost(&self) -> usize {
        self.acknowledged - self.found
    }
}

pub async fn verify(
    db: &DatabaseConnection,
    round_id: i32,
    acks: &[Ack],
    started: &[String],
    submitted: &[String],
) -> anyhow::Result<Verification> {
    let attempts: Vec<String> = {
        let mut set: Vec<String> = acks
            .iter()
            .map(|a| a.attempt.clone())
            .chain(started.iter().cloned())
            .collect::<HashSet<_>>()
            .into_iter()
            .collect();
        set.sort();
        set
    };
    let mut items: HashMap<(String, i32), attempt_item::Model> = HashMap::new();
    for chunk in attempts.chunks(500) {
        for item in attempt_item::Entity::find()
            .filter(attempt_item::Column::AttemptId.is_in(chunk.iter().cloned()))
            .all(db)
            .await?
        {
            items.insert((item.attempt_id.clone(), item.position), item);
        }
    }
    let mut found = 0;
    let mut lost_examples = Vec::new();
    for ack in acks {
        let stored = items.get(&(ack.attempt.clone(), ack.position as i32));
        let expected = stored.and_then(|item| {
            let order: Vec<usize> = serde_json::from_str(&item.option_order).ok()?;
            order.get(ack.display as usize).copied()
        });
        let chosen: Option<Vec<usize>> = stored
            .and_then(|item| item.chosen.as_deref())
            .and_then(|c| serde_json::from_str(c).ok());
        match (expected, &chosen) {
            (Some(original), Some(chosen)) if chosen.as_slice() == [original] => found += 1,
            _ => {
                if lost_examples.len() < 10 {
                    lost_examples.push(format!(
                        "attempt {} question {}: display choice {} (original {:?}), stored {:?}",
                        ack.attempt,
                        ack.position,
                        ack.display,
                        expected,
                        stored.map(|s| s.chosen.clone())
                    ));
                }
            }
        }
    }
    let mut submissions_found = 0;
    for chunk in submitted.chunks(500) {
        submissions_found += attempt::Entity::find()
            .filter(attempt::Column::Id.is_in(chunk.iter().cloned()))
            .filter(attempt::Column::SubmittedAt.is_not_null())
            .count(db)
            .await? as usize;
    }
    let entries_in_round = contest_entry::Entity::find()
        .filter(contest_entry::Column::RoundId.eq(round_id))
        .count(db)
        .await?;
    let answers_stored_in_round = items.values().filter(|i| i.chosen.is_some()).count();
    // Coverage: each submission makes its pupil a participant (one "either track" record each).
    let participants_recorded = participation::Entity::find()
        .filter(participation::Column::Track.eq("*"))
        .filter(participation::Column::Via.eq("contest"))
        .count(db)
        .await?;
    Ok(Verification {
        acknowledged: acks.len(),
        found,
        lost_examples,
        submissions_acknowledged: submitted.len(),
        submissions_found,
        entries_in_round,
        attempts_started: started.len(),
        answers_stored_in_round,
        participants_recorded,
    })
}
