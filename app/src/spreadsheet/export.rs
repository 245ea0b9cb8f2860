//! Tables people download, as CSV (UTF-8 with BOM, so Excel reads Vietnamese correctly) or XLSX.
//! Every cell is text with formula characters neutralised, whichever format: a name such as
//! `=HYPERLINK(…)` typed by anyone must never run in the spreadsheet of the person who exports it.

use crate::error::AppError;

/// Prefixes a cell that a spreadsheet would read as a formula with `'`.
pub fn neutralise_formula(cell: &str) -> String {
    if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{cell}")
    } else {
        cell.to_owned()
    }
}

/// The file formats of a download.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The file name extension.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    /// The `Content-Type` of the download.
    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// A table to download: a header row and rows of text cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The worksheet name in XLSX (at most 31 characters; longer names are cut).
    pub sheet: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// A table with a sheet name and a header.
    pub fn new(sheet: &str, header: &[&str]) -> Table {
        Table {
            sheet: sheet.to_owned(),
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    /// Adds a row (cells are neutralised when written, not here).
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row);
    }

    /// The file in the given format.
    pub fn render(&self, format: Format) -> Result<Vec<u8>, AppError> {
        match format {
            Format::Csv => self.to_csv(),
            Format::Xlsx => self.to_xlsx(),
        }
    }

    /// CSV, UTF-8 with BOM.
    pub fn to_csv(&self) -> Result<Vec<u8>, AppError> {
        let mut out = Vec::from(b"\xef\xbb\xbf".as_slice());
        {
            let mut writer = csv::Writer::from_writer(&mut out);
            for row in std::iter::once(&self.header).chain(&self.rows) {
                writer
                    .write_record(row.iter().map(|c| neutralise_formula(c)))
                    .map_err(|e| {
                        tracing::error!(%e, "CSV export failed");
                        AppError::Internal
                    })?;
            }
            writer
                .flush()
                .map_err(|e| AppError::internal("writing a CSV export", e))?;
        }
        Ok(out)
    }

    /// XLSX: cells written as text (never formulas), bold header frozen at the top, columns
    /// fitted to their content.
    pub fn to_xlsx(&self) -> Result<Vec<u8>, AppError> {
        use rust_xlsxwriter::{Format as CellFormat, Workbook};
        let failed = |e: rust_xlsxwriter::XlsxError| {
            tracing::error!(%e, "XLSX export failed");
            AppError::Internal
        };
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let name: String = self
            .sheet
            .chars()
            .filter(|c| !"[]:*?/\\".contains(*c))
            .take(31)
            .collect();
        if !name.is_empty() {
            sheet.set_name(name).map_err(failed)?;
        }
        let bold = CellFormat::new().set_bold();
        for (col, cell) in self.header.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, neutralise_formula(cell), &bold)
                .map_err(failed)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            for (col, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    sheet
                        .write_string(r as u32 + 1, col as u16, neutralise_formula(cell))
                        .map_err(failed)?;
                }
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(failed)?;
        sheet.autofit();
        workbook.save_to_buffer().map_err(failed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        let mut t = Table::new("Học sinh", &["họ và tên", "điểm"]);
        t.push(vec!["=HYPERLINK(\"x\")".to_owned(), "8".to_owned()]);
        t.push(vec!["Nguyễn Văn An".to_owned(), String::new()]);
        t
    }

    #[test]
    fn csv_starts_with_a_bom_and_neutralises_formulas() {
        let csv = String::from_utf8(table().to_csv().unwrap()).unwrap();
        assert!(csv.starts_with('\u{feff}'));
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""), "{csv}");
        assert!(csv.contains("Nguyễn Văn An,"));
    }

    #[test]
    fn xlsx_reads_back_as_text_with_formulas_neutralised() {
        use calamine::{Data, Reader, Xlsx};
        let bytes = table().to_xlsx().unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        assert_eq!(book.sheet_names(), vec!["Học sinh".to_owned()]);
        let range = book.worksheet_range("Học sinh").unwrap();
        assert_eq!(range.get((0, 0)), Some(&Data::String("họ và tên".into())));
        assert_eq!(
            range.get((1, 0)),
            Some(&Data::String("'=HYPERLINK(\"x\")".into()))
        );
        assert_eq!(
            range.get((2, 0)),
            Some(&Data::String("Nguyễn Văn An".into()))
        );
        let formulas = book.worksheet_formula("Học sinh").unwrap();
        assert!(
            formulas.cells().all(|(_, _, f)| f.is_empty()),
            "no formulas"
        );
    }
}
