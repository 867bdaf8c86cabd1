//! Shared web infrastructure: templates, the page context, language and static assets.

pub(crate) mod assets;
pub(crate) mod lang;
pub(crate) mod page;
pub(crate) mod templates;

/// Times in the API are RFC 3339 in UTC.
pub(crate) fn rfc3339(ts: jiff::Timestamp) -> String {
    ts.to_string()
}
