//! The planners' assessment of inputs: letters registered by hand, the plan's register
//! with its stable numbers, filters and search, assessments with their states, the
//! four-eyes rule and history, and the report of a hearing.

use crate::comments::input;
use crate::support::{World, open_hearing};
use consultation::Clock;
use consultation::assessment::{
    AssessmentCommand, AssessmentError, GroupBy, GroupHeading, LetterCommand, RegisterQuery,
    ReportOptions, ThemeCommand,
};
use domain::assessment::{AssessmentState, ChangeAction, InputKind, Outcome};
use domain::policy::{Actor, Role};
use domain::{InputId, PlanId};

/// A signed-in planner of the world's plan.
pub(crate) async fn planner(world: &World, email: &str, name: &str) -> Actor {
    let person = world
        .db()
        .ensure_person(email, name, domain::Lang::Nn)
        .await
        .expect("person");
    Actor::person(
        person.id,
        vec![
            Role::Staff {
                municipality: world.municipality,
            },
            Role::Planner {
                municipality: world.municipality,
                plan: world.plan.id,
            },
        ],
    )
}

pub(crate) fn letter(sender: &str, text: &str) -> LetterCommand {
    LetterCommand {
        sender_name: sender.to_owned(),
        sender_kind: "organisation".to_owned(),
        channel: "letter".to_owned(),
        received_on: "2025-03-01".to_owned(),
        text: text.to_owned(),
        hearing_id: None,
        sender_contact: String::new(),
    }
}

pub(crate) fn query(pairs: &[(&str, &str)]) -> RegisterQuery {
    let pairs: Vec<(String, String)> = pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    RegisterQuery::parse(&pairs).expect("a valid query")
}

async fn register(
    world: &World,
    actor: &Actor,
    pairs: &[(&str, &str)],
) -> Vec<(i32, InputKind, String)> {
    world
        .service
        .plan_register(actor, world.plan.id, &query(pairs))
        .await
        .expect("register")
        .inputs
        .iter()
        .map(|i| (i.entry.number, i.entry.kind, i.text().to_owned()))
        .collect()
}

pub(crate) async fn comment(world: &World, email: &str, body: &str) -> domain::hearing::Comment {
    let author = world.citizen(email, "Kari Nordmann").await;
    world
        .service
        .post_comment(&author, world.hearing.id, input(world.sections[0].id, body))
        .await
        .expect("posted")
        .comment
}

pub(crate) fn complete() -> AssessmentCommand {
    AssessmentCommand {
        summary: "Ønskjer fleire benkar langs gangvegane.".to_owned(),
        outcome: "followed".to_owned(),
        response: "Teke inn i kapittel 2.".to_owned(),
        change: "Nytt tiltak 2.4".to_owned(),
        ..AssessmentCommand::default()
    }
}

async fn input_id(world: &World, actor: &Actor, number: i32) -> InputId {
    world
        .service
        .plan_register(actor, world.plan.id, &query(&[]))
        .await
        .expect("register")
        .inputs
        .iter()
        .find(|i| i.entry.number == number)
        .map(|i| i.entry.id)
        .expect("the number is listed")
}

#[tokio::test]
async fn a_letter_is_registered_with_the_next_number_and_checked_first() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann Planleggjar").await;
    let mut with_hearing = letter("Alver pensjonistlag", "Vi ønskjer eit dagsenter.");
    with_hearing.hearing_id = Some(world.hearing.id);
    with_hearing.received_on = jiff::Timestamp::now()
        .to_zoned(domain::deadline::oslo())
        .date()
        .to_string();
    let stored = world
        .service
        .register_letter(&ann, "ann@alver.example", world.plan.id, with_hearing)
        .await
        .expect("registered");
    assert_eq!(stored.number, 1);
    assert_eq!(stored.registered_by, "Ann Planleggjar");
    assert!(!stored.late);

    // A day in the future, an unknown channel and a text over the limit are refused,
    // and none of them is stored or takes a number.
    let mut future = letter("Ola", "Tekst");
    future.received_on = "2999-01-01".to_owned();
    let refused = world
        .service
        .register_letter(&ann, "ann", world.plan.id, future)
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::ReceivedInFuture)),
        "{refused:?}"
    );
    let mut fax = letter("Ola", "Tekst");
    fax.channel = "fax".to_owned();
    let refused = world
        .service
        .register_letter(&ann, "ann", world.plan.id, fax)
        .await;
    assert!(
        matches!(
            refused,
            Err(AssessmentError::UnknownValue {
                field: "channel",
                ..
            })
        ),
        "{refused:?}"
    );
    let huge = letter("Ola", &"å".repeat(domain::assessment::MAX_LETTER_CHARS + 1));
    let refused = world
        .service
        .register_letter(&ann, "ann", world.plan.id, huge)
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::Invalid(_))),
        "{refused:?}"
    );

    let second = world
        .service
        .register_letter(&ann, "ann", world.plan.id, letter("Ola", "Andre brev"))
        .await
        .expect("registered");
    assert_eq!(second.number, 2, "refused letters took no number");

    // Someone who does not plan the plan is told it does not exist.
    let citizen = world.citizen("per@example.org", "Per").await;
    let refused = world
        .service
        .register_letter(&citizen, "per", world.plan.id, letter("Ola", "x"))
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::NotSignedIn)),
        "{refused:?}"
    );
    let other_plan = Actor::person(
        citizen.person.expect("person"),
        vec![
            Role::Staff {
                municipality: world.municipality,
            },
            Role::Planner {
                municipality: world.municipality,
                plan: PlanId::new(),
            },
        ],
    );
    let refused = world
        .service
        .register_letter(&other_plan, "per", world.plan.id, letter("Ola", "x"))
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::PlanNotFound)),
        "{refused:?}"
    );
}

