//! The end-to-end harness: [`spawn_app`] starts the real Samråd (HTTP, websocket hub
//! and notification worker) on port 0 with its own database and its own SMTP sink,
//! and hands out real clients. Every end-to-end test starts here.
//!
//! The database is SQLite in a temporary folder, or, when `SAMRAD_TEST_DATABASE_URL`
//! points to a PostgreSQL server, a fresh database created for the test.

pub mod fixtures;
pub mod processes;
pub mod rig;
pub mod smtp_sink;
pub mod ws;

pub use fixtures::{OpenHearing, PATIENCE, SignedIn, set_cookie, token_after};

use anyhow::Context;
use server::app::{Application, Settings};
use smtp_sink::SmtpSink;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{OwnedRwLockReadGuard, OwnedRwLockWriteGuard, RwLock};
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
    /// The database URL, so a test can restart the app on the same data.
    pub database_url: String,
    /// The running application's state (its hub, for publishing committed events).
    pub state: server::AppState,
    /// Where the app stores attached files.
    pub attachments_dir: PathBuf,
    shutdown: CancellationToken,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
    data_dir: Option<TempDir>,
    /// Held while the app lives: shared by all apps, or alone (see [`spawn_app_alone`]).
    claim: Option<Claim>,
}

/// Most tests run side by side in one process. A test that reads process-wide state
/// (the global metrics, the process's memory) runs alone instead: every app holds
/// a shared claim, and [`spawn_app_alone`] waits until no other app lives.
static PROCESS: std::sync::LazyLock<Arc<RwLock<()>>> =
    std::sync::LazyLock::new(|| Arc::new(RwLock::new(())));

#[allow(dead_code)] // the guards are held, never read
enum Claim {
    Shared(OwnedRwLockReadGuard<()>),
    Alone(OwnedRwLockWriteGuard<()>),
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

/// Logs go to the test output when `TEST_LOG` is set (e.g. `TEST_LOG=debug`).
fn init_logging() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        if let Ok(filter) = std::env::var("TEST_LOG") {
            let _ = tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::new(filter))
                .with_test_writer()
                .try_init();
        }
    });
}

/// Starts the whole application with its own database and SMTP sink.
pub async fn spawn_app(backend: Backend) -> anyhow::Result<TestApp> {
    let claim = Claim::Shared(Arc::clone(&PROCESS).read_owned().await);
    spawn_app_with(backend, claim, AppOptions::default()).await
}

/// What a test may set on the application it starts.
#[derive(Default)]
pub struct AppOptions {
    pub security: server::SecuritySettings,
    pub sign_in_providers: Vec<server::app::SignInProvider>,
    /// Bound by the test when it must know the address before the app starts.
    pub listener: Option<tokio::net::TcpListener>,
}

/// Like [`spawn_app`], with the municipalities' identity providers configured. The
/// listener is bound first, so a provider started by the test can be told the
/// callback address before the app starts.
pub async fn spawn_app_with_providers(
    backend: Backend,
    listener: tokio::net::TcpListener,
    sign_in_providers: Vec<server::app::SignInProvider>,
) -> anyhow::Result<TestApp> {
    let claim = Claim::Shared(Arc::clone(&PROCESS).read_owned().await);
    let options = AppOptions {
        sign_in_providers,
        listener: Some(listener),
        ..AppOptions::default()
    };
    spawn_app_with(backend, claim, options).await
}

/// Like [`spawn_app`], with `security` settings of the test's own (trusted proxies,
/// framing, limits on posting without an account).
pub async fn spawn_app_secured(
    backend: Backend,
    security: server::SecuritySettings,
) -> anyhow::Result<TestApp> {
    let claim = Claim::Shared(Arc::clone(&PROCESS).read_owned().await);
    let options = AppOptions {
        security,
        ..AppOptions::default()
    };
    spawn_app_with(backend, claim, options).await
}

