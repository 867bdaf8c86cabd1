//! The demo's emails as its planner sees them: inviting someone to the reference
//! group and opening a hearing put the invitation letter and the hearing-opened
//! letters on the plan's email page; with the scheduler's clock moved to fourteen
//! days before the deadline, the reminders to those who have not answered follow.
//! Only the plan's planners see the page.

use jiff::SignedDuration;
use reqwest::Client;
use tests::rig::TestClock;
use tests::{Backend, TestApp, spawn_app};

async fn post_form(app: &TestApp, client: &Client, path: &str, form: &[(&str, &str)]) -> String {
    let response = client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("post");
    assert_eq!(
        response.status(),
        303,
        "{path}: {}",
        response.text().await.unwrap_or_default()
    );
    response.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned()
}

/// The rows of the plan's email page as (kind, recipient, status) from their data
/// attributes and cells.
fn rows(html: &str) -> Vec<(String, String, String)> {
    html.split("<tr id=\"email-")
        .skip(1)
        .map(|row| {
            let attribute = |name: &str| {
                let at = row.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
                row[at..at + row[at..].find('"').expect("end")].to_owned()
            };
            let cells: Vec<&str> = row.split("<td>").skip(1).collect();
            let recipient = cells[2][..cells[2].find("</td>").expect("cell end")].to_owned();
            (attribute("data-kind"), recipient, attribute("data-status"))
        })
        .collect()
}

fn count(rows: &[(String, String, String)], kind: &str, to: &str) -> usize {
    rows.iter().filter(|(k, r, _)| k == kind && r == to).count()
}

#[tokio::test]
async fn the_demo_planner_sees_invitations_openings_and_reminders_on_the_plans_email_page() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let demo_hearing = server::demo::load(&app.db).await.expect("demo loads");
    let plan = demo_hearing.plan_id;
    let group = app.db.groups_of_plan(plan).await.expect("groups")[0].id;
    let (planner, _) = app
        .sign_in_to(server::demo::MUNICIPALITY_SLUG, server::demo::PLANNER_EMAIL)
        .await;
    let emails_page = format!("/planner/plans/{plan}/emails");

    // The plan's page links to it; nothing was sent for the plan yet.
    let plan_page = app.page(&planner, &format!("/planner/plans/{plan}")).await;
    assert!(plan_page.contains(&format!("href=\"{emails_page}\"")));
    let before = app.page(&planner, &emails_page).await;
    assert!(rows(&before).is_empty(), "{before}");

    // An invitation to the reference group, by the group's form.
    post_form(
        &app,
        &planner,
        &format!("/planner/groups/{group}/invite"),
        &[
            ("name", "Eli Eldre"),
            ("email", "eli@fjordvik-eldrerad.example"),
            ("role", "member"),
            ("lang", "nb"),
        ],
    )
    .await;

    // A new hearing on the demo's document, created and opened in the workbench.
    let today = jiff::Timestamp::now()
        .to_zoned(domain::deadline::oslo())
        .date()
        .to_string();
    let version = demo_hearing.document_version_id.to_string();
    let location = post_form(
        &app,
        &planner,
        "/planner/hearings",
        &[
            ("document_version_id", version.as_str()),
            ("title", "Andre høyring av planprogrammet"),
            ("kind", "pbl"),
            ("audience", "public"),
            ("opens_on", today.as_str()),
            ("weeks", "8"),
            ("contact_email", "planavdelinga@fjordvik.kommune.example"),
        ],
    )
    .await;
    let hearing: domain::HearingId = location
        .trim_start_matches("/planner/hearings/")
        .split(['?', '#'])
        .next()
        .expect("an id")
        .parse()
        .expect("a hearing id");
    let opened = planner
        .post(app.url(&format!("/planner/hearings/{hearing}/state")))
        .form(&[("action", "open")])
        .send()
        .await
        .expect("post");
    assert_eq!(opened.status(), 200);
    assert!(
        opened
            .text()
            .await
            .expect("page")
            .contains("Høyringa er open.")
    );

    let after = app.page(&planner, &emails_page).await;
    let listed = rows(&after);
    assert_eq!(
        count(&listed, "invitation", "eli@fjordvik-eldrerad.example"),
        1,
        "{after}"
    );
    for member in [
        server::demo::REPRESENTATIVE_EMAIL,
        server::demo::SECOND_REPRESENTATIVE_EMAIL,
    ] {
        assert_eq!(
            count(&listed, "hearing_opened", member),
            1,
            "{member}: {after}"
        );
        assert_eq!(
            count(&listed, "deadline_reminder", member),
            0,
            "not yet: {after}"
        );
    }
    // Only invited members hear that it opened: not the one still invited.
    assert_eq!(
        count(&listed, "hearing_opened", "eli@fjordvik-eldrerad.example"),
        0
    );
    // The kinds are named in the reader's language, not by their code.
    assert!(after.contains("Høyringa er opna"), "{after}");
    assert!(after.contains("Invitasjon til gruppe"), "{after}");

    // The scheduler on a clock moved to the first reminder of the new hearing.
    let deadline = app.db.hearing(hearing).await.expect("the hearing").deadline;
    let due = domain::reminder::remind_at(deadline, 14)
        .expect("a time")
        .checked_add(SignedDuration::from_mins(1))
        .expect("a time");
    let mailer = notify::Mailer::smtp(
        &format!("smtp://{}", app.smtp.address()),
        "Samråd <samrad@test.example>",
    )
    .expect("mailer");
    let scheduler =
        notify::Worker::new(app.db.clone(), mailer, std::time::Duration::from_secs(3600))
            .with_clock(TestClock::at(due));
    assert!(scheduler.queue_due_reminders().await.expect("runs") >= 2);

    let reminded = rows(&app.page(&planner, &emails_page).await);
    for member in [
        server::demo::REPRESENTATIVE_EMAIL,
        server::demo::SECOND_REPRESENTATIVE_EMAIL,
    ] {
        assert!(
            count(&reminded, "deadline_reminder", member) >= 1,
            "{member} is reminded: {reminded:?}"
        );
    }
    // The invited person who has not joined is not reminded.
    assert_eq!(
        count(
            &reminded,
            "deadline_reminder",
            "eli@fjordvik-eldrerad.example"
        ),
        0
    );

    // Nobody else sees the page: not a member of the group, not a stranger.
    let (member, _) = app
        .sign_in_to(
            server::demo::MUNICIPALITY_SLUG,
            server::demo::REPRESENTATIVE_EMAIL,
        )
        .await;
    let (status, _) = app.page_status(&member, &emails_page).await;
    assert_ne!(status, 200, "a member does not see the plan's emails");
    let (status, _) = app.page_status(&tests::browser(), &emails_page).await;
    assert_ne!(status, 200, "nor does a stranger");
    app.stop().await.expect("stops");
}
