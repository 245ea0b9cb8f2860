//! The coverage rule: did a school "run a program" in a track during a school year, and does the
//! province meet its targets (plan section II.1: over 80% of THCS and THPT schools in Track A,
//! 50% in Track B)?
//!
//! A school ran a program in a track at a level when at least P% of its enrolled pupils at that
//! level took part in the track during the year, or when a department official approved an
//! offline program it logged in that track. The denominator is every school in the directory
//! that serves the level and exists on the reference day of the year; a liên cấp school counts
//! once at each level it serves; a school merged into another during the year counts inside the
//! school it joined (its pupils, its participants and its programs). Dates are ISO `YYYY-MM-DD`
//! strings, which compare in calendar order.

use crate::codes::{SchoolLevel, Track};
use std::collections::{BTreeMap, HashMap, HashSet};

/// The plan's default share of enrolled pupils that makes a school count (20%).
pub const DEFAULT_THRESHOLD_PERCENT: u32 = 20;
/// The plan's Track A target: over 80% of schools.
pub const DEFAULT_TARGET_A_PERCENT: u32 = 80;
/// The plan's Track B target: 50% of schools.
pub const DEFAULT_TARGET_B_PERCENT: u32 = 50;
/// The share of a lesson's practice quiz a pupil must get right for the lesson to count.
pub const DEFAULT_PASS_PERCENT: u32 = 50;

/// One school year's rule, set by the department and printed on every report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The school year, by the calendar year it starts in (2026 = 2026–2027).
    pub school_year: i32,
    /// First day of the year for statistics (ISO date), by default 1 September.
    pub starts_on: String,
    /// Last day of the year for statistics (ISO date), by default 31 August.
    pub ends_on: String,
    /// P: the share of enrolled pupils (percent) who must take part.
    pub threshold_percent: u32,
    /// The share of a lesson quiz (percent) a pupil must get right for the lesson to count.
    pub pass_percent: u32,
    /// Track A target, percent of schools.
    pub target_a_percent: u32,
    /// Whether the Track A target is "over" (trên) the percentage rather than "at least".
    pub target_a_strict: bool,
    /// Track B target, percent of schools.
    pub target_b_percent: u32,
    /// Whether the Track B target is "over" the percentage.
    pub target_b_strict: bool,
    /// The plan or decision the year's report answers to (“Kế hoạch … giai đoạn 2021–2025”);
    /// empty when none is recorded for the year.
    pub basis: String,
}

/// The plan this platform was built for, the basis of reports for the school years it covers.
pub const PLAN_2021_2025: &str = "Kế hoạch tuyên truyền, phổ biến, nâng cao nhận thức và đào tạo về an toàn thông tin của tỉnh Thanh Hóa giai đoạn 2021–2025";

impl Rule {
    /// The plan's values for a school year: 1/9 to 31/8, 20% of pupils, over 80% (A), 50% (B).
    pub fn default_for(school_year: i32) -> Rule {
        Rule {
            school_year,
            starts_on: format!("{school_year:04}-09-01"),
            ends_on: format!("{:04}-08-31", school_year + 1),
            threshold_percent: DEFAULT_THRESHOLD_PERCENT,
            pass_percent: DEFAULT_PASS_PERCENT,
            target_a_percent: DEFAULT_TARGET_A_PERCENT,
            target_a_strict: true,
            target_b_percent: DEFAULT_TARGET_B_PERCENT,
            target_b_strict: false,
            // The 2021–2025 plan answers for the years up to 2024–2025; a later year's basis is
            // whatever the department records (a successor plan is data, not code).
            basis: if school_year <= 2024 {
                PLAN_2021_2025.to_owned()
            } else {
                String::new()
            },
        }
    }

    /// The target of a track: (percent, strict).
    pub fn target(&self, track: Track) -> (u32, bool) {
        match track {
            Track::A => (self.target_a_percent, self.target_a_strict),
            Track::B => (self.target_b_percent, self.target_b_strict),
        }
    }

    /// Whether `date` (ISO) falls inside this year.
    pub fn contains(&self, date: &str) -> bool {
        self.starts_on.as_str() <= date && date <= self.ends_on.as_str()
    }

