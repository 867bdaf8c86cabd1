//! The websocket endpoint `/ws`: subscriptions in, events out (see
//! `docs/websocket-protocol.md`). Every subscription is checked against the policy.

use crate::auth::CurrentActor;
use crate::history::DbHistory;
use crate::security::origin_allowed;
use crate::services::hearing_resource;
use crate::session::MaybeSignedIn;
use crate::state::AppState;
use crate::state::SessionSocket;
use axum::extract::State;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade, close_code};
use axum::response::{IntoResponse, Response};
use domain::policy::{Action, Actor, Resource, can};
use domain::room::Room;
use futures_util::{SinkExt, StreamExt};
use http::{HeaderMap, StatusCode, header};
use hub::{ClientMessage, Connection, Outbound, ServerMessage};
use std::time::Duration;

const PING_EVERY: Duration = Duration::from_secs(25);
/// A client that has answered nothing for this long is gone.
const SILENCE_LIMIT: Duration = Duration::from_secs(60);
const MAX_SUBSCRIPTIONS: usize = 32;

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
    // Small buffers: most connections are idle, and each costs memory.
    ws.read_buffer_size(4 * 1024)
        .write_buffer_size(8 * 1024)
        .max_message_size(16 * 1024)
        .max_frame_size(16 * 1024)
        .on_upgrade(move |socket| {
            let session = signed_in.as_ref().map(|s| state.session_socket(s.session));
            run(socket, state, actor, signed_in, session)
        })
}

async fn resource_of(state: &AppState, room: Room) -> Option<Resource> {
    let db = state.db();
    match room {
        Room::Hearing(id) => db.hearing(id).await.ok().map(|h| hearing_resource(&h)),
        Room::Document(id) => {
            let document = db.document(id).await.ok()?;
            crate::services::document_resource(db, &document).await.ok()
        }
        Room::Plan(id) => db
            .plan(id)
            .await
            .ok()
            .map(|p| crate::services::plan_resource(&p)),
    }
}

async fn handle_client_message(
    state: &AppState,
    actor: &Actor,
    connection: &mut Connection<DbHistory>,
    text: &str,
) {
    let message = match serde_json::from_str::<ClientMessage>(text) {
        Ok(m) => m,
        Err(err) => {
            connection.reply(&ServerMessage::error("invalid_message", err.to_string()));
            return;
        }
    };
    match message {
        ClientMessage::Subscribe { room, since } => {
            let Ok(parsed) = room.parse::<Room>() else {
                connection.reply(&ServerMessage::error(
                    "invalid_room",
                    format!("unknown room {room:?}"),
                ));
                return;
            };
            let allowed = match resource_of(state, parsed).await {
                Some(resource) => can(actor, Action::Subscribe, resource),
                None => false,
            };
            // Unknown and forbidden look the same, so rooms cannot be probed.
            if !allowed {
                connection.reply(&ServerMessage::error(
                    "forbidden",
                    format!("cannot subscribe to {room}"),
                ));
                return;
            }
            if let Err(err) = connection.subscribe(parsed, since) {
                connection.reply(&ServerMessage::error(
                    "too_many_subscriptions",
                    err.to_string(),
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
    }
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
        let allowed = match resource_of(state, room).await {
            Some(resource) => can(actor, Action::Subscribe, resource),
            None => false,
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
    );
    let (mut sink, mut stream) = socket.split();
    let mut ping = tokio::time::interval(PING_EVERY);
    ping.tick().await;
    let mut last_heard = tokio::time::Instant::now();
    let close = |code, reason: &'static str| {
        Message::Close(Some(CloseFrame {
            code,
            reason: Utf8Bytes::from_static(reason),
        }))
    };
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => {
                let _ = sink.send(close(close_code::AWAY, "server shutting down")).await;
                break;
            }
            _ = signed_out.cancelled() => {
                // What the session could see it may no longer see.
                let _ = sink.send(close(close_code::POLICY, "signed out")).await;
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
                    actor = crate::session::actor_for(&state, me).await;
                    recheck_subscriptions(&state, &actor, &mut connection).await;
                }
            }
            incoming = stream.next() => {
                last_heard = tokio::time::Instant::now();
                match incoming {
                    Some(Ok(Message::Text(text))) => {
                        handle_client_message(&state, &actor, &mut connection, text.as_str()).await;
                    }
                    Some(Ok(Message::Binary(_))) => {
                        connection.reply(&ServerMessage::error("invalid_message", "messages are JSON text"));
                    }
                    Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                }
            }
            outbound = connection.next() => {
                match outbound {
                    Some(Outbound::Text(text)) => {
                        if sink.send(Message::Text(Utf8Bytes::from(&*text))).await.is_err() {
                            break;
                        }
                    }
                    Some(Outbound::Overloaded) | None => {
                        // 1013 "try again later": the client reconnects and resumes.
                        let _ = sink.send(close(close_code::AGAIN, "too slow; resume from your last seq")).await;
                        break;
                    }
                }
            }
            _ = ping.tick() => {
                if last_heard.elapsed() > SILENCE_LIMIT {
                    let _ = sink.send(close(close_code::POLICY, "no answer to ping")).await;
                    break;
                }
                if sink.send(Message::Ping(Default::default())).await.is_err() {
                    break;
                }
            }
        }
    }
    metrics::gauge!("samrad_ws_connections").decrement(1.0);
}
