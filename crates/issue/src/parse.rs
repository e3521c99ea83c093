//! The text-format parser (FORMAT.md).
//!
//! Blocks are recognised by the shape of their lines, never by blank lines: each
//! optional block checks whether its shape starts at the cursor, and the block after
//! it must then fit exactly. The parser keeps the line number of every line it drops
//! (blank lines after the masthead), so every error points at a line of the file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::date::Date;
use crate::error::{Block, Error, Result};
use crate::model::*;
use crate::vocab::{Level, Region, ResourceKind, Sector, Source};

mod tags;

const ALL_POSTS: &str = "← All posts";
const SUBSCRIBE: &str = "Subscribe free All posts";
const HIDDEN_SIGNAL: &str = "Hidden Signal";
const SOURCE_PREFIX: &str = "Source: ";
const AFTER_THIS: &str = "After this: ";
const AI_WATCH: &str = " AI WATCH";
/// Stats are short: a figure (`$10-14B`) and a phrase. Longer lines are stories out of place.
const MAX_STAT_VALUE: usize = 40;
const MAX_STAT_LABEL: usize = 160;

/// What a sidecar (`x.meta.json` / `x.meta.toml` beside `x.txt`) may say about an issue.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Sidecar {
    /// The issue's date.
    pub date: Option<Date>,
    /// The issue's id, instead of its date.
    pub id: Option<String>,
    /// The issue's title, instead of the masthead's headline.
    pub title: Option<String>,
}

impl Sidecar {
    /// The sidecar paths looked at for `path`, JSON first.
    pub fn paths_for(path: &Path) -> [PathBuf; 2] {
        let stem = path.with_extension("");
        let with = |ext: &str| {
            let mut name = stem.clone().into_os_string();
            name.push(ext);
            PathBuf::from(name)
        };
        [with(".meta.json"), with(".meta.toml")]
    }

    /// Reads the sidecar of `path`, if it has one.
    pub fn read_for(path: &Path) -> Result<Option<Sidecar>> {
        for sidecar in Sidecar::paths_for(path) {
            let text = match std::fs::read_to_string(&sidecar) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => {
                    return Err(Error::Io {
                        path: sidecar,
                        source,
                    })
                }
            };
            let parsed = if sidecar.extension().is_some_and(|ext| ext == "json") {
                serde_json::from_str::<Sidecar>(&text).map_err(|e| e.to_string())
            } else {
                toml::from_str::<Sidecar>(&text).map_err(|e| e.to_string())
            };
            let parsed = parsed.map_err(|message| Error::Sidecar {
                path: sidecar.clone(),
                message,
            })?;
            if let Some(id) = &parsed.id {
                if !is_valid_issue_id(id) {
                    return Err(Error::Sidecar {
                        path: sidecar,
                        message: format!(
                            "id {id:?} must be 1–64 characters of a-z, 0-9, '-', '_' or '.'"
                        ),
                    });
                }
            }
            return Ok(Some(parsed));
        }
        Ok(None)
    }
}

fn is_valid_issue_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && !id.starts_with('.')
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.".contains(&b))
}

