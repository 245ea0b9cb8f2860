//! Classical item analysis of a contest round, so the committee can spot faulty questions:
//! facility (share correct), upper–lower 27% discrimination, option choices and warning flags.

/// Facility above this (strictly) flags a question as too easy.
pub const TOO_EASY_ABOVE: f64 = 0.9;
/// Facility below this (strictly) flags a question as too hard.
pub const TOO_HARD_BELOW: f64 = 0.2;
/// Discrimination below this (and not negative) flags a question as discriminating weakly.
pub const WEAK_DISCRIMINATION_BELOW: f64 = 0.2;
/// A wrong option chosen by a share below this (strictly) is flagged as an unused distractor.
pub const UNUSED_DISTRACTOR_BELOW: f64 = 0.05;
/// Below this many attempts shown a question, no flag is raised: the shares are too noisy.
pub const MIN_SHOWN_FOR_FLAGS: u32 = 20;
/// Share of attempts in each of the upper and lower groups, in percent.
pub const GROUP_PERCENT: usize = 27;

/// One question as answered in one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemAnswer {
    /// Whether the answer scored; an empty `chosen` counts as wrong whatever this says.
    pub correct: bool,
    /// Original option indexes chosen; empty when the question was shown but left blank.
    pub chosen: Vec<usize>,
}

/// One submitted attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// The attempt's total score, used to form the upper and lower groups.
    pub total_score: u32,
    /// `answers[i]` is question `i` of the common question list, `None` when not shown.
    pub answers: Vec<Option<ItemAnswer>>,
}

/// A warning about a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ItemFlag {
    /// Facility above `TOO_EASY_ABOVE`.
    TooEasy,
    /// Facility below `TOO_HARD_BELOW`.
    TooHard,
    /// The lower group did better than the upper group.
    NegativeDiscrimination,
    /// Discrimination at least 0 but below `WEAK_DISCRIMINATION_BELOW`.
    WeakDiscrimination,
    /// The wrong option with this original index was chosen by fewer than `UNUSED_DISTRACTOR_BELOW`.
    UnusedDistractor(usize),
}

impl ItemFlag {
    /// The warning as shown to the committee (thresholds written as in the constants above).
    pub fn label(&self) -> String {
        match self {
            ItemFlag::TooEasy => "Quá dễ (trên 90% làm đúng)".to_string(),
            ItemFlag::TooHard => "Quá khó (dưới 20% làm đúng)".to_string(),
            ItemFlag::NegativeDiscrimination => {
                "Phân biệt ngược: nhóm điểm thấp làm đúng nhiều hơn nhóm điểm cao".to_string()
            }
            ItemFlag::WeakDiscrimination => "Độ phân biệt thấp (dưới 0,2)".to_string(),
            ItemFlag::UnusedDistractor(option) => format!(
                "Phương án sai ít ai chọn (dưới 5%): {}",
                option_letter(*option)
            ),
        }
    }

    /// A stable code, e.g. for styling or filtering.
    pub fn code(&self) -> &'static str {
        match self {
            ItemFlag::TooEasy => "qua-de",
            ItemFlag::TooHard => "qua-kho",
            ItemFlag::NegativeDiscrimination => "phan-biet-nguoc",
            ItemFlag::WeakDiscrimination => "phan-biet-thap",
            ItemFlag::UnusedDistractor(_) => "phuong-an-it-chon",
        }
    }
}

/// The letter of an original option index as written in the question bank: 0 is “A”.
pub fn option_letter(option: usize) -> String {
    match u8::try_from(option) {
        Ok(i) if i < 26 => char::from(b'A' + i).to_string(),
        // Beyond Z there is no letter; the 1-based number is still unambiguous.
        _ => option.saturating_add(1).to_string(),
    }
}

/// The statistics of one question.
#[derive(Clone, Debug, PartialEq)]
pub struct ItemStats {
    /// Index of the question in the common question list.
    pub question: usize,
    /// Attempts that were shown the question.
    pub shown: u32,
    /// Attempts that answered it correctly.
    pub correct: u32,
    /// Share correct among those shown; `None` when nobody was shown it.
    pub facility: Option<f64>,
    /// Share correct in the upper group minus share correct in the lower group.
    pub discrimination: Option<f64>,
    /// Size of each of the upper and lower groups; 0 when there is no discrimination.
    pub group_size: u32,
    /// Per original option, the share of attempts shown the question that chose it.
    pub option_share: Vec<f64>,
    /// Share of attempts shown the question that left it blank.
    pub blank_share: f64,
    /// Warnings, in the order too easy/hard, discrimination, distractors by option index.
    pub flags: Vec<ItemFlag>,
}

