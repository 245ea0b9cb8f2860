//! A clearly synthetic province directory at the real province's scale (166 xã/phường, about
//! 2,000 schools, about half a million lower- and upper-secondary pupils), for the demo command and
//! the benchmarks. Generation is pure and seeded: it writes nothing, and the same options always
//! give the same province, so a benchmark run can be repeated and a demo database rebuilt.
//!
//! Every name says “Mẫu” (sample) and every overseeing body says “dữ liệu minh họa” so nobody can
//! mistake the data for the real directory. The mix of schools, the sizes and the layout of
//! communes are invented for the demo: plausible orders of magnitude, not official statistics.

use crate::codes::SchoolLevel;
use crate::schools::directory::{Ownership, SchoolRecord};
use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// What to generate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoOptions {
    /// Seed of every random choice: the same options give the same province.
    pub seed: u64,
    /// Start year of the school year the enrolment and the classes are for (2026 = 2026–2027).
    pub school_year: i32,
    /// How many schools (active or not). Honoured exactly from about 450 upwards; below that the
    /// floor of one THCS school per commune and the fixed kinds of school raise it.
    pub schools: usize,
    /// `None`: every active THCS/THPT-serving school gets classes and pupils. `Some(n)`: only the
    /// first `n` of them, taken one commune at a time so they are spread over the province. Every
    /// active school gets enrolment figures either way.
    pub populated_schools: Option<usize>,
}

impl Default for DemoOptions {
    /// A full-size directory with a dozen populated schools: enough to click through the demo
    /// without inserting half a million accounts.
    fn default() -> Self {
        DemoOptions {
            seed: 2026,
            school_year: 2026,
            schools: 2000,
            populated_schools: Some(12),
        }
    }
}

/// The generated province, ready for the caller to insert.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoProvince {
    /// 19 phường then 147 xã, in name order.
    pub communes: Vec<DemoCommune>,
    /// In code order (DEMO-0001…), grouped by commune.
    pub schools: Vec<SchoolRecord>,
    /// Classes of the populated schools, in school code order, then level, grade and name.
    pub classes: Vec<DemoClass>,
}

/// A current xã/phường and the district it belonged to before 1/7/2025.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoCommune {
    pub name: String,
    pub former_district: String,
}

/// One class of one school for the school year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoClass {
    /// Code of the school in [`DemoProvince::schools`].
    pub school_code: String,
    /// “6A”, “9C”, “10A1”…
    pub name: String,
    pub grade: u8,
    pub pupils: Vec<DemoPupil>,
}

/// One synthetic pupil.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DemoPupil {
    /// Family, middle and given name, NFC.
    pub full_name: String,
    pub birth_year: i32,
}

/// Most pupils per class; the generator splits a grade into as many classes as this needs.
pub const MAX_CLASS_SIZE: u32 = 45;

/// The day the two merged schools stopped existing: the date the provincial reorganisation took
/// effect, so reports can show a school that existed in earlier years.
pub fn merger_date() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 7, 1).expect("valid date")
}

/// Builds the province for `options`. Pure and deterministic.
pub fn generate(options: &DemoOptions) -> DemoProvince {
    let communes = communes();
    let mut rng = StdRng::seed_from_u64(options.seed);
    let drafts = place_schools(&mut rng, options.schools, &communes);
    let schools = records(&mut rng, &drafts, &communes, options.school_year);
    let classes = classes(&schools, &communes, options);
    DemoProvince {
        communes: communes
            .into_iter()
            .map(|c| DemoCommune {
                name: c.name,
                former_district: c.former_district,
            })
            .collect(),
        schools,
        classes,
    }
}

// ---------------------------------------------------------------------------------------------
// Communes

/// Number of phường; they come first in the commune list.
const WARDS: usize = 19;
/// Number of xã.
const RURAL: usize = 147;
/// Number of former districts (huyện/thị xã/thành phố before 1/7/2025).
const DISTRICTS: usize = 26;

/// Phường per former district: concentrated in the first four, as the old city and towns were.
const WARDS_PER_DISTRICT: [usize; DISTRICTS] = [
    10, 5, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
];

/// Xã per former district: few in the urban ones, more in the large rural ones.
const RURAL_PER_DISTRICT: [usize; DISTRICTS] = [
    3, 2, 1, 4, 7, 7, 7, 7, 7, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
];

struct Commune {
    name: String,
    former_district: String,
    district: usize,
    ward: bool,
}

