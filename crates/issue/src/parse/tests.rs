//! Parser tests on the real seed (read from `../shared/seeds/`, never copied into the
//! repository) and on broken and reshaped variants of it.

use super::*;

fn seed() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seeds/000_85727bfc0b3f4d6f.txt");
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(text),
        Err(_) => {
            eprintln!(
                "skipped: no seed issue at {} (CI always has it)",
                path.display()
            );
            None
        }
    }
}

fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

fn format_error(result: Result<Issue>) -> (usize, Block, String) {
    match result {
        Err(Error::Format {
            line,
            block,
            expected,
            ..
        }) => (line, block, expected),
        other => panic!("expected a format error, got {other:?}"),
    }
}

#[test]
fn seed_parses_without_warnings() {
    let Some(text) = seed() else { return };
    let issue = parse_str(&text, "seed.txt", None).unwrap();
    assert_eq!(issue.date.to_string(), "2026-03-27");
    assert_eq!(issue.date_source, DateSource::InferredFromUrls);
    assert!(issue.warnings.is_empty(), "{:?}", issue.warnings);
}

#[test]
fn every_deleted_line_is_an_error_unless_the_issue_is_still_whole() {
    let Some(text) = seed() else { return };
    let all = lines(&text);
    for i in 0..all.len() {
        let mut broken = all.clone();
        broken.remove(i);
        match parse_str(&broken.join("\n"), "x.txt", None) {
            Err(Error::Format { line, .. }) => assert!(line >= 1 && line <= all.len()),
            Err(other) => panic!("deleting line {}: unexpected error {other}", i + 1),
            // The closing paragraph is optional: losing it (or the paragraph before it,
            // which the closing then stands in for) leaves a well-formed issue.
            Ok(issue) => assert!(
                issue.closing.is_none(),
                "deleting line {} went unnoticed: {:?}",
                i + 1,
                all[i]
            ),
        }
    }
}

#[test]
fn deleted_rank_line_is_reported_where_it_should_be() {
    let Some(text) = seed() else { return };
    let mut broken = lines(&text);
    broken.remove(12); // "#2"
    let (line, block, expected) = format_error(parse_str(&broken.join("\n"), "x.txt", None));
    assert_eq!(
        (line, block, expected.as_str()),
        (13, Block::TopStories, "\"#2\"")
    );
}

#[test]
fn swapped_lines_are_reported() {
    let Some(text) = seed() else { return };
    let mut broken = lines(&text);
    broken.swap(12, 13); // "#2" and its title
    let (line, block, _) = format_error(parse_str(&broken.join("\n"), "x.txt", None));
    assert_eq!((line, block), (13, Block::TopStories));

    let mut broken = lines(&text);
    broken.swap(135, 136); // a source line and the next story's title
    let (_, block, _) = format_error(parse_str(&broken.join("\n"), "x.txt", None));
    assert_eq!(block, Block::SectorBriefs);

    // No adjacent swap anywhere may panic.
    let all = lines(&text);
    for i in 0..all.len() - 1 {
        let mut swapped = all.clone();
        swapped.swap(i, i + 1);
        let _ = parse_str(&swapped.join("\n"), "x.txt", None);
    }
}

#[test]
fn bad_score_names_line_block_and_what_was_expected() {
    let Some(text) = seed() else { return };
    let broken = text.replacen("\n95\n", "\n9x\n", 1);
    let error = parse_str(&broken, "corpus/x.txt", None).unwrap_err();
    assert_eq!(
        error.to_string(),
        "corpus/x.txt:12: top stories: expected a score (an integer 0–100), found \"9x\""
    );
    let broken = text.replacen("\n95\n", "\n101\n", 1);
    assert!(parse_str(&broken, "x.txt", None).is_err());
}

#[test]
fn truncated_file_is_an_error_at_end_of_file() {
    let Some(text) = seed() else { return };
    // Cut inside the sector briefs, on a line boundary.
    let cut = text.find("Source: Inc42").unwrap();
    let error = parse_str(&text[..cut], "x.txt", None).unwrap_err();
    assert!(error.to_string().contains("sector briefs"), "{error}");
    // Cut inside a multi-byte character: reported as invalid UTF-8 with its offset.
    let rupee = text.find('₹').unwrap();
    let error = parse_bytes(&text.as_bytes()[..rupee + 1], "x.txt", None).unwrap_err();
    assert!(
        matches!(error, Error::InvalidUtf8 { offset, .. } if offset == rupee),
        "{error}"
    );
}

