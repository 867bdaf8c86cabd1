//! The one permission policy: `can(actor, action, resource)`.
//!
//! Every HTTP route and every websocket subscription asks this function; nothing
//! else decides who may do what.

use crate::hearing::{Audience, HearingState};
use crate::ids::*;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// Anyone, without signing in.
    Anonymous,
    /// A signed-in person with no staff role: may do what the public may, as themself.
    Participant { person: PersonId },
    /// A planner of a municipality (authenticated by an API token or a session).
    Planner { municipality: MunicipalityId },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Read,
    Create,
    Edit,
    /// Open, schedule or close a hearing.
    ChangeState,
    Comment,
    /// Follow a room live over the websocket.
    Subscribe,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resource {
    Municipality {
        id: MunicipalityId,
    },
    Plan {
        municipality: MunicipalityId,
    },
    Document {
        municipality: MunicipalityId,
        /// On a published, public hearing.
        public: bool,
    },
    Hearing {
        municipality: MunicipalityId,
        state: HearingState,
        audience: Audience,
    },
}

impl Resource {
    fn municipality(self) -> MunicipalityId {
        match self {
            Resource::Municipality { id } => id,
            Resource::Plan { municipality }
            | Resource::Document { municipality, .. }
            | Resource::Hearing { municipality, .. } => municipality,
        }
    }
}

pub fn can(actor: Actor, action: Action, resource: Resource) -> bool {
    if let Actor::Planner { municipality } = actor {
        // Planners may do everything inside their own municipality and nothing elsewhere
        // that the public could not do.
        if municipality == resource.municipality() {
            return true;
        }
    }
    public_may(action, resource)
}

fn public_may(action: Action, resource: Resource) -> bool {
    match resource {
        Resource::Hearing {
            state, audience, ..
        } => {
            let visible = state.is_published() && audience == Audience::Public;
            match action {
                Action::Read | Action::Subscribe => visible,
                // After the deadline input is still taken, and marked late.
                Action::Comment => {
                    visible && matches!(state, HearingState::Open | HearingState::Closed)
                }
                Action::Create | Action::Edit | Action::ChangeState => false,
            }
        }
        // A document is public once it is on a public hearing; drafts are not.
        Resource::Document { public, .. } => {
            public && matches!(action, Action::Read | Action::Subscribe)
        }
        Resource::Plan { .. } | Resource::Municipality { .. } => {
            matches!(action, Action::Read | Action::Subscribe)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ACTIONS: [Action; 6] = [
        Action::Read,
        Action::Create,
        Action::Edit,
        Action::ChangeState,
        Action::Comment,
        Action::Subscribe,
    ];

    fn hearing(municipality: MunicipalityId, state: HearingState, audience: Audience) -> Resource {
        Resource::Hearing {
            municipality,
            state,
            audience,
        }
    }

    #[test]
    fn anonymous_matrix_over_hearings() {
        let m = MunicipalityId::new();
        for state in HearingState::ALL {
            for audience in [Audience::Public, Audience::Invited] {
                for action in ACTIONS {
                    let allowed = can(Actor::Anonymous, action, hearing(m, state, audience));
                    let expected = audience == Audience::Public
                        && state != HearingState::Draft
                        && match action {
                            Action::Read | Action::Subscribe => true,
                            Action::Comment => {
                                matches!(state, HearingState::Open | HearingState::Closed)
                            }
                            _ => false,
                        };
                    assert_eq!(allowed, expected, "{state:?} {audience:?} {action:?}");
                }
            }
        }
    }

    #[test]
    fn planners_act_only_in_their_own_municipality() {
        let own = MunicipalityId::new();
        let other = MunicipalityId::new();
        let planner = Actor::Planner { municipality: own };
        for action in ACTIONS {
            assert!(can(planner, action, Resource::Plan { municipality: own }));
            let elsewhere = can(
                planner,
                action,
                Resource::Plan {
                    municipality: other,
                },
            );
            assert_eq!(
                elsewhere,
                can(
                    Actor::Anonymous,
                    action,
                    Resource::Plan {
                        municipality: other
                    }
                )
            );
            let draft_elsewhere = hearing(other, HearingState::Draft, Audience::Public);
            assert!(!can(planner, action, draft_elsewhere), "{action:?}");
        }
    }

    #[test]
    fn draft_documents_are_hidden_from_the_public() {
        let m = MunicipalityId::new();
        let draft = Resource::Document {
            municipality: m,
            public: false,
        };
        assert!(!can(Actor::Anonymous, Action::Read, draft));
        assert!(!can(Actor::Anonymous, Action::Subscribe, draft));
        assert!(can(
            Actor::Planner { municipality: m },
            Action::Subscribe,
            draft
        ));
    }

    #[test]
    fn nobody_anonymous_creates_or_edits() {
        let m = MunicipalityId::new();
        for resource in [
            Resource::Municipality { id: m },
            Resource::Plan { municipality: m },
            Resource::Document {
                municipality: m,
                public: true,
            },
        ] {
            for action in [
                Action::Create,
                Action::Edit,
                Action::ChangeState,
                Action::Comment,
            ] {
                assert!(!can(Actor::Anonymous, action, resource));
            }
        }
    }
}
