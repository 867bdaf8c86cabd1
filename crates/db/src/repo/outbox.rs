//! The transactional outbox for email.
//!
//! A job is written in the same transaction as the change that causes it, claimed
//! with a lease by a worker, and marked sent only after the SMTP server accepted it.
//! A failed send is retried with backoff; no row is ever deleted, so a failure is
//! visible to an administrator instead of silently lost.
//!
//! The outbox keeps no secrets once they are delivered: marking an email sent
//! removes a link that signs in, confirms input or accepts an invitation from its
//! stored payload, and after the retention period every text of a finished email is
//! emptied (the row, with its unique key, stays, so a reminder is never queued again).

use crate::entities::outbox;
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::OutboxJobId;
use domain::email::{EmailEnvelope, OutgoingEmail};
use jiff::{SignedDuration, Timestamp};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, QueryTrait, TransactionTrait,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    Pending,
    Sent,
    /// Gave up after the maximum number of attempts; kept for an administrator.
    Failed,
    /// Not sent: the recipient asked to be forgotten before it went.
    Cancelled,
    /// Not sent: the recipient turned this kind of email off.
    Unsubscribed,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Cancelled => "cancelled",
            OutboxStatus::Unsubscribed => "unsubscribed",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        [
            OutboxStatus::Pending,
            OutboxStatus::Sent,
            OutboxStatus::Failed,
            OutboxStatus::Cancelled,
            OutboxStatus::Unsubscribed,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    pub id: OutboxJobId,
    /// The email's kind (`sign_in_link`, `deadline_reminder`, …).
    pub kind: String,
    pub dedupe_key: String,
    pub recipient: String,
    pub envelope: EmailEnvelope,
    /// 1 on the first try.
    pub attempt: i32,
    pub status: OutboxStatus,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
    /// When the next attempt is due (for a pending job).
    pub run_after: Timestamp,
    pub sent_at: Option<Timestamp>,
    /// The municipality it was sent for, when it was sent for one.
    pub municipality: Option<domain::MunicipalityId>,
    /// The plan it was sent for, when it was sent for one.
    pub plan: Option<domain::PlanId>,
}

/// How many emails wait and how many were given up, for `/metrics`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OutboxDepth {
    pub queued: u64,
    pub dead: u64,
}

fn into_job(m: outbox::Model) -> Result<ClaimedJob, DbError> {
    Ok(ClaimedJob {
        id: m.id.into(),
        kind: m.kind,
        dedupe_key: m.dedupe_key,
        recipient: m.recipient,
        envelope: serde_json::from_str(&m.payload).map_err(|e| DbError::Corrupt(e.to_string()))?,
        attempt: m.attempts,
        status: super::parse_enum(&m.status, OutboxStatus::parse, "outbox status")?,
        last_error: m.last_error,
        created_at: from_db(m.created_at)?,
        run_after: from_db(m.run_after)?,
        sent_at: m.sent_at.map(from_db).transpose()?,
        municipality: m.municipality_id.map(domain::MunicipalityId),
        plan: m.plan_id.map(domain::PlanId),
    })
}

/// The payload with every text emptied and every list cleared: what stays of an
/// email after the retention period. It still reads as the same kind of email.
fn emptied_payload(payload: &str) -> Result<String, DbError> {
    fn empty(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::String(s) => s.clear(),
            serde_json::Value::Array(items) => items.clear(),
            serde_json::Value::Object(fields) => {
                for (name, field) in fields.iter_mut() {
                    // What kind of email and in which language is no personal data.
                    if name != "kind" && name != "lang" {
                        empty(field);
                    }
                }
            }
            _ => {}
        }
    }
    let mut value: serde_json::Value =
        serde_json::from_str(payload).map_err(|e| DbError::Corrupt(e.to_string()))?;
    empty(&mut value);
    Ok(value.to_string())
}

