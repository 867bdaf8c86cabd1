//! Rooms of the websocket hub: the things a client can follow live.

use crate::ids::*;
use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Room {
    Document(DocumentId),
    Hearing(HearingId),
    Plan(PlanId),
    Workshop(WorkshopId),
}

impl fmt::Display for Room {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Room::Document(id) => write!(f, "document:{id}"),
            Room::Hearing(id) => write!(f, "hearing:{id}"),
            Room::Plan(id) => write!(f, "plan:{id}"),
            Room::Workshop(id) => write!(f, "workshop:{id}"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown room {0:?}: expected document:<uuid>, hearing:<uuid>, plan:<uuid> or workshop:<uuid>"
)]
pub struct RoomParseError(pub String);

impl FromStr for Room {
    type Err = RoomParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || RoomParseError(s.chars().take(80).collect());
        let (kind, id) = s.split_once(':').ok_or_else(err)?;
        match kind {
            "document" => id.parse().map(Room::Document).map_err(|_| err()),
            "hearing" => id.parse().map(Room::Hearing).map_err(|_| err()),
            "plan" => id.parse().map(Room::Plan).map_err(|_| err()),
            "workshop" => id.parse().map(Room::Workshop).map_err(|_| err()),
            _ => Err(err()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rooms_round_trip_and_reject_garbage() {
        let room = Room::Document(DocumentId::new());
        assert_eq!(room.to_string().parse::<Room>(), Ok(room));
        assert!("document:not-a-uuid".parse::<Room>().is_err());
        assert!("workshop".parse::<Room>().is_err());
    }
}
