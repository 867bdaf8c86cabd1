//! The live board of a workshop: items and their IGP stage, tables, notes and dots,
//! minutes, and the notes confirmed as inputs.
//!
//! Every write locks the row of the agenda item it concerns (an upsert that changes
//! nothing) before it reads the item's stage, so a note and a stage change never
//! cross: a note is either written before the change (and revealed by it) or after
//! it (in the new stage). Rules come from `domain::workshop_board`, asked under the
//! lock; a refusal rolls the transaction back.

use super::events;
use super::register;
use crate::entities::{
    person, plan_group, workshop, workshop_agenda_item, workshop_agenda_section, workshop_board,
    workshop_board_item, workshop_dot, workshop_facilitator, workshop_group, workshop_note,
    workshop_table, workshop_table_seat,
};
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError, StoredEvent};
use domain::assessment::WorkshopNoteInput;
use domain::event::{
    BoardNote, EventAudience, EventPayload, WorkshopBoardChanged, WorkshopDotsChanged,
    WorkshopNotePosted, WorkshopNotesArranged, WorkshopNotesRevealed, WorkshopTablesChanged,
};
use domain::room::Room;
use domain::workshop_board::{
    BoardError, DEFAULT_DOT_BUDGET, ItemBoard, ItemStatus, Stage, StagePlan, check_dot_budget,
    note_audience,
};
use domain::{
    AgendaItemId, BoardNoteId, BoardTableId, InputId, PersonId, PlanId, SectionId, WorkshopId,
};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

/// A write the board's rules refused, or a storage error.
#[derive(Debug, thiserror::Error)]
pub enum BoardWriteError {
    #[error(transparent)]
    Refused(#[from] BoardError),
    /// A note, table or item that is not this workshop's.
    #[error("not found")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sea_orm::DbErr> for BoardWriteError {
    fn from(err: sea_orm::DbErr) -> Self {
        BoardWriteError::Db(err.into())
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardTable {
    pub id: BoardTableId,
    pub name: String,
    pub seats: Vec<PersonId>,
}

/// Where a workshop's board stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BoardState {
    pub workshop_id: WorkshopId,
    pub current_item: Option<AgendaItemId>,
    pub dot_budget: u32,
    pub minutes: String,
    pub minutes_updated_at: Option<jiff::Timestamp>,
    /// Items that were opened at least once: their status and stage.
    pub items: HashMap<AgendaItemId, (ItemStatus, Option<Stage>)>,
    pub tables: Vec<BoardTable>,
    pub facilitators: Vec<PersonId>,
}

impl BoardState {
    pub fn table_of(&self, person: PersonId) -> Option<BoardTableId> {
        self.tables
            .iter()
            .find(|t| t.seats.contains(&person))
            .map(|t| t.id)
    }

    /// An item's place on the board, given the stages it uses.
    pub fn item(&self, item: AgendaItemId, plan: StagePlan) -> ItemBoard {
        match self.items.get(&item) {
            Some((status, stage)) => ItemBoard {
                status: *status,
                stage: *stage,
                plan,
            },
            None => ItemBoard::waiting(plan),
        }
    }
}

/// A note as stored, with its dots.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredNote {
    pub id: BoardNoteId,
    pub item_id: AgendaItemId,
    pub writer_id: Option<PersonId>,
    pub table_id: Option<BoardTableId>,
    pub stage: Stage,
    pub body: String,
    pub spoken_by: Option<String>,
    pub group_label: Option<String>,
    pub merged_into: Option<BoardNoteId>,
    pub writer_named: bool,
    pub input_id: Option<InputId>,
    pub dots: u32,
    pub created_at: jiff::Timestamp,
}

impl StoredNote {
    /// The note as the board shows it (no writer).
    pub fn view(&self) -> BoardNote {
        BoardNote {
            note_id: self.id,
            item_id: self.item_id,
            body: self.body.clone(),
            table_id: self.table_id,
            stage: self.stage.as_str().to_owned(),
            group_label: self.group_label.clone(),
            dots: self.dots,
            spoken_by: self.spoken_by.clone(),
            created_at: self.created_at.to_string(),
        }
    }

    /// Who sees the note while its item is in `stage`.
    pub fn audience_at(&self, stage: Stage) -> EventAudience {
        // A forgotten writer's note is nobody's alone any more: the nil person.
        let writer = self.writer_id.unwrap_or(PersonId(Uuid::nil()));
        note_audience(stage.max(self.stage), writer, self.table_id)
    }
}

/// A note the service checked, to be stored if the item takes notes now.
#[derive(Debug, Clone)]
pub struct NewBoardNote {
    pub workshop_id: WorkshopId,
    pub item_id: AgendaItemId,
    pub plan: StagePlan,
    pub writer_id: PersonId,
    pub table_id: Option<BoardTableId>,
    pub body: String,
    pub spoken_by: Option<String>,
    pub writer_named: bool,
}

/// What the facilitator does to an agenda item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemChange {
    /// Start it (or open it again) and make it the current item.
    Open,
    MoveTo(Stage),
    Close,
}

