//! Several processes on one PostgreSQL database behave as one: real `samrad serve`
//! processes (A and B, as behind a load balancer) and `samrad worker` processes,
//! started from the built binary. Events, presence, sign-out, membership changes and
//! rate limits cross processes; emails go out once however many workers run; a
//! killed process leaves the others serving and no ghost readers behind.
//!
//! PostgreSQL only (SQLite is the one-process embedded setup), so these tests are
//! ignored in the SQLite run and run by `.ci/run` in its PostgreSQL step with
//! `--include-ignored`; there they fail loudly without a server or a binary.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tests::fixtures::OpenHearing;
use tests::processes::{Role, SamradProcess, start_samrad};
use tests::ws::{next_json, send, subscribe};
use tests::{Backend, TestApp, browser, set_cookie, spawn_app};
use tokio_tungstenite::tungstenite::Message;

/// Two `samrad serve` processes on a fresh database, with the helpers of a test app
/// aimed at each (the test app's own server is stopped: it only made the database).
struct Cluster {
    a: SamradProcess,
    b: SamradProcess,
    on_a: TestApp,
    on_b: TestApp,
    /// Keeps the database's helpers (and SMTP sink) alive.
    setup: TestApp,
}

async fn cluster(settings: &[(&str, &str)]) -> Cluster {
    assert_eq!(
        Backend::from_env(),
        Backend::Postgres,
        "set SAMRAD_TEST_DATABASE_URL to a PostgreSQL database to run this test"
    );
    let mut setup = spawn_app(Backend::Postgres).await.expect("a database");
    setup
        .stop_serving()
        .await
        .expect("the test's own server stops");
    let a = start_samrad(&setup, Role::Serve, settings)
        .await
        .expect("samrad serve A");
    let b = start_samrad(&setup, Role::Serve, settings)
        .await
        .expect("samrad serve B");
    Cluster {
        on_a: setup.facing(a.address),
        on_b: setup.facing(b.address),
        a,
        b,
        setup,
    }
}

impl Cluster {
    /// A separate `samrad worker` sending the emails the serve processes queue.
    async fn worker(&self) -> SamradProcess {
        start_samrad(&self.setup, Role::Worker, &[])
            .await
            .expect("samrad worker")
    }
}

/// The next message of a type other than `presence`, or `None` when the socket
/// closed (with the close frame's code, if any).
async fn next_or_closed(ws: &mut tests::ws::Ws) -> Result<Value, Option<u16>> {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(15), ws.next())
            .await
            .expect("a message or the end within 15 s");
        match message {
            Some(Ok(Message::Text(text))) => {
                let value: Value = serde_json::from_str(&text).expect("JSON");
                if value["type"] != "presence" {
                    return Ok(value);
                }
            }
            Some(Ok(Message::Close(frame))) => return Err(frame.map(|f| u16::from(f.code))),
            Some(Ok(_)) => {}
            None | Some(Err(_)) => return Err(None),
        }
    }
}

/// Waits for a `presence` message of `room` that `accept` takes.
async fn presence_until(ws: &mut tests::ws::Ws, room: &str, accept: impl Fn(&Value) -> bool) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        // Presence may be quiet for longer than one message's usual wait (a killed
        // process's readers go only when their heartbeat expires).
        let message = tokio::time::timeout_at(deadline, ws.next())
            .await
            .expect("the awaited presence within 40 s")
            .expect("the socket is open")
            .expect("a valid frame");
        let Message::Text(text) = message else {
            continue;
        };
        let message: Value = serde_json::from_str(&text).expect("JSON");
        if message["type"] == "presence" && message["room"] == room && accept(&message["sections"])
        {
            return;
        }
    }
}

/// The count of readers of `section` in a presence message's sections.
fn readers(sections: &Value, section: &str) -> u64 {
    sections
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["section"] == section)
        .map_or(0, |s| s["count"].as_u64().expect("count"))
}

async fn comment_event(ws: &mut tests::ws::Ws) -> (i64, String) {
    let event = next_json(ws).await;
    assert_eq!(event["type"], "event", "{event}");
    assert_eq!(event["event"]["type"], "comment_posted", "{event}");
    (
        event["seq"].as_i64().expect("seq"),
        event["event"]["data"]["body"]
            .as_str()
            .expect("body")
            .to_owned(),
    )
}

