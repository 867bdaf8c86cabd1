//! DOCX import: the ZIP container, then headings by paragraph style or
//! outline level, lists by Word numbering, and tables, as Markdown.

mod document;
mod inline;
mod styles;
mod xml;

use std::io::{Cursor, Read};

use zip::ZipArchive;
use zip::result::ZipError;

use crate::outline::{self, Part};
use crate::{ImportError, Imported, blocks};
use document::Block;
use styles::{Numbering, Styles};

const DOCUMENT: &str = "word/document.xml";
/// The document's properties (title, author, …) as Word writes them.
const CORE_PROPERTIES: &str = "docProps/core.xml";

/// A part may not unpack to more than this: a guard against ZIP bombs.
const MAX_PART_BYTES: u64 = 256 * 1024 * 1024;

/// A ZIP archive with the main part of a Word document.
pub(crate) fn looks_like_docx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
        && ZipArchive::new(Cursor::new(bytes))
            .is_ok_and(|zip| zip.index_for_name(DOCUMENT).is_some())
}

/// A Word document without macros (a .docm renamed .docx carries `vbaProject.bin`).
pub(crate) fn is_plain_docx(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") && is_plain_docx_archive(Cursor::new(bytes))
}

/// The same check on a ZIP archive read through `reader`: only its central
/// directory is read, not the whole file.
pub(crate) fn is_plain_docx_archive<R: std::io::Read + std::io::Seek>(reader: R) -> bool {
    ZipArchive::new(reader).is_ok_and(|zip| {
        zip.index_for_name(DOCUMENT).is_some()
            && !zip
                .file_names()
                .any(|name| name.to_ascii_lowercase().ends_with("vbaproject.bin"))
    })
}

pub(crate) fn import(bytes: &[u8]) -> Result<Imported, ImportError> {
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Err(ImportError::InvalidDocx(
            "it is an old .doc file or a password-protected document: save it as .docx without a password".into(),
        ));
    }
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| ImportError::InvalidDocx("it is not a ZIP archive".into()))?;
    let document = read_part(&mut zip, DOCUMENT)?.ok_or_else(|| {
        ImportError::InvalidDocx(format!(
            "the ZIP archive has no {DOCUMENT}, so it is not a Word document"
        ))
    })?;
    let styles = match read_part(&mut zip, "word/styles.xml")? {
        Some(xml) => Styles::parse(&xml).map_err(invalid("word/styles.xml"))?,
        None => Styles::default(),
    };
    let mut numbering = match read_part(&mut zip, "word/numbering.xml")? {
        Some(xml) => Numbering::parse(&xml).map_err(invalid("word/numbering.xml"))?,
        None => Numbering::default(),
    };
    let blocks = document::read(&document, &styles, &mut numbering).map_err(invalid(DOCUMENT))?;
    let mut imported = assemble(blocks);
    // The properties are optional, and a broken one does not make the text unreadable.
    imported.title = read_part(&mut zip, CORE_PROPERTIES)
        .ok()
        .flatten()
        .and_then(|xml| xml::core_title(&xml));
    Ok(imported)
}

fn invalid(part: &'static str) -> impl Fn(quick_xml::Error) -> ImportError {
    move |e| ImportError::InvalidDocx(format!("{part} is not valid XML: {e}"))
}

fn read_part(
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, ImportError> {
    let file = match zip.by_name(name) {
        Ok(file) => file,
        Err(ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(ImportError::InvalidDocx(format!(
                "{name} cannot be unpacked: {e}"
            )));
        }
    };
    let mut bytes = Vec::new();
    file.take(MAX_PART_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ImportError::InvalidDocx(format!("{name} cannot be unpacked: {e}")))?;
    if bytes.len() as u64 > MAX_PART_BYTES {
        return Err(ImportError::InvalidDocx(format!(
            "{name} unpacks to more than {MAX_PART_BYTES} bytes"
        )));
    }
    let bytes = bytes
        .strip_prefix(b"\xEF\xBB\xBF")
        .map(<[u8]>::to_vec)
        .unwrap_or(bytes);
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| ImportError::InvalidDocx(format!("{name} is not UTF-8 XML")))
}

fn assemble(blocks: Vec<Block>) -> Imported {
    let mut preamble = Vec::new();
    let mut parts: Vec<(Part, Vec<Block>)> = Vec::new();
    for block in blocks {
        match block {
            Block::Heading {
                depth,
                number,
                title,
            } => parts.push((
                Part {
                    depth,
                    number,
                    title,
                    body: String::new(),
                },
                Vec::new(),
            )),
            other => match parts.last_mut() {
                Some((_, body)) => body.push(other),
                None => preamble.push(other),
            },
        }
    }
    let parts = parts
        .into_iter()
        .map(|(part, body)| Part {
            body: markdown(&body),
            ..part
        })
        .collect();
    outline::assemble(markdown(&preamble), parts)
}

/// Renders body blocks as Markdown: paragraphs and tables separated by
/// blank lines, list items on consecutive lines, nested four spaces a level.
fn markdown(blocks: &[Block]) -> String {
    let mut out = String::new();
    let mut list_level: Option<usize> = None;
    for block in blocks {
        let is_item = matches!(block, Block::Item { .. });
        if !out.is_empty() {
            out.push_str(if is_item && list_level.is_some() {
                "\n"
            } else {
                "\n\n"
            });
        }
        match block {
            Block::Paragraph(text) => out.push_str(&text.markdown()),
            Block::Item {
                level,
                ordered,
                text,
            } => {
                // A level may not be skipped, or Markdown reads a code block.
                let level = (*level).min(list_level.map_or(0, |l| l + 1));
                out.push_str(&"    ".repeat(level));
                match ordered {
                    Some(n) => out.push_str(&format!("{n}. ")),
                    None => out.push_str("- "),
                }
                out.push_str(&text.markdown());
                list_level = Some(level);
            }
            Block::Table(rows) => out.push_str(&table(rows)),
            Block::Heading { .. } => {}
        }
        if !is_item {
            list_level = None;
        }
    }
    out
}

/// Escaped plain text; Word line breaks become Markdown hard breaks.
fn paragraph(text: &str) -> String {
    let mut rich = inline::Rich::default();
    rich.push(text, inline::Emphasis::default());
    rich.markdown()
}

fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    if rows.len() == 1 && columns == 1 {
        return paragraph(&rows[0][0]); // a one-cell table is a framed paragraph
    }
    let line = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    let cell = |row: &Vec<String>, k: usize| {
        let text = row.get(k).map(|t| collapse(t)).unwrap_or_default();
        blocks::escape(&text).replace('|', "\\|")
    };
    let mut lines = Vec::with_capacity(rows.len() + 1);
    for (i, row) in rows.iter().enumerate() {
        lines.push(line((0..columns).map(|k| cell(row, k)).collect()));
        if i == 0 {
            lines.push(line(vec!["---".to_string(); columns]));
        }
    }
    lines.join("\n")
}
