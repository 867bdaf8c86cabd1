//! Groups on a plan, their members and invitations, the municipality's register of
//! organisations and the planners of a plan: the rules the JSON API and the
//! workbench share, so both check the same things in the same order.
//!
//! Unknown things and things the actor may not see are the same "not found".
//! Invitations are emailed through the outbox in the transaction that stores them;
//! their links are valid for [`VALID_DAYS`](domain::invitation::VALID_DAYS) days from
//! the service's clock, and only the link's hash is stored.

use crate::Consultation;
use crate::access::{group_resource, plan_resource};
use db::{DbError, InviteeOrganisation, Member, NewInvitation};
use domain::email::{Email, Meeting};
use domain::group::{Group, GroupKind, MemberRole};
use domain::hearing::HearingState;
use domain::invitation::{Invitation, InvitationStatus};
use domain::organisation::{Organisation, OrganisationKind};
use domain::person::Person;
use domain::plan::Plan;
use domain::policy::{Action, Actor, Resource, can};
use domain::roster::{self, CheckedRow, OrganisationRef, RosterError};
use domain::validate::{self, FieldError};
use domain::{GroupId, InvitationId, Lang, OrganisationId, PersonId, PlanId};

pub use db::{InvitationWithPerson, InviteOutcome};

/// Why a group, member, invitation, organisation or planner use case refused.
#[derive(Debug, thiserror::Error)]
pub enum GroupError {
    #[error("the plan was not found")]
    PlanNotFound,
    #[error("the group was not found")]
    GroupNotFound,
    #[error("the invitation was not found")]
    InvitationNotFound,
    #[error("the member was not found")]
    MemberNotFound,
    #[error("the municipality was not found")]
    MunicipalityNotFound,
    /// Only the municipality's staff (or its API token) may do this.
    #[error("this needs a planner's sign-in")]
    NotSignedIn,
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error(
        "kind must be one of reference_group, resource_group, elder_council, \
         disability_council, youth_council, steering_group, project_group, working_group"
    )]
    InvalidGroupKind,
    #[error("kind must be user_organisation, volunteer, business, public_body, council or union")]
    InvalidOrganisationKind,
    #[error("the plan has a group with this name already")]
    GroupExists,
    #[error("the register has an organisation with this name already")]
    OrganisationExists,
    #[error("role must be member, chair or organisation_representative")]
    UnknownRole,
    #[error("lang must be nn, nb or en")]
    UnknownLanguage,
    #[error("the organisation is not in the municipality's register")]
    UnknownOrganisation,
    #[error("an organisation representative needs an organisation")]
    OrganisationRequired,
    /// The member list cannot be read at all.
    #[error(transparent)]
    Roster(#[from] RosterError),
    /// Some rows of the member list have problems and skipping them was not asked.
    #[error(
        "{invalid} of {rows} rows have problems; nothing was stored (see the preview, or \
         send skip_invalid=true to invite the {valid} good rows)"
    )]
    InvalidRows {
        rows: usize,
        valid: usize,
        invalid: usize,
    },
    #[error("no row can be invited")]
    NoValidRows,
    #[error("the invitation was accepted or revoked already")]
    InvitationClosed,
    #[error("only the municipality's staff can plan its plans")]
    NotStaff,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// `DbError::NotFound` as the feature's own "not found"; other errors as they are.
fn missing(what: GroupError) -> impl FnOnce(DbError) -> GroupError {
    move |e| match e {
        DbError::NotFound => what,
        other => other.into(),
    }
}

/// Whom to invite, as typed in a form or an API call.
#[derive(Debug, Clone, Default)]
pub struct InviteInput {
    pub name: String,
    pub email: String,
    /// member, chair or organisation_representative.
    pub role: String,
    pub organisation_id: Option<OrganisationId>,
    /// A new organisation to add to the register, when no id is given.
    pub organisation_name: Option<String>,
    /// The invitation's language for someone new: nn (the default), nb or en.
    pub lang: Option<String>,
}

/// The preview of a member list: every row with its problems.
#[derive(Debug, Clone, serde::Serialize)]
pub struct RosterPreview {
    pub rows: Vec<CheckedRow>,
    pub valid: usize,
    pub invalid: usize,
}

