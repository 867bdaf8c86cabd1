//! The section sanitiser: its allow-list, and properties over generated hostile
//! Markdown and HTML (sanitising twice gives the same result; no script, event
//! handler or `javascript:`/`data:` link survives).

use markup::{ALLOWED_TAGS, ALLOWED_URL_SCHEMES, markdown_to_html, sanitise};
use proptest::prelude::*;

/// Attributes the sanitiser may leave on a tag.
fn attribute_allowed(tag: &str, attribute: &str) -> bool {
    matches!(attribute, "lang" | "title")
        || matches!((tag, attribute), ("a", "href" | "rel") | ("ol", "start"))
}

fn decode(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&nbsp;", "\u{a0}")
        .replace("&amp;", "&")
}

/// Every tag of the sanitiser's output as (name, [(attribute, value)]). The output is
/// html5ever's serialisation: text has `<` escaped, attribute values are double-quoted.
fn tags(html: &str) -> Vec<(String, Vec<(String, String)>)> {
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find('<') {
        rest = &rest[at + 1..];
        let rest_tag = rest.trim_start_matches('/');
        let end = rest_tag
            .find(|c: char| c.is_whitespace() || c == '>' || c == '/')
            .unwrap_or(rest_tag.len());
        let name = rest_tag[..end].to_ascii_lowercase();
        let mut attrs = Vec::new();
        let mut inner = &rest_tag[end..];
        loop {
            inner = inner.trim_start();
            if inner.is_empty() || inner.starts_with('>') || inner.starts_with("/>") {
                break;
            }
            let name_end = inner
                .find(|c: char| c == '=' || c.is_whitespace() || c == '>')
                .unwrap_or(inner.len());
            let attr = inner[..name_end].to_ascii_lowercase();
            inner = &inner[name_end..];
            let mut value = String::new();
            if let Some(after) = inner.strip_prefix("=\"") {
                let close = after.find('"').expect("a quoted value ends");
                value = decode(&after[..close]);
                inner = &after[close + 1..];
            }
            attrs.push((attr, value));
        }
        let close = inner.find('>').map_or(inner.len(), |i| i + 1);
        rest = &inner[close..];
        found.push((name, attrs));
    }
    found
}

/// The scheme of a link as a browser sees it (controls and white space inside the
/// scheme are ignored by browsers, so they are here too).
fn scheme(href: &str) -> Option<String> {
    let cleaned: String = href
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase();
    let colon = cleaned.find(':')?;
    let before = &cleaned[..colon];
    (!before.contains(['/', '?', '#'])).then(|| before.to_owned())
}

fn assert_safe(html: &str) -> Result<(), TestCaseError> {
    for (tag, attrs) in tags(html) {
        prop_assert!(
            ALLOWED_TAGS.contains(&tag.as_str()),
            "<{tag}> survived in {html:?}"
        );
        for (attr, value) in attrs {
            prop_assert!(
                attribute_allowed(&tag, &attr),
                "{attr} on <{tag}> survived in {html:?}"
            );
            if attr == "href"
                && let Some(scheme) = scheme(&value)
            {
                prop_assert!(
                    ALLOWED_URL_SCHEMES.contains(&scheme.as_str()),
                    "a {scheme}: link survived in {html:?}"
                );
            }
        }
    }
    prop_assert!(!html.to_ascii_lowercase().contains("<script"), "{html:?}");
    Ok(())
}

