//! The revision of an import draft's outline: the planner corrects the outline before
//! saving it, and each correction names the revision it was made on, so a form sent
//! twice (a double click) or from an old page changes nothing.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("import_draft")
                .add_column(integer("revision").default(0))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("import_draft")
                .drop_column("revision")
                .to_owned(),
        )
        .await
    }
}
