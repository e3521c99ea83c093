//! Shared by the integration tests: archives generated once, and an issue split into
//! its documents the way DESIGN.md defines them.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::OnceLock;

use backissue_issue::{id, Issue, Level};
use backissue_sample::{generate, Archive, Config};

/// A 104-week archive (two years), seed 7, the shipped corpus's shape.
pub fn two_years() -> &'static Archive {
    static ARCHIVE: OnceLock<Archive> = OnceLock::new();
    ARCHIVE.get_or_init(|| generate(&config(104, 7)))
}

/// A 300-week archive, seed 42.
pub fn six_years() -> &'static Archive {
    static ARCHIVE: OnceLock<Archive> = OnceLock::new();
    ARCHIVE.get_or_init(|| generate(&config(300, 42)))
}

pub fn config(weeks: u32, seed: u64) -> Config {
    Config {
        weeks,
        start: "2025-01-03".parse().unwrap(),
        seed,
    }
}

/// Every document of `issue`, by id: its searchable text (title and body, one per line).
pub fn documents(issue: &Issue) -> BTreeMap<String, String> {
    let at = issue.id.as_str();
    let mut docs = BTreeMap::new();
    for story in &issue.top_stories {
        docs.insert(
            id::top_story(at, story.rank),
            format!("{}\n{}", story.title, story.summary),
        );
    }
    for (n, insight) in issue.insights.iter().enumerate() {
        docs.insert(
            id::insight(at, n + 1),
            format!("{}\n{}", insight.title, insight.body),
        );
    }
    for brief in &issue.sector_briefs {
        for (n, story) in brief.stories.iter().enumerate() {
            docs.insert(
                id::sector_story(at, &brief.sector, n + 1),
                format!("{}\n{}", story.title, story.body),
            );
        }
        docs.insert(
            id::hidden_signal(at, &brief.sector),
            brief.hidden_signal.clone(),
        );
    }
    for (n, resource) in issue.resources.iter().enumerate() {
        docs.insert(
            id::resource(at, n + 1),
            format!("{}\n{}", resource.title, resource.description),
        );
    }
    let mut per_level: BTreeMap<Level, usize> = BTreeMap::new();
    for path in &issue.learning_paths {
        let nth = per_level.entry(path.level).or_default();
        *nth += 1;
        let mut text = path.title.clone();
        for step in &path.steps {
            text.push('\n');
            text.push_str(&step.text);
        }
        text.push('\n');
        text.push_str(&path.outcome);
        docs.insert(id::learning_path(at, path.level, *nth), text);
    }
    if let Some(watch) = &issue.regional_watch {
        for (n, story) in watch.stories.iter().enumerate() {
            docs.insert(
                id::regional_story(at, &watch.region, n + 1),
                format!("{}\n{}", story.title, story.body),
            );
        }
        docs.insert(id::regional_signal(at, &watch.region), watch.signal.clone());
    }
    docs
}

/// The issue's text that belongs to no document: masthead, stats, brief headlines,
/// the watch summary, the closing and the trend indicators.
pub fn non_document_text(issue: &Issue) -> Vec<String> {
    let mut texts = vec![issue.headline.clone(), issue.summary.clone()];
    for brief in &issue.sector_briefs {
        texts.push(brief.headline.clone());
        for stat in &brief.stats {
            texts.push(stat.value.clone());
            texts.push(stat.label.clone());
        }
    }
    if let Some(watch) = &issue.regional_watch {
        texts.push(watch.summary.clone());
    }
    texts.extend(issue.closing.clone());
    for indicator in &issue.trend_indicators {
        texts.push(indicator.evidence.clone());
        texts.push(indicator.theme.clone());
    }
    texts
}
