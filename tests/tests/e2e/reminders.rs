//! Deadline reminders from the notification worker: the latest due reminder goes to
//! every invited person who has not answered, once, however often, late or in how
//! many processes the scheduler runs; an organisation whose representative answered
//! is not reminded. The workers run on a clock the test moves.

use db::Db;
use domain::deadline::HearingKind;
use domain::group::{GroupKind, MemberRole};
use domain::hearing::{Audience, Hearing, HearingState};
use domain::organisation::OrganisationKind;
use domain::person::Person;
use domain::plan::{DocumentKind, NewSection};
use domain::response::OnBehalfOf;
use domain::{Lang, OrganisationId};
use jiff::{SignedDuration, Timestamp};
use std::collections::BTreeMap;
use tests::rig::Rig;

/// A hearing with a reference group: Oda (a member), Per and Liv (both
/// representatives of Pensjonistlaget) and Eva (representative of Idrettslaget).
struct Invited {
    hearing: Hearing,
    oda: Person,
    per: Person,
    liv: Person,
    eva: Person,
    pensioners: OrganisationId,
}

async fn person(db: &Db, email: &str, name: &str, lang: Lang) -> Person {
    db.ensure_person(email, name, lang).await.expect("person")
}

async fn invited(db: &Db) -> Invited {
    let municipality = db
        .create_municipality("alver", "Alver kommune")
        .await
        .expect("municipality");
    let plan = db
        .create_plan(db::NewPlan {
            municipality_id: municipality.id,
            slug: "helse".to_owned(),
            title: "Kommunedelplan for helse".to_owned(),
            sector: None,
            period_start: 2025,
            period_end: 2033,
            contact_email: Some("plan@alver.example".to_owned()),
            contact: Default::default(),
            case_number: None,
        })
        .await
        .expect("plan");
    let document = db
        .create_document(db::NewDocument {
            plan_id: plan.id,
            kind: DocumentKind::PlanningProgramme,
            title: "Planprogram".to_owned(),
            sections: vec![NewSection {
                number: "1".to_owned(),
                title: "Innleiing".to_owned(),
                level: 1,
                body: "Kvifor vi lagar planen.".to_owned(),
            }],
        })
        .await
        .expect("document");
    let now = db::time::now();
    let hearing = db
        .create_hearing(db::NewHearing {
            municipality_id: municipality.id,
            plan_id: plan.id,
            document_version_id: document.version.id,
            title: "Høyring av planprogrammet".to_owned(),
            kind: HearingKind::Pbl,
            audience: Audience::Public,
            state: HearingState::Open,
            opens_at: now.checked_sub(SignedDuration::from_hours(24)).expect("t"),
            deadline: now
                .checked_add(SignedDuration::from_hours(24 * 41))
                .expect("t"),
            announcement: None,
            contact_name: Some("Kari Planleggjar".to_owned()),
            contact_email: Some("kari@alver.example".to_owned()),
            actor: "test".to_owned(),
            period_weeks: 6,
        })
        .await
        .expect("hearing");
    let group = db
        .create_group(plan.id, GroupKind::ReferenceGroup, "Referansegruppa")
        .await
        .expect("group");
    let pensioners = db
        .create_organisation(
            municipality.id,
            "Pensjonistlaget",
            OrganisationKind::UserOrganisation,
        )
        .await
        .expect("organisation");
    let sports = db
        .create_organisation(municipality.id, "Idrettslaget", OrganisationKind::Volunteer)
        .await
        .expect("organisation");
    let oda = person(db, "oda@example.org", "Oda Medlem", Lang::Nb).await;
    let per = person(db, "per@example.org", "Per Pensjonist", Lang::En).await;
    let liv = person(db, "liv@example.org", "Liv Pensjonist", Lang::Nn).await;
    let eva = person(db, "eva@example.org", "Eva Idrett", Lang::Nn).await;
    // Someone on the staff, in no group: never reminded.
    person(db, "staff@alver.example", "Sakshandsamar", Lang::Nn).await;
    db.add_member(group.id, oda.id, MemberRole::Member, None)
        .await
        .expect("member");
    for (who, organisation) in [
        (&per, pensioners.id),
        (&liv, pensioners.id),
        (&eva, sports.id),
    ] {
        db.add_member(
            group.id,
            who.id,
            MemberRole::OrganisationRepresentative,
            Some(organisation),
        )
        .await
        .expect("representative");
    }
    Invited {
        hearing,
        oda,
        per,
        liv,
        eva,
        pensioners: pensioners.id,
    }
}

