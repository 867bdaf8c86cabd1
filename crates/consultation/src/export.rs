//! A whole plan as a self-describing archive for the municipality's records: every
//! document with every version and its sections, every hearing with its change log,
//! its comments (with earlier texts) and its official responses (every version, with
//! the attached files), the plan's register of inputs with each assessment and its
//! history, its workshops with their agenda and minutes, and its milestones.
//!
//! This module gathers the data (`plan.json`, described by [`SCHEMA`]) and names the
//! files to copy; the command line writes them and the checksummed manifest. Records
//! carry Noark 5-friendly metadata (`noark`: case number, title, document date,
//! sender, recipient), so an archive system can map them to registry entries.

use crate::Consultation;
use db::{DbError, RegisterFilter};
use domain::assessment::InputContent;
use domain::plan::{Municipality, Plan};
use serde::Serialize;

/// The JSON Schema (draft 2020-12) of `plan.json`, written into every archive.
pub const SCHEMA: &str = include_str!("export/plan-archive.schema.json");

/// The format of `plan.json`; raised when a field changes meaning or goes.
pub const FORMAT: u32 = 1;

mod write;
pub use write::{Manifest, ManifestFile};

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("no municipality has the slug {0:?}")]
    UnknownMunicipality(String),
    #[error("the municipality {municipality:?} has no plan with the slug {plan:?}")]
    UnknownPlan { municipality: String, plan: String },
    #[error("{} is not empty: export into a new or empty folder", .0.display())]
    NotEmpty(std::path::PathBuf),
    #[error("{what}")]
    Io {
        what: String,
        #[source]
        source: std::io::Error,
    },
    #[error("the stored file for {0} does not match the checksum recorded when it was received")]
    Mismatch(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// What an archive holds: the document and the files to copy next to it.
#[derive(Debug)]
pub struct PlanArchive {
    pub archive: Archive,
    pub files: Vec<ArchiveFile>,
    /// Whose plan it is, for the audit log.
    pub municipality_id: domain::MunicipalityId,
    pub plan_id: domain::PlanId,
}

/// A stored file to copy into the archive at `path` (relative, `/`-separated).
#[derive(Debug, Clone)]
pub struct ArchiveFile {
    pub path: String,
    pub storage_name: String,
    pub size_bytes: u64,
    pub sha256: String,
}

#[derive(Debug, Serialize)]
pub struct Archive {
    pub format: u32,
    pub generator: String,
    pub exported_at: String,
    pub municipality: MunicipalityDto,
    pub plan: PlanDto,
    pub documents: Vec<DocumentDto>,
    pub hearings: Vec<HearingDto>,
    pub register: Vec<RegisterDto>,
    pub workshops: Vec<WorkshopDto>,
    pub milestones: Vec<MilestoneDto>,
}

/// Noark 5-friendly metadata of a record (registry entry).
#[derive(Debug, Serialize)]
pub struct Noark {
    /// Saksnummer: the plan's case number in the municipality's records, if set.
    pub case_number: Option<String>,
    /// Tittel.
    pub title: String,
    /// Dokumentdato (RFC 3339).
    pub document_date: String,
    /// Avsender.
    pub sender: Option<String>,
    /// Mottakar.
    pub recipient: Option<String>,
    /// Journalposttype: I (incoming), U (outgoing), N (internal note), X (other).
    pub entry_type: &'static str,
}

#[derive(Debug, Serialize)]
pub struct MunicipalityDto {
    pub id: String,
    pub slug: String,
    pub name: String,
}

#[derive(Debug, Serialize)]
pub struct PlanDto {
    pub id: String,
    pub slug: String,
    pub title: String,
    pub sector: Option<String>,
    pub period_start: i32,
    pub period_end: i32,
    pub status: String,
    pub case_number: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub created_at: String,
}

#[derive(Debug, Serialize)]
pub struct DocumentDto {
    pub id: String,
    pub kind: String,
    pub title: String,
    pub created_at: String,
    pub versions: Vec<DocumentVersionDto>,
}

#[derive(Debug, Serialize)]
pub struct DocumentVersionDto {
    pub id: String,
    pub number: i32,
    pub created_at: String,
    pub noark: Noark,
    pub sections: Vec<SectionDto>,
}

#[derive(Debug, Serialize)]
pub struct SectionDto {
    pub id: String,
    pub number: String,
    pub title: String,
    pub level: i32,
    /// Markdown, as readers see it once sanitised.
    pub body: String,
}

#[derive(Debug, Serialize)]
pub struct HearingDto {
    pub id: String,
    pub title: String,
    pub kind: String,
    pub audience: String,
    pub state: String,
    pub document_version_id: String,
    pub opens_at: String,
    pub deadline: String,
    pub created_at: String,
    pub announcement: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub noark: Noark,
    pub changes: Vec<HearingChangeDto>,
    pub comments: Vec<CommentDto>,
    pub responses: Vec<ResponseDto>,
}

#[derive(Debug, Serialize)]
pub struct HearingChangeDto {
    pub kind: String,
    pub actor: String,
    pub reason: Option<String>,
    pub old_deadline: Option<String>,
    pub new_deadline: Option<String>,
    pub at: String,
}

#[derive(Debug, Serialize)]
pub struct CommentDto {
    pub id: String,
    pub section_id: String,
    pub parent_id: Option<String>,
    pub author_name: String,
    pub status: String,
    pub late: bool,
    pub anonymised: bool,
    pub body: String,
    pub created_at: String,
    pub edited_at: Option<String>,
    pub noark: Noark,
    /// Earlier texts, oldest first.
    pub revisions: Vec<RevisionDto>,
}

#[derive(Debug, Serialize)]
pub struct RevisionDto {
    pub body: String,
    pub written_at: String,
    pub replaced_at: String,
}

#[derive(Debug, Serialize)]
pub struct ResponseDto {
    pub id: String,
    pub organisation_name: Option<String>,
    pub late: bool,
    pub created_at: String,
    pub updated_at: String,
    pub noark: Noark,
    pub versions: Vec<ResponseVersionDto>,
    pub attachments: Vec<AttachmentDto>,
}

#[derive(Debug, Serialize)]
pub struct ResponseVersionDto {
    pub number: i32,
    pub text: String,
    pub section_ids: Vec<String>,
    pub attachment_ids: Vec<String>,
    pub person_name: String,
    pub late: bool,
    pub created_at: String,
}

#[derive(Debug, Serialize)]
pub struct AttachmentDto {
    pub id: String,
    /// The name the submitter gave it (metadata only).
    pub file_name: String,
    pub content_type: String,
    pub size_bytes: u64,
    pub sha256: String,
    /// Where the file is in the archive.
    pub path: String,
    pub created_at: String,
}

#[derive(Debug, Serialize)]
pub struct RegisterDto {
    pub number: i32,
    pub kind: String,
    /// The comment, response, letter or workshop note this row stands for.
    pub source_id: String,
    pub hearing_id: Option<String>,
    pub received_at: String,
    pub late: bool,
    pub sender: String,
    pub sender_is_organisation: bool,
    pub text: String,
    pub noark: Noark,
    pub assessment: AssessmentDto,
    pub history: Vec<AssessmentChangeDto>,
}

#[derive(Debug, Serialize)]
pub struct AssessmentDto {
    pub state: String,
    pub summary: String,
    pub outcome: Option<String>,
    pub response: String,
    pub change: String,
    pub change_section_id: Option<String>,
    pub themes: Vec<String>,
    pub drafted_by: Option<String>,
    pub drafted_at: Option<String>,
    pub reviewed_by: Option<String>,
    pub reviewed_at: Option<String>,
    pub published_at: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct AssessmentChangeDto {
    pub action: String,
    pub actor_name: String,
    pub fields: Vec<FieldChangeDto>,
    pub at: String,
}

#[derive(Debug, Serialize)]
pub struct FieldChangeDto {
    pub field: String,
    pub before: String,
    pub after: String,
}

#[derive(Debug, Serialize)]
pub struct WorkshopDto {
    pub id: String,
    pub title: String,
    pub purpose: String,
    pub status: String,
    pub starts_at: String,
    pub ends_at: String,
    pub place: Option<String>,
    pub online_link: Option<String>,
    pub agenda: Vec<AgendaItemDto>,
    /// Markdown, as the facilitator wrote it; empty when none were written.
    pub minutes: String,
    pub minutes_updated_at: Option<String>,
    pub noark: Noark,
}

#[derive(Debug, Serialize)]
pub struct AgendaItemDto {
    pub position: u32,
    pub title: String,
    pub minutes: u32,
}

#[derive(Debug, Serialize)]
pub struct MilestoneDto {
    pub title: String,
    pub due_on: String,
    pub done: bool,
}

/// What every record of one plan shares in its Noark metadata.
struct Records {
    case_number: Option<String>,
}

impl Records {
    fn noark(
        &self,
        title: &str,
        date: jiff::Timestamp,
        sender: Option<&str>,
        recipient: Option<&str>,
        entry_type: &'static str,
    ) -> Noark {
        Noark {
            case_number: self.case_number.clone(),
            title: title.to_owned(),
            document_date: date.to_string(),
            sender: sender.map(str::to_owned),
            recipient: recipient.map(str::to_owned),
            entry_type,
        }
    }
}

/// A unit enum as its JSON name (`"open"`, `"pdf"`, …).
fn tag<T: Serialize>(value: &T) -> String {
    match serde_json::to_value(value) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(other) => other.to_string(),
        Err(_) => String::new(),
    }
}

fn opt_ts(t: Option<jiff::Timestamp>) -> Option<String> {
    t.map(|t| t.to_string())
}

impl Consultation {
    /// Everything of a plan, for the command line (which acts for the municipality).
    pub async fn plan_archive(
        &self,
        municipality_slug: &str,
        plan_slug: &str,
    ) -> Result<PlanArchive, ExportError> {
        let db = self.db();
        let municipality = db
            .municipality_by_slug(municipality_slug)
            .await?
            .ok_or_else(|| ExportError::UnknownMunicipality(municipality_slug.to_owned()))?;
        let plan = db
            .plan_by_slug(municipality.id, plan_slug)
            .await?
            .ok_or_else(|| ExportError::UnknownPlan {
                municipality: municipality_slug.to_owned(),
                plan: plan_slug.to_owned(),
            })?;
        let records = Records {
            case_number: plan.case_number.clone(),
        };
        let noark = |title: &str,
                     date: jiff::Timestamp,
                     sender: Option<&str>,
                     recipient: Option<&str>,
                     entry_type: &'static str| {
            records.noark(title, date, sender, recipient, entry_type)
        };
        let office = municipality.name.as_str();

        let mut documents = Vec::new();
        for document in db.documents_of(plan.id).await? {
            let mut versions = Vec::new();
            for version in db.versions_of(document.id).await? {
                let sections = db
                    .sections_of(version.id)
                    .await?
                    .into_iter()
                    .map(|s| SectionDto {
                        id: s.id.to_string(),
                        number: s.number,
                        title: s.title,
                        level: s.level,
                        body: s.body,
                    })
                    .collect();
                versions.push(DocumentVersionDto {
                    id: version.id.to_string(),
                    number: version.number,
                    created_at: version.created_at.to_string(),
                    noark: noark(
                        &format!("{} (versjon {})", document.title, version.number),
                        version.created_at,
                        Some(office),
                        None,
                        "N",
                    ),
                    sections,
                });
            }
            documents.push(DocumentDto {
                id: document.id.to_string(),
                kind: tag(&document.kind),
                title: document.title,
                created_at: document.created_at.to_string(),
                versions,
            });
        }

        let mut files = Vec::new();
        let mut hearings = Vec::new();
        for hearing in db.hearings_of_plan(plan.id).await? {
            let changes = db
                .hearing_changes(hearing.id)
                .await?
                .into_iter()
                .map(|c| HearingChangeDto {
                    kind: tag(&c.kind),
                    actor: c.actor,
                    reason: c.reason,
                    old_deadline: opt_ts(c.old_deadline),
                    new_deadline: opt_ts(c.new_deadline),
                    at: c.created_at.to_string(),
                })
                .collect();
            let mut comments = Vec::new();
            for comment in db.comments_of_hearing(hearing.id).await? {
                let revisions = db
                    .comment_revisions(comment.id)
                    .await?
                    .into_iter()
                    .map(|r| RevisionDto {
                        body: r.body,
                        written_at: r.written_at.to_string(),
                        replaced_at: r.replaced_at.to_string(),
                    })
                    .collect();
                comments.push(CommentDto {
                    id: comment.id.to_string(),
                    section_id: comment.section_id.to_string(),
                    parent_id: comment.parent_id.map(|p| p.to_string()),
                    noark: noark(
                        &format!("Merknad til {}", hearing.title),
                        comment.created_at,
                        Some(&comment.author_name),
                        Some(office),
                        "I",
                    ),
                    author_name: comment.author_name,
                    status: tag(&comment.status),
                    late: comment.late,
                    anonymised: comment.anonymised,
                    body: comment.body,
                    created_at: comment.created_at.to_string(),
                    edited_at: opt_ts(comment.edited_at),
                    revisions,
                });
            }
            let mut responses = Vec::new();
            for response in db.responses_of_hearing(hearing.id).await? {
                let attachments = response
                    .attachments
                    .iter()
                    .map(|a| {
                        let path = format!(
                            "files/responses/{}/{}.{}",
                            response.id,
                            a.id,
                            a.kind.extension()
                        );
                        files.push(ArchiveFile {
                            path: path.clone(),
                            storage_name: a.storage_name.clone(),
                            size_bytes: a.size_bytes,
                            sha256: a.sha256.clone(),
                        });
                        AttachmentDto {
                            id: a.id.to_string(),
                            file_name: a.file_name.clone(),
                            content_type: a.kind.content_type().to_owned(),
                            size_bytes: a.size_bytes,
                            sha256: a.sha256.clone(),
                            path,
                            created_at: a.created_at.to_string(),
                        }
                    })
                    .collect();
                let versions = response
                    .versions
                    .iter()
                    .map(|v| ResponseVersionDto {
                        number: v.number,
                        text: v.text.clone(),
                        section_ids: v.section_ids.iter().map(|s| s.to_string()).collect(),
                        attachment_ids: v.attachment_ids.iter().map(|a| a.to_string()).collect(),
                        person_name: v.person_name.clone(),
                        late: v.late,
                        created_at: v.created_at.to_string(),
                    })
                    .collect();
                responses.push(ResponseDto {
                    id: response.id.to_string(),
                    noark: noark(
                        &format!("Høyringssvar til {}", hearing.title),
                        response.created_at,
                        Some(response.author_label()),
                        Some(office),
                        "I",
                    ),
                    organisation_name: response.organisation_name.clone(),
                    late: response.late,
                    created_at: response.created_at.to_string(),
                    updated_at: response.updated_at.to_string(),
                    versions,
                    attachments,
                });
            }
            hearings.push(HearingDto {
                id: hearing.id.to_string(),
                noark: noark(&hearing.title, hearing.opens_at, Some(office), None, "U"),
                title: hearing.title,
                kind: tag(&hearing.kind),
                audience: tag(&hearing.audience),
                state: tag(&hearing.state),
                document_version_id: hearing.document_version_id.to_string(),
                opens_at: hearing.opens_at.to_string(),
                deadline: hearing.deadline.to_string(),
                created_at: hearing.created_at.to_string(),
                announcement: hearing.announcement,
                contact_name: hearing.contact_name,
                contact_email: hearing.contact_email,
                changes,
                comments,
                responses,
            });
        }

        let register = self.archive_register(&plan, office, &records).await?;

        let mut workshops = Vec::new();
        for workshop in db.workshops_of_plan(plan.id).await? {
            let board = db.board_state(workshop.id).await?;
            workshops.push(WorkshopDto {
                id: workshop.id.to_string(),
                noark: noark(
                    &format!("Referat: {}", workshop.title),
                    board.minutes_updated_at.unwrap_or(workshop.starts_at),
                    Some(office),
                    None,
                    "N",
                ),
                title: workshop.title,
                purpose: workshop.purpose,
                status: tag(&workshop.status),
                starts_at: workshop.starts_at.to_string(),
                ends_at: workshop.ends_at.to_string(),
                place: workshop.place.map(|p| p.address),
                online_link: workshop.online_link,
                agenda: workshop
                    .agenda
                    .into_iter()
                    .map(|a| AgendaItemDto {
                        position: a.position,
                        title: a.title,
                        minutes: a.minutes,
                    })
                    .collect(),
                minutes: board.minutes,
                minutes_updated_at: opt_ts(board.minutes_updated_at),
            });
        }
        let milestones = db
            .milestones_of(plan.id)
            .await?
            .into_iter()
            .map(|m| MilestoneDto {
                title: m.title,
                due_on: m.due_on.to_string(),
                done: m.done,
            })
            .collect();
        Ok(PlanArchive {
            municipality_id: municipality.id,
            plan_id: plan.id,
            archive: Archive {
                format: FORMAT,
                generator: format!("Samråd {}", env!("CARGO_PKG_VERSION")),
                exported_at: self.now().to_string(),
                municipality: municipality_dto(&municipality),
                plan: plan_dto(&plan),
                documents,
                hearings,
                register,
                workshops,
                milestones,
            },
            files,
        })
    }

    /// Every listed row of the plan's register, with its input's text, its
    /// assessment and the assessment's history.
    async fn archive_register(
        &self,
        plan: &Plan,
        office: &str,
        records: &Records,
    ) -> Result<Vec<RegisterDto>, DbError> {
        let db = self.db();
        let mut rows = Vec::new();
        let mut after = None;
        loop {
            let filter = RegisterFilter {
                after,
                limit: 500,
                ..RegisterFilter::default()
            };
            let page = db.register_page(plan.id, &filter).await?;
            let Some(last) = page.last() else { break };
            after = Some(last.number);
            rows.extend(page);
        }
        let mut out = Vec::with_capacity(rows.len());
        for input in db.registered_inputs(rows).await? {
            let entry = &input.entry;
            let (sender, organisation) = input.sender();
            let title = match &input.content {
                InputContent::Comment { .. } => "Merknad",
                InputContent::Response(_) => "Høyringssvar",
                InputContent::Letter(_) => "Brev",
                InputContent::WorkshopNote(_) => "Innspel frå verkstad",
            };
            let history = db
                .assessment_history(entry.id)
                .await?
                .into_iter()
                .map(|c| AssessmentChangeDto {
                    action: tag(&c.action),
                    actor_name: c.actor_name,
                    fields: c
                        .fields
                        .into_iter()
                        .map(|f| FieldChangeDto {
                            field: f.field,
                            before: f.before,
                            after: f.after,
                        })
                        .collect(),
                    at: c.at.to_string(),
                })
                .collect();
            let a = &entry.assessment;
            out.push(RegisterDto {
                number: entry.number,
                kind: tag(&entry.kind),
                source_id: entry.source_id.to_string(),
                hearing_id: entry.hearing_id.map(|h| h.to_string()),
                received_at: entry.received_at.to_string(),
                late: entry.late,
                sender: sender.to_owned(),
                sender_is_organisation: organisation,
                text: input.text().to_owned(),
                noark: records.noark(
                    &format!("{title} nr. {}", entry.number),
                    entry.received_at,
                    Some(sender),
                    Some(office),
                    "I",
                ),
                assessment: AssessmentDto {
                    state: tag(&a.state),
                    summary: a.summary.clone(),
                    outcome: a.outcome.as_ref().map(tag),
                    response: a.response.clone(),
                    change: a.change.clone(),
                    change_section_id: a.change_section_id.map(|s| s.to_string()),
                    themes: a.themes.iter().map(|t| t.name.clone()).collect(),
                    drafted_by: a.drafted_by.clone(),
                    drafted_at: opt_ts(a.drafted_at),
                    reviewed_by: a.reviewed_by.clone(),
                    reviewed_at: opt_ts(a.reviewed_at),
                    published_at: opt_ts(a.published_at),
                },
                history,
            });
        }
        Ok(out)
    }
}

fn municipality_dto(m: &Municipality) -> MunicipalityDto {
    MunicipalityDto {
        id: m.id.to_string(),
        slug: m.slug.clone(),
        name: m.name.clone(),
    }
}

fn plan_dto(p: &Plan) -> PlanDto {
    PlanDto {
        id: p.id.to_string(),
        slug: p.slug.clone(),
        title: p.title.clone(),
        sector: p.sector.clone(),
        period_start: p.period_start,
        period_end: p.period_end,
        status: tag(&p.status),
        case_number: p.case_number.clone(),
        contact_name: p.contact.name.clone(),
        contact_email: p.contact_email.clone(),
        created_at: p.created_at.to_string(),
    }
}
