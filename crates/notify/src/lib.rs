//! The notification worker: claims outbox jobs, renders emails and sends them, queues
//! deadline reminders, and empties what the outbox no longer needs.
//!
//! Invariants: never depends on axum; a job is marked sent only after the transport
//! accepted the message, and a failure leaves the job in the outbox to retry
//! (at-least-once delivery, deduplicated by a Message-ID derived from the job id).

pub mod calendar;
pub mod digest;
mod render;
pub mod scheduler;
mod transport;

pub use render::{CalendarAttachment, RenderedEmail, render, render_for};
pub use transport::{Mailer, MailerError};

use db::Db;
use jiff::{SignedDuration, Timestamp};
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{Notify, OnceCell};
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;

/// Emails on their way at once (each over a pooled SMTP connection of its own).
pub const SEND_CONCURRENCY: usize = 32;

/// Give up on a job after this many attempts (about a day of retries).
pub const MAX_ATTEMPTS: i32 = 10;

/// How often old payloads, spent tokens and input nobody confirmed are looked for
/// (they are kept for days, so an hour late is no matter).
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// How often due reminders are looked for; they go out at 09:00, a minute late is
/// no matter, and the outbox's keys keep a second look from sending one twice.
const REMIND_EVERY: Duration = Duration::from_secs(60);

/// How long a claim lasts before another worker may take the job over. A send takes
/// seconds (the SMTP timeout is 30 s), so a killed worker's jobs go out again
/// within a minute.
pub const LEASE: SignedDuration = SignedDuration::from_secs(45);

/// The first retry comes after this delay, doubling up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: SignedDuration = SignedDuration::from_secs(30);
const MAX_BACKOFF: SignedDuration = SignedDuration::from_hours(1);

/// Days a finished email's payload is kept before its text is emptied.
pub const DEFAULT_RETENTION_DAYS: u32 = 30;

/// The time the worker sees, so tests can move it.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> Timestamp;
}

/// The system clock at storage precision.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Timestamp {
        db::time::now()
    }
}

pub struct Worker {
    db: Db,
    mailer: Arc<Mailer>,
    /// The key of the unsubscribe links (never changes once made).
    unsubscribe_secret: OnceCell<String>,
    wake: Arc<Notify>,
    poll_interval: Duration,
    clock: Arc<dyn Clock>,
    /// The public address, for links in reminders.
    base_url: String,
    retention_days: u32,
    /// The hour (Norwegian time) the daily digests go out.
    digest_hour: u8,
}

impl Worker {
    pub fn new(db: Db, mailer: Mailer, poll_interval: Duration) -> Worker {
        Worker {
            db,
            mailer: Arc::new(mailer),
            unsubscribe_secret: OnceCell::new(),
            wake: Arc::new(Notify::new()),
            poll_interval,
            clock: Arc::new(SystemClock),
            base_url: "http://localhost:8080".to_owned(),
            retention_days: DEFAULT_RETENTION_DAYS,
            digest_hour: domain::digest::DEFAULT_HOUR,
        }
    }

    /// Links in the emails the worker writes itself (reminders) start with this.
    pub fn with_base_url(mut self, base_url: &str) -> Worker {
        base_url
            .trim_end_matches('/')
            .clone_into(&mut self.base_url);
        self
    }

    /// How many days a finished email's text is kept.
    pub fn with_retention_days(mut self, days: u32) -> Worker {
        self.retention_days = days;
        self
    }

    /// The hour (0–23, Norwegian time) the daily digests go out.
    pub fn with_digest_hour(mut self, hour: u8) -> Worker {
        self.digest_hour = hour.min(23);
        self
    }

    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Worker {
        self.clock = clock;
        self
    }

    /// Notify this after committing an outbox job to send it without waiting for the poll.
    pub fn waker(&self) -> Arc<Notify> {
        Arc::clone(&self.wake)
    }

