//! Bad input gives a clear error, never a panic.

use std::io::{Cursor, Write};

use importer::{Format, ImportError, MAX_INPUT_BYTES, import};

const ALL: [Format; 4] = [Format::Text, Format::Markdown, Format::Docx, Format::Pdf];

#[test]
fn empty_files_are_refused_in_every_format() {
    for format in ALL {
        let error = import(b"", format).unwrap_err();
        assert!(matches!(error, ImportError::Empty), "{format:?}: {error:?}");
        assert_eq!(error.code(), "empty");
    }
}

#[test]
fn files_over_the_limit_are_refused_before_parsing() {
    let big = vec![b'a'; MAX_INPUT_BYTES + 1];
    for format in ALL {
        let error = import(&big, format).unwrap_err();
        assert!(
            matches!(
                error,
                ImportError::TooLarge {
                    max: MAX_INPUT_BYTES
                }
            ),
            "{format:?}: {error:?}"
        );
        assert_eq!(error.code(), "too_large");
    }
    let fifty_megabytes = vec![b'x'; 50 * 1024 * 1024];
    assert!(matches!(
        import(&fifty_megabytes, Format::Text),
        Err(ImportError::TooLarge { .. })
    ));
    // The limit itself is allowed: these bytes get as far as the ZIP reader.
    let at_limit = import(&big[..MAX_INPUT_BYTES], Format::Docx).unwrap_err();
    assert!(
        matches!(at_limit, ImportError::InvalidDocx(_)),
        "{at_limit:?}"
    );
}

#[test]
fn text_that_is_not_utf8_is_refused() {
    let windows_1252 = b"1. Omsorg for b\xF8rn og unge\n";
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\x01\0";
    for bytes in [&windows_1252[..], &png[..], b"\xFF\xFE\x00"] {
        for format in [Format::Text, Format::Markdown] {
            let error = import(bytes, format).unwrap_err();
            assert!(
                matches!(error, ImportError::NotUtf8),
                "{format:?}: {error:?}"
            );
            assert_eq!(error.code(), "not_utf8");
        }
    }
}

#[test]
fn utf16_text_with_a_byte_order_mark_is_read() {
    let utf16: Vec<u8> = b"\xFF\xFE"
        .iter()
        .copied()
        .chain(
            "1. Innleiing\nTekst.\n"
                .encode_utf16()
                .flat_map(u16::to_le_bytes),
        )
        .collect();
    let imported = import(&utf16, Format::Text).unwrap();
    assert_eq!(imported.sections[0].title, "Innleiing");
}

#[test]
fn blank_text_has_no_text() {
    for format in [Format::Text, Format::Markdown] {
        let error = import(b" \n\t\r\n", format).unwrap_err();
        assert!(
            matches!(error, ImportError::NoText),
            "{format:?}: {error:?}"
        );
        assert_eq!(error.code(), "no_text");
    }
}

fn zip_with(files: &[(&str, &str)]) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut bytes);
    for (name, content) in files {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .unwrap();
        zip.write_all(content.as_bytes()).unwrap();
    }
    zip.finish().unwrap();
    bytes.into_inner()
}

#[test]
fn docx_that_is_not_a_word_document_is_refused() {
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("a zip of something else", crate::docx::other_zip()),
        (
            "random bytes",
            b"PK\x03\x04 but then nothing of a zip".to_vec(),
        ),
        ("plain text", b"1. Innleiing".to_vec()),
        (
            "an old .doc",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest of an OLE file".to_vec(),
        ),
        (
            "broken XML",
            zip_with(&[(
                "word/document.xml",
                "<w:document><w:body><w:p></w:body></w:document>",
            )]),
        ),
        ("a PDF", b"%PDF-1.7\n".to_vec()),
    ];
    for (what, bytes) in cases {
        let error = import(&bytes, Format::Docx).unwrap_err();
        assert!(
            matches!(error, ImportError::InvalidDocx(_)),
            "{what}: {error:?}"
        );
        assert_eq!(error.code(), "invalid_docx");
        assert!(
            error
                .to_string()
                .starts_with("the file is not a readable Word document"),
            "{error}"
        );
    }
}

#[test]
fn a_docx_with_no_text_has_no_text() {
    let xml = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p/></w:body></w:document>"#;
    let error = import(&zip_with(&[("word/document.xml", xml)]), Format::Docx).unwrap_err();
    assert!(matches!(error, ImportError::NoText), "{error:?}");
}

#[test]
fn pdf_errors_have_codes() {
    assert_eq!(
        import(b"%PDF-1.4\n%%EOF", Format::Pdf).unwrap_err().code(),
        "invalid_pdf"
    );
    assert_eq!(
        import(b"PK\x03\x04", Format::Pdf).unwrap_err().code(),
        "invalid_pdf"
    );
}

#[test]
fn format_names_parse() {
    assert_eq!(Format::parse("text"), Some(Format::Text));
    assert_eq!(Format::parse("markdown"), Some(Format::Markdown));
    assert_eq!(Format::parse("docx"), Some(Format::Docx));
    assert_eq!(Format::parse("pdf"), Some(Format::Pdf));
    assert_eq!(Format::parse("PDF"), Some(Format::Pdf));
    assert_eq!(Format::parse("doc"), None);
    assert_eq!(Format::parse(""), None);
}

#[test]
fn attachments_are_recognised_by_content_only() {
    use importer::attachment_format;
    assert_eq!(attachment_format(&crate::pdf::sample()), Some(Format::Pdf));
    assert_eq!(
        attachment_format(&crate::docx::sample()),
        Some(Format::Docx)
    );
    let refused: Vec<(&str, Vec<u8>)> = vec![
        ("HTML", b"<!doctype html><script>alert(1)</script>".to_vec()),
        ("PDF magic later on", b"<html>%PDF-1.7</html>".to_vec()),
        ("empty", Vec::new()),
        (
            "a ZIP that is no Word document",
            zip_with(&[("a.txt", "x")]),
        ),
        (
            "a Word document with macros",
            zip_with(&[
                ("word/document.xml", "<w:document/>"),
                ("word/vbaProject.bin", "macro"),
            ]),
        ),
        (
            "an old .doc",
            b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest".to_vec(),
        ),
    ];
    for (what, bytes) in refused {
        assert_eq!(attachment_format(&bytes), None, "{what}");
    }
}
