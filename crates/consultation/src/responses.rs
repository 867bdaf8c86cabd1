//! Official responses (høyringssvar): one per organisation (or person) per hearing,
//! every revision kept as a numbered version, with PDF or DOCX attachments.
//!
//! A response is given by a signed-in person on behalf of themself or of an
//! organisation they represent. Its attachments are recognised by their content,
//! stored in the attachment folder under generated names (flushed before the row
//! that refers to them is written) and read back only for those who may read the
//! response. The receipt email is queued in the transaction that stores the version.

pub mod attachments;
mod reading;

use crate::Consultation;
use crate::access::hearing_resource;
use attachments::{AttachmentReader, AttachmentStore};
use db::{DbError, NewAttachment, NewResponseVersion, SubmitError, SubmittedResponse};
use domain::Lang;
use domain::email::{Email, OutgoingEmail, ReceiptAttachment};
use domain::hearing::{Hearing, HearingState, InputTiming};
use domain::organisation::Organisation;
use domain::policy::{Action, Actor, Resource, Role, can};
use domain::response::{
    self as rules, Attachment, AttachmentKind, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS,
    MAX_TEXT_CHARS, OnBehalfOf, Response, ResponseVersion,
};
use domain::validate::{self, FieldError};
use domain::{AttachmentId, HearingId, OrganisationId, ResponseId, SectionId};
use uuid::Uuid;

/// The largest submission: every attachment at its limit, and room for the text and
/// the other fields.
pub const MAX_SUBMISSION_BYTES: usize = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1024 * 1024;

/// A file as it arrived: the name its sender gave it (only metadata) and its
/// content, received into a temporary file.
#[derive(Debug, Clone)]
pub struct SubmittedFile {
    pub file_name: String,
    pub file: attachments::ReceivedFile,
}

/// What a submission asks for, before any check: the command of
/// [`Consultation::submit_response`].
#[derive(Debug, Default, Clone)]
pub struct Submission {
    pub text: String,
    /// Answer on behalf of this organisation; `None` for a personal response.
    pub organisation_id: Option<OrganisationId>,
    /// Sections of the document on hearing the response concerns.
    pub section_ids: Vec<SectionId>,
    /// Attachments of the current version to keep in the new one.
    pub keep_attachment_ids: Vec<AttachmentId>,
    pub files: Vec<SubmittedFile>,
    /// A retry with the same key stores nothing new.
    pub idempotency_key: Option<Uuid>,
    /// The version the submitter revised (0 when there was none). A submission
    /// based on a version that is no longer the current one is refused with
    /// [`ResponseError::VersionConflict`]; `None` revises whatever is current.
    pub based_on_version: Option<i32>,
}

