//! Assignments (bài được giao), as plain values: when one may be set, where a pupil stands with
//! it, and which of their attempts the teacher's report counts.

/// The longest an assignment may stay open: one school year's worth of days.
pub const LONGEST_OPEN_MS: i64 = 366 * 24 * 60 * 60 * 1000;
/// How far in the past an assignment may open (a teacher setting this morning's work at noon).
pub const OPENS_IN_THE_PAST_MS: i64 = 24 * 60 * 60 * 1000;

/// Why an opening and a due time cannot be set, in the words shown to the teacher.
pub fn window_problem(opens_at: i64, due_at: i64, now: i64) -> Option<&'static str> {
    if due_at <= opens_at {
        Some("Hạn nộp phải sau thời điểm mở bài.")
    } else if due_at <= now {
        Some("Hạn nộp đã qua; hãy chọn một thời điểm trong tương lai.")
    } else if opens_at < now - OPENS_IN_THE_PAST_MS {
        Some("Thời điểm mở bài không được sớm hơn hôm qua.")
    } else if due_at - opens_at > LONGEST_OPEN_MS {
        Some("Bài được giao mở tối đa một năm.")
    } else {
        None
    }
}

/// One attempt a pupil made for an assignment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptFact {
    pub started_at: i64,
    /// When it was submitted; `None` while the pupil is still on it.
    pub submitted_at: Option<i64>,
    /// Points in hundredths once submitted.
    pub points: Option<u32>,
}

/// Where a pupil stands with an assignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Standing {
    /// It opens later.
    NotOpenYet,
    /// Open (or overdue) and not started.
    ToDo,
    /// Started, not submitted.
    InProgress,
    /// Submitted by the due time.
    Done,
    /// First submitted after the due time.
    DoneLate,
}

/// Where a pupil stands, from their attempts for the assignment.
pub fn standing(attempts: &[AttemptFact], opens_at: i64, due_at: i64, now: i64) -> Standing {
    let first_submitted = attempts.iter().filter_map(|a| a.submitted_at).min();
    match first_submitted {
        Some(at) if at <= due_at => Standing::Done,
        Some(_) => Standing::DoneLate,
        None if attempts.iter().any(|a| a.submitted_at.is_none()) => Standing::InProgress,
        None if now < opens_at => Standing::NotOpenYet,
        None => Standing::ToDo,
    }
}

/// The attempt the report counts: the submitted one with the most points, the earliest
/// submitted of those on a tie; `None` when nothing was submitted.
pub fn counted(attempts: &[AttemptFact]) -> Option<usize> {
    attempts
        .iter()
        .enumerate()
        .filter_map(|(i, a)| Some((i, a.points?, a.submitted_at?)))
        .max_by(|(_, pa, ta), (_, pb, tb)| pa.cmp(pb).then(tb.cmp(ta)))
        .map(|(i, _, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    const H: i64 = 60 * 60 * 1000;

    fn done(at: i64, points: u32) -> AttemptFact {
        AttemptFact {
            started_at: at - H / 4,
            submitted_at: Some(at),
            points: Some(points),
        }
    }

    fn open(at: i64) -> AttemptFact {
        AttemptFact {
            started_at: at,
            submitted_at: None,
            points: None,
        }
    }

    #[test]
    fn a_window_must_run_forward_into_the_future_and_last_at_most_a_year() {
        let now = 1_000 * H;
        assert_eq!(window_problem(now, now + 48 * H, now), None);
        assert_eq!(window_problem(now - 2 * H, now + H, now), None);
        assert!(window_problem(now + H, now + H, now).is_some());
        assert!(window_problem(now - 3 * H, now - H, now).is_some());
        assert!(window_problem(now - 25 * H, now + H, now).is_some());
        assert!(window_problem(now, now + 367 * 24 * H, now).is_some());
    }

    #[test]
    fn a_pupil_stands_by_their_first_submission_then_by_an_open_attempt_then_by_the_clock() {
        let (opens, due) = (100 * H, 200 * H);
        assert_eq!(standing(&[], opens, due, 50 * H), Standing::NotOpenYet);
        assert_eq!(standing(&[], opens, due, 150 * H), Standing::ToDo);
        assert_eq!(standing(&[], opens, due, 250 * H), Standing::ToDo);
        assert_eq!(
            standing(&[open(150 * H)], opens, due, 250 * H),
            Standing::InProgress
        );
        assert_eq!(
            standing(&[done(190 * H, 500), open(195 * H)], opens, due, 250 * H),
            Standing::Done
        );
        assert_eq!(
            standing(&[done(210 * H, 900)], opens, due, 250 * H),
            Standing::DoneLate
        );
        // A late retry does not make work done on time late.
        assert_eq!(
            standing(
                &[done(210 * H, 900), done(150 * H, 300)],
                opens,
                due,
                250 * H
            ),
            Standing::Done
        );
    }

    #[test]
    fn the_report_counts_the_best_submitted_attempt_and_the_earlier_of_equals() {
        assert_eq!(counted(&[]), None);
        assert_eq!(counted(&[open(H)]), None);
        assert_eq!(
            counted(&[done(H, 300), done(2 * H, 800), open(3 * H)]),
            Some(1)
        );
        assert_eq!(counted(&[done(5 * H, 800), done(2 * H, 800)]), Some(1));
    }
}
