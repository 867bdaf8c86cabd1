use crate::live::history::DbHistory;
use crate::security::limits::Limiter;
use crate::web::templates::Templates;
use db::{Db, StoredEvent};
use hub::{Envelope, Hub};
use metrics_exporter_prometheus::PrometheusHandle;
use std::sync::Arc;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// The public address, such as `https://samrad.kommune.no`; links in emails use it.
    pub base_url: String,
    /// Origins allowed to post forms and open websockets, besides `base_url`'s.
    pub allowed_origins: Vec<String>,
    /// Messages that may wait for one websocket client before it is disconnected.
    pub ws_queue: usize,
    /// Whether cookies get the `Secure` attribute (true behind HTTPS).
    pub secure_cookies: bool,
    /// Reports from different people that hide a comment until a planner decides.
    pub report_threshold: u32,
    /// Where attached files of responses are stored (outside anything served as is);
    /// several server processes must share it.
    pub attachments_dir: std::path::PathBuf,
    /// The municipalities' identity providers (OpenID Connect).
    pub sign_in_providers: Vec<crate::auth::oidc::ProviderSettings>,
    /// Proxies, limits and headers that guard the site.
    pub security: SecuritySettings,
}

/// Comments from people without an account one client address may post in
/// [`ANONYMOUS_WINDOW`], by default.
pub const DEFAULT_ANONYMOUS_COMMENTS_PER_ADDRESS: u32 = 20;
/// Comments without an account that may name one email address in [`ANONYMOUS_WINDOW`],
/// by default (each sends a confirmation email there).
pub const DEFAULT_ANONYMOUS_COMMENTS_PER_EMAIL: u32 = 5;
/// Minutes a staff member's session may go unused, by default.
pub const DEFAULT_SESSION_IDLE_MINUTES_STAFF: u32 = 30;
/// Minutes a participant's session may go unused, by default: writing a response
/// takes longer than a planner's click between pages.
pub const DEFAULT_SESSION_IDLE_MINUTES_PARTICIPANT: u32 = 240;
/// How long before the idle timeout the page warns and offers to stay signed in
/// (WCAG 2.2.1 asks for at least 20 seconds to answer).
pub const SESSION_IDLE_WARNING: std::time::Duration = std::time::Duration::from_secs(120);

/// The window of the limits on comments from people without an account.
pub const ANONYMOUS_WINDOW: std::time::Duration = std::time::Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct SecuritySettings {
    /// Reverse proxies (addresses or ranges) whose `Forwarded`, `X-Forwarded-For` and
    /// `X-Forwarded-Proto` headers are believed; from anyone else they are ignored.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// Sites that may show the public hearing pages in a frame (CSP
    /// `frame-ancestors`, such as `https://www.kommune.no`); no other page may be framed.
    pub frame_ancestors: Vec<String>,
    /// See [`DEFAULT_ANONYMOUS_COMMENTS_PER_ADDRESS`].
    pub anonymous_comments_per_address: u32,
    /// See [`DEFAULT_ANONYMOUS_COMMENTS_PER_EMAIL`].
    pub anonymous_comments_per_email: u32,
    /// How long a staff member's session may go unused before it ends.
    pub session_idle_staff: std::time::Duration,
    /// How long a participant's session may go unused before it ends.
    pub session_idle_participant: std::time::Duration,
    /// See [`DEFAULT_MAX_CONCURRENT_UPLOADS`].
    pub max_concurrent_uploads: usize,
}

impl SecuritySettings {
    /// The idle timeout of a session, staff or not.
    pub fn session_idle(&self, staff: bool) -> std::time::Duration {
        if staff {
            self.session_idle_staff
        } else {
            self.session_idle_participant
        }
    }
}

/// Requests that may be receiving files at once in one process, by default; more
/// are answered 503 with `Retry-After` (their text fields are still read, so a form
/// is shown again with what was typed).
pub const DEFAULT_MAX_CONCURRENT_UPLOADS: usize = 32;
/// The `Retry-After` (seconds) of an upload refused because too many are under way.
pub const UPLOAD_RETRY_AFTER_SECONDS: u64 = 5;

