//! The notification worker: claims outbox jobs, renders emails and sends them.
//!
//! Invariants: never depends on axum; a job is marked sent only after the transport
//! accepted the message, and a failure leaves the job in the outbox to retry
//! (at-least-once delivery, deduplicated by a Message-ID derived from the job id).

mod render;
pub mod scheduler;
mod transport;

pub use render::{RenderedEmail, render};
pub use transport::{Mailer, MailerError};

use db::Db;
use jiff::{SignedDuration, Timestamp};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

/// Give up on a job after this many attempts (about a day of retries).
pub const MAX_ATTEMPTS: i32 = 10;

/// How often input nobody confirmed is looked for (it is kept for days, so an
/// hour late is no matter).
const PURGE_EVERY: Duration = Duration::from_secs(3600);

/// How long a claim lasts before another worker may take the job over.
const LEASE: SignedDuration = SignedDuration::from_mins(5);

pub struct Worker {
    db: Db,
    mailer: Mailer,
    wake: Arc<Notify>,
    poll_interval: Duration,
}

impl Worker {
    pub fn new(db: Db, mailer: Mailer, poll_interval: Duration) -> Worker {
        Worker {
            db,
            mailer,
            wake: Arc::new(Notify::new()),
            poll_interval,
        }
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
        loop {
            if last_purge.is_none_or(|at| at.elapsed() >= PURGE_EVERY) {
                last_purge = Some(tokio::time::Instant::now());
                if let Err(err) = scheduler::purge_unconfirmed(&self.db).await {
                    tracing::warn!(error = %err, "could not delete unconfirmed input");
                }
            }
            if let Err(err) = scheduler::tick(&self.db).await {
                tracing::warn!(error = %err, "could not open or close hearings on time");
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

    /// Claims and sends the jobs that are due now; returns how many were handled.
    pub async fn run_once(&self) -> Result<usize, db::DbError> {
        let jobs = self.db.claim_due_emails(LEASE, 20).await?;
        let count = jobs.len();
        for job in jobs {
            let rendered = render(&job.envelope);
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
                    let retry_at = retry_at(job.attempt, Timestamp::now());
                    tracing::warn!(job = %job.id, attempt = job.attempt, error = %err, gives_up = retry_at.is_none(), "email not sent");
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

/// Exponential backoff from 30 seconds, at most an hour apart; `None` after the last attempt.
pub fn retry_at(attempt: i32, now: Timestamp) -> Option<Timestamp> {
    if attempt >= MAX_ATTEMPTS {
        return None;
    }
    let exponent = u32::try_from(attempt.saturating_sub(1).clamp(0, 16)).unwrap_or(0);
    let seconds = (30_i64.saturating_mul(1_i64 << exponent)).min(3600);
    now.checked_add(SignedDuration::from_secs(seconds)).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_stops() {
        let now = Timestamp::UNIX_EPOCH;
        let secs = |a| retry_at(a, now).map(|t| t.as_second());
        assert_eq!(secs(1), Some(30));
        assert_eq!(secs(2), Some(60));
        assert_eq!(secs(3), Some(120));
        assert_eq!(secs(9), Some(3600));
        assert_eq!(secs(MAX_ATTEMPTS), None);
    }
}
