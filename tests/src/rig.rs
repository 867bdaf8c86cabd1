//! A database and an SMTP sink without an application, so that a test runs
//! notification workers itself, one step at a time, on a clock it moves.

use crate::smtp_sink::SmtpSink;
use crate::{Backend, TempDir};
use db::{ClaimedJob, Db};
use domain::email::{Email, OutgoingEmail};
use jiff::{SignedDuration, Timestamp};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A clock that stands still until the test moves it.
pub struct TestClock(Mutex<Timestamp>);

impl TestClock {
    pub fn at(now: Timestamp) -> Arc<TestClock> {
        Arc::new(TestClock(Mutex::new(now)))
    }

    pub fn set(&self, at: Timestamp) {
        *self.0.lock().expect("clock") = at;
    }

    /// The time the clock shows.
    pub fn now_for_tests(&self) -> Timestamp {
        *self.0.lock().expect("clock")
    }

    /// Moves the clock on by `by`, as the passing of that time would.
    pub fn advance(&self, by: SignedDuration) {
        let mut now = self.0.lock().expect("clock");
        *now = now.checked_add(by).expect("a time");
    }
}

impl notify::Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().expect("clock")
    }
}

impl consultation::Clock for TestClock {
    fn now(&self) -> Timestamp {
        *self.0.lock().expect("clock")
    }
}

pub struct Rig {
    pub db: Db,
    pub sink: SmtpSink,
    /// The time every worker of the rig sees; it starts a minute after the real now,
    /// so that what the test queues (at the real now) is due.
    pub clock: Arc<TestClock>,
    pub database_url: String,
    _dir: TempDir,
}

impl Rig {
    pub async fn new() -> Rig {
        let dir = TempDir::new();
        let url = crate::database_url(Backend::from_env(), &dir)
            .await
            .expect("database");
        let db = server::app::connect_and_migrate(&url)
            .await
            .expect("migrated");
        let sink = SmtpSink::start().await.expect("sink");
        Rig {
            db,
            sink,
            clock: TestClock::at(
                db::time::now()
                    .checked_add(SignedDuration::from_mins(1))
                    .expect("a time"),
            ),
            database_url: url,
            _dir: dir,
        }
    }

    /// A notification worker on the rig's database, sink and clock; it runs only
    /// when the test calls it.
    pub fn worker(&self) -> notify::Worker {
        self.worker_on(self.db.clone())
    }

    /// Like [`Rig::worker`], on its own connection to the database, as a worker in
    /// another process would be.
    pub async fn worker_apart(&self) -> notify::Worker {
        let db = Db::connect(&self.database_url).await.expect("connect");
        self.worker_on(db)
    }

    fn worker_on(&self, db: Db) -> notify::Worker {
        let mailer = notify::Mailer::smtp(
            &format!("smtp://{}", self.sink.address()),
            "Samråd <samrad@test.example>",
        )
        .expect("mailer");
        notify::Worker::new(db, mailer, Duration::from_secs(3600))
            .with_base_url("https://samrad.test")
            .with_clock(self.clock.clone())
    }

    /// The consultation service on the rig's database and clock, telling nobody
    /// (the test runs the workers itself).
    pub fn service(&self) -> consultation::Consultation {
        consultation::Consultation::with_clock(
            self.db.clone(),
            Arc::new(consultation::Silent),
            self.clock.clone(),
            consultation::Settings {
                base_url: "https://samrad.test".to_owned(),
                report_threshold: 3,
                attachments_dir: self._dir.0.join("attachments"),
            },
        )
    }

    /// Queues a sign-in email to `to`.
    pub async fn enqueue(&self, to: &str) {
        self.db
            .enqueue_email(&OutgoingEmail {
                dedupe_key: format!("test:{}", uuid::Uuid::new_v4()),
                municipality: None,
                plan: None,
                recipient: to.to_owned(),
                lang: domain::Lang::Nn,
                email: Email::SignInLink {
                    link: "http://samrad.test/sign-in/confirm?token=abc".into(),
                    valid_minutes: 15,
                },
                letterhead: Default::default(),
            })
            .await
            .expect("queued");
    }

    /// The outbox's jobs to `to`.
    pub async fn jobs_to(&self, to: &str) -> Vec<ClaimedJob> {
        self.db
            .recent_emails(1000)
            .await
            .expect("outbox")
            .into_iter()
            .filter(|j| j.recipient == to)
            .collect()
    }

    /// The outbox's one job to `to`.
    pub async fn job_to(&self, to: &str) -> ClaimedJob {
        let jobs = self.jobs_to(to).await;
        assert_eq!(jobs.len(), 1, "{jobs:#?}");
        jobs.into_iter().next().expect("one job")
    }
}
