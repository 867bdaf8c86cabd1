//! Small hand-written fixtures, one for each plain-text rule.

use importer::import_text;

use crate::support::{body, expected, outline, warning_codes};

#[test]
fn numbered_headings_in_every_written_form() {
    let text = "1. Innleiing\nTekst.\n\n2 Planarbeid\nTekst.\n\n2.1 Kva er ein plan\nTekst.\n\n2.1.1. Detaljar\nTekst.\n\n3.0 Organisering\nTekst.\n\n3.1. Roller\n";
    let imported = import_text(text);
    assert_eq!(
        outline(&imported),
        expected(&[
            ("1", "Innleiing"),
            ("2", "Planarbeid"),
            ("2.1", "Kva er ein plan"),
            ("2.1.1", "Detaljar"),
            ("3.0", "Organisering"),
            ("3.1", "Roller"),
        ])
    );
    let levels: Vec<i32> = imported.sections.iter().map(|s| s.level).collect();
    assert_eq!(levels, [1, 1, 2, 3, 1, 2]);
    assert_eq!(body(&imported, "2.1.1"), "Tekst.");
    assert_eq!(body(&imported, "3.1"), "");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
}

#[test]
fn deep_numbers_like_2_6_3_follow_their_parents() {
    let text = "1 A\n\n2 B\n\n2.6 F\n\n2.6.3 Djup\nTekst\n";
    let imported = import_text(text);
    // 2 → 2.6 skips 2.1–2.5: too far for a heading, so 2.6 and 2.6.3 are text.
    assert_eq!(outline(&imported), expected(&[("1", "A"), ("2", "B")]));
    let imported = import_text("1 A\n\n2 B\n\n2.1 C\n\n2.1.1 D\n\n2.1.2 E\n\n2.1.3 Djup\n");
    assert_eq!(
        imported
            .sections
            .last()
            .map(|s| (s.number.as_str(), s.level)),
        Some(("2.1.3", 3))
    );
}

#[test]
fn table_of_contents_with_dot_leaders_gives_no_sections() {
    let text = "Planprogram\n\nInnhald\n1. Innleiing ............................ 2\n2. Slik jobbar vi ....................... 3\n2.1 Kva er ein kommunedelplan og tilhøvet til\nandre planar ........................... 3\n2.2 Handlingsdel . . . . . . . . . . . 4\n\n1. Innleiing\nTekst om planen.\n\n2. Slik jobbar vi\nMeir tekst.\n\n2.1 Kva er ein kommunedelplan og tilhøvet til andre planar\nTekst.\n\n2.2 Handlingsdel\nTekst.\n";
    let imported = import_text(text);
    assert_eq!(
        outline(&imported),
        expected(&[
            ("", ""),
            ("1", "Innleiing"),
            ("2", "Slik jobbar vi"),
            (
                "2.1",
                "Kva er ein kommunedelplan og tilhøvet til andre planar"
            ),
            ("2.2", "Handlingsdel"),
        ])
    );
    assert_eq!(imported.sections[0].body, "Planprogram");
    for section in &imported.sections {
        assert!(
            !section.body.contains("...") && !section.body.contains(". . ."),
            "{}",
            section.body
        );
    }
}

#[test]
fn table_of_contents_without_leaders_stays_in_the_preamble() {
    let text =
        "Innhald\n1 Innleiing 2\n2 Planarbeid 3\n\n1 Innleiing\nTekst.\n\n2 Planarbeid\nTekst.\n";
    let imported = import_text(text);
    assert_eq!(
        outline(&imported),
        expected(&[("", ""), ("1", "Innleiing"), ("2", "Planarbeid")])
    );
    assert!(imported.sections[0].body.contains("Innleiing 2"));
}

#[test]
fn running_footers_next_to_page_numbers_are_removed() {
    let footer = "Forslag til planprogram – Kommunedelplan – Alver kommune";
    let text = format!(
        "1. Innleiing\nFørste side med tekst som held\nfram.\n\n1\n{footer}\n\nAndre side med tekst.\n\n2\n{footer}\n\n2. Neste\nTredje side.\n\n3\n{footer}\n"
    );
    let imported = import_text(&text);
    assert_eq!(
        outline(&imported),
        expected(&[("1", "Innleiing"), ("2", "Neste")])
    );
    assert_eq!(
        body(&imported, "1"),
        "Første side med tekst som held fram.\n\nAndre side med tekst."
    );
    assert_eq!(body(&imported, "2"), "Tredje side.");
}

