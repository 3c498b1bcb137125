//! The front end: `web/` files, vendored npm packages, and the security headers of every answer.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use axum::http::{header, HeaderValue, Request, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use tower_http::services::{ServeDir, ServeFile};
use tower_http::set_header::SetResponseHeaderLayer;

use super::{AppError, AppState, ServerConfig};

/// Page and static routes: `/` (index.html), `/report` (the printable diagnosis, report.html),
/// `/static/*` (web/), `/vendor/{leaflet,geoman}/*`, each folder behind [`only_public_files`].
pub fn routes(config: &ServerConfig) -> Router<AppState> {
    let web = &config.web_dir;
    let modules = web.join("node_modules");
    let folder = |root: PathBuf| {
        let guarded = Arc::new(root.clone());
        Router::new()
            .fallback_service(ServeDir::new(root))
            .layer(middleware::from_fn(
                move |request: Request<axum::body::Body>, next: Next| {
                    only_public_files(guarded.clone(), request, next)
                },
            ))
    };
    Router::new()
        .route_service("/", ServeFile::new(web.join("index.html")))
        .route_service("/report", ServeFile::new(web.join("report.html")))
        .nest_service("/static", folder(web.clone()))
        .nest_service("/vendor/leaflet", folder(modules.join("leaflet/dist")))
        .nest_service(
            "/vendor/geoman",
            folder(modules.join("@geoman-io/leaflet-geoman-free/dist")),
        )
}

/// Extensions of the files the front end is made of; anything else (`package.json`, `.env`,
/// sources, READMEs) is not served.
const PUBLIC_EXTENSIONS: &[&str] = &[
    "html", "css", "js", "mjs", "map", "svg", "png", "jpg", "jpeg", "webp", "gif", "ico",
    "geojson", "woff", "woff2",
];

/// `web/` also holds npm's files: only the front end's own files are served from a folder,
/// judged on the decoded path, then on the real file (symlinks resolved) inside the folder.
async fn only_public_files(
    root: Arc<PathBuf>,
    request: Request<axum::body::Body>,
    next: Next,
) -> Response {
    let path = request.uri().path().to_string();
    let public = tokio::task::spawn_blocking(move || public_file(&root, &path))
        .await
        .unwrap_or(false);
    if !public {
        return AppError::new(StatusCode::NOT_FOUND, "not_found", "no such file").into_response();
    }
    next.run(request).await
}

/// Whether the raw (percent-encoded) `path` names a public file inside `root`: decoded, no
/// encoded separator, every segment a plain name (no dot file, no `node_modules`, no
/// `package*`), a front-end extension, and the canonical file under the canonical root.
fn public_file(root: &Path, path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    if lower.contains("%2f") || lower.contains("%5c") || lower.contains("%00") {
        return false;
    }
    let Some(decoded) = percent_decode(path) else {
        return false;
    };
    let segments: Vec<&str> = decoded.trim_start_matches('/').split('/').collect();
    let plain = |s: &&str| {
        !s.is_empty()
            && !s.starts_with('.')
            && *s != "node_modules"
            && !s.starts_with("package")
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'@'))
    };
    if !segments.iter().all(plain) {
        return false;
    }
    let extension = segments
        .last()
        .and_then(|name| name.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase());
    if !extension.is_some_and(|ext| PUBLIC_EXTENSIONS.contains(&ext.as_str())) {
        return false;
    }
    let (Ok(root), Ok(file)) = (
        root.canonicalize(),
        root.join(segments.join("/")).canonicalize(),
    ) else {
        return false;
    };
    file.starts_with(&root) && file.is_file()
}

/// `%XX`-decodes a path; `None` for a malformed escape or bytes that are not UTF-8.
fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
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
    use super::{percent_decode, public_file, tile_origin};

    #[test]
    fn public_files_only() {
        let web = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("web");
        assert!(public_file(&web, "/app.js"));
        assert!(public_file(&web, "/js/%61pi.js"));
        for path in [
            "/package.json",
            "/%70ackage.json",
            "/node_modules%2fleaflet%2fpackage.json",
            "/%2eenv",
            "/js/../app.js",
            "/js/%2e%2e/app.js",
            "/",
            "/js",
            "/bad%zz.js",
        ] {
            assert!(!public_file(&web, path), "{path}");
        }
        assert_eq!(percent_decode("/a%20b").as_deref(), Some("/a b"));
        assert_eq!(percent_decode("/a%2"), None);
    }

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
