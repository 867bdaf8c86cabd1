//! Assessments (merknadsbehandling) in the register rows, the plan's themes, and the
//! history of every change: each write locks its row first, compares, writes the
//! new state and a history line in one transaction.

use super::parse_enum;
use super::register::{entries, id_list};
use crate::entities::{assessment_change, input_register, input_theme, theme};
use crate::time::{from_db, to_db};
use crate::{Db, DbError};
use domain::assessment::{
    AssessmentChange, AssessmentState, ChangeAction, FieldChange, Outcome, PublishedAssessment,
    RegisterEntry, StateRefusal, Theme, may_publish, may_review,
};
use domain::email::OutgoingEmail;
use domain::{InputId, PersonId, PlanId, SectionId, ThemeId};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter,
    QueryOrder, TransactionTrait,
};
use std::collections::HashMap;
use uuid::Uuid;

/// The content of an assessment as a planner saves it.
#[derive(Debug, Clone, Default)]
pub struct AssessmentEdit {
    pub summary: String,
    pub outcome: Option<Outcome>,
    pub response: String,
    pub change: String,
    pub change_section_id: Option<SectionId>,
    pub section_ids: Vec<SectionId>,
    pub theme_ids: Vec<ThemeId>,
}

/// Who changes an assessment.
#[derive(Debug, Clone)]
pub struct ChangedBy {
    pub person_id: Option<PersonId>,
    pub name: String,
    pub at: jiff::Timestamp,
}