    /// The day a report describes the directory on: the last day of the year, or `today` while
    /// the year is under way (the first day before it starts).
    pub fn reference_day(&self, today: &str) -> String {
        if today > self.ends_on.as_str() {
            self.ends_on.clone()
        } else if today < self.starts_on.as_str() {
            self.starts_on.clone()
        } else {
            today.to_owned()
        }
    }

    /// Whether a pupil's lesson quiz result counts as passed.
    pub fn passes(&self, score: u32, total: u32) -> bool {
        total > 0 && u64::from(score) * 100 >= u64::from(self.pass_percent) * u64::from(total)
    }

    /// What is wrong with the rule, in Vietnamese, naming the field; `None` when it can be saved.
    pub fn problem(&self) -> Option<String> {
        let year = self.school_year;
        let date_ok = |d: &str| is_iso_date(d);
        if !date_ok(&self.starts_on) {
            return Some("Ngày bắt đầu năm học không hợp lệ (cần dạng ngày/tháng/năm).".into());
        }
        if !date_ok(&self.ends_on) {
            return Some("Ngày kết thúc năm học không hợp lệ (cần dạng ngày/tháng/năm).".into());
        }
        if !self.starts_on.starts_with(&format!("{year:04}-")) {
            return Some(format!(
                "Ngày bắt đầu năm học {year}–{} phải thuộc năm {year}.",
                year + 1
            ));
        }
        if !self.ends_on.starts_with(&format!("{:04}-", year + 1)) {
            return Some(format!(
                "Ngày kết thúc năm học {year}–{} phải thuộc năm {}.",
                year + 1,
                year + 1
            ));
        }
        if !(1..=100).contains(&self.threshold_percent) {
            return Some("Tỷ lệ học sinh tham gia tối thiểu phải từ 1% đến 100%.".into());
        }
        if self.basis.chars().count() > 300 {
            return Some("Văn bản làm căn cứ dài quá 300 ký tự.".into());
        }
        if let Some(problem) = crate::domain::text::plain_text_problem(&self.basis) {
            return Some(format!("Văn bản làm căn cứ {problem}."));
        }
        if !(1..=100).contains(&self.pass_percent) {
            return Some("Tỷ lệ câu đúng để đạt bài luyện tập phải từ 1% đến 100%.".into());
        }
        if !(1..=100).contains(&self.target_a_percent)
            || !(1..=100).contains(&self.target_b_percent)
        {
            return Some("Chỉ tiêu tỷ lệ trường phải từ 1% đến 100%.".into());
        }
        None
    }

    /// How the rule is printed on reports, in Vietnamese.
    pub fn describe(&self) -> String {
        format!(
            "Năm học {}–{} tính từ {} đến {}. Một trường được tính là đã triển khai một mạch nội dung (A hoặc B) ở một cấp học khi ít nhất {}% học sinh cấp học đó của trường tham gia mạch này trong năm học (hoàn thành bài học và đạt từ {}% số câu của bài luyện tập, hoặc nộp bài một vòng thi), hoặc khi trường có hoạt động trực tiếp về mạch này được Sở GD&ĐT duyệt. Mẫu số là mọi trường trong danh mục có cấp học đó vào ngày báo cáo; trường liên cấp được tính ở từng cấp học; trường sáp nhập trong năm được tính vào trường tiếp nhận.",
            self.school_year,
            self.school_year + 1,
            vietnamese_date(&self.starts_on),
            vietnamese_date(&self.ends_on),
            self.threshold_percent,
            self.pass_percent,
        )
    }
}

/// Whether text is an ISO date `YYYY-MM-DD` that exists.
pub fn is_iso_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let number = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = &text[range];
        part.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| part.parse().ok())
            .flatten()
    };
    let (Some(year), Some(month), Some(day)) = (number(0..4), number(5..7), number(8..10)) else {
        return false;
    };
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

/// "2026-09-01" → "01/09/2026".
pub fn vietnamese_date(iso: &str) -> String {
    if is_iso_date(iso) {
        format!("{}/{}/{}", &iso[8..10], &iso[5..7], &iso[0..4])
    } else {
        iso.to_owned()
    }
}

