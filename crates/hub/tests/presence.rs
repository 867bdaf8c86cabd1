//! Presence through real connections: who reads which section, sent to everyone in
//! the room, merged when it changes fast, and forgotten when connections go.

use domain::room::Room;
use domain::{DocumentId, HearingId, SectionId};
use hub::{Connection, Envelope, FocusError, History, Hub, Outbound};
use serde_json::Value;
use std::sync::Arc;
use std::time::Duration;

/// No events in these tests: presence only.
struct NoHistory;

impl History for NoHistory {
    async fn events_since(&self, _: Room, _: i64, _: u64) -> Result<Vec<Envelope>, String> {
        Ok(Vec::new())
    }

    async fn last_seq(&self, _: Room) -> Result<i64, String> {
        Ok(0)
    }
}

async fn next_json(c: &mut Connection<NoHistory>) -> Value {
    // Virtual time (start_paused): this bound only turns a hang into a failure.
    match tokio::time::timeout(Duration::from_secs(3600), c.next()).await {
        Ok(Some(Outbound::Text(t))) => serde_json::from_str(&t).expect("JSON"),
        other => panic!("expected a message, got {other:?}"),
    }
}

fn connection(hub: &Arc<Hub>, name: Option<&str>) -> Connection<NoHistory> {
    Connection::new(hub.clone(), Arc::new(NoHistory), 64, 8)
        .with_presence_name(name.map(str::to_owned))
}

/// The (section, count, names) triples of a presence message.
fn sections(message: &Value) -> Vec<(String, u64, Vec<String>)> {
    assert_eq!(message["type"], "presence", "{message}");
    message["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| {
            (
                s["section"].as_str().expect("section").to_owned(),
                s["count"].as_u64().expect("count"),
                s["names"]
                    .as_array()
                    .expect("names")
                    .iter()
                    .map(|n| n.as_str().expect("name").to_owned())
                    .collect(),
            )
        })
        .collect()
}

#[tokio::test(start_paused = true)]
async fn readers_see_each_other_and_leaving_is_seen() {
    let hub = Hub::new(64);
    let document = DocumentId::new();
    let room = Room::Document(document);
    let section = SectionId::new();

    let mut kari = connection(&hub, Some("Kari Nordmann"));
    let mut public = connection(&hub, None);
    kari.subscribe(room, None).expect("subscribe");
    assert_eq!(next_json(&mut kari).await["type"], "subscribed");
    // Right after subscribing: the room's presence, empty so far.
    assert_eq!(sections(&next_json(&mut kari).await), vec![]);
    public.subscribe(room, None).expect("subscribe");
    assert_eq!(next_json(&mut public).await["type"], "subscribed");
    assert_eq!(sections(&next_json(&mut public).await), vec![]);

    kari.focus(room, Some(section)).expect("focus");
    let expected = vec![(section.to_string(), 1, vec!["Kari Nordmann".to_owned()])];
    assert_eq!(sections(&next_json(&mut public).await), expected);
    assert_eq!(sections(&next_json(&mut kari).await), expected);

    // The public are counted, never named.
    public.focus(room, Some(section)).expect("focus");
    let expected = vec![(section.to_string(), 2, vec!["Kari Nordmann".to_owned()])];
    assert_eq!(sections(&next_json(&mut public).await), expected);
    assert_eq!(sections(&next_json(&mut kari).await), expected);

    // Unsubscribing takes Kari out of the room's presence.
    assert!(kari.unsubscribe(room));
    assert_eq!(
        sections(&next_json(&mut public).await),
        vec![(section.to_string(), 1, vec![])]
    );
    assert_eq!(hub.presence_rooms_count(), 1);
    // A late joiner sees the room as it is now.
    let mut late = connection(&hub, Some("Ola"));
    late.subscribe(room, None).expect("subscribe");
    assert_eq!(next_json(&mut late).await["type"], "subscribed");
    assert_eq!(
        sections(&next_json(&mut late).await),
        vec![(section.to_string(), 1, vec![])]
    );
    // Closing a connection does the same, and the room is forgotten with the last one.
    drop(public);
    assert_eq!(sections(&next_json(&mut late).await), vec![]);
    drop(late);
    assert_eq!(hub.presence_rooms_count(), 0);
    assert!(hub.presence_of(room).is_empty());
}

#[tokio::test(start_paused = true)]
async fn fast_changes_are_merged_into_one_message_per_interval() {
    let hub = Hub::new(64);
    let room = Room::Document(DocumentId::new());
    let [first, second, third] = [SectionId::new(), SectionId::new(), SectionId::new()];
    let mut reader = connection(&hub, Some("Kari"));
    let mut watcher = connection(&hub, None);
    reader.subscribe(room, None).expect("subscribe");
    watcher.subscribe(room, None).expect("subscribe");
    assert_eq!(next_json(&mut watcher).await["type"], "subscribed");
    assert_eq!(sections(&next_json(&mut watcher).await), vec![]);

    let started = tokio::time::Instant::now();
    reader.focus(room, Some(first)).expect("focus");
    assert_eq!(
        sections(&next_json(&mut watcher).await)[0].0,
        first.to_string()
    );
    // Scrolling quickly through two more sections: one message, with the last one,
    // no sooner than the interval after the previous message.
    reader.focus(room, Some(second)).expect("focus");
    reader.focus(room, Some(third)).expect("focus");
    let merged = sections(&next_json(&mut watcher).await);
    assert_eq!(
        merged,
        vec![(third.to_string(), 1, vec!["Kari".to_owned()])]
    );
    assert!(started.elapsed() >= hub::PRESENCE_INTERVAL);
    // Several changes within one interval: one message with where they ended.
    reader.focus(room, Some(first)).expect("focus");
    reader.focus(room, Some(third)).expect("focus");
    reader.focus(room, None).expect("focus");
    assert_eq!(sections(&next_json(&mut watcher).await), vec![]);
}

#[tokio::test(start_paused = true)]
async fn focus_needs_a_subscribed_document_room() {
    let hub = Hub::new(64);
    let mut c = connection(&hub, None);
    let document = Room::Document(DocumentId::new());
    let hearing = Room::Hearing(HearingId::new());
    assert_eq!(
        c.focus(document, Some(SectionId::new())),
        Err(FocusError::NotSubscribed)
    );
    c.subscribe(hearing, None).expect("subscribe");
    assert_eq!(next_json(&mut c).await["type"], "subscribed");
    assert_eq!(
        c.focus(hearing, Some(SectionId::new())),
        Err(FocusError::NotADocument)
    );
    // No presence for hearing rooms, and nothing was recorded anywhere.
    assert_eq!(hub.presence_rooms_count(), 0);
    // Subscribing to the same room again keeps one presence membership.
    c.subscribe(document, None).expect("subscribe");
    c.subscribe(document, Some(0)).expect("again");
    c.focus(document, Some(SectionId::new())).expect("focus");
    assert_eq!(hub.presence_of(document).len(), 1);
    assert!(c.unsubscribe(document));
    assert_eq!(hub.presence_rooms_count(), 0, "one unsubscribe ends it");
}
