//! Health, version, front-end configuration, OpenAPI document, missions of the funding grid.

use axum::extract::State;
use axum::response::IntoResponse;
use serde_json::{json, Value};

use crate::http::extract::Json;
use crate::http::AppState;

/// Liveness.
#[utoipa::path(get, path = "/health", tag = "service",
    responses((status = 200, description = "`{\"status\": \"ok\"}`", body = Object)))]
pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

/// Version and loaded dataset.
#[utoipa::path(get, path = "/version", tag = "service",
    responses((status = 200, body = Object, description = "`name`, `version` and `dataset`: \
        `vintage`, counts of `communes`, `communes_with_polygon`, `arrondissements`, `iris`, \
        and the `funding_grid` id")))]
pub async fn version(State(state): State<AppState>) -> Json<Value> {
    let geography = state.atlas.geography();
    Json(json!({
        "name": env!("CARGO_PKG_NAME"),
        "version": env!("CARGO_PKG_VERSION"),
        "dataset": {
            "vintage": geography.vintage,
            "communes": geography.communes.len(),
            "communes_with_polygon": geography.communes.iter().filter(|c| c.geometry.is_some()).count(),
            "arrondissements": geography.arrondissements.len(),
            "iris": state.atlas.iris_layer().iris.len(),
            "funding_grid": state.grid.id,
        }
    }))
}

/// Front-end configuration (optional tile URL).
#[utoipa::path(get, path = "/config", tag = "service",
    responses((status = 200, body = Object, description = "`tile_url` and `tile_attribution` \
        (null when the server has none)")))]
pub async fn config(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "tile_url": state.config.tile_url,
        "tile_attribution": state.config.tile_attribution,
    }))
}

/// This document (OpenAPI 3.1), generated from the code.
#[utoipa::path(get, path = "/openapi.json", tag = "service",
    responses((status = 200, body = Object, content_type = "application/json",
        description = "The OpenAPI 3.1 document")))]
pub async fn openapi() -> impl IntoResponse {
    (
        [("content-type", "application/json")],
        crate::http::openapi::DOCUMENT.as_str(),
    )
}

/// Missions of the funding grid.
#[utoipa::path(get, path = "/missions", tag = "service",
    responses((status = 200, body = Object, description = "The server's funding grid: `grid`, \
        `label`, `source`, `indicators_note`, and its `missions` (`id`, `label`, `mandatory`, \
        `supplement`, `deadline_months`, follow-up `indicators`)")))]
pub async fn missions(State(state): State<AppState>) -> Json<Value> {
    let missions: Vec<Value> = state
        .grid
        .missions
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "label": m.label,
                "mandatory": m.mandatory,
                "supplement": m.supplement,
                "deadline_months": m.deadline_months,
                "indicators": m.indicators,
            })
        })
        .collect();
    Json(json!({
        "grid": state.grid.id,
        "label": state.grid.label,
        "source": state.grid.source,
        "indicators_note": state.grid.indicators_note,
        "missions": missions,
    }))
}
