//! The live board of a workshop: the facilitator steps through the agenda and the
//! IGP stages, participants post notes and dots, the facilitator arranges notes,
//! writes the minutes and confirms which notes become inputs of the plan's register.
//!
//! Who takes part: the facilitators (planners of the plan and people the planners
//! named) and the members of the invited groups. Unknown workshops and workshops the
//! actor may not read are the same "not found". The rules themselves are
//! `domain::workshop_board`, asked again by storage under the item's lock.

pub mod reading;

use crate::Consultation;
use db::{BoardState, BoardWriteError, DbError, ItemChange, NewBoardNote, NoteConfirmation};
use domain::event::Viewer;
use domain::policy::{Action, Actor, can_on_workshop};
use domain::workshop::{IgpStage, Workshop};
use domain::workshop_board::{
    self, BoardAction, BoardError, BoardRole, ItemBoard, MINUTES_MAX_CHARS, Stage, StagePlan,
};
use domain::{AgendaItemId, BoardNoteId, BoardTableId, PersonId, WorkshopId, validate};

/// Why a board use case refused.
#[derive(Debug, thiserror::Error)]
pub enum BoardUseError {
    /// The workshop, item, note or table does not exist, or the actor may not see it.
    #[error("not found")]
    NotFound,
    #[error("sign in to take part")]
    NotSignedIn,
    #[error(transparent)]
    Refused(#[from] BoardError),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<BoardWriteError> for BoardUseError {
    fn from(err: BoardWriteError) -> Self {
        match err {
            BoardWriteError::Refused(e) => BoardUseError::Refused(e),
            BoardWriteError::NotFound => BoardUseError::NotFound,
            BoardWriteError::Db(e) => BoardUseError::Db(e),
        }
    }
}

impl From<validate::FieldError> for BoardUseError {
    fn from(err: validate::FieldError) -> Self {
        BoardUseError::Refused(BoardError::Invalid(err))
    }
}

/// What the facilitator does to an agenda item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepCommand {
    /// Start the item (or open it again) as the current one.
    Open,
    /// On to the next stage of the item.
    Next,
    MoveTo(Stage),
    Close,
}

impl StepCommand {
    /// `open`, `next`, `close` or a stage name.
    pub fn parse(s: &str) -> Option<StepCommand> {
        match s {
            "open" => Some(StepCommand::Open),
            "next" => Some(StepCommand::Next),
            "close" => Some(StepCommand::Close),
            other => Stage::parse(other).map(StepCommand::MoveTo),
        }
    }
}

/// A note as typed, before any check.
#[derive(Debug, Clone, Default)]
pub struct NoteCommand {
    pub item_id: Option<AgendaItemId>,
    pub body: String,
    /// Facilitator only: the name of the person who spoke (may be empty).
    pub spoken_by: Option<String>,
    /// Facilitator only: the table the spoken note belongs to.
    pub table_id: Option<BoardTableId>,
    /// The writer agrees to be named if the note becomes an input.
    pub named: bool,
}

/// The board as one actor may use it: the workshop, the board's state and their part.
pub struct BoardContext {
    pub workshop: Workshop,
    pub state: BoardState,
    pub role: Option<BoardRole>,
    pub person: Option<PersonId>,
}

impl BoardContext {
    /// Who the actor is to the board's events.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            person: self.person,
            tables: self
                .person
                .and_then(|p| self.state.table_of(p))
                .into_iter()
                .collect(),
            every_table: self.role == Some(BoardRole::Facilitator),
        }
    }

    pub fn may(&self, action: BoardAction) -> Result<(), BoardError> {
        workshop_board::may(self.role, action)
    }

    /// The stages an agenda item goes through on the board: its IGP stages, then
    /// voting when it reaches plenum.
    pub fn plan_of(&self, item: AgendaItemId) -> Option<StagePlan> {
        self.workshop
            .agenda
            .iter()
            .find(|i| i.id == item)
            .map(|i| board_plan(&i.stages))
    }

    pub fn item(&self, item: AgendaItemId) -> Result<ItemBoard, BoardUseError> {
        let plan = self.plan_of(item).ok_or(BoardUseError::NotFound)?;
        Ok(self.state.item(item, plan))
    }
}

/// An item's IGP stages on the board: voting follows plenum; an item without
/// stages is worked in plenum.
pub fn board_plan(stages: &[IgpStage]) -> StagePlan {
    let mut board: Vec<Stage> = stages
        .iter()
        .map(|s| match s {
            IgpStage::Individual => Stage::Individual,
            IgpStage::Group => Stage::Group,
            IgpStage::Plenum => Stage::Plenum,
        })
        .collect();
    if board.is_empty() {
        board.push(Stage::Plenum);
    }
    if board.contains(&Stage::Plenum) {
        board.push(Stage::Voting);
    }
    StagePlan::new(board).unwrap_or_else(|_| StagePlan::full())
}

