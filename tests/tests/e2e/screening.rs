//! Screening of input from the public and reports without signing in — through the
//! real server, real websocket clients and the SMTP sink.

use futures_util::{SinkExt, StreamExt};
use reqwest::{Client, Method};
use serde_json::{Value, json};
use std::time::Duration;
use tests::{Backend, TestApp, browser, request_link, signed_in_planner, spawn_app};
use tokio_tungstenite::tungstenite::Message;

type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a websocket message within 10 s")
            .expect("the socket is open")
            .expect("a valid frame");
        if let Message::Text(text) = message {
            let value: Value = serde_json::from_str(&text).expect("JSON from the hub");
            if value["type"] != "presence" {
                return value;
            }
        }
    }
}

/// Nothing but presence arrives within `wait`.
async fn quiet(ws: &mut Ws, wait: Duration) {
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return,
            Ok(Some(Ok(Message::Text(text)))) => {
                let value: Value = serde_json::from_str(&text).expect("JSON");
                assert_eq!(value["type"], "presence", "nothing is announced: {value}");
            }
            Ok(_) => {}
        }
    }
}

struct Hearing {
    id: String,
    plan_id: String,
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
        plan_id: draft.plan_id,
        document_id: draft.document_id,
        section_id: draft.section_ids[0].clone(),
    }
}

async fn screen(app: &TestApp, h: &Hearing, on: bool) {
    let (status, body) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{}/screening", h.id),
            json!({"enabled": on}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["screen_public_input"], on);
}

