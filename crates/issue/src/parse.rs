//! The text-format parser (FORMAT.md).
//!
//! Blocks are recognised by the shape of their lines, never by blank lines: each
//! optional block checks whether its shape starts at the cursor, and the block after
//! it must then fit exactly. The parser keeps the line number of every line it drops
//! (blank lines after the masthead), so every error points at a line of the file.
//!
//! A group's shape is its anchors: `#N`, the tag run and the score of a top story, the
//! minute mark of an insight, the sources and `Hidden Signal` of a brief, the header and
//! URL of a resource. Where the anchors fit, the lines between them are free text and
//! are taken as they are, even when they read like structure (`1. Patients were …`,
//! `Source: a trial …`, a title `#2` or `Advanced Robotics`). A line shaped like
//! structure decides nothing on its own; it only helps to say where a group that does
//! not fit went wrong. Two places cannot lean on anchors after them and take such a
//! line only when it has the shape of a paragraph: the paragraph after a marker
//! (`Hidden Signal`, `India Signal`) and the closing. Stats never hold `Source: …` or
//! `Hidden Signal`: a stat pair (value, `Source: X`) has the shape of a story that lost
//! its body.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::date::Date;
use crate::error::{Block, Error, Result};
use crate::model::*;
use crate::vocab::{Level, Region, ResourceKind, Sector, Source};

mod briefs;
mod chain;
mod tags;

use briefs::BriefShapes;
use chain::Chains;

const ALL_POSTS: &str = "← All posts";
const SUBSCRIBE: &str = "Subscribe free All posts";
const HIDDEN_SIGNAL: &str = "Hidden Signal";
const SOURCE_PREFIX: &str = "Source: ";
const AFTER_THIS: &str = "After this: ";
const AI_WATCH: &str = " AI WATCH";
/// The largest issue file read, in bytes: 4 MiB, over a hundred times the seed issue
/// (35 KiB). A larger file is refused with [`Error::TooLarge`] before it is read (and
/// one that grows past the limit while being read, such as `/dev/zero`), so one huge
/// file cannot exhaust memory and never stops the other files from being read.
/// Sidecars are held to the same limit, and so is text given to [`parse_bytes`] and
/// [`parse_str`].
pub const MAX_ISSUE_BYTES: usize = 4 * 1024 * 1024;

/// The most warnings kept for one line. A tag run of many unknown tags gets one
/// warning for each of the first `MAX_WARNINGS_PER_LINE - 1` and one saying how many
/// more there are.
pub const MAX_WARNINGS_PER_LINE: usize = 8;

/// The most warnings kept for one issue. Past it, the last warning kept says how many
/// more there were.
pub const MAX_WARNINGS_PER_FILE: usize = 100;

/// The most characters of a line (or of a tag) quoted in a warning or an error; longer
/// text is cut there and ends with `…`. Together with the caps above, this keeps the
/// warnings of an issue bounded whatever its lines hold.
pub const MAX_QUOTED_CHARS: usize = 80;

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
            let bytes = match read_limited(&sidecar) {
                Ok(bytes) => bytes,
                Err(Error::Io { source, .. }) if source.kind() == std::io::ErrorKind::NotFound => {
                    continue
                }
                Err(error) => return Err(error),
            };
            let text = String::from_utf8(bytes).map_err(|e| Error::Sidecar {
                path: sidecar.clone(),
                message: format!("not UTF-8 text: {e}"),
            })?;
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
///
/// A file larger than [`MAX_ISSUE_BYTES`] is refused with [`Error::TooLarge`], unread.
pub fn parse_file(path: &Path) -> Result<Issue> {
    let bytes = read_limited(path)?;
    let sidecar = Sidecar::read_for(path)?;
    parse_with(&bytes, path, sidecar, None)
}

