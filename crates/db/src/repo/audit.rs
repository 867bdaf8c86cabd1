//! The audit log: one row per security-relevant act, written inside the act's own
//! transaction where the act has one here (`insert_audit`), read by administrators.

use crate::entities::{audit_log, person};
use crate::time::{from_db, now, to_db};
use crate::{Db, DbError};
use domain::audit::AuditKind;
use domain::{ApiTokenId, MunicipalityId, PersonId, PlanId};
use jiff::Timestamp;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use std::collections::HashMap;
use uuid::Uuid;

/// An act to record. `target` is an id (of a comment, a person, a token …) and
/// `detail` a short, non-personal word or two (a role, a decision).
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub municipality: Option<MunicipalityId>,
    pub kind: AuditKind,
    pub actor_person: Option<PersonId>,
    pub actor_token: Option<ApiTokenId>,
    pub plan: Option<PlanId>,
    pub target: Option<String>,
    pub detail: Option<String>,
}

impl AuditRecord {
    pub fn new(kind: AuditKind, municipality: Option<MunicipalityId>) -> AuditRecord {
        AuditRecord {
            municipality,
            kind,
            actor_person: None,
            actor_token: None,
            plan: None,
            target: None,
            detail: None,
        }
    }

    /// Who acted: a person, or a token (with the person it belongs to, if any).
    pub fn by(mut self, person: Option<PersonId>, token: Option<ApiTokenId>) -> AuditRecord {
        self.actor_person = person;
        self.actor_token = token;
        self
    }

    pub fn plan(mut self, plan: Option<PlanId>) -> AuditRecord {
        self.plan = plan;
        self
    }

    pub fn target(mut self, target: impl ToString) -> AuditRecord {
        self.target = Some(truncate(target.to_string(), 100));
        self
    }

    pub fn detail(mut self, detail: impl ToString) -> AuditRecord {
        self.detail = Some(truncate(detail.to_string(), 200));
        self
    }
}

fn truncate(mut s: String, max: usize) -> String {
    if s.chars().count() > max {
        s = s.chars().take(max).collect();
    }
    s
}

/// A recorded act as administrators read it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditEntry {
    pub id: Uuid,
    pub at: Timestamp,
    pub kind: String,
    pub actor_person: Option<PersonId>,
    /// The acting person's address, while they are not forgotten.
    pub actor_email: Option<String>,
    pub actor_token: Option<ApiTokenId>,
    pub plan: Option<PlanId>,
    pub target: Option<String>,
    pub detail: Option<String>,
}

/// What an administrator asks for; every part narrows the list.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub kind: Option<AuditKind>,
    pub actor: Option<PersonId>,
    pub plan: Option<PlanId>,
    pub from: Option<Timestamp>,
    /// Exclusive.
    pub until: Option<Timestamp>,
}

/// Writes one audit row inside the caller's transaction.
pub(crate) async fn insert_audit<C: ConnectionTrait>(
    conn: &C,
    record: &AuditRecord,
) -> Result<(), DbError> {
    audit_log::Entity::insert(audit_log::ActiveModel {
        id: Set(Uuid::now_v7()),
        at: Set(to_db(now())),
        municipality_id: Set(record.municipality.map(|m| m.0)),
        kind: Set(record.kind.as_str().to_owned()),
        actor_person_id: Set(record.actor_person.map(|p| p.0)),
        actor_token_id: Set(record.actor_token.map(|t| t.0)),
        plan_id: Set(record.plan.map(|p| p.0)),
        target: Set(record.target.clone()),
        detail: Set(record.detail.clone()),
    })
    .exec_without_returning(conn)
    .await?;
    Ok(())
}

impl Db {
    /// Records an act that has no transaction of its own here (or that happened
    /// outside the database, such as an export).
    pub async fn record_audit(&self, record: &AuditRecord) -> Result<(), DbError> {
        insert_audit(&self.conn, record).await
    }

    /// One page of a municipality's audit log, newest first, and how many rows match.
    pub async fn audit_entries(
        &self,
        municipality: MunicipalityId,
        filter: &AuditFilter,
        offset: u64,
        limit: u64,
    ) -> Result<(Vec<AuditEntry>, u64), DbError> {
        let mut query =
            audit_log::Entity::find().filter(audit_log::Column::MunicipalityId.eq(municipality.0));
        if let Some(kind) = filter.kind {
            query = query.filter(audit_log::Column::Kind.eq(kind.as_str()));
        }
        if let Some(actor) = filter.actor {
            query = query.filter(audit_log::Column::ActorPersonId.eq(actor.0));
        }
        if let Some(plan) = filter.plan {
            query = query.filter(audit_log::Column::PlanId.eq(plan.0));
        }
        if let Some(from) = filter.from {
            query = query.filter(audit_log::Column::At.gte(to_db(from)));
        }
        if let Some(until) = filter.until {
            query = query.filter(audit_log::Column::At.lt(to_db(until)));
        }
        let total = query.clone().count(&self.read).await?;
        let rows = query
            .order_by_desc(audit_log::Column::At)
            .order_by_desc(audit_log::Column::Id)
            .offset(offset)
            .limit(limit)
            .all(&self.read)
            .await?;
        let people: Vec<Uuid> = rows.iter().filter_map(|r| r.actor_person_id).collect();
        let emails: HashMap<Uuid, String> = if people.is_empty() {
            HashMap::new()
        } else {
            person::Entity::find()
                .filter(person::Column::Id.is_in(people))
                .filter(person::Column::AnonymisedAt.is_null())
                .all(&self.read)
                .await?
                .into_iter()
                .map(|p| (p.id, p.email))
                .collect()
        };
        let entries = rows
            .into_iter()
            .map(|r| {
                Ok(AuditEntry {
                    id: r.id,
                    at: from_db(r.at)?,
                    kind: r.kind,
                    actor_email: r.actor_person_id.and_then(|p| emails.get(&p).cloned()),
                    actor_person: r.actor_person_id.map(PersonId),
                    actor_token: r.actor_token_id.map(ApiTokenId),
                    plan: r.plan_id.map(PlanId),
                    target: r.target,
                    detail: r.detail,
                })
            })
            .collect::<Result<Vec<_>, DbError>>()?;
        Ok((entries, total))
    }
}
