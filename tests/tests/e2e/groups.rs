//! Groups, invitations and member lists: a planner invites a reference group from a
//! spreadsheet, a member accepts from the emailed link and takes part; expired and
//! revoked links grant nothing; a removed member's websocket loses the room.

use serde_json::{Value, json};
use tests::ws::{next_json, subscribe};
use tests::{Backend, OpenHearing, TestApp, browser, set_cookie, signed_in_planner, spawn_app};

/// A plan with a document and an open hearing for invited participants only.
pub(crate) async fn invited_hearing(app: &TestApp, slug: &str) -> OpenHearing {
    app.open_hearing_with(
        slug,
        json!({"title": "Høyring for referansegruppa", "audience": "invited"}),
    )
    .await
}

pub(crate) async fn create_group(app: &TestApp, plan_id: &str, name: &str) -> String {
    let group = app
        .planner_expects(
            201,
            &format!("/api/v1/plans/{plan_id}/groups"),
            json!({"kind": "reference_group", "name": name}),
        )
        .await;
    group["id"].as_str().expect("id").to_owned()
}

/// The invitation token from the `nth` invitation email to `email`.
pub(crate) async fn invitation_token(app: &TestApp, email: &str, nth: usize) -> String {
    app.link_token(email, "/invitations/accept?token=", nth)
        .await
}

async fn group_detail(app: &TestApp, group: &str) -> Value {
    let (status, detail) = app
        .get_json_as_planner(&format!("/api/v1/groups/{group}"))
        .await;
    assert_eq!(status, 200, "{detail}");
    detail
}

