//! Working on one official response together: whom the form answers for, two
//! representatives revising the same response without overwriting each other, the
//! person's own page listing their responses, and the read-only page once no new
//! version can be given.

use crate::responses::{file, letter, open_hearing, organisation, pdf, responses_in_db, submit};
use domain::OrganisationId;
use reqwest::multipart::Form;
use serde_json::json;
use tests::{Backend, TestApp, spawn_app};
use uuid::Uuid;

/// The response form's fields, based on `version`, as the page sends them.
fn form_based_on(text: &str, organisation: OrganisationId, version: i32) -> Form {
    letter(text, Some(organisation))
        .text("based_on_version", version.to_string())
        .text("idempotency_key", Uuid::new_v4().to_string())
}

async fn post_form(
    app: &TestApp,
    client: &reqwest::Client,
    hearing: &str,
    form: Form,
) -> (u16, String, Option<String>) {
    let response = client
        .post(app.url(&format!("/hearings/{hearing}/response")))
        .multipart(form)
        .send()
        .await
        .expect("post");
    let status = response.status().as_u16();
    let location = response
        .headers()
        .get("location")
        .map(|l| l.to_str().expect("ascii").to_owned());
    (status, response.text().await.expect("html"), location)
}

#[tokio::test]
async fn a_representative_of_one_organisation_starts_with_it_chosen_in_a_radio_group() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "choice", "invited").await;
    let lag = organisation(&app, &fx, "Pensjonistlaget").await;
    let rep = app
        .representative(fx.group, lag, "leiar@lag.example", "Ola Fjeld")
        .await;
    let path = format!("/hearings/{}/response", fx.hearing_id);

    let html = app.page(&rep, &path).await;
    // A group of radio buttons with a legend, not links.
    let fieldset = html
        .split("<fieldset")
        .nth(1)
        .and_then(|rest| rest.split("</fieldset>").next())
        .unwrap_or_else(|| panic!("no fieldset: {html}"));
    assert!(
        fieldset.contains("<legend>Kven svarar du for?</legend>"),
        "{fieldset}"
    );
    assert!(
        fieldset.contains(&format!(
            "type=\"radio\" id=\"behalf-2\" name=\"organisation\" value=\"{lag}\" checked"
        )),
        "the one organisation starts chosen: {fieldset}"
    );
    assert!(
        fieldset.contains("name=\"organisation\" value=\"self\">"),
        "oneself is the other choice, not chosen: {fieldset}"
    );
    assert!(
        !html.contains("class=\"behalf-choices\""),
        "no links: {html}"
    );
    assert!(
        html.contains(&format!("name=\"organisation_id\" value=\"{lag}\"")),
        "the form answers for the organisation: {html}"
    );

    // Choosing oneself is kept.
    let html = app.page(&rep, &format!("{path}?organisation=self")).await;
    assert!(html.contains("name=\"organisation\" value=\"self\" checked"));
    assert!(
        html.contains("name=\"organisation_id\" value=\"\""),
        "{html}"
    );

    // Someone who represents two organisations chooses; they start as themself.
    let other = organisation(&app, &fx, "Eldrerådet").await;
    let both = app
        .representative(fx.group, lag, "begge@lag.example", "Kari Begge")
        .await;
    let council = app
        .db
        .create_group(
            fx_plan(&app, &fx).await,
            domain::group::GroupKind::ElderCouncil,
            "Eldrerådet",
        )
        .await
        .expect("group");
    app.db
        .add_member(
            council.id,
            both.person.id,
            domain::group::MemberRole::OrganisationRepresentative,
            Some(other),
        )
        .await
        .expect("member of a second group");
    let html = app.page(&both, &path).await;
    assert!(
        html.contains("name=\"organisation\" value=\"self\" checked"),
        "{html}"
    );
    assert!(html.contains(&format!("value=\"{other}\">")), "{html}");
    app.stop().await.expect("stops");
}

/// The plan of the fixture's hearing.
async fn fx_plan(app: &TestApp, fx: &crate::responses::Fixture) -> domain::PlanId {
    let id: domain::HearingId = fx.hearing_id.parse().expect("id");
    app.db.hearing(id).await.expect("hearing").plan_id
}

