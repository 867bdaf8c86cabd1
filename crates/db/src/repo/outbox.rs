//! The transactional outbox for email.
//!
//! A job is written in the same transaction as the change that causes it, claimed
//! with a lease by a worker, and marked sent only after the SMTP server accepted it.
//! A failed send is retried with backoff; no row is ever deleted, so a failure is
//! visible to an administrator instead of silently lost.

use crate::entities::outbox;
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::OutboxJobId;
use domain::email::{EmailEnvelope, OutgoingEmail};
use jiff::{SignedDuration, Timestamp};
use sea_orm::sea_query::{Condition, Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxStatus {
    Pending,
    Sent,
    /// Gave up after the maximum number of attempts; kept for an administrator.
    Failed,
    /// Not sent: the recipient asked to be forgotten before it went.
    Cancelled,
}

impl OutboxStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Pending => "pending",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
            OutboxStatus::Cancelled => "cancelled",
        }
    }

    pub(crate) fn parse(s: &str) -> Option<Self> {
        [
            OutboxStatus::Pending,
            OutboxStatus::Sent,
            OutboxStatus::Failed,
            OutboxStatus::Cancelled,
        ]
        .into_iter()
        .find(|status| status.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimedJob {
    pub id: OutboxJobId,
    pub recipient: String,
    pub envelope: EmailEnvelope,
    /// 1 on the first try.
    pub attempt: i32,
    pub status: OutboxStatus,
    pub last_error: Option<String>,
    pub created_at: Timestamp,
}

fn into_job(m: outbox::Model) -> Result<ClaimedJob, DbError> {
    Ok(ClaimedJob {
        id: m.id.into(),
        recipient: m.recipient,
        envelope: serde_json::from_str(&m.payload).map_err(|e| DbError::Corrupt(e.to_string()))?,
        attempt: m.attempts,
        status: super::parse_enum(&m.status, OutboxStatus::parse, "outbox status")?,
        last_error: m.last_error,
        created_at: from_db(m.created_at)?,
    })
}

/// Queues an email inside the caller's transaction; a second email with the same
/// dedupe key is ignored.
pub(crate) async fn enqueue<C: ConnectionTrait>(
    conn: &C,
    email: &OutgoingEmail,
) -> Result<(), DbError> {
    let envelope = EmailEnvelope {
        lang: email.lang,
        email: email.email.clone(),
        letterhead: email.letterhead.clone(),
    };
    let payload = serde_json::to_string(&envelope).map_err(|e| DbError::Other(e.to_string()))?;
    let at = to_db(now());
    outbox::Entity::insert(outbox::ActiveModel {
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
    })
    .on_conflict_do_nothing_on([outbox::Column::DedupeKey])
    .exec_without_returning(conn)
    .await?;
    Ok(())
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

impl Db {
    /// Queues one email outside any other change (for example from an admin action).
    pub async fn enqueue_email(&self, email: &OutgoingEmail) -> Result<(), DbError> {
        enqueue(&self.conn, email).await
    }

    /// Claims up to `limit` due jobs for `lease`. Claiming is a conditional update,
    /// so two workers (or two processes) never claim the same job at once.
    pub async fn claim_due_emails(
        &self,
        lease: SignedDuration,
        limit: u64,
    ) -> Result<Vec<ClaimedJob>, DbError> {
        let at = now();
        let candidates: Vec<uuid::Uuid> = outbox::Entity::find()
            .select_only()
            .column(outbox::Column::Id)
            .filter(claimable(at))
            .order_by_asc(outbox::Column::RunAfter)
            .limit(limit)
            .into_tuple()
            .all(&self.conn)
            .await?;
        let locked_until = at
            .checked_add(lease)
            .map_err(|e| DbError::Other(e.to_string()))?;
        let mut claimed = Vec::new();
        for id in candidates {
            let result = outbox::Entity::update_many()
                .col_expr(
                    outbox::Column::LockedUntil,
                    Expr::value(Some(to_db(locked_until))),
                )
                .col_expr(
                    outbox::Column::Attempts,
                    Expr::col(outbox::Column::Attempts).add(1),
                )
                .filter(outbox::Column::Id.eq(id))
                .filter(claimable(at))
                .exec(&self.conn)
                .await?;
            if result.rows_affected == 1
                && let Some(model) = outbox::Entity::find_by_id(id).one(&self.conn).await?
            {
                claimed.push(into_job(model)?);
            }
        }
        Ok(claimed)
    }

    pub async fn mark_email_sent(&self, id: OutboxJobId) -> Result<(), DbError> {
        outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Status,
                Expr::value(OutboxStatus::Sent.as_str()),
            )
            .col_expr(outbox::Column::SentAt, Expr::value(Some(to_db(now()))))
            .col_expr(
                outbox::Column::LockedUntil,
                Expr::value(Option::<sea_orm::prelude::DateTimeUtc>::None),
            )
            .col_expr(
                outbox::Column::LastError,
                Expr::value(Option::<String>::None),
            )
            .filter(outbox::Column::Id.eq(id.0))
            .exec(&self.conn)
            .await?;
        Ok(())
    }

    /// Records a failed attempt: retried at `retry_at`, or given up when `None`.
    pub async fn mark_email_failed(
        &self,
        id: OutboxJobId,
        error: &str,
        retry_at: Option<Timestamp>,
    ) -> Result<(), DbError> {
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
            .filter(outbox::Column::Id.eq(id.0))
            .exec(&self.conn)
            .await?;
        Ok(())
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
