//! The planner's workbench around the register: the filters by submitter, theme,
//! date and assignee; the figures of a plan's inputs, counted by the database
//! (GROUP BY and conditional sums, never by loading the inputs); and the bulk
//! actions on a selection, each in one transaction.

use super::assessments::{
    AssessmentEdit, AssessmentWriteError, ChangedBy, locked_entry, log, save_locked,
};
use crate::entities::{input_register, input_theme, organisation, registered_letter, response};
use crate::time::to_db;
use crate::{Db, DbError};
use domain::assessment::{
    AssessmentState, ChangeAction, FieldChange, InputKind, Outcome, RegisterEntry,
};
use domain::organisation::OrganisationKind;
use domain::workbench::{InputStatistics, SubmitterKind, Tally, bulk_may_change};
use domain::{HearingId, InputId, PersonId, PlanId, SectionId, ThemeId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use std::collections::BTreeMap;

/// Whose inputs to show by assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssigneeFilter {
    Nobody,
    Planner(PersonId),
}

/// The register's filters beyond hearing, section, kind, state, lateness and search.
#[derive(Debug, Clone, Default)]
pub struct MoreFilters {
    pub submitter: Option<SubmitterKind>,
    pub theme: Option<ThemeId>,
    /// Received at or after this instant.
    pub received_from: Option<jiff::Timestamp>,
    /// Received before this instant.
    pub received_before: Option<jiff::Timestamp>,
    pub assignee: Option<AssigneeFilter>,
}

fn register_col(column: input_register::Column) -> Expr {
    Expr::col((input_register::Entity, column))
}

/// `SELECT id FROM response [JOIN organisation] WHERE …`: the responses given as a
/// private person (`None`) or on behalf of an organisation of this kind.
fn responses_by(organisation_kind: Option<OrganisationKind>) -> SelectStatement {
    let mut select = Query::select();
    select
        .column((response::Entity, response::Column::Id))
        .from(response::Entity);
    match organisation_kind {
        None => {
            select.and_where(
                Expr::col((response::Entity, response::Column::OrganisationId)).is_null(),
            );
        }
        Some(kind) => {
            select
                .inner_join(
                    organisation::Entity,
                    Expr::col((organisation::Entity, organisation::Column::Id))
                        .equals((response::Entity, response::Column::OrganisationId)),
                )
                .and_where(
                    Expr::col((organisation::Entity, organisation::Column::Kind)).eq(kind.as_str()),
                );
        }
    }
    select.to_owned()
}

/// `SELECT id FROM registered_letter WHERE sender_kind = …`.
fn letters_by(sender_kind: &str) -> SelectStatement {
    Query::select()
        .column((registered_letter::Entity, registered_letter::Column::Id))
        .from(registered_letter::Entity)
        .and_where(
            Expr::col((
                registered_letter::Entity,
                registered_letter::Column::SenderKind,
            ))
            .eq(sender_kind),
        )
        .to_owned()
}

fn of_kind(kind: InputKind) -> Expr {
    register_col(input_register::Column::Kind).eq(kind.as_str())
}

fn source_in(select: SelectStatement) -> Expr {
    register_col(input_register::Column::SourceId).in_subquery(select)
}

/// The rows given by this kind of submitter: comments come from persons, responses
/// from a person or an organisation, letters as the planner recorded them.
fn submitter_condition(kind: SubmitterKind) -> Condition {
    match kind {
        SubmitterKind::Person => Condition::any()
            .add(of_kind(InputKind::Comment))
            .add(of_kind(InputKind::Response).and(source_in(responses_by(None))))
            .add(of_kind(InputKind::Letter).and(source_in(letters_by("person")))),
        SubmitterKind::Organisation(kind) => Condition::all()
            .add(of_kind(InputKind::Response))
            .add(source_in(responses_by(Some(kind)))),
        SubmitterKind::OtherOrganisation => Condition::all()
            .add(of_kind(InputKind::Letter))
            .add(source_in(letters_by("organisation"))),
    }
}

impl MoreFilters {
    /// These filters added to a register condition.
    pub(crate) fn add_to(&self, mut c: Condition) -> Condition {
        if let Some(kind) = self.submitter {
            c = c.add(submitter_condition(kind));
        }
        if let Some(theme) = self.theme {
            c = c.add(
                input_register::Column::Id.in_subquery(
                    Query::select()
                        .column(input_theme::Column::InputId)
                        .from(input_theme::Entity)
                        .and_where(input_theme::Column::ThemeId.eq(theme.0))
                        .to_owned(),
                ),
            );
        }
        if let Some(from) = self.received_from {
            c = c.add(input_register::Column::ReceivedAt.gte(to_db(from)));
        }
        if let Some(before) = self.received_before {
            c = c.add(input_register::Column::ReceivedAt.lt(to_db(before)));
        }
        match self.assignee {
            Some(AssigneeFilter::Nobody) => c = c.add(input_register::Column::AssigneeId.is_null()),
            Some(AssigneeFilter::Planner(p)) => {
                c = c.add(input_register::Column::AssigneeId.eq(p.0))
            }
            None => {}
        }
        c
    }
}

