//! PDF import: the text layer of each page, laid out in lines, with page
//! breaks as form feeds so that the plain-text rules can see page edges.

mod fonts;
mod layout;

use std::panic::{AssertUnwindSafe, catch_unwind};

use lopdf::{Document, Error as PdfError};

use crate::ImportError;

/// Content streams may not unpack to more than this: a guard against
/// compression bombs.
const MAX_CONTENT_BYTES: usize = 256 * 1024 * 1024;

/// The PDF header may follow a little junk, as readers tolerate.
pub(crate) fn looks_like_pdf(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(1024)]
        .windows(5)
        .any(|w| w == b"%PDF-")
}

pub(crate) fn extract_text(bytes: &[u8]) -> Result<String, ImportError> {
    if !looks_like_pdf(bytes) {
        return Err(ImportError::InvalidPdf("it has no PDF header".into()));
    }
    // lopdf parses untrusted input; a panic in it must become an error for
    // this one upload, not take the server down.
    let text = catch_unwind(AssertUnwindSafe(|| extract(bytes)))
        .map_err(|_| ImportError::InvalidPdf("the parser failed on its structure".into()))??;
    if text.trim().is_empty() {
        return Err(ImportError::NoText);
    }
    Ok(text)
}

fn extract(bytes: &[u8]) -> Result<String, ImportError> {
    let document = Document::load_mem(bytes).map_err(load_error)?;
    // lopdf opens documents with an empty user password by itself and then
    // drops the encryption entry; one that keeps it needs a password.
    if document.is_encrypted() {
        return Err(ImportError::EncryptedPdf);
    }
    let mut pages = Vec::new();
    for page in document.page_iter() {
        let content = document
            .get_page_content_with_limit(page, MAX_CONTENT_BYTES)
            .map_err(|e| ImportError::InvalidPdf(format!("a page cannot be read: {e}")))?;
        let operations = lopdf::content::Content::decode(&content)
            .map(|c| c.operations)
            .unwrap_or_default();
        let fonts = fonts::page_fonts(&document, page);
        pages.push(layout::page_text(&operations, &fonts));
    }
    if pages.is_empty() {
        return Err(ImportError::InvalidPdf("it has no pages".into()));
    }
    Ok(pages.join("\n\x0c"))
}

fn load_error(error: PdfError) -> ImportError {
    match error {
        PdfError::Decryption(_) | PdfError::InvalidPassword | PdfError::AlreadyEncrypted => {
            ImportError::EncryptedPdf
        }
        other => ImportError::InvalidPdf(other.to_string()),
    }
}
