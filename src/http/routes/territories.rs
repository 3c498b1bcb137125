//! Saved territories: list and read (open), create, update, delete (bearer token).

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use serde::Deserialize;

use crate::engine::territory_spec;
use crate::http::extract::{Json, Query};
use crate::http::{AppError, AppState};
use crate::model::{SavedSpec, SavedTerritory, TerritoryChange, TerritoryDraft};
use crate::store::{StoreError, TerritoryStore};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    author: Option<String>,
}

/// `GET /api/territories[?author=]`: the saved territories; their authors only with the write
/// token (an anonymous reader may filter by an author it knows, never list them).
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Result<Json<Vec<serde_json::Value>>, AppError> {
    let saved = with_store(&state, move |store| store.list(query.author.as_deref()))
        .await?
        .0;
    let authors = is_authorized(&state, &headers);
    Ok(Json(
        without_authors(saved, authors)
            .iter()
            .map(public_view)
            .collect(),
    ))
}

/// `GET /api/territories/{id}`: one saved territory, its author only with the write token.
pub async fn get(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<Json<serde_json::Value>, AppError> {
    let saved = with_store(&state, move |store| store.get(id)).await?.0;
    let authors = is_authorized(&state, &headers);
    Ok(Json(public_view(&without_authors(vec![saved], authors)[0])))
}

/// The territories with their authors emptied unless `authors` (the reader has the token).
pub(super) fn without_authors(
    mut saved: Vec<SavedTerritory>,
    authors: bool,
) -> Vec<SavedTerritory> {
    if !authors {
        saved.iter_mut().for_each(|t| t.author.clear());
    }
    saved
}

/// A saved territory as JSON, without `author` when it was withheld.
fn public_view(t: &SavedTerritory) -> serde_json::Value {
    let mut value = serde_json::to_value(t).unwrap_or_default();
    if t.author.is_empty() {
        if let Some(object) = value.as_object_mut() {
            object.remove("author");
        }
    }
    value
}

/// Whether the request carries the server's write token.
pub(super) fn is_authorized(state: &AppState, headers: &HeaderMap) -> bool {
    authorize(state, headers).is_ok()
}

pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Json(draft): Json<TerritoryDraft>,
) -> Result<(StatusCode, Json<SavedTerritory>), AppError> {
    authorize(&state, &headers)?;
    check_spec(&state, &draft.spec)?;
    check_missions(&state, &draft.missions)?;
    let saved = with_store(&state, move |store| store.create(&draft)).await?;
    Ok((StatusCode::CREATED, saved))
}

pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Json(change): Json<TerritoryChange>,
) -> Result<Json<SavedTerritory>, AppError> {
    authorize(&state, &headers)?;
    if let Some(spec) = &change.spec {
        check_spec(&state, spec)?;
    }
    if let Some(missions) = &change.missions {
        check_missions(&state, missions)?;
    }
    with_store(&state, move |store| store.update(id, &change)).await
}

pub async fn delete(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    authorize(&state, &headers)?;
    with_store(&state, move |store| store.delete(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A saved territory must resolve now (known codes, a polygon over the geography).
pub(super) fn check_spec(state: &AppState, spec: &SavedSpec) -> Result<(), AppError> {
    let (spec, _warnings) = territory_spec(spec, &state.config.drawn_limits)?;
    state
        .atlas
        .resolve(&spec)
        .map_err(|e| AppError::unprocessable("invalid_territory", e.to_string()))?;
    Ok(())
}

/// Missions must be ids of the service's funding grid.
pub(super) fn check_missions(state: &AppState, missions: &[String]) -> Result<(), AppError> {
    let ids: Vec<&str> = missions.iter().map(String::as_str).collect();
    state
        .grid
        .envelope(crate::diagnosis::PopulationTier::One, &ids)
        .map(|_| ())
        .map_err(|e| AppError::unprocessable("unknown_mission", e.to_string()))
}

/// Writes need `Authorization: Bearer <token>` matching the configured token.
pub(super) fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let Some(expected) = state.config.write_token.as_deref() else {
        return Err(AppError::new(
            StatusCode::FORBIDDEN,
            "writes_disabled",
            "this server has no write token configured (CPTS_ATLAS_TOKEN): saving is disabled",
        ));
    };
    let given = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    match given {
        Some(token) if constant_time_eq(token.as_bytes(), expected.as_bytes()) => Ok(()),
        _ => Err(AppError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "this request needs `Authorization: Bearer <token>` with the server's write token",
        )),
    }
}

/// Compares two secrets in time independent of where they differ.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    let mut diff = a.len() ^ b.len();
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).copied().unwrap_or(0);
        let y = b.get(i).copied().unwrap_or(0);
        diff |= usize::from(x ^ y);
    }
    diff == 0
}

/// Runs a store call on the blocking pool and maps its errors.
pub(super) async fn with_store<T: Send + 'static>(
    state: &AppState,
    call: impl FnOnce(&TerritoryStore) -> Result<T, StoreError> + Send + 'static,
) -> Result<Json<T>, AppError> {
    let store = state.store.clone().ok_or_else(|| {
        AppError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "store_unavailable",
            "this server runs without a database of saved territories",
        )
    })?;
    tokio::task::spawn_blocking(move || call(&store))
        .await
        .map_err(|e| AppError::internal(format!("store task failed: {e}")))?
        .map(Json)
        .map_err(AppError::from)
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match &e {
            StoreError::Invalid(_) => AppError::unprocessable("invalid_territory", e.to_string()),
            StoreError::NotFound(_) => AppError::new(StatusCode::NOT_FOUND, "not_found", e.to_string()),
            StoreError::Database { source, .. } if is_unavailable(source) => AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                "the database of saved territories is busy, read-only or cannot be written; reads still work",
            ),
            _ => AppError::internal(e.to_string()),
        }
    }
}

/// Locked, busy, read-only or unwritable databases (a file made immutable, a full disk): a
/// condition of the machine, not a server bug.
fn is_unavailable(e: &rusqlite::Error) -> bool {
    use rusqlite::ErrorCode::*;
    matches!(
        e.sqlite_error_code(),
        Some(
            DatabaseBusy
                | DatabaseLocked
                | ReadOnly
                | CannotOpen
                | PermissionDenied
                | SystemIoFailure
                | DiskFull
        )
    )
}

#[cfg(test)]
mod tests {
    use super::constant_time_eq;

    #[test]
    fn compares_secrets() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
        assert!(!constant_time_eq(b"", b"x"));
    }
}
