//! Reading documents: one for a reader, one with its versions for the planner, and
//! what changed between two versions.

use super::DocumentError;
use crate::Consultation;
use crate::assessment::TracedInput;
use db::{DbError, DocumentWithSections};
use domain::plan::{Document, DocumentVersion, Plan, Section};
use domain::policy::{Action, Actor, can};
use domain::version::{Chunk, Op, diff_words};
use domain::{DocumentId, SectionId};
use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use uuid::Uuid;

/// A document with all its versions, as the planner's workbench shows it.
pub struct PlannerDocument {
    pub plan: Plan,
    pub document: Document,
    /// The newest version, and its sections.
    pub version: DocumentVersion,
    pub sections: Vec<Section>,
    pub versions: Vec<DocumentVersion>,
}

/// How one section changed between two versions.
#[derive(Debug, Clone)]
pub struct SectionDiff {
    /// The section's identity across versions.
    pub lineage: Uuid,
    /// added, removed, changed or unchanged.
    pub status: &'static str,
    pub number: String,
    pub title: String,
    pub old_number: Option<String>,
    pub old_title: Option<String>,
    /// Comments on this section in any version: inputs a planner should look at again
    /// when the text changed.
    pub inputs: usize,
    /// Word-level changes of the body; empty when unchanged.
    pub chunks: Vec<Chunk>,
    /// Inputs whose assessment links the change they led to to this section, in a
    /// version of the comparison's newer side.
    pub linked_inputs: Vec<TracedInput>,
}

/// What changed between two versions of a document, section by section.
#[derive(Debug, Clone)]
pub struct DocumentDiff {
    pub from: i32,
    pub to: i32,
    pub sections: Vec<SectionDiff>,
    /// Whether the reader plans the plan: the linked inputs name every sender and
    /// each assessment may be opened.
    pub planner: bool,
}

/// Each section's change between two versions, without the inputs on it. The
/// versions never change, so this is kept per pair (see `version_cache`).
fn section_diffs(old_sections: &[Section], new_sections: &[Section]) -> Vec<SectionDiff> {
    let old_by_lineage: HashMap<SectionId, &Section> =
        old_sections.iter().map(|o| (o.lineage, o)).collect();
    let new_lineages: HashSet<SectionId> = new_sections.iter().map(|n| n.lineage).collect();
    let mut sections: Vec<SectionDiff> = new_sections
        .iter()
        .map(|n| {
            let before = old_by_lineage.get(&n.lineage).copied();
            let status = match before {
                None => "added",
                Some(o) if o.body == n.body && o.title == n.title && o.number == n.number => {
                    "unchanged"
                }
                Some(_) => "changed",
            };
            SectionDiff {
                lineage: n.lineage.0,
                status,
                number: n.number.clone(),
                title: n.title.clone(),
                old_number: before.map(|o| o.number.clone()),
                old_title: before.map(|o| o.title.clone()),
                inputs: 0,
                chunks: if status == "unchanged" {
                    Vec::new()
                } else {
                    diff_words(before.map_or("", |o| o.body.as_str()), &n.body)
                },
                linked_inputs: Vec::new(),
            }
        })
        .collect();
    for o in old_sections
        .iter()
        .filter(|o| !new_lineages.contains(&o.lineage))
    {
        sections.push(SectionDiff {
            lineage: o.lineage.0,
            status: "removed",
            number: o.number.clone(),
            title: o.title.clone(),
            old_number: Some(o.number.clone()),
            old_title: Some(o.title.clone()),
            inputs: 0,
            chunks: vec![Chunk {
                op: Op::Removed,
                text: o.body.clone(),
            }],
            linked_inputs: Vec::new(),
        });
    }
    sections
}

impl Consultation {
    /// A document the actor may read; others and unknown ones are "not found".
    pub async fn readable_document(
        &self,
        actor: &Actor,
        id: DocumentId,
    ) -> Result<Document, DocumentError> {
        let document = match self.db().document(id).await {
            Ok(document) => document,
            Err(DbError::NotFound) => return Err(DocumentError::DocumentNotFound),
            Err(e) => return Err(e.into()),
        };
        let resource = crate::access::document_resource(self.db(), &document).await?;
        if can(actor, Action::Read, resource) {
            Ok(document)
        } else {
            Err(DocumentError::DocumentNotFound)
        }
    }

