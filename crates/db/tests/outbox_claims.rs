//! The outbox's claim: however many workers (each with its own connections, as
//! separate processes have) claim at once, every due email is claimed by exactly
//! one of them. On SQLite each claim is a conditional update; on PostgreSQL the due
//! rows are locked with `FOR UPDATE SKIP LOCKED`.
//!
//! Runs on SQLite, or on a fresh PostgreSQL database when
//! `SAMRAD_TEST_DATABASE_URL` names a server the test user may create databases on.

mod support;

use db::Db;
use domain::Lang;
use domain::email::{Email, OutgoingEmail};
use jiff::SignedDuration;
use std::collections::HashSet;

const EMAILS: usize = 60;
const WORKERS: usize = 4;

fn email(n: usize) -> OutgoingEmail {
    OutgoingEmail {
        dedupe_key: format!("claim-test:{n}"),
        municipality: None,
        plan: None,
        recipient: format!("person{n}@example.no"),
        lang: Lang::Nn,
        email: Email::SignInLink {
            link: "http://x/sign-in/confirm?token=t".to_owned(),
            valid_minutes: 15,
        },
        letterhead: Default::default(),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_claimers_never_get_the_same_email() {
    let (db, url, dir) = support::fresh_db_url().await;
    let emails: Vec<OutgoingEmail> = (0..EMAILS).map(email).collect();
    assert_eq!(db.enqueue_emails(&emails).await.expect("queued"), EMAILS);

    let mut workers = Vec::new();
    for _ in 0..WORKERS {
        let worker = Db::connect(&url).await.expect("a worker's own connection");
        workers.push(tokio::spawn(async move {
            let mut claimed = Vec::new();
            loop {
                let batch = worker
                    .claim_due_emails(SignedDuration::from_mins(10), 3)
                    .await
                    .expect("claim");
                if batch.is_empty() {
                    break;
                }
                claimed.extend(batch.into_iter().map(|job| job.id));
                tokio::task::yield_now().await;
            }
            worker.close().await.expect("close");
            claimed
        }));
    }
    let mut all = Vec::new();
    let mut workers_that_claimed = 0;
    for worker in workers {
        let claimed = worker.await.expect("worker");
        workers_that_claimed += usize::from(!claimed.is_empty());
        all.extend(claimed);
    }
    let distinct: HashSet<_> = all.iter().collect();
    assert_eq!(
        distinct.len(),
        all.len(),
        "an email was claimed by two workers"
    );
    assert_eq!(all.len(), EMAILS, "every due email is claimed once");
    assert!(workers_that_claimed >= 1);
    // While the lease runs, nobody claims them again.
    assert!(
        db.claim_due_emails(SignedDuration::from_mins(10), 100)
            .await
            .expect("claim")
            .is_empty()
    );
    db.close().await.expect("close");
    if let Some(dir) = dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}
