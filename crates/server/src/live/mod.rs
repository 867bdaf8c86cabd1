//! The websocket endpoint and the event history it resumes from.

pub(crate) mod history;
pub(crate) mod ws;

/// The websocket endpoint.
pub(crate) fn router() -> axum::Router<crate::state::AppState> {
    axum::Router::new().route("/ws", axum::routing::get(ws::upgrade))
}
