//! Which emails a person receives: the kinds chosen on `/me`, and the one-click
//! unsubscribe link (RFC 8058) in every email of a kind that can be turned off. The
//! worker decides when it sends, and marks what it skips `unsubscribed`.

use db::OutboxStatus;
use domain::Lang;
use domain::email::{Email, OutgoingEmail};
use domain::person::Person;
use tests::rig::Rig;
use tests::{Backend, TestApp, spawn_app};

fn outgoing(to: &str, email: Email) -> OutgoingEmail {
    OutgoingEmail {
        dedupe_key: format!("test:{}", uuid::Uuid::new_v4()),
        municipality: None,
        plan: None,
        recipient: to.to_owned(),
        lang: Lang::Nn,
        email,
        letterhead: Default::default(),
    }
}

/// A deadline moved; `reason` tells the emails apart.
fn extended(reason: &str) -> Email {
    Email::DeadlineExtended {
        hearing_title: "Kommuneplan".into(),
        new_deadline: "2026-12-24T12:00:00Z".into(),
        reason: reason.into(),
        link: "https://samrad.test/hearings/x".into(),
    }
}

fn comment_notice(excerpt: &str) -> Email {
    Email::CommentNotice {
        plan_title: "Kommuneplan".into(),
        hearing_title: "Kommuneplan".into(),
        section_number: "1".into(),
        section_title: "Føremål".into(),
        author_name: "Per".into(),
        excerpt: excerpt.into(),
        late: false,
        link: "https://samrad.test/hearings/x".into(),
    }
}

fn reminder() -> Email {
    Email::DeadlineReminder {
        hearing_title: "Kommuneplan".into(),
        plan_title: "Kommuneplan".into(),
        organisation_name: None,
        deadline: "2026-12-24T12:00:00Z".into(),
        days_left: 3,
        link: "https://samrad.test/hearings/x/respond".into(),
        contact_name: None,
        contact_email: None,
    }
}

async fn queue(app: &TestApp, to: &str, email: Email) {
    app.db
        .enqueue_email(&outgoing(to, email))
        .await
        .expect("queued");
}

/// The status of the deadline email to `to` with `reason`.
async fn status_of_extended(app: &TestApp, to: &str, reason: &str) -> OutboxStatus {
    let jobs = app.db.recent_emails(1000).await.expect("outbox");
    let job = jobs
        .iter()
        .find(|j| {
            j.recipient == to
                && matches!(&j.envelope.email, Email::DeadlineExtended { reason: r, .. } if r == reason)
        })
        .unwrap_or_else(|| panic!("no email {reason:?} to {to}: {jobs:#?}"));
    job.status
}

async fn opted_out(app: &TestApp, person: &Person) -> Vec<String> {
    let mut kinds = app.db.opted_out_kinds(person.id).await.expect("kinds");
    kinds.sort();
    kinds
}

#[tokio::test]
async fn the_one_click_link_stops_that_kind_for_that_person_only_and_only_by_post() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let kari = app.citizen("kari@x.example", "Kari").await;
    let ola = app
        .db
        .ensure_person("ola@x.example", "Ola", Lang::Nn)
        .await
        .expect("ola");

    queue(&app, "kari@x.example", extended("Fyrste flytting")).await;
    let mail = app.mail_to("kari@x.example", "Fyrste flytting").await;
    let header = mail.header("List-Unsubscribe").expect("List-Unsubscribe");
    let link = header
        .strip_prefix('<')
        .and_then(|l| l.strip_suffix('>'))
        .unwrap_or_else(|| panic!("{header}"));
    let path = link
        .strip_prefix(&app.base_url)
        .unwrap_or_else(|| panic!("{link} is not on {}", app.base_url));
    assert!(path.starts_with("/unsubscribe/"), "{path}");

    // Opening the link (as a mail scanner would) changes nothing.
    let public = app.public();
    let (status, page) = app.page_status(&public, path).await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains(&format!("action=\"{path}\"")), "{page}");
    assert!(opted_out(&app, &kari.person).await.is_empty());

    // A forged link: the kind or the person changed, or made up. Refused, nothing changed.
    let other_kind = path.replace("deadline_extended", "comment_notice");
    let other_person = path.replace(
        &kari.person.id.0.simple().to_string(),
        &ola.id.0.simple().to_string(),
    );
    for forged in [other_kind.as_str(), &other_person, "/unsubscribe/abc"] {
        let response = public.post(app.url(forged)).send().await.expect("post");
        assert_eq!(response.status(), 404, "{forged}");
        let body = response.text().await.expect("body");
        assert!(body.contains("ikkje gyldig"), "{body}");
        let (status, _) = app.page_status(&public, forged).await;
        assert_eq!(status, 404, "{forged}");
    }
    assert!(opted_out(&app, &kari.person).await.is_empty());
    assert!(opted_out(&app, &ola).await.is_empty());

    // The mail program's one-click POST: from another site, without a session.
    let response = public
        .post(link)
        .header("Origin", "https://webmail.example")
        .header("Sec-Fetch-Site", "cross-site")
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 200);
    assert_eq!(opted_out(&app, &kari.person).await, ["deadline_extended"]);
    assert!(opted_out(&app, &ola).await.is_empty());

    // Kari gets no more of that kind, but other kinds; Ola still gets that kind.
    queue(&app, "kari@x.example", extended("Andre flytting")).await;
    queue(&app, "kari@x.example", comment_notice("Eit nytt innspel")).await;
    queue(&app, "ola@x.example", extended("Andre flytting")).await;
    app.mail_to("kari@x.example", "Eit nytt innspel").await;
    app.mail_to("ola@x.example", "Andre flytting").await;
    app.outbox_drained().await;
    assert_eq!(
        status_of_extended(&app, "kari@x.example", "Andre flytting").await,
        OutboxStatus::Unsubscribed
    );
    assert_eq!(
        status_of_extended(&app, "ola@x.example", "Andre flytting").await,
        OutboxStatus::Sent
    );
    assert!(
        !app.smtp
            .mails()
            .iter()
            .any(|m| m.to == ["kari@x.example"] && m.text().contains("Andre flytting")),
        "unsubscribed email was sent"
    );
}

