//! Parser fuzzing: the parser never panics and says little, whatever it is given, and
//! its work grows linearly with its input, whatever shape the input takes.
//!
//! 1. Property tests over real issues mutated line by line and byte by byte (the seed
//!    issue of `../shared/seeds/`, read at test time and skipped when absent, and the
//!    first issues of `corpus/`), over random bytes, random text and random lines
//!    shaped like the format's structure. Every outcome is checked: `Ok` keeps at most
//!    [`MAX_WARNINGS_PER_FILE`] warnings (at most [`MAX_WARNINGS_PER_LINE`] a line),
//!    `Err` has a message, and the line or byte offset it names is in the input.
//! 2. Linear-work tests, measured without a clock: a counting global allocator gives the
//!    peak of bytes live and the number of allocations while one text is parsed, and
//!    each adversarial shape is parsed at sizes N and 4N. A parser whose memory or
//!    allocating work is quadratic in some shape allocates 16 times as much at 4N; the
//!    bound here is 1.5 times linear (6 times N's), so it fails.
//!    `the_linear_check_catches_quadratic_work` shows the check failing on deliberately
//!    quadratic code. A loop that is quadratic without allocating is invisible here (no
//!    clock, by design: timings are flaky on shared machines); the parser avoids those by
//!    construction (one-pass tables in `parse/briefs.rs` and `parse/chain.rs`, lookahead
//!    of a fixed number of lines everywhere else).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicIsize, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

use backissue_issue::*;
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{FileFailurePersistence, RngAlgorithm};

// ---------------------------------------------------------------------------------------
// The counting allocator
// ---------------------------------------------------------------------------------------

/// Wraps [`System`], counting the allocations of the threads that opted in ([`measure`])
/// in process-wide atomics: bytes live now, their peak, allocations (and reallocations)
/// made. Only the opted-in thread counts, so the test harness and the fuzzing tests,
/// which run on other threads at the same time, do not blur a measure; the counters are
/// shared, so the measured tests take [`SERIAL`] and run one at a time.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Whether this thread's allocations are counted. A `const` cell without a
    /// destructor: reading it never allocates, not even while the thread is torn down.
    static MEASURED: Cell<bool> = const { Cell::new(false) };
}

fn measured_thread() -> bool {
    MEASURED.try_with(Cell::get).unwrap_or(false)
}

fn on_alloc(size: usize) {
    if measured_thread() {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        let live = LIVE.fetch_add(size as isize, Ordering::Relaxed) + size as isize;
        PEAK.fetch_max(live, Ordering::Relaxed);
    }
}

fn on_dealloc(size: usize) {
    if measured_thread() {
        LIVE.fetch_sub(size as isize, Ordering::Relaxed);
    }
}

// SAFETY: every call is passed on to the system allocator unchanged; the counting uses
// atomics and a const thread-local cell, neither of which allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        on_alloc(layout.size());
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        on_alloc(layout.size());
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        on_dealloc(layout.size());
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A reallocation is work like an allocation: counted as the new block, then the
        // old one freed (both are live while it copies).
        on_alloc(new_size);
        on_dealloc(layout.size());
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Serialises the tests that measure: the counters are process-wide.
static SERIAL: Mutex<()> = Mutex::new(());

fn serial() -> MutexGuard<'static, ()> {
    // A failed test poisons the lock; the counters are reset before each measure anyway.
    SERIAL.lock().unwrap_or_else(PoisonError::into_inner)
}

/// What one call cost: the most bytes live at once above what was live before it, and
/// the allocations and reallocations it made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Cost {
    peak: usize,
    allocations: usize,
}

/// Runs `f` on this thread with its allocations counted from zero. The caller holds
/// [`serial`]. What `f` returns is dropped by the caller, uncounted, so the peak
/// includes the result (an issue holds copies of its text: linear).
fn measure<T>(f: impl FnOnce() -> T) -> (Cost, T) {
    LIVE.store(0, Ordering::Relaxed);
    PEAK.store(0, Ordering::Relaxed);
    ALLOCATIONS.store(0, Ordering::Relaxed);
    MEASURED.with(|m| m.set(true));
    let out = f();
    MEASURED.with(|m| m.set(false));
    let cost = Cost {
        peak: PEAK.load(Ordering::Relaxed).max(0) as usize,
        allocations: ALLOCATIONS.load(Ordering::Relaxed),
    };
    (cost, out)
}

// ---------------------------------------------------------------------------------------
// The linear-work check
// ---------------------------------------------------------------------------------------

/// How much faster than the input a measure may grow from N to 4N: 1.5 times linear.
/// Linear work gives 4 (less, with the fixed part of the issue); quadratic gives 16.
const GROWTH_MARGIN: f64 = 1.5;
/// Added to the bound, for fixed costs that do not scale (the masthead, the vocabularies
/// initialised on first use, a `Vec` doubling once more at 4N than at N). Small next to
/// what the shapes cost at N (tens of kilobytes, hundreds of allocations and more).
const SLACK_BYTES: usize = 16 * 1024;
const SLACK_ALLOCATIONS: usize = 64;

