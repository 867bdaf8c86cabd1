//! The honeypot on public forms: a text field named [`FIELD`] that people do not
//! see (it is moved off screen, skipped by the Tab key, never filled in by the
//! browser) and that screen readers announce as "leave this field empty". Programs
//! that fill in every field fill it in too; such a post is answered as if it had
//! worked and goes no further, so nothing is stored and no email is sent.
//!
//! The check is one middleware for every form post, so a new public form needs only
//! the field (`{% import "honeypot.html" as honeypot %}{{ honeypot.field(id) }}`).

use axum::body::Body;
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use http::{Method, header};

/// The honeypot field's name.
pub const FIELD: &str = "website";

/// Middleware: a form post with the honeypot filled in is answered with a redirect
/// back to the page it came from, and not handled.
pub async fn check(request: Request, next: Next) -> Response {
    let is_form = request.method() == Method::POST
        && request
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return next.run(request).await;
    }
    let (parts, body) = request.into_parts();
    // The application's body limit applies to forms anyway; this read stays within it.
    let bytes = match axum::body::to_bytes(body, 1024 * 1024).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return crate::error::ApiError::new(
                http::StatusCode::PAYLOAD_TOO_LARGE,
                "too_large",
                "the form is too large",
            )
            .into_response();
        }
    };
    let filled = serde_urlencoded::from_bytes::<Vec<(String, String)>>(&bytes)
        .map(|fields| {
            fields
                .iter()
                .any(|(name, value)| name == FIELD && !value.trim().is_empty())
        })
        .unwrap_or(false);
    if filled {
        metrics::counter!("samrad_honeypot_refused_total").increment(1);
        tracing::info!(path = %parts.uri.path(), "a form post with the honeypot filled in was dropped");
        let back = parts
            .headers
            .get(header::REFERER)
            .and_then(|v| v.to_str().ok())
            .and_then(|r| http::Uri::try_from(r).ok())
            .and_then(|uri| crate::web::return_path(uri.path()))
            .unwrap_or_else(|| "/".to_owned());
        return Redirect::to(&back).into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}
