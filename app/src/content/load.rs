//! Loading and validating `content/`: topics, lessons (Markdown with TOML front matter) and
//! question banks (TOML). Every problem is reported as `file:line: message` in Vietnamese.

use crate::attempt::types::MessageLayout;
use crate::codes::{SchoolLevel, Track};
use crate::domain::cues::{CueItem, CueReport, cue_report};
use crate::practice::types::SourceRef;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt;
use std::path::{Path, PathBuf};
use toml::Spanned;
use unicode_normalization::{UnicodeNormalization, is_nfc};

/// One problem in a content file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError {
    pub file: PathBuf,
    pub line: usize,
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// A topic from `topics.toml`.
#[derive(Clone, Debug, PartialEq)]
pub struct Topic {
    pub slug: String,
    pub track: Track,
    pub title: String,
    pub title_en: String,
    pub position: i32,
}

/// A validated lesson, its Markdown already rendered to sanitised HTML.
#[derive(Clone, Debug, PartialEq)]
pub struct Lesson {
    pub slug: String,
    pub title: String,
    pub track: Track,
    pub topic: String,
    pub levels: Vec<SchoolLevel>,
    pub minutes: u32,
    pub summary: String,
    pub sources: Vec<SourceRef>,
    pub body_html: String,
    pub content_hash: String,
}

/// A validated question; `correct` holds 0-based option indexes.
#[derive(Clone, Debug, PartialEq)]
pub struct Question {
    pub id: String,
    pub track: Track,
    pub topic: String,
    pub difficulty: u8,
    pub levels: Vec<SchoolLevel>,
    pub stem: String,
    pub options: Vec<String>,
    pub correct: Vec<usize>,
    pub explanation: String,
    pub source: String,
    /// Multiple choice, or a message whose parts (the options) are selected.
    pub kind: QuestionKind,
    /// Warning signs: the message around its parts.
    pub layout: Option<MessageLayout>,
    /// Warning signs: why each part is or is not suspicious (shown after submitting).
    pub part_notes: Vec<String>,
    /// Hash of everything a pupil sees or is scored on; a change makes a new revision.
    pub content_hash: String,
}

/// The kinds of question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    /// Options in a list, one or several right.
    Choice,
    /// "Spot the warning signs": select the suspicious parts of a message, scored per part.
    Signs,
}

impl QuestionKind {
    /// The code stored with a revision.
    pub fn code(self) -> &'static str {
        match self {
            QuestionKind::Choice => "choice",
            QuestionKind::Signs => "signs",
        }
    }
}

/// Everything in `content/`, validated.
#[derive(Clone, Debug, Default)]
pub struct ContentSet {
    pub topics: Vec<Topic>,
    pub lessons: Vec<Lesson>,
    pub questions: Vec<Question>,
    /// What a stem-blind guesser gets from each bank's options (file, figures), then the whole
    /// bank (`questions`).
    pub cues: Vec<(PathBuf, CueReport)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicsFile {
    #[serde(default)]
    topic: Vec<Spanned<RawTopic>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    slug: String,
    track: Spanned<String>,
    title: String,
    title_en: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrontMatter {
    slug: Spanned<String>,
    title: Spanned<String>,
    track: Spanned<String>,
    topic: Spanned<String>,
    levels: Spanned<Vec<String>>,
    minutes: Spanned<i64>,
    summary: Spanned<String>,
    sources: Spanned<Vec<RawSource>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    title: String,
    url: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    #[serde(default)]
    question: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    /// "trac-nghiem" (multiple choice, the default) or "dau-hieu" (spot the warning signs).
    #[serde(rename = "type")]
    kind: Option<Spanned<String>>,
    track: Spanned<String>,
    topic: Spanned<String>,
    difficulty: Spanned<i64>,
    levels: Spanned<Vec<String>>,
    stem: Spanned<String>,
    options: Option<Spanned<Vec<String>>>,
    correct: Option<Spanned<Vec<i64>>>,
    frame: Option<Spanned<String>>,
    sender: Option<Spanned<String>>,
    subject: Option<Spanned<String>>,
    message: Option<Spanned<String>>,
    parts: Option<Spanned<Vec<RawPart>>>,
    explanation: Spanned<String>,
    source: Spanned<String>,
}

/// One marked part of a warning-signs message, in the order of the marks.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPart {
    suspicious: bool,
    why: String,
}

/// Collects errors for one file, turning byte offsets into line numbers.
struct FileReport<'a> {
    file: PathBuf,
    text: &'a str,
    /// Line of the first byte of `text` within the file (front matter starts on line 2).
    first_line: usize,
    errors: &'a mut Vec<ContentError>,
}

impl FileReport<'_> {
    fn line_of(&self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        self.first_line + self.text[..offset].matches('\n').count()
    }

    fn at(&mut self, offset: usize, message: impl Into<String>) {
        let line = self.line_of(offset);
        self.at_line(line, message);
    }

    fn at_line(&mut self, line: usize, message: impl Into<String>) {
        self.errors.push(ContentError {
            file: self.file.clone(),
            line,
            message: message.into(),
        });
    }

    fn toml_error(&mut self, error: &toml::de::Error) {
        let offset = error.span().map(|s| s.start).unwrap_or(0);
        let message = translate_toml_error(error.message());
        self.at(offset, message);
    }
}

/// Turns the TOML parser's English messages into Vietnamese, keeping the detail.
fn translate_toml_error(message: &str) -> String {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field ") {
        let field = rest.split(',').next().unwrap_or(rest);
        format!("khóa không hợp lệ {field} (chỉ dùng các khóa được mô tả trong content/README.md)")
    } else if let Some(rest) = message.strip_prefix("missing field ") {
        format!("thiếu khóa bắt buộc {rest}")
    } else if message.starts_with("duplicate key") {
        format!("khóa bị lặp: {message}")
    } else if message.starts_with("invalid type") {
        format!("sai kiểu dữ liệu: {message}")
    } else {
        format!("lỗi cú pháp TOML: {message}")
    }
}

/// Loads and validates the whole content directory.
pub fn load_content(dir: &Path) -> Result<ContentSet, Vec<ContentError>> {
    let mut errors = Vec::new();
    let topics = load_topics(dir, &mut errors);
    let topic_tracks: HashMap<String, Track> =
        topics.iter().map(|t| (t.slug.clone(), t.track)).collect();
    let (lessons, links) = load_lessons(dir, &topic_tracks, &mut errors);
    for link in links {
        if !lessons.iter().any(|l| l.slug == link.slug) {
            errors.push(ContentError {
                file: link.file,
                line: link.line,
                message: format!(
                    "liên kết tới bài học “/bai-hoc/{}” không tồn tại",
                    link.slug
                ),
            });
        }
    }
    let (questions, cues) = load_questions(dir, &topic_tracks, &mut errors);
    if errors.is_empty() {
        Ok(ContentSet {
            topics,
            lessons,
            questions,
            cues,
        })
    } else {
        errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        Err(errors)
    }
}

fn read_file(dir: &Path, relative: &Path, errors: &mut Vec<ContentError>) -> Option<String> {
    match std::fs::read(dir.join(relative)) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => Some(text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned()),
            Err(_) => {
                errors.push(ContentError {
                    file: relative.to_path_buf(),
                    line: 1,
                    message: "tệp không phải UTF-8; hãy lưu lại với bảng mã UTF-8".into(),
                });
                None
            }
        },
        Err(e) => {
            errors.push(ContentError {
                file: relative.to_path_buf(),
                line: 1,
                message: format!("không đọc được tệp: {e}"),
            });
            None
        }
    }
}

/// Reports every line that is not in Unicode NFC.
fn check_nfc(report: &mut FileReport<'_>) {
    let lines: Vec<(usize, String)> = report
        .text
        .lines()
        .enumerate()
        .filter(|(_, line)| !is_nfc(line))
        .map(|(i, line)| (i, line.nfc().collect::<String>()))
        .collect();
    for (i, _) in lines {
        let line = report.first_line + i;
        report.at_line(
            line,
            "văn bản chưa ở dạng Unicode NFC (dấu tiếng Việt gõ tổ hợp); hãy chuẩn hóa về NFC",
        );
    }
}

/// One spelling in the whole content: “kỳ”, “ký” (never “kì”, “kí”), as the issue of
/// inconsistent spelling (kì/kỳ, đăng kí/đăng ký) asked.
fn check_spelling(report: &mut FileReport<'_>) {
    let lines: Vec<(usize, String)> = report
        .text
        .lines()
        .enumerate()
        .filter_map(|(i, line)| {
            let found: Vec<String> = line
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| matches!(w.to_lowercase().as_str(), "kì" | "kí"))
                .map(str::to_owned)
                .collect();
            (!found.is_empty()).then(|| (i, found.join(", ")))
        })
        .collect();
    for (i, found) in lines {
        let line = report.first_line + i;
        report.at_line(
            line,
            format!("viết “kỳ”, “ký” thay cho “{found}” (một cách viết trong toàn bộ nội dung)"),
        );
    }
}

/// Words a pupil reads in a lesson body: HTML comments (notes for authors) and link addresses
/// are not read.
pub fn reading_words(body: &str) -> usize {
    let mut text = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(start) = rest.find("<!--") {
        text.push_str(&rest[..start]);
        rest = match rest[start..].find("-->") {
            Some(end) => &rest[start + end + 3..],
            None => "",
        };
    }
    text.push_str(rest);
    // Markup (a figure's SVG) is not read; the words inside it (labels, caption) are.
    let mut words_only = String::with_capacity(text.len());
    let mut in_tag = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' if chars
                .peek()
                .is_some_and(|next| next.is_ascii_alphabetic() || *next == '/') =>
            {
                in_tag = true
            }
            '>' if in_tag => {
                in_tag = false;
                words_only.push(' ');
            }
            c if !in_tag => words_only.push(c),
            _ => {}
        }
    }
    words_only
        .split_whitespace()
        // A Markdown link `[chữ](địa-chỉ)` is read as its words.
        .map(|w| w.split("](").next().unwrap_or(w))
        .filter(|w| !w.contains("://"))
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

