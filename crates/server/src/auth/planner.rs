//! The planner's workbench is for signed-in staff.

use crate::auth::session::actor_for;
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::response::{IntoResponse, Redirect, Response};
use domain::policy::Actor;
use http::StatusCode;

pub(crate) struct Planner {
    pub actor: Actor,
    pub who: String,
}

/// Signed-in staff only; others are sent to sign in, or told they may not.
pub(crate) async fn require_planner(state: &AppState, page: &PageCtx) -> Result<Planner, Response> {
    let Some(signed_in) = &page.signed_in else {
        return Err(Redirect::to("/sign-in").into_response());
    };
    let actor = actor_for(state, signed_in).await;
    match actor.staff_municipality() {
        Some(_) => Ok(Planner {
            actor,
            who: signed_in.person.email.clone(),
        }),
        None => Err(page.error(state, StatusCode::FORBIDDEN, "planner-forbidden")),
    }
}
