//! The planners' assessment of inputs end to end: letters registered over the API and
//! in the workbench, the plan's input register, assessments with four eyes and
//! history, and the hearing's report as DOCX (opened with python-docx) and CSV.

use reqwest::Method;
use reqwest::multipart::Form;
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

fn letter(sender: &str, kind: &str, text: &str, hearing: Option<&str>) -> Value {
    json!({
        "sender_name": sender,
        "sender_kind": kind,
        "channel": "email",
        "received_on": today(),
        "text": text,
        "hearing_id": hearing,
    })
}

fn letters_path(h: &OpenHearing) -> String {
    format!("/api/v1/plans/{}/letters", h.plan_id)
}

fn inputs_path(h: &OpenHearing, query: &str) -> String {
    format!("/api/v1/plans/{}/inputs{query}", h.plan_id)
}

async fn inputs(app: &TestApp, h: &OpenHearing, query: &str) -> Value {
    let (status, body) = app.get_json_as_planner(&inputs_path(h, query)).await;
    assert_eq!(status, 200, "{body}");
    body
}

fn numbers(register: &Value) -> Vec<i64> {
    register["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| i["number"].as_i64().expect("number"))
        .collect()
}

/// A planner signed in under their own name.
async fn named_planner(app: &TestApp, email: &str, name: &str) -> tests::fixtures::SignedIn {
    app.db
        .ensure_person(email, name, domain::Lang::Nn)
        .await
        .expect("person");
    app.planner(email).await
}

#[tokio::test]
async fn letters_are_registered_over_the_api_and_in_the_workbench_and_bad_ones_store_nothing() {
    let app = app().await;
    let h = app.open_hearing("brev").await;
    let stored = app
        .planner_expects(
            201,
            &letters_path(&h),
            letter(
                "Alver pensjonistlag",
                "organisation",
                "Vi vil ha dagsenter.",
                Some(&h.id),
            ),
        )
        .await;
    assert_eq!(stored["number"], 1, "{stored}");
    assert_eq!(stored["late"], false);
    assert_eq!(stored["channel"], "email");

    let mut future = letter("Ola", "person", "Tekst", None);
    future["received_on"] = json!("2999-01-01");
    let refused = app.planner_expects(422, &letters_path(&h), future).await;
    assert_eq!(refused["error"], "received_in_future", "{refused}");
    let too_long = letter("Ola", "person", &"ø".repeat(100_001), None);
    let refused = app.planner_expects(422, &letters_path(&h), too_long).await;
    assert_eq!(refused["error"], "validation_failed", "{refused}");
    // Five megabytes are refused before they are read.
    let huge = letter("Ola", "person", &"a".repeat(5 * 1024 * 1024), None);
    let refused = app.planner_expects(413, &letters_path(&h), huge).await;
    assert_eq!(refused["error"], "too_large", "{refused}");
    let (status, _) = app
        .send(
            &app.public(),
            Method::POST,
            &letters_path(&h),
            Some(letter("Ola", "person", "x", None)),
        )
        .await;
    assert_eq!(status, 401);
    assert_eq!(
        inputs(&app, &h, "").await["total"],
        1,
        "nothing refused was stored"
    );

    // The workbench form, without JavaScript.
    let ann = app.planner("ann@alver.example").await;
    let form_path = format!("/planner/plans/{}/letters", h.plan_id);
    let page = app.page(&ann, &form_path).await;
    assert!(page.contains("name=\"received_on\""), "{page}");
    let posted = ann
        .post(app.url(&form_path))
        .form(&[
            ("sender_name", "Kari Nordmann"),
            ("sender_kind", "person"),
            ("channel", "letter"),
            ("received_on", "2999-12-31"),
            ("hearing_id", ""),
            ("text", "Brev om gatelys"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 422);
    let html = posted.text().await.expect("html");
    assert!(
        html.contains("Datoen er fram i tid"),
        "the error is shown: {html}"
    );
    assert!(html.contains("Brev om gatelys"), "the text typed is kept");
    let posted = ann
        .post(app.url(&form_path))
        .form(&[
            ("sender_name", "Kari Nordmann"),
            ("sender_kind", "person"),
            ("channel", "letter"),
            ("received_on", today().as_str()),
            ("hearing_id", h.id.as_str()),
            ("text", "Brev om gatelys"),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 303);
    let location = posted.headers()["location"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let register = app.page(&ann, &location).await;
    assert!(register.contains("innspel nr. 2"), "{register}");
    assert!(register.contains("Brev om gatelys"));
}

#[tokio::test]
async fn the_register_lists_comments_responses_and_letters_with_numbers_filters_and_search() {
    let app = app().await;
    let h = app.open_hearing("register").await;
    let parent = app
        .comment_as_planner(&h, "Kari", "Vi treng fleire barnehagar i sentrum.")
        .await;
    app.planner_expects(
        201,
        &h.comments_path(),
        json!({"section_id": h.section(), "author_name": "Per", "body": "Einig.", "parent_id": parent["id"]}),
    )
    .await;
    let ann = app.planner("ann@alver.example").await;
    let response = ann
        .post(app.url(&format!("/api/v1/hearings/{}/responses", h.id)))
        .multipart(Form::new().text("text", "Høyringssvar om bussar og vegar."))
        .send()
        .await
        .expect("response");
    assert_eq!(response.status(), 201);
    app.planner_expects(
        201,
        &letters_path(&h),
        letter(
            "Lag",
            "organisation",
            "Barnehagane er for små.",
            Some(&h.id),
        ),
    )
    .await;

    let all = inputs(&app, &h, "").await;
    assert_eq!(numbers(&all), vec![1, 2, 3, 4], "{all}");
    let kinds: Vec<&str> = all["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| i["kind"].as_str().expect("kind"))
        .collect();
    assert_eq!(kinds, vec!["comment", "comment", "response", "letter"]);
    assert_eq!(
        all["inputs"][1]["in_reply_to"],
        "Vi treng fleire barnehagar i sentrum."
    );
    assert_eq!(all["inputs"][0]["assessment"]["state"], "unassessed");

    // Bokmål finds nynorsk and the other way round.
    assert_eq!(
        numbers(&inputs(&app, &h, "?q=barnehager").await),
        vec![1, 4]
    );
    assert_eq!(
        numbers(&inputs(&app, &h, "?kind=response&q=buss").await),
        vec![3]
    );
    assert_eq!(
        numbers(&inputs(&app, &h, "?sort=-number&limit=2").await),
        vec![4, 3]
    );
    let page = inputs(&app, &h, "?limit=3").await;
    assert_eq!(page["next_after"], 3);
    assert_eq!(
        numbers(&inputs(&app, &h, "?limit=3&after=3").await),
        vec![4]
    );

    for bad in ["?colour=red", "?sort=author"] {
        let (status, body) = app.get_json_as_planner(&inputs_path(&h, bad)).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(body["error"], "unknown_filter", "{bad}: {body}");
    }
    let (status, body) = app
        .get_json_as_planner(&inputs_path(&h, "?state=done"))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("invalid_filter")),
        "{body}"
    );
    let (status, _) = app.get_json(&inputs_path(&h, "")).await;
    assert_eq!(status, 401, "the public may not read the register");

    // The workbench page, in every language, with its filters as a plain form.
    let register = format!("/planner/plans/{}/register", h.plan_id);
    let html = app.page(&ann, &format!("{register}?q=barnehage")).await;
    assert!(
        html.contains("Innspel nr. 1") && html.contains("Innspel nr. 4"),
        "{html}"
    );
    assert!(
        !html.contains("Innspel nr. 3"),
        "the search filters the page"
    );
    let english = app.page(&ann, &format!("{register}?lang=en")).await;
    assert!(english.contains("Input no. 3"), "{english}");
    let (status, html) = app
        .page_status(&ann, &format!("{register}?colour=red"))
        .await;
    assert_eq!(status, 422);
    assert!(html.contains("Søket har eit ukjent val"), "{html}");
}

#[tokio::test]
async fn an_assessment_is_drafted_reviewed_by_a_second_planner_and_published_with_its_history() {
    let app = app().await;
    let h = app.open_hearing("vurdering").await;
    app.comment_as_planner(&h, "Kari", "Fleire benkar langs vegen.")
        .await;
    let ann = named_planner(&app, "ann@alver.example", "Ann Planleggjar").await;
    let bob = named_planner(&app, "bob@alver.example", "Bob Kollega").await;
    let id = inputs(&app, &h, "").await["inputs"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let assessment = format!("/api/v1/inputs/{id}/assessment");
    let body = json!({
        "summary": "Ønskjer benkar.",
        "outcome": "followed",
        "response": "Teke inn i tiltaka.",
        "change": "Nytt tiltak 2.4",
        "section_ids": [h.section()],
    });
    let (status, saved) = app.send(&ann, Method::PUT, &assessment, Some(body)).await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(saved["input"]["assessment"]["state"], "drafted");
    assert_eq!(
        saved["input"]["assessment"]["drafted_by"],
        "Ann Planleggjar"
    );

    let review = format!("{assessment}/review");
    let (status, refused) = app.send(&ann, Method::POST, &review, None).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (409, Some("four_eyes")),
        "{refused}"
    );
    let (status, refused) = app.post_as_planner(&review, json!({})).await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (409, Some("four_eyes")),
        "a token is nobody: {refused}"
    );
    let (status, reviewed) = app.send(&bob, Method::POST, &review, None).await;
    assert_eq!(status, 200, "{reviewed}");
    assert_eq!(
        reviewed["input"]["assessment"]["reviewed_by"],
        "Bob Kollega"
    );
    assert!(reviewed["input"]["assessment"]["reviewed_at"].is_string());
    let (status, published) = app
        .send(&ann, Method::POST, &format!("{assessment}/publish"), None)
        .await;
    assert_eq!(status, 200, "{published}");
    assert_eq!(published["input"]["assessment"]["state"], "published");
    let history: Vec<(String, String)> = published["history"]
        .as_array()
        .expect("history")
        .iter()
        .map(|c| {
            (
                c["action"].as_str().unwrap_or_default().to_owned(),
                c["by"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        history,
        vec![
            ("drafted".to_owned(), "Ann Planleggjar".to_owned()),
            ("reviewed".to_owned(), "Bob Kollega".to_owned()),
            ("published".to_owned(), "Ann Planleggjar".to_owned()),
        ]
    );
    let (status, bad) = app
        .send(
            &ann,
            Method::PUT,
            &assessment,
            Some(json!({"outcome": "maybe"})),
        )
        .await;
    assert_eq!(
        (status, bad["error"].as_str()),
        (422, Some("invalid_value")),
        "{bad}"
    );

    // The workbench form works without JavaScript: Bob changes the outcome, the
    // assessment is a draft again, and the history table says who did it.
    let page = format!("/planner/inputs/{id}");
    let posted = bob
        .post(app.url(&page))
        .form(&[
            ("summary", "Ønskjer benkar."),
            ("outcome", "partly_followed"),
            ("response", "Delvis teke inn."),
            ("change", ""),
            ("section_ids", h.section()),
        ])
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 303);
    let html = app.page(&bob, &format!("{page}?done=saved")).await;
    assert!(html.contains("Vurderinga er lagra som utkast."), "{html}");
    assert!(
        html.contains("<th scope=\"col\">Kven</th>"),
        "a history table: {html}"
    );
    assert!(html.contains("Bob Kollega") && html.contains("Delvis teke inn."));
    let own = bob
        .post(app.url(&format!("{page}/review")))
        .send()
        .await
        .expect("post");
    assert_eq!(own.status(), 409);
    assert!(
        own.text()
            .await
            .expect("html")
            .contains("Ein annan planleggjar må kontrollere ho")
    );

    // A planner of another plan, and a page for an unknown input, see nothing.
    let other = app.open_hearing("annan-plan").await;
    app.comment_as_planner(&other, "Kari", "Anna innspel").await;
    let carl = app.planner("carl@alver.example").await;
    let other_id = inputs(&app, &other, "").await["inputs"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    // Carl plans both plans now; Ann was made a planner before the second plan.
    let (status, _) = app
        .send(
            &carl,
            Method::GET,
            &format!("/api/v1/inputs/{other_id}"),
            None,
        )
        .await;
    assert_eq!(status, 200);
    let (status, body) = app
        .send(
            &ann,
            Method::PUT,
            &format!("/api/v1/inputs/{other_id}/assessment"),
            Some(json!({"summary": "x"})),
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (404, Some("not_found")),
        "{body}"
    );
    let (status, _) = app
        .page_status(&ann, &format!("/planner/inputs/{other_id}"))
        .await;
    assert_eq!(status, 404);
}

/// Runs the Python check of a DOCX report; python-docx must be installed.
fn check_docx(bytes: &[u8], expected: &Value) {
    let dir = tests::TempDir::new();
    let report = dir.0.join("report.docx");
    let expected_path = dir.0.join("expected.json");
    std::fs::write(&report, bytes).expect("write report");
    std::fs::write(&expected_path, expected.to_string()).expect("write expected");
    let script =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/check_report_docx.py");
    // Debian's python finds Debian's python3-docx even where another python is first on PATH.
    let python = ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|p| {
            std::process::Command::new(p)
                .args(["-c", "import docx"])
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .unwrap_or_else(|| {
            panic!("python3 with python-docx is needed to check the report: apt-get install python3-docx")
        });
    let out = std::process::Command::new(python)
        .arg(&script)
        .arg(&report)
        .arg(&expected_path)
        .output()
        .expect("run python");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.trim() == "ok",
        "the DOCX check failed:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

async fn download(client: &reqwest::Client, url: String) -> (u16, String, Vec<u8>) {
    let response = client.get(url).send().await.expect("get");
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (
        status,
        content_type,
        response.bytes().await.expect("body").to_vec(),
    )
}

/// A hearing with a comment and two letters, the second of them assessed; the
/// report's path (without the extension) and a planner who may read it.
async fn hearing_to_report(app: &TestApp) -> (OpenHearing, tests::fixtures::SignedIn, String) {
    let h = app.open_hearing("rapport").await;
    app.comment_as_planner(&h, "Kari Nordmann", "Meir personale i heimetenesta.")
        .await;
    app.planner_expects(
        201,
        &letters_path(&h),
        letter(
            "Alver eldreråd",
            "organisation",
            "Vi ønskjer eit dagsenter på Knarvik.",
            Some(&h.id),
        ),
    )
    .await;
    app.planner_expects(
        201,
        &letters_path(&h),
        letter(
            "@Ærlige Åse",
            "person",
            "=HYPERLINK(\"http://x\")",
            Some(&h.id),
        ),
    )
    .await;
    let ann = app.planner("ann@alver.example").await;
    let second = inputs(app, &h, "?kind=letter").await["inputs"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let (status, saved) = app
        .send(
            &ann,
            Method::PUT,
            &format!("/api/v1/inputs/{second}/assessment"),
            Some(json!({
                "summary": "Dagsenter på Knarvik.",
                "outcome": "partly_followed",
                "response": "-Vurderast i handlingsdelen.",
                "section_ids": [h.section_ids[1]],
            })),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    let path = format!("/api/v1/hearings/{}/report", h.id);
    (h, ann, path)
}

/// The text of a Word file's body and how many table rows it has.
fn docx_body(bytes: &[u8]) -> (String, usize) {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("word/document.xml").expect("a Word body"),
        &mut xml,
    )
    .expect("UTF-8");
    let rows = xml.matches("<w:tr>").count() + xml.matches("<w:tr ").count();
    (xml, rows)
}

#[tokio::test]
async fn the_report_is_a_word_table_and_a_safe_csv_with_every_input_of_the_hearing() {
    let app = app().await;
    let (h, ann, path) = hearing_to_report(&app).await;
    let (status, content_type, docx) = download(&ann, app.url(&format!("{path}.docx"))).await;
    assert_eq!(status, 200);
    assert!(content_type.contains("wordprocessingml"), "{content_type}");
    let (body, rows) = docx_body(&docx);
    for text in [
        "Merknadsbehandling: Høyring av planprogrammet",
        "Kari Nordmann",
        "Alver eldreråd",
        "Dagsenter på Knarvik.",
        "Delvis teke til følgje",
        "Ikkje vurdert enno",
    ] {
        assert!(body.contains(text), "the Word report says {text}");
    }
    assert!(rows >= 4, "a header row and a row per input: {rows} rows");
    let (status, _, docx) = download(
        &ann,
        app.url(&format!(
            "{path}.docx?anonymise=true&lang=nb&group_by=theme"
        )),
    )
    .await;
    assert_eq!(status, 200);
    let (body, _) = docx_body(&docx);
    assert!(body.contains("Privatperson") && !body.contains("Kari Nordmann"));
    assert!(body.contains("Delvis tatt til følge"), "labels in bokmål");
    csv_and_page(&app, &h, &ann, &path).await;
}

/// An independent reader, python-docx, opens the Word report and finds one table row
/// per input with its assessment. Needs Debian's python3-docx, which `.ci/run`
/// installs before it runs the tests named `python_docx`.
#[tokio::test]
#[ignore = "needs python3-docx: .ci/run installs it and runs the tests named python_docx"]
async fn python_docx_reads_the_report_with_a_row_per_input() {
    let app = app().await;
    let (_, ann, path) = hearing_to_report(&app).await;
    let (status, _, docx) = download(&ann, app.url(&format!("{path}.docx"))).await;
    assert_eq!(status, 200);
    check_docx(
        &docx,
        &json!({
            "headings": ["Merknadsbehandling: Høyring av planprogrammet", "3.1 Roller og ansvar", "1 Innleiing", "Samandrag av konklusjonane"],
            "rows": {
                "1": {"from": "Kari Nordmann", "summary": "Meir personale i heimetenesta.", "outcome": "Ikkje vurdert enno"},
                "2": {"from": "Alver eldreråd", "summary": "Dagsenter på Knarvik.", "outcome": "Delvis teke til følgje"},
                "3": {"from": "@Ærlige Åse", "outcome": "Ikkje vurdert enno"},
            },
        }),
    );
    // Private persons' names left out, organisations named; labels in bokmål.
    let (status, _, docx) = download(
        &ann,
        app.url(&format!(
            "{path}.docx?anonymise=true&lang=nb&group_by=theme"
        )),
    )
    .await;
    assert_eq!(status, 200);
    check_docx(
        &docx,
        &json!({
            "headings": ["Uten tema"],
            "rows": {
                "1": {"from": "Privatperson"},
                "2": {"from": "Alver eldreråd", "outcome": "Delvis tatt til følge"},
                "3": {"from": "Privatperson"},
            },
        }),
    );
}

/// The CSV report (safe cells, Norwegian letters, separators) and the printable page.
async fn csv_and_page(app: &TestApp, h: &OpenHearing, ann: &tests::fixtures::SignedIn, path: &str) {
    let (status, content_type, csv) = download(
        &app.http,
        format!("{}?separator=semicolon", app.url(&format!("{path}.csv"))),
    )
    .await;
    assert_eq!(status, 401, "the public cannot download it");
    assert!(!content_type.contains("csv"));
    let _ = csv;
    let csv = app
        .as_planner(Method::GET, &format!("{path}.csv?separator=semicolon"))
        .send()
        .await
        .expect("csv");
    assert_eq!(csv.status(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    let bytes = csv.bytes().await.expect("body").to_vec();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "a byte order mark");
    let text = std::str::from_utf8(&bytes[3..]).expect("UTF-8");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header[0], "Nr.");
    let rows: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.expect("row").iter().map(str::to_owned).collect())
        .collect();
    assert_eq!(rows.len(), 3, "one row per input: {rows:?}");
    let row = |n: &str| rows.iter().find(|r| r[0] == n).expect("row").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    assert_eq!(
        row("2")[column("Frå")],
        "Alver eldreråd",
        "Norwegian letters survive"
    );
    assert_eq!(
        row("2")[column("Svaret frå kommunen")],
        "'-Vurderast i handlingsdelen."
    );
    assert_eq!(row("3")[column("Frå")], "'@Ærlige Åse");
    assert_eq!(row("3")[column("Innspelet")], "'=HYPERLINK(\"http://x\")");
    assert_eq!(row("1")[column("Konklusjon")], "Ikkje vurdert enno");
    let comma = app
        .as_planner(Method::GET, &format!("{path}.csv?anonymise=true"))
        .send()
        .await
        .expect("csv")
        .text()
        .await
        .expect("text");
    assert!(comma.starts_with("\u{feff}Nr.,"), "comma by default");
    assert!(!comma.contains("Kari Nordmann") && comma.contains("Alver eldreråd"));

    let (status, body) = app
        .get_json_as_planner(&format!("{path}.csv?colour=red"))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (422, Some("unknown_filter")),
        "{body}"
    );
    // The printable page in the workbench, with its download links.
    let page = app
        .page(ann, &format!("/planner/hearings/{}/report", h.id))
        .await;
    assert!(
        page.contains(&h.id) && page.contains("report.docx?group_by=section"),
        "{page}"
    );
    assert!(page.contains(
        "report.csv?group_by=section&amp;anonymise=false&amp;lang=nn&amp;separator=semicolon"
    ));
    assert!(page.contains("Delvis teke til følgje") && page.contains("Dagsenter på Knarvik."));
}

#[tokio::test]
async fn published_assessments_show_beside_the_comment_and_on_me_after_the_planner_confirms() {
    let app = app().await;
    let h = app.open_hearing("publisering").await;
    let kari = app.citizen("kari@example.no", "Kari Nordmann").await;
    let mut comment_ids = Vec::new();
    for body in ["Fleire benkar langs vegen.", "Meir lys i tunnelen."] {
        let (status, posted) = app
            .send(
                &kari,
                Method::POST,
                &h.comments_path(),
                Some(json!({"section_id": h.section(), "author_name": "Kari Nordmann", "body": body})),
            )
            .await;
        assert_eq!(status, 201, "{posted}");
        comment_ids.push(posted["id"].as_str().expect("id").to_owned());
    }
    let ann = named_planner(&app, "ann@alver.example", "Ann Planleggjar").await;
    let bob = named_planner(&app, "bob@alver.example", "Bob Kollega").await;
    let register = inputs(&app, &h, "").await;
    let ids: Vec<String> = register["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .map(|i| i["id"].as_str().expect("id").to_owned())
        .collect();
    let assessment = format!("/api/v1/inputs/{}/assessment", ids[0]);
    let body = json!({
        "summary": "Ønskjer benkar.",
        "outcome": "followed",
        "response": "Vi set opp ti nye benkar langs Fjordvegen.",
    });
    let (status, saved) = app.send(&ann, Method::PUT, &assessment, Some(body)).await;
    assert_eq!(status, 200, "{saved}");
    let (status, reviewed) = app
        .send(&bob, Method::POST, &format!("{assessment}/review"), None)
        .await;
    assert_eq!(status, 200, "{reviewed}");

    // The workbench asks first, naming the input that is not reviewed.
    let form = format!("/planner/hearings/{}/assessments/publish", h.id);
    let report = app
        .page(&ann, &format!("/planner/hearings/{}/report", h.id))
        .await;
    assert!(report.contains(&format!("action=\"{form}\"")), "{report}");
    let asked = ann
        .post(app.url(&form))
        .form(&[("lang", "nn")])
        .send()
        .await
        .expect("form");
    assert_eq!(asked.status(), 409);
    let asked = asked.text().await.expect("page");
    assert!(asked.contains("Innspel nr. 2"), "{asked}");
    assert!(
        asked.contains("name=\"confirm_unreviewed\" value=\"true\""),
        "{asked}"
    );

    let publish = format!("/api/v1/hearings/{}/assessments/publish", h.id);
    let (status, refused) = app
        .send(
            &ann,
            Method::POST,
            &publish,
            Some(json!({"confirm_unreviewed": false})),
        )
        .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (409, Some("unreviewed_assessments")),
        "{refused}"
    );
    assert_eq!(refused["unreviewed"][0]["number"], 2, "{refused}");
    assert_eq!(refused["unreviewed"][0]["state"], "unassessed", "{refused}");
    let page = app.page(&app.public(), &h.page_path()).await;
    assert!(
        !page.contains("Vi set opp ti nye benkar"),
        "nothing is public before the planner confirms"
    );

    let (status, published) = app
        .send(
            &ann,
            Method::POST,
            &publish,
            Some(json!({"confirm_unreviewed": true})),
        )
        .await;
    assert_eq!(status, 200, "{published}");
    assert_eq!(published["published"], json!([1]), "{published}");
    assert_eq!(published["emails"], 1, "{published}");
    assert!(app.queued_email_kinds().await.contains(&"inputs_assessed"));

    // Beside its comment on the public hearing page, in the reader's language.
    let page = app.page(&app.public(), &h.page_path()).await;
    let comment = page
        .find(&format!("id=\"comment-{}\"", comment_ids[0]))
        .expect("the comment is listed");
    let beside = &page[comment..];
    let shown = beside
        .find(&format!("id=\"assessment-{}\"", comment_ids[0]))
        .expect("the assessment is shown");
    assert!(
        !beside[..shown].contains(&format!("id=\"comment-{}\"", comment_ids[1])),
        "the assessment belongs to the first comment"
    );
    assert!(beside[shown..].contains("Teke til følgje"), "{page}");
    assert!(beside[shown..].contains("Vi set opp ti nye benkar langs Fjordvegen."));
    assert!(!page.contains(&format!("id=\"assessment-{}\"", comment_ids[1])));
    let english = app
        .page(&app.public(), &format!("{}?lang=en", h.page_path()))
        .await;
    assert!(english.contains(">Followed</dd>"), "{english}");

    // And on the participant's own page.
    let me = app.page(&kari, "/me").await;
    assert!(
        me.contains("Vi set opp ti nye benkar langs Fjordvegen."),
        "{me}"
    );
    assert!(me.contains("Teke til følgje"), "{me}");
}

#[tokio::test]
async fn an_assessment_linked_to_a_section_of_a_later_version_shows_on_its_comparison() {
    let app = app().await;
    let h = app.open_hearing("spor").await;
    app.comment_as_planner(&h, "Alver pensjonistlag", "Fleire benkar langs vegen.")
        .await;
    let ann = named_planner(&app, "ann@alver.example", "Ann Planleggjar").await;
    let document = format!("/api/v1/documents/{}", h.document_id);
    let (_, v1) = app.get_json_as_planner(&document).await;
    let changed: Vec<Value> = v1["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| {
            json!({
                "number": s["number"], "title": s["title"], "level": s["level"],
                "body": format!("{} Endra etter høyringa.", s["body"].as_str().unwrap_or_default()),
            })
        })
        .collect();
    assert!(changed.len() >= 2, "{v1}");
    let (status, v2) = app
        .post_as_planner(
            &format!("{document}/versions"),
            json!({ "sections": changed }),
        )
        .await;
    assert_eq!(status, 201, "{v2}");
    let target = &v2["sections"][1];
    let id = inputs(&app, &h, "").await["inputs"][0]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let assessment = format!("/api/v1/inputs/{id}/assessment");
    // A section of the first version is no later version: refused, nothing stored.
    let (status, refused) = app
        .send(
            &ann,
            Method::PUT,
            &assessment,
            Some(json!({"summary": "Benkar", "change_section_id": v1["sections"][1]["id"]})),
        )
        .await;
    assert_eq!(
        (status, refused["error"].as_str()),
        (422, Some("invalid_change_section")),
        "{refused}"
    );
    let (status, saved) = app
        .send(
            &ann,
            Method::PUT,
            &assessment,
            Some(json!({
                "summary": "Ønskjer benkar.",
                "outcome": "partly_followed",
                "change": "Nytt tiltak",
                "change_section_id": target["id"],
            })),
        )
        .await;
    assert_eq!(status, 200, "{saved}");
    assert_eq!(
        saved["input"]["assessment"]["change_section_id"],
        target["id"]
    );
    assert_eq!(saved["change_place"]["version"], 2, "{saved}");
    assert_eq!(saved["change_place"]["number"], target["number"]);
    let compare_href = saved["change_place"]["compare_href"]
        .as_str()
        .expect("href")
        .to_owned();

    // The comparison in JSON: the input at that section and at no other.
    let (status, diff) = app
        .get_json_as_planner(&format!("{document}/diff?from=1&to=2"))
        .await;
    assert_eq!(status, 200, "{diff}");
    for section in diff["sections"].as_array().expect("sections") {
        let linked: Vec<i64> = section["linked_inputs"]
            .as_array()
            .expect("linked inputs")
            .iter()
            .map(|i| i["number"].as_i64().expect("number"))
            .collect();
        if section["lineage"] == target["lineage"] {
            assert_eq!(linked, vec![1], "{section}");
            assert_eq!(section["linked_inputs"][0]["from"], "Alver pensjonistlag");
            assert_eq!(section["linked_inputs"][0]["outcome"], "partly_followed");
        } else {
            assert!(linked.is_empty(), "{section}");
        }
    }
    // Readers see no assessment that is not published.
    let (status, public) = app
        .send(
            &app.public(),
            Method::GET,
            &format!("{document}/diff?from=1&to=2"),
            None,
        )
        .await;
    assert_eq!(status, 200, "{public}");
    assert!(
        public["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .all(|s| s["linked_inputs"].as_array().is_some_and(Vec::is_empty)),
        "{public}"
    );

    // The workbench's comparison page, which the assessment links to.
    assert!(compare_href.starts_with(&format!(
        "/planner/documents/{}/compare?from=1&to=2#lineage-",
        h.document_id
    )));
    let page = app.page(&ann, &compare_href).await;
    let sections: Vec<&str> = page
        .split("<section class=\"diff-section\"")
        .skip(1)
        .collect();
    let link = format!("href=\"/planner/inputs/{id}\"");
    let lineage = format!(
        "id=\"lineage-{}\"",
        target["lineage"].as_str().expect("lineage")
    );
    assert_eq!(
        sections
            .iter()
            .filter(|s| s.contains(&link))
            .map(|s| s.contains(&lineage))
            .collect::<Vec<_>>(),
        vec![true],
        "the link is in the target section only: {page}"
    );
    // The assessment form offers the later version's sections, with this one chosen.
    let form = app.page(&ann, &format!("/planner/inputs/{id}")).await;
    assert!(form.contains("name=\"change_section_id\""), "{form}");
    assert!(
        form.contains(&format!(
            "<option value=\"{}\" selected>",
            target["id"].as_str().expect("id")
        )),
        "{form}"
    );
}

#[tokio::test]
async fn a_letter_from_a_person_is_on_their_page_and_its_assessment_once_published() {
    let app = app().await;
    let h = app.open_hearing("brev-pa-mi-side").await;
    let kari = app.citizen("kari@example.no", "Kari Nordmann").await;
    let mut from_kari = letter(
        "Kari Nordmann",
        "person",
        "Brev om fleire benkar ved kyrkja.",
        Some(&h.id),
    );
    // Her address as she wrote it on the envelope: the case of it does not matter.
    from_kari["sender_contact"] = json!("Kari@Example.no");
    let stored = app.planner_expects(201, &letters_path(&h), from_kari).await;
    let letter_id = stored["id"].as_str().expect("id").to_owned();
    let mut from_ola = letter("Ola Nordmann", "person", "Brev frå Ola om parkering.", None);
    from_ola["sender_contact"] = json!("ola@example.no");
    app.planner_expects(201, &letters_path(&h), from_ola).await;

    let me = app.page(&kari, "/me").await;
    let row = me
        .find(&format!("id=\"letter-{letter_id}\""))
        .expect("her letter is listed");
    let row = &me[row..me[row..].find("</tr>").map_or(me.len(), |end| row + end)];
    assert!(row.contains("Brev om fleire benkar ved kyrkja."), "{row}");
    assert!(row.contains("<td>1</td>"), "its register number: {row}");
    assert!(row.contains("Ikkje vurdert enno"), "{row}");
    assert!(
        !me.contains("Brev frå Ola om parkering."),
        "only her own letters: {me}"
    );

    // Assessed and reviewed: not on her page until it is published.
    let ann = named_planner(&app, "ann@alver.example", "Ann Planleggjar").await;
    let bob = named_planner(&app, "bob@alver.example", "Bob Kollega").await;
    let register = inputs(&app, &h, "?kind=letter").await;
    let input = register["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .find(|i| i["number"] == 1)
        .expect("the letter is number 1")["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let assessment = format!("/api/v1/inputs/{input}/assessment");
    let body = json!({
        "summary": "Ønskjer benkar ved kyrkja.",
        "outcome": "partly_followed",
        "response": "To benkar kjem ved kyrkja i vår.",
    });
    let (status, saved) = app.send(&ann, Method::PUT, &assessment, Some(body)).await;
    assert_eq!(status, 200, "{saved}");
    let (status, reviewed) = app
        .send(&bob, Method::POST, &format!("{assessment}/review"), None)
        .await;
    assert_eq!(status, 200, "{reviewed}");
    let me = app.page(&kari, "/me").await;
    assert!(!me.contains("To benkar kjem ved kyrkja i vår."), "{me}");

    let publish = format!("/api/v1/hearings/{}/assessments/publish", h.id);
    let (status, published) = app
        .send(
            &ann,
            Method::POST,
            &publish,
            Some(json!({"confirm_unreviewed": true})),
        )
        .await;
    assert_eq!(status, 200, "{published}");
    let me = app.page(&kari, "/me").await;
    let row = me
        .find(&format!("id=\"letter-{letter_id}\""))
        .expect("her letter is listed");
    let row = &me[row..me[row..].find("</tr>").map_or(me.len(), |end| row + end)];
    assert!(row.contains("To benkar kjem ved kyrkja i vår."), "{row}");
    assert!(row.contains("Delvis teke til følgje"), "{row}");
}
