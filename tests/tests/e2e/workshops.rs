//! Workshops through the real server: the API and the pages, the letters on the
//! wire with their calendar file (a change raises SEQUENCE, a cancellation says
//! METHOD:CANCEL; read by Python's `icalendar` too), the waiting list, refusals
//! that store nothing, the 48-hour reminder sent once, and who may download the
//! `.ics` file.

use mail_parser::MimeHeaders;
use reqwest::Method;
use serde_json::{Value, json};
use tests::fixtures::SignedIn;
use tests::{Backend, OpenHearing, TestApp, spawn_app};

struct Setup {
    app: TestApp,
    hearing: OpenHearing,
    group: String,
    members: Vec<SignedIn>,
}

async fn setup(members: usize) -> Setup {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let hearing = app.open_hearing("helse").await;
    let group = app
        .planner_expects(
            201,
            &format!("/api/v1/plans/{}/groups", hearing.plan_id),
            json!({"kind": "reference_group", "name": "Referansegruppa"}),
        )
        .await["id"]
        .as_str()
        .expect("group id")
        .to_owned();
    let group_id = domain::GroupId(group.parse().expect("uuid"));
    let mut signed_in = Vec::new();
    for i in 0..members {
        signed_in.push(
            app.member(
                group_id,
                &format!("medlem{i}@alver.example"),
                &format!("Medlem {i}"),
            )
            .await,
        );
    }
    Setup {
        app,
        hearing,
        group,
        members: signed_in,
    }
}

/// A workshop body starting `hours` from now, for three hours.
fn workshop(s: &Setup, hours: i64, capacity: Option<u32>) -> Value {
    let start = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(hours);
    let start = jiff::Timestamp::from_second(start.as_second()).expect("whole seconds");
    json!({
        "title": "Arbeidsmøte om trinn 7–10",
        "purpose": "Innspel til tiltak.",
        "starts_at": start.to_string(),
        "ends_at": (start + jiff::SignedDuration::from_hours(3)).to_string(),
        "place": {"address": "Rådhuset, Storgata 1", "step_free_access": true, "hearing_loop": true},
        "capacity": capacity,
        "groups": [s.group],
        "agenda": [
            {"title": "Roller og ansvar", "sections": [s.hearing.section_ids[1]], "minutes": 45,
             "stages": ["individual", "group", "plenum"]},
            {"title": "Oppsummering", "minutes": 15, "stages": ["plenum"]}
        ],
        "readings": [s.hearing.document_id],
    })
}

async fn create(s: &Setup, body: Value) -> Value {
    s.app
        .planner_expects(
            201,
            &format!("/api/v1/plans/{}/workshops", s.hearing.plan_id),
            body,
        )
        .await
}

async fn put_as_planner(app: &TestApp, path: &str, body: Value) -> (u16, Value) {
    let response = app
        .as_planner(Method::PUT, path)
        .json(&body)
        .send()
        .await
        .expect("sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The calendar files of the emails to `to`, in the order they were sent.
fn calendars_to(app: &TestApp, to: &str) -> Vec<(String, String)> {
    app.smtp
        .mails()
        .iter()
        .filter(|m| m.to == [to])
        .filter_map(|m| {
            let message = mail_parser::MessageParser::default().parse(m.data.as_bytes())?;
            let attachment = message
                .attachments()
                .find(|a| a.is_content_type("text", "calendar"))?;
            let content_type = m
                .data
                .lines()
                .find(|l| {
                    l.to_ascii_lowercase()
                        .starts_with("content-type: text/calendar")
                })
                .unwrap_or_default()
                .to_owned();
            Some((
                content_type,
                String::from_utf8_lossy(attachment.contents()).replace("\r\n ", ""),
            ))
        })
        .collect()
}

fn line<'a>(ics: &'a str, name: &str) -> Option<&'a str> {
    ics.lines()
        .find_map(|l| l.strip_prefix(&format!("{name}:")))
        .map(str::trim_end)
}

