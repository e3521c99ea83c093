//! The TREC-style files `backissue eval` reads: the queries and their relevance judgments.
//!
//! Plain text in the layouts of TREC's tools, so that judgments can be written by hand,
//! diffed in review, and fed to `trec_eval` for a second opinion:
//!
//! ```text
//! # queries.tsv: QID<TAB>query text
//! q1<TAB>robots that work without the cloud
//!
//! # qrels.txt: QID ITERATION DOCID GRADE
//! q1 0 2026-03-27/top/2 3
//! q1 0 2026-03-20/insight/4 1
//! ```
//!
//! Blank lines and lines starting with `#` are ignored in both. The qrels' second column
//! is TREC's unused iteration number (`0`, sometimes `Q0`): any token is accepted and
//! ignored. A grade is an integer from 0 (judged, not relevant) to [`MAX_GRADE`]. Every
//! problem is reported with the file, the line and what was expected there.

use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The highest grade accepted: gains are `2^grade − 1`, and no judging scale needs more.
pub const MAX_GRADE: u32 = 30;

/// One query to run: its id (as the qrels spell it) and its text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Query {
    /// The query id, e.g. `q1`.
    pub id: String,
    /// The text to search for.
    pub text: String,
}

/// One query's judgments: document id to grade. Unjudged documents count as grade 0.
pub type Judgments = BTreeMap<String, u32>;

/// All the judgments of a qrels file, by query id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Qrels {
    by_query: BTreeMap<String, Judgments>,
}

impl Qrels {
    /// The judgments of query `id`, if the file judged any document for it.
    pub fn get(&self, id: &str) -> Option<&Judgments> {
        self.by_query.get(id)
    }

    /// The judged queries and their judgments, in id order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Judgments)> {
        self.by_query.iter().map(|(id, j)| (id.as_str(), j))
    }

    /// How many queries have judgments.
    pub fn len(&self) -> usize {
        self.by_query.len()
    }

    /// Whether no query has judgments.
    pub fn is_empty(&self) -> bool {
        self.by_query.is_empty()
    }

    /// Records `grade` for `doc` under query `id`, returning the grade already there, if any.
    pub fn insert(&mut self, id: &str, doc: &str, grade: u32) -> Option<u32> {
        self.by_query
            .entry(id.to_owned())
            .or_default()
            .insert(doc.to_owned(), grade)
    }
}

/// A queries or qrels file that could not be read, or a line in it that does not parse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalFileError {
    /// The file.
    pub path: PathBuf,
    /// The 1-based line at fault; `None` when the file as a whole could not be read.
    pub line: Option<usize>,
    /// What was wrong, or what was expected there.
    pub message: String,
}