impl Submission {
    /// Everything but the files (which may be large): what a form shows again.
    pub fn clone_without_files(&self) -> Submission {
        Submission {
            text: self.text.clone(),
            organisation_id: self.organisation_id,
            section_ids: self.section_ids.clone(),
            keep_attachment_ids: self.keep_attachment_ids.clone(),
            files: Vec::new(),
            idempotency_key: self.idempotency_key,
            based_on_version: self.based_on_version,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ResponseError {
    #[error("the hearing does not exist")]
    HearingNotFound,
    #[error("the response does not exist")]
    ResponseNotFound,
    #[error("the attachment does not exist")]
    AttachmentNotFound,
    #[error("sign in to give a response")]
    SignInRequired,
    #[error("the hearing is not open for input")]
    NotOpen,
    #[error("you may not give a response to this hearing")]
    Forbidden,
    #[error("you do not represent this organisation")]
    NotRepresentative,
    #[error("a section is not part of the document on hearing")]
    SectionNotInHearing,
    #[error("{0:?} is neither a PDF nor a Word document (DOCX); only those are accepted")]
    UnsupportedAttachment(String),
    #[error("an attachment is larger than {} MB", MAX_ATTACHMENT_BYTES / (1024 * 1024))]
    AttachmentTooLarge,
    #[error("a response may have at most {MAX_ATTACHMENTS} attachments")]
    TooManyAttachments,
    #[error("an attachment is empty")]
    EmptyAttachment,
    #[error("an attachment to keep is not part of this response")]
    UnknownAttachment,
    #[error("the deadline has passed, so the response can no longer be revised")]
    DeadlinePassed,
    #[error("the idempotency key was used for another submission")]
    KeyReused,
    /// Someone else stored a version after the one this submission revised;
    /// nothing was stored. `current` is the response as it is now.
    #[error(
        "the response was revised by someone else (now version {}); nothing was saved, compare and send again based on the current version",
        current_version(.current)
    )]
    VersionConflict { current: Option<Box<Response>> },
    /// A field of the submission as it arrived could not be understood.
    #[error("{0}")]
    BadField(String),
    #[error("the submission is larger than {} MB", MAX_SUBMISSION_BYTES / (1024 * 1024))]
    TooLarge,
    /// The submission could not be read at all.
    #[error("the submission is not readable: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error("the attachment could not be stored; nothing was saved, try again shortly")]
    Storage(#[source] std::io::Error),
    #[error("the file cannot be read just now")]
    FileUnavailable(#[source] std::io::Error),
    /// Too many uploads are under way in this process; nothing was stored.
    #[error(
        "too many files are being sent just now; nothing was saved, try again in a few seconds"
    )]
    Busy,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl ResponseError {
    /// The stable code of the refusal: the API's `error` and the form's message id.
    pub fn code(&self) -> &'static str {
        match self {
            ResponseError::HearingNotFound
            | ResponseError::ResponseNotFound
            | ResponseError::AttachmentNotFound => "not_found",
            ResponseError::SignInRequired => "sign_in_required",
            ResponseError::NotOpen => "hearing_not_open",
            ResponseError::Forbidden => "forbidden",
            ResponseError::NotRepresentative => "not_representative",
            ResponseError::SectionNotInHearing => "section_not_in_hearing",
            ResponseError::UnsupportedAttachment(_) => "unsupported_attachment_type",
            ResponseError::AttachmentTooLarge => "attachment_too_large",
            ResponseError::TooManyAttachments => "too_many_attachments",
            ResponseError::EmptyAttachment => "empty_attachment",
            ResponseError::UnknownAttachment => "unknown_attachment",
            ResponseError::DeadlinePassed => "deadline_passed",
            ResponseError::KeyReused => "idempotency_key_reused",
            ResponseError::VersionConflict { .. } => "version_conflict",
            ResponseError::BadField(_) => "invalid_field",
            ResponseError::TooLarge => "too_large",
            ResponseError::Unreadable(_) => "invalid_multipart",
            ResponseError::Invalid(_) => "validation_failed",
            ResponseError::Storage(_) | ResponseError::FileUnavailable(_) => "storage_unavailable",
            ResponseError::Busy => "busy",
            ResponseError::Db(_) => "database",
        }
    }
}

impl From<SubmitError> for ResponseError {
    fn from(err: SubmitError) -> Self {
        match err {
            SubmitError::DeadlinePassed => ResponseError::DeadlinePassed,
            SubmitError::UnknownAttachment => ResponseError::UnknownAttachment,
            SubmitError::TooManyAttachments { .. } => ResponseError::TooManyAttachments,
            SubmitError::KeyReused => ResponseError::KeyReused,
            // The use case loads the current response before answering.
            SubmitError::VersionConflict { .. } => ResponseError::VersionConflict { current: None },
            SubmitError::Db(e) => ResponseError::Db(e),
        }
    }
}

/// The number of a response's current version; 0 when there is none.
pub fn current_version(response: &Option<Box<Response>>) -> i32 {
    response
        .as_ref()
        .and_then(|r| r.current())
        .map_or(0, |v| v.number)
}

/// Whether the actor may read a response to this hearing: its authors, the
/// representatives of its organisation, and the plan's planners.
pub fn may_read(actor: &Actor, hearing: &Hearing, response: &Response) -> bool {
    let own_or_planned = can(
        actor,
        Action::Read,
        Resource::Input {
            municipality: hearing.municipality_id,
            plan: hearing.plan_id,
            author: Some(response.person_id),
        },
    );
    let represented = response.organisation_id.is_some_and(|organisation| {
        can(
            actor,
            Action::Represent,
            Resource::Organisation {
                municipality: hearing.municipality_id,
                organisation,
            },
        )
    });
    own_or_planned || represented
}

/// The page of a hearing where `on_behalf_of` gives or revises its response (the
/// receipt links to it).
pub fn response_page_path(hearing: HearingId, on_behalf_of: OnBehalfOf) -> String {
    match on_behalf_of {
        OnBehalfOf::Organisation(id) => format!("/hearings/{hearing}/response?organisation={id}"),
        // Explicit: a representative of one organisation otherwise starts with it.
        OnBehalfOf::Person(_) => format!("/hearings/{hearing}/response?organisation=self"),
    }
}

/// Why no response, or no new version of one, can be given now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    /// The hearing has not opened yet.
    NotOpen,
    /// The deadline has passed and a response was sent before it.
    DeadlinePassed,
    /// The planner closed the hearing and the deadline has passed; a response was
    /// sent before it.
    ClosedAfterDeadline,
    /// The planners have assessed the input: the record is complete.
    Assessed,
}

