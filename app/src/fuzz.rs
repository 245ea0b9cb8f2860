//! Mutation fuzzing of every parser that reads outside input: class lists and school directories
//! (CSV and XLSX), the XLSX reader itself, the question spreadsheet, and the content format.
//!
//! `cargo fuzz` needs a nightly compiler; this runs on stable as ordinary tests. Each target
//! starts from valid seed files and applies random mutations (byte flips, insertions of
//! delimiters, quotes, markup, control and bidi characters, huge numbers, cut and repeated
//! ranges, and for XLSX mutations of the XML inside a re-zipped package). A target fails if the
//! parser panics or takes more than two seconds on one input; every other outcome (a clear
//! refusal or a parsed file) is fine. CI runs a few hundred inputs per target; a longer run:
//!
//! ```sh
//! KHIEN_SO_FUZZ_RUNS=100000 cargo test -p app --features ssr --release --lib fuzz -- --nocapture
//! ```
//!
//! `KHIEN_SO_FUZZ_SEED` replays a run. A failing input is written to the temp directory.

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::io::Write;
use std::time::{Duration, Instant};

const INTERESTING: &[&[u8]] = &[
    b",",
    b";",
    b"\"",
    b"\n",
    b"\r\n",
    b"\t",
    b"\0",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"\xe2\x80\xae",
    b"</title>",
    b"<",
    b"&amp;",
    b"&#0;",
    b"&#x110000;",
    b"]]>",
    b"18446744073709551615",
    b"-1",
    b"99999999999999999999999999",
    b"1e309",
    b"NaN",
    b"XFD1048576",
    b"A0",
    b"2013",
    b"31/02/2013",
    b"=HYPERLINK(\"x\")",
    b"+++",
    b"[[",
    b"\\",
    b"\xc3",
];

fn runs() -> usize {
    std::env::var("KHIEN_SO_FUZZ_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300)
}

fn base_seed() -> u64 {
    std::env::var("KHIEN_SO_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0x006b_6869_656e_736f)
}

/// One random change to `data`.
fn mutate_once(rng: &mut StdRng, data: &mut Vec<u8>, seeds: &[Vec<u8>]) {
    let len = data.len();
    match rng.random_range(0..9) {
        0 if len > 0 => {
            let i = rng.random_range(0..len);
            data[i] ^= 1 << rng.random_range(0..8);
        }
        1 => {
            let i = rng.random_range(0..=len);
            let piece = INTERESTING[rng.random_range(0..INTERESTING.len())];
            data.splice(i..i, piece.iter().copied());
        }
        2 if len > 0 => {
            let a = rng.random_range(0..len);
            let b = (a + rng.random_range(1..=64)).min(len);
            data.drain(a..b);
        }
        3 if len > 0 => {
            // Repeat a range: long cells, many rows.
            let a = rng.random_range(0..len);
            let b = (a + rng.random_range(1..=256)).min(len);
            let piece: Vec<u8> = data[a..b].to_vec();
            let times = rng.random_range(1..=50);
            for _ in 0..times {
                data.splice(b..b, piece.iter().copied());
            }
        }
        4 if len > 0 => {
            data.truncate(rng.random_range(0..len));
        }
        5 if !seeds.is_empty() => {
            // Splice the tail of another seed.
            let other = &seeds[rng.random_range(0..seeds.len())];
            if !other.is_empty() {
                let i = rng.random_range(0..=len);
                let j = rng.random_range(0..other.len());
                data.truncate(i);
                data.extend_from_slice(&other[j..]);
            }
        }
        6 if len > 0 => {
            // Replace a digit run with a huge or negative number.
            let i = rng.random_range(0..len);
            if let Some(start) = data[i..].iter().position(u8::is_ascii_digit).map(|p| p + i) {
                let end = data[start..]
                    .iter()
                    .position(|b| !b.is_ascii_digit())
                    .map_or(data.len(), |p| p + start);
                let with: &[u8] = match rng.random_range(0..3) {
                    0 => b"99999999999999999999",
                    1 => b"-7",
                    _ => b"0",
                };
                data.splice(start..end, with.iter().copied());
            }
        }
        7 => {
            let i = rng.random_range(0..=len);
            let n = rng.random_range(1..=8);
            let bytes: Vec<u8> = (0..n).map(|_| rng.random()).collect();
            data.splice(i..i, bytes);
        }
        _ if len > 0 => {
            let i = rng.random_range(0..len);
            data[i] = rng.random();
        }
        _ => data.push(rng.random()),
    }
}

fn mutate(rng: &mut StdRng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.random_range(0..seeds.len())].clone();
    for _ in 0..rng.random_range(1..=6) {
        mutate_once(rng, &mut data, seeds);
    }
    data
}

/// Runs `target` on `runs()` mutated inputs; panics (failing the test) on any panic or slow input.
fn fuzz(name: &str, seeds: &[Vec<u8>], target: impl Fn(&[u8])) {
    let mut rng = StdRng::seed_from_u64(base_seed() ^ name.len() as u64);
    let started = Instant::now();
    let mut slowest = Duration::ZERO;
    let runs = runs();
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut failure = None;
    for i in 0..runs {
        let input = mutate(&mut rng, seeds);
        let one = Instant::now();
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| target(&input)));
        let took = one.elapsed();
        slowest = slowest.max(took);
        if outcome.is_err() || took > Duration::from_secs(2) {
            let path = std::env::temp_dir().join(format!("khien-so-fuzz-{name}-{i}.bin"));
            if let Ok(mut f) = std::fs::File::create(&path) {
                let _ = f.write_all(&input);
            }
            failure = Some(format!(
                "{name}: input {i} {} (saved to {})",
                if outcome.is_err() {
                    "panicked".to_owned()
                } else {
                    format!("took {took:?}")
                },
                path.display()
            ));
            break;
        }
    }
    std::panic::set_hook(previous_hook);
    println!(
        "fuzz {name}: {runs} executions in {:.1} s, slowest {} ms, {}",
        started.elapsed().as_secs_f64(),
        slowest.as_millis(),
        if failure.is_some() {
            "FAILED"
        } else {
            "no crash"
        }
    );
    if let Some(failure) = failure {
        panic!("{failure}");
    }
}

