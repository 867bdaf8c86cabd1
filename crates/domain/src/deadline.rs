//! Hearing deadlines ("høyringsfrist"), computed in Europe/Oslo.
//!
//! A period of `N` weeks opened on civil date `D` ends on `D + N weeks` (the same
//! weekday) at 23:59:00 local time. A deadline that falls on a Saturday, a Sunday or a
//! Norwegian public holiday moves to the next working day. Pbl hearings must last at
//! least [`PBL_MINIMUM_WEEKS`] unless a written override reason is given; every period
//! is 1..=[`MAX_WEEKS`] weeks.
//!
//! When the period overlaps Easter, the summer holiday (July) or Christmas and the days
//! outside those holidays no longer make up the full number of weeks, a warning with a
//! suggested later deadline is returned: the first deadline at which the period, less
//! the holiday days inside it, still holds the full number of weeks (see
//! [`season_warnings`]). A period that long is compensated and gives no warning.
//!
//! Pure calendar arithmetic: the time zone comes from jiff's bundled tzdb, so the result
//! never depends on the host's `/usr/share/zoneinfo` and the module does no I/O.

use std::sync::LazyLock;

use jiff::ToSpan;
use jiff::Zoned;
use jiff::civil::{Date, Weekday};
use jiff::tz::{Offset, TimeZone, TimeZoneDatabase};

/// Minimum hearing period for pbl hearings (pbl § 4-1, § 11-14).
pub const PBL_MINIMUM_WEEKS: u32 = 6;
/// Longest period the platform accepts.
pub const MAX_WEEKS: u32 = 52;

/// What kind of hearing the period belongs to; only pbl hearings have a legal minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HearingKind {
    /// Hearing under the Planning and Building Act (plan- og bygningslova).
    Pbl,
    /// Any other consultation.
    Other,
}

/// Input to [`compute_deadline`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRequest {
    /// Civil date (Europe/Oslo) the hearing opens.
    pub opens: Date,
    /// Length of the period in weeks, 1..=[`MAX_WEEKS`].
    pub weeks: u32,
    pub kind: HearingKind,
    /// Written reason for a pbl period shorter than [`PBL_MINIMUM_WEEKS`].
    pub override_reason: Option<String>,
}

/// Machine-readable warning code; [`WarningCode::as_str`] gives the Fluent suffix
/// (`deadline-warning-<code>`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum WarningCode {
    MovedFromNonWorkingDay,
    OverlapsEaster,
    OverlapsSummer,
    OverlapsChristmas,
    ShortPeriodOverridden,
}

impl WarningCode {
    /// Same string as the serde representation.
    pub fn as_str(&self) -> &'static str {
        match self {
            Self::MovedFromNonWorkingDay => "moved_from_non_working_day",
            Self::OverlapsEaster => "overlaps_easter",
            Self::OverlapsSummer => "overlaps_summer",
            Self::OverlapsChristmas => "overlaps_christmas",
            Self::ShortPeriodOverridden => "short_period_overridden",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineWarning {
    pub code: WarningCode,
    /// Set for the holiday-overlap warnings, `None` otherwise.
    pub suggested_deadline: Option<Zoned>,
}

/// Outcome of [`compute_deadline`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deadline {
    pub opens: Date,
    pub weeks: u32,
    /// 23:59:00 Europe/Oslo on a working day.
    pub deadline: Zoned,
    /// In a fixed order: moved, short period overridden, Easter, summer, Christmas.
    pub warnings: Vec<DeadlineWarning>,
    /// The trimmed override reason, only when it was needed (pbl period below the
    /// minimum); callers must log it.
    pub override_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DeadlineError {
    /// Also returned when the deadline would fall outside the calendar range jiff can
    /// represent (around year 9999), as the period is then too long for that date.
    #[error("a hearing period must be between 1 and 52 weeks (got {weeks})")]
    WeeksOutOfRange { weeks: u32 },
    #[error(
        "a pbl hearing must last at least 6 weeks (pbl § 4-1 / § 11-14), got {weeks}; \
         a shorter period needs a written reason"
    )]
    TooShortForPbl { weeks: u32 },
    #[error("the deadline must be after the opening day")]
    DeadlineBeforeOpening,
}

impl DeadlineError {
    /// Stable code for APIs and the Fluent id suffix (`deadline-error-<code>`).
    pub fn code(&self) -> &'static str {
        match self {
            Self::WeeksOutOfRange { .. } => "weeks_out_of_range",
            Self::TooShortForPbl { .. } => "too_short_for_pbl",
            Self::DeadlineBeforeOpening => "deadline_before_opening",
        }
    }
}

