//! The kinds of email a person turned off, on `/me` or with the one-click link in an
//! email. A row means "do not send me this kind"; the notification worker looks here
//! before it sends and marks a job it skips as `unsubscribed`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("email_opt_out")
                .col(uuid("person_id"))
                .col(string_len("kind", 40))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("person_id").col("kind"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_email_opt_out_person")
                        .from("email_opt_out", "person_id")
                        .to("person", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("email_opt_out").to_owned())
            .await
    }
}
