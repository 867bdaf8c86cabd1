//! Groups attached to a plan (reference groups, councils, …). Memberships follow
//! with people and invitations.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("plan_group")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(string_len("kind", 32))
                .col(string_len("name", 200))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_plan_group_plan_id")
                        .from("plan_group", "plan_id")
                        .to("plan", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_plan_group_plan_id_name")
                .table("plan_group")
                .col("plan_id")
                .col("name")
                .unique()
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("plan_group").to_owned())
            .await
    }
}
