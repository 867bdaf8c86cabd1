//! Importing a document over the API: send the file, read the outline, confirm.

use crate::auth::CurrentActor;
use crate::error::ApiJson;
use crate::error::{ApiError, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use consultation::documents::ImportDraft;
use consultation::documents::ImportRequest;
use domain::PlanId;
use domain::policy::Actor;
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Deserialize, IntoParams)]
pub struct ImportQuery {
    /// text, markdown, docx or pdf; detected from the content and `file_name` if left out.
    format: Option<String>,
    /// Used for detection and as the default title.
    file_name: Option<String>,
    title: Option<String>,
    /// planning_programme (default), plan_proposal or other.
    kind: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportedSectionDto {
    /// "" for the text before the first heading.
    pub number: String,
    pub title: String,
    pub level: i32,
    /// Markdown.
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportWarningDto {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImportDto {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub title: String,
    pub kind: String,
    pub file_name: String,
    pub sections: Vec<ImportedSectionDto>,
    pub warnings: Vec<ImportWarningDto>,
    /// Set once confirmed.
    pub document_id: Option<Uuid>,
}

impl From<ImportDraft> for ImportDto {
    fn from(d: ImportDraft) -> Self {
        ImportDto {
            id: d.id,
            plan_id: d.plan_id.0,
            title: d.title,
            kind: d.kind.as_str().to_owned(),
            file_name: d.file_name,
            sections: d
                .sections
                .into_iter()
                .map(|s| ImportedSectionDto {
                    number: s.number,
                    title: s.title,
                    level: s.level,
                    body: s.body,
                })
                .collect(),
            warnings: d
                .warnings
                .into_iter()
                .map(|w| ImportWarningDto {
                    code: w.code,
                    message: w.message,
                })
                .collect(),
            document_id: d.document_id.map(|id| id.0),
        }
    }
}

fn planner_only(actor: &Actor) -> Result<(), ApiError> {
    match actor.staff_municipality() {
        Some(_) => Ok(()),
        None => Err(ApiError::unauthorized(
            "this needs a planner's sign-in or API token",
        )),
    }
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/imports", tag = "plans",
    params(("id" = Uuid, Path, description = "plan id"), ImportQuery),
    request_body(content = Vec<u8>, description = "the file itself (PDF, DOCX, Markdown or text)", content_type = "application/octet-stream"),
    responses((status = 201, body = ImportDto, description = "parsed; confirm to make it a document"),
        (status = 401, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_import(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(plan_id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<ImportQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, ApiJson<ImportDto>), ApiError> {
    planner_only(&actor)?;
    let body = body.map_err(|e| {
        ApiError::new(
            e.status(),
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                "too_large"
            } else {
                "unreadable_body"
            },
            format!(
                "{} (the limit is {} MB)",
                e.body_text(),
                importer::MAX_INPUT_BYTES / (1024 * 1024)
            ),
        )
    })?;
    let draft = state
        .consultation()
        .import_draft(
            &actor,
            &who,
            ImportRequest {
                plan_id: PlanId(plan_id),
                file_name: query.file_name.unwrap_or_else(|| "dokument".to_owned()),
                bytes: body.to_vec(),
                format: query.format,
                title: query.title,
                kind: query.kind,
            },
        )
        .await?;
    Ok((StatusCode::CREATED, ApiJson(draft.into())))
}

#[utoipa::path(get, path = "/api/v1/imports/{id}", tag = "plans",
    params(("id" = Uuid, Path, description = "import id")),
    responses((status = 200, body = ImportDto), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_import(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<ImportDto>, ApiError> {
    Ok(ApiJson(
        state.consultation().own_import(&actor, id).await?.into(),
    ))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ConfirmedImport {
    pub document_id: Uuid,
}

#[utoipa::path(post, path = "/api/v1/imports/{id}/confirm", tag = "plans",
    params(("id" = Uuid, Path, description = "import id")),
    responses((status = 201, body = ConfirmedImport, description = "the document was created"),
        (status = 200, body = ConfirmedImport, description = "confirmed before: the same document"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn confirm_import(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<(StatusCode, ApiJson<ConfirmedImport>), ApiError> {
    let (document, created) = state.consultation().confirm_import(&actor, id).await?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        ApiJson(ConfirmedImport {
            document_id: document.0,
        }),
    ))
}