    /// Runs until `shutdown` fires; the job in hand is finished first.
    pub async fn run(self, shutdown: CancellationToken) {
        tracing::info!(
            transport = self.mailer.describe(),
            "notification worker started"
        );
        let mut last_purge: Option<tokio::time::Instant> = None;
        let mut last_reminders: Option<tokio::time::Instant> = None;
        let mut digests_done_on: Option<jiff::civil::Date> = None;
        loop {
            if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
                last_purge = Some(tokio::time::Instant::now());
                self.purge().await;
            }
            if let Err(err) = scheduler::tick(&self.db, &self.base_url).await {
                tracing::warn!(error = %err, "could not open or close hearings on time");
            }
            if last_reminders.is_none_or(|at| at.elapsed() >= REMIND_EVERY) {
                last_reminders = Some(tokio::time::Instant::now());
                if let Err(err) = self.queue_due_reminders().await {
                    tracing::warn!(error = %err, "could not queue deadline reminders");
                }
                // Once a day's digests are queued, that day's are done here (the
                // outbox's keys guard against other processes and restarts).
                let due =
                    domain::digest::due(self.clock.now(), self.digest_hour).map(|day| day.sent_on);
                if due.is_some() && due != digests_done_on {
                    match self.queue_due_digests().await {
                        Ok(_) => digests_done_on = due,
                        Err(err) => {
                            tracing::warn!(error = %err, "could not queue the daily digests");
                        }
                    }
                }
            }
            match self.run_once().await {
                Ok(0) => {}
                // More may be due: go on without sleeping.
                Ok(_) => continue,
                Err(err) => tracing::warn!(error = %err, "could not claim outbox jobs"),
            }
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(self.poll_interval) => {}
            }
            if shutdown.is_cancelled() {
                break;
            }
        }
        tracing::info!("notification worker stopped");
    }

    /// Queues the reminders due now (see [`scheduler::queue_reminders`] and
    /// [`scheduler::queue_workshop_reminders`]); returns
    /// how many were new.
    pub async fn queue_due_reminders(&self) -> Result<usize, db::DbError> {
        let now = self.clock.now();
        let deadlines = scheduler::queue_reminders(&self.db, now, &self.base_url).await?;
        let workshops = scheduler::queue_workshop_reminders(&self.db, now, &self.base_url).await?;
        Ok(deadlines + workshops)
    }

    /// Queues the daily digests due now (see [`digest::queue_digests`]); returns how
    /// many were new.
    pub async fn queue_due_digests(&self) -> Result<usize, db::DbError> {
        digest::queue_digests(&self.db, self.clock.now(), self.digest_hour, &self.base_url).await
    }

    /// Empties old payloads and deletes spent tokens, old sessions and input nobody
    /// confirmed, and refreshes SQLite's statistics where they are stale. A failure
    /// is logged; the next round tries again.
    pub async fn purge(&self) {
        let now = self.clock.now();
        if let Err(err) = scheduler::purge_unconfirmed(&self.db).await {
            tracing::warn!(error = %err, "could not delete unconfirmed input");
        }
        if let Err(err) = scheduler::purge_outbox(&self.db, now, self.retention_days).await {
            tracing::warn!(error = %err, "could not empty old emails");
        }
        if let Err(err) = scheduler::purge_spent_tokens(&self.db, now).await {
            tracing::warn!(error = %err, "could not delete spent sign-in tokens");
        }
        // SQLite's statistics follow the tables as they grow (see `Db::optimize`).
        if let Err(err) = self.db.optimize().await {
            tracing::warn!(error = %err, "could not refresh the database's statistics");
        }
    }

    /// Claims and sends the jobs that are due now; returns how many were handled.
    ///
    /// Up to [`SEND_CONCURRENCY`] emails are on their way at once over the mailer's
    /// pooled connections. Jobs are claimed in batches as places free up (so each
    /// is claimed only just before it is sent and its lease need only cover one
    /// send), and what became of them is recorded in one commit per batch of
    /// finished sends: a job is marked sent only after the server accepted it, a
    /// refused one is kept for a retry with backoff (or given up on a permanent
    /// refusal), and one whose outcome was not recorded (a crash) is sent again
    /// with the same Message-ID when its lease ends.
    pub async fn run_once(&self) -> Result<usize, db::DbError> {
        let mut sending: JoinSet<Sent> = JoinSet::new();
        let mut finished = Vec::new();
        let mut handled = 0;
        let mut more_due = true;
        let mut claim_error = None;
        let mut wanted = Wanted::default();
        loop {
            // Claim again once half the places are free, so claims come in batches.
            if more_due && sending.len() <= SEND_CONCURRENCY / 2 {
                let free = SEND_CONCURRENCY - sending.len();
                match self
                    .db
                    .claim_due_emails_at(self.clock.now(), LEASE, free as u64)
                    .await
                {
                    Ok(jobs) => {
                        more_due = jobs.len() == free;
                        handled += jobs.len();
                        for job in jobs {
                            self.start_send(&mut sending, &mut wanted, job).await;
                        }
                    }
                    Err(err) => {
                        more_due = false;
                        claim_error = Some(err);
                    }
                }
            }
            let Some(first) = sending.join_next().await else {
                break;
            };
            finished.push(first);
            while let Some(done) = sending.try_join_next() {
                finished.push(done);
            }
            self.record(&mut finished).await;
        }
        match claim_error {
            Some(err) if handled == 0 => Err(err),
            Some(err) => {
                tracing::warn!(error = %err, "could not claim more outbox jobs");
                Ok(handled)
            }
            None => Ok(handled),
        }
    }

    /// Renders and sends one claimed job on a task of its own, unless its recipient
    /// turned its kind off.
    async fn start_send(
        &self,
        sending: &mut JoinSet<Sent>,
        wanted: &mut Wanted,
        job: db::ClaimedJob,
    ) {
        let link = match self.unsubscribe_link(wanted, &job).await {
            Ok(Unsubscribe::Wanted(link)) => link,
            Ok(Unsubscribe::Done) => {
                metrics::counter!("samrad_emails_unsubscribed_total").increment(1);
                if let Err(err) = self.db.mark_email_unsubscribed(job.id).await {
                    // The lease expires and the job is looked at again.
                    tracing::error!(job = %job.id, error = %err, "could not mark email unsubscribed");
                }
                return;
            }
            Err(err) => {
                // Not sent without knowing whether it is wanted; the lease
                // expires and the job is tried again.
                tracing::warn!(job = %job.id, error = %err, "could not read the recipient's email settings");
                return;
            }
        };
        let mailer = Arc::clone(&self.mailer);
        sending.spawn(async move {
            let rendered = render_for(&job.envelope, link);
            let result = mailer.send(&job.id, &job.recipient, &rendered).await;
            (job, result)
        });
    }

    /// Records finished sends in one commit and empties `finished`.
    async fn record(&self, finished: &mut Vec<Result<Sent, tokio::task::JoinError>>) {
        let mut sent = Vec::new();
        let mut failed = Vec::new();
        for done in finished.drain(..) {
            let (job, result) = match done {
                Ok(done) => done,
                // A send that panicked: its lease expires and it is tried again.
                Err(err) => {
                    tracing::error!(error = %err, "an email's send task failed");
                    continue;
                }
            };
            match result {
                Ok(()) => {
                    metrics::counter!("samrad_emails_sent_total").increment(1);
                    sent.push(job);
                }
                Err(err) => {
                    metrics::counter!("samrad_email_failures_total").increment(1);
                    // A permanent refusal is given up at once: retrying changes nothing.
                    let retry_at = if err.is_permanent() {
                        None
                    } else {
                        retry_at(job.attempt, self.clock.now(), rand::random::<f64>())
                    };
                    if retry_at.is_none() {
                        metrics::counter!("samrad_emails_dead_total").increment(1);
                    }
                    tracing::warn!(job = %job.id, attempt = job.attempt, error = %err, permanent = err.is_permanent(), gives_up = retry_at.is_none(), "email not sent");
                    failed.push(db::DeliveryFailure {
                        id: job.id,
                        error: err.to_string(),
                        retry_at,
                    });
                }
            }
        }
        if let Err(err) = self.db.record_deliveries(&sent, &failed).await {
            // Sent emails not marked may be sent again when their lease ends, with
            // the same Message-ID, which receivers deduplicate; failures are retried.
            tracing::error!(error = %err, sent = sent.len(), failed = failed.len(), "could not record what became of emails");
        }
    }
}

