//! The consultation service's errors as API errors: one mapping per feature, so the
//! API and the forms agree on what each refusal means. (The comment errors are
//! mapped in `comments/mod.rs`, next to their form messages.)

use crate::error::ApiError;
use consultation::documents::ImportError;
use consultation::hearings::ExtendError;
use domain::Lang;
use http::StatusCode;

/// The deadline error speaks the reader's language.
pub fn extend_error(err: ExtendError, lang: Lang) -> ApiError {
    {
        let message = err.to_string();
        match err {
            ExtendError::Deadline(e) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                e.code(),
                crate::hearings::deadline::error_message(lang, &e),
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
}

impl From<ImportError> for ApiError {
    fn from(err: ImportError) -> Self {
        let message = err.to_string();
        let unprocessable = |code| ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message);
        match err {
            ImportError::UnknownPlan => unprocessable("unknown_plan"),
            ImportError::InvalidKind => unprocessable("invalid_kind"),
            ImportError::UnknownFormat => unprocessable("unknown_format"),
            ImportError::Unreadable(code, _) => unprocessable(code),
            ImportError::ImporterFailed => ApiError::internal(),
            ImportError::Invalid(e) => e.into(),
            ImportError::Db(e) => e.into(),
        }
    }
}
