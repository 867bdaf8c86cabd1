//! Where attachments live: in the database when it is PostgreSQL (so every process
//! behind a load balancer reaches them, in chunks so no file is ever held whole in
//! memory), in the attachment folder with SQLite. Files are stored under generated
//! names (UUIDs), never under the name a submitter gave them, and never served
//! except through the authorised download route.
//!
//! An upload is first written, as it arrives, to a temporary file in the incoming
//! folder beside the attachment folder (`<attachments>.incoming`), which is removed
//! when the last handle to it goes. Storing it then copies it to its final place:
//! in the folder through a temporary name, flushed and renamed, so the folder never
//! holds half a file under a final name; in the database in one transaction. Its
//! database row is written only after that, and the file is removed again if the
//! row is not.

use db::{Backend, Db, DbError};
use sha2::Digest;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use uuid::Uuid;

/// The size of the chunks a file is stored and read in.
pub const CHUNK_BYTES: usize = 256 * 1024;

#[derive(Debug, Clone)]
pub struct AttachmentStore {
    dir: PathBuf,
    /// Set when the files live in the database.
    db: Option<Db>,
}

/// A file being received into the incoming folder. Dropped before
/// [`Receiving::finish`], it is removed.
#[derive(Debug)]
pub struct Receiving {
    file: tokio::fs::File,
    temp: TempPath,
    size: u64,
    sha256: sha2::Sha256,
}

/// A received file, checked by nobody yet; removed from the incoming folder when the
/// last clone goes.
#[derive(Debug, Clone)]
pub struct ReceivedFile(Arc<Received>);

#[derive(Debug)]
struct Received {
    temp: TempPath,
    size: u64,
    sha256: String,
}

#[derive(Debug)]
struct TempPath(PathBuf);

impl Drop for TempPath {
    fn drop(&mut self) {
        if let Err(err) = std::fs::remove_file(&self.0)
            && err.kind() != std::io::ErrorKind::NotFound
        {
            tracing::warn!(error = %err, file = %self.0.display(), "could not remove a received upload");
        }
    }
}

impl Receiving {
    /// Bytes received so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    pub async fn write(&mut self, chunk: &[u8]) -> std::io::Result<()> {
        self.file.write_all(chunk).await?;
        self.sha256.update(chunk);
        self.size += chunk.len() as u64;
        Ok(())
    }

    pub async fn finish(mut self) -> std::io::Result<ReceivedFile> {
        self.file.flush().await?;
        Ok(ReceivedFile(Arc::new(Received {
            temp: self.temp,
            size: self.size,
            sha256: hex(&self.sha256.finalize()),
        })))
    }
}

impl ReceivedFile {
    pub fn size(&self) -> u64 {
        self.0.size
    }

    /// The SHA-256 of the content, in lower-case hex.
    pub fn sha256(&self) -> &str {
        &self.0.sha256
    }

    pub fn path(&self) -> &Path {
        &self.0.temp.0
    }

    /// The file's type by its content (PDF or DOCX), read without loading it whole.
    pub async fn format(&self) -> Option<importer::Format> {
        let path = self.path().to_path_buf();
        tokio::task::spawn_blocking(move || {
            let file = std::fs::File::open(path).ok()?;
            importer::attachment_format_of(std::io::BufReader::new(file))
        })
        .await
        .ok()
        .flatten()
    }
}

/// A stored file read chunk by chunk.
pub enum AttachmentReader {
    Folder(tokio::fs::File),
    Database { db: Db, name: String, seq: i32 },
}

impl AttachmentReader {
    /// The next chunk; `None` at the end.
    pub async fn next_chunk(&mut self) -> std::io::Result<Option<Vec<u8>>> {
        match self {
            AttachmentReader::Folder(file) => {
                let mut buf = vec![0; CHUNK_BYTES];
                let mut filled = 0;
                while filled < buf.len() {
                    let n = file.read(&mut buf[filled..]).await?;
                    if n == 0 {
                        break;
                    }
                    filled += n;
                }
                buf.truncate(filled);
                Ok((filled > 0).then_some(buf))
            }
            AttachmentReader::Database { db, name, seq } => {
                let chunk = db.stored_file_chunk(name, *seq).await.map_err(db_io)?;
                *seq += 1;
                Ok(chunk)
            }
        }
    }

