//! The permission matrix: every role × every action × own and other resources.
//!
//! The expected grants are written out below as layers (what the public may, what a
//! participant adds, what a member adds, …), independently of how `can` is written;
//! the test fails on any grant outside them and on any grant missing from them.

use super::*;
use std::collections::BTreeSet;

struct World {
    m: MunicipalityId,
    other_m: MunicipalityId,
    plan: PlanId,
    sibling_plan: PlanId,
    other_plan: PlanId,
    group: GroupId,
    sibling_group: GroupId,
    other_group: GroupId,
    organisation: OrganisationId,
    other_organisation: OrganisationId,
    person: PersonId,
    other_person: PersonId,
}

impl World {
    fn new() -> World {
        World {
            m: MunicipalityId::new(),
            other_m: MunicipalityId::new(),
            plan: PlanId::new(),
            sibling_plan: PlanId::new(),
            other_plan: PlanId::new(),
            group: GroupId::new(),
            sibling_group: GroupId::new(),
            other_group: GroupId::new(),
            organisation: OrganisationId::new(),
            other_organisation: OrganisationId::new(),
            person: PersonId::new(),
            other_person: PersonId::new(),
        }
    }

    /// Every resource, named by how it relates to the actor: `own` (the actor's
    /// municipality, plan, group, organisation, self), `sibling` (another plan or
    /// group in the same municipality) and `other` (another municipality or person).
    fn resources(&self) -> Vec<(String, Resource)> {
        let mut out = vec![
            (
                "municipality:own".into(),
                Resource::Municipality { id: self.m },
            ),
            (
                "municipality:other".into(),
                Resource::Municipality { id: self.other_m },
            ),
        ];
        let plans = [
            ("own", self.m, self.plan),
            ("sibling", self.m, self.sibling_plan),
            ("other", self.other_m, self.other_plan),
        ];
        for (rel, municipality, plan) in plans {
            for (state, published) in [("preparing", false), ("published", true)] {
                out.push((
                    format!("plan:{rel}:{state}"),
                    Resource::Plan {
                        municipality,
                        plan,
                        published,
                    },
                ));
            }
            for (name, audience) in [
                ("none", None),
                ("invited", Some(Audience::Invited)),
                ("public", Some(Audience::Public)),
            ] {
                out.push((
                    format!("document:{rel}:{name}"),
                    Resource::Document {
                        municipality,
                        plan,
                        hearing_audience: audience,
                    },
                ));
            }
            for state in HearingState::ALL {
                for audience in [Audience::Public, Audience::Invited] {
                    out.push((
                        format!("hearing:{rel}:{}:{}", state.as_str(), audience.as_str()),
                        Resource::Hearing {
                            municipality,
                            plan,
                            state,
                            audience,
                        },
                    ));
                }
            }
        }
        for (rel, municipality, plan, group) in [
            ("own", self.m, self.plan, self.group),
            ("sibling", self.m, self.plan, self.sibling_group),
            ("other", self.other_m, self.other_plan, self.other_group),
        ] {
            out.push((
                format!("group:{rel}"),
                Resource::Group {
                    municipality,
                    plan,
                    group,
                },
            ));
            out.push((
                format!("reading:{rel}"),
                Resource::Reading {
                    municipality,
                    plan,
                    group,
                },
            ));
        }
        for (rel, municipality, organisation) in [
            ("own", self.m, self.organisation),
            ("sibling", self.m, self.other_organisation),
            ("other", self.other_m, OrganisationId::new()),
        ] {
            out.push((
                format!("organisation:{rel}"),
                Resource::Organisation {
                    municipality,
                    organisation,
                },
            ));
        }
        out.push((
            "person:own".into(),
            Resource::Person {
                person: self.person,
            },
        ));
        out.push((
            "person:other".into(),
            Resource::Person {
                person: self.other_person,
            },
        ));
        for (rel, municipality, plan, author) in [
            ("own", self.m, self.plan, Some(self.person)),
            ("others", self.m, self.plan, Some(self.other_person)),
            ("anonymous", self.m, self.plan, None),
            (
                "sibling",
                self.m,
                self.sibling_plan,
                Some(self.other_person),
            ),
            (
                "other",
                self.other_m,
                self.other_plan,
                Some(self.other_person),
            ),
        ] {
            out.push((
                format!("input:{rel}"),
                Resource::Input {
                    municipality,
                    plan,
                    author,
                },
            ));
        }
        out
    }

