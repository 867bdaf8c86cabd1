//! A workshop as an iCalendar event (RFC 5545, with the iTIP methods of RFC 5546):
//! the invitation's attachment, its updates and its cancellation, and the
//! `/workshops/{id}.ics` download. Times are in UTC; the UID is stable and the
//! SEQUENCE rises with every change, so calendars replace the event they hold.

use domain::email::WorkshopEvent;
use icalendar::{Calendar, Component, EventLike, EventStatus, Property};

/// What the calendar asks of the receiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// Put this event in the calendar (or replace it with this newer version).
    Request,
    /// Remove the event: the workshop was cancelled.
    Cancel,
    /// A copy to look at, as downloaded from the site.
    Publish,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Request => "REQUEST",
            Method::Cancel => "CANCEL",
            Method::Publish => "PUBLISH",
        }
    }
}

fn utc(rfc3339: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    let ts: jiff::Timestamp = rfc3339.parse().ok()?;
    chrono::DateTime::from_timestamp(ts.as_second(), 0)
}

/// Where it is: the address, the online link, or both.
fn location(event: &WorkshopEvent) -> Option<String> {
    match (&event.place, &event.online_link) {
        (Some(place), Some(link)) => Some(format!("{} / {link}", place.address)),
        (Some(place), None) => Some(place.address.clone()),
        (None, Some(link)) => Some(link.clone()),
        (None, None) => None,
    }
}

/// The event as an iCalendar file with `method`.
pub fn workshop_calendar(event: &WorkshopEvent, method: Method) -> String {
    let mut description = String::new();
    if !event.purpose.is_empty() {
        description.push_str(&event.purpose);
        description.push_str("\n\n");
    }
    for item in &event.agenda {
        description.push_str("- ");
        description.push_str(item);
        description.push('\n');
    }
    description.push_str(&event.link);
    let mut vevent = icalendar::Event::new();
    vevent
        .uid(&event.uid)
        .sequence(event.sequence)
        .summary(&event.title)
        .description(&description)
        .url(&event.link)
        .status(match method {
            Method::Cancel => EventStatus::Cancelled,
            Method::Request | Method::Publish => EventStatus::Confirmed,
        });
    if let Some(start) = utc(&event.starts_at) {
        vevent.starts(start);
    }
    if let Some(end) = utc(&event.ends_at) {
        vevent.ends(end);
    }
    if let Some(where_) = location(event) {
        vevent.location(&where_);
    }
    if let Some(organizer) = &event.organizer {
        vevent.append_property(Property::new("ORGANIZER", format!("mailto:{organizer}")));
    }
    let mut calendar = Calendar::new();
    calendar
        .append_property(Property::new("METHOD", method.as_str()))
        .name(&event.plan_title)
        .push(vevent.done());
    calendar.done().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event() -> WorkshopEvent {
        WorkshopEvent {
            uid: "workshop-1@samrad.test".into(),
            sequence: 2,
            title: "Arbeidsmøte; trinn 7–10".into(),
            plan_title: "Kommunedelplan".into(),
            purpose: "Innspel til tiltak".into(),
            starts_at: "2027-03-04T09:00:00+01:00".into(),
            ends_at: "2027-03-04T12:00:00+01:00".into(),
            place: Some(domain::workshop::Place {
                address: "Rådhuset, Storgata 1".into(),
                ..Default::default()
            }),
            online_link: None,
            agenda: vec!["Velkomen (10 min)".into()],
            link: "https://samrad.test/workshops/1".into(),
            organizer: Some("plan@kommune.test".into()),
        }
    }

    #[test]
    fn a_request_holds_uid_sequence_and_utc_times() {
        let ics = workshop_calendar(&event(), Method::Request);
        let unfolded = ics.replace("\r\n ", "");
        for expected in [
            "METHOD:REQUEST",
            "UID:workshop-1@samrad.test",
            "SEQUENCE:2",
            "DTSTART:20270304T080000Z",
            "DTEND:20270304T110000Z",
            "STATUS:CONFIRMED",
            "ORGANIZER:mailto:plan@kommune.test",
        ] {
            assert!(unfolded.contains(expected), "{expected} missing in\n{ics}");
        }
        // Text values escape the characters iCalendar reserves.
        assert!(
            unfolded.contains("SUMMARY:Arbeidsmøte\\; trinn 7–10"),
            "{ics}"
        );
    }

    #[test]
    fn a_cancellation_says_so() {
        let ics = workshop_calendar(&event(), Method::Cancel);
        assert!(ics.contains("METHOD:CANCEL"));
        assert!(ics.contains("STATUS:CANCELLED"));
    }
}
