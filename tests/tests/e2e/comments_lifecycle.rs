//! What happens to a comment after it is posted: support, edits with history, deletion
//! by the author, reports and moderation — through the real server, real websocket
//! clients and the SMTP sink.

use reqwest::{Client, Method};
use serde_json::json;
use tests::ws::next_json;
use tests::{Backend, OpenHearing, TestApp, spawn_app};

async fn post_comment(app: &TestApp, client: &Client, h: &OpenHearing, body: &str) -> String {
    let (status, comment) = app
        .send(
            client,
            Method::POST,
            &h.comments_path(),
            Some(json!({"section_id": h.section(), "author_name": "Eldrerådet", "body": body})),
        )
        .await;
    assert_eq!(status, 201, "{comment}");
    comment["id"].as_str().expect("id").to_owned()
}

#[tokio::test]
async fn support_counts_once_per_person_and_arrives_live() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let author = app.citizen("forfattar@example.org", "Ola Nordmann").await;
    let id = post_comment(&app, &author, &h, "Vi treng betre buss.").await;
    let mut ws = app.subscribed(&h.document_room(), None, None).await;

    // Anonymous readers must sign in first; nothing is stored.
    let (status, body) = app
        .send(
            &app.http,
            Method::POST,
            &format!("/api/v1/comments/{id}/support"),
            None,
        )
        .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(body["error"], "sign_in_required");

    let reader = app.citizen("lesar@example.org", "Ola Nordmann").await;
    for _ in 0..2 {
        let (status, body) = app
            .send(
                &reader,
                Method::POST,
                &format!("/api/v1/comments/{id}/support"),
                None,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            body["supporters"], 1,
            "a second support by the same person changes nothing"
        );
    }
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_supported");
    assert_eq!(event["event"]["data"]["supporters"], 1);
    assert_eq!(event["event"]["data"]["comment_id"], id.as_str());

    let (status, body) = app
        .send(
            &author,
            Method::POST,
            &format!("/api/v1/comments/{id}/support"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["supporters"], 2);
    assert_eq!(next_json(&mut ws).await["event"]["data"]["supporters"], 2);
    assert_eq!(app.listed_comment(&h, &id).await["supporters"], 2);

    let (status, body) = app
        .send(
            &reader,
            Method::DELETE,
            &format!("/api/v1/comments/{id}/support"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(body["supporters"], 1);
    assert_eq!(next_json(&mut ws).await["event"]["data"]["supporters"], 1);

    // The HTML form toggles too, and the page shows the count.
    let response = reader
        .post(app.url(&format!("/comments/{id}/support")))
        .form(&[("on", "1")])
        .send()
        .await
        .expect("form");
    assert_eq!(response.status(), 303);
    let html = app.page(&reader, &h.page_path()).await;
    assert!(html.contains("2 personar er einige"), "{html}");
    assert!(html.contains("aria-pressed=\"true\""));
    let anonymous = app.page(&app.http, &h.page_path()).await;
    assert!(anonymous.contains("Logg inn for å seie at du er einig"));
}

#[tokio::test]
async fn the_author_edits_within_the_window_and_history_is_kept() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let author = app.citizen("forfattar@example.org", "Ola Nordmann").await;
    let other = app.citizen("annan@example.org", "Ola Nordmann").await;
    let id = post_comment(&app, &author, &h, "Første utkast.").await;
    let mut ws = app.subscribed(&h.document_room(), None, None).await;
    let path = format!("/api/v1/comments/{id}");

    // Someone else, or nobody, may not edit or delete: nothing changes.
    let (status, body) = app
        .send(&other, Method::PATCH, &path, Some(json!({"body": "Kapra"})))
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "forbidden");
    let (status, _) = app
        .send(
            &app.http,
            Method::PATCH,
            &path,
            Some(json!({"body": "Kapra"})),
        )
        .await;
    assert_eq!(status, 403);
    let (status, _) = app.send(&other, Method::DELETE, &path, None).await;
    assert_eq!(status, 403);
    let (status, _) = app
        .send(
            &author,
            Method::PATCH,
            "/api/v1/comments/00000000-0000-0000-0000-000000000000",
            Some(json!({"body": "x"})),
        )
        .await;
    assert_eq!(status, 404);
    assert_eq!(app.listed_comment(&h, &id).await["body"], "Første utkast.");

    let xss = "<script>alert(1)</script> Andre utkast.";
    let (status, body) = app
        .send(&author, Method::PATCH, &path, Some(json!({"body": xss})))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["body"], xss);
    assert!(body["edited_at"].is_string());
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_edited");
    assert_eq!(event["event"]["data"]["body"], xss);

    // The same text again is a no-op: no new revision, no event.
    let (status, _) = app
        .send(&author, Method::PATCH, &path, Some(json!({"body": xss})))
        .await;
    assert_eq!(status, 200);
    let (status, _) = app
        .send(&author, Method::PATCH, &path, Some(json!({"body": ""})))
        .await;
    assert_eq!(status, 422);

    // Neither announced anything: the next event in the room is the next change.
    let (status, _) = app
        .send(
            &other,
            Method::POST,
            &format!("/api/v1/comments/{id}/support"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let next = next_json(&mut ws).await;
    assert_eq!(next["event"]["type"], "comment_supported", "{next}");

    let (status, revisions) = app.get_json(&format!("{path}/revisions")).await;
    assert_eq!(status, 200);
    assert_eq!(revisions.as_array().expect("list").len(), 1);
    assert_eq!(revisions[0]["body"], "Første utkast.");

    let html = app.page(&app.http, &h.page_path()).await;
    assert!(
        html.contains("&lt;script&gt;alert(1)"),
        "the edited text is shown as text"
    );
    assert!(html.contains("Andre utkast."));
    assert!(!html.contains("<script>alert(1)"));
    assert!(html.contains("Tidlegare versjonar av kommentaren"));
    assert!(html.contains("Første utkast."));

    // Sixteen minutes later the window is closed.
    backdate(&app, xss).await;
    let (status, body) = app
        .send(
            &author,
            Method::PATCH,
            &path,
            Some(json!({"body": "Tredje"})),
        )
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "edit_window_closed");
    assert_eq!(app.listed_comment(&h, &id).await["body"], xss);
    let (_, revisions) = app.get_json(&format!("{path}/revisions")).await;
    assert_eq!(revisions.as_array().expect("list").len(), 1);
}

