//! Official responses (høyringssvar): the operation shared by the JSON API and the
//! response page, who may read a response, and the pages themselves.
//!
//! A response is given by a signed-in person on behalf of themself or of an
//! organisation they represent. Its attachments are PDF or DOCX files, recognised
//! by their content, stored in the attachment folder under generated names and
//! served only through the authorised download route.

use crate::error::ApiError;
use crate::responses::attachments::AttachmentStore;
use crate::state::AppState;
use crate::web::page::PageCtx;
use crate::web::templates::format_datetime;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response as HttpResponse};
use axum::routing::get;
use consultation::access::hearing_resource;
use db::{DbError, NewAttachment, NewResponseVersion, SubmitError, SubmittedResponse};
use domain::email::{Email, OutgoingEmail, ReceiptAttachment};
use domain::hearing::{Hearing, InputTiming};
use domain::organisation::Organisation;
use domain::policy::{Action, Actor, Resource, Role, can};
use domain::response::{
    self as rules, AttachmentKind, MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_TEXT_CHARS,
    OnBehalfOf, Response,
};
use domain::validate::{self, FieldError};
use domain::{AttachmentId, HearingId, Lang, OrganisationId, ResponseId, SectionId};
use http::StatusCode;
use minijinja::{Value, context};
use serde::Deserialize;
use sha2::Digest;
use uuid::Uuid;

/// The largest request body of a submission: every attachment at its limit, and
/// room for the text and the other fields.
pub const BODY_LIMIT: usize = MAX_ATTACHMENTS * MAX_ATTACHMENT_BYTES + 1024 * 1024;

/// A file as it arrived.
#[derive(Debug, Clone)]
pub struct SubmittedFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
}

/// What a submission asks for, before any check.
#[derive(Debug, Default)]
pub struct Submission {
    pub text: String,
    pub organisation_id: Option<OrganisationId>,
    pub section_ids: Vec<SectionId>,
    pub keep_attachment_ids: Vec<AttachmentId>,
    pub files: Vec<SubmittedFile>,
    pub idempotency_key: Option<Uuid>,
}

impl Submission {
    /// Everything but the files (which may be large).
    fn clone_without_files(&self) -> Submission {
        Submission {
            text: self.text.clone(),
            organisation_id: self.organisation_id,
            section_ids: self.section_ids.clone(),
            keep_attachment_ids: self.keep_attachment_ids.clone(),
            files: Vec::new(),
            idempotency_key: self.idempotency_key,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ResponseError {
    #[error("the hearing does not exist")]
    HearingNotFound,
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
    #[error("{0}")]
    BadField(String),
    #[error("the request is larger than {} MB", BODY_LIMIT / (1024 * 1024))]
    TooLarge,
    #[error("the body is not readable multipart/form-data: {0}")]
    Unreadable(String),
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error("the attachment could not be stored")]
    Storage(#[source] std::io::Error),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl ResponseError {
    pub fn code(&self) -> &'static str {
        match self {
            ResponseError::HearingNotFound => "not_found",
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
            ResponseError::BadField(_) => "invalid_field",
            ResponseError::TooLarge => "too_large",
            ResponseError::Unreadable(_) => "invalid_multipart",
            ResponseError::Invalid(_) => "validation_failed",
            ResponseError::Storage(_) => "storage_unavailable",
            ResponseError::Db(_) => "database",
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            ResponseError::HearingNotFound => StatusCode::NOT_FOUND,
            ResponseError::SignInRequired => StatusCode::UNAUTHORIZED,
            ResponseError::Forbidden | ResponseError::NotRepresentative => StatusCode::FORBIDDEN,
            ResponseError::NotOpen | ResponseError::DeadlinePassed | ResponseError::KeyReused => {
                StatusCode::CONFLICT
            }
            ResponseError::AttachmentTooLarge | ResponseError::TooLarge => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ResponseError::Unreadable(_) => StatusCode::BAD_REQUEST,
            ResponseError::Storage(_) => StatusCode::SERVICE_UNAVAILABLE,
            ResponseError::Db(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ResponseError::SectionNotInHearing
            | ResponseError::UnsupportedAttachment(_)
            | ResponseError::TooManyAttachments
            | ResponseError::EmptyAttachment
            | ResponseError::UnknownAttachment
            | ResponseError::BadField(_)
            | ResponseError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
        }
    }
}

impl From<ResponseError> for ApiError {
    fn from(err: ResponseError) -> Self {
        match err {
            ResponseError::HearingNotFound => ApiError::not_found("the hearing"),
            ResponseError::Invalid(e) => e.into(),
            ResponseError::Db(e) => e.into(),
            ResponseError::Storage(e) => {
                tracing::error!(error = %e, "could not store an attachment");
                ApiError::new(
                    StatusCode::SERVICE_UNAVAILABLE,
                    "storage_unavailable",
                    "the attachment could not be stored; nothing was saved, try again shortly",
                )
            }
            other => ApiError::new(other.status(), other.code(), other.to_string()),
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
            SubmitError::Db(e) => ResponseError::Db(e),
        }
    }
}

/// A submission as read from a multipart body, and the first problem found in it.
/// The whole body is always read, so the client gets the answer (not a reset
/// connection) and a form can be shown again with what was typed.
pub struct ReadSubmission {
    pub submission: Submission,
    pub problem: Option<ResponseError>,
}

fn multipart_error(err: &axum::extract::multipart::MultipartError) -> ResponseError {
    if err.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ResponseError::TooLarge
    } else {
        ResponseError::Unreadable(err.body_text())
    }
}

/// Reads a field up to `limit` bytes; the rest is read and dropped. `None` when
/// the field was longer.
async fn read_limited(
    field: &mut axum::extract::multipart::Field<'_>,
    limit: usize,
) -> Result<Option<Vec<u8>>, ResponseError> {
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e))? {
        if over {
            continue;
        }
        if bytes.len() + chunk.len() > limit {
            over = true;
            bytes = Vec::new();
        } else {
            bytes.extend_from_slice(&chunk);
        }
    }
    Ok((!over).then_some(bytes))
}

