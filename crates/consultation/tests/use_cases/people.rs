//! People and privacy: the roles a session sees, confirming input given without an
//! account, the profile, and being forgotten.

use crate::support::{World, open_hearing};
use consultation::comments::CommentInput;
use consultation::people::{ConfirmError, ProfileError, ProfileUpdate};
use consultation::privacy::PrivacyError;
use domain::email::Email;
use domain::event::EventPayload;
use domain::hearing::CommentStatus;
use domain::person::StaffRole;
use domain::policy::{Actor, Role};
use domain::{Lang, PersonId};

fn comment(world: &World, body: &str) -> CommentInput {
    CommentInput {
        section_id: world.sections[0].id,
        author_name: "Ola Nordmann".to_owned(),
        author_email: Some("ola@example.org".to_owned()),
        lang: Lang::Nn,
        body: body.to_owned(),
        idempotency_key: None,
        parent_id: None,
        quote: None,
    }
}

/// The token of the newest confirmation link in the outbox.
async fn confirm_token(world: &World) -> String {
    world
        .outbox()
        .await
        .into_iter()
        .find_map(|job| match job.envelope.email {
            Email::ConfirmInput { link, .. } => Some(
                link.split_once("token=")
                    .expect("token in link")
                    .1
                    .split('&')
                    .next()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            _ => None,
        })
        .expect("a confirmation link was queued")
}

#[tokio::test]
async fn confirming_input_publishes_it_and_a_second_use_of_the_link_does_nothing() {
    let world = open_hearing().await;
    let posted = world
        .service
        .post_comment(
            &Actor::anonymous(),
            world.hearing.id,
            comment(&world, "Gangvegen manglar lys."),
        )
        .await
        .expect("stored unconfirmed");
    assert_eq!(posted.comment.status, CommentStatus::Unconfirmed);
    let token = confirm_token(&world).await;
    let before = world.events().len();

    let done = world
        .service
        .confirm_input(&token)
        .await
        .expect("confirmed");
    assert_eq!(
        done.confirmed
            .published
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>(),
        vec![posted.comment.id]
    );
    assert!(!done.session_secret.is_empty(), "a session was opened");
    let opened = world
        .db()
        .session(&done.session_secret)
        .await
        .expect("session lookup")
        .expect("the session exists");
    assert_eq!(opened.person.email, "ola@example.org");
    // Announced in each room that shows it (the hearing's and the document's).
    let mut announced: Vec<_> = world.events()[before..]
        .iter()
        .filter_map(|e| match &e.payload {
            EventPayload::CommentPosted(p) => Some(p.comment_id),
            _ => None,
        })
        .collect();
    announced.dedup();
    assert_eq!(announced, vec![posted.comment.id], "published after commit");
    let stored = world
        .db()
        .comment(posted.comment.id)
        .await
        .expect("now found");
    assert_eq!(stored.status, CommentStatus::Published);
    // The plan's contact hears of it: the notice is queued with the confirmation.
    assert!(
        world.outbox().await.iter().any(|job| matches!(
            &job.envelope.email,
            Email::CommentNotice { author_name, .. } if author_name == "Ola Nordmann"
        )),
        "the planners' notice is queued"
    );

    let events = world.events().len();
    let wakes = world.email_wakes();
    let again = world.service.confirm_input(&token).await;
    assert!(
        matches!(again, Err(ConfirmError::LinkUnusable)),
        "{again:?}"
    );
    assert_eq!(world.events().len(), events, "nothing more announced");
    assert_eq!(world.email_wakes(), wakes, "no more email");
    assert!(matches!(
        world.service.confirm_input("   ").await,
        Err(ConfirmError::LinkUnusable)
    ));
}

#[tokio::test]
async fn deleting_a_person_keeps_the_text_of_their_published_inputs_but_removes_the_name() {
    let world = open_hearing().await;
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    let posted = world
        .service
        .post_comment(
            &kari,
            world.hearing.id,
            CommentInput {
                author_email: None,
                ..comment(&world, "Meir personale i heimetenesta.")
            },
        )
        .await
        .expect("posted");
    assert_eq!(posted.comment.author_name, "Kari Nordmann");
    let person = kari.person.expect("a person");

    // Nobody but the person themself may have them forgotten.
    let other = world.citizen("ola@example.org", "Ola Nordmann").await;
    assert!(matches!(
        world.service.forget_person(&other, person).await,
        Err(PrivacyError::Forbidden)
    ));
    assert_eq!(
        world
            .db()
            .comment(posted.comment.id)
            .await
            .expect("comment")
            .author_name,
        "Kari Nordmann"
    );

    let done = world
        .service
        .forget_person(&kari, person)
        .await
        .expect("forgotten");
    assert_eq!(done.comments, 1);
    let kept = world
        .db()
        .comment(posted.comment.id)
        .await
        .expect("the input stays");
    assert_eq!(
        kept.body, "Meir personale i heimetenesta.",
        "the text is kept"
    );
    assert!(kept.anonymised);
    assert!(
        !kept.author_name.contains("Kari"),
        "the name is gone: {:?}",
        kept.author_name
    );
    assert!(
        world.events().iter().any(|e| matches!(
            &e.payload,
            EventPayload::CommentAnonymised(a) if a.comment_id == posted.comment.id
        )),
        "readers are told to take the name off"
    );
    let record = world.db().person_record(person).await.expect("record");
    assert!(record.anonymised_at.is_some());
    assert_ne!(record.person.email, "kari@example.org");
}

#[tokio::test]
async fn actor_for_gives_the_roles_of_the_bound_municipality_only() {
    let world = open_hearing().await;
    let db = world.db();
    let bergen = db
        .create_municipality("bergen", "Bergen kommune")
        .await
        .expect("municipality");
    let person = db
        .ensure_person("kari@example.org", "Kari Nordmann", Lang::Nn)
        .await
        .expect("person");
    db.add_plan_planner(world.plan.id, person.id)
        .await
        .expect("planner in Alver");
    db.set_staff_role(person.id, bergen.id, StaffRole::Administrator)
        .await
        .expect("administrator in Bergen");
    let planner_in_alver = Role::Planner {
        municipality: world.municipality,
        plan: world.plan.id,
    };
    let admin_in_bergen = Role::Administrator {
        municipality: bergen.id,
    };

    let in_alver = world
        .service
        .actor_for(&world.signed_in(person.id, Some(world.municipality)).await)
        .await;
    assert_eq!(in_alver.person, Some(person.id));
    assert!(in_alver.roles.contains(&planner_in_alver), "{in_alver:?}");
    assert!(!in_alver.roles.contains(&admin_in_bergen), "{in_alver:?}");

    let in_bergen = world
        .service
        .actor_for(&world.signed_in(person.id, Some(bergen.id)).await)
        .await;
    assert!(in_bergen.roles.contains(&admin_in_bergen), "{in_bergen:?}");
    assert!(
        !in_bergen.roles.contains(&planner_in_alver),
        "{in_bergen:?}"
    );
}

#[tokio::test]
async fn the_profile_takes_a_name_and_a_known_language_from_the_person_only() {
    let world = open_hearing().await;
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    let person: PersonId = kari.person.expect("a person");
    let update = |name: &str, lang: &str| ProfileUpdate {
        name: name.to_owned(),
        lang: lang.to_owned(),
    };
    assert!(matches!(
        world
            .service
            .update_profile(&kari, person, update("   ", "nb"))
            .await,
        Err(ProfileError::InvalidName(_))
    ));
    assert!(matches!(
        world
            .service
            .update_profile(&kari, person, update("Kari N.", "sv"))
            .await,
        Err(ProfileError::UnknownLanguage)
    ));
    let other = world.citizen("ola@example.org", "Ola Nordmann").await;
    assert!(matches!(
        world
            .service
            .update_profile(&other, person, update("Ola", "nb"))
            .await,
        Err(ProfileError::Forbidden)
    ));
    let unchanged = world.db().person(person).await.expect("person");
    assert_eq!(
        (unchanged.name.as_str(), unchanged.lang),
        ("Kari Nordmann", Lang::Nn)
    );

    let lang = world
        .service
        .update_profile(&kari, person, update(" Kari N. ", "nb"))
        .await
        .expect("saved");
    assert_eq!(lang, Lang::Nb);
    let changed = world.db().person(person).await.expect("person");
    assert_eq!((changed.name.as_str(), changed.lang), ("Kari N.", Lang::Nb));
    assert!(matches!(
        world.service.person_data(&other, person).await,
        Err(PrivacyError::Forbidden)
    ));
    let data = world
        .service
        .person_data(&kari, person)
        .await
        .expect("their own data");
    assert_eq!(data.person.person.name, "Kari N.");
}
