//! The letters a hearing's opening and closing, a reply and an official response
//! send: who gets them, who does not, in which language, and never twice.

use crate::comments::input;
use crate::responses::representative;
use crate::support::{World, open_hearing};
use consultation::Clock;
use domain::Lang;
use domain::email::Email;
use domain::group::{GroupKind, MemberRole};
use domain::hearing::{Audience, Hearing, HearingState, Transition};

/// The kinds and languages of the emails to `recipient`.
async fn mail_to(world: &World, recipient: &str) -> Vec<(String, Lang)> {
    world
        .outbox()
        .await
        .into_iter()
        .filter(|job| job.recipient == recipient)
        .map(|job| (job.kind, job.envelope.lang))
        .collect()
}

async fn count_of(world: &World, kind: &str) -> usize {
    world
        .outbox()
        .await
        .iter()
        .filter(|job| job.kind == kind)
        .count()
}

/// Oda (English) and Per (bokmål) in the plan's reference group; Nils, a person
/// outside it.
async fn members(world: &World) {
    let db = world.db();
    let group = db
        .create_group(world.plan.id, GroupKind::ReferenceGroup, "Referansegruppa")
        .await
        .expect("group");
    for (email, name, lang) in [
        ("oda@example.org", "Oda", Lang::En),
        ("per@example.org", "Per", Lang::Nb),
    ] {
        let person = db.ensure_person(email, name, lang).await.expect("person");
        db.add_member(group.id, person.id, MemberRole::Member, None)
            .await
            .expect("member");
    }
    db.ensure_person("nils@example.org", "Nils", Lang::En)
        .await
        .expect("person");
}

/// A second hearing of the plan, scheduled to open at `opens`.
async fn scheduled(world: &World, opens: jiff::Timestamp) -> Hearing {
    world
        .db()
        .create_hearing(db::NewHearing {
            municipality_id: world.municipality,
            plan_id: world.plan.id,
            document_version_id: world.hearing.document_version_id,
            title: "Andre høyring".to_owned(),
            kind: world.hearing.kind,
            audience: Audience::Public,
            state: HearingState::Scheduled,
            opens_at: opens,
            deadline: world.hearing.deadline,
            announcement: None,
            contact_name: None,
            contact_email: None,
            actor: "test".to_owned(),
            period_weeks: 6,
        })
        .await
        .expect("hearing")
}

#[tokio::test]
async fn a_planner_opening_a_hearing_tells_the_groups_members_in_their_languages() {
    let world = open_hearing().await;
    members(&world).await;
    let kari = world.citizen("kari@example.org", "Kari").await;
    world
        .service
        .post_comment(&kari, world.hearing.id, input(world.sections[0].id, "Bra."))
        .await
        .expect("comment on the first hearing");
    let tomorrow = world
        .clock
        .now()
        .checked_add(jiff::SignedDuration::from_hours(24))
        .expect("tomorrow");
    let second = scheduled(&world, tomorrow).await;
    let wakes = world.email_wakes();
    world
        .service
        .change_hearing_state(&world.planner(), "planner", &second, Transition::Open, None)
        .await
        .expect("opened");
    assert_eq!(
        mail_to(&world, "oda@example.org").await,
        vec![("hearing_opened".to_owned(), Lang::En)]
    );
    assert_eq!(
        mail_to(&world, "per@example.org").await,
        vec![("hearing_opened".to_owned(), Lang::Nb)]
    );
    assert!(
        mail_to(&world, "nils@example.org").await.is_empty(),
        "not a member"
    );
    assert!(
        !mail_to(&world, "kari@example.org")
            .await
            .iter()
            .any(|(kind, _)| kind == "hearing_opened"),
        "input elsewhere makes no member"
    );
    assert_eq!(world.email_wakes(), wakes + 1, "the worker is woken");
    let opened = world.outbox().await;
    let job = opened
        .iter()
        .find(|j| j.recipient == "oda@example.org")
        .expect("Oda's");
    assert_eq!(job.envelope.letterhead.municipality, "Alver kommune");
    let Email::HearingOpened { link, .. } = &job.envelope.email else {
        panic!("{:?}", job.envelope.email);
    };
    assert_eq!(
        link,
        &format!("https://samrad.example/hearings/{}", second.id)
    );
}

