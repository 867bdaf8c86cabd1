//! Privacy: input without an account waits for its author to confirm the address;
//! a person's own page; downloading everything stored about them; and deletion,
//! which keeps the text of their input and removes their name everywhere.

use futures_util::StreamExt;
use serde_json::{Value, json};
use std::time::Duration;
use tests::ws::next_json;
use tests::{Backend, browser, request_link, signed_in_planner, spawn_app};
use tokio_tungstenite::tungstenite::Message;

#[tokio::test]
async fn input_without_an_account_is_hidden_until_its_author_confirms_it_with_a_post() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let hearing = app.open_hearing("helse").await;
    let room = format!("document:{}", hearing.document_id);
    let mut reader = app.subscribed(&room, None, None).await;
    let rooms = [
        domain::room::Room::Document(hearing.document_id.parse().expect("id")),
        domain::room::Room::Hearing(hearing.id.parse().expect("id")),
    ];
    let mut seqs_before = Vec::new();
    for room in rooms {
        seqs_before.push(app.db.last_seq(room).await.expect("seq"));
    }

    let response = app
        .http
        .post(app.url(&format!("/api/v1/hearings/{}/comments", hearing.id)))
        .json(&json!({
            "section_id": hearing.section_ids[1],
            "author_name": "Eldrerådet i Testvik",
            "author_email": "Leiar@Eldrerad.example",
            "body": "Vi saknar meir om transport til dagsenteret."
        }))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 202, "stored, waiting for confirmation");
    let stored: Value = response.json().await.expect("JSON");
    assert_eq!(stored["status"], "unconfirmed");

    // Shown nowhere: not in the API, not on the page, not in any room's log.
    assert!(app.comments(&hearing).await.is_empty());
    let (_, html) = app
        .page_status(&app.http, &format!("/hearings/{}", hearing.id))
        .await;
    assert!(!html.contains("transport til dagsenteret"), "on the page");
    for (room, before) in rooms.into_iter().zip(seqs_before) {
        let now = app.db.last_seq(room).await.expect("seq");
        assert_eq!(now, before, "{room} got an event");
    }

    // The author gets the link; the planner hears nothing yet.
    let token = app
        .link_token("leiar@eldrerad.example", "/inputs/confirm?token=", 1)
        .await;
    let mail = app.mail_to("leiar@eldrerad.example", "").await;
    assert!(
        mail.subject().contains("Høyring av planprogrammet"),
        "{}",
        mail.subject()
    );
    assert!(
        mail.text().contains("> Vi saknar meir om transport"),
        "{}",
        mail.text()
    );
    assert_eq!(
        app.queued_email_kinds().await,
        vec!["confirm_input"],
        "no notice to the planner before the input is confirmed"
    );

    // Opening the link (GET or HEAD, as a mail scanner would) confirms nothing.
    let author = browser();
    for _ in 0..2 {
        let opened = author
            .get(app.url(&format!("/inputs/confirm?token={token}")))
            .send()
            .await
            .expect("get");
        assert_eq!(opened.status(), 200);
        assert!(opened.headers().get("set-cookie").is_none());
        assert!(
            opened
                .text()
                .await
                .expect("html")
                .contains("method=\"post\"")
        );
    }
    let head = author
        .head(app.url(&format!("/inputs/confirm?token={token}")))
        .send()
        .await
        .expect("head");
    assert!(head.headers().get("set-cookie").is_none());
    assert!(
        app.comments(&hearing).await.is_empty(),
        "GET or HEAD confirmed it"
    );

    // The button's POST publishes it, signs the author in and sends them to /me.
    let confirmed = author
        .post(app.url("/inputs/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(confirmed.status(), 303);
    assert_eq!(confirmed.headers()["location"], "/me?confirmed=1");
    assert!(confirmed.headers().get("set-cookie").is_some(), "signed in");

    let event = next_json(&mut reader).await;
    assert_eq!(
        event["seq"], 1,
        "the first event the room ever had: {event}"
    );
    assert_eq!(event["event"]["type"], "comment_posted");
    assert_eq!(event["event"]["data"]["comment_id"], stored["id"]);
    assert_eq!(
        event["event"]["data"]["author_name"],
        "Eldrerådet i Testvik"
    );
    assert!(!event.to_string().contains("eldrerad.example"), "{event}");

    let listed = app.comments(&hearing).await;
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0]["id"], stored["id"]);
    assert_eq!(listed[0]["status"], "published");
    let (_, html) = app
        .page_status(&app.http, &format!("/hearings/{}", hearing.id))
        .await;
    assert!(html.contains("transport til dagsenteret"));
    // The planner is told once it is published.
    app.mail_to("planleggjar@testvik.example", "Eldrerådet i Testvik")
        .await;

    // Their own page lists it; the link works once.
    let (status, me) = app.page_status(&author, "/me?confirmed=1").await;
    assert_eq!(status, 200);
    assert!(me.contains("Høyring av planprogrammet"), "{me}");
    assert!(me.contains("3.1 Roller og ansvar"));
    assert!(me.contains("Lagt fram"), "status published");
    let again = browser()
        .post(app.url("/inputs/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(again.status(), 410);
    // A confirmation link is no sign-in link, and the other way round.
    let wrong_door = browser()
        .post(app.url("/sign-in/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(wrong_door.status(), 410);
    assert_eq!(app.comments(&hearing).await.len(), 1);
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn input_without_an_address_or_with_a_forged_one_is_refused_and_nothing_is_stored() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let hearing = app.open_hearing("helse").await;
    let url = app.url(&format!("/api/v1/hearings/{}/comments", hearing.id));

    let no_email = app
        .http
        .post(&url)
        .json(&json!({"section_id": hearing.section_ids[0], "author_name": "Ola", "body": "Hei"}))
        .send()
        .await
        .expect("post");
    assert_eq!(no_email.status(), 422);
    let body: Value = no_email.json().await.expect("JSON");
    assert_eq!(body["error"], "email_required", "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("author_email"))
    );

    for forged in [
        "ola@x.no\r\nBcc: all@x.no",
        "ola@x.no\nSubject: hei",
        "Ola <ola@x.no>",
    ] {
        let injected = app
            .http
            .post(&url)
            .json(&json!({"section_id": hearing.section_ids[0], "author_name": "Ola", "author_email": forged, "body": "Hei"}))
            .send()
            .await
            .expect("post");
        assert_eq!(injected.status(), 422, "{forged:?}");
        assert_eq!(
            injected.json::<Value>().await.expect("JSON")["error"],
            "validation_failed"
        );
    }
    let newline_in_name = app
        .http
        .post(&url)
        .json(&json!({"section_id": hearing.section_ids[0], "author_name": "Ola\r\nBcc: x@y.no", "author_email": "ola@x.no", "body": "Hei"}))
        .send()
        .await
        .expect("post");
    assert_eq!(newline_in_name.status(), 422);

    // The form says what is missing, and keeps what was typed.
    let form = app
        .http
        .post(app.url(&format!("/hearings/{}/comments", hearing.id)))
        .form(&[
            ("section_id", hearing.section_ids[0].as_str()),
            ("author_name", "Kari"),
            ("author_email", ""),
            ("body", "Teksten min skal ikkje kome bort."),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(form.status(), 422);
    let html = form.text().await.expect("html");
    assert!(
        html.contains("Skriv e-postadressa di"),
        "the error is shown"
    );
    assert!(
        html.contains("Teksten min skal ikkje kome bort."),
        "the text is kept"
    );

    // Posting-time rules still apply: a hearing not open takes nothing.
    let doc = app.draft_document("draft-plan").await;
    let (_, draft) = app
        .post_as_planner(
            "/api/v1/hearings",
            json!({"document_version_id": doc.version_id, "title": "Utkast"}),
        )
        .await;
    let not_open = app
        .http
        .post(app.url(&format!(
            "/api/v1/hearings/{}/comments",
            draft["id"].as_str().expect("id")
        )))
        .json(&json!({"section_id": doc.section_ids[0], "author_name": "Ola", "author_email": "ola@x.no", "body": "Hei"}))
        .send()
        .await
        .expect("post");
    assert_eq!(
        not_open.status(),
        404,
        "a draft hearing is not there for the public"
    );

    for email in ["ola@x.no", "all@x.no"] {
        assert!(
            app.db.person_by_email(email).await.expect("db").is_none(),
            "a refused post created {email}"
        );
    }
    assert!(app.db.recent_emails(10).await.expect("outbox").is_empty());
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn a_signed_in_person_writes_as_themself_and_sees_their_groups_hearings_and_inputs() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let public = app.open_hearing("helse").await;
    // A hearing for invited participants of the plan's groups.
    let invited = app
        .open_hearing_with(
            "eldre",
            json!({"title": "Høyring for referansegruppa", "audience": "invited"}),
        )
        .await;
    let group = app
        .db
        .create_group(
            invited.plan(),
            domain::group::GroupKind::ReferenceGroup,
            "Referansegruppa for eldre",
        )
        .await
        .expect("group");

    let client = app.citizen("siri@example.org", "Siri Saksvik").await;
    let person = client.person.clone();
    let (_, before) = app.page_status(&client, "/me").await;
    assert!(
        !before.contains("Høyring for referansegruppa"),
        "not a member yet"
    );
    app.db
        .add_member(group.id, person.id, domain::group::MemberRole::Chair, None)
        .await
        .expect("member");

    // The form does not ask for a name or an address.
    let (_, html) = app
        .page_status(&client, &format!("/hearings/{}", public.id))
        .await;
    assert!(html.contains("Du skriv som Siri Saksvik"), "who is writing");
    assert!(!html.contains("name=\"author_email\""), "no address asked");
    let posted = client
        .post(app.url(&format!("/hearings/{}/comments", public.id)))
        .form(&[
            ("section_id", public.section_ids[0].as_str()),
            ("author_name", "Someone Else"),
            ("body", "Eg skriv som meg sjølv."),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 303);
    let to = posted.headers()["location"].to_str().expect("ascii");
    assert!(to.contains("?posted="), "{to}");
    let listed = app.comments(&public).await;
    assert_eq!(listed.len(), 1, "published at once");
    assert_eq!(listed[0]["author_name"], "Siri Saksvik");

    let (status, me) = app.page_status(&client, "/me").await;
    assert_eq!(status, 200);
    assert!(me.contains("Siri Saksvik") && me.contains("siri@example.org"));
    assert!(me.contains("Referansegruppa for eldre"), "the group");
    assert!(me.contains("Leiar"), "the role");
    assert!(
        me.contains("Kommunedelplan for helse, sosial og omsorg"),
        "the plan"
    );
    assert!(
        me.contains("Høyring for referansegruppa"),
        "the invited hearing"
    );
    assert!(
        me.contains(&format!("/hearings/{}", public.id)),
        "the public hearing"
    );
    assert!(me.contains("Eg skriv som meg sjølv."), "the input");
    assert!(me.contains("href=\"/me\""), "linked from the header");
    assert!(
        !me.contains("href=\"/planner\""),
        "no workbench link for a participant"
    );

    // Name and language can be changed; bad values are refused with a message.
    let refused = client
        .post(app.url("/me"))
        .form(&[("name", "  "), ("lang", "en")])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 422);
    assert!(
        refused
            .text()
            .await
            .expect("html")
            .contains("Skriv namnet ditt")
    );
    let refused = client
        .post(app.url("/me"))
        .form(&[("name", "Siri"), ("lang", "de")])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 422);
    let saved = client
        .post(app.url("/me"))
        .form(&[("name", "Siri S. Saksvik"), ("lang", "en")])
        .send()
        .await
        .expect("post");
    assert_eq!(saved.status(), 303);
    let person = app
        .db
        .person_by_email("siri@example.org")
        .await
        .expect("db")
        .expect("person");
    assert_eq!(person.name, "Siri S. Saksvik");
    assert_eq!(person.lang, domain::Lang::En);

    // Nobody else's page: without a session, /me sends you to sign in.
    let anonymous = browser().get(app.url("/me")).send().await.expect("get");
    assert_eq!(anonymous.status(), 303);
    assert_eq!(anonymous.headers()["location"], "/sign-in");
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn the_export_holds_everything_about_the_person_and_no_secret() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let hearing = app.open_hearing("helse").await;
    let group = app
        .db
        .create_group(
            hearing.plan(),
            domain::group::GroupKind::ElderCouncil,
            "Eldrerådet",
        )
        .await
        .expect("group");
    let client = app.citizen("per@example.org", "Per Persen").await;
    let cookie = client.cookie.clone();
    let person = client.person.clone();
    app.db
        .add_member(group.id, person.id, domain::group::MemberRole::Member, None)
        .await
        .expect("member");
    app.db
        .set_password(person.id, Some("eit langt og hemmeleg passord"))
        .await
        .expect("password");
    let posted = client
        .post(app.url(&format!("/api/v1/hearings/{}/comments", hearing.id)))
        .json(&json!({"section_id": hearing.section_ids[0], "body": "Mitt innspel."}))
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 201);
    // An unused sign-in link, and an input given without signing in.
    let unused_link = request_link(&app, &browser(), "per@example.org").await;
    let anonymous = app
        .http
        .post(app.url(&format!("/api/v1/hearings/{}/comments", hearing.id)))
        .json(&json!({"section_id": hearing.section_ids[1], "author_name": "Per", "author_email": "per@example.org", "body": "Utan å logge inn."}))
        .send()
        .await
        .expect("post");
    assert_eq!(anonymous.status(), 202);
    let confirm_link = app
        .link_token("per@example.org", "/inputs/confirm?token=", 1)
        .await;

    let download = client.get(app.url("/me/export")).send().await.expect("get");
    assert_eq!(download.status(), 200);
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        disposition.starts_with("attachment; filename=\"samrad-export-"),
        "{disposition}"
    );
    assert!(
        download.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("application/json")
    );
    let text = download.text().await.expect("body");
    let export: Value = serde_json::from_str(&text).expect("JSON");

    assert_eq!(export["person"]["email"], "per@example.org");
    assert_eq!(export["person"]["name"], "Per Persen");
    assert_eq!(export["person"]["has_password"], true);
    assert!(export["person"]["email_confirmed_at"].is_string());
    assert_eq!(export["memberships"][0]["group"], "Eldrerådet");
    assert_eq!(export["memberships"][0]["role"], "member");
    let bodies: Vec<&str> = export["comments"]
        .as_array()
        .expect("comments")
        .iter()
        .map(|c| c["body"].as_str().expect("body"))
        .collect();
    assert!(bodies.contains(&"Mitt innspel."), "{bodies:?}");
    assert!(
        bodies.contains(&"Utan å logge inn."),
        "unconfirmed too: {bodies:?}"
    );
    let sessions = export["sessions"].as_array().expect("sessions");
    assert!(sessions.iter().any(|s| s["current"] == true));
    assert!(
        export["sign_in_links"]
            .as_array()
            .expect("links")
            .iter()
            .any(|l| l["purpose"] == "confirm_input")
    );
    assert!(
        export["emails"]
            .as_array()
            .expect("emails")
            .iter()
            .any(|e| e["kind"] == "sign_in_link")
    );

    // No secret, hashed or not.
    let secret = cookie.split_once('=').expect("cookie pair").1;
    for forbidden in [
        secret.to_owned(),
        db::hash_token(secret),
        unused_link.clone(),
        db::hash_token(&unused_link),
        confirm_link.clone(),
        db::hash_token(&confirm_link),
        "$argon2".to_owned(),
        "token_hash".to_owned(),
        "secret_hash".to_owned(),
        "password_hash".to_owned(),
        "token=".to_owned(),
    ] {
        assert!(!text.contains(&forbidden), "the export holds {forbidden:?}");
    }

    // The same from the JSON API, for the session only.
    let api = client
        .get(app.url("/api/v1/me/export"))
        .send()
        .await
        .expect("get");
    assert_eq!(api.status(), 200);
    let api: Value = api.json().await.expect("JSON");
    assert_eq!(api["person"]["id"], export["person"]["id"]);
    let nobody = app
        .http
        .get(app.url("/api/v1/me/export"))
        .send()
        .await
        .expect("get");
    assert_eq!(nobody.status(), 401);
    assert_eq!(
        nobody.json::<Value>().await.expect("JSON")["error"],
        "unauthorized"
    );
    let (openapi_status, openapi) = app.get_json("/api/openapi.json").await;
    assert_eq!(openapi_status, 200);
    assert!(openapi["paths"]["/api/v1/me/export"]["get"].is_object());
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn deletion_keeps_the_text_removes_the_name_everywhere_signs_out_and_closes_sockets() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let hearing = app.open_hearing("helse").await;
    let room = format!("document:{}", hearing.document_id);
    let comments_url = app.url(&format!("/api/v1/hearings/{}/comments", hearing.id));

    let anna = app.citizen("anna@example.org", "Anna Anonym").await;
    let anna_cookie = anna.cookie.clone();
    let bjorn = app.citizen("bjorn@example.org", "Bjørn Bygdelag").await;
    let first: Value = anna
        .post(&comments_url)
        .json(&json!({"section_id": hearing.section_ids[0], "body": "Teksten min skal stå att."}))
        .send()
        .await
        .expect("post")
        .json()
        .await
        .expect("JSON");
    let reply = bjorn
        .post(&comments_url)
        .json(&json!({"section_id": hearing.section_ids[0], "body": "Eit svar til Anna.", "parent_id": first["id"]}))
        .send()
        .await
        .expect("post");
    assert_eq!(reply.status(), 201);
    // Anna also left input she never confirmed, under the same address.
    let waiting = app
        .http
        .post(&comments_url)
        .json(&json!({"section_id": hearing.section_ids[1], "author_name": "Anna A.", "author_email": "anna@example.org", "body": "Aldri stadfesta."}))
        .send()
        .await
        .expect("post");
    assert_eq!(waiting.status(), 202);
    app.link_token("anna@example.org", "/inputs/confirm?token=", 1)
        .await;
    // And a sign-in link she has not used.
    let old_link = request_link(&app, &browser(), "anna@example.org").await;
    let anna_id = anna.person.id;

    let mut annas_socket = app.subscribed(&room, Some(&anna_cookie), None).await;
    let mut reader = app.subscribed(&room, None, Some(2)).await;

    let (status, confirm_page) = app.page_status(&anna, "/me/delete").await;
    assert_eq!(status, 200);
    assert!(confirm_page.contains("method=\"post\" action=\"/me/delete\""));
    let unticked = anna
        .post(app.url("/me/delete"))
        .form(&[("confirm", "")])
        .send()
        .await
        .expect("post");
    assert_eq!(unticked.status(), 422, "the box must be ticked");
    assert!(
        !app.comments(&hearing).await[0]["anonymised"]
            .as_bool()
            .expect("flag")
    );

    let deleted = anna
        .post(app.url("/me/delete"))
        .form(&[("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(deleted.status(), 200);
    let removal = deleted.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(removal.starts_with("__Host-samrad_session=;"), "{removal}");
    let deleted_page = deleted.text().await.expect("html");
    assert!(deleted_page.contains("Du er sletta"));
    assert!(
        !deleted_page.contains("Anna Anonym"),
        "the header no longer names her"
    );

    // Her open websocket is closed; readers are told to take the name away.
    let closed = tokio::time::timeout(Duration::from_secs(5), async {
        while let Some(message) = annas_socket.next().await {
            if let Ok(Message::Close(frame)) = message {
                return frame.map(|f| u16::from(f.code));
            }
        }
        None
    })
    .await
    .expect("her socket closes within 5 s");
    assert_eq!(closed, Some(1008));
    let told = next_json(&mut reader).await;
    assert_eq!(told["event"]["type"], "comment_anonymised", "{told}");
    assert_eq!(told["event"]["data"]["comment_id"], first["id"]);

    // The text stays; the name is gone from the API, the page and the event log.
    let listed = app.comments(&hearing).await;
    assert_eq!(listed.len(), 2, "nothing published was deleted");
    assert_eq!(listed[0]["body"], "Teksten min skal stå att.");
    assert_eq!(listed[0]["author_name"], "");
    assert_eq!(listed[0]["anonymised"], true);
    assert_eq!(listed[1]["author_name"], "Bjørn Bygdelag");
    let (_, html) = app
        .page_status(&app.http, &format!("/hearings/{}", hearing.id))
        .await;
    assert!(html.contains("Teksten min skal stå att."));
    assert!(
        html.contains("Namn fjerna"),
        "the page says the name was removed"
    );
    let (_, english) = app
        .page_status(&app.http, &format!("/hearings/{}?lang=en", hearing.id))
        .await;
    assert!(english.contains("Name removed"));
    let mut resumed = app.subscribed(&room, None, Some(0)).await;
    let replayed = next_json(&mut resumed).await;
    assert_eq!(replayed["event"]["type"], "comment_posted");
    assert_eq!(replayed["event"]["data"]["author_name"], "");
    assert_eq!(replayed["event"]["data"]["anonymised"], true);
    for (what, text) in [
        ("the API", serde_json::to_string(&listed).expect("json")),
        ("the page", html),
        ("the event log", replayed.to_string()),
    ] {
        assert!(!text.contains("Anna Anonym"), "{what} still names her");
        assert!(
            !text.contains("anna@example.org"),
            "{what} holds her address"
        );
    }
    let (_, bjorns_export) = app.page_status(&bjorn, "/me/export").await;
    assert!(bjorns_export.contains("Eit svar til Anna."));
    assert!(!bjorns_export.contains("Anna Anonym"));

    // The planner sees that the input was anonymised.
    let (status, for_planner) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{}/comments", hearing.id))
        .await;
    assert_eq!(status, 200);
    assert_eq!(for_planner[0]["anonymised"], true);
    let planner = signed_in_planner(&app, "planleggjar@testvik.example").await;
    let (status, workbench) = app
        .page_status(&planner, &format!("/planner/hearings/{}", hearing.id))
        .await;
    assert_eq!(status, 200);
    assert!(workbench.contains("Anonymisert"), "{workbench}");
    assert!(
        workbench.contains("<li><a href=\"/planner\">"),
        "staff see the workbench link in the header"
    );
    assert!(workbench.contains("Teksten min skal stå att."));
    assert!(!workbench.contains("Anna Anonym"));

    // Signed out, and nothing can sign in as her again.
    let me = anna.get(app.url("/me")).send().await.expect("get");
    assert_eq!(me.status(), 303, "her session is gone");
    let old = browser()
        .post(app.url("/sign-in/confirm"))
        .form(&[("token", old_link.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(old.status(), 410, "the old link is dead");
    assert!(
        app.db
            .person_by_email("anna@example.org")
            .await
            .expect("db")
            .is_none()
    );
    let record = app.db.person_record(anna_id).await.expect("record");
    assert!(record.anonymised_at.is_some());
    assert_eq!(record.person.name, "");
    assert!(domain::privacy::is_placeholder_email(&record.person.email));
    assert!(!record.has_password);
    // Input she never confirmed is gone; emails to her are not kept under her address.
    let data = app.db.person_data(anna_id).await.expect("data");
    assert_eq!(data.comments.len(), 1, "the published one, without a name");
    assert!(data.sessions.is_empty() && data.links.is_empty() && data.memberships.is_empty());
    let jobs = app.db.recent_emails(50).await.expect("outbox");
    assert!(jobs.iter().all(|j| j.recipient != "anna@example.org"));
    assert!(
        jobs.iter()
            .filter(|j| domain::privacy::is_placeholder_email(&j.recipient))
            .all(|j| j.status != db::OutboxStatus::Pending),
        "an email to her would still go"
    );
    // A new sign-up with the address is somebody new.
    let again = app
        .db
        .ensure_person("anna@example.org", "Anna igjen", domain::Lang::Nn)
        .await
        .expect("person");
    assert_ne!(again.id, anna_id);
    assert_eq!(
        app.db
            .person_data(again.id)
            .await
            .expect("data")
            .comments
            .len(),
        0,
        "nothing of the old person comes back"
    );
    app.stop().await.expect("graceful stop");
}

#[tokio::test]
async fn input_nobody_confirms_is_deleted_with_the_person_created_for_it() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let hearing = app.open_hearing("helse").await;
    let posted = app
        .http
        .post(app.url(&format!("/api/v1/hearings/{}/comments", hearing.id)))
        .json(&json!({"section_id": hearing.section_ids[0], "author_name": "Gløymd", "author_email": "glemt@example.org", "body": "Aldri stadfesta."}))
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 202);
    let token = app
        .link_token("glemt@example.org", "/inputs/confirm?token=", 1)
        .await;

    // The worker's rule keeps it for days.
    assert_eq!(
        notify::scheduler::purge_unconfirmed(&app.db)
            .await
            .expect("purge"),
        0
    );
    assert!(
        app.db
            .person_by_email("glemt@example.org")
            .await
            .expect("db")
            .is_some()
    );
    // Days later (here: everything stored before a moment from now).
    let later = db::time::now()
        .checked_add(jiff::SignedDuration::from_secs(1))
        .expect("time");
    assert_eq!(app.db.purge_unconfirmed(later).await.expect("purge"), 1);
    assert!(
        app.db
            .person_by_email("glemt@example.org")
            .await
            .expect("db")
            .is_none()
    );
    let late = browser()
        .post(app.url("/inputs/confirm"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(late.status(), 410);
    assert!(app.comments(&hearing).await.is_empty());
    app.stop().await.expect("graceful stop");
}
