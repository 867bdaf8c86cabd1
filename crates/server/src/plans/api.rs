use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath};
use crate::openapi::rfc3339;
use crate::state::AppState;
use axum::extract::State;
use db::{DocumentWithSections, NewDocument, NewPlan};
use domain::plan::{DocumentKind, NewSection, Plan};
use domain::policy::{Action, Actor, Resource, can};
use domain::validate;
use domain::{DocumentId, PlanId};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePlan {
    /// Lower-case letters, digits and hyphens; unique within the municipality.
    #[schema(example = "helse-sosial-omsorg")]
    pub slug: String,
    #[schema(example = "Kommunedelplan for helse, sosial og omsorg")]
    pub title: String,
    pub sector: Option<String>,
    #[schema(example = 2021)]
    pub period_start: i32,
    #[schema(example = 2033)]
    pub period_end: i32,
    /// Receives a notice for every new input.
    pub contact_email: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlanDto {
    pub id: Uuid,
    pub municipality_id: Uuid,
    pub slug: String,
    pub title: String,
    pub sector: Option<String>,
    pub period_start: i32,
    pub period_end: i32,
    pub status: String,
    pub contact_email: Option<String>,
    pub created_at: String,
}

impl From<Plan> for PlanDto {
    fn from(p: Plan) -> Self {
        PlanDto {
            id: p.id.0,
            municipality_id: p.municipality_id.0,
            slug: p.slug,
            title: p.title,
            sector: p.sector,
            period_start: p.period_start,
            period_end: p.period_end,
            status: p.status.as_str().to_owned(),
            contact_email: p.contact_email,
            created_at: rfc3339(p.created_at),
        }
    }
}

/// The municipality the actor works for; others are told to authenticate.
fn planner_of(actor: &Actor) -> Result<domain::MunicipalityId, ApiError> {
    actor.staff_municipality().ok_or_else(|| {
        ApiError::unauthorized(
            "this needs a planner's sign-in or API token (Authorization: Bearer <token>)",
        )
    })
}

#[utoipa::path(post, path = "/api/v1/plans", tag = "plans", request_body = CreatePlan,
    responses((status = 201, body = PlanDto), (status = 401, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_plan(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiJson(body): ApiJson<CreatePlan>,
) -> Result<(StatusCode, ApiJson<PlanDto>), ApiError> {
    let plan = create(&state, &actor, body).await?;
    Ok((StatusCode::CREATED, ApiJson(plan.into())))
}

/// Creates a plan; shared by the API and the planner's pages.
pub(crate) async fn create(
    state: &AppState,
    actor: &Actor,
    body: CreatePlan,
) -> Result<Plan, ApiError> {
    let municipality = planner_of(actor)?;
    if !can(
        actor,
        Action::Create,
        Resource::Municipality { id: municipality },
    ) {
        return Err(ApiError::forbidden());
    }
    if !(1900..=2200).contains(&body.period_start)
        || body.period_end < body.period_start
        || body.period_end > 2200
    {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_period",
            "the plan period must be years between 1900 and 2200, the end not before the start",
        ));
    }
    let new = NewPlan {
        municipality_id: municipality,
        slug: validate::slug("slug", &body.slug)?,
        title: validate::line("title", &body.title, 300)?,
        sector: body
            .sector
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| validate::line("sector", s, 200))
            .transpose()?,
        period_start: body.period_start,
        period_end: body.period_end,
        contact_email: body
            .contact_email
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| validate::email("contact_email", s))
            .transpose()?,
    };
    let plan = state.db().create_plan(new).await.map_err(|e| match e {
        db::DbError::Conflict(_) => ApiError::new(
            StatusCode::CONFLICT,
            "slug_taken",
            "the municipality has a plan with this slug already",
        ),
        other => other.into(),
    })?;
    // Whoever creates a plan plans it.
    if let Some(person) = actor.person {
        state.db().add_plan_planner(plan.id, person).await?;
    }
    Ok(plan)
}

