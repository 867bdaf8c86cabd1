//! Workshops (arbeidsmøte) of a plan's groups: time, place or online link, capacity,
//! the invited groups, an ordered agenda (items about document sections or a free
//! topic, with a time box and the IGP stages they use), documents to read beforehand,
//! and the registrations of the invited (answer, needs, waiting list, attendance).
//! A group gets a purpose, shown on its page. The live board's tables follow in a
//! later migration.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A link that goes with what it points to.
fn fk(
    name: &'static str,
    from: (&'static str, &'static str),
    to: (&'static str, &'static str),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("plan_group")
                .add_column(text("purpose").default(""))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(string_len("title", 200))
                .col(text("purpose"))
                .col(timestamp_with_time_zone("starts_at"))
                .col(timestamp_with_time_zone("ends_at"))
                .col(string_len_null("address", 300))
                .col(boolean("step_free_access"))
                .col(boolean("hearing_loop"))
                .col(boolean("parking"))
                .col(boolean("interpreter_on_request"))
                .col(string_len_null("online_link", 500))
                .col(integer_null("capacity"))
                .col(integer("reminder_hours"))
                .col(string_len("status", 16))
                .col(integer("sequence"))
                .col(uuid_null("created_by"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("updated_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_workshop_plan_id")
                        .from("workshop", "plan_id")
                        .to("plan", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_workshop_plan_id_starts_at")
                .table("workshop")
                .col("plan_id")
                .col("starts_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop_group")
                .col(uuid("workshop_id"))
                .col(uuid("group_id"))
                .primary_key(Index::create().col("workshop_id").col("group_id"))
                .foreign_key(&mut fk(
                    "fk_workshop_group_workshop",
                    ("workshop_group", "workshop_id"),
                    ("workshop", "id"),
                ))
                .foreign_key(&mut fk(
                    "fk_workshop_group_group",
                    ("workshop_group", "group_id"),
                    ("plan_group", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_workshop_group_group_id")
                .table("workshop_group")
                .col("group_id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop_agenda_item")
                .col(pk_uuid("id"))
                .col(uuid("workshop_id"))
                .col(integer("position"))
                .col(string_len("title", 200))
                .col(integer("minutes"))
                .col(string_len("stages", 64))
                .foreign_key(&mut fk(
                    "fk_workshop_agenda_item_workshop",
                    ("workshop_agenda_item", "workshop_id"),
                    ("workshop", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_workshop_agenda_item_workshop_position")
                .table("workshop_agenda_item")
                .col("workshop_id")
                .col("position")
                .unique()
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop_agenda_section")
                .col(uuid("agenda_item_id"))
                .col(uuid("section_id"))
                .col(integer("position"))
                .primary_key(Index::create().col("agenda_item_id").col("section_id"))
                .foreign_key(&mut fk(
                    "fk_workshop_agenda_section_item",
                    ("workshop_agenda_section", "agenda_item_id"),
                    ("workshop_agenda_item", "id"),
                ))
                .foreign_key(&mut fk(
                    "fk_workshop_agenda_section_section",
                    ("workshop_agenda_section", "section_id"),
                    ("section", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop_reading")
                .col(uuid("workshop_id"))
                .col(uuid("document_id"))
                .primary_key(Index::create().col("workshop_id").col("document_id"))
                .foreign_key(&mut fk(
                    "fk_workshop_reading_workshop",
                    ("workshop_reading", "workshop_id"),
                    ("workshop", "id"),
                ))
                .foreign_key(&mut fk(
                    "fk_workshop_reading_document",
                    ("workshop_reading", "document_id"),
                    ("document", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop_registration")
                .col(uuid("workshop_id"))
                .col(uuid("person_id"))
                .col(string_len("answer", 8))
                .col(string_len("seat", 16))
                .col(string_len_null("diet", 500))
                .col(string_len_null("accessibility", 500))
                .col(string_len_null("interpreter", 500))
                .col(boolean("assistant"))
                .col(timestamp_with_time_zone("answered_at"))
                .col(boolean_null("attended"))
                .primary_key(Index::create().col("workshop_id").col("person_id"))
                .foreign_key(&mut fk(
                    "fk_workshop_registration_workshop",
                    ("workshop_registration", "workshop_id"),
                    ("workshop", "id"),
                ))
                .foreign_key(&mut fk(
                    "fk_workshop_registration_person",
                    ("workshop_registration", "person_id"),
                    ("person", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_workshop_registration_person_id")
                .table("workshop_registration")
                .col("person_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "workshop_registration",
            "workshop_reading",
            "workshop_agenda_section",
            "workshop_agenda_item",
            "workshop_group",
            "workshop",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table("plan_group")
                .drop_column("purpose")
                .to_owned(),
        )
        .await
    }
}
