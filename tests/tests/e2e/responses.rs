//! Official responses (høyringssvar): one per organisation per hearing with every
//! version kept, attachments checked by content and served only to those who may
//! read the response, a receipt by email and a live event for the planner.

use domain::group::{GroupKind, MemberRole};
use domain::organisation::OrganisationKind;
use domain::{GroupId, HearingId, MunicipalityId, OrganisationId};
use futures_util::SinkExt;
use reqwest::multipart::{Form, Part};
use serde_json::{Value, json};
use std::collections::BTreeSet;
use tests::ws::next_json;
use tests::{Backend, TestApp, browser, signed_in_planner, spawn_app};
use tokio_tungstenite::tungstenite::Message;
use uuid::Uuid;

pub(crate) struct Fixture {
    pub(crate) hearing_id: String,
    pub(crate) section_ids: Vec<String>,
    pub(crate) group: GroupId,
    pub(crate) municipality: MunicipalityId,
}

/// A plan with a two-section document, a reference group and an open hearing.
pub(crate) async fn open_hearing(app: &TestApp, slug: &str, audience: &str) -> Fixture {
    let h = app
        .open_hearing_with(slug, json!({"audience": audience}))
        .await;
    let group = app
        .db
        .create_group(h.plan(), GroupKind::ReferenceGroup, "Referansegruppa")
        .await
        .expect("group");
    Fixture {
        hearing_id: h.id,
        section_ids: h.section_ids,
        group: group.id,
        municipality: app.municipality().await.id,
    }
}

/// A signed-in person without any role in the plan.
async fn outsider(app: &TestApp, email: &str) -> reqwest::Client {
    app.citizen(email, "Utanforståande").await.client
}

pub(crate) async fn organisation(app: &TestApp, fx: &Fixture, name: &str) -> OrganisationId {
    app.db
        .create_organisation(fx.municipality, name, OrganisationKind::UserOrganisation)
        .await
        .expect("organisation")
        .id
}

/// A representative of `organisation` in the plan's group, signed in.
pub(crate) async fn representative(
    app: &TestApp,
    fx: &Fixture,
    email: &str,
    organisation: OrganisationId,
) -> reqwest::Client {
    app.representative(fx.group, organisation, email, "Ola Fjeld")
        .await
        .client
}

pub(crate) fn pdf() -> Vec<u8> {
    b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n".to_vec()
}

pub(crate) fn docx() -> Vec<u8> {
    use std::io::Write;
    let mut bytes = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut bytes);
    zip.start_file(
        "word/document.xml",
        zip::write::SimpleFileOptions::default(),
    )
    .expect("zip entry");
    zip.write_all(b"<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body/></w:document>")
        .expect("zip write");
    zip.finish().expect("zip");
    bytes.into_inner()
}

pub(crate) fn file(bytes: Vec<u8>, name: &str, claimed_type: &str) -> Part {
    Part::bytes(bytes)
        .file_name(name.to_owned())
        .mime_str(claimed_type)
        .expect("mime")
}

pub(crate) fn letter(text: &str, organisation: Option<OrganisationId>) -> Form {
    let form = Form::new().text("text", text.to_owned());
    match organisation {
        Some(o) => form.text("organisation_id", o.to_string()),
        None => form,
    }
}

