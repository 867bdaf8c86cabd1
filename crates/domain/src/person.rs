//! People and the roles they hold in a municipality.

use crate::Lang;
use crate::ids::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub id: PersonId,
    /// Lower-cased; one person per address.
    pub email: String,
    pub name: String,
    pub lang: Lang,
}

/// A role on the municipality's staff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Administrator,
    Planner,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Administrator => "administrator",
            StaffRole::Planner => "planner",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "administrator" => Some(StaffRole::Administrator),
            "planner" => Some(StaffRole::Planner),
            _ => None,
        }
    }
}

/// Email addresses are compared without regard to case.
pub fn normalise_email(email: &str) -> String {
    email.trim().to_lowercase()
}
