#!/usr/bin/env python3
"""Reads iCalendar files with the Python `icalendar` package, an independent parser,
and prints what the end-to-end test compares: one JSON object per file with the
calendar's METHOD and time zone definitions, and its one event's UID, SEQUENCE,
STATUS, SUMMARY, LOCATION, start and end in UTC, the start's TZID and the attendees
with their PARTSTAT.

Usage: check_ics.py FILE.ics...
Exits 1 with the reason when a file does not parse or holds not exactly one event.
"""
import json
import sys

try:
    import icalendar  # Debian: python3-icalendar
except ImportError:
    sys.exit("the icalendar package is missing: apt-get install python3-icalendar "
             "(or pip install --break-system-packages icalendar)")


def utc(value):
    moment = value.dt
    if moment.tzinfo is None:
        raise ValueError(f"a floating time without a zone: {moment}")
    return moment.astimezone(__import__("datetime").timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def describe(path):
    with open(path, "rb") as f:
        calendar = icalendar.Calendar.from_ical(f.read())
    events = [c for c in calendar.walk() if c.name == "VEVENT"]
    if len(events) != 1:
        raise ValueError(f"{len(events)} events")
    event = events[0]
    attendees = event.get("ATTENDEE", [])
    if not isinstance(attendees, list):
        attendees = [attendees]
    start = event.get("DTSTART")
    return {
        "method": str(calendar.get("METHOD", "")),
        "version": str(calendar.get("VERSION", "")),
        "uid": str(event.get("UID")),
        "sequence": int(event.get("SEQUENCE", 0)),
        "status": str(event.get("STATUS", "")),
        "summary": str(event.get("SUMMARY", "")),
        "location": str(event.get("LOCATION", "")),
        "start": utc(event.get("DTSTART")),
        "end": utc(event.get("DTEND")),
        "tzid": str(start.params.get("TZID", "")),
        "timezones": [str(c.get("TZID")) for c in calendar.walk() if c.name == "VTIMEZONE"],
        "attendees": [
            {
                "email": str(a),
                "cn": str(a.params.get("CN", "")),
                "partstat": str(a.params.get("PARTSTAT", "")),
            }
            for a in attendees
        ],
    }


def main():
    if len(sys.argv) < 2:
        sys.exit("usage: check_ics.py FILE.ics...")
    out = []
    for path in sys.argv[1:]:
        try:
            out.append(describe(path))
        except Exception as e:  # noqa: BLE001 - any failure is the answer
            sys.exit(f"{path}: {e}")
    print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main()
