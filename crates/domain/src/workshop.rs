//! Workshops (arbeidsmøte): a meeting of one or more of a plan's groups, with a time,
//! a place or an online link, an agenda, documents to read beforehand and the
//! registrations of the invited.

use crate::ids::*;
use crate::validate::{self, FieldError, Problem};
use serde::{Deserialize, Serialize};

/// The stages of the IGP method: each person alone, then in groups, then in plenum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IgpStage {
    Individual,
    Group,
    Plenum,
}

impl IgpStage {
    pub const ALL: [IgpStage; 3] = [IgpStage::Individual, IgpStage::Group, IgpStage::Plenum];

    pub fn as_str(self) -> &'static str {
        match self {
            IgpStage::Individual => "individual",
            IgpStage::Group => "group",
            IgpStage::Plenum => "plenum",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Stages as stored: codes joined by commas, in IGP order.
    pub fn join(stages: &[IgpStage]) -> String {
        let mut sorted = stages.to_vec();
        sorted.sort();
        sorted.dedup();
        sorted
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The stored form back; `None` for an unknown code.
    pub fn split(stored: &str) -> Option<Vec<IgpStage>> {
        stored
            .split(',')
            .filter(|s| !s.is_empty())
            .map(IgpStage::parse)
            .collect()
    }
}

/// A meeting place and what it offers people with disabilities.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub address: String,
    pub step_free_access: bool,
    pub hearing_loop: bool,
    pub parking: bool,
    /// A sign-language or spoken-language interpreter can be booked on request.
    pub interpreter_on_request: bool,
}

/// One item of the agenda: about sections of a document or a free topic (a title
/// with no sections), with a time box and the IGP stages it uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub id: AgendaItemId,
    /// From 1, in the order of the meeting.
    pub position: u32,
    pub title: String,
    pub sections: Vec<SectionId>,
    pub minutes: u32,
    pub stages: Vec<IgpStage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WorkshopStatus {
    Scheduled,
    Cancelled,
}

impl WorkshopStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            WorkshopStatus::Scheduled => "scheduled",
            WorkshopStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        [WorkshopStatus::Scheduled, WorkshopStatus::Cancelled]
            .into_iter()
            .find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workshop {
    pub id: WorkshopId,
    pub municipality_id: MunicipalityId,
    pub plan_id: PlanId,
    pub title: String,
    /// What the meeting is for, shown in the invitation.
    pub purpose: String,
    pub starts_at: jiff::Timestamp,
    pub ends_at: jiff::Timestamp,
    pub place: Option<Place>,
    pub online_link: Option<String>,
    /// Seats; `None` for no limit. Past it, a yes goes to the waiting list.
    pub capacity: Option<u32>,
    /// Hours before the start at which the registered are reminded; 0 for none.
    pub reminder_hours: u32,
    pub status: WorkshopStatus,
    /// iCalendar SEQUENCE: rises with every change the invited are told of.
    pub sequence: u32,
    /// The invited groups.
    pub groups: Vec<GroupId>,
    pub agenda: Vec<AgendaItem>,
    /// Documents to read beforehand.
    pub readings: Vec<DocumentId>,
}

impl Workshop {
    pub fn is_cancelled(&self) -> bool {
        self.status == WorkshopStatus::Cancelled
    }

    /// Registration closes when the workshop starts.
    pub fn takes_registrations(&self, now: jiff::Timestamp) -> bool {
        !self.is_cancelled() && now < self.starts_at
    }

    /// The stable iCalendar UID of the workshop's event.
    pub fn ical_uid(&self) -> String {
        format!("workshop-{}@samrad", self.id)
    }

    /// When the registered are reminded, if at all.
    pub fn reminder_at(&self) -> Option<jiff::Timestamp> {
        if self.reminder_hours == 0 || self.is_cancelled() {
            return None;
        }
        self.starts_at
            .checked_sub(jiff::SignedDuration::from_hours(i64::from(
                self.reminder_hours,
            )))
            .ok()
    }

