//! What a pupil who never reads the stem can get from the form of the options alone.
//!
//! In a ranked contest, a bank whose keys are "the longest option", "the only one with a comma"
//! or "the only one that says no" rewards test-wiseness instead of knowledge. Each strategy
//! below is one such guesser; its expected score over a bank's single-answer questions is
//! compared with chance (one over the number of options). A strategy that finds no cue in a
//! question guesses at random among the options it cannot rule out.

/// One single-answer question as a guesser sees it: the options and, for scoring, the key.
#[derive(Clone, Copy, Debug)]
pub struct CueItem<'a> {
    pub options: &'a [String],
    pub key: usize,
}

/// A stem-blind way of picking an option.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Strategy {
    /// The longest option.
    Longest,
    /// The shortest option.
    Shortest,
    /// The only option carrying a mark the others lack (“;”, “:”, “(”, “,”).
    LoneMark,
    /// Rule out the options with absolute words (“luôn”, “không bao giờ”, “tất cả”…).
    AvoidAbsolutes,
    /// The only option that refuses or holds back (“Không…”, “Chưa…”, “Từ chối…”, “Đừng…”).
    LoneRefusal,
    /// Anything but the longest option (a bank whose key is never the longest).
    NotLongest,
    /// Anything but the shortest option (a bank whose key is never the shortest).
    NotShortest,
}

impl Strategy {
    /// Every strategy, in report order.
    pub const ALL: [Strategy; 7] = [
        Strategy::Longest,
        Strategy::Shortest,
        Strategy::NotLongest,
        Strategy::NotShortest,
        Strategy::LoneMark,
        Strategy::AvoidAbsolutes,
        Strategy::LoneRefusal,
    ];

    /// How the strategy is named in the report.
    pub fn label(self) -> &'static str {
        match self {
            Strategy::Longest => "chọn phương án dài nhất",
            Strategy::Shortest => "chọn phương án ngắn nhất",
            Strategy::LoneMark => "chọn phương án duy nhất có dấu ; : ( ,",
            Strategy::AvoidAbsolutes => "loại phương án có từ tuyệt đối",
            Strategy::LoneRefusal => "chọn phương án duy nhất từ chối",
            Strategy::NotLongest => "loại phương án dài nhất",
            Strategy::NotShortest => "loại phương án ngắn nhất",
        }
    }

    /// The chance this strategy gives each option.
    fn pick(self, options: &[String]) -> Vec<f64> {
        let n = options.len();
        let among = |chosen: Vec<bool>| -> Vec<f64> {
            let count = chosen.iter().filter(|c| **c).count();
            if count == 0 {
                return vec![1.0 / n as f64; n];
            }
            chosen
                .iter()
                .map(|c| if *c { 1.0 / count as f64 } else { 0.0 })
                .collect()
        };
        let lengths: Vec<usize> = options.iter().map(|o| o.trim().chars().count()).collect();
        match self {
            Strategy::Longest => {
                let max = lengths.iter().copied().max().unwrap_or(0);
                among(lengths.iter().map(|l| *l == max).collect())
            }
            Strategy::Shortest => {
                let min = lengths.iter().copied().min().unwrap_or(0);
                among(lengths.iter().map(|l| *l == min).collect())
            }
            Strategy::NotLongest => {
                let max = lengths.iter().copied().max().unwrap_or(0);
                among(lengths.iter().map(|l| *l != max).collect())
            }
            Strategy::NotShortest => {
                let min = lengths.iter().copied().min().unwrap_or(0);
                among(lengths.iter().map(|l| *l != min).collect())
            }
            Strategy::LoneMark => {
                for mark in [';', ':', '(', ','] {
                    let with: Vec<bool> = options.iter().map(|o| o.contains(mark)).collect();
                    if with.iter().filter(|w| **w).count() == 1 {
                        return among(with);
                    }
                }
                among(vec![false; n])
            }
            Strategy::AvoidAbsolutes => among(options.iter().map(|o| !has_absolute(o)).collect()),
            Strategy::LoneRefusal => {
                let refusing: Vec<bool> = options.iter().map(|o| is_refusal(o)).collect();
                if refusing.iter().filter(|r| **r).count() == 1 {
                    among(refusing)
                } else {
                    among(vec![false; n])
                }
            }
        }
    }
}

/// Words that claim too much; test-wise pupils learn that options with them are wrong.
const ABSOLUTE_WORDS: [&str; 11] = [
    "chắc chắn",
    "luôn",
    "không bao giờ",
    "mọi",
    "tất cả",
    "hoàn toàn",
    "tuyệt đối",
    "bất kỳ",
    "bất kì",
    "duy nhất",
    "chỉ cần",
];

/// Openings of an option that refuses or holds back.
const REFUSALS: [&str; 4] = ["không", "chưa", "từ chối", "đừng"];

/// The option's words, lower-case, separated by single spaces and padded with one at each end.
fn padded_words(text: &str) -> String {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    format!(" {} ", words.join(" "))
}

fn has_absolute(option: &str) -> bool {
    let words = padded_words(option);
    ABSOLUTE_WORDS
        .iter()
        .any(|a| words.contains(&format!(" {a} ")))
}

fn is_refusal(option: &str) -> bool {
    let words = padded_words(option);
    REFUSALS
        .iter()
        .any(|r| words.starts_with(&format!(" {r} ")))
}

