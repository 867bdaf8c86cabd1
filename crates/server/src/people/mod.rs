//! A person's own page, confirming input given without an account, export and deletion.

pub(crate) mod api;
pub(crate) mod pages;