fn parse_id(field: &str, value: &str) -> Result<Option<Uuid>, ResponseError> {
    let value = value.trim();
    if value.is_empty() {
        return Ok(None);
    }
    Uuid::parse_str(value)
        .map(Some)
        .map_err(|_| ResponseError::BadField(format!("{field} must be a UUID")))
}

/// Reads the fields `text`, `organisation_id`, `section_ids` (repeated),
/// `keep_attachment_ids` (repeated), `idempotency_key` and the files `attachment`.
pub async fn read_submission(mut multipart: Multipart) -> ReadSubmission {
    let mut submission = Submission::default();
    let mut problem: Option<ResponseError> = None;
    fn note(p: ResponseError, problem: &mut Option<ResponseError>) {
        if problem.is_none() {
            *problem = Some(p);
        }
    }
    loop {
        let mut field = match multipart.next_field().await {
            Ok(Some(field)) => field,
            Ok(None) => break,
            Err(err) => {
                // The body cannot be read on: this problem wins.
                problem = Some(multipart_error(&err));
                break;
            }
        };
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let limit = match name.as_str() {
            "attachment" => MAX_ATTACHMENT_BYTES,
            // Characters take up to four bytes.
            "text" => MAX_TEXT_CHARS * 4,
            _ => 200,
        };
        let bytes = match read_limited(&mut field, limit).await {
            Ok(bytes) => bytes,
            Err(err) => {
                problem = Some(err);
                break;
            }
        };
        let Some(bytes) = bytes else {
            note(
                match name.as_str() {
                    "attachment" => ResponseError::AttachmentTooLarge,
                    "text" => ResponseError::Invalid(FieldError {
                        field: "text",
                        problem: validate::Problem::TooLong {
                            max: MAX_TEXT_CHARS,
                        },
                    }),
                    other => ResponseError::BadField(format!("{other} is too long")),
                },
                &mut problem,
            );
            continue;
        };
        if name == "attachment" {
            let file_name = file_name.unwrap_or_default();
            // A file input left empty still sends a part, without a name or content.
            if file_name.is_empty() && bytes.is_empty() {
                continue;
            }
            if submission.files.len() == MAX_ATTACHMENTS {
                note(ResponseError::TooManyAttachments, &mut problem);
                continue;
            }
            submission.files.push(SubmittedFile { file_name, bytes });
            continue;
        }
        let Ok(value) = String::from_utf8(bytes) else {
            note(
                ResponseError::BadField(format!("{name} is not UTF-8 text")),
                &mut problem,
            );
            continue;
        };
        let parsed = match name.as_str() {
            "text" => {
                submission.text = value;
                Ok(())
            }
            "organisation_id" => parse_id("organisation_id", &value)
                .map(|id| submission.organisation_id = id.map(OrganisationId)),
            "section_ids" => parse_id("section_ids", &value).map(|id| {
                if let Some(id) = id.map(SectionId)
                    && !submission.section_ids.contains(&id)
                    && submission.section_ids.len() < 1000
                {
                    submission.section_ids.push(id);
                }
            }),
            "keep_attachment_ids" => parse_id("keep_attachment_ids", &value).map(|id| {
                if let Some(id) = id.map(AttachmentId)
                    && !submission.keep_attachment_ids.contains(&id)
                    && submission.keep_attachment_ids.len() <= MAX_ATTACHMENTS
                {
                    submission.keep_attachment_ids.push(id);
                }
            }),
            "idempotency_key" => {
                parse_id("idempotency_key", &value).map(|key| submission.idempotency_key = key)
            }
            other => Err(ResponseError::BadField(format!(
                "unknown field {:?}",
                other.chars().take(40).collect::<String>()
            ))),
        };
        if let Err(err) = parsed {
            note(err, &mut problem);
        }
    }
    ReadSubmission {
        submission,
        problem,
    }
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

/// The organisations the actor may answer for in this hearing's municipality.
pub async fn represented_organisations(
    state: &AppState,
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
        organisations.push(state.db().organisation(id).await?);
    }
    organisations.sort_by_key(|o| o.name.to_lowercase());
    Ok(organisations)
}

