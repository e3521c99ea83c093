//! The catalog: every resource once per URL, every learning path once per content,
//! with when and how often the issues featured it.
//!
//! Issues feature the same resource again and again (a tool's quickstart, a paper
//! that keeps being cited). A reader wants it once, with its history: first and last
//! week featured, how many issues featured it, which ones. Resources are the same
//! when their URLs are the same after normalisation (scheme and host lower-cased, a
//! `#fragment` and a trailing `/` dropped); paths when their title, steps and outcome
//! are identical. What is shown (title, description, level) is the latest featuring's.

use std::collections::BTreeMap;

use backissue_issue::{Date, Level, ResourceKind};
use serde::{Deserialize, Serialize};

use crate::document::{Document, Section};

/// When and where an item was featured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Featured {
    /// The first ISO week it was featured, `2025-W07`.
    pub first_week: String,
    /// The last ISO week it was featured.
    pub last_week: String,
    /// The first issue's date.
    pub first_date: Date,
    /// The last issue's date.
    pub last_date: Date,
    /// How many issues featured it.
    pub times_featured: u32,
    /// The issues that featured it, oldest first.
    pub issues: Vec<String>,
    /// Its documents, one per featuring.
    pub doc_ids: Vec<String>,
}

impl Featured {
    fn of(docs: &[&Document]) -> Featured {
        let mut docs: Vec<&Document> = docs.to_vec();
        docs.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        let mut issues: Vec<String> = docs.iter().map(|d| d.issue_id.clone()).collect();
        issues.dedup();
        let (first, last) = (docs[0], docs[docs.len() - 1]);
        Featured {
            first_week: first.week.to_string(),
            last_week: last.week.to_string(),
            first_date: first.date,
            last_date: last.date,
            times_featured: issues.len() as u32,
            issues,
            doc_ids: docs.iter().map(|d| d.id.clone()).collect(),
        }
    }
}

/// A resource, once per URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceEntry {
    /// The URL as last written.
    pub url: String,
    /// The title.
    pub title: String,
    /// The description.
    pub description: String,
    /// The level.
    pub level: Level,
    /// What it is.
    pub kind: Option<ResourceKind>,
    /// Its history.
    #[serde(flatten)]
    pub featured: Featured,
}

/// A learning path, once per content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathEntry {
    /// The title.
    pub title: String,
    /// The level.
    pub level: Level,
    /// The steps, `1. text` each.
    pub steps: Vec<String>,
    /// What the reader can do after it.
    pub outcome: String,
    /// Its history.
    #[serde(flatten)]
    pub featured: Featured,
}

/// A URL normalised for comparison: trimmed, scheme and host lower-cased, without a
/// `#fragment` or a trailing `/`.
pub fn normalize_url(url: &str) -> String {
    let url = url.trim();
    let url = url.split('#').next().unwrap_or(url);
    let url = url.trim_end_matches('/');
    match url.split_once("://") {
        Some((scheme, rest)) => {
            let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
            format!(
                "{}://{}{}",
                scheme.to_lowercase(),
                host.to_lowercase(),
                path
            )
        }
        None => url.to_string(),
    }
}

/// Every resource of `docs`, once per URL, newest featuring first.
pub fn resources(docs: &[Document]) -> Vec<ResourceEntry> {
    let mut by_url: BTreeMap<String, Vec<&Document>> = BTreeMap::new();
    for doc in docs.iter().filter(|d| d.section == Section::Resource) {
        let url = doc.url.as_deref().unwrap_or(&doc.id);
        by_url.entry(normalize_url(url)).or_default().push(doc);
    }
    let mut entries: Vec<ResourceEntry> = by_url
        .into_values()
        .map(|docs| {
            let featured = Featured::of(&docs);
            let latest = docs
                .iter()
                .max_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)))
                .expect("a group has documents");
            ResourceEntry {
                url: latest.url.clone().unwrap_or_default(),
                title: latest.title.clone(),
                description: latest.body.clone(),
                level: latest.level.unwrap_or(Level::All),
                kind: latest.kind.clone(),
                featured,
            }
        })
        .collect();
    entries.sort_by(|a, b| (b.featured.last_date, &a.url).cmp(&(a.featured.last_date, &b.url)));
    entries
}

