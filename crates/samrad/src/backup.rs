//! `samrad backup FILE` and `samrad restore FILE` for the SQLite setup: one ZIP file
//! holding a consistent copy of the database (`samrad.db`, made with SQLite's
//! `VACUUM INTO` while the server keeps writing), the attachment folder
//! (`attachments/…`) and a description of the backup (`samrad-backup.json`).
//!
//! The database is copied first and the attachments after it, so every file the
//! copied database names is in the backup (a file stored after the copy began may
//! be in it too, unnamed, which is harmless). PostgreSQL is backed up with its own
//! tools (`pg_dump`, see the README); both commands say so in one line.

use crate::config::Config;
use anyhow::{Context, bail};
use serde::{Deserialize, Serialize};
use std::fs::File;
use std::io::{BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

/// The ZIP entry of the database.
const DATABASE_ENTRY: &str = "samrad.db";
/// The folder of the attachments inside the ZIP file.
const ATTACHMENTS_PREFIX: &str = "attachments/";
/// The description of the backup.
const MANIFEST_ENTRY: &str = "samrad-backup.json";
/// The format of the backup this binary writes and reads.
const FORMAT: u32 = 1;

const POSTGRES_BACKUP: &str = "a PostgreSQL database is backed up with pg_dump and restored with pg_restore (see \"Backup and restore\" in the README); samrad backup copies the SQLite database and the attachment folder";
const POSTGRES_RESTORE: &str = "a PostgreSQL database is restored with pg_restore (see \"Backup and restore\" in the README); samrad restore restores a SQLite backup into a fresh data folder";

/// What a backup holds, as `samrad-backup.json` records it.
#[derive(Debug, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// When the copy of the database began (RFC 3339).
    pub started_at: String,
    /// The version of Samråd that wrote it.
    pub samrad_version: String,
    pub database_bytes: u64,
    pub attachments: u64,
    pub attachment_bytes: u64,
}

/// What `samrad restore` did.
#[derive(Debug, Serialize)]
pub struct Restored {
    pub database: PathBuf,
    pub attachments: u64,
    pub integrity_check: String,
    /// Migrations the restored database has not had yet (`samrad migrate` or
    /// `samrad serve` applies them).
    pub pending_migrations: usize,
    pub started_at: String,
}

fn is_postgres(config: &Config) -> bool {
    let url = config.database_url();
    url.starts_with("postgres:") || url.starts_with("postgresql:")
}

/// The file of a `sqlite://PATH?…` URL.
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && !path.starts_with(':')).then(|| PathBuf::from(path))
}

/// A file next to `file`, named after it, for work in progress.
fn beside(file: &Path, suffix: &str) -> PathBuf {
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "backup".to_owned());
    file.with_file_name(format!(".{name}.{}.{suffix}", std::process::id()))
}

/// Every file under `dir` (none when it does not exist), with its path relative to
/// `dir` in `/` form, sorted.
fn files_under(dir: &Path) -> anyhow::Result<Vec<(PathBuf, String)>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = match std::fs::read_dir(&folder) {
            Ok(entries) => entries,
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => {
                return Err(err).with_context(|| format!("cannot read {}", folder.display()));
            }
        };
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot read {}", folder.display()))?;
            let kind = entry.file_type()?;
            let path = entry.path();
            if kind.is_dir() {
                stack.push(path);
            } else if kind.is_file() {
                let relative = path
                    .strip_prefix(dir)
                    .context("a file outside the attachment folder")?
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push((path, relative));
            }
        }
    }
    out.sort_by(|a, b| a.1.cmp(&b.1));
    Ok(out)
}

fn options(bytes: u64) -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .large_file(bytes >= u64::from(u32::MAX))
}

