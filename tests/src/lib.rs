//! The end-to-end harness: [`spawn_app`] starts the real Samråd (HTTP, websocket hub
//! and notification worker) on port 0 with its own database and its own SMTP sink,
//! and hands out real clients. Every end-to-end test starts here.
//!
//! The database is SQLite in a temporary folder, or, when `SAMRAD_TEST_DATABASE_URL`
//! points to a PostgreSQL server, a fresh database created for the test.

pub mod smtp_sink;

use anyhow::Context;
use server::app::{Application, Settings};
use smtp_sink::SmtpSink;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;
use tokio_util::sync::CancellationToken;
use uuid::Uuid;

pub use db::Db;

/// Which database a test runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// Postgres is tested when `SAMRAD_TEST_DATABASE_URL` is set, SQLite always.
    pub fn from_env() -> Backend {
        if std::env::var("SAMRAD_TEST_DATABASE_URL").is_ok_and(|v| !v.is_empty()) {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

pub struct TestApp {
    pub address: SocketAddr,
    pub base_url: String,
    pub db: Db,
    pub smtp: SmtpSink,
    pub http: reqwest::Client,
    /// A planner token for `municipality_slug`.
    pub planner_token: String,
    pub municipality_slug: String,
    shutdown: CancellationToken,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    _data_dir: TempDir,
}

/// A folder removed when the test ends.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let path = std::env::temp_dir().join(format!("samrad-test-{}", Uuid::new_v4()));
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }
}

impl Default for TempDir {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Creates a fresh PostgreSQL database next to the one the URL names.
async fn fresh_postgres_database(admin_url: &str) -> anyhow::Result<String> {
    let name = format!("samrad_test_{}", Uuid::new_v4().simple());
    let admin = Db::connect(admin_url)
        .await
        .context("SAMRAD_TEST_DATABASE_URL is set but the server cannot be reached")?;
    admin
        .execute_unprepared(&format!("CREATE DATABASE {name}"))
        .await?;
    admin.close().await?;
    let (base, _) = admin_url
        .rsplit_once('/')
        .context("SAMRAD_TEST_DATABASE_URL must end in /<database>")?;
    Ok(format!("{base}/{name}"))
}

pub async fn database_url(backend: Backend, dir: &TempDir) -> anyhow::Result<String> {
    match backend {
        Backend::Sqlite => Ok(format!(
            "sqlite://{}?mode=rwc",
            dir.0.join("samrad.db").display()
        )),
        Backend::Postgres => {
            let admin = std::env::var("SAMRAD_TEST_DATABASE_URL")
                .context("SAMRAD_TEST_DATABASE_URL is not set")?;
            fresh_postgres_database(&admin).await
        }
    }
}

/// Starts the whole application with its own database and SMTP sink.
pub async fn spawn_app(backend: Backend) -> anyhow::Result<TestApp> {
    let data_dir = TempDir::new();
    let url = database_url(backend, &data_dir).await?;
    let db = server::app::connect_and_migrate(&url).await?;
    let smtp = SmtpSink::start().await?;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let settings = Settings {
        database_url: url,
        mail_dir: data_dir.0.join("mail"),
        smtp_url: Some(format!("smtp://{}", smtp.address())),
        mail_from: "Samråd <samrad@test.example>".into(),
        base_url: None,
        allowed_origins: Vec::new(),
        worker_poll: Duration::from_millis(200),
    };
    let app = Application::build(settings, db.clone(), listener).await?;
    let address = app.local_addr();
    let shutdown = app.shutdown_token();
    let server = tokio::spawn(app.run());

    let municipality_slug = "testvik".to_owned();
    let municipality = db
        .create_municipality(&municipality_slug, "Testvik kommune")
        .await?;
    let planner_token = format!("test-token-{}", Uuid::new_v4());
    db.create_api_token(municipality.id, "tests", &planner_token)
        .await?;

    Ok(TestApp {
        address,
        base_url: format!("http://{address}"),
        db,
        smtp,
        http: reqwest::Client::new(),
        planner_token,
        municipality_slug,
        shutdown,
        server: Some(server),
        _data_dir: data_dir,
    })
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base_url, path)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.address)
    }

    /// A request builder with the planner's token.
    pub fn as_planner(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, self.url(path))
            .bearer_auth(&self.planner_token)
    }

    /// Stops the app gracefully and waits for it.
    pub async fn stop(mut self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        if let Some(server) = self.server.take() {
            tokio::time::timeout(Duration::from_secs(10), server)
                .await
                .context("the server did not stop within 10 s")???;
        }
        Ok(())
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}
