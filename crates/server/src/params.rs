//! Reading query strings strictly: every mistake is our JSON 400 naming the parameter.
//!
//! axum's `Query` extractor answers a malformed query string with a plain-text
//! rejection and cannot read repeated keys into lists; [`QueryPairs`] does both our
//! way. Lists may be given repeated (`sector=Tech&sector=Energy`) or comma-separated
//! (`sector=Tech,Energy`). A key the route does not know is an error too, so a typo
//! (`sectr=Tech`) is never silently ignored.

use std::any::TypeId;
use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{OnceLock, RwLock};

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use utoipa::openapi::path::ParameterIn;

use crate::config::Limits;
use crate::error::ApiError;
use crate::state::AppState;

/// Most values read for one list parameter, repeated or comma-separated, before
/// duplicates collapse: a bound on the work a request can ask for.
pub const MAX_LIST_ITEMS: usize = 100;

/// One route's query string as one struct: the struct documents its parameters in
/// the OpenAPI document (utoipa's `IntoParams`), reads them strictly with the caps
/// of [`Limits`], and builds the engine's request; the API and the pages both read
/// through it, so the parameters a route documents are exactly those it accepts.
pub trait QueryModel: utoipa::IntoParams + Sized + 'static {
    /// Reads the fields from `query`, whose keys are already known to be this
    /// struct's parameters; every mistake names its parameter.
    fn read_fields(query: &QueryPairs, limits: &Limits) -> Result<Self, ApiError>;

    /// Reads the struct from `query`: a key it does not document is a 400 listing
    /// those it does.
    fn read(query: &QueryPairs, limits: &Limits) -> Result<Self, ApiError> {
        query.only_documented::<Self>()?;
        Self::read_fields(query, limits)
    }
}

/// The query parameter names `T` documents, in order: worked out from its OpenAPI
/// description once per type, then a lookup (the widget's route reads them on
/// every request).
pub fn documented_names<T: utoipa::IntoParams + 'static>() -> &'static [&'static str] {
    type Table = HashMap<TypeId, &'static [&'static str]>;
    static NAMES: OnceLock<RwLock<Table>> = OnceLock::new();
    let table = NAMES.get_or_init(Default::default);
    let key = TypeId::of::<T>();
    if let Some(names) = table.read().ok().and_then(|t| t.get(&key).copied()) {
        return names;
    }
    let names: Vec<&'static str> = T::into_params(|| Some(ParameterIn::Query))
        .into_iter()
        .map(|parameter| &*parameter.name.leak())
        .collect();
    // One small leak per parameter struct, of which there are a handful.
    let names: &'static [&'static str] = names.leak();
    if let Ok(mut t) = table.write() {
        t.entry(key).or_insert(names);
    }
    names
}

/// The extractor of a route's [`QueryModel`], read with the server's limits.
#[derive(Debug, Clone)]
pub struct Params<T>(pub T);

impl<T: QueryModel> FromRequestParts<AppState> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let query = QueryPairs::parse(parts.uri.query().unwrap_or(""))?;
        Ok(Params(T::read(&query, &state.config().limits)?))
    }
}

/// The decoded `key=value` pairs of a query string, in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QueryPairs {
    pairs: Vec<(String, String)>,
}

impl<S: Send + Sync> FromRequestParts<S> for QueryPairs {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        QueryPairs::parse(parts.uri.query().unwrap_or(""))
    }
}

