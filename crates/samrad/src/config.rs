//! Layered configuration: defaults, then an optional TOML file, then `SAMRAD_*`
//! environment variables, then command-line flags. Secrets never print.

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Every setting, as a key in the TOML file and, upper-cased after `SAMRAD_`, in the
/// environment. A unit test keeps it equal to the fields of [`Config`].
pub const KEYS: &[&str] = &[
    "bind",
    "data_dir",
    "attachments_dir",
    "database_url",
    "smtp_url",
    "mail_from",
    "base_url",
    "allowed_origins",
    "log_format",
    "log_level",
    "report_threshold",
    "email_retention_days",
    "digest_hour",
    "embedded_worker",
    "sign_in_providers",
    "trusted_proxies",
    "frame_ancestors",
    "anonymous_comments_per_address",
    "anonymous_comments_per_email",
    "session_idle_minutes_staff",
    "session_idle_minutes_participant",
    "max_concurrent_uploads",
];

/// Variables with the `SAMRAD_` prefix that are not settings: the configuration file's
/// path and the test suites' own.
const OTHER_VARIABLES: &[&str] = &["config", "test_database_url", "bin"];

/// A misspelt key in the file is refused rather than silently ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub bind: SocketAddr,
    pub data_dir: PathBuf,
    /// Attached files of responses; defaults to `<data_dir>/attachments`.
    #[serde(default)]
    pub attachments_dir: Option<PathBuf>,
    /// `sqlite://…` or `postgres://…`; defaults to SQLite in the data folder.
    pub database_url: Option<SecretString>,
    /// `smtp://host:port`, `smtp://user:pass@host:587?tls=required` or `smtps://…`;
    /// without it emails are written to `<data_dir>/mail/`.
    pub smtp_url: Option<SecretString>,
    pub mail_from: String,
    /// The public address, for links in emails; defaults to `http://<bind>`.
    pub base_url: Option<String>,
    #[serde(default)]
    pub allowed_origins: Vec<String>,
    pub log_format: LogFormat,
    pub log_level: String,
    /// Reports from different people that hide a comment until a planner decides.
    pub report_threshold: u32,
    /// Days a sent or given-up email's text stays in the outbox before it is emptied.
    pub email_retention_days: u32,
    /// The hour (0–23, Norwegian time) the daily digests go out.
    pub digest_hour: u8,
    /// Whether `serve` runs the notification worker too; false when a separate
    /// `samrad worker` process sends the emails.
    pub embedded_worker: bool,
    /// The municipalities' identity providers (OpenID Connect), `[[sign_in_providers]]`.
    #[serde(default)]
    pub sign_in_providers: Vec<server::app::SignInProvider>,
    /// Reverse proxies (addresses or ranges such as `10.0.0.0/8`) whose forwarding
    /// headers are believed.
    #[serde(default)]
    pub trusted_proxies: Vec<String>,
    /// Sites that may show the public hearing pages in a frame.
    #[serde(default)]
    pub frame_ancestors: Vec<String>,
    /// Comments without an account one client address may post in an hour.
    pub anonymous_comments_per_address: u32,
    /// Comments without an account that may name one email address in an hour.
    pub anonymous_comments_per_email: u32,
    /// Minutes a staff member's session may go unused before it ends.
    pub session_idle_minutes_staff: u32,
    /// Minutes a participant's session may go unused before it ends.
    pub session_idle_minutes_participant: u32,
    /// Requests that may be receiving attachments at once in one process.
    pub max_concurrent_uploads: usize,
}

#[derive(Serialize)]
struct Defaults {
    bind: &'static str,
    data_dir: &'static str,
    mail_from: &'static str,
    log_format: LogFormat,
    log_level: &'static str,
    report_threshold: u32,
    email_retention_days: u32,
    digest_hour: u8,
    embedded_worker: bool,
    anonymous_comments_per_address: u32,
    anonymous_comments_per_email: u32,
    session_idle_minutes_staff: u32,
    session_idle_minutes_participant: u32,
    max_concurrent_uploads: usize,
}

