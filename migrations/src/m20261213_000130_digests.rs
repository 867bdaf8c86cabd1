//! Daily digests: which plans a planner hears of once a day instead of at each input
//! (`notice_choice`: a row only for a choice made; without one a planner gets the
//! digest), and the hearings and sections a person follows (`follow`: the section
//! is the nil UUID when the whole hearing is followed, so one key covers both).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("notice_choice")
                .col(uuid("person_id"))
                .col(uuid("plan_id"))
                .col(boolean("immediate"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("person_id").col("plan_id"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_notice_choice_person")
                        .from("notice_choice", "person_id")
                        .to("person", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_notice_choice_plan")
                        .from("notice_choice", "plan_id")
                        .to("plan", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("follow")
                .col(uuid("person_id"))
                .col(uuid("hearing_id"))
                .col(uuid("section_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(
                    Index::create()
                        .col("person_id")
                        .col("hearing_id")
                        .col("section_id"),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_follow_person")
                        .from("follow", "person_id")
                        .to("person", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_follow_hearing")
                        .from("follow", "hearing_id")
                        .to("hearing", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_follow_hearing")
                .table("follow")
                .col("hearing_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("follow").to_owned())
            .await?;
        m.drop_table(Table::drop().table("notice_choice").to_owned())
            .await
    }
}
