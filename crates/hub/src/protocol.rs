//! The websocket message protocol, documented in `docs/websocket-protocol.md`.

use crate::presence::SectionPresence;
use domain::SectionId;
use domain::event::EventPayload;
use serde::{Deserialize, Serialize};

/// What a client may send: subscriptions and what it reads (presence). Every change
/// goes through HTTP.
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
    /// The section the reader has in front of them in a subscribed document room, or
    /// `null` when none. Not stored; it goes when the subscription does.
    Focus {
        room: String,
        section: Option<SectionId>,
    },
}

/// The most of a decoding error's text sent back to the client.
pub const DECODE_DETAIL_CHARS: usize = 200;

impl ClientMessage {
    /// Decodes a client's text message; `Err` holds what to tell the client, at most
    /// [`DECODE_DETAIL_CHARS`] characters (serde names the problem, quoting little of it).
    pub fn decode(text: &str) -> Result<ClientMessage, String> {
        serde_json::from_str(text)
            .map_err(|err| err.to_string().chars().take(DECODE_DETAIL_CHARS).collect())
    }
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
    /// Who reads which section of a document room (sent on changes, at most every
    /// [`crate::PRESENCE_INTERVAL`], and right after subscribing).
    Presence {
        room: String,
        sections: Vec<SectionPresence>,
    },
    Error {
        code: String,
        message: String,
        /// The room the refused request named, when it named one.
        #[serde(skip_serializing_if = "Option::is_none")]
        room: Option<String>,
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
            room: None,
        }
    }

    /// An error about a request that named `room`.
    pub fn room_error(code: &str, message: impl Into<String>, room: &str) -> ServerMessage {
        ServerMessage::Error {
            code: code.to_owned(),
            message: message.into(),
            room: Some(room.chars().take(100).collect()),
        }
    }
}
