use super::parse_enum;
use crate::entities::{document, document_version, section};
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::plan::{Document, DocumentKind, DocumentVersion, NewSection, Section};
use domain::{DocumentId, DocumentVersionId, PlanId, SectionId};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};

#[derive(Debug, Clone)]
pub struct NewDocument {
    pub plan_id: PlanId,
    pub kind: DocumentKind,
    pub title: String,
    pub sections: Vec<NewSection>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentWithSections {
    pub document: Document,
    pub version: DocumentVersion,
    pub sections: Vec<Section>,
}

fn document_into_domain(m: document::Model) -> Result<Document, DbError> {
    Ok(Document {
        id: m.id.into(),
        plan_id: m.plan_id.into(),
        kind: parse_enum(&m.kind, DocumentKind::parse, "document kind")?,
        title: m.title,
        created_at: from_db(m.created_at)?,
    })
}

fn version_into_domain(m: document_version::Model) -> Result<DocumentVersion, DbError> {
    Ok(DocumentVersion {
        id: m.id.into(),
        document_id: m.document_id.into(),
        number: m.number,
        created_at: from_db(m.created_at)?,
    })
}

pub(crate) fn section_into_domain(m: section::Model) -> Section {
    Section {
        id: m.id.into(),
        version_id: m.version_id.into(),
        number: m.number,
        title: m.title,
        level: m.level,
        body: m.body,
        position: m.position,
        lineage: m.lineage_id.unwrap_or(m.id).into(),
    }
}

/// Inserts a document, its first version and its sections inside the caller's transaction.
pub(crate) async fn insert_document<C: ConnectionTrait>(
    txn: &C,
    id: DocumentId,
    new: NewDocument,
) -> Result<DocumentWithSections, DbError> {
    let created_at = to_db(now());
    let document = document::Entity::insert(document::ActiveModel {
        id: Set(id.0),
        plan_id: Set(new.plan_id.0),
        kind: Set(new.kind.as_str().to_owned()),
        title: Set(new.title),
        created_at: Set(created_at),
    })
    .exec_with_returning(txn)
    .await?;
    let (version, sections) = insert_version(txn, id, 1, new.sections, &[]).await?;
    Ok(DocumentWithSections {
        document: document_into_domain(document)?,
        version,
        sections,
    })
}

/// Inserts version `number` of a document with its sections; `lineages[i]` continues
/// an earlier section's identity, otherwise the section starts its own.
async fn insert_version<C: ConnectionTrait>(
    txn: &C,
    document: DocumentId,
    number: i32,
    sections: Vec<NewSection>,
    lineages: &[Option<SectionId>],
) -> Result<(DocumentVersion, Vec<Section>), DbError> {
    let version = document_version::Entity::insert(document_version::ActiveModel {
        id: Set(DocumentVersionId::new().0),
        document_id: Set(document.0),
        number: Set(number),
        created_at: Set(to_db(now())),
    })
    .exec_with_returning(txn)
    .await?;
    let mut stored = Vec::with_capacity(sections.len());
    for (position, s) in sections.into_iter().enumerate() {
        let id = SectionId::new();
        let lineage = lineages.get(position).copied().flatten().unwrap_or(id);
        let model = section::Entity::insert(section::ActiveModel {
            id: Set(id.0),
            version_id: Set(version.id),
            number: Set(s.number),
            title: Set(s.title),
            level: Set(s.level),
            body: Set(s.body),
            position: Set(i32::try_from(position).unwrap_or(i32::MAX)),
            lineage_id: Set(Some(lineage.0)),
        })
        .exec_with_returning(txn)
        .await?;
        stored.push(section_into_domain(model));
    }
    Ok((version_into_domain(version)?, stored))
}

impl Db {
    /// Publishes a new version of a document. Sections that match one of the previous
    /// version (by number and title, title, or number) keep its lineage.
    pub async fn create_version(
        &self,
        document: DocumentId,
        sections: Vec<NewSection>,
    ) -> Result<DocumentWithSections, DbError> {
        let txn = self.conn.begin().await?;
        let doc = document::Entity::find_by_id(document.0)
            .one(&txn)
            .await?
            .ok_or(DbError::NotFound)?;
        let latest = document_version::Entity::find()
            .filter(document_version::Column::DocumentId.eq(document.0))
            .order_by_desc(document_version::Column::Number)
            .one(&txn)
            .await?
            .ok_or(DbError::NotFound)?;
        let previous: Vec<Section> = section::Entity::find()
            .filter(section::Column::VersionId.eq(latest.id))
            .order_by_asc(section::Column::Position)
            .all(&txn)
            .await?
            .into_iter()
            .map(section_into_domain)
            .collect();
        let pairs: Vec<(SectionId, &Section)> = previous.iter().map(|s| (s.lineage, s)).collect();
        let lineages = domain::version::match_lineage(&pairs, &sections);
        // The unique (document, number) index makes a concurrent publish fail, not fork.
        let (version, stored) =
            insert_version(&txn, document, latest.number + 1, sections, &lineages).await?;
        txn.commit().await?;
        Ok(DocumentWithSections {
            document: document_into_domain(doc)?,
            version,
            sections: stored,
        })
    }

    pub async fn versions_of(&self, document: DocumentId) -> Result<Vec<DocumentVersion>, DbError> {
        document_version::Entity::find()
            .filter(document_version::Column::DocumentId.eq(document.0))
            .order_by_asc(document_version::Column::Number)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(version_into_domain)
            .collect()
    }

    /// Creates a document with its first version and sections, all or nothing.
    pub async fn create_document(&self, new: NewDocument) -> Result<DocumentWithSections, DbError> {
        let txn = self.conn.begin().await?;
        let created = insert_document(&txn, DocumentId::new(), new).await?;
        txn.commit().await?;
        Ok(created)
    }

    pub async fn document(&self, id: DocumentId) -> Result<Document, DbError> {
        document::Entity::find_by_id(id.0)
            .one(&self.read)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(document_into_domain)
    }

    pub async fn documents_of(&self, plan: PlanId) -> Result<Vec<Document>, DbError> {
        document::Entity::find()
            .filter(document::Column::PlanId.eq(plan.0))
            .order_by_asc(document::Column::CreatedAt)
            .all(&self.conn)
            .await?
            .into_iter()
            .map(document_into_domain)
            .collect()
    }

    pub async fn document_version(
        &self,
        id: DocumentVersionId,
    ) -> Result<DocumentVersion, DbError> {
        document_version::Entity::find_by_id(id.0)
            .one(&self.read)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(version_into_domain)
    }

    pub async fn latest_version(&self, document: DocumentId) -> Result<DocumentVersion, DbError> {
        document_version::Entity::find()
            .filter(document_version::Column::DocumentId.eq(document.0))
            .order_by_desc(document_version::Column::Number)
            .one(&self.read)
            .await?
            .ok_or(DbError::NotFound)
            .and_then(version_into_domain)
    }

    pub async fn sections_of(&self, version: DocumentVersionId) -> Result<Vec<Section>, DbError> {
        Ok(section::Entity::find()
            .filter(section::Column::VersionId.eq(version.0))
            .order_by_asc(section::Column::Position)
            .all(&self.read)
            .await?
            .into_iter()
            .map(section_into_domain)
            .collect())
    }

    pub async fn section(&self, id: SectionId) -> Result<Section, DbError> {
        section::Entity::find_by_id(id.0)
            .one(&self.read)
            .await?
            .map(section_into_domain)
            .ok_or(DbError::NotFound)
    }
}
