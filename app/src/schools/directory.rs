//! The school directory file (CSV or XLSX, one row per school) as the department keeps it: parsed
//! and checked row by row before anything is written. Writing it is `people::import_directory`.

use crate::codes::SchoolLevel;
use crate::content::load::normalise_for_comparison;
use crate::domain::school_year;
use crate::domain::text::plain_text_problem;
use crate::spreadsheet::read::{ImportError, file_error, read_table};
use chrono::NaiveDate;
use std::collections::HashMap;
use unicode_normalization::UnicodeNormalization;

/// Who owns a school.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Ownership {
    /// Công lập.
    Public,
    /// Dân lập.
    Community,
    /// Tư thục.
    Private,
}

impl Ownership {
    /// Stored code.
    pub fn code(self) -> &'static str {
        match self {
            Ownership::Public => "cong-lap",
            Ownership::Community => "dan-lap",
            Ownership::Private => "tu-thuc",
        }
    }

    /// Parses a stored code.
    pub fn from_code(code: &str) -> Option<Ownership> {
        [Ownership::Public, Ownership::Community, Ownership::Private]
            .into_iter()
            .find(|o| o.code() == code)
    }

    /// How it is written in Vietnamese.
    pub fn label(self) -> &'static str {
        match self {
            Ownership::Public => "Công lập",
            Ownership::Community => "Dân lập",
            Ownership::Private => "Tư thục",
        }
    }
}

/// One school as read from the directory file. Texts are trimmed and in Unicode NFC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SchoolRecord {
    /// Spreadsheet row (header = row 1).
    pub row: usize,
    /// Mã trường: the key a re-import updates by.
    pub code: String,
    pub name: String,
    /// Sorted, without duplicates, never empty.
    pub levels: Vec<SchoolLevel>,
    pub ownership: Ownership,
    /// Current xã/phường, e.g. "Phường Hạc Thành".
    pub commune: String,
    /// Huyện cũ (district before 1/7/2025), for 2021–2025 reports.
    pub former_district: Option<String>,
    /// Cơ quan quản lý, e.g. "Sở GD&ĐT Thanh Hóa".
    pub overseeing_body: String,
    pub valid_from: Option<NaiveDate>,
    /// Set for a closed or merged school.
    pub valid_to: Option<NaiveDate>,
    /// Code of the school this one merged into (then `valid_to` is set).
    pub merged_into: Option<String>,
    /// Start year of the school year the enrolment figures are for (2026 = 2026–2027).
    pub school_year: Option<i32>,
    /// Enrolled pupils per level for `school_year`; only levels the school serves.
    pub enrolment: Vec<(SchoolLevel, u32)>,
}

/// The columns of the directory template, in order, as the department writes them.
pub const DIRECTORY_COLUMNS: [&str; 17] = [
    "mã trường",
    "tên trường",
    "cấp học",
    "loại hình",
    "xã/phường",
    "huyện cũ",
    "cơ quan quản lý",
    "hiệu lực từ",
    "hiệu lực đến",
    "sáp nhập vào",
    "năm học",
    "sĩ số TH",
    "sĩ số THCS",
    "sĩ số THPT",
    "sĩ số GDTX",
    "sĩ số TC-CĐ",
    "sĩ số ĐH",
];

const CODE: &str = DIRECTORY_COLUMNS[0];
const NAME: &str = DIRECTORY_COLUMNS[1];
const LEVELS: &str = DIRECTORY_COLUMNS[2];
const OWNERSHIP: &str = DIRECTORY_COLUMNS[3];
const COMMUNE: &str = DIRECTORY_COLUMNS[4];
const FORMER_DISTRICT: &str = DIRECTORY_COLUMNS[5];
const OVERSEEING_BODY: &str = DIRECTORY_COLUMNS[6];
const VALID_FROM: &str = DIRECTORY_COLUMNS[7];
const VALID_TO: &str = DIRECTORY_COLUMNS[8];
const MERGED_INTO: &str = DIRECTORY_COLUMNS[9];
const SCHOOL_YEAR: &str = DIRECTORY_COLUMNS[10];

/// The enrolment columns and the level each counts.
const ENROLMENT: [(&str, SchoolLevel); 6] = [
    (DIRECTORY_COLUMNS[11], SchoolLevel::TieuHoc),
    (DIRECTORY_COLUMNS[12], SchoolLevel::Thcs),
    (DIRECTORY_COLUMNS[13], SchoolLevel::Thpt),
    (DIRECTORY_COLUMNS[14], SchoolLevel::Gdtx),
    (DIRECTORY_COLUMNS[15], SchoolLevel::TrungCapCaoDang),
    (DIRECTORY_COLUMNS[16], SchoolLevel::DaiHoc),
];

const REQUIRED: [&str; 6] = [CODE, NAME, LEVELS, OWNERSHIP, COMMUNE, OVERSEEING_BODY];

const LEVEL_HINT: &str = "ghi một hoặc nhiều cấp: TH, THCS, THPT, GDTX, TC-CĐ, ĐH";
const OWNERSHIP_HINT: &str = "ghi Công lập, Dân lập hoặc Tư thục";
const DATE_HINT: &str = "ghi theo dạng ngày/tháng/năm, ví dụ 01/09/2026";

