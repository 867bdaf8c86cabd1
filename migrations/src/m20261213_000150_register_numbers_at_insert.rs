//! Register numbers are given when an input is stored, no longer when the register
//! is read. This migration numbers the inputs that were stored but never read into
//! the register (in the order the reading would have used: arrival, then id), after
//! the numbers already given, and refreshes the rows whose input changed since; from
//! now on every write keeps the register in step. It also adds the indexes the
//! register's filters use, and the link from an assessment to the section of a later
//! document version where the change it led to was made.

use sea_orm::prelude::DateTimeUtc;
use sea_orm::{ConnectionTrait, QueryResult};
use sea_orm_migration::prelude::*;
use std::collections::HashMap;
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// An input as the register should show it.
struct Input {
    plan: Uuid,
    kind: &'static str,
    source: Uuid,
    hearing: Uuid,
    received_at: DateTimeUtc,
    late: bool,
    listed: bool,
    sections: String,
    text: String,
    stamp: String,
}

/// " a b " for a list of ids, as the register stores them.
fn id_list(ids: &[Uuid]) -> String {
    let mut out = String::from(" ");
    for id in ids {
        out.push_str(&id.to_string());
        out.push(' ');
    }
    out
}

fn get<T: sea_orm::TryGetable>(row: &QueryResult, column: &str) -> Result<T, DbErr> {
    row.try_get("", column)
}

