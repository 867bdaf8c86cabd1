//! The attachment folder: files of responses under generated names (UUIDs), never
//! under the name a submitter gave them, and never served except through the
//! authorised download route.
//!
//! A file is written to a temporary name, flushed to disk and renamed, so the
//! folder never holds half a file under a final name; its database row is written
//! only after that, and the file is removed again if the row is not.

use std::io::Write;
use std::path::{Path, PathBuf};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct AttachmentStore {
    dir: PathBuf,
}

impl AttachmentStore {
    pub fn new(dir: &Path) -> AttachmentStore {
        AttachmentStore {
            dir: dir.to_path_buf(),
        }
    }

    /// The path of a stored file; `None` for anything but a generated name, so a
    /// stored name can never point outside the folder.
    fn path(&self, storage_name: &str) -> Option<PathBuf> {
        let id = Uuid::parse_str(storage_name).ok()?;
        Some(self.dir.join(id.hyphenated().to_string()))
    }

    /// Writes `bytes` durably under a new generated name and returns the name.
    pub async fn save(&self, bytes: Vec<u8>) -> std::io::Result<String> {
        let dir = self.dir.clone();
        tokio::task::spawn_blocking(move || {
            std::fs::create_dir_all(&dir)?;
            let name = Uuid::now_v7().hyphenated().to_string();
            let partial = dir.join(format!(".{name}.part"));
            let result = (|| {
                let mut file = std::fs::OpenOptions::new()
                    .write(true)
                    .create_new(true)
                    .open(&partial)?;
                file.write_all(&bytes)?;
                file.sync_all()?;
                std::fs::rename(&partial, dir.join(&name))?;
                // The rename itself must survive a crash.
                std::fs::File::open(&dir)?.sync_all()
            })();
            match result {
                Ok(()) => Ok(name),
                Err(err) => {
                    let _ = std::fs::remove_file(&partial);
                    Err(err)
                }
            }
        })
        .await
        .map_err(std::io::Error::other)?
    }

    /// Removes files whose database rows were never written.
    pub async fn remove_all(&self, storage_names: &[String]) {
        for name in storage_names {
            if let Some(path) = self.path(name)
                && let Err(err) = tokio::fs::remove_file(&path).await
            {
                tracing::warn!(error = %err, file = %name, "could not remove an unused attachment");
            }
        }
    }

    pub async fn read(&self, storage_name: &str) -> std::io::Result<Vec<u8>> {
        match self.path(storage_name) {
            Some(path) => tokio::fs::read(path).await,
            None => Err(std::io::Error::new(
                std::io::ErrorKind::NotFound,
                "not a stored attachment name",
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_are_stored_under_generated_names_and_read_back() {
        let dir = std::env::temp_dir().join(format!("samrad-attachments-{}", Uuid::new_v4()));
        let store = AttachmentStore::new(&dir);
        let name = store.save(b"%PDF-1.7 test".to_vec()).await.expect("saved");
        assert!(Uuid::parse_str(&name).is_ok(), "{name}");
        assert_eq!(store.read(&name).await.expect("read"), b"%PDF-1.7 test");
        let names: Vec<_> = std::fs::read_dir(&dir)
            .expect("dir")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from(&name)],
            "no temporary files left"
        );
        assert!(store.read("../../etc/passwd").await.is_err());
        store.remove_all(std::slice::from_ref(&name)).await;
        assert!(store.read(&name).await.is_err());
        let _ = std::fs::remove_dir_all(dir);
    }
}
