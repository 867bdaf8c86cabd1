//! Daily digests: a planner who keeps the digest (the default) gets no notice at
//! each input but one letter the next morning listing the day's inputs; one who
//! chose a notice at each input gets those and no digest; a follower gets the new
//! published comments of what they follow, not their own nor hidden or unconfirmed
//! ones. The notifier's scheduler queues the digests on a moved clock.

use crate::comments::input;
use crate::support::{World, open_hearing};
use consultation::digests::DigestError;
use domain::email::{DigestHearing, Email};
use domain::person::Person;
use domain::policy::Actor;
use domain::{Lang, PlanId, SectionId};

const CONTACT: &str = "plan@alver.example";
const BASE: &str = "https://samrad.example";

/// The plan's contact, a planner of the plan who reads bokmål.
async fn planner(world: &World) -> (Person, Actor) {
    let person = world
        .db()
        .ensure_person(CONTACT, "Per Plan", Lang::Nb)
        .await
        .expect("person");
    world
        .db()
        .add_plan_planner(world.plan.id, person.id)
        .await
        .expect("planner");
    let actor = Actor::person(person.id, Vec::new());
    (person, actor)
}

/// `hh:mm` Norwegian time on the day after the world's clock.
fn tomorrow_at(world: &World, hour: i8, minute: i8) -> jiff::Timestamp {
    world
        .clock_date()
        .tomorrow()
        .expect("a day")
        .at(hour, minute, 0, 0)
        .to_zoned(domain::deadline::oslo())
        .expect("a time")
        .timestamp()
}

async fn queue_digests(world: &World, at: jiff::Timestamp) -> usize {
    notify::digest::queue_digests(world.db(), at, 7, BASE)
        .await
        .expect("queued")
}

async fn comment(world: &World, who: &Actor, section: usize, body: &str) -> domain::CommentId {
    world
        .service
        .post_comment(
            who,
            world.hearing.id,
            input(world.sections[section].id, body),
        )
        .await
        .expect("posted")
        .comment
        .id
}

/// The digests in the outbox to `to`: (key, planned part, followed part).
async fn digests_to(
    world: &World,
    to: &str,
) -> Vec<(String, Lang, Vec<DigestHearing>, Vec<DigestHearing>)> {
    world
        .outbox()
        .await
        .into_iter()
        .filter(|job| job.recipient == to)
        .filter_map(|job| match job.envelope.email {
            Email::Digest {
                planned, followed, ..
            } => Some((job.dedupe_key, job.envelope.lang, planned, followed)),
            _ => None,
        })
        .collect()
}

/// The excerpts a part of a digest lists, by section title.
fn listed(part: &[DigestHearing]) -> Vec<(String, String)> {
    part.iter()
        .flat_map(|h| h.sections.iter())
        .flat_map(|s| {
            s.inputs
                .iter()
                .map(|i| (s.title.clone(), i.excerpt.clone()))
        })
        .collect()
}

async fn notices_to(world: &World, to: &str) -> usize {
    world
        .outbox()
        .await
        .iter()
        .filter(|job| job.recipient == to && job.envelope.email.kind() == "comment_notice")
        .count()
}

#[tokio::test]
async fn a_planner_with_the_digest_gets_no_notice_at_each_input_but_one_digest_the_next_morning() {
    let world = open_hearing().await;
    let (per, _) = planner(&world).await;
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    comment(&world, &kari, 0, "Meir personale.").await;
    comment(&world, &kari, 1, "Fleire verkstader.").await;
    assert_eq!(
        notices_to(&world, CONTACT).await,
        0,
        "no notice at each input"
    );

    // Before the hour nothing; at the hour one digest; again nothing.
    assert_eq!(queue_digests(&world, tomorrow_at(&world, 6, 59)).await, 0);
    assert_eq!(queue_digests(&world, tomorrow_at(&world, 7, 0)).await, 1);
    assert_eq!(queue_digests(&world, tomorrow_at(&world, 7, 1)).await, 0);
    let digests = digests_to(&world, CONTACT).await;
    assert_eq!(digests.len(), 1, "{digests:#?}");
    let (key, lang, planned, followed) = &digests[0];
    let day = world.clock_date().tomorrow().expect("a day");
    assert_eq!(key, &format!("digest:{}:{day}", per.id.0));
    assert_eq!(*lang, Lang::Nb);
    assert!(followed.is_empty());
    assert_eq!(planned.len(), 1);
    assert_eq!(planned[0].hearing_title, world.hearing.title);
    assert_eq!(planned[0].plan_title, world.plan.title);
    assert_eq!(
        listed(planned),
        [
            ("1 Innleiing".to_owned(), "Meir personale.".to_owned()),
            ("2 Medverknad".to_owned(), "Fleire verkstader.".to_owned()),
        ]
    );
    // The day after, with nothing new, nothing.
    let after = tomorrow_at(&world, 7, 5)
        .checked_add(jiff::SignedDuration::from_hours(24))
        .expect("a time");
    assert_eq!(queue_digests(&world, after).await, 0);
}

