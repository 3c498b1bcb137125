//! Saved territories: list and read (open), create, update, delete (bearer token).

use axum::extract::{FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use crate::http::extract::{Json, Path, Query};
use crate::http::{AppError, AppState};
use crate::model::{RawTerritory, SavedTerritory, TerritoryChange, TerritoryDraft};
use crate::store::{StoreError, TerritoryStore, ValidationError};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    /// Only the territories of this author.
    author: Option<String>,
}

/// `GET /api/territories[?author=]`: the saved territories; their authors only with the write
/// token (an anonymous reader may filter by an author it knows, never list them). Rows that
/// cannot be decoded are left out, counted in `x-skipped-territories` and logged.
#[utoipa::path(get, path = "/territories", tag = "territories", params(ListQuery),
    summary = "Saved territories",
    responses(
        (status = 200, body = Vec<SavedTerritory>, description = "The saved territories (no \
            `author` without the write token)",
            headers(("x-skipped-territories" = u64, description = "Rows left out because they \
                cannot be decoded (0 when none)"))),
        (status = 400, body = AppError, description = "`invalid_query`"),
        (status = 503, body = AppError, description = "`store_unavailable`: no database of saved \
            territories, or it is read-only, busy or damaged"),
    ))]
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<ListQuery>,
) -> Result<Response, AppError> {
    let listing = with_store(&state, move |store| store.listing(query.author.as_deref()))
        .await?
        .0;
    let skipped = listing.skipped.len();
    if skipped > 0 {
        tracing::warn!(
            "{skipped} saved territories cannot be decoded and are left out: ids {:?}",
            &listing.skipped[..skipped.min(20)]
        );
    }
    let authors = is_authorized(&state, &headers);
    let territories: Vec<serde_json::Value> = without_authors(listing.territories, authors)
        .iter()
        .map(public_view)
        .collect();
    let mut response = Json(territories).into_response();
    response
        .headers_mut()
        .insert("x-skipped-territories", HeaderValue::from(skipped as u64));
    Ok(response)
}

/// `GET /api/territories/{id}`: one saved territory, its author only with the write token.
#[utoipa::path(get, path = "/territories/{id}", tag = "territories", params(("id" = i64, Path, description = "Id of the saved territory")),
    summary = "A saved territory",
    responses(
        (status = 200, body = SavedTerritory, description = "The territory (no `author` without \
            the write token)"),
        (status = 400, body = AppError, description = "`invalid_path`"),
        (status = 404, body = AppError, description = "`not_found`"),
        (status = 503, body = AppError, description = "`store_unavailable`: no database of saved \
            territories, or it is read-only, busy or damaged"),
    ))]
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
pub(crate) fn without_authors(
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
pub(crate) fn is_authorized(state: &AppState, headers: &HeaderMap) -> bool {
    authorize(state, headers).is_ok()
}

/// Save a territory.
#[utoipa::path(post, path = "/territories", tag = "territories", request_body = TerritoryDraft,
    security(("token" = [])),
    responses(
        (status = 201, body = SavedTerritory, description = "The saved territory"),
        (status = 400, body = AppError, description = "`invalid_json`, `invalid_characters`"),
        (status = 401, body = AppError, description = "`unauthorized`: no or wrong bearer token"),
        (status = 403, body = AppError, description = "`writes_disabled`: the server has no \
            write token"),
        (status = 422, body = AppError, description = "`invalid_territory` (a definition \
            the store refuses), `unknown_mission`, `invalid_body`, and the territory codes of \
            `POST /api/diagnosis` (`unknown_codes`, `invalid_geojson`...)"),
        (status = 503, body = AppError, description = "`store_unavailable`: no database of saved \
            territories, or it is read-only, busy or damaged"),
    ))]
pub async fn create(
    State(state): State<AppState>,
    _token: WriteToken,
    Json(draft): Json<TerritoryDraft>,
) -> Result<(StatusCode, Json<SavedTerritory>), AppError> {
    check_spec(&state, &draft.spec)?;
    check_missions(&state, &draft.missions)?;
    let saved = with_store(&state, move |store| store.create(&draft)).await?;
    Ok((StatusCode::CREATED, saved))
}