/// `who` gives the official response of `organisation` (or their own).
async fn answer(db: &Db, hearing: &Hearing, who: &Person, organisation: Option<OrganisationId>) {
    db.submit_response(
        db::NewResponseVersion {
            hearing_id: hearing.id,
            on_behalf_of: organisation.map_or(OnBehalfOf::Person(who.id), OnBehalfOf::Organisation),
            person_id: who.id,
            person_name: who.name.clone(),
            text: "Vi støttar planen.".to_owned(),
            section_ids: Vec::new(),
            new_attachments: Vec::new(),
            keep_attachment_ids: Vec::new(),
            late: false,
            idempotency_key: None,
            based_on_version: None,
            at: db::time::now(),
        },
        |_, _| Vec::new(),
    )
    .await
    .expect("answered");
}

/// The moment `days` days before the hearing's deadline when its reminder is due,
/// and a minute more.
fn when_due(hearing: &Hearing, days: u32) -> Timestamp {
    domain::reminder::remind_at(hearing.deadline, days)
        .expect("a time")
        .checked_add(SignedDuration::from_mins(1))
        .expect("a time")
}

/// How many reminders each address got, from what the SMTP server accepted.
fn reminders_by_recipient(rig: &Rig) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for mail in rig.sink.mails() {
        if mail.text().contains("/response") {
            *counts.entry(mail.to.join(",")).or_default() += 1;
        }
    }
    counts
}

fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), *v)).collect()
}

#[tokio::test]
async fn the_scheduler_run_twice_reminds_each_unanswered_invitee_once_per_reminder() {
    let rig = Rig::new().await;
    let world = invited(&rig.db).await;
    // Liv answered for Pensjonistlaget: Per, its other representative, is done too.
    answer(&rig.db, &world.hearing, &world.liv, Some(world.pensioners)).await;
    let worker = rig.worker();

    // Before the first reminder's time: nothing.
    rig.clock.set(
        when_due(&world.hearing, 14)
            .checked_sub(SignedDuration::from_mins(2))
            .expect("t"),
    );
    assert_eq!(worker.queue_due_reminders().await.expect("run"), 0);

    rig.clock.set(when_due(&world.hearing, 14));
    assert_eq!(worker.queue_due_reminders().await.expect("run"), 2);
    assert_eq!(
        worker.queue_due_reminders().await.expect("run"),
        0,
        "queued twice"
    );
    worker.run_once().await.expect("sent");
    worker.run_once().await.expect("sent");
    assert_eq!(
        reminders_by_recipient(&rig),
        counts(&[("eva@example.org", 1), ("oda@example.org", 1)])
    );

    // The reminder in Oda's language, with the deadline, the form and whom to ask.
    let to_oda = rig
        .sink
        .mails()
        .into_iter()
        .find(|m| m.to == [world.oda.email.as_str()])
        .expect("Oda's reminder");
    let text = to_oda.text();
    let deadline = i18n::format_datetime(Lang::Nb, world.hearing.deadline);
    assert!(text.contains(&deadline), "{text}");
    assert!(text.contains("om 14 dager"), "{text}");
    assert!(
        text.contains(&format!(
            "https://samrad.test/hearings/{}/response",
            world.hearing.id
        )),
        "{text}"
    );
    assert!(
        text.contains("Kari Planleggjar <kari@alver.example>"),
        "{text}"
    );
    assert!(
        to_oda.subject().contains("Påminnelse"),
        "{}",
        to_oda.subject()
    );

    // Oda answers for herself; three days before, only Eva is reminded again.
    answer(&rig.db, &world.hearing, &world.oda, None).await;
    rig.clock.set(when_due(&world.hearing, 3));
    assert_eq!(worker.queue_due_reminders().await.expect("run"), 1);
    assert_eq!(worker.queue_due_reminders().await.expect("run"), 0);
    worker.run_once().await.expect("sent");
    assert_eq!(
        reminders_by_recipient(&rig),
        counts(&[("eva@example.org", 2), ("oda@example.org", 1)])
    );
    assert!(
        !rig.sink
            .mails()
            .iter()
            .any(|m| m.to == [world.per.email.as_str()] || m.to == [world.liv.email.as_str()]),
        "an organisation that answered was reminded"
    );
}

