//! Interface text in Vietnamese (default) and English.
//!
//! The language is chosen by the `ks_lang` cookie, set by `/ngon-ngu?lang=…`; the server renders
//! `<html lang>` from it and the browser reads it back when hydrating, so both sides agree.

/// The interface languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Locale {
    #[default]
    Vi,
    En,
}

/// Name of the cookie that stores the chosen language.
pub const LANG_COOKIE: &str = "ks_lang";

impl Locale {
    /// The BCP 47 tag written in `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Locale::Vi => "vi",
            Locale::En => "en",
        }
    }

    /// Parses a tag; anything unknown falls back to Vietnamese.
    pub fn from_tag(tag: &str) -> Locale {
        if tag.trim().eq_ignore_ascii_case("en") {
            Locale::En
        } else {
            Locale::Vi
        }
    }

    /// The other language, offered by the switch.
    pub fn other(self) -> Locale {
        match self {
            Locale::Vi => Locale::En,
            Locale::En => Locale::Vi,
        }
    }

    /// All interface strings in this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Locale::Vi => &VI,
            Locale::En => &EN,
        }
    }

    /// Reads the language from a `Cookie` header value.
    pub fn from_cookie_header(header: &str) -> Locale {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == LANG_COOKIE)
            .map(|(_, value)| Locale::from_tag(value))
            .unwrap_or_default()
    }
}

/// Every string of the interface. Content (lessons, questions) is Vietnamese only.
pub struct Texts {
    pub app_name: &'static str,
    pub tagline: &'static str,
    pub skip_to_content: &'static str,
    pub nav_home: &'static str,
    pub nav_lessons: &'static str,
    pub nav_practice: &'static str,
    pub nav_progress: &'static str,
    pub switch_language: &'static str,
    pub main_nav_label: &'static str,
    pub home_title: &'static str,
    pub home_intro: &'static str,
    pub home_no_account: &'static str,
    pub track_a_title: &'static str,
    pub track_a_desc: &'static str,
    pub track_b_title: &'static str,
    pub track_b_desc: &'static str,
    pub practice_track: &'static str,
    pub see_lessons: &'static str,
    pub lessons_title: &'static str,
    pub lessons_intro: &'static str,
    pub topic_questions: &'static str,
    pub practice_topic: &'static str,
    pub no_lessons_yet: &'static str,
    pub minutes: &'static str,
    pub levels: &'static str,
    pub sources: &'static str,
    pub lesson_practice_title: &'static str,
    pub lesson_practice_text: &'static str,
    pub practice_title: &'static str,
    pub practice_intro: &'static str,
    pub level_choice: &'static str,
    pub level_choice_label: &'static str,
    pub all_levels: &'static str,
    pub question: &'static str,
    pub of: &'static str,
    pub progress_label: &'static str,
    pub answered: &'static str,
    pub choose_one: &'static str,
    pub choose_all: &'static str,
    pub save_and_next: &'static str,
    pub save_and_review: &'static str,
    pub previous: &'static str,
    pub review_title: &'static str,
    pub review_intro: &'static str,
    pub review_all_answered: &'static str,
    pub review_unanswered: &'static str,
    pub not_answered: &'static str,
    pub key_withheld: &'static str,
    pub key_withheld_short: &'static str,
    pub answered_mark: &'static str,
    pub submit: &'static str,
    pub back_to_questions: &'static str,
    pub result_title: &'static str,
    pub score: &'static str,
    pub your_answer: &'static str,
    pub correct_answer: &'static str,
    pub explanation: &'static str,
    pub source: &'static str,
    pub right: &'static str,
    pub wrong: &'static str,
    pub try_again: &'static str,
    pub progress_title: &'static str,
    pub progress_intro: &'static str,
    pub progress_intro_signed_in: &'static str,
    pub submit_with_missing_before: &'static str,
    pub submit_with_missing_after: &'static str,
    pub submit_anyway: &'static str,
    pub attempts_done: &'static str,
    pub no_answers_yet: &'static str,
    pub progress_empty: &'static str,
    pub attempts: &'static str,
    pub date: &'static str,
    pub topic: &'static str,
    pub status: &'static str,
    pub in_progress: &'static str,
    pub continue_attempt: &'static str,
    pub view_result: &'static str,
    pub correct_answers: &'static str,
    pub track: &'static str,
    pub whole_track: &'static str,
    pub loading: &'static str,
    pub not_found_title: &'static str,
    pub not_found_text: &'static str,
    pub error_title: &'static str,
    pub footer: &'static str,
}

