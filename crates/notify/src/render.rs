//! Renders an email in its recipient's language as a letter from the municipality:
//! a greeting, the content, the contact person's signature and the case number, as
//! plain text and as HTML (a template with every value escaped).
//!
//! Each kind of email becomes a list of [`Block`]s once; the text and the HTML are
//! both made from that list, so the two alternatives say the same.

use domain::Lang;
use domain::email::{Email, EmailEnvelope, Letterhead, WorkshopEvent};
use i18n::{FluentValue, catalog};
use minijinja::{Environment, context};
use serde::Serialize;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
    pub html: String,
    /// The sender's display name (the municipality's); the mailer's own when `None`.
    pub from_name: Option<String>,
    /// The From address; the mailer's own when `None`.
    pub from_address: Option<String>,
    pub reply_to: Option<String>,
    /// The one-click unsubscribe link (RFC 8058) for a kind the recipient may turn
    /// off; set by the worker, which knows the recipient.
    pub unsubscribe: Option<String>,
    /// An iCalendar file that goes with the letter (a workshop's event).
    pub calendar: Option<CalendarAttachment>,
}

/// An iCalendar attachment: the file and the iTIP method it carries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarAttachment {
    pub method: crate::calendar::Method,
    pub ics: String,
    pub file_name: String,
}

/// One piece of a letter's content.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum Block {
    Para {
        text: String,
    },
    /// A person's own words, set apart.
    Quote {
        lines: Vec<String>,
    },
    Link {
        label: String,
        url: String,
    },
    Items {
        items: Vec<String>,
    },
    /// A heading over what follows (a plan's hearing in a digest).
    Heading {
        text: String,
    },
}

fn para(text: String) -> Block {
    Block::Para { text }
}

fn quote(text: &str) -> Block {
    Block::Quote {
        lines: text.lines().map(str::to_owned).collect(),
    }
}

fn link(label: String, url: &str) -> Block {
    Block::Link {
        label,
        url: url.to_owned(),
    }
}

const LETTER_TEMPLATE: &str = include_str!("../../../web/templates/email/letter.html");

static TEMPLATES: LazyLock<Environment<'static>> = LazyLock::new(|| {
    let mut env = Environment::new();
    // The `.html` name turns on HTML escaping for every value.
    env.add_template("letter.html", LETTER_TEMPLATE)
        .expect("the letter template parses");
    env
});

type Args<'a> = Vec<(&'static str, FluentValue<'a>)>;

fn when(lang: Lang, rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .map(|ts| i18n::format_datetime(lang, ts))
        .unwrap_or_else(|_| rfc3339.to_owned())
}