#[tokio::test]
async fn a_letter_received_after_the_deadline_is_late() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    // The clock moves past the deadline; the letter arrived the day after it.
    let after = world
        .hearing
        .deadline
        .checked_add(jiff::SignedDuration::from_hours(48))
        .expect("later");
    world.clock.set(after);
    let day_after = world
        .hearing
        .deadline
        .to_zoned(domain::deadline::oslo())
        .date()
        .tomorrow()
        .expect("a day");
    let mut late = letter("Ola", "Sein merknad");
    late.hearing_id = Some(world.hearing.id);
    late.received_on = day_after.to_string();
    let stored = world
        .service
        .register_letter(&ann, "ann", world.plan.id, late)
        .await
        .expect("registered");
    assert!(stored.late);
    let late_only = register(&world, &ann, &[("late", "true")]).await;
    assert_eq!(
        late_only,
        vec![(1, InputKind::Letter, "Sein merknad".to_owned())]
    );
}

#[tokio::test]
async fn the_register_numbers_every_input_once_in_arrival_order_and_keeps_the_numbers() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    let first = comment(&world, "a@example.org", "Fleire barnehagar i bygda.").await;
    let reply_author = world.citizen("b@example.org", "Bjørn").await;
    let mut reply = input(world.sections[0].id, "Einig, og nær skulen.");
    reply.parent_id = Some(first.id);
    world
        .service
        .post_comment(&reply_author, world.hearing.id, reply)
        .await
        .expect("reply");
    let listed = register(&world, &ann, &[]).await;
    assert_eq!(
        listed.iter().map(|r| r.0).collect::<Vec<_>>(),
        vec![1, 2],
        "{listed:?}"
    );
    // A letter registered later comes after; a later comment after the letter.
    world
        .service
        .register_letter(&ann, "ann", world.plan.id, letter("Lag", "Brev om vegar"))
        .await
        .expect("letter");
    comment(&world, "c@example.org", "Betre bussar.").await;
    let listed = register(&world, &ann, &[]).await;
    assert_eq!(
        listed,
        vec![
            (
                1,
                InputKind::Comment,
                "Fleire barnehagar i bygda.".to_owned()
            ),
            (2, InputKind::Comment, "Einig, og nær skulen.".to_owned()),
            (3, InputKind::Letter, "Brev om vegar".to_owned()),
            (4, InputKind::Comment, "Betre bussar.".to_owned()),
        ]
    );
    // A reply shows the comment it answers.
    let page = world
        .service
        .plan_register(&ann, world.plan.id, &query(&[("kind", "comment")]))
        .await
        .expect("register");
    let reply = page
        .inputs
        .iter()
        .find(|i| i.entry.number == 2)
        .expect("reply");
    match &reply.content {
        domain::assessment::InputContent::Comment { parent, .. } => {
            assert_eq!(
                parent.as_ref().map(|p| p.body.as_str()),
                Some("Fleire barnehagar i bygda.")
            );
        }
        other => panic!("a comment: {other:?}"),
    }
    // The author deletes the first comment: it leaves the list, its number is not reused.
    let author = world.citizen("a@example.org", "Kari Nordmann").await;
    world
        .service
        .delete_comment(&author, first.id)
        .await
        .expect("deleted");
    comment(&world, "d@example.org", "Gatelys.").await;
    let numbers: Vec<i32> = register(&world, &ann, &[])
        .await
        .iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(numbers, vec![2, 3, 4, 5]);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn inputs_stored_at_once_get_distinct_consecutive_numbers_when_stored() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    let mut authors = Vec::new();
    for i in 0..12 {
        authors.push(world.citizen(&format!("p{i}@example.org"), "Per").await);
    }
    let section = world.sections[0].id;
    let mut tasks = Vec::new();
    for (i, author) in authors.into_iter().enumerate() {
        let service = world.service.clone();
        let hearing = world.hearing.id;
        tasks.push(tokio::spawn(async move {
            service
                .post_comment(&author, hearing, input(section, &format!("Innspel {i}")))
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }));
    }
    for i in 0..6 {
        let service = world.service.clone();
        let (ann, plan) = (ann.clone(), world.plan.id);
        tasks.push(tokio::spawn(async move {
            service
                .register_letter(&ann, "ann", plan, letter("Lag", &format!("Brev {i}")))
                .await
                .map(|_| ())
                .map_err(|e| e.to_string())
        }));
    }
    for task in tasks {
        task.await.expect("task").expect("stored");
    }
    // Every input has its number from the moment it was stored: the register is
    // read here for the first time, and reading writes nothing.
    let mut stored_before = world.db().every_text_value().await.expect("rows");
    stored_before.sort();
    let listed = register(&world, &ann, &[]).await;
    let mut numbers: Vec<i32> = listed.iter().map(|r| r.0).collect();
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=18).collect::<Vec<_>>(), "{listed:?}");
    let mut stored_after = world.db().every_text_value().await.expect("rows");
    stored_after.sort();
    assert!(
        stored_after == stored_before,
        "reading the register changed what is stored"
    );
    // The next input takes the next number.
    let next = world
        .service
        .register_letter(&ann, "ann", world.plan.id, letter("Lag", "Siste brev"))
        .await
        .expect("letter");
    assert_eq!(next.number, 19);
}

