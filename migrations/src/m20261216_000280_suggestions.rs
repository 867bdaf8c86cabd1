//! Suggestions stored with their state and history: near-copy groups, themes and
//! summaries computed for a hearing (`suggestion`: kind, state suggested → accepted or
//! dropped, who decided and when, the computed body as JSON), every step of each in
//! `suggestion_change`, and when each hearing's suggestions were asked for and last
//! computed in `suggestion_run` (the background computation's queue).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("suggestion")
                .col(uuid("id").primary_key())
                .col(uuid("hearing_id"))
                .col(string_len("kind", 20))
                .col(string_len("state", 20))
                .col(string_len("subject", 100))
                .col(string_len("name", 200))
                .col(text("body"))
                .col(integer("position"))
                .col(timestamp_with_time_zone("computed_at"))
                .col(string_len_null("decided_by", 200))
                .col(timestamp_with_time_zone_null("decided_at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_suggestion_hearing")
                        .from("suggestion", "hearing_id")
                        .to("hearing", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_suggestion_hearing")
                .table("suggestion")
                .col("hearing_id")
                .col("kind")
                .col("state")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("suggestion_change")
                .col(uuid("id").primary_key())
                .col(uuid("suggestion_id"))
                .col(string_len("action", 40))
                .col(string_len_null("actor_name", 200))
                .col(text("detail"))
                .col(timestamp_with_time_zone("at"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_suggestion_change_suggestion")
                        .from("suggestion_change", "suggestion_id")
                        .to("suggestion", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_suggestion_change_suggestion")
                .table("suggestion_change")
                .col("suggestion_id")
                .col("at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("suggestion_run")
                .col(uuid("hearing_id").primary_key())
                .col(timestamp_with_time_zone_null("requested_at"))
                .col(timestamp_with_time_zone_null("computed_at"))
                .col(integer("inputs"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_suggestion_run_hearing")
                        .from("suggestion_run", "hearing_id")
                        .to("hearing", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("suggestion_run").to_owned())
            .await?;
        m.drop_table(Table::drop().table("suggestion_change").to_owned())
            .await?;
        m.drop_table(Table::drop().table("suggestion").to_owned())
            .await
    }
}
