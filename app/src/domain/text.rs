//! Short plain texts people type or import (titles, names): what may not be in them, how they
//! are tidied and compared.

use unicode_normalization::UnicodeNormalization;

/// Why a short text is refused, in Vietnamese.
pub fn plain_text_problem(text: &str) -> Option<&'static str> {
    if text.contains(['<', '>']) {
        return Some("không được chứa dấu “<” hoặc “>”");
    }
    if text.chars().any(is_hidden_control) {
        return Some("có ký tự điều khiển ẩn (thường do chép từ nơi khác); hãy gõ lại");
    }
    None
}

/// Control characters and the invisible marks that reorder text (U+202E shows “gnp.exe” as
/// “exe.png”); tab and line breaks are controls too in a one-line text.
pub fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Vietnamese text folded to lower-case ASCII ("Nguyễn Đức" → "nguyen duc").
pub fn ascii_fold(text: &str) -> String {
    text.nfd()
        .filter(|c| !('\u{300}'..='\u{36f}').contains(c))
        .map(|c| match c {
            'đ' => 'd',
            'Đ' => 'd',
            other => other,
        })
        .collect::<String>()
        .to_lowercase()
}

/// A person's name as typed, in NFC with single spaces.
pub fn clean_name(full_name: &str) -> String {
    full_name
        .nfc()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_hidden_controls_are_refused_and_vietnamese_is_not() {
        assert_eq!(
            plain_text_problem("Trường THCS Đông Sơn (cơ sở 2) – “Khiên Số” & bạn"),
            None
        );
        assert!(plain_text_problem("Hay</title><meta http-equiv=refresh>").is_some());
        assert!(plain_text_problem("Trường\u{0}A").is_some());
        assert!(plain_text_problem("Trường \u{202E}gnp.exe").is_some());
        assert!(plain_text_problem("hai\ndòng").is_some());
    }
}
