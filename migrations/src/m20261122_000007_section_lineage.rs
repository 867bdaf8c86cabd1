//! A section's identity across versions of its document (its lineage). Existing
//! sections start their own lineage.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("section")
                .add_column(uuid_null("lineage_id"))
                .to_owned(),
        )
        .await?;
        m.exec_stmt(
            Query::update()
                .table("section")
                .value("lineage_id", Expr::col("id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_section_lineage_id")
                .table("section")
                .col("lineage_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_section_lineage_id")
                .table("section")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("section")
                .drop_column("lineage_id")
                .to_owned(),
        )
        .await
    }
}