    fn actors(&self) -> Vec<(&'static str, Actor)> {
        let (m, plan, group, person) = (self.m, self.plan, self.group, self.person);
        let member = Role::Member {
            municipality: m,
            plan,
            group,
            chair: false,
        };
        vec![
            ("anonymous", Actor::anonymous()),
            ("participant", Actor::person(person, vec![])),
            ("member", Actor::person(person, vec![member])),
            (
                "chair",
                Actor::person(
                    person,
                    vec![Role::Member {
                        municipality: m,
                        plan,
                        group,
                        chair: true,
                    }],
                ),
            ),
            (
                "representative",
                Actor::person(
                    person,
                    vec![
                        member,
                        Role::Representative {
                            municipality: m,
                            organisation: self.organisation,
                        },
                    ],
                ),
            ),
            (
                "staff",
                Actor::person(person, vec![Role::Staff { municipality: m }]),
            ),
            (
                "planner",
                Actor::person(
                    person,
                    vec![
                        Role::Staff { municipality: m },
                        Role::Planner {
                            municipality: m,
                            plan,
                        },
                    ],
                ),
            ),
            (
                "administrator",
                Actor::person(person, vec![Role::Administrator { municipality: m }]),
            ),
            ("api_token", Actor::api_token(m)),
        ]
    }
}

type Grants = BTreeSet<(String, String)>;

fn grant(set: &mut Grants, resource: &str, actions: &[Action]) {
    for a in actions {
        set.insert((resource.to_owned(), format!("{a:?}")));
    }
}

use Action::*;

const RELS: [&str; 3] = ["own", "sibling", "other"];
const ALL_BUT_STAFFING: [Action; 9] = [
    Read,
    Create,
    Edit,
    Delete,
    ChangeState,
    Subscribe,
    ManageMembers,
    Moderate,
    Comment,
];

/// What anyone may do, signed in or not.
fn public(set: &mut Grants) {
    for rel in ["own", "other"] {
        grant(set, &format!("municipality:{rel}"), &[Read, Subscribe]);
    }
    for rel in RELS {
        // A plan in preparation is not public; one that has published something is.
        grant(set, &format!("plan:{rel}:published"), &[Read, Subscribe]);
        grant(set, &format!("document:{rel}:public"), &[Read, Subscribe]);
        for state in ["open", "closed"] {
            grant(
                set,
                &format!("hearing:{rel}:{state}:public"),
                &[Read, Subscribe, Comment],
            );
        }
        for state in ["scheduled", "assessed"] {
            grant(
                set,
                &format!("hearing:{rel}:{state}:public"),
                &[Read, Subscribe],
            );
        }
        grant(set, &format!("organisation:{rel}"), &[Read]);
    }
}

/// A signed-in person: their own data and their own inputs.
fn participant(set: &mut Grants) {
    public(set);
    grant(set, "person:own", &[Read, Edit, Delete]);
    grant(set, "input:own", &[Read, Edit, Delete]);
}

/// A member of a group on the plan: the plan's invited hearings and their own group.
fn member(set: &mut Grants) {
    participant(set);
    grant(set, "plan:own:preparing", &[Read, Subscribe]);
    grant(set, "document:own:invited", &[Read, Subscribe]);
    for state in ["open", "closed"] {
        grant(
            set,
            &format!("hearing:own:{state}:invited"),
            &[Read, Subscribe, Comment],
        );
    }
    for state in ["scheduled", "assessed"] {
        grant(
            set,
            &format!("hearing:own:{state}:invited"),
            &[Read, Subscribe],
        );
    }
    grant(set, "group:own", &[Read, Subscribe]);
    // The drafts the group is asked to read before its workshops.
    grant(set, "reading:own", &[Read, Subscribe]);
}

/// A staff planner: reads everything in the municipality, creates plans, keeps the
/// organisation register; changes nothing in plans they do not plan.
fn staff(set: &mut Grants) {
    participant(set);
    grant(set, "municipality:own", &[Create, ManageMembers]);
    for rel in ["own", "sibling"] {
        grant(set, &format!("plan:{rel}:preparing"), &[Read, Subscribe]);
        for audience in ["none", "invited"] {
            grant(
                set,
                &format!("document:{rel}:{audience}"),
                &[Read, Subscribe],
            );
        }
        for state in HearingState::ALL {
            for audience in ["public", "invited"] {
                grant(
                    set,
                    &format!("hearing:{rel}:{}:{audience}", state.as_str()),
                    &[Read, Subscribe],
                );
            }
        }
        grant(set, &format!("group:{rel}"), &[Read, Subscribe]);
        grant(set, &format!("reading:{rel}"), &[Read, Subscribe]);
        grant(
            set,
            &format!("organisation:{rel}"),
            &[Create, Edit, Delete, ManageMembers],
        );
    }
}

/// Everything about one plan (`rel`), on top of staff.
fn plans(set: &mut Grants, rel: &str) {
    for state in ["preparing", "published"] {
        grant(
            set,
            &format!("plan:{rel}:{state}"),
            &[
                Read,
                Subscribe,
                Create,
                Edit,
                Delete,
                ChangeState,
                ManageMembers,
                Moderate,
            ],
        );
    }
    for audience in ["none", "invited", "public"] {
        grant(
            set,
            &format!("document:{rel}:{audience}"),
            &[Read, Subscribe, Create, Edit, Delete],
        );
    }
    for state in HearingState::ALL {
        for audience in ["public", "invited"] {
            let actions: Vec<Action> = ALL_BUT_STAFFING
                .into_iter()
                .filter(|a| {
                    *a != Comment || matches!(state, HearingState::Open | HearingState::Closed)
                })
                .collect();
            grant(
                set,
                &format!("hearing:{rel}:{}:{audience}", state.as_str()),
                &actions,
            );
        }
    }
}