impl Default for SecuritySettings {
    fn default() -> Self {
        SecuritySettings {
            trusted_proxies: Vec::new(),
            frame_ancestors: Vec::new(),
            anonymous_comments_per_address: DEFAULT_ANONYMOUS_COMMENTS_PER_ADDRESS,
            anonymous_comments_per_email: DEFAULT_ANONYMOUS_COMMENTS_PER_EMAIL,
            session_idle_staff: std::time::Duration::from_secs(
                60 * DEFAULT_SESSION_IDLE_MINUTES_STAFF as u64,
            ),
            session_idle_participant: std::time::Duration::from_secs(
                60 * DEFAULT_SESSION_IDLE_MINUTES_PARTICIPANT as u64,
            ),
            max_concurrent_uploads: DEFAULT_MAX_CONCURRENT_UPLOADS,
        }
    }
}

impl ServerConfig {
    pub fn local(base_url: &str) -> ServerConfig {
        ServerConfig {
            base_url: base_url.trim_end_matches('/').to_owned(),
            allowed_origins: Vec::new(),
            ws_queue: 256,
            secure_cookies: base_url.starts_with("https://"),
            report_threshold: domain::moderation::DEFAULT_REPORT_THRESHOLD,
            attachments_dir: std::path::PathBuf::from("samrad-data").join("attachments"),
            sign_in_providers: Vec::new(),
            security: SecuritySettings::default(),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    consultation: consultation::Consultation,
    hub: Arc<Hub>,
    history: Arc<DbHistory>,
    templates: Templates,
    config: ServerConfig,
    metrics: PrometheusHandle,
    shutdown: CancellationToken,
    /// Per signed-in session with open websockets: a token cancelled at sign-out, and
    /// how many sockets use it (the entry goes when the last one closes).
    session_sockets:
        std::sync::Mutex<std::collections::HashMap<domain::SessionId, (CancellationToken, usize)>>,
    /// People whose roles changed; their websockets check their subscriptions again.
    roles_changed: tokio::sync::broadcast::Sender<domain::PersonId>,
    /// Comments without an account, per client address and per email address named.
    /// In memory with one process (SQLite); in the database on PostgreSQL, where
    /// several processes count together (these then serve only if it fails).
    anonymous_by_address: Limiter,
    anonymous_by_email: Limiter,
    /// Requests receiving files now (see [`SecuritySettings::max_concurrent_uploads`]).
    uploads: Arc<tokio::sync::Semaphore>,
    /// This process among those sharing the database (signals and presence name it).
    process_id: uuid::Uuid,
    /// Tells other processes (PostgreSQL only).
    announcer: Option<db::EventAnnouncer>,
}

impl AppState {
    pub fn new(
        db: Db,
        config: ServerConfig,
        metrics: PrometheusHandle,
        email_wake: Arc<Notify>,
        shutdown: CancellationToken,
        announcer: Option<db::EventAnnouncer>,
    ) -> AppState {
        let hub = Hub::new(1024);
        let roles_changed = tokio::sync::broadcast::channel(256).0;
        let process_id = uuid::Uuid::new_v4();
        let publisher = LivePublisher {
            hub: hub.clone(),
            email_wake,
            announcer: announcer.clone(),
            roles_changed: roles_changed.clone(),
            process_id,
        };
        let consultation = consultation::Consultation::new(
            db.clone(),
            Arc::new(publisher),
            consultation::Settings {
                base_url: config.base_url.clone(),
                report_threshold: config.report_threshold,
                attachments_dir: config.attachments_dir.clone(),
            },
        );
        let anonymous_by_address = Limiter::new(
            config.security.anonymous_comments_per_address,
            ANONYMOUS_WINDOW,
        );
        let anonymous_by_email = Limiter::new(
            config.security.anonymous_comments_per_email,
            ANONYMOUS_WINDOW,
        );
        AppState {
            inner: Arc::new(Inner {
                uploads: Arc::new(tokio::sync::Semaphore::new(
                    config.security.max_concurrent_uploads,
                )),
                anonymous_by_address,
                anonymous_by_email,
                history: Arc::new(DbHistory::new(db.clone())),
                db,
                consultation,
                hub,
                templates: Templates::new(),
                config,
                metrics,
                shutdown,
                session_sockets: Default::default(),
                roles_changed,
                process_id,
                announcer,
            }),
        }
    }

    /// The bound on requests receiving files at once.
    pub fn uploads(&self) -> &Arc<tokio::sync::Semaphore> {
        &self.inner.uploads
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
    }

    /// The use cases.
    pub fn consultation(&self) -> &consultation::Consultation {
        &self.inner.consultation
    }

    pub fn hub(&self) -> &Arc<Hub> {
        &self.inner.hub
    }

    pub(crate) fn history(&self) -> &Arc<DbHistory> {
        &self.inner.history
    }

    pub(crate) fn templates(&self) -> &Templates {
        &self.inner.templates
    }

    pub fn config(&self) -> &ServerConfig {
        &self.inner.config
    }

    pub(crate) fn metrics(&self) -> &PrometheusHandle {
        &self.inner.metrics
    }

    pub fn shutdown_token(&self) -> CancellationToken {
        self.inner.shutdown.clone()
    }

    /// Registers a websocket of `session`; its token fires when the session signs out.
    pub(crate) fn session_socket(&self, session: domain::SessionId) -> SessionSocket {
        let mut map = self
            .inner
            .session_sockets
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let entry = map
            .entry(session)
            .or_insert_with(|| (CancellationToken::new(), 0));
        entry.1 += 1;
        SessionSocket {
            state: self.clone(),
            session,
            token: entry.0.clone(),
        }
    }

    /// Counts a comment from someone without an account, from `address` to `email`;
    /// `Err` holds the seconds to wait when either is over its limit (then nothing counts).
    /// On PostgreSQL every process counts in the same windows.
    pub(crate) async fn count_anonymous_comment(
        &self,
        address: Option<std::net::IpAddr>,
        email: &str,
    ) -> Result<(), u64> {
        let address = address.map(|a| a.to_string()).unwrap_or_default();
        let email = email.trim().to_lowercase();
        if self.inner.announcer.is_some() {
            let period = crate::state::ANONYMOUS_WINDOW.as_secs();
            let security = &self.inner.config.security;
            let mut hits = vec![db::LimitHit {
                key: format!("comments-by-address:{address}"),
                max: security.anonymous_comments_per_address,
                period_secs: period,
            }];
            if !email.is_empty() {
                hits.push(db::LimitHit {
                    key: format!("comments-by-email:{email}"),
                    max: security.anonymous_comments_per_email,
                    period_secs: period,
                });
            }
            match self.inner.db.hit_rate_limits(&hits).await {
                Ok(counted) => return counted,
                Err(err) => {
                    tracing::warn!(error = %err, "shared rate limit unavailable; counting in this process");
                }
            }
        }
        let mut limits = vec![(&self.inner.anonymous_by_address, address.as_str())];
        if !email.is_empty() {
            limits.push((&self.inner.anonymous_by_email, email.as_str()));
        }
        crate::security::limits::hit_all(&limits)
    }

    /// This process's id among the processes sharing the database.
    pub fn process_id(&self) -> uuid::Uuid {
        self.inner.process_id
    }

    /// Tells every other process a signal (PostgreSQL only), off the caller's path.
    pub(crate) fn signal_others(&self, signal: db::Signal) {
        signal_from(self.inner.announcer.as_ref(), self.inner.process_id, signal);
    }

    /// Another process said that `person`'s roles changed.
    pub(crate) fn roles_changed_elsewhere(&self, person: domain::PersonId) {
        let _ = self.inner.roles_changed.send(person);
    }

    pub(crate) fn watch_roles(&self) -> tokio::sync::broadcast::Receiver<domain::PersonId> {
        self.inner.roles_changed.subscribe()
    }

    /// Closes every websocket of a session that signed out, here and in every other
    /// process.
    pub(crate) fn end_session_sockets(&self, session: domain::SessionId) {
        self.close_session_sockets(session);
        self.signal_others(db::Signal::SignedOut(session));
    }

    /// Closes this process's websockets of a session that signed out.
    pub(crate) fn close_session_sockets(&self, session: domain::SessionId) {
        let token = self
            .inner
            .session_sockets
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&session);
        if let Some((token, _)) = token {
            token.cancel();
        }
    }

    /// Publishes events that were committed outside a request (inputs stored in bulk
    /// through `db`, load tests): the same path every request takes after its commit.
    pub fn publish_committed(&self, events: &[StoredEvent], queued_email: bool) {
        self.after_commit(events, queued_email);
    }

    /// Pushes committed events to websocket clients and wakes the email worker.
    pub(crate) fn after_commit(&self, events: &[StoredEvent], queued_email: bool) {
        self.inner.consultation.after_commit(events, queued_email);
    }
}

/// The consultation service's publisher in a server process: the hub pushes events
/// to this process's websockets, other processes hear of them over the database bus,
/// and the email worker wakes.
struct LivePublisher {
    hub: Arc<Hub>,
    email_wake: Arc<Notify>,
    /// Tells other server processes about committed events (PostgreSQL only).
    announcer: Option<db::EventAnnouncer>,
    roles_changed: tokio::sync::broadcast::Sender<domain::PersonId>,
    process_id: uuid::Uuid,
}

/// Sends `signal` on the bus in a task of its own: the change is committed, and a
/// signal that is lost costs only what a process's own check would catch later.
fn signal_from(announcer: Option<&db::EventAnnouncer>, process: uuid::Uuid, signal: db::Signal) {
    let Some(announcer) = announcer.cloned() else {
        return;
    };
    let Ok(runtime) = tokio::runtime::Handle::try_current() else {
        return;
    };
    runtime.spawn(async move {
        if let Err(err) = announcer.signal(process, &signal).await {
            tracing::warn!(error = %err, ?signal, "could not tell other processes");
        }
    });
}

impl consultation::Publisher for LivePublisher {
    fn committed(&self, events: &[StoredEvent], queued_email: bool) {
        for event in events {
            self.hub
                .publish(Envelope::new(event.room, event.seq, &event.payload));
        }
        if queued_email {
            self.email_wake.notify_one();
        }
        if let Some(announcer) = &self.announcer
            && !events.is_empty()
        {
            let announcer = announcer.clone();
            let announced: Vec<_> = events.iter().map(|e| (e.room, e.seq)).collect();
            // Off the request's path: the commit is done, and a lost announcement is
            // recovered by the hub's gap filling at the next event in the room.
            tokio::spawn(async move {
                for (room, seq) in announced {
                    if let Err(err) = announcer.announce(room, seq).await {
                        tracing::warn!(error = %err, %room, seq, "could not announce an event");
                    }
                }
            });
        }
    }

    fn roles_changed(&self, person: domain::PersonId) {
        // No receivers means no open websockets here: nothing to tell.
        let _ = self.roles_changed.send(person);
        signal_from(
            self.announcer.as_ref(),
            self.process_id,
            db::Signal::RolesChanged(person),
        );
    }
}

/// A websocket's hold on its session's sign-out token.
pub(crate) struct SessionSocket {
    state: AppState,
    session: domain::SessionId,
    pub token: CancellationToken,
}

impl Drop for SessionSocket {
    fn drop(&mut self) {
        let mut map = self
            .state
            .inner
            .session_sockets
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        if let Some(entry) = map.get_mut(&self.session) {
            entry.1 = entry.1.saturating_sub(1);
            if entry.1 == 0 {
                map.remove(&self.session);
            }
        }
    }
}
