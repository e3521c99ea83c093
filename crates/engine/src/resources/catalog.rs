//! The catalog: every resource once per work, every learning path once per content,
//! with when and how often the issues featured it.
//!
//! Issues feature the same resource again and again (a tool's quickstart, a paper
//! that keeps being cited), sometimes under another URL or another level. A reader
//! wants it once, with its history: first and last week featured, how many issues
//! featured it, which ones, and every level and URL it was featured under.
//!
//! **One entry per work.** Two featurings are the same work when their URLs are the
//! same after normalisation ([`normalize_url`]: scheme and host lower-cased, a
//! `#fragment` and a trailing `/` dropped) *or* their titles are ([`normalize_title`](backissue_text::titles::normalize_title):
//! case, punctuation and spacing folded), and the relation is closed transitively
//! (union–find): the same title at three URLs is one entry, and so is a retitled work
//! at one URL. What is shown (title, description, `url`, `level`, kind) is the latest
//! featuring's; `urls` and `levels` list every one. Paths are the same when their
//! title, steps (text, minutes, normalised link) and outcome are identical.

use std::collections::{BTreeMap, HashMap};

use backissue_issue::{Date, Level, PathStep, ResourceKind};
use serde::{Deserialize, Serialize};

use backissue_text::titles::normalize_title;

use crate::document::{Document, Section};

/// When and where an item was featured.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Featured {
    /// The first ISO week it was featured, `2025-W07`.
    pub first_week: String,
    /// The last ISO week it was featured.
    pub last_week: String,
    /// The first issue's date.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
    pub first_date: Date,
    /// The last issue's date.
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = Date))]
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

/// A resource, once per work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ResourceEntry {
    /// The URL of the latest featuring, as written.
    pub url: String,
    /// Every URL it was featured under, as last written, in the order first featured
    /// (`url` among them).
    pub urls: Vec<String>,
    /// The title (the latest featuring's).
    pub title: String,
    /// The description (the latest featuring's).
    pub description: String,
    /// The level of the latest featuring.
    pub level: Level,
    /// Every level it was featured at, in order of skill (`All` last).
    pub levels: Vec<Level>,
    /// What it is.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub kind: Option<ResourceKind>,
    /// Its history.
    #[serde(flatten)]
    pub featured: Featured,
}

/// A learning path, once per content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PathEntry {
    /// The title.
    pub title: String,
    /// The level.
    pub level: Level,
    /// The steps, in order: `n`, `text`, `minutes`, `url` each.
    pub steps: Vec<PathStep>,
    /// The minutes of all its steps.
    pub total_minutes: u32,
    /// What the reader can do after it (`After this: …`).
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

/// Union–find over item numbers, by path halving.
struct Groups(Vec<usize>);

impl Groups {
    fn find(&mut self, mut i: usize) -> usize {
        while self.0[i] != i {
            self.0[i] = self.0[self.0[i]];
            i = self.0[i];
        }
        i
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        if a != b {
            // The smaller number stays the root, so groups come out in input order.
            self.0[a.max(b)] = a.min(b);
        }
    }
}

/// Every resource of `docs`, once per work (same normalised URL or same normalised
/// title, transitively), newest featuring first.
pub fn resources(docs: &[Document]) -> Vec<ResourceEntry> {
    let docs: Vec<&Document> = docs
        .iter()
        .filter(|d| d.section == Section::Resource)
        .collect();
    let mut groups = Groups((0..docs.len()).collect());
    let mut first_with: HashMap<String, usize> = HashMap::new();
    for (i, doc) in docs.iter().enumerate() {
        let url = normalize_url(doc.url.as_deref().unwrap_or(&doc.id));
        let title = normalize_title(&doc.title);
        // Each key is tagged with its kind, so a URL never matches a title.
        let keys = [
            Some(format!("url {url}")),
            (!title.is_empty()).then(|| format!("title {title}")),
        ];
        for key in keys.into_iter().flatten() {
            match first_with.get(&key) {
                Some(&j) => groups.join(i, j),
                None => {
                    first_with.insert(key, i);
                }
            }
        }
    }
    let mut by_root: BTreeMap<usize, Vec<&Document>> = BTreeMap::new();
    for (i, doc) in docs.iter().enumerate() {
        let root = groups.find(i);
        by_root.entry(root).or_default().push(doc);
    }
    let mut entries: Vec<ResourceEntry> = by_root.into_values().map(|docs| entry(&docs)).collect();
    entries.sort_by(|a, b| (b.featured.last_date, &a.url).cmp(&(a.featured.last_date, &b.url)));
    entries
}

