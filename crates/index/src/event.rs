//! Events: the documents of one issue that report the same news.
//!
//! An issue often tells one piece of news several times: the seed's SoftBank loan is
//! top story #2 and the first Finance & Banking story; Meritto's IPO is a top story, an
//! Education & EdTech story and an India watch story. Related stories must not
//! recommend the same news twice and trends must count it once a week, so every
//! document gets an `event_id`.
//!
//! Only stories (top, sector and regional) are grouped, and only within one issue, so
//! re-indexing one issue never changes another issue's events. Two stories are
//! linked when their texts are similar: the cosine of their content words (stemmed,
//! stop words removed, weighted by how rare the word is in the issue) plus the
//! overlap of the names they share (`SoftBank`, `$40B`, `Holotron-12B`), again
//! weighted by rarity so that `OpenAI` or `AI`, named everywhere, links nothing.
//! Links are taken strongest first, and a link is refused when it would put two
//! top stories, or two stories of the same brief or watch, into one event: a brief
//! never tells the same news twice, and neither does the ranked list.

use std::collections::{HashMap, HashSet};

use backissue_text::analyzers::content_analyzer;
use backissue_text::stop_words::Tier;

use backissue_issue::Issue;

use crate::document::Document;
use backissue_text::names::{is_name_like, raw_tokens};

/// Similarity at or above which two stories of one issue report the same news.
///
/// On the real issue, stories of one event score 0.69–1.30 and the closest unrelated
/// pair 0.32. On generated archives (five seeds, about 4,000 planted events) 0.45
/// missed 4 events and merged 3 wrongly; 0.40 and 0.50 both did worse.
pub const LINK_THRESHOLD: f32 = 0.45;

/// Weight of the shared-names score against the content-word cosine.
const NAME_WEIGHT: f32 = 0.5;

/// How much more a word of the title counts than a word of the body.
const TITLE_WEIGHT: f32 = 2.0;

/// Splits an issue into its documents, in issue order, with events assigned.
pub fn split_issue(issue: &Issue) -> Vec<Document> {
    let mut docs = crate::document::documents(issue);
    assign_events(&mut docs);
    docs
}

/// Assigns `event_id` to the documents of ONE issue (in issue order): stories that
/// report the same news share the id of the event's top story, or of its first
/// story when it has none; every other document is its own event.
pub fn assign_events(docs: &mut [Document]) {
    assign_events_at(docs, LINK_THRESHOLD);
}

/// [`assign_events`] with another link threshold.
pub fn assign_events_at(docs: &mut [Document], threshold: f32) {
    for doc in docs.iter_mut() {
        doc.event_id = doc.id.clone();
    }
    let stories: Vec<usize> = (0..docs.len())
        .filter(|&i| docs[i].section.is_story())
        .collect();
    if stories.len() < 2 {
        return;
    }
    let features = Features::of(stories.iter().map(|&i| &docs[i]));
    let groups: Vec<String> = stories
        .iter()
        .map(|&i| docs[i].story_group().unwrap_or("").to_string())
        .collect();

    let mut links = Vec::new();
    for a in 0..stories.len() {
        for b in a + 1..stories.len() {
            if groups[a] == groups[b] {
                continue;
            }
            let score = features.similarity(a, b);
            if score >= threshold {
                links.push((score, a, b));
            }
        }
    }
    // Strongest first; ties broken by position so the result never depends on sort internals.
    links.sort_by(|x, y| y.0.total_cmp(&x.0).then((x.1, x.2).cmp(&(y.1, y.2))));

    let mut clusters = Clusters::new(stories.len());
    for (_, a, b) in links {
        let (ca, cb) = (clusters.find(a), clusters.find(b));
        if ca == cb {
            continue;
        }
        let fits = clusters
            .members(ca)
            .iter()
            .all(|&x| clusters.members(cb).iter().all(|&y| groups[x] != groups[y]));
        if fits {
            clusters.union(ca, cb);
        }
    }

    for cluster in clusters.all() {
        if cluster.len() < 2 {
            continue;
        }
        let leader = cluster
            .iter()
            .copied()
            .find(|&m| groups[m] == "top")
            .unwrap_or_else(|| *cluster.iter().min().expect("clusters are not empty"));
        let event_id = docs[stories[leader]].id.clone();
        for &m in &cluster {
            docs[stories[m]].event_id = event_id.clone();
        }
    }
}

/// The weighted words and names of each story, with the issue's rarity weights.
struct Features {
    words: Vec<HashMap<String, f32>>,
    names: Vec<HashSet<String>>,
    word_idf: HashMap<String, f32>,
    name_idf: HashMap<String, f32>,
    word_norms: Vec<f32>,
}

