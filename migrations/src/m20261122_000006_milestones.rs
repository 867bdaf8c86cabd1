//! The steps of a plan's process with their dates (framdriftsplan).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("plan_milestone")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(string_len("title", 300))
                .col(date("due_on"))
                .col(boolean("done"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_plan_milestone_plan_id")
                        .from("plan_milestone", "plan_id")
                        .to("plan", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_plan_milestone_plan_id_due_on")
                .table("plan_milestone")
                .col("plan_id")
                .col("due_on")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("plan_milestone").to_owned())
            .await
    }
}
