//! Emails as letters from the municipality: the plan's contact person (name,
//! department, phone) and case number (saksnummer) for the signature, and each
//! municipality's sender identity and public address, so several municipalities can
//! share one installation.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PLAN_COLUMNS: [(&str, u32); 4] = [
    ("contact_name", 200),
    ("contact_department", 200),
    ("contact_phone", 40),
    ("case_number", 60),
];

const MUNICIPALITY_COLUMNS: [(&str, u32); 4] = [
    ("sender_name", 200),
    ("sender_address", 254),
    ("reply_to", 254),
    ("base_url", 300),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for (table, columns) in [
            ("plan", PLAN_COLUMNS),
            ("municipality", MUNICIPALITY_COLUMNS),
        ] {
            for (name, len) in columns {
                m.alter_table(
                    Table::alter()
                        .table(table)
                        .add_column(string_len_null(name, len))
                        .to_owned(),
                )
                .await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (table, columns) in [
            ("plan", PLAN_COLUMNS),
            ("municipality", MUNICIPALITY_COLUMNS),
        ] {
            for (name, _) in columns {
                m.alter_table(Table::alter().table(table).drop_column(name).to_owned())
                    .await?;
            }
        }
        Ok(())
    }
}
