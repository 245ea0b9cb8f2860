//! Drawing questions, shuffling options and scoring, all reproducible from a stored seed.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::{IndexedRandom, SliceRandom};

/// Questions in one practice attempt.
pub const PRACTICE_QUESTIONS: usize = 10;

/// The frozen shape of an attempt: which questions, in which order, with which option order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnQuiz {
    /// One entry per question position.
    pub items: Vec<DrawnItem>,
}

/// One drawn question: its index in the candidate list and the permutation of its options.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DrawnItem {
    pub candidate: usize,
    /// `option_order[display_position] = original option index`.
    pub option_order: Vec<usize>,
}

/// Draws up to `count` distinct candidates and shuffles each one's options.
///
/// `option_counts[i]` is the number of options of candidate `i`; a candidate whose
/// `keep_order[i]` is true keeps its options in place (the parts of a warning-signs message are
/// read in the message's order). The same seed and inputs always give the same quiz.
pub fn draw_quiz(
    seed: u64,
    option_counts: &[usize],
    keep_order: &[bool],
    count: usize,
) -> DrawnQuiz {
    let mut rng = StdRng::seed_from_u64(seed);
    let indices: Vec<usize> = (0..option_counts.len()).collect();
    let chosen: Vec<usize> = indices
        .choose_multiple(&mut rng, count.min(option_counts.len()))
        .copied()
        .collect();
    let items = chosen
        .into_iter()
        .map(|candidate| shuffled(candidate, option_counts, keep_order, &mut rng))
        .collect();
    DrawnQuiz { items }
}

/// Candidate `candidate` with its options shuffled, unless `keep_order` says to keep them.
fn shuffled(
    candidate: usize,
    option_counts: &[usize],
    keep_order: &[bool],
    rng: &mut StdRng,
) -> DrawnItem {
    let mut option_order: Vec<usize> = (0..option_counts[candidate]).collect();
    if !keep_order.get(candidate).copied().unwrap_or(false) {
        option_order.shuffle(rng);
    }
    DrawnItem {
        candidate,
        option_order,
    }
}

/// A fixed list of questions in its own order (a teacher's quiz), each one's options shuffled as
/// [`draw_quiz`] does. The same seed and inputs always give the same quiz.
pub fn shuffle_options(seed: u64, option_counts: &[usize], keep_order: &[bool]) -> DrawnQuiz {
    let mut rng = StdRng::seed_from_u64(seed);
    let items = (0..option_counts.len())
        .map(|candidate| shuffled(candidate, option_counts, keep_order, &mut rng))
        .collect();
    DrawnQuiz { items }
}

/// Maps display positions chosen by the pupil to original option indexes.
///
/// Positions out of range are dropped; the result is sorted and without duplicates.
pub fn to_original(option_order: &[usize], display_positions: &[usize]) -> Vec<usize> {
    let mut original: Vec<usize> = display_positions
        .iter()
        .filter_map(|&p| option_order.get(p).copied())
        .collect();
    original.sort_unstable();
    original.dedup();
    original
}

/// Maps original option indexes to display positions, sorted.
pub fn to_display(option_order: &[usize], original: &[usize]) -> Vec<usize> {
    let mut display: Vec<usize> = option_order
        .iter()
        .enumerate()
        .filter(|(_, o)| original.contains(o))
        .map(|(d, _)| d)
        .collect();
    display.sort_unstable();
    display
}

/// An answer is right when the chosen set equals the key exactly: no partial credit.
pub fn is_correct(chosen_original: &[usize], key: &[usize]) -> bool {
    let mut chosen = chosen_original.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    let mut key = key.to_vec();
    key.sort_unstable();
    key.dedup();
    !key.is_empty() && chosen == key
}

/// What a question is worth, in hundredths of a point.
pub const FULL_MARKS: u32 = 100;

