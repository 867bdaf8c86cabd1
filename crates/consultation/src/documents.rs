//! Documents: importing a file as a draft outline, and confirming it.

use crate::Consultation;
use crate::access::plan_resource;
use db::DbError;
use domain::policy::{Action, Actor, can};
use domain::validate::{self, FieldError};

/// Why an import was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the plan does not exist")]
    UnknownPlan,
    #[error("kind must be planning_programme, plan_proposal or other")]
    InvalidKind,
    #[error("the format was not recognised: give text, markdown, docx or pdf")]
    UnknownFormat,
    /// The importer could not read the file (its code and message).
    #[error("{1}")]
    Unreadable(&'static str, String),
    #[error("the importer stopped unexpectedly")]
    ImporterFailed,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A file to import, with what the planner said about it.
pub struct ImportRequest {
    pub plan_id: domain::PlanId,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// `None` or "auto": detected from the content and the name.
    pub format: Option<String>,
    pub title: Option<String>,
    pub kind: Option<String>,
}

impl Consultation {
    /// Parses an uploaded document and keeps the outline as a draft for the planner to
    /// confirm; shared by the API and the workbench. Nothing becomes a document here.
    pub async fn import_draft(
        &self,
        actor: &Actor,
        who: &str,
        request: ImportRequest,
    ) -> Result<db::ImportDraft, ImportError> {
        use domain::plan::DocumentKind;
        let plan = match self.db().plan(request.plan_id).await {
            Ok(plan) if can(actor, Action::Edit, plan_resource(&plan)) => plan,
            Ok(_) | Err(DbError::NotFound) => {
                return Err(ImportError::UnknownPlan);
            }
            Err(e) => return Err(e.into()),
        };
        let kind = match request.kind.as_deref().map(str::trim) {
            None | Some("") => DocumentKind::PlanningProgramme,
            Some(k) => DocumentKind::parse(k).ok_or(ImportError::InvalidKind)?,
        };
        let format = match request.format.as_deref().map(str::trim) {
            None | Some("") | Some("auto") => {
                importer::Format::detect(&request.file_name, &request.bytes)
            }
            Some(other) => importer::Format::parse(other),
        }
        .ok_or(ImportError::UnknownFormat)?;
        let bytes = request.bytes;
        // Parsing a large PDF takes a while: keep it off the async workers.
        let imported = tokio::task::spawn_blocking(move || importer::import(&bytes, format))
            .await
            .map_err(|e| {
                tracing::error!(error = %e, "the importer failed");
                ImportError::ImporterFailed
            })?
            .map_err(|e| ImportError::Unreadable(e.code(), e.to_string()))?;
        let title = match request.title.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => validate::line("title", t, 300)?,
            _ => request
                .file_name
                .rsplit_once('.')
                .map_or(request.file_name.clone(), |(stem, _)| stem.to_owned())
                .chars()
                .take(300)
                .collect(),
        };
        let title = if title.trim().is_empty() {
            "Dokument".to_owned()
        } else {
            title
        };
        Ok(self
            .db()
            .create_import_draft(db::NewImportDraft {
                municipality_id: plan.municipality_id,
                plan_id: plan.id,
                title,
                kind,
                file_name: request.file_name.chars().take(300).collect(),
                sections: imported.sections,
                warnings: imported
                    .warnings
                    .into_iter()
                    .map(|w| db::DraftWarning {
                        code: w.code.to_owned(),
                        message: w.message,
                    })
                    .collect(),
                created_by: who.to_owned(),
            })
            .await?)
    }
}
