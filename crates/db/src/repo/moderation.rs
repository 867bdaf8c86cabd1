//! A comment after it is posted: support, the author's edits and deletion, reports
//! from readers and the planners' decisions. Every change and its events (and
//! emails) are written in one transaction.

use super::comments::into_domain;
use super::{events, outbox};
use crate::entities::{
    comment, comment_redaction, comment_report, comment_revision, comment_support, moderation_log,
};
use crate::time::{from_db, to_db};
use crate::{Db, DbError, StoredEvent};
use domain::email::OutgoingEmail;
use domain::event::{
    CommentEdited, CommentGone, CommentHidden, CommentRestored, CommentSupported, EventPayload,
};
use domain::hearing::Comment;
use domain::moderation::{CommentStatus, ModerationAction, Revision};
use domain::room::Room;
use domain::{CommentId, DocumentId, HearingId, PersonId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, TransactionTrait,
};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// The outcome of a change: the comment as it is now and the events to publish.
#[derive(Debug, Clone)]
pub struct CommentChange {
    pub comment: Comment,
    /// Empty when nothing changed (a repeated request).
    pub events: Vec<StoredEvent>,
}

/// A report a reader made.
#[derive(Debug, Clone)]
pub struct Report {
    pub reason: Option<String>,
    pub created_at: jiff::Timestamp,
    pub resolved: bool,
}

/// A comment a planner should look at: reported, hidden or waiting for review.
#[derive(Debug, Clone)]
pub struct QueuedComment {
    pub comment: Comment,
    pub reports: Vec<Report>,
}

/// One line of the moderation log.
#[derive(Debug, Clone)]
pub struct ModerationEntry {
    pub comment_id: CommentId,
    pub action: String,
    pub actor: String,
    pub reason: Option<String>,
    pub created_at: jiff::Timestamp,
}

/// What a report did.
#[derive(Debug, Clone)]
pub struct ReportOutcome {
    /// False when this person had reported the comment already.
    pub recorded: bool,
    pub change: CommentChange,
}

async fn append_both(
    txn: &DatabaseTransaction,
    document: DocumentId,
    hearing: HearingId,
    payload: EventPayload,
) -> Result<Vec<StoredEvent>, DbError> {
    let mut stored = Vec::with_capacity(2);
    for room in [Room::Document(document), Room::Hearing(hearing)] {
        stored.push(events::append(txn, room, &payload).await?);
    }
    Ok(stored)
}

async fn load<C: ConnectionTrait>(conn: &C, id: CommentId) -> Result<comment::Model, DbError> {
    comment::Entity::find_by_id(id.0)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound)
}