impl Consultation {
    /// The workshop's board as `actor` may use it; not found when they may not read it.
    pub async fn board_context(
        &self,
        actor: &Actor,
        workshop_id: WorkshopId,
    ) -> Result<BoardContext, BoardUseError> {
        let workshop = match self.db().workshop(workshop_id).await {
            Ok(w) => w,
            Err(DbError::NotFound) => return Err(BoardUseError::NotFound),
            Err(e) => return Err(e.into()),
        };
        let (municipality, plan) = (workshop.municipality_id, workshop.plan_id);
        if !can_on_workshop(actor, Action::Read, municipality, plan, &workshop.groups) {
            return Err(BoardUseError::NotFound);
        }
        let state = self.db().board_state(workshop_id).await?;
        let role = if actor.plans(municipality, plan)
            || actor
                .person
                .is_some_and(|p| state.facilitators.contains(&p))
        {
            Some(BoardRole::Facilitator)
        } else if actor.person.is_some()
            && can_on_workshop(actor, Action::Comment, municipality, plan, &workshop.groups)
        {
            Some(BoardRole::Participant)
        } else {
            None
        };
        Ok(BoardContext {
            workshop,
            state,
            role,
            person: actor.person,
        })
    }

    /// Who `actor` is to the events of the workshop's room, or `None` when they may
    /// not follow it.
    pub async fn board_viewer(&self, actor: &Actor, workshop: WorkshopId) -> Option<Viewer> {
        self.board_context(actor, workshop)
            .await
            .ok()
            .map(|context| context.viewer())
    }

    async fn acting(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        action: BoardAction,
    ) -> Result<BoardContext, BoardUseError> {
        let context = self.board_context(actor, workshop).await?;
        context.may(action)?;
        Ok(context)
    }

    /// Opens, moves or closes an agenda item (facilitator).
    pub async fn step_board(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        item: AgendaItemId,
        command: StepCommand,
    ) -> Result<ItemBoard, BoardUseError> {
        let context = self.acting(actor, workshop, BoardAction::MoveStage).await?;
        let board = context.item(item)?;
        let change = match command {
            StepCommand::Open => ItemChange::Open,
            StepCommand::Close => ItemChange::Close,
            StepCommand::MoveTo(stage) => ItemChange::MoveTo(stage),
            StepCommand::Next => match board.next_stage() {
                Some(stage) => ItemChange::MoveTo(stage),
                None if board.status == domain::workshop_board::ItemStatus::Open => {
                    ItemChange::Close
                }
                None => return Err(BoardError::ItemNotOpen.into()),
            },
        };
        let (after, events) = self
            .db()
            .change_board_item(workshop, item, board.plan, change)
            .await?;
        self.after_commit(&events, false);
        metrics::counter!("samrad_workshop_board_steps_total").increment(1);
        Ok(after)
    }

    /// Posts a note to an open item: a participant's own, or the facilitator's for
    /// someone who speaks instead of typing.
    pub async fn post_board_note(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        command: NoteCommand,
    ) -> Result<db::StoredNote, BoardUseError> {
        let person = actor.person.ok_or(BoardUseError::NotSignedIn)?;
        let on_behalf = command.spoken_by.is_some() || command.table_id.is_some();
        let action = if on_behalf {
            BoardAction::PostOnBehalf
        } else {
            BoardAction::PostNote
        };
        let context = self.acting(actor, workshop, action).await?;
        let item = command
            .item_id
            .or(context.state.current_item)
            .ok_or(BoardError::ItemNotOpen)?;
        let plan = context.plan_of(item).ok_or(BoardUseError::NotFound)?;
        let body = workshop_board::note_body(&command.body)?;
        let spoken_by = match command.spoken_by.as_deref().map(str::trim) {
            Some(name) if !name.is_empty() => Some(workshop_board::label("spoken_by", name)?),
            _ => None,
        };
        let table_id = if on_behalf {
            match command.table_id {
                Some(table) if context.state.tables.iter().any(|t| t.id == table) => Some(table),
                Some(_) => return Err(BoardUseError::NotFound),
                None => None,
            }
        } else {
            context.state.table_of(person)
        };
        let (note, events) = self
            .db()
            .post_board_note(NewBoardNote {
                workshop_id: workshop,
                item_id: item,
                plan,
                writer_id: person,
                table_id,
                body,
                spoken_by,
                writer_named: command.named && !on_behalf,
            })
            .await?;
        self.after_commit(&events, false);
        metrics::counter!("samrad_workshop_notes_total").increment(1);
        Ok(note)
    }

