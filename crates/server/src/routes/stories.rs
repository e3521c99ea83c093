//! `GET /api/stories/{id}`, `GET /api/stories/{id}/related` and `GET /api/related`.
//!
//! Story ids contain slashes (`2025-02-14/top/1`). They may be written plainly,
//! `/api/stories/2025-02-14/top/1`, or percent-encoded,
//! `/api/stories/2025-02-14%2Ftop%2F1`; a literal `/related` at the end asks for
//! the related stories (no story id ends that way). Both routes are one wildcard
//! route, [`story_or_related`], which dispatches.

use axum::extract::{RawPathParams, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use backissue_engine::related::{RelatedParams, RelatedStories, MAX_LIMIT as MAX_RELATED};

use super::{blocking, cacheable, Cacheable};
use crate::config::Limits;
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::params::{decode_path, QueryModel, QueryPairs};
use crate::routes::search::check_length;
use crate::state::AppState;
use crate::views::StoryDetail;

/// The literal suffix that asks for a story's related stories.
const RELATED_SUFFIX: &str = "/related";

/// The widest `window`, in weeks (about two centuries: wider than any archive).
pub const MAX_WINDOW_WEEKS: usize = 10_000;

/// The related-list parameters, read and checked (the story page reads them too).
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelatedQuery {
    /// Stories in the list, 1 to 50 (default 5).
    #[param(value_type = Option<usize>)]
    pub limit: usize,
    /// Halve relatedness every this many weeks apart (for a text: weeks before the
    /// archive's last issue), a number above 0 (default none).
    #[param(value_type = Option<f64>)]
    pub half_life: Option<f64>,
    /// Only stories at most this many weeks apart (for a text: before the archive's
    /// last issue), 0 to 10,000 (default none).
    #[param(value_type = Option<u32>)]
    pub window: Option<u32>,
}

impl QueryModel for RelatedQuery {
    fn read_fields(query: &QueryPairs, _limits: &Limits) -> Result<Self, ApiError> {
        let params = related_params(query)?;
        Ok(RelatedQuery {
            limit: params.limit,
            half_life: params.half_life_weeks,
            window: params.window_weeks,
        })
    }
}

impl RelatedQuery {
    /// The engine's parameters.
    pub fn params(&self) -> RelatedParams {
        RelatedParams {
            limit: self.limit,
            half_life_weeks: self.half_life,
            window_weeks: self.window,
        }
    }
}

/// The text to find related stories for.
#[derive(Debug, Clone, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RelatedText {
    /// Any text: a draft, a story from elsewhere (at most 4000 characters).
    pub text: String,
}

/// The text to find related stories for, and the list's parameters (a story's
/// [`RelatedQuery`]), read and checked.
#[derive(Debug, Clone)]
pub struct RelatedTextQuery {
    /// The text.
    pub text: String,
    /// The list's parameters.
    pub list: RelatedQuery,
}

/// Documented as the text followed by the list's parameters.
impl utoipa::IntoParams for RelatedTextQuery {
    fn into_params(
        parameter_in_provider: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        let mut params = RelatedText::into_params(&parameter_in_provider);
        params.extend(RelatedQuery::into_params(&parameter_in_provider));
        params
    }
}

impl QueryModel for RelatedTextQuery {
    fn read_fields(query: &QueryPairs, limits: &Limits) -> Result<Self, ApiError> {
        let text = query.required("text")?.to_string();
        check_length("text", &text, limits.max_text_chars)?;
        Ok(RelatedTextQuery {
            text,
            list: RelatedQuery::read_fields(query, limits)?,
        })
    }
}

/// The path parameter of the story routes (for the documentation).
#[derive(Debug, utoipa::IntoParams)]
#[into_params(parameter_in = Path)]
#[allow(dead_code)]
pub struct StoryId {
    /// The story id, plain (`2025-02-14/top/1`) or percent-encoded (`2025-02-14%2Ftop%2F1`).
    id: String,
}

/// Reads the related-list parameters (`limit`, `half_life`, `window`).
fn related_params(query: &QueryPairs) -> Result<RelatedParams, ApiError> {
    let defaults = RelatedParams::default();
    let params = RelatedParams {
        limit: query
            .number("limit", 1, MAX_RELATED)?
            .unwrap_or(defaults.limit),
        half_life_weeks: query.parsed("half_life", "a number of weeks above 0")?,
        window_weeks: query
            .number("window", 0, MAX_WINDOW_WEEKS)?
            .map(|weeks| weeks as u32),
    };
    params.validate()?;
    Ok(params)
}

/// The wildcard route: a story, or with `/related` its related stories.
pub async fn story_or_related(
    State(state): State<AppState>,
    raw: RawPathParams,
    query: QueryPairs,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let raw_id = raw
        .iter()
        .find(|(name, _)| *name == "id")
        .map(|(_, value)| value)
        .unwrap_or("");
    match raw_id.strip_suffix(RELATED_SUFFIX) {
        Some(id) => story_related(state, story_id(id)?, query, headers).await,
        None => story(state, story_id(raw_id)?, query)
            .await
            .map(IntoResponse::into_response),
    }
}