/// Moves the comment with this text 16 minutes into the past (ids are BLOBs on SQLite,
/// so it is found by its text).
async fn backdate(app: &TestApp, body: &str) {
    let when = (jiff::Timestamp::now() - jiff::SignedDuration::from_mins(16)).to_string();
    let sql = match Backend::from_env() {
        Backend::Postgres => format!(
            "UPDATE comment SET created_at = '{when}'::timestamptz WHERE body = '{}'",
            body.replace('\'', "''")
        ),
        Backend::Sqlite => format!(
            "UPDATE comment SET created_at = '{}' WHERE body = '{}'",
            when.replace('T', " ").replace('Z', "+00:00"),
            body.replace('\'', "''")
        ),
    };
    app.db.execute_unprepared(&sql).await.expect("backdate");
}

#[tokio::test]
async fn a_deleted_comment_stays_in_the_record_without_its_text() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let author = app.citizen("forfattar@example.org", "Ola Nordmann").await;
    let id = post_comment(&app, &author, &h, "Dette angrar eg på.").await;
    // Posted with the planner's token: published at once, without a confirmation.
    let (status, reply) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{}/comments", h.id),
            json!({"section_id": h.section(), "author_name": "Svarar", "body": "Eit svar som blir ståande.", "parent_id": id}),
        )
        .await;
    assert_eq!(status, 201, "{reply}");
    let mut ws = app.subscribed(&h.document_room(), None, None).await;

    let (status, body) = app
        .send(
            &author,
            Method::DELETE,
            &format!("/api/v1/comments/{id}"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "deleted");
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_deleted");
    assert!(event["event"]["data"].get("body").is_none());

    let public = app.listed_comment(&h, &id).await;
    assert_eq!(public["status"], "deleted");
    assert_eq!(public["body"], "");
    let (_, planner_view) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{}/comments", h.id))
        .await;
    let kept = planner_view
        .as_array()
        .expect("list")
        .iter()
        .find(|c| c["id"] == id.as_str())
        .expect("listed");
    assert_eq!(
        kept["body"], "Dette angrar eg på.",
        "the planner still has the text"
    );

    let html = app.page(&app.http, &h.page_path()).await;
    assert!(html.contains("Kommentaren er sletta."));
    assert!(!html.contains("Dette angrar eg på."));
    assert!(
        !html.contains(&format!("name=\"parent_id\" value=\"{id}\"")),
        "a deleted comment offers no reply form"
    );
    assert!(html.contains("Eit svar som blir ståande."));
    // Editing a deleted comment is refused.
    let (status, _) = app
        .send(
            &author,
            Method::PATCH,
            &format!("/api/v1/comments/{id}"),
            Some(json!({"body": "Ny"})),
        )
        .await;
    assert_eq!(status, 409);
}

