//! `GET /api/resources` and `GET /api/paths`: learning material by skill level,
//! sorted and paged (each level group alike); paths also as CSV, one row per step.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use axum::Json;
use backissue_engine::resources::{Catalog, Listing, PathEntry, Request, ResourceEntry, Sort};
use backissue_issue::Level;

use super::{blocking, csv_asked, csv_field, format, json_or_csv};
use crate::config::Limits;
use crate::error::{ApiError, ErrorBody};
use crate::params::{Params, QueryModel, QueryPairs};
use crate::routes::search::check_length;
use crate::state::{AppState, Loaded};

/// Items per level group when `limit` is not given.
const DEFAULT_LIMIT: usize = 10;

/// Most items per level group.
pub const MAX_LIMIT: usize = backissue_engine::resources::MAX_LIMIT;

/// The furthest `offset`.
pub const MAX_OFFSET: usize = backissue_engine::resources::MAX_OFFSET;

/// The query string of `GET /api/resources`, read and checked: the one model of the
/// request (the resources page reads its shared fields with [`LibraryFields::read`]).
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ResourcesQuery {
    /// The reader's level: `Beginner`, `Intermediate`, `Advanced` (each also gets
    /// `All` items) or `All`. Without it, one group per level.
    #[param(value_type = Option<String>)]
    pub level: Option<Level>,
    /// Words to rank by (by words and meaning); without it, by recency and how often featured.
    #[param(value_type = Option<String>)]
    pub q: Option<String>,
    /// A story id: the resources most related to that story, at the reader's level
    /// and the next one up (or every level), only those above the relevance floor
    /// (`min_relevance`; `note` says why when none is). With `q`, only those of them
    /// that the words also find; `sort` and `offset` work as without `for` (the
    /// default order is relevance to the story).
    #[param(rename = "for", value_type = Option<String>)]
    pub for_story: Option<String>,
    /// `relevance` (default: by `q`, else recency and how often featured), `newest`,
    /// `most-featured` or `title`.
    #[param(value_type = Option<String>)]
    pub sort: Sort,
    /// Items skipped at the start of each level group, 0 to 10,000 (default 0).
    #[param(value_type = Option<usize>)]
    pub offset: usize,
    /// Items per level group, 1 to 200 (default 10).
    #[param(value_type = Option<usize>)]
    pub limit: usize,
}

impl QueryModel for ResourcesQuery {
    fn read_fields(query: &QueryPairs, limits: &Limits) -> Result<Self, ApiError> {
        let fields = LibraryFields::read(query, limits, &Sort::RESOURCES)?;
        Ok(ResourcesQuery {
            level: fields.level,
            q: fields.q,
            for_story: query.one("for")?.map(str::to_string),
            sort: fields.sort,
            offset: query.number("offset", 0, MAX_OFFSET)?.unwrap_or(0),
            limit: fields.limit,
        })
    }
}

/// The query string of `GET /api/paths`, read and checked.
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PathsQuery {
    /// The reader's level: `Beginner`, `Intermediate`, `Advanced` or `All`.
    #[param(value_type = Option<String>)]
    pub level: Option<Level>,
    /// Words to rank by.
    #[param(value_type = Option<String>)]
    pub q: Option<String>,
    /// `relevance` (default), `newest`, `most-featured`, `title` or `shortest` (least
    /// total time first).
    #[param(value_type = Option<String>)]
    pub sort: Sort,
    /// Paths skipped at the start of each level group, 0 to 10,000 (default 0).
    #[param(value_type = Option<usize>)]
    pub offset: usize,
    /// Paths per level group, 1 to 200 (default 10).
    #[param(value_type = Option<usize>)]
    pub limit: usize,
    /// `json` (default) or `csv` (one row per step); `Accept: text/csv` also gives CSV.
    #[param(value_type = Option<String>)]
    pub format: Option<&'static str>,
}

impl QueryModel for PathsQuery {
    fn read_fields(query: &QueryPairs, limits: &Limits) -> Result<Self, ApiError> {
        let fields = LibraryFields::read(query, limits, &Sort::PATHS)?;
        Ok(PathsQuery {
            level: fields.level,
            q: fields.q,
            sort: fields.sort,
            offset: query.number("offset", 0, MAX_OFFSET)?.unwrap_or(0),
            limit: fields.limit,
            format: format(query)?,
        })
    }
}

/// The fields both listings and their pages read, by one set of rules: `q`
/// (trimmed, blank is none, capped), `level` (blank is every level), `sort` among
/// `sorts` and `limit`.
#[derive(Debug, Clone)]
pub struct LibraryFields {
    /// The words to rank by.
    pub q: Option<String>,
    /// The reader's level.
    pub level: Option<Level>,
    /// The order.
    pub sort: Sort,
    /// Items per level group.
    pub limit: usize,
}

