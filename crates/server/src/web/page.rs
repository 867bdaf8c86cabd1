//! What every page knows about its request: the reader's language, the path (for the
//! language switch) and who is signed in (for the header).

use crate::auth::session::signed_in_from;
use crate::state::AppState;
use crate::web::lang;
use axum::extract::FromRequestParts;
use axum::response::{Html, IntoResponse, Response};
use db::SignedIn;
use domain::Lang;
use http::StatusCode;
use http::request::Parts;
use minijinja::{Value, context};
use std::convert::Infallible;

pub struct PageCtx {
    pub lang: Lang,
    pub path: String,
    pub signed_in: Option<SignedIn>,
    /// Whether the signed-in person works for the municipality they signed in to
    /// (the header links to the workbench only then).
    pub staff: bool,
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let signed_in = signed_in_from(parts, state).await;
        let staff = match &signed_in {
            Some(s) => state
                .db()
                .staff_roles(s.person.id)
                .await
                .is_ok_and(|roles| roles.iter().any(|(m, _)| Some(*m) == s.municipality)),
            None => false,
        };
        Ok(PageCtx {
            lang: lang::from_parts(parts),
            path: parts.uri.path().to_owned(),
            signed_in,
            staff,
        })
    }
}

impl PageCtx {
    /// Who is asking, with their roles (anonymous when nobody is signed in).
    pub async fn actor(&self, state: &AppState) -> domain::policy::Actor {
        match &self.signed_in {
            Some(signed_in) => state.consultation().actor_for(signed_in).await,
            None => domain::policy::Actor::anonymous(),
        }
    }

    /// Renders a template with the page's common context merged in.
    pub fn render(&self, state: &AppState, status: StatusCode, name: &str, ctx: Value) -> Response {
        let user = self.signed_in.as_ref().map(|s| s.person.name.clone());
        // The idle timeout the page warns about (`session.js`).
        let idle_seconds = self
            .signed_in
            .as_ref()
            .map(|s| state.config().security.session_idle(s.staff).as_secs());
        let full = context! {
            lang => self.lang.code(),
            path => self.path,
            user => user,
            staff => self.staff,
            idle_seconds => idle_seconds,
            idle_warning_seconds => crate::state::SESSION_IDLE_WARNING.as_secs(),
            ..ctx
        };
        match state.templates().render(name, full) {
            Ok(html) => (status, Html(html)).into_response(),
            Err(err) => {
                tracing::error!(template = name, error = %err, "could not render page");
                (StatusCode::INTERNAL_SERVER_ERROR, "internal error").into_response()
            }
        }
    }

    pub fn error(&self, state: &AppState, status: StatusCode, message_id: &str) -> Response {
        self.render(
            state,
            status,
            "error.html",
            context! { message_id => message_id },
        )
    }
}
