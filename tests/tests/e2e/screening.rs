//! Screening of input from the public and reports without signing in — through the
//! real server, real websocket clients and the SMTP sink.

use reqwest::{Client, Method};
use serde_json::{Value, json};
use tests::ws::{Ws, next_json};
use tests::{Backend, OpenHearing, TestApp, browser, signed_in_planner, spawn_app};

async fn screen(app: &TestApp, h: &OpenHearing, on: bool) {
    let body = app
        .planner_expects(
            200,
            &format!("/api/v1/hearings/{}/screening", h.id),
            json!({"enabled": on}),
        )
        .await;
    assert_eq!(body["screen_public_input"], on);
}

async fn post(app: &TestApp, client: &Client, h: &OpenHearing, body: &str) -> (u16, Value) {
    app.send(
        client,
        Method::POST,
        &h.comments_path(),
        Some(json!({"section_id": h.section(), "body": body})),
    )
    .await
}

/// A comment the planner posts: published and announced at once. As the next event
/// in the document room, it shows that nothing was announced before it.
async fn next_event_is_a_planners_comment(app: &TestApp, h: &OpenHearing, ws: &mut Ws) {
    let comment = app
        .comment_as_planner(h, "Planavdelinga", "Takk for innspela.")
        .await;
    let event = next_json(ws).await;
    assert_eq!(event["event"]["type"], "comment_posted", "{event}");
    assert_eq!(
        event["event"]["data"]["comment_id"], comment["id"],
        "something was announced before the planner's comment: {event}"
    );
}

#[tokio::test]
async fn public_input_waits_for_screening_and_arrives_live_when_published() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    // The planner hears of each input at once (by default in the daily digest).
    let person = app
        .db
        .person_by_email("planleggjar@testvik.example")
        .await
        .expect("read")
        .expect("the planner");
    let plan: domain::PlanId = h.plan_id.parse().expect("plan id");
    app.db
        .set_notice_choices(person.id, &[(plan, true)])
        .await
        .expect("chosen");
    screen(&app, &h, true).await;
    let mut ws = app.subscribed(&h.document_room(), None, None).await;

    let author = app
        .citizen("innbyggjar@example.org", "Ola Innbyggjar")
        .await;
    let text = "Naboen min Per Hansen er sjuk og treng hjelp.";
    let (status, comment) = post(&app, &author, &h, text).await;
    assert_eq!(status, 202, "{comment}");
    assert_eq!(comment["status"], "screening");
    let id = comment["id"].as_str().expect("id").to_owned();

    // Shown nowhere: not in the list, not on the page, not live.
    assert!(
        app.comments(&h)
            .await
            .iter()
            .all(|c| c["id"] != id.as_str())
    );
    let public_page = app.page(&app.http, &format!("/hearings/{}", h.id)).await;
    assert!(!public_page.contains(text));
    assert!(public_page.contains("Kommunen ser over innspel frå ålmenta"));
    let (status, _) = app
        .send(
            &author,
            Method::POST,
            &format!("/api/v1/comments/{id}/publish"),
            None,
        )
        .await;
    assert_eq!(status, 404, "only planners find input awaiting screening");

    // The author sees that it waits.
    let own = app.page(&author, &format!("/hearings/{}", h.id)).await;
    assert!(own.contains("Ventar på kontroll"));
    assert!(own.contains(text));

    // No notice to the planners yet: none is even queued.
    let queued = app.queued_email_kinds().await;
    assert!(
        !queued.contains(&"comment_notice"),
        "no planner notice before publishing: {queued:?}"
    );
    // And nothing was announced live.
    next_event_is_a_planners_comment(&app, &h, &mut ws).await;

    // The planner sees it in the screening list and publishes it.
    let workbench = app
        .page(&planner, &format!("/planner/hearings/{}", h.id))
        .await;
    assert!(workbench.contains(&format!("id=\"screen-{id}\"")));
    // The text, with the word that may reveal health marked for the planner.
    assert!(workbench.contains("Naboen min Per Hansen er <mark class=\"personal-data\" data-kind=\"special_category\">sjuk<"));
    assert!(workbench.contains("og treng hjelp."));
    let response = planner
        .post(app.url(&format!("/planner/comments/{id}/publish")))
        .send()
        .await
        .expect("publish");
    assert_eq!(response.status(), 303);

    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_posted");
    assert_eq!(event["event"]["data"]["comment_id"], id.as_str());
    let shown = app.comments(&h).await;
    let shown = shown
        .iter()
        .find(|c| c["id"] == id.as_str())
        .expect("listed");
    assert_eq!(shown["status"], "published");
    assert_eq!(shown["body"], text);
    // The planners' notice is sent once published.
    app.mail_to("planleggjar@testvik.example", "Per Hansen")
        .await;
    let workbench = app
        .page(&planner, &format!("/planner/hearings/{}", h.id))
        .await;
    assert!(!workbench.contains(&format!("id=\"screen-{id}\"")));
    assert!(
        workbench.contains("Lagt fram etter kontroll"),
        "the publishing is logged"
    );
}

