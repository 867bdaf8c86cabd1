//! Back-pressure with 10,000 events: one websocket client stops reading, another
//! reads everything. The first is dropped; the second gets every event in order; and
//! what the hub holds for the stuck client stays within its configured queue.
//!
//! It runs alone in the test process (`spawn_app_alone`), so that the process-wide
//! metrics and memory it reads are its own.

use futures_util::{SinkExt, StreamExt, stream};
use serde_json::{Value, json};
use std::time::Duration;
use tests::{Backend, TestApp, spawn_app_alone};
use tokio_tungstenite::tungstenite::Message;

const EVENTS: i64 = 10_000;
/// This many comments go through the HTTP API, enough for the stuck client to be
/// dropped on the way; the rest are stored through `db` in batches and published on
/// the path every request takes after its commit, which keeps the test fast in a
/// debug build.
const OVER_HTTP: i64 = 3_000;
/// Well below the reader's queue, and each batch waits until the reader has what
/// came before: a reader is expected to keep up with a stream of requests, not to
/// take thousands of events in one go.
const BATCH: i64 = 100;
/// Posts in flight at once.
const CONCURRENCY: usize = 8;
/// Only reached when something is broken.
const PATIENCE: Duration = Duration::from_secs(120);

type Ws = tokio_tungstenite::WebSocketStream<tokio::net::TcpStream>;

/// A plan without a contact address (so no email per comment), a one-section
/// document and an open hearing: (hearing id, document id, section id).
async fn quiet_hearing(app: &TestApp) -> (String, String, String) {
    let (status, plan) = app
        .post_as_planner(
            "/api/v1/plans",
            json!({"slug": "mykje", "title": "Kommunedelplan", "period_start": 2025, "period_end": 2035}),
        )
        .await;
    assert_eq!(status, 201, "{plan}");
    let (status, document) = app
        .post_as_planner(
            &format!(
                "/api/v1/plans/{}/documents",
                plan["id"].as_str().expect("id")
            ),
            json!({"kind": "planning_programme", "title": "Planprogram", "sections": [
                {"number": "1", "title": "Innleiing", "level": 1, "body": "Kvifor vi lagar planen."}
            ]}),
        )
        .await;
    assert_eq!(status, 201, "{document}");
    let (status, hearing) = app
        .post_as_planner(
            "/api/v1/hearings",
            json!({"document_version_id": document["version_id"], "title": "Høyring", "weeks": 6}),
        )
        .await;
    assert_eq!(status, 201, "{hearing}");
    let id = hearing["id"].as_str().expect("id").to_owned();
    let (status, _) = app
        .post_as_planner(&format!("/api/v1/hearings/{id}/open"), json!({}))
        .await;
    assert_eq!(status, 200);
    (
        id,
        document["id"].as_str().expect("id").to_owned(),
        document["sections"][0]["id"]
            .as_str()
            .expect("id")
            .to_owned(),
    )
}

/// A websocket client on a socket with a small receive buffer, so that a client that
/// stops reading fills the kernel's buffers quickly.
async fn connect_small(app: &TestApp) -> Ws {
    let socket = tokio::net::TcpSocket::new_v4().expect("socket");
    socket.set_recv_buffer_size(4096).expect("SO_RCVBUF");
    let stream = socket.connect(app.address).await.expect("tcp connects");
    tokio_tungstenite::client_async(app.ws_url(), stream)
        .await
        .expect("websocket handshake")
        .0
}

async fn connect(app: &TestApp) -> Ws {
    let stream = tokio::net::TcpStream::connect(app.address)
        .await
        .expect("tcp connects");
    tokio_tungstenite::client_async(app.ws_url(), stream)
        .await
        .expect("websocket handshake")
        .0
}

async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let message = tokio::time::timeout(PATIENCE, ws.next())
            .await
            .expect("a message in time")
            .expect("open")
            .expect("a frame");
        if let Message::Text(text) = message {
            let value: Value = serde_json::from_str(&text).expect("JSON");
            if value["type"] != "presence" {
                return value;
            }
        }
    }
}

