//! Suggestions for a hearing's planners (near-copies, themes, summaries per section
//! and theme), computed in the background, stored with state and history, and used
//! only once a planner accepts them — through the real server, on SQLite and
//! PostgreSQL alike.

use reqwest::Method;
use serde_json::json;
use std::io::Read;
use tests::{Backend, TestApp, spawn_app};

const LETTER: &str = "Vi seier nei til den nye vegen gjennom Fjordvik sentrum. \
    Vegen vil øydeleggje turområdet ved elva og auke trafikken forbi skulen. \
    Kommunen må heller satse på kollektivtrafikk og trygge gang- og sykkelvegar. \
    Vi ber om at planen blir send tilbake og at innbyggjarane blir høyrde.";

/// Asks for a computation from the page's button and waits until the background
/// task has stored it (the page no longer says it is under way).
async fn recompute(app: &TestApp, planner: &reqwest::Client, hearing: &str) -> String {
    let path = format!("/planner/hearings/{hearing}/suggestions");
    let response = planner
        .post(app.url(&format!("{path}/compute")))
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status(), 303);
    for _ in 0..600 {
        let page = app.page(planner, &path).await;
        if !page.contains("id=\"suggestions-pending\"") && page.contains("Rekna ut ") {
            return page;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the suggestions were never computed");
}

/// The block of the page that starts at `marker`, up to `end`.
fn block<'a>(page: &'a str, marker: &str, end: &str) -> &'a str {
    let from = &page[page
        .find(marker)
        .unwrap_or_else(|| panic!("{marker}: {page}"))..];
    &from[..from.find(end).expect("the block ends")]
}

fn inputs_of(form: &str) -> Vec<&str> {
    form.match_indices("name=\"input\" value=\"")
        .map(|(at, m)| &form[at + m.len()..at + m.len() + 36])
        .collect()
}

/// Where the forms of the suggestion whose block this is post to.
fn action_of(block: &str) -> &str {
    let at = block
        .find("/planner/suggestions/")
        .expect("a decision form");
    &block[at..at + "/planner/suggestions/".len() + 36]
}

