//! The web UI and the widget: server-rendered HTML pages that work without
//! JavaScript, a small script that makes search live, and `/widget.js`, which
//! publishers embed to show related stories on their own pages.
//!
//! | route | page |
//! |---|---|
//! | `/`, `/search?q=…&mode=…&sector=…` | search, with facets and pagination |
//! | `/stories/{id}` | a story, its storyline, related stories, resources |
//! | `/issues`, `/issues/{id}` | the issues, and one whole issue |
//! | `/resources?level=…&q=…`, `/paths?level=…` | learning resources and paths by level |
//! | `/trends?term=…&name=…&sector=…` | weekly charts, rising topics, bursts |
//! | `/assets/{name}`, `/widget.js` | the stylesheet and scripts, compiled in |
//!
//! Handlers here are thin, like the API's: read the query, call the engine on a
//! blocking thread, hand plain values to a `render` function. The render functions
//! take engine types and return [`maud::Markup`], so every page is unit-tested
//! without a server.
//!
//! Pages are written as maud `html!` templates: checked when the crate compiles, and
//! every value spliced into them, text or attribute, is escaped unless it is itself
//! `Markup`. No page escapes by hand, so no page can forget to. The one input that
//! arrives as HTML, the engine's highlighted titles and snippets, is read by
//! [`highlight::highlighted`] alone.

pub mod assets;
pub mod chart;
pub mod highlight;
pub mod issue;
pub mod labels;
pub mod layout;
pub mod resources;
pub mod search;
pub mod story;
pub mod trends;
pub mod urls;

use std::sync::Arc;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use backissue_engine::related::RelatedParams;
use backissue_engine::resources::{Request, Sort};
use backissue_engine::trends::{self as engine_trends, Movement};
use backissue_engine::Error;

use crate::state::{AppState, Loaded};
use layout::{error_page, Page};

/// Related stories shown on a story page.
const RELATED_ON_STORY: usize = 6;
/// Resources per level on a story page.
const RESOURCES_ON_STORY: usize = 3;
/// Rising topics and bursts listed on the trends page.
const TOPICS_LISTED: usize = 12;
/// Rising topics charted when the reader picked nothing.
const DEFAULT_SERIES: usize = 3;

/// The pages, the assets and the widget, to be merged into the API's router.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(search_page))
        .route("/search", get(search_page))
        .route("/stories/{*id}", get(story_page))
        .route("/issues", get(issues_page))
        .route("/issues/{id}", get(issue_page))
        .route("/resources", get(resources_page))
        .route("/paths", get(paths_page))
        .route("/trends", get(trends_page))
        .route("/assets/{name}", get(assets::asset))
        .route("/widget.js", get(assets::widget))
}

/// Why a page could not be made; becomes an error page.
#[derive(Debug)]
enum PageError {
    /// No generation is loaded yet (503).
    NotReady,
    /// No such story or issue (404): a title and what to do.
    NotFound(&'static str, String),
    /// The reader asked for something that cannot be (400).
    BadRequest(String),
    /// Every blocking-work slot is taken (503, `Retry-After`).
    Busy,
    /// Our failure (500), already logged.
    Internal,
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        match self {
            PageError::NotReady => error_page(
                StatusCode::SERVICE_UNAVAILABLE,
                "Loading",
                "The archive is being loaded; try again in a few seconds.",
            ),
            PageError::NotFound(title, message) => {
                error_page(StatusCode::NOT_FOUND, title, &message)
            }
            PageError::BadRequest(message) => {
                error_page(StatusCode::BAD_REQUEST, "Cannot do that", &message)
            }
            PageError::Busy => {
                let mut page = error_page(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "Busy",
                    "The server is busy; try again in a moment.",
                );
                page.headers_mut().insert(
                    axum::http::header::RETRY_AFTER,
                    axum::http::HeaderValue::from_static("1"),
                );
                page
            }
            PageError::Internal => error_page(
                StatusCode::INTERNAL_SERVER_ERROR,
                "Something went wrong",
                "The page could not be made. The error was logged; try again later.",
            ),
        }
    }
}

impl From<Error> for PageError {
    /// The reader's mistake says what to fix; anything else is logged.
    fn from(error: Error) -> PageError {
        match error {
            Error::UnknownStory { id, reason } => {
                PageError::NotFound("No such story", format!("{id}: {reason}"))
            }
            Error::Cancelled { .. } => PageError::Busy,
            error if error.is_user_error() => PageError::BadRequest(error.to_string()),
            error => {
                tracing::error!(%error, "page failed");
                PageError::Internal
            }
        }
    }
}

type PageResult = Result<Response, PageError>;