/// The school year a day falls in: the rule whose dates contain it, else the default boundary
/// (1 September).
pub fn school_year_of(date: &str, rules: &[Rule]) -> i32 {
    if let Some(rule) = rules.iter().find(|r| r.contains(date)) {
        return rule.school_year;
    }
    let year: i32 = date.get(0..4).and_then(|y| y.parse().ok()).unwrap_or(0);
    let month_day = date.get(5..10).unwrap_or("");
    if month_day >= "09-01" { year } else { year - 1 }
}

/// The fewest participants that reach P% of `enrolled` pupils.
pub fn required_participants(enrolled: u32, threshold_percent: u32) -> u32 {
    (u64::from(enrolled) * u64::from(threshold_percent)).div_ceil(100) as u32
}

/// What a school still lacks in a track to count as covered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gap {
    /// Covered.
    None,
    /// This many more pupils must take part.
    Pupils(u32),
    /// The school has no enrolment recorded for the level: the rate cannot be measured, so only
    /// an approved offline program can make it count.
    NoEnrolment,
}

/// One school's standing in one track at one level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub participants: u32,
    pub enrolled: u32,
    /// Participation rate in tenths of a percent (rounded half up), `None` without enrolment.
    pub rate_permille: Option<u32>,
    pub by_participation: bool,
    pub approved_programs: u32,
    pub pending_programs: u32,
    pub gap: Gap,
}

impl Standing {
    /// Whether the school ran a program in the track.
    pub fn covered(&self) -> bool {
        self.gap == Gap::None
    }

    /// Whether an approved offline program is what made it count (or helped).
    pub fn by_program(&self) -> bool {
        self.approved_programs > 0
    }
}

/// Applies the rule to one school, level and track.
pub fn standing(
    enrolled: u32,
    participants: u32,
    approved_programs: u32,
    pending_programs: u32,
    threshold_percent: u32,
) -> Standing {
    let rate_permille = permille(u64::from(participants), u64::from(enrolled));
    let by_participation =
        enrolled > 0 && participants >= required_participants(enrolled, threshold_percent);
    let gap = if by_participation || approved_programs > 0 {
        Gap::None
    } else if enrolled == 0 {
        Gap::NoEnrolment
    } else {
        Gap::Pupils(required_participants(enrolled, threshold_percent) - participants)
    };
    Standing {
        participants,
        enrolled,
        rate_permille,
        by_participation,
        approved_programs,
        pending_programs,
        gap,
    }
}

/// A school of the directory, as far as coverage is concerned.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DirectorySchool {
    pub id: i32,
    pub levels: Vec<SchoolLevel>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
    /// The school it was merged into (resolved to an id).
    pub merged_into: Option<i32>,
}

impl DirectorySchool {
    /// Whether the school exists on `day`.
    pub fn exists_on(&self, day: &str) -> bool {
        self.valid_from.as_deref().is_none_or(|from| from <= day)
            && self.valid_to.as_deref().is_none_or(|to| day <= to)
    }
}

/// The school that stands for `id` on `day`: itself while it exists, else the school it was
/// merged into (followed through successive mergers); `None` for a school closed without a
/// successor or not opened yet.
pub fn standing_school(id: i32, schools: &HashMap<i32, DirectorySchool>, day: &str) -> Option<i32> {
    let mut current = id;
    let mut seen = HashSet::new();
    loop {
        let school = schools.get(&current)?;
        if school.exists_on(day) {
            return Some(current);
        }
        if !seen.insert(current) {
            return None;
        }
        current = school.merged_into?;
    }
}

/// Counts of one school year, keyed by the school the activity was recorded at.
#[derive(Clone, Debug, Default)]
pub struct YearCounts {
    /// Enrolled pupils per (school, level).
    pub enrolled: HashMap<(i32, SchoolLevel), u32>,
    /// Participants per (school, level, track).
    pub participants: HashMap<(i32, SchoolLevel, Track), u32>,
    /// Approved offline programs per (school, level, track).
    pub approved: HashMap<(i32, SchoolLevel, Track), u32>,
    /// Offline programs waiting for a decision per (school, level, track).
    pub pending: HashMap<(i32, SchoolLevel, Track), u32>,
}