/// Every learning path of `docs`, once per title, steps and outcome, newest first.
pub fn paths(docs: &[Document]) -> Vec<PathEntry> {
    let mut by_content: BTreeMap<(String, String), Vec<&Document>> = BTreeMap::new();
    for doc in docs.iter().filter(|d| d.section == Section::LearningPath) {
        by_content
            .entry((doc.title.clone(), doc.body.clone()))
            .or_default()
            .push(doc);
    }
    let mut entries: Vec<PathEntry> = by_content
        .into_iter()
        .map(|((title, body), docs)| {
            let featured = Featured::of(&docs);
            let level = docs.iter().find_map(|d| d.level).unwrap_or(Level::All);
            let mut steps: Vec<String> = body.lines().map(str::to_string).collect();
            let outcome = match steps.last().and_then(|l| l.strip_prefix("After this: ")) {
                Some(outcome) => {
                    let outcome = outcome.to_string();
                    steps.pop();
                    outcome
                }
                None => String::new(),
            };
            PathEntry {
                title,
                level,
                steps,
                outcome,
                featured,
            }
        })
        .collect();
    entries.sort_by(|a, b| (b.featured.last_date, &a.title).cmp(&(a.featured.last_date, &b.title)));
    entries
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::{split_issue, tests::seed_issue};

    #[test]
    fn urls_compare_without_case_fragment_or_trailing_slash() {
        assert_eq!(
            normalize_url(" HTTPS://Example.COM/Path/#intro "),
            "https://example.com/Path"
        );
        assert_eq!(
            normalize_url("https://example.com/a?b=1"),
            "https://example.com/a?b=1"
        );
        assert_eq!(normalize_url("not a url/"), "not a url");
    }

    #[test]
    fn a_resource_featured_in_several_issues_is_listed_once_with_its_history() {
        let seed = split_issue(&seed_issue());
        let mut docs = seed.clone();
        for (issue, date) in [("2026-04-10", "2026-04-10"), ("2026-02-06", "2026-02-06")] {
            docs.extend(
                seed.iter()
                    .filter(|d| d.id.ends_with("/resource/7"))
                    .map(|d| Document {
                        id: format!("{issue}/resource/1"),
                        issue_id: issue.to_string(),
                        date: date.parse().unwrap(),
                        week: date.parse::<Date>().unwrap().iso_week(),
                        url: d
                            .url
                            .as_ref()
                            .map(|u| format!("{}/#top", u.replacen("https://", "HTTPS://", 1))),
                        ..d.clone()
                    }),
            );
        }
        let all = resources(&docs);
        let seed_count = resources(&seed).len();
        assert_eq!(all.len(), seed_count, "the copies are the same URL");
        let entry = all
            .iter()
            .find(|e| e.featured.times_featured == 3)
            .expect("one entry featured thrice");
        assert_eq!(entry.featured.first_week, "2026-W06");
        assert_eq!(entry.featured.last_week, "2026-W15");
        assert_eq!(
            entry.featured.issues,
            ["2026-02-06", "2026-03-27", "2026-04-10"]
        );
        assert_eq!(entry.level, Level::Advanced);
    }

    #[test]
    fn paths_split_steps_and_outcome() {
        let docs = split_issue(&seed_issue());
        let paths = paths(&docs);
        assert_eq!(paths.len(), 3);
        let beginner = paths.iter().find(|p| p.level == Level::Beginner).unwrap();
        assert!(beginner.steps[0].starts_with("1. Read the State of Open Source"));
        assert!(beginner.outcome.starts_with("Understand"));
        assert_eq!(beginner.featured.times_featured, 1);
    }
}
