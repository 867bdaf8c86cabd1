//! What happens to a comment after it is posted: support from readers (once per
//! person), the author's edits (every earlier text kept), reports from readers, and
//! the planners' moderation log.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(table: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(table: &'static str, columns: &[&'static str], is_unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(table);
    if is_unique {
        index.unique();
    }
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("comment")
                .add_column(timestamp_with_time_zone_null("edited_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("comment_support")
                .col(pk_uuid("id"))
                .col(uuid("comment_id"))
                .col(uuid("person_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("comment_support", "comment_id", "comment"))
                .foreign_key(&mut fk("comment_support", "person_id", "person"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("comment_support", &["comment_id", "person_id"], true))
            .await?;
        m.create_table(
            Table::create()
                .table("comment_revision")
                .col(pk_uuid("id"))
                .col(uuid("comment_id"))
                .col(text("body"))
                .col(timestamp_with_time_zone("written_at"))
                .col(timestamp_with_time_zone("replaced_at"))
                .foreign_key(&mut fk("comment_revision", "comment_id", "comment"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("comment_revision", &["comment_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("comment_report")
                .col(pk_uuid("id"))
                .col(uuid("comment_id"))
                // `person:<uuid>`: one report per person and comment.
                .col(string_len("reporter_key", 100))
                .col(uuid_null("person_id"))
                .col(text_null("reason"))
                .col(timestamp_with_time_zone("created_at"))
                // Set when a planner decided; resolved reports no longer count.
                .col(timestamp_with_time_zone_null("resolved_at"))
                .foreign_key(&mut fk("comment_report", "comment_id", "comment"))
                .to_owned(),
        )
        .await?;
        m.create_index(index(
            "comment_report",
            &["comment_id", "reporter_key"],
            true,
        ))
        .await?;
        m.create_table(
            Table::create()
                .table("moderation_log")
                .col(pk_uuid("id"))
                .col(uuid("comment_id"))
                .col(uuid("hearing_id"))
                .col(string_len("action", 32))
                .col(string_len("actor", 300))
                .col(text_null("reason"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("moderation_log", "comment_id", "comment"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("moderation_log", &["hearing_id"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "moderation_log",
            "comment_report",
            "comment_revision",
            "comment_support",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table("comment")
                .drop_column("edited_at")
                .to_owned(),
        )
        .await
    }
}
