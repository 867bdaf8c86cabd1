//! One websocket client's subscriptions, read by the connection's own task.
//!
//! A connection holds a receiver of each subscribed room's shared frames and its
//! position in each room's sequence; the task that writes to the socket asks
//! [`Connection::next`] for the next frame, so a delivery is one wake-up of one task
//! and no copy. Only what cannot go out at once (replies, history after a gap, and
//! frames that arrive while a write is blocked) waits in a queue of the connection's
//! own, allocated when something waits and bounded: a client that falls that far
//! behind is disconnected and resumes later.

use crate::presence::{ConnectionId, FocusError};
use crate::{Envelope, Frame, History, Hub, ServerMessage};
use domain::SectionId;
use domain::event::Viewer;
use domain::room::Room;
use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, AtomicU64, AtomicUsize, Ordering};
use std::task::Poll;
use tokio::sync::broadcast::error::{RecvError, TryRecvError};
use tokio::sync::{broadcast, watch};

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
    Text(Frame),
    /// The client did not keep up; close the socket. It may reconnect and resume.
    Overloaded,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubscribeError {
    #[error("too many subscriptions on one connection (at most {0})")]
    TooMany(usize),
}

/// What waits for the client beyond the frame being written.
struct Outlet {
    /// Empty (and unallocated) while the client keeps up.
    queue: VecDeque<Frame>,
    limit: usize,
    /// Set once the queue overflowed: the connection is to be closed.
    overloaded: bool,
}

impl Outlet {
    /// Queues a message; false when the client has fallen too far behind (then the
    /// connection is marked overloaded and nothing more is queued).
    fn push(&mut self, frame: Frame) -> bool {
        if self.overloaded {
            return false;
        }
        if self.queue.len() >= self.limit {
            self.overloaded = true;
            metrics::counter!("samrad_hub_clients_overloaded_total").increment(1);
            return false;
        }
        QUEUED_MESSAGES.fetch_add(1, Ordering::Relaxed);
        QUEUED_BYTES.fetch_add(frame.len() as i64, Ordering::Relaxed);
        self.queue.push_back(frame);
        QUEUE_HIGH_WATER.fetch_max(self.queue.len(), Ordering::Relaxed);
        true
    }

    fn pop(&mut self) -> Option<Frame> {
        let frame = self.queue.pop_front()?;
        taken(&frame);
        if self.queue.is_empty() && self.queue.capacity() > 16 {
            // A backlog drained: give its memory back.
            self.queue = VecDeque::new();
        }
        Some(frame)
    }
}

/// Accounts for a message leaving a queue.
fn taken(frame: &Frame) {
    QUEUED_MESSAGES.fetch_sub(1, Ordering::Relaxed);
    QUEUED_BYTES.fetch_sub(frame.len() as i64, Ordering::Relaxed);
}

/// Where a subscription stands.
enum State {
    /// Just subscribed: `subscribed` (and any missed events) still to send. `known`
    /// is the room's newest sequence number as the hub knew it, if it did.
    Start {
        since: Option<i64>,
        known: Option<i64>,
    },
    /// Following the room's frames.
    Live,
    /// This event came after a hole: fill it from history first.
    Gap(Envelope),
    /// Fell a whole ring behind the room: catch up from history, or reset.
    Lagged,
}

struct Subscription {
    room: Room,
    receiver: broadcast::Receiver<Envelope>,
    /// The room's presence messages (document rooms).
    presence: Option<watch::Receiver<Frame>>,
    /// Document rooms take part in presence.
    in_presence: bool,
    viewer: Viewer,
    /// The last sequence number delivered (or skipped as not for this viewer).
    last: i64,
    state: State,
}

/// What a subscription received.
enum Received {
    Event(Result<Envelope, RecvError>),
    /// A new presence message; `None` when the room's presence is gone.
    Presence(Option<Frame>),
}

pub struct Connection<H: History> {
    id: ConnectionId,
    hub: Arc<Hub>,
    history: Arc<H>,
    outlet: Outlet,
    subscriptions: Vec<Subscription>,
    max_subscriptions: usize,
    /// The name others see in presence; `None` to be counted only.
    presence_name: Option<String>,
}

