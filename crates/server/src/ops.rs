//! Health, readiness, metrics, and the middleware that counts requests and logs
//! each error once.

use crate::error::LoggedError;
use crate::state::AppState;
use axum::extract::{MatchedPath, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use http::StatusCode;
use serde_json::json;
use std::time::Instant;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics_text))
}

/// The process is alive.
async fn healthz() -> Json<serde_json::Value> {
    Json(json!({"status": "ok"}))
}

/// The database answers and every migration is applied.
async fn readyz(State(state): State<AppState>) -> Response {
    let db = state.db();
    let status = match (db.ping().await, db.pending_migrations().await) {
        (Ok(()), Ok(0)) => return Json(json!({"status": "ready"})).into_response(),
        (Err(err), _) => json!({"status": "unavailable", "database": err.to_string()}),
        (Ok(()), Ok(pending)) => json!({"status": "unavailable", "pending_migrations": pending}),
        (Ok(()), Err(err)) => json!({"status": "unavailable", "migrations": err.to_string()}),
    };
    (StatusCode::SERVICE_UNAVAILABLE, Json(status)).into_response()
}

async fn metrics_text(State(state): State<AppState>) -> Response {
    metrics::gauge!("samrad_hub_rooms").set(state.hub().active_rooms() as f64);
    metrics::gauge!("samrad_hub_presence_rooms").set(state.hub().presence_rooms_count() as f64);
    // What waits for slow websocket clients: bounded by the per-connection queue.
    let queues = hub::queue_stats();
    metrics::gauge!("samrad_hub_queued_messages").set(queues.queued_messages as f64);
    metrics::gauge!("samrad_hub_queued_bytes").set(queues.queued_bytes as f64);
    metrics::gauge!("samrad_hub_queue_high_water").set(queues.high_water as f64);
    metrics::gauge!("samrad_ws_queue_limit").set(state.config().ws_queue as f64);
    // The outbox's depth: emails waiting (or being sent) and emails given up.
    match state.consultation().outbox_depth().await {
        Ok(depth) => {
            metrics::gauge!("samrad_outbox_queued").set(depth.queued as f64);
            metrics::gauge!("samrad_outbox_dead").set(depth.dead as f64);
        }
        Err(err) => tracing::warn!(error = %err, "could not count the outbox"),
    }
    (
        [(http::header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        state.metrics().render(),
    )
        .into_response()
}

pub async fn track(request: Request, next: Next) -> Response {
    let started = Instant::now();
    let method = request.method().clone();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_owned(), |p| p.as_str().to_owned());
    let response = next.run(request).await;
    let status = response.status();
    metrics::counter!("samrad_http_requests_total", "method" => method.to_string(), "route" => route.clone(), "status" => status.as_u16().to_string()).increment(1);
    metrics::histogram!("samrad_http_request_duration_seconds", "route" => route)
        .record(started.elapsed().as_secs_f64());
    if let Some(err) = response.extensions().get::<LoggedError>() {
        if status.is_server_error() {
            tracing::error!(status = status.as_u16(), code = err.code, message = %err.message, "request failed");
        } else {
            tracing::info!(status = status.as_u16(), code = err.code, message = %err.message, "request refused");
        }
    }
    response
}