/// Reads and parses the issue file at `path`, with its sidecar if it has one.
pub fn parse_file(path: &Path) -> Result<Issue> {
    let bytes = std::fs::read(path).map_err(|source| Error::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let sidecar = Sidecar::read_for(path)?;
    parse_with(&bytes, path, sidecar, None)
}

/// Parses an issue from raw bytes; `path` names it in errors and may carry its date.
///
/// `date`, when given, wins over every other way of resolving the date.
pub fn parse_bytes(bytes: &[u8], path: impl AsRef<Path>, date: Option<Date>) -> Result<Issue> {
    parse_with(bytes, path.as_ref(), None, date)
}

/// Parses an issue from text; `path` names it in errors and may carry its date.
pub fn parse_str(text: &str, path: impl AsRef<Path>, date: Option<Date>) -> Result<Issue> {
    parse_with(text.as_bytes(), path.as_ref(), None, date)
}

fn parse_with(
    bytes: &[u8],
    path: &Path,
    sidecar: Option<Sidecar>,
    given: Option<Date>,
) -> Result<Issue> {
    let text = decode(bytes, path)?;
    let lines: Vec<&str> = split_lines(text);
    let mut parser = Parser {
        path,
        lines: Vec::new(),
        pos: 0,
        warnings: Vec::new(),
    };
    let (headline, summary, body_start) = parser.masthead(&lines)?;
    parser.lines = lines
        .iter()
        .enumerate()
        .skip(body_start)
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| (index + 1, line.trim()))
        .collect();
    let top_stories = parser.top_stories()?;
    let insights = parser.insights()?;
    let mut sector_briefs = Vec::new();
    while parser.at_sector_brief() {
        sector_briefs.push(parser.sector_brief()?);
    }
    let mut resources = Vec::new();
    while parser.at_resource() {
        resources.push(parser.resource()?);
    }
    let mut learning_paths = Vec::new();
    while parser.at_learning_path() {
        learning_paths.push(parser.learning_path()?);
    }
    let regional_watch = if parser.at_regional_watch() {
        Some(parser.regional_watch()?)
    } else {
        None
    };
    let (closing, trend_indicators) = parser.closing_and_trends()?;
    // The date last: a format error says more about a broken file than a missing date.
    let (date, date_source) = resolve_date(path, sidecar.as_ref(), given, &lines)?;
    let mut issue = Issue {
        id: sidecar
            .as_ref()
            .and_then(|s| s.id.clone())
            .unwrap_or_else(|| date.to_string()),
        date,
        date_source,
        headline: sidecar
            .as_ref()
            .and_then(|s| s.title.clone())
            .unwrap_or(headline),
        summary,
        top_stories,
        insights,
        sector_briefs,
        resources,
        learning_paths,
        regional_watch,
        closing,
        trend_indicators,
        warnings: Vec::new(),
    };
    issue.warnings = parser.warnings;
    Ok(issue)
}

fn decode<'a>(bytes: &'a [u8], path: &Path) -> Result<&'a str> {
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::Binary {
            path: path.to_path_buf(),
            offset,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let offset = e.valid_up_to();
        Error::InvalidUtf8 {
            path: path.to_path_buf(),
            line: bytes[..offset].iter().filter(|&&b| b == b'\n').count() + 1,
            offset,
        }
    })?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Error::Empty {
            path: path.to_path_buf(),
        });
    }
    Ok(text)
}

fn split_lines(text: &str) -> Vec<&str> {
    let mut lines: Vec<&str> = text
        .split('\n')
        .map(|line| line.strip_suffix('\r').unwrap_or(line))
        .collect();
    if lines.last().is_some_and(|line| line.is_empty()) {
        lines.pop();
    }
    lines
}

fn resolve_date(
    path: &Path,
    sidecar: Option<&Sidecar>,
    given: Option<Date>,
    lines: &[&str],
) -> Result<(Date, DateSource)> {
    if let Some(date) = given {
        return Ok((date, DateSource::Given));
    }
    if let Some(date) = path
        .file_name()
        .and_then(|name| name.to_str())
        .and_then(date_in_file_name)
    {
        return Ok((date, DateSource::FileName));
    }
    if let Some(date) = sidecar.and_then(|s| s.date) {
        return Ok((date, DateSource::Sidecar));
    }
    if let Some(date) = lines.iter().flat_map(|line| dates_in_urls(line)).max() {
        return Ok((date, DateSource::InferredFromUrls));
    }
    Err(Error::NoDate {
        path: path.to_path_buf(),
        sidecar: Sidecar::paths_for(path)[0].clone(),
    })
}

/// The first valid `YYYY-MM-DD` in a file name.
fn date_in_file_name(name: &str) -> Option<Date> {
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|start| {
        let candidate = name.get(start..start + 10)?;
        let before_is_digit = start > 0 && bytes[start - 1].is_ascii_digit();
        let after_is_digit = bytes.get(start + 10).is_some_and(u8::is_ascii_digit);
        if before_is_digit || after_is_digit {
            return None;
        }
        candidate.parse().ok()
    })
}

/// Every valid `/YYYY/MM/DD/` date inside the URLs of a line.
fn dates_in_urls(line: &str) -> Vec<Date> {
    if !line.contains("://") {
        return Vec::new();
    }
    let bytes = line.as_bytes();
    let mut dates = Vec::new();
    for start in 0..bytes.len().saturating_sub(11) {
        let window = &bytes[start..start + 12];
        let shape = [
            b'/', b'0', b'0', b'0', b'0', b'/', b'0', b'0', b'/', b'0', b'0', b'/',
        ];
        let fits = window.iter().zip(shape).all(|(&b, s)| {
            if s == b'0' {
                b.is_ascii_digit()
            } else {
                b == s
            }
        });
        if fits {
            let text = &line[start + 1..start + 11];
            let (year, month, day) = (&text[0..4], &text[5..7], &text[8..10]);
            if let (Ok(y), Ok(m), Ok(d)) = (year.parse(), month.parse(), day.parse()) {
                if let Some(date) = Date::new(y, m, d) {
                    dates.push(date);
                }
            }
        }
    }
    dates
}

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