/// The listed rows of a plan, or of one of its hearings.
fn counted(plan: PlanId, hearing: Option<HearingId>) -> Condition {
    let mut c = Condition::all()
        .add(input_register::Column::PlanId.eq(plan.0))
        .add(input_register::Column::Listed.eq(true));
    if let Some(h) = hearing {
        c = c.add(input_register::Column::HearingId.eq(h.0));
    }
    c
}

fn count(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}

/// The hour an input arrived, in UTC, as `YYYY-MM-DD HH` (Oslo's offset is whole
/// hours, so hours add up to Oslo days exactly).
fn arrival_hour(backend: DbBackend) -> Expr {
    match backend {
        DbBackend::Postgres => Expr::cust(
            "to_char(\"input_register\".\"received_at\" AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')",
        ),
        _ => Expr::cust("strftime('%Y-%m-%d %H', \"input_register\".\"received_at\")"),
    }
}

fn oslo_day(hour: &str) -> Result<jiff::civil::Date, DbError> {
    let at: jiff::civil::DateTime = format!("{hour}:00:00")
        .replacen(' ', "T", 1)
        .parse()
        .map_err(|_| DbError::Corrupt(format!("arrival hour {hour:?}")))?;
    let utc = at
        .to_zoned(jiff::tz::TimeZone::UTC)
        .map_err(|e| DbError::Corrupt(e.to_string()))?;
    Ok(utc.timestamp().to_zoned(domain::deadline::oslo()).date())
}

