//! Plans and their milestones.

pub(crate) mod api;
