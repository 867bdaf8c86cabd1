//! Comments on sections: posting, support, edits, deletion, reports, moderation and
//! screening. The rules are the consultation service's (`consultation::comments` and
//! `consultation::moderation`); this folder holds their routes, the JSON API
//! (`api.rs`), the HTML forms (`pages.rs`), what the pages show (`views.rs`), and how
//! each refusal reads in the API and in a form, so both say the same.

pub(crate) mod api;
pub(crate) mod pages;
pub(crate) mod views;

use crate::error::ApiError;
use crate::state::AppState;
use axum::Router;
use axum::routing::{get, post};
use axum_extra::extract::cookie::{Cookie, CookieJar};
use consultation::comments::{AnonymousReporter, CommentChangeError, CommentError};
use consultation::moderation::ModerationError;
use domain::policy::Actor;
use http::StatusCode;

/// The comment API and the comment forms.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/api/v1/hearings/{id}/comments",
            get(api::list_comments).post(api::post_comment),
        )
        .route(
            "/api/v1/comments/{id}",
            axum::routing::patch(api::edit_comment).delete(api::delete_comment),
        )
        .route(
            "/api/v1/comments/{id}/support",
            post(api::support_comment).delete(api::unsupport_comment),
        )
        .route(
            "/api/v1/comments/{id}/revisions",
            get(api::comment_revisions),
        )
        .route("/api/v1/comments/{id}/reports", post(api::report_comment))
        .route("/api/v1/comments/{id}/hide", post(api::hide_comment))
        .route("/api/v1/comments/{id}/restore", post(api::restore_comment))
        .route("/api/v1/comments/{id}/publish", post(api::publish_comment))
        .route("/comments/{id}/support", post(pages::support))
        .route("/comments/{id}/edit", post(pages::edit))
        .route(
            "/comments/{id}/delete",
            get(pages::confirm_delete).post(pages::delete),
        )
        .route("/comments/{id}/report", post(pages::report))
        .route("/planner/comments/{id}/hide", post(pages::hide))
        .route("/planner/comments/{id}/restore", post(pages::restore))
        .route(
            "/planner/comments/{id}/publish",
            post(pages::publish_screened),
        )
}

impl From<CommentError> for ApiError {
    fn from(err: CommentError) -> Self {
        let message = err.to_string();
        let (status, code) = match err {
            CommentError::HearingNotFound => return ApiError::not_found("the hearing"),
            CommentError::InvalidParent => (StatusCode::UNPROCESSABLE_ENTITY, "invalid_parent"),
            CommentError::QuoteNotInSection => {
                (StatusCode::UNPROCESSABLE_ENTITY, "quote_not_in_section")
            }
            CommentError::SectionNotInHearing => {
                (StatusCode::UNPROCESSABLE_ENTITY, "section_not_in_hearing")
            }
            CommentError::NotOpen => (StatusCode::CONFLICT, "hearing_not_open"),
            CommentError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            CommentError::EmailRequired => (StatusCode::UNPROCESSABLE_ENTITY, "email_required"),
            CommentError::KeyReused => (StatusCode::CONFLICT, "idempotency_key_reused"),
            CommentError::Invalid(e) => return e.into(),
            CommentError::Db(e) => return e.into(),
        };
        ApiError::new(status, code, message)
    }
}

impl From<CommentChangeError> for ApiError {
    fn from(err: CommentChangeError) -> Self {
        let message = err.to_string();
        let (status, code) = match err {
            CommentChangeError::NotFound => return ApiError::not_found("the comment"),
            CommentChangeError::SignInRequired => (StatusCode::UNAUTHORIZED, "sign_in_required"),
            CommentChangeError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            CommentChangeError::EditWindowClosed => (StatusCode::CONFLICT, "edit_window_closed"),
            CommentChangeError::NotOpen => (StatusCode::CONFLICT, "hearing_not_open"),
            CommentChangeError::NotPublic => (StatusCode::CONFLICT, "comment_not_public"),
            CommentChangeError::TooManyReports => {
                return ApiError::too_many("too_many_reports", &message, REPORT_RETRY_AFTER);
            }
            CommentChangeError::Invalid(e) => return e.into(),
            CommentChangeError::Db(e) => return e.into(),
        };
        ApiError::new(status, code, message)
    }
}

impl From<ModerationError> for ApiError {
    fn from(err: ModerationError) -> Self {
        let message = err.to_string();
        let (status, code) = match err {
            ModerationError::NotFound => return ApiError::not_found("the comment"),
            ModerationError::Forbidden => (StatusCode::FORBIDDEN, "forbidden"),
            ModerationError::ReasonRequired => {
                (StatusCode::UNPROCESSABLE_ENTITY, "reason_required")
            }
            ModerationError::NotPublic => (StatusCode::CONFLICT, "comment_not_public"),
            ModerationError::BadRedaction => (StatusCode::UNPROCESSABLE_ENTITY, "bad_redaction"),
            ModerationError::Invalid(e) => return e.into(),
            ModerationError::Db(e) => return e.into(),
        };
        ApiError::new(status, code, message)
    }
}

/// How a form answers a refusal: the status and the id of the localised message.
/// `401` sends the reader to sign in; `503` is logged.
pub(crate) trait FormMessage: std::fmt::Display {
    fn form_message(&self) -> (StatusCode, &'static str);
}

/// The message for a field that did not validate.
fn field_message(field: &str) -> &'static str {
    match field {
        "author_email" => "form-error-email-invalid",
        "author_name" => "form-error-name",
        "reason" => "form-error-reason",
        _ => "form-error-body",
    }
}