/// Rename or change a saved territory (the fields given are replaced).
#[utoipa::path(patch, path = "/territories/{id}", tag = "territories", params(("id" = i64, Path, description = "Id of the saved territory")),
    request_body = TerritoryChange, security(("token" = [])),
    responses(
        (status = 200, body = SavedTerritory, description = "The territory as saved"),
        (status = 400, body = AppError, description = "`invalid_json`, `invalid_characters`, \
            `invalid_path`"),
        (status = 401, body = AppError, description = "`unauthorized`: no or wrong bearer token"),
        (status = 403, body = AppError, description = "`writes_disabled`: the server has no \
            write token"),
        (status = 404, body = AppError, description = "`not_found`"),
        (status = 422, body = AppError, description = "`invalid_territory` (a definition \
            the store refuses, an empty proposal), `unknown_mission`, `invalid_body`, and the \
            territory codes of `POST /api/diagnosis` (`unknown_codes`...)"),
        (status = 503, body = AppError, description = "`store_unavailable`: no database of saved \
            territories, or it is read-only, busy or damaged"),
    ))]
pub async fn update(
    State(state): State<AppState>,
    _token: WriteToken,
    Path(id): Path<i64>,
    Json(change): Json<TerritoryChange>,
) -> Result<Json<SavedTerritory>, AppError> {
    if let Some(spec) = &change.spec {
        check_spec(&state, spec)?;
    }
    if let Some(missions) = &change.missions {
        check_missions(&state, missions)?;
    }
    with_store(&state, move |store| store.update(id, &change)).await
}

/// Delete a saved territory.
#[utoipa::path(delete, path = "/territories/{id}", tag = "territories", params(("id" = i64, Path, description = "Id of the saved territory")),
    security(("token" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, body = AppError, description = "`invalid_path`"),
        (status = 401, body = AppError, description = "`unauthorized`: no or wrong bearer token"),
        (status = 403, body = AppError, description = "`writes_disabled`: the server has no \
            write token"),
        (status = 404, body = AppError, description = "`not_found`"),
        (status = 503, body = AppError, description = "`store_unavailable`: no database of saved \
            territories, or it is read-only, busy or damaged"),
    ))]
pub async fn delete(
    State(state): State<AppState>,
    _token: WriteToken,
    Path(id): Path<i64>,
) -> Result<StatusCode, AppError> {
    with_store(&state, move |store| store.delete(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A saved territory must resolve now (known codes, a polygon over the geography).
pub(crate) fn check_spec(state: &AppState, spec: &RawTerritory) -> Result<(), AppError> {
    super::diagnosis::resolve_territory(state, spec)?;
    Ok(())
}

/// Missions must be ids of the service's funding grid.
pub(crate) fn check_missions(state: &AppState, missions: &[String]) -> Result<(), AppError> {
    let ids: Vec<&str> = missions.iter().map(String::as_str).collect();
    state
        .grid
        .envelope(crate::diagnosis::PopulationTier::One, &ids)
        .map(|_| ())
        .map_err(|e| AppError::unprocessable("unknown_mission", e.to_string()))
}

/// Proof that a write request carries the write token: an extractor, so that the token is
/// checked before the body is read or parsed (put it before the `Json` argument).
pub struct WriteToken;

impl FromRequestParts<AppState> for WriteToken {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        authorize(state, &parts.headers).map(|()| WriteToken)
    }
}

/// Writes need `Authorization: Bearer <token>` matching the configured token (the scheme's
/// case does not matter, RFC 9110).
fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
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
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
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
pub(crate) async fn with_store<T: Send + 'static>(
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
            StoreError::Invalid(invalid @ ValidationError::ControlCharacter { .. }) => {
                AppError::bad_request("invalid_characters", invalid.to_string())
            }
            StoreError::Invalid(_) => AppError::unprocessable("invalid_territory", e.to_string()),
            StoreError::Unavailable { reason, .. } => AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                format!(
                    "the database of saved territories is read-only or unusable ({reason}); \
                     the map and the diagnosis still work"
                ),
            ),
            StoreError::NotFound(_) => AppError::new(StatusCode::NOT_FOUND, "not_found", e.to_string()),
            StoreError::Corrupt { id, .. } => AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                format!("saved territory {id} cannot be decoded from the database"),
            ),
            StoreError::Database { source, .. } if is_unavailable(source) => AppError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "store_unavailable",
                "the database of saved territories is busy, read-only, damaged or cannot be written; the map and the diagnosis still work",
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
                | DatabaseCorrupt
                | NotADatabase
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
