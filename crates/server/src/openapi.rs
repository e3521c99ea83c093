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

/// The document as JSON, made once.
pub fn json() -> &'static str {
    static DOCUMENT: OnceLock<String> = OnceLock::new();
    DOCUMENT.get_or_init(|| {
        ApiDoc::openapi()
            .to_pretty_json()
            .unwrap_or_else(|error| format!("{{\"error\": \"{error}\"}}"))
    })
}

/// This document.
#[utoipa::path(
    get,
    path = "/api/openapi.json",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API", content_type = "application/json", body = Object))
)]
pub async fn document() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], json())
}
