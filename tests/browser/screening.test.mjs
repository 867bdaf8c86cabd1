// Screening of input from the public, in a real browser: the planner turns screening
// on in the workbench, input given without an account waits after its confirmation,
// the planner publishes it from the screening list, and a reader who is not signed in
// reports it. Keyboard only for the actions; every state passes axe.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  DEMO_PLANNER,
  axeViolations,
  findHearingPath,
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

async function press(page, locator) {
  await locator.focus();
  await page.keyboard.press("Enter");
}

describe("screening of public input and reports without signing in", () => {
  let server;
  let browser;
  let hearingPath;
  let hearingId;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    hearingPath = await findHearingPath(server);
    hearingId = hearingPath.split("/").pop();
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test("a planner screens input from the public and publishes it; anyone reports", async () => {
    const planner = await newPage(browser);
    const visitor = await newPage(browser);
    const reporter = await newPage(browser);
    const text = "Innspel som kommunen skal sjå over først.";
    try {
      await signIn(planner, server, DEMO_PLANNER);
      await planner.goto(server.url(`/planner/hearings/${hearingId}?lang=nn`));
      await press(planner, planner.locator('form[action$="/screening"] button'));
      await planner.locator("#screening-state").filter({ hasText: "Kontroll er slått på." }).waitFor();
      await assertNoViolations(planner, "workbench with screening on");

      // Input without an account: confirmed by the emailed link, then it waits.
      await visitor.goto(server.url(`${hearingPath}?lang=nn`));
      const form = visitor.locator("form.comment-form").first();
      await press(visitor, visitor.locator("details.comment-compose > summary").first());
      assert.match(await form.textContent(), /Kommunen ser over innspel frå ålmenta/);
      await form.locator('input[name="author_name"]').fill("Kari Utan Konto");
      await form.locator('input[name="author_email"]').fill("utan@example.org");
      // A phone number in it, which the planner will see marked as personal data.
      await form.locator('textarea[name="body"]').fill(`${text} Ring meg på 412 34 567.`);
      await press(visitor, form.locator("button[type=submit]"));
      await visitor.waitForURL(/pending=/);
      const { link } = await newestLink(server, "utan@example.org", "/inputs/confirm");
      await visitor.goto(link);
      await press(visitor, visitor.locator("main form button[type=submit]"));
      await visitor.waitForURL(/\/hearings\/[0-9a-f-]{36}\?done=screening$/);
      assert.match(await visitor.locator("main").textContent(), /Kommunen ser over innspelet ditt/);
      await assertNoViolations(visitor, "the hearing after confirming screened input");
      await visitor.goto(server.url(`${hearingPath}?lang=nn`));
      assert.match(await visitor.locator(".awaiting-screening").first().textContent(), /Ventar på kontroll/);
      await assertNoViolations(visitor, "hearing page with the author's input awaiting screening");

      // The planner publishes it from the screening list.
      await planner.goto(server.url(`/planner/hearings/${hearingId}?lang=nn`));
      const item = planner.locator(".screening-queue li").filter({ hasText: text });
      await item.waitFor();
      const phone = item.locator('mark.personal-data[data-kind="phone"]');
      assert.equal((await phone.textContent()).trim(), "412 34 567 (telefonnummer)");
      assert.match(await item.locator(".personal-data-note").textContent(), /kan vere ei personopplysning/);
      await assertNoViolations(planner, "workbench with input awaiting screening, personal data marked");
      await press(planner, item.locator('form[action$="/publish"] button'));
      await planner.waitForURL(/done=published/);
      await assertNoViolations(planner, "workbench after publishing");

      // A reader who is not signed in sees it and reports it.
      await reporter.goto(server.url(`${hearingPath}?lang=nn`));
      const comment = reporter.locator("li.comment").filter({ hasText: text }).first();
      const report = comment.locator("details.comment-report").first();
      await press(reporter, report.locator("summary"));
      await report.locator("textarea").fill("Personopplysningar");
      await press(reporter, report.locator("button[type=submit]"));
      await reporter.waitForURL(/done=reported/);
      await assertNoViolations(reporter, "hearing page after an anonymous report");
    } finally {
      for (const p of [planner, visitor, reporter]) await p.context().close();
    }
  });
});