/// The size of the upper and lower groups among `n` attempts: 27% of `n`, rounded half up, at
/// least 1; `None` when `n < 2` or the groups would overlap.
///
/// Integer arithmetic keeps the rounding exact (27% of 50 is 13.5, which rounds to 14). From
/// n = 2 upwards the groups never overlap, so the overlap rule is only a safeguard.
pub fn group_size(n: usize) -> Option<usize> {
    if n < 2 {
        return None;
    }
    let size = (n.saturating_mul(GROUP_PERCENT).saturating_add(50) / 100).max(1);
    (size.saturating_mul(2) <= n).then_some(size)
}

/// `part / whole` as a share; 0 when `whole` is 0 so that empty questions do not produce NaN.
fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

fn saturating_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Analyses every question of the common list.
///
/// `option_counts[i]` is the number of options of question `i` and sets the length of the
/// output; `keys[i]` holds the original indexes of its correct options (a missing or empty key
/// only disables the unused-distractor flag). Answers beyond `option_counts.len()` and chosen
/// indexes out of range are ignored; an index chosen twice in one answer counts once.
///
/// Discrimination uses the upper and lower groups among the attempts shown the question,
/// ranked by total score, each of `group_size(n)` attempts. Equal totals at a cut are resolved
/// by input order: the earlier attempt goes into the upper group, the later into the lower one.
///
/// Flags are only raised when at least `MIN_SHOWN_FOR_FLAGS` attempts were shown the question.
pub fn analyse(
    responses: &[Response],
    option_counts: &[usize],
    keys: &[Vec<usize>],
) -> Vec<ItemStats> {
    option_counts
        .iter()
        .enumerate()
        .map(|(question, &option_count)| {
            let key = keys.get(question).map_or(&[][..], Vec::as_slice);
            analyse_item(responses, question, option_count, key)
        })
        .collect()
}

