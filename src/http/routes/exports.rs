//! A territory's communes as a file: `GET /api/territories/{id}/communes?f=` (saved) and
//! `POST /api/diagnosis/communes?f=` (given like a diagnosis); `f`: `parquet` (GeoParquet),
//! `fgb` (FlatGeobuf), `geojson` or `csv` (default).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::diagnosis::{territory_spec, DiagnosisRequest};
use super::territories::with_store;
use crate::diagnosis::communes_table;
use crate::http::contract::{check_outlines, BINARY_BYTES_PER_VERTEX, GEOJSON_BYTES_PER_VERTEX};
use crate::http::extract::{Json, Path, Query};
use crate::http::{AppError, AppState};
use crate::loaders::export::{export_bytes, ExportFormat};
use crate::model::TerritorySpec;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    f: Option<String>,
}

/// `GET /api/territories/{id}/communes?f=`: a saved territory's communes.
pub async fn saved_communes(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let format = format(query.f.as_deref())?;
    let saved = with_store(&state, move |store| store.get(id)).await?.0;
    let (spec, _warnings) = crate::engine::territory_spec(&saved.spec, &state.config.drawn_limits)?;
    communes_file(state, spec, format, &format!("territory-{id}-communes")).await
}

/// `POST /api/diagnosis/communes?f=`: the communes of a territory given as for a diagnosis.
pub async fn diagnosis_communes(
    State(state): State<AppState>,
    Query(query): Query<ExportQuery>,
    Json(request): Json<DiagnosisRequest>,
) -> Result<Response, AppError> {
    let format = format(query.f.as_deref())?;
    let (spec, _repairs) = territory_spec(&state, request)?;
    communes_file(state, spec, format, "territory-communes").await
}

fn format(f: Option<&str>) -> Result<ExportFormat, AppError> {
    match f {
        None => Ok(ExportFormat::Csv),
        Some(name) => ExportFormat::from_name(name).ok_or_else(|| {
            AppError::bad_request(
                "invalid_format",
                format!("f must be csv, geojson, parquet or fgb, not {name:?}"),
            )
        }),
    }
}

async fn communes_file(
    state: AppState,
    spec: TerritorySpec,
    format: ExportFormat,
    name: &str,
) -> Result<Response, AppError> {
    let bytes = tokio::task::spawn_blocking(move || {
        let resolved = state
            .atlas
            .resolve(&spec)
            .map_err(|e| AppError::unprocessable("invalid_territory", e.to_string()))?;
        // Files with outlines grow with the territory (the world as GeoJSON: 53 MB).
        let bytes_per_vertex = match format {
            ExportFormat::Csv => 0,
            ExportFormat::GeoJson => GEOJSON_BYTES_PER_VERTEX,
            ExportFormat::GeoParquet | ExportFormat::FlatGeobuf => BINARY_BYTES_PER_VERTEX,
        };
        check_outlines(
            &state,
            resolved
                .members
                .iter()
                .map(|m| state.atlas.member_outline(m, u8::MAX)),
            bytes_per_vertex,
        )?;
        Ok::<_, AppError>(export_bytes(
            &communes_table(&state.atlas, &resolved.members),
            format,
        ))
    })
    .await
    .map_err(|e| AppError::internal(format!("export task failed: {e}")))??;
    let disposition = format!("attachment; filename=\"{name}.{}\"", format.extension());
    Ok((
        [
            (header::CONTENT_TYPE, format.media_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
