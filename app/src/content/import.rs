//! Importing questions from the spreadsheet teachers use (CSV or XLSX, one row per question) into
//! `content/questions/<topic>.toml`. Every row is checked first; any error means nothing is
//! written, and each error names the row and the column.

use crate::attempt::types::Frame;
use crate::codes::{SchoolLevel, Track};
use crate::content::load::{ContentError, load_content, normalise_for_comparison};
use crate::spreadsheet::read::file_error;
pub use crate::spreadsheet::read::{ImportError, read_rows};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// The columns of the template, in order, as teachers see them. A "spot the warning signs" row
/// says `dấu hiệu` in `loại` and fills the message columns and one `phần` column per part marked
/// `{{…}}` instead of the options and the key.
pub const COLUMNS: [&str; 33] = [
    "id",
    "mạch",
    "chủ đề",
    "độ khó",
    "cấp học",
    "câu hỏi",
    "phương án 1",
    "phương án 2",
    "phương án 3",
    "phương án 4",
    "phương án 5",
    "phương án 6",
    "đáp án đúng",
    "giải thích",
    "nguồn",
    "ghi chú",
    "loại",
    "khung",
    "người gửi",
    "tiêu đề",
    "tin nhắn",
    "phần 1",
    "phần 2",
    "phần 3",
    "phần 4",
    "phần 5",
    "phần 6",
    "phần 7",
    "phần 8",
    "phần 9",
    "phần 10",
    "phần 11",
    "phần 12",
];

/// The `phần` columns: one per marked part of a warning-signs message, in order.
const PART_COLUMNS: [&str; 12] = [
    "phần 1",
    "phần 2",
    "phần 3",
    "phần 4",
    "phần 5",
    "phần 6",
    "phần 7",
    "phần 8",
    "phần 9",
    "phần 10",
    "phần 11",
    "phần 12",
];

/// What an import wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportReport {
    /// Ids of the questions added, in file order.
    pub added: Vec<String>,
    /// Question bank files written (relative to the content directory).
    pub files: Vec<PathBuf>,
}

/// One question ready to be written, with the row it came from.
struct NewQuestion {
    row: usize,
    id: String,
    track: Track,
    topic: String,
    difficulty: u8,
    levels: Vec<SchoolLevel>,
    stem: String,
    answer: Answer,
    explanation: String,
    source: String,
}

/// What the pupil answers: options with a key, or the parts of a message.
enum Answer {
    Choice {
        options: Vec<String>,
        correct: Vec<usize>,
    },
    Signs {
        frame: Frame,
        sender: String,
        subject: String,
        message: String,
        /// (suspicious, why) per marked part, in order.
        parts: Vec<(bool, String)>,
    },
}

impl NewQuestion {
    fn to_toml(&self) -> String {
        let quote = |s: &str| toml::Value::String(s.to_owned()).to_string();
        let levels: Vec<String> = self.levels.iter().map(|l| quote(l.code())).collect();
        let answer = match &self.answer {
            Answer::Choice { options, correct } => {
                let options: Vec<String> =
                    options.iter().map(|o| format!("  {},", quote(o))).collect();
                let correct: Vec<String> = correct.iter().map(|c| (c + 1).to_string()).collect();
                format!(
                    "options = [\n{}\n]\ncorrect = [{}]\n",
                    options.join("\n"),
                    correct.join(", ")
                )
            }
            Answer::Signs {
                frame,
                sender,
                subject,
                message,
                parts,
            } => {
                let parts: Vec<String> = parts
                    .iter()
                    .map(|(suspicious, why)| {
                        format!("  {{ suspicious = {suspicious}, why = {} }},", quote(why))
                    })
                    .collect();
                format!(
                    "frame = {}\nsender = {}\n{}message = {}\nparts = [\n{}\n]\n",
                    quote(frame.code()),
                    quote(sender),
                    if subject.is_empty() {
                        String::new()
                    } else {
                        format!("subject = {}\n", quote(subject))
                    },
                    quote(message),
                    parts.join("\n")
                )
            }
        };
        format!(
            "\n[[question]]\nid = {}\n{}track = {}\ntopic = {}\ndifficulty = {}\nlevels = [{}]\nstem = {}\n{answer}explanation = {}\nsource = {}\n",
            quote(&self.id),
            if matches!(self.answer, Answer::Signs { .. }) {
                "type = \"dau-hieu\"\n"
            } else {
                ""
            },
            quote(self.track.code()),
            quote(&self.topic),
            self.difficulty,
            levels.join(", "),
            quote(&self.stem),
            quote(&self.explanation),
            quote(&self.source),
        )
    }
}