/// The entry of one work's featurings.
fn entry(docs: &[&Document]) -> ResourceEntry {
    let featured = Featured::of(docs);
    let mut ordered: Vec<&Document> = docs.to_vec();
    ordered.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    let latest = ordered[ordered.len() - 1];
    // Each normalised URL once, at its first featuring, written as last written.
    let mut urls: Vec<(String, String)> = Vec::new();
    for doc in &ordered {
        let Some(url) = doc.url.as_deref() else {
            continue;
        };
        let key = normalize_url(url);
        match urls.iter_mut().find(|(k, _)| *k == key) {
            Some((_, written)) => *written = url.to_string(),
            None => urls.push((key, url.to_string())),
        }
    }
    let mut levels: Vec<Level> = ordered.iter().filter_map(|d| d.level).collect();
    levels.sort();
    levels.dedup();
    if levels.is_empty() {
        levels.push(Level::All);
    }
    ResourceEntry {
        url: latest.url.clone().unwrap_or_default(),
        urls: urls.into_iter().map(|(_, written)| written).collect(),
        title: latest.title.clone(),
        description: latest.body.clone(),
        level: latest.level.unwrap_or(Level::All),
        levels,
        kind: latest.kind.clone(),
        featured,
    }
}

/// Every learning path of `docs`, once per title, steps and outcome, newest first.
pub fn paths(docs: &[Document]) -> Vec<PathEntry> {
    // Title, body (step texts and outcome), and each step's minutes and link.
    type Content = (String, String, Vec<(u32, String)>);
    let mut by_content: BTreeMap<Content, Vec<&Document>> = BTreeMap::new();
    for doc in docs.iter().filter(|d| d.section == Section::LearningPath) {
        let timing = doc
            .steps
            .iter()
            .map(|s| (s.minutes, normalize_url(&s.url)))
            .collect();
        by_content
            .entry((doc.title.clone(), doc.body.clone(), timing))
            .or_default()
            .push(doc);
    }
    let mut entries: Vec<PathEntry> = by_content
        .into_values()
        .map(|docs| {
            let featured = Featured::of(&docs);
            // Shown as last written.
            let doc = docs
                .iter()
                .max_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)))
                .expect("a group has documents");
            let level = docs.iter().find_map(|d| d.level).unwrap_or(Level::All);
            let (steps, outcome) = steps_and_outcome(doc);
            PathEntry {
                title: doc.title.clone(),
                level,
                total_minutes: steps.iter().map(|s| s.minutes).sum(),
                steps,
                outcome,
                featured,
            }
        })
        .collect();
    entries.sort_by(|a, b| (b.featured.last_date, &a.title).cmp(&(a.featured.last_date, &b.title)));
    entries
}

