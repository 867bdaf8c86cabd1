// Returning to the hearing: someone who confirms their input from the emailed link,
// or signs in from a hearing, ends up back on that hearing, by keyboard, and the
// pages on the way have no axe violations.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  axeViolations,
  findHearingPath,
  formatViolations,
  freshEmail,
  launchBrowser,
  newPage,
  newestLink,
  newestSignInLink,
  postCommentApi,
  startServer,
} from "./harness.mjs";

const REPRESENTATIVE = "leiar@fjordvik-pensjonistlag.example";

async function assertNoViolations(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
}

describe("returning to the hearing", () => {
  let server;
  let browser;
  let hearingPath;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    hearingPath = await findHearingPath(server);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test("return to the hearing after confirmation", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url(`${hearingPath}?lang=nn`));
      const sectionId = await page
        .locator("main section[id^='section-']")
        .first()
        .evaluate((s) => s.id.slice("section-".length));
      const email = freshEmail("retur");
      const body = "Det trengst fleire benker langs vegen til helsehuset.";
      await postCommentApi(server, hearingPath.split("/").pop(), {
        sectionId,
        authorName: "Ein innbyggjar",
        body,
        email,
        confirm: false,
      });
      const { link } = await newestLink(server, email, "/inputs/confirm");
      assert.match(link, new RegExp(`&next=${hearingPath}$`), "the link carries the hearing");
      await page.goto(link);
      await assertNoViolations(page, "the confirmation page");
      await page.locator("main form button[type=submit]").focus();
      await page.keyboard.press("Enter");
      await page.waitForURL((url) => url.pathname === hearingPath);
      assert.equal(new URL(page.url()).searchParams.get("done"), "confirmed");
      const thanks = page.locator("main p.notice.success[role=status]");
      assert.match(await thanks.textContent(), /innspelet ditt er lagt fram i høyringa/);
      assert.equal(await page.locator("main", { hasText: body }).count(), 1, "the input is on the page");
      assert.equal(await page.locator("header button", { hasText: "Logg ut" }).count(), 1, "signed in");
      await assertNoViolations(page, "the hearing after confirmation");
    } finally {
      await page.context().close();
    }
  });

  test("signing in from the hearing returns to it", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url(`${hearingPath}?lang=nn`));
      const signIn = page.locator("header a", { hasText: "Logg inn" });
      await signIn.focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/sign-in\?next=/);
      await page.locator("#email").focus();
      await page.keyboard.type(REPRESENTATIVE);
      await page.keyboard.press("Enter");
      await page.waitForURL(/\/sign-in$/);
      const { link } = await newestSignInLink(server, REPRESENTATIVE);
      assert.match(link, /&next=%2Fhearings%2F/);
      await page.goto(link);
      await assertNoViolations(page, "the sign-in confirmation page");
      await page.locator("main form button[type=submit]").focus();
      await page.keyboard.press("Enter");
      await page.waitForURL((url) => url.pathname === hearingPath);
      assert.equal(await page.locator("header button", { hasText: "Logg ut" }).count(), 1, "signed in");
    } finally {
      await page.context().close();
    }
  });
});
