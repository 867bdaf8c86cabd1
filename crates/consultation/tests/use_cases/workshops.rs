//! Workshops: who may create, change and cancel them, what the invited are sent
//! (with rising SEQUENCE and a cancellation), answers with needs, the waiting list
//! and its promotion, registration after the start or by someone not invited, the
//! 48-hour reminder queued once, attendance, and the group's page.

use crate::support::{World, open_hearing};
use consultation::Clock;
use consultation::workshops::{TimelineEntry, WorkshopError};
use domain::email::Email;
use domain::group::{Group, GroupKind, MemberRole};
use domain::policy::{Actor, Role};
use domain::workshop::{AgendaDraft, Answer, IgpStage, Needs, Place, Seat, WorkshopDraft};
use jiff::{SignedDuration, Timestamp};

struct Setup {
    world: World,
    group: Group,
    members: Vec<Actor>,
}

fn hours(h: i64) -> SignedDuration {
    SignedDuration::from_hours(h)
}

/// A reference group with `count` members, each able to answer.
async fn setup(count: usize) -> Setup {
    let world = open_hearing().await;
    let group = world
        .db()
        .create_group(world.plan.id, GroupKind::ReferenceGroup, "Referansegruppa")
        .await
        .expect("group");
    let mut members = Vec::new();
    for i in 0..count {
        let person = world
            .db()
            .ensure_person(
                &format!("medlem{i}@alver.example"),
                &format!("Medlem {i}"),
                domain::Lang::Nn,
            )
            .await
            .expect("person");
        world
            .db()
            .add_member(group.id, person.id, MemberRole::Member, None)
            .await
            .expect("member");
        members.push(Actor::person(
            person.id,
            vec![Role::Member {
                municipality: world.municipality,
                plan: world.plan.id,
                group: group.id,
                chair: false,
            }],
        ));
    }
    Setup {
        world,
        group,
        members,
    }
}

fn draft(setup: &Setup, capacity: Option<u32>) -> WorkshopDraft {
    let starts = setup.world.clock.now() + hours(24 * 7);
    WorkshopDraft {
        title: "Arbeidsmøte om trinn 7–10".into(),
        purpose: "Innspel til tiltak i meistringstrappa.".into(),
        starts_at: Some(starts),
        ends_at: Some(starts + hours(3)),
        place: Some(Place {
            address: "Rådhuset, Storgata 1".into(),
            step_free_access: true,
            hearing_loop: true,
            ..Place::default()
        }),
        online_link: None,
        capacity,
        reminder_hours: None,
        groups: vec![setup.group.id],
        agenda: vec![
            AgendaDraft {
                title: "Medverknad".into(),
                sections: vec![setup.world.sections[1].id],
                minutes: 45,
                stages: vec![IgpStage::Individual, IgpStage::Group, IgpStage::Plenum],
            },
            AgendaDraft {
                title: "Kaffi og oppsummering".into(),
                sections: vec![],
                minutes: 15,
                stages: vec![],
            },
        ],
        readings: vec![],
    }
}