#[utoipa::path(get, path = "/api/v1/plans/{id}", tag = "plans",
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 200, body = PlanDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_plan(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<PlanDto>, ApiError> {
    let plan = state.db().plan(PlanId(id)).await?;
    if !can(
        &actor,
        Action::Read,
        consultation::access::plan_resource(&plan),
    ) {
        return Err(ApiError::not_found("the plan"));
    }
    Ok(ApiJson(plan.into()))
}

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

const MAX_SECTIONS: usize = 2000;

fn validate_sections(input: Vec<SectionInput>) -> Result<Vec<NewSection>, ApiError> {
    if input.is_empty() || input.len() > MAX_SECTIONS {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_sections",
            format!("a document needs between 1 and {MAX_SECTIONS} sections"),
        ));
    }
    let mut sections = Vec::with_capacity(input.len());
    for s in input {
        if !(1..=6).contains(&s.level) {
            return Err(ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_level",
                "section levels go from 1 to 6",
            ));
        }
        sections.push(NewSection {
            number: validate::line("number", &s.number, 32)?,
            title: validate::line("title", &s.title, 300)?,
            level: s.level,
            body: if s.body.trim().is_empty() {
                String::new()
            } else {
                validate::text("body", &s.body, 200_000)?
            },
        });
    }
    Ok(sections)
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
    let plan = editable_plan(&state, &actor, PlanId(plan_id)).await?;
    let kind = DocumentKind::parse(&body.kind).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_kind",
            "kind must be planning_programme, plan_proposal or other",
        )
    })?;
    let sections = validate_sections(body.sections)?;
    let created = state
        .db()
        .create_document(NewDocument {
            plan_id: plan.id,
            kind,
            title: validate::line("title", &body.title, 300)?,
            sections,
        })
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

#[derive(Debug, Serialize, ToSchema)]
pub struct MilestoneDto {
    pub id: Uuid,
    pub title: String,
    /// YYYY-MM-DD
    #[schema(example = "2026-09-01")]
    pub due_on: String,
    pub done: bool,
}

impl From<domain::plan::Milestone> for MilestoneDto {
    fn from(m: domain::plan::Milestone) -> Self {
        MilestoneDto {
            id: m.id.0,
            title: m.title,
            due_on: m.due_on.to_string(),
            done: m.done,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddMilestone {
    #[schema(example = "Planforslag på høyring")]
    pub title: String,
    /// YYYY-MM-DD
    pub due_on: String,
    #[serde(default)]
    pub done: bool,
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/milestones", tag = "plans",
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 200, body = Vec<MilestoneDto>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_milestones(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<MilestoneDto>>, ApiError> {
    let plan = state.db().plan(PlanId(id)).await?;
    if !can(
        &actor,
        Action::Read,
        consultation::access::plan_resource(&plan),
    ) {
        return Err(ApiError::not_found("the plan"));
    }
    let milestones = state.db().milestones_of(plan.id).await?;
    Ok(ApiJson(milestones.into_iter().map(Into::into).collect()))
}

/// A plan the actor may change: others' plans and unknown ones are "not found", and
/// actors who are not planners are told to authenticate.
async fn editable_plan(state: &AppState, actor: &Actor, id: PlanId) -> Result<Plan, ApiError> {
    planner_of(actor)?;
    let plan = state.db().plan(id).await.map_err(|e| match e {
        db::DbError::NotFound => ApiError::not_found("the plan"),
        other => other.into(),
    })?;
    let resource = consultation::access::plan_resource(&plan);
    if can(actor, Action::Edit, resource) {
        Ok(plan)
    } else {
        Err(ApiError::not_found("the plan"))
    }
}

/// Adds a milestone; shared by the API and the planner's pages.
pub(crate) async fn add_milestone(
    state: &AppState,
    actor: &Actor,
    plan_id: PlanId,
    body: AddMilestone,
) -> Result<domain::plan::Milestone, ApiError> {
    let plan = editable_plan(state, actor, plan_id).await?;
    let title = validate::line("title", &body.title, 300)?;
    let due_on = body
        .due_on
        .trim()
        .parse::<jiff::civil::Date>()
        .map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_date",
                "due_on must be a date written YYYY-MM-DD",
            )
        })?;
    Ok(state
        .db()
        .add_milestone(plan.id, &title, due_on, body.done)
        .await?)
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/milestones", tag = "plans", request_body = AddMilestone,
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 201, body = MilestoneDto), (status = 401, body = crate::error::ErrorBody),
        (status = 404, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_milestone(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<AddMilestone>,
) -> Result<(StatusCode, ApiJson<MilestoneDto>), ApiError> {
    let milestone = add_milestone(&state, &actor, PlanId(id), body).await?;
    Ok((StatusCode::CREATED, ApiJson(milestone.into())))
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
    planner_of(&actor)?;
    let db = state.db();
    let document = db.document(DocumentId(id)).await.map_err(|e| match e {
        db::DbError::NotFound => ApiError::not_found("the document"),
        other => other.into(),
    })?;
    let plan = db.plan(document.plan_id).await?;
    if !can(
        &actor,
        Action::Edit,
        consultation::access::plan_resource(&plan),
    ) {
        return Err(ApiError::not_found("the document"));
    }
    let sections = validate_sections(body.sections)?;
    let created = db
        .create_version(document.id, sections)
        .await
        .map_err(|e| match e {
            db::DbError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "version_conflict",
                "another version was published at the same moment; reload and try again",
            ),
            other => other.into(),
        })?;
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
