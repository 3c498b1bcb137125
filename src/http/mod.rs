//! HTTP service (axum): the JSON/GeoJSON API under `/api` and the map front end; no domain logic.

mod contract;
mod error;
mod extract;
mod observe;
mod openapi;
mod routes;
mod server;
pub mod state;
mod web;

use std::time::Duration;

use axum::Router;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::CompressionLevel;

pub use error::AppError;
pub use observe::Metrics;
pub use server::serve_listener;
pub use state::{AppState, ServerConfig};

/// The whole application: API routes, static front end, and the cross-cutting layers (listed
/// from the innermost): the answer budget, the body limit, no encoded bodies, the timeout, errors
/// as JSON, the security headers, compression, CORS, metrics and logs, request ids.
pub fn app(state: AppState) -> Router {
    let body_limit = state.config.max_body_bytes;
    let (documented, _) = routes::documented().split_for_parts();
    let router = Router::new()
        .merge(documented)
        .merge(web::routes(&state.config))
        .fallback(routes::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            contract::bound_answers,
        ))
        .layer(RequestBodyLimitLayer::new(body_limit))
        .layer(axum::middleware::from_fn(contract::refuse_encoded_bodies))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(state.config.request_timeout_secs),
        ))
        .layer(axum::middleware::from_fn(contract::json_errors));
    let x_request_id = axum::http::HeaderName::from_static(observe::REQUEST_ID);
    web::with_security_headers(router, &state.config)
        // The fastest gzip level: JSON compresses ~6x at it, and the best level costs more CPU
        // than the diagnosis itself (profiled under load).
        .layer(
            CompressionLayer::new()
                .gzip(true)
                .quality(CompressionLevel::Fastest),
        )
        .layer(web::cors(&state.config))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            observe::record,
        ))
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(SetRequestIdLayer::new(
            x_request_id,
            observe::Counter::default(),
        ))
        .layer(axum::middleware::from_fn(observe::screen_request_id))
        .with_state(state)
}

/// Binds and serves until Ctrl-C / SIGTERM.
pub async fn serve(state: AppState) -> std::io::Result<()> {
    let addr = std::net::SocketAddr::new(state.config.bind, state.config.port);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("listening on http://{}", listener.local_addr()?);
    serve_listener(listener, state, shutdown_signal()).await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