/// One row of a coverage report: a school at one level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolRow {
    pub school_id: i32,
    pub level: SchoolLevel,
    /// Schools merged into this one whose figures are included.
    pub merged: Vec<i32>,
    pub enrolled: u32,
    pub a: Standing,
    pub b: Standing,
}

impl SchoolRow {
    /// The standing in a track.
    pub fn track(&self, track: Track) -> &Standing {
        match track {
            Track::A => &self.a,
            Track::B => &self.b,
        }
    }
}

/// The coverage of every school at the given levels on the reference day.
pub fn school_rows(
    schools: &HashMap<i32, DirectorySchool>,
    counts: &YearCounts,
    rule: &Rule,
    reference_day: &str,
    levels: &[SchoolLevel],
) -> Vec<SchoolRow> {
    // Where each school's figures go.
    let target: HashMap<i32, i32> = schools
        .keys()
        .filter_map(|&id| standing_school(id, schools, reference_day).map(|to| (id, to)))
        .collect();
    let mut enrolled: HashMap<(i32, SchoolLevel), u32> = HashMap::new();
    for (&(school, level), &n) in &counts.enrolled {
        if let Some(&to) = target.get(&school) {
            *enrolled.entry((to, level)).or_default() += n;
        }
    }
    let fold = |map: &HashMap<(i32, SchoolLevel, Track), u32>| {
        let mut out: HashMap<(i32, SchoolLevel, Track), u32> = HashMap::new();
        for (&(school, level, track), &n) in map {
            if let Some(&to) = target.get(&school) {
                *out.entry((to, level, track)).or_default() += n;
            }
        }
        out
    };
    let participants = fold(&counts.participants);
    let approved = fold(&counts.approved);
    let pending = fold(&counts.pending);
    let mut merged_into: HashMap<i32, Vec<i32>> = HashMap::new();
    for (&from, &to) in &target {
        if from != to {
            merged_into.entry(to).or_default().push(from);
        }
    }
    let mut ids: Vec<i32> = schools
        .values()
        .filter(|s| s.exists_on(reference_day))
        .map(|s| s.id)
        .collect();
    ids.sort_unstable();
    let mut rows = Vec::new();
    for id in ids {
        let school = &schools[&id];
        for &level in levels {
            if !school.levels.contains(&level) {
                continue;
            }
            let n = enrolled.get(&(id, level)).copied().unwrap_or(0);
            let of = |track: Track| {
                let key = (id, level, track);
                standing(
                    n,
                    participants.get(&key).copied().unwrap_or(0),
                    approved.get(&key).copied().unwrap_or(0),
                    pending.get(&key).copied().unwrap_or(0),
                    rule.threshold_percent,
                )
            };
            let mut merged = merged_into.get(&id).cloned().unwrap_or_default();
            merged.sort_unstable();
            rows.push(SchoolRow {
                school_id: id,
                level,
                merged,
                enrolled: n,
                a: of(Track::A),
                b: of(Track::B),
            });
        }
    }
    rows
}

/// Covered schools out of all schools.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Share {
    pub covered: u32,
    pub total: u32,
}

impl Share {
    /// The share in tenths of a percent (rounded half up); 0 for no schools.
    pub fn permille(&self) -> u32 {
        permille(u64::from(self.covered), u64::from(self.total)).unwrap_or(0)
    }

    /// Whether the share meets a target of `percent` ("over" it when `strict`). No schools
    /// meets nothing.
    pub fn meets(&self, percent: u32, strict: bool) -> bool {
        if self.total == 0 {
            return false;
        }
        let left = u64::from(self.covered) * 100;
        let right = u64::from(percent) * u64::from(self.total);
        if strict { left > right } else { left >= right }
    }

    /// Schools still to cover to meet the target.
    pub fn missing_for(&self, percent: u32, strict: bool) -> u32 {
        if self.total == 0 {
            return 0;
        }
        let right = u64::from(percent) * u64::from(self.total);
        let needed = if strict {
            right / 100 + 1
        } else {
            right.div_ceil(100)
        };
        (needed.min(u64::from(self.total)) as u32).saturating_sub(self.covered)
    }
}

