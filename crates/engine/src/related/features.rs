//! What two stories share besides meaning and words: names and tags.
//!
//! A story's names are the archive's names ([`crate::trends::phrases`]) found in its
//! title and body. Shared names are weighted by rarity, `ln(1 + E / e(n))` over the
//! `E` story events of the archive of which `e(n)` name `n`, so sharing `Lysandra
//! Capital` counts and sharing `US` or `AI` hardly does. The names score is the
//! rarity of the shared names over the larger of the two stories' total rarity, in
//! 0..=1 (1: the same names), so a story naming nothing but `US` is not close to every
//! story that names the US among much else. The tags score is the Jaccard overlap of the
//! stories' sectors and regions.

use std::collections::{HashMap, HashSet};

use backissue_issue::Date;
use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::trends::phrases::{discover_vocabulary, document_names};

/// The archive's names with how many story events name each.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct NameRarity {
    /// Story events in the archive.
    pub events: u32,
    /// Per name (as written), the story events that name it.
    pub names: HashMap<String, u32>,
}

impl NameRarity {
    /// Discovers the names of `docs` and counts the story events naming each.
    pub fn of(docs: &[Document]) -> NameRarity {
        let vocabulary = discover_vocabulary(docs);
        let mut per_event: HashMap<&str, HashSet<String>> = HashMap::new();
        for doc in docs.iter().filter(|d| d.section.is_story()) {
            let names = per_event.entry(&doc.event_id).or_default();
            names.extend(document_names(&doc.title, &doc.body, &vocabulary));
        }
        let mut names: HashMap<String, u32> = vocabulary.into_iter().map(|n| (n, 0)).collect();
        for event_names in per_event.values() {
            for name in event_names {
                *names.entry(name.clone()).or_default() += 1;
            }
        }
        NameRarity {
            events: per_event.len() as u32,
            names,
        }
    }

    /// How rare `name` is: `ln(1 + E / e(n))`; 0 for a name the archive does not know.
    pub fn weight(&self, name: &str) -> f32 {
        match self.names.get(name) {
            Some(&count) if count > 0 => (1.0 + self.events as f32 / count as f32).ln(),
            _ => 0.0,
        }
    }

    /// The known names in `title` and `body`.
    pub fn names_in(&self, title: &str, body: &str) -> Vec<String> {
        document_names(title, body, &self.names)
    }
}

/// The names and tags of one story (or of a text), ready to compare.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Profile {
    /// Names with their rarity, rarest first.
    pub names: Vec<(String, f32)>,
    /// Total rarity of the names.
    pub name_weight: f32,
    /// Sectors then regions, as written.
    pub tags: Vec<String>,
    /// The issue's date (none for a free text).
    pub date: Option<Date>,
}

impl Profile {
    /// The profile of `doc`.
    pub fn of(doc: &Document, rarity: &NameRarity) -> Profile {
        let mut profile = Profile::of_text(&doc.title, &doc.body, rarity);
        profile.tags = doc
            .sectors
            .iter()
            .map(ToString::to_string)
            .chain(doc.regions.iter().map(ToString::to_string))
            .collect();
        profile.date = Some(doc.date);
        profile
    }

    /// The profile of a free text (names only).
    pub fn of_text(title: &str, body: &str, rarity: &NameRarity) -> Profile {
        let mut names: Vec<(String, f32)> = rarity
            .names_in(title, body)
            .into_iter()
            .map(|n| {
                let w = rarity.weight(&n);
                (n, w)
            })
            .filter(|(_, w)| *w > 0.0)
            .collect();
        names.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        Profile {
            name_weight: names.iter().map(|(_, w)| w).sum(),
            names,
            tags: Vec::new(),
            date: None,
        }
    }

    /// The names both have, rarest first, and the names score in 0..=1.
    pub fn shared_names(&self, other: &Profile) -> (Vec<String>, f32) {
        let shared: Vec<(&String, f32)> = self
            .names
            .iter()
            .filter(|(n, _)| other.names.iter().any(|(m, _)| m == n))
            .map(|(n, w)| (n, *w))
            .collect();
        let weight: f32 = shared.iter().map(|(_, w)| w).sum();
        let norm = self.name_weight.max(other.name_weight);
        let score = if norm > 0.0 {
            (weight / norm).min(1.0)
        } else {
            0.0
        };
        (shared.into_iter().map(|(n, _)| n.clone()).collect(), score)
    }

    /// The tags both have, in this profile's order, and their Jaccard overlap.
    pub fn shared_tags(&self, other: &Profile) -> (Vec<String>, f32) {
        let shared: Vec<String> = self
            .tags
            .iter()
            .filter(|t| other.tags.contains(t))
            .cloned()
            .collect();
        let union = self.tags.len() + other.tags.len() - shared.len();
        let score = if union == 0 {
            0.0
        } else {
            shared.len() as f32 / union as f32
        };
        (shared, score)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rarity(pairs: &[(&str, u32)], events: u32) -> NameRarity {
        NameRarity {
            events,
            names: pairs.iter().map(|(n, c)| (n.to_string(), *c)).collect(),
        }
    }

    #[test]
    fn rare_shared_names_weigh_more_than_common_ones() {
        let rarity = rarity(
            &[("Lysandra Capital", 3), ("US", 300), ("Kestwick Energy", 4)],
            1000,
        );
        let a = Profile::of_text(
            "Lysandra Capital backs",
            "Lysandra Capital and Kestwick Energy sign in the US.",
            &rarity,
        );
        let b = Profile::of_text("x", "Later, Lysandra Capital expands in the US.", &rarity);
        let c = Profile::of_text("x", "Startups in the US grow.", &rarity);
        let (shared, ab) = a.shared_names(&b);
        assert_eq!(shared, ["Lysandra Capital", "US"]);
        let (_, ac) = a.shared_names(&c);
        assert!(ab > 0.5 && ac < 0.15, "{ab} {ac}");
        assert_eq!(a.shared_names(&a).1, 1.0);
        assert_eq!(a.names[0].0, "Lysandra Capital", "rarest first");
    }

    #[test]
    fn tags_overlap_is_jaccard() {
        let mut a = Profile::default();
        let mut b = Profile::default();
        a.tags = vec!["Tech".into(), "US".into()];
        b.tags = vec!["Tech".into(), "Japan".into(), "US".into()];
        assert_eq!(
            a.shared_tags(&b),
            (vec!["Tech".to_string(), "US".to_string()], 2.0 / 3.0)
        );
        assert_eq!(Profile::default().shared_tags(&b).1, 0.0);
    }
}
