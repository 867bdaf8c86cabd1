//! The planner's workbench around the register end to end: the plan's statistics
//! (JSON and the page with its charts and tables), the register's further filters,
//! the bulk actions over the API and the form without JavaScript, the rows the page
//! adds live, and a letter's sender in their export.

use serde_json::{Value, json};
use tests::fixtures::OpenHearing;
use tests::{Backend, TestApp, spawn_app};

async fn app() -> TestApp {
    spawn_app(Backend::from_env()).await.expect("app")
}

fn today() -> String {
    jiff::Timestamp::now()
        .to_zoned(jiff::tz::TimeZone::get("Europe/Oslo").expect("Oslo"))
        .date()
        .to_string()
}

fn letter(sender: &str, kind: &str, text: &str) -> Value {
    json!({
        "sender_name": sender,
        "sender_kind": kind,
        "channel": "letter",
        "received_on": today(),
        "text": text,
    })
}

async fn register(app: &TestApp, h: &OpenHearing, query: &str) -> Value {
    let (status, body) = app
        .get_json_as_planner(&format!("/api/v1/plans/{}/inputs{query}", h.plan_id))
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

fn column<'a>(register: &'a Value, key: &str) -> Vec<&'a Value> {
    register["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| &i[key])
        .collect()
}

fn ids(register: &Value) -> Vec<String> {
    column(register, "id")
        .into_iter()
        .map(|v| v.as_str().expect("id").to_owned())
        .collect()
}

/// Three comments on the first section and a letter from an organisation.
async fn four_inputs(app: &TestApp, slug: &str) -> OpenHearing {
    let h = app.open_hearing(slug).await;
    for body in ["Fleire benkar.", "Betre bussar.", "Meir lys langs vegen."] {
        app.comment_as_planner(&h, "Kari", body).await;
    }
    app.planner_expects(
        201,
        &format!("/api/v1/plans/{}/letters", h.plan_id),
        letter(
            "Alver pensjonistlag",
            "organisation",
            "Vi vil ha dagsenter.",
        ),
    )
    .await;
    h
}

fn tally(list: &Value, key: &str) -> u64 {
    list.as_array()
        .expect("a list")
        .iter()
        .find(|t| t["key"] == key)
        .map_or(0, |t| t["count"].as_u64().expect("count"))
}

#[tokio::test]
async fn the_statistics_are_counted_in_json_and_drawn_on_the_page_with_their_tables() {
    let app = app().await;
    let h = four_inputs(&app, "statistikk").await;
    let path = format!("/api/v1/plans/{}/statistics", h.plan_id);
    let (status, stats) = app.get_json_as_planner(&path).await;
    assert_eq!(status, 200, "{stats}");
    assert_eq!(stats["total"], 4, "{stats}");
    assert_eq!(tally(&stats["by_section"], h.section()), 3);
    assert_eq!(tally(&stats["by_section"], &h.section_ids[1]), 0);
    assert_eq!(stats["by_section"][0]["label"], "1 Innleiing");
    assert_eq!(tally(&stats["by_submitter"], "person"), 3);
    assert_eq!(tally(&stats["by_submitter"], "organisation"), 1);
    assert_eq!(tally(&stats["by_outcome"], "none"), 4);
    assert_eq!(tally(&stats["by_day"], &today()), 4);
    assert_eq!(stats["without_theme"], 4);

    // One hearing's figures; a hearing of another plan, an unknown key, a stranger.
    let (status, one) = app
        .get_json_as_planner(&format!("{path}?hearing={}", h.id))
        .await;
    assert_eq!(status, 200, "{one}");
    assert_eq!(one["total"], 3, "the letter has no hearing: {one}");
    let other = app.open_hearing("annan-plan").await;
    let (status, refused) = app
        .get_json_as_planner(&format!("{path}?hearing={}", other.id))
        .await;
    assert_eq!(status, 422, "{refused}");
    assert_eq!(refused["error"], "hearing_not_in_plan");
    let (status, refused) = app.get_json_as_planner(&format!("{path}?colour=red")).await;
    assert_eq!(status, 400, "{refused}");
    let (status, _) = app.get_json(&path).await;
    assert_eq!(status, 401);
    let (status, _) = app
        .get_json_as_planner(&format!(
            "/api/v1/plans/{}/statistics",
            uuid::Uuid::new_v4()
        ))
        .await;
    assert_eq!(status, 404);

    let ann = app.planner("ann@alver.example").await;
    let page = app
        .page(&ann, &format!("/planner/plans/{}/statistics", h.plan_id))
        .await;
    assert_eq!(page.matches("role=\"img\"").count(), 6, "six charts");
    assert_eq!(page.matches("<table").count(), 6, "each with its table");
    assert!(page.contains("<title id=\"chart-sections-title\">Innspel per kapittel</title>"));
    assert!(
        page.contains("<th scope=\"row\">Andre organisasjonar</th><td class=\"number\">1</td>"),
        "{page}"
    );
    let plan_page = app
        .page(&ann, &format!("/planner/plans/{}", h.plan_id))
        .await;
    assert!(
        plan_page.contains(&format!("/planner/plans/{}/statistics", h.plan_id)),
        "the plan's page links its statistics"
    );
    let (status, _) = app
        .page_status(
            &ann,
            &format!("/planner/plans/{}/statistics", uuid::Uuid::new_v4()),
        )
        .await;
    assert_eq!(status, 404);

    let (_, openapi) = app.get_json("/api/openapi.json").await;
    for path in [
        "/api/v1/plans/{id}/statistics",
        "/api/v1/plans/{id}/inputs/bulk/assessment",
        "/api/v1/plans/{id}/inputs/bulk/theme",
        "/api/v1/plans/{id}/inputs/bulk/assignee",
    ] {
        assert!(openapi["paths"][path].is_object(), "{path} is documented");
    }
}