fn analyse_item(
    responses: &[Response],
    question: usize,
    option_count: usize,
    key: &[usize],
) -> ItemStats {
    // (total score, answered correctly) of each attempt shown the question, in input order.
    let mut shown: Vec<(u32, bool)> = Vec::new();
    let mut chosen_counts = vec![0usize; option_count];
    let mut blanks = 0usize;
    for response in responses {
        let Some(Some(answer)) = response.answers.get(question) else {
            continue;
        };
        let blank = answer.chosen.is_empty();
        if blank {
            blanks += 1;
        }
        shown.push((response.total_score, answer.correct && !blank));
        let mut chosen: Vec<usize> = answer
            .chosen
            .iter()
            .copied()
            .filter(|&o| o < option_count)
            .collect();
        chosen.sort_unstable();
        chosen.dedup();
        for option in chosen {
            chosen_counts[option] += 1;
        }
    }

    let n = shown.len();
    let correct = shown.iter().filter(|(_, c)| *c).count();
    let facility = (n > 0).then(|| share(correct, n));
    let (discrimination, group) = match group_size(n) {
        Some(g) => {
            // A stable sort keeps input order among equal totals, which fixes the cut rule.
            let mut ranked = shown.clone();
            ranked.sort_by_key(|&(total, _)| std::cmp::Reverse(total));
            let upper = ranked[..g].iter().filter(|(_, c)| *c).count();
            let lower = ranked[n - g..].iter().filter(|(_, c)| *c).count();
            // One division of the difference, so D = 0.2 comes out exactly as the constant.
            let d = (upper as f64 - lower as f64) / g as f64;
            (Some(d), g)
        }
        None => (None, 0),
    };
    let option_share: Vec<f64> = chosen_counts.iter().map(|&c| share(c, n)).collect();

    let mut flags = Vec::new();
    if saturating_u32(n) >= MIN_SHOWN_FOR_FLAGS {
        if let Some(f) = facility {
            if f > TOO_EASY_ABOVE {
                flags.push(ItemFlag::TooEasy);
            } else if f < TOO_HARD_BELOW {
                flags.push(ItemFlag::TooHard);
            }
        }
        if let Some(d) = discrimination {
            if d < 0.0 {
                flags.push(ItemFlag::NegativeDiscrimination);
            } else if d < WEAK_DISCRIMINATION_BELOW {
                flags.push(ItemFlag::WeakDiscrimination);
            }
        }
        // Without a key every option would look like a distractor, so say nothing.
        if !key.is_empty() {
            for (option, &s) in option_share.iter().enumerate() {
                if !key.contains(&option) && s < UNUSED_DISTRACTOR_BELOW {
                    flags.push(ItemFlag::UnusedDistractor(option));
                }
            }
        }
    }

    ItemStats {
        question,
        shown: saturating_u32(n),
        correct: saturating_u32(correct),
        facility,
        discrimination,
        group_size: saturating_u32(group),
        option_share,
        blank_share: share(blanks, n),
        flags,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(correct: bool, chosen: &[usize]) -> Option<ItemAnswer> {
        Some(ItemAnswer {
            correct,
            chosen: chosen.to_vec(),
        })
    }

    fn response(total_score: u32, answers: Vec<Option<ItemAnswer>>) -> Response {
        Response {
            total_score,
            answers,
        }
    }

    fn close(actual: f64, expected: f64) -> bool {
        (actual - expected).abs() < 1e-12
    }

    fn assert_shares(actual: &[f64], expected: &[f64]) {
        assert_eq!(actual.len(), expected.len(), "{actual:?} vs {expected:?}");
        for (a, e) in actual.iter().zip(expected) {
            assert!(close(*a, *e), "{actual:?} vs {expected:?}");
        }
    }

    #[test]
    fn the_group_is_27_percent_rounded_half_up_and_at_least_one() {
        assert_eq!(group_size(0), None);
        assert_eq!(group_size(1), None);
        assert_eq!(group_size(2), Some(1)); // 0.54 → 1
        assert_eq!(group_size(3), Some(1)); // 0.81 → 1
        assert_eq!(group_size(10), Some(3)); // 2.7 → 3
        assert_eq!(group_size(20), Some(5)); // 5.4 → 5
        assert_eq!(group_size(50), Some(14)); // 13.5 → 14
        assert_eq!(group_size(100), Some(27));
        for n in 2..500 {
            let g = group_size(n).unwrap();
            assert!(g >= 1 && 2 * g <= n, "n = {n}");
        }
    }

    #[test]
    fn a_small_round_gives_hand_computed_shares_and_discrimination() {
        // One 4-option question, key B (index 1), four attempts.
        //   total 10: chose B (right)    total 7: chose B (right)
        //   total 4:  chose A (wrong)    total 2: left blank
        // facility = 2/4 = 0.5; group = round(0.27 × 4 = 1.08) = 1;
        // upper = {10} right, lower = {2} wrong → D = 1/1 − 0/1 = 1.0.
        // options: A 1/4, B 2/4, C 0, D 0; blank 1/4. Only 4 shown, so no flags.
        let responses = vec![
            response(4, vec![answer(false, &[0])]),
            response(10, vec![answer(true, &[1])]),
            response(2, vec![answer(false, &[])]),
            response(7, vec![answer(true, &[1])]),
        ];
        let stats = analyse(&responses, &[4], &[vec![1]]);
        assert_eq!(stats.len(), 1);
        let s = &stats[0];
        assert_eq!((s.question, s.shown, s.correct, s.group_size), (0, 4, 2, 1));
        assert!(close(s.facility.unwrap(), 0.5));
        assert!(close(s.discrimination.unwrap(), 1.0));
        assert_shares(&s.option_share, &[0.25, 0.5, 0.0, 0.0]);
        assert!(close(s.blank_share, 0.25));
        assert!(s.flags.is_empty());
    }

    #[test]
    fn ten_attempts_use_groups_of_three() {
        // Totals 10 down to 1 (input order = rank order). Right: totals 10, 9, 7, 5, 2.
        // group = round(2.7) = 3; upper {10, 9, 8}: 2 right; lower {3, 2, 1}: 1 right.
        // D = 2/3 − 1/3 = 1/3; facility = 5/10 = 0.5.
        let right = [10, 9, 7, 5, 2];
        let responses: Vec<_> = (1..=10)
            .rev()
            .map(|t| response(t, vec![answer(right.contains(&t), &[0])]))
            .collect();
        let s = &analyse(&responses, &[2], &[vec![0]])[0];
        assert_eq!(s.group_size, 3);
        assert!(close(s.facility.unwrap(), 0.5));
        assert!(close(s.discrimination.unwrap(), 1.0 / 3.0));
    }

    #[test]
    fn ties_at_the_cut_are_resolved_by_input_order() {
        // All four totals equal, group 1: the upper group is the first attempt, the lower group
        // the last one.
        let first_right = vec![
            response(5, vec![answer(true, &[0])]),
            response(5, vec![answer(false, &[1])]),
            response(5, vec![answer(false, &[1])]),
            response(5, vec![answer(false, &[1])]),
        ];
        assert!(close(
            analyse(&first_right, &[2], &[vec![0]])[0]
                .discrimination
                .unwrap(),
            1.0
        ));
        let last_right: Vec<_> = first_right.iter().rev().cloned().collect();
        assert!(close(
            analyse(&last_right, &[2], &[vec![0]])[0]
                .discrimination
                .unwrap(),
            -1.0
        ));
    }

    #[test]
    fn only_attempts_shown_a_question_count_for_it() {
        // Question 0 shown to all three; question 1 only to the attempts with totals 3 and 1.
        // Q1: shown 2, right 1 (total 3) → facility 0.5; group = round(0.54) = 1;
        // upper {3} right, lower {1} wrong → D = 1. Option shares over 2, not 3.
        let responses = vec![
            response(3, vec![answer(true, &[0]), answer(true, &[2])]),
            response(2, vec![answer(true, &[0]), None]),
            response(1, vec![answer(false, &[1]), answer(false, &[0])]),
        ];
        let stats = analyse(&responses, &[2, 3], &[vec![0], vec![2]]);
        assert_eq!(stats[1].shown, 2);
        assert!(close(stats[1].facility.unwrap(), 0.5));
        assert!(close(stats[1].discrimination.unwrap(), 1.0));
        assert_shares(&stats[1].option_share, &[0.5, 0.0, 0.5]);
        // Q0: 2/3 right; group = round(0.81) = 1; upper {3} right, lower {1} wrong → D = 1.
        assert!(close(stats[0].facility.unwrap(), 2.0 / 3.0));
        assert!(close(stats[0].discrimination.unwrap(), 1.0));
    }

    #[test]
    fn a_question_nobody_saw_has_no_statistics_and_no_flags() {
        let responses = vec![response(5, vec![None]), response(3, vec![])];
        let s = &analyse(&responses, &[3], &[vec![0]])[0];
        assert_eq!((s.shown, s.correct, s.group_size), (0, 0, 0));
        assert_eq!((s.facility, s.discrimination), (None, None));
        assert_shares(&s.option_share, &[0.0, 0.0, 0.0]);
        assert!(close(s.blank_share, 0.0));
        assert!(s.flags.is_empty());
    }

    #[test]
    fn a_single_attempt_has_a_facility_but_no_discrimination() {
        let s = &analyse(&[response(1, vec![answer(true, &[0])])], &[2], &[vec![0]])[0];
        assert!(close(s.facility.unwrap(), 1.0));
        assert_eq!(s.discrimination, None);
    }

    #[test]
    fn nothing_in_gives_nothing_out() {
        assert!(analyse(&[], &[], &[]).is_empty());
        assert_eq!(analyse(&[], &[4, 2], &[]).len(), 2);
    }

    #[test]
    fn a_blank_marked_correct_still_counts_as_wrong_and_bad_indexes_are_ignored() {
        // Blank + correct: wrong. Chosen [1, 1, 9] on 2 options: option 1 once, 9 dropped.
        let responses = vec![
            response(2, vec![answer(true, &[])]),
            response(1, vec![answer(false, &[1, 1, 9])]),
        ];
        let s = &analyse(&responses, &[2], &[vec![0]])[0];
        assert_eq!(s.correct, 0);
        assert_shares(&s.option_share, &[0.0, 0.5]);
        assert!(close(s.blank_share, 0.5));
    }

    /// Twenty attempts with totals 20 down to 1; `pick(rank)` gives the chosen options of the
    /// attempt at that rank (0 = best) on a 4-option question whose key is A (index 0).
    fn twenty(pick: impl Fn(usize) -> Vec<usize>) -> Vec<Response> {
        (0..20)
            .map(|rank| {
                let chosen = pick(rank);
                let correct = chosen == [0];
                response(20 - rank as u32, vec![answer(correct, &chosen)])
            })
            .collect()
    }

    fn flags(responses: &[Response]) -> Vec<ItemFlag> {
        analyse(responses, &[4], &[vec![0]])[0].flags.clone()
    }

    #[test]
    fn everyone_right_is_too_easy_weak_and_has_unused_distractors() {
        // facility 20/20 = 1 > 0.9; group 5, both groups all right → D = 0 → weak;
        // options B, C, D chosen by nobody → three unused distractors.
        assert_eq!(
            flags(&twenty(|_| vec![0])),
            vec![
                ItemFlag::TooEasy,
                ItemFlag::WeakDiscrimination,
                ItemFlag::UnusedDistractor(1),
                ItemFlag::UnusedDistractor(2),
                ItemFlag::UnusedDistractor(3),
            ]
        );
    }

    #[test]
    fn nineteen_attempts_are_too_few_to_flag_anything() {
        let mut responses = twenty(|_| vec![0]);
        responses.pop();
        assert!(flags(&responses).is_empty());
    }

    #[test]
    fn when_the_weak_pupils_do_better_the_discrimination_is_negative() {
        // Ranks 10–19 (the lowest totals) right; ranks 0–9 wrong: 5 chose B, 4 chose C, 1 chose D.
        // facility 10/20 = 0.5; upper (ranks 0–4) 0 right, lower (ranks 15–19) 5 right → D = −1.
        // D chosen by exactly 1/20 = 5%, which is not below 5%, so no distractor flag.
        let responses = twenty(|rank| match rank {
            0..=4 => vec![1],
            5..=8 => vec![2],
            9 => vec![3],
            _ => vec![0],
        });
        let s = &analyse(&responses, &[4], &[vec![0]])[0];
        assert!(close(s.discrimination.unwrap(), -1.0));
        assert_shares(&s.option_share, &[0.5, 0.25, 0.2, 0.05]);
        assert_eq!(s.flags, vec![ItemFlag::NegativeDiscrimination]);
    }

    #[test]
    fn facility_thresholds_are_strict() {
        // 18/20 = 0.9 is not too easy; 19/20 = 0.95 is. The wrong ones choose B.
        // Right answers by the best ranks, so D = 1 − 0 or 1 − 0.x: never weak here.
        let right_first =
            |right: usize| twenty(move |rank| if rank < right { vec![0] } else { vec![1] });
        // 18 right: upper 5/5, lower ranks 15–19 → 15, 16, 17 right → 3/5; D = 1 − 0.6 = 0.4.
        assert!(!flags(&right_first(18)).contains(&ItemFlag::TooEasy));
        assert!(flags(&right_first(19)).contains(&ItemFlag::TooEasy));
        // 4/20 = 0.2 is not too hard; 3/20 = 0.15 is.
        assert!(!flags(&right_first(4)).contains(&ItemFlag::TooHard));
        assert!(flags(&right_first(3)).contains(&ItemFlag::TooHard));
    }

    #[test]
    fn a_discrimination_of_exactly_0_2_is_not_weak() {
        // Upper (ranks 0–4): 3 right → 0.6; lower (ranks 15–19): 2 right → 0.4; D = 1/5 = 0.2.
        // Middle ranks 5–14 all right, so facility = (3 + 10 + 2)/20 = 0.75.
        let responses = twenty(|rank| match rank {
            0..=2 | 5..=14 | 15..=16 => vec![0],
            _ => vec![1],
        });
        let s = &analyse(&responses, &[4], &[vec![0]])[0];
        assert!(close(s.discrimination.unwrap(), 0.2));
        assert!(close(s.facility.unwrap(), 0.75));
        assert!(!s.flags.contains(&ItemFlag::WeakDiscrimination));
        // With one fewer right in the upper group: D = (2 − 2)/5 = 0 → weak.
        let responses = twenty(|rank| match rank {
            0..=1 | 5..=14 | 15..=16 => vec![0],
            _ => vec![1],
        });
        assert!(flags(&responses).contains(&ItemFlag::WeakDiscrimination));
    }

    #[test]
    fn every_option_outside_a_multi_answer_key_is_a_distractor() {
        // Key A + C; everyone picks A + C, except one who picks B: B 1/20 = 5% (kept), D 0% (flagged).
        let responses: Vec<_> = (0..20u32)
            .map(|rank| {
                let chosen = if rank == 19 { vec![1] } else { vec![0, 2] };
                response(20 - rank, vec![answer(rank != 19, &chosen)])
            })
            .collect();
        let s = &analyse(&responses, &[4], &[vec![0, 2]])[0];
        assert!(s.flags.contains(&ItemFlag::UnusedDistractor(3)));
        assert!(!s.flags.contains(&ItemFlag::UnusedDistractor(1)));
        // Without a key, no distractor flags at all.
        let s = &analyse(&responses, &[4], &[])[0];
        assert!(
            !s.flags
                .iter()
                .any(|f| matches!(f, ItemFlag::UnusedDistractor(_)))
        );
    }

    #[test]
    fn flag_labels_name_the_problem_in_vietnamese() {
        assert_eq!(ItemFlag::TooEasy.label(), "Quá dễ (trên 90% làm đúng)");
        assert_eq!(ItemFlag::TooHard.label(), "Quá khó (dưới 20% làm đúng)");
        assert_eq!(
            ItemFlag::WeakDiscrimination.label(),
            "Độ phân biệt thấp (dưới 0,2)"
        );
        assert_eq!(
            ItemFlag::UnusedDistractor(2).label(),
            "Phương án sai ít ai chọn (dưới 5%): C"
        );
        assert_eq!(option_letter(25), "Z");
        assert_eq!(option_letter(26), "27");
    }
}
