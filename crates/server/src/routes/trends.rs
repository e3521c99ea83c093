//! `GET /api/trends/…`: how terms, names, sectors, regions and sources move across
//! the archive's weeks; rising, falling and bursting topics; co-occurrence.
//!
//! Every route answers JSON, or CSV with `?format=csv` or `Accept: text/csv`.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use backissue_engine::analytics::{BurstParams, RisingParams};
use backissue_engine::trends::{
    self, ArchiveWeek, BurstWeeks, Cooccurrence, Movement, TopicKind, TopicRanking, TopicTable,
    TrendQuery, TrendSeries, Trends,
};
use backissue_engine::Index;
use backissue_issue::{id::slug, Region, Sector, Source};
use serde::Serialize;

use super::{blocking, csv_asked, csv_field, format, json_or_csv};
use crate::config::Limits;
use crate::error::{ApiError, ErrorBody};
use crate::params::{Params, QueryModel, QueryPairs};
use crate::routes::search::check_length;
use crate::state::AppState;

/// Topics or bursts listed when `limit` is not given.
const DEFAULT_LIMIT: usize = 10;

/// Most topics or bursts one answer lists.
pub const MAX_LIMIT: usize = 100;

/// What a trend counts, read and checked: the query string of the series and
/// co-occurrence routes. Every part given must match; at least one is needed.
#[derive(Debug, Clone, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TrendParams {
    /// A word or phrase in titles and bodies (`memory shortage`; any form of the words).
    #[param(value_type = Option<String>)]
    pub term: Option<String>,
    /// A name, whole (`Lysandra Capital`).
    #[param(value_type = Option<String>)]
    pub name: Option<String>,
    /// A keyword query: `"quoted parts"` are phrases, the rest one phrase.
    #[param(value_type = Option<String>)]
    pub q: Option<String>,
    /// A sector (`Energy`, `finance-banking`).
    #[param(value_type = Option<String>)]
    pub sector: Option<String>,
    /// A region (`India`, `south-korea`).
    #[param(value_type = Option<String>)]
    pub region: Option<String>,
    /// A source (`TechCrunch`).
    #[param(value_type = Option<String>)]
    pub source: Option<String>,
    /// `json` (default) or `csv`; `Accept: text/csv` also gives CSV.
    #[param(value_type = Option<String>)]
    pub format: Option<&'static str>,
}

impl QueryModel for TrendParams {
    fn read_fields(query: &QueryPairs, limits: &Limits) -> Result<Self, ApiError> {
        let text = |name: &str| -> Result<Option<String>, ApiError> {
            let value = query.one(name)?.map(str::trim).filter(|v| !v.is_empty());
            if let Some(value) = value {
                check_length(name, value, limits.max_query_chars)?;
            }
            Ok(value.map(str::to_string))
        };
        Ok(TrendParams {
            term: text("term")?,
            name: text("name")?,
            q: text("q")?,
            sector: text("sector")?,
            region: text("region")?,
            source: text("source")?,
            format: format(query)?,
        })
    }
}

impl TrendParams {
    /// Whether any part of a query is given.
    pub fn asks(&self) -> bool {
        [
            &self.term,
            &self.name,
            &self.q,
            &self.sector,
            &self.region,
            &self.source,
        ]
        .iter()
        .any(|part| part.is_some())
    }

    /// The engine's query, its facet values checked against the vocabulary and the
    /// index (a value neither knows is a 400 naming it).
    pub fn trend(&self, index: &Index) -> Result<TrendQuery, ApiError> {
        let docs = index.documents();
        Ok(TrendQuery {
            term: self.term.clone(),
            name: self.name.clone(),
            query: self.q.clone(),
            sector: self
                .sector
                .as_deref()
                .map(|v| {
                    resolve(
                        "sector",
                        v,
                        Sector::KNOWN,
                        docs.iter().flat_map(|d| &d.sectors),
                        Sector::as_str,
                    )
                })
                .transpose()?,
            region: self
                .region
                .as_deref()
                .map(|v| {
                    resolve(
                        "region",
                        v,
                        Region::KNOWN,
                        docs.iter().flat_map(|d| &d.regions),
                        Region::as_str,
                    )
                })
                .transpose()?,
            source: self
                .source
                .as_deref()
                .map(|v| {
                    resolve(
                        "source",
                        v,
                        Source::KNOWN,
                        docs.iter().filter_map(|d| d.source.as_ref()),
                        Source::as_str,
                    )
                })
                .transpose()?,
        })
    }
}