impl<H: History> Connection<H> {
    /// `queue` bounds the messages waiting for this client; beyond it the client is
    /// considered stuck and is disconnected so that it cannot hold memory or slow others.
    pub fn new(hub: Arc<Hub>, history: Arc<H>, queue: usize, max_subscriptions: usize) -> Self {
        Connection {
            id: ConnectionId(NEXT_CONNECTION.fetch_add(1, Ordering::Relaxed)),
            hub,
            history,
            outlet: Outlet {
                queue: VecDeque::new(),
                limit: queue.max(8),
                overloaded: false,
            },
            subscriptions: Vec::new(),
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
        let in_presence = matches!(room, Room::Document(_));
        let presence = if let Some(at) = self.position(room) {
            self.subscriptions.swap_remove(at);
            metrics::gauge!("samrad_hub_subscriptions").decrement(1.0);
            // Still a member of the room's presence: only a new view of it.
            in_presence
                .then(|| self.hub.presence_receiver(room))
                .flatten()
        } else if self.subscriptions.len() >= self.max_subscriptions {
            return Err(SubscribeError::TooMany(self.max_subscriptions));
        } else {
            in_presence.then(|| self.hub.presence_join(room))
        };
        // Receive live events before reading history, so nothing falls in between.
        let (receiver, known) = self.hub.receiver(room);
        self.subscriptions.push(Subscription {
            room,
            receiver,
            presence,
            in_presence,
            viewer,
            last: 0,
            state: State::Start { since, known },
        });
        metrics::gauge!("samrad_hub_subscriptions").increment(1.0);
        Ok(())
    }

    fn position(&self, room: Room) -> Option<usize> {
        self.subscriptions.iter().position(|s| s.room == room)
    }

    pub fn unsubscribe(&mut self, room: Room) -> bool {
        match self.position(room) {
            Some(at) => {
                let subscription = self.subscriptions.swap_remove(at);
                self.end(&subscription);
                true
            }
            None => false,
        }
    }

    fn end(&self, subscription: &Subscription) {
        if subscription.in_presence {
            self.hub.presence_leave(subscription.room, self.id);
        }
        metrics::gauge!("samrad_hub_subscriptions").decrement(1.0);
    }

    /// Says which section of a subscribed document room this client reads (`None`:
    /// none). Everyone in the room is told, at most every [`crate::PRESENCE_INTERVAL`].
    pub fn focus(&self, room: Room, section: Option<SectionId>) -> Result<(), FocusError> {
        if !matches!(room, Room::Document(_)) {
            return Err(FocusError::NotADocument);
        }
        if self.position(room).is_none() {
            return Err(FocusError::NotSubscribed);
        }
        self.hub
            .presence_focus(room, self.id, section, self.presence_name.as_deref())
    }

    pub fn rooms(&self) -> impl Iterator<Item = Room> + '_ {
        self.subscriptions.iter().map(|s| s.room)
    }

    /// Queues a direct reply (such as an error); false when the queue is full.
    pub fn reply(&mut self, message: &ServerMessage) -> bool {
        self.outlet.push(message.to_json().into())
    }

    /// The next message for the client; [`Outbound::Overloaded`] as soon as the
    /// client has fallen too far behind, even with messages still queued.
    ///
    /// Cancel-safe: a call dropped before it returns loses nothing (history is read
    /// again, and a frame taken from a room is returned in the same poll).
    pub async fn next(&mut self) -> Option<Outbound> {
        loop {
            if self.outlet.overloaded {
                return Some(Outbound::Overloaded);
            }
            if let Some(frame) = self.outlet.pop() {
                return Some(Outbound::Text(frame));
            }
            if let Some(at) = self
                .subscriptions
                .iter()
                .position(|s| !matches!(s.state, State::Live))
            {
                let subscription = &mut self.subscriptions[at];
                settle(subscription, &*self.history, &self.hub, &mut self.outlet).await;
                continue;
            }
            if self.behind() {
                // More unread than the queue holds: move it into the queue, where
                // repeats (an event both published here and relayed from the
                // database) and frames this viewer may not see drop out; the client
                // is dropped only if the queue itself overflows.
                self.drain_rings();
                continue;
            }
            let (at, received) = wait(&mut self.subscriptions).await;
            if let Some(frame) = self.take(at, received) {
                return Some(Outbound::Text(frame));
            }
        }
    }

    /// Whether the frames this connection has not taken from its rooms exceed its
    /// queue: the rings hold them for it, and a client that far behind is dropped
    /// as if they were queued (it resumes from its last sequence number).
    fn behind(&self) -> bool {
        let unread: usize = self.subscriptions.iter().map(|s| s.receiver.len()).sum();
        unread + self.outlet.queue.len() > self.outlet.limit
    }

