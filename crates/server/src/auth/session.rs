//! Sessions: a random secret in a `__Host-` cookie (Secure, HttpOnly, SameSite=Lax),
//! stored hashed in the database, renewed at every sign-in.

use crate::state::AppState;
use axum::extract::FromRequestParts;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use db::SignedIn;
use domain::policy::Actor;
use http::request::Parts;
use std::convert::Infallible;

/// `__Host-` binds the cookie to this host and path `/`, and needs `Secure`; browsers
/// accept Secure cookies on http://localhost and 127.0.0.1 for development.
pub const COOKIE: &str = "__Host-samrad_session";

/// Sessions end after this long on the server, or when the browser closes (the
/// cookie has no Max-Age), whichever comes first.
pub use consultation::people::SESSION_DAYS;

pub use consultation::secrets::new_secret;

pub fn session_cookie(secret: String) -> Cookie<'static> {
    Cookie::build((COOKIE, secret))
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Lax)
        .build()
}

pub fn removal_cookie() -> Cookie<'static> {
    Cookie::build((COOKIE, ""))
        .path("/")
        .secure(true)
        .http_only(true)
        .same_site(SameSite::Lax)
        .build()
}

/// The signed-in person, if the request carries a live session cookie.
pub struct MaybeSignedIn(pub Option<SignedIn>);

pub(crate) async fn signed_in_from(parts: &Parts, state: &AppState) -> Option<SignedIn> {
    let jar = CookieJar::from_headers(&parts.headers);
    let secret = jar.get(COOKIE)?.value().to_owned();
    if secret.is_empty() {
        return None;
    }
    let security = &state.config().security;
    let idle = db::IdleTimeout {
        staff: jiff::SignedDuration::try_from(security.session_idle(true)).ok(),
        participant: jiff::SignedDuration::try_from(security.session_idle(false)).ok(),
    };
    match state.db().session_in_use(&secret, idle).await {
        Ok(found) => found,
        Err(err) => {
            tracing::warn!(error = %err, "could not look up a session");
            None
        }
    }
}

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Ok(MaybeSignedIn(signed_in_from(parts, state).await))
    }
}

/// The signed-in person with the roles they hold in the municipality they signed in
/// to (`Consultation::actor_for`; fails closed).
pub async fn actor_for(state: &AppState, signed_in: &SignedIn) -> Actor {
    state.consultation().actor_for(signed_in).await
}

/// `POST /session/extend`: the warning's "stay signed in". Counts as activity and
/// answers how long the session may now stay unused; 401 when it has already ended.
pub(crate) async fn extend(
    axum::extract::State(state): axum::extract::State<AppState>,
    MaybeSignedIn(signed_in): MaybeSignedIn,
) -> Result<axum::Json<serde_json::Value>, crate::error::ApiError> {
    let unauthorized =
        || crate::error::ApiError::unauthorized("the session has ended; sign in again");
    let signed_in = signed_in.ok_or_else(unauthorized)?;
    if !state.db().touch_session(signed_in.session).await? {
        return Err(unauthorized());
    }
    let idle = state.config().security.session_idle(signed_in.staff);
    Ok(axum::Json(
        serde_json::json!({ "idle_seconds": idle.as_secs() }),
    ))
}
