//! The planner's workbench around the register: the plan's statistics, the filters
//! by submitter, theme, date and assignee, the bulk actions on a selection, and a
//! registered letter's sender in their export and forgotten with them.

use crate::assessment::{comment, complete, letter, planner, query, reviewed};
use crate::comments::input;
use crate::responses::representative;
use crate::support::{World, open_hearing};
use consultation::assessment::{AssessmentError, BulkAssessmentCommand, ThemeCommand};
use domain::assessment::{AssessmentState, ChangeAction, Outcome};
use domain::organisation::OrganisationKind;
use domain::policy::{Actor, Role};
use domain::workbench::{SubmitterKind, Tally};
use domain::{InputId, ThemeId};

/// Numbers and row ids of the register as a filter shows it.
async fn listed(world: &World, actor: &Actor, pairs: &[(&str, &str)]) -> Vec<(i32, InputId)> {
    world
        .service
        .plan_register(actor, world.plan.id, &query(pairs))
        .await
        .expect("register")
        .inputs
        .iter()
        .map(|i| (i.entry.number, i.entry.id))
        .collect()
}

fn numbers(rows: &[(i32, InputId)]) -> Vec<i32> {
    rows.iter().map(|(n, _)| *n).collect()
}

/// The world's plan with six inputs: three comments (two on section 1, one on
/// section 2), an elder council's official response, a letter from an
/// organisation and one from a private person; input 1 drafted as followed with
/// the theme "Transport", linked to section 2.
async fn six_inputs(world: &World) -> (Actor, Vec<InputId>, ThemeId) {
    let ann = planner(world, "ann@alver.example", "Ann Planleggjar").await;
    comment(world, "kari@example.org", "Fleire benkar langs gangvegane.").await;
    comment(
        world,
        "per@example.org",
        "Betre busstilbod til dagsenteret.",
    )
    .await;
    let ola = world.citizen("ola@example.org", "Ola Nordmann").await;
    world
        .service
        .post_comment(
            &ola,
            world.hearing.id,
            input(world.sections[1].id, "Fleire møte i bygdene."),
        )
        .await
        .expect("posted");
    let (council, _, organisation) =
        representative(world, "leiar@eldreradet.example", "Leiar Eldrerådet").await;
    world
        .service
        .submit_response(
            &council,
            world.hearing.id,
            consultation::responses::Submission {
                text: "Eldrerådet ønskjer eit dagsenter i kvar bygd.".to_owned(),
                organisation_id: Some(organisation),
                ..Default::default()
            },
        )
        .await
        .expect("response");
    world
        .service
        .register_letter(
            &ann,
            "ann",
            world.plan.id,
            letter("Alver pensjonistlag", "Vi ønskjer eit dagsenter."),
        )
        .await
        .expect("letter");
    let mut private = letter("Eva Hansen", "Eg ønskjer betre brøyting.");
    private.sender_kind = "person".to_owned();
    world
        .service
        .register_letter(&ann, "ann", world.plan.id, private)
        .await
        .expect("letter");
    let rows = listed(world, &ann, &[]).await;
    assert_eq!(numbers(&rows), [1, 2, 3, 4, 5, 6]);
    let ids: Vec<InputId> = rows.iter().map(|(_, id)| *id).collect();
    let theme = world
        .service
        .change_theme(
            &ann,
            world.plan.id,
            ThemeCommand::Create {
                name: "Transport".to_owned(),
            },
        )
        .await
        .expect("theme");
    let mut first = complete();
    first.theme_ids = vec![theme.id];
    first.section_ids = vec![world.sections[1].id];
    world
        .service
        .save_assessment(&ann, "ann", ids[0], first)
        .await
        .expect("drafted");
    (ann, ids, theme.id)
}

fn count_of<K: PartialEq>(list: &[Tally<K>], key: K) -> u64 {
    list.iter().find(|t| t.key == key).map_or(0, |t| t.count)
}

