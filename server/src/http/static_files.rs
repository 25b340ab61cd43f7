//! The web client: plain ES modules from `web-client/`, embedded in release builds and read from
//! disk in debug builds (rust-embed), so that a reload shows an edit during development.

use super::error::ApiError;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use rust_embed::RustEmbed;

#[derive(RustEmbed)]
#[folder = "../web-client/"]
struct WebClient;

/// Scripts and styles from our own origin only; media from the camera (blob:); WebSocket
/// signalling to ourselves; never framed by another site.
pub(super) const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; \
     style-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; \
     connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// `/` is `index.html`, `/join` is `join.html`, anything with an extension is the file itself.
/// Paths that try to climb out of the folder (`..`, `\\`, hidden files) name nothing.
fn file_for(path: &str) -> Option<String> {
    let path = path.trim_start_matches('/');
    if path.contains('\\') || path.split('/').any(|part| part.starts_with('.')) {
        return None;
    }
    Some(if path.is_empty() {
        "index.html".to_owned()
    } else if path
        .rsplit('/')
        .next()
        .is_some_and(|last| last.contains('.'))
    {
        path.to_owned()
    } else {
        format!("{path}.html")
    })
}

pub(super) async fn serve(uri: Uri, headers: HeaderMap) -> Response {
    if uri.path().starts_with("/api/") {
        return ApiError::not_found().into_response();
    }
    let Some((name, file)) = file_for(uri.path()).and_then(|name| {
        let file = WebClient::get(&name)?;
        Some((name, file))
    }) else {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    };
    let etag = format!("\"{}\"", hex::encode(file.metadata.sha256_hash()));
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == etag);
    let mime = mime_guess::from_path(&name).first_or_octet_stream();
    let mut response = if fresh {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        (
            [(header::CONTENT_TYPE, mime.as_ref())],
            file.data.into_owned(),
        )
            .into_response()
    };
    let h = response.headers_mut();
    // Revalidate every time: the ETag makes that cheap, and an upgraded server never leaves a
    // browser with an old module that no longer matches the API.
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    if let Ok(value) = HeaderValue::from_str(&etag) {
        h.insert(header::ETAG, value);
    }
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_paths_map_to_html_files() {
        assert_eq!(file_for("/").unwrap(), "index.html");
        assert_eq!(file_for("/join").unwrap(), "join.html");
        assert_eq!(file_for("/js/api.js").unwrap(), "js/api.js");
        assert_eq!(file_for("/css/app.css").unwrap(), "css/app.css");
    }

    #[test]
    fn paths_cannot_climb_out_or_reach_hidden_files() {
        assert_eq!(file_for("/../Cargo.toml"), None);
        assert_eq!(file_for("/js/../../secret"), None);
        assert_eq!(file_for("/.git/config"), None);
        assert_eq!(file_for("/js\\..\\x"), None);
    }
}
