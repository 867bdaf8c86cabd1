//! Small helpers over quick-xml events for WordprocessingML, matched by
//! local name so that `w:` and strict-OOXML namespaces both work.

use quick_xml::events::{BytesRef, BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

/// The value of the attribute with this local name (`w:val` → `val`).
pub(crate) fn attr(element: &BytesStart<'_>, local: &[u8]) -> Option<String> {
    element
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == local)
        .and_then(|a| {
            a.normalized_value(XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// The text of an entity or character reference (`&amp;`, `&#230;`).
pub(crate) fn reference(reference: &BytesRef<'_>) -> Option<String> {
    if let Ok(Some(c)) = reference.resolve_char_ref() {
        return Some(c.to_string());
    }
    let name: &[u8] = reference;
    let named = match name {
        b"amp" => "&",
        b"lt" => "<",
        b"gt" => ">",
        b"quot" => "\"",
        b"apos" => "'",
        _ => return None,
    };
    Some(named.to_string())
}

/// The Title property (`dc:title`) of `docProps/core.xml`, with its white space
/// collapsed; `None` when it is missing, empty or the XML is broken.
pub(crate) fn core_title(xml: &str) -> Option<String> {
    let mut reader = Reader::from_str(xml);
    let mut in_title = false;
    let mut title = String::new();
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) if e.local_name().as_ref() == b"title" => in_title = true,
            Event::End(e) if e.local_name().as_ref() == b"title" => break,
            Event::Text(text) if in_title => title.push_str(&text.xml10_content().ok()?),
            Event::GeneralRef(r) if in_title => title.push_str(&reference(&r)?),
            Event::Eof => return None,
            _ => {}
        }
    }
    let title = title.split_whitespace().collect::<Vec<_>>().join(" ");
    (!title.is_empty()).then_some(title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_title_property() {
        let core = r#"<?xml version="1.0"?><cp:coreProperties xmlns:cp="x" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Kari</dc:creator><dc:title>Planprogram  for helse &amp; omsorg</dc:title></cp:coreProperties>"#;
        assert_eq!(
            core_title(core).as_deref(),
            Some("Planprogram for helse & omsorg")
        );
        assert_eq!(
            core_title(r#"<cp:coreProperties><dc:title/></cp:coreProperties>"#),
            None
        );
        assert_eq!(
            core_title(r#"<cp:coreProperties><dc:title> </dc:title></cp:coreProperties>"#),
            None
        );
        assert_eq!(core_title("<broken"), None);
    }
}
