//! Where attachments live and how they travel: received as they arrive into a
//! temporary file (never whole in memory), refused while streaming when over size,
//! bounded in how many are received at once, stored in the database on PostgreSQL
//! (so any process serves them) and in the data folder with SQLite, and downloaded
//! as a stream.

use crate::responses::{
    file, letter, open_hearing, organisation, representative, responses_in_db, stored_files, submit,
};
use serde_json::Value;
use tests::{Backend, TestApp, spawn_app};

/// A PDF of `len` bytes whose content is not uniform, so a chunk out of place shows.
fn big_pdf(len: usize) -> Vec<u8> {
    let mut bytes = b"%PDF-1.7\n".to_vec();
    bytes.extend((0..len - bytes.len()).map(|i| (i * 31 % 251) as u8));
    bytes
}

async fn download(
    client: &reqwest::Client,
    url: &str,
) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
    let answer = client.get(url).send().await.expect("get");
    let status = answer.status().as_u16();
    let headers = answer.headers().clone();
    (
        status,
        headers,
        answer.bytes().await.expect("body").to_vec(),
    )
}

/// The attachment folder's files (not the incoming folder beside it).
fn folder_files(app: &TestApp) -> Vec<String> {
    match std::fs::read_dir(&app.attachments_dir) {
        Ok(entries) => entries
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

#[tokio::test]
async fn a_large_attachment_is_stored_where_every_process_reaches_it_and_downloaded_whole() {
    let backend = Backend::from_env();
    let app = spawn_app(backend).await.expect("app starts");
    let fx = open_hearing(&app, "large-file", "public").await;
    let lag = organisation(&app, &fx, "Lag A").await;
    let client = representative(&app, &fx, "a@lag.example", lag).await;
    // Several chunks and a part of one.
    let content = big_pdf(3 * consultation::responses::attachments::CHUNK_BYTES + 12_345);
    let form = letter("Sjå vedlegget.", Some(lag)).part(
        "attachment",
        file(content.clone(), "stor.pdf", "application/pdf"),
    );
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(status, 201, "{body}");
    let attachment = &body["current"]["attachments"][0];
    assert_eq!(attachment["size_bytes"], content.len() as u64);
    let storage_name = responses_in_db(&app, &fx.hearing_id).await[0].attachments[0]
        .storage_name
        .clone();
    assert_eq!(stored_files(&app).await, vec![storage_name.clone()]);
    match backend {
        Backend::Postgres => {
            assert!(
                folder_files(&app).is_empty(),
                "nothing on this machine's disk"
            );
            assert_eq!(
                app.db.stored_file_names().await.expect("names"),
                vec![storage_name.clone()]
            );
            assert!(
                app.db
                    .stored_file_chunk(&storage_name, 3)
                    .await
                    .expect("chunk")
                    .is_some_and(|c| c.len() == 12_345),
                "stored in chunks"
            );
        }
        Backend::Sqlite => {
            assert_eq!(folder_files(&app), vec![storage_name.clone()]);
            assert!(app.db.stored_file_names().await.expect("names").is_empty());
        }
    }
    let url = app.url(attachment["url"].as_str().expect("url"));
    let (status, headers, bytes) = download(&client, &url).await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["content-length"],
        content.len().to_string().as_str()
    );
    assert_eq!(headers["content-type"], "application/pdf");
    assert!(bytes == content, "the downloaded file is the uploaded one");
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn an_oversized_upload_is_refused_with_413_as_json_and_as_a_page_and_nothing_is_kept() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "oversized", "public").await;
    let lag = organisation(&app, &fx, "Lag A").await;
    let client = representative(&app, &fx, "a@lag.example", lag).await;
    let over = big_pdf(domain::response::MAX_ATTACHMENT_BYTES + 1);

    // A small file first, so a reader that kept files one by one would leave it.
    let form = letter("For stort.", Some(lag))
        .part(
            "attachment",
            file(big_pdf(1000), "liten.pdf", "application/pdf"),
        )
        .part(
            "attachment",
            file(over.clone(), "stor.pdf", "application/pdf"),
        );
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"], "attachment_too_large", "{body}");
    assert!(
        body["message"]
            .as_str()
            .is_some_and(|m| m.contains("10 MB")),
        "{body}"
    );

    let page = client
        .post(app.url(&format!("/hearings/{}/response", fx.hearing_id)))
        .multipart(
            letter("Teksten min blir verande", Some(lag))
                .part("attachment", file(over, "stor.pdf", "application/pdf")),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(page.status(), 413);
    let html = page.text().await.expect("html");
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("større enn 10 MB"), "{html}");
    assert!(
        html.contains(">Teksten min blir verande</textarea>"),
        "the text is kept: {html}"
    );

    assert!(responses_in_db(&app, &fx.hearing_id).await.is_empty());
    // Also checks that the incoming folder holds nothing half-received.
    assert!(stored_files(&app).await.is_empty());
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn uploads_beyond_the_bound_are_refused_with_503_and_retry_after_then_accepted() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "busy", "public").await;
    let lag = organisation(&app, &fx, "Lag A").await;
    let client = representative(&app, &fx, "a@lag.example", lag).await;
    let pdf = big_pdf(2000);

    // Every place among the uploads taken, as by that many slow uploads.
    let uploads = app.state.uploads().clone();
    let taken = uploads
        .clone()
        .acquire_many_owned(server::DEFAULT_MAX_CONCURRENT_UPLOADS as u32)
        .await
        .expect("places");
    let form = letter("Med vedlegg.", Some(lag))
        .part("attachment", file(pdf.clone(), "a.pdf", "application/pdf"));
    let answer = client
        .post(app.url(&format!("/api/v1/hearings/{}/responses", fx.hearing_id)))
        .multipart(form)
        .send()
        .await
        .expect("post");
    assert_eq!(answer.status(), 503);
    assert_eq!(answer.headers()["retry-after"], "5");
    let body: Value = answer.json().await.expect("json");
    assert_eq!(body["error"], "busy", "{body}");

    let page = client
        .post(app.url(&format!("/hearings/{}/response", fx.hearing_id)))
        .multipart(
            letter("Teksten min blir verande", Some(lag))
                .part("attachment", file(pdf.clone(), "a.pdf", "application/pdf")),
        )
        .send()
        .await
        .expect("post");
    assert_eq!(page.status(), 503);
    assert_eq!(page.headers()["retry-after"], "5");
    let html = page.text().await.expect("html");
    assert!(html.contains("Mange sender vedlegg"), "{html}");
    assert!(
        html.contains(">Teksten min blir verande</textarea>"),
        "{html}"
    );

    // A submission without files needs no place.
    let (status, body) = submit(
        &app,
        &client,
        &fx.hearing_id,
        letter("Utan vedlegg.", Some(lag)),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    assert!(stored_files(&app).await.is_empty());

    drop(taken);
    let form = letter("Med vedlegg no.", Some(lag))
        .part("attachment", file(pdf, "a.pdf", "application/pdf"));
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(stored_files(&app).await.len(), 1);
    assert_eq!(
        uploads.available_permits(),
        server::DEFAULT_MAX_CONCURRENT_UPLOADS,
        "every place is given back"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
#[ignore = "needs PostgreSQL: runs in the PostgreSQL step of .ci/run"]
async fn an_attachment_stored_through_one_process_is_served_by_another() {
    assert_eq!(
        Backend::from_env(),
        Backend::Postgres,
        "set SAMRAD_TEST_DATABASE_URL to a PostgreSQL database to run this test"
    );
    let app = spawn_app(Backend::Postgres).await.expect("process A");
    // Its own, empty attachment folder.
    let other = app.another_process().await.expect("process B");
    let fx = open_hearing(&app, "two-processes-file", "public").await;
    let lag = organisation(&app, &fx, "Lag A").await;
    let client = representative(&app, &fx, "a@lag.example", lag).await;
    let content = big_pdf(consultation::responses::attachments::CHUNK_BYTES * 2 + 7);
    let form = letter("Sjå vedlegget.", Some(lag)).part(
        "attachment",
        file(content.clone(), "plan.pdf", "application/pdf"),
    );
    let (status, body) = submit(&app, &client, &fx.hearing_id, form).await;
    assert_eq!(status, 201, "{body}");
    let path = body["current"]["attachments"][0]["url"]
        .as_str()
        .expect("url")
        .to_owned();
    // The same session, through process B.
    let (status, headers, bytes) = download(&client, &other.url(&path)).await;
    assert_eq!(status, 200);
    assert_eq!(
        headers["content-length"],
        content.len().to_string().as_str()
    );
    assert!(
        bytes == content,
        "process B serves the file process A stored"
    );
    // And someone who may not read the response gets nothing from B either.
    let stranger = app.citizen("ola@example.org", "Ola").await.client;
    let (status, _, _) = download(&stranger, &other.url(&path)).await;
    assert_eq!(status, 404);
    other.stop().await.expect("B stops");
    app.stop().await.expect("A stops");
}