/// Writes the ZIP file: the database copy, the attachments, the manifest.
fn write_archive(
    target: &Path,
    database: &Path,
    attachments_dir: &Path,
    started_at: String,
) -> anyhow::Result<Manifest> {
    let file =
        File::create(target).with_context(|| format!("cannot create {}", target.display()))?;
    let mut zip = ZipWriter::new(BufWriter::new(file));
    let database_bytes = std::fs::metadata(database)?.len();
    zip.start_file(DATABASE_ENTRY, options(database_bytes))?;
    std::io::copy(&mut BufReader::new(File::open(database)?), &mut zip)?;
    let (mut attachments, mut attachment_bytes) = (0, 0);
    for (path, relative) in files_under(attachments_dir)? {
        let bytes = std::fs::metadata(&path)?.len();
        zip.start_file(format!("{ATTACHMENTS_PREFIX}{relative}"), options(bytes))?;
        let mut source =
            File::open(&path).with_context(|| format!("cannot read {}", path.display()))?;
        std::io::copy(&mut source, &mut zip)?;
        attachments += 1;
        attachment_bytes += bytes;
    }
    let manifest = Manifest {
        format: FORMAT,
        started_at,
        samrad_version: env!("CARGO_PKG_VERSION").to_owned(),
        database_bytes,
        attachments,
        attachment_bytes,
    };
    zip.start_file(MANIFEST_ENTRY, options(0))?;
    zip.write_all(&serde_json::to_vec_pretty(&manifest)?)?;
    let written = zip.finish()?;
    let file = written
        .into_inner()
        .map_err(|e| anyhow::anyhow!("cannot write {}: {}", target.display(), e.error()))?;
    file.sync_all()?;
    Ok(manifest)
}

/// `samrad backup FILE`.
pub async fn backup(config: &Config, file: &Path) -> anyhow::Result<Manifest> {
    if is_postgres(config) {
        bail!("{POSTGRES_BACKUP}");
    }
    if file.exists() {
        bail!(
            "{} exists already: choose a new file for the backup",
            file.display()
        );
    }
    let url = config.database_url();
    match sqlite_file(&url) {
        Some(path) if path.is_file() => {}
        Some(path) => bail!("there is no database at {}", path.display()),
        None => bail!("the database URL names no SQLite file"),
    }
    let db = db::Db::connect(&url)
        .await
        .context("cannot open the database")?;
    let copy = beside(file, "db");
    let _ = std::fs::remove_file(&copy);
    let started_at = jiff::Timestamp::now().to_string();
    db.backup_sqlite_into(&copy)
        .await
        .context("cannot copy the database")?;
    db.close().await.ok();
    let partial = beside(file, "partial");
    let attachments_dir = config.attachments_dir();
    let (copy_in, partial_in) = (copy.clone(), partial.clone());
    let written = tokio::task::spawn_blocking(move || {
        write_archive(&partial_in, &copy_in, &attachments_dir, started_at)
    })
    .await
    .context("the backup stopped")?;
    let _ = std::fs::remove_file(&copy);
    let manifest = match written {
        Ok(manifest) => manifest,
        Err(err) => {
            let _ = std::fs::remove_file(&partial);
            return Err(err);
        }
    };
    std::fs::rename(&partial, file).with_context(|| format!("cannot write {}", file.display()))?;
    Ok(manifest)
}

/// Where a ZIP entry goes: the database, an attachment (by its path inside the
/// attachment folder), the manifest; `None` for anything else.
enum Entry {
    Database,
    Attachment(PathBuf),
    Manifest,
}

fn entry_kind(name: &str, enclosed: Option<PathBuf>) -> anyhow::Result<Option<Entry>> {
    if name == DATABASE_ENTRY {
        return Ok(Some(Entry::Database));
    }
    if name == MANIFEST_ENTRY {
        return Ok(Some(Entry::Manifest));
    }
    if name.starts_with(ATTACHMENTS_PREFIX) && !name.ends_with('/') {
        let Some(path) = enclosed else {
            bail!("the backup names a file outside its folder: {name:?}");
        };
        let inside = path
            .strip_prefix(ATTACHMENTS_PREFIX.trim_end_matches('/'))
            .map_err(|_| anyhow::anyhow!("the backup names a file outside its folder: {name:?}"))?
            .to_path_buf();
        return Ok(Some(Entry::Attachment(inside)));
    }
    Ok(None)
}