impl EvalFileError {
    fn at(path: &Path, line: usize, message: impl Into<String>) -> Self {
        EvalFileError {
            path: path.to_owned(),
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for EvalFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{line}: {}", self.path.display(), self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

impl std::error::Error for EvalFileError {}

/// Reads and parses a queries file (`QID<TAB>query text` per line).
pub fn read_queries(path: &Path) -> Result<Vec<Query>, EvalFileError> {
    parse_queries(path, &read(path)?)
}

/// Reads and parses a qrels file (`QID ITERATION DOCID GRADE` per line).
pub fn read_qrels(path: &Path) -> Result<Qrels, EvalFileError> {
    parse_qrels(path, &read(path)?)
}

/// Parses the text of a queries file; `path` only names the file in errors.
///
/// Ids must be unique and free of whitespace (the qrels split on it); the text is trimmed.
pub fn parse_queries(path: &Path, text: &str) -> Result<Vec<Query>, EvalFileError> {
    let mut queries = Vec::new();
    let mut first_line_of: BTreeMap<String, usize> = BTreeMap::new();
    for (line_no, line) in content_lines(text) {
        let Some((id, query)) = line.split_once('\t') else {
            return Err(EvalFileError::at(
                path,
                line_no,
                "expected `QID<TAB>query text`, found no tab",
            ));
        };
        let (id, query) = (id.trim(), query.trim());
        if id.is_empty() {
            return Err(EvalFileError::at(
                path,
                line_no,
                "expected a query id before the tab",
            ));
        }
        if id.contains(char::is_whitespace) {
            return Err(EvalFileError::at(
                path,
                line_no,
                format!("expected a query id without spaces, found `{id}`"),
            ));
        }
        if query.is_empty() {
            return Err(EvalFileError::at(
                path,
                line_no,
                format!("expected query text after the tab for query `{id}`"),
            ));
        }
        match first_line_of.entry(id.to_owned()) {
            Entry::Occupied(first) => {
                return Err(EvalFileError::at(
                    path,
                    line_no,
                    format!("query `{id}` is already given on line {}", first.get()),
                ));
            }
            Entry::Vacant(slot) => {
                slot.insert(line_no);
            }
        }
        queries.push(Query {
            id: id.to_owned(),
            text: query.to_owned(),
        });
    }
    Ok(queries)
}

/// Parses the text of a qrels file; `path` only names the file in errors.
///
/// A document judged twice for the same query is an error, even with the same grade:
/// it is usually two judges' files pasted together, and which grade wins should be decided.
pub fn parse_qrels(path: &Path, text: &str) -> Result<Qrels, EvalFileError> {
    let mut qrels = Qrels::default();
    let mut first_line_of: BTreeMap<(String, String), usize> = BTreeMap::new();
    for (line_no, line) in content_lines(text) {
        let fields: Vec<&str> = line.split_whitespace().collect();
        let [id, _iteration, doc, grade] = fields[..] else {
            return Err(EvalFileError::at(
                path,
                line_no,
                format!(
                    "expected 4 fields `QID 0 DOCID GRADE`, found {}",
                    fields.len()
                ),
            ));
        };
        let grade =
            parse_grade(grade).map_err(|message| EvalFileError::at(path, line_no, message))?;
        match first_line_of.entry((id.to_owned(), doc.to_owned())) {
            Entry::Occupied(first) => {
                return Err(EvalFileError::at(
                    path,
                    line_no,
                    format!(
                        "document `{doc}` is already judged for query `{id}` on line {}",
                        first.get()
                    ),
                ));
            }
            Entry::Vacant(slot) => {
                slot.insert(line_no);
            }
        }
        qrels.insert(id, doc, grade);
    }
    Ok(qrels)
}

/// A grade: an integer from 0 to [`MAX_GRADE`].
fn parse_grade(field: &str) -> Result<u32, String> {
    let expected = || format!("expected a grade from 0 to {MAX_GRADE}, found `{field}`");
    let grade: u32 = field.parse().map_err(|_| expected())?;
    if grade > MAX_GRADE {
        return Err(expected());
    }
    Ok(grade)
}

/// The lines that carry content, numbered from 1: not blank, not a `#` comment, `\r` removed.
fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, line)| (i + 1, line.strip_suffix('\r').unwrap_or(line)))
        .filter(|(_, line)| {
            let trimmed = line.trim();
            !trimmed.is_empty() && !trimmed.starts_with('#')
        })
}