/// Words a minute an 11–12-year-old reads Vietnamese at (one word is one syllable).
pub const READING_WORDS_PER_MINUTE: usize = 130;

fn sorted_files(dir: &Path, extension: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|e| e == extension))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn load_topics(dir: &Path, errors: &mut Vec<ContentError>) -> Vec<Topic> {
    let relative = PathBuf::from("topics.toml");
    let Some(text) = read_file(dir, &relative, errors) else {
        return Vec::new();
    };
    let mut report = FileReport {
        file: relative,
        text: &text,
        first_line: 1,
        errors,
    };
    check_nfc(&mut report);
    check_spelling(&mut report);
    let parsed: TopicsFile = match toml::from_str(&text) {
        Ok(p) => p,
        Err(e) => {
            report.toml_error(&e);
            return Vec::new();
        }
    };
    let mut topics = Vec::new();
    let mut seen = HashMap::new();
    for (position, raw) in parsed.topic.into_iter().enumerate() {
        let start = raw.span().start;
        let raw = raw.into_inner();
        if !is_slug(&raw.slug) {
            report.at(
                start,
                format!(
                    "slug “{}” chỉ được gồm chữ thường không dấu, số và dấu gạch ngang",
                    raw.slug
                ),
            );
        }
        if seen.insert(raw.slug.clone(), ()).is_some() {
            report.at(start, format!("chủ đề “{}” bị khai báo hai lần", raw.slug));
        }
        for (field, text) in [("title", &raw.title), ("title_en", &raw.title_en)] {
            if let Some(problem) = crate::domain::text::plain_text_problem(text) {
                report.at(
                    start,
                    format!("“{field}” của chủ đề “{}” {problem}", raw.slug),
                );
            }
        }
        let Some(track) = Track::parse(raw.track.get_ref()) else {
            report.at(raw.track.span().start, "track phải là \"A\" hoặc \"B\"");
            continue;
        };
        topics.push(Topic {
            slug: raw.slug,
            track,
            title: raw.title,
            title_en: raw.title_en,
            position: position as i32,
        });
    }
    topics
}

fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn parse_levels(report: &mut FileReport<'_>, levels: &Spanned<Vec<String>>) -> Vec<SchoolLevel> {
    let mut parsed = Vec::new();
    for code in levels.get_ref() {
        match SchoolLevel::content_level(code) {
            Some(level) if !parsed.contains(&level) => parsed.push(level),
            Some(_) => report.at(levels.span().start, format!("cấp học “{code}” bị lặp")),
            None => report.at(
                levels.span().start,
                format!("cấp học “{code}” không hợp lệ (chỉ dùng \"THCS\" hoặc \"THPT\")"),
            ),
        }
    }
    if levels.get_ref().is_empty() {
        report.at(
            levels.span().start,
            "cần ít nhất một cấp học (\"THCS\" hoặc \"THPT\")",
        );
    }
    parsed.sort();
    parsed
}

fn check_track_topic(
    report: &mut FileReport<'_>,
    topics: &HashMap<String, Track>,
    track: &Spanned<String>,
    topic: &Spanned<String>,
) -> Option<Track> {
    let parsed = Track::parse(track.get_ref());
    if parsed.is_none() {
        report.at(track.span().start, "track phải là \"A\" hoặc \"B\"");
    }
    match topics.get(topic.get_ref()) {
        None => report.at(
            topic.span().start,
            format!("chủ đề “{}” không có trong topics.toml", topic.get_ref()),
        ),
        Some(topic_track) if Some(*topic_track) != parsed && parsed.is_some() => report.at(
            track.span().start,
            format!(
                "track {} khác với track {} của chủ đề “{}”",
                track.get_ref(),
                topic_track.code(),
                topic.get_ref()
            ),
        ),
        Some(_) => {}
    }
    parsed
}

fn non_empty(report: &mut FileReport<'_>, value: &Spanned<String>, field: &str) {
    if value.get_ref().trim().is_empty() {
        report.at(value.span().start, format!("thiếu nội dung “{field}”"));
    }
}

/// A title or summary is shown as plain text, in `<title>` too: no markup, no hidden controls.
fn plain(report: &mut FileReport<'_>, value: &Spanned<String>, field: &str) {
    if let Some(problem) = crate::domain::text::plain_text_problem(value.get_ref()) {
        report.at(value.span().start, format!("“{field}” {problem}"));
    }
}

/// A link from a lesson to another lesson, checked once all lessons are loaded.
struct LessonLink {
    file: PathBuf,
    line: usize,
    slug: String,
}

/// Links in `body` that point to `/bai-hoc/<slug>`, with their lines in the file.
fn lesson_links(file: &Path, body: &str, first_line: usize) -> Vec<LessonLink> {
    use pulldown_cmark::{Event, Parser, Tag};
    Parser::new(body)
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => {
                dest_url.strip_prefix("/bai-hoc/").map(|slug| LessonLink {
                    file: file.to_path_buf(),
                    line: first_line + body[..range.start].matches('\n').count(),
                    slug: slug
                        .trim_end_matches('/')
                        .split('#')
                        .next()
                        .unwrap_or("")
                        .to_owned(),
                })
            }
            _ => None,
        })
        .collect()
}

fn load_lessons(
    dir: &Path,
    topics: &HashMap<String, Track>,
    errors: &mut Vec<ContentError>,
) -> (Vec<Lesson>, Vec<LessonLink>) {
    let mut lessons: Vec<Lesson> = Vec::new();
    let mut links = Vec::new();
    for path in sorted_files(&dir.join("lessons"), "md") {
        let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
        let Some(text) = read_file(dir, &relative, errors) else {
            continue;
        };
        let mut whole = FileReport {
            file: relative.clone(),
            text: &text,
            first_line: 1,
            errors,
        };
        check_nfc(&mut whole);
        check_spelling(&mut whole);
        let Some((front, body)) = split_front_matter(&text) else {
            whole.at_line(
                1,
                "bài học phải bắt đầu bằng phần khai báo giữa hai dòng “+++”",
            );
            continue;
        };
        let body_first_line = 3 + front.matches('\n').count();
        let mut report = FileReport {
            file: relative.clone(),
            text: front,
            first_line: 2,
            errors,
        };
        let raw: RawFrontMatter = match toml::from_str(front) {
            Ok(raw) => raw,
            Err(e) => {
                report.toml_error(&e);
                continue;
            }
        };
        let expected_slug = path.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        if raw.slug.get_ref() != expected_slug {
            report.at(
                raw.slug.span().start,
                format!(
                    "slug “{}” phải trùng tên tệp “{expected_slug}”",
                    raw.slug.get_ref()
                ),
            );
        }
        if !is_slug(raw.slug.get_ref()) {
            report.at(
                raw.slug.span().start,
                "slug chỉ được gồm chữ thường không dấu, số và dấu gạch ngang",
            );
        }
        non_empty(&mut report, &raw.title, "title");
        non_empty(&mut report, &raw.summary, "summary");
        plain(&mut report, &raw.title, "title");
        plain(&mut report, &raw.summary, "summary");
        let track = check_track_topic(&mut report, topics, &raw.track, &raw.topic);
        let levels = parse_levels(&mut report, &raw.levels);
        let minutes = *raw.minutes.get_ref();
        if !(1..=30).contains(&minutes) {
            report.at(raw.minutes.span().start, "minutes phải từ 1 đến 30");
        }
        let words = reading_words(body);
        let expected = words.div_ceil(READING_WORDS_PER_MINUTE).max(1) as i64;
        if (minutes - expected).abs() > 1 {
            report.at(
                raw.minutes.span().start,
                format!(
                    "minutes = {minutes} không khớp độ dài bài: {words} chữ, khoảng {expected} phút ở tốc độ đọc {READING_WORDS_PER_MINUTE} chữ một phút"
                ),
            );
        }
        if raw.sources.get_ref().is_empty() {
            report.at(
                raw.sources.span().start,
                "bài học cần ít nhất một nguồn ([[sources]])",
            );
        }
        for source in raw.sources.get_ref() {
            if source.title.trim().is_empty() {
                report.at(raw.sources.span().start, "nguồn thiếu tiêu đề (title)");
            }
            if let Some(url) = &source.url
                && !(url.starts_with("https://") || url.starts_with("http://"))
            {
                report.at(
                    raw.sources.span().start,
                    format!("địa chỉ nguồn “{url}” phải bắt đầu bằng https://"),
                );
            }
        }
        if body.trim().is_empty() {
            report.at_line(body_first_line, "bài học chưa có nội dung");
        }
        if lessons.iter().any(|l| &l.slug == raw.slug.get_ref()) {
            report.at(
                raw.slug.span().start,
                format!("slug “{}” bị trùng", raw.slug.get_ref()),
            );
        }
        let mut body_report = FileReport {
            file: relative.clone(),
            text: body,
            first_line: body_first_line,
            errors: report.errors,
        };
        check_figures(&mut body_report, body);
        links.extend(lesson_links(&relative, body, body_first_line));
        let Some(track) = track else { continue };
        let body_html = render_markdown(body);
        let sources: Vec<SourceRef> = raw
            .sources
            .into_inner()
            .into_iter()
            .map(|s| SourceRef {
                title: s.title,
                url: s.url,
            })
            .collect();
        // The rendering is part of what a pupil sees: a change to it re-renders stored lessons.
        let content_hash = hash_of(&[LESSON_RENDERING, &text]);
        lessons.push(Lesson {
            slug: raw.slug.into_inner(),
            title: raw.title.into_inner(),
            track,
            topic: raw.topic.into_inner(),
            levels,
            minutes: minutes.clamp(0, 30) as u32,
            summary: raw.summary.into_inner(),
            sources,
            body_html,
            content_hash,
        });
    }
    (lessons, links)
}

/// Splits `+++\n<toml>\n+++\n<markdown>`.
fn split_front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))?;
    let mut offset = 0;
    for line in rest.split_inclusive('\n') {
        if line.trim_end() == "+++" {
            return Some((&rest[..offset], &rest[offset + line.len()..]));
        }
        offset += line.len();
    }
    None
}