/// Why costs `small` (input of `small_len` bytes) and `large` (`large_len` bytes) do not
/// grow linearly, if they do not.
fn growth_violation(
    small_len: usize,
    large_len: usize,
    small: Cost,
    large: Cost,
) -> Option<String> {
    let growth = large_len as f64 / small_len.max(1) as f64;
    let bound = |at_n: usize, slack: usize| (growth * GROWTH_MARGIN * at_n as f64) as usize + slack;
    let mut why = Vec::new();
    if large.peak > bound(small.peak, SLACK_BYTES) {
        why.push(format!(
            "peak bytes {} at {small_len} B, {} at {large_len} B (bound {})",
            small.peak,
            large.peak,
            bound(small.peak, SLACK_BYTES)
        ));
    }
    if large.allocations > bound(small.allocations, SLACK_ALLOCATIONS) {
        why.push(format!(
            "allocations {} at {small_len} B, {} at {large_len} B (bound {})",
            small.allocations,
            large.allocations,
            bound(small.allocations, SLACK_ALLOCATIONS)
        ));
    }
    (!why.is_empty()).then(|| why.join("; "))
}

/// Parses `issue(n)` and `issue(4 * n)` with their allocations counted and asserts that
/// peak bytes and allocations grow at most linearly (see [`growth_violation`]), that both
/// parses agree on success, and that both outcomes are sound ([`check_outcome`]).
/// Returns the outcome at 4N, for the test to check.
fn assert_linear(shape: &str, issue: impl Fn(usize) -> String, n: usize) -> Result<Issue> {
    let _serial = serial();
    let (small_text, large_text) = (issue(n), issue(4 * n));
    // Warm up: the known-tag table and other first-use state are not the input's cost.
    drop(parse_str(&small_text, PATH, None));
    let (small, small_result) = measure(|| parse_str(&small_text, PATH, None));
    let (large, large_result) = measure(|| parse_str(&large_text, PATH, None));
    check_outcome(small_text.as_bytes(), &small_result);
    check_outcome(large_text.as_bytes(), &large_result);
    assert_eq!(
        small_result.is_ok(),
        large_result.is_ok(),
        "{shape}: N gives {small_result:?}, 4N {large_result:?}",
        small_result = small_result.as_ref().map(|_| "an issue"),
        large_result = large_result.as_ref().map(|_| "an issue"),
    );
    eprintln!(
        "{shape}: N = {} B: peak {} B, {} allocations; 4N = {} B: peak {} B, {} allocations; {}",
        small_text.len(),
        small.peak,
        small.allocations,
        large_text.len(),
        large.peak,
        large.allocations,
        match &large_result {
            Ok(issue) => format!("ok, {} warnings", issue.warnings.len()),
            Err(error) => format!("error {error}"),
        }
    );
    if let Some(why) = growth_violation(small_text.len(), large_text.len(), small, large) {
        panic!("{shape}: work grows faster than the input: {why}");
    }
    large_result
}

// ---------------------------------------------------------------------------------------
// Outcomes
// ---------------------------------------------------------------------------------------

const PATH: &str = "2026-03-27.txt";
const MASTHEAD: &str = "← All posts\n\nA headline\n\nA summary.\n\nSubscribe free All posts\n";

