use super::{events, outbox};
use crate::entities::comment;
use crate::time::{from_db, to_db};
use crate::{Db, DbError, StoredEvent};
use domain::email::OutgoingEmail;
use domain::event::{CommentPosted, EventPayload};
use domain::hearing::Comment;
use domain::room::Room;
use domain::{CommentId, DocumentId, HearingId, SectionId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    TransactionTrait,
};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct NewComment {
    pub id: CommentId,
    pub hearing_id: HearingId,
    pub document_id: DocumentId,
    pub section_id: SectionId,
    pub author_name: String,
    pub author_email: Option<String>,
    pub body: String,
    pub late: bool,
    pub created_at: jiff::Timestamp,
    pub parent_id: Option<CommentId>,
    pub anchor: Option<domain::anchor::Anchor>,
    /// The signed-in author, if any.
    pub person_id: Option<domain::PersonId>,
    /// The client's key: a retried post with the same key returns the first comment.
    pub idempotency_key: Option<Uuid>,
    /// Emails queued in the same transaction as the comment.
    pub emails: Vec<OutgoingEmail>,
}

#[derive(Debug, Clone)]
pub struct PostedComment {
    pub comment: Comment,
    /// Events to publish after commit; empty when the post was a retry.
    pub events: Vec<StoredEvent>,
    /// False when an earlier post with the same idempotency key is returned.
    pub created: bool,
}

/// A comment on an earlier version of a document.
#[derive(Debug, Clone)]
pub struct EarlierComment {
    pub comment: Comment,
    /// The section it was made on, across versions.
    pub lineage: SectionId,
    /// The number of the version it was made on.
    pub version: i32,
}

pub(crate) fn into_domain(m: comment::Model) -> Result<Comment, DbError> {
    Ok(Comment {
        person_id: m.person_id.map(Into::into),
        author_email: m.author_email.clone(),
        status: domain::moderation::CommentStatus::parse(&m.status),
        edited_at: m.edited_at.map(from_db).transpose()?,
        supporters: 0,
        id: m.id.into(),
        hearing_id: m.hearing_id.into(),
        section_id: m.section_id.into(),
        author_name: m.author_name,
        body: m.body,
        late: m.late,
        created_at: from_db(m.created_at)?,
        parent_id: m.parent_id.map(Into::into),
        anchor: m.quote.map(|quote| domain::anchor::Anchor {
            quote,
            prefix: m.quote_prefix.unwrap_or_default(),
            suffix: m.quote_suffix.unwrap_or_default(),
        }),
    })
}

impl Db {
    /// Stores a comment, its events and its emails in one transaction.
    pub async fn post_comment(&self, new: NewComment) -> Result<PostedComment, DbError> {
        if let Some(key) = new.idempotency_key
            && let Some(existing) = self.comment_by_key(key).await?
        {
            return Ok(PostedComment {
                comment: existing,
                events: Vec::new(),
                created: false,
            });
        }
        match self.insert_comment(&new).await {
            // Two concurrent posts with one key: the loser returns the winner's comment.
            Err(DbError::Conflict(_)) if new.idempotency_key.is_some() => {
                let key = new.idempotency_key.unwrap_or_default();
                let existing = self.comment_by_key(key).await?.ok_or(DbError::NotFound)?;
                Ok(PostedComment {
                    comment: existing,
                    events: Vec::new(),
                    created: false,
                })
            }
            other => other,
        }
    }

    async fn insert_comment(&self, new: &NewComment) -> Result<PostedComment, DbError> {
        let txn = self.conn.begin().await?;
        let posted = insert_comment_in(&txn, new).await?;
        txn.commit().await?;
        Ok(posted)
    }

