//! A comment may quote the passage it is about, with some text on either side so the
//! passage can be found again in an edited section.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for column in ["quote", "quote_prefix", "quote_suffix"] {
            m.alter_table(
                Table::alter()
                    .table("comment")
                    .add_column(text_null(column))
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for column in ["quote_suffix", "quote_prefix", "quote"] {
            m.alter_table(
                Table::alter()
                    .table("comment")
                    .drop_column(column)
                    .to_owned(),
            )
            .await?;
        }
        Ok(())
    }
}