/// A claimed job and what the mail server answered to it.
type Sent = (db::ClaimedJob, Result<(), MailerError>);

/// What one round of the worker learnt about recipients' settings, so that a batch
/// of emails to the same person reads them once.
#[derive(Default)]
struct Wanted {
    people: HashMap<String, Option<domain::PersonId>>,
    opted_out: HashMap<(domain::PersonId, &'static str), bool>,
}

/// Whether the recipient wants a job's email, and the link that turns its kind off.
enum Unsubscribe {
    /// Send it, with this one-click link when its kind may be turned off.
    Wanted(Option<String>),
    /// The recipient turned this kind off: do not send.
    Done,
}

impl Worker {
    /// Decided at send time, so every email of a kind the recipient turned off stays
    /// unsent, however it was queued. Sign-in links, confirmations, receipts and
    /// invitations always go, without a link; so does email to an address that
    /// belongs to nobody (yet).
    async fn unsubscribe_link(
        &self,
        wanted: &mut Wanted,
        job: &db::ClaimedJob,
    ) -> Result<Unsubscribe, db::DbError> {
        let email = &job.envelope.email;
        if !email.is_optional() {
            return Ok(Unsubscribe::Wanted(None));
        }
        let person = match wanted.people.get(&job.recipient) {
            Some(person) => *person,
            None => {
                let person = self.db.person_by_email(&job.recipient).await?.map(|p| p.id);
                wanted.people.insert(job.recipient.clone(), person);
                person
            }
        };
        let Some(person) = person else {
            return Ok(Unsubscribe::Wanted(None));
        };
        let kind = email.kind();
        let opted_out = match wanted.opted_out.get(&(person, kind)) {
            Some(opted_out) => *opted_out,
            None => {
                let opted_out = self.db.is_opted_out(person, kind).await?;
                wanted.opted_out.insert((person, kind), opted_out);
                opted_out
            }
        };
        if opted_out {
            return Ok(Unsubscribe::Done);
        }
        let secret = self
            .unsubscribe_secret
            .get_or_try_init(|| self.db.server_secret(domain::unsubscribe::SECRET_NAME))
            .await?;
        let token = domain::unsubscribe::token(secret, person, kind);
        Ok(Unsubscribe::Wanted(Some(format!(
            "{}/unsubscribe/{token}",
            self.base_url
        ))))
    }
}

/// The delay before retry number `attempt`: from 30 seconds, doubling, at most an
/// hour, of which a random part (`jitter` in `[0, 1)`) spreads jobs that failed
/// together (say, while the mail server was down) so they do not all come back at
/// once. Between half and all of the doubled delay.
pub fn backoff(attempt: i32, jitter: f64) -> SignedDuration {
    let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 16)).unwrap_or(0);
    let full = FIRST_BACKOFF
        .checked_mul(1_i32 << exponent)
        .unwrap_or(MAX_BACKOFF)
        .min(MAX_BACKOFF);
    let half = full / 2;
    half + half.mul_f64(jitter.clamp(0.0, 1.0))
}

