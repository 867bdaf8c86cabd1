//! The live board of a workshop: who facilitates, the tables and who sits at them,
//! where each agenda item stands (open or closed, its IGP stage), the notes and their
//! dots, and the minutes with the notes confirmed as inputs.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A link that goes with what it points to.
fn cascade(
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
        // One row per workshop whose board was used: the current item, the dot
        // budget and the minutes.
        m.create_table(
            Table::create()
                .table("workshop_board")
                .col(pk_uuid("workshop_id"))
                .col(uuid_null("current_item_id"))
                .col(integer("dot_budget"))
                .col(text("minutes"))
                .col(timestamp_with_time_zone_null("minutes_updated_at"))
                .foreign_key(&mut cascade(
                    "fk_workshop_board_workshop",
                    ("workshop_board", "workshop_id"),
                    ("workshop", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop_facilitator")
                .col(uuid("workshop_id"))
                .col(uuid("person_id"))
                .primary_key(Index::create().col("workshop_id").col("person_id"))
                .foreign_key(&mut cascade(
                    "fk_workshop_facilitator_workshop",
                    ("workshop_facilitator", "workshop_id"),
                    ("workshop", "id"),
                ))
                .foreign_key(&mut cascade(
                    "fk_workshop_facilitator_person",
                    ("workshop_facilitator", "person_id"),
                    ("person", "id"),
                ))
                .to_owned(),
        )
        .await?;
        // Where an agenda item stands; the row is created when the item is opened.
        m.create_table(
            Table::create()
                .table("workshop_board_item")
                .col(pk_uuid("agenda_item_id"))
                .col(uuid("workshop_id"))
                .col(string_len("status", 16))
                .col(string_len_null("stage", 16))
                .foreign_key(&mut cascade(
                    "fk_workshop_board_item_item",
                    ("workshop_board_item", "agenda_item_id"),
                    ("workshop_agenda_item", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop_table")
                .col(pk_uuid("id"))
                .col(uuid("workshop_id"))
                .col(string_len("name", 80))
                .col(integer("position"))
                .foreign_key(&mut cascade(
                    "fk_workshop_table_workshop",
                    ("workshop_table", "workshop_id"),
                    ("workshop", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop_table_seat")
                .col(uuid("workshop_id"))
                .col(uuid("person_id"))
                .col(uuid("table_id"))
                // One table per person and workshop.
                .primary_key(Index::create().col("workshop_id").col("person_id"))
                .foreign_key(&mut cascade(
                    "fk_workshop_table_seat_table",
                    ("workshop_table_seat", "table_id"),
                    ("workshop_table", "id"),
                ))
                .foreign_key(&mut cascade(
                    "fk_workshop_table_seat_person",
                    ("workshop_table_seat", "person_id"),
                    ("person", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop_note")
                .col(pk_uuid("id"))
                .col(uuid("workshop_id"))
                .col(uuid("agenda_item_id"))
                // Null once the writer is forgotten; the text stays.
                .col(uuid_null("writer_id"))
                .col(uuid_null("table_id"))
                .col(string_len("stage", 16))
                .col(text("body"))
                .col(string_len_null("spoken_by", 80))
                .col(string_len_null("group_label", 80))
                .col(uuid_null("merged_into"))
                // The writer agreed to be named when the note becomes an input.
                .col(boolean("writer_named"))
                .col(uuid_null("input_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut cascade(
                    "fk_workshop_note_item",
                    ("workshop_note", "agenda_item_id"),
                    ("workshop_agenda_item", "id"),
                ))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_workshop_note_writer")
                        .from("workshop_note", "writer_id")
                        .to("person", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_workshop_note_table")
                        .from("workshop_note", "table_id")
                        .to("workshop_table", "id")
                        .on_delete(ForeignKeyAction::SetNull),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_workshop_note_item_created")
                .table("workshop_note")
                .col("agenda_item_id")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("workshop_dot")
                .col(pk_uuid("id"))
                .col(uuid("note_id"))
                .col(uuid("agenda_item_id"))
                .col(uuid("person_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut cascade(
                    "fk_workshop_dot_note",
                    ("workshop_dot", "note_id"),
                    ("workshop_note", "id"),
                ))
                .foreign_key(&mut cascade(
                    "fk_workshop_dot_person",
                    ("workshop_dot", "person_id"),
                    ("person", "id"),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_workshop_dot_item_person")
                .table("workshop_dot")
                .col("agenda_item_id")
                .col("person_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            "workshop_dot",
            "workshop_note",
            "workshop_table_seat",
            "workshop_table",
            "workshop_board_item",
            "workshop_facilitator",
            "workshop_board",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
