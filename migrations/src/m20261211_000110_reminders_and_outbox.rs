//! Deadline reminders and an outbox that keeps no more than it must.
//!
//! A hearing keeps the days before its deadline on which the invited who have not
//! answered are reminded (`14,3,1` unless a planner changes it). Each reminder is an
//! outbox row whose unique `dedupe_key` names hearing, person and day, so a scheduler
//! that runs twice or in two processes queues it once. An outbox row now knows the
//! municipality it was sent for (so its administrators see it) and when its payload
//! was emptied after the retention period.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per statement.
        m.alter_table(
            Table::alter()
                .table("hearing")
                .add_column(string_len("reminder_days", 64).default("14,3,1"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("outbox")
                .add_column(uuid_null("municipality_id"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("outbox")
                .add_column(timestamp_with_time_zone_null("payload_purged_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_outbox_municipality_status")
                .table("outbox")
                .col("municipality_id")
                .col("status")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_outbox_municipality_status")
                .table("outbox")
                .to_owned(),
        )
        .await?;
        for column in ["payload_purged_at", "municipality_id"] {
            m.alter_table(
                Table::alter()
                    .table("outbox")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.alter_table(
            Table::alter()
                .table("hearing")
                .drop_column("reminder_days")
                .to_owned(),
        )
        .await
    }
}
