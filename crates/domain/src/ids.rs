//! Typed identifiers, so a plan id can never be passed where a hearing id is meant.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! id_type {
    ($($name:ident),* $(,)?) => {$(
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub Uuid);

        impl $name {
            /// Time-ordered ids keep inserts local in B-tree indexes.
            pub fn new() -> Self {
                Self(Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }

        impl From<Uuid> for $name {
            fn from(id: Uuid) -> Self {
                Self(id)
            }
        }
    )*};
}

id_type!(
    MunicipalityId,
    PlanId,
    DocumentId,
    DocumentVersionId,
    SectionId,
    HearingId,
    CommentId,
    OutboxJobId,
    ApiTokenId,
    GroupId,
    PersonId,
    SessionId,
    MilestoneId,
    OrganisationId,
    MembershipId,
    InvitationId,
    ResponseId,
    ResponseVersionId,
    AttachmentId,
    LetterId,
    InputId,
    ThemeId,
    WorkshopId,
    AgendaItemId,
);

// The live board of a workshop.
id_type!(BoardNoteId, BoardTableId);
