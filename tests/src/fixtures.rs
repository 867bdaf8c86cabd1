//! Fixtures the end-to-end tests share: an open hearing on a document, a signed-in
//! client of each role, and requests whose answer is checked on the way.
//!
//! Everything goes through the real server as a browser or an API client would;
//! `app.db` is used only to set up what has no HTTP interface of its own (staff
//! roles, group membership) or to look at what must not have happened.

use crate::smtp_sink::ReceivedMail;
use crate::ws::{Ws, next_json};
use crate::{TestApp, browser};
use futures_util::SinkExt;
use reqwest::{Client, Method};
use serde_json::{Value, json};
use std::time::Duration;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

/// How long anything the server does in the background (an email, an event) may
/// take; reached only when something is broken.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// A plan with the two-section document of [`TestApp::draft_document`] ("1
/// Innleiing" and "3.1 Roller og ansvar") and an open hearing on it.
#[derive(Debug, Clone)]
pub struct OpenHearing {
    pub id: String,
    pub plan_id: String,
    pub document_id: String,
    pub version_id: String,
    pub section_ids: Vec<String>,
}

impl OpenHearing {
    /// The first section, "1 Innleiing".
    pub fn section(&self) -> &str {
        &self.section_ids[0]
    }

    pub fn hearing_id(&self) -> domain::HearingId {
        domain::HearingId(self.id.parse().expect("hearing id"))
    }

    pub fn plan(&self) -> domain::PlanId {
        domain::PlanId(self.plan_id.parse().expect("plan id"))
    }

    /// The websocket room of the document: comments and presence.
    pub fn document_room(&self) -> String {
        format!("document:{}", self.document_id)
    }

    /// The API path of the hearing's comments.
    pub fn comments_path(&self) -> String {
        format!("/api/v1/hearings/{}/comments", self.id)
    }

    /// The public page of the hearing.
    pub fn page_path(&self) -> String {
        format!("/hearings/{}", self.id)
    }
}

/// A browser signed in by an emailed link: it keeps its cookies and does not follow
/// redirects. Derefs to its [`Client`].
pub struct SignedIn {
    pub client: Client,
    /// The session cookie as `name=value`, for a websocket handshake.
    pub cookie: String,
    pub person: domain::person::Person,
}

impl std::ops::Deref for SignedIn {
    type Target = Client;

    fn deref(&self) -> &Client {
        &self.client
    }
}

/// `name=value` of the cookie a response sets.
pub fn set_cookie(response: &reqwest::Response) -> String {
    response.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .split(';')
        .next()
        .expect("a name=value pair")
        .to_owned()
}

