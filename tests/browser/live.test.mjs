// Live updates: a reader with the hearing page open sees new comments appear in
// the right place without reloading, hears them through the polite live region,
// and nothing a commenter writes is ever run as HTML.

import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { after, before, describe, test } from "node:test";
import { promisify } from "node:util";
import {
  axeViolations,
  confirmInput,
  deleteMe,
  findHearingPath,
  formatViolations,
  freshEmail,
  launchBrowser,
  newPage,
  postCommentApi,
  sectionIds,
  serverBinary,
  startServer,
} from "./harness.mjs";

const LIVE_TIMEOUT_MS = 10_000;
const XSS = '<img src=x onerror="window.__xss=1">';

describe("live updates on the hearing page", () => {
  let server;
  let browser;
  let hearingPath;
  let hearingId;
  let pageA;
  let sections;
  const stamp = Date.now().toString(36);

  /** The comment in page A's list for `sid` whose text contains `text`, once it is there. */
  async function waitForLiveComment(sid, text) {
    const item = pageA.locator(`#comments-${sid} > li.comment`, { hasText: text });
    try {
      await item.waitFor({ state: "attached", timeout: LIVE_TIMEOUT_MS });
    } catch (err) {
      const lists = await pageA.locator("ol.comments").evaluateAll((ls) =>
        ls.map((l) => `${l.id}: ${l.textContent.replace(/\s+/g, " ").trim()}`),
      );
      throw new Error(
        `comment "${text}" did not appear in #comments-${sid} within ${LIVE_TIMEOUT_MS} ms ` +
          `(data-live=${await pageA.getAttribute("main", "data-live")})\n${lists.join("\n")}\n${err.message}`,
      );
    }
    return item;
  }

  async function announcement() {
    return (await pageA.locator("#live-announcer").textContent()) ?? "";
  }

  async function assertNotReloaded() {
    assert.equal(
      await pageA.evaluate(() => window.__samradTestMarker),
      stamp,
      "page A was not reloaded (the marker set in the page is still there)",
    );
  }

  /** Checks what every live insert must satisfy; returns the item. */
  async function assertLiveInsert(sid, { author, body }) {
    const item = await waitForLiveComment(sid, body);
    await assertNotReloaded();
    assert.equal(await item.count(), 1, "inserted exactly once");
    assert.match(await item.getAttribute("class"), /\bcomment-new\b/, "marked as new");
    assert.match(await item.getAttribute("id"), /^comment-[0-9a-f-]{36}$/, "id is comment-<uuid>");
    assert.equal(await item.locator(".comment-body").textContent(), body);
    assert.ok(
      (await item.locator(".author").textContent()).includes(author),
      `the author is shown: ${await item.locator(".author").textContent()}`,
    );
    // Only in its own section.
    const elsewhere = await pageA
      .locator(`ol.comments:not(#comments-${sid}) > li.comment`, { hasText: body })
      .count();
    assert.equal(elsewhere, 0, "the comment appears in no other section");
    assert.equal(await pageA.locator(`#no-comments-${sid}`).count(), 0, "'no comments yet' is gone");
    return item;
  }

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    hearingPath = await findHearingPath(server);
    hearingId = hearingPath.split("/").pop();

    pageA = await newPage(browser);
    await pageA.goto(server.url(hearingPath));
    await pageA.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });
    await pageA.evaluate((s) => {
      window.__samradTestMarker = s;
    }, stamp);
    sections = await sectionIds(pageA);
    if (sections.length < 4) throw new Error(`the demo hearing has too few sections: ${sections}`);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test("page A is live: the live bar is shown and the announcer is a polite status region", async () => {
    assert.equal(await pageA.getAttribute("main", "data-hearing-id"), hearingId);
    assert.ok(await pageA.locator(".live-bar").isVisible(), "the live bar is shown once connected");
    assert.ok((await pageA.locator("#live-status").textContent()).trim().length > 0, "status text is set");
    const announcer = pageA.locator("#live-announcer");
    assert.equal(await announcer.getAttribute("role"), "status");
    assert.equal(await announcer.getAttribute("aria-live"), "polite");
    assert.equal(await pageA.locator("#live-pause").getAttribute("aria-pressed"), "false");
  });

  test("a comment sent with the HTML form in page B appears in page A once it is confirmed", async () => {
    const sid = sections[1];
    const author = `Form-Frida ${stamp}`;
    const body = `Sendt frå skjemaet i side B ${stamp}`;
    const email = freshEmail("frida");

    const pageB = await newPage(browser);
    try {
      await pageB.goto(server.url(hearingPath));
      const form = pageB.locator(`#section-${sid} form.comment-form`);
      await pageB.locator(`#compose-${sid} > summary`).click();
      await form.locator('[name="author_name"]').fill(author);
      await form.locator('[name="author_email"]').fill(email);
      await form.locator('[name="body"]').fill(body);
      await Promise.all([
        pageB.waitForNavigation({ url: (url) => url.searchParams.get("pending") === sid, timeout: 10_000 }),
        form.locator('button[type="submit"]').click(),
      ]);
      assert.equal(
        await pageB.locator(`#comments-${sid} > li.comment`, { hasText: body }).count(),
        0,
        "not shown before its author confirmed it",
      );
    } finally {
      await pageB.context().close();
    }
    assert.equal(
      await pageA.locator(`#comments-${sid} > li.comment`, { hasText: body }).count(),
      0,
      "page A does not get it before it is confirmed",
    );
    await confirmInput(server, email);

    await assertLiveInsert(sid, { author, body });
    const said = await announcement();
    assert.ok(said.includes(author), `#live-announcer mentions the author: "${said}"`);
    const label = await pageA.getAttribute(`#comments-${sid}`, "data-section-label");
    assert.ok(said.includes(label), `#live-announcer names the section "${label}": "${said}"`);
  });

  test("a comment posted over the JSON API appears in page A without reload", async () => {
    const sid = sections[2];
    const author = `API-Arne ${stamp}`;
    const body = `Sendt gjennom API-et ${stamp}`;
    const created = await postCommentApi(server, hearingId, { sectionId: sid, authorName: author, body });
    assert.equal(created.section_id, sid);

    const item = await assertLiveInsert(sid, { author, body });
    assert.equal(await item.getAttribute("id"), `comment-${created.id}`);
    // It can be reported at once, like a comment the server rendered.
    const report = item.locator("details.comment-report form");
    assert.equal(await report.getAttribute("action"), `/comments/${created.id}/report`);
    assert.equal(await item.locator(`#report-${created.id}`).count(), 1, "the label's field has the comment's id");
    const said = await announcement();
    assert.ok(said.includes(author), `#live-announcer mentions the author: "${said}"`);
  });

  test("a reply sent by keyboard in page B appears under its comment in page A", async () => {
    const sid = sections[2];
    const author = `Svar-Sigrid ${stamp}`;
    const body = `Eit svar frå side B ${stamp}`;
    const email = freshEmail("sigrid");
    const pageB = await newPage(browser);
    try {
      await pageB.goto(server.url(hearingPath));
      const parent = pageB.locator(`#comments-${sid} > li.comment`).first();
      const parentId = (await parent.getAttribute("id")).slice("comment-".length);
      await parent.locator("details.reply-box > summary").focus();
      await pageB.keyboard.press("Enter");
      await parent.locator('[name="author_name"]').focus();
      await pageB.keyboard.type(author);
      await pageB.keyboard.press("Tab");
      await pageB.keyboard.type(email);
      await pageB.keyboard.press("Tab");
      await pageB.keyboard.type(body);
      await parent.locator('details.reply-box button[type="submit"]').focus();
      await Promise.all([pageB.waitForNavigation({ timeout: 10_000 }), pageB.keyboard.press("Enter")]);
      await confirmInput(server, email);
      const reply = pageA.locator(`#replies-${parentId} > li.comment`, { hasText: body });
      await reply.waitFor({ timeout: LIVE_TIMEOUT_MS });
      assert.equal(await reply.count(), 1, "the reply arrives once, under its comment");
    } finally {
      await pageB.context().close();
    }
  });

  test("a comment that arrives live shows its time and a reply form, as the server renders it", async () => {
    const sid = sections[1];
    const author = `Tid-Tora ${stamp}`;
    const body = `Kom live med tid og svarskjema ${stamp}`;
    const created = await postCommentApi(server, hearingId, { sectionId: sid, authorName: author, body });
    const item = await assertLiveInsert(sid, { author, body });

    /** What a reader sees of a comment besides its text: time, reply form, replies list. */
    const shape = (li) =>
      li.evaluate((el) => {
        const time = el.querySelector(":scope > .comment-meta time");
        const reply = el.querySelector(":scope > details.reply-box");
        const form = reply?.querySelector("form");
        return {
          meta: el.querySelector(":scope > .comment-meta")?.textContent.replace(/\s+/g, " ").trim(),
          time: time?.textContent,
          at: time ? new Date(time.dateTime).toISOString().slice(0, 16) : null,
          summary: reply?.querySelector("summary")?.textContent.trim(),
          action: form?.getAttribute("action"),
          fields: form
            ? [...form.elements].map((f) => `${f.tagName.toLowerCase()}:${f.name}:${f.type}:${f.required}:${f.labels?.[0]?.textContent.trim() ?? ""}`)
            : [],
          hidden: form ? Object.fromEntries([...form.querySelectorAll("input[type=hidden]")].map((f) => [f.name, f.value])) : {},
          repliesLabel: el.querySelector(":scope > ol.replies")?.getAttribute("aria-label"),
        };
      });
    const live = await shape(item);
    assert.match(live.time ?? "", /^\d{1,2}\. [a-zæøå]+ \d{4} kl\. \d{2}:\d{2}$/, `the time is shown: ${live.time}`);
    assert.equal(live.at, new Date(created.created_at).toISOString().slice(0, 16), "it is the comment's time");
    assert.equal(live.summary, `Svar ${author}`);
    assert.equal(live.action, `/hearings/${hearingId}/comments#comment-${created.id}`);
    assert.equal(live.hidden.parent_id, created.id);
    assert.equal(live.hidden.section_id, sid);
    assert.match(live.hidden.idempotency_key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.ok(live.repliesLabel?.includes(author), `the replies are labelled: ${live.repliesLabel}`);

    // As the server renders the same comment.
    const pageC = await newPage(browser);
    try {
      await pageC.goto(server.url(hearingPath));
      const rendered = await shape(pageC.locator(`#comment-${created.id}`));
      delete rendered.hidden.idempotency_key;
      const { idempotency_key: _, ...liveHidden } = live.hidden;
      assert.deepEqual({ ...live, hidden: liveHidden }, rendered, "the live comment matches the rendered one");
    } finally {
      await pageC.context().close();
    }

    // The live reply form works: a reply sent with it is stored under the comment.
    const replier = `Svar-på-live ${stamp}`;
    const replyText = `Svar gjennom skjemaet som kom live ${stamp}`;
    const email = freshEmail("live-svar");
    const pageD = await newPage(browser);
    try {
      await pageD.goto(server.url(hearingPath));
      await pageD.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });
      // Posted after page D was loaded, so its reply form is the live one.
      const second = await postCommentApi(server, hearingId, { sectionId: sid, authorName: author, body: `${body} (2)` });
      const target = pageD.locator(`#comment-${second.id}.comment-new`);
      await target.waitFor({ timeout: LIVE_TIMEOUT_MS });
      await target.locator("details.reply-box > summary").focus();
      await pageD.keyboard.press("Enter");
      await pageD.keyboard.press("Tab");
      await pageD.keyboard.type(replier);
      await pageD.keyboard.press("Tab");
      await pageD.keyboard.type(email);
      await pageD.keyboard.press("Tab");
      await pageD.keyboard.type(replyText);
      await pageD.keyboard.press("Tab");
      await Promise.all([
        pageD.waitForNavigation({ url: (url) => url.searchParams.get("pending") === sid, timeout: 10_000 }),
        pageD.keyboard.press("Enter"),
      ]);
      await confirmInput(server, email);
      const reply = pageA.locator(`#replies-${second.id} > li.comment`, { hasText: replyText });
      await reply.waitFor({ timeout: LIVE_TIMEOUT_MS });
      assert.equal(await reply.count(), 1, "the reply arrives under its comment");
      assert.ok((await reply.locator(".author").textContent()).includes(replier));
    } finally {
      await pageD.context().close();
    }
  });

  test("the pause button stops announcements but not the updates", async () => {
    const pause = pageA.locator("#live-pause");
    const before = await announcement();
    await pause.focus();
    await pageA.keyboard.press("Enter");
    assert.equal(await pause.getAttribute("aria-pressed"), "true", "pause is pressed");

    const sid = sections[3];
    const author = `Pausa-Per ${stamp}`;
    const body = `Kom medan varsla var på pause ${stamp}`;
    await postCommentApi(server, hearingId, { sectionId: sid, authorName: author, body });
    await assertLiveInsert(sid, { author, body });
    const said = await announcement();
    assert.ok(!said.includes(author), `paused: #live-announcer must not mention ${author}: "${said}"`);
    assert.equal(said, before, "paused: the announcement is unchanged");

    await pageA.keyboard.press("Space");
    assert.equal(await pause.getAttribute("aria-pressed"), "false", "pause is released");
  });

  test("a comment that looks like HTML is inserted live as literal text", async () => {
    const sid = sections[0];
    const created = await postCommentApi(server, hearingId, { sectionId: sid, authorName: XSS, body: XSS });
    assert.equal(created.body, XSS, "the API stores the text as it was written");

    const item = await assertLiveInsert(sid, { author: XSS, body: XSS });
    assert.equal(await item.locator("img").count(), 0, "no <img> element inside the comment");
    assert.equal(await pageA.locator('img[src="x"]').count(), 0, "no injected <img> anywhere in page A");
    assert.equal(await pageA.locator("#live-announcer img").count(), 0, "no <img> in the announcer");
    assert.ok((await announcement()).includes(XSS), "the announcer reads the author's name literally");
    await pageA.waitForTimeout(300); // give an injected onerror the time to run
    assert.equal(await pageA.evaluate(() => window.__xss), undefined, "window.__xss stays undefined");
  });

  test("when an author is deleted, page A shows their comment without the name, without reload", async () => {
    const sid = sections[3];
    const author = `Slett-Solveig ${stamp}`;
    const body = `Teksten står att ${stamp}`;
    const email = freshEmail("solveig");
    await postCommentApi(server, hearingId, { sectionId: sid, authorName: author, body, email, confirm: false });
    const { cookie } = await confirmInput(server, email);
    assert.ok(cookie, "confirming signed the author in");
    const item = await assertLiveInsert(sid, { author, body });
    await deleteMe(server, cookie);
    const authorText = item.locator(".author");
    await pageA.waitForFunction(
      (id) => document.querySelector(`#${id} .author`)?.textContent.includes("Namn fjerna"),
      await item.getAttribute("id"),
      { timeout: LIVE_TIMEOUT_MS },
    );
    assert.ok(!(await authorText.textContent()).includes(author), "the name is gone");
    assert.equal(await item.locator(".comment-body").textContent(), body, "the text stays");
    await assertNotReloaded();
  });

  test("page A has no axe violations after the live inserts", async () => {
    assert.ok((await pageA.locator("li.comment-new").count()) >= 4, "the live inserts are on the page");
    const violations = await axeViolations(pageA);
    assert.equal(
      violations.length,
      0,
      `axe found ${violations.length} violation(s) after live inserts:\n${formatViolations(violations)}`,
    );
    const errors = pageA.problems.filter((p) => p.startsWith("pageerror"));
    assert.deepEqual(errors, [], "no uncaught script errors in page A");
  });

  test("after a reload the server renders the same comments, and HTML as literal text", async () => {
    await pageA.reload();
    assert.equal(await pageA.evaluate(() => window.__samradTestMarker), undefined, "page A was reloaded");
    await pageA.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });

    const xss = pageA.locator(`#comments-${sections[0]} > li.comment`, { hasText: XSS });
    assert.equal(await xss.count(), 1, "the HTML-looking comment is rendered once, as text");
    assert.match(await xss.getAttribute("class"), /^comment$/, "server-rendered, not a live insert");
    assert.equal(await xss.locator(".comment-body").textContent(), XSS);
    assert.ok((await xss.locator(".author").textContent()).includes(XSS));
    assert.equal(await pageA.locator('img[src="x"]').count(), 0, "no injected <img> after reload");
    assert.equal(await pageA.locator("main img").count(), 0, "the demo hearing has no images at all");
    for (const [i, text] of [
      [1, `Sendt frå skjemaet i side B ${stamp}`],
      [2, `Sendt gjennom API-et ${stamp}`],
      [3, `Kom medan varsla var på pause ${stamp}`],
    ]) {
      const n = await pageA.locator(`#comments-${sections[i]} > li.comment`, { hasText: text }).count();
      assert.equal(n, 1, `"${text}" is rendered once in its section after reload`);
    }
    await pageA.waitForTimeout(300);
    assert.equal(await pageA.evaluate(() => window.__xss), undefined, "window.__xss stays undefined");

    // The raw HTML escapes it too (not only the DOM after parsing).
    const html = await (await fetch(server.url(hearingPath))).text();
    assert.ok(!html.includes(XSS), "the raw page never contains the comment's markup unescaped");
    assert.ok(html.includes("&lt;img src=x onerror="), "the raw page contains the escaped text");
  });

  test("the server shuts down gracefully on SIGTERM with a live page connected", async () => {
    assert.equal(await pageA.getAttribute("main", "data-live"), "connected");
    const { code, signal, ms } = await server.stop();
    assert.equal(signal, null, `server was killed by ${signal}, not shut down\n${server.logs()}`);
    assert.equal(code, 0, `server exit code after SIGTERM (${ms} ms)\n${server.logs()}`);
    // The page notices and says it is reconnecting.
    await pageA.waitForSelector('main[data-live="reconnecting"]', { timeout: 5_000 });
  });
});

