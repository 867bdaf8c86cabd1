//! Who is asking: an API token (`Authorization: Bearer …`), a signed-in person (the
//! session cookie), or nobody in particular.

pub mod oidc;
pub(crate) mod password;
pub(crate) mod planner;
pub mod session;
pub(crate) mod sign_in;

/// Sign-in, sign-out and the staff password page.
pub(crate) fn router() -> axum::Router<AppState> {
    axum::Router::new()
        .merge(sign_in::routes())
        .merge(oidc::routes())
        .merge(password::routes())
}

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use domain::policy::Actor;
use http::request::Parts;

/// The actor, and how the hearing log names them (a person's email, a token's label).
pub struct CurrentActor(pub Actor, pub String);

impl FromRequestParts<AppState> for CurrentActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(header) = parts.headers.get(http::header::AUTHORIZATION) else {
            // Browsers: the session cookie, if any.
            return Ok(
                match crate::auth::session::signed_in_from(parts, state).await {
                    Some(signed_in) => CurrentActor(
                        state.consultation().actor_for(&signed_in).await,
                        signed_in.person.email.clone(),
                    ),
                    None => CurrentActor(Actor::anonymous(), "anonymous".to_owned()),
                },
            );
        };
        let token = header
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| {
                ApiError::unauthorized("the Authorization header must be `Bearer <token>`")
            })?;
        // Looked up in the database at every request: a revoked or expired token is
        // refused at once, on every process.
        let Some(found) = state.db().live_api_token(token).await? else {
            return Err(ApiError::unauthorized(
                "the API token is unknown, revoked or expired",
            ));
        };
        if found.read_only && !parts.method.is_safe() {
            return Err(ApiError::new(
                http::StatusCode::FORBIDDEN,
                "read_only_token",
                "this API token may only read",
            ));
        }
        let actor = state.consultation().actor_for_token(&found).await;
        Ok(CurrentActor(actor, format!("api-token:{}", found.label)))
    }
}
