//! The same seed gives the same archive, byte for byte; another seed gives another.

mod common;

use backissue_issue::render;
use backissue_sample::{generate, ground_truth_json, Archive};

use common::config;

fn bytes(archive: &Archive) -> (Vec<String>, String) {
    (
        archive.issues.iter().map(render).collect(),
        ground_truth_json(archive).unwrap(),
    )
}

#[test]
fn the_same_seed_gives_identical_bytes() {
    let a = generate(&config(60, 11));
    let b = generate(&config(60, 11));
    assert_eq!(bytes(&a), bytes(&b));
}

#[test]
fn another_seed_gives_another_archive() {
    let a = bytes(&generate(&config(30, 1)));
    let b = bytes(&generate(&config(30, 2)));
    assert_ne!(a.1, b.1);
    let same = a.0.iter().zip(&b.0).filter(|(x, y)| x == y).count();
    assert_eq!(same, 0, "{same} issues are identical across seeds");
}

#[test]
fn issues_are_weekly_from_the_start_date() {
    let archive = generate(&config(10, 5));
    let start = config(10, 5).start;
    for (i, issue) in archive.issues.iter().enumerate() {
        assert_eq!(Some(issue.date), start.add_days(7 * i as i64));
        assert_eq!(issue.id, issue.date.to_string());
    }
    assert_eq!(archive.ground_truth.weeks, 10);
    assert_eq!(archive.ground_truth.start, start);
}

#[test]
fn tiny_archives_are_still_well_formed() {
    for weeks in [0, 1, 2, 5] {
        let archive = generate(&config(weeks, 3));
        assert_eq!(archive.issues.len(), weeks as usize);
        for issue in &archive.issues {
            let text = render(issue);
            let name = format!("{}.txt", issue.date);
            assert_eq!(
                &backissue_issue::parse_str(&text, &name, None).unwrap(),
                issue
            );
        }
    }
}
