//! Organisations that answer hearings: user organisations, volunteers, businesses,
//! public bodies, councils and unions. A municipality keeps its own register.

use crate::ids::*;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrganisationKind {
    UserOrganisation,
    Volunteer,
    Business,
    PublicBody,
    Council,
    Union,
}

impl OrganisationKind {
    pub const ALL: [OrganisationKind; 6] = [
        OrganisationKind::UserOrganisation,
        OrganisationKind::Volunteer,
        OrganisationKind::Business,
        OrganisationKind::PublicBody,
        OrganisationKind::Council,
        OrganisationKind::Union,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::UserOrganisation => "user_organisation",
            OrganisationKind::Volunteer => "volunteer",
            OrganisationKind::Business => "business",
            OrganisationKind::PublicBody => "public_body",
            OrganisationKind::Council => "council",
            OrganisationKind::Union => "union",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Organisation {
    pub id: OrganisationId,
    pub municipality_id: MunicipalityId,
    pub name: String,
    pub kind: OrganisationKind,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for kind in OrganisationKind::ALL {
            assert_eq!(OrganisationKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(OrganisationKind::parse("club"), None);
    }
}
