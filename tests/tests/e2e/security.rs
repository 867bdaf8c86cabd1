//! Controls against abuse from outside: limits on posting without an account (with
//! `Retry-After`), the honeypot on public forms, which proxies are believed, and the
//! security headers of every kind of answer. SECURITY.md names each control's test.

use reqwest::{Client, Method};
use serde_json::{Value, json};
use tests::fixtures::OpenHearing;
use tests::{Backend, TestApp, browser, planner, spawn_app, spawn_app_secured};

fn limits(per_address: u32, per_email: u32) -> server::SecuritySettings {
    server::SecuritySettings {
        anonymous_comments_per_address: per_address,
        anonymous_comments_per_email: per_email,
        ..server::SecuritySettings::default()
    }
}

/// A client whose connections come from `address` (any of 127.0.0.0/8 works locally).
fn client_from(address: &str) -> Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .local_address(Some(address.parse().expect("address")))
        .build()
        .expect("client")
}

async fn post_anonymous(
    app: &TestApp,
    client: &Client,
    h: &OpenHearing,
    email: &str,
) -> reqwest::Response {
    client
        .post(app.url(&h.comments_path()))
        .json(&json!({
            "section_id": h.section(),
            "author_name": "Utan konto",
            "author_email": email,
            "body": "Kjøp billege klokker på nett.",
        }))
        .send()
        .await
        .expect("post")
}

/// The outbox's emails to `to` (each comment without an account queues one).
async fn queued_to(app: &TestApp, to: &str) -> usize {
    app.db
        .recent_emails(1000)
        .await
        .expect("outbox")
        .iter()
        .filter(|j| j.recipient == to)
        .count()
}

fn retry_after(response: &reqwest::Response) -> u64 {
    response
        .headers()
        .get("retry-after")
        .unwrap_or_else(|| panic!("no Retry-After on {}", response.status()))
        .to_str()
        .expect("text")
        .parse()
        .expect("seconds")
}

