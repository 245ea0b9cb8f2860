//! Time as the platform counts it: Vietnam time (UTC+7, no daylight saving) and school years.
//! Stored times are Unix milliseconds in UTC; they become Vietnam dates and clock times here only.

use chrono::{NaiveDateTime, TimeZone};

/// Vietnam's offset from UTC.
const VIETNAM_OFFSET_SECONDS: i32 = 7 * 3600;

fn vietnam() -> chrono::FixedOffset {
    chrono::FixedOffset::east_opt(VIETNAM_OFFSET_SECONDS).expect("UTC+7 is a valid offset")
}

/// Milliseconds since the Unix epoch, the unit of every stored time.
pub fn now_ms() -> i64 {
    chrono::Utc::now().timestamp_millis()
}

/// The ISO date of a moment in Vietnam (“2026-11-29”).
pub fn vietnam_date(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| t.with_timezone(&vietnam()).format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// A moment as people read it in Vietnam (“29/11/2026 19:05”).
pub fn format_vietnam_time(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&vietnam())
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// A moment as a `datetime-local` form value in Vietnam time (“2026-12-05T19:30”).
pub fn format_vietnam_input(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|t| {
            t.with_timezone(&vietnam())
                .format("%Y-%m-%dT%H:%M")
                .to_string()
        })
        .unwrap_or_default()
}

/// Reads a `datetime-local` form value (“2026-12-05T19:30”) as a time in Vietnam.
pub fn parse_vietnam_datetime(text: &str) -> Option<i64> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text.trim(), "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    Some(
        vietnam()
            .from_local_datetime(&naive)
            .single()?
            .timestamp_millis(),
    )
}

/// The school year (its start year) today falls in, with the default 1 September boundary.
/// Reports use the department's rule per year (`domain::coverage::school_year_of`).
pub fn current_school_year() -> i32 {
    let today = chrono::Utc::now().with_timezone(&vietnam()).date_naive();
    use crate::domain::school_year::{BOUNDARY_DAY, BOUNDARY_MONTH, containing};
    containing(today, BOUNDARY_MONTH, BOUNDARY_DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moments_are_shown_and_read_in_vietnam_time() {
        // 2026-11-28 12:05 UTC is 19:05 in Vietnam.
        let ms = 1_795_867_500_000;
        assert_eq!(format_vietnam_time(ms), "28/11/2026 19:05");
        assert_eq!(format_vietnam_input(ms), "2026-11-28T19:05");
        assert_eq!(parse_vietnam_datetime("2026-11-28T19:05"), Some(ms));
        // 23:30 UTC on 31 August is already 1 September in Vietnam.
        assert_eq!(vietnam_date(1_788_219_000_000), "2026-09-01");
        assert_eq!(format_vietnam_time(1_788_219_000_000), "01/09/2026 06:30");
    }

    #[test]
    fn form_times_are_read_and_written_in_vietnam_time() {
        // 2026-12-05 19:30 in Hà Nội is 12:30 UTC.
        let ms = parse_vietnam_datetime("2026-12-05T19:30").unwrap();
        assert_eq!(ms, 1_796_473_800_000);
        assert_eq!(format_vietnam_input(ms), "2026-12-05T19:30");
        assert_eq!(parse_vietnam_datetime("05/12/2026"), None);
    }
}
