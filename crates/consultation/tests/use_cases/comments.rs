//! Posting a comment: who may, what is stored, what is published and when; and what
//! readers and authors do with it afterwards: support, edits, deletion, reports.

use crate::support::{World, open_hearing};
use consultation::Clock;
use consultation::comments::{
    ANONYMOUS_REPORTS_PER_QUARTER, AnonymousReporter, CommentChangeError, CommentError,
    CommentInput,
};
use domain::Lang;
use domain::event::EventPayload;
use domain::hearing::{Comment, CommentStatus};
use domain::policy::Actor;

pub fn input(section: domain::SectionId, body: &str) -> CommentInput {
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

/// A published comment by a signed-in person, and that person.
pub async fn posted_by(world: &World, email: &str, body: &str) -> (Actor, Comment) {
    let author = world.citizen(email, "Kari Nordmann").await;
    let posted = world
        .service
        .post_comment(&author, world.hearing.id, input(world.sections[0].id, body))
        .await
        .expect("posted");
    assert_eq!(posted.comment.status, CommentStatus::Published);
    (author, posted.comment)
}

/// The kinds of the events published since `from` (an index into everything published).
fn kinds_since(world: &World, from: usize) -> Vec<&'static str> {
    world.events()[from..]
        .iter()
        .map(|e| e.payload.kind())
        .collect()
}

fn minutes_after(at: jiff::Timestamp, minutes: i64) -> jiff::Timestamp {
    at.checked_add(jiff::SignedDuration::from_mins(minutes))
        .expect("in range")
}

#[tokio::test]
async fn support_counts_once_per_person_and_is_announced_when_it_changes() {
    let world = open_hearing().await;
    let (_, comment) = posted_by(&world, "kari@example.org", "Vi treng betre buss.").await;
    let before = world.events().len();

    let refused = world
        .service
        .support_comment(&Actor::anonymous(), comment.id, true)
        .await;
    assert!(
        matches!(refused, Err(CommentChangeError::SignInRequired)),
        "{refused:?}"
    );

    let ola = world.citizen("ola@example.org", "Ola").await;
    let first = world
        .service
        .support_comment(&ola, comment.id, true)
        .await
        .expect("supported");
    assert_eq!(first.comment.supporters, 1);
    assert_eq!(kinds_since(&world, before), ["comment_supported"; 2]);
    let again = world
        .service
        .support_comment(&ola, comment.id, true)
        .await
        .expect("supported again");
    assert_eq!(again.comment.supporters, 1, "once per person");
    assert!(again.events.is_empty());
    assert_eq!(
        kinds_since(&world, before).len(),
        2,
        "nothing new announced"
    );

    let per = world.citizen("per@example.org", "Per").await;
    let second = world
        .service
        .support_comment(&per, comment.id, true)
        .await
        .expect("supported");
    assert_eq!(second.comment.supporters, 2);
    let back = world
        .service
        .support_comment(&ola, comment.id, false)
        .await
        .expect("taken back");
    assert_eq!(back.comment.supporters, 1);
    assert_eq!(
        world
            .db()
            .comment(comment.id)
            .await
            .expect("stored")
            .supporters,
        1
    );
}

#[tokio::test]
async fn the_author_edits_within_fifteen_minutes_and_the_earlier_text_is_kept() {
    let world = open_hearing().await;
    let (author, comment) = posted_by(&world, "kari@example.org", "Første utkast.").await;
    let before = world.events().len();

    let other = world.citizen("ola@example.org", "Ola").await;
    let refused = world
        .service
        .edit_comment(&other, comment.id, "Kapra")
        .await;
    assert!(
        matches!(refused, Err(CommentChangeError::Forbidden)),
        "{refused:?}"
    );

    world.clock.set(minutes_after(comment.created_at, 14));
    let edited = world
        .service
        .edit_comment(&author, comment.id, "Andre utkast.")
        .await
        .expect("edited within the window");
    assert_eq!(edited.comment.body, "Andre utkast.");
    assert_eq!(edited.comment.edited_at, Some(world.clock.now()));
    assert_eq!(kinds_since(&world, before), ["comment_edited"; 2]);
    let revisions = world
        .service
        .comment_revisions(&Actor::anonymous(), comment.id)
        .await
        .expect("revisions");
    assert_eq!(revisions.len(), 1);
    assert_eq!(revisions[0].body, "Første utkast.");

    world.clock.set(minutes_after(comment.created_at, 16));
    let refused = world
        .service
        .edit_comment(&author, comment.id, "Tredje utkast.")
        .await;
    assert!(
        matches!(refused, Err(CommentChangeError::EditWindowClosed)),
        "{refused:?}"
    );
    let stored = world.db().comment(comment.id).await.expect("stored");
    assert_eq!(stored.body, "Andre utkast.");
    assert_eq!(
        world
            .db()
            .comment_revisions(comment.id)
            .await
            .expect("revisions")
            .len(),
        1
    );
    assert_eq!(
        kinds_since(&world, before).len(),
        2,
        "nothing new announced"
    );
}