#[tokio::test]
async fn a_person_chooses_on_their_page_which_emails_they_receive() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let kari = app.citizen("kari@x.example", "Kari").await;

    let page = app.page(&kari, "/me").await;
    assert!(
        page.contains(
            r#"id="me-email-deadline_reminder" name="receive" value="deadline_reminder" checked"#
        ),
        "{page}"
    );

    // Receive comment notices and hidden-input notices only.
    let response = kari
        .post(app.url("/me/emails"))
        .form(&[("receive", "comment_notice"), ("receive", "input_hidden")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    assert_eq!(
        opted_out(&app, &kari.person).await,
        [
            "comment_reply",
            "deadline_extended",
            "deadline_reminder",
            "digest",
            "hearing_closed",
            "hearing_opened",
            "inputs_assessed",
            "response_notice",
            "workshop_reminder"
        ]
    );
    let page = app.page(&kari, "/me?emails_saved=1").await;
    assert!(
        page.contains(r#"value="deadline_reminder">"#)
            && page.contains(r#"value="comment_notice" checked"#),
        "{page}"
    );

    // A kind that is not on the list is refused beside the form; nothing changes.
    let response = kari
        .post(app.url("/me/emails"))
        .form(&[("receive", "sign_in_link")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 422);
    assert!(
        response
            .text()
            .await
            .expect("body")
            .contains("emails-error")
    );
    assert_eq!(
        opted_out(&app, &kari.person).await,
        [
            "comment_reply",
            "deadline_extended",
            "deadline_reminder",
            "digest",
            "hearing_closed",
            "hearing_opened",
            "inputs_assessed",
            "response_notice",
            "workshop_reminder"
        ]
    );

    // Only the unsubscribe link is exempt from the cross-site check.
    let response = kari
        .post(app.url("/me/emails"))
        .header("Sec-Fetch-Site", "cross-site")
        .form(&[("receive", "deadline_reminder")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 403);

    // The worker keeps to it.
    queue(&app, "kari@x.example", reminder()).await;
    queue(&app, "kari@x.example", comment_notice("Framleis velkomen")).await;
    app.mail_to("kari@x.example", "Framleis velkomen").await;
    app.outbox_drained().await;
    let jobs = app.db.recent_emails(1000).await.expect("outbox");
    let reminder = jobs
        .iter()
        .find(|j| j.kind == "deadline_reminder")
        .expect("reminder");
    assert_eq!(reminder.status, OutboxStatus::Unsubscribed);
}

#[tokio::test]
async fn only_emails_that_can_be_turned_off_carry_the_one_click_headers() {
    let rig = Rig::new().await;
    rig.db
        .ensure_person("kari@x.example", "Kari", Lang::Nn)
        .await
        .expect("kari");
    let optional = [reminder(), comment_notice("Nytt"), extended("Flytta")];
    let always = [
        Email::SignInLink {
            link: "https://samrad.test/sign-in/confirm?token=abc".into(),
            valid_minutes: 15,
        },
        Email::ConfirmInput {
            hearing_title: "Kommuneplan".into(),
            excerpt: "Innspel".into(),
            link: "https://samrad.test/inputs/confirm?token=abc".into(),
            valid_minutes: 60,
        },
        Email::ResponseReceipt {
            hearing_title: "Kommuneplan".into(),
            plan_title: "Kommuneplan".into(),
            organisation_name: None,
            version: 1,
            text: "Fråsegn".into(),
            attachments: vec![],
            late: false,
            received_at: "2026-12-01T12:00:00Z".into(),
            link: "https://samrad.test/responses/x".into(),
        },
    ];
    for email in optional.iter().chain(&always) {
        rig.db
            .enqueue_email(&outgoing("kari@x.example", email.clone()))
            .await
            .expect("queued");
    }
    let worker = rig.worker();
    while worker.run_once().await.expect("run") > 0 {}

    let mails = rig.sink.mails();
    assert_eq!(mails.len(), optional.len() + always.len(), "{mails:#?}");
    let subjects_of = |kind: &Email| {
        notify::render(&domain::email::EmailEnvelope {
            lang: Lang::Nn,
            email: kind.clone(),
            letterhead: Default::default(),
        })
        .subject
    };
    for email in &optional {
        let mail = mails
            .iter()
            .find(|m| m.subject() == subjects_of(email))
            .unwrap_or_else(|| panic!("no {}", email.kind()));
        let link = mail.header("List-Unsubscribe").unwrap_or_default();
        assert!(
            link.starts_with("<https://samrad.test/unsubscribe/") && link.contains(email.kind()),
            "{}: {link:?}",
            email.kind()
        );
        assert_eq!(
            mail.header("List-Unsubscribe-Post").as_deref(),
            Some("List-Unsubscribe=One-Click"),
            "{}",
            email.kind()
        );
    }
    for email in &always {
        let mail = mails
            .iter()
            .find(|m| m.subject() == subjects_of(email))
            .unwrap_or_else(|| panic!("no {}", email.kind()));
        assert_eq!(mail.header("List-Unsubscribe"), None, "{}", email.kind());
        assert_eq!(
            mail.header("List-Unsubscribe-Post"),
            None,
            "{}",
            email.kind()
        );
    }
}