// A section with more comments than a page shows: the newest are shown with a count
// and a link that shows more (a plain link, so it works without the script and by
// keyboard), and the live view still adds new comments and keeps the count.
describe("a section with many comments is paged", () => {
  const PAGE = 50;
  const EXTRA = 3;
  let server;
  let browser;
  let hearingPath;
  let hearingId;
  let sid;
  let token;

  async function post(body) {
    const response = await fetch(server.url(`/api/v1/hearings/${hearingId}/comments`), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
      body: JSON.stringify({ section_id: sid, author_name: "Sidevis", body }),
    });
    if (response.status !== 201) throw new Error(`POST answered ${response.status}: ${await response.text()}`);
    return response.json();
  }

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    hearingPath = await findHearingPath(server);
    hearingId = hearingPath.split("/").pop();
    const { stdout } = await promisify(execFile)(serverBinary(), [
      "token", "create", "--municipality", "fjordvik", "--data-dir", server.dataDir,
    ], { cwd: server.dataDir });
    token = stdout.trim().split(/\s+/).pop();
    const page = await newPage(browser);
    await page.goto(server.url(hearingPath));
    sid = (await sectionIds(page))[1];
    await page.context().close();
    // One after another, so their order is the order they were written in.
    for (let i = 1; i <= PAGE + EXTRA; i++) await post(`Innspel nummer ${i}.`);
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  test("the newest comments are shown with the count and a link to the earlier ones", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url(hearingPath));
      const items = page.locator(`#comments-${sid} > li.comment`);
      // The demo's own comments on the section come first, so they are hidden too.
      assert.equal(await items.count(), PAGE);
      assert.match(await items.last().locator(".comment-body").textContent(), new RegExp(`nummer ${PAGE + EXTRA}\\.`));
      assert.equal(await items.filter({ hasText: "Innspel nummer 1." }).count(), 0, "the oldest is not shown");
      const count = (await page.locator(`#comment-count-${sid}`).textContent()).trim();
      const total = Number(await page.getAttribute(`#comment-count-${sid}`, "data-total"));
      assert.ok(total >= PAGE + EXTRA, `data-total ${total}`);
      assert.equal(count, `Viser dei ${PAGE} nyaste av ${total} kommentarar`);
      const more = page.locator(`#more-${sid}`);
      assert.equal(await more.evaluate((a) => a.tagName), "A", "a real link");
      assert.match((await more.textContent()).trim(), /^Vis \d+ eldre kommentar(ar)?$/);
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, formatViolations(violations));
    } finally {
      await page.context().close();
    }
  });

  test("a new comment arrives live at the end and the count follows", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url(hearingPath));
      await page.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });
      const before = Number(await page.getAttribute(`#comment-count-${sid}`, "data-total"));
      const created = await post("Kom medan sida var open.");
      const item = page.locator(`#comments-${sid} > li.comment:last-child`);
      await page.waitForSelector(`#comment-${created.id}`, { timeout: LIVE_TIMEOUT_MS });
      assert.equal(await item.getAttribute("id"), `comment-${created.id}`, "added after the newest");
      await page.waitForFunction(
        ([id, n]) => document.getElementById(id)?.dataset.total === String(n),
        [`comment-count-${sid}`, before + 1],
        { timeout: LIVE_TIMEOUT_MS },
      );
      assert.equal(
        (await page.locator(`#comment-count-${sid}`).textContent()).trim(),
        `Viser dei ${PAGE + 1} nyaste av ${before + 1} kommentarar`,
      );
      assert.ok((await page.locator("#live-announcer").textContent()).includes("Sidevis"), "announced");
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, formatViolations(violations));
    } finally {
      await page.context().close();
    }
  });

  test("by keyboard and without the script, the link shows the earlier comments", async () => {
    for (const javaScriptEnabled of [true, false]) {
      const page = await newPage(browser, { javaScriptEnabled });
      try {
        await page.goto(server.url(hearingPath));
        const total = Number(await page.getAttribute(`#comment-count-${sid}`, "data-total"));
        let shown = PAGE;
        while (await page.locator(`#more-${sid}`).count()) {
          await page.locator(`#more-${sid}`).focus();
          await Promise.all([page.waitForNavigation({ timeout: 10_000 }), page.keyboard.press("Enter")]);
          await page.waitForSelector(`#comments-${sid}`);
          shown = Math.min(shown + PAGE, total);
          assert.equal(await page.locator(`#comments-${sid} > li.comment`).count(), shown, `script ${javaScriptEnabled}`);
        }
        assert.equal(shown, total);
        assert.equal(
          await page.locator(`#comments-${sid} > li.comment`, { hasText: "Innspel nummer 1." }).count(),
          1,
          "the oldest is shown now",
        );
        assert.equal(
          (await page.locator(`#comment-count-${sid}`).textContent()).trim(),
          `${total} kommentarar`,
        );
        if (javaScriptEnabled) {
          const violations = await axeViolations(page);
          assert.equal(violations.length, 0, formatViolations(violations));
        }
      } finally {
        await page.context().close();
      }
    }
  });
});
