//! Generated-style sea-orm entity; hand-written queries live in `crate::repo`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "comment")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub hearing_id: Uuid,
    pub section_id: Uuid,
    pub author_name: String,
    pub author_email: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub late: bool,
    pub idempotency_key: Option<Uuid>,
    pub created_at: DateTimeUtc,
    pub parent_id: Option<Uuid>,
    #[sea_orm(column_type = "Text", nullable)]
    pub quote: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub quote_prefix: Option<String>,
    #[sea_orm(column_type = "Text", nullable)]
    pub quote_suffix: Option<String>,
    pub person_id: Option<Uuid>,
    pub status: String,
    pub anonymised_at: Option<DateTimeUtc>,
    pub edited_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