#[tokio::test]
async fn the_scheduler_opening_a_hearing_tells_the_members_once() {
    let world = open_hearing().await;
    members(&world).await;
    let an_hour_ago = world
        .clock
        .now()
        .checked_sub(jiff::SignedDuration::from_hours(1))
        .expect("an hour ago");
    let second = scheduled(&world, an_hour_ago).await;
    let changed = notify::scheduler::tick(world.db(), "https://samrad.example")
        .await
        .expect("tick");
    assert_eq!(changed, 1);
    assert_eq!(
        world.db().hearing(second.id).await.expect("hearing").state,
        HearingState::Open
    );
    assert_eq!(count_of(&world, "hearing_opened").await, 2);
    assert_eq!(
        mail_to(&world, "oda@example.org").await,
        vec![("hearing_opened".to_owned(), Lang::En)]
    );
    // The same letters queued again (a second process, say) are not doubled.
    let again = world
        .db()
        .hearing_state_emails(&second, Transition::Open, "https://samrad.example")
        .await
        .expect("letters");
    assert_eq!(world.db().enqueue_emails(&again).await.expect("queue"), 0);
    assert_eq!(
        notify::scheduler::tick(world.db(), "x")
            .await
            .expect("tick"),
        0
    );
    assert_eq!(count_of(&world, "hearing_opened").await, 2);
}

#[tokio::test]
async fn closing_a_hearing_tells_the_members_and_everyone_who_gave_input() {
    let world = open_hearing().await;
    members(&world).await;
    let kari = world.citizen("kari@example.org", "Kari").await;
    world
        .service
        .post_comment(&kari, world.hearing.id, input(world.sections[0].id, "Bra."))
        .await
        .expect("comment");
    let (representative, _, organisation) = representative(&world, "liv@example.org", "Liv").await;
    world
        .db()
        .ensure_person("liv@example.org", "Liv", Lang::Nn)
        .await
        .expect("person");
    world
        .service
        .submit_response(
            &representative,
            world.hearing.id,
            consultation::responses::Submission {
                text: "Svar.".to_owned(),
                organisation_id: Some(organisation),
                ..Default::default()
            },
        )
        .await
        .expect("response");
    world
        .service
        .change_hearing_state(
            &world.planner(),
            "planner",
            &world.hearing,
            Transition::Close,
            Some("Planen blir trekt".to_owned()),
        )
        .await
        .expect("closed");
    let closed = |lang| vec![("hearing_closed".to_owned(), lang)];
    assert_eq!(mail_to(&world, "oda@example.org").await, closed(Lang::En));
    assert_eq!(mail_to(&world, "per@example.org").await, closed(Lang::Nb));
    let to_kari = mail_to(&world, "kari@example.org").await;
    assert!(
        to_kari.contains(&("hearing_closed".to_owned(), Lang::Nn)),
        "{to_kari:?}"
    );
    let to_liv = mail_to(&world, "liv@example.org").await;
    assert_eq!(
        to_liv.iter().filter(|(k, _)| k == "hearing_closed").count(),
        1,
        "a member who responded is told once: {to_liv:?}"
    );
    assert!(mail_to(&world, "nils@example.org").await.is_empty());
    assert_eq!(count_of(&world, "hearing_closed").await, 4);
}

