//! Who is asking: an API token (`Authorization: Bearer …`) or nobody in particular.
//! Sessions and sign-in by emailed link come with the people and permissions work.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::FromRequestParts;
use domain::policy::Actor;
use http::request::Parts;

pub struct CurrentActor(pub Actor);

impl FromRequestParts<AppState> for CurrentActor {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Some(header) = parts.headers.get(http::header::AUTHORIZATION) else {
            return Ok(CurrentActor(Actor::Anonymous));
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
            Some(municipality) => Ok(CurrentActor(Actor::Planner { municipality })),
            None => Err(ApiError::unauthorized(
                "the API token is unknown or revoked",
            )),
        }
    }
}
