//! One websocket client's subscriptions, merged into one bounded outbound queue.

use crate::{Envelope, History, Hub, ServerMessage};
use domain::room::Room;
use std::collections::HashMap;
use std::sync::Arc;
use tokio::sync::{broadcast, mpsc};
use tokio::task::JoinHandle;

/// How many missed events a resuming client gets one by one before it is told to reset.
const RESUME_LIMIT: u64 = 1000;

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

pub struct Connection<H: History> {
    hub: Arc<Hub>,
    history: Arc<H>,
    tx: mpsc::Sender<Outbound>,
    rx: mpsc::Receiver<Outbound>,
    subscriptions: HashMap<Room, JoinHandle<()>>,
    max_subscriptions: usize,
}

impl<H: History> Connection<H> {
    /// `queue` bounds the messages waiting for this client; beyond it the client is
    /// considered stuck and is disconnected so that it cannot hold memory or slow others.
    pub fn new(hub: Arc<Hub>, history: Arc<H>, queue: usize, max_subscriptions: usize) -> Self {
        let (tx, rx) = mpsc::channel(queue.max(8));
        Connection {
            hub,
            history,
            tx,
            rx,
            subscriptions: HashMap::new(),
            max_subscriptions,
        }
    }

    /// Follows a room. With `since`, the events after it are delivered first, then live
    /// ones, without gaps or duplicates. The caller has checked permission.
    pub fn subscribe(&mut self, room: Room, since: Option<i64>) -> Result<(), SubscribeError> {
        if let Some(previous) = self.subscriptions.remove(&room) {
            previous.abort();
        } else if self.subscriptions.len() >= self.max_subscriptions {
            return Err(SubscribeError::TooMany(self.max_subscriptions));
        }
        // Subscribe to live events before reading history, so nothing falls in between.
        let receiver = self.hub.receiver(room);
        let task = tokio::spawn(forward(
            room,
            since,
            receiver,
            Arc::clone(&self.history),
            self.tx.clone(),
        ));
        self.subscriptions.insert(room, task);
        metrics::gauge!("samrad_hub_subscriptions").increment(1.0);
        Ok(())
    }

    pub fn unsubscribe(&mut self, room: Room) -> bool {
        match self.subscriptions.remove(&room) {
            Some(task) => {
                task.abort();
                metrics::gauge!("samrad_hub_subscriptions").decrement(1.0);
                true
            }
            None => false,
        }
    }

    pub fn rooms(&self) -> impl Iterator<Item = Room> + '_ {
        self.subscriptions.keys().copied()
    }

    /// Queues a direct reply (such as an error); false when the queue is full.
    pub fn reply(&self, message: &ServerMessage) -> bool {
        self.tx
            .try_send(Outbound::Text(message.to_json().into()))
            .is_ok()
    }

    /// The next message for the client.
    pub async fn next(&mut self) -> Option<Outbound> {
        self.rx.recv().await
    }
}

impl<H: History> Drop for Connection<H> {
    fn drop(&mut self) {
        for (_, task) in self.subscriptions.drain() {
            task.abort();
            metrics::gauge!("samrad_hub_subscriptions").decrement(1.0);
        }
    }
}

fn push(tx: &mpsc::Sender<Outbound>, text: Arc<str>) -> bool {
    match tx.try_send(Outbound::Text(text)) {
        Ok(()) => true,
        Err(mpsc::error::TrySendError::Full(_)) => {
            metrics::counter!("samrad_hub_clients_overloaded_total").increment(1);
            // The queue is full, so wait for room for the close signal.
            let tx = tx.clone();
            tokio::spawn(async move {
                let _ = tx.send(Outbound::Overloaded).await;
            });
            false
        }
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    }
}

/// Sends history after `after` and returns the last sequence number delivered, or
/// `None` when the client must reset instead.
async fn catch_up<H: History>(
    room: Room,
    after: i64,
    history: &H,
    tx: &mpsc::Sender<Outbound>,
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
        if !push(tx, envelope.json) {
            return Err(());
        }
        last = envelope.seq;
    }
    Ok(Some(last))
}

fn reset(tx: &mpsc::Sender<Outbound>, room: Room, seq: i64) -> bool {
    let message = ServerMessage::Reset {
        room: room.to_string(),
        seq,
    };
    push(tx, message.to_json().into())
}

async fn forward<H: History>(
    room: Room,
    since: Option<i64>,
    mut receiver: broadcast::Receiver<Envelope>,
    history: Arc<H>,
    tx: mpsc::Sender<Outbound>,
) {
    let current = history.last_seq(room).await.unwrap_or(0);
    let subscribed = ServerMessage::Subscribed {
        room: room.to_string(),
        seq: current,
    };
    if !push(&tx, subscribed.to_json().into()) {
        return;
    }
    let mut last = match since {
        Some(after) if after < current => {
            match catch_up(room, after.max(0), &*history, &tx).await {
                Ok(Some(last)) => last,
                Ok(None) => {
                    if !reset(&tx, room, current) {
                        return;
                    }
                    current
                }
                Err(()) => return,
            }
        }
        _ => current,
    };
    loop {
        match receiver.recv().await {
            Ok(envelope) => {
                if envelope.seq <= last {
                    continue; // already delivered from history
                }
                if envelope.seq > last + 1 {
                    // Published out of order or missed: fill the gap from history.
                    match catch_up(room, last, &*history, &tx).await {
                        Ok(Some(caught_up)) => last = caught_up,
                        Ok(None) => {
                            if !reset(&tx, room, envelope.seq) {
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
                if !push(&tx, envelope.json) {
                    return;
                }
                last = envelope.seq;
            }
            Err(broadcast::error::RecvError::Lagged(_)) => {
                // Fell behind the room: catch up from history rather than go deaf.
                match catch_up(room, last, &*history, &tx).await {
                    Ok(Some(caught_up)) => last = caught_up,
                    Ok(None) => {
                        let seq = history.last_seq(room).await.unwrap_or(last);
                        if !reset(&tx, room, seq) {
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
