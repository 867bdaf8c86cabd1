//! The event log: every event a room has seen, numbered 1, 2, 3, … per room.
//!
//! Numbers come from one counter row per room, incremented inside the writing
//! transaction, so they are gap-free and ordered by commit within the room.

use crate::entities::{event, room_sequence};
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::event::EventPayload;
use domain::room::Room;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredEvent {
    pub room: Room,
    pub seq: i64,
    pub payload: EventPayload,
    pub created_at: jiff::Timestamp,
}

fn into_domain(m: event::Model) -> Result<StoredEvent, DbError> {
    Ok(StoredEvent {
        room: m
            .room
            .parse()
            .map_err(|e: domain::room::RoomParseError| DbError::Corrupt(e.to_string()))?,
        seq: m.seq,
        payload: serde_json::from_str(&m.payload).map_err(|e| DbError::Corrupt(e.to_string()))?,
        created_at: from_db(m.created_at)?,
    })
}

/// Appends an event inside the caller's transaction.
pub(crate) async fn append<C: ConnectionTrait>(
    conn: &C,
    room: Room,
    payload: &EventPayload,
) -> Result<StoredEvent, DbError> {
    let room_name = room.to_string();
    let counter = room_sequence::Entity::insert(room_sequence::ActiveModel {
        room: Set(room_name.clone()),
        last_seq: Set(1),
    })
    .on_conflict(
        OnConflict::column(room_sequence::Column::Room)
            .value(
                room_sequence::Column::LastSeq,
                Expr::col((room_sequence::Entity, room_sequence::Column::LastSeq)).add(1),
            )
            .to_owned(),
    )
    .exec_with_returning(conn)
    .await?;
    let created_at = now();
    let json = serde_json::to_string(payload).map_err(|e| DbError::Other(e.to_string()))?;
    event::Entity::insert(event::ActiveModel {
        id: Set(Uuid::now_v7()),
        room: Set(room_name),
        seq: Set(counter.last_seq),
        kind: Set(payload.kind().to_owned()),
        payload: Set(json),
        created_at: Set(to_db(created_at)),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(StoredEvent {
        room,
        seq: counter.last_seq,
        payload: payload.clone(),
        created_at,
    })
}

impl Db {
    /// Events of a room after `after_seq`, oldest first, at most `limit`.
    pub async fn events_since(
        &self,
        room: Room,
        after_seq: i64,
        limit: u64,
    ) -> Result<Vec<StoredEvent>, DbError> {
        event::Entity::find()
            .filter(event::Column::Room.eq(room.to_string()))
            .filter(event::Column::Seq.gt(after_seq))
            .order_by_asc(event::Column::Seq)
            .limit(limit)
            .all(&self.read)
            .await?
            .into_iter()
            .map(into_domain)
            .collect()
    }

    /// The newest sequence number of a room (0 when nothing happened yet).
    pub async fn last_seq(&self, room: Room) -> Result<i64, DbError> {
        Ok(room_sequence::Entity::find_by_id(room.to_string())
            .one(&self.read)
            .await?
            .map_or(0, |r| r.last_seq))
    }
}
