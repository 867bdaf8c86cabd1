//! Forgetting a person, at the storage level: emails to them are cancelled and no
//! longer carry their address, and forgetting twice changes nothing.
//!
//! Runs on SQLite, or on a fresh PostgreSQL database when
//! `SAMRAD_TEST_DATABASE_URL` names a server the test user may create databases on.

use db::OutboxStatus;
use domain::email::{Email, OutgoingEmail};
use domain::{Lang, privacy};

mod support;

use support::fresh_db;

fn email_to(recipient: &str, key: &str) -> OutgoingEmail {
    OutgoingEmail {
        dedupe_key: key.to_owned(),
        municipality: None,
        plan: None,
        recipient: recipient.to_owned(),
        lang: Lang::Nn,
        email: Email::SignInLink {
            link: "http://x/sign-in/confirm?token=t".to_owned(),
            valid_minutes: 15,
        },
        letterhead: Default::default(),
    }
}

#[tokio::test]
async fn forgetting_a_person_cancels_the_emails_not_sent_to_them() {
    let (db, dir) = fresh_db().await;
    let ola = db
        .ensure_person("Ola@Example.org", "Ola Nordmann", Lang::Nn)
        .await
        .expect("person");
    db.ensure_person("kari@example.org", "Kari", Lang::Nb)
        .await
        .expect("person");
    // The address as typed somewhere else, in another case.
    db.enqueue_email(&email_to("OLA@example.org", "to-ola"))
        .await
        .expect("queued");
    db.enqueue_email(&email_to("kari@example.org", "to-kari"))
        .await
        .expect("queued");

    let done = db.anonymise_person(ola.id).await.expect("forgotten");
    assert_eq!(done.cancelled_emails, 1);

    let jobs = db.recent_emails(10).await.expect("outbox");
    let (to_ola, others): (Vec<_>, Vec<_>) = jobs
        .iter()
        .partition(|j| privacy::is_placeholder_email(&j.recipient));
    assert_eq!(to_ola.len(), 1, "{jobs:?}");
    assert_eq!(to_ola[0].status, OutboxStatus::Cancelled);
    assert_eq!(others.len(), 1);
    assert_eq!(others[0].recipient, "kari@example.org");
    assert_eq!(others[0].status, OutboxStatus::Pending);
    let claimed = db
        .claim_due_emails(jiff::SignedDuration::from_mins(5), 10)
        .await
        .expect("claim");
    assert_eq!(claimed.len(), 1, "a cancelled email is never claimed");
    assert_eq!(claimed[0].recipient, "kari@example.org");

    let record = db.person_record(ola.id).await.expect("record");
    assert!(record.anonymised_at.is_some());
    assert_eq!(record.person.name, "");
    assert!(
        db.person_by_email("ola@example.org")
            .await
            .expect("db")
            .is_none()
    );
    assert!(
        db.update_profile(ola.id, "Ola", Lang::En).await.is_err(),
        "a forgotten person has no profile"
    );

    // Twice is once.
    let again = db.anonymise_person(ola.id).await.expect("no-op");
    assert_eq!((again.comments, again.cancelled_emails), (0, 0));
    assert_eq!(db.person_record(ola.id).await.expect("record"), record);

    db.close().await.expect("close");
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}