#[test]
fn running_headers_at_page_breaks_are_removed() {
    // pdftotext separates pages with form feeds; the header has a changing page number.
    let text = "Alver kommune side 1\n1. Innleiing\nTekst på første side.\x0cAlver kommune side 2\nTekst på andre side.\x0cAlver kommune side 3\n2. Mål\nTekst.\n";
    let imported = import_text(text);
    assert_eq!(
        outline(&imported),
        expected(&[("1", "Innleiing"), ("2", "Mål")])
    );
    assert_eq!(
        body(&imported, "1"),
        "Tekst på første side.\n\nTekst på andre side."
    );
}

#[test]
fn repeated_lines_inside_the_text_are_kept() {
    // Table rows repeat too; away from page edges they are content.
    let text = "1. Framdrift\nPlanforum\nHøyring og offentleg ettersyn\nTekst\nPlanforum\nHøyring og offentleg ettersyn\nSlutt.\n";
    let imported = import_text(text);
    assert_eq!(body(&imported, "1").matches("Planforum").count(), 2);
    assert_eq!(
        body(&imported, "1")
            .matches("Høyring og offentleg ettersyn")
            .count(),
        2
    );
}

#[test]
fn bare_page_numbers_are_removed() {
    let text = "1. Innleiing\nTekst.\n\n7\n\nMeir tekst.\n\n- 8 -\n\nSide 9 av 12\n\nSlutt.\n";
    let imported = import_text(text);
    assert_eq!(body(&imported, "1"), "Tekst.\n\nMeir tekst.\n\nSlutt.");
}

#[test]
fn dates_years_and_table_rows_are_not_headings() {
    let text = "1. Innleiing\nVedtaket kom\n\n14.5.2020. Kommunestyret vedtok planstrategien.\n\n2018. Det året vart kommunane slått saman.\n\n2021 Jan Feb Mar Apr Mai Jun Juli Aug Sep Okt Nov Des\n1 2 3 4 5 6 7 8 9 10 11 12\n2 Jan Feb Mar\n\n2. Neste kapittel\nTekst.\n";
    let imported = import_text(text);
    assert_eq!(
        outline(&imported),
        expected(&[("1", "Innleiing"), ("2", "Neste kapittel")])
    );
    let intro = body(&imported, "1");
    assert!(intro.contains("14.5.2020. Kommunestyret vedtok"), "{intro}");
    // Escaped, so that Markdown shows the year as text, not as a list numbered 2018.
    assert!(intro.contains("2018\\. Det året"), "{intro}");
    assert!(intro.contains("2021 Jan Feb Mar"), "{intro}");
}

#[test]
fn numbers_out_of_sequence_are_body_text() {
    let text = "1. Innleiing\nTekst.\n\n2. Mål\nTekst.\n\n1. Vi skal lytte\n\n9 Kommunar deltek\n\n2.1 Delmål\nTekst.\n";
    let imported = import_text(text);
    assert_eq!(
        outline(&imported),
        expected(&[("1", "Innleiing"), ("2", "Mål"), ("2.1", "Delmål")])
    );
    assert!(body(&imported, "2").contains("1\\. Vi skal lytte"));
    assert!(body(&imported, "2").contains("9 Kommunar deltek"));
}

#[test]
fn a_line_inside_a_sentence_is_not_a_heading() {
    let text = "1. Innleiing\nDette er omtalt i kapittel\n2 Organisering av arbeidet, som kjem seinare.\n\n2. Organisering\nTekst.\n";
    let imported = import_text(text);
    assert_eq!(
        outline(&imported),
        expected(&[("1", "Innleiing"), ("2", "Organisering")])
    );
}

