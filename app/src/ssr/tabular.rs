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
        match (self.row, self.column) {
            (0, _) => write!(f, "{}", self.message),
            (row, Some(column)) => write!(f, "dòng {row}, cột “{column}”: {}", self.message),
            (row, None) => write!(f, "dòng {row}: {}", self.message),
        }
    }
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
                .from_reader(text.as_bytes());
            let mut rows = Vec::new();
            for (i, record) in reader.records().enumerate() {
                let record = record.map_err(|e| {
                    vec![ImportError {
                        row: i + 1,
                        column: None,
                        message: format!("dòng CSV không đọc được: {e}"),
                    }]
                })?;
                rows.push(record.iter().map(str::to_owned).collect());
            }
            Ok(rows)
        }
        "xlsx" | "xlsm" => {
            use calamine::{Data, Reader, Xlsx};
            let mut workbook = Xlsx::new(std::io::Cursor::new(bytes))
                .map_err(|e| file_error(format!("không mở được tệp Excel: {e}")))?;
            let range = workbook
                .worksheet_range_at(0)
                .ok_or_else(|| file_error("tệp Excel không có trang tính nào"))?
                .map_err(|e| file_error(format!("không đọc được trang tính đầu tiên: {e}")))?;
            Ok(range
                .rows()
                .map(|row| {
                    row.iter()
                        .map(|cell| match cell {
                            Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
                            Data::Empty => String::new(),
                            Data::DateTime(d) => d
                                .as_datetime()
                                .map(|t| t.format("%Y-%m-%d").to_string())
                                .unwrap_or_else(|| d.to_string()),
                            other => other.to_string(),
                        })
                        .collect()
                })
                .collect())
        }
        "xls" => Err(file_error(
            "tệp .xls (Excel 97–2003) không được hỗ trợ; trong Excel hãy chọn “Lưu thành” → “Sổ làm việc Excel (.xlsx)”",
        )),
        _ => Err(file_error("chỉ nhận tệp .csv (UTF-8) hoặc .xlsx")),
    }
}
