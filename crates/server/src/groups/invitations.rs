//! Accepting an invitation from its emailed link. The GET shows what the invitation
//! is for and a button; only the POST of that page accepts, so mail scanners that
//! open links cannot use the invitation up. An expired, revoked or used link grants
//! nothing on any path.

use crate::auth::session;
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::cookie::CookieJar;
use consultation::invitations::InvitationError;
use http::StatusCode;
use jiff::SignedDuration;
use minijinja::context;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/invitations/accept", get(show).post(accept))
}

#[derive(Debug, Deserialize)]
struct TokenForm {
    #[serde(default)]
    token: String,
}

/// The link is unusable, or the database failed (logged, and told as such).
fn failed(state: &AppState, page: &PageCtx, err: InvitationError) -> Response {
    match err {
        InvitationError::Unusable => page.render(
            state,
            StatusCode::GONE,
            "invitation_failed.html",
            context! {},
        ),
        InvitationError::Db(err) => {
            tracing::error!(error = %err, "could not look up or accept an invitation");
            page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(query): Query<TokenForm>,
) -> Response {
    match state.consultation().invitation_by_link(&query.token).await {
        Ok(found) => page.render(
            &state,
            StatusCode::OK,
            "invitation_accept.html",
            context! {
                token => query.token.trim(),
                name => found.person.name,
                group => found.group.name,
                group_kind => found.group.kind.as_str(),
                plan => found.plan.title,
                municipality => found.municipality.name,
                role => found.invitation.role.as_str(),
            },
        ),
        Err(err) => failed(&state, &page, err),
    }
}

async fn accept(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    Form(form): Form<TokenForm>,
) -> Response {
    let ttl = SignedDuration::from_hours(24 * session::SESSION_DAYS);
    match state
        .consultation()
        .accept_invitation(&form.token, ttl)
        .await
    {
        Ok(accepted) => {
            let jar = jar.add(session::session_cookie(accepted.session_secret));
            let target = crate::auth::sign_in::landing(&state, &accepted.signed_in).await;
            (jar, Redirect::to(target)).into_response()
        }
        Err(err) => failed(&state, &page, err),
    }
}
