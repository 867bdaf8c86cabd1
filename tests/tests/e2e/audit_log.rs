//! The audit log: every kind of security-relevant action leaves its line, written
//! with the action; administrators read and filter it on a page and as JSON, and
//! nobody else does.

use reqwest::Method;
use serde_json::{Value, json};
use tests::{Backend, TestApp, spawn_app};

async fn audit(app: &TestApp, client: &reqwest::Client, query: &str) -> Value {
    let (status, body) = app
        .send(client, Method::GET, &format!("/api/v1/audit{query}"), None)
        .await;
    assert_eq!(status, 200, "{query}: {body}");
    body
}

fn kinds(log: &Value) -> Vec<String> {
    log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["kind"].as_str().expect("kind").to_owned())
        .collect()
}

#[tokio::test]
async fn every_kind_of_action_leaves_its_line_for_the_administrators() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("revisjon").await;
    let admin = app.administrator("ada@testvik.example").await;
    let planner = app.planner("kari@testvik.example").await;

    // A failed password sign-in, with the person whose address it was.
    let wrong = tests::browser()
        .post(app.url("/sign-in/password"))
        .form(&[
            ("email", "kari@testvik.example"),
            ("password", "feil passord heilt"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(wrong.status(), 401);

    // A citizen comments; the planner (by token) hides and restores it; the
    // citizen deletes it.
    let citizen = app.citizen("ola@example.org", "Ola").await;
    let (status, comment) = app
        .send(
            &citizen,
            Method::POST,
            &h.comments_path(),
            Some(json!({"section_id": h.section(), "body": "Fleire sykkelvegar."})),
        )
        .await;
    assert_eq!(status, 201, "{comment}");
    let comment_id = comment["id"].as_str().expect("id").to_owned();
    app.planner_expects(
        200,
        &format!("/api/v1/comments/{comment_id}/hide"),
        json!({"reason": "Personopplysningar"}),
    )
    .await;
    app.planner_expects(
        200,
        &format!("/api/v1/comments/{comment_id}/restore"),
        json!({}),
    )
    .await;
    let (status, body) = app
        .send(
            &citizen,
            Method::DELETE,
            &format!("/api/v1/comments/{comment_id}"),
            None,
        )
        .await;
    assert!(status == 200 || status == 204, "{status}: {body}");

    // Screening: a comment waits, the planner publishes it.
    app.planner_expects(
        200,
        &format!("/api/v1/hearings/{}/screening", h.id),
        json!({"enabled": true}),
    )
    .await;
    let (status, screened) = app
        .send(
            &citizen,
            Method::POST,
            &h.comments_path(),
            Some(json!({"section_id": h.section(), "body": "Ein benk ved bussen."})),
        )
        .await;
    assert_eq!(status, 202, "{screened}");
    let screened_id = screened["id"].as_str().expect("id").to_owned();
    app.planner_expects(
        200,
        &format!("/api/v1/comments/{screened_id}/publish"),
        json!({}),
    )
    .await;

    // A planner added to the plan: a membership change.
    tests::planner(&app, "per@testvik.example").await;
    app.planner_expects(
        201,
        &format!("/api/v1/plans/{}/planners", h.plan_id),
        json!({"email": "per@testvik.example"}),
    )
    .await;

    // An assessment drafted, reviewed by a second planner and published (few
    // sign-ins: the sign-in form allows five in a burst per address).
    let ann = &admin;
    let (_, register) = app
        .get_json_as_planner(&format!("/api/v1/plans/{}/inputs", h.plan_id))
        .await;
    let input = register["inputs"][0]["id"]
        .as_str()
        .expect("input")
        .to_owned();
    let assessment = format!("/api/v1/inputs/{input}/assessment");
    let (status, body) = app
        .send(
            ann,
            Method::PUT,
            &assessment,
            Some(json!({"summary": "Benk.", "outcome": "followed", "response": "Ja."})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .send(
            &planner,
            Method::POST,
            &format!("{assessment}/review"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = app
        .send(ann, Method::POST, &format!("{assessment}/publish"), None)
        .await;
    assert_eq!(status, 200, "{body}");

    // An API token made and revoked on the page.
    let made = planner
        .post(app.url("/planner/tokens"))
        .form(&[
            ("label", "Statistikk"),
            ("access", "read"),
            ("plan", ""),
            ("expires", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(made.status(), 200);
    let tokens: Value = planner
        .get(app.url("/api/v1/tokens"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let token_id = tokens[0]["id"].as_str().expect("token").to_owned();
    let revoked = planner
        .post(app.url(&format!("/planner/tokens/{token_id}/revoke")))
        .send()
        .await
        .expect("post");
    assert_eq!(revoked.status(), 200);

    // Someone who gave input asks to be forgotten.
    let anna = app.citizen("anna@example.org", "Anna Innbyggjar").await;
    let (status, _) = app
        .send(
            &anna,
            Method::POST,
            &h.comments_path(),
            Some(json!({"section_id": h.section(), "body": "Meir lys."})),
        )
        .await;
    assert_eq!(status, 202, "screened, still the hearing's input");
    let forgotten = anna
        .post(app.url("/me/delete"))
        .form(&[("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(forgotten.status(), 200);

    // The citizen signs out.
    let out = citizen
        .post(app.url("/sign-out"))
        .send()
        .await
        .expect("post");
    assert!(out.status().is_redirection() || out.status().is_success());

    let log = audit(&app, &admin, "").await;
    let seen = kinds(&log);
    for kind in [
        "sign_in",
        "sign_in_failed",
        "sign_out",
        "role_changed",
        "membership_changed",
        "hidden",
        "restored",
        "screened",
        "assessment_published",
        "deleted",
        "forgotten",
        "token_created",
        "token_revoked",
    ] {
        assert!(seen.iter().any(|k| k == kind), "no {kind} line in {log}");
    }

    // Filters: by kind, by actor (address), by plan, by dates, paged.
    let hidden = audit(&app, &admin, "?kind=hidden").await;
    assert_eq!(kinds(&hidden), vec!["hidden"], "{hidden}");
    assert_eq!(
        hidden["entries"][0]["target"], comment_id,
        "the comment's id, not its text"
    );
    assert!(
        !log.to_string().contains("Fleire sykkelvegar") && !log.to_string().contains("Meir lys"),
        "the log keeps no content: {log}"
    );
    let failed = audit(
        &app,
        &admin,
        "?kind=sign_in_failed&actor=kari%40testvik.example",
    )
    .await;
    assert_eq!(kinds(&failed), vec!["sign_in_failed"], "{failed}");
    let in_plan = audit(&app, &admin, &format!("?plan={}", h.plan_id)).await;
    assert!(
        in_plan["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .all(|e| e["plan"] == h.plan_id.as_str()),
        "{in_plan}"
    );
    assert!(
        kinds(&in_plan).contains(&"screened".to_owned()),
        "{in_plan}"
    );
    let today = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Europe/Oslo").expect("Oslo"))
        .date();
    let yesterday = today.yesterday().expect("date");
    let before = audit(&app, &admin, &format!("?to={yesterday}")).await;
    assert_eq!(before["total"], 0, "{before}");
    let since = audit(&app, &admin, &format!("?from={today}&to={today}")).await;
    assert_eq!(since["total"], log["total"], "{since}");
    assert_eq!(log["page"], 1);
    let (status, body) = app
        .send(&admin, Method::GET, "/api/v1/audit?kind=nonsense", None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_filter"))
    );
    let (status, body) = app
        .send(&admin, Method::GET, "/api/v1/audit?sort=at", None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_filter"))
    );

    // The page, in every language, with the filter kept.
    let html = app.page(&admin, "/admin/audit?kind=hidden").await;
    assert!(
        html.contains("id=\"audit-log\"") && html.contains("Innspel skjult"),
        "{html}"
    );
    assert!(html.contains(&comment_id), "{html}");
    let english = app.page(&admin, "/admin/audit?lang=en").await;
    assert!(english.contains("Failed sign-in"), "{english}");
    let (status, html) = app.page_status(&admin, "/admin/audit?from=igår").await;
    assert_eq!(status, 400);
    assert!(html.contains("ÅÅÅÅ-MM-DD"), "{html}");

    // Nobody else: planners are refused, the public is sent to sign in, tokens that
    // are not an administrator's get 403.
    let (status, _) = app.page_status(&planner, "/admin/audit").await;
    assert_eq!(status, 403);
    let (status, _) = app.page_status(&app.public(), "/admin/audit").await;
    assert_eq!(status, 303);
    let (status, body) = app.send(&planner, Method::GET, "/api/v1/audit", None).await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")));
    let (status, body) = app
        .send(&app.public(), Method::GET, "/api/v1/audit", None)
        .await;
    assert_eq!((status, body["error"].as_str()), (403, Some("forbidden")));
    // The command line's token acts as the administrator.
    let (status, _) = app.get_json_as_planner("/api/v1/audit").await;
    assert_eq!(status, 200);
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_session_unused_for_its_idle_timeout_ends_and_is_recorded() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let admin = app.administrator("ada@testvik.example").await;
    let citizen = app.citizen("ola@example.org", "Ola").await;
    let planner = app.planner("kari@testvik.example").await;
    app.page(&citizen, "/me").await;

    // Staff have the shorter timeout: 31 minutes unused ends a planner's session
    // but not a participant's (defaults 30 and 240 minutes).
    let backdate = |email: &str, minutes: i64| {
        let when = (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(minutes)).to_string();
        let when = match Backend::from_env() {
            Backend::Postgres => format!("'{when}'::timestamptz"),
            Backend::Sqlite => format!("'{}'", when.replace('T', " ").replace('Z', "+00:00")),
        };
        format!(
            "UPDATE session SET last_seen_at = {when} WHERE person_id IN \
             (SELECT id FROM person WHERE email = '{email}')"
        )
    };
    app.db
        .execute_unprepared(&backdate("kari@testvik.example", 31))
        .await
        .expect("backdate");
    app.db
        .execute_unprepared(&backdate("ola@example.org", 31))
        .await
        .expect("backdate");
    let (status, _) = app.page_status(&planner, "/planner").await;
    assert_eq!(status, 303, "the planner's session ended");
    app.page(&citizen, "/me").await;

    // "Stay signed in" counts as use; after the timeout it is refused.
    let (status, body) = app
        .send(&citizen, Method::POST, "/session/extend", None)
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["idle_seconds"], 240 * 60);
    app.db
        .execute_unprepared(&backdate("ola@example.org", 241))
        .await
        .expect("backdate");
    let (status, body) = app
        .send(&citizen, Method::POST, "/session/extend", None)
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized"))
    );
    let (status, _) = app.page_status(&citizen, "/me").await;
    assert_eq!(status, 303, "sent to sign in");

    let log = audit(&app, &admin, "?kind=session_idle").await;
    let kari = app
        .db
        .person_by_email("kari@testvik.example")
        .await
        .expect("db")
        .expect("kari");
    let actors: Vec<&str> = log["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .filter_map(|e| e["actor_person"].as_str())
        .collect();
    assert!(actors.contains(&kari.id.to_string().as_str()), "{log}");

    app.stop().await.expect("stops");
}
