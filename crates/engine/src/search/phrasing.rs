//! Readers' phrasing: relative dates and question filler, read before the words are
//! matched.
//!
//! A reader types `which companies had outages last year?`, not `outage`. Two
//! parts of such a query say nothing about the stories' words:
//!
//! - **When.** `last year`, `this month`, `past 3 weeks`, `since March`,
//!   `in 2025`, `before June 2026`, `during Q2 2025` become a date range,
//!   intersected with the request's own date filters and reported in the
//!   response. A month or year is read only after a preposition (`in`, `since`,
//!   `before`, `after`, `during`, `until`), so a name such as `Vireo 2025` keeps
//!   its number. Relative dates count from the day the search runs.
//! - **Question filler.** In a question (it starts with a question word or ends
//!   with `?`), words that only carry the question (`happened`, `going`,
//!   `tell`, the `go` of `how did … go`) are dropped along with the stop words.
//!   Written in capitals, they are names and stay.
//!
//! Quoted text is never rewritten.

use backissue_issue::Date;
use serde::{Deserialize, Serialize};

/// A date range read from the query's words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema), schema(as = QueryDates))]
pub struct DateRange {
    /// The words it was read from, as typed (`last year`).
    pub text: String,
    /// The first day included, if bounded below.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub from: Option<Date>,
    /// The last day included, if bounded above.
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>, format = Date))]
    pub to: Option<Date>,
}

/// What was read from the query before matching its words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Phrasing {
    /// The query with its date words removed (quoted text untouched).
    pub query: String,
    /// The date range the query names, if any.
    pub dates: Option<DateRange>,
    /// Whether the query is a question, whose filler words carry no content.
    pub question: bool,
}

/// Words that open a question.
const QUESTION_WORDS: &[&str] = &[
    "are", "can", "could", "did", "do", "does", "has", "have", "how", "is", "was", "were", "what",
    "whats", "what's", "when", "where", "which", "who", "whos", "who's", "why", "will",
];

/// Words that in a question only carry the asking, never what is asked about.
const QUESTION_FILLER: &[&str] = &[
    "anything",
    "go",
    "goes",
    "going",
    "gone",
    "happen",
    "happened",
    "happening",
    "happens",
    "know",
    "lately",
    "latest",
    "recently",
    "show",
    "tell",
    "went",
];

/// Whether the lowercased `word`, in a question, is filler.
pub(crate) fn is_question_filler(word: &str) -> bool {
    QUESTION_FILLER.contains(&word)
}

const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("jan", 1),
    ("february", 2),
    ("feb", 2),
    ("march", 3),
    ("mar", 3),
    ("april", 4),
    ("apr", 4),
    ("may", 5),
    ("june", 6),
    ("jun", 6),
    ("july", 7),
    ("jul", 7),
    ("august", 8),
    ("aug", 8),
    ("september", 9),
    ("sept", 9),
    ("sep", 9),
    ("october", 10),
    ("oct", 10),
    ("november", 11),
    ("nov", 11),
    ("december", 12),
    ("dec", 12),
];

/// Reads `query`, taking `today` as the day relative dates count from.
pub(crate) fn read(query: &str, today: Date) -> Phrasing {
    let tokens = tokens(query);
    let lower: Vec<String> = tokens
        .iter()
        .map(|t| t.word.to_lowercase())
        .collect::<Vec<_>>();
    let question = query.trim_end().ends_with('?')
        || lower
            .first()
            .is_some_and(|w| QUESTION_WORDS.contains(&w.as_str()));
    let mut dates = None;
    let mut cut: Option<(usize, usize)> = None;
    for start in 0..tokens.len() {
        if tokens[start].quoted {
            continue;
        }
        let rest: Vec<&str> = lower[start..]
            .iter()
            .zip(&tokens[start..])
            .take_while(|(_, t)| !t.quoted)
            .map(|(w, _)| w.as_str())
            .collect();
        if let Some((len, from, to)) = date_at(&rest, today) {
            let end = start + len;
            let text = query[tokens[start].start..tokens[end - 1].end].to_string();
            dates = Some(DateRange { text, from, to });
            cut = Some((tokens[start].start, tokens[end - 1].end));
            break;
        }
    }
    let query = match cut {
        Some((a, b)) => {
            let mut q = String::with_capacity(query.len());
            q.push_str(&query[..a]);
            q.push(' ');
            // Words after the date are kept; a query that ended with the date
            // ends with a space, so its last word is not taken as still typed.
            if query[b..].chars().any(char::is_alphanumeric) {
                q.push_str(&query[b..]);
            }
            q
        }
        None => query.to_string(),
    };
    Phrasing {
        query,
        dates,
        question,
    }
}