/// A bank's figures: chance and each strategy's expected score, in points out of 100.
#[derive(Clone, Debug, PartialEq)]
pub struct CueReport {
    /// Single-answer questions considered.
    pub questions: usize,
    /// Expected score of a random guess, in percent.
    pub chance: f64,
    /// Expected score of each strategy, in percent, in the order of [`Strategy::ALL`].
    pub scores: Vec<(Strategy, f64)>,
}

impl CueReport {
    /// The strategy that beats chance by most, and by how many points.
    pub fn best(&self) -> Option<(Strategy, f64)> {
        self.scores
            .iter()
            .map(|(s, score)| (*s, score - self.chance))
            .max_by(|a, b| a.1.total_cmp(&b.1))
    }
}

/// The figures for one bank (or several banks together).
pub fn cue_report(items: &[CueItem<'_>]) -> CueReport {
    let usable: Vec<&CueItem<'_>> = items
        .iter()
        .filter(|i| i.options.len() >= 2 && i.key < i.options.len())
        .collect();
    let n = usable.len();
    let percent = |total: f64| {
        if n == 0 {
            0.0
        } else {
            100.0 * total / n as f64
        }
    };
    let chance = percent(usable.iter().map(|i| 1.0 / i.options.len() as f64).sum());
    let scores = Strategy::ALL
        .into_iter()
        .map(|s| {
            (
                s,
                percent(usable.iter().map(|i| s.pick(i.options)[i.key]).sum()),
            )
        })
        .collect();
    CueReport {
        questions: n,
        chance,
        scores,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(options: &[&str], key: usize) -> (Vec<String>, usize) {
        (options.iter().map(|o| o.to_string()).collect(), key)
    }

    fn report(items: &[(Vec<String>, usize)]) -> CueReport {
        let cue_items: Vec<CueItem<'_>> = items
            .iter()
            .map(|(options, key)| CueItem { options, key: *key })
            .collect();
        cue_report(&cue_items)
    }

    fn score(report: &CueReport, strategy: Strategy) -> f64 {
        report
            .scores
            .iter()
            .find(|(s, _)| *s == strategy)
            .map(|(_, v)| *v)
            .unwrap()
    }

    #[test]
    fn a_bank_whose_key_is_always_the_longest_is_found_out() {
        let bank = vec![
            item(
                &[
                    "Có",
                    "Không",
                    "Hỏi lại người gửi qua số điện thoại quen",
                    "Bỏ qua",
                ],
                2,
            ),
            item(
                &["Gửi ngay", "Gọi lại bằng số đã biết từ trước", "Chờ", "Xóa"],
                1,
            ),
        ];
        let r = report(&bank);
        assert_eq!(r.questions, 2);
        assert!((r.chance - 25.0).abs() < 1e-9);
        assert!((score(&r, Strategy::Longest) - 100.0).abs() < 1e-9);
        assert_eq!(r.best().unwrap().0, Strategy::Longest);
    }

    #[test]
    fn a_lone_mark_a_lone_refusal_and_absolute_words_are_each_measured() {
        let bank = vec![
            item(
                &[
                    "Mở liên kết",
                    "Không mở, hỏi lại thầy cô",
                    "Chuyển tiếp",
                    "Trả lời",
                ],
                1,
            ),
            item(
                &[
                    "Luôn tin người quen",
                    "Tin mọi tin nhắn",
                    "Kiểm tra nguồn",
                    "Tất cả đều đúng",
                ],
                2,
            ),
        ];
        let r = report(&bank);
        // Question 1: the key alone has a comma and alone refuses; question 2: no mark, no
        // refusal, and the key is the only option without an absolute word.
        assert!((score(&r, Strategy::LoneMark) - (100.0 + 25.0) / 2.0).abs() < 1e-9);
        assert!((score(&r, Strategy::LoneRefusal) - (100.0 + 25.0) / 2.0).abs() < 1e-9);
        assert!((score(&r, Strategy::AvoidAbsolutes) - (25.0 + 100.0) / 2.0).abs() < 1e-9);
    }

    #[test]
    fn parallel_options_give_a_guesser_nothing_beyond_chance() {
        let bank = vec![
            item(
                &[
                    "Hỏi lại bạn A",
                    "Hỏi lại bạn B",
                    "Hỏi lại bạn C",
                    "Hỏi lại bạn D",
                ],
                0,
            ),
            item(
                &[
                    "Gọi cho cô E",
                    "Gọi cho cô G",
                    "Gọi cho cô H",
                    "Gọi cho cô K",
                ],
                3,
            ),
        ];
        let r = report(&bank);
        for (strategy, value) in &r.scores {
            assert!(value - r.chance <= 1e-9, "{strategy:?} {value}");
        }
    }

    #[test]
    fn ties_share_the_guess_and_bad_items_are_left_out() {
        let bank = vec![
            item(&["Một", "Ba", "Bốn"], 0),
            item(&["A"], 0),
            item(&["Có", "Không"], 5),
        ];
        let r = report(&bank);
        assert_eq!(r.questions, 1);
        // "Một" and "Bốn" are the longest (3 letters): half a point; leaving out the shortest
        // ("Ba") leaves the same two.
        assert!((score(&r, Strategy::Longest) - 50.0).abs() < 1e-9);
        assert!((score(&r, Strategy::NotShortest) - 50.0).abs() < 1e-9);
        assert!((score(&r, Strategy::NotLongest) - 0.0).abs() < 1e-9);
    }
}
