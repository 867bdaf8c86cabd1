//! The JSON API of documents and their versions: create a document, read it, publish
//! a new version and compare two.

use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::State;
use consultation::documents::DocumentWithSections;
use domain::plan::NewSection;

use domain::{DocumentId, PlanId};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    #[schema(example = "3.1")]
    pub number: String,
    #[schema(example = "Roller og ansvar")]
    pub title: String,
    #[schema(example = 2)]
    pub level: i32,
    /// Markdown.
    pub body: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDocument {
    /// `planning_programme`, `plan_proposal` or `other`.
    pub kind: String,
    pub title: String,
    pub sections: Vec<SectionInput>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SectionDto {
    pub id: Uuid,
    /// The same section in every version of the document.
    pub lineage: Uuid,
    /// The nearest earlier section of a higher level (3 for 3.1), if any.
    pub parent_id: Option<Uuid>,
    pub number: String,
    pub title: String,
    pub level: i32,
    pub body: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDto {
    pub id: Uuid,
    pub plan_id: Uuid,
    pub kind: String,
    pub title: String,
    pub version_id: Uuid,
    pub version: i32,
    pub sections: Vec<SectionDto>,
}

impl From<DocumentWithSections> for DocumentDto {
    fn from(d: DocumentWithSections) -> Self {
        DocumentDto {
            id: d.document.id.0,
            plan_id: d.document.plan_id.0,
            kind: d.document.kind.as_str().to_owned(),
            title: d.document.title,
            version_id: d.version.id.0,
            version: d.version.number,
            sections: {
                let parents = domain::version::parents(&d.sections);
                d.sections
                    .into_iter()
                    .zip(parents)
                    .map(|(s, parent)| SectionDto {
                        id: s.id.0,
                        lineage: s.lineage.0,
                        parent_id: parent.map(|p| p.0),
                        number: s.number,
                        title: s.title,
                        level: s.level,
                        body: s.body,
                    })
                    .collect()
            },
        }
    }
}

fn sections_of(input: Vec<SectionInput>) -> Vec<NewSection> {
    input
        .into_iter()
        .map(|s| NewSection {
            number: s.number,
            title: s.title,
            level: s.level,
            body: s.body,
        })
        .collect()
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/documents", tag = "plans", request_body = CreateDocument,
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 201, body = DocumentDto), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_document(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(plan_id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<CreateDocument>,
) -> Result<(StatusCode, ApiJson<DocumentDto>), ApiError> {
    let created = state
        .consultation()
        .create_document(
            &actor,
            PlanId(plan_id),
            consultation::documents::NewDocumentCommand {
                kind: body.kind,
                title: body.title,
                sections: sections_of(body.sections),
            },
        )
        .await?;
    Ok((StatusCode::CREATED, ApiJson(created.into())))
}

#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "plans",
    params(("id" = Uuid, Path, description = "document id")),
    responses((status = 200, body = DocumentDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_document(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<DocumentDto>, ApiError> {
    let document = state
        .consultation()
        .document_with_sections(&actor, DocumentId(id))
        .await?;
    Ok(ApiJson(document.into()))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateVersion {
    pub sections: Vec<SectionInput>,
}

#[utoipa::path(post, path = "/api/v1/documents/{id}/versions", tag = "plans", request_body = CreateVersion,
    params(("id" = Uuid, Path, description = "document id")),
    responses((status = 201, body = DocumentDto, description = "the new version; sections that match the previous version keep their lineage"),
        (status = 401, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_version(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<CreateVersion>,
) -> Result<(StatusCode, ApiJson<DocumentDto>), ApiError> {
    let created = state
        .consultation()
        .publish_version(&actor, DocumentId(id), sections_of(body.sections))
        .await?;
    Ok((StatusCode::CREATED, ApiJson(created.into())))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct DiffQuery {
    /// The older version's number (default: the one before `to`).
    from: Option<i32>,
    /// The newer version's number (default: the newest).
    to: Option<i32>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SectionDiff {
    /// The section's identity across versions.
    pub lineage: Uuid,
    /// added, removed, changed or unchanged.
    pub status: String,
    pub number: String,
    pub title: String,
    pub old_number: Option<String>,
    pub old_title: Option<String>,
    /// Comments on this section in any version: inputs a planner should look at again
    /// when the text changed.
    pub inputs: usize,
    /// Word-level changes of the body: `{"op":"same"|"added"|"removed","text":"…"}`.
    #[schema(value_type = Vec<Object>)]
    pub chunks: Vec<domain::version::Chunk>,
    /// Inputs whose assessment links the change they led to to this section (in a
    /// version after `from`, up to `to`), by register number. The plan's planners
    /// see every such assessment; other readers only published ones.
    pub linked_inputs: Vec<LinkedInput>,
}

/// An input that led to a change in a section of the comparison.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LinkedInput {
    /// The register row (`GET /api/v1/inputs/{id}` for the plan's planners).
    pub input_id: Uuid,
    /// Its number in the plan's register.
    pub number: i32,
    /// Who gave it; null for a private person when the reader does not plan the plan.
    pub from: Option<String>,
    pub from_organisation: bool,
    /// `followed`, `partly_followed`, `not_followed`, `noted`, or null.
    pub outcome: Option<String>,
    /// `unassessed`, `drafted`, `reviewed` or `published`.
    pub state: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDiff {
    pub from: i32,
    pub to: i32,
    pub sections: Vec<SectionDiff>,
    /// Whether the reader plans the plan (and may open each linked assessment).
    pub planner: bool,
}

#[utoipa::path(get, path = "/api/v1/documents/{id}/diff", tag = "plans",
    params(("id" = Uuid, Path, description = "document id"), DiffQuery),
    responses((status = 200, body = DocumentDiff), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn diff_versions(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    crate::error::ApiQuery(query): crate::error::ApiQuery<DiffQuery>,
) -> Result<ApiJson<DocumentDiff>, ApiError> {
    let consultation = state.consultation();
    let document = consultation
        .readable_document(&actor, DocumentId(id))
        .await?;
    let diff = consultation
        .document_diff(&actor, &document, query.from, query.to)
        .await?;
    Ok(ApiJson(diff.into()))
}

impl From<consultation::documents::DocumentDiff> for DocumentDiff {
    fn from(diff: consultation::documents::DocumentDiff) -> Self {
        DocumentDiff {
            from: diff.from,
            to: diff.to,
            planner: diff.planner,
            sections: diff
                .sections
                .into_iter()
                .map(|s| SectionDiff {
                    lineage: s.lineage,
                    status: s.status.to_owned(),
                    number: s.number,
                    title: s.title,
                    old_number: s.old_number,
                    old_title: s.old_title,
                    inputs: s.inputs,
                    chunks: s.chunks,
                    linked_inputs: s
                        .linked_inputs
                        .into_iter()
                        .map(|i| LinkedInput {
                            input_id: i.input_id.0,
                            number: i.number,
                            from: i.sender,
                            from_organisation: i.organisation,
                            outcome: i.outcome.map(|o| o.as_str().to_owned()),
                            state: i.state.as_str().to_owned(),
                        })
                        .collect(),
                })
                .collect(),
        }
    }
}