/// Renders lesson Markdown to HTML and strips anything unsafe (scripts, event handlers, …).
pub fn render_markdown(markdown: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd, html};
    let parser = Parser::new_ext(
        markdown,
        Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH,
    );
    // A bare address in the text (a source list) becomes a link labelled with its site, so a
    // long address never runs off a phone's screen.
    let mut events = Vec::new();
    let mut in_link = 0usize;
    for event in parser {
        match event {
            Event::Start(Tag::Link { .. }) => {
                in_link += 1;
                events.push(event);
            }
            Event::End(TagEnd::Link) => {
                in_link = in_link.saturating_sub(1);
                events.push(event);
            }
            Event::Text(text) if in_link == 0 && text.contains("://") => {
                events.extend(linkify(&text));
            }
            other => events.push(other),
        }
    }
    let mut unsafe_html = String::new();
    html::push_html(&mut unsafe_html, events.into_iter());
    lesson_sanitiser().clean(&unsafe_html).to_string()
}

/// Tags a lesson figure may use: a `<figure>` with a `<figcaption>` and an inline SVG drawing.
/// No links, scripts, styles, images or animation: a figure is drawn from shapes and text.
pub const FIGURE_SVG_TAGS: &[&str] = &[
    "svg", "g", "rect", "circle", "ellipse", "line", "polyline", "polygon", "path", "text", "tspan",
];

/// Attributes an SVG drawing in a lesson may carry (shapes, text and their paint).
pub const FIGURE_SVG_ATTRIBUTES: &[&str] = &[
    "viewBox",
    "role",
    "aria-label",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "width",
    "height",
    "d",
    "points",
    "dx",
    "dy",
    "fill",
    "fill-opacity",
    "stroke",
    "stroke-width",
    "stroke-dasharray",
    "stroke-linecap",
    "stroke-linejoin",
    "opacity",
    "transform",
    "font-size",
    "font-weight",
    "font-style",
    "font-family",
    "text-anchor",
    "dominant-baseline",
    "text-decoration",
];

/// The sanitiser for lesson HTML: ammonia's defaults plus figures drawn in SVG.
fn lesson_sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: std::sync::OnceLock<ammonia::Builder<'static>> = std::sync::OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut builder = ammonia::Builder::default();
        builder.add_tags(["figure", "figcaption"]);
        builder.add_tags(FIGURE_SVG_TAGS.iter().copied());
        for tag in FIGURE_SVG_TAGS {
            builder.add_tag_attributes(tag, FIGURE_SVG_ATTRIBUTES.iter().copied());
        }
        builder
    })
}

/// Checks the figures of a lesson body: each `<svg>` sits in a `<figure>` with a
/// `<figcaption>`, says what it shows (`role="img"` and `aria-label`), uses only the allowed
/// tags and attributes (anything else would be silently dropped from what pupils see), and has
/// no blank line inside (a blank line ends an HTML block in Markdown).
fn check_figures(report: &mut FileReport<'_>, body: &str) {
    let mut search = 0;
    while let Some(found) = body[search..].find("<figure") {
        let start = search + found;
        let Some(length) = body[start..].find("</figure>") else {
            report.at(start, "hình (<figure>) chưa được đóng bằng </figure>");
            return;
        };
        let end = start + length + "</figure>".len();
        let figure = &body[start..end];
        if let Some(blank) = figure.find("\n\n").or_else(|| figure.find("\n \n")) {
            report.at(
                start + blank + 1,
                "hình không được có dòng trống ở giữa (dòng trống kết thúc khối HTML)",
            );
        }
        if !figure.contains("<figcaption>") {
            report.at(start, "hình cần chú thích <figcaption>…</figcaption>");
        }
        let mut svgs = 0;
        for (offset, tag, attributes) in tags_of(figure) {
            let at = start + offset;
            if tag == "figure" || tag == "figcaption" {
                if !attributes.is_empty() {
                    report.at(at, format!("thẻ <{tag}> không dùng thuộc tính"));
                }
                continue;
            }
            if !FIGURE_SVG_TAGS.contains(&tag.as_str()) {
                report.at(
                    at,
                    format!(
                        "thẻ <{tag}> không được dùng trong hình; chỉ dùng {}",
                        FIGURE_SVG_TAGS.join(", ")
                    ),
                );
                continue;
            }
            for (name, _) in &attributes {
                if !FIGURE_SVG_ATTRIBUTES.contains(&name.as_str()) {
                    report.at(
                        at,
                        format!("thuộc tính “{name}” của thẻ <{tag}> không được dùng trong hình"),
                    );
                }
            }
            if let Some((_, size)) = attributes.iter().find(|(name, _)| name == "font-size")
                && size.trim().parse::<f64>().is_ok_and(|size| size < 13.0)
            {
                report.at(
                    at,
                    format!("font-size=\"{size}\" quá nhỏ để đọc trên điện thoại; dùng cỡ chữ từ 13 trở lên"),
                );
            }
            if tag == "svg" {
                svgs += 1;
                let value = |key: &str| {
                    attributes
                        .iter()
                        .find(|(name, _)| name == key)
                        .map(|(_, value)| value.trim().to_owned())
                        .unwrap_or_default()
                };
                if value("role") != "img" || value("aria-label").is_empty() {
                    report.at(
                        at,
                        "hình vẽ <svg> cần role=\"img\" và aria-label=\"…\" mô tả hình cho người không nhìn thấy",
                    );
                }
                if value("viewBox").is_empty() {
                    report.at(at, "hình vẽ <svg> cần viewBox để co giãn theo màn hình");
                }
            }
        }
        if svgs == 0 {
            report.at(start, "hình (<figure>) cần một hình vẽ <svg>");
        }
        search = end;
    }
    // A drawing outside a figure would have no caption.
    let mut outside = body.to_owned();
    let mut cursor = 0;
    while let Some(found) = outside[cursor..].find("<figure") {
        let start = cursor + found;
        let end = outside[start..]
            .find("</figure>")
            .map(|l| start + l + "</figure>".len())
            .unwrap_or(outside.len());
        outside.replace_range(start..end, &" ".repeat(end - start));
        cursor = end;
    }
    if let Some(at) = outside.find("<svg") {
        report.at(at, "hình vẽ <svg> phải nằm trong <figure> có chú thích");
    }
}

/// An opening tag: its byte offset, its name as written, and its attributes (name, value).
type OpeningTag = (usize, String, Vec<(String, String)>);

/// The opening tags of an HTML fragment. Comments and closing tags are skipped.
fn tags_of(html: &str) -> Vec<OpeningTag> {
    let mut tags = Vec::new();
    let mut rest = 0;
    while let Some(found) = html[rest..].find('<') {
        let start = rest + found;
        let after = &html[start + 1..];
        if after.starts_with("!--") {
            rest = html[start..]
                .find("-->")
                .map(|l| start + l + 3)
                .unwrap_or(html.len());
            continue;
        }
        let Some(close) = after.find('>') else { break };
        rest = start + 1 + close + 1;
        let inner = after[..close].trim_end_matches('/');
        if inner.starts_with('/') {
            continue;
        }
        let name_end = inner
            .find(|c: char| c.is_whitespace())
            .unwrap_or(inner.len());
        let name = inner[..name_end].to_owned();
        if name.is_empty() || !name.chars().all(|c| c.is_ascii_alphanumeric()) {
            continue;
        }
        let mut attributes = Vec::new();
        let mut text = inner[name_end..].trim_start();
        while !text.is_empty() {
            let key_end = text
                .find(|c: char| c == '=' || c.is_whitespace())
                .unwrap_or(text.len());
            let key = text[..key_end].to_owned();
            text = text[key_end..].trim_start();
            let mut value = String::new();
            if let Some(after_eq) = text.strip_prefix('=') {
                let after_eq = after_eq.trim_start();
                if let Some(quote) = after_eq.chars().next().filter(|c| *c == '"' || *c == '\'') {
                    let body = &after_eq[1..];
                    let end = body.find(quote).unwrap_or(body.len());
                    value = body[..end].to_owned();
                    text = body.get(end + 1..).unwrap_or("").trim_start();
                } else {
                    let end = after_eq.find(char::is_whitespace).unwrap_or(after_eq.len());
                    value = after_eq[..end].to_owned();
                    text = after_eq[end..].trim_start();
                }
            }
            if key.is_empty() {
                break;
            }
            attributes.push((key, value));
        }
        tags.push((start, name, attributes));
    }
    tags
}

/// Changes when lesson Markdown renders differently, so stored lessons are rendered again.
const LESSON_RENDERING: &str = "4: figures drawn in SVG; quoted schemes stay text";

/// Text with bare `http(s)://` addresses split into text and links labelled with the site
/// (`consumer.ftc.gov`); trailing punctuation stays text.
fn linkify(text: &str) -> Vec<pulldown_cmark::Event<'static>> {
    use pulldown_cmark::{CowStr, Event, LinkType, Tag, TagEnd};
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = ["https://", "http://"]
        .iter()
        .filter_map(|scheme| rest.find(scheme))
        .min()
    {
        let tail = &rest[start..];
        let mut end = tail
            .find(|c: char| c.is_whitespace() || "<>\"“”‘’«»".contains(c))
            .unwrap_or(tail.len());
        while end > 0 && tail[..end].ends_with(['.', ',', ';', ':', ')', '(']) {
            end -= 1;
        }
        let url = &tail[..end];
        let host = url
            .split("://")
            .nth(1)
            .and_then(|after| after.split(['/', '?', '#']).next())
            .unwrap_or(url)
            .trim_start_matches("www.");
        if start > 0 {
            out.push(Event::Text(CowStr::from(rest[..start].to_owned())));
        }
        if host.is_empty() {
            out.push(Event::Text(CowStr::from(url.to_owned())));
        } else {
            out.push(Event::Start(Tag::Link {
                link_type: LinkType::Autolink,
                dest_url: CowStr::from(url.to_owned()),
                title: CowStr::from(String::new()),
                id: CowStr::from(String::new()),
            }));
            out.push(Event::Text(CowStr::from(host.to_owned())));
            out.push(Event::End(TagEnd::Link));
        }
        rest = &tail[end..];
    }
    if !rest.is_empty() {
        out.push(Event::Text(CowStr::from(rest.to_owned())));
    }
    out
}

