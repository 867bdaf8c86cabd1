//! Controls that held before they had a test: the allow-listed sort and filter
//! parameters of the JSON API, and the rate limit on websocket `subscribe` messages.

use tests::{Backend, spawn_app};

#[tokio::test]
async fn sort_and_filter_parameters_are_allow_listed_with_json_errors() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("sortering").await;
    let inputs = format!("/api/v1/plans/{}/inputs", h.plan_id);
    let (status, listed) = app
        .get_json_as_planner(&format!("{inputs}?sort=-number"))
        .await;
    assert_eq!(status, 200, "{listed}");

    // Unknown keys, and sort values that are not on the list (column names, SQL),
    // are refused with a JSON error instead of reaching the query.
    for (query, code) in [
        ("?colour=red", "unknown_filter"),
        ("?sort=author", "unknown_filter"),
        ("?sort=id", "unknown_filter"),
        ("?sort=number%3B%20DROP%20TABLE%20inputs", "unknown_filter"),
        ("?sort=number%20desc", "unknown_filter"),
        ("?order_by=created_at", "unknown_filter"),
        ("?state=done", "invalid_filter"),
        ("?kind=comment%27%20OR%20%271%27%3D%271", "invalid_filter"),
        ("?limit=100000", "invalid_filter"),
    ] {
        let (status, body) = app.get_json_as_planner(&format!("{inputs}{query}")).await;
        assert_eq!(
            (status, body["error"].as_str()),
            (422, Some(code)),
            "{query}: {body}"
        );
        assert!(body["message"].is_string(), "{query}: {body}");
    }
    let statistics = format!("/api/v1/plans/{}/statistics", h.plan_id);
    let (status, body) = app
        .get_json_as_planner(&format!("{statistics}?sort=number"))
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_query")),
        "{body}"
    );
    let report = format!("/api/v1/hearings/{}/report.csv", h.id);
    for query in ["?group_by=author", "?colour=red"] {
        let (status, body) = app.get_json_as_planner(&format!("{report}{query}")).await;
        assert!(
            (400..500).contains(&status) && body["error"].is_string(),
            "{query}: {status} {body}"
        );
    }
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn a_flood_of_subscribe_messages_is_rate_limited_per_connection() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("flaum").await;
    let room = h.document_room();
    let mut ws = app.subscribed(&room, None, None).await;
    // Rooms that do not exist: each costs the server a database look-up to refuse.
    let flood = 80;
    for _ in 0..flood {
        let unknown = format!("hearing:{}", uuid::Uuid::new_v4());
        tests::ws::send(
            &mut ws,
            serde_json::json!({"type": "subscribe", "room": unknown}),
        )
        .await;
    }
    let mut codes = std::collections::BTreeMap::<String, usize>::new();
    for _ in 0..flood {
        let answer = tests::ws::next_json(&mut ws).await;
        assert_eq!(answer["type"], "error", "{answer}");
        *codes
            .entry(answer["code"].as_str().unwrap_or_default().to_owned())
            .or_default() += 1;
    }
    let limited = codes.get("rate_limited").copied().unwrap_or_default();
    assert!(limited > 0, "no subscribe was limited: {codes:?}");
    assert_eq!(
        codes.get("forbidden").copied().unwrap_or_default() + limited,
        flood,
        "{codes:?}"
    );
    // Another connection has its own allowance.
    let mut other = app.subscribed(&room, None, None).await;
    tests::ws::subscribe(&mut other, &format!("hearing:{}", h.id)).await;
    app.stop().await.expect("stops");
}