#[test]
fn small_numbering_gaps_are_kept_with_a_warning() {
    let text = "1 Innleiing\n\n2 Plan\n\n2.1 A\n\n2.2 B\n\n2.3 C\n\n2.5 E\n\n3 Organisering\n";
    let imported = import_text(text);
    let numbers: Vec<&str> = imported
        .sections
        .iter()
        .map(|s| s.number.as_str())
        .collect();
    assert_eq!(numbers, ["1", "2", "2.1", "2.2", "2.3", "2.5", "3"]);
    assert_eq!(warning_codes(&imported), ["numbering_gap"]);
    assert_eq!(
        imported.warnings[0].message,
        "heading numbers jump from 2.3 to 2.5"
    );
}

#[test]
fn bullets_of_every_kind_become_markdown_lists() {
    let text = "1. Liste\nFøremålet er å:\n• Opplyse om mål\no Utval for helse\n\u{f0b7} Privat symbol\n✓ Hake\n➢ Pil\n- Strek\n• Tilbake til første nivå\n\nAvslutning.\n";
    let imported = import_text(text);
    assert_eq!(
        body(&imported, "1"),
        "Føremålet er å:\n\n- Opplyse om mål\n  - Utval for helse\n    - Privat symbol\n    - Hake\n    - Pil\n    - Strek\n- Tilbake til første nivå\n\nAvslutning."
    );
    let simple = import_text("1. Liste\n✓ Ein\n✓ To\n➢ Tre\n");
    assert_eq!(body(&simple, "1"), "- Ein\n- To\n  - Tre");
}

#[test]
fn wrapped_bullets_continue_their_item() {
    let text = "1. Liste\n• tilsette - planen skal gje ei felles forståing for utfordringar og\nsatsingsområde\n• Prosjektleiar har ansvar for arbeidet, og skal\n\nsørgje for framdrifta.\n";
    let imported = import_text(text);
    assert_eq!(
        body(&imported, "1"),
        "- tilsette - planen skal gje ei felles forståing for utfordringar og satsingsområde\n- Prosjektleiar har ansvar for arbeidet, og skal sørgje for framdrifta."
    );
}

#[test]
fn hyphenation_is_joined_only_for_word_continuations() {
    let text = "1. Tekst\nAvdelinga driv med plan-\nlegging for helse-\nog omsorg, helse-\nsosial-og omsorg og Nord-\nNorge i 2015-\n2020.\n";
    let imported = import_text(text);
    assert_eq!(
        body(&imported, "1"),
        "Avdelinga driv med planlegging for helse- og omsorg, helse- sosial-og omsorg og Nord- Norge i 2015- 2020."
    );
}

#[test]
fn hard_wraps_are_joined_and_blank_lines_separate_paragraphs() {
    let text = "1. Tekst\nDette er ein\nparagraf som er\nbroten.\n\nDette er neste.\n\n\n\nOg ein tredje.\n";
    let imported = import_text(text);
    assert_eq!(
        body(&imported, "1"),
        "Dette er ein paragraf som er broten.\n\nDette er neste.\n\nOg ein tredje."
    );
}

#[test]
fn text_before_the_first_heading_is_a_preamble() {
    let imported = import_text("Planprogram\n(Framlegg)\n\n1. Innleiing\nTekst.\n");
    assert_eq!(
        outline(&imported),
        expected(&[("", ""), ("1", "Innleiing")])
    );
    assert_eq!(
        (
            imported.sections[0].level,
            imported.sections[0].body.as_str()
        ),
        (1, "Planprogram (Framlegg)")
    );
    let no_preamble = import_text(" \n\n\t\n1. Innleiing\nTekst.\n");
    assert_eq!(outline(&no_preamble), expected(&[("1", "Innleiing")]));
}

#[test]
fn text_without_headings_is_one_section_with_a_warning() {
    let imported = import_text("Eit brev utan overskrifter.\n\nAndre avsnitt.\n");
    assert_eq!(imported.sections.len(), 1);
    let section = &imported.sections[0];
    assert_eq!(
        (
            section.number.as_str(),
            section.title.as_str(),
            section.level
        ),
        ("", "", 1)
    );
    assert_eq!(
        section.body,
        "Eit brev utan overskrifter.\n\nAndre avsnitt."
    );
    assert_eq!(warning_codes(&imported), ["no_headings"]);
    assert_eq!(
        imported.warnings[0].message,
        "no headings found: imported as one section"
    );
}

#[test]
fn blank_text_gives_no_sections() {
    let imported = import_text(" \n\n");
    assert!(imported.sections.is_empty());
}