/// What every outcome must be, whatever `input` was: no warning flood, and an error
/// that says something and points inside the input.
fn check_outcome(input: &[u8], result: &Result<Issue>) {
    // The line numbers an outcome may name: every line, and one past the last.
    let last_line = input.iter().filter(|&&b| b == b'\n').count() + 2;
    match result {
        Ok(issue) => {
            assert!(
                issue.warnings.len() <= MAX_WARNINGS_PER_FILE,
                "{} warnings",
                issue.warnings.len()
            );
            let mut per_line = std::collections::HashMap::new();
            for warning in &issue.warnings {
                assert!(!warning.message.is_empty(), "an empty warning: {warning:?}");
                assert!(
                    warning.message.chars().count() <= 3 * MAX_QUOTED_CHARS + 100,
                    "a long warning: {warning}"
                );
                assert!(
                    (1..=last_line).contains(&warning.line),
                    "warning on line {} of {}: {warning}",
                    warning.line,
                    last_line - 1
                );
                *per_line.entry(warning.line).or_insert(0) += 1;
            }
            if let Some((line, count)) = per_line.into_iter().max_by_key(|&(_, c)| c) {
                assert!(
                    count <= MAX_WARNINGS_PER_LINE,
                    "{count} warnings on line {line}"
                );
            }
            // Only the masthead and the top stories are required, and they are there.
            assert!(!issue.headline.is_empty());
            assert!(!issue.top_stories.is_empty());
            for (i, story) in issue.top_stories.iter().enumerate() {
                assert_eq!(story.rank as usize, i + 1);
                assert!(story.score <= 100);
            }
        }
        Err(error) => {
            let message = error.to_string();
            assert!(!message.is_empty(), "an empty error: {error:?}");
            assert!(
                message.chars().count() <= 4 * MAX_QUOTED_CHARS + 300,
                "a long error: {message}"
            );
            match error {
                Error::Format {
                    line,
                    expected,
                    found,
                    ..
                } => {
                    assert!(!expected.is_empty(), "{message}");
                    assert!(found.chars().count() <= MAX_QUOTED_CHARS + 1, "{message}");
                    assert!((1..=last_line).contains(line), "{message}");
                }
                Error::InvalidUtf8 { line, offset, .. } => {
                    assert!(std::str::from_utf8(&input[..*offset]).is_ok(), "{message}");
                    assert!(std::str::from_utf8(&input[*offset..]).is_err(), "{message}");
                    let newlines = input[..*offset].iter().filter(|&&b| b == b'\n').count();
                    assert_eq!(*line, newlines + 1, "{message}");
                }
                Error::Binary { offset, .. } => assert_eq!(input[*offset], 0, "{message}"),
                Error::Empty { .. } => {
                    let blank = std::str::from_utf8(input).is_ok_and(|text| {
                        text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}')
                            .is_empty()
                    });
                    assert!(blank, "{message}");
                }
                _ => {}
            }
        }
    }
}

/// Parses `bytes` as they are, and as text with invalid UTF-8 replaced (so the mutations
/// also reach the blocks past a bad byte), checking both outcomes.
fn parse_and_check(bytes: &[u8], path: &str) {
    check_outcome(bytes, &parse_bytes(bytes, path, None));
    if let std::borrow::Cow::Owned(text) = String::from_utf8_lossy(bytes) {
        check_outcome(text.as_bytes(), &parse_str(&text, path, None));
    }
}

// ---------------------------------------------------------------------------------------
// Real issues
// ---------------------------------------------------------------------------------------

/// A real issue: its file name (which may carry its date) and its bytes.
struct Sample {
    name: String,
    bytes: Vec<u8>,
    lines: Vec<Vec<u8>>,
}

impl Sample {
    fn new(name: String, bytes: Vec<u8>) -> Sample {
        let lines = bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
        Sample { name, bytes, lines }
    }
}

/// The seed issue, from `../shared/seeds/` beside the workspace; kept out of the
/// repository, so tests that need it are skipped (with a message) where it is absent.
fn seed() -> Option<&'static Sample> {
    static SEED: OnceLock<Option<Sample>> = OnceLock::new();
    SEED.get_or_init(|| {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/seeds/000_85727bfc0b3f4d6f.txt");
        match std::fs::read(&path) {
            Ok(bytes) => Some(Sample::new("000_85727bfc0b3f4d6f.txt".into(), bytes)),
            Err(error) => {
                eprintln!("skipped: no seed issue at {} ({error})", path.display());
                None
            }
        }
    })
    .as_ref()
}

/// How many issues of `corpus/` the fuzzing mutates: the first, by name.
const CORPUS_ISSUES: usize = 3;

/// The first [`CORPUS_ISSUES`] issues of `corpus/`, by file name.
fn corpus() -> &'static [Sample] {
    static CORPUS: OnceLock<Vec<Sample>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../corpus");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .map(|entries| {
                entries
                    .filter_map(|entry| Some(entry.ok()?.path()))
                    .filter(|path| path.extension().is_some_and(|ext| ext == "txt"))
                    .collect()
            })
            .unwrap_or_default();
        paths.sort();
        let samples: Vec<Sample> = paths
            .into_iter()
            .take(CORPUS_ISSUES)
            .filter_map(|path| {
                let name = path.file_name()?.to_str()?.to_string();
                Some(Sample::new(name, std::fs::read(&path).ok()?))
            })
            .collect();
        if samples.is_empty() {
            eprintln!("skipped: no issues in {}", dir.display());
        }
        samples
    })
}

/// Every real issue at hand: lines inserted by the mutations are drawn from all of them.
fn donors() -> Vec<&'static Sample> {
    seed().into_iter().chain(corpus()).collect()
}

