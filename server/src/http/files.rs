//! Answers that are files: the package, the PDF, the bundle, the dossier, the figures as CSV.

use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A file the browser shows (`inline`) or saves (`attachment`) under `filename`.
pub(super) fn file(
    content_type: &str,
    inline: bool,
    filename: &str,
    body: impl IntoResponse,
) -> Response {
    let disposition = if inline { "inline" } else { "attachment" };
    (
        [
            (header::CONTENT_TYPE, content_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("{disposition}; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}
