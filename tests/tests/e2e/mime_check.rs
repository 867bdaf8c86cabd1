//! Every kind of email, in every language, rendered and sent by the real worker to
//! the SMTP sink, then checked by Python's own `email` package rather than by the
//! Rust crates that built it: valid MIME with a text and an HTML alternative in
//! UTF-8, a subject, texts that differ between the languages, and no header added
//! by a display name or a subject that holds a line break.

use domain::Lang;
use domain::email::{
    DigestHearing, DigestInput, DigestSection, Email, Letterhead, Meeting, OutgoingEmail,
    ReceiptAttachment, WorkshopEvent,
};
use domain::group::{GroupKind, MemberRole};
use tests::rig::Rig;

const LANGS: [(Lang, &str); 3] = [(Lang::Nn, "nn"), (Lang::Nb, "nb"), (Lang::En, "en")];

/// One email of every kind; the match makes a new kind fail to compile here until
/// it is added.
fn every_kind() -> Vec<Email> {
    let link = "https://samrad.test/hearings/1".to_owned();
    let all = vec![
        Email::CommentNotice {
            plan_title: "Kommuneplan".into(),
            hearing_title: "Høyring".into(),
            section_number: "2".into(),
            section_title: "Medverknad".into(),
            author_name: "Åse".into(),
            excerpt: "Bra plan – «takk».".into(),
            late: true,
            link: link.clone(),
        },
        Email::SignInLink {
            link: link.clone(),
            valid_minutes: 15,
        },
        Email::Invitation {
            municipality_name: "Alver kommune".into(),
            plan_title: "Kommuneplan".into(),
            group_name: "Eldrerådet".into(),
            group_kind: GroupKind::ElderCouncil,
            invited_by: "Siri".into(),
            role: MemberRole::Member,
            organisation_name: Some("Alver eldreråd".into()),
            meetings: vec![Meeting {
                title: "Oppstart".into(),
                date: "2026-03-01".into(),
            }],
            hearing_deadline: Some("2026-04-01T10:00:00Z".into()),
            link: link.clone(),
            valid_days: 14,
        },
        Email::ConfirmInput {
            hearing_title: "Høyring".into(),
            excerpt: "Innspel".into(),
            link: link.clone(),
            valid_minutes: 60,
        },
        Email::DeadlineExtended {
            hearing_title: "Høyring".into(),
            new_deadline: "2026-04-01T10:00:00Z".into(),
            reason: "Påske".into(),
            link: link.clone(),
        },
        Email::InputHidden {
            hearing_title: "Høyring".into(),
            excerpt: "Innspel".into(),
            reason: "Personopplysningar".into(),
            link: link.clone(),
        },
        Email::ResponseReceipt {
            hearing_title: "Høyring".into(),
            plan_title: "Kommuneplan".into(),
            organisation_name: Some("Alver eldreråd".into()),
            version: 2,
            text: "Svar frå rådet.".into(),
            attachments: vec![ReceiptAttachment {
                file_name: "vedlegg.pdf".into(),
                size_bytes: 12_345,
            }],
            late: false,
            received_at: "2026-03-01T10:00:00Z".into(),
            link: link.clone(),
        },
        Email::DeadlineReminder {
            hearing_title: "Høyring".into(),
            plan_title: "Kommuneplan".into(),
            organisation_name: None,
            deadline: "2026-04-01T10:00:00Z".into(),
            days_left: 3,
            link: link.clone(),
            contact_name: Some("Siri".into()),
            contact_email: Some("siri@alver.example".into()),
        },
        Email::HearingOpened {
            hearing_title: "Høyring".into(),
            plan_title: "Kommuneplan".into(),
            deadline: "2026-04-01T10:00:00Z".into(),
            link: link.clone(),
        },
        Email::HearingClosed {
            hearing_title: "Høyring".into(),
            plan_title: "Kommuneplan".into(),
            link: link.clone(),
        },
        Email::CommentReply {
            hearing_title: "Høyring".into(),
            section_title: "2 Medverknad".into(),
            author_name: "Åse".into(),
            excerpt: "Eg er einig.".into(),
            link: link.clone(),
        },
        Email::ResponseNotice {
            hearing_title: "Høyring".into(),
            plan_title: "Kommuneplan".into(),
            from: "Alver eldreråd".into(),
            version: 1,
            late: true,
            link: link.clone(),
        },
        Email::InputsAssessed {
            hearing_title: "Høyring".into(),
            plan_title: "Kommuneplan".into(),
            inputs: vec![domain::email::AssessedInput {
                excerpt: "Meir personale i heimetenesta.".into(),
                outcome: Some(domain::assessment::Outcome::PartlyFollowed),
                response: "Vurderast i handlingsdelen.".into(),
            }],
            link: link.clone(),
        },
        Email::Digest {
            day: "2026-03-01".into(),
            planned: vec![DigestHearing {
                plan_title: "Kommuneplan".into(),
                hearing_title: "Høyring".into(),
                link: link.clone(),
                sections: vec![
                    DigestSection {
                        title: "2 Medverknad".into(),
                        inputs: vec![DigestInput {
                            id: uuid::Uuid::nil(),
                            author_name: "Åse".into(),
                            excerpt: "Bra plan – «takk».".into(),
                            late: true,
                            link: link.clone(),
                        }],
                    },
                    DigestSection {
                        title: String::new(),
                        inputs: vec![DigestInput {
                            id: uuid::Uuid::nil(),
                            author_name: "Alver eldreråd".into(),
                            excerpt: "Svar frå rådet.".into(),
                            late: false,
                            link: link.clone(),
                        }],
                    },
                ],
            }],
            followed: vec![DigestHearing {
                plan_title: "Kommuneplan".into(),
                hearing_title: "Høyring".into(),
                link: link.clone(),
                sections: vec![DigestSection {
                    title: "3 Tenester".into(),
                    inputs: vec![DigestInput {
                        id: uuid::Uuid::nil(),
                        author_name: "Per".into(),
                        excerpt: "Eg er einig.".into(),
                        late: false,
                        link: link.clone(),
                    }],
                }],
            }],
        },
        Email::WorkshopInvitation {
            event: workshop_event(),
            update: false,
        },
        Email::WorkshopCancelled {
            event: workshop_event(),
        },
        Email::WorkshopReminder {
            event: workshop_event(),
            hours: 48,
            seat: false,
        },
        Email::WorkshopSeat {
            event: workshop_event(),
        },
    ];
    for email in &all {
        match email {
            Email::CommentNotice { .. }
            | Email::SignInLink { .. }
            | Email::Invitation { .. }
            | Email::ConfirmInput { .. }
            | Email::DeadlineExtended { .. }
            | Email::InputHidden { .. }
            | Email::ResponseReceipt { .. }
            | Email::DeadlineReminder { .. }
            | Email::HearingOpened { .. }
            | Email::HearingClosed { .. }
            | Email::CommentReply { .. }
            | Email::ResponseNotice { .. }
            | Email::InputsAssessed { .. }
            | Email::Digest { .. }
            | Email::WorkshopInvitation { .. }
            | Email::WorkshopCancelled { .. }
            | Email::WorkshopReminder { .. }
            | Email::WorkshopSeat { .. } => {}
        }
    }
    all
}