#[tokio::test]
async fn three_reports_hide_a_comment_two_do_not_and_a_planner_decides() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let author = app.citizen("forfattar@example.org", "Ola Nordmann").await;
    let id = post_comment(&app, &author, &h, "Ein stygg kommentar.").await;
    let mut ws = app.subscribed(&h.document_room(), None, None).await;
    let report = format!("/api/v1/comments/{id}/reports");

    // An API token acts for the municipality, not as a reader: it cannot report.
    let response = app
        .as_planner(Method::POST, &report)
        .json(&json!({}))
        .send()
        .await
        .expect("report");
    assert_eq!(response.status(), 401);

    let first = app.citizen("a@example.org", "Ola Nordmann").await;
    let second = app.citizen("b@example.org", "Ola Nordmann").await;
    let third = app.citizen("c@example.org", "Ola Nordmann").await;
    let xss = "<img src=x onerror=alert(1)>";
    let (status, body) = app
        .send(&first, Method::POST, &report, Some(json!({"reason": xss})))
        .await;
    assert_eq!(status, 201, "{body}");
    // The same person again does not count twice.
    let (status, body) = app
        .send(
            &first,
            Method::POST,
            &report,
            Some(json!({"reason": "igjen"})),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["recorded"], false);
    let (status, _) = app
        .send(&second, Method::POST, &report, Some(json!({})))
        .await;
    assert_eq!(status, 201);
    assert_eq!(
        app.listed_comment(&h, &id).await["status"],
        "published",
        "two reports do not hide"
    );

    let (status, body) = app
        .send(
            &third,
            Method::POST,
            &report,
            Some(json!({"reason": "Personangrep"})),
        )
        .await;
    assert_eq!(status, 201);
    assert_eq!(body["comment"]["status"], "pending_review");
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_hidden");
    assert_eq!(event["event"]["data"]["pending_review"], true);
    let public = app.listed_comment(&h, &id).await;
    assert_eq!(public["body"], "");
    let html = app.page(&app.http, &h.page_path()).await;
    assert!(html.contains("Kommentaren er skjult i påvente av vurdering."));
    assert!(!html.contains("Ein stygg kommentar."));

    // The workbench lists it; the report reason is shown as text.
    let planner = tests::signed_in_planner(&app, "planleggjar@testvik.example").await;
    let workbench = planner
        .get(app.url(&format!("/planner/hearings/{}", h.id)))
        .send()
        .await
        .expect("workbench")
        .text()
        .await
        .expect("html");
    assert!(workbench.contains("Ein stygg kommentar."), "{workbench}");
    assert!(workbench.contains("&lt;img src=x onerror=alert(1)&gt;"));
    assert!(!workbench.contains(xss));

    // Others may not moderate; hiding needs a reason.
    let (status, _) = app
        .send(
            &first,
            Method::POST,
            &format!("/api/v1/comments/{id}/hide"),
            Some(json!({"reason": "x"})),
        )
        .await;
    assert_eq!(status, 403);
    let (status, body) = app
        .post_as_planner(&format!("/api/v1/comments/{id}/hide"), json!({}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"], "reason_required");

    // A planner restores it: shown again, the reports are resolved.
    let (status, body) = app
        .post_as_planner(&format!("/api/v1/comments/{id}/restore"), json!({}))
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "published");
    assert_eq!(
        next_json(&mut ws).await["event"]["type"],
        "comment_restored"
    );

    // Hidden by the planner's own form, with a reason: logged and the author is emailed.
    let response = planner
        .post(app.url(&format!("/planner/comments/{id}/hide")))
        .form(&[("reason", "Personangrep mot ein tilsett.")])
        .send()
        .await
        .expect("hide");
    assert_eq!(response.status(), 303);
    let event = next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_hidden");
    assert_eq!(event["event"]["data"]["pending_review"], false);
    assert_eq!(app.listed_comment(&h, &id).await["status"], "hidden");
    let html = app.page(&app.http, &h.page_path()).await;
    assert!(html.contains("Kommentaren er skjult av kommunen."));

    let mail = app
        .mail_to("forfattar@example.org", "Personangrep mot ein tilsett.")
        .await;
    assert!(mail.text().contains("Ein stygg kommentar."));

    let workbench = planner
        .get(app.url(&format!("/planner/hearings/{}", h.id)))
        .send()
        .await
        .expect("workbench")
        .text()
        .await
        .expect("html");
    assert!(
        workbench.contains("planleggjar@testvik.example"),
        "who is logged"
    );
    assert!(workbench.contains("Skjult etter meldingar"));
}