#[tokio::test]
async fn an_input_is_numbered_when_it_enters_the_record_and_keeps_its_number() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    world
        .service
        .set_screening(&ann, "ann", &world.hearing, true)
        .await
        .expect("screening on");
    let section = world.sections[0].id;
    let kari = world.citizen("kari@example.org", "Kari").await;
    let ola = world.citizen("ola@example.org", "Ola").await;
    let waits = |author: domain::policy::Actor, body: &'static str| {
        let service = world.service.clone();
        let hearing = world.hearing.id;
        async move {
            service
                .post_comment(&author, hearing, input(section, body))
                .await
                .expect("stored")
                .comment
                .id
        }
    };
    let screened = waits(kari, "Fleire benkar ved fjorden.").await;
    let hidden = waits(ola, "Naboen min er sjuk.").await;
    // Waiting for screening: no number yet; the letter registered meanwhile takes 1.
    let first = world
        .service
        .register_letter(&ann, "ann", world.plan.id, letter("Lag", "Brev"))
        .await
        .expect("letter");
    assert_eq!(first.number, 1);
    world
        .service
        .publish_screened(&ann, "ann", screened)
        .await
        .expect("published");
    world
        .service
        .hide_comment(&ann, "ann", hidden, Some("Personopplysningar om andre"))
        .await
        .expect("hidden");
    let listed = register(&world, &ann, &[]).await;
    assert_eq!(
        listed,
        vec![
            (1, InputKind::Letter, "Brev".to_owned()),
            (
                2,
                InputKind::Comment,
                "Fleire benkar ved fjorden.".to_owned()
            ),
        ],
        "the comment hidden in screening never entered the record"
    );
    // Hidden after it was listed, a comment leaves the list and keeps its number.
    world
        .service
        .hide_comment(&ann, "ann", screened, Some("Feil"))
        .await
        .expect("hidden later");
    let next = world
        .service
        .register_letter(&ann, "ann", world.plan.id, letter("Lag", "Brev to"))
        .await
        .expect("letter");
    assert_eq!(next.number, 3);
    let numbers: Vec<i32> = register(&world, &ann, &[])
        .await
        .iter()
        .map(|r| r.0)
        .collect();
    assert_eq!(numbers, vec![1, 3]);
}

#[tokio::test]
async fn filters_search_and_pages() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    comment(&world, "a@example.org", "Vi treng fleire barnehagar.").await;
    comment(&world, "b@example.org", "Bussen går for sjeldan.").await;
    world
        .service
        .register_letter(
            &ann,
            "ann",
            world.plan.id,
            letter("Lag", "Barnehagane er for små."),
        )
        .await
        .expect("letter");
    // Nynorsk and bokmål forms find both.
    let found = register(&world, &ann, &[("q", "barnehager")]).await;
    assert_eq!(found.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 3]);
    let found = register(&world, &ann, &[("q", "barnehage"), ("kind", "letter")]).await;
    assert_eq!(found.iter().map(|r| r.0).collect::<Vec<_>>(), vec![3]);
    let section = world.sections[0].id.to_string();
    let found = register(&world, &ann, &[("section", &section)]).await;
    assert_eq!(found.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1, 2]);
    // Pages of one, newest first, follow each other by number.
    let page = world
        .service
        .plan_register(
            &ann,
            world.plan.id,
            &query(&[("sort", "-number"), ("limit", "2")]),
        )
        .await
        .expect("page");
    assert_eq!(page.total, 3);
    assert_eq!(
        page.inputs
            .iter()
            .map(|i| i.entry.number)
            .collect::<Vec<_>>(),
        vec![3, 2]
    );
    let next = page.next_after.expect("a next page").to_string();
    let rest = register(
        &world,
        &ann,
        &[("sort", "-number"), ("limit", "2"), ("after", &next)],
    )
    .await;
    assert_eq!(rest.iter().map(|r| r.0).collect::<Vec<_>>(), vec![1]);
    // Unknown keys and values are refused.
    let unknown = RegisterQuery::parse(&[("colour".to_owned(), "red".to_owned())]);
    assert!(matches!(unknown, Err(AssessmentError::UnknownFilter(k)) if k == "colour"));
    let bad_sort = RegisterQuery::parse(&[("sort".to_owned(), "author".to_owned())]);
    assert!(matches!(bad_sort, Err(AssessmentError::UnknownFilter(_))));
    let bad_kind = RegisterQuery::parse(&[("kind".to_owned(), "fax".to_owned())]);
    assert!(matches!(bad_kind, Err(AssessmentError::InvalidFilter(k)) if k == "kind"));
}

/// The numbers a search finds, checked against the count the register gives.
async fn found(world: &World, actor: &Actor, q: &str) -> Vec<i32> {
    let page = world
        .service
        .plan_register(actor, world.plan.id, &query(&[("q", q)]))
        .await
        .expect("register");
    let numbers: Vec<i32> = page.inputs.iter().map(|i| i.entry.number).collect();
    assert_eq!(page.total, numbers.len() as u64, "{q}");
    numbers
}

