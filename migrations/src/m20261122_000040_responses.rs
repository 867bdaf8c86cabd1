//! Official responses (høyringssvar): one `response` per organisation (or person)
//! per hearing, every revision a `response_version`, and the attached files
//! (stored on disk under a generated name; only their metadata is here).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Responses are case documents: deleting what they point to must not delete them.
fn fk(table: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(table: &'static str, columns: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(table);
    for column in columns {
        index.col(*column);
    }
    if unique {
        index.unique();
    }
    index.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("response")
                .col(pk_uuid("id"))
                .col(uuid("hearing_id"))
                // "organisation:<uuid>" or "person:<uuid>": one response each per hearing.
                .col(string_len("owner_key", 80))
                .col(uuid_null("organisation_id"))
                // Who gave the first version (whose it is, for a personal response).
                .col(uuid("person_id"))
                .col(boolean("late"))
                // The number of the newest version; raised in the writing transaction.
                .col(integer("version_count"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(&mut fk("response", "hearing_id", "hearing"))
                .foreign_key(&mut fk("response", "organisation_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("response", &["hearing_id", "owner_key"], true))
            .await?;
        m.create_index(index("response", &["person_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("response_version")
                .col(pk_uuid("id"))
                .col(uuid("response_id"))
                .col(integer("number"))
                .col(text("body"))
                // JSON arrays of ids.
                .col(text("section_ids"))
                .col(text("attachment_ids"))
                .col(uuid("person_id"))
                .col(string_len("person_name", 200))
                .col(boolean("late"))
                .col(uuid_null("idempotency_key"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("response_version", "response_id", "response"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("response_version", &["response_id", "number"], true))
            .await?;
        m.create_index(index("response_version", &["idempotency_key"], true))
            .await?;
        m.create_table(
            Table::create()
                .table("response_attachment")
                .col(pk_uuid("id"))
                .col(uuid("response_id"))
                .col(string_len("file_name", 255))
                .col(string_len("kind", 16))
                .col(big_integer("size_bytes"))
                .col(string_len("sha256", 64))
                // The file's generated name in the attachment folder.
                .col(string_len_uniq("storage_name", 64))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("response_attachment", "response_id", "response"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("response_attachment", &["response_id"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["response_attachment", "response_version", "response"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
