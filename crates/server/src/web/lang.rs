//! The reader's language: `?lang=`, then the cookie set by the language switch, then
//! the browser's `Accept-Language`, then nynorsk.

use axum::extract::FromRequestParts;
use domain::Lang;
use http::request::Parts;
use std::convert::Infallible;

pub const COOKIE: &str = "samrad_lang";

pub struct ReaderLang(pub Lang);

pub fn from_parts(parts: &Parts) -> Lang {
    let from_query = parts.uri.query().and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("lang="))
            .and_then(Lang::parse)
    });
    let from_cookie = || {
        parts
            .headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .find_map(|c| {
                c.trim()
                    .strip_prefix(COOKIE)
                    .and_then(|r| r.strip_prefix('='))
            })
            .and_then(Lang::parse)
    };
    let from_header = || {
        parts
            .headers
            .get(http::header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(Lang::from_accept_language)
    };
    from_query
        .or_else(from_cookie)
        .or_else(from_header)
        .unwrap_or_default()
}

impl<S: Send + Sync> FromRequestParts<S> for ReaderLang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ReaderLang(from_parts(parts)))
    }
}

/// The cookie that remembers the reader's language for a year.
pub(crate) fn lang_cookie(state: &crate::state::AppState, lang: Lang) -> Option<http::HeaderValue> {
    let secure = if state.config().secure_cookies {
        "; Secure"
    } else {
        ""
    };
    http::HeaderValue::from_str(&format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        COOKIE,
        lang.code()
    ))
    .ok()
}
