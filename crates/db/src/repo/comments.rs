use super::{events, outbox, people};
use crate::entities::{comment, document_version, hearing, section};
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError, SignedIn, StoredEvent, TokenPurpose};
use domain::email::OutgoingEmail;
use domain::event::{CommentPosted, EventPayload};
use domain::hearing::{Comment, CommentStatus};
use domain::room::Room;
use domain::{CommentId, DocumentId, HearingId, Lang, MunicipalityId, PersonId, SectionId};
use jiff::{SignedDuration, Timestamp};
use sea_orm::DatabaseConnection;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use std::collections::HashMap;
use tokio::sync::{mpsc, oneshot};
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
    /// Set when nobody is signed in: the comment waits for its author to confirm
    /// their address, and is neither shown nor announced until then.
    pub unconfirmed: Option<UnconfirmedAuthor>,
    /// The hearing screens input from this author: the comment waits for a planner
    /// (status `screening`), neither shown nor announced; `emails` are still queued,
    /// so leave the planners' notice out until it is published.
    pub screened: bool,
}

/// Who gave input without signing in, and the link that confirms it.
#[derive(Debug, Clone)]
pub struct UnconfirmedAuthor {
    /// Validated; the person with this address is found or created with the comment.
    pub email: String,
    pub name: String,
    pub lang: Lang,
    /// The municipality the confirmation signs in to.
    pub municipality: MunicipalityId,
    /// `None` when this address asked for too many links lately: the comment is
    /// still stored, and any earlier link confirms it.
    pub link: Option<ConfirmLink>,
}

#[derive(Debug, Clone)]
pub struct ConfirmLink {
    pub token: String,
    pub valid_for: SignedDuration,
}

/// What posting a comment on a hearing needs to know, read in one query.
#[derive(Debug, Clone)]
pub struct CommentTarget {
    pub hearing: domain::hearing::Hearing,
    pub plan: domain::plan::Plan,
    /// The document of the version on hearing.
    pub document: DocumentId,
    /// The section asked for, when it is part of the version on hearing.
    pub section: Option<domain::plan::Section>,
}