    /// Whether the reminder is due at `now`: its time has come and the workshop has
    /// not started.
    pub fn reminder_due(&self, now: jiff::Timestamp) -> bool {
        self.reminder_at().is_some_and(|at| at <= now) && now < self.starts_at
    }
}

/// The outbox key of a workshop's reminder to one person: once per workshop, person
/// and start time, so a scheduler that runs twice, late or in two processes queues
/// it once, and a moved workshop gets its own reminder.
pub fn reminder_key(workshop: &Workshop, person: PersonId) -> String {
    format!(
        "workshop-reminder:{}:{person}:{}",
        workshop.id,
        workshop.starts_at.as_second()
    )
}

/// The workshop as its letters and calendar event describe it. Links start with
/// `base_url` (the municipality's own address or the installation's).
pub fn event(
    workshop: &Workshop,
    plan: &crate::plan::Plan,
    base_url: &str,
    organizer: Option<String>,
) -> crate::email::WorkshopEvent {
    crate::email::WorkshopEvent {
        uid: workshop.ical_uid(),
        sequence: workshop.sequence,
        title: workshop.title.clone(),
        plan_title: plan.title.clone(),
        purpose: workshop.purpose.clone(),
        starts_at: workshop.starts_at.to_string(),
        ends_at: workshop.ends_at.to_string(),
        place: workshop.place.clone(),
        online_link: workshop.online_link.clone(),
        agenda: workshop
            .agenda
            .iter()
            .map(|item| format!("{} ({} min)", item.title, item.minutes))
            .collect(),
        link: format!("{base_url}/workshops/{}", workshop.id),
        organizer,
        attendee: None,
    }
}

/// The calendar's PARTSTAT for an invited person's answer (none yet: NEEDS-ACTION).
pub fn partstat(answer: Option<Answer>) -> &'static str {
    match answer {
        None => "NEEDS-ACTION",
        Some(Answer::Yes) => "ACCEPTED",
        Some(Answer::No) => "DECLINED",
        Some(Answer::Maybe) => "TENTATIVE",
    }
}

/// An invited person as their calendar event names them.
pub fn attendee(person: &crate::person::Person, answer: Option<Answer>) -> crate::email::Attendee {
    crate::email::Attendee {
        email: person.email.clone(),
        name: person.name.clone(),
        partstat: partstat(answer).to_owned(),
    }
}

/// `email` with its calendar event addressed to `person`, with their answer.
pub fn for_attendee(
    mut email: crate::email::Email,
    person: &crate::person::Person,
    answer: Option<Answer>,
) -> crate::email::Email {
    if let Some(event) = email.workshop_event_mut() {
        event.attendee = Some(attendee(person, answer));
    }
    email
}

/// One letter about a workshop to one person, from the plan's municipality.
pub fn letter(
    municipality: &crate::plan::Municipality,
    plan: &crate::plan::Plan,
    person: &crate::person::Person,
    email: crate::email::Email,
    dedupe_key: String,
) -> crate::email::OutgoingEmail {
    crate::email::OutgoingEmail {
        dedupe_key,
        municipality: Some(plan.municipality_id),
        plan: Some(plan.id),
        recipient: person.email.clone(),
        lang: person.lang,
        email,
        letterhead: crate::email::Letterhead::of_plan(municipality, plan, None).to(&person.name),
    }
}

/// The default hours before the start at which the registered are reminded.
pub const DEFAULT_REMINDER_HOURS: u32 = 48;
pub const MAX_REMINDER_HOURS: u32 = 14 * 24;
pub const MAX_TITLE_CHARS: usize = 200;
pub const MAX_PURPOSE_CHARS: usize = 4_000;
pub const MAX_ADDRESS_CHARS: usize = 300;
pub const MAX_LINK_CHARS: usize = 500;
pub const MAX_CAPACITY: u32 = 10_000;
pub const MAX_AGENDA_ITEMS: usize = 50;
/// The longest agenda item, in minutes.
pub const MAX_ITEM_MINUTES: u32 = 8 * 60;
/// The longest workshop.
pub const MAX_WORKSHOP_HOURS: i64 = 24;
pub const MAX_NEED_CHARS: usize = 500;