/// Why `hearing` takes no response (or no new version of the one sent) at `now`;
/// `None` when it does. The same rule as [`Consultation::submit_response`].
pub fn closed_for_responses(
    hearing: &Hearing,
    has_response: bool,
    now: jiff::Timestamp,
) -> Option<Closed> {
    match hearing.input_timing(now) {
        InputTiming::OnTime => None,
        InputTiming::Late if !has_response => None,
        InputTiming::Late if hearing.state == HearingState::Closed => {
            Some(Closed::ClosedAfterDeadline)
        }
        InputTiming::Late => Some(Closed::DeadlinePassed),
        InputTiming::NotOpen if hearing.state == HearingState::Assessed => Some(Closed::Assessed),
        InputTiming::NotOpen => Some(Closed::NotOpen),
    }
}

/// A response with the hearing it answers, as the person's own page lists it.
#[derive(Debug, Clone)]
pub struct OwnResponse {
    pub hearing: Hearing,
    pub response: Response,
}

/// An attachment whose content was checked, ready to store.
struct CheckedFile {
    file_name: String,
    kind: AttachmentKind,
    file: attachments::ReceivedFile,
}

async fn check_file(file: SubmittedFile) -> Result<CheckedFile, ResponseError> {
    if file.file.size() == 0 {
        return Err(ResponseError::EmptyAttachment);
    }
    if file.file.size() > MAX_ATTACHMENT_BYTES as u64 {
        return Err(ResponseError::AttachmentTooLarge);
    }
    // The content decides; the name and the type the client claims do not.
    let kind = match file.file.format().await {
        Some(importer::Format::Pdf) => AttachmentKind::Pdf,
        Some(importer::Format::Docx) => AttachmentKind::Docx,
        _ => {
            let shown: String = file.file_name.chars().take(100).collect();
            return Err(ResponseError::UnsupportedAttachment(shown));
        }
    };
    Ok(CheckedFile {
        file_name: rules::clean_file_name(&file.file_name, kind),
        kind,
        file: file.file,
    })
}

fn storage_names(attachments: &[NewAttachment]) -> Vec<String> {
    attachments.iter().map(|a| a.storage_name.clone()).collect()
}

impl Consultation {
    /// The attachment folder of the settings.
    pub fn attachment_store(&self) -> AttachmentStore {
        AttachmentStore::new(&self.settings().attachments_dir, Some(self.db()))
    }

