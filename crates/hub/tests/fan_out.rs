//! Fan-out and back-pressure of the hub, with an in-memory history.

use domain::event::{CommentPosted, EventPayload};
use domain::room::Room;
use domain::{CommentId, DocumentId, HearingId, SectionId};
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
