//! OGC API - Features, Part 1 (Core, GeoJSON) under `/ogc`: landing page, conformance,
//! collections, items paged by `bbox`, `limit`, `offset`, and single features.

mod links;

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use serde_json::{json, Value};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::communes::parse_bbox;
use super::territories::{is_authorized, with_store, without_authors};
use crate::diagnosis::{
    territories_layer, Extent, FeatureLayer, FeaturePage, PageRequest, PublishedLayers,
};
use crate::http::extract::{Path, Query};
use crate::http::{AppError, AppState};
use links::{link, Base, MediaType};

/// Features per page when `limit` is not given.
pub const DEFAULT_LIMIT: usize = 10;
/// Larger `limit`s are served as this many (OGC API - Features: not an error).
pub const MAX_LIMIT: usize = 10_000;
/// A page stops before its GeoJSON would pass this many bytes (a quarter of the answer
/// budget), with a `next` link: the server's page size (OGC API - Features allows fewer
/// features than `limit`).
const PAGE_BUDGET_SHARE: usize = 4;

const CONFORMANCE: &[&str] = &[
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
];
const CRS84: &str = "http://www.opengis.net/def/crs/OGC/1.3/CRS84";

/// The `/ogc` routes.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(landing))
        .routes(routes!(landing_slash))
        .routes(routes!(conformance))
        .routes(routes!(collections))
        .routes(routes!(collection))
        .routes(routes!(items))
        .routes(routes!(item))
}

/// A published collection.
#[derive(Clone, Copy, PartialEq)]
enum Collection {
    Communes,
    Cpts,
    Overlaps,
    Uncovered,
    Territories,
}

impl Collection {
    const ALL: [Self; 5] = [
        Self::Communes,
        Self::Cpts,
        Self::Overlaps,
        Self::Uncovered,
        Self::Territories,
    ];

    fn id(self) -> &'static str {
        match self {
            Self::Communes => "communes",
            Self::Cpts => "cpts",
            Self::Overlaps => "overlaps",
            Self::Uncovered => "uncovered",
            Self::Territories => "territories",
        }
    }

    fn title(self) -> &'static str {
        match self {
            Self::Communes => "Communes (COG 2026, IGN ADMIN EXPRESS-COG outlines)",
            Self::Cpts => "Existing CPTS (registry)",
            Self::Overlaps => "Overlaps between registry CPTS",
            Self::Uncovered => "Communes no CPTS covers",
            Self::Territories => "Saved territories",
        }
    }

    fn description(self) -> &'static str {
        match self {
            Self::Communes => "Every commune with its legal population, département, région and EPCI; id: INSEE code",
            Self::Cpts => "Each CPTS of the registry: outline (union of its members), population, tier, members; id: CPTS id",
            Self::Overlaps => "Each pair of registry CPTS that overlap, on the shared area: kind, shared communes, population; id: first+second",
            Self::Uncovered => "Communes of France no registry CPTS covers (status uncovered) or covers in part (partly_covered); id: INSEE code",
            Self::Territories => "Territories saved by porteurs, resolved against the geography; id: territory id",
        }
    }

    fn find(state: &AppState, id: &str) -> Result<Self, AppError> {
        Self::ALL
            .into_iter()
            .filter(|c| c.available(state))
            .find(|c| c.id() == id)
            .ok_or_else(|| not_found(format!("no collection {id:?}: see /ogc/collections")))
    }

    /// Saved territories need the store.
    fn available(self, state: &AppState) -> bool {
        self != Self::Territories || state.store.is_some()
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct FormatQuery {
    /// `json` or `geojson` (else from `Accept`).
    f: Option<String>,
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
struct ItemsQuery {
    /// `minlon,minlat,maxlon,maxlat` in WGS84 (CRS84) degrees.
    bbox: Option<String>,
    /// Features wanted, 1 to 10 000 (default 10); larger values are served as 10 000.
    limit: Option<String>,
    /// Features skipped, in the collection's stable order (default 0).
    offset: Option<String>,
    /// `geojson` (default) or `json` (else from `Accept`).
    f: Option<String>,
    /// Accepted and ignored: no collection has a temporal extent.
    #[serde(rename = "datetime")]
    _datetime: Option<String>,
}

/// OGC API - Features landing page (links: self, service-desc, conformance, data).
#[utoipa::path(get, path = "/ogc", tag = "ogc", params(FormatQuery),
    responses((status = 200, body = Object, description = "The landing page"), (status = 400, body = AppError, description = "`invalid_format`: `f` is not `json` or \
            `geojson`"),
        (status = 406, body = AppError, description = "`not_acceptable`: no acceptable media \
            type in `Accept`")))]
