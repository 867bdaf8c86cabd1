"""Checks the emails the notification worker sent, independently of Rust's parsers.

Usage: check_mime.py DIR KIND...

DIR holds one file per message, KIND.LANG.eml for every kind given and every
language (nn, nb, en), and injection.eml, whose display name and subject were
given with CR/LF and a header after them. A KIND written +KIND can be turned off:
its emails carry the one-click unsubscribe headers (RFC 8058) and the same link in
the footer of the text and the HTML; the others carry neither. Prints "ok" or fails
with the reasons.
"""

import email
import html
import email.policy
import os
import sys

LANGS = ("nn", "nb", "en")


def check_calendar(name, part, problems):
    """A calendar attachment: UTF-8 iCalendar whose METHOD matches its MIME type's."""
    if part.get_content_charset() != "utf-8":
        problems.append(f"{name}: the calendar is in {part.get_content_charset()}")
    method = part.get_param("method")
    if method not in ("REQUEST", "CANCEL"):
        problems.append(f"{name}: the calendar's method is {method}")
    if not (part.get_filename() or "").endswith(".ics"):
        problems.append(f"{name}: the calendar file is not named .ics")
    try:
        text = part.get_payload(decode=True).decode("utf-8")
    except (UnicodeDecodeError, AttributeError) as e:
        problems.append(f"{name}: the calendar is not UTF-8: {e}")
        return
    lines = text.splitlines()
    if not lines or lines[0] != "BEGIN:VCALENDAR":
        problems.append(f"{name}: the calendar does not begin with BEGIN:VCALENDAR")
    if f"METHOD:{method}" not in lines:
        problems.append(f"{name}: the calendar does not say METHOD:{method}")


def parts_of(path, problems, with_calendar=False):
    with open(path, "rb") as f:
        raw = f.read()
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    name = os.path.basename(path)
    if msg.defects:
        problems.append(f"{name}: defects {msg.defects}")
    body = msg
    if msg.get_content_type() == "multipart/mixed":
        # A letter with a calendar file: the alternatives, then the attachment.
        parts = list(msg.iter_parts())
        alternatives = [p for p in parts if p.get_content_type() == "multipart/alternative"]
        calendars = [p for p in parts if p.get_content_type() == "text/calendar"]
        if len(alternatives) != 1 or len(calendars) != 1 or len(parts) != 2:
            problems.append(f"{name}: multipart/mixed is not one letter and one calendar")
        if alternatives:
            body = alternatives[0]
        for calendar in calendars:
            check_calendar(name, calendar, problems)
    elif with_calendar:
        problems.append(f"{name}: is {msg.get_content_type()} without a calendar file")
    if body.get_content_type() != "multipart/alternative":
        problems.append(f"{name}: is {body.get_content_type()}, not multipart/alternative")
    subject = str(msg.get("Subject", "")).strip()
    if not subject:
        problems.append(f"{name}: empty subject")
    texts = {}
    for part in body.iter_parts() if body.is_multipart() else []:
        if part.defects:
            problems.append(f"{name}: part defects {part.defects}")
        kind = part.get_content_type()
        if part.get_content_charset() not in ("utf-8", "us-ascii"):
            problems.append(f"{name}: {kind} in {part.get_content_charset()}")
        try:
            payload = part.get_payload(decode=True)
            texts[kind] = payload.decode("utf-8")
        except (UnicodeDecodeError, AttributeError) as e:
            problems.append(f"{name}: {kind} is not UTF-8: {e}")
    for kind in ("text/plain", "text/html"):
        if not texts.get(kind, "").strip():
            problems.append(f"{name}: no {kind} part")
    return msg, subject, texts


def check_unsubscribe(name, msg, texts, optional, problems):
    header = msg.get("List-Unsubscribe")
    post = msg.get("List-Unsubscribe-Post")
    if not optional:
        if header is not None or post is not None:
            problems.append(f"{name}: cannot be turned off but has List-Unsubscribe")
        return
    if header is None or not str(header).startswith("<https://"):
        problems.append(f"{name}: no HTTPS List-Unsubscribe: {header!r}")
        return
    if str(post) != "List-Unsubscribe=One-Click":
        problems.append(f"{name}: List-Unsubscribe-Post is {post!r}")
    link = str(header).strip("<>")
    if link not in texts.get("text/plain", ""):
        problems.append(f"{name}: the unsubscribe link is not in the text")
    if f'href="{link}"' not in html.unescape(texts.get("text/html", "")):
        problems.append(f"{name}: the unsubscribe link is not in the HTML")


def main():
    if len(sys.argv) < 3:
        sys.exit("usage: check_mime.py DIR KIND...")
    folder, kinds = sys.argv[1], sys.argv[2:]
    problems = []
    for given in kinds:
        optional = given.startswith("+")
        kind = given.lstrip("+")
        seen = {}
        for lang in LANGS:
            path = os.path.join(folder, f"{kind}.{lang}.eml")
            if not os.path.exists(path):
                problems.append(f"{kind}.{lang}.eml: missing")
                continue
            # Workshop letters carry the event as a calendar file.
            msg, subject, texts = parts_of(path, problems, kind.startswith("workshop_"))
            check_unsubscribe(os.path.basename(path), msg, texts, optional, problems)
            seen[lang] = (subject, texts.get("text/plain"), texts.get("text/html"))
        for i, a in enumerate(LANGS):
            for b in LANGS[i + 1:]:
                if a in seen and b in seen:
                    # Nynorsk and bokmål may share a subject; the letters differ.
                    for n, what in ((1, "text"), (2, "HTML")):
                        if seen[a][n] == seen[b][n]:
                            problems.append(f"{kind}: the {what} is the same in {a} and {b}")
    injected = os.path.join(folder, "injection.eml")
    msg, subject, _ = parts_of(injected, problems)
    for header in ("Bcc", "X-Injected"):
        if msg.get(header) is not None:
            problems.append(f"injection.eml: a {header} header was added")
    for header in ("From", "Subject"):
        if len(msg.get_all(header) or []) != 1:
            problems.append(f"injection.eml: {header} is not one header")
    if "\r" in subject or "\n" in subject:
        problems.append("injection.eml: the subject keeps a line break")
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