    /// Stores many comments, their events and emails in one transaction (inputs
    /// registered in bulk, and load tests). Idempotency keys are not looked up first:
    /// a key that is already used fails the whole batch. The events are returned in
    /// order, to be published after the commit.
    pub async fn post_comments(&self, batch: &[NewComment]) -> Result<Vec<PostedComment>, DbError> {
        let txn = self.conn.begin().await?;
        let mut posted = Vec::with_capacity(batch.len());
        for new in batch {
            posted.push(insert_comment_in(&txn, new).await?);
        }
        txn.commit().await?;
        Ok(posted)
    }

    async fn comment_by_key(&self, key: Uuid) -> Result<Option<Comment>, DbError> {
        comment::Entity::find()
            .filter(comment::Column::IdempotencyKey.eq(key))
            .one(&self.conn)
            .await?
            .map(into_domain)
            .transpose()
    }

    /// Distinct email addresses of people who commented on a hearing.
    pub async fn commenter_emails(&self, hearing: HearingId) -> Result<Vec<String>, DbError> {
        let emails: Vec<Option<String>> = comment::Entity::find()
            .select_only()
            .column(comment::Column::AuthorEmail)
            .distinct()
            .filter(comment::Column::HearingId.eq(hearing.0))
            .filter(comment::Column::AuthorEmail.is_not_null())
            .into_tuple()
            .all(&self.conn)
            .await?;
        Ok(emails.into_iter().flatten().collect())
    }

    /// How many comments each section of a document got, over all its versions, keyed
    /// by the section's lineage.
    pub async fn comment_counts_by_lineage(
        &self,
        document: domain::DocumentId,
    ) -> Result<std::collections::HashMap<SectionId, usize>, DbError> {
        use crate::entities::{document_version, section};
        let versions: Vec<Uuid> = document_version::Entity::find()
            .select_only()
            .column(document_version::Column::Id)
            .filter(document_version::Column::DocumentId.eq(document.0))
            .into_tuple()
            .all(&self.conn)
            .await?;
        let sections: Vec<(Uuid, Option<Uuid>)> = section::Entity::find()
            .select_only()
            .column(section::Column::Id)
            .column(section::Column::LineageId)
            .filter(section::Column::VersionId.is_in(versions))
            .into_tuple()
            .all(&self.conn)
            .await?;
        let lineage_of: std::collections::HashMap<Uuid, Uuid> = sections
            .iter()
            .map(|(id, lineage)| (*id, lineage.unwrap_or(*id)))
            .collect();
        let commented: Vec<Uuid> = comment::Entity::find()
            .select_only()
            .column(comment::Column::SectionId)
            .filter(
                comment::Column::SectionId.is_in(lineage_of.keys().copied().collect::<Vec<_>>()),
            )
            .into_tuple()
            .all(&self.conn)
            .await?;
        let mut counts = std::collections::HashMap::new();
        for section in commented {
            if let Some(lineage) = lineage_of.get(&section) {
                *counts.entry(SectionId(*lineage)).or_insert(0) += 1;
            }
        }
        Ok(counts)
    }

    /// Comments (not replies) on the versions of `document` numbered below `before`,
    /// oldest first, each with its section's lineage and its version's number.
    pub async fn earlier_comments(
        &self,
        document: DocumentId,
        before: i32,
    ) -> Result<Vec<EarlierComment>, DbError> {
        use crate::entities::{document_version, section};
        let versions: Vec<(Uuid, i32)> = document_version::Entity::find()
            .select_only()
            .column(document_version::Column::Id)
            .column(document_version::Column::Number)
            .filter(document_version::Column::DocumentId.eq(document.0))
            .filter(document_version::Column::Number.lt(before))
            .into_tuple()
            .all(&self.conn)
            .await?;
        if versions.is_empty() {
            return Ok(Vec::new());
        }
        let number_of: std::collections::HashMap<Uuid, i32> = versions.iter().copied().collect();
        let sections: Vec<(Uuid, Option<Uuid>, Uuid)> = section::Entity::find()
            .select_only()
            .column(section::Column::Id)
            .column(section::Column::LineageId)
            .column(section::Column::VersionId)
            .filter(section::Column::VersionId.is_in(number_of.keys().copied().collect::<Vec<_>>()))
            .into_tuple()
            .all(&self.conn)
            .await?;
        let place: std::collections::HashMap<Uuid, (Uuid, i32)> = sections
            .into_iter()
            .map(|(id, lineage, version)| {
                let number = number_of.get(&version).copied().unwrap_or_default();
                (id, (lineage.unwrap_or(id), number))
            })
            .collect();
        comment::Entity::find()
            .filter(comment::Column::SectionId.is_in(place.keys().copied().collect::<Vec<_>>()))
            .filter(comment::Column::ParentId.is_null())
            .order_by_asc(comment::Column::CreatedAt)
            .order_by_asc(comment::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|m| {
                let (lineage, version) = place.get(&m.section_id).copied().unwrap_or_default();
                Ok(EarlierComment {
                    comment: into_domain(m)?,
                    lineage: SectionId(lineage),
                    version,
                })
            })
            .collect()
    }

