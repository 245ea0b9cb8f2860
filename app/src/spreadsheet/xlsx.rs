//! Reading the cells of an uploaded XLSX workbook without trusting anything the file declares.
//!
//! Spreadsheet readers that build a whole workbook model reserve memory from numbers written in
//! the file (`uniqueCount` of the shared strings, the rectangle from `A1` to the last cell) before
//! checking them; a 10 KB file can ask for terabytes, and a failed allocation aborts the process.
//! This reader streams the package parts with `zip` and `quick-xml` and allocates only for what it
//! has actually read, within [`Limits`]: every part is decompressed through a byte budget, cells
//! are kept sparse and checked against the row and column caps before anything is sized from
//! them, and declared counts are ignored.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use std::collections::{BTreeMap, HashMap};
use std::io::{Cursor, Read};

/// Rows a file may have (header included), whatever its kind (CSV files too).
pub const MAX_ROWS: usize = 20_000;
/// Columns a row may have.
pub const MAX_COLUMNS: usize = 100;
/// Characters one cell may have.
pub const MAX_CELL_CHARS: usize = 2_000;

/// What one upload may contain. The defaults fit a province's school directory (about 2,000
/// schools) and the largest school's whole pupil list many times over.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// Rows per sheet (the header included).
    pub max_rows: usize,
    /// Columns per sheet (A = 1).
    pub max_columns: usize,
    /// Characters in one cell.
    pub max_cell_chars: usize,
    /// Bytes of one part once decompressed.
    pub max_part_bytes: u64,
    /// Bytes of every part read, once decompressed.
    pub max_total_bytes: u64,
    /// Entries in the zip package.
    pub max_entries: usize,
    /// Shared strings.
    pub max_shared_strings: usize,
    /// Worksheets.
    pub max_sheets: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: MAX_ROWS,
            max_columns: MAX_COLUMNS,
            max_cell_chars: MAX_CELL_CHARS,
            max_part_bytes: 40 * 1024 * 1024,
            max_total_bytes: 80 * 1024 * 1024,
            max_entries: 2_000,
            max_shared_strings: 500_000,
            max_sheets: 100,
        }
    }
}

/// One worksheet's cells as text, row by row (row 1 first; rows are as long as their last cell).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    pub name: String,
    pub rows: Vec<Vec<String>>,
}

impl Sheet {
    /// Whether no cell of the sheet has any text.
    pub fn is_blank(&self) -> bool {
        self.rows
            .iter()
            .all(|row| row.iter().all(|c| c.trim().is_empty()))
    }
}

/// Why a workbook could not be read, in Vietnamese, for the person who uploaded it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct XlsxProblem(pub String);

fn problem(text: impl Into<String>) -> XlsxProblem {
    XlsxProblem(text.into())
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// The zip package, with a decompression budget shared by every part read from it.
struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased name without a leading '/' → entry index (names are case-insensitive in OPC).
    names: HashMap<String, usize>,
    budget: u64,
    limits: Limits,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limits: Limits) -> Result<Package<'a>, XlsxProblem> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|_| problem("không mở được tệp Excel: tệp hỏng hoặc không phải tệp .xlsx"))?;
        if zip.len() > limits.max_entries {
            return Err(problem(format!(
                "tệp Excel có {} phần bên trong, nhiều hơn mức cho phép ({}); hãy lưu lại thành một sổ làm việc .xlsx thông thường",
                thousands(zip.len() as u64),
                thousands(limits.max_entries as u64)
            )));
        }
        let mut names = HashMap::new();
        for i in 0..zip.len() {
            if let Ok(file) = zip.by_index_raw(i)
                && let Ok(name) = file.name()
            {
                names.insert(name.trim_start_matches('/').to_lowercase(), i);
            }
        }
        Ok(Package {
            zip,
            names,
            budget: limits.max_total_bytes,
            limits,
        })
    }

    /// Reads one part, decompressing at most the part limit and what is left of the budget.
    fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, XlsxProblem> {
        let Some(&index) = self.names.get(&name.trim_start_matches('/').to_lowercase()) else {
            return Ok(None);
        };
        let cap = self.limits.max_part_bytes.min(self.budget);
        let file = self
            .zip
            .by_index(index)
            .map_err(|_| problem(format!("không đọc được phần “{name}” của tệp Excel")))?;
        let mut out = Vec::new();
        file.take(cap + 1)
            .read_to_end(&mut out)
            .map_err(|_| problem(format!("phần “{name}” của tệp Excel bị hỏng")))?;
        if out.len() as u64 > cap {
            return Err(problem(format!(
                "tệp Excel giải nén ra quá lớn (hơn {} MB); tệp có thể bị hỏng hoặc chứa dữ liệu thừa",
                cap / (1024 * 1024)
            )));
        }
        self.budget -= out.len() as u64;
        Ok(Some(out))
    }
}