#[tokio::test]
async fn members_and_planners_are_published_directly() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    screen(&app, &h, true).await;
    let plan = h.plan();
    let group = app
        .db
        .create_group(plan, domain::group::GroupKind::ElderCouncil, "Eldrerådet")
        .await
        .expect("group");
    let member = app
        .member(group.id, "medlem@example.org", "Eldrerådet")
        .await;
    let (status, comment) = post(&app, &member, &h, "Eldrerådet meiner dette.").await;
    assert_eq!(status, 201, "{comment}");
    assert_eq!(comment["status"], "published");

    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    let (status, comment) = post(&app, &planner, &h, "Ein merknad frå planleggjaren.").await;
    assert_eq!(status, 201, "{comment}");
    assert_eq!(comment["status"], "published");

    // Without screening, the public is published at once too.
    screen(&app, &h, false).await;
    let public = app.citizen("innbyggjar@example.org", "Ola").await;
    let (status, comment) = post(&app, &public, &h, "Rett på.").await;
    assert_eq!(status, 201, "{comment}");
}

#[tokio::test]
async fn input_confirmed_by_email_goes_to_screening() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    screen(&app, &h, true).await;
    let client = browser();
    let response = client
        .post(app.url(&format!("/hearings/{}/comments", h.id)))
        .form(&[
            ("section_id", h.section()),
            ("author_name", "Kari Utan Konto"),
            ("author_email", "utan@example.org"),
            ("body", "Innspel utan konto."),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303);
    let token = app
        .link_token("utan@example.org", "/inputs/confirm?token=", 1)
        .await;
    let confirmed = client
        .post(app.url("/inputs/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("confirm");
    assert_eq!(confirmed.status(), 303);
    let to = confirmed.headers()["location"]
        .to_str()
        .expect("location")
        .to_owned();
    assert!(to.contains("screening=1"), "{to}");
    let me = app.page(&client, &to).await;
    assert!(me.contains("Kommunen ser over innspelet ditt"));
    assert!(
        app.comments(&h).await.is_empty(),
        "not shown before screening"
    );
    let (status, published) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{}/comments", h.id))
        .await;
    assert_eq!(status, 200);
    assert!(
        published.as_array().expect("list").is_empty(),
        "not published for the planner either: {published}"
    );

    // It waits in the planners' screening queue, with its author.
    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    let workbench = app
        .page(&planner, &format!("/planner/hearings/{}?lang=nn", h.id))
        .await;
    let queue = screening_queue(&workbench);
    assert_eq!(
        queue.matches("data-status=\"screening\"").count(),
        1,
        "{queue}"
    );
    assert!(queue.contains("Innspel utan konto."), "{queue}");
    assert!(queue.contains("Kari Utan Konto"), "{queue}");
    let waiting = app
        .db
        .screening_of_hearing(h.hearing_id())
        .await
        .expect("queue");
    assert_eq!(waiting.len(), 1);
    assert!(queue.contains(&format!("id=\"screen-{}\"", waiting[0].id)));
}

/// The screening queue of a planner's hearing page.
fn screening_queue(page: &str) -> &str {
    let start = page
        .find("class=\"moderation screening-queue\"")
        .unwrap_or_else(|| panic!("no screening queue on the page: {page}"));
    let rest = &page[start..];
    &rest[..rest.find("</section>").expect("end of the queue")]
}

#[tokio::test]
async fn hiding_a_screened_input_tells_the_author() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    screen(&app, &h, true).await;
    let mut ws = app.subscribed(&h.document_room(), None, None).await;
    let author = app.citizen("innbyggjar@example.org", "Ola").await;
    let (status, comment) = post(&app, &author, &h, "Namnet på naboen min er Per.").await;
    assert_eq!(status, 202);
    let id = comment["id"].as_str().expect("id").to_owned();

    let (status, body) = app
        .post_as_planner(&format!("/api/v1/comments/{id}/hide"), json!({}))
        .await;
    assert_eq!(status, 422, "a reason is required: {body}");
    let (status, body) = app
        .post_as_planner(
            &format!("/api/v1/comments/{id}/hide"),
            json!({"reason": "Innspelet inneheld personopplysningar om andre."}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "hidden");
    // The author is told by email.
    let mail = app
        .mail_to(
            "innbyggjar@example.org",
            "Innspelet inneheld personopplysningar om andre.",
        )
        .await;
    assert!(mail.text().contains("Namnet på naboen min er Per."));
    let (status, body) = app
        .post_as_planner(&format!("/api/v1/comments/{id}/publish"), json!({}))
        .await;
    assert_eq!(
        status, 409,
        "a hidden input is not published by this: {body}"
    );
    // Readers were never told of it, neither when it came nor when it was hidden.
    next_event_is_a_planners_comment(&app, &h, &mut ws).await;
}

#[tokio::test]
async fn only_planners_toggle_screening() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let path = format!("/api/v1/hearings/{}/screening", h.id);
    let (status, body) = app
        .send(
            &app.http,
            Method::POST,
            &path,
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    let public = app.citizen("innbyggjar@example.org", "Ola").await;
    let (status, body) = app
        .send(&public, Method::POST, &path, Some(json!({"enabled": true})))
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, _) = app
        .send(
            &public,
            Method::POST,
            &format!("/api/v1/hearings/{}/screening", uuid::Uuid::new_v4()),
            Some(json!({"enabled": true})),
        )
        .await;
    assert_eq!(status, 404);
    let response = public
        .post(app.url(&format!("/planner/hearings/{}/screening", h.id)))
        .form(&[("enabled", "1")])
        .send()
        .await
        .expect("form");
    assert_eq!(response.status(), 403, "signed in, but no planner");
    let (_, hearing) = app.get_json(&format!("/api/v1/hearings/{}", h.id)).await;
    assert_eq!(hearing["screen_public_input"], false, "unchanged");

    // The plan's planner turns it on with the workbench form.
    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    let response = planner
        .post(app.url(&format!("/planner/hearings/{}/screening", h.id)))
        .form(&[("enabled", "1")])
        .send()
        .await
        .expect("form");
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .expect("html")
            .contains("Kontroll er slått på.")
    );
    let (_, hearing) = app.get_json(&format!("/api/v1/hearings/{}", h.id)).await;
    assert_eq!(hearing["screen_public_input"], true);
}

