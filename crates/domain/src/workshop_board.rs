//! The live board of a workshop, run with the IGP method: for each agenda item the
//! participants first write alone (individual), then share at their table (group),
//! then with everyone (plenum), and finally prioritise with dots (voting).
//!
//! The rules here decide who may do what on the board and who may see a note in each
//! stage; storage, the hub and the pages all ask them, so a note never reaches someone
//! before its stage allows it, whichever way it travels.

use crate::event::EventAudience;
use crate::ids::*;
use crate::validate::{self, FieldError, Problem};
use serde::{Deserialize, Serialize};

/// The longest note, in characters: a sticky note, not an essay.
pub const NOTE_MAX_CHARS: usize = 500;
/// The longest name of a table or of a group of notes.
pub const LABEL_MAX_CHARS: usize = 80;
/// The longest minutes, in characters of Markdown.
pub const MINUTES_MAX_CHARS: usize = 50_000;
/// Dots each participant may place on one agenda item unless the facilitator says otherwise.
pub const DEFAULT_DOT_BUDGET: u32 = 3;
/// The most dots a facilitator may give each participant per item.
pub const MAX_DOT_BUDGET: u32 = 20;

/// A stage of an agenda item, in the order the method goes through them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    /// Everyone writes alone; a note is seen by its writer only.
    Individual,
    /// The table shares and adds; a note is seen by its table.
    Group,
    /// Everything is on the wall; every note is seen by everyone.
    Plenum,
    /// Dots on the notes; no new notes.
    Voting,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Individual,
        Stage::Group,
        Stage::Plenum,
        Stage::Voting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Individual => "individual",
            Stage::Group => "group",
            Stage::Plenum => "plenum",
            Stage::Voting => "voting",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.as_str() == s)
    }

    pub fn takes_notes(self) -> bool {
        !matches!(self, Stage::Voting)
    }

    pub fn takes_dots(self) -> bool {
        matches!(self, Stage::Voting)
    }

    /// Whether every note is on the wall, so the facilitator may group and merge them.
    pub fn shows_everything(self) -> bool {
        self >= Stage::Plenum
    }
}

/// The stages an agenda item uses, in order (for example only plenum for a briefing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "Vec<Stage>", into = "Vec<Stage>")]
pub struct StagePlan(Vec<Stage>);

impl StagePlan {
    /// The whole method: individual, group, plenum, voting.
    pub fn full() -> StagePlan {
        StagePlan(Stage::ALL.to_vec())
    }

    /// Sorts and de-duplicates; refuses an empty list.
    pub fn new(mut stages: Vec<Stage>) -> Result<StagePlan, BoardError> {
        stages.sort();
        stages.dedup();
        if stages.is_empty() {
            return Err(BoardError::NoStages);
        }
        Ok(StagePlan(stages))
    }

    pub fn stages(&self) -> &[Stage] {
        &self.0
    }

    pub fn first(&self) -> Stage {
        self.0[0]
    }

    /// The stage after `stage` in this plan, if any.
    pub fn after(&self, stage: Stage) -> Option<Stage> {
        self.0.iter().copied().find(|s| *s > stage)
    }

    /// Stored as `individual,group,plenum`.
    pub fn to_text(&self) -> String {
        self.0
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    pub fn parse(text: &str) -> Result<StagePlan, BoardError> {
        let stages = text
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| Stage::parse(s).ok_or(BoardError::NoStages))
            .collect::<Result<Vec<_>, _>>()?;
        StagePlan::new(stages)
    }
}

impl TryFrom<Vec<Stage>> for StagePlan {
    type Error = BoardError;
    fn try_from(stages: Vec<Stage>) -> Result<Self, Self::Error> {
        StagePlan::new(stages)
    }
}

impl From<StagePlan> for Vec<Stage> {
    fn from(plan: StagePlan) -> Self {
        plan.0
    }
}

/// Where an agenda item is on the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Not started yet.
    Waiting,
    Open,
    Closed,
}