#[tokio::test]
async fn a_planner_who_chose_each_input_gets_a_notice_at_each_and_no_digest() {
    let world = open_hearing().await;
    let (per, actor) = planner(&world).await;
    // Only plans they plan.
    let other = PlanId(uuid::Uuid::new_v4());
    assert!(matches!(
        world
            .service
            .save_notice_choices(&actor, per.id, &[(world.plan.id, true), (other, true)])
            .await,
        Err(DigestError::NotYourPlan)
    ));
    let choices = world
        .service
        .notice_choices(&actor, per.id)
        .await
        .expect("choices");
    assert!(!choices[0].immediate, "the digest until they choose");
    world
        .service
        .save_notice_choices(&actor, per.id, &[(world.plan.id, true)])
        .await
        .expect("saved");
    let choices = world
        .service
        .notice_choices(&actor, per.id)
        .await
        .expect("choices");
    assert_eq!(choices.len(), 1);
    assert!(choices[0].immediate);
    // Nobody else chooses for them.
    let ola = world.citizen("ola@example.org", "Ola").await;
    assert!(matches!(
        world
            .service
            .save_notice_choices(&ola, per.id, &[(world.plan.id, false)])
            .await,
        Err(DigestError::Forbidden)
    ));

    comment(&world, &ola, 0, "Meir personale.").await;
    comment(&world, &ola, 1, "Fleire verkstader.").await;
    assert_eq!(notices_to(&world, CONTACT).await, 2);
    assert_eq!(queue_digests(&world, tomorrow_at(&world, 7, 0)).await, 0);
    assert!(digests_to(&world, CONTACT).await.is_empty());
}

#[tokio::test]
async fn a_contact_who_plans_nothing_keeps_the_notice_at_each_input() {
    let world = open_hearing().await;
    world
        .db()
        .ensure_person(CONTACT, "Sakshandsamar", Lang::Nn)
        .await
        .expect("person");
    let kari = world.citizen("kari@example.org", "Kari").await;
    comment(&world, &kari, 0, "Meir personale.").await;
    assert_eq!(notices_to(&world, CONTACT).await, 1);
    assert_eq!(queue_digests(&world, tomorrow_at(&world, 7, 0)).await, 0);
}

