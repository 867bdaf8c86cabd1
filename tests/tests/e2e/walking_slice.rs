//! The walking slice: draft → hearing → live comment → email, through the real
//! server, a real websocket client and a real SMTP conversation.

use futures_util::SinkExt;
use serde_json::{Value, json};
use std::time::Duration;
use tests::ws::next_json;
use tests::{Backend, TestApp, spawn_app};
use tokio_tungstenite::tungstenite::Message;

/// Creates a plan with a two-section document and an open hearing; returns
/// (hearing id, document id, section ids).
async fn open_hearing(app: &TestApp) -> (String, String, Vec<String>) {
    let plan: Value = app
        .as_planner(reqwest::Method::POST, "/api/v1/plans")
        .json(&json!({
            "slug": "helse-sosial-omsorg",
            "title": "Kommunedelplan for helse, sosial og omsorg",
            "period_start": 2021,
            "period_end": 2033,
            "contact_email": "planleggjar@testvik.example"
        }))
        .send()
        .await
        .expect("create plan")
        .error_for_status()
        .expect("plan created")
        .json()
        .await
        .expect("plan JSON");
    let plan_id = plan["id"].as_str().expect("plan id");

    let document: Value = app
        .as_planner(reqwest::Method::POST, &format!("/api/v1/plans/{plan_id}/documents"))
        .json(&json!({
            "kind": "planning_programme",
            "title": "Planprogram",
            "sections": [
                {"number": "1", "title": "Innleiing", "level": 1, "body": "Kvifor vi lagar planen."},
                {"number": "3.1", "title": "Roller og ansvar", "level": 2, "body": "Kven gjer kva."}
            ]
        }))
        .send()
        .await
        .expect("create document")
        .error_for_status()
        .expect("document created")
        .json()
        .await
        .expect("document JSON");
    let sections: Vec<String> = document["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| s["id"].as_str().expect("section id").to_owned())
        .collect();
    assert_eq!(sections.len(), 2);

    let hearing: Value = app
        .as_planner(reqwest::Method::POST, "/api/v1/hearings")
        .json(&json!({
            "document_version_id": document["version_id"],
            "title": "Høyring av planprogrammet",
            "weeks": 6
        }))
        .send()
        .await
        .expect("create hearing")
        .error_for_status()
        .expect("hearing created")
        .json()
        .await
        .expect("hearing JSON");
    assert_eq!(hearing["state"], "draft");
    let deadline = hearing["deadline"].as_str().expect("deadline");
    assert!(
        deadline.contains("T23:59:00+0"),
        "deadline at 23:59 Oslo time: {deadline}"
    );
    let hearing_id = hearing["id"].as_str().expect("hearing id").to_owned();

    let opened: Value = app
        .as_planner(
            reqwest::Method::POST,
            &format!("/api/v1/hearings/{hearing_id}/open"),
        )
        .send()
        .await
        .expect("open hearing")
        .error_for_status()
        .expect("hearing opened")
        .json()
        .await
        .expect("hearing JSON");
    assert_eq!(opened["state"], "open");
    (
        hearing_id,
        document["id"].as_str().expect("doc id").to_owned(),
        sections,
    )
}

#[tokio::test]
async fn a_comment_reaches_the_websocket_and_the_planners_inbox() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (hearing_id, document_id, sections) = open_hearing(&app).await;

    let (mut ws, _) = tokio_tungstenite::connect_async(app.ws_url())
        .await
        .expect("websocket connects");
    let room = format!("document:{document_id}");
    ws.send(Message::text(
        json!({"type": "subscribe", "room": room}).to_string(),
    ))
    .await
    .expect("subscribe sent");
    let subscribed = next_json(&mut ws).await;
    assert_eq!(subscribed["type"], "subscribed", "{subscribed}");
    assert_eq!(subscribed["seq"], 0);

    let key = uuid::Uuid::new_v4().to_string();
    let comment_body = json!({
        "section_id": sections[1],
        "author_name": "Eldrerådet",
        "author_email": "eldreraadet@testvik.example",
        "body": "Vi saknar meir om transport til dagsenteret."
    });
    let response = app
        .http
        .post(app.url(&format!("/api/v1/hearings/{hearing_id}/comments")))
        .bearer_auth(&app.planner_token)
        .header("Idempotency-Key", &key)
        .json(&comment_body)
        .send()
        .await
        .expect("post comment");
    assert_eq!(response.status(), 201);
    let comment: Value = response.json().await.expect("comment JSON");
    assert_eq!(comment["late"], false);

    let event = next_json(&mut ws).await;
    assert_eq!(event["type"], "event", "{event}");
    assert_eq!(event["room"], room);
    assert_eq!(event["seq"], 1);
    assert_eq!(event["event"]["type"], "comment_posted");
    assert_eq!(event["event"]["data"]["comment_id"], comment["id"]);
    assert_eq!(event["event"]["data"]["section_id"], sections[1].as_str());
    assert_eq!(
        event["event"]["data"]["body"],
        "Vi saknar meir om transport til dagsenteret."
    );
    // The commenter's email address is never pushed to other readers.
    assert!(!event.to_string().contains("eldreraadet@"), "{event}");

    let mails = app
        .smtp
        .wait_for(1, Duration::from_secs(15))
        .await
        .expect("email delivered over SMTP");
    let mail = &mails[0];
    assert_eq!(mail.to, vec!["planleggjar@testvik.example".to_owned()]);
    assert!(mail.data.contains("Eldrer"), "{}", mail.data);
    let subject = mail.header("subject").expect("a subject");
    assert!(!subject.is_empty());
    let message_id = mail.header("message-id").expect("a Message-ID");
    assert!(message_id.contains("@test.example"), "{message_id}");

    // A retry with the same key returns the first comment: no second comment,
    // no second event and no second email.
    let retry = app
        .http
        .post(app.url(&format!("/api/v1/hearings/{hearing_id}/comments")))
        .bearer_auth(&app.planner_token)
        .header("Idempotency-Key", &key)
        .json(&comment_body)
        .send()
        .await
        .expect("retry");
    assert_eq!(retry.status(), 200);
    let retried: Value = retry.json().await.expect("comment JSON");
    assert_eq!(retried["id"], comment["id"]);
    let listed: Value = app
        .http
        .get(app.url(&format!("/api/v1/hearings/{hearing_id}/comments")))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("list JSON");
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    // Emails are queued with the change that causes them: one job, already sent,
    // and once the worker has nothing left the sink still has the one email.
    let sent = app.db.recent_emails(10).await.expect("outbox");
    assert_eq!(sent.len(), 1, "a retried post queued a second email");
    assert_eq!(sent[0].status, db::OutboxStatus::Sent);
    app.outbox_drained().await;
    assert_eq!(app.smtp.mails().len(), 1);
    // The next event in the room is the next comment's: the retry announced nothing.
    let next = app
        .http
        .post(app.url(&format!("/api/v1/hearings/{hearing_id}/comments")))
        .bearer_auth(&app.planner_token)
        .json(
            &json!({"section_id": sections[0], "author_name": "Ola", "body": "Eit anna innspel."}),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(next.status(), 201);
    let next: Value = next.json().await.expect("comment JSON");
    let event = next_json(&mut ws).await;
    assert_eq!(
        (&event["seq"], &event["event"]["data"]["comment_id"]),
        (&json!(2), &next["id"]),
        "{event}"
    );

    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn a_client_that_disconnects_gets_exactly_the_50_comments_it_missed() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (hearing_id, document_id, sections) = open_hearing(&app).await;
    let room = format!("document:{document_id}");
    let post = |n: usize| {
        app.http
            .post(app.url(&format!("/api/v1/hearings/{hearing_id}/comments")))
        .bearer_auth(&app.planner_token)
            .json(&json!({"section_id": sections[0], "author_name": "Ola", "body": format!("Innspel {n}")}))
            .send()
    };

    // Live for two comments, then the client goes away.
    let (mut ws, _) = tokio_tungstenite::connect_async(app.ws_url())
        .await
        .expect("connects");
    ws.send(Message::text(
        json!({"type": "subscribe", "room": room}).to_string(),
    ))
    .await
    .expect("subscribe");
    assert_eq!(next_json(&mut ws).await["type"], "subscribed");
    for n in 0..2 {
        post(n)
            .await
            .expect("post")
            .error_for_status()
            .expect("stored");
    }
    let mut last_seen = 0;
    for _ in 0..2 {
        last_seen = next_json(&mut ws).await["seq"].as_i64().expect("seq");
    }
    assert_eq!(last_seen, 2);
    ws.close(None).await.expect("close");
    drop(ws);

    for n in 2..52 {
        post(n)
            .await
            .expect("post")
            .error_for_status()
            .expect("stored");
    }

    // Back again with the last sequence number: exactly the 50, in order.
    let (mut ws, _) = tokio_tungstenite::connect_async(app.ws_url())
        .await
        .expect("connects");
    ws.send(Message::text(
        json!({"type": "subscribe", "room": room, "since": last_seen}).to_string(),
    ))
    .await
    .expect("subscribe");
    let subscribed = next_json(&mut ws).await;
    assert_eq!(
        (subscribed["type"].as_str(), subscribed["seq"].as_i64()),
        (Some("subscribed"), Some(52))
    );
    let mut seqs = Vec::new();
    let mut bodies = Vec::new();
    for _ in 0..50 {
        let event = next_json(&mut ws).await;
        seqs.push(event["seq"].as_i64().expect("seq"));
        bodies.push(
            event["event"]["data"]["body"]
                .as_str()
                .expect("body")
                .to_owned(),
        );
    }
    assert_eq!(seqs, (3..=52).collect::<Vec<i64>>());
    assert_eq!(bodies.first().map(String::as_str), Some("Innspel 2"));
    assert_eq!(bodies.last().map(String::as_str), Some("Innspel 51"));
    // And nothing more: no duplicates behind them, the next event is the next comment.
    post(52)
        .await
        .expect("post")
        .error_for_status()
        .expect("stored");
    let next = next_json(&mut ws).await;
    assert_eq!(
        (next["seq"].as_i64(), next["event"]["data"]["body"].as_str()),
        (Some(53), Some("Innspel 52")),
        "{next}"
    );
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn bad_input_gets_json_errors_and_stores_nothing() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (hearing_id, _, sections) = open_hearing(&app).await;
    let url = app.url(&format!("/api/v1/hearings/{hearing_id}/comments"));

    let malformed = app
        .http
        .post(&url)
        .bearer_auth(&app.planner_token)
        .header("content-type", "application/json")
        .body("{\"section_id\": ")
        .send()
        .await
        .expect("send");
    assert_eq!(malformed.status(), 400);
    let body: Value = malformed.json().await.expect("JSON error body");
    assert_eq!(body["error"], "malformed_json");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));

    let empty = app
        .http
        .post(&url)
        .bearer_auth(&app.planner_token)
        .json(&json!({"section_id": sections[0], "author_name": "  ", "body": "x"}))
        .send()
        .await
        .expect("send");
    assert_eq!(empty.status(), 422);
    assert_eq!(
        empty.json::<Value>().await.expect("JSON")["error"],
        "validation_failed"
    );

    let injected = app
        .http
        .post(&url)
        .bearer_auth(&app.planner_token)
        .json(&json!({"section_id": sections[0], "author_name": "Ola", "author_email": "ola@x.no\r\nBcc: all@x.no", "body": "x"}))
        .send()
        .await
        .expect("send");
    assert_eq!(injected.status(), 422);

    let wrong_section = app
        .http
        .post(&url)
        .bearer_auth(&app.planner_token)
        .json(&json!({"section_id": uuid::Uuid::new_v4(), "author_name": "Ola", "body": "x"}))
        .send()
        .await
        .expect("send");
    assert_eq!(wrong_section.status(), 422);
    assert_eq!(
        wrong_section.json::<Value>().await.expect("JSON")["error"],
        "section_not_in_hearing"
    );

    let bad_path = app
        .http
        .get(app.url("/api/v1/hearings/not-a-uuid"))
        .send()
        .await
        .expect("send");
    assert_eq!(bad_path.status(), 400);
    assert_eq!(
        bad_path.json::<Value>().await.expect("JSON")["error"],
        "invalid_path"
    );

    let anonymous_plan = app
        .http
        .post(app.url("/api/v1/plans"))
        .json(&json!({"slug": "x-plan", "title": "X", "period_start": 2020, "period_end": 2030}))
        .send()
        .await
        .expect("send");
    assert_eq!(anonymous_plan.status(), 401);

    let too_short = app
        .as_planner(
            reqwest::Method::GET,
            "/api/v1/deadline?opens=2024-03-22&weeks=3",
        )
        .send()
        .await
        .expect("send");
    assert_eq!(too_short.status(), 422);
    assert_eq!(
        too_short.json::<Value>().await.expect("JSON")["error"],
        "too_short_for_pbl"
    );

    let comments: Value = app
        .http
        .get(&url)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("JSON");
    assert_eq!(
        comments.as_array().map(Vec::len),
        Some(0),
        "a refused comment was stored"
    );
    assert!(app.db.recent_emails(10).await.expect("outbox").is_empty());
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn operational_endpoints_answer() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    for path in [
        "/",
        "/healthz",
        "/readyz",
        "/metrics",
        "/api/openapi.json",
        "/accessibility",
    ] {
        let response = app.http.get(app.url(path)).send().await.expect("request");
        assert_eq!(response.status(), 200, "{path}");
        assert!(
            response.headers().contains_key("x-request-id"),
            "{path} has no request id"
        );
    }
    let openapi: Value = app
        .http
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("JSON");
    assert!(
        openapi["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3."))
    );
    assert!(openapi["paths"]["/api/v1/hearings/{id}/comments"]["post"].is_object());
    let metrics = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("samrad_http_requests_total"), "{metrics}");
    let cross_site = app
        .http
        .post(app.url("/api/v1/plans"))
        .header("origin", "https://evil.example")
        .bearer_auth(&app.planner_token)
        .json(&json!({}))
        .send()
        .await
        .expect("send");
    assert_eq!(cross_site.status(), 403);
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn the_demo_loads_once() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let first = server::demo::load(&app.db).await.expect("demo loads");
    let second = server::demo::load(&app.db).await.expect("demo loads again");
    assert_eq!(first.id, second.id, "a second load created another hearing");
    assert_eq!(first.state, domain::hearing::HearingState::Open);
    let groups = app.db.groups_of_plan(first.plan_id).await.expect("groups");
    assert_eq!(groups.len(), 1);
    assert_eq!(groups[0].kind, domain::group::GroupKind::ReferenceGroup);
    let plans = app.db.plans_of(first.municipality_id).await.expect("plans");
    assert_eq!(plans.len(), 1);
    let page = app
        .http
        .get(app.url(&format!("/hearings/{}", first.id)))
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), 200);
    assert!(
        page.text()
            .await
            .expect("html")
            .contains("Roller og ansvar")
    );
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn replies_answer_a_comment_on_the_same_section_and_arrive_live() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (hearing_id, document_id, sections) = open_hearing(&app).await;
    let url = app.url(&format!("/api/v1/hearings/{hearing_id}/comments"));
    let post = |body: Value| {
        app.http
            .post(&url)
            .bearer_auth(&app.planner_token)
            .json(&body)
            .send()
    };
    let first: Value = post(json!({"section_id": sections[0], "author_name": "Eldrerådet", "body": "Kva med transport?"}))
        .await
        .expect("post")
        .json()
        .await
        .expect("json");

    let (mut ws, _) = tokio_tungstenite::connect_async(app.ws_url())
        .await
        .expect("connects");
    let room = format!("document:{document_id}");
    ws.send(Message::text(
        json!({"type": "subscribe", "room": room}).to_string(),
    ))
    .await
    .expect("subscribe");
    assert_eq!(next_json(&mut ws).await["type"], "subscribed");

    let reply = post(json!({"section_id": sections[0], "author_name": "Planavdelinga", "body": "Det kjem i kapittel 4.", "parent_id": first["id"]}))
        .await
        .expect("post");
    assert_eq!(reply.status(), 201);
    let reply: Value = reply.json().await.expect("json");
    assert_eq!(reply["parent_id"], first["id"]);
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["data"]["parent_id"], first["id"]);

    // Not on another section, not to a reply, not to an unknown comment.
    for (section, parent) in [
        (&sections[1], first["id"].clone()),
        (&sections[0], reply["id"].clone()),
        (&sections[0], json!(uuid::Uuid::new_v4())),
    ] {
        let refused = post(
            json!({"section_id": section, "author_name": "X", "body": "Y", "parent_id": parent}),
        )
        .await
        .expect("post");
        assert_eq!(refused.status(), 422);
        assert_eq!(
            refused.json::<Value>().await.expect("json")["error"],
            "invalid_parent"
        );
    }
    let page = app
        .http
        .get(app.url(&format!("/hearings/{hearing_id}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    let thread = page
        .find(&format!(
            "id=\"replies-{}\"",
            first["id"].as_str().expect("id")
        ))
        .expect("a reply list");
    assert!(
        page[thread..].contains("Det kjem i kapittel 4."),
        "the reply sits under its comment"
    );
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn a_comment_can_quote_the_passage_it_is_about() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (hearing_id, document_id, sections) = open_hearing(&app).await;
    let url = app.url(&format!("/api/v1/hearings/{hearing_id}/comments"));
    let (mut ws, _) = tokio_tungstenite::connect_async(app.ws_url())
        .await
        .expect("connects");
    ws.send(Message::text(
        json!({"type": "subscribe", "room": format!("document:{document_id}")}).to_string(),
    ))
    .await
    .expect("subscribe");
    assert_eq!(next_json(&mut ws).await["type"], "subscribed");

    // The section's text is "Kven gjer kva."; line breaks in a quote do not matter.
    let quoted = app
        .http
        .post(&url)
        .bearer_auth(&app.planner_token)
        .json(&json!({"section_id": sections[1], "author_name": "Ola", "body": "Kven er det?", "quote": "gjer\n kva"}))
        .send()
        .await
        .expect("post");
    assert_eq!(quoted.status(), 201);
    let quoted: Value = quoted.json().await.expect("json");
    assert_eq!(quoted["quote"], "gjer kva");
    assert_eq!(
        next_json(&mut ws).await["event"]["data"]["quote"],
        "gjer kva"
    );

    let missing = app
        .http
        .post(&url)
        .bearer_auth(&app.planner_token)
        .json(&json!({"section_id": sections[1], "author_name": "Ola", "body": "?", "quote": "ikkje i teksten"}))
        .send()
        .await
        .expect("post");
    assert_eq!(missing.status(), 422);
    assert_eq!(
        missing.json::<Value>().await.expect("json")["error"],
        "quote_not_in_section"
    );
    let long = app
        .http
        .post(&url)
        .bearer_auth(&app.planner_token)
        .json(&json!({"section_id": sections[1], "author_name": "Ola", "body": "?", "quote": "x".repeat(1001)}))
        .send()
        .await
        .expect("post");
    assert_eq!(long.status(), 422);

    let page = app
        .http
        .get(app.url(&format!("/hearings/{hearing_id}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        page.contains("class=\"comment-quote\""),
        "the quote is shown with the comment"
    );
    let listed: Value = app
        .http
        .get(&url)
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    assert_eq!(
        listed.as_array().map(Vec::len),
        Some(1),
        "refused comments stored nothing"
    );
    app.stop().await.expect("graceful stop");
}
