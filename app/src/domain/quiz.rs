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
/// `option_counts[i]` is the number of options of candidate `i`. The same seed and inputs
/// always give the same quiz.
pub fn draw_quiz(seed: u64, option_counts: &[usize], count: usize) -> DrawnQuiz {
    let mut rng = StdRng::seed_from_u64(seed);
    let indices: Vec<usize> = (0..option_counts.len()).collect();
    let chosen: Vec<usize> = indices
        .choose_multiple(&mut rng, count.min(option_counts.len()))
        .copied()
        .collect();
    let items = chosen
        .into_iter()
        .map(|candidate| {
            let mut option_order: Vec<usize> = (0..option_counts[candidate]).collect();
            option_order.shuffle(&mut rng);
            DrawnItem {
                candidate,
                option_order,
            }
        })
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

/// The score of an attempt: the number of questions answered correctly.
pub fn score<'a>(answers: impl IntoIterator<Item = (Option<&'a [usize]>, &'a [usize])>) -> u32 {
    answers
        .into_iter()
        .filter(|(chosen, key)| chosen.is_some_and(|c| is_correct(c, key)))
        .count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_quiz() {
        let counts = vec![4; 30];
        assert_eq!(draw_quiz(42, &counts, 10), draw_quiz(42, &counts, 10));
    }

    #[test]
    fn different_seeds_draw_different_quizzes() {
        let counts = vec![4; 30];
        let quizzes: std::collections::HashSet<Vec<usize>> = (0..20)
            .map(|seed| {
                draw_quiz(seed, &counts, 10)
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
            let quiz = draw_quiz(seed, &counts, 10);
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
        let quiz = draw_quiz(7, &[3, 3, 3], 10);
        let mut seen: Vec<usize> = quiz.items.iter().map(|i| i.candidate).collect();
        seen.sort_unstable();
        assert_eq!(seen, vec![0, 1, 2]);
    }

    #[test]
    fn shuffling_moves_the_correct_option_around() {
        let counts = vec![4; 1];
        let firsts: std::collections::HashSet<usize> = (0..40)
            .map(|seed| draw_quiz(seed, &counts, 1).items[0].option_order[0])
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
        let key_a = [0usize];
        let key_b = [2usize];
        let key_c = [1usize, 2];
        let chosen_a = [0usize];
        let chosen_c = [2usize, 1];
        let answers = vec![
            (Some(&chosen_a[..]), &key_a[..]),
            (None, &key_b[..]),
            (Some(&chosen_c[..]), &key_c[..]),
        ];
        assert_eq!(score(answers), 2);
    }
}
