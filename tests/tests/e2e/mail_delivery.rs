//! The notification worker against a mail server that fails: a temporary refusal
//! keeps the email and it goes once, later, at a time spread by jitter; a permanent
//! refusal or a bad address is given up at once; a worker killed in the middle of
//! sending loses nothing, and another takes the job over within a minute.
//!
//! The retry delay (from 30 s, doubling, with jitter) and the lease (45 s) are
//! constants of the worker, so instead of waiting, these tests move the workers'
//! clock (or, for the running application, the outbox's times into the past), as
//! the passing of that time would.

use db::{ClaimedJob, Db, OutboxStatus};
use jiff::SignedDuration;
use std::time::Duration;
use tests::rig::Rig;
use tests::smtp_sink::Outcome;
use tests::{Backend, PATIENCE, spawn_app};

/// The outbox's one job to `to`.
async fn job_to(db: &Db, to: &str) -> ClaimedJob {
    let jobs: Vec<ClaimedJob> = db
        .recent_emails(100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|j| j.recipient == to)
        .collect();
    assert_eq!(jobs.len(), 1, "{jobs:#?}");
    jobs.into_iter().next().expect("one job")
}

/// The time to retry comes for every pending email.
async fn retry_time_comes(db: &Db) {
    db.execute_unprepared(
        "UPDATE outbox SET run_after = '2000-01-01T00:00:00+00:00' WHERE status = 'pending'",
    )
    .await
    .expect("due");
}