#[tokio::test]
async fn a_comment_deleted_by_its_author_stays_in_the_record() {
    let world = open_hearing().await;
    let (author, comment) = posted_by(&world, "kari@example.org", "Dette angrar eg på.").await;
    let before = world.events().len();

    let other = world.citizen("ola@example.org", "Ola").await;
    let refused = world.service.delete_comment(&other, comment.id).await;
    assert!(
        matches!(refused, Err(CommentChangeError::Forbidden)),
        "{refused:?}"
    );
    assert_eq!(
        world.db().comment(comment.id).await.expect("stored").status,
        CommentStatus::Published
    );

    let deleted = world
        .service
        .delete_comment(&author, comment.id)
        .await
        .expect("deleted");
    assert_eq!(deleted.comment.status, CommentStatus::Deleted);
    assert_eq!(kinds_since(&world, before), ["comment_deleted"; 2]);
    let kept = world.db().comment(comment.id).await.expect("kept");
    assert_eq!(kept.status, CommentStatus::Deleted);
    assert_eq!(
        kept.body, "Dette angrar eg på.",
        "the record keeps the text"
    );
    let refused = world
        .service
        .edit_comment(&author, comment.id, "Ny tekst.")
        .await;
    assert!(
        matches!(refused, Err(CommentChangeError::NotPublic)),
        "{refused:?}"
    );
}

fn anonymous(key: &str) -> AnonymousReporter {
    AnonymousReporter {
        key: db::anonymous_reporter_key("salt", key, &format!("browser of {key}")),
    }
}

#[tokio::test]
async fn three_reports_from_different_reporters_hide_a_comment_until_a_planner_decides() {
    let world = open_hearing().await;
    let (_, comment) = posted_by(&world, "kari@example.org", "Ein stygg kommentar.").await;
    let before = world.events().len();
    let reporting = async |actor: &Actor, reporter: Option<&AnonymousReporter>| {
        world
            .service
            .report_comment(actor, reporter, comment.id, Some("Personangrep."))
            .await
            .expect("reported")
    };

    let refused = world
        .service
        .report_comment(&Actor::anonymous(), None, comment.id, None)
        .await;
    assert!(
        matches!(refused, Err(CommentChangeError::SignInRequired)),
        "{refused:?}"
    );

    let ola = world.citizen("ola@example.org", "Ola").await;
    assert!(reporting(&ola, None).await.recorded);
    let again = reporting(&ola, None).await;
    assert!(!again.recorded, "the same person counts once");
    let stranger = anonymous("192.0.2.1");
    let second = reporting(&Actor::anonymous(), Some(&stranger)).await;
    assert!(second.recorded);
    assert_eq!(second.change.comment.status, CommentStatus::Published);
    assert!(
        !reporting(&Actor::anonymous(), Some(&stranger))
            .await
            .recorded,
        "the same browser and address count once"
    );
    assert!(
        kinds_since(&world, before).is_empty(),
        "two reports hide nothing"
    );

    let per = world.citizen("per@example.org", "Per").await;
    let third = reporting(&per, None).await;
    assert_eq!(third.change.comment.status, CommentStatus::PendingReview);
    let hidden: Vec<_> = world.events()[before..]
        .iter()
        .map(|e| e.payload.clone())
        .collect();
    assert_eq!(hidden.len(), 2, "{hidden:?}");
    assert!(
        hidden.iter().all(|p| matches!(
            p,
            EventPayload::CommentHidden(h) if h.comment_id == comment.id && h.pending_review
        )),
        "{hidden:?}"
    );
    assert_eq!(
        world.db().comment(comment.id).await.expect("kept").status,
        CommentStatus::PendingReview
    );
}