/// A path document's steps and outcome. The steps are the document's own; a body
/// whose document has none (written by hand) gives its `N. text` lines, without
/// minutes or link.
fn steps_and_outcome(doc: &Document) -> (Vec<PathStep>, String) {
    let mut lines: Vec<&str> = doc.body.lines().collect();
    let outcome = match lines.last().and_then(|l| l.strip_prefix("After this: ")) {
        Some(outcome) => {
            lines.pop();
            outcome.to_string()
        }
        None => String::new(),
    };
    if !doc.steps.is_empty() {
        return (doc.steps.clone(), outcome);
    }
    let steps = lines
        .iter()
        .enumerate()
        .map(|(i, line)| {
            let (n, text) = line
                .split_once(". ")
                .and_then(|(n, text)| Some((n.parse().ok()?, text)))
                .unwrap_or((i as u32 + 1, line));
            PathStep {
                n,
                text: text.to_string(),
                minutes: 0,
                url: String::new(),
            }
        })
        .collect();
    (steps, outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::fixtures::seed_issue;
    use crate::event::split_issue;

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
        assert_eq!(entry.levels, [Level::Advanced]);
        assert_eq!(
            entry.urls.len(),
            1,
            "one URL however written: {:?}",
            entry.urls
        );
    }

    /// A resource document of issue `issue` (a date).
    fn resource(issue: &str, n: usize, title: &str, url: &str, level: Level) -> Document {
        let date: Date = issue.parse().unwrap();
        Document {
            id: format!("{issue}/resource/{n}"),
            issue_id: issue.to_string(),
            date,
            week: date.iso_week(),
            section: Section::Resource,
            title: title.to_string(),
            body: format!("About {title}."),
            sectors: Vec::new(),
            regions: Vec::new(),
            level: Some(level),
            kind: None,
            source: None,
            url: Some(url.to_string()),
            score: None,
            steps: Vec::new(),
            event_id: format!("{issue}/resource/{n}"),
        }
    }

    #[test]
    fn one_work_at_several_urls_and_levels_is_one_entry_listing_them_all() {
        let docs = vec![
            resource(
                "2025-03-14",
                1,
                "Vector Search at Scale From First Principles",
                "https://a.example/vs-779",
                Level::Intermediate,
            ),
            resource(
                "2025-08-15",
                2,
                "Vector search at scale: from first principles",
                "https://a.example/vs-894",
                Level::Beginner,
            ),
            resource(
                "2025-09-12",
                3,
                "Vector Search at Scale From First Principles",
                "https://a.example/vs-987",
                Level::Advanced,
            ),
            resource(
                "2026-02-27",
                4,
                "VECTOR SEARCH AT SCALE — FROM FIRST PRINCIPLES",
                "https://a.example/vs-406",
                Level::Intermediate,
            ),
            // Retitled at a URL already seen: the same work, transitively.
            resource(
                "2026-03-06",
                5,
                "Vector Search, Second Edition",
                "https://A.example/vs-894/",
                Level::Advanced,
            ),
            // Another work.
            resource(
                "2026-03-06",
                6,
                "Vector Search in Practice",
                "https://a.example/other",
                Level::Beginner,
            ),
        ];
        let entries = resources(&docs);
        assert_eq!(entries.len(), 2, "{entries:#?}");
        let work = entries
            .iter()
            .find(|e| e.featured.times_featured == 5)
            .expect("one entry for the five featurings");
        assert_eq!(
            work.levels,
            [Level::Beginner, Level::Intermediate, Level::Advanced]
        );
        assert_eq!(
            work.urls,
            [
                "https://a.example/vs-779",
                "https://A.example/vs-894/",
                "https://a.example/vs-987",
                "https://a.example/vs-406",
            ]
        );
        // What is shown is the latest featuring's.
        assert_eq!(work.title, "Vector Search, Second Edition");
        assert_eq!(work.url, "https://A.example/vs-894/");
        assert_eq!(work.level, Level::Advanced);
        assert_eq!(work.featured.first_week, "2025-W11");
        let other = entries
            .iter()
            .find(|e| e.featured.times_featured == 1)
            .unwrap();
        assert_eq!(other.urls, ["https://a.example/other"]);
        assert_eq!(other.levels, [Level::Beginner]);
    }

    #[test]
    fn paths_split_steps_and_outcome() {
        let docs = split_issue(&seed_issue());
        let paths = paths(&docs);
        assert_eq!(paths.len(), 3);
        let beginner = paths.iter().find(|p| p.level == Level::Beginner).unwrap();
        assert_eq!(beginner.steps[0].n, 1);
        assert!(beginner.steps[0]
            .text
            .starts_with("Read the State of Open Source"));
        assert!(beginner
            .steps
            .iter()
            .all(|s| s.minutes > 0 && s.url.starts_with("https://")));
        assert_eq!(
            beginner.total_minutes,
            beginner.steps.iter().map(|s| s.minutes).sum::<u32>()
        );
        assert!(beginner.outcome.starts_with("Understand"));
        assert_eq!(beginner.featured.times_featured, 1);

        // A document without its steps (written by hand) still lists its lines.
        let mut bare = docs
            .iter()
            .find(|d| d.id == "2026-03-27/path/beginner")
            .unwrap()
            .clone();
        bare.steps.clear();
        let (steps, outcome) = steps_and_outcome(&bare);
        assert_eq!(steps.len(), beginner.steps.len());
        assert_eq!(steps[1].n, 2);
        assert_eq!(steps[1].text, beginner.steps[1].text);
        assert_eq!((steps[1].minutes, steps[1].url.as_str()), (0, ""));
        assert_eq!(outcome, beginner.outcome);
    }
}
