//! The audit log as administrators read it, and the recording of acts whose
//! storage has no transaction of their own to write it in (written right after
//! the act commits; a failure to record is logged, never undoes the act).

use crate::Consultation;
use db::{AuditEntry, AuditFilter, AuditRecord};
use domain::audit::AuditKind;
use domain::policy::{Actor, Role};
use domain::{MunicipalityId, PlanId};

/// How many rows a page of the log shows.
pub const PAGE_SIZE: u64 = 50;

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    #[error("only the municipality's administrators may read the audit log")]
    Forbidden,
    #[error(transparent)]
    Db(#[from] db::DbError),
}

/// One page of the log, newest first.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AuditPage {
    pub entries: Vec<AuditEntry>,
    pub total: u64,
    /// 1-based.
    pub page: u64,
    pub pages: u64,
}

/// The municipality whose log the actor may read: administrators (people or
/// tokens of theirs, read-only included) not limited to one plan.
pub fn audited_municipality(actor: &Actor) -> Option<MunicipalityId> {
    if actor.plan_scope.is_some() {
        return None;
    }
    actor.roles.iter().find_map(|role| match role {
        Role::Administrator { municipality } => Some(*municipality),
        _ => None,
    })
}

/// A record of `kind` done by `actor`.
pub fn by(actor: &Actor, kind: AuditKind, municipality: Option<MunicipalityId>) -> AuditRecord {
    AuditRecord::new(kind, municipality).by(actor.person, actor.token)
}

impl Consultation {
    /// Records an act that has already committed; a failure is logged only.
    pub async fn record(&self, record: AuditRecord) {
        if let Err(err) = self.db().record_audit(&record).await {
            tracing::error!(error = %err, kind = record.kind.as_str(), "could not write the audit log");
        }
    }

    /// Records that a plan was exported (the command line's `samrad export`, or any
    /// other export): which plan, and a short non-personal detail such as the format.
    pub async fn record_export(
        &self,
        municipality: MunicipalityId,
        plan: PlanId,
        detail: &str,
    ) -> Result<(), db::DbError> {
        self.db()
            .record_audit(
                &AuditRecord::new(AuditKind::Exported, Some(municipality))
                    .plan(Some(plan))
                    .target(plan)
                    .detail(detail),
            )
            .await
    }

    /// A page (1-based) of the audit log of the municipality the actor administers.
    pub async fn audit_log(
        &self,
        actor: &Actor,
        filter: &AuditFilter,
        page: u64,
    ) -> Result<AuditPage, AuditError> {
        let municipality = audited_municipality(actor).ok_or(AuditError::Forbidden)?;
        let page = page.max(1);
        let (entries, total) = self
            .db()
            .audit_entries(municipality, filter, (page - 1) * PAGE_SIZE, PAGE_SIZE)
            .await?;
        Ok(AuditPage {
            entries,
            total,
            page,
            pages: total.div_ceil(PAGE_SIZE).max(1),
        })
    }
}
