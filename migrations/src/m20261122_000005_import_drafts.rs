//! Imports waiting for a planner's confirmation: the parsed outline is kept here
//! between the preview and the confirm, so the file is read once.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("import_draft")
                .col(pk_uuid("id"))
                .col(uuid("municipality_id"))
                .col(uuid("plan_id"))
                .col(string_len("title", 300))
                .col(string_len("kind", 32))
                .col(string_len("file_name", 300))
                .col(text("sections"))
                .col(text("warnings"))
                .col(string_len("created_by", 254))
                .col(timestamp_with_time_zone("created_at"))
                .col(uuid_null("document_id"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_import_draft_plan_id")
                        .from("import_draft", "plan_id")
                        .to("plan", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("import_draft").to_owned())
            .await
    }
}
