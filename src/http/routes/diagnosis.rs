//! `POST /api/diagnosis`: a territory (codes, drawn geometry or EPCI) -> its diagnosis + GeoJSON.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diagnosis::layers::geojson::{collection, feature, properties};
use crate::diagnosis::{diagnose, diagnose_with_health, Diagnosis, DiagnosisOptions, FundingGrid};
use crate::engine::drawn_from_geojson;
use crate::http::contract::{check_outlines, GEOJSON_BYTES_PER_VERTEX};
use crate::http::extract::{Json, Query};
use crate::http::{AppError, AppState};
use crate::model::TerritorySpec;

/// The request body: exactly one of `communes`, `geometry`, `epci`; optional missions.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiagnosisRequest {
    /// INSEE codes of communes, municipal arrondissements or IRIS.
    communes: Option<Vec<String>>,
    /// A drawn territory: GeoJSON Polygon or MultiPolygon (or a Feature of one), WGS84.
    #[schema(value_type = Option<Object>)]
    geometry: Option<Value>,
    /// SIREN of an EPCI: its member communes.
    epci: Option<String>,
    /// Optional missions chosen (ids of the funding grid; mandatory ones are always funded).
    #[serde(default)]
    pub(crate) missions: Vec<String>,
    /// Funding grid id (`aci-2019`, `avenant-2-2021`).
    grid: Option<String>,
    /// Date the contract is (to be) signed, `YYYY-MM-DD`: chooses the grid it falls under.
    contract_date: Option<String>,
}

impl DiagnosisRequest {
    /// The funding grid the request chooses (`grid` id or `contract_date`), else the default.
    pub(crate) fn grid(&self, state: &AppState) -> Result<FundingGrid, AppError> {
        if self.grid.is_some() && self.contract_date.is_some() {
            return Err(AppError::unprocessable(
                "ambiguous_grid",
                "give `grid` or `contract_date`, not both",
            ));
        }
        Ok(state.choose_grid(self.grid.as_deref(), self.contract_date.as_deref())?)
    }
}

/// How the territory's communes come back: full outlines (default), simplified, or not at all
/// (they are listed in the diagnosis's `communes` either way).
#[derive(Deserialize, Default, Clone, Copy, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum TerritoryGeometry {
    #[default]
    Full,
    Simplified,
    None,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DiagnosisQuery {
    /// How the territory's communes come back in `territory` (default `full`).
    #[serde(default)]
    #[param(inline)]
    territory: TerritoryGeometry,
}

/// The diagnosis, with the territory's communes as GeoJSON unless `territory=none`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DiagnosisResponse {
    #[serde(flatten)]
    diagnosis: Diagnosis,
    /// GeoJSON FeatureCollection of the member communes (properties as in `communes`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Object>)]
    territory: Option<geojson::FeatureCollection>,
}

/// Validates the body into a territory spec (the cheap checks, before any geometry work), with
/// the repairs made to a drawn geometry (ring closed, self-intersections resolved...).
pub(crate) fn territory_spec(
    state: &AppState,
    request: DiagnosisRequest,
) -> Result<(TerritorySpec, Vec<String>), AppError> {
    let given = [
        request.communes.is_some(),
        request.geometry.is_some(),
        request.epci.is_some(),
    ];
    match given.iter().filter(|g| **g).count() {
        0 => {
            return Err(AppError::unprocessable(
                "missing_territory",
                "give the territory as `communes` (codes), `geometry` (GeoJSON) or `epci` (SIREN)",
            ))
        }
        1 => {}
        _ => {
            return Err(AppError::unprocessable(
                "ambiguous_territory",
                "give only one of `communes`, `geometry` and `epci`",
            ))
        }
    }
    if let Some(codes) = request.communes {
        if codes.len() > state.config.max_codes {
            return Err(AppError::unprocessable(
                "too_many_codes",
                format!(
                    "{} codes, more than the limit of {}",
                    codes.len(),
                    state.config.max_codes
                ),
            ));
        }
        return Ok((TerritorySpec::Codes(codes), Vec::new()));
    }
    if let Some(siren) = request.epci {
        return Ok((TerritorySpec::Epci(siren), Vec::new()));
    }
    let value = request.geometry.unwrap_or_default();
    let geojson: geojson::GeoJson = serde_json::from_value(value)
        .map_err(|e| AppError::unprocessable("invalid_geojson", format!("geometry: {e}")))?;
    let (geometry, repairs) = drawn_from_geojson(&geojson, &state.config.drawn_limits)?;
    Ok((TerritorySpec::Drawn(geometry), repairs))
}