/// Vietnamese, the default.
pub static VI: Texts = Texts {
    app_name: "Khiên Số",
    tagline: "An toàn thông tin cho học sinh Thanh Hóa",
    skip_to_content: "Bỏ qua, đến nội dung chính",
    nav_home: "Trang chủ",
    nav_lessons: "Bài học",
    nav_practice: "Luyện tập",
    nav_progress: "Tiến độ của tôi",
    switch_language: "English",
    main_nav_label: "Điều hướng chính",
    home_title: "Học an toàn thông tin qua bài học ngắn và câu hỏi luyện tập",
    home_intro: "Khiên Số giúp học sinh THCS và THPT nhận diện rủi ro trên mạng, tự bảo vệ tài khoản và đọc tin tức một cách tỉnh táo. Mỗi bài học đọc trong vài phút, sau đó bạn làm 10 câu luyện tập và xem ngay giải thích cho từng câu.",
    home_no_account: "Không cần tài khoản để luyện tập: kết quả được lưu trên trình duyệt này.",
    track_a_title: "Mạch A — An toàn khi lên mạng",
    track_a_desc: "Rủi ro trên mạng và kỹ năng tương tác an toàn: liên kết giả mạo, mã OTP, mật khẩu, các chiêu lừa đảo, bắt nạt qua mạng và nơi tìm trợ giúp.",
    track_b_title: "Mạch B — Đọc hiểu và nhận diện tin giả",
    track_b_desc: "Đọc tin tức một cách phản biện: kiểm tra nguồn, đọc ngang, tìm ảnh gốc, nhận diện giật tít và nội dung do AI tạo ra.",
    practice_track: "Luyện tập 10 câu",
    see_lessons: "Xem bài học",
    lessons_title: "Bài học",
    lessons_intro: "Chọn một bài học để đọc, hoặc luyện tập ngay theo chủ đề.",
    topic_questions: "câu hỏi",
    practice_topic: "Luyện tập chủ đề này",
    no_lessons_yet: "Chủ đề này chưa có bài học.",
    minutes: "phút đọc",
    levels: "Dành cho",
    sources: "Nguồn tham khảo",
    lesson_practice_title: "Kiểm tra lại điều bạn vừa học",
    lesson_practice_text: "10 câu hỏi ngẫu nhiên về chủ đề này. Bạn xem đáp án và giải thích sau khi nộp bài.",
    practice_title: "Luyện tập",
    practice_intro: "Chọn một mạch hoặc một chủ đề. Mỗi lượt gồm 10 câu hỏi rút ngẫu nhiên, thứ tự đáp án được xáo trộn.",
    level_choice: "Câu hỏi dành cho:",
    level_choice_label: "Chọn cấp học của câu hỏi luyện tập",
    all_levels: "Mọi cấp",
    question: "Câu",
    of: "trên",
    progress_label: "Tiến độ làm bài",
    answered: "đã trả lời",
    choose_one: "Chọn một đáp án",
    choose_all: "Chọn tất cả đáp án đúng",
    save_and_next: "Lưu và sang câu tiếp",
    save_and_review: "Lưu và xem lại bài",
    previous: "Câu trước",
    review_title: "Xem lại trước khi nộp",
    review_intro: "Bạn có thể quay lại bất kỳ câu nào để sửa trước khi nộp bài.",
    review_all_answered: "Bạn đã trả lời tất cả các câu.",
    review_unanswered: "Số câu chưa trả lời:",
    not_answered: "Chưa trả lời",
    key_withheld: "Câu hỏi này đang được dùng trong một vòng thi đang mở, nên đáp án và lời giải được giữ kín đến khi vòng thi đóng, lúc",
    key_withheld_short: "Đáp án đang được giữ kín",
    answered_mark: "Đã trả lời",
    submit: "Nộp bài",
    back_to_questions: "Quay lại làm bài",
    result_title: "Kết quả",
    score: "Điểm",
    your_answer: "Bạn chọn",
    correct_answer: "Đáp án đúng",
    explanation: "Giải thích",
    source: "Nguồn",
    right: "Đúng",
    wrong: "Sai",
    try_again: "Luyện tập lượt mới",
    progress_title: "Tiến độ của tôi",
    progress_intro: "Các lượt làm bài trên trình duyệt này (chưa đăng nhập).",
    submit_with_missing_before: "Còn",
    submit_with_missing_after: "câu chưa trả lời; nộp bài thì những câu đó tính là sai và không sửa được nữa.",
    submit_anyway: "Vẫn nộp bài",
    progress_intro_signed_in: "Các lượt làm bài của bạn: luyện tập và vòng thi, trên mọi thiết bị bạn đã đăng nhập.",
    attempts_done: "lượt làm bài",
    no_answers_yet: "Chưa có câu nào thuộc mạch này.",
    progress_empty: "Bạn chưa làm lượt luyện tập nào.",
    attempts: "Các lượt làm bài",
    date: "Ngày",
    topic: "Chủ đề",
    status: "Kết quả",
    in_progress: "Đang làm",
    continue_attempt: "Làm tiếp",
    view_result: "Xem lại",
    correct_answers: "câu đúng",
    track: "Mạch",
    whole_track: "Cả mạch",
    loading: "Đang tải…",
    not_found_title: "Không tìm thấy trang",
    not_found_text: "Trang bạn tìm không tồn tại hoặc đã bị chuyển đi.",
    error_title: "Đã có lỗi",
    footer: "Khiên Số — phần mềm mã nguồn mở phục vụ Kế hoạch tuyên truyền, nâng cao nhận thức và phổ biến kiến thức về an toàn thông tin của tỉnh Thanh Hóa.",
};

