//! Quoted passages on the hearing page: found in the text as readers see it, placed
//! for the page to mark, and found again in a later version of the document – or
//! reported gone.

use serde_json::{Value, json};
use tests::{Backend, TestApp, spawn_app};

const FIRST: &str = "Vi skal byggje **fleire** omsorgsbustader i sentrum.\n\nMeir personale i heimetenesta. Kostnad < 5 mill.";
const FIRST_TEXT: &str = "Vi skal byggje fleire omsorgsbustader i sentrum. Meir personale i heimetenesta. Kostnad < 5 mill.";
const SECOND: &str =
    "Innleiing om 😀 planen. Vi skal byggje fleire omsorgsbustader i sentrum og på bygdene.";
const SECOND_TEXT: &str = SECOND;

async fn comment(app: &TestApp, hearing: &str, section: &str, name: &str, quote: &str) -> Value {
    // The planner's token publishes at once (the public confirm their address first).
    let response = app
        .as_planner(
            reqwest::Method::POST,
            &format!("/api/v1/hearings/{hearing}/comments"),
        )
        .json(&json!({"section_id": section, "author_name": name, "body": "Merk dette.", "quote": quote}))
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 201, "{quote}");
    response.json().await.expect("json")
}

async fn page(app: &TestApp, hearing: &str) -> String {
    app.http
        .get(app.url(&format!("/hearings/{hearing}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html")
}

/// The opening tag of the element with `id`.
fn tag<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    let start = html[..at].rfind('<').expect("tag start");
    let end = at + html[at..].find('>').expect("tag end");
    &html[start..=end]
}

/// The text between the opening tag of `#id` and the next `</li>`.
fn item<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"{id}\""))
        .unwrap_or_else(|| panic!("no #{id}"));
    &html[at..at + html[at..].find("</li>").expect("end")]
}

/// The `data-passage` of a comment, as the UTF-16 range it names in `text`.
fn passage(html: &str, comment: &Value, text: &str) -> String {
    let id = format!("comment-{}", comment["id"].as_str().expect("id"));
    let opening = tag(html, &id);
    let value = opening
        .split("data-passage=\"")
        .nth(1)
        .unwrap_or_else(|| panic!("no data-passage in {opening}"));
    let value = &value[..value.find('"').expect("quote")];
    let (start, end) = value.split_once('-').expect("start-end");
    let units: Vec<u16> = text.encode_utf16().collect();
    String::from_utf16(&units[start.parse::<usize>().expect("n")..end.parse::<usize>().expect("n")])
        .expect("utf16")
}

#[tokio::test]
async fn quoted_passages_are_placed_in_the_text_and_found_again_in_a_new_version() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let (status, plan) = app
        .post_as_planner(
            "/api/v1/plans",
            json!({"slug": "sitat", "title": "Plan", "period_start": 2025, "period_end": 2035}),
        )
        .await;
    assert_eq!(status, 201);
    let (status, document) = app
        .post_as_planner(
            &format!(
                "/api/v1/plans/{}/documents",
                plan["id"].as_str().expect("id")
            ),
            json!({"kind": "plan_proposal", "title": "Planforslag", "sections": [
                {"number": "1", "title": "Bustader", "level": 1, "body": FIRST},
                {"number": "2", "title": "Roller", "level": 1, "body": "Kven gjer kva."}
            ]}),
        )
        .await;
    assert_eq!(status, 201, "{document}");
    let document_id = document["id"].as_str().expect("id").to_owned();
    let section = document["sections"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let first_hearing = app
        .open_hearing_on(document["version_id"].as_str().expect("v"), json!({}))
        .await;

    // Across bold text, as selected on the page; and text with a "<" in it.
    let kept = comment(
        &app,
        &first_hearing,
        &section,
        "Eldrerådet",
        "fleire omsorgsbustader i\nsentrum",
    )
    .await;
    let gone = comment(
        &app,
        &first_hearing,
        &section,
        "Ungdomsrådet",
        "Meir personale",
    )
    .await;
    let less = comment(&app, &first_hearing, &section, "Ola", "Kostnad < 5").await;
    let html = page(&app, &first_hearing).await;
    assert_eq!(
        passage(&html, &kept, FIRST_TEXT),
        "fleire omsorgsbustader i sentrum"
    );
    assert_eq!(passage(&html, &gone, FIRST_TEXT), "Meir personale");
    assert_eq!(passage(&html, &less, FIRST_TEXT), "Kostnad < 5");
    // The quote is text, never markup.
    assert!(
        html.contains("Kostnad &lt; 5</blockquote>"),
        "escaped quote"
    );
    assert!(!html.contains("passage-missing"));

    // Version 2: the first passage moved (after an emoji: UTF-16 counts it twice), the
    // second is gone.
    let (status, second) = app
        .post_as_planner(
            &format!("/api/v1/documents/{document_id}/versions"),
            json!({"sections": [
                {"number": "1", "title": "Bustader", "level": 1, "body": SECOND},
                {"number": "2", "title": "Roller", "level": 1, "body": "Kven gjer kva."}
            ]}),
        )
        .await;
    assert_eq!(status, 201, "{second}");
    let new_section = second["sections"][0]["id"].as_str().expect("id").to_owned();
    let second_hearing = app
        .open_hearing_on(second["version_id"].as_str().expect("v"), json!({}))
        .await;
    let html = page(&app, &second_hearing).await;
    let earlier = html
        .find("class=\"earlier-comments\"")
        .expect("comments on version 1 are listed");
    assert!(
        html[..earlier].contains(&format!("id=\"section-{new_section}\"")),
        "under the section they were made on"
    );
    assert_eq!(
        html.matches("class=\"earlier-comments\"").count(),
        1,
        "only that section has earlier comments"
    );
    assert_eq!(
        passage(&html, &kept, SECOND_TEXT),
        "fleire omsorgsbustader i sentrum"
    );
    let missing = item(
        &html,
        &format!("comment-{}", gone["id"].as_str().expect("id")),
    );
    assert!(
        !tag(
            &html,
            &format!("comment-{}", gone["id"].as_str().expect("id"))
        )
        .contains("data-passage")
    );
    assert!(
        missing.contains("class=\"passage-missing\""),
        "a passage that is gone says so: {missing}"
    );
    assert!(
        missing.contains("Meir personale"),
        "and still shows the quote"
    );
    app.stop().await.expect("graceful stop");
}