#[test]
fn invalid_utf8_empty_and_binary_files_are_named() {
    let Some(text) = seed() else { return };
    let mut bytes = text.clone().into_bytes();
    bytes[200] = 0xff;
    let line = text[..200].matches('\n').count() + 1;
    let error = parse_bytes(&bytes, "x.txt", None).unwrap_err();
    assert!(
        matches!(error, Error::InvalidUtf8 { offset: 200, line: l, .. } if l == line),
        "{error}"
    );
    assert!(error.to_string().contains("byte offset 200"));

    assert!(matches!(
        parse_bytes(b"", "e.txt", None),
        Err(Error::Empty { .. })
    ));
    assert!(matches!(
        parse_bytes(b" \n\r\n", "e.txt", None),
        Err(Error::Empty { .. })
    ));
    let binary = [0x7f, b'E', b'L', b'F', 0, 0, 1, 2];
    assert!(matches!(
        parse_bytes(&binary, "b.txt", None),
        Err(Error::Binary { offset: 4, .. })
    ));
}

#[test]
fn crlf_line_ends_and_a_bom_read_the_same() {
    let Some(text) = seed() else { return };
    let plain = parse_str(&text, "x.txt", None).unwrap();
    let crlf = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    assert_eq!(parse_str(&crlf, "x.txt", None).unwrap(), plain);
    let no_final_newline = text.trim_end_matches('\n');
    assert_eq!(parse_str(no_final_newline, "x.txt", None).unwrap(), plain);
}

