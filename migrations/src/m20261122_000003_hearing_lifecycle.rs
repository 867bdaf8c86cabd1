//! What the public hearing page needs (announcement, contact person) and the log of
//! every change to a hearing's state and dates.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in [
            text_null("announcement"),
            string_len_null("contact_name", 200),
            string_len_null("contact_email", 254),
        ] {
            let mut column = column;
            m.alter_table(
                Table::alter()
                    .table("hearing")
                    .add_column(&mut column)
                    .to_owned(),
            )
            .await?;
        }
        m.create_table(
            Table::create()
                .table("hearing_change")
                .col(pk_uuid("id"))
                .col(uuid("hearing_id"))
                .col(string_len("kind", 32))
                .col(string_len("actor", 200))
                .col(text_null("reason"))
                .col(timestamp_with_time_zone_null("old_deadline"))
                .col(timestamp_with_time_zone_null("new_deadline"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_hearing_change_hearing_id")
                        .from("hearing_change", "hearing_id")
                        .to("hearing", "id")
                        .on_delete(ForeignKeyAction::Restrict),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_hearing_change_hearing_id_created_at")
                .table("hearing_change")
                .col("hearing_id")
                .col("created_at")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("hearing_change").to_owned())
            .await?;
        for column in ["contact_email", "contact_name", "announcement"] {
            m.alter_table(
                Table::alter()
                    .table("hearing")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
