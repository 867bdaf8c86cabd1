//! What happens to a comment after it is posted: support, edits with history, deletion
//! by the author, reports and moderation — through the real server, real websocket
//! clients and the SMTP sink.

use futures_util::SinkExt;
use reqwest::{Client, Method};
use serde_json::{Value, json};
use std::time::Duration;
use tests::ws::{Ws, next_json};
use tests::{Backend, TestApp, browser, request_link, spawn_app};
use tokio_tungstenite::tungstenite::Message;

struct Hearing {
    id: String,
    document_id: String,
    section_id: String,
}

async fn open_hearing(app: &TestApp) -> Hearing {
    let draft = app.draft_document("helse").await;
    let (status, hearing) = app
        .post_as_planner(
            "/api/v1/hearings",
            json!({"document_version_id": draft.version_id, "title": "Høyring av planprogrammet", "weeks": 6}),
        )
        .await;
    assert_eq!(status, 201, "{hearing}");
    let id = hearing["id"].as_str().expect("id").to_owned();
    let (status, opened) = app
        .post_as_planner(&format!("/api/v1/hearings/{id}/open"), json!({}))
        .await;
    assert_eq!(status, 200, "{opened}");
    Hearing {
        id,
        document_id: draft.document_id,
        section_id: draft.section_ids[0].clone(),
    }
}

