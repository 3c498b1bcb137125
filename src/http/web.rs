//! The front end: `web/` files, vendored npm packages, and the security headers of every answer.

use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use super::{AppError, AppState, ServerConfig};

/// Page and static routes: `/` (index.html), `/report` (the printable diagnosis, report.html),
/// `/static/*` (web/), `/vendor/{leaflet,geoman}/*`.
pub fn routes(config: &ServerConfig) -> Router<AppState> {
    let web = &config.web_dir;
    let modules = web.join("node_modules");
    Router::new()
        .route_service("/", ServeFile::new(web.join("index.html")))
        .route_service("/report", ServeFile::new(web.join("report.html")))
        .nest_service(
            "/static",
            Router::new()
                .fallback_service(ServeDir::new(web))
                .layer(middleware::from_fn(refuse_private_files)),
        )
        .nest_service(
            "/vendor/leaflet",
            ServeDir::new(modules.join("leaflet/dist")),
        )
        .nest_service(
            "/vendor/geoman",
            ServeDir::new(modules.join("@geoman-io/leaflet-geoman-free/dist")),
        )
}

/// `web/` also holds npm's files: only the front end's own files are served from it.
async fn refuse_private_files(request: Request<axum::body::Body>, next: Next) -> Response {
    let path = request.uri().path();
    let private = path.split('/').any(|segment| {
        segment == "node_modules" || segment.starts_with('.') || segment.starts_with("package")
    });
    if private {
        return AppError::new(StatusCode::NOT_FOUND, "not_found", "no such file").into_response();
    }
    next.run(request).await
}

/// Adds the Content-Security-Policy and the other security headers to every answer.
pub fn with_security_headers<S: Clone + Send + Sync + 'static>(
    router: Router<S>,
    config: &ServerConfig,
) -> Router<S> {
    let tile_host = config
        .tile_url
        .as_deref()
        .and_then(tile_origin)
        .map(|origin| format!(" {origin}"))
        .unwrap_or_default();
    let csp = format!(
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:{tile_host}; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    );
    let csp = HeaderValue::from_str(&csp).unwrap_or(HeaderValue::from_static("default-src 'self'"));
    let headers = [
        (header::CONTENT_SECURITY_POLICY, csp),
        (
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ),
        (
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        ),
        (header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")),
    ];
    headers.into_iter().fold(router, |router, (name, value)| {
        router.layer(SetResponseHeaderLayer::if_not_present(name, value))
    })
}

/// CORS: closed unless origins are configured (`--cors-origin`); then GET/POST/PATCH/DELETE
/// from those origins, with the `authorization` and `content-type` headers.
pub fn cors(config: &ServerConfig) -> tower_http::cors::CorsLayer {
    use tower_http::cors::{AllowOrigin, CorsLayer};
    let origins: Vec<HeaderValue> = config
        .cors_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    if origins.is_empty() {
        return CorsLayer::new();
    }
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([
            axum::http::Method::GET,
            axum::http::Method::POST,
            axum::http::Method::PATCH,
            axum::http::Method::DELETE,
        ])
        .allow_headers([header::AUTHORIZATION, header::CONTENT_TYPE])
}

/// `https://tiles.example.org/{z}/{x}/{y}.png` -> `https://tiles.example.org`.
fn tile_origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let host = rest.split('/').next()?;
    let host_ok = !host.is_empty()
        && host
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '{' | '}'));
    (matches!(scheme, "http" | "https") && host_ok)
        .then(|| format!("{scheme}://{}", host.replace("{s}", "*")))
}

#[cfg(test)]
mod tests {
    use super::tile_origin;

    #[test]
    fn tile_origins() {
        assert_eq!(
            tile_origin("https://{s}.tile.example.org/{z}/{x}/{y}.png").as_deref(),
            Some("https://*.tile.example.org")
        );
        assert_eq!(tile_origin("javascript:alert(1)"), None);
        assert_eq!(tile_origin("https://a b/x"), None);
    }
}
