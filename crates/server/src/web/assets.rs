//! Static assets, compiled into the binary so Samråd serves everything itself.

use axum::Router;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use http::{StatusCode, header};

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "samrad.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../../../../web/static/samrad.css"),
    },
    Asset {
        name: "session.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../../web/static/session.js"),
    },
    Asset {
        name: "drafts.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../../web/static/drafts.js"),
    },
    Asset {
        name: "live.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../../web/static/live.js"),
    },
    Asset {
        name: "section-text.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../../web/static/section-text.js"),
    },
    Asset {
        name: "passages.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../../web/static/passages.js"),
    },
    Asset {
        name: "planner_hearing.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../../web/static/planner_hearing.js"),
    },
    Asset {
        name: "plan_form.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../../web/static/plan_form.js"),
    },
    Asset {
        name: "planner_register.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../../web/static/planner_register.js"),
    },
    Asset {
        name: "board.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../../web/static/board.js"),
    },
    Asset {
        name: "workshop.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../../../../web/static/workshop.js"),
    },
];

pub fn routes<S: Clone + Send + Sync + 'static>() -> Router<S> {
    Router::new().route("/assets/{name}", get(asset))
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => (
            [
                (header::CONTENT_TYPE, asset.content_type),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            asset.body,
        )
            .into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}