/// When to try again after failed attempt number `attempt`; `None` after the last.
pub fn retry_at(attempt: i32, now: Timestamp, jitter: f64) -> Option<Timestamp> {
    if attempt >= MAX_ATTEMPTS {
        return None;
    }
    now.checked_add(backoff(attempt, jitter)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_to_a_cap_and_stops() {
        let now = Timestamp::UNIX_EPOCH;
        let secs = |a, jitter| retry_at(a, now, jitter).map(|t| t.as_second());
        // Without jitter half the doubled delay, with the most jitter all of it.
        assert_eq!(secs(1, 0.0), Some(15));
        assert_eq!(secs(1, 0.999_999), Some(29));
        assert_eq!(secs(2, 0.0), Some(30));
        assert_eq!(secs(3, 0.5), Some(90));
        assert_eq!(secs(9, 0.0), Some(1800));
        assert_eq!(backoff(30, 1.0), MAX_BACKOFF);
        assert_eq!(secs(MAX_ATTEMPTS, 0.5), None);
    }

    #[test]
    fn jitter_spreads_jobs_that_failed_together() {
        assert_ne!(backoff(4, 0.1), backoff(4, 0.7));
        assert!(backoff(4, 0.1) >= backoff(4, 0.0));
        assert!(backoff(4, 0.9) <= backoff(5, 0.0));
    }
}
