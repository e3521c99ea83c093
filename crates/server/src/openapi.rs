//! `GET /api/openapi.json`: the API described from the code (utoipa), so the
//! document cannot drift from the handlers it is generated from.

use std::sync::OnceLock;

use axum::http::header;
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::routes::{admin, health, issues, library, search, stories, trends};

/// The OpenAPI document of the server.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "backissue",
        description = "Search and recommendations over the back issues of a weekly AI-industry newsletter.\n\n\
            Every error is `{\"error\": {\"code\", \"message\"}}` with a 4xx or 5xx status; the message names the \
            parameter at fault. List parameters may be repeated (`sector=Tech&sector=Energy`) or comma-separated \
            (`sector=Tech,Energy`). Unknown parameters are refused. Story ids hold slashes and may be written \
            plainly or percent-encoded.",
    ),
    paths(
        search::search,
        stories::story,
        stories::story_related,
        stories::related_to_text,
        library::resources,
        library::paths,
        trends::series,
        trends::cooccurrence,
        trends::rising,
        trends::falling,
        trends::bursts,
        trends::weeks,
        issues::list,
        issues::issue,
        health::stats,
        health::healthz,
        health::readyz,
        health::metrics,
        admin::reindex,
        document,
    ),
    components(schemas(ErrorBody, ApiError, ErrorCode)),
    modifiers(&BearerToken),
    tags(
        (name = "search", description = "Keyword, semantic and hybrid search"),
        (name = "stories", description = "Stories with their copies and storylines"),
        (name = "related", description = "Related stories, for the widget (CORS for configured origins, ETag, Cache-Control)"),
        (name = "learning", description = "Learning resources and paths by skill level"),
        (name = "trends", description = "Trends over the archive's weeks; JSON or CSV"),
        (name = "issues", description = "The archive issue by issue"),
        (name = "operations", description = "Health, readiness, metrics, statistics, re-indexing"),
    )
)]
pub struct ApiDoc;

struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some("The value of BACKISSUE_ADMIN_TOKEN"))
                    .build(),
            ),
        );
    }
}

/// The document as JSON, made once (with the admin route only when the server has
/// an admin token: without one the route does not exist).
pub fn json(with_admin: bool) -> &'static str {
    static WITH: OnceLock<String> = OnceLock::new();
    static WITHOUT: OnceLock<String> = OnceLock::new();
    let cell = if with_admin { &WITH } else { &WITHOUT };
    cell.get_or_init(|| {
        let mut document = match serde_json::to_value(ApiDoc::openapi()) {
            Ok(document) => document,
            Err(error) => return format!("{{\"error\": \"{error}\"}}"),
        };
        crate::schema::name_generic_instances(&mut document);
        refine(&mut document, with_admin);
        serde_json::to_string_pretty(&document)
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
    })
}

/// What the server checks that the parameters' Rust types cannot say: the fixed
/// sets (`enum`), ranges and required texts, taken from the same constants the
/// handlers check with, so a request valid by the document is accepted
/// (schemathesis checks this: `benches/schemathesis.sh`).
fn refine(document: &mut serde_json::Value, with_admin: bool) {
    use backissue_engine::Section;
    use backissue_issue::{Level, Region, ResourceKind, Sector, Source};
    use serde_json::json;

    if !with_admin {
        if let Some(paths) = document["paths"].as_object_mut() {
            paths.remove("/api/admin/reindex");
        }
    }
    // A facet's values, and the blank a form sends for "any" (it means not given).
    let names = |mut values: Vec<String>| {
        values.push(String::new());
        json!(values)
    };
    let sectors = names(
        Sector::KNOWN
            .iter()
            .map(|v| v.as_str().to_string())
            .collect(),
    );
    let regions = names(
        Region::KNOWN
            .iter()
            .map(|v| v.as_str().to_string())
            .collect(),
    );
    let kinds = names(
        ResourceKind::KNOWN
            .iter()
            .map(|v| v.as_str().to_string())
            .collect(),
    );
    let sources = names(
        Source::KNOWN
            .iter()
            .map(|v| v.as_str().to_string())
            .collect(),
    );
    let levels = names(Level::ALL.iter().map(|v| v.as_str().to_string()).collect());
    let sections = names(
        Section::ALL
            .iter()
            .map(|v| v.as_str().to_string())
            .collect(),
    );
    let max_chars = backissue_engine::search::MAX_QUERY_CHARS;
    let Some(paths) = document["paths"].as_object_mut() else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(operations) = item.as_object_mut() else {
            continue;
        };
        for operation in operations.values_mut() {
            refine_responses(operation);
            let Some(parameters) = operation
                .get_mut("parameters")
                .and_then(|p| p.as_array_mut())
            else {
                continue;
            };
            for parameter in parameters.iter_mut() {
                if parameter["in"] != "query" {
                    continue;
                }
                let name = parameter["name"].as_str().unwrap_or("").to_string();
                let schema = &mut parameter["schema"];
                // A list's constraints are on its items.
                let target = if schema["type"] == "array" {
                    &mut schema["items"]
                } else {
                    &mut *schema
                };
                let set = |target: &mut serde_json::Value, key: &str, value: serde_json::Value| {
                    target[key] = value;
                };
                match name.as_str() {
                    "format" => set(target, "enum", json!(["json", "csv"])),
                    "sort" => set(target, "enum", sorts(path)),
                    "mode" => set(target, "enum", json!(["keyword", "semantic", "hybrid"])),
                    "level" => set(target, "enum", levels.clone()),
                    "sector" => set(target, "enum", sectors.clone()),
                    "region" => set(target, "enum", regions.clone()),
                    "kind" => set(target, "enum", kinds.clone()),
                    "source" => set(target, "enum", sources.clone()),
                    "section" => set(target, "enum", sections.clone()),
                    "q" if !path.starts_with("/api/trends/") => {
                        set(target, "maxLength", json!(max_chars))
                    }
                    "q" | "term" | "name" => set(target, "maxLength", json!(max_chars)),
                    "week" => set(
                        target,
                        "pattern",
                        json!("^(|latest|[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-2])|[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8]))$"),
                    ),
                    "semantic_ratio" => {
                        set(target, "minimum", json!(0));
                        set(target, "maximum", json!(1));
                    }
                    "offset" => {
                        set(target, "minimum", json!(0));
                        set(target, "maximum", json!(max_offset(path)));
                    }
                    "limit" => {
                        let (min, max) = limit_range(path);
                        set(target, "minimum", json!(min));
                        set(target, "maximum", json!(max));
                    }
                    "recent_weeks" => {
                        set(target, "minimum", json!(1));
                        set(target, "maximum", json!(52));
                    }
                    "baseline_weeks" => {
                        set(target, "minimum", json!(1));
                        set(target, "maximum", json!(156));
                    }
                    "min_support" | "gamma" => set(target, "minimum", json!(0)),
                    "s" => set(target, "exclusiveMinimum", json!(1)),
                    "half_life" => set(target, "exclusiveMinimum", json!(0)),
                    "window" => {
                        set(target, "minimum", json!(0));
                        set(
                            target,
                            "maximum",
                            json!(crate::routes::stories::MAX_WINDOW_WEEKS),
                        );
                    }
                    "text" => {
                        set(target, "minLength", json!(1));
                        set(target, "pattern", json!("\\S"));
                    }
                    _ => {}
                }
                if name == "text" {
                    parameter["required"] = json!(true);
                }
                if matches!(
                    name.as_str(),
                    "sector" | "region" | "section" | "level" | "kind" | "source"
                ) && parameter["schema"]["type"] == "array"
                {
                    parameter["schema"]["maxItems"] =
                        json!(crate::routes::search::MAX_FILTER_VALUES);
                }
            }
        }
    }
}