#[test]
fn the_unmutated_issues_parse() {
    for sample in donors() {
        let result = parse_bytes(&sample.bytes, &sample.name, None);
        check_outcome(&sample.bytes, &result);
        if let Err(error) = result {
            panic!("{}: {error}", sample.name);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Mutations
// ---------------------------------------------------------------------------------------

/// One change to an issue's bytes. Line indices and byte offsets are [`Index`]es, taken
/// modulo the length of the text as it is when the change is made.
#[derive(Debug, Clone)]
enum Mutation {
    DeleteLine(Index),
    /// Copies line `.0` before line `.1`.
    DuplicateLine(Index, Index),
    SwapLines(Index, Index),
    /// Inserts a line of another issue (or of this one): at, issue, line.
    ForeignLine(Index, Index, Index),
    /// Inserts a line shaped like structure (or random text).
    InsertLine(Index, String),
    ReplaceLine(Index, String),
    InsertBytes(Index, Vec<u8>),
    /// Cuts the text at a byte, in the middle of a character maybe.
    Truncate(Index),
    /// XORs a byte with a mask; ASCII stays ASCII, so the parse goes on past it.
    FlipByte(Index, u8),
    /// Inserts a byte that cannot start a UTF-8 character here (0x80–0xFF).
    InvalidByte(Index, u8),
    /// Repeats a line until it holds this many bytes.
    LongLine(Index, usize),
    /// `\n` → `\r\n` everywhere.
    CrLf,
}

fn mutation() -> impl Strategy<Value = Mutation> {
    use Mutation::*;
    let at = any::<Index>;
    prop_oneof![
        3 => at().prop_map(DeleteLine),
        2 => (at(), at()).prop_map(|(a, b)| DuplicateLine(a, b)),
        2 => (at(), at()).prop_map(|(a, b)| SwapLines(a, b)),
        3 => (at(), at(), at()).prop_map(|(a, b, c)| ForeignLine(a, b, c)),
        3 => (at(), structure_line()).prop_map(|(a, l)| InsertLine(a, l)),
        2 => (at(), structure_line()).prop_map(|(a, l)| ReplaceLine(a, l)),
        1 => (at(), vec(any::<u8>(), 1..16)).prop_map(|(a, b)| InsertBytes(a, b)),
        1 => at().prop_map(Truncate),
        2 => (at(), 1u8..=255).prop_map(|(a, m)| FlipByte(a, m)),
        1 => (at(), 0x80u8..=0xff).prop_map(|(a, b)| InvalidByte(a, b)),
        1 => (at(), 1_000usize..60_000).prop_map(|(a, n)| LongLine(a, n)),
        1 => Just(CrLf),
    ]
}

fn apply(bytes: &mut Vec<u8>, mutation: &Mutation, donors: &[&Sample]) {
    use Mutation::*;
    let byte_at = |at: &Index, bytes: &Vec<u8>| at.index(bytes.len() + 1);
    match mutation {
        InsertBytes(at, inserted) => {
            let at = byte_at(at, bytes);
            bytes.splice(at..at, inserted.iter().copied());
        }
        Truncate(at) => bytes.truncate(byte_at(at, bytes)),
        FlipByte(at, mask) => {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                let mask = if bytes[i].is_ascii() {
                    mask & 0x7f
                } else {
                    *mask
                };
                bytes[i] ^= mask;
            }
        }
        InvalidByte(at, byte) => {
            let at = byte_at(at, bytes);
            bytes.insert(at, *byte);
        }
        CrLf => {
            *bytes = bytes
                .split(|&b| b == b'\n')
                .collect::<Vec<_>>()
                .join(&b"\r\n"[..]);
        }
        _ => {
            let mut lines: Vec<Vec<u8>> =
                bytes.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
            let line_at = |at: &Index| at.index(lines.len());
            match mutation {
                DeleteLine(at) => {
                    lines.remove(line_at(at));
                }
                DuplicateLine(from, to) => {
                    let line = lines[line_at(from)].clone();
                    lines.insert(to.index(lines.len() + 1), line);
                }
                SwapLines(a, b) => {
                    let (a, b) = (line_at(a), line_at(b));
                    lines.swap(a, b);
                }
                ForeignLine(at, issue, line) => {
                    if !donors.is_empty() {
                        let donor = &donors[issue.index(donors.len())];
                        let line = donor.lines[line.index(donor.lines.len())].clone();
                        lines.insert(at.index(lines.len() + 1), line);
                    }
                }
                InsertLine(at, line) => {
                    lines.insert(at.index(lines.len() + 1), line.clone().into_bytes())
                }
                ReplaceLine(at, line) => {
                    let at = line_at(at);
                    lines[at] = line.clone().into_bytes();
                }
                LongLine(at, len) => {
                    let at = line_at(at);
                    let unit = if lines[at].is_empty() {
                        b"Ab".to_vec()
                    } else {
                        lines[at].clone()
                    };
                    lines[at] = unit.repeat(len.div_ceil(unit.len()));
                }
                _ => unreachable!("byte mutations are handled above"),
            }
            *bytes = lines.join(&b'\n');
        }
    }
}

// ---------------------------------------------------------------------------------------
// Lines shaped like the format's structure
// ---------------------------------------------------------------------------------------

/// Tags for tag runs: every known sector and region, unknown ones, and odd pieces.
const TAGS: &[&str] = &[
    "Tech",
    "Healthcare",
    "Finance & Banking",
    "Manufacturing",
    "Education & EdTech",
    "Energy",
    "Global",
    "US",
    "Japan",
    "South Korea",
    "India",
    "UK",
    "Germany",
    "Nordics",
    "Technology",
    "Robotics",
    "Ab",
    "A",
    "&",
    " ",
    "é",
    "Ünited",
    "ß",
];

/// Lines of the format as they stand, and lines that only nearly are.
const PIECES: &[&str] = &[
    "← All posts",
    "Subscribe free All posts",
    "#1",
    "#0",
    "#",
    "~12min",
    "~min",
    "~12 min",
    "Hidden Signal",
    "Source: ",
    "Source: Reuters",
    "Source:Reuters",
    "INDIA AI WATCH",
    " AI WATCH",
    "India Signal",
    "After this: ",
    "After this: an outcome",
    "1. ",
    "1.",
    "Beginner",
    "All Tool",
    "Intermediate Tool",
    "Advanced 1. Step",
    "https://",
    "https://x",
    "http:// x",
    "30 min",
    "1h 30m",
    ".",
    "..",
    "1.5.5 hours",
    "99999999999999999999999 hours",
    "100",
    "101",
    "-1",
    "255",
    "256",
    "\u{feff}",
    "\r",
    " ",
    "",
    "·",
    "|",
    ",",
];

/// Strings matching `pattern`, compiled once (a `&str` strategy compiles its pattern
/// for every value it generates).
fn re(pattern: &str) -> BoxedStrategy<String> {
    proptest::string::string_regex(pattern)
        .expect("a valid pattern")
        .boxed()
}

/// A line shaped like some block's structure, or random text.
fn structure_line() -> BoxedStrategy<String> {
    let tag_run = vec(select(TAGS), 1..7).prop_map(|tags| tags.concat());
    let separated_tags = (
        vec(select(TAGS), 1..7),
        select(&["·", " · ", "|", " | ", ",", ", "][..]),
    )
        .prop_map(|(tags, separator)| tags.join(separator));
    prop_oneof![
        4 => select(PIECES).prop_map(str::to_string),
        3 => tag_run,
        1 => separated_tags,
        2 => re("#[0-9]{1,3}"),
        1 => re("#[0-9]{4,25}"),
        2 => re("~[0-9]{1,4} ?min"),
        1 => re("~[0-9]{10,25}min"),
        2 => re("(100|[0-9]{1,2}|[0-9]{3,5})"),
        2 => re("Source: [A-Za-z0-9 ]{0,12}"),
        2 => re("(Beginner|Intermediate|Advanced|All|Expert) [A-Z][a-z]{0,8}( [A-Z][a-z]{0,8})?"),
        2 => re("[0-9]{1,4}\\. [A-Za-z ]{0,20}"),
        2 => re("[0-9]{1,3}(\\.[0-9])? ?(min|minutes|m|h|hour|hours|hrs|days)( [0-9]{1,2} ?m)?"),
        2 => re("https?://[a-z]{0,8}(/[0-9]{4}/[0-9]{2}/[0-9]{2})?/[a-z]{0,5}"),
        1 => re("[A-Z ]{1,12} AI WATCH"),
        1 => re("[A-Z][a-z]{0,8} Signal"),
        1 => re("After this: .{0,20}"),
        2 => re("[A-Z][a-z ]{0,40}[.!?]?"),
        1 => re("\\$[0-9]{1,3}[MBK]"),
        1 => re("[ \t]{0,3}"),
        2 => re(".{0,40}"),
    ]
    .boxed()
}

/// A text of structure-shaped lines, after a masthead and a first story when `framed`.
fn structure_text() -> impl Strategy<Value = String> {
    (vec(structure_line(), 1..80), any::<bool>(), any::<bool>()).prop_map(
        |(lines, framed, crlf)| {
            let mut text = if framed {
                format!("{MASTHEAD}#1\nA title\nA summary.\nTechUS\n90\n")
            } else {
                String::new()
            };
            text.push_str(&lines.join("\n"));
            if crlf {
                text = text.replace('\n', "\r\n");
            }
            text
        },
    )
}

// ---------------------------------------------------------------------------------------
// Property tests
// ---------------------------------------------------------------------------------------

/// Cases per property: a few seconds for the file in debug and in release. Set
/// `BACKISSUE_FUZZ_CASES` to fuzz longer (`BACKISSUE_FUZZ_CASES=100000 cargo test
/// --release -p backissue-issue --test fuzz`).
fn cases() -> u32 {
    std::env::var("BACKISSUE_FUZZ_CASES")
        .ok()
        .and_then(|cases| cases.parse().ok())
        .unwrap_or(256)
}

fn mutate_and_parse(sample: &Sample, mutations: &[Mutation], named: bool) {
    let donors = donors();
    let mut bytes = sample.bytes.clone();
    for mutation in mutations {
        apply(&mut bytes, mutation, &donors);
    }
    // With the file's name (its date, if it has one) or without: the date is then read
    // from the URLs, or is missing.
    let path = if named {
        sample.name.as_str()
    } else {
        "issue.txt"
    };
    parse_and_check(&bytes, path);
}

proptest! {
    #![proptest_config(ProptestConfig {
        // Failures are kept beside this file, in `fuzz.proptest-regressions`.
        failure_persistence: Some(Box::new(
            FileFailurePersistence::WithSource("proptest-regressions"),
        )),
        // XorShift: ChaCha, the default, dominates the time of these tests in debug builds.
        rng_algorithm: RngAlgorithm::XorShift,
        ..ProptestConfig::with_cases(cases())
    })]

    #[test]
    fn the_mutated_seed_never_panics(
        mutations in vec(mutation(), 1..6),
        named in any::<bool>(),
    ) {
        if let Some(seed) = seed() {
            mutate_and_parse(seed, &mutations, named);
        }
    }

    #[test]
    fn mutated_corpus_issues_never_panic(
        issue in any::<Index>(),
        mutations in vec(mutation(), 1..6),
        named in any::<bool>(),
    ) {
        let corpus = corpus();
        if !corpus.is_empty() {
            mutate_and_parse(&corpus[issue.index(corpus.len())], &mutations, named);
        }
    }

    #[test]
    fn random_bytes_never_panic(
        bytes in vec(any::<u8>(), 0..4096),
        framed in any::<bool>(),
    ) {
        let bytes = if framed { [MASTHEAD.as_bytes(), &bytes].concat() } else { bytes };
        parse_and_check(&bytes, "r.txt");
    }

    #[test]
    fn random_text_never_panics(lines in vec(re(".{0,80}"), 0..60), framed in any::<bool>()) {
        let text = lines.join("\n");
        let text = if framed { format!("{MASTHEAD}{text}") } else { text };
        parse_and_check(text.as_bytes(), PATH);
    }

    #[test]
    fn structure_shaped_lines_never_panic(text in structure_text()) {
        parse_and_check(text.as_bytes(), PATH);
    }
}