#[derive(Debug, thiserror::Error)]
pub enum AssessmentWriteError {
    #[error("the change is not allowed now: {0:?}")]
    Refused(StateRefusal),
    #[error("a theme is not one of the plan's")]
    UnknownTheme,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sea_orm::DbErr> for AssessmentWriteError {
    fn from(err: sea_orm::DbErr) -> Self {
        AssessmentWriteError::Db(err.into())
    }
}

fn theme_into_domain(m: theme::Model) -> Theme {
    Theme {
        id: m.id.into(),
        plan_id: m.plan_id.into(),
        name: m.name,
    }
}

fn change_into_domain(m: assessment_change::Model) -> Result<AssessmentChange, DbError> {
    Ok(AssessmentChange {
        input_id: m.input_id.into(),
        action: parse_enum(&m.action, ChangeAction::parse, "assessment action")?,
        person_id: m.person_id.map(PersonId),
        actor_name: m.actor_name,
        fields: serde_json::from_str(&m.fields)
            .map_err(|e| DbError::Corrupt(format!("assessment change: {e}")))?,
        at: from_db(m.at)?,
    })
}

/// Locks a register row until the transaction ends, and reads it with its themes.
pub(crate) async fn locked_entry(
    txn: &DatabaseTransaction,
    id: InputId,
) -> Result<RegisterEntry, DbError> {
    let locked = input_register::Entity::update_many()
        .col_expr(
            input_register::Column::State,
            Expr::col(input_register::Column::State),
        )
        .filter(input_register::Column::Id.eq(id.0))
        .exec(txn)
        .await?;
    if locked.rows_affected == 0 {
        return Err(DbError::NotFound);
    }
    let row = input_register::Entity::find_by_id(id.0)
        .one(txn)
        .await?
        .ok_or(DbError::NotFound)?;
    Ok(entries(txn, &[row]).await?.remove(0))
}

async fn history_of<C: ConnectionTrait>(
    conn: &C,
    id: InputId,
) -> Result<Vec<AssessmentChange>, DbError> {
    assessment_change::Entity::find()
        .filter(assessment_change::Column::InputId.eq(id.0))
        .order_by_asc(assessment_change::Column::At)
        .order_by_asc(assessment_change::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(change_into_domain)
        .collect()
}

pub(crate) async fn log(
    txn: &DatabaseTransaction,
    id: InputId,
    action: ChangeAction,
    by: &ChangedBy,
    fields: &[FieldChange],
) -> Result<(), DbError> {
    assessment_change::Entity::insert(assessment_change::ActiveModel {
        id: Set(Uuid::now_v7()),
        input_id: Set(id.0),
        action: Set(action.as_str().to_owned()),
        person_id: Set(by.person_id.map(|p| p.0)),
        actor_name: Set(by.name.clone()),
        fields: Set(serde_json::to_string(fields).map_err(|e| DbError::Other(e.to_string()))?),
        at: Set(to_db(by.at)),
    })
    .exec_without_returning(txn)
    .await?;
    Ok(())
}

fn ids_text<T: std::fmt::Display>(ids: &[T]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Saves an assessment's content on a row locked in `txn` (read as `before`): a
/// draft again, by `by`, with a history line naming every changed field. Nothing is
/// written when nothing changed.
pub(crate) async fn save_locked(
    txn: &DatabaseTransaction,
    before: RegisterEntry,
    edit: AssessmentEdit,
    by: &ChangedBy,
) -> Result<RegisterEntry, AssessmentWriteError> {
    let id = before.id;
    let mut theme_ids = edit.theme_ids.clone();
    theme_ids.sort();
    theme_ids.dedup();
    let themes: Vec<Theme> = if theme_ids.is_empty() {
        Vec::new()
    } else {
        theme::Entity::find()
            .filter(theme::Column::Id.is_in(theme_ids.iter().map(|t| t.0)))
            .filter(theme::Column::PlanId.eq(before.plan_id.0))
            .all(txn)
            .await?
            .into_iter()
            .map(theme_into_domain)
            .collect()
    };
    if themes.len() != theme_ids.len() {
        return Err(AssessmentWriteError::UnknownTheme);
    }
    let old = &before.assessment;
    let theme_names = |list: &[Theme]| {
        let mut names: Vec<&str> = list.iter().map(|t| t.name.as_str()).collect();
        names.sort_by_key(|n| n.to_lowercase());
        names.join(", ")
    };
    let outcome_text = |o: Option<Outcome>| o.map(|o| o.as_str().to_owned()).unwrap_or_default();
    let mut fields = Vec::new();
    let mut compare = |field: &str, before: String, after: String| {
        if before != after {
            fields.push(FieldChange {
                field: field.to_owned(),
                before,
                after,
            });
        }
    };
    compare("summary", old.summary.clone(), edit.summary.clone());
    compare(
        "outcome",
        outcome_text(old.outcome),
        outcome_text(edit.outcome),
    );
    compare("response", old.response.clone(), edit.response.clone());
    compare("change", old.change.clone(), edit.change.clone());
    let section_text = |s: Option<SectionId>| s.map(|s| s.to_string()).unwrap_or_default();
    compare(
        "change_section",
        section_text(old.change_section_id),
        section_text(edit.change_section_id),
    );
    compare(
        "sections",
        ids_text(&old.section_ids),
        ids_text(&edit.section_ids),
    );
    compare("themes", theme_names(&old.themes), theme_names(&themes));
    if fields.is_empty() {
        return Ok(before);
    }
    let at = to_db(by.at);
    input_register::Entity::update_many()
        .col_expr(input_register::Column::Summary, Expr::value(edit.summary))
        .col_expr(
            input_register::Column::Outcome,
            Expr::value(edit.outcome.map(|o| o.as_str().to_owned())),
        )
        .col_expr(input_register::Column::Response, Expr::value(edit.response))
        .col_expr(input_register::Column::ChangeText, Expr::value(edit.change))
        .col_expr(
            input_register::Column::ChangeSectionId,
            Expr::value(edit.change_section_id.map(|s| s.0)),
        )
        .col_expr(
            input_register::Column::LinkedSections,
            Expr::value(id_list(&edit.section_ids)),
        )
        .col_expr(
            input_register::Column::State,
            Expr::value(AssessmentState::Drafted.as_str()),
        )
        .col_expr(
            input_register::Column::DraftedBy,
            Expr::value(by.name.clone()),
        )
        .col_expr(input_register::Column::DraftedAt, Expr::value(at))
        .col_expr(
            input_register::Column::ReviewedBy,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            input_register::Column::ReviewedAt,
            Expr::value(Option::<sea_orm::prelude::DateTimeUtc>::None),
        )
        .col_expr(
            input_register::Column::PublishedAt,
            Expr::value(Option::<sea_orm::prelude::DateTimeUtc>::None),
        )
        .filter(input_register::Column::Id.eq(id.0))
        .exec(txn)
        .await?;
    input_theme::Entity::delete_many()
        .filter(input_theme::Column::InputId.eq(id.0))
        .exec(txn)
        .await?;
    for theme in &themes {
        input_theme::Entity::insert(input_theme::ActiveModel {
            input_id: Set(id.0),
            theme_id: Set(theme.id.0),
        })
        .exec_without_returning(txn)
        .await?;
    }
    log(txn, id, ChangeAction::Drafted, by, &fields).await?;
    Ok(locked_entry(txn, id).await?)
}

impl Db {
    /// Saves an assessment's content: a draft again, by `by`, with a history line
    /// naming every changed field. Nothing is written when nothing changed.
    pub async fn save_assessment(
        &self,
        id: InputId,
        edit: AssessmentEdit,
        by: ChangedBy,
    ) -> Result<RegisterEntry, AssessmentWriteError> {
        let txn = self.conn.begin().await?;
        let before = locked_entry(&txn, id).await?;
        let saved = save_locked(&txn, before, edit, &by).await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// Marks a draft reviewed by a second planner (the four-eyes rule of
    /// [`may_review`], checked under the row's lock).
    pub async fn review_assessment(
        &self,
        id: InputId,
        by: ChangedBy,
    ) -> Result<RegisterEntry, AssessmentWriteError> {
        let txn = self.conn.begin().await?;
        let entry = locked_entry(&txn, id).await?;
        let history = history_of(&txn, id).await?;
        may_review(&entry.assessment, &history, by.person_id)
            .map_err(AssessmentWriteError::Refused)?;
        input_register::Entity::update_many()
            .col_expr(
                input_register::Column::State,
                Expr::value(AssessmentState::Reviewed.as_str()),
            )
            .col_expr(
                input_register::Column::ReviewedBy,
                Expr::value(by.name.clone()),
            )
            .col_expr(
                input_register::Column::ReviewedAt,
                Expr::value(to_db(by.at)),
            )
            .filter(input_register::Column::Id.eq(id.0))
            .exec(&txn)
            .await?;
        log(&txn, id, ChangeAction::Reviewed, &by, &[]).await?;
        let saved = locked_entry(&txn, id).await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// Publishes a reviewed assessment.
    pub async fn publish_assessment(
        &self,
        id: InputId,
        by: ChangedBy,
    ) -> Result<RegisterEntry, AssessmentWriteError> {
        let txn = self.conn.begin().await?;
        let entry = locked_entry(&txn, id).await?;
        may_publish(&entry.assessment).map_err(AssessmentWriteError::Refused)?;
        input_register::Entity::update_many()
            .col_expr(
                input_register::Column::State,
                Expr::value(AssessmentState::Published.as_str()),
            )
            .col_expr(
                input_register::Column::PublishedAt,
                Expr::value(to_db(by.at)),
            )
            .filter(input_register::Column::Id.eq(id.0))
            .exec(&txn)
            .await?;
        log(&txn, id, ChangeAction::Published, &by, &[]).await?;
        let saved = locked_entry(&txn, id).await?;
        txn.commit().await?;
        Ok(saved)
    }

    /// Publishes reviewed assessments all at once with the emails that tell their
    /// participants; nothing is written unless every one is still reviewed.
    pub async fn publish_assessments(
        &self,
        ids: &[InputId],
        by: ChangedBy,
        emails: &[OutgoingEmail],
    ) -> Result<usize, AssessmentWriteError> {
        let txn = self.conn.begin().await?;
        for id in ids {
            let entry = locked_entry(&txn, *id).await?;
            may_publish(&entry.assessment).map_err(AssessmentWriteError::Refused)?;
        }
        input_register::Entity::update_many()
            .col_expr(
                input_register::Column::State,
                Expr::value(AssessmentState::Published.as_str()),
            )
            .col_expr(
                input_register::Column::PublishedAt,
                Expr::value(to_db(by.at)),
            )
            .filter(input_register::Column::Id.is_in(ids.iter().map(|id| id.0)))
            .exec(&txn)
            .await?;
        for id in ids {
            log(&txn, *id, ChangeAction::Published, &by, &[]).await?;
        }
        let mut queued = 0;
        for email in emails {
            if super::outbox::enqueue(&txn, email).await? {
                queued += 1;
            }
        }
        txn.commit().await?;
        Ok(queued)
    }

    /// The published assessments of the inputs with these source ids (comments,
    /// responses, letters), by source id.
    pub async fn published_assessments(
        &self,
        source_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, PublishedAssessment>, DbError> {
        if source_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = input_register::Entity::find()
            .filter(input_register::Column::SourceId.is_in(source_ids.iter().copied()))
            .filter(input_register::Column::State.eq(AssessmentState::Published.as_str()))
            .all(&self.conn)
            .await?;
        Ok(entries(&self.conn, &rows)
            .await?
            .into_iter()
            .map(|e| {
                (
                    e.source_id,
                    PublishedAssessment {
                        outcome: e.assessment.outcome,
                        response: e.assessment.response,
                    },
                )
            })
            .collect())
    }

    /// Every change to an assessment, oldest first.
    pub async fn assessment_history(&self, id: InputId) -> Result<Vec<AssessmentChange>, DbError> {
        history_of(&self.conn, id).await
    }

    /// The plan's themes by name.
    pub async fn themes_of_plan(&self, plan: PlanId) -> Result<Vec<Theme>, DbError> {
        let mut themes: Vec<Theme> = theme::Entity::find()
            .filter(theme::Column::PlanId.eq(plan.0))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(theme_into_domain)
            .collect();
        themes.sort_by_key(|t| t.name.to_lowercase());
        Ok(themes)
    }

    pub async fn theme(&self, id: ThemeId) -> Result<Theme, DbError> {
        theme::Entity::find_by_id(id.0)
            .one(&self.conn)
            .await?
            .map(theme_into_domain)
            .ok_or(DbError::NotFound)
    }

    /// A new theme; a name the plan has already is a conflict.
    pub async fn create_theme(
        &self,
        plan: PlanId,
        name: &str,
        at: jiff::Timestamp,
    ) -> Result<Theme, DbError> {
        let row = theme::Entity::insert(theme::ActiveModel {
            id: Set(ThemeId::new().0),
            plan_id: Set(plan.0),
            name: Set(name.to_owned()),
            created_at: Set(to_db(at)),
        })
        .exec_with_returning(&self.conn)
        .await?;
        Ok(theme_into_domain(row))
    }

    /// Renames a theme; a name the plan has already is a conflict.
    pub async fn rename_theme(&self, id: ThemeId, name: &str) -> Result<Theme, DbError> {
        theme::Entity::update_many()
            .col_expr(theme::Column::Name, Expr::value(name))
            .filter(theme::Column::Id.eq(id.0))
            .exec(&self.conn)
            .await?;
        self.theme(id).await
    }

    /// Moves every assessment tagged `from` to `into` and removes `from`, in one
    /// transaction.
    pub async fn merge_themes(&self, from: ThemeId, into: ThemeId) -> Result<Theme, DbError> {
        let txn = self.conn.begin().await?;
        let inputs: Vec<Uuid> = input_theme::Entity::find()
            .filter(input_theme::Column::ThemeId.eq(from.0))
            .all(&txn)
            .await?
            .into_iter()
            .map(|l| l.input_id)
            .collect();
        for input in inputs {
            input_theme::Entity::insert(input_theme::ActiveModel {
                input_id: Set(input),
                theme_id: Set(into.0),
            })
            .on_conflict_do_nothing_on([input_theme::Column::InputId, input_theme::Column::ThemeId])
            .exec_without_returning(&txn)
            .await?;
        }
        input_theme::Entity::delete_many()
            .filter(input_theme::Column::ThemeId.eq(from.0))
            .exec(&txn)
            .await?;
        theme::Entity::delete_by_id(from.0).exec(&txn).await?;
        txn.commit().await?;
        self.theme(into).await
    }
}