/// Like [`spawn_app`], for a test that reads process-wide state (the global
/// metrics, the process's memory): waits until no other app lives in this process,
/// and keeps others from starting until this one is dropped.
pub async fn spawn_app_alone(backend: Backend) -> anyhow::Result<TestApp> {
    // Never queued behind the others: a queued writer would hold up a test that
    // starts a second app while it has one, and wait for that test forever.
    let claim = loop {
        if let Ok(alone) = Arc::clone(&PROCESS).try_write_owned() {
            break Claim::Alone(alone);
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    spawn_app_with(backend, claim, AppOptions::default()).await
}

async fn spawn_app_with(
    backend: Backend,
    claim: Claim,
    options: AppOptions,
) -> anyhow::Result<TestApp> {
    init_logging();
    let data_dir = TempDir::new();
    let url = database_url(backend, &data_dir).await?;
    let smtp = SmtpSink::start().await?;
    let mut app = start(url, smtp, data_dir, options).await?;
    app.claim = Some(claim);
    let municipality_slug = "testvik".to_owned();
    let municipality = app
        .db
        .create_municipality(&municipality_slug, "Testvik kommune")
        .await?;
    app.db
        .create_api_token(municipality.id, "tests", &app.planner_token)
        .await?;
    app.municipality_slug = municipality_slug;
    Ok(app)
}

async fn start(
    url: String,
    smtp: SmtpSink,
    data_dir: TempDir,
    options: AppOptions,
) -> anyhow::Result<TestApp> {
    let db = server::app::connect_and_migrate(&url).await?;
    let listener = match options.listener {
        Some(listener) => listener,
        None => tokio::net::TcpListener::bind("127.0.0.1:0").await?,
    };
    let db_url_holder = url.clone();
    let attachments_dir = data_dir.0.join("attachments");
    let settings = Settings {
        database_url: url,
        mail_dir: data_dir.0.join("mail"),
        attachments_dir: attachments_dir.clone(),
        smtp_url: Some(format!("smtp://{}", smtp.address())),
        mail_from: "Samråd <samrad@test.example>".into(),
        base_url: None,
        allowed_origins: Vec::new(),
        worker_poll: Duration::from_millis(200),
        report_threshold: domain::moderation::DEFAULT_REPORT_THRESHOLD,
        email_retention_days: 30,
        digest_hour: domain::digest::DEFAULT_HOUR,
        security: options.security,
        sign_in_providers: options.sign_in_providers,
    };
    let app = Application::build(settings, db.clone(), listener).await?;
    let address = app.local_addr();
    let shutdown = app.shutdown_token();
    let state = app.state().clone();
    let server = tokio::spawn(app.run());
    let database_url = db_url_holder;
    Ok(TestApp {
        address,
        base_url: format!("http://{address}"),
        db,
        smtp,
        http: reqwest::Client::new(),
        planner_token: format!("test-token-{}", Uuid::new_v4()),
        municipality_slug: String::new(),
        database_url,
        state,
        attachments_dir,
        shutdown,
        server: Some(server),
        data_dir: Some(data_dir),
        claim: None,
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
        self.halt().await
    }

    async fn halt(&mut self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        if let Some(server) = self.server.take() {
            tokio::time::timeout(Duration::from_secs(10), server)
                .await
                .context("the server did not stop within 10 s")???;
        }
        Ok(())
    }

    /// Stops the app, runs `while_down` against its database (as an operator or a
    /// clock would while no process runs), then starts it again on the same data.
    pub async fn restart_after<F, Fut>(mut self, while_down: F) -> anyhow::Result<TestApp>
    where
        F: FnOnce(Db) -> Fut,
        Fut: std::future::Future<Output = anyhow::Result<()>>,
    {
        self.halt().await?;
        while_down(self.db.clone()).await?;
        let data_dir = self.data_dir.take().context("the data folder is gone")?;
        let options = AppOptions {
            security: self.state.config().security.clone(),
            sign_in_providers: self.state.config().sign_in_providers.clone(),
            listener: None,
        };
        let mut next = start(
            self.database_url.clone(),
            self.smtp.clone(),
            data_dir,
            options,
        )
        .await?;
        next.planner_token = self.planner_token.clone();
        next.municipality_slug = self.municipality_slug.clone();
        next.claim = self.claim.take();
        Ok(next)
    }
}

impl TestApp {
    /// Stops this app's own server and worker but keeps its database, SMTP sink and
    /// helpers, for a test that serves from real processes instead (see [`processes`]).
    pub async fn stop_serving(&mut self) -> anyhow::Result<()> {
        self.halt().await
    }

    /// The same helpers (planner token, database, SMTP sink) aimed at another server
    /// on this app's database, such as a `samrad serve` process the test started.
    pub fn facing(&self, address: SocketAddr) -> TestApp {
        TestApp {
            address,
            base_url: format!("http://{address}"),
            db: self.db.clone(),
            smtp: self.smtp.clone(),
            http: reqwest::Client::new(),
            planner_token: self.planner_token.clone(),
            municipality_slug: self.municipality_slug.clone(),
            database_url: self.database_url.clone(),
            state: self.state.clone(),
            attachments_dir: self.attachments_dir.clone(),
            shutdown: CancellationToken::new(),
            server: None,
            data_dir: None,
            claim: None,
        }
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.shutdown.cancel();
    }
}

/// A plan with a two-section document, created through the API as a planner would.
pub struct DraftDocument {
    pub plan_id: String,
    pub document_id: String,
    pub version_id: String,
    pub section_ids: Vec<String>,
}

impl TestApp {
    /// POSTs JSON as the planner and returns the status and the JSON answer.
    pub async fn post_as_planner(
        &self,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let response = self
            .as_planner(reqwest::Method::POST, path)
            .json(&body)
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self
            .http
            .get(self.url(path))
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }

    pub async fn draft_document(&self, slug: &str) -> DraftDocument {
        let (status, plan) = self
            .post_as_planner(
                "/api/v1/plans",
                serde_json::json!({
                    "slug": slug,
                    "title": "Kommunedelplan for helse, sosial og omsorg",
                    "period_start": 2021,
                    "period_end": 2033,
                    "contact_email": "planleggjar@testvik.example"
                }),
            )
            .await;
        assert_eq!(status, 201, "{plan}");
        let plan_id = plan["id"].as_str().expect("plan id").to_owned();
        let (status, document) = self
            .post_as_planner(
                &format!("/api/v1/plans/{plan_id}/documents"),
                serde_json::json!({
                    "kind": "planning_programme",
                    "title": "Planprogram",
                    "sections": [
                        {"number": "1", "title": "Innleiing", "level": 1, "body": "Kvifor vi lagar planen."},
                        {"number": "3.1", "title": "Roller og ansvar", "level": 2, "body": "Kven gjer kva."}
                    ]
                }),
            )
            .await;
        assert_eq!(status, 201, "{document}");
        DraftDocument {
            plan_id,
            document_id: document["id"].as_str().expect("document id").to_owned(),
            version_id: document["version_id"]
                .as_str()
                .expect("version id")
                .to_owned(),
            section_ids: document["sections"]
                .as_array()
                .expect("sections")
                .iter()
                .map(|s| s["id"].as_str().expect("section id").to_owned())
                .collect(),
        }
    }
}

/// A client that keeps cookies and does not follow redirects, like a browser tab
/// whose every step a test looks at.
pub fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client")
}

/// Makes `email` a planner on the test municipality's staff and a planner of every
/// plan it has so far.
pub async fn planner(app: &TestApp, email: &str) -> domain::person::Person {
    let municipality = app
        .db
        .municipality_by_slug(&app.municipality_slug)
        .await
        .expect("db")
        .expect("municipality");
    let person = app
        .db
        .ensure_person(email, "Kari Nordmann", domain::Lang::Nn)
        .await
        .expect("person");
    app.db
        .set_staff_role(
            person.id,
            municipality.id,
            domain::person::StaffRole::Planner,
        )
        .await
        .expect("role");
    for plan in app.db.plans_of(municipality.id).await.expect("plans") {
        app.db
            .add_plan_planner(plan.id, person.id)
            .await
            .expect("plan planner");
    }
    person
}

/// Asks for a sign-in link and returns the token from the newest sign-in email to
/// `email` that the SMTP sink received.
pub async fn request_link(app: &TestApp, client: &reqwest::Client, email: &str) -> String {
    request_link_in(app, client, email, None).await
}

/// Like [`request_link`], asked for in the municipality `slug` when given.
pub async fn request_link_in(
    app: &TestApp,
    client: &reqwest::Client,
    email: &str,
    municipality: Option<&str>,
) -> String {
    let links_to = |mails: &[smtp_sink::ReceivedMail]| -> Vec<String> {
        mails
            .iter()
            .filter(|m| m.to == [email])
            .filter_map(|m| token_after(&m.text(), "token="))
            .collect()
    };
    let before = links_to(&app.smtp.mails()).len();
    let response = client
        .post(app.url("/sign-in"))
        .form(&[
            ("email", email),
            ("municipality", municipality.unwrap_or("")),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 200);
    app.smtp
        .wait_until(PATIENCE, |mails| links_to(mails).get(before).cloned())
        .await
        .unwrap_or_else(|e| panic!("no sign-in email to {email}: {e}"))
}

/// A cookie-keeping client signed in as a planner of the test municipality (see
/// [`TestApp::planner`], which also gives the session cookie and the person).
pub async fn signed_in_planner(app: &TestApp, email: &str) -> reqwest::Client {
    app.planner(email).await.client
}

impl TestApp {
    /// GETs JSON as the planner and returns the status and the JSON answer.
    pub async fn get_json_as_planner(&self, path: &str) -> (u16, serde_json::Value) {
        let response = self
            .as_planner(reqwest::Method::GET, path)
            .send()
            .await
            .expect("request sent");
        let status = response.status().as_u16();
        (
            status,
            response.json().await.unwrap_or(serde_json::Value::Null),
        )
    }
}

/// Another server process on the same database, as behind a load balancer.
pub struct OtherProcess {
    pub address: SocketAddr,
    shutdown: CancellationToken,
    server: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl OtherProcess {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.address, path)
    }

    pub fn ws_url(&self) -> String {
        format!("ws://{}/ws", self.address)
    }

    pub async fn stop(self) -> anyhow::Result<()> {
        self.shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(10), self.server)
            .await
            .context("the second process did not stop")???;
        Ok(())
    }
}

impl TestApp {
    /// Starts a second application on this app's database (its own port and hub).
    pub async fn another_process(&self) -> anyhow::Result<OtherProcess> {
        let db = server::app::connect_and_migrate(&self.database_url).await?;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let settings = Settings {
            database_url: self.database_url.clone(),
            mail_dir: std::env::temp_dir().join(format!("samrad-other-{}", Uuid::new_v4())),
            // A folder of its own: on PostgreSQL attachments live in the database,
            // so no process depends on another's disk.
            attachments_dir: std::env::temp_dir()
                .join(format!("samrad-other-attachments-{}", Uuid::new_v4())),
            smtp_url: Some(format!("smtp://{}", self.smtp.address())),
            mail_from: "Samråd <samrad@test.example>".into(),
            base_url: None,
            allowed_origins: Vec::new(),
            worker_poll: Duration::from_millis(200),
            report_threshold: domain::moderation::DEFAULT_REPORT_THRESHOLD,
            email_retention_days: 30,
            digest_hour: domain::digest::DEFAULT_HOUR,
            security: server::SecuritySettings::default(),
            sign_in_providers: Vec::new(),
        };
        let app = Application::build(settings, db, listener).await?;
        let address = app.local_addr();
        let shutdown = app.shutdown_token();
        let server = tokio::spawn(app.run());
        Ok(OtherProcess {
            address,
            shutdown,
            server,
        })
    }
}