/// Posts the hearing page's comment form and returns the status and the page.
async fn post_form(
    app: &TestApp,
    client: &Client,
    hearing: &str,
    fields: &[(&str, &str)],
) -> (u16, String) {
    let response = client
        .post(app.url(&format!("/hearings/{hearing}/comments")))
        .form(fields)
        .send()
        .await
        .expect("form");
    let status = response.status().as_u16();
    (status, response.text().await.expect("html"))
}

async fn comment_count(app: &TestApp, hearing: &str) -> usize {
    let (status, comments) = app
        .get_json_as_planner(&format!("/api/v1/hearings/{hearing}/comments"))
        .await;
    assert_eq!(status, 200, "{comments}");
    comments.as_array().expect("list").len()
}

#[tokio::test]
async fn the_comment_form_says_forbidden_when_the_reader_may_read_but_not_comment() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    // On the municipality's staff, but neither a planner of the plan nor in its groups:
    // may read a hearing for invited participants, not comment on it.
    let colleague = tests::signed_in_planner(&app, "kollega@testvik.example").await;
    let h = app
        .open_hearing_with("helse", json!({"audience": "invited"}))
        .await;
    let id = h.id.as_str();

    let (status, body) = app
        .send(
            &colleague,
            Method::POST,
            &format!("/api/v1/hearings/{id}/comments"),
            Some(json!({"section_id": h.section(), "body": "Frå ein kollega."})),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"], "forbidden");

    let (status, html) = post_form(
        &app,
        &colleague,
        id,
        &[("section_id", h.section()), ("body", "Frå ein kollega.")],
    )
    .await;
    assert_eq!(status, 403, "the form refuses as the API does");
    assert!(
        html.contains("Du har ikkje tilgang til å kommentere denne høyringa."),
        "{html}"
    );
    assert!(
        !html.contains("Høyringa tek ikkje imot innspel no."),
        "the hearing is open; the reader may not comment"
    );
    assert!(html.contains("Frå ein kollega."), "what was typed is kept");
    assert_eq!(comment_count(&app, id).await, 0, "nothing is stored");
}