#[tokio::test]
async fn search_reads_the_stem_index_which_follows_every_change_and_is_rebuilt_on_upgrade() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    let kari = world.citizen("kari@example.org", "Kari").await;
    let first = world
        .service
        .post_comment(
            &kari,
            world.hearing.id,
            input(world.sections[0].id, "Bussen går for sjeldan."),
        )
        .await
        .expect("posted")
        .comment;
    comment(
        &world,
        "b@example.org",
        "Vi treng fleire barnehagar i Nordbygda.",
    )
    .await;
    world
        .service
        .register_letter(
            &ann,
            "ann",
            world.plan.id,
            letter("Lag", "Barnehagane og sjukeheimen må liggje nær bussen."),
        )
        .await
        .expect("letter");
    let expected: [(&str, Vec<i32>); 6] = [
        // A query's stem begins a stored one: "buss" finds "bussen".
        ("buss", vec![1, 3]),
        ("barnehager", vec![2, 3]),
        ("barnehage sjukeheim", vec![3]),
        ("NORDBYGDA", vec![2]),
        ("vindkraftverk", vec![]),
        ("barnehager vindkraftverk", vec![]),
    ];
    for (q, numbers) in &expected {
        assert_eq!(found(&world, &ann, q).await, *numbers, "{q}");
    }

    // The index follows an edited text: the old words no longer find it.
    world
        .service
        .edit_comment(&kari, first.id, "Ferja går for sjeldan.")
        .await
        .expect("edited");
    assert_eq!(found(&world, &ann, "buss").await, vec![3]);
    assert_eq!(found(&world, &ann, "ferja").await, vec![1]);

    // An upgrade from before the index builds it from the stems the register kept.
    let db = world.db();
    db.execute_unprepared("DROP TABLE input_stem")
        .await
        .expect("drop the index");
    db.execute_unprepared(
        "DELETE FROM seaql_migrations WHERE version = 'm20261215_000200_input_stems'",
    )
    .await
    .expect("forget the migration");
    assert_eq!(db.pending_migrations().await.expect("pending"), 1);
    db.migrate().await.expect("migrate again");
    assert_eq!(found(&world, &ann, "buss").await, vec![3]);
    assert_eq!(found(&world, &ann, "ferja").await, vec![1]);
    for (q, numbers) in &expected[1..] {
        assert_eq!(found(&world, &ann, q).await, *numbers, "{q}");
    }
}

#[tokio::test]
async fn an_assessment_goes_from_draft_to_review_by_a_second_planner_to_published() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann Planleggjar").await;
    let bob = planner(&world, "bob@alver.example", "Bob Kollega").await;
    comment(&world, "a@example.org", "Fleire benkar, takk.").await;
    let id = input_id(&world, &ann, 1).await;
    let s = &world.service;

    // Nothing to review before there is a complete draft.
    let early = s.review_assessment(&bob, "bob", id).await;
    assert!(
        matches!(early, Err(AssessmentError::WrongState)),
        "{early:?}"
    );
    let partial = AssessmentCommand {
        summary: "Benkar".to_owned(),
        ..AssessmentCommand::default()
    };
    s.save_assessment(&ann, "ann", id, partial)
        .await
        .expect("draft");
    let incomplete = s.review_assessment(&bob, "bob", id).await;
    assert!(
        matches!(incomplete, Err(AssessmentError::Incomplete)),
        "{incomplete:?}"
    );

    let drafted = s
        .save_assessment(&ann, "ann", id, complete())
        .await
        .expect("draft");
    assert_eq!(drafted.assessment.state, AssessmentState::Drafted);
    assert_eq!(drafted.assessment.outcome, Some(Outcome::Followed));
    assert_eq!(
        drafted.assessment.drafted_by.as_deref(),
        Some("Ann Planleggjar")
    );

    // The author cannot review her own draft; nor can a token, which is nobody.
    let own = s.review_assessment(&ann, "ann", id).await;
    assert!(matches!(own, Err(AssessmentError::FourEyes)), "{own:?}");
    let token = Actor::api_token(world.municipality);
    let by_token = s.review_assessment(&token, "api-token", id).await;
    assert!(
        matches!(by_token, Err(AssessmentError::FourEyes)),
        "{by_token:?}"
    );
    let not_yet = s.publish_assessment(&ann, "ann", id).await;
    assert!(
        matches!(not_yet, Err(AssessmentError::WrongState)),
        "{not_yet:?}"
    );

    let reviewed = s
        .review_assessment(&bob, "bob", id)
        .await
        .expect("reviewed");
    assert_eq!(reviewed.assessment.state, AssessmentState::Reviewed);
    assert_eq!(
        reviewed.assessment.reviewed_by.as_deref(),
        Some("Bob Kollega")
    );
    assert_eq!(reviewed.assessment.reviewed_at, Some(world.clock.now()));
    let published = s
        .publish_assessment(&ann, "ann", id)
        .await
        .expect("published");
    assert_eq!(published.assessment.state, AssessmentState::Published);

    // Changing the content makes it a draft again that needs a new review.
    let mut changed = complete();
    changed.outcome = "partly_followed".to_owned();
    let again = s
        .save_assessment(&bob, "bob", id, changed)
        .await
        .expect("saved");
    assert_eq!(again.assessment.state, AssessmentState::Drafted);
    assert_eq!(again.assessment.reviewed_by, None);
    let own = s.review_assessment(&bob, "bob", id).await;
    assert!(matches!(own, Err(AssessmentError::FourEyes)), "{own:?}");
    s.review_assessment(&ann, "ann", id)
        .await
        .expect("Ann reviews Bob's change");

    // The history says who changed what, and when.
    let history = s.assessment_history(&ann, id).await.expect("history");
    let actions: Vec<(ChangeAction, &str)> = history
        .iter()
        .map(|c| (c.action, c.actor_name.as_str()))
        .collect();
    assert_eq!(
        actions,
        vec![
            (ChangeAction::Drafted, "Ann Planleggjar"),
            (ChangeAction::Drafted, "Ann Planleggjar"),
            (ChangeAction::Reviewed, "Bob Kollega"),
            (ChangeAction::Published, "Ann Planleggjar"),
            (ChangeAction::Drafted, "Bob Kollega"),
            (ChangeAction::Reviewed, "Ann Planleggjar"),
        ]
    );
    let outcome_change = history[4]
        .fields
        .iter()
        .find(|f| f.field == "outcome")
        .expect("the outcome change is logged");
    assert_eq!(
        (
            outcome_change.before.as_str(),
            outcome_change.after.as_str()
        ),
        ("followed", "partly_followed")
    );
    assert!(
        history[4].fields.iter().all(|f| f.field == "outcome"),
        "{:?}",
        history[4].fields
    );
    // Saving the same content again changes nothing and logs nothing.
    let mut same = complete();
    same.outcome = "partly_followed".to_owned();
    let unchanged = s
        .save_assessment(&bob, "bob", id, same)
        .await
        .expect("saved");
    assert_eq!(unchanged.assessment.state, AssessmentState::Reviewed);
    assert_eq!(
        s.assessment_history(&ann, id).await.expect("history").len(),
        6
    );
    // The state filter of the register sees it.
    let reviewed = register(&world, &ann, &[("state", "reviewed")]).await;
    assert_eq!(reviewed.len(), 1);
}