#[tokio::test]
async fn a_planner_invites_a_reference_group_from_a_spreadsheet_and_a_member_joins() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = invited_hearing(&app, "csv-invite").await;
    let (plan_id, hearing_id) = (&h.plan_id, &h.id);
    let planner = signed_in_planner(&app, "kari@testvik.example").await;

    let created = planner
        .post(app.url(&format!("/planner/plans/{plan_id}/groups")))
        .form(&[
            ("kind", "reference_group"),
            ("name", "Referansegruppe helse"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(created.status(), 303);
    let group_path = created.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let group_id = group_path.rsplit('/').next().expect("id").to_owned();

    // Semicolons, a byte-order mark and CRLF, as spreadsheets export them.
    let csv = "\u{feff}Namn;E-post;Organisasjon;Gruppe;Rolle\r\n\
        Åse Medlem;ase@medlem.example;;;\r\n\
        Per Pensjonist;per@pensjonist.example;Fjordvik pensjonistlag;Referansegruppe helse;representant\r\n\
        =cmd|' /C calc'!A0;eve@example.org;;;\r\n\
        Feil Adresse;ikkje-ei-adresse;;;\r\n";
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("medlemer.csv"),
    );
    let preview = planner
        .post(app.url(&format!("{group_path}/import?lang=nn")))
        .multipart(form)
        .send()
        .await
        .expect("upload");
    assert_eq!(preview.status(), 200);
    let page = preview.text().await.expect("html");
    assert!(
        page.contains("2 rader kan inviterast. 2 rader har feil."),
        "{page}"
    );
    assert!(
        page.contains("Cella byrjar som ein formel"),
        "the formula row is explained"
    );
    assert!(
        page.contains("Ikkje ei gyldig e-postadresse"),
        "the bad address is explained"
    );
    // Nothing is stored by the preview.
    assert!(
        group_detail(&app, &group_id).await["invitations"]
            .as_array()
            .expect("list")
            .is_empty()
    );

    // Confirming without accepting that bad rows are skipped invites nobody.
    let refused = planner
        .post(app.url(&format!("{group_path}/import/confirm")))
        .form(&[("csv", csv)])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 200, "the preview is shown again");
    assert!(
        group_detail(&app, &group_id).await["invitations"]
            .as_array()
            .expect("list")
            .is_empty()
    );

    let confirmed = planner
        .post(app.url(&format!("{group_path}/import/confirm")))
        .form(&[("csv", csv), ("skip_invalid", "true")])
        .send()
        .await
        .expect("post");
    assert_eq!(confirmed.status(), 303);
    assert!(
        confirmed.headers()["location"]
            .to_str()
            .expect("ascii")
            .ends_with("done=imported&count=2")
    );
    let detail = group_detail(&app, &group_id).await;
    let invitations = detail["invitations"].as_array().expect("list");
    assert_eq!(invitations.len(), 2, "{detail}");
    assert!(invitations.iter().all(|i| i["status"] == "pending"));
    let organisations: Value = app
        .http
        .get(app.url(&format!(
            "/api/v1/municipalities/{}/organisations",
            app.municipality_slug
        )))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(
        organisations[0]["name"], "Fjordvik pensjonistlag",
        "a new organisation is registered"
    );

    // The member is not yet part of the hearing for invited participants.
    let member = browser();
    let before = member
        .get(app.url(&format!("/hearings/{hearing_id}")))
        .send()
        .await
        .expect("get");
    assert_eq!(before.status(), 404);

    let token = invitation_token(&app, "ase@medlem.example", 1).await;
    let mail = app.mail_to("ase@medlem.example", "").await;
    assert!(
        mail.subject().contains("Referansegruppe helse"),
        "{}",
        mail.subject()
    );
    assert!(mail.text().contains("14 dagar"), "{}", mail.text());

    // Opening the link (as a mail scanner would) accepts nothing.
    let accept_url = app.url(&format!("/invitations/accept?token={token}"));
    let shown = member.get(&accept_url).send().await.expect("get");
    assert_eq!(shown.status(), 200);
    assert!(
        shown
            .text()
            .await
            .expect("html")
            .contains("Ta imot invitasjonen")
    );
    assert_eq!(
        member
            .head(&accept_url)
            .send()
            .await
            .expect("head")
            .status(),
        200
    );
    assert!(
        group_detail(&app, &group_id).await["members"]
            .as_array()
            .expect("list")
            .is_empty()
    );

    let accepted = member
        .post(app.url("/invitations/accept"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(accepted.status(), 303);
    assert_eq!(accepted.headers()["location"], "/me");
    assert!(set_cookie(&accepted).starts_with("__Host-samrad_session="));

    // Their own page lists the plan and its open hearing.
    let me = member
        .get(app.url("/me?lang=nn"))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(
        me.contains("Kommunedelplan for helse, sosial og omsorg"),
        "{me}"
    );
    assert!(me.contains("Høyring for referansegruppa"), "{me}");
    assert!(me.contains("Referansegruppe helse"), "{me}");

    // Signed in as a member: the plan's hearing for invited participants opens.
    let hearing_page = member
        .get(app.url(&format!("/hearings/{hearing_id}")))
        .send()
        .await
        .expect("get");
    assert_eq!(hearing_page.status(), 200);
    assert!(
        hearing_page
            .text()
            .await
            .expect("html")
            .contains("Høyring for referansegruppa")
    );
    let (status, _) = app
        .get_json(&format!("/api/v1/hearings/{hearing_id}"))
        .await;
    assert_eq!(status, 404, "still hidden from the public");

    let detail = group_detail(&app, &group_id).await;
    assert_eq!(detail["members"][0]["name"], "Åse Medlem", "{detail}");
    assert_eq!(detail["members"][0]["role"], "member");
    let statuses: Vec<&str> = detail["invitations"]
        .as_array()
        .expect("list")
        .iter()
        .map(|i| i["status"].as_str().expect("status"))
        .collect();
    assert!(
        statuses.contains(&"accepted") && statuses.contains(&"pending"),
        "{statuses:?}"
    );

    // The link works once.
    let again = browser()
        .post(app.url("/invitations/accept"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(again.status(), 410);

    // The representative may answer for the organisation once they accept.
    let per_token = invitation_token(&app, "per@pensjonist.example", 1).await;
    let per = browser();
    let accepted = per
        .post(app.url("/invitations/accept"))
        .form(&[("token", per_token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(accepted.status(), 303);
    let person = app
        .db
        .person_by_email("per@pensjonist.example")
        .await
        .expect("db")
        .expect("person");
    let roles = app.db.roles(person.id, None).await.expect("roles");
    assert!(
        roles
            .iter()
            .any(|r| matches!(r, domain::policy::Role::Representative { .. })),
        "{roles:?}"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn revoked_and_expired_invitations_grant_nothing_and_resending_replaces_the_link() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = invited_hearing(&app, "revoke").await;
    let hearing_id = &h.id;
    let group = create_group(&app, &h.plan_id, "Eldrerådet").await;
    let invite = |email: &'static str| {
        let app = &app;
        let group = group.clone();
        async move {
            let (status, body) = app
                .post_as_planner(
                    &format!("/api/v1/groups/{group}/invitations"),
                    json!({"name": "Olga Eldre", "email": email, "role": "chair"}),
                )
                .await;
            assert_eq!(status, 201, "{body}");
            body["invitation"]["id"].as_str().expect("id").to_owned()
        }
    };

    // Revoked: the link grants nothing, and cannot be sent again.
    let revoked = invite("olga@eldre.example").await;
    let token = invitation_token(&app, "olga@eldre.example", 1).await;
    let (status, _) = app
        .post_as_planner(&format!("/api/v1/invitations/{revoked}/revoke"), json!({}))
        .await;
    assert_eq!(status, 204);
    let client = browser();
    let shown = client
        .get(app.url(&format!("/invitations/accept?token={token}")))
        .send()
        .await
        .expect("get");
    assert_eq!(shown.status(), 410);
    let post = client
        .post(app.url("/invitations/accept"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), 410);
    assert!(post.headers().get("set-cookie").is_none(), "no session");
    let (status, body) = app
        .post_as_planner(&format!("/api/v1/invitations/{revoked}/resend"), json!({}))
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "invitation_closed");

    // Expired: refused; re-sending makes a new link and the old one stays dead.
    let expiring = invite("nils@eldre.example").await;
    let old = invitation_token(&app, "nils@eldre.example", 1).await;
    app.db
        // Ids are blobs on SQLite; Nils's is the only open invitation.
        .execute_unprepared(
            "UPDATE invitation SET expires_at = '2000-01-01T00:00:00+00:00' \
             WHERE revoked_at IS NULL AND accepted_at IS NULL",
        )
        .await
        .expect("expire");
    let detail = group_detail(&app, &group).await;
    assert!(
        detail["invitations"]
            .as_array()
            .expect("list")
            .iter()
            .any(|i| i["status"] == "expired"),
        "{detail}"
    );
    let post = browser()
        .post(app.url("/invitations/accept"))
        .form(&[("token", old.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), 410);
    let (status, resent) = app
        .post_as_planner(&format!("/api/v1/invitations/{expiring}/resend"), json!({}))
        .await;
    assert_eq!(status, 200, "{resent}");
    assert_eq!(resent["status"], "pending");
    let fresh = invitation_token(&app, "nils@eldre.example", 2).await;
    assert_ne!(fresh, old);
    let post = browser()
        .post(app.url("/invitations/accept"))
        .form(&[("token", old.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), 410, "the old link died with the re-send");
    let nils = browser();
    let post = nils
        .post(app.url("/invitations/accept"))
        .form(&[("token", fresh.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(post.status(), 303);
    let page = nils
        .get(app.url(&format!("/hearings/{hearing_id}")))
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), 200);
    let detail = group_detail(&app, &group).await;
    let members = detail["members"].as_array().expect("list");
    assert_eq!(members.len(), 1, "only Nils joined: {detail}");
    assert_eq!(members[0]["role"], "chair");
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_removed_members_websocket_subscription_is_closed() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = invited_hearing(&app, "removal").await;
    let hearing_id = &h.id;
    let group = create_group(&app, &h.plan_id, "Ungdomsrådet").await;
    let (status, body) = app
        .post_as_planner(
            &format!("/api/v1/groups/{group}/invitations"),
            json!({"name": "Ung Person", "email": "ung@rad.example"}),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let token = invitation_token(&app, "ung@rad.example", 1).await;
    let member = browser();
    let accepted = member
        .post(app.url("/invitations/accept"))
        .form(&[("token", token.as_str())])
        .send()
        .await
        .expect("post");
    assert_eq!(accepted.status(), 303);
    let cookie = set_cookie(&accepted);

    let hearing_room = format!("hearing:{hearing_id}");
    let document_room = h.document_room();
    let mut ws = app.subscribed(&hearing_room, Some(&cookie), None).await;
    subscribe(&mut ws, &document_room).await;

    let person = app
        .db
        .person_by_email("ung@rad.example")
        .await
        .expect("db")
        .expect("person");
    let removed = app
        .as_planner(
            reqwest::Method::DELETE,
            &format!("/api/v1/groups/{group}/members/{}", person.id),
        )
        .send()
        .await
        .expect("delete");
    assert_eq!(removed.status(), 204);

    let mut unsubscribed = Vec::new();
    while unsubscribed.len() < 2 {
        let message = next_json(&mut ws).await;
        if message["type"] == "presence" {
            continue;
        }
        assert_eq!(message["type"], "unsubscribed", "{message}");
        unsubscribed.push(message["room"].as_str().expect("room").to_owned());
    }
    unsubscribed.sort();
    let mut expected = vec![hearing_room.clone(), document_room.clone()];
    expected.sort();
    assert_eq!(unsubscribed, expected);

    // A new comment in the hearing does not reach the former member: the next
    // event they get is one posted after it in a public hearing they follow.
    let public = app.open_hearing("offentleg").await;
    subscribe(&mut ws, &public.document_room()).await;
    app.comment_as_planner(&h, "Planavdelinga", "Takk for innspela.")
        .await;
    let later = app
        .comment_as_planner(&public, "Planavdelinga", "Eit offentleg svar.")
        .await;
    let next = next_json(&mut ws).await;
    assert_eq!(
        (
            &next["room"],
            &next["event"]["type"],
            &next["event"]["data"]["comment_id"]
        ),
        (
            &json!(public.document_room()),
            &json!("comment_posted"),
            &later["id"]
        ),
        "no event of the invited hearing after removal: {next}"
    );
    // Subscribing again is refused, like any room one may not see.
    tests::ws::send(&mut ws, json!({"type": "subscribe", "room": hearing_room})).await;
    let answer = next_json(&mut ws).await;
    assert_eq!(answer["code"], "forbidden", "{answer}");
    // And the hearing page is closed to them again.
    let page = member
        .get(app.url(&format!("/hearings/{hearing_id}")))
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), 404);
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn bad_member_lists_and_invitations_are_refused_whole() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = invited_hearing(&app, "bad-lists").await;
    let group = create_group(&app, &h.plan_id, "Rådet").await;
    let import = |query: &'static str, body: Vec<u8>| {
        let app = &app;
        let group = group.clone();
        async move {
            let response = app
                .as_planner(
                    reqwest::Method::POST,
                    &format!("/api/v1/groups/{group}/invitations/import{query}"),
                )
                .header("content-type", "text/csv")
                .body(body)
                .send()
                .await
                .expect("post");
            let status = response.status().as_u16();
            (
                status,
                response.json::<Value>().await.unwrap_or(Value::Null),
            )
        }
    };
    let nothing_stored = || async {
        let detail = group_detail(&app, &group).await;
        assert!(
            detail["invitations"].as_array().expect("list").is_empty(),
            "{detail}"
        );
        // Every email goes through the outbox, written with the change that causes
        // it: an empty outbox means no email was or will be sent.
        let queued = app.db.recent_emails(100).await.expect("outbox");
        assert!(queued.is_empty(), "no email was queued: {queued:?}");
    };

    // 10 MB: refused before it is read.
    let (status, body) = import("", vec![b'a'; 10 * 1024 * 1024]).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"], "file_too_large");
    nothing_stored().await;

    // A formula, an unknown role, a header injection: reported per row, none stored.
    let csv = "name,email,organisation,group,role\n\
        Good Person,good@example.no,,,\n\
        \"=HYPERLINK(\"\"http://evil.example\"\")\",f@example.no,,,\n\
        Role Less,r@example.no,,,overlord\n\
        \"Inject\",\"a@example.no\r\nBcc: all@example.no\",,,\n";
    let (status, report) = import("?dry_run=true", csv.as_bytes().to_vec()).await;
    assert_eq!(status, 200, "{report}");
    assert_eq!(report["valid"], 1);
    assert_eq!(report["invalid"], 3);
    let codes: Vec<String> = report["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| {
            r["problems"]
                .as_array()
                .expect("problems")
                .iter()
                .map(|p| p["code"].as_str().expect("code").to_owned())
                .collect::<Vec<_>>()
                .join(",")
        })
        .collect();
    assert_eq!(codes, vec!["", "formula", "unknown_role", "invalid_email"]);
    let (status, body) = import("", csv.as_bytes().to_vec()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "invalid_rows");
    nothing_stored().await;
    let (status, body) = import("", b"name;email\nA;a@example.no\n".to_vec()).await;
    assert_eq!(status, 422);
    assert_eq!(body["error"], "missing_columns");
    nothing_stored().await;

    // One by one: malformed and injected addresses, unknown roles.
    for (payload, code) in [
        (
            json!({"name": "A", "email": "not-an-email"}),
            "validation_failed",
        ),
        (
            json!({"name": "A", "email": "a@example.no\r\nBcc: x@example.no"}),
            "validation_failed",
        ),
        (
            json!({"name": "A", "email": "a@example.no", "role": "king"}),
            "unknown_role",
        ),
        (
            json!({"name": "A", "email": "a@example.no", "role": "organisation_representative"}),
            "organisation_required",
        ),
        (
            json!({"name": "A", "email": "a@example.no", "organisation_id": uuid::Uuid::now_v7()}),
            "unknown_organisation",
        ),
    ] {
        let (status, body) = app
            .post_as_planner(
                &format!("/api/v1/groups/{group}/invitations"),
                payload.clone(),
            )
            .await;
        assert_eq!(status, 422, "{payload}: {body}");
        assert_eq!(body["error"], code, "{payload}: {body}");
    }
    nothing_stored().await;

    // Another municipality's group looks like no group.
    let other = app
        .db
        .create_municipality("annavik", "Annavik kommune")
        .await
        .expect("municipality");
    let other_plan = app
        .db
        .create_plan(db::NewPlan {
            municipality_id: other.id,
            slug: "annan-plan".into(),
            title: "Annan plan".into(),
            sector: None,
            period_start: 2026,
            period_end: 2030,
            contact_email: None,
            contact: Default::default(),
            case_number: None,
        })
        .await
        .expect("plan");
    let other_group = app
        .db
        .create_group(
            other_plan.id,
            domain::group::GroupKind::YouthCouncil,
            "Ungdomsrådet",
        )
        .await
        .expect("group");
    let (status, body) = app
        .post_as_planner(
            &format!("/api/v1/groups/{}/invitations", other_group.id),
            json!({"name": "A", "email": "a@example.no"}),
        )
        .await;
    assert_eq!(status, 404, "{body}");
    assert!(
        app.db
            .invitations_of_group(other_group.id)
            .await
            .expect("db")
            .is_empty()
    );
    // And its organisations are not ours to hand out.
    let foreign = app
        .db
        .create_organisation(
            other.id,
            "Annavik idrettslag",
            domain::organisation::OrganisationKind::Volunteer,
        )
        .await
        .expect("organisation");
    let (status, body) = app
        .post_as_planner(
            &format!("/api/v1/groups/{group}/invitations"),
            json!({"name": "A", "email": "a@example.no", "organisation_id": foreign.id}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "unknown_organisation");
    nothing_stored().await;
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn staff_may_sign_in_with_a_password_and_links_are_bound_to_a_municipality() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let testvik_plan = app.draft_document("binding").await.plan_id;
    let planner = tests::planner(&app, "kari@testvik.example").await;
    app.db
        .set_password(planner.id, Some("ein lang og god passordfrase"))
        .await
        .expect("password");
    let client = browser();
    let wrong = client
        .post(app.url("/sign-in/password"))
        .form(&[
            ("email", "kari@testvik.example"),
            ("password", "feil passord"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(wrong.status(), 401);
    assert!(wrong.headers().get("set-cookie").is_none());
    let unknown = client
        .post(app.url("/sign-in/password"))
        .form(&[
            ("email", "nobody@testvik.example"),
            ("password", "feil passord"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(
        unknown.status(),
        401,
        "the same answer for unknown addresses"
    );
    let right = client
        .post(app.url("/sign-in/password"))
        .form(&[
            ("email", "kari@testvik.example"),
            ("password", "ein lang og god passordfrase"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(right.status(), 303);
    assert_eq!(right.headers()["location"], "/planner");
    assert_eq!(
        client
            .get(app.url("/planner"))
            .send()
            .await
            .expect("get")
            .status(),
        200
    );

    // A participant with a password (set by hand) still cannot use one.
    let member = app
        .db
        .ensure_person("ola@testvik.example", "Ola", domain::Lang::Nn)
        .await
        .expect("person");
    app.db
        .set_password(member.id, Some("ein lang og god passordfrase"))
        .await
        .expect("password");
    let refused = browser()
        .post(app.url("/sign-in/password"))
        .form(&[
            ("email", "ola@testvik.example"),
            ("password", "ein lang og god passordfrase"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 401);

    // Kari is a planner of a plan in Annavik too. Her session was made in Testvik
    // (the only municipality then), so it carries her Testvik rights and no others.
    let annavik = app
        .db
        .create_municipality("annavik", "Annavik kommune")
        .await
        .expect("municipality");
    let annavik_plan = app
        .db
        .create_plan(db::NewPlan {
            municipality_id: annavik.id,
            slug: "annavik-plan".into(),
            title: "Annavik-planen".into(),
            sector: None,
            period_start: 2026,
            period_end: 2030,
            contact_email: None,
            contact: Default::default(),
            case_number: None,
        })
        .await
        .expect("plan");
    app.db
        .set_staff_role(planner.id, annavik.id, domain::person::StaffRole::Planner)
        .await
        .expect("role");
    app.db
        .add_plan_planner(annavik_plan.id, planner.id)
        .await
        .expect("plan planner");
    // A session's staff rights: the workbench of its own municipality's plan, and
    // for the other municipality's plan neither its page nor a new group in it.
    let rights_only_in = async |client: &reqwest::Client, own: &str, other: &str, what: &str| {
        let page = |plan: &str| client.get(app.url(&format!("/planner/plans/{plan}/groups")));
        let status = |response: reqwest::Response| response.status().as_u16();
        assert_eq!(status(page(own).send().await.expect("get")), 200, "{what}");
        assert_eq!(
            status(page(other).send().await.expect("get")),
            404,
            "{what}: a plan of the other municipality"
        );
        let created = client
            .post(app.url(&format!("/planner/plans/{other}/groups")))
            .form(&[("kind", "reference_group"), ("name", "Gruppe")])
            .send()
            .await
            .expect("post");
        assert_eq!(status(created), 404, "{what}");
        let other: domain::PlanId = other.parse().expect("plan id");
        let groups = app.db.groups_of_plan(other).await.expect("groups");
        assert!(groups.is_empty(), "{what} created {groups:?}");
    };
    let annavik_plan = annavik_plan.id.to_string();
    rights_only_in(&client, &testvik_plan, &annavik_plan, "a Testvik session").await;

    // A link asked for in Annavik signs her in there, with Annavik's rights only.
    let (in_annavik, landing) = app.sign_in_to("annavik", "kari@testvik.example").await;
    assert_eq!(landing, "/planner");
    rights_only_in(
        &in_annavik,
        &annavik_plan,
        &testvik_plan,
        "an Annavik session",
    )
    .await;

    app.stop().await.expect("stops");
}

#[tokio::test]
async fn sign_in_links_are_bound_to_the_municipality_they_were_asked_for() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    tests::planner(&app, "kari@testvik.example").await;
    // A link asked for in another municipality signs in there, where Kari is not staff.
    app.db
        .create_municipality("annavik", "Annavik kommune")
        .await
        .expect("municipality");
    let (elsewhere, landing) = app.sign_in_to("annavik", "kari@testvik.example").await;
    assert_eq!(landing, "/me");
    assert_eq!(
        elsewhere
            .get(app.url("/planner"))
            .send()
            .await
            .expect("get")
            .status(),
        403,
        "no staff role in Annavik"
    );
    // With two municipalities, the form asks which one.
    let unspecified = browser()
        .post(app.url("/sign-in"))
        .form(&[("email", "kari@testvik.example")])
        .send()
        .await
        .expect("post");
    assert_eq!(unspecified.status(), 422);
    app.stop().await.expect("stops");
}