async fn subscribe(ws: &mut Ws, room: &str) {
    ws.send(Message::text(
        json!({"type": "subscribe", "room": room}).to_string(),
    ))
    .await
    .expect("sent");
    assert_eq!(next_json(ws).await["type"], "subscribed");
}

/// An unlabelled value from `/metrics`.
async fn metric(app: &TestApp, name: &str) -> f64 {
    let (value, text) = metric_text(app, name).await;
    value.unwrap_or_else(|| panic!("no {name} in /metrics:\n{text}"))
}

async fn metric_text(app: &TestApp, name: &str) -> (Option<f64>, String) {
    let text = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    let value = text.lines().find_map(|line| {
        line.strip_prefix(name)
            .and_then(|rest| rest.strip_prefix(' '))
            .and_then(|value| value.trim().parse().ok())
    });
    (value, text)
}

/// Resident memory of this process (the server runs in it), in KiB.
fn rss_kib() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("/proc/self/status");
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .expect("VmRSS")
}

#[tokio::test]
async fn a_client_that_never_reads_is_dropped_while_another_gets_all_10000_events_in_order() {
    let app = spawn_app_alone(Backend::from_env())
        .await
        .expect("app starts");
    let (hearing, document, section) = quiet_hearing(&app).await;
    let room = format!("document:{document}");
    let queue_limit = metric(&app, "samrad_ws_queue_limit").await;
    // Tests before this one may have left the gauge counting sockets whose tasks
    // ended with their runtime.
    let connections_before = metric_text(&app, "samrad_ws_connections")
        .await
        .0
        .unwrap_or(0.0);

    let mut stuck = connect_small(&app).await;
    subscribe(&mut stuck, &room).await;
    // From here on `stuck` is never polled until the end.

    let mut reader = connect(&app).await;
    subscribe(&mut reader, &room).await;
    let (progress, mut reader_at) = tokio::sync::watch::channel(0_i64);
    let reading = tokio::spawn(async move {
        let mut seqs = Vec::with_capacity(EVENTS as usize);
        while (seqs.len() as i64) < EVENTS {
            let message = next_json(&mut reader).await;
            assert_eq!(message["type"], "event", "{message}");
            let seq = message["seq"].as_i64().expect("seq");
            seqs.push(seq);
            progress.send_replace(seq);
        }
        (reader, seqs)
    });

    let rss_before = rss_kib();
    // About 1 KiB per event, so 10,000 of them are far more than the kernel buffers
    // between the server and the stuck client can take in.
    let filler = "Vi treng fleire omsorgsbustader nær sentrum. ".repeat(22);
    let url = app.url(&format!("/api/v1/hearings/{hearing}/comments"));
    let mut posted = 0;
    let mut posts = stream::iter(0..OVER_HTTP)
        .map(|n| {
            // The planner's token publishes at once; the public would confirm first.
            let request = app
                .http
                .post(&url)
                .bearer_auth(&app.planner_token)
                .json(&json!({
                    "section_id": section,
                    "author_name": "Ola",
                    "body": format!("{n}: {filler}"),
                }));
            async move { request.send().await }
        })
        .buffer_unordered(CONCURRENCY);
    while let Some(response) = posts.next().await {
        let response = response.expect("post");
        assert_eq!(response.status(), 201, "post {posted}");
        posted += 1;
        if posted % 1000 == 0 {
            // At every point, what waits for websocket clients is bounded by their
            // queues (two connections here), however many events went by.
            let queued = metric(&app, "samrad_hub_queued_messages").await;
            assert!(queued <= 2.0 * queue_limit, "{queued} messages queued");
            let high_water = metric(&app, "samrad_hub_queue_high_water").await;
            assert!(high_water <= queue_limit, "a queue grew to {high_water}");
        }
    }
    drop(posts);
    let hearing_id: domain::HearingId = hearing.parse().expect("uuid");
    let document_id: domain::DocumentId = document.parse().expect("uuid");
    let section_id: domain::SectionId = section.parse().expect("uuid");
    for first in (OVER_HTTP..EVENTS).step_by(BATCH as usize) {
        tokio::time::timeout(PATIENCE, reader_at.wait_for(|&seq| seq >= first))
            .await
            .expect("the reader keeps up")
            .expect("the reader is running");
        let batch: Vec<db::NewComment> = (first..(first + BATCH).min(EVENTS))
            .map(|n| db::NewComment {
                id: domain::CommentId::new(),
                hearing_id,
                document_id,
                section_id,
                author_name: "Ola".into(),
                author_email: None,
                body: format!("{n}: {filler}"),
                late: false,
                created_at: jiff::Timestamp::now(),
                parent_id: None,
                anchor: None,
                person_id: None,
                unconfirmed: None,
                screened: false,
                idempotency_key: None,
                emails: Vec::new(),
            })
            .collect();
        let stored = app.db.post_comments(&batch).await.expect("stored");
        let events: Vec<db::StoredEvent> = stored.into_iter().flat_map(|p| p.events).collect();
        app.state.publish_committed(&events, false);
        let queued = metric(&app, "samrad_hub_queued_messages").await;
        assert!(queued <= 2.0 * queue_limit, "{queued} messages queued");
    }

    let (reader, seqs) = tokio::time::timeout(PATIENCE, reading)
        .await
        .expect("the reader got everything in time")
        .expect("the reader task");
    assert_eq!(
        seqs,
        (1..=EVENTS).collect::<Vec<_>>(),
        "every event once, in order"
    );

    // The stuck client filled its queue exactly, and was dropped for it.
    assert_eq!(
        metric(&app, "samrad_hub_queue_high_water").await,
        queue_limit
    );
    assert!(metric(&app, "samrad_hub_clients_overloaded_total").await >= 1.0);
    // Once its connection is gone, nothing waits for it any more.
    let gone = tokio::time::timeout(PATIENCE, async {
        while metric(&app, "samrad_ws_connections").await > connections_before + 1.0 {
            tokio::task::yield_now().await;
        }
    })
    .await;
    assert!(
        gone.is_ok(),
        "the stuck client's connection was never closed"
    );
    assert_eq!(metric(&app, "samrad_hub_queued_messages").await, 0.0);
    assert_eq!(metric(&app, "samrad_hub_queued_bytes").await, 0.0);
    let rss_after = rss_kib();

    // What reached the stuck client: a gap-free start, then the end of the connection
    // (1013, or a reset when even the close frame could not be written).
    let mut received = 0_i64;
    let ending = tokio::time::timeout(PATIENCE, async {
        loop {
            match stuck.next().await {
                Some(Ok(Message::Text(text))) => {
                    let value: Value = serde_json::from_str(&text).expect("JSON");
                    if value["type"] == "event" {
                        received += 1;
                        assert_eq!(value["seq"], received, "in order, without gaps");
                    }
                }
                Some(Ok(Message::Close(frame))) => return frame.map(|f| u16::from(f.code)),
                Some(Ok(_)) => {}
                Some(Err(_)) | None => return None,
            }
        }
    })
    .await
    .expect("the stuck client's connection ends");
    assert!(
        matches!(ending, Some(1013) | None),
        "closed with {ending:?}"
    );
    assert!(
        received < EVENTS,
        "the stuck client was not dropped: it got all {received} events"
    );

    // Generous: the whole test process (server, database, clients) may grow, but not
    // by anything like what 10,000 events held for the stuck client would take.
    let grown_mib = rss_after.saturating_sub(rss_before) / 1024;
    eprintln!(
        "stuck client got {received} of {EVENTS} events; RSS {} MiB -> {} MiB",
        rss_before / 1024,
        rss_after / 1024
    );
    assert!(grown_mib < 128, "the process grew by {grown_mib} MiB");
    drop(reader);
    app.stop().await.expect("graceful stop");
}