/// English, the second interface language.
pub static EN: Texts = Texts {
    app_name: "Khiên Số",
    tagline: "Information security for pupils in Thanh Hóa",
    skip_to_content: "Skip to main content",
    nav_home: "Home",
    nav_lessons: "Lessons",
    nav_practice: "Practice",
    nav_progress: "My progress",
    switch_language: "Tiếng Việt",
    main_nav_label: "Main navigation",
    home_title: "Learn information security through short lessons and practice questions",
    home_intro: "Khiên Số helps lower- and upper-secondary pupils recognise online risks, protect their accounts and read the news with a critical eye. Each lesson takes a few minutes to read; then you answer 10 practice questions and see an explanation for each one.",
    home_no_account: "No account needed to practise: your results are kept in this browser.",
    track_a_title: "Track A — Staying safe online",
    track_a_desc: "Online risks and safe interaction: fake links, OTP codes, passwords, scams, cyberbullying and where to get help.",
    track_b_title: "Track B — Critical reading and misinformation",
    track_b_desc: "Reading the news critically: checking sources, lateral reading, finding the original photo, spotting clickbait and AI-generated content.",
    practice_track: "Practise 10 questions",
    see_lessons: "See lessons",
    lessons_title: "Lessons",
    lessons_intro: "Pick a lesson to read, or practise a topic straight away. Lessons are in Vietnamese.",
    topic_questions: "questions",
    practice_topic: "Practise this topic",
    no_lessons_yet: "No lesson on this topic yet.",
    minutes: "min read",
    levels: "For",
    sources: "Sources",
    lesson_practice_title: "Check what you just learned",
    lesson_practice_text: "10 random questions on this topic. You see the answers and explanations after submitting.",
    practice_title: "Practice",
    practice_intro: "Pick a track or a topic. Each round has 10 randomly drawn questions with shuffled options.",
    level_choice: "Questions for:",
    level_choice_label: "Choose the school level of practice questions",
    all_levels: "All levels",
    question: "Question",
    of: "of",
    progress_label: "Progress",
    answered: "answered",
    choose_one: "Choose one answer",
    choose_all: "Choose every correct answer",
    save_and_next: "Save and go to the next question",
    save_and_review: "Save and review",
    previous: "Previous question",
    review_title: "Review before submitting",
    review_intro: "You can go back to any question and change it before you submit.",
    review_all_answered: "You have answered every question.",
    review_unanswered: "Questions not answered:",
    not_answered: "Not answered",
    key_withheld: "This question is in a contest round that is open now, so its answer and explanation are kept until the round closes, at",
    key_withheld_short: "Answer kept until the round closes",
    answered_mark: "Answered",
    submit: "Submit",
    back_to_questions: "Back to the questions",
    result_title: "Result",
    score: "Score",
    your_answer: "Your answer",
    correct_answer: "Correct answer",
    explanation: "Explanation",
    source: "Source",
    right: "Right",
    wrong: "Wrong",
    try_again: "Practise a new round",
    progress_title: "My progress",
    progress_intro: "Attempts taken in this browser (not signed in).",
    submit_with_missing_before: "",
    submit_with_missing_after: "questions are unanswered; they count as wrong once you hand in, and cannot be changed.",
    submit_anyway: "Hand in anyway",
    progress_intro_signed_in: "Your attempts, practice and contest rounds, on every device you signed in on.",
    attempts_done: "attempts",
    no_answers_yet: "No questions of this track yet.",
    progress_empty: "You have not practised yet.",
    attempts: "Attempts",
    date: "Date",
    topic: "Topic",
    status: "Result",
    in_progress: "In progress",
    continue_attempt: "Continue",
    view_result: "Review",
    correct_answers: "correct",
    track: "Track",
    whole_track: "Whole track",
    loading: "Loading…",
    not_found_title: "Page not found",
    not_found_text: "The page you are looking for does not exist or has moved.",
    error_title: "Something went wrong",
    footer: "Khiên Số — open-source software for Thanh Hóa province's plan to raise awareness of information security.",
};