async fn landing(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<FormatQuery>,
) -> Result<Response, AppError> {
    MediaType::negotiate(query.f.as_deref(), &headers, false)?;
    let base = Base::of(&state, &headers);
    let body = json!({
        "title": "cpts-atlas",
        "description": "French primary-care territories (CPTS): communes, the registry of existing CPTS, their overlaps, uncovered communes and saved territories, as OGC API - Features",
        "links": [
            link(base.ogc(""), "self", MediaType::Json, "This document"),
            link(base.root("/api/openapi.json"), "service-desc", MediaType::OpenApi, "The API definition (OpenAPI 3.1)"),
            link(base.ogc("/conformance"), "conformance", MediaType::Json, "Conformance classes implemented"),
            link(base.ogc("/collections"), "data", MediaType::Json, "The collections"),
        ],
    });
    Ok(json_response(body, MediaType::Json))
}

/// The landing page, with a trailing slash.
#[utoipa::path(get, path = "/ogc/", tag = "ogc", params(FormatQuery),
    responses((status = 200, body = Object, description = "The landing page"), (status = 400, body = AppError, description = "`invalid_format`: `f` is not `json` or \
            `geojson`"),
        (status = 406, body = AppError, description = "`not_acceptable`: no acceptable media \
            type in `Accept`")))]
async fn landing_slash(
    state: State<AppState>,
    headers: HeaderMap,
    query: Query<FormatQuery>,
) -> Result<Response, AppError> {
    landing(state, headers, query).await
}

/// OGC API - Features conformance classes: Core, GeoJSON.
#[utoipa::path(get, path = "/ogc/conformance", tag = "ogc", params(FormatQuery),
    responses((status = 200, body = Object, description = "`conformsTo`"), (status = 400, body = AppError, description = "`invalid_format`: `f` is not `json` or \
            `geojson`"),
        (status = 406, body = AppError, description = "`not_acceptable`: no acceptable media \
            type in `Accept`")))]
async fn conformance(
    headers: HeaderMap,
    Query(query): Query<FormatQuery>,
) -> Result<Response, AppError> {
    MediaType::negotiate(query.f.as_deref(), &headers, false)?;
    Ok(json_response(
        json!({ "conformsTo": CONFORMANCE }),
        MediaType::Json,
    ))
}

/// The collections: communes, cpts, overlaps, uncovered, territories (with a store).
#[utoipa::path(get, path = "/ogc/collections", tag = "ogc", params(FormatQuery),
    responses((status = 200, body = Object, description = "`collections` and `links`"), (status = 400, body = AppError, description = "`invalid_format`: `f` is not `json` or \
            `geojson`"),
        (status = 406, body = AppError, description = "`not_acceptable`: no acceptable media \
            type in `Accept`")))]
async fn collections(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(query): Query<FormatQuery>,
) -> Result<Response, AppError> {
    MediaType::negotiate(query.f.as_deref(), &headers, false)?;
    let base = Base::of(&state, &headers);
    let layers = published(&state).await?;
    let collections: Vec<Value> = Collection::ALL
        .into_iter()
        .filter(|c| c.available(&state))
        .map(|c| describe(&base, c, extent(&layers, c)))
        .collect();
    let body = json!({
        "links": [link(base.ogc("/collections"), "self", MediaType::Json, "The collections")],
        "collections": collections,
    });
    Ok(json_response(body, MediaType::Json))
}

