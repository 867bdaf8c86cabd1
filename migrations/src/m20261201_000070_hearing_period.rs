//! The number of weeks a hearing period stands for. A deadline moved later to make up
//! for Easter, July or Christmas keeps the weeks it was planned with, so the holiday
//! warning can tell when the period is compensated. Hearings stored before this have
//! none; their whole weeks from opening to deadline are used.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("hearing")
                .add_column(integer_null("period_weeks"))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("hearing")
                .drop_column("period_weeks")
                .to_owned(),
        )
        .await
    }
}
