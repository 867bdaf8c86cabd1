//! State several server processes share on PostgreSQL: presence per process and room
//! (kept alive by heartbeats, ignored once expired, so a process that died leaves no
//! readers behind) and rate-limit windows (counted wherever a request landed).
//!
//! PostgreSQL only: a single process on SQLite keeps both in memory. Times are the
//! database server's `now()`, so the processes' clocks need not agree.

use crate::{Backend, Db, DbError};
use sea_orm::{ConnectionTrait, DbBackend, Statement, TransactionTrait};
use uuid::Uuid;

/// One rate limit to count a hit against: at most `max` hits per `key` in a window of
/// `period_secs` that starts with the key's first hit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitHit {
    pub key: String,
    pub max: u32,
    pub period_secs: u64,
}

fn postgres_only(db: &Db) -> Result<(), DbError> {
    if db.backend() == Backend::Postgres {
        Ok(())
    } else {
        Err(DbError::Other(
            "shared live state is kept in PostgreSQL only".to_owned(),
        ))
    }
}

fn statement(sql: &str, values: Vec<sea_orm::Value>) -> Statement {
    Statement::from_sql_and_values(DbBackend::Postgres, sql, values)
}

impl Db {
    /// Stores what this process's readers read in `room` (a JSON list of sections),
    /// valid for `ttl_secs` unless refreshed.
    pub async fn put_presence(
        &self,
        process: Uuid,
        room: &str,
        sections_json: &str,
        ttl_secs: u64,
    ) -> Result<(), DbError> {
        postgres_only(self)?;
        self.conn
            .execute_raw(statement(
                "INSERT INTO live_presence (process_id, room, sections, expires_at) \
                 VALUES ($1, $2, $3, now() + make_interval(secs => $4)) \
                 ON CONFLICT (process_id, room) DO UPDATE \
                 SET sections = EXCLUDED.sections, expires_at = EXCLUDED.expires_at",
                vec![
                    process.into(),
                    room.into(),
                    sections_json.into(),
                    (ttl_secs as f64).into(),
                ],
            ))
            .await?;
        Ok(())
    }

    /// Forgets this process's readers in `room`.
    pub async fn remove_presence(&self, process: Uuid, room: &str) -> Result<(), DbError> {
        postgres_only(self)?;
        self.conn
            .execute_raw(statement(
                "DELETE FROM live_presence WHERE process_id = $1 AND room = $2",
                vec![process.into(), room.into()],
            ))
            .await?;
        Ok(())
    }

    /// Forgets every reader of this process (at a graceful shutdown).
    pub async fn remove_process_presence(&self, process: Uuid) -> Result<(), DbError> {
        postgres_only(self)?;
        self.conn
            .execute_raw(statement(
                "DELETE FROM live_presence WHERE process_id = $1",
                vec![process.into()],
            ))
            .await?;
        Ok(())
    }

    /// The heartbeat: keeps this process's presence alive for `ttl_secs` more, and
    /// sweeps out what expired (processes that died) and finished rate-limit windows.
    /// Returns the rooms whose presence was swept out.
    pub async fn presence_heartbeat(
        &self,
        process: Uuid,
        ttl_secs: u64,
    ) -> Result<Vec<String>, DbError> {
        postgres_only(self)?;
        self.conn
            .execute_raw(statement(
                "UPDATE live_presence SET expires_at = now() + make_interval(secs => $2) \
                 WHERE process_id = $1",
                vec![process.into(), (ttl_secs as f64).into()],
            ))
            .await?;
        let rows = self
            .conn
            .query_all_raw(statement(
                "DELETE FROM live_presence WHERE expires_at < now() RETURNING room",
                vec![],
            ))
            .await?;
        // Windows are at most a day long; older ones count for nothing. A bucket
        // whose arrival time has passed is full again, as one that does not exist.
        self.conn
            .execute_raw(statement(
                "DELETE FROM rate_limit_window WHERE window_start < now() - interval '1 day'",
                vec![],
            ))
            .await?;
        self.conn
            .execute_raw(statement(
                "DELETE FROM rate_limit_bucket WHERE tat < now()",
                vec![],
            ))
            .await?;
        let mut rooms = rows
            .iter()
            .map(|row| row.try_get_by_index::<String>(0))
            .collect::<Result<Vec<_>, _>>()?;
        rooms.sort();
        rooms.dedup();
        Ok(rooms)
    }