// ---------------------------------------------------------------------------------------
// Linear work
// ---------------------------------------------------------------------------------------
//
// Sizes: every shape is measured at N of about 10,000–40,000 characters (or, for
// repeated blocks, enough blocks to make that much text) and at 4N. Work that is
// quadratic in the input has a term c·N² next to the linear part L·N; it dominates as
// soon as N > L/c. A parse costs a few tens of bytes per input byte (L ≈ 10–100), and a
// quadratic step such as copying the rest of a line at every tag (c ≈ 0.25) or checking
// every later line at every block does so from a few hundred bytes or lines: at 10,000
// it is already hundreds of times the linear part, so 4N costs close to 16 times N's,
// far over the bound of 6. A smaller N would let the fixed costs (the masthead, the
// tables built on first use) hide a slow quadratic term.

/// A top story with this tag run.
fn one_story(tag_run: &str) -> String {
    format!("{MASTHEAD}#1\nA title\nA summary of the story.\n{tag_run}\n90\n")
}

/// `unit` repeated to at least `chars` characters.
fn repeat_to(unit: &str, chars: usize) -> String {
    unit.repeat(chars.div_ceil(unit.chars().count()))
}

#[test]
fn long_tag_runs_cost_linear_work() {
    // `AbAb…`: a camel-case boundary every two characters, every piece an unknown tag.
    let large = assert_linear("tag run AbAb…", |n| one_story(&repeat_to("Ab", n)), 10_000);
    let issue = large.unwrap();
    assert_eq!(issue.top_stories[0].regions.len(), 20_000);
    assert_eq!(issue.warnings.len(), MAX_WARNINGS_PER_LINE);
    // `ABAB…`: no lower-case letter, so no boundary; every position is tried against the
    // known tags, and the whole run is one unknown tag.
    let large = assert_linear("tag run ABAB…", |n| one_story(&repeat_to("AB", n)), 10_000);
    assert_eq!(large.unwrap().warnings.len(), 1);
    // Known tags only: `TechUSTechUS…` and tags with spaces and `&`.
    let large = assert_linear(
        "tag run TechUS…",
        |n| one_story(&repeat_to("TechUS", n)),
        10_000,
    );
    assert!(large.unwrap().warnings.is_empty());
    let large = assert_linear(
        "tag run Finance & BankingSouth Korea…",
        |n| one_story(&repeat_to("Finance & BankingSouth Korea", n)),
        10_000,
    );
    assert!(large.unwrap().warnings.is_empty());
}