fn read(path: &Path) -> Result<String, EvalFileError> {
    std::fs::read_to_string(path).map_err(|err| EvalFileError {
        path: path.to_owned(),
        line: None,
        message: format!("cannot read: {err}"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn queries(text: &str) -> Result<Vec<Query>, EvalFileError> {
        parse_queries(Path::new("queries.tsv"), text)
    }

    fn qrels(text: &str) -> Result<Qrels, EvalFileError> {
        parse_qrels(Path::new("qrels.txt"), text)
    }

    #[test]
    fn parses_queries_skipping_comments_and_blanks() {
        let text = "# robots\n\nq1\trobots without the cloud \r\n  # indented comment\nq2\tchip export rules\n";
        let parsed = queries(text).unwrap();
        assert_eq!(
            parsed,
            [
                Query {
                    id: "q1".into(),
                    text: "robots without the cloud".into()
                },
                Query {
                    id: "q2".into(),
                    text: "chip export rules".into()
                },
            ]
        );
    }

    #[test]
    fn query_errors_name_file_line_and_expectation() {
        let err = queries("q1\tfine\nq2 no tab here\n").unwrap_err();
        assert_eq!(err.line, Some(2));
        assert_eq!(
            err.to_string(),
            "queries.tsv:2: expected `QID<TAB>query text`, found no tab"
        );

        let err = queries("\tno id\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "queries.tsv:1: expected a query id before the tab"
        );
        let err = queries("q1\t  \n").unwrap_err();
        assert!(err.message.contains("query text"), "{err}");
        let err = queries("q 1\ttext\n").unwrap_err();
        assert!(err.message.contains("without spaces"), "{err}");
        let err = queries("q1\ta\n\nq1\tb\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "queries.tsv:3: query `q1` is already given on line 1"
        );
    }

    #[test]
    fn parses_qrels() {
        let text = "# judged by hand\nq1 0 2026-03-27/top/2 3\nq1\tQ0\t2026-03-20/insight/4\t0\n\nq2 0 d9 1\n";
        let parsed = qrels(text).unwrap();
        assert_eq!(parsed.len(), 2);
        let q1 = parsed.get("q1").unwrap();
        assert_eq!(q1.get("2026-03-27/top/2"), Some(&3));
        assert_eq!(q1.get("2026-03-20/insight/4"), Some(&0));
        assert_eq!(parsed.get("q2").unwrap().len(), 1);
        assert!(parsed.get("q3").is_none());
    }

    #[test]
    fn qrels_errors_name_file_line_and_expectation() {
        let err = qrels("q1 0 d1 1\nq1 0 d2\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "qrels.txt:2: expected 4 fields `QID 0 DOCID GRADE`, found 3"
        );
        let err = qrels("q1 0 d1 -1\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "qrels.txt:1: expected a grade from 0 to 30, found `-1`"
        );
        let err = qrels("\n\nq1 0 d1 high\n").unwrap_err();
        assert_eq!(err.line, Some(3));
        assert!(qrels("q1 0 d1 31\n").is_err());
        let err = qrels("q1 0 d1 1\nq2 0 d1 1\nq1 0 d1 2\n").unwrap_err();
        assert_eq!(
            err.to_string(),
            "qrels.txt:3: document `d1` is already judged for query `q1` on line 1"
        );
    }

    #[test]
    fn unreadable_file_names_the_path_without_a_line() {
        let path = Path::new("/nonexistent/backissue/qrels.txt");
        let err = read_qrels(path).unwrap_err();
        assert_eq!(err.line, None);
        assert!(
            err.to_string()
                .starts_with("/nonexistent/backissue/qrels.txt: cannot read"),
            "{err}"
        );
        assert!(read_queries(path).is_err());
    }

    proptest! {
        #[test]
        fn written_qrels_parse_back(
            judged in prop::collection::btree_map(("q[0-9]", "[a-z0-9/-]{1,12}"), 0..=MAX_GRADE, 0..20)
        ) {
            let text: String = judged
                .iter()
                .map(|((id, doc), grade)| format!("{id} 0 {doc} {grade}\n"))
                .collect();
            let parsed = qrels(&text).unwrap();
            for ((id, doc), grade) in &judged {
                prop_assert_eq!(parsed.get(id).and_then(|j| j.get(doc)), Some(grade));
            }
            let total: usize = parsed.iter().map(|(_, j)| j.len()).sum();
            prop_assert_eq!(total, judged.len());
        }

        #[test]
        fn arbitrary_text_never_panics(text in "[ -~\t\n#]{0,200}") {
            let _ = queries(&text);
            let _ = qrels(&text);
        }
    }
}