/// The seed without the lines in `range` (1-based, inclusive).
fn without(text: &str, first: usize, last: usize) -> String {
    lines(text)
        .iter()
        .enumerate()
        .filter(|(i, _)| !(first - 1..last).contains(i))
        .map(|(_, l)| *l)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn optional_blocks_may_be_missing() {
    let Some(text) = seed() else { return };
    let no_insights = parse_str(&without(&text, 108, 125), "2026-03-27.txt", None).unwrap();
    assert!(no_insights.insights.is_empty());
    assert_eq!(no_insights.sector_briefs.len(), 6);

    let no_watch = parse_str(&without(&text, 327, 339), "2026-03-27.txt", None).unwrap();
    assert!(no_watch.regional_watch.is_none());
    assert!(no_watch.closing.is_some());
    assert_eq!(no_watch.trend_indicators.len(), 3);

    let no_trends = parse_str(&without(&text, 341, 346), "2026-03-27.txt", None).unwrap();
    assert!(no_trends.trend_indicators.is_empty());
    assert!(no_trends.closing.is_some());

    let no_paths = parse_str(&without(&text, 288, 326), "2026-03-27.txt", None).unwrap();
    assert!(no_paths.learning_paths.is_empty());
    assert_eq!(no_paths.resources.len(), 12);

    let special = lines(&text)[..107].join("\n");
    let special = parse_str(&special, "2026-03-27.txt", None).unwrap();
    assert_eq!(special.top_stories.len(), 20);
    assert!(special.sector_briefs.is_empty() && special.closing.is_none());
}

#[test]
fn another_region_can_be_watched() {
    let Some(text) = seed() else { return };
    let uk = text
        .replace("INDIA AI WATCH", "UK AI WATCH")
        .replace("India Signal", "UK Signal");
    let issue = parse_str(&uk, "x.txt", None).unwrap();
    assert_eq!(issue.regional_watch.unwrap().region, Region::Uk);
    assert!(issue.warnings.is_empty());

    let new_region = text
        .replace("INDIA AI WATCH", "NORDICS AI WATCH")
        .replace("India Signal", "Nordics Signal");
    let issue = parse_str(&new_region, "x.txt", None).unwrap();
    assert_eq!(
        issue.regional_watch.unwrap().region,
        Region::Other("Nordics".into())
    );
    assert_eq!(issue.warnings.len(), 1);
    assert_eq!(issue.warnings[0].line, 327);
}

#[test]
fn unknown_tags_are_kept_with_a_warning_naming_the_line() {
    let Some(text) = seed() else { return };
    let changed = text.replacen("TechUS\n87", "TechUSNordics\n87", 1);
    let issue = parse_str(&changed, "x.txt", None).unwrap();
    assert_eq!(
        issue.top_stories[3].regions,
        [Region::Us, Region::Other("Nordics".into())]
    );
    assert_eq!(issue.warnings.len(), 1);
    assert_eq!(issue.warnings[0].line, 26);
    assert_eq!(issue.warnings[0].block, Block::TopStories);
    assert!(issue.warnings[0].message.contains("Nordics"));
}

#[test]
fn new_resource_kinds_and_durations_are_read() {
    let Some(text) = seed() else { return };
    let changed = text
        .replacen("Intermediate Tool\nEVA", "Intermediate Podcast\nEVA", 1)
        .replacen("\n30 min\n", "\n1h 30m\n", 1)
        .replacen("\n15 min\n", "\n1.5 hours\n", 1)
        .replacen("\n20 min\n", "\n90 minutes\n", 1);
    let issue = parse_str(&changed, "x.txt", None).unwrap();
    assert_eq!(issue.resources[0].kind, ResourceKind::Podcast);
    let minutes: Vec<u32> = issue.learning_paths[0]
        .steps
        .iter()
        .map(|s| s.minutes)
        .collect();
    assert_eq!(minutes, [90, 90, 90]);
}

#[test]
fn date_comes_from_the_file_name_then_sidecar_then_urls() {
    let Some(text) = seed() else { return };
    let named = parse_str(&text, "corpus/2025-11-07-some-slug.txt", None).unwrap();
    assert_eq!(named.date.to_string(), "2025-11-07");
    assert_eq!(named.date_source, DateSource::FileName);

    let dir = std::env::temp_dir().join(format!("backissue-sidecar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("special.txt");
    std::fs::write(&file, &text).unwrap();
    std::fs::write(
        dir.join("special.meta.toml"),
        "date = \"2026-04-01\"\nid = \"special-edition\"\n",
    )
    .unwrap();
    let sidecar = parse_file(&file).unwrap();
    assert_eq!(sidecar.date.to_string(), "2026-04-01");
    assert_eq!(sidecar.date_source, DateSource::Sidecar);
    assert_eq!(sidecar.id, "special-edition");

    std::fs::write(dir.join("special.meta.toml"), "date = \"April\"\n").unwrap();
    let error = parse_file(&file).unwrap_err();
    assert!(matches!(error, Error::Sidecar { .. }), "{error}");
    assert!(error.to_string().contains("special.meta.toml"));
    std::fs::remove_dir_all(&dir).unwrap();

    let undated = text.replace("/2026/03/27/", "/");
    let error = parse_str(&undated, "issue.txt", None).unwrap_err();
    let message = error.to_string();
    assert!(matches!(error, Error::NoDate { .. }));
    for way in ["file name", "issue.meta.json", "dated URLs"] {
        assert!(message.contains(way), "{message}");
    }
}

#[test]
fn durations_cover_the_ways_issues_write_them() {
    for (text, minutes) in [
        ("30 min", 30),
        ("15 mins", 15),
        ("1 hour", 60),
        ("2 hours", 120),
        ("1h 30m", 90),
        ("1h30m", 90),
        ("90 minutes", 90),
        ("1.5 hours", 90),
        ("2 hrs", 120),
        ("1 hour 15 min", 75),
    ] {
        assert_eq!(parse_duration(text), Some(minutes), "{text}");
    }
    for bad in ["", "soon", "30", "min", "1.5.2 hours", "-1 hour", "3 days"] {
        assert_eq!(parse_duration(bad), None, "{bad}");
    }
}

mod never_panics {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]

        #[test]
        fn on_random_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2000)) {
            let _ = parse_bytes(&bytes, "r.txt", None);
        }

        #[test]
        fn on_random_text_with_format_lines(
            picks in proptest::collection::vec(0usize..16, 0..120)
        ) {
            const PIECES: [&str; 16] = [
                "← All posts", "", "Subscribe free All posts", "#1", "#2", "TechUS", "95",
                "~15min", "Healthcare", "Source: Inc42", "Hidden Signal", "Intermediate Tool",
                "https://example.com/2026/03/27/x", "1. Step", "After this: done", "INDIA AI WATCH",
            ];
            let text: Vec<&str> = picks.iter().map(|&i| PIECES[i]).collect();
            let _ = parse_str(&text.join("\n"), "r.txt", None);
        }

        #[test]
        fn on_mutated_seeds(ops in proptest::collection::vec((0u8..4, any::<prop::sample::Index>(), any::<prop::sample::Index>()), 1..6)) {
            let Some(text) = seed() else { return Ok(()) };
            let mut all: Vec<String> = text.lines().map(str::to_string).collect();
            for (op, a, b) in ops {
                if all.is_empty() { break; }
                let (i, j) = (a.index(all.len()), b.index(all.len()));
                match op {
                    0 => { all.remove(i); }
                    1 => all.swap(i, j),
                    2 => { let line = all[j].clone(); all.insert(i, line); }
                    _ => { let cut = all[i].char_indices().nth(all[i].chars().count() / 2).map_or(0, |(k, _)| k); all[i].truncate(cut); }
                }
            }
            let _ = parse_str(&all.join("\n"), "m.txt", None);
        }
    }
}

