//! Storage for Samråd on SQLite (embedded default) and PostgreSQL (production).
//!
//! Invariants: only this crate and `migrations` import sea-orm; entity models never
//! leave it (repositories return `domain` types); every write that must not be lost
//! is committed before the caller acknowledges it.

mod bus;
pub mod entities;
mod error;
pub mod password;
mod repo;
pub mod time;

pub use bus::{Announcement, EventAnnouncer, EventListener, Signal};
pub use error::DbError;
pub use repo::assessments::{AssessmentEdit, AssessmentWriteError, ChangedBy};
pub use repo::audit::{AuditEntry, AuditFilter, AuditRecord};
pub use repo::comments::{COMMENT_KEY_REUSED, CommentTarget, EarlierComment, OnCommit};
pub use repo::comments::{
    ConfirmLink, ConfirmedInputs, NewComment, OwnComment, PendingConfirmation, PostedComment,
    UnconfirmedAuthor,
};
pub use repo::digests::{
    DigestSectionRef, DigestSources, FollowRecord, NewInput, NoticeChoiceRecord, is_contact,
};
pub use repo::documents::{DocumentWithSections, NewDocument};
pub use repo::events::StoredEvent;
pub use repo::external_sign_in::{ExternalAccount, ExternalSignIn, ExternalSignInStarted};
pub use repo::hearings::{DraftHearingEdit, HearingChanged, NewHearing};
pub use repo::imports::{DraftPlace, DraftWarning, ImportDraft, NewImportDraft};
pub use repo::invitations::{
    InvitationWithPerson, InviteOutcome, InviteeOrganisation, NewInvitation,
};
pub use repo::letters::{NewLetter, SentLetterRecord};
pub use repo::live_state::LimitHit;
pub use repo::memberships::Member;
pub use repo::moderation::{
    CommentChange, ModerationEntry, QueuedComment, Report, ReportOutcome, anonymous_reporter_key,
};
pub use repo::outbox::{ClaimedJob, DeliveryFailure, OutboxDepth, OutboxStatus};
pub use repo::people::{IdleTimeout, NewSignInToken, SignedIn, TokenPurpose};
pub use repo::plans::NewPlan;
pub use repo::privacy::{
    Anonymised, ChangeRecord, ContactRecord, EmailRecord, InvitationRecord, LinkRecord,
    MembershipRecord, PersonData, PersonRecord, PlanRecord, SessionRecord, StaffRecord,
};
pub use repo::register::RegisterFilter;
pub use repo::reminders::Invitee;
pub use repo::responses::{NewAttachment, NewResponseVersion, SubmitError, SubmittedResponse};
pub use repo::stored_files::FileWriter;
pub use repo::suggestions::{
    NewSuggestion, StoredSuggestion, SuggestionHistoryLine, SuggestionRun, SuggestionWrite,
};
pub use repo::tokens::{ApiTokenInfo, NewApiToken, hash_token};
pub use repo::workbench::{AssigneeFilter, MoreFilters, unchanged_edit};
pub use repo::workshop_board::{
    BoardState, BoardTable, BoardWriteError, ItemChange, NewBoardNote, NoteConfirmation, StoredNote,
};
pub use repo::workshops::{AnswerOutcome, seats_taken};

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use std::time::Duration;

/// A handle to the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    /// Writes, and reads that belong to a write. On SQLite one connection, so writers
    /// never race for the lock.
    conn: DatabaseConnection,
    /// Reads outside a transaction. On SQLite a pool of its own beside the writer (in
    /// WAL mode readers never wait for the writer, nor it for them); on PostgreSQL
    /// the same pool as `conn`.
    read: DatabaseConnection,
    /// The queue of the task that stores comments with group commit; started on the
    /// first comment (and again if the runtime it ran on ended).
    comment_writer: std::sync::Arc<std::sync::Mutex<Option<repo::comments::CommentQueue>>>,
    url: SecretUrl,
}

/// Reader connections beside SQLite's one writer.
const SQLITE_READERS: u32 = 4;

/// The database URL, which may hold a password: never printed.
#[derive(Clone)]
struct SecretUrl(std::sync::Arc<str>);