#[tokio::test]
async fn an_input_of_another_plan_is_unknown_and_bad_values_store_nothing() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    comment(&world, "a@example.org", "Innspel").await;
    let id = input_id(&world, &ann, 1).await;
    let s = &world.service;
    // A planner of another plan (same municipality) and a stranger see nothing.
    let other = Actor::person(
        domain::PersonId::new(),
        vec![
            Role::Staff {
                municipality: world.municipality,
            },
            Role::Planner {
                municipality: world.municipality,
                plan: PlanId::new(),
            },
        ],
    );
    for refused in [
        s.save_assessment(&other, "x", id, complete()).await,
        s.review_assessment(&other, "x", id).await,
    ] {
        assert!(
            matches!(refused, Err(AssessmentError::InputNotFound)),
            "{refused:?}"
        );
    }
    let elsewhere = Actor::api_token(domain::MunicipalityId::new());
    let refused = s.input_assessment(&elsewhere, id).await;
    assert!(
        matches!(refused, Err(AssessmentError::InputNotFound)),
        "{refused:?}"
    );
    let unknown = s
        .save_assessment(&ann, "ann", InputId::new(), complete())
        .await;
    assert!(
        matches!(unknown, Err(AssessmentError::InputNotFound)),
        "{unknown:?}"
    );

    let mut bad = complete();
    bad.outcome = "ignored".to_owned();
    let refused = s.save_assessment(&ann, "ann", id, bad).await;
    assert!(
        matches!(
            refused,
            Err(AssessmentError::UnknownValue {
                field: "outcome",
                ..
            })
        ),
        "{refused:?}"
    );
    let mut foreign_section = complete();
    foreign_section.section_ids = vec![domain::SectionId::new()];
    let refused = s.save_assessment(&ann, "ann", id, foreign_section).await;
    assert!(
        matches!(refused, Err(AssessmentError::SectionNotInPlan)),
        "{refused:?}"
    );
    let mut foreign_theme = complete();
    foreign_theme.theme_ids = vec![domain::ThemeId::new()];
    let refused = s.save_assessment(&ann, "ann", id, foreign_theme).await;
    assert!(
        matches!(refused, Err(AssessmentError::UnknownTheme)),
        "{refused:?}"
    );
    assert!(
        s.assessment_history(&ann, id)
            .await
            .expect("history")
            .is_empty()
    );
    let entry = s.input_assessment(&ann, id).await.expect("read");
    assert_eq!(
        entry.input.entry.assessment.state,
        AssessmentState::Unassessed
    );
}

#[tokio::test]
async fn themes_are_created_renamed_and_merged() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    comment(&world, "a@example.org", "Om bussar").await;
    comment(&world, "b@example.org", "Om vegar").await;
    let s = &world.service;
    let plan = world.plan.id;
    let create = |name: &str| ThemeCommand::Create {
        name: name.to_owned(),
    };
    let transport = s
        .change_theme(&ann, plan, create("Kollektiv"))
        .await
        .expect("theme");
    let roads = s
        .change_theme(&ann, plan, create("Vegar"))
        .await
        .expect("theme");
    let twice = s.change_theme(&ann, plan, create("Vegar")).await;
    assert!(
        matches!(twice, Err(AssessmentError::ThemeExists)),
        "{twice:?}"
    );
    let renamed = s
        .change_theme(
            &ann,
            plan,
            ThemeCommand::Rename {
                theme: transport.id,
                name: "Kollektivtransport".to_owned(),
            },
        )
        .await
        .expect("renamed");
    assert_eq!(renamed.name, "Kollektivtransport");
    for (number, theme) in [(1, transport.id), (2, roads.id)] {
        let id = input_id(&world, &ann, number).await;
        let mut command = complete();
        command.theme_ids = vec![theme];
        s.save_assessment(&ann, "ann", id, command)
            .await
            .expect("saved");
    }
    let merged = s
        .change_theme(
            &ann,
            plan,
            ThemeCommand::Merge {
                from: roads.id,
                into: transport.id,
            },
        )
        .await
        .expect("merged");
    assert_eq!(merged.id, transport.id);
    let themes = s.plan_themes(&ann, plan).await.expect("themes");
    assert_eq!(
        themes.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
        vec!["Kollektivtransport"]
    );
    let page = s
        .plan_register(&ann, plan, &query(&[]))
        .await
        .expect("register");
    for input in &page.inputs {
        let names: Vec<&str> = input
            .entry
            .assessment
            .themes
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(
            names,
            vec!["Kollektivtransport"],
            "input {}",
            input.entry.number
        );
    }
}