#[tokio::test]
async fn anonymous_comments_are_limited_per_client_address_with_retry_after() {
    let app = spawn_app_secured(Backend::from_env(), limits(3, 100))
        .await
        .expect("app");
    let h = app.open_hearing("helse").await;
    let spammer = client_from("127.0.0.21");
    for n in 0..3 {
        let response = post_anonymous(&app, &spammer, &h, &format!("offer{n}@example.org")).await;
        assert_eq!(response.status(), 202, "comment {n}");
    }
    let refused = post_anonymous(&app, &spammer, &h, "offer3@example.org").await;
    assert_eq!(refused.status(), 429);
    let wait = retry_after(&refused);
    assert!((1..=3600).contains(&wait), "Retry-After: {wait}");
    let body: Value = refused.json().await.expect("JSON");
    assert_eq!(body["error"], "too_many_comments", "{body}");
    assert_eq!(
        queued_to(&app, "offer3@example.org").await,
        0,
        "no email queued"
    );

    // The page's form says so too, with the same header.
    let form = spammer
        .post(app.url(&format!("/hearings/{}/comments", h.id)))
        .form(&[
            ("section_id", h.section()),
            ("author_name", "Utan konto"),
            ("author_email", "offer4@example.org"),
            ("body", "Kjøp billege klokker på nett."),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(form.status(), 429);
    assert!(retry_after(&form) >= 1);
    let html = form.text().await.expect("html");
    assert!(html.contains("mange kommentarar"), "the reason is shown");
    assert_eq!(queued_to(&app, "offer4@example.org").await, 0);

    // Another address is not held up, and neither are those who sign in.
    let other = post_anonymous(&app, &client_from("127.0.0.22"), &h, "kari@example.org").await;
    assert_eq!(other.status(), 202);
    app.comment_as_planner(&h, "Planavdelinga", "Takk.").await;
}

#[tokio::test]
async fn anonymous_comments_naming_one_email_address_are_limited_with_retry_after() {
    let app = spawn_app_secured(Backend::from_env(), limits(100, 2))
        .await
        .expect("app");
    let h = app.open_hearing("helse").await;
    // From different addresses, to one victim's email address in different spellings.
    for (n, (from, to)) in [
        ("127.0.0.31", "offer@example.org"),
        ("127.0.0.32", "Offer@Example.org"),
    ]
    .into_iter()
    .enumerate()
    {
        let response = post_anonymous(&app, &client_from(from), &h, to).await;
        assert_eq!(response.status(), 202, "comment {n}");
    }
    let refused = post_anonymous(&app, &client_from("127.0.0.33"), &h, " offer@example.org").await;
    assert_eq!(refused.status(), 429);
    assert!((1..=3600).contains(&retry_after(&refused)));
    assert_eq!(queued_to(&app, "offer@example.org").await, 2);
}

#[tokio::test]
async fn anonymous_reports_over_the_limit_answer_429_with_retry_after() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let reporter = client_from("127.0.0.41");
    let limit = consultation::comments::ANONYMOUS_REPORTS_PER_QUARTER;
    let mut ids = Vec::new();
    for n in 0..=limit {
        let comment = app
            .comment_as_planner(&h, "Planavdelinga", &format!("Svar {n}."))
            .await;
        ids.push(comment["id"].as_str().expect("id").to_owned());
    }
    for id in &ids[..limit as usize] {
        let (status, body) = app
            .send(
                &reporter,
                Method::POST,
                &format!("/api/v1/comments/{id}/reports"),
                Some(json!({})),
            )
            .await;
        assert_eq!(status, 201, "{body}");
    }
    let last = &ids[limit as usize];
    let refused = reporter
        .post(app.url(&format!("/api/v1/comments/{last}/reports")))
        .json(&json!({}))
        .send()
        .await
        .expect("report");
    assert_eq!(refused.status(), 429);
    assert_eq!(retry_after(&refused), 15 * 60);
    let form = reporter
        .post(app.url(&format!("/comments/{last}/report")))
        .form(&[("reason", "Reklame.")])
        .send()
        .await
        .expect("report");
    assert_eq!(form.status(), 429);
    assert_eq!(retry_after(&form), 15 * 60);
}

/// Every `<form …>…</form>` of `html` that posts to an action starting with `prefix`.
fn forms_to<'a>(html: &'a str, prefix: &str) -> Vec<&'a str> {
    html.split("<form")
        .skip(1)
        .filter(|f| f.contains(&format!("action=\"{prefix}")))
        .map(|f| f.split("</form>").next().unwrap_or(f))
        .collect()
}

fn assert_honeypot(form: &str) {
    let field = form
        .split("<input")
        .find(|i| i.contains("name=\"website\""))
        .unwrap_or_else(|| panic!("no honeypot in {form}"));
    assert!(field.contains("tabindex=\"-1\""), "{field}");
    assert!(field.contains("autocomplete=\"off\""), "{field}");
    assert!(form.contains("class=\"honeypot\""), "{form}");
    assert!(
        form.contains("La dette feltet stå tomt"),
        "labelled: {form}"
    );
}

#[tokio::test]
async fn every_public_form_has_an_accessible_honeypot() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    app.comment_as_planner(&h, "Planavdelinga", "Eit svar å svare på.")
        .await;
    let reader = browser();
    let page = app.page(&reader, &h.page_path()).await;
    let comment_forms = forms_to(&page, &format!("/hearings/{}/comments", h.id));
    // One form per section, and a reply form per comment.
    assert!(
        comment_forms.len() > h.section_ids.len(),
        "{}",
        comment_forms.len()
    );
    let report_forms = forms_to(&page, "/comments/");
    let report_forms: Vec<_> = report_forms
        .into_iter()
        .filter(|f| f.contains("/report\""))
        .collect();
    assert!(!report_forms.is_empty(), "a reader may report a comment");
    let sign_in = app.page(&reader, "/sign-in").await;
    let sign_in_forms = forms_to(&sign_in, "/sign-in");
    assert_eq!(sign_in_forms.len(), 2, "by link and by password");
    for form in comment_forms
        .into_iter()
        .chain(report_forms)
        .chain(sign_in_forms)
    {
        assert_honeypot(form);
    }
    let css = reader
        .get(app.url("/assets/samrad.css"))
        .send()
        .await
        .expect("css")
        .text()
        .await
        .expect("text");
    assert!(css.contains(".honeypot"), "the field is moved off screen");
}

