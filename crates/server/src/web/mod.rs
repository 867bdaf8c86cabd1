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

/// `next` if it is a safe place on this site to return to (see
/// `domain::validate::return_path`); `None` for anything else, such as another site.
pub(crate) fn return_path(next: &str) -> Option<String> {
    domain::validate::return_path(next.trim()).map(str::to_owned)
}

/// `path` with `pair` (`name=value`, already encoded) added to its query, before any
/// fragment.
pub(crate) fn with_query(path: &str, pair: &str) -> String {
    let (before, fragment) = match path.split_once('#') {
        Some((before, fragment)) => (before, Some(fragment)),
        None => (path, None),
    };
    let separator = if before.contains('?') { '&' } else { '?' };
    match fragment {
        Some(fragment) => format!("{before}{separator}{pair}#{fragment}"),
        None => format!("{before}{separator}{pair}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_goes_before_the_fragment() {
        assert_eq!(with_query("/h/1", "done=x"), "/h/1?done=x");
        assert_eq!(with_query("/h/1?a=b", "done=x"), "/h/1?a=b&done=x");
        assert_eq!(with_query("/h/1#s", "done=x"), "/h/1?done=x#s");
    }
}