/// A browser on its own client address, keeping its own cookies.
fn client_from(address: &str) -> Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(Some(address.parse().expect("address")))
        .build()
        .expect("client")
}

async fn report_form(app: &TestApp, client: &Client, id: &str) -> reqwest::Response {
    client
        .post(app.url(&format!("/comments/{id}/report")))
        .form(&[("reason", "Personangrep.")])
        .send()
        .await
        .expect("report")
}

#[tokio::test]
async fn anonymous_reports_count_once_per_client() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let author = app.citizen("innbyggjar@example.org", "Ola").await;
    let (status, first) = post(&app, &author, &h, "Ein stygg kommentar.").await;
    assert_eq!(status, 201);
    let first = first["id"].as_str().expect("id").to_owned();
    let (_, second) = post(&app, &author, &h, "Ein annan kommentar.").await;
    let second = second["id"].as_str().expect("id").to_owned();
    let status_of = async |id: &str| {
        app.comments(&h)
            .await
            .into_iter()
            .find(|c| c["id"] == id)
            .expect("listed")["status"]
            .clone()
    };

    // The report form is there without signing in.
    let page = app.page(&app.http, &format!("/hearings/{}", h.id)).await;
    assert!(page.contains(&format!("action=\"/comments/{first}/report\"")));

    // The same browser three times: once.
    let same = client_from("127.0.0.2");
    let response = report_form(&app, &same, &second).await;
    assert_eq!(response.status(), 303);
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().expect("ascii").to_owned())
        .find(|c| c.starts_with("samrad_reporter="))
        .expect("the reporter cookie");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Lax"), "{cookie}");
    assert!(cookie.contains("Secure"), "{cookie}");
    for _ in 0..2 {
        let (status, body) = app
            .send(
                &same,
                Method::POST,
                &format!("/api/v1/comments/{second}/reports"),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["recorded"], false);
    }
    // A fresh browser on the same address: still once.
    let (status, body) = app
        .send(
            &client_from("127.0.0.2"),
            Method::POST,
            &format!("/api/v1/comments/{second}/reports"),
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["recorded"], false);
    assert_eq!(status_of(&second).await, "published");

    // Three different clients hide a comment until a planner decides.
    let mut ws = app.subscribed(&h.document_room(), None, None).await;
    for (n, address) in ["127.0.0.3", "127.0.0.4", "127.0.0.5"].iter().enumerate() {
        let response = report_form(&app, &client_from(address), &first).await;
        assert_eq!(response.status(), 303);
        let expected = if n < 2 { "published" } else { "pending_review" };
        assert_eq!(status_of(&first).await, expected, "after {} reports", n + 1);
    }
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_hidden");
    assert_eq!(event["event"]["data"]["pending_review"], true);

    // The planner's queue lists it.
    let stored = app
        .db
        .moderation_queue(h.hearing_id())
        .await
        .expect("queue");
    assert!(stored.iter().any(|q| q.comment.id.to_string() == first));

    // Each address may report only so often.
    let flood = client_from("127.0.0.6");
    let mut limited = false;
    for _ in 0..12 {
        let (_, comment) = post(&app, &author, &h, "Endå ein.").await;
        let id = comment["id"].as_str().expect("id").to_owned();
        let (status, _) = app
            .send(
                &flood,
                Method::POST,
                &format!("/api/v1/comments/{id}/reports"),
                Some(json!({})),
            )
            .await;
        if status == 429 {
            limited = true;
            break;
        }
        assert_eq!(status, 201);
    }
    assert!(limited, "anonymous reports are limited per address");
}