pub(crate) async fn submit(
    app: &TestApp,
    client: &reqwest::Client,
    hearing: &str,
    form: Form,
) -> (u16, Value) {
    let response = client
        .post(app.url(&format!("/api/v1/hearings/{hearing}/responses")))
        .multipart(form)
        .send()
        .await
        .expect("request sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

async fn get_json(client: &reqwest::Client, url: String) -> (u16, Value) {
    let response = client.get(url).send().await.expect("request sent");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

/// The stored attachment files (in the folder, or in the database on PostgreSQL),
/// after checking that no upload is left half-received.
pub(crate) async fn stored_files(app: &TestApp) -> Vec<String> {
    let store = app.state.consultation().attachment_store();
    let incoming: Vec<_> = match std::fs::read_dir(store.incoming_dir()) {
        Ok(entries) => entries.map(|e| e.expect("entry").path()).collect(),
        Err(_) => Vec::new(),
    };
    assert!(incoming.is_empty(), "uploads left behind: {incoming:?}");
    store.stored_names().await.expect("stored files")
}

pub(crate) async fn responses_in_db(
    app: &TestApp,
    hearing: &str,
) -> Vec<domain::response::Response> {
    let id: HearingId = hearing.parse().expect("hearing id");
    app.db.responses_of_hearing(id).await.expect("responses")
}

#[tokio::test]
async fn twenty_parallel_submissions_from_one_organisation_make_one_response_with_twenty_versions()
{
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "parallel", "public").await;
    let lag = organisation(&app, &fx, "Pensjonistlaget").await;
    let client = representative(&app, &fx, "leiar@pensjonistlaget.example", lag).await;

    let (mut ws, _) = tokio_tungstenite::connect_async(app.ws_url())
        .await
        .expect("websocket connects");
    let room = format!("hearing:{}", fx.hearing_id);
    ws.send(Message::text(
        json!({"type": "subscribe", "room": room}).to_string(),
    ))
    .await
    .expect("subscribe");
    assert_eq!(next_json(&mut ws).await["type"], "subscribed");

    let attempts = (0..20).map(|i| {
        let client = client.clone();
        let url = app.url(&format!("/api/v1/hearings/{}/responses", fx.hearing_id));
        let section = fx.section_ids[i % 2].clone();
        async move {
            let form = letter(&format!("Utkast nummer {i}"), Some(lag))
                .text("section_ids", section)
                .text("idempotency_key", Uuid::new_v4().to_string())
                .part(
                    "attachment",
                    file(pdf(), &format!("svar-{i}.pdf"), "application/pdf"),
                );
            let response = client.post(url).multipart(form).send().await.expect("post");
            let status = response.status().as_u16();
            (status, response.text().await.unwrap_or_default())
        }
    });
    let results = futures_util::future::join_all(attempts).await;
    for (status, body) in &results {
        assert_eq!(*status, 201, "{body}");
    }

    let (status, list) = get_json(
        &client,
        app.url(&format!("/api/v1/hearings/{}/responses", fx.hearing_id)),
    )
    .await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().expect("list");
    assert_eq!(list.len(), 1, "one response for the organisation: {list:?}");
    let response = &list[0];
    assert_eq!(response["organisation_name"], "Pensjonistlaget");
    assert_eq!(response["version_count"], 20);
    let numbers: Vec<i64> = response["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["number"].as_i64().expect("number"))
        .collect();
    assert_eq!(numbers, (1..=20).collect::<Vec<_>>());
    let texts: BTreeSet<String> = response["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["text"].as_str().expect("text").to_owned())
        .collect();
    assert_eq!(
        texts.len(),
        20,
        "every submission is kept as its own version"
    );
    assert_eq!(response["current"]["number"], 20);

    let stored = responses_in_db(&app, &fx.hearing_id).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].versions.len(), 20);
    assert_eq!(stored[0].attachments.len(), 20);
    assert_eq!(
        stored_files(&app).await.len(),
        20,
        "one file per submission, no leftovers"
    );

    // The planner's dashboard hears of every version, without the text.
    let mut versions = BTreeSet::new();
    while versions.len() < 20 {
        let event = next_json(&mut ws).await;
        assert_eq!(event["type"], "event", "{event}");
        assert_eq!(event["event"]["type"], "response_submitted", "{event}");
        let data = &event["event"]["data"];
        assert_eq!(data["organisation_name"], "Pensjonistlaget");
        assert_eq!(data["response_id"], response["id"]);
        assert!(
            data.get("text").is_none(),
            "no text in a public room: {data}"
        );
        versions.insert(data["version"].as_i64().expect("version"));
    }
    assert_eq!(versions, (1..=20).collect::<BTreeSet<_>>());
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn an_html_file_named_pdf_is_refused_and_nothing_is_stored() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "html", "public").await;
    let lag = organisation(&app, &fx, "Lag A").await;
    let client = representative(&app, &fx, "a@lag.example", lag).await;

    let form = letter("Sjå vedlegget.", Some(lag))
        .part("attachment", file(pdf(), "ekte.pdf", "application/pdf"))
        .part(
            "attachment",
            file(
                b"<!doctype html><html><script>alert(1)</script></html>".to_vec(),
                "svar.pdf",
                "application/pdf",
            ),
        );
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "unsupported_attachment_type", "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("svar.pdf")),
        "{body}"
    );
    assert!(responses_in_db(&app, &fx.hearing_id).await.is_empty());
    assert!(
        stored_files(&app).await.is_empty(),
        "{:?}",
        stored_files(&app).await
    );

    // The type a client claims does not matter either way: a PDF sent as text/html
    // and named .docx is a PDF, and a Word document is accepted too.
    let form = letter("Sjå vedlegga.", Some(lag))
        .part("attachment", file(pdf(), "brev.docx", "text/html"))
        .part(
            "attachment",
            file(docx(), "notat.docx", "application/octet-stream"),
        );
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(status, 201, "{body}");
    let attachments = body["current"]["attachments"].as_array().expect("list");
    assert_eq!(attachments[0]["kind"], "pdf");
    assert_eq!(attachments[0]["file_name"], "brev.docx.pdf");
    assert_eq!(attachments[1]["kind"], "docx");
    assert_eq!(attachments[1]["file_name"], "notat.docx");
    assert_eq!(stored_files(&app).await.len(), 2);
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn oversized_and_too_many_attachments_are_refused() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "big", "public").await;
    let lag = organisation(&app, &fx, "Lag A").await;
    let client = representative(&app, &fx, "a@lag.example", lag).await;

    let mut big = pdf();
    big.resize(domain::response::MAX_ATTACHMENT_BYTES + 1, b' ');
    let form = letter("Stort vedlegg.", Some(lag))
        .part("attachment", file(big, "stor.pdf", "application/pdf"));
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"], "attachment_too_large", "{body}");

    let mut form = letter("Mange vedlegg.", Some(lag));
    for i in 0..6 {
        form = form.part(
            "attachment",
            file(pdf(), &format!("{i}.pdf"), "application/pdf"),
        );
    }
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "too_many_attachments", "{body}");

    let (status, body) = submit(&app, &client, &fx.hearing_id, letter("   ", Some(lag))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("validation_failed")),
        "{body}"
    );
    let form = letter("Feil kapittel.", Some(lag)).text("section_ids", Uuid::new_v4().to_string());
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("section_not_in_hearing")),
        "{body}"
    );
    let form = letter("Ukjent felt.", Some(lag)).text("colour", "blå");
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_field")),
        "{body}"
    );
    let json = client
        .post(app.url(&format!("/api/v1/hearings/{}/responses", fx.hearing_id)))
        .json(&json!({"text": "JSON"}))
        .send()
        .await
        .expect("post");
    assert_eq!(json.status(), 415);

    assert!(responses_in_db(&app, &fx.hearing_id).await.is_empty());
    assert!(
        stored_files(&app).await.is_empty(),
        "{:?}",
        stored_files(&app).await
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn only_representatives_answer_for_an_organisation_and_only_members_answer_invited_hearings()
{
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "invited", "invited").await;
    let lag_a = organisation(&app, &fx, "Lag A").await;
    let lag_b = organisation(&app, &fx, "Lag B").await;
    let rep_a = representative(&app, &fx, "a@lag.example", lag_a).await;

    let (status, body) = submit(&app, &rep_a, &fx.hearing_id, letter("For B?", Some(lag_b))).await;
    assert_eq!(
        (status, body["error"].as_str()),
        (403, Some("not_representative")),
        "{body}"
    );
    let (status, body) = submit(
        &app,
        &rep_a,
        &fx.hearing_id,
        letter("Ukjent lag", Some(OrganisationId::new())),
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert!(responses_in_db(&app, &fx.hearing_id).await.is_empty());

    // A signed-in person who is no member of the plan's groups does not see the hearing.
    let outsider = outsider(&app, "utanfor@example.no").await;
    let (status, body) = submit(&app, &outsider, &fx.hearing_id, letter("Eg òg", None)).await;
    assert_eq!(status, 404, "{body}");
    // Nobody signed in, and an API token (which is nobody), cannot give a response.
    let (status, body) = submit(&app, &browser(), &fx.hearing_id, letter("Anonym", None)).await;
    assert_eq!(status, 404, "an invited hearing is hidden: {body}");
    let token = app
        .as_planner(
            reqwest::Method::POST,
            &format!("/api/v1/hearings/{}/responses", fx.hearing_id),
        )
        .multipart(letter("Token", None))
        .send()
        .await
        .expect("post");
    assert_eq!(token.status(), 401);
    assert!(responses_in_db(&app, &fx.hearing_id).await.is_empty());

    let (status, body) = submit(
        &app,
        &rep_a,
        &fx.hearing_id,
        letter("Svar frå A", Some(lag_a)),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let (status, personal) =
        submit(&app, &rep_a, &fx.hearing_id, letter("Mitt eige svar", None)).await;
    assert_eq!(status, 201, "{personal}");
    assert_ne!(
        body["id"], personal["id"],
        "a personal response is another response"
    );
    let stored = responses_in_db(&app, &fx.hearing_id).await;
    assert_eq!(stored.len(), 2);
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_revision_after_the_deadline_is_refused_and_a_first_late_response_is_kept() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "deadline", "public").await;
    let lag_a = organisation(&app, &fx, "Lag A").await;
    let lag_b = organisation(&app, &fx, "Lag B").await;
    let rep_a = representative(&app, &fx, "a@lag.example", lag_a).await;
    let rep_b = representative(&app, &fx, "b@lag.example", lag_b).await;
    let (status, first) = submit(&app, &rep_a, &fx.hearing_id, letter("I tide", Some(lag_a))).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["late"], false);

    // The deadline passes (moved into the past, as the clock would).
    let id: HearingId = fx.hearing_id.parse().expect("id");
    let hearing = app.db.hearing(id).await.expect("hearing");
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    app.db
        .extend_deadline(id, hearing.deadline, past, "test", "fristen er ute", &[])
        .await
        .expect("deadline moved");

    let (status, body) = submit(
        &app,
        &rep_a,
        &fx.hearing_id,
        letter("For seint endra", Some(lag_a)),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("deadline_passed")),
        "{body}"
    );
    let (status, late) = submit(
        &app,
        &rep_b,
        &fx.hearing_id,
        letter("Seint, men godt", Some(lag_b)),
    )
    .await;
    assert_eq!(status, 201, "{late}");
    assert_eq!(late["late"], true);
    assert_eq!(late["current"]["late"], true);
    let (status, body) = submit(
        &app,
        &rep_b,
        &fx.hearing_id,
        letter("Endå seinare", Some(lag_b)),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("deadline_passed")),
        "{body}"
    );

    let stored = responses_in_db(&app, &fx.hearing_id).await;
    assert_eq!(stored.len(), 2);
    assert!(
        stored.iter().all(|r| r.versions.len() == 1),
        "no revision was stored"
    );

    // The refused revisions left no trace: once the deadline is extended, the next
    // revision is version 2.
    let future = jiff::Timestamp::now() + jiff::SignedDuration::from_hours(24 * 7);
    app.db
        .extend_deadline(id, past, future, "test", "ny frist", &[])
        .await
        .expect("deadline extended");
    let (status, revised) = submit(
        &app,
        &rep_a,
        &fx.hearing_id,
        letter("Endra i ny frist", Some(lag_a)),
    )
    .await;
    assert_eq!(status, 201, "{revised}");
    assert_eq!(revised["version_count"], 2);
    assert_eq!(revised["current"]["number"], 2);
    assert_eq!(revised["current"]["late"], false);

    // After the hearing is assessed the response page still shows what was sent, with
    // no form; there is nothing to show to someone who sent nothing.
    // The worker closes a hearing whose deadline has passed; it may have done so
    // while the deadline above was in the past, before the planner could.
    let state = app.db.hearing(id).await.expect("hearing").state;
    let steps: &[&str] = if state == domain::hearing::HearingState::Closed {
        &["complete"]
    } else {
        &["close", "complete"]
    };
    for step in steps {
        let (status, body) = app
            .post_as_planner(
                &format!("/api/v1/hearings/{}/{step}", fx.hearing_id),
                json!({"reason": "Saka er ferdig handsama."}),
            )
            .await;
        assert_eq!(status, 200, "{step}: {body}");
    }
    let page = rep_a
        .get(app.url(&format!(
            "/hearings/{}/response?organisation={lag_a}",
            fx.hearing_id
        )))
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains("Endra i ny frist"), "{html}");
    assert!(
        !html.contains("enctype=\"multipart/form-data\""),
        "no form: {html}"
    );
    // Nothing was sent personally: the page says so, and why nothing can be now.
    let personal = rep_a
        .get(app.url(&format!(
            "/hearings/{}/response?organisation=self",
            fx.hearing_id
        )))
        .send()
        .await
        .expect("get");
    assert_eq!(personal.status(), 200);
    let html = personal.text().await.expect("html");
    assert!(html.contains("id=\"response-none\""), "{html}");
    assert!(html.contains("id=\"response-closed\""), "{html}");
    assert!(!html.contains("enctype=\"multipart/form-data\""), "{html}");
    let (status, body) = submit(
        &app,
        &rep_a,
        &fx.hearing_id,
        letter("Etter vurderinga", Some(lag_a)),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("hearing_not_open")),
        "{body}"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_retried_submission_with_the_same_key_makes_no_second_version() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "retry", "public").await;
    let lag = organisation(&app, &fx, "Lag A").await;
    let client = representative(&app, &fx, "a@lag.example", lag).await;
    let key = Uuid::new_v4().to_string();
    let form = || {
        letter("Eitt svar", Some(lag))
            .text("idempotency_key", key.clone())
            .part("attachment", file(pdf(), "svar.pdf", "application/pdf"))
    };
    let (status, first) = submit(&app, &client, &fx.hearing_id, form()).await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = submit(&app, &client, &fx.hearing_id, form()).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["version_count"], 1);
    assert_eq!(again["id"], first["id"]);

    // The same key sent five times at once still makes one version.
    let key = Uuid::new_v4().to_string();
    let attempts = (0..5).map(|_| {
        let client = client.clone();
        let url = app.url(&format!("/api/v1/hearings/{}/responses", fx.hearing_id));
        let form = letter("Andre versjon", Some(lag))
            .text("idempotency_key", key.clone())
            .part("attachment", file(pdf(), "svar2.pdf", "application/pdf"));
        async move {
            client
                .post(url)
                .multipart(form)
                .send()
                .await
                .expect("post")
                .status()
                .as_u16()
        }
    });
    let mut statuses = futures_util::future::join_all(attempts).await;
    statuses.sort();
    assert_eq!(statuses, vec![200, 200, 200, 200, 201]);
    let stored = responses_in_db(&app, &fx.hearing_id).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].versions.len(), 2);
    assert_eq!(
        stored_files(&app).await.len(),
        2,
        "the files of retries are not kept"
    );

    // A key is bound to its submission: another person cannot read it back with it.
    let lag_b = organisation(&app, &fx, "Lag B").await;
    let other = representative(&app, &fx, "b@lag.example", lag_b).await;
    let (status, body) = submit(
        &app,
        &other,
        &fx.hearing_id,
        letter("Lånt nøkkel", Some(lag_b)).text("idempotency_key", key.clone()),
    )
    .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (409, Some("idempotency_key_reused")),
        "{body}"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_submitter_gets_a_receipt_with_the_text_and_the_attachments() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "receipt", "public").await;
    let lag = organisation(&app, &fx, "Pensjonistlaget").await;
    let client = representative(&app, &fx, "leiar@pensjonistlaget.example", lag).await;
    let text = "Vi støttar planen.\n\nMen vi saknar meir om transport til dagsenteret.";
    let form = letter(text, Some(lag)).part(
        "attachment",
        file(pdf(), "Høyringssvar frå laget.pdf", "application/pdf"),
    );
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(status, 201, "{body}");

    let receipt = app
        .smtp
        .wait_until(tests::PATIENCE, |mails| {
            mails
                .iter()
                .find(|m| {
                    m.to == ["leiar@pensjonistlaget.example"] && m.subject().contains("Kvittering")
                })
                .cloned()
        })
        .await
        .expect("a receipt");
    assert!(
        receipt.subject().contains("Høyring av planprogrammet"),
        "{}",
        receipt.subject()
    );
    let mail = receipt.text();
    assert!(mail.contains("Pensjonistlaget"), "{mail}");
    assert!(mail.contains("> Vi støttar planen."), "{mail}");
    assert!(
        mail.contains("> Men vi saknar meir om transport til dagsenteret."),
        "{mail}"
    );
    assert!(mail.contains("Høyringssvar frå laget.pdf"), "{mail}");
    assert!(
        mail.contains(&format!(
            "/hearings/{}/response?organisation={lag}",
            fx.hearing_id
        )),
        "{mail}"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn attachments_are_served_only_to_those_who_may_read_the_response() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "download", "public").await;
    let lag_a = organisation(&app, &fx, "Lag A").await;
    let lag_b = organisation(&app, &fx, "Lag B").await;
    let rep_a = representative(&app, &fx, "a@lag.example", lag_a).await;
    let rep_b = representative(&app, &fx, "b@lag.example", lag_b).await;
    let form = letter("Sjå vedlegget.", Some(lag_a))
        .part("attachment", file(pdf(), "Svar frå lag A.pdf", "text/html"));
    let (status, body) = submit(&app, &rep_a, &fx.hearing_id, form).await;
    assert_eq!(status, 201, "{body}");
    let response_id = body["id"].as_str().expect("id").to_owned();
    let url = app.url(
        body["current"]["attachments"][0]["url"]
            .as_str()
            .expect("url"),
    );

    // Another representative of the same organisation may read and revise it.
    let second = app
        .db
        .ensure_person("a2@lag.example", "Kari Fjeld", domain::Lang::Nn)
        .await
        .expect("person");
    app.db
        .add_member(
            fx.group,
            second.id,
            MemberRole::OrganisationRepresentative,
            Some(lag_a),
        )
        .await
        .expect("member");
    let rep_a2 = app.sign_in("a2@lag.example").await.client;

    for (who, client) in [("the submitter", &rep_a), ("a colleague", &rep_a2)] {
        let download = client.get(&url).send().await.expect("get");
        assert_eq!(download.status(), 200, "{who}");
        let headers = download.headers().clone();
        assert_eq!(headers["content-type"], "application/pdf", "{who}");
        assert_eq!(headers["x-content-type-options"], "nosniff");
        let disposition = headers["content-disposition"].to_str().expect("ascii");
        assert!(disposition.starts_with("attachment;"), "{disposition}");
        assert!(
            disposition.contains("filename*=UTF-8''Svar%20fr%C3%A5%20lag%20A.pdf"),
            "{disposition}"
        );
        assert_eq!(download.bytes().await.expect("body").to_vec(), pdf());
    }
    let planner = app
        .as_planner(reqwest::Method::GET, url.trim_start_matches(&app.base_url))
        .send()
        .await
        .expect("get");
    assert_eq!(
        planner.status(),
        200,
        "the plan's planners read every response"
    );

    let outsider = outsider(&app, "utanfor@example.no").await;
    for (who, client) in [
        ("another organisation", &rep_b),
        ("an outsider", &outsider),
        ("nobody", &app.public()),
    ] {
        let download = client.get(&url).send().await.expect("get");
        assert_eq!(download.status(), 404, "{who}");
        let (status, _) =
            get_json(client, app.url(&format!("/api/v1/responses/{response_id}"))).await;
        assert_eq!(status, 404, "{who}");
        let (status, list) = get_json(
            client,
            app.url(&format!("/api/v1/hearings/{}/responses", fx.hearing_id)),
        )
        .await;
        assert_eq!(status, 200, "{who}");
        assert_eq!(list, json!([]), "{who} sees no responses");
        let page = client
            .get(app.url(&format!("/responses/{response_id}")))
            .send()
            .await
            .expect("get");
        // Signed in, it is not there for them; nobody is sent to sign in first.
        let expected = if who == "nobody" { 303 } else { 404 };
        assert_eq!(page.status(), expected, "{who}");
    }
    // An attachment id under another response is not found.
    let (status, other) = submit(
        &app,
        &rep_b,
        &fx.hearing_id,
        letter("B sitt svar", Some(lag_b)),
    )
    .await;
    assert_eq!(status, 201, "{other}");
    let crossed = rep_b
        .get(app.url(&format!(
            "/api/v1/responses/{}/attachments/{}",
            other["id"].as_str().expect("id"),
            body["current"]["attachments"][0]["id"].as_str().expect("id")
        )))
        .send()
        .await
        .expect("get");
    assert_eq!(crossed.status(), 404);

    let (status, all) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{}/responses", fx.hearing_id))
        .await;
    assert_eq!(status, 200);
    assert_eq!(all.as_array().map(Vec::len), Some(2), "{all}");
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn script_in_the_text_and_the_file_name_is_shown_as_text() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "xss", "public").await;
    let lag = organisation(&app, &fx, "Lag A").await;
    let client = representative(&app, &fx, "a@lag.example", lag).await;
    let planner = signed_in_planner(&app, "kari@testvik.example").await;
    let form = letter("<script>alert(\"svar\")</script> & meir", Some(lag)).part(
        "attachment",
        file(
            pdf(),
            "<img src=x onerror=alert(1)>\".pdf",
            "application/pdf",
        ),
    );
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(status, 201, "{body}");
    let response_id = body["id"].as_str().expect("id");
    let file_name = body["current"]["attachments"][0]["file_name"]
        .as_str()
        .expect("name");
    assert!(!file_name.contains(['<', '>', '"']), "{file_name}");

    let pages = [
        (
            &client,
            format!("/hearings/{}/response?organisation={lag}", fx.hearing_id),
        ),
        (&client, format!("/responses/{response_id}")),
        (&planner, format!("/responses/{response_id}")),
    ];
    for (who, path) in pages {
        let page = who.get(app.url(&path)).send().await.expect("get");
        assert_eq!(page.status(), 200, "{path}");
        let html = page.text().await.expect("html");
        assert!(!html.contains("<script>alert"), "{path}");
        assert!(html.contains("&lt;script&gt;alert("), "{path}");
        assert!(!html.contains("<img src=x"), "{path}");
    }
    let download = client
        .get(
            app.url(
                body["current"]["attachments"][0]["url"]
                    .as_str()
                    .expect("url"),
            ),
        )
        .send()
        .await
        .expect("get");
    let disposition = download.headers()["content-disposition"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(!disposition.contains('<'), "{disposition}");
    assert_eq!(disposition.matches('"').count(), 2, "{disposition}");
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_response_page_gives_and_revises_a_response_and_keeps_the_form_on_errors() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "page", "public").await;
    let lag = organisation(&app, &fx, "Pensjonistlaget").await;
    let client = representative(&app, &fx, "leiar@pensjonistlaget.example", lag).await;
    let hearing_path = format!("/hearings/{}", fx.hearing_id);

    let public = client
        .get(app.url(&hearing_path))
        .send()
        .await
        .expect("get");
    let html = public.text().await.expect("html");
    assert!(
        html.contains(&format!("href=\"{hearing_path}/response\"")),
        "a link for people who may answer"
    );
    let anonymous = browser()
        .get(app.url(&hearing_path))
        .send()
        .await
        .expect("get");
    let html = anonymous.text().await.expect("html");
    assert!(!html.contains(&format!("href=\"{hearing_path}/response\"")));
    let redirected = browser()
        .get(app.url(&format!("{hearing_path}/response")))
        .send()
        .await
        .expect("get");
    assert_eq!(redirected.status(), 303);

    let page = client
        .get(app.url(&format!("{hearing_path}/response")))
        .send()
        .await
        .expect("get");
    assert_eq!(page.status(), 200);
    let html = page.text().await.expect("html");
    assert!(
        html.contains(&format!("name=\"organisation\" value=\"{lag}\" checked")),
        "the organisation is a choice, chosen: {html}"
    );

    // A refused submission shows the form again with the text and the choices kept.
    let refused = client
        .post(app.url(&format!("{hearing_path}/response")))
        .multipart(
            letter("Teksten min blir verande", Some(lag))
                .text("section_ids", fx.section_ids[1].clone())
                .part(
                    "attachment",
                    file(b"GIF89a".to_vec(), "bilete.pdf", "application/pdf"),
                ),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 422);
    let html = refused.text().await.expect("html");
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("verken PDF eller Word"), "{html}");
    assert!(
        html.contains(">Teksten min blir verande</textarea>"),
        "{html}"
    );
    assert!(
        html.contains(&format!("value=\"{}\" checked", fx.section_ids[1])),
        "{html}"
    );
    assert!(responses_in_db(&app, &fx.hearing_id).await.is_empty());

    let sent = client
        .post(app.url(&format!("{hearing_path}/response")))
        .multipart(
            letter("Første versjon frå laget", Some(lag))
                .text("section_ids", fx.section_ids[0].clone())
                .text("idempotency_key", Uuid::new_v4().to_string())
                .part("attachment", file(pdf(), "svar.pdf", "application/pdf"))
                // A file input left empty.
                .part(
                    "attachment",
                    file(Vec::new(), "", "application/octet-stream"),
                ),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(sent.status(), 303);
    let location = sent.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert_eq!(
        location,
        format!("{hearing_path}/response?organisation={lag}&saved=1")
    );
    let html = client
        .get(app.url(&location))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains("motteke som versjon 1"), "{html}");
    assert!(html.contains("Første versjon frå laget"), "{html}");
    let stored = responses_in_db(&app, &fx.hearing_id).await;
    let attachment = stored[0].attachments[0].id;
    assert!(
        html.contains(&format!(
            "name=\"keep_attachment_ids\" value=\"{attachment}\" checked"
        )),
        "{html}"
    );

    // A revision keeps the attachment by ticking it; the history shows version 1.
    let sent = client
        .post(app.url(&format!("{hearing_path}/response")))
        .multipart(
            letter("Andre versjon frå laget", Some(lag))
                .text("keep_attachment_ids", attachment.to_string())
                .text("idempotency_key", Uuid::new_v4().to_string()),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(sent.status(), 303);
    let html = client
        .get(app.url(&format!("{hearing_path}/response?organisation={lag}")))
        .send()
        .await
        .expect("get")
        .text()
        .await
        .expect("html");
    assert!(html.contains("Andre versjon frå laget"), "{html}");
    assert!(
        html.contains("Første versjon frå laget"),
        "the history keeps version 1"
    );
    let stored = responses_in_db(&app, &fx.hearing_id).await;
    assert_eq!(stored[0].versions.len(), 2);
    assert_eq!(stored[0].versions[1].attachment_ids, vec![attachment]);

    // The planner's workbench lists it, with its versions.
    let planner = signed_in_planner(&app, "kari@testvik.example").await;
    let workbench = planner
        .get(app.url(&format!("/planner/hearings/{}", fx.hearing_id)))
        .send()
        .await
        .expect("get");
    assert_eq!(workbench.status(), 200);
    let html = workbench.text().await.expect("html");
    assert!(html.contains("Pensjonistlaget"), "{html}");
    assert!(
        html.contains(&format!("href=\"/responses/{}\"", stored[0].id)),
        "{html}"
    );
    assert!(
        html.contains("<td class=\"response-versions\">2</td>"),
        "{html}"
    );
    let view = planner
        .get(app.url(&format!("/responses/{}", stored[0].id)))
        .send()
        .await
        .expect("get");
    assert_eq!(view.status(), 200);
    let html = view.text().await.expect("html");
    assert!(html.contains("Frå Pensjonistlaget"), "{html}");
    assert!(html.contains("Andre versjon frå laget"), "{html}");
    assert!(html.contains("Første versjon frå laget"), "{html}");
    assert!(
        !html.contains("enctype=\"multipart/form-data\""),
        "a planner reads, not answers"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_openapi_document_describes_the_response_endpoints() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (status, openapi) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    let paths = &openapi["paths"];
    let post = &paths["/api/v1/hearings/{id}/responses"]["post"];
    assert!(
        post["requestBody"]["content"]["multipart/form-data"].is_object(),
        "{post}"
    );
    assert!(paths["/api/v1/hearings/{id}/responses"]["get"].is_object());
    assert!(paths["/api/v1/responses/{id}"]["get"].is_object());
    assert!(paths["/api/v1/responses/{id}/attachments/{attachment_id}"]["get"].is_object());
    app.stop().await.expect("stops");
}