    /// What the readers of other processes read in `room`: one JSON list of sections
    /// per process whose presence has not expired.
    pub async fn presence_elsewhere(
        &self,
        process: Uuid,
        room: &str,
    ) -> Result<Vec<String>, DbError> {
        postgres_only(self)?;
        let rows = self
            .read
            .query_all_raw(statement(
                "SELECT sections FROM live_presence \
                 WHERE room = $1 AND process_id <> $2 AND expires_at >= now()",
                vec![room.into(), process.into()],
            ))
            .await?;
        Ok(rows
            .iter()
            .map(|row| row.try_get_by_index::<String>(0))
            .collect::<Result<Vec<_>, _>>()?)
    }

    /// Counts one hit against every limit if none of them is full; otherwise counts
    /// none and gives the whole seconds to wait (the longest). One transaction, so
    /// processes hitting the same key at once are counted one after the other.
    pub async fn hit_rate_limits(&self, hits: &[LimitHit]) -> Result<Result<(), u64>, DbError> {
        postgres_only(self)?;
        let mut hits: Vec<&LimitHit> = hits.iter().collect();
        // One order for everyone, so two transactions never wait for each other in a circle.
        hits.sort_by(|a, b| a.key.cmp(&b.key));
        hits.dedup_by(|a, b| a.key == b.key);
        let txn = self.conn.begin().await?;
        let mut wait: Option<u64> = None;
        for hit in hits {
            let row = txn
                .query_one_raw(statement(
                    "INSERT INTO rate_limit_window (key, window_start, hits) VALUES ($1, now(), 1) \
                     ON CONFLICT (key) DO UPDATE SET \
                       window_start = CASE WHEN rate_limit_window.window_start <= now() - make_interval(secs => $2) \
                                      THEN now() ELSE rate_limit_window.window_start END, \
                       hits = CASE WHEN rate_limit_window.window_start <= now() - make_interval(secs => $2) \
                              THEN 1 ELSE rate_limit_window.hits + 1 END \
                     RETURNING hits, \
                       CEIL(EXTRACT(EPOCH FROM (window_start + make_interval(secs => $2) - now())))::bigint",
                    vec![hit.key.clone().into(), (hit.period_secs as f64).into()],
                ))
                .await?
                .ok_or_else(|| DbError::Other("no rate-limit window returned".to_owned()))?;
            let count: i32 = row.try_get_by_index(0)?;
            let left: i64 = row.try_get_by_index(1)?;
            if count > i32::try_from(hit.max).unwrap_or(i32::MAX) {
                let left = u64::try_from(left).unwrap_or(0).max(1);
                wait = Some(wait.map_or(left, |w| w.max(left)));
            }
        }
        match wait {
            Some(seconds) => {
                // Refused: nothing counts.
                txn.rollback().await?;
                Ok(Err(seconds))
            }
            None => {
                txn.commit().await?;
                Ok(Ok(()))
            }
        }
    }
}

impl Db {
    /// Takes one token from the bucket `key` (GCRA, as the per-route limits in one
    /// process): a bucket of `burst` tokens refilled with one every `every_secs`.
    /// `Err` holds the whole seconds until a token is there again.
    pub async fn take_rate_token(
        &self,
        key: &str,
        every_secs: f64,
        burst: u32,
    ) -> Result<Result<(), u64>, DbError> {
        postgres_only(self)?;
        let tolerance = every_secs * f64::from(burst.max(1) - 1);
        let txn = self.conn.begin().await?;
        txn.execute_raw(statement(
            "INSERT INTO rate_limit_bucket (key, tat) VALUES ($1, now()) ON CONFLICT (key) DO NOTHING",
            vec![key.into()],
        ))
        .await?;
        let row = txn
            .query_one_raw(statement(
                "SELECT EXTRACT(EPOCH FROM (GREATEST(tat, now()) - now()))::float8 \
                 FROM rate_limit_bucket WHERE key = $1 FOR UPDATE",
                vec![key.into()],
            ))
            .await?
            .ok_or_else(|| DbError::Other("no rate-limit bucket".to_owned()))?;
        let ahead: f64 = row.try_get_by_index(0)?;
        if ahead > tolerance {
            txn.rollback().await?;
            let wait = (ahead - tolerance).ceil().max(1.0);
            return Ok(Err(wait as u64));
        }
        txn.execute_raw(statement(
            "UPDATE rate_limit_bucket SET tat = GREATEST(tat, now()) + make_interval(secs => $2) \
             WHERE key = $1",
            vec![key.into(), every_secs.into()],
        ))
        .await?;
        txn.commit().await?;
        Ok(Ok(()))
    }
}
