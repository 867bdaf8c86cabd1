//! The websocket endpoint and the event history it resumes from.

pub(crate) mod history;
pub(crate) mod ws;