impl QueryPairs {
    /// Decodes `query` (`a=1&b=x+y&c=%C3%A9`): `+` is a space, `%XX` a byte, and the
    /// bytes must be UTF-8.
    pub fn parse(query: &str) -> Result<QueryPairs, ApiError> {
        let mut pairs = Vec::new();
        for part in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=').unwrap_or((part, ""));
            let key = decode(key).map_err(|problem| {
                ApiError::bad_parameter(
                    "query string",
                    format!("parameter name {key:?}: {problem}"),
                )
            })?;
            let value = decode(value).map_err(|problem| ApiError::bad_parameter(&key, problem))?;
            pairs.push((key, value));
        }
        Ok(QueryPairs { pairs })
    }

    /// Fails on the first key not in `known`, listing the keys accepted.
    pub fn only(&self, known: &[&str]) -> Result<&Self, ApiError> {
        if let Some((key, _)) = self
            .pairs
            .iter()
            .find(|(k, _)| !known.contains(&k.as_str()))
        {
            return Err(ApiError::bad_parameter(
                key,
                format!("unknown parameter; this route accepts {}", known.join(", ")),
            ));
        }
        Ok(self)
    }

    /// Fails on the first key that `T` does not document, listing those it does.
    pub fn only_documented<T: utoipa::IntoParams + 'static>(&self) -> Result<&Self, ApiError> {
        self.only(documented_names::<T>())
    }

    /// The value of `name`, which may be given once at most.
    pub fn one<'a>(&'a self, name: &str) -> Result<Option<&'a str>, ApiError> {
        let mut values = self.values(name);
        let first = values.next();
        if values.next().is_some() {
            return Err(ApiError::bad_parameter(
                name,
                "given more than once; give it once",
            ));
        }
        Ok(first)
    }

    /// The value of `name`, which must be given.
    pub fn required<'a>(&'a self, name: &str) -> Result<&'a str, ApiError> {
        self.one(name)?
            .filter(|v| !v.trim().is_empty())
            .ok_or_else(|| ApiError::bad_parameter(name, "missing; this route needs it"))
    }

    /// Every value of `name`, repeated or comma-separated, trimmed, blanks dropped.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.values(name)
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// The distinct values of filter `name` ([`QueryPairs::list`]), spellings with
    /// the same slug (`Tech`, `tEcH*~`) collapsed into the first. An error: `name`
    /// given more than `max` times (blank and repeated values count: the OpenAPI
    /// document's `maxItems`), more than [`MAX_LIST_ITEMS`] values with the
    /// comma-separated ones, or more than `max` distinct values.
    pub fn filter(&self, name: &str, max: usize) -> Result<Vec<String>, ApiError> {
        let times = self.values(name).count();
        if times > max {
            return Err(ApiError::bad_parameter(
                name,
                format!("{times} values given, more than the {max} accepted"),
            ));
        }
        let given = self.list(name);
        if given.len() > MAX_LIST_ITEMS {
            return Err(ApiError::bad_parameter(
                name,
                format!(
                    "{} values given, more than the {MAX_LIST_ITEMS} read",
                    given.len()
                ),
            ));
        }
        let mut seen = std::collections::HashSet::new();
        let distinct: Vec<String> = given
            .into_iter()
            .filter(|value| seen.insert(backissue_issue::id::slug(value)))
            .collect();
        if distinct.len() > max {
            return Err(ApiError::bad_parameter(
                name,
                format!(
                    "{} distinct values, more than the {max} accepted",
                    distinct.len()
                ),
            ));
        }
        Ok(distinct)
    }

    /// The same pairs without blank values: what a web form sends for a field left
    /// empty (`from=&to=&level=`), which means "not given" on a page.
    pub fn without_blanks(&self) -> QueryPairs {
        QueryPairs {
            pairs: self
                .pairs
                .iter()
                .filter(|(_, v)| !v.trim().is_empty())
                .cloned()
                .collect(),
        }
    }

    /// The same pairs without those whose key `drop` says to.
    pub fn without(&self, drop: impl Fn(&str) -> bool) -> QueryPairs {
        QueryPairs {
            pairs: self
                .pairs
                .iter()
                .filter(|(k, _)| !drop(k))
                .cloned()
                .collect(),
        }
    }

    /// The value of `name` read as a `T`; `expected` says what is accepted.
    pub fn parsed<T: FromStr>(&self, name: &str, expected: &str) -> Result<Option<T>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some(text) => {
                text.trim().parse().map(Some).map_err(|_| {
                    ApiError::bad_parameter(name, format!("{text:?} is not {expected}"))
                })
            }
        }
    }

    /// A whole number of `name` in `min..=max`.
    pub fn number(&self, name: &str, min: usize, max: usize) -> Result<Option<usize>, ApiError> {
        let expected = format!("a whole number from {min} to {max}");
        let value: Option<usize> = self.parsed(name, &expected)?;
        match value {
            Some(n) if !(min..=max).contains(&n) => Err(ApiError::bad_parameter(
                name,
                format!("{n} is outside the accepted range: expected {expected}"),
            )),
            other => Ok(other),
        }
    }

    /// `true`/`false` (also `1`/`0`, `yes`/`no`).
    pub fn flag(&self, name: &str) -> Result<Option<bool>, ApiError> {
        match self.one(name)?.map(|v| v.trim().to_ascii_lowercase()) {
            None => Ok(None),
            Some(v) => match v.as_str() {
                "true" | "1" | "yes" => Ok(Some(true)),
                "false" | "0" | "no" => Ok(Some(false)),
                _ => Err(ApiError::bad_parameter(
                    name,
                    format!("{v:?} is not true or false"),
                )),
            },
        }
    }

    /// One of `choices` (case-insensitive).
    pub fn choice<'c>(&self, name: &str, choices: &[&'c str]) -> Result<Option<&'c str>, ApiError> {
        match self.one(name)? {
            None => Ok(None),
            Some(v) => choices
                .iter()
                .find(|c| c.eq_ignore_ascii_case(v.trim()))
                .copied()
                .map(Some)
                .ok_or_else(|| {
                    ApiError::bad_parameter(
                        name,
                        format!("{v:?}: expected one of {}", choices.join(", ")),
                    )
                }),
        }
    }

    /// The pairs, sorted by key then value: a canonical form for cache keys.
    pub fn canonical(&self) -> String {
        let mut pairs = self.pairs.clone();
        pairs.sort();
        pairs
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join("&")
    }

    fn values<'a, 'n>(&'a self, name: &'n str) -> impl Iterator<Item = &'a str> + use<'a, 'n> {
        self.pairs
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Percent-decodes `text` (`+` is a space); the bytes must be UTF-8.
pub fn decode(text: &str) -> Result<String, String> {
    decode_bytes(text, true)
}