/// A workshop in a hall with every accessibility feature and an online link.
fn workshop_event() -> WorkshopEvent {
    WorkshopEvent {
        uid: "workshop-1@samrad".into(),
        sequence: 3,
        title: "Arbeidsmøte; trinn 7–10".into(),
        plan_title: "Kommuneplan".into(),
        purpose: "Innspel til «tiltak».".into(),
        starts_at: "2026-03-04T08:00:00Z".into(),
        ends_at: "2026-03-04T11:00:00Z".into(),
        place: Some(domain::workshop::Place {
            address: "Rådhuset, Storgata 1".into(),
            step_free_access: true,
            hearing_loop: true,
            parking: true,
            interpreter_on_request: true,
        }),
        online_link: Some("https://møte.example/abc".into()),
        agenda: vec!["Velkomen (10 min)".into()],
        link: "https://samrad.test/workshops/1".into(),
        organizer: Some("plan@alver.example".into()),
        attendee: Some(domain::email::Attendee {
            email: "kari@alver.example".into(),
            name: "Kari Nordmann".into(),
            partstat: "NEEDS-ACTION".into(),
        }),
    }
}

fn letterhead() -> Letterhead {
    Letterhead {
        municipality: "Alver kommune".into(),
        case_number: Some("2026/17".into()),
        recipient_name: Some("Åse".into()),
        ..Letterhead::default()
    }
}

