//! Bytes of a text or Markdown upload to a string.

use crate::ImportError;

/// Decodes UTF-8 (with or without a byte-order mark) and UTF-16 with a
/// byte-order mark, which Windows tools still write. Anything else is refused
/// rather than guessed, so a binary file never turns into garbage sections.
pub(crate) fn text(bytes: &[u8]) -> Result<String, ImportError> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return utf8(rest);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        return utf16(rest, u16::from_le_bytes);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        return utf16(rest, u16::from_be_bytes);
    }
    utf8(bytes)
}

fn utf8(bytes: &[u8]) -> Result<String, ImportError> {
    String::from_utf8(bytes.to_vec()).map_err(|_| ImportError::NotUtf8)
}

fn utf16(bytes: &[u8], unit: fn([u8; 2]) -> u16) -> Result<String, ImportError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(ImportError::NotUtf8);
    }
    let units = bytes.chunks_exact(2).map(|pair| unit([pair[0], pair[1]]));
    char::decode_utf16(units)
        .collect::<Result<String, _>>()
        .map_err(|_| ImportError::NotUtf8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_utf8_bom_and_decodes_utf16() {
        assert_eq!(text(b"\xEF\xBB\xBFhei").unwrap(), "hei");
        assert_eq!(text(b"\xFF\xFEh\0\xF8\0").unwrap(), "hø");
        assert_eq!(text(b"\xFE\xFF\0h\0\xF8").unwrap(), "hø");
        assert!(matches!(text(b"\xFF\xFEh"), Err(ImportError::NotUtf8)));
        assert!(matches!(text(b"h\xF8"), Err(ImportError::NotUtf8)));
    }
}