impl Config {
    /// Reads the layers; `file` is `--config`, else `SAMRAD_CONFIG`, else `./samrad.toml` if present.
    pub fn load(file: Option<&Path>) -> anyhow::Result<Config> {
        let defaults = Defaults {
            bind: "127.0.0.1:8080",
            data_dir: "samrad-data",
            mail_from: "Samråd <samrad@localhost>",
            log_format: LogFormat::Text,
            log_level: "info,sqlx=warn,sea_orm=warn",
            report_threshold: domain::moderation::DEFAULT_REPORT_THRESHOLD,
            email_retention_days: notify::DEFAULT_RETENTION_DAYS,
            digest_hour: domain::digest::DEFAULT_HOUR,
            embedded_worker: true,
            anonymous_comments_per_address: server::DEFAULT_ANONYMOUS_COMMENTS_PER_ADDRESS,
            anonymous_comments_per_email: server::DEFAULT_ANONYMOUS_COMMENTS_PER_EMAIL,
            session_idle_minutes_staff: server::DEFAULT_SESSION_IDLE_MINUTES_STAFF,
            session_idle_minutes_participant: server::DEFAULT_SESSION_IDLE_MINUTES_PARTICIPANT,
            max_concurrent_uploads: server::DEFAULT_MAX_CONCURRENT_UPLOADS,
        };
        let mut figment = Figment::from(Serialized::defaults(defaults));
        let env_file = std::env::var_os("SAMRAD_CONFIG").map(PathBuf::from);
        match file.map(Path::to_path_buf).or(env_file) {
            Some(path) => {
                if !path.is_file() {
                    anyhow::bail!("configuration file {} does not exist", path.display());
                }
                figment = figment.merge(Toml::file(path));
            }
            None => figment = figment.merge(Toml::file("samrad.toml")),
        }
        let config: Config = figment
            .merge(Env::prefixed("SAMRAD_").only(KEYS))
            .extract()
            .map_err(|e| anyhow::anyhow!("configuration: {e}"))?;
        if !(1..=100).contains(&config.report_threshold) {
            anyhow::bail!(
                "configuration: report_threshold must be between 1 and 100, not {}",
                config.report_threshold
            );
        }
        if !(1..=3650).contains(&config.email_retention_days) {
            anyhow::bail!(
                "configuration: email_retention_days must be between 1 and 3650, not {}",
                config.email_retention_days
            );
        }
        if let Err(e) = server::parse_trusted_proxies(&config.trusted_proxies) {
            anyhow::bail!("configuration: trusted_proxies: {e}");
        }
        if let Some(bad) = config
            .frame_ancestors
            .iter()
            .find(|s| !server::frame_ancestor_valid(s))
        {
            anyhow::bail!(
                "configuration: frame_ancestors: {bad:?} is not an origin such as https://www.kommune.no"
            );
        }
        for (key, minutes) in [
            (
                "session_idle_minutes_staff",
                config.session_idle_minutes_staff,
            ),
            (
                "session_idle_minutes_participant",
                config.session_idle_minutes_participant,
            ),
        ] {
            // At least five minutes, so the warning two minutes before leaves time to read.
            if !(5..=20160).contains(&minutes) {
                anyhow::bail!(
                    "configuration: {key} must be between 5 and 20160 (14 days), not {minutes}"
                );
            }
        }
        if config.anonymous_comments_per_address == 0 || config.anonymous_comments_per_email == 0 {
            anyhow::bail!(
                "configuration: anonymous_comments_per_address and anonymous_comments_per_email must be at least 1"
            );
        }
        if config.max_concurrent_uploads == 0 {
            anyhow::bail!("configuration: max_concurrent_uploads must be at least 1");
        }
        if config.digest_hour > 23 {
            anyhow::bail!(
                "configuration: digest_hour must be between 0 and 23, not {}",
                config.digest_hour
            );
        }
        Ok(config)
    }

