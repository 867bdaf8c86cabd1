//! The one permission policy: `can(actor, action, resource)`.
//!
//! Every HTTP route and every websocket subscription asks this function; nothing
//! else decides who may do what. An actor is who is asking (a person, or nobody)
//! with the roles they hold; a resource carries the facts the decision needs (which
//! municipality and plan it belongs to, its state, its owner).

use crate::hearing::{Audience, HearingState};
use crate::ids::*;

/// A role someone holds. Loaded for each request from the session's person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Runs the municipality's installation: every plan, staff and organisation.
    Administrator { municipality: MunicipalityId },
    /// A planner on the municipality's staff: creates plans, keeps the register of
    /// organisations, reads colleagues' work. Changes only plans they plan.
    Staff { municipality: MunicipalityId },
    /// Planner of one plan: its documents, hearings, groups and inputs.
    Planner {
        municipality: MunicipalityId,
        plan: PlanId,
    },
    /// Member (or chair) of a group attached to a plan: takes part in the plan's
    /// hearings for invited participants.
    Member {
        municipality: MunicipalityId,
        plan: PlanId,
        group: GroupId,
        chair: bool,
    },
    /// May give the official response (høyringssvar) of an organisation.
    Representative {
        municipality: MunicipalityId,
        organisation: OrganisationId,
    },
}

impl Role {
    pub fn municipality(self) -> MunicipalityId {
        match self {
            Role::Administrator { municipality }
            | Role::Staff { municipality }
            | Role::Planner { municipality, .. }
            | Role::Member { municipality, .. }
            | Role::Representative { municipality, .. } => municipality,
        }
    }
}

/// Who is asking: a person (or nobody) and the roles they hold.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Actor {
    /// `None` for anyone who has not signed in, and for API tokens.
    pub person: Option<PersonId>,
    pub roles: Vec<Role>,
    /// The API token acting, if any (for the audit log).
    pub token: Option<ApiTokenId>,
    /// A token limited to one plan: everything else is as if it did not exist.
    pub plan_scope: Option<PlanId>,
    /// A read-only token: may read and follow, never change anything.
    pub read_only: bool,
}

impl Actor {
    pub fn anonymous() -> Actor {
        Actor::default()
    }

    /// A signed-in person, with the roles they hold.
    pub fn person(person: PersonId, roles: Vec<Role>) -> Actor {
        Actor {
            person: Some(person),
            roles,
            ..Actor::default()
        }
    }

    /// An API token: acts as the municipality's administrator, without a person.
    pub fn api_token(municipality: MunicipalityId) -> Actor {
        Actor {
            person: None,
            roles: vec![Role::Administrator { municipality }],
            ..Actor::default()
        }
    }

    /// This actor narrowed by a token's scope: `token` acts, limited to `plan` if
    /// given, and to reading if `read_only`.
    pub fn scoped(mut self, token: ApiTokenId, plan: Option<PlanId>, read_only: bool) -> Actor {
        self.token = Some(token);
        self.plan_scope = plan;
        self.read_only = read_only;
        self
    }

    /// Whether the actor works for this municipality (administrator or staff planner).
    pub fn is_staff_of(&self, municipality: MunicipalityId) -> bool {
        self.roles.iter().any(|r| {
            matches!(r, Role::Administrator { .. } | Role::Staff { .. })
                && r.municipality() == municipality
        })
    }

    /// The municipality the actor works for, if any (the first, when several).
    pub fn staff_municipality(&self) -> Option<MunicipalityId> {
        self.roles.iter().find_map(|r| match r {
            Role::Administrator { municipality } | Role::Staff { municipality } => {
                Some(*municipality)
            }
            _ => None,
        })
    }

    fn is_administrator(&self, municipality: MunicipalityId) -> bool {
        self.roles.contains(&Role::Administrator { municipality })
    }

    /// Plans this plan: assigned to it, or administrator of its municipality.
    pub fn plans(&self, municipality: MunicipalityId, plan: PlanId) -> bool {
        self.is_administrator(municipality)
            || self.roles.contains(&Role::Planner { municipality, plan })
    }

    /// Works on the plan or takes part in it: staff or administrator of the
    /// municipality, planner of the plan, or member of a group on it. Their input is
    /// never screened.
    pub fn is_insider(&self, municipality: MunicipalityId, plan: PlanId) -> bool {
        self.is_staff_of(municipality)
            || self.plans(municipality, plan)
            || self.roles.iter().any(|r| {
                matches!(r, Role::Member { municipality: m, plan: p, .. } if *m == municipality && *p == plan)
            })
    }