/// The subject and content of each kind of email.
fn content(lang: Lang, email: &Email) -> (String, Vec<Block>) {
    let c = catalog();
    let m = |id: &str, args: &Args<'_>| c.message(lang, id, args);
    match email {
        Email::CommentNotice {
            plan_title,
            hearing_title,
            section_number,
            section_title,
            author_name,
            excerpt,
            late,
            link: url,
        } => {
            // An author who asked to be forgotten before the notice went out.
            let author = if author_name.is_empty() {
                c.message(lang, "comment-author-removed", &[])
            } else {
                author_name.clone()
            };
            let args: Args<'_> = vec![
                ("plan", plan_title.as_str().into()),
                ("hearing", hearing_title.as_str().into()),
                (
                    "section",
                    format!("{section_number} {section_title}").into(),
                ),
                ("author", author.into()),
            ];
            let mut blocks = vec![para(m("email-comment-notice-body", &args))];
            if *late {
                blocks.push(para(m("email-comment-notice-late", &args)));
            }
            blocks.push(quote(excerpt));
            blocks.push(link(m("email-comment-notice-link", &args), url));
            (m("email-comment-notice-subject", &args), blocks)
        }
        Email::SignInLink {
            link: url,
            valid_minutes,
        } => {
            let args: Args<'_> = vec![("minutes", (*valid_minutes).into())];
            let blocks = vec![
                para(m("email-sign-in-body", &args)),
                link(m("email-sign-in-button", &args), url),
                para(m("email-sign-in-ignore", &args)),
            ];
            (m("email-sign-in-subject", &args), blocks)
        }
        Email::Invitation {
            municipality_name,
            plan_title,
            group_name,
            group_kind,
            invited_by,
            role,
            organisation_name,
            meetings,
            hearing_deadline,
            link: url,
            valid_days,
        } => {
            let args: Args<'_> = vec![
                ("municipality", municipality_name.as_str().into()),
                ("plan", plan_title.as_str().into()),
                ("group", group_name.as_str().into()),
                ("inviter", invited_by.as_str().into()),
                ("days", (*valid_days).into()),
                (
                    "organisation",
                    organisation_name.clone().unwrap_or_default().into(),
                ),
            ];
            let mut blocks = vec![
                para(m("email-invitation-intro", &args)),
                para(m(
                    &format!("email-invitation-purpose-{}", group_kind.as_str()),
                    &args,
                )),
                para(m(
                    &format!("email-invitation-role-{}", role.as_str()),
                    &args,
                )),
            ];
            if meetings.is_empty() {
                blocks.push(para(m("email-invitation-no-meetings", &args)));
            } else {
                blocks.push(para(m("email-invitation-meetings", &args)));
                blocks.push(Block::Items {
                    items: meetings
                        .iter()
                        .map(|meeting| {
                            let date = meeting
                                .date
                                .parse::<jiff::civil::Date>()
                                .map(|d| i18n::format_date(lang, d))
                                .unwrap_or_else(|_| meeting.date.clone());
                            format!("{date}: {}", meeting.title)
                        })
                        .collect(),
                });
            }
            if let Some(deadline) = hearing_deadline {
                let mut args = args.clone();
                args.push(("deadline", when(lang, deadline).into()));
                blocks.push(para(m("email-invitation-deadline", &args)));
            }
            blocks.push(link(m("email-invitation-accept", &args), url));
            blocks.push(para(m("email-invitation-validity", &args)));
            blocks.push(para(m("email-invitation-decline", &args)));
            blocks.push(para(m("email-invitation-questions", &args)));
            (m("email-invitation-subject", &args), blocks)
        }
        Email::ConfirmInput {
            hearing_title,
            excerpt,
            link: url,
            valid_minutes,
        } => {
            let args: Args<'_> = vec![
                ("hearing", hearing_title.as_str().into()),
                ("hours", (valid_minutes / 60).into()),
            ];
            let blocks = vec![
                para(m("email-confirm-input-body", &args)),
                quote(excerpt),
                para(m("email-confirm-input-link", &args)),
                link(m("email-confirm-input-button", &args), url),
                para(m("email-confirm-input-ignore", &args)),
            ];
            (m("email-confirm-input-subject", &args), blocks)
        }
        Email::DeadlineExtended {
            hearing_title,
            new_deadline,
            reason,
            link: url,
        } => {
            let args: Args<'_> = vec![
                ("hearing", hearing_title.as_str().into()),
                ("deadline", when(lang, new_deadline).into()),
            ];
            let blocks = vec![
                para(m("email-deadline-extended-body", &args)),
                quote(reason),
                link(m("email-deadline-extended-link", &args), url),
            ];
            (m("email-deadline-extended-subject", &args), blocks)
        }
        Email::InputHidden {
            hearing_title,
            excerpt,
            reason,
            link: url,
        } => {
            let args: Args<'_> = vec![("hearing", hearing_title.as_str().into())];
            let blocks = vec![
                para(m("email-input-hidden-body", &args)),
                quote(excerpt),
                para(m("email-input-hidden-reason", &args)),
                quote(reason),
                link(m("email-input-hidden-link", &args), url),
            ];
            (m("email-input-hidden-subject", &args), blocks)
        }
        Email::ResponseReceipt {
            hearing_title,
            plan_title,
            organisation_name,
            version,
            text: letter,
            attachments,
            late,
            received_at,
            link: url,
        } => {
            let args: Args<'_> = vec![
                ("hearing", hearing_title.as_str().into()),
                ("plan", plan_title.as_str().into()),
                (
                    "organisation",
                    organisation_name.clone().unwrap_or_default().into(),
                ),
                ("version", (*version).into()),
                ("received", when(lang, received_at).into()),
                ("count", attachments.len().into()),
            ];
            let body_id = match organisation_name {
                Some(_) => "email-response-receipt-body-organisation",
                None => "email-response-receipt-body-personal",
            };
            let mut opening = m(body_id, &args);
            if *version > 1 {
                opening.push(' ');
                opening.push_str(&m("email-response-receipt-revision", &args));
            }
            let mut blocks = vec![para(opening)];
            if *late {
                blocks.push(para(m("email-response-receipt-late", &args)));
            }
            blocks.push(para(m("email-response-receipt-text", &args)));
            blocks.push(quote(letter));
            if attachments.is_empty() {
                blocks.push(para(m("email-response-receipt-no-attachments", &args)));
            } else {
                blocks.push(para(m("email-response-receipt-attachments", &args)));
                blocks.push(Block::Items {
                    items: attachments
                        .iter()
                        .map(|a| {
                            format!(
                                "{} ({})",
                                a.file_name,
                                i18n::format_size(lang, a.size_bytes)
                            )
                        })
                        .collect(),
                });
            }
            blocks.push(link(m("email-response-receipt-link", &args), url));
            (m("email-response-receipt-subject", &args), blocks)
        }
        Email::DeadlineReminder {
            hearing_title,
            plan_title,
            organisation_name,
            deadline,
            days_left,
            link: url,
            contact_name,
            contact_email,
        } => {
            let contact = match (contact_name, contact_email) {
                (Some(name), Some(email)) => Some(format!("{name} <{email}>")),
                (Some(one), None) | (None, Some(one)) => Some(one.clone()),
                (None, None) => None,
            };
            let args: Args<'_> = vec![
                ("hearing", hearing_title.as_str().into()),
                ("plan", plan_title.as_str().into()),
                (
                    "organisation",
                    organisation_name.clone().unwrap_or_default().into(),
                ),
                ("deadline", when(lang, deadline).into()),
                ("days", (*days_left).into()),
                ("contact", contact.clone().unwrap_or_default().into()),
            ];
            let body_id = match organisation_name {
                Some(_) => "email-reminder-body-organisation",
                None => "email-reminder-body-personal",
            };
            let mut blocks = vec![
                para(m(body_id, &args)),
                link(m("email-reminder-link", &args), url),
            ];
            if contact.is_some() {
                blocks.push(para(m("email-reminder-contact", &args)));
            }
            blocks.push(para(m("email-reminder-ignore", &args)));
            (m("email-reminder-subject", &args), blocks)
        }
        Email::InputsAssessed {
            hearing_title,
            plan_title,
            inputs,
            link: url,
        } => {
            let args: Args<'_> = vec![
                ("hearing", hearing_title.as_str().into()),
                ("plan", plan_title.as_str().into()),
            ];
            let mut blocks = vec![para(m("email-assessed-body", &args))];
            for input in inputs {
                let outcome = input.outcome.map_or("none", |o| o.as_str());
                let told: Args<'_> = vec![
                    ("outcome", m(&format!("outcome-{outcome}"), &args).into()),
                    ("response", input.response.as_str().into()),
                ];
                blocks.push(para(m("email-assessed-input", &args)));
                blocks.push(quote(&input.excerpt));
                blocks.push(para(m("email-assessed-outcome", &told)));
                blocks.push(para(m("email-assessed-response", &told)));
            }
            blocks.push(link(m("email-assessed-link", &args), url));
            (m("email-assessed-subject", &args), blocks)
        }
        Email::HearingOpened {
            hearing_title,
            plan_title,
            deadline,
            link: url,
        } => {
            let args: Args<'_> = vec![
                ("hearing", hearing_title.as_str().into()),
                ("plan", plan_title.as_str().into()),
                ("deadline", when(lang, deadline).into()),
            ];
            let blocks = vec![
                para(m("email-hearing-opened-body", &args)),
                link(m("email-hearing-opened-link", &args), url),
                para(m("email-hearing-opened-why", &args)),
            ];
            (m("email-hearing-opened-subject", &args), blocks)
        }
        Email::HearingClosed {
            hearing_title,
            plan_title,
            link: url,
        } => {
            let args: Args<'_> = vec![
                ("hearing", hearing_title.as_str().into()),
                ("plan", plan_title.as_str().into()),
            ];
            let blocks = vec![
                para(m("email-hearing-closed-body", &args)),
                link(m("email-hearing-closed-link", &args), url),
            ];
            (m("email-hearing-closed-subject", &args), blocks)
        }
        Email::CommentReply {
            hearing_title,
            section_title,
            author_name,
            excerpt,
            link: url,
        } => {
            let author = if author_name.is_empty() {
                c.message(lang, "comment-author-removed", &[])
            } else {
                author_name.clone()
            };
            let args: Args<'_> = vec![
                ("hearing", hearing_title.as_str().into()),
                ("section", section_title.as_str().into()),
                ("author", author.into()),
            ];
            let blocks = vec![
                para(m("email-comment-reply-body", &args)),
                quote(excerpt),
                link(m("email-comment-reply-link", &args), url),
            ];
            (m("email-comment-reply-subject", &args), blocks)
        }
        Email::ResponseNotice {
            hearing_title,
            plan_title,
            from,
            version,
            late,
            link: url,
        } => {
            let args: Args<'_> = vec![
                ("hearing", hearing_title.as_str().into()),
                ("plan", plan_title.as_str().into()),
                ("from", from.as_str().into()),
                ("version", (*version).into()),
            ];
            let mut blocks = vec![para(m("email-response-notice-body", &args))];
            if *late {
                blocks.push(para(m("email-response-notice-late", &args)));
            }
            blocks.push(link(m("email-response-notice-link", &args), url));
            (m("email-response-notice-subject", &args), blocks)
        }
        Email::Digest {
            day,
            planned,
            followed,
        } => {
            let day = day
                .parse::<jiff::civil::Date>()
                .map(|d| i18n::format_date(lang, d))
                .unwrap_or_else(|_| day.clone());
            let args: Args<'_> = vec![("day", day.into())];
            let mut blocks = vec![para(m("email-digest-intro", &args))];
            for (part, hearings) in [
                ("email-digest-planned", planned),
                ("email-digest-followed", followed),
            ] {
                if hearings.is_empty() {
                    continue;
                }
                blocks.push(para(m(part, &args)));
                for hearing in hearings {
                    blocks.extend(digest_hearing(lang, hearing));
                }
            }
            blocks.push(para(m("email-digest-settings", &args)));
            (m("email-digest-subject", &args), blocks)
        }
        Email::WorkshopInvitation { event, update } => {
            let args: Args<'_> = vec![
                ("workshop", event.title.as_str().into()),
                ("plan", event.plan_title.as_str().into()),
            ];
            let (subject, intro) = if *update {
                (
                    "email-workshop-update-subject",
                    "email-workshop-update-body",
                )
            } else {
                (
                    "email-workshop-invitation-subject",
                    "email-workshop-invitation-body",
                )
            };
            let mut blocks = vec![para(m(intro, &args))];
            blocks.extend(workshop_blocks(lang, event));
            blocks.push(para(m("email-workshop-answer", &args)));
            blocks.push(link(m("email-workshop-link", &args), &event.link));
            blocks.push(para(m("email-workshop-calendar", &args)));
            (m(subject, &args), blocks)
        }
        Email::WorkshopCancelled { event } => {
            let args: Args<'_> = vec![
                ("workshop", event.title.as_str().into()),
                ("plan", event.plan_title.as_str().into()),
                ("starts", when(lang, &event.starts_at).into()),
            ];
            let blocks = vec![
                para(m("email-workshop-cancelled-body", &args)),
                para(m("email-workshop-cancelled-calendar", &args)),
                link(m("email-workshop-link", &args), &event.link),
            ];
            (m("email-workshop-cancelled-subject", &args), blocks)
        }
        Email::WorkshopReminder { event, hours, seat } => {
            let args: Args<'_> = vec![
                ("workshop", event.title.as_str().into()),
                ("plan", event.plan_title.as_str().into()),
                ("hours", (*hours).into()),
            ];
            let mut blocks = vec![para(m("email-workshop-reminder-body", &args))];
            if !*seat {
                blocks.push(para(m("email-workshop-reminder-waiting", &args)));
            }
            blocks.extend(workshop_blocks(lang, event));
            blocks.push(para(m("email-workshop-reminder-change", &args)));
            blocks.push(link(m("email-workshop-link", &args), &event.link));
            (m("email-workshop-reminder-subject", &args), blocks)
        }
        Email::WorkshopSeat { event } => {
            let args: Args<'_> = vec![
                ("workshop", event.title.as_str().into()),
                ("plan", event.plan_title.as_str().into()),
            ];
            let mut blocks = vec![para(m("email-workshop-seat-body", &args))];
            blocks.extend(workshop_blocks(lang, event));
            blocks.push(link(m("email-workshop-link", &args), &event.link));
            (m("email-workshop-seat-subject", &args), blocks)
        }
    }
}