/// Creates a workshop, changes it, cancels it: every member gets three letters in
/// order, each with the same UID and a rising SEQUENCE, the last METHOD:CANCEL.
async fn invitation_update_and_cancellation(s: &Setup) -> Vec<(String, String)> {
    let created = create(s, workshop(s, 24 * 7, None)).await;
    assert_eq!(created["sequence"], 0);
    let id = created["id"].as_str().expect("id");
    // The member answers between the letters: each calendar carries the answer.
    let answer = |value: &'static str| {
        let path = format!("/api/v1/workshops/{id}/registration");
        async move {
            let (status, answered) = s
                .app
                .send(
                    &s.members[0],
                    Method::PUT,
                    &path,
                    Some(json!({"answer": value})),
                )
                .await;
            assert_eq!(status, 200, "{answered}");
        }
    };
    answer("maybe").await;
    let mut moved = workshop(s, 24 * 7 + 1, None);
    moved["title"] = json!("Arbeidsmøte om trinn 7–10 (ny tid)");
    let (status, changed) = put_as_planner(&s.app, &format!("/api/v1/workshops/{id}"), moved).await;
    assert_eq!(status, 200, "{changed}");
    assert_eq!(changed["sequence"], 1);
    answer("yes").await;
    let cancelled = s
        .app
        .planner_expects(200, &format!("/api/v1/workshops/{id}/cancel"), json!({}))
        .await;
    assert_eq!(cancelled["status"], "cancelled");
    assert_eq!(cancelled["sequence"], 2);
    s.app.outbox_drained().await;
    let mut calendars = calendars_to(&s.app, "medlem0@alver.example");
    assert_eq!(calendars.len(), 3, "invitation, update, cancellation");
    // The worker sends several letters at once, so they may arrive in any order;
    // calendar programs order them by SEQUENCE, and so does the test.
    calendars.sort_by_key(|(_, ics)| line(ics, "SEQUENCE").and_then(|s| s.parse::<u32>().ok()));
    calendars
}

#[tokio::test]
async fn a_change_sends_an_update_with_a_higher_sequence_and_a_cancellation_method_cancel() {
    let s = setup(1).await;
    let calendars = invitation_update_and_cancellation(&s).await;
    let uids: Vec<_> = calendars.iter().map(|(_, ics)| line(ics, "UID")).collect();
    assert!(
        uids[0].is_some() && uids.iter().all(|u| *u == uids[0]),
        "{uids:?}"
    );
    let sequences: Vec<_> = calendars
        .iter()
        .map(|(_, ics)| line(ics, "SEQUENCE").expect("SEQUENCE"))
        .collect();
    assert_eq!(sequences, ["0", "1", "2"]);
    let methods: Vec<_> = calendars
        .iter()
        .map(|(_, ics)| line(ics, "METHOD").expect("METHOD"))
        .collect();
    assert_eq!(methods, ["REQUEST", "REQUEST", "CANCEL"]);
    assert!(
        calendars[2].0.contains("method=CANCEL"),
        "{}",
        calendars[2].0
    );
    assert_eq!(line(&calendars[2].1, "STATUS"), Some("CANCELLED"));
    // Each names the member as the attendee, with the answer they had given, and
    // gives the times in Norwegian time with the zone's definition.
    let partstats: Vec<_> = calendars
        .iter()
        .map(|(_, ics)| {
            // Long lines fold with a space or a tab.
            let ics = ics
                .replace("\r\n", "\n")
                .replace("\n ", "")
                .replace("\n\t", "");
            let attendee = ics
                .lines()
                .find(|l| l.starts_with("ATTENDEE"))
                .unwrap_or_else(|| panic!("no ATTENDEE in {ics}"));
            assert!(
                attendee.ends_with(":mailto:medlem0@alver.example")
                    && attendee.contains("CN=Medlem 0"),
                "{attendee}"
            );
            assert!(ics.contains("BEGIN:VTIMEZONE"), "{ics}");
            assert!(ics.contains("DTSTART;TZID=Europe/Oslo:"), "{ics}");
            attendee
                .split(';')
                .find_map(|p| p.strip_prefix("PARTSTAT="))
                .map(|p| p.split(':').next().unwrap_or(p).to_owned())
                .expect("PARTSTAT")
        })
        .collect();
    assert_eq!(partstats, ["NEEDS-ACTION", "TENTATIVE", "ACCEPTED"]);
    let subjects: Vec<_> = s
        .app
        .smtp
        .mails()
        .iter()
        .filter(|m| m.to == ["medlem0@alver.example"])
        .map(|m| m.subject())
        .filter(|s| s.contains("Arbeidsmøte"))
        .collect();
    assert_eq!(subjects.len(), 3, "{subjects:?}");
    // One of each, in whatever order the worker's concurrent sends arrived.
    for word in ["Invitasjon", "Endra", "Avlyst"] {
        assert_eq!(
            subjects.iter().filter(|s| s.contains(word)).count(),
            1,
            "{word}: {subjects:?}"
        );
    }
}

