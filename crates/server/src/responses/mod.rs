//! Official responses (høyringssvar) over HTTP: the multipart body read into the
//! consultation service's `Submission`, the JSON API, the response pages and the
//! attachment download. The use cases are `consultation::responses`.

pub(crate) mod api;
pub(crate) mod multipart;
pub(crate) mod pages;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use consultation::responses::ResponseError;
use domain::Lang;
use http::StatusCode;

/// The API's and the pages' routes for responses.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/hearings/{id}/responses",
            get(api::list_responses)
                .post(api::submit_response)
                .layer(DefaultBodyLimit::max(multipart::BODY_LIMIT)),
        )
        .route("/api/v1/responses/{id}", get(api::get_response))
        .route(
            "/api/v1/responses/{id}/attachments/{attachment_id}",
            get(api::download_attachment),
        )
        .route(
            "/hearings/{id}/response",
            get(pages::response_page)
                .post(pages::submit_form)
                .layer(DefaultBodyLimit::max(multipart::BODY_LIMIT)),
        )
        .route("/responses/{id}", get(pages::view_page))
}

/// The HTTP status of a refusal, for the API and the form alike.
pub(crate) fn status(err: &ResponseError) -> StatusCode {
    match err {
        ResponseError::HearingNotFound
        | ResponseError::ResponseNotFound
        | ResponseError::AttachmentNotFound => StatusCode::NOT_FOUND,
        ResponseError::SignInRequired => StatusCode::UNAUTHORIZED,
        ResponseError::Forbidden | ResponseError::NotRepresentative => StatusCode::FORBIDDEN,
        ResponseError::NotOpen
        | ResponseError::DeadlinePassed
        | ResponseError::KeyReused
        | ResponseError::VersionConflict { .. } => StatusCode::CONFLICT,
        ResponseError::AttachmentTooLarge | ResponseError::TooLarge => {
            StatusCode::PAYLOAD_TOO_LARGE
        }
        ResponseError::Unreadable(_) => StatusCode::BAD_REQUEST,
        ResponseError::Storage(_) | ResponseError::FileUnavailable(_) | ResponseError::Busy => {
            StatusCode::SERVICE_UNAVAILABLE
        }
        ResponseError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
        ResponseError::SectionNotInHearing
        | ResponseError::UnsupportedAttachment(_)
        | ResponseError::TooManyAttachments
        | ResponseError::EmptyAttachment
        | ResponseError::UnknownAttachment
        | ResponseError::BadField(_)
        | ResponseError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl From<ResponseError> for ApiError {
    fn from(err: ResponseError) -> Self {
        match err {
            ResponseError::HearingNotFound => ApiError::not_found("the hearing"),
            ResponseError::ResponseNotFound => ApiError::not_found("the response"),
            ResponseError::AttachmentNotFound => ApiError::not_found("the attachment"),
            ResponseError::Invalid(e) => e.into(),
            ResponseError::Db(e) => e.into(),
            ResponseError::TooLarge => ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                format!(
                    "the request is larger than {} MB",
                    multipart::BODY_LIMIT / (1024 * 1024)
                ),
            ),
            // The client gets what is current now, to compare and send again.
            ResponseError::VersionConflict { ref current } => {
                let version = consultation::responses::current_version(current);
                let dto = current
                    .as_deref()
                    .and_then(|r| serde_json::to_value(api::ResponseDto::from(r)).ok())
                    .unwrap_or(serde_json::Value::Null);
                ApiError::new(status(&err), err.code(), err.to_string())
                    .with_detail("current_version", version.into())
                    .with_detail("current", dto)
            }
            ResponseError::Busy => ApiError::new(status(&err), err.code(), err.to_string())
                .retry_after(crate::state::UPLOAD_RETRY_AFTER_SECONDS),
            ResponseError::Unreadable(detail) => ApiError::new(
                StatusCode::BAD_REQUEST,
                "invalid_multipart",
                format!("the body is not readable multipart/form-data: {detail}"),
            ),
            other => ApiError::new(status(&other), other.code(), other.to_string()),
        }
    }
}

/// A refusal as the response form shows it, in the reader's language.
pub(crate) fn error_text(lang: Lang, err: &ResponseError) -> String {
    let id = format!("response-error-{}", err.code());
    if i18n::catalog().has(lang, &id) {
        i18n::t(lang, &id)
    } else {
        i18n::t(lang, "response-error-storage_unavailable")
    }
}