#[tokio::test]
async fn suggestions_are_stored_and_used_only_once_a_planner_accepts_them() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("forslag").await;
    let planner = tests::signed_in_planner(&app, "planleggjar@testvik.example").await;
    let texts = [
        LETTER.to_owned(),
        format!("{LETTER} Eg bur sjølv ved elva og går der kvar dag."),
        LETTER.replace("nye", "planlagde").to_uppercase(),
        "Barnehagen på Nordheim treng fleire plassar, og ventelistene er lange.".to_owned(),
        "Eg ønskjer ein ny idrettshall i bygda, for ungdomen har ingen stad å vere.".to_owned(),
    ];
    let first = app
        .citizen("innbyggjar@example.org", "Innbyggjar Ein")
        .await;
    let second = app.citizen("nabo@example.org", "Innbyggjar To").await;
    for (n, text) in texts.iter().enumerate() {
        let author = if n % 2 == 0 { &first } else { &second };
        let (status, body) = app
            .send(
                author,
                Method::POST,
                &h.comments_path(),
                Some(json!({"section_id": h.section(), "body": text})),
            )
            .await;
        assert!(status == 201 || status == 202, "{status}: {body}");
    }

    let path = format!("/planner/hearings/{}/suggestions", h.id);
    // Reading the page computes nothing: never computed until asked for.
    let page = app.page(&planner, &path).await;
    assert!(page.contains("Forslaga er ikkje rekna ut enno."), "{page}");
    assert!(!page.contains("class=\"suggestion-group\""));

    let page = recompute(&app, &planner, &h.id).await;
    assert!(page.contains("Dette er forslag"), "{page}");
    // Stored as suggestions, each with a history line of its computation.
    let hearing = domain::HearingId(h.id.parse().expect("uuid"));
    let stored = app
        .db
        .suggestions_of_hearing(hearing)
        .await
        .expect("stored");
    assert!(stored.iter().any(|s| s.kind == "group"), "{stored:?}");
    assert!(stored.iter().any(|s| s.kind == "theme"), "{stored:?}");
    assert!(stored.iter().any(|s| s.kind == "summary"), "{stored:?}");
    assert!(
        stored
            .iter()
            .all(|s| s.state == "suggested" && s.decided_by.is_none())
    );

    // Nothing is used before a planner accepts it: no assessment, no theme of the
    // plan, no summary in the report.
    let (_, themes) = app
        .get_json_as_planner(&format!("/api/v1/plans/{}/themes", h.plan_id))
        .await;
    assert_eq!(themes.to_string().matches("\"id\"").count(), 0, "{themes}");
    let report = app
        .page(&planner, &format!("/planner/hearings/{}/report", h.id))
        .await;
    assert!(!report.contains("Samandrag av innspela"), "{report}");

    // The three copies are one group, with the shared text and the personal line.
    let group = block(&page, "class=\"suggestion-group\"", "</article>");
    assert!(group.contains("3 nesten like innspel"), "{group}");
    assert!(group.contains(
        "<p>Vegen vil øydeleggje turområdet ved elva og auke trafikken forbi skulen.</p>"
    ));
    assert!(group.contains("<ins>Eg bur sjølv ved elva og går der kvar dag.</ins>"));

    // Every summary sentence is a sentence of a real input, linked to that input.
    let summaries = block(&page, "id=\"summaries-heading\"", "id=\"history-heading\"");
    let mut sentences = 0;
    for (at, _) in summaries.match_indices("<li>«") {
        let rest = &summaries[at + "<li>«".len()..];
        let sentence = &rest[..rest.find('»').expect("the sentence ends")];
        let link = &rest[rest.find("href=\"/planner/inputs/").expect("linked")
            + "href=\"/planner/inputs/".len()..][..36];
        let (status, read) = app
            .get_json_as_planner(&format!("/api/v1/inputs/{link}"))
            .await;
        assert_eq!(status, 200, "{read}");
        let source = read["input"].to_string();
        assert!(
            texts.iter().any(|t| t.contains(sentence)) && source.contains(sentence),
            "not a sentence of the input it links to: {sentence}"
        );
        sentences += 1;
    }
    assert!(sentences > 0, "{summaries}");

    // Accepting the group without one member: one assessment, as drafts, for the
    // two kept; the suggestion is accepted, with who and when.
    let accept = block(
        group,
        "class=\"planner-form bulk-form accept-group\"",
        "</form>",
    );
    let members = inputs_of(accept);
    assert_eq!(members.len(), 3, "{accept}");
    let response = planner
        .post(app.url(action_of(group)))
        .form(&[
            ("action", "accept-group"),
            ("input", members[0]),
            ("input", members[1]),
            ("summary", "Kampanje mot den nye vegen."),
            ("outcome", "noted"),
            ("response", "Vegen blir vurdert på nytt i planforslaget."),
        ])
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status(), 303);
    for (n, member) in members.iter().enumerate() {
        let (status, read) = app
            .get_json_as_planner(&format!("/api/v1/inputs/{member}"))
            .await;
        assert_eq!(status, 200, "{read}");
        let assessment = &read["input"]["assessment"];
        if n < 2 {
            assert_eq!(
                assessment["summary"], "Kampanje mot den nye vegen.",
                "{read}"
            );
            assert_eq!(assessment["state"], "drafted", "{read}");
            assert_eq!(read["history"][0]["action"], "drafted", "{read}");
        } else {
            assert_ne!(
                assessment["summary"], "Kampanje mot den nye vegen.",
                "{read}"
            );
        }
    }
    let stored = app
        .db
        .suggestions_of_hearing(hearing)
        .await
        .expect("stored");
    let accepted = stored
        .iter()
        .find(|s| s.kind == "group" && s.state == "accepted")
        .expect("the group is accepted");
    assert!(accepted.decided_by.is_some() && accepted.decided_at.is_some());
    let history = app.db.suggestion_history(hearing).await.expect("history");
    assert!(
        history
            .iter()
            .any(|l| l.suggestion_id == accepted.id && l.action == "accepted" && l.who.is_some()),
        "{history:?}"
    );
    // Deciding again on what is decided is refused and changes nothing.
    let again = planner
        .post(app.url(action_of(group)))
        .form(&[("action", "drop")])
        .send()
        .await
        .expect("posted");
    assert_eq!(again.status(), 409);
    assert_eq!(
        app.db.suggestion(accepted.id).await.expect("read").state,
        "accepted"
    );

    // A suggested theme renamed, then accepted: a theme of the plan (its tags).
    let page = app.page(&planner, &path).await;
    let theme = block(&page, "class=\"suggestion-theme\" id=", "</article>");
    let rename = block(theme, "class=\"planner-form rename-theme\"", "</form>");
    assert!(rename.contains("value=\"rename\""), "{rename}");
    let response = planner
        .post(app.url(action_of(theme)))
        .form(&[("action", "rename"), ("name", "Vegen gjennom sentrum")])
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status(), 303);
    let page = app.page(&planner, &path).await;
    assert!(page.contains("Vegen gjennom sentrum"), "{page}");
    let theme = block(&page, "class=\"suggestion-theme\" id=", "</article>");
    let accept = block(theme, "class=\"planner-form accept-theme\"", "</form>");
    let kept = inputs_of(accept);
    assert!(!kept.is_empty(), "{accept}");
    let mut fields = vec![
        ("action", "accept-theme"),
        ("name", "Vegen gjennom sentrum"),
    ];
    fields.extend(kept.iter().map(|id| ("input", *id)));
    let response = planner
        .post(app.url(action_of(theme)))
        .form(&fields)
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status(), 303);
    let (_, themes) = app
        .get_json_as_planner(&format!("/api/v1/plans/{}/themes", h.plan_id))
        .await;
    assert!(
        themes.to_string().contains("Vegen gjennom sentrum"),
        "{themes}"
    );
    let (_, read) = app
        .get_json_as_planner(&format!("/api/v1/inputs/{}", kept[0]))
        .await;
    assert!(
        read["input"]["assessment"]["themes"]
            .to_string()
            .contains("Vegen gjennom sentrum"),
        "{read}"
    );

    // A summary approved: in the report's HTML and Word output, with who approved it.
    let page = app.page(&planner, &path).await;
    let summary = block(&page, "class=\"suggestion-summary-block\"", "</article>");
    let sentence = {
        let rest = &summary[summary.find("<li>«").expect("a sentence") + "<li>«".len()..];
        rest[..rest.find('»').expect("ends")].to_owned()
    };
    let approve = block(summary, "class=\"planner-form approve-summary\"", "</form>");
    assert!(approve.contains("value=\"approve\""), "{approve}");
    let response = planner
        .post(app.url(action_of(summary)))
        .form(&[("action", "approve")])
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status(), 303);
    let report = app
        .page(&planner, &format!("/planner/hearings/{}/report", h.id))
        .await;
    assert!(report.contains("Samandrag av innspela"), "{report}");
    assert!(report.contains(&format!("«{sentence}»")), "{report}");
    let docx = app
        .as_planner(
            Method::GET,
            &format!("/api/v1/hearings/{}/report.docx", h.id),
        )
        .send()
        .await
        .expect("docx");
    assert_eq!(docx.status(), 200);
    let bytes = docx.bytes().await.expect("bytes");
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("zip");
    let mut xml = String::new();
    archive
        .by_name("word/document.xml")
        .expect("document")
        .read_to_string(&mut xml)
        .expect("xml");
    assert!(
        xml.contains(&sentence),
        "the approved summary is in the Word report"
    );

    // A new near-copy arrives: the accepted group keeps its members, and the new
    // input (with the member left out) is suggested as an addition to it.
    let (status, body) = app
        .send(
            &first,
            Method::POST,
            &h.comments_path(),
            Some(json!({"section_id": h.section(), "body": format!("{LETTER} Skulebarna treng trygge vegar.")})),
        )
        .await;
    assert!(status == 201 || status == 202, "{status}: {body}");
    let page = recompute(&app, &planner, &h.id).await;
    let still = app.db.suggestion(accepted.id).await.expect("kept");
    assert_eq!(still.state, "accepted");
    assert_eq!(
        still.body, accepted.body,
        "an accepted group is never changed by a computation"
    );
    assert!(
        page.contains("nye innspel passar i ei godteken gruppe"),
        "{page}"
    );
    // The approved summary stays approved.
    let stored = app
        .db
        .suggestions_of_hearing(hearing)
        .await
        .expect("stored");
    assert_eq!(
        stored
            .iter()
            .filter(|s| s.kind == "summary" && s.state == "accepted")
            .count(),
        1
    );

    // The history names the planner's decisions.
    assert!(page.contains("id=\"history-heading\""));
    assert!(
        page.contains("godteke") && page.contains("fekk nytt namn") && page.contains("godkjent")
    );

    // Nobody but the plan's planners sees or decides them.
    let (status, html) = app.page_status(&first, &path).await;
    assert_eq!(status, 403);
    assert!(!html.contains("Felles tekst"));
    let (_, html) = app.page_status(&app.http, &path).await;
    assert!(!html.contains("Felles tekst") && !html.contains("Dette er forslag"));
    let open = stored
        .iter()
        .find(|s| s.state == "suggested")
        .expect("an open suggestion");
    let refused = first
        .post(app.url(&format!("/planner/suggestions/{}", open.id)))
        .form(&[("action", "drop")])
        .send()
        .await
        .expect("posted");
    assert!(refused.status() == 403 || refused.status() == 404);
    assert_eq!(
        app.db.suggestion(open.id).await.expect("read").state,
        "suggested"
    );

    // The hearing's workbench links to the page.
    let workbench = app
        .page(&planner, &format!("/planner/hearings/{}", h.id))
        .await;
    assert!(workbench.contains(&format!("href=\"{path}\"")));
}

