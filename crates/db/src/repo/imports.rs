//! Import drafts: a parsed document waiting for the planner to confirm its outline.

use super::documents::insert_document;
use super::parse_enum;
use crate::entities::import_draft;
use crate::time::{now, to_db};
use crate::{Db, DbError, NewDocument};
use domain::plan::{DocumentKind, NewSection};
use domain::{DocumentId, MunicipalityId, PlanId};
use sea_orm::sea_query::Expr;
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftWarning {
    pub code: String,
    pub message: String,
    /// The lines it concerns, when it concerns part of one section.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub place: Option<DraftPlace>,
}

/// Lines of one section's body in a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftPlace {
    /// The section's index in the draft's sections, from 0.
    pub section: usize,
    /// The first and last line of its body, from 1.
    pub first_line: usize,
    pub last_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportDraft {
    pub id: Uuid,
    pub municipality_id: MunicipalityId,
    pub plan_id: PlanId,
    pub title: String,
    pub kind: DocumentKind,
    pub file_name: String,
    pub sections: Vec<NewSection>,
    pub warnings: Vec<DraftWarning>,
    /// Set once confirmed: the document it became.
    pub document_id: Option<domain::DocumentId>,
    /// Counts the corrections of the outline; a correction names the one it was made on.
    pub revision: i32,
}

fn into_domain(m: import_draft::Model) -> Result<ImportDraft, DbError> {
    Ok(ImportDraft {
        id: m.id,
        municipality_id: m.municipality_id.into(),
        plan_id: m.plan_id.into(),
        title: m.title,
        kind: parse_enum(&m.kind, DocumentKind::parse, "document kind")?,
        file_name: m.file_name,
        sections: serde_json::from_str(&m.sections).map_err(|e| DbError::Corrupt(e.to_string()))?,
        warnings: serde_json::from_str(&m.warnings).map_err(|e| DbError::Corrupt(e.to_string()))?,
        document_id: m.document_id.map(Into::into),
        revision: m.revision,
    })
}

/// What a planner uploaded and the importer made of it.
#[derive(Debug, Clone)]
pub struct NewImportDraft {
    pub municipality_id: MunicipalityId,
    pub plan_id: PlanId,
    pub title: String,
    pub kind: DocumentKind,
    pub file_name: String,
    pub sections: Vec<NewSection>,
    pub warnings: Vec<DraftWarning>,
    pub created_by: String,
}

impl Db {
    pub async fn create_import_draft(&self, new: NewImportDraft) -> Result<ImportDraft, DbError> {
        let model = import_draft::ActiveModel {
            id: Set(Uuid::now_v7()),
            municipality_id: Set(new.municipality_id.0),
            plan_id: Set(new.plan_id.0),
            title: Set(new.title),
            kind: Set(new.kind.as_str().to_owned()),
            file_name: Set(new.file_name),
            sections: Set(to_json(&new.sections)?),
            warnings: Set(to_json(&new.warnings)?),
            created_by: Set(new.created_by),
            created_at: Set(to_db(now())),
            document_id: Set(None),
            revision: Set(0),
        };
        into_domain(
            import_draft::Entity::insert(model)
                .exec_with_returning(&self.conn)
                .await?,
        )
    }

    pub async fn import_draft(&self, id: Uuid) -> Result<ImportDraft, DbError> {
        import_draft::Entity::find_by_id(id)
            .one(&self.conn)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(into_domain)
    }

    /// Replaces the outline of a draft that is not confirmed yet, if it is still at
    /// `revision`; returns the draft at its next revision. A draft that was confirmed
    /// or changed meanwhile is left alone: `Conflict`.
    pub async fn update_import_draft(
        &self,
        id: Uuid,
        revision: i32,
        sections: &[NewSection],
        warnings: &[DraftWarning],
    ) -> Result<ImportDraft, DbError> {
        let updated = import_draft::Entity::update_many()
            .col_expr(
                import_draft::Column::Sections,
                Expr::value(to_json(&sections)?),
            )
            .col_expr(
                import_draft::Column::Warnings,
                Expr::value(to_json(&warnings)?),
            )
            .col_expr(import_draft::Column::Revision, Expr::value(revision + 1))
            .filter(import_draft::Column::Id.eq(id))
            .filter(import_draft::Column::Revision.eq(revision))
            .filter(import_draft::Column::DocumentId.is_null())
            .exec(&self.conn)
            .await?;
        if updated.rows_affected != 1 {
            return Err(DbError::Conflict("the import draft changed".into()));
        }
        self.import_draft(id).await
    }

    /// Turns a draft into a document once: a second confirm (a double click, a
    /// retried post) returns the document the first one made.
    pub async fn confirm_import_draft(&self, id: Uuid) -> Result<DocumentId, DbError> {
        // A correction of the outline between reading and claiming the draft moves its
        // revision: then read it again, so the document holds the corrected outline.
        const ATTEMPTS: usize = 5;
        for _ in 1..ATTEMPTS {
            match self.try_confirm_import_draft(id).await {
                Err(DbError::Conflict(_)) => continue,
                done => return done,
            }
        }
        self.try_confirm_import_draft(id).await
    }

    async fn try_confirm_import_draft(&self, id: Uuid) -> Result<DocumentId, DbError> {
        let draft = self.import_draft(id).await?;
        if let Some(done) = draft.document_id {
            return Ok(done);
        }
        let txn = self.conn.begin().await?;
        let document_id = DocumentId::new();
        // Claim the draft first: of two concurrent confirms only one gets the row.
        let claimed = import_draft::Entity::update_many()
            .col_expr(
                import_draft::Column::DocumentId,
                Expr::value(Some(document_id.0)),
            )
            .filter(import_draft::Column::Id.eq(id))
            .filter(import_draft::Column::DocumentId.is_null())
            .filter(import_draft::Column::Revision.eq(draft.revision))
            .exec(&txn)
            .await?;
        if claimed.rows_affected != 1 {
            txn.rollback().await?;
            return match self.import_draft(id).await?.document_id {
                Some(done) => Ok(done),
                None => Err(DbError::Conflict(
                    "the outline was corrected meanwhile".into(),
                )),
            };
        }
        insert_document(
            &txn,
            document_id,
            NewDocument {
                plan_id: draft.plan_id,
                kind: draft.kind,
                title: draft.title,
                sections: draft.sections,
            },
        )
        .await?;
        txn.commit().await?;
        Ok(document_id)
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<String, DbError> {
    serde_json::to_string(value).map_err(|e| DbError::Other(e.to_string()))
}