#[tokio::test]
async fn statistics_count_the_inputs_per_section_day_submitter_outcome_and_theme() {
    let world = open_hearing().await;
    let (ann, _, theme) = six_inputs(&world).await;
    let found = world
        .service
        .plan_statistics(&ann, world.plan.id, None)
        .await
        .expect("statistics");
    let s = &found.statistics;
    assert_eq!(s.total, 6);
    // Section 1: two comments; section 2: a comment and the assessment's link.
    assert_eq!(count_of(&s.by_section, world.sections[0].id), 2);
    assert_eq!(count_of(&s.by_section, world.sections[1].id), 2);
    assert_eq!(
        s.by_section.len(),
        found.sections.len(),
        "every section is listed, in order"
    );
    assert_eq!(
        s.by_day,
        vec![Tally {
            key: world.clock_date(),
            count: 6
        }],
        "everything arrived today, by the world's clock"
    );
    assert_eq!(count_of(&s.by_submitter, SubmitterKind::Person), 4);
    assert_eq!(
        count_of(
            &s.by_submitter,
            SubmitterKind::Organisation(OrganisationKind::Council)
        ),
        1
    );
    assert_eq!(
        count_of(&s.by_submitter, SubmitterKind::OtherOrganisation),
        1
    );
    assert_eq!(count_of(&s.by_outcome, Some(Outcome::Followed)), 1);
    assert_eq!(count_of(&s.by_outcome, None), 5);
    assert_eq!(count_of(&s.by_state, AssessmentState::Drafted), 1);
    assert_eq!(count_of(&s.by_state, AssessmentState::Unassessed), 5);
    assert_eq!(
        s.by_theme,
        vec![Tally {
            key: theme,
            count: 1
        }]
    );
    assert_eq!(s.without_theme, 5);

    // One hearing's figures; a hearing of no plan of the actor's is refused.
    let one = world
        .service
        .plan_statistics(&ann, world.plan.id, Some(world.hearing.id))
        .await
        .expect("statistics of the hearing");
    // The letters were registered without a hearing.
    assert_eq!(one.statistics.total, 4);
    let refused = world
        .service
        .plan_statistics(&ann, world.plan.id, Some(domain::HearingId::new()))
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::HearingNotInPlan)),
        "{refused:?}"
    );
    let stranger = world.citizen("x@example.org", "X").await;
    let refused = world
        .service
        .plan_statistics(&stranger, world.plan.id, None)
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::NotSignedIn)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn the_register_filters_by_submitter_theme_dates_and_assignee() {
    let world = open_hearing().await;
    let (ann, ids, theme) = six_inputs(&world).await;
    let rows = |pairs: &'static [(&'static str, &'static str)]| {
        let (world, ann) = (&world, &ann);
        async move { numbers(&listed(world, ann, pairs).await) }
    };
    assert_eq!(rows(&[("submitter", "person")]).await, [1, 2, 3, 6]);
    assert_eq!(rows(&[("submitter", "council")]).await, [4]);
    assert_eq!(rows(&[("submitter", "organisation")]).await, [5]);
    assert_eq!(rows(&[("submitter", "union")]).await, Vec::<i32>::new());
    let theme_id = theme.to_string();
    assert_eq!(
        numbers(&listed(&world, &ann, &[("theme", theme_id.as_str())]).await),
        [1]
    );
    let today = world.clock_date();
    let (yesterday, tomorrow) = (
        today.yesterday().expect("yesterday").to_string(),
        today.tomorrow().expect("tomorrow").to_string(),
    );
    let today = today.to_string();
    let on = |pairs: Vec<(&'static str, String)>| {
        let (world, ann) = (&world, &ann);
        async move {
            let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (*k, v.as_str())).collect();
            numbers(&listed(world, ann, &pairs).await)
        }
    };
    assert_eq!(
        on(vec![("from", today.clone()), ("to", today.clone())])
            .await
            .len(),
        6
    );
    assert!(on(vec![("from", tomorrow)]).await.is_empty());
    assert!(on(vec![("to", yesterday.clone())]).await.is_empty());

    // Assigned to Bob, a planner of the plan: "me" for Bob, "none" for the rest.
    let bob = planner(&world, "bob@alver.example", "Bob Planleggjar").await;
    let bob_id = bob.person.expect("a person");
    world
        .db()
        .add_plan_planner(world.plan.id, bob_id)
        .await
        .expect("planner");
    world
        .service
        .bulk_assign(&ann, "ann", world.plan.id, &[ids[1], ids[4]], Some(bob_id))
        .await
        .expect("assigned");
    assert_eq!(
        numbers(&listed(&world, &bob, &[("assignee", "me")]).await),
        [2, 5]
    );
    assert!(listed(&world, &ann, &[("assignee", "me")]).await.is_empty());
    assert_eq!(rows(&[("assignee", "none")]).await, [1, 3, 4, 6]);
    let by_id = bob_id.to_string();
    assert_eq!(
        numbers(
            &listed(
                &world,
                &ann,
                &[("assignee", by_id.as_str()), ("submitter", "person")]
            )
            .await
        ),
        [2]
    );

    // Unknown keys and bad values are refused, never ignored.
    let parse = |pairs: &[(&str, &str)]| {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        consultation::assessment::RegisterQuery::parse(&pairs)
    };
    assert!(matches!(
        parse(&[("colour", "red")]),
        Err(AssessmentError::UnknownFilter(_))
    ));
    assert!(matches!(
        parse(&[("submitter", "club")]),
        Err(AssessmentError::InvalidFilter(_))
    ));
    assert!(matches!(
        parse(&[("from", "1. mai")]),
        Err(AssessmentError::InvalidFilter(_))
    ));
    assert!(matches!(
        parse(&[("from", today.as_str()), ("to", yesterday.as_str())]),
        Err(AssessmentError::InvalidFilter(_))
    ));
    assert!(matches!(
        parse(&[("assignee", "someone")]),
        Err(AssessmentError::InvalidFilter(_))
    ));
}