struct Token<'a> {
    word: &'a str,
    start: usize,
    end: usize,
    quoted: bool,
}

/// Whitespace-separated words with surrounding punctuation trimmed, and whether
/// each is inside quotes.
fn tokens(query: &str) -> Vec<Token<'_>> {
    let mut spans = Vec::new();
    let mut quoted = false;
    let mut start = None;
    for (i, c) in query.char_indices() {
        let quote = matches!(c, '"' | '“' | '”' | '„');
        if c.is_whitespace() || quote {
            if let Some(s) = start.take() {
                spans.push((s, i, quoted));
            }
            if quote {
                quoted = !quoted;
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        spans.push((s, query.len(), quoted));
    }
    spans
        .into_iter()
        .filter_map(|(s, e, quoted)| {
            let raw = &query[s..e];
            let trimmed = raw.trim_matches(|c: char| !c.is_alphanumeric());
            let offset = raw.find(trimmed)?;
            (!trimmed.is_empty()).then(|| Token {
                word: trimmed,
                start: s + offset,
                end: s + offset + trimmed.len(),
                quoted,
            })
        })
        .collect()
}

type Found = (usize, Option<Date>, Option<Date>);

/// The date expression that `words` (lowercased) begin with: how many words it
/// takes, and its first and last days.
fn date_at(words: &[&str], today: Date) -> Option<Found> {
    let first = *words.first()?;
    match first {
        "this" | "last" | "past" | "previous" => relative(words, today),
        "in" | "during" | "since" | "from" | "before" | "until" | "till" | "after" => {
            let (len, period) = period(&words[1..], today)?;
            let (from, to) = period;
            let (from, to) = match first {
                "since" | "from" => (Some(from), None),
                "before" => (None, from.add_days(-1)),
                "until" | "till" => (None, Some(to)),
                "after" => (to.add_days(1), None),
                _ => (Some(from), Some(to)),
            };
            Some((len + 1, from, to))
        }
        _ => None,
    }
}

/// `this year`, `last month`, `past 3 weeks`, `last week`.
fn relative(words: &[&str], today: Date) -> Option<Found> {
    let which = words[0];
    let (count, unit, len) = match words.get(1..) {
        Some([n, unit, ..]) if n.parse::<u32>().is_ok_and(|n| (1..=120).contains(&n)) => {
            (n.parse::<i64>().ok()?, *unit, 3)
        }
        Some([unit, ..]) => (1, *unit, 2),
        _ => return None,
    };
    let unit = unit.trim_end_matches('s');
    let plural = len == 3;
    if plural && which == "this" {
        return None;
    }
    if plural || which == "past" {
        let days = match unit {
            "day" => count,
            "week" => 7 * count,
            "month" => 30 * count,
            "year" => 365 * count,
            _ => return None,
        };
        return Some((len, today.add_days(-days), Some(today)));
    }
    let back = i64::from(which != "this");
    let (from, to) = match unit {
        "week" => {
            let start = today.week_start().add_days(-7 * back)?;
            (start, start.add_days(6)?)
        }
        "month" => {
            let (mut y, mut m) = (today.year(), today.month());
            if back == 1 {
                if m == 1 {
                    y -= 1;
                    m = 12;
                } else {
                    m -= 1;
                }
            }
            month_range(y, m)?
        }
        "year" => year_range(today.year() - back as i32)?,
        _ => return None,
    };
    Some((len, Some(from), Some(to.min(today).max(from))))
}

/// A period after a preposition: `2025`, `March`, `March 2025`, `Q2 2025`.
fn period(words: &[&str], today: Date) -> Option<(usize, (Date, Date))> {
    let first = *words.first()?;
    if let Some(year) = year(first) {
        return Some((1, year_range(year)?));
    }
    if let Some(q) = first
        .strip_prefix('q')
        .and_then(|q| q.parse::<u32>().ok())
        .filter(|q| (1..=4).contains(q))
    {
        let y = words.get(1).and_then(|w| year(w));
        let y = y.unwrap_or(today.year());
        let (from, _) = month_range(y, 3 * q - 2)?;
        let (_, to) = month_range(y, 3 * q)?;
        return Some((
            1 + usize::from(words.get(1).and_then(|w| year(w)).is_some()),
            (from, to),
        ));
    }
    let month = MONTHS.iter().find(|(name, _)| *name == first)?.1;
    match words.get(1).and_then(|w| year(w)) {
        Some(y) => Some((2, month_range(y, month)?)),
        None => {
            // The latest such month that has begun.
            let y = if month <= today.month() {
                today.year()
            } else {
                today.year() - 1
            };
            Some((1, month_range(y, month)?))
        }
    }
}

fn year(word: &str) -> Option<i32> {
    if word.len() != 4 {
        return None;
    }
    word.parse::<i32>()
        .ok()
        .filter(|y| (1900..=2199).contains(y))
}

fn year_range(year: i32) -> Option<(Date, Date)> {
    Some((Date::new(year, 1, 1)?, Date::new(year, 12, 31)?))
}

fn month_range(year: i32, month: u32) -> Option<(Date, Date)> {
    let from = Date::new(year, month, 1)?;
    let next = if month == 12 {
        Date::new(year + 1, 1, 1)?
    } else {
        Date::new(year, month + 1, 1)?
    };
    Some((from, next.add_days(-1)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        s.parse().unwrap()
    }

    fn range(query: &str) -> (String, Option<String>, Option<String>, String) {
        let p = read(query, d("2026-12-03"));
        let r = p.dates.expect("a date range");
        (
            r.text,
            r.from.map(|d| d.to_string()),
            r.to.map(|d| d.to_string()),
            p.query.split_whitespace().collect::<Vec<_>>().join(" "),
        )
    }

    fn s(x: &str) -> Option<String> {
        Some(x.to_string())
    }

    #[test]
    fn relative_periods_count_from_today() {
        assert_eq!(
            range("which companies had outages last year?"),
            (
                "last year".into(),
                s("2025-01-01"),
                s("2025-12-31"),
                "which companies had outages".into()
            )
        );
        assert_eq!(
            range("layoffs this month"),
            (
                "this month".into(),
                s("2026-12-01"),
                s("2026-12-03"),
                "layoffs".into()
            )
        );
        assert_eq!(range("funding last month").1, s("2026-11-01"));
        assert_eq!(range("recalls in the past 3 weeks").1, s("2026-11-12"));
        assert_eq!(range("recalls last 2 months").1, s("2026-10-04"));
        assert_eq!(range("this week robots").1, s("2026-11-30"));
    }

    #[test]
    fn named_periods_need_a_preposition() {
        assert_eq!(
            range("chip export controls since March"),
            (
                "since March".into(),
                s("2026-03-01"),
                None,
                "chip export controls".into()
            )
        );
        assert_eq!(range("outages in 2025").2, s("2025-12-31"));
        assert_eq!(range("outages before June 2026").2, s("2026-05-31"));
        assert_eq!(range("acquisitions during Q2 2025").1, s("2025-04-01"));
        assert_eq!(range("acquisitions after 2025").1, s("2026-01-01"));
        // A month is the latest that has begun.
        assert_eq!(range("what happened in December").1, s("2026-12-01"));
        let march = read("outages in December", d("2026-03-05")).dates.unwrap();
        assert_eq!(march.from, Some(d("2025-12-01")));
        assert!(read("Vireo 2025 benchmark", d("2026-12-03"))
            .dates
            .is_none());
        assert!(read("\"last year\" in quotes", d("2026-12-03"))
            .dates
            .is_none());
        assert!(read("may cut jobs", d("2026-12-03")).dates.is_none());
    }

    #[test]
    fn questions_are_told_from_statements() {
        let today = d("2026-12-03");
        assert!(read("who is the new CEO of Jasperline Bio", today).question);
        assert!(read("outages at banks?", today).question);
        assert!(!read("bank outages", today).question);
        assert!(is_question_filler("happened") && !is_question_filler("outage"));
    }
}