#[test]
fn markup_in_text_is_escaped() {
    let imported = import_text(
        "1. Tekst\n# ikkje ei overskrift\n\n> ikkje eit sitat og *ikkje* <b>html</b>\n",
    );
    assert_eq!(
        body(&imported, "1"),
        "\\# ikkje ei overskrift\n\n\\> ikkje eit sitat og \\*ikkje\\* \\<b>html\\</b>"
    );
}

#[test]
fn windows_line_ends_and_byte_order_mark_are_handled() {
    let imported = importer::import(
        b"\xEF\xBB\xBF1. Innleiing\r\nTekst som\r\ner broten.\r\n",
        importer::Format::Text,
    )
    .unwrap();
    assert_eq!(outline(&imported), expected(&[("1", "Innleiing")]));
    assert_eq!(body(&imported, "1"), "Tekst som er broten.");
}

#[test]
fn ten_thousand_headings_are_imported() {
    let mut text = String::new();
    for chapter in 1..=99 {
        text.push_str(&format!("{chapter} Kapittel\nTekst.\n\n"));
        for section in 1..=99 {
            text.push_str(&format!("{chapter}.{section} Del\nTekst.\n\n"));
        }
    }
    let imported = import_text(&text);
    assert_eq!(imported.sections.len(), 99 * 100);
    assert_eq!(imported.sections[100].number, "2");
    assert!(imported.sections.iter().all(|s| s.body == "Tekst."));
    assert!(imported.warnings.is_empty());
}

#[test]
fn a_heading_title_wrapped_onto_the_next_line_is_joined() {
    let text = "2.2 Handlingsdel – Frå mål til gjennomføring integrert i økonomiplan\nog budsjett\nKommunedelplanen er ein del av styringa.\n\n2.3 Neste\no punkt under\n";
    let imported = import_text(&format!("1 A\n\n2 B\n\n2.1 C\n\n{text}"));
    assert_eq!(
        imported.sections[3].title,
        "Handlingsdel – Frå mål til gjennomføring integrert i økonomiplan og budsjett"
    );
    assert_eq!(
        imported.sections[3].body,
        "Kommunedelplanen er ein del av styringa."
    );
    assert_eq!(
        (
            imported.sections[4].title.as_str(),
            imported.sections[4].body.as_str()
        ),
        ("Neste", "- punkt under")
    );
}

#[test]
fn an_indented_numbered_heading_after_running_text_and_a_bar_footer_are_recognised() {
    // The shape of other municipalities' PDFs: a heading set in, right under a line of
    // text that stops without a full stop, and a footer with the page number after a
    // bar that shows up once.
    let text = "Kommunedelplan for helse og omsorg\n\
                Dette dokumentet er utarbeidet av prosjektgruppen\n    \
                1.0 Innledning\n\
                Kommunen skal lage en plan for helse.\n\
                Alver kommune | 6\n    \
                2.0 Mål for planarbeidet\n\
                Målene er mange.\n    \
                2.1 Medvirkning\n\
                Eldrerådet deltar.\n";
    let imported = importer::import(text.as_bytes(), importer::Format::Text).expect("imports");
    let outline: Vec<(&str, &str)> = imported
        .sections
        .iter()
        .map(|s| (s.number.as_str(), s.title.as_str()))
        .collect();
    assert_eq!(
        outline,
        vec![
            ("", ""),
            ("1.0", "Innledning"),
            ("2.0", "Mål for planarbeidet"),
            ("2.1", "Medvirkning"),
        ]
    );
    assert!(
        imported.sections.iter().all(|s| !s.body.contains("| 6")),
        "the footer is dropped"
    );
    assert_eq!(
        imported.sections[1].body,
        "Kommunen skal lage en plan for helse."
    );
    assert!(imported.warnings.iter().all(|w| w.code != "numbering_gap"));
    // Running text that merely starts with a number, not set apart, stays text.
    let prose =
        "Planen gjeld for perioden som er nemnd i\n1.0 Innledning er ikkje ein tittel her\n";
    let prose = importer::import(prose.as_bytes(), importer::Format::Text).expect("imports");
    assert!(
        prose.sections.iter().all(|s| s.number.is_empty()),
        "{:?}",
        prose.sections
    );
}