/// Covered shares per level and track.
pub fn shares(rows: &[SchoolRow]) -> BTreeMap<(SchoolLevel, Track), Share> {
    let mut out: BTreeMap<(SchoolLevel, Track), Share> = BTreeMap::new();
    for row in rows {
        for track in [Track::A, Track::B] {
            let share = out.entry((row.level, track)).or_default();
            share.total += 1;
            share.covered += u32::from(row.track(track).covered());
        }
    }
    out
}

/// Covered shares per group (xã/phường, huyện cũ…), per level and track.
pub fn shares_by<K: Ord + Clone>(
    rows: &[SchoolRow],
    group_of: impl Fn(i32) -> Option<K>,
) -> BTreeMap<K, BTreeMap<(SchoolLevel, Track), Share>> {
    let mut out: BTreeMap<K, Vec<SchoolRow>> = BTreeMap::new();
    for row in rows {
        if let Some(key) = group_of(row.school_id) {
            out.entry(key).or_default().push(row.clone());
        }
    }
    out.into_iter()
        .map(|(k, rows)| (k, shares(&rows)))
        .collect()
}

/// The share of enrolled students reached (any track) at levels without a school target
/// (universities, vocational schools): (reached, enrolled).
pub fn reach(enrolled: u32, reached: u32) -> (u32, u32, Option<u32>) {
    (
        reached,
        enrolled,
        permille(u64::from(reached), u64::from(enrolled)),
    )
}

/// `part` of `whole` in tenths of a percent, rounded half up as Vietnamese reports round
/// (1/7 → 143 = 14,3%; 2/72 → 28 = 2,8%); `None` when `whole` is 0. Every percentage the
/// platform shows goes through here; whether a target is met is decided on exact counts, never
/// on this rounded figure.
pub fn permille(part: u64, whole: u64) -> Option<u32> {
    (whole > 0).then(|| ((part * 2000 + whole) / (2 * whole)) as u32)
}

pub use crate::i18n::percent_text;

#[cfg(test)]
mod tests {
    use super::*;
    use SchoolLevel::{Thcs, Thpt};

    fn school(id: i32, levels: &[SchoolLevel]) -> DirectorySchool {
        DirectorySchool {
            id,
            levels: levels.to_vec(),
            valid_from: None,
            valid_to: None,
            merged_into: None,
        }
    }

    fn directory(list: Vec<DirectorySchool>) -> HashMap<i32, DirectorySchool> {
        list.into_iter().map(|s| (s.id, s)).collect()
    }

    #[test]
    fn the_default_rule_is_the_plans() {
        let rule = Rule::default_for(2026);
        assert_eq!(rule.starts_on, "2026-09-01");
        assert_eq!(rule.ends_on, "2027-08-31");
        assert_eq!(rule.threshold_percent, 20);
        assert_eq!(rule.target(Track::A), (80, true));
        assert_eq!(rule.target(Track::B), (50, false));
        assert_eq!(rule.problem(), None);
        assert!(rule.describe().contains("01/09/2026"));
        assert!(rule.describe().contains("31/08/2027"));
    }

    #[test]
    fn the_31st_of_august_and_the_1st_of_september_fall_in_different_years() {
        assert_eq!(school_year_of("2026-08-31", &[]), 2025);
        assert_eq!(school_year_of("2026-09-01", &[]), 2026);
        // A department that starts 2026–2027 on 15 August moves the boundary.
        let mut rule = Rule::default_for(2026);
        rule.starts_on = "2026-08-15".into();
        assert_eq!(
            school_year_of("2026-08-20", std::slice::from_ref(&rule)),
            2026
        );
        assert_eq!(school_year_of("2026-08-14", &[rule]), 2025);
    }

