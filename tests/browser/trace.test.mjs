// Traceability from an input to the text it changed: the planner publishes a new
// version of the demo document, links the assessment of a letter to a changed
// section by keyboard, follows the link to the comparison and finds the input at
// that section. The comparison (workbench and public) and the assessment form have
// zero axe violations and reflow at 320 CSS px in every language.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  LANGS,
  axeViolations,
  formatViolations,
  launchBrowser,
  newPage,
  signIn,
  startServer,
} from "./harness.mjs";

async function assertNoViolations(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
}

describe("traceability from input to changed text", () => {
  let server;
  let browser;
  let page;
  let documentId;
  let inputPath;
  let comparePath;
  let target;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await newPage(browser);
    await signIn(page, server);
  });

  after(async () => {
    await page?.context().close();
    await browser?.close();
    await server?.dispose();
  });

  test("a new version and a letter to assess", async () => {
    await page.goto(server.url("/planner?lang=nn"));
    const registerHref = await page
      .locator("main a", { hasText: "Innspelsregister og merknadsbehandling" })
      .first()
      .getAttribute("href");
    const planId = registerHref.split("/")[3];
    await page.goto(server.url(`/planner/plans/${planId}?lang=nn`));
    const documentHref = await page.locator("main a[href^='/planner/documents/']").first().getAttribute("href");
    documentId = documentHref.split("/").pop();
    // Version n+1 changes the second section, through the API with the planner's session.
    const made = await page.evaluate(
      async ({ planId, documentId }) => {
        const current = await (await fetch(`/api/v1/documents/${documentId}`)).json();
        const sections = current.sections
          .filter((s) => s.number !== "")
          .map(({ number, title, level, body }) => ({ number, title, level, body }));
        sections[1].body += " Kommunen set opp fleire benkar langs gangvegane.";
        const version = await fetch(`/api/v1/documents/${documentId}/versions`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({ sections }),
        });
        const created = await version.json();
        const letter = await fetch(`/api/v1/plans/${planId}/letters`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify({
            sender_name: "Fjordvik sanitetslag",
            sender_kind: "organisation",
            channel: "letter",
            received_on: new Date().toISOString().slice(0, 10),
            text: "Vi ønskjer benkar langs gangvegane.",
          }),
        });
        const stored = await letter.json();
        const register = await (await fetch(`/api/v1/plans/${planId}/inputs?kind=letter&sort=-number&limit=1`)).json();
        return {
          statuses: [version.status, letter.status],
          version: created.version,
          section: created.sections.filter((s) => s.number !== "")[1],
          number: stored.number,
          inputId: register.inputs[0].id,
        };
      },
      { planId, documentId },
    );
    assert.deepEqual(made.statuses, [201, 201]);
    target = made;
    inputPath = `/planner/inputs/${made.inputId}`;
  });

  test("the planner links the change to the changed section by keyboard", async () => {
    await page.goto(server.url(`${inputPath}?lang=nn`));
    await page.locator("#a-summary").focus();
    await page.keyboard.type("Ønskjer benkar.");
    await page.locator("#a-outcome-followed").focus();
    await page.keyboard.press("Space");
    await page.locator("#a-change").focus();
    await page.keyboard.type("Benkar langs gangvegane er tekne inn.");
    await page.locator("#a-change-section").focus();
    await page.locator("#a-change-section").selectOption(target.section.id);
    await page.locator("form[action$='" + inputPath + "'] button").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/done=saved$/);
    const link = page.locator("main a", { hasText: "Sjå endringa i" });
    assert.match(await link.textContent(), new RegExp(`versjon ${target.version}`));
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/compare\?from=\d+&to=\d+#lineage-/);
    const url = new URL(page.url());
    comparePath = url.pathname + url.search;
    const section = page.locator(`#lineage-${target.section.lineage}`);
    assert.match(await section.locator("ul.linked-inputs").textContent(), new RegExp(`Innspel nr\\. ${target.number}:\\s+Fjordvik sanitetslag`));
    assert.equal(await page.locator("ul.linked-inputs").count(), 1, "the input shows at that section only");
    await section.locator(`a[href='${inputPath}']`).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`${inputPath}$`));
  });

  for (const lang of LANGS) {
    test(`the comparison and the form in ${lang} have no axe violations and reflow`, async () => {
      const publicCompare = comparePath.replace(/^\/planner\/documents\//, "/documents/");
      for (const p of [comparePath, inputPath, publicCompare]) {
        const separator = p.includes("?") ? "&" : "?";
        const response = await page.goto(server.url(`${p}${separator}lang=${lang}`));
        assert.equal(response.status(), 200, p);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        await assertNoViolations(page, `${p} in ${lang}`);
      }
    });
  }
});