impl ItemStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Waiting => "waiting",
            ItemStatus::Open => "open",
            ItemStatus::Closed => "closed",
        }
    }

    pub fn parse(s: &str) -> Option<ItemStatus> {
        [ItemStatus::Waiting, ItemStatus::Open, ItemStatus::Closed]
            .into_iter()
            .find(|status| status.as_str() == s)
    }
}

/// An agenda item's place on the board: its status and the stage it has reached.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemBoard {
    pub status: ItemStatus,
    /// The stage reached; `None` before the item starts. Never moves back, so a note
    /// once shown is never hidden again.
    pub stage: Option<Stage>,
    pub plan: StagePlan,
}

impl ItemBoard {
    pub fn waiting(plan: StagePlan) -> ItemBoard {
        ItemBoard {
            status: ItemStatus::Waiting,
            stage: None,
            plan,
        }
    }

    /// Starts the item (at its first stage) or opens it again after it was closed.
    pub fn open(&self) -> ItemBoard {
        ItemBoard {
            status: ItemStatus::Open,
            stage: Some(self.stage.unwrap_or(self.plan.first())),
            plan: self.plan.clone(),
        }
    }

    /// Moves an open item on to `target`, a later stage of its plan.
    pub fn move_to(&self, target: Stage) -> Result<ItemBoard, BoardError> {
        if self.status != ItemStatus::Open {
            return Err(BoardError::ItemNotOpen);
        }
        if !self.plan.stages().contains(&target) {
            return Err(BoardError::StageNotInPlan(target));
        }
        if self.stage.is_some_and(|current| target <= current) {
            return Err(BoardError::StageBackwards(target));
        }
        Ok(ItemBoard {
            status: ItemStatus::Open,
            stage: Some(target),
            plan: self.plan.clone(),
        })
    }

    /// The next stage of the plan, if the item is open and has one.
    pub fn next_stage(&self) -> Option<Stage> {
        match (self.status, self.stage) {
            (ItemStatus::Open, Some(stage)) => self.plan.after(stage),
            _ => None,
        }
    }

    pub fn close(&self) -> ItemBoard {
        ItemBoard {
            status: ItemStatus::Closed,
            stage: self.stage,
            plan: self.plan.clone(),
        }
    }

    /// The stage a new note is written in, or why no note may be written now.
    pub fn stage_for_note(&self) -> Result<Stage, BoardError> {
        match (self.status, self.stage) {
            (ItemStatus::Open, Some(stage)) if stage.takes_notes() => Ok(stage),
            (ItemStatus::Open, Some(stage)) => Err(BoardError::StageTakesNoNotes(stage)),
            _ => Err(BoardError::ItemNotOpen),
        }
    }

    /// Whether dots may be placed now.
    pub fn check_dots_allowed(&self) -> Result<(), BoardError> {
        match (self.status, self.stage) {
            (ItemStatus::Open, Some(stage)) if stage.takes_dots() => Ok(()),
            (ItemStatus::Open, _) => Err(BoardError::StageTakesNoDots),
            _ => Err(BoardError::ItemNotOpen),
        }
    }

    /// Whether the facilitator may group and merge notes now: only once everyone sees
    /// every note, so that arranging reveals nothing.
    pub fn check_arranging_allowed(&self) -> Result<(), BoardError> {
        match self.stage {
            Some(stage) if stage.shows_everything() => Ok(()),
            _ => Err(BoardError::NotInPlenum),
        }
    }

    /// Who sees a note of this item now.
    pub fn audience_of(&self, writer: PersonId, table: Option<BoardTableId>) -> EventAudience {
        note_audience(self.stage.unwrap_or(Stage::Individual), writer, table)
    }
}

/// Who sees a note while its item is in `stage`: its writer alone, its table (a
/// writer without a table keeps it to themselves until plenum), or everyone.
pub fn note_audience(stage: Stage, writer: PersonId, table: Option<BoardTableId>) -> EventAudience {
    match stage {
        Stage::Individual => EventAudience::Person(writer),
        Stage::Group => table.map_or(EventAudience::Person(writer), EventAudience::Table),
        Stage::Plenum | Stage::Voting => EventAudience::Everyone,
    }
}

