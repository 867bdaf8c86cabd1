//! Writing a plan archive into a folder (`samrad export`): `plan.json` (described by
//! `plan.schema.json`, JSON Schema 2020-12), the attached files under `files/`, and
//! `manifest.json` with the size and SHA-256 of every other file in the folder.
//!
//! Files are copied chunk by chunk (also out of PostgreSQL), each checked against
//! the checksum stored when it was received; the manifest is written last, so a
//! folder with a manifest is complete.

use super::{ExportError, FORMAT, SCHEMA};
use crate::Consultation;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::io::Write;
use std::path::Path;

#[derive(Debug, Serialize)]
pub struct Manifest {
    pub format: u32,
    pub exported_at: String,
    pub municipality: String,
    pub plan: String,
    pub files: Vec<ManifestFile>,
}

#[derive(Debug, Serialize)]
pub struct ManifestFile {
    pub path: String,
    pub size_bytes: u64,
    pub sha256: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn io(what: impl std::fmt::Display) -> impl FnOnce(std::io::Error) -> ExportError {
    move |source| ExportError::Io {
        what: what.to_string(),
        source,
    }
}

/// Writes `bytes` to `dir/path`, returning its manifest line.
fn write_file(dir: &Path, path: &str, bytes: &[u8]) -> Result<ManifestFile, ExportError> {
    let target = dir.join(path);
    std::fs::write(&target, bytes).map_err(io(format!("cannot write {}", target.display())))?;
    Ok(ManifestFile {
        path: path.to_owned(),
        size_bytes: bytes.len() as u64,
        sha256: hex(&Sha256::digest(bytes)),
    })
}

/// The folder to write into: new, or existing and empty.
fn check_dir(dir: &Path) -> Result<(), ExportError> {
    match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(ExportError::NotEmpty(dir.to_path_buf()));
            }
            Ok(())
        }
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            std::fs::create_dir_all(dir).map_err(io(format!("cannot create {}", dir.display())))
        }
        Err(err) => Err(io(format!("cannot read {}", dir.display()))(err)),
    }
}

impl Consultation {
    /// Writes the archive of a plan into `dir` (new or empty) and returns its manifest.
    pub async fn export_plan(
        &self,
        municipality: &str,
        plan: &str,
        dir: &Path,
    ) -> Result<Manifest, ExportError> {
        // The slugs first, so a typo is named before anything is created.
        let archive = self.plan_archive(municipality, plan).await?;
        check_dir(dir)?;
        let store = self.attachment_store();
        let mut files = Vec::new();
        for file in &archive.files {
            let target = dir.join(&file.path);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(io(format!("cannot create {}", parent.display())))?;
            }
            let mut reader = store.open(&file.storage_name).await.map_err(io(format!(
                "the stored file for {} cannot be read",
                file.path
            )))?;
            let mut out = std::io::BufWriter::new(
                std::fs::File::create(&target)
                    .map_err(io(format!("cannot create {}", target.display())))?,
            );
            let mut sha = Sha256::new();
            let mut size = 0u64;
            while let Some(chunk) = reader.next_chunk().await.map_err(io(format!(
                "the stored file for {} cannot be read",
                file.path
            )))? {
                sha.update(&chunk);
                size += chunk.len() as u64;
                out.write_all(&chunk)
                    .map_err(io(format!("cannot write {}", target.display())))?;
            }
            out.flush()
                .map_err(io(format!("cannot write {}", target.display())))?;
            let sha256 = hex(&sha.finalize());
            if sha256 != file.sha256 || size != file.size_bytes {
                return Err(ExportError::Mismatch(file.path.clone()));
            }
            files.push(ManifestFile {
                path: file.path.clone(),
                size_bytes: size,
                sha256,
            });
        }
        let json = serde_json::to_vec_pretty(&archive.archive)
            .map_err(|e| io("cannot write plan.json")(std::io::Error::other(e)))?;
        files.push(write_file(dir, "plan.json", &json)?);
        files.push(write_file(dir, "plan.schema.json", SCHEMA.as_bytes())?);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let manifest = Manifest {
            format: FORMAT,
            exported_at: archive.archive.exported_at.clone(),
            municipality: municipality.to_owned(),
            plan: plan.to_owned(),
            files,
        };
        let json = serde_json::to_vec_pretty(&manifest)
            .map_err(|e| io("cannot write manifest.json")(std::io::Error::other(e)))?;
        write_file(dir, "manifest.json", &json)?;
        self.record_export(
            archive.municipality_id,
            archive.plan_id,
            &format!("{} files to {}", manifest.files.len(), dir.display()),
        )
        .await?;
        Ok(manifest)
    }
}