/// The served generation, or [`PageError::NotReady`] while none is loaded.
fn engine(state: &AppState) -> Result<Arc<Loaded>, PageError> {
    state.current().ok_or(PageError::NotReady)
}

/// Runs `work` on a blocking thread: the engine's calls read indexes and embed
/// queries, which must not stall the async workers.
async fn blocking<T: Send + 'static>(
    state: &AppState,
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, PageError> {
    crate::work::run(state.work(), work)
        .await
        .map_err(|error| match error {
            crate::work::WorkError::Busy => PageError::Busy,
            crate::work::WorkError::Failed(error) => {
                tracing::error!(%error, "page task failed");
                PageError::Internal
            }
        })
}

fn respond(result: PageResult) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

/// `GET /` and `GET /search`.
async fn search_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    respond(search_inner(state, query.unwrap_or_default()).await)
}

async fn search_inner(state: AppState, query: String) -> PageResult {
    let (form, request) = search::SearchForm::read(&query, &state.config().limits);
    let title = if form.q.trim().is_empty() {
        "Search".to_string()
    } else {
        format!("{} – search", form.q.trim())
    };
    let request = match request {
        Ok(request) => request,
        Err(error) => {
            let body = search::render(&form, None, Some(&error.message));
            let mut response = Page::new(title, Some("/"), body)
                .with_script("/assets/search.js")
                .into_response();
            *response.status_mut() = StatusCode::BAD_REQUEST;
            return Ok(response);
        }
    };
    let engine = engine(&state)?;
    let answer = blocking(&state, move || engine.searcher().search(&request)).await?;
    let (body, status) = match answer {
        Ok(response) => (search::render(&form, Some(&response), None), StatusCode::OK),
        Err(error) if error.is_user_error() => (
            search::render(&form, None, Some(&error.to_string())),
            StatusCode::BAD_REQUEST,
        ),
        Err(error) => return Err(error.into()),
    };
    let mut response = Page::new(title, Some("/"), body)
        .with_script("/assets/search.js")
        .into_response();
    *response.status_mut() = status;
    Ok(response)
}

/// `GET /stories/{id}`: ids hold `/`, so the route takes the rest of the path.
async fn story_page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    respond(story_inner(state, id).await)
}

async fn story_inner(state: AppState, id: String) -> PageResult {
    let engine = engine(&state)?;
    let id = id.trim_end_matches('/').to_string();
    blocking(&state, move || {
        let index = engine.index();
        let Some(doc) = index.document(&id) else {
            return Err(PageError::NotFound(
                "No such story",
                format!("No story has the id {id}. Story ids look like 2026-03-27/top/2."),
            ));
        };
        let copies = index
            .issue_documents(&doc.issue_id)
            .filter(|d| d.event_id == doc.event_id && d.id != doc.id)
            .collect();
        let (related, subject, resources) = if doc.section.is_story() {
            let params = RelatedParams {
                limit: RELATED_ON_STORY,
                ..RelatedParams::default()
            };
            let related = engine.related().story(&id, &params)?;
            let subject = engine
                .related()
                .storyline_of(doc)
                .map(|s| s.subject.clone());
            let resources = engine
                .catalog()
                .resources_for_story(&id, None, RESOURCES_ON_STORY)?;
            (Some(related), subject, Some(resources))
        } else {
            (None, None, None)
        };
        let view = story::StoryView {
            doc,
            copies,
            storyline_subject: subject,
            related,
            resources,
        };
        Ok(Page::new(doc.title.clone(), None, story::render(&view)).into_response())
    })
    .await?
}

/// `GET /issues`.
async fn issues_page(State(state): State<AppState>) -> Response {
    respond(issues_inner(state).await)
}

async fn issues_inner(state: AppState) -> PageResult {
    let engine = engine(&state)?;
    blocking(&state, move || {
        let index = engine.index();
        let mut entries: Vec<issue::IssueEntry> = index
            .issues()
            .map(|id| {
                let mut docs = index.issue_documents(id);
                let first = docs.next();
                issue::IssueEntry {
                    id: id.to_string(),
                    date: first.map_or_else(|| id.to_string(), |d| d.date.to_string()),
                    headline: engine.issue(id).map(|i| i.headline.clone()),
                    lead: index
                        .issue_documents(id)
                        .find(|d| d.section == backissue_engine::Section::TopStory)
                        .map(|d| d.title.clone()),
                    documents: usize::from(first.is_some()) + docs.count(),
                }
            })
            .collect();
        entries.reverse();
        Ok(Page::new("Issues", Some("/issues"), issue::render_list(&entries)).into_response())
    })
    .await?
}

/// `GET /issues/{id}`.
async fn issue_page(State(state): State<AppState>, Path(id): Path<String>) -> Response {
    respond(issue_inner(state, id).await)
}

