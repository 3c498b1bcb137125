//! `GET /api/search?q=&limit=`: communes, arrondissements and EPCI by name or code.

use axum::extract::State;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::http::extract::{Json, Query};
use crate::http::{AppError, AppState};

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// Name or code, accent-insensitive, at most 100 characters.
    q: String,
    /// Results wanted, 1 to 50 (default 10).
    limit: Option<usize>,
}

/// Communes, arrondissements and EPCI by name or code (accent-insensitive).
#[utoipa::path(get, path = "/search", tag = "map", params(SearchQuery),
    responses(
        (status = 200, body = Object, description = "`{\"results\": [...]}`: each with its \
            `kind`, `code`, `name` and place"),
        (status = 400, body = AppError, description = "`invalid_query`"),
    ))]
pub async fn search(
    State(state): State<AppState>,
    Query(query): Query<SearchQuery>,
) -> Result<Json<Value>, AppError> {
    if query.q.chars().count() > 100 {
        return Err(AppError::bad_request(
            "invalid_query",
            "q is longer than 100 characters",
        ));
    }
    let limit = query.limit.unwrap_or(10).clamp(1, 50);
    let results = state.search.search(&query.q, limit);
    Ok(Json(json!({ "results": results })))
}
