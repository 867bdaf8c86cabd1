//! Response headers that harden every page, and the cross-site request check.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, StatusCode, header};

const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
frame-ancestors 'none'";

pub async fn headers(request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.entry(header::CONTENT_SECURITY_POLICY)
        .or_insert(HeaderValue::from_static(CSP));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// Refuses state-changing requests that a browser marks as coming from another site.
///
/// Browsers send `Sec-Fetch-Site` and `Origin` with every cross-origin POST, so this
/// stops cross-site request forgery without tokens in forms; clients that are not
/// browsers (API scripts) send neither and are authenticated by their bearer token.
pub async fn check_origin(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let unsafe_method = !matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    );
    if unsafe_method && !one_click_unsubscribe(&request) && !same_origin(&state, &request) {
        return ApiError::new(
            StatusCode::FORBIDDEN,
            "cross_origin_request",
            "requests from other web sites are not accepted",
        )
        .into_response();
    }
    next.run(request).await
}

/// A POST to an email's one-click unsubscribe link (RFC 8058) is exempt, and only
/// that route: mail programs send it from their own servers or from a webmail page
/// on another site, so it may well come "cross-site". That is safe because the route
/// uses no session or cookie: the token in the path is the whole authority, it
/// turns off one kind of email for one person and does nothing else, and a site
/// that knows the token could as well send the POST itself.
fn one_click_unsubscribe(request: &Request) -> bool {
    let path = request.uri().path();
    *request.method() == Method::POST
        && path
            .strip_prefix("/unsubscribe/")
            .is_some_and(|token| !token.is_empty() && !token.contains('/'))
}

pub(crate) fn same_origin(state: &AppState, request: &Request) -> bool {
    let headers = request.headers();
    if headers
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site == "cross-site")
    {
        return false;
    }
    match headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) {
        None => true,
        Some(origin) => origin_allowed(state, headers, origin),
    }
}

pub(crate) fn origin_allowed(state: &AppState, headers: &http::HeaderMap, origin: &str) -> bool {
    let config = state.config();
    if origin == config.base_url || config.allowed_origins.iter().any(|o| o == origin) {
        return true;
    }
    // The Host the client connected to, which is what a same-origin page would send.
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    !host.is_empty() && (origin == format!("http://{host}") || origin == format!("https://{host}"))
}