async fn issue_inner(state: AppState, id: String) -> PageResult {
    let engine = engine(&state)?;
    blocking(&state, move || {
        let index = engine.index();
        let docs: Vec<_> = index.issue_documents(&id).collect();
        let parsed = engine.issue(&id);
        if docs.is_empty() && parsed.is_none() {
            return Err(PageError::NotFound(
                "No such issue",
                format!("No issue has the id {id}. Issue ids are dates, such as 2026-03-27."),
            ));
        }
        let ids: Vec<&str> = index.issues().collect();
        let at = ids.iter().position(|i| *i == id);
        let around = issue::Neighbours {
            previous: at
                .and_then(|i| i.checked_sub(1))
                .map(|i| ids[i].to_string()),
            next: at.and_then(|i| ids.get(i + 1)).map(|s| s.to_string()),
        };
        let title = parsed.map_or_else(|| format!("Issue of {id}"), |i| i.headline.clone());
        let body = issue::render_issue(&id, parsed, &docs, &around);
        Ok(Page::new(title, Some("/issues"), body).into_response())
    })
    .await?
}

/// `GET /resources`.
async fn resources_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    respond(catalog_inner(state, query.unwrap_or_default(), false).await)
}

/// `GET /paths`.
async fn paths_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    respond(catalog_inner(state, query.unwrap_or_default(), true).await)
}

async fn catalog_inner(state: AppState, query: String, paths: bool) -> PageResult {
    let (title, nav) = if paths {
        ("Learning paths", "/paths")
    } else {
        ("Learning resources", "/resources")
    };
    let sorts: &[Sort] = if paths {
        &Sort::PATHS
    } else {
        &Sort::RESOURCES
    };
    let form = resources::CatalogForm::read(&query, &state.config().limits, sorts)
        .map_err(|error| PageError::BadRequest(error.message))?;
    let engine = engine(&state)?;
    blocking(&state, move || {
        let q = (!form.q.is_empty()).then_some(form.q.as_str());
        // Meaning helps a short query find what its words miss; without the model
        // the words alone still rank.
        let vector = q.and_then(|q| engine.searcher().query_vector(q).ok());
        let request = Request {
            query: q,
            query_vector: vector.as_deref(),
            level: form.level,
            sort: form.sort,
            offset: form.offset(),
            limit: form.limit,
        };
        let catalog = engine.catalog();
        let body = if paths {
            let listing = catalog.rank_paths(&Request {
                query: None,
                query_vector: None,
                ..request
            });
            listing.map(|l| resources::render_paths_page(&form, &l))
        } else {
            catalog
                .rank_resources(&request)
                .map(|l| resources::render_resources_page(&form, &l))
        }?;
        Ok(Page::new(title, Some(nav), body).into_response())
    })
    .await?
}

/// `GET /trends`.
async fn trends_page(State(state): State<AppState>, RawQuery(query): RawQuery) -> Response {
    respond(trends_inner(state, query.unwrap_or_default()).await)
}

async fn trends_inner(state: AppState, query: String) -> PageResult {
    let form = trends::TrendsForm::read(&query, &state.config().limits)
        .map_err(|error| PageError::BadRequest(error.message))?;
    let engine = engine(&state)?;
    blocking(&state, move || {
        let table = engine.topics();
        // The same windows and automaton as the CLI and the API, so the page agrees
        // with them.
        let rising = table
            .weeks
            .resolve(None)
            .and_then(|week| {
                engine_trends::rank_topics(
                    table,
                    week,
                    Movement::Rising,
                    TOPICS_LISTED,
                    &engine_trends::DEFAULT_RISING,
                )
            })
            .ok();
        let bursts =
            engine_trends::strongest_bursts(table, &engine_trends::DEFAULT_BURST, TOPICS_LISTED)
                .unwrap_or_default();
        let (picks, defaulted) = match (&rising, form.picks.is_empty()) {
            (Some(rising), true) => (trends::default_picks(rising, DEFAULT_SERIES), true),
            _ => (form.picks.clone(), false),
        };
        let mut view = trends::TrendsView {
            form,
            defaulted,
            rising,
            bursts,
            ..trends::TrendsView::default()
        };
        for pick in picks {
            let counted = pick
                .to_query()
                .and_then(|query| engine.trends().series(&query).map_err(|e| e.to_string()));
            match counted {
                Ok(series) => view.series.push((pick, series)),
                Err(problem) => view.errors.push(format!("{}: {problem}", pick.label())),
            }
        }
        Ok(Page::new("Trends", Some("/trends"), trends::render(&view)).into_response())
    })
    .await?
}
