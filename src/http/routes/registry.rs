//! The registry of existing CPTS as map layers: `/api/cpts`, `/api/overlaps`, `/api/coverage`.

use axum::extract::State;
use serde::Deserialize;

use crate::diagnosis::{coverage_layer, overlaps_layer, registry_layer, registry_overlaps};
use crate::engine::CoverageScope;
use crate::http::extract::{Json, Query};
use crate::http::{AppError, AppState};

/// `GET /api/cpts`: every registry CPTS with its outline, population and tier.
#[utoipa::path(get, path = "/cpts", tag = "registry",
    responses((status = 200, body = Object, description = "GeoJSON FeatureCollection: per CPTS \
        its outline (union of members), population, tier, members")))]
pub async fn cpts(
    State(state): State<AppState>,
) -> Result<Json<geojson::FeatureCollection>, AppError> {
    blocking(move || registry_layer(&state.atlas, &state.registry)).await
}

/// `GET /api/overlaps`: every pair of registry CPTS that overlap, with the shared area.
#[utoipa::path(get, path = "/overlaps", tag = "registry",
    responses((status = 200, body = Object, description = "GeoJSON FeatureCollection of the \
        overlapping pairs of registry CPTS (`conflict`, `sliver`, `declared_split`)")))]
pub async fn overlaps(
    State(state): State<AppState>,
) -> Result<Json<geojson::FeatureCollection>, AppError> {
    blocking(move || {
        let pairs = registry_overlaps(&state.atlas, &state.registry);
        overlaps_layer(&state.atlas, &state.registry, &pairs)
    })
    .await
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CoverageQuery {
    /// Département code (`13`, `2A`, `971`).
    departement: Option<String>,
    /// Région code (`93`).
    region: Option<String>,
}

/// `GET /api/coverage?departement=13` (or `region=93`): communes no registry CPTS covers.
#[utoipa::path(get, path = "/coverage", tag = "registry", params(CoverageQuery),
    responses(
        (status = 200, body = Object, description = "GeoJSON FeatureCollection of the communes \
            no registry CPTS covers (status `uncovered`) or covers in part, with population"),
        (status = 400, body = AppError, description = "`invalid_query`: give `departement` or \
            `region`, one of them"),
        (status = 422, body = AppError, description = "`invalid_scope`: unknown département or \
            région; `registry_not_covering` (with `registry_coverage`): the loaded registry does \
            not cover the scope, so its white zones would be unverified"),
    ))]
pub async fn coverage(
    State(state): State<AppState>,
    Query(query): Query<CoverageQuery>,
) -> Result<Json<geojson::FeatureCollection>, AppError> {
    let scope = CoverageScope::required(query.departement, query.region)?;
    let report = state.registry.coverage(&state.atlas, &scope)?;
    blocking(move || coverage_layer(&state.atlas, &report)).await
}

/// Runs CPU-bound layer building off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<Json<T>, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map(Json)
        .map_err(|e| AppError::internal(format!("layer task failed: {e}")))
}