/// One collection: extent (CRS84), crs, links to its items.
#[utoipa::path(get, path = "/ogc/collections/{collectionId}", tag = "ogc",
    params(("collectionId" = String, Path, description = "`communes`, `cpts`, `overlaps`, `uncovered`, \
        `territories` (with a store)"), FormatQuery),
    responses((status = 200, body = Object, description = "The collection"), (status = 400, body = AppError, description = "`invalid_format`: `f` is not `json` or \
            `geojson`"),
        (status = 406, body = AppError, description = "`not_acceptable`: no acceptable media \
            type in `Accept`"), (status = 404, body = AppError, description = "`not_found`: no such collection or feature")))]
async fn collection(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<FormatQuery>,
) -> Result<Response, AppError> {
    MediaType::negotiate(query.f.as_deref(), &headers, false)?;
    let collection = Collection::find(&state, &id)?;
    let layers = published(&state).await?;
    let body = describe(
        &Base::of(&state, &headers),
        collection,
        extent(&layers, collection),
    );
    Ok(json_response(body, MediaType::Json))
}

/// Features of a collection, in a stable order, paged (links `next`/`prev`).
#[utoipa::path(get, path = "/ogc/collections/{collectionId}/items", tag = "ogc",
    params(("collectionId" = String, Path, description = "`communes`, `cpts`, `overlaps`, `uncovered`, \
        `territories` (with a store)"), ItemsQuery),
    responses(
        (status = 200, description = "GeoJSON FeatureCollection with `numberMatched`, \
            `numberReturned` and `links`; a page may hold fewer than `limit` features (byte \
            budget)", content((Object = "application/geo+json"), (Object = "application/json"))),
        (status = 400, body = AppError, description = "`invalid_format`: `f` is not `json` or \
            `geojson`; `invalid_bbox`; `invalid_query`: bad `limit` or `offset`"),
        (status = 406, body = AppError, description = "`not_acceptable`: no acceptable media \
            type in `Accept`"), (status = 404, body = AppError, description = "`not_found`: no such collection or feature"),
    ))]
async fn items(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<ItemsQuery>,
) -> Result<Response, AppError> {
    let media = MediaType::negotiate(query.f.as_deref(), &headers, true)?;
    let collection = Collection::find(&state, &id)?;
    let request = PageRequest {
        bbox: query.bbox.as_deref().map(parse_bbox).transpose()?,
        offset: count(query.offset.as_deref(), "offset", 0, 0)?,
        limit: count(query.limit.as_deref(), "limit", DEFAULT_LIMIT, 1)?.min(MAX_LIMIT),
    };
    let authors = is_authorized(&state, &headers);
    let mut page = page(&state, collection, request, authors).await?;
    within_page_budget(&mut page, state.config.max_answer_bytes / PAGE_BUDGET_SHARE);
    let base = Base::of(&state, &headers);
    let items = base.ogc(&format!("/collections/{}/items", collection.id()));
    let href = |offset: usize, media: MediaType| {
        let mut params = Vec::new();
        if let Some(bbox) = &query.bbox {
            params.push(format!("bbox={bbox}"));
        }
        params.push(format!("limit={}", request.limit));
        params.push(format!("offset={offset}"));
        params.push(format!("f={}", media.f()));
        format!("{items}?{}", params.join("&"))
    };
    let returned = page.features.len();
    let mut links = vec![
        link(href(request.offset, media), "self", media, "This page"),
        link(
            href(request.offset, media.other()),
            "alternate",
            media.other(),
            "This page",
        ),
        link(
            base.ogc(&format!("/collections/{}", collection.id())),
            "collection",
            MediaType::Json,
            collection.title(),
        ),
    ];
    if request.offset + returned < page.number_matched {
        links.push(link(
            href(request.offset + returned, media),
            "next",
            media,
            "Next page",
        ));
    }
    if request.offset > 0 {
        let previous = request.offset.saturating_sub(request.limit);
        links.push(link(href(previous, media), "prev", media, "Previous page"));
    }
    let body = json!({
        "type": "FeatureCollection",
        "numberMatched": page.number_matched,
        "numberReturned": returned,
        "features": page.features,
        "links": links,
    });
    Ok(json_response(body, media))
}