impl LibraryFields {
    /// Reads the fields; every mistake names its parameter.
    pub fn read(query: &QueryPairs, limits: &Limits, sorts: &[Sort]) -> Result<Self, ApiError> {
        let q = query.one("q")?.map(str::trim).filter(|q| !q.is_empty());
        if let Some(q) = q {
            check_length("q", q, limits.max_query_chars)?;
        }
        let level = match query.one("level")?.filter(|text| !text.trim().is_empty()) {
            None => None,
            Some(text) => Some(
                text.trim()
                    .parse::<Level>()
                    .map_err(|problem| ApiError::bad_parameter("level", problem))?,
            ),
        };
        let sort = match query.one("sort")?.filter(|text| !text.trim().is_empty()) {
            None => Sort::Relevance,
            Some(text) => Sort::parse_among(text, sorts)?,
        };
        Ok(LibraryFields {
            q: q.map(str::to_string),
            level,
            sort,
            limit: query
                .number("limit", 1, MAX_LIMIT)?
                .unwrap_or(DEFAULT_LIMIT),
        })
    }
}

/// Runs `rank` over the catalog with the request of a listing: `q` (embedded, for
/// relevance by meaning, when given) and its level, sort, offset and limit.
fn with_request<T>(
    engine: &Loaded,
    q: Option<&str>,
    (level, sort, offset, limit): (Option<Level>, Sort, usize, usize),
    rank: impl FnOnce(&Catalog, &Request<'_>) -> Result<T, backissue_engine::Error>,
) -> Result<T, ApiError> {
    let vector = match q {
        Some(q) => Some(engine.searcher().query_vector(q)?),
        None => None,
    };
    let request = Request {
        query: q,
        query_vector: vector.as_deref(),
        level,
        sort,
        offset,
        limit,
    };
    Ok(rank(engine.catalog(), &request)?)
}

/// Learning resources by level, deduplicated across issues and ranked.
#[utoipa::path(
    get,
    path = "/api/resources",
    tag = "learning",
    params(ResourcesQuery),
    responses(
        (status = 200, description = "The resources, one per work, grouped by level, sorted and paged", body = Listing<ResourceEntry>),
        (status = 400, description = "A bad level, sort, offset or limit, or `q` too long", body = ErrorBody),
        (status = 404, description = "`for` names no story (`unknown_story`)", body = ErrorBody),
    )
)]
pub async fn resources(
    State(state): State<AppState>,
    Params(params): Params<ResourcesQuery>,
) -> Result<Json<Listing<ResourceEntry>>, ApiError> {
    let engine = state.engine()?;
    let listing = blocking(&state, move || {
        let page = (params.level, params.sort, params.offset, params.limit);
        with_request(
            &engine,
            params.q.as_deref(),
            page,
            |catalog, request| match &params.for_story {
                Some(story) => catalog.story_resources(story, request),
                None => catalog.rank_resources(request),
            },
        )
    })
    .await?;
    Ok(Json(listing))
}

/// Learning paths by level, deduplicated across issues and ranked.
#[utoipa::path(
    get,
    path = "/api/paths",
    tag = "learning",
    params(PathsQuery),
    responses(
        (status = 200, description = "The learning paths, grouped by level, sorted and paged, each step with its minutes and link", body = Listing<PathEntry>),
        (status = 400, description = "A bad level, sort, offset, limit or format, or `q` too long", body = ErrorBody),
    )
)]
pub async fn paths(
    State(state): State<AppState>,
    headers: HeaderMap,
    Params(params): Params<PathsQuery>,
) -> Result<Response, ApiError> {
    let csv = csv_asked(params.format, &headers);
    let engine = state.engine()?;
    let listing = blocking(&state, move || {
        let page = (params.level, params.sort, params.offset, params.limit);
        with_request(&engine, params.q.as_deref(), page, |catalog, request| {
            catalog.rank_paths(request)
        })
    })
    .await?;
    Ok(json_or_csv(csv, listing, paths_csv))
}

/// A path listing as CSV: one row per step, with its path's columns repeated, in
/// the listing's order.
pub fn paths_csv(listing: &Listing<PathEntry>) -> String {
    let mut out = String::from(
        "level_group,path,level,total_minutes,outcome,last_date,times_featured,step,text,minutes,url\n",
    );
    for group in &listing.groups {
        for ranked in &group.items {
            let path = &ranked.item;
            for step in &path.steps {
                let row = [
                    group.level.as_str().to_string(),
                    csv_field(&path.title),
                    path.level.as_str().to_string(),
                    path.total_minutes.to_string(),
                    csv_field(&path.outcome),
                    path.featured.last_date.to_string(),
                    path.featured.times_featured.to_string(),
                    step.n.to_string(),
                    csv_field(&step.text),
                    step.minutes.to_string(),
                    csv_field(&step.url),
                ];
                out.push_str(&row.join(","));
                out.push('\n');
            }
        }
    }
    out
}