#[tokio::test]
async fn a_follower_gets_the_new_published_comments_of_what_they_follow_only() {
    let world = open_hearing().await;
    let oda = world.citizen("oda@example.org", "Oda").await;
    let oda_id = oda.person.expect("a person");
    // Follows the first section; a section of no hearing of theirs is refused.
    world
        .service
        .follow(&oda, world.hearing.id, Some(world.sections[0].id))
        .await
        .expect("followed");
    assert!(matches!(
        world
            .service
            .follow(
                &oda,
                world.hearing.id,
                Some(SectionId(uuid::Uuid::new_v4()))
            )
            .await,
        Err(DigestError::SectionNotInHearing)
    ));
    assert!(matches!(
        world
            .service
            .follow(&Actor::anonymous(), world.hearing.id, None)
            .await,
        Err(DigestError::SignInRequired)
    ));

    let kari = world.citizen("kari@example.org", "Kari").await;
    comment(&world, &kari, 0, "Kari om innleiinga.").await;
    comment(&world, &kari, 1, "Kari om medverknad.").await;
    comment(&world, &oda, 0, "Oda sjølv.").await;
    let hidden = comment(&world, &kari, 0, "Skjult innspel.").await;
    world
        .service
        .hide_comment(
            &world.planner(),
            "planleggjar",
            hidden,
            Some("Personopplysningar."),
        )
        .await
        .expect("hidden");
    // Given without signing in: waits for its author's confirmation.
    let mut unconfirmed = input(world.sections[0].id, "Ikkje stadfesta.");
    unconfirmed.author_name = "Anne".into();
    unconfirmed.author_email = Some("anne@example.org".into());
    world
        .service
        .post_comment(&Actor::anonymous(), world.hearing.id, unconfirmed)
        .await
        .expect("stored");

    assert_eq!(queue_digests(&world, tomorrow_at(&world, 7, 0)).await, 1);
    let digests = digests_to(&world, "oda@example.org").await;
    assert_eq!(digests.len(), 1, "{digests:#?}");
    let (key, _, planned, followed) = &digests[0];
    assert!(key.contains(&oda_id.0.to_string()));
    assert!(planned.is_empty());
    assert_eq!(
        listed(followed),
        [("1 Innleiing".to_owned(), "Kari om innleiinga.".to_owned())]
    );

    // No longer following: nothing the next day.
    world
        .service
        .unfollow(&oda, world.hearing.id, Some(world.sections[0].id))
        .await
        .expect("unfollowed");
    assert!(
        world
            .service
            .follows(&oda, oda_id)
            .await
            .expect("follows")
            .is_empty()
    );
}

#[tokio::test]
async fn the_export_holds_follows_choices_and_opt_outs_and_forgetting_removes_them() {
    let world = open_hearing().await;
    let (per, actor) = planner(&world).await;
    world
        .service
        .follow(&actor, world.hearing.id, None)
        .await
        .expect("followed");
    world
        .service
        .follow(&actor, world.hearing.id, Some(world.sections[1].id))
        .await
        .expect("followed");
    world
        .service
        .save_notice_choices(&actor, per.id, &[(world.plan.id, true)])
        .await
        .expect("chosen");
    world
        .db()
        .opt_out(per.id, "digest")
        .await
        .expect("opted out");

    let data = world
        .service
        .person_data(&actor, per.id)
        .await
        .expect("data");
    assert_eq!(data.email_opt_outs, ["digest"]);
    assert_eq!(data.follows.len(), 2);
    assert_eq!(data.follows[0].follow.section, None);
    assert_eq!(data.follows[1].section.as_deref(), Some("2 Medverknad"));
    assert_eq!(data.notice_choices.len(), 1);
    assert!(data.notice_choices[0].immediate);

    world
        .service
        .forget_person(&actor, per.id)
        .await
        .expect("forgotten");
    assert!(
        world
            .db()
            .follows_of(per.id)
            .await
            .expect("follows")
            .is_empty()
    );
    assert!(
        world
            .db()
            .opted_out_kinds(per.id)
            .await
            .expect("kinds")
            .is_empty()
    );
    assert!(
        world
            .db()
            .notice_choice_plans(per.id)
            .await
            .expect("choices")
            .is_empty()
    );
}

#[tokio::test]
async fn a_forgotten_author_loses_their_name_in_the_digests_that_list_them() {
    let world = open_hearing().await;
    planner(&world).await;
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    comment(&world, &kari, 0, "Meir personale.").await;
    assert_eq!(queue_digests(&world, tomorrow_at(&world, 7, 0)).await, 1);
    let author = |world_digests: &[(String, Lang, Vec<DigestHearing>, Vec<DigestHearing>)]| {
        world_digests[0].2[0].sections[0].inputs[0]
            .author_name
            .clone()
    };
    assert_eq!(author(&digests_to(&world, CONTACT).await), "Kari Nordmann");
    world
        .service
        .forget_person(&kari, kari.person.expect("a person"))
        .await
        .expect("forgotten");
    let digests = digests_to(&world, CONTACT).await;
    assert_eq!(author(&digests), "");
    assert_eq!(
        digests[0].2[0].sections[0].inputs[0].excerpt, "Meir personale.",
        "the text stays"
    );
}