/// A cookie-keeping client signed in as a member of the public.
async fn person(app: &TestApp, email: &str) -> Client {
    // Known to Samråd already (a confirmed address); sign-in links go only to people.
    app.db
        .ensure_person(email, "Ola Nordmann", domain::Lang::Nn)
        .await
        .expect("person");
    let client = browser();
    let token = request_link(app, &client, email).await;
    let confirmed = client
        .post(app.url("/sign-in/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("confirm");
    assert_eq!(confirmed.status(), 303, "signed in");
    client
}

async fn send(
    app: &TestApp,
    client: &Client,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = client.request(method, app.url(path));
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn post_comment(app: &TestApp, client: &Client, h: &Hearing, body: &str) -> String {
    let (status, comment) = send(
        app,
        client,
        Method::POST,
        &format!("/api/v1/hearings/{}/comments", h.id),
        Some(json!({"section_id": h.section_id, "author_name": "Eldrerådet", "body": body})),
    )
    .await;
    assert_eq!(status, 201, "{comment}");
    comment["id"].as_str().expect("id").to_owned()
}

async fn listed(app: &TestApp, h: &Hearing, id: &str) -> Value {
    let (status, comments) = app
        .get_json(&format!("/api/v1/hearings/{}/comments", h.id))
        .await;
    assert_eq!(status, 200);
    comments
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["id"] == id)
        .cloned()
        .expect("the comment is listed")
}

async fn subscribe(app: &TestApp, h: &Hearing) -> Ws {
    let (mut ws, _) = tokio_tungstenite::connect_async(app.ws_url())
        .await
        .expect("websocket");
    ws.send(Message::text(
        json!({"type": "subscribe", "room": format!("document:{}", h.document_id)}).to_string(),
    ))
    .await
    .expect("subscribe");
    assert_eq!(next_json(&mut ws).await["type"], "subscribed");
    ws
}

async fn page(app: &TestApp, client: &Client, h: &Hearing) -> String {
    let response = client
        .get(app.url(&format!("/hearings/{}", h.id)))
        .send()
        .await
        .expect("page");
    assert_eq!(response.status(), 200);
    response.text().await.expect("html")
}

#[tokio::test]
async fn support_counts_once_per_person_and_arrives_live() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = open_hearing(&app).await;
    let author = person(&app, "forfattar@example.org").await;
    let id = post_comment(&app, &author, &h, "Vi treng betre buss.").await;
    let mut ws = subscribe(&app, &h).await;

    // Anonymous readers must sign in first; nothing is stored.
    let (status, body) = send(
        &app,
        &app.http,
        Method::POST,
        &format!("/api/v1/comments/{id}/support"),
        None,
    )
    .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "sign_in_required");

    let reader = person(&app, "lesar@example.org").await;
    for _ in 0..2 {
        let (status, body) = send(
            &app,
            &reader,
            Method::POST,
            &format!("/api/v1/comments/{id}/support"),
            None,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["supporters"], 1,
            "a second support by the same person changes nothing"
        );
    }
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_supported");
    assert_eq!(event["event"]["data"]["supporters"], 1);
    assert_eq!(event["event"]["data"]["comment_id"], id.as_str());

    let (status, body) = send(
        &app,
        &author,
        Method::POST,
        &format!("/api/v1/comments/{id}/support"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["supporters"], 2);
    assert_eq!(next_json(&mut ws).await["event"]["data"]["supporters"], 2);
    assert_eq!(listed(&app, &h, &id).await["supporters"], 2);

    let (status, body) = send(
        &app,
        &reader,
        Method::DELETE,
        &format!("/api/v1/comments/{id}/support"),
        None,
    )
    .await;
    assert_eq!(status, 200);
    assert_eq!(body["supporters"], 1);
    assert_eq!(next_json(&mut ws).await["event"]["data"]["supporters"], 1);

    // The HTML form toggles too, and the page shows the count.
    let response = reader
        .post(app.url(&format!("/comments/{id}/support")))
        .form(&[("on", "1")])
        .send()
        .await
        .expect("form");
    assert_eq!(response.status(), 303);
    let html = page(&app, &reader, &h).await;
    assert!(html.contains("2 personar er einige"), "{html}");
    assert!(html.contains("aria-pressed=\"true\""));
    let anonymous = page(&app, &app.http, &h).await;
    assert!(anonymous.contains("Logg inn for å seie at du er einig"));
}

#[tokio::test]
async fn the_author_edits_within_the_window_and_history_is_kept() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = open_hearing(&app).await;
    let author = person(&app, "forfattar@example.org").await;
    let other = person(&app, "annan@example.org").await;
    let id = post_comment(&app, &author, &h, "Første utkast.").await;
    let mut ws = subscribe(&app, &h).await;
    let path = format!("/api/v1/comments/{id}");

    // Someone else, or nobody, may not edit or delete: nothing changes.
    let (status, body) = send(
        &app,
        &other,
        Method::PATCH,
        &path,
        Some(json!({"body": "Kapra"})),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "forbidden");
    let (status, _) = send(
        &app,
        &app.http,
        Method::PATCH,
        &path,
        Some(json!({"body": "Kapra"})),
    )
    .await;
    assert_eq!(status, 403);
    let (status, _) = send(&app, &other, Method::DELETE, &path, None).await;
    assert_eq!(status, 403);
    let (status, _) = send(
        &app,
        &author,
        Method::PATCH,
        "/api/v1/comments/00000000-0000-0000-0000-000000000000",
        Some(json!({"body": "x"})),
    )
    .await;
    assert_eq!(status, 404);
    assert_eq!(listed(&app, &h, &id).await["body"], "Første utkast.");

    let xss = "<script>alert(1)</script> Andre utkast.";
    let (status, body) = send(
        &app,
        &author,
        Method::PATCH,
        &path,
        Some(json!({"body": xss})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"], xss);
    assert!(body["edited_at"].is_string());
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_edited");
    assert_eq!(event["event"]["data"]["body"], xss);

    // The same text again is a no-op: no new revision, no event.
    let (status, _) = send(
        &app,
        &author,
        Method::PATCH,
        &path,
        Some(json!({"body": xss})),
    )
    .await;
    assert_eq!(status, 200);
    let (status, _) = send(
        &app,
        &author,
        Method::PATCH,
        &path,
        Some(json!({"body": ""})),
    )
    .await;
    assert_eq!(status, 422);

    let (status, revisions) = app.get_json(&format!("{path}/revisions")).await;
    assert_eq!(status, 200);
    assert_eq!(revisions.as_array().expect("list").len(), 1);
    assert_eq!(revisions[0]["body"], "Første utkast.");

    let html = page(&app, &app.http, &h).await;
    assert!(
        html.contains("&lt;script&gt;alert(1)"),
        "the edited text is shown as text"
    );
    assert!(html.contains("Andre utkast."));
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("Tidlegare versjonar av kommentaren"));
    assert!(html.contains("Første utkast."));

    // Sixteen minutes later the window is closed.
    backdate(&app, xss).await;
    let (status, body) = send(
        &app,
        &author,
        Method::PATCH,
        &path,
        Some(json!({"body": "Tredje"})),
    )
    .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "edit_window_closed");
    assert_eq!(listed(&app, &h, &id).await["body"], xss);
    let (_, revisions) = app.get_json(&format!("{path}/revisions")).await;
    assert_eq!(revisions.as_array().expect("list").len(), 1);
}

