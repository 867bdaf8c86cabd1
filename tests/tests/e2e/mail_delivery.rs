//! The notification worker against a mail server that fails: a temporary refusal
//! keeps the email and it goes once, later; a refused email is never marked sent; a
//! worker killed in the middle of sending loses nothing, and another takes the job
//! over once its lease has run out.
//!
//! The retry delay (30 s, doubling) and the lease (5 min) are constants of the
//! worker, so instead of waiting, these tests move the outbox's times into the past,
//! as the passing of that time would.

use db::{ClaimedJob, Db, OutboxStatus};
use domain::email::{Email, OutgoingEmail};
use std::time::Duration;
use tests::smtp_sink::{Outcome, SmtpSink};
use tests::{Backend, PATIENCE, TempDir, spawn_app};

/// A database and an SMTP sink without an application, so that the test runs the
/// workers itself, one step at a time.
struct Rig {
    db: Db,
    sink: SmtpSink,
    _dir: TempDir,
}

impl Rig {
    async fn new() -> Rig {
        let dir = TempDir::new();
        let url = tests::database_url(Backend::from_env(), &dir)
            .await
            .expect("database");
        let db = server::app::connect_and_migrate(&url)
            .await
            .expect("migrated");
        let sink = SmtpSink::start().await.expect("sink");
        Rig {
            db,
            sink,
            _dir: dir,
        }
    }

    /// A notification worker on the rig's database and sink; it runs only when the
    /// test calls `run_once`.
    fn worker(&self) -> notify::Worker {
        let mailer = notify::Mailer::smtp(
            &format!("smtp://{}", self.sink.address()),
            "Samråd <samrad@test.example>",
        )
        .expect("mailer");
        notify::Worker::new(self.db.clone(), mailer, Duration::from_secs(3600))
    }

    async fn enqueue(&self, to: &str) {
        self.db
            .enqueue_email(&OutgoingEmail {
                dedupe_key: format!("test:{}", uuid::Uuid::new_v4()),
                municipality: None,
                recipient: to.to_owned(),
                lang: domain::Lang::Nn,
                email: Email::SignInLink {
                    link: "http://samrad.test/sign-in/confirm?token=abc".into(),
                    valid_minutes: 15,
                },
            })
            .await
            .expect("queued");
    }
}

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

/// Every claim on a pending email runs out.
async fn leases_run_out(db: &Db) {
    db.execute_unprepared(
        "UPDATE outbox SET locked_until = '2000-01-01T00:00:00+00:00' \
         WHERE status = 'pending' AND locked_until IS NOT NULL",
    )
    .await
    .expect("expired");
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

#[tokio::test]
async fn a_refused_email_is_never_marked_sent_and_is_given_up_after_the_last_attempt() {
    let rig = Rig::new().await;
    rig.sink.refuse_recipient("borte@example.org", 550);
    rig.enqueue("borte@example.org").await;
    rig.enqueue("her@example.org").await;
    let worker = rig.worker();

    // One refused address holds up nobody else.
    assert_eq!(worker.run_once().await.expect("run"), 2);
    assert_eq!(
        rig.sink
            .mails()
            .iter()
            .map(|m| m.to.clone())
            .collect::<Vec<_>>(),
        [["her@example.org"]]
    );
    assert_eq!(
        job_to(&rig.db, "her@example.org").await.status,
        OutboxStatus::Sent
    );

    for attempt in 1..=notify::MAX_ATTEMPTS {
        if attempt > 1 {
            // Not due before the delay has passed; then it is tried again.
            assert_eq!(worker.run_once().await.expect("run"), 0, "{attempt}");
            retry_time_comes(&rig.db).await;
            assert_eq!(worker.run_once().await.expect("run"), 1, "{attempt}");
        }
        let job = job_to(&rig.db, "borte@example.org").await;
        assert_eq!(job.attempt, attempt);
        let error = job.last_error.clone().unwrap_or_default();
        assert!(error.contains("550"), "{error}");
        let expected = if attempt < notify::MAX_ATTEMPTS {
            OutboxStatus::Pending
        } else {
            OutboxStatus::Failed
        };
        assert_eq!(job.status, expected, "after attempt {attempt}");
    }
    // Given up: kept for an administrator to see, and never tried again.
    retry_time_comes(&rig.db).await;
    assert_eq!(worker.run_once().await.expect("run"), 0);
    let refused: Vec<Outcome> = rig
        .sink
        .attempts()
        .iter()
        .filter(|a| a.to == ["borte@example.org"])
        .map(|a| a.outcome)
        .collect();
    assert_eq!(
        refused,
        vec![Outcome::Refused(550); notify::MAX_ATTEMPTS as usize]
    );
    assert!(
        rig.sink
            .mails()
            .iter()
            .all(|m| m.to != ["borte@example.org"])
    );
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
    let job = job_to(&rig.db, "kari@testvik.example").await;
    assert_eq!(
        (job.status, job.attempt, job.last_error.as_deref()),
        (OutboxStatus::Pending, 1, None)
    );

    // While A's lease lasts, another worker keeps off: A might only be slow.
    let b = rig.worker();
    assert_eq!(b.run_once().await.expect("run"), 0);
    assert!(rig.sink.mails().is_empty());

    // Once it has run out, B takes the job over and sends it.
    leases_run_out(&rig.db).await;
    assert_eq!(b.run_once().await.expect("run"), 1);
    let job = job_to(&rig.db, "kari@testvik.example").await;
    assert_eq!((job.status, job.attempt), (OutboxStatus::Sent, 2));
    let mails = rig.sink.mails();
    assert_eq!(mails.len(), 1, "{mails:#?}");
    // As the same message as A's, so a receiver that did get A's can drop this one.
    let id = mails[0].header("message-id").expect("a Message-ID");
    assert!(id.contains(&job.id.to_string()), "{id}");
    assert_eq!(attempts[0].message_id.as_deref(), Some(id.as_str()));
    // And nothing is left to send.
    leases_run_out(&rig.db).await;
    retry_time_comes(&rig.db).await;
    assert_eq!(b.run_once().await.expect("run"), 0);
    assert_eq!(rig.sink.mails().len(), 1);
}
