//! API routes: one file per resource.

mod communes;
mod diagnosis;
mod dossier;
mod exports;
mod health_layers;
mod iris;
mod meta;
mod ogc;
mod proposals;
mod registry;
mod search;
mod territories;

use axum::http::StatusCode;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::{AppError, AppState};

/// Every route of the service but the static front end: `/api`, `/ogc` and `/metrics`. Each is
/// registered by `routes!` from its handler's `#[utoipa::path]`, so the router and the OpenAPI
/// document are made from the same list (`.route(...)` would bypass it: tests/openapi.rs
/// refuses it).
pub fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .nest("/api", api())
        .merge(ogc::routes())
        .routes(routes!(super::observe::metrics))
}

/// The `/api` routes.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(meta::health))
        .routes(routes!(meta::version))
        .routes(routes!(meta::config))
        .routes(routes!(meta::openapi))
        .routes(routes!(meta::missions))
        .routes(routes!(communes::communes))
        .routes(routes!(iris::iris))
        .routes(routes!(iris::arrondissements))
        .routes(routes!(search::search))
        .routes(routes!(diagnosis::diagnosis))
        .routes(routes!(exports::diagnosis_communes))
        .routes(routes!(dossier::letter))
        .routes(routes!(dossier::budget))
        .routes(routes!(health_layers::apl))
        .routes(routes!(health_layers::hospitals))
        .routes(routes!(registry::cpts))
        .routes(routes!(registry::overlaps))
        .routes(routes!(registry::coverage))
        .routes(routes!(proposals::proposals, proposals::save))
        .routes(routes!(territories::list, territories::create))
        .routes(routes!(
            territories::get,
            territories::update,
            territories::delete
        ))
        .routes(routes!(exports::saved_communes))
        .routes(routes!(dossier::saved_letter))
        .routes(routes!(dossier::saved_budget))
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
