// Reading together: two readers of the same section see each other's comments and
// presence live, a quoted passage is marked in the section text and linked to its
// comment (by keyboard too), presence is shown but never announced, and the page
// with presence and highlights passes axe in every language.

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
  postCommentApi,
  sectionIds,
  signIn,
  startServer,
} from "./harness.mjs";

const LIVE_TIMEOUT_MS = 10_000;

/** What "N reading now" says, per language, for one other reader. */
const ONE_READING = { nn: "1 les dette no", nb: "1 leser dette nå", en: "1 reading now" };

describe("presence and quoted passages on the hearing page", () => {
  let server;
  let browser;
  let hearingPath;
  let hearingId;
  let sections;
  const stamp = Date.now().toString(36);

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

  /** A reader with the hearing page open and live. */
  async function reader(lang = "nn", page = null) {
    const p = page ?? (await newPage(browser));
    await p.goto(server.url(`${hearingPath}?lang=${lang}`));
    await p.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });
    sections ??= await sectionIds(p);
    return p;
  }

  /** Puts the reader in section `sid` by moving the keyboard focus into it. */
  async function readSection(page, sid) {
    // The button that opens the comment form is there for everyone.
    await page.locator(`#compose-${sid} > summary`).focus();
  }

  async function presenceText(page, sid) {
    const element = page.locator(`#presence-${sid}`);
    await element.waitFor({ state: "visible", timeout: LIVE_TIMEOUT_MS });
    return (await element.textContent()).trim();
  }

  /** The first words of a section's text, to quote. */
  async function quotable(page, sid, words = 4) {
    // The text as written: without the links that marked passages add.
    const text = await page.locator(`#text-${sid}`).evaluate((body) => {
      const copy = body.cloneNode(true);
      for (const ref of copy.querySelectorAll(".passage-ref")) ref.remove();
      return copy.textContent;
    });
    return text.trim().split(/\s+/).slice(0, words).join(" ");
  }

  test("two readers of one section see each other, and nothing is announced", async () => {
    const a = await reader();
    const b = await reader();
    try {
      const sid = sections[1];
      const before = await a.locator("#live-announcer").textContent();
      await readSection(a, sid);
      await readSection(b, sid);
      assert.equal(await presenceText(a, sid), ONE_READING.nn, "A sees B");
      assert.equal(await presenceText(b, sid), ONE_READING.nn, "B sees A");
      // Only that section shows readers.
      assert.equal(await a.locator("p.presence:not([hidden])").count(), 1);
      // Presence is not a live region and does not touch the announcer.
      assert.equal(await a.locator(`#presence-${sid}`).getAttribute("aria-live"), null);
      assert.equal(await a.locator(`#presence-${sid}`).getAttribute("role"), null);
      assert.equal(await a.locator("#live-announcer").textContent(), before, "nothing announced");

      // B moves on: A's section shows nobody else any more; B leaves: same.
      await readSection(b, sections[2]);
      await a.locator(`#presence-${sections[2]}`).waitFor({ state: "visible", timeout: LIVE_TIMEOUT_MS });
      await a.locator(`#presence-${sid}`).waitFor({ state: "hidden", timeout: LIVE_TIMEOUT_MS });
      await b.context().close();
      await a.locator(`#presence-${sections[2]}`).waitFor({ state: "hidden", timeout: LIVE_TIMEOUT_MS });
    } finally {
      await a.context().close();
      await b.context().close().catch(() => {});
    }
  });

  test("a signed-in reader is shown by name; the public only counted", async () => {
    const a = await reader();
    const planner = await newPage(browser);
    try {
      await signIn(planner, server, DEMO_PLANNER);
      await reader("nn", planner);
      const name = await planner.getAttribute("main", "data-presence-self");
      assert.ok(name, "the signed-in page knows the name it is shown with");
      const sid = sections[0];
      await readSection(a, sid);
      await readSection(planner, sid);
      await a.waitForFunction(
        ({ sid, name }) => document.getElementById(`presence-${sid}`)?.textContent.includes(name),
        { sid, name },
        { timeout: LIVE_TIMEOUT_MS },
      );
      assert.equal(await presenceText(a, sid), `${ONE_READING.nn}: ${name}`);
      // The planner sees one other reader, unnamed (the public are not named), and not
      // their own name.
      assert.equal(await presenceText(planner, sid), ONE_READING.nn);
    } finally {
      await a.context().close();
      await planner.context().close();
    }
  });

  test("a quoted comment from B appears in A live, with its passage marked and linked", async () => {
    const a = await reader();
    const b = await reader();
    try {
      const sid = sections[3];
      await readSection(a, sid);
      await readSection(b, sid);
      await presenceText(a, sid);
      const quote = await quotable(b, sid);
      const author = `Sitat-Siri ${stamp}`;
      const body = `Om denne teksten ${stamp}`;
      // B's comment is confirmed through the emailed link, as the public's are.
      await postCommentApi(server, hearingId, { sectionId: sid, authorName: author, body, quote });

      const item = a.locator(`#comments-${sid} > li.comment`, { hasText: body });
      await item.waitFor({ timeout: LIVE_TIMEOUT_MS });
      const id = (await item.getAttribute("id")).slice("comment-".length);
      const marks = a.locator(`#text-${sid} mark.passage[data-comment="${id}"]`);
      assert.ok((await marks.count()) >= 1, "the passage is marked in A's section text");
      const marked = (await marks.allTextContents()).join(" ").replace(/\s+/g, " ").trim();
      assert.equal(marked, quote, "exactly the quoted words are marked");
      // The text itself is unchanged by the marking.
      const ref = a.locator(`#text-${sid} a.passage-ref[href="#comment-${id}"]`);
      assert.equal(await ref.count(), 1, "one link from the passage to the comment");
      assert.ok((await ref.textContent()).includes(author), "the link names the comment's author");

      // By keyboard: the link to the comment, and from the comment back to the passage.
      await ref.focus();
      await a.keyboard.press("Enter");
      await a.waitForFunction((id) => document.activeElement?.id === `comment-${id}`, id, { timeout: 5_000 });
      const back = item.locator(".passage-link a");
      assert.ok(await back.isVisible(), "the comment links back to the passage");
      await back.focus();
      await a.keyboard.press("Enter");
      await a.waitForFunction((id) => document.activeElement?.id === `passage-${id}`, id, { timeout: 5_000 });

      // B, after a reload, gets the comment from the server: marked there as well.
      await b.reload();
      await b.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });
      const rendered = b.locator(`#text-${sid} mark.passage[data-comment="${id}"]`);
      assert.ok((await rendered.count()) >= 1, "the server-rendered comment is marked too");
      assert.deepEqual(a.problems.filter((p) => p.startsWith("pageerror")), []);
    } finally {
      await a.context().close();
      await b.context().close();
    }
  });

  for (const lang of LANGS) {
    test(`axe: no violations with presence and marked passages shown, in ${lang}`, async () => {
      const a = await reader(lang);
      const b = await reader(lang);
      try {
        const sid = sections[4] ?? sections[0];
        await readSection(a, sid);
        await readSection(b, sid);
        assert.equal(await presenceText(a, sid), ONE_READING[lang]);
        const quote = await quotable(a, sid, 3);
        const { id } = await postCommentApi(server, hearingId, {
          sectionId: sid,
          authorName: `Axe ${lang}`,
          body: `Sjekk ${stamp}`,
          quote,
        });
        await a.locator(`mark.passage[data-comment="${id}"]`).first().waitFor({ timeout: LIVE_TIMEOUT_MS });
        assert.ok(await a.locator("mark.passage").count() >= 1);
        const violations = await axeViolations(a);
        assert.equal(
          violations.length,
          0,
          `axe found ${violations.length} violation(s) in ${lang}:\n${formatViolations(violations)}`,
        );
        // Reloaded: the server-rendered page with its marked passages passes too.
        await a.reload();
        await a.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });
        await readSection(a, sid);
        await presenceText(a, sid);
        assert.ok(await a.locator(`mark.passage[data-comment="${id}"]`).count() >= 1);
        const again = await axeViolations(a);
        assert.equal(again.length, 0, `after reload in ${lang}:\n${formatViolations(again)}`);
      } finally {
        await a.context().close();
        await b.context().close();
      }
    });
  }
});
