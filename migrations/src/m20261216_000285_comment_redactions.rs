//! Input published with parts redacted after screening: the comment's `body` holds
//! the redacted text everyone sees; `comment_redaction` keeps the original for the
//! case file (the plan's planners and the report see it), with the ranges redacted
//! and who redacted them, when.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("comment_redaction")
                .col(uuid("comment_id").primary_key())
                .col(text("original_body"))
                .col(text("ranges"))
                .col(string_len("redacted_by", 200))
                .col(timestamp_with_time_zone("redacted_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_comment_redaction_comment")
                        .from("comment_redaction", "comment_id")
                        .to("comment", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("comment_redaction").to_owned())
            .await
    }
}