/// The calendar files read by Python's `icalendar`, a parser Samråd does not use.
/// Needs Debian's python3-icalendar, which `.ci/run` installs before it runs the
/// tests named `python_icalendar`.
#[tokio::test]
#[ignore = "needs python3-icalendar: .ci/run installs it and runs the tests named python_icalendar"]
async fn python_icalendar_reads_the_invitation_update_and_cancellation() {
    let s = setup(1).await;
    let calendars = invitation_update_and_cancellation(&s).await;
    let dir = tests::TempDir::new();
    let mut files = Vec::new();
    for (i, (_, ics)) in calendars.iter().enumerate() {
        let path = dir.0.join(format!("{i}.ics"));
        std::fs::write(&path, ics).expect("write");
        files.push(path);
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check_ics.py");
    // Debian's Python, where python3-icalendar is installed, else the first on PATH.
    let python = if std::path::Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    };
    let out = std::process::Command::new(python)
        .arg(&script)
        .args(&files)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let read: Value = serde_json::from_slice(&out.stdout).expect("json");
    let read = read.as_array().expect("one per file");
    assert_eq!(read.len(), 3);
    let uid = read[0]["uid"].as_str().expect("uid");
    assert!(uid.starts_with("workshop-"), "{uid}");
    for (event, (method, sequence, status)) in read.iter().zip([
        ("REQUEST", 0, "CONFIRMED"),
        ("REQUEST", 1, "CONFIRMED"),
        ("CANCEL", 2, "CANCELLED"),
    ]) {
        assert_eq!(event["uid"], uid);
        assert_eq!(event["method"], method, "{event}");
        assert_eq!(event["sequence"], sequence, "{event}");
        assert_eq!(event["status"], status, "{event}");
        assert_eq!(event["version"], "2.0");
        assert_eq!(event["location"], "Rådhuset, Storgata 1");
        assert_eq!(event["tzid"], "Europe/Oslo", "{event}");
        assert_eq!(event["timezones"], json!(["Europe/Oslo"]), "{event}");
        assert_eq!(
            event["attendees"][0]["email"], "mailto:medlem0@alver.example",
            "{event}"
        );
        assert_eq!(event["attendees"][0]["cn"], "Medlem 0", "{event}");
    }
    let partstats: Vec<&Value> = read
        .iter()
        .map(|e| &e["attendees"][0]["partstat"])
        .collect();
    assert_eq!(
        partstats,
        [
            &json!("NEEDS-ACTION"),
            &json!("TENTATIVE"),
            &json!("ACCEPTED")
        ]
    );
    assert_eq!(read[0]["summary"], "Arbeidsmøte om trinn 7–10");
    assert_eq!(read[1]["summary"], "Arbeidsmøte om trinn 7–10 (ny tid)");
    // The change moved it an hour; it lasts three.
    let start = |e: &Value| {
        e["start"]
            .as_str()
            .expect("start")
            .parse::<jiff::Timestamp>()
            .expect("UTC time")
    };
    assert_eq!(
        start(&read[1]).duration_since(start(&read[0])),
        jiff::SignedDuration::from_hours(1)
    );
}