/// A group as its page shows it.
#[derive(Debug, Clone)]
pub struct GroupDetail {
    pub group: Group,
    pub plan: Plan,
    /// Whether the actor manages the group (and so sees addresses and invitations).
    pub manages: bool,
    /// Members see each other's names; the addresses are empty unless `manages`.
    pub members: Vec<Member>,
    /// Newest first; only for those who manage the group.
    pub invitations: Option<Vec<InvitationWithPerson>>,
    /// The municipality's organisations a new member can represent; only for those
    /// who manage the group.
    pub organisations: Vec<Organisation>,
}

/// A group in the list of a plan's groups on the workbench.
#[derive(Debug, Clone)]
pub struct GroupSummary {
    pub group: Group,
    pub members: usize,
    /// Invitations still waiting for an answer (not expired).
    pub pending: usize,
}

/// One person to invite to one group.
struct Invitee {
    name: String,
    email: String,
    lang: Lang,
    role: MemberRole,
    organisation: Option<InviteeOrganisation>,
}

impl Consultation {
    /// A group the actor may act on with `action`, with its plan; others (and unknown
    /// ones) are not found.
    pub async fn visible_group(
        &self,
        actor: &Actor,
        id: GroupId,
        action: Action,
    ) -> Result<(Group, Plan), GroupError> {
        let db = self.db();
        let group = db
            .group(id)
            .await
            .map_err(missing(GroupError::GroupNotFound))?;
        let plan = db.plan(group.plan_id).await?;
        if can(actor, action, group_resource(&plan, &group)) {
            Ok((group, plan))
        } else {
            Err(GroupError::GroupNotFound)
        }
    }

    /// A plan whose groups the actor manages; others (and unknown ones) are not found.
    pub async fn managed_plan(&self, actor: &Actor, id: PlanId) -> Result<Plan, GroupError> {
        let plan = self
            .db()
            .plan(id)
            .await
            .map_err(missing(GroupError::PlanNotFound))?;
        if can(actor, Action::ManageMembers, plan_resource(&plan)) {
            Ok(plan)
        } else {
            Err(GroupError::PlanNotFound)
        }
    }

    /// The groups of a plan the actor may see.
    pub async fn groups_of_plan(
        &self,
        actor: &Actor,
        id: PlanId,
    ) -> Result<Vec<Group>, GroupError> {
        let db = self.db();
        let plan = db
            .plan(id)
            .await
            .map_err(missing(GroupError::PlanNotFound))?;
        if !can(
            actor,
            Action::Read,
            crate::access::readable_plan_resource(db, &plan).await?,
        ) {
            return Err(GroupError::PlanNotFound);
        }
        Ok(db
            .groups_of_plan(plan.id)
            .await?
            .into_iter()
            .filter(|g| can(actor, Action::Read, group_resource(&plan, g)))
            .collect())
    }

    /// The groups of a plan the actor manages, with their members and pending
    /// invitations counted.
    pub async fn group_overview(
        &self,
        actor: &Actor,
        id: PlanId,
    ) -> Result<(Plan, Vec<GroupSummary>), GroupError> {
        let plan = self.managed_plan(actor, id).await?;
        let db = self.db();
        let now = self.now();
        let mut groups = Vec::new();
        for group in db.groups_of_plan(plan.id).await? {
            let members = db.members(group.id).await?.len();
            let pending = db
                .invitations_of_group(group.id)
                .await?
                .iter()
                .filter(|i| i.invitation.status(now) == InvitationStatus::Pending)
                .count();
            groups.push(GroupSummary {
                group,
                members,
                pending,
            });
        }
        Ok((plan, groups))
    }

    /// A group with its members, and its invitations for those who manage it.
    /// `action` is what the page is for: `Read` for anyone who may see the group,
    /// `ManageMembers` for the workbench.
    pub async fn group_detail(
        &self,
        actor: &Actor,
        id: GroupId,
        action: Action,
    ) -> Result<GroupDetail, GroupError> {
        let (group, plan) = self.visible_group(actor, id, action).await?;
        let manages = can(actor, Action::ManageMembers, group_resource(&plan, &group));
        let db = self.db();
        let mut members = db.members(group.id).await?;
        if !manages {
            for member in &mut members {
                member.person.email.clear();
            }
        }
        let (invitations, organisations) = if manages {
            (
                Some(db.invitations_of_group(group.id).await?),
                db.organisations(plan.municipality_id).await?,
            )
        } else {
            (None, Vec::new())
        };
        Ok(GroupDetail {
            group,
            plan,
            manages,
            members,
            invitations,
            organisations,
        })
    }

