//! School years, identified by the calendar year they start in: 2026 is “2026–2027”.

use chrono::{Datelike, NaiveDate};

/// Month of the default first day of a school year (1 September).
pub const BOUNDARY_MONTH: u32 = 9;
/// Day of the default first day of a school year (1 September).
pub const BOUNDARY_DAY: u32 = 1;

/// How the school year starting in `start` is written: “2026–2027” (with an en dash).
pub fn label(start: i32) -> String {
    crate::i18n::school_year_label(start)
}

/// Reads a school year as people write it: “2026-2027”, “2026–2027”, “2026 - 2027”,
/// “2026/2027”, optionally after “năm học”. The second year must follow the first.
pub fn parse(text: &str) -> Option<i32> {
    let text = text.trim();
    let text = strip_prefix_ignoring_case(text, "năm học")
        .unwrap_or(text)
        .trim_start_matches([' ', ':'])
        .trim();
    let (first, second) = text.split_once(['-', '–', '—', '‑', '−', '/'])?;
    let year = |part: &str| {
        let part = part.trim();
        (part.len() == 4 && part.bytes().all(|b| b.is_ascii_digit()))
            .then(|| part.parse::<i32>().ok())
            .flatten()
    };
    let (first, second) = (year(first)?, year(second)?);
    (second == first + 1).then_some(first)
}

/// The school year `date` falls in, when school years start on `boundary_day`/`boundary_month`:
/// with the default 1 September, 31/8/2026 is in 2025–2026 and 1/9/2026 in 2026–2027.
pub fn containing(date: NaiveDate, boundary_month: u32, boundary_day: u32) -> i32 {
    if (date.month(), date.day()) >= (boundary_month, boundary_day) {
        date.year()
    } else {
        date.year() - 1
    }
}

fn strip_prefix_ignoring_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    (head.to_lowercase() == prefix).then(|| &text[prefix.len()..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_label_uses_an_en_dash() {
        assert_eq!(label(2026), "2026–2027");
    }

    #[test]
    fn the_usual_ways_of_writing_a_school_year_are_understood() {
        for text in [
            "2026-2027",
            "2026–2027",
            "2026 - 2027",
            "2026/2027",
            " 2026 – 2027 ",
            "Năm học 2026-2027",
            "năm học: 2026–2027",
        ] {
            assert_eq!(parse(text), Some(2026), "{text}");
        }
        assert_eq!(parse(&label(2031)), Some(2031));
    }

    #[test]
    fn a_school_year_must_span_two_consecutive_years() {
        for text in [
            "2026-2028",
            "2026-2026",
            "2027-2026",
            "2026",
            "26-27",
            "2026-27",
            "",
            "năm nay",
            "2026-2027-2028",
        ] {
            assert_eq!(parse(text), None, "{text}");
        }
    }

    #[test]
    fn the_school_year_changes_on_the_first_of_september() {
        assert_eq!(
            containing(day(2026, 8, 31), BOUNDARY_MONTH, BOUNDARY_DAY),
            2025
        );
        assert_eq!(
            containing(day(2026, 9, 1), BOUNDARY_MONTH, BOUNDARY_DAY),
            2026
        );
        assert_eq!(
            containing(day(2027, 1, 15), BOUNDARY_MONTH, BOUNDARY_DAY),
            2026
        );
        assert_eq!(
            containing(day(2026, 12, 31), BOUNDARY_MONTH, BOUNDARY_DAY),
            2026
        );
    }

    #[test]
    fn another_boundary_can_be_chosen() {
        assert_eq!(containing(day(2026, 8, 14), 8, 15), 2025);
        assert_eq!(containing(day(2026, 8, 15), 8, 15), 2026);
    }
}