/// A hearing in a digest: a heading, each section's new inputs as links, and the
/// link to the hearing.
fn digest_hearing(lang: Lang, hearing: &domain::email::DigestHearing) -> Vec<Block> {
    let c = catalog();
    let m = |id: &str, args: &Args<'_>| c.message(lang, id, args);
    let args: Args<'_> = vec![
        ("plan", hearing.plan_title.as_str().into()),
        ("hearing", hearing.hearing_title.as_str().into()),
    ];
    let mut blocks = vec![Block::Heading {
        text: m("email-digest-hearing", &args),
    }];
    for section in &hearing.sections {
        let title = if section.title.is_empty() {
            m("email-digest-responses", &args)
        } else {
            section.title.clone()
        };
        blocks.push(para(title));
        for input in &section.inputs {
            let author = if input.author_name.is_empty() {
                c.message(lang, "comment-author-removed", &[])
            } else {
                input.author_name.clone()
            };
            let mut label = format!("{author}: {}", domain::email::excerpt(&input.excerpt, 120));
            if input.late {
                label.push_str(&format!(" ({})", m("email-digest-late", &args)));
            }
            blocks.push(link(one_line(&label), &input.link));
        }
    }
    blocks.push(link(m("email-digest-hearing-link", &args), &hearing.link));
    blocks
}