async fn sign_in(app: &TestApp, email: &str, name: &str) -> Client {
    app.db
        .ensure_person(email, name, domain::Lang::Nn)
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

async fn post(app: &TestApp, client: &Client, h: &Hearing, body: &str) -> (u16, Value) {
    send(
        app,
        client,
        Method::POST,
        &format!("/api/v1/hearings/{}/comments", h.id),
        Some(json!({"section_id": h.section_id, "body": body})),
    )
    .await
}

async fn listed(app: &TestApp, h: &Hearing) -> Vec<Value> {
    let (status, comments) = app
        .get_json(&format!("/api/v1/hearings/{}/comments", h.id))
        .await;
    assert_eq!(status, 200);
    comments.as_array().expect("list").clone()
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

async fn html(app: &TestApp, client: &Client, path: &str) -> String {
    let response = client.get(app.url(path)).send().await.expect("page");
    assert_eq!(response.status(), 200);
    response.text().await.expect("html")
}

async fn mail_containing(
    app: &TestApp,
    to: &str,
    text: &str,
) -> Option<tests::smtp_sink::ReceivedMail> {
    for _ in 0..100 {
        if let Some(mail) = app
            .smtp
            .mails()
            .into_iter()
            .find(|m| m.to == vec![to.to_owned()] && m.text().contains(text))
        {
            return Some(mail);
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    None
}

#[tokio::test]
async fn public_input_waits_for_screening_and_arrives_live_when_published() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = open_hearing(&app).await;
    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    screen(&app, &h, true).await;
    let mut ws = subscribe(&app, &h).await;

    let author = sign_in(&app, "innbyggjar@example.org", "Ola Innbyggjar").await;
    let text = "Naboen min Per Hansen er sjuk og treng hjelp.";
    let (status, comment) = post(&app, &author, &h, text).await;
    assert_eq!(status, 202, "{comment}");
    assert_eq!(comment["status"], "screening");
    let id = comment["id"].as_str().expect("id").to_owned();

    // Shown nowhere: not in the list, not on the page, not live.
    assert!(
        listed(&app, &h)
            .await
            .iter()
            .all(|c| c["id"] != id.as_str())
    );
    let public_page = html(&app, &app.http, &format!("/hearings/{}", h.id)).await;
    assert!(!public_page.contains(text));
    assert!(public_page.contains("Kommunen ser over innspel frå ålmenta"));
    quiet(&mut ws, Duration::from_millis(600)).await;
    let (status, _) = send(
        &app,
        &author,
        Method::POST,
        &format!("/api/v1/comments/{id}/publish"),
        None,
    )
    .await;
    assert_eq!(status, 404, "only planners find input awaiting screening");

    // The author sees that it waits.
    let own = html(&app, &author, &format!("/hearings/{}", h.id)).await;
    assert!(own.contains("Ventar på kontroll"));
    assert!(own.contains(text));

    // No notice to the planners yet.
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert!(
        app.smtp
            .mails()
            .iter()
            .all(|m| !m.text().contains("Per Hansen")),
        "no planner notice before publishing"
    );

    // The planner sees it in the screening list and publishes it.
    let workbench = html(&app, &planner, &format!("/planner/hearings/{}", h.id)).await;
    assert!(workbench.contains(&format!("id=\"screen-{id}\"")));
    assert!(workbench.contains(text));
    let response = planner
        .post(app.url(&format!("/planner/comments/{id}/publish")))
        .send()
        .await
        .expect("publish");
    assert_eq!(response.status(), 303);

    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_posted");
    assert_eq!(event["event"]["data"]["comment_id"], id.as_str());
    let shown = listed(&app, &h).await;
    let shown = shown
        .iter()
        .find(|c| c["id"] == id.as_str())
        .expect("listed");
    assert_eq!(shown["status"], "published");
    assert_eq!(shown["body"], text);
    assert!(
        mail_containing(&app, "planleggjar@testvik.example", "Per Hansen")
            .await
            .is_some(),
        "the planners' notice is sent once published"
    );
    let workbench = html(&app, &planner, &format!("/planner/hearings/{}", h.id)).await;
    assert!(!workbench.contains(&format!("id=\"screen-{id}\"")));
    assert!(
        workbench.contains("Lagt fram etter kontroll"),
        "the publishing is logged"
    );
}

#[tokio::test]
async fn members_and_planners_are_published_directly() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = open_hearing(&app).await;
    screen(&app, &h, true).await;
    let plan = domain::PlanId(h.plan_id.parse().expect("uuid"));
    let group = app
        .db
        .create_group(plan, domain::group::GroupKind::ElderCouncil, "Eldrerådet")
        .await
        .expect("group");
    let member = app
        .db
        .ensure_person("medlem@example.org", "Eldrerådet", domain::Lang::Nn)
        .await
        .expect("person");
    app.db
        .add_member(group.id, member.id, domain::group::MemberRole::Member, None)
        .await
        .expect("member");
    let member = sign_in(&app, "medlem@example.org", "Eldrerådet").await;
    let (status, comment) = post(&app, &member, &h, "Eldrerådet meiner dette.").await;
    assert_eq!(status, 201, "{comment}");
    assert_eq!(comment["status"], "published");

    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    let (status, comment) = post(&app, &planner, &h, "Ein merknad frå planleggjaren.").await;
    assert_eq!(status, 201, "{comment}");
    assert_eq!(comment["status"], "published");

    // Without screening, the public is published at once too.
    screen(&app, &h, false).await;
    let public = sign_in(&app, "innbyggjar@example.org", "Ola").await;
    let (status, comment) = post(&app, &public, &h, "Rett på.").await;
    assert_eq!(status, 201, "{comment}");
}

#[tokio::test]
async fn input_confirmed_by_email_goes_to_screening() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = open_hearing(&app).await;
    screen(&app, &h, true).await;
    let client = browser();
    let response = client
        .post(app.url(&format!("/hearings/{}/comments", h.id)))
        .form(&[
            ("section_id", h.section_id.as_str()),
            ("author_name", "Kari Utan Konto"),
            ("author_email", "utan@example.org"),
            ("body", "Innspel utan konto."),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    let mail = mail_containing(&app, "utan@example.org", "token=")
        .await
        .expect("confirmation email");
    let text = mail.text();
    let start = text.find("token=").expect("token") + "token=".len();
    let token: String = text[start..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect();
    let confirmed = client
        .post(app.url("/inputs/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("confirm");
    assert_eq!(confirmed.status(), 303);
    let to = confirmed.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(to.contains("screening=1"), "{to}");
    let me = html(&app, &client, &to).await;
    assert!(me.contains("Kommunen ser over innspelet ditt"));
    assert!(
        listed(&app, &h).await.is_empty(),
        "not shown before screening"
    );
    let (status, published) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{}/comments", h.id))
        .await;
    assert_eq!(status, 200);
    assert!(
        published.as_array().expect("list").is_empty(),
        "not published for the planner either: {published}"
    );

    // It waits in the planners' screening queue, with its author.
    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    let workbench = html(
        &app,
        &planner,
        &format!("/planner/hearings/{}?lang=nn", h.id),
    )
    .await;
    let queue = screening_queue(&workbench);
    assert_eq!(
        queue.matches("data-status=\"screening\"").count(),
        1,
        "{queue}"
    );
    assert!(queue.contains("Innspel utan konto."), "{queue}");
    assert!(queue.contains("Kari Utan Konto"), "{queue}");
    let waiting = app
        .db
        .screening_of_hearing(domain::HearingId(h.id.parse().expect("uuid")))
        .await
        .expect("queue");
    assert_eq!(waiting.len(), 1);
    assert!(queue.contains(&format!("id=\"screen-{}\"", waiting[0].id)));
}

/// The screening queue of a planner's hearing page.
fn screening_queue(page: &str) -> &str {
    let start = page
        .find("class=\"moderation screening-queue\"")
        .unwrap_or_else(|| panic!("no screening queue on the page: {page}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").expect("end of the queue")]
}

#[tokio::test]
async fn hiding_a_screened_input_tells_the_author() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = open_hearing(&app).await;
    screen(&app, &h, true).await;
    let mut ws = subscribe(&app, &h).await;
    let author = sign_in(&app, "innbyggjar@example.org", "Ola").await;
    let (status, comment) = post(&app, &author, &h, "Namnet på naboen min er Per.").await;
    assert_eq!(status, 202);
    let id = comment["id"].as_str().expect("id").to_owned();

    let (status, body) = app
        .post_as_planner(&format!("/api/v1/comments/{id}/hide"), json!({}))
        .await;
    assert_eq!(status, 422, "a reason is required: {body}");
    let (status, body) = app
        .post_as_planner(
            &format!("/api/v1/comments/{id}/hide"),
            json!({"reason": "Innspelet inneheld personopplysningar om andre."}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "hidden");
    let mail = mail_containing(
        &app,
        "innbyggjar@example.org",
        "Innspelet inneheld personopplysningar om andre.",
    )
    .await
    .expect("the author is told by email");
    assert!(mail.text().contains("Namnet på naboen min er Per."));
    quiet(&mut ws, Duration::from_millis(600)).await;
    let (status, body) = app
        .post_as_planner(&format!("/api/v1/comments/{id}/publish"), json!({}))
        .await;
    assert_eq!(
        status, 409,
        "a hidden input is not published by this: {body}"
    );
}

#[tokio::test]
async fn only_planners_toggle_screening() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = open_hearing(&app).await;
    let path = format!("/api/v1/hearings/{}/screening", h.id);
    let (status, body) = send(
        &app,
        &app.http,
        Method::POST,
        &path,
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let public = sign_in(&app, "innbyggjar@example.org", "Ola").await;
    let (status, body) = send(
        &app,
        &public,
        Method::POST,
        &path,
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = send(
        &app,
        &public,
        Method::POST,
        &format!("/api/v1/hearings/{}/screening", uuid::Uuid::new_v4()),
        Some(json!({"enabled": true})),
    )
    .await;
    assert_eq!(status, 404);
    let response = public
        .post(app.url(&format!("/planner/hearings/{}/screening", h.id)))
        .form(&[("enabled", "1")])
        .send()
        .await
        .expect("form");
    assert_eq!(response.status(), 403, "signed in, but no planner");
    let (_, hearing) = app.get_json(&format!("/api/v1/hearings/{}", h.id)).await;
    assert_eq!(hearing["screen_public_input"], false, "unchanged");

    // The plan's planner turns it on with the workbench form.
    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    let response = planner
        .post(app.url(&format!("/planner/hearings/{}/screening", h.id)))
        .form(&[("enabled", "1")])
        .send()
        .await
        .expect("form");
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("Kontroll er slått på.")
    );
    let (_, hearing) = app.get_json(&format!("/api/v1/hearings/{}", h.id)).await;
    assert_eq!(hearing["screen_public_input"], true);
}

/// A browser on its own client address, keeping its own cookies.
fn client_from(address: &str) -> Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(Some(address.parse().expect("address")))
        .build()
        .expect("client")
}

async fn report_form(app: &TestApp, client: &Client, id: &str) -> reqwest::Response {
    client
        .post(app.url(&format!("/comments/{id}/report")))
        .form(&[("reason", "Personangrep.")])
        .send()
        .await
        .expect("report")
}

#[tokio::test]
async fn anonymous_reports_count_once_per_client() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = open_hearing(&app).await;
    let author = sign_in(&app, "innbyggjar@example.org", "Ola").await;
    let (status, first) = post(&app, &author, &h, "Ein stygg kommentar.").await;
    assert_eq!(status, 201);
    let first = first["id"].as_str().expect("id").to_owned();
    let (_, second) = post(&app, &author, &h, "Ein annan kommentar.").await;
    let second = second["id"].as_str().expect("id").to_owned();
    let status_of = async |id: &str| {
        listed(&app, &h)
            .await
            .into_iter()
            .find(|c| c["id"] == id)
            .expect("listed")["status"]
            .clone()
    };

    // The report form is there without signing in.
    let page = html(&app, &app.http, &format!("/hearings/{}", h.id)).await;
    assert!(page.contains(&format!("action=\"/comments/{first}/report\"")));

    // The same browser three times: once.
    let same = client_from("127.0.0.2");
    let response = report_form(&app, &same, &second).await;
    assert_eq!(response.status(), 303);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .find(|c| c.starts_with("samrad_reporter="))
        .expect("the reporter cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    for _ in 0..2 {
        let (status, body) = send(
            &app,
            &same,
            Method::POST,
            &format!("/api/v1/comments/{second}/reports"),
            Some(json!({})),
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["recorded"], false);
    }
    // A fresh browser on the same address: still once.
    let (status, body) = send(
        &app,
        &client_from("127.0.0.2"),
        Method::POST,
        &format!("/api/v1/comments/{second}/reports"),
        Some(json!({})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["recorded"], false);
    assert_eq!(status_of(&second).await, "published");

    // Three different clients hide a comment until a planner decides.
    let mut ws = subscribe(&app, &h).await;
    for (n, address) in ["127.0.0.3", "127.0.0.4", "127.0.0.5"].iter().enumerate() {
        let response = report_form(&app, &client_from(address), &first).await;
        assert_eq!(response.status(), 303);
        let expected = if n < 2 { "published" } else { "pending_review" };
        assert_eq!(status_of(&first).await, expected, "after {} reports", n + 1);
    }
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_hidden");
    assert_eq!(event["event"]["data"]["pending_review"], true);

    // The planner's queue lists it.
    let stored = app
        .db
        .moderation_queue(domain::HearingId(h.id.parse().expect("uuid")))
        .await
        .expect("queue");
    assert!(stored.iter().any(|q| q.comment.id.to_string() == first));

    // Each address may report only so often.
    let flood = client_from("127.0.0.6");
    let mut limited = false;
    for _ in 0..12 {
        let (_, comment) = post(&app, &author, &h, "Endå ein.").await;
        let id = comment["id"].as_str().expect("id").to_owned();
        let (status, _) = send(
            &app,
            &flood,
            Method::POST,
            &format!("/api/v1/comments/{id}/reports"),
            Some(json!({})),
        )
        .await;
        if status == 429 {
            limited = true;
            break;
        }
        assert_eq!(status, 201);
    }
    assert!(limited, "anonymous reports are limited per address");
}
