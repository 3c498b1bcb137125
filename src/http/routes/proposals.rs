//! ARS initiative: `GET /api/proposals` (candidate territories over the white zones) and
//! `POST /api/proposals` (save a proposal as saved territories, one transaction).

use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;

use super::territories::{check_missions, check_spec, with_store, WriteToken};
use crate::diagnosis::{proposal_layer, propose, DiagnosisOptions, PoleRule, ProposeError};
use crate::engine::{CoverageScope, ProposalError, ProposalRules};
use crate::http::extract::{Json, Query};
use crate::http::{AppError, AppState};
use crate::model::{SavedTerritory, TerritoryDraft};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ProposalQuery {
    /// Département code (`13`).
    departement: Option<String>,
    /// Région code (`93`).
    region: Option<String>,
    /// Smallest population of a candidate.
    min: Option<u64>,
    /// Population a candidate grows towards.
    target: Option<u64>,
    /// Largest population of a candidate.
    max: Option<u64>,
    /// How far (km) a candidate may reach an island of communes it does not touch.
    island_reach_km: Option<f64>,
    /// Which communes are poles: `population` or `general_practitioners`.
    poles: Option<String>,
    /// Zoom the commune outlines are simplified for (default 12: full outlines).
    zoom: Option<u8>,
}

/// `GET /api/proposals?departement=13` (or `region=93`), with optional `min`, `target`, `max`,
/// `island_reach_km`, `poles`: candidates and their communes as GeoJSON.
#[utoipa::path(get, path = "/proposals", tag = "proposals", params(ProposalQuery),
    summary = "ARS initiative: candidate CPTS territories over the communes no registry CPTS \
        covers",
    responses(
        (status = 200, body = Object, description = "GeoJSON FeatureCollection: one feature per \
            candidate (kind `candidate`: population, tier, funding, codes, supply and APL, \
            `size_status`, `cut_reasons`, borders) then one per member commune (kind `commune`); \
            the foreign member `proposal` holds the scope, rules and left-out communes"),
        (status = 400, body = AppError, description = "`invalid_query`: give `departement` or \
            `region`, one of them; unknown `poles`"),
        (status = 422, body = AppError, description = "`invalid_scope`, `invalid_rules`, \
            `registry_not_covering` (with `registry_coverage`)"),
    ))]
pub async fn proposals(
    State(state): State<AppState>,
    Query(query): Query<ProposalQuery>,
) -> Result<Json<geojson::FeatureCollection>, AppError> {
    let scope = match (query.departement, query.region) {
        (Some(d), None) => CoverageScope::Departement(d),
        (None, Some(r)) => CoverageScope::Region(r),
        (None, None) => {
            return Err(AppError::bad_request(
                "invalid_query",
                "give departement (e.g. 13) or region (e.g. 93)",
            ))
        }
        (Some(_), Some(_)) => {
            return Err(AppError::bad_request(
                "invalid_query",
                "give departement or region, not both",
            ))
        }
    };
    let defaults = ProposalRules::default();
    let rules = ProposalRules {
        min_population: query.min.unwrap_or(defaults.min_population),
        target_population: query.target.unwrap_or(defaults.target_population),
        max_population: query.max.unwrap_or(defaults.max_population),
        island_reach_km: query.island_reach_km.unwrap_or(defaults.island_reach_km),
    };
    let poles = match query.poles.as_deref() {
        None => PoleRule::default(),
        Some(id) => PoleRule::from_id(id).ok_or_else(|| {
            AppError::bad_request(
                "invalid_query",
                format!("unknown pole rule `{id}`: use population or general_practitioners"),
            )
        })?,
    };
    let zoom = query.zoom.unwrap_or(12);
    let layer = tokio::task::spawn_blocking(move || {
        let options = DiagnosisOptions {
            grid: &state.grid,
            missions: Vec::new(),
        };
        let proposal = propose(
            &state.context(),
            &state.registry,
            &options,
            &scope,
            &rules,
            poles,
        )?;
        Ok::<_, ProposeError>(proposal_layer(&state.atlas, &proposal, zoom))
    })
    .await
    .map_err(|e| AppError::internal(format!("proposal task failed: {e}")))?;
    layer.map(Json).map_err(|e| match e {
        ProposeError::Rules(ProposalError::Scope(e)) => AppError::from(e),
        ProposeError::Rules(e) => AppError::unprocessable("invalid_rules", e.to_string()),
        ProposeError::Diagnosis(e) => AppError::internal(e.to_string()),
    })
}

#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SaveProposal {
    territories: Vec<TerritoryDraft>,
}

/// `POST /api/proposals` `{"territories": [draft, ...]}`: saves every candidate as a saved
/// territory, all or none (bearer token, like `POST /api/territories`).
#[utoipa::path(post, path = "/proposals", tag = "proposals", request_body = SaveProposal,
    summary = "Save a proposal: every candidate as a saved territory, in one transaction",
    security(("token" = [])),
    responses(
        (status = 201, body = Vec<SavedTerritory>, description = "The saved territories"),
        (status = 400, body = AppError, description = "`invalid_json`, `invalid_characters`"),
        (status = 401, body = AppError, description = "`unauthorized`: no or wrong bearer token"),
        (status = 403, body = AppError, description = "`writes_disabled`: the server has no \
            write token"),
        (status = 422, body = AppError, description = "`invalid_territory` (a definition \
            the store refuses, an empty proposal), `unknown_mission`, `invalid_body`, and the \
            territory codes of `POST /api/diagnosis` (`unknown_codes`...)"),
        (status = 503, body = AppError, description = "`store_unavailable`: no database of saved \
            territories, or it is read-only, busy or damaged"),
    ))]
pub async fn save(
    State(state): State<AppState>,
    _token: WriteToken,
    Json(body): Json<SaveProposal>,
) -> Result<(StatusCode, Json<Vec<SavedTerritory>>), AppError> {
    if body.territories.is_empty() {
        return Err(AppError::unprocessable(
            "invalid_territory",
            "a proposal to save needs at least one territory",
        ));
    }
    for draft in &body.territories {
        check_spec(&state, &draft.spec)?;
        check_missions(&state, &draft.missions)?;
    }
    let saved = with_store(&state, move |store| store.create_all(&body.territories)).await?;
    Ok((StatusCode::CREATED, saved))
}