    /// Takes everything the live subscriptions' rings hold into the queue, stopping
    /// when the queue is full (the connection is then overloaded).
    fn drain_rings(&mut self) {
        let mut at = 0;
        while at < self.subscriptions.len() {
            if !matches!(self.subscriptions[at].state, State::Live) {
                at += 1;
                continue;
            }
            let received = match self.subscriptions[at].receiver.try_recv() {
                Ok(envelope) => Received::Event(Ok(envelope)),
                Err(TryRecvError::Empty) => {
                    at += 1;
                    continue;
                }
                Err(TryRecvError::Lagged(_)) => {
                    // A whole ring behind on top of a full backlog: too slow to catch
                    // up; it resumes from its last sequence number.
                    self.outlet.overloaded = true;
                    metrics::counter!("samrad_hub_clients_overloaded_total").increment(1);
                    return;
                }
                Err(TryRecvError::Closed) => Received::Event(Err(RecvError::Closed)),
            };
            if let Some(frame) = self.take(at, received)
                && !self.outlet.push(frame)
            {
                return;
            }
        }
    }

    /// Queues what arrives while the caller's write to the client is blocked, and
    /// resolves once the client has fallen too far behind (its queue is full), so
    /// that a write that waits on a client who does not read can be given up.
    /// Cancel-safe: the caller drops it when the write completes.
    pub async fn hold_while_blocked(&mut self) {
        loop {
            if self.outlet.overloaded {
                return;
            }
            let (at, received) = wait(&mut self.subscriptions).await;
            if let Received::Event(Err(RecvError::Lagged(_))) = received {
                // A whole ring behind with the socket blocked: too slow to catch up.
                self.outlet.overloaded = true;
                metrics::counter!("samrad_hub_clients_overloaded_total").increment(1);
                return;
            }
            if let Some(frame) = self.take(at, received) {
                self.outlet.push(frame);
            }
        }
    }

    /// Handles what subscription `at` received: the frame to send at once, if any.
    fn take(&mut self, at: usize, received: Received) -> Option<Frame> {
        let subscription = &mut self.subscriptions[at];
        match received {
            Received::Presence(Some(frame)) => Some(frame),
            Received::Presence(None) => {
                // The room's presence is gone (the hub forgot it); stop watching.
                subscription.presence = None;
                None
            }
            Received::Event(Ok(envelope)) => {
                if envelope.seq <= subscription.last {
                    return None; // already delivered from history
                }
                if envelope.seq > subscription.last + 1 {
                    // Published out of order or missed: fill the gap from history.
                    subscription.state = State::Gap(envelope);
                    return None;
                }
                subscription.last = envelope.seq;
                subscription
                    .viewer
                    .sees(&envelope.audience)
                    .then_some(envelope.json)
            }
            Received::Event(Err(RecvError::Lagged(_))) => {
                // Fell behind the room: catch up from history rather than go deaf.
                subscription.state = State::Lagged;
                None
            }
            Received::Event(Err(RecvError::Closed)) => {
                // The hub is gone; nothing more comes from this room.
                let subscription = self.subscriptions.swap_remove(at);
                self.end(&subscription);
                None
            }
        }
    }
}

impl<H: History> Drop for Connection<H> {
    fn drop(&mut self) {
        let subscriptions = std::mem::take(&mut self.subscriptions);
        for subscription in &subscriptions {
            self.end(subscription);
        }
        // Release what waits.
        while self.outlet.pop().is_some() {}
    }
}

/// One subscription's wait, among several.
type Waiting<'a> = Pin<Box<dyn Future<Output = (usize, Received)> + Send + 'a>>;