    /// The whole file (for tests and small files only).
    pub async fn read_to_end(mut self) -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        while let Some(chunk) = self.next_chunk().await? {
            out.extend_from_slice(&chunk);
        }
        Ok(out)
    }
}

fn db_io(err: DbError) -> std::io::Error {
    std::io::Error::other(err.to_string())
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn not_stored() -> std::io::Error {
    std::io::Error::new(std::io::ErrorKind::NotFound, "not a stored attachment")
}

impl AttachmentStore {
    /// Files in `dir`, or in the database when `db` is PostgreSQL; uploads are
    /// received beside `dir` either way.
    pub fn new(dir: &Path, db: Option<&Db>) -> AttachmentStore {
        AttachmentStore {
            dir: dir.to_path_buf(),
            db: db.filter(|db| db.backend() == Backend::Postgres).cloned(),
        }
    }

    /// Whether files are kept in the database.
    pub fn in_database(&self) -> bool {
        self.db.is_some()
    }

    /// The folder uploads are received into: beside the attachment folder, so
    /// storing in the folder is a link on the same file system, not a copy.
    pub fn incoming_dir(&self) -> PathBuf {
        let mut name = self
            .dir
            .file_name()
            .map(|n| n.to_os_string())
            .unwrap_or_else(|| "attachments".into());
        name.push(".incoming");
        self.dir.with_file_name(name)
    }

    /// Starts receiving an upload into a new temporary file.
    pub async fn receive(&self) -> std::io::Result<Receiving> {
        let dir = self.incoming_dir();
        tokio::fs::create_dir_all(&dir).await?;
        let path = dir.join(format!("{}.part", Uuid::new_v4().simple()));
        let file = tokio::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
            .await?;
        Ok(Receiving {
            file,
            temp: TempPath(path),
            size: 0,
            sha256: sha2::Sha256::new(),
        })
    }

    /// A received file from bytes already in memory (tests, small generated files).
    pub async fn receive_bytes(&self, bytes: &[u8]) -> std::io::Result<ReceivedFile> {
        let mut receiving = self.receive().await?;
        receiving.write(bytes).await?;
        receiving.finish().await
    }

    /// The path of a stored file; `None` for anything but a generated name, so a
    /// stored name can never point outside the folder.
    fn path(&self, storage_name: &str) -> Option<PathBuf> {
        let id = Uuid::parse_str(storage_name).ok()?;
        Some(self.dir.join(id.hyphenated().to_string()))
    }

    /// Stores a received file durably under a new generated name and returns the name.
    pub async fn save(&self, file: &ReceivedFile) -> std::io::Result<String> {
        let name = Uuid::now_v7().hyphenated().to_string();
        match &self.db {
            Some(db) => {
                let mut source = tokio::fs::File::open(file.path()).await?;
                let mut writer = db.write_stored_file(&name).await.map_err(db_io)?;
                loop {
                    let mut buf = Vec::with_capacity(CHUNK_BYTES);
                    let n = (&mut source)
                        .take(CHUNK_BYTES as u64)
                        .read_to_end(&mut buf)
                        .await?;
                    if n == 0 {
                        break;
                    }
                    writer.write_chunk(buf).await.map_err(db_io)?;
                }
                writer.commit().await.map_err(db_io)?;
                Ok(name)
            }
            None => {
                let dir = self.dir.clone();
                let source = file.path().to_path_buf();
                let target = name.clone();
                tokio::task::spawn_blocking(move || save_in_folder(&dir, &source, &target))
                    .await
                    .map_err(std::io::Error::other)??;
                Ok(name)
            }
        }
    }

    /// Removes files whose database rows were never written.
    pub async fn remove_all(&self, storage_names: &[String]) {
        if let Some(db) = &self.db {
            if let Err(err) = db.delete_stored_files(storage_names).await {
                tracing::warn!(error = %err, "could not remove unused attachments");
            }
            return;
        }
        for name in storage_names {
            if let Some(path) = self.path(name)
                && let Err(err) = tokio::fs::remove_file(&path).await
            {
                tracing::warn!(error = %err, file = %name, "could not remove an unused attachment");
            }
        }
    }

    /// Opens a stored file for reading chunk by chunk.
    pub async fn open(&self, storage_name: &str) -> std::io::Result<AttachmentReader> {
        if let Some(db) = &self.db
            && db.stored_file_exists(storage_name).await.map_err(db_io)?
        {
            return Ok(AttachmentReader::Database {
                db: db.clone(),
                name: storage_name.to_owned(),
                seq: 0,
            });
        }
        // Also on PostgreSQL: files stored in the folder before attachments moved
        // into the database are still served from it.
        match self.path(storage_name) {
            Some(path) => Ok(AttachmentReader::Folder(tokio::fs::File::open(path).await?)),
            None => Err(not_stored()),
        }
    }

    /// A whole stored file (for tests and small files only).
    pub async fn read(&self, storage_name: &str) -> std::io::Result<Vec<u8>> {
        self.open(storage_name).await?.read_to_end().await
    }

    /// The names of every stored file (checks and tests).
    pub async fn stored_names(&self) -> std::io::Result<Vec<String>> {
        let mut names = match &self.db {
            Some(db) => db.stored_file_names().await.map_err(db_io)?,
            None => match std::fs::read_dir(&self.dir) {
                Ok(entries) => entries
                    .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
                    .collect::<Result<Vec<_>, _>>()?,
                Err(err) if err.kind() == std::io::ErrorKind::NotFound => Vec::new(),
                Err(err) => return Err(err),
            },
        };
        names.sort();
        Ok(names)
    }
}

/// Links (or, across file systems, copies) `source` into `dir` under `name` through
/// a temporary name, flushed before and after the rename.
fn save_in_folder(dir: &Path, source: &Path, name: &str) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let partial = dir.join(format!(".{name}.part"));
    let result = (|| {
        if std::fs::hard_link(source, &partial).is_err() {
            let mut from = std::fs::File::open(source)?;
            let mut to = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&partial)?;
            std::io::copy(&mut from, &mut to)?;
            to.flush()?;
        }
        std::fs::File::open(&partial)?.sync_all()?;
        std::fs::rename(&partial, dir.join(name))?;
        // The rename itself must survive a crash.
        std::fs::File::open(dir)?.sync_all()
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_are_stored_under_generated_names_and_read_back() {
        let dir = std::env::temp_dir().join(format!("samrad-attachments-{}", Uuid::new_v4()));
        let store = AttachmentStore::new(&dir, None);
        let received = store
            .receive_bytes(b"%PDF-1.7 test")
            .await
            .expect("received");
        assert_eq!(received.format().await, Some(importer::Format::Pdf));
        let name = store.save(&received).await.expect("saved");
        let incoming = received.path().to_path_buf();
        drop(received);
        assert!(!incoming.exists(), "the received upload is removed");
        assert!(Uuid::parse_str(&name).is_ok(), "{name}");
        assert_eq!(store.read(&name).await.expect("read"), b"%PDF-1.7 test");
        assert_eq!(
            store.stored_names().await.expect("names"),
            vec![name.clone()],
            "no temporary files left"
        );
        assert!(store.read("../../etc/passwd").await.is_err());
        store.remove_all(std::slice::from_ref(&name)).await;
        assert!(store.read(&name).await.is_err());
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::remove_dir_all(store.incoming_dir());
    }
}