/// The Europe/Oslo time zone from jiff's bundled tzdb.
pub fn oslo() -> TimeZone {
    static OSLO: LazyLock<TimeZone> = LazyLock::new(|| {
        TimeZoneDatabase::bundled()
            .get("Europe/Oslo")
            // The bundle always contains Oslo; the POSIX rule (valid since 1996) and a
            // fixed CET only exist so that a broken build cannot panic here.
            .or_else(|_| TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3"))
            .unwrap_or(TimeZone::fixed(Offset::constant(1)))
    });
    OSLO.clone()
}

/// Easter Sunday (Gregorian, anonymous "Meeus/Jones/Butcher" algorithm).
///
/// Years outside jiff's range -9999..=9999 are clamped to it.
pub fn easter_sunday(year: i16) -> Date {
    let y = i32::from(year.clamp(-9999, 9999));
    // Euclidean division keeps every intermediate value non-negative for negative years.
    let a = y.rem_euclid(19);
    let b = y.div_euclid(100);
    let c = y.rem_euclid(100);
    let d = b.div_euclid(4);
    let e = b.rem_euclid(4);
    let f = (b + 8).div_euclid(25);
    let g = (b - f + 1).div_euclid(3);
    let h = (19 * a + b - d - g + 15).rem_euclid(30);
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k).rem_euclid(7);
    let m = (a + 11 * h + 22 * l) / 451;
    // h in 0..30, l in 0..7, m in 0..=1, so n is in 107..=149: month 3 or 4 and a day
    // that exists in that month; the casts cannot truncate and `Date::new` cannot fail.
    let n = h + l - 7 * m + 114;
    Date::new(y as i16, (n / 31) as i8, (n % 31 + 1) as i8).unwrap_or(Date::MIN)
}

/// Norwegian public holidays ("helligdager" and 1 and 17 May). 24 and 31 December are
/// not public holidays.
pub fn is_public_holiday(date: Date) -> bool {
    if matches!(
        (date.month(), date.day()),
        (1, 1) | (5, 1) | (5, 17) | (12, 25) | (12, 26)
    ) {
        return true;
    }
    // Movable feasts relative to Easter Sunday: Maundy Thursday, Good Friday, Easter
    // Sunday, Easter Monday, Ascension, Whit Sunday, Whit Monday. All fall in the same
    // year as Easter, so the day-of-year difference is exact.
    let offset = date.day_of_year() - easter_sunday(date.year()).day_of_year();
    matches!(offset, -3 | -2 | 0 | 1 | 39 | 49 | 50)
}

/// Not a Saturday, a Sunday or a public holiday.
pub fn is_working_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_public_holiday(date)
}

/// `date` itself if it is a working day, otherwise the first working day after it.
///
/// At the very end of jiff's calendar (9999-12-31, a working day) there is nowhere to
/// move to; the input is then returned unchanged rather than panicking.
pub fn next_working_day_on_or_after(date: Date) -> Date {
    try_next_working_day(date).unwrap_or(date)
}

fn try_next_working_day(mut date: Date) -> Option<Date> {
    // At most five consecutive non-working days (Maundy Thursday..=Easter Monday).
    while !is_working_day(date) {
        date = date.tomorrow().ok()?;
    }
    Some(date)
}

fn at_deadline_time(date: Date) -> Option<Zoned> {
    // 23:59 is never inside a DST gap or fold in Oslo (transitions happen at 02:00-03:00).
    date.at(23, 59, 0, 0).to_zoned(oslo()).ok()
}

/// Computes the deadline for a hearing.
///
/// Checks, in order: `weeks` in 1..=52 ([`DeadlineError::WeeksOutOfRange`]), then for
/// [`HearingKind::Pbl`] at least [`PBL_MINIMUM_WEEKS`] unless `override_reason` is
/// non-blank ([`DeadlineError::TooShortForPbl`]).
///
/// Holiday warnings follow [`season_warnings`] for the period of `weeks` weeks.
pub fn compute_deadline(req: &DeadlineRequest) -> Result<Deadline, DeadlineError> {
    let weeks = req.weeks;
    if !(1..=MAX_WEEKS).contains(&weeks) {
        return Err(DeadlineError::WeeksOutOfRange { weeks });
    }
    let override_reason = match req.kind {
        HearingKind::Pbl if weeks < PBL_MINIMUM_WEEKS => {
            let reason = req
                .override_reason
                .as_deref()
                .map(str::trim)
                .filter(|r| !r.is_empty())
                .ok_or(DeadlineError::TooShortForPbl { weeks })?;
            Some(reason.to_owned())
        }
        _ => None,
    };

    let out_of_range = DeadlineError::WeeksOutOfRange { weeks };
    let raw = req
        .opens
        .checked_add(i64::from(weeks).weeks())
        .map_err(|_| out_of_range.clone())?;
    let date = try_next_working_day(raw).ok_or(out_of_range.clone())?;
    let deadline = at_deadline_time(date).ok_or(out_of_range)?;

    let mut warnings = Vec::new();
    if date != raw {
        warnings.push(DeadlineWarning {
            code: WarningCode::MovedFromNonWorkingDay,
            suggested_deadline: None,
        });
    }
    if override_reason.is_some() {
        warnings.push(DeadlineWarning {
            code: WarningCode::ShortPeriodOverridden,
            suggested_deadline: None,
        });
    }
    warnings.extend(season_warnings(req.opens, date, weeks));

    Ok(Deadline {
        opens: req.opens,
        weeks,
        deadline,
        warnings,
        override_reason,
    })
}

