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
    assert_eq!(
        v1["sections"][1]["parent_id"], v1["sections"][0]["id"],
        "3.1 sits under 1"
    );
    assert!(v1["sections"][0]["parent_id"].is_null());
    // Someone comments on version 1, in a public hearing.
    let hearing_id = app.open_hearing_on(&doc.version_id, json!({})).await;
    app.planner_expects(
        201,
        &format!("/api/v1/hearings/{hearing_id}/comments"),
        json!({"section_id": doc.section_ids[0], "author_name": "Eldrerådet", "body": "Skriv meir om kvifor."}),
    )
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
    assert_eq!(
        intro["inputs"], 1,
        "the comment on version 1 follows the section"
    );
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
    // Each section's heading carries its status; only "2 Medverknad" is new.
    let badges: Vec<&str> = page
        .split("<span class=\"badge\">")
        .skip(1)
        .filter_map(|rest| rest.split_once("</span>").map(|(badge, _)| badge))
        .collect();
    assert_eq!(badges, ["Endra", "Ny", "Endra"], "{page}");
    assert!(
        page.contains("2 Medverknad <span class=\"badge\">Ny</span>"),
        "the new section is marked: {page}"
    );
    assert!(
        page.contains("Eitt innspel gjeld denne delen"),
        "the planner is pointed to the input"
    );
    let public = app
        .http
        .get(app.url(&format!("/documents/{}/compare?lang=nn", doc.document_id)))
        .send()
        .await
        .expect("public compare");
    assert_eq!(public.status(), 200);
    let public = public.text().await.expect("html");
    assert!(public.contains("<ins>"));
    assert!(
        !public.contains("innspel gjeld"),
        "readers do not see the planner's note"
    );

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

#[tokio::test]
async fn a_planner_edits_reorders_splits_and_merges_in_the_workbench() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let doc = app.draft_document("editing").await;
    let client = tests::signed_in_planner(&app, "kari@testvik.example").await;
    let edit = app.url(&format!("/planner/documents/{}/edit", doc.document_id));
    let form = client
        .get(&edit)
        .send()
        .await
        .expect("form")
        .text()
        .await
        .expect("html");
    assert!(form.contains("name=\"s0_title\"") && form.contains("value=\"Innleiing\""));

    // Move 3.1 first, retitle it, split its text into a new part 3.2, merge nothing yet.
    let posted = client
        .post(&edit)
        .form(&[
            ("s0_number", "1"),
            ("s0_title", "Innleiing"),
            ("s0_level", "1"),
            ("s0_position", "20"),
            ("s0_body", "Kvifor vi lagar planen."),
            ("s1_number", "3.1"),
            ("s1_title", "Roller"),
            ("s1_level", "2"),
            ("s1_position", "10"),
            ("s1_body", "Kven gjer kva."),
            ("new_number", "3.2"),
            ("new_title", "Ansvar"),
            ("new_level", "2"),
            ("new_position", "15"),
            ("new_body", "Kven har ansvaret."),
        ])
        .send()
        .await
        .expect("publish");
    assert_eq!(posted.status(), 303);
    assert!(
        posted.headers()["location"]
            .to_str()
            .expect("ascii")
            .contains("compare?from=1&to=2")
    );
    let document_id: domain::DocumentId = doc.document_id.parse().expect("id");
    let v2 = app.db.latest_version(document_id).await.expect("v2");
    let sections = app.db.sections_of(v2.id).await.expect("sections");
    let titles: Vec<&str> = sections.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(titles, vec!["Roller", "Ansvar", "Innleiing"]);

    // Merge "Ansvar" into "Roller" and delete "Innleiing".
    let posted = client
        .post(&edit)
        .form(&[
            ("s0_number", "3.1"),
            ("s0_title", "Roller"),
            ("s0_level", "2"),
            ("s0_position", "10"),
            ("s0_body", "Kven gjer kva."),
            ("s1_number", "3.2"),
            ("s1_title", "Ansvar"),
            ("s1_level", "2"),
            ("s1_position", "20"),
            ("s1_body", "Kven har ansvaret."),
            ("s1_merge_up", "on"),
            ("s2_number", "1"),
            ("s2_title", "Innleiing"),
            ("s2_level", "1"),
            ("s2_position", "30"),
            ("s2_body", "x"),
            ("s2_delete", "on"),
        ])
        .send()
        .await
        .expect("publish");
    assert_eq!(posted.status(), 303);
    let v3 = app.db.latest_version(document_id).await.expect("v3");
    let sections = app.db.sections_of(v3.id).await.expect("sections");
    assert_eq!(sections.len(), 1);
    assert_eq!(sections[0].body, "Kven gjer kva.\n\nKven har ansvaret.");

    // Bad edits are explained and publish nothing.
    for (fields, message) in [
        (
            vec![
                ("s0_number", "3.1"),
                ("s0_title", "Roller"),
                ("s0_level", "2"),
                ("s0_position", "1"),
                ("s0_body", "x"),
                ("s0_merge_up", "on"),
            ],
            "ingen del over seg",
        ),
        (
            vec![
                ("s0_number", "3.1"),
                ("s0_title", "Roller"),
                ("s0_level", "9"),
                ("s0_position", "1"),
                ("s0_body", "x"),
            ],
            "mellom 1 og 6",
        ),
        (
            vec![
                ("s0_number", "3.1"),
                ("s0_title", ""),
                ("s0_level", "2"),
                ("s0_position", "1"),
                ("s0_body", "x"),
            ],
            "må ha ein tittel",
        ),
        (
            vec![
                ("s0_number", "3.1"),
                ("s0_title", "Roller"),
                ("s0_level", "2"),
                ("s0_position", "1"),
                ("s0_body", "x"),
                ("s0_delete", "on"),
            ],
            "minst éin del",
        ),
    ] {
        let response = client.post(&edit).form(&fields).send().await.expect("post");
        assert_eq!(response.status(), 422);
        let page = response.text().await.expect("html");
        assert!(page.contains(message), "{message}: {page}");
    }
    assert_eq!(
        app.db
            .versions_of(document_id)
            .await
            .expect("versions")
            .len(),
        3
    );
    app.stop().await.expect("stops");
}
