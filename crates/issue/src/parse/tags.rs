//! Splitting a top story's tag run (`TechManufacturingUSSouth Korea`) into tags.
//!
//! Known sectors and regions are matched longest first, and a match must end where
//! the next tag can start (end of run or an upper-case letter), so `Tech` is never
//! taken from an unknown `Technology`. An unknown piece runs to the next boundary a
//! capital letter makes after a lower-case letter, or to the next known tag.

use crate::vocab::{Region, Sector};

/// A tag run split into sectors and regions.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Tags {
    pub sectors: Vec<Sector>,
    pub regions: Vec<Region>,
    /// The pieces that matched no known tag (also present in `sectors` or `regions`).
    pub unknown: Vec<String>,
}

/// The line is not a tag run at all.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NotATagRun;

enum Piece {
    Sector(Sector),
    Region(Region),
    Unknown(String),
}

fn known_tags() -> Vec<(Vec<char>, Piece)> {
    let mut known: Vec<(Vec<char>, Piece)> = Sector::KNOWN
        .iter()
        .map(|s| (s.as_str().chars().collect(), Piece::Sector(s.clone())))
        .chain(
            Region::KNOWN
                .iter()
                .map(|r| (r.as_str().chars().collect(), Piece::Region(r.clone()))),
        )
        .collect();
    known.sort_by_key(|(chars, _)| std::cmp::Reverse(chars.len()));
    known
}

fn match_at<'k>(
    run: &[char],
    at: usize,
    known: &'k [(Vec<char>, Piece)],
) -> Option<&'k (Vec<char>, Piece)> {
    known.iter().find(|(tag, _)| {
        let end = at + tag.len();
        run.get(at..end) == Some(tag.as_slice()) && run.get(end).is_none_or(|c| c.is_uppercase())
    })
}

fn is_tag_like(piece: &str) -> bool {
    let mut chars = piece.chars();
    chars.next().is_some_and(char::is_uppercase)
        && piece
            .chars()
            .all(|c| c.is_alphabetic() || c == ' ' || c == '&' || c == '-' || c == '\'')
        && piece.split_whitespace().count() <= 4
}

/// Splits a tag run; fails when the line cannot be one (digits, punctuation, a sentence).
pub(crate) fn split(run: &str) -> Result<Tags, NotATagRun> {
    let known = known_tags();
    let chars: Vec<char> = run.trim().chars().collect();
    let mut pieces = Vec::new();
    let mut at = 0;
    while at < chars.len() {
        if chars[at] == ' ' {
            at += 1;
            continue;
        }
        if let Some((tag, piece)) = match_at(&chars, at, &known) {
            pieces.push(match piece {
                Piece::Sector(s) => Piece::Sector(s.clone()),
                Piece::Region(r) => Piece::Region(r.clone()),
                Piece::Unknown(u) => Piece::Unknown(u.clone()),
            });
            at += tag.len();
            continue;
        }
        let mut end = at + 1;
        while end < chars.len() {
            let camel_boundary = chars[end - 1].is_lowercase() && chars[end].is_uppercase();
            let known_next = chars[end].is_uppercase() && match_at(&chars, end, &known).is_some();
            if camel_boundary || known_next {
                break;
            }
            end += 1;
        }
        let piece: String = chars[at..end].iter().collect::<String>().trim().to_string();
        if !is_tag_like(&piece) {
            return Err(NotATagRun);
        }
        pieces.push(Piece::Unknown(piece));
        at = end;
    }
    if pieces.is_empty() {
        return Err(NotATagRun);
    }
    let mut tags = Tags::default();
    for (index, piece) in pieces.iter().enumerate() {
        match piece {
            Piece::Sector(s) => tags.sectors.push(s.clone()),
            Piece::Region(r) => tags.regions.push(r.clone()),
            Piece::Unknown(name) => {
                // Sectors come before regions: an unknown piece is a sector only when no
                // region came before it and a known region comes after it.
                let region_before = pieces[..index]
                    .iter()
                    .any(|p| matches!(p, Piece::Region(_)));
                let region_after = pieces[index + 1..]
                    .iter()
                    .any(|p| matches!(p, Piece::Region(_)));
                if !region_before && region_after {
                    tags.sectors.push(Sector::Other(name.clone()));
                } else {
                    tags.regions.push(Region::Other(name.clone()));
                }
                tags.unknown.push(name.clone());
            }
        }
    }
    Ok(tags)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(run: &str) -> (Vec<String>, Vec<String>, Vec<String>) {
        let tags = split(run).unwrap();
        (
            tags.sectors.iter().map(|s| s.to_string()).collect(),
            tags.regions.iter().map(|r| r.to_string()).collect(),
            tags.unknown,
        )
    }

    #[test]
    fn splits_known_tags_by_longest_match() {
        assert_eq!(
            names("TechManufacturingUSSouth Korea"),
            (
                vec!["Tech".into(), "Manufacturing".into()],
                vec!["US".into(), "South Korea".into()],
                vec![]
            )
        );
        assert_eq!(
            names("Education & EdTechFinance & BankingIndia"),
            (
                vec!["Education & EdTech".into(), "Finance & Banking".into()],
                vec!["India".into()],
                vec![]
            )
        );
    }

    #[test]
    fn keeps_unknown_pieces_as_regions_or_sectors() {
        assert_eq!(
            names("TechNarniaGlobal"),
            (
                vec!["Tech".into(), "Narnia".into()],
                vec!["Global".into()],
                vec!["Narnia".into()]
            )
        );
        assert_eq!(
            names("TechUSNarnia"),
            (
                vec!["Tech".into()],
                vec!["US".into(), "Narnia".into()],
                vec!["Narnia".into()]
            )
        );
        assert_eq!(
            names("TechnologyUS"),
            (
                vec!["Technology".into()],
                vec!["US".into()],
                vec!["Technology".into()]
            )
        );
        assert_eq!(
            names("TechUSAtlantisNarnia"),
            (
                vec!["Tech".into()],
                vec!["US".into(), "Atlantis".into(), "Narnia".into()],
                vec!["Atlantis".into(), "Narnia".into()]
            )
        );
    }

    #[test]
    fn rejects_lines_that_are_not_tag_runs() {
        assert_eq!(split("95"), Err(NotATagRun));
        assert_eq!(split(""), Err(NotATagRun));
        assert_eq!(
            split("OpenAI is shutting down Sora, its video generation platform."),
            Err(NotATagRun)
        );
    }
}