impl SecretUrl {
    fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<database url>")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Db {
    /// Connects to `sqlite://path?mode=rwc` or `postgres://…`.
    ///
    /// SQLite gets WAL and `synchronous=FULL` so an acknowledged write survives a
    /// crash or power loss, one connection for writes, so writers never race for the
    /// lock, and a few more for reads beside it (a file database only: each
    /// connection to an in-memory database would see a database of its own).
    pub async fn connect(url: &str) -> Result<Db, DbError> {
        let sqlite = url.starts_with("sqlite:");
        let mut options = ConnectOptions::new(url.to_owned());
        options
            .connect_timeout(Duration::from_secs(5))
            .acquire_timeout(Duration::from_secs(5))
            .sqlx_logging(false);
        if sqlite {
            options.max_connections(1).map_sqlx_sqlite_opts(|o| {
                o.create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5))
            });
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            options.max_connections(16).min_connections(1);
        } else {
            return Err(DbError::Unavailable(
                "the database URL must start with sqlite: or postgres:".into(),
            ));
        }
        let conn = Database::connect(options)
            .await
            .map_err(|e| DbError::Unavailable(error::describe(&e)))?;
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        let read = if sqlite && !in_memory {
            let mut options = ConnectOptions::new(url.to_owned());
            options
                .connect_timeout(Duration::from_secs(5))
                .acquire_timeout(Duration::from_secs(5))
                .sqlx_logging(false)
                .max_connections(SQLITE_READERS)
                .min_connections(0)
                .map_sqlx_sqlite_opts(|o| {
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Full)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(5))
                });
            Database::connect(options)
                .await
                .map_err(|e| DbError::Unavailable(error::describe(&e)))?
        } else {
            conn.clone()
        };
        Ok(Db {
            conn,
            read,
            comment_writer: Default::default(),
            url: SecretUrl(url.into()),
        })
    }

    pub fn backend(&self) -> Backend {
        match self.conn.get_database_backend() {
            DbBackend::Sqlite => Backend::Sqlite,
            _ => Backend::Postgres,
        }
    }

    /// Applies every pending migration.
    pub async fn migrate(&self) -> Result<(), DbError> {
        Migrator::up(&self.conn, None)
            .await
            .map_err(DbError::from)?;
        self.optimize().await
    }

    /// Lets SQLite refresh its statistics of tables that grew or shrank much since
    /// they were last measured (`PRAGMA optimize`, each index sampled, so it stays
    /// quick). Its query planner needs them to choose well: with them, a search of
    /// the register reads the matching stems and looks the rows up by id, instead of
    /// walking every row of the plan. PostgreSQL keeps its own (autovacuum).
    pub async fn optimize(&self) -> Result<(), DbError> {
        if self.backend() == Backend::Sqlite {
            self.conn
                .execute_unprepared("PRAGMA analysis_limit = 1000")
                .await?;
            self.conn
                .execute_unprepared("PRAGMA optimize = 0x10002")
                .await?;
        }
        Ok(())
    }

    /// Migrations that exist in this binary but are not applied to the database.
    pub async fn pending_migrations(&self) -> Result<usize, DbError> {
        Ok(Migrator::get_pending_migrations(&self.conn).await?.len())
    }

    /// The names of the migrations this binary has that the database has not had.
    pub async fn pending_migration_names(&self) -> Result<Vec<String>, DbError> {
        Ok(Migrator::get_pending_migrations(&self.conn)
            .await?
            .iter()
            .map(|m| m.name().to_owned())
            .collect())
    }

    /// Writes a consistent copy of a SQLite database to `path` (`VACUUM INTO`: one
    /// read transaction, so writers carry on meanwhile and the copy is the database
    /// as it was when the copy began). `path` must not exist. PostgreSQL is copied
    /// with its own tools: [`DbError::Unavailable`].
    pub async fn backup_sqlite_into(&self, path: &std::path::Path) -> Result<(), DbError> {
        use sea_orm::Statement;
        if self.backend() != Backend::Sqlite {
            return Err(DbError::Unavailable(
                "only a SQLite database is copied this way".into(),
            ));
        }
        let target = path
            .to_str()
            .ok_or_else(|| DbError::Other("the backup path is not UTF-8".into()))?;
        self.conn
            .execute_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                "VACUUM INTO ?",
                [target.into()],
            ))
            .await?;
        Ok(())
    }

    /// SQLite's own check of a database file (`PRAGMA integrity_check`): "ok", or
    /// the problems it found, one a line.
    pub async fn sqlite_integrity_check(&self) -> Result<String, DbError> {
        use sea_orm::Statement;
        let rows = self
            .conn
            .query_all_raw(Statement::from_string(
                DbBackend::Sqlite,
                "PRAGMA integrity_check",
            ))
            .await?;
        let lines: Vec<String> = rows
            .iter()
            .filter_map(|row| row.try_get_by_index::<String>(0).ok())
            .collect();
        Ok(lines.join("\n"))
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> Result<(), DbError> {
        self.conn.ping().await.map_err(DbError::from)
    }

    pub async fn close(self) -> Result<(), DbError> {
        if self.backend() == Backend::Sqlite {
            self.read.clone().close().await.map_err(DbError::from)?;
        }
        self.conn.close().await.map_err(DbError::from)
    }

    /// Runs raw SQL for test set-up and admin tasks (such as creating a database).
    pub async fn execute_unprepared(&self, sql: &str) -> Result<(), DbError> {
        self.conn.execute_unprepared(sql).await?;
        Ok(())
    }

    /// Every text value stored in every table, as `(table, value)`: for an audit of
    /// what the database keeps (for example, that no usable secret is left in it).
    pub async fn every_text_value(&self) -> Result<Vec<(String, String)>, DbError> {
        use sea_orm::Statement;
        let backend = self.conn.get_database_backend();
        let list = match self.backend() {
            Backend::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            }
            Backend::Postgres => {
                "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()"
            }
        };
        let tables: Vec<String> = self
            .conn
            .query_all_raw(Statement::from_string(backend, list))
            .await?
            .iter()
            .filter_map(|row| row.try_get::<String>("", "name").ok())
            .collect();
        let mut values = Vec::new();
        for table in tables {
            let rows = self
                .conn
                .query_all_raw(Statement::from_string(
                    backend,
                    format!("SELECT * FROM \"{table}\""),
                ))
                .await?;
            for row in rows {
                for index in 0..row.column_names().len() {
                    // Columns of other types do not read as text; they are skipped.
                    if let Ok(Some(value)) = row.try_get_by_index::<Option<String>>(index) {
                        values.push((table.clone(), value));
                    }
                }
            }
        }
        Ok(values)
    }
}
