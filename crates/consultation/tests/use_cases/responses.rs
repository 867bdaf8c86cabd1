//! Official responses: one per organisation per hearing with every version kept,
//! attachments checked by content, the receipt queued with the version.

use crate::support::{World, open_hearing};
use consultation::responses::{ResponseError, Submission, SubmittedFile};
use domain::email::Email;
use domain::event::EventPayload;
use domain::group::{GroupKind, MemberRole};
use domain::organisation::OrganisationKind;
use domain::policy::{Actor, Role};
use domain::{OrganisationId, PersonId};

const PDF: &[u8] = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n";

async fn pdf(world: &World, name: &str) -> SubmittedFile {
    world.file(name, PDF).await
}

fn letter(text: &str, organisation: Option<OrganisationId>) -> Submission {
    Submission {
        text: text.to_owned(),
        organisation_id: organisation,
        ..Submission::default()
    }
}

/// A representative of an organisation in the world's municipality, with the roles
/// a session bound to the municipality loads for them.
pub(crate) async fn representative(
    world: &World,
    email: &str,
    name: &str,
) -> (Actor, PersonId, OrganisationId) {
    let db = world.db();
    let organisation = db
        .create_organisation(
            world.municipality,
            "Alver eldreråd",
            OrganisationKind::Council,
        )
        .await
        .expect("organisation");
    let group = db
        .create_group(world.plan.id, GroupKind::ElderCouncil, "Eldrerådet")
        .await
        .expect("group");
    let person = db
        .ensure_person(email, name, domain::Lang::Nn)
        .await
        .expect("person");
    db.add_member(
        group.id,
        person.id,
        MemberRole::OrganisationRepresentative,
        Some(organisation.id),
    )
    .await
    .expect("member");
    let signed_in = world.signed_in(person.id, Some(world.municipality)).await;
    let actor = world.service.actor_for(&signed_in).await;
    assert!(
        actor.roles.contains(&Role::Representative {
            municipality: world.municipality,
            organisation: organisation.id,
        }),
        "{actor:?}"
    );
    (actor, person.id, organisation.id)
}

#[tokio::test]
async fn a_second_submission_for_the_same_organisation_is_a_new_version_of_the_same_response() {
    let world = open_hearing().await;
    let (kari, _, organisation) = representative(&world, "kari@example.org", "Kari Nordmann").await;
    let first = world
        .service
        .submit_response(
            &kari,
            world.hearing.id,
            letter("Fyrste utkast.", Some(organisation)),
        )
        .await
        .expect("first");
    assert!(first.created);
    assert_eq!(first.version, 1);
    // A colleague who represents the same organisation revises it.
    let db = world.db();
    let ola = db
        .ensure_person("ola@example.org", "Ola Nordmann", domain::Lang::Nn)
        .await
        .expect("person");
    let ola = Actor::person(
        ola.id,
        vec![Role::Representative {
            municipality: world.municipality,
            organisation,
        }],
    );
    let second = world
        .service
        .submit_response(
            &ola,
            world.hearing.id,
            letter("Endeleg svar.", Some(organisation)),
        )
        .await
        .expect("second");
    assert!(second.created);
    assert_eq!(second.version, 2);
    assert_eq!(second.response.id, first.response.id, "the same response");
    let stored = db
        .responses_of_hearing(world.hearing.id)
        .await
        .expect("responses");
    assert_eq!(stored.len(), 1, "one response per organisation per hearing");
    let texts: Vec<&str> = stored[0].versions.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Fyrste utkast.", "Endeleg svar."],
        "every version kept"
    );
    assert_eq!(stored[0].versions[1].person_name, "Ola Nordmann");
    let announced = world
        .events()
        .iter()
        .filter(|e| matches!(&e.payload, EventPayload::ResponseSubmitted(_)))
        .count();
    assert_eq!(announced, 2, "each version is announced after its commit");
}

