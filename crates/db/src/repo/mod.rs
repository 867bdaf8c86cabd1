//! Hand-written repositories: `impl Db` blocks grouped by aggregate.

pub mod comments;
pub mod documents;
pub mod events;
pub mod groups;
pub mod hearings;
pub mod imports;
pub mod invitations;
pub mod memberships;
pub mod milestones;
pub mod municipalities;
pub mod organisations;
pub mod outbox;
pub mod people;
pub mod plans;
pub mod responses;
pub mod tokens;

use crate::DbError;

pub(crate) fn parse_enum<T>(
    value: &str,
    parse: fn(&str) -> Option<T>,
    what: &str,
) -> Result<T, DbError> {
    parse(value).ok_or_else(|| DbError::Corrupt(format!("unknown {what} {value:?}")))
}
