//! PDF fixtures written with lopdf: text positioned line by line with a
//! standard font, page footers and numbers, an encrypted copy, and broken
//! files.

use importer::{Format, ImportError, import};
use lopdf::content::{Content, Operation};
use lopdf::encryption::{EncryptionState, EncryptionVersion, Permissions};
use lopdf::{Document, Object, Stream, dictionary};

use crate::support::{body, expected, outline};

/// One content line: plain text, or pieces of a `TJ` array (strings and
/// kerning in thousandths of an em). An empty line leaves a paragraph gap.
pub enum Line<'a> {
    Text(&'a str),
    /// A line in a larger font, as headings are.
    Large(&'a str),
    Kerned(&'a [(&'a str, i64)]),
}

/// WinAnsiEncoding, enough for Norwegian text, bullets and dashes.
fn win_ansi(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| match c {
            '•' => 0x95,
            '–' => 0x96,
            c => u8::try_from(u32::from(c)).expect("a Latin-1 character"),
        })
        .collect()
}

fn document(pages: &[Vec<Line<'_>>]) -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources = doc.add_object(dictionary! { "Font" => dictionary! { "F1" => font } });
    let mut kids = Vec::new();
    for lines in pages {
        let mut operations = vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 11.into()]),
            Operation::new("TL", vec![14.into()]),
            Operation::new("Td", vec![72.into(), 770.into()]),
        ];
        for line in lines {
            match line {
                Line::Text("") => {}
                Line::Text(text) => operations.push(Operation::new(
                    "Tj",
                    vec![Object::string_literal(win_ansi(text))],
                )),
                Line::Large(text) => operations.extend([
                    Operation::new("Tf", vec!["F1".into(), 16.into()]),
                    Operation::new("Tj", vec![Object::string_literal(win_ansi(text))]),
                    Operation::new("Tf", vec!["F1".into(), 11.into()]),
                ]),
                Line::Kerned(pieces) => {
                    let array = pieces
                        .iter()
                        .flat_map(|(text, kern)| {
                            [
                                Object::string_literal(win_ansi(text)),
                                Object::Integer(*kern),
                            ]
                        })
                        .collect::<Vec<_>>();
                    operations.push(Operation::new("TJ", vec![Object::Array(array)]));
                }
            }
            operations.push(Operation::new("T*", vec![]));
        }
        operations.push(Operation::new("ET", vec![]));
        let content = Content { operations }.encode().expect("content encodes");
        let contents = doc.add_object(Stream::new(dictionary! {}, content));
        kids.push(Object::Reference(doc.add_object(dictionary! {
            "Type" => "Page",
            "Parent" => pages_id,
            "Contents" => contents,
            "Resources" => resources,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        })));
    }
    let count = i64::try_from(kids.len()).unwrap();
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! { "Type" => "Pages", "Kids" => kids, "Count" => count }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    doc
}

fn save(mut doc: Document) -> Vec<u8> {
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).expect("lopdf writes the fixture");
    bytes
}

const FOOTER: &str = "Forslag til planprogram – Alver kommune";

/// The planning-programme fixture as PDF bytes, for other test modules.
pub fn sample() -> Vec<u8> {
    save(planning_programme())
}

fn planning_programme() -> Document {
    use Line::*;
    document(&[
        vec![
            Text("Planprogram"),
            Text(""),
            Text("1. Innleiing"),
            Text("Alver kommune lagar ein plan for"),
            Text("helse og omsorg."),
            Text("• Innbyggarane"),
            Text("• Tilsette"),
            Text(""),
            Text(FOOTER),
            Text("1"),
        ],
        vec![
            Text("2. Organisering"),
            Kerned(&[("Prosjektgruppa har ans", -20), ("var for plan-", 0)]),
            Text("legging av arbeidet."),
            Kerned(&[("Tek", -30), ("st", -400), ("med kerning.", 0)]),
            Text(""),
            Text(FOOTER),
            Text("2"),
        ],
        vec![
            Text("2.1 Roller"),
            Text("14.5.2020. Vedtak i kommunestyret."),
            Large("2.2 Framdrift for arbeidet med"),
            Large("planen"),
            Text("Tekst."),
            Text(""),
            Text(FOOTER),
            Text("3"),
        ],
    ])
}

#[test]
fn pdf_text_follows_the_plain_text_rules() {
    let bytes = save(planning_programme());
    assert_eq!(Format::detect("upload", &bytes), Some(Format::Pdf));
    let imported = import(&bytes, Format::Pdf).unwrap();
    assert_eq!(
        outline(&imported),
        expected(&[
            ("", ""),
            ("1", "Innleiing"),
            ("2", "Organisering"),
            ("2.1", "Roller"),
            ("2.2", "Framdrift for arbeidet med planen"),
        ])
    );
    assert_eq!(imported.sections[0].body, "Planprogram");
    assert_eq!(
        body(&imported, "1"),
        "Alver kommune lagar ein plan for helse og omsorg.\n\n- Innbyggarane\n- Tilsette"
    );
    assert_eq!(
        body(&imported, "2"),
        "Prosjektgruppa har ansvar for planlegging av arbeidet. Tekst med kerning."
    );
    assert_eq!(body(&imported, "2.1"), "14.5.2020. Vedtak i kommunestyret.");
    assert_eq!(body(&imported, "2.2"), "Tekst.");
    for section in &imported.sections {
        assert!(
            !section.body.contains("Forslag til planprogram"),
            "footer in {}",
            section.number
        );
    }
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

fn encrypt(mut doc: Document, user_password: &str) -> Vec<u8> {
    let id = Object::string_literal(b"0123456789abcdef".to_vec());
    doc.trailer.set("ID", vec![id.clone(), id]);
    let version = EncryptionVersion::V2 {
        document: &doc,
        owner_password: "eigar",
        user_password,
        key_length: 128,
        permissions: Permissions::all(),
    };
    let state = EncryptionState::try_from(version).expect("an encryption state");
    doc.encrypt(&state).expect("lopdf encrypts the fixture");
    save(doc)
}

#[test]
fn a_password_protected_pdf_is_refused() {
    let bytes = encrypt(planning_programme(), "hemmeleg");
    let error = import(&bytes, Format::Pdf).unwrap_err();
    assert!(matches!(error, ImportError::EncryptedPdf), "{error:?}");
    assert_eq!(error.code(), "encrypted_pdf");
}

#[test]
fn a_pdf_protected_only_against_editing_imports() {
    let bytes = encrypt(planning_programme(), "");
    let imported = import(&bytes, Format::Pdf).unwrap();
    assert_eq!(imported.sections.len(), 5);
}

#[test]
fn a_pdf_without_text_has_no_text() {
    let bytes = save(document(&[vec![]]));
    assert!(matches!(
        import(&bytes, Format::Pdf),
        Err(ImportError::NoText)
    ));
}

#[test]
fn broken_pdfs_are_invalid() {
    let bytes = save(planning_programme());
    for cut in [bytes.len() / 2, 40, 9] {
        let error = import(&bytes[..cut], Format::Pdf).unwrap_err();
        assert!(
            matches!(error, ImportError::InvalidPdf(_)),
            "cut at {cut}: {error:?}"
        );
    }
    let error = import(b"%PDF-1.7\nthis is not a pdf at all", Format::Pdf).unwrap_err();
    assert!(matches!(error, ImportError::InvalidPdf(_)), "{error:?}");
    let error = import(b"just text", Format::Pdf).unwrap_err();
    assert!(matches!(error, ImportError::InvalidPdf(_)), "{error:?}");
}
