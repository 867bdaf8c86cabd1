//! The planner corrects an imported outline before saving it: merge, split, rename,
//! change the level. Every correction goes through the section rule, a refused one
//! changes nothing, and the confirmed document holds the corrected outline.

use crate::support::{World, open_hearing};
use consultation::documents::{DocumentError, ImportRequest};
use db::ImportDraft;
use domain::outline::{OutlineEdit, OutlineEditError};
use domain::plan::SectionsError;

/// A planning programme as a PDF's text layer gives it, with a progress chart whose
/// cells run together, and an unnumbered sub-heading the importer reads as text.
const PROGRAMME: &str = "\
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

async fn draft(world: &World) -> ImportDraft {
    world
        .service
        .import_draft(
            &world.planner(),
            "planner@alver.example",
            ImportRequest {
                plan_id: world.plan.id,
                file_name: "planprogram.txt".to_owned(),
                bytes: PROGRAMME.as_bytes().to_vec(),
                format: Some("text".to_owned()),
                title: None,
                kind: None,
            },
        )
        .await
        .expect("draft")
}

fn titles(draft: &ImportDraft) -> Vec<(&str, &str, i32)> {
    draft
        .sections
        .iter()
        .map(|s| (s.number.as_str(), s.title.as_str(), s.level))
        .collect()
}

fn lost_tables(draft: &ImportDraft) -> Vec<db::DraftPlace> {
    draft
        .warnings
        .iter()
        .filter(|w| w.code == "looks_like_lost_table")
        .filter_map(|w| w.place)
        .collect()
}

#[tokio::test]
async fn a_corrected_outline_is_what_the_confirmed_document_holds() {
    let world = open_hearing().await;
    let planner = world.planner();
    let draft = draft(&world).await;
    assert_eq!(draft.revision, 0);
    let [chart] = lost_tables(&draft)[..] else {
        panic!("one lost table: {:?}", draft.warnings)
    };
    assert_eq!(draft.sections[chart.section].number, "2");

    // The chart becomes a part of its own, at the line where the warning says it starts.
    let edit = |revision, edit| planner_edit(&world, draft.id, revision, edit);
    let split = edit(
        0,
        OutlineEdit::Split {
            section: chart.section,
            line: chart.first_line,
            number: "2.1".to_owned(),
            title: "Framdriftsplan".to_owned(),
        },
    )
    .await
    .expect("split");
    assert_eq!(split.revision, 1);
    assert_eq!(
        titles(&split),
        [
            ("1", "Innleiing", 1),
            ("2", "Framdrift", 1),
            ("2.1", "Framdriftsplan", 1),
            ("3", "Vidare arbeid", 1)
        ]
    );
    assert_eq!(split.sections[1].body, "Arbeidet går i to steg.");
    // The warning follows the chart to its new part.
    let moved = lost_tables(&split);
    assert_eq!(moved.len(), 1, "{:?}", split.warnings);
    assert_eq!((moved[0].section, moved[0].first_line), (2, 1));

    let leveled = edit(
        1,
        OutlineEdit::SetLevel {
            section: 2,
            level: 2,
        },
    )
    .await
    .expect("level");
    let renamed = edit(
        leveled.revision,
        OutlineEdit::Rename {
            section: 3,
            number: "3".to_owned(),
            title: "Rullering av planen".to_owned(),
        },
    )
    .await
    .expect("rename");
    let merged = edit(renamed.revision, OutlineEdit::MergeUp { section: 1 })
        .await
        .expect("merge");
    assert_eq!(
        titles(&merged),
        [
            ("1", "Innleiing", 1),
            ("2.1", "Framdriftsplan", 2),
            ("3", "Rullering av planen", 1)
        ]
    );
    assert_eq!(
        merged.sections[0].body,
        "Planen skal vere klar neste år.\n\n2 Framdrift\n\nArbeidet går i to steg.",
        "the merged part's heading stays as text"
    );

    let (document, created) = world
        .service
        .confirm_import(&planner, draft.id)
        .await
        .expect("confirm");
    assert!(created);
    let version = world.db().latest_version(document).await.expect("version");
    let stored: Vec<(String, String, i32, String)> = world
        .db()
        .sections_of(version.id)
        .await
        .expect("sections")
        .into_iter()
        .map(|s| (s.number, s.title, s.level, s.body))
        .collect();
    let expected: Vec<(String, String, i32, String)> = merged
        .sections
        .iter()
        .map(|s| (s.number.clone(), s.title.clone(), s.level, s.body.clone()))
        .collect();
    assert_eq!(stored, expected);

    // A confirmed draft is a document now: its outline is corrected in the editor.
    let late = edit(
        merged.revision,
        OutlineEdit::SetLevel {
            section: 0,
            level: 2,
        },
    )
    .await;
    assert!(
        matches!(late, Err(DocumentError::ImportConfirmed)),
        "{late:?}"
    );
}

async fn planner_edit(
    world: &World,
    id: uuid::Uuid,
    revision: i32,
    edit: OutlineEdit,
) -> Result<ImportDraft, DocumentError> {
    world
        .service
        .edit_import(&world.planner(), id, revision, edit)
        .await
}