/// Reads `path` whole if it holds at most [`MAX_ISSUE_BYTES`]: the size is checked
/// before reading, and the read stops one byte past the limit.
fn read_limited(path: &Path) -> Result<Vec<u8>> {
    let io = |source| Error::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    let size = file.metadata().map_err(io)?.len();
    if size > MAX_ISSUE_BYTES as u64 {
        return Err(too_large(path, size));
    }
    // The size may be unknown (a pipe, `/dev/zero`) or change while reading: read in
    // chunks and stop at the first byte past the limit, so the buffer never outgrows it.
    let mut bytes = Vec::with_capacity(size as usize + 1);
    let mut chunk = [0u8; 16 * 1024];
    let mut file = file;
    loop {
        let read = match file.read(&mut chunk) {
            Ok(0) => return Ok(bytes),
            Ok(read) => read,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(source) => return Err(io(source)),
        };
        if bytes.len() + read > MAX_ISSUE_BYTES {
            return Err(too_large(path, (bytes.len() + read) as u64));
        }
        bytes.extend_from_slice(&chunk[..read]);
    }
}

fn too_large(path: &Path, size: u64) -> Error {
    Error::TooLarge {
        path: path.to_path_buf(),
        size,
        limit: MAX_ISSUE_BYTES,
    }
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
    if bytes.len() > MAX_ISSUE_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    let text = decode(bytes, path)?;
    let lines: Vec<&str> = split_lines(text);
    let mut parser = Parser {
        path,
        lines: Vec::new(),
        pos: 0,
        warnings: Vec::new(),
        warnings_seen: 0,
        briefs: None,
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
    issue.warnings = parser.finish_warnings();
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

/// `India Signal` → `India`, when it names the region of the `caps` watch (`INDIA`).
fn signal_name<'l>(line: &'l str, caps: &str) -> Option<&'l str> {
    line.strip_suffix(" Signal").filter(|name| {
        name.chars()
            .flat_map(char::to_uppercase)
            .eq(caps.chars().flat_map(char::to_uppercase))
    })
}

/// A line a sector brief expects in its own places (a story's source, its marker) or
/// that starts a block after it: where a brief's free text should be, the brief has
/// lost a line or run past its end.
fn brief_anchor(line: &str) -> bool {
    source_line(line).is_some() || line == HIDDEN_SIGNAL || starts_later_block(line)
}

/// The first line of a resource or of a regional watch.
fn starts_later_block(line: &str) -> bool {
    resource_header(line).is_some() || watch_header(line).is_some()
}

/// A top story's score: an integer 0–100.
fn score_line(line: &str) -> Option<u8> {
    line.parse::<u8>().ok().filter(|&s| s <= 100)
}

