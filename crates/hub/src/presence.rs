//! Presence: who is reading which section of a document, per room.
//!
//! Presence is subscription state, not a stored change: a connection that follows a
//! document room may say which section it reads (`focus`), and everyone in the room
//! sees how many read each section, with the names of those who are shown by name.
//! Nothing here touches the database, and everything a connection put here goes when
//! it unsubscribes or closes.

use domain::SectionId;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};

/// At most this many distinct sections are tracked per room; a focus on another
/// section beyond it is refused (a document has far fewer sections than this).
pub const MAX_SECTIONS_PER_ROOM: usize = 256;
/// At most this many names are listed per section; the count is always complete.
pub const MAX_NAMES_PER_SECTION: usize = 10;
/// Names longer than this are cut, so one connection cannot blow up every message.
pub const MAX_NAME_CHARS: usize = 80;

/// Identifies one websocket connection inside the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ConnectionId(pub u64);

/// One section's readers, as sent to clients.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionPresence {
    pub section: SectionId,
    /// Connections reading the section (the public included).
    pub count: usize,
    /// The names of those shown by name, sorted, without repeats.
    pub names: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FocusError {
    #[error("subscribe to the room before saying what you read in it")]
    NotSubscribed,
    #[error("presence is kept for document rooms only")]
    NotADocument,
    #[error("too many sections are being read in this room (at most {0})")]
    TooManySections(usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Reader {
    section: SectionId,
    name: Option<String>,
}

/// The presence of one room: which connection reads which section.
#[derive(Debug, Default, Clone)]
pub struct RoomPresence {
    readers: HashMap<ConnectionId, Reader>,
}

impl RoomPresence {
    /// Sets (or with `None` clears) what `connection` reads. Returns whether anything
    /// changed.
    pub fn focus(
        &mut self,
        connection: ConnectionId,
        section: Option<SectionId>,
        name: Option<&str>,
    ) -> Result<bool, FocusError> {
        let Some(section) = section else {
            return Ok(self.leave(connection));
        };
        let reader = Reader {
            section,
            name: name
                .map(|n| n.trim().chars().take(MAX_NAME_CHARS).collect::<String>())
                .filter(|n| !n.is_empty()),
        };
        if self.readers.get(&connection) == Some(&reader) {
            return Ok(false);
        }
        // Moving away from a section this connection alone read frees its place.
        let previous = self.readers.remove(&connection);
        let known = self.readers.values().any(|r| r.section == section);
        if !known && self.section_count() >= MAX_SECTIONS_PER_ROOM {
            if let Some(previous) = previous {
                self.readers.insert(connection, previous);
            }
            return Err(FocusError::TooManySections(MAX_SECTIONS_PER_ROOM));
        }
        self.readers.insert(connection, reader);
        Ok(true)
    }

    /// Forgets `connection`; returns whether it was reading anything.
    pub fn leave(&mut self, connection: ConnectionId) -> bool {
        self.readers.remove(&connection).is_some()
    }

    pub fn is_empty(&self) -> bool {
        self.readers.is_empty()
    }

    /// Distinct sections being read.
    pub fn section_count(&self) -> usize {
        let mut sections: Vec<SectionId> = self.readers.values().map(|r| r.section).collect();
        sections.sort_unstable();
        sections.dedup();
        sections.len()
    }

    /// Every section being read, in a stable order, with its count and names.
    pub fn sections(&self) -> Vec<SectionPresence> {
        let mut by_section: BTreeMap<SectionId, (usize, Vec<String>)> = BTreeMap::new();
        for reader in self.readers.values() {
            let entry = by_section.entry(reader.section).or_default();
            entry.0 += 1;
            if let Some(name) = &reader.name {
                entry.1.push(name.clone());
            }
        }
        by_section
            .into_iter()
            .map(|(section, (count, mut names))| {
                names.sort();
                names.dedup();
                names.truncate(MAX_NAMES_PER_SECTION);
                SectionPresence {
                    section,
                    count,
                    names,
                }
            })
            .collect()
    }
}

/// Presence of one room as several processes see it: counts added up, names
/// merged (sorted, without repeats, bounded), sections in a stable order.
pub fn merge(lists: impl IntoIterator<Item = Vec<SectionPresence>>) -> Vec<SectionPresence> {
    let mut by_section: BTreeMap<SectionId, (usize, Vec<String>)> = BTreeMap::new();
    for list in lists {
        for section in list {
            let entry = by_section.entry(section.section).or_default();
            entry.0 += section.count;
            entry.1.extend(section.names);
        }
    }
    by_section
        .into_iter()
        .take(MAX_SECTIONS_PER_ROOM)
        .map(|(section, (count, mut names))| {
            names.sort();
            names.dedup();
            names.truncate(MAX_NAMES_PER_SECTION);
            SectionPresence {
                section,
                count,
                names,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(n: u64) -> Vec<ConnectionId> {
        (1..=n).map(ConnectionId).collect()
    }

    #[test]
    fn presence_of_several_processes_adds_up() {
        let shared = SectionId::new();
        let only_b = SectionId::new();
        let here = vec![SectionPresence {
            section: shared,
            count: 2,
            names: vec!["Kari".into()],
        }];
        let there = vec![
            SectionPresence {
                section: shared,
                count: 1,
                names: vec!["Kari".into(), "Ola".into()],
            },
            SectionPresence {
                section: only_b,
                count: 1,
                names: vec![],
            },
        ];
        let merged = merge([here.clone(), there]);
        let shared_now = merged.iter().find(|s| s.section == shared).expect("shared");
        assert_eq!(shared_now.count, 3);
        assert_eq!(shared_now.names, vec!["Kari".to_owned(), "Ola".to_owned()]);
        assert_eq!(merged.len(), 2);
        assert_eq!(merge([here.clone()]), here);
        assert!(merge(Vec::<Vec<SectionPresence>>::new()).is_empty());
    }

    #[test]
    fn counts_everyone_and_names_only_those_with_a_name() {
        let [a, b, c] = ids(3)[..] else {
            unreachable!()
        };
        let intro = SectionId::new();
        let roles = SectionId::new();
        let mut room = RoomPresence::default();
        assert_eq!(room.focus(a, Some(intro), Some("Kari")), Ok(true));
        assert_eq!(room.focus(b, Some(intro), None), Ok(true));
        assert_eq!(room.focus(c, Some(roles), Some("Ola")), Ok(true));
        let mut expected = vec![
            SectionPresence {
                section: intro,
                count: 2,
                names: vec!["Kari".into()],
            },
            SectionPresence {
                section: roles,
                count: 1,
                names: vec!["Ola".into()],
            },
        ];
        expected.sort_by_key(|s| s.section);
        assert_eq!(room.sections(), expected);
    }

    #[test]
    fn moving_repeating_and_leaving() {
        let [a, b] = ids(2)[..] else { unreachable!() };
        let first = SectionId::new();
        let second = SectionId::new();
        let mut room = RoomPresence::default();
        assert_eq!(room.focus(a, Some(first), Some("Kari")), Ok(true));
        // The same focus again changes nothing, so nothing needs to be sent.
        assert_eq!(room.focus(a, Some(first), Some("Kari")), Ok(false));
        // Moving on leaves the first section.
        assert_eq!(room.focus(a, Some(second), Some("Kari")), Ok(true));
        assert_eq!(room.sections().len(), 1);
        assert_eq!(room.sections()[0].section, second);
        // Clearing the focus and leaving remove the reader.
        assert_eq!(room.focus(b, Some(second), None), Ok(true));
        assert_eq!(room.focus(a, None, None), Ok(true));
        assert_eq!(room.sections()[0].count, 1);
        assert!(room.leave(b));
        assert!(!room.leave(b));
        assert!(room.is_empty());
        assert!(room.sections().is_empty());
    }

    #[test]
    fn one_person_in_two_tabs_is_named_once_but_counted_twice() {
        let [a, b] = ids(2)[..] else { unreachable!() };
        let section = SectionId::new();
        let mut room = RoomPresence::default();
        room.focus(a, Some(section), Some("Kari")).expect("focus");
        room.focus(b, Some(section), Some(" Kari ")).expect("focus");
        assert_eq!(room.sections()[0].count, 2);
        assert_eq!(room.sections()[0].names, vec!["Kari".to_owned()]);
    }

    #[test]
    fn sections_names_and_name_lengths_are_bounded() {
        let mut room = RoomPresence::default();
        let connections = ids(MAX_SECTIONS_PER_ROOM as u64 + 1);
        let sections: Vec<SectionId> = (0..MAX_SECTIONS_PER_ROOM)
            .map(|_| SectionId::new())
            .collect();
        for (id, section) in connections.iter().zip(&sections) {
            room.focus(*id, Some(*section), None)
                .expect("room for more");
        }
        let last = connections[MAX_SECTIONS_PER_ROOM];
        assert_eq!(
            room.focus(last, Some(SectionId::new()), None),
            Err(FocusError::TooManySections(MAX_SECTIONS_PER_ROOM))
        );
        // A section someone already reads can still be joined.
        assert_eq!(room.focus(last, Some(sections[0]), None), Ok(true));
        assert_eq!(room.section_count(), MAX_SECTIONS_PER_ROOM);
        // Someone alone on a section may move to a new one: the count stays the same.
        let alone = connections[MAX_SECTIONS_PER_ROOM - 1];
        assert_eq!(room.focus(alone, Some(SectionId::new()), None), Ok(true));
        assert_eq!(room.section_count(), MAX_SECTIONS_PER_ROOM);

        let mut room = RoomPresence::default();
        let section = SectionId::new();
        for (n, id) in ids(MAX_NAMES_PER_SECTION as u64 + 5)
            .into_iter()
            .enumerate()
        {
            let name = format!("Person {n:02} {}", "x".repeat(200));
            room.focus(id, Some(section), Some(&name)).expect("focus");
        }
        let listed = &room.sections()[0];
        assert_eq!(listed.count, MAX_NAMES_PER_SECTION + 5);
        assert_eq!(listed.names.len(), MAX_NAMES_PER_SECTION);
        assert!(
            listed
                .names
                .iter()
                .all(|n| n.chars().count() == MAX_NAME_CHARS)
        );
    }
}
