//! A websocket client's view of the hub, for the end-to-end tests.

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;

pub type Ws =
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>;

/// The next JSON text message, whatever it is; fails after 10 s.
pub async fn next_any(ws: &mut Ws) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), ws.next())
            .await
            .expect("a websocket message within 10 s")
            .expect("the socket is open")
            .expect("a valid frame");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).expect("JSON from the hub");
        }
    }
}

/// The next JSON message that is not `presence` (who reads which section), which
/// document rooms send on their own and most tests do not look at.
pub async fn next_json(ws: &mut Ws) -> Value {
    loop {
        let message = next_any(ws).await;
        if message["type"] != "presence" {
            return message;
        }
    }
}

/// Sends a JSON message.
pub async fn send(ws: &mut Ws, message: serde_json::Value) {
    ws.send(Message::text(message.to_string()))
        .await
        .expect("sent");
}

/// Subscribes to `room` and checks the answer.
pub async fn subscribe(ws: &mut Ws, room: &str) {
    send(ws, serde_json::json!({"type": "subscribe", "room": room})).await;
    let answer = next_json(ws).await;
    assert_eq!(answer["type"], "subscribed", "{answer}");
    assert_eq!(answer["room"], room, "{answer}");
}