#[tokio::test]
async fn a_bulk_assessment_drafts_the_selection_and_names_what_it_left_alone() {
    let world = open_hearing().await;
    let (ann, ids, _) = six_inputs(&world).await;
    let bob = planner(&world, "bob@alver.example", "Bob Planleggjar").await;
    // Input 2 is reviewed already: a bulk action must not touch it.
    reviewed(&world, &ann, &bob, ids[1], "noted").await;
    let command = |inputs: Vec<InputId>| BulkAssessmentCommand {
        inputs,
        summary: "Ønskjer dagsenter.".to_owned(),
        outcome: "partly_followed".to_owned(),
        response: "Vurderast i handlingsdelen.".to_owned(),
    };
    let done = world
        .service
        .bulk_assess(
            &ann,
            "ann",
            world.plan.id,
            command(vec![ids[1], ids[3], ids[4]]),
        )
        .await
        .expect("bulk");
    assert_eq!(done.changed, [4, 5]);
    assert_eq!(done.skipped.len(), 1);
    assert_eq!(
        (done.skipped[0].number, done.skipped[0].state),
        (2, AssessmentState::Reviewed)
    );
    for id in [ids[3], ids[4]] {
        let found = world
            .service
            .input_assessment(&ann, id)
            .await
            .expect("input");
        let a = &found.input.entry.assessment;
        assert_eq!(a.state, AssessmentState::Drafted);
        assert_eq!(a.outcome, Some(Outcome::PartlyFollowed));
        assert_eq!(a.summary, "Ønskjer dagsenter.");
        let last = found.history.last().expect("a history line");
        assert_eq!(last.actor_name, "Ann Planleggjar");
        assert!(
            last.fields.iter().any(|f| f.field == "response"),
            "{last:?}"
        );
    }
    let kept = world
        .service
        .input_assessment(&ann, ids[1])
        .await
        .expect("input");
    assert_eq!(kept.input.entry.assessment.state, AssessmentState::Reviewed);
    assert_eq!(kept.input.entry.assessment.outcome, Some(Outcome::Noted));
    // Input 1 keeps its theme and section when its summary changes in bulk.
    world
        .service
        .bulk_assess(&ann, "ann", world.plan.id, command(vec![ids[0]]))
        .await
        .expect("bulk");
    let first = world
        .service
        .input_assessment(&ann, ids[0])
        .await
        .expect("input");
    assert_eq!(first.input.entry.assessment.themes.len(), 1);
    assert_eq!(
        first.input.entry.assessment.section_ids,
        [world.sections[1].id]
    );

    // An input of another plan in the selection refuses all of it: nothing stored.
    let other_plan = world
        .db()
        .create_plan(db::NewPlan {
            municipality_id: world.municipality,
            slug: "skule".to_owned(),
            title: "Skulebruksplan".to_owned(),
            sector: None,
            period_start: 2025,
            period_end: 2030,
            contact_email: None,
            contact: Default::default(),
            case_number: None,
        })
        .await
        .expect("plan");
    let both = Actor {
        person: ann.person,
        roles: ann
            .roles
            .iter()
            .cloned()
            .chain([Role::Planner {
                municipality: world.municipality,
                plan: other_plan.id,
            }])
            .collect(),
        ..Default::default()
    };
    world
        .service
        .register_letter(&both, "ann", other_plan.id, letter("Skulen", "Ny gymsal."))
        .await
        .expect("letter of the other plan");
    let foreign = world
        .service
        .plan_register(&both, other_plan.id, &query(&[]))
        .await
        .expect("register")
        .inputs[0]
        .entry
        .id;
    let refused = world
        .service
        .bulk_assess(
            &both,
            "ann",
            world.plan.id,
            BulkAssessmentCommand {
                summary: "Anna samandrag".to_owned(),
                ..command(vec![ids[2], foreign])
            },
        )
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::InputNotFound)),
        "{refused:?}"
    );
    let untouched = world
        .service
        .input_assessment(&ann, ids[2])
        .await
        .expect("input");
    assert_eq!(
        untouched.input.entry.assessment.state,
        AssessmentState::Unassessed
    );
    assert!(untouched.history.is_empty());

    // Bad selections and values are refused before anything is written.
    let refused = world
        .service
        .bulk_assess(&ann, "ann", world.plan.id, command(Vec::new()))
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::NothingSelected)),
        "{refused:?}"
    );
    let refused = world
        .service
        .bulk_assess(
            &ann,
            "ann",
            world.plan.id,
            BulkAssessmentCommand {
                outcome: "maybe".to_owned(),
                ..command(vec![ids[2]])
            },
        )
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::UnknownValue { .. })),
        "{refused:?}"
    );
    let refused = world
        .service
        .bulk_assess(
            &ann,
            "ann",
            world.plan.id,
            BulkAssessmentCommand {
                summary: "  ".to_owned(),
                ..command(vec![ids[2]])
            },
        )
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::Invalid(_))),
        "{refused:?}"
    );
    let stranger = world.citizen("x@example.org", "X").await;
    let refused = world
        .service
        .bulk_assess(&stranger, "x", world.plan.id, command(vec![ids[2]]))
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::NotSignedIn)),
        "{refused:?}"
    );
    let untouched = world
        .service
        .input_assessment(&ann, ids[2])
        .await
        .expect("input");
    assert!(untouched.history.is_empty());
}