    pub fn database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.expose_secret().to_owned(),
            None => format!(
                "sqlite://{}?mode=rwc",
                self.data_dir.join("samrad.db").display()
            ),
        }
    }

    /// Where attached files of responses are kept (back it up with the database).
    pub fn attachments_dir(&self) -> PathBuf {
        self.attachments_dir
            .clone()
            .unwrap_or_else(|| self.data_dir.join("attachments"))
    }

    pub fn smtp_url(&self) -> Option<String> {
        self.smtp_url.as_ref().map(|s| s.expose_secret().to_owned())
    }

    /// The effective settings as an operator checks them; secrets show only whether
    /// they are set.
    pub fn summary(&self) -> serde_json::Value {
        let secret = |value: &Option<SecretString>| value.as_ref().map(|_| "(set, not shown)");
        serde_json::json!({
            "bind": self.bind.to_string(),
            "data_dir": self.data_dir,
            "attachments_dir": self.attachments_dir(),
            "database": if self.database_url.is_some() { "database_url" } else { "sqlite in data_dir" },
            "database_url": secret(&self.database_url),
            "smtp_url": secret(&self.smtp_url),
            "emails": if self.smtp_url.is_some() { "smtp" } else { "files in data_dir/mail" },
            "mail_from": self.mail_from,
            "base_url": self.base_url,
            "allowed_origins": self.allowed_origins,
            "log_format": self.log_format,
            "log_level": self.log_level,
            "report_threshold": self.report_threshold,
            "email_retention_days": self.email_retention_days,
            "digest_hour": self.digest_hour,
            "embedded_worker": self.embedded_worker,
            "trusted_proxies": self.trusted_proxies,
            "frame_ancestors": self.frame_ancestors,
            "anonymous_comments_per_address": self.anonymous_comments_per_address,
            "anonymous_comments_per_email": self.anonymous_comments_per_email,
            "session_idle_minutes_staff": self.session_idle_minutes_staff,
            "session_idle_minutes_participant": self.session_idle_minutes_participant,
            "max_concurrent_uploads": self.max_concurrent_uploads,
            "sign_in_providers": self.sign_in_providers.iter().map(|p| serde_json::json!({
                "id": p.id,
                "municipality": p.municipality,
                "label": p.label,
                "audience": format!("{:?}", p.audience).to_lowercase(),
                "issuer": p.issuer,
                "client_id": p.client_id,
                "client_secret": "(set, not shown)",
                "trust_email": p.trust_email,
            })).collect::<Vec<_>>(),
        })
    }
}

/// `SAMRAD_` variables in the environment that name no setting (a typo the loader
/// would otherwise pass over), lower-cased without the prefix.
pub fn unknown_environment() -> Vec<String> {
    let mut unknown: Vec<String> = std::env::vars_os()
        .filter_map(|(name, _)| name.into_string().ok())
        .filter_map(|name| name.strip_prefix("SAMRAD_").map(str::to_lowercase))
        .filter(|key| !KEYS.contains(&key.as_str()) && !OTHER_VARIABLES.contains(&key.as_str()))
        .collect();
    unknown.sort();
    unknown
}

#[cfg(test)]
mod tests {
    use super::*;

    /// serde names every field it expects when it meets an unknown one; that list is
    /// the struct's, so `KEYS` (which the environment is filtered by) cannot drift.
    #[test]
    fn keys_are_the_fields_of_the_configuration() {
        let err = toml_config("no_such_setting = 1").expect_err("an unknown key is refused");
        let message = err.to_string();
        let expected: Vec<&str> = message
            .split("one of ")
            .nth(1)
            .and_then(|rest| rest.split(" for key").next())
            .unwrap_or_else(|| panic!("serde lists the fields: {message}"))
            .split(", ")
            .map(|field| field.trim().trim_matches('`'))
            .collect();
        let mut keys = KEYS.to_vec();
        keys.sort_unstable();
        let mut fields = expected.clone();
        fields.sort_unstable();
        assert_eq!(keys, fields);
    }

