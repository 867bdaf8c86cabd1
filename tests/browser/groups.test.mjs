// Groups and invitations: the planner creates a group, invites by form and from a
// spreadsheet, by keyboard; the invited person accepts from the emailed link. Every
// page has zero axe violations in every language.

import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { after, before, describe, test } from "node:test";
import {
  LANGS,
  axeViolations,
  formatViolations,
  launchBrowser,
  newPage,
  newestLink,
  signIn,
  startServer,
} from "./harness.mjs";

async function assertNoViolations(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
}

const INVITE_LINK = /https?:\/\/\S+\/invitations\/accept\?token=[A-Za-z0-9_-]+/;

describe("groups and invitations", () => {
  let server;
  let browser;
  let page;
  let groupsPath;
  let groupPath;

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

  test("the planner reaches the plan's groups from the workbench by keyboard", async () => {
    await page.goto(server.url("/planner?lang=nn"));
    const link = page.locator("main a", { hasText: "Grupper og medlemer" }).first();
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/plans\/[0-9a-f-]{36}\/groups$/);
    groupsPath = new URL(page.url()).pathname;
    assert.match(await page.locator("main").textContent(), /Referansegruppe for helse og omsorg/);
  });

  test("a group is created by keyboard", async () => {
    await page.locator("#group-kind").selectOption("elder_council");
    await page.locator("#group-name").focus();
    await page.keyboard.type("Eldrerådet");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/groups\/[0-9a-f-]{36}/);
    groupPath = new URL(page.url()).pathname;
    assert.equal(await page.locator("h1").textContent(), "Eldrerådet");
  });

  test("one person is invited by keyboard, and the invitation is listed", async () => {
    await page.locator("#invite-name").focus();
    await page.keyboard.type("Olga Eldre");
    await page.locator("#invite-email").focus();
    await page.keyboard.type("olga@eldre.example");
    await page.locator("#invite-role").selectOption("chair");
    await page.locator("#invite-name").press("Enter");
    await page.waitForSelector("p.notice[role=status]");
    assert.match(await page.locator("p.notice:not(#idle-error)").textContent(), /Invitasjonen er send/);
    assert.match(await page.locator("main table").last().textContent(), /olga@eldre\.example/);
  });

  test("a member list is checked row by row before anyone is invited", async () => {
    const csv = path.join(server.dataDir, "medlemer.csv");
    await writeFile(
      csv,
      "namn;e-post;organisasjon;gruppe;rolle\nPer Pensjonist;per@pensjonist.example;Pensjonistlaget;;representant\n=1+2;x@example.org;;;\n",
    );
    await page.locator("#roster-file").setInputFiles(csv);
    await page.locator("#roster-file").press("Enter");
    await page.locator("form[action$='/import'] button").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/import$/);
    assert.match(await page.locator("main").textContent(), /1 rader kan inviterast\. 1 rader har feil\./);
    await assertNoViolations(page, "member list preview");
    await page.locator("#skip-invalid").focus();
    await page.keyboard.press("Space");
    await page.locator("form[action$='/import/confirm'] button").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/done=imported&count=1/);
    assert.match(await page.locator("main").textContent(), /per@pensjonist\.example/);
  });

  for (const lang of LANGS) {
    test(`group pages in ${lang} have no axe violations`, async () => {
      for (const p of [groupsPath, groupPath, "/planner/password"]) {
        const response = await page.goto(server.url(`${p}?lang=${lang}`));
        assert.equal(response.status(), 200, p);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        await assertNoViolations(page, `${p} in ${lang}`);
      }
    });
  }

  test("the invited person accepts from the emailed link by keyboard", async () => {
    const { link } = await newestLink(server, "olga@eldre.example", "/invitations/accept");
    const invited = await newPage(browser);
    try {
      for (const lang of LANGS) {
        const response = await invited.goto(`${link}&lang=${lang}`);
        assert.equal(response.status(), 200);
        await assertNoViolations(invited, `invitation page in ${lang}`);
      }
      await invited.goto(`${link}&lang=nn`);
      assert.match(await invited.locator("main").textContent(), /Eldrerådet/);
      await invited.locator("main form button[type=submit]").focus();
      await invited.keyboard.press("Enter");
      await invited.waitForURL(/\/me$/);
      // The same link no longer works, and says so accessibly.
      const again = await invited.goto(`${link}&lang=nn`);
      assert.equal(again.status(), 410);
      await assertNoViolations(invited, "used invitation link");
    } finally {
      await invited.context().close();
    }
  });
});