    /// Checks a submission, stores its files and then, in one transaction, the
    /// response version, the `response_submitted` event and the receipt email;
    /// publishes after commit. Nothing is stored when any check fails.
    ///
    /// One response per organisation (or person) per hearing: a later submission is
    /// a new version of it. After the deadline a first response is kept and marked
    /// late, a revision is refused.
    pub async fn submit_response(
        &self,
        actor: &Actor,
        hearing_id: HearingId,
        submission: Submission,
    ) -> Result<SubmittedResponse, ResponseError> {
        let db = self.db();
        let hearing = match db.hearing(hearing_id).await {
            Ok(h) => h,
            Err(DbError::NotFound) => return Err(ResponseError::HearingNotFound),
            Err(e) => return Err(e.into()),
        };
        let resource = hearing_resource(&hearing);
        if !can(actor, Action::Read, resource) {
            return Err(ResponseError::HearingNotFound);
        }
        let Some(person_id) = actor.person else {
            return Err(ResponseError::SignInRequired);
        };
        let now = self.now();
        let late = match hearing.input_timing(now) {
            InputTiming::OnTime => false,
            InputTiming::Late => true,
            InputTiming::NotOpen => return Err(ResponseError::NotOpen),
        };
        if !can(actor, Action::Comment, resource) {
            return Err(ResponseError::Forbidden);
        }
        let (on_behalf_of, organisation) = match submission.organisation_id {
            None => (OnBehalfOf::Person(person_id), None),
            Some(id) => {
                let organisation = match db.organisation(id).await {
                    Ok(o) => o,
                    Err(DbError::NotFound) => return Err(ResponseError::NotRepresentative),
                    Err(e) => return Err(e.into()),
                };
                let represents = organisation.municipality_id == hearing.municipality_id
                    && can(
                        actor,
                        Action::Represent,
                        Resource::Organisation {
                            municipality: organisation.municipality_id,
                            organisation: organisation.id,
                        },
                    );
                if !represents {
                    return Err(ResponseError::NotRepresentative);
                }
                (OnBehalfOf::Organisation(id), Some(organisation))
            }
        };
        let text = validate::text("text", &submission.text, MAX_TEXT_CHARS)?;
        if submission.based_on_version.is_some_and(|v| v < 0) {
            return Err(ResponseError::BadField(
                "based_on_version must be 0 or more".to_owned(),
            ));
        }
        let sections = db.sections_of(hearing.document_version_id).await?;
        if submission
            .section_ids
            .iter()
            .any(|id| !sections.iter().any(|s| s.id == *id))
        {
            return Err(ResponseError::SectionNotInHearing);
        }
        if submission.files.len() + submission.keep_attachment_ids.len() > MAX_ATTACHMENTS {
            return Err(ResponseError::TooManyAttachments);
        }
        let mut files = Vec::with_capacity(submission.files.len());
        for file in submission.files {
            files.push(check_file(file).await?);
        }
        let person = db.person(person_id).await?;
        // A retry stores no files again: the earlier submission is returned as it is.
        let retry = match submission.idempotency_key {
            Some(key) => db.response_key_used(key).await?,
            None => false,
        };
        if !retry && late && db.response_of(hearing.id, on_behalf_of).await?.is_some() {
            return Err(ResponseError::DeadlinePassed);
        }
        let store = self.attachment_store();
        let mut new_attachments = Vec::new();
        if !retry {
            for file in files {
                let sha256 = file.file.sha256().to_owned();
                let size_bytes = file.file.size();
                match store.save(&file.file).await {
                    Ok(storage_name) => new_attachments.push(NewAttachment {
                        id: AttachmentId::new(),
                        file_name: file.file_name,
                        kind: file.kind,
                        size_bytes,
                        sha256,
                        storage_name,
                    }),
                    Err(err) => {
                        tracing::error!(error = %err, "could not store an attachment");
                        store.remove_all(&storage_names(&new_attachments)).await;
                        return Err(ResponseError::Storage(err));
                    }
                }
            }
        }
        let stored = storage_names(&new_attachments);
        let plan = db.plan(hearing.plan_id).await?;
        let plan_title = plan.title.clone();
        let letter = self.plan_letter(&plan, Some(&hearing)).await?;
        // The planners hear of it at the plan's and the hearing's contact addresses.
        let mut contacts: Vec<String> = plan
            .contact_email
            .iter()
            .chain(hearing.contact_email.iter())
            .map(|a| domain::person::normalise_email(a))
            .filter(|a| *a != person.email)
            .collect();
        contacts.sort();
        contacts.dedup();
        let mut planners = Vec::with_capacity(contacts.len());
        for address in &contacts {
            // A planner who chose the daily digest hears of it there.
            if self.notice_now(address, plan.id).await? {
                planners.push(self.recipient_at(address, Lang::Nn).await?);
            }
        }
        let from = organisation
            .as_ref()
            .map(|o| o.name.clone())
            .unwrap_or_else(|| person.name.clone());
        let notices = |response: &Response, version: &ResponseVersion| {
            planners
                .iter()
                .map(|planner| OutgoingEmail {
                    dedupe_key: format!("response-notice:{}:{}", version.id, planner.email),
                    municipality: Some(hearing.municipality_id),
                    plan: Some(hearing.plan_id),
                    recipient: planner.email.clone(),
                    lang: planner.lang,
                    email: Email::ResponseNotice {
                        hearing_title: hearing.title.clone(),
                        plan_title: plan_title.clone(),
                        from: from.clone(),
                        version: version.number,
                        late: version.late,
                        link: letter.link(&format!("/responses/{}", response.id)),
                    },
                    letterhead: letter.to(&planner.name),
                })
                .collect::<Vec<_>>()
        };
        let receipt = |response: &Response, version: &ResponseVersion| {
            let mut emails = notices(response, version);
            emails.push(OutgoingEmail {
                dedupe_key: format!("response-receipt:{}", version.id),
                municipality: Some(hearing.municipality_id),
                plan: Some(hearing.plan_id),
                recipient: person.email.clone(),
                lang: person.lang,
                email: Email::ResponseReceipt {
                    hearing_title: hearing.title.clone(),
                    plan_title: plan_title.clone(),
                    organisation_name: organisation.as_ref().map(|o| o.name.clone()),
                    version: version.number,
                    text: version.text.clone(),
                    attachments: response
                        .attachments_of(version)
                        .into_iter()
                        .map(|a| ReceiptAttachment {
                            file_name: a.file_name.clone(),
                            size_bytes: a.size_bytes,
                        })
                        .collect(),
                    late: version.late,
                    received_at: version.created_at.to_string(),
                    link: letter.link(&response_page_path(hearing.id, response.on_behalf_of())),
                },
                letterhead: letter.to(&person.name),
            });
            emails
        };
        let submitted = db
            .submit_response(
                NewResponseVersion {
                    hearing_id: hearing.id,
                    on_behalf_of,
                    person_id,
                    person_name: person.name.clone(),
                    text,
                    section_ids: submission.section_ids,
                    new_attachments,
                    keep_attachment_ids: submission.keep_attachment_ids,
                    late,
                    idempotency_key: submission.idempotency_key,
                    based_on_version: submission.based_on_version,
                    at: now,
                },
                receipt,
            )
            .await;
        match submitted {
            Ok(submitted) => {
                if submitted.created {
                    metrics::counter!("samrad_responses_submitted_total").increment(1);
                    self.after_commit(&submitted.events, submitted.queued_email);
                } else {
                    // Another submission with the same key won the race.
                    store.remove_all(&stored).await;
                }
                Ok(submitted)
            }
            Err(SubmitError::VersionConflict { based_on }) => {
                store.remove_all(&stored).await;
                let current = db
                    .response_of(hearing.id, on_behalf_of)
                    .await?
                    .map(Box::new);
                tracing::info!(
                    based_on,
                    current = current_version(&current),
                    "a revision based on an earlier version was refused"
                );
                Err(ResponseError::VersionConflict { current })
            }
            Err(err) => {
                store.remove_all(&stored).await;
                Err(err.into())
            }
        }
    }