/// The ranking windows of the rising and falling routes, read and checked.
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MovementParams {
    /// The week ranked: `latest` (default), `2026-W13`, or a date in the week.
    #[param(value_type = Option<String>)]
    pub week: Option<String>,
    /// Topics listed, 1 to 100 (default 10).
    #[param(value_type = Option<usize>)]
    pub limit: usize,
    /// Weeks in the recent window, 1 to 52 (default 4).
    #[param(value_type = Option<usize>)]
    pub recent_weeks: usize,
    /// Weeks in the baseline window before it, 1 to 156 (default 26).
    #[param(value_type = Option<usize>)]
    pub baseline_weeks: usize,
    /// Least mentions in the window that counts (default 2).
    #[param(value_type = Option<f64>)]
    pub min_support: f64,
    /// `json` (default) or `csv`.
    #[param(value_type = Option<String>)]
    pub format: Option<&'static str>,
}

impl QueryModel for MovementParams {
    fn read_fields(query: &QueryPairs, _limits: &Limits) -> Result<Self, ApiError> {
        let defaults = trends::DEFAULT_RISING;
        Ok(MovementParams {
            week: query.one("week")?.map(str::to_string),
            limit: query
                .number("limit", 1, MAX_LIMIT)?
                .unwrap_or(DEFAULT_LIMIT),
            recent_weeks: query
                .number("recent_weeks", 1, 52)?
                .unwrap_or(defaults.recent_weeks),
            baseline_weeks: query
                .number("baseline_weeks", 1, 156)?
                .unwrap_or(defaults.baseline_weeks),
            min_support: query
                .parsed("min_support", "a number of at least 0")?
                .unwrap_or(defaults.min_support),
            format: format(query)?,
        })
    }
}

impl MovementParams {
    /// The engine's parameters.
    pub fn rising(&self) -> RisingParams {
        RisingParams {
            recent_weeks: self.recent_weeks,
            baseline_weeks: self.baseline_weeks,
            min_support: self.min_support,
            ..trends::DEFAULT_RISING
        }
    }
}

/// The burst detector's parameters, read and checked.
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BurstFields {
    /// Bursts listed, 1 to 100 (default 10).
    #[param(value_type = Option<usize>)]
    pub limit: usize,
    /// The burst state's rate over the usual rate, above 1 (default 3).
    #[param(value_type = Option<f64>)]
    pub s: f64,
    /// The cost of entering a burst, at least 0 (default 0.5).
    #[param(value_type = Option<f64>)]
    pub gamma: f64,
}

/// The query string of `GET /api/trends/bursts`: the detector's parameters and,
/// optionally, a query (the series' own [`TrendParams`]: with any of `term`, `name`,
/// `q`, `sector`, `region`, `source`, the bursts of that query instead of every
/// topic's strongest).
#[derive(Debug, Clone)]
pub struct BurstQuery {
    /// The detector's parameters.
    pub fields: BurstFields,
    /// The query, if any, and the format.
    pub trend: TrendParams,
}

/// Documented as the detector's parameters followed by the series' own.
impl utoipa::IntoParams for BurstQuery {
    fn into_params(
        parameter_in_provider: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let mut params = BurstFields::into_params(&parameter_in_provider);
        params.extend(TrendParams::into_params(&parameter_in_provider));
        params
    }
}

impl QueryModel for BurstQuery {
    fn read_fields(query: &QueryPairs, limits: &Limits) -> Result<Self, ApiError> {
        let defaults = trends::DEFAULT_BURST;
        Ok(BurstQuery {
            fields: BurstFields {
                limit: query
                    .number("limit", 1, MAX_LIMIT)?
                    .unwrap_or(DEFAULT_LIMIT),
                s: query.parsed("s", "a number above 1")?.unwrap_or(defaults.s),
                gamma: query
                    .parsed("gamma", "a number of at least 0")?
                    .unwrap_or(defaults.gamma),
            },
            // The query's parts are read by the series' own rules.
            trend: TrendParams::read_fields(query, limits)?,
        })
    }
}

impl BurstQuery {
    /// The detector's parameters.
    pub fn burst(&self) -> BurstParams {
        BurstParams {
            s: self.fields.s,
            gamma: self.fields.gamma,
        }
    }

    /// The query asked about, if any part of one is given.
    pub fn trend(&self) -> Option<TrendParams> {
        self.trend.asks().then(|| self.trend.clone())
    }
}

/// The query string of `GET /api/trends/weeks`.
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WeeksQuery {
    /// `json` (default) or `csv`.
    #[param(value_type = Option<String>)]
    pub format: Option<&'static str>,
}

