//! The live board of a workshop with real websocket clients: a note reaches its
//! writer alone in the individual stage, its table in the group stage and everyone
//! in plenum; a client that resumes gets exactly what it may see; refusals store
//! nothing; confirmed notes become inputs of the plan's register.
//!
//! Absences are shown by the next known event: when a stage change reveals notes,
//! the first event a client receives after its last one must be the revelation (or
//! the stage change itself), never the note it should not have had.

use reqwest::Method;
use serde_json::{Value, json};
use tests::fixtures::SignedIn;
use tests::ws::{Ws, next_json};
use tests::{Backend, TestApp, spawn_app};

struct Board {
    app: TestApp,
    plan_id: String,
    /// "3.1 Roller og ansvar", the section the agenda item is about.
    section: String,
    workshop: String,
    item: String,
    group_name: String,
    facilitator: SignedIn,
    alice: SignedIn,
    bob: SignedIn,
    carl: SignedIn,
    table_one: String,
    table_two: String,
}

impl Board {
    fn room(&self) -> String {
        format!("workshop:{}", self.workshop)
    }

    fn path(&self, rest: &str) -> String {
        format!("/api/v1/workshops/{}/board{rest}", self.workshop)
    }

    async fn send(&self, who: &SignedIn, method: Method, rest: &str, body: Value) -> (u16, Value) {
        self.app
            .send(who, method, &self.path(rest), Some(body))
            .await
    }

    async fn expect(&self, who: &SignedIn, status: u16, rest: &str, body: Value) -> Value {
        let (got, answer) = self.send(who, Method::POST, rest, body.clone()).await;
        assert_eq!(got, status, "POST {rest} {body}: {answer}");
        answer
    }

    async fn step(&self, step: &str) {
        self.expect(
            &self.facilitator,
            200,
            &format!("/items/{}/step", self.item),
            json!({"step": step}),
        )
        .await;
    }

    async fn note(&self, who: &SignedIn, body: &str) -> String {
        let answer = self
            .expect(who, 201, "/notes", json!({"body": body, "named": true}))
            .await;
        answer["id"].as_str().expect("note id").to_owned()
    }

    async fn subscribed(&self, who: &SignedIn, since: Option<i64>) -> Ws {
        self.app
            .subscribed(&self.room(), Some(&who.cookie), since)
            .await
    }

