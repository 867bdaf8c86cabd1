//! Official responses (høyringssvar) over the API: give or revise one (multipart),
//! list those the caller may read, read one with its versions, download an
//! attachment.

use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath, IdempotencyKey};
use crate::responses::multipart::{ReadSubmission, read_submission};
use crate::state::AppState;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::response::{IntoResponse, Response as HttpResponse};
use domain::response::{Attachment, Response, ResponseVersion};
use domain::{AttachmentId, HearingId, ResponseId};
use http::{HeaderValue, StatusCode, header};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct AttachmentDto {
    pub id: Uuid,
    /// The name the file was given, cleaned; only metadata.
    pub file_name: String,
    /// `pdf` or `docx`, as found in the content.
    pub kind: String,
    pub content_type: String,
    pub size_bytes: u64,
    /// SHA-256 of the content, hex.
    pub sha256: String,
    /// Where to download it (the same permissions as the response).
    pub url: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseVersionDto {
    pub number: i32,
    pub text: String,
    pub section_ids: Vec<Uuid>,
    pub attachments: Vec<AttachmentDto>,
    /// Who submitted this version.
    pub submitted_by: String,
    /// Arrived after the deadline.
    pub late: bool,
    pub created_at: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResponseDto {
    pub id: Uuid,
    pub hearing_id: Uuid,
    /// Set when the response speaks for an organisation.
    pub organisation_id: Option<Uuid>,
    pub organisation_name: Option<String>,
    /// The organisation, or the person who gave a personal response.
    pub author: String,
    /// The first version arrived after the deadline.
    pub late: bool,
    pub version_count: usize,
    pub created_at: String,
    pub updated_at: String,
    /// The newest version.
    pub current: ResponseVersionDto,
    /// Every version, oldest first.
    pub versions: Vec<ResponseVersionDto>,
}

fn attachment_dto(response: &Response, a: &Attachment) -> AttachmentDto {
    AttachmentDto {
        id: a.id.0,
        file_name: a.file_name.clone(),
        kind: a.kind.as_str().to_owned(),
        content_type: a.kind.content_type().to_owned(),
        size_bytes: a.size_bytes,
        sha256: a.sha256.clone(),
        url: format!("/api/v1/responses/{}/attachments/{}", response.id, a.id),
    }
}

fn version_dto(response: &Response, v: &ResponseVersion) -> ResponseVersionDto {
    ResponseVersionDto {
        number: v.number,
        text: v.text.clone(),
        section_ids: v.section_ids.iter().map(|s| s.0).collect(),
        attachments: response
            .attachments_of(v)
            .into_iter()
            .map(|a| attachment_dto(response, a))
            .collect(),
        submitted_by: v.person_name.clone(),
        late: v.late,
        created_at: crate::web::rfc3339(v.created_at),
    }
}

impl From<&Response> for ResponseDto {
    fn from(r: &Response) -> Self {
        let versions: Vec<ResponseVersionDto> =
            r.versions.iter().map(|v| version_dto(r, v)).collect();
        let current =
            r.current()
                .map(|v| version_dto(r, v))
                .unwrap_or_else(|| ResponseVersionDto {
                    number: 0,
                    text: String::new(),
                    section_ids: Vec::new(),
                    attachments: Vec::new(),
                    submitted_by: String::new(),
                    late: r.late,
                    created_at: crate::web::rfc3339(r.created_at),
                });
        ResponseDto {
            id: r.id.0,
            hearing_id: r.hearing_id.0,
            organisation_id: r.organisation_id.map(|o| o.0),
            organisation_name: r.organisation_name.clone(),
            author: r.author_label().to_owned(),
            late: r.late,
            version_count: r.versions.len(),
            created_at: crate::web::rfc3339(r.created_at),
            updated_at: crate::web::rfc3339(r.updated_at),
            current,
            versions,
        }
    }
}

/// The answer to a revision based on an earlier version (also the shape of the
/// other 409 answers, without the last two fields).
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionConflictBody {
    /// `version_conflict`
    pub error: String,
    pub message: String,
    /// The number of the current version (0: none).
    pub current_version: Option<i32>,
    /// The response as it is now, to compare with.
    pub current: Option<ResponseDto>,
}

/// The multipart form of a submission (for the OpenAPI document).
#[derive(Debug, ToSchema)]
#[allow(dead_code)]
pub struct ResponseForm {
    /// The letter (plain text; blank lines separate paragraphs), at most 50,000 characters.
    text: String,
    /// Answer on behalf of this organisation (you must represent it); leave out for a
    /// personal response.
    organisation_id: Option<Uuid>,
    /// Sections of the document on hearing the response concerns (repeat the field).
    section_ids: Vec<Uuid>,
    /// Attachments of the current version to keep in the new one (repeat the field).
    keep_attachment_ids: Vec<Uuid>,
    /// A UUID chosen by the client; a retry with the same key stores nothing new.
    idempotency_key: Option<Uuid>,
    /// The number of the version this one revises (`0` for a first response). If
    /// someone else stored a version after it, nothing is stored and the answer is
    /// 409 `version_conflict` with the current version. Leave out to revise
    /// whatever is current.
    based_on_version: Option<i32>,
    /// PDF or DOCX files (recognised by content), at most 5 of at most 10 MB each.
    #[schema(value_type = Vec<String>, format = Binary)]
    attachment: Vec<Vec<u8>>,
}

#[utoipa::path(post, path = "/api/v1/hearings/{id}/responses", tag = "responses",
    request_body(content = ResponseForm, content_type = "multipart/form-data"),
    params(("id" = Uuid, Path, description = "hearing id"),
        ("Idempotency-Key" = Option<Uuid>, Header, description = "instead of the idempotency_key field")),
    responses((status = 201, body = ResponseDto, description = "stored as a new response or a new version"),
        (status = 200, body = ResponseDto, description = "a retry: what the first submission stored"),
        (status = 401, body = crate::error::ErrorBody, description = "not signed in"),
        (status = 403, body = crate::error::ErrorBody, description = "may not answer, or not for this organisation"),
        (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = VersionConflictBody, description = "not open, the deadline passed for a revision, or `version_conflict`: based on a version that is no longer current (the body holds the current one)"),
        (status = 413, body = crate::error::ErrorBody, description = "an attachment or the request is too large"),
        (status = 422, body = crate::error::ErrorBody, description = "bad text, section or attachment type")))]
