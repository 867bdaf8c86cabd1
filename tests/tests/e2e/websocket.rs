//! The websocket endpoint against bad input, probing and presence, with real clients
//! on the real server.

use futures_util::{SinkExt, StreamExt};
use serde_json::{Value, json};
use std::time::Duration;
use tests::ws::{Ws, next_any, next_json, send, subscribe};
use tests::{Backend, TestApp, spawn_app};
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// Upper bound for anything to arrive; only reached when something is broken.
const PATIENCE: Duration = Duration::from_secs(10);

async fn connect(app: &TestApp) -> Ws {
    tokio_tungstenite::connect_async(app.ws_url())
        .await
        .expect("websocket connects")
        .0
}

/// The close code the server ends the connection with; `None` when the connection
/// ended without a close frame.
async fn close_code(ws: &mut Ws) -> Option<u16> {
    tokio::time::timeout(PATIENCE, async {
        while let Some(message) = ws.next().await {
            match message {
                Ok(Message::Close(frame)) => return frame.map(|f| u16::from(f.code)),
                Ok(_) => {}
                Err(_) => return None,
            }
        }
        None
    })
    .await
    .expect("the connection ends in time")
}

/// An open hearing on a fresh two-section document: (hearing id, document id, sections).
async fn open_hearing(app: &TestApp, slug: &str) -> (String, String, Vec<String>) {
    let h = app.open_hearing(slug).await;
    (h.id, h.document_id, h.section_ids)
}

async fn post_comment(app: &TestApp, hearing: &str, section: &str, body: &str) {
    // The planner's token publishes at once; the public would confirm first.
    app.planner_expects(
        201,
        &format!("/api/v1/hearings/{hearing}/comments"),
        json!({"section_id": section, "author_name": "Ola", "body": body}),
    )
    .await;
}

