//! One websocket client's subscriptions, merged into one bounded outbound queue.

use crate::presence::{ConnectionId, FocusError};
use crate::{Envelope, History, Hub, ServerMessage};
use domain::SectionId;
use domain::event::Viewer;
use domain::room::Room;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use tokio::sync::{broadcast, mpsc, watch};
use tokio::task::JoinHandle;

/// How many missed events a resuming client gets one by one before it is told to reset.
const RESUME_LIMIT: u64 = 1000;

static NEXT_CONNECTION: AtomicU64 = AtomicU64::new(1);
/// Messages and bytes waiting in all outbound queues of this process.
static QUEUED_MESSAGES: AtomicI64 = AtomicI64::new(0);
static QUEUED_BYTES: AtomicI64 = AtomicI64::new(0);
/// The most messages that ever waited in one connection's queue.
static QUEUE_HIGH_WATER: AtomicUsize = AtomicUsize::new(0);

/// What waits for websocket clients in this process's outbound queues.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueStats {
    pub queued_messages: i64,
    pub queued_bytes: i64,
    /// The longest any one connection's queue has been since the process started;
    /// never more than the configured queue.
    pub high_water: usize,
}

pub fn queue_stats() -> QueueStats {
    QueueStats {
        queued_messages: QUEUED_MESSAGES.load(Ordering::Relaxed),
        queued_bytes: QUEUED_BYTES.load(Ordering::Relaxed),
        high_water: QUEUE_HIGH_WATER.load(Ordering::Relaxed),
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outbound {
    Text(Arc<str>),
    /// The client did not keep up; close the socket. It may reconnect and resume.
    Overloaded,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscribeError {
    #[error("too many subscriptions on one connection (at most {0})")]
    TooMany(usize),
}

/// The sending side of a connection's queue, shared by its subscription tasks.
struct Outlet {
    tx: mpsc::Sender<Outbound>,
    /// Set once the queue overflowed: the connection is to be closed.
    overloaded: watch::Sender<bool>,
}

impl Outlet {
    /// Queues a message; false when the client is gone or has fallen too far behind
    /// (then the connection is marked overloaded and nothing more is queued).
    fn push(&self, text: Arc<str>) -> bool {
        if *self.overloaded.borrow() {
            return false;
        }
        let bytes = text.len() as i64;
        match self.tx.try_send(Outbound::Text(text)) {
            Ok(()) => {
                QUEUED_MESSAGES.fetch_add(1, Ordering::Relaxed);
                QUEUED_BYTES.fetch_add(bytes, Ordering::Relaxed);
                let queued = self.tx.max_capacity() - self.tx.capacity();
                QUEUE_HIGH_WATER.fetch_max(queued, Ordering::Relaxed);
                true
            }
            Err(mpsc::error::TrySendError::Full(_)) => {
                if !self.overloaded.send_replace(true) {
                    metrics::counter!("samrad_hub_clients_overloaded_total").increment(1);
                }
                false
            }
            Err(mpsc::error::TrySendError::Closed(_)) => false,
        }
    }
}

struct Subscription {
    task: JoinHandle<()>,
    /// Document rooms take part in presence.
    presence: bool,
}

pub struct Connection<H: History> {
    id: ConnectionId,
    hub: Arc<Hub>,
    history: Arc<H>,
    outlet: Arc<Outlet>,
    rx: mpsc::Receiver<Outbound>,
    overloaded: watch::Receiver<bool>,
    subscriptions: HashMap<Room, Subscription>,
    max_subscriptions: usize,
    /// The name others see in presence; `None` to be counted only.
    presence_name: Option<String>,
}

impl<H: History> Connection<H> {
    /// `queue` bounds the messages waiting for this client; beyond it the client is
    /// considered stuck and is disconnected so that it cannot hold memory or slow others.
    pub fn new(hub: Arc<Hub>, history: Arc<H>, queue: usize, max_subscriptions: usize) -> Self {
        let (tx, rx) = mpsc::channel(queue.max(8));
        let (overloaded, overloaded_rx) = watch::channel(false);
        Connection {
            id: ConnectionId(NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed)),
            hub,
            history,
            outlet: Arc::new(Outlet { tx, overloaded }),
            rx,
            overloaded: overloaded_rx,
            subscriptions: HashMap::new(),
            max_subscriptions,
            presence_name: None,
        }
    }

    /// The name shown to the others in a room when this connection says what it reads.
    pub fn with_presence_name(mut self, name: Option<String>) -> Self {
        self.presence_name = name;
        self
    }

    pub fn id(&self) -> ConnectionId {
        self.id
    }

    /// Follows a room. With `since`, the events after it are delivered first, then live
    /// ones, without gaps or duplicates. In a document room the room's presence comes
    /// right after `subscribed`, then whenever it changes. The caller has checked
    /// permission.
    pub fn subscribe(&mut self, room: Room, since: Option<i64>) -> Result<(), SubscribeError> {
        self.subscribe_as(room, since, Viewer::anyone())
    }

    /// Like [`Connection::subscribe`], delivering only the events whose audience
    /// includes `viewer` (live and from history alike). Skipped events still count
    /// as seen, so the sequence numbers the client gets have holes but no gaps to
    /// fill.
    pub fn subscribe_as(
        &mut self,
        room: Room,
        since: Option<i64>,
        viewer: Viewer,
    ) -> Result<(), SubscribeError> {
        let presence_room = matches!(room, Room::Document(_));
        let presence = if let Some(previous) = self.subscriptions.remove(&room) {
            previous.task.abort();
            metrics::gauge!("samrad_hub_subscriptions").decrement(1.0);
            // Still a member of the room's presence: only a new view of it.
            presence_room
                .then(|| self.hub.presence_receiver(room))
                .flatten()
        } else if self.subscriptions.len() >= self.max_subscriptions {
            return Err(SubscribeError::TooMany(self.max_subscriptions));
        } else {
            presence_room.then(|| self.hub.presence_join(room))
        };
        // Subscribe to live events before reading history, so nothing falls in between.
        let receiver = self.hub.receiver(room);
        let task = tokio::spawn(forward(
            room,
            since,
            receiver,
            presence,
            viewer,
            Arc::clone(&self.history),
            Arc::clone(&self.outlet),
        ));
        self.subscriptions.insert(
            room,
            Subscription {
                task,
                presence: presence_room,
            },
        );
        metrics::gauge!("samrad_hub_subscriptions").increment(1.0);
        Ok(())
    }

    pub fn unsubscribe(&mut self, room: Room) -> bool {
        match self.subscriptions.remove(&room) {
            Some(subscription) => {
                self.end(room, subscription);
                true
            }
            None => false,
        }
    }

    fn end(&self, room: Room, subscription: Subscription) {
        subscription.task.abort();
        if subscription.presence {
            self.hub.presence_leave(room, self.id);
        }
        metrics::gauge!("samrad_hub_subscriptions").decrement(1.0);
    }

    /// Says which section of a subscribed document room this client reads (`None`:
    /// none). Everyone in the room is told, at most every [`crate::PRESENCE_INTERVAL`].
    pub fn focus(&self, room: Room, section: Option<SectionId>) -> Result<(), FocusError> {
        if !matches!(room, Room::Document(_)) {
            return Err(FocusError::NotADocument);
        }
        if !self.subscriptions.contains_key(&room) {
            return Err(FocusError::NotSubscribed);
        }
        self.hub
            .presence_focus(room, self.id, section, self.presence_name.as_deref())
    }

    pub fn rooms(&self) -> impl Iterator<Item = Room> + '_ {
        self.subscriptions.keys().copied()
    }

    /// Queues a direct reply (such as an error); false when the queue is full.
    pub fn reply(&self, message: &ServerMessage) -> bool {
        self.outlet.push(message.to_json().into())
    }

    /// The next message for the client; [`Outbound::Overloaded`] as soon as the
    /// client has fallen too far behind, even with messages still queued.
    pub async fn next(&mut self) -> Option<Outbound> {
        if *self.overloaded.borrow() {
            return Some(Outbound::Overloaded);
        }
        tokio::select! {
            biased;
            _ = self.overloaded.wait_for(|overloaded| *overloaded) => Some(Outbound::Overloaded),
            message = self.rx.recv() => {
                if let Some(Outbound::Text(text)) = &message {
                    taken(text);
                }
                message
            }
        }
    }

    /// Resolves once the client has fallen too far behind, so that a write that waits
    /// on a client who does not read can be given up.
    pub fn overloaded(&self) -> impl Future<Output = ()> + Send + 'static {
        let mut overloaded = self.overloaded.clone();
        async move {
            // An error means the connection is gone; nothing to wait for then either.
            let _ = overloaded.wait_for(|overloaded| *overloaded).await;
        }
    }
}