#[tokio::test]
async fn one_address_makes_a_limited_number_of_anonymous_reports_in_a_quarter_of_an_hour() {
    let world = open_hearing().await;
    let stranger = anonymous("192.0.2.7");
    let mut comments = Vec::new();
    for n in 0..=ANONYMOUS_REPORTS_PER_QUARTER {
        let (_, comment) = posted_by(
            &world,
            &format!("author{n}@example.org"),
            &format!("Nr. {n}"),
        )
        .await;
        comments.push(comment);
    }
    let (last, earlier) = comments.split_last().expect("comments");
    for comment in earlier {
        world
            .service
            .report_comment(&Actor::anonymous(), Some(&stranger), comment.id, None)
            .await
            .expect("reported");
    }
    let refused = world
        .service
        .report_comment(&Actor::anonymous(), Some(&stranger), last.id, None)
        .await;
    assert!(
        matches!(refused, Err(CommentChangeError::TooManyReports)),
        "{refused:?}"
    );

    world.clock.set(minutes_after(world.clock.now(), 16));
    let later = world
        .service
        .report_comment(&Actor::anonymous(), Some(&stranger), last.id, None)
        .await
        .expect("a quarter of an hour later");
    assert!(later.recorded);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_posts_are_each_stored_once_and_a_failing_one_leaves_the_others_stored() {
    let world = open_hearing().await;
    let shared_key = uuid::Uuid::new_v4();
    let mut posts = tokio::task::JoinSet::new();
    let retrying = world.citizen("kari@example.org", "Kari Nordmann").await;
    for i in 0..30 {
        let author = if i % 3 == 0 {
            retrying.clone()
        } else {
            world
                .citizen(&format!("person{i}@example.org"), &format!("Person {i}"))
                .await
        };
        let service = world.service.clone();
        let hearing = world.hearing.id;
        let mut comment = input(world.sections[0].id, &format!("Innspel nummer {i}."));
        // A third of them are one client retrying with one key: only the first is
        // stored; the others fail on the key inside the shared commit and get it.
        if i % 3 == 0 {
            comment.idempotency_key = Some(shared_key);
        }
        posts.spawn(async move { service.post_comment(&author, hearing, comment).await });
    }
    let mut answers = Vec::new();
    while let Some(answer) = posts.join_next().await {
        answers.push(answer.expect("joined").expect("every post is answered"));
    }
    let created = answers.iter().filter(|p| p.created).count();
    assert_eq!(created, 21, "20 without a key and one with it");
    let with_key: std::collections::BTreeSet<_> = answers
        .iter()
        .filter(|p| !p.created)
        .map(|p| p.comment.id)
        .collect();
    assert_eq!(with_key.len(), 1, "every retry gets the one stored comment");
    let stored = world
        .db()
        .comments_of_hearing(world.hearing.id)
        .await
        .expect("listed");
    assert_eq!(stored.len(), 21);
    // The failed inserts left no trace in the event log: its numbers have no gaps.
    let room = domain::room::Room::Hearing(world.hearing.id);
    let events = world
        .db()
        .events_since(room, 0, 1000)
        .await
        .expect("events");
    let seqs: Vec<i64> = events.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=seqs.len() as i64).collect::<Vec<_>>());
    assert_eq!(
        events
            .iter()
            .filter(|e| matches!(e.payload, EventPayload::CommentPosted(_)))
            .count(),
        21
    );
    // Published once each and in sequence order, however the requests woke up, so
    // live readers need not fill gaps from the event log.
    let published: Vec<i64> = world
        .events()
        .iter()
        .filter(|e| e.room == room)
        .map(|e| e.seq)
        .collect();
    assert_eq!(published, seqs, "published out of order or not once each");
}