fn expected(role: &str) -> Grants {
    let mut set = Grants::new();
    match role {
        "anonymous" => public(&mut set),
        "participant" => participant(&mut set),
        "member" | "chair" => member(&mut set),
        "representative" => {
            member(&mut set);
            grant(&mut set, "organisation:own", &[Represent]);
        }
        "staff" => staff(&mut set),
        "planner" => {
            staff(&mut set);
            plans(&mut set, "own");
            for group in ["own", "sibling"] {
                grant(
                    &mut set,
                    &format!("group:{group}"),
                    &[Create, Edit, Delete, ManageMembers],
                );
            }
            for input in ["own", "others", "anonymous"] {
                grant(&mut set, &format!("input:{input}"), &[Read, Moderate]);
            }
        }
        "administrator" | "api_token" => {
            staff(&mut set);
            grant(&mut set, "municipality:own", &[Edit, ManageStaff]);
            plans(&mut set, "own");
            plans(&mut set, "sibling");
            for group in ["own", "sibling"] {
                grant(
                    &mut set,
                    &format!("group:{group}"),
                    &[Create, Edit, Delete, ManageMembers],
                );
            }
            for input in ["own", "others", "anonymous", "sibling"] {
                grant(&mut set, &format!("input:{input}"), &[Read, Moderate]);
            }
        }
        other => panic!("no expectation for {other}"),
    }
    if role == "api_token" {
        // A token works for the municipality but is nobody: no own data, no own inputs.
        set.retain(|(resource, action)| {
            // A token reads and moderates the plan's inputs, but has none of its own.
            resource != "person:own"
                && (resource != "input:own" || matches!(action.as_str(), "Read" | "Moderate"))
        });
    }
    set
}

#[test]
fn every_role_action_and_resource_follows_the_matrix() {
    let world = World::new();
    let resources = world.resources();
    let mut problems = Vec::new();
    for (role, actor) in world.actors() {
        let expected = expected(role);
        for (name, resource) in &resources {
            for action in Action::ALL {
                let key = (name.clone(), format!("{action:?}"));
                let allowed = can(&actor, action, *resource);
                match (allowed, expected.contains(&key)) {
                    (true, false) => problems.push(format!("{role} may {action:?} {name}")),
                    (false, true) => problems.push(format!("{role} may not {action:?} {name}")),
                    _ => {}
                }
            }
        }
        // Every expectation names a resource that exists in the world.
        for (name, action) in &expected {
            assert!(
                resources.iter().any(|(n, _)| n == name),
                "{role}: {action} on unknown {name}"
            );
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn a_role_in_one_municipality_grants_nothing_in_another() {
    let world = World::new();
    for (role, actor) in world.actors() {
        for (name, resource) in world.resources() {
            if name.split(':').nth(1) != Some("other") {
                continue;
            }
            for action in Action::ALL {
                if can(&actor, action, resource) {
                    assert!(
                        can(&Actor::anonymous(), action, resource),
                        "{role} may {action:?} {name} beyond what anyone may"
                    );
                }
            }
        }
    }
}

#[test]
fn a_scoped_token_sees_only_its_plan_and_a_read_only_token_only_reads() {
    let w = World::new();
    let token = ApiTokenId::new();
    let plan = |plan| Resource::Plan {
        municipality: w.m,
        plan,
        published: false,
    };
    let admin = Actor::api_token(w.m);
    let scoped = Actor::api_token(w.m).scoped(token, Some(w.plan), false);
    for action in Action::ALL {
        assert_eq!(
            can(&scoped, action, plan(w.plan)),
            can(&admin, action, plan(w.plan)),
            "{action:?} on its own plan"
        );
        assert!(
            !can(&scoped, action, plan(w.sibling_plan)),
            "{action:?} on another plan"
        );
        assert!(
            !can(
                &scoped,
                action,
                Resource::Organisation {
                    municipality: w.m,
                    organisation: w.organisation
                }
            ),
            "{action:?} on the register"
        );
    }
    assert!(can(
        &scoped,
        Action::Read,
        Resource::Municipality { id: w.m }
    ));
    assert!(!can(
        &scoped,
        Action::Create,
        Resource::Municipality { id: w.m }
    ));

    let read_only = Actor::api_token(w.m).scoped(token, None, true);
    for action in Action::ALL {
        let reads = matches!(action, Action::Read | Action::Subscribe);
        for resource in [
            plan(w.plan),
            plan(w.sibling_plan),
            Resource::Municipality { id: w.m },
        ] {
            assert_eq!(
                can(&read_only, action, resource),
                reads && can(&admin, action, resource),
                "{action:?} on {resource:?}"
            );
        }
    }
}
