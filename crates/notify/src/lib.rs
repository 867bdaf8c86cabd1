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
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

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
    mailer: Mailer,
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
            mailer,
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
    pub async fn run_once(&self) -> Result<usize, db::DbError> {
        let jobs = self
            .db
            .claim_due_emails_at(self.clock.now(), LEASE, 20)
            .await?;
        let count = jobs.len();
        for job in jobs {
            let rendered = match self.unsubscribe_link(&job).await {
                Ok(Unsubscribe::Wanted(link)) => render_for(&job.envelope, link),
                Ok(Unsubscribe::Done) => {
                    metrics::counter!("samrad_emails_unsubscribed_total").increment(1);
                    if let Err(err) = self.db.mark_email_unsubscribed(job.id).await {
                        // The lease expires and the job is looked at again.
                        tracing::error!(job = %job.id, error = %err, "could not mark email unsubscribed");
                    }
                    continue;
                }
                Err(err) => {
                    // Not sent without knowing whether it is wanted; the lease
                    // expires and the job is tried again.
                    tracing::warn!(job = %job.id, error = %err, "could not read the recipient's email settings");
                    continue;
                }
            };
            match self.mailer.send(&job.id, &job.recipient, &rendered).await {
                Ok(()) => {
                    metrics::counter!("samrad_emails_sent_total").increment(1);
                    if let Err(err) = self.db.mark_email_sent(job.id).await {
                        // The email went out but is not marked: it may be sent again,
                        // with the same Message-ID, which receivers deduplicate.
                        tracing::error!(job = %job.id, error = %err, "could not mark email sent");
                    }
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
                    if let Err(db_err) = self
                        .db
                        .mark_email_failed(job.id, &err.to_string(), retry_at)
                        .await
                    {
                        // The lease expires and the job is retried anyway.
                        tracing::error!(job = %job.id, error = %db_err, "could not record email failure");
                    }
                }
            }
        }
        Ok(count)
    }
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
    async fn unsubscribe_link(&self, job: &db::ClaimedJob) -> Result<Unsubscribe, db::DbError> {
        let email = &job.envelope.email;
        if !email.is_optional() {
            return Ok(Unsubscribe::Wanted(None));
        }
        let Some(person) = self.db.person_by_email(&job.recipient).await? else {
            return Ok(Unsubscribe::Wanted(None));
        };
        if self.db.is_opted_out(person.id, email.kind()).await? {
            return Ok(Unsubscribe::Done);
        }
        let secret = self
            .db
            .server_secret(domain::unsubscribe::SECRET_NAME)
            .await?;
        let token = domain::unsubscribe::token(&secret, person.id, email.kind());
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
