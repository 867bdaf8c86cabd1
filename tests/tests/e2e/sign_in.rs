//! Sign-in by emailed link, sessions, and the planner's workbench in HTML.

use std::time::Duration;
use tests::{Backend, spawn_app};

use tests::{browser, planner, request_link};

#[tokio::test]
async fn a_planner_signs_in_by_link_and_signs_out() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    planner(&app, "kari@testvik.example").await;
    let client = browser();
    let token = request_link(&app, &client, "kari@testvik.example").await;
    assert!(token.len() >= 43, "at least 256 bits: {token}");

    // Opening the link (as a mail scanner would) does not sign in or use it up.
    for _ in 0..2 {
        let page = client
            .get(app.url(&format!("/sign-in/confirm?token={token}")))
            .send()
            .await
            .expect("get");
        assert_eq!(page.status(), 200);
        assert!(page.headers().get("set-cookie").is_none());
    }
    let head = client
        .head(app.url(&format!("/sign-in/confirm?token={token}")))
        .send()
        .await
        .expect("head");
    assert!(head.headers().get("set-cookie").is_none());
    assert_eq!(
        client
            .get(app.url("/planner"))
            .send()
            .await
            .expect("get")
            .status(),
        303,
        "not signed in yet"
    );

    let confirmed = client
        .post(app.url("/sign-in/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(confirmed.status(), 303);
    assert_eq!(confirmed.headers()["location"], "/planner");
    let cookie = confirmed.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(cookie.starts_with("__Host-samrad_session="), "{cookie}");
    for attribute in ["Secure", "HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    let workbench = client.get(app.url("/planner")).send().await.expect("get");
    assert_eq!(workbench.status(), 200);
    assert!(
        workbench
            .text()
            .await
            .expect("html")
            .contains("Testvik kommune")
    );

    // The link works once.
    let again = browser()
        .post(app.url("/sign-in/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(again.status(), 410);
    assert!(again.headers().get("set-cookie").is_none());

    let out = client
        .post(app.url("/sign-out"))
        .send()
        .await
        .expect("post");
    assert_eq!(out.status(), 303);
    assert_eq!(
        client
            .get(app.url("/planner"))
            .send()
            .await
            .expect("get")
            .status(),
        303,
        "signed out"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn two_parallel_redemptions_of_one_link_give_one_session() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    planner(&app, "kari@testvik.example").await;
    let token = request_link(&app, &browser(), "kari@testvik.example").await;
    let attempts = (0..2).map(|_| {
        let url = app.url("/sign-in/confirm");
        let token = token.clone();
        async move {
            browser()
                .post(url)
                .form(&[("token", token)])
                .send()
                .await
                .expect("post")
                .status()
                .as_u16()
        }
    });
    let mut statuses = futures_util::future::join_all(attempts).await;
    statuses.sort();
    assert_eq!(statuses, vec![303, 410]);
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn unknown_addresses_get_the_same_answer_and_no_email() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    planner(&app, "kari@testvik.example").await;
    let known = browser()
        .post(app.url("/sign-in"))
        .form(&[("email", "kari@testvik.example")])
        .send()
        .await
        .expect("post");
    let unknown = browser()
        .post(app.url("/sign-in"))
        .form(&[("email", "nobody@testvik.example")])
        .send()
        .await
        .expect("post");
    assert_eq!(known.status(), unknown.status());
    let known = known
        .text()
        .await
        .expect("html")
        .replace("kari@testvik.example", "X");
    let unknown = unknown
        .text()
        .await
        .expect("html")
        .replace("nobody@testvik.example", "X");
    assert_eq!(
        known, unknown,
        "the answer must not reveal whether an address is registered"
    );
    // Only the known address gets a link. Every email is queued in the outbox before
    // the answer is sent, so the outbox shows all that will go; once the worker is
    // through it, the sink has exactly that.
    let queued: Vec<String> = app
        .db
        .recent_emails(10)
        .await
        .expect("outbox")
        .into_iter()
        .map(|job| job.recipient)
        .collect();
    assert_eq!(
        queued,
        ["kari@testvik.example"],
        "an unknown address got an email"
    );
    app.outbox_drained().await;
    let sent: Vec<Vec<String>> = app.smtp.mails().into_iter().map(|m| m.to).collect();
    assert_eq!(sent, [["kari@testvik.example"]]);

    let malformed = browser()
        .post(app.url("/sign-in"))
        .form(&[("email", "kari@testvik.example\r\nBcc: x@y.no")])
        .send()
        .await
        .expect("post");
    assert_eq!(malformed.status(), 422);
    assert_eq!(
        app.db.recent_emails(10).await.expect("outbox").len(),
        1,
        "nothing queued for a malformed address"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn an_expired_link_is_refused() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let person = planner(&app, "kari@testvik.example").await;
    app.db
        .create_sign_in_token(db::NewSignInToken {
            email: "kari@testvik.example",
            person: Some(person.id),
            municipality: None,
            token: "expired-token",
            valid_for: jiff::SignedDuration::from_secs(-1),
            purpose: db::TokenPurpose::SignIn,
        })
        .await
        .expect("token");
    let response = browser()
        .post(app.url("/sign-in/confirm"))
        .form(&[("token", "expired-token")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 410);
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_planner_runs_a_hearing_in_the_workbench() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let doc = app.draft_document("workbench").await;
    let client = app.planner("kari@testvik.example").await;

    let form = client
        .get(app.url("/planner/hearings/new"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(form.contains(&doc.version_id), "the document is offered");

    // Too short without a reason: refused with the form kept.
    let too_short = client
        .post(app.url("/planner/hearings"))
        .form(&[
            ("document_version_id", doc.version_id.as_str()),
            ("title", "Kort"),
            ("kind", "pbl"),
            ("audience", "public"),
            ("opens_on", "2026-03-02"),
            ("weeks", "3"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(too_short.status(), 422);
    let page = too_short.text().await.expect("html");
    assert!(page.contains("seks veker"), "the pbl rule is explained");
    assert!(page.contains("value=\"Kort\""), "typed text is kept");

    let created = client
        .post(app.url("/planner/hearings"))
        .form(&[
            ("document_version_id", doc.version_id.as_str()),
            ("title", "Høyring i arbeidsbenken"),
            ("kind", "pbl"),
            ("audience", "public"),
            ("opens_on", "2024-03-22"),
            ("weeks", "6"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let manage = client
        .get(app.url(&location))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(manage.contains("3. mai 2024 kl. 23:59"), "deadline shown");
    assert!(manage.contains("påska"), "Easter warning shown");

    // A hearing running now: open it, move its deadline, close it.
    let today = jiff::Timestamp::now()
        .to_zoned(domain::deadline::oslo())
        .date();
    let created = client
        .post(app.url("/planner/hearings"))
        .form(&[
            ("document_version_id", doc.version_id.as_str()),
            ("title", "Høyring no"),
            ("kind", "pbl"),
            ("audience", "public"),
            ("opens_on", today.to_string().as_str()),
            ("weeks", "6"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(created.status(), 303);
    let location = created.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let opened = client
        .post(app.url(&format!("{location}/state")))
        .form(&[("action", "open")])
        .send()
        .await
        .expect("post");
    assert_eq!(opened.status(), 200);
    let opened = opened.text().await.expect("html");
    assert!(opened.contains("Høyringa er open."), "{opened}");

    let later = today.checked_add(jiff::ToSpan::days(90)).expect("date");
    let extended = client
        .post(app.url(&format!("{location}/extend")))
        .form(&[
            ("deadline_on", later.to_string().as_str()),
            ("reason", "Fleire lag ba om meir tid."),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(extended.status(), 200);
    let extended = extended.text().await.expect("html");
    assert!(extended.contains("Fristen er flytt"), "{extended}");
    assert!(
        extended.contains("Fleire lag ba om meir tid."),
        "the reason is in the log"
    );
    // Earlier than the current deadline: refused.
    let two_weeks = today.checked_add(jiff::ToSpan::days(14)).expect("date");
    let refused = client
        .post(app.url(&format!("{location}/extend")))
        .form(&[
            ("deadline_on", two_weeks.to_string().as_str()),
            ("reason", "Tilbake"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 422);
    let refused = refused.text().await.expect("html");
    assert!(refused.contains("seinare enn den gamle"), "{refused}");

    // Before the deadline the workbench asks why, and closes only with a reason.
    let unexplained = client
        .post(app.url(&format!("{location}/state")))
        .form(&[("action", "close")])
        .send()
        .await
        .expect("post");
    assert_eq!(unexplained.status(), 422);
    assert!(
        unexplained
            .text()
            .await
            .expect("html")
            .contains("Skriv kvifor høyringa blir avslutta før fristen")
    );
    let closed = client
        .post(app.url(&format!("{location}/state")))
        .form(&[("action", "close"), ("reason", "Planen blir trekt.")])
        .send()
        .await
        .expect("post");
    assert_eq!(closed.status(), 200);
    let again = client
        .post(app.url(&format!("{location}/state")))
        .form(&[("action", "close"), ("reason", "Planen blir trekt.")])
        .send()
        .await
        .expect("post");
    assert_eq!(again.status(), 409);

    // A cross-site form post is refused before it reaches the workbench.
    let forged = client
        .post(app.url(&format!("{location}/state")))
        .header("origin", "https://evil.example")
        .form(&[("action", "complete")])
        .send()
        .await
        .expect("post");
    assert_eq!(forged.status(), 403);

    // Someone who is not staff sees no workbench; the municipality's administrator does.
    let administrator = app.administrator("ada@testvik.example").await;
    assert_eq!(
        administrator
            .get(app.url("/planner"))
            .send()
            .await
            .expect("get")
            .status(),
        200
    );
    let outsider = app.citizen("ola@testvik.example", "Ola").await;
    assert_eq!(
        outsider
            .get(app.url("/planner"))
            .send()
            .await
            .expect("get")
            .status(),
        403
    );
    assert_eq!(
        outsider
            .get(app.url(&location))
            .send()
            .await
            .expect("get")
            .status(),
        403
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn signing_out_closes_the_sessions_websockets_in_every_tab() {
    use futures_util::StreamExt;
    use tokio_tungstenite::tungstenite::Message;
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("ut").await;
    let kari = app.planner("kari@testvik.example").await;
    let room = h.document_room();
    // Three tabs of one session, one following another room, and someone else.
    let mut tabs = [
        app.subscribed(&room, Some(&kari.cookie), None).await,
        app.subscribed(&room, Some(&kari.cookie), None).await,
        app.subscribed(&format!("hearing:{}", h.id), Some(&kari.cookie), None)
            .await,
    ];
    let mut anonymous_ws = app.subscribed(&room, None, None).await;

    let out = kari
        .post(app.url("/sign-out"))
        .send()
        .await
        .expect("sign out");
    assert_eq!(out.status(), 303);
    for (tab, ws) in tabs.iter_mut().enumerate() {
        let closed = tokio::time::timeout(Duration::from_secs(5), async {
            while let Some(message) = ws.next().await {
                if let Ok(Message::Close(frame)) = message {
                    return frame.map(|f| u16::from(f.code));
                }
            }
            None
        })
        .await
        .unwrap_or_else(|_| panic!("tab {tab}'s socket closes within 5 s"));
        assert_eq!(closed, Some(1008), "tab {tab}");
    }
    // Other people's sockets stay open: the anonymous one, which was told nothing
    // but who reads what, still answers.
    tests::ws::subscribe(&mut anonymous_ws, &format!("hearing:{}", h.id)).await;
    app.stop().await.expect("stops");
}
