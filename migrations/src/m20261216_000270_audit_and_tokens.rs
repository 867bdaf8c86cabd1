//! The audit log of security-relevant actions, API tokens that are owned, scoped and
//! expire, and sessions that end after a time without use.
//!
//! `audit_log` records acts, never erased content: ids, kinds and a short detail
//! (a role name, a decision), so forgetting a person leaves nothing of theirs here
//! but an id that no longer leads to a name.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("audit_log")
                .col(uuid("id").primary_key())
                .col(timestamp_with_time_zone("at"))
                .col(uuid_null("municipality_id"))
                .col(string_len("kind", 40))
                .col(uuid_null("actor_person_id"))
                .col(uuid_null("actor_token_id"))
                .col(uuid_null("plan_id"))
                .col(string_len_null("target", 100))
                .col(string_len_null("detail", 200))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_audit_log_municipality_at")
                .table("audit_log")
                .col("municipality_id")
                .col("at")
                .to_owned(),
        )
        .await?;
        // SQLite adds one column per statement.
        for column in [
            ColumnDef::new("person_id").uuid().null().to_owned(),
            ColumnDef::new("read_only")
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
            ColumnDef::new("plan_id").uuid().null().to_owned(),
            ColumnDef::new("expires_at")
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table("api_token")
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for column in [
            ColumnDef::new("last_seen_at")
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
            ColumnDef::new("staff")
                .boolean()
                .not_null()
                .default(false)
                .to_owned(),
        ] {
            m.alter_table(
                Table::alter()
                    .table("session")
                    .add_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["last_seen_at", "staff"] {
            m.alter_table(
                Table::alter()
                    .table("session")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        for column in ["person_id", "read_only", "plan_id", "expires_at"] {
            m.alter_table(
                Table::alter()
                    .table("api_token")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_table(Table::drop().table("audit_log").to_owned())
            .await
    }
}
