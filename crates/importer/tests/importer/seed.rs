//! The Alver planning programme from `../shared/seeds/`: real text extracted
//! from a PDF, with a title page, a table of contents, page footers, bullets,
//! wrapped lines and a progress table.

use crate::support::{expected, outline};

const SEED: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../../shared/seeds/002_ec8b448d3d8b0d56.txt"
);
const FOOTER: &str =
    "Forslag til planprogram – Kommunedelplan for helse, sosial og omsorg – Alver kommune";

fn seed() -> importer::Imported {
    let bytes = std::fs::read(SEED).unwrap_or_else(|e| {
        panic!("the seed document {SEED} is missing ({e}): it must be checked out beside the repository as shared/seeds/")
    });
    importer::import(&bytes, importer::Format::Text).expect("the seed imports")
}

#[test]
#[ignore = "reads the real documents in ../shared/seeds/; .ci/run runs it with --ignored where they exist"]
fn alver_planning_programme_imports_to_its_outline() {
    let imported = seed();
    let numbered: Vec<(String, String)> = outline(&imported)
        .into_iter()
        .filter(|(n, _)| !n.is_empty())
        .collect();
    assert_eq!(
        numbered,
        expected(&[
            ("1", "Innleiing"),
            ("2", "Slik jobbar Alver med planlegging"),
            (
                "2.1",
                "Kva er ein kommunedelplan og tilhøvet til andre planar"
            ),
            (
                "2.2",
                "Handlingsdel – Frå mål til gjennomføring integrert i økonomiplan og budsjett"
            ),
            ("2.3", "Berebjelkar i planarbeid"),
            ("3", "Kommunedelplan – Organisering av arbeidet"),
            (
                "3.1",
                "Roller og ansvar i arbeidet med kommunedelplanen helse, sosial og omsorg"
            ),
            ("3.2", "Planprosess og kva er eit planprogram"),
            ("3.3", "Framdriftsplan for planprosess"),
            ("3.4", "Ramme for medverknad"),
            ("3.5", "Plan for innbyggjarinvolvering og kommunikasjon"),
            ("4", "Utvilingstrekk og sentrale tema"),
            ("4.1", "Desse lokale planane og rapportane byggjer vi på"),
            (
                "4.2",
                "Sentrale utfordringar, forslag til tema og forming av styringsdokumenta"
            ),
            ("5", "Nasjonale, regionale og lokale føringar"),
            ("5.1", "Nasjonale føringar"),
            ("5.2", "Regionale føringar"),
            ("5.3", "Lokale føringar"),
            ("5.4", "Lovverk og andre sentrale føringar"),
        ])
    );
    let levels: Vec<i32> = imported
        .sections
        .iter()
        .filter(|s| !s.number.is_empty())
        .map(|s| s.level)
        .collect();
    assert_eq!(
        levels,
        [1, 1, 2, 2, 2, 1, 2, 2, 2, 2, 2, 1, 2, 2, 1, 2, 2, 2, 2]
    );
    // The progress chart is the one thing to check (next test); the outline is clean.
    assert_eq!(
        crate::support::warning_codes(&imported),
        ["looks_like_lost_table"]
    );
}

#[test]
#[ignore = "reads the real documents in ../shared/seeds/; .ci/run runs it with --ignored where they exist"]
fn alver_progress_chart_is_pointed_out_as_a_lost_table() {
    let imported = seed();
    let places: Vec<importer::Place> = imported
        .warnings
        .iter()
        .filter(|w| w.code == "looks_like_lost_table")
        .filter_map(|w| w.place)
        .collect();
    assert_eq!(places.len(), 1, "{:?}", imported.warnings);
    let place = places[0];
    let section = &imported.sections[place.section];
    assert_eq!(section.number, "3.3");
    let lines: Vec<&str> = section.body.lines().collect();
    let chart = lines[place.first_line - 1..place.last_line].join("\n");
    for cell in [
        "Framdrift - Planprogram",
        "Apr Mai Jun Juli",
        "Vedteken plan",
    ] {
        assert!(chart.contains(cell), "{cell} in {chart}");
    }
    let before = lines[..place.first_line - 1].join("\n");
    assert!(
        before.contains("skal samkøyrast."),
        "the sentence that introduces the chart is not part of it: {before}"
    );
}

