//! Letters and emails that reached the municipality outside Samråd, registered by a
//! planner so they are assessed like every other input.

use super::{AssessmentError, parse_choice};
use crate::Consultation;
use db::{DbError, NewLetter};
use domain::assessment::{
    Channel, MAX_LETTER_CHARS, MAX_SENDER_CHARS, RegisteredLetter, SenderKind, letter_is_late,
};
use domain::policy::Actor;
use domain::validate;
use domain::{HearingId, PlanId};

/// A letter as the planner typed it, before any check.
#[derive(Debug, Clone, Default)]
pub struct LetterCommand {
    pub sender_name: String,
    /// `person` or `organisation`.
    pub sender_kind: String,
    /// `letter`, `email` or `other`.
    pub channel: String,
    /// YYYY-MM-DD, not in the future.
    pub received_on: String,
    pub text: String,
    pub hearing_id: Option<HearingId>,
    /// The sender's postal address or email; may be left empty.
    pub sender_contact: String,
}

/// The longest address or email of a letter's sender, in characters.
const MAX_CONTACT_CHARS: usize = 500;

impl Consultation {
    /// Registers a letter or an email received, with the next number of the plan's
    /// register. A letter received after its hearing's deadline is marked late.
    pub async fn register_letter(
        &self,
        actor: &Actor,
        who: &str,
        plan_id: PlanId,
        command: LetterCommand,
    ) -> Result<RegisteredLetter, AssessmentError> {
        let plan = self.assessed_plan(actor, plan_id).await?;
        let sender_name = validate::line("sender_name", &command.sender_name, MAX_SENDER_CHARS)?;
        let sender_kind = parse_choice(
            "sender_kind",
            &command.sender_kind,
            SenderKind::ALL,
            SenderKind::as_str,
        )?;
        let channel = parse_choice("channel", &command.channel, Channel::ALL, Channel::as_str)?;
        let received_on: jiff::civil::Date = command
            .received_on
            .trim()
            .parse()
            .map_err(|_| AssessmentError::InvalidDate)?;
        let now = self.now();
        let oslo = domain::deadline::oslo();
        if received_on > now.to_zoned(oslo.clone()).date() {
            return Err(AssessmentError::ReceivedInFuture);
        }
        let text = validate::text("text", &command.text, MAX_LETTER_CHARS)?;
        let late = match command.hearing_id {
            None => false,
            Some(id) => {
                let hearing = match self.db().hearing(id).await {
                    Ok(h) => h,
                    Err(DbError::NotFound) => return Err(AssessmentError::HearingNotInPlan),
                    Err(e) => return Err(e.into()),
                };
                if hearing.plan_id != plan.id {
                    return Err(AssessmentError::HearingNotInPlan);
                }
                letter_is_late(received_on, hearing.deadline.to_zoned(oslo).date())
            }
        };
        let sender_contact = match command.sender_contact.trim() {
            "" => None,
            contact => Some(validate::text(
                "sender_contact",
                contact,
                MAX_CONTACT_CHARS,
            )?),
        };
        // A private sender whose email is a known person's is that person: the
        // letter is theirs to see in their export and goes when they are forgotten.
        let sender_person_id = match (&sender_contact, sender_kind) {
            (Some(contact), SenderKind::Person) => match validate::email("sender_contact", contact)
            {
                Ok(email) => self.db().person_by_email(&email).await?.map(|p| p.id),
                Err(_) => None,
            },
            _ => None,
        };
        let registered_by = self.actor_name(actor, who).await?;
        let letter = self
            .db()
            .register_letter(NewLetter {
                plan_id: plan.id,
                hearing_id: command.hearing_id,
                sender_name,
                sender_kind,
                channel,
                received_on,
                text,
                late,
                registered_by,
                at: now,
                sender_contact,
                sender_person_id,
            })
            .await?;
        metrics::counter!("samrad_letters_registered_total").increment(1);
        Ok(letter)
    }
}
