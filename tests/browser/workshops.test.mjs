// Workshops: the demo's workshop of the reference group on the plan's meeting plan,
// its page, the planner's form and the group's page, each with zero axe violations
// in every language (and reflow at 320 px); an invited member answers by keyboard,
// with what they need, and the planner sees it.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  LANGS,
  axeViolations,
  formatViolations,
  launchBrowser,
  newPage,
  newestSignInLink,
  signIn,
  startServer,
} from "./harness.mjs";

// The demo's representative of the pensioners' association, a member of the
// reference group the workshop invites.
const MEMBER = "leiar@fjordvik-pensjonistlag.example";

async function assertNoViolations(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
}

/** Signs a member in by the emailed link, then opens `next`. */
async function signInTo(page, server, email, next) {
  await page.goto(server.url("/sign-in?lang=nn"));
  await page.locator("#email").focus();
  await page.keyboard.type(email);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/sign-in/);
  const { link } = await newestSignInLink(server, email);
  await page.goto(link);
  await page.locator("main form button[type=submit]").focus();
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
  await page.goto(server.url(next));
}

describe("workshops", () => {
  let server;
  let browser;
  let planner;
  let workshopPath;
  let planPath;
  let groupPath;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    planner = await newPage(browser);
    await signIn(planner, server);
  });

  after(async () => {
    await planner?.context().close();
    await browser?.close();
    await server?.dispose();
  });

  test("the plan's meeting plan holds the demo workshop, reached by keyboard", async () => {
    await planner.goto(server.url("/planner?lang=nn"));
    const hrefs = await planner
      .locator("main a[href^='/planner/plans/']")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    planPath = hrefs.find((href) => /^\/planner\/plans\/[0-9a-f-]{36}$/.test(href));
    assert.ok(planPath, `a plan page among ${hrefs}`);
    await planner.goto(server.url(planPath));
    const link = planner.locator("main a[href^='/workshops/']").first();
    assert.match(await link.textContent(), /Arbeidsmøte med referansegruppa/);
    await link.focus();
    await planner.keyboard.press("Enter");
    await planner.waitForURL(/\/workshops\/[0-9a-f-]{36}$/);
    workshopPath = new URL(planner.url()).pathname;
    const main = await planner.locator("main").textContent();
    assert.match(main, /Sentrale tema/);
    assert.match(main, /Teleslynge/);
    assert.match(main, /Kven kjem/);
    groupPath = await planner.locator("main a[href^='/groups/']").first().getAttribute("href");
  });

  for (const lang of LANGS) {
    test(`the planner's pages have no axe violations in ${lang}`, async () => {
      for (const path of [workshopPath, `${planPath}/workshops/new`, `${workshopPath.replace("/workshops/", "/planner/workshops/")}/edit`, groupPath, planPath]) {
        const response = await planner.goto(server.url(`${path}?lang=${lang}`));
        assert.equal(response.status(), 200, path);
        await assertNoViolations(planner, `${path} in ${lang}`);
      }
    });
  }

  test("an invited member answers yes by keyboard, with needs, and the planner sees it", async () => {
    const member = await newPage(browser);
    try {
      await signInTo(member, server, MEMBER, workshopPath);
      for (const lang of LANGS) {
        await member.goto(server.url(`${workshopPath}?lang=${lang}`));
        await assertNoViolations(member, `the member's workshop page in ${lang}`);
        await member.goto(server.url(`${groupPath}?lang=${lang}`));
        await assertNoViolations(member, `the group page in ${lang}`);
      }
      await member.goto(server.url(`${workshopPath}?lang=nn`));
      await member.locator("#ws-answer-yes").focus();
      await member.keyboard.press("Space");
      await member.locator("#ws-diet").focus();
      await member.keyboard.type("Glutenfri");
      await member.locator("#ws-assistant").focus();
      await member.keyboard.press("Space");
      await member.locator("#ws-interpreter").press("Enter");
      await member.waitForURL(/done=answered/);
      assert.match(await member.locator("p.notice[role=status]").textContent(), /Svaret ditt er lagra/);
      assert.match(await member.locator("#answer").textContent(), /Du har plass/);
      await assertNoViolations(member, "the workshop page after answering");
      // A missing answer comes back beside its field.
      await member.evaluate(() => {
        for (const radio of document.querySelectorAll("input[name=answer]")) {
          radio.checked = false;
          radio.required = false;
        }
      });
      await member.locator("#ws-diet").press("Enter");
      await member.waitForSelector("#error-summary");
      await assertNoViolations(member, "the refused answer");
    } finally {
      await member.context().close();
    }
    await planner.goto(server.url(`${workshopPath}?lang=nn`));
    const table = await planner.locator("#who-comes table").textContent();
    assert.match(table, /Ola Fjeld/);
    assert.match(table, /Glutenfri/);
  });

  test("an open workshop page follows a change the planner makes", async () => {
    const member = await newPage(browser);
    try {
      // Signed in again: the earlier test's link is spent, so wait for a new one.
      const spent = await newestSignInLink(server, MEMBER);
      await member.goto(server.url("/sign-in?lang=nn"));
      await member.locator("#email").fill(MEMBER);
      await member.locator("#email").press("Enter");
      await member.waitForURL(/\/sign-in$/);
      const { link } = await newestSignInLink(server, MEMBER, { after: new Set([spent.file]) });
      await member.goto(link);
      await member.locator("main form button[type=submit]").press("Enter");
      await member.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
      await member.goto(server.url(`${workshopPath}?lang=nn`));
      await member.waitForSelector('main[data-live="connected"]', { timeout: 10_000 });
      const typed = "Laktosefri";
      await member.locator("#ws-diet").fill(typed);
      const title = `Arbeidsmøte, ny tittel ${Date.now().toString(36)}`;
      await planner.goto(server.url(`${workshopPath.replace("/workshops/", "/planner/workshops/")}/edit?lang=nn`));
      await planner.locator("#ws-title").fill(title);
      await planner.locator("#ws-title").press("Enter");
      await planner.waitForURL((url) => !url.pathname.endsWith("/edit"));
      // The member's page shows the new title without a reload, says so, and
      // keeps what they typed.
      await member.locator("main h1", { hasText: title }).waitFor({ timeout: 10_000 });
      await member.waitForFunction(
        () => document.getElementById("workshop-announcer")?.textContent.includes("endra"),
        null,
        { timeout: 10_000 },
      );
      assert.equal(await member.locator("#ws-diet").inputValue(), typed);
      await assertNoViolations(member, "the workshop page after a live change");
      assert.deepEqual(member.problems, []);
    } finally {
      await member.context().close();
    }
  });
});
