//! Daily digests through the real worker to the SMTP sink, on a clock the test
//! moves: a planner who keeps the digest gets no email at each input and one digest
//! the next morning; a follower gets the new comments of the section they follow,
//! not their own; the digest is queued once however often, late or in how many
//! workers the scheduler runs. On the real server: following and no longer following
//! from the hearing page and `/me`, the planner's choice on `/me`, the one-click
//! link of the digest, the export and forgetting.

use db::{Db, OutboxStatus};
use domain::Lang;
use domain::deadline::HearingKind;
use domain::email::{Email, OutgoingEmail};
use domain::hearing::{Audience, Hearing, HearingState};
use domain::person::Person;
use domain::plan::{DocumentKind, NewSection, Section};
use domain::policy::Actor;
use jiff::{SignedDuration, Timestamp};
use serde_json::Value;
use tests::rig::Rig;
use tests::{Backend, spawn_app};

const CONTACT: &str = "plan@alver.example";

/// An open hearing on a two-section document of a plan whose contact, Per, plans it.
struct World {
    hearing: Hearing,
    sections: Vec<Section>,
    per: Person,
}

async fn world(db: &Db) -> World {
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
            contact_email: Some(CONTACT.to_owned()),
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
            sections: ["Innleiing", "Medverknad"]
                .iter()
                .enumerate()
                .map(|(i, title)| NewSection {
                    number: (i + 1).to_string(),
                    title: (*title).to_owned(),
                    level: 1,
                    body: "Tekst.".to_owned(),
                })
                .collect(),
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
            contact_name: None,
            contact_email: None,
            actor: "test".to_owned(),
            period_weeks: 6,
        })
        .await
        .expect("hearing");
    let per = db
        .ensure_person(CONTACT, "Per Plan", Lang::En)
        .await
        .expect("person");
    db.add_plan_planner(plan.id, per.id).await.expect("planner");
    World {
        hearing,
        sections: document.sections,
        per,
    }
}

async fn citizen(db: &Db, email: &str, name: &str) -> Actor {
    let person = db
        .ensure_person(email, name, Lang::Nn)
        .await
        .expect("person");
    Actor::person(person.id, Vec::new())
}

async fn comment(rig: &Rig, world: &World, who: &Actor, section: usize, body: &str) {
    rig.service()
        .post_comment(
            who,
            world.hearing.id,
            consultation::comments::CommentInput {
                section_id: world.sections[section].id,
                author_name: String::new(),
                author_email: None,
                lang: Lang::Nn,
                body: body.to_owned(),
                idempotency_key: None,
                parent_id: None,
                quote: None,
            },
        )
        .await
        .expect("posted");
}

/// `hh:mm` Norwegian time `days` days after the day of `at`.
fn oslo_at(at: Timestamp, days: i64, hour: i8, minute: i8) -> Timestamp {
    at.to_zoned(domain::deadline::oslo())
        .date()
        .checked_add(jiff::Span::new().days(days))
        .expect("a day")
        .at(hour, minute, 0, 0)
        .to_zoned(domain::deadline::oslo())
        .expect("a time")
        .timestamp()
}

fn mails_to(rig: &Rig, to: &str) -> Vec<tests::smtp_sink::ReceivedMail> {
    rig.sink
        .mails()
        .into_iter()
        .filter(|m| m.to == [to])
        .collect()
}

#[tokio::test]
async fn a_digest_goes_out_once_at_the_hour_however_often_late_or_in_how_many_workers() {
    let rig = Rig::new().await;
    let world = world(&rig.db).await;
    let oda = citizen(&rig.db, "oda@example.org", "Oda").await;
    rig.service()
        .follow(&oda, world.hearing.id, Some(world.sections[0].id))
        .await
        .expect("followed");
    let kari = citizen(&rig.db, "kari@example.org", "Kari").await;
    comment(&rig, &world, &kari, 0, "Kari om innleiinga.").await;
    comment(&rig, &world, &kari, 1, "Kari om medverknad.").await;
    comment(&rig, &world, &oda, 0, "Oda sjølv.").await;
    let posted_at = rig.clock.now_for_tests();

    // Nothing to the planner at each input.
    let a = rig.worker_apart().await;
    let b = rig.worker_apart().await;
    while a.run_once().await.expect("sent") > 0 {}
    assert!(rig.jobs_to(CONTACT).await.is_empty());

    // Before the hour: nothing.
    rig.clock.set(oslo_at(posted_at, 1, 6, 59));
    assert_eq!(a.queue_due_digests().await.expect("run"), 0);
    // The workers were down until the afternoon; both start at once.
    rig.clock.set(oslo_at(posted_at, 1, 15, 0));
    let (queued_a, queued_b) = tokio::join!(a.queue_due_digests(), b.queue_due_digests());
    assert_eq!(queued_a.expect("a") + queued_b.expect("b"), 2);
    let (again_a, again_b) = tokio::join!(a.queue_due_digests(), b.queue_due_digests());
    assert_eq!(again_a.expect("a") + again_b.expect("b"), 0);
    let (sent_a, sent_b) = tokio::join!(a.run_once(), b.run_once());
    assert_eq!(sent_a.expect("a") + sent_b.expect("b"), 2);

    let to_per = mails_to(&rig, CONTACT);
    assert_eq!(to_per.len(), 1, "{to_per:#?}");
    let text = to_per[0].text();
    assert!(
        to_per[0].subject().contains("New input on"),
        "{}",
        to_per[0].subject()
    );
    for part in [
        "Kari om innleiinga.",
        "Kari om medverknad.",
        "Oda sjølv.",
        "1 Innleiing",
        "2 Medverknad",
    ] {
        assert!(text.contains(part), "{part} in {text}");
    }
    let to_oda = mails_to(&rig, "oda@example.org");
    assert_eq!(to_oda.len(), 1, "{to_oda:#?}");
    let text = to_oda[0].text();
    assert!(text.contains("Kari om innleiinga."), "{text}");
    assert!(
        !text.contains("Kari om medverknad."),
        "another section: {text}"
    );
    assert!(!text.contains("Oda sjølv."), "her own: {text}");
    // The digest may be turned off with one click, from the headers and the footer.
    let link = to_oda[0]
        .header("List-Unsubscribe")
        .expect("List-Unsubscribe");
    let link = link.trim_matches(['<', '>']);
    assert!(link.contains(".digest."), "{link}");
    assert!(text.contains(link), "the footer has the link: {text}");

    // The next morning, with nothing new: nothing.
    rig.clock.set(oslo_at(posted_at, 2, 7, 1));
    assert_eq!(a.queue_due_digests().await.expect("run"), 0);
    assert_eq!(rig.sink.mails().len(), 2);
}

