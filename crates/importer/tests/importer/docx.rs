//! DOCX fixtures written with docx-rs, so the reader is tested on XML that
//! another implementation produced: heading styles (English and Norwegian
//! style ids, outline levels), Word list numbering, tables, a table of
//! contents and tracked deletions.

use std::io::Cursor;

use docx_rs::{
    AbstractNumbering, BreakType, Delete, Docx, IndentLevel, Level, LevelJc, LevelText,
    NumberFormat, Numbering, NumberingId, Paragraph, Run, Start, Style, StyleType, Table,
    TableCell, TableOfContents, TableOfContentsItem, TableRow,
};
use importer::{Format, ImportError, import};

use crate::support::{body, expected, outline, warning_codes};

fn text(style: Option<&str>, text: &str) -> Paragraph {
    let paragraph = Paragraph::new().add_run(Run::new().add_text(text));
    match style {
        Some(style) => paragraph.style(style),
        None => paragraph,
    }
}

fn cell(text: &str) -> TableCell {
    TableCell::new().add_paragraph(Paragraph::new().add_run(Run::new().add_text(text)))
}

fn pack(docx: Docx) -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    docx.build()
        .pack(&mut bytes)
        .expect("docx-rs writes the fixture");
    bytes.into_inner()
}

const BULLETS: usize = 1;
const ORDERED: usize = 2;
const HEADINGS: usize = 3;

fn styles_and_lists(docx: Docx) -> Docx {
    let level = |n: usize, format: &str, text: &str| {
        Level::new(
            n,
            Start::new(1),
            NumberFormat::new(format),
            LevelText::new(text),
            LevelJc::new("left"),
        )
    };
    docx.add_style(Style::new("Heading1", StyleType::Paragraph).name("heading 1"))
        .add_style(Style::new("Overskrift2", StyleType::Paragraph).name("heading 2"))
        .add_style(
            Style::new("Kapittel", StyleType::Paragraph)
                .name("Kapittel")
                .outline_lvl(0),
        )
        .add_style(
            Style::new("Underkapittel", StyleType::Paragraph)
                .name("Underkapittel")
                .based_on("Overskrift2"),
        )
        .add_style(Style::new("INNH1", StyleType::Paragraph).name("toc 1"))
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS)
                .add_level(level(0, "bullet", "•"))
                .add_level(level(1, "bullet", "o")),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS))
        .add_abstract_numbering(
            AbstractNumbering::new(ORDERED).add_level(level(0, "decimal", "%1.")),
        )
        .add_numbering(Numbering::new(ORDERED, ORDERED))
        .add_abstract_numbering(
            AbstractNumbering::new(HEADINGS)
                .add_level(level(0, "decimal", "%1."))
                .add_level(level(1, "decimal", "%1.%2")),
        )
        .add_numbering(Numbering::new(HEADINGS, HEADINGS))
}

fn item(list: usize, level: usize, text: &str) -> Paragraph {
    Paragraph::new()
        .add_run(Run::new().add_text(text))
        .numbering(NumberingId::new(list), IndentLevel::new(level))
}

/// The planning-programme fixture as DOCX bytes, for other test modules.
pub fn sample() -> Vec<u8> {
    planning_programme()
}