/// Queues an email inside the caller's transaction; a second email with the same
/// dedupe key is ignored. Returns whether it was queued now.
pub(crate) async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    email: &OutgoingEmail,
) -> Result<bool, DbError> {
    let envelope = EmailEnvelope {
        lang: email.lang,
        email: email.email.clone(),
        letterhead: email.letterhead.clone(),
    };
    let payload = serde_json::to_string(&envelope).map_err(|e| DbError::Other(e.to_string()))?;
    let at = to_db(now());
    let inserted = outbox::Entity::insert(outbox::ActiveModel {
        id: Set(OutboxJobId::new().0),
        kind: Set(email.email.kind().to_owned()),
        dedupe_key: Set(email.dedupe_key.clone()),
        recipient: Set(email.recipient.clone()),
        payload: Set(payload),
        status: Set(OutboxStatus::Pending.as_str().to_owned()),
        attempts: Set(0),
        run_after: Set(at),
        locked_until: Set(None),
        last_error: Set(None),
        created_at: Set(at),
        sent_at: Set(None),
        municipality_id: Set(email.municipality.map(|m| m.0)),
        payload_purged_at: Set(None),
        plan_id: Set(email.plan.map(|p| p.0)),
    })
    .on_conflict_do_nothing_on([outbox::Column::DedupeKey])
    .exec_without_returning(conn)
    .await?;
    Ok(matches!(inserted, sea_orm::TryInsertResult::Inserted(n) if n > 0))
}

fn claimable(at: Timestamp) -> Condition {
    Condition::all()
        .add(outbox::Column::Status.eq(OutboxStatus::Pending.as_str()))
        .add(outbox::Column::RunAfter.lte(to_db(at)))
        .add(
            Condition::any()
                .add(outbox::Column::LockedUntil.is_null())
                .add(outbox::Column::LockedUntil.lt(to_db(at))),
        )
}

/// A failed attempt to send a claimed job: retried at `retry_at`, or given up
/// when `None`.
#[derive(Debug, Clone)]
pub struct DeliveryFailure {
    pub id: OutboxJobId,
    pub error: String,
    pub retry_at: Option<Timestamp>,
}

fn sent_update(at: sea_orm::prelude::DateTimeUtc) -> sea_orm::UpdateMany<outbox::Entity> {
    outbox::Entity::update_many()
        .col_expr(
            outbox::Column::Status,
            Expr::value(OutboxStatus::Sent.as_str()),
        )
        .col_expr(outbox::Column::SentAt, Expr::value(Some(at)))
        .col_expr(
            outbox::Column::LockedUntil,
            Expr::value(Option::<sea_orm::prelude::DateTimeUtc>::None),
        )
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Option::<String>::None),
        )
}

fn failed_update(error: &str, retry_at: Option<Timestamp>) -> sea_orm::UpdateMany<outbox::Entity> {
    let status = if retry_at.is_some() {
        OutboxStatus::Pending
    } else {
        OutboxStatus::Failed
    };
    let mut update = outbox::Entity::update_many()
        .col_expr(outbox::Column::Status, Expr::value(status.as_str()))
        .col_expr(
            outbox::Column::LastError,
            Expr::value(Some(error.chars().take(2000).collect::<String>())),
        )
        .col_expr(
            outbox::Column::LockedUntil,
            Expr::value(Option::<sea_orm::prelude::DateTimeUtc>::None),
        );
    if let Some(at) = retry_at {
        update = update.col_expr(outbox::Column::RunAfter, Expr::value(to_db(at)));
    }
    update
}

impl Db {
    /// Queues one email outside any other change (for example from an admin action).
    pub async fn enqueue_email(&self, email: &OutgoingEmail) -> Result<(), DbError> {
        enqueue(&self.conn, email).await.map(|_| ())
    }

    /// Queues emails whose dedupe keys make them idempotent (scheduled reminders);
    /// returns how many were new.
    pub async fn enqueue_emails(&self, emails: &[OutgoingEmail]) -> Result<usize, DbError> {
        let mut queued = 0;
        for email in emails {
            if enqueue(&self.conn, email).await? {
                queued += 1;
            }
        }
        Ok(queued)
    }

    /// Claims up to `limit` due jobs for `lease`; two workers (or two processes) never
    /// claim the same job at once. On PostgreSQL the due rows are locked with
    /// `FOR UPDATE SKIP LOCKED`, so concurrent workers take different rows instead of
    /// queueing behind each other; on SQLite (one writer) each claim is a conditional
    /// update that only succeeds while the job is still claimable.
    pub async fn claim_due_emails(
        &self,
        lease: SignedDuration,
        limit: u64,
    ) -> Result<Vec<ClaimedJob>, DbError> {
        self.claim_due_emails_at(now(), lease, limit).await
    }