#[tokio::test]
async fn a_too_big_message_closes_that_connection_with_1009_and_nobody_else_notices() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (hearing, document, sections) = open_hearing(&app, "stor-melding").await;
    let room = format!("document:{document}");
    let mut reader = connect(&app).await;
    subscribe(&mut reader, &room).await;

    // Just over the limit, as one frame; and far over it.
    for size in [16 * 1024 + 1, 1024 * 1024] {
        let mut big = connect(&app).await;
        subscribe(&mut big, &room).await;
        let padding = "x".repeat(size);
        let frame = json!({"type": "subscribe", "room": padding}).to_string();
        assert!(frame.len() > 16 * 1024);
        // The server may stop reading before the whole megabyte is sent.
        let _ = big.send(Message::text(frame)).await;
        let code = close_code(&mut big).await;
        if size < 64 * 1024 {
            assert_eq!(code, Some(1009), "closed as 'message too big'");
        } else {
            // Beyond what is read at all, the server closes with 1009 too, but the
            // client may see only the reset of a connection whose data was not read.
            assert!(matches!(code, Some(1009) | None), "closed: {code:?}");
        }
    }

    // Binary frames are held to the same limit.
    let mut binary = connect(&app).await;
    binary
        .send(Message::binary(vec![7u8; 16 * 1024 + 1]))
        .await
        .expect("sent");
    assert_eq!(close_code(&mut binary).await, Some(1009));

    // The other client on the room still gets every event.
    post_comment(&app, &hearing, &sections[0], "Etter den store meldinga").await;
    let event = next_json(&mut reader).await;
    assert_eq!(event["type"], "event", "{event}");
    assert_eq!(event["seq"], 1);
    assert_eq!(event["event"]["data"]["body"], "Etter den store meldinga");
    // A message at the limit is fine (and only refused for what it says).
    let mut fine = connect(&app).await;
    let padding = "y".repeat(16 * 1024 - 40);
    let frame = json!({"type": "subscribe", "room": padding}).to_string();
    assert!(frame.len() <= 16 * 1024, "{}", frame.len());
    fine.send(Message::text(frame)).await.expect("sent");
    let answer = next_json(&mut fine).await;
    assert_eq!(answer["code"], "invalid_room", "{answer}");
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn invalid_messages_get_an_error_and_the_connection_stays_usable() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (hearing, document, sections) = open_hearing(&app, "ugyldig").await;
    let room = format!("document:{document}");
    let mut ws = connect(&app).await;

    let garbage = [
        Message::text("{not json"),
        Message::text(""),
        Message::text("[1, 2, 3]"),
        Message::text(json!({"type": "shout", "room": room}).to_string()),
        Message::text(json!({"room": room}).to_string()),
        Message::text(json!({"type": "subscribe", "room": room, "extra": 1}).to_string()),
        Message::text(json!({"type": "subscribe", "room": room, "since": "ten"}).to_string()),
        Message::text(json!({"type": "focus", "room": room, "section": "not-a-uuid"}).to_string()),
        Message::binary(vec![0u8, 159, 146, 150]),
    ];
    for message in garbage {
        let shown = format!("{message:?}");
        ws.send(message).await.expect("sent");
        let answer = next_json(&mut ws).await;
        assert_eq!(answer["type"], "error", "{shown}: {answer}");
        assert_eq!(answer["code"], "invalid_message", "{shown}: {answer}");
        assert!(
            answer["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{answer}"
        );
    }
    // Still the same connection, and it works.
    subscribe(&mut ws, &room).await;
    post_comment(&app, &hearing, &sections[1], "Framleis open").await;
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["data"]["body"], "Framleis open", "{event}");
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn a_room_one_may_not_see_and_a_room_that_does_not_exist_look_the_same() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    // A document that is not on any hearing is not public.
    let draft = app.draft_document("utkast").await;
    let (status, hearing) = app
        .post_as_planner(
            "/api/v1/hearings",
            json!({"document_version_id": draft.version_id, "title": "Utkast", "weeks": 6}),
        )
        .await;
    assert_eq!(status, 201);
    let draft_hearing = hearing["id"].as_str().expect("id").to_owned();
    let mut ws = connect(&app).await;

    let mut answers = Vec::new();
    for (hidden, missing) in [
        (
            format!("document:{}", draft.document_id),
            format!("document:{}", uuid::Uuid::new_v4()),
        ),
        (
            format!("hearing:{draft_hearing}"),
            format!("hearing:{}", uuid::Uuid::new_v4()),
        ),
        // A plan that has published nothing is in preparation, and not public.
        (
            format!("plan:{}", draft.plan_id),
            format!("plan:{}", uuid::Uuid::new_v4()),
        ),
    ] {
        for room in [&hidden, &missing] {
            send(&mut ws, json!({"type": "subscribe", "room": room})).await;
            let answer = next_json(&mut ws).await;
            assert_eq!(answer["type"], "error", "{answer}");
            assert_eq!(answer["code"], "forbidden", "{answer}");
            assert_eq!(answer["room"], room.as_str(), "{answer}");
            // Everything but the room's name is the same.
            answers.push(answer.to_string().replace(room.as_str(), "ROOM"));
        }
    }
    assert!(
        answers.windows(2).all(|w| w[0] == w[1]),
        "the answers differ: {answers:#?}"
    );
    // The planner who owns the draft may follow it; the refusals left no trace.
    let mut request = app.ws_url().into_client_request().expect("request");
    request.headers_mut().insert(
        "authorization",
        format!("Bearer {}", app.planner_token)
            .parse()
            .expect("header"),
    );
    let (mut planner, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connects");
    subscribe(&mut planner, &format!("document:{}", draft.document_id)).await;
    subscribe(&mut planner, &format!("plan:{}", draft.plan_id)).await;
    app.stop().await.expect("graceful stop");
}

