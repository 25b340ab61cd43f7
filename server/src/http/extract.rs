//! Extractors that turn every malformed request into the API's one error shape.

use super::error::ApiError;
use super::AppState;
use crate::record::canonical::{parse_unique, JsonError};
use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::{header, request::Parts, StatusCode};
use bytes::Bytes;
use serde::de::DeserializeOwned;
use std::net::{IpAddr, SocketAddr};

/// A JSON body: `Content-Type: application/json`, within the body limit, well-formed (else 400),
/// and of the expected shape (else 422 naming the field at fault, e.g. `committee.kind`).
#[derive(Debug)]
pub(super) struct ApiJson<T>(pub T);

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, ApiError> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|mime| mime.trim().eq_ignore_ascii_case("application/json"));
        if !is_json {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported_media_type",
                "send the body as application/json",
            ));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    "the request body is too large",
                )
            } else {
                ApiError::bad_request("unreadable_body", "the request body could not be read")
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses a JSON document, telling malformed JSON (400) from a document of the wrong shape (422).
/// The syntax is checked over the whole body first, so trailing garbage is malformed too. A
/// member named twice in one object is refused (422 `duplicate_member`) rather than read as the
/// last copy: what is hashed or signed from a body must be the one value every reader sees.
pub(super) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let document = parse_unique(bytes).map_err(|e| match e {
        JsonError::Syntax(_) => ApiError::bad_request("invalid_json", "the body is not valid JSON"),
        JsonError::Duplicate(duplicate) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "duplicate_member",
            format!(
                "{} is named twice in one object: send each member once",
                duplicate.member_path()
            ),
        ),
    })?;
    if let Some(field) = nul_at(&document, "") {
        return Err(ApiError::invalid_field(
            &field,
            "must not contain a NUL character",
        ));
    }
    serde_path_to_error::deserialize(document).map_err(|err| {
        let path = err.path().to_string();
        let field = if path == "." { String::new() } else { path };
        ApiError::invalid_field(&field, err.inner().to_string())
    })
}

/// The dotted path of the first string (or key) in `value` holding a NUL character, which no
/// text field accepts and PostgreSQL cannot store: refused here, the same on both backends.
fn nul_at(value: &serde_json::Value, path: &str) -> Option<String> {
    let join = |key: &str| {
        if path.is_empty() {
            key.to_owned()
        } else {
            format!("{path}.{key}")
        }
    };
    match value {
        serde_json::Value::String(text) => text.contains('\0').then(|| path.to_owned()),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, item)| nul_at(item, &format!("{path}[{i}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            if key.contains('\0') {
                Some(join(&key.replace('\0', "")))
            } else {
                nul_at(item, &join(key))
            }
        }),
        _ => None,
    }
}

/// Path parameters; one that cannot be parsed (not a UUID) names nothing that exists: 404.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Path), rejection(ApiError))]
pub(super) struct ApiPath<T>(pub T);

impl From<PathRejection> for ApiError {
    fn from(_: PathRejection) -> Self {
        ApiError::not_found()
    }
}

/// Query parameters, refused with 422 when they do not parse.
#[derive(Debug, FromRequestParts)]
#[from_request(via(axum::extract::Query), rejection(ApiError))]
pub(super) struct ApiQuery<T>(pub T);

impl From<QueryRejection> for ApiError {
    fn from(rejection: QueryRejection) -> Self {
        ApiError::invalid_field("query", rejection.body_text())
    }
}

/// The client's address: the peer's, or behind a trusted reverse proxy the last hop it added to
/// `X-Forwarded-For` (earlier entries are whatever the client claimed).
#[derive(Debug, Clone, Copy)]
pub(super) struct ClientIp(pub IpAddr);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        if state.config().trust_proxy_headers {
            let forwarded = parts
                .headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.rsplit(',').next())
                .and_then(|ip| ip.trim().parse().ok());
            if let Some(ip) = forwarded {
                return Ok(ClientIp(ip));
            }
        }
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip())
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("no peer address")))?;
        Ok(ClientIp(peer))
    }
}