/// Free text that reads like a line of the format's structure, one line each.
const LINE_SHAPED: &[&str] = &[
    "1. Step",
    "12. Patients were randomised into two arms",
    "https://example.com/a",
    "Source: Reuters",
    "#2",
    "#21",
    "~12min",
    "Intermediate Tool",
    "Advanced Robotics",
    "All Article",
    "After this: more",
    "Hidden Signal",
    "INDIA AI WATCH",
    "India Signal",
    "95",
    "TechUS",
];

/// Paragraphs that begin like a line of the format's structure (SciFact abstracts do).
const PARAGRAPH_SHAPED: &[&str] = &[
    "1. Patients were randomised into two arms and followed for a year.",
    "Source: a trial of 1,200 adults, reported in March.",
    "#3 in the rankings, the model now leads its class.",
    "https://example.com/a explains the method.",
    "After this: the results follow.",
    "~12min of reading, and more.",
];

/// What a free-text slot may hold.
#[derive(Clone, Copy)]
enum Takes {
    /// Any line.
    Anything,
    /// A stat: any short line (up to 40 characters) that is not `Source: …` or
    /// `Hidden Signal`.
    Stat,
    /// A paragraph with no line after it to anchor it (a marker's paragraph, the closing).
    Paragraph,
}

impl Takes {
    fn lines(self) -> Vec<&'static str> {
        let all = LINE_SHAPED.iter().chain(PARAGRAPH_SHAPED);
        match self {
            Takes::Anything => all.copied().collect(),
            Takes::Stat => LINE_SHAPED
                .iter()
                .copied()
                .filter(|l| l.chars().count() <= MAX_STAT_VALUE)
                .filter(|l| !l.starts_with("Source: ") && *l != "Hidden Signal")
                .collect(),
            Takes::Paragraph => PARAGRAPH_SHAPED.to_vec(),
        }
    }
}

type Field = fn(&mut Issue) -> &mut String;

