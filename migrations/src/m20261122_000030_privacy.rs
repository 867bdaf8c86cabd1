//! What privacy needs to be quick: finding input that waits for confirmation (and
//! the old ones to delete), and everything stored under a person's address (the
//! export and forgetting them).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [(&str, &str, &[&str]); 3] = [
    (
        "ix_comment_status_created_at",
        "comment",
        &["status", "created_at"],
    ),
    ("ix_outbox_recipient", "outbox", &["recipient"]),
    (
        "ix_sign_in_token_person_id",
        "sign_in_token",
        &["person_id"],
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, columns) in INDEXES {
            let mut index = Index::create();
            index.name(name).table(table);
            for column in columns {
                index.col(*column);
            }
            m.create_index(index.to_owned()).await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for (name, table, _) in INDEXES {
            m.drop_index(Index::drop().name(name).table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
