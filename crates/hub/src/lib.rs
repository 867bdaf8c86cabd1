//! The websocket hub: rooms, fan-out, per-connection back-pressure and resume.
//!
//! Invariants: push only (every change arrives over HTTP and is published here after
//! commit); never touches the database (history for resume comes through the
//! [`History`] trait, implemented by the server); a lagging receiver is told to
//! reset, never silently dropped.

mod connection;
mod protocol;

pub use connection::{Connection, Outbound, SubscribeError};
pub use protocol::{ClientMessage, ServerMessage};

use domain::room::Room;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::broadcast;

/// One event as sent to clients: serialised once, shared by every receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub room: Room,
    pub seq: i64,
    /// The complete JSON text of the `event` server message.
    pub json: Arc<str>,
}

impl Envelope {
    pub fn new(room: Room, seq: i64, event: &domain::event::EventPayload) -> Envelope {
        let message = ServerMessage::Event {
            room: room.to_string(),
            seq,
            event: event.clone(),
        };
        Envelope {
            room,
            seq,
            json: message.to_json().into(),
        }
    }
}

/// Where a resuming client's missed events come from.
pub trait History: Send + Sync + 'static {
    /// Events of `room` after `after_seq`, oldest first, at most `limit`.
    fn events_since(
        &self,
        room: Room,
        after_seq: i64,
        limit: u64,
    ) -> impl Future<Output = Result<Vec<Envelope>, String>> + Send;

    /// The newest sequence number of `room` (0 when it has none).
    fn last_seq(&self, room: Room) -> impl Future<Output = Result<i64, String>> + Send;
}

pub struct Hub {
    rooms: Mutex<HashMap<Room, broadcast::Sender<Envelope>>>,
    room_capacity: usize,
}

impl Hub {
    /// `room_capacity` bounds how far a connection may fall behind a room before it is
    /// told to reset.
    pub fn new(room_capacity: usize) -> Arc<Hub> {
        Arc::new(Hub {
            rooms: Mutex::new(HashMap::new()),
            room_capacity: room_capacity.max(16),
        })
    }

    /// Fans an event out to every current subscriber of its room.
    pub fn publish(&self, envelope: Envelope) {
        let mut rooms = self.rooms.lock().unwrap_or_else(|p| p.into_inner());
        let room = envelope.room;
        if let Some(sender) = rooms.get(&room)
            && sender.send(envelope).is_err()
        {
            // Nobody listens any more; forget the room.
            rooms.remove(&room);
        }
        metrics::counter!("samrad_hub_events_published_total").increment(1);
    }

    pub(crate) fn receiver(&self, room: Room) -> broadcast::Receiver<Envelope> {
        let mut rooms = self.rooms.lock().unwrap_or_else(|p| p.into_inner());
        rooms
            .entry(room)
            .or_insert_with(|| broadcast::channel(self.room_capacity).0)
            .subscribe()
    }

    /// Rooms with at least one subscriber.
    pub fn active_rooms(&self) -> usize {
        let rooms = self.rooms.lock().unwrap_or_else(|p| p.into_inner());
        rooms.values().filter(|s| s.receiver_count() > 0).count()
    }
}
