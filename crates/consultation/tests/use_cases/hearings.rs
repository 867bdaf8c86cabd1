//! Hearings and plans: the pbl rules, the lifecycle and who may change them.

use crate::support::open_hearing;
use consultation::hearings::{HearingError, NewHearingCommand};
use consultation::plans::{NewPlanCommand, PlanError};
use domain::deadline::DeadlineError;
use domain::event::EventPayload;
use domain::hearing::{HearingState, Transition};
use domain::policy::{Actor, Role};

fn command(version: domain::DocumentVersionId) -> NewHearingCommand {
    NewHearingCommand {
        document_version_id: version.0,
        title: "Høyring av planforslaget".to_owned(),
        opens_on: Some("2027-01-04".to_owned()),
        ..NewHearingCommand::default()
    }
}

#[tokio::test]
async fn a_pbl_hearing_shorter_than_six_weeks_needs_a_written_reason() {
    let world = open_hearing().await;
    let version = world.hearing.document_version_id;
    let mut short = command(version);
    short.weeks = Some(4);
    let refused = world
        .service
        .create_hearing(&world.planner(), "planner".to_owned(), short.clone())
        .await;
    assert!(
        matches!(
            refused,
            Err(HearingError::Deadline(DeadlineError::TooShortForPbl {
                weeks: 4
            }))
        ),
        "{refused:?}"
    );
    short.override_reason = Some("Lovpålagd frist i forskrift".to_owned());
    let (hearing, deadline) = world
        .service
        .create_hearing(&world.planner(), "planner".to_owned(), short)
        .await
        .expect("with a reason");
    assert_eq!(hearing.state, HearingState::Draft);
    assert_eq!(deadline.weeks, 4);
    let log = world.db().hearing_changes(hearing.id).await.expect("log");
    assert!(
        log.iter().any(|c| c.actor.contains("Lovpålagd frist")),
        "the reason is logged: {log:?}"
    );
}

#[tokio::test]
async fn another_municipalitys_planner_sees_no_document_to_put_on_hearing() {
    let world = open_hearing().await;
    let stranger = Actor {
        person: None,
        roles: vec![Role::Administrator {
            municipality: domain::MunicipalityId::new(),
        }],
        ..Default::default()
    };
    let refused = world
        .service
        .create_hearing(
            &stranger,
            "x".to_owned(),
            command(world.hearing.document_version_id),
        )
        .await;
    assert!(
        matches!(refused, Err(HearingError::UnknownDocumentVersion)),
        "{refused:?}"
    );
    let public = world
        .service
        .create_hearing(
            &Actor::anonymous(),
            "x".to_owned(),
            command(world.hearing.document_version_id),
        )
        .await;
    assert!(matches!(public, Err(HearingError::NotSignedIn)));
}

#[tokio::test]
async fn closing_and_assessing_are_logged_and_announced_and_a_wrong_step_is_refused() {
    let world = open_hearing().await;
    let planner = world.planner();
    let refused = world
        .service
        .change_hearing_state(
            &planner,
            "planner",
            &world.hearing,
            Transition::Schedule,
            None,
        )
        .await;
    assert!(
        matches!(
            refused,
            Err(HearingError::InvalidTransition {
                current: HearingState::Open,
                transition: Transition::Schedule
            })
        ),
        "{refused:?}"
    );
    let closed = world
        .service
        .change_hearing_state(
            &planner,
            "planner",
            &world.hearing,
            Transition::Close,
            Some("Planen blir trekt".to_owned()),
        )
        .await
        .expect("closed");
    assert_eq!(closed.state, HearingState::Closed);
    assert!(
        world
            .events()
            .iter()
            .any(|e| matches!(e.payload, EventPayload::HearingUpdated(_))),
        "the change is announced"
    );
    let citizen = world.citizen("kari@example.org", "Kari").await;
    let forbidden = world
        .service
        .change_hearing_state(&citizen, "kari", &closed, Transition::Complete, None)
        .await;
    assert!(
        matches!(forbidden, Err(HearingError::NotSignedIn)),
        "{forbidden:?}"
    );
}

#[tokio::test]
async fn a_plan_is_made_by_staff_with_a_unique_slug_and_its_maker_plans_it() {
    let world = open_hearing().await;
    let person = world
        .db()
        .ensure_person(
            "planleggar@alver.example",
            "Per Planleggar",
            domain::Lang::Nn,
        )
        .await
        .expect("person");
    let staff = Actor::person(
        person.id,
        vec![Role::Staff {
            municipality: world.municipality,
        }],
    );
    let command = NewPlanCommand {
        slug: "bustad".to_owned(),
        title: "Bustadsosial plan".to_owned(),
        period_start: 2026,
        period_end: 2030,
        ..NewPlanCommand::default()
    };
    let plan = world
        .service
        .create_plan(&staff, command.clone())
        .await
        .expect("created");
    let planners = world.db().plan_planners(plan.id).await.expect("planners");
    assert_eq!(
        planners.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![person.id]
    );
    let again = world.service.create_plan(&staff, command.clone()).await;
    assert!(matches!(again, Err(PlanError::SlugTaken)), "{again:?}");
    let mut backwards = command;
    backwards.slug = "attende".to_owned();
    backwards.period_end = 2020;
    assert!(matches!(
        world.service.create_plan(&staff, backwards).await,
        Err(PlanError::InvalidPeriod {
            field: "period_end"
        })
    ));
    let bad_date = world
        .service
        .add_milestone(
            &world.planner(),
            world.plan.id,
            "Vedtak",
            "31.12.2027",
            false,
        )
        .await;
    assert!(matches!(bad_date, Err(PlanError::InvalidDate)));
    // Staff who do not plan this plan cannot change its milestones.
    let other = world
        .service
        .add_milestone(&staff, world.plan.id, "Vedtak", "2027-12-31", false)
        .await;
    assert!(matches!(other, Err(PlanError::PlanNotFound)), "{other:?}");
}

#[tokio::test]
async fn a_plan_without_a_slug_gets_one_from_its_title_numbered_when_taken() {
    let world = open_hearing().await;
    let command = NewPlanCommand {
        slug: "  ".to_owned(),
        title: "Kommunedelplan for helse og omsorg på Ørsta".to_owned(),
        period_start: 2026,
        period_end: 2030,
        ..NewPlanCommand::default()
    };
    let first = world
        .service
        .create_plan(&world.planner(), command.clone())
        .await
        .expect("created");
    assert_eq!(first.slug, "kommunedelplan-for-helse-og-omsorg-pa-orsta");
    let second = world
        .service
        .create_plan(&world.planner(), command.clone())
        .await
        .expect("created with a numbered slug");
    assert_eq!(second.slug, "kommunedelplan-for-helse-og-omsorg-pa-orsta-2");
    // A slug the planner chose is never changed behind their back.
    let mut chosen = command.clone();
    chosen.slug = first.slug.clone();
    let taken = world.service.create_plan(&world.planner(), chosen).await;
    assert!(matches!(taken, Err(PlanError::SlugTaken)), "{taken:?}");
    // A title with no letter to start from gives no slug: the field is asked for.
    let mut digits = command;
    digits.title = "2026–2030".to_owned();
    let refused = world.service.create_plan(&world.planner(), digits).await;
    assert!(
        matches!(&refused, Err(PlanError::Invalid(e)) if e.field == "slug"),
        "{refused:?}"
    );
}