    #[test]
    fn a_rule_with_impossible_values_is_refused_with_the_field_named() {
        let mut rule = Rule::default_for(2026);
        rule.starts_on = "2026-02-30".into();
        assert!(rule.problem().unwrap().contains("Ngày bắt đầu"));
        let mut rule = Rule::default_for(2026);
        rule.ends_on = "2028-08-31".into();
        assert!(rule.problem().unwrap().contains("Ngày kết thúc"));
        let mut rule = Rule::default_for(2026);
        rule.threshold_percent = 0;
        assert!(rule.problem().unwrap().contains("tối thiểu"));
        let mut rule = Rule::default_for(2026);
        rule.target_b_percent = 101;
        assert!(rule.problem().unwrap().contains("Chỉ tiêu"));
    }

    #[test]
    fn iso_dates_are_checked_for_existence() {
        assert!(is_iso_date("2024-02-29"));
        assert!(!is_iso_date("2026-02-29"));
        assert!(!is_iso_date("2026-13-01"));
        assert!(!is_iso_date("2026-1-01"));
        assert_eq!(vietnamese_date("2026-09-05"), "05/09/2026");
    }

    #[test]
    fn twenty_percent_means_at_least_one_in_five_rounded_up() {
        assert_eq!(required_participants(100, 20), 20);
        assert_eq!(required_participants(101, 20), 21);
        assert_eq!(required_participants(4, 20), 1);
        assert_eq!(required_participants(0, 20), 0);
        let s = standing(101, 20, 0, 0, 20);
        assert_eq!(s.gap, Gap::Pupils(1));
        assert_eq!(s.rate_permille, Some(198));
        assert!(standing(101, 21, 0, 0, 20).covered());
    }

    #[test]
    fn a_school_with_no_enrolment_counts_only_through_an_approved_program() {
        let s = standing(0, 12, 0, 1, 20);
        assert_eq!(s.gap, Gap::NoEnrolment);
        assert_eq!(s.rate_permille, None);
        assert!(!s.covered());
        let s = standing(0, 0, 1, 0, 20);
        assert!(s.covered());
        assert!(!s.by_participation);
    }

    #[test]
    fn a_pending_program_does_not_count_and_an_approved_one_does() {
        assert_eq!(standing(200, 3, 0, 1, 20).gap, Gap::Pupils(37));
        let approved = standing(200, 3, 1, 0, 20);
        assert!(approved.covered() && approved.by_program() && !approved.by_participation);
    }

    #[test]
    fn a_lesson_quiz_passes_at_the_pass_mark() {
        let rule = Rule::default_for(2026);
        assert!(rule.passes(5, 10));
        assert!(!rule.passes(4, 10));
        assert!(!rule.passes(0, 0));
    }

    #[test]
    fn a_lien_cap_school_counts_once_at_each_level() {
        let schools = directory(vec![school(1, &[Thcs, Thpt]), school(2, &[Thcs])]);
        let mut counts = YearCounts::default();
        counts.enrolled.insert((1, Thcs), 100);
        counts.enrolled.insert((1, Thpt), 50);
        counts.enrolled.insert((2, Thcs), 10);
        counts.participants.insert((1, Thcs, Track::A), 19);
        counts.participants.insert((1, Thpt, Track::A), 10);
        counts.participants.insert((2, Thcs, Track::A), 2);
        let rule = Rule::default_for(2026);
        let rows = school_rows(&schools, &counts, &rule, "2026-11-28", &[Thcs, Thpt]);
        assert_eq!(rows.len(), 3);
        let shares = shares(&rows);
        assert_eq!(
            shares[&(Thcs, Track::A)],
            Share {
                covered: 1,
                total: 2
            }
        );
        assert_eq!(
            shares[&(Thpt, Track::A)],
            Share {
                covered: 1,
                total: 1
            }
        );
        assert_eq!(
            shares[&(Thcs, Track::B)],
            Share {
                covered: 0,
                total: 2
            }
        );
        assert_eq!(rows[0].a.gap, Gap::Pupils(1));
    }