/// Every free-text slot of every block in the seed: (1-based line, text before the
/// field on that line, the field, what it may hold).
fn free_text_slots() -> Vec<(usize, &'static str, Field, Takes)> {
    use Takes::*;
    vec![
        (3, "", |i| &mut i.headline, Anything),
        (5, "", |i| &mut i.summary, Anything),
        (9, "", |i| &mut i.top_stories[0].title, Anything),
        (10, "", |i| &mut i.top_stories[0].summary, Anything),
        (104, "", |i| &mut i.top_stories[19].title, Anything),
        (105, "", |i| &mut i.top_stories[19].summary, Anything),
        (108, "", |i| &mut i.insights[0].title, Anything),
        (109, "", |i| &mut i.insights[0].body, Anything),
        (123, "", |i| &mut i.insights[5].title, Anything),
        (124, "", |i| &mut i.insights[5].body, Anything),
        (127, "", |i| &mut i.sector_briefs[0].headline, Anything),
        (128, "", |i| &mut i.sector_briefs[0].stats[0].value, Stat),
        (129, "", |i| &mut i.sector_briefs[0].stats[0].label, Stat),
        (133, "", |i| &mut i.sector_briefs[0].stats[2].label, Stat),
        (
            134,
            "",
            |i| &mut i.sector_briefs[0].stories[0].title,
            Anything,
        ),
        (
            135,
            "",
            |i| &mut i.sector_briefs[0].stories[0].body,
            Anything,
        ),
        (
            137,
            "",
            |i| &mut i.sector_briefs[0].stories[1].title,
            Anything,
        ),
        (
            138,
            "",
            |i| &mut i.sector_briefs[0].stories[1].body,
            Anything,
        ),
        (
            140,
            "",
            |i| &mut i.sector_briefs[0].stories[2].title,
            Anything,
        ),
        (
            141,
            "",
            |i| &mut i.sector_briefs[0].stories[2].body,
            Anything,
        ),
        (
            144,
            "",
            |i| &mut i.sector_briefs[0].hidden_signal,
            Paragraph,
        ),
        (
            236,
            "",
            |i| &mut i.sector_briefs[5].stories[2].body,
            Anything,
        ),
        (
            239,
            "",
            |i| &mut i.sector_briefs[5].hidden_signal,
            Paragraph,
        ),
        (241, "", |i| &mut i.resources[0].title, Anything),
        (242, "", |i| &mut i.resources[0].description, Anything),
        (285, "", |i| &mut i.resources[11].title, Anything),
        (286, "", |i| &mut i.resources[11].description, Anything),
        (
            288,
            "Beginner ",
            |i| &mut i.learning_paths[0].title,
            Anything,
        ),
        (
            289,
            "1. ",
            |i| &mut i.learning_paths[0].steps[0].text,
            Anything,
        ),
        (
            326,
            "After this: ",
            |i| &mut i.learning_paths[2].outcome,
            Anything,
        ),
        (328, "", |i| &mut watch(i).summary, Anything),
        (329, "", |i| &mut watch(i).stories[0].title, Anything),
        (330, "", |i| &mut watch(i).stories[0].body, Anything),
        (335, "", |i| &mut watch(i).stories[2].title, Anything),
        (336, "", |i| &mut watch(i).stories[2].body, Anything),
        (339, "", |i| &mut watch(i).signal, Paragraph),
        (340, "", |i| i.closing.as_mut().unwrap(), Paragraph),
    ]
}

fn watch(issue: &mut Issue) -> &mut RegionalWatch {
    issue.regional_watch.as_mut().unwrap()
}

#[test]
fn free_text_that_reads_like_structure_is_read_where_its_place_says_text() {
    let Some(text) = seed() else { return };
    let seed_issue = parse_str(&text, "seed.txt", None).unwrap();
    let all = lines(&text);
    for (number, prefix, field, takes) in free_text_slots() {
        // The slot is where the table says it is.
        let mut expected = seed_issue.clone();
        assert_eq!(
            format!("{prefix}{}", field(&mut expected)),
            all[number - 1],
            "line {number}"
        );
        for shaped in takes.lines() {
            let mut changed = all.clone();
            let line = format!("{prefix}{shaped}");
            changed[number - 1] = &line;
            let issue = parse_str(&changed.join("\n"), "seed.txt", None)
                .unwrap_or_else(|e| panic!("line {number} as {line:?}: {e}"));
            *field(&mut expected) = shaped.to_string();
            assert_eq!(issue, expected, "line {number} as {line:?}");
        }
    }
}