/// Pieces of hostile and ordinary markup, joined at random.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("<script>alert(1)</script>".to_owned()),
        Just("<SCRIPT SRC=//x.example/x.js></SCRIPT>".to_owned()),
        Just("<img src=x onerror=alert(1)>".to_owned()),
        Just("<svg onload=alert(1)><circle/></svg>".to_owned()),
        Just("<iframe src=\"javascript:alert(1)\"></iframe>".to_owned()),
        Just("<a href=\"javascript:alert(1)\">x</a>".to_owned()),
        Just("<a href=\"JaVaScRiPt:alert(1)\">x</a>".to_owned()),
        Just("<a href=\"java\tscript:alert(1)\">x</a>".to_owned()),
        Just("<a href=\"&#106;avascript:alert(1)\">x</a>".to_owned()),
        Just("<a href=\" data:text/html,<script>alert(1)</script>\">x</a>".to_owned()),
        Just("<a href=\"vbscript:msgbox(1)\" onclick=\"alert(1)\">x</a>".to_owned()),
        Just(
            "<p style=\"background:url(javascript:alert(1))\" onmouseover=alert(1)>p</p>"
                .to_owned()
        ),
        Just("<form action=/x><input name=a><button>b</button></form>".to_owned()),
        Just("<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>".to_owned()),
        Just("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">".to_owned()),
        Just("<!-- <script>alert(1)</script> -->".to_owned()),
        Just("<style>*{x:expression(alert(1))}</style>".to_owned()),
        Just("<object data=x></object><embed src=x>".to_owned()),
        Just("<base href=//x.example/><meta http-equiv=refresh content=0;url=x>".to_owned()),
        Just("[lenkje](javascript:alert(1))".to_owned()),
        Just("[lenkje](JAVASCRIPT:alert(1) \"t\")".to_owned()),
        Just("<javascript:alert(1)>".to_owned()),
        Just("![bilete](https://x.example/p.png \"onerror=alert(1)\")".to_owned()),
        Just("[ok](https://www.kommune.example/plan?a=1&b=2)".to_owned()),
        Just("<mailto:post@kommune.example>".to_owned()),
        Just("| a | b |\n|:--|--:|\n| <b onclick=x>1</b> | 2 |\n".to_owned()),
        Just("\n\n".to_owned()),
        Just("**feit** og _kursiv_ `kode`".to_owned()),
        Just("1. éin\n2. to\n".to_owned()),
        Just("> sitat <i onmouseover=x>i</i>\n".to_owned()),
        Just("<".to_owned()),
        Just("\"".to_owned()),
        Just("&".to_owned()),
        Just("=".to_owned()),
        "[a-zæøå <>\"'=&;:/#()\\[\\]!*_`|-]{0,12}",
        "\\PC{0,6}",
    ]
}

fn document() -> impl Strategy<Value = String> {
    proptest::collection::vec(piece(), 0..12).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn sanitised_markdown_keeps_no_script_handler_or_unsafe_link(source in document()) {
        let html = markdown_to_html(&source);
        assert_safe(&html)?;
        prop_assert_eq!(sanitise(&html), html, "sanitising twice changed the result");
    }

    #[test]
    fn sanitised_html_keeps_no_script_handler_or_unsafe_link(source in document()) {
        let once = sanitise(&source);
        assert_safe(&once)?;
        prop_assert_eq!(sanitise(&once), once, "sanitising twice changed the result");
    }
}

#[test]
fn the_allow_list_keeps_markdown_with_tables_and_nothing_else() {
    let html = markdown_to_html(
        "# Tittel\n\n## Del\n\nTekst med **feit**, _kursiv_, `kode` og \
         [lenkje](https://kommune.example/a?b=1 \"tittel\").\n\n\
         > sitat\n\n1. éin\n2. to\n\n- a\n\n---\n\n\
         | a | b |\n|:--|--:|\n| 1 | 2 |\n\n```\nkode\n```\n",
    );
    let mut seen: Vec<String> = tags(&html).into_iter().map(|(t, _)| t).collect();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen,
        [
            "a",
            "blockquote",
            "code",
            "em",
            "h1",
            "h2",
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
            "ul"
        ]
    );
    assert!(
        html.contains(
            "<a href=\"https://kommune.example/a?b=1\" title=\"tittel\" rel=\"noopener noreferrer\">lenkje</a>"
        ),
        "{html}"
    );
    assert!(
        html.contains("<td>2</td>"),
        "alignment is a style, dropped: {html}"
    );

    // Outside the list: the element goes, its text stays (except script and style).
    assert_eq!(
        sanitise(
            "<img src=\"https://x.example/p.png\"><iframe src=\"https://x.example\"></iframe>\
             <form><input value=\"v\"><button>send</button></form><style>p{}</style>\
             <script>alert(1)</script><span class=\"c\" id=\"i\">tekst</span>\
             <p onclick=\"x()\" style=\"color:red\">p</p>"
        ),
        "sendtekst<p>p</p>"
    );
    // Links: only http, https, mailto and tel keep their target; relative ones stay.
    for (href, kept) in [
        ("https://kommune.example/", true),
        ("http://kommune.example/", true),
        ("mailto:post@kommune.example", true),
        ("tel:+4755000000", true),
        ("/hearings/1", true),
        ("#del-2", true),
        ("javascript:alert(1)", false),
        ("data:text/html;base64,PHNjcmlwdD4=", false),
        ("vbscript:msgbox(1)", false),
        ("file:///etc/passwd", false),
    ] {
        let html = sanitise(&format!("<a href=\"{href}\">x</a>"));
        assert_eq!(html.contains("href="), kept, "{href}: {html}");
    }
}