#[tokio::test]
async fn the_comment_form_refuses_an_answer_to_something_that_is_not_a_comment() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let reader = app.citizen("lesar@example.org", "Lesar").await;

    for parent in [
        "ikkje-ein-kommentar",
        "00000000-0000-0000-0000-000000000000",
    ] {
        let (status, body) = app
            .send(
                &reader,
                Method::POST,
                &format!("/api/v1/hearings/{}/comments", h.id),
                Some(json!({"section_id": h.section(), "body": "Eit svar.", "parent_id": parent})),
            )
            .await;
        assert_eq!(status, 422, "{body}");

        let (status, html) = post_form(
            &app,
            &reader,
            &h.id,
            &[
                ("section_id", h.section()),
                ("body", "Eit svar som ikkje høyrer til nokon."),
                ("parent_id", parent),
            ],
        )
        .await;
        assert_eq!(status, 422, "an answer to {parent:?} is refused");
        assert!(
            html.contains("Vi fann ikkje kommentaren du svarar på i dette kapitlet"),
            "{html}"
        );
        assert!(html.contains("Eit svar som ikkje høyrer til nokon."));
        assert_eq!(comment_count(&app, &h.id).await, 0, "nothing is stored");
    }

    // An empty parent is a comment of its own.
    let (status, _) = post_form(
        &app,
        &reader,
        &h.id,
        &[
            ("section_id", h.section()),
            ("body", "Ein eigen kommentar."),
            ("parent_id", ""),
        ],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(comment_count(&app, &h.id).await, 1);
}

/// Posts a comment's deletion form as `client`, with the fields given.
async fn post_delete(
    app: &TestApp,
    client: &Client,
    id: &str,
    fields: &[(&str, &str)],
) -> reqwest::Response {
    client
        .post(app.url(&format!("/comments/{id}/delete")))
        .form(fields)
        .send()
        .await
        .expect("form")
}

/// The `<li>` of comment `id` in a hearing page, up to the next comment.
fn comment_item<'a>(html: &'a str, id: &str) -> &'a str {
    let start = html
        .find(&format!("id=\"comment-{id}\""))
        .expect("the comment is on the page");
    let rest = &html[start..];
    // The item ends where the next comment or the section's writing form begins
    // (the page's own texts further down are not the comment's).
    let end = ["<li class=\"comment", "<details class=\"comment-compose\""]
        .iter()
        .filter_map(|marker| rest[1..].find(marker))
        .min()
        .map_or(rest.len(), |i| i + 1);
    &rest[..end]
}

