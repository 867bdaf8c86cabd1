//! The websocket endpoint `/ws`: subscriptions in, events out (see
//! `docs/websocket-protocol.md`). Every subscription is checked against the policy.

use crate::auth::CurrentActor;
use crate::auth::session::MaybeSignedIn;
use crate::live::history::DbHistory;
use crate::security::origin_allowed;
use crate::state::AppState;
use crate::state::SessionSocket;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::response::{IntoResponse, Response};
use consultation::access::hearing_resource;
use domain::event::Viewer;
use domain::policy::{Action, Actor, Resource, can};
use domain::room::Room;
use futures_util::{SinkExt, StreamExt};
use http::{HeaderMap, StatusCode, header};
use hub::{ClientMessage, Connection, FocusError, Outbound, ServerMessage};
use std::time::Duration;

const PING_EVERY: Duration = Duration::from_secs(25);
/// A client that has answered nothing for this long is gone.
const SILENCE_LIMIT: Duration = Duration::from_secs(60);
const MAX_SUBSCRIPTIONS: usize = 32;
/// The largest message a client may send; a larger one closes the connection with
/// 1009 ("message too big").
pub const MAX_MESSAGE_BYTES: usize = 16 * 1024;
/// Frames up to this size are read whole, so that the close after a too-big message
/// is a clean handshake; beyond it the websocket layer gives up reading at once.
const HARD_FRAME_LIMIT: usize = 64 * 1024;
/// Subscriptions a connection may ask for at once (each costs database queries to
/// check), and how many more it earns each second after that.
const SUBSCRIBE_BURST: f64 = 40.0;
const SUBSCRIBES_PER_SECOND: f64 = 2.0;

/// A token bucket for one connection's `subscribe` messages.
struct SubscribeBudget {
    tokens: f64,
    at: std::time::Instant,
}

impl SubscribeBudget {
    fn new(now: std::time::Instant) -> SubscribeBudget {
        SubscribeBudget {
            tokens: SUBSCRIBE_BURST,
            at: now,
        }
    }

