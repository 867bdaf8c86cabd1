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
    /// numbering_gap, no_headings, untitled_section or looks_like_lost_table.
    pub code: String,
    pub message: String,
    /// The part it concerns (its index in `sections`, from 0), if one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub section: Option<usize>,
    /// The first and last line of that part's body it concerns, from 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_line: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_line: Option<usize>,
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
    /// Counts the corrections of the outline; a correction names the revision it was
    /// made on.
    pub revision: i32,
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
                    section: w.place.map(|p| p.section),
                    first_line: w.place.map(|p| p.first_line),
                    last_line: w.place.map(|p| p.last_line),
                })
                .collect(),
            document_id: d.document_id.map(|id| id.0),
            revision: d.revision,
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

/// One correction of an import's outline, as the API and the preview form send it.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct OutlineEditBody {
    /// The import's `revision` the correction was made on.
    pub revision: i32,
    /// merge_up (into the part above), split, rename or set_level.
    pub op: String,
    /// The part, by its index in `sections` (from 0).
    pub section: usize,
    /// split: the line of the part's body (from 1) where the new part starts.
    pub line: Option<usize>,
    /// split and rename: the number ("" or left out for none).
    pub number: Option<String>,
    /// rename: the new title. split: the new part's title; left out, the line itself
    /// becomes the title.
    pub title: Option<String>,
    /// set_level: 1 (a chapter) to 6.
    pub level: Option<i32>,
}

impl OutlineEditBody {
    /// The correction it asks for; an unknown operation or a missing field is a 422.
    pub(crate) fn edit(self) -> Result<domain::outline::OutlineEdit, ApiError> {
        use domain::outline::OutlineEdit;
        let missing = |field: &str| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_edit",
                format!("{} needs `{field}`", self.op),
            )
        };
        let section = self.section;
        Ok(match self.op.as_str() {
            "merge_up" => OutlineEdit::MergeUp { section },
            "split" => OutlineEdit::Split {
                section,
                line: self.line.ok_or_else(|| missing("line"))?,
                number: self.number.clone().unwrap_or_default(),
                title: self.title.clone().unwrap_or_default(),
            },
            "rename" => OutlineEdit::Rename {
                section,
                number: self.number.clone().unwrap_or_default(),
                title: self.title.clone().ok_or_else(|| missing("title"))?,
            },
            "set_level" => OutlineEdit::SetLevel {
                section,
                level: self.level.ok_or_else(|| missing("level"))?,
            },
            _ => {
                return Err(ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "invalid_edit",
                    "op must be merge_up, split, rename or set_level",
                ));
            }
        })
    }
}

#[utoipa::path(post, path = "/api/v1/imports/{id}/outline", tag = "plans",
    params(("id" = Uuid, Path, description = "import id")),
    request_body = OutlineEditBody,
    responses((status = 200, body = ImportDto, description = "the corrected outline, at its next revision"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody, description = "outline_changed (the revision is not the import's) or import_confirmed"),
        (status = 422, body = crate::error::ErrorBody, description = "invalid_edit, unknown_section, nothing_to_merge_into, unknown_line, invalid_level, validation_failed")))]
pub async fn edit_outline(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<OutlineEditBody>,
) -> Result<ApiJson<ImportDto>, ApiError> {
    let revision = body.revision;
    let edit = body.edit()?;
    Ok(ApiJson(
        state
            .consultation()
            .edit_import(&actor, id, revision, edit)
            .await?
            .into(),
    ))
}