fn hash_of(parts: &[&str]) -> String {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update((part.len() as u64).to_le_bytes());
        hasher.update(part.as_bytes());
    }
    hex::encode(&hasher.finalize()[..16])
}

fn word_set(normalised: &str) -> HashSet<String> {
    normalised.split(' ').map(str::to_owned).collect()
}

/// Two stems of at least 8 words sharing 90% of their words (Jaccard) say the same thing.
pub fn is_near_duplicate(a: &HashSet<String>, b: &HashSet<String>) -> bool {
    if a.len() < 8 || b.len() < 8 {
        return false;
    }
    let common = a.intersection(b).count();
    let union = a.union(b).count();
    common * 10 >= union * 9
}

/// Lowercase, without diacritics, punctuation or repeated spaces: for spotting duplicate stems.
pub fn normalise_for_comparison(text: &str) -> String {
    let folded: String = text
        .nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' | 'Đ' => 'd',
            c if c.is_alphanumeric() => c,
            _ => ' ',
        })
        .collect::<String>()
        .to_lowercase();
    folded.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn load_questions(
    dir: &Path,
    topics: &HashMap<String, Track>,
    errors: &mut Vec<ContentError>,
) -> (Vec<Question>, Vec<(PathBuf, CueReport)>) {
    let mut questions: Vec<Question> = Vec::new();
    let mut cues: Vec<(PathBuf, CueReport)> = Vec::new();
    // (options, key) of every single-answer question, for the whole bank's figures.
    let mut all_single: Vec<(Vec<String>, usize)> = Vec::new();
    let mut ids: HashMap<String, (PathBuf, usize)> = HashMap::new();
    let mut stems: BTreeMap<String, (PathBuf, usize)> = BTreeMap::new();
    let mut similar: Vec<(PathBuf, usize, HashSet<String>)> = Vec::new();
    for path in sorted_files(&dir.join("questions"), "toml") {
        let relative = path.strip_prefix(dir).unwrap_or(&path).to_path_buf();
        let Some(text) = read_file(dir, &relative, errors) else {
            continue;
        };
        let mut report = FileReport {
            file: relative.clone(),
            text: &text,
            first_line: 1,
            errors,
        };
        check_nfc(&mut report);
        check_spelling(&mut report);
        let parsed: QuestionFile = match toml::from_str(&text) {
            Ok(p) => p,
            Err(e) => {
                report.toml_error(&e);
                continue;
            }
        };
        if parsed.question.is_empty() {
            report.at_line(1, "tệp không có câu hỏi nào ([[question]])");
        }
        // (correct position, option count) of single-answer questions, for the spread check.
        let mut single_answers: Vec<(usize, usize)> = Vec::new();
        let mut file_single: Vec<(Vec<String>, usize)> = Vec::new();
        for raw in parsed.question {
            let raw = raw.into_inner();
            let id_line = report.line_of(raw.id.span().start);
            let id = raw.id.get_ref().trim().to_owned();
            if id.is_empty() {
                report.at_line(id_line, "câu hỏi thiếu id");
            } else if let Some((file, line)) = ids.get(&id) {
                let message = format!("id “{id}” bị trùng với câu hỏi ở {}:{line}", file.display());
                report.at_line(id_line, message);
            } else {
                ids.insert(id.clone(), (relative.clone(), id_line));
            }
            let track = check_track_topic(&mut report, topics, &raw.track, &raw.topic);
            let difficulty = *raw.difficulty.get_ref();
            if !(1..=3).contains(&difficulty) {
                report.at(
                    raw.difficulty.span().start,
                    "difficulty phải là 1, 2 hoặc 3",
                );
            }
            let levels = parse_levels(&mut report, &raw.levels);
            non_empty(&mut report, &raw.stem, "stem");
            non_empty(&mut report, &raw.explanation, "explanation");
            non_empty(&mut report, &raw.source, "source");
            let kind = match raw.kind.as_ref() {
                None => QuestionKind::Choice,
                Some(kind) => match kind.get_ref().as_str() {
                    "trac-nghiem" => QuestionKind::Choice,
                    "dau-hieu" => QuestionKind::Signs,
                    other => {
                        report.at(
                            kind.span().start,
                            format!("type “{other}” không có; dùng “trac-nghiem” (mặc định) hoặc “dau-hieu”"),
                        );
                        QuestionKind::Choice
                    }
                },
            };
            // Warning-signs items share stems ("Tin nhắn sau có những chỗ nào đáng ngờ?"): their
            // message is what makes them different.
            let compared = match kind {
                QuestionKind::Choice => raw.stem.get_ref().clone(),
                QuestionKind::Signs => format!(
                    "{} {}",
                    raw.stem.get_ref(),
                    raw.message
                        .as_ref()
                        .map(|m| m.get_ref().as_str())
                        .unwrap_or("")
                ),
            };
            let normalised = normalise_for_comparison(&compared);
            let stem_line = report.line_of(raw.stem.span().start);
            if !normalised.is_empty() {
                let words = word_set(&normalised);
                if let Some((file, line, _)) = similar.iter().find(|(_, _, other)| {
                    !stems.contains_key(&normalised) && is_near_duplicate(&words, other)
                }) {
                    let message = format!(
                        "nội dung câu hỏi gần trùng với câu ở {}:{line}; hãy viết lại hoặc bỏ một câu",
                        file.display()
                    );
                    report.at_line(stem_line, message);
                }
                similar.push((relative.clone(), stem_line, words));
                if let Some((file, line)) = stems.get(&normalised) {
                    let message =
                        format!("nội dung câu hỏi trùng với câu ở {}:{line}", file.display());
                    report.at_line(stem_line, message);
                } else {
                    stems.insert(normalised, (relative.clone(), stem_line));
                }
            }
            let checked = match kind {
                QuestionKind::Choice => {
                    choice_options(&mut report, &raw).map(|(options, correct)| {
                        if correct.len() == 1 {
                            single_answers.push((correct[0], options.len()));
                            file_single.push((options.clone(), correct[0]));
                        }
                        (options, correct, None, Vec::new())
                    })
                }
                QuestionKind::Signs => {
                    signs_parts(&mut report, &raw).map(|(options, correct, layout, notes)| {
                        (options, correct, Some(layout), notes)
                    })
                }
            };
            let Some(track) = track else { continue };
            let Some((options, correct, layout, part_notes)) = checked else {
                continue;
            };
            let correct_text = serde_json::to_string(&correct).unwrap_or_default();
            let options_text = serde_json::to_string(&options).unwrap_or_default();
            let mut hashed: Vec<String> = vec![
                raw.stem.get_ref().clone(),
                options_text,
                correct_text,
                raw.explanation.get_ref().clone(),
                raw.source.get_ref().clone(),
            ];
            // A multiple-choice question hashes as it always did (no new revision for it).
            if let Some(layout) = &layout {
                hashed.push(kind.code().to_owned());
                hashed.push(serde_json::to_string(layout).unwrap_or_default());
                hashed.push(serde_json::to_string(&part_notes).unwrap_or_default());
            }
            let content_hash = hash_of(&hashed.iter().map(String::as_str).collect::<Vec<_>>());
            questions.push(Question {
                id,
                track,
                topic: raw.topic.into_inner(),
                difficulty: difficulty.clamp(1, 3) as u8,
                levels,
                stem: raw.stem.into_inner(),
                options,
                correct,
                explanation: raw.explanation.into_inner(),
                source: raw.source.into_inner(),
                kind,
                layout,
                part_notes,
                content_hash,
            });
        }
        if let Some(message) = uneven_positions(&single_answers) {
            report.at_line(1, message);
        }
        let figures = cues_of(&file_single);
        if let Some(message) = cue_problem(&figures, MAX_CUE_POINTS_PER_FILE) {
            report.at_line(1, message);
        }
        cues.push((relative, figures));
        all_single.extend(file_single);
    }
    let whole = cues_of(&all_single);
    if let Some(message) = cue_problem(&whole, MAX_CUE_POINTS_WHOLE_BANK) {
        errors.push(ContentError {
            file: PathBuf::from("questions"),
            line: 1,
            message: format!("cả ngân hàng: {message}"),
        });
    }
    cues.push((PathBuf::from("questions"), whole));
    (questions, cues)
}

/// The options and key of a multiple-choice question (0-based, sorted), checked; `None` when
/// they cannot be used.
fn choice_options(
    report: &mut FileReport<'_>,
    raw: &RawQuestion,
) -> Option<(Vec<String>, Vec<usize>)> {
    for (field, start) in [
        ("frame", raw.frame.as_ref().map(|f| f.span().start)),
        ("sender", raw.sender.as_ref().map(|f| f.span().start)),
        ("subject", raw.subject.as_ref().map(|f| f.span().start)),
        ("message", raw.message.as_ref().map(|f| f.span().start)),
        ("parts", raw.parts.as_ref().map(|f| f.span().start)),
    ] {
        if let Some(start) = start {
            report.at(
                start,
                format!("{field} chỉ dùng cho câu hỏi type = \"dau-hieu\""),
            );
        }
    }
    let (Some(raw_options), Some(raw_correct)) = (&raw.options, &raw.correct) else {
        let at = report.line_of(raw.id.span().start);
        report.at_line(at, "câu hỏi trắc nghiệm cần options và correct");
        return None;
    };
    let options = raw_options.get_ref();
    if !(2..=6).contains(&options.len()) {
        report.at(
            raw_options.span().start,
            format!("cần từ 2 đến 6 phương án, hiện có {}", options.len()),
        );
    }
    for (i, option) in options.iter().enumerate() {
        if option.trim().is_empty() {
            report.at(
                raw_options.span().start,
                format!("phương án {} để trống", i + 1),
            );
        }
        if options[..i].iter().any(|o| o.trim() == option.trim()) {
            report.at(
                raw_options.span().start,
                format!("phương án {} bị lặp", i + 1),
            );
        }
    }
    let mut correct = Vec::new();
    for &c in raw_correct.get_ref() {
        if c < 1 || c as usize > options.len() {
            report.at(
                raw_correct.span().start,
                format!(
                    "đáp án đúng {c} không có trong {} phương án (đánh số từ 1)",
                    options.len()
                ),
            );
        } else if correct.contains(&(c as usize - 1)) {
            report.at(raw_correct.span().start, format!("đáp án đúng {c} bị lặp"));
        } else {
            correct.push(c as usize - 1);
        }
    }
    if raw_correct.get_ref().is_empty() {
        report.at(
            raw_correct.span().start,
            "câu hỏi chưa có đáp án đúng (correct)",
        );
    } else if !options.is_empty() && correct.len() == options.len() {
        report.at(
            raw_correct.span().start,
            "mọi phương án đều đúng: cần ít nhất một phương án sai",
        );
    }
    correct.sort_unstable();
    Some((options.clone(), correct))
}