fn xml_reader(bytes: &[u8]) -> quick_xml::Reader<&[u8]> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    reader
}

fn broken(part: &str) -> XlsxProblem {
    problem(format!(
        "phần “{part}” của tệp Excel không đúng định dạng XML; hãy mở tệp bằng Excel và lưu lại"
    ))
}

/// The value of an attribute matched by local name (`r:id` matches `id`).
fn attr(e: &BytesStart<'_>, local: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        (a.key.local_name().as_ref() == local)
            .then(|| {
                a.normalized_value(XmlVersion::Implicit1_0)
                    .ok()
                    .map(|v| v.into_owned())
            })
            .flatten()
    })
}

/// Appends the text of a text or entity event; other events are ignored.
fn push_text(event: &Event<'_>, out: &mut String) {
    match event {
        Event::Text(t) => out.push_str(&t.xml10_content()),
        Event::CData(t) => out.push_str(&t.xml10_content()),
        Event::GeneralRef(r) => {
            if let Ok(Some(c)) = r.resolve_char_ref() {
                out.push(c);
            } else if let Some(text) =
                quick_xml::escape::resolve_predefined_entity(&r.xml10_content())
            {
                out.push_str(text);
            }
        }
        _ => {}
    }
}

/// Relationship id → target part name, resolved against the folder of `base`.
fn relationships(
    package: &mut Package<'_>,
    rels_path: &str,
    base_dir: &str,
) -> Result<Vec<(String, String, String)>, XlsxProblem> {
    let Some(bytes) = package.part(rels_path)? else {
        return Ok(vec![]);
    };
    let mut reader = xml_reader(&bytes);
    let mut buf = Vec::new();
    let mut out = Vec::new();
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    let kind = attr(&e, "Type").unwrap_or_default();
                    let path = if let Some(absolute) = target.strip_prefix('/') {
                        absolute.to_owned()
                    } else {
                        resolve(base_dir, &target)
                    };
                    out.push((id, kind, path));
                    if out.len() > package.limits.max_entries {
                        return Err(broken(rels_path));
                    }
                }
            }
            Ok(Event::Eof) => break,
            Err(_) => return Err(broken(rels_path)),
            _ => {}
        }
        buf.clear();
    }
    Ok(out)
}