fn extract(
    backup: &Path,
    database: &Path,
    attachments_dir: &Path,
) -> anyhow::Result<(Manifest, u64)> {
    let file = File::open(backup).with_context(|| format!("cannot open {}", backup.display()))?;
    let mut zip = ZipArchive::new(BufReader::new(file))
        .with_context(|| format!("{} is not a Samråd backup", backup.display()))?;
    let manifest: Manifest = {
        let entry = zip
            .by_name(MANIFEST_ENTRY)
            .with_context(|| format!("{} is not a Samråd backup", backup.display()))?;
        serde_json::from_reader(entry).context("the backup's description is unreadable")?
    };
    if manifest.format != FORMAT {
        bail!(
            "the backup is in format {}, this Samråd reads format {FORMAT}",
            manifest.format
        );
    }
    if zip.index_for_name(DATABASE_ENTRY).is_none() {
        bail!("the backup holds no database");
    }
    let partial = database.with_extension("db.partial");
    let mut attachments = 0;
    for index in 0..zip.len() {
        let mut entry = zip.by_index(index)?;
        let name = entry.name().to_owned();
        let target = match entry_kind(&name, entry.enclosed_name())? {
            Some(Entry::Database) => partial.clone(),
            Some(Entry::Attachment(inside)) => {
                attachments += 1;
                attachments_dir.join(inside)
            }
            Some(Entry::Manifest) | None => continue,
        };
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("cannot create {}", parent.display()))?;
        }
        let mut out = BufWriter::new(
            File::create(&target).with_context(|| format!("cannot create {}", target.display()))?,
        );
        std::io::copy(&mut entry, &mut out)
            .with_context(|| format!("cannot restore {name}: the backup is damaged"))?;
        out.into_inner()
            .map_err(|e| anyhow::anyhow!("cannot write {}: {}", target.display(), e.error()))?
            .sync_all()?;
    }
    std::fs::rename(&partial, database)
        .with_context(|| format!("cannot write {}", database.display()))?;
    Ok((manifest, attachments))
}

/// `samrad restore FILE`: into a fresh data folder (no database, no attachments).
pub async fn restore(config: &Config, backup: &Path) -> anyhow::Result<Restored> {
    if config.database_url.is_some() {
        if is_postgres(config) {
            bail!("{POSTGRES_RESTORE}");
        }
        bail!("samrad restore writes into a data folder: give --data-dir, not --database-url");
    }
    let database = config.data_dir.join("samrad.db");
    let attachments_dir = config.attachments_dir();
    if database.exists() {
        bail!(
            "{} holds a database already: restore into a fresh data folder",
            config.data_dir.display()
        );
    }
    if !files_under(&attachments_dir)?.is_empty() {
        bail!(
            "{} holds attachments already: restore into a fresh data folder",
            attachments_dir.display()
        );
    }
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("cannot create {}", config.data_dir.display()))?;
    let (backup_in, database_in, attachments_in) = (
        backup.to_path_buf(),
        database.clone(),
        attachments_dir.clone(),
    );
    let (manifest, attachments) =
        tokio::task::spawn_blocking(move || extract(&backup_in, &database_in, &attachments_in))
            .await
            .context("the restore stopped")??;
    let db = db::Db::connect(&config.database_url())
        .await
        .context("cannot open the restored database")?;
    let integrity_check = db.sqlite_integrity_check().await?;
    let pending_migrations = db.pending_migration_names().await?.len();
    db.close().await.ok();
    if integrity_check != "ok" {
        bail!("the restored database fails SQLite's integrity check: {integrity_check}");
    }
    Ok(Restored {
        database,
        attachments,
        integrity_check,
        pending_migrations,
        started_at: manifest.started_at,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_url_names_its_file() {
        assert_eq!(
            sqlite_file("sqlite://data/samrad.db?mode=rwc"),
            Some(PathBuf::from("data/samrad.db"))
        );
        assert_eq!(
            sqlite_file("sqlite:///var/lib/samrad/samrad.db"),
            Some(PathBuf::from("/var/lib/samrad/samrad.db"))
        );
        assert_eq!(sqlite_file("sqlite::memory:"), None);
        assert_eq!(sqlite_file("postgres://db/samrad"), None);
    }

    #[test]
    fn entries_outside_the_attachment_folder_are_refused() {
        assert!(matches!(
            entry_kind("attachments/ab/cd.pdf", Some(PathBuf::from("attachments/ab/cd.pdf"))),
            Ok(Some(Entry::Attachment(p))) if p == Path::new("ab/cd.pdf")
        ));
        assert!(entry_kind("attachments/../../etc/passwd", None).is_err());
        assert!(matches!(entry_kind("other.txt", None), Ok(None)));
        assert!(matches!(
            entry_kind("samrad.db", None),
            Ok(Some(Entry::Database))
        ));
    }
}