/// Waits until a live subscription receives something; never resolves without one.
/// Cancel-safe (receiving from a broadcast channel or a watch is).
async fn wait(subscriptions: &mut [Subscription]) -> (usize, Received) {
    match subscriptions {
        [] => std::future::pending().await,
        // The common case, without an allocation.
        [only] => (0, receive(only).await),
        many => {
            let mut waiting: Vec<Waiting<'_>> = many
                .iter_mut()
                .enumerate()
                .filter(|(_, s)| matches!(s.state, State::Live))
                .map(|(at, s)| Box::pin(async move { (at, receive(s).await) }) as Waiting<'_>)
                .collect();
            std::future::poll_fn(|cx| {
                for future in &mut waiting {
                    if let Poll::Ready(received) = future.as_mut().poll(cx) {
                        return Poll::Ready(received);
                    }
                }
                Poll::Pending
            })
            .await
        }
    }
}

/// The next event or presence message of one subscription; never resolves while it
/// is not live (its history comes first).
async fn receive(subscription: &mut Subscription) -> Received {
    if !matches!(subscription.state, State::Live) {
        return std::future::pending().await;
    }
    let Subscription {
        receiver, presence, ..
    } = subscription;
    tokio::select! {
        received = receiver.recv() => Received::Event(received),
        changed = presence_changed(presence) => Received::Presence(changed),
    }
}

/// Waits for the next presence message; never resolves for rooms without presence.
async fn presence_changed(presence: &mut Option<watch::Receiver<Frame>>) -> Option<Frame> {
    match presence {
        Some(receiver) => match receiver.changed().await {
            Ok(()) => Some(receiver.borrow_and_update().clone()),
            Err(_) => None,
        },
        None => std::future::pending().await,
    }
}

fn reset(outlet: &mut Outlet, room: Room, seq: i64) {
    let message = ServerMessage::Reset {
        room: room.to_string(),
        seq,
    };
    outlet.push(message.to_json().into());
}

/// Queues the events from history (oldest first) that the subscription has not had
/// and its viewer sees; false when there are too many (or none could be read) and
/// the client must reset instead.
fn replay(
    subscription: &mut Subscription,
    events: Result<Vec<Envelope>, String>,
    outlet: &mut Outlet,
) -> bool {
    let Ok(events) = events else {
        return false;
    };
    if events.len() as u64 > RESUME_LIMIT {
        return false;
    }
    for envelope in events {
        if envelope.seq <= subscription.last {
            continue;
        }
        subscription.last = envelope.seq;
        if subscription.viewer.sees(&envelope.audience) && !outlet.push(envelope.json) {
            return true; // overloaded: the connection ends
        }
    }
    true
}

/// Brings a subscription that is not live up to date: reads history first (the only
/// waits), then changes its state and queues what it produced, so that being
/// cancelled in between loses nothing.
async fn settle<H: History>(
    subscription: &mut Subscription,
    history: &H,
    hub: &Hub,
    outlet: &mut Outlet,
) {
    let room = subscription.room;
    match std::mem::replace(&mut subscription.state, State::Live) {
        State::Live => {}
        State::Start { since, known } => {
            // Put back until done, in case this call is dropped.
            subscription.state = State::Start { since, known };
            // The hub's number suffices unless the client claims more than it knows
            // of (another process may have published it; the database decides).
            let current = match known {
                Some(known) if since.is_none_or(|since| since <= known) => known,
                _ => {
                    let current = history.last_seq(room).await.unwrap_or(0);
                    hub.note_last_seq(room, current);
                    current
                }
            };
            let missed = match since {
                Some(after) if after < current => Some(
                    history
                        .events_since(room, after.max(0), RESUME_LIMIT + 1)
                        .await,
                ),
                _ => None,
            };
            subscription.state = State::Live;
            let subscribed = ServerMessage::Subscribed {
                room: room.to_string(),
                seq: current,
            };
            outlet.push(subscribed.to_json().into());
            if let Some(presence) = &mut subscription.presence {
                let now = presence.borrow_and_update().clone();
                outlet.push(now);
            }
            match (since, missed) {
                (Some(after), Some(events)) => {
                    subscription.last = after.max(0);
                    if !replay(subscription, events, outlet) {
                        reset(outlet, room, current);
                        subscription.last = current;
                    }
                }
                // Ahead of the room (the database was restored from a backup, or the
                // client remembers another installation): what it holds cannot be
                // trusted, and events numbered up to its `since` would be dropped as
                // already seen.
                (Some(after), None) if after > current => {
                    reset(outlet, room, current);
                    subscription.last = current;
                }
                _ => subscription.last = current,
            }
        }
        State::Gap(envelope) => {
            subscription.state = State::Gap(envelope.clone());
            let events = history
                .events_since(room, subscription.last, RESUME_LIMIT + 1)
                .await;
            subscription.state = State::Live;
            if !replay(subscription, events, outlet) {
                reset(outlet, room, envelope.seq);
                subscription.last = envelope.seq;
            }
            if envelope.seq > subscription.last {
                subscription.last = envelope.seq;
                if subscription.viewer.sees(&envelope.audience) {
                    outlet.push(envelope.json);
                }
            }
        }
        State::Lagged => {
            subscription.state = State::Lagged;
            let events = history
                .events_since(room, subscription.last, RESUME_LIMIT + 1)
                .await;
            let fits = matches!(&events, Ok(events) if events.len() as u64 <= RESUME_LIMIT);
            let newest = if fits {
                None
            } else {
                Some(history.last_seq(room).await.unwrap_or(subscription.last))
            };
            subscription.state = State::Live;
            match newest {
                None => {
                    replay(subscription, events, outlet);
                }
                Some(seq) => {
                    reset(outlet, room, seq);
                    subscription.last = seq;
                }
            }
        }
    }
}
