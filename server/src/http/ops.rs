//! Operations endpoints: liveness, readiness, metrics, and the OpenAPI document.

use super::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Serialize;
use std::time::Duration;
use utoipa::ToSchema;

/// The longest `/readyz` waits for the database: a probe that hangs tells an orchestrator less
/// than a prompt "no".
const READY_PATIENCE_MS: u64 = 900;

/// Alive: the process answers. Says nothing about the database, so that a database outage does
/// not make an orchestrator restart a healthy process.
#[utoipa::path(get, path = "/healthz", tag = "operations", responses((status = 200, body = String)))]
pub(super) async fn healthz() -> &'static str {
    "ok"
}

#[derive(Debug, Serialize, ToSchema)]
pub(super) struct Readiness {
    pub(super) database: &'static str,
}

/// Ready: the database answers, within a second at most.
#[utoipa::path(
    get, path = "/readyz", tag = "operations",
    responses((status = 200, body = Readiness), (status = 503, body = Readiness))
)]
pub(super) async fn readyz(State(state): State<AppState>) -> (StatusCode, Json<Readiness>) {
    let patience =
        Duration::from_millis(state.config().db_acquire_timeout_ms.min(READY_PATIENCE_MS));
    if state.db().ping(patience).await {
        (StatusCode::OK, Json(Readiness { database: "ok" }))
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Readiness {
                database: "unreachable",
            }),
        )
    }
}

/// Prometheus metrics in the OpenMetrics text format.
#[utoipa::path(
    get, path = "/metrics", tag = "operations",
    responses((
        status = 200, body = String,
        content_type = "application/openmetrics-text; version=1.0.0; charset=utf-8"
    ))
)]
pub(super) async fn metrics(State(state): State<AppState>) -> Response {
    let text = state
        .metrics()
        .render(state.registry(), state.db().pool_figures());
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        text,
    )
        .into_response()
}

/// This API's OpenAPI 3 document, generated from the handlers' annotations.
pub(super) async fn openapi(State(state): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        state.openapi_json().to_owned(),
    )
        .into_response()
}