    /// Places a dot on a note (`place`), or takes one back; the note's dots after.
    pub async fn board_dot(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        note: BoardNoteId,
        place: bool,
    ) -> Result<u32, BoardUseError> {
        let person = actor.person.ok_or(BoardUseError::NotSignedIn)?;
        let context = self.acting(actor, workshop, BoardAction::PlaceDot).await?;
        let plan_of = |item| context.plan_of(item);
        let (dots, events) = if place {
            self.db()
                .place_board_dot(workshop, note, person, plan_of)
                .await?
        } else {
            self.db()
                .take_board_dot(workshop, note, person, plan_of)
                .await?
        };
        self.after_commit(&events, false);
        Ok(dots)
    }

    /// Puts notes of an item under a heading (empty: none), in plenum or later.
    pub async fn group_board_notes(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        item: AgendaItemId,
        notes: &[BoardNoteId],
        label: &str,
    ) -> Result<(), BoardUseError> {
        let context = self
            .acting(actor, workshop, BoardAction::ArrangeNotes)
            .await?;
        let plan = context.plan_of(item).ok_or(BoardUseError::NotFound)?;
        let label = match label.trim() {
            "" => None,
            text => Some(workshop_board::label("label", text)?),
        };
        let events = self
            .db()
            .group_board_notes(workshop, item, plan, notes, label)
            .await?;
        self.after_commit(&events, false);
        Ok(())
    }

    /// Merges notes of an item into one, in plenum or later.
    pub async fn merge_board_notes(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        item: AgendaItemId,
        into: BoardNoteId,
        from: &[BoardNoteId],
    ) -> Result<(), BoardUseError> {
        let context = self
            .acting(actor, workshop, BoardAction::ArrangeNotes)
            .await?;
        let plan = context.plan_of(item).ok_or(BoardUseError::NotFound)?;
        let events = self
            .db()
            .merge_board_notes(workshop, item, plan, into, from)
            .await?;
        self.after_commit(&events, false);
        Ok(())
    }

    /// Adds a table (facilitator).
    pub async fn add_board_table(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        name: &str,
    ) -> Result<BoardTableId, BoardUseError> {
        self.acting(actor, workshop, BoardAction::AssignTables)
            .await?;
        let name = workshop_board::label("name", name)?;
        let (id, events) = self.db().add_board_table(workshop, name).await?;
        self.after_commit(&events, false);
        Ok(id)
    }

    /// Seats a participant at a table, or at none (facilitator).
    pub async fn seat_at_board_table(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        person: PersonId,
        table: Option<BoardTableId>,
    ) -> Result<(), BoardUseError> {
        self.acting(actor, workshop, BoardAction::AssignTables)
            .await?;
        let events = self
            .db()
            .seat_at_board_table(workshop, person, table)
            .await?;
        self.after_commit(&events, false);
        Ok(())
    }

    /// Names a facilitator besides the planners (a planner of the plan).
    pub async fn add_board_facilitator(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        person: PersonId,
    ) -> Result<(), BoardUseError> {
        let context = self.board_context(actor, workshop).await?;
        if !actor.plans(context.workshop.municipality_id, context.workshop.plan_id) {
            return Err(BoardError::NotFacilitator.into());
        }
        self.db().add_board_facilitator(workshop, person).await?;
        self.roles_changed(person);
        Ok(())
    }

    /// Sets how many dots each participant has per item (facilitator).
    pub async fn set_board_dot_budget(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        budget: u32,
    ) -> Result<(), BoardUseError> {
        self.acting(actor, workshop, BoardAction::SetDotBudget)
            .await?;
        let budget = workshop_board::dot_budget(budget)?;
        let events = self.db().set_board_dot_budget(workshop, budget).await?;
        self.after_commit(&events, false);
        Ok(())
    }

    /// Saves the minutes, Markdown that pages show sanitised (facilitator).
    pub async fn save_board_minutes(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        minutes: &str,
    ) -> Result<(), BoardUseError> {
        self.acting(actor, workshop, BoardAction::EditMinutes)
            .await?;
        let minutes = if minutes.trim().is_empty() {
            String::new()
        } else {
            validate::text("minutes", minutes, MINUTES_MAX_CHARS)?
        };
        self.db().save_board_minutes(workshop, minutes).await?;
        Ok(())
    }

    /// Makes the confirmed notes inputs of the plan's register (facilitator); the
    /// register numbers they got (notes confirmed before keep theirs).
    pub async fn confirm_board_notes(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        notes: &[BoardNoteId],
    ) -> Result<Vec<i32>, BoardUseError> {
        let context = self
            .acting(actor, workshop, BoardAction::ConfirmInputs)
            .await?;
        let numbers = self
            .db()
            .confirm_board_notes(
                workshop,
                NoteConfirmation {
                    plan_id: context.workshop.plan_id,
                    note_ids: notes.to_vec(),
                },
            )
            .await?;
        metrics::counter!("samrad_workshop_notes_confirmed_total").increment(numbers.len() as u64);
        Ok(numbers)
    }
}