fn communes() -> Vec<Commune> {
    let district_name = |d: usize| format!("Huyện cũ Mẫu {:02}", d + 1);
    let mut out = Vec::with_capacity(WARDS + RURAL);
    for (district, &count) in WARDS_PER_DISTRICT.iter().enumerate() {
        for _ in 0..count {
            out.push(Commune {
                name: format!("Phường Mẫu {:02}", out.len() + 1),
                former_district: district_name(district),
                district,
                ward: true,
            });
        }
    }
    for (district, &count) in RURAL_PER_DISTRICT.iter().enumerate() {
        for _ in 0..count {
            out.push(Commune {
                name: format!("Xã Mẫu {:03}", out.len() - WARDS + 1),
                former_district: district_name(district),
                district,
                ward: false,
            });
        }
    }
    debug_assert_eq!(out.len(), WARDS + RURAL);
    out
}

// ---------------------------------------------------------------------------------------------
// Schools

/// The kinds of school, in the order they are listed within a commune.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    Primary,
    PrimaryLower,
    Lower,
    LowerUpper,
    Upper,
    Continuing,
    Vocational,
    University,
}

impl Kind {
    fn levels(self) -> &'static [SchoolLevel] {
        use SchoolLevel::*;
        match self {
            Kind::Primary => &[TieuHoc],
            Kind::PrimaryLower => &[TieuHoc, Thcs],
            Kind::Lower => &[Thcs],
            Kind::LowerUpper => &[Thcs, Thpt],
            Kind::Upper => &[Thpt],
            Kind::Continuing => &[Gdtx],
            Kind::Vocational => &[TrungCapCaoDang],
            Kind::University => &[DaiHoc],
        }
    }

    /// Relative chance of landing in one phường versus one xã: towns have more and bigger
    /// schools, while small liên cấp TH+THCS schools are a rural (often mountain) arrangement.
    fn weights(self) -> (f64, f64) {
        match self {
            Kind::Primary => (2.5, 1.0),
            Kind::PrimaryLower => (0.3, 1.0),
            Kind::Lower => (2.0, 1.0),
            Kind::LowerUpper => (3.0, 1.0),
            Kind::Upper => (2.5, 1.0),
            Kind::Continuing => (1.0, 1.0),
            Kind::Vocational => (8.0, 1.0),
            Kind::University => (1.0, 0.0),
        }
    }

    /// Chance that a school of this kind is tư thục (the rest are công lập).
    fn private_share(self) -> f64 {
        match self {
            Kind::Primary | Kind::Lower => 0.01,
            Kind::PrimaryLower => 0.04,
            Kind::LowerUpper => 0.8,
            Kind::Upper => 0.08,
            Kind::Continuing => 0.0,
            Kind::Vocational => 0.3,
            Kind::University => 0.5,
        }
    }
}

