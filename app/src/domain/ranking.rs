//! Ranking contest results, breaking ties, awarding prizes and choosing which attempt counts.
//!
//! Ranks are standard competition ranks (“1224”): entries equal on every tie-break key share a
//! rank and the next rank skips the places they took. Prizes are awarded by place, so a tie is
//! never split between two prizes.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// One criterion for ordering entries; the committee chooses which ones apply, in which order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum TieBreak {
    /// Higher score first.
    #[serde(rename = "diem")]
    Score,
    /// Closer prediction (e.g. of the number of correct answers overall) first; no prediction last.
    #[serde(rename = "du-doan")]
    Prediction,
    /// Less time used first.
    #[serde(rename = "thoi-gian")]
    TimeUsed,
    /// Submitted earlier first.
    #[serde(rename = "nop-luc")]
    SubmittedAt,
}

impl TieBreak {
    /// Every criterion, in the default order.
    pub const ALL: [TieBreak; 4] = [
        TieBreak::Score,
        TieBreak::Prediction,
        TieBreak::TimeUsed,
        TieBreak::SubmittedAt,
    ];

    /// The stable code stored in the database and used in `parse_order`.
    pub fn code(self) -> &'static str {
        match self {
            TieBreak::Score => "diem",
            TieBreak::Prediction => "du-doan",
            TieBreak::TimeUsed => "thoi-gian",
            TieBreak::SubmittedAt => "nop-luc",
        }
    }

    /// Reads a code written by `code` (surrounding spaces and letter case are ignored).
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|t| t.code().eq_ignore_ascii_case(code))
    }

    /// How the criterion is named to the committee.
    pub fn label(self) -> &'static str {
        match self {
            TieBreak::Score => "Điểm cao hơn",
            TieBreak::Prediction => "Dự đoán gần đúng hơn",
            TieBreak::TimeUsed => "Thời gian làm bài ít hơn",
            TieBreak::SubmittedAt => "Nộp bài sớm hơn",
        }
    }

    /// Compares two entries on this criterion alone: `Less` means `a` ranks better.
    pub fn compare<K>(self, a: &Entry<K>, b: &Entry<K>) -> Ordering {
        match self {
            TieBreak::Score => b.score.cmp(&a.score),
            TieBreak::Prediction => match (a.prediction_distance, b.prediction_distance) {
                (Some(x), Some(y)) => x.cmp(&y),
                // Giving no prediction must never beat giving any prediction.
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
            TieBreak::TimeUsed => a.time_used_ms.cmp(&b.time_used_ms),
            TieBreak::SubmittedAt => a.submitted_at_ms.cmp(&b.submitted_at_ms),
        }
    }
}

/// The order used when the committee has not chosen one: score, prediction, time used, submission.
pub fn default_order() -> Vec<TieBreak> {
    TieBreak::ALL.to_vec()
}

/// Writes an order as `parse_order` reads it: codes separated by commas.
pub fn format_order(order: &[TieBreak]) -> String {
    order.iter().map(|t| t.code()).collect::<Vec<_>>().join(",")
}

/// Reads a comma-separated list of codes such as “diem,du-doan,thoi-gian”.
///
/// Every criterion may appear at most once and “diem” must come first, because a tie-break
/// that overrides the score would make the contest meaningless. Empty items (a trailing comma)
/// are skipped.
///
/// # Errors
///
/// A message in Vietnamese naming the unknown or repeated criterion, or saying that “diem” is
/// missing or not first.
pub fn parse_order(text: &str) -> Result<Vec<TieBreak>, String> {
    let mut order = Vec::new();
    for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
        let Some(key) = TieBreak::parse(item) else {
            return Err(format!(
                "Tiêu chí xếp hạng “{item}” không hợp lệ; chỉ dùng được: {}.",
                format_order(&TieBreak::ALL).replace(',', ", ")
            ));
        };
        if order.contains(&key) {
            return Err(format!(
                "Tiêu chí xếp hạng “{}” xuất hiện nhiều lần.",
                key.code()
            ));
        }
        order.push(key);
    }
    match order.first() {
        None => Err("Thứ tự xếp hạng đang trống; cần ít nhất tiêu chí “diem”.".to_string()),
        Some(TieBreak::Score) => Ok(order),
        Some(_) => Err("Tiêu chí xếp hạng “diem” phải đứng đầu.".to_string()),
    }
}