/// Reads and checks a directory file. Every row is checked and every problem reported (sorted by
/// row); the schools are returned only if there is none.
pub fn parse_directory(
    file_name: &str,
    bytes: &[u8],
) -> Result<Vec<SchoolRecord>, Vec<ImportError>> {
    let rows = read_table(file_name, bytes)?;
    let (layout, body) = Layout::read(
        &rows,
        &DIRECTORY_COLUMNS,
        &REQUIRED,
        &[
            ("mã", CODE),
            ("tên", NAME),
            ("cơ quan chủ quản", OVERSEEING_BODY),
        ],
        "danh-muc-truong.csv",
    )?;
    let mut errors = Vec::new();
    let mut schools = Vec::new();
    let mut codes: HashMap<String, usize> = HashMap::new();
    for (row, cells) in data_rows(body) {
        let mut problems = Problems::new(row);
        let cell = |column: &'static str| layout.cell(cells, column);

        let code = match parse_code(&cell(CODE), 20) {
            Ok(code) => {
                match codes.get(&code) {
                    Some(first) => problems.add(CODE, format!("trùng mã trường với dòng {first}")),
                    None => {
                        codes.insert(code.clone(), row);
                    }
                }
                Some(code)
            }
            Err(message) => {
                problems.add(CODE, message);
                None
            }
        };
        let name = collapse_spaces(&cell(NAME));
        if name.is_empty() {
            problems.add(NAME, "để trống; ghi tên đầy đủ của trường".into());
        } else if name.chars().count() > 200 {
            problems.add(NAME, "dài quá 200 ký tự".into());
        } else if let Some(problem) = plain_text_problem(&name) {
            problems.add(NAME, problem.into());
        }
        let levels = parse_levels(&cell(LEVELS))
            .map_err(|message| problems.add(LEVELS, message))
            .ok();
        let ownership = parse_ownership(&cell(OWNERSHIP))
            .map_err(|message| problems.add(OWNERSHIP, message))
            .ok();
        let commune = parse_commune(&cell(COMMUNE))
            .map_err(|message| problems.add(COMMUNE, message))
            .ok();
        let former_district =
            Some(collapse_spaces(&cell(FORMER_DISTRICT))).filter(|d| !d.is_empty());
        if let Some(problem) = plain_text_problem(&cell(FORMER_DISTRICT)) {
            problems.add(FORMER_DISTRICT, problem.into());
        }
        let overseeing_body = collapse_spaces(&cell(OVERSEEING_BODY));
        if let Some(problem) = plain_text_problem(&overseeing_body) {
            problems.add(OVERSEEING_BODY, problem.into());
        }
        if overseeing_body.is_empty() {
            problems.add(
                OVERSEEING_BODY,
                "để trống; ghi cơ quan quản lý trường, ví dụ “Sở GD&ĐT Thanh Hóa” hoặc “UBND xã/phường”".into(),
            );
        }
        let mut date = |column: &'static str| {
            let text = cell(column);
            if text.is_empty() {
                return Ok(None);
            }
            parse_date(&text).map(Some).ok_or_else(|| {
                problems.add(
                    column,
                    format!("“{text}” không phải ngày hợp lệ; {DATE_HINT}"),
                );
            })
        };
        let valid_from = date(VALID_FROM);
        let valid_to = date(VALID_TO);
        if let (Ok(Some(from)), Ok(Some(to))) = (valid_from, valid_to)
            && to < from
        {
            problems.add(
                VALID_TO,
                format!(
                    "ngày {} trước ngày “{VALID_FROM}” {}",
                    to.format("%d/%m/%Y"),
                    from.format("%d/%m/%Y")
                ),
            );
        }
        let merged_text = cell(MERGED_INTO);
        let merged_into = if merged_text.is_empty() {
            None
        } else {
            match parse_code(&merged_text, 20) {
                Ok(target) if code.as_ref() == Some(&target) => {
                    problems.add(
                        MERGED_INTO,
                        format!("“{merged_text}” là mã của chính trường này; ghi mã trường nhận sáp nhập"),
                    );
                    None
                }
                Ok(target) => {
                    if cell(VALID_TO).is_empty() {
                        problems.add(
                            VALID_TO,
                            format!(
                                "để trống; trường đã sáp nhập vào {target} nên cần ghi ngày thôi hoạt động riêng"
                            ),
                        );
                    }
                    Some(target)
                }
                Err(message) => {
                    problems.add(MERGED_INTO, message);
                    None
                }
            }
        };
        let year_text = cell(SCHOOL_YEAR);
        let school_year = if year_text.is_empty() {
            None
        } else {
            let year = school_year::parse(&year_text);
            if year.is_none() {
                problems.add(
                    SCHOOL_YEAR,
                    format!("không hiểu “{year_text}”; ghi năm học dạng 2026-2027"),
                );
            }
            year
        };
        let mut enrolment = Vec::new();
        let mut any_enrolment = false;
        for (column, level) in ENROLMENT {
            let text = cell(column);
            if text.is_empty() {
                continue;
            }
            any_enrolment = true;
            let Some(count) = parse_count(&text) else {
                problems.add(
                    column,
                    format!(
                        "“{text}” không phải số học sinh; ghi một số nguyên không âm, ví dụ 450"
                    ),
                );
                continue;
            };
            match &levels {
                Some(levels) if !levels.contains(&level) => {
                    // A zero for a level the school does not serve says nothing wrong.
                    if count > 0 {
                        problems.add(
                            column,
                            format!(
                                "ghi {count} học sinh nhưng cột “{LEVELS}” không có cấp {}; sửa cột “{LEVELS}” hoặc xóa số này",
                                level.label()
                            ),
                        );
                    }
                }
                _ => enrolment.push((level, count)),
            }
        }
        if any_enrolment && year_text.is_empty() {
            problems.add(
                SCHOOL_YEAR,
                "để trống; cần ghi năm học của sĩ số, ví dụ 2026-2027".into(),
            );
        }

        if !problems.is_empty() {
            errors.extend(problems.into_errors());
            continue;
        }
        let (
            Some(code),
            Some(levels),
            Some(ownership),
            Some(commune),
            Ok(valid_from),
            Ok(valid_to),
        ) = (code, levels, ownership, commune, valid_from, valid_to)
        else {
            unreachable!("every missing value was reported");
        };
        schools.push(SchoolRecord {
            row,
            code,
            name,
            levels,
            ownership,
            commune,
            former_district,
            overseeing_body,
            valid_from,
            valid_to,
            merged_into,
            school_year,
            enrolment,
        });
    }
    finish(
        errors,
        schools,
        "tệp không có trường nào (ngoài dòng tiêu đề)",
    )
}