#[test]
fn tag_lines_with_separators_cost_linear_work() {
    // Tag runs have no separator (FORMAT.md: `TechManufacturingUSSouth Korea`), so a run
    // written `Tech·US·…`, `Tech | US | …` or `Tech, US, …` is not a tag run: the story
    // does not fit and the issue is an error at that line, found in linear work (the
    // whole line is one piece, read once).
    for separator in ["·", " · ", "|", " | ", ",", ", ", " "] {
        let unit = format!("Tech{separator}US{separator}");
        let large = assert_linear(
            &format!("tag line separated by {separator:?}"),
            |n| one_story(&repeat_to(&unit, n)),
            10_000,
        );
        let error = large.unwrap_err();
        assert!(
            matches!(
                &error,
                Error::Format {
                    line: 11,
                    block: Block::TopStories,
                    ..
                }
            ),
            "{error}"
        );
    }
}

#[test]
fn long_lines_cost_linear_work() {
    // A long summary of plain words.
    let large = assert_linear(
        "long summary",
        |n| {
            format!(
                "{MASTHEAD}#1\nA title\n{}\nTechUS\n90\n",
                repeat_to("A word or two. ", n)
            )
        },
        20_000,
    );
    large.unwrap();
    // Long free-text lines that read like structure in every free slot: a step, a
    // source, a URL holding many dated paths (each one a date to resolve), a rank, a
    // minute mark; as titles, summaries, the closing and a trend pair.
    let large = assert_linear(
        "long structure-shaped lines",
        |n| {
            let step = format!("1. {}", repeat_to("Step by step. ", n));
            let source = format!("Source: {}", repeat_to("a citation, ", n));
            let url = format!("https://example.com{}", repeat_to("/2026/03/27", n));
            let rank = format!("#{}", repeat_to("9", n));
            let minutes = format!("~{}min", repeat_to("1", n));
            let mut text = MASTHEAD.to_string();
            text.push_str(&format!("#1\n{step}\n{source}\nTechUS\n90\n"));
            text.push_str(&format!("#2\n{url}\n{rank}\nTechUS\n90\n"));
            text.push_str(&format!("#3\n{minutes}\n{step}\nTechUS\n90\n"));
            text.push_str(&format!("{}\n", repeat_to("The closing goes on. ", n)));
            text.push_str(&format!("{step}\n{source}\n"));
            text
        },
        10_000,
    );
    // The trend pair after the closing reads like a step: structure out of place.
    let error = large.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Format {
                block: Block::LearningPaths,
                ..
            }
        ),
        "{error}"
    );
}

