//! Groups, memberships, invitations and the member roster.

pub(crate) mod api;
pub(crate) mod invitations;
pub(crate) mod membership;
pub(crate) mod workbench;
