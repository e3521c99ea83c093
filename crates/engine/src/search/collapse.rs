//! Collapsing copies: one hit per event.
//!
//! An issue often tells one piece of news as a top story, a sector story and a
//! regional story; a reader wants it once. The best-ranked copy stands for the
//! event and lists the others, so nothing is lost and the page shows more news.

use std::collections::HashMap;

use super::fusion::Ranked;

/// A hit after collapsing: the best-ranked copy and the rows of the other copies.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Collapsed {
    /// The copy that stands for the event.
    pub lead: Ranked,
    /// The other copies in the result set, best ranked first.
    pub copies: Vec<usize>,
}

/// Keeps the first (best-ranked) document of each event of `ranked`, in order.
pub(crate) fn collapse<'a>(
    ranked: Vec<Ranked>,
    event_of: impl Fn(usize) -> &'a str,
) -> Vec<Collapsed> {
    let mut out: Vec<Collapsed> = Vec::with_capacity(ranked.len());
    let mut lead_of: HashMap<&'a str, usize> = HashMap::with_capacity(ranked.len());
    for entry in ranked {
        match lead_of.get(event_of(entry.row)) {
            Some(&i) => out[i].copies.push(entry.row),
            None => {
                lead_of.insert(event_of(entry.row), out.len());
                out.push(Collapsed {
                    lead: entry,
                    copies: Vec::new(),
                });
            }
        }
    }
    out
}

/// Every document its own hit.
pub(crate) fn keep_all(ranked: Vec<Ranked>) -> Vec<Collapsed> {
    ranked
        .into_iter()
        .map(|lead| Collapsed {
            lead,
            copies: Vec::new(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ranked(row: usize) -> Ranked {
        Ranked {
            row,
            keyword: None,
            vector: None,
            fused: 0.0,
            exact_title: false,
        }
    }

    #[test]
    fn the_best_copy_leads_and_lists_the_others() {
        let events = ["e1", "e2", "e1", "e3", "e1"];
        let list = [2, 0, 1, 4, 3].map(ranked).to_vec();
        let out = collapse(list, |row| events[row]);
        let view: Vec<(usize, Vec<usize>)> =
            out.iter().map(|c| (c.lead.row, c.copies.clone())).collect();
        assert_eq!(view, [(2, vec![0, 4]), (1, vec![]), (3, vec![])]);
        assert_eq!(keep_all([1, 2].map(ranked).to_vec()).len(), 2);
    }
}