/// Most parts a warning-signs message may mark.
pub const MAX_SIGN_PARTS: usize = 12;

/// A warning-signs message as loaded: the parts' texts (the options), the suspicious ones (the
/// key), the layout shown to pupils and the note for each part.
type SignsParts = (Vec<String>, Vec<usize>, MessageLayout, Vec<String>);

/// A warning-signs message, checked.
fn signs_parts(report: &mut FileReport<'_>, raw: &RawQuestion) -> Option<SignsParts> {
    use crate::attempt::types::Frame;
    use crate::domain::signs::parse_marked;
    for (field, start) in [
        ("options", raw.options.as_ref().map(|f| f.span().start)),
        ("correct", raw.correct.as_ref().map(|f| f.span().start)),
    ] {
        if let Some(start) = start {
            report.at(
                start,
                format!("câu hỏi “dau-hieu” không dùng {field}: các phần đáng ngờ ghi trong parts"),
            );
        }
    }
    let id_line = report.line_of(raw.id.span().start);
    let frame = match &raw.frame {
        None => {
            report.at_line(
                id_line,
                "câu hỏi “dau-hieu” cần frame (sms, chat, email hoặc web)",
            );
            None
        }
        Some(frame) => {
            let found = Frame::from_code(frame.get_ref().trim());
            if found.is_none() {
                report.at(
                    frame.span().start,
                    format!(
                        "frame “{}” không có; dùng sms, chat, email hoặc web",
                        frame.get_ref()
                    ),
                );
            }
            found
        }
    };
    let Some(message) = &raw.message else {
        report.at_line(
            id_line,
            "câu hỏi “dau-hieu” cần message (nội dung tin nhắn hoặc trang)",
        );
        return None;
    };
    let Some(sender) = &raw.sender else {
        report.at_line(
            id_line,
            "câu hỏi “dau-hieu” cần sender (người gửi, địa chỉ thư hoặc địa chỉ trang)",
        );
        return None;
    };
    if sender.get_ref().trim().is_empty() {
        report.at(sender.span().start, "sender để trống");
    }
    if let (Some(subject), Some(frame)) = (&raw.subject, frame)
        && frame != Frame::Email
        && !subject.get_ref().trim().is_empty()
    {
        report.at(
            subject.span().start,
            "subject chỉ dùng với frame = \"email\"",
        );
    }
    // The line in the file of a byte offset inside a string value (a multi-line string drops
    // the newline right after its opening quotes).
    let line_in = |report: &FileReport<'_>, field: &Spanned<String>, offset: usize| {
        let start = field.span().start;
        let opening = &report.text[start.min(report.text.len())..];
        let skipped = usize::from(opening.starts_with("\"\"\"\n") || opening.starts_with("'''\n"));
        report.line_of(start)
            + skipped
            + field.get_ref()[..offset.min(field.get_ref().len())]
                .matches('\n')
                .count()
    };
    let mut texts: Vec<String> = Vec::new();
    let mut failed = false;
    let mut marked =
        |report: &mut FileReport<'_>, field: &Spanned<String>, text: &str, base: usize| {
            match parse_marked(text, texts.len()) {
                Ok((segments, parts)) => {
                    texts.extend(parts);
                    segments
                }
                Err(error) => {
                    let line = line_in(report, field, base + error.offset());
                    report.at_line(line, error.to_string());
                    failed = true;
                    Vec::new()
                }
            }
        };
    let sender_segments = marked(report, sender, sender.get_ref(), 0);
    let subject_segments = match &raw.subject {
        Some(subject) => marked(report, subject, subject.get_ref(), 0),
        None => Vec::new(),
    };
    let mut body = Vec::new();
    let whole = message.get_ref();
    let mut offset = 0;
    for paragraph in whole.split("\n\n") {
        let trimmed = paragraph.trim();
        if !trimmed.is_empty() {
            let base = offset + paragraph.find(trimmed).unwrap_or(0);
            body.push(marked(report, message, trimmed, base));
        }
        offset += paragraph.len() + 2;
    }
    if body.is_empty() {
        report.at(message.span().start, "message để trống");
    }
    let parts = raw
        .parts
        .as_ref()
        .map(|p| p.get_ref().as_slice())
        .unwrap_or(&[]);
    let parts_at = raw
        .parts
        .as_ref()
        .map(|p| report.line_of(p.span().start))
        .unwrap_or(id_line);
    if failed {
        return None;
    }
    if texts.len() < 2 || texts.len() > MAX_SIGN_PARTS {
        report.at_line(
            parts_at,
            format!(
                "cần từ 2 đến {MAX_SIGN_PARTS} phần được đánh dấu {{{{…}}}} trong sender, subject và message; hiện có {}",
                texts.len()
            ),
        );
        return None;
    }
    if parts.len() != texts.len() {
        report.at_line(
            parts_at,
            format!(
                "có {} phần được đánh dấu {{{{…}}}} nhưng parts có {} mục: mỗi phần cần một mục, theo thứ tự",
                texts.len(),
                parts.len()
            ),
        );
        return None;
    }
    let suspicious: Vec<usize> = parts
        .iter()
        .enumerate()
        .filter(|(_, part)| part.suspicious)
        .map(|(i, _)| i)
        .collect();
    if suspicious.is_empty() {
        report.at_line(
            parts_at,
            "cần ít nhất một phần đáng ngờ (suspicious = true)",
        );
    }
    if suspicious.len() == parts.len() {
        report.at_line(
            parts_at,
            "cần ít nhất một phần không đáng ngờ (suspicious = false), để học sinh phải phân biệt",
        );
    }
    for (i, part) in parts.iter().enumerate() {
        if part.why.trim().is_empty() {
            report.at_line(
                parts_at,
                format!("phần {} (“{}”) thiếu why", i + 1, texts[i]),
            );
        }
    }
    let frame = frame?;
    Some((
        texts,
        suspicious,
        MessageLayout {
            frame,
            sender: sender_segments,
            subject: subject_segments,
            body,
        },
        parts.iter().map(|p| p.why.trim().to_owned()).collect(),
    ))
}

/// How far a stem-blind guesser may beat chance in one file (about one question in a bank of 12
/// to 20, which chance alone can give) and in the whole bank.
pub const MAX_CUE_POINTS_PER_FILE: f64 = 12.0;
pub const MAX_CUE_POINTS_WHOLE_BANK: f64 = 5.0;
/// Below this many single-answer questions a file's figures are noise and are only reported.
const MIN_CUE_QUESTIONS: usize = 8;

fn cues_of(single: &[(Vec<String>, usize)]) -> CueReport {
    let items: Vec<CueItem<'_>> = single
        .iter()
        .map(|(options, key)| CueItem { options, key: *key })
        .collect();
    cue_report(&items)
}

/// The message when a guesser who never reads the stem beats chance by more than `limit` points.
fn cue_problem(figures: &CueReport, limit: f64) -> Option<String> {
    if figures.questions < MIN_CUE_QUESTIONS {
        return None;
    }
    let (strategy, points) = figures.best()?;
    (points > limit).then(|| {
        format!(
            "hình thức phương án để lộ đáp án: người không đọc câu hỏi mà “{}” đúng {:.0}% số câu một đáp án, hơn đoán may rủi ({:.0}%) {:.0} điểm (tối đa {limit:.0}); hãy viết các phương án cho song song",
            strategy.label(),
            figures.chance + points,
            figures.chance,
            points
        )
    })
}

