//! A class roster file (CSV or XLSX) as a teacher in charge prepares it: parsed and checked row by
//! row before any account is created. Creating the accounts is `people::import_roster`.

use crate::codes::SchoolLevel;
use crate::domain::school_year;
use crate::schools::directory::{
    Layout, Problems, collapse_spaces, data_rows, finish, fold, parse_code,
};
use crate::spreadsheet::read::{ImportError, file_error, read_table};
use std::collections::HashMap;

/// One pupil as read from a roster file. Texts are trimmed and in Unicode NFC.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RosterRow {
    /// Spreadsheet row (header = row 1).
    pub row: usize,
    pub full_name: String,
    /// Class name as the school writes it, e.g. "8A", "10A1".
    pub class_name: String,
    pub grade: u8,
    /// The school's own pupil code, if the school uses one.
    pub pupil_code: Option<String>,
    pub birth_year: Option<i32>,
}

/// What the roster is checked against.
#[derive(Clone, Debug)]
pub struct RosterContext {
    /// Levels the school serves (grades must belong to one of them).
    pub school_levels: Vec<SchoolLevel>,
    /// Start year of the school year (2026 = 2026–2027).
    pub school_year: i32,
}

/// The columns of the roster template, in order, as teachers see them.
pub const ROSTER_COLUMNS: [&str; 5] = ["họ và tên", "lớp", "khối", "mã học sinh", "năm sinh"];

const FULL_NAME: &str = ROSTER_COLUMNS[0];
const CLASS: &str = ROSTER_COLUMNS[1];
const GRADE: &str = ROSTER_COLUMNS[2];
const PUPIL_CODE: &str = ROSTER_COLUMNS[3];
const BIRTH_YEAR: &str = ROSTER_COLUMNS[4];

/// Header words that mean personal data the platform never collects about pupils, each with how
/// to name it in the message. Matched on whole words after folding (no diacritics, lower case).
const PERSONAL_DATA: [(&[&str], &str); 4] = [
    (
        &[
            "so dien thoai",
            "dien thoai",
            "sdt",
            "dtdd",
            "di dong",
            "zalo",
        ],
        "số điện thoại",
    ),
    (
        &["email", "e mail", "mail", "gmail", "thu dien tu"],
        "email",
    ),
    (
        &[
            "cccd",
            "can cuoc",
            "cmnd",
            "chung minh",
            "ma dinh danh",
            "dinh danh",
            "so dinh danh",
        ],
        "số định danh cá nhân (căn cước, CCCD/CMND, mã định danh)",
    ),
    (
        &["dia chi", "noi o", "cho o", "thuong tru", "tam tru"],
        "địa chỉ",
    ),
];

/// Pupils one class-list file may hold: a whole grade of a large school. Creating the accounts
/// is one write transaction, and on SQLite it holds the writer for its duration.
pub const MAX_ROSTER_PUPILS: usize = 2_000;
const MAX_ROSTER_PUPILS_TEXT: &str = "2.000";

