//! Groups on a plan, their members and invitations, the municipality's register of
//! organisations and the planners of a plan: each handler calls one use case of
//! `consultation::groups` and renders JSON.

use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use consultation::groups::{InviteInput, InviteOutcome, RosterPreview};
use domain::group::Group;
use domain::invitation::Invitation;
use domain::organisation::Organisation;
use domain::policy::Action;
use domain::{GroupId, InvitationId, OrganisationId, PersonId, PlanId};
use http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDto {
    pub id: Uuid,
    pub plan_id: Uuid,
    /// reference_group, resource_group, elder_council, disability_council,
    /// youth_council, steering_group, project_group or working_group.
    pub kind: String,
    pub name: String,
}

impl From<Group> for GroupDto {
    fn from(g: Group) -> Self {
        GroupDto {
            id: g.id.0,
            plan_id: g.plan_id.0,
            kind: g.kind.as_str().to_owned(),
            name: g.name,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateGroup {
    pub kind: String,
    pub name: String,
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/groups", tag = "groups",
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 200, body = Vec<GroupDto>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_groups(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<GroupDto>>, ApiError> {
    // Each group is listed to those who may see it.
    let groups = state
        .consultation()
        .groups_of_plan(&actor, PlanId(id))
        .await?;
    Ok(ApiJson(groups.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/groups", tag = "groups", request_body = CreateGroup,
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 201, body = GroupDto), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_group(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<CreateGroup>,
) -> Result<(StatusCode, ApiJson<GroupDto>), ApiError> {
    let group = state
        .consultation()
        .create_group(&actor, PlanId(id), &body.kind, &body.name)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(group.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberDto {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    /// member, chair or organisation_representative.
    pub role: String,
    pub organisation: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InvitationDto {
    pub id: Uuid,
    pub group_id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    pub role: String,
    /// pending, accepted, revoked or expired.
    pub status: String,
    pub sent_at: String,
    pub expires_at: String,
}

fn invitation_dto(
    state: &AppState,
    invitation: &Invitation,
    person: &domain::person::Person,
) -> InvitationDto {
    InvitationDto {
        id: invitation.id.0,
        group_id: invitation.group_id.0,
        person_id: person.id.0,
        name: person.name.clone(),
        email: person.email.clone(),
        role: invitation.role.as_str().to_owned(),
        status: invitation
            .status(state.consultation().now())
            .as_str()
            .to_owned(),
        sent_at: invitation.sent_at.to_string(),
        expires_at: invitation.expires_at.to_string(),
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GroupDetailDto {
    pub group: GroupDto,
    pub members: Vec<MemberDto>,
    /// Only for those who manage the group.
    pub invitations: Option<Vec<InvitationDto>>,
}

#[utoipa::path(get, path = "/api/v1/groups/{id}", tag = "groups",
    params(("id" = Uuid, Path, description = "group id")),
    responses((status = 200, body = GroupDetailDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_group(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<GroupDetailDto>, ApiError> {
    let detail = state
        .consultation()
        .group_detail(&actor, GroupId(id), Action::Read)
        .await?;
    let members = detail
        .members
        .into_iter()
        .map(|m| MemberDto {
            person_id: m.person.id.0,
            name: m.person.name,
            // Empty unless the actor manages the group.
            email: m.person.email,
            role: m.membership.role.as_str().to_owned(),
            organisation: m.organisation,
        })
        .collect();
    let invitations = detail.invitations.map(|list| {
        list.iter()
            .map(|i| invitation_dto(&state, &i.invitation, &i.person))
            .collect()
    });
    Ok(ApiJson(GroupDetailDto {
        group: detail.group.into(),
        members,
        invitations,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InviteBody {
    pub name: String,
    pub email: String,
    /// member (default), chair or organisation_representative.
    pub role: Option<String>,
    /// An organisation from the municipality's register.
    pub organisation_id: Option<Uuid>,
    /// Or a new organisation, added to the register.
    pub organisation_name: Option<String>,
    /// The language of the invitation for someone new: nn (default), nb or en.
    pub lang: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InviteResultDto {
    /// invited, or already_member (nothing was sent).
    pub outcome: String,
    pub invitation: Option<InvitationDto>,
}

fn outcome_dto(state: &AppState, outcome: &InviteOutcome) -> InviteResultDto {
    match outcome {
        InviteOutcome::Invited { invitation, person } => InviteResultDto {
            outcome: "invited".into(),
            invitation: Some(invitation_dto(state, invitation, person)),
        },
        InviteOutcome::AlreadyMember { .. } => InviteResultDto {
            outcome: "already_member".into(),
            invitation: None,
        },
    }
}

#[utoipa::path(post, path = "/api/v1/groups/{id}/invitations", tag = "groups", request_body = InviteBody,
    params(("id" = Uuid, Path, description = "group id")),
    responses((status = 201, body = InviteResultDto), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn invite(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<InviteBody>,
) -> Result<(StatusCode, ApiJson<InviteResultDto>), ApiError> {
    let input = InviteInput {
        name: body.name,
        email: body.email,
        role: body.role.unwrap_or_else(|| "member".into()),
        organisation_id: body.organisation_id.map(OrganisationId),
        organisation_name: body.organisation_name,
        lang: body.lang,
    };
    let outcome = state
        .consultation()
        .invite_one(&actor, &who, GroupId(id), input)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(outcome_dto(&state, &outcome))))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RosterQuery {
    /// Check the list and report every row, storing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// Invite the good rows even if others have problems.
    #[serde(default)]
    pub skip_invalid: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RosterRowDto {
    pub line: u64,
    pub name: String,
    pub email: String,
    pub organisation: String,
    pub group: String,
    pub role: String,
    /// Each problem as {field, code, message}; empty when the row can be invited.
    #[schema(value_type = Vec<Object>)]
    pub problems: Vec<domain::roster::RowProblem>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RosterReportDto {
    pub rows: Vec<RosterRowDto>,
    pub valid: usize,
    pub invalid: usize,
    /// What happened to each invited row, in order (empty on a dry run).
    pub results: Vec<InviteResultDto>,
}

fn report(state: &AppState, preview: RosterPreview, outcomes: &[InviteOutcome]) -> RosterReportDto {
    RosterReportDto {
        valid: preview.valid,
        invalid: preview.invalid,
        rows: preview
            .rows
            .into_iter()
            .map(|r| RosterRowDto {
                line: r.line,
                name: r.raw.name,
                email: r.raw.email,
                organisation: r.raw.organisation,
                group: r.raw.group,
                role: r.raw.role,
                problems: r.problems,
            })
            .collect(),
        results: outcomes.iter().map(|o| outcome_dto(state, o)).collect(),
    }
}

#[utoipa::path(post, path = "/api/v1/groups/{id}/invitations/import", tag = "groups",
    params(("id" = Uuid, Path, description = "group id; rows may name other groups of the plan"), RosterQuery),
    request_body(content = String, description = "CSV with the columns name, email, organisation, group and optionally role", content_type = "text/csv"),
    responses((status = 200, body = RosterReportDto, description = "the dry run's report"),
        (status = 201, body = RosterReportDto, description = "invited"),
        (status = 413, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn import_roster(
    State(state): State<AppState>,
    CurrentActor(actor, who): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiQuery(query): ApiQuery<RosterQuery>,
    body: Result<Bytes, BytesRejection>,
) -> Result<(StatusCode, ApiJson<RosterReportDto>), ApiError> {
    let body = body.map_err(|e| {
        ApiError::new(
            e.status(),
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                "file_too_large"
            } else {
                "unreadable_body"
            },
            format!(
                "{} (the limit is {} bytes)",
                e.body_text(),
                domain::roster::MAX_BYTES
            ),
        )
    })?;
    let service = state.consultation();
    if query.dry_run {
        let (_, _, preview) = service.preview_roster(&actor, GroupId(id), &body).await?;
        return Ok((StatusCode::OK, ApiJson(report(&state, preview, &[]))));
    }
    let (preview, outcomes) = service
        .import_roster(&actor, &who, GroupId(id), &body, query.skip_invalid)
        .await?;
    Ok((
        StatusCode::CREATED,
        ApiJson(report(&state, preview, &outcomes)),
    ))
}

#[utoipa::path(post, path = "/api/v1/invitations/{id}/resend", tag = "groups",
    params(("id" = Uuid, Path, description = "invitation id")),
    responses((status = 200, body = InvitationDto), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub async fn resend_invitation(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<InvitationDto>, ApiError> {
    let resent = state
        .consultation()
        .resend_invitation(&actor, InvitationId(id))
        .await?;
    Ok(ApiJson(invitation_dto(
        &state,
        &resent.invitation,
        &resent.person,
    )))
}

#[utoipa::path(post, path = "/api/v1/invitations/{id}/revoke", tag = "groups",
    params(("id" = Uuid, Path, description = "invitation id")),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody)))]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<StatusCode, ApiError> {
    state
        .consultation()
        .revoke_invitation(&actor, InvitationId(id))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(delete, path = "/api/v1/groups/{id}/members/{person_id}", tag = "groups",
    params(("id" = Uuid, Path, description = "group id"), ("person_id" = Uuid, Path, description = "person id")),
    responses((status = 204), (status = 404, body = crate::error::ErrorBody)))]
pub async fn remove_member(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath((id, person)): ApiPath<(Uuid, Uuid)>,
) -> Result<StatusCode, ApiError> {
    state
        .consultation()
        .remove_member(&actor, GroupId(id), PersonId(person))
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganisationDto {
    pub id: Uuid,
    pub name: String,
    /// user_organisation, volunteer, business, public_body, council or union.
    pub kind: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganisation {
    pub name: String,
    pub kind: String,
}

impl From<Organisation> for OrganisationDto {
    fn from(o: Organisation) -> Self {
        OrganisationDto {
            id: o.id.0,
            name: o.name,
            kind: o.kind.as_str().to_owned(),
        }
    }
}

#[utoipa::path(get, path = "/api/v1/municipalities/{slug}/organisations", tag = "groups",
    params(("slug" = String, Path, description = "municipality slug")),
    responses((status = 200, body = Vec<OrganisationDto>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_organisations(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<ApiJson<Vec<OrganisationDto>>, ApiError> {
    let organisations = state.consultation().organisations(&slug).await?;
    Ok(ApiJson(organisations.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/municipalities/{slug}/organisations", tag = "groups",
    request_body = CreateOrganisation,
    params(("slug" = String, Path, description = "municipality slug")),
    responses((status = 201, body = OrganisationDto), (status = 401, body = crate::error::ErrorBody),
        (status = 409, body = crate::error::ErrorBody), (status = 422, body = crate::error::ErrorBody)))]
pub async fn create_organisation(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(slug): ApiPath<String>,
    ApiJson(body): ApiJson<CreateOrganisation>,
) -> Result<(StatusCode, ApiJson<OrganisationDto>), ApiError> {
    let created = state
        .consultation()
        .create_organisation(&actor, &slug, &body.name, &body.kind)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(created.into())))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PlannerDto {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
}

impl From<domain::person::Person> for PlannerDto {
    fn from(p: domain::person::Person) -> Self {
        PlannerDto {
            person_id: p.id.0,
            name: p.name,
            email: p.email,
        }
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AddPlanner {
    /// A member of the municipality's staff.
    pub email: String,
}

#[utoipa::path(get, path = "/api/v1/plans/{id}/planners", tag = "plans",
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 200, body = Vec<PlannerDto>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_planners(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
) -> Result<ApiJson<Vec<PlannerDto>>, ApiError> {
    let planners = state
        .consultation()
        .plan_planners(&actor, PlanId(id))
        .await?;
    Ok(ApiJson(planners.into_iter().map(Into::into).collect()))
}

#[utoipa::path(post, path = "/api/v1/plans/{id}/planners", tag = "plans", request_body = AddPlanner,
    params(("id" = Uuid, Path, description = "plan id")),
    responses((status = 201, body = PlannerDto), (status = 404, body = crate::error::ErrorBody),
        (status = 422, body = crate::error::ErrorBody)))]
pub async fn add_planner(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    ApiPath(id): ApiPath<Uuid>,
    ApiJson(body): ApiJson<AddPlanner>,
) -> Result<(StatusCode, ApiJson<PlannerDto>), ApiError> {
    let person = state
        .consultation()
        .add_planner(&actor, PlanId(id), &body.email)
        .await?;
    Ok((StatusCode::CREATED, ApiJson(person.into())))
}
