//! The register's search index: one row per stem of an input's text (`input_stem`),
//! written with the register row and read through an index on (plan, stem), so a
//! search reads the matching stems instead of every row of the plan. A query's stem
//! must begin a stored stem: a range of that index (`stem >= token AND stem <
//! token's end`), compared by code point on both databases (SQLite's `BINARY`,
//! PostgreSQL's `"C"` collation). The rows already registered are indexed here from
//! the stems their register row keeps (`input_register.search_tokens`).

use sea_orm::{ConnectionTrait, DbBackend};
use sea_orm_migration::{prelude::*, schema::*};
use std::collections::BTreeSet;
use uuid::Uuid;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The characters of a stem the index keeps (as `domain::search::MAX_STEM_CHARS`
/// when this was written).
const MAX_STEM_CHARS: usize = 60;

/// Stems inserted per statement.
const BATCH: usize = 300;

fn stems_of(tokens: &str) -> BTreeSet<String> {
    tokens
        .split_whitespace()
        .map(|stem| stem.chars().take(MAX_STEM_CHARS).collect())
        .collect()
}

async fn insert<C: ConnectionTrait>(conn: &C, rows: &[(Uuid, String, Uuid)]) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut insert = Query::insert();
    insert
        .into_table("input_stem")
        .columns(["input_id", "stem", "plan_id"]);
    for (input, stem, plan) in rows {
        insert.values_panic([(*input).into(), stem.clone().into(), (*plan).into()]);
    }
    conn.execute(&insert).await?;
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let mut stem = text("stem");
        if m.get_database_backend() == DbBackend::Postgres {
            // Compared by code point, as SQLite's default: the prefix range holds
            // exactly the stems that begin with the token.
            stem.extra("COLLATE \"C\"");
        }
        m.create_table(
            Table::create()
                .table("input_stem")
                .col(uuid("input_id"))
                .col(stem)
                .col(uuid("plan_id"))
                .primary_key(Index::create().col("input_id").col("stem"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_input_stem_input_id")
                        .from("input_stem", "input_id")
                        .to("input_register", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_input_stem_plan_id_stem_input_id")
                .table("input_stem")
                .col("plan_id")
                .col("stem")
                .col("input_id")
                .to_owned(),
        )
        .await?;

        let conn = m.get_connection();
        let rows = conn
            .query_all(
                Query::select()
                    .columns(["id", "plan_id", "search_tokens"])
                    .from("input_register"),
            )
            .await?;
        let mut batch = Vec::with_capacity(BATCH);
        for row in rows {
            let input: Uuid = row.try_get("", "id")?;
            let plan: Uuid = row.try_get("", "plan_id")?;
            let tokens: String = row.try_get("", "search_tokens")?;
            for stem in stems_of(&tokens) {
                batch.push((input, stem, plan));
                if batch.len() == BATCH {
                    insert(conn, &batch).await?;
                    batch.clear();
                }
            }
        }
        insert(conn, &batch).await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("input_stem").to_owned())
            .await
    }
}