/// Points (hundredths) an answer earns. A choice question earns [`FULL_MARKS`] when the chosen
/// set equals the key, else nothing. A warning-signs question (`signs`, the key being its
/// suspicious parts) earns its parts' points (`signs::points`: right minus wrong, never below
/// zero) over its suspicious parts, rounded half up: 2 of 3 earns 67.
pub fn item_points(signs: bool, chosen: Option<&[usize]>, key: &[usize]) -> u32 {
    let Some(chosen) = chosen else {
        return 0;
    };
    if !signs {
        return if is_correct(chosen, key) {
            FULL_MARKS
        } else {
            0
        };
    }
    let mut suspicious = key.to_vec();
    suspicious.sort_unstable();
    suspicious.dedup();
    if suspicious.is_empty() {
        return 0;
    }
    let earned = crate::domain::signs::points(chosen, &suspicious);
    let parts = suspicious.len() as u32;
    (earned * FULL_MARKS * 2 + parts) / (parts * 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_fixed_quiz_keeps_its_questions_in_order_and_shuffles_only_options_it_may() {
        let quiz = shuffle_options(7, &[4, 3, 4, 2], &[false, true, false, false]);
        let order: Vec<usize> = quiz.items.iter().map(|i| i.candidate).collect();
        assert_eq!(order, vec![0, 1, 2, 3]);
        assert_eq!(quiz.items[1].option_order, vec![0, 1, 2]);
        for (item, count) in quiz.items.iter().zip([4, 3, 4, 2]) {
            let mut sorted = item.option_order.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..count).collect::<Vec<_>>());
        }
        assert_eq!(
            quiz,
            shuffle_options(7, &[4, 3, 4, 2], &[false, true, false, false])
        );
        // Some seed moves an option of a four-option question (not all stay put).
        assert!((0..20).any(
            |seed| shuffle_options(seed, &[4], &[]).items[0].option_order != vec![0, 1, 2, 3]
        ));
    }

    #[test]
    fn the_same_seed_draws_the_same_quiz() {
        let counts = vec![4; 30];
        assert_eq!(
            draw_quiz(42, &counts, &[], 10),
            draw_quiz(42, &counts, &[], 10)
        );
    }

    #[test]
    fn different_seeds_draw_different_quizzes() {
        let counts = vec![4; 30];
        let quizzes: std::collections::HashSet<Vec<usize>> = (0..20)
            .map(|seed| {
                draw_quiz(seed, &counts, &[], 10)
                    .items
                    .iter()
                    .map(|i| i.candidate)
                    .collect()
            })
            .collect();
        assert!(quizzes.len() > 15, "only {} distinct draws", quizzes.len());
    }

    #[test]
    fn a_draw_has_distinct_questions_and_full_permutations() {
        let counts: Vec<usize> = (0..25).map(|i| 2 + i % 5).collect();
        for seed in 0..50 {
            let quiz = draw_quiz(seed, &counts, &[], 10);
            assert_eq!(quiz.items.len(), 10);
            let mut seen: Vec<usize> = quiz.items.iter().map(|i| i.candidate).collect();
            seen.sort_unstable();
            seen.dedup();
            assert_eq!(seen.len(), 10);
            for item in &quiz.items {
                let mut order = item.option_order.clone();
                order.sort_unstable();
                assert_eq!(order, (0..counts[item.candidate]).collect::<Vec<_>>());
            }
        }
    }

    #[test]
    fn a_small_pool_gives_every_question_once() {
        let quiz = draw_quiz(7, &[3, 3, 3], &[], 10);
        let mut seen: Vec<usize> = quiz.items.iter().map(|i| i.candidate).collect();
        seen.sort_unstable();
        assert_eq!(seen, vec![0, 1, 2]);
    }

    #[test]
    fn shuffling_moves_the_correct_option_around() {
        let counts = vec![4; 1];
        let firsts: std::collections::HashSet<usize> = (0..40)
            .map(|seed| draw_quiz(seed, &counts, &[], 1).items[0].option_order[0])
            .collect();
        assert_eq!(firsts.len(), 4);
    }

    #[test]
    fn display_and_original_positions_round_trip() {
        let order = vec![2, 0, 3, 1];
        assert_eq!(to_original(&order, &[0]), vec![2]);
        assert_eq!(to_original(&order, &[3, 1, 1, 9]), vec![0, 1]);
        assert_eq!(to_display(&order, &[2]), vec![0]);
        assert_eq!(
            to_display(&order, &to_original(&order, &[1, 2])),
            vec![1, 2]
        );
    }

    #[test]
    fn only_the_exact_set_of_correct_options_scores() {
        assert!(is_correct(&[1], &[1]));
        assert!(!is_correct(&[0], &[1]));
        assert!(!is_correct(&[1], &[1, 3]));
        assert!(!is_correct(&[1, 2, 3], &[1, 3]));
        assert!(is_correct(&[3, 1], &[1, 3]));
        assert!(!is_correct(&[], &[]));
    }

    #[test]
    fn unanswered_questions_score_nothing() {
        assert_eq!(item_points(false, Some(&[0]), &[0]), FULL_MARKS);
        assert_eq!(item_points(false, None, &[2]), 0);
        assert_eq!(item_points(false, Some(&[2, 1]), &[1, 2]), FULL_MARKS);
        assert_eq!(
            item_points(false, Some(&[1]), &[1, 2]),
            0,
            "no partial credit"
        );
        assert_eq!(item_points(true, None, &[0, 2]), 0);
    }

    #[test]
    fn a_warning_signs_answer_earns_its_share_of_the_point() {
        // Suspicious parts 0, 2 and 3; parts 1 and 4 are innocent.
        let key = [0, 2, 3];
        assert_eq!(item_points(true, Some(&[0, 2, 3]), &key), 100);
        assert_eq!(
            item_points(true, Some(&[0, 2]), &key),
            67,
            "2 of 3, half up"
        );
        assert_eq!(item_points(true, Some(&[0]), &key), 33);
        assert_eq!(item_points(true, Some(&[0, 2, 3, 1]), &key), 67);
        assert_eq!(item_points(true, Some(&[0, 1, 2, 3, 4]), &key), 33);
        assert_eq!(item_points(true, Some(&[1, 4]), &key), 0);
        assert_eq!(item_points(true, Some(&[0, 1]), &[0, 2, 3, 4]), 0);
        assert_eq!(item_points(true, Some(&[0, 2]), &[0, 1, 2, 3]), 50);
        assert_eq!(
            item_points(true, Some(&[0]), &[]),
            0,
            "a key without parts earns nothing"
        );
    }

    #[test]
    fn warning_signs_parts_keep_their_place() {
        let counts = [5, 4];
        for seed in 0..20 {
            let quiz = draw_quiz(seed, &counts, &[true, false], 2);
            let kept = quiz.items.iter().find(|i| i.candidate == 0).unwrap();
            assert_eq!(kept.option_order, vec![0, 1, 2, 3, 4]);
        }
        let shuffled: std::collections::HashSet<Vec<usize>> = (0..20)
            .map(|seed| {
                let quiz = draw_quiz(seed, &counts, &[true, false], 2);
                quiz.items
                    .into_iter()
                    .find(|i| i.candidate == 1)
                    .unwrap()
                    .option_order
            })
            .collect();
        assert!(shuffled.len() > 1, "choice options are still shuffled");
    }
}
