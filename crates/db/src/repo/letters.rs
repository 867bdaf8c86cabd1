//! Letters and emails a planner registered by hand, each written with its row in the
//! plan's register in one transaction.

use super::parse_enum;
use super::register;
use crate::entities::{input_register, plan, registered_letter};
use crate::time::{from_db, to_db};
use crate::{Db, DbError};
use domain::assessment::{Channel, InputKind, RegisteredLetter, SenderKind};
use domain::{HearingId, LetterId, PersonId, PlanId};
use sea_orm::{ActiveValue::Set, ColumnTrait, EntityTrait, QueryFilter, TransactionTrait};

/// A letter as the service checked it.
#[derive(Debug, Clone)]
pub struct NewLetter {
    pub plan_id: PlanId,
    pub hearing_id: Option<HearingId>,
    pub sender_name: String,
    pub sender_kind: SenderKind,
    pub channel: Channel,
    pub received_on: jiff::civil::Date,
    pub text: String,
    pub late: bool,
    pub registered_by: String,
    pub at: jiff::Timestamp,
    /// The sender's address or email, if given.
    pub sender_contact: Option<String>,
    /// The known person whose email the contact is.
    pub sender_person_id: Option<PersonId>,
}

pub(crate) fn into_domain(
    m: registered_letter::Model,
    number: i32,
) -> Result<RegisteredLetter, DbError> {
    Ok(RegisteredLetter {
        id: m.id.into(),
        plan_id: m.plan_id.into(),
        hearing_id: m.hearing_id.map(HearingId),
        sender_kind: parse_enum(&m.sender_kind, SenderKind::parse, "sender kind")?,
        channel: parse_enum(&m.channel, Channel::parse, "channel")?,
        received_on: m
            .received_on
            .parse()
            .map_err(|_| DbError::Corrupt(format!("letter date {:?}", m.received_on)))?,
        sender_name: m.sender_name,
        text: m.body,
        late: m.late,
        registered_by: m.registered_by,
        registered_at: from_db(m.registered_at)?,
        number,
        sender_contact: m.sender_contact,
        sender_person_id: m.sender_person_id.map(PersonId),
    })
}

impl Db {
    /// Stores a letter and gives it the next number of the plan's register, in one
    /// transaction.
    pub async fn register_letter(&self, new: NewLetter) -> Result<RegisteredLetter, DbError> {
        let txn = self.conn.begin().await?;
        let id = LetterId::new();
        let at = to_db(new.at);
        let row = registered_letter::Entity::insert(registered_letter::ActiveModel {
            id: Set(id.0),
            plan_id: Set(new.plan_id.0),
            hearing_id: Set(new.hearing_id.map(|h| h.0)),
            sender_name: Set(new.sender_name.clone()),
            sender_kind: Set(new.sender_kind.as_str().to_owned()),
            channel: Set(new.channel.as_str().to_owned()),
            received_on: Set(new.received_on.to_string()),
            body: Set(new.text.clone()),
            late: Set(new.late),
            registered_by: Set(new.registered_by.clone()),
            registered_at: Set(at),
            sender_contact: Set(new.sender_contact.clone()),
            sender_person_id: Set(new.sender_person_id.map(|p| p.0)),
        })
        .exec_with_returning(&txn)
        .await?;
        let number = register::record_letter(&txn, &row).await?;
        txn.commit().await?;
        into_domain(row, number)
    }

    /// A registered letter with its register number.
    pub async fn letter(&self, id: LetterId) -> Result<RegisteredLetter, DbError> {
        let row = registered_letter::Entity::find_by_id(id.0)
            .one(&self.conn)
            .await?
            .ok_or(DbError::NotFound)?;
        let number = input_register::Entity::find()
            .filter(input_register::Column::Kind.eq(InputKind::Letter.as_str()))
            .filter(input_register::Column::SourceId.eq(id.0))
            .one(&self.conn)
            .await?
            .map_or(0, |r| r.number);
        into_domain(row, number)
    }
}

/// A letter a person sent, as their export shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SentLetterRecord {
    pub id: LetterId,
    pub plan_id: PlanId,
    pub sender_name: String,
    pub sender_contact: Option<String>,
    pub channel: Channel,
    pub received_on: jiff::civil::Date,
    pub text: String,
    /// Its number in the plan's register.
    pub number: i32,
    /// The title of the plan it was registered in.
    pub plan_title: String,
}

/// The letters from this private sender: linked to the person, or from their address.
fn sent_by(person: PersonId, email: &str) -> sea_orm::Condition {
    sea_orm::Condition::any()
        .add(registered_letter::Column::SenderPersonId.eq(person.0))
        .add(
            sea_orm::Condition::all()
                .add(registered_letter::Column::SenderKind.eq(SenderKind::Person.as_str()))
                .add(super::same_address(
                    registered_letter::Column::SenderContact,
                    email,
                )),
        )
}

/// The letters a person sent that planners registered, in the order received.
pub(crate) async fn letters_sent_by<C: sea_orm::ConnectionTrait>(
    conn: &C,
    person: PersonId,
    email: &str,
) -> Result<Vec<SentLetterRecord>, DbError> {
    use sea_orm::QuerySelect;
    let rows = registered_letter::Entity::find()
        .filter(sent_by(person, email))
        .all(conn)
        .await?;
    let numbers: std::collections::HashMap<uuid::Uuid, i32> = input_register::Entity::find()
        .select_only()
        .columns([
            input_register::Column::SourceId,
            input_register::Column::Number,
        ])
        .filter(input_register::Column::Kind.eq(InputKind::Letter.as_str()))
        .filter(input_register::Column::SourceId.is_in(rows.iter().map(|r| r.id)))
        .into_tuple::<(uuid::Uuid, i32)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let titles: std::collections::HashMap<uuid::Uuid, String> = plan::Entity::find()
        .select_only()
        .columns([plan::Column::Id, plan::Column::Title])
        .filter(plan::Column::Id.is_in(rows.iter().map(|r| r.plan_id)))
        .into_tuple::<(uuid::Uuid, String)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let mut letters = rows
        .into_iter()
        .map(|m| {
            let number = numbers.get(&m.id).copied().unwrap_or_default();
            let plan_title = titles.get(&m.plan_id).cloned().unwrap_or_default();
            let letter = into_domain(m, number)?;
            Ok(SentLetterRecord {
                id: letter.id,
                plan_id: letter.plan_id,
                sender_name: letter.sender_name,
                sender_contact: letter.sender_contact,
                channel: letter.channel,
                received_on: letter.received_on,
                text: letter.text,
                number,
                plan_title,
            })
        })
        .collect::<Result<Vec<_>, DbError>>()?;
    letters.sort_by_key(|a| (a.received_on, a.number));
    Ok(letters)
}

/// Removes a forgotten person as the sender of their letters (name, address and
/// link); the text stays for the record. How many letters.
pub(crate) async fn forget_sender<C: sea_orm::ConnectionTrait>(
    conn: &C,
    person: PersonId,
    email: &str,
) -> Result<u64, DbError> {
    use sea_orm::sea_query::Expr;
    Ok(registered_letter::Entity::update_many()
        .col_expr(registered_letter::Column::SenderName, Expr::value(""))
        .col_expr(
            registered_letter::Column::SenderContact,
            Expr::value(Option::<String>::None),
        )
        .col_expr(
            registered_letter::Column::SenderPersonId,
            Expr::value(Option::<uuid::Uuid>::None),
        )
        .filter(sent_by(person, email))
        .exec(conn)
        .await?
        .rows_affected)
}