/// A header value on one line: line breaks and other control characters become
/// spaces, so no value can start a header of its own.
pub(crate) fn one_line(value: &str) -> String {
    let spaced: String = value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The signature: the contact person, the municipality and department, phone and
/// address; the installation's name when no municipality sends it.
fn signature(lang: Lang, head: &Letterhead) -> Vec<String> {
    let c = catalog();
    let contact = head.contact.clone().unwrap_or_default();
    let mut lines = Vec::new();
    if let Some(name) = &contact.name {
        lines.push(name.clone());
    }
    match (head.municipality.is_empty(), &contact.department) {
        (false, Some(department)) => lines.push(format!("{}, {department}", head.municipality)),
        (false, None) => lines.push(head.municipality.clone()),
        (true, Some(department)) => lines.push(department.clone()),
        (true, None) => lines.push(c.message(lang, "email-signature", &[])),
    }
    if let Some(phone) = &contact.phone {
        lines.push(c.message(
            lang,
            "email-contact-phone",
            &[("phone", phone.as_str().into())],
        ));
    }
    if let Some(email) = &contact.email {
        lines.push(c.message(
            lang,
            "email-contact-email",
            &[("email", email.as_str().into())],
        ));
    }
    lines
}

fn text_of(
    greeting: &str,
    blocks: &[Block],
    closing: &str,
    signature: &[String],
    case_line: Option<&str>,
    footer: &str,
    unsubscribe: Option<(&str, &str)>,
) -> String {
    let mut parts = vec![greeting.to_owned()];
    for block in blocks {
        parts.push(match block {
            Block::Para { text } => text.clone(),
            Block::Quote { lines } => lines
                .iter()
                .map(|l| format!("> {l}"))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Link { label, url } => format!("{label}: {url}"),
            Block::Items { items } => items
                .iter()
                .map(|i| format!("- {i}"))
                .collect::<Vec<_>>()
                .join("\n"),
            Block::Heading { text } => format!("{text}\n{}", "=".repeat(text.chars().count())),
        });
    }
    parts.push(format!("{closing}\n{}", signature.join("\n")));
    if let Some(case_line) = case_line {
        parts.push(case_line.to_owned());
    }
    let mut text = parts.join("\n\n");
    // The conventional signature separator, so mail programs can hide the footer.
    text.push_str("\n\n-- \n");
    text.push_str(footer);
    text.push('\n');
    if let Some((label, url)) = unsubscribe {
        text.push_str(&format!("{label}: {url}\n"));
    }
    text
}

pub fn render(envelope: &EmailEnvelope) -> RenderedEmail {
    render_for(envelope, None)
}

/// Renders the email with the one-click link that turns its kind off (RFC 8058), in
/// the headers and, as a plain link, in the footer of the text and the HTML.
pub fn render_for(envelope: &EmailEnvelope, unsubscribe: Option<String>) -> RenderedEmail {
    let lang = envelope.lang;
    let head = &envelope.letterhead;
    let c = catalog();
    let (subject, blocks) = content(lang, &envelope.email);
    let subject = if head.municipality.is_empty() {
        subject
    } else {
        c.message(
            lang,
            "email-subject-from",
            &[
                ("municipality", head.municipality.as_str().into()),
                ("subject", subject.into()),
            ],
        )
    };
    let subject = one_line(&subject);
    let greeting = match &head.recipient_name {
        Some(name) => c.message(
            lang,
            "email-greeting-name",
            &[("name", name.as_str().into())],
        ),
        None => c.message(lang, "email-greeting", &[]),
    };
    let closing = c.message(lang, "email-closing", &[]);
    let signature = signature(lang, head);
    let case_line = head
        .case_number
        .as_ref()
        .map(|case| c.message(lang, "email-case-number", &[("case", case.as_str().into())]));
    let footer = c.message(lang, "email-signature", &[]);
    let unsubscribe_label = c.message(lang, "email-unsubscribe-link", &[]);
    let text = text_of(
        &greeting,
        &blocks,
        &closing,
        &signature,
        case_line.as_deref(),
        &footer,
        unsubscribe
            .as_deref()
            .map(|url| (unsubscribe_label.as_str(), url)),
    );
    let html = TEMPLATES
        .get_template("letter.html")
        .and_then(|t| {
            t.render(context! {
                lang => lang.code(),
                subject => &subject,
                municipality => &head.municipality,
                greeting => &greeting,
                blocks => &blocks,
                closing => &closing,
                signature => &signature,
                case_line => &case_line,
                footer => &footer,
                unsubscribe => &unsubscribe,
                unsubscribe_label => &unsubscribe_label,
            })
        })
        .unwrap_or_else(|err| {
            // The template is compiled in and tested; should it fail, the text still goes.
            tracing::error!(error = %err, "could not render the HTML of an email");
            String::new()
        });
    let from_name = head
        .display_name
        .clone()
        .or_else(|| (!head.municipality.is_empty()).then(|| head.municipality.clone()))
        .map(|n| one_line(&n))
        .filter(|n| !n.is_empty());
    RenderedEmail {
        subject,
        text,
        html,
        from_name,
        from_address: head.from_address.clone(),
        reply_to: head.reply_to.clone(),
        unsubscribe,
        calendar: calendar_of(&envelope.email),
    }
}

/// The calendar file a workshop's letter carries: the event to add or replace, or
/// its cancellation.
fn calendar_of(email: &Email) -> Option<CalendarAttachment> {
    use crate::calendar::{Method, workshop_calendar};
    let (event, method) = match email {
        Email::WorkshopInvitation { event, .. }
        | Email::WorkshopSeat { event }
        | Email::WorkshopReminder { event, .. } => (event, Method::Request),
        Email::WorkshopCancelled { event } => (event, Method::Cancel),
        _ => return None,
    };
    Some(CalendarAttachment {
        method,
        ics: workshop_calendar(event, method),
        file_name: "invite.ics".to_owned(),
    })
}

/// The lines that describe a workshop in its letters: when, where (with what the
/// place offers), the online link and the agenda.
fn workshop_blocks(lang: Lang, event: &WorkshopEvent) -> Vec<Block> {
    let c = catalog();
    let m = |id: &str, args: &Args<'_>| c.message(lang, id, args);
    let args: Args<'_> = vec![
        ("starts", when(lang, &event.starts_at).into()),
        ("ends", end_time(&event.ends_at).into()),
    ];
    let mut facts = vec![m("email-workshop-when", &args)];
    if let Some(place) = &event.place {
        facts.push(m(
            "email-workshop-where",
            &vec![("address", place.address.as_str().into())],
        ));
        for (offered, id) in [
            (place.step_free_access, "workshop-feature-step-free"),
            (place.hearing_loop, "workshop-feature-hearing-loop"),
            (place.parking, "workshop-feature-parking"),
            (place.interpreter_on_request, "workshop-feature-interpreter"),
        ] {
            if offered {
                facts.push(m(id, &vec![]));
            }
        }
    }
    if let Some(online) = &event.online_link {
        facts.push(m(
            "email-workshop-online",
            &vec![("link", online.as_str().into())],
        ));
    }
    let mut blocks = vec![Block::Items { items: facts }];
    if !event.purpose.is_empty() {
        blocks.push(quote(&event.purpose));
    }
    if !event.agenda.is_empty() {
        blocks.push(para(m("email-workshop-agenda", &vec![])));
        blocks.push(Block::Items {
            items: event.agenda.clone(),
        });
    }
    blocks
}

