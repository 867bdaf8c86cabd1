use crate::history::DbHistory;
use crate::templates::Templates;
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
}

impl ServerConfig {
    pub fn local(base_url: &str) -> ServerConfig {
        ServerConfig {
            base_url: base_url.trim_end_matches('/').to_owned(),
            allowed_origins: Vec::new(),
            ws_queue: 256,
            secure_cookies: base_url.starts_with("https://"),
        }
    }
}

#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    hub: Arc<Hub>,
    history: Arc<DbHistory>,
    templates: Templates,
    config: ServerConfig,
    metrics: PrometheusHandle,
    email_wake: Arc<Notify>,
    shutdown: CancellationToken,
}

impl AppState {
    pub fn new(
        db: Db,
        config: ServerConfig,
        metrics: PrometheusHandle,
        email_wake: Arc<Notify>,
        shutdown: CancellationToken,
    ) -> AppState {
        AppState {
            inner: Arc::new(Inner {
                history: Arc::new(DbHistory::new(db.clone())),
                db,
                hub: Hub::new(1024),
                templates: Templates::new(),
                config,
                metrics,
                email_wake,
                shutdown,
            }),
        }
    }

    pub fn db(&self) -> &Db {
        &self.inner.db
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

    /// Pushes committed events to websocket clients and wakes the email worker.
    pub(crate) fn after_commit(&self, events: &[StoredEvent], queued_email: bool) {
        for event in events {
            self.inner
                .hub
                .publish(Envelope::new(event.room, event.seq, &event.payload));
        }
        if queued_email {
            self.inner.email_wake.notify_one();
        }
    }
}
