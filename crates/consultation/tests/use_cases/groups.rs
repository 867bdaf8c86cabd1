//! Groups, invitations and memberships: who may create and invite, what is emailed,
//! what a member list does with bad rows, and what an invitation link grants when.

use crate::support::{World, open_hearing};
use consultation::access::group_resource;
use consultation::groups::{GroupError, InviteInput, InviteOutcome};
use consultation::invitations::InvitationError;
use domain::email::Email;
use domain::group::Group;
use domain::invitation::InvitationStatus;
use domain::policy::{Action, Actor, Role, can};
use domain::{GroupId, PersonId};
use jiff::SignedDuration;

const PLANNER: &str = "planlegg@alver.example";
const SESSION: SignedDuration = SignedDuration::from_hours(24);

fn person(name: &str, email: &str) -> InviteInput {
    InviteInput {
        name: name.to_owned(),
        email: email.to_owned(),
        role: "member".to_owned(),
        ..InviteInput::default()
    }
}

async fn elder_council(world: &World) -> Group {
    world
        .service
        .create_group(
            &world.planner(),
            world.plan.id,
            "elder_council",
            "Eldrerådet",
        )
        .await
        .expect("the plan's planner creates a group")
}

/// The invitation links emailed to `email`, through the outbox.
async fn invitation_links(world: &World, email: &str) -> Vec<String> {
    world
        .db()
        .recent_emails(100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|job| job.recipient == email)
        .filter_map(|job| match job.envelope.email {
            Email::Invitation { link, .. } => Some(link),
            _ => None,
        })
        .collect()
}

/// The token of the one invitation emailed to `email`.
async fn token_for(world: &World, email: &str) -> String {
    let links = invitation_links(world, email).await;
    assert_eq!(links.len(), 1, "one invitation email to {email}: {links:?}");
    let (_, token) = links[0]
        .split_once("/invitations/accept?token=")
        .expect("an acceptance link");
    token.to_owned()
}

async fn invite(world: &World, group: &Group, name: &str, email: &str) -> InviteOutcome {
    world
        .service
        .invite_one(&world.planner(), PLANNER, group.id, person(name, email))
        .await
        .expect("invited")
}

fn roles_changed(world: &World) -> Vec<PersonId> {
    world
        .published
        .0
        .lock()
        .expect("lock")
        .roles_changed
        .clone()
}

async fn statuses(world: &World, group: GroupId) -> Vec<InvitationStatus> {
    world
        .db()
        .invitations_of_group(group)
        .await
        .expect("invitations")
        .iter()
        .map(|i| i.invitation.status(world.service.now()))
        .collect()
}

#[tokio::test]
async fn only_a_planner_of_the_plan_creates_its_groups() {
    let world = open_hearing().await;
    let elsewhere = world
        .db()
        .create_municipality("annavik", "Annavik kommune")
        .await
        .expect("municipality");
    let other_staff = Actor {
        person: None,
        roles: vec![Role::Staff {
            municipality: elsewhere.id,
        }],
        ..Default::default()
    };
    let member = Actor::person(
        PersonId::new(),
        vec![Role::Member {
            municipality: world.municipality,
            plan: world.plan.id,
            group: GroupId::new(),
            chair: true,
        }],
    );
    for refused in [other_staff, member] {
        let result = world
            .service
            .create_group(
                &refused,
                world.plan.id,
                "reference_group",
                "Referansegruppa",
            )
            .await;
        // Refused as if the plan did not exist.
        assert!(
            matches!(result, Err(GroupError::PlanNotFound)),
            "{refused:?}: {result:?}"
        );
    }
    let stored = world.db().groups_of_plan(world.plan.id).await.expect("db");
    assert!(stored.is_empty(), "nothing was stored: {stored:?}");

    let created = world
        .service
        .create_group(
            &world.planner(),
            world.plan.id,
            "reference_group",
            "Referansegruppa",
        )
        .await
        .expect("the planner may");
    let stored = world.db().groups_of_plan(world.plan.id).await.expect("db");
    assert_eq!(stored, vec![created]);
}

