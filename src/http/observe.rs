//! Observability: request ids, one log line per request with its latency, Prometheus metrics.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tower_http::request_id::{MakeRequestId, RequestId};

use super::AppState;

/// Latency histogram buckets, seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// Request counts and latency histograms by route, method and status class.
#[derive(Default)]
pub struct Metrics {
    series: Mutex<BTreeMap<(String, String, u16), Series>>,
}

#[derive(Default, Clone)]
struct Series {
    count: u64,
    sum_seconds: f64,
    buckets: [u64; BUCKETS.len()],
}

impl Metrics {
    fn observe(&self, route: String, method: String, status: u16, seconds: f64) {
        let mut series = self.series.lock().unwrap_or_else(|e| e.into_inner());
        let s = series.entry((route, method, status)).or_default();
        s.count += 1;
        s.sum_seconds += seconds;
        for (bucket, le) in s.buckets.iter_mut().zip(BUCKETS) {
            if seconds <= le {
                *bucket += 1;
            }
        }
    }

    /// The Prometheus text exposition format (version 0.0.4).
    pub fn render(&self) -> String {
        let series = self
            .series
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone();
        let mut out = String::from(
            "# HELP cpts_atlas_http_requests_total HTTP requests answered.\n\
             # TYPE cpts_atlas_http_requests_total counter\n",
        );
        for ((route, method, status), s) in &series {
            out += &format!(
                "cpts_atlas_http_requests_total{{route=\"{route}\",method=\"{method}\",status=\"{status}\"}} {}\n",
                s.count
            );
        }
        out += "# HELP cpts_atlas_http_request_duration_seconds Time to answer, by route.\n\
                # TYPE cpts_atlas_http_request_duration_seconds histogram\n";
        let mut by_route: BTreeMap<(&str, &str), Series> = BTreeMap::new();
        for ((route, method, _), s) in &series {
            let r = by_route.entry((route, method)).or_default();
            r.count += s.count;
            r.sum_seconds += s.sum_seconds;
            for (a, b) in r.buckets.iter_mut().zip(s.buckets) {
                *a += b;
            }
        }
        for ((route, method), s) in by_route {
            let labels = format!("route=\"{route}\",method=\"{method}\"");
            for (le, n) in BUCKETS.iter().zip(s.buckets) {
                out += &format!(
                    "cpts_atlas_http_request_duration_seconds_bucket{{{labels},le=\"{le}\"}} {n}\n"
                );
            }
            out += &format!(
                "cpts_atlas_http_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} {}\n\
                 cpts_atlas_http_request_duration_seconds_sum{{{labels}}} {}\n\
                 cpts_atlas_http_request_duration_seconds_count{{{labels}}} {}\n",
                s.count, s.sum_seconds, s.count
            );
        }
        out
    }
}

/// Middleware: times the request, records it, and logs one line with the request id.
pub async fn record(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or("unmatched", MatchedPath::as_str)
        .to_string();
    let method = method_label(request.method()).to_string();
    let id = request
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok())
        .unwrap_or("-")
        .to_string();
    let path = request.uri().path().to_string();
    let response = next.run(request).await;
    let seconds = started.elapsed().as_secs_f64();
    let status = response.status().as_u16();
    tracing::info!(
        request_id = %id,
        method = %method,
        path = %path,
        status,
        latency_ms = format_args!("{:.2}", seconds * 1e3),
        "request"
    );
    state.metrics.observe(route, method, status, seconds);
    response
}

/// The method as a metrics label: one of a fixed set, so that odd methods cannot grow the
/// series (every distinct label is a series kept for the life of the process).
fn method_label(method: &axum::http::Method) -> &'static str {
    use axum::http::Method;
    [
        Method::GET,
        Method::HEAD,
        Method::POST,
        Method::PUT,
        Method::PATCH,
        Method::DELETE,
        Method::OPTIONS,
    ]
    .iter()
    .find(|m| *m == method)
    .map_or("OTHER", Method::as_str)
}

/// Prometheus metrics (text format 0.0.4).
#[utoipa::path(get, path = "/metrics", tag = "service",
    responses((status = 200, body = String, content_type = "text/plain; version=0.0.4",
        description = "Request counts and latency histograms by route, method and status")))]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    (
        StatusCode::OK,
        [("content-type", "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
}

/// Longest client request id kept.
const MAX_REQUEST_ID: usize = 64;

/// Whether a client's `x-request-id` may be kept (and logged): 1 to 64 ASCII letters, digits,
/// `-`, `_` or `.`; anything else is replaced by a generated id.
fn valid_request_id(id: &[u8]) -> bool {
    (1..=MAX_REQUEST_ID).contains(&id.len())
        && id
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Middleware before the request-id layer: a client's `x-request-id` that is not a
/// [`valid_request_id`] is dropped, so that a fresh one is generated (never logged verbatim).
pub async fn screen_request_id(mut request: Request, next: Next) -> Response {
    let headers = request.headers_mut();
    if headers
        .get(REQUEST_ID)
        .is_some_and(|v| !valid_request_id(v.as_bytes()))
        || headers.get_all(REQUEST_ID).iter().count() > 1
    {
        headers.remove(REQUEST_ID);
    }
    next.run(request).await
}

/// The request id header.
pub const REQUEST_ID: &str = "x-request-id";

/// Request ids: a process-unique counter, sent back in `x-request-id`.
#[derive(Clone, Default)]
pub struct Counter(std::sync::Arc<AtomicU64>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed);
        HeaderValue::from_str(&format!("{:x}-{n}", std::process::id()))
            .ok()
            .map(RequestId::new)
    }
}

#[cfg(test)]
mod tests {
    use super::{method_label, valid_request_id};
    use axum::http::Method;

    #[test]
    fn labels_and_ids() {
        assert_eq!(method_label(&Method::PATCH), "PATCH");
        assert_eq!(
            method_label(&Method::from_bytes(b"XRANDOM").unwrap()),
            "OTHER"
        );
        assert!(valid_request_id(b"abc-1_2.3"));
        assert!(!valid_request_id(b""));
        assert!(!valid_request_id(b"a b"));
        assert!(!valid_request_id(&[b'a'; 65]));
    }
}