/// Pupils learn to guess "always B": in a bank of at least 8 single-answer questions, no
/// position may hold more than 40% or less than 10% of the right answers among the questions
/// that have that many options.
pub fn uneven_positions(single_answers: &[(usize, usize)]) -> Option<String> {
    const MIN_BANK: usize = 8;
    let mut problems = Vec::new();
    for position in 0..4 {
        let eligible: Vec<&(usize, usize)> = single_answers
            .iter()
            .filter(|(_, n)| *n > position)
            .collect();
        if eligible.len() < MIN_BANK {
            continue;
        }
        let here = eligible.iter().filter(|(c, _)| *c == position).count();
        let share = here as f64 / eligible.len() as f64;
        if !(0.10..=0.40).contains(&share) {
            problems.push(format!(
                "vị trí {}: {here}/{} câu ({:.0}%)",
                position + 1,
                eligible.len(),
                share * 100.0
            ));
        }
    }
    (!problems.is_empty()).then(|| {
        format!(
            "đáp án đúng phân bố không đều giữa các vị trí (mỗi vị trí nên chiếm 10–40%): {}",
            problems.join("; ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Fixture(PathBuf);

    impl Fixture {
        fn new(files: &[(&str, &str)]) -> Fixture {
            let dir = std::env::temp_dir().join(format!("ks-content-{}", uuid::Uuid::new_v4()));
            for (name, text) in files {
                let path = dir.join(name);
                std::fs::create_dir_all(path.parent().unwrap()).unwrap();
                std::fs::write(path, text).unwrap();
            }
            Fixture(dir)
        }

        fn errors(&self) -> Vec<String> {
            match load_content(&self.0) {
                Ok(_) => Vec::new(),
                Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
            }
        }
    }

    impl Drop for Fixture {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    const TOPICS: &str =
        "[[topic]]\nslug = \"otp\"\ntrack = \"A\"\ntitle = \"Mã OTP\"\ntitle_en = \"OTP\"\n";

    fn question(id: &str, extra: &str) -> String {
        format!(
            "[[question]]\nid = \"{id}\"\ntrack = \"A\"\ntopic = \"otp\"\ndifficulty = 1\nlevels = [\"THCS\"]\nstem = \"Câu hỏi {id}?\"\noptions = [\"Có\", \"Không\"]\ncorrect = [2]\nexplanation = \"Vì thế.\"\nsource = \"Nguồn\"\n{extra}"
        )
    }

    const LESSON: &str = "+++\nslug = \"bai-otp\"\ntitle = \"Mã OTP\"\ntrack = \"A\"\ntopic = \"otp\"\nlevels = [\"THCS\", \"THPT\"]\nminutes = 1\nsummary = \"Tóm tắt\"\n\n[[sources]]\ntitle = \"Cẩm nang\"\n+++\n## Mở đầu\n\nKhông chia sẻ mã OTP.<script>alert(1)</script>\n";

    #[test]
    fn valid_content_loads_with_zero_based_keys_and_sanitised_html() {
        let fixture = Fixture::new(&[
            ("topics.toml", TOPICS),
            ("lessons/bai-otp.md", LESSON),
            ("questions/otp.toml", &question("A-otp-001", "")),
        ]);
        let content = load_content(&fixture.0).expect("valid");
        assert_eq!(content.topics.len(), 1);
        assert_eq!(content.questions[0].correct, vec![1]);
        let html = &content.lessons[0].body_html;
        assert!(html.contains("<h2>Mở đầu</h2>"), "{html}");
        assert!(!html.contains("<script"), "{html}");
    }

    #[test]
    fn markup_in_a_lesson_or_topic_title_is_refused_with_its_line() {
        let lesson = LESSON.replace(
            "title = \"Mã OTP\"\ntrack",
            "title = \"Mã OTP</title><meta http-equiv=refresh content=0>\"\ntrack",
        );
        let topics = TOPICS.replace("title_en = \"OTP\"", "title_en = \"OTP\u{202e}\"");
        let fixture = Fixture::new(&[("topics.toml", &topics), ("lessons/bai-otp.md", &lesson)]);
        let errors = fixture.errors();
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("lessons/bai-otp.md:3:")
                    && e.contains("“title” không được chứa")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("topics.toml:") && e.contains("“title_en” của chủ đề “otp”")),
            "{errors:?}"
        );
    }

    #[test]
    fn an_unknown_key_is_reported_with_its_line() {
        let fixture = Fixture::new(&[
            ("topics.toml", TOPICS),
            (
                "questions/otp.toml",
                &question("A-otp-001", "hint = \"x\"\n"),
            ),
        ]);
        let errors = fixture.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(errors[0].starts_with("questions/otp.toml:"), "{errors:?}");
        assert!(errors[0].contains("khóa không hợp lệ `hint`"), "{errors:?}");
    }

    #[test]
    fn duplicate_ids_name_both_places() {
        let bank = format!(
            "{}\n{}",
            question("A-otp-001", ""),
            question("A-otp-001", "").replace("Câu hỏi", "Hỏi khác")
        );
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        let errors = fixture.errors();
        assert_eq!(
            errors,
            vec![
                "questions/otp.toml:14: id “A-otp-001” bị trùng với câu hỏi ở questions/otp.toml:2"
                    .to_string()
            ]
        );
    }

    #[test]
    fn a_question_without_a_correct_option_is_refused() {
        let bank = question("A-otp-001", "").replace("correct = [2]", "correct = []");
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        let errors = fixture.errors();
        assert_eq!(
            errors,
            vec!["questions/otp.toml:9: câu hỏi chưa có đáp án đúng (correct)".to_string()]
        );
    }

    #[test]
    fn a_missing_explanation_or_source_is_refused() {
        let bank = question("A-otp-001", "").replace("explanation = \"Vì thế.\"\n", "");
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        let errors = fixture.errors();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].contains("thiếu khóa bắt buộc `explanation`"),
            "{errors:?}"
        );
        let bank = question("A-otp-001", "").replace("source = \"Nguồn\"", "source = \"  \"");
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        assert_eq!(
            fixture.errors(),
            vec!["questions/otp.toml:11: thiếu nội dung “source”".to_string()]
        );
    }

    #[test]
    fn text_not_in_nfc_is_refused_with_its_line() {
        // "Câu" written with a combining circumflex (NFD).
        let bank = question("A-otp-001", "").replace("Câu hỏi", "Ca\u{302}u hỏi");
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        let errors = fixture.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("questions/otp.toml:7: văn bản chưa ở dạng Unicode NFC"),
            "{errors:?}"
        );
    }

    #[test]
    fn option_counts_ranges_and_topics_are_checked() {
        let bank = question("A-otp-001", "")
            .replace("options = [\"Có\", \"Không\"]", "options = [\"Có\"]")
            .replace("topic = \"otp\"", "topic = \"khong-co\"");
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        let errors = fixture.errors();
        assert!(
            errors
                .iter()
                .any(|e| e.contains("cần từ 2 đến 6 phương án")),
            "{errors:?}"
        );
        assert!(
            errors.iter().any(|e| e.contains("đáp án đúng 2 không có")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.contains("chủ đề “khong-co” không có")),
            "{errors:?}"
        );
    }

    #[test]
    fn stems_that_differ_only_in_case_spaces_or_diacritics_are_duplicates() {
        let bank = format!(
            "{}\n{}",
            question("A-otp-001", ""),
            question("A-otp-002", "").replace("Câu hỏi A-otp-002?", "CAU  HOI a-otp-001")
        );
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        let errors = fixture.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("trùng với câu ở questions/otp.toml:7"),
            "{errors:?}"
        );
    }

    #[test]
    fn stems_that_differ_by_a_word_or_two_are_near_duplicates() {
        let stem = "Bạn nhận được tin nhắn Zalo từ một người lạ xin mã OTP vừa gửi về điện thoại";
        let bank = format!(
            "{}\n{}",
            question("A-otp-001", "").replace("Câu hỏi A-otp-001?", stem),
            question("A-otp-002", "").replace("Câu hỏi A-otp-002?", &format!("{stem} của bạn"))
        );
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        let errors = fixture.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].contains("gần trùng với câu ở questions/otp.toml:7"),
            "{errors:?}"
        );
        let a = word_set(&normalise_for_comparison(
            "Một bài đăng chia sẻ ảnh lũ lụt kèm dòng chữ chia sẻ ngay",
        ));
        let b = word_set(&normalise_for_comparison(
            "Một bài đăng chia sẻ video cháy rừng kèm lời kêu gọi quyên góp",
        ));
        assert!(!is_near_duplicate(&a, &b));
    }

    #[test]
    fn a_lesson_slug_must_match_its_file_and_front_matter_is_required() {
        let fixture = Fixture::new(&[
            ("topics.toml", TOPICS),
            ("lessons/ten-khac.md", LESSON),
            ("lessons/khong-khai-bao.md", "# Chỉ có nội dung\n"),
        ]);
        let errors = fixture.errors();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("lessons/khong-khai-bao.md:1: bài học phải bắt đầu"),
            "{errors:?}"
        );
        assert!(
            errors[1].starts_with("lessons/ten-khac.md:2: slug “bai-otp” phải trùng tên tệp"),
            "{errors:?}"
        );
    }

    #[test]
    fn an_edit_changes_the_content_hash() {
        let a = Fixture::new(&[
            ("topics.toml", TOPICS),
            ("questions/otp.toml", &question("A-otp-001", "")),
        ]);
        let b = Fixture::new(&[
            ("topics.toml", TOPICS),
            (
                "questions/otp.toml",
                &question("A-otp-001", "").replace("Vì thế.", "Vì vậy."),
            ),
        ]);
        let ha = load_content(&a.0).unwrap().questions[0]
            .content_hash
            .clone();
        let hb = load_content(&b.0).unwrap().questions[0]
            .content_hash
            .clone();
        assert_ne!(ha, hb);
        assert_eq!(ha, load_content(&a.0).unwrap().questions[0].content_hash);
    }

    #[test]
    fn correct_answers_piled_on_one_position_are_refused() {
        let even: Vec<(usize, usize)> = (0..12).map(|i| (i % 4, 4)).collect();
        assert_eq!(uneven_positions(&even), None);
        let piled: Vec<(usize, usize)> = (0..12)
            .map(|i| (if i < 8 { 1 } else { i % 4 }, 4))
            .collect();
        let message = uneven_positions(&piled).unwrap();
        assert!(message.contains("vị trí 2: 9/12 câu (75%)"), "{message}");
        // Too few questions to judge.
        assert_eq!(uneven_positions(&[(1, 4); 5]), None);
    }

    /// A bank of `n` single-answer questions whose options are given by `options(i)`, key first
    /// moved to position `key(i)`.
    fn bank_of(
        n: usize,
        options: impl Fn(usize) -> [String; 4],
        key: impl Fn(usize) -> usize,
    ) -> String {
        (0..n)
            .map(|i| {
                let opts = options(i);
                let list = opts.iter().map(|o| format!("\"{o}\"")).collect::<Vec<_>>().join(", ");
                format!(
                    "[[question]]\nid = \"A-otp-{i:03}\"\ntrack = \"A\"\ntopic = \"otp\"\ndifficulty = 1\nlevels = [\"THCS\"]\nstem = \"Tình huống số {i} về mã xác nhận {}?\"\noptions = [{list}]\ncorrect = [{}]\nexplanation = \"Vì thế.\"\nsource = \"Nguồn\"\n\n",
                    "x".repeat(i + 1),
                    key(i) + 1
                )
            })
            .collect()
    }

    #[test]
    fn a_bank_whose_form_gives_the_key_away_is_refused_with_its_figures() {
        // The key is always the only option with a comma: a guesser who never reads the stem
        // gets every point.
        let options = |i: usize| {
            let mut o = [
                format!("Đọc mã {i}"),
                format!("Gửi mã {i}"),
                format!("Chụp mã {i}"),
                format!("Chia sẻ mã {i}"),
            ];
            o[i % 4] = format!("Không đọc, gọi lại {i}");
            o
        };
        let bank = bank_of(12, options, |i| i % 4);
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        let errors = fixture.errors();
        assert!(
            errors.iter().any(|e| e
                .starts_with("questions/otp.toml:1: hình thức phương án để lộ đáp án")
                && e.contains("đúng 100%")),
            "{errors:?}"
        );
        assert!(
            errors
                .iter()
                .any(|e| e.starts_with("questions:1: cả ngân hàng")),
            "{errors:?}"
        );
        // The same bank with parallel options passes, and its figures are reported.
        let parallel = |i: usize| {
            [
                format!("Đọc mã {i}"),
                format!("Gửi mã {i}"),
                format!("Chụp mã {i}"),
                format!("Giữ mã {i}"),
            ]
        };
        let bank = bank_of(12, parallel, |i| i % 4);
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        let content = load_content(&fixture.0).unwrap();
        let (file, figures) = &content.cues[0];
        assert_eq!(file, &PathBuf::from("questions/otp.toml"));
        assert_eq!(figures.questions, 12);
        assert!(
            figures.best().unwrap().1 <= MAX_CUE_POINTS_PER_FILE,
            "{figures:?}"
        );
    }

    #[test]
    fn a_reading_time_that_does_not_fit_the_lesson_is_refused_at_its_line() {
        let words = "chữ ".repeat(650);
        let lesson = LESSON.replace("minutes = 1", "minutes = 2").replace(
            "Không chia sẻ mã OTP.",
            &format!("{words}<!-- ghi chú cho người viết không tính -->"),
        );
        let fixture = Fixture::new(&[
            ("topics.toml", TOPICS),
            ("lessons/bai-otp.md", &lesson),
            ("questions/otp.toml", &question("A-otp-001", "")),
        ]);
        let errors = fixture.errors();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("lessons/bai-otp.md:7: minutes = 2 không khớp độ dài bài:"),
            "{errors:?}"
        );
        assert!(errors[0].contains("khoảng 6 phút"), "{errors:?}");
        // 5, 6 or 7 minutes are accepted for about 6 minutes of reading.
        let fixture = Fixture::new(&[
            ("topics.toml", TOPICS),
            (
                "lessons/bai-otp.md",
                &lesson.replace("minutes = 2", "minutes = 7"),
            ),
            ("questions/otp.toml", &question("A-otp-001", "")),
        ]);
        assert_eq!(fixture.errors(), Vec::<String>::new());
        assert_eq!(
            reading_words("Một hai <!-- ba bốn --> năm [sáu](https://a.vn/b) — https://x.vn"),
            4
        );
    }

    #[test]
    fn the_other_spelling_of_ky_is_refused_where_it_is_written() {
        let bank = question("A-otp-001", "").replace(
            "Câu hỏi A-otp-001?",
            "Em đăng kí tài khoản trong học kì nào?",
        );
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        assert_eq!(
            fixture.errors(),
            vec!["questions/otp.toml:7: viết “kỳ”, “ký” thay cho “kí, kì” (một cách viết trong toàn bộ nội dung)".to_string()]
        );
        let lesson = LESSON.replace("Không chia sẻ mã OTP.", "Kì thi sắp tới, đừng chia sẻ mã.");
        let fixture = Fixture::new(&[
            ("topics.toml", TOPICS),
            ("lessons/bai-otp.md", &lesson),
            ("questions/otp.toml", &question("A-otp-001", "")),
        ]);
        assert_eq!(
            fixture.errors(),
            vec!["lessons/bai-otp.md:15: viết “kỳ”, “ký” thay cho “Kì” (một cách viết trong toàn bộ nội dung)".to_string()]
        );
    }

    #[test]
    fn bare_addresses_in_a_lesson_become_links_labelled_with_their_site() {
        let html = render_markdown(
            "- FTC — Public Wi-Fi (https://consumer.ftc.gov/articles/are-public-wi-fi-networks-safe-what-you-need-know), xem ngày 30/11/2026\n- Xem [bài khác](/bai-hoc/x) và https://www.example.org/a.\n",
        );
        assert!(
            html.contains("(<a href=\"https://consumer.ftc.gov/articles/are-public-wi-fi-networks-safe-what-you-need-know\" rel=\"noopener noreferrer\">consumer.ftc.gov</a>), xem ngày"),
            "{html}"
        );
        assert!(html.contains(">example.org</a>."), "{html}");
        assert!(
            html.contains("<a href=\"/bai-hoc/x\" rel=\"noopener noreferrer\">bài khác</a>"),
            "{html}"
        );
        // A scheme written on its own in quotes is text, not a link.
        let html = render_markdown("phần giữa “https://” và dấu “/”\n");
        assert_eq!(html, "<p>phần giữa “https://” và dấu “/”</p>\n");
    }

    fn signs_item(extra: &str) -> String {
        format!(
            "[[question]]\nid = \"A-otp-101\"\ntype = \"dau-hieu\"\ntrack = \"A\"\ntopic = \"otp\"\ndifficulty = 2\nlevels = [\"THCS\"]\nstem = \"Tin nhắn sau có những chỗ nào đáng ngờ?\"\nframe = \"sms\"\nsender = \"{{{{VNeID-HoTro}}}}\"\nmessage = \"\"\"\nTài khoản của bạn {{{{sẽ bị khóa sau 2 giờ}}}}.\n\nXác thực tại {{{{vneid-capnhat.top}}}} hoặc gọi tổng đài {{{{của nhà mạng}}}}.\n\"\"\"\nparts = [\n  {{ suspicious = true, why = \"Tên người gửi tự đặt.\" }},\n  {{ suspicious = true, why = \"Giục gấp.\" }},\n  {{ suspicious = true, why = \"Tên miền lạ.\" }},\n  {{ suspicious = false, why = \"Gọi tổng đài của nhà mạng là cách kiểm tra đúng.\" }},\n]\nexplanation = \"Vì thế.\"\nsource = \"Nguồn\"\n{extra}"
        )
    }

    #[test]
    fn a_warning_signs_item_loads_its_parts_as_options_and_the_suspicious_ones_as_its_key() {
        use crate::attempt::types::{Frame, Segment};
        let bank = format!("{}\n{}", question("A-otp-001", ""), signs_item(""));
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &bank)]);
        let content = load_content(&fixture.0).expect("valid");
        let q = content
            .questions
            .iter()
            .find(|q| q.id == "A-otp-101")
            .unwrap();
        assert_eq!(q.kind, QuestionKind::Signs);
        assert_eq!(
            q.options,
            [
                "VNeID-HoTro",
                "sẽ bị khóa sau 2 giờ",
                "vneid-capnhat.top",
                "của nhà mạng"
            ]
        );
        assert_eq!(q.correct, [0, 1, 2]);
        let layout = q.layout.as_ref().unwrap();
        assert_eq!(layout.frame, Frame::Sms);
        assert_eq!(layout.sender, [Segment::Part(0)]);
        assert_eq!(
            layout.body,
            [
                vec![
                    Segment::Text("Tài khoản của bạn ".into()),
                    Segment::Part(1),
                    Segment::Text(".".into())
                ],
                vec![
                    Segment::Text("Xác thực tại ".into()),
                    Segment::Part(2),
                    Segment::Text(" hoặc gọi tổng đài ".into()),
                    Segment::Part(3),
                    Segment::Text(".".into())
                ],
            ]
        );
        assert_eq!(q.part_notes.len(), 4);
        // A multiple-choice question keeps the hash it always had (no new revision).
        let choice = content
            .questions
            .iter()
            .find(|q| q.id == "A-otp-001")
            .unwrap();
        assert_eq!(choice.kind, QuestionKind::Choice);
        assert!(choice.layout.is_none());
        assert_eq!(
            choice.content_hash,
            hash_of(&[
                "Câu hỏi A-otp-001?",
                "[\"Có\",\"Không\"]",
                "[1]",
                "Vì thế.",
                "Nguồn"
            ])
        );
    }

    #[test]
    fn a_warning_signs_item_is_checked_at_its_line() {
        let errors = |item: String| {
            Fixture::new(&[("topics.toml", TOPICS), ("questions/otp.toml", &item)]).errors()
        };
        // Line 12: the message's second paragraph, where the mark is left open.
        assert_eq!(
            errors(signs_item("").replace("{{vneid-capnhat.top}}", "{{vneid-capnhat.top")),
            vec!["questions/otp.toml:14: “{{” chưa được đóng bằng “}}”".to_string()]
        );
        assert_eq!(
            errors(signs_item("").replace("  { suspicious = false, why = \"Gọi tổng đài của nhà mạng là cách kiểm tra đúng.\" },\n", "")),
            vec!["questions/otp.toml:16: có 4 phần được đánh dấu {{…}} nhưng parts có 3 mục: mỗi phần cần một mục, theo thứ tự".to_string()]
        );
        assert_eq!(
            errors(signs_item("").replace("suspicious = false", "suspicious = true")),
            vec!["questions/otp.toml:16: cần ít nhất một phần không đáng ngờ (suspicious = false), để học sinh phải phân biệt".to_string()]
        );
        assert_eq!(
            errors(signs_item("").replace("frame = \"sms\"", "frame = \"fax\"")),
            vec![
                "questions/otp.toml:9: frame “fax” không có; dùng sms, chat, email hoặc web"
                    .to_string()
            ]
        );
        assert_eq!(
            errors(signs_item("subject = \"Thông báo\"")),
            vec!["questions/otp.toml:24: subject chỉ dùng với frame = \"email\"".to_string()]
        );
        assert_eq!(
            errors(signs_item("options = [\"a\", \"b\"]")),
            vec!["questions/otp.toml:24: câu hỏi “dau-hieu” không dùng options: các phần đáng ngờ ghi trong parts".to_string()]
        );
        assert_eq!(
            errors(question("A-otp-001", "frame = \"sms\"")),
            vec![
                "questions/otp.toml:12: frame chỉ dùng cho câu hỏi type = \"dau-hieu\"".to_string()
            ]
        );
        assert_eq!(
            errors(signs_item("").replace("type = \"dau-hieu\"", "type = \"dien-khuyet\"")),
            vec![
                "questions/otp.toml:2: câu hỏi trắc nghiệm cần options và correct".to_string(),
                "questions/otp.toml:3: type “dien-khuyet” không có; dùng “trac-nghiem” (mặc định) hoặc “dau-hieu”".to_string(),
                "questions/otp.toml:9: frame chỉ dùng cho câu hỏi type = \"dau-hieu\"".to_string(),
                "questions/otp.toml:10: sender chỉ dùng cho câu hỏi type = \"dau-hieu\"".to_string(),
                "questions/otp.toml:11: message chỉ dùng cho câu hỏi type = \"dau-hieu\"".to_string(),
                "questions/otp.toml:16: parts chỉ dùng cho câu hỏi type = \"dau-hieu\"".to_string(),
            ]
        );
        // Two items with the same stem are different messages, not duplicates.
        let two = format!(
            "{}\n{}",
            signs_item(""),
            signs_item("")
                .replace("A-otp-101", "A-otp-102")
                .replace(
                    "sẽ bị khóa sau 2 giờ",
                    "đã trúng thưởng một chiếc điện thoại"
                )
                .replace("vneid-capnhat.top", "qua-tang-mien-phi.top")
        );
        assert_eq!(errors(two), Vec::<String>::new());
    }

    const FIGURE: &str = "<figure>\n<svg viewBox=\"0 0 200 40\" role=\"img\" aria-label=\"Địa chỉ web tách thành từng phần\">\n  <rect x=\"0\" y=\"0\" width=\"200\" height=\"40\" fill=\"#eef\" stroke=\"#336\"/>\n  <text x=\"10\" y=\"25\" font-size=\"14\">tên miền thật</text>\n</svg>\n<figcaption>Đọc tên miền từ phải sang trái.</figcaption>\n</figure>\n";

    #[test]
    fn a_figure_drawn_in_svg_keeps_its_drawing_and_text_alternative_and_nothing_unsafe() {
        let hostile = FIGURE.replace(
            "</svg>",
            "<a href=\"javascript:alert(1)\"><text>x</text></a><script>alert(2)</script><foreignObject><img src=x onerror=alert(3)></foreignObject><set attributeName=\"href\" to=\"javascript:alert(4)\"/><image href=\"https://x.vn/a.png\"/></svg>",
        )
        .replace("<rect ", "<rect onclick=\"alert(5)\" style=\"fill:red\" ");
        let html = render_markdown(&format!("Đoạn văn.\n\n{hostile}\nĐoạn sau.\n"));
        assert!(
            html.contains("<svg viewBox=\"0 0 200 40\" role=\"img\" aria-label=\"Địa chỉ web tách thành từng phần\">"),
            "{html}"
        );
        assert!(
            html.contains("<text x=\"10\" y=\"25\" font-size=\"14\">tên miền thật</text>"),
            "{html}"
        );
        assert!(
            html.contains("<figcaption>Đọc tên miền từ phải sang trái.</figcaption>"),
            "{html}"
        );
        for unsafe_part in [
            "javascript",
            "<script",
            "alert",
            "onclick",
            "style=",
            "<image",
            "foreignObject",
            "<set",
            "<img",
        ] {
            assert!(!html.contains(unsafe_part), "{unsafe_part} in {html}");
        }
    }

    #[test]
    fn a_figure_is_checked_for_its_caption_text_alternative_and_allowed_markup_at_its_line() {
        let fixture = |figure: &str| {
            let lesson = LESSON.replace(
                "Không chia sẻ mã OTP.",
                &format!("Không chia sẻ mã OTP.\n\n{figure}"),
            );
            Fixture::new(&[
                ("topics.toml", TOPICS),
                ("lessons/bai-otp.md", &lesson),
                ("questions/otp.toml", &question("A-otp-001", "")),
            ])
            .errors()
        };
        assert_eq!(fixture(FIGURE), Vec::<String>::new());
        let errors = fixture(&FIGURE.replace(" role=\"img\"", ""));
        assert_eq!(errors, vec!["lessons/bai-otp.md:18: hình vẽ <svg> cần role=\"img\" và aria-label=\"…\" mô tả hình cho người không nhìn thấy".to_string()]);
        let errors = fixture(&FIGURE.replace(
            "<figcaption>Đọc tên miền từ phải sang trái.</figcaption>\n",
            "",
        ));
        assert_eq!(
            errors,
            vec![
                "lessons/bai-otp.md:17: hình cần chú thích <figcaption>…</figcaption>".to_string()
            ]
        );
        let errors = fixture(
            &FIGURE
                .replace("<rect x", "<rect style=\"fill:red\" x")
                .replace("<text", "<image href=\"a.png\"/><text"),
        );
        assert_eq!(
            errors,
            vec![
                "lessons/bai-otp.md:19: thuộc tính “style” của thẻ <rect> không được dùng trong hình".to_string(),
                "lessons/bai-otp.md:20: thẻ <image> không được dùng trong hình; chỉ dùng svg, g, rect, circle, ellipse, line, polyline, polygon, path, text, tspan".to_string(),
            ]
        );
        let errors = fixture(&FIGURE.replace("font-size=\"14\"", "font-size=\"11\""));
        assert_eq!(errors, vec!["lessons/bai-otp.md:20: font-size=\"11\" quá nhỏ để đọc trên điện thoại; dùng cỡ chữ từ 13 trở lên".to_string()]);
        let errors = fixture(&FIGURE.replace("  <text", "\n  <text"));
        assert_eq!(errors, vec!["lessons/bai-otp.md:20: hình không được có dòng trống ở giữa (dòng trống kết thúc khối HTML)".to_string()]);
        let errors = fixture("<svg viewBox=\"0 0 1 1\" role=\"img\" aria-label=\"x\"></svg>\n");
        assert_eq!(
            errors,
            vec![
                "lessons/bai-otp.md:17: hình vẽ <svg> phải nằm trong <figure> có chú thích"
                    .to_string()
            ]
        );
        // The drawing's markup is not read; its labels and caption are.
        assert_eq!(reading_words(FIGURE), 10);
    }

    #[test]
    fn a_link_to_a_missing_lesson_is_reported_with_its_line() {
        let lesson = format!(
            "{LESSON}\nXem thêm [bài khác](/bai-hoc/khong-co) và [bài này](/bai-hoc/bai-otp).\n"
        );
        let fixture = Fixture::new(&[("topics.toml", TOPICS), ("lessons/bai-otp.md", &lesson)]);
        assert_eq!(
            fixture.errors(),
            vec![
                "lessons/bai-otp.md:17: liên kết tới bài học “/bai-hoc/khong-co” không tồn tại"
                    .to_string()
            ]
        );
    }

    /// Issue targets for the shipped bank: lessons and questions per track, and every
    /// difficulty and level represented.
    #[test]
    fn the_shipped_bank_meets_its_size_targets() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let content = load_content(&dir).unwrap_or_default();
        let lessons = |t: Track| content.lessons.iter().filter(|l| l.track == t).count();
        let questions = |t: Track| content.questions.iter().filter(|q| q.track == t).count();
        // The targets of the content issue: at least 22 lessons and 360 questions (200 A, 130 B).
        assert!(
            lessons(Track::A) >= 10 && lessons(Track::B) >= 6 && content.lessons.len() >= 22,
            "lessons A {} B {}",
            lessons(Track::A),
            lessons(Track::B)
        );
        assert!(
            questions(Track::A) >= 200
                && questions(Track::B) >= 130
                && content.questions.len() >= 360,
            "questions A {} B {}",
            questions(Track::A),
            questions(Track::B)
        );
        for track in [Track::A, Track::B] {
            for difficulty in 1..=3u8 {
                let n = content
                    .questions
                    .iter()
                    .filter(|q| q.track == track && q.difficulty == difficulty)
                    .count();
                assert!(
                    n * 10 >= questions(track),
                    "track {track:?} difficulty {difficulty}: only {n}"
                );
            }
            for level in [SchoolLevel::Thcs, SchoolLevel::Thpt] {
                let n = content
                    .questions
                    .iter()
                    .filter(|q| q.track == track && q.levels.contains(&level))
                    .count();
                assert!(
                    n * 2 >= questions(track),
                    "track {track:?} {level:?}: only {n}"
                );
            }
        }
        for topic in &content.topics {
            let n = content
                .questions
                .iter()
                .filter(|q| q.topic == topic.slug)
                .count();
            assert!(
                n >= 10,
                "topic {} has {n} questions; a practice round needs 10",
                topic.slug
            );
            assert!(
                content.lessons.iter().any(|l| l.topic == topic.slug),
                "topic {} has no lesson",
                topic.slug
            );
        }
    }

    #[test]
    fn the_shipped_content_is_valid() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
        let content = match load_content(&dir) {
            Ok(content) => content,
            Err(errors) => panic!(
                "{}",
                errors
                    .iter()
                    .map(|e| e.to_string())
                    .collect::<Vec<_>>()
                    .join("\n")
            ),
        };
        // Every figure reaches pupils whole: the sanitiser keeps each drawing's shapes and words.
        let mut figures = 0;
        for lesson in &content.lessons {
            let source = std::fs::read_to_string(dir.join(format!("lessons/{}.md", lesson.slug)))
                .expect("lesson file");
            for element in ["<svg ", "<text ", "<rect ", "<figcaption>"] {
                assert_eq!(
                    lesson.body_html.matches(element).count(),
                    source.matches(element).count(),
                    "{element} in {}",
                    lesson.slug
                );
            }
            figures += source.matches("<figure>").count();
        }
        assert!(figures >= 4, "the lessons' figures: {figures}");
    }
}
