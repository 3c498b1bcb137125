//! `GET /api/search?q=&limit=`: communes, arrondissements and EPCI by name or code.

use axum::extract::State;
use serde::Deserialize;
use serde_json::{json, Value};

use crate::http::extract::{Json, Query};
use crate::http::{AppError, AppState};

#[derive(Deserialize)]
pub struct SearchQuery {
    q: String,
    limit: Option<usize>,
}

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