    #[test]
    fn a_school_merged_mid_year_counts_inside_the_school_it_joined() {
        let mut a = school(1, &[Thcs]);
        a.valid_to = Some("2026-12-31".into());
        a.merged_into = Some(2);
        let b = school(2, &[Thcs]);
        let schools = directory(vec![a, b]);
        let mut counts = YearCounts::default();
        counts.enrolled.insert((1, Thcs), 40);
        counts.enrolled.insert((2, Thcs), 60);
        counts.participants.insert((1, Thcs, Track::A), 10);
        counts.participants.insert((2, Thcs, Track::A), 5);
        let rule = Rule::default_for(2026);
        // Before the merger, two schools: A covered (10/40), B not (5/60).
        let rows = school_rows(&schools, &counts, &rule, "2026-12-01", &[Thcs]);
        assert_eq!(
            shares(&rows)[&(Thcs, Track::A)],
            Share {
                covered: 1,
                total: 2
            }
        );
        // At the year's end, one school with 15 of 100: not covered, 5 more pupils needed.
        let rows = school_rows(&schools, &counts, &rule, rule.ends_on.as_str(), &[Thcs]);
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].merged, vec![1]);
        assert_eq!(rows[0].enrolled, 100);
        assert_eq!(rows[0].a.participants, 15);
        assert_eq!(rows[0].a.gap, Gap::Pupils(5));
    }

    #[test]
    fn mergers_are_followed_and_cycles_do_not_hang() {
        let mut a = school(1, &[Thcs]);
        a.valid_to = Some("2025-01-01".into());
        a.merged_into = Some(2);
        let mut b = school(2, &[Thcs]);
        b.valid_to = Some("2026-01-01".into());
        b.merged_into = Some(3);
        let c = school(3, &[Thcs]);
        let mut d = school(4, &[Thcs]);
        d.valid_to = Some("2020-01-01".into());
        d.merged_into = Some(5);
        let mut e = school(5, &[Thcs]);
        e.valid_to = Some("2020-01-01".into());
        e.merged_into = Some(4);
        let schools = directory(vec![a, b, c, d, e]);
        assert_eq!(standing_school(1, &schools, "2026-10-01"), Some(3));
        assert_eq!(standing_school(1, &schools, "2025-06-01"), Some(2));
        assert_eq!(standing_school(4, &schools, "2026-10-01"), None);
    }

    #[test]
    fn targets_over_and_at_least() {
        let share = Share {
            covered: 8,
            total: 10,
        };
        assert!(!share.meets(80, true));
        assert!(share.meets(80, false));
        assert_eq!(share.missing_for(80, true), 1);
        assert_eq!(share.missing_for(50, false), 0);
        assert_eq!(
            Share {
                covered: 4,
                total: 9
            }
            .missing_for(50, false),
            1
        );
        assert!(!Share::default().meets(50, false));
        assert_eq!(share.permille(), 800);
        assert_eq!(percent_text(375), "37,5%");
        // Rounded half up, not cut: the figures a walk through the dashboards found cut.
        assert_eq!(permille(1, 7).map(percent_text).as_deref(), Some("14,3%"));
        assert_eq!(permille(2, 72).map(percent_text).as_deref(), Some("2,8%"));
        assert_eq!(permille(7, 799).map(percent_text).as_deref(), Some("0,9%"));
        assert_eq!(permille(55, 592).map(percent_text).as_deref(), Some("9,3%"));
        assert_eq!(permille(1, 2000), Some(1), "0,05% rounds up to 0,1%");
        assert_eq!(permille(1, 2001), Some(0));
        assert_eq!(permille(3, 0), None);
        assert_eq!(percent_text(800), "80%");
    }

    #[test]
    fn shares_by_group_split_the_rows() {
        let schools = directory(vec![
            school(1, &[Thcs]),
            school(2, &[Thcs]),
            school(3, &[Thcs]),
        ]);
        let mut counts = YearCounts::default();
        for id in 1..=3 {
            counts.enrolled.insert((id, Thcs), 10);
        }
        counts.approved.insert((3, Thcs, Track::B), 1);
        let rule = Rule::default_for(2026);
        let rows = school_rows(&schools, &counts, &rule, "2026-11-28", &[Thcs]);
        let groups = shares_by(&rows, |id| Some(if id == 3 { "X" } else { "Y" }));
        assert_eq!(
            groups["X"][&(Thcs, Track::B)],
            Share {
                covered: 1,
                total: 1
            }
        );
        assert_eq!(
            groups["Y"][&(Thcs, Track::B)],
            Share {
                covered: 0,
                total: 2
            }
        );
    }
}
