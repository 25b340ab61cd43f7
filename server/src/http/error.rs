//! One error shape for the whole API: `{"code", "message", "details": [{"field", "message"}]}`.
//!
//! `code` is for programs (the web client picks its translated text by it), `message` is English
//! for developers. A 5xx never carries its cause: the cause is logged in the request's span.

use crate::domain::permissions::Denied;
use crate::domain::{FieldError, Invalid};
use crate::store::StoreError;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use utoipa::ToSchema;

/// What a 503 suggests a client wait before trying again, in seconds.
const UNAVAILABLE_RETRY_AFTER_S: u64 = 2;

#[derive(Debug)]
pub(super) struct ApiError {
    status: StatusCode,
    code: &'static str,
    message: String,
    details: Vec<FieldError>,
    retry_after_s: Option<u64>,
    cause: Option<anyhow::Error>,
}

/// The body of every error response.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    /// A stable machine-readable code, e.g. `invalid_input`, `not_found`.
    pub code: String,
    /// English, for developers; clients show their own translated text.
    pub message: String,
    /// Per-field problems, when the input was at fault.
    pub details: Vec<FieldDetail>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FieldDetail {
    /// Dotted path of the field in the request body, e.g. `admin.password`.
    pub field: String,
    pub message: String,
}

pub(super) type ApiResult<T> = Result<T, ApiError>;

impl ApiError {
    pub(super) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: Vec::new(),
            retry_after_s: None,
            cause: None,
        }
    }

    pub(super) fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub(super) fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", "sign in first")
    }

    pub(super) fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "you may not do this")
    }

    pub(super) fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "no such resource")
    }

    pub(super) fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::CONFLICT, code, message)
    }

    pub(super) fn gone(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::GONE, code, message)
    }

    pub(super) fn invalid(invalid: Invalid) -> Self {
        Self {
            details: invalid.0,
            ..Self::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_input",
                "some fields are not valid",
            )
        }
    }

    /// The same error, naming the fields (or items) it is about.
    pub(super) fn with_details(self, details: Vec<FieldError>) -> Self {
        Self { details, ..self }
    }

    pub(super) fn invalid_field(field: &str, message: impl Into<String>) -> Self {
        Self::invalid(Invalid::one(field, message))
    }

    pub(super) fn too_many(retry_after_s: u64) -> Self {
        Self {
            retry_after_s: Some(retry_after_s.max(1)),
            ..Self::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_attempts",
                "too many attempts; try again later",
            )
        }
    }

    /// The database cannot be reached: 503, so that clients and load balancers try again later
    /// rather than take it for a fault in the request. The cause is logged, never sent.
    pub(super) fn unavailable(cause: impl Into<anyhow::Error>) -> Self {
        Self {
            retry_after_s: Some(UNAVAILABLE_RETRY_AFTER_S),
            cause: Some(cause.into()),
            ..Self::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                "the service is briefly unavailable; try again shortly",
            )
        }
    }

    pub(super) fn internal(cause: impl Into<anyhow::Error>) -> Self {
        Self {
            cause: Some(cause.into()),
            ..Self::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "internal",
                "internal error",
            )
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Some(cause) = &self.cause {
            if self.status == StatusCode::SERVICE_UNAVAILABLE {
                tracing::warn!(error = format!("{cause:#}"), "database unavailable");
            } else {
                tracing::error!(error = format!("{cause:#}"), "request failed");
            }
        }
        let body = ErrorBody {
            code: self.code.to_owned(),
            message: self.message,
            details: self
                .details
                .into_iter()
                .map(|d| FieldDetail {
                    field: d.field,
                    message: d.message,
                })
                .collect(),
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if let Some(seconds) = self.retry_after_s {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from(seconds));
        }
        response
    }
}

impl From<Invalid> for ApiError {
    fn from(invalid: Invalid) -> Self {
        Self::invalid(invalid)
    }
}

impl From<Denied> for ApiError {
    fn from(denied: Denied) -> Self {
        match denied {
            Denied::NotFound => Self::not_found(),
            Denied::Forbidden => Self::forbidden(),
        }
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound => Self::not_found(),
            StoreError::Conflict { field } => Self {
                details: vec![FieldError::new(field, "is already taken")],
                ..Self::conflict("already_exists", format!("{field} is already taken"))
            },
            StoreError::Frozen => Self::conflict(
                "case_archived",
                "the case is archived and takes no more changes",
            ),
            other if other.is_unavailable() => Self::unavailable(other),
            other => Self::internal(other),
        }
    }
}

impl From<anyhow::Error> for ApiError {
    fn from(err: anyhow::Error) -> Self {
        let unavailable = err
            .downcast_ref::<StoreError>()
            .is_some_and(StoreError::is_unavailable)
            || err
                .downcast_ref::<sqlx::Error>()
                .is_some_and(crate::store::unavailable);
        if unavailable {
            Self::unavailable(err)
        } else {
            Self::internal(err)
        }
    }
}
