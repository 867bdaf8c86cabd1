//! Files kept in the database (attachments on PostgreSQL, so every process behind a
//! load balancer reaches them): each file in numbered chunks of at most 256 KiB, so
//! neither writing nor reading one ever holds it whole in memory. With SQLite the
//! files stay in the data folder and this table stays empty.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("stored_file_chunk")
                // The generated name an attachment row refers to (`storage_name`).
                .col(string_len("storage_name", 64))
                .col(integer("seq"))
                .col(blob("bytes"))
                .primary_key(Index::create().col("storage_name").col("seq"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("stored_file_chunk").to_owned())
            .await
    }
}