/// A workbook with one sheet of the given rows (inline strings), for seeds.
fn xlsx_of(rows: &[Vec<String>]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, cell).unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

fn csv_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The parts of an XLSX package, to mutate the XML inside and zip it again.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    (0..zip.len())
        .map(|i| {
            let mut f = zip.by_index(i).unwrap();
            let mut out = Vec::new();
            f.read_to_end(&mut out).unwrap();
            (f.name().unwrap().to_string(), out)
        })
        .collect()
}

fn rezip(parts: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    {
        let mut zip = zip::ZipWriter::new(&mut out);
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, content) in parts {
            zip.start_file(name.as_str(), options).unwrap();
            zip.write_all(content).unwrap();
        }
        zip.finish().unwrap();
    }
    out.into_inner()
}

/// Mutates one XML part of a package and zips it again: exercises the reader past the zip layer.
fn fuzz_xlsx_structure(name: &str, seeds: &[Vec<u8>], target: impl Fn(&[u8]) + Copy) {
    let packages: Vec<Vec<(String, Vec<u8>)>> = seeds.iter().map(|s| unzip(s)).collect();
    let part_seeds: Vec<Vec<u8>> = packages
        .iter()
        .flat_map(|p| p.iter().map(|(_, c)| c.clone()))
        .collect();
    let rng = std::cell::RefCell::new(StdRng::seed_from_u64(base_seed() ^ 0xa5));
    // The fuzzer's input is an index; the package is built from it.
    let index_seed = vec![vec![0u8; 8]];
    fuzz(name, &index_seed, |_| {
        let mut rng = rng.borrow_mut();
        let mut package = packages[rng.random_range(0..packages.len())].clone();
        let i = rng.random_range(0..package.len());
        let mut part = package[i].1.clone();
        for _ in 0..rng.random_range(1..=4) {
            mutate_once(&mut rng, &mut part, &part_seeds);
        }
        package[i].1 = part;
        let bytes = rezip(&package);
        drop(rng);
        target(&bytes);
    });
}

const ROSTER_TEMPLATE: &[u8] = include_bytes!("../../content/templates/danh-sach-lop.csv");
const DIRECTORY_TEMPLATE: &[u8] = include_bytes!("../../content/templates/danh-muc-truong.csv");
const QUESTION_TEMPLATE: &[u8] = include_bytes!("../../content/mau-nhap-cau-hoi.csv");

fn roster_seeds() -> Vec<Vec<u8>> {
    vec![
        ROSTER_TEMPLATE.to_vec(),
        "họ và tên,lớp,khối,mã học sinh,năm sinh\nNguyễn Văn An,6A,6,HS-1,2015\n\"Trần, Thị Bình\",6A,6,,2015\nLê Văn Cường,7B,Khối 7,,\n"
            .as_bytes()
            .to_vec(),
        "Họ tên;Tên lớp;Khối;Ngày sinh\nNguyễn An;8A;8;01/02/2013\n".as_bytes().to_vec(),
    ]
}

fn roster_context() -> crate::schools::roster::RosterContext {
    crate::schools::roster::RosterContext {
        school_levels: vec![
            crate::codes::SchoolLevel::Thcs,
            crate::codes::SchoolLevel::Thpt,
        ],
        school_year: 2026,
    }
}

#[test]
fn fuzz_class_lists_in_csv() {
    let context = roster_context();
    fuzz("roster-csv", &roster_seeds(), |bytes| {
        let _ = crate::schools::roster::parse_roster("lop.csv", bytes, &context);
    });
}

