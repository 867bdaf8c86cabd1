//! The websocket message protocol, documented in `docs/websocket-protocol.md`.

use domain::event::EventPayload;
use serde::{Deserialize, Serialize};

/// What a client may send. Subscriptions only: every change goes through HTTP.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    Subscribe {
        room: String,
        /// The last sequence number the client has seen; missed events follow.
        #[serde(default)]
        since: Option<i64>,
    },
    Unsubscribe {
        room: String,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Subscribed {
        room: String,
        seq: i64,
    },
    Unsubscribed {
        room: String,
    },
    Event {
        room: String,
        seq: i64,
        event: EventPayload,
    },
    /// The client missed too much to catch up event by event: re-fetch the room over HTTP.
    Reset {
        room: String,
        seq: i64,
    },
    Error {
        code: String,
        message: String,
    },
}

impl ServerMessage {
    pub fn to_json(&self) -> String {
        // Serialising these plain enums cannot fail.
        serde_json::to_string(self).unwrap_or_else(|_| String::from("{}"))
    }

    pub fn error(code: &str, message: impl Into<String>) -> ServerMessage {
        ServerMessage::Error {
            code: code.to_owned(),
            message: message.into(),
        }
    }
}
