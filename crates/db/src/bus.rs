//! Events across server processes, on PostgreSQL: after commit, a process announces
//! `(room, seq)` with NOTIFY from a connection of its own (never inside a request's
//! transaction); every process listens and pushes that event, read from the log, to
//! its own clients. Only ids travel; the log holds the content.
//!
//! The same bus carries signals on a second channel: a session signed out (every
//! process closes its websockets), a person's roles changed (every process checks
//! their subscriptions again), a room's presence changed (every process reads it
//! from `live_presence`). Each names the process that sent it, so it can skip its own.

use crate::{Backend, Db, DbError};
use domain::room::Room;
use domain::{PersonId, SessionId};
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use std::time::Duration;
use uuid::Uuid;

const CHANNEL: &str = "samrad_events";
const SIGNALS: &str = "samrad_signals";

/// What one process tells the others besides events.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// The session signed out: close its websockets.
    SignedOut(SessionId),
    /// The person's roles or memberships changed: check their subscriptions again.
    RolesChanged(PersonId),
    /// Presence in the room changed: read it again.
    Presence(Room),
}

impl Signal {
    fn encode(&self, from: Uuid) -> String {
        match self {
            Signal::SignedOut(session) => format!("{from} signed_out {}", session.0),
            Signal::RolesChanged(person) => format!("{from} roles {}", person.0),
            Signal::Presence(room) => format!("{from} presence {room}"),
        }
    }

    fn decode(payload: &str) -> Option<(Uuid, Signal)> {
        let mut parts = payload.split(' ');
        let from = parts.next()?.parse::<Uuid>().ok()?;
        let kind = parts.next()?;
        let subject = parts.next()?;
        let signal = match kind {
            "signed_out" => Signal::SignedOut(SessionId(subject.parse().ok()?)),
            "roles" => Signal::RolesChanged(PersonId(subject.parse().ok()?)),
            "presence" => Signal::Presence(subject.parse().ok()?),
            _ => return None,
        };
        parts.next().is_none().then_some((from, signal))
    }
}

/// What the bus brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Announcement {
    /// A committed event, to read from the log.
    Event(Room, i64),
    /// A signal from the process `from` (possibly this one).
    Signal { from: Uuid, signal: Signal },
}

/// Announces committed events to the other processes.
#[derive(Clone, Debug)]
pub struct EventAnnouncer {
    conn: DatabaseConnection,
}

/// Hears the events other processes (and this one) announced.
pub struct EventListener {
    inner: PgListener,
}

impl Db {
    /// A dedicated connection for announcements; `None` on SQLite, where one process
    /// serves everything.
    pub async fn event_announcer(&self) -> Result<Option<EventAnnouncer>, DbError> {
        if self.backend() != Backend::Postgres {
            return Ok(None);
        }
        let mut options = ConnectOptions::new(self.url.expose().to_owned());
        options
            .max_connections(1)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(5))
            .sqlx_logging(false);
        let conn = Database::connect(options).await?;
        Ok(Some(EventAnnouncer { conn }))
    }

    pub async fn event_listener(&self) -> Result<Option<EventListener>, DbError> {
        if self.backend() != Backend::Postgres {
            return Ok(None);
        }
        let mut inner = PgListener::connect(self.url.expose())
            .await
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        inner
            .listen_all([CHANNEL, SIGNALS])
            .await
            .map_err(|e| DbError::Unavailable(e.to_string()))?;
        Ok(Some(EventListener { inner }))
    }
}

impl EventAnnouncer {
    pub async fn announce(&self, room: Room, seq: i64) -> Result<(), DbError> {
        let payload = format!("{room} {seq}");
        self.conn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [CHANNEL.into(), payload.into()],
            ))
            .await?;
        Ok(())
    }

    /// Tells every process (this one included) a [`Signal`] from the process `from`.
    pub async fn signal(&self, from: Uuid, signal: &Signal) -> Result<(), DbError> {
        self.conn
            .query_one_raw(Statement::from_sql_and_values(
                DbBackend::Postgres,
                "SELECT pg_notify($1, $2)",
                [SIGNALS.into(), signal.encode(from).into()],
            ))
            .await?;
        Ok(())
    }
}

impl EventListener {
    /// The next announced event. The listener reconnects by itself after a lost
    /// connection; announcements made meanwhile are recovered by the hub, which fills
    /// gaps in sequence numbers from the log.
    pub async fn next(&mut self) -> Result<Announcement, DbError> {
        loop {
            let notification = self
                .inner
                .recv()
                .await
                .map_err(|e| DbError::Unavailable(e.to_string()))?;
            if notification.channel() == SIGNALS {
                match Signal::decode(notification.payload()) {
                    Some((from, signal)) => return Ok(Announcement::Signal { from, signal }),
                    None => {
                        tracing::warn!(
                            payload = notification.payload(),
                            "ignoring a malformed signal"
                        );
                        continue;
                    }
                }
            }
            let mut parts = notification.payload().split(' ');
            let room = parts.next().and_then(|r| r.parse::<Room>().ok());
            let seq = parts.next().and_then(|s| s.parse::<i64>().ok());
            if let (Some(room), Some(seq)) = (room, seq) {
                return Ok(Announcement::Event(room, seq));
            }
            tracing::warn!(
                payload = notification.payload(),
                "ignoring a malformed event announcement"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signals_travel_as_text_and_back() {
        let from = Uuid::new_v4();
        let room: Room = format!("document:{}", Uuid::new_v4())
            .parse()
            .expect("room");
        for signal in [
            Signal::SignedOut(SessionId(Uuid::new_v4())),
            Signal::RolesChanged(PersonId(Uuid::new_v4())),
            Signal::Presence(room),
        ] {
            assert_eq!(
                Signal::decode(&signal.encode(from)),
                Some((from, signal.clone()))
            );
        }
        assert_eq!(Signal::decode("not-a-uuid roles x"), None);
        assert_eq!(Signal::decode(&format!("{from} roles {from} extra")), None);
        assert_eq!(Signal::decode(&format!("{from} unknown {from}")), None);
    }
}