impl Db {
    /// The figures of a plan's register: each counted by the database.
    pub async fn register_statistics(
        &self,
        plan: PlanId,
        hearing: Option<HearingId>,
        sections: &[SectionId],
        themes: &[ThemeId],
    ) -> Result<InputStatistics, DbError> {
        let conn = &self.conn;
        let base = || counted(plan, hearing);
        let total = input_register::Entity::find()
            .filter(base())
            .count(conn)
            .await?;

        let by_outcome: Vec<Tally<Option<Outcome>>> = input_register::Entity::find()
            .select_only()
            .column(input_register::Column::Outcome)
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(base())
            .group_by(input_register::Column::Outcome)
            .into_tuple::<(Option<String>, i64)>()
            .all(conn)
            .await?
            .into_iter()
            .map(|(outcome, n)| {
                let key = match outcome {
                    Some(o) => Some(super::parse_enum(&o, Outcome::parse, "outcome")?),
                    None => None,
                };
                Ok(Tally {
                    key,
                    count: count(n),
                })
            })
            .collect::<Result<_, DbError>>()?;

        let by_state: Vec<Tally<AssessmentState>> = input_register::Entity::find()
            .select_only()
            .column(input_register::Column::State)
            .column_as(Expr::cust("COUNT(*)"), "n")
            .filter(base())
            .group_by(input_register::Column::State)
            .into_tuple::<(String, i64)>()
            .all(conn)
            .await?
            .into_iter()
            .map(|(state, n)| {
                Ok(Tally {
                    key: super::parse_enum(&state, AssessmentState::parse, "assessment state")?,
                    count: count(n),
                })
            })
            .collect::<Result<_, DbError>>()?;

        // Themes: one GROUP BY over the links of the counted rows.
        let theme_rows = conn
            .query_all(
                Query::select()
                    .column((input_theme::Entity, input_theme::Column::ThemeId))
                    .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
                    .from(input_theme::Entity)
                    .inner_join(
                        input_register::Entity,
                        register_col(input_register::Column::Id)
                            .equals((input_theme::Entity, input_theme::Column::InputId)),
                    )
                    .cond_where(base())
                    .group_by_col((input_theme::Entity, input_theme::Column::ThemeId)),
            )
            .await?;
        let mut per_theme: BTreeMap<uuid::Uuid, u64> = BTreeMap::new();
        for row in theme_rows {
            let id: uuid::Uuid = row.try_get_by_index(0)?;
            let n: i64 = row.try_get_by_index(1)?;
            per_theme.insert(id, count(n));
        }
        let by_theme = themes
            .iter()
            .map(|t| Tally {
                key: *t,
                count: per_theme.get(&t.0).copied().unwrap_or(0),
            })
            .collect();
        let without_theme = input_register::Entity::find()
            .filter(base())
            .filter(
                input_register::Column::Id.not_in_subquery(
                    Query::select()
                        .column(input_theme::Column::InputId)
                        .from(input_theme::Entity)
                        .to_owned(),
                ),
            )
            .count(conn)
            .await?;

        // Submitters: comments are persons'; responses by their organisation's kind;
        // letters as recorded.
        let mut by_submitter: BTreeMap<&'static str, (SubmitterKind, u64)> = BTreeMap::new();
        let mut add = |kind: SubmitterKind, n: u64| {
            by_submitter.entry(kind.as_str()).or_insert((kind, 0)).1 += n;
        };
        let comments = input_register::Entity::find()
            .filter(base())
            .filter(input_register::Column::Kind.eq(InputKind::Comment.as_str()))
            .count(conn)
            .await?;
        add(SubmitterKind::Person, comments);
        let response_rows = conn
            .query_all(
                Query::select()
                    .column((organisation::Entity, organisation::Column::Kind))
                    .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
                    .from(input_register::Entity)
                    .inner_join(
                        response::Entity,
                        Expr::col((response::Entity, response::Column::Id))
                            .equals((input_register::Entity, input_register::Column::SourceId)),
                    )
                    .left_join(
                        organisation::Entity,
                        Expr::col((organisation::Entity, organisation::Column::Id))
                            .equals((response::Entity, response::Column::OrganisationId)),
                    )
                    .cond_where(
                        base().add(input_register::Column::Kind.eq(InputKind::Response.as_str())),
                    )
                    .group_by_col((organisation::Entity, organisation::Column::Kind)),
            )
            .await?;
        for row in response_rows {
            let kind: Option<String> = row.try_get_by_index(0)?;
            let n: i64 = row.try_get_by_index(1)?;
            let kind = match kind {
                None => SubmitterKind::Person,
                Some(k) => SubmitterKind::Organisation(super::parse_enum(
                    &k,
                    OrganisationKind::parse,
                    "organisation kind",
                )?),
            };
            add(kind, count(n));
        }
        let letter_rows = conn
            .query_all(
                Query::select()
                    .column((
                        registered_letter::Entity,
                        registered_letter::Column::SenderKind,
                    ))
                    .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
                    .from(input_register::Entity)
                    .inner_join(
                        registered_letter::Entity,
                        Expr::col((registered_letter::Entity, registered_letter::Column::Id))
                            .equals((input_register::Entity, input_register::Column::SourceId)),
                    )
                    .cond_where(
                        base().add(input_register::Column::Kind.eq(InputKind::Letter.as_str())),
                    )
                    .group_by_col((
                        registered_letter::Entity,
                        registered_letter::Column::SenderKind,
                    )),
            )
            .await?;
        for row in letter_rows {
            let kind: String = row.try_get_by_index(0)?;
            let n: i64 = row.try_get_by_index(1)?;
            add(
                if kind == "person" {
                    SubmitterKind::Person
                } else {
                    SubmitterKind::OtherOrganisation
                },
                count(n),
            );
        }
        let by_submitter = SubmitterKind::all()
            .into_iter()
            .filter_map(|kind| by_submitter.get(kind.as_str()))
            .map(|(key, count)| Tally {
                key: *key,
                count: *count,
            })
            .collect();

        // Days: counted per UTC hour in SQL, the hours summed into Oslo days here.
        let hour = arrival_hour(conn.get_database_backend());
        let day_rows = conn
            .query_all(
                Query::select()
                    .expr_as(hour.clone(), Alias::new("hour"))
                    .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
                    .from(input_register::Entity)
                    .cond_where(base())
                    .add_group_by([hour]),
            )
            .await?;
        let mut per_day: BTreeMap<jiff::civil::Date, u64> = BTreeMap::new();
        for row in day_rows {
            let hour: String = row.try_get_by_index(0)?;
            let n: i64 = row.try_get_by_index(1)?;
            *per_day.entry(oslo_day(&hour)?).or_default() += count(n);
        }
        let by_day = per_day
            .into_iter()
            .map(|(key, count)| Tally { key, count })
            .collect();

        // Sections: one row of conditional sums, a column per section (an input may
        // concern several sections, so this is no GROUP BY over one column).
        let mut by_section = Vec::with_capacity(sections.len());
        for chunk in sections.chunks(100) {
            let mut select = Query::select();
            select.from(input_register::Entity).cond_where(base());
            for (i, section) in chunk.iter().enumerate() {
                let pattern = format!("% {section} %");
                let on_section = Condition::any()
                    .add(input_register::Column::InputSections.like(pattern.clone()))
                    .add(input_register::Column::LinkedSections.like(pattern));
                select.expr_as(
                    Func::coalesce([
                        Func::sum(Expr::case(on_section, Expr::val(1)).finally(Expr::val(0)))
                            .into(),
                        Expr::val(0),
                    ]),
                    Alias::new(format!("s{i}")),
                );
            }
            let row = conn.query_one(&select).await?.ok_or(DbError::NotFound)?;
            for (i, section) in chunk.iter().enumerate() {
                let n: i64 = row.try_get_by_index(i)?;
                by_section.push(Tally {
                    key: *section,
                    count: count(n),
                });
            }
        }

        Ok(InputStatistics {
            total,
            by_section,
            by_day,
            by_submitter,
            by_outcome,
            by_state,
            by_theme,
            without_theme,
        })
    }

