//! The consultation service's errors as API errors: one mapping per feature, so the
//! API and the forms agree on what each refusal means.

use crate::error::ApiError;
use consultation::comments::CommentError;
use http::StatusCode;

impl From<CommentError> for ApiError {
    fn from(err: CommentError) -> Self {
        let message = err.to_string();
        match err {
            CommentError::HearingNotFound => ApiError::not_found("the hearing"),
            CommentError::InvalidParent => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "invalid_parent", message)
            }
            CommentError::QuoteNotInSection => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "quote_not_in_section",
                message,
            ),
            CommentError::SectionNotInHearing => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "section_not_in_hearing",
                message,
            ),
            CommentError::NotOpen => {
                ApiError::new(StatusCode::CONFLICT, "hearing_not_open", message)
            }
            CommentError::Forbidden => ApiError::new(StatusCode::FORBIDDEN, "forbidden", message),
            CommentError::EmailRequired => {
                ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "email_required", message)
            }
            CommentError::Invalid(e) => e.into(),
            CommentError::Db(e) => e.into(),
        }
    }
}