/// Python 3 from Debian, else the first on PATH; the check is not skipped without it.
fn python() -> &'static str {
    ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|p| {
            std::process::Command::new(p)
                .args(["-c", "import email.policy"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .unwrap_or_else(|| panic!("python3 is needed to check the emails: apt-get install python3"))
}

#[tokio::test]
async fn every_email_in_every_language_is_valid_mime_checked_by_python() {
    let rig = Rig::new().await;
    let kinds = every_kind();
    let mut files = Vec::new();
    for email in &kinds {
        for (lang, code) in LANGS {
            let recipient = format!("{}-{code}@example.org", email.kind());
            // A person, so that a kind that can be turned off gets its link.
            rig.db
                .ensure_person(&recipient, "Åse", lang)
                .await
                .expect("person");
            rig.db
                .enqueue_email(&OutgoingEmail {
                    dedupe_key: format!("mime:{recipient}"),
                    municipality: None,
                    plan: None,
                    recipient: recipient.clone(),
                    lang,
                    email: email.clone(),
                    letterhead: letterhead(),
                })
                .await
                .expect("queued");
            files.push((recipient, format!("{}.{code}.eml", email.kind())));
        }
    }
    // A municipality's name and a title with a line break and a header after it.
    let injected = "injection@example.org";
    rig.db
        .enqueue_email(&OutgoingEmail {
            dedupe_key: "mime:injection".into(),
            municipality: None,
            plan: None,
            recipient: injected.into(),
            lang: Lang::Nn,
            email: Email::HearingClosed {
                hearing_title: "Høyring\r\nBcc: evil@example.org".into(),
                plan_title: "Plan\nX-Injected: yes".into(),
                link: "https://samrad.test/".into(),
            },
            letterhead: Letterhead {
                display_name: Some("Alver\r\nBcc: evil@example.org".into()),
                ..letterhead()
            },
        })
        .await
        .expect("queued");
    files.push((injected.into(), "injection.eml".into()));

    let worker = rig.worker();
    while worker.run_once().await.expect("sent") > 0 {}
    let mails = rig.sink.mails();
    assert_eq!(mails.len(), files.len(), "every email arrived");

    let dir = tests::TempDir::new();
    for (recipient, file) in &files {
        let mail = mails
            .iter()
            .find(|m| m.to.iter().any(|t| t == recipient))
            .unwrap_or_else(|| panic!("no email to {recipient}"));
        std::fs::write(dir.0.join(file), &mail.data).expect("write");
    }
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check_mime.py");
    let out = std::process::Command::new(python())
        .arg(&script)
        .arg(&dir.0)
        .args(kinds.iter().map(|e| {
            if e.is_optional() {
                format!("+{}", e.kind())
            } else {
                e.kind().to_owned()
            }
        }))
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.trim() == "ok",
        "the MIME check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The outbox pages name each kind of email in the reader's language, never by its
/// code: every kind has its name in nynorsk, bokmål and English.
#[test]
fn every_kind_is_named_on_the_outbox_pages_in_every_language() {
    for email in every_kind() {
        let id = format!("sent-kind-{}", email.kind());
        for lang in [Lang::Nn, Lang::Nb, Lang::En] {
            let name = i18n::t(lang, &id);
            assert_ne!(name, id, "{id} has no text in {lang:?}");
        }
    }
}
