//! Hearings: the public hearing page, the planner's hearing pages, the API and deadline reports.

pub(crate) mod api;
pub(crate) mod deadline;
pub(crate) mod pages;
pub(crate) mod workbench;

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