#[tokio::test]
async fn a_late_run_after_downtime_sends_only_the_latest_due_reminder() {
    let rig = Rig::new().await;
    let world = invited(&rig.db).await;
    let worker = rig.worker();

    // Down from before the 14-day reminder until after the 3-day one's time.
    rig.clock.set(
        when_due(&world.hearing, 3)
            .checked_add(SignedDuration::from_hours(20))
            .expect("t"),
    );
    assert_eq!(worker.queue_due_reminders().await.expect("run"), 4);
    assert_eq!(worker.queue_due_reminders().await.expect("run"), 0);
    let keys: Vec<String> = rig
        .db
        .recent_emails(100)
        .await
        .expect("outbox")
        .into_iter()
        .map(|j| j.dedupe_key)
        .collect();
    assert_eq!(keys.len(), 4, "{keys:?}");
    assert!(
        keys.iter().all(|k| k.contains(":3:")),
        "only the 3-day reminder: {keys:?}"
    );
    for _ in 0..4 {
        worker.run_once().await.expect("sent");
    }
    assert_eq!(
        reminders_by_recipient(&rig),
        counts(&[
            ("eva@example.org", 1),
            ("liv@example.org", 1),
            ("oda@example.org", 1),
            ("per@example.org", 1)
        ])
    );
    // Per's is in English and says three days.
    let to_per = rig
        .sink
        .mails()
        .into_iter()
        .find(|m| m.to == [world.per.email.as_str()])
        .expect("Per's reminder");
    assert!(to_per.text().contains("in 3 days"), "{}", to_per.text());
    assert!(
        to_per.text().contains("Pensjonistlaget"),
        "{}",
        to_per.text()
    );

    // The next one still comes in its time.
    rig.clock.set(when_due(&world.hearing, 1));
    assert_eq!(worker.queue_due_reminders().await.expect("run"), 4);
    // And none after the deadline.
    rig.clock.set(
        world
            .hearing
            .deadline
            .checked_add(SignedDuration::from_mins(1))
            .expect("t"),
    );
    assert_eq!(worker.queue_due_reminders().await.expect("run"), 0);
}

#[tokio::test]
async fn two_workers_at_once_send_one_reminder_per_person() {
    let rig = Rig::new().await;
    let world = invited(&rig.db).await;
    answer(&rig.db, &world.hearing, &world.per, Some(world.pensioners)).await;
    // Two workers, each with its own connection, as in two processes.
    let a = rig.worker_apart().await;
    let b = rig.worker_apart().await;
    rig.clock.set(when_due(&world.hearing, 1));

    let (queued_a, queued_b) = tokio::join!(a.queue_due_reminders(), b.queue_due_reminders());
    assert_eq!(queued_a.expect("a") + queued_b.expect("b"), 2);
    let (sent_a, sent_b) = tokio::join!(a.run_once(), b.run_once());
    assert_eq!(sent_a.expect("a") + sent_b.expect("b"), 2);
    // And once more each, as their next rounds would.
    let (again_a, again_b) = tokio::join!(a.queue_due_reminders(), b.queue_due_reminders());
    assert_eq!(again_a.expect("a") + again_b.expect("b"), 0);
    let (sent_a, sent_b) = tokio::join!(a.run_once(), b.run_once());
    assert_eq!(sent_a.expect("a") + sent_b.expect("b"), 0);
    assert_eq!(
        reminders_by_recipient(&rig),
        counts(&[(world.eva.email.as_str(), 1), (world.oda.email.as_str(), 1)])
    );
}

