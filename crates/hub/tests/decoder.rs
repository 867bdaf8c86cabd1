//! Property tests of the websocket message decoder: whatever a client sends, it
//! answers a message or a short error and never panics; every well-formed message
//! decodes to exactly what was sent, and room names parse back to themselves.

use domain::room::Room;
use hub::ClientMessage;
use hub::DECODE_DETAIL_CHARS;
use proptest::prelude::*;
use serde_json::{Value, json};

fn uuid() -> impl Strategy<Value = String> {
    any::<u128>().prop_map(|n| {
        let h = format!("{n:032x}");
        format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        )
    })
}

fn room_name() -> impl Strategy<Value = String> {
    prop_oneof![
        (
            prop_oneof![
                Just("document"),
                Just("hearing"),
                Just("plan"),
                Just("workshop")
            ],
            uuid()
        )
            .prop_map(|(kind, id)| format!("{kind}:{id}")),
        "\\PC{0,40}",
    ]
}

/// A message as a client might build it: well-formed or with a field off.
fn message() -> impl Strategy<Value = (Value, Option<ClientMessage>)> {
    prop_oneof![
        (room_name(), proptest::option::of(any::<i64>())).prop_map(|(room, since)| {
            let mut v = json!({"type": "subscribe", "room": room});
            if let Some(since) = since {
                v["since"] = json!(since);
            }
            (v, Some(ClientMessage::Subscribe { room, since }))
        }),
        room_name().prop_map(|room| (
            json!({"type": "unsubscribe", "room": room}),
            Some(ClientMessage::Unsubscribe { room })
        )),
        (room_name(), proptest::option::of(uuid())).prop_map(|(room, section)| {
            let parsed = section.as_deref().map(|s| s.parse().expect("a uuid"));
            (
                json!({"type": "focus", "room": room, "section": section}),
                Some(ClientMessage::Focus {
                    room,
                    section: parsed,
                }),
            )
        }),
        // Wrong types, unknown kinds, unknown fields, missing fields.
        (room_name(), "[a-z_]{0,12}")
            .prop_map(|(room, kind)| (json!({"type": kind, "room": room, "extra": 1}), None)),
        any::<i64>().prop_map(|n| (json!({"type": "subscribe", "room": n}), None)),
        "\\PC{0,20}".prop_map(|s| (json!({"type": "focus", "section": s}), None)),
        Just((json!({"type": "subscribe"}), None)),
        Just((json!([]), None)),
        Just((json!(null), None)),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn any_text_gives_a_message_or_a_short_error(text in "\\PC{0,200}") {
        if let Err(detail) = ClientMessage::decode(&text) {
            prop_assert!(detail.chars().count() <= DECODE_DETAIL_CHARS);
        }
    }

    #[test]
    fn a_message_decodes_to_what_was_sent(
        (value, expected) in message(),
        cut in proptest::option::of(any::<usize>()),
    ) {
        let text = value.to_string();
        match (&expected, ClientMessage::decode(&text)) {
            (Some(expected), Ok(decoded)) => prop_assert_eq!(&decoded, expected),
            (None, Err(detail)) => prop_assert!(detail.chars().count() <= DECODE_DETAIL_CHARS),
            (expected, got) => prop_assert!(false, "{text}: expected {expected:?}, got {got:?}"),
        }
        // A message cut anywhere (at a character boundary) is refused, not misread.
        if let Some(cut) = cut {
            let mut at = cut % text.len().max(1);
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            if at < text.len() {
                prop_assert!(ClientMessage::decode(&text[..at]).is_err(), "{}", &text[..at]);
            }
        }
    }

    #[test]
    fn room_names_parse_back_to_themselves_or_are_refused(name in room_name()) {
        if let Ok(room) = name.parse::<Room>() {
            prop_assert_eq!(room.to_string().to_ascii_lowercase(), name.to_ascii_lowercase());
            prop_assert_eq!(room.to_string().parse::<Room>(), Ok(room));
        }
    }
}
