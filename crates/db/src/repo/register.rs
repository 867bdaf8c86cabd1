//! The register of a plan's inputs: one row per comment, response and registered
//! letter, numbered 1, 2, 3, … per plan.
//!
//! An input is registered in the transaction that stores or changes it: a number
//! from one counter row per plan (`input_counter`), taken by an upsert that locks
//! the row until the commit, so two processes registering at once wait for each
//! other and neither takes a number twice; the unique (plan, number) and (kind,
//! source) indexes back that up. The row's search stems (in `input_stem`, one row
//! per stem, the search index) and sections are written with it and refreshed
//! whenever the input changes, so reading the register never writes.

use super::responses::load as responses_load;
use super::{comments, parse_enum};
use crate::entities::{
    comment, hearing, input_counter, input_register, input_stem, input_theme, registered_letter,
    response, theme,
};
use crate::time::{from_db, to_db};
use crate::{Db, DbError};
use domain::assessment::{
    Assessment, AssessmentState, InputContent, InputKind, Outcome, RegisterEntry, RegisteredInput,
    Theme,
};
use domain::hearing::CommentStatus;
use domain::search::{index_stems, prefix_end, search_tokens};
use domain::{HearingId, InputId, PersonId, PlanId, SectionId};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, Condition, ConnectionTrait, DatabaseTransaction, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};
use std::collections::{HashMap, HashSet};
use uuid::Uuid;

/// Which rows of a register to read, as the service checked them.
#[derive(Debug, Clone, Default)]
pub struct RegisterFilter {
    pub hearing: Option<HearingId>,
    /// The input points to the section, or its assessment links it.
    pub section: Option<SectionId>,
    pub kind: Option<InputKind>,
    pub state: Option<AssessmentState>,
    pub late: Option<bool>,
    /// Stemmed search tokens; every one must begin a token of the input's text.
    pub tokens: Vec<String>,
    /// Keyset paging: rows after this number (before it when descending).
    pub after: Option<i32>,
    pub descending: bool,
    pub limit: u64,
    /// The workbench's further filters (submitter, theme, dates, assignee).
    pub more: super::workbench::MoreFilters,
}

/// " a b " for a list of ids, searched with LIKE "% a %".
pub(crate) fn id_list<T: std::fmt::Display>(ids: &[T]) -> String {
    let mut out = String::from(" ");
    for id in ids {
        out.push_str(&id.to_string());
        out.push(' ');
    }
    out
}

pub(crate) fn parse_id_list(list: &str) -> Result<Vec<SectionId>, DbError> {
    list.split_whitespace()
        .map(|id| {
            id.parse()
                .map_err(|_| DbError::Corrupt(format!("section id {id:?}")))
        })
        .collect()
}

/// What the register keeps of an input, to notice when it changes.
struct Snapshot {
    plan_id: Uuid,
    kind: InputKind,
    source_id: Uuid,
    hearing_id: Option<Uuid>,
    received_at: sea_orm::prelude::DateTimeUtc,
    late: bool,
    listed: bool,
    sections: String,
    text: String,
    stamp: String,
}

async fn plan_of_hearing<C: ConnectionTrait>(conn: &C, hearing: Uuid) -> Result<Uuid, DbError> {
    hearing::Entity::find_by_id(hearing)
        .select_only()
        .column(hearing::Column::PlanId)
        .into_tuple()
        .one(conn)
        .await?
        .ok_or(DbError::NotFound)
}

async fn comment_snapshot<C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<Snapshot, DbError> {
    let c = comment::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound)?;
    snapshot_of_comment(conn, c).await
}

async fn snapshot_of_comment<C: ConnectionTrait>(
    conn: &C,
    c: comment::Model,
) -> Result<Snapshot, DbError> {
    let status = CommentStatus::parse(&c.status);
    Ok(Snapshot {
        plan_id: plan_of_hearing(conn, c.hearing_id).await?,
        kind: InputKind::Comment,
        source_id: c.id,
        hearing_id: Some(c.hearing_id),
        received_at: c.created_at,
        late: c.late,
        listed: status.is_public(),
        sections: id_list(&[c.section_id]),
        stamp: format!(
            "{}|{}",
            status.as_str(),
            c.edited_at
                .map(|t| t.timestamp_micros())
                .unwrap_or_default()
        ),
        text: c.body,
    })
}

