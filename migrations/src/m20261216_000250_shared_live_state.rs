//! State that several server processes on one PostgreSQL database share: what each
//! process's websocket readers read (`live_presence`, one row per process and room,
//! kept alive by the process's heartbeat and ignored once `expires_at` passes, so a
//! process that dies leaves no readers behind), and the windows of the rate limits
//! (`rate_limit_window`, one row per limit and key), so a limit counts requests
//! wherever they landed. A single process on SQLite keeps both in memory instead.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("live_presence")
                .col(uuid("process_id"))
                .col(string_len("room", 100))
                .col(text("sections"))
                .col(timestamp_with_time_zone("expires_at"))
                .primary_key(Index::create().col("process_id").col("room"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_live_presence_room")
                .table("live_presence")
                .col("room")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("rate_limit_window")
                .col(string_len("key", 400).primary_key())
                .col(timestamp_with_time_zone("window_start"))
                .col(integer("hits"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_rate_limit_window_start")
                .table("rate_limit_window")
                .col("window_start")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("rate_limit_bucket")
                .col(string_len("key", 400).primary_key())
                .col(timestamp_with_time_zone("tat"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("rate_limit_bucket").to_owned())
            .await?;
        m.drop_table(Table::drop().table("rate_limit_window").to_owned())
            .await?;
        m.drop_table(Table::drop().table("live_presence").to_owned())
            .await
    }
}