    /// The organisations the actor may answer for in this hearing's municipality,
    /// by name.
    pub async fn represented_organisations(
        &self,
        actor: &Actor,
        hearing: &Hearing,
    ) -> Result<Vec<Organisation>, DbError> {
        let mut ids: Vec<OrganisationId> = actor
            .roles
            .iter()
            .filter_map(|r| match r {
                Role::Representative {
                    municipality,
                    organisation,
                } if *municipality == hearing.municipality_id => Some(*organisation),
                _ => None,
            })
            .collect();
        ids.sort();
        ids.dedup();
        let mut organisations = Vec::with_capacity(ids.len());
        for id in ids {
            organisations.push(self.db().organisation(id).await?);
        }
        organisations.sort_by_key(|o| o.name.to_lowercase());
        Ok(organisations)
    }

    /// The official responses of the actor: their own and those of the
    /// organisations they represent, in every hearing, most recently revised first.
    pub async fn own_responses(&self, actor: &Actor) -> Result<Vec<OwnResponse>, DbError> {
        let Some(person) = actor.person else {
            return Ok(Vec::new());
        };
        let owners: Vec<OnBehalfOf> = std::iter::once(OnBehalfOf::Person(person))
            .chain(actor.roles.iter().filter_map(|r| match r {
                Role::Representative { organisation, .. } => {
                    Some(OnBehalfOf::Organisation(*organisation))
                }
                _ => None,
            }))
            .collect();
        let db = self.db();
        let mut own = Vec::new();
        for response in db.responses_on_behalf_of(&owners).await? {
            let hearing = db.hearing(response.hearing_id).await?;
            if may_read(actor, &hearing, &response) {
                own.push(OwnResponse { hearing, response });
            }
        }
        Ok(own)
    }