fn minute_mark(line: &str) -> Option<u32> {
    let digits = line.strip_prefix('~')?.strip_suffix("min")?.trim_end();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn rank_line(line: &str) -> Option<u32> {
    let digits = line.strip_prefix('#')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn is_url(line: &str) -> bool {
    (line.starts_with("https://") || line.starts_with("http://"))
        && line.len() > "https://".len()
        && !line.contains(char::is_whitespace)
}

/// `Intermediate Tool`: a level and one capitalised word.
fn resource_header(line: &str) -> Option<(Level, ResourceKind)> {
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
fn path_header(line: &str) -> Option<(Level, &str)> {
    let (level, title) = line.split_once(' ')?;
    Some((Level::parse(level)?, title.trim()))
}

/// `1. Read the report`: a step number and its text.
fn step_line(line: &str) -> Option<(u32, &str)> {
    let (number, text) = line.split_once(". ")?;
    if number.is_empty() || number.len() > 3 || !number.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((number.parse().ok()?, text.trim()))
}

/// `INDIA AI WATCH` → `INDIA`.
fn watch_header(line: &str) -> Option<&str> {
    let name = line.strip_suffix(AI_WATCH)?.trim();
    let has_letter = name.chars().any(char::is_alphabetic);
    let all_caps = !name.chars().any(char::is_lowercase);
    (has_letter && all_caps).then_some(name)
}

fn source_line(line: &str) -> Option<&str> {
    line.strip_prefix(SOURCE_PREFIX)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A line no free-text field can be: it belongs to the structure of some block.
fn structural_block(line: &str) -> Option<(Block, &'static str)> {
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

fn looks_like_paragraph(line: &str) -> bool {
    let ends_sentence = line
        .trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?', '…']);
    ends_sentence || line.chars().count() > 160
}

fn shorten(line: &str) -> String {
    const MAX: usize = 80;
    if line.chars().count() <= MAX {
        line.to_string()
    } else {
        let mut short: String = line.chars().take(MAX).collect();
        short.push('…');
        short
    }
}

struct Parser<'a> {
    path: &'a Path,
    /// The lines after the masthead, blank lines dropped: (1-based line number, trimmed text).
    lines: Vec<(usize, &'a str)>,
    pos: usize,
    warnings: Vec<Warning>,
}

impl<'a> Parser<'a> {
    fn line(&self, index: usize) -> Option<&'a str> {
        self.lines.get(index).map(|&(_, text)| text)
    }

    fn line_number(&self, index: usize) -> usize {
        match self.lines.get(index) {
            Some(&(number, _)) => number,
            None => self.lines.last().map_or(1, |&(number, _)| number + 1),
        }
    }

    fn error(&self, index: usize, block: Block, expected: impl Into<String>) -> Error {
        Error::Format {
            path: self.path.to_path_buf(),
            line: self.line_number(index),
            block,
            expected: expected.into(),
            found: self
                .line(index)
                .map_or_else(|| "end of file".to_string(), shorten),
        }
    }

    fn warn(&mut self, index: usize, block: Block, message: String) {
        self.warnings.push(Warning {
            line: self.line_number(index),
            block,
            message,
        });
    }

    /// A free-text line: present, and not a line of the format's structure.
    fn text(&self, index: usize, block: Block, what: &str) -> Result<String> {
        match self.line(index) {
            Some(line) if structural_block(line).is_none() => Ok(line.to_string()),
            _ => Err(self.error(index, block, what)),
        }
    }

    fn masthead(&self, lines: &[&'a str]) -> Result<(String, String, usize)> {
        let error = |index: usize, expected: &str| Error::Format {
            path: self.path.to_path_buf(),
            line: index + 1,
            block: Block::Masthead,
            expected: expected.to_string(),
            found: lines
                .get(index)
                .map_or_else(|| "end of file".to_string(), |l| shorten(l)),
        };
        if lines.first().map(|l| l.trim()) != Some(ALL_POSTS) {
            return Err(error(0, "\"← All posts\""));
        }
        let mut paragraphs: Vec<String> = Vec::new();
        let mut index = 1;
        loop {
            let blank_start = index;
            while lines.get(index).is_some_and(|l| l.trim().is_empty()) {
                index += 1;
            }
            let Some(line) = lines.get(index).map(|l| l.trim()) else {
                return Err(error(index, "\"Subscribe free All posts\""));
            };
            if line == SUBSCRIBE {
                if paragraphs.len() < 2 {
                    let what = if paragraphs.is_empty() {
                        "the headline"
                    } else {
                        "the summary paragraph, after a blank line"
                    };
                    return Err(error(index, what));
                }
                if index == blank_start {
                    return Err(error(
                        index,
                        "a blank line before \"Subscribe free All posts\"",
                    ));
                }
                let headline = paragraphs.remove(0);
                return Ok((headline, paragraphs.join("\n\n"), index + 1));
            }
            if index == blank_start {
                return Err(error(index, "a blank line between masthead paragraphs"));
            }
            if rank_line(line).is_some() {
                return Err(error(index, "\"Subscribe free All posts\""));
            }
            paragraphs.push(line.to_string());
            index += 1;
        }
    }

    fn top_stories(&mut self) -> Result<Vec<TopStory>> {
        let block = Block::TopStories;
        let mut stories = Vec::new();
        loop {
            let expected_rank = stories.len() as u32 + 1;
            let at = self.pos;
            match self.line(at).and_then(rank_line) {
                Some(rank) if rank == expected_rank => {}
                Some(_) => return Err(self.error(at, block, format!("\"#{expected_rank}\""))),
                None if stories.is_empty() => {
                    return Err(self.error(at, block, "\"#1\", the first top story"))
                }
                // A rank line just ahead means this story's own rank line is missing.
                None if (at + 1..=at + 5).any(|i| self.line(i).and_then(rank_line).is_some()) => {
                    return Err(self.error(at, block, format!("\"#{expected_rank}\"")))
                }
                None => return Ok(stories),
            }
            let title = self.text(at + 1, block, "the story's title")?;
            let summary = self.text(at + 2, block, "the story's summary")?;
            let tag_run = self.line(at + 3).unwrap_or_default();
            let split = tags::split(tag_run).map_err(|_| {
                self.error(
                    at + 3,
                    block,
                    "a tag run of sectors and regions (TechUSJapan)",
                )
            })?;
            for unknown in &split.unknown {
                let kind = if split.sectors.contains(&Sector::Other(unknown.clone())) {
                    "sector"
                } else {
                    "region"
                };
                self.warn(
                    at + 3,
                    block,
                    format!("unknown tag {unknown:?} in {tag_run:?}, kept as a {kind}"),
                );
            }
            let score = self
                .line(at + 4)
                .and_then(|l| l.parse::<u8>().ok())
                .filter(|&s| s <= 100)
                .ok_or_else(|| self.error(at + 4, block, "a score (an integer 0–100)"))?;
            stories.push(TopStory {
                rank: expected_rank,
                title,
                summary,
                sectors: split.sectors,
                regions: split.regions,
                score,
            });
            self.pos = at + 5;
        }
    }

    fn insights(&mut self) -> Result<Vec<Insight>> {
        let mut insights = Vec::new();
        while let Some(minute) = self.line(self.pos + 2).and_then(minute_mark) {
            let at = self.pos;
            insights.push(Insight {
                title: self.text(at, Block::Insights, "the insight's title")?,
                body: self.text(at + 1, Block::Insights, "the insight's paragraph")?,
                minute,
            });
            self.pos = at + 3;
        }
        Ok(insights)
    }

    fn at_sector_brief(&self) -> bool {
        let Some(name) = self.line(self.pos) else {
            return false;
        };
        if structural_block(name).is_some() {
            return false;
        }
        if Sector::known(name).is_some() {
            return true;
        }
        // An unknown sector: the shape must follow, stories with sources up to a Hidden Signal.
        if name.chars().count() > 60 || looks_like_paragraph(name) {
            return false;
        }
        let mut sources = 0;
        for index in self.pos + 1.. {
            match self.line(index) {
                Some(HIDDEN_SIGNAL) => return sources > 0,
                Some(line) if source_line(line).is_some() => sources += 1,
                Some(line) if structural_block(line).is_some() => return false,
                // Another brief's sector: this is not the start of a brief.
                Some(line) if Sector::known(line).is_some() => return false,
                Some(_) => {}
                None => return false,
            }
        }
        false
    }

    fn sector_brief(&mut self) -> Result<SectorBrief> {
        let block = Block::SectorBriefs;
        let at = self.pos;
        let name = self.line(at).unwrap_or_default();
        let sector = Sector::from(name);
        if !sector.is_known() {
            self.warn(at, block, format!("unknown sector {name:?}"));
        }
        let headline = self.text(at + 1, block, "the brief's headline")?;
        // Stats run up to the first story, which is the title two lines above the first source.
        let first_source = (at + 2..)
            .find(|&i| match self.line(i) {
                Some(line) => line.starts_with(SOURCE_PREFIX) || line == HIDDEN_SIGNAL,
                None => true,
            })
            .unwrap_or(at + 2);
        if self.line(first_source).and_then(source_line).is_none() || first_source < at + 4 {
            return Err(self.error(
                first_source,
                block,
                format!("a story for {name} (title, body, \"Source: NAME\")"),
            ));
        }
        let stats_end = first_source - 2;
        if (stats_end - (at + 2)) % 2 == 1 {
            return Err(self.error(
                stats_end - 1,
                block,
                format!("stats for {name} as pairs of lines (value, label), then the stories"),
            ));
        }
        let mut stats = Vec::new();
        for i in (at + 2..stats_end).step_by(2) {
            let stat = Stat {
                value: self.text(i, block, "a stat's value")?,
                label: self.text(i + 1, block, "a stat's label")?,
            };
            // A stat is a short figure and a short label; anything longer is a story out of place.
            if stat.value.chars().count() > MAX_STAT_VALUE || looks_like_paragraph(&stat.value) {
                return Err(self.error(i, block, "a stat's value (a short figure such as $40B)"));
            }
            if stat.label.chars().count() > MAX_STAT_LABEL {
                return Err(self.error(i + 1, block, "a stat's label (a short phrase)"));
            }
            stats.push(stat);
        }
        let (stories, signal_at) = self.sourced_stories(stats_end, block, |line| {
            (line == HIDDEN_SIGNAL).then_some(())
        })?;
        let hidden_signal = self.text(signal_at.0 + 1, block, "the hidden-signal paragraph")?;
        if Sector::known(&hidden_signal).is_some() {
            return Err(self.error(signal_at.0 + 1, block, "the hidden-signal paragraph"));
        }
        self.pos = signal_at.0 + 2;
        Ok(SectorBrief {
            sector,
            headline,
            stats,
            stories,
            hidden_signal,
        })
    }

    /// Reads (title, body, `Source: NAME`) triples from `start` until `end_marker` matches a
    /// line where a title would be; returns the stories and the marker's index and value.
    fn sourced_stories<T>(
        &self,
        start: usize,
        block: Block,
        end_marker: impl Fn(&str) -> Option<T>,
    ) -> Result<(Vec<SourcedStory>, (usize, T))> {
        let mut stories = Vec::new();
        let mut at = start;
        loop {
            let line = self.line(at);
            let third_is_source = self.line(at + 2).and_then(source_line).is_some();
            if let Some(marker) = line.filter(|_| !third_is_source).and_then(&end_marker) {
                if stories.is_empty() {
                    return Err(self.error(at, block, "a story (title, body, \"Source: NAME\")"));
                }
                return Ok((stories, (at, marker)));
            }
            let title = self.text(at, block, "a story's title")?;
            let body = self.text(at + 1, block, "a story's body")?;
            let source = self
                .line(at + 2)
                .and_then(source_line)
                .ok_or_else(|| self.error(at + 2, block, "\"Source: NAME\""))?;
            stories.push(SourcedStory {
                title,
                body,
                source: Source::from(source),
            });
            at += 3;
        }
    }

    fn at_resource(&self) -> bool {
        self.line(self.pos).and_then(resource_header).is_some()
            && self.line(self.pos + 1).and_then(step_line).is_none()
    }

    fn resource(&mut self) -> Result<Resource> {
        let block = Block::Resources;
        let at = self.pos;
        let (level, kind) = self
            .line(at)
            .and_then(resource_header)
            .ok_or_else(|| self.error(at, block, "LEVEL KIND (\"Intermediate Tool\")"))?;
        let title = self.text(at + 1, block, "the resource's title")?;
        let description = self.text(at + 2, block, "the resource's description")?;
        let url = self
            .line(at + 3)
            .filter(|l| is_url(l))
            .ok_or_else(|| self.error(at + 3, block, "the resource's URL (https://…)"))?;
        self.pos = at + 4;
        Ok(Resource {
            level,
            kind,
            title,
            description,
            url: url.to_string(),
        })
    }

    fn at_learning_path(&self) -> bool {
        self.line(self.pos).and_then(path_header).is_some()
            && self.line(self.pos + 1).and_then(step_line).is_some()
    }

    fn learning_path(&mut self) -> Result<LearningPath> {
        let block = Block::LearningPaths;
        let at = self.pos;
        let (level, title) = self
            .line(at)
            .and_then(path_header)
            .ok_or_else(|| self.error(at, block, "LEVEL and the path's title"))?;
        let mut steps = Vec::new();
        let mut i = at + 1;
        while let Some((n, text)) = self.line(i).and_then(step_line) {
            let expected = steps.len() as u32 + 1;
            if n != expected {
                return Err(self.error(i, block, format!("step \"{expected}. …\"")));
            }
            let minutes = self.line(i + 1).and_then(parse_duration).ok_or_else(|| {
                self.error(
                    i + 1,
                    block,
                    "a duration (30 min, 1 hour, 1h 30m, 1.5 hours)",
                )
            })?;
            let url = self
                .line(i + 2)
                .filter(|l| is_url(l))
                .ok_or_else(|| self.error(i + 2, block, "the step's URL (https://…)"))?;
            steps.push(PathStep {
                n,
                text: text.to_string(),
                minutes,
                url: url.to_string(),
            });
            i += 3;
        }
        let outcome = self
            .line(i)
            .and_then(|l| l.strip_prefix(AFTER_THIS))
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .ok_or_else(|| {
                let next = steps.len() + 1;
                self.error(
                    i,
                    block,
                    format!("step \"{next}. …\" or \"After this: outcome\""),
                )
            })?;
        self.pos = i + 1;
        Ok(LearningPath {
            level,
            title: title.to_string(),
            steps,
            outcome: outcome.to_string(),
        })
    }

    fn at_regional_watch(&self) -> bool {
        self.line(self.pos).and_then(watch_header).is_some()
    }

    fn regional_watch(&mut self) -> Result<RegionalWatch> {
        let block = Block::RegionalWatch;
        let at = self.pos;
        let caps = self.line(at).and_then(watch_header).unwrap_or_default();
        let summary = self.text(at + 1, block, "the regional watch's summary")?;
        let signal_name = |line: &str| {
            line.strip_suffix(" Signal")
                .filter(|name| name.to_uppercase() == caps.to_uppercase())
                .map(str::to_string)
        };
        let (stories, (signal_at, name)) = self.sourced_stories(at + 2, block, signal_name)?;
        let signal = self.text(signal_at + 1, block, "the signal paragraph")?;
        let region = Region::from(name.as_str());
        if !region.is_known() {
            self.warn(at, block, format!("unknown region {name:?}"));
        }
        self.pos = signal_at + 2;
        Ok(RegionalWatch {
            region,
            summary,
            stories,
            signal,
        })
    }

    fn closing_and_trends(&mut self) -> Result<(Option<String>, Vec<TrendIndicator>)> {
        let start = self.pos;
        let rest: Vec<&str> = (start..self.lines.len())
            .filter_map(|i| self.line(i))
            .collect();
        if let Some(offset) = rest.iter().position(|l| structural_block(l).is_some()) {
            let (block, expected) = structural_block(rest[offset]).unwrap_or((Block::Closing, ""));
            let what = if block == Block::TopStories || block == Block::Insights {
                format!("{expected}, in its place before the sector briefs")
            } else {
                expected.to_string()
            };
            return Err(self.error(start + offset, block, what));
        }
        let Some(first) = rest.first() else {
            return Ok((None, Vec::new()));
        };
        let has_closing = rest.len() % 2 == 1;
        if has_closing && !looks_like_paragraph(first) {
            return Err(self.error(
                start,
                Block::Closing,
                "the closing paragraph, then trend indicators as pairs (evidence, theme)",
            ));
        }
        if !has_closing && looks_like_paragraph(first) {
            return Err(self.error(
                self.lines.len(),
                Block::TrendIndicators,
                "trend indicators as pairs of lines (evidence, theme)",
            ));
        }
        let pairs_start = usize::from(has_closing);
        let trends = rest[pairs_start..]
            .chunks_exact(2)
            .map(|pair| TrendIndicator {
                evidence: pair[0].to_string(),
                theme: pair[1].to_string(),
            })
            .collect();
        self.pos = self.lines.len();
        Ok((has_closing.then(|| first.to_string()), trends))
    }
}

#[cfg(test)]
mod tests;
