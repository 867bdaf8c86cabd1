//! The planner's forms refused: the page comes back with what was typed, an error
//! summary at the top linking to each field, and each message beside its field,
//! tied to it with `aria-describedby` and marked `aria-invalid` (WCAG 3.3.1, 3.3.3).
//! Also what the forms fill in themselves (a plan's short name, a hearing's contact)
//! and the rows the hearing page fetches when input arrives live.

use reqwest::Client;
use serde_json::json;
use tests::{Backend, TestApp, spawn_app};

/// The start tag of the element with `id`.
fn tag<'a>(html: &'a str, id: &str) -> &'a str {
    let at = html
        .find(&format!(" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no element #{id} in:\n{html}"));
    let start = html[..at].rfind('<').expect("a start tag");
    let end = at + html[at..].find('>').expect("the tag's end");
    &html[start..=end]
}

/// The text of the element with `id` (up to its first child or end tag).
fn text<'a>(html: &'a str, id: &str) -> &'a str {
    let start_tag = tag(html, id);
    let at = html.find(start_tag).expect("the tag") + start_tag.len();
    let end = at + html[at..].find('<').expect("an end tag");
    html[at..end].trim()
}

/// Checks that the input `id` is refused with `message`, beside it and in the summary.
fn refused(html: &str, id: &str, message: &str) {
    let input = tag(html, id);
    assert!(input.contains(r#"aria-invalid="true""#), "{input}");
    assert!(
        input.contains(&format!(r#"aria-describedby="{id}-error"#)),
        "the field names its message first: {input}"
    );
    assert_eq!(text(html, &format!("{id}-error")), message, "beside #{id}");
    let summary = &html[html.find(r#"id="error-summary""#).expect("a summary")..];
    let link = format!(r##"<a href="#{id}">"##);
    assert!(summary.contains(&link), "the summary links to #{id}");
    // The summary comes before the form, at the top of the page.
    assert!(
        html.find(r#"id="error-summary""#) < html.find(&format!(" id=\"{id}\"")),
        "the summary is above the field"
    );
}

fn not_refused(html: &str, id: &str) {
    assert!(!tag(html, id).contains("aria-invalid"), "{}", tag(html, id));
}

async fn post(app: &TestApp, client: &Client, path: &str, form: &[(&str, &str)]) -> (u16, String) {
    let response = client
        .post(app.url(path))
        .form(form)
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().expect("ascii").to_owned());
    match location {
        Some(location) if status == 303 => (status, location),
        _ => (status, response.text().await.expect("html")),
    }
}

#[tokio::test]
async fn the_new_plan_form_keeps_what_was_typed_and_tells_each_error_beside_its_field() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let client = tests::signed_in_planner(&app, "kari@testvik.example").await;
    let typed = [
        ("title", "Plan for <eldre> & unge"),
        ("slug", "Ugyldig kortnamn"),
        ("sector", "Helse"),
        ("period_start", "2030"),
        ("period_end", "2020"),
        ("contact_email", "plan@testvik.example"),
    ];
    let (status, html) = post(&app, &client, "/planner/plans", &typed).await;
    assert_eq!(status, 422, "{html}");
    refused(
        &html,
        "plan-end",
        "Skriv planperioden som årstal, med sluttåret etter startåret.",
    );
    not_refused(&html, "plan-start");
    assert!(tag(&html, "plan-title").contains(r#"value="Plan for &lt;eldre&gt; &amp; unge""#));
    assert!(tag(&html, "plan-sector").contains(r#"value="Helse""#));
    assert!(tag(&html, "plan-end").contains(r#"value="2020""#));

    // The next problem, in English: the slug, whose help stays described too.
    let mut typed = typed;
    typed[4].1 = "2033";
    let (status, html) = post(&app, &client, "/planner/plans?lang=en", &typed).await;
    assert_eq!(status, 422, "{html}");
    refused(
        &html,
        "plan-slug",
        "Use lower-case letters (a–z), digits and single hyphens, and start with a letter.",
    );
    assert!(tag(&html, "plan-slug").contains(r#"aria-describedby="plan-slug-error slug-help""#));
    assert!(html.contains("There is a problem with the form"), "{html}");
    assert!(tag(&html, "plan-slug").contains(r#"value="Ugyldig kortnamn""#));
    // Nothing was stored.
    let municipality = app.municipality().await;
    assert!(
        app.db
            .plans_of(municipality.id)
            .await
            .expect("db")
            .is_empty()
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_new_plan_gets_its_short_name_from_the_title_and_the_planner_lands_on_its_page() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let client = tests::signed_in_planner(&app, "kari@testvik.example").await;
    let form = app.page(&client, "/planner/plans/new").await;
    let slug = tag(&form, "plan-slug");
    assert!(
        !slug.contains(" required"),
        "the short name may be left out: {slug}"
    );
    assert!(
        slug.contains(r#"pattern="[a-z][a-z0-9]*(-[a-z0-9]+)*""#),
        "{slug}"
    );
    assert!(form.contains(r#"src="/assets/plan_form.js""#));

    let typed = [
        ("title", "Særskilt plan for Ørsta og Åsane"),
        ("slug", ""),
        ("period_start", "2026"),
        ("period_end", "2030"),
    ];
    let (status, location) = post(&app, &client, "/planner/plans", &typed).await;
    assert_eq!(status, 303, "{location}");
    let municipality = app.municipality().await;
    let plans = app.db.plans_of(municipality.id).await.expect("db");
    assert_eq!(plans.len(), 1);
    assert_eq!(plans[0].slug, "saerskilt-plan-for-orsta-og-asane");
    assert_eq!(
        location,
        format!("/planner/plans/{}?done=created", plans[0].id)
    );
    let page = app.page(&client, &location).await;
    assert!(page.contains("Planen er oppretta."), "{page}");
    assert!(page.contains("saerskilt-plan-for-orsta-og-asane"));
    // The same title again gets a numbered short name rather than a refusal.
    let (status, _) = post(&app, &client, "/planner/plans", &typed).await;
    assert_eq!(status, 303);
    let slugs: Vec<String> = app
        .db
        .plans_of(municipality.id)
        .await
        .expect("db")
        .into_iter()
        .map(|p| p.slug)
        .collect();
    assert!(
        slugs.contains(&"saerskilt-plan-for-orsta-og-asane-2".to_owned()),
        "{slugs:?}"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn milestones_are_added_on_the_plans_page_and_a_bad_date_is_told_beside_its_field() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("milepaelar").await;
    let client = tests::signed_in_planner(&app, "kari@testvik.example").await;
    let path = format!("/planner/plans/{}/milestones", doc.plan_id);
    let (status, html) = post(
        &app,
        &client,
        &path,
        &[("title", "Vedtak"), ("due_on", "31.12.2027")],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    refused(&html, "ms-date", "Skriv datoen som ÅÅÅÅ-MM-DD.");
    not_refused(&html, "ms-title");
    assert!(tag(&html, "ms-title").contains(r#"value="Vedtak""#));
    assert!(tag(&html, "ms-date").contains(r#"value="31.12.2027""#));
    let (status, location) = post(
        &app,
        &client,
        &path,
        &[("title", "Vedtak"), ("due_on", "2027-12-31")],
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        location,
        format!("/planner/plans/{}?done=milestone", doc.plan_id)
    );
    let page = app.page(&client, &location).await;
    assert!(page.contains("31. desember 2027"), "{page}");
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_new_hearing_form_fills_in_what_the_plan_knows_and_keeps_a_refused_form() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("ny-hoyring").await;
    let client = tests::signed_in_planner(&app, "kari@testvik.example").await;
    // Redundant entry (WCAG 3.3.7): the plan's contact address and the planner's name.
    let form = app
        .page(
            &client,
            &format!("/planner/hearings/new?plan={}", doc.plan_id),
        )
        .await;
    assert!(tag(&form, "contact-email").contains(r#"value="planleggjar@testvik.example""#));
    assert!(tag(&form, "contact-name").contains(r#"value="Kari Nordmann""#));
    assert!(tag(&form, "contact-name").contains(r#"autocomplete="name""#));

    let typed = [
        ("document_version_id", doc.version_id.as_str()),
        ("title", "Høyring om planprogrammet"),
        ("kind", "pbl"),
        ("audience", "public"),
        ("opens_on", "2027-01-04"),
        ("weeks", "4"),
        ("contact_email", "plan@testvik.example"),
    ];
    let (status, html) = post(&app, &client, "/planner/hearings", &typed).await;
    assert_eq!(status, 422, "{html}");
    let message = text(&html, "weeks-error").to_owned();
    assert!(message.contains("minst seks veker"), "{message}");
    refused(&html, "weeks", &message);
    assert!(tag(&html, "weeks").contains(r#"aria-describedby="weeks-error period-help""#));
    assert!(tag(&html, "title").contains(r#"value="Høyring om planprogrammet""#));
    assert!(tag(&html, "weeks").contains(r#"value="4""#));

    let mut typed = typed;
    typed[1].1 = " ";
    typed[5].1 = "6";
    let (status, html) = post(&app, &client, "/planner/hearings", &typed).await;
    assert_eq!(status, 422, "{html}");
    refused(&html, "title", "Fyll ut feltet.");
    not_refused(&html, "weeks");
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_hearing_pages_forms_tell_their_errors_beside_their_fields() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("skjema").await;
    let (status, draft) = app
        .post_as_planner(
            "/api/v1/hearings",
            json!({"document_version_id": doc.version_id, "title": "Utkast"}),
        )
        .await;
    assert_eq!(status, 201, "{draft}");
    let draft = draft["id"].as_str().expect("id").to_owned();
    let open = app.open_hearing_on(&doc.version_id, json!({})).await;
    let client = tests::signed_in_planner(&app, "kari@testvik.example").await;

    // Editing a draft: the typed title stays, the address is refused beside its field.
    let (status, html) = post(
        &app,
        &client,
        &format!("/planner/hearings/{draft}/edit"),
        &[
            ("document_version_id", doc.version_id.as_str()),
            ("title", "Nytt namn på utkastet"),
            ("contact_email", "ikkje ei adresse"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    refused(
        &html,
        "draft-contact-email",
        "Skriv ei e-postadresse, til dømes namn@kommune.no.",
    );
    assert!(tag(&html, "draft-title").contains(r#"value="Nytt namn på utkastet""#));
    assert!(tag(&html, "draft-contact-email").contains(r#"value="ikkje ei adresse""#));

    // Extending: both problems at once, each beside its field.
    let (status, html) = post(
        &app,
        &client,
        &format!("/planner/hearings/{open}/extend"),
        &[("deadline_on", "i morgon"), ("reason", "  ")],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    refused(&html, "new-deadline", "Skriv datoen som ÅÅÅÅ-MM-DD.");
    refused(&html, "reason", "Fyll ut feltet.");
    assert!(tag(&html, "reason").contains(r#"aria-describedby="reason-error reason-help""#));
    assert!(html.contains("Skjemaet har 2 problem"), "{html}");
    assert!(tag(&html, "new-deadline").contains(r#"value="i morgon""#));

    // The suggested deadline of a hearing over Christmas: a reason left empty is told
    // beside that form's own box, not the general extension form's.
    let (status, over_christmas) = app
        .post_as_planner(
            "/api/v1/hearings",
            json!({"document_version_id": doc.version_id, "title": "Over jula",
                   "opens_on": "2026-12-01", "weeks": 8}),
        )
        .await;
    assert_eq!(status, 201, "{over_christmas}");
    let over_christmas = over_christmas["id"].as_str().expect("id").to_owned();
    let (status, html) = post(
        &app,
        &client,
        &format!("/planner/hearings/{over_christmas}/extend"),
        &[
            ("deadline_on", "2027-02-04"),
            ("reason", " "),
            ("form", "suggested"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    refused(&html, "suggested-reason", "Fyll ut feltet.");
    not_refused(&html, "reason");
    not_refused(&html, "new-deadline");
    assert!(
        !tag(&html, "new-deadline").contains("2027-02-04"),
        "the general form is left as it was"
    );

    // Closing early without a reason.
    let (status, html) = post(
        &app,
        &client,
        &format!("/planner/hearings/{open}/state"),
        &[("action", "close"), ("reason", "")],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    refused(
        &html,
        "close-reason",
        "Skriv kvifor høyringa blir avslutta før fristen. Grunngjevinga blir vist på den offentlege sida.",
    );
    assert!(
        tag(&html, "close-reason")
            .contains(r#"aria-describedby="close-reason-error close-early-help""#)
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn group_and_member_forms_tell_their_errors_beside_their_fields() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let doc = app.draft_document("grupper").await;
    let client = tests::signed_in_planner(&app, "kari@testvik.example").await;
    let groups = format!("/planner/plans/{}/groups", doc.plan_id);
    let (status, html) = post(
        &app,
        &client,
        &groups,
        &[("kind", "reference_group"), ("name", "")],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    refused(&html, "group-name", "Fyll ut feltet.");
    assert!(!tag(&html, "group-kind").contains("aria-"));
    let (status, location) = post(
        &app,
        &client,
        &groups,
        &[("kind", "elder_council"), ("name", "Eldrerådet")],
    )
    .await;
    assert_eq!(status, 303, "{location}");
    let (status, html) = post(
        &app,
        &client,
        &groups,
        &[("kind", "elder_council"), ("name", "Eldrerådet")],
    )
    .await;
    assert_eq!(status, 409, "{html}");
    refused(
        &html,
        "group-name",
        "Planen har alt ei gruppe med dette namnet.",
    );
    assert!(tag(&html, "group-name").contains(r#"value="Eldrerådet""#));
    let selected = &html[html.find(r#"id="group-kind""#).expect("select")..];
    assert!(
        selected[..selected.find("</select>").expect("end")]
            .contains(r#"value="elder_council" selected"#)
    );

    let group = location.trim_start_matches("/planner/groups/").to_owned();
    let (status, html) = post(
        &app,
        &client,
        &format!("/planner/groups/{group}/invite"),
        &[
            ("name", "Ola Nordmann"),
            ("email", "ola@"),
            ("role", "member"),
            ("lang", "nn"),
        ],
    )
    .await;
    assert_eq!(status, 422, "{html}");
    refused(
        &html,
        "invite-email",
        "Skriv ei e-postadresse, til dømes namn@kommune.no.",
    );
    not_refused(&html, "invite-name");
    assert!(tag(&html, "invite-name").contains(r#"value="Ola Nordmann""#));
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_hearing_page_fetches_a_row_that_arrived_with_the_counts() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let hearing = app.open_hearing("rader").await;
    let other = app.open_hearing("andre").await;
    let client = tests::signed_in_planner(&app, "kari@testvik.example").await;
    let comment = app
        .comment_as_planner(&hearing, "Kari Nordmann", "Eldrerådet vil vere med.")
        .await;
    let comment = comment["id"].as_str().expect("id").to_owned();
    let row = app
        .page(
            &client,
            &format!("/planner/hearings/{}/rows/inputs/{comment}", hearing.id),
        )
        .await;
    assert!(
        tag(&row, &format!("input-{comment}")).starts_with("<tr"),
        "{row}"
    );
    assert!(row.contains("Eldrerådet vil vere med."), "{row}");
    assert_eq!(
        text(&row, "live-comment-count"),
        "1 innspel, 0 etter fristen"
    );
    assert_eq!(text(&row, "live-response-count"), "0 høyringssvar");
    // Another hearing's comment, or none, is not a row of this hearing.
    let (status, _) = app
        .page_status(
            &client,
            &format!("/planner/hearings/{}/rows/inputs/{comment}", other.id),
        )
        .await;
    assert_eq!(status, 404);
    let (status, _) = app
        .page_status(
            &client,
            &format!("/planner/hearings/{}/rows/responses/{comment}", hearing.id),
        )
        .await;
    assert_eq!(status, 404);
    // Nobody but the hearing's planners gets it.
    let (status, _) = app
        .page_status(
            &app.public(),
            &format!("/planner/hearings/{}/rows/inputs/{comment}", hearing.id),
        )
        .await;
    assert_eq!(status, 303);
    app.stop().await.expect("stops");
}