/// Levels as written in the “cấp học” column: one or several, e.g. “THCS”, “TH&THCS”,
/// “THCS và THPT”, “Tiểu học, THCS”, “TC-CĐ”. Sorted, without duplicates.
fn parse_levels(text: &str) -> Result<Vec<SchoolLevel>, String> {
    if text.is_empty() {
        return Err(format!("để trống; {LEVEL_HINT}"));
    }
    let mut levels = Vec::new();
    let mut unknown = Vec::new();
    for part in text.split([',', ';', '+', '&', '/', '-', '–']) {
        let words: Vec<&str> = part.split_whitespace().collect();
        for phrase in words.split(|w| fold(w) == "va") {
            if phrase.is_empty() {
                continue;
            }
            if let Some(level) = level_named(&fold(&phrase.join(" "))) {
                levels.push(level);
                continue;
            }
            // “TH THCS”: abbreviations separated by spaces only.
            let each: Option<Vec<SchoolLevel>> = phrase
                .iter()
                .map(|w| level_abbreviation(&fold(w)))
                .collect();
            match each {
                Some(each) if phrase.len() > 1 => levels.extend(each),
                _ => unknown.push(format!("“{}”", phrase.join(" "))),
            }
        }
    }
    if !unknown.is_empty() {
        return Err(format!("không hiểu {}; {LEVEL_HINT}", unknown.join(", ")));
    }
    if levels.is_empty() {
        return Err(format!("không hiểu “{text}”; {LEVEL_HINT}"));
    }
    levels.sort();
    levels.dedup();
    Ok(levels)
}

fn level_abbreviation(folded: &str) -> Option<SchoolLevel> {
    match folded {
        "th" => Some(SchoolLevel::TieuHoc),
        "thcs" => Some(SchoolLevel::Thcs),
        "thpt" => Some(SchoolLevel::Thpt),
        "gdtx" => Some(SchoolLevel::Gdtx),
        "tc" | "cd" | "tccd" => Some(SchoolLevel::TrungCapCaoDang),
        "dh" => Some(SchoolLevel::DaiHoc),
        _ => None,
    }
}

fn level_named(folded: &str) -> Option<SchoolLevel> {
    level_abbreviation(folded).or(match folded {
        "tieu hoc" | "cap 1" => Some(SchoolLevel::TieuHoc),
        "trung hoc co so" | "cap 2" => Some(SchoolLevel::Thcs),
        "trung hoc pho thong" | "cap 3" => Some(SchoolLevel::Thpt),
        "giao duc thuong xuyen" => Some(SchoolLevel::Gdtx),
        "trung cap" | "cao dang" | "trung cap cao dang" | "tc cd" => {
            Some(SchoolLevel::TrungCapCaoDang)
        }
        "dai hoc" => Some(SchoolLevel::DaiHoc),
        _ => None,
    })
}

fn parse_ownership(text: &str) -> Result<Ownership, String> {
    match fold(text).as_str() {
        "" => Err(format!("để trống; {OWNERSHIP_HINT}")),
        "cong lap" => Ok(Ownership::Public),
        "dan lap" => Ok(Ownership::Community),
        "tu thuc" => Ok(Ownership::Private),
        "ngoai cong lap" => Err(format!(
            "“{text}” gồm cả dân lập và tư thục; ghi rõ Dân lập hoặc Tư thục"
        )),
        _ => Err(format!("không hiểu “{text}”; {OWNERSHIP_HINT}")),
    }
}

/// “xã Hoằng Lộc” → “Xã Hoằng Lộc”: the current commune or ward, its first word capitalised.
fn parse_commune(text: &str) -> Result<String, String> {
    let text = collapse_spaces(text);
    if let Some(problem) = plain_text_problem(&text) {
        return Err(problem.to_owned());
    }
    let hint = "ghi tên xã/phường hiện nay (từ 1/7/2025), bắt đầu bằng “Xã” hoặc “Phường”, ví dụ “Phường Hạc Thành”";
    if text.is_empty() {
        return Err(format!("để trống; {hint}"));
    }
    let (first, rest) = text.split_once(' ').unwrap_or((&text, ""));
    let first = match first.to_lowercase().as_str() {
        "xã" => "Xã",
        "phường" => "Phường",
        _ => return Err(format!("“{text}” không hợp lệ; {hint}")),
    };
    if rest.is_empty() {
        return Err(format!("“{text}” thiếu tên; {hint}"));
    }
    Ok(format!("{first} {rest}"))
}

/// dd/mm/yyyy, d/m/yyyy or yyyy-mm-dd (as dates from Excel arrive).
pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    let numbers = |parts: Vec<&str>, widths: [(usize, usize); 3]| -> Option<[u32; 3]> {
        if parts.len() != 3 {
            return None;
        }
        let mut out = [0; 3];
        for ((part, (min, max)), slot) in parts.iter().zip(widths).zip(&mut out) {
            let part = part.trim();
            if part.len() < min || part.len() > max || !part.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            *slot = part.parse().ok()?;
        }
        Some(out)
    };
    if text.contains('/') {
        let [d, m, y] = numbers(text.split('/').collect(), [(1, 2), (1, 2), (4, 4)])?;
        NaiveDate::from_ymd_opt(y as i32, m, d)
    } else {
        let [y, m, d] = numbers(text.split('-').collect(), [(4, 4), (1, 2), (1, 2)])?;
        NaiveDate::from_ymd_opt(y as i32, m, d)
    }
}

