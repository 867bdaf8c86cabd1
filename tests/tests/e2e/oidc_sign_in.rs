//! Sign-in with the municipality's identity provider, against a real OpenID Connect
//! provider (the npm package `oidc-provider`, started by the test on a free port):
//! the whole authorization code flow with PKCE, and the refusals – a forged `state`,
//! a wrong `nonce`, an expired ID token, one signed by a key the provider never
//! published, an address the provider does not vouch for, and a staff provider for
//! someone who is not staff.
//!
//! #[ignore]d in the README's command (it needs Node.js and `npm ci` in
//! `tests/oidc/`); `.ci/run` installs those and runs them with `--ignored oidc_provider`.

use reqwest::StatusCode;
use secrecy::SecretString;
use server::app::{SignInAudience, SignInProvider};
use std::io::{BufRead, BufReader};
use std::process::Stdio;
use tests::{Backend, TestApp, browser, planner, spawn_app_with_providers};

const SECRET: &str = "client-secret-of-the-tests";

struct IdentityProvider {
    issuer: String,
    child: std::process::Child,
}

impl Drop for IdentityProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl IdentityProvider {
    async fn start(redirect_uri: &str) -> IdentityProvider {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("oidc");
        assert!(
            dir.join("node_modules/oidc-provider").is_dir(),
            "run `npm ci` in {} first (.ci/run does)",
            dir.display()
        );
        let mut child = std::process::Command::new("node")
            .arg("provider.mjs")
            .current_dir(&dir)
            .env("REDIRECT_URI", redirect_uri)
            .env("CLIENT_ID", "samrad")
            .env("CLIENT_SECRET", SECRET)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node starts the provider");
        let stdout = child.stdout.take().expect("stdout");
        let line = tokio::task::spawn_blocking(move || {
            let mut line = String::new();
            BufReader::new(stdout).read_line(&mut line).map(|_| line)
        })
        .await
        .expect("join")
        .expect("the provider prints its issuer");
        let printed: serde_json::Value = serde_json::from_str(&line).expect("json");
        IdentityProvider {
            issuer: printed["issuer"].as_str().expect("issuer").to_owned(),
            child,
        }
    }

    async fn tamper(&self, mode: &str) {
        let answer = reqwest::Client::new()
            .post(format!("{}/__tamper?mode={mode}", self.issuer))
            .send()
            .await
            .expect("tamper");
        assert_eq!(answer.text().await.expect("text"), mode);
    }

    fn settings(&self, id: &str, audience: SignInAudience) -> SignInProvider {
        SignInProvider {
            id: id.to_owned(),
            municipality: "testvik".to_owned(),
            label: format!("Testvik ({id})"),
            audience,
            issuer: self.issuer.clone(),
            client_id: "samrad".to_owned(),
            client_secret: SecretString::from(SECRET),
            trust_email: false,
        }
    }
}

/// The app and the provider, each told the other's address.
async fn world() -> (TestApp, IdentityProvider) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let address = listener.local_addr().expect("address");
    let provider =
        IdentityProvider::start(&format!("http://{address}/sign-in/oidc/callback")).await;
    let providers = vec![
        provider.settings("staff", SignInAudience::Staff),
        provider.settings("everyone", SignInAudience::Everyone),
    ];
    let app = spawn_app_with_providers(Backend::from_env(), listener, providers)
        .await
        .expect("app");
    (app, provider)
}

fn location(response: &reqwest::Response) -> String {
    let to = response
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a redirect names where")
        .to_owned();
    let base = response.url().clone();
    base.join(&to).expect("url").to_string()
}

fn form_action(page: &str) -> &str {
    page.split("action=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a form with an action")
}

/// Walks the provider's pages as the person `login` until the provider sends the
/// browser back to Samråd; returns that callback address, not yet opened.
async fn through_provider(
    app: &TestApp,
    client: &reqwest::Client,
    start: &str,
    login: &str,
) -> String {
    let mut response = client.get(app.url(start)).send().await.expect("start");
    for _ in 0..20 {
        if response.status().is_redirection() {
            let to = location(&response);
            if to.starts_with(&app.url("/sign-in/oidc/callback")) {
                return to;
            }
            response = client.get(&to).send().await.expect("follow");
            continue;
        }
        assert_eq!(response.status(), StatusCode::OK, "{}", response.url());
        let url = response.url().clone();
        let page = response.text().await.expect("page");
        let action = url.join(form_action(&page)).expect("action");
        let form: Vec<(&str, &str)> = if page.contains("value=\"login\"") {
            vec![("prompt", "login"), ("login", login), ("password", "any")]
        } else {
            assert!(page.contains("value=\"consent\""), "{page}");
            vec![("prompt", "consent")]
        };
        response = client
            .post(action)
            .form(&form)
            .send()
            .await
            .expect("submit");
    }
    panic!("the provider never sent the browser back");
}

async fn signed_in_as(app: &TestApp, client: &reqwest::Client) -> Option<String> {
    let me = client.get(app.url("/me")).send().await.expect("me");
    if me.status() != StatusCode::OK {
        return None;
    }
    Some(me.text().await.expect("page"))
}

