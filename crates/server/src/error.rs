//! The one table that maps errors to HTTP statuses and machine-readable codes.
//!
//! Every error body has the same shape, `{"error": {"code": "...", "message": "..."}}`.
//! User errors say which parameter is at fault; internal errors are logged with their
//! detail and reach the client only as `internal`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;

/// A machine-readable error code, each with its HTTP status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// A query parameter is missing, malformed or out of range.
    BadParameter,
    /// The query text is longer than the server accepts.
    QueryTooLong,
    /// No story has that id.
    UnknownStory,
    /// No issue has that id.
    UnknownIssue,
    /// A well-formed week outside the archive's weeks.
    UnknownWeek,
    /// No such route.
    NotFound,
    /// The route exists but not with this HTTP method.
    MethodNotAllowed,
    /// The request conflicts with work in progress (a re-index already running).
    Conflict,
    /// The request body is larger than the server accepts.
    PayloadTooLarge,
    /// A bearer token is required and was missing or wrong.
    Unauthorized,
    /// The index is not loaded yet.
    NotReady,
    /// The server is at its concurrency limit or the request took too long.
    Overloaded,
    /// Something went wrong inside the server.
    Internal,
}

impl ErrorCode {
    /// The HTTP status of this code.
    pub fn status(self) -> StatusCode {
        match self {
            ErrorCode::BadParameter | ErrorCode::QueryTooLong => StatusCode::BAD_REQUEST,
            ErrorCode::UnknownStory
            | ErrorCode::UnknownIssue
            | ErrorCode::UnknownWeek
            | ErrorCode::NotFound => StatusCode::NOT_FOUND,
            ErrorCode::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            ErrorCode::Conflict => StatusCode::CONFLICT,
            ErrorCode::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::Unauthorized => StatusCode::UNAUTHORIZED,
            ErrorCode::NotReady | ErrorCode::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            ErrorCode::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// An error answer: a code and a message for a person.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApiError {
    /// What went wrong, for programs.
    pub code: ErrorCode,
    /// What went wrong, for people: names the parameter at fault.
    pub message: String,
}

/// The body of every error answer.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// The error.
    pub error: ApiError,
}

impl ApiError {
    /// An error with `code` and `message`.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> ApiError {
        ApiError {
            code,
            message: message.into(),
        }
    }

    /// A bad query parameter: `parameter` is named in the message.
    pub fn bad_parameter(parameter: &str, problem: impl std::fmt::Display) -> ApiError {
        ApiError::new(ErrorCode::BadParameter, format!("{parameter}: {problem}"))
    }

    /// An internal error: logged in full, reported to the client without detail.
    pub fn internal(detail: impl std::fmt::Display) -> ApiError {
        tracing::error!(error = %detail, "internal error");
        ApiError::new(ErrorCode::Internal, "internal error")
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.code.status();
        let busy = self.code == ErrorCode::Overloaded;
        let mut response = (status, Json(ErrorBody { error: self })).into_response();
        if busy {
            // Every 503 `overloaded` says when to come back.
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from_static("1"),
            );
        }
        response
    }
}

/// The engine's name of a parameter → the API's (the engine speaks of `sectors`, the
/// query string of `sector`).
const PARAMETER_NAMES: &[(&str, &str)] = &[
    ("sectors", "sector"),
    ("regions", "region"),
    ("sections", "section"),
    ("levels", "level"),
    ("kinds", "kind"),
    ("sources", "source"),
    ("query", "q"),
    ("date_from", "from"),
    ("date_to", "to"),
    ("window_weeks", "window"),
    ("half_life_weeks", "half_life"),
];

/// The API's name of the engine's parameter `name`.
pub fn api_parameter(name: &str) -> &str {
    PARAMETER_NAMES
        .iter()
        .find(|(engine, _)| *engine == name)
        .map_or(name, |(_, api)| api)
}

impl From<backissue_engine::Error> for ApiError {
    /// User errors keep their message and name the parameter as the API spells it;
    /// every other engine error is internal.
    fn from(error: backissue_engine::Error) -> ApiError {
        use backissue_engine::Error;
        match error {
            Error::InvalidRequest { parameter, message } => {
                ApiError::bad_parameter(api_parameter(&parameter), message)
            }
            Error::Cancelled { .. } => ApiError::new(
                ErrorCode::Overloaded,
                format!("the request was given up: {error}; try again"),
            ),
            Error::UnknownStory { id, reason } => ApiError::new(
                ErrorCode::UnknownStory,
                format!("unknown story {id:?}: {reason}"),
            ),
            other => ApiError::internal(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_user_errors_name_the_api_parameter() {
        let error = ApiError::from(backissue_engine::Error::invalid(
            "sectors",
            "unknown sector \"Mining\"",
        ));
        assert_eq!(error.code, ErrorCode::BadParameter);
        assert_eq!(error.message, "sector: unknown sector \"Mining\"");
        let error = ApiError::from(backissue_engine::Error::UnknownStory {
            id: "x".into(),
            reason: "no document has this id".into(),
        });
        assert_eq!(error.code.status(), StatusCode::NOT_FOUND);
        let error = ApiError::from(backissue_engine::Error::IndexMissing {
            dir: "/srv/index".into(),
        });
        assert_eq!(error.code, ErrorCode::Internal);
        assert!(
            !error.message.contains("/srv"),
            "internals never reach the client"
        );
    }
}
