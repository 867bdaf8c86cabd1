// Assessment of inputs in the workbench: the planner reaches the plan's input
// register, registers a letter and assesses it by keyboard, is told that a second
// planner must review it, and reads the printable report. Every page has zero axe
// violations and reflows at 320 CSS px in every language.

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

describe("assessment of inputs", () => {
  let server;
  let browser;
  let page;
  let registerPath;
  let inputPath;
  let reportPath;

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

  test("the planner reaches the input register from the workbench by keyboard", async () => {
    await page.goto(server.url("/planner?lang=nn"));
    const link = page.locator("main a", { hasText: "Innspelsregister og merknadsbehandling" }).first();
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/plans\/[0-9a-f-]{36}\/register$/);
    registerPath = new URL(page.url()).pathname;
    assert.match(await page.locator("h1").textContent(), /Innspelsregister/);
  });

  test("a letter is registered by keyboard and gets the next number", async () => {
    await page.locator("main a", { hasText: "Registrer brev eller e-post" }).first().focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/letters$/);
    await page.locator("#l-sender").focus();
    await page.keyboard.type("Fjordvik pensjonistlag");
    await page.locator("#l-kind-organisation").focus();
    await page.keyboard.press("Space");
    await page.locator("#l-channel").selectOption("email");
    const today = await page.locator("#l-date").getAttribute("max");
    await page.locator("#l-date").fill(today);
    await page.locator("#l-text").focus();
    await page.keyboard.type("Vi ønskjer eit dagsenter med fleire benkar.");
    await page.locator("main form button[type=submit]").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/register\?done=letter-\d+$/);
    assert.match(await page.locator("p.notice[role=status]").textContent(), /registrert som innspel nr\. \d+/);
    const row = page.locator("li.register-row", { hasText: "Fjordvik pensjonistlag" }).first();
    await row.locator("a").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/inputs\/[0-9a-f-]{36}$/);
    inputPath = new URL(page.url()).pathname;
  });

  test("the assessment is saved by keyboard, and its author may not review it", async () => {
    await page.locator("#a-summary").focus();
    await page.keyboard.type("Ønskjer dagsenter og benkar.");
    await page.locator("#a-outcome-partly_followed").focus();
    await page.keyboard.press("Space");
    await page.locator("#a-response").focus();
    await page.keyboard.type("Dagsenter blir vurdert i handlingsdelen.");
    await page.locator("form[action$='" + inputPath + "'] button").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/done=saved$/);
    assert.match(await page.locator("p.notice[role=status]").textContent(), /lagra som utkast/);
    assert.match(await page.locator("main table").textContent(), /Samandrag av innspelet/);
    await page.locator("form[action$='/review'] button").focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("p.notice.error[role=alert]");
    assert.match(await page.locator("p.notice.error").textContent(), /Ein annan planleggjar må kontrollere ho/);
    await assertNoViolations(page, "the four-eyes refusal");
  });

  test("the register filters by keyboard", async () => {
    await page.goto(server.url(`${registerPath}?lang=nn`));
    await page.locator("#f-q").focus();
    await page.keyboard.type("dagsenter");
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=dagsenter/);
    assert.match(await page.locator("main").textContent(), /Fjordvik pensjonistlag/);
    const report = page.locator("main a", { hasText: "Merknadsbehandling for" }).first();
    reportPath = new URL(await report.getAttribute("href"), server.baseUrl).pathname;
  });

  for (const lang of LANGS) {
    test(`assessment pages in ${lang} have no axe violations and reflow`, async () => {
      for (const p of [registerPath, registerPath.replace(/register$/, "letters"), inputPath, reportPath]) {
        const response = await page.goto(server.url(`${p}?lang=${lang}`));
        assert.equal(response.status(), 200, p);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        await assertNoViolations(page, `${p} in ${lang}`);
      }
    });
  }
});
