//! `samrad`: public hearings and consultation for Norwegian municipalities.
//!
//! The binary reads configuration, sets up logging, applies migrations and wires
//! the crates together; it holds no domain logic of its own.

mod analyse;
mod backup;
mod bench;
mod config;

use anyhow::{Context, bail};
use clap::{Parser, Subcommand};
use config::{Config, LogFormat};
use domain::Lang;
use server::app::{self, Application, Settings};
use std::io::Write;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};
use tokio_util::sync::CancellationToken;

#[derive(Parser, Debug)]
#[command(
    name = "samrad",
    version,
    about = "Samråd: public hearings and consultation for Norwegian municipalities"
)]
struct Cli {
    /// A TOML configuration file (also SAMRAD_CONFIG; ./samrad.toml is read if present).
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    /// Log as JSON lines instead of text (also SAMRAD_LOG_FORMAT=json).
    #[arg(long, global = true)]
    log_json: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Debug, Clone)]
struct StorageArgs {
    /// The data folder (SQLite database, emails written to files).
    #[arg(long, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// `sqlite://…` or `postgres://…` (also SAMRAD_DATABASE_URL).
    #[arg(long, value_name = "URL")]
    database_url: Option<String>,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run the whole platform: HTTP, websocket hub and notification worker.
    Serve {
        /// The address to listen on (default 127.0.0.1:8080).
        #[arg(long, value_name = "ADDR")]
        bind: Option<SocketAddr>,
        #[command(flatten)]
        storage: StorageArgs,
        /// Load the demo municipality (once; later starts leave it as it is).
        #[arg(long)]
        demo: bool,
        /// With --demo: leave out the demo hearing's inputs (a campaign, themes and
        /// screened input with personal data), for tests that start from no input.
        #[arg(long, requires = "demo")]
        demo_without_inputs: bool,
    },
    /// Run the notification worker alone.
    Worker {
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Print the effective settings (defaults, file, environment) with secrets hidden,
    /// as JSON; with --strict, fail on `SAMRAD_` variables that name no setting.
    Config {
        #[arg(long)]
        strict: bool,
    },
    /// Apply database migrations and exit.
    Migrate {
        #[command(flatten)]
        storage: StorageArgs,
        /// Apply nothing: list the migrations that would run, one a line; the exit
        /// status is 0 when none would, 1 when some would.
        #[arg(long)]
        check: bool,
    },
    /// Back up the SQLite database (a consistent copy, also while the server runs)
    /// and the attachment folder into one new ZIP file. PostgreSQL: use pg_dump.
    Backup {
        /// The backup file to write (it must not exist).
        file: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Export a whole plan (documents and every version, hearings with their change
    /// logs, comments and responses with attachments, the register with assessments,
    /// workshops and minutes) into a folder for the municipality's archive:
    /// plan.json with its JSON Schema, the files, and manifest.json with SHA-256
    /// checksums.
    Export {
        /// The municipality's slug.
        #[arg(long, value_name = "SLUG")]
        municipality: String,
        /// The plan's slug.
        #[arg(long, value_name = "SLUG")]
        plan: String,
        /// The folder to write (new, or existing and empty).
        dir: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Restore a backup made by `samrad backup` into a fresh data folder.
    Restore {
        /// The backup file.
        file: PathBuf,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Compute a hearing deadline under the Norwegian rules.
    Deadline {
        /// The opening day, YYYY-MM-DD.
        #[arg(long, value_name = "YYYY-MM-DD")]
        opens: String,
        /// Length of the hearing period in weeks.
        #[arg(long, default_value_t = 6)]
        weeks: u32,
        /// A later last day for the same period, YYYY-MM-DD: for example the suggested
        /// deadline that makes up for a holiday (the warning goes once it does).
        #[arg(long, value_name = "YYYY-MM-DD")]
        deadline_on: Option<String>,
        /// A consultation outside the Planning and Building Act (no six-week minimum).
        #[arg(long)]
        other: bool,
        /// Reason for a pbl period shorter than six weeks.
        #[arg(long, value_name = "TEXT")]
        override_reason: Option<String>,
        /// Language of the messages: nn, nb or en.
        #[arg(long, default_value = "nn")]
        lang: String,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Parse a document (text from a PDF, Markdown, DOCX or PDF) into numbered sections;
    /// with --dry-run print them, otherwise import them as a new document of a plan.
    Import {
        file: PathBuf,
        /// text, markdown, docx or pdf (default: detected from the content and name).
        #[arg(long)]
        format: Option<String>,
        /// Print the sections without touching a database.
        #[arg(long)]
        dry_run: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// The municipality of the plan (needed without --dry-run).
        #[arg(long)]
        municipality: Option<String>,
        /// The plan's slug (needed without --dry-run).
        #[arg(long)]
        plan: Option<String>,
        /// The document's title (default: a Word document's Title property, else the file name).
        #[arg(long)]
        title: Option<String>,
        /// planning_programme, plan_proposal or other.
        #[arg(long, default_value = "planning_programme")]
        kind: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Manage the municipality's staff (planners and administrators).
    Staff {
        #[command(subcommand)]
        command: StaffCommand,
    },
    /// Manage planners' API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Manage municipalities (tenants).
    Municipality {
        #[command(subcommand)]
        command: MunicipalityCommand,
    },
    /// Analyse inputs without a database: near-copies and campaigns, personal data,
    /// themes and summaries (computed locally; no text leaves the machine).
    Analyse {
        #[command(subcommand)]
        command: analyse::AnalyseCommand,
    },
    /// Fill the demo plan's input register for the benchmark
    /// (tests/bench/register_search.py); prints what it stored as JSON.
    #[command(hide = true, name = "bench-seed")]
    BenchSeed {
        /// How many inputs to store.
        #[arg(long, default_value_t = 20_000)]
        inputs: usize,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Subcommand, Debug)]
enum TokenCommand {
    /// Create a token acting as the municipality's administrator and print it once.
    Create {
        #[arg(long)]
        municipality: String,
        #[arg(long, default_value = "api")]
        label: String,
        /// The token may only read (every write answers 403).
        #[arg(long)]
        read_only: bool,
        /// Limit the token to one plan (by slug); other plans look unknown to it.
        #[arg(long, value_name = "SLUG")]
        plan: Option<String>,
        /// When the token stops working: a date (2027-01-31, the end of that day in
        /// Norway) or a time (2027-01-31T12:00:00Z).
        #[arg(long, value_name = "WHEN")]
        expires: Option<String>,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// List a municipality's tokens (never their secrets), one JSON object a line.
    List {
        #[arg(long)]
        municipality: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Revoke a token by id: refused at once by every process.
    Revoke {
        #[arg(long)]
        municipality: String,
        id: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Subcommand, Debug)]
enum StaffCommand {
    /// Give a person (created if new) a staff role; they sign in by emailed link.
    Add {
        #[arg(long)]
        municipality: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        name: String,
        /// planner or administrator.
        #[arg(long, default_value = "planner")]
        role: String,
        /// Language of their emails: nn, nb or en.
        #[arg(long, default_value = "nn")]
        lang: String,
        /// Also make them a planner of this plan (by slug); may be repeated.
        #[arg(long = "plan")]
        plans: Vec<String>,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

#[derive(Subcommand, Debug)]
enum MunicipalityCommand {
    /// Add a municipality.
    Add {
        slug: String,
        #[arg(long)]
        name: String,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Set how the municipality's emails are sent: the sender's display name and
    /// address, where replies go when a plan names no contact, and the public
    /// address its links use. A part left out falls back to the installation's.
    Sender {
        slug: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        from_address: Option<String>,
        #[arg(long)]
        reply_to: Option<String>,
        #[arg(long)]
        base_url: Option<String>,
        #[command(flatten)]
        storage: StorageArgs,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            use clap::error::ErrorKind;
            if matches!(
                err.kind(),
                ErrorKind::DisplayHelp
                    | ErrorKind::DisplayVersion
                    | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand
            ) {
                err.exit();
            }
            // One line naming the problem, not a page of usage.
            let rendered = err.render().to_string();
            let first = rendered.lines().next().unwrap_or("invalid arguments");
            eprintln!(
                "samrad: {} (see samrad --help)",
                first.trim_start_matches("error: ")
            );
            return ExitCode::from(2);
        }
    };
    match run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("samrad: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let mut config =
        Config::load(cli.config.as_deref()).map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
    if cli.log_json {
        config.log_format = LogFormat::Json;
    }
    match cli.command {
        Command::Analyse { command } => analyse::run(command),
        Command::Deadline {
            opens,
            weeks,
            deadline_on,
            other,
            override_reason,
            lang,
            json,
        } => deadline(
            &opens,
            weeks,
            deadline_on.as_deref(),
            other,
            override_reason,
            &lang,
            json,
        ),
        Command::Config { strict } => {
            let unknown = config::unknown_environment();
            if strict && !unknown.is_empty() {
                bail!(
                    "these SAMRAD_ variables name no setting: {}",
                    unknown
                        .iter()
                        .map(|key| format!("SAMRAD_{}", key.to_uppercase()))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
            let printed = serde_json::json!({
                "settings": config.summary(),
                "unknown_environment": unknown,
            });
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string_pretty(&printed)?
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Import {
            file,
            format,
            dry_run: true,
            json,
            ..
        } => {
            let imported = import_file(&file, format.as_deref())?;
            print_import(&imported, json)?;
            Ok(ExitCode::SUCCESS)
        }
        command => {
            init_tracing(&config);
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .enable_all()
                .build()
                .context("cannot start the async runtime")?;
            runtime.block_on(run_async(command, config))
        }
    }
}

fn init_tracing(config: &Config) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env()
        .or_else(|_| EnvFilter::try_new(&config.log_level))
        .unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match config.log_format {
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
        LogFormat::Text => builder.try_init(),
    };
}

fn apply_storage(config: &mut Config, storage: StorageArgs) {
    if let Some(dir) = storage.data_dir {
        config.data_dir = dir;
    }
    if let Some(url) = storage.database_url {
        config.database_url = Some(url.into());
    }
}

/// Creates the data folder and proves it is writable, so the failure is one clear line.
fn prepare_data_dir(dir: &Path) -> anyhow::Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("cannot create the data folder {}", dir.display()))?;
    let probe = dir.join(".write-test");
    std::fs::File::create(&probe)
        .and_then(|mut f| f.write_all(b"ok"))
        .with_context(|| format!("the data folder {} is not writable", dir.display()))?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

fn settings(config: &Config) -> Settings {
    Settings {
        database_url: config.database_url(),
        mail_dir: config.data_dir.join("mail"),
        attachments_dir: config.attachments_dir(),
        smtp_url: config.smtp_url(),
        mail_from: config.mail_from.clone(),
        base_url: config.base_url.clone(),
        allowed_origins: config.allowed_origins.clone(),
        worker_poll: Duration::from_secs(5),
        report_threshold: config.report_threshold,
        email_retention_days: config.email_retention_days,
        digest_hour: config.digest_hour,
        sign_in_providers: config.sign_in_providers.clone(),
        security: server::SecuritySettings {
            // Checked when the configuration was loaded.
            trusted_proxies: server::parse_trusted_proxies(&config.trusted_proxies)
                .unwrap_or_default(),
            frame_ancestors: config.frame_ancestors.clone(),
            anonymous_comments_per_address: config.anonymous_comments_per_address,
            anonymous_comments_per_email: config.anonymous_comments_per_email,
            session_idle_staff: Duration::from_secs(
                60 * u64::from(config.session_idle_minutes_staff),
            ),
            session_idle_participant: Duration::from_secs(
                60 * u64::from(config.session_idle_minutes_participant),
            ),
            max_concurrent_uploads: config.max_concurrent_uploads,
        },
    }
}

async fn open_db(config: &Config) -> anyhow::Result<db::Db> {
    if config.database_url.is_none() {
        prepare_data_dir(&config.data_dir)?;
    }
    let db = app::connect_and_migrate(&config.database_url())
        .await
        .context("cannot open the database")?;
    Ok(db)
}

/// The migrations `samrad migrate` would apply, without touching the database (a
/// SQLite file that does not exist yet would get every one).
async fn pending_migrations(config: &Config) -> anyhow::Result<Vec<String>> {
    let url = config.database_url();
    let missing_file = config.database_url.is_none() && !config.data_dir.join("samrad.db").exists();
    let db = if missing_file {
        db::Db::connect("sqlite::memory:").await
    } else {
        db::Db::connect(&url).await
    }
    .context("cannot open the database")?;
    let pending = db.pending_migration_names().await?;
    db.close().await.ok();
    Ok(pending)
}

fn shutdown_on_signal(token: CancellationToken) {
    tokio::spawn(async move {
        let ctrl_c = tokio::signal::ctrl_c();
        #[cfg(unix)]
        let terminate = async {
            match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
                Ok(mut s) => {
                    s.recv().await;
                }
                Err(_) => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let terminate = std::future::pending::<()>();
        tokio::select! {
            _ = ctrl_c => {}
            _ = terminate => {}
        }
        tracing::info!("shutting down");
        token.cancel();
    });
}

async fn run_async(command: Command, mut config: Config) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve {
            bind,
            storage,
            demo,
            demo_without_inputs,
        } => {
            let started = Instant::now();
            apply_storage(&mut config, storage);
            if let Some(bind) = bind {
                config.bind = bind;
            }
            if config.smtp_url.is_none() {
                prepare_data_dir(&config.data_dir)?;
            }
            let db = open_db(&config).await?;
            if demo {
                let hearing = server::demo::load(&db)
                    .await
                    .context("cannot load the demo")?;
                if !demo_without_inputs {
                    server::demo::load_inputs(&db, &hearing)
                        .await
                        .context("cannot load the demo's inputs")?;
                }
                tracing::info!(hearing = %hearing.id, "demo municipality loaded");
            }
            let listener = tokio::net::TcpListener::bind(config.bind)
                .await
                .with_context(|| format!("cannot listen on {}", config.bind))?;
            let mut application = Application::build(settings(&config), db, listener).await?;
            if !config.embedded_worker {
                application = application.without_worker();
                tracing::info!("emails are left to a separate `samrad worker`");
            }
            shutdown_on_signal(application.shutdown_token());
            tracing::info!(
                address = %application.local_addr(),
                ready_in_ms = started.elapsed().as_millis() as u64,
                "Samråd is listening on http://{}",
                application.local_addr()
            );
            application
                .run()
                .await
                .context("the server stopped with an error")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Worker { storage } => {
            apply_storage(&mut config, storage);
            let db = open_db(&config).await?;
            let token = CancellationToken::new();
            shutdown_on_signal(token.clone());
            let mut settings = settings(&config);
            // Links in reminders point where `serve` would answer.
            settings
                .base_url
                .get_or_insert_with(|| format!("http://{}", config.bind));
            app::run_worker(settings, db, token).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::BenchSeed { inputs, storage } => {
            apply_storage(&mut config, storage);
            let db = open_db(&config).await?;
            let seeded = bench::seed(&db, inputs).await?;
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string(&seeded)?
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate {
            storage,
            check: false,
        } => {
            apply_storage(&mut config, storage);
            open_db(&config).await?;
            tracing::info!("migrations applied");
            Ok(ExitCode::SUCCESS)
        }
        Command::Migrate {
            storage,
            check: true,
        } => {
            apply_storage(&mut config, storage);
            let pending = pending_migrations(&config).await?;
            let mut out = std::io::stdout().lock();
            for name in &pending {
                writeln!(out, "{name}")?;
            }
            if pending.is_empty() {
                eprintln!("samrad: the database is up to date");
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!(
                    "samrad: {} migration(s) would run (samrad migrate applies them)",
                    pending.len()
                );
                Ok(ExitCode::FAILURE)
            }
        }
        Command::Backup { file, storage } => {
            apply_storage(&mut config, storage);
            let manifest = backup::backup(&config, &file).await?;
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::json!({
                    "file": file.display().to_string(),
                    "started_at": manifest.started_at,
                    "database_bytes": manifest.database_bytes,
                    "attachments": manifest.attachments,
                    "attachment_bytes": manifest.attachment_bytes,
                })
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Export {
            municipality,
            plan,
            dir,
            storage,
        } => {
            apply_storage(&mut config, storage);
            let db = open_db(&config).await?;
            let service = consultation::Consultation::new(
                db.clone(),
                std::sync::Arc::new(consultation::Silent),
                consultation::Settings {
                    base_url: config
                        .base_url
                        .clone()
                        .unwrap_or_else(|| format!("http://{}", config.bind)),
                    report_threshold: config.report_threshold,
                    attachments_dir: config.attachments_dir(),
                },
            );
            let manifest = service.export_plan(&municipality, &plan, &dir).await?;
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::json!({
                    "dir": dir.display().to_string(),
                    "files": manifest.files.len(),
                    "exported_at": manifest.exported_at,
                })
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Restore { file, storage } => {
            apply_storage(&mut config, storage);
            let restored = backup::restore(&config, &file).await?;
            writeln!(
                std::io::stdout().lock(),
                "{}",
                serde_json::to_string(&restored)?
            )?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Token {
            command:
                TokenCommand::Create {
                    municipality,
                    label,
                    read_only,
                    plan,
                    expires,
                    storage,
                },
        } => {
            apply_storage(&mut config, storage);
            let label = domain::validate::line("label", &label, 100)?;
            let expires_at = expires.as_deref().map(parse_expiry).transpose()?;
            if expires_at.is_some_and(|at| at <= jiff::Timestamp::now()) {
                bail!("--expires must be in the future");
            }
            let db = open_db(&config).await?;
            let Some(m) = db.municipality_by_slug(&municipality).await? else {
                bail!(
                    "no municipality with the slug {municipality:?} (add one with `samrad municipality add`)"
                );
            };
            let plan = match &plan {
                Some(slug) => match db.plan_by_slug(m.id, slug).await? {
                    Some(plan) => Some(plan.id),
                    None => bail!("{municipality:?} has no plan with the slug {slug:?}"),
                },
                None => None,
            };
            let token = new_token();
            db.create_scoped_api_token(
                &db::NewApiToken {
                    municipality: m.id,
                    person: None,
                    label: &label,
                    read_only,
                    plan,
                    expires_at,
                    created_by: None,
                },
                &token,
            )
            .await?;
            // The token is shown once, on request; only its hash is stored.
            let mut out = std::io::stdout().lock();
            writeln!(out, "{token}")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Token {
            command:
                TokenCommand::List {
                    municipality,
                    storage,
                },
        } => {
            apply_storage(&mut config, storage);
            let db = open_db(&config).await?;
            let Some(m) = db.municipality_by_slug(&municipality).await? else {
                bail!("no municipality with the slug {municipality:?}");
            };
            let mut out = std::io::stdout().lock();
            for token in db.api_tokens(m.id, None).await? {
                writeln!(out, "{}", serde_json::to_string(&token)?)?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Token {
            command:
                TokenCommand::Revoke {
                    municipality,
                    id,
                    storage,
                },
        } => {
            apply_storage(&mut config, storage);
            let id = id
                .trim()
                .parse::<domain::ApiTokenId>()
                .with_context(|| format!("{id:?} is not a token id (see `samrad token list`)"))?;
            let db = open_db(&config).await?;
            let Some(m) = db.municipality_by_slug(&municipality).await? else {
                bail!("no municipality with the slug {municipality:?}");
            };
            match db.revoke_api_token(m.id, id, None, None).await {
                Ok(true) => writeln!(std::io::stdout().lock(), "revoked {id}")?,
                Ok(false) => writeln!(std::io::stdout().lock(), "{id} was already revoked")?,
                Err(db::DbError::NotFound) => bail!("{municipality:?} has no token {id}"),
                Err(err) => return Err(err.into()),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Municipality {
            command:
                MunicipalityCommand::Sender {
                    slug,
                    display_name,
                    from_address,
                    reply_to,
                    base_url,
                    storage,
                },
        } => {
            apply_storage(&mut config, storage);
            let sender = domain::plan::Sender::typed(
                display_name.as_deref(),
                from_address.as_deref(),
                reply_to.as_deref(),
                base_url.as_deref(),
            )?;
            let db = open_db(&config).await?;
            let Some(m) = db.municipality_by_slug(&slug).await? else {
                bail!("no municipality with the slug {slug:?}");
            };
            db.set_municipality_sender(m.id, &sender).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Municipality {
            command:
                MunicipalityCommand::Add {
                    slug,
                    name,
                    storage,
                },
        } => {
            apply_storage(&mut config, storage);
            let slug = domain::validate::slug("slug", &slug)?;
            let name = domain::validate::line("name", &name, 200)?;
            let db = open_db(&config).await?;
            match db.create_municipality(&slug, &name).await {
                Ok(_) => Ok(ExitCode::SUCCESS),
                Err(db::DbError::Conflict(_)) => {
                    bail!("a municipality with the slug {slug:?} exists already")
                }
                Err(e) => Err(e.into()),
            }
        }
        Command::Import {
            file,
            format,
            json,
            municipality,
            plan,
            title,
            kind,
            storage,
            ..
        } => {
            let (Some(municipality), Some(plan)) = (municipality, plan) else {
                bail!("importing into a plan needs --municipality and --plan (or use --dry-run)");
            };
            let kind = domain::plan::DocumentKind::parse(&kind).with_context(|| {
                format!("unknown --kind {kind:?}: use planning_programme, plan_proposal or other")
            })?;
            let imported = import_file(&file, format.as_deref())?;
            apply_storage(&mut config, storage);
            let db = open_db(&config).await?;
            let Some(m) = db.municipality_by_slug(&municipality).await? else {
                bail!("no municipality with the slug {municipality:?}");
            };
            let Some(p) = db.plan_by_slug(m.id, &plan).await? else {
                bail!("no plan with the slug {plan:?} in {municipality}");
            };
            // The title given, else the one the document gives itself, else the file name.
            let title = title.or_else(|| imported.title.clone()).unwrap_or_else(|| {
                file.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "Dokument".to_owned())
            });
            // The command line acts as the municipality's administrator, through the
            // same use case (and the same section rule) as the API and the workbench.
            let service = consultation::Consultation::new(
                db.clone(),
                std::sync::Arc::new(consultation::Silent),
                consultation::Settings {
                    base_url: config
                        .base_url
                        .clone()
                        .unwrap_or_else(|| format!("http://{}", config.bind)),
                    report_threshold: config.report_threshold,
                    attachments_dir: config.attachments_dir(),
                },
            );
            let warnings = imported
                .warnings
                .iter()
                .cloned()
                .map(consultation::documents::draft_warning)
                .collect();
            let (created, warnings) = service
                .import_into_plan(
                    &domain::policy::Actor::api_token(m.id),
                    p.id,
                    &title,
                    Some(kind.as_str()),
                    imported.sections,
                    warnings,
                )
                .await
                .map_err(|e| anyhow::anyhow!("cannot import {}: {e}", file.display()))?;
            let mut out = std::io::stdout().lock();
            if json {
                let answer = serde_json::json!({
                    "document_id": created.document.id,
                    "version_id": created.version.id,
                    "version": created.version.number,
                    "sections": created.sections.len(),
                    "warnings": warnings,
                });
                writeln!(out, "{}", serde_json::to_string_pretty(&answer)?)?;
            } else {
                writeln!(
                    out,
                    "imported {} sections as version {} of document {}",
                    created.sections.len(),
                    created.version.number,
                    created.document.id
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Staff {
            command:
                StaffCommand::Add {
                    municipality,
                    email,
                    name,
                    role,
                    lang,
                    plans,
                    storage,
                },
        } => {
            apply_storage(&mut config, storage);
            let email = domain::validate::email("email", &email)?;
            let name = domain::validate::line("name", &name, 200)?;
            let role = domain::person::StaffRole::parse(&role)
                .with_context(|| format!("unknown role {role:?}: use planner or administrator"))?;
            let lang = Lang::parse(&lang)
                .with_context(|| format!("unknown language {lang:?}: use nn, nb or en"))?;
            let db = open_db(&config).await?;
            let Some(m) = db.municipality_by_slug(&municipality).await? else {
                bail!("no municipality with the slug {municipality:?}");
            };
            let mut planned = Vec::with_capacity(plans.len());
            for slug in &plans {
                let Some(plan) = db.plan_by_slug(m.id, slug).await? else {
                    bail!("{municipality:?} has no plan with the slug {slug:?}");
                };
                planned.push(plan.id);
            }
            let person = db.ensure_person(&email, &name, lang).await?;
            db.set_staff_role(person.id, m.id, role).await?;
            for plan in planned {
                db.add_plan_planner(plan, person.id).await?;
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Deadline { .. } | Command::Config { .. } | Command::Analyse { .. } => {
            unreachable_command()
        }
    }
}

fn unreachable_command() -> anyhow::Result<ExitCode> {
    bail!("this command does not need the database")
}

/// Reads and parses a file; the importer itself does no I/O.
fn import_file(file: &Path, format: Option<&str>) -> anyhow::Result<importer::Imported> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let format = match format {
        Some(f) => importer::Format::parse(f)
            .with_context(|| format!("unknown --format {f:?}: use text, markdown, docx or pdf"))?,
        None => importer::Format::detect(&name, &bytes).with_context(|| {
            format!(
                "cannot tell the format of {}: give --format",
                file.display()
            )
        })?,
    };
    importer::import(&bytes, format)
        .map_err(|e| anyhow::anyhow!("cannot import {}: {e}", file.display()))
}

fn print_import(imported: &importer::Imported, json: bool) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        let answer = serde_json::json!({
            "sections": imported.sections,
            "warnings": imported.warnings,
        });
        writeln!(out, "{}", serde_json::to_string_pretty(&answer)?)?;
    } else {
        for s in &imported.sections {
            let indent = "  ".repeat(usize::try_from(s.level.max(1) - 1).unwrap_or(0));
            writeln!(out, "{indent}{} {}", s.number, s.title)?;
        }
        for w in &imported.warnings {
            writeln!(out, "! {}", w.message)?;
        }
    }
    Ok(())
}

/// `--expires`: a date means the end of that day in Norway; otherwise an RFC 3339 time.
fn parse_expiry(value: &str) -> anyhow::Result<jiff::Timestamp> {
    let value = value.trim();
    if let Ok(date) = value.parse::<jiff::civil::Date>() {
        let next = date
            .tomorrow()
            .context("--expires is too far in the future")?;
        return Ok(next
            .to_zoned(jiff::tz::TimeZone::get("Europe/Oslo")?)?
            .timestamp());
    }
    value.parse::<jiff::Timestamp>().with_context(|| {
        format!(
            "--expires {value:?} is neither a date (2027-01-31) nor a time (2027-01-31T12:00:00Z)"
        )
    })
}

fn new_token() -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    format!(
        "samrad_{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
    )
}

fn deadline(
    opens: &str,
    weeks: u32,
    deadline_on: Option<&str>,
    other: bool,
    override_reason: Option<String>,
    lang: &str,
    json: bool,
) -> anyhow::Result<ExitCode> {
    use domain::deadline::{DeadlineRequest, HearingKind, compute_deadline};
    let lang = Lang::parse(lang)
        .with_context(|| format!("unknown language {lang:?}: use nn, nb or en"))?;
    let opens_date: jiff::civil::Date = opens
        .parse()
        .map_err(|_| anyhow::anyhow!("--opens must be a date written YYYY-MM-DD, not {opens:?}"))?;
    let request = DeadlineRequest {
        opens: opens_date,
        weeks,
        kind: if other {
            HearingKind::Other
        } else {
            HearingKind::Pbl
        },
        override_reason,
    };
    let result = match deadline_on {
        None => compute_deadline(&request),
        Some(text) => {
            let last: jiff::civil::Date = text.parse().map_err(|_| {
                anyhow::anyhow!("--deadline-on must be a date written YYYY-MM-DD, not {text:?}")
            })?;
            if last < opens_date.checked_add(jiff::Span::new().weeks(i64::from(weeks)))? {
                anyhow::bail!("--deadline-on must not shorten the period of --weeks {weeks}");
            }
            domain::deadline::deadline_on(
                opens_date,
                last,
                request.kind,
                request.override_reason.as_deref(),
                Some(weeks),
            )
        }
    }
    .map_err(|e| anyhow::anyhow!(server::deadline_error_message(lang, &e)))?;
    let report = server::deadline_report(lang, &result);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        writeln!(out, "{}", report.deadline)?;
        for warning in &report.warnings {
            writeln!(out, "! {}", warning.message)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