async fn response_snapshot<C: ConnectionTrait>(conn: &C, id: Uuid) -> Result<Snapshot, DbError> {
    let row = response::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound)?;
    let (plan_id, received_at, late, version_count) = (
        plan_of_hearing(conn, row.hearing_id).await?,
        row.created_at,
        row.late,
        row.version_count,
    );
    let response = responses_load(conn, row).await?;
    let current = response.current();
    Ok(Snapshot {
        plan_id,
        kind: InputKind::Response,
        source_id: response.id.0,
        hearing_id: Some(response.hearing_id.0),
        received_at,
        late,
        listed: true,
        sections: id_list(current.map_or(&[][..], |v| v.section_ids.as_slice())),
        text: current.map(|v| v.text.clone()).unwrap_or_default(),
        stamp: format!("v{version_count}"),
    })
}

/// Takes the plan's next register number. The upsert locks the plan's counter row
/// until the transaction ends, so two writers (also in two processes) wait for each
/// other and never take one number twice.
async fn take_number(txn: &DatabaseTransaction, plan: Uuid) -> Result<i32, DbError> {
    let row = input_counter::Entity::insert(input_counter::ActiveModel {
        plan_id: Set(plan),
        last_number: Set(1),
    })
    .on_conflict(
        OnConflict::column(input_counter::Column::PlanId)
            .value(
                input_counter::Column::LastNumber,
                Expr::col((input_counter::Entity, input_counter::Column::LastNumber)).add(1),
            )
            .to_owned(),
    )
    .exec_with_returning(txn)
    .await?;
    Ok(row.last_number)
}

/// Writes the search index of an input's row anew: its text's stems.
async fn write_stems(
    txn: &DatabaseTransaction,
    input: Uuid,
    plan: Uuid,
    text: &str,
) -> Result<(), DbError> {
    input_stem::Entity::delete_many()
        .filter(input_stem::Column::InputId.eq(input))
        .exec(txn)
        .await?;
    let stems = index_stems(text);
    for chunk in stems.chunks(300) {
        input_stem::Entity::insert_many(chunk.iter().map(|stem| input_stem::ActiveModel {
            input_id: Set(input),
            stem: Set(stem.clone()),
            plan_id: Set(plan),
        }))
        .exec_without_returning(txn)
        .await?;
    }
    Ok(())
}

async fn insert_entry(
    txn: &DatabaseTransaction,
    number: i32,
    new: &Snapshot,
) -> Result<input_register::Model, DbError> {
    let model = input_register::ActiveModel {
        id: Set(InputId::new().0),
        plan_id: Set(new.plan_id),
        number: Set(number),
        kind: Set(new.kind.as_str().to_owned()),
        source_id: Set(new.source_id),
        hearing_id: Set(new.hearing_id),
        received_at: Set(new.received_at),
        late: Set(new.late),
        listed: Set(new.listed),
        input_sections: Set(new.sections.clone()),
        linked_sections: Set(" ".to_owned()),
        search_tokens: Set(search_tokens(&new.text)),
        stamp: Set(new.stamp.clone()),
        state: Set(AssessmentState::Unassessed.as_str().to_owned()),
        summary: Set(String::new()),
        outcome: Set(None),
        response: Set(String::new()),
        change_text: Set(String::new()),
        change_section_id: Set(None),
        drafted_by: Set(None),
        drafted_at: Set(None),
        reviewed_by: Set(None),
        reviewed_at: Set(None),
        published_at: Set(None),
        registered_at: Set(to_db(crate::time::now())),
        assignee_id: Set(None),
    };
    let row = input_register::Entity::insert(model)
        .exec_with_returning(txn)
        .await?;
    write_stems(txn, row.id, row.plan_id, &new.text).await?;
    Ok(row)
}

/// Brings an input's register row in line with the input, in the transaction that
/// changed the input: a listed input without a row gets the plan's next number; a
/// row whose input changed gets its listing, sections and search stems anew. An
/// input that was never listed (waiting for its author or for screening, or hidden
/// while it waited) has no number; once given, a number stays with its input.
/// Returns the input's number, if it has one.
async fn record(txn: &DatabaseTransaction, s: Snapshot) -> Result<Option<i32>, DbError> {
    let known: Option<(Uuid, i32, String)> = input_register::Entity::find()
        .select_only()
        .columns([
            input_register::Column::Id,
            input_register::Column::Number,
            input_register::Column::Stamp,
        ])
        .filter(input_register::Column::Kind.eq(s.kind.as_str()))
        .filter(input_register::Column::SourceId.eq(s.source_id))
        .into_tuple()
        .one(txn)
        .await?;
    match known {
        Some((_, number, stamp)) if stamp == s.stamp => Ok(Some(number)),
        Some((id, number, _)) => {
            input_register::Entity::update_many()
                .col_expr(input_register::Column::Listed, Expr::value(s.listed))
                .col_expr(
                    input_register::Column::InputSections,
                    Expr::value(s.sections),
                )
                .col_expr(
                    input_register::Column::SearchTokens,
                    Expr::value(search_tokens(&s.text)),
                )
                .col_expr(input_register::Column::Stamp, Expr::value(s.stamp))
                .filter(input_register::Column::Id.eq(id))
                .exec(txn)
                .await?;
            write_stems(txn, id, s.plan_id, &s.text).await?;
            Ok(Some(number))
        }
        None if s.listed => {
            let number = take_number(txn, s.plan_id).await?;
            insert_entry(txn, number, &s).await?;
            Ok(Some(number))
        }
        None => Ok(None),
    }
}

