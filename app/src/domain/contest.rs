//! Rules of a contest round: drawing its questions, who may take part, and its deadlines.
//!
//! All times are milliseconds since the Unix epoch (`i64`), as stored in the database.

use std::collections::HashSet;
use std::fmt;

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};
use serde::{Deserialize, Serialize};

/// A question of the bank that a round may draw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PoolQuestion {
    /// Stable question id; a pool should not repeat one (repeats after the first are ignored).
    pub id: String,
    /// Track code, e.g. “A”.
    pub track: String,
    /// Topic slug, e.g. “lua-dao”.
    pub topic: String,
    /// Difficulty level.
    pub difficulty: u8,
    /// Number of options, shuffled in the drawn question.
    pub option_count: usize,
    /// The options stay in place (the parts of a warning-signs message, read in order).
    pub keep_order: bool,
    /// The question's current revision (what a drawn attempt shows).
    pub revision: i32,
}

/// “Draw `count` questions matching these filters”; a `None` filter matches everything.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawRule {
    /// Only questions of this track.
    pub track: Option<String>,
    /// Only questions of this topic.
    pub topic: Option<String>,
    /// Only questions of this difficulty.
    pub difficulty: Option<u8>,
    /// How many questions to draw.
    pub count: u32,
}

impl DrawRule {
    /// Whether `question` passes every filter of the rule.
    pub fn matches(&self, question: &PoolQuestion) -> bool {
        self.track.as_ref().is_none_or(|t| *t == question.track)
            && self.topic.as_ref().is_none_or(|t| *t == question.topic)
            && self.difficulty.is_none_or(|d| d == question.difficulty)
    }

    /// The filters in words, e.g. “mạch A, độ khó 3”, or “mọi câu hỏi”.
    pub fn describe(&self) -> String {
        self.describe_with(|_| None)
    }

    /// The rule's filters in words, with the topic's name where `topic_name` knows it (the
    /// committee knows topics by name, not by their slug).
    pub fn describe_with(&self, topic_name: impl Fn(&str) -> Option<String>) -> String {
        let mut parts = Vec::new();
        if let Some(track) = &self.track {
            parts.push(format!("mạch {track}"));
        }
        if let Some(topic) = &self.topic {
            let name = topic_name(topic).unwrap_or_else(|| topic.clone());
            parts.push(format!("chủ đề “{name}”"));
        }
        if let Some(difficulty) = self.difficulty {
            parts.push(format!("độ khó {difficulty}"));
        }
        if parts.is_empty() {
            "mọi câu hỏi".to_string()
        } else {
            parts.join(", ")
        }
    }
}

/// One question of a drawn round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnQuestion {
    /// The question's id in the pool.
    pub id: String,
    /// `option_order[display_position] = original option index`.
    pub option_order: Vec<usize>,
}

/// Why a round cannot be drawn.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DrawError {
    /// The rules ask for no question at all.
    NoQuestions,
    /// A rule asks for more questions than are left for it.
    NotEnough {
        /// 1-based number of the rule.
        rule: usize,
        /// The rule's filters in words (`DrawRule::describe`).
        filters: String,
        /// Questions the rule asks for.
        needed: u32,
        /// Questions of the bank matching the rule.
        matching: u32,
        /// Questions guaranteed to be left for the rule after the earlier rules have drawn.
        available: u32,
    },
}

impl DrawError {
    /// The same problem with the rule's topic written by its name.
    pub fn with_topic_names(
        self,
        rules: &[DrawRule],
        topic_name: impl Fn(&str) -> Option<String>,
    ) -> DrawError {
        match self {
            DrawError::NotEnough {
                rule,
                needed,
                matching,
                available,
                filters,
            } => DrawError::NotEnough {
                filters: rule
                    .checked_sub(1)
                    .and_then(|i| rules.get(i))
                    .map(|r| r.describe_with(&topic_name))
                    .unwrap_or(filters),
                rule,
                needed,
                matching,
                available,
            },
            other => other,
        }
    }
}