/// An issue with `n` groups in every block: top stories, insights, a brief's stats and
/// stories, resources, a path's steps, a watch's stories, trend pairs.
fn every_block(n: usize) -> String {
    let mut text = MASTHEAD.to_string();
    for rank in 1..=n {
        text.push_str(&format!(
            "#{rank}\nTitle {rank}\nSummary {rank}.\nTechUS\n90\n"
        ));
    }
    for i in 0..n {
        text.push_str(&format!("Insight {i}\nA paragraph {i}.\n~12min\n"));
    }
    text.push_str("Healthcare\nA headline\n");
    for i in 0..n {
        text.push_str(&format!("${i}M\nLabel {i}\n"));
    }
    for i in 0..n {
        text.push_str(&format!("Story {i}\nBody {i}.\nSource: Reuters\n"));
    }
    text.push_str("Hidden Signal\nThe signal.\n");
    for i in 0..n {
        text.push_str(&format!(
            "Intermediate Tool\nResource {i}\nDescription {i}.\n"
        ));
        text.push_str(&format!("https://example.com/2026/03/27/r{i}\n"));
    }
    text.push_str("Beginner A Path\n");
    for i in 1..=n {
        text.push_str(&format!(
            "{i}. Step {i}\n30 min\nhttps://example.com/s{i}\n"
        ));
    }
    text.push_str("After this: an outcome\nINDIA AI WATCH\nA summary.\n");
    for i in 0..n {
        text.push_str(&format!("Watch story {i}\nBody {i}.\nSource: Inc42\n"));
    }
    text.push_str("India Signal\nThe signal.\nThe closing paragraph.\n");
    for i in 0..n {
        text.push_str(&format!("Evidence {i}\nTheme {i}\n"));
    }
    text
}