#[tokio::test]
async fn a_reply_tells_the_author_of_the_comment_in_their_language_but_not_oneself() {
    let world = open_hearing().await;
    let db = world.db();
    let oda = db
        .ensure_person("oda@example.org", "Oda", Lang::En)
        .await
        .expect("person");
    let oda = domain::policy::Actor::person(oda.id, Vec::new());
    let section = world.sections[0].id;
    let parent = world
        .service
        .post_comment(&oda, world.hearing.id, input(section, "Kva med bussen?"))
        .await
        .expect("comment")
        .comment;
    let reply_to = |body: &str| consultation::comments::CommentInput {
        parent_id: Some(parent.id),
        ..input(section, body)
    };
    // Oda adds to her own comment: nobody is told.
    world
        .service
        .post_comment(&oda, world.hearing.id, reply_to("Og ferja."))
        .await
        .expect("own reply");
    assert_eq!(count_of(&world, "comment_reply").await, 0);
    // Kari answers: Oda is told, in English, with Kari's words.
    let kari = world.citizen("kari@example.org", "Kari").await;
    let reply = world
        .service
        .post_comment(&kari, world.hearing.id, reply_to("Bussen går kvar time."))
        .await
        .expect("reply")
        .comment;
    let replies: Vec<_> = world
        .outbox()
        .await
        .into_iter()
        .filter(|j| j.kind == "comment_reply")
        .collect();
    assert_eq!(replies.len(), 1);
    assert_eq!(replies[0].recipient, "oda@example.org");
    assert_eq!(replies[0].envelope.lang, Lang::En);
    assert_eq!(replies[0].dedupe_key, format!("comment-reply:{}", reply.id));
    let Email::CommentReply {
        author_name,
        excerpt,
        ..
    } = &replies[0].envelope.email
    else {
        panic!("{:?}", replies[0].envelope.email);
    };
    assert_eq!(
        (author_name.as_str(), excerpt.as_str()),
        ("Kari", "Bussen går kvar time.")
    );
}

#[tokio::test]
async fn a_screened_reply_tells_the_author_only_when_it_is_published() {
    let world = open_hearing().await;
    let oda = world.citizen("oda@example.org", "Oda").await;
    let section = world.sections[0].id;
    let parent = world
        .service
        .post_comment(&oda, world.hearing.id, input(section, "Kva med bussen?"))
        .await
        .expect("comment")
        .comment;
    world
        .service
        .set_screening(&world.planner(), "planner", &world.hearing, true)
        .await
        .expect("screening on");
    let kari = world.citizen("kari@example.org", "Kari").await;
    let reply = world
        .service
        .post_comment(
            &kari,
            world.hearing.id,
            consultation::comments::CommentInput {
                parent_id: Some(parent.id),
                ..input(section, "Bussen går kvar time.")
            },
        )
        .await
        .expect("reply")
        .comment;
    assert_eq!(
        count_of(&world, "comment_reply").await,
        0,
        "waits for screening"
    );
    world
        .service
        .publish_screened(&world.planner(), "planner", reply.id)
        .await
        .expect("published");
    assert_eq!(
        mail_to(&world, "oda@example.org").await,
        vec![("comment_reply".to_owned(), Lang::Nn)]
    );
}

#[tokio::test]
async fn an_official_response_and_each_new_version_tell_the_plans_contact() {
    let world = open_hearing().await;
    world
        .db()
        .ensure_person("plan@alver.example", "Siri Planlegg", Lang::Nb)
        .await
        .expect("the contact is a person");
    let (kari, _, organisation) = representative(&world, "kari@example.org", "Kari").await;
    let submit = |text: &str| consultation::responses::Submission {
        text: text.to_owned(),
        organisation_id: Some(organisation),
        ..Default::default()
    };
    for text in ["Utkast.", "Endeleg."] {
        world
            .service
            .submit_response(&kari, world.hearing.id, submit(text))
            .await
            .expect("response");
    }
    let notices: Vec<_> = world
        .outbox()
        .await
        .into_iter()
        .filter(|j| j.kind == "response_notice")
        .collect();
    assert_eq!(notices.len(), 2, "one for each version");
    assert!(
        notices
            .iter()
            .all(|j| j.recipient == "plan@alver.example" && j.envelope.lang == Lang::Nb)
    );
    let mut versions: Vec<i32> = notices
        .iter()
        .map(|j| match &j.envelope.email {
            Email::ResponseNotice { version, from, .. } => {
                assert_eq!(from, "Alver eldreråd");
                *version
            }
            other => panic!("{other:?}"),
        })
        .collect();
    versions.sort();
    assert_eq!(versions, vec![1, 2]);
    assert!(
        !mail_to(&world, "kari@example.org")
            .await
            .iter()
            .any(|(k, _)| k == "response_notice"),
        "the submitter gets the receipt, not the notice"
    );
}