fn source_line(line: &str) -> Option<&str> {
    line.strip_prefix(SOURCE_PREFIX)
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

/// A line shaped like the structure of some block. A free-text field takes such a line
/// only where the lines around it fit the field's block; elsewhere it is out of place.
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

/// Whether `line` can be a paragraph nothing after it anchors (a marker's paragraph, the
/// closing): free text, or a paragraph that begins like structure.
fn fits_last_paragraph(line: &str) -> bool {
    structural_block(line).is_none() || looks_like_paragraph(line)
}

fn looks_like_paragraph(line: &str) -> bool {
    let ends_sentence = line
        .trim_end_matches(['"', '\'', '”', '’', ')'])
        .ends_with(['.', '!', '?', '…']);
    ends_sentence || line.chars().count() > 160
}

/// `line` as quoted in a warning or an error: at most [`MAX_QUOTED_CHARS`] characters,
/// then `…`. Costs O(MAX_QUOTED_CHARS) whatever the length of the line.
fn shorten(line: &str) -> String {
    match line.char_indices().nth(MAX_QUOTED_CHARS) {
        None => line.to_string(),
        Some((cut, _)) => format!("{}…", &line[..cut]),
    }
}

struct Parser<'a> {
    path: &'a Path,
    /// The lines after the masthead, blank lines dropped: (1-based line number, trimmed text).
    lines: Vec<(usize, &'a str)>,
    pos: usize,
    /// At most [`MAX_WARNINGS_PER_FILE`] warnings.
    warnings: Vec<Warning>,
    /// Every warning given, kept or not.
    warnings_seen: usize,
    /// The shapes of sector briefs from the insights on, computed on first use.
    briefs: Option<BriefShapes>,
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

    /// Keeps a warning, up to [`MAX_WARNINGS_PER_FILE`]; past it, only counts it.
    fn warn(&mut self, index: usize, block: Block, message: String) {
        self.warnings_seen += 1;
        if self.warnings.len() < MAX_WARNINGS_PER_FILE {
            self.warnings.push(Warning {
                line: self.line_number(index),
                block,
                message,
            });
        }
    }

    /// The warnings kept; past the cap, the last one kept gives way to a count of the rest.
    fn finish_warnings(mut self) -> Vec<Warning> {
        if self.warnings_seen > self.warnings.len() {
            let line = self.warnings.pop().map_or(1, |w| w.line);
            let more = self.warnings_seen - self.warnings.len();
            self.warnings.push(Warning {
                line,
                block: Block::File,
                message: format!(
                    "{more} more warnings from this line on, not listed \
                     (at most {MAX_WARNINGS_PER_FILE} warnings an issue)"
                ),
            });
        }
        self.warnings
    }

    /// A free-text line whose place the surrounding lines have settled: taken as it is.
    fn free(&self, index: usize) -> String {
        self.line(index).unwrap_or_default().to_string()
    }

    /// The paragraph after a block's marker (`Hidden Signal`, `India Signal`): no line
    /// after it anchors it, so a line shaped like structure (`Intermediate Tool`, a
    /// repeated marker) is taken only when it has the shape of a paragraph.
    fn last_paragraph(&self, index: usize, block: Block, what: &str) -> Result<String> {
        match self.line(index) {
            Some(line) if fits_last_paragraph(line) => Ok(line.to_string()),
            _ => Err(self.error(index, block, what)),
        }
    }

    /// A free-text line of a group whose shape does not fit: present, and not `shifted`,
    /// a line the group expects elsewhere (`#3` where a story's title should be: the
    /// group lost a line). Only explains why a group failed; never decides a parse.
    fn slot(
        &self,
        index: usize,
        block: Block,
        what: &str,
        shifted: impl Fn(&str) -> bool,
    ) -> Result<()> {
        match self.line(index) {
            Some(line) if !shifted(line) => Ok(()),
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
            // A masthead paragraph is followed by a blank line: `#1` followed by a title is
            // the first top story, and the subscribe line before it is missing.
            let next_is_blank = lines.get(index + 1).is_some_and(|l| l.trim().is_empty());
            if rank_line(line).is_some() && !next_is_blank {
                return Err(error(index, "\"Subscribe free All posts\""));
            }
            paragraphs.push(line.to_string());
            index += 1;
        }
    }

    /// Whether a whole top story (`#N`, title, summary, tag run, score) starts at `at`.
    fn story_fits(&self, at: usize) -> bool {
        self.line(at).and_then(rank_line).is_some()
            && self.line(at + 2).is_some()
            && self.line(at + 3).is_some_and(|l| tags::split(l).is_ok())
            && self.line(at + 4).and_then(score_line).is_some()
    }

    /// Whether an insight's minute mark sits where an insight starting at `at` puts it.
    fn insight_fits(&self, at: usize) -> bool {
        self.line(at + 2).and_then(minute_mark).is_some()
    }

    fn top_stories(&mut self) -> Result<Vec<TopStory>> {
        let block = Block::TopStories;
        let mut stories = Vec::new();
        loop {
            let expected_rank = stories.len() as u32 + 1;
            let at = self.pos;
            // The next block's shape: an insight (its title may read `#21`) or a later
            // block (a brief's stat, a resource's title may read `#3`).
            let after_stories =
                !stories.is_empty() && (self.insight_fits(at) || self.later_block_fits(at));
            match self.line(at).and_then(rank_line) {
                Some(rank) if after_stories && !self.story_wins(at, rank == expected_rank) => {
                    return Ok(stories)
                }
                Some(rank) if rank == expected_rank => {}
                Some(_) => return Err(self.error(at, block, format!("\"#{expected_rank}\""))),
                None if stories.is_empty() => {
                    return Err(self.error(at, block, "\"#1\", the first top story"))
                }
                // A story just ahead means this story's own rank line is missing.
                None if !after_stories
                    && (at + 1..=at + 5).any(|i| self.story_ahead(i, expected_rank)) =>
                {
                    return Err(self.error(at, block, format!("\"#{expected_rank}\"")))
                }
                None => return Ok(stories),
            }
            let tag_run = self.line(at + 3).unwrap_or_default();
            let split = tags::split(tag_run);
            let score = self.line(at + 4).and_then(score_line);
            let (Ok(split), Some(score), Some(_)) = (split, score, self.line(at + 2)) else {
                return Err(self.story_error(at));
            };
            // The group fits: the title and summary are whatever their lines say.
            let (title, summary) = (self.free(at + 1), self.free(at + 2));
            self.warn_unknown_tags(at + 3, tag_run, &split);
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

    /// One warning for each unknown tag of a tag run, up to [`MAX_WARNINGS_PER_LINE`], each
    /// quoting the run cut to [`MAX_QUOTED_CHARS`]: linear in the run, however many tags.
    fn warn_unknown_tags(&mut self, index: usize, tag_run: &str, tags: &tags::Tags) {
        let quoted = shorten(tag_run);
        let unknown = tags.unknown().count();
        let listed = if unknown > MAX_WARNINGS_PER_LINE {
            MAX_WARNINGS_PER_LINE - 1
        } else {
            unknown
        };
        for (name, as_sector) in tags.unknown().take(listed) {
            let kind = if as_sector { "sector" } else { "region" };
            let name = shorten(name);
            self.warn(
                index,
                Block::TopStories,
                format!("unknown tag {name:?} in {quoted:?}, kept as a {kind}"),
            );
        }
        if listed < unknown {
            let more = unknown - listed;
            self.warn(
                index,
                Block::TopStories,
                format!(
                    "{more} more unknown tags in {quoted:?}, kept as sectors or regions, \
                     not listed (at most {MAX_WARNINGS_PER_LINE} warnings a line)"
                ),
            );
        }
    }

    /// Whether the top story at `at`, whose rank is due when `due`, is read rather than
    /// the insight or later block that fits there too: it must fit, and when only one of
    /// the two readings goes on past its group, that one wins.
    fn story_wins(&mut self, at: usize, due: bool) -> bool {
        if !due || !self.story_fits(at) {
            return false;
        }
        let after = at + 5;
        let story_goes_on = self.line(after).is_none_or(|l| rank_line(l).is_some())
            || self.insight_fits(after)
            || self.later_block_fits(after);
        let insight_goes_on =
            self.insight_fits(at) && (self.insight_fits(at + 3) || self.later_block_fits(at + 3));
        story_goes_on || !insight_goes_on
    }

    /// Whether line `i` starts a top story: a whole one, or the rank due next.
    fn story_ahead(&self, i: usize, expected_rank: u32) -> bool {
        match self.line(i).and_then(rank_line) {
            Some(rank) => rank == expected_rank || rank == expected_rank + 1 || self.story_fits(i),
            None => false,
        }
    }

    /// Why the top story at `at` does not fit: its first line out of shape.
    fn story_error(&self, at: usize) -> Error {
        let block = Block::TopStories;
        let rank = |line: &str| rank_line(line).is_some();
        if let Err(error) = self
            .slot(at + 1, block, "the story's title", rank)
            .and_then(|()| self.slot(at + 2, block, "the story's summary", rank))
        {
            return error;
        }
        if self
            .line(at + 3)
            .is_none_or(|line| tags::split(line).is_err())
        {
            return self.error(
                at + 3,
                block,
                "a tag run of sectors and regions (TechUSJapan)",
            );
        }
        self.error(at + 4, block, "a score (an integer 0–100)")
    }

    fn insights(&mut self) -> Result<Vec<Insight>> {
        let mut insights = Vec::new();
        // The minute mark settles the group: its title and paragraph are free text. A
        // later block wins over an insight (a brief's first stat, a resource's
        // description or a regional story's title may read `~12min`): a whole brief of a
        // known sector always, another block unless the lines after the insight fit
        // too (another insight or a later block).
        while let Some(minute) = self.line(self.pos + 2).and_then(minute_mark) {
            let at = self.pos;
            if self.known_sector_brief_fits(at) {
                break;
            }
            let insight_goes_on = self.insight_fits(at + 3) || self.later_block_fits(at + 3);
            if !insight_goes_on && self.later_block_fits(at) {
                break;
            }
            insights.push(Insight {
                title: self.free(at),
                body: self.free(at + 1),
                minute,
            });
            self.pos = at + 3;
        }
        Ok(insights)
    }

    /// The brief shapes, computed on first use from the current line on.
    fn briefs(&mut self) -> &BriefShapes {
        let from = self.pos;
        let lines = &self.lines;
        self.briefs.get_or_insert_with(|| {
            BriefShapes::new(lines.len(), |i| lines.get(i).map(|&(_, text)| text), from)
        })
    }

    /// Whether a block after the insights starts at `at` with its own shape: a whole
    /// brief of a known sector (an unknown sector's name is only a short line, which an
    /// insight keeps), a resource, a learning path, or a regional watch whose first
    /// story has its source.
    fn later_block_fits(&mut self, at: usize) -> bool {
        let resource = self.line(at).and_then(resource_header).is_some()
            && self.line(at + 3).is_some_and(is_url);
        let watch = self.line(at).and_then(watch_header).is_some()
            && self.line(at + 4).and_then(source_line).is_some();
        resource || watch || self.path_fits(at) || self.known_sector_brief_fits(at)
    }

    /// Whether a whole brief of a known sector starts at `at`.
    fn known_sector_brief_fits(&mut self, at: usize) -> bool {
        self.line(at).and_then(Sector::known).is_some() && self.brief_fits(at)
    }

    /// Whether a whole sector brief starts at `at`: a known sector's name or a short
    /// unknown one, then headline, stats that are short and, for an unknown sector, hold
    /// no known sector's name or line of structure, then sourced stories up to `Hidden
    /// Signal`.
    fn brief_fits(&mut self, at: usize) -> bool {
        let Some(name) = self.line(at) else {
            return false;
        };
        let known = Sector::known(name).is_some();
        if !known
            && (structural_block(name).is_some()
                || name.chars().count() > 60
                || looks_like_paragraph(name))
        {
            return false;
        }
        let briefs = self.briefs();
        briefs.layout(at).is_some_and(|layout| {
            briefs.stats_fit(at, layout) && (known || !briefs.foreign_inside(at, layout))
        })
    }

    /// Why the stat pair at `i` is not one: a stat is a short figure and a short label.
    fn stat_error(&self, i: usize, block: Block) -> Option<Error> {
        let value = self.line(i).unwrap_or_default();
        let label = self.line(i + 1).unwrap_or_default();
        if value.chars().count() > MAX_STAT_VALUE || looks_like_paragraph(value) {
            return Some(self.error(i, block, "a stat's value (a short figure such as $40B)"));
        }
        if label.chars().count() > MAX_STAT_LABEL {
            return Some(self.error(i + 1, block, "a stat's label (a short phrase)"));
        }
        None
    }

    fn at_sector_brief(&mut self) -> bool {
        // A known sector starts a brief even when the brief is broken: say where.
        let known = self.line(self.pos).and_then(Sector::known).is_some();
        known || self.brief_fits(self.pos)
    }

    fn sector_brief(&mut self) -> Result<SectorBrief> {
        let block = Block::SectorBriefs;
        let at = self.pos;
        let name = self.line(at).unwrap_or_default();
        let briefs = self.briefs();
        // Stats too long to be stats are a story out of place: say where, line by line.
        let Some(layout) = briefs
            .layout(at)
            .filter(|&layout| briefs.stats_fit(at, layout))
        else {
            return Err(self.brief_error(at));
        };
        let sector = Sector::from(name);
        if !sector.is_known() {
            self.warn(at, block, format!("unknown sector {:?}", shorten(name)));
        }
        // The shape fits: headline, stats, titles, bodies and the signal are free text.
        let headline = self.free(at + 1);
        let stats = (at + 2..layout.stories_at)
            .step_by(2)
            .map(|i| Stat {
                value: self.free(i),
                label: self.free(i + 1),
            })
            .collect();
        let stories = self.stories_between(layout.stories_at, layout.signal_at);
        let hidden_signal =
            self.last_paragraph(layout.signal_at + 1, block, "the hidden-signal paragraph")?;
        // The next brief's sector where the paragraph should be: the paragraph is missing.
        if Sector::known(&hidden_signal).is_some() {
            return Err(self.error(layout.signal_at + 1, block, "the hidden-signal paragraph"));
        }
        self.pos = layout.signal_at + 2;
        Ok(SectorBrief {
            sector,
            headline,
            stats,
            stories,
            hidden_signal,
        })
    }

    /// The (title, body, `Source: NAME`) triples from `start` up to the marker at `end`,
    /// whose shape [`Chains`] has checked.
    fn stories_between(&self, start: usize, end: usize) -> Vec<SourcedStory> {
        (start..end)
            .step_by(3)
            .map(|t| SourcedStory {
                title: self.free(t),
                body: self.free(t + 1),
                source: Source::from(self.line(t + 2).and_then(source_line).unwrap_or_default()),
            })
            .collect()
    }

    /// Why the brief at `at` does not fit its shape, read line by line from its start.
    fn brief_error(&self, at: usize) -> Error {
        let block = Block::SectorBriefs;
        let explained = (|| -> Result<()> {
            let name = self.line(at).unwrap_or_default();
            self.slot(at + 1, block, "the brief's headline", brief_anchor)?;
            // Stats run up to the first story, the title two lines above the first source.
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
            for i in (at + 2..stats_end).step_by(2) {
                if let Some(error) = self.stat_error(i, block) {
                    return Err(error);
                }
            }
            let signal_at = self.sourced_stories(stats_end, block, |line| line == HIDDEN_SIGNAL)?;
            self.slot(
                signal_at + 1,
                block,
                "the hidden-signal paragraph",
                brief_anchor,
            )?;
            Ok(())
        })();
        explained.err().unwrap_or_else(|| {
            self.error(
                at,
                block,
                "a sector brief (sector, headline, stats, stories with sources, Hidden Signal)",
            )
        })
    }

    /// Reads (title, body, `Source: NAME`) triples from `start` line by line until
    /// `is_marker` matches a line where a title would be; returns the marker's index.
    /// Explains why a block's run of stories does not fit its shape.
    fn sourced_stories(
        &self,
        start: usize,
        block: Block,
        is_marker: impl Fn(&str) -> bool,
    ) -> Result<usize> {
        let shifted =
            |line: &str| source_line(line).is_some() || is_marker(line) || starts_later_block(line);
        let mut at = start;
        loop {
            let third_is_source = self.line(at + 2).and_then(source_line).is_some();
            if !third_is_source && self.line(at).is_some_and(&is_marker) {
                if at == start {
                    return Err(self.error(at, block, "a story (title, body, \"Source: NAME\")"));
                }
                return Ok(at);
            }
            self.slot(at, block, "a story's title", shifted)?;
            self.slot(at + 1, block, "a story's body", shifted)?;
            if !third_is_source {
                return Err(self.error(at + 2, block, "\"Source: NAME\""));
            }
            at += 3;
        }
    }

    /// Whether a whole first step of a learning path follows a path header at `at`.
    fn path_fits(&self, at: usize) -> bool {
        self.line(at).and_then(path_header).is_some()
            && self
                .line(at + 1)
                .and_then(step_line)
                .is_some_and(|(n, _)| n == 1)
            && self.line(at + 2).and_then(parse_duration).is_some()
            && self.line(at + 3).is_some_and(is_url)
            && self
                .line(at + 4)
                .is_some_and(|l| step_line(l).is_some() || l.starts_with(AFTER_THIS))
    }

    fn at_resource(&self) -> bool {
        let at = self.pos;
        // `Beginner Foundations` then `1. …` starts a learning path, unless the resource's
        // URL sits in its place (the title reads like a step) and no whole step follows.
        self.line(at).and_then(resource_header).is_some()
            && !self.path_fits(at)
            && (self.line(at + 3).is_some_and(is_url)
                || self.line(at + 1).and_then(step_line).is_none())
    }

    fn resource(&mut self) -> Result<Resource> {
        let block = Block::Resources;
        let at = self.pos;
        let (level, kind) = self
            .line(at)
            .and_then(resource_header)
            .ok_or_else(|| self.error(at, block, "LEVEL KIND (\"Intermediate Tool\")"))?;
        let Some(url) = self.line(at + 3).filter(|l| is_url(l)) else {
            let shifted = |line: &str| is_url(line) || resource_header(line).is_some();
            self.slot(at + 1, block, "the resource's title", shifted)?;
            self.slot(at + 2, block, "the resource's description", shifted)?;
            return Err(self.error(at + 3, block, "the resource's URL (https://…)"));
        };
        // The URL settles the group: the title and description are free text.
        self.pos = at + 4;
        Ok(Resource {
            level,
            kind,
            title: self.free(at + 1),
            description: self.free(at + 2),
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
        let lines = &self.lines;
        let chains = Chains::new(
            lines.len(),
            |i| lines.get(i).map(|&(_, text)| text),
            at + 2,
            |line| signal_name(line, caps).is_some(),
        );
        let Some(signal_at) = chains.end(at + 2).filter(|&end| end > at + 2) else {
            return Err(self.watch_error(at, caps));
        };
        // The shape fits: the summary, titles, bodies and the signal are free text.
        let name = self
            .line(signal_at)
            .and_then(|line| signal_name(line, caps))
            .unwrap_or(caps);
        let signal = self.last_paragraph(signal_at + 1, block, "the signal paragraph")?;
        let region = Region::from(name);
        if !region.is_known() {
            self.warn(at, block, format!("unknown region {:?}", shorten(name)));
        }
        self.pos = signal_at + 2;
        Ok(RegionalWatch {
            region,
            summary: self.free(at + 1),
            stories: self.stories_between(at + 2, signal_at),
            signal,
        })
    }

    /// Why the regional watch at `at` does not fit its shape, read line by line.
    fn watch_error(&self, at: usize, caps: &str) -> Error {
        let block = Block::RegionalWatch;
        let explained = (|| -> Result<()> {
            let is_marker = |line: &str| signal_name(line, caps).is_some();
            let shifted = |line: &str| {
                source_line(line).is_some() || is_marker(line) || starts_later_block(line)
            };
            self.slot(at + 1, block, "the regional watch's summary", shifted)?;
            let signal_at = self.sourced_stories(at + 2, block, is_marker)?;
            self.slot(signal_at + 1, block, "the signal paragraph", shifted)?;
            Ok(())
        })();
        explained.err().unwrap_or_else(|| {
            self.error(
                at,
                block,
                "a regional watch (REGION AI WATCH, summary, stories, Region Signal)",
            )
        })
    }

    fn closing_and_trends(&mut self) -> Result<(Option<String>, Vec<TrendIndicator>)> {
        let start = self.pos;
        let rest: Vec<&str> = (start..self.lines.len())
            .filter_map(|i| self.line(i))
            .collect();
        let has_closing = rest.len() % 2 == 1;
        // Whatever earlier block failed to start lands here, so a line shaped like a
        // block's structure is an error, except the closing paragraph itself: a first
        // paragraph before lines that hold no such line is free text.
        let first_structural = rest.iter().position(|l| structural_block(l).is_some());
        let closing_is_free = first_structural == Some(0)
            && looks_like_paragraph(rest[0])
            && !rest[1..].iter().any(|l| structural_block(l).is_some());
        // A paragraph that begins like a numbered step or a citation (`1. Patients were
        // …`, `Source: a trial …`) is more likely prose that lost its group than the line
        // at fault: name another line of structure first, if there is one.
        let prose = |l: &str| {
            looks_like_paragraph(l) && (step_line(l).is_some() || source_line(l).is_some())
        };
        let at_fault = rest
            .iter()
            .position(|l| structural_block(l).is_some() && !prose(l))
            .or(first_structural);
        if let Some(offset) = at_fault.filter(|_| !closing_is_free) {
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