/// Holiday warnings for a period of `weeks` weeks from `opens` to `deadline` (also a
/// stored hearing whose deadline was chosen as a date or extended).
///
/// The period is the closed range [opening date, deadline date]. Holiday days are the
/// calendar days it shares with Easter (Maundy Thursday..=Easter Monday), the summer
/// holiday (1..=31 July) and Christmas (24 December..=1 January). The period holds
/// `deadline - opens - holiday days` ordinary days; when that is at least
/// `7 × weeks` the holidays are compensated and nothing is said. Otherwise each
/// season the period touches gets a warning, all with the same suggested deadline:
/// the first day on which the ordinary days reach `7 × weeks`, moved to the next
/// working day, at 23:59. Following the suggestion clears the warnings, because a
/// later day never has fewer ordinary days.
pub fn season_warnings(opens: Date, deadline: Date, weeks: u32) -> Vec<DeadlineWarning> {
    let required = i64::from(weeks) * 7;
    if ordinary_days(opens, deadline) >= required {
        return Vec::new();
    }
    let suggested = compensated_deadline(opens, deadline, required);
    SEASONS
        .into_iter()
        .filter(|season| overlap_days(*season, opens, deadline) > 0)
        .map(|season| DeadlineWarning {
            code: season,
            suggested_deadline: suggested.clone(),
        })
        .collect()
}

const SEASONS: [WarningCode; 3] = [
    WarningCode::OverlapsEaster,
    WarningCode::OverlapsSummer,
    WarningCode::OverlapsChristmas,
];

/// Days of the period [opens, end] outside Easter, July and Christmas, counted as
/// the period's length (`end - opens`) less the holiday days inside it.
pub fn ordinary_days(opens: Date, end: Date) -> i64 {
    let length = opens
        .until(end)
        .map_or(0, |span| i64::from(span.get_days()));
    let holidays: i64 = SEASONS
        .into_iter()
        .map(|season| overlap_days(season, opens, end))
        .sum();
    length - holidays
}

/// The first deadline, on or after `from`, whose period holds `required` ordinary days.
fn compensated_deadline(opens: Date, from: Date, required: i64) -> Option<Zoned> {
    let mut day = from;
    // Each day adds one ordinary day or one holiday day, and no year holds more than
    // about 45 holiday days, so this ends within `required` plus a few weeks.
    while ordinary_days(opens, day) < required {
        day = day.checked_add(1.days()).ok()?;
    }
    at_deadline_time(try_next_working_day(day)?)
}

/// A deadline on a chosen day instead of a number of weeks: at 23:59 on that day, or
/// on the next working day. A pbl hearing must still last six weeks unless a reason
/// is given.
///
/// `weeks` is the number of weeks the period stands for (a period of N weeks whose
/// deadline was moved later to make up for holidays); without it, the whole weeks
/// between the opening day and the requested day.
pub fn deadline_on(
    opens: Date,
    requested: Date,
    kind: HearingKind,
    override_reason: Option<&str>,
    planned_weeks: Option<u32>,
) -> Result<Deadline, DeadlineError> {
    if requested <= opens {
        return Err(DeadlineError::DeadlineBeforeOpening);
    }
    let days = (requested - opens).get_days();
    let weeks = u32::try_from(days / 7).unwrap_or(u32::MAX);
    if days > i32::try_from(MAX_WEEKS * 7).unwrap_or(i32::MAX) {
        return Err(DeadlineError::WeeksOutOfRange { weeks });
    }
    let reason = override_reason.map(str::trim).filter(|r| !r.is_empty());
    let short = days < i32::try_from(PBL_MINIMUM_WEEKS * 7).unwrap_or(42);
    let override_reason = match kind {
        HearingKind::Pbl if short => Some(
            reason
                .ok_or(DeadlineError::TooShortForPbl { weeks })?
                .to_owned(),
        ),
        _ => None,
    };
    let out_of_range = DeadlineError::WeeksOutOfRange { weeks };
    let date = try_next_working_day(requested).ok_or(out_of_range.clone())?;
    let deadline = at_deadline_time(date).ok_or(out_of_range)?;
    let mut warnings = Vec::new();
    if date != requested {
        warnings.push(DeadlineWarning {
            code: WarningCode::MovedFromNonWorkingDay,
            suggested_deadline: None,
        });
    }
    if override_reason.is_some() {
        warnings.push(DeadlineWarning {
            code: WarningCode::ShortPeriodOverridden,
            suggested_deadline: None,
        });
    }
    let weeks = planned_weeks.unwrap_or(weeks);
    warnings.extend(season_warnings(opens, date, weeks));
    Ok(Deadline {
        opens,
        weeks,
        deadline,
        warnings,
        override_reason,
    })
}

