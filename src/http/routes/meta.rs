//! Health, version, front-end configuration, OpenAPI document, missions of the funding grid.

use axum::extract::State;
use axum::response::IntoResponse;
use serde_json::{json, Value};

use crate::http::extract::Json;
use crate::http::AppState;

const OPENAPI: &str = include_str!("../openapi.json");

pub async fn health() -> Json<Value> {
    Json(json!({ "status": "ok" }))
}

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

pub async fn config(State(state): State<AppState>) -> Json<Value> {
    Json(json!({
        "tile_url": state.config.tile_url,
        "tile_attribution": state.config.tile_attribution,
    }))
}

pub async fn openapi() -> impl IntoResponse {
    ([("content-type", "application/json")], OPENAPI)
}

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
