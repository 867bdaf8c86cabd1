//! The outbox keeps no secrets: once a sign-in email is delivered its link is in
//! the recipient's mailbox only; finished emails are emptied after the retention
//! period; spent sign-in tokens and expired sessions are deleted.

use db::OutboxStatus;
use domain::email::Email;
use jiff::SignedDuration;
use tests::rig::Rig;
use tests::{Backend, spawn_app};

#[tokio::test]
async fn a_delivered_sign_in_link_is_stored_nowhere_in_the_database() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    tests::planner(&app, "kari@testvik.example").await;
    let client = tests::browser();
    let token = tests::request_link(&app, &client, "kari@testvik.example").await;
    app.outbox_drained().await;
    assert!(token.len() >= 20, "{token}");

    let values = app.db.every_text_value().await.expect("read");
    assert!(
        values.iter().any(|(table, _)| table == "outbox"),
        "the outbox was read: {values:?}"
    );
    let found: Vec<&(String, String)> = values.iter().filter(|(_, v)| v.contains(&token)).collect();
    assert!(found.is_empty(), "the sign-in token is stored: {found:?}");

    // The token was a real one: it still signs her in, once.
    let confirmed = client
        .post(app.url("/sign-in/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(confirmed.status(), 303);
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn finished_emails_are_emptied_after_the_retention_period() {
    let rig = Rig::new().await;
    rig.sink.refuse_recipient("later@example.org", 451);
    rig.enqueue("sent@example.org").await;
    rig.enqueue("later@example.org").await;
    let worker = rig.worker();
    assert_eq!(worker.run_once().await.expect("run"), 2);

    // Within the period nothing is emptied.
    rig.clock.advance(SignedDuration::from_hours(24 * 29));
    worker.purge().await;
    let sent = rig.job_to("sent@example.org").await;
    assert_eq!(sent.status, OutboxStatus::Sent);
    assert!(matches!(
        &sent.envelope.email,
        Email::SignInLink {
            valid_minutes: 15,
            ..
        }
    ));

    // After it, the sent email's text is gone; its row, key and status stay.
    rig.clock.advance(SignedDuration::from_hours(24 * 2));
    worker.purge().await;
    let sent = rig.job_to("sent@example.org").await;
    assert_eq!(sent.status, OutboxStatus::Sent);
    assert_eq!(sent.envelope.email.kind(), "sign_in_link");
    let stored = serde_json::to_string(&sent.envelope).expect("json");
    assert!(!stored.contains("samrad.test"), "{stored}");
    // An email still waiting to be sent keeps what it needs.
    let waiting = rig.job_to("later@example.org").await;
    assert_eq!(waiting.status, OutboxStatus::Pending);
    assert!(
        matches!(&waiting.envelope.email, Email::SignInLink { link, .. } if link.contains("token=abc"))
    );
}

#[tokio::test]
async fn spent_sign_in_tokens_and_expired_sessions_are_deleted() {
    let rig = Rig::new().await;
    let person = rig
        .db
        .ensure_person("kari@testvik.example", "Kari", domain::Lang::Nn)
        .await
        .expect("person");
    let token = |secret: &'static str, minutes: i64| db::NewSignInToken {
        email: "kari@testvik.example",
        person: Some(person.id),
        municipality: None,
        token: secret,
        valid_for: SignedDuration::from_mins(minutes),
        purpose: db::TokenPurpose::SignIn,
    };
    rig.db
        .create_sign_in_token(token("used-token", 15))
        .await
        .expect("token");
    rig.db
        .create_sign_in_token(token("expiring-token", 15))
        .await
        .expect("token");
    rig.db
        .create_sign_in_token(token("lasting-token", 60 * 24 * 7))
        .await
        .expect("token");
    rig.db
        .redeem_sign_in_token(
            "used-token",
            "session-secret",
            SignedDuration::from_hours(1),
        )
        .await
        .expect("redeemed")
        .expect("a session");
    let hashes = |values: Vec<(String, String)>, table: &str| -> Vec<String> {
        values
            .into_iter()
            .filter(|(t, _)| t == table)
            .map(|(_, v)| v)
            .collect()
    };
    let before = rig.db.every_text_value().await.expect("read");
    assert!(hashes(before.clone(), "sign_in_token").contains(&db::hash_token("used-token")));
    assert!(hashes(before, "session").contains(&db::hash_token("session-secret")));

    // Two days on, the worker's purge runs.
    rig.clock.advance(SignedDuration::from_hours(48));
    rig.worker().purge().await;
    let after = rig.db.every_text_value().await.expect("read");
    let tokens = hashes(after.clone(), "sign_in_token");
    assert!(!tokens.contains(&db::hash_token("used-token")), "used");
    assert!(
        !tokens.contains(&db::hash_token("expiring-token")),
        "expired"
    );
    assert!(
        tokens.contains(&db::hash_token("lasting-token")),
        "still valid"
    );
    assert!(
        !hashes(after, "session").contains(&db::hash_token("session-secret")),
        "expired session"
    );
}
