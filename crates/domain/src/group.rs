//! Groups attached to a plan: reference groups, councils, steering and working groups.

use crate::ids::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupKind {
    ReferenceGroup,
    ResourceGroup,
    ElderCouncil,
    DisabilityCouncil,
    YouthCouncil,
    SteeringGroup,
    ProjectGroup,
    WorkingGroup,
}

impl GroupKind {
    pub const ALL: [GroupKind; 8] = [
        GroupKind::ReferenceGroup,
        GroupKind::ResourceGroup,
        GroupKind::ElderCouncil,
        GroupKind::DisabilityCouncil,
        GroupKind::YouthCouncil,
        GroupKind::SteeringGroup,
        GroupKind::ProjectGroup,
        GroupKind::WorkingGroup,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GroupKind::ReferenceGroup => "reference_group",
            GroupKind::ResourceGroup => "resource_group",
            GroupKind::ElderCouncil => "elder_council",
            GroupKind::DisabilityCouncil => "disability_council",
            GroupKind::YouthCouncil => "youth_council",
            GroupKind::SteeringGroup => "steering_group",
            GroupKind::ProjectGroup => "project_group",
            GroupKind::WorkingGroup => "working_group",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    pub id: GroupId,
    pub plan_id: PlanId,
    pub kind: GroupKind,
    pub name: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in GroupKind::ALL {
            assert_eq!(GroupKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(GroupKind::parse("choir"), None);
    }
}