impl fmt::Display for DrawError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DrawError::NoQuestions => write!(f, "Vòng thi cần ít nhất 1 câu hỏi."),
            DrawError::NotEnough {
                rule,
                filters,
                needed,
                matching,
                available,
            } => {
                write!(f, "Quy tắc {rule} ({filters}) cần {needed} câu nhưng ")?;
                if *matching == 0 {
                    write!(f, "ngân hàng không có câu nào phù hợp.")
                } else if matching == available {
                    write!(f, "ngân hàng chỉ còn {available} câu phù hợp.")
                } else {
                    write!(
                        f,
                        "ngân hàng chỉ còn {available} câu phù hợp: có {matching} câu phù hợp \
                         nhưng các quy tắc trước có thể đã lấy mất {} câu trong số đó.",
                        matching - available
                    )
                }
            }
        }
    }
}

impl std::error::Error for DrawError {}

/// The pool without repeated ids (the first occurrence wins), so no id is drawn twice.
fn unique_pool(pool: &[PoolQuestion]) -> Vec<&PoolQuestion> {
    let mut seen = HashSet::new();
    pool.iter().filter(|q| seen.insert(q.id.as_str())).collect()
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Checks that every draw of the round succeeds, whatever the seed, without drawing.
///
/// Rules draw in order and a question is used at most once, so an earlier rule may take
/// questions a later rule also matches. The check assumes the worst case: rule `j` before rule
/// `i` takes `min(count_j, |matching_j ∩ matching_i|)` of rule `i`'s questions (and together
/// no more than all of them that an earlier rule matches). This never lets a seed fail, and is
/// exact for disjoint rules and for a specific rule followed by a broader one; partly
/// overlapping rules may be refused although some draws would succeed — putting the more
/// specific rule first avoids that.
///
/// # Errors
///
/// `DrawError::NoQuestions` when the rules ask for zero questions in total, otherwise
/// `DrawError::NotEnough` for the first rule that may lack questions.
pub fn check_rules(pool: &[PoolQuestion], rules: &[DrawRule]) -> Result<(), DrawError> {
    let total: u64 = rules.iter().map(|r| u64::from(r.count)).sum();
    if total == 0 {
        return Err(DrawError::NoQuestions);
    }
    let pool = unique_pool(pool);
    let matches: Vec<Vec<bool>> = rules
        .iter()
        .map(|rule| pool.iter().map(|q| rule.matches(q)).collect())
        .collect();
    for (i, rule) in rules.iter().enumerate() {
        let mine = &matches[i];
        let matching = mine.iter().filter(|&&m| m).count();
        let mut taken_by_counts = 0u64;
        let mut matched_earlier = vec![false; pool.len()];
        for (earlier_rule, earlier) in rules[..i].iter().zip(&matches[..i]) {
            let shared = mine.iter().zip(earlier).filter(|(a, b)| **a && **b).count();
            taken_by_counts += u64::from(earlier_rule.count).min(shared as u64);
            for (seen, &m) in matched_earlier.iter_mut().zip(earlier) {
                *seen |= m;
            }
        }
        let shared_with_any = mine
            .iter()
            .zip(&matched_earlier)
            .filter(|(a, b)| **a && **b)
            .count();
        let taken = taken_by_counts.min(shared_with_any as u64);
        let available = (matching as u64).saturating_sub(taken);
        if available < u64::from(rule.count) {
            return Err(DrawError::NotEnough {
                rule: i + 1,
                filters: rule.describe(),
                needed: rule.count,
                matching: saturating_u32(matching),
                available: u32::try_from(available).unwrap_or(u32::MAX),
            });
        }
    }
    Ok(())
}

/// Draws a round: its questions, in order, each with shuffled options.
///
/// The rules are checked first with `check_rules`, so a round either draws for every seed or
/// for none. Rules then apply in order: each picks uniformly at random among the matching
/// questions not yet used. The drawn questions are then shuffled together so a rule's questions
/// are not bunched, and each question's options are shuffled. The same seed and inputs always
/// give the same round.
///
/// # Errors
///
/// Those of `check_rules`.
pub fn draw_round(
    seed: u64,
    pool: &[PoolQuestion],
    rules: &[DrawRule],
) -> Result<Vec<DrawnQuestion>, DrawError> {
    check_rules(pool, rules)?;
    let pool = unique_pool(pool);
    let mut rng = StdRng::seed_from_u64(seed);
    let mut used = vec![false; pool.len()];
    let mut drawn: Vec<usize> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let candidates: Vec<usize> = (0..pool.len())
            .filter(|&q| !used[q] && rule.matches(pool[q]))
            .collect();
        let wanted = usize::try_from(rule.count).unwrap_or(usize::MAX);
        // `check_rules` guarantees enough candidates; stay an error rather than a short round.
        if candidates.len() < wanted {
            let matching = pool.iter().filter(|q| rule.matches(q)).count();
            return Err(DrawError::NotEnough {
                rule: i + 1,
                filters: rule.describe(),
                needed: rule.count,
                matching: saturating_u32(matching),
                available: saturating_u32(candidates.len()),
            });
        }
        for &q in candidates.choose_multiple(&mut rng, wanted) {
            used[q] = true;
            drawn.push(q);
        }
    }
    drawn.shuffle(&mut rng);
    Ok(drawn
        .into_iter()
        .map(|q| {
            let mut option_order: Vec<usize> = (0..pool[q].option_count).collect();
            if !pool[q].keep_order {
                option_order.shuffle(&mut rng);
            }
            DrawnQuestion {
                id: pool[q].id.clone(),
                option_order,
            }
        })
        .collect())
}

