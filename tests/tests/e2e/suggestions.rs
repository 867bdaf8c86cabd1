//! Suggestions for a hearing's planners (near-copies, themes, a summary per section),
//! computed in the process from the register's inputs, through the real server.

use reqwest::Method;
use serde_json::json;
use tests::{Backend, spawn_app};

const LETTER: &str = "Vi seier nei til den nye vegen gjennom Fjordvik sentrum. \
    Vegen vil øydeleggje turområdet ved elva og auke trafikken forbi skulen. \
    Kommunen må heller satse på kollektivtrafikk og trygge gang- og sykkelvegar. \
    Vi ber om at planen blir send tilbake og at innbyggjarane blir høyrde.";

#[tokio::test]
async fn planners_see_near_copies_themes_and_summaries_as_suggestions() {
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
    // Two people (signing in is rate-limited per address).
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
    let page = app.page(&planner, &path).await;
    // Marked as suggestions, not decisions.
    assert!(page.contains("Dette er forslag"), "{page}");
    // The three copies are one group, with the shared text and the personal line.
    assert!(page.contains("3 nesten like innspel"), "{page}");
    assert!(page.contains("Felles tekst"));
    assert!(page.contains(
        "<p>Vegen vil øydeleggje turområdet ved elva og auke trafikken forbi skulen.</p>"
    ));
    assert!(
        page.contains("<ins>Eg bur sjølv ved elva og går der kvar dag.</ins>"),
        "{page}"
    );
    // A summary for the section, each sentence one of an input and linked to it.
    assert!(page.contains("Samandrag per kapittel"));
    let summary = &page[page
        .find("class=\"suggestion-summary\"")
        .expect("a summary")..];
    let opening = &summary[summary.find("<li>«").expect("a sentence") + "<li>«".len()..];
    let sentence = &opening[..opening.find('»').expect("the sentence ends")];
    assert!(
        texts.iter().any(|t| t.contains(sentence)),
        "not a sentence of an input: {sentence}"
    );
    assert!(opening.contains("href=\"/planner/inputs/"));
    // Accepting the group without one member: one assessment, as drafts, for the two kept.
    let group = &page[page.find("class=\"suggestion-group\"").expect("a group")..];
    let group = &group[..group.find("</article>").expect("the group ends")];
    let members: Vec<&str> = group
        .match_indices("name=\"input\" value=\"")
        .map(|(at, m)| &group[at + m.len()..at + m.len() + 36])
        .collect();
    assert_eq!(members.len(), 3, "{group}");
    let action = &group[group.find("action=\"").expect("a form") + "action=\"".len()..];
    let action = &action[..action.find('"').expect("the action ends")];
    let response = planner
        .post(app.url(action))
        .form(&[
            ("input", members[0]),
            ("input", members[1]),
            ("action", "assess"),
            ("summary", "Kampanje mot den nye vegen."),
            ("outcome", "noted"),
            ("response", "Vegen blir vurdert på nytt i planforslaget."),
            ("back", &format!("hearing={}", h.id)),
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
        let summary = &assessment["summary"];
        if n < 2 {
            assert_eq!(summary, "Kampanje mot den nye vegen.", "{read}");
            assert_eq!(assessment["state"], "drafted", "{read}");
            assert!(assessment["drafted_by"].is_string(), "who: {read}");
            assert!(assessment["drafted_at"].is_string(), "when: {read}");
            // In the input's history: the planner accepted it, and when.
            assert_eq!(read["history"][0]["action"], "drafted", "{read}");
            assert!(read["history"][0]["by"].is_string() && read["history"][0]["at"].is_string());
        } else {
            assert_ne!(
                summary, "Kampanje mot den nye vegen.",
                "the dropped member: {read}"
            );
        }
    }

    // Accepting a suggested theme under a name of the planner's: a theme of the plan,
    // given to the inputs kept.
    let form = &page[page.find("/suggested-theme\"").expect("a suggested theme")..];
    let form = &form[..form.find("</form>").expect("the form ends")];
    let kept: Vec<&str> = form
        .match_indices("name=\"input\" value=\"")
        .map(|(at, m)| &form[at + m.len()..at + m.len() + 36])
        .collect();
    assert!(kept.len() >= 2, "{form}");
    let mut fields = vec![("name", "Vegen gjennom sentrum")];
    fields.extend(kept.iter().map(|id| ("input", *id)));
    let response = planner
        .post(app.url(&format!("/planner/plans/{}/suggested-theme", h.plan_id)))
        .form(&fields)
        .send()
        .await
        .expect("posted");
    assert_eq!(response.status(), 303);
    let (status, themes) = app
        .get_json_as_planner(&format!("/api/v1/plans/{}/themes", h.plan_id))
        .await;
    assert_eq!(status, 200, "{themes}");
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
    // Now a theme of the plan, it is shown as accepted, with its inputs.
    let page = app.page(&planner, &path).await;
    assert!(
        page.contains("<strong>Vegen gjennom sentrum</strong>"),
        "{page}"
    );
    assert!(page.contains("Tema i planen"));

    // The link from the hearing's workbench.
    let workbench = app
        .page(&planner, &format!("/planner/hearings/{}", h.id))
        .await;
    assert!(workbench.contains(&format!("href=\"{path}\"")));

    // Nobody but the plan's planners sees them.
    let (status, html) = app.page_status(&first, &path).await;
    assert_eq!(status, 403);
    assert!(!html.contains("Felles tekst"));
    // Not signed in: sent to the sign-in page.
    let (_, html) = app.page_status(&app.http, &path).await;
    assert!(!html.contains("Felles tekst") && !html.contains("Dette er forslag"));
}