const UNAVAILABLE: (StatusCode, &str) = (StatusCode::SERVICE_UNAVAILABLE, "form-error-unavailable");

impl FormMessage for CommentError {
    fn form_message(&self) -> (StatusCode, &'static str) {
        match self {
            CommentError::HearingNotFound | CommentError::SectionNotInHearing => {
                (StatusCode::NOT_FOUND, "hearing-not-found")
            }
            CommentError::InvalidParent => (StatusCode::UNPROCESSABLE_ENTITY, "form-error-parent"),
            CommentError::QuoteNotInSection => {
                (StatusCode::UNPROCESSABLE_ENTITY, "form-error-quote")
            }
            CommentError::NotOpen => (StatusCode::CONFLICT, "form-error-not-open"),
            CommentError::Forbidden => (StatusCode::FORBIDDEN, "form-error-forbidden"),
            CommentError::EmailRequired => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "form-error-email-required",
            ),
            CommentError::KeyReused => (StatusCode::CONFLICT, "comment-error-key-reused"),
            CommentError::Invalid(e) => (StatusCode::UNPROCESSABLE_ENTITY, field_message(e.field)),
            CommentError::Db(_) => UNAVAILABLE,
        }
    }
}

impl FormMessage for CommentChangeError {
    fn form_message(&self) -> (StatusCode, &'static str) {
        match self {
            CommentChangeError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
            CommentChangeError::SignInRequired => {
                (StatusCode::UNAUTHORIZED, "comment-support-sign-in")
            }
            CommentChangeError::Forbidden => (StatusCode::FORBIDDEN, "comment-error-forbidden"),
            CommentChangeError::EditWindowClosed => (StatusCode::CONFLICT, "comment-error-window"),
            CommentChangeError::NotOpen => (StatusCode::CONFLICT, "form-error-not-open"),
            CommentChangeError::NotPublic => (StatusCode::CONFLICT, "comment-error-not-public"),
            CommentChangeError::TooManyReports => {
                (StatusCode::TOO_MANY_REQUESTS, "screening-report-limited")
            }
            CommentChangeError::Invalid(e) => {
                (StatusCode::UNPROCESSABLE_ENTITY, field_message(e.field))
            }
            CommentChangeError::Db(_) => UNAVAILABLE,
        }
    }
}

impl FormMessage for ModerationError {
    fn form_message(&self) -> (StatusCode, &'static str) {
        match self {
            ModerationError::NotFound => (StatusCode::NOT_FOUND, "error-not-found"),
            ModerationError::Forbidden => (StatusCode::FORBIDDEN, "comment-error-forbidden"),
            ModerationError::ReasonRequired => {
                (StatusCode::UNPROCESSABLE_ENTITY, "comment-error-reason")
            }
            ModerationError::NotPublic => (StatusCode::CONFLICT, "comment-error-not-public"),
            ModerationError::BadRedaction => (
                StatusCode::UNPROCESSABLE_ENTITY,
                "screening-error-redaction",
            ),
            ModerationError::Invalid(e) => {
                (StatusCode::UNPROCESSABLE_ENTITY, field_message(e.field))
            }
            ModerationError::Db(_) => UNAVAILABLE,
        }
    }
}

/// The random value that tells one browser's anonymous reports apart.
pub const REPORTER_COOKIE: &str = "samrad_reporter";

/// Seconds an anonymous reader over the report limit waits: the limit's whole window.
pub(crate) const REPORT_RETRY_AFTER: u64 =
    consultation::comments::ANONYMOUS_REPORT_WINDOW_MINUTES.unsigned_abs() * 60;

/// The client's address: the connection's, or what a trusted proxy says (see
/// [`crate::security::client`]), when known.
pub struct ClientAddr(pub Option<std::net::IpAddr>);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut http::request::Parts,
        _state: &S,
    ) -> Result<Self, Self::Rejection> {
        let resolved = parts
            .extensions
            .get::<crate::security::client::Client>()
            .and_then(|client| client.address);
        Ok(ClientAddr(resolved.or_else(|| {
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map(|info| info.0.ip())
        })))
    }
}

/// Who reports a comment without signing in, for a reader who has not signed in (an
/// API token acts for the municipality, not as an anonymous reader): salted hashes of
/// the client's address and of the browser's reporter value. The jar sets that value
/// when it is new (HttpOnly, SameSite=Lax, Secure, kept a year).
pub(crate) async fn anonymous_reporter(
    state: &AppState,
    actor: &Actor,
    jar: CookieJar,
    address: Option<std::net::IpAddr>,
) -> Result<(CookieJar, Option<AnonymousReporter>), consultation::DbError> {
    if actor.person.is_some() || !actor.roles.is_empty() {
        return Ok((jar, None));
    }
    let existing = jar
        .get(REPORTER_COOKIE)
        .map(|c| c.value().to_owned())
        .filter(|v| {
            (20..=100).contains(&v.len())
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        });
    let (jar, browser) = match existing {
        Some(value) => (jar, value),
        None => {
            let value = crate::auth::session::new_secret();
            let cookie = Cookie::parse(format!(
                "{REPORTER_COOKIE}={value}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly; Secure"
            ));
            match cookie {
                Ok(cookie) => (jar.add(cookie.into_owned()), value),
                Err(_) => (jar, value),
            }
        }
    };
    let address = address.unwrap_or(std::net::IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
    let key = state
        .consultation()
        .anonymous_reporter_key(&address.to_string(), &browser)
        .await?;
    Ok((jar, Some(AnonymousReporter { key })))
}