#[tokio::test]
#[ignore = "needs PostgreSQL: runs in the PostgreSQL step of .ci/run"]
async fn a_comment_posted_to_one_process_reaches_a_client_of_another() {
    let c = cluster(&[]).await;
    let h = c.on_a.open_hearing("two-processes").await;
    let mut ws = c.on_b.subscribed(&h.document_room(), None, None).await;
    for n in 0..3 {
        c.on_a
            .comment_as_planner(&h, "Ola", &format!("Frå A {n}"))
            .await;
    }
    let mut received = Vec::new();
    for _ in 0..3 {
        received.push(comment_event(&mut ws).await);
    }
    assert_eq!(
        received,
        vec![
            (1, "Frå A 0".to_owned()),
            (2, "Frå A 1".to_owned()),
            (3, "Frå A 2".to_owned())
        ]
    );
    c.a.terminate().await.expect("A stops on SIGTERM");
    c.b.terminate().await.expect("B stops on SIGTERM");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: runs in the PostgreSQL step of .ci/run"]
async fn presence_on_one_process_counts_the_readers_of_another() {
    let c = cluster(&[]).await;
    let h = c.on_a.open_hearing("presence").await;
    let room = h.document_room();
    let section = h.section().to_owned();
    let mut on_a = c.on_a.subscribed(&room, None, None).await;
    let mut on_b = c.on_b.subscribed(&room, None, None).await;

    // A reader on B: A's clients see them.
    send(
        &mut on_b,
        json!({"type": "focus", "room": room, "section": section}),
    )
    .await;
    presence_until(&mut on_a, &room, |s| readers(s, &section) == 1).await;
    // A reader on A too: both processes count two.
    send(
        &mut on_a,
        json!({"type": "focus", "room": room, "section": section}),
    )
    .await;
    presence_until(&mut on_a, &room, |s| readers(s, &section) == 2).await;
    presence_until(&mut on_b, &room, |s| readers(s, &section) == 2).await;
    // The reader on B leaves: A counts its own reader only.
    on_b.close(None).await.expect("closed");
    presence_until(&mut on_a, &room, |s| readers(s, &section) == 1).await;

    // A stopped gracefully takes its readers away at once.
    let mut watcher = c.on_b.subscribed(&room, None, None).await;
    presence_until(&mut watcher, &room, |s| readers(s, &section) == 1).await;
    c.a.terminate().await.expect("A stops");
    presence_until(&mut watcher, &room, |s| readers(s, &section) == 0).await;
    c.b.terminate().await.expect("B stops");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: runs in the PostgreSQL step of .ci/run"]
async fn signing_out_through_one_process_closes_the_sessions_socket_on_another() {
    let c = cluster(&[]).await;
    let _worker = c.worker().await;
    let h = c.on_a.open_hearing("sign-out").await;
    let kari = c.on_a.planner("kari@testvik.example").await;
    let mut ws = c
        .on_b
        .subscribed(&h.document_room(), Some(&kari.cookie), None)
        .await;
    // Another session of the same person stays open.
    let other_session = c.on_b.sign_in("kari@testvik.example").await;
    let mut other_ws = c
        .on_b
        .subscribed(&h.document_room(), Some(&other_session.cookie), None)
        .await;

    let signed_out = kari
        .post(c.on_a.url("/sign-out"))
        .send()
        .await
        .expect("sign-out");
    assert_eq!(signed_out.status(), 303);
    assert_eq!(
        next_or_closed(&mut ws).await,
        Err(Some(1008)),
        "the signed-out session's socket on B closes with 'policy'"
    );
    // The other session's socket on B still gets events.
    c.on_a.comment_as_planner(&h, "Kari", "Framleis her").await;
    assert_eq!(
        comment_event(&mut other_ws).await,
        (1, "Framleis her".to_owned())
    );
}

#[tokio::test]
#[ignore = "needs PostgreSQL: runs in the PostgreSQL step of .ci/run"]
async fn removing_a_member_through_one_process_unsubscribes_their_socket_on_another() {
    let c = cluster(&[]).await;
    let _worker = c.worker().await;
    let h = super::groups::invited_hearing(&c.on_a, "removal").await;
    let group = super::groups::create_group(&c.on_a, &h.plan_id, "Ungdomsrådet").await;
    let (status, body) = c
        .on_a
        .post_as_planner(
            &format!("/api/v1/groups/{group}/invitations"),
            json!({"name": "Ung Person", "email": "ung@rad.example"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let token = super::groups::invitation_token(&c.on_a, "ung@rad.example", 1).await;
    let member = browser();
    let accepted = member
        .post(c.on_b.url("/invitations/accept"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(accepted.status(), 303);
    let cookie = set_cookie(&accepted);

    let hearing_room = format!("hearing:{}", h.id);
    let mut ws = c.on_b.subscribed(&hearing_room, Some(&cookie), None).await;
    subscribe(&mut ws, &h.document_room()).await;
    // Still a member: the group's events reach them on B, in both rooms.
    c.on_a.comment_as_planner(&h, "Planavdelinga", "Før").await;
    let mut rooms = Vec::new();
    for _ in 0..2 {
        let event = next_json(&mut ws).await;
        assert_eq!(event["event"]["data"]["body"], "Før", "{event}");
        rooms.push(event["room"].as_str().expect("room").to_owned());
    }
    rooms.sort();
    let mut expected = vec![hearing_room.clone(), h.document_room()];
    expected.sort();
    assert_eq!(rooms, expected);

    let person = c
        .setup
        .db
        .person_by_email("ung@rad.example")
        .await
        .expect("db")
        .expect("person");
    let removed = c
        .on_a
        .as_planner(
            reqwest::Method::DELETE,
            &format!("/api/v1/groups/{group}/members/{}", person.id),
        )
        .send()
        .await
        .expect("delete");
    assert_eq!(removed.status(), 204);

    let mut unsubscribed = Vec::new();
    while unsubscribed.len() < 2 {
        let message = next_json(&mut ws).await;
        assert_eq!(message["type"], "unsubscribed", "{message}");
        unsubscribed.push(message["room"].as_str().expect("room").to_owned());
    }
    unsubscribed.sort();
    assert_eq!(unsubscribed, expected);

    // The next comment in the group's hearing does not reach them: the next event
    // they get is one of a public hearing they follow, posted after it.
    let public = c.on_a.open_hearing("offentleg").await;
    subscribe(&mut ws, &public.document_room()).await;
    c.on_a
        .comment_as_planner(&h, "Planavdelinga", "Etter")
        .await;
    c.on_a
        .comment_as_planner(&public, "Planavdelinga", "Offentleg")
        .await;
    let next = next_json(&mut ws).await;
    assert_eq!(next["room"], json!(public.document_room()), "{next}");
    assert_eq!(next["event"]["data"]["body"], "Offentleg", "{next}");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: runs in the PostgreSQL step of .ci/run"]
async fn invitations_queued_through_one_process_go_out_once_while_two_workers_run() {
    let c = cluster(&[]).await;
    let h = super::groups::invited_hearing(&c.on_a, "exactly-once").await;
    let group = super::groups::create_group(&c.on_a, &h.plan_id, "Eldrerådet").await;
    let first = c.worker().await;
    let second = c.worker().await;
    let invitees: Vec<String> = (0..12).map(|n| format!("medlem{n}@rad.example")).collect();
    for (n, email) in invitees.iter().enumerate() {
        // Spread over both serve processes.
        let through = if n % 2 == 0 { &c.on_a } else { &c.on_b };
        let (status, body) = through
            .post_as_planner(
                &format!("/api/v1/groups/{group}/invitations"),
                json!({"name": format!("Medlem {n}"), "email": email}),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    // Every invitation is marked sent (only after the SMTP server took it)...
    c.setup.outbox_drained().await;
    let jobs = c.setup.db.recent_emails(1000).await.expect("outbox");
    for email in &invitees {
        let to: Vec<_> = jobs.iter().filter(|j| &j.recipient == email).collect();
        assert_eq!(to.len(), 1, "one job to {email}: {to:#?}");
        assert_eq!(to[0].status, db::OutboxStatus::Sent, "{to:#?}");
        assert_eq!(to[0].attempt, 1, "sent at the first attempt: {to:#?}");
    }
    // ...so nothing more will be sent, and the sink got each exactly once.
    let mails = c.setup.smtp.mails();
    for email in &invitees {
        let count = mails.iter().filter(|m| m.to == [email.as_str()]).count();
        assert_eq!(count, 1, "{email} got {count} emails");
    }
    first.terminate().await.expect("worker stops on SIGTERM");
    second.terminate().await.expect("worker stops on SIGTERM");
}

/// A client without an account posting a comment.
async fn post_anonymous(on: &TestApp, h: &OpenHearing, n: usize) -> reqwest::Response {
    on.http
        .post(on.url(&h.comments_path()))
        .json(&json!({
            "section_id": h.section(),
            "author_name": "Utan konto",
            "author_email": format!("person{n}@example.org"),
            "body": format!("Innspel nummer {n}."),
        }))
        .send()
        .await
        .expect("post")
}

#[tokio::test]
#[ignore = "needs PostgreSQL: runs in the PostgreSQL step of .ci/run"]
async fn a_rate_limit_counts_requests_to_every_process_together() {
    let c = cluster(&[("SAMRAD_ANONYMOUS_COMMENTS_PER_ADDRESS", "4")]).await;
    let h = c.on_a.open_hearing("limits").await;
    // Four comments from one address, alternating between the processes: each
    // process saw only two, but together they reach the limit.
    for n in 0..4 {
        let on = if n % 2 == 0 { &c.on_a } else { &c.on_b };
        let response = post_anonymous(on, &h, n).await;
        assert_eq!(response.status(), 202, "comment {n}");
    }
    for (n, on) in [(4, &c.on_a), (5, &c.on_b)] {
        let refused = post_anonymous(on, &h, n).await;
        assert_eq!(refused.status(), 429, "comment {n}");
        let wait: u64 = refused.headers()["retry-after"]
            .to_str()
            .expect("text")
            .parse()
            .expect("seconds");
        assert!((1..=3600).contains(&wait), "Retry-After: {wait}");
    }
    // Refused requests did not count: exactly four comments wait for confirmation.
    let queued = c
        .setup
        .db
        .recent_emails(1000)
        .await
        .expect("outbox")
        .iter()
        .filter(|j| j.recipient.ends_with("@example.org"))
        .count();
    assert_eq!(queued, 4);

    // The sign-in form's limit per address (a burst of five) is shared too: three
    // requests to A and two to B use it up, though neither saw five.
    let client = browser();
    for n in 0..6 {
        let on = if n % 2 == 0 { &c.on_a } else { &c.on_b };
        let email = format!("innlogging{n}@example.org");
        let answer = client
            .post(on.url("/sign-in"))
            .form(&[("email", email.as_str()), ("municipality", "")])
            .send()
            .await
            .expect("post");
        let expected = if n < 5 { 200 } else { 429 };
        assert_eq!(answer.status(), expected, "sign-in request {n}");
        if n == 5 {
            assert!(answer.headers().contains_key("retry-after"));
        }
    }
}

#[tokio::test]
#[ignore = "needs PostgreSQL: runs in the PostgreSQL step of .ci/run"]
async fn a_killed_process_leaves_the_other_serving_and_its_clients_resume_there() {
    let c = cluster(&[]).await;
    let h = c.on_a.open_hearing("failover").await;
    let room = h.document_room();
    let section = h.section().to_owned();
    let mut on_a = c.on_a.subscribed(&room, None, None).await;
    let mut watcher = c.on_b.subscribed(&room, None, None).await;
    send(
        &mut on_a,
        json!({"type": "focus", "room": room, "section": section}),
    )
    .await;
    presence_until(&mut watcher, &room, |s| readers(s, &section) == 1).await;
    for n in 1..=2 {
        c.on_a
            .comment_as_planner(&h, "Planavdelinga", &format!("Innspel {n}"))
            .await;
    }
    let mut seen = vec![
        comment_event(&mut on_a).await,
        comment_event(&mut on_a).await,
    ];
    let last_seen = seen.last().expect("two").0;

    c.a.kill();
    assert_eq!(
        next_or_closed(&mut on_a).await.err(),
        Some(None),
        "A's client lost its connection without a goodbye"
    );
    // B serves on: what is posted while the client is away reaches B's clients.
    let healthy = reqwest::get(c.on_b.url("/healthz"))
        .await
        .expect("B answers");
    assert!(healthy.status().is_success());
    for n in 3..=4 {
        c.on_b
            .comment_as_planner(&h, "Planavdelinga", &format!("Innspel {n}"))
            .await;
    }
    // A's reader is gone from B's presence once A's heartbeat has expired.
    presence_until(&mut watcher, &room, |s| readers(s, &section) == 0).await;

    // The client reconnects to B and resumes after the last event it saw.
    let mut resumed = c.on_b.subscribed(&room, None, Some(last_seen)).await;
    seen.push(comment_event(&mut resumed).await);
    seen.push(comment_event(&mut resumed).await);
    c.on_b
        .comment_as_planner(&h, "Planavdelinga", "Innspel 5")
        .await;
    seen.push(comment_event(&mut resumed).await);
    let expected: Vec<(i64, String)> = (1..=5).map(|n| (n, format!("Innspel {n}"))).collect();
    assert_eq!(seen, expected, "every event once, in order, with no gap");
    resumed.close(None).await.expect("closed");
    c.b.terminate().await.expect("B stops");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: runs in the PostgreSQL step of .ci/run"]
async fn the_in_process_harness_still_relays_between_two_applications() {
    // The harness's second application (used by other suites) shares events too.
    assert_eq!(Backend::from_env(), Backend::Postgres);
    let app = spawn_app(Backend::Postgres).await.expect("process A");
    let other = app.another_process().await.expect("process B");
    let h = app.open_hearing("harness").await;
    let (mut ws, _) = tokio_tungstenite::connect_async(other.ws_url())
        .await
        .expect("connects to B");
    ws.send(Message::text(
        json!({"type": "subscribe", "room": h.document_room()}).to_string(),
    ))
    .await
    .expect("subscribe");
    assert_eq!(next_json(&mut ws).await["type"], "subscribed");
    app.comment_as_planner(&h, "Ola", "Frå A").await;
    assert_eq!(comment_event(&mut ws).await, (1, "Frå A".to_owned()));
    other.stop().await.expect("B stops");
    app.stop().await.expect("A stops");
}