/// One pupil's counted result, identified by `key` (a pupil or attempt id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry<K> {
    /// Who or what this entry is.
    pub key: K,
    /// Points scored; higher is better.
    pub score: u32,
    /// Distance between the prediction and the actual value; `None` when no prediction was given.
    pub prediction_distance: Option<u64>,
    /// Time spent on the attempt, in milliseconds; lower is better.
    pub time_used_ms: i64,
    /// When the attempt was submitted, in milliseconds since the epoch; earlier is better.
    pub submitted_at_ms: i64,
}

/// An entry with its place in the ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ranked<K> {
    /// The entry's key.
    pub key: K,
    /// Competition rank, starting at 1; tied entries share it.
    pub rank: u32,
    /// Position of the entry in the slice given to `rank`.
    pub index: usize,
    /// The entry's score, kept so prizes can apply a minimum score.
    pub score: u32,
}

/// Compares two entries on every criterion of `order`, in turn.
fn compare_by<K>(order: &[TieBreak], a: &Entry<K>, b: &Entry<K>) -> Ordering {
    order
        .iter()
        .map(|t| t.compare(a, b))
        .find(|o| o.is_ne())
        .unwrap_or(Ordering::Equal)
}

/// Sorts entries by `order` and gives them competition ranks (“1224”).
///
/// Entries equal on every criterion in `order` share a rank; criteria not in `order` are
/// ignored. Among such ties the input order is kept (the sort is stable), so the output is
/// deterministic. An empty `order` puts everyone at rank 1.
pub fn rank<K: Clone>(entries: &[Entry<K>], order: &[TieBreak]) -> Vec<Ranked<K>> {
    let mut indices: Vec<usize> = (0..entries.len()).collect();
    indices.sort_by(|&a, &b| compare_by(order, &entries[a], &entries[b]));
    let mut ranked = Vec::with_capacity(entries.len());
    let mut current_rank = 1u32;
    for (place, &index) in indices.iter().enumerate() {
        let entry = &entries[index];
        let tied_with_previous =
            place > 0 && compare_by(order, &entries[indices[place - 1]], entry) == Ordering::Equal;
        if !tied_with_previous {
            current_rank = u32::try_from(place + 1).unwrap_or(u32::MAX);
        }
        ranked.push(Ranked {
            key: entry.key.clone(),
            rank: current_rank,
            index,
            score: entry.score,
        });
    }
    ranked
}

/// A contest prize.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Prize {
    /// First prize.
    #[serde(rename = "nhat")]
    First,
    /// Second prize.
    #[serde(rename = "nhi")]
    Second,
    /// Third prize.
    #[serde(rename = "ba")]
    Third,
    /// Consolation prize.
    #[serde(rename = "khuyen-khich")]
    Consolation,
}

impl Prize {
    /// Every prize, best first.
    pub const ALL: [Prize; 4] = [
        Prize::First,
        Prize::Second,
        Prize::Third,
        Prize::Consolation,
    ];

    /// The prize as written on certificates and result lists.
    pub fn label(self) -> &'static str {
        match self {
            Prize::First => "Giải Nhất",
            Prize::Second => "Giải Nhì",
            Prize::Third => "Giải Ba",
            Prize::Consolation => "Giải Khuyến khích",
        }
    }

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            Prize::First => "nhat",
            Prize::Second => "nhi",
            Prize::Third => "ba",
            Prize::Consolation => "khuyen-khich",
        }
    }

    /// Reads a code written by `code`.
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|p| p.code().eq_ignore_ascii_case(code))
    }
}

/// How many places each prize covers; zero means the prize is not awarded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrizeCounts {
    /// Places for first prize.
    pub first: u32,
    /// Places for second prize.
    pub second: u32,
    /// Places for third prize.
    pub third: u32,
    /// Places for consolation prizes.
    pub consolation: u32,
}