#[tokio::test]
async fn two_representatives_revising_one_response_do_not_overwrite_each_other() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "together", "public").await;
    let lag = organisation(&app, &fx, "Pensjonistlaget").await;
    let kari = app
        .representative(fx.group, lag, "kari@lag.example", "Kari Leiar")
        .await;
    let ola = app
        .representative(fx.group, lag, "ola@lag.example", "Ola Nestleiar")
        .await;
    let hearing = &fx.hearing_id;

    // The API: a revision based on an earlier version is refused with the current one.
    let (status, first) = submit(&app, &kari, hearing, form_based_on("Utkast.", lag, 0)).await;
    assert_eq!(status, 201, "{first}");
    let (status, olas) = submit(&app, &ola, hearing, form_based_on("Olas tekst.", lag, 1)).await;
    assert_eq!((status, olas["current"]["number"].as_i64()), (201, Some(2)));
    let (status, refused) = submit(
        &app,
        &kari,
        hearing,
        form_based_on("Karis tekst.", lag, 1)
            .part("attachment", file(pdf(), "vedlegg.pdf", "application/pdf")),
    )
    .await;
    assert_eq!(status, 409, "{refused}");
    assert_eq!(refused["error"], "version_conflict");
    assert!(refused["message"].as_str().is_some_and(|m| !m.is_empty()));
    assert_eq!(refused["current_version"], 2);
    assert_eq!(refused["current"]["current"]["text"], "Olas tekst.");
    assert_eq!(
        refused["current"]["current"]["submitted_by"],
        "Ola Nestleiar"
    );
    let stored = responses_in_db(&app, hearing).await;
    assert_eq!(stored[0].versions.len(), 2, "nothing stored");
    assert!(stored[0].attachments.is_empty(), "no file kept");

    // The form: the page comes back with Ola's current text beside Kari's own.
    let (status, html, _) = post_form(
        &app,
        &kari,
        hearing,
        form_based_on("Karis eiga formulering.", lag, 1),
    )
    .await;
    assert_eq!(status, 409, "{html}");
    assert!(html.contains("role=\"alert\""), "{html}");
    assert!(html.contains("Nokon andre sende ein ny versjon"), "{html}");
    assert!(
        html.contains("<div class=\"response-text\" id=\"conflict-current\">Olas tekst.</div>"),
        "{html}"
    );
    assert!(
        html.contains(">Karis eiga formulering.</textarea>"),
        "the own text is kept: {html}"
    );
    assert!(html.contains("Teksten din (ikkje lagra)"), "{html}");
    assert!(
        html.contains("name=\"based_on_version\" value=\"2\""),
        "sent again, it is based on the current version: {html}"
    );
    assert_eq!(responses_in_db(&app, hearing).await[0].versions.len(), 2);

    // Merged and sent again, it is version 3; nothing was lost.
    let (status, _, location) = post_form(
        &app,
        &kari,
        hearing,
        form_based_on("Olas tekst. Karis eiga formulering.", lag, 2),
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(
        location.as_deref(),
        Some(format!("/hearings/{hearing}/response?organisation={lag}&saved=3").as_str())
    );
    let texts: Vec<String> = responses_in_db(&app, hearing).await[0]
        .versions
        .iter()
        .map(|v| v.text.clone())
        .collect();
    assert_eq!(
        texts,
        [
            "Utkast.",
            "Olas tekst.",
            "Olas tekst. Karis eiga formulering."
        ]
    );

    // The page's own form carries the version it shows.
    let html = app
        .page(&ola, &format!("/hearings/{hearing}/response"))
        .await;
    assert!(
        html.contains("name=\"based_on_version\" value=\"3\""),
        "{html}"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn the_persons_page_lists_their_and_their_organisations_responses_with_every_version() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "mine", "public").await;
    let lag = organisation(&app, &fx, "Pensjonistlaget").await;
    let kari = app
        .representative(fx.group, lag, "kari@lag.example", "Kari Leiar")
        .await;
    let ola = app
        .representative(fx.group, lag, "ola@lag.example", "Ola Nestleiar")
        .await;
    let per = app.citizen("per@example.org", "Per Utanfor").await;
    let hearing = &fx.hearing_id;
    for (client, text, organisation) in [
        (&kari, "Laget meiner.", Some(lag)),
        (&ola, "Laget meiner meir.", Some(lag)),
        (&kari, "Eg meiner sjølv.", None),
        (&per, "Per meiner.", None),
    ] {
        let (status, body) = submit(&app, client, hearing, letter(text, organisation)).await;
        assert_eq!(status, 201, "{body}");
    }
    let stored = responses_in_db(&app, hearing).await;
    let id_of = |author: &str| {
        stored
            .iter()
            .find(|r| r.author_label() == author)
            .map(|r| r.id)
            .expect("stored")
    };

    let html = app.page(&kari, "/me").await;
    let section = html
        .split("id=\"me-responses\"")
        .nth(1)
        .and_then(|rest| rest.split("</section>").next())
        .unwrap_or_else(|| panic!("no list of responses: {html}"));
    assert!(
        section.contains(&format!("href=\"/responses/{}\"", id_of("Pensjonistlaget"))),
        "{section}"
    );
    assert!(
        section.contains(&format!("href=\"/responses/{}\"", id_of("Kari Leiar"))),
        "{section}"
    );
    assert!(!section.contains("Per Utanfor"), "{section}");
    assert!(section.contains("Versjon 2,"), "{section}");
    assert!(section.contains("av Ola Nestleiar"), "{section}");
    assert!(section.contains("av Kari Leiar"), "{section}");
    // Each link opens the response for its reader.
    let view = app
        .page(&kari, &format!("/responses/{}", id_of("Pensjonistlaget")))
        .await;
    assert!(view.contains("Laget meiner meir."));

    let html = app.page(&ola, "/me").await;
    assert!(html.contains(&format!("href=\"/responses/{}\"", id_of("Pensjonistlaget"))));
    assert!(
        !html.contains(&format!("href=\"/responses/{}\"", id_of("Kari Leiar"))),
        "not a colleague's own response"
    );
    app.stop().await.expect("stops");
}

