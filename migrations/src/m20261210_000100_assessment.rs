//! The planners' assessment of inputs (merknadsbehandling): letters registered by
//! hand, the register of every input of a plan with its number (from one counter row
//! per plan, raised inside the writing transaction), the assessment of each input in
//! its register row, the plan's themes and every change to an assessment.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Case records: deleting what they point to must not delete them.
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
                .table("registered_letter")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(uuid_null("hearing_id"))
                .col(string_len("sender_name", 200))
                .col(string_len("sender_kind", 16))
                .col(string_len("channel", 16))
                // YYYY-MM-DD, Europe/Oslo.
                .col(string_len("received_on", 10))
                .col(text("body"))
                .col(boolean("late"))
                .col(string_len("registered_by", 200))
                .col(timestamp_with_time_zone("registered_at"))
                .foreign_key(&mut fk("registered_letter", "plan_id", "plan"))
                .foreign_key(&mut fk("registered_letter", "hearing_id", "hearing"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("registered_letter", &["plan_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("input_counter")
                .col(pk_uuid("plan_id"))
                .col(integer("last_number"))
                .foreign_key(&mut fk("input_counter", "plan_id", "plan"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("input_register")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(integer("number"))
                // comment, response or letter; source_id is its id.
                .col(string_len("kind", 16))
                .col(uuid("source_id"))
                .col(uuid_null("hearing_id"))
                .col(timestamp_with_time_zone("received_at"))
                .col(boolean("late"))
                // False while the input is not part of the public record (a hidden or
                // deleted comment): its number stays taken.
                .col(boolean("listed"))
                // " id id " lists, searched with LIKE on both databases.
                .col(text("input_sections"))
                .col(text("linked_sections"))
                // " stem stem " of the input's text (Snowball Norwegian).
                .col(text("search_tokens"))
                // What the source looked like when the row was refreshed.
                .col(string_len("stamp", 120))
                .col(string_len("state", 16))
                .col(text("summary"))
                .col(string_len_null("outcome", 20))
                .col(text("response"))
                .col(text("change_text"))
                .col(string_len_null("drafted_by", 200))
                .col(timestamp_with_time_zone_null("drafted_at"))
                .col(string_len_null("reviewed_by", 200))
                .col(timestamp_with_time_zone_null("reviewed_at"))
                .col(timestamp_with_time_zone_null("published_at"))
                .col(timestamp_with_time_zone("registered_at"))
                .foreign_key(&mut fk("input_register", "plan_id", "plan"))
                .foreign_key(&mut fk("input_register", "hearing_id", "hearing"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("input_register", &["plan_id", "number"], true))
            .await?;
        m.create_index(index("input_register", &["kind", "source_id"], true))
            .await?;
        m.create_index(index("input_register", &["hearing_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("theme")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(string_len("name", 80))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("theme", "plan_id", "plan"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("theme", &["plan_id", "name"], true))
            .await?;
        m.create_table(
            Table::create()
                .table("input_theme")
                .col(uuid("input_id"))
                .col(uuid("theme_id"))
                .primary_key(Index::create().col("input_id").col("theme_id"))
                .foreign_key(&mut fk("input_theme", "input_id", "input_register"))
                .foreign_key(&mut fk("input_theme", "theme_id", "theme"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("input_theme", &["theme_id"], false))
            .await?;
        m.create_table(
            Table::create()
                .table("assessment_change")
                .col(pk_uuid("id"))
                .col(uuid("input_id"))
                .col(string_len("action", 16))
                .col(uuid_null("person_id"))
                .col(string_len("actor_name", 200))
                // JSON: [{"field","before","after"}].
                .col(text("fields"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(&mut fk("assessment_change", "input_id", "input_register"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("assessment_change", &["input_id"], false))
            .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "assessment_change",
            "input_theme",
            "theme",
            "input_register",
            "input_counter",
            "registered_letter",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