/// A count of pupils: digits, optionally grouped by thousands with “.” or a space (“1.250”).
fn parse_count(text: &str) -> Option<u32> {
    let groups: Vec<&str> = text.split(['.', ' ', '\u{a0}', '\u{202f}']).collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let grouped =
        groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped || !groups.iter().all(|g| digits(g)) {
        return None;
    }
    groups.concat().parse().ok()
}

// ——— Shared by the directory and roster parsers ———

/// Columns any sheet may carry that hold nothing to import: row numbers and remarks.
const HARMLESS_COLUMNS: [&str; 4] = ["stt", "tt", "số thứ tự", "ghi chú"];

/// Text folded for comparison: no diacritics, lower case, punctuation as spaces.
pub(super) fn fold(text: &str) -> String {
    normalise_for_comparison(text)
}

/// Inner runs of whitespace (including non-breaking spaces) become one space.
pub(super) fn collapse_spaces(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A code (school, pupil): letters without diacritics, digits, “-” and “_”; upper-cased.
pub(super) fn parse_code(text: &str, max: usize) -> Result<String, String> {
    if text.is_empty() {
        return Err("để trống".into());
    }
    let valid = text.chars().count() <= max
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if valid {
        Ok(text.to_ascii_uppercase())
    } else {
        Err(format!(
            "“{text}” không hợp lệ; mã chỉ gồm chữ cái không dấu, chữ số, “-” hoặc “_”, tối đa {max} ký tự"
        ))
    }
}

/// The errors of one row, in the order its columns were checked.
pub(super) struct Problems {
    row: usize,
    errors: Vec<ImportError>,
}

impl Problems {
    pub(super) fn new(row: usize) -> Problems {
        Problems {
            row,
            errors: Vec::new(),
        }
    }

    pub(super) fn add(&mut self, column: &'static str, message: String) {
        self.errors.push(ImportError {
            row: self.row,
            column: Some(column),
            message,
        });
    }

    pub(super) fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    pub(super) fn into_errors(self) -> Vec<ImportError> {
        self.errors
    }
}

/// Where each template column is in the file.
pub(super) struct Layout {
    columns: HashMap<&'static str, usize>,
}

impl Layout {
    /// Matches the header row (the first) against `columns`, ignoring case, diacritics and
    /// punctuation; `aliases` are other names people give a column. Returns the data rows too.
    pub(super) fn read<'a>(
        rows: &'a [Vec<String>],
        columns: &[&'static str],
        required: &[&'static str],
        aliases: &[(&str, &'static str)],
        template: &str,
    ) -> Result<(Layout, &'a [Vec<String>]), Vec<ImportError>> {
        let Some((header, body)) = rows.split_first() else {
            return Err(file_error("tệp trống"));
        };
        if header.len() == 1 && header[0].contains(';') {
            return Err(file_error(
                "các cột trong tệp CSV được ngăn cách bằng dấu “;”; hãy lưu lại tệp dạng “CSV UTF-8 (Comma delimited)” hoặc .xlsx",
            ));
        }
        let header_error = |message: String| ImportError {
            row: 1,
            column: None,
            message,
        };
        let mut map = HashMap::new();
        let mut errors = Vec::new();
        for (i, cell) in header.iter().enumerate() {
            let wanted = fold(cell);
            if wanted.is_empty() || HARMLESS_COLUMNS.iter().any(|h| fold(h) == wanted) {
                continue;
            }
            let column = columns
                .iter()
                .copied()
                .find(|c| fold(c) == wanted)
                .or_else(|| {
                    aliases
                        .iter()
                        .find(|(alias, _)| fold(alias) == wanted)
                        .map(|(_, c)| *c)
                });
            match column {
                Some(column) if map.contains_key(column) => errors.push(header_error(format!(
                    "cột “{column}” có hai lần; hãy giữ một cột"
                ))),
                Some(column) => {
                    map.insert(column, i);
                }
                None => errors.push(header_error(format!(
                    "cột “{}” không có trong mẫu {template}; hãy xóa cột này hoặc sửa tên cột cho đúng mẫu",
                    cell.trim()
                ))),
            }
        }
        if map.is_empty() {
            return Err(vec![header_error(format!(
                "dòng đầu tiên phải là dòng tiêu đề với các cột của mẫu {template}: {}",
                columns.join(", ")
            ))]);
        }
        for required in required {
            if !map.contains_key(required) {
                errors.push(header_error(format!("thiếu cột “{required}”")));
            }
        }
        if errors.is_empty() {
            Ok((Layout { columns: map }, body))
        } else {
            Err(errors)
        }
    }

    /// The cell of `column` in a row, trimmed and in NFC; empty when the column is absent.
    pub(super) fn cell(&self, cells: &[String], column: &'static str) -> String {
        self.columns
            .get(column)
            .and_then(|&i| cells.get(i))
            .map(|c| c.nfc().collect::<String>().trim().to_owned())
            .unwrap_or_default()
    }
}

/// The non-blank data rows with their spreadsheet row numbers (the header is row 1).
pub(super) fn data_rows(body: &[Vec<String>]) -> impl Iterator<Item = (usize, &[String])> {
    body.iter()
        .enumerate()
        .filter(|(_, cells)| cells.iter().any(|c| !c.trim().is_empty()))
        .map(|(i, cells)| (i + 2, cells.as_slice()))
}

/// The parsed rows, or every error sorted by row; a file without data rows is an error.
pub(super) fn finish<T>(
    mut errors: Vec<ImportError>,
    parsed: Vec<T>,
    empty_message: &str,
) -> Result<Vec<T>, Vec<ImportError>> {
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.row);
        return Err(errors);
    }
    if parsed.is_empty() {
        return Err(file_error(empty_message));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &[u8] = include_bytes!("../../../content/templates/danh-muc-truong.csv");

    /// A CSV row: a valid school, with some columns replaced.
    fn school(changes: &[(&str, &str)]) -> String {
        let base = [
            ("mã trường", "VD-0001"),
            ("tên trường", "Trường THCS Ví Dụ"),
            ("cấp học", "THCS"),
            ("loại hình", "Công lập"),
            ("xã/phường", "Phường Ví Dụ"),
            ("cơ quan quản lý", "UBND Phường Ví Dụ"),
        ];
        DIRECTORY_COLUMNS
            .iter()
            .map(|column| {
                let value = changes
                    .iter()
                    .chain(base.iter())
                    .find(|(c, _)| c == column)
                    .map(|(_, v)| *v)
                    .unwrap_or("");
                if value.contains([',', '"']) {
                    format!("\"{}\"", value.replace('"', "\"\""))
                } else {
                    value.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(",")
    }

    fn file(rows: &[String]) -> Vec<u8> {
        let mut text = DIRECTORY_COLUMNS.join(",");
        for row in rows {
            text.push('\n');
            text.push_str(row);
        }
        text.push('\n');
        text.into_bytes()
    }

    fn errors(bytes: &[u8]) -> Vec<String> {
        parse_directory("truong.csv", bytes)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
        NaiveDate::from_ymd_opt(y, m, d)
    }

    #[test]
    fn the_downloadable_template_is_itself_valid() {
        assert!(TEMPLATE.starts_with(b"\xef\xbb\xbf"), "BOM for Excel");
        let schools = parse_directory("danh-muc-truong.csv", TEMPLATE).unwrap();
        assert_eq!(schools.len(), 3);
        assert!(schools.iter().all(|s| s.code.starts_with("VD-")));
        assert_eq!(
            schools[1].levels,
            vec![SchoolLevel::TieuHoc, SchoolLevel::Thcs]
        );
        assert_eq!(
            schools[1].enrolment,
            vec![(SchoolLevel::TieuHoc, 320), (SchoolLevel::Thcs, 210)]
        );
        assert_eq!(schools[2].merged_into.as_deref(), Some("VD-0001"));
        assert_eq!(schools[2].valid_to, day(2025, 8, 31));
    }

    #[test]
    fn a_good_csv_gives_normalised_records() {
        let bytes = file(&[
            school(&[
                ("mã trường", " vd-0007 "),
                // “Trường” written decomposed (NFD), with a double and a non-breaking space.
                (
                    "tên trường",
                    "  Tru\u{031b}o\u{031b}\u{0300}ng  THCS\u{a0}Ví Dụ ",
                ),
                ("cấp học", "thcs"),
                ("loại hình", "tư thục"),
                ("xã/phường", "xã  Ví Dụ"),
                ("huyện cũ", "Huyện Ví Dụ Cũ"),
                ("hiệu lực từ", "1/9/2025"),
                ("năm học", "2026–2027"),
                ("sĩ số THCS", "1.250"),
            ]),
            school(&[
                ("mã trường", "VD-0008"),
                ("cấp học", "THPT"),
                ("loại hình", "DÂN LẬP"),
                ("xã/phường", "PHƯỜNG Ví Dụ"),
                ("cơ quan quản lý", "Sở GD&ĐT Ví Dụ"),
                ("hiệu lực từ", "2020-09-05"),
                ("hiệu lực đến", "31/08/2026"),
                ("năm học", "2026/2027"),
                ("sĩ số THPT", "0"),
            ]),
        ]);
        let schools = parse_directory("truong.csv", &bytes).unwrap();
        assert_eq!(
            schools[0],
            SchoolRecord {
                row: 2,
                code: "VD-0007".into(),
                name: "Trường THCS Ví Dụ".into(),
                levels: vec![SchoolLevel::Thcs],
                ownership: Ownership::Private,
                commune: "Xã Ví Dụ".into(),
                former_district: Some("Huyện Ví Dụ Cũ".into()),
                overseeing_body: "UBND Phường Ví Dụ".into(),
                valid_from: day(2025, 9, 1),
                valid_to: None,
                merged_into: None,
                school_year: Some(2026),
                enrolment: vec![(SchoolLevel::Thcs, 1250)],
            }
        );
        let second = &schools[1];
        assert_eq!(
            (second.row, second.ownership, second.commune.as_str()),
            (3, Ownership::Community, "Phường Ví Dụ")
        );
        assert_eq!(
            (second.valid_from, second.valid_to),
            (day(2020, 9, 5), day(2026, 8, 31))
        );
        assert_eq!(second.enrolment, vec![(SchoolLevel::Thpt, 0)], "0 is kept");
        assert_eq!(second.former_district, None);
    }

    #[test]
    fn a_byte_order_mark_makes_no_difference() {
        let plain = file(&[school(&[])]);
        let mut with_bom = b"\xef\xbb\xbf".to_vec();
        with_bom.extend(&plain);
        assert_eq!(
            parse_directory("a.csv", &plain).unwrap(),
            parse_directory("b.CSV", &with_bom).unwrap()
        );
    }

    #[test]
    fn a_csv_in_another_encoding_is_refused() {
        // “mã trường” in Windows-1258 is not UTF-8.
        let errors = errors(b"m\xe3 tr\xfd\xf5\xecng,t\xean tr\xfd\xf5\xecng\nVD-1,A\n");
        assert_eq!(errors.len(), 1);
        assert!(errors[0].contains("UTF-8"), "{errors:?}");
    }

    #[test]
    fn an_xlsx_sheet_is_read_like_the_csv() {
        use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (c, name) in DIRECTORY_COLUMNS.iter().enumerate() {
            sheet.write_string(0, c as u16, *name).unwrap();
        }
        let text = [
            (0, "VD-0100"),
            (1, "Trường Tiểu học và THCS Ví Dụ"),
            (2, "TH và THCS"),
            (3, "Công lập"),
            (4, "Xã Ví Dụ"),
            (6, "UBND Xã Ví Dụ"),
            (10, "2026-2027"),
        ];
        for (c, value) in text {
            sheet.write_string(1, c, value).unwrap();
        }
        let date = Format::new().set_num_format("dd/mm/yyyy");
        sheet
            .write_datetime_with_format(1, 7, ExcelDateTime::from_ymd(2025, 9, 1).unwrap(), &date)
            .unwrap();
        sheet.write_number(1, 11, 312.0).unwrap();
        sheet.write_number(1, 12, 0.0).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let schools = parse_directory("danh-muc.xlsx", &bytes).unwrap();
        assert_eq!(schools.len(), 1);
        let s = &schools[0];
        assert_eq!(s.levels, vec![SchoolLevel::TieuHoc, SchoolLevel::Thcs]);
        assert_eq!(s.valid_from, day(2025, 9, 1));
        assert_eq!(
            s.enrolment,
            vec![(SchoolLevel::TieuHoc, 312), (SchoolLevel::Thcs, 0)]
        );
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let header: Vec<&str> = DIRECTORY_COLUMNS
            .iter()
            .copied()
            .filter(|c| *c != "loại hình" && *c != "cơ quan quản lý")
            .collect();
        let errors = errors(format!("{}\nVD-1\n", header.join(",")).as_bytes());
        assert_eq!(
            errors,
            vec![
                "dòng 1: thiếu cột “loại hình”".to_string(),
                "dòng 1: thiếu cột “cơ quan quản lý”".to_string(),
            ]
        );
    }

    #[test]
    fn headers_match_whatever_the_case_and_optional_columns_may_be_left_out() {
        let bytes = "STT,MÃ TRƯỜNG,Tên Trường,Cấp học,Loại hình,Xã / Phường,Cơ quan quản lý,Ghi chú\n1,VD-1,Trường Ví Dụ,THPT,Công lập,Phường Ví Dụ,Sở GD&ĐT Ví Dụ,không có gì\n";
        let schools = parse_directory("a.csv", bytes.as_bytes()).unwrap();
        assert_eq!(schools[0].code, "VD-1");
        assert_eq!(schools[0].levels, vec![SchoolLevel::Thpt]);
    }

    #[test]
    fn an_unknown_column_is_refused() {
        let header = format!("{},điểm thi đua", DIRECTORY_COLUMNS.join(","));
        let errors = errors(format!("{header}\n{},9\n", school(&[])).as_bytes());
        assert_eq!(
            errors,
            vec![
                "dòng 1: cột “điểm thi đua” không có trong mẫu danh-muc-truong.csv; hãy xóa cột này hoặc sửa tên cột cho đúng mẫu"
                    .to_string()
            ]
        );
    }

    #[test]
    fn a_file_whose_first_row_is_not_the_header_says_so() {
        let errors = errors("DANH MỤC TRƯỜNG HỌC\nVD-1,Trường Ví Dụ\n".as_bytes());
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with("dòng 1: dòng đầu tiên phải là dòng tiêu đề"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_file_with_only_a_header_and_blank_rows_is_refused() {
        let errors = errors(&file(&[",,,,".into(), String::new()]));
        assert_eq!(
            errors,
            vec!["tệp không có trường nào (ngoài dòng tiêu đề)".to_string()]
        );
        assert_eq!(
            parse_directory("a.csv", b"").unwrap_err()[0].message,
            "tệp trống"
        );
    }

    #[test]
    fn blank_rows_are_skipped_and_rows_keep_their_spreadsheet_numbers() {
        let blank = ",".repeat(DIRECTORY_COLUMNS.len() - 1);
        let bytes = file(&[
            school(&[]),
            blank.clone(),
            blank,
            school(&[("mã trường", "VD-0002")]),
        ]);
        let rows: Vec<usize> = parse_directory("a.csv", &bytes)
            .unwrap()
            .iter()
            .map(|s| s.row)
            .collect();
        assert_eq!(rows, vec![2, 5]);
    }

    #[test]
    fn every_kind_of_bad_value_names_its_row_and_column() {
        let cases: &[(&[(&str, &str)], &str)] = &[
            (&[("mã trường", "")], "cột “mã trường”: để trống"),
            (
                &[("mã trường", "VD 01")],
                "cột “mã trường”: “VD 01” không hợp lệ; mã chỉ gồm chữ cái không dấu, chữ số, “-” hoặc “_”, tối đa 20 ký tự",
            ),
            (
                &[("mã trường", "VD-000000000000000001")],
                "cột “mã trường”: “VD-000000000000000001” không hợp lệ",
            ),
            (
                &[("mã trường", "VĐ-1")],
                "cột “mã trường”: “VĐ-1” không hợp lệ",
            ),
            (
                &[("tên trường", "  ")],
                "cột “tên trường”: để trống; ghi tên đầy đủ của trường",
            ),
            (
                &[("cấp học", "")],
                "cột “cấp học”: để trống; ghi một hoặc nhiều cấp: TH, THCS, THPT, GDTX, TC-CĐ, ĐH",
            ),
            (
                &[("cấp học", "THCX")],
                "cột “cấp học”: không hiểu “THCX”; ghi một hoặc nhiều cấp: TH, THCS, THPT, GDTX, TC-CĐ, ĐH",
            ),
            (
                &[("cấp học", "TH, mầm non")],
                "cột “cấp học”: không hiểu “mầm non”;",
            ),
            (
                &[("loại hình", "")],
                "cột “loại hình”: để trống; ghi Công lập, Dân lập hoặc Tư thục",
            ),
            (
                &[("loại hình", "Quốc tế")],
                "cột “loại hình”: không hiểu “Quốc tế”; ghi Công lập, Dân lập hoặc Tư thục",
            ),
            (
                &[("loại hình", "Ngoài công lập")],
                "cột “loại hình”: “Ngoài công lập” gồm cả dân lập và tư thục; ghi rõ Dân lập hoặc Tư thục",
            ),
            (&[("xã/phường", "")], "cột “xã/phường”: để trống;"),
            (
                &[("xã/phường", "Thị trấn Ví Dụ")],
                "cột “xã/phường”: “Thị trấn Ví Dụ” không hợp lệ; ghi tên xã/phường hiện nay",
            ),
            (
                &[("xã/phường", "Ví Dụ")],
                "cột “xã/phường”: “Ví Dụ” không hợp lệ;",
            ),
            (
                &[("xã/phường", "Phường")],
                "cột “xã/phường”: “Phường” thiếu tên;",
            ),
            (
                &[("cơ quan quản lý", "")],
                "cột “cơ quan quản lý”: để trống;",
            ),
            (
                &[("hiệu lực từ", "31/02/2026")],
                "cột “hiệu lực từ”: “31/02/2026” không phải ngày hợp lệ; ghi theo dạng ngày/tháng/năm, ví dụ 01/09/2026",
            ),
            (
                &[("hiệu lực từ", "tháng 9")],
                "cột “hiệu lực từ”: “tháng 9” không phải ngày hợp lệ",
            ),
            (
                &[("hiệu lực đến", "2026/08/31")],
                "cột “hiệu lực đến”: “2026/08/31” không phải ngày hợp lệ",
            ),
            (
                &[
                    ("hiệu lực từ", "01/09/2025"),
                    ("hiệu lực đến", "31/08/2025"),
                ],
                "cột “hiệu lực đến”: ngày 31/08/2025 trước ngày “hiệu lực từ” 01/09/2025",
            ),
            (
                &[("hiệu lực đến", "31/08/2025"), ("sáp nhập vào", "VD 2")],
                "cột “sáp nhập vào”: “VD 2” không hợp lệ;",
            ),
            (
                &[("năm học", "2026")],
                "cột “năm học”: không hiểu “2026”; ghi năm học dạng 2026-2027",
            ),
            (
                &[("năm học", "2026-2028")],
                "cột “năm học”: không hiểu “2026-2028”;",
            ),
            (
                &[("năm học", "2026-2027"), ("sĩ số THCS", "-3")],
                "cột “sĩ số THCS”: “-3” không phải số học sinh; ghi một số nguyên không âm, ví dụ 450",
            ),
            (
                &[("năm học", "2026-2027"), ("sĩ số THCS", "12,5")],
                "cột “sĩ số THCS”: “12,5” không phải số học sinh",
            ),
            (
                &[("năm học", "2026-2027"), ("sĩ số THCS", "1.25")],
                "cột “sĩ số THCS”: “1.25” không phải số học sinh",
            ),
            (
                &[("năm học", "2026-2027"), ("sĩ số THCS", "khoảng 400")],
                "cột “sĩ số THCS”: “khoảng 400” không phải số học sinh",
            ),
        ];
        for (changes, expected) in cases {
            // Changes come first, so they win over the row's own code.
            let bad: Vec<(&str, &str)> = changes
                .iter()
                .copied()
                .chain([("mã trường", "VD-0003")])
                .collect();
            let errors = errors(&file(&[
                school(&[]),
                school(&[("mã trường", "VD-0002")]),
                school(&bad),
            ]));
            let expected = format!("dòng 4, {expected}");
            assert!(
                errors.len() == 1 && errors[0].starts_with(&expected),
                "{changes:?}: expected “{expected}”, got {errors:?}"
            );
        }
    }

    #[test]
    fn all_the_errors_of_a_file_are_collected_and_sorted_by_row() {
        let bytes = file(&[
            school(&[("cấp học", "THCX"), ("loại hình", "")]),
            school(&[("mã trường", "VD-0002")]),
            school(&[("mã trường", "VD-0003"), ("hiệu lực từ", "32/1/2020")]),
            school(&[("mã trường", "VD-0001")]),
        ]);
        let errors = errors(&bytes);
        let places: Vec<String> = errors
            .iter()
            .map(|e| e.split(':').next().unwrap().to_owned())
            .collect();
        assert_eq!(
            places,
            vec![
                "dòng 2, cột “cấp học”",
                "dòng 2, cột “loại hình”",
                "dòng 4, cột “hiệu lực từ”",
                "dòng 5, cột “mã trường”",
            ]
        );
    }

    #[test]
    fn a_duplicate_code_is_reported_on_the_later_row_naming_the_earlier_one() {
        let bytes = file(&[
            school(&[("mã trường", "VD-0001")]),
            school(&[("mã trường", "VD-0002")]),
            school(&[("mã trường", "vd-0001")]),
        ]);
        assert_eq!(
            errors(&bytes),
            vec!["dòng 4, cột “mã trường”: trùng mã trường với dòng 2".to_string()]
        );
    }

    #[test]
    fn lien_cap_and_spelled_out_levels_are_understood() {
        use SchoolLevel::*;
        let cases: &[(&str, &[SchoolLevel])] = &[
            ("THCS", &[Thcs]),
            ("TH&THCS", &[TieuHoc, Thcs]),
            ("TH & THCS", &[TieuHoc, Thcs]),
            ("THCS và THPT", &[Thcs, Thpt]),
            ("thcs VÀ thpt", &[Thcs, Thpt]),
            ("TH, THCS", &[TieuHoc, Thcs]),
            ("TH; THCS; THPT", &[TieuHoc, Thcs, Thpt]),
            ("THCS+THPT", &[Thcs, Thpt]),
            ("THCS - THPT", &[Thcs, Thpt]),
            ("TH THCS", &[TieuHoc, Thcs]),
            ("Tiểu học và Trung học cơ sở", &[TieuHoc, Thcs]),
            ("tieu hoc, trung hoc co so", &[TieuHoc, Thcs]),
            ("Trung học phổ thông", &[Thpt]),
            ("Giáo dục thường xuyên", &[Gdtx]),
            ("GDTX", &[Gdtx]),
            ("TC-CĐ", &[TrungCapCaoDang]),
            ("Trung cấp/Cao đẳng", &[TrungCapCaoDang]),
            ("Trung cấp, Cao đẳng", &[TrungCapCaoDang]),
            ("Cao đẳng", &[TrungCapCaoDang]),
            ("ĐH", &[DaiHoc]),
            ("Đại học", &[DaiHoc]),
            ("THPT, THCS, THCS", &[Thcs, Thpt]),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_levels(text).as_deref(), Ok(*expected), "{text}");
        }
        for text in ["THCX", "PTDTBT", "mầm non", ",", "Trung"] {
            assert!(parse_levels(text).is_err(), "{text}");
        }
    }

    #[test]
    fn dates_are_read_in_the_vietnamese_and_the_iso_order() {
        assert_eq!(parse_date("01/09/2026"), day(2026, 9, 1));
        assert_eq!(parse_date("1/9/2026"), day(2026, 9, 1));
        assert_eq!(parse_date("2026-09-01"), day(2026, 9, 1));
        for text in [
            "29/02/2026",
            "9/2026",
            "2026-9",
            "01-09-2026",
            "01/09/26",
            "1.9.2026",
        ] {
            assert_eq!(parse_date(text), None, "{text}");
        }
    }

    #[test]
    fn enrolment_for_a_level_the_school_does_not_serve_is_an_error() {
        let bytes = file(&[school(&[
            ("cấp học", "THCS"),
            ("năm học", "2026-2027"),
            ("sĩ số THCS", "400"),
            ("sĩ số THPT", "35"),
            ("sĩ số TH", "0"),
        ])]);
        assert_eq!(
            errors(&bytes),
            vec![
                "dòng 2, cột “sĩ số THPT”: ghi 35 học sinh nhưng cột “cấp học” không có cấp THPT; sửa cột “cấp học” hoặc xóa số này"
                    .to_string()
            ]
        );
    }

    #[test]
    fn a_zero_for_a_level_the_school_does_not_serve_is_ignored() {
        let bytes = file(&[school(&[
            ("năm học", "2026-2027"),
            ("sĩ số TH", "0"),
            ("sĩ số THCS", "400"),
        ])]);
        let schools = parse_directory("a.csv", &bytes).unwrap();
        assert_eq!(schools[0].enrolment, vec![(SchoolLevel::Thcs, 400)]);
    }

    #[test]
    fn enrolment_needs_a_school_year() {
        let bytes = file(&[school(&[("sĩ số THCS", "400")])]);
        assert_eq!(
            errors(&bytes),
            vec![
                "dòng 2, cột “năm học”: để trống; cần ghi năm học của sĩ số, ví dụ 2026-2027"
                    .to_string()
            ]
        );
    }

    #[test]
    fn a_merged_school_needs_an_end_date() {
        let bytes = file(&[school(&[("sáp nhập vào", "VD-0002")])]);
        assert_eq!(
            errors(&bytes),
            vec!["dòng 2, cột “hiệu lực đến”: để trống; trường đã sáp nhập vào VD-0002 nên cần ghi ngày thôi hoạt động riêng".to_string()]
        );
        let bytes = file(&[school(&[
            ("sáp nhập vào", "vd-0002"),
            ("hiệu lực đến", "31/08/2025"),
        ])]);
        let schools = parse_directory("a.csv", &bytes).unwrap();
        assert_eq!(schools[0].merged_into.as_deref(), Some("VD-0002"));
    }

    #[test]
    fn a_school_cannot_merge_into_itself() {
        let bytes = file(&[school(&[
            ("sáp nhập vào", "vd-0001"),
            ("hiệu lực đến", "31/08/2025"),
        ])]);
        assert_eq!(
            errors(&bytes),
            vec!["dòng 2, cột “sáp nhập vào”: “vd-0001” là mã của chính trường này; ghi mã trường nhận sáp nhập".to_string()]
        );
    }

    #[test]
    fn a_semicolon_separated_csv_from_excel_is_read_like_a_comma_one() {
        let semicolons = "mã trường;tên trường;cấp học;loại hình;xã/phường;huyện cũ;cơ quan quản lý;năm học;sĩ số THCS;sĩ số THPT\n\
                          VD-1;Trường THCS Ví Dụ;THCS;Công lập;Phường Ví Dụ;Huyện cũ Một;Sở GD&ĐT;2026-2027;400;\n";
        let records = parse_directory("truong.csv", semicolons.as_bytes()).unwrap();
        let commas =
            parse_directory("truong.csv", semicolons.replace(';', ",").as_bytes()).unwrap();
        assert_eq!(records, commas);
        assert_eq!(records.len(), 1);
    }
}
