//! Stored suggestions of a hearing (near-copy groups, themes, summaries) with their
//! state and history, and the queue of their background computation.
//!
//! Every write is one transaction that checks each row's state before changing it
//! (so two planners deciding at once cannot both win) and writes a history line per
//! change. A recomputation replaces only what is still a suggestion: accepted and
//! dropped rows are never changed by it.

use crate::entities::{input_register, suggestion, suggestion_change, suggestion_run};
use crate::time::{from_db, to_db};
use crate::{Db, DbError};
use domain::HearingId;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

/// A suggestion as stored; its body is the consultation service's JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSuggestion {
    pub id: Uuid,
    pub hearing_id: HearingId,
    /// `group`, `theme` or `summary`.
    pub kind: String,
    /// `suggested`, `accepted` or `dropped`.
    pub state: String,
    /// What it is about, stable across runs (a summary's section or theme; a
    /// suggestion that adds inputs to an accepted one names that one).
    pub subject: String,
    pub name: String,
    pub body: String,
    pub position: i32,
    pub computed_at: jiff::Timestamp,
    pub decided_by: Option<String>,
    pub decided_at: Option<jiff::Timestamp>,
}

/// A suggestion to store.
#[derive(Debug, Clone)]
pub struct NewSuggestion {
    pub kind: String,
    pub subject: String,
    pub name: String,
    pub body: String,
}

/// One line of a suggestion's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionHistoryLine {
    pub suggestion_id: Uuid,
    pub action: String,
    /// `None` for the computation.
    pub who: Option<String>,
    pub detail: String,
    pub at: jiff::Timestamp,
}

/// When a hearing's suggestions were asked for and last computed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuggestionRun {
    pub hearing_id: HearingId,
    pub requested_at: Option<jiff::Timestamp>,
    pub computed_at: Option<jiff::Timestamp>,
    /// How many inputs the last computation saw.
    pub inputs: i32,
}

/// One change a planner's decision makes, applied with the others in one transaction.
#[derive(Debug, Clone)]
pub enum SuggestionWrite {
    /// Changes a suggestion that must still be in `expect_state`.
    Update {
        id: Uuid,
        expect_state: String,
        state: String,
        name: String,
        body: String,
        action: String,
        detail: String,
    },
    /// A new suggestion (a split-off part), in state `suggested`.
    Insert {
        hearing_id: HearingId,
        suggestion: NewSuggestion,
        action: String,
        detail: String,
    },
}

fn into_stored(m: suggestion::Model) -> Result<StoredSuggestion, DbError> {
    Ok(StoredSuggestion {
        id: m.id,
        hearing_id: HearingId(m.hearing_id),
        kind: m.kind,
        state: m.state,
        subject: m.subject,
        name: m.name,
        body: m.body,
        position: m.position,
        computed_at: from_db(m.computed_at)?,
        decided_by: m.decided_by,
        decided_at: m.decided_at.map(from_db).transpose()?,
    })
}

