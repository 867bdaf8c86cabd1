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
});
