//! Groups, members and invitations: the rules shared by the JSON API and the
//! workbench, so both check the same things in the same order.

use crate::error::ApiError;
use crate::state::AppState;
use db::{DbError, InviteOutcome, InviteeOrganisation, NewInvitation};
use domain::email::Email;
use domain::group::{Group, GroupKind, MemberRole};
use domain::plan::Plan;
use domain::policy::{Action, Actor, Resource, can};
use domain::roster::{self, CheckedRow, OrganisationRef};
use domain::{GroupId, InvitationId, Lang, OrganisationId, PersonId, PlanId, validate};
use http::StatusCode;

fn unprocessable(code: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, code, message)
}

pub fn group_resource(plan: &Plan, group: &Group) -> Resource {
    Resource::Group {
        municipality: plan.municipality_id,
        plan: plan.id,
        group: group.id,
    }
}

/// A group the actor may see, with its plan; others (and unknown ones) are not found.
pub async fn visible_group(
    state: &AppState,
    actor: &Actor,
    id: GroupId,
    action: Action,
) -> Result<(Group, Plan), ApiError> {
    let db = state.db();
    let missing = || ApiError::not_found("the group");
    let group = db.group(id).await.map_err(|e| match e {
        DbError::NotFound => missing(),
        other => other.into(),
    })?;
    let plan = db.plan(group.plan_id).await?;
    if can(actor, action, group_resource(&plan, &group)) {
        Ok((group, plan))
    } else {
        Err(missing())
    }
}

/// A plan whose groups the actor manages.
pub async fn managed_plan(state: &AppState, actor: &Actor, id: PlanId) -> Result<Plan, ApiError> {
    let plan = state.db().plan(id).await.map_err(|e| match e {
        DbError::NotFound => ApiError::not_found("the plan"),
        other => other.into(),
    })?;
    if can(
        actor,
        Action::ManageMembers,
        consultation::access::plan_resource(&plan),
    ) {
        Ok(plan)
    } else {
        Err(ApiError::not_found("the plan"))
    }
}

pub async fn create_group(
    state: &AppState,
    actor: &Actor,
    plan: PlanId,
    kind: &str,
    name: &str,
) -> Result<Group, ApiError> {
    let plan = managed_plan(state, actor, plan).await?;
    let kind = GroupKind::parse(kind.trim()).ok_or_else(|| {
        unprocessable(
            "invalid_kind",
            "kind must be one of reference_group, resource_group, elder_council, \
             disability_council, youth_council, steering_group, project_group, working_group",
        )
    })?;
    let name = validate::line("name", name, 200)?;
    state
        .db()
        .create_group(plan.id, kind, &name)
        .await
        .map_err(|e| match e {
            DbError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "group_exists",
                "the plan has a group with this name already",
            ),
            other => other.into(),
        })
}

/// Whom to invite, as typed in a form or an API call.
#[derive(Debug, Clone, Default)]
pub struct InviteInput {
    pub name: String,
    pub email: String,
    pub role: String,
    pub organisation_id: Option<OrganisationId>,
    /// A new organisation to add to the register, when no id is given.
    pub organisation_name: Option<String>,
    pub lang: Option<String>,
}

fn invitation_email(
    state: &AppState,
    municipality_name: &str,
    plan: &Plan,
    group: &Group,
    invited_by: &str,
    token: &str,
) -> Email {
    Email::Invitation {
        municipality_name: municipality_name.to_owned(),
        plan_title: plan.title.clone(),
        group_name: group.name.clone(),
        invited_by: invited_by.to_owned(),
        link: format!(
            "{}/invitations/accept?token={token}",
            state.config().base_url
        ),
        valid_days: domain::invitation::VALID_DAYS as u32,
    }
}

/// The inviter's name for the email: the signed-in planner, or the municipality.
async fn inviter_name(state: &AppState, actor: &Actor, municipality_name: &str) -> String {
    match actor.person {
        Some(person) => match state.db().person(person).await {
            Ok(p) if !p.name.is_empty() => p.name,
            _ => municipality_name.to_owned(),
        },
        None => municipality_name.to_owned(),
    }
}