    /// Creates a group on a plan the actor plans.
    pub async fn create_group(
        &self,
        actor: &Actor,
        plan: PlanId,
        kind: &str,
        name: &str,
    ) -> Result<Group, GroupError> {
        let plan = self.managed_plan(actor, plan).await?;
        let kind = GroupKind::parse(kind.trim()).ok_or(GroupError::InvalidGroupKind)?;
        let name = validate::line("name", name, 200)?;
        self.db()
            .create_group(plan.id, kind, &name)
            .await
            .map_err(|e| match e {
                DbError::Conflict(_) => GroupError::GroupExists,
                other => other.into(),
            })
    }

    /// Invites one person to a group. Inviting someone with a pending invitation to
    /// the group replaces it (the old link stops working); a member is left as they
    /// are and gets no email.
    pub async fn invite_one(
        &self,
        actor: &Actor,
        who: &str,
        group: GroupId,
        input: InviteInput,
    ) -> Result<InviteOutcome, GroupError> {
        let (group, plan) = self
            .visible_group(actor, group, Action::ManageMembers)
            .await?;
        let name = validate::line("name", &input.name, 200)?;
        let email = validate::email("email", &input.email)?;
        let role = MemberRole::parse(input.role.trim()).ok_or(GroupError::UnknownRole)?;
        let lang = match input.lang.as_deref().map(str::trim) {
            None | Some("") => Lang::Nn,
            Some(code) => Lang::parse(code).ok_or(GroupError::UnknownLanguage)?,
        };
        let organisation = match (input.organisation_id, input.organisation_name.as_deref()) {
            // Another municipality's organisation looks like none.
            (Some(id), _) => match self.db().organisation(id).await {
                Ok(o) if o.municipality_id == plan.municipality_id => {
                    Some(InviteeOrganisation::Existing(o.id))
                }
                Ok(_) | Err(DbError::NotFound) => return Err(GroupError::UnknownOrganisation),
                Err(e) => return Err(e.into()),
            },
            (None, Some(name)) if !name.trim().is_empty() => Some(InviteeOrganisation::New {
                name: validate::line("organisation_name", name, 200)?,
            }),
            _ => None,
        };
        if role == MemberRole::OrganisationRepresentative && organisation.is_none() {
            return Err(GroupError::OrganisationRequired);
        }
        let invitee = Invitee {
            name,
            email,
            lang,
            role,
            organisation,
        };
        let mut outcomes = self
            .invite_all(actor, who, &group, &plan, vec![invitee])
            .await?;
        outcomes
            .pop()
            .ok_or_else(|| DbError::Other("an invitation without an outcome".into()).into())
    }