impl Features {
    fn of<'a>(docs: impl Iterator<Item = &'a Document> + Clone) -> Self {
        let proper = proper_nouns(docs.clone());
        let mut analyzer = content_analyzer(Tier::Common);
        let mut words = Vec::new();
        let mut names = Vec::new();
        for doc in docs {
            let mut counts: HashMap<String, f32> = HashMap::new();
            for (text, weight) in [(&doc.title, TITLE_WEIGHT), (&doc.body, 1.0)] {
                let mut stream = analyzer.token_stream(text);
                while let Some(token) = stream.next() {
                    *counts.entry(token.text.clone()).or_default() += weight;
                }
            }
            words.push(counts);
            names.push(story_names(doc, &proper));
        }
        let word_idf = idf(words.iter().map(|w| w.keys()), words.len());
        let name_idf = idf(names.iter().map(|n| n.iter()), names.len());
        let word_norms = words
            .iter()
            .map(|w| {
                w.iter()
                    .map(|(word, tf)| (tf * word_idf[word]).powi(2))
                    .sum::<f32>()
                    .sqrt()
            })
            .collect();
        Features {
            words,
            names,
            word_idf,
            name_idf,
            word_norms,
        }
    }

    /// Content-word cosine plus weighted shared-name overlap, in 0..=1+NAME_WEIGHT.
    fn similarity(&self, a: usize, b: usize) -> f32 {
        self.word_cosine(a, b) + NAME_WEIGHT * self.name_overlap(a, b)
    }

    fn word_cosine(&self, a: usize, b: usize) -> f32 {
        let (small, large) = if self.words[a].len() <= self.words[b].len() {
            (&self.words[a], &self.words[b])
        } else {
            (&self.words[b], &self.words[a])
        };
        let dot: f32 = small
            .iter()
            .filter_map(|(word, tf)| {
                large
                    .get(word)
                    .map(|tf2| tf * tf2 * self.word_idf[word].powi(2))
            })
            .sum();
        let norms = self.word_norms[a] * self.word_norms[b];
        if norms == 0.0 {
            0.0
        } else {
            dot / norms
        }
    }

    /// Rarity-weighted shared names over the rarity-weighted names of the story
    /// with fewer of them: 1 when one story's names all appear in the other.
    fn name_overlap(&self, a: usize, b: usize) -> f32 {
        let weight =
            |names: &HashSet<String>| -> f32 { names.iter().map(|n| self.name_idf[n]).sum() };
        let shared: f32 = self.names[a]
            .intersection(&self.names[b])
            .map(|n| self.name_idf[n])
            .sum();
        let smaller = weight(&self.names[a]).min(weight(&self.names[b]));
        if smaller == 0.0 {
            0.0
        } else {
            shared / smaller
        }
    }
}

/// Lowercased names of a story: name-like tokens of its title and body. A
/// capitalised word at the start of a sentence, or anywhere in a title (which
/// capitalises everything), counts only if the issue also writes it capitalised in
/// the middle of a sentence (`Peregrin` in "the plans of Peregrin Industries").
fn story_names(doc: &Document, proper: &HashSet<String>) -> HashSet<String> {
    let mut names = HashSet::new();
    let tokens = raw_tokens(&doc.title)
        .into_iter()
        .map(|mut t| {
            t.sentence_start = true;
            t
        })
        .chain(raw_tokens(&doc.body));
    for token in tokens {
        let lower = token.text.to_lowercase();
        if is_name_like(&token) || (is_capitalised(token.text) && proper.contains(&lower)) {
            names.insert(lower);
        }
    }
    names
}

/// Lowercased words the stories write capitalised in the middle of a sentence.
fn proper_nouns<'a>(docs: impl Iterator<Item = &'a Document>) -> HashSet<String> {
    docs.flat_map(|doc| raw_tokens(&doc.body))
        .filter(|t| !t.sentence_start && is_capitalised(t.text))
        .map(|t| t.text.to_lowercase())
        .collect()
}

fn is_capitalised(word: &str) -> bool {
    word.chars().next().is_some_and(char::is_uppercase)
}

/// Inverse document frequency, `ln(1 + n / df)`: a term in every story still weighs
/// a little, a term in one story weighs most.
fn idf<'a, I, T>(docs: I, n: usize) -> HashMap<String, f32>
where
    I: Iterator<Item = T>,
    T: Iterator<Item = &'a String>,
{
    let mut df: HashMap<String, usize> = HashMap::new();
    for terms in docs {
        for term in terms {
            *df.entry(term.clone()).or_default() += 1;
        }
    }
    df.into_iter()
        .map(|(term, count)| (term, (1.0 + n as f32 / count as f32).ln()))
        .collect()
}

/// Union-find over story positions, remembering each cluster's members.
struct Clusters {
    parent: Vec<usize>,
    members: Vec<Vec<usize>>,
}

impl Clusters {
    fn new(n: usize) -> Self {
        Clusters {
            parent: (0..n).collect(),
            members: (0..n).map(|i| vec![i]).collect(),
        }
    }

    fn find(&mut self, mut x: usize) -> usize {
        while self.parent[x] != x {
            self.parent[x] = self.parent[self.parent[x]];
            x = self.parent[x];
        }
        x
    }

    fn members(&self, root: usize) -> &[usize] {
        &self.members[root]
    }

    fn union(&mut self, a: usize, b: usize) {
        let moved = std::mem::take(&mut self.members[b]);
        self.members[a].extend(moved);
        self.parent[b] = a;
    }

    fn all(mut self) -> Vec<Vec<usize>> {
        let roots: Vec<usize> = (0..self.parent.len())
            .filter(|&i| self.find(i) == i)
            .collect();
        roots
            .into_iter()
            .map(|i| {
                let mut members = std::mem::take(&mut self.members[i]);
                members.sort_unstable();
                members
            })
            .collect()
    }
}

#[cfg(test)]
mod tests;