/// Registers or refreshes a comment after the caller changed it in `txn`.
pub(crate) async fn record_comment(
    txn: &DatabaseTransaction,
    id: Uuid,
) -> Result<Option<i32>, DbError> {
    record(txn, comment_snapshot(txn, id).await?).await
}

/// Registers a comment just inserted in `txn`: it is new, so it is neither read
/// back nor looked for in the register.
pub(crate) async fn record_new_comment(
    txn: &DatabaseTransaction,
    comment: &comment::Model,
) -> Result<Option<i32>, DbError> {
    let snapshot = snapshot_of_comment(txn, comment.clone()).await?;
    if !snapshot.listed {
        return Ok(None);
    }
    let number = take_number(txn, snapshot.plan_id).await?;
    insert_entry(txn, number, &snapshot).await?;
    Ok(Some(number))
}

/// Registers or refreshes an official response after a new version in `txn`.
pub(crate) async fn record_response(
    txn: &DatabaseTransaction,
    id: Uuid,
) -> Result<Option<i32>, DbError> {
    record(txn, response_snapshot(txn, id).await?).await
}

/// Registers a letter stored in `txn`; the number it got.
pub(crate) async fn record_letter(
    txn: &DatabaseTransaction,
    letter: &registered_letter::Model,
) -> Result<i32, DbError> {
    let snapshot = Snapshot {
        plan_id: letter.plan_id,
        kind: InputKind::Letter,
        source_id: letter.id,
        hearing_id: letter.hearing_id,
        received_at: letter.registered_at,
        late: letter.late,
        listed: true,
        sections: id_list::<SectionId>(&[]),
        text: letter.body.clone(),
        stamp: "letter".to_owned(),
    };
    record(txn, snapshot)
        .await?
        .ok_or_else(|| DbError::Corrupt("a letter was not numbered".into()))
}

/// Registers a workshop note confirmed as input in `txn`, linked to the sections of
/// its agenda item; the number it got.
pub(crate) async fn record_workshop_note(
    txn: &DatabaseTransaction,
    plan: PlanId,
    note: &crate::entities::workshop_note::Model,
    sections: &[SectionId],
) -> Result<i32, DbError> {
    let snapshot = Snapshot {
        plan_id: plan.0,
        kind: InputKind::WorkshopNote,
        source_id: note.id,
        hearing_id: None,
        received_at: note.created_at,
        late: false,
        listed: true,
        sections: id_list(sections),
        text: note.body.clone(),
        stamp: "confirmed".to_owned(),
    };
    record(txn, snapshot)
        .await?
        .ok_or_else(|| DbError::Corrupt("a workshop note was not numbered".into()))
}

pub(crate) fn entry_into_domain(m: &input_register::Model) -> Result<RegisterEntry, DbError> {
    let outcome = match &m.outcome {
        Some(o) => Some(parse_enum(o, Outcome::parse, "outcome")?),
        None => None,
    };
    let optional = |t: Option<sea_orm::prelude::DateTimeUtc>| t.map(from_db).transpose();
    Ok(RegisterEntry {
        id: m.id.into(),
        plan_id: m.plan_id.into(),
        number: m.number,
        kind: parse_enum(&m.kind, InputKind::parse, "input kind")?,
        source_id: m.source_id,
        hearing_id: m.hearing_id.map(HearingId),
        received_at: from_db(m.received_at)?,
        late: m.late,
        input_section_ids: parse_id_list(&m.input_sections)?,
        assessment: Assessment {
            state: parse_enum(&m.state, AssessmentState::parse, "assessment state")?,
            summary: m.summary.clone(),
            outcome,
            response: m.response.clone(),
            change: m.change_text.clone(),
            change_section_id: m.change_section_id.map(SectionId),
            section_ids: parse_id_list(&m.linked_sections)?,
            themes: Vec::new(),
            drafted_by: m.drafted_by.clone(),
            drafted_at: optional(m.drafted_at)?,
            reviewed_by: m.reviewed_by.clone(),
            reviewed_at: optional(m.reviewed_at)?,
            published_at: optional(m.published_at)?,
        },
        assignee_id: m.assignee_id.map(PersonId),
    })
}

