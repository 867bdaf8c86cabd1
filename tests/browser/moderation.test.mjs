// A comment's life after it is posted, in a real browser: support ("eg er einig"),
// the author's edit with its history, deletion, a report, and a planner hiding it in
// the workbench. Other readers see each change live; every state passes axe.

import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { after, before, describe, test } from "node:test";
import {
  DEMO_PLANNER,
  LANGS,
  axeViolations,
  findHearingPath,
  formatViolations,
  launchBrowser,
  newPage,
  newestSignInLink,
  sectionIds,
  serverBinary,
  signIn,
  startServer,
} from "./harness.mjs";

const LIVE_TIMEOUT_MS = 10_000;

/**
 * Makes `email` a person Samråd knows (sign-in links go only to people it knows): a
 * staff member without a plan, who comments like anyone else and moderates nothing.
 */
function knownPerson(server, email, name) {
  execFileSync(serverBinary(), [
    "staff", "add", "--municipality", "fjordvik", "--email", email, "--name", name,
    "--data-dir", server.dataDir,
  ], { cwd: server.dataDir, stdio: "pipe" });
}

/** Signs a member of the public in, by keyboard, through the emailed link. */
async function signInPublic(page, server, email) {
  await page.goto(server.url("/sign-in?lang=nn"));
  await page.locator("#email").focus();
  await page.keyboard.type(email);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/sign-in$/);
  const { link } = await newestSignInLink(server, email);
  await page.goto(link);
  await page.locator("main form button[type=submit]").focus();
  await page.keyboard.press("Enter");
  await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"));
}

async function assertNoViolations(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
}