#[tokio::test]
async fn answers_fill_the_seats_then_the_waiting_list_and_refusals_store_nothing() {
    let s = setup(3).await;
    let created = create(&s, workshop(&s, 24 * 7, Some(1))).await;
    let id = created["id"].as_str().expect("id");
    let answer = format!("/api/v1/workshops/{id}/registration");
    let (status, first) = s
        .app
        .send(
            &s.members[0],
            Method::PUT,
            &answer,
            Some(json!({"answer": "yes", "diet": "glutenfri", "assistant": true})),
        )
        .await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["seat"], "confirmed");
    let (status, second) = s
        .app
        .send(
            &s.members[1],
            Method::PUT,
            &answer,
            Some(json!({"answer": "yes"})),
        )
        .await;
    assert_eq!(status, 200, "over capacity is not an error: {second}");
    assert_eq!(second["seat"], "waiting");
    // Bad input: a clear error, nothing stored.
    let (status, bad) = s
        .app
        .send(
            &s.members[2],
            Method::PUT,
            &answer,
            Some(json!({"answer": "kanskje"})),
        )
        .await;
    assert_eq!(
        (status, bad["error"].as_str()),
        (422, Some("unknown_answer"))
    );
    let stranger = s.app.citizen("annan@alver.example", "Annan").await;
    let (status, _) = s
        .app
        .send(
            &stranger,
            Method::PUT,
            &answer,
            Some(json!({"answer": "yes"})),
        )
        .await;
    assert_eq!(status, 404, "not invited and cannot see it");
    let (status, body) = put_as_planner(&s.app, &answer, json!({"answer": "yes"})).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("not_invited")));
    // Someone declines: the first who waits gets the seat, and a letter.
    let (status, declined) = s
        .app
        .send(
            &s.members[0],
            Method::PUT,
            &answer,
            Some(json!({"answer": "no"})),
        )
        .await;
    assert_eq!((status, declined["seat"].as_str()), (200, Some("none")));
    let (status, list) = s
        .app
        .get_json_as_planner(&format!("/api/v1/workshops/{id}/registrations"))
        .await;
    assert_eq!(status, 200);
    let seats: Vec<_> = list
        .as_array()
        .expect("list")
        .iter()
        .map(|r| {
            (
                r["name"].as_str().expect("name"),
                r["seat"].as_str().expect("seat"),
            )
        })
        .collect();
    assert!(seats.contains(&("Medlem 1", "confirmed")), "{seats:?}");
    assert!(seats.contains(&("Medlem 0", "none")), "{seats:?}");
    assert_eq!(
        seats.len(),
        2,
        "the refused answers stored nothing: {seats:?}"
    );
    s.app.mail_to("medlem1@alver.example", "ventelista").await;
    // Members do not see the list.
    let (status, _) = s
        .app
        .send(
            &s.members[1],
            Method::GET,
            &format!("/api/v1/workshops/{id}/registrations"),
            None,
        )
        .await;
    assert_eq!(status, 403);

    // After the start no one can register.
    let started = create(&s, workshop(&s, -1, None)).await;
    let late = format!(
        "/api/v1/workshops/{}/registration",
        started["id"].as_str().expect("id")
    );
    let (status, body) = s
        .app
        .send(
            &s.members[2],
            Method::PUT,
            &late,
            Some(json!({"answer": "yes"})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("registration_closed"))
    );
}

#[tokio::test]
async fn the_reminder_goes_out_once_48_hours_before() {
    let s = setup(2).await;
    let created = create(&s, workshop(&s, 47, None)).await;
    let id = created["id"].as_str().expect("id");
    for (member, answer) in s.members.iter().zip(["yes", "maybe"]) {
        let (status, _) = s
            .app
            .send(
                member,
                Method::PUT,
                &format!("/api/v1/workshops/{id}/registration"),
                Some(json!({"answer": answer})),
            )
            .await;
        assert_eq!(status, 200);
    }
    // However often the scheduler runs (here, and in the server's own worker), one
    // reminder per person who said yes.
    for _ in 0..3 {
        notify::scheduler::queue_workshop_reminders(
            &s.app.db,
            jiff::Timestamp::now(),
            "http://localhost",
        )
        .await
        .expect("ran");
    }
    let kinds = s.app.queued_email_kinds().await;
    assert_eq!(
        kinds.iter().filter(|k| **k == "workshop_reminder").count(),
        1,
        "{kinds:?}"
    );
    s.app.outbox_drained().await;
    let reminders: Vec<_> = s
        .app
        .smtp
        .mails()
        .into_iter()
        .filter(|m| m.subject().contains("Påminning"))
        .collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].to, ["medlem0@alver.example"]);
    assert!(
        reminders[0].text().contains("48 timar"),
        "{}",
        reminders[0].text()
    );
}

