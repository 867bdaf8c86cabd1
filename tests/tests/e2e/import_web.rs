//! Importing a real plan document through the planner's web interface: upload,
//! preview of the outline, confirm, and the document with its sections.

use tests::{Backend, signed_in_planner, spawn_app};

fn seed() -> Vec<u8> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../shared/seeds/002_ec8b448d3d8b0d56.txt"
    );
    std::fs::read(path).unwrap_or_else(|e| {
        panic!("the seed {path} must exist in CI (../shared beside the clone): {e}")
    })
}

fn upload_form(plan_id: &str, file_name: &str, bytes: Vec<u8>) -> reqwest::multipart::Form {
    reqwest::multipart::Form::new()
        .text("plan_id", plan_id.to_owned())
        .text("title", "")
        .text("kind", "planning_programme")
        .text("format", "auto")
        .part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
        )
}

#[tokio::test]
#[ignore = "reads the real documents in ../shared/seeds/; .ci/run runs it with --ignored where they exist"]
async fn the_alver_planning_programme_is_imported_through_the_web_interface() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let doc = app.draft_document("alver").await;
    let client = signed_in_planner(&app, "kari@testvik.example").await;
    let plan_id: domain::PlanId = doc.plan_id.parse().expect("plan id");
    assert_eq!(app.db.documents_of(plan_id).await.expect("docs").len(), 1);

    let uploaded = client
        .post(app.url("/planner/import"))
        .multipart(upload_form(&doc.plan_id, "planprogram.txt", seed()))
        .send()
        .await
        .expect("upload");
    assert_eq!(uploaded.status(), 303);
    let preview_path = uploaded.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    // Nothing is stored as a document until the planner confirms.
    assert_eq!(app.db.documents_of(plan_id).await.expect("docs").len(), 1);

    let preview = client
        .get(app.url(&preview_path))
        .send()
        .await
        .expect("preview")
        .text()
        .await
        .expect("html");
    for title in [
        "Innleiing",
        "Roller og ansvar i arbeidet med kommunedelplanen helse, sosial og omsorg",
        "Lovverk og andre sentrale føringar",
    ] {
        assert!(preview.contains(title), "the outline shows {title}");
    }
    assert!(
        !preview.contains(".........."),
        "no table-of-contents line in the outline"
    );

    let confirmed = client
        .post(app.url(&format!("{preview_path}/confirm")))
        .send()
        .await
        .expect("confirm");
    assert_eq!(confirmed.status(), 303);
    let document_path = confirmed.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    // A second confirm (a double click) makes no second document.
    let again = client
        .post(app.url(&format!("{preview_path}/confirm")))
        .send()
        .await
        .expect("confirm");
    assert_eq!(
        again.headers()["location"].to_str().expect("ascii"),
        document_path
    );
    let documents = app.db.documents_of(plan_id).await.expect("docs");
    assert_eq!(documents.len(), 2);

    let page = client
        .get(app.url(&document_path))
        .send()
        .await
        .expect("document")
        .text()
        .await
        .expect("html");
    assert!(page.contains("5.4 Lovverk og andre sentrale føringar"));
    assert!(
        !page.contains(
            "Forslag til planprogram – Kommunedelplan for helse, sosial og omsorg – Alver kommune"
        ),
        "no running footer"
    );
    let imported = documents
        .iter()
        .find(|d| d.title == "planprogram")
        .expect("titled after the file");
    let version = app.db.latest_version(imported.id).await.expect("version");
    let numbered = app
        .db
        .sections_of(version.id)
        .await
        .expect("sections")
        .into_iter()
        .filter(|s| !s.number.is_empty())
        .count();
    assert_eq!(numbered, 19);
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_bad_upload_is_explained_and_stores_nothing() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let doc = app.draft_document("bad-upload").await;
    let client = signed_in_planner(&app, "kari@testvik.example").await;
    let plan_id: domain::PlanId = doc.plan_id.parse().expect("plan id");
    for (name, bytes, expected) in [
        ("tom.txt", Vec::new(), "Fila er tom."),
        (
            "falsk.docx",
            b"PK\x03\x04 this is not a zip".to_vec(),
            "ikkje eit Word-dokument",
        ),
        (
            "binary.txt",
            vec![0x80, 0x81, 0xc3, 0x28, 0xa0, 0x41],
            "UTF-8",
        ),
    ] {
        let response = client
            .post(app.url("/planner/import?lang=nn"))
            .multipart(upload_form(&doc.plan_id, name, bytes))
            .send()
            .await
            .expect("upload");
        assert_eq!(response.status(), 422, "{name}");
        let page = response.text().await.expect("html");
        assert!(page.contains(expected), "{name}: {page}");
    }
    // Another municipality's plan, or none, is refused the same way.
    let response = client
        .post(app.url("/planner/import"))
        .multipart(upload_form(
            &uuid::Uuid::new_v4().to_string(),
            "x.md",
            b"# Tittel\n\nTekst".to_vec(),
        ))
        .send()
        .await
        .expect("upload");
    assert_eq!(response.status(), 422);
    assert_eq!(
        app.db.documents_of(plan_id).await.expect("docs").len(),
        1,
        "nothing stored"
    );
    // Anonymous uploads go to sign-in.
    let anonymous = tests::browser()
        .post(app.url("/planner/import"))
        .multipart(upload_form(&doc.plan_id, "x.md", b"# T".to_vec()))
        .send()
        .await
        .expect("upload");
    assert_eq!(anonymous.status(), 303);
    app.stop().await.expect("stops");
}