#[tokio::test]
async fn a_theme_and_an_assignee_are_given_to_a_selection() {
    let world = open_hearing().await;
    let (ann, ids, transport) = six_inputs(&world).await;
    let bob = planner(&world, "bob@alver.example", "Bob Planleggjar").await;
    reviewed(&world, &ann, &bob, ids[1], "noted").await;
    let health = world
        .service
        .change_theme(
            &ann,
            world.plan.id,
            ThemeCommand::Create {
                name: "Helse".to_owned(),
            },
        )
        .await
        .expect("theme");
    let done = world
        .service
        .bulk_set_theme(
            &ann,
            "ann",
            world.plan.id,
            &[ids[0], ids[1], ids[2]],
            health.id,
        )
        .await
        .expect("themed");
    assert_eq!(done.changed, [1, 3]);
    assert_eq!(
        done.skipped.iter().map(|s| s.number).collect::<Vec<_>>(),
        [2]
    );
    let first = world
        .service
        .input_assessment(&ann, ids[0])
        .await
        .expect("input");
    let mut names: Vec<&str> = first
        .input
        .entry
        .assessment
        .themes
        .iter()
        .map(|t| t.name.as_str())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["Helse", "Transport"],
        "the theme is added to those it had"
    );
    let third = world
        .service
        .input_assessment(&ann, ids[2])
        .await
        .expect("input");
    assert_eq!(third.input.entry.assessment.state, AssessmentState::Drafted);
    let second = world
        .service
        .input_assessment(&ann, ids[1])
        .await
        .expect("input");
    assert_eq!(
        second.input.entry.assessment.state,
        AssessmentState::Reviewed
    );
    assert!(second.input.entry.assessment.themes.is_empty());
    let refused = world
        .service
        .bulk_set_theme(&ann, "ann", world.plan.id, &[ids[3]], ThemeId::new())
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::UnknownTheme)),
        "{refused:?}"
    );
    let _ = transport;

    // Assigning is not assessing: a reviewed input is assigned too. Only the plan's
    // planners can be assignees.
    let bob_id = bob.person.expect("a person");
    world
        .db()
        .add_plan_planner(world.plan.id, bob_id)
        .await
        .expect("planner");
    let done = world
        .service
        .bulk_assign(&ann, "ann", world.plan.id, &[ids[1], ids[5]], Some(bob_id))
        .await
        .expect("assigned");
    assert_eq!(done.changed, [2, 6]);
    let assigned = world
        .service
        .input_assessment(&ann, ids[1])
        .await
        .expect("input");
    assert_eq!(assigned.input.entry.assignee_id, Some(bob_id));
    assert_eq!(
        assigned.input.entry.assessment.state,
        AssessmentState::Reviewed
    );
    // Each assigned input's history names who assigned it to whom.
    for id in [ids[1], ids[5]] {
        let found = world
            .service
            .input_assessment(&ann, id)
            .await
            .expect("input");
        let last = found.history.last().expect("a history line");
        assert_eq!(last.action, ChangeAction::Assigned);
        assert_eq!(last.actor_name, "Ann Planleggjar");
        assert_eq!(last.person_id, ann.person);
        assert_eq!(last.fields.len(), 1);
        assert_eq!(last.fields[0].field, "assignee");
        assert_eq!(last.fields[0].before, "");
        assert_eq!(last.fields[0].after, "Bob Planleggjar");
    }
    let lines_before = assigned.history.len();
    // Assigning to the one already assigned changes nothing and writes no line.
    world
        .service
        .bulk_assign(&ann, "ann", world.plan.id, &[ids[1]], Some(bob_id))
        .await
        .expect("assigned again");
    let again = world
        .service
        .input_assessment(&ann, ids[1])
        .await
        .expect("input");
    assert_eq!(again.history.len(), lines_before);
    let stranger = world.citizen("x@example.org", "X").await;
    let refused = world
        .service
        .bulk_assign(&ann, "ann", world.plan.id, &[ids[3]], stranger.person)
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::UnknownAssignee)),
        "{refused:?}"
    );
    // Unassigned again.
    world
        .service
        .bulk_assign(&ann, "ann", world.plan.id, &[ids[1]], None)
        .await
        .expect("unassigned");
    let unassigned = world
        .service
        .input_assessment(&ann, ids[1])
        .await
        .expect("input");
    assert_eq!(unassigned.input.entry.assignee_id, None);
    let last = unassigned.history.last().expect("a history line");
    assert_eq!(last.action, ChangeAction::Assigned);
    assert_eq!(
        (
            last.fields[0].before.as_str(),
            last.fields[0].after.as_str()
        ),
        ("Bob Planleggjar", "")
    );
    assert_eq!(unassigned.history.len(), lines_before + 1);
}

