//! Wiring: database, hub, HTTP and the notification worker in one process.
//! The binary and the end-to-end tests start Samråd through this one path.

use crate::state::{AppState, ServerConfig};
use db::Db;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use notify::{Mailer, Worker};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Duration;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

#[derive(Debug, Clone)]
pub struct Settings {
    pub database_url: String,
    /// Where emails are written when no SMTP server is configured.
    pub mail_dir: PathBuf,
    pub smtp_url: Option<String>,
    /// Where attached files of responses are stored; back it up with the database.
    pub attachments_dir: PathBuf,
    pub mail_from: String,
    /// Defaults to `http://<bound address>`.
    pub base_url: Option<String>,
    pub allowed_origins: Vec<String>,
    pub worker_poll: Duration,
    /// Reports from different people that hide a comment until a planner decides.
    pub report_threshold: u32,
    /// Days a sent (or given-up) email's text is kept in the outbox.
    pub email_retention_days: u32,
    /// The hour (Norwegian time) the daily digests go out.
    pub digest_hour: u8,
    /// The municipalities' identity providers for signing in (OpenID Connect).
    pub sign_in_providers: Vec<SignInProvider>,
    /// Trusted proxies, framing and limits on posting without an account.
    pub security: crate::state::SecuritySettings,
}

pub use crate::auth::oidc::{Audience as SignInAudience, ProviderSettings as SignInProvider};

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("cannot set up email: {0}")]
    Mail(#[from] notify::MailerError),
    #[error("cannot create the email folder {0}: {1}")]
    MailDir(PathBuf, std::io::Error),
    #[error("cannot create the attachment folder {0}: {1}")]
    AttachmentDir(PathBuf, std::io::Error),
    #[error("{0}")]
    Io(#[from] std::io::Error),
    #[error("configuration: {0}")]
    Config(String),
}

/// The process-wide metrics recorder; installed once, shared by every app in the process.
pub fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Fails only if another recorder is installed; then ours just stays empty.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

/// Connects, migrates and opens the mail transport.
pub async fn connect_and_migrate(database_url: &str) -> Result<Db, StartError> {
    let db = Db::connect(database_url).await?;
    db.migrate().await?;
    Ok(db)
}

pub fn mailer(settings: &Settings) -> Result<Mailer, StartError> {
    match &settings.smtp_url {
        Some(url) => Ok(Mailer::smtp(url, &settings.mail_from)?),
        None => {
            std::fs::create_dir_all(&settings.mail_dir)
                .map_err(|e| StartError::MailDir(settings.mail_dir.clone(), e))?;
            Ok(Mailer::files(
                settings.mail_dir.clone(),
                &settings.mail_from,
            )?)
        }
    }
}

pub struct Application {
    listener: TcpListener,
    state: AppState,
    worker: Worker,
    /// False when a separate `samrad worker` process sends the emails.
    run_worker: bool,
    local_addr: SocketAddr,
}

impl Application {
    pub async fn build(
        settings: Settings,
        db: Db,
        listener: TcpListener,
    ) -> Result<Application, StartError> {
        let local_addr = listener.local_addr()?;
        let base_url = settings
            .base_url
            .clone()
            .unwrap_or_else(|| format!("http://{local_addr}"));
        let worker = Worker::new(db.clone(), mailer(&settings)?, settings.worker_poll)
            .with_base_url(&base_url)
            .with_retention_days(settings.email_retention_days)
            .with_digest_hour(settings.digest_hour);
        let mut config = ServerConfig::local(&base_url);
        config.allowed_origins = settings.allowed_origins.clone();
        config.report_threshold = settings.report_threshold.max(1);
        config.security = settings.security.clone();
        std::fs::create_dir_all(&settings.attachments_dir)
            .map_err(|e| StartError::AttachmentDir(settings.attachments_dir.clone(), e))?;
        config.attachments_dir = settings.attachments_dir.clone();
        if let Some(problem) = settings.sign_in_providers.iter().find_map(|p| p.problem()) {
            return Err(StartError::Config(problem));
        }
        config.sign_in_providers = settings.sign_in_providers.clone();
        let announcer = db.event_announcer().await?;
        let state = AppState::new(
            db,
            config,
            metrics_handle(),
            worker.waker(),
            CancellationToken::new(),
            announcer,
        );
        Ok(Application {
            listener,
            state,
            worker,
            run_worker: true,
            local_addr,
        })
    }

    /// Serves without the notification worker: the emails queued here are sent by a
    /// separate `samrad worker`, which finds them within its poll interval.
    pub fn without_worker(mut self) -> Self {
        self.run_worker = false;
        self
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.local_addr
    }

    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Cancelling this token shuts the application down gracefully.
    pub fn shutdown_token(&self) -> CancellationToken {
        self.state.shutdown_token()
    }

    /// Serves HTTP and websockets and runs the worker until shutdown; the worker
    /// finishes its current job before this returns.
    pub async fn run(self) -> std::io::Result<()> {
        let shutdown = self.state.shutdown_token();
        let worker = self
            .run_worker
            .then(|| tokio::spawn(self.worker.run(shutdown.clone())));
        tokio::spawn(relay_announced_events(self.state.clone()));
        let presence = tokio::spawn(share_presence(self.state.clone()));
        tokio::spawn(compute_suggestions(self.state.clone()));
        let served = crate::serve(self.listener, self.state).await;
        shutdown.cancel();
        let _ = presence.await;
        if let Some(worker) = worker {
            let _ = worker.await;
        }
        served
    }
}

/// The worker alone, for `samrad worker`.
pub async fn run_worker(
    settings: Settings,
    db: Db,
    shutdown: CancellationToken,
) -> Result<(), StartError> {
    let mut worker = Worker::new(db, mailer(&settings)?, settings.worker_poll)
        .with_retention_days(settings.email_retention_days)
        .with_digest_hour(settings.digest_hour);
    if let Some(base_url) = &settings.base_url {
        worker = worker.with_base_url(base_url);
    }
    worker.run(shutdown).await;
    Ok(())
}

/// How often the suggestions' task looks for hearings whose inputs changed.
const SUGGESTIONS_POLL: Duration = Duration::from_secs(5);

/// Computes hearings' suggestions (near-copies, themes, summaries) off the request
/// path: woken when a planner asks, and looking every few seconds for hearings with
/// inputs newer than their last computation.
async fn compute_suggestions(state: AppState) {
    let shutdown = state.shutdown_token();
    let wake = state.consultation().suggestions_wake();
    loop {
        match state.consultation().compute_due_suggestions().await {
            Ok(0) => {}
            Ok(n) => tracing::debug!(hearings = n, "suggestions computed"),
            Err(err) => tracing::warn!(error = %err, "could not look for suggestions to compute"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = wake.notified() => {}
            _ = tokio::time::sleep(SUGGESTIONS_POLL) => {}
        }
    }
}

/// How often a process refreshes its presence in the database and reads the others'.
pub const PRESENCE_HEARTBEAT: Duration = Duration::from_secs(5);
/// How long presence stays without a heartbeat: a process killed without a goodbye
/// drops out of every room's presence within this (plus one heartbeat).
pub const PRESENCE_EXPIRY: Duration = Duration::from_secs(15);

/// Pushes events and signals that any process announced to this process's websocket
/// clients (PostgreSQL only; with SQLite one process serves everything).
async fn relay_announced_events(state: AppState) {
    let shutdown = state.shutdown_token();
    let mut listener = match state.db().event_listener().await {
        Ok(Some(listener)) => listener,
        Ok(None) => return,
        Err(err) => {
            tracing::error!(error = %err, "cannot listen for events of other processes");
            return;
        }
    };
    loop {
        let announced = tokio::select! {
            _ = shutdown.cancelled() => return,
            announced = listener.next() => announced,
        };
        match announced {
            Ok(db::Announcement::Event(room, seq)) => {
                match state.db().events_since(room, seq - 1, 1).await {
                    // The hub drops what a subscriber has already seen (our own events).
                    Ok(events) => {
                        for event in events {
                            state.hub().publish(hub::Envelope::new(
                                event.room,
                                event.seq,
                                &event.payload,
                            ));
                        }
                    }
                    Err(err) => tracing::warn!(error = %err, "could not read an announced event"),
                }
            }
            Ok(db::Announcement::Signal { from, .. }) if from == state.process_id() => {}
            Ok(db::Announcement::Signal { signal, .. }) => match signal {
                db::Signal::SignedOut(session) => state.close_session_sockets(session),
                db::Signal::RolesChanged(person) => state.roles_changed_elsewhere(person),
                db::Signal::Presence(room) => {
                    if state.hub().local_presence(room).is_some() {
                        read_presence_elsewhere(&state, room).await;
                    }
                }
            },
            Err(err) => {
                tracing::warn!(error = %err, "event listener interrupted; retrying");
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
            }
        }
    }
}

/// Reads what other processes' readers read in `room` into the hub.
async fn read_presence_elsewhere(state: &AppState, room: domain::room::Room) {
    match state
        .db()
        .presence_elsewhere(state.process_id(), &room.to_string())
        .await
    {
        Ok(lists) => {
            let lists = lists
                .iter()
                .filter_map(|json| serde_json::from_str::<Vec<hub::SectionPresence>>(json).ok())
                .collect();
            state.hub().set_presence_elsewhere(room, lists);
        }
        Err(err) => tracing::warn!(error = %err, %room, "could not read presence elsewhere"),
    }
}

/// Shares this process's presence with the others (PostgreSQL only): writes each
/// changed room's readers to `live_presence` and signals the room; a heartbeat keeps
/// the rows alive, sweeps out those of processes that stopped beating, and reads the
/// others' presence again. At shutdown the process takes its readers away.
async fn share_presence(state: AppState) {
    if state.db().backend() != db::Backend::Postgres {
        return;
    }
    let shutdown = state.shutdown_token();
    let process = state.process_id();
    let mut changes = state.hub().watch_presence_changes();
    let mut heartbeat = tokio::time::interval(PRESENCE_HEARTBEAT);
    heartbeat.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            changed = changes.recv() => {
                let Some(first) = changed else { break };
                // Everything that changed meanwhile goes out together.
                let mut rooms = std::collections::BTreeSet::from([first]);
                while let Ok(room) = changes.try_recv() {
                    rooms.insert(room);
                }
                for room in rooms {
                    publish_presence(&state, room).await;
                }
            }
            _ = heartbeat.tick() => {
                match state.db().presence_heartbeat(process, PRESENCE_EXPIRY.as_secs()).await {
                    Ok(swept) if !swept.is_empty() => {
                        tracing::info!(rooms = swept.len(), "presence of a stopped process expired");
                    }
                    Ok(_) => {}
                    Err(err) => tracing::warn!(error = %err, "presence heartbeat failed"),
                }
                for room in state.hub().presence_room_list() {
                    read_presence_elsewhere(&state, room).await;
                }
            }
        }
    }
    if let Err(err) = state.db().remove_process_presence(process).await {
        tracing::warn!(error = %err, "could not take this process's presence away");
    }
}

/// Stores this process's readers of `room` (or removes them) and tells the others.
async fn publish_presence(state: &AppState, room: domain::room::Room) {
    let process = state.process_id();
    let name = room.to_string();
    let local = state.hub().local_presence(room);
    let stored = match local.as_deref() {
        Some(sections) if !sections.is_empty() => match serde_json::to_string(sections) {
            Ok(json) => {
                state
                    .db()
                    .put_presence(process, &name, &json, PRESENCE_EXPIRY.as_secs())
                    .await
            }
            Err(err) => Err(db::DbError::Other(err.to_string())),
        },
        _ => state.db().remove_presence(process, &name).await,
    };
    if let Err(err) = stored {
        tracing::warn!(error = %err, %room, "could not share presence");
        return;
    }
    state.signal_others(db::Signal::Presence(room));
    if local.is_some() {
        read_presence_elsewhere(state, room).await;
    }
}
