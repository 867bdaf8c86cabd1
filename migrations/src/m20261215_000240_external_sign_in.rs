//! Sign-in with the municipality's identity provider (OpenID Connect): the sign-ins
//! under way (`external_sign_in`: the hash of the `state` sent to the provider, with
//! the PKCE verifier and the nonce, for ten minutes and one use) and the provider
//! accounts linked to people (`external_identity`: issuer and subject, so a changed
//! email address at the provider still finds the same person).

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("external_sign_in")
                .col(string_len("state_hash", 64).primary_key())
                .col(string_len("provider", 100))
                .col(string_len("pkce_verifier", 200))
                .col(string_len("nonce", 200))
                .col(string_len_null("next", 2000))
                .col(timestamp_with_time_zone("expires_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("external_identity")
                .col(string_len("issuer", 500))
                .col(string_len("subject", 255))
                .col(uuid("person_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("issuer").col("subject"))
                .foreign_key(
                    ForeignKey::create()
                        .name("fk_external_identity_person")
                        .from("external_identity", "person_id")
                        .to("person", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("idx_external_identity_person")
                .table("external_identity")
                .col("person_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table("external_identity").to_owned())
            .await?;
        m.drop_table(Table::drop().table("external_sign_in").to_owned())
            .await
    }
}
