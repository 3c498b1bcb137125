//! The contract every answer keeps, whatever route or layer produced it: errors as the JSON body
//! `{"error": {"code", "message"}}`, no compressed request bodies, and a byte budget on answers.

use axum::body::HttpBody;
use axum::extract::{Request, State};
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::{AppError, AppState};

/// Most bytes of a non-JSON error body read back to become the message.
const MAX_ERROR_BODY: usize = 4096;

/// Middleware: an error answer that is not JSON (from axum's rejections, `ServeDir`, the body
/// limit, the timeout...) is replaced by the JSON error body for its status, its text kept as
/// the message.
pub async fn json_errors(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    let status = response.status();
    let is_json = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("application/json"));
    if !(status.is_client_error() || status.is_server_error()) || is_json {
        return response;
    }
    let (parts, body) = response.into_parts();
    let text = axum::body::to_bytes(body, MAX_ERROR_BODY)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = if text.is_empty() {
        status.canonical_reason().unwrap_or("error").to_string()
    } else {
        text
    };
    let mut answer = AppError::new(status, code_of(status), message).into_response();
    // Keep the headers that say how to retry (Allow of a 405, Retry-After...).
    for name in [header::ALLOW, header::RETRY_AFTER, header::WWW_AUTHENTICATE] {
        if let Some(value) = parts.headers.get(&name) {
            answer.headers_mut().insert(name, value.clone());
        }
    }
    answer
}

/// The error code of a status produced outside the handlers.
fn code_of(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::NOT_ACCEPTABLE => "not_acceptable",
        StatusCode::REQUEST_TIMEOUT => "timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::URI_TOO_LONG => "uri_too_long",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::RANGE_NOT_SATISFIABLE => "range_not_satisfiable",
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => "headers_too_large",
        StatusCode::SERVICE_UNAVAILABLE => "unavailable",
        s if s.is_server_error() => "internal",
        _ => "bad_request",
    }
}

/// Middleware: request bodies must not be encoded (`Content-Encoding: gzip`...): the service
/// does not inflate them, so the body limit keeps meaning what it says. 415 otherwise.
pub async fn refuse_encoded_bodies(request: Request, next: Next) -> Response {
    let encoded = request
        .headers()
        .get_all(header::CONTENT_ENCODING)
        .iter()
        .any(|v| !v.as_bytes().eq_ignore_ascii_case(b"identity"));
    if encoded {
        return AppError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_encoding",
            "request bodies must not be compressed (Content-Encoding): send them as they are",
        )
        .into_response();
    }
    next.run(request).await
}

/// Middleware: an answer larger than the configured byte budget (`max_answer_bytes`) is
/// replaced by a 413 naming the limit. The routes whose answers grow with the input check the
/// budget before they build them ([`too_large`]); this catches whatever they missed.
pub async fn bound_answers(
    State(state): State<AppState>,
    request: Request,
    next: Next,
) -> Response {
    let response = next.run(request).await;
    let size = response.body().size_hint().lower();
    let limit = state.config.max_answer_bytes;
    if size as usize > limit {
        return too_large(size as usize, limit).into_response();
    }
    response
}

/// The 413 of an answer of about `bytes` bytes over the budget of `limit`.
pub fn too_large(bytes: usize, limit: usize) -> AppError {
    AppError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "answer_too_large",
        format!(
            "the answer would be about {} MiB, more than the limit of {} MiB (max_answer_bytes): \
             ask for a smaller territory, `territory=simplified` or `territory=none`, or a \
             format without geometry (csv)",
            bytes.div_ceil(1 << 20),
            limit >> 20
        ),
    )
}

/// Bytes one vertex takes in a GeoJSON answer, about (`[5.4474539,43.5298424],`).
pub const GEOJSON_BYTES_PER_VERTEX: usize = 24;

/// Bytes one vertex takes in a binary answer (GeoParquet, FlatGeobuf: two f64).
pub const BINARY_BYTES_PER_VERTEX: usize = 16;

/// Checks an answer made of `outlines` against the budget before it is built, estimated at
/// `bytes_per_vertex`.
pub fn check_outlines<'a>(
    state: &AppState,
    outlines: impl Iterator<Item = Option<&'a geo::MultiPolygon<f64>>>,
    bytes_per_vertex: usize,
) -> Result<(), AppError> {
    use geo::CoordsIter;
    let vertices: usize = outlines.flatten().map(|o| o.coords_count()).sum();
    let bytes = vertices.saturating_mul(bytes_per_vertex);
    if bytes > state.config.max_answer_bytes {
        return Err(too_large(bytes, state.config.max_answer_bytes));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_have_codes() {
        assert_eq!(
            code_of(StatusCode::METHOD_NOT_ALLOWED),
            "method_not_allowed"
        );
        assert_eq!(code_of(StatusCode::IM_A_TEAPOT), "bad_request");
        assert_eq!(code_of(StatusCode::BAD_GATEWAY), "internal");
    }
}
