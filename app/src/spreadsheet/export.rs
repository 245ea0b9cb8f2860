//! Tables people download, as CSV (UTF-8 with BOM, so Excel reads Vietnamese correctly) or XLSX.
//! A text cell has its formula characters neutralised, whichever format: a name such as
//! `=HYPERLINK(…)` typed by anyone must never run in the spreadsheet of the person who exports it.
//! Counts and percentages are numbers in XLSX (a department sums them in Excel), the percentage
//! formatted as one.

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

/// One cell of a download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cell {
    /// Text, written as text (never a formula).
    Text(String),
    /// A count: a number in XLSX.
    Count(u64),
    /// A share in tenths of a percent (rounded half up): a number formatted “0.0%” in XLSX,
    /// “14,3%” in CSV.
    Percent(u32),
    /// Points in hundredths: a number in XLSX (7.33), “7,33” in CSV.
    Points(u32),
}

impl Cell {
    /// The cell as CSV text.
    fn text(&self) -> String {
        match self {
            Cell::Text(text) => neutralise_formula(text),
            Cell::Count(n) => n.to_string(),
            Cell::Percent(permille) => crate::i18n::percent_text(*permille),
            Cell::Points(hundredths) => crate::i18n::points_text(*hundredths),
        }
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

/// A table to download: a header row and rows of cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Table {
    /// The worksheet name in XLSX (at most 31 characters; longer names are cut).
    pub sheet: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
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

    /// Adds a row of text cells (neutralised when written, not here).
    pub fn push(&mut self, row: Vec<String>) {
        self.rows.push(row.into_iter().map(Cell::Text).collect());
    }

    /// Adds a row of typed cells.
    pub fn push_cells(&mut self, row: Vec<Cell>) {
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
            let header = self.header.iter().map(|c| neutralise_formula(c));
            let rows = self
                .rows
                .iter()
                .map(|row| row.iter().map(Cell::text).collect::<Vec<_>>());
            for row in std::iter::once(header.collect::<Vec<_>>()).chain(rows) {
                writer.write_record(row).map_err(|e| {
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

    /// XLSX: text cells written as text (never formulas), counts and percentages as numbers,
    /// bold header frozen at the top, columns fitted to their content.
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
        let percent = CellFormat::new().set_num_format("0.0%");
        for (col, cell) in self.header.iter().enumerate() {
            sheet
                .write_string_with_format(0, col as u16, neutralise_formula(cell), &bold)
                .map_err(failed)?;
        }
        for (r, row) in self.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (col, cell) in row.iter().enumerate() {
                let col = col as u16;
                match cell {
                    Cell::Text(text) if text.is_empty() => {}
                    Cell::Text(text) => {
                        sheet
                            .write_string(r, col, neutralise_formula(text))
                            .map_err(failed)?;
                    }
                    Cell::Count(n) => {
                        sheet.write_number(r, col, *n as f64).map_err(failed)?;
                    }
                    Cell::Points(hundredths) => {
                        sheet
                            .write_number(r, col, f64::from(*hundredths) / 100.0)
                            .map_err(failed)?;
                    }
                    Cell::Percent(permille) => {
                        sheet
                            .write_number_with_format(
                                r,
                                col,
                                f64::from(*permille) / 1000.0,
                                &percent,
                            )
                            .map_err(failed)?;
                    }
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
    fn counts_and_percentages_are_numbers_in_xlsx_and_vietnamese_text_in_csv() {
        use calamine::{Data, Reader, Xlsx};
        let mut t = Table::new("Phủ sóng", &["trường", "sĩ số", "tỷ lệ"]);
        t.push_cells(vec![
            Cell::Text("THCS A".into()),
            Cell::Count(7),
            Cell::Percent(143),
        ]);
        let csv = String::from_utf8(t.to_csv().unwrap()).unwrap();
        assert!(csv.contains("THCS A,7,\"14,3%\""), "{csv}");
        let bytes = t.to_xlsx().unwrap();
        let mut book: Xlsx<_> =
            calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
        let range = book.worksheet_range("Phủ sóng").unwrap();
        assert_eq!(range.get((1, 1)), Some(&Data::Float(7.0)));
        assert_eq!(range.get((1, 2)), Some(&Data::Float(0.143)));
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