/// The occurrence of `season` that starts in `year`, as a closed date range.
fn season_window(season: WarningCode, year: i16) -> Option<(Date, Date)> {
    match season {
        WarningCode::OverlapsEaster => {
            let easter = easter_sunday(year);
            let start = easter.checked_sub(3.days()).ok()?;
            let end = easter.checked_add(1.days()).ok()?;
            Some((start, end))
        }
        WarningCode::OverlapsSummer => {
            Some((Date::new(year, 7, 1).ok()?, Date::new(year, 7, 31).ok()?))
        }
        WarningCode::OverlapsChristmas => Some((
            Date::new(year, 12, 24).ok()?,
            Date::new(year.checked_add(1)?, 1, 1).ok()?,
        )),
        WarningCode::MovedFromNonWorkingDay | WarningCode::ShortPeriodOverridden => None,
    }
}

/// Calendar days that [start, end] shares with all occurrences of `season`.
fn overlap_days(season: WarningCode, start: Date, end: Date) -> i64 {
    // Christmas starting the year before `start` can reach into it (1 January).
    let first_year = i32::from(start.year()) - 1;
    let last_year = i32::from(end.year());
    (first_year..=last_year)
        .filter_map(|year| i16::try_from(year).ok())
        .filter_map(|year| season_window(season, year))
        .map(|(from, to)| {
            let lo = from.max(start);
            let hi = to.min(end);
            if lo > hi {
                return 0;
            }
            lo.until(hi)
                .map_or(0, |span| i64::from(span.get_days()) + 1)
        })
        .sum()
}

