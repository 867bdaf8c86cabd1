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

fn room(b: &Board) -> domain::room::Room {
    format!("workshop:{}", b.workshop).parse().expect("room")
}
