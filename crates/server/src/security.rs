//! Response headers that harden every page, the cross-site request check, who the
//! client is behind a proxy, the honeypot on public forms and per-key limits.

pub mod client;
pub(crate) mod honeypot;
pub(crate) mod limits;

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{HeaderValue, Method, StatusCode, header};

/// The Content-Security-Policy of every answer, but for its `frame-ancestors`.
const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'";

/// How long browsers remember to use only HTTPS (a year).
const HSTS: &str = "max-age=31536000; includeSubDomains";

/// Hardening headers on every answer:
///
/// - `Content-Security-Policy` (scripts and styles from this site only, no plugins,
///   no `<base>`), with `frame-ancestors 'none'` except on the public hearing pages,
///   which the sites in `frame_ancestors` may embed;
/// - `X-Content-Type-Options: nosniff`, `Referrer-Policy: same-origin`,
///   `X-Frame-Options: DENY` where nothing may frame the page;
/// - `Strict-Transport-Security` when the request came over HTTPS (a trusted proxy
///   says so) or the public address is `https://`;
/// - `Cache-Control: no-store` on everything that may show personal data: answers to
///   anyone signed in or with a token, and the pages of one's own data, responses,
///   the workbench and administration — so that no shared computer or proxy keeps
///   them. Answers that set their own `Cache-Control` (assets) keep it.
pub async fn headers(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let https = request
        .extensions()
        .get::<client::Client>()
        .is_some_and(|c| c.https);
    let personal = personal(&request);
    let config = state.config();
    let embeddable = !config.security.frame_ancestors.is_empty() && embeddable(&path);
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    let frame_ancestors = if embeddable {
        config.security.frame_ancestors.join(" ")
    } else {
        "'none'".to_owned()
    };
    if let Ok(csp) = HeaderValue::from_str(&format!("{CSP}; frame-ancestors {frame_ancestors}")) {
        h.entry(header::CONTENT_SECURITY_POLICY).or_insert(csp);
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("same-origin"),
    );
    if !embeddable {
        h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    }
    if https || config.base_url.starts_with("https://") {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(HSTS),
        );
    }
    if personal {
        h.entry(header::CACHE_CONTROL)
            .or_insert(HeaderValue::from_static("no-store"));
    }
    response
}

/// The public hearing page and the public comparison of versions: what a
/// municipality may embed in its own site.
fn embeddable(path: &str) -> bool {
    let mut parts = path.trim_start_matches('/').split('/');
    matches!(
        (parts.next(), parts.next(), parts.next(), parts.next()),
        (Some("hearings"), Some(_), None, None)
            | (Some("documents"), Some(_), Some("compare"), None)
    )
}

/// Whether the answer to `request` may show personal data.
fn personal(request: &Request) -> bool {
    const PREFIXES: &[&str] = &[
        "/me",
        "/planner",
        "/admin",
        "/responses",
        "/api/v1/me",
        "/sign-in/confirm",
        "/invitations",
        "/inputs",
        "/unsubscribe",
    ];
    let path = request.uri().path();
    let headers = request.headers();
    let signed_in = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|c| c.contains(crate::auth::session::COOKIE));
    signed_in
        || headers.contains_key(header::AUTHORIZATION)
        || PREFIXES.iter().any(|p| {
            path.strip_prefix(p)
                .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
        })
        || path.ends_with("/response")
        || path.contains("/response/")
}

/// Whether `source` may stand in `frame_ancestors`: `'self'`, or an origin such as
/// `https://www.kommune.no` or `https://*.kommune.no` — nothing that could end the
/// directive or add another.
pub fn frame_ancestor_valid(source: &str) -> bool {
    if source == "'self'" {
        return true;
    }
    let Some(host) = source
        .strip_prefix("https://")
        .or_else(|| source.strip_prefix("http://"))
    else {
        return false;
    };
    let host = host.strip_prefix("*.").unwrap_or(host);
    !host.is_empty()
        && host
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':'))
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