#[tokio::test]
async fn a_revision_after_the_deadline_is_refused_and_the_versions_stay_as_they_were() {
    let world = open_hearing().await;
    let (kari, _, organisation) = representative(&world, "kari@example.org", "Kari Nordmann").await;
    world
        .service
        .submit_response(
            &kari,
            world.hearing.id,
            letter("I tide.", Some(organisation)),
        )
        .await
        .expect("on time");
    world.clock.set(
        world
            .hearing
            .deadline
            .checked_add(jiff::SignedDuration::from_mins(1))
            .expect("after"),
    );
    let events_before = world.events().len();
    let mut revision = letter("For seint.", Some(organisation));
    revision.files.push(pdf(&world, "vedlegg.pdf").await);
    let refused = world
        .service
        .submit_response(&kari, world.hearing.id, revision)
        .await;
    assert!(
        matches!(refused, Err(ResponseError::DeadlinePassed)),
        "{refused:?}"
    );
    let stored = world
        .db()
        .responses_of_hearing(world.hearing.id)
        .await
        .expect("responses");
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].versions.len(), 1, "no version was added");
    assert_eq!(stored[0].versions[0].text, "I tide.");
    assert_eq!(world.events().len(), events_before, "nothing announced");
    assert!(world.stored_files().await.is_empty(), "no file was kept");

    // A first response from someone else after the deadline is kept, marked late.
    let ola = world.citizen("ola@example.org", "Ola Nordmann").await;
    let late = world
        .service
        .submit_response(&ola, world.hearing.id, letter("Seint, men viktig.", None))
        .await
        .expect("a first late response is kept");
    assert!(late.response.late);
}

#[tokio::test]
async fn an_attachment_that_is_not_really_a_pdf_or_docx_is_refused_and_nothing_is_stored() {
    let world = open_hearing().await;
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    let mut submission = letter("Sjå vedlegga.", None);
    // A real PDF first, so a use case that stored files one by one would leave it.
    submission.files.push(pdf(&world, "notat.pdf").await);
    submission.files.push(
        world
            .file("skjema.pdf", b"<html><script>alert(1)</script></html>")
            .await,
    );
    let refused = world
        .service
        .submit_response(&kari, world.hearing.id, submission)
        .await;
    match refused {
        Err(ResponseError::UnsupportedAttachment(name)) => assert_eq!(name, "skjema.pdf"),
        other => panic!("expected an unsupported attachment, got {other:?}"),
    }
    assert_eq!(
        world.stored_files().await,
        Vec::<String>::new(),
        "no file in the folder"
    );
    assert!(
        world
            .db()
            .responses_of_hearing(world.hearing.id)
            .await
            .expect("responses")
            .is_empty(),
        "no response row"
    );
    assert!(world.events().is_empty(), "nothing announced");
    assert_eq!(world.email_wakes(), 0, "no receipt");

    // The same letter with only the real PDF is stored, its file under a generated name.
    let mut submission = letter("Sjå vedlegget.", None);
    submission.files.push(pdf(&world, "notat.pdf").await);
    let stored = world
        .service
        .submit_response(&kari, world.hearing.id, submission)
        .await
        .expect("stored");
    let attachment = &stored.response.attachments[0];
    assert_eq!(attachment.file_name, "notat.pdf");
    assert_eq!(
        world.stored_files().await,
        vec![attachment.storage_name.clone()]
    );
    let (found, bytes) = world
        .service
        .attachment(&kari, stored.response.id, attachment.id)
        .await
        .expect("its author reads it");
    assert_eq!(found.id, attachment.id);
    assert_eq!(bytes.read_to_end().await.expect("read"), PDF);
    let stranger = world.citizen("ola@example.org", "Ola Nordmann").await;
    assert!(matches!(
        world
            .service
            .attachment(&stranger, stored.response.id, attachment.id)
            .await,
        Err(ResponseError::ResponseNotFound)
    ));
}

