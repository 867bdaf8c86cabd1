//! The consultation service: HTML pages, the JSON API, the websocket endpoint and
//! the operational endpoints, as one axum application.
//!
//! Invariants: every route and websocket subscription asks `domain::policy::can`;
//! handlers never import sea-orm (storage goes through `db::Db`); changes are
//! published to the hub only after their transaction committed.

mod admin;
pub mod app;
mod assessment;
mod audit;
mod auth;
mod comments;
pub mod demo;
mod documents;
mod error;
mod feeds;
mod groups;
mod hearings;
mod home;
mod live;
mod openapi;
mod ops;
mod people;
mod plans;
mod responses;
mod security;
mod state;
mod tokens;
mod web;
mod workshop_board;
mod workshops;

pub use error::ApiError;
pub use hearings::deadline::{
    DeadlineReport, WarningReport, deadline_report, error_message as deadline_error_message,
};
pub use openapi::ApiDoc;
pub use security::client::{Client, parse_trusted_proxies};
pub use security::frame_ancestor_valid;
pub use state::{
    AppState, DEFAULT_ANONYMOUS_COMMENTS_PER_ADDRESS, DEFAULT_ANONYMOUS_COMMENTS_PER_EMAIL,
    DEFAULT_MAX_CONCURRENT_UPLOADS, DEFAULT_SESSION_IDLE_MINUTES_PARTICIPANT,
    DEFAULT_SESSION_IDLE_MINUTES_STAFF, SecuritySettings, ServerConfig,
};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use http::HeaderName;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application with its middleware.
pub fn router(state: AppState) -> Router {
    Router::new()
        .merge(admin::router())
        .merge(audit::router())
        .merge(tokens::router())
        .merge(home::router())
        .merge(hearings::router())
        .merge(comments::router())
        .merge(auth::router())
        .merge(people::router())
        .merge(documents::router())
        .merge(plans::router())
        .merge(groups::router())
        .merge(responses::router())
        .merge(assessment::router())
        .merge(openapi::routes())
        .merge(ops::routes())
        .merge(web::assets::routes())
        .merge(feeds::routes())
        .merge(live::router())
        .merge(workshop_board::router())
        .merge(workshops::router())
        .fallback(home::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::check_origin,
        ))
        .layer(axum::middleware::from_fn(security::honeypot::check))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::limits::shared_sign_in,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::headers,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            security::client::resolve_client,
        ))
        .layer(axum::middleware::from_fn(ops::track))
        .layer(DefaultBodyLimit::max(1024 * 1024))
        .layer(TimeoutLayer::with_status_code(
            http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &http::Request<_>| {
            let id = req
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            tracing::info_span!("request", method = %req.method(), path = %req.uri().path(), request_id = %id)
        }))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
        .with_state(state)
}

/// Serves until `shutdown` fires, then stops accepting, lets in-flight requests
/// finish and closes websockets with "going away".
pub async fn serve(listener: TcpListener, state: AppState) -> std::io::Result<()> {
    let shutdown: CancellationToken = state.shutdown_token();
    let app = router(state);
    // The peer address feeds the per-IP rate limits.
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .with_graceful_shutdown(async move { shutdown.cancelled().await })
    .await
}
