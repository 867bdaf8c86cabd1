//! The planner's workbench: who is assigned to assess an input (`input_register.
//! assignee_id`), and how to reach the sender of a registered letter
//! (`registered_letter.sender_contact`, an address or an email) with the person it
//! is when the email belongs to someone known (`sender_person_id`), so that person's
//! export holds the letter and forgetting them removes the sender.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite adds one at a time.
        m.alter_table(
            Table::alter()
                .table("input_register")
                .add_column(uuid_null("assignee_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_input_register_assignee")
                .table("input_register")
                .col("plan_id")
                .col("assignee_id")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("registered_letter")
                .add_column(text_null("sender_contact"))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("registered_letter")
                .add_column(uuid_null("sender_person_id"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_registered_letter_sender_person")
                .table("registered_letter")
                .col("sender_person_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("idx_registered_letter_sender_person")
                .table("registered_letter")
                .to_owned(),
        )
        .await?;
        for column in ["sender_person_id", "sender_contact"] {
            m.alter_table(
                Table::alter()
                    .table("registered_letter")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        m.drop_index(
            Index::drop()
                .name("idx_input_register_assignee")
                .table("input_register")
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("input_register")
                .drop_column("assignee_id")
                .to_owned(),
        )
        .await
    }
}