#[tokio::test]
async fn a_letter_from_a_known_person_is_in_their_export_and_loses_its_sender_when_they_are_forgotten()
 {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann Planleggjar").await;
    let kari = world.citizen("kari@example.org", "Kari Nordmann").await;
    let kari_id = kari.person.expect("a person");
    let mut from_kari = letter("Kari Nordmann", "Eg ønskjer fleire benkar.");
    from_kari.sender_kind = "person".to_owned();
    from_kari.sender_contact = "Kari@Example.org".to_owned();
    let stored = world
        .service
        .register_letter(&ann, "ann", world.plan.id, from_kari)
        .await
        .expect("letter");
    assert_eq!(
        stored.sender_person_id,
        Some(kari_id),
        "the address is Kari's"
    );
    // An organisation's letter naming the same address is the organisation's.
    let mut from_club = letter("Alver pensjonistlag", "Vi ønskjer eit dagsenter.");
    from_club.sender_contact = "kari@example.org".to_owned();
    let club = world
        .service
        .register_letter(&ann, "ann", world.plan.id, from_club)
        .await
        .expect("letter");
    assert_eq!(club.sender_person_id, None);
    // A postal address links no one.
    let mut by_post = letter("Per Hansen", "Brøyt vegen.");
    by_post.sender_kind = "person".to_owned();
    by_post.sender_contact = "Storgata 1, 5914 Isdalstø".to_owned();
    let posted = world
        .service
        .register_letter(&ann, "ann", world.plan.id, by_post)
        .await
        .expect("letter");
    assert_eq!(posted.sender_person_id, None);
    assert_eq!(
        posted.sender_contact.as_deref(),
        Some("Storgata 1, 5914 Isdalstø")
    );

    let data = world
        .service
        .person_data(&kari, kari_id)
        .await
        .expect("export");
    assert_eq!(data.letters_sent.len(), 1, "{:?}", data.letters_sent);
    let sent = &data.letters_sent[0];
    assert_eq!(sent.sender_name, "Kari Nordmann");
    assert_eq!(sent.sender_contact.as_deref(), Some("Kari@Example.org"));
    assert_eq!(sent.text, "Eg ønskjer fleire benkar.");

    let done = world
        .service
        .forget_person(&kari, kari_id)
        .await
        .expect("forgotten");
    assert_eq!(done.letters, 1);
    let letter_after = world.db().letter(stored.id).await.expect("letter");
    assert_eq!(letter_after.sender_name, "");
    assert_eq!(letter_after.sender_contact, None);
    assert_eq!(letter_after.sender_person_id, None);
    assert_eq!(
        letter_after.text, "Eg ønskjer fleire benkar.",
        "the text stays for the record"
    );
    let club_after = world.db().letter(club.id).await.expect("letter");
    assert_eq!(club_after.sender_name, "Alver pensjonistlag");
    let posted_after = world.db().letter(posted.id).await.expect("letter");
    assert_eq!(posted_after.sender_name, "Per Hansen");
    // The register shows the letter without a sender.
    let register = world
        .service
        .plan_register(&ann, world.plan.id, &query(&[("kind", "letter")]))
        .await
        .expect("register");
    let row = register
        .inputs
        .iter()
        .find(|i| i.entry.number == stored.number)
        .expect("still registered");
    assert_eq!(row.sender().0, "");
}
