//! One error type for the API: a status and a JSON body `{"error": {"code", "message"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::diagnosis::{DiagnosisError, GridChoiceError};
use crate::engine::{CoverageError, DrawnError, ResolveError};

#[cfg(test)]
mod tests {
    #[test]
    fn messages_are_truncated_on_a_character_boundary() {
        assert_eq!(super::truncate("court"), "court");
        let long = "é".repeat(1000);
        let cut = super::truncate(&long);
        assert_eq!(cut.chars().count(), super::MAX_MESSAGE_CHARS + 1);
        assert!(cut.ends_with('…'));
    }
}

/// An API error: what went wrong, for the client; 5xx details go to the log only.
#[derive(Debug)]
pub struct AppError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// Structured detail a client can show (e.g. `registry_coverage`), merged into `error`.
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

impl AppError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            details: None,
        }
    }

    /// The same error with a structured detail under `key` in its body.
    pub fn with_detail(mut self, key: &str, value: serde_json::Value) -> Self {
        self.details
            .get_or_insert_with(Default::default)
            .insert(key.to_string(), value);
        self
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn unprocessable(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
    }

    pub fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // 503 says what is unavailable (the message is written for clients); other 5xx are bugs.
        let message = if self.status.is_server_error()
            && self.status != axum::http::StatusCode::SERVICE_UNAVAILABLE
        {
            tracing::error!(code = self.code, "{}", self.message);
            "internal error; see the server log".to_string()
        } else {
            self.message
        };
        let mut error = json!({ "code": self.code, "message": truncate(&message) });
        if let (Some(details), Some(object)) = (self.details, error.as_object_mut()) {
            object.extend(details);
        }
        let body = json!({ "error": error });
        (self.status, Json(body)).into_response()
    }
}

/// Longest message sent, in characters: messages may quote the client's input.
pub const MAX_MESSAGE_CHARS: usize = 300;

/// `text` cut to [`MAX_MESSAGE_CHARS`] characters, marked with `…` when cut.
pub fn truncate(text: &str) -> std::borrow::Cow<'_, str> {
    match text.char_indices().nth(MAX_MESSAGE_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]).into(),
        None => text.into(),
    }
}

impl From<DrawnError> for AppError {
    fn from(e: DrawnError) -> Self {
        let code = match &e {
            DrawnError::TooManyVertices { .. } => "too_many_vertices",
            DrawnError::TooManyCrossings { .. } | DrawnError::TooDense { .. } => "too_complex",
            DrawnError::UnsupportedType(_) => "unsupported_geometry",
            DrawnError::Empty => "empty_geometry",
            DrawnError::NotGeojson(_) => "invalid_geojson",
            _ => "invalid_geometry",
        };
        Self::unprocessable(code, e.to_string())
    }
}

impl From<GridChoiceError> for AppError {
    fn from(e: GridChoiceError) -> Self {
        let code = match &e {
            GridChoiceError::InvalidDate(_) => "invalid_contract_date",
            GridChoiceError::BeforeGrids { .. } => "contract_date_before_grids",
            GridChoiceError::UnknownGrid { .. } => "unknown_grid",
        };
        Self::unprocessable(code, e.to_string())
    }
}

impl From<CoverageError> for AppError {
    fn from(e: CoverageError) -> Self {
        match e {
            CoverageError::NotCovering { ref coverage, .. } => {
                let coverage = serde_json::to_value(coverage).unwrap_or_default();
                Self::unprocessable("registry_not_covering", e.to_string())
                    .with_detail("registry_coverage", coverage)
            }
            e => Self::unprocessable("invalid_scope", e.to_string()),
        }
    }
}

impl From<DiagnosisError> for AppError {
    fn from(e: DiagnosisError) -> Self {
        let code = match &e {
            DiagnosisError::Territory(ResolveError::Empty) => "empty_territory",
            DiagnosisError::Territory(ResolveError::UnknownCodes(_)) => "unknown_codes",
            DiagnosisError::Territory(ResolveError::UnknownEpci(_)) => "unknown_epci",
            DiagnosisError::Territory(
                ResolveError::CommuneAndArrondissement { .. }
                | ResolveError::IrisInsideListed { .. },
            ) => "double_counted",
            DiagnosisError::Territory(ResolveError::OutsideGeography) => "outside_geography",
            DiagnosisError::Territory(ResolveError::TooComplex(_)) => "too_complex",
            DiagnosisError::Mission(_) => "unknown_mission",
            DiagnosisError::Drawn(d) => return d.clone().into(),
        };
        Self::unprocessable(code, e.to_string())
    }
}

/// The JSON body of every error answer, `{"error": {"code", "message"}}`, in the OpenAPI
/// document (schema `Error`).
impl utoipa::PartialSchema for AppError {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{ObjectBuilder, Type};
        use utoipa::openapi::Ref;
        let text = |description: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .description(Some(description))
        };
        let mut coverage = Ref::from_schema_name("RegistryCoverage");
        coverage.description = "With `registry_not_covering`: which of the territory's communes \
            the loaded registry covers"
            .to_string();
        let error = ObjectBuilder::new()
            .property(
                "code",
                text("What went wrong, for programs: `unknown_codes`, `answer_too_large`..."),
            )
            .required("code")
            .property(
                "message",
                text("What went wrong, for people (English, at most 300 characters)"),
            )
            .required("message")
            .property("registry_coverage", coverage);
        ObjectBuilder::new()
            .property("error", error)
            .required("error")
            .into()
    }
}

impl utoipa::ToSchema for AppError {
    fn name() -> std::borrow::Cow<'static, str> {
        "Error".into()
    }

    fn schemas(
        schemas: &mut Vec<(
            String,
            utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
        )>,
    ) {
        use utoipa::PartialSchema;
        schemas.push((
            "RegistryCoverage".to_string(),
            crate::engine::RegistryCoverage::schema(),
        ));
        <crate::engine::RegistryCoverage as utoipa::ToSchema>::schemas(schemas);
    }
}
