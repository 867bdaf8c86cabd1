//! The websocket hub: rooms, fan-out, per-connection back-pressure, resume and
//! presence.
//!
//! Invariants: push only (every change arrives over HTTP and is published here after
//! commit); never touches the database (history for resume comes through the
//! [`History`] trait, implemented by the server); a lagging receiver is told to
//! reset, never silently dropped.

mod connection;
mod frame;
pub mod presence;
mod protocol;

pub use connection::{Connection, Outbound, QueueStats, SubscribeError, queue_stats};
pub use frame::Frame;
pub use presence::{ConnectionId, FocusError, SectionPresence};
pub use protocol::{ClientMessage, DECODE_DETAIL_CHARS, ServerMessage};

use domain::SectionId;
use domain::event::EventAudience;
use domain::room::Room;
use presence::RoomPresence;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, Weak};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc, watch};
use tokio::time::Instant;

/// Presence of one room is sent at most this often; changes in between are merged.
pub const PRESENCE_INTERVAL: Duration = Duration::from_millis(500);

/// One event as sent to clients: serialised once, shared by every receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Envelope {
    pub room: Room,
    pub seq: i64,
    /// Who in the room may receive it; each subscription filters by its viewer.
    pub audience: EventAudience,
    /// The complete JSON text of the `event` server message, shared by every
    /// connection that sends it.
    pub json: Frame,
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
            audience: event.audience(),
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

/// A room's shared frames, and the newest sequence number this process knows of it.
struct RoomFrames {
    sender: broadcast::Sender<Envelope>,
    /// Known once an event was published here or the history was asked; lets a
    /// subscription start without asking the database.
    last_seq: Option<i64>,
}

pub struct Hub {
    rooms: Mutex<HashMap<Room, RoomFrames>>,
    room_capacity: usize,
    presence: Mutex<HashMap<Room, PresenceRoom>>,
    presence_interval: Duration,
    /// Told the rooms whose presence changed here, so that other processes hear of it.
    presence_changes: Mutex<Option<mpsc::UnboundedSender<Room>>>,
    /// Handed to the tasks that send presence later, so they never keep the hub alive.
    this: Weak<Hub>,
}

/// A document room's presence, and the latest `presence` message sent for it.
struct PresenceRoom {
    readers: RoomPresence,
    /// What the readers of other processes read (empty with one process).
    elsewhere: Vec<SectionPresence>,
    /// Subscriptions to the room on this hub; the entry goes with the last one.
    subscriptions: usize,
    latest: watch::Sender<Frame>,
    /// A send is scheduled.
    pending: bool,
    last_sent: Option<Instant>,
}

fn presence_json(room: Room, sections: Vec<SectionPresence>) -> Frame {
    ServerMessage::Presence {
        room: room.to_string(),
        sections,
    }
    .to_json()
    .into()
}

impl PresenceRoom {
    /// This process's readers and every other process's, together.
    fn sections(&self) -> Vec<SectionPresence> {
        if self.elsewhere.is_empty() {
            self.readers.sections()
        } else {
            presence::merge([self.readers.sections(), self.elsewhere.clone()])
        }
    }
}

impl Hub {
    /// `room_capacity` bounds how far a connection may fall behind a room before it is
    /// told to reset.
    pub fn new(room_capacity: usize) -> Arc<Hub> {
        Hub::with_presence_interval(room_capacity, PRESENCE_INTERVAL)
    }

    /// Like [`Hub::new`], sending each room's presence at most every `interval`.
    pub fn with_presence_interval(room_capacity: usize, interval: Duration) -> Arc<Hub> {
        Arc::new_cyclic(|this| Hub {
            rooms: Mutex::new(HashMap::new()),
            room_capacity: room_capacity.max(16),
            presence: Mutex::new(HashMap::new()),
            presence_interval: interval,
            presence_changes: Mutex::new(None),
            this: this.clone(),
        })
    }