#[tokio::test]
async fn the_ics_file_is_for_those_who_may_read_the_workshop() {
    let s = setup(1).await;
    let created = create(&s, workshop(&s, 24 * 7, None)).await;
    let path = format!("/workshops/{}.ics", created["id"].as_str().expect("id"));
    let response = s.members[0]
        .get(s.app.url(&path))
        .send()
        .await
        .expect("get");
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/calendar")
    );
    let ics = response.text().await.expect("text");
    assert!(ics.starts_with("BEGIN:VCALENDAR"), "{ics}");
    assert_eq!(line(&ics, "SEQUENCE"), Some("0"));
    // The member's copy names them, still without an answer; Norwegian time.
    let unfolded = ics.replace("\r\n", "\n").replace("\n ", "");
    assert!(
        unfolded.contains("PARTSTAT=NEEDS-ACTION")
            && unfolded.contains(":mailto:medlem0@alver.example"),
        "{ics}"
    );
    assert!(unfolded.contains("DTSTART;TZID=Europe/Oslo:"), "{ics}");
    let planner = s.app.planner("planlegg@alver.example").await;
    let (status, planners) = s.app.page_status(&planner, &path).await;
    assert_eq!(status, 200);
    assert!(!planners.contains("ATTENDEE"), "the planner is not invited");
    let stranger = s.app.citizen("annan@alver.example", "Annan").await;
    for client in [&stranger.client, &s.app.public()] {
        let (status, _) = s.app.page_status(client, &path).await;
        assert_eq!(status, 404);
    }
    let (status, _) = s
        .app
        .page_status(
            &s.members[0],
            &format!("/workshops/{}.ics", uuid::Uuid::new_v4()),
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn the_plan_lists_its_workshops_and_members_answer_on_the_page() {
    let s = setup(1).await;
    let created = create(&s, workshop(&s, 24 * 7, Some(10))).await;
    let id = created["id"].as_str().expect("id");
    let list = format!("/api/v1/plans/{}/workshops", s.hearing.plan_id);
    let (status, listed) = s.app.send(&s.members[0], Method::GET, &list, None).await;
    assert_eq!(status, 200);
    assert_eq!(listed[0]["id"], id);
    assert_eq!(
        listed[0]["agenda"][0]["stages"],
        json!(["individual", "group", "plenum"])
    );
    assert_eq!(listed[0]["place"]["hearing_loop"], true);
    let (status, listed) = s.app.send(&s.app.public(), Method::GET, &list, None).await;
    assert_eq!((status, listed), (200, json!([])), "the public sees none");
    let (_, openapi) = s.app.get_json("/api/openapi.json").await;
    assert!(openapi["paths"]["/api/v1/plans/{id}/workshops"]["get"].is_object());

    // The member's page: the agenda and the answer form; answering by the form.
    let page = s.app.page(&s.members[0], &format!("/workshops/{id}")).await;
    assert!(page.contains("Roller og ansvar") && page.contains("name=\"answer\""));
    let response = s.members[0]
        .post(s.app.url(&format!("/workshops/{id}/answer")))
        .form(&[
            ("answer", "yes"),
            ("diet", "vegetar"),
            ("assistant", "true"),
        ])
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status().as_u16(), 303);
    let page = s.app.page(&s.members[0], &format!("/workshops/{id}")).await;
    assert!(page.contains("Du har plass."), "{page}");
    // A refused answer comes back beside its field.
    let response = s.members[0]
        .post(s.app.url(&format!("/workshops/{id}/answer")))
        .form(&[("answer", "")])
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status().as_u16(), 422);
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("ws-answer-yes-error")
    );
    // The planner sees who comes and what they need.
    let planner = s.app.planner("planlegg@alver.example").await;
    let page = s.app.page(&planner, &format!("/workshops/{id}")).await;
    assert!(
        page.contains("Medlem 0") && page.contains("vegetar"),
        "{page}"
    );
    // The group's page and the planner's plan page show the meeting.
    let page = s
        .app
        .page(&s.members[0], &format!("/groups/{}", s.group))
        .await;
    assert!(page.contains(&format!("/workshops/{id}")), "{page}");
    let page = s
        .app
        .page(&planner, &format!("/planner/plans/{}", s.hearing.plan_id))
        .await;
    assert!(page.contains(&format!("/workshops/{id}")), "{page}");
    let page = s.app.page(&s.members[0], &s.hearing.page_path()).await;
    assert!(page.contains(&format!("/workshops/{id}")), "{page}");
    let page = s.app.page(&s.app.public(), &s.hearing.page_path()).await;
    assert!(!page.contains("/workshops/"), "not for the public");
}

