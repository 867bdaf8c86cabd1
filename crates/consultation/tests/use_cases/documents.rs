//! Every path that writes a document's sections goes through one rule.

use crate::support::open_hearing;
use consultation::documents::{DocumentError, ImportRequest, NewDocumentCommand, PREAMBLE_TITLE};
use domain::plan::{MAX_SECTIONS, NewSection, SectionsError};
use domain::version::{EditError, EditRow};

fn section(number: &str, title: &str) -> NewSection {
    NewSection {
        number: number.to_owned(),
        title: title.to_owned(),
        level: 1,
        body: String::new(),
    }
}

fn markdown(text: String) -> ImportRequest {
    ImportRequest {
        plan_id: domain::PlanId::new(),
        file_name: "planprogram.md".to_owned(),
        bytes: text.into_bytes(),
        format: Some("markdown".to_owned()),
        title: None,
        kind: None,
    }
}

#[tokio::test]
async fn an_import_names_its_preamble_and_refuses_more_sections_than_a_document_may_hold() {
    let world = open_hearing().await;
    let planner = world.planner();
    let mut request =
        markdown("Tekst før den første overskrifta.\n\n# 1 Innhald\n\nMeir.\n".to_owned());
    request.plan_id = world.plan.id;
    let draft = world
        .service
        .import_draft(&planner, "planner@alver.example", request)
        .await
        .expect("draft");
    assert_eq!(draft.sections[0].title, PREAMBLE_TITLE);
    assert!(draft.warnings.iter().any(|w| w.code == "untitled_section"));

    let many: String = (1..=MAX_SECTIONS + 1)
        .map(|i| format!("# {i} Del {i}\n\nTekst.\n\n"))
        .collect();
    let mut request = markdown(many);
    request.plan_id = world.plan.id;
    let refused = world
        .service
        .import_draft(&planner, "planner@alver.example", request)
        .await;
    assert!(
        matches!(refused, Err(DocumentError::Sections(SectionsError::Count(n))) if n > MAX_SECTIONS),
        "{refused:?}"
    );
}

#[tokio::test]
async fn the_api_the_editor_and_the_import_refuse_an_untitled_section_alike() {
    let world = open_hearing().await;
    let planner = world.planner();
    let created = world
        .service
        .create_document(
            &planner,
            world.plan.id,
            NewDocumentCommand {
                kind: "plan_proposal".to_owned(),
                title: "Planforslag".to_owned(),
                sections: vec![section("1", "Mål")],
            },
        )
        .await
        .expect("created");
    let untitled = world
        .service
        .publish_version(&planner, created.document.id, vec![section("1", " ")])
        .await;
    assert!(
        matches!(
            untitled,
            Err(DocumentError::Sections(SectionsError::Field {
                position: 1,
                ..
            }))
        ),
        "{untitled:?}"
    );
    let edited = world
        .service
        .publish_edit(
            &planner,
            created.document.id,
            vec![EditRow {
                section: section("", ""),
                position: 10,
                merge_up: false,
                delete: false,
            }],
        )
        .await;
    assert!(
        matches!(
            edited,
            Err(DocumentError::Sections(SectionsError::Field { .. }))
        ),
        "{edited:?}"
    );
    let merged_first = world
        .service
        .publish_edit(
            &planner,
            created.document.id,
            vec![EditRow {
                section: section("1", "Mål"),
                position: 10,
                merge_up: true,
                delete: false,
            }],
        )
        .await;
    assert!(matches!(
        merged_first,
        Err(DocumentError::Edit(EditError::NothingToMergeInto))
    ));
    assert_eq!(
        world
            .db()
            .versions_of(created.document.id)
            .await
            .expect("versions")
            .len(),
        1,
        "nothing refused was stored"
    );
}

#[tokio::test]
async fn someone_who_does_not_plan_the_plan_cannot_import_or_confirm() {
    let world = open_hearing().await;
    let mut request = markdown("# 1 Innhald\n\nTekst.\n".to_owned());
    request.plan_id = world.plan.id;
    let draft = world
        .service
        .import_draft(&world.planner(), "planner@alver.example", request)
        .await
        .expect("draft");
    let citizen = world.citizen("kari@example.org", "Kari").await;
    assert!(matches!(
        world.service.confirm_import(&citizen, draft.id).await,
        Err(DocumentError::NotSignedIn)
    ));
    let other_planner = domain::policy::Actor {
        person: None,
        roles: vec![
            domain::policy::Role::Staff {
                municipality: world.municipality,
            },
            domain::policy::Role::Planner {
                municipality: world.municipality,
                plan: domain::PlanId::new(),
            },
        ],
        ..Default::default()
    };
    assert!(matches!(
        world.service.confirm_import(&other_planner, draft.id).await,
        Err(DocumentError::ImportNotFound)
    ));
    let (document, created) = world
        .service
        .confirm_import(&world.planner(), draft.id)
        .await
        .expect("confirmed");
    assert!(created);
    let (again, created_again) = world
        .service
        .confirm_import(&world.planner(), draft.id)
        .await
        .expect("confirmed again");
    assert_eq!((again, created_again), (document, false));
}