#[test]
#[ignore = "reads the real documents in ../shared/seeds/; .ci/run runs it with --ignored where they exist"]
fn alver_preamble_is_the_title_page_only() {
    let imported = seed();
    let first = &imported.sections[0];
    assert_eq!(
        (first.number.as_str(), first.title.as_str(), first.level),
        ("", "", 1)
    );
    assert!(first.body.contains("Planprogram") && first.body.contains("Helse, Sosial og Omsorg"));
    assert!(
        !first.body.contains("Innhald"),
        "the table of contents title stays out: {}",
        first.body
    );
    assert_eq!(imported.sections[1].number, "1");
}

#[test]
#[ignore = "reads the real documents in ../shared/seeds/; .ci/run runs it with --ignored where they exist"]
fn alver_table_of_contents_and_page_furniture_are_gone() {
    let imported = seed();
    for section in &imported.sections {
        assert!(
            !section.body.contains(FOOTER),
            "footer left in {}: {}",
            section.number,
            section.body
        );
        assert!(
            !section.body.contains("Forslag til planprogram"),
            "footer left in {}",
            section.number
        );
        assert!(
            !section.body.contains("....."),
            "table of contents left in {}",
            section.number
        );
        let bare_numbers = section
            .body
            .lines()
            .filter(|l| l.trim().parse::<u32>().is_ok())
            .count();
        assert_eq!(
            bare_numbers, 0,
            "page number left in {}: {}",
            section.number, section.body
        );
    }
    // Every heading once: the table of contents gave no sections.
    let numbers: Vec<&str> = imported
        .sections
        .iter()
        .map(|s| s.number.as_str())
        .collect();
    let mut seen = std::collections::HashSet::new();
    let repeated: Vec<&str> = numbers
        .iter()
        .copied()
        .filter(|n| !seen.insert(*n))
        .collect();
    assert!(
        repeated.is_empty(),
        "repeated headings {repeated:?} in {numbers:?}"
    );
}

#[test]
#[ignore = "reads the real documents in ../shared/seeds/; .ci/run runs it with --ignored where they exist"]
fn alver_bodies_are_markdown_with_lists_and_joined_lines() {
    let imported = seed();
    let body = |n: &str| {
        &imported
            .sections
            .iter()
            .find(|s| s.number == n)
            .unwrap()
            .body
    };
    let intro = body("1");
    assert!(intro.starts_with(
        "Alver kommunestyre vedtok planstrategi for Alver kommune 2020-2023, sak 028/20 den 14.5.2020. Kommunedelplan"
    ), "{intro}");
    assert!(intro.contains(
        "\n- Innbyggarane -då den seier noko om kva ein kan forvente, korleis tenestene er utforma"
    ));
    // "helse, sosial-og omsorgsområdet" and "helse,sosial – og" are not hyphenations.
    assert!(intro.contains("helse, sosial-og omsorgsområdet"));
    assert!(intro.contains("helse,sosial – og omsorgstenestene"));
    let roles = body("3.1");
    assert!(roles.starts_with("- Politisk styringsgruppe\n  - Utval for helse og omsorg har det overordna ansvaret for kommunedelplanen for helse, sosial og omsorg.\n- Administrativ styringsgruppe"), "{roles}");
    assert!(
        body("3.3").contains("Medverknadsperiode"),
        "hyphenation across a line end is joined"
    );
    assert!(
        body("4.2").contains("\n\nAktuelle tema for kommunedelplanen\n\nTema for kommunedelplanen"),
        "{}",
        body("4.2")
    );
}