impl QueryModel for WeeksQuery {
    fn read_fields(query: &QueryPairs, _limits: &Limits) -> Result<Self, ApiError> {
        Ok(WeeksQuery {
            format: format(query)?,
        })
    }
}

/// The value of `known` or `in_index` spelled `text` (as written, any case, or as a slug).
fn resolve<'a, T: Clone + 'a>(
    parameter: &str,
    text: &str,
    known: &'a [T],
    in_index: impl Iterator<Item = &'a T>,
    spell: impl Fn(&T) -> &str,
) -> Result<T, ApiError> {
    let wanted = slug(text);
    known
        .iter()
        .chain(in_index)
        .find(|v| spell(v).eq_ignore_ascii_case(text) || slug(spell(v)) == wanted)
        .cloned()
        .ok_or_else(|| {
            let names: Vec<&str> = known.iter().map(&spell).collect();
            ApiError::bad_parameter(
                parameter,
                format!(
                    "unknown value {text:?}: expected one of {} (or a value in the archive)",
                    names.join(", ")
                ),
            )
        })
}

/// One query's matching events, week by week.
#[utoipa::path(
    get,
    path = "/api/trends/series",
    tag = "trends",
    params(TrendParams),
    responses(
        (status = 200, description = "Every week's matching events, total and share (CSV: `week,monday,events,total,share`)", body = TrendSeries),
        (status = 400, description = "Nothing to count, or an unknown sector, region or source", body = ErrorBody),
    )
)]
pub async fn series(
    State(state): State<AppState>,
    Params(query): Params<TrendParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    counted(
        state,
        query,
        headers,
        |t, q, _| t.series(q),
        TrendSeries::to_csv,
    )
    .await
}

/// Answers a count of the trend the query's parameters select, as JSON or CSV.
async fn counted<T: serde::Serialize + Send + 'static>(
    state: AppState,
    query: TrendParams,
    headers: HeaderMap,
    count: fn(&Trends, &TrendQuery, &TopicTable) -> Result<T, backissue_engine::Error>,
    to_csv: fn(&T) -> String,
) -> Result<Response, ApiError> {
    let csv = csv_asked(query.format, &headers);
    let engine = state.engine()?;
    let answer = blocking(&state, move || {
        let trend = query.trend(engine.index())?;
        Ok(count(engine.trends(), &trend, engine.topics())?)
    })
    .await?;
    Ok(json_or_csv(csv, answer, to_csv))
}

/// Names and topics the co-occurrence answer lists.
const COOCCURRING_TOPICS: usize = 30;

/// Which sectors, regions, names and topics a query's events carry.
#[utoipa::path(
    get,
    path = "/api/trends/cooccurrence",
    tag = "trends",
    params(TrendParams),
    responses(
        (status = 200, description = "Matching events per sector and region, overall and by week, and the names and topics in the same events with their lift (CSV: `week,facet,value,events,lift`, week `all` for the totals, facet `topic:KIND` for topics)", body = Cooccurrence),
        (status = 400, description = "Nothing to count, or an unknown value", body = ErrorBody),
    )
)]
pub async fn cooccurrence(
    State(state): State<AppState>,
    Params(query): Params<TrendParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    counted(
        state,
        query,
        headers,
        |t, q, topics| t.cooccurrence(q, topics, COOCCURRING_TOPICS),
        Cooccurrence::to_csv,
    )
    .await
}

/// The topics rising most at a week.
#[utoipa::path(
    get,
    path = "/api/trends/rising",
    tag = "trends",
    params(MovementParams),
    responses(
        (status = 200, description = "Topics (names and phrases) rising most, strongest first", body = TopicRanking),
        (status = 400, description = "A malformed week, or a window or limit out of range", body = ErrorBody),
        (status = 404, description = "A well-formed week outside the archive (`unknown_week`; the message gives the archive's first and last weeks)", body = ErrorBody),
    )
)]
pub async fn rising(
    state: State<AppState>,
    Params(query): Params<MovementParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    movement(state, query, headers, Movement::Rising).await
}

/// The topics falling most at a week.
#[utoipa::path(
    get,
    path = "/api/trends/falling",
    tag = "trends",
    params(MovementParams),
    responses(
        (status = 200, description = "Topics falling most, steepest first", body = TopicRanking),
        (status = 400, description = "A malformed week, or a window or limit out of range", body = ErrorBody),
        (status = 404, description = "A well-formed week outside the archive (`unknown_week`; the message gives the archive's first and last weeks)", body = ErrorBody),
    )
)]
pub async fn falling(
    state: State<AppState>,
    Params(query): Params<MovementParams>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    movement(state, query, headers, Movement::Falling).await
}