/// Invites people to a group in one transaction: all invitations and their emails
/// are stored, or none.
async fn invite_all(
    state: &AppState,
    actor: &Actor,
    who: &str,
    group: &Group,
    plan: &Plan,
    invitees: Vec<(
        String,
        String,
        Lang,
        MemberRole,
        Option<InviteeOrganisation>,
    )>,
) -> Result<Vec<InviteOutcome>, ApiError> {
    let municipality = state.db().municipality(plan.municipality_id).await?;
    let inviter = inviter_name(state, actor, &municipality.name).await;
    let invitations = invitees
        .into_iter()
        .map(|(name, email, lang, role, organisation)| {
            let token = crate::auth::session::new_secret();
            NewInvitation {
                municipality: plan.municipality_id,
                group: group.id,
                name,
                email,
                lang,
                role,
                organisation,
                message: invitation_email(state, &municipality.name, plan, group, &inviter, &token),
                token,
                invited_by: who.to_owned(),
            }
        })
        .collect();
    let outcomes = state.db().invite(invitations).await?;
    state.after_commit(&[], true);
    Ok(outcomes)
}

pub async fn invite_one(
    state: &AppState,
    actor: &Actor,
    who: &str,
    group_id: GroupId,
    input: InviteInput,
) -> Result<InviteOutcome, ApiError> {
    let (group, plan) = visible_group(state, actor, group_id, Action::ManageMembers).await?;
    let name = validate::line("name", &input.name, 200)?;
    let email = validate::email("email", &input.email)?;
    let role = MemberRole::parse(input.role.trim()).ok_or_else(|| {
        unprocessable(
            "unknown_role",
            "role must be member, chair or organisation_representative",
        )
    })?;
    let lang = match input.lang.as_deref().map(str::trim) {
        None | Some("") => Lang::Nn,
        Some(code) => Lang::parse(code)
            .ok_or_else(|| unprocessable("unknown_language", "lang must be nn, nb or en"))?,
    };
    let organisation = match (input.organisation_id, input.organisation_name.as_deref()) {
        (Some(id), _) => {
            // Another municipality's organisation looks like none.
            match state.db().organisation(id).await {
                Ok(o) if o.municipality_id == plan.municipality_id => {
                    Some(InviteeOrganisation::Existing(o.id))
                }
                Ok(_) | Err(DbError::NotFound) => {
                    return Err(unprocessable(
                        "unknown_organisation",
                        "the organisation is not in the municipality's register",
                    ));
                }
                Err(e) => return Err(e.into()),
            }
        }
        (None, Some(name)) if !name.trim().is_empty() => Some(InviteeOrganisation::New {
            name: validate::line("organisation_name", name, 200)?,
        }),
        _ => None,
    };
    if role == MemberRole::OrganisationRepresentative && organisation.is_none() {
        return Err(unprocessable(
            "organisation_required",
            "an organisation representative needs an organisation",
        ));
    }
    let mut outcomes = invite_all(
        state,
        actor,
        who,
        &group,
        &plan,
        vec![(name, email, lang, role, organisation)],
    )
    .await?;
    outcomes.pop().ok_or_else(ApiError::internal)
}

/// The preview of a member list: every row with its problems.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RosterPreview {
    pub rows: Vec<CheckedRow>,
    pub valid: usize,
    pub invalid: usize,
}

pub fn roster_error(e: roster::RosterError) -> ApiError {
    let status = match e {
        roster::RosterError::TooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    };
    ApiError::new(status, e.code(), e.to_string())
}

/// Reads and checks a member list for a group of the plan; stores nothing.
pub async fn preview_roster(
    state: &AppState,
    actor: &Actor,
    group_id: GroupId,
    bytes: &[u8],
) -> Result<(Group, Plan, RosterPreview), ApiError> {
    let (group, plan) = visible_group(state, actor, group_id, Action::ManageMembers).await?;
    let rows = roster::read(bytes).map_err(roster_error)?;
    let groups = state.db().groups_of_plan(plan.id).await?;
    let organisations = state.db().organisations(plan.municipality_id).await?;
    let rows = roster::check(&rows, &groups, &organisations, Some(&group));
    let valid = rows.iter().filter(|r| r.invitee.is_some()).count();
    let invalid = rows.len() - valid;
    Ok((
        group,
        plan,
        RosterPreview {
            rows,
            valid,
            invalid,
        },
    ))
}

