//! Every generated issue is a well-formed issue: it survives render → parse unchanged,
//! with no warnings, and its free text never looks like the format's structure.

mod common;

use backissue_issue::{parse_str, render, DateSource, Issue, Level};
use backissue_sample::Archive;

use common::{six_years, two_years};

fn round_trips(archive: &Archive) {
    for issue in &archive.issues {
        let name = format!("{}.txt", issue.date);
        let text = render(issue);
        let parsed =
            parse_str(&text, &name, None).unwrap_or_else(|e| panic!("{name} does not parse: {e}"));
        assert!(parsed.warnings.is_empty(), "{name}: {:?}", parsed.warnings);
        assert_eq!(parsed.date_source, DateSource::FileName);
        assert_eq!(parsed, *issue, "{name} changes in the round trip");
    }
}

#[test]
fn every_issue_of_two_years_round_trips_without_warnings() {
    round_trips(two_years());
}

#[test]
fn every_issue_of_six_years_round_trips_without_warnings() {
    round_trips(six_years());
}

/// Why `line` could be mistaken for the format's structure, if it could.
fn structural(line: &str) -> Option<&'static str> {
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if line.is_empty() {
        return Some("empty");
    }
    if line.trim() != line {
        return Some("surrounding whitespace");
    }
    if line.contains(['\n', '\r']) {
        return Some("a line break");
    }
    if line.strip_prefix('#').is_some_and(digits) {
        return Some("a rank line");
    }
    if line
        .strip_prefix('~')
        .and_then(|l| l.strip_suffix("min"))
        .is_some_and(|l| digits(l.trim_end()))
    {
        return Some("a minute mark");
    }
    if line.starts_with("Source: ") || line.starts_with("After this: ") {
        return Some("a source or outcome line");
    }
    if line == "Hidden Signal" || line.ends_with(" AI WATCH") {
        return Some("a block marker");
    }
    if line.starts_with("http://") || line.starts_with("https://") {
        return Some("a URL");
    }
    if line
        .split_once(". ")
        .is_some_and(|(n, _)| n.len() <= 3 && digits(n))
    {
        return Some("a step line");
    }
    let words: Vec<&str> = line.split(' ').collect();
    if words.len() == 2 && Level::parse(words[0]).is_some() {
        return Some("a resource header");
    }
    None
}

fn check_text(issue: &Issue, what: &str, text: &str) {
    if let Some(why) = structural(text) {
        panic!("{}: {what} {text:?} looks like {why}", issue.date);
    }
}

fn check_title(issue: &Issue, what: &str, title: &str) {
    check_text(issue, what, title);
    assert!(
        title.chars().count() < 90,
        "{}: {what} too long: {title}",
        issue.date
    );
}

fn check_paragraph(issue: &Issue, what: &str, text: &str) {
    check_text(issue, what, text);
    let end = text.trim_end_matches('”');
    assert!(
        end.ends_with('.'),
        "{}: {what} must end with '.': {text}",
        issue.date
    );
}

fn free_text_is_plain(archive: &Archive) {
    for issue in &archive.issues {
        check_text(issue, "headline", &issue.headline);
        check_paragraph(issue, "summary", &issue.summary);
        for story in &issue.top_stories {
            check_title(issue, "top title", &story.title);
            check_paragraph(issue, "top summary", &story.summary);
        }
        for insight in &issue.insights {
            check_title(issue, "insight title", &insight.title);
            check_paragraph(issue, "insight body", &insight.body);
        }
        for brief in &issue.sector_briefs {
            check_text(issue, "brief headline", &brief.headline);
            for stat in &brief.stats {
                check_text(issue, "stat value", &stat.value);
                check_text(issue, "stat label", &stat.label);
            }
            for story in &brief.stories {
                check_title(issue, "sector story title", &story.title);
                check_paragraph(issue, "sector story body", &story.body);
            }
            check_paragraph(issue, "hidden signal", &brief.hidden_signal);
        }
        for resource in &issue.resources {
            check_title(issue, "resource title", &resource.title);
            check_paragraph(issue, "resource description", &resource.description);
        }
        for path in &issue.learning_paths {
            check_title(issue, "path title", &path.title);
            for step in &path.steps {
                check_text(issue, "step", &step.text);
            }
            check_paragraph(issue, "outcome", &path.outcome);
        }
        if let Some(watch) = &issue.regional_watch {
            check_paragraph(issue, "watch summary", &watch.summary);
            for story in &watch.stories {
                check_title(issue, "regional story title", &story.title);
                check_paragraph(issue, "regional story body", &story.body);
            }
            check_paragraph(issue, "regional signal", &watch.signal);
        }
        if let Some(closing) = &issue.closing {
            check_paragraph(issue, "closing", closing);
        }
        for indicator in &issue.trend_indicators {
            check_text(issue, "evidence", &indicator.evidence);
            check_text(issue, "theme", &indicator.theme);
            assert!(!indicator.evidence.ends_with('.') && indicator.evidence.chars().count() < 80);
        }
    }
}