async fn movement(
    State(state): State<AppState>,
    query: MovementParams,
    headers: HeaderMap,
    movement: Movement,
) -> Result<Response, ApiError> {
    let csv = csv_asked(query.format, &headers);
    let params = query.rising();
    let limit = query.limit;
    let week = query.week;
    let engine = state.engine()?;
    let ranking = blocking(&state, move || {
        let table = engine.topics();
        let week = match table.weeks.resolve(week.as_deref()) {
            Ok(at) => at,
            // A well-formed week that is not the archive's: nothing there to rank.
            Err(backissue_engine::Error::InvalidRequest { message, .. })
                if week
                    .as_deref()
                    .is_some_and(|text| trends::parse_week(text.trim()).is_some()) =>
            {
                return Err(ApiError::new(
                    crate::error::ErrorCode::UnknownWeek,
                    format!("week: {message}"),
                ));
            }
            Err(error) => return Err(error.into()),
        };
        Ok(trends::rank_topics(table, week, movement, limit, &params)?)
    })
    .await?;
    Ok(json_or_csv(csv, ranking, TopicRanking::to_csv))
}

/// A burst of one topic, or of the query asked about.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[schema(as = TopicBurst)]
pub struct BurstView {
    /// The topic, or the query's label for a query's own bursts.
    pub topic: String,
    /// The topic's kind (null for a query's own bursts).
    pub kind: Option<TopicKind>,
    /// The burst.
    #[serde(flatten)]
    pub burst: BurstWeeks,
    /// Other ways the archive writes the topic (absent when none).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<String>,
}

/// The strongest bursts of attention: of every topic, or of one query.
#[utoipa::path(
    get,
    path = "/api/trends/bursts",
    tag = "trends",
    params(BurstQuery),
    responses(
        (status = 200, description = "Bursts, strongest first (CSV: `topic,kind,start,end,weeks,events,weight`)", body = Vec<BurstView>),
        (status = 400, description = "`s` or `gamma` out of range, or an unknown value", body = ErrorBody),
    )
)]
pub async fn bursts(
    State(state): State<AppState>,
    Params(query): Params<BurstQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let csv = csv_asked(query.trend.format, &headers);
    let params = query.burst();
    let limit = query.fields.limit;
    let for_query = query.trend();
    let engine = state.engine()?;
    let found = blocking(&state, move || {
        let Some(for_query) = for_query else {
            let bursts = trends::strongest_bursts(engine.topics(), &params, limit)?;
            return Ok(bursts
                .into_iter()
                .map(|b| BurstView {
                    topic: b.topic,
                    kind: Some(b.kind),
                    burst: b.burst,
                    variants: b.variants,
                })
                .collect::<Vec<_>>());
        };
        let trend = for_query.trend(engine.index())?;
        let series = engine.trends().series(&trend)?;
        let mut bursts = trends::bursts_of(&series.weekly(), &engine.topics().weeks, &params)?;
        bursts.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        bursts.truncate(limit);
        Ok(bursts
            .into_iter()
            .map(|burst| BurstView {
                topic: series.query.clone(),
                kind: None,
                burst,
                variants: Vec::new(),
            })
            .collect())
    })
    .await?;
    Ok(json_or_csv(csv, found, |bursts| {
        trends::csv::bursts_csv(bursts.iter().map(|b| (b.topic.as_str(), b.kind, &b.burst)))
    }))
}

/// The archive's weeks (the x axis of every trend).
#[utoipa::path(
    get,
    path = "/api/trends/weeks",
    tag = "trends",
    params(WeeksQuery),
    responses(
        (status = 200, description = "Every week from the first issue's to the last's, with its issues and news events", body = Vec<ArchiveWeek>),
    )
)]
pub async fn weeks(
    State(state): State<AppState>,
    Params(query): Params<WeeksQuery>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let csv = csv_asked(query.format, &headers);
    let engine = state.engine()?;
    let weeks: Vec<ArchiveWeek> = engine.topics().weeks.all().to_vec();
    Ok(json_or_csv(csv, weeks, |weeks| {
        let mut out = String::from("week,monday,issues,events\n");
        for w in weeks {
            out.push_str(&format!(
                "{},{},{},{}\n",
                w.week,
                w.monday,
                csv_field(&w.issues.join(" ")),
                w.events
            ));
        }
        out
    }))
}
