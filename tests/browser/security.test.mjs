// The administrator's audit log and the API token page (keyboard, axe, 320 px in
// every language), the idle-timeout warning with its "stay signed in" (WCAG 2.2.1),
// and drafts of comments that survive a reload and go once sent.

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
  sectionIds,
  signIn,
  startServer,
} from "./harness.mjs";

const ADMINISTRATOR = "it@fjordvik.kommune.example";
const PLANNER = "planleggjar@fjordvik.kommune.example";

describe("audit log, API tokens, idle timeout and drafts", () => {
  let server;
  let browser;
  let admin;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    admin = await newPage(browser);
    await signIn(admin, server, ADMINISTRATOR);
  });

  after(async () => {
    await admin?.context().close();
    await browser?.close();
    await server?.dispose();
  });

  test("the administrator opens the audit log by keyboard and filters it", async () => {
    await admin.goto(server.url("/planner?lang=nn"));
    await admin.locator("a", { hasText: "Revisjonslogg" }).focus();
    await admin.keyboard.press("Enter");
    await admin.waitForURL(/\/admin\/audit$/);
    // Her own sign-in is there.
    assert.match(await admin.locator("#audit-log").textContent(), /Logga inn/);
    await admin.locator("#a-kind").focus();
    await admin.locator("#a-kind").selectOption("sign_in");
    await admin.locator("form.filter-form button[type=submit]").focus();
    await admin.keyboard.press("Enter");
    await admin.waitForURL(/kind=sign_in/);
    await admin.locator("#audit-log").waitFor();
    const kinds = await admin.locator("#audit-log tbody tr").evaluateAll((rows) => rows.map((r) => r.dataset.kind));
    assert.ok(kinds.length > 0);
    assert.ok(kinds.every((k) => k === "sign_in"), kinds.join(","));
  });

  for (const lang of LANGS) {
    test(`the audit log and the token page in ${lang}: no axe violations, reflow at 320 px`, async () => {
      for (const path of ["/admin/audit", "/planner/tokens"]) {
        const response = await admin.goto(server.url(`${path}?lang=${lang}`));
        assert.equal(response.status(), 200, path);
        assert.equal(await admin.getAttribute("html", "lang"), lang);
        const violations = await axeViolations(admin);
        assert.equal(violations.length, 0, `${path}: ${formatViolations(violations)}`);
        assert.deepEqual(await reflowViolations(admin), [], `${path} in ${lang} at 320 px`);
      }
    });
  }

  test("a token is made by keyboard and its secret shown once", async () => {
    await admin.goto(server.url("/planner/tokens?lang=en"));
    await admin.locator("#t-label").focus();
    await admin.keyboard.type("Statistics");
    await admin.locator("#t-read").focus();
    await admin.keyboard.press("Space");
    await admin.locator("form.planner-form button[type=submit]").focus();
    await admin.keyboard.press("Enter");
    await admin.locator("#token-secret").waitFor();
    const secret = await admin.locator("#token-secret").inputValue();
    assert.match(secret, /^samrad_[A-Za-z0-9_-]{40,}$/);
    const violations = await axeViolations(admin);
    assert.equal(violations.length, 0, formatViolations(violations));
    // It works, then the list shows it without the secret.
    const answer = await fetch(server.url("/api/v1/plans"), { headers: { authorization: `Bearer ${secret}` } });
    assert.notEqual(answer.status, 401);
    await admin.goto(server.url("/planner/tokens?lang=en"));
    assert.ok(!(await admin.content()).includes(secret), "the secret is shown only once");
    assert.match(await admin.locator("#tokens").textContent(), /Statistics/);
  });

  test("before the idle timeout a dialog warns, and staying signed in works by keyboard", async () => {
    const page = await newPage(browser);
    try {
      await page.clock.install();
      await signIn(page, server, PLANNER);
      await page.goto(server.url("/planner?lang=en"));
      const dialog = page.locator("#idle-dialog");
      assert.equal(await dialog.isVisible(), false);
      assert.equal(await dialog.getAttribute("aria-describedby"), "idle-text");
      // Staff: 30 minutes; the warning comes two minutes (and the server's one-minute
      // margin) before the end.
      await page.clock.fastForward("27:30");
      await dialog.waitFor({ state: "visible" });
      assert.equal(await page.evaluate(() => document.activeElement?.id), "idle-extend");
      assert.match(await page.locator("#idle-title").textContent(), /still there/);
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, formatViolations(violations));
      const extended = page.waitForResponse((r) => r.url().endsWith("/session/extend"));
      await page.keyboard.press("Enter");
      assert.equal((await extended).status(), 200);
      await dialog.waitFor({ state: "hidden" });
      // The session is alive; the warning comes again only after another stretch.
      await page.clock.fastForward("20:00");
      assert.equal(await dialog.isVisible(), false);
      const response = await page.goto(server.url("/planner?lang=nn"));
      assert.equal(response.status(), 200);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });

  test("a draft comment survives a reload, with a notice, and is gone once sent", async () => {
    const page = await newPage(browser);
    try {
      await signIn(page, server, PLANNER);
      const hearingPath = await findHearingPath(server);
      await page.goto(server.url(`${hearingPath}?lang=nn`));
      const [section] = await sectionIds(page);
      await page.locator(`#compose-${section} summary`).focus();
      await page.keyboard.press("Enter");
      await page.locator(`#body-${section}`).focus();
      const text = "Utkast som ikkje må gå tapt.";
      await page.keyboard.type(text);
      await page.reload();
      await page.locator(`#body-${section}`).waitFor({ state: "visible" });
      assert.equal(await page.locator(`#body-${section}`).inputValue(), text);
      const notice = page.locator(`#compose-${section} .draft-notice`);
      assert.equal(await notice.getAttribute("role"), "status");
      assert.match(await notice.textContent(), /utkast/i);
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, formatViolations(violations));

      await page.locator(`#compose-${section} form button[type=submit]`).focus();
      await page.keyboard.press("Enter");
      await page.locator(`#status-${section}`).waitFor();
      await page.goto(server.url(`${hearingPath}?lang=nn`));
      await page.locator(`#compose-${section} summary`).waitFor();
      assert.equal(await page.locator(`#body-${section}`).inputValue(), "");
      assert.equal(await page.locator(".draft-notice").count(), 0);
      assert.deepEqual(page.problems, []);
    } finally {
      await page.context().close();
    }
  });
});