async fn count_supporters<C: ConnectionTrait>(conn: &C, id: CommentId) -> Result<u32, DbError> {
    let n = comment_support::Entity::find()
        .filter(comment_support::Column::CommentId.eq(id.0))
        .count(conn)
        .await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// Sets a comment's status from `from` to `to`; false when it was not in `from`.
async fn set_status(
    txn: &DatabaseTransaction,
    id: CommentId,
    from: &[CommentStatus],
    to: CommentStatus,
) -> Result<bool, DbError> {
    let result = comment::Entity::update_many()
        .col_expr(comment::Column::Status, Expr::value(to.as_str()))
        .filter(comment::Column::Id.eq(id.0))
        .filter(comment::Column::Status.is_in(from.iter().map(|s| s.as_str())))
        .exec(txn)
        .await?;
    Ok(result.rows_affected == 1)
}

async fn log(
    txn: &DatabaseTransaction,
    c: &comment::Model,
    action: ModerationAction,
    actor: &str,
    reason: Option<&str>,
    at: jiff::Timestamp,
) -> Result<(), DbError> {
    moderation_log::Entity::insert(moderation_log::ActiveModel {
        id: Set(Uuid::new_v4()),
        comment_id: Set(c.id),
        hearing_id: Set(c.hearing_id),
        action: Set(action.as_str().to_owned()),
        actor: Set(actor.to_owned()),
        reason: Set(reason.map(str::to_owned)),
        created_at: Set(to_db(at)),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

async fn finish(
    txn: DatabaseTransaction,
    id: CommentId,
    events: Vec<StoredEvent>,
) -> Result<CommentChange, DbError> {
    // The register follows the comment in the same transaction.
    super::register::record_comment(&txn, id.0).await?;
    let mut comment = into_domain(load(&txn, id).await?)?;
    comment.supporters = count_supporters(&txn, id).await?;
    txn.commit().await?;
    Ok(CommentChange { comment, events })
}

/// The prefix of an anonymous reporter's key.
const ANONYMOUS: &str = "anon:";

/// The key of an anonymous report: salted hashes of the client's address and of the
/// browser's random cookie, never the address itself (32 hex digits each).
pub fn anonymous_reporter_key(salt: &str, address: &str, browser: &str) -> String {
    use sha2::{Digest, Sha256};
    let hash = |kind: &str, value: &str| {
        let digest = Sha256::digest(format!("{salt}\n{kind}\n{value}").as_bytes());
        digest
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    format!(
        "{ANONYMOUS}{}:{}",
        hash("address", address),
        hash("browser", browser)
    )
}

impl Db {
    /// Anonymous reports from the client address in `reporter_key` since `since`.
    pub async fn anonymous_reports_since(
        &self,
        reporter_key: &str,
        since: jiff::Timestamp,
    ) -> Result<u64, DbError> {
        let Some((address, _)) = reporter_key
            .strip_prefix(ANONYMOUS)
            .and_then(|k| k.split_once(':'))
        else {
            return Ok(0);
        };
        Ok(comment_report::Entity::find()
            .filter(
                comment_report::Column::ReporterKey.starts_with(format!("{ANONYMOUS}{address}:")),
            )
            .filter(comment_report::Column::CreatedAt.gte(to_db(since)))
            .count(&self.conn)
            .await?)
    }

    /// A server-wide secret by name, created at random the first time it is asked
    /// for; every process sharing the database gets the same.
    pub async fn server_secret(&self, name: &str) -> Result<String, DbError> {
        use crate::entities::server_secret;
        if let Some(found) = server_secret::Entity::find_by_id(name.to_owned())
            .one(&self.conn)
            .await?
        {
            return Ok(found.value);
        }
        let mut bytes = [0u8; 32];
        rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
        let value: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        let inserted = server_secret::Entity::insert(server_secret::ActiveModel {
            name: Set(name.to_owned()),
            value: Set(value),
            created_at: Set(to_db(crate::time::now())),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(server_secret::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await;
        match inserted {
            Ok(_) | Err(sea_orm::DbErr::RecordNotInserted) => {}
            Err(e) => return Err(e.into()),
        }
        // Another process may have won the race: everyone uses the stored value.
        server_secret::Entity::find_by_id(name.to_owned())
            .one(&self.conn)
            .await?
            .map(|s| s.value)
            .ok_or(DbError::NotFound)
    }

    /// A planner publishes a comment that waited for screening: logged, announced
    /// to readers like a new comment, and `emails` (the planners' notice) queued.
    /// Publishing it again changes nothing.
    pub async fn publish_screened(
        &self,
        document: DocumentId,
        id: CommentId,
        actor: &str,
        emails: &[OutgoingEmail],
    ) -> Result<CommentChange, DbError> {
        self.publish_screened_redacted(document, id, actor, emails, None)
            .await
    }

    /// Publishes screened input, perhaps with parts redacted: `redaction` is the
    /// text everyone is to see and the ranges taken out (as JSON). The original is
    /// kept in `comment_redaction` for the case file, in the same transaction, and
    /// the announcement carries the redacted text only.
    pub async fn publish_screened_redacted(
        &self,
        document: DocumentId,
        id: CommentId,
        actor: &str,
        emails: &[OutgoingEmail],
        redaction: Option<(&str, &str)>,
    ) -> Result<CommentChange, DbError> {
        let now = crate::time::now();
        let txn = self.conn.begin().await?;
        let mut c = load(&txn, id).await?;
        if let Some((redacted, ranges)) = redaction
            && CommentStatus::parse(&c.status) == CommentStatus::Screening
        {
            comment_redaction::Entity::insert(comment_redaction::ActiveModel {
                comment_id: Set(c.id),
                original_body: Set(c.body.clone()),
                ranges: Set(ranges.to_owned()),
                redacted_by: Set(actor.to_owned()),
                redacted_at: Set(to_db(now)),
            })
            .exec_without_returning(&txn)
            .await?;
            comment::Entity::update_many()
                .col_expr(comment::Column::Body, Expr::value(redacted.to_owned()))
                .filter(comment::Column::Id.eq(c.id))
                .exec(&txn)
                .await?;
            c.body = redacted.to_owned();
        }
        if !set_status(
            &txn,
            id,
            &[CommentStatus::Screening],
            CommentStatus::Published,
        )
        .await?
        {
            if CommentStatus::parse(&c.status) == CommentStatus::Published {
                return finish(txn, id, Vec::new()).await;
            }
            return Err(DbError::Conflict(format!("the comment is {}", c.status)));
        }
        log(&txn, &c, ModerationAction::Published, actor, None, now).await?;
        for email in emails {
            outbox::enqueue(&txn, email).await?;
        }
        let mut comment = into_domain(c)?;
        comment.status = CommentStatus::Published;
        let mut events = Vec::with_capacity(2);
        super::comments::announce(&txn, &comment, document, &mut events).await?;
        finish(txn, id, events).await
    }

    /// The originals of comments published with parts redacted, for the case file
    /// (the plan's planners and the report); others see the redacted text.
    pub async fn redacted_originals(
        &self,
        ids: &[CommentId],
    ) -> Result<HashMap<CommentId, String>, DbError> {
        let mut out = HashMap::new();
        for chunk in ids.chunks(500) {
            for m in comment_redaction::Entity::find()
                .filter(
                    comment_redaction::Column::CommentId
                        .is_in(chunk.iter().map(|c| c.0).collect::<Vec<_>>()),
                )
                .all(&self.read)
                .await?
            {
                out.insert(CommentId(m.comment_id), m.original_body);
            }
        }
        Ok(out)
    }

    pub(crate) async fn supporter_count(&self, id: CommentId) -> Result<u32, DbError> {
        count_supporters(&self.read, id).await
    }

    /// How many supporters each comment of a hearing has (comments without any are left out).
    pub async fn supporter_counts(
        &self,
        hearing: HearingId,
    ) -> Result<HashMap<CommentId, u32>, DbError> {
        let ids = self.comment_ids_of(hearing).await?;
        let supported: Vec<Uuid> = comment_support::Entity::find()
            .select_only()
            .column(comment_support::Column::CommentId)
            .filter(comment_support::Column::CommentId.is_in(ids))
            .into_tuple()
            .all(&self.read)
            .await?;
        let mut counts = HashMap::new();
        for id in supported {
            *counts.entry(CommentId(id)).or_insert(0) += 1;
        }
        Ok(counts)
    }

    async fn comment_ids_of(&self, hearing: HearingId) -> Result<Vec<Uuid>, DbError> {
        Ok(comment::Entity::find()
            .select_only()
            .column(comment::Column::Id)
            .filter(comment::Column::HearingId.eq(hearing.0))
            .into_tuple()
            .all(&self.read)
            .await?)
    }

    /// The comments of a hearing that this person supports.
    pub async fn supported_by(
        &self,
        hearing: HearingId,
        person: PersonId,
    ) -> Result<HashSet<CommentId>, DbError> {
        let ids = self.comment_ids_of(hearing).await?;
        let supported: Vec<Uuid> = comment_support::Entity::find()
            .select_only()
            .column(comment_support::Column::CommentId)
            .filter(comment_support::Column::CommentId.is_in(ids))
            .filter(comment_support::Column::PersonId.eq(person.0))
            .into_tuple()
            .all(&self.conn)
            .await?;
        Ok(supported.into_iter().map(CommentId).collect())
    }

    /// Adds (`on`) or takes back a person's support; a repeated request changes nothing.
    pub async fn set_support(
        &self,
        document: DocumentId,
        id: CommentId,
        person: PersonId,
        on: bool,
    ) -> Result<CommentChange, DbError> {
        let txn = self.conn.begin().await?;
        let c = load(&txn, id).await?;
        let existing = comment_support::Entity::find()
            .filter(comment_support::Column::CommentId.eq(id.0))
            .filter(comment_support::Column::PersonId.eq(person.0))
            .one(&txn)
            .await?;
        let changed = match (on, existing) {
            (true, None) => {
                comment_support::Entity::insert(comment_support::ActiveModel {
                    id: Set(Uuid::new_v4()),
                    comment_id: Set(id.0),
                    person_id: Set(person.0),
                    created_at: Set(to_db(crate::time::now())),
                })
                .exec_without_returning(&txn)
                .await?;
                true
            }
            (false, Some(row)) => {
                comment_support::Entity::delete_by_id(row.id)
                    .exec(&txn)
                    .await?;
                true
            }
            _ => false,
        };
        let mut events = Vec::new();
        if changed {
            let supporters = count_supporters(&txn, id).await?;
            let payload = EventPayload::CommentSupported(CommentSupported {
                comment_id: id,
                hearing_id: HearingId(c.hearing_id),
                supporters,
            });
            events = append_both(&txn, document, HearingId(c.hearing_id), payload).await?;
        }
        finish(txn, id, events).await
    }

    /// Replaces a comment's text, keeping the earlier one. Only a published comment is
    /// edited; the same text again changes nothing.
    pub async fn edit_comment(
        &self,
        document: DocumentId,
        id: CommentId,
        body: &str,
        now: jiff::Timestamp,
    ) -> Result<CommentChange, DbError> {
        let txn = self.conn.begin().await?;
        let c = load(&txn, id).await?;
        if c.body == body {
            return finish(txn, id, Vec::new()).await;
        }
        if CommentStatus::parse(&c.status) != CommentStatus::Published {
            return Err(DbError::Conflict("the comment is not published".into()));
        }
        comment_revision::Entity::insert(comment_revision::ActiveModel {
            id: Set(Uuid::new_v4()),
            comment_id: Set(id.0),
            body: Set(c.body.clone()),
            written_at: Set(c.edited_at.unwrap_or(c.created_at)),
            replaced_at: Set(to_db(now)),
        })
        .exec_without_returning(&txn)
        .await?;
        // Only if nobody changed it meanwhile: the revision above kept that text.
        let updated = comment::Entity::update_many()
            .col_expr(comment::Column::Body, Expr::value(body))
            .col_expr(comment::Column::EditedAt, Expr::value(to_db(now)))
            .filter(comment::Column::Id.eq(id.0))
            .filter(comment::Column::Body.eq(c.body.as_str()))
            .filter(comment::Column::Status.eq(CommentStatus::Published.as_str()))
            .exec(&txn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(DbError::Conflict("the comment changed meanwhile".into()));
        }
        let payload = EventPayload::CommentEdited(CommentEdited {
            comment_id: id,
            hearing_id: HearingId(c.hearing_id),
            body: body.to_owned(),
            edited_at: now.to_string(),
        });
        let events = append_both(&txn, document, HearingId(c.hearing_id), payload).await?;
        finish(txn, id, events).await
    }

    /// Earlier texts of a comment, oldest first.
    pub async fn comment_revisions(&self, id: CommentId) -> Result<Vec<Revision>, DbError> {
        comment_revision::Entity::find()
            .filter(comment_revision::Column::CommentId.eq(id.0))
            .order_by_asc(comment_revision::Column::ReplacedAt)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|r| {
                Ok(Revision {
                    body: r.body,
                    written_at: from_db(r.written_at)?,
                    replaced_at: from_db(r.replaced_at)?,
                })
            })
            .collect()
    }

    /// The earlier texts of several comments in one query, by comment, each oldest
    /// first; comments never edited are left out.
    pub async fn comment_revisions_of(
        &self,
        ids: &[CommentId],
    ) -> Result<std::collections::HashMap<CommentId, Vec<Revision>>, DbError> {
        let mut found: std::collections::HashMap<CommentId, Vec<Revision>> =
            std::collections::HashMap::new();
        // Bounded lists, so no database's limit on bound parameters is reached.
        for chunk in ids.chunks(500) {
            let rows = comment_revision::Entity::find()
                .filter(comment_revision::Column::CommentId.is_in(chunk.iter().map(|c| c.0)))
                .order_by_asc(comment_revision::Column::ReplacedAt)
                .all(&self.read)
                .await?;
            for r in rows {
                found
                    .entry(CommentId(r.comment_id))
                    .or_default()
                    .push(Revision {
                        body: r.body,
                        written_at: from_db(r.written_at)?,
                        replaced_at: from_db(r.replaced_at)?,
                    });
            }
        }
        Ok(found)
    }

    /// The author deleted the comment: its text stays in the record. Repeating it
    /// changes nothing.
    pub async fn delete_comment(
        &self,
        document: DocumentId,
        id: CommentId,
    ) -> Result<CommentChange, DbError> {
        let txn = self.conn.begin().await?;
        let c = load(&txn, id).await?;
        let changed = set_status(
            &txn,
            id,
            &[
                CommentStatus::Published,
                CommentStatus::Hidden,
                CommentStatus::PendingReview,
            ],
            CommentStatus::Deleted,
        )
        .await?;
        let mut events = Vec::new();
        if changed {
            let payload = EventPayload::CommentDeleted(CommentGone {
                comment_id: id,
                hearing_id: HearingId(c.hearing_id),
            });
            events = append_both(&txn, document, HearingId(c.hearing_id), payload).await?;
        }
        finish(txn, id, events).await
    }

    /// Records a report (once per reporter); when `threshold` unresolved reports are
    /// reached, a published comment is hidden until a planner decides.
    #[allow(clippy::too_many_arguments)]
    pub async fn report_comment(
        &self,
        document: DocumentId,
        id: CommentId,
        reporter_key: &str,
        person: Option<PersonId>,
        reason: Option<&str>,
        threshold: u32,
        now: jiff::Timestamp,
    ) -> Result<ReportOutcome, DbError> {
        let txn = self.conn.begin().await?;
        let c = load(&txn, id).await?;
        // An anonymous reporter (`anon:<address>:<browser>`) counts once per client
        // address and once per browser.
        let same_reporter = match reporter_key
            .strip_prefix(ANONYMOUS)
            .and_then(|k| k.split_once(':'))
        {
            Some((address, browser)) => sea_orm::Condition::any()
                .add(
                    comment_report::Column::ReporterKey
                        .starts_with(format!("{ANONYMOUS}{address}:")),
                )
                .add(comment_report::Column::ReporterKey.ends_with(format!(":{browser}"))),
            None => {
                sea_orm::Condition::all().add(comment_report::Column::ReporterKey.eq(reporter_key))
            }
        };
        let already = comment_report::Entity::find()
            .filter(comment_report::Column::CommentId.eq(id.0))
            .filter(same_reporter)
            .one(&txn)
            .await?
            .is_some();
        if already {
            return Ok(ReportOutcome {
                recorded: false,
                change: finish(txn, id, Vec::new()).await?,
            });
        }
        comment_report::Entity::insert(comment_report::ActiveModel {
            id: Set(Uuid::new_v4()),
            comment_id: Set(id.0),
            reporter_key: Set(reporter_key.to_owned()),
            person_id: Set(person.map(|p| p.0)),
            reason: Set(reason.map(str::to_owned)),
            created_at: Set(to_db(now)),
            resolved_at: Set(None),
        })
        .exec_without_returning(&txn)
        .await?;
        let open_reports = comment_report::Entity::find()
            .filter(comment_report::Column::CommentId.eq(id.0))
            .filter(comment_report::Column::ResolvedAt.is_null())
            .count(&txn)
            .await?;
        let mut events = Vec::new();
        if open_reports >= u64::from(threshold)
            && set_status(
                &txn,
                id,
                &[CommentStatus::Published],
                CommentStatus::PendingReview,
            )
            .await?
        {
            log(&txn, &c, ModerationAction::AutoHidden, "system", None, now).await?;
            let payload = EventPayload::CommentHidden(CommentHidden {
                comment_id: id,
                hearing_id: HearingId(c.hearing_id),
                pending_review: true,
            });
            events = append_both(&txn, document, HearingId(c.hearing_id), payload).await?;
        }
        Ok(ReportOutcome {
            recorded: true,
            change: finish(txn, id, events).await?,
        })
    }

    /// A planner hides or restores a comment, logged with who and why; open reports are
    /// resolved. A deleted comment stays deleted.
    pub async fn moderate_comment(
        &self,
        document: DocumentId,
        id: CommentId,
        hide: bool,
        actor: &str,
        reason: Option<&str>,
        emails: &[OutgoingEmail],
    ) -> Result<CommentChange, DbError> {
        let now = crate::time::now();
        let txn = self.conn.begin().await?;
        let c = load(&txn, id).await?;
        let (from, to, action): (&[CommentStatus], _, _) = if hide {
            (
                &[
                    CommentStatus::Published,
                    CommentStatus::PendingReview,
                    CommentStatus::Screening,
                ],
                CommentStatus::Hidden,
                ModerationAction::Hidden,
            )
        } else {
            (
                &[CommentStatus::Hidden, CommentStatus::PendingReview],
                CommentStatus::Published,
                ModerationAction::Restored,
            )
        };
        if !set_status(&txn, id, from, to).await? {
            let status = CommentStatus::parse(&c.status);
            if status == to {
                // Decided already: a repeated request changes nothing.
                return finish(txn, id, Vec::new()).await;
            }
            return Err(DbError::Conflict(format!(
                "the comment is {}",
                status.as_str()
            )));
        }
        log(&txn, &c, action, actor, reason, now).await?;
        comment_report::Entity::update_many()
            .col_expr(comment_report::Column::ResolvedAt, Expr::value(to_db(now)))
            .filter(comment_report::Column::CommentId.eq(id.0))
            .filter(comment_report::Column::ResolvedAt.is_null())
            .exec(&txn)
            .await?;
        for email in emails {
            outbox::enqueue(&txn, email).await?;
        }
        if CommentStatus::parse(&c.status) == CommentStatus::Screening {
            // Nobody saw it: nothing to tell readers.
            return finish(txn, id, Vec::new()).await;
        }
        let hearing = HearingId(c.hearing_id);
        let payload = if hide {
            EventPayload::CommentHidden(CommentHidden {
                comment_id: id,
                hearing_id: hearing,
                pending_review: false,
            })
        } else {
            EventPayload::CommentRestored(CommentRestored {
                comment_id: id,
                hearing_id: hearing,
                author_name: c.author_name.clone(),
                body: c.body.clone(),
                quote: c.quote.clone(),
            })
        };
        let events = append_both(&txn, document, hearing, payload).await?;
        finish(txn, id, events).await
    }

    /// Comments of a hearing that were reported, are hidden or wait for review, with
    /// their reports (those waiting for screening are listed by
    /// `screening_of_hearing`).
    pub async fn moderation_queue(
        &self,
        hearing: HearingId,
    ) -> Result<Vec<QueuedComment>, DbError> {
        let comments = self.comments_of_hearing(hearing).await?;
        let ids: Vec<Uuid> = comments.iter().map(|c| c.id.0).collect();
        let reports = comment_report::Entity::find()
            .filter(comment_report::Column::CommentId.is_in(ids))
            .order_by_asc(comment_report::Column::CreatedAt)
            .all(&self.conn)
            .await?;
        let mut by_comment: HashMap<Uuid, Vec<Report>> = HashMap::new();
        for r in reports {
            by_comment.entry(r.comment_id).or_default().push(Report {
                reason: r.reason,
                created_at: from_db(r.created_at)?,
                resolved: r.resolved_at.is_some(),
            });
        }
        Ok(comments
            .into_iter()
            .filter_map(|comment| {
                let reports = by_comment.remove(&comment.id.0).unwrap_or_default();
                let listed = matches!(
                    comment.status,
                    CommentStatus::Hidden | CommentStatus::PendingReview
                ) || reports.iter().any(|r| !r.resolved);
                listed.then_some(QueuedComment { comment, reports })
            })
            .collect())
    }

    /// Who hid or restored which comment of a hearing, newest first.
    pub async fn moderation_log(
        &self,
        hearing: HearingId,
    ) -> Result<Vec<ModerationEntry>, DbError> {
        moderation_log::Entity::find()
            .filter(moderation_log::Column::HearingId.eq(hearing.0))
            .order_by_desc(moderation_log::Column::CreatedAt)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|m| {
                Ok(ModerationEntry {
                    comment_id: CommentId(m.comment_id),
                    action: m.action,
                    actor: m.actor,
                    reason: m.reason,
                    created_at: from_db(m.created_at)?,
                })
            })
            .collect()
    }
}
