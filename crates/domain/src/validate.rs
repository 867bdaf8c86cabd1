//! Validation of what people type, shared by the API, the pages and the CLI.

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldError {
    pub field: &'static str,
    pub problem: Problem,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    Required,
    TooLong { max: usize },
    InvalidEmail,
    InvalidSlug,
    ControlCharacters,
    OutOfRange,
    InvalidWebAddress,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Problem::Required => f.write_str("is required"),
            Problem::TooLong { max } => write!(f, "is longer than {max} characters"),
            Problem::InvalidEmail => f.write_str("is not a valid email address"),
            Problem::InvalidSlug => {
                f.write_str("may only contain a-z, 0-9 and hyphens, and must start with a letter")
            }
            Problem::ControlCharacters => f.write_str("contains control characters"),
            Problem::OutOfRange => f.write_str("is out of range"),
            Problem::InvalidWebAddress => f.write_str(
                "is not a web address starting with https:// or http:// (without ?, # or spaces)",
            ),
        }
    }
}

fn err(field: &'static str, problem: Problem) -> FieldError {
    FieldError { field, problem }
}

/// A one-line text such as a title or a name: trimmed, non-empty, no control characters.
pub fn line(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(err(field, Problem::Required));
    }
    if value.chars().count() > max {
        return Err(err(field, Problem::TooLong { max }));
    }
    if value.chars().any(char::is_control) {
        return Err(err(field, Problem::ControlCharacters));
    }
    Ok(value.to_owned())
}

/// A one-line text that may be left empty (`None`).
pub fn optional_line(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, FieldError> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|v| line(field, v, max))
        .transpose()
}

/// An email address that may be left empty (`None`).
pub fn optional_email(
    field: &'static str,
    value: Option<&str>,
) -> Result<Option<String>, FieldError> {
    value
        .filter(|v| !v.trim().is_empty())
        .map(|v| email(field, v))
        .transpose()
}

/// The public address of an installation or a municipality, which links in emails
/// start with: `https://` or `http://`, a host, an optional path; no query,
/// fragment, spaces or control characters; without its trailing `/`.
pub fn web_address(field: &'static str, value: &str) -> Result<String, FieldError> {
    let value = line(field, value, 300)?;
    let rest = value
        .strip_prefix("https://")
        .or_else(|| value.strip_prefix("http://"));
    let host = rest.map(|r| r.split('/').next().unwrap_or_default());
    let valid = host.is_some_and(|h| !h.is_empty() && !h.contains('@'))
        && !value.contains(['?', '#', ' ', '\\', '"', '<', '>']);
    if valid {
        Ok(value.trim_end_matches('/').to_owned())
    } else {
        Err(err(field, Problem::InvalidWebAddress))
    }
}

/// A multi-line text such as a comment: newlines and tabs allowed, other control characters not.
pub fn text(field: &'static str, value: &str, max: usize) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(err(field, Problem::Required));
    }
    if value.chars().count() > max {
        return Err(err(field, Problem::TooLong { max }));
    }
    if value
        .chars()
        .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        return Err(err(field, Problem::ControlCharacters));
    }
    Ok(value.replace("\r\n", "\n"))
}

/// An email address as used in headers: one `@`, a dotted domain, and never CR or LF
/// (which would allow header injection).
pub fn email(field: &'static str, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(err(field, Problem::Required));
    }
    if value.len() > 254 {
        return Err(err(field, Problem::TooLong { max: 254 }));
    }
    let valid = value.split_once('@').is_some_and(|(local, domain)| {
        !local.is_empty()
            && !domain.is_empty()
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains('@')
            && value.chars().all(|c| {
                c.is_ascii_graphic() && !matches!(c, '<' | '>' | '(' | ')' | ',' | ';' | '"' | '\\')
            })
    });
    if valid {
        Ok(value.to_owned())
    } else {
        Err(err(field, Problem::InvalidEmail))
    }
}

/// A URL slug: lower-case ASCII letters, digits and single hyphens.
pub fn slug(field: &'static str, value: &str) -> Result<String, FieldError> {
    let value = value.trim();
    let valid = (2..=64).contains(&value.len())
        && value.starts_with(|c: char| c.is_ascii_lowercase())
        && !value.ends_with('-')
        && !value.contains("--")
        && value
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    if valid {
        Ok(value.to_owned())
    } else {
        Err(err(field, Problem::InvalidSlug))
    }
}

/// The longest return path kept; a longer one is no path of ours.
pub const MAX_RETURN_PATH: usize = 512;

/// A place on this site to return to after signing in or confirming input: only a
/// relative path that starts with a single `/`. Anything a browser could read as
/// another site is refused: `//host` and `/\host` (protocol-relative), a scheme
/// (`https:`, `javascript:`), backslashes anywhere, and whitespace or control
/// characters (browsers drop tabs and newlines, so `/\t/host` would become `//host`).
pub fn return_path(value: &str) -> Option<&str> {
    let bytes = value.as_bytes();
    ((1..=MAX_RETURN_PATH).contains(&bytes.len())
        && bytes[0] == b'/'
        && bytes.get(1) != Some(&b'/')
        && bytes.iter().all(|b| b.is_ascii_graphic() && *b != b'\\'))
    .then_some(value)
}