/// Reads and checks a class roster for a school. Every row is checked and every problem reported
/// (sorted by row); the pupils are returned only if there is none.
pub fn parse_roster(
    file_name: &str,
    bytes: &[u8],
    context: &RosterContext,
) -> Result<Vec<RosterRow>, Vec<ImportError>> {
    let rows = read_table(file_name, bytes)?;
    let pupils = rows
        .iter()
        .skip(1)
        .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
        .count();
    if pupils > MAX_ROSTER_PUPILS {
        return Err(file_error(format!(
            "tệp có {} dòng học sinh; mỗi lần chỉ nhập được tối đa {} học sinh — hãy chia danh sách theo khối hoặc theo lớp",
            pupils, MAX_ROSTER_PUPILS_TEXT
        )));
    }
    if let Some(header) = rows.first() {
        refuse_personal_data(header)?;
    }
    let (layout, body) = Layout::read(
        &rows,
        &ROSTER_COLUMNS,
        &[FULL_NAME, CLASS, GRADE],
        &[
            ("họ tên", FULL_NAME),
            ("tên lớp", CLASS),
            ("mã HS", PUPIL_CODE),
            // A full date of birth is read for its year only; day and month are not kept.
            ("ngày sinh", BIRTH_YEAR),
            ("ngày tháng năm sinh", BIRTH_YEAR),
        ],
        "danh-sach-lop.csv",
    )?;
    let mut grades: Vec<u8> = context
        .school_levels
        .iter()
        .filter_map(|level| level.grades())
        .flatten()
        .collect();
    grades.sort_unstable();
    grades.dedup();
    if grades.is_empty() {
        return Err(file_error(
            "trường này không có cấp phổ thông (khối 1 đến 12) nên không nhập được danh sách lớp",
        ));
    }
    let grade_list = grades
        .iter()
        .map(u8::to_string)
        .collect::<Vec<_>>()
        .join(", ");

    let mut errors = Vec::new();
    let mut pupils = Vec::new();
    let mut codes: HashMap<String, usize> = HashMap::new();
    let mut uncoded: HashMap<(String, String, Option<i32>), usize> = HashMap::new();
    for (row, cells) in data_rows(body) {
        let mut problems = Problems::new(row);
        let cell = |column: &'static str| layout.cell(cells, column);

        let full_name = parse_full_name(&cell(FULL_NAME))
            .map_err(|message| problems.add(FULL_NAME, message))
            .ok();
        let grade_text = cell(GRADE);
        let grade = match parse_grade(&grade_text) {
            _ if grade_text.is_empty() => {
                problems.add(GRADE, format!("để trống; ghi khối lớp: {grade_list}"));
                None
            }
            Some(grade) if grades.contains(&grade) => Some(grade),
            Some(grade) => {
                problems.add(
                    GRADE,
                    format!("trường không có khối {grade}; ghi một trong các khối {grade_list}"),
                );
                None
            }
            None => {
                problems.add(
                    GRADE,
                    format!(
                        "“{grade_text}” không phải số khối; ghi một trong các khối {grade_list}"
                    ),
                );
                None
            }
        };
        let class_name = parse_class(&cell(CLASS))
            .map_err(|message| problems.add(CLASS, message))
            .ok();
        if let (Some(class_name), Some(grade)) = (&class_name, grade) {
            let digits: String = class_name
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            if let Ok(class_grade) = digits.parse::<u32>()
                && class_grade != u32::from(grade)
            {
                problems.add(
                    CLASS,
                    format!(
                        "lớp {class_name} thuộc khối {class_grade} nhưng cột “{GRADE}” ghi {grade}"
                    ),
                );
            }
        }
        let code_text = cell(PUPIL_CODE);
        let pupil_code = if code_text.is_empty() {
            None
        } else {
            match parse_code(&code_text, 30) {
                Ok(code) => {
                    match codes.get(&code) {
                        Some(first) => {
                            problems.add(PUPIL_CODE, format!("trùng mã học sinh với dòng {first}"))
                        }
                        None => {
                            codes.insert(code.clone(), row);
                        }
                    }
                    Some(code)
                }
                Err(message) => {
                    problems.add(PUPIL_CODE, message);
                    None
                }
            }
        };
        let year_text = cell(BIRTH_YEAR);
        let birth_year = if year_text.is_empty() {
            None
        } else if let Some(year) = year_of_birth(&year_text) {
            if let Some(grade) = grade {
                let (earliest, latest) = (
                    context.school_year - i32::from(grade) - 10,
                    context.school_year - i32::from(grade) - 3,
                );
                if !(earliest..=latest).contains(&year) {
                    problems.add(
                        BIRTH_YEAR,
                        format!(
                            "năm sinh {year} không hợp lý với khối {grade} năm học {}; học sinh khối {grade} thường sinh từ {earliest} đến {latest}",
                            school_year::label(context.school_year)
                        ),
                    );
                }
            }
            Some(year)
        } else {
            problems.add(
                BIRTH_YEAR,
                format!(
                    "“{year_text}” không phải năm sinh; ghi năm (4 chữ số), ví dụ 2013, hoặc ngày sinh dạng 15/03/2013 (chỉ năm được giữ lại)"
                ),
            );
            None
        };
        if let (Some(name), Some(class_name), None) = (&full_name, &class_name, &pupil_code)
            && (birth_year.is_some() || year_text.is_empty())
        {
            let key = (name.to_lowercase(), class_name.clone(), birth_year);
            match uncoded.get(&key) {
                Some(first) => problems.add(
                    FULL_NAME,
                    format!(
                        "trùng với dòng {first}; nếu là hai học sinh khác nhau, hãy ghi năm sinh hoặc mã học sinh"
                    ),
                ),
                None => {
                    uncoded.insert(key, row);
                }
            }
        }

        if !problems.is_empty() {
            errors.extend(problems.into_errors());
            continue;
        }
        let (Some(full_name), Some(class_name), Some(grade)) = (full_name, class_name, grade)
        else {
            unreachable!("every missing value was reported");
        };
        pupils.push(RosterRow {
            row,
            full_name,
            class_name,
            grade,
            pupil_code,
            birth_year,
        });
    }
    finish(
        errors,
        pupils,
        "tệp không có học sinh nào (ngoài dòng tiêu đề)",
    )
}