#[tokio::test]
async fn a_filled_honeypot_is_refused_quietly_and_nothing_is_stored() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let bot = browser();
    let response = bot
        .post(app.url(&format!("/hearings/{}/comments", h.id)))
        .header("referer", app.url(&h.page_path()))
        .form(&[
            ("section_id", h.section()),
            ("author_name", "Robot"),
            ("author_email", "robot@example.org"),
            ("body", "Kjøp billege klokker på nett."),
            ("website", "https://spam.example"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 303, "answered as if it worked");
    assert_eq!(
        response.headers()["location"],
        h.page_path().as_str(),
        "back to the page"
    );
    assert_eq!(queued_to(&app, "robot@example.org").await, 0, "no email");
    let (status, stored) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{}/comments", h.id))
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        stored.as_array().map(Vec::len),
        Some(0),
        "nothing stored: {stored}"
    );

    // The sign-in form: a person Samråd knows gets no link from a filled honeypot…
    planner(&app, "planleggjar@testvik.example").await;
    let ask = |website: &'static str| {
        bot.post(app.url("/sign-in"))
            .form(&[
                ("email", "planleggjar@testvik.example"),
                ("municipality", "testvik"),
                ("website", website),
            ])
            .send()
    };
    assert_eq!(ask("x").await.expect("post").status(), 303);
    assert_eq!(queued_to(&app, "planleggjar@testvik.example").await, 0);
    // …and one when it is left empty, as people leave it.
    assert_eq!(ask("").await.expect("post").status(), 200);
    assert_eq!(queued_to(&app, "planleggjar@testvik.example").await, 1);
}

fn behind(proxies: &[&str]) -> server::SecuritySettings {
    server::SecuritySettings {
        trusted_proxies: server::parse_trusted_proxies(
            &proxies.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
        )
        .expect("valid proxies"),
        ..server::SecuritySettings::default()
    }
}

/// Asks for a sign-in link from `client`, claiming to forward for `forwarded_for`.
async fn ask_for_link(app: &TestApp, client: &Client, forwarded_for: &str) -> reqwest::Response {
    client
        .post(app.url("/sign-in"))
        .header("x-forwarded-for", forwarded_for)
        .form(&[("email", "ukjend@example.org"), ("municipality", "testvik")])
        .send()
        .await
        .expect("post")
}

