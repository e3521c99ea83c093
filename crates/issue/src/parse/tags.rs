//! Splitting a top story's tag run (`TechManufacturingUSSouth Korea`) into tags.
//!
//! Known sectors and regions are matched longest first, and a match must end where
//! the next tag can start (end of run or an upper-case letter), so `Tech` is never
//! taken from an unknown `Technology`. An unknown piece runs to the next boundary a
//! capital letter makes after a lower-case letter, or to the next known tag.
//!
//! The split is linear in the length of the run and allocates only the tags it
//! returns: pieces are slices of the run, each position is tried against the known
//! tags (a fixed list) at most twice, and where an unknown piece belongs (sector or
//! region) comes from where the first known region is, found in a first pass.

use std::sync::OnceLock;

use crate::vocab::{Region, Sector};

/// A tag run split into sectors and regions. The pieces that matched no known tag are
/// the `Other` values, in the order of the run: unknown sectors, then unknown regions.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Tags {
    pub sectors: Vec<Sector>,
    pub regions: Vec<Region>,
}

impl Tags {
    /// The pieces that matched no known tag, each with whether it is kept as a sector.
    pub(crate) fn unknown(&self) -> impl Iterator<Item = (&str, bool)> {
        let sectors = self.sectors.iter().filter_map(|s| match s {
            Sector::Other(name) => Some((name.as_str(), true)),
            _ => None,
        });
        let regions = self.regions.iter().filter_map(|r| match r {
            Region::Other(name) => Some((name.as_str(), false)),
            _ => None,
        });
        sectors.chain(regions)
    }
}

/// The line is not a tag run at all.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NotATagRun;

enum Known {
    Sector(Sector),
    Region(Region),
}

/// The known sectors and regions, longest first.
fn known_tags() -> &'static [(&'static str, Known)] {
    static KNOWN: OnceLock<Vec<(&'static str, Known)>> = OnceLock::new();
    KNOWN.get_or_init(|| {
        let mut known: Vec<(&'static str, Known)> = Sector::KNOWN
            .iter()
            .map(|s| (s.as_str(), Known::Sector(s.clone())))
            .chain(
                Region::KNOWN
                    .iter()
                    .map(|r| (r.as_str(), Known::Region(r.clone()))),
            )
            .collect();
        known.sort_by_key(|(text, _)| std::cmp::Reverse(text.len()));
        known
    })
}

/// The known tag at byte `at` of `run`, if one starts there and ends where a tag can start.
fn match_at(run: &str, at: usize) -> Option<&'static (&'static str, Known)> {
    let rest = run.get(at..)?;
    known_tags().iter().find(|(tag, _)| {
        rest.starts_with(tag)
            && rest[tag.len()..]
                .chars()
                .next()
                .is_none_or(char::is_uppercase)
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

enum Piece<'a> {
    Known(&'static Known),
    Unknown(&'a str),
}

/// The pieces of a run, in order; `Err` at the first piece that cannot be a tag.
fn pieces(run: &str) -> impl Iterator<Item = Result<Piece<'_>, NotATagRun>> {
    let mut at = 0;
    std::iter::from_fn(move || loop {
        let first = run[at..].chars().next()?;
        if first == ' ' {
            at += 1;
            continue;
        }
        if let Some((tag, known)) = match_at(run, at) {
            at += tag.len();
            return Some(Ok(Piece::Known(known)));
        }
        let mut end = at + first.len_utf8();
        let mut previous = first;
        for c in run[end..].chars() {
            if c.is_uppercase() && (previous.is_lowercase() || match_at(run, end).is_some()) {
                break;
            }
            end += c.len_utf8();
            previous = c;
        }
        let piece = run[at..end].trim();
        at = end;
        return Some(if is_tag_like(piece) {
            Ok(Piece::Unknown(piece))
        } else {
            Err(NotATagRun)
        });
    })
}

/// Splits a tag run; fails when the line cannot be one (digits, punctuation, a sentence).
pub(crate) fn split(run: &str) -> Result<Tags, NotATagRun> {
    let run = run.trim();
    // Sectors come before regions: an unknown piece is a sector only when no known
    // region came before it and one comes after it, that is, before the first region.
    let mut first_region = None;
    let mut count = 0;
    for piece in pieces(run) {
        if matches!(piece?, Piece::Known(Known::Region(_))) && first_region.is_none() {
            first_region = Some(count);
        }
        count += 1;
    }
    if count == 0 {
        return Err(NotATagRun);
    }
    let mut tags = Tags::default();
    for (index, piece) in pieces(run).enumerate() {
        match piece? {
            Piece::Known(Known::Sector(sector)) => tags.sectors.push(sector.clone()),
            Piece::Known(Known::Region(region)) => tags.regions.push(region.clone()),
            Piece::Unknown(name) if first_region.is_some_and(|first| index < first) => {
                tags.sectors.push(Sector::Other(name.to_string()))
            }
            Piece::Unknown(name) => tags.regions.push(Region::Other(name.to_string())),
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
            tags.unknown().map(|(name, _)| name.to_string()).collect(),
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