#[test]
fn free_text_never_looks_like_structure() {
    free_text_is_plain(two_years());
    free_text_is_plain(six_years());
}

#[test]
fn the_structural_check_catches_what_the_format_forbids() {
    for bad in [
        "#3",
        "~12min",
        "Source: Wired",
        "After this: x",
        "Hidden Signal",
        "INDIA AI WATCH",
        "https://x.y",
        "2. Read it",
        "All Hands",
        "Advanced Robotics",
        " padded",
        "",
    ] {
        assert!(structural(bad).is_some(), "{bad:?}");
    }
    assert!(structural("All Hands on Deck").is_none());
    assert!(structural("Veridian Labs Raises $40M").is_none());
}

fn counts_stay_in_range(archive: &Archive) {
    let mut specials = 0;
    let mut watches = 0;
    for issue in &archive.issues {
        let tops = issue.top_stories.len();
        assert!(issue
            .top_stories
            .windows(2)
            .all(|w| w[0].score >= w[1].score));
        assert!(issue.top_stories.iter().all(|s| s.score <= 100));
        let special = issue.sector_briefs.is_empty();
        if special {
            specials += 1;
            assert!(
                (1..=7).contains(&tops),
                "{}: {tops} top stories",
                issue.date
            );
            assert!(issue.insights.is_empty() && issue.resources.is_empty());
            assert!(issue.regional_watch.is_none() && issue.closing.is_none());
            continue;
        }
        assert!(
            (8..=20).contains(&tops),
            "{}: {tops} top stories",
            issue.date
        );
        assert!(issue.insights.len() <= 6);
        assert!((3..=6).contains(&issue.sector_briefs.len()));
        for brief in &issue.sector_briefs {
            assert!(
                (1..=4).contains(&brief.stats.len()),
                "{}: stats",
                issue.date
            );
            assert!(
                (1..=4).contains(&brief.stories.len()),
                "{}: stories",
                issue.date
            );
        }
        assert!((6..=14).contains(&issue.resources.len()));
        assert!(issue.learning_paths.len() <= 3);
        for path in &issue.learning_paths {
            assert!((2..=5).contains(&path.steps.len()));
        }
        if let Some(watch) = &issue.regional_watch {
            watches += 1;
            assert!((1..=4).contains(&watch.stories.len()));
        }
        assert!(issue.closing.is_some());
        assert!(issue.trend_indicators.len() <= 4);
    }
    let regular = archive.issues.len() - specials;
    assert!(
        watches * 10 >= regular * 6,
        "{watches} watches in {regular} issues"
    );
}

#[test]
fn block_counts_vary_within_their_ranges() {
    counts_stay_in_range(two_years());
    counts_stay_in_range(six_years());
    let specials = six_years()
        .issues
        .iter()
        .filter(|i| i.sector_briefs.is_empty())
        .count();
    assert!(specials >= 2, "{specials} special editions in 300 weeks");
}

#[test]
fn many_seeds_round_trip_and_stay_plain() {
    for seed in 100..116 {
        let archive = backissue_sample::generate(&common::config(80, seed));
        round_trips(&archive);
        free_text_is_plain(&archive);
        counts_stay_in_range(&archive);
    }
}
