//! Fan-out and back-pressure of the hub, with an in-memory history.

use domain::event::{
    BoardNote, CommentPosted, EventAudience, EventPayload, Viewer, WorkshopNotePosted,
};
use domain::room::Room;
use domain::{
    AgendaItemId, BoardNoteId, BoardTableId, CommentId, DocumentId, HearingId, PersonId, SectionId,
    WorkshopId,
};
use hub::{Connection, Envelope, History, Hub, Outbound};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Default)]
struct MemoryHistory {
    events: Mutex<Vec<Envelope>>,
}

impl History for MemoryHistory {
    async fn events_since(
        &self,
        room: Room,
        after: i64,
        limit: u64,
    ) -> Result<Vec<Envelope>, String> {
        let events = self.events.lock().map_err(|e| e.to_string())?;
        Ok(events
            .iter()
            .filter(|e| e.room == room && e.seq > after)
            .take(limit as usize)
            .cloned()
            .collect())
    }

    async fn last_seq(&self, room: Room) -> Result<i64, String> {
        let events = self.events.lock().map_err(|e| e.to_string())?;
        Ok(events
            .iter()
            .filter(|e| e.room == room)
            .map(|e| e.seq)
            .max()
            .unwrap_or(0))
    }
}

fn payload(document: DocumentId, n: i64) -> EventPayload {
    EventPayload::CommentPosted(CommentPosted {
        comment_id: CommentId::new(),
        hearing_id: HearingId::new(),
        document_id: document,
        section_id: SectionId::new(),
        author_name: "Ola".into(),
        body: format!("innspel {n}"),
        late: false,
        created_at: "2026-11-22T12:00:00Z".into(),
        parent_id: None,
        quote: None,
        anonymised: false,
    })
}

/// Stores and publishes, as the server does after commit.
fn publish(hub: &Hub, history: &MemoryHistory, room: Room, document: DocumentId, seq: i64) {
    let envelope = Envelope::new(room, seq, &payload(document, seq));
    history.events.lock().expect("lock").push(envelope.clone());
    hub.publish(envelope);
}

/// The `seq` of an event message (`None` for other messages): read from the JSON,
/// so that 1 is never mistaken for 10.
fn seq_of(text: &str) -> Option<i64> {
    let message: serde_json::Value = serde_json::from_str(text).expect("JSON from the hub");
    match message["type"].as_str() {
        Some("event") => message["seq"].as_i64(),
        _ => None,
    }
}

