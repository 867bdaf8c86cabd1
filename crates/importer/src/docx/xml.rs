//! Small helpers over quick-xml events for WordprocessingML, matched by
//! local name so that `w:` and strict-OOXML namespaces both work.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesRef, BytesStart};

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