#[tokio::test]
async fn once_no_new_version_can_be_given_the_page_shows_what_was_sent_and_says_why() {
    let app = spawn_app(Backend::from_env()).await.expect("app starts");
    let fx = open_hearing(&app, "closed", "public").await;
    let lag = organisation(&app, &fx, "Pensjonistlaget").await;
    let kari = app
        .representative(fx.group, lag, "kari@lag.example", "Kari Leiar")
        .await;
    let hearing = &fx.hearing_id;
    let (status, body) = submit(&app, &kari, hearing, letter("Det vi sende.", Some(lag))).await;
    assert_eq!(status, 201, "{body}");
    let path = format!("/hearings/{hearing}/response?lang=nn");

    // The deadline passes.
    let id: domain::HearingId = hearing.parse().expect("id");
    let deadline = app.db.hearing(id).await.expect("hearing").deadline;
    let past = jiff::Timestamp::now() - jiff::SignedDuration::from_hours(1);
    app.db
        .extend_deadline(id, deadline, past, "test", "fristen er ute", &[])
        .await
        .expect("deadline moved");
    let html = app.page(&kari, &path).await;
    assert!(html.contains("Det vi sende."), "{html}");
    assert!(html.contains("id=\"response-closed\""), "{html}");
    // The scheduler may have closed the hearing at its deadline meanwhile.
    assert!(
        html.contains("Fristen gjekk ut")
            || html.contains("Høyringa er avslutta, og fristen gjekk ut"),
        "{html}"
    );
    assert!(!html.contains("enctype=\"multipart/form-data\""), "{html}");

    // Closed, then assessed: the reason follows, in every language. The worker
    // closes a hearing whose deadline has passed and may do so before the planner.
    let (status, body) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{hearing}/close"),
            json!({"reason": "Ferdig."}),
        )
        .await;
    let closed_by_worker = status == 409
        && app.db.hearing(id).await.expect("hearing").state
            == domain::hearing::HearingState::Closed;
    assert!(status == 200 || closed_by_worker, "close: {body}");
    let (status, body) = app
        .post_as_planner(
            &format!("/api/v1/hearings/{hearing}/complete"),
            json!({"reason": "Ferdig."}),
        )
        .await;
    assert_eq!(status, 200, "complete: {body}");
    for (lang, reason) in [
        ("nn", "Kommunen har gått gjennom alle innspela"),
        ("nb", "Kommunen har gått gjennom alle innspillene"),
        ("en", "The municipality has gone through all the input"),
    ] {
        let html = app
            .page(&kari, &format!("/hearings/{hearing}/response?lang={lang}"))
            .await;
        assert!(html.contains("Det vi sende."), "{html}");
        assert!(html.contains(reason), "{lang}: {html}");
        assert!(!html.contains("enctype=\"multipart/form-data\""), "{html}");
    }
    // A revision sent anyway is refused, and the page still shows what was sent.
    let (status, html, _) = post_form(&app, &kari, hearing, form_based_on("Nytt.", lag, 1)).await;
    assert_eq!(status, 409);
    assert!(html.contains("Det vi sende."), "{html}");
    assert!(
        html.contains("Kommunen har gått gjennom alle innspela"),
        "{html}"
    );
    assert_eq!(responses_in_db(&app, hearing).await[0].versions.len(), 1);
    app.stop().await.expect("stops");
}