#[tokio::test]
async fn a_planner_creates_a_workshop_with_the_form() {
    let s = setup(1).await;
    let planner = s.app.planner("planlegg@alver.example").await;
    let form_path = format!("/planner/plans/{}/workshops/new", s.hearing.plan_id);
    let page = s.app.page(&planner, &form_path).await;
    assert!(page.contains("Referansegruppa") && page.contains("Roller og ansvar"));
    let post = format!("/planner/plans/{}/workshops", s.hearing.plan_id);
    let fields = |ends: &str| {
        vec![
            ("title", "Verkstad".to_owned()),
            ("starts_at", "2031-03-04T10:00".to_owned()),
            ("ends_at", ends.to_owned()),
            ("address", "Rådhuset".to_owned()),
            ("hearing_loop", "true".to_owned()),
            ("groups", s.group.clone()),
            ("agenda_title_0", "Roller".to_owned()),
            ("agenda_minutes_0", "30".to_owned()),
            ("agenda_stages_0", "individual".to_owned()),
            ("agenda_sections_0", s.hearing.section_ids[1].clone()),
        ]
    };
    let refused = planner
        .post(s.app.url(&post))
        .form(&fields("2031-03-04T09:00"))
        .send()
        .await
        .expect("posted");
    assert_eq!(refused.status().as_u16(), 422);
    assert!(
        refused
            .text()
            .await
            .expect("html")
            .contains("ws-ends-error")
    );
    let created = planner
        .post(s.app.url(&post))
        .form(&fields("2031-03-04T13:00"))
        .send()
        .await
        .expect("posted");
    assert_eq!(created.status().as_u16(), 303);
    let (_, listed) = s
        .app
        .send(
            &planner,
            Method::GET,
            &format!("/api/v1/plans/{}/workshops", s.hearing.plan_id),
            None,
        )
        .await;
    assert_eq!(listed.as_array().expect("list").len(), 1);
    assert_eq!(
        listed[0]["starts_at"], "2031-03-04T09:00:00Z",
        "10:00 in Norway"
    );
    assert_eq!(
        listed[0]["agenda"][0]["sections"][0],
        s.hearing.section_ids[1]
    );
    s.app.mail_to("medlem0@alver.example", "Verkstad").await;
}

#[tokio::test]
async fn the_demo_holds_a_workshop_of_the_reference_group_with_an_agenda() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    server::demo::load(&app.db).await.expect("demo loads");
    let municipality = app
        .db
        .municipality_by_slug(server::demo::MUNICIPALITY_SLUG)
        .await
        .expect("db")
        .expect("demo municipality");
    let plan = app.db.plans_of(municipality.id).await.expect("plans")[0].clone();
    let workshops = app.db.workshops_of_plan(plan.id).await.expect("workshops");
    assert_eq!(workshops.len(), 1);
    let workshop = &workshops[0];
    assert!(workshop.agenda.len() >= 3);
    assert!(workshop.agenda.iter().any(|item| !item.sections.is_empty()));
    let group = workshop.groups[0];
    assert_eq!(
        app.db.group(group).await.expect("group").kind,
        domain::group::GroupKind::ReferenceGroup
    );
    // Loading again adds nothing.
    server::demo::load(&app.db).await.expect("demo loads again");
    assert_eq!(
        app.db
            .workshops_of_plan(plan.id)
            .await
            .expect("workshops")
            .len(),
        1
    );
    // Its members see it on their group's page.
    let (client, _) = app
        .sign_in_to(
            server::demo::MUNICIPALITY_SLUG,
            server::demo::REPRESENTATIVE_EMAIL,
        )
        .await;
    let (status, page) = app.page_status(&client, &format!("/groups/{group}")).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains(&format!("/workshops/{}", workshop.id)),
        "{page}"
    );
    let (status, page) = app
        .page_status(&client, &format!("/workshops/{}", workshop.id))
        .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Sentrale tema"), "{page}");
}

