//! The core domain of Samråd: types, rules and policies with no I/O.
//!
//! Invariant: this crate depends on no other workspace crate and never on
//! axum, sea-orm, tokio or lettre (enforced by `tests/tests/architecture.rs`).

pub mod anchor;
pub mod assessment;
pub mod audit;
pub mod deadline;
pub mod digest;
pub mod email;
pub mod event;
pub mod group;
pub mod hearing;
pub mod hearing_notice;
pub mod ids;
pub mod invitation;
pub mod lang;
pub mod moderation;
pub mod organisation;
pub mod outline;
pub mod person;
pub mod plan;
pub mod policy;
pub mod privacy;
pub mod reminder;
pub mod response;
pub mod room;
pub mod roster;
pub mod search;
pub mod unsubscribe;
pub mod validate;
pub mod version;
pub mod workbench;
pub mod workshop;
pub mod workshop_board;

pub use ids::*;
pub use lang::Lang;