    #[test]
    fn the_summary_shows_every_setting() {
        let config = toml_config("").expect("defaults load");
        let summary = config.summary();
        let mut shown: Vec<&str> = summary
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .filter(|key| !matches!(*key, "database" | "emails"))
            .collect();
        shown.sort_unstable();
        let mut keys = KEYS.to_vec();
        keys.sort_unstable();
        assert_eq!(shown, keys);
    }

    #[test]
    fn a_misspelt_key_in_the_file_is_refused() {
        let err = toml_config("digest_hours = 7").expect_err("refused");
        assert!(err.to_string().contains("digest_hours"), "{err}");
        let config = toml_config("digest_hour = 6\nembedded_worker = false").expect("loads");
        assert_eq!(config.digest_hour, 6);
        assert!(!config.embedded_worker);
    }

    fn toml_config(text: &str) -> anyhow::Result<Config> {
        let dir = std::env::temp_dir().join(format!(
            "samrad-config-{}-{}",
            std::process::id(),
            rand::random::<u64>()
        ));
        std::fs::create_dir_all(&dir)?;
        let file = dir.join("samrad.toml");
        std::fs::write(&file, text)?;
        let loaded = Config::load(Some(&file));
        let _ = std::fs::remove_dir_all(&dir);
        loaded
    }

    #[test]
    fn secrets_do_not_appear_in_debug_output() {
        let config = Config {
            bind: "127.0.0.1:8080".parse().expect("valid"),
            data_dir: "d".into(),
            attachments_dir: None,
            database_url: Some(SecretString::from("postgres://u:hunter2@db/samrad")),
            smtp_url: Some(SecretString::from("smtp://u:smtp-secret@mail")),
            mail_from: "a@b.no".into(),
            base_url: None,
            allowed_origins: vec![],
            log_format: LogFormat::Text,
            log_level: "info".into(),
            report_threshold: 3,
            email_retention_days: 30,
            digest_hour: 7,
            embedded_worker: true,
            sign_in_providers: Vec::new(),
            trusted_proxies: vec![],
            frame_ancestors: vec![],
            anonymous_comments_per_address: 20,
            anonymous_comments_per_email: 5,
            session_idle_minutes_staff: 30,
            session_idle_minutes_participant: 240,
            max_concurrent_uploads: 16,
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("smtp-secret"), "{printed}");
        let summary = config.summary().to_string();
        assert!(!summary.contains("hunter2"), "{summary}");
        assert!(!summary.contains("smtp-secret"), "{summary}");
        assert!(summary.contains("(set, not shown)"), "{summary}");
    }

    #[test]
    fn default_database_is_sqlite_in_the_data_folder() {
        let config = Config {
            bind: "127.0.0.1:8080".parse().expect("valid"),
            data_dir: "some/dir".into(),
            attachments_dir: None,
            database_url: None,
            smtp_url: None,
            mail_from: "a@b.no".into(),
            base_url: None,
            allowed_origins: vec![],
            log_format: LogFormat::Text,
            log_level: "info".into(),
            report_threshold: 3,
            email_retention_days: 30,
            digest_hour: 7,
            embedded_worker: true,
            sign_in_providers: Vec::new(),
            trusted_proxies: vec![],
            frame_ancestors: vec![],
            anonymous_comments_per_address: 20,
            anonymous_comments_per_email: 5,
            session_idle_minutes_staff: 30,
            session_idle_minutes_participant: 240,
            max_concurrent_uploads: 16,
        };
        assert_eq!(
            config.database_url(),
            "sqlite://some/dir/samrad.db?mode=rwc"
        );
        assert_eq!(
            config.attachments_dir(),
            PathBuf::from("some/dir").join("attachments")
        );
    }
}
