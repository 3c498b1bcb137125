//! The porteurs' dossier as files: the lettre d'intention (DOCX) and the budget prévisionnel
//! (XLSX) of a territory given as for `POST /api/diagnosis` (`POST /api/dossier/letter`,
//! `/api/dossier/budget`) or of a saved territory (`GET /api/territories/{id}/letter`,
//! `/budget`, with its name and missions).

use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::diagnosis::{diagnose_resolved, resolve_territory, DiagnosisRequest};
use super::territories::with_store;
use crate::diagnosis::FundingGrid;
use crate::dossier::{budget_xlsx, letter_docx, today, DossierInput};
use crate::http::extract::Json;
use crate::http::{AppError, AppState};
use crate::model::RawTerritory;

/// Which document.
#[derive(Clone, Copy)]
pub enum Document {
    Letter,
    Budget,
}

impl Document {
    fn media_type(self) -> &'static str {
        match self {
            Self::Letter => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Self::Budget => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }

    fn file_name(self, date: (i64, u32, u32)) -> String {
        let (y, m, d) = date;
        match self {
            Self::Letter => format!("lettre-intention-{y}-{m:02}-{d:02}.docx"),
            Self::Budget => format!("budget-previsionnel-{y}-{m:02}-{d:02}.xlsx"),
        }
    }
}

/// `POST /api/dossier/letter`.
#[utoipa::path(post, path = "/dossier/letter", tag = "dossier",
    summary = "The lettre d'intention (DOCX) of a territory",
    description = "The body is as for `POST /api/diagnosis`.", request_body = DiagnosisRequest,
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`)", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
        (status = 400, body = AppError, description = "`invalid_json`"),
        (status = 422, body = AppError, description = "The territory is refused, with the codes \
            of `POST /api/diagnosis`"),
    ))]
pub async fn letter(
    State(state): State<AppState>,
    Json(request): Json<DiagnosisRequest>,
) -> Result<Response, AppError> {
    given(state, request, Document::Letter).await
}

/// `POST /api/dossier/budget`.
#[utoipa::path(post, path = "/dossier/budget", tag = "dossier",
    summary = "The budget prévisionnel (XLSX) of a territory",
    description = "The body is as for `POST /api/diagnosis`.", request_body = DiagnosisRequest,
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`)", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = AppError, description = "`invalid_json`"),
        (status = 422, body = AppError, description = "The territory is refused, with the codes \
            of `POST /api/diagnosis`"),
    ))]
pub async fn budget(
    State(state): State<AppState>,
    Json(request): Json<DiagnosisRequest>,
) -> Result<Response, AppError> {
    given(state, request, Document::Budget).await
}

/// `GET /api/territories/{id}/letter`.
#[utoipa::path(get, path = "/territories/{id}/letter", tag = "dossier",
    summary = "The lettre d'intention (DOCX) of a saved territory (its name and missions)", params(("id" = i64, Path, description = "Id of the saved territory")),
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`)", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"))),
        (status = 400, body = AppError, description = "`invalid_path`"),
        (status = 404, body = AppError, description = "`not_found`: no such saved territory"),
        (status = 422, body = AppError, description = "The saved territory no longer resolves"),
        (status = 503, body = AppError, description = "`store_unavailable`: no database of saved \
            territories, or it is read-only, busy or damaged"),
    ))]
pub async fn saved_letter(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    saved(state, id, Document::Letter).await
}

/// `GET /api/territories/{id}/budget`.
#[utoipa::path(get, path = "/territories/{id}/budget", tag = "dossier",
    summary = "The budget prévisionnel (XLSX) of a saved territory (its name and missions)", params(("id" = i64, Path, description = "Id of the saved territory")),
    responses(
        (status = 200, description = "The file (`Content-Disposition: attachment`)", content((Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"))),
        (status = 400, body = AppError, description = "`invalid_path`"),
        (status = 404, body = AppError, description = "`not_found`: no such saved territory"),
        (status = 422, body = AppError, description = "The saved territory no longer resolves"),
        (status = 503, body = AppError, description = "`store_unavailable`: no database of saved \
            territories, or it is read-only, busy or damaged"),
    ))]
pub async fn saved_budget(
    State(state): State<AppState>,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    saved(state, id, Document::Budget).await
}

async fn given(
    state: AppState,
    request: DiagnosisRequest,
    document: Document,
) -> Result<Response, AppError> {
    let missions = request.missions.clone();
    let grid = request.grid(&state)?;
    let run = move || {
        let raw = request.territory(&state)?;
        build(&state, &raw, missions, &grid, None, document)
    };
    file(run, document).await
}

async fn saved(state: AppState, id: i64, document: Document) -> Result<Response, AppError> {
    let saved = with_store(&state, move |store| store.get(id)).await?.0;
    let run = move || {
        let grid = state.grid.clone();
        build(
            &state,
            &saved.spec,
            saved.missions,
            &grid,
            Some(saved.name),
            document,
        )
    };
    file(run, document).await
}

/// Diagnoses the territory and writes the document (CPU-bound: on the blocking pool).
fn build(
    state: &AppState,
    raw: &RawTerritory,
    missions: Vec<String>,
    grid: &FundingGrid,
    name: Option<String>,
    document: Document,
) -> Result<Vec<u8>, AppError> {
    let resolved = resolve_territory(state, raw)?;
    let diagnosis = diagnose_resolved(state, resolved, missions, grid)?;
    let mut input = DossierInput::new(&state.atlas, &diagnosis, grid, today());
    input.name = name;
    match document {
        Document::Letter => letter_docx(&input),
        Document::Budget => budget_xlsx(&input),
    }
    .map_err(|e| AppError::internal(e.to_string()))
}

async fn file(
    run: impl FnOnce() -> Result<Vec<u8>, AppError> + Send + 'static,
    document: Document,
) -> Result<Response, AppError> {
    let bytes = tokio::task::spawn_blocking(run)
        .await
        .map_err(|e| AppError::internal(format!("dossier task failed: {e}")))??;
    let disposition = format!("attachment; filename=\"{}\"", document.file_name(today()));
    Ok((
        [
            (header::CONTENT_TYPE, document.media_type().to_string()),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes,
    )
        .into_response())
}
