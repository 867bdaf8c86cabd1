//! Official responses (høyringssvar): one per organisation (or person) per hearing,
//! every revision kept as a numbered version, with the metadata of attached files.
//!
//! A submission is one transaction: an upsert on the unique (hearing, owner) key
//! raises the version counter (so concurrent submissions from one organisation end
//! up as consecutive versions of one response), then the version, its attachments,
//! the live event and the receipt email are written together.

use super::parse_enum;
use super::{events, outbox};
use crate::StoredEvent;
use crate::entities::{organisation, response, response_attachment, response_version};
use crate::time::{from_db, to_db};
use crate::{Db, DbError};
use domain::email::OutgoingEmail;
use domain::event::{EventPayload, ResponseSubmitted};
use domain::response::{Attachment, AttachmentKind, OnBehalfOf, Response, ResponseVersion};
use domain::room::Room;
use domain::{
    AttachmentId, HearingId, OrganisationId, PersonId, ResponseId, ResponseVersionId, SectionId,
};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use uuid::Uuid;

/// A file already written to the attachment folder, to be recorded with a version.
#[derive(Debug, Clone)]
pub struct NewAttachment {
    pub id: AttachmentId,
    pub file_name: String,
    pub kind: AttachmentKind,
    pub size_bytes: u64,
    pub sha256: String,
    pub storage_name: String,
}

/// A response, or a new version of one, as checked by the service.
#[derive(Debug, Clone)]
pub struct NewResponseVersion {
    pub hearing_id: HearingId,
    pub on_behalf_of: OnBehalfOf,
    /// The submitter, and their name as the version shows it.
    pub person_id: PersonId,
    pub person_name: String,
    pub text: String,
    pub section_ids: Vec<SectionId>,
    pub new_attachments: Vec<NewAttachment>,
    /// Files of earlier versions of the same response that this version keeps.
    pub keep_attachment_ids: Vec<AttachmentId>,
    /// After the deadline: a first response is kept and marked late; a revision
    /// is refused.
    pub late: bool,
    /// The client's key: a retried submission with the same key stores nothing new.
    pub idempotency_key: Option<Uuid>,
    /// The version the submitter saw and revised (0: none yet). When set, a
    /// submission is refused if another version was stored meanwhile, so two
    /// people revising one response do not overwrite each other unknowingly.
    pub based_on_version: Option<i32>,
    pub at: jiff::Timestamp,
}