/// The page of a hearing where `on_behalf_of` gives or revises its response.
pub fn response_page_path(hearing: HearingId, on_behalf_of: OnBehalfOf) -> String {
    match on_behalf_of {
        OnBehalfOf::Organisation(id) => format!("/hearings/{hearing}/response?organisation={id}"),
        OnBehalfOf::Person(_) => format!("/hearings/{hearing}/response"),
    }
}

/// An attachment whose content was checked, ready to store.
struct CheckedFile {
    file_name: String,
    kind: AttachmentKind,
    bytes: Vec<u8>,
}

fn check_file(file: SubmittedFile) -> Result<CheckedFile, ResponseError> {
    if file.bytes.is_empty() {
        return Err(ResponseError::EmptyAttachment);
    }
    if file.bytes.len() > MAX_ATTACHMENT_BYTES {
        return Err(ResponseError::AttachmentTooLarge);
    }
    // The content decides; the name and the type the client claims do not.
    let kind = match importer::attachment_format(&file.bytes) {
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
        bytes: file.bytes,
    })
}

/// Checks a submission, stores its files and then, in one transaction, the
/// response version, the live event and the receipt email; publishes after commit.
/// Nothing is stored when any check fails.
pub async fn submit(
    state: &AppState,
    actor: &Actor,
    hearing_id: HearingId,
    submission: Submission,
) -> Result<SubmittedResponse, ResponseError> {
    let db = state.db();
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
    let now = db::time::now();
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
    let files = submission
        .files
        .into_iter()
        .map(check_file)
        .collect::<Result<Vec<_>, _>>()?;
    let person = db.person(person_id).await?;
    // A retry stores no files again: the earlier submission is returned as it is.
    let retry = match submission.idempotency_key {
        Some(key) => db.response_key_used(key).await?,
        None => false,
    };
    if !retry && late && db.response_of(hearing.id, on_behalf_of).await?.is_some() {
        return Err(ResponseError::DeadlinePassed);
    }
    let store = AttachmentStore::new(&state.config().attachments_dir);
    let mut new_attachments = Vec::new();
    if !retry {
        for file in files {
            let sha256 = hex(&sha2::Sha256::digest(&file.bytes));
            let size_bytes = file.bytes.len() as u64;
            match store.save(file.bytes).await {
                Ok(storage_name) => new_attachments.push(NewAttachment {
                    id: AttachmentId::new(),
                    file_name: file.file_name,
                    kind: file.kind,
                    size_bytes,
                    sha256,
                    storage_name,
                }),
                Err(err) => {
                    store.remove_all(&storage_names(&new_attachments)).await;
                    return Err(ResponseError::Storage(err));
                }
            }
        }
    }
    let stored = storage_names(&new_attachments);
    let plan = db.plan(hearing.plan_id).await;
    let plan_title = plan.map(|p| p.title).unwrap_or_default();
    let base_url = state.config().base_url.clone();
    let receipt = |response: &Response, version: &domain::response::ResponseVersion| {
        vec![OutgoingEmail {
            dedupe_key: format!("response-receipt:{}", version.id),
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
                link: format!(
                    "{base_url}{}",
                    response_page_path(hearing.id, response.on_behalf_of())
                ),
            },
        }]
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
                at: now,
            },
            receipt,
        )
        .await;
    match submitted {
        Ok(submitted) => {
            if submitted.created {
                metrics::counter!("samrad_responses_submitted_total").increment(1);
                state.after_commit(&submitted.events, submitted.queued_email);
            } else {
                // Another submission with the same key won the race.
                store.remove_all(&stored).await;
            }
            Ok(submitted)
        }
        Err(err) => {
            store.remove_all(&stored).await;
            Err(err.into())
        }
    }
}