    /// A response the actor may read, with its hearing; `None` for anything else, so
    /// a response the actor may not see is indistinguishable from none.
    pub async fn readable_response(
        &self,
        actor: &Actor,
        id: ResponseId,
    ) -> Result<Option<(Hearing, Response)>, DbError> {
        let response = match self.db().response(id).await {
            Ok(r) => r,
            Err(DbError::NotFound) => return Ok(None),
            Err(e) => return Err(e),
        };
        let hearing = self.db().hearing(response.hearing_id).await?;
        Ok(may_read(actor, &hearing, &response).then_some((hearing, response)))
    }

    /// The responses to a hearing the actor may read: all of them for the plan's
    /// planners, else their own and their organisations'.
    pub async fn readable_responses(
        &self,
        actor: &Actor,
        hearing_id: HearingId,
    ) -> Result<Vec<Response>, ResponseError> {
        let hearing = match self.db().hearing(hearing_id).await {
            Ok(h) if can(actor, Action::Read, hearing_resource(&h)) => h,
            Ok(_) | Err(DbError::NotFound) => return Err(ResponseError::HearingNotFound),
            Err(e) => return Err(e.into()),
        };
        let responses = self.db().responses_of_hearing(hearing.id).await?;
        Ok(responses
            .into_iter()
            .filter(|r| may_read(actor, &hearing, r))
            .collect())
    }

    /// An attached file with its content, for someone who may read its response.
    pub async fn attachment(
        &self,
        actor: &Actor,
        response: ResponseId,
        attachment: AttachmentId,
    ) -> Result<(Attachment, AttachmentReader), ResponseError> {
        let Some((_, response)) = self.readable_response(actor, response).await? else {
            return Err(ResponseError::ResponseNotFound);
        };
        let Some(attachment) = response
            .attachments
            .into_iter()
            .find(|a| a.id == attachment)
        else {
            return Err(ResponseError::AttachmentNotFound);
        };
        match self.attachment_store().open(&attachment.storage_name).await {
            Ok(reader) => Ok((attachment, reader)),
            Err(err) => {
                tracing::error!(error = %err, attachment = %attachment.id, "an attachment file is missing");
                Err(ResponseError::FileUnavailable(err))
            }
        }
    }
}