#[derive(Debug, Clone)]
pub struct SubmittedResponse {
    pub response: Response,
    /// The version this submission is (the stored one, for a retry).
    pub version: i32,
    /// Events to publish after commit; empty for a retry.
    pub events: Vec<StoredEvent>,
    /// False when an earlier submission with the same key is returned.
    pub created: bool,
    pub queued_email: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    #[error("the deadline has passed, so the response can no longer be revised")]
    DeadlinePassed,
    #[error("an attachment to keep is not part of this response")]
    UnknownAttachment,
    #[error("a version may have at most {max} attachments")]
    TooManyAttachments { max: usize },
    #[error("the idempotency key was used for another submission")]
    KeyReused,
    #[error("version {based_on} is no longer the current version")]
    VersionConflict { based_on: i32 },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sea_orm::DbErr> for SubmitError {
    fn from(err: sea_orm::DbErr) -> Self {
        SubmitError::Db(err.into())
    }
}

fn ids_to_json<T: serde::Serialize>(ids: &[T]) -> Result<String, DbError> {
    serde_json::to_string(ids).map_err(|e| DbError::Other(e.to_string()))
}

fn ids_from_json<T: serde::de::DeserializeOwned>(json: &str) -> Result<Vec<T>, DbError> {
    serde_json::from_str(json).map_err(|e| DbError::Corrupt(format!("id list: {e}")))
}

fn version_into_domain(m: response_version::Model) -> Result<ResponseVersion, DbError> {
    Ok(ResponseVersion {
        id: m.id.into(),
        number: m.number,
        text: m.body,
        section_ids: ids_from_json(&m.section_ids)?,
        attachment_ids: ids_from_json(&m.attachment_ids)?,
        person_id: m.person_id.into(),
        person_name: m.person_name,
        late: m.late,
        created_at: from_db(m.created_at)?,
    })
}

fn attachment_into_domain(m: response_attachment::Model) -> Result<Attachment, DbError> {
    Ok(Attachment {
        id: m.id.into(),
        response_id: m.response_id.into(),
        file_name: m.file_name,
        kind: parse_enum(&m.kind, AttachmentKind::parse, "attachment kind")?,
        size_bytes: u64::try_from(m.size_bytes)
            .map_err(|_| DbError::Corrupt("negative attachment size".into()))?,
        sha256: m.sha256,
        storage_name: m.storage_name,
        created_at: from_db(m.created_at)?,
    })
}

/// A response row with its versions, attachments and organisation name.
pub(crate) async fn load<C: ConnectionTrait>(
    conn: &C,
    m: response::Model,
) -> Result<Response, DbError> {
    let versions = response_version::Entity::find()
        .filter(response_version::Column::ResponseId.eq(m.id))
        .order_by_asc(response_version::Column::Number)
        .all(conn)
        .await?
        .into_iter()
        .map(version_into_domain)
        .collect::<Result<Vec<_>, _>>()?;
    let attachments = response_attachment::Entity::find()
        .filter(response_attachment::Column::ResponseId.eq(m.id))
        .order_by_asc(response_attachment::Column::CreatedAt)
        .order_by_asc(response_attachment::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(attachment_into_domain)
        .collect::<Result<Vec<_>, _>>()?;
    let organisation_name = match m.organisation_id {
        Some(id) => organisation::Entity::find_by_id(id)
            .one(conn)
            .await?
            .map(|o| o.name),
        None => None,
    };
    Ok(Response {
        id: m.id.into(),
        hearing_id: m.hearing_id.into(),
        organisation_id: m.organisation_id.map(OrganisationId),
        organisation_name,
        person_id: m.person_id.into(),
        late: m.late,
        created_at: from_db(m.created_at)?,
        updated_at: from_db(m.updated_at)?,
        versions,
        attachments,
    })
}

impl Db {
    /// Stores a response or a new version of it, its attachments' metadata, the
    /// live event and the emails `emails` makes from the stored response, in one
    /// transaction. A retry with a known idempotency key returns what the first
    /// submission stored and writes nothing.
    pub async fn submit_response<F>(
        &self,
        new: NewResponseVersion,
        emails: F,
    ) -> Result<SubmittedResponse, SubmitError>
    where
        F: Fn(&Response, &ResponseVersion) -> Vec<OutgoingEmail>,
    {
        if let Some(key) = new.idempotency_key
            && let Some(earlier) = self.submission_by_key(key, &new).await?
        {
            return Ok(earlier);
        }
        let txn = self.conn.begin().await?;
        match insert_version(&txn, &new, &emails).await {
            Ok(submitted) => {
                txn.commit().await?;
                Ok(submitted)
            }
            Err(err) => {
                txn.rollback().await?;
                match err {
                    // Two submissions with one key at once: the loser returns the winner's.
                    SubmitError::Db(DbError::Conflict(_)) if new.idempotency_key.is_some() => {
                        let key = new.idempotency_key.unwrap_or_default();
                        self.submission_by_key(key, &new)
                            .await?
                            .ok_or(SubmitError::Db(DbError::NotFound))
                    }
                    other => Err(other),
                }
            }
        }
    }

    /// The submission an idempotency key was used for, if it was used for the same
    /// hearing and owner; a key reused for anything else is refused.
    async fn submission_by_key(
        &self,
        key: Uuid,
        new: &NewResponseVersion,
    ) -> Result<Option<SubmittedResponse>, SubmitError> {
        let Some(version) = response_version::Entity::find()
            .filter(response_version::Column::IdempotencyKey.eq(key))
            .one(&self.conn)
            .await?
        else {
            return Ok(None);
        };
        let number = version.number;
        let row = response::Entity::find_by_id(version.response_id)
            .one(&self.conn)
            .await?
            .ok_or(DbError::NotFound)?;
        if row.hearing_id != new.hearing_id.0
            || row.owner_key != new.on_behalf_of.key()
            || version.person_id != new.person_id.0
        {
            return Err(SubmitError::KeyReused);
        }
        Ok(Some(SubmittedResponse {
            response: load(&self.conn, row).await?,
            version: number,
            events: Vec::new(),
            created: false,
            queued_email: false,
        }))
    }

    /// Whether a submission with this idempotency key was stored.
    pub async fn response_key_used(&self, key: Uuid) -> Result<bool, DbError> {
        Ok(response_version::Entity::find()
            .filter(response_version::Column::IdempotencyKey.eq(key))
            .one(&self.conn)
            .await?
            .is_some())
    }

    pub async fn response(&self, id: ResponseId) -> Result<Response, DbError> {
        let row = response::Entity::find_by_id(id.0)
            .one(&self.conn)
            .await?
            .ok_or(DbError::NotFound)?;
        load(&self.conn, row).await
    }

    /// Every response to a hearing, oldest first.
    pub async fn responses_of_hearing(&self, hearing: HearingId) -> Result<Vec<Response>, DbError> {
        let rows = response::Entity::find()
            .filter(response::Column::HearingId.eq(hearing.0))
            .order_by_asc(response::Column::CreatedAt)
            .order_by_asc(response::Column::Id)
            .all(&self.conn)
            .await?;
        let mut responses = Vec::with_capacity(rows.len());
        for row in rows {
            responses.push(load(&self.conn, row).await?);
        }
        Ok(responses)
    }

    /// The responses given on behalf of any of `owners` (people or organisations),
    /// in any hearing, most recently revised first.
    pub async fn responses_on_behalf_of(
        &self,
        owners: &[OnBehalfOf],
    ) -> Result<Vec<Response>, DbError> {
        if owners.is_empty() {
            return Ok(Vec::new());
        }
        let rows = response::Entity::find()
            .filter(response::Column::OwnerKey.is_in(owners.iter().map(|o| o.key())))
            .order_by_desc(response::Column::UpdatedAt)
            .order_by_asc(response::Column::Id)
            .all(&self.conn)
            .await?;
        let mut responses = Vec::with_capacity(rows.len());
        for row in rows {
            responses.push(load(&self.conn, row).await?);
        }
        Ok(responses)
    }

    /// The response a person or an organisation gave to a hearing, if any.
    pub async fn response_of(
        &self,
        hearing: HearingId,
        on_behalf_of: OnBehalfOf,
    ) -> Result<Option<Response>, DbError> {
        match response::Entity::find()
            .filter(response::Column::HearingId.eq(hearing.0))
            .filter(response::Column::OwnerKey.eq(on_behalf_of.key()))
            .one(&self.conn)
            .await?
        {
            Some(row) => Ok(Some(load(&self.conn, row).await?)),
            None => Ok(None),
        }
    }
}

async fn insert_version<F>(
    txn: &DatabaseTransaction,
    new: &NewResponseVersion,
    emails: &F,
) -> Result<SubmittedResponse, SubmitError>
where
    F: Fn(&Response, &ResponseVersion) -> Vec<OutgoingEmail>,
{
    let at = to_db(new.at);
    // Creates the response, or raises its version counter under the row's lock.
    let row = response::Entity::insert(response::ActiveModel {
        id: Set(ResponseId::new().0),
        hearing_id: Set(new.hearing_id.0),
        owner_key: Set(new.on_behalf_of.key()),
        organisation_id: Set(new.on_behalf_of.organisation().map(|o| o.0)),
        person_id: Set(new.person_id.0),
        late: Set(new.late),
        version_count: Set(1),
        created_at: Set(at),
        updated_at: Set(at),
    })
    .on_conflict(
        OnConflict::columns([response::Column::HearingId, response::Column::OwnerKey])
            .value(
                response::Column::VersionCount,
                Expr::col((response::Entity, response::Column::VersionCount)).add(1),
            )
            .value(response::Column::UpdatedAt, Expr::value(at))
            .to_owned(),
    )
    .exec_with_returning(txn)
    .await?;
    let number = row.version_count;
    if number > 1 && new.late {
        return Err(SubmitError::DeadlinePassed);
    }
    // Checked under the row's lock: the counter was raised in this transaction.
    if let Some(based_on) = new.based_on_version
        && number != based_on + 1
    {
        return Err(SubmitError::VersionConflict { based_on });
    }
    let known: Vec<Uuid> = if new.keep_attachment_ids.is_empty() {
        Vec::new()
    } else {
        response_attachment::Entity::find()
            .filter(response_attachment::Column::ResponseId.eq(row.id))
            .all(txn)
            .await?
            .into_iter()
            .map(|a| a.id)
            .collect()
    };
    if new
        .keep_attachment_ids
        .iter()
        .any(|id| !known.contains(&id.0))
    {
        return Err(SubmitError::UnknownAttachment);
    }
    let max = domain::response::MAX_ATTACHMENTS;
    if new.keep_attachment_ids.len() + new.new_attachments.len() > max {
        return Err(SubmitError::TooManyAttachments { max });
    }
    for attachment in &new.new_attachments {
        response_attachment::Entity::insert(response_attachment::ActiveModel {
            id: Set(attachment.id.0),
            response_id: Set(row.id),
            file_name: Set(attachment.file_name.clone()),
            kind: Set(attachment.kind.as_str().to_owned()),
            size_bytes: Set(i64::try_from(attachment.size_bytes)
                .map_err(|_| DbError::Other("attachment too large".into()))?),
            sha256: Set(attachment.sha256.clone()),
            storage_name: Set(attachment.storage_name.clone()),
            created_at: Set(at),
        })
        .exec_without_returning(txn)
        .await?;
    }
    let attachment_ids: Vec<AttachmentId> = new
        .keep_attachment_ids
        .iter()
        .copied()
        .chain(new.new_attachments.iter().map(|a| a.id))
        .collect();
    response_version::Entity::insert(response_version::ActiveModel {
        id: Set(ResponseVersionId::new().0),
        response_id: Set(row.id),
        number: Set(number),
        body: Set(new.text.clone()),
        section_ids: Set(ids_to_json(&new.section_ids)?),
        attachment_ids: Set(ids_to_json(&attachment_ids)?),
        person_id: Set(new.person_id.0),
        person_name: Set(new.person_name.clone()),
        late: Set(new.late),
        idempotency_key: Set(new.idempotency_key),
        created_at: Set(at),
    })
    .exec_without_returning(txn)
    .await?;
    super::register::record_response(txn, row.id).await?;
    let response = load(txn, row).await?;
    let version = response
        .versions
        .iter()
        .find(|v| v.number == number)
        .cloned()
        .ok_or(DbError::NotFound)?;
    let payload = EventPayload::ResponseSubmitted(ResponseSubmitted {
        response_id: response.id,
        hearing_id: response.hearing_id,
        organisation_id: response.organisation_id,
        organisation_name: response.organisation_name.clone(),
        version: number,
        late: new.late,
        attachment_count: version.attachment_ids.len(),
        submitted_at: version.created_at.to_string(),
    });
    let event = events::append(txn, Room::Hearing(response.hearing_id), &payload).await?;
    let emails = emails(&response, &version);
    for email in &emails {
        outbox::enqueue(txn, email).await?;
    }
    Ok(SubmittedResponse {
        response,
        version: number,
        events: vec![event],
        created: true,
        queued_email: !emails.is_empty(),
    })
}