#[test]
fn the_masthead_takes_a_rank_shaped_paragraph_but_not_a_missing_subscribe_line() {
    let Some(text) = seed() else { return };
    let issue = parse_str(&text.replacen(lines(&text)[4], "#2", 1), "x.txt", None).unwrap();
    assert_eq!(issue.summary, "#2");
    // Without the subscribe line, `#1` is followed by a title, not a blank line.
    let broken = text.replacen("Subscribe free All posts\n", "", 1);
    assert_eq!(
        parse_str(&broken, "x.txt", None).unwrap_err().to_string(),
        "x.txt:7: masthead: expected \"Subscribe free All posts\", found \"#1\""
    );
}

/// An edit of the seed: a 1-based line and its new text, or `None` to delete it.
type Edit<'a> = (usize, Option<&'a str>);

/// The seed with `edits` applied.
fn edited(text: &str, edits: &[Edit]) -> String {
    let mut all: Vec<Option<&str>> = lines(text).into_iter().map(Some).collect();
    for &(number, to) in edits {
        all[number - 1] = to;
    }
    all.into_iter().flatten().collect::<Vec<_>>().join("\n")
}

#[test]
fn a_broken_group_is_reported_at_its_structure_not_at_its_structure_shaped_text() {
    let Some(text) = seed() else { return };
    const STEP: &str = "1. Patients were randomised into two arms and followed for a year.";
    const CITED: &str = "Source: a trial of 1,200 adults, reported in March.";
    let cases: &[(&[Edit], &str)] = &[
        // Top story #3: a step-shaped summary, and a bad score or a lost tag run.
        (
            &[(20, Some(STEP)), (22, Some("9x"))],
            "x.txt:22: top stories: expected a score (an integer 0–100), found \"9x\"",
        ),
        (
            &[(20, Some(STEP)), (21, None)],
            "x.txt:21: top stories: expected a tag run of sectors and regions (TechUSJapan), found \"89\"",
        ),
        // A rank where the summary should be: the story lost its summary line.
        (
            &[(10, Some("#2")), (11, None)],
            "x.txt:10: top stories: expected the story's summary, found \"#2\"",
        ),
        // An insight with a step-shaped paragraph loses its minute mark.
        (
            &[(109, Some(STEP)), (110, None)],
            "x.txt:112: insights: expected an insight (title, paragraph, ~NNmin), in its place \
             before the sector briefs, found \"~24min\"",
        ),
        // A brief whose hidden-signal paragraph reads like a step loses its marker.
        (
            &[(144, Some(STEP)), (143, None)],
            "x.txt:145: sector briefs: expected \"Source: NAME\", found \"Memory constraints \
             threaten AI infrastructure as SoftBank positions for OpenAI l…\"",
        ),
        // A resource with a step-shaped description loses its URL.
        (
            &[(242, Some(STEP)), (243, None)],
            "x.txt:243: resources: expected the resource's URL (https://…), found \"Advanced Article\"",
        ),
        // A regional story whose body cites a source loses its source line.
        (
            &[(330, Some(CITED)), (331, None)],
            "x.txt:330: regional watch: expected a story's body, found \"Source: a trial of \
             1,200 adults, reported in March.\"",
        ),
        // A step-shaped closing with a trend line lost: the pairs are what is broken.
        (
            &[(340, Some(STEP)), (346, None)],
            "x.txt:346: trend indicators: expected trend indicators as pairs of lines \
             (evidence, theme), found \"end of file\"",
        ),
    ];
    for (edits, message) in cases {
        let error = parse_str(&edited(&text, edits), "x.txt", None).unwrap_err();
        assert_eq!(error.to_string(), *message, "{edits:?}");
    }
}

#[test]
fn lines_that_read_like_minute_marks_after_the_insights_stay_in_their_blocks() {
    let Some(text) = seed() else { return };
    // No briefs: the resources follow the insights. The first resource's description
    // and the second's title read `~12min`, so the insights' shape runs into them.
    let edits: Vec<Edit> = (126..=239)
        .map(|line| (line, None))
        .chain([(242, Some("~12min")), (245, Some("~12min"))])
        .collect();
    let issue = parse_str(&edited(&text, &edits), "x.txt", None).unwrap();
    assert_eq!(issue.insights.len(), 6);
    assert_eq!(issue.resources.len(), 12);
    assert_eq!(issue.resources[0].description, "~12min");
    assert_eq!(issue.resources[1].title, "~12min");
}
