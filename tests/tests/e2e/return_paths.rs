//! Returning where one came from: signing in from a hearing, or confirming input
//! given there, leads back to the hearing. The path travels through the form, the
//! emailed link and the confirmation page, and only a path on this site is followed.

use serde_json::json;
use tests::{Backend, TestApp, browser, spawn_app};

/// The page's HTML with the entities the templates write in attributes undone.
fn unescaped(html: &str) -> String {
    html.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The first link in an email to `to` that contains `marker`, up to the next space.
async fn emailed_link(app: &TestApp, to: &str, marker: &str) -> String {
    let mail = app.mail_to(to, marker).await;
    let text = mail.text();
    let start = text.find(marker).expect("the link");
    let from = text[..start].rfind("http").expect("an absolute link");
    text[from..]
        .split_whitespace()
        .next()
        .expect("link")
        .to_owned()
}

/// The path and query of an absolute link to the app.
fn local(app: &TestApp, link: &str) -> String {
    link.strip_prefix(&app.url(""))
        .map(|rest| format!("/{}", rest.trim_start_matches('/')))
        .unwrap_or_else(|| panic!("{link} is not a link to the app"))
}

/// The value of the hidden `next` field of a page, if it has one.
fn hidden_next(html: &str) -> Option<String> {
    let html = unescaped(html);
    let at = html.find("name=\"next\" value=\"")? + "name=\"next\" value=\"".len();
    Some(html[at..].split('"').next()?.to_owned())
}

/// `next=…`, encoded for a query.
fn next_query(next: &str) -> String {
    let mut url = reqwest::Url::parse("http://localhost/").expect("url");
    url.query_pairs_mut().append_pair("next", next);
    url.query().expect("a query").to_owned()
}

async fn token_of(link: &str) -> String {
    tests::fixtures::token_after(link, "token=").expect("a token")
}

#[tokio::test]
async fn signing_in_from_a_hearing_returns_to_it_through_the_emailed_link() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let hearing = app.open_hearing("retur").await;
    app.db
        .ensure_person("kari@example.org", "Kari Nordmann", domain::Lang::Nn)
        .await
        .expect("person");
    let client = browser();
    let page = unescaped(&app.page(&client, &hearing.page_path()).await);
    let expected = format!("href=\"/sign-in?next=/hearings/{}\"", hearing.id);
    assert!(
        page.contains(&expected),
        "the sign-in link carries the hearing: {page}"
    );

    let form = app
        .page(
            &client,
            &format!("/sign-in?next=%2Fhearings%2F{}", hearing.id),
        )
        .await;
    assert_eq!(hidden_next(&form), Some(hearing.page_path()));
    let sent = client
        .post(app.url("/sign-in"))
        .form(&[
            ("email", "kari@example.org"),
            ("municipality", ""),
            ("next", hearing.page_path().as_str()),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(sent.status(), 200);
    let link = emailed_link(&app, "kari@example.org", "/sign-in/confirm?token=").await;
    assert!(
        link.ends_with(&format!("&next=%2Fhearings%2F{}", hearing.id)),
        "{link}"
    );
    let confirm = app.page(&client, &local(&app, &link)).await;
    assert_eq!(hidden_next(&confirm), Some(hearing.page_path()));
    let token = token_of(&link).await;
    let signed_in = client
        .post(app.url("/sign-in/confirm"))
        .form(&[("token", token.as_str()), ("next", &hearing.page_path())])
        .send()
        .await
        .expect("post");
    assert_eq!(signed_in.status(), 303);
    assert_eq!(
        signed_in.headers()["location"],
        hearing.page_path().as_str()
    );
    let back = app.page(&client, &hearing.page_path()).await;
    assert!(back.contains("Kari Nordmann"), "signed in on the hearing");
    app.stop().await.expect("stops");
}

/// Paths that would lead a browser to another site.
const ELSEWHERE: [&str; 4] = [
    "//evil.example/hearings",
    "https://evil.example/",
    "/\\evil.example",
    "/\t/evil.example",
];

#[tokio::test]
async fn a_return_path_to_another_site_is_never_followed() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    for (i, next) in ELSEWHERE.iter().enumerate() {
        let email = format!("person{i}@example.org");
        app.db
            .ensure_person(&email, "Ola Nordmann", domain::Lang::Nn)
            .await
            .expect("person");
        let client = browser();
        let encoded = next_query(next);
        let form = app.page(&client, &format!("/sign-in?{encoded}")).await;
        assert_eq!(hidden_next(&form), None, "{next:?} kept in the form");
        let sent = client
            .post(app.url("/sign-in"))
            .form(&[
                ("email", email.as_str()),
                ("municipality", ""),
                ("next", next),
            ])
            .send()
            .await
            .expect("post");
        assert_eq!(sent.status(), 200);
        let link = emailed_link(&app, &email, "/sign-in/confirm?token=").await;
        assert!(!link.contains("next="), "{next:?} in the link {link}");
        let token = token_of(&link).await;
        let confirm = app
            .page(
                &client,
                &format!("/sign-in/confirm?token={token}&{encoded}"),
            )
            .await;
        assert_eq!(
            hidden_next(&confirm),
            None,
            "{next:?} on the confirmation page"
        );
        // Even sent straight to the confirmation, it is not followed.
        let signed_in = client
            .post(app.url("/sign-in/confirm"))
            .form(&[("token", token.as_str()), ("next", next)])
            .send()
            .await
            .expect("post");
        assert_eq!(signed_in.status(), 303);
        assert_eq!(signed_in.headers()["location"], "/me", "{next:?}");
    }
    // The language switch follows the same rule.
    for next in ELSEWHERE {
        let encoded = next_query(next);
        let switched = browser()
            .get(app.url(&format!("/lang/en?{encoded}")))
            .send()
            .await
            .expect("get");
        assert_eq!(switched.status(), 303);
        assert_eq!(switched.headers()["location"], "/", "{next:?}");
    }
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn confirming_input_returns_to_the_hearing_it_was_given_to() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let hearing = app.open_hearing("stadfest").await;
    for (email, body) in [
        ("anna@example.org", "Vi treng fleire benker langs fjorden."),
        ("per@example.org", "Bussen må gå oftare om kvelden."),
    ] {
        let (status, stored) = app
            .send(
                &browser(),
                reqwest::Method::POST,
                &hearing.comments_path(),
                Some(json!({
                    "section_id": hearing.section(),
                    "author_name": "Ein innbyggjar",
                    "author_email": email,
                    "body": body,
                })),
            )
            .await;
        assert_eq!(status, 202, "{stored}");
    }

    let link = emailed_link(&app, "anna@example.org", "/inputs/confirm?token=").await;
    assert!(
        link.ends_with(&format!("&next=/hearings/{}", hearing.id)),
        "{link}"
    );
    let author = browser();
    let page = app.page(&author, &local(&app, &link)).await;
    assert_eq!(hidden_next(&page), Some(hearing.page_path()));
    let token = token_of(&link).await;
    let confirmed = author
        .post(app.url("/inputs/confirm"))
        .form(&[("token", token.as_str()), ("next", &hearing.page_path())])
        .send()
        .await
        .expect("post");
    assert_eq!(confirmed.status(), 303);
    let location = confirmed.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(location, format!("/hearings/{}?done=confirmed", hearing.id));
    let back = app.page(&author, &location).await;
    assert!(
        back.contains("innspelet ditt er lagt fram i høyringa"),
        "thanked on the hearing: {back}"
    );
    assert!(back.contains("Vi treng fleire benker langs fjorden."));

    // A path elsewhere in the confirmation is not followed: the person's own page.
    let link = emailed_link(&app, "per@example.org", "/inputs/confirm?token=").await;
    let token = token_of(&link).await;
    let confirmed = browser()
        .post(app.url("/inputs/confirm"))
        .form(&[("token", token.as_str()), ("next", "//evil.example/")])
        .send()
        .await
        .expect("post");
    assert_eq!(confirmed.status(), 303);
    assert_eq!(confirmed.headers()["location"], "/me?confirmed=1");
    app.stop().await.expect("stops");
}