pub async fn submit_response(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    IdempotencyKey(idempotency_key): IdempotencyKey,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<(StatusCode, ApiJson<ResponseDto>), ApiError> {
    let multipart = multipart.map_err(|rejection| {
        ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "expected_multipart",
            format!("send multipart/form-data: {}", rejection.body_text()),
        )
    })?;
    let store = state.consultation().attachment_store();
    let ReadSubmission {
        mut submission,
        problem,
        upload_permit: _upload_permit,
    } = read_submission(multipart, &store, state.uploads()).await;
    if let Some(problem) = problem {
        return Err(problem.into());
    }
    if let Some(key) = idempotency_key {
        submission.idempotency_key.get_or_insert(key);
    }
    let submitted = state
        .consultation()
        .submit_response(&actor, HearingId(id), submission)
        .await?;
    let status = if submitted.created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, ApiJson((&submitted.response).into())))
}

#[utoipa::path(get, path = "/api/v1/hearings/{id}/responses", tag = "responses",
    params(("id" = Uuid, Path, description = "hearing id")),
    responses((status = 200, body = Vec<ResponseDto>,
        description = "the responses the caller may read: all for the plan's planners, else their own and their organisations'"),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_responses(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<ResponseDto>>, ApiError> {
    let responses = state
        .consultation()
        .readable_responses(&actor, HearingId(id))
        .await?;
    Ok(ApiJson(responses.iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/api/v1/responses/{id}", tag = "responses",
    params(("id" = Uuid, Path, description = "response id")),
    responses((status = 200, body = ResponseDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_response(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<ResponseDto>, ApiError> {
    match state
        .consultation()
        .readable_response(&actor, ResponseId(id))
        .await?
    {
        Some((_, response)) => Ok(ApiJson((&response).into())),
        None => Err(ApiError::not_found("the response")),
    }
}

#[utoipa::path(get, path = "/api/v1/responses/{id}/attachments/{attachment_id}", tag = "responses",
    params(("id" = Uuid, Path, description = "response id"),
        ("attachment_id" = Uuid, Path, description = "attachment id")),
    responses((status = 200, description = "the file, as an attachment (application/pdf or DOCX)", content_type = "application/octet-stream"),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn download_attachment(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath((id, attachment_id)): ApiPath<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (attachment, reader) = state
        .consultation()
        .attachment(&actor, ResponseId(id), AttachmentId(attachment_id))
        .await?;
    // Streamed chunk by chunk: a file in the database is never read whole.
    let chunks = futures_util::stream::unfold(Some(reader), |reader| async move {
        let mut reader = reader?;
        match reader.next_chunk().await {
            Ok(Some(chunk)) => Some((Ok(chunk), Some(reader))),
            Ok(None) => None,
            Err(err) => {
                tracing::error!(error = %err, "an attachment could not be read to the end");
                Some((Err(err), None))
            }
        }
    });
    let disposition = HeaderValue::from_str(&domain::response::content_disposition(
        &attachment.file_name,
    ))
    .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    let mut http = axum::body::Body::from_stream(chunks).into_response();
    let h = http.headers_mut();
    h.insert(
        header::CONTENT_LENGTH,
        HeaderValue::from(attachment.size_bytes),
    );
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(attachment.kind.content_type()),
    );
    h.insert(header::CONTENT_DISPOSITION, disposition);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    // Even if opened in place, the file can run nothing on this origin.
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    Ok(http)
}