    /// Takes one subscription's worth; `false` when the connection must wait.
    fn take(&mut self, now: std::time::Instant) -> bool {
        let earned = now.saturating_duration_since(self.at).as_secs_f64() * SUBSCRIBES_PER_SECOND;
        self.tokens = (self.tokens + earned).min(SUBSCRIBE_BURST);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

/// What the websocket layer reads at a time (and keeps allocated per connection).
const READ_BUFFER: usize = 1024;
/// How long a closing handshake may take before the connection is simply dropped
/// (a client that does not read never answers it).
const CLOSE_GRACE: Duration = Duration::from_secs(2);

/// The name others see when this connection says which section it reads, or `None`
/// to be counted without a name. Group members and staff are named; the public (signed
/// in or not) and API tokens are only counted.
pub(crate) fn presence_name(actor: &Actor, signed_in: Option<&db::SignedIn>) -> Option<String> {
    let named = actor.person.is_some() && !actor.roles.is_empty();
    match signed_in {
        Some(signed_in) if named && !signed_in.person.name.is_empty() => {
            Some(signed_in.person.name.clone())
        }
        _ => None,
    }
}

pub async fn upgrade(
    State(state): State<AppState>,
    CurrentActor(actor, _): CurrentActor,
    MaybeSignedIn(signed_in): MaybeSignedIn,
    headers: HeaderMap,
    ws: WebSocketUpgrade,
) -> Response {
    // Browsers always send Origin; a page on another site must not read our events.
    if let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok())
        && !origin_allowed(&state, &headers, origin)
    {
        return crate::error::ApiError::new(
            StatusCode::FORBIDDEN,
            "origin_not_allowed",
            "websocket connections from this origin are not accepted",
        )
        .into_response();
    }
    let name = presence_name(&actor, signed_in.as_ref());
    // Small buffers: most connections are idle, and each costs memory. Clients send
    // little (subscriptions, focus), and every frame to them is written at once.
    ws.read_buffer_size(READ_BUFFER)
        .write_buffer_size(0)
        .max_message_size(HARD_FRAME_LIMIT)
        .max_frame_size(HARD_FRAME_LIMIT)
        .on_upgrade(move |socket| {
            let session = signed_in.as_ref().map(|s| state.session_socket(s.session));
            run(socket, state, actor, signed_in, session, name)
        })
}

/// The room's resource: `Ok(None)` when it does not exist; `Err` when the database
/// failed (not the same as a room that does not exist).
async fn resource_of(state: &AppState, room: Room) -> Result<Option<Resource>, db::DbError> {
    use db::DbError::NotFound;
    let db = state.db();
    let found = match room {
        Room::Hearing(id) => db.hearing(id).await.map(|h| hearing_resource(&h)),
        Room::Document(id) => match db.document(id).await {
            Ok(document) => consultation::access::document_resource(db, &document).await,
            Err(e) => Err(e),
        },
        Room::Plan(id) => match db.plan(id).await {
            Ok(plan) => consultation::access::readable_plan_resource(db, &plan).await,
            Err(e) => Err(e),
        },
        // Workshop rooms are decided with the viewer, in `viewer_of`.
        Room::Workshop(_) => return Ok(None),
    };
    match found {
        Ok(resource) => Ok(Some(resource)),
        Err(NotFound) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Whether `actor` may follow `room`, and who they are to its events: everyone in
/// a room gets the same events except in a workshop, where a note reaches its
/// writer, its table or everyone depending on the stage (see `domain::workshop_board`).
async fn viewer_of(
    state: &AppState,
    actor: &Actor,
    room: Room,
) -> Result<Option<Viewer>, db::DbError> {
    match room {
        Room::Workshop(id) => Ok(state.consultation().board_viewer(actor, id).await),
        _ => {
            let Some(resource) = resource_of(state, room).await? else {
                return Ok(None);
            };
            Ok(can(actor, Action::Subscribe, resource).then(|| Viewer {
                person: actor.person,
                ..Viewer::anyone()
            }))
        }
    }
}

async fn handle_client_message(
    state: &AppState,
    actor: &Actor,
    connection: &mut Connection<DbHistory>,
    budget: &mut SubscribeBudget,
    text: &str,
) {
    let message = match ClientMessage::decode(text) {
        Ok(m) => m,
        Err(detail) => {
            connection.reply(&ServerMessage::error("invalid_message", detail));
            return;
        }
    };
    match message {
        ClientMessage::Subscribe { room, since } => {
            if !budget.take(std::time::Instant::now()) {
                metrics::counter!("samrad_ws_subscribes_limited_total").increment(1);
                connection.reply(&ServerMessage::room_error(
                    "rate_limited",
                    "too many subscriptions asked for at once; wait a moment and try again",
                    &room,
                ));
                return;
            }
            let Ok(parsed) = room.parse::<Room>() else {
                connection.reply(&ServerMessage::room_error(
                    "invalid_room",
                    "rooms are document:<uuid>, hearing:<uuid>, plan:<uuid> or workshop:<uuid>",
                    &room,
                ));
                return;
            };
            // Unknown and forbidden look the same (same code, same message), so rooms
            // cannot be probed.
            let viewer = match viewer_of(state, actor, parsed).await {
                Ok(Some(viewer)) => viewer,
                Ok(None) => {
                    connection.reply(&ServerMessage::room_error(
                        "forbidden",
                        "this room does not exist or you may not follow it",
                        &room,
                    ));
                    return;
                }
                // Not "forbidden": the room may well be the client's to follow.
                Err(err) => {
                    tracing::error!(error = %err, %room, "could not check a subscription");
                    connection.reply(&ServerMessage::room_error(
                        "unavailable",
                        "the server cannot check this room just now; try again shortly",
                        &room,
                    ));
                    return;
                }
            };
            if let Err(err) = connection.subscribe_as(parsed, since, viewer) {
                connection.reply(&ServerMessage::room_error(
                    "too_many_subscriptions",
                    err.to_string(),
                    &room,
                ));
            }
        }
        ClientMessage::Unsubscribe { room } => {
            if let Ok(parsed) = room.parse::<Room>()
                && connection.unsubscribe(parsed)
            {
                connection.reply(&ServerMessage::Unsubscribed { room });
            }
        }
        ClientMessage::Focus { room, section } => {
            // Only rooms this connection follows, so permission was checked already.
            let result = match room.parse::<Room>() {
                Ok(parsed) => connection.focus(parsed, section),
                Err(_) => Err(FocusError::NotSubscribed),
            };
            if let Err(err) = result {
                let code = match err {
                    FocusError::NotSubscribed => "not_subscribed",
                    FocusError::NotADocument => "invalid_room",
                    FocusError::TooManySections(_) => "too_many_sections",
                };
                connection.reply(&ServerMessage::room_error(code, err.to_string(), &room));
            }
        }
    }
}

/// The size of a text or binary message read from the client.
fn incoming_len(incoming: &Option<Result<Message, axum::Error>>) -> usize {
    match incoming {
        Some(Ok(Message::Text(text))) => text.len(),
        Some(Ok(Message::Binary(bytes))) => bytes.len(),
        _ => 0,
    }
}

/// Whether a read failed because the client sent more than the websocket layer reads.
fn too_big(err: &axum::Error) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(e) = source {
        if let Some(tungstenite::Error::Capacity(_)) = e.downcast_ref::<tungstenite::Error>() {
            return true;
        }
        source = e.source();
    }
    false
}

/// After the person's roles changed: drops the subscriptions the policy no longer
/// allows, telling the client with `unsubscribed`.
async fn recheck_subscriptions(
    state: &AppState,
    actor: &Actor,
    connection: &mut Connection<DbHistory>,
) {
    let rooms: Vec<Room> = connection.rooms().collect();
    for room in rooms {
        // A failed check drops the room too: better than keeping what may be gone.
        let allowed = match viewer_of(state, actor, room).await {
            Ok(viewer) => viewer.is_some(),
            Err(err) => {
                tracing::error!(error = %err, %room, "could not check a subscription again");
                false
            }
        };
        if !allowed && connection.unsubscribe(room) {
            connection.reply(&ServerMessage::Unsubscribed {
                room: room.to_string(),
            });
        }
    }
}

async fn run(
    socket: WebSocket,
    state: AppState,
    mut actor: Actor,
    signed_in: Option<db::SignedIn>,
    session: Option<SessionSocket>,
    presence_name: Option<String>,
) {
    let mut roles_changed = state.watch_roles();
    // Anonymous sockets have no session to end: a token that never fires.
    let signed_out = session
        .as_ref()
        .map(|s| s.token.clone())
        .unwrap_or_default();
    metrics::gauge!("samrad_ws_connections").increment(1.0);
    let shutdown = state.shutdown_token();
    let mut connection = Connection::new(
        state.hub().clone(),
        state.history().clone(),
        state.config().ws_queue,
        MAX_SUBSCRIPTIONS,
    )
    .with_presence_name(presence_name);
    let (mut sink, mut stream) = socket.split();
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let mut last_heard = tokio::time::Instant::now();
    let mut budget = SubscribeBudget::new(std::time::Instant::now());
    let close = |code, reason: &'static str| {
        Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        }))
    };
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => {
                send_within(&mut sink, close(close_code::AWAY, "server shutting down"), CLOSE_GRACE).await;
                break;
            }
            _ = signed_out.cancelled() => {
                // What the session could see it may no longer see.
                send_within(&mut sink, close(close_code::POLICY, "signed out"), CLOSE_GRACE).await;
                break;
            }
            changed = roles_changed.recv(), if signed_in.is_some() => {
                let Some(me) = &signed_in else { continue };
                let mine = match changed {
                    Ok(person) => person == me.person.id,
                    // Missed some: check anyway rather than keep what may be gone.
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => true,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => false,
                };
                if mine {
                    actor = crate::auth::session::actor_for(&state, me).await;
                    recheck_subscriptions(&state, &actor, &mut connection).await;
                }
            }
            incoming = stream.next() => {
                last_heard = tokio::time::Instant::now();
                match incoming {
                    Some(Ok(Message::Text(_) | Message::Binary(_))) if incoming_len(&incoming) > MAX_MESSAGE_BYTES => {
                        // Read whole, so the client gets a proper closing handshake.
                        let _ = tokio::time::timeout(CLOSE_GRACE, async {
                            sink.send(close(close_code::SIZE, "message too big (at most 16 KiB)")).await?;
                            // Wait for the client's answer to the close.
                            while let Some(Ok(_)) = stream.next().await {}
                            Ok::<_, axum::Error>(())
                        })
                        .await;
                        break;
                    }
                    Some(Ok(Message::Text(text))) => {
                        handle_client_message(&state, &actor, &mut connection, &mut budget, text.as_str()).await;
                    }
                    Some(Ok(Message::Binary(_))) => {
                        connection.reply(&ServerMessage::error("invalid_message", "messages are JSON text"));
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Err(err)) if too_big(&err) => {
                        let _ = tokio::time::timeout(
                            CLOSE_GRACE,
                            sink.send(close(close_code::SIZE, "message too big (at most 16 KiB)")),
                        )
                        .await;
                        break;
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                }
            }
            outbound = connection.next() => {
                match outbound {
                    Some(Outbound::Text(frame)) => {
                        // The room's shared bytes, sent as they are (no copy per client).
                        let Ok(text) = Utf8Bytes::try_from(frame.bytes()) else {
                            continue;
                        };
                        // A client that does not read blocks this write; what arrives
                        // meanwhile waits in its queue, and the queue overflowing ends
                        // the wait.
                        tokio::select! {
                            biased;
                            sent = sink.send(Message::Text(text)) => {
                                if sent.is_err() {
                                    break;
                                }
                            }
                            () = connection.hold_while_blocked() => {
                                overload_close(&mut sink).await;
                                break;
                            }
                        }
                    }
                    Some(Outbound::Overloaded) | None => {
                        overload_close(&mut sink).await;
                        break;
                    }
                }
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > SILENCE_LIMIT {
                    send_within(&mut sink, close(close_code::POLICY, "no answer to ping"), CLOSE_GRACE).await;
                    break;
                }
                // A client whose TCP window is full takes no ping: it is gone.
                if !send_within(&mut sink, Message::Ping(Default::default()), CLOSE_GRACE).await {
                    break;
                }
            }
        }
    }
    metrics::gauge!("samrad_ws_connections").decrement(1.0);
}