    pub async fn comment(&self, id: CommentId) -> Result<Comment, DbError> {
        let mut comment = comment::Entity::find_by_id(id.0)
            .one(&self.conn)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(into_domain)?;
        comment.supporters = self.supporter_count(id).await?;
        Ok(comment)
    }

    pub async fn comments_of_hearing(&self, hearing: HearingId) -> Result<Vec<Comment>, DbError> {
        let mut comments = comment::Entity::find()
            .filter(comment::Column::HearingId.eq(hearing.0))
            .order_by_asc(comment::Column::CreatedAt)
            .order_by_asc(comment::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect::<Result<Vec<_>, _>>()?;
        let counts = self.supporter_counts(hearing).await?;
        for c in &mut comments {
            c.supporters = counts.get(&c.id).copied().unwrap_or(0);
        }
        Ok(comments)
    }
}

/// Inserts a comment and appends its events and emails inside `txn`.
async fn insert_comment_in(
    txn: &sea_orm::DatabaseTransaction,
    new: &NewComment,
) -> Result<PostedComment, DbError> {
    let model = comment::Entity::insert(comment::ActiveModel {
        id: Set(new.id.0),
        hearing_id: Set(new.hearing_id.0),
        section_id: Set(new.section_id.0),
        author_name: Set(new.author_name.clone()),
        author_email: Set(new.author_email.clone()),
        body: Set(new.body.clone()),
        late: Set(new.late),
        idempotency_key: Set(new.idempotency_key),
        created_at: Set(to_db(new.created_at)),
        parent_id: Set(new.parent_id.map(|p| p.0)),
        quote: Set(new.anchor.as_ref().map(|a| a.quote.clone())),
        quote_prefix: Set(new.anchor.as_ref().map(|a| a.prefix.clone())),
        quote_suffix: Set(new.anchor.as_ref().map(|a| a.suffix.clone())),
        person_id: Set(new.person_id.map(|p| p.0)),
        status: Set("published".to_owned()),
        anonymised_at: Set(None),
        edited_at: Set(None),
    })
    .exec_with_returning(txn)
    .await?;
    let comment = into_domain(model)?;
    let payload = EventPayload::CommentPosted(CommentPosted {
        comment_id: comment.id,
        hearing_id: comment.hearing_id,
        document_id: new.document_id,
        section_id: comment.section_id,
        author_name: comment.author_name.clone(),
        body: comment.body.clone(),
        late: comment.late,
        created_at: comment.created_at.to_string(),
        parent_id: comment.parent_id,
        quote: comment.anchor.as_ref().map(|a| a.quote.clone()),
    });
    let mut stored = Vec::with_capacity(2);
    for room in [
        Room::Document(new.document_id),
        Room::Hearing(new.hearing_id),
    ] {
        stored.push(events::append(txn, room, &payload).await?);
    }
    for email in &new.emails {
        outbox::enqueue(txn, email).await?;
    }
    Ok(PostedComment {
        comment,
        events: stored,
        created: true,
    })
}
