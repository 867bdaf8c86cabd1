//! A workshop as an iCalendar event (RFC 5545, with the iTIP methods of RFC 5546):
//! the invitation's attachment, its updates and its cancellation, and the
//! `/workshops/{id}.ics` download. Times are Norwegian local times
//! (`TZID=Europe/Oslo`, with the zone's VTIMEZONE in the file); the UID is stable and
//! the SEQUENCE rises with every change, so calendars replace the event they hold.
//! A letter's event names its recipient as the ATTENDEE, with their answer.

use domain::email::WorkshopEvent;
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus, Property};

/// The zone every workshop's time is given in.
pub const TZID: &str = "Europe/Oslo";

/// Norway's time zone as RFC 5545 describes it: CET, and CEST from the last Sunday
/// of March to the last Sunday of October (the EU rule Norway follows since 1996).
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Europe/Oslo\r\n\
X-LIC-LOCATION:Europe/Oslo\r\n\
BEGIN:DAYLIGHT\r\n\
TZOFFSETFROM:+0100\r\n\
TZOFFSETTO:+0200\r\n\
TZNAME:CEST\r\n\
DTSTART:19700329T020000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU\r\n\
END:DAYLIGHT\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0200\r\n\
TZOFFSETTO:+0100\r\n\
TZNAME:CET\r\n\
DTSTART:19701025T030000\r\n\
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

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

/// The moment as Norwegian local time, referring to the file's VTIMEZONE.
fn oslo(rfc3339: &str) -> Option<CalendarDateTime> {
    let ts: jiff::Timestamp = rfc3339.parse().ok()?;
    let local = ts.to_zoned(domain::deadline::oslo()).datetime();
    let date = chrono::NaiveDate::from_ymd_opt(
        i32::from(local.year()),
        u32::try_from(local.month()).ok()?,
        u32::try_from(local.day()).ok()?,
    )?;
    let time = chrono::NaiveTime::from_hms_opt(
        u32::try_from(local.hour()).ok()?,
        u32::try_from(local.minute()).ok()?,
        u32::try_from(local.second()).ok()?,
    )?;
    Some(CalendarDateTime::WithTimezone {
        date_time: chrono::NaiveDateTime::new(date, time),
        tzid: TZID.to_owned(),
    })
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
    if let Some(start) = oslo(&event.starts_at) {
        vevent.starts(start);
    }
    if let Some(end) = oslo(&event.ends_at) {
        vevent.ends(end);
    }
    if let Some(where_) = location(event) {
        vevent.location(&where_);
    }
    if let Some(organizer) = &event.organizer {
        vevent.append_property(Property::new("ORGANIZER", format!("mailto:{organizer}")));
    }
    if let Some(attendee) = &event.attendee {
        let mut property = Property::new("ATTENDEE", format!("mailto:{}", attendee.email));
        if !attendee.name.is_empty() {
            property.add_parameter("CN", &attendee.name);
        }
        property
            .add_parameter("ROLE", "REQ-PARTICIPANT")
            .add_parameter("PARTSTAT", &attendee.partstat)
            .add_parameter("RSVP", "TRUE");
        vevent.append_multi_property(property.done());
    }
    let mut calendar = Calendar::new();
    calendar
        .append_property(Property::new("METHOD", method.as_str()))
        .name(&event.plan_title)
        .timezone(TZID)
        .push(vevent.done());
    with_timezone(&calendar.done().to_string())
}

/// The calendar with the VTIMEZONE its times refer to, before the event (the
/// `icalendar` crate writes events, not time zone definitions).
fn with_timezone(ics: &str) -> String {
    match ics.find("BEGIN:VEVENT") {
        Some(at) => format!("{}{VTIMEZONE}{}", &ics[..at], &ics[at..]),
        None => ics.to_owned(),
    }
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
            attendee: Some(domain::email::Attendee {
                email: "kari@example.org".into(),
                name: "Kari Nordmann, eldrerådet".into(),
                partstat: "TENTATIVE".into(),
            }),
        }
    }

    #[test]
    fn a_request_holds_uid_sequence_oslo_times_and_the_attendee() {
        let ics = workshop_calendar(&event(), Method::Request);
        let unfolded = ics.replace("\r\n ", "");
        for expected in [
            "METHOD:REQUEST",
            "UID:workshop-1@samrad.test",
            "SEQUENCE:2",
            "DTSTART;TZID=Europe/Oslo:20270304T090000",
            "DTEND;TZID=Europe/Oslo:20270304T120000",
            "BEGIN:VTIMEZONE",
            "TZID:Europe/Oslo",
            "TZOFFSETTO:+0200",
            "STATUS:CONFIRMED",
            "ORGANIZER:mailto:plan@kommune.test",
            "PARTSTAT=TENTATIVE",
        ] {
            assert!(unfolded.contains(expected), "{expected} missing in\n{ics}");
        }
        // The zone comes before the event that refers to it; the attendee's name
        // holds a comma, so it is quoted.
        assert!(
            ics.find("BEGIN:VTIMEZONE") < ics.find("BEGIN:VEVENT"),
            "{ics}"
        );
        let attendee = unfolded
            .lines()
            .find(|l| l.starts_with("ATTENDEE"))
            .expect("an ATTENDEE line");
        assert!(
            attendee.contains("CN=\"Kari Nordmann, eldrerådet\"")
                && attendee.ends_with(":mailto:kari@example.org"),
            "{attendee}"
        );
        // Text values escape the characters iCalendar reserves.
        assert!(
            unfolded.contains("SUMMARY:Arbeidsmøte\\; trinn 7–10"),
            "{ics}"
        );
    }

    #[test]
    fn summer_times_are_local_times_too() {
        let mut summer = event();
        summer.starts_at = "2027-06-10T08:00:00Z".into();
        summer.ends_at = "2027-06-10T10:30:00Z".into();
        summer.attendee = None;
        let ics = workshop_calendar(&summer, Method::Publish);
        assert!(
            ics.contains("DTSTART;TZID=Europe/Oslo:20270610T100000"),
            "{ics}"
        );
        assert!(
            ics.contains("DTEND;TZID=Europe/Oslo:20270610T123000"),
            "{ics}"
        );
        assert!(!ics.contains("ATTENDEE"), "{ics}");
    }

    #[test]
    fn a_cancellation_says_so() {
        let ics = workshop_calendar(&event(), Method::Cancel);
        assert!(ics.contains("METHOD:CANCEL"));
        assert!(ics.contains("STATUS:CANCELLED"));
    }
}
