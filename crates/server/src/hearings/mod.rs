//! Hearings: the public hearing page, the planner's hearing pages, the API and deadline reports.

pub(crate) mod api;
pub(crate) mod deadline;
pub(crate) mod pages;
pub(crate) mod workbench;
