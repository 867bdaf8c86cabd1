//! Which emails a person receives: the form on `/me`, and the page of the one-click
//! unsubscribe link (RFC 8058) in an email. Opening the link shows a button; only
//! the POST (the button, or the mail program's one-click request) turns the kind
//! off. The use cases are in `consultation::email_settings`.

use crate::people::pages::{MeError, render_me, to_sign_in};
use crate::state::AppState;
use crate::web::page::PageCtx;
use axum::extract::{Form, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use consultation::email_settings::EmailSettingsError;
use http::StatusCode;
use minijinja::context;

/// The message id naming a kind of email.
fn kind_label(kind: &str) -> String {
    format!("email-kind-{}", kind.replace('_', "-"))
}

/// Saves the settings form: each ticked `receive` box is a kind to receive.
pub(crate) async fn save(
    State(state): State<AppState>,
    page: PageCtx,
    Form(fields): Form<Vec<(String, String)>>,
) -> Response {
    let Some(signed_in) = page.signed_in.as_ref() else {
        return to_sign_in();
    };
    let receive: Vec<String> = fields
        .into_iter()
        .filter(|(name, _)| name == "receive")
        .map(|(_, kind)| kind)
        .collect();
    let actor = page.actor(&state).await;
    match state
        .consultation()
        .save_email_settings(&actor, signed_in.person.id, &receive)
        .await
    {
        Ok(()) => Redirect::to("/me?emails_saved=1").into_response(),
        Err(EmailSettingsError::UnknownKind(_)) => {
            let error = MeError::Emails("me-error-email-kind");
            render_me(
                &state,
                &page,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(error),
            )
            .await
        }
        Err(err) => failed(&state, &page, err),
    }
}

/// Shows what the link stops, with a button; changes nothing.
pub(crate) async fn unsubscribe_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
) -> Response {
    match state.consultation().unsubscribe_link(&token).await {
        Ok(kind) => page.render(
            &state,
            StatusCode::OK,
            "unsubscribe.html",
            context! { token => token, kind => kind_label(kind), done => false, unknown => false },
        ),
        Err(err) => failed(&state, &page, err),
    }
}

/// Turns off the kind the link names, for the person it names. Needs no session;
/// exempt from the cross-site check (see `security::check_origin`).
pub(crate) async fn unsubscribe(
    State(state): State<AppState>,
    page: PageCtx,
    Path(token): Path<String>,
) -> Response {
    match state.consultation().unsubscribe(&token).await {
        Ok(kind) => page.render(
            &state,
            StatusCode::OK,
            "unsubscribe.html",
            context! { done => true, kind => kind_label(kind), unknown => false },
        ),
        Err(err) => failed(&state, &page, err),
    }
}

fn failed(state: &AppState, page: &PageCtx, err: EmailSettingsError) -> Response {
    match err {
        EmailSettingsError::UnknownLink => page.render(
            state,
            StatusCode::NOT_FOUND,
            "unsubscribe.html",
            context! { unknown => true, done => false },
        ),
        EmailSettingsError::Forbidden => page.error(state, StatusCode::FORBIDDEN, "error-title"),
        EmailSettingsError::UnknownKind(_) => {
            page.error(state, StatusCode::UNPROCESSABLE_ENTITY, "error-title")
        }
        EmailSettingsError::Db(e) => {
            tracing::error!(error = %e, "could not read or change email settings");
            page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title")
        }
    }
}