impl PrizeCounts {
    /// The prize earned by the entry placed at `place` (1-based), ignoring ties.
    fn prize_at(&self, place: u32) -> Option<Prize> {
        // u64 so that huge counts cannot overflow when added up.
        let place = u64::from(place);
        let mut last_place = 0u64;
        for (prize, count) in [
            (Prize::First, self.first),
            (Prize::Second, self.second),
            (Prize::Third, self.third),
            (Prize::Consolation, self.consolation),
        ] {
            last_place += u64::from(count);
            if place <= last_place {
                return Some(prize);
            }
        }
        None
    }
}

/// Awards prizes by place, in the order of `ranked` (the output of `rank`).
///
/// First prize covers places 1 to `first`, second prize the next `second` places, and so on; a
/// zero count skips that prize (its places are not reserved). A tie is never split: everyone
/// sharing a rank gets the prize of the best place among them (their rank), so a prize can go to
/// more people than its count, and the places they take are taken from the prizes below (with
/// `first: 1, second: 2`, three pupils tied first all get first prize and nobody gets second).
/// Entries scoring below `min_score` get no prize, whatever their place.
pub fn assign_prizes<K: Clone>(
    ranked: &[Ranked<K>],
    counts: &PrizeCounts,
    min_score: Option<u32>,
) -> Vec<(K, Option<Prize>)> {
    ranked
        .iter()
        .map(|r| {
            let eligible = min_score.is_none_or(|min| r.score >= min);
            let prize = if eligible {
                counts.prize_at(r.rank)
            } else {
                None
            };
            (r.key.clone(), prize)
        })
        .collect()
}

/// Which of a pupil's attempts counts when a round allows several.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CountedAttempt {
    /// The highest-scoring attempt; among equal scores the earliest submitted.
    #[serde(rename = "cao-nhat")]
    Best,
    /// The latest submitted attempt.
    #[serde(rename = "lan-cuoi")]
    Last,
    /// The earliest submitted attempt.
    #[serde(rename = "lan-dau")]
    First,
}

impl CountedAttempt {
    /// Every policy.
    pub const ALL: [CountedAttempt; 3] = [
        CountedAttempt::Best,
        CountedAttempt::Last,
        CountedAttempt::First,
    ];

    /// The stable code stored in the database.
    pub fn code(self) -> &'static str {
        match self {
            CountedAttempt::Best => "cao-nhat",
            CountedAttempt::Last => "lan-cuoi",
            CountedAttempt::First => "lan-dau",
        }
    }

    /// Reads a code written by `code`.
    pub fn parse(code: &str) -> Option<Self> {
        let code = code.trim();
        Self::ALL
            .into_iter()
            .find(|c| c.code().eq_ignore_ascii_case(code))
    }

    /// How the policy is named to the committee.
    pub fn label(self) -> &'static str {
        match self {
            CountedAttempt::Best => "Tính lần làm bài điểm cao nhất",
            CountedAttempt::Last => "Tính lần làm bài cuối cùng",
            CountedAttempt::First => "Tính lần làm bài đầu tiên",
        }
    }

    /// The index in `attempts` of the attempt that counts, or `None` when there is none.
    ///
    /// Remaining ties (same score and time, or same time) go to the attempt earlier in the
    /// slice for `Best` and `First`, and to the one later in the slice for `Last`, so the choice
    /// is always deterministic.
    pub fn pick<T>(
        self,
        attempts: &[T],
        score: impl Fn(&T) -> u32,
        submitted_at: impl Fn(&T) -> i64,
    ) -> Option<usize> {
        let indexed = attempts.iter().enumerate();
        match self {
            // `min_by_key` keeps the first of equal minima, `max_by_key` the last of equal maxima.
            CountedAttempt::Best => indexed
                .min_by_key(|(_, a)| (std::cmp::Reverse(score(a)), submitted_at(a)))
                .map(|(i, _)| i),
            CountedAttempt::Last => indexed.max_by_key(|(_, a)| submitted_at(a)).map(|(i, _)| i),
            CountedAttempt::First => indexed.min_by_key(|(_, a)| submitted_at(a)).map(|(i, _)| i),
        }
    }
}