    /// Register rows by id, for a bulk action to check them; unknown ids are left out.
    pub async fn register_entries(&self, ids: &[InputId]) -> Result<Vec<RegisterEntry>, DbError> {
        let rows = input_register::Entity::find()
            .filter(input_register::Column::Id.is_in(ids.iter().map(|i| i.0)))
            .all(&self.conn)
            .await?;
        super::register::entries(&self.conn, &rows).await
    }

    /// Assigns the rows to a planner (or to nobody), in one transaction: each row
    /// whose assignee changes is locked, changed and gets a history line naming
    /// the assignee before and after. The numbers of the rows that changed.
    pub async fn assign_inputs(
        &self,
        ids: &[InputId],
        to: Option<PersonId>,
        by: ChangedBy,
    ) -> Result<Vec<i32>, DbError> {
        let txn = self.conn.begin().await?;
        let mut names: BTreeMap<PersonId, String> = BTreeMap::new();
        let mut changed = Vec::new();
        for id in ids {
            let entry = locked_entry(&txn, *id).await?;
            if entry.assignee_id == to {
                continue;
            }
            input_register::Entity::update_many()
                .col_expr(
                    input_register::Column::AssigneeId,
                    Expr::value(to.map(|p| p.0)),
                )
                .filter(input_register::Column::Id.eq(id.0))
                .exec(&txn)
                .await?;
            let before = person_name(&txn, &mut names, entry.assignee_id).await?;
            let after = person_name(&txn, &mut names, to).await?;
            log(
                &txn,
                *id,
                ChangeAction::Assigned,
                &by,
                &[FieldChange {
                    field: "assignee".to_owned(),
                    before,
                    after,
                }],
            )
            .await?;
            changed.push(entry.number);
        }
        txn.commit().await?;
        Ok(changed)
    }

    /// Applies `change` to each row's assessment as a draft, in one transaction;
    /// rows already reviewed or published are left alone and returned apart.
    /// `(changed, skipped)`.
    pub async fn bulk_edit_assessments(
        &self,
        ids: &[InputId],
        by: ChangedBy,
        change: &(dyn Fn(&RegisterEntry) -> AssessmentEdit + Sync),
    ) -> Result<(Vec<RegisterEntry>, Vec<RegisterEntry>), AssessmentWriteError> {
        let txn = self.conn.begin().await?;
        let (mut changed, mut skipped) = (Vec::new(), Vec::new());
        for id in ids {
            let entry = locked_entry(&txn, *id).await?;
            if !bulk_may_change(entry.assessment.state) {
                skipped.push(entry);
                continue;
            }
            let edit = change(&entry);
            changed.push(save_locked(&txn, entry, edit, &by).await?);
        }
        txn.commit().await?;
        Ok((changed, skipped))
    }
}

/// A person's name for a history line ("" for nobody), each read once.
async fn person_name<C: ConnectionTrait>(
    conn: &C,
    known: &mut BTreeMap<PersonId, String>,
    person: Option<PersonId>,
) -> Result<String, DbError> {
    let Some(person) = person else {
        return Ok(String::new());
    };
    if let Some(name) = known.get(&person) {
        return Ok(name.clone());
    }
    let name: String = crate::entities::person::Entity::find_by_id(person.0)
        .select_only()
        .column(crate::entities::person::Column::Name)
        .into_tuple()
        .one(conn)
        .await?
        .unwrap_or_default();
    known.insert(person, name.clone());
    Ok(name)
}

/// The edit that keeps everything of an assessment as it is.
pub fn unchanged_edit(entry: &RegisterEntry) -> AssessmentEdit {
    let a = &entry.assessment;
    AssessmentEdit {
        summary: a.summary.clone(),
        outcome: a.outcome,
        response: a.response.clone(),
        change: a.change.clone(),
        change_section_id: a.change_section_id,
        section_ids: a.section_ids.clone(),
        theme_ids: a.themes.iter().map(|t| t.id).collect(),
    }
}
