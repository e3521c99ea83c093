//! What reading an issue may cost and say, whatever the file holds: work and memory
//! linear in its size (measured by counting allocations, not with a clock), warnings
//! capped per line and per file, files over [`MAX_ISSUE_BYTES`] refused unread, and no
//! panic on mutated issues or random bytes.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;

use backissue_issue::*;
use proptest::prelude::*;

/// Counts, per thread, the bytes allocated and the peak of bytes live.
struct Counting;

thread_local! {
    static ALLOCATED: Cell<usize> = const { Cell::new(0) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn record(allocated: usize, live_change: isize) {
    // `try_with`: the allocator also runs while a thread's locals are torn down.
    let _ = ALLOCATED.try_with(|a| a.set(a.get() + allocated));
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + live_change);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

// SAFETY: every call is passed on to the system allocator unchanged; the counters are
// thread-local cells that never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        record(layout.size(), layout.size() as isize);
        System.alloc(layout)
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        record(layout.size(), layout.size() as isize);
        System.alloc_zeroed(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        record(0, -(layout.size() as isize));
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        record(new_size, new_size as isize - layout.size() as isize);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// What parsing one text cost: bytes allocated in all, and the most bytes live at once
/// above what was live before.
#[derive(Debug, Clone, Copy)]
struct Cost {
    allocated: usize,
    peak: usize,
}

fn cost_of_parsing(text: &str) -> (Cost, Result<Issue>) {
    let start_live = LIVE.with(Cell::get);
    ALLOCATED.with(|a| a.set(0));
    PEAK.with(|p| p.set(start_live));
    let result = parse_str(text, "2026-03-27.txt", None);
    let cost = Cost {
        allocated: ALLOCATED.with(Cell::get),
        peak: (PEAK.with(Cell::get) - start_live).max(0) as usize,
    };
    (cost, result)
}

/// Asserts that parsing `issue(n)` grows linearly with `n`: what 4n costs above a small
/// base stays under 5 times what n costs above it (linear gives 4, quadratic 16).
/// Returns the costs at n and 4n.
fn assert_linear(what: &str, issue: impl Fn(usize) -> String, n: usize) -> (Cost, Cost) {
    let (base, _) = cost_of_parsing(&issue(1));
    let (small, small_result) = cost_of_parsing(&issue(n));
    let (large, large_result) = cost_of_parsing(&issue(4 * n));
    assert_eq!(
        small_result.is_ok(),
        large_result.is_ok(),
        "{what}: {small_result:?}"
    );
    for (measure, b, s, l) in [
        (
            "allocated",
            base.allocated,
            small.allocated,
            large.allocated,
        ),
        ("peak", base.peak, small.peak, large.peak),
    ] {
        let (grown_small, grown_large) = (s.saturating_sub(b), l.saturating_sub(b));
        assert!(
            grown_large <= 5 * grown_small.max(1),
            "{what}: {measure} bytes grow faster than the input: {b} at 1, {s} at {n}, {l} at {}",
            4 * n
        );
    }
    (small, large)
}

const MASTHEAD: &str = "← All posts\n\nA headline\n\nA summary.\n\nSubscribe free All posts\n";

fn one_story(tag_run: &str) -> String {
    format!("{MASTHEAD}#1\nA title\nA summary of the story.\n{tag_run}\n90\n")
}

/// `AbAbAb…`: `chars` characters, a camel-case boundary every two, every piece unknown.
fn camel_run(chars: usize) -> String {
    "Ab".repeat(chars / 2)
}

fn stories(count: usize, tag_run: &str) -> String {
    let mut text = MASTHEAD.to_string();
    for rank in 1..=count {
        text.push_str(&format!(
            "#{rank}\nTitle {rank}\n1. A summary that opens like a step.\n{tag_run}\n90\n"
        ));
    }
    text
}

#[test]
fn a_long_tag_run_costs_linear_work_and_bounded_warnings() {
    let (small, large) = assert_linear("tag run", |n| one_story(&camel_run(n)), 10_000);
    eprintln!("AbAb… tag run, 10,000 chars: {small:?}; 40,000 chars: {large:?}");
    let issue = parse_str(&one_story(&camel_run(40_000)), "2026-03-27.txt", None).unwrap();
    assert_eq!(issue.top_stories[0].regions.len(), 20_000);
    assert_eq!(issue.warnings.len(), MAX_WARNINGS_PER_LINE);
    assert!(issue.warnings[MAX_WARNINGS_PER_LINE - 1]
        .message
        .starts_with(&format!(
            "{} more unknown tags",
            20_000 - (MAX_WARNINGS_PER_LINE - 1)
        )));
    for warning in &issue.warnings {
        assert_eq!(warning.line, 11);
        assert!(
            warning.message.chars().count() < 3 * MAX_QUOTED_CHARS,
            "{warning}"
        );
        assert!(warning.message.contains("AbAb"), "{warning}");
        assert!(warning.message.contains('…'), "{warning}");
    }
}

#[test]
fn the_seed_with_a_40000_character_tag_run_parses_in_bounded_memory() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds/000_85727bfc0b3f4d6f.txt");
    let Ok(seed) = std::fs::read_to_string(&path) else {
        eprintln!("skipped: no seed issue at {}", path.display());
        return;
    };
    let (plain, _) = cost_of_parsing(&seed);
    let long = seed.replacen(
        "TechManufacturingGlobalUS\n",
        &format!("{}\n", camel_run(40_000)),
        1,
    );
    let (cost, result) = cost_of_parsing(&long);
    let issue = result.unwrap();
    let warning_bytes: usize = issue.warnings.iter().map(|w| w.message.len()).sum();
    eprintln!(
        "seed: {plain:?}; with a 40,000-char tag run: {cost:?}, {} warnings, {warning_bytes} bytes of warning text",
        issue.warnings.len()
    );
    assert_eq!(issue.warnings.len(), MAX_WARNINGS_PER_LINE);
    assert!(warning_bytes < MAX_WARNINGS_PER_LINE * 4 * MAX_QUOTED_CHARS * 4);
    // Before the fix: 20,000 warnings quoting the whole line, 800 MB of text.
    assert!(cost.peak < plain.peak + 8 * 1024 * 1024, "{cost:?}");
}

#[test]
fn a_long_unknown_tag_costs_linear_work() {
    // One unknown piece without a boundary: `Abbbb…`.
    assert_linear(
        "long tag",
        |n| one_story(&format!("A{}US", "b".repeat(n))),
        10_000,
    );
}

#[test]
fn many_top_stories_cost_linear_work_and_warnings_are_capped_per_file() {
    assert_linear("stories", |n| stories(n, "TechNordicsUS"), 500);
    let issue = parse_str(&stories(2_000, "TechNordicsUS"), "2026-03-27.txt", None).unwrap();
    assert_eq!(issue.top_stories.len(), 2_000);
    assert_eq!(issue.warnings.len(), MAX_WARNINGS_PER_FILE);
    let last = issue.warnings.last().unwrap();
    assert!(
        last.message.starts_with(&format!(
            "{} more warnings",
            2_000 - (MAX_WARNINGS_PER_FILE - 1)
        )),
        "{last}"
    );
}

#[test]
fn long_free_text_lines_cost_linear_work() {
    assert_linear(
        "long summary",
        |n| {
            let summary = "1. A step-shaped summary that goes on. ".repeat(n);
            format!("{MASTHEAD}#1\nA title\n{summary}\nTechUS\n90\n")
        },
        1_000,
    );
}

#[test]
fn insights_titled_like_sectors_cost_linear_work() {
    // Every insight asks whether a sector brief starts at its title.
    assert_linear(
        "insights",
        |n| {
            let mut text = one_story("TechUS");
            for _ in 0..n {
                text.push_str("Healthcare\nA paragraph.\n~12min\n");
            }
            text
        },
        500,
    );
}

#[test]
fn briefs_with_many_stories_and_markers_cost_linear_work() {
    assert_linear(
        "briefs",
        |n| {
            let mut text = one_story("TechUS");
            text.push_str("Healthcare\nA headline\n$6M\nA label\n");
            for _ in 0..n {
                text.push_str("Hidden Signal\nSource: a body that cites.\nSource: Inc42\n");
            }
            text.push_str("Hidden Signal\nThe signal.\n");
            text
        },
        500,
    );
}

#[test]
fn a_file_over_the_limit_is_refused_unread_and_others_still_parse() {
    let dir = std::env::temp_dir().join(format!("backissue-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let big = dir.join("2026-03-27.txt");
    let file = std::fs::File::create(&big).unwrap();
    file.set_len(MAX_ISSUE_BYTES as u64 + 1).unwrap();
    let small = dir.join("2026-04-03.txt");
    std::fs::write(&small, one_story("TechUS")).unwrap();

    let error = parse_file(&big).unwrap_err();
    assert!(
        matches!(error, Error::TooLarge { size, limit, .. }
            if size == MAX_ISSUE_BYTES as u64 + 1 && limit == MAX_ISSUE_BYTES),
        "{error}"
    );
    let message = error.to_string();
    assert!(message.contains("2026-03-27.txt"), "{message}");
    assert!(
        message.contains(&(MAX_ISSUE_BYTES + 1).to_string()),
        "{message}"
    );
    assert!(parse_file(&small).is_ok());

    // A file at the limit is read (and here fails on its content, not on its size).
    file.set_len(MAX_ISSUE_BYTES as u64).unwrap();
    assert!(matches!(parse_file(&big), Err(Error::Binary { .. })));

    // A sidecar is held to the same limit.
    std::fs::File::create(dir.join("2026-04-03.meta.toml"))
        .unwrap()
        .set_len(MAX_ISSUE_BYTES as u64 + 1)
        .unwrap();
    let error = parse_file(&small).unwrap_err();
    assert!(
        matches!(&error, Error::TooLarge { path, .. } if path.ends_with("2026-04-03.meta.toml")),
        "{error}"
    );
    std::fs::remove_dir_all(&dir).unwrap();

    let text = one_story("TechUS") + &" ".repeat(MAX_ISSUE_BYTES);
    assert!(matches!(
        parse_str(&text, "2026-03-27.txt", None),
        Err(Error::TooLarge { .. })
    ));
}

#[cfg(unix)]
#[test]
fn an_endless_file_is_refused_after_the_limit() {
    let zero = Path::new("/dev/zero");
    if !zero.exists() {
        return;
    }
    ALLOCATED.with(|a| a.set(0));
    let error = parse_file(zero).unwrap_err();
    assert!(matches!(error, Error::TooLarge { .. }), "{error}");
    let allocated = ALLOCATED.with(Cell::get);
    eprintln!("/dev/zero: {allocated} bytes allocated");
    assert!(allocated < 3 * MAX_ISSUE_BYTES, "{allocated}");
}

/// Warnings and errors stay small whatever the input.
fn assert_bounded(result: &Result<Issue>) {
    match result {
        Ok(issue) => {
            assert!(issue.warnings.len() <= MAX_WARNINGS_PER_FILE);
            for warning in &issue.warnings {
                assert!(
                    warning.message.chars().count() <= 3 * MAX_QUOTED_CHARS + 100,
                    "{warning}"
                );
            }
        }
        Err(error) => {
            assert!(
                error.to_string().chars().count() <= 4 * MAX_QUOTED_CHARS + 200,
                "{error}"
            );
        }
    }
}

/// Lines that read like the format's structure, and lines that are merely odd.
const PIECES: &[&str] = &[
    "#1",
    "#2",
    "~12min",
    "Source: Reuters",
    "Hidden Signal",
    "Healthcare",
    "Intermediate Tool",
    "https://example.com/2026/03/27/a",
    "1. Step",
    "2 hours",
    "After this: more",
    "INDIA AI WATCH",
    "India Signal",
    "TechUSNordics",
    "95",
    "",
    "\r",
    "← All posts",
    "Subscribe free All posts",
];

fn seed() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds/000_85727bfc0b3f4d6f.txt");
    std::fs::read_to_string(path).ok()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..4000)) {
        let result = parse_bytes(&bytes, "r.txt", None);
        assert_bounded(&result);
    }

    #[test]
    fn mutated_seeds_never_panic_and_say_little(
        ops in proptest::collection::vec(
            (0u8..7, any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<u8>()),
            1..10,
        )
    ) {
        let Some(text) = seed() else { return Ok(()) };
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut bytes_to_splice = Vec::new();
        for (op, a, b, byte) in ops {
            if lines.is_empty() {
                break;
            }
            let (i, j) = (a.index(lines.len()), b.index(lines.len()));
            match op {
                0 => { lines.remove(i); }
                1 => lines.swap(i, j),
                2 => { let line = lines[j].clone(); lines.insert(i, line); }
                3 => lines[i] = PIECES[b.index(PIECES.len())].to_string(),
                4 => lines.insert(i, PIECES[b.index(PIECES.len())].to_string()),
                // A line repeated until it is long: a tag run, a title, a URL.
                5 => lines[i] = lines[i].repeat(1 + usize::from(byte) * 8),
                _ => bytes_to_splice.push((a, byte)),
            }
        }
        let mut bytes = lines.join("\n").into_bytes();
        for (at, byte) in bytes_to_splice {
            let at = at.index(bytes.len() + 1);
            bytes.insert(at, byte);
        }
        let result = parse_bytes(&bytes, "m.txt", None);
        assert_bounded(&result);
    }
}