/// Reads presence messages until one shows `expected` as (section, count, names).
async fn presence_until(ws: &mut Ws, room: &str, expected: &[(&str, u64, &[&str])]) {
    let expected: Vec<Value> = expected
        .iter()
        .map(|(section, count, names)| json!({"section": section, "count": count, "names": names}))
        .collect();
    let mut seen = Vec::new();
    let found = tokio::time::timeout(PATIENCE, async {
        loop {
            let message = next_any(ws).await;
            if message["type"] == "presence" {
                assert_eq!(message["room"], room);
                if message["sections"].as_array() == Some(&expected) {
                    return;
                }
                seen.push(message);
            }
        }
    })
    .await;
    assert!(
        found.is_ok(),
        "presence never became {expected:?}; saw {seen:#?}"
    );
}

#[tokio::test]
async fn readers_see_who_reads_which_section_and_the_public_are_only_counted() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (_, document, sections) = open_hearing(&app, "kven-les").await;
    let room = format!("document:{document}");
    let cookie = app.planner("kari@testvik.example").await.cookie;
    let mut request = app.ws_url().into_client_request().expect("request");
    request
        .headers_mut()
        .insert("cookie", cookie.parse().expect("header"));
    let (mut kari, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connects");
    let mut public = connect(&app).await;

    // Focus before subscribing is refused.
    send(
        &mut public,
        json!({"type": "focus", "room": room, "section": sections[0]}),
    )
    .await;
    let refused = next_json(&mut public).await;
    assert_eq!(refused["code"], "not_subscribed", "{refused}");

    subscribe(&mut kari, &room).await;
    presence_until(&mut kari, &room, &[]).await;
    subscribe(&mut public, &room).await;
    presence_until(&mut public, &room, &[]).await;

    let first = sections[0].as_str();
    send(
        &mut kari,
        json!({"type": "focus", "room": room, "section": first}),
    )
    .await;
    presence_until(&mut public, &room, &[(first, 1, &["Kari Nordmann"])]).await;
    send(
        &mut public,
        json!({"type": "focus", "room": room, "section": first}),
    )
    .await;
    presence_until(&mut kari, &room, &[(first, 2, &["Kari Nordmann"])]).await;

    // Moving to another section, then away from the document (null).
    let second = sections[1].as_str();
    send(
        &mut public,
        json!({"type": "focus", "room": room, "section": second}),
    )
    .await;
    presence_until(
        &mut kari,
        &room,
        &[(first, 1, &["Kari Nordmann"]), (second, 1, &[])],
    )
    .await;
    send(
        &mut public,
        json!({"type": "focus", "room": room, "section": null}),
    )
    .await;
    presence_until(&mut kari, &room, &[(first, 1, &["Kari Nordmann"])]).await;

    // Kari closes the page: she is gone from the room's presence.
    send(
        &mut public,
        json!({"type": "focus", "room": room, "section": first}),
    )
    .await;
    presence_until(&mut kari, &room, &[(first, 2, &["Kari Nordmann"])]).await;
    kari.close(None).await.expect("close");
    drop(kari);
    presence_until(&mut public, &room, &[(first, 1, &[])]).await;
    let metrics = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("samrad_hub_presence_rooms"), "{metrics}");
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn resuming_ahead_of_the_server_after_a_restore_gets_a_reset() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let hearing = app.open_hearing("tilbakefort").await;
    app.comment_as_planner(&hearing, "Planavdelinga", "Fyrste.")
        .await;
    let room = hearing.document_room();
    let current = app
        .db
        .last_seq(domain::room::Room::Document(
            hearing.document_id.parse().expect("id"),
        ))
        .await
        .expect("seq");
    // The client remembers an event the restored database never had.
    let mut ws = app.subscribed(&room, None, Some(current + 500)).await;
    let reset = next_json(&mut ws).await;
    assert_eq!(reset["type"], "reset", "{reset}");
    assert_eq!(reset["seq"], current, "{reset}");
    // And the next comment reaches it, though its number is below what it remembered.
    let comment = app
        .comment_as_planner(&hearing, "Planavdelinga", "Andre.")
        .await;
    let event = next_json(&mut ws).await;
    assert_eq!(
        event["event"]["data"]["comment_id"], comment["id"],
        "{event}"
    );
    assert_eq!(event["seq"], current + 1);
    app.stop().await.expect("graceful stop");
}
