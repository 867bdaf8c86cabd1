// Suggestions in the demo, in a real browser: the demo hearing has a campaign of
// near-copies, inputs on several themes and screened input with personal data. The
// planner finds the campaign grouped, themes suggested and a summary per section
// (computed in the background), approves a summary by keyboard and sees it in the
// report, and sees the personal data marked in the screening list with the parts to
// redact. Every page has zero axe violations and reflows at 320 CSS px in nn, nb, en.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  LANGS,
  axeViolations,
  findHearingPath,
  formatViolations,
  launchBrowser,
  newPage,
  reflowViolations,
  signIn,
  startServer,
} from "./harness.mjs";

async function assertNoViolations(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
  const reflow = await reflowViolations(page);
  assert.equal(reflow.length, 0, `${what} does not reflow: ${JSON.stringify(reflow)}`);
}

async function press(page, locator) {
  await locator.focus();
  await page.keyboard.press("Enter");
}

describe("suggestions for the demo hearing", () => {
  let server;
  let browser;
  let page;
  let hearingId;
  let suggestionsPath;

  before(async () => {
    server = await startServer({ demoInputs: true });
    browser = await launchBrowser();
    page = await newPage(browser);
    hearingId = (await findHearingPath(server)).split("/").pop();
    suggestionsPath = `/planner/hearings/${hearingId}/suggestions`;
    await signIn(page, server);
  });

  after(async () => {
    await page?.context().close();
    await browser?.close();
    await server?.dispose();
  });

  test("the campaign is grouped, themes suggested and each section summarised", async () => {
    // Computed in the background when the demo starts: reload until it is stored.
    for (let i = 0; i < 100; i++) {
      await page.goto(server.url(`${suggestionsPath}?lang=nn`));
      if ((await page.locator("#suggestions-pending").count()) === 0 && (await page.locator(".suggestion-group").count()) > 0) break;
      await page.waitForTimeout(200);
    }
    assert.match(await page.locator("#suggestions-computed").textContent(), /Rekna ut/);
    const group = page.locator("article.suggestion-group").first();
    assert.match(await group.locator("h3").textContent(), /nesten like innspel/);
    assert.match(await group.locator(".suggestion-shared").textContent(), /dagsenteret på Nordheim/);
    assert.ok((await page.locator("article.suggestion-theme").count()) > 0, "themes are suggested");
    assert.ok((await page.locator("article.suggestion-summary-block").count()) > 0, "sections are summarised");
    // Every summary sentence links to its input.
    const links = page.locator("ul.suggestion-summary li a");
    assert.ok((await links.count()) > 0);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute("href")))) {
      assert.match(href, /^\/planner\/inputs\/[0-9a-f-]{36}$/);
    }
  });

  for (const lang of LANGS) {
    test(`the suggestions page in ${lang} has no axe violations and reflows`, async () => {
      const response = await page.goto(server.url(`${suggestionsPath}?lang=${lang}`));
      assert.equal(response.status(), 200);
      assert.equal(await page.getAttribute("html", "lang"), lang);
      await assertNoViolations(page, `suggestions in ${lang}`);
    });
  }

  test("a summary approved by keyboard appears in the report, marked with who approved it", async () => {
    await page.goto(server.url(`${suggestionsPath}?lang=nn`));
    const block = page.locator("article.suggestion-summary-block").first();
    const sentence = (await block.locator("ul.suggestion-summary li").first().textContent()).match(/«(.*)»/)[1];
    await press(page, block.locator('button[value="approve"]'));
    await page.locator("#suggestions-done").waitFor();
    assert.match(await page.locator("#suggestions-done").textContent(), /godkjent/);
    await assertNoViolations(page, "suggestions after approving a summary");
    await page.goto(server.url(`/planner/hearings/${hearingId}/report?lang=nn`));
    const summaries = page.locator("section.report-summaries");
    await summaries.waitFor();
    assert.ok((await summaries.textContent()).includes(sentence));
    assert.match(await summaries.textContent(), /Godkjent av/);
    await assertNoViolations(page, "report with an approved summary");
  });

  test("a group is accepted with one assessment by keyboard", async () => {
    await page.goto(server.url(`${suggestionsPath}?lang=nn`));
    const group = page.locator("article.suggestion-group[data-state=suggested]").first();
    const key = await group.getAttribute("id");
    await group.locator("textarea[name=summary]").fill("Kampanje for dagsenteret.");
    await group.locator("select[name=outcome]").selectOption("noted");
    await group.locator("textarea[name=response]").fill("Dagsenteret blir vurdert i planen.");
    await press(page, group.locator("form.accept-group button[type=submit]"));
    await page.locator("#suggestions-done").waitFor();
    assert.equal(await page.locator(`#${key}`).getAttribute("data-state"), "accepted");
    assert.match(await page.locator(".suggestion-history").textContent(), /godteke/);
  });

  for (const lang of LANGS) {
    test(`screened input shows its personal data marked, with parts to redact, in ${lang}`, async () => {
      await page.goto(server.url(`/planner/hearings/${hearingId}?lang=${lang}`));
      const waiting = page.locator(".screening-queue li.moderation-item");
      assert.ok((await waiting.count()) >= 2);
      assert.ok((await page.locator('mark.personal-data[data-kind="national_id"]').count()) >= 1);
      assert.ok((await page.locator('mark.personal-data[data-kind="phone"]').count()) >= 1);
      assert.ok((await page.locator('mark.personal-data[data-kind="email"]').count()) >= 1);
      assert.ok((await page.locator('.screening-queue input[name="redact"]').count()) >= 3);
      await assertNoViolations(page, `screening list in ${lang}`);
    });
  }
});