/// Sends `message` unless the client takes longer than `limit` to accept it (its TCP
/// window is full: it reads nothing); whether it was sent. Every frame that is not
/// part of the event stream goes this way, so that no client holds a connection task
/// for good by not reading.
async fn send_within<S>(sink: &mut S, message: Message, limit: Duration) -> bool
where
    S: futures_util::Sink<Message> + Unpin,
{
    matches!(
        tokio::time::timeout(limit, sink.send(message)).await,
        Ok(Ok(()))
    )
}

/// 1013 "try again later": the client reconnects and resumes from its last seq. A
/// client that reads nothing never gets the frame; the connection is dropped anyway.
async fn overload_close(sink: &mut futures_util::stream::SplitSink<WebSocket, Message>) {
    let frame = Message::Close(Some(CloseFrame {
        code: close_code::AGAIN,
        reason: Utf8Bytes::from_static("too slow; resume from your last seq"),
    }));
    let _ = tokio::time::timeout(CLOSE_GRACE, sink.send(frame)).await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::pin::Pin;
    use std::task::{Context, Poll};

    /// A client that never reads: its sink never takes another frame.
    struct FullWindow;

    impl futures_util::Sink<Message> for FullWindow {
        type Error = axum::Error;
        fn poll_ready(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Pending
        }
        fn start_send(self: Pin<&mut Self>, _: Message) -> Result<(), Self::Error> {
            Ok(())
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Pending
        }
        fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
            Poll::Pending
        }
    }

    #[test]
    fn subscribes_beyond_the_burst_wait_for_the_bucket_to_refill() {
        let start = std::time::Instant::now();
        let mut budget = SubscribeBudget::new(start);
        for n in 0..SUBSCRIBE_BURST as usize {
            assert!(budget.take(start), "subscribe {n} of the burst");
        }
        assert!(!budget.take(start), "one more than the burst is refused");
        let later = start + Duration::from_secs(1);
        for _ in 0..SUBSCRIBES_PER_SECOND as usize {
            assert!(budget.take(later));
        }
        assert!(!budget.take(later), "a second earns only its share");
        let much_later = start + Duration::from_secs(3600);
        let mut taken = 0;
        while budget.take(much_later) {
            taken += 1;
        }
        assert_eq!(
            taken, SUBSCRIBE_BURST as usize,
            "the bucket never holds more than the burst"
        );
    }

    #[tokio::test]
    async fn pings_and_close_frames_to_a_client_that_does_not_read_give_up() {
        let mut sink = FullWindow;
        let limit = Duration::from_millis(20);
        assert!(!send_within(&mut sink, Message::Ping(Default::default()), limit).await);
        let close = Message::Close(Some(CloseFrame {
            code: close_code::AWAY,
            reason: Utf8Bytes::from_static("server shutting down"),
        }));
        assert!(!send_within(&mut sink, close, limit).await);
        // A client that reads takes them.
        let mut open =
            futures_util::sink::drain::<Message>().sink_map_err(|_| axum::Error::new("never"));
        assert!(send_within(&mut open, Message::Ping(Default::default()), limit).await);
    }
}