/// Someone's part on a workshop's board.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BoardRole {
    /// Runs the board: a planner of the plan or a designated facilitator.
    Facilitator,
    /// Registered for or invited to the workshop.
    Participant,
}

/// What can be done on a board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoardAction {
    PostNote,
    PlaceDot,
    /// Choose the current item, open and close items.
    StepAgenda,
    MoveStage,
    AssignTables,
    /// Group and merge notes.
    ArrangeNotes,
    /// Post a note for someone who speaks instead of typing.
    PostOnBehalf,
    SetDotBudget,
    EditMinutes,
    /// Confirm which notes become inputs in the plan's register.
    ConfirmInputs,
}

impl BoardAction {
    pub const ALL: [BoardAction; 10] = [
        BoardAction::PostNote,
        BoardAction::PlaceDot,
        BoardAction::StepAgenda,
        BoardAction::MoveStage,
        BoardAction::AssignTables,
        BoardAction::ArrangeNotes,
        BoardAction::PostOnBehalf,
        BoardAction::SetDotBudget,
        BoardAction::EditMinutes,
        BoardAction::ConfirmInputs,
    ];

    /// Whether participants may do this; everything else is the facilitator's.
    pub fn for_participants(self) -> bool {
        matches!(self, BoardAction::PostNote | BoardAction::PlaceDot)
    }
}

/// Whether someone with `role` (or no part at all) may do `action` on the board.
pub fn may(role: Option<BoardRole>, action: BoardAction) -> Result<(), BoardError> {
    match role {
        Some(BoardRole::Facilitator) => Ok(()),
        Some(BoardRole::Participant) if action.for_participants() => Ok(()),
        Some(BoardRole::Participant) => Err(BoardError::NotFacilitator),
        None => Err(BoardError::NotInWorkshop),
    }
}

/// A note's text: trimmed, not empty, at most [`NOTE_MAX_CHARS`].
pub fn note_body(body: &str) -> Result<String, BoardError> {
    validate::text("body", body, NOTE_MAX_CHARS).map_err(BoardError::Invalid)
}

/// The name of a table or a group of notes.
pub fn label(field: &'static str, value: &str) -> Result<String, BoardError> {
    validate::line(field, value, LABEL_MAX_CHARS).map_err(BoardError::Invalid)
}

/// A dot budget the facilitator sets: 1 to [`MAX_DOT_BUDGET`].
pub fn dot_budget(budget: u32) -> Result<u32, BoardError> {
    if (1..=MAX_DOT_BUDGET).contains(&budget) {
        Ok(budget)
    } else {
        Err(BoardError::Invalid(FieldError {
            field: "dot_budget",
            problem: Problem::OutOfRange,
        }))
    }
}

