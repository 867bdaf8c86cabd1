//! The JSON API of documents and their versions: create a document, read it, publish
//! a new version and compare two.

use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::state::AppState;
use axum::extract::State;
use db::DocumentWithSections;
use domain::plan::NewSection;
use domain::policy::{Action, Actor, can};
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

/// A document the actor may read; others (and unknown ones) are "not found".
async fn readable_document(
    state: &AppState,
    actor: &Actor,
    id: DocumentId,
) -> Result<domain::plan::Document, ApiError> {
    let db = state.db();
    let missing = || ApiError::not_found("the document");
    let document = db.document(id).await.map_err(|e| match e {
        db::DbError::NotFound => missing(),
        other => other.into(),
    })?;
    let resource = consultation::access::document_resource(db, &document).await?;
    if can(actor, Action::Read, resource) {
        Ok(document)
    } else {
        Err(missing())
    }
}

#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "plans",
    params(("id" = Uuid, Path, description = "document id")),
    responses((status = 200, body = DocumentDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_document(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<DocumentDto>, ApiError> {
    let document = readable_document(&state, &actor, DocumentId(id)).await?;
    let db = state.db();
    let version = db.latest_version(document.id).await?;
    let sections = db.sections_of(version.id).await?;
    Ok(ApiJson(
        DocumentWithSections {
            document,
            version,
            sections,
        }
        .into(),
    ))
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
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentDiff {
    pub from: i32,
    pub to: i32,
    pub sections: Vec<SectionDiff>,
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
    let document = readable_document(&state, &actor, DocumentId(id)).await?;
    Ok(ApiJson(
        compute_diff(&state, document.id, query.from, query.to).await?,
    ))
}

/// The changes between two versions of a document, section by section; shared by the
/// API and the workbench. The caller has checked that the actor may read it.
pub(crate) async fn compute_diff(
    state: &AppState,
    document: DocumentId,
    from: Option<i32>,
    to: Option<i32>,
) -> Result<DocumentDiff, ApiError> {
    use domain::version::{Op, diff_words};
    let db = state.db();
    let document = db.document(document).await?;
    let versions = db.versions_of(document.id).await?;
    let newest = versions.last().map_or(1, |v| v.number);
    let to = to.unwrap_or(newest);
    let from = from.unwrap_or(to - 1);
    let find = |n: i32| versions.iter().find(|v| v.number == n);
    let (Some(old), Some(new)) = (find(from), find(to)) else {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "unknown_version",
            format!("the document has versions 1 to {newest}"),
        ));
    };
    let old_sections = db.sections_of(old.id).await?;
    let new_sections = db.sections_of(new.id).await?;
    let inputs = db.comment_counts_by_lineage(document.id).await?;
    let inputs_on = |lineage: &domain::SectionId| inputs.get(lineage).copied().unwrap_or(0);
    let mut sections: Vec<SectionDiff> = new_sections
        .iter()
        .map(|n| {
            let before = old_sections.iter().find(|o| o.lineage == n.lineage);
            let chunks = diff_words(before.map_or("", |o| o.body.as_str()), &n.body);
            let status = match before {
                None => "added",
                Some(o) if o.body == n.body && o.title == n.title && o.number == n.number => {
                    "unchanged"
                }
                Some(_) => "changed",
            };
            SectionDiff {
                lineage: n.lineage.0,
                status: status.to_owned(),
                number: n.number.clone(),
                title: n.title.clone(),
                old_number: before.map(|o| o.number.clone()),
                old_title: before.map(|o| o.title.clone()),
                inputs: inputs_on(&n.lineage),
                chunks: if status == "unchanged" {
                    Vec::new()
                } else {
                    chunks
                },
            }
        })
        .collect();
    for o in old_sections
        .iter()
        .filter(|o| !new_sections.iter().any(|n| n.lineage == o.lineage))
    {
        sections.push(SectionDiff {
            lineage: o.lineage.0,
            status: "removed".to_owned(),
            number: o.number.clone(),
            title: o.title.clone(),
            old_number: Some(o.number.clone()),
            old_title: Some(o.title.clone()),
            inputs: inputs_on(&o.lineage),
            chunks: vec![domain::version::Chunk {
                op: Op::Removed,
                text: o.body.clone(),
            }],
        });
    }
    Ok(DocumentDiff { from, to, sections })
}
