// The administrator's outbox: reached from the workbench by keyboard, with zero axe
// violations and no horizontal scrolling at 320 px in every language.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  LANGS,
  axeViolations,
  formatViolations,
  launchBrowser,
  newPage,
  reflowViolations,
  signIn,
  startServer,
} from "./harness.mjs";

const ADMINISTRATOR = "it@fjordvik.kommune.example";
const PLANNER = "planleggjar@fjordvik.kommune.example";

describe("administrator's outbox", () => {
  let server;
  let browser;
  let page;

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

  test("the administrator opens the outbox from the workbench by keyboard", async () => {
    await signIn(page, server, ADMINISTRATOR);
    await page.locator("a", { hasText: "Postkø" }).focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/admin\/outbox$/);
    assert.match(await page.locator("h1").textContent(), /Postkø/);
    // Her own sign-in link is among the sent emails.
    assert.match(await page.locator("#outbox-sent").textContent(), /it@fjordvik\.kommune\.example/);
  });

  for (const lang of LANGS) {
    test(`the outbox in ${lang} has no axe violations and reflows at 320 px`, async () => {
      const response = await page.goto(server.url(`/admin/outbox?lang=${lang}`));
      assert.equal(response.status(), 200);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, formatViolations(violations));
      const reflow = await reflowViolations(page);
      assert.deepEqual(reflow, [], `/admin/outbox in ${lang} at 320 px`);
    });
  }

  test("the planner finds what was sent for the plan, in every language", async () => {
    const planner = await newPage(browser);
    try {
      await signIn(planner, server, PLANNER);
      await planner.locator("a", { hasText: "Kommunedelplan for helse og omsorg" }).first().focus();
      await planner.keyboard.press("Enter");
      await planner.waitForURL(/\/planner\/plans\/[0-9a-f-]{36}$/);
      const planPath = new URL(planner.url()).pathname;
      // Open a second hearing of the plan: its members are told, and the page lists it.
      const documentPath = await planner.locator('a[href^="/planner/documents/"]').first().getAttribute("href");
      const status = await planner.evaluate(async (documentId) => {
        const post = (url, data) =>
          fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(data) });
        const current = await (await fetch(`/api/v1/documents/${documentId}`)).json();
        const hearing = await (await post("/api/v1/hearings", { document_version_id: current.version_id, title: "Andre runde" })).json();
        return (await post(`/api/v1/hearings/${hearing.id}/open`, {})).status;
      }, documentPath.split("/").pop());
      assert.equal(status, 200);
      await planner.goto(server.url(`${planPath}?lang=nn`));
      await planner.locator("a", { hasText: "E-post sendt for planen" }).focus();
      await planner.keyboard.press("Enter");
      await planner.waitForURL(/\/emails$/);
      assert.match(await planner.locator("#plan-emails").textContent(), /Høyringa er opna/);
      assert.match(await planner.locator("#plan-emails").textContent(), /leiar@fjordvik-pensjonistlag\.example/);
      for (const lang of LANGS) {
        const response = await planner.goto(server.url(`${planPath}/emails?lang=${lang}`));
        assert.equal(response.status(), 200);
        assert.equal(await planner.getAttribute("html", "lang"), lang);
        const violations = await axeViolations(planner);
        assert.equal(violations.length, 0, formatViolations(violations));
        assert.deepEqual(await reflowViolations(planner), [], `the plan's emails in ${lang} at 320 px`);
      }
    } finally {
      await planner.context().close();
    }
  });

  test("the administrator sets the email sender by keyboard; a wrong web address is explained beside its field", async () => {
    const page = await newPage(browser);
    try {
      await signIn(page, server, ADMINISTRATOR);
      await page.locator("a", { hasText: "Avsendar for e-post" }).focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/admin\/sender$/);
      await page.locator("#sender-display-name").focus();
      await page.keyboard.type("Fjordvik kommune, planavdelinga");
      await page.locator("#sender-base-url").focus();
      await page.keyboard.type("hoyring.fjordvik.example");
      // The browser's own check would stop a typed URL without a scheme; the server's is tested here.
      await page.evaluate(() => document.querySelector("form.planner-form").setAttribute("novalidate", ""));
      await page.keyboard.press("Enter");
      // Waits for the answer's page itself, not only for the current page's load.
      await page.locator("#sender-base-url[aria-invalid=true]").waitFor();
      assert.equal(await page.locator("#sender-base-url").getAttribute("aria-invalid"), "true");
      assert.match(await page.locator("#sender-base-url-error").textContent(), /https:\/\//);
      await assertNoViolationsIn(page, "the refused sender form");
      await page.locator("#sender-base-url").fill("");
      await page.locator("#sender-base-url").focus();
      await page.keyboard.type("https://hoyring.fjordvik.example");
      await page.keyboard.press("Enter");
      await page.locator("#sender-saved").waitFor();
      assert.match(await page.locator("#sender-saved").textContent(), /Lagra/);
      assert.equal(await page.locator("#sender-display-name").inputValue(), "Fjordvik kommune, planavdelinga");
      for (const lang of LANGS) {
        const response = await page.goto(server.url(`/admin/sender?lang=${lang}`));
        assert.equal(response.status(), 200);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        await assertNoViolationsIn(page, `the sender form in ${lang}`);
      }
      // Back to how the demo was, for the other tests.
      for (const id of ["#sender-display-name", "#sender-base-url"]) await page.locator(id).fill("");
      await page.locator("form.planner-form button[type=submit]").click();
    } finally {
      await page.context().close();
    }
  });

  async function assertNoViolationsIn(target, what) {
    const violations = await axeViolations(target);
    assert.equal(violations.length, 0, `${what}: ${formatViolations(violations)}`);
    assert.deepEqual(await reflowViolations(target), [], `${what} at 320 px`);
  }
});