    /// Reads and checks a member list for a group of the plan; stores nothing.
    pub async fn preview_roster(
        &self,
        actor: &Actor,
        group: GroupId,
        bytes: &[u8],
    ) -> Result<(Group, Plan, RosterPreview), GroupError> {
        let (group, plan) = self
            .visible_group(actor, group, Action::ManageMembers)
            .await?;
        let rows = roster::read(bytes)?;
        let groups = self.db().groups_of_plan(plan.id).await?;
        let organisations = self.db().organisations(plan.municipality_id).await?;
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
    /// Rows may name other groups of the plan.
    pub async fn import_roster(
        &self,
        actor: &Actor,
        who: &str,
        group: GroupId,
        bytes: &[u8],
        skip_invalid: bool,
    ) -> Result<(RosterPreview, Vec<InviteOutcome>), GroupError> {
        let (_, plan, preview) = self.preview_roster(actor, group, bytes).await?;
        if preview.invalid > 0 && !skip_invalid {
            return Err(GroupError::InvalidRows {
                rows: preview.rows.len(),
                valid: preview.valid,
                invalid: preview.invalid,
            });
        }
        if preview.valid == 0 {
            return Err(GroupError::NoValidRows);
        }
        let mut by_group: Vec<(Group, Vec<Invitee>)> = Vec::new();
        for invitee in preview.rows.iter().filter_map(|r| r.invitee.as_ref()) {
            let organisation = invitee.organisation.as_ref().map(|o| match o {
                OrganisationRef::Known(o) => InviteeOrganisation::Existing(o.id),
                OrganisationRef::New { name } => InviteeOrganisation::New { name: name.clone() },
            });
            let entry = Invitee {
                name: invitee.name.clone(),
                email: invitee.email.clone(),
                // A known person keeps their own language (see `Db::invite`).
                lang: invitee.lang.unwrap_or(Lang::Nn),
                role: invitee.role,
                organisation,
            };
            match by_group.iter_mut().find(|(g, _)| g.id == invitee.group.id) {
                Some((_, list)) => list.push(entry),
                None => by_group.push((invitee.group.clone(), vec![entry])),
            }
        }
        let mut outcomes = Vec::new();
        // One transaction per group keeps each group's list whole; groups are few.
        for (group, invitees) in by_group {
            outcomes.extend(self.invite_all(actor, who, &group, &plan, invitees).await?);
        }
        Ok((preview, outcomes))
    }

    /// An invitation to a group the actor manages; others are not found.
    pub async fn managed_invitation(
        &self,
        actor: &Actor,
        id: InvitationId,
    ) -> Result<(Invitation, Group, Plan), GroupError> {
        let invitation = self
            .db()
            .invitation(id)
            .await
            .map_err(missing(GroupError::InvitationNotFound))?;
        let (group, plan) = self
            .visible_group(actor, invitation.group_id, Action::ManageMembers)
            .await
            .map_err(|e| match e {
                GroupError::GroupNotFound => GroupError::InvitationNotFound,
                other => other,
            })?;
        Ok((invitation, group, plan))
    }

    /// Sends a pending or expired invitation again with a new link, valid 14 days from
    /// now; the old link stops working. Accepted and revoked ones are not resent.
    pub async fn resend_invitation(
        &self,
        actor: &Actor,
        id: InvitationId,
    ) -> Result<InvitationWithPerson, GroupError> {
        let (invitation, group, plan) = self.managed_invitation(actor, id).await?;
        let db = self.db();
        let municipality = db.municipality(plan.municipality_id).await?;
        let inviter = self.inviter_name(actor, &municipality.name).await;
        let token = crate::secrets::new_secret();
        let organisation = match invitation.organisation_id {
            Some(id) => Some(db.organisation(id).await?.name),
            None => None,
        };
        let about = self.invitation_about(&plan).await?;
        let letter = self.plan_letter(&plan, None).await?;
        let message = invitation_email(
            &letter,
            &about,
            &InvitationLetter {
                municipality_name: &municipality.name,
                plan: &plan,
                group: &group,
                invited_by: &inviter,
                role: invitation.role,
                organisation: organisation.as_deref(),
            },
            &token,
        );
        let resent = db
            .resend_invitation(id, &token, message, letter.letterhead, self.now())
            .await
            .map_err(|e| match e {
                DbError::Conflict(_) => GroupError::InvitationClosed,
                other => other.into(),
            })?;
        self.after_commit(&[], true);
        let person = db.person(resent.person_id).await?;
        Ok(InvitationWithPerson {
            invitation: resent,
            person,
        })
    }

    /// Revokes a pending (or expired) invitation: its link grants nothing afterwards.
    pub async fn revoke_invitation(
        &self,
        actor: &Actor,
        id: InvitationId,
    ) -> Result<(), GroupError> {
        self.managed_invitation(actor, id).await?;
        if self.db().revoke_invitation(id, self.now()).await? {
            Ok(())
        } else {
            Err(GroupError::InvitationClosed)
        }
    }

    /// Removes a member; their open websockets lose what they may no longer see.
    pub async fn remove_member(
        &self,
        actor: &Actor,
        group: GroupId,
        person: PersonId,
    ) -> Result<(), GroupError> {
        let (_, plan) = self
            .visible_group(actor, group, Action::ManageMembers)
            .await?;
        if !self.db().remove_member(group, person).await? {
            return Err(GroupError::MemberNotFound);
        }
        self.record(
            crate::audit::by(
                actor,
                domain::audit::AuditKind::MembershipChanged,
                Some(plan.municipality_id),
            )
            .plan(Some(plan.id))
            .target(person)
            .detail(format!("removed from group {group}")),
        )
        .await;
        self.roles_changed(person);
        Ok(())
    }

    /// The register of organisations of a municipality, by its slug; public.
    pub async fn organisations(&self, municipality: &str) -> Result<Vec<Organisation>, GroupError> {
        let municipality = self.municipality_id(municipality).await?;
        Ok(self.db().organisations(municipality).await?)
    }

    /// Adds an organisation to a municipality's register; its staff may. Names are
    /// unique within the municipality.
    pub async fn create_organisation(
        &self,
        actor: &Actor,
        municipality: &str,
        name: &str,
        kind: &str,
    ) -> Result<Organisation, GroupError> {
        let municipality = self.municipality_id(municipality).await?;
        let probe = Resource::Organisation {
            municipality,
            organisation: OrganisationId::new(),
        };
        if !can(actor, Action::Create, probe) {
            return Err(if actor.staff_municipality().is_none() {
                GroupError::NotSignedIn
            } else {
                GroupError::Forbidden
            });
        }
        let name = validate::line("name", name, 200)?;
        let kind =
            OrganisationKind::parse(kind.trim()).ok_or(GroupError::InvalidOrganisationKind)?;
        self.db()
            .create_organisation(municipality, &name, kind)
            .await
            .map_err(|e| match e {
                DbError::Conflict(_) => GroupError::OrganisationExists,
                other => other.into(),
            })
    }

    /// The planners of a plan the actor may change.
    pub async fn plan_planners(
        &self,
        actor: &Actor,
        plan: PlanId,
    ) -> Result<Vec<Person>, GroupError> {
        let plan = self.plan_to_change(actor, plan).await?;
        Ok(self.db().plan_planners(plan.id).await?)
    }

    /// Makes a member of the municipality's staff a planner of the plan; their open
    /// websockets may see more afterwards.
    pub async fn add_planner(
        &self,
        actor: &Actor,
        plan: PlanId,
        email: &str,
    ) -> Result<Person, GroupError> {
        let plan = self.plan_to_change(actor, plan).await?;
        let email = validate::email("email", email)?;
        let db = self.db();
        let person = db
            .person_by_email(&email)
            .await?
            .ok_or(GroupError::NotStaff)?;
        let is_staff = db
            .staff_roles(person.id)
            .await?
            .iter()
            .any(|(m, _)| *m == plan.municipality_id);
        if !is_staff {
            return Err(GroupError::NotStaff);
        }
        db.add_plan_planner(plan.id, person.id).await?;
        self.record(
            crate::audit::by(
                actor,
                domain::audit::AuditKind::MembershipChanged,
                Some(plan.municipality_id),
            )
            .plan(Some(plan.id))
            .target(person.id)
            .detail("planner added"),
        )
        .await;
        self.roles_changed(person.id);
        Ok(person)
    }

    async fn plan_to_change(&self, actor: &Actor, id: PlanId) -> Result<Plan, GroupError> {
        crate::access::editable_plan(self.db(), actor, id)
            .await
            .map_err(|refusal| match refusal {
                crate::access::PlanRefusal::NotSignedIn => GroupError::NotSignedIn,
                crate::access::PlanRefusal::NotFound => GroupError::PlanNotFound,
                crate::access::PlanRefusal::Db(e) => e.into(),
            })
    }

    async fn municipality_id(&self, slug: &str) -> Result<domain::MunicipalityId, GroupError> {
        self.db()
            .municipality_by_slug(slug)
            .await?
            .map(|m| m.id)
            .ok_or(GroupError::MunicipalityNotFound)
    }

    /// What an invitation tells about the plan: the steps still to come and the
    /// deadline of its open or coming hearing.
    async fn invitation_about(&self, plan: &Plan) -> Result<InvitationAbout, DbError> {
        let today = self.now().to_zoned(domain::deadline::oslo()).date();
        let meetings = self
            .db()
            .milestones_of(plan.id)
            .await?
            .into_iter()
            .filter(|m| !m.done && m.due_on >= today)
            .map(|m| Meeting {
                title: m.title,
                date: m.due_on.to_string(),
            })
            .collect();
        let hearing_deadline = self
            .db()
            .hearings_of_plan(plan.id)
            .await?
            .into_iter()
            .filter(|h| matches!(h.state, HearingState::Open | HearingState::Scheduled))
            .map(|h| h.deadline)
            .min()
            .map(|d| d.to_string());
        Ok(InvitationAbout {
            meetings,
            hearing_deadline,
        })
    }

    /// The inviter's name for the email: the signed-in planner, or the municipality.
    async fn inviter_name(&self, actor: &Actor, municipality_name: &str) -> String {
        match actor.person {
            Some(person) => match self.db().person(person).await {
                Ok(p) if !p.name.is_empty() => p.name,
                _ => municipality_name.to_owned(),
            },
            None => municipality_name.to_owned(),
        }
    }

    /// Invites people to one group in one transaction: all invitations and their
    /// emails are stored, or none.
    async fn invite_all(
        &self,
        actor: &Actor,
        who: &str,
        group: &Group,
        plan: &Plan,
        invitees: Vec<Invitee>,
    ) -> Result<Vec<InviteOutcome>, GroupError> {
        let db = self.db();
        let municipality = db.municipality(plan.municipality_id).await?;
        let inviter = self.inviter_name(actor, &municipality.name).await;
        let about = self.invitation_about(plan).await?;
        let letter = self.plan_letter(plan, None).await?;
        let mut invitations = Vec::with_capacity(invitees.len());
        for invitee in invitees {
            let token = crate::secrets::new_secret();
            let organisation = match &invitee.organisation {
                Some(InviteeOrganisation::Existing(id)) => Some(db.organisation(*id).await?.name),
                Some(InviteeOrganisation::New { name }) => Some(name.clone()),
                None => None,
            };
            let message = invitation_email(
                &letter,
                &about,
                &InvitationLetter {
                    municipality_name: &municipality.name,
                    plan,
                    group,
                    invited_by: &inviter,
                    role: invitee.role,
                    organisation: organisation.as_deref(),
                },
                &token,
            );
            invitations.push(NewInvitation {
                municipality: plan.municipality_id,
                group: group.id,
                name: invitee.name,
                email: invitee.email,
                lang: invitee.lang,
                role: invitee.role,
                organisation: invitee.organisation,
                message,
                letterhead: letter.letterhead.clone(),
                token,
                invited_by: who.to_owned(),
            });
        }
        let outcomes = db.invite(invitations, self.now()).await?;
        let queued = outcomes
            .iter()
            .any(|o| matches!(o, InviteOutcome::Invited { .. }));
        if queued {
            self.after_commit(&[], true);
        }
        Ok(outcomes)
    }
}

/// What an invitation says about the plan beyond its title.
struct InvitationAbout {
    meetings: Vec<Meeting>,
    hearing_deadline: Option<String>,
}

/// Who invites whom to what, for one invitation letter.
struct InvitationLetter<'a> {
    municipality_name: &'a str,
    plan: &'a Plan,
    group: &'a Group,
    invited_by: &'a str,
    role: MemberRole,
    organisation: Option<&'a str>,
}

fn invitation_email(
    letter: &crate::letters::Letter,
    about: &InvitationAbout,
    invite: &InvitationLetter<'_>,
    token: &str,
) -> Email {
    Email::Invitation {
        municipality_name: invite.municipality_name.to_owned(),
        plan_title: invite.plan.title.clone(),
        group_name: invite.group.name.clone(),
        group_kind: invite.group.kind,
        invited_by: invite.invited_by.to_owned(),
        role: invite.role,
        organisation_name: invite.organisation.map(str::to_owned),
        meetings: about.meetings.clone(),
        hearing_deadline: about.hearing_deadline.clone(),
        link: letter.link(&format!("/invitations/accept?token={token}")),
        valid_days: domain::invitation::VALID_DAYS as u32,
    }
}