async fn select<C: ConnectionTrait>(
    conn: &C,
    table: &'static str,
    columns: &[&'static str],
) -> Result<Vec<QueryResult>, DbErr> {
    let mut query = Query::select();
    query.from(table);
    for column in columns {
        query.column(*column);
    }
    conn.query_all(&query).await
}

/// Every comment of the record and every response, as the register should show them.
async fn inputs<C: ConnectionTrait>(conn: &C) -> Result<Vec<Input>, DbErr> {
    let mut plan_of = HashMap::new();
    for row in select(conn, "hearing", &["id", "plan_id"]).await? {
        plan_of.insert(get::<Uuid>(&row, "id")?, get::<Uuid>(&row, "plan_id")?);
    }
    let mut out = Vec::new();
    let comments = select(
        conn,
        "comment",
        &[
            "id",
            "hearing_id",
            "section_id",
            "body",
            "status",
            "late",
            "created_at",
            "edited_at",
        ],
    )
    .await?;
    for row in comments {
        let status: String = get(&row, "status")?;
        // Waiting for its author or for screening: not part of the record yet.
        if status == "unconfirmed" || status == "screening" {
            continue;
        }
        let hearing: Uuid = get(&row, "hearing_id")?;
        let Some(plan) = plan_of.get(&hearing).copied() else {
            continue;
        };
        let edited: Option<DateTimeUtc> = get(&row, "edited_at")?;
        out.push(Input {
            plan,
            kind: "comment",
            source: get(&row, "id")?,
            hearing,
            received_at: get(&row, "created_at")?,
            late: get(&row, "late")?,
            listed: status == "published",
            sections: id_list(&[get(&row, "section_id")?]),
            text: get(&row, "body")?,
            stamp: format!(
                "{status}|{}",
                edited.map(|t| t.timestamp_micros()).unwrap_or_default()
            ),
        });
    }
    let mut current: HashMap<Uuid, (i32, String, String)> = HashMap::new();
    for row in select(
        conn,
        "response_version",
        &["response_id", "number", "body", "section_ids"],
    )
    .await?
    {
        let number: i32 = get(&row, "number")?;
        let entry =
            current
                .entry(get(&row, "response_id")?)
                .or_insert((0, String::new(), String::new()));
        if number > entry.0 {
            *entry = (number, get(&row, "body")?, get(&row, "section_ids")?);
        }
    }
    let responses = select(
        conn,
        "response",
        &["id", "hearing_id", "late", "created_at", "version_count"],
    )
    .await?;
    for row in responses {
        let hearing: Uuid = get(&row, "hearing_id")?;
        let Some(plan) = plan_of.get(&hearing).copied() else {
            continue;
        };
        let id: Uuid = get(&row, "id")?;
        let (_, text, sections) = current
            .remove(&id)
            .unwrap_or_else(|| (0, String::new(), "[]".to_owned()));
        let sections: Vec<Uuid> = serde_json::from_str(&sections)
            .map_err(|e| DbErr::Custom(format!("response sections: {e}")))?;
        let versions: i32 = get(&row, "version_count")?;
        out.push(Input {
            plan,
            kind: "response",
            source: id,
            hearing,
            received_at: get(&row, "created_at")?,
            late: get(&row, "late")?,
            listed: true,
            sections: id_list(&sections),
            text,
            stamp: format!("v{versions}"),
        });
    }
    Ok(out)
}

/// The register's indexes. A page of a plan's register is read along its listed
/// rows in number order, and counted, with at most one equality filter besides the
/// plan: each filter has an index that answers the count alone and gives the page in
/// number order (searched stems are matched row by row along the first). The
/// comparison of two versions finds the inputs linked to its sections.
const INDEXES: &[(&str, &[&str])] = &[
    (
        "ix_input_register_plan_listed_number",
        &["plan_id", "listed", "number"],
    ),
    (
        "ix_input_register_plan_listed_kind",
        &["plan_id", "listed", "kind", "number"],
    ),
    (
        "ix_input_register_plan_listed_state",
        &["plan_id", "listed", "state", "number"],
    ),
    (
        "ix_input_register_plan_listed_late",
        &["plan_id", "listed", "late", "number"],
    ),
    (
        "ix_input_register_plan_listed_hearing",
        &["plan_id", "listed", "hearing_id", "number"],
    ),
    (
        "ix_input_register_change_section_id",
        &["change_section_id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("input_register")
                .add_column(ColumnDef::new("change_section_id").uuid().null())
                .to_owned(),
        )
        .await?;
        let conn = m.get_connection();
        let mut known: HashMap<(String, Uuid), (Uuid, String)> = HashMap::new();
        for row in select(
            conn,
            "input_register",
            &["id", "kind", "source_id", "stamp"],
        )
        .await?
        {
            known.insert(
                (get(&row, "kind")?, get(&row, "source_id")?),
                (get(&row, "id")?, get(&row, "stamp")?),
            );
        }
        let mut last: HashMap<Uuid, i32> = HashMap::new();
        for row in select(conn, "input_counter", &["plan_id", "last_number"]).await? {
            last.insert(get(&row, "plan_id")?, get(&row, "last_number")?);
        }
        let mut fresh = Vec::new();
        for input in inputs(conn).await? {
            match known.get(&(input.kind.to_owned(), input.source)) {
                Some((_, stamp)) if *stamp == input.stamp => {}
                Some((id, _)) => {
                    let update = Query::update()
                        .table("input_register")
                        .value("listed", input.listed)
                        .value("input_sections", input.sections)
                        .value("search_tokens", domain::search::search_tokens(&input.text))
                        .value("stamp", input.stamp)
                        .and_where(Expr::col("id").eq(*id))
                        .to_owned();
                    conn.execute(&update).await?;
                }
                // A comment hidden before the register was read kept no number.
                None if input.listed => fresh.push(input),
                None => {}
            }
        }
        fresh.sort_by_key(|i| (i.received_at, i.source));
        let now: DateTimeUtc = chrono::Utc::now();
        for input in fresh {
            let number = last.entry(input.plan).or_insert(0);
            *number += 1;
            let insert = Query::insert()
                .into_table("input_register")
                .columns([
                    "id",
                    "plan_id",
                    "number",
                    "kind",
                    "source_id",
                    "hearing_id",
                    "received_at",
                    "late",
                    "listed",
                    "input_sections",
                    "linked_sections",
                    "search_tokens",
                    "stamp",
                    "state",
                    "summary",
                    "response",
                    "change_text",
                    "registered_at",
                ])
                .values_panic([
                    Uuid::now_v7().into(),
                    input.plan.into(),
                    (*number).into(),
                    input.kind.into(),
                    input.source.into(),
                    input.hearing.into(),
                    input.received_at.into(),
                    input.late.into(),
                    true.into(),
                    input.sections.into(),
                    " ".into(),
                    domain::search::search_tokens(&input.text).into(),
                    input.stamp.into(),
                    "unassessed".into(),
                    "".into(),
                    "".into(),
                    "".into(),
                    now.into(),
                ])
                .to_owned();
            conn.execute(&insert).await?;
        }
        for (plan, number) in last {
            let delete = Query::delete()
                .from_table("input_counter")
                .and_where(Expr::col("plan_id").eq(plan))
                .to_owned();
            conn.execute(&delete).await?;
            let insert = Query::insert()
                .into_table("input_counter")
                .columns(["plan_id", "last_number"])
                .values_panic([plan.into(), number.into()])
                .to_owned();
            conn.execute(&insert).await?;
        }
        for (name, columns) in INDEXES {
            let mut index = Index::create();
            index.name(*name).table("input_register");
            for column in *columns {
                index.col(*column);
            }
            m.create_index(index).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, _) in INDEXES {
            m.drop_index(Index::drop().name(*name).table("input_register").to_owned())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table("input_register")
                .drop_column("change_section_id")
                .to_owned(),
        )
        .await
    }
}
