//! The foundation: tenants, plans, documents, hearings, comments, API tokens,
//! the event log with per-room sequence numbers, and the email outbox.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(
    from_table: &'static str,
    from_col: &'static str,
    to_table: &'static str,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{from_table}_{from_col}"))
        .from(from_table, from_col)
        .to(to_table, "id")
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

fn index(table: &'static str, cols: &[&'static str], unique: bool) -> IndexCreateStatement {
    let mut stmt = Index::create();
    stmt.name(format!("ix_{table}_{}", cols.join("_")))
        .table(table)
        .if_not_exists();
    for col in cols {
        stmt.col(*col);
    }
    if unique {
        stmt.unique();
    }
    stmt.to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("municipality")
                .col(pk_uuid("id"))
                .col(string_len_uniq("slug", 64))
                .col(string_len("name", 200))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("api_token")
                .col(pk_uuid("id"))
                .col(uuid("municipality_id"))
                .col(string_len("label", 200))
                .col(string_len_uniq("token_hash", 64))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk("api_token", "municipality_id", "municipality"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("plan")
                .col(pk_uuid("id"))
                .col(uuid("municipality_id"))
                .col(string_len("slug", 64))
                .col(string_len("title", 300))
                .col(string_len_null("sector", 200))
                .col(integer("period_start"))
                .col(integer("period_end"))
                .col(string_len("status", 32))
                .col(string_len_null("contact_email", 254))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("plan", "municipality_id", "municipality"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("plan", &["municipality_id", "slug"], true))
            .await?;

        m.create_table(
            Table::create()
                .table("document")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(string_len("kind", 32))
                .col(string_len("title", 300))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("document", "plan_id", "plan"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("document", &["plan_id"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("document_version")
                .col(pk_uuid("id"))
                .col(uuid("document_id"))
                .col(integer("number"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("document_version", "document_id", "document"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("document_version", &["document_id", "number"], true))
            .await?;

        m.create_table(
            Table::create()
                .table("section")
                .col(pk_uuid("id"))
                .col(uuid("version_id"))
                .col(string_len("number", 32))
                .col(string_len("title", 300))
                .col(integer("level"))
                .col(text("body"))
                .col(integer("position"))
                .foreign_key(&mut fk("section", "version_id", "document_version"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("section", &["version_id", "position"], true))
            .await?;

        m.create_table(
            Table::create()
                .table("hearing")
                .col(pk_uuid("id"))
                .col(uuid("municipality_id"))
                .col(uuid("plan_id"))
                .col(uuid("document_version_id"))
                .col(string_len("title", 300))
                .col(string_len("kind", 16))
                .col(string_len("audience", 16))
                .col(string_len("state", 16))
                .col(timestamp_with_time_zone("opens_at"))
                .col(timestamp_with_time_zone("deadline"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("hearing", "municipality_id", "municipality"))
                .foreign_key(&mut fk("hearing", "plan_id", "plan"))
                .foreign_key(&mut fk(
                    "hearing",
                    "document_version_id",
                    "document_version",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("hearing", &["municipality_id", "state"], false))
            .await?;

        m.create_table(
            Table::create()
                .table("comment")
                .col(pk_uuid("id"))
                .col(uuid("hearing_id"))
                .col(uuid("section_id"))
                .col(string_len("author_name", 200))
                .col(string_len_null("author_email", 254))
                .col(text("body"))
                .col(boolean("late"))
                .col(uuid_null("idempotency_key"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("comment", "hearing_id", "hearing"))
                .foreign_key(&mut fk("comment", "section_id", "section"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("comment", &["hearing_id", "created_at"], false))
            .await?;
        m.create_index(index("comment", &["idempotency_key"], true))
            .await?;

        // One counter per room, so sequence numbers are gap-free within a room.
        m.create_table(
            Table::create()
                .table("room_sequence")
                .col(string_len("room", 80).primary_key())
                .col(big_integer("last_seq"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table("event")
                .col(pk_uuid("id"))
                .col(string_len("room", 80))
                .col(big_integer("seq"))
                .col(string_len("kind", 64))
                .col(text("payload"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("event", &["room", "seq"], true))
            .await?;

        m.create_table(
            Table::create()
                .table("outbox")
                .col(pk_uuid("id"))
                .col(string_len("kind", 64))
                .col(string_len_uniq("dedupe_key", 200))
                .col(string_len("recipient", 254))
                .col(text("payload"))
                .col(string_len("status", 16))
                .col(integer("attempts"))
                .col(timestamp_with_time_zone("run_after"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(text_null("last_error"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("outbox", &["status", "run_after"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "outbox",
            "event",
            "room_sequence",
            "comment",
            "hearing",
            "section",
            "document_version",
            "document",
            "plan",
            "api_token",
            "municipality",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