#[test]
fn many_blocks_cost_linear_work() {
    let large = assert_linear(
        "many stories",
        |n| {
            let mut text = MASTHEAD.to_string();
            for rank in 1..=n {
                text.push_str(&format!(
                    "#{rank}\nTitle {rank}\nSummary {rank}.\nTechUS\n90\n"
                ));
            }
            text
        },
        400,
    );
    assert_eq!(large.unwrap().top_stories.len(), 1_600);

    // Steps are numbered with at most three digits: 4N stays under 1000.
    let large = assert_linear("every block repeated", every_block, 60);
    let issue = large.unwrap();
    assert_eq!(issue.top_stories.len(), 240);
    assert_eq!(issue.insights.len(), 240);
    assert_eq!(issue.sector_briefs[0].stats.len(), 240);
    assert_eq!(issue.sector_briefs[0].stories.len(), 240);
    assert_eq!(issue.resources.len(), 240);
    assert_eq!(issue.learning_paths[0].steps.len(), 240);
    assert_eq!(issue.regional_watch.unwrap().stories.len(), 240);
    assert_eq!(issue.trend_indicators.len(), 240);

    let large = assert_linear(
        "many masthead paragraphs",
        |n| {
            let mut text = "← All posts\n\nA headline\n\n".to_string();
            for i in 0..n {
                text.push_str(&format!("Paragraph {i} of the summary.\n\n"));
            }
            text.push_str("Subscribe free All posts\n#1\nA title\nA summary.\nTechUS\n90\n");
            text
        },
        400,
    );
    large.unwrap();
}

#[test]
fn many_warnings_cost_linear_work_and_stay_capped() {
    // A story with an unknown region and a brief of an unknown sector, many times:
    // a warning each, kept up to the cap per file.
    let large = assert_linear(
        "many warnings",
        |n| {
            let mut text = MASTHEAD.to_string();
            for rank in 1..=n {
                text.push_str(&format!(
                    "#{rank}\nTitle {rank}\nSummary {rank}.\nTechNordicsUS\n90\n"
                ));
            }
            for i in 0..n {
                text.push_str(&format!("Robotics {i}\nA headline\n$1M\nLabel\n"));
                text.push_str("Story\nBody.\nSource: X\nHidden Signal\nThe signal.\n");
            }
            text
        },
        200,
    );
    let issue = large.unwrap();
    assert_eq!(issue.top_stories.len(), 800);
    assert_eq!(issue.sector_briefs.len(), 800);
    assert_eq!(issue.warnings.len(), MAX_WARNINGS_PER_FILE);
    let last = issue.warnings.last().unwrap();
    assert!(
        last.message.starts_with(&format!(
            "{} more warnings",
            1_600 - (MAX_WARNINGS_PER_FILE - 1)
        )),
        "{last}"
    );
}

#[test]
fn lines_of_structure_out_of_place_cost_linear_work() {
    // Lines that each start some block's lookahead but never fit: every shape check
    // looks ahead a fixed number of lines or answers from tables built in one pass.
    // N is 2,000 lines (6,000–37,000 bytes).
    for (shape, unit) in [
        ("minute marks", "~12min\n"),
        (
            "markers and sources",
            "Hidden Signal\nSource: a body that cites.\nSource: Inc42\n",
        ),
        ("known sectors", "Healthcare\n"),
        ("ranks", "#2\n"),
        (
            "steps without a path",
            "1. Step\n30 min\nhttps://example.com/s\n",
        ),
        ("resource headers", "Intermediate Tool\n"),
        ("watch headers", "INDIA AI WATCH\nSource: Inc42\n"),
        (
            "insight-shaped stories",
            "#2\n~12min\nA summary.\n~12min\nTechUS\n90\n",
        ),
    ] {
        let large = assert_linear(
            &format!("out of place: {shape}"),
            |n| {
                let lines = unit.lines().count();
                format!("{}{}", one_story("TechUS"), unit.repeat(n / lines))
            },
            2_000,
        );
        drop(large);
    }
}

#[test]
fn the_linear_check_catches_quadratic_work() {
    let _serial = serial();
    // Copies the rest of the line at every character: bytes quadratic.
    let copies = |line: &str| -> usize {
        let rests: Vec<String> = (0..line.len()).map(|i| line[i..].to_string()).collect();
        rests.len()
    };
    // Allocates once for every pair of (short) pieces: allocations quadratic.
    let pairs = |line: &str| -> usize {
        let pieces: Vec<&str> = line.split(' ').collect();
        let mut kept = 0;
        for a in &pieces {
            for b in &pieces {
                kept += format!("{a}{b}").len().min(1);
            }
        }
        kept
    };
    // And one linear function, which passes.
    let linear = |line: &str| -> usize { line.split(' ').map(str::to_string).count() };
    let growth = |f: &dyn Fn(&str) -> usize, chars: usize| {
        let (small, large) = (repeat_to("a ", chars), repeat_to("a ", 4 * chars));
        let (s, _) = measure(|| f(&small));
        let (l, _) = measure(|| f(&large));
        growth_violation(small.len(), large.len(), s, l)
    };
    assert!(growth(&copies, 2_000).is_some_and(|why| why.contains("peak bytes")));
    assert!(growth(&pairs, 400).is_some_and(|why| why.contains("allocations")));
    assert_eq!(growth(&linear, 2_000), None);
}