#[tokio::test]
async fn a_temporary_refusal_keeps_the_email_and_it_is_sent_once_when_retried() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    tests::planner(&app, "kari@testvik.example").await;
    app.smtp.refuse_next(1, 451);
    let asked = tests::browser()
        .post(app.url("/sign-in"))
        .form(&[("email", "kari@testvik.example")])
        .send()
        .await
        .expect("post");
    assert_eq!(asked.status(), 200);

    // The worker offers it and is refused; it records the failure and keeps the job.
    let attempts = app
        .smtp
        .wait_for_attempts(1, PATIENCE)
        .await
        .expect("an attempt");
    assert_eq!(attempts[0].outcome, Outcome::Refused(451));
    let deadline = tokio::time::Instant::now() + PATIENCE;
    let job = loop {
        let job = job_to(&app.db, "kari@testvik.example").await;
        if job.last_error.is_some() {
            break job;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the failure was never recorded: {job:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!((job.status, job.attempt), (OutboxStatus::Pending, 1));
    let error = job.last_error.clone().unwrap_or_default();
    assert!(error.contains("451"), "{error}");
    assert!(app.smtp.mails().is_empty());
    // Not before its time: nothing is due now (had it been, this would have taken
    // it, and the test would fail below).
    let due = app
        .db
        .claim_due_emails(jiff::SignedDuration::from_mins(5), 10)
        .await
        .expect("claim");
    assert!(due.is_empty(), "retried at once: {due:?}");

    // Its time comes: the running worker sends it, once.
    retry_time_comes(&app.db).await;
    let mail = app.mail_to("kari@testvik.example", "token=").await;
    app.outbox_drained().await;
    let job = job_to(&app.db, "kari@testvik.example").await;
    assert_eq!(
        (job.status, job.attempt, job.last_error.as_deref()),
        (OutboxStatus::Sent, 2, None)
    );
    assert_eq!(
        app.smtp.mails(),
        std::slice::from_ref(&mail),
        "sent exactly once"
    );
    let attempts = app.smtp.attempts();
    let outcomes: Vec<Outcome> = attempts.iter().map(|a| a.outcome).collect();
    assert_eq!(outcomes, [Outcome::Refused(451), Outcome::Accepted]);
    // Both times as the same message, which receivers can tell apart from others.
    let id = mail.header("message-id").expect("a Message-ID");
    assert!(id.contains(&job.id.to_string()), "{id}");
    assert_eq!(attempts[0].message_id.as_deref(), Some(id.as_str()));
    // And the link in it signs her in.
    let token = tests::token_after(&mail.text(), "token=").expect("a link");
    let confirmed = tests::browser()
        .post(app.url("/sign-in/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(confirmed.status(), 303);
    app.stop().await.expect("stops");
}

/// Longer than any delay before a retry (at most an hour).
const AN_HOUR_AND_MORE: SignedDuration = SignedDuration::from_mins(61);

#[tokio::test]
async fn refused_for_now_twice_then_accepted_arrives_once_after_three_attempts() {
    let rig = Rig::new().await;
    rig.sink.answer_next(&[451, 451, 250]);
    rig.enqueue("kari@testvik.example").await;
    let worker = rig.worker();

    assert_eq!(worker.run_once().await.expect("run"), 1);
    let job = rig.job_to("kari@testvik.example").await;
    assert_eq!((job.status, job.attempt), (OutboxStatus::Pending, 1));
    assert!(job.last_error.clone().unwrap_or_default().contains("451"));
    // Not again before its time.
    assert_eq!(worker.run_once().await.expect("run"), 0);

    for attempt in 2..=3 {
        rig.clock.advance(AN_HOUR_AND_MORE);
        assert_eq!(worker.run_once().await.expect("run"), 1, "{attempt}");
    }
    let job = rig.job_to("kari@testvik.example").await;
    assert_eq!(
        (job.status, job.attempt, job.last_error.as_deref()),
        (OutboxStatus::Sent, 3, None)
    );
    let outcomes: Vec<Outcome> = rig.sink.attempts().iter().map(|a| a.outcome).collect();
    assert_eq!(
        outcomes,
        [
            Outcome::Refused(451),
            Outcome::Refused(451),
            Outcome::Accepted
        ]
    );
    assert_eq!(rig.sink.mails().len(), 1, "one email arrived");
    // Every attempt was the same message.
    let ids: std::collections::BTreeSet<Option<String>> = rig
        .sink
        .attempts()
        .into_iter()
        .map(|a| a.message_id)
        .collect();
    assert_eq!(ids.len(), 1, "{ids:?}");
    // And nothing is left to send.
    rig.clock.advance(AN_HOUR_AND_MORE);
    assert_eq!(worker.run_once().await.expect("run"), 0);
}

#[tokio::test]
async fn a_permanent_refusal_or_a_bad_address_is_given_up_at_once() {
    let rig = Rig::new().await;
    rig.sink.refuse_recipient("borte@example.org", 550);
    rig.enqueue("borte@example.org").await;
    rig.enqueue("not an address").await;
    rig.enqueue("her@example.org").await;
    let worker = rig.worker();

    // One refused address holds up nobody else.
    assert_eq!(worker.run_once().await.expect("run"), 3);
    let delivered: Vec<Vec<String>> = rig.sink.mails().iter().map(|m| m.to.clone()).collect();
    assert_eq!(delivered, [["her@example.org"]]);

    let refused = rig.job_to("borte@example.org").await;
    assert_eq!((refused.status, refused.attempt), (OutboxStatus::Failed, 1));
    assert!(
        refused
            .last_error
            .clone()
            .unwrap_or_default()
            .contains("550")
    );
    let invalid = rig.job_to("not an address").await;
    assert_eq!((invalid.status, invalid.attempt), (OutboxStatus::Failed, 1));
    assert!(
        invalid
            .last_error
            .clone()
            .unwrap_or_default()
            .contains("invalid address"),
        "{invalid:?}"
    );

    // Never tried again, however long one waits.
    for _ in 0..3 {
        rig.clock.advance(AN_HOUR_AND_MORE);
        assert_eq!(worker.run_once().await.expect("run"), 0);
    }
    let offered: Vec<Outcome> = rig
        .sink
        .attempts()
        .iter()
        .filter(|a| a.to == ["borte@example.org"])
        .map(|a| a.outcome)
        .collect();
    assert_eq!(offered, [Outcome::Refused(550)]);
    assert_eq!(rig.db.outbox_depth().await.expect("depth").dead, 2);
}

#[tokio::test]
async fn a_temporary_failure_is_given_up_only_after_the_last_attempt() {
    let rig = Rig::new().await;
    rig.sink.refuse_recipient("full@example.org", 452);
    rig.enqueue("full@example.org").await;
    let worker = rig.worker();
    for attempt in 1..=notify::MAX_ATTEMPTS {
        assert_eq!(worker.run_once().await.expect("run"), 1, "{attempt}");
        let job = rig.job_to("full@example.org").await;
        assert_eq!(job.attempt, attempt);
        let expected = if attempt < notify::MAX_ATTEMPTS {
            OutboxStatus::Pending
        } else {
            OutboxStatus::Failed
        };
        assert_eq!(job.status, expected, "after attempt {attempt}");
        rig.clock.advance(AN_HOUR_AND_MORE);
    }
    assert_eq!(worker.run_once().await.expect("run"), 0);
    assert_eq!(
        rig.sink.attempts().len(),
        usize::try_from(notify::MAX_ATTEMPTS).expect("small")
    );
}

#[tokio::test]
async fn emails_that_failed_together_are_retried_at_different_times() {
    let rig = Rig::new().await;
    rig.sink.answer_next(&[451, 451]);
    rig.enqueue("a@example.org").await;
    rig.enqueue("b@example.org").await;
    let failed_at = notify::Clock::now(&*rig.clock);
    assert_eq!(rig.worker().run_once().await.expect("run"), 2);
    let a = rig.job_to("a@example.org").await;
    let b = rig.job_to("b@example.org").await;
    assert_eq!(
        (a.status, b.status),
        (OutboxStatus::Pending, OutboxStatus::Pending)
    );
    // Both within the first delay (between 15 and 30 seconds), not at the same moment.
    for job in [&a, &b] {
        let delay = job.run_after.duration_since(failed_at);
        assert!(
            delay >= SignedDuration::from_secs(15) && delay <= SignedDuration::from_secs(30),
            "{delay:?}"
        );
    }
    assert_ne!(a.run_after, b.run_after, "retried at the same moment");
}

#[tokio::test]
async fn a_worker_killed_in_the_middle_of_sending_loses_nothing() {
    let rig = Rig::new().await;
    rig.enqueue("kari@testvik.example").await;

    // Worker A sends the whole message; the server never confirms it, and A is killed
    // while it waits.
    rig.sink.stall_next();
    let a = rig.worker();
    let sending = tokio::spawn(async move { a.run_once().await });
    let attempts = rig
        .sink
        .wait_for_attempts(1, PATIENCE)
        .await
        .expect("A sends");
    assert_eq!(attempts[0].outcome, Outcome::Stalled);
    sending.abort();
    assert!(
        sending.await.expect_err("killed").is_cancelled(),
        "A was still sending"
    );
    let job = rig.job_to("kari@testvik.example").await;
    assert_eq!(
        (job.status, job.attempt, job.last_error.as_deref()),
        (OutboxStatus::Pending, 1, None)
    );

    // While A's lease lasts, another worker keeps off: A might only be slow.
    let b = rig.worker_apart().await;
    rig.clock.advance(SignedDuration::from_secs(30));
    assert_eq!(b.run_once().await.expect("run"), 0);
    assert!(rig.sink.mails().is_empty());

    // Within a minute of A's claim, B takes the job over and sends it.
    rig.clock.advance(SignedDuration::from_secs(20));
    assert_eq!(b.run_once().await.expect("run"), 1);
    let job = rig.job_to("kari@testvik.example").await;
    assert_eq!((job.status, job.attempt), (OutboxStatus::Sent, 2));
    let mails = rig.sink.mails();
    assert_eq!(mails.len(), 1, "{mails:#?}");
    // As the same message as A's, so a receiver that did get A's can drop this one.
    let id = mails[0].header("message-id").expect("a Message-ID");
    assert!(id.contains(&job.id.to_string()), "{id}");
    assert_eq!(attempts[0].message_id.as_deref(), Some(id.as_str()));
    // And nothing is left to send.
    rig.clock.advance(AN_HOUR_AND_MORE);
    assert_eq!(b.run_once().await.expect("run"), 0);
    assert_eq!(rig.sink.mails().len(), 1);
}

#[tokio::test]
async fn a_batch_in_which_some_are_refused_sends_the_rest_and_keeps_the_refused_for_a_retry() {
    let rig = Rig::new().await;
    // More emails than the worker sends at once, so several batches are claimed and
    // recorded; every fifth recipient is refused for now.
    let total = 2 * notify::SEND_CONCURRENCY + 6;
    let recipients: Vec<String> = (0..total)
        .map(|i| {
            if i % 5 == 0 {
                format!("full{i}@example.org")
            } else {
                format!("ok{i}@example.org")
            }
        })
        .collect();
    let refused: Vec<&String> = recipients
        .iter()
        .filter(|r| r.starts_with("full"))
        .collect();
    for r in &refused {
        rig.sink.refuse_recipient(r, 451);
    }
    for r in &recipients {
        rig.enqueue(r).await;
    }
    let worker = rig.worker();

    assert_eq!(worker.run_once().await.expect("run"), total);
    // Everyone else got theirs, once each.
    let mut delivered: Vec<String> = rig.sink.mails().iter().flat_map(|m| m.to.clone()).collect();
    delivered.sort();
    let mut expected: Vec<String> = recipients
        .iter()
        .filter(|r| r.starts_with("ok"))
        .cloned()
        .collect();
    expected.sort();
    assert_eq!(delivered, expected);
    for r in &recipients {
        let job = rig.job_to(r).await;
        if r.starts_with("ok") {
            assert_eq!((job.status, job.attempt), (OutboxStatus::Sent, 1), "{r}");
        } else {
            // Kept, for a retry later, with why.
            assert_eq!((job.status, job.attempt), (OutboxStatus::Pending, 1), "{r}");
            assert!(job.run_after > notify::Clock::now(&*rig.clock), "{job:?}");
            assert!(
                job.last_error.clone().unwrap_or_default().contains("451"),
                "{job:?}"
            );
        }
    }
    // Nothing is due before the retry.
    assert_eq!(worker.run_once().await.expect("run"), 0);

    // The server takes them now: the refused ones go, and nobody gets a second one.
    rig.sink.accept_all();
    rig.clock.advance(AN_HOUR_AND_MORE);
    assert_eq!(worker.run_once().await.expect("run"), refused.len());
    let mut delivered: Vec<String> = rig.sink.mails().iter().flat_map(|m| m.to.clone()).collect();
    delivered.sort();
    let mut everyone = recipients.clone();
    everyone.sort();
    assert_eq!(delivered, everyone);
    for r in &refused {
        let job = rig.job_to(r).await;
        assert_eq!((job.status, job.attempt), (OutboxStatus::Sent, 2), "{r}");
    }
}

#[tokio::test]
async fn two_workers_at_once_never_send_the_same_email() {
    let rig = Rig::new().await;
    let total = 3 * notify::SEND_CONCURRENCY;
    for i in 0..total {
        rig.enqueue(&format!("reader{i}@example.org")).await;
    }
    // One in this process, one as in another process (its own connections).
    let a = rig.worker();
    let b = rig.worker_apart().await;
    let (from_a, from_b) = tokio::join!(a.run_once(), b.run_once());
    let (from_a, from_b) = (from_a.expect("a runs"), from_b.expect("b runs"));
    assert_eq!(from_a + from_b, total, "a {from_a}, b {from_b}");
    let mut delivered: Vec<String> = rig.sink.mails().iter().flat_map(|m| m.to.clone()).collect();
    delivered.sort();
    let before = delivered.len();
    delivered.dedup();
    assert_eq!(before, delivered.len(), "an email was sent twice");
    assert_eq!(delivered.len(), total);
    let depth = rig.db.outbox_depth().await.expect("depth");
    assert_eq!((depth.queued, depth.dead), (0, 0));
}
