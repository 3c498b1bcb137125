//! A territory's communes as a file: `GET /api/territories/{id}/communes?f=` (saved) and
//! `POST /api/diagnosis/communes?f=` (given like a diagnosis); `f`: `parquet` (GeoParquet),
//! `fgb` (FlatGeobuf), `geojson` or `csv` (default).

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::diagnosis::{resolve_territory, DiagnosisRequest};
use super::territories::with_store;
use crate::diagnosis::communes_table;
use crate::export::{export_bytes, ExportFormat};
use crate::http::contract::{check_outlines, BINARY_BYTES_PER_VERTEX, GEOJSON_BYTES_PER_VERTEX};
use crate::http::extract::{Json, Path, Query};
use crate::http::{AppError, AppState};
use crate::model::RawTerritory;

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ExportQuery {
    /// `csv` (default, `;`-separated), `geojson`, `parquet` (GeoParquet) or `fgb` (FlatGeobuf).
    f: Option<String>,
}

/// `GET /api/territories/{id}/communes?f=`: a saved territory's communes.
#[utoipa::path(get, path = "/territories/{id}/communes", tag = "territories",
    summary = "A saved territory's communes as CSV, GeoJSON, GeoParquet or FlatGeobuf",
    params(("id" = i64, Path, description = "Id of the saved territory"), ExportQuery),
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`)", content(
            (String = "text/csv"),
            (Object = "application/geo+json"),
            (Vec<u8> = "application/vnd.apache.parquet"),
            (Vec<u8> = "application/flatgeobuf"),
        )),
        (status = 400, body = AppError, description = "`invalid_query`: unknown `f`; \
            `invalid_path`"),
        (status = 404, body = AppError, description = "`not_found`: no such saved territory"),
        (status = 422, body = AppError, description = "The saved territory no longer resolves"),
        (status = 503, body = AppError, description = "`store_unavailable`: no database of saved \
            territories, or it is read-only, busy or damaged"),
    ))]
pub async fn saved_communes(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> Result<Response, AppError> {
    let format = format(query.f.as_deref())?;
    let saved = with_store(&state, move |store| store.get(id)).await?.0;
    communes_file(
        state,
        saved.spec,
        format,
        &format!("territory-{id}-communes"),
    )
    .await
}

/// `POST /api/diagnosis/communes?f=`: the communes of a territory given as for a diagnosis.
#[utoipa::path(post, path = "/diagnosis/communes", tag = "diagnosis",
    summary = "A territory's communes as CSV, GeoJSON, GeoParquet or FlatGeobuf",
    description = "The body is as for `POST /api/diagnosis`.",
    params(ExportQuery), request_body = DiagnosisRequest,
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`)", content(
            (String = "text/csv"),
            (Object = "application/geo+json"),
            (Vec<u8> = "application/vnd.apache.parquet"),
            (Vec<u8> = "application/flatgeobuf"),
        )),
        (status = 400, body = AppError, description = "`invalid_query`: unknown `f`; \
            `invalid_json`"),
        (status = 422, body = AppError, description = "The territory is refused, with the codes \
            of `POST /api/diagnosis`"),
    ))]
pub async fn diagnosis_communes(
    State(state): State<AppState>,
    Query(query): Query<ExportQuery>,
    Json(request): Json<DiagnosisRequest>,
) -> Result<Response, AppError> {
    let format = format(query.f.as_deref())?;
    let raw = request.territory(&state)?;
    communes_file(state, raw, format, "territory-communes").await
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
    raw: RawTerritory,
    format: ExportFormat,
    name: &str,
) -> Result<Response, AppError> {
    let bytes = tokio::task::spawn_blocking(move || {
        let resolved = resolve_territory(&state, &raw)?;
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
