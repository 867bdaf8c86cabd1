//! Document import for Samråd: turns a plan document (plain text extracted
//! from a PDF, Markdown, DOCX or PDF) into numbered sections with Markdown
//! bodies, plus warnings about what looked doubtful.
//!
//! The crate has no I/O of its own: callers hand in bytes or strings and get
//! data back, so the same code serves the CLI, the web upload and the tests.
//!
//! Plain-text rules (text extracted from a PDF):
//! - a heading is a line "1 Title", "1. Title", "2.1 Title", "1.0 Title" or
//!   "2.6.3 Title": one to four groups of one or two digits, then a title
//!   that starts with a capital letter, has at most 25 words and is not a
//!   row of month names; its number must follow the previous heading (next
//!   sibling, first child, or the next number of a parent). A jump of one
//!   skipped number or a missing parent is kept with a `numbering_gap`
//!   warning; anything else (backwards, far ahead, a line that continues a
//!   sentence) stays body text. So dates ("14.5.2020."), years ("2018.") and
//!   table rows ("2021 Jan Feb …", "1 2 3 …") are never headings;
//! - table-of-contents lines (dot leaders and a page number, their wrapped
//!   first lines, and the "Innhald"/"Innhold"/"Contents" title above them)
//!   are dropped; a table of contents without leaders is noticed when the
//!   numbering starts over with nothing but headings before, and is kept in
//!   the preamble;
//! - bare page numbers ("7", "- 7 -", "Side 7 av 12") are dropped, and so are
//!   running headers and footers: a repeated line (digits ignored) that sits
//!   next to a page number or a page break at least twice, or that recurs
//!   three times at least ten lines apart;
//! - bullets (•, o, , ✓, ➢, -, –, * and other glyphs) become Markdown list
//!   items, nested by marker kind;
//! - lines of a paragraph are joined; "plan-" + "legging" becomes
//!   "planlegging", but "helse-" + "og" or "sosial-og" keeps its dash; a
//!   blank line (or a dropped line) ends a paragraph unless the sentence
//!   clearly goes on in lower case; a short title-like line between
//!   sentences stays a paragraph of its own;
//! - text before the first heading becomes a preamble section with an empty
//!   number and title; text without headings becomes one such section with a
//!   `no_headings` warning.

mod blocks;
mod boilerplate;
mod decode;
mod docx;
mod heading;
mod lost_table;
mod markdown;
mod numbering;
mod outline;
mod pdf;
mod text;

use domain::plan::NewSection;

/// The input formats the importer understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
    Docx,
    Pdf,
}

impl Format {
    /// Parses a format name as used by `samrad import --format`.
    pub fn parse(s: &str) -> Option<Format> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" => Some(Format::Text),
            "markdown" => Some(Format::Markdown),
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }

    /// Guesses the format of an upload. Magic bytes win over the file name,
    /// because uploads are often renamed or carry no extension.
    pub fn detect(file_name: &str, bytes: &[u8]) -> Option<Format> {
        if pdf::looks_like_pdf(bytes) {
            return Some(Format::Pdf);
        }
        if docx::looks_like_docx(bytes) {
            return Some(Format::Docx);
        }
        let extension = file_name
            .rsplit_once('.')
            .map(|(_, ext)| ext.to_ascii_lowercase())?;
        match extension.as_str() {
            "txt" | "text" => Some(Format::Text),
            "md" | "markdown" => Some(Format::Markdown),
            "docx" => Some(Format::Docx),
            "pdf" => Some(Format::Pdf),
            _ => None,
        }
    }
}

/// The type of an attached file, decided from its content alone (never from its
/// name or the type a client claims): a PDF starts with `%PDF-`; a Word document
/// is a ZIP archive with `word/document.xml` and no macros. Anything else is `None`.
pub fn attachment_format(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"%PDF-") {
        return Some(Format::Pdf);
    }
    if docx::is_plain_docx(bytes) {
        return Some(Format::Docx);
    }
    None
}

