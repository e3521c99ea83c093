//! What an issue's text does not say: its date and id, from the file name, a sidecar
//! (`x.meta.json` / `x.meta.toml` beside `x.txt`) or the dated URLs inside it.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::read_limited;
use crate::date::Date;
use crate::error::{Error, Result};
use crate::model::DateSource;

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
                Err(Error::Io { cause, .. }) if cause.kind() == std::io::ErrorKind::NotFound => {
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

pub(super) fn resolve_date(
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