/// The themes of each of these register rows, by name.
async fn themes_of_entries<C: ConnectionTrait>(
    conn: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Theme>>, DbError> {
    let mut out: HashMap<Uuid, Vec<Theme>> = HashMap::new();
    if ids.is_empty() {
        return Ok(out);
    }
    let links = input_theme::Entity::find()
        .filter(input_theme::Column::InputId.is_in(ids.to_vec()))
        .all(conn)
        .await?;
    let theme_ids: Vec<Uuid> = links.iter().map(|l| l.theme_id).collect();
    let themes: HashMap<Uuid, theme::Model> = theme::Entity::find()
        .filter(theme::Column::Id.is_in(theme_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    for link in links {
        if let Some(t) = themes.get(&link.theme_id) {
            out.entry(link.input_id).or_default().push(Theme {
                id: t.id.into(),
                plan_id: t.plan_id.into(),
                name: t.name.clone(),
            });
        }
    }
    for list in out.values_mut() {
        list.sort_by_key(|t| t.name.to_lowercase());
    }
    Ok(out)
}

/// Register rows with their themes.
pub(crate) async fn entries<C: ConnectionTrait>(
    conn: &C,
    rows: &[input_register::Model],
) -> Result<Vec<RegisterEntry>, DbError> {
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let mut themes = themes_of_entries(conn, &ids).await?;
    rows.iter()
        .map(|row| {
            let mut entry = entry_into_domain(row)?;
            entry.assessment.themes = themes.remove(&row.id).unwrap_or_default();
            Ok(entry)
        })
        .collect()
}

/// `SELECT input_id FROM input_stem WHERE plan_id = … AND stem >= token AND stem <
/// end`: the plan's inputs with a stem that begins with `token`, read as one range
/// of the (plan, stem) index.
fn stem_matches(plan: PlanId, token: &str) -> sea_orm::sea_query::SelectStatement {
    let mut select = Query::select();
    select
        .column((input_stem::Entity, input_stem::Column::InputId))
        .from(input_stem::Entity)
        .and_where(input_stem::Column::PlanId.eq(plan.0))
        .and_where(input_stem::Column::Stem.gte(token));
    if let Some(end) = prefix_end(token) {
        select.and_where(input_stem::Column::Stem.lt(end));
    }
    select.to_owned()
}

fn filter_condition(plan: PlanId, f: &RegisterFilter) -> Condition {
    let mut c = Condition::all()
        .add(input_register::Column::PlanId.eq(plan.0))
        .add(input_register::Column::Listed.eq(true));
    if let Some(h) = f.hearing {
        c = c.add(input_register::Column::HearingId.eq(h.0));
    }
    if let Some(s) = f.section {
        let pattern = format!("% {s} %");
        c = c.add(
            Condition::any()
                .add(input_register::Column::InputSections.like(pattern.clone()))
                .add(input_register::Column::LinkedSections.like(pattern)),
        );
    }
    if let Some(k) = f.kind {
        c = c.add(input_register::Column::Kind.eq(k.as_str()));
    }
    if let Some(s) = f.state {
        c = c.add(input_register::Column::State.eq(s.as_str()));
    }
    if let Some(late) = f.late {
        c = c.add(input_register::Column::Late.eq(late));
    }
    for token in &f.tokens {
        c = c.add(input_register::Column::Id.in_subquery(stem_matches(plan, token)));
    }
    f.more.add_to(c)
}

impl Db {
    /// One page of a plan's register (listed rows only), by number.
    pub async fn register_page(
        &self,
        plan: PlanId,
        filter: &RegisterFilter,
    ) -> Result<Vec<RegisterEntry>, DbError> {
        let mut condition = filter_condition(plan, filter);
        let mut query = input_register::Entity::find();
        if let Some(after) = filter.after {
            condition = condition.add(if filter.descending {
                input_register::Column::Number.lt(after)
            } else {
                input_register::Column::Number.gt(after)
            });
        }
        query = query.filter(condition);
        query = if filter.descending {
            query.order_by_desc(input_register::Column::Number)
        } else {
            query.order_by_asc(input_register::Column::Number)
        };
        let rows = query.limit(filter.limit).all(&self.conn).await?;
        entries(&self.conn, &rows).await
    }

    /// How many listed rows match a filter (paging aside).
    pub async fn register_count(
        &self,
        plan: PlanId,
        filter: &RegisterFilter,
    ) -> Result<u64, DbError> {
        use sea_orm::PaginatorTrait;
        Ok(input_register::Entity::find()
            .filter(filter_condition(plan, filter))
            .count(&self.conn)
            .await?)
    }

    /// Every listed row of a hearing's inputs, by number.
    pub async fn register_of_hearing(
        &self,
        hearing: HearingId,
    ) -> Result<Vec<RegisterEntry>, DbError> {
        let rows = input_register::Entity::find()
            .filter(input_register::Column::HearingId.eq(hearing.0))
            .filter(input_register::Column::Listed.eq(true))
            .order_by_asc(input_register::Column::Number)
            .all(&self.conn)
            .await?;
        entries(&self.conn, &rows).await
    }

    /// The listed rows whose assessment links its change to one of these sections,
    /// by number.
    pub async fn register_changes_in(
        &self,
        sections: &[SectionId],
    ) -> Result<Vec<RegisterEntry>, DbError> {
        if sections.is_empty() {
            return Ok(Vec::new());
        }
        let rows = input_register::Entity::find()
            .filter(input_register::Column::ChangeSectionId.is_in(sections.iter().map(|s| s.0)))
            .filter(input_register::Column::Listed.eq(true))
            .order_by_asc(input_register::Column::Number)
            .all(&self.conn)
            .await?;
        entries(&self.conn, &rows).await
    }

    /// One register row.
    pub async fn register_entry(&self, id: InputId) -> Result<RegisterEntry, DbError> {
        let row = input_register::Entity::find_by_id(id.0)
            .one(&self.conn)
            .await?
            .ok_or(DbError::NotFound)?;
        Ok(entries(&self.conn, &[row]).await?.remove(0))
    }

    /// The inputs behind register rows, in the same order: comments with the comment
    /// they answer, responses with their versions, letters.
    pub async fn registered_inputs(
        &self,
        rows: Vec<RegisterEntry>,
    ) -> Result<Vec<RegisteredInput>, DbError> {
        let ids_of = |kind: InputKind| -> Vec<Uuid> {
            rows.iter()
                .filter(|r| r.kind == kind)
                .map(|r| r.source_id)
                .collect()
        };
        let mut comments: HashMap<Uuid, domain::hearing::Comment> = comment::Entity::find()
            .filter(comment::Column::Id.is_in(ids_of(InputKind::Comment)))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|m| Ok((m.id, comments::into_domain(m)?)))
            .collect::<Result<_, DbError>>()?;
        let parent_ids: HashSet<Uuid> = comments
            .values()
            .filter_map(|c| c.parent_id.map(|p| p.0))
            .collect();
        let parents: HashMap<Uuid, domain::hearing::Comment> = comment::Entity::find()
            .filter(comment::Column::Id.is_in(parent_ids))
            .all(&self.conn)
            .await?
            .into_iter()
            .map(|m| Ok((m.id, comments::into_domain(m)?)))
            .collect::<Result<_, DbError>>()?;
        let mut letters: HashMap<Uuid, domain::assessment::RegisteredLetter> =
            registered_letter::Entity::find()
                .filter(registered_letter::Column::Id.is_in(ids_of(InputKind::Letter)))
                .all(&self.conn)
                .await?
                .into_iter()
                .map(|m| Ok((m.id, super::letters::into_domain(m, 0)?)))
                .collect::<Result<_, DbError>>()?;
        let mut notes = self
            .workshop_note_inputs(ids_of(InputKind::WorkshopNote))
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for entry in rows {
            let content = match entry.kind {
                InputKind::Comment => {
                    let comment = comments.remove(&entry.source_id).ok_or(DbError::NotFound)?;
                    let parent = comment
                        .parent_id
                        .and_then(|p| parents.get(&p.0))
                        // A parent that is no longer public gives no context.
                        .filter(|p| p.status.is_public())
                        .cloned();
                    InputContent::Comment {
                        comment: Box::new(comment),
                        parent: parent.map(Box::new),
                    }
                }
                InputKind::Response => InputContent::Response(
                    self.response(domain::ResponseId(entry.source_id)).await?,
                ),
                InputKind::Letter => {
                    let mut letter = letters.remove(&entry.source_id).ok_or(DbError::NotFound)?;
                    letter.number = entry.number;
                    InputContent::Letter(letter)
                }
                InputKind::WorkshopNote => InputContent::WorkshopNote(
                    notes.remove(&entry.source_id).ok_or(DbError::NotFound)?,
                ),
            };
            out.push(RegisteredInput { entry, content });
        }
        Ok(out)
    }
}