async fn refused(app: &TestApp, client: &reqwest::Client, callback: &str, says: &str) {
    let answer = client.get(callback).send().await.expect("callback");
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert!(answer.headers().get_all("set-cookie").iter().all(|c| {
        !c.to_str()
            .unwrap_or("")
            .starts_with("__Host-samrad_session=")
    }));
    let page = answer.text().await.expect("page");
    assert!(page.contains(says), "{page}");
    assert_eq!(signed_in_as(app, client).await, None, "nobody is signed in");
}

#[tokio::test]
#[ignore = "needs Node.js and npm ci in tests/oidc (run by .ci/run)"]
async fn oidc_provider_signs_in_staff_with_pkce_and_refuses_forged_or_bad_tokens() {
    let (app, provider) = world().await;
    planner(&app, "kari@testvik.example").await;

    // The sign-in page offers the municipality's providers.
    let page = browser()
        .get(app.url("/sign-in"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("text")
        .replace("&#x2f;", "/");
    assert!(page.contains("href=\"/sign-in/oidc/staff\""), "{page}");
    assert!(page.contains("Logg inn med Testvik (staff)"), "{page}");

    // The whole flow: PKCE and nonce go out, the code comes back, the ID token is
    // checked, and the staff member lands in the workbench.
    let client = browser();
    let start = client
        .get(app.url("/sign-in/oidc/staff"))
        .send()
        .await
        .expect("start");
    let to_provider = location(&start);
    assert!(to_provider.starts_with(&provider.issuer), "{to_provider}");
    for part in [
        "code_challenge_method=S256",
        "code_challenge=",
        "nonce=",
        "state=",
    ] {
        assert!(to_provider.contains(part), "{part} in {to_provider}");
    }
    let callback =
        through_provider(&app, &client, "/sign-in/oidc/staff", "kari@testvik.example").await;
    let answer = client.get(&callback).send().await.expect("callback");
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&answer), app.url("/planner"));
    let planner_page = client
        .get(app.url("/planner"))
        .send()
        .await
        .expect("planner");
    assert_eq!(planner_page.status(), StatusCode::OK, "signed in as staff");
    // The same callback again (a replay) finds nothing under way.
    let replay = client.get(&callback).send().await.expect("replay");
    assert_eq!(replay.status(), StatusCode::FORBIDDEN);

    // A forged state: the callback carries a state this browser was never given.
    let client = browser();
    let callback =
        through_provider(&app, &client, "/sign-in/oidc/staff", "kari@testvik.example").await;
    let mut forged = reqwest::Url::parse(&callback).expect("url");
    let pairs: Vec<(String, String)> = forged
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == "state" {
                "forged-state".into()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    forged.query_pairs_mut().clear().extend_pairs(pairs);
    refused(&app, &client, forged.as_str(), "Innlogginga gjekk ikkje").await;

    // ID tokens the provider's token endpoint hands out changed on the way.
    for mode in ["wrong_nonce", "expired", "foreign_key"] {
        provider.tamper(mode).await;
        let client = browser();
        let callback =
            through_provider(&app, &client, "/sign-in/oidc/staff", "kari@testvik.example").await;
        refused(
            &app,
            &client,
            &callback,
            "Vi kunne ikkje stadfeste innlogginga",
        )
        .await;
    }
    provider.tamper("none").await;

    // Someone the provider knows but who is not staff here gets no session.
    let client = browser();
    let callback =
        through_provider(&app, &client, "/sign-in/oidc/staff", "ola@testvik.example").await;
    refused(&app, &client, &callback, "ikkje registrert som tilsett").await;
    assert!(
        app.db
            .person_by_email("ola@testvik.example")
            .await
            .expect("db")
            .is_none(),
        "a staff provider never creates people"
    );
}

#[tokio::test]
#[ignore = "needs Node.js and npm ci in tests/oidc (run by .ci/run)"]
async fn oidc_provider_for_everyone_creates_the_person_once_and_needs_a_verified_address() {
    let (app, _provider) = world().await;
    let client = browser();
    let callback = through_provider(
        &app,
        &client,
        "/sign-in/oidc/everyone?next=/hearings",
        "siri@example.org",
    )
    .await;
    let answer = client.get(&callback).send().await.expect("callback");
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        location(&answer),
        app.url("/hearings"),
        "back where they started"
    );
    let me = signed_in_as(&app, &client).await.expect("signed in");
    assert!(me.contains("siri@example.org"), "{me}");
    let person = app
        .db
        .person_by_email("siri@example.org")
        .await
        .expect("db")
        .expect("created at the first sign-in");

    // Again: the same person (linked by the provider's subject), not a second one.
    let client = browser();
    let callback =
        through_provider(&app, &client, "/sign-in/oidc/everyone", "siri@example.org").await;
    let answer = client.get(&callback).send().await.expect("callback");
    assert_eq!(location(&answer), app.url("/me"));
    let again = app
        .db
        .person_by_email("siri@example.org")
        .await
        .expect("db")
        .expect("person");
    assert_eq!(again.id, person.id);

    // An address the provider does not vouch for does not make an account.
    let client = browser();
    let callback = through_provider(
        &app,
        &client,
        "/sign-in/oidc/everyone",
        "unverified+per@example.org",
    )
    .await;
    refused(&app, &client, &callback, "inga stadfesta e-postadresse").await;
}
