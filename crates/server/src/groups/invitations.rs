//! Accepting an invitation from its emailed link. The GET shows what the invitation
//! is for and a button; only the POST of that page accepts, so mail scanners that
//! open links cannot use the invitation up. An expired, revoked or used link grants
//! nothing on any path.

use crate::auth::session::{self, new_secret};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use axum_extra::extract::cookie::CookieJar;
use domain::invitation::InvitationStatus;
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

fn plausible(token: &str) -> bool {
    !token.is_empty() && token.len() <= 200
}

fn failed(state: &AppState, page: &PageCtx) -> Response {
    page.render(
        state,
        StatusCode::GONE,
        "invitation_failed.html",
        context! {},
    )
}

async fn show(
    State(state): State<AppState>,
    page: PageCtx,
    Query(query): Query<TokenForm>,
) -> Response {
    let token = query.token.trim();
    if !plausible(token) {
        return failed(&state, &page);
    }
    let db = state.db();
    let found = match db.invitation_by_token(token).await {
        Ok(Some(found))
            if found.invitation.status(db::time::now()) == InvitationStatus::Pending =>
        {
            found
        }
        Ok(_) => return failed(&state, &page),
        Err(err) => {
            tracing::error!(error = %err, "could not look up an invitation");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let details = async {
        let group = db.group(found.invitation.group_id).await?;
        let plan = db.plan(group.plan_id).await?;
        let municipality = db.municipality(plan.municipality_id).await?;
        Ok::<_, db::DbError>((group, plan, municipality))
    }
    .await;
    match details {
        Ok((group, plan, municipality)) => page.render(
            &state,
            StatusCode::OK,
            "invitation_accept.html",
            context! {
                token => token,
                name => found.person.name,
                group => group.name,
                group_kind => group.kind.as_str(),
                plan => plan.title,
                municipality => municipality.name,
                role => found.invitation.role.as_str(),
            },
        ),
        Err(err) => {
            tracing::error!(error = %err, "could not show an invitation");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}

async fn accept(
    State(state): State<AppState>,
    page: PageCtx,
    jar: CookieJar,
    Form(form): Form<TokenForm>,
) -> Response {
    let token = form.token.trim();
    if !plausible(token) {
        return failed(&state, &page);
    }
    let secret = new_secret();
    match state
        .db()
        .accept_invitation(
            token,
            &secret,
            SignedDuration::from_hours(24 * session::SESSION_DAYS),
        )
        .await
    {
        Ok(Some((invitation, signed_in))) => {
            tracing::info!(invitation = %invitation.id, person = %signed_in.person.id, "invitation accepted");
            state.roles_changed(signed_in.person.id);
            let jar = jar.add(session::session_cookie(secret));
            let target = crate::auth::sign_in::landing(&state, &signed_in).await;
            (jar, Redirect::to(target)).into_response()
        }
        Ok(None) => failed(&state, &page),
        Err(err) => {
            tracing::error!(error = %err, "could not accept an invitation");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}