/// Joins a relative target to a folder, handling `..`.
fn resolve(base_dir: &str, target: &str) -> String {
    let mut parts: Vec<&str> = base_dir.split('/').filter(|p| !p.is_empty()).collect();
    for piece in target.split('/') {
        match piece {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

fn folder_of(path: &str) -> &str {
    path.rsplit_once('/').map(|(dir, _)| dir).unwrap_or("")
}

/// The workbook: its sheets (name, part), whether dates count from 1904.
struct Workbook {
    sheets: Vec<(String, String)>,
    date1904: bool,
    shared_strings: Option<String>,
    styles: Option<String>,
}

fn workbook(package: &mut Package<'_>) -> Result<Workbook, XlsxProblem> {
    let main = relationships(package, "_rels/.rels", "")?
        .into_iter()
        .find(|(_, kind, _)| kind.ends_with("/officeDocument"))
        .map(|(_, _, path)| path)
        .unwrap_or_else(|| "xl/workbook.xml".to_owned());
    let Some(bytes) = package.part(&main)? else {
        return Err(problem(
            "tệp không phải sổ làm việc Excel (.xlsx): không có phần workbook",
        ));
    };
    let dir = folder_of(&main).to_owned();
    let rels_path = if dir.is_empty() {
        format!("_rels/{}.rels", main)
    } else {
        format!("{dir}/_rels/{}.rels", &main[dir.len() + 1..])
    };
    let rels = relationships(package, &rels_path, &dir)?;
    let target_of = |id: &str| {
        rels.iter()
            .find(|(rid, _, _)| rid == id)
            .map(|(_, _, p)| p.clone())
    };
    let of_kind = |suffix: &str| {
        rels.iter()
            .find(|(_, kind, _)| kind.ends_with(suffix))
            .map(|(_, _, p)| p.clone())
    };
    let mut reader = xml_reader(&bytes);
    let mut buf = Vec::new();
    let mut sheets = Vec::new();
    let mut date1904 = false;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e) | Event::Empty(e)) => match e.local_name().as_ref() {
                "workbookPr" => {
                    date1904 = matches!(attr(&e, "date1904").as_deref(), Some("1" | "true"));
                }
                "sheet" => {
                    let name = attr(&e, "name").unwrap_or_default();
                    let part = attr(&e, "id").and_then(|id| target_of(&id));
                    if let Some(part) = part {
                        sheets.push((name, part));
                    }
                    if sheets.len() > package.limits.max_sheets {
                        return Err(problem(format!(
                            "tệp Excel có hơn {} trang tính",
                            package.limits.max_sheets
                        )));
                    }
                }
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(_) => return Err(broken(&main)),
            _ => {}
        }
        buf.clear();
    }
    Ok(Workbook {
        sheets,
        date1904,
        shared_strings: of_kind("/sharedStrings"),
        styles: of_kind("/styles"),
    })
}

fn shared_strings(
    package: &mut Package<'_>,
    part: Option<&str>,
) -> Result<Vec<String>, XlsxProblem> {
    let Some(part) = part else {
        return Ok(vec![]);
    };
    let Some(bytes) = package.part(part)? else {
        return Ok(vec![]);
    };
    let mut reader = xml_reader(&bytes);
    let mut buf = Vec::new();
    // Grows with what is read, never from the declared `count`/`uniqueCount`.
    let mut strings = Vec::new();
    let mut current: Option<String> = None;
    // Inside <t> of the string itself (not of a phonetic run <rPh>).
    let mut in_text = false;
    let mut in_phonetic = false;
    loop {
        let event = reader.read_event_into(&mut buf);
        match &event {
            Ok(Event::Start(e)) => match e.local_name().as_ref() {
                "si" => current = Some(String::new()),
                "rPh" => in_phonetic = true,
                "t" => in_text = !in_phonetic,
                _ => {}
            },
            Ok(Event::Empty(e)) if e.local_name().as_ref() == "si" => {
                strings.push(String::new());
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "si" => {
                    if let Some(s) = current.take() {
                        strings.push(s);
                    }
                }
                "rPh" => in_phonetic = false,
                "t" => in_text = false,
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(_) => return Err(broken(part)),
            Ok(other) => {
                if in_text && let Some(s) = current.as_mut() {
                    push_text(other, s);
                }
            }
        }
        if strings.len() > package.limits.max_shared_strings {
            return Err(problem(format!(
                "tệp Excel có hơn {} chuỗi văn bản khác nhau",
                thousands(package.limits.max_shared_strings as u64)
            )));
        }
        buf.clear();
    }
    Ok(strings)
}

/// Whether an Excel number format shows a date (built-in ids, or a custom code with d/m/y/h/s
/// outside quotes, escapes and brackets).
fn is_date_format(id: u32, custom: Option<&str>) -> bool {
    if let Some(code) = custom {
        let mut quoted = false;
        let mut escaped = false;
        let mut brackets = 0u32;
        for c in code.chars() {
            if escaped {
                escaped = false;
                continue;
            }
            match c {
                '\\' | '_' | '*' => escaped = true,
                '"' => quoted = !quoted,
                _ if quoted => {}
                ';' => return false,
                '[' => brackets += 1,
                ']' => brackets = brackets.saturating_sub(1),
                'd' | 'D' | 'm' | 'M' | 'y' | 'Y' | 'h' | 'H' | 's' | 'S' if brackets == 0 => {
                    return true;
                }
                _ => {}
            }
        }
        return false;
    }
    matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
}

/// For each cell style index, whether it formats numbers as dates.
fn date_styles(package: &mut Package<'_>, part: Option<&str>) -> Result<Vec<bool>, XlsxProblem> {
    let Some(part) = part else {
        return Ok(vec![]);
    };
    let Some(bytes) = package.part(part)? else {
        return Ok(vec![]);
    };
    let mut reader = xml_reader(&bytes);
    let mut buf = Vec::new();
    let mut custom: HashMap<u32, String> = HashMap::new();
    let mut styles = Vec::new();
    let mut in_cell_xfs = false;
    loop {
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => match e.local_name().as_ref() {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (
                        attr(&e, "numFmtId").and_then(|i| i.parse().ok()),
                        attr(&e, "formatCode"),
                    ) && custom.len() < 10_000
                    {
                        custom.insert(id, code);
                    }
                }
                "cellXfs" => in_cell_xfs = true,
                "xf" if in_cell_xfs => {
                    let id: u32 = attr(&e, "numFmtId")
                        .and_then(|i| i.parse().ok())
                        .unwrap_or(0);
                    styles.push(is_date_format(id, custom.get(&id).map(String::as_str)));
                    if styles.len() > 100_000 {
                        return Err(broken(part));
                    }
                }
                _ => {}
            },
            Ok(Event::End(e)) if e.local_name().as_ref() == "cellXfs" => in_cell_xfs = false,
            Ok(Event::Eof) => break,
            Err(_) => return Err(broken(part)),
            _ => {}
        }
        buf.clear();
    }
    Ok(styles)
}