#[tokio::test]
async fn bulk_actions_over_the_api_change_the_selection_and_refuse_inputs_of_another_plan() {
    let app = app().await;
    let h = four_inputs(&app, "bulk").await;
    let all = ids(&register(&app, &h, "").await);
    let bulk = |what: &str| format!("/api/v1/plans/{}/inputs/bulk/{what}", h.plan_id);
    let done = app
        .planner_expects(
            200,
            &bulk("assessment"),
            json!({"inputs": [all[0], all[1]], "summary": "Ønskjer benkar.", "outcome": "followed", "response": "Teke inn."}),
        )
        .await;
    assert_eq!(done["changed"], json!([1, 2]), "{done}");
    assert_eq!(done["skipped"], json!([]));
    let drafted = register(&app, &h, "?state=drafted").await;
    assert_eq!(column(&drafted, "number"), [&json!(1), &json!(2)]);

    // An input of another plan: 404, and nothing of the selection is stored.
    let other = four_inputs(&app, "annan").await;
    let foreign = ids(&register(&app, &other, "").await)[0].clone();
    let refused = app
        .planner_expects(
            404,
            &bulk("assessment"),
            json!({"inputs": [all[2], foreign], "summary": "x", "outcome": "noted", "response": "y"}),
        )
        .await;
    assert_eq!(refused["error"], "not_found", "{refused}");
    assert_eq!(register(&app, &h, "?state=unassessed").await["total"], 2);
    let refused = app
        .planner_expects(
            422,
            &bulk("assessment"),
            json!({"inputs": [], "summary": "x", "outcome": "noted", "response": "y"}),
        )
        .await;
    assert_eq!(refused["error"], "nothing_selected", "{refused}");

    // A theme for inputs 1 and 3; an unknown theme stores nothing.
    let theme = app
        .planner_expects(
            201,
            &format!("/api/v1/plans/{}/themes", h.plan_id),
            json!({"name": "Universell utforming"}),
        )
        .await;
    let done = app
        .planner_expects(
            200,
            &bulk("theme"),
            json!({"inputs": [all[0], all[2]], "theme": theme["id"]}),
        )
        .await;
    assert_eq!(done["changed"], json!([1, 3]), "{done}");
    let themed = register(
        &app,
        &h,
        &format!("?theme={}", theme["id"].as_str().expect("id")),
    )
    .await;
    assert_eq!(themed["total"], 2, "{themed}");
    let refused = app
        .planner_expects(
            422,
            &bulk("theme"),
            json!({"inputs": [all[3]], "theme": uuid::Uuid::new_v4()}),
        )
        .await;
    assert_eq!(refused["error"], "unknown_theme", "{refused}");

    // Assigned to Ann, a planner of the plan; a stranger cannot be an assignee.
    let ann = app.planner("ann@alver.example").await;
    let done = app
        .planner_expects(
            200,
            &bulk("assignee"),
            json!({"inputs": [all[1], all[3]], "assignee": ann.person.id.0}),
        )
        .await;
    assert_eq!(done["changed"], json!([2, 4]), "{done}");
    let mine = app
        .page(
            &ann,
            &format!("/api/v1/plans/{}/inputs?assignee=me", h.plan_id),
        )
        .await;
    let mine: Value = serde_json::from_str(&mine).expect("json");
    assert_eq!(mine["total"], 2, "{mine}");
    assert_eq!(mine["inputs"][0]["assignee_id"], json!(ann.person.id.0));
    let stranger = app.citizen("x@example.org", "X").await;
    let refused = app
        .planner_expects(
            422,
            &bulk("assignee"),
            json!({"inputs": [all[0]], "assignee": stranger.person.id.0}),
        )
        .await;
    assert_eq!(refused["error"], "unknown_assignee", "{refused}");

    // The register's filters are allow-listed.
    let (status, refused) = app
        .get_json_as_planner(&format!("/api/v1/plans/{}/inputs?colour=red", h.plan_id))
        .await;
    assert_eq!(status, 422);
    assert_eq!(refused["error"], "unknown_filter");
    let (status, refused) = app
        .get_json_as_planner(&format!(
            "/api/v1/plans/{}/inputs?submitter=club",
            h.plan_id
        ))
        .await;
    assert_eq!(status, 422);
    assert_eq!(refused["error"], "invalid_filter");
    let by_kind = register(&app, &h, "?submitter=person").await;
    assert_eq!(by_kind["total"], 3);
    let by_date = register(&app, &h, &format!("?from={}&to={}", today(), today())).await;
    assert_eq!(by_date["total"], 4);
}