/// The token of a link in an email: what follows `marker` (such as `token=` or
/// `/inputs/confirm?token=`) up to the end of the token.
pub fn token_after(text: &str, marker: &str) -> Option<String> {
    let start = text.find(marker)? + marker.len();
    Some(
        text[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect(),
    )
}

impl TestApp {
    // ----------------------------------------------------------------- hearings

    /// [`TestApp::draft_document`] under `slug` with an open public hearing on it,
    /// "Høyring av planprogrammet", six weeks from today.
    pub async fn open_hearing(&self, slug: &str) -> OpenHearing {
        self.open_hearing_with(slug, json!({})).await
    }

    /// Like [`TestApp::open_hearing`], with more or other fields for the new hearing,
    /// such as `{"audience": "invited", "title": "…"}`.
    pub async fn open_hearing_with(&self, slug: &str, fields: Value) -> OpenHearing {
        let doc = self.draft_document(slug).await;
        let id = self.open_hearing_on(&doc.version_id, fields).await;
        OpenHearing {
            id,
            plan_id: doc.plan_id,
            document_id: doc.document_id,
            version_id: doc.version_id,
            section_ids: doc.section_ids,
        }
    }

    /// Creates a hearing on a document version and opens it; its id.
    pub async fn open_hearing_on(&self, version_id: &str, fields: Value) -> String {
        let mut body = json!({
            "document_version_id": version_id,
            "title": "Høyring av planprogrammet",
            "weeks": 6,
        });
        for (key, value) in fields.as_object().expect("fields are an object") {
            body[key] = value.clone();
        }
        let hearing = self.planner_expects(201, "/api/v1/hearings", body).await;
        let id = hearing["id"].as_str().expect("hearing id").to_owned();
        let opened = self
            .planner_expects(200, &format!("/api/v1/hearings/{id}/open"), json!({}))
            .await;
        assert_eq!(opened["state"], "open", "{opened}");
        id
    }

    /// Posts a comment with the planner's token, which publishes it at once (the
    /// public confirm their address first); the stored comment.
    pub async fn comment_as_planner(&self, h: &OpenHearing, author: &str, body: &str) -> Value {
        self.planner_expects(
            201,
            &h.comments_path(),
            json!({"section_id": h.section(), "author_name": author, "body": body}),
        )
        .await
    }

    /// The hearing's comments as the public sees them.
    pub async fn comments(&self, h: &OpenHearing) -> Vec<Value> {
        let (status, comments) = self.get_json(&h.comments_path()).await;
        assert_eq!(status, 200, "{comments}");
        comments.as_array().expect("a list").clone()
    }

    /// One comment as the public sees it in the hearing's list.
    pub async fn listed_comment(&self, h: &OpenHearing, id: &str) -> Value {
        self.comments(h)
            .await
            .into_iter()
            .find(|c| c["id"] == id)
            .unwrap_or_else(|| panic!("comment {id} is not listed"))
    }

    // ------------------------------------------------------------------- people

    /// Someone who is not signed in: a browser without a session.
    pub fn public(&self) -> Client {
        browser()
    }

    /// A person Samråd knows (a confirmed address) without any role, signed in.
    pub async fn citizen(&self, email: &str, name: &str) -> SignedIn {
        self.db
            .ensure_person(email, name, domain::Lang::Nn)
            .await
            .expect("person");
        self.sign_in(email).await
    }

    /// A member of `group`, signed in.
    pub async fn member(&self, group: domain::GroupId, email: &str, name: &str) -> SignedIn {
        self.group_role(group, email, name, domain::group::MemberRole::Member, None)
            .await
    }

    /// A representative of `organisation` in `group`, signed in: they may answer for
    /// the organisation.
    pub async fn representative(
        &self,
        group: domain::GroupId,
        organisation: domain::OrganisationId,
        email: &str,
        name: &str,
    ) -> SignedIn {
        self.group_role(
            group,
            email,
            name,
            domain::group::MemberRole::OrganisationRepresentative,
            Some(organisation),
        )
        .await
    }

    async fn group_role(
        &self,
        group: domain::GroupId,
        email: &str,
        name: &str,
        role: domain::group::MemberRole,
        organisation: Option<domain::OrganisationId>,
    ) -> SignedIn {
        let person = self
            .db
            .ensure_person(email, name, domain::Lang::Nn)
            .await
            .expect("person");
        self.db
            .add_member(group, person.id, role, organisation)
            .await
            .expect("member");
        self.sign_in(email).await
    }

    /// A planner of the test municipality and of every plan it has so far, signed in.
    pub async fn planner(&self, email: &str) -> SignedIn {
        crate::planner(self, email).await;
        self.sign_in(email).await
    }

    /// An administrator of the test municipality, signed in.
    pub async fn administrator(&self, email: &str) -> SignedIn {
        let person = self
            .db
            .ensure_person(email, "Ada Administrator", domain::Lang::Nn)
            .await
            .expect("person");
        self.db
            .set_staff_role(
                person.id,
                self.municipality().await.id,
                domain::person::StaffRole::Administrator,
            )
            .await
            .expect("role");
        self.sign_in(email).await
    }

    /// Signs in a person Samråd knows, by the emailed link, as a browser does.
    pub async fn sign_in(&self, email: &str) -> SignedIn {
        let client = browser();
        let token = crate::request_link(self, &client, email).await;
        let confirmed = client
            .post(self.url("/sign-in/confirm"))
            .form(&[("token", token.as_str())])
            .send()
            .await
            .expect("confirm");
        assert_eq!(confirmed.status(), 303, "signed in");
        let cookie = set_cookie(&confirmed);
        let person = self
            .db
            .person_by_email(email)
            .await
            .expect("db")
            .expect("the person signed in");
        SignedIn {
            client,
            cookie,
            person,
        }
    }

    /// Signs in by a link asked for in the municipality `slug` (the sign-in form's
    /// choice when there are several); the browser and where it was sent.
    pub async fn sign_in_to(&self, slug: &str, email: &str) -> (Client, String) {
        let client = browser();
        let token = crate::request_link_in(self, &client, email, Some(slug)).await;
        let confirmed = client
            .post(self.url("/sign-in/confirm"))
            .form(&[("token", token.as_str())])
            .send()
            .await
            .expect("confirm");
        assert_eq!(confirmed.status(), 303, "signed in");
        let landing = confirmed.headers()["location"]
            .to_str()
            .expect("ascii")
            .to_owned();
        (client, landing)
    }

    /// The test municipality.
    pub async fn municipality(&self) -> domain::plan::Municipality {
        self.db
            .municipality_by_slug(&self.municipality_slug)
            .await
            .expect("db")
            .expect("the test municipality")
    }

    // ----------------------------------------------------------------- requests

    /// Sends `body` (if any) as JSON with `client`: the status and the JSON answer
    /// (`null` when there is none).
    pub async fn send(
        &self,
        client: &Client,
        method: Method,
        path: &str,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut request = client.request(method, self.url(path));
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.expect("request sent");
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    /// POSTs JSON as the planner (the API token) and checks the status; the answer.
    pub async fn planner_expects(&self, status: u16, path: &str, body: Value) -> Value {
        let (got, answer) = self.post_as_planner(path, body).await;
        assert_eq!(got, status, "POST {path}: {answer}");
        answer
    }

    /// A page as `client` sees it, which must be there (200).
    pub async fn page(&self, client: &Client, path: &str) -> String {
        let (status, html) = self.page_status(client, path).await;
        assert_eq!(status, 200, "GET {path}: {html}");
        html
    }

    /// A page as `client` sees it, with its status.
    pub async fn page_status(&self, client: &Client, path: &str) -> (u16, String) {
        let response = client.get(self.url(path)).send().await.expect("get");
        let status = response.status().as_u16();
        (status, response.text().await.expect("html"))
    }

    // --------------------------------------------------------------- websockets

    /// A websocket subscribed to `room`, with a session cookie when given, resuming
    /// after `since` when given.
    pub async fn subscribed(&self, room: &str, cookie: Option<&str>, since: Option<i64>) -> Ws {
        let mut request = self.ws_url().into_client_request().expect("request");
        if let Some(cookie) = cookie {
            request
                .headers_mut()
                .insert("cookie", cookie.parse().expect("header"));
        }
        let (mut ws, _) = tokio_tungstenite::connect_async(request)
            .await
            .expect("the websocket connects");
        let mut subscribe = json!({"type": "subscribe", "room": room});
        if let Some(since) = since {
            subscribe["since"] = json!(since);
        }
        ws.send(Message::text(subscribe.to_string()))
            .await
            .expect("subscribe sent");
        let answer = next_json(&mut ws).await;
        assert_eq!(answer["type"], "subscribed", "{answer}");
        ws
    }

    // ------------------------------------------------------------------- emails

    /// The first email to `to` whose text contains `text`, waiting for it.
    pub async fn mail_to(&self, to: &str, text: &str) -> ReceivedMail {
        self.smtp
            .wait_until(PATIENCE, |mails| {
                mails
                    .iter()
                    .find(|m| m.to == [to] && m.text().contains(text))
                    .cloned()
            })
            .await
            .unwrap_or_else(|e| panic!("no email to {to} with {text:?}: {e}"))
    }

    /// The token of the link after `marker` in the `nth` (from 1) email to `to` that
    /// has one, waiting for it.
    pub async fn link_token(&self, to: &str, marker: &str, nth: usize) -> String {
        self.smtp
            .wait_until(PATIENCE, |mails| {
                mails
                    .iter()
                    .filter(|m| m.to == [to])
                    .filter_map(|m| token_after(&m.text(), marker))
                    .nth(nth - 1)
            })
            .await
            .unwrap_or_else(|e| panic!("no email number {nth} to {to} with {marker:?}: {e}"))
    }

    /// The kinds of the emails in the outbox, oldest first. Every email goes through
    /// the outbox, written in the transaction of the change that causes it, so what
    /// is not here was not and will not be sent.
    pub async fn queued_email_kinds(&self) -> Vec<&'static str> {
        let mut jobs = self.db.recent_emails(1000).await.expect("outbox");
        jobs.reverse();
        jobs.iter().map(|j| j.envelope.email.kind()).collect()
    }

    /// Waits until the notification worker has handled every email in the outbox
    /// (sent, or failed for good): after that, the SMTP sink has all it will get.
    pub async fn outbox_drained(&self) {
        let deadline = tokio::time::Instant::now() + PATIENCE;
        loop {
            let jobs = self.db.recent_emails(1000).await.expect("outbox");
            let pending: Vec<_> = jobs
                .iter()
                .filter(|j| j.status == db::OutboxStatus::Pending)
                .collect();
            if pending.is_empty() {
                return;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "the outbox still holds {pending:?}"
            );
            // The worker is told of new jobs at once and polls every 200 ms; this
            // only waits for it to get there.
            let _ = self
                .smtp
                .wait_for(self.smtp.mails().len() + 1, Duration::from_millis(100))
                .await;
        }
    }
}
