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

#[derive(Debug, Deserialize)]
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
    anonymous_comments_per_address: u32,
    anonymous_comments_per_email: u32,
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
            anonymous_comments_per_address: server::DEFAULT_ANONYMOUS_COMMENTS_PER_ADDRESS,
            anonymous_comments_per_email: server::DEFAULT_ANONYMOUS_COMMENTS_PER_EMAIL,
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
            .merge(Env::prefixed("SAMRAD_").ignore(&["config", "test_database_url"]))
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
        if config.anonymous_comments_per_address == 0 || config.anonymous_comments_per_email == 0 {
            anyhow::bail!(
                "configuration: anonymous_comments_per_address and anonymous_comments_per_email must be at least 1"
            );
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
            trusted_proxies: vec![],
            frame_ancestors: vec![],
            anonymous_comments_per_address: 20,
            anonymous_comments_per_email: 5,
        };
        let printed = format!("{config:?}");
        assert!(!printed.contains("hunter2"), "{printed}");
        assert!(!printed.contains("smtp-secret"), "{printed}");
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
            trusted_proxies: vec![],
            frame_ancestors: vec![],
            anonymous_comments_per_address: 20,
            anonymous_comments_per_email: 5,
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