/// A story id from its raw path form.
fn story_id(raw: &str) -> Result<String, ApiError> {
    // As for issues: a `%` left after axum's decoding is part of the id (a 404).
    let id = decode_path(raw).unwrap_or_else(|_| raw.to_string());
    if id.is_empty() {
        return Err(ApiError::bad_parameter(
            "id",
            "empty; story ids look like 2025-02-14/top/1",
        ));
    }
    Ok(id)
}

/// One document with its issue, its copies in the issue and its storyline.
#[utoipa::path(
    get,
    path = "/api/stories/{id}",
    tag = "stories",
    params(StoryId),
    responses(
        (status = 200, description = "The document, its issue, its copies (same news in the same issue) and its storyline", body = StoryDetail),
        (status = 400, description = "Bad percent-encoding in the id, or an unknown parameter", body = ErrorBody),
        (status = 404, description = "No document has that id (`unknown_story`)", body = ErrorBody),
    )
)]
pub async fn story(
    state: AppState,
    id: String,
    query: QueryPairs,
) -> Result<Json<StoryDetail>, ApiError> {
    query.only(&[])?;
    let engine = state.engine()?;
    let detail = blocking(&state, move || {
        let doc = engine
            .index()
            .document(&id)
            .ok_or_else(|| unknown_story(&id))?;
        Ok(StoryDetail::of(&engine, doc))
    })
    .await?;
    Ok(Json(detail))
}

/// The `unknown_story` error for `id`.
pub fn unknown_story(id: &str) -> ApiError {
    ApiError::new(
        ErrorCode::UnknownStory,
        format!("id: no story {id:?}; story ids look like 2025-02-14/top/1 or 2025-02-14/finance-banking/2"),
    )
}

/// The stories most related to a story, from other issues, after its storyline.
#[utoipa::path(
    get,
    path = "/api/stories/{id}/related",
    tag = "related",
    params(StoryId, RelatedQuery),
    responses(
        (status = 200, description = "The storyline and the related stories; cacheable (`Cache-Control`, `ETag` tied to the index generation)", body = RelatedStories,
            headers(("ETag" = String, description = "Changes with the index generation and the parameters"),
                    ("Cache-Control" = String, description = "`public, max-age=…`"))),
        (status = 304, description = "`If-None-Match` matched the current ETag"),
        (status = 400, description = "A parameter is out of range", body = ErrorBody),
        (status = 404, description = "No story has that id, or it is not a story (`unknown_story`)", body = ErrorBody),
    )
)]
pub async fn story_related(
    state: AppState,
    id: String,
    query: QueryPairs,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let params = RelatedQuery::read(&query, &state.config().limits)?.params();
    let engine = state.engine()?;
    // `If-None-Match: *` matches any current representation, so none for a story
    // that does not exist: the 404 comes before the cache check.
    engine.related().check_story(&id)?;
    let cache = Cacheable::new(&state, &engine, &["story-related", &id, &query.canonical()]);
    if let Some(not_modified) = cache.not_modified(&headers) {
        return Ok(not_modified);
    }
    // A stored list is a lookup, serialized once per generation: answered in place,
    // without the hop to a blocking thread (the widget's route is the hottest one).
    // Other parameters recompute.
    if let Some(json) = engine.stored_related_json(&id, &params) {
        let json = ([(header::CONTENT_TYPE, "application/json")], json?);
        return Ok(cacheable(cache, json));
    }
    let answer = blocking(&state, move || Ok(engine.related().story(&id, &params)?)).await?;
    Ok(cacheable(cache, Json(answer)))
}

/// The stories most related to any text.
#[utoipa::path(
    get,
    path = "/api/related",
    tag = "related",
    params(RelatedTextQuery),
    responses(
        (status = 200, description = "The related stories (no storyline); cacheable like a story's", body = RelatedStories),
        (status = 304, description = "`If-None-Match` matched the current ETag"),
        (status = 400, description = "`text` missing or too long, or a parameter out of range", body = ErrorBody),
    )
)]
pub async fn related_to_text(
    State(state): State<AppState>,
    query: QueryPairs,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let asked = RelatedTextQuery::read(&query, &state.config().limits)?;
    let params = asked.list.params();
    let text = asked.text;
    let engine = state.engine()?;
    let cache = Cacheable::new(&state, &engine, &["text-related", &query.canonical()]);
    if let Some(not_modified) = cache.not_modified(&headers) {
        return Ok(not_modified);
    }
    let answer = blocking(&state, move || {
        let vector = engine.searcher().query_vector(&text)?;
        Ok(engine.related().text(&text, &vector, &params)?)
    })
    .await?;
    Ok(cacheable(cache, Json(answer)))
}
