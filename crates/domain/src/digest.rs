//! Daily digests: the day's new inputs in one letter instead of one email each.
//!
//! A planner hears of new inputs to their plan at once or in a digest (the default);
//! a participant may follow a hearing or a section and hears of its new published
//! comments in the digest. The digest of a day goes out at the configured hour,
//! Norwegian time, and lists what came in during the day before (midnight to
//! midnight, Norwegian time). It is keyed by person and day in the outbox, so a
//! scheduler that runs twice, late or in two processes queues it once.

use crate::deadline::oslo;
use crate::{HearingId, PersonId, SectionId};
use jiff::Timestamp;
use jiff::civil::{Date, Time};

/// The hour (Norwegian time) digests go out unless configured otherwise.
pub const DEFAULT_HOUR: u8 = 7;

/// What a person follows: a whole hearing, or one section of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Follow {
    pub hearing: HearingId,
    /// `None`: the whole hearing.
    pub section: Option<SectionId>,
}

/// The day whose inputs a digest sent at `now` lists, with its bounds, once the
/// digest hour has come on `now`'s day; `None` before the hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DigestDay {
    /// The day the digest is sent (its key).
    pub sent_on: Date,
    /// Inputs from this moment on...
    pub from: Timestamp,
    /// ...and before this one.
    pub until: Timestamp,
}

/// The digest due at `now` with digests at `hour` o'clock Norwegian time.
pub fn due(now: Timestamp, hour: u8) -> Option<DigestDay> {
    let tz = oslo();
    let local = now.to_zoned(tz.clone());
    let send_at = Time::new(i8::try_from(hour.min(23)).ok()?, 0, 0, 0).ok()?;
    if local.time() < send_at {
        return None;
    }
    let today = local.date();
    let yesterday = today.yesterday().ok()?;
    Some(DigestDay {
        sent_on: today,
        from: yesterday.to_zoned(tz.clone()).ok()?.timestamp(),
        until: today.to_zoned(tz).ok()?.timestamp(),
    })
}

/// The outbox key of a person's digest of a day: one per person and day.
pub fn dedupe_key(person: PersonId, day: Date) -> String {
    format!("digest:{}:{day}", person.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> Timestamp {
        text.parse().expect("a time")
    }

    #[test]
    fn the_digest_comes_at_the_hour_in_norwegian_time_and_covers_the_day_before() {
        // 06:59 in Oslo in winter (UTC+1): not yet.
        assert_eq!(due(at("2026-12-10T05:59:00Z"), 7), None);
        let day = due(at("2026-12-10T06:00:00Z"), 7).expect("due at seven");
        assert_eq!(day.sent_on.to_string(), "2026-12-10");
        assert_eq!(day.from, at("2026-12-08T23:00:00Z"));
        assert_eq!(day.until, at("2026-12-09T23:00:00Z"));
        // Late in the evening it is still the same day's digest.
        assert_eq!(due(at("2026-12-10T22:30:00Z"), 7), Some(day));
        // Summer time (UTC+2), and another hour.
        let summer = due(at("2026-06-10T07:00:00Z"), 9).expect("due at nine");
        assert_eq!(summer.from, at("2026-06-08T22:00:00Z"));
        assert_eq!(due(at("2026-06-10T06:59:00Z"), 9), None);
    }

    #[test]
    fn the_key_names_the_person_and_the_day() {
        let person = PersonId(uuid::Uuid::nil());
        let day: Date = "2026-12-10".parse().expect("date");
        assert_eq!(
            dedupe_key(person, day),
            "digest:00000000-0000-0000-0000-000000000000:2026-12-10"
        );
    }
}
