//! Screening of public input: a hearing may hold input from the public until a
//! planner has checked it, and a small table keeps server-wide secrets (the salt
//! with which client addresses of anonymous reports are hashed).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("hearing")
                .add_column(boolean("screen_public_input").default(false))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("server_secret")
                .col(string_len("name", 100).primary_key())
                .col(string_len("value", 200))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_comment_report_reporter_key")
                .table("comment_report")
                .col("reporter_key")
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_comment_report_reporter_key")
                .table("comment_report")
                .to_owned(),
        )
        .await?;
        m.drop_table(Table::drop().table("server_secret").to_owned())
            .await?;
        m.alter_table(
            Table::alter()
                .table("hearing")
                .drop_column("screen_public_input")
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
