//! Documents: importing a file as a draft outline and confirming it, creating a
//! document, and publishing new versions (from the API, the workbench editor or the
//! command line). Every path checks the sections with the one rule,
//! [`domain::plan::check_sections`].

use crate::Consultation;
use crate::access::plan_resource;
use db::DbError;
use domain::plan::{Document, DocumentKind, NewSection, Plan, SectionsError, check_sections};
use domain::policy::{Action, Actor, can};
use domain::validate::{self, FieldError};
use domain::{DocumentId, PlanId};
use uuid::Uuid;

mod reading;
pub use db::{DocumentWithSections, DraftWarning, ImportDraft};
pub use reading::{DocumentDiff, PlannerDocument, SectionDiff};

/// Why a document could not be imported, created or changed.
#[derive(Debug, thiserror::Error)]
pub enum DocumentError {
    /// Planner operations need a planner's sign-in or an API token.
    #[error("this needs a planner's sign-in or API token (Authorization: Bearer <token>)")]
    NotSignedIn,
    /// Unknown, or not the actor's to change: the two look the same.
    #[error("the plan does not exist")]
    PlanNotFound,
    /// An import names a plan that does not exist or is not the actor's.
    #[error("the plan does not exist")]
    UnknownPlan,
    #[error("the document does not exist")]
    DocumentNotFound,
    /// A comparison named a version the document does not have.
    #[error("the document has versions 1 to {newest}")]
    UnknownVersion { newest: i32 },
    #[error("the import does not exist")]
    ImportNotFound,
    /// The draft became a document: its outline is no longer a draft's to correct.
    #[error("the import was confirmed already; edit the document instead")]
    ImportConfirmed,
    /// The outline changed since the correction was made (another correction, a form
    /// sent twice): nothing was changed.
    #[error("the outline changed meanwhile; reload it and correct it again")]
    OutlineChanged,
    #[error(transparent)]
    Outline(#[from] domain::outline::OutlineEditError),
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
    Sections(#[from] SectionsError),
    #[error(transparent)]
    Edit(#[from] domain::version::EditError),
    #[error("another version was published at the same moment; reload and try again")]
    VersionConflict,
    #[error(transparent)]
    Invalid(#[from] FieldError),
    #[error(transparent)]
    Db(DbError),
}

impl From<DbError> for DocumentError {
    fn from(err: DbError) -> Self {
        match err {
            DbError::Conflict(_) => DocumentError::VersionConflict,
            other => DocumentError::Db(other),
        }
    }
}

/// A file to import, with what the planner said about it.
pub struct ImportRequest {
    pub plan_id: PlanId,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// `None` or "auto": detected from the content and the name.
    pub format: Option<String>,
    pub title: Option<String>,
    pub kind: Option<String>,
}

/// A new document as given through the API.
pub struct NewDocumentCommand {
    pub kind: String,
    pub title: String,
    pub sections: Vec<NewSection>,
}

/// What a preamble (text before the first heading) is called until the planner
/// renames it in the editor: every section has a title.
pub const PREAMBLE_TITLE: &str = "Innleiing";

fn parse_kind(kind: Option<&str>) -> Result<DocumentKind, DocumentError> {
    match kind.map(str::trim) {
        None | Some("") => Ok(DocumentKind::PlanningProgramme),
        Some(k) => DocumentKind::parse(k).ok_or(DocumentError::InvalidKind),
    }
}

impl Consultation {
    /// A plan the actor may change; others' and unknown ones are "not found", and
    /// actors who are not staff are told to sign in.
    pub async fn editable_plan(&self, actor: &Actor, id: PlanId) -> Result<Plan, DocumentError> {
        crate::access::editable_plan(self.db(), actor, id)
            .await
            .map_err(|refusal| match refusal {
                crate::access::PlanRefusal::NotSignedIn => DocumentError::NotSignedIn,
                crate::access::PlanRefusal::NotFound => DocumentError::PlanNotFound,
                crate::access::PlanRefusal::Db(e) => e.into(),
            })
    }

    /// A document the actor may change, with its plan.
    pub async fn editable_document(
        &self,
        actor: &Actor,
        id: DocumentId,
    ) -> Result<(Plan, Document), DocumentError> {
        if actor.staff_municipality().is_none() {
            return Err(DocumentError::NotSignedIn);
        }
        let document = match self.db().document(id).await {
            Ok(document) => document,
            Err(DbError::NotFound) => return Err(DocumentError::DocumentNotFound),
            Err(e) => return Err(e.into()),
        };
        let plan = self.db().plan(document.plan_id).await?;
        if can(actor, Action::Edit, plan_resource(&plan)) {
            Ok((plan, document))
        } else {
            Err(DocumentError::DocumentNotFound)
        }
    }

    /// Creates a document with its first version.
    pub async fn create_document(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        command: NewDocumentCommand,
    ) -> Result<DocumentWithSections, DocumentError> {
        let plan = self.editable_plan(actor, plan_id).await?;
        let kind = DocumentKind::parse(&command.kind).ok_or(DocumentError::InvalidKind)?;
        let sections = check_sections(command.sections)?;
        let title = validate::line("title", &command.title, 300)?;
        Ok(self
            .db()
            .create_document(db::NewDocument {
                plan_id: plan.id,
                kind,
                title,
                sections,
            })
            .await?)
    }

    /// Publishes a new version of a document; sections that match the previous
    /// version keep their lineage.
    pub async fn publish_version(
        &self,
        actor: &Actor,
        document_id: DocumentId,
        sections: Vec<NewSection>,
    ) -> Result<DocumentWithSections, DocumentError> {
        let (_, document) = self.editable_document(actor, document_id).await?;
        let sections = check_sections(sections)?;
        Ok(self.db().create_version(document.id, sections).await?)
    }

    /// Publishes the workbench editor's rows (reordered, merged, deleted, added) as a
    /// new version, under the same rule as every other version.
    pub async fn publish_edit(
        &self,
        actor: &Actor,
        document_id: DocumentId,
        rows: Vec<domain::version::EditRow>,
    ) -> Result<DocumentWithSections, DocumentError> {
        let sections = domain::version::apply_edits(rows)?;
        self.publish_version(actor, document_id, sections).await
    }

    /// Parses an uploaded document and keeps the outline as a draft for the planner
    /// to confirm. Nothing becomes a document here.
    pub async fn import_draft(
        &self,
        actor: &Actor,
        who: &str,
        request: ImportRequest,
    ) -> Result<ImportDraft, DocumentError> {
        let plan = match self.editable_plan(actor, request.plan_id).await {
            Ok(plan) => plan,
            Err(DocumentError::NotSignedIn) => return Err(DocumentError::NotSignedIn),
            Err(DocumentError::PlanNotFound) => return Err(DocumentError::UnknownPlan),
            Err(e) => return Err(e),
        };
        let kind = parse_kind(request.kind.as_deref())?;
        let parsed = parse_file(&request.file_name, request.bytes, request.format).await?;
        let (sections, mut warnings) = (parsed.sections, parsed.warnings);
        // The planner's title, else the one the document gives itself, else the file name.
        let title = match request.title.as_deref().map(str::trim) {
            Some(t) if !t.is_empty() => validate::line("title", t, 300)?,
            _ => parsed
                .title
                .and_then(|t| validate::line("title", &t, 300).ok())
                .unwrap_or_else(|| title_from_file_name(&request.file_name)),
        };
        let sections = name_preamble(sections, &mut warnings);
        // Refused here, before the planner reviews an outline that could never be stored.
        let sections = check_sections(sections)?;
        Ok(self
            .db()
            .create_import_draft(db::NewImportDraft {
                municipality_id: plan.municipality_id,
                plan_id: plan.id,
                title,
                kind,
                file_name: request.file_name.chars().take(300).collect(),
                sections,
                warnings,
                created_by: who.to_owned(),
            })
            .await?)
    }

    /// A draft of a plan the actor may change.
    pub async fn own_import(&self, actor: &Actor, id: Uuid) -> Result<ImportDraft, DocumentError> {
        if actor.staff_municipality().is_none() {
            return Err(DocumentError::NotSignedIn);
        }
        let draft = match self.db().import_draft(id).await {
            Ok(draft) => draft,
            Err(DbError::NotFound) => return Err(DocumentError::ImportNotFound),
            Err(e) => return Err(e.into()),
        };
        let plan = self.db().plan(draft.plan_id).await?;
        if can(actor, Action::Edit, plan_resource(&plan)) {
            Ok(draft)
        } else {
            Err(DocumentError::ImportNotFound)
        }
    }

    /// Corrects the outline of a draft before it is confirmed: merge, split, rename or
    /// change the level of a part. `revision` is the draft's revision the correction
    /// was made on, so a form sent twice or from an old page changes nothing. The
    /// result goes through the section rule, and the lost-table warnings are found
    /// again in the corrected outline.
    pub async fn edit_import(
        &self,
        actor: &Actor,
        id: Uuid,
        revision: i32,
        edit: domain::outline::OutlineEdit,
    ) -> Result<ImportDraft, DocumentError> {
        let draft = self.own_import(actor, id).await?;
        if draft.document_id.is_some() {
            return Err(DocumentError::ImportConfirmed);
        }
        if draft.revision != revision {
            return Err(DocumentError::OutlineChanged);
        }
        let sections = domain::outline::apply_outline_edit(draft.sections, edit)?;
        let sections = check_sections(sections)?;
        let warnings = rewarn(draft.warnings, &sections);
        match self
            .db()
            .update_import_draft(id, revision, &sections, &warnings)
            .await
        {
            Ok(draft) => Ok(draft),
            Err(DbError::Conflict(_)) => match self.own_import(actor, id).await?.document_id {
                Some(_) => Err(DocumentError::ImportConfirmed),
                None => Err(DocumentError::OutlineChanged),
            },
            Err(e) => Err(e.into()),
        }
    }

    /// Turns a draft into a document once: a second confirm (a double click, a
    /// retried post) returns the document the first one made. Returns the document
    /// and whether this call created it.
    pub async fn confirm_import(
        &self,
        actor: &Actor,
        id: Uuid,
    ) -> Result<(DocumentId, bool), DocumentError> {
        let draft = self.own_import(actor, id).await?;
        if let Some(done) = draft.document_id {
            return Ok((done, false));
        }
        // Drafts stored before the rule applied are checked again here.
        check_sections(draft.sections)?;
        Ok((self.db().confirm_import_draft(id).await?, true))
    }

    /// Stores sections the importer read from a file straight into a plan (the
    /// command line): a document of the plan with the same title gets a new version,
    /// so its sections keep their identity; otherwise a new document is made. Returns
    /// the stored document and the warnings, with any added here.
    pub async fn import_into_plan(
        &self,
        actor: &Actor,
        plan_id: PlanId,
        title: &str,
        kind: Option<&str>,
        sections: Vec<NewSection>,
        mut warnings: Vec<db::DraftWarning>,
    ) -> Result<(DocumentWithSections, Vec<db::DraftWarning>), DocumentError> {
        let plan = self.editable_plan(actor, plan_id).await?;
        let kind = parse_kind(kind)?;
        let title = validate::line("title", title, 300)?;
        let sections = check_sections(name_preamble(sections, &mut warnings))?;
        let existing = self
            .db()
            .documents_of(plan.id)
            .await?
            .into_iter()
            .find(|d| d.title == title);
        let stored = match existing {
            Some(document) => self.db().create_version(document.id, sections).await?,
            None => {
                self.db()
                    .create_document(db::NewDocument {
                        plan_id: plan.id,
                        kind,
                        title,
                        sections,
                    })
                    .await?
            }
        };
        Ok((stored, warnings))
    }
}

/// What the importer made of a file.
struct Parsed {
    sections: Vec<NewSection>,
    warnings: Vec<db::DraftWarning>,
    title: Option<String>,
}

/// Runs the importer off the async workers (a large PDF takes a while).
async fn parse_file(
    file_name: &str,
    bytes: Vec<u8>,
    format: Option<String>,
) -> Result<Parsed, DocumentError> {
    let format = match format.as_deref().map(str::trim) {
        None | Some("") | Some("auto") => importer::Format::detect(file_name, &bytes),
        Some(other) => importer::Format::parse(other),
    }
    .ok_or(DocumentError::UnknownFormat)?;
    let imported = tokio::task::spawn_blocking(move || importer::import(&bytes, format))
        .await
        .map_err(|e| {
            tracing::error!(error = %e, "the importer failed");
            DocumentError::ImporterFailed
        })?
        .map_err(|e| DocumentError::Unreadable(e.code(), e.to_string()))?;
    Ok(Parsed {
        sections: imported.sections,
        warnings: imported.warnings.into_iter().map(draft_warning).collect(),
        title: imported.title,
    })
}

/// An importer's warning as the draft keeps it.
pub fn draft_warning(warning: importer::ImportWarning) -> db::DraftWarning {
    db::DraftWarning {
        code: warning.code.to_owned(),
        message: warning.message,
        place: warning.place.map(|p| db::DraftPlace {
            section: p.section,
            first_line: p.first_line,
            last_line: p.last_line,
        }),
    }
}

/// The warnings of a corrected outline: the lost tables found again (their parts and
/// lines moved), and the untitled-part warning gone once no part has the stand-in title.
fn rewarn(warnings: Vec<db::DraftWarning>, sections: &[NewSection]) -> Vec<db::DraftWarning> {
    let stand_in = sections
        .iter()
        .any(|s| s.title == PREAMBLE_TITLE && s.number.is_empty());
    warnings
        .into_iter()
        .filter(|w| w.code != LOST_TABLE && (w.code != UNTITLED || stand_in))
        .chain(
            importer::lost_tables(sections)
                .into_iter()
                .map(draft_warning),
        )
        .collect()
}

const LOST_TABLE: &str = "looks_like_lost_table";
const UNTITLED: &str = "untitled_section";

fn title_from_file_name(file_name: &str) -> String {
    let title: String = file_name
        .rsplit_once('.')
        .map_or(file_name, |(stem, _)| stem)
        .chars()
        .take(300)
        .collect();
    match validate::line("title", &title, 300) {
        Ok(title) => title,
        Err(_) => "Dokument".to_owned(),
    }
}

/// Gives untitled sections (the importer's preamble: text before the first heading)
/// a title the planner can change, and says so.
fn name_preamble(
    mut sections: Vec<NewSection>,
    warnings: &mut Vec<db::DraftWarning>,
) -> Vec<NewSection> {
    let mut named = 0;
    for section in sections.iter_mut().filter(|s| s.title.trim().is_empty()) {
        section.title = PREAMBLE_TITLE.to_owned();
        named += 1;
    }
    if named > 0 {
        warnings.push(db::DraftWarning {
            place: None,
            code: UNTITLED.to_owned(),
            message: format!(
                "text without a heading was given the title «{PREAMBLE_TITLE}»; rename it in the editor after the import"
            ),
        });
    }
    sections
}
