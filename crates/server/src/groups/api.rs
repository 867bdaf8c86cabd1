//! Groups on a plan, their members and invitations, and the municipality's register
//! of organisations.

use crate::auth::CurrentActor;
use crate::error::{ApiError, ApiJson, ApiPath, ApiQuery};
use crate::groups::membership::{self, InviteInput};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use db::InviteOutcome;
use domain::group::Group;
use domain::invitation::Invitation;
use domain::organisation::OrganisationKind;
use domain::policy::{Action, Resource, can};
use domain::{GroupId, InvitationId, OrganisationId, PersonId, PlanId, validate};
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
    let db = state.db();
    let plan = db.plan(PlanId(id)).await?;
    let groups = db.groups_of_plan(plan.id).await?;
    // Each group is listed to those who may see it.
    Ok(ApiJson(
        groups
            .into_iter()
            .filter(|g| can(&actor, Action::Read, membership::group_resource(&plan, g)))
            .map(Into::into)
            .collect(),
    ))
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
    let group =
        membership::create_group(&state, &actor, PlanId(id), &body.kind, &body.name).await?;
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

fn invitation_dto(invitation: &Invitation, person: &domain::person::Person) -> InvitationDto {
    InvitationDto {
        id: invitation.id.0,
        group_id: invitation.group_id.0,
        person_id: person.id.0,
        name: person.name.clone(),
        email: person.email.clone(),
        role: invitation.role.as_str().to_owned(),
        status: invitation.status(db::time::now()).as_str().to_owned(),
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
    let (group, plan) =
        membership::visible_group(&state, &actor, GroupId(id), Action::Read).await?;
    let manages = can(
        &actor,
        Action::ManageMembers,
        membership::group_resource(&plan, &group),
    );
    let members = state
        .db()
        .members(group.id)
        .await?
        .into_iter()
        .map(|m| MemberDto {
            person_id: m.person.id.0,
            name: m.person.name,
            // Members see each other's names; addresses only those who manage the group.
            email: if manages {
                m.person.email
            } else {
                String::new()
            },
            role: m.membership.role.as_str().to_owned(),
            organisation: m.organisation,
        })
        .collect();
    let invitations = if manages {
        Some(
            state
                .db()
                .invitations_of_group(group.id)
                .await?
                .iter()
                .map(|i| invitation_dto(&i.invitation, &i.person))
                .collect(),
        )
    } else {
        None
    };
    Ok(ApiJson(GroupDetailDto {
        group: group.into(),
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

fn outcome_dto(outcome: &InviteOutcome) -> InviteResultDto {
    match outcome {
        InviteOutcome::Invited { invitation, person } => InviteResultDto {
            outcome: "invited".into(),
            invitation: Some(invitation_dto(invitation, person)),
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
    let outcome = membership::invite_one(
        &state,
        &actor,
        &who,
        GroupId(id),
        InviteInput {
            name: body.name,
            email: body.email,
            role: body.role.unwrap_or_else(|| "member".into()),
            organisation_id: body.organisation_id.map(OrganisationId),
            organisation_name: body.organisation_name,
            lang: body.lang,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, ApiJson(outcome_dto(&outcome))))
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

fn report(preview: membership::RosterPreview, outcomes: &[InviteOutcome]) -> RosterReportDto {
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
        results: outcomes.iter().map(outcome_dto).collect(),
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
    if query.dry_run {
        let (_, _, preview) =
            membership::preview_roster(&state, &actor, GroupId(id), &body).await?;
        return Ok((StatusCode::OK, ApiJson(report(preview, &[]))));
    }
    let (preview, outcomes) =
        membership::import_roster(&state, &actor, &who, GroupId(id), &body, query.skip_invalid)
            .await?;
    Ok((StatusCode::CREATED, ApiJson(report(preview, &outcomes))))
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
    let invitation = membership::resend(&state, &actor, InvitationId(id)).await?;
    let person = state.db().person(invitation.person_id).await?;
    Ok(ApiJson(invitation_dto(&invitation, &person)))
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
    membership::revoke(&state, &actor, InvitationId(id)).await?;
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
    membership::remove_member(&state, &actor, GroupId(id), PersonId(person)).await?;
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

async fn municipality_id(state: &AppState, slug: &str) -> Result<domain::MunicipalityId, ApiError> {
    state
        .db()
        .municipality_by_slug(slug)
        .await?
        .map(|m| m.id)
        .ok_or_else(|| ApiError::not_found("the municipality"))
}

#[utoipa::path(get, path = "/api/v1/municipalities/{slug}/organisations", tag = "groups",
    params(("slug" = String, Path, description = "municipality slug")),
    responses((status = 200, body = Vec<OrganisationDto>), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_organisations(
    State(state): State<AppState>,
    ApiPath(slug): ApiPath<String>,
) -> Result<ApiJson<Vec<OrganisationDto>>, ApiError> {
    let municipality = municipality_id(&state, &slug).await?;
    Ok(ApiJson(
        state
            .db()
            .organisations(municipality)
            .await?
            .into_iter()
            .map(|o| OrganisationDto {
                id: o.id.0,
                name: o.name,
                kind: o.kind.as_str().to_owned(),
            })
            .collect(),
    ))
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
    let municipality = municipality_id(&state, &slug).await?;
    let probe = Resource::Organisation {
        municipality,
        organisation: OrganisationId::new(),
    };
    if !can(&actor, Action::Create, probe) {
        return Err(if actor.staff_municipality().is_none() {
            ApiError::unauthorized("this needs a planner's sign-in or API token")
        } else {
            ApiError::forbidden()
        });
    }
    let name = validate::line("name", &body.name, 200)?;
    let kind = OrganisationKind::parse(body.kind.trim()).ok_or_else(|| {
        ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_kind",
            "kind must be user_organisation, volunteer, business, public_body, council or union",
        )
    })?;
    let created = state
        .db()
        .create_organisation(municipality, &name, kind)
        .await
        .map_err(|e| match e {
            db::DbError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "organisation_exists",
                "the register has an organisation with this name already",
            ),
            other => other.into(),
        })?;
    Ok((
        StatusCode::CREATED,
        ApiJson(OrganisationDto {
            id: created.id.0,
            name: created.name,
            kind: created.kind.as_str().to_owned(),
        }),
    ))
}
