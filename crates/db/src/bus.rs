//! Events across server processes, on PostgreSQL: after commit, a process announces
//! `(room, seq)` with NOTIFY from a connection of its own (never inside a request's
//! transaction); every process listens and pushes that event, read from the log, to
//! its own clients. Only ids travel; the log holds the content.

use crate::{Backend, Db, DbError};
use domain::room::Room;
use sea_orm::sqlx::postgres::PgListener;
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, Statement,
};
use std::time::Duration;

const CHANNEL: &str = "samrad_events";

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
            .listen(CHANNEL)
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
}

impl EventListener {
    /// The next announced event. The listener reconnects by itself after a lost
    /// connection; announcements made meanwhile are recovered by the hub, which fills
    /// gaps in sequence numbers from the log.
    pub async fn next(&mut self) -> Result<(Room, i64), DbError> {
        loop {
            let notification = self
                .inner
                .recv()
                .await
                .map_err(|e| DbError::Unavailable(e.to_string()))?;
            let mut parts = notification.payload().split(' ');
            let room = parts.next().and_then(|r| r.parse::<Room>().ok());
            let seq = parts.next().and_then(|s| s.parse::<i64>().ok());
            if let (Some(room), Some(seq)) = (room, seq) {
                return Ok((room, seq));
            }
            tracing::warn!(
                payload = notification.payload(),
                "ignoring a malformed event announcement"
            );
        }
    }
}
