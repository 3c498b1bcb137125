//! API routes: one file per resource.

mod communes;
mod diagnosis;
mod dossier;
mod exports;
mod health;
mod iris;
mod meta;
mod ogc;
mod proposals;
mod registry;
mod search;
mod territories;

use axum::http::StatusCode;
use axum::routing::{get, post};
use axum::Router;

use super::{AppError, AppState};

pub use ogc::routes as ogc;

/// The `/api` router.
pub fn api() -> Router<AppState> {
    Router::new()
        .route("/health", get(meta::health))
        .route("/version", get(meta::version))
        .route("/config", get(meta::config))
        .route("/openapi.json", get(meta::openapi))
        .route("/missions", get(meta::missions))
        .route("/communes", get(communes::communes))
        .route("/iris", get(iris::iris))
        .route("/arrondissements", get(iris::arrondissements))
        .route("/search", get(search::search))
        .route("/diagnosis", post(diagnosis::diagnosis))
        .route("/diagnosis/communes", post(exports::diagnosis_communes))
        .route("/dossier/letter", post(dossier::letter))
        .route("/dossier/budget", post(dossier::budget))
        .route("/apl", get(health::apl))
        .route("/hospitals", get(health::hospitals))
        .route("/cpts", get(registry::cpts))
        .route("/overlaps", get(registry::overlaps))
        .route("/coverage", get(registry::coverage))
        .route(
            "/proposals",
            get(proposals::proposals).post(proposals::save),
        )
        .route(
            "/territories",
            get(territories::list).post(territories::create),
        )
        .route(
            "/territories/{id}",
            get(territories::get)
                .patch(territories::update)
                .delete(territories::delete),
        )
        .route("/territories/{id}/communes", get(exports::saved_communes))
        .route("/territories/{id}/letter", get(dossier::saved_letter))
        .route("/territories/{id}/budget", get(dossier::saved_budget))
        .fallback(not_found)
}

/// Unknown routes answer a JSON 404.
pub async fn not_found(uri: axum::http::Uri) -> AppError {
    AppError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("no route for {}", uri.path()),
    )
}