/// A count as Vietnamese reports write it: a dot between thousands (29.776; 1.000.000).
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// How a school year is written: 2026 → “2026–2027”.
pub fn school_year_label(start: i32) -> String {
    format!("{start}–{}", start + 1)
}

/// "37,5%" from tenths of a percent (Vietnamese decimal comma).
pub fn percent_text(permille: u32) -> String {
    if permille.is_multiple_of(10) {
        format!("{}%", permille / 10)
    } else {
        format!("{},{}%", permille / 10, permille % 10)
    }
}

/// Points from hundredths, as Vietnamese marks are written: 750 → “7,5”, 733 → “7,33”, 700 → “7”.
pub fn points_text(hundredths: u32) -> String {
    let whole = hundredths / 100;
    match hundredths % 100 {
        0 => whole.to_string(),
        part if part % 10 == 0 => format!("{whole},{}", part / 10),
        part => format!("{whole},{part:02}"),
    }
}

#[cfg(test)]
mod thousands_tests {
    #[test]
    fn points_are_written_with_a_decimal_comma_and_no_trailing_zero() {
        assert_eq!(super::points_text(0), "0");
        assert_eq!(super::points_text(700), "7");
        assert_eq!(super::points_text(750), "7,5");
        assert_eq!(super::points_text(733), "7,33");
        assert_eq!(super::points_text(1005), "10,05");
    }

    #[test]
    fn counts_get_a_dot_between_thousands() {
        assert_eq!(super::thousands(0), "0");
        assert_eq!(super::thousands(999), "999");
        assert_eq!(super::thousands(5_581), "5.581");
        assert_eq!(super::thousands(29_776), "29.776");
        assert_eq!(super::thousands(1_000_000), "1.000.000");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_language_cookie_is_read_and_defaults_to_vietnamese() {
        assert_eq!(Locale::from_cookie_header("a=1; ks_lang=en"), Locale::En);
        assert_eq!(Locale::from_cookie_header("ks_lang=vi"), Locale::Vi);
        assert_eq!(Locale::from_cookie_header("other=en"), Locale::Vi);
        assert_eq!(Locale::from_cookie_header(""), Locale::Vi);
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn vietnamese_interface_text_is_nfc() {
        // Spot-check the fields most likely to be typed with combining marks.
        use unicode_normalization::is_nfc;
        for s in [
            VI.tagline,
            VI.home_intro,
            VI.track_a_desc,
            VI.track_b_desc,
            VI.footer,
        ] {
            assert!(is_nfc(s), "not NFC: {s}");
        }
    }
}