#[tokio::test]
async fn the_report_has_every_input_of_the_hearing_grouped_with_totals_and_names_left_out_on_request()
 {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    comment(&world, "a@example.org", "Om innleiinga").await;
    let mut org = letter("Alver eldreråd", "Brev frå rådet");
    org.hearing_id = Some(world.hearing.id);
    world
        .service
        .register_letter(&ann, "ann", world.plan.id, org)
        .await
        .expect("letter");
    let mut private = letter("Per Privat", "Brev frå Per");
    private.sender_kind = "person".to_owned();
    private.hearing_id = Some(world.hearing.id);
    world
        .service
        .register_letter(&ann, "ann", world.plan.id, private)
        .await
        .expect("letter");
    // A letter for the plan only is not part of the hearing's report.
    world
        .service
        .register_letter(&ann, "ann", world.plan.id, letter("Lag", "Utan høyring"))
        .await
        .expect("letter");
    let id = input_id(&world, &ann, 2).await;
    let mut linked = complete();
    linked.section_ids = vec![world.sections[1].id];
    world
        .service
        .save_assessment(&ann, "ann", id, linked)
        .await
        .expect("saved");

    let report = world
        .service
        .hearing_report(
            &ann,
            world.hearing.id,
            ReportOptions {
                group_by: GroupBy::Section,
                anonymise: true,
            },
        )
        .await
        .expect("report");
    let numbers: Vec<i32> = report.rows().map(|r| r.number).collect();
    assert_eq!(numbers, vec![1, 2, 3]);
    let headings: Vec<&GroupHeading> = report.groups.iter().map(|g| &g.heading).collect();
    assert_eq!(
        headings,
        vec![
            &GroupHeading::Section {
                number: "1".into(),
                title: "Innleiing".into()
            },
            &GroupHeading::Section {
                number: "2".into(),
                title: "Medverknad".into()
            },
            &GroupHeading::NoSection,
        ]
    );
    let senders: Vec<Option<&str>> = report.rows().map(|r| r.sender.as_deref()).collect();
    assert_eq!(senders, vec![None, Some("Alver eldreråd"), None]);
    let followed = report
        .totals
        .iter()
        .find(|t| t.outcome == Some(Outcome::Followed))
        .expect("total");
    assert_eq!(followed.count, 1);
    let open = report
        .totals
        .iter()
        .find(|t| t.outcome.is_none())
        .expect("total");
    assert_eq!(open.count, 2);

    let named = world
        .service
        .hearing_report(
            &ann,
            world.hearing.id,
            ReportOptions {
                group_by: GroupBy::Theme,
                anonymise: false,
            },
        )
        .await
        .expect("report");
    assert_eq!(named.groups.len(), 1, "no themes: one group");
    assert_eq!(named.groups[0].heading, GroupHeading::NoTheme);
    assert!(
        named
            .rows()
            .any(|r| r.sender.as_deref() == Some("Per Privat"))
    );

    let stranger = world.citizen("x@example.org", "X").await;
    let refused = world
        .service
        .hearing_report(&stranger, world.hearing.id, ReportOptions::default())
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::NotSignedIn)),
        "{refused:?}"
    );
}

/// Drafts an assessment by Ann and has Bob review it.
pub(crate) async fn reviewed(world: &World, ann: &Actor, bob: &Actor, id: InputId, outcome: &str) {
    let s = &world.service;
    let command = AssessmentCommand {
        outcome: outcome.to_owned(),
        response: format!("Svar på innspel {id}"),
        ..complete()
    };
    s.save_assessment(ann, "ann", id, command)
        .await
        .expect("drafted");
    s.review_assessment(bob, "bob", id).await.expect("reviewed");
}

