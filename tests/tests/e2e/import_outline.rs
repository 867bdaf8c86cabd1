//! Correcting an imported outline before it is saved, over the API and with the
//! preview's forms: the same corrections, the same refusals, and the confirmed
//! document holds the corrected outline.

use serde_json::{Value, json};
use tests::{Backend, signed_in_planner, spawn_app};

/// A planning programme as a PDF's text layer gives it, with a progress chart whose
/// cells run together.
const PROGRAMME: &str = "\
1 Innleiing
Planen skal vere klar neste år.

2 Framdrift
Arbeidet går i to steg.

Framdrift 2023
Jan Feb Mar Apr Mai Jun
Jul Aug Sep Okt Nov Des
Oppstart
Medverknad-
periode

Planforum
Høyring og
offentleg ettersyn
Vedtak

3 Vidare arbeid
Planen blir rullert kvart fjerde år.
";

fn outline(draft: &Value) -> Vec<(String, String, i64)> {
    draft["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| {
            (
                s["number"].as_str().expect("number").to_owned(),
                s["title"].as_str().expect("title").to_owned(),
                s["level"].as_i64().expect("level"),
            )
        })
        .collect()
}

fn expected(parts: &[(&str, &str, i64)]) -> Vec<(String, String, i64)> {
    parts
        .iter()
        .map(|(n, t, l)| (n.to_string(), t.to_string(), *l))
        .collect()
}