#[tokio::test]
async fn forwarded_addresses_are_believed_only_from_trusted_proxies() {
    // Nobody is trusted: a client that names a new address each time still has one bucket.
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let client = client_from("127.0.0.51");
    let mut statuses = Vec::new();
    for n in 0..6 {
        let response = ask_for_link(&app, &client, &format!("198.51.100.{n}")).await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    drop(app);

    // Behind a trusted proxy every client has a bucket of its own…
    let app = spawn_app_secured(Backend::from_env(), behind(&["127.0.0.52/32"]))
        .await
        .expect("app");
    let proxy = client_from("127.0.0.52");
    for n in 0..8 {
        let response = ask_for_link(&app, &proxy, &format!("198.51.100.{n}")).await;
        assert_eq!(response.status(), 200, "client {n} has its own bucket");
    }
    // …so one client cannot block sign-in for everyone else,
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let response = ask_for_link(&app, &proxy, "203.0.113.7").await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    let response = ask_for_link(&app, &proxy, "203.0.113.8").await;
    assert_eq!(response.status(), 200, "another client behind the proxy");
    // …and a client the proxy forwards for cannot pick its address by sending its own
    // header (the proxy appends the address it saw).
    let mut statuses = Vec::new();
    for n in 0..6 {
        let response = ask_for_link(&app, &proxy, &format!("10.9.9.{n}, 203.0.113.9")).await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
    // A peer that is not the proxy is not believed either.
    let direct = client_from("127.0.0.53");
    let mut statuses = Vec::new();
    for n in 0..6 {
        let response = ask_for_link(&app, &direct, &format!("192.0.2.{n}")).await;
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses, [200, 200, 200, 200, 200, 429]);
}

#[tokio::test]
async fn the_limits_on_posting_without_an_account_use_the_address_a_trusted_proxy_names() {
    let mut security = behind(&["127.0.0.54"]);
    security.anonymous_comments_per_address = 1;
    let app = spawn_app_secured(Backend::from_env(), security)
        .await
        .expect("app");
    let h = app.open_hearing("helse").await;
    let proxy = client_from("127.0.0.54");
    let post = |from: &'static str, email: &'static str| {
        proxy
            .post(app.url(&h.comments_path()))
            .header("forwarded", format!("for={from};proto=https"))
            .json(&json!({
                "section_id": h.section(),
                "author_name": "Utan konto",
                "author_email": email,
                "body": "Eit innspel.",
            }))
            .send()
    };
    assert_eq!(
        post("198.51.100.1", "a@example.org")
            .await
            .expect("post")
            .status(),
        202
    );
    assert_eq!(
        post("198.51.100.2", "b@example.org")
            .await
            .expect("post")
            .status(),
        202
    );
    let refused = post("198.51.100.1", "c@example.org").await.expect("post");
    assert_eq!(refused.status(), 429);
    assert!(retry_after(&refused) >= 1);
}

#[tokio::test]
async fn hsts_is_sent_over_https_from_a_trusted_proxy_only() {
    let hsts = |r: &reqwest::Response| r.headers().get("strict-transport-security").cloned();
    let app = spawn_app_secured(Backend::from_env(), behind(&["127.0.0.55"]))
        .await
        .expect("app");
    let proxy = client_from("127.0.0.55");
    let over_https = proxy
        .get(app.url("/"))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .expect("get");
    let value = hsts(&over_https).expect("HSTS over https");
    assert!(
        value
            .to_str()
            .expect("text")
            .starts_with("max-age=31536000")
    );
    let over_http = proxy
        .get(app.url("/"))
        .header("x-forwarded-proto", "http")
        .send()
        .await
        .expect("get");
    assert_eq!(hsts(&over_http), None);
    // Anyone else saying "https" is not believed.
    let claimed = client_from("127.0.0.56")
        .get(app.url("/"))
        .header("x-forwarded-proto", "https")
        .header("forwarded", "proto=https")
        .send()
        .await
        .expect("get");
    assert_eq!(hsts(&claimed), None);
}

/// Checks the headers every answer has; whether it may be framed and whether it
/// must not be stored are the caller's to say.
fn assert_hardened(what: &str, response: &reqwest::Response, framed_by: &str, no_store: bool) {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().expect("text").to_owned())
    };
    let csp = header("content-security-policy").unwrap_or_else(|| panic!("{what}: no CSP"));
    for directive in [
        "default-src 'self'",
        "script-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        &format!("frame-ancestors {framed_by}"),
    ] {
        assert!(
            csp.contains(directive),
            "{what}: {directive} missing in {csp}"
        );
    }
    assert_eq!(
        header("x-content-type-options").as_deref(),
        Some("nosniff"),
        "{what}"
    );
    assert_eq!(
        header("referrer-policy").as_deref(),
        Some("same-origin"),
        "{what}"
    );
    if framed_by == "'none'" {
        assert_eq!(header("x-frame-options").as_deref(), Some("DENY"), "{what}");
    } else {
        assert_eq!(
            header("x-frame-options"),
            None,
            "{what}: framing is allowed"
        );
    }
    let cache = header("cache-control").unwrap_or_default();
    if no_store {
        assert!(
            cache.contains("no-store"),
            "{what}: Cache-Control {cache:?}"
        );
    } else {
        assert!(
            !cache.contains("no-store"),
            "{what}: Cache-Control {cache:?}"
        );
    }
}

