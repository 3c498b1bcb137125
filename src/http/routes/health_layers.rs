//! Health map layers: DREES APL by commune (choropleth) and FINESS hospitals, by bounding box.

use std::collections::BTreeMap;

use axum::extract::State;
use serde::Deserialize;
use serde_json::{json, Value};

use super::communes::{communes_in, parse_bbox};
use crate::diagnosis::health::access::UNDER_SERVED_APL;
use crate::engine::HealthAtlas;
use crate::http::extract::{Json, Query};
use crate::http::{AppError, AppState};
use crate::model::AplValue;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AplQuery {
    /// `minlon,minlat,maxlon,maxlat` in WGS84 degrees.
    bbox: String,
    /// DREES edition (default: the latest loaded).
    edition: Option<u16>,
}

fn health(state: &AppState) -> Result<&HealthAtlas, AppError> {
    state.health.as_deref().ok_or_else(|| {
        AppError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "no_health_data",
            "this server runs without health data",
        )
    })
}

/// `GET /api/apl?bbox=&edition=`: APL of the communes in the box (cities divided into
/// arrondissements get their arrondissements combined by the DREES rule).
#[utoipa::path(get, path = "/apl", tag = "health", params(AplQuery),
    responses(
        (status = 200, body = Object, description = "`edition`, `source`, \
            `under_served_threshold` and `values`: APL by commune code"),
        (status = 400, body = AppError, description = "`invalid_bbox`, `invalid_query`"),
        (status = 422, body = AppError, description = "`unknown_edition`, `too_many_features`"),
        (status = 503, body = AppError, description = "`no_health_data`: the server runs \
            without health data"),
    ))]
pub async fn apl(
    State(state): State<AppState>,
    Query(query): Query<AplQuery>,
) -> Result<Json<Value>, AppError> {
    let indexes = communes_in(&state, &query.bbox)?;
    let health = health(&state)?;
    let tables = &health.data().apl;
    let table = match query.edition {
        Some(edition) => tables.iter().find(|t| t.edition == edition),
        None => tables.iter().max_by_key(|t| t.edition),
    }
    .ok_or_else(|| {
        AppError::unprocessable(
            "unknown_edition",
            format!(
                "no APL edition {:?}; loaded: {:?}",
                query.edition,
                tables.iter().map(|t| t.edition).collect::<Vec<_>>()
            ),
        )
    })?;
    let atlas = &state.atlas;
    let mut values: BTreeMap<&str, f64> = BTreeMap::new();
    for i in indexes {
        let code = atlas.commune(i).code.as_str();
        let value = table.values.get(code).copied().or_else(|| {
            let parts: Vec<AplValue> = atlas
                .geography()
                .arrondissements
                .iter()
                .filter(|a| a.commune == code)
                .filter_map(|a| table.values.get(&a.code).copied())
                .collect();
            AplValue::combine(&parts)
        });
        if let Some(v) = value {
            values.insert(code, (v.apl * 100.0).round() / 100.0);
        }
    }
    Ok(Json(json!({
        "edition": table.edition,
        "source": table.source,
        "under_served_threshold": UNDER_SERVED_APL,
        "values": values,
    })))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BboxQuery {
    /// `minlon,minlat,maxlon,maxlat` in WGS84 degrees.
    bbox: String,
}

/// `GET /api/hospitals?bbox=`: FINESS establishments in the box, as GeoJSON points.
#[utoipa::path(get, path = "/hospitals", tag = "health", params(BboxQuery),
    responses(
        (status = 200, body = Object, description = "GeoJSON FeatureCollection of points \
            (properties `finess`, `name`, `category`, `status`, `commune`, `second_line`), with \
            its `source` and `vintage`"),
        (status = 400, body = AppError, description = "`invalid_bbox`, `invalid_query`"),
        (status = 503, body = AppError, description = "`no_health_data`: no establishment \
            directory is loaded"),
    ))]
pub async fn hospitals(
    State(state): State<AppState>,
    Query(query): Query<BboxQuery>,
) -> Result<Json<Value>, AppError> {
    let [min_lon, min_lat, max_lon, max_lat] = parse_bbox(&query.bbox)?;
    let health = health(&state)?;
    let Some(index) = health.establishments() else {
        return Err(AppError::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "no_health_data",
            "no establishment directory is loaded",
        ));
    };
    let list = index.list();
    let inside = |e: &&crate::model::Establishment| {
        (min_lon..=max_lon).contains(&e.lon) && (min_lat..=max_lat).contains(&e.lat)
    };
    let features: Vec<Value> = list
        .establishments
        .iter()
        .filter(inside)
        .take(state.config.max_features)
        .map(|e| {
            json!({
                "type": "Feature",
                "id": e.finess,
                "geometry": {"type": "Point", "coordinates": [e.lon, e.lat]},
                "properties": {
                    "finess": e.finess, "name": e.name, "category": e.category,
                    "status": e.status, "commune": e.commune, "second_line": e.is_second_line(),
                },
            })
        })
        .collect();
    Ok(Json(json!({
        "type": "FeatureCollection",
        "features": features,
        "source": list.source,
        "vintage": list.vintage,
    })))
}
