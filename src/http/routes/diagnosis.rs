//! `POST /api/diagnosis`: a territory (codes, drawn geometry or EPCI) -> its diagnosis + GeoJSON.

use axum::extract::State;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::diagnosis::layers::geojson::{collection, feature, properties};
use crate::diagnosis::{diagnose, Diagnosis, DiagnosisError, DiagnosisOptions, FundingGrid};
use crate::engine::ResolvedTerritory;
use crate::http::contract::{check_outlines, GEOJSON_BYTES_PER_VERTEX};
use crate::http::extract::{Json, Query};
use crate::http::{AppError, AppState};
use crate::model::RawTerritory;

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

impl DiagnosisRequest {
    /// The territory the body gives: exactly one of `communes` (within the code limit),
    /// `geometry` and `epci`, before any geometry work.
    pub(crate) fn territory(self, state: &AppState) -> Result<RawTerritory, AppError> {
        match (self.communes, self.geometry, self.epci) {
            (Some(codes), None, None) if codes.len() > state.config.max_codes => {
                Err(AppError::unprocessable(
                    "too_many_codes",
                    format!(
                        "{} codes, more than the limit of {}",
                        codes.len(),
                        state.config.max_codes
                    ),
                ))
            }
            (Some(codes), None, None) => Ok(RawTerritory::Codes(codes)),
            (None, Some(geometry), None) => Ok(RawTerritory::Geojson(geometry)),
            (None, None, Some(siren)) => Ok(RawTerritory::Epci(siren)),
            (None, None, None) => Err(AppError::unprocessable(
                "missing_territory",
                "give the territory as `communes` (codes), `geometry` (GeoJSON) or `epci` (SIREN)",
            )),
            _ => Err(AppError::unprocessable(
                "ambiguous_territory",
                "give only one of `communes`, `geometry` and `epci`",
            )),
        }
    }
}

/// Prepares and resolves a raw territory with the service's limits.
pub(crate) fn resolve_territory(
    state: &AppState,
    raw: &RawTerritory,
) -> Result<ResolvedTerritory, AppError> {
    Ok(state
        .atlas
        .resolve_raw(raw, &state.config.drawn_limits)
        .map_err(DiagnosisError::from)?)
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
        let resolved = resolve_territory(&state, &request.territory(&state)?)?;
        check_territory_budget(&state, &resolved, query.territory)?;
        let diagnosis = diagnose_resolved(&state, resolved, missions, &grid)?;
        let territory = territory_features(&state, &diagnosis, query.territory)?;
        Ok(Json(DiagnosisResponse {
            diagnosis,
            territory,
        }))
    })
    .await
    .map_err(|e| AppError::internal(format!("diagnosis task failed: {e}")))?
}

/// The diagnosis of a resolved territory, with the service's registry and health data.
pub(crate) fn diagnose_resolved(
    state: &AppState,
    resolved: ResolvedTerritory,
    missions: Vec<String>,
    grid: &FundingGrid,
) -> Result<Diagnosis, AppError> {
    let options = DiagnosisOptions { grid, missions };
    Ok(diagnose(&state.context(), resolved, &options)?)
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
/// resolved members.
fn check_territory_budget(
    state: &AppState,
    resolved: &ResolvedTerritory,
    mode: TerritoryGeometry,
) -> Result<(), AppError> {
    let Some(zoom) = outline_zoom(mode) else {
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