    /// Fans an event out to every current subscriber of its room: one send into the
    /// room's ring, which each connection's task reads; the publisher never waits
    /// for a subscriber.
    pub fn publish(&self, envelope: Envelope) {
        let mut rooms = self.rooms.lock().unwrap_or_else(|p| p.into_inner());
        let room = envelope.room;
        let seq = envelope.seq;
        if let Some(entry) = rooms.get_mut(&room) {
            if entry.sender.send(envelope).is_err() {
                // Nobody listens any more; forget the room.
                rooms.remove(&room);
            } else {
                entry.last_seq = Some(entry.last_seq.map_or(seq, |last| last.max(seq)));
            }
        }
        metrics::counter!("samrad_hub_events_published_total").increment(1);
    }

    /// A receiver of the room's frames and the newest sequence number published
    /// before it (`None` when this process does not know it yet). Taken under one
    /// lock, so every event after that number reaches the receiver.
    pub(crate) fn receiver(&self, room: Room) -> (broadcast::Receiver<Envelope>, Option<i64>) {
        let mut rooms = self.rooms.lock().unwrap_or_else(|p| p.into_inner());
        let entry = rooms.entry(room).or_insert_with(|| RoomFrames {
            sender: broadcast::channel(self.room_capacity).0,
            last_seq: None,
        });
        (entry.sender.subscribe(), entry.last_seq)
    }

    /// Remembers the room's newest sequence number as the history gave it, so the
    /// next subscriptions need not ask.
    pub(crate) fn note_last_seq(&self, room: Room, seq: i64) {
        let mut rooms = self.rooms.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = rooms.get_mut(&room) {
            entry.last_seq = Some(entry.last_seq.map_or(seq, |last| last.max(seq)));
        }
    }

    /// Rooms with at least one subscriber.
    pub fn active_rooms(&self) -> usize {
        let rooms = self.rooms.lock().unwrap_or_else(|p| p.into_inner());
        rooms
            .values()
            .filter(|r| r.sender.receiver_count() > 0)
            .count()
    }

    fn presence_rooms(&self) -> std::sync::MutexGuard<'_, HashMap<Room, PresenceRoom>> {
        self.presence.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// A new subscription to a document room: its presence messages.
    pub(crate) fn presence_join(&self, room: Room) -> watch::Receiver<Frame> {
        let mut rooms = self.presence_rooms();
        if !rooms.contains_key(&room) {
            // Another process may have readers here already.
            self.tell_presence_changed(room);
        }
        let entry = rooms.entry(room).or_insert_with(|| {
            let readers = RoomPresence::default();
            PresenceRoom {
                latest: watch::channel(presence_json(room, readers.sections())).0,
                readers,
                elsewhere: Vec::new(),
                subscriptions: 0,
                pending: false,
                last_sent: None,
            }
        });
        entry.subscriptions += 1;
        entry.latest.subscribe()
    }

    /// Presence messages of a room the caller has already joined (a re-subscription).
    pub(crate) fn presence_receiver(&self, room: Room) -> Option<watch::Receiver<Frame>> {
        self.presence_rooms()
            .get(&room)
            .map(|entry| entry.latest.subscribe())
    }

    /// A subscription ended: forget what it read, and the room when nobody is left.
    pub(crate) fn presence_leave(&self, room: Room, connection: ConnectionId) {
        let mut rooms = self.presence_rooms();
        let Some(entry) = rooms.get_mut(&room) else {
            return;
        };
        entry.subscriptions = entry.subscriptions.saturating_sub(1);
        let changed = entry.readers.leave(connection);
        if changed {
            self.tell_presence_changed(room);
        }
        if entry.subscriptions == 0 {
            rooms.remove(&room);
        } else if changed {
            self.schedule_presence(room, entry);
        }
    }