fn planning_programme() -> Vec<u8> {
    let docx = styles_and_lists(Docx::new())
        .add_paragraph(text(None, "Planprogram for helse, sosial og omsorg"))
        .add_paragraph(text(Some("INNH1"), "1 Innleiing\t2"))
        .add_paragraph(text(Some("Heading1"), "1 Innleiing"))
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Alver kommune"))
                .add_delete(Delete::new().add_run(Run::new().add_delete_text(" (gammal tekst)")))
                .add_run(Run::new().add_text(" lagar ein plan."))
                .add_run(
                    Run::new()
                        .add_break(BreakType::TextWrapping)
                        .add_text("Ny linje."),
                ),
        )
        .add_paragraph(text(None, "Planen er viktig for:"))
        .add_paragraph(item(BULLETS, 0, "innbyggarane"))
        .add_paragraph(item(BULLETS, 1, "born og unge"))
        .add_paragraph(item(BULLETS, 0, "tilsette"))
        .add_paragraph(text(Some("Heading1"), "2 Organisering"))
        .add_paragraph(text(Some("Overskrift2"), "2.1 Roller og ansvar"))
        .add_table(Table::new(vec![
            TableRow::new(vec![cell("Rolle"), cell("Ansvar")]),
            TableRow::new(vec![cell("Prosjektleiar"), cell("Leier arbeidet | dagleg")]),
            TableRow::new(vec![cell("Styringsgruppe").grid_span(2)]),
        ]))
        .add_paragraph(text(Some("Underkapittel"), "2.2 Framdrift"))
        .add_paragraph(item(ORDERED, 0, "Oppstart"))
        .add_paragraph(item(ORDERED, 0, "Høyring"))
        .add_paragraph(
            Paragraph::new()
                .outline_lvl(0)
                .add_run(Run::new().add_text("3 Føringar")),
        )
        .add_paragraph(text(Some("Kapittel"), "4 Vedlegg"))
        .add_paragraph(text(None, "Slutt."));
    pack(docx)
}