/// What a planner writes to create or change a workshop, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkshopDraft {
    pub title: String,
    pub purpose: String,
    pub starts_at: Option<jiff::Timestamp>,
    pub ends_at: Option<jiff::Timestamp>,
    pub place: Option<Place>,
    pub online_link: Option<String>,
    pub capacity: Option<u32>,
    pub reminder_hours: Option<u32>,
    pub groups: Vec<GroupId>,
    pub agenda: Vec<AgendaDraft>,
    pub readings: Vec<DocumentId>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaDraft {
    pub title: String,
    pub sections: Vec<SectionId>,
    pub minutes: u32,
    pub stages: Vec<IgpStage>,
}

/// A draft that passed the checks that need nothing stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ValidWorkshop {
    pub title: String,
    pub purpose: String,
    pub starts_at: jiff::Timestamp,
    pub ends_at: jiff::Timestamp,
    pub place: Option<Place>,
    pub online_link: Option<String>,
    pub capacity: Option<u32>,
    pub reminder_hours: u32,
    pub groups: Vec<GroupId>,
    pub agenda: Vec<AgendaDraft>,
    pub readings: Vec<DocumentId>,
}

fn field(field: &'static str, problem: Problem) -> FieldError {
    FieldError { field, problem }
}

/// Checks a draft: a title, a start before the end within a day, a place or an
/// online link (http or https), a capacity of at least one, at least one invited
/// group, and agenda items with a title and a time box.
pub fn validate(draft: &WorkshopDraft) -> Result<ValidWorkshop, FieldError> {
    let title = validate::line("title", &draft.title, MAX_TITLE_CHARS)?;
    let purpose = if draft.purpose.trim().is_empty() {
        String::new()
    } else {
        validate::text("purpose", &draft.purpose, MAX_PURPOSE_CHARS)?
    };
    let starts_at = draft
        .starts_at
        .ok_or_else(|| field("starts_at", Problem::Required))?;
    let ends_at = draft
        .ends_at
        .ok_or_else(|| field("ends_at", Problem::Required))?;
    if ends_at <= starts_at
        || ends_at.duration_since(starts_at) > jiff::SignedDuration::from_hours(MAX_WORKSHOP_HOURS)
    {
        return Err(field("ends_at", Problem::OutOfRange));
    }
    let place = match &draft.place {
        Some(place) if !place.address.trim().is_empty() => Some(Place {
            address: validate::text("address", &place.address, MAX_ADDRESS_CHARS)?,
            ..place.clone()
        }),
        _ => None,
    };
    let online_link = match draft.online_link.as_deref().map(str::trim) {
        Some(link) if !link.is_empty() => Some(online_link(link)?),
        _ => None,
    };
    if place.is_none() && online_link.is_none() {
        return Err(field("address", Problem::Required));
    }
    if let Some(capacity) = draft.capacity
        && !(1..=MAX_CAPACITY).contains(&capacity)
    {
        return Err(field("capacity", Problem::OutOfRange));
    }
    let reminder_hours = draft.reminder_hours.unwrap_or(DEFAULT_REMINDER_HOURS);
    if reminder_hours > MAX_REMINDER_HOURS {
        return Err(field("reminder_hours", Problem::OutOfRange));
    }
    let mut groups = draft.groups.clone();
    groups.sort();
    groups.dedup();
    if groups.is_empty() {
        return Err(field("groups", Problem::Required));
    }
    if draft.agenda.len() > MAX_AGENDA_ITEMS {
        return Err(field("agenda", Problem::OutOfRange));
    }
    let agenda = draft
        .agenda
        .iter()
        .map(|item| {
            if !(1..=MAX_ITEM_MINUTES).contains(&item.minutes) {
                return Err(field("agenda_minutes", Problem::OutOfRange));
            }
            let mut sections = item.sections.clone();
            sections.dedup();
            let mut stages = item.stages.clone();
            stages.sort();
            stages.dedup();
            Ok(AgendaDraft {
                title: validate::line("agenda_title", &item.title, MAX_TITLE_CHARS)?,
                sections,
                minutes: item.minutes,
                stages,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut readings = draft.readings.clone();
    readings.sort();
    readings.dedup();
    Ok(ValidWorkshop {
        title,
        purpose,
        starts_at,
        ends_at,
        place,
        online_link,
        capacity: draft.capacity,
        reminder_hours,
        groups,
        agenda,
        readings,
    })
}

fn online_link(link: &str) -> Result<String, FieldError> {
    let link = validate::line("online_link", link, MAX_LINK_CHARS)?;
    let lower = link.to_ascii_lowercase();
    let valid = (lower.starts_with("https://") || lower.starts_with("http://"))
        && !link.chars().any(char::is_whitespace)
        && link
            .split_once("://")
            .is_some_and(|(_, rest)| !rest.is_empty());
    if valid {
        Ok(link)
    } else {
        Err(field("online_link", Problem::OutOfRange))
    }
}

/// An invited person's answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    Yes,
    No,
    Maybe,
}

impl Answer {
    pub const ALL: [Answer; 3] = [Answer::Yes, Answer::No, Answer::Maybe];

    pub fn as_str(self) -> &'static str {
        match self {
            Answer::Yes => "yes",
            Answer::No => "no",
            Answer::Maybe => "maybe",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a participant needs to take part.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Needs {
    pub diet: Option<String>,
    pub accessibility: Option<String>,
    /// The language to interpret into (sign language included), if any.
    pub interpreter: Option<String>,
    /// Comes with an assistant (who needs a seat too).
    pub assistant: bool,
}

impl Needs {
    pub fn is_empty(&self) -> bool {
        self.diet.is_none()
            && self.accessibility.is_none()
            && self.interpreter.is_none()
            && !self.assistant
    }

    /// Trims each need and drops empty ones.
    pub fn validated(&self) -> Result<Needs, FieldError> {
        fn one(field: &'static str, value: &Option<String>) -> Result<Option<String>, FieldError> {
            match value.as_deref().map(str::trim) {
                Some(v) if !v.is_empty() => Ok(Some(validate::text(field, v, MAX_NEED_CHARS)?)),
                _ => Ok(None),
            }
        }
        Ok(Needs {
            diet: one("diet", &self.diet)?,
            accessibility: one("accessibility", &self.accessibility)?,
            interpreter: one("interpreter", &self.interpreter)?,
            assistant: self.assistant,
        })
    }
}

/// Where a registration stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Seat {
    /// Said yes and has a seat.
    Confirmed,
    /// Said yes past capacity; gets a seat when one is free, first come first served.
    Waiting,
    /// Said no or maybe: holds no seat.
    None,
}

/// An invited person's registration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub workshop_id: WorkshopId,
    pub person_id: PersonId,
    pub answer: Answer,
    pub seat: Seat,
    pub needs: Needs,
    pub answered_at: jiff::Timestamp,
    /// Registered by a planner on the day: `None` until then.
    pub attended: Option<bool>,
}

/// The seat a yes gets when `taken` seats are taken already.
pub fn seat_for(answer: Answer, capacity: Option<u32>, taken: u32) -> Seat {
    match answer {
        Answer::Yes => match capacity {
            Some(capacity) if taken >= capacity => Seat::Waiting,
            _ => Seat::Confirmed,
        },
        Answer::No | Answer::Maybe => Seat::None,
    }
}

/// How many of the waiting list (in order) get the seats that are free.
pub fn promotions(capacity: Option<u32>, taken: u32, waiting: usize) -> usize {
    match capacity {
        None => waiting,
        Some(capacity) => usize::try_from(capacity.saturating_sub(taken))
            .unwrap_or(usize::MAX)
            .min(waiting),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft() -> WorkshopDraft {
        let start: jiff::Timestamp = "2027-03-04T09:00:00Z".parse().unwrap();
        WorkshopDraft {
            title: " Arbeidsmøte 1 ".into(),
            purpose: String::new(),
            starts_at: Some(start),
            ends_at: Some(start + jiff::SignedDuration::from_hours(3)),
            place: Some(Place {
                address: "Rådhuset, Storgata 1".into(),
                step_free_access: true,
                ..Place::default()
            }),
            online_link: None,
            capacity: Some(20),
            reminder_hours: None,
            groups: vec![GroupId::new()],
            agenda: vec![AgendaDraft {
                title: "Trinn 7–10".into(),
                sections: vec![],
                minutes: 45,
                stages: vec![IgpStage::Plenum, IgpStage::Individual, IgpStage::Plenum],
            }],
            readings: vec![],
        }
    }

    #[test]
    fn a_good_draft_is_trimmed_and_ordered() {
        let valid = validate(&draft()).unwrap();
        assert_eq!(valid.title, "Arbeidsmøte 1");
        assert_eq!(valid.reminder_hours, DEFAULT_REMINDER_HOURS);
        assert_eq!(
            valid.agenda[0].stages,
            vec![IgpStage::Individual, IgpStage::Plenum]
        );
    }

    #[test]
    fn bad_drafts_name_their_field() {
        type Change = Box<dyn Fn(&mut WorkshopDraft)>;
        let cases: Vec<(&str, Change)> = vec![
            ("title", Box::new(|d| d.title = " ".into())),
            ("ends_at", Box::new(|d| d.ends_at = d.starts_at)),
            (
                "ends_at",
                Box::new(|d| {
                    d.ends_at = d
                        .starts_at
                        .map(|s| s + jiff::SignedDuration::from_hours(25))
                }),
            ),
            ("address", Box::new(|d| d.place = None)),
            (
                "online_link",
                Box::new(|d| d.online_link = Some("javascript:alert(1)".into())),
            ),
            ("capacity", Box::new(|d| d.capacity = Some(0))),
            (
                "reminder_hours",
                Box::new(|d| d.reminder_hours = Some(10_000)),
            ),
            ("groups", Box::new(|d| d.groups.clear())),
            ("agenda_minutes", Box::new(|d| d.agenda[0].minutes = 0)),
            ("agenda_title", Box::new(|d| d.agenda[0].title.clear())),
        ];
        for (expected, change) in cases {
            let mut d = draft();
            change(&mut d);
            assert_eq!(validate(&d).unwrap_err().field, expected);
        }
    }

    #[test]
    fn an_online_link_alone_is_enough() {
        let mut d = draft();
        d.place = None;
        d.online_link = Some("https://meet.example/abc".into());
        assert!(validate(&d).is_ok());
    }

    #[test]
    fn seats_and_waiting_list() {
        assert_eq!(seat_for(Answer::Yes, Some(2), 1), Seat::Confirmed);
        assert_eq!(seat_for(Answer::Yes, Some(2), 2), Seat::Waiting);
        assert_eq!(seat_for(Answer::Yes, None, 500), Seat::Confirmed);
        assert_eq!(seat_for(Answer::Maybe, Some(2), 0), Seat::None);
        assert_eq!(promotions(Some(3), 2, 5), 1);
        assert_eq!(promotions(Some(3), 3, 5), 0);
        assert_eq!(promotions(Some(3), 0, 2), 2);
        assert_eq!(promotions(None, 9, 4), 4);
    }

    #[test]
    fn stages_round_trip() {
        let stored = IgpStage::join(&[IgpStage::Plenum, IgpStage::Individual]);
        assert_eq!(stored, "individual,plenum");
        assert_eq!(
            IgpStage::split(&stored),
            Some(vec![IgpStage::Individual, IgpStage::Plenum])
        );
        assert_eq!(IgpStage::split(""), Some(vec![]));
        assert_eq!(IgpStage::split("dance"), None);
    }
}
