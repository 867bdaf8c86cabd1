// The planner's side: sign-in by emailed link and the workbench, by keyboard, with
// zero axe violations in every language.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import {
  LANGS,
  axeViolations,
  findHearingPath,
  formatViolations,
  freshEmail,
  launchBrowser,
  newPage,
  newestSignInLink,
  postCommentApi,
  sectionIds,
  signIn,
  startServer,
  tabThroughForm,
} from "./harness.mjs";

/** The demo's organisation representative and the organisation they speak for. */
const REPRESENTATIVE = "leiar@fjordvik-pensjonistlag.example";
const ORGANISATION = "Fjordvik pensjonistlag";

const SEED = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../shared/seeds/002_ec8b448d3d8b0d56.txt",
);

async function assertNoViolations(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
}

describe("planner workbench", () => {
  let server;
  let browser;
  let page;
  let hearingPath;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await newPage(browser);
  });

  after(async () => {
    await page?.context().close();
    await browser?.close();
    await server?.dispose();
  });

  for (const lang of LANGS) {
    test(`sign-in page in ${lang} has no axe violations`, async () => {
      const anonymous = await newPage(browser);
      try {
        const response = await anonymous.goto(server.url(`/sign-in?lang=${lang}`));
        assert.equal(response.status(), 200);
        assert.equal(await anonymous.getAttribute("html", "lang"), lang);
        await assertNoViolations(anonymous, `/sign-in in ${lang}`);
        // An invalid address is explained next to the field.
        await anonymous.locator("#email").fill("not-an-address");
        await anonymous.locator("#email").evaluate((el) => el.removeAttribute("type"));
        await anonymous.locator('main form[action="/sign-in"] button').press("Enter");
        await anonymous.waitForSelector("#sign-in-error");
        assert.equal(await anonymous.getAttribute("#email", "aria-invalid"), "true");
        await assertNoViolations(anonymous, `/sign-in error in ${lang}`);
      } finally {
        await anonymous.context().close();
      }
    });
  }

  test("the demo planner signs in through the emailed link", async () => {
    await signIn(page, server);
    assert.match(await page.locator("h1").textContent(), /Arbeidsbenk/);
    assert.ok(await page.locator("text=Fjordvik kommune").count());
  });

  let planPath;

  test("a new plan by keyboard: the short name follows the title, its pattern works, and the plan's page follows", async () => {
    await page.goto(server.url("/planner/plans/new?lang=nn"));
    await page.locator("#plan-title").focus();
    await page.keyboard.type("Særskilt plan for Ørsta og Åsane");
    assert.equal(await page.locator("#plan-slug").inputValue(), "saerskilt-plan-for-orsta-og-asane");
    // The browser checks the pattern (valid under the v flag, so it is not switched off).
    const checks = await page.locator("#plan-slug").evaluate((slug) => {
      const probe = document.createElement("input");
      probe.pattern = slug.pattern;
      const results = {};
      for (const value of ["Ikkje gyldig", "a--b", "plan-2"]) {
        probe.value = value;
        results[value] = probe.validity.patternMismatch;
      }
      return { results, valid: slug.validity.valid };
    });
    assert.deepEqual(checks.results, { "Ikkje gyldig": true, "a--b": true, "plan-2": false });
    assert.equal(checks.valid, true);
    assert.deepEqual(page.problems, [], "no pattern the browser cannot compile");
    // Once the planner writes a short name of their own, the title no longer changes it.
    await page.locator("#plan-slug").fill("");
    await page.locator("#plan-slug").focus();
    await page.keyboard.type("orsta-asane");
    await page.locator("#plan-title").focus();
    await page.keyboard.type(" 2026");
    assert.equal(await page.locator("#plan-slug").inputValue(), "orsta-asane");
    await page.locator("#plan-start").fill("2026");
    await page.locator("#plan-end").fill("2030");
    await page.locator("main form button[type=submit]").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/plans\/[0-9a-f-]{36}\?done=created$/);
    planPath = new URL(page.url()).pathname;
    assert.match(await page.locator("h1").textContent(), /Særskilt plan for Ørsta og Åsane 2026 \(2026–2030\)/);
    assert.match(await page.locator("p.notice.success").textContent(), /Planen er oppretta/);
    assert.match(await page.locator("dl.facts").textContent(), /orsta-asane/);
    for (const lang of LANGS) {
      await page.goto(server.url(`${planPath}?lang=${lang}`));
      await assertNoViolations(page, `the plan's page in ${lang}`);
    }
  });

  /**
   * Submits a planner form as typed, in `lang`, and checks the refusal: the summary
   * at the top links to `field`, the field is marked and described by its message,
   * and the page passes axe (with the WCAG 2.2 checks of the harness).
   */
  async function refusedForm(lang, path, formSelector, fill, field) {
    await page.goto(server.url(`/lang/${lang}?next=${encodeURIComponent(path)}`));
    await fill();
    await page.locator(`${formSelector} button[type=submit]`).focus();
    await Promise.all([page.waitForNavigation(), page.keyboard.press("Enter")]);
    const summary = page.locator("#error-summary");
    assert.equal(await summary.count(), 1, `${path}: an error summary`);
    assert.equal(await summary.getAttribute("role"), "alert");
    const link = summary.locator(`a[href="#${field}"]`);
    assert.equal(await link.count(), 1, `${path}: the summary links to #${field}`);
    const input = page.locator(`#${field}`);
    assert.equal(await input.getAttribute("aria-invalid"), "true");
    const described = (await input.getAttribute("aria-describedby")).split(" ");
    assert.equal(described[0], `${field}-error`);
    const message = (await page.locator(`#${field}-error`).textContent()).trim();
    assert.ok(message.length > 0);
    assert.ok((await link.textContent()).includes(message), "the summary says what is wrong");
    // The message stands beside its field: inside the same paragraph, just before it.
    assert.equal(
      await input.evaluate((el) => el.previousElementSibling?.id ?? el.closest("fieldset")?.querySelector(".field-error")?.id),
      `${field}-error`,
    );
    // The summary's link leads to the field.
    await link.focus();
    await page.keyboard.press("Enter");
    assert.equal(await page.evaluate(() => location.hash), `#${field}`);
    await assertNoViolations(page, `${path} refused in ${lang}`);
    return message;
  }

  for (const lang of LANGS) {
    test(`refused planner forms in ${lang} name and mark their fields, and pass axe`, async () => {
      const typed = async (values) => {
        for (const [selector, value] of Object.entries(values)) await page.locator(selector).fill(value);
      };
      // New plan: the period ends before it starts; what was typed stays.
      await refusedForm(lang, "/planner/plans/new", "main form", () =>
        typed({ "#plan-title": "Plan med feil periode", "#plan-start": "2030", "#plan-end": "2020" }), "plan-end");
      assert.equal(await page.locator("#plan-title").inputValue(), "Plan med feil periode");
      // New hearing: a pbl hearing of four weeks without a reason.
      await refusedForm(lang, "/planner/hearings/new", "main form", () =>
        typed({ "#title": "For kort høyring", "#weeks": "4" }), "weeks");
      assert.equal(await page.locator("#title").inputValue(), "For kort høyring");
      // Milestone with a date the browser lets through but the server refuses.
      await refusedForm(lang, planPath, "form.milestone-form", async () => {
        await typed({ "#ms-title": "Vedtak i kommunestyret" });
        await page.locator("#ms-date").evaluate((el) => { el.type = "text"; el.value = "31.12.2027"; });
      }, "ms-date");
      assert.equal(await page.locator("#ms-title").inputValue(), "Vedtak i kommunestyret");
      // A group without a name (the browser's own check switched off for the test).
      await refusedForm(lang, `${planPath}/groups`, "main form", async () => {
        await page.locator("#group-name").evaluate((el) => { el.required = false; });
      }, "group-name");
    });
  }

  test("tabbing through each planner form, no focused element is hidden by a fixed or sticky one", async () => {
    await page.goto(server.url("/lang/nn?next=/planner"));
    const forms = [
      ["/planner/plans/new", "main form"],
      ["/planner/hearings/new", "main form"],
      [planPath, "form.milestone-form"],
      [`${planPath}/groups`, "main form"],
      ["/planner/import", "main form"],
    ];
    // The hearing page's forms, and a group's invitation form.
    const demoHearing = (await findHearingPath(server)).split("/").pop();
    forms.push([`/planner/hearings/${demoHearing}`, "form[action$='/extend']:not(:has(input[type=hidden]))"]);
    forms.push([`/planner/hearings/${demoHearing}`, "form[action$='/state']:has(textarea)"]);
    await page.goto(server.url(`${planPath}/groups`));
    await page.locator("#group-name").fill("Referansegruppa");
    await Promise.all([page.waitForURL(/\/planner\/groups\/[0-9a-f-]{36}$/), page.locator("main form button[type=submit]").click()]);
    forms.push([new URL(page.url()).pathname, "form[action$='/invite']"]);
    for (const [path, selector] of forms) {
      await page.goto(server.url(path));
      assert.equal(await page.locator(selector).count(), 1, `${path}: ${selector}`);
      // At 320 CSS px too, where a sticky header would cover the most.
      for (const width of [1280, 320]) {
        await page.setViewportSize({ width, height: 640 });
        const stops = await tabThroughForm(page, selector);
        assert.ok(stops >= 2, `${path}: tabbed through ${stops} stops`);
      }
      await page.setViewportSize({ width: 1280, height: 900 });
    }
    // The check is not vacuous: a banner fixed over the page is found.
    await page.goto(server.url("/planner/plans/new"));
    await page.evaluate(() => {
      const banner = document.createElement("div");
      banner.style.cssText = "position:fixed;inset:0 0 auto 0;height:100vh;background:#fff8;pointer-events:none";
      document.body.append(banner);
    });
    await assert.rejects(tabThroughForm(page, "main form"), /covered by div/);
  });

  test("input and official responses appear on the planner's hearing page as they arrive", async () => {
    const demoHearing = await findHearingPath(server);
    const hearingId = demoHearing.split("/").pop();
    await page.goto(server.url(`/planner/hearings/${hearingId}?lang=nn`));
    await page.waitForSelector('#responses[data-live="connected"]', { timeout: 10_000 });
    await page.evaluate(() => { window.notReloaded = true; });
    const countOf = async (id) => Number((await page.locator(id).textContent()).match(/\d+/)?.[0] ?? 0);
    const comments = await countOf("#comment-count");
    const responses = await page.locator("#planner-responses tbody tr").count();

    // A citizen comments, from outside the browser.
    const reader = await newPage(browser);
    let sectionId;
    try {
      await reader.goto(server.url(demoHearing));
      [sectionId] = await sectionIds(reader);
    } finally {
      await reader.context().close();
    }
    const body = "Kommunen må tenkje på gangvegane til sjukeheimen.";
    const posted = await postCommentApi(server, hearingId, {
      sectionId, authorName: "Siri Innbyggjar", body, email: freshEmail("siri"),
    });
    const row = page.locator(`#input-${posted.id}`);
    await row.waitFor({ timeout: 10_000 });
    assert.match(await row.textContent(), /Siri Innbyggjar/);
    assert.match(await row.textContent(), /gangvegane/);
    assert.equal(await page.locator("#planner-inputs tbody tr").first().getAttribute("id"), `input-${posted.id}`, "newest first");
    assert.equal(await countOf("#comment-count"), comments + 1);
    assert.match(await page.locator("#inputs-live").textContent(), /Siri Innbyggjar/);

    // The organisation responds, in a browser of its own.
    const representative = await newPage(browser);
    try {
      await representative.goto(server.url("/sign-in?lang=nn"));
      await representative.locator("#email").fill(REPRESENTATIVE);
      await representative.locator("main form[action='/sign-in'] button").click();
      await representative.waitForURL(/\/sign-in$/);
      const { link } = await newestSignInLink(server, REPRESENTATIVE);
      await representative.goto(link);
      await Promise.all([
        representative.waitForURL((url) => !url.pathname.startsWith("/sign-in")),
        representative.locator("main form button[type=submit]").click(),
      ]);
      await representative.goto(server.url(`${demoHearing}/response?lang=nn`));
      // Representing one organisation, they start with it chosen.
      assert.equal(await representative.getByRole("radio", { name: ORGANISATION }).isChecked(), true);
      await representative.locator("#response-text").fill("Pensjonistlaget støttar planen.");
      await Promise.all([
        representative.waitForURL(/saved=1/),
        representative.locator("main form.response-form button[type=submit]").click(),
      ]);
    } finally {
      await representative.context().close();
    }
    const responseRow = page.locator("#planner-responses tbody tr", { hasText: ORGANISATION });
    await responseRow.waitFor({ timeout: 10_000 });
    assert.equal((await responseRow.locator(".response-versions").textContent()).trim(), "1");
    assert.equal(await page.locator("#planner-responses tbody tr").count(), responses + 1);
    assert.equal(await countOf("#response-count"), responses + 1);
    assert.equal(await page.locator("#no-responses").isVisible(), false);
    assert.match(await page.locator("#responses-live").textContent(), new RegExp(ORGANISATION));
    assert.equal(await page.evaluate(() => window.notReloaded), true, "the page was not reloaded");
    await assertNoViolations(page, "the planner's hearing page after live rows");
  });

  test("a hearing is created by keyboard and shows its deadline and warnings", async () => {
    await page.goto(server.url("/planner/hearings/new?lang=nn"));
    await page.locator("#title").focus();
    await page.keyboard.type("Høyring om planprogrammet for eldre");
    await page.locator("#opens").fill("2024-03-22");
    await page.locator("#weeks").fill("6");
    await page.locator("#contact-name").focus();
    await page.keyboard.type("Kari Nordmann");
    await page.locator("main form button[type=submit]").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/hearings\/[0-9a-f-]{36}$/);
    hearingPath = new URL(page.url()).pathname;
    const text = await page.locator("main").textContent();
    assert.match(text, /3\. mai 2024 kl\. 23:59/);
    assert.match(text, /påska/);
    // The log names who created it.
    assert.match(text, /planleggjar@fjordvik\.kommune\.example/);
  });

  test("the planner opens it by keyboard", async () => {
    await page.locator("form.inline-form button", { hasText: "Opne no" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("p.notice.success");
    assert.match(await page.locator("p.notice:not(#idle-error)").textContent(), /Høyringa er open/);
  });

  let previewPath;
  let documentPath;

  test("the Alver planning programme is imported through the web interface", async () => {
    assert.ok(existsSync(SEED), `the seed document is missing at ${SEED}`);
    await page.goto(server.url("/planner/import?lang=nn"));
    await page.locator("#import-file").setInputFiles(SEED);
    await page.locator("#import-format").selectOption("text");
    await page.locator("main form button[type=submit]").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/import\/[0-9a-f-]{36}$/);
    previewPath = new URL(page.url()).pathname;
    const rows = await page.locator("main .outline-part .part-number").allTextContents();
    assert.deepEqual(
      rows.filter((n) => n !== "–"),
      ["1", "2", "2.1", "2.2", "2.3", "3", "3.1", "3.2", "3.3", "3.4", "3.5", "4", "4.1", "4.2", "5", "5.1", "5.2", "5.3", "5.4"],
    );
    // The progress chart in 3.3 is pointed out, with a link to its part.
    const warning = page.locator("ul.warnings a", { hasText: "3.3 «Framdriftsplan for planprosess»" });
    assert.match(await warning.textContent(), /ser ut som ein tabell eller ei figur/);
    await assertNoViolations(page, "import preview");
    await page.locator("button.confirm-import").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/documents\/[0-9a-f-]{36}$/);
    documentPath = new URL(page.url()).pathname;
    assert.match(await page.locator("main").textContent(), /5\.4 Lovverk og andre sentrale føringar/);
  });

  test("the planner corrects the outline of an import by keyboard before saving it", async () => {
    await page.goto(server.url("/planner/import?lang=nn"));
    await page.locator("#import-file").setInputFiles(SEED);
    await page.locator("#import-format").selectOption("text");
    await page.locator("main form button[type=submit]").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/import\/[0-9a-f-]{36}$/);
    const preview = new URL(page.url()).pathname;
    const part = page.locator("li.outline-part", { has: page.locator("h2", { hasText: "4.2 Sentrale utfordringar" }) });
    const index = Number((await part.getAttribute("id")).slice("part-".length));
    await part.locator("summary").focus();
    await page.keyboard.press("Enter");
    assert.equal(await part.locator("details").getAttribute("open"), "");

    // A title left empty is explained beside the field, and the page stays accessible.
    await part.locator(`#p${index}-title`).focus();
    await page.keyboard.press("Control+A");
    await page.keyboard.press("Delete");
    await part.locator(`#p${index}-title`).evaluate((el) => el.removeAttribute("required"));
    await part.locator("button", { hasText: "Lagre nummer og tittel" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector(`#part-${index}-error`);
    assert.equal(await page.getAttribute(`#p${index}-title`, "aria-invalid"), "true");
    await assertNoViolations(page, "import preview with a refused correction");

    // The unnumbered sub-heading "Aktuelle tema for kommunedelplanen" becomes a part.
    const line = await page.locator(`#p${index}-line option`, { hasText: "Aktuelle tema for kommunedelplanen" }).getAttribute("value");
    await page.locator(`#p${index}-line`).focus();
    await page.locator(`#p${index}-line`).selectOption(line);
    await page.locator(`#part-${index} button`, { hasText: "Del opp her" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`#part-${index + 1}$`));
    assert.equal(
      (await page.locator(`#part-${index + 1} h2`).textContent()).replace(/\s+/g, " ").trim(),
      "– Aktuelle tema for kommunedelplanen",
    );
    // Then it becomes a subchapter of 4.2.
    await page.locator(`#part-${index + 1} summary`).focus();
    await page.keyboard.press("Enter");
    await page.locator(`#p${index + 1}-level`).selectOption("3");
    await page.locator(`#part-${index + 1} button`, { hasText: "Endre nivå" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector(`#part-${index + 1}.level-3`);
    for (const lang of LANGS) {
      await page.goto(server.url(`${preview}?lang=${lang}`));
      await assertNoViolations(page, `corrected import preview in ${lang}`);
    }
    await page.goto(server.url(`${preview}?lang=nn`));
    await page.locator("button.confirm-import").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/documents\/[0-9a-f-]{36}$/);
    const heading = page.locator("main h4", { hasText: "Aktuelle tema for kommunedelplanen" });
    assert.equal(await heading.count(), 1, "the corrected outline is saved: a level-3 part");
  });

  let comparePath;

  test("a second version shows what changed, and the comparison is accessible", async () => {
    const documentId = documentPath.split("/").pop();
    // Publish version 2 through the API with the planner's session, as a script in the page would.
    const status = await page.evaluate(async (id) => {
      const current = await (await fetch(`/api/v1/documents/${id}`)).json();
      const sections = current.sections
        .filter((s) => s.number !== "")
        .map(({ number, title, level, body }) => ({ number, title, level, body }));
      sections[0].body += " Vi legg til ei setning i den nye versjonen.";
      const response = await fetch(`/api/v1/documents/${id}/versions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ sections }),
      });
      return response.status;
    }, documentId);
    assert.equal(status, 201);
    await page.goto(server.url(`${documentPath}?lang=nn`));
    await page.locator("a", { hasText: "Samanlikn med versjonen før" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/compare\?/);
    comparePath = new URL(page.url()).pathname + new URL(page.url()).search;
    assert.match(await page.locator("ins").first().textContent(), /ny|setning/);
  });

  test("readers of the hearing see what changed in a new version", async () => {
    const front = await (await fetch(server.url("/?lang=nn"))).text();
    const hearing = front.match(/href="(\/hearings\/[0-9a-f-]{36})"/)[1];
    await page.goto(server.url(`${hearing}?lang=nn`));
    const documentId = await page.locator("main").getAttribute("data-document-id");
    // Version 2 goes on a hearing of its own, as a revised proposal would.
    const newHearing = await page.evaluate(async (id) => {
      const post = (url, body) =>
        fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
      const current = await (await fetch(`/api/v1/documents/${id}`)).json();
      const sections = current.sections.map(({ number, title, level, body }) => ({ number, title, level, body }));
      sections[1].body += " Eldrerådet og ungdomsrådet er med.";
      const version = await (await post(`/api/v1/documents/${id}/versions`, { sections })).json();
      const hearing = await (await post("/api/v1/hearings", { document_version_id: version.version_id, title: "Ny runde" })).json();
      const opened = await post(`/api/v1/hearings/${hearing.id}/open`, {});
      return { id: hearing.id, status: opened.status };
    }, documentId);
    assert.equal(newHearing.status, 200);
    const reader = await newPage(browser);
    try {
      await reader.goto(server.url(`/hearings/${newHearing.id}?lang=nn`));
      await reader.locator("a", { hasText: "Sjå kva som er endra" }).focus();
      await reader.keyboard.press("Enter");
      await reader.waitForURL(/\/documents\/[0-9a-f-]{36}\/compare/);
      assert.match(await reader.locator("ins").first().textContent(), /ungdomsrådet/);
      for (const lang of LANGS) {
        await reader.goto(`${reader.url().split("&lang=")[0]}&lang=${lang}`);
        assert.equal(await reader.getAttribute("html", "lang"), lang);
        await assertNoViolations(reader, `public comparison in ${lang}`);
      }
    } finally {
      await reader.context().close();
    }
  });

  for (const lang of LANGS) {
    test(`workbench pages in ${lang} have no axe violations`, async () => {
      for (const path of ["/planner", "/planner/hearings/new", hearingPath, "/planner/plans/new", planPath, `${planPath}/groups`, "/planner/import", documentPath, comparePath, `${documentPath}/edit`]) {
        const separator = path.includes("?") ? "&" : "?";
        const response = await page.goto(server.url(`${path}${separator}lang=${lang}`));
        assert.equal(response.status(), 200, path);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        await assertNoViolations(page, `${path} in ${lang}`);
      }
    });
  }

  /** Creates a hearing through the API with the planner's session; returns its id. */
  async function createHearing(body, open) {
    await page.goto(server.url("/planner?lang=nn"));
    const documentId = documentPath.split("/").pop();
    return page.evaluate(
      async ({ id, body, open }) => {
        const post = (url, data) =>
          fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(data) });
        const current = await (await fetch(`/api/v1/documents/${id}`)).json();
        const hearing = await (await post("/api/v1/hearings", { document_version_id: current.version_id, ...body })).json();
        if (open) await post(`/api/v1/hearings/${hearing.id}/open`, {});
        return hearing.id;
      },
      { id: documentId, body, open },
    );
  }

  test("closing before the deadline asks why, and readers see the reason", async () => {
    const id = await createHearing({ title: "Høyring som blir avslutta tidleg" }, true);
    await page.goto(server.url(`/planner/hearings/${id}?lang=nn`));
    // No one-click close before the deadline: a form that says what happens, with a reason.
    assert.equal(await page.locator("form.inline-form button", { hasText: "Avslutt høyringa" }).count(), 0);
    assert.match(await page.locator("#close-early-help").textContent(), /framleis tekne imot/);
    await assertNoViolations(page, "planner hearing page with the early-close form");
    const reason = "Kommunestyret har stansa planarbeidet.";
    await page.locator("#close-reason").focus();
    await page.keyboard.type(reason);
    await page.locator("button", { hasText: "Avslutt høyringa før fristen" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("p.notice.success");
    assert.match(await page.locator("main").textContent(), new RegExp(reason));
    const reader = await newPage(browser);
    try {
      for (const lang of LANGS) {
        await reader.goto(server.url(`/hearings/${id}?lang=${lang}`));
        const text = await reader.locator(".deadline-box").textContent();
        assert.match(text, new RegExp(reason));
        await assertNoViolations(reader, `early-closed hearing in ${lang}`);
      }
      assert.doesNotMatch(await reader.locator(".deadline-box").textContent(), /late|seint/i);
    } finally {
      await reader.context().close();
    }
  });

  test("the suggested deadline is one action and following it clears the warning", async () => {
    const id = await createHearing({ title: "Høyring over jula", opens_on: "2026-12-01", weeks: 8 }, false);
    await page.goto(server.url(`/planner/hearings/${id}?lang=nn`));
    assert.match(await page.locator("ul.warnings").textContent(), /jula/);
    assert.match(await page.locator("#suggested-reason").inputValue(), /8 veker/);
    for (const lang of LANGS) {
      await page.goto(server.url(`/planner/hearings/${id}?lang=${lang}`));
      await assertNoViolations(page, `draft with a suggested deadline in ${lang}`);
    }
    await page.goto(server.url(`/planner/hearings/${id}?lang=nn`));
    await page.locator("section.suggested-deadline button").focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("p.notice.success");
    assert.match(await page.locator("main dl.facts").textContent(), /4\. februar 2027/);
    assert.equal(await page.locator("ul.warnings").count(), 0);
    assert.equal(await page.locator("section.suggested-deadline").count(), 0);
  });

  test("signing out ends the session", async () => {
    await page.goto(server.url("/planner?lang=nn"));
    await page.locator("header form button").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(server.url("/"));
    await page.goto(server.url("/planner"));
    assert.match(new URL(page.url()).pathname, /\/sign-in$/);
  });
});
