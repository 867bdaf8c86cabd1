//! A person's own page, confirming input given without an account, export and
//! deletion, over HTTP. The use cases are `consultation::people` and
//! `consultation::privacy`.

pub(crate) mod api;
mod digests;
pub(crate) mod emails;
pub(crate) mod pages;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use consultation::people::{ConfirmError, ProfileError};
use consultation::privacy::PrivacyError;
use http::StatusCode;

/// The one-click unsubscribe link in emails (RFC 8058).
pub(crate) const UNSUBSCRIBE_ROUTE: &str = "/unsubscribe/{token}";

/// The API's and the pages' routes for people.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me/export", get(api::export))
        .route(
            "/inputs/confirm",
            get(pages::confirm_page).post(pages::confirm),
        )
        .route("/me", get(pages::me_page).post(pages::update_profile))
        .route("/me/emails", post(emails::save))
        .route("/me/notices", post(digests::save_notices))
        .route(
            UNSUBSCRIBE_ROUTE,
            get(emails::unsubscribe_page).post(emails::unsubscribe),
        )
        .route("/me/export", get(pages::export_download))
        .route("/me/delete", get(pages::delete_page).post(pages::delete))
}

impl From<PrivacyError> for ApiError {
    fn from(err: PrivacyError) -> Self {
        match err {
            PrivacyError::Forbidden => ApiError::forbidden(),
            PrivacyError::Db(e) => e.into(),
        }
    }
}

impl From<ProfileError> for ApiError {
    fn from(err: ProfileError) -> Self {
        let message = err.to_string();
        match err {
            ProfileError::Forbidden => ApiError::forbidden(),
            ProfileError::InvalidName(e) => e.into(),
            ProfileError::UnknownLanguage => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_lang", message)
            }
            ProfileError::Db(e) => e.into(),
        }
    }
}

impl From<ConfirmError> for ApiError {
    fn from(err: ConfirmError) -> Self {
        let message = err.to_string();
        match err {
            ConfirmError::LinkUnusable => ApiError::new(StatusCode::GONE, "link_unusable", message),
            ConfirmError::Db(e) => e.into(),
        }
    }
}

/// The message id the profile form shows for a refusal (`None`: not the form's to
/// show, an error page instead).
pub(crate) fn profile_error_message(err: &ProfileError) -> Option<&'static str> {
    match err {
        ProfileError::InvalidName(_) => Some("me-error-name"),
        ProfileError::UnknownLanguage => Some("me-error-lang"),
        ProfileError::Forbidden | ProfileError::Db(_) => None,
    }
}
