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
use std::path::Path;

use crate::date::Date;
use crate::error::{Block, Error, Result};
use crate::model::*;
use crate::vocab::{Level, Region, ResourceKind, Sector, Source};

mod briefs;
mod chain;
mod closing;
mod learning;
mod lines;
mod sidecar;
mod stories;
mod tags;
mod watch;

use briefs::BriefShapes;
use chain::Chains;
pub use lines::parse_duration;
use lines::*;
use sidecar::resolve_date;
pub use sidecar::Sidecar;

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
    let io = |cause| Error::Io {
        path: path.to_path_buf(),
        cause,
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
}

#[cfg(test)]
mod tests;
