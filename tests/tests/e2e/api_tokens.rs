//! API tokens: only a hash is stored; a token can be read-only, limited to one plan
//! and given an end date; revoked or expired, it is refused at once by every process.

use reqwest::Method;
use serde_json::{Value, json};
use tests::{Backend, TestApp, spawn_app};

async fn with_token(
    app: &TestApp,
    base: &str,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut request = reqwest::Client::new()
        .request(method, format!("{base}{path}"))
        .bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.expect("request");
    let status = response.status().as_u16();
    let _ = app;
    (status, response.json().await.unwrap_or(Value::Null))
}

/// Makes a token on the workbench page as `client`; the secret shown once.
async fn make_token(app: &TestApp, client: &reqwest::Client, fields: &[(&str, &str)]) -> String {
    let response = client
        .post(app.url("/planner/tokens"))
        .form(fields)
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 200);
    assert_eq!(
        response.headers()["cache-control"],
        "no-store",
        "the page with the secret is never cached"
    );
    let html = response.text().await.expect("html");
    let start = html
        .find("id=\"token-secret\"")
        .expect("the secret is shown");
    let value = &html[start..];
    let value = &value[value.find("value=\"").expect("value") + 7..];
    value[..value.find('"').expect("end")].to_owned()
}

#[tokio::test]
async fn tokens_are_scoped_read_only_expire_and_are_revoked_at_once_on_every_process() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("nokkel").await;
    let other = app.draft_document("annan").await;
    let planner = app.planner("kari@testvik.example").await;
    let base = app.url("");
    let base = base.trim_end_matches('/');

    let read_only = make_token(
        &app,
        &planner,
        &[
            ("label", "Les"),
            ("access", "read"),
            ("plan", ""),
            ("expires", ""),
        ],
    )
    .await;
    let scoped = make_token(
        &app,
        &planner,
        &[
            ("label", "Éin plan"),
            ("access", "write"),
            ("plan", &h.plan_id),
            ("expires", ""),
        ],
    )
    .await;
    let tomorrow = jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Europe/Oslo").expect("Oslo"))
        .date()
        .tomorrow()
        .expect("date");
    let expiring = make_token(
        &app,
        &planner,
        &[
            ("label", "Kort"),
            ("access", "write"),
            ("plan", ""),
            ("expires", &tomorrow.to_string()),
        ],
    )
    .await;
    assert!(
        read_only.starts_with("samrad_") && read_only.len() > 40,
        "{read_only}"
    );

    // Only hashes are stored.
    let values = app.db.every_text_value().await.expect("read");
    for secret in [&read_only, &scoped, &expiring] {
        let found: Vec<_> = values
            .iter()
            .filter(|(_, v)| v.contains(secret.as_str()))
            .collect();
        assert!(found.is_empty(), "a token is stored in clear: {found:?}");
    }

    // Read-only: reads, and every write is 403.
    let plan_path = format!("/api/v1/plans/{}", h.plan_id);
    let (status, body) = with_token(&app, base, &read_only, Method::GET, &plan_path, None).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = with_token(
        &app,
        base,
        &read_only,
        Method::POST,
        &h.comments_path(),
        Some(json!({"section_id": h.section(), "body": "Skriv."})),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("read_only_token")),
        "{body}"
    );

    // Limited to one plan: the other plan is as if unknown, its own plan works.
    let (status, body) = with_token(&app, base, &scoped, Method::GET, &plan_path, None).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = with_token(
        &app,
        base,
        &scoped,
        Method::GET,
        &format!("/api/v1/plans/{}", other.plan_id),
        None,
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let (status, unknown) = with_token(
        &app,
        base,
        &scoped,
        Method::GET,
        &format!("/api/v1/plans/{}", uuid::Uuid::now_v7()),
        None,
    )
    .await;
    assert_eq!(
        (status, &body),
        (404, &unknown),
        "looks like an unknown plan"
    );
    let (status, body) = with_token(
        &app,
        base,
        &scoped,
        Method::POST,
        &h.comments_path(),
        Some(json!({"section_id": h.section(), "body": "Frå programmet."})),
    )
    .await;
    assert_eq!(status, 201, "{body}");

    // Expired: refused with 401 JSON as soon as the date has passed.
    let (status, _) = with_token(&app, base, &expiring, Method::GET, &plan_path, None).await;
    assert_eq!(status, 200);
    let past = (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(1)).to_string();
    let past = match Backend::from_env() {
        Backend::Postgres => format!("'{past}'::timestamptz"),
        Backend::Sqlite => format!("'{}'", past.replace('T', " ").replace('Z', "+00:00")),
    };
    app.db
        .execute_unprepared(&format!(
            "UPDATE api_token SET expires_at = {past} WHERE label = 'Kort'"
        ))
        .await
        .expect("expire");
    let (status, body) = with_token(&app, base, &expiring, Method::GET, &plan_path, None).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (401, Some("unauthorized")),
        "{body}"
    );

    // Revoked on this process: refused at once here and by another process.
    let second = app.another_process().await.expect("second process");
    let second_base = format!(
        "http://{}",
        second
            .ws_url()
            .trim_start_matches("ws://")
            .trim_end_matches("/ws")
    );
    let (status, _) = with_token(
        &app,
        &second_base,
        &read_only,
        Method::GET,
        &plan_path,
        None,
    )
    .await;
    assert_eq!(status, 200, "the second process knows the token");
    let tokens: Value = planner
        .get(app.url("/api/v1/tokens"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    let listed = tokens.as_array().expect("list");
    assert_eq!(listed.len(), 3, "{tokens}");
    assert!(
        !tokens.to_string().contains(&read_only),
        "the list shows no secret"
    );
    let id = listed
        .iter()
        .find(|t| t["label"] == "Les")
        .and_then(|t| t["id"].as_str())
        .expect("id")
        .to_owned();
    let (status, _) = app
        .send(
            &planner,
            Method::POST,
            &format!("/api/v1/tokens/{id}/revoke"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    for process in [base, second_base.as_str()] {
        let (status, body) =
            with_token(&app, process, &read_only, Method::GET, &plan_path, None).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (401, Some("unauthorized")),
            "{process}: {body}"
        );
    }
    let page = app.page(&planner, "/planner/tokens").await;
    assert!(
        page.contains(&format!("id=\"token-{id}\" data-status=\"revoked\"")),
        "{page}"
    );

    // A colleague sees only their own tokens and cannot revoke hers; the
    // administrator sees and revokes every one.
    let per = app.planner("per@testvik.example").await;
    let (status, theirs) = app.send(&per, Method::GET, "/api/v1/tokens", None).await;
    assert_eq!(
        (status, theirs.as_array().map(Vec::len)),
        (200, Some(0)),
        "{theirs}"
    );
    let scoped_id = listed
        .iter()
        .find(|t| t["label"] == "Éin plan")
        .and_then(|t| t["id"].as_str())
        .expect("id")
        .to_owned();
    let (status, _) = app
        .send(
            &per,
            Method::POST,
            &format!("/api/v1/tokens/{scoped_id}/revoke"),
            None,
        )
        .await;
    assert_eq!(status, 404);
    let admin = app.administrator("ada@testvik.example").await;
    let (status, all) = app.send(&admin, Method::GET, "/api/v1/tokens", None).await;
    assert_eq!(status, 200);
    assert_eq!(
        all.as_array().map(Vec::len),
        Some(4),
        "hers and the command line's: {all}"
    );
    let (status, _) = app
        .send(
            &admin,
            Method::POST,
            &format!("/api/v1/tokens/{scoped_id}/revoke"),
            None,
        )
        .await;
    assert_eq!(status, 204);
    let (status, _) = with_token(&app, base, &scoped, Method::GET, &plan_path, None).await;
    assert_eq!(status, 401);

    // Participants have no tokens; bad forms are refused and make nothing.
    let citizen = app.citizen("ola@example.org", "Ola").await;
    let (status, _) = app.page_status(&citizen, "/planner/tokens").await;
    assert_eq!(status, 403);
    let refused = planner
        .post(app.url("/planner/tokens"))
        .form(&[
            ("label", "Gamal"),
            ("access", "read"),
            ("plan", ""),
            ("expires", "2001-01-01"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 400);
    let refused = planner
        .post(app.url("/planner/tokens"))
        .form(&[
            ("label", "Annan kommune"),
            ("access", "read"),
            ("plan", &uuid::Uuid::now_v7().to_string()),
            ("expires", ""),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 400);
    let (_, mine) = app
        .send(&planner, Method::GET, "/api/v1/tokens", None)
        .await;
    assert_eq!(mine.as_array().map(Vec::len), Some(3), "{mine}");
    // A token may not make or revoke tokens it cannot see; it may list its owner's.
    let (status, _) = with_token(&app, base, &expiring, Method::GET, "/api/v1/tokens", None).await;
    assert_eq!(status, 401, "expired");
    second.stop().await.expect("stops");
    app.stop().await.expect("stops");
}
