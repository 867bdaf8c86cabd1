//! The administrator's outbox: emails queued, sent and given up with their errors,
//! a given-up email queued again, and the outbox's depth on `/metrics`.

use db::OutboxStatus;
use tests::{Backend, spawn_app_alone};

#[tokio::test]
async fn an_administrator_sees_a_given_up_email_with_its_error_and_sends_it_again() {
    let app = spawn_app_alone(Backend::from_env()).await.expect("app");
    let admin = app.administrator("ada@testvik.example").await;
    let planner = app.planner("kari@testvik.example").await;

    // A sign-in link to an address the mail server refuses for good.
    tests::planner(&app, "borte@testvik.example").await;
    app.smtp.refuse_recipient("borte@testvik.example", 550);
    let asked = tests::browser()
        .post(app.url("/sign-in"))
        .form(&[("email", "borte@testvik.example"), ("municipality", "")])
        .send()
        .await
        .expect("post");
    assert_eq!(asked.status(), 200);
    app.outbox_drained().await;
    let dead: Vec<_> = app
        .db
        .recent_emails(100)
        .await
        .expect("outbox")
        .into_iter()
        .filter(|j| j.status == OutboxStatus::Failed)
        .collect();
    assert_eq!(dead.len(), 1, "{dead:?}");
    assert_eq!(dead[0].attempt, 1, "given up at once");

    // /metrics shows the depth.
    let metrics = app
        .http
        .get(app.url("/metrics"))
        .send()
        .await
        .expect("metrics")
        .text()
        .await
        .expect("text");
    assert!(metrics.contains("samrad_outbox_dead 1"), "{metrics}");
    assert!(metrics.contains("samrad_outbox_queued 0"), "{metrics}");

    // A planner who is no administrator may not look.
    let (status, _) = app.page_status(&planner, "/admin/outbox").await;
    assert_eq!(status, 403);
    let (status, _) = app.page_status(&app.public(), "/admin/outbox").await;
    assert_eq!(status, 303, "sent to sign in");

    // The administrator sees it with its error, and the sent ones.
    let page = app.page(&admin, "/admin/outbox").await;
    let dead_table = page
        .split("id=\"outbox-dead\"")
        .nth(1)
        .and_then(|rest| rest.split("</table>").next())
        .unwrap_or_default();
    assert!(dead_table.contains("borte@testvik.example"), "{page}");
    assert!(dead_table.contains("550"), "{page}");
    let sent_table = page.split("id=\"outbox-sent\"").nth(1).unwrap_or_default();
    assert!(sent_table.contains("kari@testvik.example"), "{page}");

    // Queued again once the address works, it arrives.
    app.smtp.accept_all();
    let response = admin
        .post(app.url(&format!("/admin/outbox/{}/retry", dead[0].id)))
        .send()
        .await
        .expect("retry");
    assert_eq!(response.status(), 200);
    app.mail_to("borte@testvik.example", "token=").await;
    app.outbox_drained().await;
    let job = app
        .db
        .recent_emails(100)
        .await
        .expect("outbox")
        .into_iter()
        .find(|j| j.id == dead[0].id)
        .expect("the job");
    assert_eq!(job.status, OutboxStatus::Sent);
    // Only a given-up email can be queued again.
    let response = admin
        .post(app.url(&format!("/admin/outbox/{}/retry", dead[0].id)))
        .send()
        .await
        .expect("retry");
    assert_eq!(response.status(), 404);
    let response = planner
        .post(app.url(&format!("/admin/outbox/{}/retry", dead[0].id)))
        .send()
        .await
        .expect("retry");
    assert_eq!(response.status(), 403);
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn an_administrator_sets_how_the_municipalitys_emails_are_sent_and_the_next_letter_follows() {
    let app = tests::spawn_app(Backend::from_env()).await.expect("app");
    let admin = app.administrator("ada@testvik.example").await;
    let planner = app.planner("kari@testvik.example").await;
    let form = |base_url: &'static str| {
        [
            ("display_name", "Testvik kommune, planavdelinga"),
            ("from_address", "plan@testvik.example"),
            ("reply_to", "postmottak@testvik.example"),
            ("base_url", base_url),
        ]
    };

    // A planner who is no administrator may neither look nor change.
    let (status, _) = app.page_status(&planner, "/admin/sender").await;
    assert_eq!(status, 403);
    let refused = planner
        .client
        .post(app.url("/admin/sender"))
        .form(&form("https://hoyring.testvik.example"))
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 403);
    assert_eq!(app.municipality().await.sender, Default::default());

    // A web address that is none: the error beside its field, nothing stored.
    let typed = admin
        .client
        .post(app.url("/admin/sender"))
        .form(&form("hoyring.testvik.example"))
        .send()
        .await
        .expect("post");
    assert_eq!(typed.status(), 422);
    let html = typed.text().await.expect("page");
    assert!(html.contains(r#"id="sender-base-url-error""#), "{html}");
    assert!(
        html.contains(r#"value="Testvik kommune, planavdelinga""#),
        "what was typed is kept"
    );
    assert_eq!(app.municipality().await.sender, Default::default());

    // Saved; the page shows what is stored.
    let saved = admin
        .client
        .post(app.url("/admin/sender"))
        .form(&form("https://hoyring.testvik.example/"))
        .send()
        .await
        .expect("post");
    assert_eq!(saved.status(), 200);
    assert!(
        saved
            .text()
            .await
            .expect("page")
            .contains(r#"id="sender-saved""#)
    );
    let sender = app.municipality().await.sender;
    assert_eq!(
        sender.base_url.as_deref(),
        Some("https://hoyring.testvik.example")
    );
    assert_eq!(
        sender.reply_to.as_deref(),
        Some("postmottak@testvik.example")
    );

    // The next letter comes from the new sender, its link from the new address.
    tests::planner(&app, "ny@testvik.example").await;
    let asked = tests::browser()
        .post(app.url("/sign-in"))
        .form(&[("email", "ny@testvik.example"), ("municipality", "")])
        .send()
        .await
        .expect("post");
    assert_eq!(asked.status(), 200);
    let mail = app
        .mail_to("ny@testvik.example", "https://hoyring.testvik.example/")
        .await;
    assert_eq!(
        mail.from(),
        (
            "Testvik kommune, planavdelinga".to_owned(),
            "plan@testvik.example".to_owned()
        )
    );
    app.stop().await.expect("stops");
}
