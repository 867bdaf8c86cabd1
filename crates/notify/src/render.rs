//! Renders an email in its recipient's language from the Fluent catalogue.

use domain::email::{Email, EmailEnvelope};
use i18n::{FluentValue, catalog};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: String,
    pub text: String,
}

/// The signature every email ends with, after the conventional "-- " line.
fn sign(text: &mut String, lang: domain::Lang) {
    text.push_str("\n\n-- \n");
    text.push_str(&catalog().message(lang, "email-signature", &[]));
    text.push('\n');
}

/// Quotes a person's text line by line, so it stands apart from ours.
fn quote(text: &mut String, quoted: &str) {
    for line in quoted.lines() {
        text.push_str("> ");
        text.push_str(line);
        text.push('\n');
    }
}

pub fn render(envelope: &EmailEnvelope) -> RenderedEmail {
    let lang = envelope.lang;
    let c = catalog();
    match &envelope.email {
        Email::CommentNotice {
            plan_title,
            hearing_title,
            section_number,
            section_title,
            author_name,
            excerpt,
            late,
            link,
        } => {
            // An author who asked to be forgotten before the notice went out.
            let author = if author_name.is_empty() {
                c.message(lang, "comment-author-removed", &[])
            } else {
                author_name.clone()
            };
            let args = [
                ("plan", FluentValue::from(plan_title.as_str())),
                ("hearing", FluentValue::from(hearing_title.as_str())),
                (
                    "section",
                    FluentValue::from(format!("{section_number} {section_title}")),
                ),
                ("author", FluentValue::from(author)),
                ("link", FluentValue::from(link.as_str())),
            ];
            let mut text = c.message(lang, "email-comment-notice-body", &args);
            if *late {
                text.push_str("\n\n");
                text.push_str(&c.message(lang, "email-comment-notice-late", &args));
            }
            text.push_str("\n\n");
            quote(&mut text, excerpt);
            text.push('\n');
            text.push_str(&c.message(lang, "email-comment-notice-link", &args));
            sign(&mut text, lang);
            RenderedEmail {
                subject: c.message(lang, "email-comment-notice-subject", &args),
                text,
            }
        }
        Email::SignInLink {
            link,
            valid_minutes,
        } => {
            let args = [
                ("link", FluentValue::from(link.as_str())),
                ("minutes", FluentValue::from(*valid_minutes)),
            ];
            let mut text = c.message(lang, "email-sign-in-body", &args);
            text.push_str("\n\n");
            text.push_str(link);
            text.push_str("\n\n");
            text.push_str(&c.message(lang, "email-sign-in-ignore", &args));
            sign(&mut text, lang);
            RenderedEmail {
                subject: c.message(lang, "email-sign-in-subject", &args),
                text,
            }
        }
        Email::Invitation {
            municipality_name,
            plan_title,
            group_name,
            invited_by,
            link,
            valid_days,
        } => {
            let args = [
                (
                    "municipality",
                    FluentValue::from(municipality_name.as_str()),
                ),
                ("plan", FluentValue::from(plan_title.as_str())),
                ("group", FluentValue::from(group_name.as_str())),
                ("inviter", FluentValue::from(invited_by.as_str())),
                ("days", FluentValue::from(*valid_days)),
            ];
            let mut text = c.message(lang, "email-invitation-body", &args);
            text.push_str("\n\n");
            text.push_str(link);
            text.push_str("\n\n");
            text.push_str(&c.message(lang, "email-invitation-validity", &args));
            sign(&mut text, lang);
            RenderedEmail {
                subject: c.message(lang, "email-invitation-subject", &args),
                text,
            }
        }
        Email::ConfirmInput {
            hearing_title,
            excerpt,
            link,
            valid_minutes,
        } => {
            let args = [
                ("hearing", FluentValue::from(hearing_title.as_str())),
                ("hours", FluentValue::from(valid_minutes / 60)),
            ];
            let mut text = c.message(lang, "email-confirm-input-body", &args);
            text.push_str("\n\n");
            quote(&mut text, excerpt);
            text.push('\n');
            text.push_str(&c.message(lang, "email-confirm-input-link", &args));
            text.push_str("\n\n");
            text.push_str(link);
            text.push_str("\n\n");
            text.push_str(&c.message(lang, "email-confirm-input-ignore", &args));
            sign(&mut text, lang);
            RenderedEmail {
                subject: c.message(lang, "email-confirm-input-subject", &args),
                text,
            }
        }
        Email::DeadlineExtended {
            hearing_title,
            new_deadline,
            reason,
            link,
        } => {
            let when = new_deadline
                .parse::<jiff::Timestamp>()
                .map(|ts| i18n::format_datetime(lang, ts))
                .unwrap_or_else(|_| new_deadline.clone());
            let args = [
                ("hearing", FluentValue::from(hearing_title.as_str())),
                ("deadline", FluentValue::from(when)),
                ("link", FluentValue::from(link.as_str())),
            ];
            let mut text = c.message(lang, "email-deadline-extended-body", &args);
            text.push_str("\n\n");
            quote(&mut text, reason);
            text.push('\n');
            text.push_str(&c.message(lang, "email-deadline-extended-link", &args));
            sign(&mut text, lang);
            RenderedEmail {
                subject: c.message(lang, "email-deadline-extended-subject", &args),
                text,
            }
        }
        Email::InputHidden {
            hearing_title,
            excerpt,
            reason,
            link,
        } => {
            let args = [
                ("hearing", FluentValue::from(hearing_title.as_str())),
                ("link", FluentValue::from(link.as_str())),
            ];
            let mut text = c.message(lang, "email-input-hidden-body", &args);
            text.push_str("\n\n");
            quote(&mut text, excerpt);
            text.push('\n');
            text.push_str(&c.message(lang, "email-input-hidden-reason", &args));
            text.push_str("\n\n");
            quote(&mut text, reason);
            text.push('\n');
            text.push_str(&c.message(lang, "email-input-hidden-link", &args));
            sign(&mut text, lang);
            RenderedEmail {
                subject: c.message(lang, "email-input-hidden-subject", &args),
                text,
            }
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
            link,
        } => {
            let when = received_at
                .parse::<jiff::Timestamp>()
                .map(|ts| i18n::format_datetime(lang, ts))
                .unwrap_or_else(|_| received_at.clone());
            let args = [
                ("hearing", FluentValue::from(hearing_title.as_str())),
                ("plan", FluentValue::from(plan_title.as_str())),
                (
                    "organisation",
                    FluentValue::from(organisation_name.clone().unwrap_or_default()),
                ),
                ("version", FluentValue::from(*version)),
                ("received", FluentValue::from(when)),
                ("count", FluentValue::from(attachments.len())),
                ("link", FluentValue::from(link.as_str())),
            ];
            let body_id = match organisation_name {
                Some(_) => "email-response-receipt-body-organisation",
                None => "email-response-receipt-body-personal",
            };
            let mut text = c.message(lang, body_id, &args);
            if *version > 1 {
                text.push(' ');
                text.push_str(&c.message(lang, "email-response-receipt-revision", &args));
            }
            if *late {
                text.push_str("\n\n");
                text.push_str(&c.message(lang, "email-response-receipt-late", &args));
            }
            text.push_str("\n\n");
            text.push_str(&c.message(lang, "email-response-receipt-text", &args));
            text.push('\n');
            quote(&mut text, letter);
            text.push('\n');
            if attachments.is_empty() {
                text.push_str(&c.message(lang, "email-response-receipt-no-attachments", &args));
                text.push('\n');
            } else {
                text.push_str(&c.message(lang, "email-response-receipt-attachments", &args));
                text.push('\n');
                for attachment in attachments {
                    text.push_str(&format!(
                        "- {} ({})\n",
                        attachment.file_name,
                        i18n::format_size(lang, attachment.size_bytes)
                    ));
                }
            }
            text.push('\n');
            text.push_str(&c.message(lang, "email-response-receipt-link", &args));
            sign(&mut text, lang);
            RenderedEmail {
                subject: c.message(lang, "email-response-receipt-subject", &args),
                text,
            }
        }
        Email::DeadlineReminder {
            hearing_title,
            plan_title,
            organisation_name,
            deadline,
            days_left,
            link,
            contact_name,
            contact_email,
        } => {
            let when = deadline
                .parse::<jiff::Timestamp>()
                .map(|ts| i18n::format_datetime(lang, ts))
                .unwrap_or_else(|_| deadline.clone());
            let contact = match (contact_name, contact_email) {
                (Some(name), Some(email)) => Some(format!("{name} <{email}>")),
                (Some(one), None) | (None, Some(one)) => Some(one.clone()),
                (None, None) => None,
            };
            let args = [
                ("hearing", FluentValue::from(hearing_title.as_str())),
                ("plan", FluentValue::from(plan_title.as_str())),
                (
                    "organisation",
                    FluentValue::from(organisation_name.clone().unwrap_or_default()),
                ),
                ("deadline", FluentValue::from(when)),
                ("days", FluentValue::from(*days_left)),
                ("link", FluentValue::from(link.as_str())),
                (
                    "contact",
                    FluentValue::from(contact.clone().unwrap_or_default()),
                ),
            ];
            let body_id = match organisation_name {
                Some(_) => "email-reminder-body-organisation",
                None => "email-reminder-body-personal",
            };
            let mut text = c.message(lang, body_id, &args);
            text.push_str("\n\n");
            text.push_str(&c.message(lang, "email-reminder-link", &args));
            if contact.is_some() {
                text.push_str("\n\n");
                text.push_str(&c.message(lang, "email-reminder-contact", &args));
            }
            text.push_str("\n\n");
            text.push_str(&c.message(lang, "email-reminder-ignore", &args));
            sign(&mut text, lang);
            RenderedEmail {
                subject: c.message(lang, "email-reminder-subject", &args),
                text,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::Lang;

    fn notice(lang: Lang) -> EmailEnvelope {
        EmailEnvelope {
            lang,
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
            rendered.text.starts_with("Name removed"),
            "{}",
            rendered.text
        );
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
}
