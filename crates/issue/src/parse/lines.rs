//! The shapes of single lines: what each block's structural lines look like (`#N`,
//! `~NNmin`, `Source: NAME`, `LEVEL KIND`, `N. step`, `REGION AI WATCH`, …), and the
//! paragraph shape. A line's shape alone decides nothing about free text; the blocks
//! use these to check anchors and to explain groups that do not fit.

use super::*;

/// Reads `30 min`, `1 hour`, `2 hours`, `1h 30m`, `90 minutes`, `1.5 hours` as minutes.
pub fn parse_duration(text: &str) -> Option<u32> {
    let text = text.trim().to_lowercase();
    let mut rest = text.as_str();
    let mut total = 0.0_f64;
    let mut parts = 0;
    while !rest.is_empty() {
        rest = rest.trim_start_matches([' ', ',']);
        rest = rest.strip_prefix("and ").unwrap_or(rest).trim_start();
        if rest.is_empty() {
            break;
        }
        let number_len = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_len].parse().ok()?;
        rest = rest[number_len..].trim_start();
        let unit_len = rest
            .find(|c: char| !c.is_ascii_alphabetic())
            .unwrap_or(rest.len());
        let per_unit = match &rest[..unit_len] {
            "m" | "min" | "mins" | "minute" | "minutes" => 1.0,
            "h" | "hr" | "hrs" | "hour" | "hours" => 60.0,
            _ => return None,
        };
        rest = &rest[unit_len..];
        total += number * per_unit;
        parts += 1;
    }
    if parts == 0 || !total.is_finite() || total > f64::from(u32::MAX) {
        return None;
    }
    Some(total.round() as u32)
}

pub(super) fn minute_mark(line: &str) -> Option<u32> {
    let digits = line.strip_prefix('~')?.strip_suffix("min")?.trim_end();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

pub(super) fn rank_line(line: &str) -> Option<u32> {
    let digits = line.strip_prefix('#')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

pub(super) fn is_url(line: &str) -> bool {
    (line.starts_with("https://") || line.starts_with("http://"))
        && line.len() > "https://".len()
        && !line.contains(char::is_whitespace)
}

/// `Intermediate Tool`: a level and one capitalised word.
pub(super) fn resource_header(line: &str) -> Option<(Level, ResourceKind)> {
    let (level, kind) = line.split_once(' ')?;
    let level = Level::parse(level)?;
    let mut chars = kind.chars();
    let first = chars.next()?;
    if first.is_uppercase() && chars.all(char::is_alphabetic) {
        Some((level, ResourceKind::from(kind)))
    } else {
        None
    }
}

/// `Beginner Understanding AI Infrastructure Constraints`: a level and a title.
pub(super) fn path_header(line: &str) -> Option<(Level, &str)> {
    let (level, title) = line.split_once(' ')?;
    Some((Level::parse(level)?, title.trim()))
}

/// `1. Read the report`: a step number and its text.
pub(super) fn step_line(line: &str) -> Option<(u32, &str)> {
    let (number, text) = line.split_once(". ")?;
    if number.is_empty() || number.len() > 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((number.parse().ok()?, text.trim()))
}

/// `INDIA AI WATCH` → `INDIA`.
pub(super) fn watch_header(line: &str) -> Option<&str> {
    let name = line.strip_suffix(AI_WATCH)?.trim();
    let has_letter = name.chars().any(char::is_alphabetic);
    let all_caps = !name.chars().any(char::is_lowercase);
    (has_letter && all_caps).then_some(name)
}

/// `India Signal` → `India`, when it names the region of the `caps` watch (`INDIA`).
pub(super) fn signal_name<'l>(line: &'l str, caps: &str) -> Option<&'l str> {
    line.strip_suffix(" Signal").filter(|name| {
        name.chars()
            .flat_map(char::to_uppercase)
            .eq(caps.chars().flat_map(char::to_uppercase))
    })
}

/// A line a sector brief expects in its own places (a story's source, its marker) or
/// that starts a block after it: where a brief's free text should be, the brief has
/// lost a line or run past its end.
pub(super) fn brief_anchor(line: &str) -> bool {
    source_line(line).is_some() || line == HIDDEN_SIGNAL || starts_later_block(line)
}

/// The first line of a resource or of a regional watch.
pub(super) fn starts_later_block(line: &str) -> bool {
    resource_header(line).is_some() || watch_header(line).is_some()
}

/// A top story's score: an integer 0–100.
pub(super) fn score_line(line: &str) -> Option<u8> {
    line.parse::<u8>().ok().filter(|&s| s <= 100)
}

pub(super) fn source_line(line: &str) -> Option<&str> {
    line.strip_prefix(SOURCE_PREFIX)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A line shaped like the structure of some block. A free-text field takes such a line
/// only where the lines around it fit the field's block; elsewhere it is out of place.
pub(super) fn structural_block(line: &str) -> Option<(Block, &'static str)> {
    if rank_line(line).is_some() {
        Some((
            Block::TopStories,
            "a top story (#N, title, summary, tags, score)",
        ))
    } else if minute_mark(line).is_some() {
        Some((Block::Insights, "an insight (title, paragraph, ~NNmin)"))
    } else if line == HIDDEN_SIGNAL || line.starts_with(SOURCE_PREFIX) {
        Some((
            Block::SectorBriefs,
            "a sector brief (sector, headline, stats, stories with sources, Hidden Signal)",
        ))
    } else if is_url(line) || resource_header(line).is_some() {
        Some((
            Block::Resources,
            "a resource (LEVEL KIND, title, description, URL)",
        ))
    } else if line.starts_with(AFTER_THIS) || step_line(line).is_some() {
        Some((
            Block::LearningPaths,
            "a learning path (LEVEL title, numbered steps with duration and URL, After this: …)",
        ))
    } else if watch_header(line).is_some() {
        Some((
            Block::RegionalWatch,
            "a regional watch (REGION AI WATCH, summary, stories, Region Signal)",
        ))
    } else {
        None
    }
}

/// Whether `line` can be a paragraph nothing after it anchors (a marker's paragraph, the
/// closing): free text, or a paragraph that begins like structure.
pub(super) fn fits_last_paragraph(line: &str) -> bool {
    structural_block(line).is_none() || looks_like_paragraph(line)
}

pub(super) fn looks_like_paragraph(line: &str) -> bool {
    let ends_sentence = line
        .trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?', '…']);
    ends_sentence || line.chars().count() > 160
}

/// `line` as quoted in a warning or an error: at most [`MAX_QUOTED_CHARS`] characters,
/// then `…`. Costs O(MAX_QUOTED_CHARS) whatever the length of the line.
pub(super) fn shorten(line: &str) -> String {
    match line.char_indices().nth(MAX_QUOTED_CHARS) {
        None => line.to_string(),
        Some((cut, _)) => format!("{}…", &line[..cut]),
    }
}