describe("support, edit, delete, report and moderation of comments", () => {
  let server;
  let browser;
  let hearingPath;
  let hearingId;
  let sectionId;

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

  test("an author edits and deletes, a reader supports and reports, a planner hides; all live and accessible", async () => {
    const author = await newPage(browser);
    const reader = await newPage(browser);
    const watcher = await newPage(browser);
    const planner = await newPage(browser);
    try {
      knownPerson(server, "forfattar@example.org", "Forfattar");
      knownPerson(server, "lesar@example.org", "Lesar");
      await signInPublic(author, server, "forfattar@example.org");
      await signInPublic(reader, server, "lesar@example.org");
      await author.goto(server.url(`${hearingPath}?lang=nn`));
      [sectionId] = await sectionIds(author);

      // The author posts two comments from the page (same origin, with the session).
      const post = (body) =>
        author.evaluate(
          async ({ hearingId, sectionId, body }) => {
            const r = await fetch(`/api/v1/hearings/${hearingId}/comments`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: JSON.stringify({ section_id: sectionId, author_name: "Forfattar", body }),
            });
            return (await r.json()).id;
          },
          { hearingId, sectionId, body },
        );
      const keep = await post("Vi treng fleire benkar langs gangvegane.");
      const regret = await post("Denne kommentaren angrar eg på.");

      await watcher.goto(server.url(`${hearingPath}?lang=nn`));
      await watcher.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });

      // The reader supports the comment with the keyboard; the watcher sees the count live.
      await reader.goto(server.url(`${hearingPath}?lang=nn`));
      const supportButton = reader.locator(`#comment-${keep} form[action$="/support"] button`);
      await supportButton.focus();
      await reader.keyboard.press("Enter");
      await reader.waitForURL(/done=supported/);
      assert.equal(await reader.locator(`#comment-${keep} form[action$="/support"] button`).getAttribute("aria-pressed"), "true");
      await watcher.locator(`#supporters-${keep}`).filter({ hasText: "1 person er einig" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
      assert.match(await watcher.locator("#live-announcer").textContent(), /1/);
      await assertNoViolations(reader, "hearing page after supporting");

      // The author edits within the window; the history is shown; the watcher sees the new text.
      await author.goto(server.url(`${hearingPath}?lang=nn`));
      await assertNoViolations(author, "hearing page with the author's controls");
      const item = author.locator(`#comment-${keep}`);
      await item.locator("details.comment-edit > summary").focus();
      await author.keyboard.press("Enter");
      const field = item.locator("details.comment-edit textarea");
      await field.focus();
      await field.fill("Vi treng fleire benkar og betre lys langs gangvegane.");
      await item.locator("details.comment-edit button[type=submit]").focus();
      await author.keyboard.press("Enter");
      await author.waitForURL(/done=edited/);
      const edited = author.locator(`#comment-${keep}`);
      assert.match(await edited.locator(".comment-edited").textContent(), /endra/);
      assert.match(await edited.locator("details.comment-history").textContent(), /fleire benkar langs/);
      await watcher
        .locator(`#comment-${keep} > .comment-body`)
        .filter({ hasText: "betre lys" })
        .waitFor({ timeout: LIVE_TIMEOUT_MS });
      for (const lang of LANGS) {
        await author.goto(server.url(`${hearingPath}?lang=${lang}`));
        await author.locator(`#comment-${keep} details.comment-history > summary`).click();
        await assertNoViolations(author, `edited comment with its history open, ${lang}`);
      }

      // The author deletes the other comment, after saying they mean it: the text goes,
      // live too, and the focus is on the message that says so.
      await author.goto(server.url(`${hearingPath}?lang=nn`));
      const deletion = author.locator(`#comment-${regret} details.comment-delete`);
      assert.equal(await deletion.locator("button[type=submit]").isVisible(), false, "the button that deletes is folded away");
      await deletion.locator("summary").focus();
      await author.keyboard.press("Enter");
      assert.match(await deletion.textContent(), /Vil du slette kommentaren\?/, "it asks first");
      await assertNoViolations(author, "hearing page asking before deleting");
      await author.keyboard.press("Tab");
      assert.equal(
        await author.evaluate(() => document.activeElement?.textContent.trim()),
        "Ja, slett kommentaren",
        "Tab reaches the button that deletes",
      );
      await Promise.all([author.waitForURL(/done=deleted/), author.keyboard.press("Enter")]);
      const gone = author.locator(`#comment-${regret}`);
      assert.match(await gone.locator(":scope > .comment-body").textContent(), /^Kommentaren er sletta\.$/);
      assert.doesNotMatch(await gone.textContent(), /angrar/);
      assert.equal(await gone.locator(".author").count(), 0, "no name: it went with the text");
      assert.equal(await gone.locator("details.reply-box").count(), 0, "a deleted comment cannot be answered");
      assert.equal(await gone.locator("time").count(), 1, "its time stays");
      assert.equal(
        await author.evaluate(() => document.activeElement?.closest(".notice")?.textContent.trim()),
        "Kommentaren er sletta.",
        "the focus is on the message that says what happened",
      );
      await watcher
        .locator(`#comment-${regret} > .comment-body`)
        .filter({ hasText: /^Kommentaren er sletta\.$/ })
        .waitFor({ timeout: LIVE_TIMEOUT_MS });
      const watched = watcher.locator(`#comment-${regret}`);
      assert.equal(await watched.locator(".author").count(), 0, "live too: no name");
      assert.equal(await watched.locator("details.reply-box").count(), 0, "live too: no reply form");
      await assertNoViolations(author, "hearing page with a deleted comment");

      // The reader reports the first comment with a reason.
      await reader.goto(server.url(`${hearingPath}?lang=nn`));
      const report = reader.locator(`#comment-${keep} details.comment-report`);
      await report.locator("summary").focus();
      await reader.keyboard.press("Enter");
      await report.locator("textarea").fill("<b>Usakleg</b>");
      await report.locator("button[type=submit]").focus();
      await reader.keyboard.press("Enter");
      await reader.waitForURL(/done=reported/);
      await assertNoViolations(reader, "hearing page after reporting");

      // The planner sees it in the workbench and hides it with a reason.
      await signIn(planner, server, DEMO_PLANNER);
      await planner.goto(server.url(`/planner/hearings/${hearingId}?lang=nn`));
      const queued = planner.locator(`#moderate-${keep}`);
      assert.match(await queued.textContent(), /<b>Usakleg<\/b>/, "the reason is shown as text");
      await assertNoViolations(planner, "workbench with a reported comment");
      await queued.locator("textarea").fill("Usakleg om ein tilsett.");
      await queued.locator("button[type=submit]").focus();
      await planner.keyboard.press("Enter");
      await planner.waitForURL(/done=hidden/);
      assert.equal(await planner.locator(`#moderate-${keep}`).getAttribute("data-status"), "hidden");
      await assertNoViolations(planner, "workbench after hiding");
      await watcher
        .locator(`#comment-${keep} > .comment-body`)
        .filter({ hasText: "skjult av kommunen" })
        .waitFor({ timeout: LIVE_TIMEOUT_MS });
      await assertNoViolations(watcher, "hearing page after live changes");
    } finally {
      for (const p of [author, reader, watcher, planner]) await p.context().close();
    }
  });
});
