//! Documents: import, versions, editing and comparison.

pub(crate) mod api;
pub(crate) mod workbench;