#[tokio::test]
async fn the_bulk_form_works_without_javascript_and_shows_what_it_skipped() {
    let app = app().await;
    let h = four_inputs(&app, "skjema").await;
    let all = ids(&register(&app, &h, "").await);
    let ann = app.planner("ann@alver.example").await;
    let page_path = format!("/planner/plans/{}/register", h.plan_id);
    let page = app.page(&ann, &page_path).await;
    assert!(
        page.contains(&format!("id=\"sel-{}\" form=\"bulk-form\"", all[0])),
        "{page}"
    );
    assert!(page.contains("Vel alle på denne sida"));
    let ticked = app
        .page(&ann, &format!("{page_path}?kind=comment&select=all"))
        .await;
    assert_eq!(
        ticked.matches(" checked>").count(),
        3,
        "every row on the page is ticked"
    );

    let form_path = format!("{page_path}/bulk");
    // Nothing ticked: the message beside the list, what was typed kept.
    let posted = ann
        .post(app.url(&form_path))
        .form(&[
            ("back", "kind=comment"),
            ("summary", "Ønskjer lys."),
            ("outcome", "noted"),
            ("response", "Teke til orientering."),
            ("action", "assess"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 422);
    let html = posted.text().await.expect("html");
    assert!(
        html.contains("Kryss av for minst eitt innspel i lista."),
        "{html}"
    );
    assert!(html.contains("Ønskjer lys."), "the summary typed is kept");

    let posted = ann
        .post(app.url(&form_path))
        .form(&[
            ("back", "kind=comment"),
            ("input", all[0].as_str()),
            ("input", all[2].as_str()),
            ("summary", "Ønskjer lys."),
            ("outcome", "noted"),
            ("response", "Teke til orientering."),
            ("action", "assess"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 303);
    let location = posted.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    assert!(
        location.contains("kind=comment"),
        "back to the same filters: {location}"
    );
    let after = app.page(&ann, &location).await;
    assert!(after.contains("2 innspel er endra."), "{after}");
    assert_eq!(register(&app, &h, "?state=drafted").await["total"], 2);

    // Ann drafted them; Bob reviews input 1. Bulk again: input 1 is named as skipped.
    let bob = app.planner("bob@alver.example").await;
    let reviewed = bob
        .post(app.url(&format!("/api/v1/inputs/{}/assessment/review", all[0])))
        .send()
        .await
        .expect("review");
    assert_eq!(reviewed.status(), 200);
    let posted = ann
        .post(app.url(&form_path))
        .form(&[
            ("input", all[0].as_str()),
            ("input", all[1].as_str()),
            ("summary", "Anna."),
            ("outcome", "followed"),
            ("response", "Svar."),
            ("action", "assess"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 303);
    let location = posted.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let after = app.page(&ann, &location).await;
    assert!(after.contains("1 innspel er endra."), "{after}");
    assert!(
        after.contains("Desse er alt kontrollerte eller publiserte og er ikkje endra: nr. 1."),
        "{after}"
    );

    // Assigning in the form; the register filters by it.
    let posted = ann
        .post(app.url(&form_path))
        .form(&[
            ("input", all[3].as_str()),
            ("assignee", ann.person.id.to_string().as_str()),
            ("action", "assign"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 303);
    let mine = app.page(&ann, &format!("{page_path}?assignee=me")).await;
    assert!(mine.contains("1 innspel"), "{mine}");
    assert!(mine.contains("Tildelt "), "the row names its assignee");

    // An input of another plan in the form: not found, nothing stored.
    let other = four_inputs(&app, "skjema-annan").await;
    let foreign = ids(&register(&app, &other, "").await)[0].clone();
    let posted = ann
        .post(app.url(&form_path))
        .form(&[
            ("input", all[1].as_str()),
            ("input", foreign.as_str()),
            ("assignee", ""),
            ("action", "assign"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 404);
    let (status, page) = app
        .page_status(&ann, &format!("{page_path}?colour=red"))
        .await;
    assert_eq!(status, 422, "an unknown filter is refused on the page too");
    assert!(page.contains("role=\"alert\""));
}

#[tokio::test]
async fn a_new_input_is_offered_to_the_open_register_page_as_a_row() {
    let app = app().await;
    let h = four_inputs(&app, "levande").await;
    let ann = app.planner("ann@alver.example").await;
    let page = app
        .page(&ann, &format!("/planner/plans/{}/register", h.plan_id))
        .await;
    assert!(
        page.contains(&format!("data-rooms=\"hearing:{}@", h.id)),
        "the page listens to the open hearing: {page}"
    );
    let mut ws = app
        .subscribed(&format!("hearing:{}", h.id), Some(&ann.cookie), None)
        .await;
    app.comment_as_planner(&h, "Per", "Eit nytt innspel om sykkelvegar.")
        .await;
    let event = tests::ws::next_json(&mut ws).await;
    assert_eq!(event["event"]["type"], "comment_posted", "{event}");
    let rows_path = format!("/planner/plans/{}/register/rows?after=4", h.plan_id);
    let rows = app.page(&ann, &rows_path).await;
    assert!(rows.contains("id=\"input-5\""), "{rows}");
    assert!(rows.contains("Eit nytt innspel om sykkelvegar."));
    assert!(
        !rows.contains("id=\"input-4\""),
        "only rows after the page's last"
    );
    // With the page's filters: a letter filter leaves the new comment out.
    let rows = app.page(&ann, &format!("{rows_path}&kind=letter")).await;
    assert!(!rows.contains("id=\"input-5\""), "{rows}");
    let stranger = app.citizen("x@example.org", "X").await;
    let (status, _) = app.page_status(&stranger, &rows_path).await;
    assert_ne!(status, 200);
}

#[tokio::test]
async fn a_letter_from_a_signed_up_person_is_in_their_export() {
    let app = app().await;
    let h = app.open_hearing("eksport").await;
    let kari = app.citizen("kari@example.org", "Kari Nordmann").await;
    let mut body = letter("Kari Nordmann", "person", "Eg ønskjer fleire benkar.");
    body["sender_contact"] = json!("kari@example.org");
    let stored = app
        .planner_expects(201, &format!("/api/v1/plans/{}/letters", h.plan_id), body)
        .await;
    assert_eq!(stored["sender_contact"], "kari@example.org");
    let export = app.page(&kari, "/api/v1/me/export").await;
    let export: Value = serde_json::from_str(&export).expect("json");
    let letters = export["letters_sent"].as_array().expect("letters_sent");
    assert_eq!(letters.len(), 1, "{export}");
    assert_eq!(letters[0]["sender_name"], "Kari Nordmann");
    assert_eq!(letters[0]["text"], "Eg ønskjer fleire benkar.");
}
