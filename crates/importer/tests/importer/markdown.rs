//! Markdown fixtures: ATX and setext headings, numbers in titles, and
//! hierarchical numbering when the document has none.

use importer::{Format, import, import_markdown};

use crate::support::{body, expected, outline, warning_codes};

#[test]
fn atx_headings_with_numbers_in_the_titles() {
    let text = "# Planprogram\n\nFramlegg til høyring.\n\n## 1 Innleiing\n\nTekst med *vekt* og ei liste:\n\n- ein\n- to\n\n## 2. Organisering ##\n\n### 3.1 Roller og ansvar\n\n| Rolle | Ansvar |\n|---|---|\n| A | B |\n";
    let imported = import_markdown(text);
    assert_eq!(
        outline(&imported),
        expected(&[
            ("", "Planprogram"),
            ("1", "Innleiing"),
            ("2", "Organisering"),
            ("3.1", "Roller og ansvar"),
        ])
    );
    let levels: Vec<i32> = imported.sections.iter().map(|s| s.level).collect();
    assert_eq!(levels, [1, 1, 1, 2]);
    assert_eq!(imported.sections[0].body, "Framlegg til høyring.");
    assert_eq!(
        body(&imported, "1"),
        "Tekst med *vekt* og ei liste:\n\n- ein\n- to"
    );
    assert_eq!(body(&imported, "2"), "");
    assert_eq!(
        body(&imported, "3.1"),
        "| Rolle | Ansvar |\n|---|---|\n| A | B |"
    );
    // "2" → "3.1" skips chapter 3: kept, with a warning.
    assert_eq!(warning_codes(&imported), ["numbering_gap"]);
    assert_eq!(
        imported.warnings[0].message,
        "heading numbers jump from 2 to 3.1"
    );
}

#[test]
fn setext_headings_are_numbered_by_level() {
    let text = "Innleiing\n=========\n\nTekst.\n\nBakgrunn\n--------\n\nMeir tekst.\n\nMål\n---\n\nOrganisering\n============\n";
    let imported = import_markdown(text);
    assert_eq!(
        outline(&imported),
        expected(&[
            ("1", "Innleiing"),
            ("1.1", "Bakgrunn"),
            ("1.2", "Mål"),
            ("2", "Organisering")
        ])
    );
    let levels: Vec<i32> = imported.sections.iter().map(|s| s.level).collect();
    assert_eq!(levels, [1, 2, 2, 1]);
    assert_eq!(body(&imported, "1.1"), "Meir tekst.");
}

#[test]
fn numbering_starts_at_the_top_level_used_and_skips_no_level() {
    let imported = import_markdown("## A\n\n#### B\n\n### C\n\n## D\n");
    assert_eq!(
        outline(&imported),
        expected(&[("1", "A"), ("1.1", "B"), ("1.2", "C"), ("2", "D")])
    );
}

#[test]
fn headings_in_code_quotes_and_lists_are_body_text() {
    let text =
        "# Ein\n\n```\n# ikkje\n```\n\n> # sitat\n\n- # i liste\n\n    # kodeblokk\n\n# To\n";
    let imported = import_markdown(text);
    assert_eq!(outline(&imported), expected(&[("1", "Ein"), ("2", "To")]));
    assert!(body(&imported, "1").contains("# ikkje") && body(&imported, "1").contains("> # sitat"));
}

#[test]
fn inline_markup_in_titles_is_plain_text() {
    let imported = import_markdown("## 4.2 Sentrale *utfordringar* og `tema`\n");
    assert_eq!(
        outline(&imported),
        expected(&[("4.2", "Sentrale utfordringar og tema")])
    );
}

#[test]
fn preamble_front_matter_and_no_headings() {
    let imported = import_markdown("---\ntitle: Plan\n---\nIntro.\n\n# 1 Innleiing\n");
    assert_eq!(
        outline(&imported),
        expected(&[("", ""), ("1", "Innleiing")])
    );
    assert_eq!(imported.sections[0].body, "Intro.");
    let imported = import_markdown("Berre tekst.\n");
    assert_eq!(outline(&imported), expected(&[("", "")]));
    assert_eq!(warning_codes(&imported), ["no_headings"]);
}

#[test]
fn markdown_bytes_with_a_byte_order_mark() {
    let imported = import(b"\xEF\xBB\xBF# Innleiing\nTekst.\n", Format::Markdown).unwrap();
    assert_eq!(outline(&imported), expected(&[("1", "Innleiing")]));
    assert_eq!(
        Format::detect("plan.md", b"# Innleiing"),
        Some(Format::Markdown)
    );
    assert_eq!(
        Format::detect("PLAN.MARKDOWN", b"# Innleiing"),
        Some(Format::Markdown)
    );
    assert_eq!(
        Format::detect("plan.txt", b"1. Innleiing"),
        Some(Format::Text)
    );
    assert_eq!(Format::detect("plan", b"1. Innleiing"), None);
}