/// Refuses a file with a column of personal data the platform does not collect.
fn refuse_personal_data(header: &[String]) -> Result<(), Vec<ImportError>> {
    let errors: Vec<ImportError> = header
        .iter()
        .filter_map(|cell| {
            let folded = format!(" {} ", fold(cell));
            let (_, what) = PERSONAL_DATA.iter().find(|(words, _)| {
                words.iter().any(|w| folded.contains(&format!(" {w} ")))
            })?;
            Some(ImportError {
                row: 1,
                column: None,
                message: format!(
                    "tệp có cột “{}”: Khiên Số không thu thập {what} của học sinh vì các em chưa đủ 18 tuổi; hãy xóa cột này (và không chép sang cột khác) rồi tải tệp lên lại",
                    cell.trim()
                ),
            })
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// “nguyễn  văn AN” → “Nguyễn Văn An”: 2–80 characters, at least two words, letters with spaces,
/// apostrophes and hyphens; each word (and each part after ' or -) starts with a capital.
/// The year of a birth year (`2013`) or of a full date (`15/03/2013`, `15-3-2013`,
/// `2013-03-15` as Excel dates are read): only the year is kept, the least the platform needs.
fn year_of_birth(text: &str) -> Option<i32> {
    let text = text.trim();
    let four = |t: &str| {
        (t.len() == 4 && t.bytes().all(|b| b.is_ascii_digit()))
            .then(|| t.parse::<i32>().ok())
            .flatten()
    };
    if let Some(year) = four(text) {
        return Some(year);
    }
    let parts: Vec<&str> = text.split(['/', '-', '.']).map(str::trim).collect();
    let small = |t: &str, max: u32| {
        (1..=2).contains(&t.len())
            && t.bytes().all(|b| b.is_ascii_digit())
            && t.parse::<u32>().is_ok_and(|n| (1..=max).contains(&n))
    };
    match parts.as_slice() {
        [day, month, year] if small(day, 31) && small(month, 12) => four(year),
        [year, month, day] if small(day, 31) && small(month, 12) => four(year),
        _ => None,
    }
}

fn parse_full_name(text: &str) -> Result<String, String> {
    let name = collapse_spaces(text).replace(['’', 'ʼ', '‘'], "'");
    if name.is_empty() {
        return Err("để trống; ghi đầy đủ họ và tên học sinh".into());
    }
    if name.contains(',') {
        return Err(format!(
            "“{name}” có dấu phẩy; ghi họ và tên liền nhau, không có dấu phẩy, ví dụ Nguyễn Văn An"
        ));
    }
    let mut odd: Vec<char> = Vec::new();
    for c in name.chars() {
        let allowed = c.is_alphabetic() || matches!(c, ' ' | '\'' | '-');
        if !allowed && !odd.contains(&c) {
            odd.push(c);
        }
    }
    if !odd.is_empty() {
        return Err(format!(
            "“{name}” có ký tự không dùng trong tên: {}; chỉ ghi chữ cái, dấu cách, dấu nháy đơn (') hoặc gạch nối (-)",
            odd.iter()
                .map(|c| format!("“{c}”"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let length = name.chars().count();
    if !(2..=80).contains(&length) {
        return Err(format!(
            "“{name}” dài {length} ký tự; họ và tên cần từ 2 đến 80 ký tự"
        ));
    }
    let words: Vec<&str> = name.split(' ').collect();
    if words.iter().any(|w| {
        w.starts_with(['\'', '-'])
            || w.ends_with(['\'', '-'])
            || w.contains("--")
            || w.contains("''")
    }) {
        return Err(format!(
            "“{name}” không giống họ tên: dấu nháy đơn hoặc gạch nối phải nằm giữa hai chữ cái"
        ));
    }
    if words.len() < 2 {
        return Err(format!(
            "“{name}” mới có một từ; ghi đầy đủ họ và tên, ví dụ Nguyễn Văn An"
        ));
    }
    let mut titled = String::with_capacity(name.len());
    let mut start = true;
    for c in name.chars() {
        if start {
            titled.extend(c.to_uppercase());
        } else {
            titled.extend(c.to_lowercase());
        }
        start = matches!(c, ' ' | '\'' | '-');
    }
    Ok(titled)
}

/// “8a” or “Lớp 8a” → “8A”: 1–10 letters, digits, “/” or “-”.
fn parse_class(text: &str) -> Result<String, String> {
    let hint = "tên lớp gồm chữ, số, “/” hoặc “-”, không có dấu cách, tối đa 10 ký tự, ví dụ 8A, 10A1, 6/1";
    let text = match text.split_once(' ') {
        Some((first, rest)) if first.to_lowercase() == "lớp" => rest.trim_start(),
        _ => text,
    };
    if text.is_empty() {
        return Err(format!("để trống; {hint}"));
    }
    // Excel turns “6/1” typed in a General cell into a date.
    if text.len() == 10 && text.as_bytes()[4] == b'-' && text.as_bytes()[7] == b'-' {
        return Err(format!(
            "“{text}” là ngày tháng: Excel đã tự đổi tên lớp thành ngày; hãy định dạng cột “{CLASS}” là Văn bản (Text) rồi gõ lại tên lớp"
        ));
    }
    let valid = text.chars().count() <= 10
        && text
            .chars()
            .all(|c| c.is_alphanumeric() || c == '/' || c == '-');
    if valid {
        Ok(text.to_uppercase())
    } else {
        Err(format!("“{text}” không hợp lệ; {hint}"))
    }
}

/// “8” or “Khối 8”.
fn parse_grade(text: &str) -> Option<u8> {
    let folded = fold(text);
    let number = folded.strip_prefix("khoi ").unwrap_or(&folded);
    if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    number.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &[u8] = include_bytes!("../../../content/templates/danh-sach-lop.csv");
    const HEADER: &str = "họ và tên,lớp,khối,mã học sinh,năm sinh";

    fn thcs() -> RosterContext {
        RosterContext {
            school_levels: vec![SchoolLevel::Thcs],
            school_year: 2026,
        }
    }

    fn file(rows: &[&str]) -> Vec<u8> {
        let mut text = HEADER.to_owned();
        for row in rows {
            text.push('\n');
            text.push_str(row);
        }
        text.push('\n');
        text.into_bytes()
    }

    fn parse(rows: &[&str]) -> Result<Vec<RosterRow>, Vec<ImportError>> {
        parse_roster("lop.csv", &file(rows), &thcs())
    }

    fn errors(rows: &[&str]) -> Vec<String> {
        parse(rows)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn the_downloadable_template_is_itself_valid() {
        assert!(TEMPLATE.starts_with(b"\xef\xbb\xbf"), "BOM for Excel");
        let pupils = parse_roster("danh-sach-lop.csv", TEMPLATE, &thcs()).unwrap();
        assert_eq!(pupils.len(), 3);
        assert_eq!(pupils[0].full_name, "Nguyễn Văn An");
        assert_eq!(pupils[1].pupil_code.as_deref(), Some("VD-HS-0002"));
    }

    #[test]
    fn a_good_csv_gives_normalised_pupils() {
        // “Nguyễn” decomposed (NFD) and spaced out; a class with a lower-case letter.
        let pupils = parse(&[
            "  nguye\u{0302}\u{0303}n   văn AN ,8a, 8 ,,2012",
            "TRẦN THỊ BÌNH,Lớp 8A,Khối 8,hs-02,",
            "h'hen niê,6/1,6,,2015",
            "Lê Thị-Mai Anh,9-2,9,,",
        ])
        .unwrap();
        assert_eq!(
            pupils[0],
            RosterRow {
                row: 2,
                full_name: "Nguyễn Văn An".into(),
                class_name: "8A".into(),
                grade: 8,
                pupil_code: None,
                birth_year: Some(2012),
            }
        );
        assert_eq!(
            (pupils[1].full_name.as_str(), pupils[1].class_name.as_str()),
            ("Trần Thị Bình", "8A")
        );
        assert_eq!(pupils[1].pupil_code.as_deref(), Some("HS-02"));
        assert_eq!(pupils[1].birth_year, None);
        assert_eq!(pupils[2].full_name, "H'Hen Niê");
        assert_eq!(pupils[2].class_name, "6/1");
        assert_eq!(pupils[3].full_name, "Lê Thị-Mai Anh");
    }

    #[test]
    fn a_byte_order_mark_makes_no_difference() {
        let plain = file(&["Nguyễn Văn An,8A,8,,"]);
        let mut with_bom = b"\xef\xbb\xbf".to_vec();
        with_bom.extend(&plain);
        assert_eq!(
            parse_roster("a.csv", &plain, &thcs()).unwrap(),
            parse_roster("b.csv", &with_bom, &thcs()).unwrap()
        );
    }

    #[test]
    fn a_csv_in_another_encoding_is_refused() {
        // “họ và tên” in Windows-1258 is not UTF-8.
        let errors =
            parse_roster("lop.csv", b"h\xf2\xf2 v\xe0 t\xean,l\xf4p\n", &thcs()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(errors[0].message.contains("UTF-8"), "{errors:?}");
    }

    #[test]
    fn an_xlsx_sheet_is_read_like_the_csv() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (c, name) in ["STT", "Họ và tên", "Lớp", "Khối", "Năm sinh"]
            .iter()
            .enumerate()
        {
            sheet.write_string(0, c as u16, *name).unwrap();
        }
        sheet.write_number(1, 0, 1.0).unwrap();
        sheet.write_string(1, 1, "Phạm Gia Huy").unwrap();
        sheet.write_string(1, 2, "7B").unwrap();
        sheet.write_number(1, 3, 7.0).unwrap();
        sheet.write_number(1, 4, 2013.0).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let pupils = parse_roster("lop-7b.xlsx", &bytes, &thcs()).unwrap();
        assert_eq!(
            pupils,
            vec![RosterRow {
                row: 2,
                full_name: "Phạm Gia Huy".into(),
                class_name: "7B".into(),
                grade: 7,
                pupil_code: None,
                birth_year: Some(2013),
            }]
        );
    }

    #[test]
    fn a_missing_required_column_is_named() {
        let errors = parse_roster(
            "lop.csv",
            "họ và tên,năm sinh\nNguyễn Văn An,2012\n".as_bytes(),
            &thcs(),
        )
        .unwrap_err();
        let errors: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            errors,
            vec![
                "dòng 1: thiếu cột “lớp”".to_string(),
                "dòng 1: thiếu cột “khối”".to_string()
            ]
        );
    }

    #[test]
    fn an_unknown_column_is_refused() {
        let errors = parse_roster(
            "lop.csv",
            "họ và tên,lớp,khối,sở thích\nNguyễn Văn An,8A,8,cờ vua\n".as_bytes(),
            &thcs(),
        )
        .unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "dòng 1: cột “sở thích” không có trong mẫu danh-sach-lop.csv; hãy xóa cột này hoặc sửa tên cột cho đúng mẫu"
        );
    }

    #[test]
    fn a_column_of_phone_numbers_email_or_identity_numbers_refuses_the_file() {
        for header in [
            "Số điện thoại",
            "Điện thoại phụ huynh",
            "SĐT",
            "Email",
            "E-mail",
            "CCCD",
            "Số căn cước",
            "CMND",
            "Mã định danh",
            "Địa chỉ",
        ] {
            let bytes = format!("họ và tên,lớp,khối,{header}\nNguyễn Văn An,8A,8,x\n");
            let errors = parse_roster("lop.csv", bytes.as_bytes(), &thcs()).unwrap_err();
            assert_eq!(errors.len(), 1, "{header}: {errors:?}");
            let message = errors[0].to_string();
            assert!(
                message.starts_with(&format!(
                    "dòng 1: tệp có cột “{header}”: Khiên Số không thu thập"
                )) && message.contains("chưa đủ 18 tuổi")
                    && message.contains("hãy xóa cột này"),
                "{header}: {message}"
            );
        }
        let errors = parse_roster(
            "lop.csv",
            "họ và tên,lớp,khối,Số điện thoại\n".as_bytes(),
            &thcs(),
        )
        .unwrap_err();
        assert_eq!(
            errors[0].message,
            "tệp có cột “Số điện thoại”: Khiên Số không thu thập số điện thoại của học sinh vì các em chưa đủ 18 tuổi; hãy xóa cột này (và không chép sang cột khác) rồi tải tệp lên lại"
        );
    }

    #[test]
    fn a_column_of_full_birth_dates_keeps_only_the_year() {
        let bytes = "họ và tên,lớp,khối,Ngày sinh\nNguyễn Văn An,8A,8,15/03/2012\nTrần Thị Bình,8A,8,2012-11-02\nLê Văn Cường,8A,8,2012\n";
        let pupils = parse_roster("lop.csv", bytes.as_bytes(), &thcs()).unwrap();
        let years: Vec<Option<i32>> = pupils.iter().map(|p| p.birth_year).collect();
        assert_eq!(years, [Some(2012), Some(2012), Some(2012)]);
        let bytes = "họ và tên,lớp,khối,Ngày sinh\nNguyễn Văn An,8A,8,31/13/2012\n";
        let errors = parse_roster("lop.csv", bytes.as_bytes(), &thcs()).unwrap_err();
        assert!(
            errors[0].to_string().contains("chỉ năm được giữ lại"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_name_with_a_comma_is_explained_plainly() {
        let bytes = "họ và tên,lớp,khối\n\"Nguyễn, Văn An\",8A,8\n";
        let errors = parse_roster("lop.csv", bytes.as_bytes(), &thcs()).unwrap_err();
        assert!(
            errors[0]
                .to_string()
                .contains("có dấu phẩy; ghi họ và tên liền nhau"),
            "{errors:?}"
        );
    }

    #[test]
    fn harmless_columns_are_not_mistaken_for_personal_data() {
        let bytes = "STT,Họ và tên,Lớp,Khối,Mã HS,Năm sinh,Ghi chú\n1,Nguyễn Văn An,8A,8,VD-1,2012,lớp trưởng\n";
        let pupils = parse_roster("lop.csv", bytes.as_bytes(), &thcs()).unwrap();
        assert_eq!(pupils[0].pupil_code.as_deref(), Some("VD-1"));
    }

    #[test]
    fn every_kind_of_bad_value_names_its_row_and_column() {
        let cases: &[(&str, &str)] = &[
            (
                ",8A,8,,",
                "cột “họ và tên”: để trống; ghi đầy đủ họ và tên học sinh",
            ),
            (
                "An,8A,8,,",
                "cột “họ và tên”: “An” mới có một từ; ghi đầy đủ họ và tên, ví dụ Nguyễn Văn An",
            ),
            (
                "Nguyễn Văn An 2,8A,8,,",
                "cột “họ và tên”: “Nguyễn Văn An 2” có ký tự không dùng trong tên: “2”; chỉ ghi chữ cái, dấu cách, dấu nháy đơn (') hoặc gạch nối (-)",
            ),
            (
                "Nguyễn Văn (An),8A,8,,",
                "cột “họ và tên”: “Nguyễn Văn (An)” có ký tự không dùng trong tên: “(”, “)”;",
            ),
            (
                "an@mail Văn,8A,8,,",
                "cột “họ và tên”: “an@mail Văn” có ký tự không dùng trong tên: “@”;",
            ),
            (
                "Nguyễn - An,8A,8,,",
                "cột “họ và tên”: “Nguyễn - An” không giống họ tên",
            ),
            (
                "Nguyễn Văn' An,8A,8,,",
                "cột “họ và tên”: “Nguyễn Văn' An” không giống họ tên",
            ),
            (
                "Nguyễn Văn An,,8,,",
                "cột “lớp”: để trống; tên lớp gồm chữ, số",
            ),
            (
                "Nguyễn Văn An,8 A,8,,",
                "cột “lớp”: “8 A” không hợp lệ; tên lớp gồm chữ, số, “/” hoặc “-”, không có dấu cách, tối đa 10 ký tự, ví dụ 8A, 10A1, 6/1",
            ),
            ("Nguyễn Văn An,8A.1,8,,", "cột “lớp”: “8A.1” không hợp lệ"),
            (
                "Nguyễn Văn An,8ABCDEFGHIJ,8,,",
                "cột “lớp”: “8ABCDEFGHIJ” không hợp lệ",
            ),
            (
                "Nguyễn Văn An,2026-01-06,6,,",
                "cột “lớp”: “2026-01-06” là ngày tháng: Excel đã tự đổi tên lớp thành ngày",
            ),
            (
                "Nguyễn Văn An,8A,,,",
                "cột “khối”: để trống; ghi khối lớp: 6, 7, 8, 9",
            ),
            (
                "Nguyễn Văn An,8A,tám,,",
                "cột “khối”: “tám” không phải số khối; ghi một trong các khối 6, 7, 8, 9",
            ),
            (
                "Nguyễn Văn An,10A1,10,,",
                "cột “khối”: trường không có khối 10; ghi một trong các khối 6, 7, 8, 9",
            ),
            (
                "Nguyễn Văn An,8A,9,,",
                "cột “lớp”: lớp 8A thuộc khối 8 nhưng cột “khối” ghi 9",
            ),
            (
                "Nguyễn Văn An,8A,8,HS 01,",
                "cột “mã học sinh”: “HS 01” không hợp lệ; mã chỉ gồm chữ cái không dấu, chữ số, “-” hoặc “_”, tối đa 30 ký tự",
            ),
            (
                "Nguyễn Văn An,8A,8,,12",
                "cột “năm sinh”: “12” không phải năm sinh; ghi năm (4 chữ số), ví dụ 2013, hoặc ngày sinh dạng 15/03/2013 (chỉ năm được giữ lại)",
            ),
            (
                "Nguyễn Văn An,8A,8,,2016",
                "cột “năm sinh”: năm sinh 2016 không hợp lý với khối 8 năm học 2026–2027; học sinh khối 8 thường sinh từ 2008 đến 2015",
            ),
            (
                "Nguyễn Văn An,8A,8,,2007",
                "cột “năm sinh”: năm sinh 2007 không hợp lý với khối 8",
            ),
        ];
        for (row, expected) in cases {
            let errors = errors(&["Trần Thị Bình,8A,8,,", row]);
            let expected = format!("dòng 3, {expected}");
            assert!(
                errors.len() == 1 && errors[0].starts_with(&expected),
                "{row}: expected “{expected}”, got {errors:?}"
            );
        }
        let long = format!("Nguyễn {},8A,8,,", "A".repeat(80));
        assert!(errors(&[&long])[0].contains("dài 87 ký tự; họ và tên cần từ 2 đến 80 ký tự"));
    }

    #[test]
    fn birth_years_at_the_edges_of_the_plausible_range_are_accepted() {
        let pupils = parse(&["Nguyễn Văn An,8A,8,,2008", "Nguyễn Văn Bình,8A,8,,2015"]).unwrap();
        assert_eq!(pupils.len(), 2);
    }

    #[test]
    fn all_the_errors_of_a_file_are_collected_and_sorted_by_row() {
        let errors = errors(&[
            "Nguyễn Văn An,8A,8,,",
            "Bình,8A,13,,",
            ",,,,",
            "Lê Văn Cường,7A,8,,1990",
        ]);
        let places: Vec<&str> = errors
            .iter()
            .map(|e| e.split(':').next().unwrap())
            .collect();
        assert_eq!(
            places,
            vec![
                "dòng 3, cột “họ và tên”",
                "dòng 3, cột “khối”",
                "dòng 5, cột “lớp”",
                "dòng 5, cột “năm sinh”",
            ]
        );
    }

    #[test]
    fn the_same_pupil_twice_is_reported_unless_told_apart() {
        let errors = errors(&[
            "Nguyễn Văn An,8A,8,,",
            "Trần Thị Bình,8A,8,,2012",
            "nguyễn văn an,8a,8,,",
            "Trần Thị Bình,8A,8,,2012",
        ]);
        let hint = "nếu là hai học sinh khác nhau, hãy ghi năm sinh hoặc mã học sinh";
        assert_eq!(
            errors,
            vec![
                format!("dòng 4, cột “họ và tên”: trùng với dòng 2; {hint}"),
                format!("dòng 5, cột “họ và tên”: trùng với dòng 3; {hint}"),
            ]
        );
        // Different birth years, a pupil code, or another class tell two pupils apart.
        let pupils = parse(&[
            "Nguyễn Văn An,8A,8,,2012",
            "Nguyễn Văn An,8A,8,,2013",
            "Nguyễn Văn An,8A,8,,",
            "Nguyễn Văn An,8A,8,VD-7,",
            "Nguyễn Văn An,8B,8,,",
        ])
        .unwrap();
        assert_eq!(pupils.len(), 5);
    }

    #[test]
    fn a_pupil_code_may_appear_only_once() {
        assert_eq!(
            errors(&["Nguyễn Văn An,8A,8,VD-1,", "Trần Thị Bình,8B,8,vd-1,"]),
            vec!["dòng 3, cột “mã học sinh”: trùng mã học sinh với dòng 2".to_string()]
        );
    }

    #[test]
    fn a_lien_cap_school_accepts_the_grades_of_all_its_levels() {
        let context = RosterContext {
            school_levels: vec![SchoolLevel::TieuHoc, SchoolLevel::Thcs],
            school_year: 2026,
        };
        let bytes = file(&["Nguyễn Văn An,1A,1,,2019", "Trần Thị Bình,9A,9,,2011"]);
        assert_eq!(parse_roster("lop.csv", &bytes, &context).unwrap().len(), 2);
        let bytes = file(&["Nguyễn Văn An,10A,10,,"]);
        let errors = parse_roster("lop.csv", &bytes, &context).unwrap_err();
        assert_eq!(
            errors[0].message,
            "trường không có khối 10; ghi một trong các khối 1, 2, 3, 4, 5, 6, 7, 8, 9"
        );
    }

    #[test]
    fn a_school_without_general_education_grades_cannot_import_a_roster() {
        let context = RosterContext {
            school_levels: vec![SchoolLevel::DaiHoc],
            school_year: 2026,
        };
        let errors =
            parse_roster("lop.csv", &file(&["Nguyễn Văn An,8A,8,,"]), &context).unwrap_err();
        assert_eq!(errors[0].row, 0);
    }

    #[test]
    fn a_file_without_pupils_is_refused() {
        assert_eq!(
            parse(&[",,,,", ""]).unwrap_err()[0].to_string(),
            "tệp không có học sinh nào (ngoài dòng tiêu đề)"
        );
    }
}
