//! `GET /api/communes?bbox=&zoom=`: the communes layer of the map, simplified for the zoom.

use axum::extract::State;
use serde::Deserialize;
use serde_json::json;

use crate::diagnosis::layers::geojson::{collection, feature, properties};
use crate::http::extract::{Json, Query};
use crate::http::{AppError, AppState};
use crate::model::check_wgs84;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CommunesQuery {
    /// `minlon,minlat,maxlon,maxlat` in WGS84 degrees.
    bbox: String,
    /// Map zoom the outlines are simplified for, 0 to 24 (default 12: full outlines).
    zoom: Option<u8>,
}

/// Parses `minlon,minlat,maxlon,maxlat` into a valid WGS84 box.
pub fn parse_bbox(text: &str) -> Result<[f64; 4], AppError> {
    let bad = |why: &str| {
        AppError::bad_request(
            "invalid_bbox",
            format!("bbox must be minlon,minlat,maxlon,maxlat in WGS84 degrees: {why}"),
        )
    };
    let values: Vec<f64> = text
        .split(',')
        .map(|v| v.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| bad("not four numbers"))?;
    let [min_lon, min_lat, max_lon, max_lat]: [f64; 4] =
        values.try_into().map_err(|_| bad("not four numbers"))?;
    for (lon, lat) in [(min_lon, min_lat), (max_lon, max_lat)] {
        check_wgs84(lon, lat).map_err(|e| bad(&e.to_string()))?;
    }
    if min_lon > max_lon || min_lat > max_lat {
        return Err(bad("min greater than max"));
    }
    Ok([min_lon, min_lat, max_lon, max_lat])
}

/// The indexes of a layer's features in a box, sorted; more than `max` is refused (422).
pub fn bounded(
    indexes: impl Iterator<Item = usize>,
    max: usize,
    noun: &str,
) -> Result<Vec<usize>, AppError> {
    let mut indexes: Vec<usize> = indexes.collect();
    if indexes.len() > max {
        return Err(AppError::unprocessable(
            "too_many_features",
            format!(
                "{} {noun} in this box, more than {max}: zoom in or send a smaller bbox",
                indexes.len()
            ),
        ));
    }
    indexes.sort_unstable();
    Ok(indexes)
}

/// The communes in a `bbox` parameter, sorted, within the feature limit.
pub fn communes_in(state: &AppState, bbox: &str) -> Result<Vec<usize>, AppError> {
    let [min_lon, min_lat, max_lon, max_lat] = parse_bbox(bbox)?;
    bounded(
        state
            .atlas
            .communes_in_bbox(min_lon, min_lat, max_lon, max_lat),
        state.config.max_features,
        "communes",
    )
}

/// Communes in a bounding box, simplified for the zoom (map layer).
#[utoipa::path(get, path = "/communes", tag = "map", params(CommunesQuery),
    responses(
        (status = 200, body = Object, content_type = "application/geo+json",
            description = "GeoJSON FeatureCollection of the communes (properties `code`, `name`, \
            `population`, `departement`); served as `application/json`"),
        (status = 400, body = AppError, description = "`invalid_bbox`, `invalid_query`"),
        (status = 422, body = AppError, description = "`too_many_features`: zoom in"),
    ))]
pub async fn communes(
    State(state): State<AppState>,
    Query(query): Query<CommunesQuery>,
) -> Result<Json<geojson::FeatureCollection>, AppError> {
    let indexes = communes_in(&state, &query.bbox)?;
    let zoom = query.zoom.unwrap_or(12);
    if zoom > 24 {
        return Err(AppError::bad_request(
            "invalid_query",
            "zoom must be 0 to 24",
        ));
    }
    let atlas = &state.atlas;
    let features = indexes
        .into_iter()
        .map(|i| {
            let c = atlas.commune(i);
            let props = properties(&json!({
                "code": c.code,
                "name": c.name,
                "population": c.population,
                "departement": c.departement,
            }));
            feature(&c.code, atlas.display_outline(i, zoom), props)
        })
        .collect();
    Ok(Json(collection(features)))
}