/// Parses a cell reference such as `AB12` into (row, column), both from 1.
fn cell_position(reference: &str) -> Option<(u64, u64)> {
    let letters = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let mut column: u64 = 0;
    for b in reference[..letters].bytes() {
        column = column * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    let digits = &reference[letters..];
    if digits.is_empty() || digits.len() > 7 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let row: u64 = digits.parse().ok()?;
    (row >= 1).then_some((row, column))
}

/// The spreadsheet name of a column (1 → A, 28 → AB).
pub fn column_name(mut column: u64) -> String {
    let mut out = Vec::new();
    while column > 0 {
        let rem = ((column - 1) % 26) as u8;
        out.push(b'A' + rem);
        column = (column - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// The date of an Excel serial number, as `YYYY-MM-DD`.
fn excel_date(serial: f64, date1904: bool) -> Option<String> {
    if !serial.is_finite() || !(0.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let base = if date1904 {
        chrono::NaiveDate::from_ymd_opt(1904, 1, 1)?
    } else {
        // Excel counts 1900-02-29, which did not exist; serials from 61 on are one day ahead.
        chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?
    };
    let days = serial.floor() as i64;
    let days = if !date1904 && days < 61 {
        days + 1
    } else {
        days
    };
    base.checked_add_signed(chrono::Duration::days(days))
        .map(|d| d.format("%Y-%m-%d").to_string())
}

fn number_text(text: &str) -> String {
    match text.trim().parse::<f64>() {
        Ok(f) if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", f as i64),
        Ok(f) if f.is_finite() => format!("{f}"),
        _ => text.trim().to_owned(),
    }
}

struct SheetContext<'s> {
    strings: &'s [String],
    dates: &'s [bool],
    date1904: bool,
    limits: Limits,
}

/// One cell as it is being read.
#[derive(Default)]
struct CellBuf {
    position: Option<(u64, u64)>,
    kind: String,
    style: usize,
    value: String,
    inline: String,
}

fn finish_cell(
    cell: CellBuf,
    sheet_name: &str,
    ctx: &SheetContext<'_>,
    cells: &mut BTreeMap<u64, BTreeMap<u64, String>>,
) -> Result<(), XlsxProblem> {
    let Some((row, column)) = cell.position else {
        return Ok(());
    };
    let here = || format!("trang tính “{sheet_name}”, ô {}{row}", column_name(column));
    let text = match cell.kind.as_str() {
        "s" => {
            let index: usize = cell.value.trim().parse().map_err(|_| {
                problem(format!(
                    "{}: tham chiếu chuỗi văn bản không hợp lệ; hãy mở tệp bằng Excel và lưu lại",
                    here()
                ))
            })?;
            ctx.strings.get(index).cloned().ok_or_else(|| {
                problem(format!(
                    "{}: tham chiếu tới chuỗi văn bản không có trong tệp; hãy mở tệp bằng Excel và lưu lại",
                    here()
                ))
            })?
        }
        "inlineStr" => cell.inline,
        "str" | "e" => cell.value,
        "b" => match cell.value.trim() {
            "1" => "true".to_owned(),
            "0" => "false".to_owned(),
            other => other.to_owned(),
        },
        "d" => cell.value.trim().chars().take(10).collect(),
        _ if cell.value.trim().is_empty() => String::new(),
        _ if ctx.dates.get(cell.style).copied().unwrap_or(false) => {
            match cell
                .value
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(|f| excel_date(f, ctx.date1904))
            {
                Some(date) => date,
                None => number_text(&cell.value),
            }
        }
        _ => number_text(&cell.value),
    };
    if text.trim().is_empty() {
        // Formatting-only cells (a border at XFD1) carry no data and take no place.
        return Ok(());
    }
    if row > ctx.limits.max_rows as u64 {
        return Err(problem(format!(
            "trang tính “{sheet_name}” có dữ liệu ở dòng {}; mỗi tệp chỉ được có tối đa {} dòng — hãy chia thành nhiều tệp",
            thousands(row),
            thousands(ctx.limits.max_rows as u64)
        )));
    }
    if column > ctx.limits.max_columns as u64 {
        return Err(problem(format!(
            "trang tính “{sheet_name}” có dữ liệu ở cột {} (ô {}{row}); tệp chỉ được có tối đa {} cột — hãy xóa các cột thừa",
            column_name(column),
            column_name(column),
            ctx.limits.max_columns
        )));
    }
    if text.chars().count() > ctx.limits.max_cell_chars {
        return Err(problem(format!(
            "{}: nội dung dài hơn {} ký tự",
            here(),
            thousands(ctx.limits.max_cell_chars as u64)
        )));
    }
    cells.entry(row).or_default().insert(column, text);
    Ok(())
}

fn read_sheet(
    bytes: &[u8],
    part: &str,
    sheet_name: &str,
    ctx: &SheetContext<'_>,
) -> Result<Vec<Vec<String>>, XlsxProblem> {
    let mut reader = xml_reader(bytes);
    let mut buf = Vec::new();
    let mut cells: BTreeMap<u64, BTreeMap<u64, String>> = BTreeMap::new();
    // Where a cell without `r` goes: after the previous one.
    let mut next_row: u64 = 0;
    let mut next_column: u64 = 1;
    let mut cell: Option<CellBuf> = None;
    let mut in_value = false;
    let mut in_inline_text = false;
    let mut in_phonetic = false;
    let mut cell_count: u64 = 0;
    let max_cells = (ctx.limits.max_rows as u64) * (ctx.limits.max_columns as u64);
    loop {
        let event = reader.read_event_into(&mut buf);
        match &event {
            Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                let empty = matches!(event, Ok(Event::Empty(_)));
                match e.local_name().as_ref() {
                    "row" => {
                        next_row = attr(e, "r")
                            .and_then(|r| r.trim().parse().ok())
                            .unwrap_or(next_row + 1);
                        next_column = 1;
                    }
                    "c" => {
                        cell_count += 1;
                        if cell_count > max_cells.saturating_mul(4) {
                            return Err(problem(format!(
                                "trang tính “{sheet_name}” có quá nhiều ô"
                            )));
                        }
                        let position = match attr(e, "r") {
                            Some(r) => Some(cell_position(r.trim()).ok_or_else(|| {
                                problem(format!(
                                    "trang tính “{sheet_name}”: ô có địa chỉ “{}” không hợp lệ",
                                    r.chars().take(20).collect::<String>()
                                ))
                            })?),
                            None => Some((next_row.max(1), next_column)),
                        };
                        if let Some((_, column)) = position {
                            next_column = column + 1;
                        }
                        let new = CellBuf {
                            position,
                            kind: attr(e, "t").unwrap_or_default(),
                            style: attr(e, "s")
                                .and_then(|s| s.trim().parse().ok())
                                .unwrap_or(0),
                            ..Default::default()
                        };
                        if empty {
                            finish_cell(new, sheet_name, ctx, &mut cells)?;
                        } else {
                            cell = Some(new);
                        }
                    }
                    "v" if !empty => in_value = true,
                    "rPh" if !empty => in_phonetic = true,
                    "t" if !empty => in_inline_text = !in_phonetic,
                    _ => {}
                }
            }
            Ok(Event::End(e)) => match e.local_name().as_ref() {
                "c" => {
                    if let Some(done) = cell.take() {
                        finish_cell(done, sheet_name, ctx, &mut cells)?;
                    }
                    in_value = false;
                    in_inline_text = false;
                }
                "v" => in_value = false,
                "t" => in_inline_text = false,
                "rPh" => in_phonetic = false,
                _ => {}
            },
            Ok(Event::Eof) => break,
            Err(_) => return Err(broken(part)),
            Ok(other) => {
                if let Some(c) = cell.as_mut() {
                    let target = if in_value {
                        Some(&mut c.value)
                    } else if in_inline_text {
                        Some(&mut c.inline)
                    } else {
                        None
                    };
                    if let Some(target) = target {
                        push_text(other, target);
                        if target.len() > ctx.limits.max_cell_chars * 4 + 64 {
                            let (row, column) = c.position.unwrap_or((0, 0));
                            return Err(problem(format!(
                                "trang tính “{sheet_name}”, ô {}{row}: nội dung dài hơn {} ký tự",
                                column_name(column),
                                thousands(ctx.limits.max_cell_chars as u64)
                            )));
                        }
                    }
                }
            }
        }
        buf.clear();
    }
    let last_row = cells.keys().next_back().copied().unwrap_or(0) as usize;
    let mut rows: Vec<Vec<String>> = vec![Vec::new(); last_row];
    for (row, columns) in cells {
        let width = columns.keys().next_back().copied().unwrap_or(0) as usize;
        let mut out = vec![String::new(); width];
        for (column, text) in columns {
            out[column as usize - 1] = text;
        }
        rows[row as usize - 1] = out;
    }
    Ok(rows)
}

/// Reads every worksheet of a workbook within `limits`.
pub fn read_workbook(bytes: &[u8], limits: Limits) -> Result<Vec<Sheet>, XlsxProblem> {
    let mut package = Package::open(bytes, limits)?;
    let book = workbook(&mut package)?;
    if book.sheets.is_empty() {
        return Err(problem("tệp Excel không có trang tính nào"));
    }
    let strings = shared_strings(&mut package, book.shared_strings.as_deref())?;
    let dates = date_styles(&mut package, book.styles.as_deref())?;
    let ctx = SheetContext {
        strings: &strings,
        dates: &dates,
        date1904: book.date1904,
        limits,
    };
    let mut sheets = Vec::new();
    for (name, part) in &book.sheets {
        let Some(bytes) = package.part(part)? else {
            // A chart sheet or a missing part: nothing to read.
            continue;
        };
        let rows = read_sheet(&bytes, part, name, &ctx)?;
        sheets.push(Sheet {
            name: name.clone(),
            rows,
        });
    }
    Ok(sheets)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    /// Builds an XLSX package from (part name, content) pairs, deflated.
    pub fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        {
            let mut zip = zip::ZipWriter::new(&mut out);
            let options = zip::write::SimpleFileOptions::default()
                .compression_method(zip::CompressionMethod::Deflated);
            for (name, content) in parts {
                zip.start_file(*name, options).unwrap();
                zip.write_all(content.as_bytes()).unwrap();
            }
            zip.finish().unwrap();
        }
        out.into_inner()
    }

    const RELS: &str = r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;

    /// A workbook with the given sheets (name, sheet XML body inside <sheetData>) and shared strings.
    pub fn workbook_with(sheets: &[(&str, &str)], shared: &str, styles: &str) -> Vec<u8> {
        let mut book = String::from(
            r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#,
        );
        let mut rels = String::from(
            r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
        );
        let mut parts: Vec<(String, String)> = vec![];
        for (i, (name, data)) in sheets.iter().enumerate() {
            let n = i + 1;
            book.push_str(&format!(
                r#"<sheet name="{name}" sheetId="{n}" r:id="rId{n}"/>"#
            ));
            rels.push_str(&format!(
                r#"<Relationship Id="rId{n}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{n}.xml"/>"#
            ));
            parts.push((
                format!("xl/worksheets/sheet{n}.xml"),
                format!(
                    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{data}</sheetData></worksheet>"#
                ),
            ));
        }
        book.push_str("</sheets></workbook>");
        rels.push_str(r#"<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rIdT" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>"#);
        let mut all: Vec<(&str, &str)> = vec![
            ("_rels/.rels", RELS),
            ("xl/workbook.xml", &book),
            ("xl/_rels/workbook.xml.rels", &rels),
            ("xl/sharedStrings.xml", shared),
            ("xl/styles.xml", styles),
        ];
        for (name, content) in &parts {
            all.push((name, content));
        }
        package(&all)
    }

    fn limits() -> Limits {
        Limits::default()
    }

    #[test]
    fn shared_inline_numeric_and_date_cells_are_read_as_text() {
        let shared = r#"<sst count="3" uniqueCount="2"><si><t>Họ và tên</t></si><si><r><t>Nguyễn </t></r><r><t>Văn &amp; A</t></r><rPh><t>ignored</t></rPh></si></sst>"#;
        let styles = r#"<styleSheet><numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="14"/></cellXfs></styleSheet>"#;
        let data = r#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>Năm</t></is></c></row>
            <row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3"><v>7</v></c><c r="C3" s="1"><v>41275</v></c><c r="D3" s="2"><v>41275.5</v></c><c r="E3"><v>2.5</v></c><c r="F3" t="b"><v>1</v></c></row>"#;
        let sheets = read_workbook(
            &workbook_with(&[("Lớp 6A", data)], shared, styles),
            limits(),
        )
        .unwrap();
        assert_eq!(sheets.len(), 1);
        assert_eq!(sheets[0].name, "Lớp 6A");
        assert_eq!(
            sheets[0].rows,
            vec![
                vec!["Họ và tên".to_owned(), String::new(), "Năm".to_owned()],
                vec![],
                vec![
                    "Nguyễn Văn & A".to_owned(),
                    "7".to_owned(),
                    "2013-01-01".to_owned(),
                    "2013-01-01".to_owned(),
                    "2.5".to_owned(),
                    "true".to_owned()
                ],
            ]
        );
    }

    #[test]
    fn a_declared_count_of_a_hundred_billion_shared_strings_costs_nothing() {
        // calamine reserved `uniqueCount` strings up front: 2.4 TB, and the process aborted.
        let shared =
            r#"<sst count="100000000000" uniqueCount="100000000000"><si><t>x</t></si></sst>"#;
        let data = r#"<row r="1"><c r="A1" t="s"><v>0</v></c></row>"#;
        let sheets = read_workbook(
            &workbook_with(&[("S", data)], shared, "<styleSheet/>"),
            limits(),
        )
        .unwrap();
        assert_eq!(sheets[0].rows, vec![vec!["x".to_owned()]]);
    }

    #[test]
    fn a_cell_far_away_is_refused_without_sizing_the_rectangle() {
        // A1 and XFD1048576: 16,384 × 1,048,576 cells if the rectangle were allocated (550 GB).
        let data = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c></row><row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>b</t></is></c></row>"#;
        let err = read_workbook(
            &workbook_with(&[("Trang1", data)], "<sst/>", "<styleSheet/>"),
            limits(),
        )
        .unwrap_err();
        assert!(err.0.contains("dòng 1.048.576"), "{err}");
        assert!(err.0.contains("20.000"), "{err}");
        let wide = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="XFD1" t="inlineStr"><is><t>b</t></is></c></row>"#;
        let err = read_workbook(
            &workbook_with(&[("Trang1", wide)], "<sst/>", "<styleSheet/>"),
            limits(),
        )
        .unwrap_err();
        assert!(err.0.contains("cột XFD"), "{err}");
    }

    #[test]
    fn formatting_only_cells_far_away_are_ignored() {
        let data = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>a</t></is></c><c r="XFD1" s="0"/></row><row r="1048576"><c r="A1048576" s="0"/></row>"#;
        let sheets = read_workbook(
            &workbook_with(&[("Trang1", data)], "<sst/>", "<styleSheet/>"),
            limits(),
        )
        .unwrap();
        assert_eq!(sheets[0].rows, vec![vec!["a".to_owned()]]);
    }

    #[test]
    fn a_part_that_inflates_past_the_limit_is_refused() {
        let big = format!(
            "<sst>{}</sst>",
            "<si><t>aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa</t></si>"
                .repeat(20_000)
        );
        let bytes = workbook_with(&[("S", "")], &big, "<styleSheet/>");
        assert!(bytes.len() < 100_000, "compressed {}", bytes.len());
        let small = Limits {
            max_part_bytes: 1024 * 1024,
            ..limits()
        };
        let err = read_workbook(&bytes, small).unwrap_err();
        assert!(err.0.contains("giải nén ra quá lớn"), "{err}");
    }

    #[test]
    fn a_shared_string_index_out_of_range_names_the_cell() {
        let data = r#"<row r="2"><c r="B2" t="s"><v>99999999999</v></c></row>"#;
        let err = read_workbook(
            &workbook_with(&[("Trang1", data)], "<sst/>", "<styleSheet/>"),
            limits(),
        )
        .unwrap_err();
        assert!(err.0.contains("ô B2"), "{err}");
    }

    #[test]
    fn every_sheet_is_read_with_its_name() {
        let a = r#"<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>"#;
        let sheets = read_workbook(
            &workbook_with(
                &[("6A", a), ("6B", a), ("Trống", "")],
                "<sst/>",
                "<styleSheet/>",
            ),
            limits(),
        )
        .unwrap();
        let names: Vec<_> = sheets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["6A", "6B", "Trống"]);
        assert!(sheets[2].is_blank());
    }

    #[test]
    fn garbage_is_a_plain_refusal() {
        for bytes in [
            &b""[..],
            b"PK\x03\x04garbage",
            b"not a zip at all",
            &package(&[("xl/workbook.xml", "<workbook><sheets><sheet")]),
        ] {
            assert!(read_workbook(bytes, limits()).is_err());
        }
    }

    #[test]
    fn column_names_and_positions_round_trip() {
        assert_eq!(column_name(1), "A");
        assert_eq!(column_name(28), "AB");
        assert_eq!(column_name(16_384), "XFD");
        assert_eq!(cell_position("XFD1048576"), Some((1_048_576, 16_384)));
        assert_eq!(cell_position("A0"), None);
        assert_eq!(cell_position("AAAA1"), None);
        assert_eq!(cell_position("A99999999"), None);
    }

    #[test]
    fn dates_count_from_the_right_day() {
        assert_eq!(excel_date(1.0, false).as_deref(), Some("1900-01-01"));
        assert_eq!(excel_date(61.0, false).as_deref(), Some("1900-03-01"));
        assert_eq!(excel_date(45_658.0, false).as_deref(), Some("2025-01-01"));
        assert_eq!(excel_date(0.0, true).as_deref(), Some("1904-01-01"));
        assert_eq!(excel_date(f64::NAN, false), None);
        assert_eq!(excel_date(1e300, false), None);
        assert!(is_date_format(0, Some("dd/mm/yyyy")));
        assert!(!is_date_format(0, Some("0.00")));
        assert!(!is_date_format(0, Some(r#""day" 0"#)));
        assert!(is_date_format(14, None));
        assert!(!is_date_format(0, None));
    }
}