/// `alias.column AS "alias_column"` for every column of an entity.
fn prefixed_columns<E: EntityTrait>(alias: &str) -> String {
    use sea_orm::{IdenStatic, Iterable};
    E::Column::iter()
        .map(|c| {
            format!(
                "{alias}.\"{name}\" AS \"{alias}_{name}\"",
                name = c.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// A person's own input, with where it was given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnComment {
    pub comment: Comment,
    pub hearing_title: String,
    pub section_number: String,
    pub section_title: String,
}

/// What following a confirmation link did.
#[derive(Debug, Clone)]
pub struct ConfirmedInputs {
    pub signed_in: SignedIn,
    /// The comments that became part of their hearings.
    pub published: Vec<Comment>,
    /// The comments that now wait for a planner to screen them.
    pub screening: Vec<Comment>,
    /// Events to publish after commit.
    pub events: Vec<StoredEvent>,
    /// Whether emails were queued.
    pub queued_email: bool,
}

/// A confirmation link that can still be used, and what it would publish.
#[derive(Debug, Clone)]
pub struct PendingConfirmation {
    pub person: PersonId,
    pub comments: Vec<Comment>,
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
        anonymised: m.anonymised_at.is_some(),
    })
}

/// Comments that are part of the hearing's record readers see: everything but input
/// still waiting for its author's confirmation or for screening (deleted and hidden
/// ones are shown as such).
fn confirmed() -> sea_orm::sea_query::SimpleExpr {
    comment::Column::Status.is_not_in([
        CommentStatus::Unconfirmed.as_str(),
        CommentStatus::Screening.as_str(),
    ])
}

/// The event that tells readers about a published comment.
fn posted_event(comment: &Comment, document: DocumentId) -> EventPayload {
    EventPayload::CommentPosted(CommentPosted {
        comment_id: comment.id,
        hearing_id: comment.hearing_id,
        document_id: document,
        section_id: comment.section_id,
        author_name: comment.author_name.clone(),
        body: comment.body.clone(),
        late: comment.late,
        created_at: comment.created_at.to_string(),
        parent_id: comment.parent_id,
        quote: comment.anchor.as_ref().map(|a| a.quote.clone()),
        anonymised: comment.anonymised,
    })
}

/// Appends a comment's event to its document's and its hearing's rooms.
pub(crate) async fn announce<C: ConnectionTrait>(
    conn: &C,
    comment: &Comment,
    document: DocumentId,
    stored: &mut Vec<StoredEvent>,
) -> Result<(), DbError> {
    let payload = posted_event(comment, document);
    for room in [Room::Document(document), Room::Hearing(comment.hearing_id)] {
        stored.push(events::append(conn, room, &payload).await?);
    }
    Ok(())
}

/// The document each section belongs to.
pub(crate) async fn documents_of_sections<C: ConnectionTrait>(
    conn: &C,
    sections: impl IntoIterator<Item = Uuid>,
) -> Result<HashMap<Uuid, DocumentId>, DbError> {
    let sections: Vec<(Uuid, Uuid)> = section::Entity::find()
        .select_only()
        .column(section::Column::Id)
        .column(section::Column::VersionId)
        .filter(section::Column::Id.is_in(sections))
        .into_tuple()
        .all(conn)
        .await?;
    let versions: HashMap<Uuid, Uuid> = document_version::Entity::find()
        .select_only()
        .column(document_version::Column::Id)
        .column(document_version::Column::DocumentId)
        .filter(document_version::Column::Id.is_in(sections.iter().map(|(_, v)| *v)))
        .into_tuple::<(Uuid, Uuid)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    Ok(sections
        .into_iter()
        .filter_map(|(s, v)| versions.get(&v).map(|d| (s, DocumentId(*d))))
        .collect())
}

/// The conflict [`Db::post_comment`] answers when the idempotency key was used by
/// another author or on another hearing.
pub const COMMENT_KEY_REUSED: &str = "the idempotency key was used for another comment";

impl Db {
    /// Stores a comment, its events and its emails, and returns once they are
    /// committed; concurrent comments share one commit (see [`CommentQueue`]). A key
    /// used before by the same author on the same hearing returns that comment; a
    /// key used by anyone else, or elsewhere, is refused with [`COMMENT_KEY_REUSED`]
    /// — never their comment.
    pub async fn post_comment(&self, new: NewComment) -> Result<PostedComment, DbError> {
        self.post_comment_then(new, Box::new(|_| {})).await
    }

    /// Like [`Db::post_comment`], calling `on_commit` with a newly stored comment right
    /// after its commit and before answering: the writer calls it for the comments of
    /// one commit in the order they were stored, so their events are published in
    /// sequence order (it must not block). Not called for a retry that returns the
    /// comment stored before.
    pub async fn post_comment_then(
        &self,
        new: NewComment,
        on_commit: OnCommit,
    ) -> Result<PostedComment, DbError> {
        if let Some(key) = new.idempotency_key
            && let Some(existing) = self.comment_by_key(key, &new).await?
        {
            return Ok(PostedComment {
                comment: existing,
                events: Vec::new(),
                created: false,
            });
        }
        // Kept to look the key up again if a concurrent post with it wins.
        let keyed = new.idempotency_key.map(|key| (key, new.clone()));
        match (self.insert_comment(new, on_commit).await, keyed) {
            // Two concurrent posts with one key: the loser returns the winner's comment.
            (Err(DbError::Conflict(_)), Some((key, new))) => {
                let existing = self
                    .comment_by_key(key, &new)
                    .await?
                    .ok_or(DbError::NotFound)?;
                Ok(PostedComment {
                    comment: existing,
                    events: Vec::new(),
                    created: false,
                })
            }
            (other, _) => other,
        }
    }

    /// Hands the comment to the group commit and waits for its commit.
    async fn insert_comment(
        &self,
        new: NewComment,
        on_commit: OnCommit,
    ) -> Result<PostedComment, DbError> {
        let (reply, outcome) = oneshot::channel();
        let queue = self.comment_queue();
        let job = PendingComment {
            new,
            reply,
            on_commit,
        };
        if let Err(mpsc::error::SendError(job)) = queue.0.send(job).await {
            // The writer's runtime has ended: store this one alone.
            let txn = self.conn.begin().await?;
            let posted = insert_comment_in(&txn, &job.new).await?;
            txn.commit().await?;
            (job.on_commit)(&posted);
            return Ok(posted);
        }
        outcome
            .await
            .unwrap_or_else(|_| Err(DbError::Unavailable("the comment writer stopped".into())))
    }

    /// The group commit's queue, with its task started on this runtime if it is not
    /// running.
    fn comment_queue(&self) -> CommentQueue {
        let mut slot = self
            .comment_writer
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        match slot.as_ref() {
            Some(queue) if !queue.0.is_closed() => queue.clone(),
            _ => {
                let (sender, receiver) = mpsc::channel(GROUP_COMMIT_MAX * 4);
                tokio::spawn(write_comments(self.conn.clone(), receiver));
                let queue = CommentQueue(sender);
                *slot = Some(queue.clone());
                queue
            }
        }
    }

    /// The hearing, its plan, the document on hearing and (when it belongs to the
    /// version on hearing) the section, in one round trip.
    pub async fn comment_target(
        &self,
        hearing_id: HearingId,
        section_id: SectionId,
    ) -> Result<CommentTarget, DbError> {
        use crate::entities::plan;
        use sea_orm::{DbBackend, FromQueryResult, Statement};
        let backend = self.read.get_database_backend();
        let (section_param, hearing_param) = match backend {
            DbBackend::Postgres => ("$1", "$2"),
            _ => ("?", "?"),
        };
        let sql = format!(
            "SELECT {}, {}, {}, v.\"document_id\" AS \"v_document_id\" \
             FROM \"hearing\" h \
             JOIN \"plan\" p ON p.\"id\" = h.\"plan_id\" \
             JOIN \"document_version\" v ON v.\"id\" = h.\"document_version_id\" \
             LEFT JOIN \"section\" s ON s.\"id\" = {section_param} \
               AND s.\"version_id\" = h.\"document_version_id\" \
             WHERE h.\"id\" = {hearing_param}",
            prefixed_columns::<hearing::Entity>("h"),
            prefixed_columns::<plan::Entity>("p"),
            prefixed_columns::<section::Entity>("s"),
        );
        let row = self
            .read
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                sql,
                [section_id.0.into(), hearing_id.0.into()],
            ))
            .await?
            .ok_or(DbError::NotFound)?;
        let hearing = hearing::Model::from_query_result(&row, "h_")?;
        let plan = plan::Model::from_query_result(&row, "p_")?;
        let document: Uuid = row.try_get("", "v_document_id")?;
        let section = match row.try_get::<Option<Uuid>>("", "s_id")? {
            Some(_) => Some(super::documents::section_into_domain(
                section::Model::from_query_result(&row, "s_")?,
            )),
            None => None,
        };
        Ok(CommentTarget {
            hearing: super::hearings::into_domain(hearing)?,
            plan: super::plans::into_domain(plan)?,
            document: DocumentId(document),
            section,
        })
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

    /// The comment stored with `key`, if the same author posted it on the same hearing
    /// as `new`; keys are unique across all comments, so any other use is a conflict.
    async fn comment_by_key(
        &self,
        key: Uuid,
        new: &NewComment,
    ) -> Result<Option<Comment>, DbError> {
        let Some(row) = comment::Entity::find()
            .filter(comment::Column::IdempotencyKey.eq(key))
            .one(&self.read)
            .await?
        else {
            return Ok(None);
        };
        let same_email = |a: &Option<String>, b: Option<&str>| match (a.as_deref(), b) {
            (Some(a), Some(b)) => a.trim().eq_ignore_ascii_case(b.trim()),
            (None, None) => true,
            _ => false,
        };
        let same_author = match (&new.person_id, &new.unconfirmed) {
            // Signed in: the same person.
            (Some(person), _) => row.person_id == Some(person.0),
            // Without an account: the same address.
            (None, Some(author)) => same_email(&row.author_email, Some(&author.email)),
            // Registered through the API: nobody's, under the same address (or none).
            (None, None) => {
                row.person_id.is_none()
                    && same_email(&row.author_email, new.author_email.as_deref())
            }
        };
        if row.hearing_id != new.hearing_id.0 || !same_author {
            return Err(DbError::Conflict(COMMENT_KEY_REUSED.to_owned()));
        }
        into_domain(row).map(Some)
    }

    /// Distinct email addresses of people who commented on a hearing.
    pub async fn commenter_emails(&self, hearing: HearingId) -> Result<Vec<String>, DbError> {
        let emails: Vec<Option<String>> = comment::Entity::find()
            .select_only()
            .column(comment::Column::AuthorEmail)
            .distinct()
            .filter(comment::Column::HearingId.eq(hearing.0))
            .filter(comment::Column::AuthorEmail.is_not_null())
            .filter(confirmed())
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
            .filter(confirmed())
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
            .filter(confirmed())
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

    /// A comment of the record (one waiting for confirmation is not found).
    pub async fn comment(&self, id: CommentId) -> Result<Comment, DbError> {
        let mut comment = comment::Entity::find_by_id(id.0)
            .filter(confirmed())
            .one(&self.read)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(into_domain)?;
        comment.supporters = self.supporter_count(id).await?;
        Ok(comment)
    }

    /// A comment as its planners see it: also one waiting for screening (one waiting
    /// for its author's confirmation is not found).
    pub async fn comment_for_moderation(&self, id: CommentId) -> Result<Comment, DbError> {
        let mut comment = comment::Entity::find_by_id(id.0)
            .filter(comment::Column::Status.ne(CommentStatus::Unconfirmed.as_str()))
            .one(&self.conn)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(into_domain)?;
        comment.supporters = self.supporter_count(id).await?;
        Ok(comment)
    }

    /// Comments of a hearing waiting for screening, oldest first.
    pub async fn screening_of_hearing(&self, hearing: HearingId) -> Result<Vec<Comment>, DbError> {
        comment::Entity::find()
            .filter(comment::Column::HearingId.eq(hearing.0))
            .filter(comment::Column::Status.eq(CommentStatus::Screening.as_str()))
            .order_by_asc(comment::Column::CreatedAt)
            .order_by_asc(comment::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    /// A person's own comments on a hearing that wait for screening, oldest first.
    pub async fn own_screening(
        &self,
        hearing: HearingId,
        person: PersonId,
    ) -> Result<Vec<Comment>, DbError> {
        comment::Entity::find()
            .filter(comment::Column::HearingId.eq(hearing.0))
            .filter(comment::Column::PersonId.eq(person.0))
            .filter(comment::Column::Status.eq(CommentStatus::Screening.as_str()))
            .order_by_asc(comment::Column::CreatedAt)
            .order_by_asc(comment::Column::Id)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    /// The comments of a hearing's record, oldest first.
    pub async fn comments_of_hearing(&self, hearing: HearingId) -> Result<Vec<Comment>, DbError> {
        let mut comments = comment::Entity::find()
            .filter(comment::Column::HearingId.eq(hearing.0))
            .filter(confirmed())
            .order_by_asc(comment::Column::CreatedAt)
            .order_by_asc(comment::Column::Id)
            .all(&self.read)
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

    /// Everything a person wrote: comments tied to them, and comments given with
    /// their address before they had an account; newest first, every status.
    pub async fn comments_of_person(
        &self,
        person: PersonId,
        email: &str,
    ) -> Result<Vec<OwnComment>, DbError> {
        let rows = comment::Entity::find()
            .filter(authored_by(person, email))
            .order_by_desc(comment::Column::CreatedAt)
            .order_by_desc(comment::Column::Id)
            .all(&self.conn)
            .await?;
        let hearings: HashMap<Uuid, String> = hearing::Entity::find()
            .select_only()
            .column(hearing::Column::Id)
            .column(hearing::Column::Title)
            .filter(hearing::Column::Id.is_in(rows.iter().map(|r| r.hearing_id)))
            .into_tuple::<(Uuid, String)>()
            .all(&self.conn)
            .await?
            .into_iter()
            .collect();
        let sections: HashMap<Uuid, (String, String)> = section::Entity::find()
            .select_only()
            .column(section::Column::Id)
            .column(section::Column::Number)
            .column(section::Column::Title)
            .filter(section::Column::Id.is_in(rows.iter().map(|r| r.section_id)))
            .into_tuple::<(Uuid, String, String)>()
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|(id, number, title)| (id, (number, title)))
            .collect();
        rows.into_iter()
            .map(|row| {
                let hearing_title = hearings.get(&row.hearing_id).cloned().unwrap_or_default();
                let (section_number, section_title) =
                    sections.get(&row.section_id).cloned().unwrap_or_default();
                Ok(OwnComment {
                    comment: into_domain(row)?,
                    hearing_title,
                    section_number,
                    section_title,
                })
            })
            .collect()
    }

    /// What a confirmation link would publish, without using it: `None` when the
    /// link cannot be used (unknown, used, expired, or for something else).
    pub async fn pending_confirmation(
        &self,
        token: &str,
    ) -> Result<Option<PendingConfirmation>, DbError> {
        let Some(person) =
            people::token_holder(&self.conn, token, TokenPurpose::ConfirmInput, now()).await?
        else {
            return Ok(None);
        };
        let comments = unconfirmed_of(&self.conn, person)
            .await?
            .into_iter()
            .map(into_domain)
            .collect::<Result<_, _>>()?;
        Ok(Some(PendingConfirmation { person, comments }))
    }

    /// Uses a confirmation link once, in one transaction: confirms the address,
    /// publishes every comment of the person that waited for it (status, events,
    /// and the `notices` prepared for each comment), and opens a session.
    /// `None` when the link cannot be used.
    pub async fn confirm_inputs(
        &self,
        token: &str,
        session_secret: &str,
        session_ttl: SignedDuration,
        notices: &HashMap<CommentId, Vec<OutgoingEmail>>,
    ) -> Result<Option<ConfirmedInputs>, DbError> {
        let txn = self.conn.begin().await?;
        let at = now();
        let Some((person, municipality)) =
            people::claim_token(&txn, token, TokenPurpose::ConfirmInput, at).await?
        else {
            return Ok(None);
        };
        people::confirm_email(&txn, person, at).await?;
        let waiting = unconfirmed_of(&txn, person).await?;
        let documents = documents_of_sections(&txn, waiting.iter().map(|c| c.section_id)).await?;
        let screens: HashMap<Uuid, bool> = hearing::Entity::find()
            .select_only()
            .column(hearing::Column::Id)
            .column(hearing::Column::ScreenPublicInput)
            .filter(hearing::Column::Id.is_in(waiting.iter().map(|c| c.hearing_id)))
            .into_tuple::<(Uuid, bool)>()
            .all(&txn)
            .await?
            .into_iter()
            .collect();
        let mut published = Vec::with_capacity(waiting.len());
        let mut screening = Vec::new();
        let mut stored = Vec::new();
        let mut queued_email = false;
        for row in waiting {
            // Input from the public on a hearing that screens it waits for a planner.
            let to = if screens.get(&row.hearing_id).copied().unwrap_or(false) {
                CommentStatus::Screening
            } else {
                CommentStatus::Published
            };
            let changed = comment::Entity::update_many()
                .col_expr(comment::Column::Status, Expr::value(to.as_str()))
                .filter(comment::Column::Id.eq(row.id))
                .filter(comment::Column::Status.eq(CommentStatus::Unconfirmed.as_str()))
                .exec(&txn)
                .await?;
            if changed.rows_affected != 1 {
                continue;
            }
            let mut comment = into_domain(row)?;
            comment.status = to;
            if to == CommentStatus::Screening {
                screening.push(comment);
                continue;
            }
            let document = documents
                .get(&comment.section_id.0)
                .copied()
                .ok_or_else(|| {
                    DbError::Corrupt(format!("section {} has no document", comment.section_id))
                })?;
            announce(&txn, &comment, document, &mut stored).await?;
            super::register::record_comment(&txn, comment.id.0).await?;
            for email in notices.get(&comment.id).into_iter().flatten() {
                outbox::enqueue(&txn, email).await?;
                queued_email = true;
            }
            published.push(comment);
        }
        let signed_in =
            people::open_session(&txn, person, municipality, session_secret, session_ttl).await?;
        txn.commit().await?;
        Ok(Some(ConfirmedInputs {
            signed_in,
            published,
            screening,
            events: stored,
            queued_email,
        }))
    }

    /// Deletes input nobody confirmed before `before`, and the people who were
    /// created for it alone (an address never confirmed, nothing else kept about
    /// them). Returns how many comments went.
    pub async fn purge_unconfirmed(&self, before: Timestamp) -> Result<u64, DbError> {
        let txn = self.conn.begin().await?;
        let stale = comment::Entity::find()
            .filter(comment::Column::Status.eq(CommentStatus::Unconfirmed.as_str()))
            .filter(comment::Column::CreatedAt.lt(to_db(before)))
            .all(&txn)
            .await?;
        if stale.is_empty() {
            return Ok(0);
        }
        let deleted = comment::Entity::delete_many()
            .filter(comment::Column::Id.is_in(stale.iter().map(|c| c.id)))
            .filter(comment::Column::Status.eq(CommentStatus::Unconfirmed.as_str()))
            .exec(&txn)
            .await?;
        let mut authors: Vec<Uuid> = stale.iter().filter_map(|c| c.person_id).collect();
        authors.sort();
        authors.dedup();
        for person in authors {
            super::privacy::forget_if_nothing_kept(&txn, PersonId(person)).await?;
        }
        txn.commit().await?;
        Ok(deleted.rows_affected)
    }
}

/// Comments tied to the person, or given with their address.
pub(crate) fn authored_by(person: PersonId, email: &str) -> Condition {
    Condition::any()
        .add(comment::Column::PersonId.eq(person.0))
        .add(super::same_address(comment::Column::AuthorEmail, email))
}

async fn unconfirmed_of<C: ConnectionTrait>(
    conn: &C,
    person: PersonId,
) -> Result<Vec<comment::Model>, DbError> {
    Ok(comment::Entity::find()
        .filter(comment::Column::PersonId.eq(person.0))
        .filter(comment::Column::Status.eq(CommentStatus::Unconfirmed.as_str()))
        .order_by_asc(comment::Column::CreatedAt)
        .order_by_asc(comment::Column::Id)
        .all(conn)
        .await?)
}

/// Inserts a comment and appends its events and emails inside `txn`.
/// Comments one commit stores at most.
const GROUP_COMMIT_MAX: usize = 256;

/// The queue of the comment writer: one task that stores the comments of concurrent
/// requests in one transaction, each in a savepoint of its own (so one that fails
/// leaves the others stored), commits once, and only then answers each request. One
/// commit, one fsync, for every comment waiting, without acknowledging any comment
/// before it is durable.
#[derive(Clone, Debug)]
pub(crate) struct CommentQueue(mpsc::Sender<PendingComment>);

/// What the comment writer calls with a newly stored comment right after its commit.
pub type OnCommit = Box<dyn FnOnce(&PostedComment) + Send + Sync>;

pub(crate) struct PendingComment {
    new: NewComment,
    reply: oneshot::Sender<Result<PostedComment, DbError>>,
    on_commit: OnCommit,
}

impl std::fmt::Debug for PendingComment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PendingComment")
            .field("new", &self.new)
            .finish_non_exhaustive()
    }
}

async fn write_comments(conn: DatabaseConnection, mut queue: mpsc::Receiver<PendingComment>) {
    let mut batch = Vec::with_capacity(GROUP_COMMIT_MAX);
    while queue.recv_many(&mut batch, GROUP_COMMIT_MAX).await > 0 {
        let outcomes = commit_together(&conn, &batch).await;
        for (job, outcome) in batch.drain(..).zip(outcomes) {
            // In the order stored, so events reach live readers in sequence order.
            if let Ok(posted) = &outcome
                && posted.created
            {
                (job.on_commit)(posted);
            }
            // A request that went away meanwhile: its comment is stored all the same.
            let _ = job.reply.send(outcome);
        }
    }
}

/// Stores a batch in one transaction; one outcome per comment, in order.
async fn commit_together(
    conn: &DatabaseConnection,
    batch: &[PendingComment],
) -> Vec<Result<PostedComment, DbError>> {
    let all_failed = |e: DbError| batch.iter().map(|_| Err(e.clone())).collect();
    let txn = match conn.begin().await {
        Ok(txn) => txn,
        Err(e) => return all_failed(e.into()),
    };
    let mut outcomes = Vec::with_capacity(batch.len());
    if let [only] = batch {
        // Alone: no savepoint needed, a failure rolls the transaction back.
        match insert_comment_in(&txn, &only.new).await {
            Ok(posted) => outcomes.push(Ok(posted)),
            Err(e) => {
                let _ = txn.rollback().await;
                return vec![Err(e)];
            }
        }
    } else {
        for job in batch {
            outcomes.push(in_savepoint(&txn, &job.new).await);
        }
    }
    match txn.commit().await {
        Ok(()) => outcomes,
        Err(e) => all_failed(e.into()),
    }
}

async fn in_savepoint(
    txn: &sea_orm::DatabaseTransaction,
    new: &NewComment,
) -> Result<PostedComment, DbError> {
    let savepoint = txn.begin().await?;
    match insert_comment_in(&savepoint, new).await {
        Ok(posted) => {
            savepoint.commit().await?;
            Ok(posted)
        }
        Err(e) => {
            savepoint.rollback().await?;
            Err(e)
        }
    }
}

async fn insert_comment_in(
    txn: &sea_orm::DatabaseTransaction,
    new: &NewComment,
) -> Result<PostedComment, DbError> {
    let (person_id, status) = match &new.unconfirmed {
        None if new.screened => (new.person_id, CommentStatus::Screening),
        None => (new.person_id, CommentStatus::Published),
        Some(author) => {
            let person =
                people::ensure_person_in(txn, &author.email, &author.name, author.lang).await?;
            if let Some(link) = &author.link {
                people::insert_sign_in_token(
                    txn,
                    &crate::NewSignInToken {
                        email: &author.email,
                        person: Some(PersonId(person.id)),
                        municipality: Some(author.municipality),
                        token: &link.token,
                        valid_for: link.valid_for,
                        purpose: TokenPurpose::ConfirmInput,
                    },
                )
                .await?;
            }
            (Some(PersonId(person.id)), CommentStatus::Unconfirmed)
        }
    };
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
        person_id: Set(person_id.map(|p| p.0)),
        status: Set(status.as_str().to_owned()),
        anonymised_at: Set(None),
        edited_at: Set(None),
    })
    .exec_with_returning(txn)
    .await?;
    let comment = into_domain(model.clone())?;
    let mut stored = Vec::with_capacity(2);
    // Input waiting for its author's confirmation is announced when it is confirmed.
    if status == CommentStatus::Published {
        announce(txn, &comment, new.document_id, &mut stored).await?;
        super::register::record_new_comment(txn, &model).await?;
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
