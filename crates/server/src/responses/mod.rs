//! Official responses (høyringssvar) with their attachments, versions and receipts.

pub(crate) mod api;
pub(crate) mod attachments;
pub(crate) mod pages;