#[tokio::test]
async fn every_kind_of_answer_has_the_security_headers() {
    let security = server::SecuritySettings {
        frame_ancestors: vec!["https://www.testvik.kommune.example".to_owned()],
        ..server::SecuritySettings::default()
    };
    let app = spawn_app_secured(Backend::from_env(), security)
        .await
        .expect("app");
    let h = app.open_hearing("helse").await;
    let embedder = "https://www.testvik.kommune.example";
    let reader = browser();
    let get = |client: &Client, path: String| {
        let request = client.get(app.url(&path));
        async move { request.send().await.expect("get") }
    };
    // Public pages and answers, to someone who has not signed in.
    let public: Vec<(String, &str, bool)> = vec![
        ("/".to_owned(), "'none'", false),
        (h.page_path(), embedder, false),
        ("/sign-in".to_owned(), "'none'", false),
        ("/no/such/page".to_owned(), "'none'", false),
        (h.comments_path(), "'none'", false),
        (format!("/api/v1/hearings/{}", h.id), "'none'", false),
        ("/api/v1/hearings/not-an-id".to_owned(), "'none'", false),
        ("/api/openapi.json".to_owned(), "'none'", false),
        ("/healthz".to_owned(), "'none'", false),
        ("/me".to_owned(), "'none'", true),
    ];
    for (path, framed_by, no_store) in public {
        let response = get(&reader, path.clone()).await;
        assert_hardened(&path, &response, framed_by, no_store);
    }
    let css = get(&reader, "/assets/samrad.css".to_owned()).await;
    assert_hardened("an asset", &css, "'none'", false);

    // Everything shown to someone signed in or with a token is kept by nobody.
    let citizen = app.citizen("innbyggjar@example.org", "Ola").await;
    for path in [
        "/me".to_owned(),
        h.page_path(),
        format!("/hearings/{}/response", h.id),
    ] {
        let response = get(&citizen, path.clone()).await;
        assert!(response.status().as_u16() < 500, "{path}");
        let framed_by = if path == h.page_path() {
            embedder
        } else {
            "'none'"
        };
        assert_hardened(&path, &response, framed_by, true);
    }
    let planner = app.planner("planleggjar@testvik.example").await;
    for path in [
        "/planner".to_owned(),
        format!("/planner/hearings/{}", h.id),
        format!("/planner/plans/{}", h.plan_id),
    ] {
        let response = get(&planner, path.clone()).await;
        assert_eq!(response.status(), 200, "{path}");
        assert_hardened(&path, &response, "'none'", true);
    }
    let admin = app.administrator("admin@testvik.example").await;
    let outbox = get(&admin, "/admin/outbox".to_owned()).await;
    assert_eq!(outbox.status(), 200);
    assert_hardened("/admin/outbox", &outbox, "'none'", true);
    let with_token = app
        .as_planner(Method::GET, &format!("/api/v1/hearings/{}/comments", h.id))
        .send()
        .await
        .expect("get");
    assert_hardened("the API with a token", &with_token, "'none'", true);
}

/// What a websocket client hears when it asks to follow `room`.
async fn subscribe_answer(app: &TestApp, room: &str, cookie: Option<&str>) -> Value {
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let mut request = app.ws_url().into_client_request().expect("request");
    if let Some(cookie) = cookie {
        request
            .headers_mut()
            .insert("cookie", cookie.parse().expect("header"));
    }
    let (mut ws, _) = tokio_tungstenite::connect_async(request)
        .await
        .expect("connects");
    tests::ws::send(&mut ws, json!({"type": "subscribe", "room": room})).await;
    tests::ws::next_json(&mut ws).await
}

