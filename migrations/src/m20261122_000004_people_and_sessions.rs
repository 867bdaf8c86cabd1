//! People, their staff roles, single-use sign-in tokens and sessions.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

fn fk(table: &'static str, column: &'static str, to: &'static str) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(format!("fk_{table}_{column}"))
        .from(table, column)
        .to(to, "id")
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("person")
                .col(pk_uuid("id"))
                .col(string_len_uniq("email", 254))
                .col(string_len("name", 200))
                .col(string_len("lang", 8))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("staff")
                .col(pk_uuid("id"))
                .col(uuid("person_id"))
                .col(uuid("municipality_id"))
                .col(string_len("role", 32))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("staff", "person_id", "person"))
                .foreign_key(&mut fk("staff", "municipality_id", "municipality"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_staff_person_id_municipality_id")
                .table("staff")
                .col("person_id")
                .col("municipality_id")
                .unique()
                .to_owned(),
        )
        .await?;
        // Only the SHA-256 of a token is stored; the token itself exists only in the email.
        m.create_table(
            Table::create()
                .table("sign_in_token")
                .col(pk_uuid("id"))
                .col(string_len_uniq("token_hash", 64))
                .col(string_len("email", 254))
                .col(uuid_null("person_id"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .col(timestamp_with_time_zone("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_sign_in_token_email_created_at")
                .table("sign_in_token")
                .col("email")
                .col("created_at")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("session")
                .col(pk_uuid("id"))
                .col(string_len_uniq("secret_hash", 64))
                .col(uuid("person_id"))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .foreign_key(&mut fk("session", "person_id", "person"))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for table in ["session", "sign_in_token", "staff", "person"] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