/// Formats as "YYYY-MM-DDTHH:MM:SS+HH:MM" (RFC 3339 with numeric offset, no zone name).
pub fn format_rfc3339(z: &Zoned) -> String {
    let offset = z.offset().seconds();
    let sign = if offset < 0 { '-' } else { '+' };
    let abs = offset.unsigned_abs();
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
        z.year(),
        z.month(),
        z.day(),
        z.hour(),
        z.minute(),
        z.second(),
        abs / 3600,
        abs % 3600 / 60,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    fn req(opens: Date, weeks: u32, kind: HearingKind) -> DeadlineRequest {
        DeadlineRequest {
            opens,
            weeks,
            kind,
            override_reason: None,
        }
    }

    fn codes(d: &Deadline) -> Vec<WarningCode> {
        d.warnings.iter().map(|w| w.code).collect()
    }

    fn suggestion(d: &Deadline, code: WarningCode) -> Option<String> {
        d.warnings
            .iter()
            .find(|w| w.code == code)
            .and_then(|w| w.suggested_deadline.as_ref())
            .map(format_rfc3339)
    }

    #[test]
    fn hole_example_six_weeks_over_easter() {
        let d = compute_deadline(&req(date(2024, 3, 22), 6, HearingKind::Pbl)).unwrap();
        assert!(is_working_day(date(2024, 5, 3)));
        assert_eq!(format_rfc3339(&d.deadline), "2024-05-03T23:59:00+02:00");
        assert_eq!(codes(&d), vec![WarningCode::OverlapsEaster]);
        // 42 days less 5 Easter days leave 37 ordinary days; 5 more days make 42.
        assert_eq!(
            suggestion(&d, WarningCode::OverlapsEaster).as_deref(),
            Some("2024-05-08T23:59:00+02:00")
        );
        assert_eq!(d.override_reason, None);
        assert_eq!((d.opens, d.weeks), (date(2024, 3, 22), 6));
    }

    #[test]
    fn easter_sunday_known_years() {
        let known = [
            date(1818, 3, 22), // earliest possible
            date(1943, 4, 25), // latest possible
            date(2000, 4, 23),
            date(2019, 4, 21),
            date(2024, 3, 31),
            date(2025, 4, 20),
            date(2026, 4, 5),
            date(2027, 3, 28),
            date(2028, 4, 16),
            date(2029, 4, 1),
            date(2030, 4, 21),
            date(2038, 4, 25),
            date(2285, 3, 22),
        ];
        for e in known {
            assert_eq!(easter_sunday(e.year()), e, "year {}", e.year());
        }
    }

    #[test]
    fn easter_sunday_never_panics_on_any_year() {
        for year in i16::MIN..=i16::MAX {
            let e = easter_sunday(year);
            assert_eq!(e.weekday(), Weekday::Sunday, "year {year}");
        }
    }

    /// Public holidays written out by hand from the calendar (movable feasts derived
    /// from the Easter Sundays listed in `easter_sunday_known_years`).
    #[test]
    fn public_holidays_2024_to_2030() {
        #[rustfmt::skip]
        let table: [(i16, [Date; 12], usize); 7] = [
            (2024, [date(2024, 1, 1), date(2024, 3, 28), date(2024, 3, 29), date(2024, 3, 31),
                    date(2024, 4, 1), date(2024, 5, 1), date(2024, 5, 17), date(2024, 5, 9),
                    date(2024, 5, 19), date(2024, 5, 20), date(2024, 12, 25), date(2024, 12, 26)], 12),
            (2025, [date(2025, 1, 1), date(2025, 4, 17), date(2025, 4, 18), date(2025, 4, 20),
                    date(2025, 4, 21), date(2025, 5, 1), date(2025, 5, 17), date(2025, 5, 29),
                    date(2025, 6, 8), date(2025, 6, 9), date(2025, 12, 25), date(2025, 12, 26)], 12),
            (2026, [date(2026, 1, 1), date(2026, 4, 2), date(2026, 4, 3), date(2026, 4, 5),
                    date(2026, 4, 6), date(2026, 5, 1), date(2026, 5, 17), date(2026, 5, 14),
                    date(2026, 5, 24), date(2026, 5, 25), date(2026, 12, 25), date(2026, 12, 26)], 12),
            // Whit Monday is 17 May in 2027.
            (2027, [date(2027, 1, 1), date(2027, 3, 25), date(2027, 3, 26), date(2027, 3, 28),
                    date(2027, 3, 29), date(2027, 5, 1), date(2027, 5, 17), date(2027, 5, 6),
                    date(2027, 5, 16), date(2027, 5, 17), date(2027, 12, 25), date(2027, 12, 26)], 11),
            (2028, [date(2028, 1, 1), date(2028, 4, 13), date(2028, 4, 14), date(2028, 4, 16),
                    date(2028, 4, 17), date(2028, 5, 1), date(2028, 5, 17), date(2028, 5, 25),
                    date(2028, 6, 4), date(2028, 6, 5), date(2028, 12, 25), date(2028, 12, 26)], 12),
            (2029, [date(2029, 1, 1), date(2029, 3, 29), date(2029, 3, 30), date(2029, 4, 1),
                    date(2029, 4, 2), date(2029, 5, 1), date(2029, 5, 17), date(2029, 5, 10),
                    date(2029, 5, 20), date(2029, 5, 21), date(2029, 12, 25), date(2029, 12, 26)], 12),
            (2030, [date(2030, 1, 1), date(2030, 4, 18), date(2030, 4, 19), date(2030, 4, 21),
                    date(2030, 4, 22), date(2030, 5, 1), date(2030, 5, 17), date(2030, 5, 30),
                    date(2030, 6, 9), date(2030, 6, 10), date(2030, 12, 25), date(2030, 12, 26)], 12),
        ];
        for (year, holidays, distinct) in table {
            let expected: BTreeSet<Date> = holidays.into_iter().collect();
            assert_eq!(expected.len(), distinct, "literal table for {year}");
            for h in &expected {
                assert_eq!(h.year(), year);
                assert!(is_public_holiday(*h), "{h} should be a holiday");
                assert!(!is_working_day(*h), "{h} should not be a working day");
            }
            let actual: BTreeSet<Date> = date(year, 1, 1)
                .series(1.day())
                .take_while(|d| d.year() == year)
                .filter(|d| is_public_holiday(*d))
                .collect();
            assert_eq!(actual, expected, "holidays in {year}");
        }
        // Christmas Eve and New Year's Eve are ordinary days.
        assert!(!is_public_holiday(date(2024, 12, 24)));
        assert!(!is_public_holiday(date(2024, 12, 31)));
    }

    #[test]
    fn working_days() {
        assert!(is_working_day(date(2024, 5, 3))); // Friday
        assert!(!is_working_day(date(2024, 5, 4))); // Saturday
        assert!(!is_working_day(date(2024, 5, 5))); // Sunday
        assert_eq!(
            next_working_day_on_or_after(date(2024, 5, 3)),
            date(2024, 5, 3)
        );
        assert_eq!(
            next_working_day_on_or_after(date(2024, 3, 28)),
            date(2024, 4, 2)
        );
        assert_eq!(next_working_day_on_or_after(Date::MAX), Date::MAX);
    }

    #[test]
    fn seventeenth_of_may_chains_into_whitsun() {
        // Fri 17 May 2024, weekend (Sun = Whit Sunday), Whit Monday -> Tue 21 May.
        let d = compute_deadline(&req(date(2024, 4, 5), 6, HearingKind::Pbl)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2024-05-21T23:59:00+02:00");
        assert_eq!(codes(&d), vec![WarningCode::MovedFromNonWorkingDay]);
        assert_eq!(d.warnings[0].suggested_deadline, None);
    }

    #[test]
    fn seventeenth_of_may_midweek_moves_one_day() {
        // Wed 17 May 2028 -> Thu 18 May; the period also covers Easter 2028.
        let d = compute_deadline(&req(date(2028, 4, 5), 6, HearingKind::Pbl)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2028-05-18T23:59:00+02:00");
        assert_eq!(
            codes(&d),
            vec![
                WarningCode::MovedFromNonWorkingDay,
                WarningCode::OverlapsEaster
            ]
        );
        // 43 days less 5 Easter days: 4 more ordinary days are needed.
        assert_eq!(
            suggestion(&d, WarningCode::OverlapsEaster).as_deref(),
            Some("2028-05-22T23:59:00+02:00")
        );
    }

    #[test]
    fn saturday_moves_to_monday() {
        let d = compute_deadline(&req(date(2024, 8, 3), 6, HearingKind::Pbl)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2024-09-16T23:59:00+02:00");
        assert_eq!(codes(&d), vec![WarningCode::MovedFromNonWorkingDay]);
    }

    #[test]
    fn christmas_day_chain() {
        // Wed 25 Dec, Thu 26 Dec -> Fri 27 Dec 2024; the rest of Christmas (to 1 January)
        // adds no ordinary days, so the period holds 42 of them on Friday 3 January.
        let d = compute_deadline(&req(date(2024, 11, 13), 6, HearingKind::Pbl)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2024-12-27T23:59:00+01:00");
        assert_eq!(
            codes(&d),
            vec![
                WarningCode::MovedFromNonWorkingDay,
                WarningCode::OverlapsChristmas
            ]
        );
        assert_eq!(
            suggestion(&d, WarningCode::OverlapsChristmas).as_deref(),
            Some("2025-01-03T23:59:00+01:00")
        );
    }

    #[test]
    fn christmas_eve_saturday_chain() {
        // Sat 24 Dec, Sun 25 Dec, Mon 26 Dec 2022 -> Tue 27 Dec.
        let d = compute_deadline(&req(date(2022, 11, 12), 6, HearingKind::Pbl)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2022-12-27T23:59:00+01:00");
        assert_eq!(
            suggestion(&d, WarningCode::OverlapsChristmas).as_deref(),
            Some("2023-01-02T23:59:00+01:00")
        );
    }

    #[test]
    fn new_years_eve_sunday_chain_into_new_year() {
        // Sun 31 Dec 2023, Mon 1 Jan 2024 -> Tue 2 Jan; 24 Dec..=1 Jan is 9 days, so
        // 44 days hold 35 ordinary ones and 7 more are needed.
        let d = compute_deadline(&req(date(2023, 11, 19), 6, HearingKind::Pbl)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2024-01-02T23:59:00+01:00");
        assert_eq!(
            codes(&d),
            vec![
                WarningCode::MovedFromNonWorkingDay,
                WarningCode::OverlapsChristmas
            ]
        );
        assert_eq!(
            suggestion(&d, WarningCode::OverlapsChristmas).as_deref(),
            Some("2024-01-09T23:59:00+01:00")
        );
    }

    #[test]
    fn opening_on_new_years_day_overlaps_previous_christmas() {
        // 1 Jan 2025 is both a holiday and the last day of Christmas 2024.
        let d = compute_deadline(&req(date(2025, 1, 1), 6, HearingKind::Pbl)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2025-02-12T23:59:00+01:00");
        assert_eq!(codes(&d), vec![WarningCode::OverlapsChristmas]);
        assert_eq!(
            suggestion(&d, WarningCode::OverlapsChristmas).as_deref(),
            Some("2025-02-13T23:59:00+01:00")
        );
    }

    #[test]
    fn summer_overlap_is_made_up_day_for_day() {
        // All 31 days of July: the period needs 31 more ordinary days.
        let d = compute_deadline(&req(date(2024, 6, 10), 8, HearingKind::Pbl)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2024-08-05T23:59:00+02:00");
        assert_eq!(codes(&d), vec![WarningCode::OverlapsSummer]);
        assert_eq!(
            suggestion(&d, WarningCode::OverlapsSummer).as_deref(),
            Some("2024-09-05T23:59:00+02:00")
        );
    }

    #[test]
    fn year_long_period_touches_every_season() {
        let d = compute_deadline(&req(date(2024, 12, 31), 52, HearingKind::Other)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2025-12-30T23:59:00+01:00");
        assert_eq!(
            codes(&d),
            vec![
                WarningCode::OverlapsEaster,
                WarningCode::OverlapsSummer,
                WarningCode::OverlapsChristmas
            ]
        );
        // 2 + 5 + 31 + 7 = 45 holiday days, made up after Christmas 2025; Sunday 15
        // February moves to Monday.
        assert_eq!(
            suggestion(&d, WarningCode::OverlapsChristmas).as_deref(),
            Some("2026-02-16T23:59:00+01:00")
        );
    }

    #[test]
    fn winter_time_offset() {
        let d = compute_deadline(&req(date(2024, 1, 8), 6, HearingKind::Pbl)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2024-02-19T23:59:00+01:00");
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn weeks_out_of_range() {
        for weeks in [0, 53, u32::MAX] {
            for kind in [HearingKind::Pbl, HearingKind::Other] {
                let err = compute_deadline(&req(date(2024, 1, 8), weeks, kind)).unwrap_err();
                assert_eq!(err, DeadlineError::WeeksOutOfRange { weeks });
                assert_eq!(err.code(), "weeks_out_of_range");
            }
        }
    }

    #[test]
    fn end_of_calendar_is_an_error_not_a_panic() {
        let err = compute_deadline(&req(date(9999, 12, 1), 6, HearingKind::Pbl)).unwrap_err();
        assert_eq!(err, DeadlineError::WeeksOutOfRange { weeks: 6 });
    }

    #[test]
    fn short_pbl_without_reason_is_refused() {
        for reason in [None, Some(String::new()), Some(" \t\n".to_owned())] {
            let r = DeadlineRequest {
                override_reason: reason,
                ..req(date(2024, 1, 8), 5, HearingKind::Pbl)
            };
            let err = compute_deadline(&r).unwrap_err();
            assert_eq!(err, DeadlineError::TooShortForPbl { weeks: 5 });
            assert_eq!(err.code(), "too_short_for_pbl");
        }
    }

    #[test]
    fn short_pbl_with_reason_is_overridden() {
        let r = DeadlineRequest {
            override_reason: Some("  Mindre endring, avklart med kommunedirektøren ".into()),
            ..req(date(2024, 1, 8), 5, HearingKind::Pbl)
        };
        let d = compute_deadline(&r).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2024-02-12T23:59:00+01:00");
        assert_eq!(codes(&d), vec![WarningCode::ShortPeriodOverridden]);
        assert_eq!(
            d.override_reason.as_deref(),
            Some("Mindre endring, avklart med kommunedirektøren")
        );
    }

    #[test]
    fn six_week_pbl_ignores_reason() {
        let r = DeadlineRequest {
            override_reason: Some("unødvendig".into()),
            ..req(date(2024, 1, 8), PBL_MINIMUM_WEEKS, HearingKind::Pbl)
        };
        let d = compute_deadline(&r).unwrap();
        assert_eq!(d.override_reason, None);
        assert!(d.warnings.is_empty());
    }

    #[test]
    fn short_other_needs_no_reason() {
        let d = compute_deadline(&req(date(2024, 1, 8), 3, HearingKind::Other)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2024-01-29T23:59:00+01:00");
        assert!(d.warnings.is_empty());
        assert_eq!(d.override_reason, None);
        let one = compute_deadline(&req(date(2024, 1, 8), 1, HearingKind::Other)).unwrap();
        assert_eq!(format_rfc3339(&one.deadline), "2024-01-15T23:59:00+01:00");
    }

    #[test]
    fn codes_match_serde() {
        for code in [
            WarningCode::MovedFromNonWorkingDay,
            WarningCode::OverlapsEaster,
            WarningCode::OverlapsSummer,
            WarningCode::OverlapsChristmas,
            WarningCode::ShortPeriodOverridden,
        ] {
            let json = serde_json::to_string(&code).unwrap();
            assert_eq!(json, format!("\"{}\"", code.as_str()));
        }
        assert_eq!(serde_json::to_string(&HearingKind::Pbl).unwrap(), "\"pbl\"");
        let kind: HearingKind = serde_json::from_str("\"other\"").unwrap();
        assert_eq!(kind, HearingKind::Other);
    }

    #[test]
    fn oslo_is_the_named_zone() {
        assert_eq!(oslo().iana_name(), Some("Europe/Oslo"));
    }

    /// Day of week with 0 = Sunday (Sakamoto), independent of jiff.
    fn weekday_sunday0(mut y: i32, m: usize, d: i32) -> i32 {
        const T: [i32; 12] = [0, 3, 2, 5, 0, 3, 5, 1, 4, 6, 2, 4];
        if m < 3 {
            y -= 1;
        }
        (y + y / 4 - y / 100 + y / 400 + T[m - 1] + d) % 7
    }

    /// EU rule since 1996: summer time from the last Sunday of March 01:00 UTC to the
    /// last Sunday of October 01:00 UTC. At 23:59 local, the switch days themselves are
    /// already on the new offset.
    fn expected_offset_seconds(d: Date) -> i32 {
        let y = i32::from(d.year());
        let last_sunday = |m: usize| 31 - weekday_sunday0(y, m, 31);
        let md = (i32::from(d.month()), i32::from(d.day()));
        let summer = md >= (3, last_sunday(3)) && md < (10, last_sunday(10));
        if summer { 7200 } else { 3600 }
    }

    #[test]
    fn offset_oracle_matches_known_switch_days() {
        // 2024: 31 March and 27 October.
        assert_eq!(expected_offset_seconds(date(2024, 3, 30)), 3600);
        assert_eq!(expected_offset_seconds(date(2024, 3, 31)), 7200);
        assert_eq!(expected_offset_seconds(date(2024, 10, 26)), 7200);
        assert_eq!(expected_offset_seconds(date(2024, 10, 27)), 3600);
    }

    proptest! {
        #[test]
        fn deadline_invariants(
            day in 0i64..36525, // 2000-01-01 ..= 2099-12-31
            weeks in 6u32..=52,
            pbl in any::<bool>(),
        ) {
            let opens = date(2000, 1, 1).checked_add(day.days()).unwrap();
            let kind = if pbl { HearingKind::Pbl } else { HearingKind::Other };
            let d = compute_deadline(&req(opens, weeks, kind)).unwrap();
            let raw = opens.checked_add((i64::from(weeks) * 7).days()).unwrap();
            let got = d.deadline.date();

            prop_assert!(!matches!(got.weekday(), Weekday::Saturday | Weekday::Sunday));
            prop_assert!(!is_public_holiday(got));
            prop_assert!(got >= raw);
            // Longest run of non-working days is Maundy Thursday..=Easter Monday.
            prop_assert!(got <= raw.checked_add(5.days()).unwrap());
            prop_assert_eq!(got == raw, !codes(&d).contains(&WarningCode::MovedFromNonWorkingDay));
            prop_assert_eq!(d.deadline.time(), jiff::civil::time(23, 59, 0, 0));
            prop_assert_eq!(d.deadline.offset().seconds(), expected_offset_seconds(got));
            prop_assert_eq!(&d.override_reason, &None);

            for w in &d.warnings {
                match w.code {
                    WarningCode::MovedFromNonWorkingDay | WarningCode::ShortPeriodOverridden => {
                        prop_assert_eq!(&w.suggested_deadline, &None);
                    }
                    _ => {
                        let s = w.suggested_deadline.as_ref().unwrap();
                        prop_assert!(s.date() > got);
                        prop_assert!(is_working_day(s.date()));
                        prop_assert_eq!(s.time(), jiff::civil::time(23, 59, 0, 0));
                        // The suggested period makes up for the holidays: no warning.
                        prop_assert!(ordinary_days(opens, s.date()) >= i64::from(weeks) * 7);
                        prop_assert!(season_warnings(opens, s.date(), weeks).is_empty());
                    }
                }
            }
            // Every period covering a whole July must warn about summer (a period that
            // only touches it, say a deadline moved to Monday 1 July, may be made up
            // for by the days it was moved).
            let (july, july_end) = (date(opens.year(), 7, 1), date(opens.year(), 7, 31));
            if opens <= july && got >= july_end {
                prop_assert!(codes(&d).contains(&WarningCode::OverlapsSummer));
            }
        }
    }

    #[test]
    fn deadline_on_a_chosen_day() {
        // Saturday 4 May 2024 moves to Monday 6 May.
        let d = deadline_on(
            date(2024, 3, 22),
            date(2024, 5, 4),
            HearingKind::Pbl,
            None,
            None,
        )
        .unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2024-05-06T23:59:00+02:00");
        assert!(codes(&d).contains(&WarningCode::MovedFromNonWorkingDay));
        assert!(codes(&d).contains(&WarningCode::OverlapsEaster));
        assert_eq!(
            deadline_on(
                date(2024, 3, 22),
                date(2024, 3, 22),
                HearingKind::Other,
                None,
                None
            ),
            Err(DeadlineError::DeadlineBeforeOpening)
        );
        assert_eq!(
            deadline_on(
                date(2024, 3, 22),
                date(2024, 4, 26),
                HearingKind::Pbl,
                None,
                None
            ),
            Err(DeadlineError::TooShortForPbl { weeks: 5 })
        );
        let overridden = deadline_on(
            date(2024, 3, 22),
            date(2024, 4, 26),
            HearingKind::Pbl,
            Some("Hast"),
            None,
        )
        .unwrap();
        assert_eq!(overridden.override_reason.as_deref(), Some("Hast"));
        assert!(
            deadline_on(
                date(2024, 1, 1),
                date(2025, 6, 1),
                HearingKind::Other,
                None,
                None
            )
            .is_err()
        );
    }

    #[test]
    fn season_warnings_for_a_stored_period() {
        let w = season_warnings(date(2024, 6, 1), date(2024, 8, 30), 12);
        assert_eq!(w.len(), 1);
        assert_eq!(w[0].code, WarningCode::OverlapsSummer);
        assert!(season_warnings(date(2024, 9, 2), date(2024, 10, 14), 6).is_empty());
        // The same 90 days stand for a shorter period with July made up: no warning.
        assert!(season_warnings(date(2024, 6, 1), date(2024, 8, 30), 8).is_empty());
    }

    #[test]
    fn following_the_suggestion_clears_the_warning() {
        // Eight weeks from 1 December 2026 run over Christmas (9 holiday days).
        let d = compute_deadline(&req(date(2026, 12, 1), 8, HearingKind::Pbl)).unwrap();
        assert_eq!(format_rfc3339(&d.deadline), "2027-01-26T23:59:00+01:00");
        let suggested = suggestion(&d, WarningCode::OverlapsChristmas).expect("suggested");
        assert_eq!(suggested, "2027-02-04T23:59:00+01:00");
        let followed = deadline_on(
            date(2026, 12, 1),
            date(2027, 2, 4),
            HearingKind::Pbl,
            None,
            Some(8),
        )
        .unwrap();
        assert_eq!(codes(&followed), Vec::<WarningCode>::new());
        // One day earlier still falls short.
        let short = deadline_on(
            date(2026, 12, 1),
            date(2027, 2, 3),
            HearingKind::Pbl,
            None,
            Some(8),
        )
        .unwrap();
        assert_eq!(codes(&short), vec![WarningCode::OverlapsChristmas]);
    }
}