/// Every operation that reads a query string can answer 400; one with a `format`
/// parameter answers CSV too.
fn refine_responses(operation: &mut serde_json::Value) {
    use serde_json::json;
    let names: Vec<String> = operation
        .get("parameters")
        .and_then(|p| p.as_array())
        .map(|parameters| {
            parameters
                .iter()
                .filter(|p| p["in"] == "query" || p["in"] == "path")
                .filter_map(|p| p["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    if names.is_empty() {
        return;
    }
    let Some(responses) = operation
        .get_mut("responses")
        .and_then(|r| r.as_object_mut())
    else {
        return;
    };
    responses.entry("400").or_insert_with(|| {
        json!({
            "description": "A parameter is malformed, unknown, repeated or out of range (`bad_parameter`)",
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ErrorBody"}}}
        })
    });
    if names.iter().any(|n| n == "format") {
        if let Some(content) = responses
            .get_mut("200")
            .and_then(|ok| ok.get_mut("content"))
            .and_then(|c| c.as_object_mut())
        {
            content
                .entry("text/csv")
                .or_insert_with(|| json!({"schema": {"type": "string"}}));
        }
    }
}

/// The values of `sort` on `path`, as its handler checks them (and the blank a form
/// sends for the default).
fn sorts(path: &str) -> serde_json::Value {
    use backissue_engine::resources::Sort;
    let names = |sorts: &[Sort]| {
        let mut names: Vec<&str> = sorts.iter().map(|s| s.as_str()).collect();
        names.push("");
        serde_json::json!(names)
    };
    match path {
        "/api/resources" => names(&Sort::RESOURCES),
        "/api/paths" => names(&Sort::PATHS),
        _ => serde_json::json!(["relevance", "newest", "oldest"]),
    }
}

/// The largest `offset` on `path`, as its handler checks it.
fn max_offset(path: &str) -> usize {
    if path == "/api/resources" || path == "/api/paths" {
        crate::routes::library::MAX_OFFSET
    } else {
        crate::routes::search::MAX_OFFSET
    }
}

/// The range of `limit` on `path`, as its handler checks it.
fn limit_range(path: &str) -> (usize, usize) {
    if path == "/api/search" {
        (0, backissue_engine::search::MAX_LIMIT)
    } else if path.starts_with("/api/trends/") {
        (1, crate::routes::trends::MAX_LIMIT)
    } else if path == "/api/resources" || path == "/api/paths" {
        (1, crate::routes::library::MAX_LIMIT)
    } else {
        (1, backissue_engine::related::MAX_LIMIT)
    }
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json", body = Object))
)]
pub async fn document(
    axum::extract::State(state): axum::extract::State<crate::AppState>,
) -> impl IntoResponse {
    let with_admin = state.config().admin_token.is_some();
    (
        [(header::CONTENT_TYPE, "application/json")],
        json(with_admin),
    )
}