#[tokio::test]
async fn an_invitation_is_emailed_once_and_inviting_again_replaces_the_pending_one() {
    let world = open_hearing().await;
    let group = elder_council(&world).await;
    let InviteOutcome::Invited { invitation, .. } =
        invite(&world, &group, "Olga Eldre", "olga@eldre.example").await
    else {
        panic!("Olga is not a member yet");
    };
    assert_eq!(world.email_wakes(), 1, "the email worker was woken");
    let links = invitation_links(&world, "olga@eldre.example").await;
    assert_eq!(links.len(), 1, "{links:?}");
    assert!(
        links[0].starts_with("https://samrad.example/invitations/accept?token="),
        "{}",
        links[0]
    );
    assert_eq!(
        invitation.expires_at,
        world
            .service
            .now()
            .checked_add(domain::invitation::validity())
            .expect("in 14 days"),
        "valid 14 days from the service's clock"
    );

    // The same address again: a new link, and the old invitation is no longer pending.
    let InviteOutcome::Invited {
        invitation: again, ..
    } = invite(&world, &group, "Olga Eldre", "OLGA@eldre.example").await
    else {
        panic!("Olga is still not a member");
    };
    assert_ne!(again.id, invitation.id);
    let mut statuses = statuses(&world, group.id).await;
    statuses.sort_by_key(|s| s.as_str());
    assert_eq!(
        statuses,
        vec![InvitationStatus::Pending, InvitationStatus::Revoked],
        "one pending invitation per person and group"
    );
    assert_eq!(
        world
            .db()
            .invitation(invitation.id)
            .await
            .expect("kept")
            .status(world.service.now()),
        InvitationStatus::Revoked
    );
    assert_eq!(world.email_wakes(), 2);
}

#[tokio::test]
async fn a_member_list_with_a_bad_row_is_refused_whole_unless_the_bad_rows_are_skipped() {
    let world = open_hearing().await;
    let group = elder_council(&world).await;
    let csv = "name,email,organisation,group,role\n\
        Olga Eldre,olga@eldre.example,,,\n\
        Utan Adresse,ikkje-ei-adresse,,,\n\
        Nils Eldre,nils@eldre.example,,,leiar\n";
    let refused = world
        .service
        .import_roster(&world.planner(), PLANNER, group.id, csv.as_bytes(), false)
        .await;
    assert!(
        matches!(
            refused,
            Err(GroupError::InvalidRows {
                rows: 3,
                valid: 2,
                invalid: 1
            })
        ),
        "{refused:?}"
    );
    assert!(
        statuses(&world, group.id).await.is_empty(),
        "nobody invited"
    );
    assert_eq!(world.email_wakes(), 0, "nothing emailed");
    assert!(
        world
            .db()
            .recent_emails(10)
            .await
            .expect("outbox")
            .is_empty(),
        "nothing queued"
    );

    let (preview, outcomes) = world
        .service
        .import_roster(&world.planner(), PLANNER, group.id, csv.as_bytes(), true)
        .await
        .expect("the good rows are invited");
    assert_eq!((preview.valid, preview.invalid), (2, 1));
    let mut invited: Vec<String> = outcomes
        .iter()
        .map(|o| match o {
            InviteOutcome::Invited { person, .. } => person.email.clone(),
            InviteOutcome::AlreadyMember { person } => panic!("{} is no member", person.email),
        })
        .collect();
    invited.sort();
    assert_eq!(invited, vec!["nils@eldre.example", "olga@eldre.example"]);
    let mut stored: Vec<String> = world
        .db()
        .invitations_of_group(group.id)
        .await
        .expect("invitations")
        .into_iter()
        .map(|i| i.person.email)
        .collect();
    stored.sort();
    assert_eq!(stored, invited);
    assert_eq!(
        world
            .db()
            .recent_emails(10)
            .await
            .expect("outbox")
            .iter()
            .map(|j| j.recipient.as_str())
            .filter(|r| *r == "ikkje-ei-adresse")
            .count(),
        0
    );
    assert_eq!(world.email_wakes(), 1);
}

/// Nothing was granted to `person` in `group`.
async fn granted_nothing(world: &World, group: &Group, person: PersonId) {
    let members = world.db().members(group.id).await.expect("members");
    assert!(members.is_empty(), "no member: {members:?}");
    let roles = world
        .db()
        .roles(person, Some(world.municipality))
        .await
        .expect("roles");
    assert!(roles.is_empty(), "no role: {roles:?}");
    assert!(roles_changed(world).is_empty());
}