#[tokio::test]
async fn publishing_a_hearing_asks_about_unreviewed_inputs_and_tells_each_participant_once() {
    let world = open_hearing().await;
    let s = &world.service;
    let ann = planner(&world, "ann@alver.example", "Ann Planleggjar").await;
    let bob = planner(&world, "bob@alver.example", "Bob Kontrollør").await;
    let kari = {
        let person = world
            .db()
            .ensure_person("kari@example.no", "Kari Nordmann", domain::Lang::En)
            .await
            .expect("person");
        Actor::person(person.id, Vec::new())
    };
    let ola = world.citizen("ola@example.no", "Ola Nordmann").await;
    for (who, body) in [
        (&kari, "Fleire benkar langs gangvegen."),
        (&kari, "Meir parkering ved skulen."),
        (&ola, "Betre lys i tunnelen."),
        (&ola, "Ein ny sykkelveg."),
    ] {
        s.post_comment(who, world.hearing.id, input(world.sections[0].id, body))
            .await
            .expect("posted");
    }
    let mut letter = letter("Alver pensjonistlag", "Vi ønskjer eit dagsenter.");
    letter.hearing_id = Some(world.hearing.id);
    letter.received_on = jiff::Timestamp::now()
        .to_zoned(domain::deadline::oslo())
        .date()
        .to_string();
    s.register_letter(&ann, "ann", world.plan.id, letter)
        .await
        .expect("registered");
    // Inputs 1–3 and the letter (5) are reviewed; Ola's second (4) is not.
    for (number, outcome) in [
        (1, "followed"),
        (2, "not_followed"),
        (3, "noted"),
        (5, "noted"),
    ] {
        let id = input_id(&world, &ann, number).await;
        reviewed(&world, &ann, &bob, id, outcome).await;
    }
    let before = world.outbox().await.len();

    let refused = s
        .publish_hearing_assessments(&ann, "ann", world.hearing.id, false)
        .await;
    match refused {
        Err(AssessmentError::Unreviewed(list)) => {
            assert_eq!(list.iter().map(|u| u.number).collect::<Vec<_>>(), [4]);
            assert_eq!(list[0].state, AssessmentState::Unassessed);
        }
        other => panic!("expected the unreviewed input to be named: {other:?}"),
    }
    let first = input_id(&world, &ann, 1).await;
    let unchanged = s.input_assessment(&ann, first).await.expect("input");
    assert_eq!(
        unchanged.input.entry.assessment.state,
        AssessmentState::Reviewed,
        "nothing is published before the planner confirms"
    );
    assert_eq!(world.outbox().await.len(), before);

    let batch = s
        .publish_hearing_assessments(&ann, "ann", world.hearing.id, true)
        .await
        .expect("published");
    assert_eq!(batch.published, [1, 2, 3, 5]);
    assert_eq!(batch.unreviewed.len(), 1);
    // One letter each to Kari and Ola; the registered letter has no address.
    assert_eq!(batch.emails, 2);
    let told: Vec<_> = world
        .outbox()
        .await
        .into_iter()
        .filter(|e| e.kind == "inputs_assessed")
        .collect();
    assert_eq!(told.len(), 2);
    let to_kari = told
        .iter()
        .find(|e| e.recipient == "kari@example.no")
        .expect("Kari is told");
    assert_eq!(to_kari.envelope.lang, domain::Lang::En);
    assert_eq!(
        to_kari.envelope.letterhead.recipient_name.as_deref(),
        Some("Kari Nordmann")
    );
    match &to_kari.envelope.email {
        domain::email::Email::InputsAssessed { inputs, .. } => {
            let outcomes: Vec<_> = inputs
                .iter()
                .map(|i| (i.excerpt.as_str(), i.outcome))
                .collect();
            assert_eq!(
                outcomes,
                [
                    ("Fleire benkar langs gangvegen.", Some(Outcome::Followed)),
                    ("Meir parkering ved skulen.", Some(Outcome::NotFollowed)),
                ]
            );
            assert!(inputs[0].response.starts_with("Svar på innspel"));
        }
        other => panic!("not an assessment letter: {other:?}"),
    }
    let published = s.input_assessment(&ann, first).await.expect("input");
    assert_eq!(
        published.input.entry.assessment.state,
        AssessmentState::Published
    );
    assert_eq!(
        published.history.last().map(|c| c.action),
        Some(ChangeAction::Published)
    );

    // Publishing again tells nobody anything new.
    let again = s
        .publish_hearing_assessments(&ann, "ann", world.hearing.id, true)
        .await
        .expect("published again");
    assert!(again.published.is_empty());
    assert_eq!(again.emails, 0);
    let count = world
        .outbox()
        .await
        .iter()
        .filter(|e| e.kind == "inputs_assessed")
        .count();
    assert_eq!(count, 2);

    // Readers see the outcome beside the comment on the hearing page.
    let page = s
        .hearing_page(&Actor::anonymous(), world.hearing.id)
        .await
        .expect("page");
    let shown = page
        .comments
        .iter()
        .find(|c| c.body == "Fleire benkar langs gangvegen.")
        .and_then(|c| page.assessments.get(&c.id))
        .expect("the assessment is shown");
    assert_eq!(shown.outcome, Some(Outcome::Followed));
    let unassessed = page
        .comments
        .iter()
        .find(|c| c.body == "Ein ny sykkelveg.")
        .expect("comment");
    assert!(!page.assessments.contains_key(&unassessed.id));

    // A participant cannot publish: only planners may.
    let refused = s
        .publish_hearing_assessments(&ola, "ola", world.hearing.id, true)
        .await;
    assert!(
        matches!(refused, Err(AssessmentError::NotSignedIn)),
        "{refused:?}"
    );
}

/// The sections of a second version of the world's document, both changed.
async fn second_version(world: &World, ann: &Actor) -> Vec<domain::plan::Section> {
    use domain::plan::NewSection;
    let version = world
        .db()
        .document_version(world.hearing.document_version_id)
        .await
        .expect("version");
    let changed = |s: &domain::plan::Section, body: &str| NewSection {
        number: s.number.clone(),
        title: s.title.clone(),
        level: s.level,
        body: body.to_owned(),
    };
    world
        .service
        .publish_version(
            ann,
            version.document_id,
            vec![
                changed(
                    &world.sections[0],
                    "Kommunen lagar ein plan med benkar langs fjorden.",
                ),
                changed(
                    &world.sections[1],
                    "Alle råd blir inviterte til verkstader.",
                ),
            ],
        )
        .await
        .expect("version 2")
        .sections
}