#[test]
fn headings_by_style_name_style_id_outline_level_and_based_on() {
    let imported = import(&planning_programme(), Format::Docx).unwrap();
    assert_eq!(
        outline(&imported),
        expected(&[
            ("", ""),
            ("1", "Innleiing"),
            ("2", "Organisering"),
            ("2.1", "Roller og ansvar"),
            ("2.2", "Framdrift"),
            ("3", "Føringar"),
            ("4", "Vedlegg"),
        ])
    );
    let levels: Vec<i32> = imported.sections.iter().map(|s| s.level).collect();
    assert_eq!(levels, [1, 1, 1, 2, 2, 1, 1]);
    assert_eq!(
        imported.sections[0].body,
        "Planprogram for helse, sosial og omsorg"
    );
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

#[test]
fn table_of_contents_and_deleted_text_are_left_out() {
    let imported = import(&planning_programme(), Format::Docx).unwrap();
    let all: String = imported.sections.iter().map(|s| s.body.as_str()).collect();
    assert!(
        !all.contains("Innleiing\t2") && !all.contains("Innleiing 2"),
        "{all}"
    );
    assert!(!all.contains("gammal"), "{all}");
}

#[test]
fn paragraphs_lists_and_line_breaks_become_markdown() {
    let imported = import(&planning_programme(), Format::Docx).unwrap();
    assert_eq!(
        body(&imported, "1"),
        "Alver kommune lagar ein plan.\\\nNy linje.\n\nPlanen er viktig for:\n\n- innbyggarane\n    - born og unge\n- tilsette"
    );
    assert_eq!(body(&imported, "2.2"), "1. Oppstart\n2. Høyring");
}

#[test]
fn tables_become_markdown_tables() {
    let imported = import(&planning_programme(), Format::Docx).unwrap();
    assert_eq!(
        body(&imported, "2.1"),
        "| Rolle | Ansvar |\n| --- | --- |\n| Prosjektleiar | Leier arbeidet \\| dagleg |\n| Styringsgruppe |  |"
    );
}

#[test]
fn word_numbered_headings_take_their_numbers_from_the_list() {
    let heading = |style: &str, level: usize, title: &str| {
        text(Some(style), title).numbering(NumberingId::new(HEADINGS), IndentLevel::new(level))
    };
    let docx = styles_and_lists(Docx::new())
        .add_paragraph(heading("Heading1", 0, "Innleiing"))
        .add_paragraph(text(None, "Tekst."))
        .add_paragraph(heading("Heading1", 0, "Organisering"))
        .add_paragraph(heading("Overskrift2", 1, "Roller"))
        .add_paragraph(heading("Overskrift2", 1, "Framdrift"));
    let imported = import(&pack(docx), Format::Docx).unwrap();
    assert_eq!(
        outline(&imported),
        expected(&[
            ("1", "Innleiing"),
            ("2", "Organisering"),
            ("2.1", "Roller"),
            ("2.2", "Framdrift")
        ])
    );
}

#[test]
fn unnumbered_headings_are_numbered_by_level() {
    let docx = styles_and_lists(Docx::new())
        .add_paragraph(text(Some("Heading1"), "Innleiing"))
        .add_paragraph(text(Some("Overskrift2"), "Bakgrunn"))
        .add_paragraph(text(Some("Overskrift2"), "Mål"))
        .add_paragraph(text(Some("Heading1"), "Organisering"));
    let imported = import(&pack(docx), Format::Docx).unwrap();
    assert_eq!(
        outline(&imported),
        expected(&[
            ("1", "Innleiing"),
            ("1.1", "Bakgrunn"),
            ("1.2", "Mål"),
            ("2", "Organisering")
        ])
    );
}

#[test]
fn a_docx_without_headings_is_one_section() {
    let docx = Docx::new().add_paragraph(text(None, "Berre tekst."));
    let imported = import(&pack(docx), Format::Docx).unwrap();
    assert_eq!(outline(&imported), expected(&[("", "")]));
    assert_eq!(warning_codes(&imported), ["no_headings"]);
}

#[test]
fn a_generated_table_of_contents_is_skipped() {
    let docx = styles_and_lists(Docx::new())
        .add_table_of_contents(
            TableOfContents::new().heading_styles_range(1, 3).add_item(
                TableOfContentsItem::new()
                    .text("Innleiing")
                    .level(1)
                    .page_ref("2"),
            ),
        )
        .add_paragraph(text(Some("Heading1"), "1 Innleiing"))
        .add_paragraph(text(None, "Tekst."));
    let imported = import(&pack(docx), Format::Docx).unwrap();
    assert_eq!(outline(&imported), expected(&[("1", "Innleiing")]));
}

#[test]
fn detects_docx_by_content_and_refuses_other_zips() {
    let bytes = planning_programme();
    assert_eq!(Format::detect("upload.bin", &bytes), Some(Format::Docx));
    let zip = other_zip();
    assert_eq!(
        Format::detect("renamed.docx", &zip),
        Some(Format::Docx),
        "by extension"
    );
    assert_eq!(Format::detect("archive.zip", &zip), None);
    match import(&zip, Format::Docx) {
        Err(ImportError::InvalidDocx(message)) => {
            assert!(message.contains("word/document.xml"), "{message}")
        }
        other => panic!("expected InvalidDocx, got {other:?}"),
    }
}

/// A ZIP archive of something else, renamed to .docx by a user.
pub fn other_zip() -> Vec<u8> {
    let mut bytes = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut bytes);
    zip.start_file("notes.txt", zip::write::SimpleFileOptions::default())
        .unwrap();
    std::io::Write::write_all(&mut zip, b"not a word document").unwrap();
    zip.finish().unwrap();
    bytes.into_inner()
}

/// The document with its `docProps/core.xml` replaced by one that holds `title`
/// (docx-rs writes no Title property).
fn with_title(docx: Vec<u8>, title: &str) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(Cursor::new(docx)).expect("a zip");
    let mut bytes = Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut bytes);
    for i in 0..source.len() {
        let file = source.by_index(i).expect("an entry");
        if file.name() != "docProps/core.xml" {
            zip.raw_copy_file(file).expect("copied");
        }
    }
    zip.start_file(
        "docProps/core.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .unwrap();
    let core = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>Kari</dc:creator><dc:title>{title}</dc:title></cp:coreProperties>"#
    );
    std::io::Write::write_all(&mut zip, core.as_bytes()).unwrap();
    zip.finish().unwrap();
    bytes.into_inner()
}