    /// Says what `connection` reads in `room` (which it has joined).
    pub(crate) fn presence_focus(
        &self,
        room: Room,
        connection: ConnectionId,
        section: Option<SectionId>,
        name: Option<&str>,
    ) -> Result<(), FocusError> {
        let mut rooms = self.presence_rooms();
        let entry = rooms.get_mut(&room).ok_or(FocusError::NotSubscribed)?;
        if entry.readers.focus(connection, section, name)? {
            self.tell_presence_changed(room);
            self.schedule_presence(room, entry);
        }
        Ok(())
    }

    /// The rooms whose presence changed on this hub (a reader came, moved or left, or
    /// the room got its first subscription here), for sharing it with other
    /// processes. One watcher: a second call replaces the first.
    pub fn watch_presence_changes(&self) -> mpsc::UnboundedReceiver<Room> {
        let (sender, receiver) = mpsc::unbounded_channel();
        *self
            .presence_changes
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(sender);
        receiver
    }

    fn tell_presence_changed(&self, room: Room) {
        let changes = self
            .presence_changes
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(sender) = changes.as_ref() {
            let _ = sender.send(room);
        }
    }

    /// This process's own readers of `room`; `None` when nobody here follows it.
    pub fn local_presence(&self, room: Room) -> Option<Vec<SectionPresence>> {
        self.presence_rooms()
            .get(&room)
            .map(|entry| entry.readers.sections())
    }

    /// Rooms followed here that have presence (document rooms).
    pub fn presence_room_list(&self) -> Vec<Room> {
        self.presence_rooms().keys().copied().collect()
    }

    /// Sets what the readers of other processes read in `room` (one list per
    /// process); sent to this hub's subscribers like a local change.
    pub fn set_presence_elsewhere(&self, room: Room, lists: Vec<Vec<SectionPresence>>) {
        let mut rooms = self.presence_rooms();
        let Some(entry) = rooms.get_mut(&room) else {
            return;
        };
        let elsewhere = presence::merge(lists);
        if entry.elsewhere != elsewhere {
            entry.elsewhere = elsewhere;
            self.schedule_presence(room, entry);
        }
    }

    /// Sends the room's presence now, or once `presence_interval` has passed since
    /// the last send; changes until then go out together.
    fn schedule_presence(&self, room: Room, entry: &mut PresenceRoom) {
        if entry.pending {
            return;
        }
        entry.pending = true;
        let wait = entry.last_sent.map_or(Duration::ZERO, |sent| {
            (sent + self.presence_interval).saturating_duration_since(Instant::now())
        });
        let Ok(runtime) = tokio::runtime::Handle::try_current() else {
            // Outside a runtime (a connection dropped at shutdown): nobody to tell.
            entry.pending = false;
            return;
        };
        let hub = self.this.clone();
        runtime.spawn(async move {
            if !wait.is_zero() {
                tokio::time::sleep(wait).await;
            }
            if let Some(hub) = hub.upgrade() {
                hub.send_presence(room);
            }
        });
    }

    fn send_presence(&self, room: Room) {
        let mut rooms = self.presence_rooms();
        let Some(entry) = rooms.get_mut(&room) else {
            return;
        };
        entry.pending = false;
        entry.last_sent = Some(Instant::now());
        let json = presence_json(room, entry.sections());
        entry.latest.send_if_modified(|latest| {
            if *latest == json {
                false
            } else {
                *latest = json;
                true
            }
        });
        metrics::counter!("samrad_hub_presence_sent_total").increment(1);
    }

    /// Rooms with presence state (document rooms with at least one subscription).
    pub fn presence_rooms_count(&self) -> usize {
        self.presence_rooms().len()
    }

    /// The presence of `room` as it stands (not yet throttled), for tests and metrics.
    pub fn presence_of(&self, room: Room) -> Vec<SectionPresence> {
        self.presence_rooms()
            .get(&room)
            .map(PresenceRoom::sections)
            .unwrap_or_default()
    }
}