#[tokio::test]
async fn a_planner_sets_the_days_sees_who_answered_and_reminds_by_hand() {
    use reqwest::Method;
    use serde_json::json;
    let app = tests::spawn_app(tests::Backend::from_env())
        .await
        .expect("app");
    let h = app.open_hearing("helse").await;
    let group = app
        .db
        .create_group(h.plan(), GroupKind::ReferenceGroup, "Referansegruppa")
        .await
        .expect("group");
    let pensioners = app
        .db
        .create_organisation(
            app.municipality().await.id,
            "Pensjonistlaget",
            OrganisationKind::UserOrganisation,
        )
        .await
        .expect("organisation");
    for (email, name, role, organisation) in [
        (
            "liv@example.org",
            "Liv Pensjonist",
            MemberRole::OrganisationRepresentative,
            Some(pensioners.id),
        ),
        (
            "per@example.org",
            "Per Pensjonist",
            MemberRole::OrganisationRepresentative,
            Some(pensioners.id),
        ),
        ("oda@example.org", "Oda Medlem", MemberRole::Member, None),
    ] {
        let who = person(&app.db, email, name, Lang::Nn).await;
        app.db
            .add_member(group.id, who.id, role, organisation)
            .await
            .expect("member");
    }
    let liv = app
        .db
        .person_by_email("liv@example.org")
        .await
        .expect("db")
        .expect("Liv");
    let hearing = app.db.hearing(h.hearing_id()).await.expect("hearing");
    answer(&app.db, &hearing, &liv, Some(pensioners.id)).await;
    let path = format!("/api/v1/hearings/{}/reminders", h.id);

    // The days: checked, ordered, without repeats; only the plan's planners.
    let (status, refused) = app
        .send(
            &app.http,
            Method::PUT,
            &path,
            Some(json!({"days": [2, 7, 7]})),
        )
        .await;
    assert_eq!(status, 403, "{refused}");
    let citizen = app.citizen("innbyggjar@example.org", "Ola").await;
    let (status, refused) = app
        .send(&citizen, Method::PUT, &path, Some(json!({"days": [2]})))
        .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (403, Some("forbidden")),
        "{refused}"
    );
    let response = app
        .as_planner(Method::PUT, &path)
        .json(&json!({"days": [0]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 422);
    let refused: serde_json::Value = response.json().await.expect("json");
    assert_eq!(refused["error"], "reminder_days_out_of_range", "{refused}");
    let response = app
        .as_planner(Method::PUT, &path)
        .json(&json!({"days": [2, 7, 7]}))
        .send()
        .await
        .expect("sent");
    assert_eq!(response.status(), 200);
    let changed: serde_json::Value = response.json().await.expect("json");
    assert_eq!(changed["reminder_days"], json!([7, 2]), "{changed}");

    // Who has answered and who is reminded when.
    let (status, overview) = app.get_json_as_planner(&path).await;
    assert_eq!(status, 200, "{overview}");
    assert_eq!(
        overview["planned"].as_array().map(Vec::len),
        Some(2),
        "{overview}"
    );
    let standing: BTreeMap<String, (bool, bool)> = overview["invitees"]
        .as_array()
        .expect("invitees")
        .iter()
        .map(|i| {
            (
                i["email"].as_str().unwrap_or_default().to_owned(),
                (i["answered"] == true, i["next_reminder"].is_string()),
            )
        })
        .collect();
    assert_eq!(
        standing,
        [
            ("liv@example.org".to_owned(), (true, false)),
            ("oda@example.org".to_owned(), (false, true)),
            ("per@example.org".to_owned(), (true, false)),
        ]
        .into_iter()
        .collect()
    );

    // One reminder by hand, now: to Oda alone, and logged.
    let sent = app
        .planner_expects(200, &format!("{path}/send"), json!({}))
        .await;
    assert_eq!(sent["reminded"], 1, "{sent}");
    let mail = app.mail_to("oda@example.org", "/response").await;
    assert!(mail.text().contains(&h.id), "{}", mail.text());
    app.outbox_drained().await;
    assert!(
        app.smtp.mails().iter().all(
            |m| m.to != ["per@example.org"] && m.to != ["liv@example.org"]
                || !m.text().contains("/response")
        ),
        "an organisation that answered was reminded"
    );
    let (_, log) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{}/changes", h.id))
        .await;
    let kinds: Vec<&str> = log
        .as_array()
        .expect("log")
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    assert!(kinds.contains(&"reminders_changed"), "{kinds:?}");
    assert!(kinds.contains(&"reminded"), "{kinds:?}");

    // The workbench shows the same, and its forms call the same use cases.
    let planner = tests::signed_in_planner(&app, "kari@testvik.example").await;
    let page = app
        .page(&planner, &format!("/planner/hearings/{}", h.id))
        .await;
    assert!(page.contains("id=\"reminders-invitees\""), "{page}");
    assert!(
        page.contains("Oda Medlem") && page.contains("Pensjonistlaget"),
        "{page}"
    );
    assert!(page.contains("value=\"7, 2\""), "{page}");
    let response = planner
        .post(app.url(&format!("/planner/hearings/{}/reminders", h.id)))
        .form(&[("days", "tre")])
        .send()
        .await
        .expect("form");
    assert_eq!(response.status(), 422);
    let page = response.text().await.expect("html");
    assert!(page.contains("Skriv dagane som tal"), "{page}");
    let response = planner
        .post(app.url(&format!("/planner/hearings/{}/reminders", h.id)))
        .form(&[("days", "10, 1")])
        .send()
        .await
        .expect("form");
    assert_eq!(response.status(), 200);
    let hearing = app.db.hearing(h.hearing_id()).await.expect("hearing");
    assert_eq!(hearing.reminder_days, [10, 1]);
    app.stop().await.expect("stops");
}