#[tokio::test]
async fn the_receipt_is_queued_with_the_version_and_the_worker_is_woken() {
    let world = open_hearing().await;
    let (kari, _, organisation) = representative(&world, "kari@example.org", "Kari Nordmann").await;
    let mut submission = letter("Eldrerådet meiner …", Some(organisation));
    submission.files.push(pdf(&world, "uttale.pdf").await);
    let submitted = world
        .service
        .submit_response(&kari, world.hearing.id, submission)
        .await
        .expect("stored");
    assert!(submitted.queued_email);
    assert_eq!(
        world.email_wakes(),
        1,
        "the publisher was told an email waits"
    );
    let receipts: Vec<_> = world
        .outbox()
        .await
        .into_iter()
        .filter_map(|job| match job.envelope.email {
            Email::ResponseReceipt {
                version,
                organisation_name,
                attachments,
                link,
                ..
            } => Some((job.recipient, version, organisation_name, attachments, link)),
            _ => None,
        })
        .collect();
    assert_eq!(receipts.len(), 1, "one receipt");
    let (recipient, version, organisation_name, attachments, link) = &receipts[0];
    assert_eq!(recipient, "kari@example.org");
    assert_eq!(*version, 1);
    assert_eq!(organisation_name.as_deref(), Some("Alver eldreråd"));
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0].file_name, "uttale.pdf");
    assert_eq!(
        link,
        &format!(
            "https://samrad.example/hearings/{}/response?organisation={organisation}",
            world.hearing.id
        )
    );

    // A retry with the same key stores nothing new and queues no second receipt.
    let key = uuid::Uuid::new_v4();
    let mut again = letter("Tillegg.", Some(organisation));
    again.idempotency_key = Some(key);
    world
        .service
        .submit_response(&kari, world.hearing.id, again.clone())
        .await
        .expect("second version");
    let retried = world
        .service
        .submit_response(&kari, world.hearing.id, again)
        .await
        .expect("retry");
    assert!(!retried.created);
    assert_eq!(world.email_wakes(), 2, "one wake per stored version");
    let receipts = world
        .outbox()
        .await
        .into_iter()
        .filter(|job| matches!(job.envelope.email, Email::ResponseReceipt { .. }))
        .count();
    assert_eq!(receipts, 2);
}

/// Another representative of `organisation`, as the first test makes one.
async fn colleague(world: &World, organisation: OrganisationId, email: &str, name: &str) -> Actor {
    let person = world
        .db()
        .ensure_person(email, name, domain::Lang::Nn)
        .await
        .expect("person");
    Actor::person(
        person.id,
        vec![Role::Representative {
            municipality: world.municipality,
            organisation,
        }],
    )
}

fn based_on(text: &str, organisation: OrganisationId, version: i32) -> Submission {
    Submission {
        based_on_version: Some(version),
        ..letter(text, Some(organisation))
    }
}

#[tokio::test]
async fn a_revision_based_on_an_earlier_version_is_refused_with_the_current_one_and_nothing_is_stored()
 {
    let world = open_hearing().await;
    let (kari, _, organisation) = representative(&world, "kari@example.org", "Kari Nordmann").await;
    let ola = colleague(&world, organisation, "ola@example.org", "Ola Nordmann").await;
    let service = &world.service;
    let hearing = world.hearing.id;
    service
        .submit_response(&kari, hearing, based_on("Fyrste utkast.", organisation, 0))
        .await
        .expect("a first response based on none");
    // Both open version 1; Ola sends first.
    let ola_sent = service
        .submit_response(&ola, hearing, based_on("Olas endring.", organisation, 1))
        .await
        .expect("Ola's revision of version 1");
    assert_eq!(ola_sent.version, 2);
    let events_before = world.events().len();
    let wakes_before = world.email_wakes();

    let mut karis = based_on("Karis endring.", organisation, 1);
    karis.files.push(pdf(&world, "vedlegg.pdf").await);
    let refused = service.submit_response(&kari, hearing, karis).await;
    let current = match refused {
        Err(ResponseError::VersionConflict {
            current: Some(current),
        }) => current,
        other => panic!("expected a version conflict, got {other:?}"),
    };
    assert_eq!(current.versions.len(), 2, "the current response comes back");
    assert_eq!(current.current().expect("current").text, "Olas endring.");
    assert_eq!(
        current.current().expect("current").person_name,
        "Ola Nordmann"
    );
    let stored = world
        .db()
        .responses_of_hearing(hearing)
        .await
        .expect("responses");
    let texts: Vec<&str> = stored[0].versions.iter().map(|v| v.text.as_str()).collect();
    assert_eq!(
        texts,
        ["Fyrste utkast.", "Olas endring."],
        "nothing overwritten"
    );
    assert_eq!(world.events().len(), events_before, "nothing announced");
    assert_eq!(world.email_wakes(), wakes_before, "no receipt");
    assert!(
        world.stored_files().await.is_empty(),
        "the file was not kept"
    );

    // A first response "based on none" when one exists is a conflict too.
    assert!(matches!(
        service
            .submit_response(&kari, hearing, based_on("Eit nytt svar.", organisation, 0))
            .await,
        Err(ResponseError::VersionConflict { current: Some(_) })
    ));

    // Merged and sent again on the current version, it is stored as version 3.
    let merged = service
        .submit_response(
            &kari,
            hearing,
            based_on("Olas endring. Karis endring.", organisation, 2),
        )
        .await
        .expect("based on the current version");
    assert_eq!(merged.version, 3);
    assert!(matches!(
        service
            .submit_response(&kari, hearing, based_on("Feil.", organisation, -1))
            .await,
        Err(ResponseError::BadField(_))
    ));
}