/// Who may take part in a round; an empty list puts no restriction on that axis.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Eligibility {
    /// Allowed school levels (e.g. “THCS”, “THPT”).
    pub levels: Vec<String>,
    /// Allowed schools.
    pub school_ids: Vec<i32>,
    /// Allowed communes.
    pub commune_ids: Vec<i32>,
}

/// Where a pupil studies, as far as it is known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PupilPlace {
    /// The pupil's school level.
    pub level: Option<String>,
    /// The pupil's school.
    pub school_id: Option<i32>,
    /// The commune of the pupil's school.
    pub commune_id: Option<i32>,
}

impl Eligibility {
    /// Whether the round is open to every pupil.
    pub fn is_unrestricted(&self) -> bool {
        self.levels.is_empty() && self.school_ids.is_empty() && self.commune_ids.is_empty()
    }

    /// Whether a pupil at `place` may take part: every restricted axis must match, and an
    /// unknown value never matches a restricted axis.
    pub fn allows(&self, place: &PupilPlace) -> bool {
        fn axis<T: PartialEq>(allowed: &[T], value: Option<&T>) -> bool {
            allowed.is_empty() || value.is_some_and(|v| allowed.contains(v))
        }
        axis(&self.levels, place.level.as_ref())
            && axis(&self.school_ids, place.school_id.as_ref())
            && axis(&self.commune_ids, place.commune_id.as_ref())
    }
}

/// When an attempt must be submitted: its time allowance or the round's closing, whichever is
/// first. A negative allowance counts as zero; the sum saturates instead of overflowing.
pub fn attempt_deadline(started_at: i64, time_allowed_ms: i64, round_closes_at: i64) -> i64 {
    started_at
        .saturating_add(time_allowed_ms.max(0))
        .min(round_closes_at)
}

/// Whether an answer arriving at `now` is still accepted: up to `grace_ms` after the deadline,
/// to absorb network delay (a negative grace counts as zero).
pub fn accepts_answer(now: i64, deadline: i64, grace_ms: i64) -> bool {
    now <= deadline.saturating_add(grace_ms.max(0))
}

/// Milliseconds left until `deadline`, never negative.
pub fn remaining_ms(now: i64, deadline: i64) -> i64 {
    deadline.saturating_sub(now).max(0)
}

/// Where a round stands at a given moment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RoundPhase {
    /// Not open yet.
    Upcoming,
    /// Open for attempts.
    Open,
    /// Closed.
    Closed,
}

impl RoundPhase {
    /// The phase as shown to pupils and the committee.
    pub fn label(self) -> &'static str {
        match self {
            RoundPhase::Upcoming => "Sắp mở",
            RoundPhase::Open => "Đang mở",
            RoundPhase::Closed => "Đã đóng",
        }
    }

    /// A stable code, e.g. for styling or filtering.
    pub fn code(self) -> &'static str {
        match self {
            RoundPhase::Upcoming => "sap-mo",
            RoundPhase::Open => "dang-mo",
            RoundPhase::Closed => "da-dong",
        }
    }
}

