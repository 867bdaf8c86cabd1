//! Versions of a document: sections keep their identity, and the changes between
//! versions are shown word by word.

use serde_json::{Value, json};
use tests::{Backend, spawn_app};

fn by_title<'a>(doc: &'a Value, title: &str) -> &'a Value {
    doc["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["title"] == title)
        .unwrap_or_else(|| panic!("no section {title} in {doc}"))
}

#[tokio::test]
async fn a_new_version_keeps_section_identity_and_shows_what_changed() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let doc = app.draft_document("versions").await;
    let (_, v1) = app
        .get_json_as_planner(&format!("/api/v1/documents/{}", doc.document_id))
        .await;
    let (status, v2) = app
        .post_as_planner(
            &format!("/api/v1/documents/{}/versions", doc.document_id),
            json!({"sections": [
                {"number": "1", "title": "Innleiing og bakgrunn", "level": 1, "body": "Kvifor vi lagar planen no."},
                {"number": "2", "title": "Medverknad", "level": 1, "body": "Korleis du kan vere med."},
                {"number": "3.2", "title": "Roller og ansvar", "level": 2, "body": "Kven gjer kva."}
            ]}),
        )
        .await;
    assert_eq!(status, 201, "{v2}");
    assert_eq!(v2["version"], 2);
    assert_eq!(
        by_title(&v2, "Innleiing og bakgrunn")["lineage"],
        by_title(&v1, "Innleiing")["lineage"],
        "retitled, same number"
    );
    assert_eq!(
        by_title(&v2, "Roller og ansvar")["lineage"],
        by_title(&v1, "Roller og ansvar")["lineage"],
        "renumbered, same title"
    );
    let new_lineage = &by_title(&v2, "Medverknad")["lineage"];
    assert!(
        v1["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .all(|s| &s["lineage"] != new_lineage)
    );

    let (status, diff) = app
        .get_json_as_planner(&format!("/api/v1/documents/{}/diff", doc.document_id))
        .await;
    assert_eq!(status, 200, "{diff}");
    assert_eq!(
        (diff["from"].as_i64(), diff["to"].as_i64()),
        (Some(1), Some(2))
    );
    let status_of = |title: &str| {
        diff["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .find(|s| s["title"] == title)
            .map(|s| s["status"].as_str().unwrap_or_default().to_owned())
    };
    assert_eq!(
        status_of("Innleiing og bakgrunn").as_deref(),
        Some("changed")
    );
    assert_eq!(status_of("Medverknad").as_deref(), Some("added"));
    assert_eq!(
        status_of("Roller og ansvar").as_deref(),
        Some("changed"),
        "its number changed"
    );
    let intro = diff["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .find(|s| s["title"] == "Innleiing og bakgrunn")
        .expect("intro");
    assert_eq!(intro["old_title"], "Innleiing");
    let added: String = intro["chunks"]
        .as_array()
        .expect("chunks")
        .iter()
        .filter(|c| c["op"] == "added")
        .filter_map(|c| c["text"].as_str())
        .collect();
    assert!(added.contains("no."), "{intro}");

    // The planner sees the same changes in the workbench.
    let client = tests::signed_in_planner(&app, "kari@testvik.example").await;
    let page = client
        .get(app.url(&format!(
            "/planner/documents/{}/compare?lang=nn",
            doc.document_id
        )))
        .send()
        .await
        .expect("compare");
    assert_eq!(page.status(), 200);
    let page = page.text().await.expect("html");
    assert!(page.contains("<ins>"), "added words are marked");
    assert!(page.contains("Før: 1 Innleiing"), "the old title is shown");
    assert!(page.contains("Ny"), "the new section is marked");

    let (status, bad) = app
        .get_json_as_planner(&format!(
            "/api/v1/documents/{}/diff?from=1&to=7",
            doc.document_id
        ))
        .await;
    assert_eq!(
        (status, bad["error"].as_str()),
        (422, Some("unknown_version"))
    );
    let (status, empty) = app
        .post_as_planner(
            &format!("/api/v1/documents/{}/versions", doc.document_id),
            json!({"sections": []}),
        )
        .await;
    assert_eq!(
        (status, empty["error"].as_str()),
        (422, Some("invalid_sections"))
    );
    let anonymous = app
        .http
        .post(app.url(&format!("/api/v1/documents/{}/versions", doc.document_id)))
        .json(&json!({"sections": [{"number": "1", "title": "X", "level": 1, "body": ""}]}))
        .send()
        .await
        .expect("send");
    assert_eq!(anonymous.status(), 401);
    let document_id: domain::DocumentId = doc.document_id.parse().expect("id");
    assert_eq!(
        app.db
            .versions_of(document_id)
            .await
            .expect("versions")
            .len(),
        2,
        "refused versions stored nothing"
    );
    app.stop().await.expect("stops");
}