/// How many schools of each kind for a directory of `total` schools. The shares are invented for
/// the demo (not official figures): mostly Tiểu học-only and THCS-only schools, some liên cấp,
/// about 110 THPT-serving schools, 24 GDTX centres, 20 vocational schools and 2 universities for
/// 2,000 schools.
fn mix(total: usize) -> Vec<(Kind, usize)> {
    let share = |s: f64| (total as f64 * s).round() as usize;
    let university = share(0.001).max(1);
    let vocational = share(0.010);
    let continuing = share(0.012);
    let upper = share(0.052).max(1);
    let lower_upper = share(0.003).max(1);
    let primary_lower = share(0.09);
    // One THCS school per commune is the floor: every commune must have one.
    let lower = share(0.307).max(WARDS + RURAL);
    let fixed = university + vocational + continuing + upper + lower_upper + primary_lower + lower;
    // At least three so that the merged and closed schools have somewhere to come from.
    let primary = total.saturating_sub(fixed).max(3);
    vec![
        (Kind::Primary, primary),
        (Kind::PrimaryLower, primary_lower),
        (Kind::Lower, lower),
        (Kind::LowerUpper, lower_upper),
        (Kind::Upper, upper),
        (Kind::Continuing, continuing),
        (Kind::Vocational, vocational),
        (Kind::University, university),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Status {
    Active,
    /// Merged into the school at this index.
    Merged(usize),
    Closed,
}

#[derive(Clone, Debug)]
struct Draft {
    commune: usize,
    kind: Kind,
    ownership: Ownership,
    status: Status,
    /// The commune's guaranteed THCS school, which is never merged or closed.
    anchor: bool,
}

/// Decides the kind, commune and ownership of every school, sorts them into code order and marks
/// the merged and closed ones.
fn place_schools(rng: &mut StdRng, total: usize, communes: &[Commune]) -> Vec<Draft> {
    let mut drafts = Vec::with_capacity(total);
    let ownership = |rng: &mut StdRng, kind: Kind| {
        if rng.random_bool(kind.private_share()) {
            Ownership::Private
        } else {
            Ownership::Public
        }
    };
    for (kind, count) in mix(total) {
        for i in 0..count {
            let anchor = kind == Kind::Lower && i < communes.len();
            let commune = if anchor {
                i
            } else if kind == Kind::Continuing {
                // GDTX centres were one per district: one in each former district, in turn.
                let district = i % DISTRICTS;
                let candidates: Vec<usize> = (0..communes.len())
                    .filter(|&c| communes[c].district == district)
                    .collect();
                candidates[rng.random_range(0..candidates.len())]
            } else {
                pick_commune(rng, kind.weights())
            };
            let ownership = ownership(rng, kind);
            drafts.push(Draft {
                commune,
                kind,
                ownership: if anchor { Ownership::Public } else { ownership },
                status: Status::Active,
                anchor,
            });
        }
    }
    // Code order: by commune, then by kind. The sort is stable, so the order stays deterministic.
    drafts.sort_by_key(|d| (d.commune, d.kind));
    retire(rng, &mut drafts, communes);
    drafts
}

/// A commune for one school: phường or xã by the kind's weights, then uniformly within.
fn pick_commune(rng: &mut StdRng, (ward_weight, rural_weight): (f64, f64)) -> usize {
    let ward_total = ward_weight * WARDS as f64;
    let ward_chance = ward_total / (ward_total + rural_weight * RURAL as f64);
    if rng.random_bool(ward_chance) {
        rng.random_range(0..WARDS)
    } else {
        WARDS + rng.random_range(0..RURAL)
    }
}

/// Marks two schools merged into a neighbour on 1/7/2025 (a THCS and a Tiểu học school in xã,
/// as small rural schools were) and one closed private Tiểu học school, so reports have history
/// to show. Best effort: a tiny directory may lack candidates.
fn retire(rng: &mut StdRng, drafts: &mut [Draft], communes: &[Commune]) {
    for kind in [Kind::Lower, Kind::Primary] {
        // (school to merge, school it merges into), both in the same xã and of the same kind.
        let mut pairs = Vec::new();
        for (i, d) in drafts.iter().enumerate() {
            if d.kind != kind || d.anchor || d.status != Status::Active || communes[d.commune].ward
            {
                continue;
            }
            let target = drafts.iter().enumerate().position(|(j, t)| {
                j != i && t.commune == d.commune && t.kind == kind && t.status == Status::Active
            });
            if let Some(target) = target {
                pairs.push((i, target));
            }
        }
        if pairs.is_empty() {
            continue;
        }
        let (merged, target) = pairs[rng.random_range(0..pairs.len())];
        drafts[merged].status = Status::Merged(target);
        drafts[merged].ownership = Ownership::Public;
    }
    let targets: Vec<usize> = drafts
        .iter()
        .filter_map(|d| match d.status {
            Status::Merged(target) => Some(target),
            _ => None,
        })
        .collect();
    let candidates: Vec<usize> = (0..drafts.len())
        .filter(|&i| {
            drafts[i].kind == Kind::Primary
                && drafts[i].status == Status::Active
                && !targets.contains(&i)
        })
        .collect();
    if !candidates.is_empty() {
        let closed = candidates[rng.random_range(0..candidates.len())];
        drafts[closed].status = Status::Closed;
        drafts[closed].ownership = Ownership::Private;
    }
}

/// Enrolment range of one level at one school, pupils: smallest and largest.
fn enrolment_range(level: SchoolLevel) -> (u32, u32) {
    match level {
        SchoolLevel::TieuHoc => (250, 900),
        SchoolLevel::Thcs => (300, 1300),
        SchoolLevel::Thpt => (700, 2000),
        SchoolLevel::Gdtx => (150, 600),
        SchoolLevel::TrungCapCaoDang => (400, 3000),
        SchoolLevel::DaiHoc => (6000, 15000),
    }
}

/// Pupils at one level of one school. Skewed: most xã schools are near the small end and
/// phường schools spread over the upper part, which is what keeps the province totals plausible
/// with so many small rural schools.
fn enrolment(rng: &mut StdRng, level: SchoolLevel, ward: bool) -> u32 {
    let (low, high) = enrolment_range(level);
    let u: f64 = rng.random();
    let fraction = if ward {
        0.25 + 0.75 * u.powf(1.5)
    } else {
        0.45 * u.powf(2.5)
    };
    low + ((high - low) as f64 * fraction).round() as u32
}

fn school_name(kind: Kind, number: usize, rng: &mut StdRng) -> String {
    let prefix = match kind {
        Kind::Primary => "Trường Tiểu học",
        Kind::PrimaryLower => "Trường TH và THCS",
        Kind::Lower => "Trường THCS",
        Kind::LowerUpper => "Trường THCS và THPT",
        Kind::Upper => "Trường THPT",
        Kind::Continuing => "Trung tâm GDTX",
        Kind::Vocational if rng.random_bool(0.5) => "Trường Cao đẳng",
        Kind::Vocational => "Trường Trung cấp",
        Kind::University => "Trường Đại học",
    };
    format!("{prefix} Mẫu {number:04}")
}

/// Turns the drafts into directory records: codes, names, dates and enrolment.
fn records(
    rng: &mut StdRng,
    drafts: &[Draft],
    communes: &[Commune],
    school_year: i32,
) -> Vec<SchoolRecord> {
    let code = |i: usize| format!("DEMO-{:04}", i + 1);
    let valid_from = NaiveDate::from_ymd_opt(2015, 8, 1).expect("valid date");
    let closed_on = NaiveDate::from_ymd_opt(2024, 6, 1).expect("valid date");
    drafts
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let commune = &communes[d.commune];
            let name = school_name(d.kind, i + 1, rng);
            let (valid_to, merged_into) = match d.status {
                Status::Active => (None, None),
                Status::Merged(target) => (Some(merger_date()), Some(code(target))),
                Status::Closed => (Some(closed_on), None),
            };
            let active = d.status == Status::Active;
            let enrolment = if active {
                d.kind
                    .levels()
                    .iter()
                    .map(|&level| (level, enrolment(rng, level, commune.ward)))
                    .collect()
            } else {
                Vec::new()
            };
            let overseeing_body = match d.kind {
                Kind::Vocational => "Cơ quan quản lý GDNN (dữ liệu minh họa)",
                Kind::University => "Bộ GD&ĐT (dữ liệu minh họa)",
                _ => "Sở GD&ĐT (dữ liệu minh họa)",
            };
            SchoolRecord {
                // Generated, not read from a spreadsheet row.
                row: 0,
                code: code(i),
                name,
                levels: d.kind.levels().to_vec(),
                ownership: d.ownership,
                commune: commune.name.clone(),
                former_district: Some(commune.former_district.clone()),
                overseeing_body: overseeing_body.to_owned(),
                valid_from: Some(valid_from),
                valid_to,
                merged_into,
                school_year: active.then_some(school_year),
                enrolment,
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Classes and pupils

/// Indices of the schools that get classes: every active THCS/THPT-serving school, or the first
/// `n` of them in an order that takes one school per commune per round, visiting communes with a
/// stride so the first few are spread over phường and xã and many former districts.
fn populated(schools: &[SchoolRecord], communes: &[Commune], limit: Option<usize>) -> Vec<usize> {
    let serves_secondary = |s: &SchoolRecord| {
        s.valid_to.is_none()
            && s.levels
                .iter()
                .any(|l| matches!(l, SchoolLevel::Thcs | SchoolLevel::Thpt))
    };
    let Some(limit) = limit else {
        return (0..schools.len())
            .filter(|&i| serves_secondary(&schools[i]))
            .collect();
    };
    let mut by_commune: Vec<Vec<usize>> = vec![Vec::new(); communes.len()];
    for (i, s) in schools.iter().enumerate() {
        if serves_secondary(s)
            && let Some(c) = communes.iter().position(|c| c.name == s.commune)
        {
            by_commune[c].push(i);
        }
    }
    // A prime that does not divide the commune count, so the stride visits every commune once
    // per round.
    const STRIDE: usize = 37;
    const _: () = assert!(!(WARDS + RURAL).is_multiple_of(STRIDE));
    let n = communes.len();
    let mut chosen = Vec::with_capacity(limit);
    if limit == 0 {
        return chosen;
    }
    let most = by_commune.iter().map(Vec::len).max().unwrap_or(0);
    'rounds: for round in 0..most {
        for visit in 0..n {
            let list = &by_commune[(visit * STRIDE) % n];
            if round < list.len() {
                // Start each commune at a different school so the first round mixes THCS and THPT.
                chosen.push(list[(visit + round) % list.len()]);
                if chosen.len() == limit {
                    break 'rounds;
                }
            }
        }
    }
    chosen.sort_unstable();
    chosen
}

fn classes(
    schools: &[SchoolRecord],
    communes: &[Commune],
    options: &DemoOptions,
) -> Vec<DemoClass> {
    let mut out = Vec::new();
    for i in populated(schools, communes, options.populated_schools) {
        // One stream per school, so a school's pupils do not depend on which other schools are
        // populated: the dozen of the default demo are the same pupils as in the full run.
        let mixed = options
            .seed
            .wrapping_add((i as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let mut rng = StdRng::seed_from_u64(mixed);
        let school = &schools[i];
        for &(level, count) in &school.enrolment {
            if !matches!(level, SchoolLevel::Thcs | SchoolLevel::Thpt) {
                continue;
            }
            let Some(grades) = level.grades() else {
                continue;
            };
            let grade_count = grades.len() as u32;
            for (k, grade) in grades.enumerate() {
                // Spread the level evenly over its grades, the remainder to the lowest grades.
                let in_grade = count / grade_count + u32::from((k as u32) < count % grade_count);
                let class_count = in_grade.div_ceil(MAX_CLASS_SIZE);
                for c in 0..class_count {
                    let size = in_grade / class_count + u32::from(c < in_grade % class_count);
                    let pupils = (0..size)
                        .map(|_| pupil(&mut rng, options.school_year, grade))
                        .collect();
                    out.push(DemoClass {
                        school_code: school.code.clone(),
                        name: class_name(level, grade, c, class_count),
                        grade,
                        pupils,
                    });
                }
            }
        }
    }
    out
}

/// “6A”, “6B”… for THCS and “10A1”, “10A2”… for THPT, as schools usually name them.
fn class_name(level: SchoolLevel, grade: u8, index: u32, count: u32) -> String {
    if level == SchoolLevel::Thcs && count <= 26 {
        format!("{grade}{}", char::from(b'A' + index as u8))
    } else {
        format!("{grade}A{}", index + 1)
    }
}

/// Common family names with rough weights (per mille). Nguyễn leads everywhere; Lê is unusually
/// common in Thanh Hóa; Lò, Vi and Quách stand for the Thái and Mường families of the west.
const FAMILY_NAMES: [(&str, u32); 27] = [
    ("Nguyễn", 320),
    ("Lê", 150),
    ("Trần", 80),
    ("Phạm", 65),
    ("Hoàng", 40),
    ("Trịnh", 35),
    ("Đỗ", 30),
    ("Vũ", 30),
    ("Bùi", 30),
    ("Đặng", 25),
    ("Mai", 22),
    ("Ngô", 20),
    ("Hà", 20),
    ("Phan", 18),
    ("Lương", 15),
    ("Cao", 15),
    ("Dương", 14),
    ("Đinh", 14),
    ("Hồ", 12),
    ("Đào", 12),
    ("Lưu", 10),
    ("Tạ", 8),
    ("Quách", 8),
    ("Phùng", 8),
    ("Tống", 8),
    ("Lò", 6),
    ("Vi", 5),
];

const BOY_MIDDLE: [&str; 16] = [
    "Văn", "Đức", "Minh", "Quốc", "Hữu", "Thành", "Gia", "Anh", "Công", "Xuân", "Ngọc", "Tuấn",
    "Đình", "Quang", "Hoàng", "Trọng",
];

const GIRL_MIDDLE: [&str; 16] = [
    "Thị", "Ngọc", "Thu", "Minh", "Khánh", "Thanh", "Phương", "Bảo", "Hải", "Thùy", "Hồng", "Mai",
    "Diệu", "Lan", "Quỳnh", "Kim",
];

const BOY_GIVEN: [&str; 37] = [
    "Anh", "Bảo", "Cường", "Dũng", "Đạt", "Đức", "Dương", "Hải", "Hiếu", "Hoàng", "Huy", "Hùng",
    "Khang", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Mạnh", "Minh", "Nam", "Nghĩa", "Phong",
    "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Tiến", "Toàn", "Trung", "Tùng",
    "Vinh", "Việt", "Vũ",
];

const GIRL_GIVEN: [&str; 35] = [
    "An", "Anh", "Chi", "Diệp", "Dung", "Giang", "Hà", "Hằng", "Hạnh", "Hiền", "Hoa", "Hương",
    "Huyền", "Lan", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi", "Nhung", "Oanh",
    "Phương", "Quỳnh", "Tâm", "Thảo", "Thư", "Trang", "Trâm", "Uyên", "Vân", "Vy", "Yến",
];

fn family_name(rng: &mut StdRng) -> &'static str {
    const TOTAL: u32 = {
        let mut sum = 0;
        let mut i = 0;
        while i < FAMILY_NAMES.len() {
            sum += FAMILY_NAMES[i].1;
            i += 1;
        }
        sum
    };
    let mut pick = rng.random_range(0..TOTAL);
    for (name, weight) in FAMILY_NAMES {
        if pick < weight {
            return name;
        }
        pick -= weight;
    }
    FAMILY_NAMES[0].0
}

fn pupil(rng: &mut StdRng, school_year: i32, grade: u8) -> DemoPupil {
    let family = family_name(rng);
    // Slightly more boys, as in Vietnam's birth cohorts.
    let (middles, givens): (&[&str], &[&str]) = if rng.random_bool(0.48) {
        (&GIRL_MIDDLE, &GIRL_GIVEN)
    } else {
        (&BOY_MIDDLE, &BOY_GIVEN)
    };
    let middle = middles[rng.random_range(0..middles.len())];
    let mut given_index = rng.random_range(0..givens.len());
    // “Minh Minh” is not a name: take the next given name instead.
    if givens[given_index] == middle {
        given_index = (given_index + 1) % givens.len();
    }
    let given = givens[given_index];
    let mut full_name = String::with_capacity(family.len() + middle.len() + given.len() + 2);
    full_name.push_str(family);
    full_name.push(' ');
    full_name.push_str(middle);
    full_name.push(' ');
    full_name.push_str(given);
    // Pupils who started school late or repeated a year: about 3%.
    let late = i32::from(rng.random_range(0..100) < 3);
    DemoPupil {
        full_name,
        birth_year: school_year - i32::from(grade) - 6 - late,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};
    use unicode_normalization::is_nfc;

    fn small(populated_schools: Option<usize>) -> DemoOptions {
        DemoOptions {
            schools: 500,
            populated_schools,
            ..DemoOptions::default()
        }
    }

    fn serves(s: &SchoolRecord, level: SchoolLevel) -> bool {
        s.levels.contains(&level)
    }

    fn level_total(p: &DemoProvince, level: SchoolLevel) -> u64 {
        p.schools
            .iter()
            .flat_map(|s| &s.enrolment)
            .filter(|(l, _)| *l == level)
            .map(|&(_, n)| u64::from(n))
            .sum()
    }

    #[test]
    fn there_are_166_communes_with_unique_nfc_names() {
        let p = generate(&DemoOptions::default());
        assert_eq!(p.communes.len(), 166);
        let names: HashSet<&str> = p.communes.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names.len(), 166);
        assert_eq!(p.communes[0].name, "Phường Mẫu 01");
        assert_eq!(p.communes[18].name, "Phường Mẫu 19");
        assert_eq!(p.communes[19].name, "Xã Mẫu 001");
        assert_eq!(p.communes[165].name, "Xã Mẫu 147");
        for c in &p.communes {
            assert!(is_nfc(&c.name) && is_nfc(&c.former_district), "{c:?}");
        }
    }

    #[test]
    fn every_former_district_is_used_and_phuong_cluster_in_a_few() {
        let p = generate(&DemoOptions::default());
        let districts: HashSet<&str> = p
            .communes
            .iter()
            .map(|c| c.former_district.as_str())
            .collect();
        assert_eq!(districts.len(), 26);
        assert!(districts.contains("Huyện cũ Mẫu 01") && districts.contains("Huyện cũ Mẫu 26"));
        let ward_districts: HashSet<&str> = p
            .communes
            .iter()
            .filter(|c| c.name.starts_with("Phường"))
            .map(|c| c.former_district.as_str())
            .collect();
        assert!(ward_districts.len() <= 5, "{ward_districts:?}");
    }

    #[test]
    fn the_school_count_matches_the_option() {
        assert_eq!(generate(&DemoOptions::default()).schools.len(), 2000);
        assert_eq!(generate(&small(Some(0))).schools.len(), 500);
        let p = generate(&DemoOptions::default());
        let codes: HashSet<&str> = p.schools.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes.len(), 2000);
        assert_eq!(p.schools[0].code, "DEMO-0001");
        assert!(p.schools[0].name.ends_with("Mẫu 0001"));
    }

    #[test]
    fn the_school_mix_is_plausible_for_a_province() {
        let p = generate(&DemoOptions::default());
        let count = |level| p.schools.iter().filter(|s| serves(s, level)).count();
        assert!((100..=120).contains(&count(SchoolLevel::Thpt)));
        assert_eq!(count(SchoolLevel::Gdtx), 24);
        assert_eq!(count(SchoolLevel::TrungCapCaoDang), 20);
        assert_eq!(count(SchoolLevel::DaiHoc), 2);
        let both = |a, b| {
            p.schools
                .iter()
                .filter(|s| serves(s, a) && serves(s, b))
                .count()
        };
        assert!(both(SchoolLevel::TieuHoc, SchoolLevel::Thcs) > 100);
        assert!(both(SchoolLevel::Thcs, SchoolLevel::Thpt) >= 3);
        let private = p
            .schools
            .iter()
            .filter(|s| s.ownership == Ownership::Private)
            .count();
        assert!(private > 0 && private < 100, "{private}");
        for s in &p.schools {
            assert!(s.name.contains(" Mẫu "), "{}", s.name);
            assert!(s.overseeing_body.contains("dữ liệu minh họa"));
            let vocational = serves(s, SchoolLevel::TrungCapCaoDang);
            assert_eq!(s.overseeing_body.contains("GDNN"), vocational, "{}", s.name);
        }
    }

    #[test]
    fn every_commune_has_an_active_thcs_school_and_phuong_have_more_schools() {
        let p = generate(&DemoOptions::default());
        let mut per_commune: HashMap<&str, usize> = HashMap::new();
        for s in &p.schools {
            *per_commune.entry(s.commune.as_str()).or_default() += 1;
        }
        for c in &p.communes {
            assert!(
                p.schools.iter().any(|s| s.commune == c.name
                    && s.valid_to.is_none()
                    && serves(s, SchoolLevel::Thcs)),
                "{} has no THCS school",
                c.name
            );
            let school = p.schools.iter().find(|s| s.commune == c.name).unwrap();
            assert_eq!(
                school.former_district.as_deref(),
                Some(c.former_district.as_str())
            );
        }
        let average = |ward: bool| {
            let communes: Vec<_> = p
                .communes
                .iter()
                .filter(|c| c.name.starts_with("Phường") == ward)
                .collect();
            let schools: usize = communes.iter().map(|c| per_commune[c.name.as_str()]).sum();
            schools as f64 / communes.len() as f64
        };
        assert!(average(true) > average(false) * 1.5);
    }

    #[test]
    fn active_schools_have_enrolment_for_every_level_they_serve() {
        let p = generate(&DemoOptions::default());
        for s in p.schools.iter().filter(|s| s.valid_to.is_none()) {
            let levels: Vec<SchoolLevel> = s.enrolment.iter().map(|&(l, _)| l).collect();
            assert_eq!(levels, s.levels, "{}", s.code);
            assert_eq!(s.school_year, Some(2026));
            for &(level, n) in &s.enrolment {
                let (low, high) = enrolment_range(level);
                assert!((low..=high).contains(&n), "{} {level:?} {n}", s.code);
            }
        }
    }

    #[test]
    fn the_province_totals_are_plausible() {
        let p = generate(&DemoOptions::default());
        let thcs = level_total(&p, SchoolLevel::Thcs);
        let thpt = level_total(&p, SchoolLevel::Thpt);
        assert!((300_000..=450_000).contains(&thcs), "THCS {thcs}");
        assert!((90_000..=130_000).contains(&thpt), "THPT {thpt}");
    }

    #[test]
    fn classes_hold_at_most_45_pupils_and_add_up_to_the_enrolment() {
        let p = generate(&small(None));
        let mut pupils: HashMap<(&str, SchoolLevel), u32> = HashMap::new();
        for class in &p.classes {
            assert!(
                !class.pupils.is_empty() && class.pupils.len() <= 45,
                "{}",
                class.name
            );
            assert!(class.name.starts_with(&class.grade.to_string()));
            let level = if class.grade <= 9 {
                SchoolLevel::Thcs
            } else {
                SchoolLevel::Thpt
            };
            *pupils
                .entry((class.school_code.as_str(), level))
                .or_default() += class.pupils.len() as u32;
        }
        let mut expected = HashMap::new();
        for s in &p.schools {
            for &(level, n) in &s.enrolment {
                if matches!(level, SchoolLevel::Thcs | SchoolLevel::Thpt) {
                    expected.insert((s.code.as_str(), level), n);
                }
            }
        }
        assert_eq!(pupils, expected);
        let names: HashSet<(&str, &str)> = p
            .classes
            .iter()
            .map(|c| (c.school_code.as_str(), c.name.as_str()))
            .collect();
        assert_eq!(
            names.len(),
            p.classes.len(),
            "class names repeat in a school"
        );
    }

    #[test]
    fn pupils_have_nfc_names_and_birth_years_that_fit_their_grade() {
        let p = generate(&DemoOptions::default());
        let mut late = 0;
        let mut total = 0;
        let mut families: HashMap<&str, usize> = HashMap::new();
        for class in &p.classes {
            for pupil in &class.pupils {
                assert!(is_nfc(&pupil.full_name), "{}", pupil.full_name);
                assert_eq!(pupil.full_name.split(' ').count(), 3, "{}", pupil.full_name);
                *families
                    .entry(pupil.full_name.split(' ').next().unwrap())
                    .or_default() += 1;
                let expected = 2026 - i32::from(class.grade) - 6;
                assert!(pupil.birth_year == expected || pupil.birth_year == expected - 1);
                late += usize::from(pupil.birth_year != expected);
                total += 1;
            }
        }
        assert!(total > 1000);
        assert!(late > 0 && late * 100 < total * 6, "{late} of {total}");
        let most = families.iter().max_by_key(|(_, n)| **n).unwrap();
        assert_eq!(*most.0, "Nguyễn");
        for s in &p.schools {
            assert!(is_nfc(&s.name) && is_nfc(&s.commune) && is_nfc(&s.overseeing_body));
        }
    }

    #[test]
    fn merged_schools_point_to_existing_active_schools() {
        let p = generate(&DemoOptions::default());
        let merged: Vec<&SchoolRecord> = p
            .schools
            .iter()
            .filter(|s| s.merged_into.is_some())
            .collect();
        assert_eq!(merged.len(), 2);
        for s in merged {
            assert_eq!(s.valid_to, Some(merger_date()));
            assert!(s.enrolment.is_empty());
            let target = p
                .schools
                .iter()
                .find(|t| Some(&t.code) == s.merged_into.as_ref())
                .expect("merge target exists");
            assert!(
                target.valid_to.is_none(),
                "{} merged into a retired school",
                s.code
            );
            assert_eq!(target.commune, s.commune);
            assert!(s.levels.iter().all(|l| target.levels.contains(l)));
        }
        let closed: Vec<&SchoolRecord> = p
            .schools
            .iter()
            .filter(|s| s.valid_to.is_some() && s.merged_into.is_none())
            .collect();
        assert_eq!(closed.len(), 1);
        assert!(closed[0].enrolment.is_empty());
    }

    #[test]
    fn small_directories_and_other_seeds_keep_the_guarantees() {
        for (schools, seed) in [(0, 1), (100, 2), (450, 3), (2000, 4), (3000, 5)] {
            let p = generate(&DemoOptions {
                seed,
                schools,
                populated_schools: Some(3),
                ..DemoOptions::default()
            });
            assert!(p.schools.len() >= schools.min(450));
            for c in &p.communes {
                assert!(p.schools.iter().any(|s| s.commune == c.name
                    && s.valid_to.is_none()
                    && serves(s, SchoolLevel::Thcs)));
            }
            for s in p.schools.iter().filter(|s| s.merged_into.is_some()) {
                let target = p
                    .schools
                    .iter()
                    .find(|t| Some(&t.code) == s.merged_into.as_ref());
                assert!(target.is_some_and(|t| t.valid_to.is_none()));
            }
        }
    }

    #[test]
    fn the_same_options_give_identical_output() {
        let options = small(Some(5));
        assert_eq!(generate(&options), generate(&options));
    }

    #[test]
    fn different_seeds_give_different_output() {
        let a = generate(&small(Some(3)));
        let b = generate(&DemoOptions {
            seed: 7,
            ..small(Some(3))
        });
        assert_ne!(a.schools, b.schools);
        assert_ne!(a.classes, b.classes);
        assert_eq!(a.communes, b.communes);
    }

    #[test]
    fn populated_schools_limits_classes_to_that_many_spread_schools() {
        let some = generate(&small(Some(12)));
        let codes: HashSet<&str> = some
            .classes
            .iter()
            .map(|c| c.school_code.as_str())
            .collect();
        assert_eq!(codes.len(), 12);
        let chosen: Vec<&SchoolRecord> = some
            .schools
            .iter()
            .filter(|s| codes.contains(s.code.as_str()))
            .collect();
        let communes: HashSet<&str> = chosen.iter().map(|s| s.commune.as_str()).collect();
        assert_eq!(communes.len(), 12, "one school per commune");
        assert!(communes.iter().any(|c| c.starts_with("Phường")));
        assert!(communes.iter().any(|c| c.starts_with("Xã")));
        // Every school still has enrolment, populated or not.
        assert!(
            some.schools
                .iter()
                .filter(|s| s.valid_to.is_none())
                .all(|s| !s.enrolment.is_empty())
        );
        // A school's pupils do not depend on how many schools are populated.
        let all = generate(&small(None));
        assert_eq!(some.schools, all.schools);
        let subset: Vec<&DemoClass> = all
            .classes
            .iter()
            .filter(|c| codes.contains(c.school_code.as_str()))
            .collect();
        assert_eq!(subset, some.classes.iter().collect::<Vec<_>>());
        assert!(generate(&small(Some(0))).classes.is_empty());
    }

    /// Run with `cargo test --release -p app --features ssr --lib -- demo --ignored --nocapture`:
    /// too slow for every debug run, and the figures it prints are the ones quoted in reviews.
    #[test]
    #[ignore]
    fn the_full_province_generates_in_a_few_seconds() {
        let options = DemoOptions {
            populated_schools: None,
            ..DemoOptions::default()
        };
        let started = std::time::Instant::now();
        let p = generate(&options);
        let elapsed = started.elapsed();
        let pupils: usize = p.classes.iter().map(|c| c.pupils.len()).sum();
        for level in SchoolLevel::ALL {
            let schools = p.schools.iter().filter(|s| serves(s, level)).count();
            let active = p
                .schools
                .iter()
                .filter(|s| s.valid_to.is_none() && serves(s, level))
                .count();
            eprintln!(
                "{:>20}: {schools:>4} schools ({active} active), {:>7} enrolled",
                level.label(),
                level_total(&p, level)
            );
        }
        eprintln!(
            "{} classes, {pupils} pupils in {elapsed:?}",
            p.classes.len()
        );
        assert_eq!(
            pupils as u64,
            level_total(&p, SchoolLevel::Thcs) + level_total(&p, SchoolLevel::Thpt)
        );
        assert!(elapsed < std::time::Duration::from_secs(10), "{elapsed:?}");
    }
}
