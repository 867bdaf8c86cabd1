//! Replies: a comment may answer another comment on the same section.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("comment")
                .add_column(uuid_null("parent_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_comment_parent_id")
                .table("comment")
                .col("parent_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_comment_parent_id")
                .table("comment")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("comment")
                .drop_column("parent_id")
                .to_owned(),
        )
        .await
    }
}