/// Whether one more dot fits: `spent` dots already placed on this item.
pub fn check_dot_budget(spent: u32, budget: u32) -> Result<(), BoardError> {
    if spent >= budget {
        Err(BoardError::DotBudgetSpent { budget })
    } else {
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BoardError {
    #[error("only the facilitator may do this")]
    NotFacilitator,
    #[error("you are not a participant of this workshop")]
    NotInWorkshop,
    #[error("this agenda item is not open")]
    ItemNotOpen,
    #[error("the {} stage takes no notes", .0.as_str())]
    StageTakesNoNotes(Stage),
    #[error("dots are placed in the voting stage only")]
    StageTakesNoDots,
    #[error("you have placed all your {budget} dots on this item")]
    DotBudgetSpent { budget: u32 },
    #[error("this agenda item does not use the {} stage", .0.as_str())]
    StageNotInPlan(Stage),
    #[error("the board moves forward only; {} is not after the current stage", .0.as_str())]
    StageBackwards(Stage),
    #[error("notes can be grouped and merged once everyone sees them (plenum)")]
    NotInPlenum,
    #[error("people change tables only while no item is in the group stage")]
    TablesFixedInGroupStage,
    #[error("an agenda item uses at least one stage")]
    NoStages,
    #[error(transparent)]
    Invalid(FieldError),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Viewer;
    use proptest::prelude::*;

    fn open_full() -> ItemBoard {
        ItemBoard::waiting(StagePlan::full()).open()
    }

    #[test]
    fn an_item_starts_at_its_first_stage_and_moves_forward_only() {
        let board =
            ItemBoard::waiting(StagePlan::new(vec![Stage::Plenum, Stage::Individual]).unwrap());
        assert_eq!(board.stage_for_note(), Err(BoardError::ItemNotOpen));
        let open = board.open();
        assert_eq!(open.stage, Some(Stage::Individual));
        assert_eq!(open.next_stage(), Some(Stage::Plenum));
        assert_eq!(
            open.move_to(Stage::Group),
            Err(BoardError::StageNotInPlan(Stage::Group))
        );
        let plenum = open.move_to(Stage::Plenum).unwrap();
        assert_eq!(
            plenum.move_to(Stage::Individual),
            Err(BoardError::StageBackwards(Stage::Individual))
        );
        assert_eq!(
            plenum.move_to(Stage::Plenum),
            Err(BoardError::StageBackwards(Stage::Plenum))
        );
        assert_eq!(plenum.next_stage(), None);
    }

    #[test]
    fn a_closed_item_takes_nothing_and_keeps_its_stage_when_opened_again() {
        let closed = open_full().move_to(Stage::Group).unwrap().close();
        assert_eq!(closed.stage_for_note(), Err(BoardError::ItemNotOpen));
        assert_eq!(closed.check_dots_allowed(), Err(BoardError::ItemNotOpen));
        assert_eq!(closed.move_to(Stage::Plenum), Err(BoardError::ItemNotOpen));
        assert_eq!(closed.open().stage, Some(Stage::Group));
    }

    #[test]
    fn voting_takes_dots_and_no_notes_and_the_others_the_opposite() {
        let voting = open_full().move_to(Stage::Voting).unwrap();
        assert_eq!(
            voting.stage_for_note(),
            Err(BoardError::StageTakesNoNotes(Stage::Voting))
        );
        assert_eq!(voting.check_dots_allowed(), Ok(()));
        let plenum = open_full().move_to(Stage::Plenum).unwrap();
        assert_eq!(plenum.stage_for_note(), Ok(Stage::Plenum));
        assert_eq!(
            plenum.check_dots_allowed(),
            Err(BoardError::StageTakesNoDots)
        );
    }

    #[test]
    fn notes_are_arranged_only_when_everyone_sees_them() {
        assert_eq!(
            open_full().check_arranging_allowed(),
            Err(BoardError::NotInPlenum)
        );
        let group = open_full().move_to(Stage::Group).unwrap();
        assert_eq!(
            group.check_arranging_allowed(),
            Err(BoardError::NotInPlenum)
        );
        assert!(
            group
                .move_to(Stage::Plenum)
                .unwrap()
                .check_arranging_allowed()
                .is_ok()
        );
    }

    #[test]
    fn each_stage_has_its_audience() {
        let writer = PersonId::new();
        let table = BoardTableId::new();
        assert_eq!(
            note_audience(Stage::Individual, writer, Some(table)),
            EventAudience::Person(writer)
        );
        assert_eq!(
            note_audience(Stage::Group, writer, Some(table)),
            EventAudience::Table(table)
        );
        assert_eq!(
            note_audience(Stage::Group, writer, None),
            EventAudience::Person(writer)
        );
        assert_eq!(
            note_audience(Stage::Plenum, writer, None),
            EventAudience::Everyone
        );
    }

    #[test]
    fn participants_write_and_dot_and_only_facilitators_run_the_board() {
        for action in BoardAction::ALL {
            assert_eq!(may(Some(BoardRole::Facilitator), action), Ok(()));
            assert_eq!(may(None, action), Err(BoardError::NotInWorkshop));
            let participant = may(Some(BoardRole::Participant), action);
            if matches!(action, BoardAction::PostNote | BoardAction::PlaceDot) {
                assert_eq!(participant, Ok(()));
            } else {
                assert_eq!(participant, Err(BoardError::NotFacilitator));
            }
        }
    }

    #[test]
    fn notes_have_a_size_limit_and_dots_a_budget() {
        assert!(note_body("  Fleire benker langs gangvegen  ").is_ok());
        assert!(matches!(note_body("   "), Err(BoardError::Invalid(_))));
        assert!(note_body(&"å".repeat(NOTE_MAX_CHARS)).is_ok());
        assert!(matches!(
            note_body(&"å".repeat(NOTE_MAX_CHARS + 1)),
            Err(BoardError::Invalid(_))
        ));
        assert_eq!(check_dot_budget(2, 3), Ok(()));
        assert_eq!(
            check_dot_budget(3, 3),
            Err(BoardError::DotBudgetSpent { budget: 3 })
        );
        assert!(dot_budget(0).is_err());
        assert!(dot_budget(MAX_DOT_BUDGET + 1).is_err());
    }

    #[test]
    fn stage_plans_round_trip_as_text_and_refuse_nothing_or_garbage() {
        let plan =
            StagePlan::new(vec![Stage::Voting, Stage::Individual, Stage::Individual]).unwrap();
        assert_eq!(plan.to_text(), "individual,voting");
        assert_eq!(StagePlan::parse(&plan.to_text()), Ok(plan));
        assert_eq!(StagePlan::parse(""), Err(BoardError::NoStages));
        assert_eq!(
            StagePlan::parse("individual,dancing"),
            Err(BoardError::NoStages)
        );
    }

    fn stage() -> impl Strategy<Value = Stage> {
        prop::sample::select(Stage::ALL.to_vec())
    }

    proptest! {
        /// Whatever the facilitator does, a note once seen by someone stays seen by
        /// them, and before the group stage nobody but its writer sees it.
        #[test]
        fn visibility_only_grows_and_individual_notes_stay_private(
            plan in prop::collection::vec(stage(), 1..5),
            moves in prop::collection::vec(prop::option::of(stage()), 0..12),
            writer_has_table in any::<bool>(),
        ) {
            let writer = PersonId::new();
            let table = BoardTableId::new();
            let writers_table = writer_has_table.then_some(table);
            let viewers = [
                // A note's table is the one its writer sat at when writing it.
                Viewer { person: Some(writer), tables: writers_table.into_iter().collect(), every_table: false },
                Viewer { person: Some(PersonId::new()), tables: vec![table], every_table: false },
                Viewer { person: Some(PersonId::new()), tables: vec![BoardTableId::new()], every_table: false },
                Viewer { person: None, tables: vec![], every_table: true },
            ];
            let mut board = ItemBoard::waiting(StagePlan::new(plan).unwrap()).open();
            let mut seen: Vec<bool> = viewers.iter().map(|v| v.sees(&board.audience_of(writer, writers_table))).collect();
            for step in moves {
                board = match step {
                    Some(target) => board.move_to(target).unwrap_or(board),
                    None => board.close().open(),
                };
                let audience = board.audience_of(writer, writers_table);
                for (viewer, was_seen) in viewers.iter().zip(seen.iter_mut()) {
                    let sees = viewer.sees(&audience);
                    prop_assert!(sees || !*was_seen, "a note was hidden again");
                    if board.stage < Some(Stage::Group) && viewer.person != Some(writer) {
                        prop_assert!(!sees, "a note was shown before the group stage");
                    }
                    *was_seen = sees;
                }
            }
        }

        /// However dots are placed and taken back, nobody holds more than the budget.
        #[test]
        fn dots_never_exceed_the_budget(budget in 1..=MAX_DOT_BUDGET, placements in prop::collection::vec(any::<bool>(), 0..60)) {
            let mut spent = 0;
            for place in placements {
                if place {
                    if check_dot_budget(spent, budget).is_ok() {
                        spent += 1;
                    }
                } else {
                    spent = spent.saturating_sub(1);
                }
                prop_assert!(spent <= budget);
            }
        }
    }
}