/// Accounts for a message leaving a queue.
fn taken(text: &str) {
    QUEUED_MESSAGES.fetch_sub(1, Ordering::Relaxed);
    QUEUED_BYTES.fetch_sub(text.len() as i64, Ordering::Relaxed);
}

impl<H: History> Drop for Connection<H> {
    fn drop(&mut self) {
        let subscriptions: Vec<_> = self.subscriptions.drain().collect();
        for (room, subscription) in subscriptions {
            self.end(room, subscription);
        }
        // Nothing more can be queued once the receiver is closed; release what waits.
        self.rx.close();
        while let Ok(message) = self.rx.try_recv() {
            if let Outbound::Text(text) = message {
                taken(&text);
            }
        }
    }
}

/// Sends history after `after` and returns the last sequence number delivered, or
/// `None` when the client must reset instead.
async fn catch_up<H: History>(
    room: Room,
    after: i64,
    viewer: &Viewer,
    history: &H,
    outlet: &Outlet,
) -> Result<Option<i64>, ()> {
    let events = match history.events_since(room, after, RESUME_LIMIT + 1).await {
        Ok(events) => events,
        Err(_) => return Ok(None),
    };
    if events.len() as u64 > RESUME_LIMIT {
        return Ok(None);
    }
    let mut last = after;
    for envelope in events {
        if !viewer.sees(&envelope.audience) {
            last = envelope.seq;
            continue;
        }
        if !outlet.push(envelope.json) {
            return Err(());
        }
        last = envelope.seq;
    }
    Ok(Some(last))
}

