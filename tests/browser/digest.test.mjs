// Following a hearing and its sections, and the planner's choice between a notice at
// each input and the daily digest: by keyboard, without JavaScript doing the work
// (plain forms), with zero axe violations and no sideways scrolling at 320 px in
// every language, on the hearing page and on /me.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  DEMO_PLANNER,
  LANGS,
  axeViolations,
  findHearingPath,
  formatViolations,
  launchBrowser,
  newPage,
  reflowViolations,
  sectionIds,
  signIn,
  startServer,
} from "./harness.mjs";

describe("following and daily digests", () => {
  let server;
  let browser;
  let page;
  let hearingPath;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await newPage(browser);
    hearingPath = await findHearingPath(server);
    await signIn(page, server, DEMO_PLANNER);
  });

  after(async () => {
    await page?.context().close();
    await browser?.close();
    await server?.dispose();
  });

  test("a section and the hearing are followed by keyboard, and stopped on /me", async () => {
    await page.goto(server.url(`${hearingPath}?lang=nn`));
    const [first] = await sectionIds(page);
    const button = page.locator(`#follow-${first}`);
    assert.equal((await button.textContent()).trim(), "Følg kapittelet");
    await button.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/done=followed/);
    assert.equal((await page.locator(`#follow-${first}`).textContent()).trim(), "Slutt å følgje kapittelet");
    assert.match(await page.locator("#status").textContent(), /Du følgjer no med/);

    const whole = page.locator("#follow button");
    assert.equal((await whole.textContent()).trim(), "Følg høyringa");
    await whole.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/#follow$/);
    assert.equal((await page.locator("#follow button").textContent()).trim(), "Slutt å følgje høyringa");

    await page.goto(server.url("/me?lang=nn"));
    const follows = page.locator("#me-follows li");
    assert.equal(await follows.count(), 2);
    // Stop following the section: its button, reached by keyboard, names what it stops.
    const stop = follows.first().locator("button");
    assert.match(await stop.getAttribute("aria-label"), /^Slutt å følgje .*1/);
    await stop.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/unfollowed=1/);
    assert.equal(await page.locator("#me-follows li").count(), 1);
  });

  test("the planner chooses a notice at each input for a plan by keyboard", async () => {
    await page.goto(server.url("/me?lang=nn"));
    const digest = page.locator("#me-notices input[value=digest]").first();
    assert.equal(await digest.isChecked(), true, "the digest until chosen otherwise");
    await digest.focus();
    // Arrow keys move between the radio buttons of a group; Enter sends the form.
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("Enter");
    await page.waitForURL(/notices_saved=1/);
    assert.equal(await page.locator("#me-notices input[value=immediate]").first().isChecked(), true);
    assert.match(await page.locator("main .notice.success").textContent(), /Vala for varsel er lagra/);
  });

  for (const lang of LANGS) {
    for (const where of ["hearing", "me"]) {
      test(`the ${where} page with following in ${lang} has no axe violations and reflows at 320 px`, async () => {
        const path = where === "me" ? "/me" : hearingPath;
        const response = await page.goto(server.url(`${path}?lang=${lang}`));
        assert.equal(response.status(), 200);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        if (where === "me") {
          assert.equal(await page.locator("#me-notices").count(), 1);
          assert.equal(await page.locator("#me-follows").count(), 1);
        } else {
          assert.ok((await page.locator("form.follow-form").count()) > 1);
        }
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, formatViolations(violations));
        const reflow = await reflowViolations(page);
        assert.deepEqual(reflow, [], `${path} in ${lang} at 320 px`);
      });
    }
  }
});
