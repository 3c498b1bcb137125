//! Links of the OGC answers: absolute hrefs from the configured public URL (else the request's
//! Host), media types and `f`.

use axum::http::{header, HeaderMap, StatusCode};
use serde_json::{json, Value};

use crate::http::{AppError, AppState};

/// The media types the OGC routes speak.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum MediaType {
    Json,
    GeoJson,
    OpenApi,
}

impl MediaType {
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json => "application/json",
            Self::GeoJson => "application/geo+json",
            Self::OpenApi => "application/vnd.oai.openapi+json;version=3.1",
        }
    }

    /// The `f` parameter naming this type.
    pub fn f(self) -> &'static str {
        match self {
            Self::GeoJson => "geojson",
            _ => "json",
        }
    }

    /// The other encoding of features (JSON <-> GeoJSON), for `alternate` links.
    pub fn other(self) -> Self {
        match self {
            Self::GeoJson => Self::Json,
            _ => Self::GeoJson,
        }
    }

    /// The type of the answer from `f` (`json`, `geojson`) or else the Accept header; features
    /// default to GeoJSON, other resources are JSON. 400 for another `f`, 406 when Accept allows
    /// neither.
    pub fn negotiate(
        f: Option<&str>,
        headers: &HeaderMap,
        features: bool,
    ) -> Result<Self, AppError> {
        let default = if features { Self::GeoJson } else { Self::Json };
        match f {
            Some("json") => return Ok(Self::Json),
            Some("geojson") if features => return Ok(Self::GeoJson),
            Some("geojson") => return Ok(Self::Json),
            Some(other) => {
                return Err(AppError::bad_request(
                    "invalid_format",
                    format!("f must be json or geojson, not {other:?} (no HTML encoding)"),
                ))
            }
            None => {}
        }
        let Some(accept) = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()) else {
            return Ok(default);
        };
        let types: Vec<&str> = accept
            .split(',')
            .filter_map(|t| t.split(';').next())
            .map(str::trim)
            .collect();
        let allows = |t: &str| types.contains(&t);
        if allows("*/*") || allows("application/*") || allows("application/geo+json") {
            Ok(default)
        } else if allows("application/json") {
            Ok(Self::Json)
        } else {
            Err(AppError::new(
                StatusCode::NOT_ACCEPTABLE,
                "not_acceptable",
                format!("this resource is served as application/json or application/geo+json, not {accept:?}"),
            ))
        }
    }
}

/// Where the service is, as the client reached it.
pub struct Base(String);

impl Base {
    /// The configured public URL (`--public-url`), else `scheme://host` from the Host header
    /// (and `X-Forwarded-Proto` behind a proxy).
    pub fn of(state: &AppState, headers: &HeaderMap) -> Self {
        if let Some(url) = &state.config.public_url {
            return Self(url.trim_end_matches('/').to_string());
        }
        let text = |name| {
            headers
                .get(name)
                .and_then(|v: &header::HeaderValue| v.to_str().ok())
        };
        let host = text(header::HOST).unwrap_or("localhost");
        let scheme = match text(header::HeaderName::from_static("x-forwarded-proto")) {
            Some("https") => "https",
            _ => "http",
        };
        Self(format!("{scheme}://{host}"))
    }

    /// An absolute href to a path of the service.
    pub fn root(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// An absolute href under `/ogc`.
    pub fn ogc(&self, path: &str) -> String {
        format!("{}/ogc{path}", self.0)
    }
}

/// A link object.
pub fn link(href: String, rel: &str, media: MediaType, title: &str) -> Value {
    json!({"href": href, "rel": rel, "type": media.content_type(), "title": title})
}