/// Invites everyone on a member list. With problems in any row nothing is stored,
/// unless `skip_invalid`, when the good rows are invited and the rest reported.
pub async fn import_roster(
    state: &AppState,
    actor: &Actor,
    who: &str,
    group_id: GroupId,
    bytes: &[u8],
    skip_invalid: bool,
) -> Result<(RosterPreview, Vec<InviteOutcome>), ApiError> {
    let (_, plan, preview) = preview_roster(state, actor, group_id, bytes).await?;
    if preview.invalid > 0 && !skip_invalid {
        return Err(ApiError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_rows",
            format!(
                "{} of {} rows have problems; nothing was stored (see the preview, or \
                 send skip_invalid=true to invite the {} good rows)",
                preview.invalid,
                preview.rows.len(),
                preview.valid
            ),
        ));
    }
    if preview.valid == 0 {
        return Err(unprocessable("no_valid_rows", "no row can be invited"));
    }
    // Rows may name other groups of the plan: invite group by group, all in one go.
    let mut by_group: Vec<(Group, Vec<_>)> = Vec::new();
    for row in &preview.rows {
        let Some(invitee) = &row.invitee else {
            continue;
        };
        let organisation = invitee.organisation.as_ref().map(|o| match o {
            OrganisationRef::Known(o) => InviteeOrganisation::Existing(o.id),
            OrganisationRef::New { name } => InviteeOrganisation::New { name: name.clone() },
        });
        let entry = (
            invitee.name.clone(),
            invitee.email.clone(),
            Lang::Nn,
            invitee.role,
            organisation,
        );
        match by_group.iter_mut().find(|(g, _)| g.id == invitee.group.id) {
            Some((_, list)) => list.push(entry),
            None => by_group.push((invitee.group.clone(), vec![entry])),
        }
    }
    let mut outcomes = Vec::new();
    // One transaction per group keeps each group's list whole; groups are few.
    for (group, invitees) in by_group {
        outcomes.extend(invite_all(state, actor, who, &group, &plan, invitees).await?);
    }
    Ok((preview, outcomes))
}

async fn managed_invitation(
    state: &AppState,
    actor: &Actor,
    id: InvitationId,
) -> Result<domain::invitation::Invitation, ApiError> {
    let invitation = state.db().invitation(id).await.map_err(|e| match e {
        DbError::NotFound => ApiError::not_found("the invitation"),
        other => other.into(),
    })?;
    visible_group(state, actor, invitation.group_id, Action::ManageMembers)
        .await
        .map_err(|_| ApiError::not_found("the invitation"))?;
    Ok(invitation)
}

/// Sends an invitation again with a new link (the old one stops working).
pub async fn resend(
    state: &AppState,
    actor: &Actor,
    id: InvitationId,
) -> Result<domain::invitation::Invitation, ApiError> {
    let invitation = managed_invitation(state, actor, id).await?;
    let (group, plan) =
        visible_group(state, actor, invitation.group_id, Action::ManageMembers).await?;
    let municipality = state.db().municipality(plan.municipality_id).await?;
    let inviter = inviter_name(state, actor, &municipality.name).await;
    let token = crate::auth::session::new_secret();
    let message = invitation_email(state, &municipality.name, &plan, &group, &inviter, &token);
    let resent = state
        .db()
        .resend_invitation(id, &token, message)
        .await
        .map_err(|e| match e {
            DbError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "invitation_closed",
                "the invitation was accepted or revoked",
            ),
            other => other.into(),
        })?;
    state.after_commit(&[], true);
    Ok(resent)
}

pub async fn revoke(state: &AppState, actor: &Actor, id: InvitationId) -> Result<(), ApiError> {
    managed_invitation(state, actor, id).await?;
    if state.db().revoke_invitation(id).await? {
        Ok(())
    } else {
        Err(ApiError::new(
            StatusCode::CONFLICT,
            "invitation_closed",
            "the invitation was accepted or revoked already",
        ))
    }
}

/// Removes a member; their open websockets lose what they may no longer see.
pub async fn remove_member(
    state: &AppState,
    actor: &Actor,
    group_id: GroupId,
    person: PersonId,
) -> Result<(), ApiError> {
    visible_group(state, actor, group_id, Action::ManageMembers).await?;
    if !state.db().remove_member(group_id, person).await? {
        return Err(ApiError::not_found("the member"));
    }
    state.roles_changed(person);
    Ok(())
}