/// The phase of a round at `now`: open from `opens_at` (included) to `closes_at` (excluded).
///
/// A round closing before it opens is upcoming until `opens_at`, then closed.
pub fn phase(now: i64, opens_at: i64, closes_at: i64) -> RoundPhase {
    if now < opens_at {
        RoundPhase::Upcoming
    } else if now < closes_at {
        RoundPhase::Open
    } else {
        RoundPhase::Closed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn question(id: &str, track: &str, topic: &str, difficulty: u8) -> PoolQuestion {
        PoolQuestion {
            id: id.to_string(),
            track: track.to_string(),
            topic: topic.to_string(),
            difficulty,
            option_count: 4,
            keep_order: false,
            revision: 0,
        }
    }

    fn rule(
        track: Option<&str>,
        topic: Option<&str>,
        difficulty: Option<u8>,
        count: u32,
    ) -> DrawRule {
        DrawRule {
            track: track.map(str::to_string),
            topic: topic.map(str::to_string),
            difficulty,
            count,
        }
    }

    /// 10 questions of topic “mat-khau” (difficulty 1–2), 10 of “lua-dao” (difficulty 2–3).
    fn pool() -> Vec<PoolQuestion> {
        let mut pool = Vec::new();
        for i in 0..10 {
            pool.push(question(
                &format!("mk{i}"),
                "A",
                "mat-khau",
                1 + (i % 2) as u8,
            ));
            pool.push(question(
                &format!("ld{i}"),
                "A",
                "lua-dao",
                2 + (i % 2) as u8,
            ));
        }
        pool
    }

    fn ids(round: &[DrawnQuestion]) -> Vec<&str> {
        round.iter().map(|q| q.id.as_str()).collect()
    }

    #[test]
    fn the_same_seed_draws_the_same_round() {
        let rules = [
            rule(None, Some("lua-dao"), None, 3),
            rule(None, None, None, 4),
        ];
        assert_eq!(
            draw_round(9, &pool(), &rules),
            draw_round(9, &pool(), &rules)
        );
    }

    #[test]
    fn different_seeds_draw_different_rounds() {
        let rules = [rule(None, None, None, 5)];
        let rounds: HashSet<Vec<String>> = (0..20)
            .map(|seed| {
                draw_round(seed, &pool(), &rules)
                    .unwrap()
                    .into_iter()
                    .map(|q| q.id)
                    .collect()
            })
            .collect();
        assert!(rounds.len() > 15, "only {} distinct rounds", rounds.len());
    }

    #[test]
    fn each_rule_gets_its_count_and_no_question_is_used_twice() {
        // Rule 2 (any topic) overlaps rule 1 (lua-dao difficulty 3): 5 of its 10 matches.
        let rules = [
            rule(None, Some("lua-dao"), Some(3), 5),
            rule(Some("A"), None, None, 15),
        ];
        for seed in 0..50 {
            let round = draw_round(seed, &pool(), &rules).unwrap();
            let ids = ids(&round);
            assert_eq!(ids.len(), 20);
            assert_eq!(ids.iter().collect::<HashSet<_>>().len(), 20);
            for q in &round {
                let mut order = q.option_order.clone();
                order.sort_unstable();
                assert_eq!(order, vec![0, 1, 2, 3]);
            }
        }
    }

    #[test]
    fn disjoint_rules_draw_exactly_their_counts() {
        let rules = [
            rule(None, Some("mat-khau"), None, 2),
            rule(None, Some("lua-dao"), Some(2), 3),
        ];
        for seed in 0..30 {
            let round = draw_round(seed, &pool(), &rules).unwrap();
            let mk = round.iter().filter(|q| q.id.starts_with("mk")).count();
            let ld2 = round
                .iter()
                .filter(|q| ["ld0", "ld2", "ld4", "ld6", "ld8"].contains(&q.id.as_str()))
                .count();
            assert_eq!((mk, ld2, round.len()), (2, 3, 5));
        }
    }

    #[test]
    fn the_questions_of_a_rule_are_not_bunched_together() {
        let rules = [
            rule(None, Some("mat-khau"), None, 5),
            rule(None, Some("lua-dao"), None, 5),
        ];
        let firsts: HashSet<bool> = (0..20)
            .map(|seed| {
                draw_round(seed, &pool(), &rules).unwrap()[0]
                    .id
                    .starts_with("mk")
            })
            .collect();
        assert_eq!(
            firsts.len(),
            2,
            "the first question always comes from the same rule"
        );
    }

    #[test]
    fn a_rule_picks_uniformly_among_its_matches() {
        // 2 of the 10 lua-dao questions, 2000 times: each expected 400 times.
        let rules = [rule(None, Some("lua-dao"), None, 2)];
        let mut counts = std::collections::HashMap::new();
        for seed in 0..2000 {
            for q in draw_round(seed, &pool(), &rules).unwrap() {
                *counts.entry(q.id).or_insert(0u32) += 1;
            }
        }
        assert_eq!(counts.len(), 10);
        for (id, n) in counts {
            assert!((300..500).contains(&n), "{id} drawn {n} times");
        }
    }

    #[test]
    fn options_are_shuffled_and_an_optionless_question_gets_an_empty_order() {
        let mut pool = vec![question("q", "A", "t", 1)];
        let firsts: HashSet<usize> = (0..40)
            .map(|seed| {
                draw_round(seed, &pool, &[rule(None, None, None, 1)]).unwrap()[0].option_order[0]
            })
            .collect();
        assert_eq!(firsts.len(), 4);
        pool[0].option_count = 0;
        let round = draw_round(1, &pool, &[rule(None, None, None, 1)]).unwrap();
        assert!(round[0].option_order.is_empty());
        // The parts of a warning-signs message stay in the message's order.
        pool[0].option_count = 5;
        pool[0].keep_order = true;
        for seed in 0..20 {
            let round = draw_round(seed, &pool, &[rule(None, None, None, 1)]).unwrap();
            assert_eq!(round[0].option_order, vec![0, 1, 2, 3, 4]);
        }
    }

    #[test]
    fn a_rule_lacking_questions_is_named_with_its_filters() {
        // Only 3 lua-dao questions of difficulty 3 here; rule 1 cannot take any of them.
        let mut pool = pool();
        pool.retain(|q| q.topic == "mat-khau" || ["ld1", "ld3", "ld5"].contains(&q.id.as_str()));
        let rules = [
            rule(None, Some("mat-khau"), None, 2),
            rule(None, Some("lua-dao"), Some(3), 5),
        ];
        let err = draw_round(1, &pool, &rules).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Quy tắc 2 (chủ đề “lua-dao”, độ khó 3) cần 5 câu nhưng ngân hàng chỉ còn 3 câu phù hợp."
        );
        assert_eq!(check_rules(&pool, &rules), Err(err));
    }

    #[test]
    fn a_rule_with_no_match_at_all_says_so() {
        let err = check_rules(&pool(), &[rule(Some("B"), None, Some(9), 1)]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Quy tắc 1 (mạch B, độ khó 9) cần 1 câu nhưng ngân hàng không có câu nào phù hợp."
        );
        let err = check_rules(&[], &[rule(None, None, None, 1)]).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("Quy tắc 1 (mọi câu hỏi) cần 1 câu")
        );
    }

    #[test]
    fn questions_an_earlier_rule_may_take_are_not_counted_for_a_later_one() {
        // Rule 1 takes 4 of the 20; rule 2 (difficulty 2, 10 matches) may lose up to 4 of its
        // matches to rule 1 (5 mat-khau questions have difficulty 2), so only 6 are sure to be left.
        let rules = [
            rule(None, Some("mat-khau"), None, 4),
            rule(None, None, Some(2), 7),
        ];
        let err = check_rules(&pool(), &rules).unwrap_err();
        assert_eq!(
            err,
            DrawError::NotEnough {
                rule: 2,
                filters: "độ khó 2".to_string(),
                needed: 7,
                matching: 10,
                available: 6
            }
        );
        assert_eq!(
            err.to_string(),
            "Quy tắc 2 (độ khó 2) cần 7 câu nhưng ngân hàng chỉ còn 6 câu phù hợp: có 10 câu phù \
             hợp nhưng các quy tắc trước có thể đã lấy mất 4 câu trong số đó."
        );
        // Asking for the narrower rule first makes the same round drawable.
        let swapped = [
            rule(None, None, Some(2), 7),
            rule(None, Some("mat-khau"), None, 4),
        ];
        assert_eq!(check_rules(&pool(), &swapped), Ok(()));
    }

    #[test]
    fn a_rule_that_cannot_be_filled_names_its_topic_by_title() {
        let rules = [rule(None, Some("mat-khau"), None, 40)];
        let err = check_rules(&pool(), &rules).unwrap_err();
        assert!(err.to_string().contains("(chủ đề “mat-khau”)"), "{err}");
        let named = err.with_topic_names(&rules, |slug| {
            (slug == "mat-khau").then(|| "Mật khẩu mạnh".to_owned())
        });
        assert!(
            named
                .to_string()
                .starts_with("Quy tắc 1 (chủ đề “Mật khẩu mạnh”) cần 40 câu"),
            "{named}"
        );
        // A topic without a known name keeps its slug.
        let err = check_rules(&pool(), &rules)
            .unwrap_err()
            .with_topic_names(&rules, |_| None);
        assert!(err.to_string().contains("(chủ đề “mat-khau”)"), "{err}");
    }

    #[test]
    fn a_specific_rule_then_a_broad_one_is_checked_exactly() {
        // 20 questions: 5 lua-dao of difficulty 3 first, then 15 from anything = all 20.
        let rules = [
            rule(None, Some("lua-dao"), Some(3), 5),
            rule(None, None, None, 15),
        ];
        assert_eq!(check_rules(&pool(), &rules), Ok(()));
        let rules = [
            rule(None, Some("lua-dao"), Some(3), 5),
            rule(None, None, None, 16),
        ];
        assert!(matches!(
            check_rules(&pool(), &rules),
            Err(DrawError::NotEnough {
                rule: 2,
                available: 15,
                ..
            })
        ));
    }

    #[test]
    fn a_round_needs_at_least_one_question() {
        for rules in [vec![], vec![rule(None, None, None, 0)]] {
            let err = check_rules(&pool(), &rules).unwrap_err();
            assert_eq!(err.to_string(), "Vòng thi cần ít nhất 1 câu hỏi.");
            assert_eq!(draw_round(1, &pool(), &rules), Err(err));
        }
        // A zero rule next to others is simply skipped.
        let rules = [rule(Some("Z"), None, None, 0), rule(None, None, None, 2)];
        assert_eq!(draw_round(1, &pool(), &rules).unwrap().len(), 2);
    }

    #[test]
    fn huge_counts_are_refused_not_allocated() {
        let rules = [
            rule(None, None, None, u32::MAX),
            rule(None, None, None, u32::MAX),
        ];
        assert!(matches!(
            draw_round(1, &pool(), &rules),
            Err(DrawError::NotEnough {
                rule: 1,
                available: 20,
                ..
            })
        ));
    }

    #[test]
    fn a_repeated_id_in_the_pool_is_drawn_at_most_once() {
        let pool = vec![
            question("x", "A", "t", 1),
            question("x", "A", "t", 1),
            question("y", "A", "t", 1),
        ];
        assert!(check_rules(&pool, &[rule(None, None, None, 3)]).is_err());
        let round = draw_round(3, &pool, &[rule(None, None, None, 2)]).unwrap();
        let mut ids = ids(&round);
        ids.sort_unstable();
        assert_eq!(ids, vec!["x", "y"]);
    }

    #[test]
    fn whenever_the_check_passes_every_seed_draws_a_valid_round() {
        // Random small pools and rule sets: the check must never let a draw fail.
        let mut rng = StdRng::seed_from_u64(2024);
        let topics = ["a", "b", "c"];
        let mut passed = 0;
        for _ in 0..300 {
            let pool: Vec<PoolQuestion> = (0..rand::Rng::random_range(&mut rng, 0..12))
                .map(|i| {
                    let topic = *topics.choose(&mut rng).unwrap_or(&"a");
                    question(
                        &format!("q{i}"),
                        "A",
                        topic,
                        rand::Rng::random_range(&mut rng, 1..=3),
                    )
                })
                .collect();
            let rules: Vec<DrawRule> = (0..rand::Rng::random_range(&mut rng, 1..4))
                .map(|_| {
                    let topic = rand::Rng::random_bool(&mut rng, 0.5)
                        .then(|| *topics.choose(&mut rng).unwrap_or(&"a"));
                    let difficulty = rand::Rng::random_bool(&mut rng, 0.5)
                        .then(|| rand::Rng::random_range(&mut rng, 1..=3));
                    rule(
                        None,
                        topic,
                        difficulty,
                        rand::Rng::random_range(&mut rng, 0..4),
                    )
                })
                .collect();
            if check_rules(&pool, &rules).is_err() {
                continue;
            }
            passed += 1;
            let total: u32 = rules.iter().map(|r| r.count).sum();
            for seed in 0..20 {
                let round = draw_round(seed, &pool, &rules).unwrap();
                assert_eq!(round.len(), total as usize);
                assert_eq!(
                    ids(&round).into_iter().collect::<HashSet<_>>().len(),
                    round.len()
                );
            }
        }
        assert!(passed > 50, "only {passed} configurations passed the check");
    }

    #[test]
    fn rule_descriptions_list_the_filters() {
        assert_eq!(rule(None, None, None, 1).describe(), "mọi câu hỏi");
        assert_eq!(
            rule(Some("A"), Some("otp"), Some(2), 1).describe(),
            "mạch A, chủ đề “otp”, độ khó 2"
        );
    }

    fn place(level: Option<&str>, school: Option<i32>, commune: Option<i32>) -> PupilPlace {
        PupilPlace {
            level: level.map(str::to_string),
            school_id: school,
            commune_id: commune,
        }
    }

    #[test]
    fn an_unrestricted_round_allows_everyone_even_with_an_unknown_place() {
        let open = Eligibility::default();
        assert!(open.is_unrestricted());
        assert!(open.allows(&PupilPlace::default()));
        assert!(open.allows(&place(Some("THCS"), Some(1), Some(2))));
    }

    #[test]
    fn every_restricted_axis_must_match() {
        let rules = Eligibility {
            levels: vec!["THCS".to_string()],
            school_ids: vec![],
            commune_ids: vec![7, 8],
        };
        assert!(!rules.is_unrestricted());
        assert!(rules.allows(&place(Some("THCS"), Some(99), Some(8))));
        assert!(rules.allows(&place(Some("THCS"), None, Some(7))));
        assert!(!rules.allows(&place(Some("THPT"), Some(99), Some(8))));
        assert!(!rules.allows(&place(Some("THCS"), Some(99), Some(9))));
    }

    #[test]
    fn an_unknown_value_fails_a_restricted_axis() {
        let rules = Eligibility {
            school_ids: vec![3],
            ..Eligibility::default()
        };
        assert!(!rules.allows(&place(Some("THCS"), None, Some(1))));
        assert!(!rules.allows(&PupilPlace::default()));
        assert!(rules.allows(&place(None, Some(3), None)));
    }

    #[test]
    fn the_deadline_is_the_allowance_or_the_closing_whichever_comes_first() {
        assert_eq!(attempt_deadline(1_000, 600_000, 10_000_000), 601_000);
        assert_eq!(attempt_deadline(9_900_000, 600_000, 10_000_000), 10_000_000);
        assert_eq!(attempt_deadline(1_000, -5, 10_000_000), 1_000);
        assert_eq!(attempt_deadline(1_000, i64::MAX, i64::MAX), i64::MAX);
    }

    #[test]
    fn answers_are_accepted_until_the_grace_period_ends() {
        assert!(accepts_answer(100, 100, 0));
        assert!(!accepts_answer(101, 100, 0));
        assert!(accepts_answer(2_100, 100, 2_000));
        assert!(!accepts_answer(2_101, 100, 2_000));
        assert!(!accepts_answer(101, 100, -50));
        assert!(accepts_answer(i64::MAX, i64::MAX, i64::MAX));
    }

    #[test]
    fn a_round_is_open_from_its_opening_until_just_before_its_closing() {
        assert_eq!(phase(99, 100, 200), RoundPhase::Upcoming);
        assert_eq!(phase(100, 100, 200), RoundPhase::Open);
        assert_eq!(phase(199, 100, 200), RoundPhase::Open);
        assert_eq!(phase(200, 100, 200), RoundPhase::Closed);
        // Closing before opening: never open.
        assert_eq!(phase(150, 200, 100), RoundPhase::Upcoming);
        assert_eq!(phase(250, 200, 100), RoundPhase::Closed);
        assert_eq!(RoundPhase::Open.label(), "Đang mở");
        assert_eq!(RoundPhase::Upcoming.label(), "Sắp mở");
        assert_eq!(RoundPhase::Closed.label(), "Đã đóng");
    }

    #[test]
    fn the_remaining_time_never_goes_negative() {
        assert_eq!(remaining_ms(100, 350), 250);
        assert_eq!(remaining_ms(400, 350), 0);
        assert_eq!(remaining_ms(i64::MIN, i64::MAX), i64::MAX);
    }

    #[test]
    fn eligibility_and_rules_round_trip_through_json() {
        let rules = Eligibility {
            levels: vec!["THCS".to_string()],
            school_ids: vec![1],
            commune_ids: vec![],
        };
        let json = serde_json::to_string(&rules).unwrap();
        assert_eq!(serde_json::from_str::<Eligibility>(&json).unwrap(), rules);
        let r = rule(None, Some("otp"), Some(1), 3);
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<DrawRule>(&json).unwrap(), r);
    }
}
