//! `GET /api/issues` and `GET /api/issues/{id}`: the archive issue by issue.

use axum::extract::{RawPathParams, State};
use axum::Json;

use super::blocking;
use crate::error::{ApiError, ErrorBody, ErrorCode};
use crate::params::{decode_path, QueryPairs};
use crate::state::AppState;
use crate::views::{IssueDetail, IssueList, IssueSummary};

/// Every issue, newest first, with its date, headline and counts.
#[utoipa::path(
    get,
    path = "/api/issues",
    tag = "issues",
    responses(
        (status = 200, description = "The issues, newest first", body = IssueList),
        (status = 503, description = "No index loaded yet", body = ErrorBody),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    query: QueryPairs,
) -> Result<Json<IssueList>, ApiError> {
    query.only(&[])?;
    let engine = state.engine()?;
    let list = blocking(&state, move || {
        let mut issues: Vec<IssueSummary> = engine
            .index()
            .issues()
            .map(|id| IssueSummary::of(&engine, id))
            .collect();
        issues.sort_by(|a, b| (&b.date, &b.id).cmp(&(&a.date, &a.id)));
        Ok(IssueList {
            generation: engine.generation().to_string(),
            issues,
        })
    })
    .await?;
    Ok(Json(list))
}

/// One issue: its documents by section in issue order, and the parsed issue.
#[utoipa::path(
    get,
    path = "/api/issues/{id}",
    tag = "issues",
    params(("id" = String, Path, description = "The issue id, its date: `2025-02-14`")),
    responses(
        (status = 200, description = "The issue's counts, its documents grouped by section in issue order, and the parsed issue as indexed", body = IssueDetail),
        (status = 404, description = "No issue has that id (`unknown_issue`)", body = ErrorBody),
    )
)]
pub async fn issue(
    State(state): State<AppState>,
    raw: RawPathParams,
    query: QueryPairs,
) -> Result<Json<IssueDetail>, ApiError> {
    query.only(&[])?;
    let raw_id = raw
        .iter()
        .find(|(name, _)| *name == "id")
        .map_or("", |(_, v)| v);
    // axum has decoded the segment once; an id given encoded twice (a link copied
    // from an encoded URL) is decoded again. A `%` that decodes to nothing is part
    // of the id, which then names no issue: a 404, not a 400.
    let id = decode_path(raw_id).unwrap_or_else(|_| raw_id.to_string());
    let engine = state.engine()?;
    let detail = blocking(&state, move || {
        IssueDetail::of(&engine, &id).ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownIssue,
                format!(
                    "id: no issue {id:?}; issue ids are dates such as 2025-02-14 (see /api/issues)"
                ),
            )
        })
    })
    .await?;
    Ok(Json(detail))
}
