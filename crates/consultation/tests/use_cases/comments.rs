//! Posting a comment: who may, what is stored, what is published and when.

use crate::support::open_hearing;
use consultation::comments::{CommentError, CommentInput};
use domain::Lang;
use domain::event::EventPayload;
use domain::hearing::CommentStatus;
use domain::policy::Actor;

fn input(section: domain::SectionId, body: &str) -> CommentInput {
    CommentInput {
        section_id: section,
        author_name: String::new(),
        author_email: None,
        lang: Lang::Nn,
        body: body.to_owned(),
        idempotency_key: None,
        parent_id: None,
        quote: None,
    }
}

#[tokio::test]
async fn a_signed_in_persons_comment_is_stored_published_and_announced_after_commit() {
    let world = open_hearing().await;
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    let posted = world
        .service
        .post_comment(
            &kari,
            world.hearing.id,
            input(world.sections[0].id, "Meir personale i heimetenesta."),
        )
        .await
        .expect("posted");
    assert!(posted.created);
    assert_eq!(posted.comment.status, CommentStatus::Published);
    assert_eq!(posted.comment.author_name, "Kari Nordmann");
    assert!(!posted.comment.late);
    let events = world.events();
    assert_eq!(events.len(), posted.events.len());
    assert!(
        events
            .iter()
            .any(|e| matches!(&e.payload, EventPayload::CommentPosted(p) if p.comment_id == posted.comment.id)),
        "the comment is announced: {:?}",
        events.iter().map(|e| e.payload.kind()).collect::<Vec<_>>()
    );
    // The plan's contact is told through the outbox, and the worker is woken.
    assert_eq!(world.email_wakes(), 1);
    let stored = world.db().comment(posted.comment.id).await.expect("stored");
    assert_eq!(stored.body, "Meir personale i heimetenesta.");
}

#[tokio::test]
async fn input_after_the_published_deadline_is_kept_and_marked_late() {
    let world = open_hearing().await;
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    world.clock.set(
        world
            .hearing
            .deadline
            .checked_add(jiff::SignedDuration::from_mins(1))
            .expect("after"),
    );
    let posted = world
        .service
        .post_comment(
            &kari,
            world.hearing.id,
            input(world.sections[1].id, "Seint, men viktig."),
        )
        .await
        .expect("kept");
    assert!(posted.comment.late);
}

#[tokio::test]
async fn the_public_must_give_an_address_and_their_input_waits_for_confirmation() {
    let world = open_hearing().await;
    let anonymous = Actor::anonymous();
    let mut without = input(world.sections[0].id, "Utan adresse.");
    without.author_name = "Ola".to_owned();
    let refused = world
        .service
        .post_comment(&anonymous, world.hearing.id, without.clone())
        .await;
    assert!(
        matches!(refused, Err(CommentError::EmailRequired)),
        "{refused:?}"
    );
    assert!(world.events().is_empty(), "nothing was published");

    without.author_email = Some("Ola@Example.org".to_owned());
    let posted = world
        .service
        .post_comment(&anonymous, world.hearing.id, without)
        .await
        .expect("stored");
    assert_eq!(posted.comment.status, CommentStatus::Unconfirmed);
    assert!(
        !world
            .events()
            .iter()
            .any(|e| matches!(e.payload, EventPayload::CommentPosted(_))),
        "unconfirmed input is not announced"
    );
    assert_eq!(world.email_wakes(), 1, "the confirmation link is queued");
}

#[tokio::test]
async fn a_quote_must_be_in_the_section_as_readers_see_it() {
    let world = open_hearing().await;
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    let mut quoted = input(world.sections[0].id, "Om dette.");
    // Found across the Markdown emphasis the reader does not see.
    quoted.quote = Some("plan for helse og omsorg".to_owned());
    let posted = world
        .service
        .post_comment(&kari, world.hearing.id, quoted.clone())
        .await
        .expect("anchored");
    assert_eq!(
        posted.comment.anchor.expect("anchor").quote,
        "plan for helse og omsorg"
    );
    quoted.quote = Some("står ikkje i teksten".to_owned());
    let refused = world
        .service
        .post_comment(&kari, world.hearing.id, quoted)
        .await;
    assert!(
        matches!(refused, Err(CommentError::QuoteNotInSection)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_section_of_another_document_is_refused_and_nothing_is_stored() {
    let world = open_hearing().await;
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    let refused = world
        .service
        .post_comment(
            &kari,
            world.hearing.id,
            input(domain::SectionId::new(), "Kvar?"),
        )
        .await;
    assert!(
        matches!(refused, Err(CommentError::SectionNotInHearing)),
        "{refused:?}"
    );
    assert!(world.events().is_empty());
    assert!(
        world
            .db()
            .comments_of_hearing(world.hearing.id)
            .await
            .expect("list")
            .is_empty()
    );
}

#[tokio::test]
async fn when_the_planner_screens_public_input_a_citizens_comment_waits_unannounced() {
    let world = open_hearing().await;
    let planner = world.planner();
    let hearing = world
        .service
        .set_screening(&planner, "planner@alver.example", &world.hearing, true)
        .await
        .expect("screening on");
    assert!(hearing.screen_public_input);
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    let posted = world
        .service
        .post_comment(
            &kari,
            world.hearing.id,
            input(world.sections[0].id, "Til vurdering."),
        )
        .await
        .expect("stored");
    assert_eq!(posted.comment.status, CommentStatus::Screening);
    assert!(
        !world
            .events()
            .iter()
            .any(|e| matches!(e.payload, EventPayload::CommentPosted(_))),
        "screened input is not announced before a planner publishes it"
    );
}
