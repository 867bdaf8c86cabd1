//! Hearings: legal deadlines, the lifecycle, the scheduler, extensions and the
//! public pages, feed and calendar.

use serde_json::{Value, json};
use std::time::Duration;
use tests::{Backend, TestApp, spawn_app};

fn today_oslo() -> jiff::civil::Date {
    jiff::Timestamp::now()
        .to_zoned(domain::deadline::oslo())
        .date()
}

async fn create(app: &TestApp, body: Value) -> (u16, Value) {
    app.post_as_planner("/api/v1/hearings", body).await
}

/// Waits until the worker's scheduler has moved the hearing to `state` (it looks
/// every 200 ms in the tests).
async fn state_becomes(app: &TestApp, id: &str, state: &str) {
    let deadline = tokio::time::Instant::now() + tests::PATIENCE;
    loop {
        let (_, hearing) = app.get_json(&format!("/api/v1/hearings/{id}")).await;
        if hearing["state"] == state {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the hearing never became {state}: {hearing}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_hole_example_and_its_easter_warning() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (status, report) = app
        .get_json("/api/v1/deadline?opens=2024-03-22&weeks=6&lang=en")
        .await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["deadline"], "2024-05-03T23:59:00+02:00");
    let codes: Vec<&str> = report["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(|w| w["code"].as_str())
        .collect();
    assert_eq!(codes, vec!["overlaps_easter"]);
    assert!(
        report["warnings"][0]["message"]
            .as_str()
            .expect("message")
            .contains("Easter")
    );

    let doc = app.draft_document("hole").await;
    let (status, hearing) = create(&app, json!({
        "document_version_id": doc.version_id, "title": "Høyring", "opens_on": "2024-03-22", "weeks": 6
    }))
    .await;
    assert_eq!(status, 201, "{hearing}");
    assert_eq!(hearing["deadline"], "2024-05-03T23:59:00+02:00");
    assert_eq!(hearing["opens_at"], "2024-03-22T00:00:00+01:00");
    assert_eq!(hearing["warnings"][0]["code"], "overlaps_easter");
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn bad_hearing_input_is_refused_and_nothing_is_stored() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("bad-input").await;
    let v = &doc.version_id;
    let cases = [
        (
            json!({"document_version_id": v, "title": "H", "opens_on": "22.03.2024"}),
            422,
            "invalid_date",
        ),
        (
            json!({"document_version_id": v, "title": "H", "opens_on": "2024-03-22", "deadline_on": "2024-03-01"}),
            422,
            "deadline_before_opening",
        ),
        (
            json!({"document_version_id": v, "title": "H", "time_zone": "Mars/Olympus"}),
            422,
            "unknown_time_zone",
        ),
        (
            json!({"document_version_id": v, "title": "H", "weeks": 0}),
            422,
            "weeks_out_of_range",
        ),
        (
            json!({"document_version_id": v, "title": "H", "weeks": 520}),
            422,
            "weeks_out_of_range",
        ),
        (
            json!({"document_version_id": v, "title": "H", "weeks": 4}),
            422,
            "too_short_for_pbl",
        ),
        (
            json!({"document_version_id": uuid::Uuid::new_v4(), "title": "H"}),
            422,
            "unknown_document_version",
        ),
        (
            json!({"document_version_id": v, "title": "H", "weeks": 6, "deadline_on": "2030-01-01"}),
            422,
            "ambiguous_deadline",
        ),
        (
            json!({"document_version_id": "not-a-uuid", "title": "H"}),
            422,
            "invalid_fields",
        ),
    ];
    for (body, status, code) in cases {
        let (got, answer) = create(&app, body.clone()).await;
        assert_eq!(
            (got, answer["error"].as_str()),
            (status, Some(code)),
            "{body} -> {answer}"
        );
    }
    let plan_id: domain::PlanId = doc.plan_id.parse().expect("plan id");
    assert!(
        app.db
            .hearings_of_plan(plan_id)
            .await
            .expect("hearings")
            .is_empty()
    );

    // A planner may override the minimum with a reason, which is logged.
    let (status, hearing) = create(&app, json!({
        "document_version_id": v, "title": "Kort høyring", "weeks": 4, "override_reason": "Mindre endring"
    }))
    .await;
    assert_eq!(status, 201, "{hearing}");
    let id = hearing["id"].as_str().expect("id");
    let (_, log) = {
        let r = app
            .as_planner(
                reqwest::Method::GET,
                &format!("/api/v1/hearings/{id}/changes"),
            )
            .send()
            .await
            .expect("log");
        (r.status().as_u16(), r.json::<Value>().await.expect("json"))
    };
    assert!(
        log[0]["actor"]
            .as_str()
            .expect("actor")
            .contains("Mindre endring"),
        "{log}"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_planner_runs_a_hearing_from_draft_to_assessed() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("lifecycle").await;
    let opens = today_oslo()
        .checked_add(jiff::ToSpan::days(7))
        .expect("date");
    let (status, hearing) = create(
        &app,
        json!({
            "document_version_id": doc.version_id,
            "title": "Høyring om helse",
            "announcement": "Formannskapet har vedteke å sende planprogrammet på høyring.",
            "opens_on": opens.to_string(),
            "contact_name": "Kari Nordmann",
            "contact_email": "kari@testvik.example"
        }),
    )
    .await;
    assert_eq!(status, 201);
    let id = hearing["id"].as_str().expect("id").to_owned();
    let post = |path: &'static str| {
        let app = &app;
        let id = id.clone();
        async move {
            app.post_as_planner(&format!("/api/v1/hearings/{id}/{path}"), json!({}))
                .await
        }
    };

    // A draft is invisible to the public.
    assert_eq!(app.get_json(&format!("/api/v1/hearings/{id}")).await.0, 404);
    let (status, closed_too_early) = post("close").await;
    assert_eq!(
        (status, closed_too_early["error"].as_str()),
        (409, Some("invalid_transition"))
    );

    let (status, scheduled) = post("schedule").await;
    assert_eq!(
        (status, scheduled["state"].as_str()),
        (200, Some("scheduled"))
    );
    // Scheduled for next week: the scheduler (run here rather than waited for) leaves
    // it alone, the public sees it coming.
    notify::scheduler::tick(&app.db, "https://samrad.test")
        .await
        .expect("scheduler");
    let (status, public) = app.get_json(&format!("/api/v1/hearings/{id}")).await;
    assert_eq!((status, public["state"].as_str()), (200, Some("scheduled")));

    // An anonymous client cannot change it.
    let anonymous = app
        .http
        .post(app.url(&format!("/api/v1/hearings/{id}/open")))
        .send()
        .await
        .expect("send");
    assert_eq!(anonymous.status(), 401);

    let (status, opened) = post("open").await;
    assert_eq!((status, opened["state"].as_str()), (200, Some("open")));
    assert!(
        opened["opens_at"]
            .as_str()
            .expect("opens")
            .starts_with(&today_oslo().to_string()),
        "opened by hand opens now"
    );

    // Someone comments, so they are told when the deadline moves.
    let (status, _) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{id}/comments"),
            json!({"section_id": doc.section_ids[0], "author_name": "Ungdomsrådet", "author_email": "ungdom@testvik.example", "body": "Bra."}),
        )
        .await;
    assert_eq!(status, 201);

    let old_deadline = opened["deadline"].as_str().expect("deadline").to_owned();
    let later = today_oslo()
        .checked_add(jiff::ToSpan::days(120))
        .expect("date");
    let (status, not_later) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{id}/extend"),
            json!({"deadline_on": today_oslo().to_string(), "reason": "Feil"}),
        )
        .await;
    assert_eq!(status, 422, "{not_later}");
    let (status, extended) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{id}/extend"),
            json!({"deadline_on": later.to_string(), "reason": "Mange lag ba om meir tid."}),
        )
        .await;
    assert_eq!(status, 200, "{extended}");
    assert_ne!(extended["deadline"].as_str(), Some(old_deadline.as_str()));
    assert!(
        extended["deadline"]
            .as_str()
            .expect("deadline")
            .ends_with("T23:59:00+01:00")
            || extended["deadline"]
                .as_str()
                .expect("deadline")
                .ends_with("T23:59:00+02:00")
    );

    // Comment notice to the plan contact, extension notices to plan contact, hearing
    // contact and the commenter.
    app.outbox_drained().await;
    let mails = app.smtp.mails();
    assert_eq!(mails.len(), 4, "{mails:#?}");
    let extension_recipients: Vec<String> = mails
        .iter()
        .filter(|m| m.data.contains("Mange lag ba om meir tid."))
        .flat_map(|m| m.to.clone())
        .collect();
    let mut sorted = extension_recipients.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        vec![
            "kari@testvik.example",
            "planleggjar@testvik.example",
            "ungdom@testvik.example"
        ]
    );

    // Before the published deadline, closing needs a reason (logged and shown publicly).
    let (status, refused) = post("close").await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (422, Some("early_close_needs_reason"))
    );
    let (status, closed) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{id}/close"),
            json!({"reason": "Planarbeidet blir stansa av kommunestyret."}),
        )
        .await;
    assert_eq!((status, closed["state"].as_str()), (200, Some("closed")));
    let (status, done) = post("complete").await;
    assert_eq!((status, done["state"].as_str()), (200, Some("assessed")));

    let log: Value = app
        .as_planner(
            reqwest::Method::GET,
            &format!("/api/v1/hearings/{id}/changes"),
        )
        .send()
        .await
        .expect("log")
        .json()
        .await
        .expect("json");
    let kinds: Vec<&str> = log
        .as_array()
        .expect("log")
        .iter()
        .filter_map(|c| c["kind"].as_str())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "created",
            "scheduled",
            "opened",
            "deadline_extended",
            "closed",
            "completed"
        ]
    );
    assert_eq!(log[3]["reason"], "Mange lag ba om meir tid.");
    assert_eq!(log[3]["old_deadline"], old_deadline.as_str());
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_hearing_that_should_have_opened_while_the_server_was_down_is_open_after_restart() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("restart").await;
    let (status, hearing) = create(&app, json!({
        "document_version_id": doc.version_id, "title": "Høyring", "opens_on": today_oslo().to_string()
    }))
    .await;
    assert_eq!(status, 201);
    let id: domain::HearingId = hearing["id"].as_str().expect("id").parse().expect("uuid");
    // Scheduled while the server is down; its opening time (midnight today) has passed.
    let app = app
        .restart_after(|db| async move {
            db.transition_hearing(id, domain::hearing::Transition::Schedule, "test", None, &[])
                .await?
                .expect("scheduled");
            Ok(())
        })
        .await
        .expect("restarts");
    state_becomes(&app, &id.to_string(), "open").await;
    let log = app.db.hearing_changes(id).await.expect("log");
    assert_eq!(log.last().map(|c| c.actor.as_str()), Some("scheduler"));
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn input_after_the_deadline_is_kept_and_marked_late_and_an_assessed_hearing_refuses_it() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("late").await;
    let opens = today_oslo()
        .checked_sub(jiff::ToSpan::days(70))
        .expect("date");
    let (status, hearing) = create(&app, json!({"document_version_id": doc.version_id, "title": "Gammal høyring", "opens_on": opens.to_string()})).await;
    assert_eq!(status, 201);
    let id = hearing["id"].as_str().expect("id").to_owned();
    let (status, _) = app
        .post_as_planner(&format!("/api/v1/hearings/{id}/open"), json!({}))
        .await;
    assert_eq!(status, 200);
    // The deadline passed weeks ago: the scheduler closes it.
    state_becomes(&app, &id, "closed").await;
    let comment = json!({"section_id": doc.section_ids[1], "author_name": "Seint ute", "body": "Beklagar at dette kjem seint."});
    let (status, late) = app
        .post_as_planner(&format!("/api/v1/hearings/{id}/comments"), comment.clone())
        .await;
    assert_eq!(status, 201, "{late}");
    assert_eq!(late["late"], true);
    let (status, _) = app
        .post_as_planner(&format!("/api/v1/hearings/{id}/complete"), json!({}))
        .await;
    assert_eq!(status, 200);
    let (status, refused) = app
        .post_as_planner(&format!("/api/v1/hearings/{id}/comments"), comment)
        .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (409, Some("hearing_not_open"))
    );
    let comments = app
        .get_json(&format!("/api/v1/hearings/{id}/comments"))
        .await
        .1;
    assert_eq!(comments.as_array().map(Vec::len), Some(1));
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn public_pages_feed_and_calendar_show_the_deadline() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("public").await;
    let (status, hearing) = create(&app, json!({
        "document_version_id": doc.version_id, "title": "Høyring om &lt;omsorg&gt;", "opens_on": "2024-03-22",
        "announcement": "Vi vil høyre frå deg.", "contact_name": "Kari", "contact_email": "kari@testvik.example"
    }))
    .await;
    assert_eq!(status, 201);
    let id = hearing["id"].as_str().expect("id").to_owned();
    app.post_as_planner(&format!("/api/v1/hearings/{id}/open"), json!({}))
        .await;

    let page = app
        .http
        .get(app.url(&format!("/hearings/{id}?lang=nn")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("3. mai 2024 kl. 23:59"),
        "deadline on the page"
    );
    assert!(page.contains("påska"), "Easter warning on the page");
    assert!(page.contains("Vi vil høyre frå deg."));
    assert!(page.contains("kari@testvik.example"));
    assert!(
        page.contains("Høyring om &amp;lt;omsorg&amp;gt;"),
        "titles are escaped"
    );

    let english = app
        .http
        .get(app.url(&format!("/hearings/{id}?lang=en")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(english.contains("3 May 2024 at 23:59"));

    let municipality = app
        .http
        .get(app.url(&format!("/m/{}", app.municipality_slug)))
        .send()
        .await
        .expect("page");
    assert_eq!(municipality.status(), 200);
    assert!(
        municipality
            .text()
            .await
            .expect("html")
            .contains(&format!("/hearings/{id}"))
    );
    assert_eq!(
        app.http
            .get(app.url("/m/no-such-place"))
            .send()
            .await
            .expect("page")
            .status(),
        404
    );

    let feed = app
        .http
        .get(app.url(&format!("/m/{}/hearings.atom", app.municipality_slug)))
        .send()
        .await
        .expect("feed");
    assert_eq!(
        feed.headers()["content-type"],
        "application/atom+xml; charset=utf-8"
    );
    let feed = feed.text().await.expect("xml");
    assert!(feed.contains(&format!("urn:uuid:{id}")), "{feed}");
    assert!(
        feed.contains("Høyringsfrist: 3. mai 2024 kl. 23:59"),
        "{feed}"
    );

    let ics = app
        .http
        .get(app.url(&format!("/hearings/{id}/deadline.ics")))
        .send()
        .await
        .expect("ics");
    assert_eq!(ics.status(), 200);
    let ics = ics.text().await.expect("text");
    assert!(ics.contains("BEGIN:VEVENT"), "{ics}");
    assert!(ics.contains("DTSTART;VALUE=DATE:20240503"), "{ics}");

    // A reader of English or bokmål gets the feed and the calendar in their language.
    let in_lang = |path: String, lang: &'static str| {
        let request = app.http.get(app.url(&path)).header("accept-language", lang);
        async move {
            request
                .send()
                .await
                .expect("sent")
                .text()
                .await
                .expect("text")
        }
    };
    let feed_en = in_lang(format!("/m/{}/hearings.atom", app.municipality_slug), "en").await;
    assert!(
        feed_en.contains("Hearing deadline: 3 May 2024 at 23:59"),
        "{feed_en}"
    );
    assert!(feed_en.contains("xml:lang=\"en\""), "{feed_en}");
    let feed_nb = in_lang("/hearings.atom".to_owned(), "nb").await;
    assert!(feed_nb.contains("Samråd – høringer"), "{feed_nb}");
    assert!(feed_nb.contains("Høringsfrist: 3. mai 2024"), "{feed_nb}");
    let ics_en = in_lang(format!("/hearings/{id}/deadline.ics"), "en").await;
    assert!(ics_en.contains("SUMMARY:Hearing deadline:"), "{ics_en}");
    assert!(ics_en.contains("Norwegian time"), "{ics_en}");

    // Drafts appear nowhere.
    let (_, draft) = create(
        &app,
        json!({"document_version_id": doc.version_id, "title": "Løyndom"}),
    )
    .await;
    let draft_id = draft["id"].as_str().expect("id");
    assert_eq!(
        app.http
            .get(app.url(&format!("/hearings/{draft_id}")))
            .send()
            .await
            .expect("page")
            .status(),
        404
    );
    assert_eq!(
        app.http
            .get(app.url(&format!("/hearings/{draft_id}/deadline.ics")))
            .send()
            .await
            .expect("ics")
            .status(),
        404
    );
    let front = app
        .http
        .get(app.url("/"))
        .send()
        .await
        .expect("front")
        .text()
        .await
        .expect("html");
    assert!(!front.contains("Løyndom"));
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_plans_timeline_is_kept_and_shown_on_the_hearing_page() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("timeline").await;
    let path = format!("/api/v1/plans/{}/milestones", doc.plan_id);
    for (title, due_on) in [
        ("Politisk vedtak", "2027-06-15"),
        ("Planprogram på høyring", "2026-03-02"),
    ] {
        let (status, body) = app
            .post_as_planner(&path, json!({"title": title, "due_on": due_on}))
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let (status, bad) = app
        .post_as_planner(&path, json!({"title": "X", "due_on": "15.06.2027"}))
        .await;
    assert_eq!((status, bad["error"].as_str()), (422, Some("invalid_date")));
    let anonymous = app
        .http
        .post(app.url(&path))
        .json(&json!({"title": "X", "due_on": "2027-01-01"}))
        .send()
        .await
        .expect("send");
    assert_eq!(anonymous.status(), 401);
    // The plan has published nothing yet: its timeline is its planners' alone.
    assert_eq!(app.get_json(&path).await.0, 404);
    let (status, listed) = app.get_json_as_planner(&path).await;
    assert_eq!(status, 200);
    let titles: Vec<&str> = listed
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|m| m["title"].as_str())
        .collect();
    assert_eq!(
        titles,
        vec!["Planprogram på høyring", "Politisk vedtak"],
        "in date order"
    );

    let (_, hearing) = create(
        &app,
        json!({"document_version_id": doc.version_id, "title": "Høyring"}),
    )
    .await;
    let id = hearing["id"].as_str().expect("id");
    app.post_as_planner(&format!("/api/v1/hearings/{id}/open"), json!({}))
        .await;
    let page = app
        .http
        .get(app.url(&format!("/hearings/{id}?lang=nn")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("2. mars 2026"), "milestone dates are shown");
    assert!(page.contains("Politisk vedtak"));
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn closing_early_takes_a_reason_the_public_can_read_and_later_input_is_on_time() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("early-close").await;
    let (status, hearing) = create(
        &app,
        json!({"document_version_id": doc.version_id, "title": "Høyring om eldreomsorg"}),
    )
    .await;
    assert_eq!(status, 201, "{hearing}");
    let id = hearing["id"].as_str().expect("id").to_owned();
    let (status, _) = app
        .post_as_planner(&format!("/api/v1/hearings/{id}/open"), json!({}))
        .await;
    assert_eq!(status, 200);
    let reason = "Kommunestyret har vedteke å stanse planarbeidet.";
    let (status, closed) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{id}/close"),
            json!({ "reason": reason }),
        )
        .await;
    assert_eq!((status, closed["state"].as_str()), (200, Some("closed")));

    // The public page says when and why, and that input before the deadline counts.
    let page = reqwest::get(app.url(&format!("/hearings/{id}")))
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains(reason), "the reason is public");
    assert!(page.contains("før fristen"), "{page}");
    assert!(!page.contains("blir merka som for seint komne"), "{page}");

    // Input after the early close, but before the published deadline, is on time.
    let (status, comment) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{id}/comments"),
            json!({"section_id": doc.section_ids[0], "author_name": "Eldrerådet", "body": "Vi rakk det."}),
        )
        .await;
    assert_eq!(status, 201, "{comment}");
    assert_eq!(comment["late"], false, "{comment}");

    // The log keeps the reason.
    let log: Value = app
        .as_planner(
            reqwest::Method::GET,
            &format!("/api/v1/hearings/{id}/changes"),
        )
        .send()
        .await
        .expect("log")
        .json()
        .await
        .expect("json");
    assert!(
        log.as_array()
            .expect("log")
            .iter()
            .any(|c| c["kind"] == "closed" && c["reason"] == reason),
        "{log}"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_suggested_deadline_clears_the_warning_and_the_public_sees_only_a_neutral_note() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("christmas").await;
    let (status, hearing) = create(
        &app,
        json!({"document_version_id": doc.version_id, "title": "Høyring over jul",
               "opens_on": "2026-12-01", "weeks": 8}),
    )
    .await;
    assert_eq!(status, 201, "{hearing}");
    let id = hearing["id"].as_str().expect("id").to_owned();
    assert_eq!(hearing["warnings"][0]["code"], "overlaps_christmas");
    let suggested = hearing["warnings"][0]["suggested_deadline"]
        .as_str()
        .expect("a suggestion")
        .to_owned();
    assert_eq!(suggested, "2027-02-04T23:59:00+01:00");

    // A draft: moving its deadline tells nobody.
    let (status, extended) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{id}/extend"),
            json!({"deadline_on": &suggested[..10], "reason": "Jula skal ikkje ete av fristen."}),
        )
        .await;
    assert_eq!(status, 200, "{extended}");
    assert_eq!(extended["deadline"], suggested.as_str());
    assert_eq!(extended["warnings"], json!([]), "{extended}");

    // A public hearing over Christmas shows readers a note, not the planner's advice.
    let (status, other) = create(
        &app,
        json!({"document_version_id": doc.version_id, "title": "Ei anna høyring",
               "opens_on": "2026-12-01", "weeks": 8}),
    )
    .await;
    assert_eq!(status, 201, "{other}");
    let other_id = other["id"].as_str().expect("id");
    let (status, _) = app
        .post_as_planner(&format!("/api/v1/hearings/{other_id}/schedule"), json!({}))
        .await;
    assert_eq!(status, 200);
    let page = reqwest::get(app.url(&format!("/hearings/{other_id}")))
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(page.contains("Høyringsperioden går over jula."), "{page}");
    assert!(!page.contains("Vurder"), "no advice to the public: {page}");
    let planner_view = other["warnings"][0]["message"].as_str().expect("advice");
    assert!(!planner_view.is_empty());
    // The extension committed before its answer: its emails would be queued by now.
    let queued = app.db.recent_emails(100).await.expect("outbox");
    assert!(
        !queued.iter().any(|job| matches!(
            job.envelope.email,
            domain::email::Email::DeadlineExtended { .. }
        )),
        "moving a draft's deadline emailed nobody"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_draft_is_edited_in_the_api_and_the_workbench_until_it_is_published() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("draft-edit").await;
    let (status, hearing) = create(
        &app,
        json!({"document_version_id": doc.version_id, "title": "Arbeidstittel"}),
    )
    .await;
    assert_eq!(status, 201, "{hearing}");
    let id = hearing["id"].as_str().expect("id").to_owned();
    let patch = |body: Value| {
        app.as_planner(reqwest::Method::PATCH, &format!("/api/v1/hearings/{id}"))
            .json(&body)
            .send()
    };
    let edited: Value = patch(json!({
        "title": "Høyring av planprogram for helse og omsorg",
        "announcement": "Kommunen ber om innspel til planprogrammet.",
        "contact_email": "plan@testvik.example"
    }))
    .await
    .expect("patch")
    .json()
    .await
    .expect("json");
    assert_eq!(
        edited["title"],
        "Høyring av planprogram for helse og omsorg"
    );
    assert_eq!(edited["contact_email"], "plan@testvik.example");
    assert_eq!(edited["state"], "draft");

    // A version of another plan's document is refused, and nothing changes.
    let other = app.draft_document("other-plan").await;
    let refused = patch(json!({"document_version_id": other.version_id}))
        .await
        .expect("patch");
    assert_eq!(refused.status(), 422);
    let bad_email = patch(json!({"contact_email": "ikkje ei adresse"}))
        .await
        .expect("patch");
    assert_eq!(bad_email.status(), 422);
    let (_, now) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{id}"))
        .await;
    assert_eq!(now["document_version_id"], doc.version_id.as_str());
    assert_eq!(now["contact_email"], "plan@testvik.example");

    // The workbench edits the same draft through the same use case.
    let client = tests::signed_in_planner(&app, "kari@testvik.example").await;
    let page = client
        .post(app.url(&format!("/planner/hearings/{id}/edit")))
        .form(&[
            ("document_version_id", doc.version_id.as_str()),
            ("title", "Høyring: helse og omsorg"),
            ("announcement", ""),
            ("contact_name", "Kari Nordmann"),
            ("contact_email", "kari@testvik.example"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("html");
    assert!(page.contains("Utkastet er endra."), "{page}");
    let (_, now) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{id}"))
        .await;
    assert_eq!(now["title"], "Høyring: helse og omsorg");
    assert_eq!(now["announcement"], Value::Null);

    // Once published it is no longer a draft; the log shows both edits.
    let (status, _) = app
        .post_as_planner(&format!("/api/v1/hearings/{id}/schedule"), json!({}))
        .await;
    assert_eq!(status, 200);
    let late = patch(json!({"title": "For seint"})).await.expect("patch");
    assert_eq!(late.status(), 409);
    let body: Value = late.json().await.expect("json");
    assert_eq!(body["error"], "not_a_draft");
    let (_, log) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{id}/changes"))
        .await;
    let edits = log
        .as_array()
        .expect("log")
        .iter()
        .filter(|c| c["kind"] == "edited")
        .count();
    assert_eq!(edits, 2, "{log}");
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn an_untitled_part_stored_by_an_older_import_has_a_name_everywhere() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("untitled").await;
    let plan_id: domain::PlanId = doc.plan_id.parse().expect("plan id");
    // Stored as imports did before every section had to have a title.
    let stored = app
        .db
        .create_document(db::NewDocument {
            plan_id,
            kind: domain::plan::DocumentKind::PlanningProgramme,
            title: "Eldre planprogram".to_owned(),
            sections: vec![
                domain::plan::NewSection {
                    number: String::new(),
                    title: String::new(),
                    level: 1,
                    body: "Tekst før første kapittel.".to_owned(),
                },
                domain::plan::NewSection {
                    number: "1".to_owned(),
                    title: "Mål".to_owned(),
                    level: 1,
                    body: "Måla for planen.".to_owned(),
                },
            ],
        })
        .await
        .expect("stored");
    let id = app
        .open_hearing_on(&stored.version.id.to_string(), json!({}))
        .await;
    let page = reqwest::get(app.url(&format!("/hearings/{id}?lang=nn")))
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let untitled = stored.sections[0].id;
    assert!(
        page.contains(&format!(
            "<a href=\"#section-{untitled}\"> Før første kapittel</a>"
        )),
        "the contents link has a name: {page}"
    );
    assert!(
        page.contains(&format!(
            "id=\"heading-{untitled}\"> Før første kapittel</h"
        )),
        "the heading has a name"
    );
    let planner = app.planner("kari@testvik.example").await;
    let response_page = app
        .page(&planner, &format!("/hearings/{id}/response?lang=nn"))
        .await;
    assert!(
        response_page.contains(&format!(
            "<label class=\"inline\" for=\"section-{untitled}\">Før første kapittel</label>"
        )),
        "the checkbox has a label: {response_page}"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_plan_text_is_marked_as_nynorsk_when_the_page_is_in_another_language() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let section = h.section();
    for lang in ["nn", "nb", "en"] {
        let page = app
            .page(&app.http, &format!("{}?lang={lang}", h.page_path()))
            .await;
        assert!(page.contains(&format!("<html lang=\"{lang}\">")), "{lang}");
        assert!(
            page.contains(&format!(
                "<div class=\"section-body\" id=\"text-{section}\" lang=\"nn\">"
            )),
            "the section's text in {lang}: {page}"
        );
        let heading = &page[page
            .find(&format!("id=\"heading-{section}\""))
            .expect("heading")..];
        assert!(
            heading[..heading.find("</h").expect("end")].contains("<span lang=\"nn\">"),
            "the section's title in {lang}"
        );
    }
}