fn storage_names(attachments: &[NewAttachment]) -> Vec<String> {
    attachments.iter().map(|a| a.storage_name.clone()).collect()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// A response the actor may read, with its hearing; `None` for anything else, so a
/// response the actor may not see is indistinguishable from none.
pub async fn readable_response(
    state: &AppState,
    actor: &Actor,
    id: ResponseId,
) -> Result<Option<(Hearing, Response)>, DbError> {
    let response = match state.db().response(id).await {
        Ok(r) => r,
        Err(DbError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let hearing = state.db().hearing(response.hearing_id).await?;
    Ok(may_read(actor, &hearing, &response).then_some((hearing, response)))
}

// ---------------------------------------------------------------------------
// Pages

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/hearings/{id}/response",
            get(response_page)
                .post(submit_form)
                .layer(DefaultBodyLimit::max(BODY_LIMIT)),
        )
        .route("/responses/{id}", get(view_page))
}

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    organisation: Option<String>,
    saved: Option<i32>,
}

/// What the reader typed, kept when the form is shown again.
#[derive(Debug, Default)]
struct KeptForm {
    text: Option<String>,
    section_ids: Vec<SectionId>,
    keep_attachment_ids: Option<Vec<AttachmentId>>,
    error: Option<String>,
}

fn error_text(lang: Lang, err: &ResponseError) -> String {
    let id = format!("response-error-{}", err.code());
    if i18n::catalog().has(lang, &id) {
        i18n::t(lang, &id)
    } else {
        i18n::t(lang, "response-error-storage_unavailable")
    }
}

fn attachment_views(
    lang: Lang,
    response: &Response,
    version: &domain::response::ResponseVersion,
) -> Vec<Value> {
    response
        .attachments_of(version)
        .into_iter()
        .map(|a| {
            context! {
                id => a.id.to_string(),
                name => a.file_name,
                size => i18n::format_size(lang, a.size_bytes),
                href => format!("/api/v1/responses/{}/attachments/{}", response.id, a.id),
            }
        })
        .collect()
}

/// A response and its versions as the templates show them (newest first).
fn response_view(lang: Lang, response: &Response, sections: &[domain::plan::Section]) -> Value {
    let section_label = |id: &SectionId| {
        sections
            .iter()
            .find(|s| s.id == *id)
            .map(|s| format!("{} {}", s.number, s.title).trim().to_owned())
    };
    let versions: Vec<Value> = response
        .versions
        .iter()
        .rev()
        .map(|v| {
            context! {
                number => v.number,
                text => v.text,
                late => v.late,
                by => v.person_name,
                created => format_datetime(lang, v.created_at),
                sections => v.section_ids.iter().filter_map(section_label).collect::<Vec<_>>(),
                attachments => attachment_views(lang, response, v),
            }
        })
        .collect();
    context! {
        id => response.id.to_string(),
        author => response.author_label(),
        organisation => response.organisation_name,
        late => response.late,
        version_count => response.versions.len(),
        current => versions.first().cloned(),
        history => versions.iter().skip(1).cloned().collect::<Vec<_>>(),
    }
}

async fn visible_hearing(state: &AppState, actor: &Actor, id: &str) -> Option<Hearing> {
    let id = id.parse::<HearingId>().ok()?;
    let hearing = state.db().hearing(id).await.ok()?;
    can(actor, Action::Read, hearing_resource(&hearing)).then_some(hearing)
}