#[test]
fn the_title_property_is_the_documents_title() {
    let titled = with_title(
        planning_programme(),
        "Planprogram – helse, sosial &amp; omsorg",
    );
    let imported = import(&titled, Format::Docx).unwrap();
    assert_eq!(
        imported.title.as_deref(),
        Some("Planprogram – helse, sosial & omsorg")
    );
    assert_eq!(
        import(&planning_programme(), Format::Docx).unwrap().title,
        None
    );
    let blank = with_title(planning_programme(), "  ");
    assert_eq!(import(&blank, Format::Docx).unwrap().title, None);
}

#[test]
fn bold_and_italic_runs_become_markdown_emphasis() {
    let docx = styles_and_lists(Docx::new())
        .add_paragraph(text(Some("Heading1"), "1 Frister"))
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Fristen er "))
                .add_run(Run::new().add_text("1. mars").bold())
                .add_run(Run::new().add_text(", og planen heiter "))
                .add_run(Run::new().add_text("Leve heile livet").italic())
                .add_run(Run::new().add_text(".")),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Ikkje feit").bold().disable_bold())
                .add_run(Run::new().add_text(" *stjerner* blir ståande")),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(Run::new().add_text("Viktig").bold())
                .numbering(NumberingId::new(BULLETS), IndentLevel::new(0)),
        )
        .add_paragraph(
            Paragraph::new()
                .style("Heading1")
                .add_run(Run::new().add_text("2 ").bold())
                .add_run(Run::new().add_text("Heilt feit").bold()),
        );
    let imported = import(&pack(docx), Format::Docx).unwrap();
    assert_eq!(
        body(&imported, "1"),
        "Fristen er **1. mars**, og planen heiter *Leve heile livet*.\n\nIkkje feit \\*stjerner\\* blir ståande\n\n- **Viktig**"
    );
    // Headings are titles: plain text.
    assert_eq!(
        outline(&imported),
        expected(&[("1", "Frister"), ("2", "Heilt feit")])
    );
}

mod emphasis_properties {
    //! Whatever runs a paragraph is made of, the Markdown keeps every word in order
    //! (markers stripped), and the markers read as emphasis, never as text.

    use super::*;
    use proptest::prelude::*;

    fn run_text() -> impl Strategy<Value = String> {
        "[ a-zA-ZæøåÆØÅ0-9.,:;!?()«»*_#<>-]{1,12}"
    }

    /// Markdown rendered to plain text, as readers see it.
    fn shown(markdown: &str) -> String {
        use pulldown_cmark::{Event, Parser, TagEnd};
        let mut text = String::new();
        for event in Parser::new(markdown) {
            match event {
                Event::Text(t) | Event::Code(t) => text.push_str(&t),
                Event::End(TagEnd::Emphasis | TagEnd::Strong) => {}
                Event::SoftBreak | Event::HardBreak | Event::End(_) => text.push(' '),
                _ => {}
            }
        }
        text
    }

    fn words(text: &str) -> Vec<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(96))]

        #[test]
        fn emphasis_keeps_every_word(runs in proptest::collection::vec((run_text(), any::<bool>(), any::<bool>()), 1..8)) {
            let mut paragraph = Paragraph::new();
            for (text, bold, italic) in &runs {
                let mut run = Run::new().add_text(text);
                if *bold { run = run.bold(); }
                if *italic { run = run.italic(); }
                paragraph = paragraph.add_run(run);
            }
            let docx = styles_and_lists(Docx::new())
                .add_paragraph(text(Some("Heading1"), "Tittel"))
                .add_paragraph(paragraph);
            let imported = import(&pack(docx), Format::Docx).unwrap();
            let all: String = runs.iter().map(|(t, _, _)| t.as_str()).collect();
            let body = imported.sections.last().map(|s| s.body.clone()).unwrap_or_default();
            // What readers see is the text of the runs, word for word: no marker shows.
            prop_assert_eq!(words(&shown(&body)), words(&all), "markdown: {}", body);
        }
    }
}
