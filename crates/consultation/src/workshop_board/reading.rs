//! What the board pages and the board API show: the agenda with each item's stage,
//! and only the notes the reader may see at that stage.

use super::{BoardContext, BoardUseError};
use crate::Consultation;
use db::{BoardTable, StoredNote};
use domain::event::{EventAudience, Viewer};
use domain::policy::Actor;
use domain::workshop::{AgendaItem, Workshop};
use domain::workshop_board::{BoardRole, ItemBoard};
use domain::{AgendaItemId, BoardNoteId, WorkshopId};
use std::collections::HashMap;

/// One agenda item on the board.
#[derive(Debug, Clone)]
pub struct BoardItem {
    pub item: AgendaItem,
    pub board: ItemBoard,
    /// The notes the reader sees now (merged-away notes left out), oldest first.
    pub notes: Vec<VisibleNote>,
}

#[derive(Debug, Clone)]
pub struct VisibleNote {
    pub note: StoredNote,
    /// Who sees it now: the page says "only you" or "your table" beside it.
    pub audience: EventAudience,
    /// The reader wrote it.
    pub mine: bool,
    /// Dots the reader placed on it.
    pub my_dots: u32,
}

/// The board as one reader sees it.
#[derive(Debug, Clone)]
pub struct BoardView {
    pub workshop: Workshop,
    pub role: Option<BoardRole>,
    pub current_item: Option<AgendaItemId>,
    pub dot_budget: u32,
    pub items: Vec<BoardItem>,
    pub tables: Vec<BoardTable>,
    /// The reader's table, if seated.
    pub my_table: Option<domain::BoardTableId>,
    pub minutes: String,
    /// The minutes as sanitised HTML.
    pub minutes_html: String,
    /// The latest event of the workshop's room, to resume live updates from.
    pub seq: i64,
}

impl BoardView {
    pub fn current(&self) -> Option<&BoardItem> {
        let current = self.current_item?;
        self.items.iter().find(|i| i.item.id == current)
    }

    pub fn is_facilitator(&self) -> bool {
        self.role == Some(BoardRole::Facilitator)
    }

    /// Dots the reader has left on an item.
    pub fn dots_left(&self, item: &BoardItem) -> u32 {
        let spent: u32 = item.notes.iter().map(|n| n.my_dots).sum();
        self.dot_budget.saturating_sub(spent)
    }
}

impl Consultation {
    /// The board as `actor` sees it. With `projector`, only what everyone sees (the
    /// large-screen view shows nothing private even when a facilitator opens it).
    pub async fn board_view(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
        projector: bool,
    ) -> Result<BoardView, BoardUseError> {
        let context = self.board_context(actor, workshop).await?;
        let seq = self
            .db()
            .last_seq(domain::room::Room::Workshop(workshop))
            .await?;
        let notes = self.db().board_notes(workshop).await?;
        let my_dots: HashMap<BoardNoteId, u32> = match context.person {
            Some(person) if !projector => self.db().board_dots_of(workshop, person).await?,
            _ => HashMap::new(),
        };
        let viewer = if projector {
            Viewer::anyone()
        } else {
            context.viewer()
        };
        Ok(view(context, notes, &my_dots, &viewer, seq))
    }
}

fn view(
    context: BoardContext,
    notes: Vec<StoredNote>,
    my_dots: &HashMap<BoardNoteId, u32>,
    viewer: &Viewer,
    seq: i64,
) -> BoardView {
    let BoardContext {
        workshop,
        state,
        role,
        person,
    } = context;
    let items = workshop
        .agenda
        .iter()
        .map(|item| {
            let board = state.item(item.id, super::board_plan(&item.stages));
            let notes = notes
                .iter()
                .filter(|n| n.item_id == item.id && n.merged_into.is_none())
                .filter_map(|n| {
                    let audience = n.audience_at(board.stage.unwrap_or(n.stage));
                    viewer.sees(&audience).then(|| VisibleNote {
                        note: n.clone(),
                        audience,
                        mine: person.is_some() && n.writer_id == person,
                        my_dots: my_dots.get(&n.id).copied().unwrap_or(0),
                    })
                })
                .collect();
            BoardItem {
                item: item.clone(),
                board,
                notes,
            }
        })
        .collect();
    let my_table = person.and_then(|p| state.table_of(p));
    BoardView {
        role,
        current_item: state.current_item,
        dot_budget: state.dot_budget,
        items,
        my_table,
        minutes_html: markup::markdown_to_html(&state.minutes),
        minutes: state.minutes,
        tables: state.tables,
        workshop,
        seq,
    }
}

/// Someone the facilitator can seat or name a facilitator: a member of an invited
/// group, or a facilitator already named.
#[derive(Debug, Clone)]
pub struct BoardPerson {
    pub person: domain::person::Person,
    pub organisation: Option<String>,
    /// The table they sit at, if any.
    pub table: Option<domain::BoardTableId>,
    pub facilitator: bool,
}

impl Consultation {
    /// The workshop's people as the facilitator arranges them: the members of the
    /// invited groups and the named facilitators, by name. Facilitators only.
    pub async fn board_people(
        &self,
        actor: &Actor,
        workshop: WorkshopId,
    ) -> Result<Vec<BoardPerson>, BoardUseError> {
        let context = self.board_context(actor, workshop).await?;
        context.may(domain::workshop_board::BoardAction::AssignTables)?;
        let mut people: std::collections::BTreeMap<domain::PersonId, BoardPerson> =
            std::collections::BTreeMap::new();
        for group in &context.workshop.groups {
            for member in self.db().members(*group).await? {
                // Forgotten people have no name and no address: nobody to seat.
                if member.person.email.is_empty() || member.person.name.is_empty() {
                    continue;
                }
                let id = member.person.id;
                people.entry(id).or_insert(BoardPerson {
                    table: context.state.table_of(id),
                    facilitator: context.state.facilitators.contains(&id),
                    organisation: member.organisation,
                    person: member.person,
                });
            }
        }
        for id in &context.state.facilitators {
            if people.contains_key(id) {
                continue;
            }
            let person = self.db().person(*id).await?;
            people.insert(
                *id,
                BoardPerson {
                    table: context.state.table_of(*id),
                    facilitator: true,
                    organisation: None,
                    person,
                },
            );
        }
        let mut people: Vec<BoardPerson> = people.into_values().collect();
        people.sort_by(|a, b| a.person.name.cmp(&b.person.name));
        Ok(people)
    }
}
