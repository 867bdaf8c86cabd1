//! Organisations, group memberships, invitations, the planners of each plan, and what
//! sign-in needs besides: tokens and sessions bound to a municipality, passwords for
//! staff, confirmed addresses, anonymised people, and inputs tied to a person.

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

fn unique(table: &'static str, columns: &[&'static str]) -> IndexCreateStatement {
    let mut index = Index::create();
    index
        .name(format!("ix_{table}_{}", columns.join("_")))
        .table(table)
        .unique();
    for column in columns {
        index.col(*column);
    }
    index.to_owned()
}

/// SQLite alters one column per statement.
async fn add_columns(
    m: &SchemaManager<'_>,
    table: &'static str,
    columns: Vec<ColumnDef>,
) -> Result<(), DbErr> {
    for mut column in columns {
        m.alter_table(
            Table::alter()
                .table(table)
                .add_column(&mut column)
                .to_owned(),
        )
        .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("organisation")
                .col(pk_uuid("id"))
                .col(uuid("municipality_id"))
                .col(string_len("name", 200))
                // Lower-cased name: one organisation per name in a municipality.
                .col(string_len("name_key", 200))
                .col(string_len("kind", 32))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("organisation", "municipality_id", "municipality"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("organisation", &["municipality_id", "name_key"]))
            .await?;
        m.create_table(
            Table::create()
                .table("group_membership")
                .col(pk_uuid("id"))
                .col(uuid("group_id"))
                .col(uuid("person_id"))
                .col(string_len("role", 32))
                .col(uuid_null("organisation_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("group_membership", "group_id", "plan_group"))
                .foreign_key(&mut fk("group_membership", "person_id", "person"))
                .foreign_key(&mut fk(
                    "group_membership",
                    "organisation_id",
                    "organisation",
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("group_membership", &["group_id", "person_id"]))
            .await?;
        m.create_table(
            Table::create()
                .table("invitation")
                .col(pk_uuid("id"))
                .col(uuid("group_id"))
                .col(uuid("person_id"))
                .col(string_len("role", 32))
                .col(uuid_null("organisation_id"))
                // Only the SHA-256 of the link's token; a re-send replaces it.
                .col(string_len_uniq("token_hash", 64))
                .col(string_len("invited_by", 254))
                .col(timestamp_with_time_zone("created_at"))
                .col(timestamp_with_time_zone("sent_at"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("accepted_at"))
                .col(timestamp_with_time_zone_null("revoked_at"))
                .foreign_key(&mut fk("invitation", "group_id", "plan_group"))
                .foreign_key(&mut fk("invitation", "person_id", "person"))
                .foreign_key(&mut fk("invitation", "organisation_id", "organisation"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_invitation_group_id_person_id")
                .table("invitation")
                .col("group_id")
                .col("person_id")
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("plan_planner")
                .col(pk_uuid("id"))
                .col(uuid("plan_id"))
                .col(uuid("person_id"))
                .col(timestamp_with_time_zone("created_at"))
                .foreign_key(&mut fk("plan_planner", "plan_id", "plan"))
                .foreign_key(&mut fk("plan_planner", "person_id", "person"))
                .to_owned(),
        )
        .await?;
        m.create_index(unique("plan_planner", &["plan_id", "person_id"]))
            .await?;
        add_columns(
            m,
            "sign_in_token",
            vec![
                uuid_null("municipality_id"),
                string_len("purpose", 32).default("sign_in").to_owned(),
            ],
        )
        .await?;
        add_columns(m, "session", vec![uuid_null("municipality_id")]).await?;
        add_columns(
            m,
            "person",
            vec![
                string_len_null("password_hash", 200),
                timestamp_with_time_zone_null("email_confirmed_at"),
                timestamp_with_time_zone_null("anonymised_at"),
            ],
        )
        .await?;
        add_columns(
            m,
            "comment",
            vec![
                uuid_null("person_id"),
                // published, or unconfirmed until the author confirms their address.
                string_len("status", 16).default("published").to_owned(),
                timestamp_with_time_zone_null("anonymised_at"),
            ],
        )
        .await?;
        m.create_index(
            Index::create()
                .name("ix_comment_person_id")
                .table("comment")
                .col("person_id")
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_index(
            Index::drop()
                .name("ix_comment_person_id")
                .table("comment")
                .to_owned(),
        )
        .await?;
        for (table, column) in [
            ("comment", "anonymised_at"),
            ("comment", "status"),
            ("comment", "person_id"),
            ("person", "anonymised_at"),
            ("person", "email_confirmed_at"),
            ("person", "password_hash"),
            ("session", "municipality_id"),
            ("sign_in_token", "purpose"),
            ("sign_in_token", "municipality_id"),
        ] {
            m.alter_table(Table::alter().table(table).drop_column(column).to_owned())
                .await?;
        }
        for table in [
            "plan_planner",
            "invitation",
            "group_membership",
            "organisation",
        ] {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
