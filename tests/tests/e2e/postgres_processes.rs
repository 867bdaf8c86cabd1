//! Several server processes on one PostgreSQL database deliver each other's events.
//!
//! PostgreSQL only (SQLite is the one-process embedded setup), so these tests are
//! ignored in the SQLite run and run by `.ci/run` in its PostgreSQL step with
//! `--include-ignored`; there they fail loudly without a server.

use futures_util::{SinkExt, StreamExt};
use serde_json::json;
use std::time::Duration;
use tests::{Backend, spawn_app};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
#[ignore = "needs PostgreSQL: runs in the PostgreSQL step of .ci/run"]
async fn a_comment_posted_to_one_process_reaches_a_client_of_another() {
    assert_eq!(
        Backend::from_env(),
        Backend::Postgres,
        "set SAMRAD_TEST_DATABASE_URL to a PostgreSQL database to run this test"
    );
    let app = spawn_app(Backend::Postgres).await.expect("process A");
    let other = app.another_process().await.expect("process B");
    let doc = app.draft_document("two-processes").await;
    let (_, hearing) = app
        .post_as_planner(
            "/api/v1/hearings",
            json!({"document_version_id": doc.version_id, "title": "Høyring"}),
        )
        .await;
    let hearing_id = hearing["id"].as_str().expect("id").to_owned();
    app.post_as_planner(&format!("/api/v1/hearings/{hearing_id}/open"), json!({}))
        .await;

    let (mut ws, _) = tokio_tungstenite::connect_async(other.ws_url())
        .await
        .expect("connects to B");
    let room = format!("document:{}", doc.document_id);
    ws.send(Message::text(
        json!({"type": "subscribe", "room": room}).to_string(),
    ))
    .await
    .expect("subscribe");
    let mut received = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    let mut posted = false;
    while received.len() < 3 {
        let message = tokio::time::timeout_at(deadline, ws.next())
            .await
            .expect("events from B within 10 s");
        let Some(Ok(Message::Text(text))) = message else {
            continue;
        };
        let value: serde_json::Value = serde_json::from_str(&text).expect("json");
        if value["type"] == "subscribed" && !posted {
            posted = true;
            // Three comments through process A's HTTP API.
            for n in 0..3 {
                let (status, _) = app
                    .post_as_planner(
                        &format!("/api/v1/hearings/{hearing_id}/comments"),
                        json!({"section_id": doc.section_ids[0], "author_name": "Ola", "body": format!("Frå A {n}")}),
                    )
                    .await;
                assert_eq!(status, 201);
            }
        } else if value["type"] == "event" {
            received.push((
                value["seq"].as_i64().expect("seq"),
                value["event"]["data"]["body"]
                    .as_str()
                    .expect("body")
                    .to_owned(),
            ));
        }
    }
    assert_eq!(
        received,
        vec![
            (1, "Frå A 0".to_owned()),
            (2, "Frå A 1".to_owned()),
            (3, "Frå A 2".to_owned())
        ]
    );
    other.stop().await.expect("B stops");
    app.stop().await.expect("A stops");
}
