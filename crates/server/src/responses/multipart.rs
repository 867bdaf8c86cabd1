//! Reading a submission from a `multipart/form-data` body into the consultation
//! service's plain [`Submission`], for the API and the response page alike.

use axum::extract::Multipart;
use consultation::responses::attachments::{AttachmentStore, ReceivedFile};
use consultation::responses::{MAX_SUBMISSION_BYTES, ResponseError, Submission, SubmittedFile};
use domain::response::{MAX_ATTACHMENT_BYTES, MAX_ATTACHMENTS, MAX_TEXT_CHARS};
use domain::validate::{self, FieldError};
use domain::{AttachmentId, OrganisationId, SectionId};
use http::StatusCode;
use std::sync::Arc;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use uuid::Uuid;

/// The largest request body of a submission.
pub const BODY_LIMIT: usize = MAX_SUBMISSION_BYTES;

/// A submission as read from a multipart body, and the first problem found in it.
/// The whole body is always read, so the client gets the answer (not a reset
/// connection) and a form can be shown again with what was typed.
pub struct ReadSubmission {
    pub submission: Submission,
    pub problem: Option<ResponseError>,
    /// The place among the uploads under way, held while the files are handled.
    pub upload_permit: Option<tokio::sync::OwnedSemaphorePermit>,
}

/// Reads a part to its end without keeping it; the number of bytes it had.
async fn drain(field: &mut axum::extract::multipart::Field<'_>) -> Result<u64, ResponseError> {
    let mut total = 0;
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e))? {
        total += chunk.len() as u64;
    }
    Ok(total)
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

/// Receives a file part into a temporary file as it arrives, up to `limit` bytes;
/// past that the file is removed and the rest read and dropped. `None` when the
/// part was longer.
async fn receive_limited(
    field: &mut axum::extract::multipart::Field<'_>,
    store: &AttachmentStore,
    limit: usize,
) -> Result<Option<ReceivedFile>, ResponseError> {
    let mut receiving = Some(store.receive().await.map_err(|err| {
        tracing::error!(error = %err, "cannot receive an upload into the incoming folder");
        ResponseError::Storage(err)
    })?);
    while let Some(chunk) = field.chunk().await.map_err(|e| multipart_error(&e))? {
        let Some(file) = receiving.as_mut() else {
            continue;
        };
        if file.size() + chunk.len() as u64 > limit as u64 {
            // Dropped: the partial file is removed at once.
            receiving = None;
            continue;
        }
        file.write(&chunk).await.map_err(|err| {
            tracing::error!(error = %err, "cannot write a received upload");
            ResponseError::Storage(err)
        })?;
    }
    match receiving {
        Some(file) => file
            .finish()
            .await
            .map(Some)
            .map_err(ResponseError::Storage),
        None => Ok(None),
    }
}

/// Reads the fields `text`, `organisation_id`, `section_ids` (repeated),
/// `keep_attachment_ids` (repeated), `idempotency_key`, `based_on_version` and the
/// files `attachment`.
/// Only what cannot be held (a field over its size, more files than a response may
/// have) or parsed is refused here; everything else is the use case's to check.
/// Files are received into temporary files of `store`, never held in memory.
/// A request receives files only with a place among `uploads`; without one its files
/// are refused with [`ResponseError::Busy`] (and its other fields still read).
pub async fn read_submission(
    mut multipart: Multipart,
    store: &AttachmentStore,
    uploads: &Arc<Semaphore>,
) -> ReadSubmission {
    let mut submission = Submission::default();
    let mut problem: Option<ResponseError> = None;
    let mut upload_permit: Option<OwnedSemaphorePermit> = None;
    // Refused a place once: every file of the request is refused.
    let mut busy = false;
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
        if name == "attachment" {
            if upload_permit.is_none() && !busy {
                upload_permit = uploads.clone().try_acquire_owned().ok();
                busy = upload_permit.is_none();
            }
            if busy {
                match drain(&mut field).await {
                    // A file input left empty: nothing to receive.
                    Ok(0) if file_name.as_deref().unwrap_or_default().is_empty() => {}
                    Ok(_) => {
                        metrics::counter!("samrad_uploads_refused_busy_total").increment(1);
                        note(ResponseError::Busy, &mut problem);
                    }
                    Err(err) => {
                        problem = Some(err);
                        break;
                    }
                }
                continue;
            }
            let file = match receive_limited(&mut field, store, MAX_ATTACHMENT_BYTES).await {
                Ok(file) => file,
                Err(err) => {
                    problem = Some(err);
                    break;
                }
            };
            let Some(file) = file else {
                note(ResponseError::AttachmentTooLarge, &mut problem);
                continue;
            };
            let file_name = file_name.unwrap_or_default();
            // A file input left empty still sends a part, without a name or content.
            if file_name.is_empty() && file.size() == 0 {
                continue;
            }
            if submission.files.len() == MAX_ATTACHMENTS {
                note(ResponseError::TooManyAttachments, &mut problem);
                continue;
            }
            submission.files.push(SubmittedFile { file_name, file });
            continue;
        }
        let limit = match name.as_str() {
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
            "based_on_version" => match value.trim() {
                "" => Ok(()),
                v => v
                    .parse::<i32>()
                    .ok()
                    .filter(|n| *n >= 0)
                    .map(|n| submission.based_on_version = Some(n))
                    .ok_or_else(|| {
                        ResponseError::BadField("based_on_version must be 0 or more".to_owned())
                    }),
            },
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
        upload_permit,
    }
}