#[tokio::test]
async fn own_responses_are_the_persons_and_those_of_the_organisations_they_represent() {
    let world = open_hearing().await;
    let (kari, _, organisation) = representative(&world, "kari@example.org", "Kari Nordmann").await;
    let ola = colleague(&world, organisation, "ola@example.org", "Ola Nordmann").await;
    let stranger = world.citizen("per@example.org", "Per Utanfor").await;
    let service = &world.service;
    let hearing = world.hearing.id;
    service
        .submit_response(
            &kari,
            hearing,
            letter("Eldrerådet meiner.", Some(organisation)),
        )
        .await
        .expect("organisation");
    service
        .submit_response(
            &ola,
            hearing,
            letter("Eldrerådet meiner meir.", Some(organisation)),
        )
        .await
        .expect("a second version");
    service
        .submit_response(&kari, hearing, letter("Eg sjølv meiner.", None))
        .await
        .expect("personal");
    service
        .submit_response(&stranger, hearing, letter("Per meiner.", None))
        .await
        .expect("someone else's");

    let karis = service.own_responses(&kari).await.expect("own");
    let mut listed: Vec<(String, usize)> = karis
        .iter()
        .map(|o| {
            (
                o.response.author_label().to_owned(),
                o.response.versions.len(),
            )
        })
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            ("Alver eldreråd".to_owned(), 2),
            ("Kari Nordmann".to_owned(), 1)
        ]
    );
    assert!(karis.iter().all(|o| o.hearing.id == hearing));
    let olas = service.own_responses(&ola).await.expect("own");
    assert_eq!(olas.len(), 1, "the organisation's, not Kari's own");
    assert_eq!(olas[0].response.versions[1].person_name, "Ola Nordmann");
    assert!(
        service
            .own_responses(&Actor::anonymous())
            .await
            .expect("none")
            .is_empty()
    );
}

#[tokio::test]
async fn after_the_deadline_or_the_assessment_the_rule_says_why_no_new_version_is_taken() {
    use consultation::responses::{Closed, closed_for_responses};
    use domain::hearing::HearingState;
    let world = open_hearing().await;
    let mut hearing = world.hearing.clone();
    let now = consultation::Clock::now(&*world.clock);
    assert_eq!(closed_for_responses(&hearing, true, now), None);
    let after = hearing
        .deadline
        .checked_add(jiff::SignedDuration::from_mins(1))
        .expect("after");
    assert_eq!(
        closed_for_responses(&hearing, false, after),
        None,
        "a first late one is taken"
    );
    assert_eq!(
        closed_for_responses(&hearing, true, after),
        Some(Closed::DeadlinePassed)
    );
    hearing.state = HearingState::Closed;
    assert_eq!(
        closed_for_responses(&hearing, true, after),
        Some(Closed::ClosedAfterDeadline)
    );
    assert_eq!(
        closed_for_responses(&hearing, true, now),
        None,
        "closed early: on time still"
    );
    hearing.state = HearingState::Assessed;
    assert_eq!(
        closed_for_responses(&hearing, false, now),
        Some(Closed::Assessed)
    );
}