#[tokio::test]
async fn personal_data_in_waiting_input_is_marked_for_the_planner_only() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("personopplysningar").await;
    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    screen(&app, &h, true).await;
    let author = app
        .citizen("innbyggjar@example.org", "Kari Innbyggjar")
        .await;
    // A valid fødselsnummer (both check digits right) and one that is not.
    let text = "Fødselsnummeret mitt er 01019012480 (ikkje 01019012481). Ring 412 34 567 \
                eller skriv til kari@example.org. Planen gjeld frå 2024, jf. § 12-4.";
    let (status, comment) = post(&app, &author, &h, text).await;
    assert_eq!(status, 202, "{comment}");
    let id = comment["id"].as_str().expect("id").to_owned();

    let workbench = app
        .page(&planner, &format!("/planner/hearings/{}", h.id))
        .await;
    let item = &workbench[workbench
        .find(&format!("id=\"screen-{id}\""))
        .expect("waiting")..];
    let item = &item[..item.find("</li>").expect("the item ends")];
    for (kind, marked) in [
        ("national_id", "01019012480"),
        ("phone", "412 34 567"),
        ("email", "kari@example.org"),
    ] {
        assert!(
            item.contains(&format!(
                "<mark class=\"personal-data\" data-kind=\"{kind}\">{marked}<"
            )),
            "{kind} not marked: {item}"
        );
    }
    assert_eq!(
        item.matches("<mark class=\"personal-data\"").count(),
        3,
        "{item}"
    );
    assert!(item.contains("3 tekstbitar er merkte"), "{item}");
    // The kind is named for screen readers too.
    assert!(item.contains("(telefonnummer)"), "{item}");

    // Published, the text is shown as written, unmarked.
    let response = planner
        .post(app.url(&format!("/planner/comments/{id}/publish")))
        .send()
        .await
        .expect("publish");
    assert_eq!(response.status(), 303);
    let public_page = app.page(&app.http, &format!("/hearings/{}", h.id)).await;
    assert!(!public_page.contains("class=\"personal-data\""));
    assert!(public_page.contains("Ring 412 34 567"));
}

