//! The plan an email was sent for, so that the plan's planners see what went out
//! for it (invitations, hearing opened, reminders, …) without being administrators.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("outbox")
                .add_column(ColumnDef::new("plan_id").uuid().null())
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_outbox_plan_created")
                .table("outbox")
                .col("plan_id")
                .col("created_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_outbox_plan_created")
                .table("outbox")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("outbox")
                .drop_column("plan_id")
                .to_owned(),
        )
        .await
    }
}
