//! The hub's view of the event log, for clients that resume.

use db::Db;
use domain::room::Room;
use hub::{Envelope, History};

pub struct DbHistory {
    db: Db,
}

impl DbHistory {
    pub fn new(db: Db) -> DbHistory {
        DbHistory { db }
    }
}

impl History for DbHistory {
    async fn events_since(
        &self,
        room: Room,
        after_seq: i64,
        limit: u64,
    ) -> Result<Vec<Envelope>, String> {
        let events = self
            .db
            .events_since(room, after_seq, limit)
            .await
            .map_err(|e| e.to_string())?;
        Ok(events
            .iter()
            .map(|e| Envelope::new(e.room, e.seq, &e.payload))
            .collect())
    }

    async fn last_seq(&self, room: Room) -> Result<i64, String> {
        self.db.last_seq(room).await.map_err(|e| e.to_string())
    }
}
