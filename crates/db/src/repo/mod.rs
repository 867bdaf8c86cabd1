//! Hand-written repositories: `impl Db` blocks grouped by aggregate.

pub mod assessments;
pub mod audit;
pub mod comments;
pub mod digests;
pub mod documents;
pub mod email_preferences;
pub mod events;
pub mod external_sign_in;
pub mod groups;
pub mod hearing_notices;
pub mod hearings;
pub mod imports;
pub mod invitations;
pub mod letters;
pub mod live_state;
pub mod memberships;
pub mod milestones;
pub mod moderation;
pub mod municipalities;
pub mod organisations;
pub mod outbox;
pub mod people;
pub mod plans;
pub mod privacy;
pub mod register;
pub mod reminders;
pub mod responses;
pub mod stored_files;
pub mod suggestions;
pub mod tokens;
pub mod workbench;
pub mod workshop_board;
pub mod workshops;

use crate::DbError;

pub(crate) fn parse_enum<T>(
    value: &str,
    parse: fn(&str) -> Option<T>,
    what: &str,
) -> Result<T, DbError> {
    parse(value).ok_or_else(|| DbError::Corrupt(format!("unknown {what} {value:?}")))
}

/// `LOWER(column) = value`: addresses are compared without regard to case.
pub(crate) fn same_address(
    column: impl sea_orm::sea_query::IntoColumnRef,
    email: &str,
) -> sea_orm::sea_query::SimpleExpr {
    use sea_orm::sea_query::{Expr, ExprTrait, Func};
    Expr::expr(Func::lower(Expr::col(column))).eq(domain::person::normalise_email(email))
}