/// How far a prediction is from the actual value; `None` when no prediction was given.
pub fn prediction_distance(guess: Option<u64>, actual: u64) -> Option<u64> {
    guess.map(|g| g.abs_diff(actual))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        key: &'static str,
        score: u32,
        prediction: Option<u64>,
        time: i64,
        at: i64,
    ) -> Entry<&'static str> {
        Entry {
            key,
            score,
            prediction_distance: prediction,
            time_used_ms: time,
            submitted_at_ms: at,
        }
    }

    fn ranks(ranked: &[Ranked<&'static str>]) -> Vec<(&'static str, u32)> {
        ranked.iter().map(|r| (r.key, r.rank)).collect()
    }

    #[test]
    fn codes_round_trip_and_unknown_codes_are_rejected() {
        for t in TieBreak::ALL {
            assert_eq!(TieBreak::parse(t.code()), Some(t));
        }
        for p in Prize::ALL {
            assert_eq!(Prize::parse(p.code()), Some(p));
        }
        for c in CountedAttempt::ALL {
            assert_eq!(CountedAttempt::parse(c.code()), Some(c));
        }
        assert_eq!(TieBreak::parse(" Du-Doan "), Some(TieBreak::Prediction));
        assert_eq!(TieBreak::parse("diểm"), None);
        assert_eq!(CountedAttempt::parse(""), None);
    }

    #[test]
    fn the_default_order_starts_with_the_score_and_round_trips_through_text() {
        let order = default_order();
        assert_eq!(order[0], TieBreak::Score);
        assert_eq!(format_order(&order), "diem,du-doan,thoi-gian,nop-luc");
        assert_eq!(parse_order(&format_order(&order)), Ok(order));
    }

    #[test]
    fn an_order_may_leave_out_criteria_and_tolerates_spaces_and_a_trailing_comma() {
        assert_eq!(
            parse_order(" diem , thoi-gian, "),
            Ok(vec![TieBreak::Score, TieBreak::TimeUsed])
        );
        assert_eq!(parse_order("diem"), Ok(vec![TieBreak::Score]));
    }

    #[test]
    fn an_order_must_start_with_the_score() {
        let err = parse_order("du-doan,diem").unwrap_err();
        assert_eq!(err, "Tiêu chí xếp hạng “diem” phải đứng đầu.");
        assert!(parse_order("thoi-gian").is_err());
    }

    #[test]
    fn an_order_rejects_repeats_unknown_codes_and_emptiness() {
        assert_eq!(
            parse_order("diem,du-doan,du-doan").unwrap_err(),
            "Tiêu chí xếp hạng “du-doan” xuất hiện nhiều lần."
        );
        assert_eq!(
            parse_order("diem,tuoi").unwrap_err(),
            "Tiêu chí xếp hạng “tuoi” không hợp lệ; chỉ dùng được: diem, du-doan, thoi-gian, nop-luc."
        );
        assert!(parse_order("").unwrap_err().contains("trống"));
        assert!(parse_order(" , ").is_err());
    }

    #[test]
    fn a_higher_score_ranks_first() {
        let entries = vec![entry("a", 5, None, 0, 0), entry("b", 9, None, 0, 0)];
        assert_eq!(
            ranks(&rank(&entries, &default_order())),
            vec![("b", 1), ("a", 2)]
        );
    }

    #[test]
    fn a_tie_on_score_is_broken_by_the_prediction() {
        let entries = vec![
            entry("far", 8, Some(10), 100, 100),
            entry("close", 8, Some(2), 900, 900),
        ];
        assert_eq!(
            ranks(&rank(&entries, &default_order())),
            vec![("close", 1), ("far", 2)]
        );
    }

    #[test]
    fn no_prediction_ranks_after_every_prediction_however_far() {
        let entries = vec![
            entry("none", 8, None, 1, 1),
            entry("far", 8, Some(u64::MAX), 2, 2),
            entry("exact", 8, Some(0), 3, 3),
        ];
        assert_eq!(
            ranks(&rank(&entries, &default_order())),
            vec![("exact", 1), ("far", 2), ("none", 3)]
        );
    }

    #[test]
    fn time_used_then_submission_time_break_the_remaining_ties() {
        let entries = vec![
            entry("slow", 7, Some(1), 5_000, 10),
            entry("late", 7, Some(1), 3_000, 30),
            entry("early", 7, Some(1), 3_000, 20),
        ];
        assert_eq!(
            ranks(&rank(&entries, &default_order())),
            vec![("early", 1), ("late", 2), ("slow", 3)]
        );
    }

    #[test]
    fn entries_equal_on_every_chosen_key_share_a_rank_and_the_next_rank_skips() {
        // Only the score counts: b and c tie for 2nd, so d is 4th (“1224”).
        let entries = vec![
            entry("d", 3, Some(0), 1, 1),
            entry("b", 5, Some(9), 9, 9),
            entry("a", 9, None, 0, 0),
            entry("c", 5, Some(1), 1, 1),
        ];
        let ranked = rank(&entries, &[TieBreak::Score]);
        assert_eq!(ranks(&ranked), vec![("a", 1), ("b", 2), ("c", 2), ("d", 4)]);
        // Ties keep the input order, and `index` points back into the input.
        assert_eq!(
            ranked.iter().map(|r| r.index).collect::<Vec<_>>(),
            vec![2, 1, 3, 0]
        );
    }

    #[test]
    fn exact_ties_keep_the_input_order() {
        let entries = vec![
            entry("x", 4, Some(1), 10, 10),
            entry("y", 4, Some(1), 10, 10),
            entry("z", 4, Some(1), 10, 10),
        ];
        let ranked = rank(&entries, &default_order());
        assert_eq!(ranks(&ranked), vec![("x", 1), ("y", 1), ("z", 1)]);
    }

    #[test]
    fn ranking_nothing_gives_nothing_and_an_empty_order_ties_everyone() {
        assert!(rank::<&str>(&[], &default_order()).is_empty());
        let entries = vec![entry("a", 1, None, 0, 0), entry("b", 2, None, 0, 0)];
        assert_eq!(ranks(&rank(&entries, &[])), vec![("a", 1), ("b", 1)]);
    }

    fn counts(first: u32, second: u32, third: u32, consolation: u32) -> PrizeCounts {
        PrizeCounts {
            first,
            second,
            third,
            consolation,
        }
    }

    fn prizes_for(scores: &[u32], counts: &PrizeCounts, min: Option<u32>) -> Vec<Option<Prize>> {
        let keys = ["p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9"];
        let entries: Vec<_> = scores
            .iter()
            .zip(keys)
            .map(|(&s, k)| entry(k, s, None, 0, 0))
            .collect();
        let ranked = rank(&entries, &[TieBreak::Score]);
        assign_prizes(&ranked, counts, min)
            .into_iter()
            .map(|(_, p)| p)
            .collect()
    }

    #[test]
    fn prizes_follow_the_ranking_place_by_place() {
        use Prize::*;
        assert_eq!(
            prizes_for(&[10, 9, 8, 7, 6, 5, 4], &counts(1, 1, 2, 2), None),
            vec![
                Some(First),
                Some(Second),
                Some(Third),
                Some(Third),
                Some(Consolation),
                Some(Consolation),
                None
            ]
        );
    }

    #[test]
    fn a_tie_across_a_prize_boundary_is_never_split_and_takes_the_better_prize() {
        use Prize::*;
        // Ranks 1, 2, 2, 2, 5: the three pupils at rank 2 all get second prize although only
        // two second prizes were planned; place 5 is past first + second + third = 4.
        assert_eq!(
            prizes_for(&[10, 8, 8, 8, 6], &counts(1, 2, 1, 0), None),
            vec![Some(First), Some(Second), Some(Second), Some(Second), None]
        );
    }

    #[test]
    fn a_tie_for_first_uses_up_the_places_of_lower_prizes() {
        use Prize::*;
        assert_eq!(
            prizes_for(&[9, 9, 9, 7], &counts(1, 2, 1, 0), None),
            vec![Some(First), Some(First), Some(First), Some(Third)]
        );
    }

    #[test]
    fn a_zero_count_skips_that_prize() {
        use Prize::*;
        assert_eq!(
            prizes_for(&[9, 8, 7], &counts(0, 1, 0, 1), None),
            vec![Some(Second), Some(Consolation), None]
        );
        assert_eq!(
            prizes_for(&[9, 8], &PrizeCounts::default(), None),
            vec![None, None]
        );
    }

    #[test]
    fn entries_below_the_minimum_score_get_no_prize() {
        use Prize::*;
        assert_eq!(
            prizes_for(&[9, 5, 4, 2], &counts(1, 1, 1, 1), Some(5)),
            vec![Some(First), Some(Second), None, None]
        );
    }

    #[test]
    fn huge_prize_counts_do_not_overflow() {
        use Prize::*;
        assert_eq!(
            prizes_for(
                &[3, 2, 1],
                &counts(u32::MAX, u32::MAX, u32::MAX, u32::MAX),
                None
            ),
            vec![Some(First), Some(First), Some(First)]
        );
    }

    #[test]
    fn prize_labels_are_in_vietnamese() {
        let labels: Vec<_> = Prize::ALL.iter().map(|p| p.label()).collect();
        assert_eq!(
            labels,
            vec!["Giải Nhất", "Giải Nhì", "Giải Ba", "Giải Khuyến khích"]
        );
    }

    // (score, submitted_at)
    const ATTEMPTS: [(u32, i64); 4] = [(6, 300), (8, 200), (8, 100), (5, 400)];

    fn pick(policy: CountedAttempt, attempts: &[(u32, i64)]) -> Option<usize> {
        policy.pick(attempts, |a| a.0, |a| a.1)
    }

    #[test]
    fn the_best_attempt_is_the_highest_score_and_the_earliest_among_equals() {
        assert_eq!(pick(CountedAttempt::Best, &ATTEMPTS), Some(2));
        assert_eq!(pick(CountedAttempt::Best, &[(4, 10), (4, 10)]), Some(0));
    }

    #[test]
    fn the_last_and_first_attempts_go_by_submission_time_not_by_position() {
        assert_eq!(pick(CountedAttempt::Last, &ATTEMPTS), Some(3));
        assert_eq!(pick(CountedAttempt::First, &ATTEMPTS), Some(2));
        assert_eq!(pick(CountedAttempt::Last, &[(4, 10), (5, 10)]), Some(1));
        assert_eq!(pick(CountedAttempt::First, &[(4, 10), (5, 10)]), Some(0));
    }

    #[test]
    fn no_attempt_means_nothing_counts() {
        for policy in CountedAttempt::ALL {
            assert_eq!(pick(policy, &[]), None);
        }
    }

    #[test]
    fn the_prediction_distance_is_the_absolute_difference() {
        assert_eq!(prediction_distance(Some(30), 42), Some(12));
        assert_eq!(prediction_distance(Some(50), 42), Some(8));
        assert_eq!(prediction_distance(Some(u64::MAX), 0), Some(u64::MAX));
        assert_eq!(prediction_distance(None, 42), None);
    }

    #[test]
    fn config_enums_serialise_as_their_codes() {
        assert_eq!(
            serde_json::to_string(&TieBreak::TimeUsed).unwrap(),
            "\"thoi-gian\""
        );
        assert_eq!(
            serde_json::to_string(&Prize::Consolation).unwrap(),
            "\"khuyen-khich\""
        );
        assert_eq!(
            serde_json::from_str::<CountedAttempt>("\"lan-cuoi\"").unwrap(),
            CountedAttempt::Last
        );
        for t in TieBreak::ALL {
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.code())
            );
        }
    }
}