#[tokio::test]
async fn redacted_parts_never_reach_the_public_and_the_case_file_keeps_the_original() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("sladding").await;
    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    screen(&app, &h, true).await;
    let mut ws = app.subscribed(&h.document_room(), None, None).await;
    let author = app
        .citizen("innbyggjar@example.org", "Kari Innbyggjar")
        .await;
    let text = "Fødselsnummeret mitt er 01019012480. Ring 412 34 567 om vegen forbi skulen.";
    let (status, comment) = post(&app, &author, &h, text).await;
    assert_eq!(status, 202, "{comment}");
    let id = comment["id"].as_str().expect("id").to_owned();

    // The planner ticks the national identity number, offered by its range.
    let workbench = app
        .page(&planner, &format!("/planner/hearings/{}", h.id))
        .await;
    let item = &workbench[workbench
        .find(&format!("id=\"screen-{id}\""))
        .expect("waiting")..];
    let item = &item[..item.find("</li>").expect("the item ends")];
    let range = {
        let at = item
            .find("name=\"redact\" value=\"")
            .expect("a part to redact")
            + "name=\"redact\" value=\"".len();
        item[at..at + item[at..].find('"').expect("ends")].to_owned()
    };
    assert_eq!(range, "24-35", "{item}");
    // A range outside the text is refused and nothing is published.
    let refused = planner
        .post(app.url(&format!("/planner/comments/{id}/publish")))
        .form(&[("redact", "70-900")])
        .send()
        .await
        .expect("publish");
    assert_eq!(refused.status(), 422);
    assert!(
        app.comments(&h)
            .await
            .iter()
            .all(|c| c["id"] != id.as_str())
    );

    let response = planner
        .post(app.url(&format!("/planner/comments/{id}/publish")))
        .form(&[("redact", range.as_str()), ("redact", "42-52")])
        .send()
        .await
        .expect("publish");
    assert_eq!(response.status(), 303);

    // Public surfaces: the live event, the API, the hearing page.
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_posted");
    let live = event.to_string();
    assert!(
        !live.contains("01019012480") && !live.contains("412 34 567"),
        "{live}"
    );
    let shown = app.comments(&h).await;
    let published = shown
        .iter()
        .find(|c| c["id"] == id.as_str())
        .expect("published");
    assert_eq!(
        published["body"],
        "Fødselsnummeret mitt er █████. Ring █████ om vegen forbi skulen."
    );
    let public_page = app.page(&app.http, &format!("/hearings/{}", h.id)).await;
    assert!(public_page.contains("Ring █████ om vegen forbi skulen."));
    assert!(!public_page.contains("01019012480") && !public_page.contains("412 34 567"));
    let (_, revisions) = app
        .get_json(&format!("/api/v1/comments/{id}/revisions"))
        .await;
    assert!(
        !revisions.to_string().contains("01019012480"),
        "{revisions}"
    );

    // The case file keeps the original: the planner's input page and the report.
    let (_, register) = app
        .get_json_as_planner(&format!(
            "/api/v1/plans/{}/inputs?hearing={}",
            h.plan_id, h.id
        ))
        .await;
    let input = register.to_string();
    assert!(input.contains("01019012480"), "{input}");
    let report = app
        .page(&planner, &format!("/planner/hearings/{}/report", h.id))
        .await;
    assert!(
        report.contains("01019012480") || report.contains("Fødselsnummeret mitt er 01019012480"),
        "the report is the case file: {report}"
    );
}