/// Moves the comment with this text 16 minutes into the past (ids are BLOBs on SQLite,
/// so it is found by its text).
async fn backdate(app: &TestApp, body: &str) {
    let when = (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(16)).to_string();
    let sql = match Backend::from_env() {
        Backend::Postgres => format!(
            "UPDATE comment SET created_at = '{when}'::timestamptz WHERE body = '{}'",
            body.replace('\'', "''")
        ),
        Backend::Sqlite => format!(
            "UPDATE comment SET created_at = '{}' WHERE body = '{}'",
            when.replace('T', " ").replace('Z', "+00:00"),
            body.replace('\'', "''")
        ),
    };
    app.db.execute_unprepared(&sql).await.expect("backdate");
}

#[tokio::test]
async fn a_deleted_comment_stays_in_the_record_without_its_text() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = open_hearing(&app).await;
    let author = person(&app, "forfattar@example.org").await;
    let id = post_comment(&app, &author, &h, "Dette angrar eg på.").await;
    // Posted with the planner's token: published at once, without a confirmation.
    let (status, reply) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{}/comments", h.id),
            json!({"section_id": h.section_id, "author_name": "Svarar", "body": "Eit svar som blir ståande.", "parent_id": id}),
        )
        .await;
    assert_eq!(status, 201, "{reply}");
    let mut ws = subscribe(&app, &h).await;

    let (status, body) = send(
        &app,
        &author,
        Method::DELETE,
        &format!("/api/v1/comments/{id}"),
        None,
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "deleted");
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_deleted");
    assert!(event["event"]["data"].get("body").is_none());

    let public = listed(&app, &h, &id).await;
    assert_eq!(public["status"], "deleted");
    assert_eq!(public["body"], "");
    let (_, planner_view) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{}/comments", h.id))
        .await;
    let kept = planner_view
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["id"] == id.as_str())
        .expect("listed");
    assert_eq!(
        kept["body"], "Dette angrar eg på.",
        "the planner still has the text"
    );

    let html = page(&app, &app.http, &h).await;
    assert!(html.contains("Kommentaren er sletta av forfattaren."));
    assert!(!html.contains("Dette angrar eg på."));
    assert!(html.contains("Eit svar som blir ståande."));
    // Editing a deleted comment is refused.
    let (status, _) = send(
        &app,
        &author,
        Method::PATCH,
        &format!("/api/v1/comments/{id}"),
        Some(json!({"body": "Ny"})),
    )
    .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn three_reports_hide_a_comment_two_do_not_and_a_planner_decides() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = open_hearing(&app).await;
    let author = person(&app, "forfattar@example.org").await;
    let id = post_comment(&app, &author, &h, "Ein stygg kommentar.").await;
    let mut ws = subscribe(&app, &h).await;
    let report = format!("/api/v1/comments/{id}/reports");

    // An API token acts for the municipality, not as a reader: it cannot report.
    let response = app
        .as_planner(Method::POST, &report)
        .json(&json!({}))
        .send()
        .await
        .expect("report");
    assert_eq!(response.status(), 401);

    let first = person(&app, "a@example.org").await;
    let second = person(&app, "b@example.org").await;
    let third = person(&app, "c@example.org").await;
    let xss = "<img src=x onerror=alert(1)>";
    let (status, body) = send(
        &app,
        &first,
        Method::POST,
        &report,
        Some(json!({"reason": xss})),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    // The same person again does not count twice.
    let (status, body) = send(
        &app,
        &first,
        Method::POST,
        &report,
        Some(json!({"reason": "igjen"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["recorded"], false);
    let (status, _) = send(&app, &second, Method::POST, &report, Some(json!({}))).await;
    assert_eq!(status, 201);
    assert_eq!(
        listed(&app, &h, &id).await["status"],
        "published",
        "two reports do not hide"
    );

    let (status, body) = send(
        &app,
        &third,
        Method::POST,
        &report,
        Some(json!({"reason": "Personangrep"})),
    )
    .await;
    assert_eq!(status, 201);
    assert_eq!(body["comment"]["status"], "pending_review");
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_hidden");
    assert_eq!(event["event"]["data"]["pending_review"], true);
    let public = listed(&app, &h, &id).await;
    assert_eq!(public["body"], "");
    let html = page(&app, &app.http, &h).await;
    assert!(html.contains("Kommentaren er skjult i påvente av vurdering."));
    assert!(!html.contains("Ein stygg kommentar."));

    // The workbench lists it; the report reason is shown as text.
    let planner = tests::signed_in_planner(&app, "planleggjar@testvik.example").await;
    let workbench = planner
        .get(app.url(&format!("/planner/hearings/{}", h.id)))
        .send()
        .await
        .expect("workbench")
        .text()
        .await
        .expect("html");
    assert!(workbench.contains("Ein stygg kommentar."), "{workbench}");
    assert!(workbench.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!workbench.contains(xss));

    // Others may not moderate; hiding needs a reason.
    let (status, _) = send(
        &app,
        &first,
        Method::POST,
        &format!("/api/v1/comments/{id}/hide"),
        Some(json!({"reason": "x"})),
    )
    .await;
    assert_eq!(status, 403);
    let (status, body) = app
        .post_as_planner(&format!("/api/v1/comments/{id}/hide"), json!({}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "reason_required");

    // A planner restores it: shown again, the reports are resolved.
    let (status, body) = app
        .post_as_planner(&format!("/api/v1/comments/{id}/restore"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "published");
    assert_eq!(
        next_json(&mut ws).await["event"]["type"],
        "comment_restored"
    );

    // Hidden by the planner's own form, with a reason: logged and the author is emailed.
    let response = planner
        .post(app.url(&format!("/planner/comments/{id}/hide")))
        .form(&[("reason", "Personangrep mot ein tilsett.")])
        .send()
        .await
        .expect("hide");
    assert_eq!(response.status(), 303);
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_hidden");
    assert_eq!(event["event"]["data"]["pending_review"], false);
    assert_eq!(listed(&app, &h, &id).await["status"], "hidden");
    let html = page(&app, &app.http, &h).await;
    assert!(html.contains("Kommentaren er skjult av kommunen."));

    let mut mail = None;
    for _ in 0..150 {
        mail = app.smtp.mails().into_iter().find(|m| {
            m.to == vec!["forfattar@example.org".to_owned()]
                && m.text().contains("Personangrep mot ein tilsett.")
        });
        if mail.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mail = mail.expect("the author is told by email");
    assert!(mail.text().contains("Ein stygg kommentar."));

    let workbench = planner
        .get(app.url(&format!("/planner/hearings/{}", h.id)))
        .send()
        .await
        .expect("workbench")
        .text()
        .await
        .expect("html");
    assert!(
        workbench.contains("planleggjar@testvik.example"),
        "who is logged"
    );
    assert!(workbench.contains("Skjult etter meldingar"));
}