#[test]
fn fuzz_school_directories_in_csv() {
    fuzz("directory-csv", &[DIRECTORY_TEMPLATE.to_vec()], |bytes| {
        let _ = crate::schools::directory::parse_directory("dm.csv", bytes);
    });
}

#[test]
fn fuzz_the_xlsx_reader_on_raw_bytes() {
    let seeds: Vec<Vec<u8>> = roster_seeds()
        .iter()
        .chain([DIRECTORY_TEMPLATE.to_vec()].iter())
        .map(|csv| xlsx_of(&csv_rows(csv)))
        .collect();
    fuzz("xlsx-bytes", &seeds, |bytes| {
        let _ = crate::spreadsheet::xlsx::read_workbook(
            bytes,
            crate::spreadsheet::xlsx::Limits::default(),
        );
    });
}

#[test]
fn fuzz_class_lists_and_directories_in_xlsx() {
    let roster: Vec<Vec<u8>> = roster_seeds()
        .iter()
        .map(|csv| xlsx_of(&csv_rows(csv)))
        .collect();
    fuzz_xlsx_structure("roster-xlsx", &roster, |bytes| {
        let _ = crate::schools::roster::parse_roster("lop.xlsx", bytes, &roster_context());
    });
    let directory = vec![xlsx_of(&csv_rows(DIRECTORY_TEMPLATE))];
    fuzz_xlsx_structure("directory-xlsx", &directory, |bytes| {
        let _ = crate::schools::directory::parse_directory("dm.xlsx", bytes);
    });
}

/// A small valid content directory (the shipped topics, one lesson without links, one question
/// bank) in a fresh temp directory: the whole shipped content takes half a second to check,
/// too slow to fuzz.
fn content_copy() -> std::path::PathBuf {
    let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../content");
    let to = std::env::temp_dir().join(format!("khien-so-fuzz-content-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(to.join("lessons")).unwrap();
    std::fs::create_dir_all(to.join("questions")).unwrap();
    std::fs::copy(from.join("topics.toml"), to.join("topics.toml")).unwrap();
    std::fs::write(to.join("lessons/bai-mau.md"), FUZZ_LESSON).unwrap();
    std::fs::copy(
        from.join("questions/otp-chiem-tai-khoan.toml"),
        to.join("questions/otp-chiem-tai-khoan.toml"),
    )
    .unwrap();
    let checked = crate::content::load::load_content(&to);
    assert!(
        checked.is_ok(),
        "the fuzzing seed content is valid: {checked:?}"
    );
    to
}

const FUZZ_LESSON: &str = "+++\nslug = \"bai-mau\"\ntitle = \"Bảo vệ mã OTP\"\ntrack = \"A\"\ntopic = \"otp-chiem-tai-khoan\"\nlevels = [\"THCS\", \"THPT\"]\nminutes = 1\nsummary = \"Không đưa mã OTP cho ai.\"\n\n[[sources]]\ntitle = \"Cục An toàn thông tin — Cẩm nang nhận diện và phòng chống lừa đảo trực tuyến\"\n+++\n## Mở đầu\n\nMã OTP chỉ dành cho chính em. *Không* đọc mã cho người gọi điện.\n\n- Cúp máy.\n- Kể với bố mẹ.\n";

#[test]
fn fuzz_the_question_spreadsheet() {
    let dir = content_copy();
    let file = dir.join("nhap.csv");
    let seeds = vec![QUESTION_TEMPLATE.to_vec()];
    fuzz("question-csv", &seeds, |bytes| {
        std::fs::write(&file, bytes).unwrap();
        let _ = crate::content::import::import_questions(&dir, &file);
    });
    let xlsx_file = dir.join("nhap.xlsx");
    let xlsx_seeds = vec![xlsx_of(&csv_rows(QUESTION_TEMPLATE))];
    fuzz_xlsx_structure("question-xlsx", &xlsx_seeds, |bytes| {
        std::fs::write(&xlsx_file, bytes).unwrap();
        let _ = crate::content::import::import_questions(&dir, &xlsx_file);
    });
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn fuzz_the_content_format() {
    let dir = content_copy();
    let lesson = std::fs::read_dir(dir.join("lessons"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let bank = std::fs::read_dir(dir.join("questions"))
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let topics = dir.join("topics.toml");
    let originals: Vec<(std::path::PathBuf, Vec<u8>)> = [lesson, bank, topics]
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    let seeds: Vec<Vec<u8>> = originals.iter().map(|(_, b)| b.clone()).collect();
    let which = std::cell::Cell::new(0usize);
    fuzz("content", &seeds, |bytes| {
        // Each input replaces one file (cycling through lesson, bank, topics); the others stay valid.
        let i = which.get() % originals.len();
        which.set(which.get() + 1);
        for (path, original) in &originals {
            std::fs::write(path, original).unwrap();
        }
        std::fs::write(&originals[i].0, bytes).unwrap();
        let _ = crate::content::load::load_content(&dir);
    });
    let _ = std::fs::remove_dir_all(&dir);
}