/// The next message other than presence (document rooms also carry presence).
async fn next_text(c: &mut Connection<MemoryHistory>) -> String {
    loop {
        match tokio::time::timeout(Duration::from_secs(5), c.next()).await {
            Ok(Some(Outbound::Text(t))) if t.starts_with("{\"type\":\"presence\"") => {}
            Ok(Some(Outbound::Text(t))) => return t.to_string(),
            other => panic!("expected a message, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_stuck_client_is_dropped_and_the_others_get_everything() {
    let hub = Hub::new(64);
    let history = Arc::new(MemoryHistory::default());
    let document = DocumentId::new();
    let room = Room::Document(document);

    let mut reader = Connection::new(hub.clone(), history.clone(), 64, 8);
    let mut stuck = Connection::new(hub.clone(), history.clone(), 16, 8);
    reader.subscribe(room, None).expect("subscribe");
    stuck.subscribe(room, None).expect("subscribe");
    assert!(next_text(&mut reader).await.contains("subscribed"));

    let mut received = 0;
    for seq in 1..=2000 {
        publish(&hub, &history, room, document, seq);
        // The reader keeps up; the stuck client never reads.
        while let Ok(Some(Outbound::Text(text))) =
            tokio::time::timeout(Duration::from_millis(1), reader.next()).await
        {
            if text.starts_with("{\"type\":\"presence\"") {
                continue;
            }
            assert_eq!(seq_of(&text), Some(received + 1), "out of order: {text}");
            received += 1;
        }
    }
    while received < 2000 {
        let text = next_text(&mut reader).await;
        assert_eq!(seq_of(&text), Some(received + 1), "out of order: {text}");
        received += 1;
    }
    // The stuck client's queue is bounded: it holds at most its capacity, then the
    // signal to disconnect.
    let mut queued = 0;
    let mut overloaded = false;
    while let Ok(Some(message)) =
        tokio::time::timeout(Duration::from_millis(200), stuck.next()).await
    {
        match message {
            Outbound::Text(_) => queued += 1,
            Outbound::Overloaded => {
                overloaded = true;
                break;
            }
        }
    }
    assert!(overloaded, "the stuck client was never told to disconnect");
    assert!(queued <= 16, "the stuck client's queue grew to {queued}");
}

#[tokio::test]
async fn resume_delivers_missed_events_once_and_in_order() {
    let hub = Hub::new(64);
    let history = Arc::new(MemoryHistory::default());
    let document = DocumentId::new();
    let room = Room::Document(document);
    for seq in 1..=50 {
        publish(&hub, &history, room, document, seq);
    }
    let mut client = Connection::new(hub.clone(), history.clone(), 256, 8);
    client.subscribe(room, Some(20)).expect("subscribe");
    let subscribed: serde_json::Value =
        serde_json::from_str(&next_text(&mut client).await).expect("JSON");
    assert_eq!(
        (subscribed["type"].as_str(), subscribed["seq"].as_i64()),
        (Some("subscribed"), Some(50)),
        "{subscribed}"
    );
    for seq in 21..=50 {
        let text = next_text(&mut client).await;
        assert_eq!(seq_of(&text), Some(seq), "{text}");
    }
    publish(&hub, &history, room, document, 51);
    let text = next_text(&mut client).await;
    assert_eq!(seq_of(&text), Some(51), "{text}");
    // No duplicate of any earlier event is queued: the next event is the next one.
    publish(&hub, &history, room, document, 52);
    let text = next_text(&mut client).await;
    assert_eq!(seq_of(&text), Some(52), "a duplicate arrived: {text}");
}

/// A workshop note for `audience`, with its sequence number in the text.
fn note(workshop: WorkshopId, seq: i64, audience: EventAudience) -> Envelope {
    let payload = EventPayload::WorkshopNotePosted(WorkshopNotePosted {
        workshop_id: workshop,
        note: BoardNote {
            note_id: BoardNoteId::new(),
            item_id: AgendaItemId::new(),
            body: format!("lapp {seq}"),
            table_id: None,
            stage: "individual".into(),
            group_label: None,
            dots: 0,
            spoken_by: None,
            created_at: "2026-12-13T12:00:00Z".into(),
        },
        audience,
    });
    Envelope::new(Room::Workshop(workshop), seq, &payload)
}

#[tokio::test]
async fn events_reach_only_their_audience_live_and_on_resume() {
    let hub = Hub::new(64);
    let history = Arc::new(MemoryHistory::default());
    let workshop = WorkshopId::new();
    let room = Room::Workshop(workshop);
    let (writer, neighbour) = (PersonId::new(), PersonId::new());
    let table = BoardTableId::new();
    let viewer = |person, tables: Vec<BoardTableId>| Viewer {
        person: Some(person),
        tables,
        every_table: false,
    };
    let audiences = [
        EventAudience::Person(writer),
        EventAudience::Table(table),
        EventAudience::Person(neighbour),
        EventAudience::Everyone,
    ];
    let stored = |seq: i64| {
        let envelope = note(workshop, seq, audiences[(seq as usize - 1) % 4]);
        history.events.lock().expect("lock").push(envelope.clone());
        envelope
    };

    // Live: the writer (at no table) gets their own note and the one for everyone;
    // the neighbour at the table gets the table's, their own and everyone's.
    let mut writer_client = Connection::new(hub.clone(), history.clone(), 64, 8);
    let mut neighbour_client = Connection::new(hub.clone(), history.clone(), 64, 8);
    writer_client
        .subscribe_as(room, None, viewer(writer, vec![]))
        .expect("subscribe");
    neighbour_client
        .subscribe_as(room, None, viewer(neighbour, vec![table]))
        .expect("subscribe");
    assert!(next_text(&mut writer_client).await.contains("subscribed"));
    assert!(
        next_text(&mut neighbour_client)
            .await
            .contains("subscribed")
    );
    for seq in 1..=4 {
        hub.publish(stored(seq));
    }
    assert_eq!(seq_of(&next_text(&mut writer_client).await), Some(1));
    assert_eq!(seq_of(&next_text(&mut writer_client).await), Some(4));
    for expected in [2, 3, 4] {
        assert_eq!(
            seq_of(&next_text(&mut neighbour_client).await),
            Some(expected)
        );
    }

    // Resume: the same choice from the log, then live again without a hole being
    // mistaken for a gap (the next event after a skipped one arrives).
    let mut resumed = Connection::new(hub.clone(), history.clone(), 64, 8);
    resumed
        .subscribe_as(room, Some(0), viewer(writer, vec![]))
        .expect("subscribe");
    assert!(next_text(&mut resumed).await.contains("subscribed"));
    assert_eq!(seq_of(&next_text(&mut resumed).await), Some(1));
    assert_eq!(seq_of(&next_text(&mut resumed).await), Some(4));
    hub.publish(stored(5));
    hub.publish(stored(6));
    hub.publish(stored(7));
    hub.publish(stored(8));
    assert_eq!(seq_of(&next_text(&mut resumed).await), Some(5));
    assert_eq!(seq_of(&next_text(&mut resumed).await), Some(8));
    assert_eq!(seq_of(&next_text(&mut writer_client).await), Some(5));
    assert_eq!(seq_of(&next_text(&mut writer_client).await), Some(8));
}

/// The next `reset` message's `seq`, skipping presence; fails on anything else.
async fn next_reset(c: &mut Connection<MemoryHistory>) -> i64 {
    let text = next_text(c).await;
    let message: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    assert_eq!(message["type"], "reset", "{text}");
    message["seq"].as_i64().expect("seq")
}

#[tokio::test]
async fn resuming_ahead_of_the_room_gets_a_reset_and_then_every_new_event() {
    let hub = Hub::new(64);
    let history = Arc::new(MemoryHistory::default());
    let document = DocumentId::new();
    let room = Room::Document(document);
    for seq in 1..=3 {
        publish(&hub, &history, room, document, seq);
    }
    // The client saw event 50 before the database was restored to event 3.
    let mut client = Connection::new(hub.clone(), history.clone(), 64, 8);
    client.subscribe(room, Some(50)).expect("subscribe");
    assert!(next_text(&mut client).await.contains("\"subscribed\""));
    assert_eq!(
        next_reset(&mut client).await,
        3,
        "reset to where the room is"
    );
    // Events 4, 5, … are new to it, although it once saw numbers like them.
    publish(&hub, &history, room, document, 4);
    assert_eq!(seq_of(&next_text(&mut client).await), Some(4));
}

#[tokio::test]
async fn resuming_after_too_long_a_gap_gets_a_reset_instead_of_the_events() {
    let hub = Hub::new(64);
    let history = Arc::new(MemoryHistory::default());
    let document = DocumentId::new();
    let room = Room::Document(document);
    // More than the hub replays one by one (1000).
    for seq in 1..=1002 {
        history.events.lock().expect("lock").push(Envelope::new(
            room,
            seq,
            &payload(document, seq),
        ));
    }
    let mut client = Connection::new(hub.clone(), history.clone(), 64, 8);
    client.subscribe(room, Some(1)).expect("subscribe");
    assert!(next_text(&mut client).await.contains("\"subscribed\""));
    assert_eq!(next_reset(&mut client).await, 1002, "no replay, a reset");
    publish(&hub, &history, room, document, 1003);
    assert_eq!(seq_of(&next_text(&mut client).await), Some(1003));

    // Within the limit the missed events come one by one, with no reset.
    let mut near = Connection::new(hub.clone(), history.clone(), 2048, 8);
    near.subscribe(room, Some(3)).expect("subscribe");
    assert!(next_text(&mut near).await.contains("\"subscribed\""));
    for seq in 4..=1003 {
        assert_eq!(seq_of(&next_text(&mut near).await), Some(seq));
    }
}