    /// The board as the facilitator sees it (every note of the current item).
    async fn facilitator_notes(&self) -> Vec<Value> {
        let (status, board) = self
            .app
            .send(&self.facilitator, Method::GET, &self.path(""), None)
            .await;
        assert_eq!(status, 200, "{board}");
        board["items"][0]["notes"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

/// A plan with a reference group of three (Alice and Bob at table one, Carl at table
/// two), a workshop of the group with one agenda item on "3.1 Roller og ansvar" that
/// uses every IGP stage, and its facilitator, a planner of the plan.
async fn board(slug: &str) -> Board {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let hearing = app.open_hearing(slug).await;
    let group_name = "Referansegruppa".to_owned();
    let group = app
        .planner_expects(
            201,
            &format!("/api/v1/plans/{}/groups", hearing.plan_id),
            json!({"kind": "reference_group", "name": group_name}),
        )
        .await;
    let group = domain::GroupId(group["id"].as_str().expect("id").parse().expect("uuid"));
    let section = hearing.section_ids[1].clone();
    let now = jiff::Timestamp::now();
    let draft = domain::workshop::WorkshopDraft {
        title: "Arbeidsmøte om aktivitet og meistring".into(),
        starts_at: Some(now + jiff::SignedDuration::from_hours(24)),
        ends_at: Some(now + jiff::SignedDuration::from_hours(27)),
        online_link: Some("https://møte.fjordvik.example/referansegruppa".into()),
        groups: vec![group],
        agenda: vec![domain::workshop::AgendaDraft {
            title: "Trinn 7–10 i aktivitets- og meistringstrappa".into(),
            sections: vec![section.parse().expect("section id")],
            minutes: 45,
            stages: domain::workshop::IgpStage::ALL.to_vec(),
        }],
        ..Default::default()
    };
    let valid = domain::workshop::validate(&draft).expect("a valid workshop");
    // Set up in storage: the workshop's own API is not what these tests are about.
    let workshop = app
        .db
        .create_workshop(
            domain::WorkshopId::new(),
            hearing.plan(),
            &valid,
            None,
            now,
            &[],
        )
        .await
        .expect("workshop stored");
    let facilitator = app.planner("fasilitator@fjordvik.example").await;
    let alice = app.member(group, "alice@example.org", "Alice Aas").await;
    let bob = app.member(group, "bob@example.org", "Bob Berg").await;
    let carl = app.member(group, "carl@example.org", "Carl Dahl").await;
    let mut board = Board {
        app,
        plan_id: hearing.plan_id.clone(),
        section,
        workshop: workshop.id.to_string(),
        item: workshop.agenda[0].id.to_string(),
        group_name,
        facilitator,
        alice,
        bob,
        carl,
        table_one: String::new(),
        table_two: String::new(),
    };
    for (name, slot) in [("Bord 1", 1), ("Bord 2", 2)] {
        let table = board
            .expect(&board.facilitator, 201, "/tables", json!({"name": name}))
            .await["id"]
            .as_str()
            .expect("table id")
            .to_owned();
        if slot == 1 {
            board.table_one = table;
        } else {
            board.table_two = table;
        }
    }
    for (who, table) in [
        (&board.alice, &board.table_one),
        (&board.bob, &board.table_one),
        (&board.carl, &board.table_two),
    ] {
        let (status, answer) = board
            .send(
                &board.facilitator,
                Method::PUT,
                &format!("/seats/{}", who.person.id),
                json!({"table_id": table}),
            )
            .await;
        assert_eq!(status, 204, "{answer}");
    }
    board
}

/// The next event's type and data, checking that it is an event of the room.
async fn next_event(ws: &mut Ws) -> (String, Value, i64) {
    let message = next_json(ws).await;
    assert_eq!(message["type"], "event", "{message}");
    (
        message["event"]["type"].as_str().expect("type").to_owned(),
        message["event"]["data"].clone(),
        message["seq"].as_i64().expect("seq"),
    )
}

/// The bodies of the notes an event carries.
fn bodies(data: &Value) -> Vec<String> {
    let notes = match data.get("notes") {
        Some(notes) => notes.as_array().cloned().unwrap_or_default(),
        None => vec![data["note"].clone()],
    };
    let mut out: Vec<String> = notes
        .iter()
        .map(|n| n["body"].as_str().expect("body").to_owned())
        .collect();
    out.sort();
    out
}

#[tokio::test]
async fn notes_reach_the_writer_then_the_table_then_everyone_and_a_resume_shows_no_more() {
    let b = board("igp-tavle").await;
    let mut alice = b.subscribed(&b.alice, None).await;
    let mut bob = b.subscribed(&b.bob, None).await;
    let mut carl = b.subscribed(&b.carl, None).await;
    // What Bob receives live, to compare with what he gets when he resumes.
    let mut bob_live = Vec::new();

    b.step("open").await;
    for ws in [&mut alice, &mut carl] {
        let (kind, data, _) = next_event(ws).await;
        assert_eq!(
            (kind.as_str(), &data["stage"]),
            ("workshop_board_changed", &json!("individual"))
        );
    }
    let (kind, _, seq) = next_event(&mut bob).await;
    assert_eq!(kind, "workshop_board_changed");
    bob_live.push(seq);
    // Carl leaves before anyone writes, and comes back in the group stage.
    drop(carl);
    let carl_seen = b.app.db.last_seq(room(&b)).await.expect("seq");

    // Individual: Alice's note reaches Alice only.
    b.note(&b.alice, "Fleire benker langs gangvegen").await;
    let (kind, data, _) = next_event(&mut alice).await;
    assert_eq!(kind, "workshop_note_posted");
    assert_eq!(bodies(&data), ["Fleire benker langs gangvegen"]);
    assert_eq!(data["audience"]["kind"], "person", "{data}");

    // Group: Bob, at Alice's table, now gets her note, and it is the first thing he
    // gets since the item opened: he never had it before.
    b.step("group").await;
    let (kind, data, seq) = next_event(&mut bob).await;
    assert_eq!(kind, "workshop_notes_revealed", "{data}");
    assert_eq!(bodies(&data), ["Fleire benker langs gangvegen"]);
    assert_eq!(data["audience"]["id"], b.table_one.as_str());
    bob_live.push(seq);
    let (kind, _, seq) = next_event(&mut bob).await;
    assert_eq!(kind, "workshop_board_changed");
    bob_live.push(seq);
    assert_eq!(next_event(&mut alice).await.0, "workshop_notes_revealed");
    assert_eq!(next_event(&mut alice).await.0, "workshop_board_changed");

    // A note in the group stage reaches its table at once, and not the other table.
    b.note(&b.bob, "Turgruppe med følgje").await;
    assert_eq!(
        bodies(&next_event(&mut alice).await.1),
        ["Turgruppe med følgje"]
    );
    let (kind, data, seq) = next_event(&mut bob).await;
    assert_eq!(
        (kind.as_str(), bodies(&data)),
        (
            "workshop_note_posted",
            vec!["Turgruppe med følgje".to_owned()]
        )
    );
    bob_live.push(seq);
    b.note(&b.carl, "Kurs i nettbank").await;

    // Carl resumes: the stage change and his own table's note, none of table one's.
    let mut carl = b.subscribed(&b.carl, Some(carl_seen)).await;
    let (kind, data, _) = next_event(&mut carl).await;
    assert_eq!(
        (kind.as_str(), &data["stage"]),
        ("workshop_board_changed", &json!("group"))
    );
    let (kind, data, _) = next_event(&mut carl).await;
    assert_eq!(
        (kind.as_str(), bodies(&data)),
        ("workshop_note_posted", vec!["Kurs i nettbank".to_owned()])
    );

    // Plenum: everyone gets the notes they did not have, then the stage.
    b.step("plenum").await;
    let (kind, data, _) = next_event(&mut carl).await;
    assert_eq!(kind, "workshop_notes_revealed");
    assert_eq!(data["audience"]["kind"], "everyone");
    assert_eq!(
        bodies(&data),
        [
            "Fleire benker langs gangvegen",
            "Kurs i nettbank",
            "Turgruppe med følgje"
        ]
    );
    assert_eq!(next_event(&mut carl).await.0, "workshop_board_changed");
    for _ in 0..2 {
        let (_, _, seq) = next_event(&mut bob).await;
        bob_live.push(seq);
    }

    // Bob resumes from before the item opened on a new connection: exactly the
    // events he got live, in order, and none meant for a writer or the other table.
    let mut resumed = b.subscribed(&b.bob, Some(bob_live[0] - 1)).await;
    for expected in &bob_live {
        let (kind, data, seq) = next_event(&mut resumed).await;
        assert_eq!(seq, *expected, "Bob resumed with {kind} {data}");
        let audience = &data["audience"];
        assert!(
            audience.is_null()
                || audience["kind"] == "everyone"
                || audience["id"] == b.table_one.as_str(),
            "Bob got {kind} for {audience}"
        );
    }
    // Every note of the item is on the facilitator's board, once.
    assert_eq!(b.facilitator_notes().await.len(), 3);
}

#[tokio::test]
async fn refused_board_actions_say_why_and_store_nothing() {
    let b = board("tavle-feil").await;
    // No item is open yet.
    let (status, answer) = b
        .send(
            &b.alice,
            Method::POST,
            "/notes",
            json!({"body": "For tidleg"}),
        )
        .await;
    assert_eq!(
        (status, answer["error"].as_str()),
        (409, Some("item_not_open")),
        "{answer}"
    );
    // Only the facilitator moves the board.
    let answer = b
        .expect(
            &b.alice,
            403,
            &format!("/items/{}/step", b.item),
            json!({"step": "open"}),
        )
        .await;
    assert_eq!(answer["error"], "not_facilitator");
    b.step("open").await;
    // Too long.
    let answer = b
        .expect(&b.alice, 422, "/notes", json!({"body": "å".repeat(501)}))
        .await;
    assert_eq!(answer["error"], "validation_failed");
    // Someone who is not in the workshop's groups does not even see it.
    let outsider = b.app.citizen("ute@example.org", "Ute Utanfor").await;
    let (status, answer) = b
        .send(&outsider, Method::POST, "/notes", json!({"body": "Hei"}))
        .await;
    assert_eq!(status, 404, "{answer}");
    // Dots only while voting.
    let note = b.note(&b.alice, "Ein lapp").await;
    let answer = b
        .expect(&b.bob, 409, &format!("/notes/{note}/dots"), json!({}))
        .await;
    assert_eq!(answer["error"], "stage_takes_no_dots");
    // The board moves forward only.
    b.step("plenum").await;
    let answer = b
        .expect(
            &b.facilitator,
            409,
            &format!("/items/{}/step", b.item),
            json!({"step": "group"}),
        )
        .await;
    assert_eq!(answer["error"], "stage_backwards");
    // Voting takes dots within the budget, and no notes.
    b.step("voting").await;
    let answer = b
        .expect(&b.alice, 409, "/notes", json!({"body": "For seint"}))
        .await;
    assert_eq!(answer["error"], "stage_takes_no_notes");
    for expected in 1..=3 {
        let answer = b
            .expect(&b.bob, 200, &format!("/notes/{note}/dots"), json!({}))
            .await;
        assert_eq!(answer["dots"], expected);
    }
    let answer = b
        .expect(&b.bob, 409, &format!("/notes/{note}/dots"), json!({}))
        .await;
    assert_eq!(answer["error"], "dot_budget_spent");
    // A closed item takes nothing.
    b.step("close").await;
    let answer = b
        .expect(&b.alice, 409, "/notes", json!({"body": "Etter slutt"}))
        .await;
    assert_eq!(answer["error"], "item_not_open");

    let notes = b.facilitator_notes().await;
    assert_eq!(notes.len(), 1, "only the one accepted note: {notes:?}");
    assert_eq!(notes[0]["dots"], 3);
}

#[tokio::test]
async fn confirmed_notes_become_inputs_linked_to_the_item_sections_and_the_group() {
    let b = board("tavle-innspel").await;
    b.step("open").await;
    let named = b.note(&b.alice, "Møteplass på biblioteket").await;
    let anonymous = b
        .expect(
            &b.bob,
            201,
            "/notes",
            json!({"body": "Skyss til aktivitetane", "named": false}),
        )
        .await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    b.step("plenum").await;
    let (status, answer) = b
        .send(
            &b.facilitator,
            Method::PUT,
            "/minutes",
            json!({"minutes": "# Referat\n\nVi tok opp **trinn 7–10**.<script>alert(1)</script>"}),
        )
        .await;
    assert_eq!(status, 204, "{answer}");
    let minutes_page = b
        .app
        .page(
            &b.facilitator,
            &format!("/workshops/{}/minutes", b.workshop),
        )
        .await;
    assert!(minutes_page.contains("<strong>trinn 7–10</strong>"));
    assert!(
        !minutes_page.contains("<script>alert"),
        "the minutes are sanitised"
    );

    // A participant cannot confirm.
    let answer = b
        .expect(&b.alice, 403, "/inputs", json!({"note_ids": [named]}))
        .await;
    assert_eq!(answer["error"], "not_facilitator");
    let answer = b
        .expect(
            &b.facilitator,
            200,
            "/inputs",
            json!({"note_ids": [named, anonymous]}),
        )
        .await;
    assert_eq!(
        answer["numbers"].as_array().map(Vec::len),
        Some(2),
        "{answer}"
    );
    // Confirming again gives no second input.
    let answer = b
        .expect(&b.facilitator, 200, "/inputs", json!({"note_ids": [named]}))
        .await;
    assert_eq!(answer["numbers"], json!([]));

    let (status, register) = b
        .app
        .get_json_as_planner(&format!(
            "/api/v1/plans/{}/inputs?section={}",
            b.plan_id, b.section
        ))
        .await;
    assert_eq!(status, 200, "{register}");
    let inputs: Vec<&Value> = register["inputs"]
        .as_array()
        .expect("inputs")
        .iter()
        .filter(|i| i["kind"] == "workshop_note")
        .collect();
    assert_eq!(inputs.len(), 2, "{register}");
    let by_text = |text: &str| {
        inputs
            .iter()
            .find(|i| i["text"] == text)
            .copied()
            .unwrap_or_else(|| panic!("no input {text:?} in {register}"))
    };
    let named_input = by_text("Møteplass på biblioteket");
    assert_eq!(
        named_input["from"],
        format!("{} (Alice Aas)", b.group_name),
        "{named_input}"
    );
    assert_eq!(
        by_text("Skyss til aktivitetane")["from"],
        b.group_name.as_str()
    );
    assert!(
        named_input["section_ids"]
            .as_array()
            .is_some_and(|s| s.iter().any(|id| id == b.section.as_str())),
        "{named_input}"
    );
    assert_eq!(named_input["assessment"]["state"], "unassessed");
}

#[tokio::test]
async fn the_facilitator_groups_and_merges_notes_once_everyone_sees_them_and_dots_follow() {
    let b = board("tavle-gruppering").await;
    b.step("open").await;
    let benches = b.note(&b.alice, "Fleire benker").await;
    let seats = b.note(&b.bob, "Stad å sitje langs vegen").await;
    let course = b.note(&b.carl, "Kurs i nettbank").await;
    let group = json!({"item_id": b.item, "note_ids": [benches, seats], "label": "Kvile på tur"});
    let merge = json!({"item_id": b.item, "into": benches, "from": [seats]});
    // In the individual stage arranging would show notes to everyone: refused.
    let answer = b
        .expect(&b.facilitator, 409, "/notes/group", group.clone())
        .await;
    assert_eq!(answer["error"], "not_in_plenum");
    let answer = b
        .expect(&b.facilitator, 409, "/notes/merge", merge.clone())
        .await;
    assert_eq!(answer["error"], "not_in_plenum");
    b.step("plenum").await;
    // Only the facilitator arranges; a heading has a size limit.
    let answer = b.expect(&b.alice, 403, "/notes/group", group.clone()).await;
    assert_eq!(answer["error"], "not_facilitator");
    let long = json!({"item_id": b.item, "note_ids": [benches], "label": "x".repeat(81)});
    let answer = b.expect(&b.facilitator, 422, "/notes/group", long).await;
    assert_eq!(answer["error"], "validation_failed");
    let labels = |notes: &[Value]| -> Vec<(String, Option<String>)> {
        let mut out: Vec<_> = notes
            .iter()
            .map(|n| {
                (
                    n["body"].as_str().expect("body").to_owned(),
                    n["group_label"].as_str().map(str::to_owned),
                )
            })
            .collect();
        out.sort();
        out
    };
    assert!(
        labels(&b.facilitator_notes().await)
            .iter()
            .all(|(_, label)| label.is_none()),
        "refusals stored nothing"
    );

    let mut carl_ws = b.subscribed(&b.carl, None).await;
    b.expect(&b.facilitator, 204, "/notes/group", group).await;
    let (kind, data, _) = next_event(&mut carl_ws).await;
    assert_eq!(kind, "workshop_notes_arranged", "{data}");
    assert_eq!(bodies(&data), ["Fleire benker", "Stad å sitje langs vegen"]);
    assert_eq!(
        labels(&b.facilitator_notes().await),
        [
            ("Fleire benker".to_owned(), Some("Kvile på tur".to_owned())),
            ("Kurs i nettbank".to_owned(), None),
            (
                "Stad å sitje langs vegen".to_owned(),
                Some("Kvile på tur".to_owned())
            ),
        ]
    );

    // Dots, then a merge: the merged note leaves the board and its dots go along.
    b.step("voting").await;
    for (who, note) in [(&b.alice, &seats), (&b.carl, &seats), (&b.bob, &benches)] {
        b.expect(who, 200, &format!("/notes/{note}/dots"), json!({}))
            .await;
    }
    b.expect(&b.facilitator, 204, "/notes/merge", merge.clone())
        .await;
    let notes = b.facilitator_notes().await;
    let dots: Vec<(String, u64)> = {
        let mut d: Vec<_> = notes
            .iter()
            .map(|n| {
                (
                    n["body"].as_str().expect("body").to_owned(),
                    n["dots"].as_u64().expect("dots"),
                )
            })
            .collect();
        d.sort();
        d
    };
    assert_eq!(
        dots,
        [
            ("Fleire benker".to_owned(), 3),
            ("Kurs i nettbank".to_owned(), 0)
        ]
    );
    // A note merged away cannot be merged again or merged into.
    let answer = b.expect(&b.facilitator, 404, "/notes/merge", merge).await;
    assert_eq!(answer["error"], "not_found", "{answer}");
    let _ = course;
}

/// The same through the facilitator's page: forms for tables, seats, the dot budget,
/// grouping and merging, each back at the page with what happened, and refusals as
/// pages with a status and nothing stored.
#[tokio::test]
async fn the_setup_page_seats_people_sets_the_budget_and_arranges_notes() {
    let b = board("tavle-oppsett").await;
    let setup = format!("/workshops/{}/board/setup", b.workshop);
    let (status, page) = b.app.page_status(&b.facilitator, &setup).await;
    assert_eq!(status, 200);
    for name in ["Alice Aas", "Bob Berg", "Carl Dahl", "Bord 1", "Bord 2"] {
        assert!(page.contains(name), "{name} on the page");
    }
    // A participant may not arrange the board.
    let (status, _) = b.app.page_status(&b.alice, &setup).await;
    assert_eq!(status, 403);
    // A form, then the page it goes back to (the client does not follow redirects).
    let post = |who: &SignedIn, path: &str, form: Vec<(&str, String)>| {
        let request = who.post(b.app.url(&format!("{setup}/{path}"))).form(&form);
        let client = who.client.clone();
        let app = &b.app;
        async move {
            let response = request.send().await.expect("post");
            let status = response.status().as_u16();
            if status != 303 {
                return (status, String::new(), response.text().await.expect("text"));
            }
            let location = response
                .headers()
                .get("location")
                .and_then(|l| l.to_str().ok())
                .expect("a location")
                .to_owned();
            let page = client
                .get(app.url(&location))
                .send()
                .await
                .expect("get")
                .text()
                .await
                .expect("text");
            (200, location, page)
        }
    };
    let (status, url, page) = post(
        &b.facilitator,
        "budget",
        vec![("dot_budget", "5".to_owned())],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(url.ends_with("/board/setup?done=budget#status"), "{url}");
    assert!(page.contains("Talet på prikkar er lagra."), "{page}");
    let (status, _, _) = post(
        &b.facilitator,
        "budget",
        vec![("dot_budget", "99".to_owned())],
    )
    .await;
    assert_eq!(status, 422);
    let (status, _, _) = post(&b.alice, "budget", vec![("dot_budget", "2".to_owned())]).await;
    assert_eq!(status, 403);
    let (status, board) = b
        .app
        .send(&b.facilitator, Method::GET, &b.path(""), None)
        .await;
    assert_eq!(status, 200);
    assert_eq!(board["dot_budget"], 5, "only the valid budget is stored");

    let (status, _, page) =
        post(&b.facilitator, "table", vec![("name", "Bord 3".to_owned())]).await;
    assert_eq!(status, 200);
    assert!(page.contains("Bordet er lagt til."));
    let table_three = {
        let (_, board) = b
            .app
            .send(&b.facilitator, Method::GET, &b.path(""), None)
            .await;
        board["tables"]
            .as_array()
            .expect("tables")
            .iter()
            .find(|t| t["name"] == "Bord 3")
            .expect("Bord 3 stored")["id"]
            .as_str()
            .expect("id")
            .to_owned()
    };
    let (status, _, _) = post(&b.facilitator, "table", vec![("name", String::new())]).await;
    assert_eq!(status, 422);
    let (status, _, _) = post(
        &b.facilitator,
        "seat",
        vec![
            ("person_id", b.carl.person.id.to_string()),
            ("table_id", table_three.clone()),
        ],
    )
    .await;
    assert_eq!(status, 200);
    let (_, board) = b.app.send(&b.carl, Method::GET, &b.path(""), None).await;
    assert_eq!(board["my_table"], table_three.as_str());

    // Arranging waits for plenum.
    let page = b.app.page(&b.facilitator, &setup).await;
    assert!(!page.contains("id=\"group-form\""));
    b.step("open").await;
    let one = b.note(&b.alice, "Benk ved butikken").await;
    let two = b.note(&b.bob, "Benk ved kyrkja").await;
    let (status, _, _) = post(
        &b.facilitator,
        "group",
        vec![
            ("item_id", b.item.clone()),
            ("note_id", one.clone()),
            ("label", "Benkar".to_owned()),
        ],
    )
    .await;
    assert_eq!(status, 409, "not before plenum");
    b.step("plenum").await;
    let page = b.app.page(&b.facilitator, &setup).await;
    assert!(page.contains("id=\"group-form\""), "{page}");
    let (status, _, page) = post(
        &b.facilitator,
        "group",
        vec![
            ("item_id", b.item.clone()),
            ("note_id", one.clone()),
            ("note_id", two.clone()),
            ("label", "Benkar".to_owned()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Lappane er grupperte."));
    assert!(
        b.facilitator_notes()
            .await
            .iter()
            .all(|n| n["group_label"] == "Benkar")
    );
    let (status, _, page) = post(
        &b.facilitator,
        "merge",
        vec![
            ("item_id", b.item.clone()),
            ("into", one.clone()),
            ("from", two.clone()),
        ],
    )
    .await;
    assert_eq!(status, 200, "{page}");
    assert!(page.contains("Lappane er slått saman."));
    let notes = b.facilitator_notes().await;
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert_eq!(notes[0]["id"], one.as_str());
}

/// Forgetting a participant takes them off the board: their notes keep the text
/// without their name (also in the input made from one), their dots go and the
/// open boards are told the new count.
#[tokio::test]
async fn forgetting_a_participant_removes_their_name_and_dots_from_the_board() {
    let b = board("tavle-gloyme").await;
    b.step("open").await;
    let note = b.note(&b.alice, "Møteplass på biblioteket").await;
    let other = b.note(&b.bob, "Skyss til aktivitetane").await;
    b.step("plenum").await;
    b.step("voting").await;
    b.expect(&b.alice, 200, &format!("/notes/{other}/dots"), json!({}))
        .await;
    b.expect(&b.alice, 200, &format!("/notes/{other}/dots"), json!({}))
        .await;
    b.expect(&b.bob, 200, &format!("/notes/{other}/dots"), json!({}))
        .await;
    b.expect(&b.facilitator, 200, "/inputs", json!({"note_ids": [note]}))
        .await;
    let from_of_input = || async {
        let (status, register) = b
            .app
            .get_json_as_planner(&format!("/api/v1/plans/{}/inputs", b.plan_id))
            .await;
        assert_eq!(status, 200, "{register}");
        register["inputs"]
            .as_array()
            .expect("inputs")
            .iter()
            .find(|i| i["text"] == "Møteplass på biblioteket")
            .expect("the input")["from"]
            .clone()
    };
    assert_eq!(
        from_of_input().await,
        format!("{} (Alice Aas)", b.group_name)
    );
    let mut bob_ws = b.subscribed(&b.bob, None).await;

    let response = b
        .alice
        .post(b.app.url("/me/delete"))
        .form(&[("confirm", "yes")])
        .send()
        .await
        .expect("post");
    assert_eq!(response.status(), 200);

    // The board says Bob's note has one dot now: Alice's two are gone.
    let (kind, data, _) = next_event(&mut bob_ws).await;
    assert_eq!(kind, "workshop_dots_changed", "{data}");
    assert_eq!(data["note_id"], other.as_str());
    assert_eq!(data["dots"], 1);
    let notes = b.facilitator_notes().await;
    let dots_of =
        |id: &str| notes.iter().find(|n| n["id"] == id).expect("note stays")["dots"].clone();
    assert_eq!(dots_of(&other), 1);
    assert_eq!(dots_of(&note), 0);
    // The note keeps its text; the input no longer names her.
    assert!(
        notes
            .iter()
            .any(|n| n["body"] == "Møteplass på biblioteket")
    );
    assert_eq!(from_of_input().await, b.group_name.as_str());
    let writers: Vec<Option<domain::PersonId>> = b
        .app
        .db
        .board_notes(b.workshop.parse().expect("id"))
        .await
        .expect("notes")
        .into_iter()
        .map(|n| n.writer_id)
        .collect();
    assert!(
        !writers.contains(&Some(b.alice.person.id)),
        "no note names her: {writers:?}"
    );
    // Her seat is gone too.
    let (_, board) = b
        .app
        .send(&b.facilitator, Method::GET, &b.path(""), None)
        .await;
    assert!(
        !board["tables"]
            .to_string()
            .contains(&b.alice.person.id.to_string()),
        "{board}"
    );
}

fn room(b: &Board) -> domain::room::Room {
    format!("workshop:{}", b.workshop).parse().expect("room")
}