/// One feature: communes and uncovered by INSEE code, cpts by id, overlaps by first+second,
/// territories by id.
#[utoipa::path(get, path = "/ogc/collections/{collectionId}/items/{featureId}", tag = "ogc",
    params(("collectionId" = String, Path, description = "`communes`, `cpts`, `overlaps`, `uncovered`, \
        `territories` (with a store)"), ("featureId" = String, Path, description = "The feature's id")),
    responses(
        (status = 200, description = "The GeoJSON Feature with its `links`",
            content((Object = "application/geo+json"), (Object = "application/json"))),
        (status = 400, body = AppError, description = "`invalid_format`: `f` is not `json` or \
            `geojson`"),
        (status = 406, body = AppError, description = "`not_acceptable`: no acceptable media \
            type in `Accept`"), (status = 404, body = AppError, description = "`not_found`: no such collection or feature"),
    ))]
async fn item(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((id, feature_id)): Path<(String, String)>,
    Query(query): Query<FormatQuery>,
) -> Result<Response, AppError> {
    let media = MediaType::negotiate(query.f.as_deref(), &headers, true)?;
    let collection = Collection::find(&state, &id)?;
    let feature = match collection {
        Collection::Territories => {
            let limits = state.config.drawn_limits;
            let atlas = state.atlas.clone();
            let saved = match feature_id.parse::<i64>() {
                Ok(n) => with_store(&state, move |store| store.get(n))
                    .await
                    .ok()
                    .map(|s| without_authors(vec![s.0], is_authorized(&state, &headers))),
                Err(_) => None,
            };
            saved.and_then(|saved| territories_layer(&atlas, &saved, &limits).get(&feature_id))
        }
        _ => {
            let layers = published(&state).await?;
            match collection {
                Collection::Communes => layers.communes.get(&state.atlas, &feature_id),
                Collection::Cpts => layers.cpts.get(&feature_id),
                Collection::Overlaps => layers.overlaps.get(&feature_id),
                _ => layers.uncovered.get(&state.atlas, &feature_id),
            }
        }
    }
    .ok_or_else(|| not_found(format!("no feature {feature_id:?} in collection {id:?}")))?;
    let base = Base::of(&state, &headers);
    let href = |media: MediaType| {
        base.ogc(&format!(
            "/collections/{}/items/{feature_id}?f={}",
            collection.id(),
            media.f()
        ))
    };
    let mut body = serde_json::to_value(&feature).map_err(|e| AppError::internal(e.to_string()))?;
    body["links"] = json!([
        link(href(media), "self", media, "This feature"),
        link(
            href(media.other()),
            "alternate",
            media.other(),
            "This feature"
        ),
        link(
            base.ogc(&format!("/collections/{}", collection.id())),
            "collection",
            MediaType::Json,
            collection.title()
        ),
    ]);
    Ok(json_response(body, media))
}

/// The collection's metadata: extent, CRS, links to its items.
fn describe(base: &Base, collection: Collection, extent: Extent) -> Value {
    let here = base.ogc(&format!("/collections/{}", collection.id()));
    let mut body = json!({
        "id": collection.id(),
        "title": collection.title(),
        "description": collection.description(),
        "itemType": "feature",
        "crs": [CRS84],
        "links": [
            link(here.clone(), "self", MediaType::Json, collection.title()),
            link(format!("{here}/items?f=geojson"), "items", MediaType::GeoJson, "The features (GeoJSON)"),
            link(format!("{here}/items?f=json"), "items", MediaType::Json, "The features (JSON)"),
        ],
    });
    if let Some(bbox) = extent {
        body["extent"] = json!({"spatial": {"bbox": [bbox], "crs": CRS84}});
    }
    body
}

