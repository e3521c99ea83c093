//! Stable ids for issues and their documents.
//!
//! An id survives re-indexing because it is made only from where a document sits in
//! its issue (`2026-03-27/top/2`), never from a counter or a hash of the whole archive.
//! Ids are readable in a URL: lowercase ASCII, digits and hyphens, joined by `/`.

use crate::vocab::{Level, Region, Sector};

/// A lowercase, hyphenated, ASCII form of `text`: `Finance & Banking` → `finance-banking`.
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_hyphen = false;
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.push(c.to_ascii_lowercase());
        } else if c == '&' || c.is_whitespace() || c == '-' || c == '_' || c == '/' || c == '.' {
            pending_hyphen = true;
        } else if !c.is_ascii() && c.is_alphanumeric() {
            if pending_hyphen && !out.is_empty() {
                out.push('-');
            }
            pending_hyphen = false;
            out.extend(c.to_lowercase());
        }
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

/// `2026-03-27/top/2`
pub fn top_story(issue: &str, rank: u32) -> String {
    format!("{issue}/top/{rank}")
}

/// `2026-03-27/finance-banking/1`: the brief's stories, numbered from 1.
pub fn sector_story(issue: &str, sector: &Sector, n: usize) -> String {
    format!("{issue}/{}/{n}", sector.slug())
}

/// `2026-03-27/finance-banking/signal`
pub fn hidden_signal(issue: &str, sector: &Sector) -> String {
    format!("{issue}/{}/signal", sector.slug())
}

/// `2026-03-27/india-watch/1`: the regional watch's stories, numbered from 1.
pub fn regional_story(issue: &str, region: &Region, n: usize) -> String {
    format!("{issue}/{}-watch/{n}", region.slug())
}

/// `2026-03-27/india-watch/signal`
pub fn regional_signal(issue: &str, region: &Region) -> String {
    format!("{issue}/{}-watch/signal", region.slug())
}

/// `2026-03-27/insight/4`: numbered from 1 in issue order.
pub fn insight(issue: &str, n: usize) -> String {
    format!("{issue}/insight/{n}")
}

/// `2026-03-27/resource/7`: numbered from 1 in issue order.
pub fn resource(issue: &str, n: usize) -> String {
    format!("{issue}/resource/{n}")
}

/// `2026-03-27/path/beginner`; a second path of one level is `path/beginner-2`.
pub fn learning_path(issue: &str, level: Level, nth_of_level: usize) -> String {
    if nth_of_level <= 1 {
        format!("{issue}/path/{}", level.slug())
    } else {
        format!("{issue}/path/{}-{nth_of_level}", level.slug())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_read_like_the_design() {
        assert_eq!(top_story("2026-03-27", 2), "2026-03-27/top/2");
        assert_eq!(
            sector_story("2026-03-27", &Sector::FinanceBanking, 1),
            "2026-03-27/finance-banking/1"
        );
        assert_eq!(insight("2026-03-27", 4), "2026-03-27/insight/4");
        assert_eq!(resource("2026-03-27", 7), "2026-03-27/resource/7");
        assert_eq!(
            learning_path("2026-03-27", Level::Beginner, 1),
            "2026-03-27/path/beginner"
        );
        assert_eq!(
            regional_story("2026-03-27", &Region::India, 2),
            "2026-03-27/india-watch/2"
        );
    }

    #[test]
    fn slugs_never_come_out_empty_or_unsafe() {
        assert_eq!(slug("Education & EdTech"), "education-edtech");
        assert_eq!(slug("  "), "x");
        assert_eq!(slug("AI/ML -- Ops"), "ai-ml-ops");
    }
}