#[tokio::test]
async fn deleting_on_the_page_asks_first_and_leaves_a_plain_note_without_a_reply_form() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let author = app.citizen("forfattar@example.org", "Ola Nordmann").await;
    let other = app.citizen("annan@example.org", "Kari Annan").await;
    let id = post_comment(&app, &author, &h, "Dette vil eg slette.").await;

    // The page's delete button only opens the question; the form inside confirms.
    let page = app.page(&author, &h.page_path()).await;
    let item = comment_item(&page, &id);
    let ask = item
        .find("<details class=\"comment-delete\">")
        .expect("deleting is folded behind a question");
    assert!(
        item[ask..].contains(&format!("action=\"/comments/{id}/delete\"")),
        "{item}"
    );
    assert!(
        item[ask..].contains("<input type=\"hidden\" name=\"confirm\" value=\"yes\">"),
        "{item}"
    );
    assert!(item[ask..].contains("Vil du slette kommentaren?"), "{item}");

    // Sent without the confirmation (JavaScript or not), the form is answered with a
    // page that asks; nothing is deleted.
    let unconfirmed = post_delete(&app, &author, &id, &[]).await;
    assert_eq!(unconfirmed.status(), 200);
    let asked = unconfirmed.text().await.expect("html");
    assert!(asked.contains("Slette kommentaren?"), "{asked}");
    assert!(
        asked.contains("Dette vil eg slette."),
        "it shows what would go"
    );
    assert!(asked.contains("Ja, slett kommentaren"), "{asked}");
    assert!(asked.contains(&format!("href=\"/hearings/{}#comment-{id}\"", h.id)));
    assert_eq!(app.listed_comment(&h, &id).await["status"], "published");
    let (status, _) = app
        .page_status(&author, &format!("/comments/{id}/delete?lang=en"))
        .await;
    assert_eq!(status, 200, "the question is a page of its own too");
    // Nobody else is asked, and nobody else may.
    let (status, _) = app
        .page_status(&other, &format!("/comments/{id}/delete"))
        .await;
    assert_eq!(status, 403);
    assert_eq!(
        post_delete(&app, &other, &id, &[("confirm", "yes")])
            .await
            .status(),
        403
    );
    assert_eq!(app.listed_comment(&h, &id).await["status"], "published");

    // Confirmed: deleted, and back to the message by the comment.
    let confirmed = post_delete(&app, &author, &id, &[("confirm", "yes")]).await;
    assert_eq!(confirmed.status(), 303);
    assert_eq!(
        confirmed.headers()["location"],
        format!("/hearings/{}?done=deleted&comment={id}#status", h.id).as_str()
    );
    assert_eq!(app.listed_comment(&h, &id).await["status"], "deleted");
    let page = app
        .page(
            &author,
            &format!("/hearings/{}?done=deleted&comment={id}", h.id),
        )
        .await;
    let item = comment_item(&page, &id);
    assert!(
        item.contains("<p class=\"notice success\" role=\"status\" id=\"status\" tabindex=\"-1\">Kommentaren er sletta.</p>"),
        "the message is by the comment: {item}"
    );
    assert!(item.contains("<em>Kommentaren er sletta.</em>"), "{item}");
    assert!(!item.contains("Dette vil eg slette."));
    assert!(
        !item.contains("skreiv"),
        "no \"… skreiv\" without a name: {item}"
    );
    assert!(!item.contains("reply-box"), "no reply form: {item}");
    assert!(!item.contains("/delete"), "nothing left to delete: {item}");
    for (lang, note) in [
        ("nb", "<em>Kommentaren er slettet.</em>"),
        ("en", "<em>The comment was deleted.</em>"),
    ] {
        let page = app
            .page(&app.http, &format!("{}?lang={lang}", h.page_path()))
            .await;
        assert!(comment_item(&page, &id).contains(note), "{lang}");
    }
}

#[tokio::test]
async fn the_comment_form_is_folded_and_answers_at_its_message() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("helse").await;
    let reader = app.citizen("lesar@example.org", "Lesar").await;
    let id = h.id.as_str();
    let section = h.section();

    let page = app.page(&reader, &h.page_path()).await;
    assert!(
        page.contains(&format!(
            "<details class=\"comment-compose\" id=\"compose-{section}\">\n    <summary>Skriv ein kommentar til "
        )),
        "folded behind one button: {page}"
    );
    assert!(
        page.contains("<a href=\"#contents\">Tilbake til innhaldet</a>"),
        "every section leads back to the contents"
    );

    let response = reader
        .post(app.url(&format!("/hearings/{id}/comments")))
        .form(&[("section_id", section), ("body", "Godt forslag.")])
        .send()
        .await
        .expect("form");
    assert_eq!(response.status(), 303);
    assert_eq!(
        response.headers()["location"],
        format!("/hearings/{id}?posted={section}#status-{section}").as_str(),
        "the answer opens at the message, not at the top"
    );
    let page = app
        .page(&reader, &format!("/hearings/{id}?posted={section}"))
        .await;
    assert!(
        page.contains(&format!(
            "role=\"status\" id=\"status-{section}\" tabindex=\"-1\">Takk!"
        )),
        "{page}"
    );

    // Refused: shown again open, with the reason where the page opens.
    let (status, html) = post_form(
        &app,
        &reader,
        id,
        &[("section_id", section), ("body", "  ")],
    )
    .await;
    assert_eq!(status, 422);
    assert!(
        html.contains(&format!(
            "<details class=\"comment-compose\" id=\"compose-{section}\" open>"
        )),
        "{html}"
    );
    assert!(html.contains(&format!(
        "action=\"/hearings/{id}/comments#error-{section}\""
    )));
    assert!(html.contains(&format!("id=\"error-{section}\" tabindex=\"-1\"")));
}