    /// A readable document with its newest version's sections.
    pub async fn document_with_sections(
        &self,
        actor: &Actor,
        id: DocumentId,
    ) -> Result<DocumentWithSections, DocumentError> {
        let document = self.readable_document(actor, id).await?;
        let version = self.db().latest_version(document.id).await?;
        let sections = self.db().sections_of(version.id).await?;
        Ok(DocumentWithSections {
            document,
            version,
            sections,
        })
    }

    /// A document of a plan of the staff member's municipality, with its plan; the
    /// workbench shows it to all the municipality's staff (changing it needs
    /// [`Consultation::editable_document`]).
    pub async fn staff_document(
        &self,
        actor: &Actor,
        id: DocumentId,
    ) -> Result<(Plan, Document), DocumentError> {
        let municipality = actor
            .staff_municipality()
            .ok_or(DocumentError::NotSignedIn)?;
        let document = match self.db().document(id).await {
            Ok(document) => document,
            Err(DbError::NotFound) => return Err(DocumentError::DocumentNotFound),
            Err(e) => return Err(e.into()),
        };
        let plan = self.db().plan(document.plan_id).await?;
        if plan.municipality_id == municipality {
            Ok((plan, document))
        } else {
            Err(DocumentError::DocumentNotFound)
        }
    }

    /// A document of the staff member's municipality with its versions, for the
    /// workbench.
    pub async fn planner_document(
        &self,
        actor: &Actor,
        id: DocumentId,
    ) -> Result<PlannerDocument, DocumentError> {
        let (plan, document) = self.staff_document(actor, id).await?;
        let version = self.db().latest_version(document.id).await?;
        let sections = self.db().sections_of(version.id).await?;
        let versions = self.db().versions_of(document.id).await?;
        Ok(PlannerDocument {
            plan,
            document,
            version,
            sections,
            versions,
        })
    }

    /// What changed between versions `from` and `to` of a document the caller has
    /// already found readable (default: the newest and the one before it), with the
    /// inputs that led to each change as `actor` may see them.
    pub async fn document_diff(
        &self,
        actor: &Actor,
        document: &Document,
        from: Option<i32>,
        to: Option<i32>,
    ) -> Result<DocumentDiff, DocumentError> {
        let db = self.db();
        let versions = db.versions_of(document.id).await?;
        let newest = versions.last().map_or(1, |v| v.number);
        let to = to.unwrap_or(newest);
        let from = from.unwrap_or(to - 1);
        let find = |n: i32| versions.iter().find(|v| v.number == n);
        let (Some(old), Some(new)) = (find(from), find(to)) else {
            return Err(DocumentError::UnknownVersion { newest });
        };
        let inputs = db.comment_counts_by_lineage(document.id).await?;
        let inputs_on = |lineage: &Uuid| inputs.get(&SectionId(*lineage)).copied().unwrap_or(0);
        let cached = self.version_cache().diff(old.id, new.id);
        let core = match cached {
            Some(core) => core,
            None => {
                let core = Arc::new(section_diffs(
                    &db.sections_of(old.id).await?,
                    &db.sections_of(new.id).await?,
                ));
                self.version_cache().keep_diff(old.id, new.id, core.clone());
                core
            }
        };
        let mut sections: Vec<SectionDiff> = core
            .iter()
            .map(|s| SectionDiff {
                inputs: inputs_on(&s.lineage),
                ..s.clone()
            })
            .collect();
        // A change made in any version after the older one and up to the newer one.
        let newer = (from.min(to) + 1)..=from.max(to);
        let mut traced = self.traced_changes(actor, document, newer).await?;
        for section in &mut sections {
            section.linked_inputs = traced
                .by_lineage
                .remove(&section.lineage)
                .unwrap_or_default();
        }
        Ok(DocumentDiff {
            from,
            to,
            sections,
            planner: traced.planner,
        })
    }
}
