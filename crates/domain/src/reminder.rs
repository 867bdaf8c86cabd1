//! Deadline reminders: on which days before a hearing's deadline the invited who have
//! not answered are reminded, and which reminder is due at a given moment.
//!
//! A reminder for `d` days goes out at 09:00 Norwegian time on the day `d` days before
//! the deadline's day. Only the latest due reminder is ever sent: a scheduler that was
//! down while two came due sends the nearer one alone, so nobody gets two at once.

use crate::deadline::oslo;
use crate::email::{Email, Letterhead, OutgoingEmail};
use crate::hearing::{Hearing, HearingState};
use crate::person::Person;
use crate::plan::{Municipality, Plan};
use jiff::Timestamp;
use jiff::civil::Time;

/// The days before the deadline a new hearing reminds on.
pub const DEFAULT_DAYS: [u32; 3] = [14, 3, 1];
/// The most reminders one hearing may have.
pub const MAX_REMINDERS: usize = 6;
/// The earliest reminder, in days before the deadline (a pbl period is six weeks).
pub const MAX_DAYS: u32 = 60;
/// The local time of day reminders go out.
const SEND_AT: Time = Time::constant(9, 0, 0, 0);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReminderDaysError {
    #[error("reminder days must be whole numbers separated by commas, such as 14, 3, 1")]
    NotANumber,
    #[error("a reminder must be between 1 and {MAX_DAYS} days before the deadline")]
    OutOfRange,
    #[error("a hearing can have at most {MAX_REMINDERS} reminders")]
    TooMany,
}

impl ReminderDaysError {
    pub fn code(&self) -> &'static str {
        match self {
            ReminderDaysError::NotANumber => "invalid_reminder_days",
            ReminderDaysError::OutOfRange => "reminder_days_out_of_range",
            ReminderDaysError::TooMany => "too_many_reminders",
        }
    }
}

/// Checks the days and puts them in the order they come (the earliest first, so
/// the largest number first), without repeats. An empty list turns reminders off.
pub fn normalise_days(days: &[u32]) -> Result<Vec<u32>, ReminderDaysError> {
    if days.iter().any(|d| !(1..=MAX_DAYS).contains(d)) {
        return Err(ReminderDaysError::OutOfRange);
    }
    let mut days = days.to_vec();
    days.sort_unstable_by(|a, b| b.cmp(a));
    days.dedup();
    if days.len() > MAX_REMINDERS {
        return Err(ReminderDaysError::TooMany);
    }
    Ok(days)
}

/// Reads days as a planner writes them: `14, 3, 1` (spaces, commas or semicolons).
pub fn parse_days(text: &str) -> Result<Vec<u32>, ReminderDaysError> {
    let days = text
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<u32>()
                .map_err(|_| ReminderDaysError::NotANumber)
        })
        .collect::<Result<Vec<_>, _>>()?;
    normalise_days(&days)
}

