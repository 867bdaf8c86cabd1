//! Section text as readers see it.
//!
//! A section is written in Markdown and shown as sanitised HTML. Quotes are anchored
//! in, and found again in, the text of that HTML – what a reader can select – with
//! runs of white space collapsed ([`domain::anchor::normalise`]). The page passes the
//! place of each passage as offsets in UTF-16 code units of that normalised text (what
//! JavaScript strings count), and `live.js` wraps the same stretch of the page's text
//! nodes in `<mark>`.
//!
//! Both the consultation service (anchoring a new comment's quote) and the pages
//! (marking passages) use this crate, so the two always agree on the text.
//!
//! Invariant: no I/O; depends only on `domain`.

use domain::anchor::{self, Anchor};

/// Markdown as sanitised HTML (tables allowed; scripts, handlers and unsafe links removed).
pub fn markdown_to_html(source: &str) -> String {
    let parser = pulldown_cmark::Parser::new_ext(source, pulldown_cmark::Options::ENABLE_TABLES);
    let mut html = String::new();
    pulldown_cmark::html::push_html(&mut html, parser);
    sanitise(&html)
}

/// The elements a section may hold: what Markdown with tables writes, nothing more.
/// No images (they would tell other sites who reads), no forms, frames, media, SVG,
/// MathML or `style`.
pub const ALLOWED_TAGS: &[&str] = &[
    "a",
    "blockquote",
    "br",
    "code",
    "del",
    "em",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "hr",
    "li",
    "ol",
    "p",
    "pre",
    "strong",
    "table",
    "tbody",
    "td",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The link schemes kept in `href`; any other link (`javascript:`, `data:`, `vbscript:`)
/// loses its `href`. Relative links stay.
pub const ALLOWED_URL_SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

/// HTML reduced to [`ALLOWED_TAGS`] with only `href`/`title` on links, `start` on
/// ordered lists and `lang`/`title` anywhere; links get `rel="noopener noreferrer"`.
/// Sanitising its own output changes nothing.
pub fn sanitise(html: &str) -> String {
    use std::collections::{HashMap, HashSet};
    use std::sync::LazyLock;
    static CLEANER: LazyLock<ammonia::Builder<'static>> = LazyLock::new(|| {
        let mut builder = ammonia::Builder::empty();
        builder
            .tags(ALLOWED_TAGS.iter().copied().collect::<HashSet<_>>())
            .tag_attributes(HashMap::from([
                ("a", HashSet::from(["href", "title"])),
                ("ol", HashSet::from(["start"])),
            ]))
            .url_schemes(ALLOWED_URL_SCHEMES.iter().copied().collect())
            .link_rel(Some("noopener noreferrer"))
            .clean_content_tags(HashSet::from(["script", "style"]))
            .strip_comments(true);
        builder
    });
    CLEANER.clean(html).to_string()
}

/// The normalised text a reader sees of a section written in Markdown.
pub fn section_text_of_markdown(source: &str) -> String {
    section_text(&markdown_to_html(source))
}

/// The text content of sanitised HTML (tags dropped, character references decoded),
/// exactly as a browser's `textContent` of the element holding it.
pub fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find(['<', '&']) {
        text.push_str(&rest[..at]);
        rest = &rest[at..];
        if rest.starts_with('<') {
            rest = skip_tag(rest);
        } else {
            let (decoded, after) = reference(rest);
            text.push_str(&decoded);
            rest = after;
        }
    }
    text.push_str(rest);
    text
}

/// Skips a tag starting at `<`, quoted attribute values included.
fn skip_tag(html: &str) -> &str {
    let mut quote = None;
    for (i, c) in html.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return &html[i + 1..],
            _ => {}
        }
    }
    ""
}

/// Decodes one character reference starting at `&`; an unknown one stays as it is.
fn reference(html: &str) -> (String, &str) {
    let Some(end) = html[1..].find(';').map(|i| i + 1).filter(|&i| i <= 12) else {
        return ("&".to_owned(), &html[1..]);
    };
    let name = &html[1..end];
    let decoded = match name {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some('\u{a0}'),
        _ => name.strip_prefix('#').and_then(|number| {
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok(),
                None => number.parse().ok(),
            };
            code.and_then(char::from_u32)
        }),
    };
    match decoded {
        Some(c) => (c.to_string(), &html[end + 1..]),
        None => ("&".to_owned(), &html[1..]),
    }
}

/// The normalised text of a section's HTML, in which quotes are anchored.
pub fn section_text(html: &str) -> String {
    anchor::normalise(&plain_text(html))
}

/// Where the passage of `anchor` is in the section whose normalised text is `text`:
/// `[start, end)` in UTF-16 code units. `None` when the quoted words are gone.
pub fn locate(text: &str, anchor: &Anchor) -> Option<(usize, usize)> {
    let (start, end) = anchor::locate(text, anchor)?;
    let start16 = text[..start].encode_utf16().count();
    let length16 = text[start..end].encode_utf16().count();
    Some((start16, start16 + length16))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown_to_html as markdown;

    #[test]
    fn the_text_is_what_the_reader_sees() {
        let html = markdown(
            "Vi skal byggje **fleire** omsorgsbustader & [sjukeheim](https://x.example/?a=1&b=\"2\").\n\n- éin\n- to\n",
        );
        assert_eq!(
            section_text(&html),
            "Vi skal byggje fleire omsorgsbustader & sjukeheim. éin to"
        );
        assert_eq!(
            plain_text("a&lt;b&gt; &amp;amp; &#229;&#xE6; &bogus; &"),
            "a<b> &amp; åæ &bogus; &"
        );
        assert_eq!(plain_text("<a title='x>y'>lenkje</a>"), "lenkje");
    }

    #[test]
    fn a_quote_across_formatting_is_found_and_placed_in_utf16() {
        let html = markdown("Tenester for 😀 eldre: **meir personale** i heimetenesta.");
        let text = section_text(&html);
        let anchored = anchor::anchor(&text, "meir personale i heimetenesta").expect("found");
        let (start, end) = locate(&text, &anchored).expect("located");
        let units: Vec<u16> = text.encode_utf16().collect();
        assert_eq!(
            String::from_utf16(&units[start..end]).expect("utf16"),
            "meir personale i heimetenesta"
        );
        // The emoji counts as two units, as in JavaScript.
        assert_eq!(start, "Tenester for 😀 eldre: ".encode_utf16().count());
        assert!(locate(&section_text(&markdown("Anna tekst.")), &anchored).is_none());
    }
}
