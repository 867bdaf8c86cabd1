//! Shared web infrastructure: templates, the page context, language and static assets.

pub(crate) mod assets;
pub(crate) mod form;
pub(crate) mod lang;
pub(crate) mod page;
pub(crate) mod templates;

/// Times in the API are RFC 3339 in UTC.
pub(crate) fn rfc3339(ts: jiff::Timestamp) -> String {
    ts.to_string()
}

/// A section as readers name it: its number and title, or, for an untitled part
/// (text before the first heading of an older import), the name the interface gives it.
pub(crate) fn section_label(lang: domain::Lang, number: &str, title: &str) -> String {
    let title = if title.trim().is_empty() {
        i18n::t(lang, "import-preamble")
    } else {
        title.to_owned()
    };
    format!("{number} {title}").trim().to_owned()
}
