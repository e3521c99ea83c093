//! The one error type of this crate.

use std::fmt;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

/// The block of the issue format being read when something went wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Block {
    /// The file as a whole (encoding, emptiness, date).
    File,
    /// `← All posts`, headline, summary, `Subscribe free All posts`.
    Masthead,
    /// `#N`, title, summary, tag run, score.
    TopStories,
    /// Title, paragraph, `~NNmin`.
    Insights,
    /// Sector, headline, stats, sourced stories, `Hidden Signal`.
    SectorBriefs,
    /// `LEVEL KIND`, title, description, URL.
    Resources,
    /// `LEVEL Title`, numbered steps, `After this: …`.
    LearningPaths,
    /// `REGION AI WATCH`, summary, sourced stories, `Region Signal`.
    RegionalWatch,
    /// The closing paragraph.
    Closing,
    /// Evidence and theme pairs.
    TrendIndicators,
}

impl fmt::Display for Block {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Block::File => "file",
            Block::Masthead => "masthead",
            Block::TopStories => "top stories",
            Block::Insights => "insights",
            Block::SectorBriefs => "sector briefs",
            Block::Resources => "resources",
            Block::LearningPaths => "learning paths",
            Block::RegionalWatch => "regional watch",
            Block::Closing => "closing",
            Block::TrendIndicators => "trend indicators",
        })
    }
}

/// Why an issue could not be read.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The file could not be read at all.
    #[error("{}: cannot read: {cause}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        cause: std::io::Error,
    },
    /// The file is larger than [`crate::MAX_ISSUE_BYTES`]; it was not read (or not past
    /// the limit, when it grew while being read).
    #[error(
        "{}: too large: {size} bytes, over the limit of {limit} bytes for an issue file",
        path.display()
    )]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes (for a file that grew while being read, the bytes read).
        size: u64,
        /// The limit, [`crate::MAX_ISSUE_BYTES`].
        limit: usize,
    },
    /// The file is empty (or holds only whitespace).
    #[error("{}: empty file: expected an issue starting with \"← All posts\"", path.display())]
    Empty {
        /// The file.
        path: PathBuf,
    },
    /// The file holds bytes that are not text (a NUL byte).
    #[error("{}: binary file: NUL byte at byte offset {offset}; expected UTF-8 text", path.display())]
    Binary {
        /// The file.
        path: PathBuf,
        /// The byte offset of the first NUL.
        offset: usize,
    },
    /// The file is not valid UTF-8.
    #[error("{}:{line}: invalid UTF-8 at byte offset {offset}", path.display())]
    InvalidUtf8 {
        /// The file.
        path: PathBuf,
        /// The 1-based line holding the bad byte.
        line: usize,
        /// The byte offset of the first bad byte.
        offset: usize,
    },
    /// A line does not have the shape the block being read needs.
    #[error("{}:{line}: {block}: expected {expected}, found {found:?}", path.display())]
    Format {
        /// The file.
        path: PathBuf,
        /// The 1-based line at fault (one past the last line at end of file).
        line: usize,
        /// The block being read.
        block: Block,
        /// What the format needs there.
        expected: String,
        /// What the line holds (`end of file` at the end).
        found: String,
    },
    /// No date could be resolved for the issue.
    #[error(
        "{}: no date: give one as YYYY-MM-DD in the file name (2026-03-27.txt), \
         in a sidecar {} with a \"date\" field, or through dated URLs (/2026/03/27/) in the issue",
        path.display(),
        sidecar.display()
    )]
    NoDate {
        /// The file.
        path: PathBuf,
        /// The sidecar that would have been read.
        sidecar: PathBuf,
    },
    /// A sidecar beside the issue exists but cannot be used.
    #[error("{}: bad sidecar: {message}", path.display())]
    Sidecar {
        /// The sidecar file.
        path: PathBuf,
        /// What is wrong with it.
        message: String,
    },
}

impl Error {
    /// The file the error is about.
    pub fn path(&self) -> &std::path::Path {
        match self {
            Error::Io { path, .. }
            | Error::TooLarge { path, .. }
            | Error::Empty { path }
            | Error::Binary { path, .. }
            | Error::InvalidUtf8 { path, .. }
            | Error::Format { path, .. }
            | Error::NoDate { path, .. }
            | Error::Sidecar { path, .. } => path,
        }
    }

    /// The 1-based line the error is about, when there is one.
    pub fn line(&self) -> Option<usize> {
        match self {
            Error::InvalidUtf8 { line, .. } | Error::Format { line, .. } => Some(*line),
            _ => None,
        }
    }

    /// The block being read, when the error is about the format.
    pub fn block(&self) -> Block {
        match self {
            Error::Format { block, .. } => *block,
            _ => Block::File,
        }
    }
}

/// This crate's result.
pub type Result<T, E = Error> = std::result::Result<T, E>;
