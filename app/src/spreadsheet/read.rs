//! Reading spreadsheets people upload (CSV in UTF-8 with or without BOM, or XLSX) into rows of
//! text cells, and the error type every import uses: a Vietnamese message naming row and column.

use std::fmt;
use std::path::Path;

/// One problem in the imported file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportError {
    /// Spreadsheet row (the header is row 1); 0 for the file as a whole.
    pub row: usize,
    pub column: Option<&'static str>,
    pub message: String,
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A message quotes the value it is about; a huge cell must not make a huge report.
        let message = clip(&self.message, MAX_MESSAGE_CHARS);
        match (self.row, self.column) {
            (0, _) => write!(f, "{message}"),
            (row, Some(column)) => write!(f, "dòng {row}, cột “{column}”: {message}"),
            (row, None) => write!(f, "dòng {row}: {message}"),
        }
    }
}

/// Characters of one error message shown.
const MAX_MESSAGE_CHARS: usize = 400;
/// Errors listed in one import report; the rest are counted.
pub const MAX_REPORTED_ERRORS: usize = 200;

/// The errors as report lines: at most [`MAX_REPORTED_ERRORS`], then how many more there are.
pub fn report_lines(errors: &[ImportError]) -> Vec<String> {
    let mut lines: Vec<String> = errors
        .iter()
        .take(MAX_REPORTED_ERRORS)
        .map(ToString::to_string)
        .collect();
    if errors.len() > MAX_REPORTED_ERRORS {
        lines.push(format!(
            "… và {} lỗi khác; hãy sửa các lỗi trên rồi tải tệp lên lại để xem tiếp.",
            errors.len() - MAX_REPORTED_ERRORS
        ));
    }
    lines
}

pub use crate::spreadsheet::xlsx::{MAX_CELL_CHARS, MAX_COLUMNS, MAX_ROWS};
const MAX_ROWS_TEXT: &str = "20.000";
const MAX_CELL_CHARS_TEXT: &str = "2.000";

/// At most `max` characters of `text`, with “…” when cut: values quoted in error messages stay
/// short however long the cell is.
pub fn clip(text: &str, max: usize) -> String {
    let mut out: String = text.chars().filter(|c| !c.is_control()).take(max).collect();
    if text.chars().count() > max {
        out.push('…');
    }
    out
}

pub fn file_error(message: impl Into<String>) -> Vec<ImportError> {
    vec![ImportError {
        row: 0,
        column: None,
        message: message.into(),
    }]
}

/// Reads the cells of a CSV (UTF-8, with or without BOM) or XLSX file (first sheet).
pub fn read_rows(path: &Path) -> Result<Vec<Vec<String>>, Vec<ImportError>> {
    let bytes = std::fs::read(path).map_err(|e| file_error(format!("không đọc được tệp: {e}")))?;
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    read_table(name, &bytes)
}

/// The separator of a CSV file, from its first line: Excel with Vietnamese regional settings
/// writes `;` (the comma is the decimal mark there), other programs `,`, some a tab. The one that
/// occurs most outside quotes wins; a tie keeps the comma.
fn delimiter_of(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let (mut commas, mut semicolons, mut tabs, mut quoted) = (0, 0, 0, false);
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => commas += 1,
            ';' if !quoted => semicolons += 1,
            '\t' if !quoted => tabs += 1,
            _ => {}
        }
    }
    if semicolons > commas && semicolons >= tabs {
        b';'
    } else if tabs > commas && tabs > semicolons {
        b'\t'
    } else {
        b','
    }
}