async fn response_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> HttpResponse {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = crate::auth::session::actor_for(&state, signed_in).await;
    let Some(hearing) = visible_hearing(&state, &actor, &id).await else {
        return page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found");
    };
    let organisation = query
        .organisation
        .as_deref()
        .and_then(|o| o.parse::<OrganisationId>().ok());
    render_form_page(
        &state,
        &page,
        &actor,
        &hearing,
        organisation,
        query.saved,
        KeptForm::default(),
        StatusCode::OK,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn render_form_page(
    state: &AppState,
    page: &PageCtx,
    actor: &Actor,
    hearing: &Hearing,
    organisation: Option<OrganisationId>,
    saved: Option<i32>,
    kept: KeptForm,
    status: StatusCode,
) -> HttpResponse {
    let lang = page.lang;
    let Some(person) = page.signed_in.as_ref().map(|s| &s.person) else {
        return Redirect::to("/sign-in").into_response();
    };
    let may_answer = can(actor, Action::Comment, hearing_resource(hearing));
    let db = state.db();
    let loaded = async {
        let organisations = represented_organisations(state, actor, hearing).await?;
        let sections = db.sections_of(hearing.document_version_id).await?;
        Ok::<_, DbError>((organisations, sections))
    }
    .await;
    let (organisations, sections) = match loaded {
        Ok(v) => v,
        Err(err) => {
            tracing::error!(error = %err, "could not load the response page");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    // An organisation the reader does not represent is shown as their own response.
    let chosen = organisation.and_then(|id| organisations.iter().find(|o| o.id == id));
    let on_behalf_of = match chosen {
        Some(o) => OnBehalfOf::Organisation(o.id),
        None => OnBehalfOf::Person(person.id),
    };
    let existing = match db.response_of(hearing.id, on_behalf_of).await {
        Ok(r) => r,
        Err(err) => {
            tracing::error!(error = %err, "could not load a response");
            return page.error(state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    // Once the hearing takes no input, people still see what they sent.
    if !may_answer && existing.is_none() {
        return page.error(state, StatusCode::FORBIDDEN, "response-not-allowed");
    }
    let timing = hearing.input_timing(jiff::Timestamp::now());
    let may_submit = may_answer
        && match timing {
            InputTiming::OnTime => true,
            InputTiming::Late => existing.is_none(),
            InputTiming::NotOpen => false,
        };
    let current = existing.as_ref().and_then(Response::current);
    let text = kept
        .text
        .clone()
        .or_else(|| current.map(|v| v.text.clone()))
        .unwrap_or_default();
    let checked: Vec<SectionId> = if kept.text.is_some() {
        kept.section_ids.clone()
    } else {
        current.map(|v| v.section_ids.clone()).unwrap_or_default()
    };
    let keep: Vec<AttachmentId> = kept
        .keep_attachment_ids
        .clone()
        .or_else(|| current.map(|v| v.attachment_ids.clone()))
        .unwrap_or_default();
    let choices: Vec<Value> = std::iter::once(context! {
        label => i18n::catalog().message(lang, "response-behalf-self", &[("name", person.name.clone().into())]),
        href => response_page_path(hearing.id, OnBehalfOf::Person(person.id)),
        current => chosen.is_none(),
    })
    .chain(organisations.iter().map(|o| {
        context! {
            label => o.name,
            href => response_page_path(hearing.id, OnBehalfOf::Organisation(o.id)),
            current => chosen.is_some_and(|c| c.id == o.id),
        }
    }))
    .collect();
    let behalf_name = chosen.map_or(person.name.clone(), |o| o.name.clone());
    let current_attachments: Vec<Value> = match (existing.as_ref(), current) {
        (Some(r), Some(v)) => attachment_views(lang, r, v)
            .into_iter()
            .map(|a| {
                let id = a
                    .get_attr("id")
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default();
                let kept = keep.iter().any(|k| k.to_string() == id);
                context! { kept => kept, ..a }
            })
            .collect(),
        _ => Vec::new(),
    };
    page.render(
        state,
        status,
        "response.html",
        context! {
            hearing => context! {
                id => hearing.id.to_string(),
                title => hearing.title,
                deadline => format_datetime(lang, hearing.deadline),
                late => timing == InputTiming::Late,
                open => timing != InputTiming::NotOpen,
            },
            back_href => format!("/hearings/{}", hearing.id),
            back_label => "response-back",
            choices => if organisations.is_empty() { Vec::new() } else { choices },
            behalf_name => behalf_name,
            organisation_id => chosen.map(|o| o.id.to_string()).unwrap_or_default(),
            response => existing.as_ref().map(|r| response_view(lang, r, &sections)),
            show_form => may_submit,
            saved => saved,
            error => kept.error,
            form => context! {
                text => text,
                sections => sections
                    .iter()
                    .map(|s| context! {
                        id => s.id.to_string(),
                        label => format!("{} {}", s.number, s.title).trim().to_owned(),
                        checked => checked.contains(&s.id),
                    })
                    .collect::<Vec<_>>(),
                attachments => current_attachments,
                idempotency_key => Uuid::new_v4().to_string(),
            },
        },
    )
}

async fn submit_form(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> HttpResponse {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = crate::auth::session::actor_for(&state, signed_in).await;
    let Some(hearing) = visible_hearing(&state, &actor, &id).await else {
        return page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found");
    };
    let read = match multipart {
        Ok(multipart) => read_submission(multipart).await,
        Err(rejection) => ReadSubmission {
            submission: Submission::default(),
            problem: Some(ResponseError::Unreadable(rejection.body_text())),
        },
    };
    let organisation = read.submission.organisation_id;
    let had_files = !read.submission.files.is_empty();
    // What the form shows again if the submission is refused (not the files).
    let typed = read.submission.clone_without_files();
    let kept = |err: &ResponseError| {
        let mut message = error_text(page.lang, err);
        if had_files
            || matches!(
                err,
                ResponseError::AttachmentTooLarge | ResponseError::TooLarge
            )
        {
            message.push(' ');
            message.push_str(&i18n::t(page.lang, "response-files-again"));
        }
        KeptForm {
            text: Some(typed.text.clone()),
            section_ids: typed.section_ids.clone(),
            keep_attachment_ids: Some(typed.keep_attachment_ids.clone()),
            error: Some(message),
        }
    };
    if let Some(problem) = read.problem {
        let form = kept(&problem);
        return render_form_page(
            &state,
            &page,
            &actor,
            &hearing,
            organisation,
            None,
            form,
            problem.status(),
        )
        .await;
    }
    match submit(&state, &actor, hearing.id, read.submission).await {
        Ok(submitted) => {
            let path = response_page_path(hearing.id, submitted.response.on_behalf_of());
            let separator = if path.contains('?') { '&' } else { '?' };
            Redirect::to(&format!("{path}{separator}saved={}", submitted.version)).into_response()
        }
        Err(ResponseError::HearingNotFound) => {
            page.error(&state, StatusCode::NOT_FOUND, "hearing-not-found")
        }
        Err(err) => {
            if let ResponseError::Db(e) = &err {
                tracing::error!(error = %e, "could not store a response");
            }
            let status = match err.status() {
                StatusCode::INTERNAL_SERVER_ERROR => StatusCode::SERVICE_UNAVAILABLE,
                other => other,
            };
            let form = kept(&err);
            render_form_page(
                &state,
                &page,
                &actor,
                &hearing,
                organisation,
                None,
                form,
                status,
            )
            .await
        }
    }
}

/// A response with every version, for its authors and the plan's planners.
async fn view_page(
    State(state): State<AppState>,
    page: PageCtx,
    Path(id): Path<String>,
) -> HttpResponse {
    let Some(signed_in) = &page.signed_in else {
        return Redirect::to("/sign-in").into_response();
    };
    let actor = crate::auth::session::actor_for(&state, signed_in).await;
    let Ok(id) = id.parse::<ResponseId>() else {
        return page.error(&state, StatusCode::NOT_FOUND, "response-not-found");
    };
    let (hearing, response) = match readable_response(&state, &actor, id).await {
        Ok(Some(found)) => found,
        Ok(None) => return page.error(&state, StatusCode::NOT_FOUND, "response-not-found"),
        Err(err) => {
            tracing::error!(error = %err, "could not load a response");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let sections = match state.db().sections_of(hearing.document_version_id).await {
        Ok(s) => s,
        Err(err) => {
            tracing::error!(error = %err, "could not load sections");
            return page.error(&state, StatusCode::SERVICE_UNAVAILABLE, "error-title");
        }
    };
    let planner = can(&actor, Action::Edit, hearing_resource(&hearing));
    let lang = page.lang;
    page.render(
        &state,
        StatusCode::OK,
        "response.html",
        context! {
            hearing => context! {
                id => hearing.id.to_string(),
                title => hearing.title,
                deadline => format_datetime(lang, hearing.deadline),
                late => false,
                open => false,
            },
            back_href => if planner { format!("/planner/hearings/{}", hearing.id) } else { format!("/hearings/{}", hearing.id) },
            back_label => if planner { "planner-back" } else { "response-back" },
            choices => Vec::<Value>::new(),
            behalf_name => response.author_label(),
            organisation_id => "",
            response => Some(response_view(lang, &response, &sections)),
            show_form => false,
            saved => None::<i32>,
            error => None::<String>,
            form => context! {},
        },
    )
}
