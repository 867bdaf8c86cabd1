//! Tables and charts that lost their layout in the text are pointed out, with the
//! section and the lines of its body, and real tables, lists and prose are not.

use importer::{Place, import_markdown, import_text};

use crate::support::warning_codes;

/// A progress chart as a PDF's text layer gives it: cell texts one by one.
const CHART: &str = "\
1 Innleiing
Planen skal vere klar neste år.

2 Framdrift
Arbeidet går i to steg.

Framdrift 2023
Jan Feb Mar Apr Mai Jun
Jul Aug Sep Okt Nov Des
Oppstart
Medverknad-
periode

Planforum
Høyring og
offentleg ettersyn
Vedtak

3 Vidare arbeid
Planen blir rullert kvart fjerde år.
";

#[test]
fn a_progress_chart_that_became_word_soup_is_pointed_out() {
    let imported = import_text(CHART);
    assert_eq!(warning_codes(&imported), ["looks_like_lost_table"]);
    let warning = &imported.warnings[0];
    let section = warning.place.expect("a place").section;
    assert_eq!(imported.sections[section].number, "2");
    let body: Vec<&str> = imported.sections[section].body.lines().collect();
    let Place {
        first_line,
        last_line,
        ..
    } = warning.place.expect("a place");
    assert_eq!(body[first_line - 1], "Framdrift 2023");
    assert!(body[last_line - 1].ends_with("Vedtak"), "{body:?}");
    assert_eq!(
        last_line,
        body.len(),
        "the chart runs to the end of the section"
    );
    assert!(
        body[..first_line - 1]
            .iter()
            .any(|l| l.contains("Arbeidet går i to steg.")),
        "the sentence before the chart is not part of it"
    );
    assert!(
        warning.message.contains("2 «Framdrift»"),
        "{}",
        warning.message
    );
}

#[test]
fn a_table_of_figures_extracted_from_a_pdf_is_pointed_out() {
    let text = "\
1 Befolkning
Talet på eldre aukar fram mot 2040.

Aldersgruppe
2020
2030
2040

0–66 år
25 100 25 600 25 900

67–79 år
3 400 4 300 5 100

80 år og eldre
1 200 2 000 2 900

Kjelde SSB
";
    let imported = import_text(text);
    assert_eq!(warning_codes(&imported), ["looks_like_lost_table"]);
    assert_eq!(imported.warnings[0].place.map(|p| p.section), Some(0));
}

#[test]
fn prose_bullet_lists_titles_and_real_tables_are_not_lost_tables() {
    let prose = "\
1 Føringar
Dei viktigaste føringane er desse:

• Lov om kommunale helse- og omsorgstenester
• Lov om folkehelsearbeid
• Fastlegeforskrifta
• Akuttmedisinforskrifta
• Nasjonal strategi for frivillig arbeid
• Leve heile livet

Aktuelle tema for planen
I 2020 budde det 29 000 menneske i kommunen, og 1 200 av dei var over 80 år.
Planen gjeld frå januar 2022, med rullering i februar, mars eller april.
";
    assert!(
        import_text(prose).warnings.is_empty(),
        "{:?}",
        import_text(prose).warnings
    );
    let markdown = "\
# 1 Framdrift

| Steg | Jan | Feb | Mar |
| --- | --- | --- | --- |
| Oppstart | x | | |
| Høyring | | x | |
| Vedtak | | | x |
";
    assert!(import_markdown(markdown).warnings.is_empty());
}