/// The group page shows what the group gave (a member's published comment and a
/// workshop note confirmed as an input, not an outsider's comment), and lets its
/// members open the draft the group is asked to read, which no hearing shows yet;
/// nobody else can open it there, and no other document opens that way.
#[tokio::test]
async fn the_group_page_shows_its_inputs_and_opens_the_drafts_it_is_asked_to_read() {
    let s = setup(1).await;
    let member = &s.members[0];
    let (status, draft) = s
        .app
        .post_as_planner(
            &format!("/api/v1/plans/{}/documents", s.hearing.plan_id),
            json!({
                "kind": "plan_proposal",
                "title": "Utkast til tiltaksdel",
                "sections": [
                    {"number": "1", "title": "Tiltak for eldre", "level": 1, "body": "Fleire benker langs **gangvegane**."}
                ]
            }),
        )
        .await;
    assert_eq!(status, 201, "{draft}");
    let draft = draft["id"].as_str().expect("id").to_owned();
    let mut body = workshop(&s, 24 * 7, None);
    body["readings"] = json!([draft]);
    let created = create(&s, body).await;
    let workshop_id = created["id"].as_str().expect("id").to_owned();
    let item = created["agenda"][0]["id"]
        .as_str()
        .expect("item")
        .to_owned();

    // The draft is closed to the member everywhere else.
    let (status, _) = s
        .app
        .page_status(member, &format!("/documents/{draft}/compare"))
        .await;
    assert_eq!(status, 404, "no hearing shows the draft");

    let group_page = format!("/groups/{}", s.group);
    let reading = format!("/groups/{}/readings/{draft}", s.group);
    let page = s.app.page(member, &group_page).await;
    assert!(page.contains(&format!("href=\"{reading}\"")), "{page}");
    let (status, page) = s.app.page_status(member, &reading).await;
    assert_eq!(status, 200, "{page}");
    assert!(
        page.contains("Tiltak for eldre") && page.contains("<strong>gangvegane</strong>"),
        "{page}"
    );
    // Not for others; not for a document the group is not asked to read.
    let outsider = s.app.citizen("ute@alver.example", "Ute Utanfor").await;
    let (status, _) = s.app.page_status(&outsider, &reading).await;
    assert_eq!(status, 404);
    let (status, _) = s
        .app
        .page_status(
            member,
            &format!("/groups/{}/readings/{}", s.group, s.hearing.document_id),
        )
        .await;
    assert_eq!(status, 404);

    // Inputs: the member's comment, an outsider's comment, a confirmed note.
    for (who, text) in [
        (member, "Medlemmen meiner at bussen må gå oftare."),
        (&outsider, "Ein utanforståande om parkering."),
    ] {
        let (status, comment) = s
            .app
            .send(
                who,
                Method::POST,
                &s.hearing.comments_path(),
                Some(
                    json!({"section_id": s.hearing.section(), "author_name": "Namn", "body": text}),
                ),
            )
            .await;
        assert_eq!(status, 201, "{comment}");
    }
    let planner = s.app.planner("planlegg@alver.example").await;
    let board = |rest: &str| format!("/api/v1/workshops/{workshop_id}/board{rest}");
    let (status, answer) = s
        .app
        .send(
            &planner,
            Method::POST,
            &board(&format!("/items/{item}/step")),
            Some(json!({"step": "open"})),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (status, note) = s
        .app
        .send(
            member,
            Method::POST,
            &board("/notes"),
            Some(json!({"body": "Ein lapp frå arbeidsmøtet", "named": false})),
        )
        .await;
    assert_eq!(status, 201, "{note}");
    let page = s.app.page(member, &group_page).await;
    assert!(
        !page.contains("Ein lapp frå arbeidsmøtet"),
        "a note is no input before it is confirmed"
    );
    let (status, answer) = s
        .app
        .send(
            &planner,
            Method::POST,
            &board("/inputs"),
            Some(json!({"note_ids": [note["id"]]})),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let page = s.app.page(member, &group_page).await;
    assert!(
        page.contains("Medlemmen meiner at bussen må gå oftare."),
        "{page}"
    );
    assert!(page.contains("Ein lapp frå arbeidsmøtet"), "{page}");
    assert!(!page.contains("Ein utanforståande om parkering."), "{page}");
}

/// Changes to a workshop reach its open pages over the hub: a real websocket client
/// in the workshop's room gets the new time and agenda, the board's stage changes,
/// and the cancellation, in order; one that resumes gets the same again.
#[tokio::test]
async fn workshop_changes_reach_the_workshop_room_live_and_on_resume() {
    let s = setup(1).await;
    let created = create(&s, workshop(&s, 24 * 7, None)).await;
    let id = created["id"].as_str().expect("id").to_owned();
    let item = created["agenda"][0]["id"]
        .as_str()
        .expect("item")
        .to_owned();
    let room = format!("workshop:{id}");
    let mut ws = s
        .app
        .subscribed(&room, Some(&s.members[0].cookie), None)
        .await;

    // Moved an hour, retitled, another agenda.
    let mut moved = workshop(&s, 24 * 7 + 1, None);
    moved["title"] = json!("Arbeidsmøte om trinn 7–10 (ny tid)");
    moved["agenda"] = json!([{"title": "Berre plenum", "minutes": 30, "stages": ["plenum"]}]);
    let (status, changed) = put_as_planner(&s.app, &format!("/api/v1/workshops/{id}"), moved).await;
    assert_eq!(status, 200, "{changed}");
    let (kind, data, first) = next_event(&mut ws).await;
    assert_eq!(kind, "workshop_changed", "{data}");
    assert_eq!(data["change"], "updated");
    assert_eq!(data["sequence"], 1);
    assert_eq!(data["title"], "Arbeidsmøte om trinn 7–10 (ny tid)");
    assert_eq!(data["starts_at"], changed["starts_at"]);
    assert_eq!(data["agenda"], json!(["Berre plenum"]));
    assert_eq!(data["place"], "Rådhuset, Storgata 1");

    // The facilitator opens the new item: the stage change follows.
    let item = changed["agenda"][0]["id"]
        .as_str()
        .unwrap_or(&item)
        .to_owned();
    let planner = s.app.planner("planlegg@alver.example").await;
    let (status, answer) = s
        .app
        .send(
            &planner,
            Method::POST,
            &format!("/api/v1/workshops/{id}/board/items/{item}/step"),
            Some(json!({"step": "open"})),
        )
        .await;
    assert_eq!(status, 200, "{answer}");
    let (kind, data, _) = next_event(&mut ws).await;
    assert_eq!(kind, "workshop_board_changed", "{data}");
    assert_eq!(data["stage"], "plenum");

    let cancelled = s
        .app
        .planner_expects(200, &format!("/api/v1/workshops/{id}/cancel"), json!({}))
        .await;
    assert_eq!(cancelled["status"], "cancelled");
    let (kind, data, last) = next_event(&mut ws).await;
    assert_eq!(kind, "workshop_changed", "{data}");
    assert_eq!(data["change"], "cancelled");
    assert_eq!(data["sequence"], 2);

    // A page that was closed meanwhile resumes with exactly these.
    let mut resumed = s
        .app
        .subscribed(&room, Some(&s.members[0].cookie), Some(first - 1))
        .await;
    let mut kinds = Vec::new();
    loop {
        let (kind, _, seq) = next_event(&mut resumed).await;
        kinds.push(kind);
        if seq == last {
            break;
        }
    }
    assert_eq!(
        kinds,
        [
            "workshop_changed",
            "workshop_board_changed",
            "workshop_changed"
        ]
    );
}

/// The next event of a room: its type, data and sequence number.
async fn next_event(ws: &mut tests::ws::Ws) -> (String, Value, i64) {
    let message = tests::ws::next_json(ws).await;
    assert_eq!(message["type"], "event", "{message}");
    (
        message["event"]["type"].as_str().expect("type").to_owned(),
        message["event"]["data"].clone(),
        message["seq"].as_i64().expect("seq"),
    )
}
