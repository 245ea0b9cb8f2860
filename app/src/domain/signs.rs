//! "Spot the warning signs" questions: a message with marked parts (`{{…}}`), of which the
//! pupil selects the suspicious ones. Parsing the marks and scoring per part.

use crate::attempt::types::Segment;

/// What is wrong with a marked text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum MarkError {
    /// A `{{` without its `}}`, at this byte offset.
    Unclosed(usize),
    /// A `}}` without its `{{`, at this byte offset.
    UnopenedClose(usize),
    /// `{{}}` or a part of spaces only, at this byte offset.
    EmptyPart(usize),
}

impl std::fmt::Display for MarkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            MarkError::Unclosed(_) => write!(f, "“{{{{” chưa được đóng bằng “}}}}”"),
            MarkError::UnopenedClose(_) => write!(f, "“}}}}” không có “{{{{” mở trước"),
            MarkError::EmptyPart(_) => write!(f, "phần được đánh dấu “{{{{…}}}}” đang trống"),
        }
    }
}

impl MarkError {
    /// Byte offset of the problem in the text.
    pub fn offset(&self) -> usize {
        match self {
            MarkError::Unclosed(at) | MarkError::UnopenedClose(at) | MarkError::EmptyPart(at) => {
                *at
            }
        }
    }
}

/// Splits `text` into plain text and marked parts; parts are numbered from `first_part`. Returns
/// the segments and the parts' texts.
pub fn parse_marked(
    text: &str,
    first_part: usize,
) -> Result<(Vec<Segment>, Vec<String>), MarkError> {
    let mut segments = Vec::new();
    let mut parts = Vec::new();
    let mut rest = 0;
    loop {
        let open = text[rest..].find("{{").map(|i| rest + i);
        let close = text[rest..].find("}}").map(|i| rest + i);
        match (open, close) {
            (None, None) => break,
            (None, Some(close)) => return Err(MarkError::UnopenedClose(close)),
            (Some(open), Some(close)) if close < open => {
                return Err(MarkError::UnopenedClose(close));
            }
            (Some(open), _) => {
                let inner_start = open + 2;
                let Some(length) = text[inner_start..].find("}}") else {
                    return Err(MarkError::Unclosed(open));
                };
                let inner = &text[inner_start..inner_start + length];
                // Another `{{` before the `}}`: this part was not closed.
                if inner.contains("{{") {
                    return Err(MarkError::Unclosed(open));
                }
                if inner.trim().is_empty() {
                    return Err(MarkError::EmptyPart(open));
                }
                if open > rest {
                    segments.push(Segment::Text(text[rest..open].to_owned()));
                }
                segments.push(Segment::Part(first_part + parts.len()));
                parts.push(inner.to_owned());
                rest = inner_start + length + 2;
            }
        }
    }
    if rest < text.len() {
        segments.push(Segment::Text(text[rest..].to_owned()));
    }
    Ok((segments, parts))
}

/// Points for a warning-signs answer: suspicious parts selected minus innocent parts selected,
/// never below zero. The most is the number of suspicious parts.
pub fn points(chosen: &[usize], suspicious: &[usize]) -> u32 {
    let mut chosen = chosen.to_vec();
    chosen.sort_unstable();
    chosen.dedup();
    let right = chosen.iter().filter(|c| suspicious.contains(c)).count();
    let wrong = chosen.len() - right;
    right.saturating_sub(wrong) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marked_parts_are_numbered_in_order_from_the_first_index() {
        let (segments, parts) = parse_marked(
            "Tài khoản {{sắp bị khóa}}. Vào {{vneid-capnhat.top}} ngay",
            1,
        )
        .unwrap();
        assert_eq!(parts, ["sắp bị khóa", "vneid-capnhat.top"]);
        assert_eq!(
            segments,
            [
                Segment::Text("Tài khoản ".into()),
                Segment::Part(1),
                Segment::Text(". Vào ".into()),
                Segment::Part(2),
                Segment::Text(" ngay".into()),
            ]
        );
        let (segments, parts) = parse_marked("{{BQL-VNeID}}", 0).unwrap();
        assert_eq!(
            (segments, parts),
            (vec![Segment::Part(0)], vec!["BQL-VNeID".to_owned()])
        );
        assert_eq!(
            parse_marked("không có phần nào", 0).unwrap().1,
            Vec::<String>::new()
        );
    }

    #[test]
    fn broken_marks_are_refused_where_they_are() {
        assert_eq!(parse_marked("a {{b", 0), Err(MarkError::Unclosed(2)));
        assert_eq!(parse_marked("a }} b", 0), Err(MarkError::UnopenedClose(2)));
        assert_eq!(
            parse_marked("a }} {{b}}", 0),
            Err(MarkError::UnopenedClose(2))
        );
        assert_eq!(parse_marked("a {{ }} b", 0), Err(MarkError::EmptyPart(2)));
        assert_eq!(
            parse_marked("{{a {{b}} c}}", 0),
            Err(MarkError::Unclosed(0))
        );
    }

    #[test]
    fn each_part_scores_right_minus_wrong_never_below_zero() {
        let suspicious = [0, 2, 3];
        assert_eq!(points(&[0, 2, 3], &suspicious), 3);
        assert_eq!(points(&[0, 2], &suspicious), 2);
        assert_eq!(
            points(&[0, 2, 1], &suspicious),
            1,
            "one wrong cancels one right"
        );
        assert_eq!(
            points(&[0, 1, 2, 3, 4], &suspicious),
            1,
            "selecting everything is not rewarded"
        );
        assert_eq!(points(&[1, 4], &suspicious), 0, "never below zero");
        assert_eq!(points(&[], &suspicious), 0);
        assert_eq!(points(&[0, 0, 0], &suspicious), 1, "a part counts once");
    }
}
