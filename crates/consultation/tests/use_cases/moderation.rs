//! A planner's decisions: hiding a comment with a reason (logged, its author told by
//! email), showing it again, and publishing input that waited for screening.

use crate::comments::{input, posted_by};
use crate::support::open_hearing;
use consultation::moderation::ModerationError;
use domain::email::Email;
use domain::event::EventPayload;
use domain::hearing::CommentStatus;

const WHO: &str = "planleggjar@alver.example";

#[tokio::test]
async fn a_planner_hides_with_a_reason_that_is_logged_and_emailed_and_restores() {
    let world = open_hearing().await;
    let (_, comment) = posted_by(&world, "kari@example.org", "Ein stygg kommentar.").await;
    let planner = world.planner();
    let before = world.events().len();
    let wakes = world.email_wakes();

    let ola = world.citizen("ola@example.org", "Ola").await;
    let refused = world
        .service
        .hide_comment(&ola, WHO, comment.id, Some("Eg likar han ikkje."))
        .await;
    assert!(
        matches!(refused, Err(ModerationError::Forbidden)),
        "{refused:?}"
    );
    for reason in [None, Some("  ")] {
        let refused = world
            .service
            .hide_comment(&planner, WHO, comment.id, reason)
            .await;
        assert!(
            matches!(refused, Err(ModerationError::ReasonRequired)),
            "{refused:?}"
        );
    }
    assert_eq!(world.events().len(), before, "nothing announced");

    let reason = "Personangrep mot ein tilsett.";
    let hidden = world
        .service
        .hide_comment(&planner, WHO, comment.id, Some(reason))
        .await
        .expect("hidden");
    assert_eq!(hidden.comment.status, CommentStatus::Hidden);
    let announced: Vec<_> = world.events()[before..]
        .iter()
        .map(|e| e.payload.clone())
        .collect();
    assert_eq!(announced.len(), 2, "{announced:?}");
    assert!(
        announced.iter().all(|p| matches!(
            p,
            EventPayload::CommentHidden(h) if h.comment_id == comment.id && !h.pending_review
        )),
        "{announced:?}"
    );
    assert_eq!(
        world.email_wakes(),
        wakes + 1,
        "the worker is told of the email"
    );
    let emails = world.db().recent_emails(20).await.expect("outbox");
    let told = emails
        .iter()
        .find(|job| matches!(job.envelope.email, Email::InputHidden { .. }))
        .expect("the author's email is queued");
    assert_eq!(told.recipient, "kari@example.org");
    assert!(
        matches!(&told.envelope.email, Email::InputHidden { reason: r, excerpt, .. }
            if r == reason && excerpt == "Ein stygg kommentar."),
        "{:?}",
        told.envelope.email
    );
    let log = world
        .db()
        .moderation_log(world.hearing.id)
        .await
        .expect("log");
    assert_eq!(log.len(), 1);
    assert_eq!(log[0].action, "hidden");
    assert_eq!(log[0].actor, WHO);
    assert_eq!(log[0].reason.as_deref(), Some(reason));

    // Hiding it again changes nothing and tells nobody.
    let again = world
        .service
        .hide_comment(&planner, WHO, comment.id, Some(reason))
        .await
        .expect("hidden already");
    assert!(again.events.is_empty());
    assert_eq!(world.email_wakes(), wakes + 1);

    let restored = world
        .service
        .restore_comment(&planner, WHO, comment.id, None)
        .await
        .expect("restored");
    assert_eq!(restored.comment.status, CommentStatus::Published);
    let kinds: Vec<_> = world.events()[before + 2..]
        .iter()
        .map(|e| e.payload.kind())
        .collect();
    assert_eq!(kinds, ["comment_restored"; 2]);
    assert_eq!(world.email_wakes(), wakes + 1, "no email for a restore");
    let log = world
        .db()
        .moderation_log(world.hearing.id)
        .await
        .expect("log");
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["restored", "hidden"]
    );
    assert_eq!(
        world.db().comment(comment.id).await.expect("kept").status,
        CommentStatus::Published
    );
}

#[tokio::test]
async fn publishing_a_screened_comment_announces_it_and_tells_the_planners() {
    let world = open_hearing().await;
    let planner = world.planner();
    world
        .service
        .set_screening(&planner, WHO, &world.hearing, true)
        .await
        .expect("screening on");
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    let posted = world
        .service
        .post_comment(
            &kari,
            world.hearing.id,
            input(world.sections[0].id, "Naboen min er sjuk."),
        )
        .await
        .expect("stored");
    assert_eq!(posted.comment.status, CommentStatus::Screening);
    let id = posted.comment.id;
    let before = world.events().len();
    let wakes = world.email_wakes();

    // Nobody else finds input that waits for screening, let alone publishes it.
    let ola = world.citizen("ola@example.org", "Ola").await;
    let refused = world.service.publish_screened(&ola, WHO, id).await;
    assert!(
        matches!(refused, Err(ModerationError::NotFound)),
        "{refused:?}"
    );

    let published = world
        .service
        .publish_screened(&planner, WHO, id)
        .await
        .expect("published");
    assert_eq!(published.comment.status, CommentStatus::Published);
    let announced = &world.events()[before..];
    assert!(
        announced
            .iter()
            .any(|e| matches!(&e.payload, EventPayload::CommentPosted(p) if p.comment_id == id)),
        "{:?}",
        announced
            .iter()
            .map(|e| e.payload.kind())
            .collect::<Vec<_>>()
    );
    assert_eq!(
        world.email_wakes(),
        wakes + 1,
        "the planners' notice is queued"
    );
    assert_eq!(
        world.db().comment(id).await.expect("listed").status,
        CommentStatus::Published
    );

    let again = world
        .service
        .publish_screened(&planner, WHO, id)
        .await
        .expect("published already");
    assert!(again.events.is_empty());
    assert_eq!(world.email_wakes(), wakes + 1);
}
