//! `GET /api/iris?bbox=` and `GET /api/arrondissements?bbox=`: the IRIS and the arrondissements
//! municipaux (outlines dissolved from the IRIS) in a box, the map's layers at high zoom.

use axum::extract::State;
use serde::Deserialize;
use serde_json::json;

use super::communes::{bounded, parse_bbox};
use crate::diagnosis::layers::geojson::{collection, feature, properties};
use crate::engine::CommuneRef;
use crate::http::extract::{Json, Query};
use crate::http::{AppError, AppState};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BboxQuery {
    /// `minlon,minlat,maxlon,maxlat` in WGS84 degrees.
    bbox: String,
}

/// IRIS loaded in a bounding box (map layer at high zoom).
#[utoipa::path(get, path = "/iris", tag = "map", params(BboxQuery),
    responses(
        (status = 200, body = Object, description = "GeoJSON FeatureCollection of the IRIS \
            (properties `code`, `name`, `type`, `commune`, `arrondissement`, `population`, \
            `method`)"),
        (status = 400, body = AppError, description = "`invalid_bbox`, `invalid_query`"),
        (status = 422, body = AppError, description = "`too_many_features`: zoom in"),
    ))]
pub async fn iris(
    State(state): State<AppState>,
    Query(query): Query<BboxQuery>,
) -> Result<Json<geojson::FeatureCollection>, AppError> {
    let [min_lon, min_lat, max_lon, max_lat] = parse_bbox(&query.bbox)?;
    let atlas = &state.atlas;
    let indexes = bounded(
        atlas.iris_in_bbox(min_lon, min_lat, max_lon, max_lat),
        state.config.max_features,
        "IRIS",
    )?;
    let features = indexes
        .into_iter()
        .map(|i| {
            let iris = atlas.iris(i);
            let (commune, arrondissement) = match atlas.find(&iris.unit) {
                Some(CommuneRef::Arrondissement(a)) => {
                    (atlas.arrondissement(a).commune.as_str(), Some(&iris.unit))
                }
                _ => (iris.unit.as_str(), None),
            };
            let share = atlas.iris_share(i);
            let props = properties(&json!({
                "code": iris.code,
                "name": iris.name,
                "type": iris.kind,
                "commune": commune,
                "arrondissement": arrondissement,
                "population": share.map(|s| s.population.round()),
                "method": share.map(|s| s.method),
            }));
            feature(&iris.code, iris.geometry.as_ref(), props)
        })
        .collect();
    Ok(Json(collection(features)))
}

/// Arrondissements municipaux of Paris, Lyon and Marseille with an outline in a bounding box
/// (map layer from zoom 12).
#[utoipa::path(get, path = "/arrondissements", tag = "map", params(BboxQuery),
    responses(
        (status = 200, body = Object, description = "GeoJSON FeatureCollection of the \
            arrondissements (outlines dissolved from their IRIS; properties `code`, `name`, \
            `commune`, `population` (legal, COG)); empty where no IRIS are loaded"),
        (status = 400, body = AppError, description = "`invalid_bbox`, `invalid_query`"),
        (status = 422, body = AppError, description = "`too_many_features`: zoom in"),
    ))]
pub async fn arrondissements(
    State(state): State<AppState>,
    Query(query): Query<BboxQuery>,
) -> Result<Json<geojson::FeatureCollection>, AppError> {
    let [min_lon, min_lat, max_lon, max_lat] = parse_bbox(&query.bbox)?;
    let atlas = &state.atlas;
    let indexes = bounded(
        atlas.arrondissements_in_bbox(min_lon, min_lat, max_lon, max_lat),
        state.config.max_features,
        "arrondissements",
    )?;
    let features = indexes
        .into_iter()
        .map(|k| {
            let a = atlas.arrondissement(k);
            let props = properties(&json!({
                "code": a.code,
                "name": a.name,
                "commune": a.commune,
                "population": a.population,
            }));
            feature(&a.code, atlas.arrondissement_outline(&a.code), props)
        })
        .collect();
    Ok(Json(collection(features)))
}
