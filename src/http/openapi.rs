//! The OpenAPI 3.1 document, generated from the handlers' `#[utoipa::path]` and the `ToSchema`
//! of the request and answer types, plus the errors the layers may answer on every route.

use std::sync::LazyLock;

use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, OpenApi, Ref, RefOr};

use super::routes;
use super::AppError;

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "cpts-atlas API",
        description = "Diagnostic territorial for CPTS (Communautés Professionnelles \
            Territoriales de Santé): population, ACI tier, funding, health supply and access of a \
            territory given as INSEE codes, a drawn GeoJSON polygon (WGS84) or an EPCI; the \
            registry of existing CPTS, its overlaps and white zones; saved territories; an OGC \
            API - Features view. Geometry is GeoJSON (RFC 7946). Errors are \
            `{\"error\": {\"code\", \"message\"}}`. Generated from the code (utoipa)."
    ),
    // HealthIndicators: flattened into the diagnosis by a hand-written schema that names it.
    components(schemas(AppError, crate::diagnosis::HealthIndicators))
)]
struct ApiDoc;

/// The document served at `/api/openapi.json`, built once.
pub static DOCUMENT: LazyLock<String> = LazyLock::new(|| {
    document()
        .to_pretty_json()
        .expect("the OpenAPI document serializes")
});

/// Errors the cross-cutting layers answer on any route (`http::contract`, the timeout), by
/// status: the name of their shared response in `components.responses` and its description.
const LAYER_ERRORS: [(&str, &str, &str); 4] = [
    (
        "408",
        "Timeout",
        "`timeout`: the answer took longer than the server's request timeout",
    ),
    (
        "413",
        "AnswerTooLarge",
        "`answer_too_large`: the answer would pass the server's byte budget \
         (`max_answer_bytes`); `body_too_large`: the request body passes `max_body_bytes`",
    ),
    (
        "415",
        "UnsupportedEncoding",
        "`unsupported_encoding`: the request body is compressed (`Content-Encoding`); \
         `unsupported_media_type`: a JSON body without `Content-Type: application/json`",
    ),
    (
        "500",
        "Internal",
        "`internal`: a server bug; the details are in the server log only",
    ),
];

/// The whole document: every documented route, with the layers' errors on every operation that
/// does not describe the same status itself.
pub fn document() -> OpenApi {
    let mut document = <ApiDoc as utoipa::OpenApi>::openapi();
    document.merge(routes::documented().into_openapi());
    let components = document.components.get_or_insert_with(Default::default);
    let mut token = Http::new(HttpAuthScheme::Bearer);
    token.description = Some("The server's write token (`CPTS_ATLAS_TOKEN`)".to_string());
    components.add_security_scheme("token", SecurityScheme::Http(token));
    for (_, name, description) in LAYER_ERRORS {
        components
            .responses
            .insert(name.to_string(), RefOr::T(error_response(description)));
    }
    for item in document.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for operation in operations.into_iter().flatten() {
            for (status, name, _) in LAYER_ERRORS {
                operation
                    .responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
            }
        }
    }
    document
}

/// A response whose body is the JSON error.
fn error_response(description: &str) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name("Error"))),
        )
        .build()
}