#[tokio::test]
#[ignore = "reads the real documents in ../shared/seeds/; .ci/run runs it with --ignored where they exist"]
async fn the_json_api_imports_the_alver_planning_programme() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let doc = app.draft_document("api-import").await;
    let response = app
        .http
        .post(app.url(&format!(
            "/api/v1/plans/{}/imports?file_name=planprogram.txt&kind=planning_programme",
            doc.plan_id
        )))
        .bearer_auth(&app.planner_token)
        .body(seed())
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 201);
    let draft: serde_json::Value = response.json().await.expect("json");
    let numbers: Vec<&str> = draft["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter_map(|s| s["number"].as_str())
        .filter(|n| !n.is_empty())
        .collect();
    assert_eq!(
        numbers,
        [
            "1", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "4", "4.1",
            "4.2", "5", "5.1", "5.2", "5.3", "5.4"
        ]
    );
    assert_eq!(draft["title"], "planprogram");
    let id = draft["id"].as_str().expect("id");
    let (status, confirmed) = app
        .post_as_planner(
            &format!("/api/v1/imports/{id}/confirm"),
            serde_json::json!({}),
        )
        .await;
    assert_eq!(status, 201, "{confirmed}");
    let (_, document) = app
        .get_json_as_planner(&format!(
            "/api/v1/documents/{}",
            confirmed["document_id"].as_str().expect("doc id")
        ))
        .await;
    assert_eq!(
        document["sections"].as_array().map(Vec::len),
        Some(20),
        "preamble and 19 sections"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_json_api_confirms_an_import_once_and_refuses_bad_files() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let doc = app.draft_document("api-import").await;
    let url = app.url(&format!(
        "/api/v1/plans/{}/imports?file_name=planprogram.md&kind=planning_programme",
        doc.plan_id
    ));
    let response = app
        .http
        .post(&url)
        .bearer_auth(&app.planner_token)
        .body(
            "# 1 Innleiing\n\nKvifor vi lagar planen.\n\n## 1.1 Bakgrunn\n\nKva som har skjedd.\n",
        )
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 201);
    let draft: serde_json::Value = response.json().await.expect("json");
    let numbers: Vec<&str> = draft["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .filter_map(|s| s["number"].as_str())
        .collect();
    assert_eq!(numbers, ["1", "1.1"], "{draft}");
    assert_eq!(draft["title"], "planprogram");
    let id = draft["id"].as_str().expect("id");

    let confirm = app.url(&format!("/api/v1/imports/{id}/confirm"));
    let first = app
        .http
        .post(&confirm)
        .bearer_auth(&app.planner_token)
        .send()
        .await
        .expect("confirm");
    assert_eq!(first.status(), 201);
    let first: serde_json::Value = first.json().await.expect("json");
    let second = app
        .http
        .post(&confirm)
        .bearer_auth(&app.planner_token)
        .send()
        .await
        .expect("confirm");
    assert_eq!(second.status(), 200);
    assert_eq!(
        second.json::<serde_json::Value>().await.expect("json")["document_id"],
        first["document_id"]
    );
    let document: serde_json::Value = app
        .http
        .get(app.url(&format!(
            "/api/v1/documents/{}",
            first["document_id"].as_str().expect("doc id")
        )))
        .bearer_auth(&app.planner_token)
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(document["sections"].as_array().map(Vec::len), Some(2));

    let empty = app
        .http
        .post(&url)
        .bearer_auth(&app.planner_token)
        .body(Vec::new())
        .send()
        .await
        .expect("post");
    assert_eq!(empty.status(), 422);
    assert_eq!(
        empty.json::<serde_json::Value>().await.expect("json")["error"],
        "empty"
    );
    let huge = app
        .http
        .post(&url)
        .bearer_auth(&app.planner_token)
        .body(vec![b'a'; 21 * 1024 * 1024])
        .send()
        .await
        .expect("post");
    assert_eq!(huge.status(), 413);
    assert_eq!(
        huge.json::<serde_json::Value>().await.expect("json")["error"],
        "too_large"
    );
    let nowhere = app
        .http
        .post(app.url(&format!("/api/v1/plans/{}/imports", uuid::Uuid::new_v4())))
        .bearer_auth(&app.planner_token)
        .body("# Tittel")
        .send()
        .await
        .expect("post");
    assert_eq!(
        nowhere.json::<serde_json::Value>().await.expect("json")["error"],
        "unknown_plan"
    );
    let anonymous = app
        .http
        .post(&url)
        .body("# Tittel")
        .send()
        .await
        .expect("post");
    assert_eq!(anonymous.status(), 401);
    let plan_id: domain::PlanId = doc.plan_id.parse().expect("plan id");
    assert_eq!(
        app.db.documents_of(plan_id).await.expect("docs").len(),
        2,
        "one document added, by the one confirm"
    );
    app.stop().await.expect("stops");
}