/// Reads the cells of an uploaded file; the kind is taken from the file name's extension.
pub fn read_table(file_name: &str, bytes: &[u8]) -> Result<Vec<Vec<String>>, Vec<ImportError>> {
    let extension = Path::new(file_name)
        .extension()
        .and_then(|e| e.to_str())
        .map(|e| e.to_ascii_lowercase())
        .unwrap_or_default();
    match extension.as_str() {
        "csv" => {
            let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            let text = std::str::from_utf8(bytes).map_err(|_| {
                file_error("tệp CSV không dùng bảng mã UTF-8; trong Excel hãy chọn “Lưu thành” → “CSV UTF-8 (Comma delimited)”")
            })?;
            let mut reader = csv::ReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .delimiter(delimiter_of(text))
                .from_reader(text.as_bytes());
            let mut rows = Vec::new();
            for (i, record) in reader.records().enumerate() {
                if i >= MAX_ROWS {
                    return Err(file_error(format!(
                        "tệp có hơn {} dòng; mỗi tệp chỉ được có tối đa {} dòng — hãy chia thành nhiều tệp",
                        MAX_ROWS_TEXT, MAX_ROWS_TEXT
                    )));
                }
                let record = record.map_err(|e| {
                    vec![ImportError {
                        row: i + 1,
                        column: None,
                        message: format!("dòng CSV không đọc được: {e}"),
                    }]
                })?;
                if record.len() > MAX_COLUMNS {
                    return Err(vec![ImportError {
                        row: i + 1,
                        column: None,
                        message: format!(
                            "dòng có {} cột; tệp chỉ được có tối đa {MAX_COLUMNS} cột",
                            record.len()
                        ),
                    }]);
                }
                if let Some(long) = record.iter().find(|c| c.chars().count() > MAX_CELL_CHARS) {
                    return Err(vec![ImportError {
                        row: i + 1,
                        column: None,
                        message: format!(
                            "một ô dài hơn {MAX_CELL_CHARS_TEXT} ký tự (“{}”)",
                            clip(long, 40)
                        ),
                    }]);
                }
                rows.push(record.iter().map(str::to_owned).collect());
            }
            Ok(rows)
        }
        "xlsx" | "xlsm" => {
            let sheets = crate::spreadsheet::xlsx::read_workbook(
                bytes,
                crate::spreadsheet::xlsx::Limits::default(),
            )
            .map_err(|e| file_error(e.0))?;
            let mut filled: Vec<crate::spreadsheet::xlsx::Sheet> =
                sheets.into_iter().filter(|s| !s.is_blank()).collect();
            match filled.len() {
                0 => Err(file_error("tệp Excel không có dữ liệu")),
                1 => Ok(filled.remove(0).rows),
                _ => Err(file_error(format!(
                    "tệp Excel có dữ liệu ở {} trang tính ({}); mỗi lần chỉ nhập được một trang: hãy chép các dòng vào một trang hoặc lưu mỗi trang thành một tệp",
                    filled.len(),
                    filled
                        .iter()
                        .map(|s| format!("“{}”", clip(&s.name, 40)))
                        .collect::<Vec<_>>()
                        .join(", ")
                ))),
            }
        }
        "xls" => Err(file_error(
            "tệp .xls (Excel 97–2003) không được hỗ trợ; trong Excel hãy chọn “Lưu thành” → “Sổ làm việc Excel (.xlsx)”",
        )),
        _ => Err(file_error("chỉ nhận tệp .csv (UTF-8) hoặc .xlsx")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_files_from_excel_with_vietnamese_settings_use_semicolons_and_are_read_alike() {
        let comma = "họ và tên,ngày sinh\nNguyễn Văn An,\"12/3/2013\"\n";
        let semicolon = "họ và tên;ngày sinh\r\nNguyễn Văn An;12/3/2013\r\n";
        let tab = "họ và tên\tngày sinh\nNguyễn Văn An\t12/3/2013\n";
        let expected = vec![
            vec!["họ và tên".to_owned(), "ngày sinh".to_owned()],
            vec!["Nguyễn Văn An".to_owned(), "12/3/2013".to_owned()],
        ];
        for text in [comma, semicolon, tab] {
            assert_eq!(
                read_table("lop.csv", text.as_bytes()).unwrap(),
                expected,
                "{text:?}"
            );
        }
        // A semicolon inside a quoted cell of a comma file does not decide.
        let quoted = "tên,ghi chú\n\"A; B; C\",x\n";
        assert_eq!(
            read_table("lop.csv", quoted.as_bytes()).unwrap()[1],
            vec!["A; B; C".to_owned(), "x".to_owned()]
        );
        assert_eq!(delimiter_of("\"a;b;c\",d,e\n"), b',');
    }
}