/// The days as stored and shown: `14,3,1`.
pub fn days_text(days: &[u32]) -> String {
    days.iter()
        .map(u32::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// When the reminder for `days` before `deadline` goes out.
pub fn remind_at(deadline: Timestamp, days: u32) -> Option<Timestamp> {
    let day = deadline
        .to_zoned(oslo())
        .date()
        .checked_sub(jiff::Span::new().days(i64::from(days)))
        .ok()?;
    day.to_datetime(SEND_AT)
        .to_zoned(oslo())
        .ok()
        .map(|z| z.timestamp())
}

/// The hearing's reminders that fall inside its period, in the order they come.
pub fn schedule(hearing: &Hearing) -> Vec<(u32, Timestamp)> {
    hearing
        .reminder_days
        .iter()
        .filter_map(|&days| remind_at(hearing.deadline, days).map(|at| (days, at)))
        .filter(|(_, at)| *at >= hearing.opens_at && *at < hearing.deadline)
        .collect()
}

/// The reminder to send at `now`, if any: the latest whose time has come, while the
/// hearing is open and its deadline has not passed.
pub fn due(hearing: &Hearing, now: Timestamp) -> Option<u32> {
    if hearing.state != HearingState::Open || now >= hearing.deadline {
        return None;
    }
    schedule(hearing)
        .into_iter()
        .filter(|(_, at)| *at <= now)
        .map(|(days, _)| days)
        .min()
}

/// The next reminder still to come after `now`.
pub fn next(hearing: &Hearing, now: Timestamp) -> Option<(u32, Timestamp)> {
    if matches!(hearing.state, HearingState::Closed | HearingState::Assessed) {
        return None;
    }
    schedule(hearing).into_iter().find(|(_, at)| *at > now)
}

/// The outbox key of a scheduled reminder: one per hearing, person, offset and
/// deadline, so a scheduler that runs twice, late or in two processes queues it once,
/// and a moved deadline gets its own reminders.
pub fn dedupe_key(hearing: &Hearing, person: crate::PersonId, days: u32) -> String {
    format!(
        "reminder:{}:{}:{days}:{}",
        hearing.id,
        person,
        hearing.deadline.as_second()
    )
}

/// Whole calendar days in Norway from `now` to the deadline's day (0 on the day).
pub fn days_left(deadline: Timestamp, now: Timestamp) -> u32 {
    let today = now.to_zoned(oslo()).date();
    let last = deadline.to_zoned(oslo()).date();
    today
        .until(last)
        .ok()
        .and_then(|span| u32::try_from(span.get_days()).ok())
        .unwrap_or(0)
}

/// The reminder to one invited person, in their language and as a letter from the
/// municipality, with the deadline, the link to the response form and whom to ask.
/// Links start with the municipality's own address, else `installation_url`.
#[allow(clippy::too_many_arguments)]
pub fn email(
    hearing: &Hearing,
    plan: &Plan,
    municipality: &Municipality,
    person: &Person,
    organisation_name: Option<String>,
    days_left: u32,
    installation_url: &str,
    dedupe_key: String,
) -> OutgoingEmail {
    let base_url = municipality.links_from(installation_url);
    OutgoingEmail {
        dedupe_key,
        municipality: Some(hearing.municipality_id),
        plan: Some(hearing.plan_id),
        recipient: person.email.clone(),
        lang: person.lang,
        email: Email::DeadlineReminder {
            hearing_title: hearing.title.clone(),
            plan_title: plan.title.clone(),
            organisation_name,
            deadline: hearing.deadline.to_string(),
            days_left,
            link: format!("{base_url}/hearings/{}/response", hearing.id),
            contact_name: hearing.contact_name.clone(),
            contact_email: hearing.contact_email.clone(),
        },
        letterhead: Letterhead::of_plan(municipality, plan, Some(hearing)).to(&person.name),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hearing::tests_support::open_hearing;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    #[test]
    fn days_are_checked_ordered_and_deduplicated() {
        assert_eq!(parse_days("1, 14;3 3"), Ok(vec![14, 3, 1]));
        assert_eq!(parse_days(""), Ok(vec![]));
        assert_eq!(parse_days("tre"), Err(ReminderDaysError::NotANumber));
        assert_eq!(parse_days("0"), Err(ReminderDaysError::OutOfRange));
        assert_eq!(parse_days("61"), Err(ReminderDaysError::OutOfRange));
        assert_eq!(parse_days("1,2,3,4,5,6,7"), Err(ReminderDaysError::TooMany));
        assert_eq!(days_text(&[14, 3, 1]), "14,3,1");
    }

    #[test]
    fn a_reminder_goes_out_at_nine_in_norway_on_its_day() {
        // Deadline 20 May 2025 23:59 in Oslo (summer time, UTC+2).
        let deadline = at("2025-05-20T21:59:00Z");
        assert_eq!(remind_at(deadline, 1), Some(at("2025-05-19T07:00:00Z")));
        assert_eq!(remind_at(deadline, 14), Some(at("2025-05-06T07:00:00Z")));
    }

    #[test]
    fn only_the_latest_due_reminder_is_sent() {
        let hearing = open_hearing(at("2025-04-01T08:00:00Z"), at("2025-05-20T21:59:00Z"));
        assert_eq!(due(&hearing, at("2025-05-06T06:59:00Z")), None);
        assert_eq!(due(&hearing, at("2025-05-06T07:00:00Z")), Some(14));
        // Down from before the 14-day reminder until after the 3-day one: only 3.
        assert_eq!(due(&hearing, at("2025-05-18T12:00:00Z")), Some(3));
        assert_eq!(due(&hearing, at("2025-05-20T21:58:00Z")), Some(1));
        assert_eq!(due(&hearing, at("2025-05-20T21:59:00Z")), None);
        assert_eq!(
            next(&hearing, at("2025-05-18T12:00:00Z")),
            Some((1, at("2025-05-19T07:00:00Z")))
        );
        assert_eq!(days_left(hearing.deadline, at("2025-05-18T12:00:00Z")), 2);
        assert_eq!(days_left(hearing.deadline, at("2025-05-20T21:00:00Z")), 0);
    }

    #[test]
    fn a_reminder_before_the_hearing_opened_is_never_due() {
        // Opened ten days before its deadline: the 14-day reminder does not exist.
        let hearing = open_hearing(at("2025-05-10T08:00:00Z"), at("2025-05-20T21:59:00Z"));
        assert_eq!(due(&hearing, at("2025-05-10T09:00:00Z")), None);
        assert_eq!(schedule(&hearing).len(), 2);
    }
}