/// A slug suggested from a title, for when the planner gives none: Norwegian letters
/// folded to ASCII (æ → ae, ø → o, å → a), everything else that is not a letter
/// or digit a hyphen, starting with a letter, at most 64 characters cut at a hyphen.
/// `None` when the title has no letter to start from. `web/static/plan_form.js`
/// suggests the same in the browser.
pub fn slug_from_title(title: &str) -> Option<String> {
    let mut folded = String::new();
    for c in title.trim().to_lowercase().chars() {
        match c {
            'æ' | 'ä' => folded.push_str("ae"),
            'ø' | 'ö' | 'ó' | 'ò' | 'ô' => folded.push('o'),
            'å' | 'à' | 'á' | 'â' => folded.push('a'),
            'é' | 'è' | 'ê' | 'ë' => folded.push('e'),
            'ü' | 'ú' | 'ù' => folded.push('u'),
            'í' | 'ì' | 'ï' => folded.push('i'),
            c if c.is_ascii_lowercase() || c.is_ascii_digit() => folded.push(c),
            _ => folded.push('-'),
        }
    }
    let words: Vec<&str> = folded
        .split('-')
        .filter(|w| !w.is_empty())
        .skip_while(|w| !w.starts_with(|c: char| c.is_ascii_lowercase()))
        .collect();
    let mut suggestion = String::new();
    for word in words {
        let extra = usize::from(!suggestion.is_empty()) + word.len();
        if suggestion.len() + extra > 64 {
            break;
        }
        if !suggestion.is_empty() {
            suggestion.push('-');
        }
        suggestion.push_str(word);
    }
    slug("slug", &suggestion).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn return_paths_stay_on_this_site() {
        for good in [
            "/",
            "/hearings/0192f0e4-1c2b-7a00-8000-000000000001",
            "/hearings/x/response?organisation=self",
            "/me#inputs",
        ] {
            assert_eq!(return_path(good), Some(good), "{good}");
        }
        for bad in [
            "",
            "hearings/x",
            "//evil.example",
            "//evil.example/hearings",
            "/\\evil.example",
            "/hearings\\..\\x",
            "\\\\evil.example",
            "https://evil.example",
            "javascript:alert(1)",
            " /hearings",
            "/\t/evil.example",
            "/\n/evil.example",
            "/hear ings",
            "/høyring",
            format!("/{}", "a".repeat(MAX_RETURN_PATH)).as_str(),
        ] {
            assert_eq!(return_path(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn email_rejects_header_injection_and_garbage() {
        assert!(email("email", "ola@example.no").is_ok());
        assert_eq!(
            email("email", "ola@example.no\r\nBcc: x@y.no")
                .unwrap_err()
                .problem,
            Problem::InvalidEmail
        );
        for bad in [
            "",
            "ola",
            "ola@",
            "@example.no",
            "ola@no",
            "a@b@c.no",
            "ola@.no",
        ] {
            assert!(email("email", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn line_trims_and_limits() {
        assert_eq!(line("title", "  Plan  ", 10).as_deref(), Ok("Plan"));
        assert_eq!(
            line("title", "   ", 10).unwrap_err().problem,
            Problem::Required
        );
        assert_eq!(
            line("title", "abcdefghijk", 10).unwrap_err().problem,
            Problem::TooLong { max: 10 }
        );
        assert_eq!(
            line("title", "a\u{7}b", 10).unwrap_err().problem,
            Problem::ControlCharacters
        );
    }

    #[test]
    fn text_keeps_newlines() {
        assert_eq!(text("body", "a\r\nb", 10).as_deref(), Ok("a\nb"));
    }

    #[test]
    fn a_slug_is_suggested_from_a_norwegian_title() {
        let cases = [
            (
                "Kommunedelplan for helse, sosial og omsorg 2021–2033",
                Some("kommunedelplan-for-helse-sosial-og-omsorg-2021-2033"),
            ),
            (
                "Særskilt plan for Ørsta og Åsane",
                Some("saerskilt-plan-for-orsta-og-asane"),
            ),
            ("  2024: Plan  ", Some("plan")),
            ("Ø", None),
            ("123 – 456", None),
            ("", None),
        ];
        for (title, expected) in cases {
            assert_eq!(slug_from_title(title).as_deref(), expected, "{title}");
        }
        let long = slug_from_title(&"langt ord ".repeat(20)).expect("a slug");
        assert!(long.len() <= 64 && slug("slug", &long).is_ok(), "{long}");
    }

    #[test]
    fn slugs() {
        assert!(slug("slug", "helse-og-omsorg-2033").is_ok());
        for bad in ["Helse", "-a", "a-", "a--b", "æøå", "1abc", "a"] {
            assert!(slug("slug", bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn web_addresses_are_http_with_a_host_and_lose_their_trailing_slash() {
        assert_eq!(
            web_address("base_url", " https://hoyring.alver.kommune.no/ ").unwrap(),
            "https://hoyring.alver.kommune.no"
        );
        assert_eq!(
            web_address("base_url", "http://127.0.0.1:8080/samrad").unwrap(),
            "http://127.0.0.1:8080/samrad"
        );
        for bad in [
            "hoyring.alver.no",
            "ftp://alver.no",
            "https://",
            "https:///sti",
            "https://alver.no/?a=1",
            "https://alver.no/#x",
            "https://user@alver.no",
            "https://alver.no/a b",
            "javascript:alert(1)",
        ] {
            let refused = web_address("base_url", bad).unwrap_err();
            assert_eq!(refused.problem, Problem::InvalidWebAddress, "{bad}");
        }
        // A line break could add a header where the address is used in one.
        assert_eq!(
            web_address("base_url", "https://a.no/\nBcc: x")
                .unwrap_err()
                .problem,
            Problem::ControlCharacters
        );
    }

    #[test]
    fn optional_fields_are_none_when_left_empty_and_checked_otherwise() {
        assert_eq!(optional_line("x", Some("  "), 10).unwrap(), None);
        assert_eq!(optional_line("x", None, 10).unwrap(), None);
        assert_eq!(
            optional_line("x", Some(" a "), 10).unwrap(),
            Some("a".into())
        );
        assert_eq!(
            optional_email("x", Some("no-at-sign")).unwrap_err().problem,
            Problem::InvalidEmail
        );
    }
}