/// Diagnosis of a territory.
#[utoipa::path(post, path = "/diagnosis", tag = "diagnosis", params(DiagnosisQuery),
    request_body = DiagnosisRequest,
    responses(
        (status = 200, body = DiagnosisResponse, description = "The diagnosis"),
        (status = 400, body = AppError, description = "`invalid_json`, `invalid_query`"),
        (status = 413, body = AppError, description = "`answer_too_large`: ask \
            `territory=simplified` or `territory=none`; `body_too_large`"),
        (status = 422, body = AppError, description = "`missing_territory`, \
            `ambiguous_territory`, `too_many_codes`, `unknown_codes`, `unknown_epci`, \
            `empty_territory`, `double_counted`, `outside_geography`, `invalid_geojson`, \
            `invalid_geometry`, `unsupported_geometry`, `empty_geometry`, \
            `too_many_vertices`, `too_complex`, `unknown_mission`, `ambiguous_grid`, \
            `unknown_grid`, `invalid_contract_date`, `contract_date_before_grids`, \
            `invalid_body`"),
    ))]
pub async fn diagnosis(
    State(state): State<AppState>,
    Query(query): Query<DiagnosisQuery>,
    Json(request): Json<DiagnosisRequest>,
) -> Result<Json<DiagnosisResponse>, AppError> {
    let missions = request.missions.clone();
    let grid = request.grid(&state)?;
    // Geometry work is CPU-bound: keep it off the async workers.
    tokio::task::spawn_blocking(move || {
        let (spec, repairs) = territory_spec(&state, request)?;
        check_territory_budget(&state, &spec, query.territory)?;
        let mut diagnosis = diagnose_spec(&state, &spec, missions, &grid)?;
        diagnosis.warnings.splice(0..0, repairs);
        let territory = territory_features(&state, &diagnosis, query.territory)?;
        Ok(Json(DiagnosisResponse {
            diagnosis,
            territory,
        }))
    })
    .await
    .map_err(|e| AppError::internal(format!("diagnosis task failed: {e}")))?
}

/// The diagnosis of a validated territory, with health indicators when the service has them.
pub(crate) fn diagnose_spec(
    state: &AppState,
    spec: &TerritorySpec,
    missions: Vec<String>,
    grid: &FundingGrid,
) -> Result<Diagnosis, AppError> {
    let options = DiagnosisOptions {
        grid,
        missions,
        registry: Some(&state.registry),
    };
    Ok(match &state.health {
        Some(health) => diagnose_with_health(&state.atlas, spec, &options, health)?,
        None => diagnose(&state.atlas, spec, &options)?,
    })
}

/// The display zoom of the outlines a mode asks for; `None` without outlines.
fn outline_zoom(mode: TerritoryGeometry) -> Option<u8> {
    match mode {
        TerritoryGeometry::Simplified => Some(10),
        TerritoryGeometry::Full => Some(u8::MAX),
        TerritoryGeometry::None => None,
    }
}

/// Refuses, before the diagnosis is computed, a territory whose outlines would not fit the
/// answer budget (the world with `territory=full`: 62 MB), estimated from the vertices of its
/// resolved members. A territory that does not resolve is left to the diagnosis's own error.
fn check_territory_budget(
    state: &AppState,
    spec: &TerritorySpec,
    mode: TerritoryGeometry,
) -> Result<(), AppError> {
    let Some(zoom) = outline_zoom(mode) else {
        return Ok(());
    };
    let Ok(resolved) = state.atlas.resolve(spec) else {
        return Ok(());
    };
    check_outlines(
        state,
        resolved
            .members
            .iter()
            .map(|m| state.atlas.member_outline(m, zoom)),
        GEOJSON_BYTES_PER_VERTEX,
    )
}

/// The outlines of the diagnosis's members (within the budget: see [`check_territory_budget`]).
fn territory_features(
    state: &AppState,
    diagnosis: &Diagnosis,
    mode: TerritoryGeometry,
) -> Result<Option<geojson::FeatureCollection>, AppError> {
    let Some(zoom) = outline_zoom(mode) else {
        return Ok(None);
    };
    Ok(Some(collection(
        diagnosis
            .communes
            .iter()
            .map(|m| {
                let geometry = state.atlas.member_outline(m, zoom);
                feature(&m.code, geometry, properties(m))
            })
            .collect(),
    )))
}