/// A frame as a teacher writes it in the `khung` column: the content file's code, or its name
/// (compared without diacritics, case or punctuation).
fn frame_of(text: &str) -> Option<Frame> {
    let text = normalise_for_comparison(text);
    Frame::from_code(&text).or(match text.as_str() {
        "tin nhan" | "tin nhan sms" | "tin nhan dien thoai" => Some(Frame::Sms),
        "tro chuyen" | "tin nhan tro chuyen" | "zalo" | "messenger" => Some(Frame::Chat),
        "thu dien tu" | "thu" | "e mail" => Some(Frame::Email),
        "trang web" => Some(Frame::Web),
        _ => None,
    })
}

/// A `phần` cell: “đáng ngờ: why” or “không đáng ngờ: why” (any case).
fn part_of(cell: &str) -> Option<(bool, String)> {
    let strip = |prefix: &str| -> Option<&str> {
        let end = cell
            .char_indices()
            .nth(prefix.chars().count())
            .map(|(i, _)| i)
            .unwrap_or(cell.len());
        (cell[..end].to_lowercase() == prefix).then(|| &cell[end..])
    };
    let (suspicious, rest) = match (strip("không đáng ngờ"), strip("đáng ngờ")) {
        (Some(rest), _) => (false, rest),
        (None, Some(rest)) => (true, rest),
        (None, None) => return None,
    };
    // “đáng ngờ: tên tự đặt” → “Tên tự đặt”: the note is shown as a sentence of its own.
    let why = rest.trim_start_matches([':', '-', '–', '—', ' ']).trim();
    let mut chars = why.chars();
    let why = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    Some((suspicious, why))
}

/// Maps each template column to its index in the header row.
fn header_map(header: &[String]) -> Result<HashMap<&'static str, usize>, Vec<ImportError>> {
    let mut map = HashMap::new();
    let mut errors = Vec::new();
    for (i, cell) in header.iter().enumerate() {
        let wanted = normalise_for_comparison(cell);
        if wanted.is_empty() {
            continue;
        }
        match COLUMNS
            .iter()
            .find(|c| normalise_for_comparison(c) == wanted)
        {
            Some(column) => {
                map.insert(*column, i);
            }
            None => errors.push(ImportError {
                row: 1,
                column: None,
                message: format!(
                    "cột “{}” không có trong mẫu (xem content/README.md)",
                    cell.trim()
                ),
            }),
        }
    }
    for required in [
        "mạch",
        "chủ đề",
        "độ khó",
        "cấp học",
        "câu hỏi",
        "phương án 1",
        "phương án 2",
        "đáp án đúng",
        "giải thích",
        "nguồn",
    ] {
        if !map.contains_key(required) {
            errors.push(ImportError {
                row: 1,
                column: None,
                message: format!("thiếu cột “{required}”"),
            });
        }
    }
    if errors.is_empty() {
        Ok(map)
    } else {
        Err(errors)
    }
}