/// A confirmed note's place in the register: the plan, the sections of its agenda
/// item, and who it is attributed to.
#[derive(Debug, Clone)]
pub struct NoteConfirmation {
    pub plan_id: PlanId,
    pub note_ids: Vec<BoardNoteId>,
}

fn parse_stage(s: &str) -> Result<Stage, DbError> {
    super::parse_enum(s, Stage::parse, "board stage")
}

fn note_into_domain(m: workshop_note::Model, dots: u32) -> Result<StoredNote, DbError> {
    Ok(StoredNote {
        id: m.id.into(),
        item_id: m.agenda_item_id.into(),
        writer_id: m.writer_id.map(PersonId),
        table_id: m.table_id.map(BoardTableId),
        stage: parse_stage(&m.stage)?,
        body: m.body,
        spoken_by: m.spoken_by,
        group_label: m.group_label,
        merged_into: m.merged_into.map(BoardNoteId),
        writer_named: m.writer_named,
        input_id: m.input_id.map(InputId),
        dots,
        created_at: from_db(m.created_at)?,
    })
}

async fn dot_counts<C: ConnectionTrait>(
    conn: &C,
    workshop: WorkshopId,
) -> Result<HashMap<Uuid, u32>, DbError> {
    let notes: Vec<Uuid> = workshop_note::Entity::find()
        .filter(workshop_note::Column::WorkshopId.eq(workshop.0))
        .all(conn)
        .await?
        .into_iter()
        .map(|n| n.id)
        .collect();
    let mut counts = HashMap::new();
    if notes.is_empty() {
        return Ok(counts);
    }
    for dot in workshop_dot::Entity::find()
        .filter(workshop_dot::Column::NoteId.is_in(notes))
        .all(conn)
        .await?
    {
        *counts.entry(dot.note_id).or_insert(0) += 1;
    }
    Ok(counts)
}

async fn notes_of<C: ConnectionTrait>(
    conn: &C,
    workshop: WorkshopId,
    item: Option<AgendaItemId>,
) -> Result<Vec<StoredNote>, DbError> {
    let counts = dot_counts(conn, workshop).await?;
    let mut query = workshop_note::Entity::find()
        .filter(workshop_note::Column::WorkshopId.eq(workshop.0))
        .order_by_asc(workshop_note::Column::CreatedAt)
        .order_by_asc(workshop_note::Column::Id);
    if let Some(item) = item {
        query = query.filter(workshop_note::Column::AgendaItemId.eq(item.0));
    }
    query
        .all(conn)
        .await?
        .into_iter()
        .map(|m| {
            let dots = counts.get(&m.id).copied().unwrap_or(0);
            note_into_domain(m, dots)
        })
        .collect()
}

async fn note_in<C: ConnectionTrait>(
    conn: &C,
    workshop: WorkshopId,
    note: BoardNoteId,
) -> Result<workshop_note::Model, BoardWriteError> {
    workshop_note::Entity::find_by_id(note.0)
        .filter(workshop_note::Column::WorkshopId.eq(workshop.0))
        .one(conn)
        .await?
        .ok_or(BoardWriteError::NotFound)
}