#[tokio::test]
async fn a_refused_correction_says_why_and_changes_nothing() {
    let world = open_hearing().await;
    let draft = draft(&world).await;
    let edit = |revision, edit| planner_edit(&world, draft.id, revision, edit);
    let cases: Vec<(i32, OutlineEdit, &str)> = vec![
        (5, OutlineEdit::MergeUp { section: 1 }, "outline_changed"),
        (
            0,
            OutlineEdit::MergeUp { section: 0 },
            "nothing_to_merge_into",
        ),
        (
            0,
            OutlineEdit::SetLevel {
                section: 9,
                level: 2,
            },
            "unknown_section",
        ),
        (
            0,
            OutlineEdit::SetLevel {
                section: 1,
                level: 7,
            },
            "invalid_level",
        ),
        (
            0,
            OutlineEdit::Split {
                section: 1,
                line: 2,
                number: String::new(),
                title: "Ny".to_owned(),
            },
            "unknown_line",
        ),
        (
            0,
            OutlineEdit::Rename {
                section: 1,
                number: "2".to_owned(),
                title: "  ".to_owned(),
            },
            "validation_failed",
        ),
    ];
    for (revision, correction, code) in cases {
        let refused = edit(revision, correction.clone()).await;
        let got = match &refused {
            Err(DocumentError::OutlineChanged) => "outline_changed",
            Err(DocumentError::Outline(e)) => e.code(),
            Err(DocumentError::Sections(e)) => e.code(),
            other => panic!("{correction:?}: {other:?}"),
        };
        assert_eq!(got, code, "{correction:?}");
    }
    assert!(matches!(
        edit(0, OutlineEdit::MergeUp { section: 0 }).await,
        Err(DocumentError::Outline(OutlineEditError::NothingToMergeInto))
    ));
    assert!(matches!(
        edit(
            0,
            OutlineEdit::SetLevel {
                section: 1,
                level: 0
            }
        )
        .await,
        Err(DocumentError::Sections(SectionsError::Level { .. }))
    ));
    let unchanged = world
        .service
        .own_import(&world.planner(), draft.id)
        .await
        .expect("draft");
    assert_eq!(unchanged, draft, "nothing was written");

    // The same correction sent twice (a double click) is made once.
    edit(0, OutlineEdit::MergeUp { section: 2 })
        .await
        .expect("merge");
    let twice = edit(0, OutlineEdit::MergeUp { section: 2 }).await;
    assert!(
        matches!(twice, Err(DocumentError::OutlineChanged)),
        "{twice:?}"
    );

    // Someone who may not change the plan learns nothing about the draft.
    let citizen = world.citizen("ola@example.org", "Ola").await;
    let stranger = world
        .service
        .edit_import(&citizen, draft.id, 1, OutlineEdit::MergeUp { section: 1 })
        .await;
    assert!(
        matches!(stranger, Err(DocumentError::NotSignedIn)),
        "{stranger:?}"
    );
}

/// A Word document with one heading and, if given, a Title property.
fn docx(title: Option<&str>) -> Vec<u8> {
    use std::io::Write;
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut bytes);
    let options = zip::write::SimpleFileOptions::default();
    zip.start_file("word/document.xml", options).expect("zip");
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:r><w:t>1 Innleiing</w:t></w:r></w:p><w:p><w:r><w:t>Planen er </w:t></w:r><w:r><w:rPr><w:b/></w:rPr><w:t>viktig</w:t></w:r><w:r><w:t>.</w:t></w:r></w:p></w:body></w:document>"#).expect("zip");
    if let Some(title) = title {
        zip.start_file("docProps/core.xml", options).expect("zip");
        write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:title>{title}</dc:title></cp:coreProperties>"#).expect("zip");
    }
    zip.finish().expect("zip");
    bytes.into_inner()
}

#[tokio::test]
async fn a_word_documents_title_property_names_the_draft_unless_the_planner_names_it() {
    let world = open_hearing().await;
    let planner = world.planner();
    let import = |bytes: Vec<u8>, title: Option<&str>| {
        world.service.import_draft(
            &planner,
            "planner@alver.example",
            ImportRequest {
                plan_id: world.plan.id,
                file_name: "kdp_hso_v3_endeleg.docx".to_owned(),
                bytes,
                format: None,
                title: title.map(str::to_owned),
                kind: None,
            },
        )
    };
    let titled = import(docx(Some("Planprogram for helse og omsorg")), None)
        .await
        .expect("draft");
    assert_eq!(titled.title, "Planprogram for helse og omsorg");
    assert_eq!(titled.sections[0].body, "Planen er **viktig**.");
    let named = import(
        docx(Some("Planprogram for helse og omsorg")),
        Some("Mitt namn"),
    )
    .await
    .expect("draft");
    assert_eq!(named.title, "Mitt namn");
    let untitled = import(docx(None), None).await.expect("draft");
    assert_eq!(
        untitled.title, "kdp_hso_v3_endeleg",
        "the file name, as before"
    );
}