/// Checks every row and, only if all are valid, appends them to the question banks.
pub fn import_questions(content_dir: &Path, file: &Path) -> Result<ImportReport, Vec<ImportError>> {
    let existing = load_content(content_dir).map_err(|errors| {
        let mut list = file_error(
            "nội dung hiện có đang lỗi; hãy sửa các lỗi sau (check-content) rồi nhập lại:",
        );
        list.extend(errors.iter().map(|e| ImportError {
            row: 0,
            column: None,
            message: e.to_string(),
        }));
        list
    })?;
    let rows = read_rows(file)?;
    let Some((header, body)) = rows.split_first() else {
        return Err(file_error("tệp trống"));
    };
    let columns = header_map(header)?;
    let topics: HashMap<&str, Track> = existing
        .topics
        .iter()
        .map(|t| (t.slug.as_str(), t.track))
        .collect();
    let mut ids: HashSet<String> = existing.questions.iter().map(|q| q.id.clone()).collect();
    let mut stems: HashMap<String, String> = existing
        .questions
        .iter()
        .map(|q| (normalise_for_comparison(&q.stem), format!("câu {}", q.id)))
        .collect();
    let mut errors = Vec::new();
    let mut new_questions: Vec<NewQuestion> = Vec::new();

    for (index, cells) in body.iter().enumerate() {
        let row = index + 2;
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |column: &'static str| -> String {
            columns
                .get(column)
                .and_then(|&i| cells.get(i))
                .map(|c| c.trim().nfc().collect::<String>())
                .unwrap_or_default()
        };
        let mut row_errors = Vec::new();
        let mut fail = |column: &'static str, message: String| {
            row_errors.push(ImportError {
                row,
                column: Some(column),
                message,
            });
        };

        let track = Track::parse(&cell("mạch").to_uppercase());
        if track.is_none() {
            fail(
                "mạch",
                format!("“{}” không hợp lệ; ghi A hoặc B", cell("mạch")),
            );
        }
        let topic = cell("chủ đề");
        match topics.get(topic.as_str()) {
            None => fail(
                "chủ đề",
                format!("chủ đề “{topic}” không có trong content/topics.toml"),
            ),
            Some(t) if track.is_some_and(|tr| tr != *t) => fail(
                "mạch",
                format!(
                    "chủ đề “{topic}” thuộc mạch {}, không phải {}",
                    t.code(),
                    cell("mạch")
                ),
            ),
            Some(_) => {}
        }
        let difficulty = cell("độ khó")
            .parse::<u8>()
            .ok()
            .filter(|d| (1..=3).contains(d));
        if difficulty.is_none() {
            fail(
                "độ khó",
                format!("“{}” không hợp lệ; ghi 1, 2 hoặc 3", cell("độ khó")),
            );
        }
        let mut levels = Vec::new();
        for part in cell("cấp học")
            .split([',', ';', ' '])
            .filter(|p| !p.is_empty())
        {
            match SchoolLevel::content_level(&part.to_uppercase()) {
                Some(level) if !levels.contains(&level) => levels.push(level),
                Some(_) => {}
                None => fail(
                    "cấp học",
                    format!("“{part}” không hợp lệ; ghi THCS, THPT hoặc “THCS, THPT”"),
                ),
            }
        }
        if levels.is_empty() && cell("cấp học").is_empty() {
            fail(
                "cấp học",
                "để trống; ghi THCS, THPT hoặc “THCS, THPT”".into(),
            );
        }
        levels.sort();
        let stem = cell("câu hỏi");
        if stem.is_empty() {
            fail("câu hỏi", "để trống".into());
        } else if let Some(other) = stems.get(&normalise_for_comparison(&stem)) {
            fail("câu hỏi", format!("trùng nội dung với {other}"));
        }
        let kind = normalise_for_comparison(&cell("loại"));
        let signs = match kind.as_str() {
            // Compared without diacritics, case or punctuation.
            "" | "trac nghiem" => false,
            "dau hieu" | "tim dau hieu" | "tim dau hieu dang ngo" => true,
            _ => {
                fail(
                    "loại",
                    format!(
                        "“{}” không hợp lệ; để trống (trắc nghiệm) hoặc ghi “dấu hiệu”",
                        cell("loại")
                    ),
                );
                false
            }
        };
        let answer = if signs {
            for column in ["phương án 1", "phương án 2", "đáp án đúng"] {
                if !cell(column).is_empty() {
                    fail(
                        column,
                        "câu “dấu hiệu” không có phương án và đáp án; ghi từng phần đáng ngờ ở các cột “phần”".into(),
                    );
                }
            }
            let frame = frame_of(&cell("khung"));
            if frame.is_none() {
                fail(
                    "khung",
                    format!(
                        "“{}” không hợp lệ; ghi “tin nhắn”, “trò chuyện”, “thư điện tử” hoặc “trang web”",
                        cell("khung")
                    ),
                );
            }
            let sender = cell("người gửi");
            let subject = cell("tiêu đề");
            let message = cell("tin nhắn").replace("\r\n", "\n");
            if message.is_empty() {
                fail(
                    "tin nhắn",
                    "để trống; chép nội dung tin nhắn, đánh dấu các phần bằng {{…}}".into(),
                );
            }
            if !subject.is_empty() && frame != Some(Frame::Email) {
                fail("tiêu đề", "chỉ thư điện tử mới có tiêu đề".into());
            }
            let mut marked = Some(0);
            for (column, text) in [
                ("người gửi", &sender),
                ("tiêu đề", &subject),
                ("tin nhắn", &message),
            ] {
                match crate::domain::signs::parse_marked(text, 0) {
                    Ok((_, parts)) => marked = marked.map(|m| m + parts.len()),
                    Err(e) => {
                        fail(column, e.to_string());
                        marked = None;
                    }
                }
            }
            let mut parts = Vec::new();
            let mut gap = false;
            // A part cell with an error: the count of parts is then not worth comparing.
            let mut broken = false;
            for column in PART_COLUMNS {
                let text = cell(column);
                if text.is_empty() {
                    gap = true;
                    continue;
                }
                broken |= gap;
                let problem = if gap {
                    Some("các phần phải điền liền nhau, không bỏ trống cột ở giữa")
                } else {
                    match part_of(&text) {
                        Some((_, why)) if why.is_empty() => {
                            Some("thiếu lời giải thích sau “đáng ngờ:” hoặc “không đáng ngờ:”")
                        }
                        Some(part) => {
                            parts.push(part);
                            None
                        }
                        None => {
                            Some("bắt đầu bằng “đáng ngờ:” hoặc “không đáng ngờ:” rồi ghi vì sao")
                        }
                    }
                };
                if let Some(problem) = problem {
                    broken = true;
                    fail(column, problem.into());
                }
            }
            if let Some(marked) = marked.filter(|m| *m != parts.len() && !broken) {
                fail(
                    "phần 1",
                    format!(
                        "tin nhắn có {marked} phần đánh dấu {{{{…}}}} nhưng có {} cột “phần” được điền; mỗi phần cần một cột, theo thứ tự người gửi, tiêu đề, tin nhắn",
                        parts.len()
                    ),
                );
            }
            Answer::Signs {
                frame: frame.unwrap_or(Frame::Sms),
                sender,
                subject,
                message,
                parts,
            }
        } else {
            let option_columns = [
                "phương án 1",
                "phương án 2",
                "phương án 3",
                "phương án 4",
                "phương án 5",
                "phương án 6",
            ];
            let mut options = Vec::new();
            let mut gap = false;
            for column in option_columns {
                let text = cell(column);
                if text.is_empty() {
                    gap = true;
                } else if gap {
                    fail(
                        column,
                        "phương án phải điền liền nhau, không bỏ trống cột ở giữa".into(),
                    );
                } else if options.contains(&text) {
                    fail(column, "phương án bị lặp".into());
                } else {
                    options.push(text);
                }
            }
            if options.len() < 2 {
                fail("phương án 2", "cần ít nhất 2 phương án".into());
            }
            let mut correct = Vec::new();
            for part in cell("đáp án đúng")
                .split([',', ';', ' '])
                .filter(|p| !p.is_empty())
            {
                match part.parse::<usize>() {
                    Ok(n) if (1..=options.len()).contains(&n) => {
                        if !correct.contains(&(n - 1)) {
                            correct.push(n - 1);
                        }
                    }
                    _ => fail(
                        "đáp án đúng",
                        format!(
                            "“{part}” không phải số thứ tự của một phương án (từ 1 đến {})",
                            options.len()
                        ),
                    ),
                }
            }
            if cell("đáp án đúng").is_empty() {
                fail(
                    "đáp án đúng",
                    "để trống; ghi số thứ tự phương án đúng, ví dụ 2 hoặc “1, 3”".into(),
                );
            } else if !options.is_empty() && correct.len() == options.len() {
                fail(
                    "đáp án đúng",
                    "mọi phương án đều đúng; cần ít nhất một phương án sai".into(),
                );
            }
            correct.sort_unstable();
            Answer::Choice { options, correct }
        };
        let explanation = cell("giải thích");
        if explanation.is_empty() {
            fail(
                "giải thích",
                "để trống; hãy giải thích vì sao đáp án đúng".into(),
            );
        }
        let source = cell("nguồn");
        if source.is_empty() {
            fail("nguồn", "để trống; ghi tài liệu nguồn của câu hỏi".into());
        }
        let mut id = cell("id");
        if !id.is_empty() && ids.contains(&id) {
            fail(
                "id",
                format!("id “{id}” đã có trong ngân hàng câu hỏi hoặc bị lặp trong tệp"),
            );
        }
        if !row_errors.is_empty() {
            errors.extend(row_errors);
            continue;
        }
        let track = track.expect("checked above");
        if id.is_empty() {
            id = (1..)
                .map(|n| format!("{}-{topic}-{n:03}", track.code()))
                .find(|candidate| !ids.contains(candidate))
                .expect("an unused number exists");
        }
        ids.insert(id.clone());
        stems.insert(normalise_for_comparison(&stem), format!("dòng {row}"));
        new_questions.push(NewQuestion {
            row,
            id,
            track,
            topic,
            difficulty: difficulty.expect("checked above"),
            levels,
            stem,
            answer,
            explanation,
            source,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if new_questions.is_empty() {
        return Err(file_error("tệp không có câu hỏi nào (ngoài dòng tiêu đề)"));
    }

    // Group by bank file, then check the result as a whole in a scratch copy before writing.
    let mut by_file: Vec<(PathBuf, String)> = Vec::new();
    for q in &new_questions {
        let relative = PathBuf::from("questions").join(format!("{}.toml", q.topic));
        match by_file.iter_mut().find(|(path, _)| *path == relative) {
            Some((_, text)) => text.push_str(&q.to_toml()),
            None => by_file.push((relative, q.to_toml())),
        }
    }
    let scratch = std::env::temp_dir().join(format!("khien-so-import-{}", uuid::Uuid::new_v4()));
    let outcome = write_banks(content_dir, &scratch, &by_file, true)
        .and_then(|_| load_content(&scratch).map_err(|e| describe(&e, &new_questions)));
    let _ = std::fs::remove_dir_all(&scratch);
    outcome?;
    write_banks(content_dir, content_dir, &by_file, false)?;
    Ok(ImportReport {
        added: new_questions.into_iter().map(|q| q.id).collect(),
        files: by_file.into_iter().map(|(p, _)| p).collect(),
    })
}

/// Errors found by the full validator, translated back to rows where possible.
fn describe(errors: &[ContentError], questions: &[NewQuestion]) -> Vec<ImportError> {
    errors
        .iter()
        .map(|e| ImportError {
            row: questions
                .iter()
                .find(|q| e.message.contains(&q.id))
                .map(|q| q.row)
                .unwrap_or(0),
            column: None,
            message: e.to_string(),
        })
        .collect()
}

/// Appends `texts` to the bank files under `to` (copying `from` first when `copy` is set).
/// Each file is written to a temporary name and renamed, so a file is never half-written.
fn write_banks(
    from: &Path,
    to: &Path,
    texts: &[(PathBuf, String)],
    copy: bool,
) -> Result<(), Vec<ImportError>> {
    let io = |e: std::io::Error| file_error(format!("lỗi ghi tệp: {e}"));
    if copy {
        copy_dir(from, to).map_err(io)?;
    }
    for (relative, text) in texts {
        let path = to.join(relative);
        // Only a bank that does not exist yet starts empty: one that cannot be read (not UTF-8,
        // no permission) stops the import, or its questions would be replaced by the new rows.
        let mut current = match std::fs::read(&path) {
            Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
                file_error(format!(
                    "tệp {} không phải UTF-8 nên không thể thêm câu hỏi vào; hãy lưu lại tệp với bảng mã UTF-8 rồi nhập lại (chưa có gì được ghi)",
                    relative.display()
                ))
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => {
                return Err(file_error(format!(
                    "không đọc được tệp {}: {e} (chưa có gì được ghi)",
                    relative.display()
                )));
            }
        };
        if !current.is_empty() && !current.ends_with('\n') {
            current.push('\n');
        }
        current.push_str(text);
        let temporary = path.with_extension("toml.tmp");
        std::fs::create_dir_all(path.parent().expect("inside questions/")).map_err(io)?;
        std::fs::write(&temporary, current).map_err(io)?;
        std::fs::rename(&temporary, &path).map_err(io)?;
    }
    Ok(())
}

fn copy_dir(from: &Path, to: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bank_that_cannot_be_read_stops_the_write_and_stays_as_it_was() {
        let dir = std::env::temp_dir().join(format!("ks-banks-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("questions")).unwrap();
        let bank = dir.join("questions/otp.toml");
        let latin1 = b"[[question]]\nstem = \"C\xe2u h\xf4i\"\n".to_vec();
        std::fs::write(&bank, &latin1).unwrap();
        let errors = write_banks(
            &dir,
            &dir,
            &[(
                PathBuf::from("questions/otp.toml"),
                "[[question]]\n".to_owned(),
            )],
            false,
        )
        .unwrap_err();
        assert!(
            errors[0].to_string().contains("không phải UTF-8"),
            "{errors:?}"
        );
        assert_eq!(
            std::fs::read(&bank).unwrap(),
            latin1,
            "the bank is untouched"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    const TOPICS: &str = "[[topic]]\nslug = \"otp\"\ntrack = \"A\"\ntitle = \"Mã OTP\"\ntitle_en = \"OTP\"\n\n[[topic]]\nslug = \"sift\"\ntrack = \"B\"\ntitle = \"SIFT\"\ntitle_en = \"SIFT\"\n";
    const EXISTING: &str = "[[question]]\nid = \"A-otp-001\"\ntrack = \"A\"\ntopic = \"otp\"\ndifficulty = 1\nlevels = [\"THCS\"]\nstem = \"Có nên đưa mã OTP cho bạn thân không?\"\noptions = [\"Có\", \"Không\"]\ncorrect = [2]\nexplanation = \"Không ai được biết mã OTP.\"\nsource = \"Cẩm nang\"\n";
    const HEADER: &str = "id,mạch,chủ đề,độ khó,cấp học,câu hỏi,phương án 1,phương án 2,phương án 3,phương án 4,phương án 5,phương án 6,đáp án đúng,giải thích,nguồn,ghi chú\n";

    fn content() -> PathBuf {
        let dir = std::env::temp_dir().join(format!("ks-import-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(dir.join("questions")).unwrap();
        std::fs::write(dir.join("topics.toml"), TOPICS).unwrap();
        std::fs::write(dir.join("questions/otp.toml"), EXISTING).unwrap();
        dir
    }

    fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }

    fn snapshot(dir: &Path) -> Vec<(PathBuf, String)> {
        let mut files: Vec<(PathBuf, String)> = std::fs::read_dir(dir.join("questions"))
            .unwrap()
            .map(|e| e.unwrap().path())
            .map(|p| (p.clone(), std::fs::read_to_string(p).unwrap()))
            .collect();
        files.sort();
        files
    }

    #[test]
    fn a_valid_csv_with_bom_is_imported_and_the_result_validates() {
        let dir = content();
        let csv = format!(
            "\u{feff}{HEADER},A,otp,2,\"THCS, THPT\",\"Người lạ xin mã OTP, bạn làm gì?\",Đưa mã,Không đưa và báo người lớn,,,,,2,\"OTP là chìa khóa, không đưa ai.\",Cẩm nang,\n,B,sift,1,THPT,Chữ S trong SIFT là gì?,Stop,Share,Save,,,,1,Dừng lại trước khi chia sẻ.,Mike Caulfield,\n"
        );
        let file = write(&dir, "mau.csv", csv.as_bytes());
        let report = import_questions(&dir, &file).unwrap();
        assert_eq!(
            report.added,
            vec!["A-otp-002".to_string(), "B-sift-001".to_string()]
        );
        let content = load_content(&dir).unwrap();
        assert_eq!(content.questions.len(), 3);
        let q = content
            .questions
            .iter()
            .find(|q| q.id == "A-otp-002")
            .unwrap();
        assert_eq!(q.correct, vec![1]);
        assert_eq!(q.levels, vec![SchoolLevel::Thcs, SchoolLevel::Thpt]);
        assert_eq!(q.stem, "Người lạ xin mã OTP, bạn làm gì?");
    }

    const SIGNS_HEADER: &str = "mạch,chủ đề,độ khó,cấp học,câu hỏi,phương án 1,phương án 2,đáp án đúng,giải thích,nguồn,loại,khung,người gửi,tin nhắn,phần 1,phần 2,phần 3\n";

    #[test]
    fn a_warning_signs_row_is_imported_with_its_parts() {
        let dir = content();
        let csv = format!(
            "{SIGNS_HEADER}A,otp,2,THCS,Tin nhắn sau có chỗ nào đáng ngờ?,,,,Không đưa mã cho ai.,Cẩm nang,dấu hiệu,tin nhắn,{{{{Ngân-Hàng}}}},\"Tài khoản {{{{sắp bị khóa}}}}.\n\nGọi {{{{số in trên thẻ}}}} để hỏi.\",Đáng ngờ: tên tự đặt.,đáng ngờ — giục gấp,Không đáng ngờ: cách kiểm tra đúng.\n"
        );
        let file = write(&dir, "dau-hieu.csv", csv.as_bytes());
        let report = import_questions(&dir, &file).unwrap();
        assert_eq!(report.added, vec!["A-otp-002".to_string()]);
        let content = load_content(&dir).unwrap();
        let q = content
            .questions
            .iter()
            .find(|q| q.id == "A-otp-002")
            .unwrap();
        assert_eq!(q.kind, crate::content::load::QuestionKind::Signs);
        assert_eq!(q.options, ["Ngân-Hàng", "sắp bị khóa", "số in trên thẻ"]);
        assert_eq!(q.correct, vec![0, 1]);
        assert_eq!(
            q.part_notes,
            ["Tên tự đặt.", "Giục gấp", "Cách kiểm tra đúng."]
        );
        let layout = q.layout.as_ref().unwrap();
        assert_eq!(layout.frame, Frame::Sms);
        assert_eq!(layout.body.len(), 2, "a blank line starts a new paragraph");
    }

    #[test]
    fn a_bad_warning_signs_row_names_its_columns_and_nothing_is_written() {
        let dir = content();
        let before = snapshot(&dir);
        let csv = format!(
            "{SIGNS_HEADER}A,otp,2,THCS,Chỗ nào đáng ngờ?,Một,,,Vì.,Nguồn,dấu hiệu,bưu thiếp,Ngân hàng,Tài khoản {{{{sắp bị khóa}}}} và {{{{gọi ngay,Đáng ngờ: giục.,Có lẽ là thật,\nA,otp,2,THCS,Chỗ nào đáng ngờ nữa?,,,,Vì.,Nguồn,dấu hiệu,sms,Ngân hàng,Tài khoản {{{{sắp bị khóa}}}}.,Đáng ngờ: giục.,,Không đáng ngờ: thừa.\nA,otp,2,THCS,Chỗ nào đáng ngờ thứ ba?,,,,Vì.,Nguồn,dấu hiệu,chat,Bạn,{{{{Chuyển}}}} {{{{gấp}}}},Đáng ngờ: giục.,,\nA,otp,2,THCS,Chỗ nào đáng ngờ thứ tư?,,,,Vì.,Nguồn,dấu hiệu,chat,Bạn,{{{{Chuyển}}}} {{{{gấp}}}},Đáng ngờ: giục.,Không đáng ngờ,\n"
        );
        let file = write(&dir, "loi.csv", csv.as_bytes());
        let errors: Vec<String> = import_questions(&dir, &file)
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        for expected in [
            "dòng 2, cột “phương án 1”: câu “dấu hiệu” không có phương án",
            "dòng 2, cột “khung”: “bưu thiếp” không hợp lệ",
            "dòng 2, cột “tin nhắn”: “{{” chưa được đóng",
            "dòng 2, cột “phần 2”: bắt đầu bằng “đáng ngờ:”",
            "dòng 3, cột “phần 3”: các phần phải điền liền nhau",
            "dòng 4, cột “phần 1”: tin nhắn có 2 phần đánh dấu {{…}} nhưng có 1 cột “phần”",
            "dòng 5, cột “phần 2”: thiếu lời giải thích",
        ] {
            assert!(
                errors.iter().any(|e| e.starts_with(expected)),
                "{expected}: {errors:?}"
            );
        }
        assert_eq!(snapshot(&dir), before);
    }

    #[test]
    fn one_bad_row_names_row_and_column_and_nothing_is_written() {
        let dir = content();
        let before = snapshot(&dir);
        let csv = format!(
            "{HEADER},A,otp,2,THCS,Câu hỏi tốt?,Một,Hai,,,,,1,Vì vậy.,Nguồn,\n,A,otp,5,THCS,Câu hỏi thứ hai?,Một,Hai,,,,,3,,Nguồn,\n,C,khong-co,1,THCS,có nên đưa mã otp cho bạn thân không,Một,Hai,,,,,1,Vì.,Nguồn,\n"
        );
        let file = write(&dir, "loi.csv", csv.as_bytes());
        let errors: Vec<String> = import_questions(&dir, &file)
            .unwrap_err()
            .iter()
            .map(|e| e.to_string())
            .collect();
        assert!(
            errors.contains(&"dòng 3, cột “độ khó”: “5” không hợp lệ; ghi 1, 2 hoặc 3".to_string()),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("dòng 3, cột “đáp án đúng”: “3” không phải số thứ tự")),
            "{errors:?}"
        );
        assert!(
            errors.contains(
                &"dòng 3, cột “giải thích”: để trống; hãy giải thích vì sao đáp án đúng"
                    .to_string()
            ),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.starts_with("dòng 4, cột “mạch”")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.starts_with("dòng 4, cột “chủ đề”")),
            "{errors:?}"
        );
        assert!(
            errors.contains(&"dòng 4, cột “câu hỏi”: trùng nội dung với câu A-otp-001".to_string()),
            "{errors:?}"
        );
        assert!(
            !errors.iter().any(|e| e.starts_with("dòng 2")),
            "row 2 is fine: {errors:?}"
        );
        assert_eq!(snapshot(&dir), before, "nothing written");
    }

    #[test]
    fn other_encodings_and_unknown_columns_are_refused_clearly() {
        let dir = content();
        // "độ khó" in Windows-1258 is not valid UTF-8.
        let file = write(&dir, "cu.csv", b"id,m\xe1ch\n");
        let errors = import_questions(&dir, &file).unwrap_err();
        assert!(errors[0].message.contains("UTF-8"), "{errors:?}");
        let file = write(
            &dir,
            "cot.csv",
            HEADER.replace("ghi chú", "điểm thưởng").as_bytes(),
        );
        let errors = import_questions(&dir, &file).unwrap_err();
        assert_eq!(
            errors[0].to_string(),
            "dòng 1: cột “điểm thưởng” không có trong mẫu (xem content/README.md)"
        );
        let file = write(&dir, "x.txt", b"");
        assert!(import_questions(&dir, &file).is_err());
    }

    #[test]
    fn an_xlsx_sheet_is_read_like_the_csv() {
        let dir = content();
        let path = dir.join("mau.xlsx");
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        for (c, name) in COLUMNS.iter().enumerate() {
            sheet.write_string(0, c as u16, *name).unwrap();
        }
        let row = [
            "",
            "A",
            "otp",
            "",
            "THCS",
            "Tin nhắn lạ gửi mã OTP, bạn làm gì?",
            "Bỏ qua, không đưa mã",
            "Gửi lại mã",
        ];
        for (c, value) in row.iter().enumerate() {
            sheet.write_string(1, c as u16, *value).unwrap();
        }
        sheet.write_number(1, 3, 1.0).unwrap();
        sheet.write_number(1, 12, 1.0).unwrap();
        sheet
            .write_string(1, 13, "Không bao giờ đưa mã OTP.")
            .unwrap();
        sheet.write_string(1, 14, "Cẩm nang").unwrap();
        workbook.save(&path).unwrap();
        let report = import_questions(&dir, &path).unwrap();
        assert_eq!(report.added, vec!["A-otp-002".to_string()]);
        let content = load_content(&dir).unwrap();
        let q = content
            .questions
            .iter()
            .find(|q| q.id == "A-otp-002")
            .unwrap();
        assert_eq!((q.difficulty, q.correct.clone()), (1, vec![0]));
    }
}