fn extent(layers: &PublishedLayers, collection: Collection) -> Extent {
    match collection {
        Collection::Communes => layers.communes.extent(),
        Collection::Cpts => layers.cpts.extent(),
        Collection::Overlaps => layers.overlaps.extent(),
        Collection::Uncovered => layers.uncovered.extent(),
        // Saved territories change: no fixed extent is advertised.
        Collection::Territories => None,
    }
}

/// A page of a collection, built off the async workers.
async fn page(
    state: &AppState,
    collection: Collection,
    request: PageRequest,
    authors: bool,
) -> Result<FeaturePage, AppError> {
    if collection == Collection::Territories {
        // The cached layer holds the authors: withheld here from a reader without the token.
        let layer = saved_layer(state).await?;
        let mut page = blocking(move || layer.page(&request)).await?;
        if !authors {
            for feature in &mut page.features {
                if let Some(properties) = feature.properties.as_mut() {
                    properties.remove("author");
                }
            }
        }
        return Ok(page);
    }
    let layers = published(state).await?;
    let atlas = state.atlas.clone();
    blocking(move || match collection {
        Collection::Communes => layers.communes.page(&atlas, &request),
        Collection::Cpts => layers.cpts.page(&request),
        Collection::Overlaps => layers.overlaps.page(&request),
        _ => layers.uncovered.page(&atlas, &request),
    })
    .await
}

/// The layer of saved territories, rebuilt only when the store changed since it was built
/// (resolving every saved territory takes ~1 s for 6 000 of them).
async fn saved_layer(state: &AppState) -> Result<Arc<FeatureLayer>, AppError> {
    let version = with_store(state, |store| store.version()).await?.0;
    let cached = state
        .territories_layer
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .clone();
    if let Some((built, layer)) = cached {
        if built == version {
            return Ok(layer);
        }
    }
    let saved = with_store(state, |store| store.list(None)).await?.0;
    let (atlas, limits) = (state.atlas.clone(), state.config.drawn_limits);
    let layer = Arc::new(blocking(move || territories_layer(&atlas, &saved, &limits)).await?);
    *state
        .territories_layer
        .lock()
        .unwrap_or_else(|e| e.into_inner()) = Some((version, layer.clone()));
    Ok(layer)
}

/// Cuts a page before its features pass `budget` bytes of GeoJSON (at least one is kept).
fn within_page_budget(page: &mut FeaturePage, budget: usize) {
    let mut bytes = 0;
    let keep = page
        .features
        .iter()
        .position(|feature| {
            bytes += serde_json::to_vec(feature).map_or(0, |b| b.len());
            bytes > budget
        })
        .map_or(page.features.len(), |first_over| first_over.max(1));
    page.features.truncate(keep);
}

/// The published layers, built on first use (the registry's overlaps and coverage).
async fn published(state: &AppState) -> Result<Arc<PublishedLayers>, AppError> {
    if let Some(layers) = state.layers.get() {
        return Ok(layers.clone());
    }
    let state = state.clone();
    blocking(move || {
        state
            .layers
            .get_or_init(|| Arc::new(PublishedLayers::build(&state.atlas, &state.registry)))
            .clone()
    })
    .await
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|e| AppError::internal(format!("collection task failed: {e}")))
}

/// A non-negative integer parameter, `default` when absent, at least `min`.
fn count(text: Option<&str>, name: &str, default: usize, min: usize) -> Result<usize, AppError> {
    let Some(text) = text else {
        return Ok(default);
    };
    match text.trim().parse::<usize>() {
        Ok(n) if n >= min => Ok(n),
        _ => Err(AppError::bad_request(
            "invalid_query",
            format!("{name} must be an integer of at least {min}, not {text:?}"),
        )),
    }
}

fn not_found(message: String) -> AppError {
    AppError::new(axum::http::StatusCode::NOT_FOUND, "not_found", message)
}

fn json_response(body: Value, media: MediaType) -> Response {
    (
        [(header::CONTENT_TYPE, media.content_type())],
        axum::Json(body),
    )
        .into_response()
}