#[tokio::test]
async fn a_planner_who_chose_each_input_gets_the_notice_at_once_and_no_digest() {
    let rig = Rig::new().await;
    let world = world(&rig.db).await;
    let per = Actor::person(world.per.id, Vec::new());
    let plan = rig
        .service()
        .notice_choices(&per, world.per.id)
        .await
        .expect("plans");
    rig.service()
        .save_notice_choices(&per, world.per.id, &[(plan[0].plan_id, true)])
        .await
        .expect("chosen");
    let kari = citizen(&rig.db, "kari@example.org", "Kari").await;
    comment(&rig, &world, &kari, 1, "Eit innspel med ein gong.").await;
    let posted_at = rig.clock.now_for_tests();
    let worker = rig.worker();
    while worker.run_once().await.expect("sent") > 0 {}
    let to_per = mails_to(&rig, CONTACT);
    assert_eq!(to_per.len(), 1);
    assert!(to_per[0].text().contains("Eit innspel med ein gong."));

    rig.clock.set(oslo_at(posted_at, 1, 7, 1));
    assert_eq!(worker.queue_due_digests().await.expect("run"), 0);
}

#[tokio::test]
async fn following_from_the_hearing_page_and_stopping_from_me_without_javascript() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let kari = app.citizen("kari@x.example", "Kari").await;
    let path = format!("/hearings/{}", h.id);

    // Not signed in: the page offers signing in, and the form sends there.
    let page = app.page(&app.public(), &path).await;
    assert!(page.contains("Logg inn for å følgje høyringa"), "{page}");
    let response = app
        .public()
        .post(app.url(&format!("{path}/follow")))
        .form(&[("section_id", h.section())])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    assert!(
        response.headers()["location"]
            .to_str()
            .expect("location")
            .starts_with("/sign-in"),
    );

    let page = app.page(&kari, &path).await;
    assert!(page.contains("Følg kapittelet"), "{page}");
    assert!(page.contains("Følg høyringa"), "{page}");
    for (section, anchor) in [
        (h.section(), format!("#section-{}", h.section())),
        ("", "#follow".to_owned()),
    ] {
        let response = kari
            .post(app.url(&format!("{path}/follow")))
            .form(&[("section_id", section)])
            .send()
            .await
            .expect("post");
        assert_eq!(response.status(), 303);
        let location = response.headers()["location"]
            .to_str()
            .expect("location")
            .to_owned();
        assert!(location.ends_with(&anchor), "{location}");
    }
    let page = app.page(&kari, &format!("{path}?done=followed")).await;
    assert!(page.contains("Slutt å følgje kapittelet"), "{page}");
    assert!(page.contains("Slutt å følgje høyringa"), "{page}");
    assert!(page.contains("Du følgjer no med."), "{page}");

    // A section of no hearing, and a hearing nobody knows: refused, nothing stored.
    let other = uuid::Uuid::new_v4().to_string();
    let response = kari
        .post(app.url(&format!("{path}/follow")))
        .form(&[("section_id", other.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 422);
    let response = kari
        .post(app.url(&format!("/hearings/{other}/follow")))
        .form(&[("section_id", "")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 404);
    assert_eq!(
        app.db
            .follows_of(kari.person.id)
            .await
            .expect("follows")
            .len(),
        2
    );

    // `/me` lists both; the export holds them.
    let me = app.page(&kari, "/me").await;
    assert!(me.contains("id=\"me-follows\""), "{me}");
    assert!(me.contains("1 Innleiing"), "{me}");
    assert!(me.contains("Heile høyringa"), "{me}");
    let export: Value = kari
        .get(app.url("/me/export"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("JSON");
    let follows = export["follows"].as_array().expect("follows");
    assert_eq!(follows.len(), 2, "{export}");
    assert_eq!(follows[0]["section_id"], h.section());
    assert_eq!(follows[0]["section"], "1 Innleiing");
    assert_eq!(follows[1]["section_id"], Value::Null);

    // Stopping from `/me` goes back there.
    let response = kari
        .post(app.url(&format!("{path}/follow")))
        .form(&[("section_id", h.section()), ("stop", "1"), ("back", "me")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        "/me?unfollowed=1#follows-heading"
    );
    let follows = app.db.follows_of(kari.person.id).await.expect("follows");
    assert_eq!(follows.len(), 1);
    assert_eq!(follows[0].follow.section, None);

    // Forgotten: nothing followed any more.
    let response = kari
        .post(app.url("/me/delete"))
        .form(&[("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 200);
    assert!(
        app.db
            .follows_of(kari.person.id)
            .await
            .expect("follows")
            .is_empty()
    );
}

#[tokio::test]
async fn a_planner_chooses_digest_or_each_input_per_plan_on_me() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let per = app.planner("per@testvik.example").await;
    let me = app.page(&per, "/me").await;
    let digest = format!(r#"name="notice-{}" value="digest" checked"#, h.plan_id);
    assert!(me.contains(&digest), "{me}");

    let field = format!("notice-{}", h.plan_id);
    let response = per
        .post(app.url("/me/notices"))
        .form(&[(field.as_str(), "immediate")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    let me = app.page(&per, "/me?notices_saved=1").await;
    let immediate = format!(r#"name="notice-{}" value="immediate" checked"#, h.plan_id);
    assert!(me.contains(&immediate), "{me}");
    assert!(me.contains("Vala for varsel er lagra."), "{me}");
    let export: Value = per
        .get(app.url("/me/export"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        export["notice_choices"][0]["notices"], "immediate",
        "{export}"
    );

    // A plan they do not plan: refused beside the form, nothing changed.
    let stranger = format!("notice-{}", uuid::Uuid::new_v4());
    let response = per
        .post(app.url("/me/notices"))
        .form(&[(stranger.as_str(), "digest"), (field.as_str(), "digest")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("notices-error")
    );
    let choices = app.db.notice_choices(per.person.id).await.expect("choices");
    assert!(choices[0].immediate);

    // Someone who plans nothing sees no such form.
    let kari = app.citizen("kari@x.example", "Kari").await;
    let me = app.page(&kari, "/me").await;
    assert!(!me.contains("id=\"me-notices\""), "{me}");
}

#[tokio::test]
async fn the_digest_stops_with_its_one_click_link_by_post_only() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let kari = app.citizen("kari@x.example", "Kari").await;
    let digest = |day: &str| OutgoingEmail {
        dedupe_key: format!("digest:{}:{day}", kari.person.id.0),
        municipality: None,
        plan: None,
        recipient: "kari@x.example".into(),
        lang: Lang::Nn,
        email: Email::Digest {
            day: day.into(),
            planned: Vec::new(),
            followed: vec![domain::email::DigestHearing {
                plan_title: "Kommuneplan".into(),
                hearing_title: "Høyring".into(),
                link: "https://samrad.test/hearings/x".into(),
                sections: vec![domain::email::DigestSection {
                    title: "1 Innleiing".into(),
                    inputs: vec![domain::email::DigestInput {
                        id: uuid::Uuid::new_v4(),
                        author_name: "Ola".into(),
                        excerpt: format!("Innspel {day}"),
                        late: false,
                        link: "https://samrad.test/hearings/x#comment-y".into(),
                    }],
                }],
            }],
        },
        letterhead: Default::default(),
    };
    app.db
        .enqueue_email(&digest("2026-12-01"))
        .await
        .expect("queued");
    let mail = app.mail_to("kari@x.example", "Innspel 2026-12-01").await;
    let header = mail.header("List-Unsubscribe").expect("List-Unsubscribe");
    let link = header.trim_matches(['<', '>']);
    assert!(mail.text().contains(link), "{}", mail.text());
    let path = link.strip_prefix(&app.base_url).expect("on the app");

    // Opening it changes nothing; the POST stops digests, and nothing else.
    let (status, _) = app.page_status(&app.public(), path).await;
    assert_eq!(status, 200);
    assert!(
        app.db
            .opted_out_kinds(kari.person.id)
            .await
            .expect("kinds")
            .is_empty()
    );
    let response = app
        .public()
        .post(link)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 200);
    assert_eq!(
        app.db.opted_out_kinds(kari.person.id).await.expect("kinds"),
        ["digest"]
    );

    app.db
        .enqueue_email(&digest("2026-12-02"))
        .await
        .expect("queued");
    app.outbox_drained().await;
    let jobs = app.db.recent_emails(1000).await.expect("outbox");
    let second = jobs
        .iter()
        .find(|j| j.dedupe_key.ends_with("2026-12-02"))
        .expect("the second digest");
    assert_eq!(second.status, OutboxStatus::Unsubscribed);
}