    /// Member of a group attached to the plan.
    fn takes_part_in(&self, plan: PlanId) -> bool {
        self.roles
            .iter()
            .any(|r| matches!(r, Role::Member { plan: p, .. } if *p == plan))
    }

    fn is_member_of(&self, group: GroupId) -> bool {
        self.roles
            .iter()
            .any(|r| matches!(r, Role::Member { group: g, .. } if *g == group))
    }

    fn represents(&self, organisation: OrganisationId) -> bool {
        self.roles.iter().any(
            |r| matches!(r, Role::Representative { organisation: o, .. } if *o == organisation),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    /// Create something inside the resource (a plan in a municipality; a document,
    /// hearing or group in a plan).
    Create,
    Edit,
    Delete,
    /// Open, schedule, close or assess a hearing.
    ChangeState,
    /// Give input (comments, responses) on a hearing.
    Comment,
    /// Follow a room live over the websocket.
    Subscribe,
    /// Invite, import and remove members of a group; keep the organisation register.
    ManageMembers,
    /// Decide on screened or reported inputs.
    Moderate,
    /// Give the official response on behalf of an organisation.
    Represent,
    /// Give and take staff roles in a municipality.
    ManageStaff,
}

impl Action {
    pub const ALL: [Action; 11] = [
        Action::Read,
        Action::Create,
        Action::Edit,
        Action::Delete,
        Action::ChangeState,
        Action::Comment,
        Action::Subscribe,
        Action::ManageMembers,
        Action::Moderate,
        Action::Represent,
        Action::ManageStaff,
    ];
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Municipality {
        id: MunicipalityId,
    },
    Plan {
        municipality: MunicipalityId,
        plan: PlanId,
        /// The plan has published something (a hearing that is scheduled, open or
        /// over); until then it is in preparation and not public.
        published: bool,
    },
    Document {
        municipality: MunicipalityId,
        plan: PlanId,
        /// The widest audience of a published hearing on this document, if any.
        hearing_audience: Option<Audience>,
    },
    Hearing {
        municipality: MunicipalityId,
        plan: PlanId,
        state: HearingState,
        audience: Audience,
    },
    Group {
        municipality: MunicipalityId,
        plan: PlanId,
        group: GroupId,
    },
    Organisation {
        municipality: MunicipalityId,
        organisation: OrganisationId,
    },
    /// What is stored about a person: their page, export and deletion.
    Person {
        person: PersonId,
    },
    /// A workshop, as seen through one of the groups it invites: ask once per
    /// invited group (or use [`can_on_workshop`]).
    Workshop {
        municipality: MunicipalityId,
        plan: PlanId,
        group: GroupId,
    },
    /// A draft document that a group is asked to read before one of its
    /// workshops, as seen through that group: the group's members may read it even
    /// when no hearing has made it visible yet.
    Reading {
        municipality: MunicipalityId,
        plan: PlanId,
        group: GroupId,
    },
    /// An input someone gave (a comment or a response).
    Input {
        municipality: MunicipalityId,
        plan: PlanId,
        author: Option<PersonId>,
    },
}

pub fn can(actor: &Actor, action: Action, resource: Resource) -> bool {
    if actor.read_only && !matches!(action, Action::Read | Action::Subscribe) {
        return false;
    }
    if let Some(scope) = actor.plan_scope {
        // A plan-scoped token sees its plan and the municipality's public page only.
        let allowed = match resource.plan() {
            Some(plan) => plan == scope,
            None => matches!(resource, Resource::Municipality { .. }) && action == Action::Read,
        };
        if !allowed {
            return false;
        }
    }
    unscoped(actor, action, resource)
}

impl Resource {
    /// The plan the resource belongs to, if it belongs to one.
    pub fn plan(self) -> Option<PlanId> {
        match self {
            Resource::Plan { plan, .. }
            | Resource::Document { plan, .. }
            | Resource::Hearing { plan, .. }
            | Resource::Group { plan, .. }
            | Resource::Workshop { plan, .. }
            | Resource::Reading { plan, .. }
            | Resource::Input { plan, .. } => Some(plan),
            Resource::Municipality { .. }
            | Resource::Organisation { .. }
            | Resource::Person { .. } => None,
        }
    }
}

fn unscoped(actor: &Actor, action: Action, resource: Resource) -> bool {
    use Action::*;
    match resource {
        Resource::Municipality { id } => match action {
            Read | Subscribe => true,
            Create | ManageMembers => actor.is_staff_of(id),
            Edit | ManageStaff => actor.is_administrator(id),
            Delete | ChangeState | Comment | Moderate | Represent => false,
        },
        Resource::Plan {
            municipality,
            plan,
            published,
        } => match action {
            // A plan in preparation: its municipality's staff, its planners and the
            // members of its groups; everyone once it has published something.
            Read | Subscribe => {
                published
                    || actor.is_staff_of(municipality)
                    || actor.plans(municipality, plan)
                    || actor.takes_part_in(plan)
            }
            Create | Edit | Delete | ChangeState | ManageMembers | Moderate => {
                actor.plans(municipality, plan)
            }
            Comment | Represent | ManageStaff => false,
        },
        Resource::Document {
            municipality,
            plan,
            hearing_audience,
        } => match action {
            Read | Subscribe => {
                actor.is_staff_of(municipality)
                    || actor.plans(municipality, plan)
                    || match hearing_audience {
                        Some(Audience::Public) => true,
                        Some(Audience::Invited) => actor.takes_part_in(plan),
                        None => false,
                    }
            }
            Create | Edit | Delete => actor.plans(municipality, plan),
            ChangeState | Comment | ManageMembers | Moderate | Represent | ManageStaff => false,
        },
        Resource::Hearing {
            municipality,
            plan,
            state,
            audience,
        } => {
            let open_for_input = matches!(state, HearingState::Open | HearingState::Closed);
            if actor.plans(municipality, plan) {
                return match action {
                    Comment => open_for_input,
                    Represent | ManageStaff => false,
                    _ => true,
                };
            }
            let visible = actor.is_staff_of(municipality)
                || (state.is_published()
                    && match audience {
                        Audience::Public => true,
                        Audience::Invited => actor.takes_part_in(plan),
                    });
            let takes_input = state.is_published()
                && match audience {
                    Audience::Public => true,
                    Audience::Invited => actor.takes_part_in(plan),
                };
            match action {
                Read | Subscribe => visible,
                // After the deadline input is still taken, and marked late.
                Comment => takes_input && open_for_input,
                _ => false,
            }
        }
        Resource::Group {
            municipality,
            plan,
            group,
        } => match action {
            Read | Subscribe => {
                actor.plans(municipality, plan)
                    || actor.is_staff_of(municipality)
                    || actor.is_member_of(group)
            }
            Create | Edit | Delete | ManageMembers => actor.plans(municipality, plan),
            _ => false,
        },
        Resource::Organisation {
            municipality,
            organisation,
        } => match action {
            Read => true,
            Create | Edit | Delete | ManageMembers => actor.is_staff_of(municipality),
            Represent => actor.represents(organisation),
            _ => false,
        },
        Resource::Workshop {
            municipality,
            plan,
            group,
        } => match action {
            Read | Subscribe => {
                actor.plans(municipality, plan)
                    || actor.is_staff_of(municipality)
                    || actor.is_member_of(group)
            }
            // Create, change and cancel a workshop; see and record who came.
            Create | Edit | Delete | ChangeState | ManageMembers => actor.plans(municipality, plan),
            // Answer the invitation: only a member of an invited group.
            Comment => actor.is_member_of(group),
            Moderate | Represent | ManageStaff => false,
        },
        Resource::Person { person } => {
            matches!(action, Read | Edit | Delete) && actor.person == Some(person)
        }
        Resource::Reading {
            municipality,
            plan,
            group,
        } => match action {
            // Reading only: changing the draft stays the planners' (Document).
            Read | Subscribe => {
                actor.plans(municipality, plan)
                    || actor.is_staff_of(municipality)
                    || actor.is_member_of(group)
            }
            _ => false,
        },
        Resource::Input {
            municipality,
            plan,
            author,
        } => match action {
            // Reading an input that is not public (an official response): its author
            // and the plan's planners.
            Read => (author.is_some() && actor.person == author) || actor.plans(municipality, plan),
            Edit | Delete => author.is_some() && actor.person == author,
            Moderate => actor.plans(municipality, plan),
            _ => false,
        },
    }
}

/// Whether the actor may do `action` on a workshop that invites `groups`: allowed
/// through any one of them. A workshop that invites no group is the planners'.
pub fn can_on_workshop(
    actor: &Actor,
    action: Action,
    municipality: MunicipalityId,
    plan: PlanId,
    groups: &[GroupId],
) -> bool {
    // A group id no one is a member of keeps the planners' and staff's rights.
    let nobody = GroupId(uuid::Uuid::nil());
    let asked = if groups.is_empty() {
        &[nobody][..]
    } else {
        groups
    };
    asked.iter().any(|&group| {
        can(
            actor,
            action,
            Resource::Workshop {
                municipality,
                plan,
                group,
            },
        )
    })
}

#[cfg(test)]
mod tests;