async fn history_line<C: ConnectionTrait>(
    conn: &C,
    suggestion: Uuid,
    action: &str,
    who: Option<&str>,
    detail: &str,
    at: jiff::Timestamp,
) -> Result<(), DbError> {
    suggestion_change::Entity::insert(suggestion_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        suggestion_id: Set(suggestion),
        action: Set(action.to_owned()),
        actor_name: Set(who.map(str::to_owned)),
        detail: Set(detail.to_owned()),
        at: Set(to_db(at)),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

impl Db {
    /// Every suggestion of a hearing, whatever its state, in the order computed.
    pub async fn suggestions_of_hearing(
        &self,
        hearing: HearingId,
    ) -> Result<Vec<StoredSuggestion>, DbError> {
        suggestion::Entity::find()
            .filter(suggestion::Column::HearingId.eq(hearing.0))
            .order_by_asc(suggestion::Column::Kind)
            .order_by_asc(suggestion::Column::Position)
            .order_by_asc(suggestion::Column::Id)
            .all(&self.read)
            .await?
            .into_iter()
            .map(into_stored)
            .collect()
    }

    pub async fn suggestion(&self, id: Uuid) -> Result<StoredSuggestion, DbError> {
        suggestion::Entity::find_by_id(id)
            .one(&self.read)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(into_stored)
    }

    /// The history of a hearing's suggestions, oldest first.
    pub async fn suggestion_history(
        &self,
        hearing: HearingId,
    ) -> Result<Vec<SuggestionHistoryLine>, DbError> {
        let ids: Vec<Uuid> = suggestion::Entity::find()
            .select_only()
            .column(suggestion::Column::Id)
            .filter(suggestion::Column::HearingId.eq(hearing.0))
            .into_tuple()
            .all(&self.read)
            .await?;
        let mut lines = Vec::new();
        for chunk in ids.chunks(500) {
            for m in suggestion_change::Entity::find()
                .filter(suggestion_change::Column::SuggestionId.is_in(chunk.to_vec()))
                .all(&self.read)
                .await?
            {
                lines.push((
                    m.id,
                    SuggestionHistoryLine {
                        suggestion_id: m.suggestion_id,
                        action: m.action,
                        who: m.actor_name,
                        detail: m.detail,
                        at: from_db(m.at)?,
                    },
                ));
            }
        }
        // Ids are time-ordered (v7), so lines of the same instant keep their order.
        lines.sort_by_key(|a| (a.1.at, a.0));
        Ok(lines.into_iter().map(|(_, l)| l).collect())
    }

    /// Replaces a hearing's suggestions still in state `suggested` by a new
    /// computation (each with a `computed` history line) and records the run; accepted
    /// and dropped ones stay as they are. One transaction.
    pub async fn store_computed_suggestions(
        &self,
        hearing: HearingId,
        computed: Vec<NewSuggestion>,
        inputs: i32,
        at: jiff::Timestamp,
    ) -> Result<(), DbError> {
        let txn = self.conn.begin().await?;
        suggestion::Entity::delete_many()
            .filter(suggestion::Column::HearingId.eq(hearing.0))
            .filter(suggestion::Column::State.eq("suggested"))
            .exec(&txn)
            .await?;
        for (position, new) in computed.into_iter().enumerate() {
            let id = Uuid::now_v7();
            suggestion::Entity::insert(suggestion::ActiveModel {
                id: Set(id),
                hearing_id: Set(hearing.0),
                kind: Set(new.kind),
                state: Set("suggested".to_owned()),
                subject: Set(new.subject),
                name: Set(new.name),
                body: Set(new.body),
                position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
                computed_at: Set(to_db(at)),
                decided_by: Set(None),
                decided_at: Set(None),
            })
            .exec_without_returning(&txn)
            .await?;
            history_line(&txn, id, "computed", None, "", at).await?;
        }
        // The request is done only if nobody asked again while this computed.
        let run = suggestion_run::Entity::find_by_id(hearing.0)
            .one(&txn)
            .await?;
        let requested = run
            .as_ref()
            .and_then(|r| r.requested_at)
            .filter(|r| *r > to_db(at));
        suggestion_run::Entity::insert(suggestion_run::ActiveModel {
            hearing_id: Set(hearing.0),
            requested_at: Set(requested),
            computed_at: Set(Some(to_db(at))),
            inputs: Set(inputs),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(suggestion_run::Column::HearingId)
                .update_columns([
                    suggestion_run::Column::RequestedAt,
                    suggestion_run::Column::ComputedAt,
                    suggestion_run::Column::Inputs,
                ])
                .to_owned(),
        )
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Applies a planner's decision: every write checks its row's state first; when
    /// one finds another state, nothing is written (`DbError::Conflict`).
    pub async fn write_suggestions(
        &self,
        writes: Vec<SuggestionWrite>,
        who: &str,
        at: jiff::Timestamp,
    ) -> Result<Vec<Uuid>, DbError> {
        let txn = self.conn.begin().await?;
        let mut touched = Vec::new();
        for write in writes {
            match write {
                SuggestionWrite::Update {
                    id,
                    expect_state,
                    state,
                    name,
                    body,
                    action,
                    detail,
                } => {
                    let decided = state != "suggested";
                    let done = suggestion::Entity::update_many()
                        .col_expr(suggestion::Column::State, Expr::value(state))
                        .col_expr(suggestion::Column::Name, Expr::value(name))
                        .col_expr(suggestion::Column::Body, Expr::value(body))
                        .col_expr(
                            suggestion::Column::DecidedBy,
                            Expr::value(decided.then(|| who.to_owned())),
                        )
                        .col_expr(
                            suggestion::Column::DecidedAt,
                            Expr::value(decided.then(|| to_db(at))),
                        )
                        .filter(suggestion::Column::Id.eq(id))
                        .filter(suggestion::Column::State.eq(expect_state))
                        .exec(&txn)
                        .await?;
                    if done.rows_affected != 1 {
                        return Err(DbError::Conflict("suggestion changed".to_owned()));
                    }
                    history_line(&txn, id, &action, Some(who), &detail, at).await?;
                    touched.push(id);
                }
                SuggestionWrite::Insert {
                    hearing_id,
                    suggestion: new,
                    action,
                    detail,
                } => {
                    let id = Uuid::now_v7();
                    suggestion::Entity::insert(suggestion::ActiveModel {
                        id: Set(id),
                        hearing_id: Set(hearing_id.0),
                        kind: Set(new.kind),
                        state: Set("suggested".to_owned()),
                        subject: Set(new.subject),
                        name: Set(new.name),
                        body: Set(new.body),
                        position: Set(i32::MAX),
                        computed_at: Set(to_db(at)),
                        decided_by: Set(None),
                        decided_at: Set(None),
                    })
                    .exec_without_returning(&txn)
                    .await?;
                    history_line(&txn, id, &action, Some(who), &detail, at).await?;
                    touched.push(id);
                }
            }
        }
        txn.commit().await?;
        Ok(touched)
    }

    pub async fn suggestion_run(
        &self,
        hearing: HearingId,
    ) -> Result<Option<SuggestionRun>, DbError> {
        suggestion_run::Entity::find_by_id(hearing.0)
            .one(&self.read)
            .await?
            .map(|r| {
                Ok(SuggestionRun {
                    hearing_id: HearingId(r.hearing_id),
                    requested_at: r.requested_at.map(from_db).transpose()?,
                    computed_at: r.computed_at.map(from_db).transpose()?,
                    inputs: r.inputs,
                })
            })
            .transpose()
    }

    /// Asks for a hearing's suggestions to be computed in the background.
    pub async fn request_suggestions(
        &self,
        hearing: HearingId,
        at: jiff::Timestamp,
    ) -> Result<(), DbError> {
        suggestion_run::Entity::insert(suggestion_run::ActiveModel {
            hearing_id: Set(hearing.0),
            requested_at: Set(Some(to_db(at))),
            computed_at: Set(None),
            inputs: Set(0),
        })
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(suggestion_run::Column::HearingId)
                .update_column(suggestion_run::Column::RequestedAt)
                .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await?;
        Ok(())
    }

    /// The hearings whose suggestions are due: asked for, or computed before inputs
    /// registered since (only hearings whose suggestions someone asked for once).
    pub async fn suggestion_runs_due(&self) -> Result<Vec<HearingId>, DbError> {
        let runs = suggestion_run::Entity::find().all(&self.read).await?;
        if runs.is_empty() {
            return Ok(Vec::new());
        }
        let hearings: Vec<Uuid> = runs.iter().map(|r| r.hearing_id).collect();
        let mut latest: HashMap<Uuid, sea_orm::prelude::DateTimeUtc> = HashMap::new();
        for chunk in hearings.chunks(500) {
            let rows: Vec<(Option<Uuid>, Option<sea_orm::prelude::DateTimeUtc>)> =
                input_register::Entity::find()
                    .select_only()
                    .column(input_register::Column::HearingId)
                    .column_as(input_register::Column::RegisteredAt.max(), "latest")
                    .filter(input_register::Column::HearingId.is_in(chunk.to_vec()))
                    .group_by(input_register::Column::HearingId)
                    .into_tuple()
                    .all(&self.read)
                    .await?;
            for (hearing, at) in rows {
                if let (Some(hearing), Some(at)) = (hearing, at) {
                    latest.insert(hearing, at);
                }
            }
        }
        Ok(runs
            .into_iter()
            .filter(|r| {
                r.requested_at.is_some()
                    || match (r.computed_at, latest.get(&r.hearing_id)) {
                        (Some(computed), Some(latest)) => *latest > computed,
                        (None, _) => true,
                        (Some(_), None) => false,
                    }
            })
            .map(|r| HearingId(r.hearing_id))
            .collect())
    }
}
