//! The kinds of email each person turned off.

use crate::entities::{email_opt_out, outbox};
use crate::repo::outbox::OutboxStatus;
use crate::time::{now, to_db};
use crate::{Db, DbError};
use domain::{OutboxJobId, PersonId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, TransactionTrait,
};

fn row(person: PersonId, kind: &str) -> email_opt_out::ActiveModel {
    email_opt_out::ActiveModel {
        person_id: Set(person.0),
        kind: Set(kind.to_owned()),
        created_at: Set(to_db(now())),
    }
}

impl Db {
    /// The kinds of email `person` turned off.
    pub async fn opted_out_kinds(&self, person: PersonId) -> Result<Vec<String>, DbError> {
        Ok(email_opt_out::Entity::find()
            .select_only()
            .column(email_opt_out::Column::Kind)
            .filter(email_opt_out::Column::PersonId.eq(person.0))
            .into_tuple()
            .all(&self.conn)
            .await?)
    }

    /// Whether `person` turned off emails of `kind`.
    pub async fn is_opted_out(&self, person: PersonId, kind: &str) -> Result<bool, DbError> {
        Ok(
            email_opt_out::Entity::find_by_id((person.0, kind.to_owned()))
                .one(&self.read)
                .await?
                .is_some(),
        )
    }

    /// Turns off emails of `kind` for `person` (again is no change).
    pub async fn opt_out(&self, person: PersonId, kind: &str) -> Result<(), DbError> {
        email_opt_out::Entity::insert(row(person, kind))
            .on_conflict(
                OnConflict::columns([email_opt_out::Column::PersonId, email_opt_out::Column::Kind])
                    .do_nothing()
                    .to_owned(),
            )
            .exec_without_returning(&self.conn)
            .await?;
        Ok(())
    }

    /// Replaces the kinds `person` turned off with `kinds`, in one transaction.
    pub async fn set_opted_out_kinds(
        &self,
        person: PersonId,
        kinds: &[&str],
    ) -> Result<(), DbError> {
        let txn = self.conn.begin().await?;
        email_opt_out::Entity::delete_many()
            .filter(email_opt_out::Column::PersonId.eq(person.0))
            .exec(&txn)
            .await?;
        for kind in kinds {
            email_opt_out::Entity::insert(row(person, kind))
                .exec_without_returning(&txn)
                .await?;
        }
        txn.commit().await?;
        Ok(())
    }

    /// Records that a claimed job was not sent because its recipient turned its
    /// kind off: kept, with that status, instead of vanishing.
    pub async fn mark_email_unsubscribed(&self, id: OutboxJobId) -> Result<(), DbError> {
        outbox::Entity::update_many()
            .col_expr(
                outbox::Column::Status,
                Expr::value(OutboxStatus::Unsubscribed.as_str()),
            )
            .col_expr(
                outbox::Column::LockedUntil,
                Expr::value(Option::<sea_orm::prelude::DateTimeUtc>::None),
            )
            .filter(outbox::Column::Id.eq(id.0))
            .exec(&self.conn)
            .await?;
        Ok(())
    }
}