fn reset(outlet: &Outlet, room: Room, seq: i64) -> bool {
    let message = ServerMessage::Reset {
        room: room.to_string(),
        seq,
    };
    outlet.push(message.to_json().into())
}

/// Waits for the next presence message; never resolves for rooms without presence.
async fn presence_changed(presence: &mut Option<watch::Receiver<Arc<str>>>) -> Option<Arc<str>> {
    match presence {
        Some(receiver) => match receiver.changed().await {
            Ok(()) => Some(Arc::clone(&receiver.borrow_and_update())),
            // The room's presence is gone (the hub forgot it); stop watching.
            Err(_) => None,
        },
        None => std::future::pending().await,
    }
}

async fn forward<H: History>(
    room: Room,
    since: Option<i64>,
    mut receiver: broadcast::Receiver<Envelope>,
    mut presence: Option<watch::Receiver<Arc<str>>>,
    viewer: Viewer,
    history: Arc<H>,
    outlet: Arc<Outlet>,
) {
    let current = history.last_seq(room).await.unwrap_or(0);
    let subscribed = ServerMessage::Subscribed {
        room: room.to_string(),
        seq: current,
    };
    if !outlet.push(subscribed.to_json().into()) {
        return;
    }
    if let Some(presence) = &mut presence {
        let now = Arc::clone(&presence.borrow_and_update());
        if !outlet.push(now) {
            return;
        }
    }
    let mut last = match since {
        Some(after) if after < current => {
            match catch_up(room, after.max(0), &viewer, &*history, &outlet).await {
                Ok(Some(last)) => last,
                Ok(None) => {
                    if !reset(&outlet, room, current) {
                        return;
                    }
                    current
                }
                Err(()) => return,
            }
        }
        // Ahead of the room (the database was restored from a backup, or the client
        // remembers another installation): what it holds cannot be trusted, and
        // events numbered up to its `since` would be dropped as already seen.
        Some(after) if after > current => {
            if !reset(&outlet, room, current) {
                return;
            }
            current
        }
        _ => current,
    };
    loop {
        let received = tokio::select! {
            received = receiver.recv() => received,
            changed = presence_changed(&mut presence) => {
                match changed {
                    Some(json) => {
                        if !outlet.push(json) {
                            return;
                        }
                    }
                    None => presence = None,
                }
                continue;
            }
        };
        match received {
            Ok(envelope) => {
                if envelope.seq <= last {
                    continue; // already delivered from history
                }
                if envelope.seq > last + 1 {
                    // Published out of order or missed: fill the gap from history.
                    match catch_up(room, last, &viewer, &*history, &outlet).await {
                        Ok(Some(caught_up)) => last = caught_up,
                        Ok(None) => {
                            if !reset(&outlet, room, envelope.seq) {
                                return;
                            }
                            last = envelope.seq;
                        }
                        Err(()) => return,
                    }
                    if envelope.seq <= last {
                        continue;
                    }
                }
                if !viewer.sees(&envelope.audience) {
                    last = envelope.seq;
                    continue;
                }
                if !outlet.push(envelope.json) {
                    return;
                }
                last = envelope.seq;
            }
            Err(broadcast::error::RecvError::Lagged(_)) => {
                // Fell behind the room: catch up from history rather than go deaf.
                match catch_up(room, last, &viewer, &*history, &outlet).await {
                    Ok(Some(caught_up)) => last = caught_up,
                    Ok(None) => {
                        let seq = history.last_seq(room).await.unwrap_or(last);
                        if !reset(&outlet, room, seq) {
                            return;
                        }
                        last = seq;
                    }
                    Err(()) => return,
                }
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}