/// [`attachment_format`] of a file read through `reader` (a file on disk, say)
/// without reading it whole: its first bytes and, for a ZIP archive, its central
/// directory.
pub fn attachment_format_of<R: std::io::Read + std::io::Seek>(mut reader: R) -> Option<Format> {
    let mut head = [0u8; 5];
    reader.read_exact(&mut head).ok()?;
    if head.starts_with(b"%PDF-") {
        return Some(Format::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") {
        reader.seek(std::io::SeekFrom::Start(0)).ok()?;
        if docx::is_plain_docx_archive(reader) {
            return Some(Format::Docx);
        }
    }
    None
}

pub use lost_table::lost_tables;

/// Something the planner should check in the imported outline.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ImportWarning {
    /// Stable machine-readable code, such as `numbering_gap`, `no_headings` or
    /// `looks_like_lost_table`.
    pub code: &'static str,
    /// One English sentence for logs and the CLI.
    pub message: String,
    /// The lines it concerns, when it concerns part of one section.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub place: Option<Place>,
}

/// Lines of one section's body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Place {
    /// The section's index in [`Imported::sections`], from 0.
    pub section: usize,
    /// The first and last line of its body, counted from 1.
    pub first_line: usize,
    pub last_line: usize,
}

impl ImportWarning {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> Self {
        ImportWarning {
            code,
            message: message.into(),
            place: None,
        }
    }
}

/// The result of an import: sections in document order, plus warnings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub sections: Vec<NewSection>,
    pub warnings: Vec<ImportWarning>,
    /// The title the document gives itself (a Word document's Title property), if any.
    pub title: Option<String>,
}

impl Imported {
    /// Sections and warnings, with the warnings about lost tables added.
    pub(crate) fn new(sections: Vec<NewSection>, mut warnings: Vec<ImportWarning>) -> Self {
        warnings.extend(lost_tables(&sections));
        Imported {
            sections,
            warnings,
            title: None,
        }
    }
}

/// Why a file could not be imported at all.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than the limit of {max} bytes")]
    TooLarge { max: usize },
    #[error(
        "the file is not UTF-8 text (it may be a binary file, or text in another encoding such as Windows-1252: save it as UTF-8 and try again)"
    )]
    NotUtf8,
    #[error("the file is not a readable Word document (DOCX): {0}")]
    InvalidDocx(String),
    #[error("the file is not a readable PDF: {0}")]
    InvalidPdf(String),
    #[error("the PDF is encrypted or password-protected: remove the protection and try again")]
    EncryptedPdf,
    #[error(
        "the document contains no text (a scanned PDF has none: it needs text recognition first)"
    )]
    NoText,
}

impl ImportError {
    /// Stable machine-readable code for the API and the CLI.
    pub fn code(&self) -> &'static str {
        match self {
            ImportError::Empty => "empty",
            ImportError::TooLarge { .. } => "too_large",
            ImportError::NotUtf8 => "not_utf8",
            ImportError::InvalidDocx(_) => "invalid_docx",
            ImportError::InvalidPdf(_) => "invalid_pdf",
            ImportError::EncryptedPdf => "encrypted_pdf",
            ImportError::NoText => "no_text",
        }
    }
}

/// The largest input accepted, in bytes.
pub const MAX_INPUT_BYTES: usize = 20 * 1024 * 1024;

/// Imports a whole file of the given format.
pub fn import(bytes: &[u8], format: Format) -> Result<Imported, ImportError> {
    if bytes.is_empty() {
        return Err(ImportError::Empty);
    }
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge {
            max: MAX_INPUT_BYTES,
        });
    }
    let imported = match format {
        Format::Text => import_text(&decode::text(bytes)?),
        Format::Markdown => import_markdown(&decode::text(bytes)?),
        Format::Docx => docx::import(bytes)?,
        Format::Pdf => import_text(&pdf::extract_text(bytes)?),
    };
    if imported.sections.is_empty() {
        return Err(ImportError::NoText);
    }
    Ok(imported)
}

/// Imports plain text, typically extracted from a PDF: numbered headings,
/// table of contents, running headers and footers, bullets and line wraps.
pub fn import_text(text: &str) -> Imported {
    text::import(text)
}

/// Imports Markdown with ATX (`## 3.1 Title`) or setext headings.
pub fn import_markdown(text: &str) -> Imported {
    markdown::import(text)
}