/// Percent-decodes a path segment (`+` stays `+`).
pub fn decode_path(text: &str) -> Result<String, String> {
    decode_bytes(text, false)
}

fn decode_bytes(text: &str, plus_is_space: bool) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = bytes
                    .get(i + 1..i + 3)
                    .and_then(|h| std::str::from_utf8(h).ok());
                let byte = hex
                    .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()))
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                    .ok_or_else(|| {
                        format!("bad percent-encoding at byte {i}: `%` must be followed by two hex digits")
                    })?;
                out.push(byte);
                i += 3;
            }
            b'+' if plus_is_space => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out)
        .map_err(|_| "bad percent-encoding: the decoded bytes are not UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorCode;

    #[derive(utoipa::IntoParams)]
    #[into_params(parameter_in = Query)]
    #[allow(dead_code)]
    struct Two {
        /// One.
        first: Option<String>,
        /// Two.
        #[param(rename = "for")]
        second: Option<u32>,
    }

    #[test]
    fn the_documented_names_are_the_accepted_ones_worked_out_once() {
        let names = documented_names::<Two>();
        assert_eq!(names, ["first", "for"]);
        assert!(std::ptr::eq(names, documented_names::<Two>()));
        let query = QueryPairs::parse("first=a&for=1").unwrap();
        assert!(query.only_documented::<Two>().is_ok());
        let error = QueryPairs::parse("second=1")
            .unwrap()
            .only_documented::<Two>()
            .unwrap_err();
        assert!(
            error.message.contains("accepts first, for"),
            "{}",
            error.message
        );
    }

    #[test]
    fn decodes_lists_repeated_and_comma_separated() {
        let q =
            QueryPairs::parse("q=robots+that%20walk&sector=Tech,Energy&sector=Finance+%26+Banking")
                .unwrap();
        assert_eq!(q.one("q").unwrap(), Some("robots that walk"));
        assert_eq!(q.list("sector"), ["Tech", "Energy", "Finance & Banking"]);
        assert_eq!(q.one("missing").unwrap(), None);
    }

    #[test]
    fn mistakes_name_the_parameter() {
        let error = QueryPairs::parse("q=%zz").unwrap_err();
        assert_eq!(error.code, ErrorCode::BadParameter);
        assert!(
            error.message.starts_with("q: bad percent-encoding"),
            "{}",
            error.message
        );
        let error = QueryPairs::parse("q=%ff").unwrap_err();
        assert!(error.message.contains("not UTF-8"), "{}", error.message);
        let q = QueryPairs::parse("limit=x&limit=2&sectr=Tech&n=200").unwrap();
        assert!(q
            .one("limit")
            .unwrap_err()
            .message
            .contains("more than once"));
        assert!(q
            .only(&["limit"])
            .unwrap_err()
            .message
            .starts_with("sectr: unknown parameter"));
        assert!(q
            .number("n", 1, 100)
            .unwrap_err()
            .message
            .contains("outside"));
        assert_eq!(q.number("absent", 1, 100).unwrap(), None);
    }

    #[test]
    fn filter_values_collapse_by_slug_and_are_capped() {
        let q = QueryPairs::parse("sector=Tech&sector=tEcH*~,Tech!$&sector=Energy").unwrap();
        assert_eq!(q.filter("sector", 3).unwrap(), ["Tech", "Energy"]);
        let error = q.filter("sector", 2).unwrap_err();
        assert!(
            error
                .message
                .starts_with("sector: 3 values given, more than the 2 accepted"),
            "{}",
            error.message
        );
        let q = QueryPairs::parse("sector=Tech,Energy,Tech!$").unwrap();
        let error = q.filter("sector", 1).unwrap_err();
        assert!(
            error
                .message
                .starts_with("sector: 2 distinct values, more than the 1"),
            "{}",
            error.message
        );
        // Blank values count as given (the document's `maxItems`), though they mean
        // "any".
        let blanks = QueryPairs::parse(&"sector=&".repeat(21)).unwrap();
        assert!(blanks.filter("sector", 20).is_err());
        let blanks = QueryPairs::parse(&"sector=&".repeat(20)).unwrap();
        assert_eq!(blanks.filter("sector", 20).unwrap(), Vec::<String>::new());
        let bomb = "sector=Tech&".repeat(MAX_LIST_ITEMS + 1);
        let error = QueryPairs::parse(&bomb)
            .unwrap()
            .filter("sector", 20)
            .unwrap_err();
        assert!(error.message.contains("values given"), "{}", error.message);
        let bomb = format!("sector={}", "Tech,".repeat(MAX_LIST_ITEMS + 1));
        let error = QueryPairs::parse(&bomb)
            .unwrap()
            .filter("sector", 20)
            .unwrap_err();
        assert!(error.message.contains("values given"), "{}", error.message);
    }

    #[test]
    fn path_segments_keep_plus() {
        assert_eq!(
            decode_path("2025-02-14%2Ftop%2F1+x").unwrap(),
            "2025-02-14/top/1+x"
        );
    }
}
