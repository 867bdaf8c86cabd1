//! Staff may set a password, besides signing in by emailed link. Only the argon2id
//! hash is stored; a password shorter than 12 characters is refused.

use crate::auth::planner::require_planner;
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::Router;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use http::StatusCode;
use minijinja::context;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/planner/password", get(form).post(save))
}

async fn render(
    state: &AppState,
    page: &PageCtx,
    status: StatusCode,
    error: Option<&str>,
    saved: bool,
) -> Response {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let has_password = state
        .db()
        .has_password(signed_in.person.id)
        .await
        .unwrap_or(false);
    page.render(
        state,
        status,
        "planner_password.html",
        context! {
            has_password => has_password,
            error => error,
            saved => saved,
            min => db::password::MIN_CHARS,
        },
    )
}

async fn form(State(state): State<AppState>, page: PageCtx) -> Response {
    if let Err(response) = require_planner(&state, &page).await {
        return response;
    }
    render(&state, &page, StatusCode::OK, None, false).await
}

#[derive(Debug, Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
    #[serde(default)]
    repeat: String,
    /// Present when the planner removes their password.
    #[serde(default)]
    remove: Option<String>,
}

async fn save(
    State(state): State<AppState>,
    page: PageCtx,
    Form(input): Form<PasswordForm>,
) -> Response {
    if let Err(response) = require_planner(&state, &page).await {
        return response;
    }
    let Some(person) = page.signed_in.as_ref().map(|s| s.person.id) else {
        return Redirect::to("/sign-in").into_response();
    };
    let chosen = if input.remove.is_some() {
        None
    } else {
        let length = input.password.chars().count();
        let problem = if length < db::password::MIN_CHARS {
            Some("password-too-short")
        } else if length > db::password::MAX_CHARS {
            Some("password-too-long")
        } else if input.password != input.repeat {
            Some("password-mismatch")
        } else {
            None
        };
        if let Some(problem) = problem {
            return render(
                &state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(problem),
                false,
            )
            .await;
        }
        Some(input.password.as_str())
    };
    match state.db().set_password(person, chosen).await {
        Ok(()) => render(&state, &page, StatusCode::OK, None, true).await,
        Err(err) => {
            tracing::error!(error = %err, "could not store a password");
            page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}