#[tokio::test]
async fn a_plan_in_preparation_is_read_only_by_its_municipality_planners_and_groups() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let doc = app.draft_document("helse").await;
    let plan = doc.plan_id.clone();
    app.planner_expects(
        201,
        &format!("/api/v1/plans/{plan}/milestones"),
        json!({"title": "Oppstart", "due_on": "2027-01-15"}),
    )
    .await;
    let unknown = uuid::Uuid::new_v4().to_string();

    let citizen = app.citizen("innbyggjar@example.org", "Ola").await;
    let (status, _) = app
        .send(
            &citizen,
            Method::GET,
            &format!("/api/v1/plans/{plan}"),
            None,
        )
        .await;
    assert_eq!(status, 404, "a signed-in citizen");
    let room = format!("plan:{plan}");
    let hidden = subscribe_answer(&app, &room, Some(&citizen.cookie)).await;
    let missing = subscribe_answer(&app, &format!("plan:{unknown}"), Some(&citizen.cookie)).await;
    assert_eq!(hidden["type"], "error", "{hidden}");
    assert_eq!(hidden["code"], missing["code"], "{hidden} / {missing}");
    assert_eq!(hidden["message"], missing["message"]);

    // Its municipality's staff and its planners read it and follow it.
    let (status, body) = app
        .get_json_as_planner(&format!("/api/v1/plans/{plan}"))
        .await;
    assert_eq!(status, 200, "{body}");
    let planner = app.planner("planleggjar@testvik.example").await;
    let (status, _) = app
        .send(
            &planner,
            Method::GET,
            &format!("/api/v1/plans/{plan}/milestones"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let answer = subscribe_answer(&app, &room, Some(&planner.cookie)).await;
    assert_eq!(answer["type"], "subscribed", "{answer}");
    // So do the members of its groups.
    let group = app
        .db
        .create_group(
            plan.parse().expect("plan id"),
            domain::group::GroupKind::ElderCouncil,
            "Eldrerådet",
        )
        .await
        .expect("group");
    let member = app
        .member(group.id, "medlem@example.org", "Eldrerådet")
        .await;
    let (status, _) = app
        .send(&member, Method::GET, &format!("/api/v1/plans/{plan}"), None)
        .await;
    assert_eq!(status, 200, "a member of its group");

    // Another municipality's token, and anyone without one, find nothing — exactly as
    // for a plan that does not exist. (Signed in above: with two municipalities the
    // sign-in form asks which.)
    let other = app
        .db
        .create_municipality("andvik", "Andvik kommune")
        .await
        .expect("municipality");
    app.db
        .create_api_token(other.id, "andvik", "token-of-andvik")
        .await
        .expect("token");
    let andvik = reqwest::Client::builder()
        .default_headers(
            [(
                reqwest::header::AUTHORIZATION,
                "Bearer token-of-andvik".parse().expect("header"),
            )]
            .into_iter()
            .collect(),
        )
        .build()
        .expect("client");
    for path in ["/api/v1/plans/{}", "/api/v1/plans/{}/milestones"] {
        let hidden = path.replace("{}", &plan);
        let missing = path.replace("{}", &unknown);
        for client in [&app.http, &andvik] {
            let (status, body) = app.send(client, Method::GET, &hidden, None).await;
            let (missing_status, missing_body) =
                app.send(client, Method::GET, &missing, None).await;
            assert_eq!(status, 404, "{hidden}: {body}");
            assert_eq!((status, &body), (missing_status, &missing_body), "{hidden}");
        }
    }
    // Once it publishes a hearing, it is public.
    app.open_hearing_on(&doc.version_id, json!({})).await;
    let (status, body) = app.get_json(&format!("/api/v1/plans/{plan}")).await;
    assert_eq!(status, 200, "{body}");
    let (status, _) = app
        .get_json(&format!("/api/v1/plans/{plan}/milestones"))
        .await;
    assert_eq!(status, 200);
    let answer = subscribe_answer(&app, &room, None).await;
    assert_eq!(answer["type"], "subscribed", "{answer}");
}

#[tokio::test]
async fn a_comment_idempotency_key_returns_only_its_authors_comment_on_its_hearing() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let elsewhere = app.open_hearing("skule").await;
    let kari = app.citizen("kari@example.org", "Kari").await;
    let ola = app.citizen("ola@example.org", "Ola").await;
    let key = uuid::Uuid::new_v4().to_string();
    let post = |client: &Client, h: &OpenHearing, body: &str, email: Option<&str>| {
        let mut json = json!({"section_id": h.section(), "body": body});
        if let Some(email) = email {
            json["author_name"] = json!("Utan konto");
            json["author_email"] = json!(email);
        }
        client
            .post(app.url(&h.comments_path()))
            .header("idempotency-key", key.as_str())
            .json(&json)
            .send()
    };
    let first = post(&kari, &h, "Kari sitt private innspel.", None)
        .await
        .expect("post");
    assert_eq!(first.status(), 201);
    let first: Value = first.json().await.expect("JSON");

    // Kari's retry gets her comment back, once.
    let retry = post(&kari, &h, "Kari sitt private innspel.", None)
        .await
        .expect("post");
    assert_eq!(retry.status(), 200);
    let retry: Value = retry.json().await.expect("JSON");
    assert_eq!(retry["id"], first["id"]);

    // Anyone else with her key, or she on another hearing, gets a refusal, not her comment.
    for (who, response) in [
        ("another person", post(&ola, &h, "Noko anna.", None).await),
        (
            "someone without an account",
            post(&app.http, &h, "Noko anna.", Some("ola@example.org")).await,
        ),
        (
            "another hearing",
            post(&kari, &elsewhere, "Noko anna.", None).await,
        ),
    ] {
        let response = response.expect("post");
        assert_eq!(response.status(), 409, "{who}");
        let text = response.text().await.expect("body");
        assert!(text.contains("idempotency_key_reused"), "{who}: {text}");
        assert!(!text.contains("private innspel"), "{who}: {text}");
        assert!(
            !text.contains(first["id"].as_str().expect("id")),
            "{who}: {text}"
        );
    }
    assert_eq!(app.comments(&h).await.len(), 1, "nothing more stored");
}

#[tokio::test]
async fn a_database_failure_is_a_503_not_a_missing_or_forbidden_hearing() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let planner = app.planner("planleggjar@testvik.example").await;
    let citizen = app.citizen("innbyggjar@example.org", "Ola").await;
    let workbench = format!("/planner/hearings/{}", h.id);
    let response_form = format!("/hearings/{}/response", h.id);
    assert_eq!(app.page_status(&planner, &workbench).await.0, 200);
    assert_eq!(app.page_status(&citizen, &response_form).await.0, 200);
    let room = format!("hearing:{}", h.id);
    assert_eq!(
        subscribe_answer(&app, &room, None).await["type"],
        "subscribed"
    );

    // The hearings can no longer be read (as when the database fails mid-query).
    app.db
        .execute_unprepared("ALTER TABLE hearing RENAME TO hearing_unreadable")
        .await
        .expect("renamed");
    assert_eq!(app.page_status(&planner, &workbench).await.0, 503);
    assert_eq!(app.page_status(&citizen, &response_form).await.0, 503);
    let answer = subscribe_answer(&app, &room, None).await;
    assert_eq!(answer["type"], "error", "{answer}");
    assert_eq!(answer["code"], "unavailable", "not forbidden: {answer}");
}