#[tokio::test]
async fn an_assessment_linked_to_a_changed_section_shows_on_that_section_of_the_comparison() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    let bob = planner(&world, "bob@alver.example", "Bob").await;
    comment(&world, "kari@example.org", "Vi treng benkar langs fjorden.").await;
    let other_author = world.citizen("ola@example.org", "Ola").await;
    world
        .service
        .post_comment(
            &other_author,
            world.hearing.id,
            input(world.sections[1].id, "Ungdomsrådet må vere med."),
        )
        .await
        .expect("second comment");
    let v2 = second_version(&world, &ann).await;
    let (first, second) = (
        input_id(&world, &ann, 1).await,
        input_id(&world, &ann, 2).await,
    );
    // The change must be in a later version of one of the plan's documents.
    for wrong in [world.sections[0].id, domain::SectionId::new()] {
        let refused = world
            .service
            .save_assessment(
                &ann,
                "ann",
                first,
                AssessmentCommand {
                    change_section_id: Some(wrong),
                    ..complete()
                },
            )
            .await;
        assert!(
            matches!(refused, Err(AssessmentError::ChangeSectionInvalid)),
            "{refused:?}"
        );
    }
    let saved = world
        .service
        .save_assessment(
            &ann,
            "ann",
            first,
            AssessmentCommand {
                change_section_id: Some(v2[0].id),
                ..complete()
            },
        )
        .await
        .expect("linked");
    assert_eq!(saved.assessment.change_section_id, Some(v2[0].id));
    world
        .service
        .save_assessment(&ann, "ann", second, complete())
        .await
        .expect("not linked");
    let found = world
        .service
        .input_assessment(&ann, first)
        .await
        .expect("input");
    let place = found.change_place().expect("the linked place");
    assert_eq!((place.version, place.number.as_str()), (2, "1"));
    assert!(
        found.change_places.iter().all(|p| p.version >= 2),
        "only later versions are offered"
    );

    let document = world
        .db()
        .document(place.document_id)
        .await
        .expect("document");
    let linked = |diff: &consultation::documents::DocumentDiff| -> Vec<(String, Vec<i32>)> {
        diff.sections
            .iter()
            .map(|s| {
                (
                    s.number.clone(),
                    s.linked_inputs.iter().map(|i| i.number).collect(),
                )
            })
            .collect()
    };
    let diff = world
        .service
        .document_diff(&ann, &document, Some(1), Some(2))
        .await
        .expect("diff");
    assert!(diff.planner);
    assert_eq!(
        linked(&diff),
        vec![("1".to_owned(), vec![1]), ("2".to_owned(), vec![])],
        "the input shows at section 1 and nowhere else"
    );
    assert_eq!(
        diff.sections[0].linked_inputs[0].sender.as_deref(),
        Some("Kari Nordmann")
    );
    // Readers see only published assessments, without private persons' names.
    let reader = Actor::anonymous();
    let public = world
        .service
        .document_diff(&reader, &document, Some(1), Some(2))
        .await
        .expect("public diff");
    assert!(!public.planner);
    assert!(public.sections.iter().all(|s| s.linked_inputs.is_empty()));
    world
        .service
        .review_assessment(&bob, "bob", first)
        .await
        .expect("reviewed");
    world
        .service
        .publish_assessment(&bob, "bob", first)
        .await
        .expect("published");
    let public = world
        .service
        .document_diff(&reader, &document, Some(1), Some(2))
        .await
        .expect("public diff");
    assert_eq!(
        linked(&public),
        vec![("1".to_owned(), vec![1]), ("2".to_owned(), vec![])]
    );
    let shown = &public.sections[0].linked_inputs[0];
    assert_eq!(shown.sender, None, "a private person's name is left out");
    assert_eq!(shown.outcome, Some(Outcome::Followed));
    // Unlinking is a change in the history like any other.
    world
        .service
        .save_assessment(&ann, "ann", first, complete())
        .await
        .expect("unlinked");
    let history = world
        .service
        .assessment_history(&ann, first)
        .await
        .expect("history");
    assert!(
        history
            .iter()
            .filter(|c| c.fields.iter().any(|f| f.field == "change_section"))
            .count()
            == 2,
        "{history:?}"
    );
}

#[tokio::test]
async fn the_migration_numbers_inputs_stored_before_numbers_were_given_at_insert() {
    let world = open_hearing().await;
    let ann = planner(&world, "ann@alver.example", "Ann").await;
    // Before: letters were numbered when registered, comments when the register was
    // next read. This makes that state: a letter with number 1, two comments without.
    world
        .service
        .register_letter(&ann, "ann", world.plan.id, letter("Lag", "Brev om vegar"))
        .await
        .expect("letter");
    comment(&world, "a@example.org", "Fleire barnehagar i bygda.").await;
    let later = world.clock.now() + jiff::SignedDuration::from_mins(5);
    world.clock.set(later);
    comment(&world, "b@example.org", "Betre bussar til sentrum.").await;
    let migration = "m20261213_000150_register_numbers_at_insert";
    let db = world.db();
    for sql in [
        // The search index came later: without it, as the register was then.
        "DROP TABLE input_stem".to_owned(),
        "DELETE FROM seaql_migrations WHERE version = 'm20261215_000200_input_stems'".to_owned(),
        "DELETE FROM input_register WHERE kind = 'comment'".to_owned(),
        "UPDATE input_counter SET last_number = 1".to_owned(),
        format!("DELETE FROM seaql_migrations WHERE version = '{migration}'"),
        "DROP INDEX ix_input_register_change_section_id".to_owned(),
        "DROP INDEX ix_input_register_plan_listed_number".to_owned(),
        "DROP INDEX ix_input_register_plan_listed_kind".to_owned(),
        "DROP INDEX ix_input_register_plan_listed_state".to_owned(),
        "DROP INDEX ix_input_register_plan_listed_late".to_owned(),
        "DROP INDEX ix_input_register_plan_listed_hearing".to_owned(),
        "ALTER TABLE input_register DROP COLUMN change_section_id".to_owned(),
    ] {
        db.execute_unprepared(&sql).await.expect(&sql);
    }
    db.migrate().await.expect("the migration runs again");
    assert_eq!(
        register(&world, &ann, &[]).await,
        vec![
            (1, InputKind::Letter, "Brev om vegar".to_owned()),
            (
                2,
                InputKind::Comment,
                "Fleire barnehagar i bygda.".to_owned()
            ),
            (
                3,
                InputKind::Comment,
                "Betre bussar til sentrum.".to_owned()
            ),
        ]
    );
    // Their search stems were written, and the next input follows them.
    let found = register(&world, &ann, &[("q", "barnehager")]).await;
    assert_eq!(found.iter().map(|r| r.0).collect::<Vec<_>>(), vec![2]);
    let next = world
        .service
        .register_letter(&ann, "ann", world.plan.id, letter("Lag", "Nytt brev"))
        .await
        .expect("letter");
    assert_eq!(next.number, 4);
}