    /// [`Self::claim_due_emails`] as of `at` (the worker's clock).
    ///
    /// One statement claims the whole batch and returns it: on PostgreSQL the rows
    /// are chosen `FOR UPDATE SKIP LOCKED`, so concurrent workers take different
    /// rows instead of waiting for each other; on SQLite the statement runs under
    /// the database's one write lock, so it is a single claim too. The claim is
    /// conditional on the row still being claimable either way.
    pub async fn claim_due_emails_at(
        &self,
        at: Timestamp,
        lease: SignedDuration,
        limit: u64,
    ) -> Result<Vec<ClaimedJob>, DbError> {
        let locked_until = at
            .checked_add(lease)
            .map_err(|e| DbError::Other(e.to_string()))?;
        let mut candidates = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::Id)
            .filter(claimable(at))
            .order_by_asc(outbox::Column::RunAfter)
            .limit(limit)
            .into_query();
        // Ignored by SQLite's query builder (it has no row locks).
        candidates.lock_with_behavior(
            sea_orm::sea_query::LockType::Update,
            sea_orm::sea_query::LockBehavior::SkipLocked,
        );
        let claimed = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::LockedUntil,
                Expr::value(Some(to_db(locked_until))),
            )
            .col_expr(
                outbox::Column::Attempts,
                Expr::col(outbox::Column::Attempts).add(1),
            )
            .filter(outbox::Column::Id.in_subquery(candidates))
            .filter(claimable(at))
            .exec_with_returning(&self.conn)
            .await?;
        let mut jobs = claimed
            .into_iter()
            .map(into_job)
            .collect::<Result<Vec<_>, _>>()?;
        jobs.sort_by_key(|job| (job.run_after, job.created_at));
        Ok(jobs)
    }

    /// Marks a job sent, and removes from its stored payload any link that signs in,
    /// confirms input or accepts an invitation: once delivered, it lives only in
    /// the recipient's mailbox.
    pub async fn mark_email_sent(&self, id: OutboxJobId) -> Result<(), DbError> {
        let Some(model) = outbox::Entity::find_by_id(id.0).one(&self.conn).await? else {
            return Err(DbError::NotFound);
        };
        let job = into_job(model)?;
        self.record_deliveries(std::slice::from_ref(&job), &[])
            .await
    }

    /// Records what became of a batch of claimed jobs in one transaction (one
    /// commit): `sent` were accepted by the mail server (marked sent, their
    /// secrets removed from the stored payload as in [`Self::mark_email_sent`]),
    /// `failed` were not (see [`Self::mark_email_failed`]).
    pub async fn record_deliveries(
        &self,
        sent: &[ClaimedJob],
        failed: &[DeliveryFailure],
    ) -> Result<(), DbError> {
        if sent.is_empty() && failed.is_empty() {
            return Ok(());
        }
        let txn = self.conn.begin().await?;
        let at = to_db(now());
        // Most emails hold no secret: those are marked with one statement.
        let mut plain = Vec::new();
        for job in sent {
            let kept = job.envelope.email.without_secrets();
            if kept == job.envelope.email {
                plain.push(job.id.0);
                continue;
            }
            let kept = EmailEnvelope {
                email: kept,
                ..job.envelope.clone()
            };
            let payload =
                serde_json::to_string(&kept).map_err(|e| DbError::Other(e.to_string()))?;
            sent_update(at)
                .col_expr(outbox::Column::Payload, Expr::value(payload))
                .filter(outbox::Column::Id.eq(job.id.0))
                .exec(&txn)
                .await?;
        }
        for ids in plain.chunks(500) {
            sent_update(at)
                .filter(outbox::Column::Id.is_in(ids.iter().copied()))
                .exec(&txn)
                .await?;
        }
        for failure in failed {
            failed_update(&failure.error, failure.retry_at)
                .filter(outbox::Column::Id.eq(failure.id.0))
                .exec(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at`, or given up when `None`.
    pub async fn mark_email_failed(
        &self,
        id: OutboxJobId,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<(), DbError> {
        failed_update(error, retry_at)
            .filter(outbox::Column::Id.eq(id.0))
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    /// How many emails are queued (waiting or being sent) and how many were given up.
    pub async fn outbox_depth(&self) -> Result<OutboxDepth, DbError> {
        let count = |status: OutboxStatus| {
            outbox::Entity::find()
                .filter(outbox::Column::Status.eq(status.as_str()))
                .count(&self.conn)
        };
        Ok(OutboxDepth {
            queued: count(OutboxStatus::Pending).await?,
            dead: count(OutboxStatus::Failed).await?,
        })
    }

    /// A municipality's newest emails of one status, for its administrators.
    pub async fn emails_of(
        &self,
        municipality: domain::MunicipalityId,
        status: OutboxStatus,
        limit: u64,
    ) -> Result<Vec<ClaimedJob>, DbError> {
        outbox::Entity::find()
            .filter(outbox::Column::MunicipalityId.eq(municipality.0))
            .filter(outbox::Column::Status.eq(status.as_str()))
            .order_by_desc(outbox::Column::CreatedAt)
            .limit(limit)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_job)
            .collect()
    }

    /// A plan's newest emails of every status, for its planners.
    pub async fn emails_of_plan(
        &self,
        plan: domain::PlanId,
        limit: u64,
    ) -> Result<Vec<ClaimedJob>, DbError> {
        outbox::Entity::find()
            .filter(outbox::Column::PlanId.eq(plan.0))
            .order_by_desc(outbox::Column::CreatedAt)
            .limit(limit)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_job)
            .collect()
    }

    /// Queues a given-up email of `municipality` again, from its first attempt.
    /// Returns whether there was such an email.
    pub async fn retry_dead_email(
        &self,
        municipality: domain::MunicipalityId,
        id: OutboxJobId,
    ) -> Result<bool, DbError> {
        let updated = outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Status,
                Expr::value(OutboxStatus::Pending.as_str()),
            )
            .col_expr(outbox::Column::Attempts, Expr::value(0))
            .col_expr(outbox::Column::RunAfter, Expr::value(to_db(now())))
            .col_expr(
                outbox::Column::LockedUntil,
                Expr::value(Option::<sea_orm::prelude::DateTimeUtc>::None),
            )
            .filter(outbox::Column::Id.eq(id.0))
            .filter(outbox::Column::MunicipalityId.eq(municipality.0))
            .filter(outbox::Column::Status.eq(OutboxStatus::Failed.as_str()))
            .filter(outbox::Column::PayloadPurgedAt.is_null())
            .exec(&self.conn)
            .await?;
        Ok(updated.rows_affected == 1)
    }

    /// Empties the payload of every finished email (sent, given up or cancelled)
    /// created before `before`; returns how many were emptied.
    pub async fn purge_email_payloads(&self, before: Timestamp) -> Result<u64, DbError> {
        let finished = [
            OutboxStatus::Sent.as_str(),
            OutboxStatus::Failed.as_str(),
            OutboxStatus::Cancelled.as_str(),
        ];
        let old = outbox::Entity::find()
            .filter(outbox::Column::Status.is_in(finished))
            .filter(outbox::Column::CreatedAt.lt(to_db(before)))
            .filter(outbox::Column::PayloadPurgedAt.is_null())
            .all(&self.conn)
            .await?;
        let at = to_db(now());
        let mut purged = 0;
        for model in old {
            let payload = emptied_payload(&model.payload)?;
            let updated = outbox::Entity::update_many()
                .col_expr(outbox::Column::Payload, Expr::value(payload))
                .col_expr(
                    outbox::Column::LastError,
                    Expr::value(Option::<String>::None),
                )
                .col_expr(outbox::Column::PayloadPurgedAt, Expr::value(Some(at)))
                .filter(outbox::Column::Id.eq(model.id))
                .filter(outbox::Column::Status.is_in(finished))
                .exec(&self.conn)
                .await?;
            purged += updated.rows_affected;
        }
        Ok(purged)
    }

    /// The newest jobs of every status, for the admin pages and tests.
    pub async fn recent_emails(&self, limit: u64) -> Result<Vec<ClaimedJob>, DbError> {
        outbox::Entity::find()
            .order_by_desc(outbox::Column::CreatedAt)
            .limit(limit)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_job)
            .collect()
    }
}
