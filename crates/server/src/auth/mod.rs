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
        match state.db().api_token_municipality(token).await? {
            Some(municipality) => Ok(CurrentActor(
                Actor::api_token(municipality),
                format!("api-token@{municipality}"),
            )),
            None => Err(ApiError::unauthorized(
                "the API token is unknown or revoked",
            )),
        }
    }
}
