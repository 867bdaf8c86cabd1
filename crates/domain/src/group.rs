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

/// What a member is in a group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Member,
    Chair,
    /// Speaks for an organisation and may give its official response.
    OrganisationRepresentative,
}

impl MemberRole {
    pub const ALL: [MemberRole; 3] = [
        MemberRole::Member,
        MemberRole::Chair,
        MemberRole::OrganisationRepresentative,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            MemberRole::Member => "member",
            MemberRole::Chair => "chair",
            MemberRole::OrganisationRepresentative => "organisation_representative",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The code, or the word a planner would write in a spreadsheet (nn, nb, en).
    pub fn parse_loose(s: &str) -> Option<Self> {
        let s = s.trim().to_lowercase();
        if s.is_empty() {
            return Some(MemberRole::Member);
        }
        Self::parse(&s).or(match s.as_str() {
            "medlem" => Some(MemberRole::Member),
            "leiar" | "leder" | "leiar/leder" => Some(MemberRole::Chair),
            "representant" | "representative" | "organisasjonsrepresentant" => {
                Some(MemberRole::OrganisationRepresentative)
            }
            _ => None,
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Membership {
    pub id: MembershipId,
    pub group_id: GroupId,
    pub person_id: PersonId,
    pub role: MemberRole,
    pub organisation_id: Option<OrganisationId>,
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
        for role in MemberRole::ALL {
            assert_eq!(MemberRole::parse(role.as_str()), Some(role));
            assert_eq!(MemberRole::parse_loose(role.as_str()), Some(role));
        }
        assert_eq!(MemberRole::parse_loose(" Leiar "), Some(MemberRole::Chair));
        assert_eq!(MemberRole::parse_loose(""), Some(MemberRole::Member));
        assert_eq!(MemberRole::parse_loose("boss"), None);
    }
}
