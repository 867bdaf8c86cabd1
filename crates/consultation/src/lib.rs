//! The consultation service: the use cases of Samråd, one module per feature.
//!
//! A use case takes the [`Actor`](domain::policy::Actor) and a command, asks
//! `domain::policy::can`, validates, writes through `db` in one transaction (with its
//! outbox rows and events), tells the [`Publisher`] after the commit, and returns
//! domain types or its feature's error enum.
//!
//! Invariants: never depends on axum, tower, minijinja or anything that speaks HTTP
//! or renders pages; publishes only after a commit, through [`Publisher`], so it does
//! not care whether one or several server processes run.

pub mod access;
pub mod assessment;
pub mod audit;
pub mod comments;
pub mod digests;
pub mod documents;
pub mod email_settings;
pub mod export;
pub mod groups;
pub mod hearings;
pub mod invitations;
pub mod letters;
pub mod moderation;
pub mod outbox;
pub mod people;
pub mod plans;
pub mod privacy;
pub mod reminders;
pub mod responses;
pub mod secrets;
pub mod sender_settings;
pub mod tokens;
pub mod version_cache;
pub mod workshop_board;
pub mod workshops;

/// Storage's error, which read use cases return as it is.
pub use db::DbError;
/// Storage's shapes that pages show as they are.
pub use db::{ApiTokenInfo, AuditFilter, EarlierComment};
use db::{Db, StoredEvent};
use domain::PersonId;
use std::path::PathBuf;
use std::sync::Arc;

/// What the service tells the outside world after a transaction committed: the hub
/// pushes events to websocket clients (and other processes hear of them), the
/// notification worker wakes for queued email.
pub trait Publisher: Send + Sync + 'static {
    /// Events a committed transaction wrote, and whether it queued email.
    fn committed(&self, events: &[StoredEvent], queued_email: bool);
    /// A person's roles changed: their live subscriptions are checked again.
    fn roles_changed(&self, person: PersonId);
}

/// A publisher that tells nobody: for tools that write without live readers.
pub struct Silent;

impl Publisher for Silent {
    fn committed(&self, _: &[StoredEvent], _: bool) {}
    fn roles_changed(&self, _: PersonId) {}
}

/// The time the use cases see, so tests can move it.
pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> jiff::Timestamp;
}

/// The system clock at storage precision.
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> jiff::Timestamp {
        db::time::now()
    }
}

/// Settings the use cases need.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The public address, such as `https://samrad.kommune.no`; links in emails use it.
    pub base_url: String,
    /// Reports from different people that hide a comment until a planner decides.
    pub report_threshold: u32,
    /// Where attached files of responses are stored; several processes must share it.
    pub attachments_dir: PathBuf,
}

/// The service: storage, the publisher, the clock and the settings. Cheap to clone.
#[derive(Clone)]
pub struct Consultation {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    publisher: Arc<dyn Publisher>,
    clock: Arc<dyn Clock>,
    settings: Settings,
    /// Rendered sections and diffs per document version (immutable, so never stale).
    versions: version_cache::VersionCache,
    /// Wakes the background task that computes suggestions.
    suggestions_wake: Arc<tokio::sync::Notify>,
}

impl Consultation {
    pub fn new(db: Db, publisher: Arc<dyn Publisher>, settings: Settings) -> Consultation {
        Consultation::with_clock(db, publisher, Arc::new(SystemClock), settings)
    }

    pub fn with_clock(
        db: Db,
        publisher: Arc<dyn Publisher>,
        clock: Arc<dyn Clock>,
        settings: Settings,
    ) -> Consultation {
        Consultation {
            inner: Arc::new(Inner {
                db,
                publisher,
                clock,
                settings,
                versions: version_cache::VersionCache::default(),
                suggestions_wake: Arc::new(tokio::sync::Notify::new()),
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// A version's sections rendered as readers see them, from the process's cache.
    pub async fn rendered_sections(
        &self,
        version: domain::DocumentVersionId,
    ) -> Result<version_cache::RenderedVersion, DbError> {
        if let Some(found) = self.inner.versions.rendered(version) {
            return Ok(found);
        }
        let sections = self.db().sections_of(version).await?;
        let rendered = version_cache::render_sections(sections);
        self.inner.versions.keep_rendered(version, rendered.clone());
        Ok(rendered)
    }

    pub(crate) fn version_cache(&self) -> &version_cache::VersionCache {
        &self.inner.versions
    }

    /// Notified when a hearing's suggestions are asked for; the server's background
    /// task waits on it (and polls, for inputs that arrive).
    pub fn suggestions_wake(&self) -> Arc<tokio::sync::Notify> {
        Arc::clone(&self.inner.suggestions_wake)
    }

    pub(crate) fn inner_suggestions_wake(&self) -> &tokio::sync::Notify {
        &self.inner.suggestions_wake
    }

    pub fn settings(&self) -> &Settings {
        &self.inner.settings
    }

    /// The plans of a municipality, for the choices of filters and forms.
    pub async fn plans_of_municipality(
        &self,
        municipality: domain::MunicipalityId,
    ) -> Result<Vec<domain::plan::Plan>, DbError> {
        self.db().plans_of(municipality).await
    }

    /// A person's email address, while they are not forgotten.
    pub async fn email_of(&self, person: PersonId) -> Result<String, DbError> {
        Ok(self.db().person(person).await?.email)
    }

    /// Whom an email address belongs to, if anyone.
    pub async fn person_with_email(&self, email: &str) -> Result<Option<PersonId>, DbError> {
        Ok(self.db().person_by_email(email).await?.map(|p| p.id))
    }

    pub fn now(&self) -> jiff::Timestamp {
        self.inner.clock.now()
    }

    /// A link into Samråd for emails, from a path starting with `/`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.inner.settings.base_url)
    }

    /// Tells the publisher what a committed transaction wrote.
    pub fn after_commit(&self, events: &[StoredEvent], queued_email: bool) {
        self.inner.publisher.committed(events, queued_email);
    }

    /// Tells the publisher that a person's roles changed.
    pub fn roles_changed(&self, person: PersonId) {
        self.inner.publisher.roles_changed(person);
    }
}