/// The end of a meeting as a time of day in Norwegian time.
fn end_time(rfc3339: &str) -> String {
    rfc3339
        .parse::<jiff::Timestamp>()
        .map(|ts| {
            ts.to_zoned(domain::deadline::oslo())
                .strftime("%H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| rfc3339.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Lang;

    fn notice(lang: Lang) -> EmailEnvelope {
        EmailEnvelope {
            lang,
            letterhead: Letterhead::default(),
            email: Email::CommentNotice {
                plan_title: "Kommunedelplan helse".into(),
                hearing_title: "Høyring av planprogram".into(),
                section_number: "3.1".into(),
                section_title: "Roller og ansvar".into(),
                author_name: "Eldrerådet".into(),
                excerpt: "Vi saknar\nmeir om transport.".into(),
                late: false,
                link: "http://127.0.0.1:8080/hearings/x".into(),
            },
        }
    }

    #[test]
    fn extension_shows_the_new_deadline_in_norwegian_time() {
        let envelope = EmailEnvelope {
            lang: Lang::Nb,
            letterhead: Letterhead::default(),
            email: Email::DeadlineExtended {
                hearing_title: "Høring".into(),
                new_deadline: "2024-05-10T21:59:00Z".into(),
                reason: "Mange ba om mer tid.".into(),
                link: "http://x/hearings/1".into(),
            },
        };
        let rendered = render(&envelope);
        assert!(
            rendered.text.contains("10. mai 2024 kl. 23:59"),
            "{}",
            rendered.text
        );
        assert!(
            rendered.text.contains("> Mange ba om mer tid."),
            "{}",
            rendered.text
        );
    }

    fn receipt(lang: Lang, organisation: Option<&str>, version: i32, late: bool) -> EmailEnvelope {
        EmailEnvelope {
            lang,
            letterhead: Letterhead::default(),
            email: Email::ResponseReceipt {
                hearing_title: "Høyring av planprogram".into(),
                plan_title: "Kommunedelplan helse".into(),
                organisation_name: organisation.map(Into::into),
                version,
                text: "Vi støttar planen.\nMen transport manglar.".into(),
                attachments: vec![
                    domain::email::ReceiptAttachment {
                        file_name: "Høyringssvar.pdf".into(),
                        size_bytes: 3 * 1024 * 1024 + 1,
                    },
                    domain::email::ReceiptAttachment {
                        file_name: "Vedlegg.docx".into(),
                        size_bytes: 2000,
                    },
                ],
                late,
                received_at: "2024-05-03T10:15:00Z".into(),
                link: "http://x/hearings/1/response".into(),
            },
        }
    }

    #[test]
    fn receipt_has_the_text_the_attachments_and_the_time_in_every_language() {
        for lang in [Lang::Nn, Lang::Nb, Lang::En] {
            let rendered = render(&receipt(lang, Some("Pensjonistlaget"), 1, false));
            let text = &rendered.text;
            assert!(
                rendered.subject.contains("Høyring av planprogram"),
                "{lang:?}: {}",
                rendered.subject
            );
            assert!(text.contains("Pensjonistlaget"), "{lang:?}: {text}");
            assert!(
                text.contains("> Vi støttar planen.\n> Men transport manglar."),
                "{text}"
            );
            assert!(text.contains("Høyringssvar.pdf"), "{text}");
            assert!(text.contains("Vedlegg.docx (2 kB)"), "{text}");
            assert!(text.contains("http://x/hearings/1/response"), "{text}");
            let when = match lang {
                Lang::En => "3 May 2024 at 12:15",
                _ => "3. mai 2024 kl. 12:15",
            };
            assert!(text.contains(when), "{lang:?}: {text}");
            assert!(
                !text.contains("email-response"),
                "a message id leaked: {text}"
            );
        }
        let nn = render(&receipt(Lang::Nn, None, 1, false));
        let en = render(&receipt(Lang::En, None, 1, false));
        assert_ne!(nn.text, en.text);
        assert!(nn.text.contains("3,1 MB"), "{}", nn.text);
        assert!(en.text.contains("3.1 MB"), "{}", en.text);
    }

    #[test]
    fn a_receipt_says_when_it_is_a_revision_or_late() {
        let first = render(&receipt(Lang::En, None, 1, false)).text;
        let second = render(&receipt(Lang::En, None, 2, false)).text;
        let late = render(&receipt(Lang::En, None, 1, true)).text;
        assert_ne!(first, second);
        assert!(second.contains("version 2"), "{second}");
        assert!(!first.contains("This is version"), "{first}");
        assert!(late.contains("after the deadline"), "{late}");
        assert!(!first.contains("after the deadline"), "{first}");
    }

    #[test]
    fn confirmation_quotes_the_input_and_gives_the_link_in_three_languages() {
        let mut subjects = Vec::new();
        for lang in [Lang::Nn, Lang::Nb, Lang::En] {
            let rendered = render(&EmailEnvelope {
                lang,
                letterhead: Letterhead::default(),
                email: Email::ConfirmInput {
                    hearing_title: "Høyring av planprogram".into(),
                    excerpt: "Vi saknar\nmeir om transport.".into(),
                    link: "http://x/inputs/confirm?token=abc".into(),
                    valid_minutes: 24 * 60,
                },
            });
            assert!(rendered.subject.contains("Høyring av planprogram"));
            assert!(
                rendered.text.contains("> meir om transport."),
                "{}",
                rendered.text
            );
            assert!(rendered.text.contains("http://x/inputs/confirm?token=abc"));
            assert!(rendered.text.contains("24"), "{}", rendered.text);
            subjects.push(rendered.subject);
        }
        let distinct: std::collections::BTreeSet<&String> = subjects.iter().collect();
        assert_eq!(distinct.len(), 3, "one subject per language: {subjects:?}");
    }

    #[test]
    fn a_notice_about_a_forgotten_author_says_the_name_was_removed() {
        let mut envelope = notice(Lang::En);
        if let Email::CommentNotice { author_name, .. } = &mut envelope.email {
            author_name.clear();
        }
        let rendered = render(&envelope);
        assert!(
            rendered.text.contains("\n\nName removed"),
            "{}",
            rendered.text
        );
    }

    #[test]
    fn an_assessment_letter_gives_each_input_its_outcome_and_response_in_the_readers_language() {
        use domain::assessment::Outcome;
        use domain::email::AssessedInput;
        let letter = |lang| EmailEnvelope {
            lang,
            letterhead: Letterhead::default(),
            email: Email::InputsAssessed {
                hearing_title: "Høyring av planprogram".into(),
                plan_title: "Kommuneplan".into(),
                inputs: vec![
                    AssessedInput {
                        excerpt: "Fleire benkar".into(),
                        outcome: Some(Outcome::Followed),
                        response: "Teke inn i kapittel 2.".into(),
                    },
                    AssessedInput {
                        excerpt: "Meir parkering".into(),
                        outcome: Some(Outcome::NotFollowed),
                        response: "Strid mot målet om mindre biltrafikk.".into(),
                    },
                ],
                link: "http://x/hearings/1".into(),
            },
        };
        let en = render(&letter(Lang::En)).text;
        for part in [
            "> Fleire benkar",
            "Outcome: Followed",
            "Teke inn i kapittel 2.",
            "> Meir parkering",
            "Outcome: Not followed",
            "http://x/hearings/1",
        ] {
            assert!(en.contains(part), "{part} in {en}");
        }
        let nn = render(&letter(Lang::Nn)).text;
        assert!(nn.contains("Konklusjon: Ikkje teke til følgje"), "{nn}");
    }

    #[test]
    fn a_reminder_gives_the_deadline_the_form_and_the_contact_in_each_language() {
        let mut seen = Vec::new();
        for lang in [Lang::Nn, Lang::Nb, Lang::En] {
            let rendered = render(&EmailEnvelope {
                lang,
                email: Email::DeadlineReminder {
                    hearing_title: "Høyring av planprogram".into(),
                    plan_title: "Kommunedelplan helse".into(),
                    organisation_name: Some("Pensjonistlaget".into()),
                    deadline: "2025-05-20T21:59:00Z".into(),
                    days_left: 3,
                    link: "http://x/hearings/1/response".into(),
                    contact_name: Some("Kari Planleggjar".into()),
                    contact_email: Some("kari@testvik.example".into()),
                },
                letterhead: Default::default(),
            });
            let text = &rendered.text;
            assert!(
                rendered.subject.contains("Høyring av planprogram"),
                "{}",
                rendered.subject
            );
            let when = match lang {
                Lang::En => "20 May 2025 at 23:59",
                _ => "20. mai 2025 kl. 23:59",
            };
            assert!(text.contains(when), "{lang:?}: {text}");
            assert!(text.contains("Pensjonistlaget"), "{text}");
            assert!(text.contains("http://x/hearings/1/response"), "{text}");
            assert!(
                text.contains("Kari Planleggjar <kari@testvik.example>"),
                "{text}"
            );
            assert!(text.contains('3'), "{text}");
            assert!(
                !text.contains("email-reminder"),
                "a message id leaked: {text}"
            );
            seen.push(rendered.subject);
        }
        seen.dedup();
        assert_eq!(seen.len(), 3, "{seen:?}");
    }

    #[test]
    fn notice_is_rendered_in_the_recipients_language() {
        let nn = render(&notice(Lang::Nn));
        let en = render(&notice(Lang::En));
        assert_ne!(nn.subject, en.subject);
        assert!(
            nn.subject.contains("Høyring av planprogram"),
            "{}",
            nn.subject
        );
        assert!(nn.text.contains("> meir om transport."), "{}", nn.text);
        assert!(en.text.contains("3.1 Roller og ansvar"), "{}", en.text);
        assert!(en.text.contains("http://127.0.0.1:8080/hearings/x"));
    }

    fn alver() -> Letterhead {
        Letterhead {
            municipality: "Alver kommune".into(),
            display_name: None,
            from_address: Some("post@alver.example".into()),
            reply_to: Some("planavdelinga@alver.example".into()),
            contact: Some(domain::email::Contact {
                name: Some("Namn Namnesen".into()),
                department: Some("Plan og analyse".into()),
                phone: Some("00 00 00 00".into()),
                email: Some("planavdelinga@alver.example".into()),
            }),
            case_number: Some("20/5000".into()),
            recipient_name: Some("Kari".into()),
        }
    }

    fn invitation(lang: Lang) -> EmailEnvelope {
        EmailEnvelope {
            lang,
            letterhead: alver(),
            email: Email::Invitation {
                municipality_name: "Alver kommune".into(),
                plan_title: "Kommunedelplan for helse, sosial og omsorg".into(),
                group_name: "Referansegruppe helse".into(),
                group_kind: domain::group::GroupKind::ReferenceGroup,
                invited_by: "Namn Namnesen".into(),
                role: domain::group::MemberRole::OrganisationRepresentative,
                organisation_name: Some("Pensjonistlaget".into()),
                meetings: vec![domain::email::Meeting {
                    title: "Referansemøte".into(),
                    date: "2026-09-15".into(),
                }],
                hearing_deadline: Some("2026-11-02T22:59:00Z".into()),
                link: "http://x/invitations/accept?token=abc".into(),
                valid_days: 14,
            },
        }
    }

    #[test]
    fn a_letter_comes_from_the_municipality_and_is_signed_by_the_contact() {
        let rendered = render(&EnvelopeWith::notice(Lang::Nn, alver()));
        assert!(
            rendered.subject.starts_with("Alver kommune: "),
            "{}",
            rendered.subject
        );
        assert_eq!(rendered.from_name.as_deref(), Some("Alver kommune"));
        assert_eq!(rendered.from_address.as_deref(), Some("post@alver.example"));
        assert_eq!(
            rendered.reply_to.as_deref(),
            Some("planavdelinga@alver.example")
        );
        // Escaped HTML writes a slash as an entity.
        let html = rendered.html.replace("&#x2f;", "/");
        for part in [&rendered.text, &html] {
            assert!(part.contains("Hei, Kari!"), "{part}");
            assert!(part.contains("Med venleg helsing"), "{part}");
            assert!(part.contains("Namn Namnesen"), "{part}");
            assert!(part.contains("Alver kommune, Plan og analyse"), "{part}");
            assert!(part.contains("Telefon: 00 00 00 00"), "{part}");
            assert!(part.contains("Saksnummer: 20/5000"), "{part}");
        }
        let en = render(&EnvelopeWith::notice(Lang::En, alver()));
        assert!(en.text.contains("Case number: 20/5000"), "{}", en.text);
        assert!(en.text.contains("Kind regards"), "{}", en.text);
    }

    struct EnvelopeWith;

    impl EnvelopeWith {
        fn notice(lang: Lang, letterhead: Letterhead) -> EmailEnvelope {
            EmailEnvelope {
                letterhead,
                ..notice(lang)
            }
        }
    }

    #[test]
    fn the_html_alternative_escapes_every_value() {
        let mut envelope = EnvelopeWith::notice(Lang::En, alver());
        if let Email::CommentNotice {
            author_name,
            excerpt,
            ..
        } = &mut envelope.email
        {
            *author_name = "<script>alert(1)</script>".into();
            *excerpt = "a <b>bold</b> & \"quoted\" claim".into();
        }
        envelope.letterhead.recipient_name = Some("<img src=x onerror=alert(1)>".into());
        let rendered = render(&envelope);
        assert!(
            rendered.html.starts_with("<!DOCTYPE html>"),
            "{}",
            rendered.html
        );
        assert!(!rendered.html.contains("<script>"), "{}", rendered.html);
        assert!(!rendered.html.contains("<img"), "{}", rendered.html);
        assert!(!rendered.html.contains("<b>bold"), "{}", rendered.html);
        assert!(
            rendered.html.contains("&lt;script&gt;"),
            "{}",
            rendered.html
        );
        assert!(
            rendered
                .html
                .contains("<a href=\"http:&#x2f;&#x2f;127.0.0.1:8080&#x2f;hearings&#x2f;x\"")
                || rendered
                    .html
                    .contains("<a href=\"http://127.0.0.1:8080/hearings/x\""),
            "{}",
            rendered.html
        );
        // The plain text is the person's text as written.
        assert!(rendered.text.contains("> a <b>bold</b> & \"quoted\" claim"));
    }

    #[test]
    fn a_subject_or_name_with_line_breaks_stays_on_one_line() {
        let mut head = alver();
        head.municipality = "Alver\r\nBcc: victim@evil.example".into();
        head.display_name = Some("Alver kommune\nBcc: other@evil.example".into());
        let rendered = render(&EnvelopeWith::notice(Lang::Nn, head));
        assert!(
            !rendered.subject.contains(['\r', '\n']),
            "{:?}",
            rendered.subject
        );
        assert_eq!(
            rendered.from_name.as_deref(),
            Some("Alver kommune Bcc: other@evil.example")
        );
    }

    #[test]
    fn the_invitation_is_a_letter_with_role_meetings_deadline_and_how_to_decline() {
        let nn = render(&invitation(Lang::Nn));
        let text = &nn.text;
        for expected in [
            "Hei, Kari!",
            "Alver kommune arbeider med Kommunedelplan for helse, sosial og omsorg. Namn Namnesen inviterer deg",
            "Referansegruppa ser utkasta tidleg",
            "representant for Pensjonistlaget",
            "sende høyringssvaret frå Pensjonistlaget",
            "- 15. september 2026: Referansemøte",
            "Høyringsfristen er 2. november 2026 kl. 23:59",
            "http://x/invitations/accept?token=abc",
            "Vil du ikkje vere med, treng du ikkje gjere noko",
            "Namn Namnesen\nAlver kommune, Plan og analyse",
        ] {
            assert!(text.contains(expected), "missing {expected:?} in {text}");
        }
        assert!(
            nn.html
                .contains("<li>15. september 2026: Referansemøte</li>"),
            "{}",
            nn.html
        );
        assert!(
            nn.subject.contains("Referansegruppe helse"),
            "{}",
            nn.subject
        );
        let nb = render(&invitation(Lang::Nb));
        let en = render(&invitation(Lang::En));
        assert!(nb.text.contains("Vil du ikke være med"), "{}", nb.text);
        assert!(
            en.text.contains("If you do not want to take part"),
            "{}",
            en.text
        );
        assert!(en.text.contains("Dear Kari,"), "{}", en.text);
        assert!(
            en.text.contains("15 September 2026: Referansemøte"),
            "{}",
            en.text
        );
        let texts: std::collections::BTreeSet<&String> = [&nn.text, &nb.text, &en.text].into();
        assert_eq!(texts.len(), 3);
    }

    #[test]
    fn a_chair_and_a_member_are_told_what_they_may_do() {
        let mut chair = invitation(Lang::Nn);
        if let Email::Invitation {
            role,
            organisation_name,
            meetings,
            hearing_deadline,
            ..
        } = &mut chair.email
        {
            *role = domain::group::MemberRole::Chair;
            *organisation_name = None;
            meetings.clear();
            *hearing_deadline = None;
        }
        let text = render(&chair).text;
        assert!(text.contains("som leiar av gruppa"), "{text}");
        assert!(text.contains("Vi sender deg datoane for møta"), "{text}");
        assert!(!text.contains("Høyringsfristen"), "{text}");
    }

    #[test]
    fn a_digest_lists_each_input_by_hearing_and_section_with_links_in_every_language() {
        use domain::email::{DigestHearing, DigestInput, DigestSection};
        let input = |author: &str, excerpt: &str, link: &str| DigestInput {
            id: uuid::Uuid::new_v4(),
            author_name: author.into(),
            excerpt: excerpt.into(),
            late: false,
            link: link.into(),
        };
        let digest = |lang| EmailEnvelope {
            lang,
            letterhead: Letterhead::default(),
            email: Email::Digest {
                day: "2026-12-09".into(),
                planned: vec![DigestHearing {
                    plan_title: "Kommuneplan".into(),
                    hearing_title: "Høyring av planprogram".into(),
                    link: "http://x/hearings/1".into(),
                    sections: vec![
                        DigestSection {
                            title: "3.1 Roller og ansvar".into(),
                            inputs: vec![input(
                                "Åse",
                                "Meir om transport.",
                                "http://x/hearings/1#comment-a",
                            )],
                        },
                        DigestSection {
                            title: String::new(),
                            inputs: vec![input("", "Svar frå rådet.", "http://x/responses/b")],
                        },
                    ],
                }],
                followed: Vec::new(),
            },
        };
        let en = render_for(&digest(Lang::En), Some("http://x/unsubscribe/t".into()));
        for part in [
            "Høyring av planprogram (Kommuneplan)",
            "3.1 Roller og ansvar",
            "Åse: Meir om transport.: http://x/hearings/1#comment-a",
            "Official responses",
            "Name removed: Svar frå rådet.: http://x/responses/b",
            "9 December 2026",
            "Stop getting emails of this kind: http://x/unsubscribe/t",
        ] {
            assert!(en.text.contains(part), "{part} in {}", en.text);
        }
        assert!(
            !en.text.contains("New comments where you follow"),
            "{}",
            en.text
        );
        assert!(en.html.contains("<h2"), "{}", en.html);
        assert!(
            en.html.contains("Stop getting emails of this kind</a>"),
            "{}",
            en.html
        );
        assert_eq!(en.unsubscribe.as_deref(), Some("http://x/unsubscribe/t"));
        let nn = render(&digest(Lang::Nn));
        assert!(nn.text.contains("Høyringssvar"), "{}", nn.text);
        assert!(
            !nn.text.contains("unsubscribe"),
            "no link without one: {}",
            nn.text
        );
        assert_ne!(nn.text, render(&digest(Lang::Nb)).text);
    }
}