#[tokio::test]
async fn a_group_is_split_members_dropped_and_the_rest_dropped_with_history() {
    let app = spawn_app(Backend::from_env()).await.expect("app");
    let h = app.open_hearing("deling").await;
    let planner = tests::signed_in_planner(&app, "planleggjar@testvik.example").await;
    let citizen = app
        .citizen("innbyggjar@example.org", "Innbyggjar Ein")
        .await;
    let texts = [
        LETTER.to_owned(),
        format!("{LETTER} Eg bur ved elva."),
        format!("Til kommunen. {LETTER}"),
        format!("{LETTER} Ungane mine går denne vegen."),
        format!("{LETTER} Turområdet er viktig for helsa mi."),
    ];
    for text in &texts {
        let (status, body) = app
            .send(
                &citizen,
                Method::POST,
                &h.comments_path(),
                Some(json!({"section_id": h.section(), "body": text})),
            )
            .await;
        assert!(status == 201 || status == 202, "{status}: {body}");
    }
    let page = recompute(&app, &planner, &h.id).await;
    let group = block(&page, "class=\"suggestion-group\"", "</article>");
    assert!(group.contains("5 nesten like innspel"), "{group}");
    let split = block(group, "class=\"planner-form split-group\"", "</form>");
    let members = inputs_of(split);
    assert_eq!(members.len(), 5);
    // A part of one is not a group: refused, nothing changes.
    let response = planner
        .post(app.url(action_of(group)))
        .form(&[("action", "split"), ("input", members[0])])
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status(), 422);
    let response = planner
        .post(app.url(action_of(group)))
        .form(&[
            ("action", "split"),
            ("input", members[0]),
            ("input", members[1]),
        ])
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status(), 303);
    let page = app.page(&planner, &path_of(&h.id)).await;
    assert!(page.contains("2 nesten like innspel"), "{page}");
    assert!(page.contains("3 nesten like innspel"), "{page}");
    // Dropping a member of the group of three.
    let three = &page[page.find("3 nesten like innspel").expect("three")..];
    let form = block(three, "class=\"planner-form split-group\"", "</form>");
    let left = inputs_of(form);
    let response = planner
        .post(app.url(action_of(three)))
        .form(&[("action", "drop-members"), ("input", left[2])])
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status(), 303);
    let hearing = domain::HearingId(h.id.parse().expect("uuid"));
    let history = app.db.suggestion_history(hearing).await.expect("history");
    for action in ["split", "split_off", "members_dropped"] {
        assert!(
            history
                .iter()
                .any(|l| l.action == action && l.who.is_some()),
            "{action}: {history:?}"
        );
    }
    // Nothing was assessed by splitting or dropping.
    for member in &members {
        let (_, read) = app
            .get_json_as_planner(&format!("/api/v1/inputs/{member}"))
            .await;
        assert_eq!(read["input"]["assessment"]["state"], "unassessed", "{read}");
    }
    // Dropping a whole group: dropped, with who, and not suggested again unchanged.
    let page = app.page(&planner, &path_of(&h.id)).await;
    let group = block(&page, "class=\"suggestion-group\"", "</article>");
    let drop = block(group, "class=\"planner-form drop-suggestion\"", "</form>");
    assert!(drop.contains("value=\"drop\""), "{drop}");
    let response = planner
        .post(app.url(action_of(group)))
        .form(&[("action", "drop")])
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status(), 303);
    let stored = app
        .db
        .suggestions_of_hearing(hearing)
        .await
        .expect("stored");
    let dropped = stored
        .iter()
        .find(|s| s.kind == "group" && s.state == "dropped")
        .expect("dropped");
    assert!(dropped.decided_by.is_some());
}

fn path_of(hearing: &str) -> String {
    format!("/planner/hearings/{hearing}/suggestions")
}
