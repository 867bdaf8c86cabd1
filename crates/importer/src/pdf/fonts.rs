//! The fonts of a page: how to turn string bytes into text, and how wide
//! each glyph is, so that gaps between pieces of text can be measured.

use std::collections::HashMap;

use lopdf::{Dictionary, Document, Encoding, Object, ObjectId};

pub(crate) struct Font<'a> {
    encoding: Option<Encoding<'a>>,
    /// Composite (Type0) fonts use two-byte codes.
    two_byte: bool,
    first_char: u32,
    widths: Vec<f32>,
    cid_widths: HashMap<u32, f32>,
    default_width: f32,
}

/// Assumed glyph width, in thousandths of the font size, where a font does
/// not say (the standard fonts): about the average of Latin text.
const FALLBACK_WIDTH: f32 = 500.0;

impl Font<'_> {
    pub fn decode(&self, bytes: &[u8]) -> String {
        match &self.encoding {
            Some(encoding) => encoding.bytes_to_string(bytes).unwrap_or_default(),
            None => bytes
                .iter()
                .map(|&b| char::from(b))
                .filter(|c| !c.is_control())
                .collect(),
        }
    }

    /// The codes of a string with their widths in thousandths of the font size.
    pub fn glyphs<'b>(&'b self, bytes: &'b [u8]) -> impl Iterator<Item = (u32, f32)> + 'b {
        let step = if self.two_byte { 2 } else { 1 };
        bytes.chunks(step).map(move |chunk| {
            let code = chunk.iter().fold(0u32, |acc, &b| (acc << 8) | u32::from(b));
            let width = if self.two_byte {
                self.cid_widths.get(&code).copied()
            } else {
                code.checked_sub(self.first_char)
                    .and_then(|i| self.widths.get(usize::try_from(i).ok()?).copied())
            };
            (code, width.unwrap_or(self.default_width))
        })
    }

    pub fn is_two_byte(&self) -> bool {
        self.two_byte
    }
}

pub(crate) fn page_fonts(document: &Document, page: ObjectId) -> HashMap<Vec<u8>, Font<'_>> {
    document
        .get_page_fonts(page)
        .unwrap_or_default()
        .into_iter()
        .map(|(name, dict)| (name, font(document, dict)))
        .collect()
}

fn font<'a>(document: &'a Document, dict: &'a Dictionary) -> Font<'a> {
    let two_byte = dict
        .get(b"Subtype")
        .and_then(Object::as_name)
        .is_ok_and(|s| s == b"Type0");
    let mut font = Font {
        encoding: dict.get_font_encoding(document).ok(),
        two_byte,
        first_char: 0,
        widths: Vec::new(),
        cid_widths: HashMap::new(),
        default_width: FALLBACK_WIDTH,
    };
    if two_byte {
        let descendant = array(document, dict.get(b"DescendantFonts").ok())
            .first()
            .and_then(|d| resolve(document, d).as_dict().ok());
        if let Some(descendant) = descendant {
            font.default_width = number(document, descendant.get(b"DW").ok()).unwrap_or(1000.0);
            font.cid_widths = cid_widths(document, array(document, descendant.get(b"W").ok()));
        }
    } else {
        font.first_char =
            number(document, dict.get(b"FirstChar").ok()).map_or(0, |n| n.max(0.0) as u32);
        font.widths = array(document, dict.get(b"Widths").ok())
            .iter()
            .map(|w| number(document, Some(w)).unwrap_or(FALLBACK_WIDTH))
            .collect();
        let descriptor = dict
            .get(b"FontDescriptor")
            .map(|d| resolve(document, d))
            .and_then(Object::as_dict);
        let missing = descriptor
            .ok()
            .and_then(|d| number(document, d.get(b"MissingWidth").ok()));
        if let Some(missing) = missing.filter(|w| *w > 0.0) {
            font.default_width = missing;
        }
    }
    font
}

/// The `W` array of a CID font: `c [w1 w2 …]` or `c_first c_last w`.
fn cid_widths(document: &Document, w: &[Object]) -> HashMap<u32, f32> {
    const MAX_ENTRIES: usize = 65_536;
    let mut widths = HashMap::new();
    let mut i = 0;
    while i + 1 < w.len() && widths.len() < MAX_ENTRIES {
        let Some(first) = number(document, Some(&w[i])).map(|n| n.max(0.0) as u32) else {
            break;
        };
        if let Ok(list) = resolve(document, &w[i + 1]).as_array() {
            for (k, width) in list.iter().enumerate().take(MAX_ENTRIES) {
                if let Some(width) = number(document, Some(width)) {
                    widths.insert(first.saturating_add(k as u32), width);
                }
            }
            i += 2;
        } else {
            let (Some(last), Some(width)) = (
                number(document, Some(&w[i + 1])),
                w.get(i + 2).and_then(|o| number(document, Some(o))),
            ) else {
                break;
            };
            let last = (last.max(0.0) as u32).min(first.saturating_add(MAX_ENTRIES as u32));
            for code in first..=last {
                widths.insert(code, width);
            }
            i += 3;
        }
    }
    widths
}

fn resolve<'a>(document: &'a Document, object: &'a Object) -> &'a Object {
    document.dereference(object).map_or(object, |(_, o)| o)
}

fn number(document: &Document, object: Option<&Object>) -> Option<f32> {
    resolve(document, object?).as_float().ok()
}

fn array<'a>(document: &'a Document, object: Option<&'a Object>) -> &'a [Object] {
    object
        .and_then(|o| resolve(document, o).as_array().ok())
        .map_or(&[], Vec::as_slice)
}