#[tokio::test]
async fn an_expired_invitation_cannot_be_accepted_and_grants_nothing() {
    let world = open_hearing().await;
    let group = elder_council(&world).await;
    let InviteOutcome::Invited { person, .. } =
        invite(&world, &group, "Olga Eldre", "olga@eldre.example").await
    else {
        panic!("invited");
    };
    let token = token_for(&world, "olga@eldre.example").await;
    // Shown while pending, by the service's clock.
    let shown = world
        .service
        .invitation_by_link(&token)
        .await
        .expect("pending");
    assert_eq!(shown.group.id, group.id);

    world.clock.set(
        world
            .service
            .now()
            .checked_add(SignedDuration::from_hours(24 * 14 + 1))
            .expect("past 14 days"),
    );
    let shown = world.service.invitation_by_link(&token).await;
    assert!(matches!(shown, Err(InvitationError::Unusable)), "{shown:?}");
    let accepted = world.service.accept_invitation(&token, SESSION).await;
    assert!(
        matches!(accepted, Err(InvitationError::Unusable)),
        "{accepted:?}"
    );
    granted_nothing(&world, &group, person.id).await;
}

#[tokio::test]
async fn a_revoked_invitation_cannot_be_accepted_and_grants_nothing() {
    let world = open_hearing().await;
    let group = elder_council(&world).await;
    let InviteOutcome::Invited { invitation, person } =
        invite(&world, &group, "Olga Eldre", "olga@eldre.example").await
    else {
        panic!("invited");
    };
    let token = token_for(&world, "olga@eldre.example").await;
    world
        .service
        .revoke_invitation(&world.planner(), invitation.id)
        .await
        .expect("revoked");
    let accepted = world.service.accept_invitation(&token, SESSION).await;
    assert!(
        matches!(accepted, Err(InvitationError::Unusable)),
        "{accepted:?}"
    );
    granted_nothing(&world, &group, person.id).await;
    // And it stays revoked: it cannot be revoked (or resent) again.
    let again = world
        .service
        .revoke_invitation(&world.planner(), invitation.id)
        .await;
    assert!(
        matches!(again, Err(GroupError::InvitationClosed)),
        "{again:?}"
    );
}

#[tokio::test]
async fn accepting_makes_a_member_and_removing_them_rechecks_their_subscriptions() {
    let world = open_hearing().await;
    let group = elder_council(&world).await;
    let InviteOutcome::Invited { person, .. } =
        invite(&world, &group, "Olga Eldre", "olga@eldre.example").await
    else {
        panic!("invited");
    };
    let token = token_for(&world, "olga@eldre.example").await;
    // Late on the last day is still in time.
    world.clock.set(
        world
            .service
            .now()
            .checked_add(SignedDuration::from_hours(24 * 14 - 1))
            .expect("day 14"),
    );
    let accepted = world
        .service
        .accept_invitation(&token, SESSION)
        .await
        .expect("accepted");
    assert_eq!(accepted.signed_in.person.id, person.id);
    assert_eq!(accepted.signed_in.municipality, Some(world.municipality));
    assert!(!accepted.session_secret.is_empty());
    let members = world.db().members(group.id).await.expect("members");
    assert_eq!(
        members.iter().map(|m| m.person.id).collect::<Vec<_>>(),
        vec![person.id]
    );
    let roles = world
        .db()
        .roles(person.id, accepted.signed_in.municipality)
        .await
        .expect("roles");
    assert!(
        roles.contains(&Role::Member {
            municipality: world.municipality,
            plan: world.plan.id,
            group: group.id,
            chair: false,
        }),
        "{roles:?}"
    );
    let olga = Actor::person(person.id, roles);
    assert!(can(
        &olga,
        Action::Read,
        group_resource(&world.plan, &group)
    ));
    assert_eq!(roles_changed(&world), vec![person.id]);
    // A link works once.
    let again = world.service.accept_invitation(&token, SESSION).await;
    assert!(matches!(again, Err(InvitationError::Unusable)), "{again:?}");

    // Someone who does not plan the plan cannot remove her, and nobody is told.
    let member = Actor::person(
        PersonId::new(),
        vec![Role::Member {
            municipality: world.municipality,
            plan: world.plan.id,
            group: group.id,
            chair: true,
        }],
    );
    let refused = world
        .service
        .remove_member(&member, group.id, person.id)
        .await;
    assert!(
        matches!(refused, Err(GroupError::GroupNotFound)),
        "{refused:?}"
    );
    assert_eq!(roles_changed(&world), vec![person.id]);

    world
        .service
        .remove_member(&world.planner(), group.id, person.id)
        .await
        .expect("removed");
    assert!(
        world
            .db()
            .members(group.id)
            .await
            .expect("members")
            .is_empty(),
        "no longer a member"
    );
    assert_eq!(
        roles_changed(&world),
        vec![person.id, person.id],
        "her websockets check their subscriptions again"
    );
}
