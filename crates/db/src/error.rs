use sea_orm::{DbErr, RuntimeErr, SqlErr};

#[derive(Debug, Clone, thiserror::Error)]
pub enum DbError {
    #[error("not found")]
    NotFound,
    /// A unique constraint was violated: the thing exists already.
    #[error("conflict: {0}")]
    Conflict(String),
    /// The database cannot be reached or refused the connection.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// Stored data that does not match the domain (a bug or a manual edit).
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error("database error: {0}")]
    Other(String),
}

impl From<DbErr> for DbError {
    fn from(err: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(detail)) = err.sql_err() {
            return DbError::Conflict(detail);
        }
        match err {
            DbErr::RecordNotFound(_) => DbError::NotFound,
            DbErr::Conn(_) | DbErr::ConnectionAcquire(_) => DbError::Unavailable(describe(&err)),
            other => DbError::Other(describe(&other)),
        }
    }
}

/// One line, without the URL (which may hold a password).
pub(crate) fn describe(err: &DbErr) -> String {
    let text = match err {
        DbErr::Conn(RuntimeErr::SqlxError(e)) => e.to_string(),
        other => other.to_string(),
    };
    let line = text.lines().next().unwrap_or_default();
    if line.contains("pool timed out") {
        // What sqlx says when the server never answered.
        return "no answer from the database server; check the URL and that the server is running"
            .to_owned();
    }
    line.to_owned()
}
