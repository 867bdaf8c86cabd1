//! Comments on sections: posting, support, edits, deletion, reports, moderation and screening.

pub(crate) mod api;
pub(crate) mod lifecycle;
pub(crate) mod pages;
pub(crate) mod views;