/// Creates the board row if the workshop has none yet.
async fn ensure_board<C: ConnectionTrait>(conn: &C, workshop: WorkshopId) -> Result<(), DbError> {
    workshop_board::Entity::insert(workshop_board::ActiveModel {
        workshop_id: Set(workshop.0),
        current_item_id: Set(None),
        dot_budget: Set(DEFAULT_DOT_BUDGET as i32),
        minutes: Set(String::new()),
        minutes_updated_at: Set(None),
    })
    .on_conflict(
        OnConflict::column(workshop_board::Column::WorkshopId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

/// Locks an agenda item's row until the transaction ends (creating it, waiting, if
/// needed) and returns its status and stage.
async fn lock_item(
    txn: &DatabaseTransaction,
    workshop: WorkshopId,
    item: AgendaItemId,
) -> Result<(ItemStatus, Option<Stage>), BoardWriteError> {
    let belongs = workshop_agenda_item::Entity::find_by_id(item.0)
        .filter(workshop_agenda_item::Column::WorkshopId.eq(workshop.0))
        .one(txn)
        .await?
        .is_some();
    if !belongs {
        return Err(BoardWriteError::NotFound);
    }
    let row = workshop_board_item::Entity::insert(workshop_board_item::ActiveModel {
        agenda_item_id: Set(item.0),
        workshop_id: Set(workshop.0),
        status: Set(ItemStatus::Waiting.as_str().to_owned()),
        stage: Set(None),
    })
    .on_conflict(
        // A write that changes nothing, so the row is locked by this transaction.
        OnConflict::column(workshop_board_item::Column::AgendaItemId)
            .value(
                workshop_board_item::Column::Status,
                Expr::col((
                    workshop_board_item::Entity,
                    workshop_board_item::Column::Status,
                )),
            )
            .to_owned(),
    )
    .exec_with_returning(txn)
    .await?;
    let status = super::parse_enum(&row.status, ItemStatus::parse, "item status")?;
    let stage = row.stage.as_deref().map(parse_stage).transpose()?;
    Ok((status, stage))
}

async fn budget_of<C: ConnectionTrait>(conn: &C, workshop: WorkshopId) -> Result<u32, DbError> {
    Ok(workshop_board::Entity::find_by_id(workshop.0)
        .one(conn)
        .await?
        .map_or(DEFAULT_DOT_BUDGET, |b| b.dot_budget.max(0) as u32))
}

fn board_changed(
    workshop: WorkshopId,
    current_item: Option<AgendaItemId>,
    item: Option<(AgendaItemId, &ItemBoard)>,
    dot_budget: u32,
) -> EventPayload {
    EventPayload::WorkshopBoardChanged(WorkshopBoardChanged {
        workshop_id: workshop,
        current_item,
        item_id: item.map(|(id, _)| id),
        status: item.map(|(_, b)| b.status.as_str().to_owned()),
        stage: item.and_then(|(_, b)| b.stage.map(|s| s.as_str().to_owned())),
        dot_budget,
    })
}

/// The notes that reach new people when an item moves from `before` to `after`,
/// one event per new audience (each table in the group stage; everyone in plenum).
fn revelations(
    workshop: WorkshopId,
    item: AgendaItemId,
    notes: &[StoredNote],
    before: Option<Stage>,
    after: Stage,
) -> Vec<EventPayload> {
    let mut by_audience: BTreeMap<String, (EventAudience, Vec<BoardNote>)> = BTreeMap::new();
    for note in notes.iter().filter(|n| n.merged_into.is_none()) {
        let old = before.map(|stage| note.audience_at(stage));
        let new = note.audience_at(after);
        if old == Some(new) {
            continue;
        }
        let key = format!("{new:?}");
        by_audience
            .entry(key)
            .or_insert_with(|| (new, Vec::new()))
            .1
            .push(note.view());
    }
    by_audience
        .into_values()
        .map(|(audience, notes)| {
            EventPayload::WorkshopNotesRevealed(WorkshopNotesRevealed {
                workshop_id: workshop,
                item_id: item,
                stage: after.as_str().to_owned(),
                notes,
                audience,
            })
        })
        .collect()
}

async fn append_all(
    txn: &DatabaseTransaction,
    room: Room,
    payloads: &[EventPayload],
) -> Result<Vec<StoredEvent>, DbError> {
    let mut stored = Vec::with_capacity(payloads.len());
    for payload in payloads {
        stored.push(events::append(txn, room, payload).await?);
    }
    Ok(stored)
}

impl Db {
    /// Where a workshop's board stands (a board never used is empty and waiting).
    pub async fn board_state(&self, workshop: WorkshopId) -> Result<BoardState, DbError> {
        let board = workshop_board::Entity::find_by_id(workshop.0)
            .one(&self.conn)
            .await?;
        let items = workshop_board_item::Entity::find()
            .filter(workshop_board_item::Column::WorkshopId.eq(workshop.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|row| {
                let status = super::parse_enum(&row.status, ItemStatus::parse, "item status")?;
                let stage = row.stage.as_deref().map(parse_stage).transpose()?;
                Ok((AgendaItemId(row.agenda_item_id), (status, stage)))
            })
            .collect::<Result<_, DbError>>()?;
        let seats = workshop_table_seat::Entity::find()
            .filter(workshop_table_seat::Column::WorkshopId.eq(workshop.0))
            .all(&self.conn)
            .await?;
        let tables = workshop_table::Entity::find()
            .filter(workshop_table::Column::WorkshopId.eq(workshop.0))
            .order_by_asc(workshop_table::Column::Position)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|t| BoardTable {
                id: t.id.into(),
                name: t.name,
                seats: seats
                    .iter()
                    .filter(|s| s.table_id == t.id)
                    .map(|s| PersonId(s.person_id))
                    .collect(),
            })
            .collect();
        let facilitators = workshop_facilitator::Entity::find()
            .filter(workshop_facilitator::Column::WorkshopId.eq(workshop.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|f| PersonId(f.person_id))
            .collect();
        Ok(BoardState {
            workshop_id: workshop,
            current_item: board
                .as_ref()
                .and_then(|b| b.current_item_id.map(AgendaItemId)),
            dot_budget: board
                .as_ref()
                .map_or(DEFAULT_DOT_BUDGET, |b| b.dot_budget.max(0) as u32),
            minutes: board
                .as_ref()
                .map(|b| b.minutes.clone())
                .unwrap_or_default(),
            minutes_updated_at: board
                .and_then(|b| b.minutes_updated_at)
                .map(from_db)
                .transpose()?,
            items,
            tables,
            facilitators,
        })
    }

    /// Every note of a workshop (merged ones too), oldest first, with their dots.
    pub async fn board_notes(&self, workshop: WorkshopId) -> Result<Vec<StoredNote>, DbError> {
        notes_of(&self.conn, workshop, None).await
    }

    /// How many dots `person` placed on each note of the workshop.
    pub async fn board_dots_of(
        &self,
        workshop: WorkshopId,
        person: PersonId,
    ) -> Result<HashMap<BoardNoteId, u32>, DbError> {
        let notes: Vec<Uuid> = notes_of(&self.conn, workshop, None)
            .await?
            .iter()
            .map(|n| n.id.0)
            .collect();
        let mut out = HashMap::new();
        if notes.is_empty() {
            return Ok(out);
        }
        for dot in workshop_dot::Entity::find()
            .filter(workshop_dot::Column::PersonId.eq(person.0))
            .filter(workshop_dot::Column::NoteId.is_in(notes))
            .all(&self.conn)
            .await?
        {
            *out.entry(BoardNoteId(dot.note_id)).or_insert(0) += 1;
        }
        Ok(out)
    }

    /// Opens, moves or closes an agenda item as the facilitator asked, if the rules
    /// allow it now; a stage change reveals the notes it makes visible, in events for
    /// exactly their new audience.
    pub async fn change_board_item(
        &self,
        workshop: WorkshopId,
        item: AgendaItemId,
        plan: StagePlan,
        change: ItemChange,
    ) -> Result<(ItemBoard, Vec<StoredEvent>), BoardWriteError> {
        let txn = self.conn.begin().await?;
        ensure_board(&txn, workshop).await?;
        let (status, stage) = lock_item(&txn, workshop, item).await?;
        let before = ItemBoard {
            status,
            stage,
            plan,
        };
        let after = match change {
            ItemChange::Open => before.open(),
            ItemChange::MoveTo(target) => before.move_to(target)?,
            ItemChange::Close => before.close(),
        };
        workshop_board_item::Entity::update_many()
            .col_expr(
                workshop_board_item::Column::Status,
                Expr::value(after.status.as_str()),
            )
            .col_expr(
                workshop_board_item::Column::Stage,
                Expr::value(after.stage.map(|s| s.as_str().to_owned())),
            )
            .filter(workshop_board_item::Column::AgendaItemId.eq(item.0))
            .exec(&txn)
            .await?;
        let board = workshop_board::Entity::find_by_id(workshop.0)
            .one(&txn)
            .await?
            .ok_or(DbError::NotFound)?;
        let mut current = board.current_item_id.map(AgendaItemId);
        if change == ItemChange::Open {
            current = Some(item);
            workshop_board::Entity::update_many()
                .col_expr(
                    workshop_board::Column::CurrentItemId,
                    Expr::value(Some(item.0)),
                )
                .filter(workshop_board::Column::WorkshopId.eq(workshop.0))
                .exec(&txn)
                .await?;
        }
        let mut payloads = Vec::new();
        if let Some(new_stage) = after.stage
            && after.stage != before.stage
        {
            let notes = notes_of(&txn, workshop, Some(item)).await?;
            payloads.extend(revelations(workshop, item, &notes, before.stage, new_stage));
        }
        payloads.push(board_changed(
            workshop,
            current,
            Some((item, &after)),
            board.dot_budget.max(0) as u32,
        ));
        let stored = append_all(&txn, Room::Workshop(workshop), &payloads).await?;
        txn.commit().await?;
        Ok((after, stored))
    }

    /// Stores a note if its item takes notes now, with the event for those who may
    /// see it at the item's stage.
    pub async fn post_board_note(
        &self,
        new: NewBoardNote,
    ) -> Result<(StoredNote, Vec<StoredEvent>), BoardWriteError> {
        let txn = self.conn.begin().await?;
        let (status, stage) = lock_item(&txn, new.workshop_id, new.item_id).await?;
        let board = ItemBoard {
            status,
            stage,
            plan: new.plan.clone(),
        };
        let stage = board.stage_for_note()?;
        let row = workshop_note::Entity::insert(workshop_note::ActiveModel {
            id: Set(BoardNoteId::new().0),
            workshop_id: Set(new.workshop_id.0),
            agenda_item_id: Set(new.item_id.0),
            writer_id: Set(Some(new.writer_id.0)),
            table_id: Set(new.table_id.map(|t| t.0)),
            stage: Set(stage.as_str().to_owned()),
            body: Set(new.body),
            spoken_by: Set(new.spoken_by),
            group_label: Set(None),
            merged_into: Set(None),
            writer_named: Set(new.writer_named),
            input_id: Set(None),
            created_at: Set(to_db(now())),
        })
        .exec_with_returning(&txn)
        .await?;
        let note = note_into_domain(row, 0)?;
        let payload = EventPayload::WorkshopNotePosted(WorkshopNotePosted {
            workshop_id: new.workshop_id,
            note: note.view(),
            audience: note.audience_at(stage),
        });
        let stored = append_all(&txn, Room::Workshop(new.workshop_id), &[payload]).await?;
        txn.commit().await?;
        Ok((note, stored))
    }

    /// Places one of `person`'s dots on a note, within the budget, while its item is
    /// in the voting stage.
    pub async fn place_board_dot(
        &self,
        workshop: WorkshopId,
        note: BoardNoteId,
        person: PersonId,
        plan_of: impl FnOnce(AgendaItemId) -> Option<StagePlan>,
    ) -> Result<(u32, Vec<StoredEvent>), BoardWriteError> {
        let txn = self.conn.begin().await?;
        let row = note_in(&txn, workshop, note).await?;
        if row.merged_into.is_some() {
            return Err(BoardWriteError::NotFound);
        }
        let item = AgendaItemId(row.agenda_item_id);
        let plan = plan_of(item).ok_or(BoardWriteError::NotFound)?;
        let (status, stage) = lock_item(&txn, workshop, item).await?;
        ItemBoard {
            status,
            stage,
            plan,
        }
        .check_dots_allowed()?;
        let spent = workshop_dot::Entity::find()
            .filter(workshop_dot::Column::AgendaItemId.eq(item.0))
            .filter(workshop_dot::Column::PersonId.eq(person.0))
            .count(&txn)
            .await? as u32;
        check_dot_budget(spent, budget_of(&txn, workshop).await?)?;
        workshop_dot::Entity::insert(workshop_dot::ActiveModel {
            id: Set(Uuid::now_v7()),
            note_id: Set(note.0),
            agenda_item_id: Set(item.0),
            person_id: Set(person.0),
            created_at: Set(to_db(now())),
        })
        .exec_without_returning(&txn)
        .await?;
        let (dots, stored) = dots_changed(&txn, workshop, item, note).await?;
        txn.commit().await?;
        Ok((dots, stored))
    }

    /// Takes back one of `person`'s dots from a note (while voting).
    pub async fn take_board_dot(
        &self,
        workshop: WorkshopId,
        note: BoardNoteId,
        person: PersonId,
        plan_of: impl FnOnce(AgendaItemId) -> Option<StagePlan>,
    ) -> Result<(u32, Vec<StoredEvent>), BoardWriteError> {
        let txn = self.conn.begin().await?;
        let row = note_in(&txn, workshop, note).await?;
        let item = AgendaItemId(row.agenda_item_id);
        let plan = plan_of(item).ok_or(BoardWriteError::NotFound)?;
        let (status, stage) = lock_item(&txn, workshop, item).await?;
        ItemBoard {
            status,
            stage,
            plan,
        }
        .check_dots_allowed()?;
        let mine = workshop_dot::Entity::find()
            .filter(workshop_dot::Column::NoteId.eq(note.0))
            .filter(workshop_dot::Column::PersonId.eq(person.0))
            .one(&txn)
            .await?
            .ok_or(BoardWriteError::NotFound)?;
        workshop_dot::Entity::delete_by_id(mine.id)
            .exec(&txn)
            .await?;
        let (dots, stored) = dots_changed(&txn, workshop, item, note).await?;
        txn.commit().await?;
        Ok((dots, stored))
    }

    /// Puts notes of one item under a heading (`None` takes them out of any), once
    /// everyone sees them.
    pub async fn group_board_notes(
        &self,
        workshop: WorkshopId,
        item: AgendaItemId,
        plan: StagePlan,
        notes: &[BoardNoteId],
        label: Option<String>,
    ) -> Result<Vec<StoredEvent>, BoardWriteError> {
        let txn = self.conn.begin().await?;
        let (status, stage) = lock_item(&txn, workshop, item).await?;
        ItemBoard {
            status,
            stage,
            plan,
        }
        .check_arranging_allowed()?;
        for note in notes {
            let row = note_in(&txn, workshop, *note).await?;
            if row.agenda_item_id != item.0 || row.merged_into.is_some() {
                return Err(BoardWriteError::NotFound);
            }
        }
        let ids: Vec<Uuid> = notes.iter().map(|n| n.0).collect();
        workshop_note::Entity::update_many()
            .col_expr(workshop_note::Column::GroupLabel, Expr::value(label))
            .filter(workshop_note::Column::Id.is_in(ids))
            .exec(&txn)
            .await?;
        let stored = arranged(&txn, workshop, item, notes, &[]).await?;
        txn.commit().await?;
        Ok(stored)
    }

    /// Merges notes of one item into `into` (their dots go with them), once everyone
    /// sees them; the merged notes stay stored, marked, for the minutes.
    pub async fn merge_board_notes(
        &self,
        workshop: WorkshopId,
        item: AgendaItemId,
        plan: StagePlan,
        into: BoardNoteId,
        from: &[BoardNoteId],
    ) -> Result<Vec<StoredEvent>, BoardWriteError> {
        let txn = self.conn.begin().await?;
        let (status, stage) = lock_item(&txn, workshop, item).await?;
        ItemBoard {
            status,
            stage,
            plan,
        }
        .check_arranging_allowed()?;
        for note in from.iter().chain([&into]) {
            let row = note_in(&txn, workshop, *note).await?;
            if row.agenda_item_id != item.0 || row.merged_into.is_some() {
                return Err(BoardWriteError::NotFound);
            }
        }
        let from: Vec<BoardNoteId> = from.iter().copied().filter(|n| *n != into).collect();
        let ids: Vec<Uuid> = from.iter().map(|n| n.0).collect();
        workshop_note::Entity::update_many()
            .col_expr(workshop_note::Column::MergedInto, Expr::value(Some(into.0)))
            .filter(workshop_note::Column::Id.is_in(ids.clone()))
            .exec(&txn)
            .await?;
        workshop_dot::Entity::update_many()
            .col_expr(workshop_dot::Column::NoteId, Expr::value(into.0))
            .filter(workshop_dot::Column::NoteId.is_in(ids))
            .exec(&txn)
            .await?;
        let stored = arranged(&txn, workshop, item, &[into], &from).await?;
        txn.commit().await?;
        Ok(stored)
    }

    /// Adds a table to the workshop's board.
    pub async fn add_board_table(
        &self,
        workshop: WorkshopId,
        name: String,
    ) -> Result<(BoardTableId, Vec<StoredEvent>), DbError> {
        let txn = self.conn.begin().await?;
        ensure_board(&txn, workshop).await?;
        let position = workshop_table::Entity::find()
            .filter(workshop_table::Column::WorkshopId.eq(workshop.0))
            .count(&txn)
            .await? as i32
            + 1;
        let id = BoardTableId::new();
        workshop_table::Entity::insert(workshop_table::ActiveModel {
            id: Set(id.0),
            workshop_id: Set(workshop.0),
            name: Set(name),
            position: Set(position),
        })
        .exec_without_returning(&txn)
        .await?;
        let stored = tables_changed(&txn, workshop).await?;
        txn.commit().await?;
        Ok((id, stored))
    }

    /// Seats a person at a table (`None`: at none). Refused while an item is in the
    /// group stage, when a move would show them another table's notes mid-way.
    pub async fn seat_at_board_table(
        &self,
        workshop: WorkshopId,
        person: PersonId,
        table: Option<BoardTableId>,
    ) -> Result<Vec<StoredEvent>, BoardWriteError> {
        let txn = self.conn.begin().await?;
        ensure_board(&txn, workshop).await?;
        let grouping = workshop_board_item::Entity::find()
            .filter(workshop_board_item::Column::WorkshopId.eq(workshop.0))
            .filter(workshop_board_item::Column::Status.eq(ItemStatus::Open.as_str()))
            .filter(workshop_board_item::Column::Stage.eq(Stage::Group.as_str()))
            .count(&txn)
            .await?;
        if grouping > 0 {
            return Err(BoardError::TablesFixedInGroupStage.into());
        }
        workshop_table_seat::Entity::delete_many()
            .filter(workshop_table_seat::Column::WorkshopId.eq(workshop.0))
            .filter(workshop_table_seat::Column::PersonId.eq(person.0))
            .exec(&txn)
            .await?;
        if let Some(table) = table {
            let exists = workshop_table::Entity::find_by_id(table.0)
                .filter(workshop_table::Column::WorkshopId.eq(workshop.0))
                .one(&txn)
                .await?
                .is_some();
            if !exists {
                return Err(BoardWriteError::NotFound);
            }
            workshop_table_seat::Entity::insert(workshop_table_seat::ActiveModel {
                workshop_id: Set(workshop.0),
                person_id: Set(person.0),
                table_id: Set(table.0),
            })
            .exec_without_returning(&txn)
            .await?;
        }
        let stored = tables_changed(&txn, workshop).await?;
        txn.commit().await?;
        Ok(stored)
    }

    /// Makes a person a facilitator of the workshop (idempotent).
    pub async fn add_board_facilitator(
        &self,
        workshop: WorkshopId,
        person: PersonId,
    ) -> Result<(), DbError> {
        workshop_facilitator::Entity::insert(workshop_facilitator::ActiveModel {
            workshop_id: Set(workshop.0),
            person_id: Set(person.0),
        })
        .on_conflict(
            OnConflict::columns([
                workshop_facilitator::Column::WorkshopId,
                workshop_facilitator::Column::PersonId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .exec_without_returning(&self.conn)
        .await?;
        Ok(())
    }

    /// Sets the dots each participant has per item.
    pub async fn set_board_dot_budget(
        &self,
        workshop: WorkshopId,
        budget: u32,
    ) -> Result<Vec<StoredEvent>, DbError> {
        let txn = self.conn.begin().await?;
        ensure_board(&txn, workshop).await?;
        workshop_board::Entity::update_many()
            .col_expr(
                workshop_board::Column::DotBudget,
                Expr::value(budget as i32),
            )
            .filter(workshop_board::Column::WorkshopId.eq(workshop.0))
            .exec(&txn)
            .await?;
        let current = workshop_board::Entity::find_by_id(workshop.0)
            .one(&txn)
            .await?
            .and_then(|b| b.current_item_id.map(AgendaItemId));
        let payload = board_changed(workshop, current, None, budget);
        let stored = append_all(&txn, Room::Workshop(workshop), &[payload]).await?;
        txn.commit().await?;
        Ok(stored)
    }

    /// Stores the minutes (Markdown, as the facilitator wrote it).
    pub async fn save_board_minutes(
        &self,
        workshop: WorkshopId,
        minutes: String,
    ) -> Result<(), DbError> {
        let txn = self.conn.begin().await?;
        ensure_board(&txn, workshop).await?;
        workshop_board::Entity::update_many()
            .col_expr(workshop_board::Column::Minutes, Expr::value(minutes))
            .col_expr(
                workshop_board::Column::MinutesUpdatedAt,
                Expr::value(Some(to_db(now()))),
            )
            .filter(workshop_board::Column::WorkshopId.eq(workshop.0))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Makes confirmed notes inputs of the plan's register, linked to the sections of
    /// their agenda item, in one transaction; a note confirmed before keeps its input.
    /// The register numbers of the new inputs, in the order of the notes.
    pub async fn confirm_board_notes(
        &self,
        workshop: WorkshopId,
        confirmation: NoteConfirmation,
    ) -> Result<Vec<i32>, BoardWriteError> {
        let txn = self.conn.begin().await?;
        let mut numbers = Vec::new();
        for note in &confirmation.note_ids {
            let row = note_in(&txn, workshop, *note).await?;
            if row.merged_into.is_some() {
                return Err(BoardWriteError::NotFound);
            }
            if row.input_id.is_some() {
                continue;
            }
            let sections: Vec<SectionId> = workshop_agenda_section::Entity::find()
                .filter(workshop_agenda_section::Column::AgendaItemId.eq(row.agenda_item_id))
                .order_by_asc(workshop_agenda_section::Column::Position)
                .all(&txn)
                .await?
                .into_iter()
                .map(|s| SectionId(s.section_id))
                .collect();
            let number =
                register::record_workshop_note(&txn, confirmation.plan_id, &row, &sections).await?;
            let input = crate::entities::input_register::Entity::find()
                .filter(crate::entities::input_register::Column::PlanId.eq(confirmation.plan_id.0))
                .filter(crate::entities::input_register::Column::Number.eq(number))
                .one(&txn)
                .await?
                .ok_or(DbError::NotFound)?;
            workshop_note::Entity::update_many()
                .col_expr(workshop_note::Column::InputId, Expr::value(Some(input.id)))
                .filter(workshop_note::Column::Id.eq(row.id))
                .exec(&txn)
                .await?;
            numbers.push(number);
        }
        txn.commit().await?;
        Ok(numbers)
    }

    /// Confirmed workshop notes as the register shows them, by note id.
    pub(crate) async fn workshop_note_inputs(
        &self,
        notes: Vec<Uuid>,
    ) -> Result<HashMap<Uuid, WorkshopNoteInput>, DbError> {
        let mut out = HashMap::new();
        if notes.is_empty() {
            return Ok(out);
        }
        for row in workshop_note::Entity::find()
            .filter(workshop_note::Column::Id.is_in(notes))
            .all(&self.conn)
            .await?
        {
            let item = workshop_agenda_item::Entity::find_by_id(row.agenda_item_id)
                .one(&self.conn)
                .await?
                .ok_or(DbError::NotFound)?;
            let workshop = workshop::Entity::find_by_id(row.workshop_id)
                .one(&self.conn)
                .await?
                .ok_or(DbError::NotFound)?;
            let group_ids: Vec<Uuid> = workshop_group::Entity::find()
                .filter(workshop_group::Column::WorkshopId.eq(row.workshop_id))
                .all(&self.conn)
                .await?
                .into_iter()
                .map(|g| g.group_id)
                .collect();
            let mut group_names: Vec<String> = plan_group::Entity::find()
                .filter(plan_group::Column::Id.is_in(group_ids))
                .all(&self.conn)
                .await?
                .into_iter()
                .map(|g| g.name)
                .collect();
            group_names.sort();
            let group_names = group_names.join(", ");
            let writer_name = match (row.writer_named, row.writer_id) {
                (true, Some(writer)) => person::Entity::find_by_id(writer)
                    .one(&self.conn)
                    .await?
                    .map(|p| p.name)
                    .filter(|name| !name.is_empty()),
                _ => None,
            };
            out.insert(
                row.id,
                WorkshopNoteInput {
                    note_id: row.id.into(),
                    workshop_id: row.workshop_id.into(),
                    workshop_title: workshop.title,
                    item_title: item.title,
                    sender: WorkshopNoteInput::sender_of(&group_names, writer_name.as_deref()),
                    group_names,
                    writer_name,
                    text: row.body,
                },
            );
        }
        Ok(out)
    }
}

/// Takes a forgotten person off every workshop board, inside the forgetting's
/// transaction: their notes keep their text without a writer (so an input made from
/// one no longer names them, and a note nobody else saw yet is seen by nobody), their
/// dots are taken away (the boards are told the new counts), and their seats and
/// facilitator roles end.
pub(crate) async fn forget_on_boards(
    txn: &DatabaseTransaction,
    person: PersonId,
    done: &mut crate::repo::privacy::Anonymised,
) -> Result<(), DbError> {
    done.workshop_notes = workshop_note::Entity::update_many()
        .col_expr(
            workshop_note::Column::WriterId,
            sea_orm::sea_query::Expr::value(Option::<Uuid>::None),
        )
        .col_expr(
            workshop_note::Column::WriterNamed,
            sea_orm::sea_query::Expr::value(false),
        )
        .filter(workshop_note::Column::WriterId.eq(person.0))
        .exec(txn)
        .await?
        .rows_affected;
    let dots = workshop_dot::Entity::find()
        .filter(workshop_dot::Column::PersonId.eq(person.0))
        .all(txn)
        .await?;
    done.workshop_dots = workshop_dot::Entity::delete_many()
        .filter(workshop_dot::Column::PersonId.eq(person.0))
        .exec(txn)
        .await?
        .rows_affected;
    let mut notes: Vec<(Uuid, Uuid)> = dots.iter().map(|d| (d.note_id, d.agenda_item_id)).collect();
    notes.sort();
    notes.dedup();
    for (note, item) in notes {
        let Some(row) = workshop_note::Entity::find_by_id(note).one(txn).await? else {
            continue;
        };
        let (_, events) = dots_changed(
            txn,
            WorkshopId(row.workshop_id),
            AgendaItemId(item),
            BoardNoteId(note),
        )
        .await?;
        done.events.extend(events);
    }
    workshop_table_seat::Entity::delete_many()
        .filter(workshop_table_seat::Column::PersonId.eq(person.0))
        .exec(txn)
        .await?;
    workshop_facilitator::Entity::delete_many()
        .filter(workshop_facilitator::Column::PersonId.eq(person.0))
        .exec(txn)
        .await?;
    Ok(())
}

async fn dots_changed(
    txn: &DatabaseTransaction,
    workshop: WorkshopId,
    item: AgendaItemId,
    note: BoardNoteId,
) -> Result<(u32, Vec<StoredEvent>), DbError> {
    let dots = workshop_dot::Entity::find()
        .filter(workshop_dot::Column::NoteId.eq(note.0))
        .count(txn)
        .await? as u32;
    let payload = EventPayload::WorkshopDotsChanged(WorkshopDotsChanged {
        workshop_id: workshop,
        item_id: item,
        note_id: note,
        dots,
    });
    Ok((
        dots,
        append_all(txn, Room::Workshop(workshop), &[payload]).await?,
    ))
}

async fn arranged(
    txn: &DatabaseTransaction,
    workshop: WorkshopId,
    item: AgendaItemId,
    changed: &[BoardNoteId],
    removed: &[BoardNoteId],
) -> Result<Vec<StoredEvent>, DbError> {
    let notes = notes_of(txn, workshop, Some(item))
        .await?
        .into_iter()
        .filter(|n| changed.contains(&n.id))
        .map(|n| n.view())
        .collect();
    let payload = EventPayload::WorkshopNotesArranged(WorkshopNotesArranged {
        workshop_id: workshop,
        item_id: item,
        notes,
        removed: removed.to_vec(),
    });
    append_all(txn, Room::Workshop(workshop), &[payload]).await
}

async fn tables_changed(
    txn: &DatabaseTransaction,
    workshop: WorkshopId,
) -> Result<Vec<StoredEvent>, DbError> {
    let payload = EventPayload::WorkshopTablesChanged(WorkshopTablesChanged {
        workshop_id: workshop,
    });
    append_all(txn, Room::Workshop(workshop), &[payload]).await
}