/// The workshop letters in the outbox as (recipient, kind, SEQUENCE).
async fn letters(world: &World) -> Vec<(String, String, u32)> {
    let mut out: Vec<_> = world
        .outbox()
        .await
        .into_iter()
        .filter_map(|job| match job.envelope.email {
            Email::WorkshopInvitation { event, .. }
            | Email::WorkshopCancelled { event }
            | Email::WorkshopSeat { event }
            | Email::WorkshopReminder { event, .. } => {
                Some((job.recipient, job.kind, event.sequence))
            }
            _ => None,
        })
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn a_planner_creates_a_workshop_and_every_member_is_invited_once() {
    let s = setup(2).await;
    let w = &s.world;
    let workshop = w
        .service
        .create_workshop(&w.planner(), w.plan.id, &draft(&s, Some(10)))
        .await
        .expect("created");
    assert_eq!(workshop.sequence, 0);
    assert_eq!(workshop.agenda.len(), 2);
    assert_eq!(workshop.agenda[0].sections, vec![w.sections[1].id]);
    assert_eq!(
        workshop.agenda[0].stages,
        vec![IgpStage::Individual, IgpStage::Group, IgpStage::Plenum]
    );
    assert!(workshop.place.as_ref().is_some_and(|p| p.hearing_loop));
    assert_eq!(
        letters(w).await,
        vec![
            (
                "medlem0@alver.example".into(),
                "workshop_invitation".into(),
                0
            ),
            (
                "medlem1@alver.example".into(),
                "workshop_invitation".into(),
                0
            ),
        ]
    );
    // Listed for the plan's planner and for a member; not for a stranger.
    let listed = w
        .service
        .workshops_of_plan(&s.members[0], w.plan.id)
        .await
        .expect("listed");
    assert_eq!(listed.len(), 1);
    let stranger = w.citizen("annan@alver.example", "Annan").await;
    assert!(
        w.service
            .workshops_of_plan(&stranger, w.plan.id)
            .await
            .expect("the plan is public")
            .is_empty()
    );
    assert!(matches!(
        w.service.workshop(&stranger, workshop.id).await,
        Err(WorkshopError::WorkshopNotFound)
    ));
    // The timeline holds it beside the milestones.
    w.db()
        .add_milestone(
            w.plan.id,
            "Vedtak",
            w.clock_date() + jiff::Span::new().days(30),
            false,
        )
        .await
        .expect("milestone");
    let timeline = w
        .service
        .plan_timeline(&w.planner(), w.plan.id)
        .await
        .expect("timeline");
    assert!(matches!(timeline[0], TimelineEntry::Workshop(_)));
    assert!(matches!(timeline[1], TimelineEntry::Milestone(_)));
}

#[tokio::test]
async fn only_planners_create_change_and_cancel_and_bad_drafts_store_nothing() {
    let s = setup(1).await;
    let w = &s.world;
    assert!(matches!(
        w.service
            .create_workshop(&s.members[0], w.plan.id, &draft(&s, None))
            .await,
        Err(WorkshopError::PlanNotFound)
    ));
    let mut bad = draft(&s, None);
    bad.ends_at = bad.starts_at;
    assert!(matches!(
        w.service.create_workshop(&w.planner(), w.plan.id, &bad).await,
        Err(WorkshopError::Invalid(e)) if e.field == "ends_at"
    ));
    let mut foreign = draft(&s, None);
    foreign.groups = vec![domain::GroupId::new()];
    assert!(matches!(
        w.service
            .create_workshop(&w.planner(), w.plan.id, &foreign)
            .await,
        Err(WorkshopError::UnknownGroup)
    ));
    let mut unknown_section = draft(&s, None);
    unknown_section.agenda[0].sections = vec![domain::SectionId::new()];
    assert!(matches!(
        w.service
            .create_workshop(&w.planner(), w.plan.id, &unknown_section)
            .await,
        Err(WorkshopError::UnknownSection)
    ));
    assert!(
        w.db()
            .workshops_of_plan(w.plan.id)
            .await
            .expect("list")
            .is_empty()
    );
    assert!(letters(w).await.is_empty(), "no letter for a refused draft");

    let workshop = w
        .service
        .create_workshop(&w.planner(), w.plan.id, &draft(&s, None))
        .await
        .expect("created");
    assert!(matches!(
        w.service
            .update_workshop(&s.members[0], workshop.id, &draft(&s, None))
            .await,
        Err(WorkshopError::Forbidden)
    ));
    assert!(matches!(
        w.service.cancel_workshop(&s.members[0], workshop.id).await,
        Err(WorkshopError::Forbidden)
    ));
}

#[tokio::test]
async fn changes_raise_the_sequence_and_a_cancellation_is_sent_to_everyone_told() {
    let s = setup(2).await;
    let w = &s.world;
    let workshop = w
        .service
        .create_workshop(&w.planner(), w.plan.id, &draft(&s, None))
        .await
        .expect("created");
    w.service
        .answer_workshop(&s.members[0], workshop.id, "yes", &Needs::default())
        .await
        .expect("answered");
    let mut moved = draft(&s, None);
    moved.starts_at = moved.starts_at.map(|t| t + hours(1));
    moved.ends_at = moved.ends_at.map(|t| t + hours(1));
    let changed = w
        .service
        .update_workshop(&w.planner(), workshop.id, &moved)
        .await
        .expect("changed");
    assert_eq!(changed.sequence, 1);
    assert_eq!(changed.starts_at, moved.starts_at.expect("start"));
    let cancelled = w
        .service
        .cancel_workshop(&w.planner(), workshop.id)
        .await
        .expect("cancelled");
    assert_eq!(cancelled.sequence, 2);
    assert!(cancelled.is_cancelled());
    let mut expected = Vec::new();
    for i in 0..2 {
        let to = format!("medlem{i}@alver.example");
        expected.push((to.clone(), "workshop_cancelled".to_owned(), 2));
        expected.push((to.clone(), "workshop_invitation".to_owned(), 0));
        expected.push((to, "workshop_invitation".to_owned(), 1));
    }
    assert_eq!(letters(w).await, expected);
    // The update says it is one.
    assert!(w.outbox().await.iter().any(|job| matches!(
        &job.envelope.email,
        Email::WorkshopInvitation { update: true, event } if event.sequence == 1
    )));
    // Nothing more can be done to a cancelled workshop.
    assert!(matches!(
        w.service
            .answer_workshop(&s.members[1], workshop.id, "yes", &Needs::default())
            .await,
        Err(WorkshopError::Cancelled)
    ));
    assert!(matches!(
        w.service
            .update_workshop(&w.planner(), workshop.id, &draft(&s, None))
            .await,
        Err(WorkshopError::Cancelled)
    ));
}

#[tokio::test]
async fn past_capacity_a_yes_waits_and_gets_the_seat_someone_gives_up() {
    let s = setup(3).await;
    let w = &s.world;
    let workshop = w
        .service
        .create_workshop(&w.planner(), w.plan.id, &draft(&s, Some(1)))
        .await
        .expect("created");
    let needs = Needs {
        diet: Some(" glutenfri ".into()),
        interpreter: Some("teiknspråk".into()),
        assistant: true,
        ..Needs::default()
    };
    let first = w
        .service
        .answer_workshop(&s.members[0], workshop.id, "yes", &needs)
        .await
        .expect("first yes");
    assert_eq!(first.seat, Seat::Confirmed);
    assert_eq!(first.needs.diet.as_deref(), Some("glutenfri"));
    w.clock.set(w.clock.now() + SignedDuration::from_secs(1));
    let second = w
        .service
        .answer_workshop(&s.members[1], workshop.id, "yes", &Needs::default())
        .await
        .expect("over capacity is no error");
    assert_eq!(second.seat, Seat::Waiting);
    w.clock.set(w.clock.now() + SignedDuration::from_secs(1));
    let third = w
        .service
        .answer_workshop(&s.members[2], workshop.id, "yes", &Needs::default())
        .await
        .expect("over capacity is no error");
    assert_eq!(third.seat, Seat::Waiting);
    // A maybe holds no seat; the first on the waiting list gets it and is told.
    let declined = w
        .service
        .answer_workshop(&s.members[0], workshop.id, "maybe", &needs)
        .await
        .expect("changed answer");
    assert_eq!(declined.seat, Seat::None);
    let seats: Vec<_> = w
        .db()
        .workshop_registrations(workshop.id)
        .await
        .expect("registrations")
        .into_iter()
        .map(|r| (r.person_id, r.seat))
        .collect();
    let person = |a: &Actor| a.person.expect("person");
    assert!(seats.contains(&(person(&s.members[1]), Seat::Confirmed)));
    assert!(seats.contains(&(person(&s.members[2]), Seat::Waiting)));
    assert!(letters(w).await.contains(&(
        "medlem1@alver.example".into(),
        "workshop_seat".into(),
        0
    )));
    // The planner sees who comes and what they need.
    let page = w
        .service
        .workshop_page(&w.planner(), workshop.id)
        .await
        .expect("page");
    assert_eq!(page.turnout.yes, 1);
    assert_eq!(page.turnout.waiting, 1);
    assert_eq!(page.turnout.maybe, 1);
    assert_eq!(page.turnout.unanswered, 0);
    let member0 = page
        .registrants
        .iter()
        .find(|r| r.person.id == person(&s.members[0]))
        .expect("listed");
    assert!(member0.registration.needs.assistant);
    assert_eq!(member0.registration.answer, Answer::Maybe);
    // Members do not see the others' answers.
    let seen = w
        .service
        .workshop_page(&s.members[2], workshop.id)
        .await
        .expect("page");
    assert!(seen.registrants.is_empty());
    assert_eq!(seen.mine.expect("own").seat, Seat::Waiting);
}

#[tokio::test]
async fn no_registration_after_the_start_nor_by_someone_not_invited() {
    let s = setup(1).await;
    let w = &s.world;
    let workshop = w
        .service
        .create_workshop(&w.planner(), w.plan.id, &draft(&s, None))
        .await
        .expect("created");
    // A planner may see the workshop but is not invited.
    assert!(matches!(
        w.service
            .answer_workshop(&w.planner(), workshop.id, "yes", &Needs::default())
            .await,
        Err(WorkshopError::NotInvited)
    ));
    let stranger = w.citizen("annan@alver.example", "Annan").await;
    assert!(matches!(
        w.service
            .answer_workshop(&stranger, workshop.id, "yes", &Needs::default())
            .await,
        Err(WorkshopError::WorkshopNotFound)
    ));
    assert!(matches!(
        w.service
            .answer_workshop(&s.members[0], workshop.id, "perhaps", &Needs::default())
            .await,
        Err(WorkshopError::UnknownAnswer)
    ));
    let too_long = Needs {
        diet: Some("x".repeat(501)),
        ..Needs::default()
    };
    assert!(matches!(
        w.service
            .answer_workshop(&s.members[0], workshop.id, "yes", &too_long)
            .await,
        Err(WorkshopError::Invalid(e)) if e.field == "diet"
    ));
    w.clock.set(workshop.starts_at);
    assert!(matches!(
        w.service
            .answer_workshop(&s.members[0], workshop.id, "yes", &Needs::default())
            .await,
        Err(WorkshopError::RegistrationClosed)
    ));
    assert!(
        w.db()
            .workshop_registrations(workshop.id)
            .await
            .expect("registrations")
            .is_empty(),
        "nothing stored for a refused answer"
    );
}

#[tokio::test]
async fn attendance_is_recorded_on_the_day_for_those_who_answered() {
    let s = setup(2).await;
    let w = &s.world;
    let workshop = w
        .service
        .create_workshop(&w.planner(), w.plan.id, &draft(&s, None))
        .await
        .expect("created");
    let member = s.members[0].person.expect("person");
    w.service
        .answer_workshop(&s.members[0], workshop.id, "yes", &Needs::default())
        .await
        .expect("answered");
    assert!(matches!(
        w.service
            .record_attendance(&w.planner(), workshop.id, member, true)
            .await,
        Err(WorkshopError::AttendanceTooEarly)
    ));
    w.clock.set(workshop.starts_at + hours(1));
    assert!(matches!(
        w.service
            .record_attendance(&s.members[0], workshop.id, member, true)
            .await,
        Err(WorkshopError::Forbidden)
    ));
    assert!(matches!(
        w.service
            .record_attendance(
                &w.planner(),
                workshop.id,
                s.members[1].person.expect("person"),
                true
            )
            .await,
        Err(WorkshopError::NotRegistered)
    ));
    w.service
        .record_attendance(&w.planner(), workshop.id, member, true)
        .await
        .expect("recorded");
    let page = w
        .service
        .workshop_page(&w.planner(), workshop.id)
        .await
        .expect("page");
    assert_eq!(page.turnout.attended, 1);
    assert_eq!(page.registrants[0].registration.attended, Some(true));
}

#[tokio::test]
async fn the_reminder_is_queued_48_hours_before_and_only_once() {
    let s = setup(2).await;
    let w = &s.world;
    let workshop = w
        .service
        .create_workshop(&w.planner(), w.plan.id, &draft(&s, None))
        .await
        .expect("created");
    w.service
        .answer_workshop(&s.members[0], workshop.id, "yes", &Needs::default())
        .await
        .expect("yes");
    w.service
        .answer_workshop(&s.members[1], workshop.id, "no", &Needs::default())
        .await
        .expect("no");
    let before: Timestamp = workshop.starts_at - hours(49);
    assert_eq!(
        notify::scheduler::queue_workshop_reminders(w.db(), before, "https://samrad.example")
            .await
            .expect("ran"),
        0
    );
    let due = workshop.starts_at - hours(47);
    for _ in 0..2 {
        notify::scheduler::queue_workshop_reminders(w.db(), due, "https://samrad.example")
            .await
            .expect("ran");
    }
    assert_eq!(reminders(w).await, vec!["medlem0@alver.example".to_owned()]);
    // A cancelled workshop reminds nobody.
    w.service
        .cancel_workshop(&w.planner(), workshop.id)
        .await
        .expect("cancelled");
    assert_eq!(
        notify::scheduler::queue_workshop_reminders(w.db(), due, "https://samrad.example")
            .await
            .expect("ran"),
        0
    );
}

#[tokio::test]
async fn the_group_page_shows_purpose_members_meetings_and_readings_to_members_only() {
    let s = setup(2).await;
    let w = &s.world;
    let mut with_reading = draft(&s, None);
    let document = w.db().documents_of(w.plan.id).await.expect("documents")[0].clone();
    with_reading.readings = vec![document.id];
    let workshop = w
        .service
        .create_workshop(&w.planner(), w.plan.id, &with_reading)
        .await
        .expect("created");
    w.service
        .set_group_purpose(&w.planner(), s.group.id, "Gi råd om tenester for eldre.")
        .await
        .expect("purpose");
    assert!(matches!(
        w.service
            .set_group_purpose(&s.members[0], s.group.id, "Anna")
            .await,
        Err(WorkshopError::Forbidden)
    ));
    let page = w
        .service
        .group_page(&s.members[0], s.group.id)
        .await
        .expect("a member sees the page");
    assert_eq!(page.purpose, "Gi råd om tenester for eldre.");
    assert_eq!(page.members.len(), 2);
    assert!(page.members.iter().all(|m| m.person.email.is_empty()));
    assert_eq!(page.workshops[0].id, workshop.id);
    assert_eq!(page.readings[0].id, document.id);
    let stranger = w.citizen("annan@alver.example", "Annan").await;
    assert!(matches!(
        w.service.group_page(&stranger, s.group.id).await,
        Err(WorkshopError::GroupNotFound)
    ));
}

/// The recipients of queued workshop reminders.
async fn reminders(world: &World) -> Vec<String> {
    world
        .outbox()
        .await
        .into_iter()
        .filter(|j| j.kind == "workshop_reminder")
        .map(|j| j.recipient)
        .collect()
}

#[tokio::test]
async fn forgetting_a_person_removes_their_answers_and_needs() {
    let s = setup(1).await;
    let w = &s.world;
    let workshop = w
        .service
        .create_workshop(&w.planner(), w.plan.id, &draft(&s, None))
        .await
        .expect("created");
    let needs = Needs {
        accessibility: Some("rullestol".into()),
        ..Needs::default()
    };
    w.service
        .answer_workshop(&s.members[0], workshop.id, "yes", &needs)
        .await
        .expect("answered");
    w.db()
        .anonymise_person(s.members[0].person.expect("person"))
        .await
        .expect("forgotten");
    assert!(
        w.db()
            .workshop_registrations(workshop.id)
            .await
            .expect("registrations")
            .is_empty()
    );
}
