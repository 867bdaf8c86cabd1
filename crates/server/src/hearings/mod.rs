//! Hearings: the public hearing page, the planner's hearing pages, the API and deadline reports.

pub(crate) mod api;
pub(crate) mod comment_form;
pub(crate) mod deadline;
mod follow;
pub(crate) mod pages;
pub(crate) mod reminders;
pub(crate) mod workbench;
mod workbench_live;
mod workbench_page;
mod workbench_reminders;

/// The feature's API routes and pages.
pub(crate) fn router() -> axum::Router<crate::state::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/api/v1/hearings", post(api::create_hearing))
        .route(
            "/api/v1/hearings/{id}",
            get(api::get_hearing).patch(api::edit_hearing),
        )
        .route(
            "/api/v1/hearings/{id}/schedule",
            post(api::schedule_hearing),
        )
        .route("/api/v1/hearings/{id}/open", post(api::open_hearing))
        .route("/api/v1/hearings/{id}/close", post(api::close_hearing))
        .route(
            "/api/v1/hearings/{id}/complete",
            post(api::complete_hearing),
        )
        .route("/api/v1/hearings/{id}/extend", post(api::extend_hearing))
        .route("/api/v1/hearings/{id}/changes", get(api::hearing_changes))
        .route(
            "/api/v1/municipalities/{slug}/hearings",
            get(api::municipality_hearings),
        )
        .route("/api/v1/hearings/{id}/screening", post(api::set_screening))
        .route(
            "/api/v1/hearings/{id}/reminders",
            get(reminders::get_reminders).put(reminders::set_reminders),
        )
        .route(
            "/api/v1/hearings/{id}/reminders/send",
            post(reminders::send_reminders),
        )
        .route("/api/v1/deadline", get(deadline::get_deadline))
        .route(
            "/hearings/{id}/comments",
            post(comment_form::post_comment_form),
        )
        .route("/hearings/{id}/follow", post(follow::follow_form))
        .merge(pages::routes())
        .merge(workbench::routes())
}

use crate::error::ApiError;
use consultation::hearings::{ExtendError, HearingError};
use domain::Lang;
use http::StatusCode;

/// A hearing's use-case error as an API error; deadline errors speak the reader's language.
pub(crate) fn hearing_error(err: HearingError, lang: Lang) -> ApiError {
    let message = err.to_string();
    let unprocessable =
        |code| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message.clone());
    match err {
        HearingError::NotSignedIn => {
            ApiError::unauthorized("this needs a planner's sign-in or API token")
        }
        HearingError::Forbidden => ApiError::forbidden(),
        HearingError::NotFound => ApiError::not_found("the hearing"),
        HearingError::UnknownDocumentVersion => unprocessable("unknown_document_version"),
        HearingError::UnknownTimeZone(_) => unprocessable("unknown_time_zone"),
        HearingError::InvalidKind => unprocessable("invalid_kind"),
        HearingError::InvalidAudience => unprocessable("invalid_audience"),
        HearingError::InvalidDate(_) => unprocessable("invalid_date"),
        HearingError::AmbiguousDeadline => unprocessable("ambiguous_deadline"),
        HearingError::Deadline(e) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            e.code(),
            deadline::error_message(lang, &e),
        ),
        HearingError::EarlyCloseNeedsReason => unprocessable("early_close_needs_reason"),
        HearingError::NotADraft => ApiError::new(StatusCode::CONFLICT, "not_a_draft", message),
        HearingError::InvalidTransition { .. } => {
            ApiError::new(StatusCode::CONFLICT, "invalid_transition", message)
        }
        HearingError::Invalid(e) => e.into(),
        HearingError::Db(e) => e.into(),
    }
}

/// Extending a deadline refused, as an API error in the reader's language.
pub(crate) fn extend_error(err: ExtendError, lang: Lang) -> ApiError {
    let message = err.to_string();
    match err {
        ExtendError::Deadline(e) => ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            e.code(),
            deadline::error_message(lang, &e),
        ),
        ExtendError::NotLater => {
            ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "not_later", message)
        }
        ExtendError::Completed => {
            ApiError::new(StatusCode::CONFLICT, "invalid_transition", message)
        }
        ExtendError::Conflict => ApiError::new(StatusCode::CONFLICT, "edit_conflict", message),
        ExtendError::Db(e) => e.into(),
    }
}