#[tokio::test]
async fn the_api_corrects_an_outline_and_refuses_bad_corrections_with_a_code() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let doc = app.draft_document("outline-api").await;
    let created = app
        .as_planner(
            reqwest::Method::POST,
            &format!(
                "/api/v1/plans/{}/imports?file_name=planprogram.txt&format=text",
                doc.plan_id
            ),
        )
        .body(PROGRAMME)
        .send()
        .await
        .expect("post");
    assert_eq!(created.status(), 201);
    let draft: Value = created.json().await.expect("json");
    assert_eq!(draft["revision"], 0);
    let chart = draft["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .find(|w| w["code"] == "looks_like_lost_table")
        .unwrap_or_else(|| panic!("a lost table in {draft}"))
        .clone();
    assert_eq!(chart["section"], 1, "the part «2 Framdrift»: {chart}");
    assert_eq!(chart["first_line"], 3, "{chart}");
    let id = draft["id"].as_str().expect("id").to_owned();
    let path = format!("/api/v1/imports/{id}/outline");

    // Refusals: each with its code, and nothing changes.
    for (body, status, code) in [
        (
            json!({"revision": 7, "op": "merge_up", "section": 2}),
            409,
            "outline_changed",
        ),
        (
            json!({"revision": 0, "op": "merge_up", "section": 0}),
            422,
            "nothing_to_merge_into",
        ),
        (
            json!({"revision": 0, "op": "merge_up", "section": 40}),
            422,
            "unknown_section",
        ),
        (
            json!({"revision": 0, "op": "split", "section": 2, "line": 2}),
            422,
            "unknown_line",
        ),
        (
            json!({"revision": 0, "op": "split", "section": 2}),
            422,
            "invalid_edit",
        ),
        (
            json!({"revision": 0, "op": "set_level", "section": 2, "level": 9}),
            422,
            "invalid_level",
        ),
        (
            json!({"revision": 0, "op": "rename", "section": 2, "title": " "}),
            422,
            "validation_failed",
        ),
        (
            json!({"revision": 0, "op": "explode", "section": 2}),
            422,
            "invalid_edit",
        ),
    ] {
        let answer = app.planner_expects(status, &path, body.clone()).await;
        assert_eq!(answer["error"], code, "{body}: {answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let (status, anonymous) = app
        .send(
            &app.public(),
            reqwest::Method::POST,
            &path,
            Some(json!({"revision": 0, "op": "merge_up", "section": 2})),
        )
        .await;
    assert_eq!(status, 401, "{anonymous}");
    let (_, unchanged) = app
        .get_json_as_planner(&format!("/api/v1/imports/{id}"))
        .await;
    assert_eq!(unchanged, draft, "a refused correction changes nothing");

    let split = app
        .planner_expects(
            200,
            &path,
            json!({"revision": 0, "op": "split", "section": 1, "line": 3, "number": "2.1", "title": "Framdriftsplan"}),
        )
        .await;
    assert_eq!(split["revision"], 1);
    let moved = split["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .find(|w| w["code"] == "looks_like_lost_table")
        .expect("the chart is still pointed out")
        .clone();
    assert_eq!(
        (moved["section"].clone(), moved["first_line"].clone()),
        (json!(2), json!(1))
    );
    let leveled = app
        .planner_expects(
            200,
            &path,
            json!({"revision": 1, "op": "set_level", "section": 2, "level": 2}),
        )
        .await;
    let renamed = app
        .planner_expects(200, &path, json!({"revision": 2, "op": "rename", "section": 3, "number": "3", "title": "Rullering"}))
        .await;
    let merged = app
        .planner_expects(
            200,
            &path,
            json!({"revision": 3, "op": "merge_up", "section": 1}),
        )
        .await;
    assert_eq!(leveled["revision"], 2);
    assert_eq!(renamed["revision"], 3);
    assert_eq!(
        outline(&merged),
        expected(&[
            ("1", "Innleiing", 1),
            ("2.1", "Framdriftsplan", 2),
            ("3", "Rullering", 1),
        ])
    );

    let confirmed = app
        .planner_expects(201, &format!("/api/v1/imports/{id}/confirm"), json!({}))
        .await;
    let (_, document) = app
        .get_json_as_planner(&format!(
            "/api/v1/documents/{}",
            confirmed["document_id"].as_str().expect("document")
        ))
        .await;
    assert_eq!(
        outline(&document),
        outline(&merged),
        "the document holds the corrected outline"
    );
    let late = app
        .planner_expects(
            409,
            &path,
            json!({"revision": 4, "op": "merge_up", "section": 1}),
        )
        .await;
    assert_eq!(late["error"], "import_confirmed");
    app.stop().await.expect("stops");
}

fn form(fields: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

#[tokio::test]
async fn the_preview_shows_the_lost_table_and_its_forms_correct_the_outline() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let doc = app.draft_document("outline-form").await;
    let client = signed_in_planner(&app, "kari@testvik.example").await;
    let uploaded = client
        .post(app.url("/planner/import"))
        .multipart(
            reqwest::multipart::Form::new()
                .text("plan_id", doc.plan_id.clone())
                .text("format", "text")
                .part(
                    "file",
                    reqwest::multipart::Part::bytes(PROGRAMME.as_bytes().to_vec())
                        .file_name("planprogram.txt"),
                ),
        )
        .send()
        .await
        .expect("upload");
    assert_eq!(uploaded.status(), 303);
    let preview = uploaded.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let action = format!("{preview}/outline");

    // The warning names the part and its lines, in every language, and links to the part.
    for (lang, words) in [
        ("nn", "2 «Framdrift», linje 3–7: ser ut som ein tabell"),
        ("nb", "2 «Framdrift», linje 3–7: ser ut som en tabell"),
        (
            "en",
            "2 «Framdrift», lines 3–7: looks like a table or chart",
        ),
    ] {
        let page = app.page(&client, &format!("{preview}?lang={lang}")).await;
        assert!(page.contains(words), "{lang}: {page}");
        assert!(page.contains("href=\"#part-1\""), "{lang}");
    }

    // A refused correction is shown beside the part's field, and nothing changes.
    let refused = client
        .post(app.url(&format!("{action}?lang=nn")))
        .form(&form(&[
            ("revision", "0"),
            ("op", "rename"),
            ("section", "1"),
            ("number", "2"),
            ("title", ""),
        ]))
        .send()
        .await
        .expect("post");
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.expect("html");
    assert!(page.contains("id=\"part-1-error\""), "{page}");
    assert!(page.contains("Kvar del treng ein tittel"), "{page}");
    assert!(
        page.contains("id=\"p1-title\" name=\"title\" maxlength=\"300\" required value=\"Framdrift\" aria-invalid=\"true\" aria-describedby=\"part-1-error\""),
        "{page}"
    );
    let merge_first = client
        .post(app.url(&format!("{action}?lang=en")))
        .form(&form(&[
            ("revision", "0"),
            ("op", "merge_up"),
            ("section", "0"),
        ]))
        .send()
        .await
        .expect("post");
    assert_eq!(merge_first.status(), 422);
    assert!(
        merge_first
            .text()
            .await
            .expect("html")
            .contains("The first part has no part above it")
    );

    // Split the chart off with the line it starts at, then make it a subchapter.
    let split = client
        .post(app.url(&action))
        .form(&form(&[
            ("revision", "0"),
            ("op", "split"),
            ("section", "1"),
            ("line", "3"),
            ("number", ""),
            ("title", ""),
        ]))
        .send()
        .await
        .expect("post");
    assert_eq!(split.status(), 303);
    assert_eq!(
        split.headers()["location"].to_str().expect("ascii"),
        format!("{preview}#part-2")
    );
    let leveled = client
        .post(app.url(&action))
        .form(&form(&[
            ("revision", "1"),
            ("op", "set_level"),
            ("section", "2"),
            ("level", "2"),
        ]))
        .send()
        .await
        .expect("post");
    assert_eq!(leveled.status(), 303);
    // The same form sent again (an old page, a double click) changes nothing.
    let again = client
        .post(app.url(&format!("{action}?lang=nn")))
        .form(&form(&[
            ("revision", "1"),
            ("op", "set_level"),
            ("section", "2"),
            ("level", "3"),
        ]))
        .send()
        .await
        .expect("post");
    assert_eq!(again.status(), 409);
    assert!(
        again
            .text()
            .await
            .expect("html")
            .contains("Inndelinga er endra")
    );

    let page = app.page(&client, &format!("{preview}?lang=nn")).await;
    assert!(page.contains("class=\"outline-part level-2\""), "{page}");
    // Without a title, the line itself became the new part's title.
    assert!(
        page.contains("<span class=\"part-number\">–</span> Framdrift 2023</h2>"),
        "{page}"
    );

    let confirmed = client
        .post(app.url(&format!("{preview}/confirm")))
        .send()
        .await
        .expect("confirm");
    assert_eq!(confirmed.status(), 303);
    let document = confirmed.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let page = app.page(&client, &document).await;
    assert!(page.contains("Framdrift 2023"), "{page}");
    // After the confirm, the preview's forms lead to the document.
    let late = client
        .post(app.url(&action))
        .form(&form(&[
            ("revision", "2"),
            ("op", "merge_up"),
            ("section", "2"),
        ]))
        .send()
        .await
        .expect("post");
    assert_eq!(late.status(), 303);
    assert_eq!(
        late.headers()["location"].to_str().expect("ascii"),
        document
    );
    app.stop().await.expect("stops");
}
