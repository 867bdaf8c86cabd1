// Every page in every language passes axe-core's WCAG 2.0, 2.1 and 2.2 A and AA rules (tags wcag2a, wcag2aa, wcag21a, wcag21aa, wcag22aa), and
// says which language it is in.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  LANGS,
  axeViolations,
  findHearingPath,
  formatViolations,
  freshEmail,
  launchBrowser,
  newestLink,
  newestUnsubscribePath,
  newPage,
  postCommentApi,
  sectionIds,
  signIn,
  startServer,
} from "./harness.mjs";

// The skip link is the first thing on every page, so its text is a good witness
// that the whole interface (not only the lang attribute) changed language.
const SKIP_TEXT = {
  nn: "Hopp til hovudinnhaldet",
  nb: "Hopp til hovedinnholdet",
  en: "Skip to main content",
};

describe("accessibility: axe-core WCAG 2.2 A/AA on every page and language", () => {
  let server;
  let browser;
  let hearingPath;
  const skipTexts = new Map();

  const pages = [
    { name: "front page", path: () => "/", status: 200 },
    { name: "hearing page", path: () => hearingPath, status: 200, live: true },
    { name: "municipality page", path: () => "/m/fjordvik", status: 200 },
    { name: "accessibility statement", path: () => "/accessibility", status: 200 },
    { name: "404 page", path: () => "/no-such-page", status: 404 },
    { name: "input confirmation page", path: () => "/inputs/confirm?token=example", status: 200 },
    { name: "own page (/me)", path: () => "/me", status: 200, signedIn: true },
    { name: "deletion page (/me/delete)", path: () => "/me/delete", status: 200, signedIn: true },
    { name: "hearing page, signed in", path: () => hearingPath, status: 200, live: true, signedIn: true },
    { name: "deleting a comment (the question)", path: () => `/comments/${ownComment}/delete`, status: 200, signedIn: true },
    // Opening the link changes nothing, so every language sees the question.
    { name: "one-click unsubscribe (the question)", path: () => unsubscribePath, status: 200 },
    { name: "unsubscribe link that is not valid", path: () => "/unsubscribe/not-a-token", status: 404 },
  ];
  // The unsubscribe link in the email telling the participant that a planner hid
  // an input of theirs.
  let unsubscribePath;
  // The participant's own comment.
  let ownComment;
  // A participant who gave input without an account and confirmed it: signed in,
  // with an input on their page.
  let participant;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    hearingPath = await findHearingPath(server);

    const page = await newPage(browser);
    try {
      await page.goto(server.url(hearingPath));
      const [sectionId] = await sectionIds(page);
      const email = freshEmail("aud");
      ({ id: ownComment } = await postCommentApi(server, hearingPath.split("/").pop(), {
        sectionId,
        authorName: "Aud Tilgjengeleg",
        body: "Skriftstorleiken må kunne aukast.",
        email,
        confirm: false,
      }));
      const { link } = await newestLink(server, email, "/inputs/confirm");
      await page.goto(link);
      await Promise.all([
        // Back on the hearing the input was given to.
        page.waitForURL(/\/hearings\/[0-9a-f-]{36}\?done=confirmed$/, { timeout: 10_000 }),
        page.locator("main form button[type=submit]").click(),
      ]);
      participant = await page.context().storageState();
    } finally {
      await page.context().close();
    }

    // A planner hides an input another participant confirmed: that email can be
    // turned off, so it carries an unsubscribe link.
    const hiddenAuthor = freshEmail("skjult");
    const planner = await newPage(browser);
    try {
      await planner.goto(server.url(hearingPath));
      const [sectionId] = await sectionIds(planner);
      const { id: hidden } = await postCommentApi(server, hearingPath.split("/").pop(), {
        sectionId,
        authorName: "Siv Skjult",
        body: "Eit innspel som blir skjult.",
        email: hiddenAuthor,
      });
      await signIn(planner, server);
      const hide = await planner.request.post(server.url(`/planner/comments/${hidden}/hide`), {
        form: { reason: "Prøve på skjuling." },
        maxRedirects: 0,
      });
      assert.ok(hide.status() < 400, `hiding answered ${hide.status()}`);
      unsubscribePath = await newestUnsubscribePath(server, hiddenAuthor);
    } finally {
      await planner.context().close();
    }
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const lang of LANGS) {
    for (const p of pages) {
      test(`${p.name} in ${lang}`, async () => {
        const page = await newPage(browser, p.signedIn ? { storageState: participant } : {});
        try {
          const path = p.path();
          const url = server.url(`${path}${path.includes("?") ? "&" : "?"}lang=${lang}`);
          const response = await page.goto(url, { waitUntil: "load" });
          assert.equal(response.status(), p.status, `GET ${url}`);
          if (p.live) {
            // Check the page as a reader with JavaScript sees it: live bar shown.
            await page.waitForSelector('main[data-live="connected"]', { timeout: 10_000 });
          }

          if (p.signedIn) {
            assert.equal(await page.locator('header a[href="/me"]').count(), 1, "the header links to /me");
          }
          if (p.live) {
            // The plan's text is in nynorsk whatever the interface speaks (WCAG 3.1.2).
            const bodies = await page.locator("main .section-body").evaluateAll((els) => els.map((el) => el.lang));
            assert.ok(bodies.length > 0);
            assert.deepEqual(new Set(bodies), new Set(["nn"]), `the sections' text is marked as nynorsk in ${lang}`);
          }

          const htmlLang = await page.getAttribute("html", "lang");
          assert.equal(htmlLang, lang, `<html lang> of ${url}`);

          const skip = page.locator("a.skip-link");
          assert.equal(await skip.count(), 1, "exactly one skip link");
          const skipText = (await skip.textContent()).trim();
          assert.equal(skipText, SKIP_TEXT[lang], `skip link text in ${lang}`);
          assert.equal(await skip.getAttribute("href"), "#main");
          if (!skipTexts.has(lang)) skipTexts.set(lang, new Set());
          skipTexts.get(lang).add(skipText);

          const violations = await axeViolations(page);
          assert.equal(
            violations.length,
            0,
            `axe found ${violations.length} violation(s) on ${p.name} (${url}):\n${formatViolations(violations)}`,
          );
        } finally {
          await page.context().close();
        }
      });
    }
  }

  for (const lang of LANGS) {
    test(`hearing page with a comment form, the passage panel and the selection button open, in ${lang}`, async () => {
      const page = await newPage(browser);
      try {
        await page.goto(server.url(`${hearingPath}?lang=${lang}`));
        await page.waitForSelector('main[data-live="connected"]', { timeout: 10_000 });
        const [first, second] = await sectionIds(page);
        await page.locator(`#compose-${first} > summary`).click();
        await page.locator(`#section-${first} .passage-start button`).click();
        await page.locator(`#picker-${first} [role="status"]`).filter({ hasText: /\S/ }).waitFor();
        await page.locator(`#text-${second} p`).first().click({ clickCount: 3 });
        await page.locator(`#section-${second} button.selection-comment`).waitFor({ state: "visible" });
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, `axe with the forms open in ${lang}:\n${formatViolations(violations)}`);
      } finally {
        await page.context().close();
      }
    });
  }

  test("without JavaScript a comment form opens, and after sending it the focus is on what happened", async () => {
    const page = await newPage(browser, { javaScriptEnabled: false });
    try {
      await page.goto(server.url(`${hearingPath}?lang=nn`));
      const [, sid] = await sectionIds(page);
      const form = page.locator(`#section-${sid} form.comment-form`);
      assert.equal(await form.isVisible(), false, "folded");
      assert.equal(await page.locator(".passage-start").first().isVisible(), false, "choosing a passage needs the script");
      await page.locator(`#compose-${sid} > summary`).focus();
      await page.keyboard.press("Enter");
      assert.ok(await form.isVisible(), "the form opens without JavaScript");
      await form.locator('[name="author_name"]').fill("Utan Skript");
      await form.locator('[name="author_email"]').fill(freshEmail("utan"));
      await form.locator('[name="body"]').fill("Sendt utan JavaScript.");
      await form.locator("button[type=submit]").focus();
      await Promise.all([page.waitForNavigation({ timeout: 10_000 }), page.keyboard.press("Enter")]);
      assert.equal(new URL(page.url()).hash, `#status-${sid}`);
      const focusedNotice = await page.evaluate(() => {
        const el = document.activeElement;
        return el?.matches('.notice[role="status"]') ? el.textContent.trim() : el?.outerHTML.slice(0, 120);
      });
      assert.match(focusedNotice ?? "", /^Takk! Sjå i innboksen din/, "the focus is on the message");
      const box = await page.locator(`#status-${sid}`).boundingBox();
      assert.ok(box && box.y >= -1 && box.y + box.height <= page.viewportSize().height + 1, `the message is in view: ${JSON.stringify(box)}`);
    } finally {
      await page.context().close();
    }
  });

  // The harness's own WCAG 2.2 checks find what they look for, so a clean run means something.
  test("the shared checks catch a covered focus, small targets, unnamed personal fields and script errors", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url("/accessibility?lang=nn"));
      assert.deepEqual((await axeViolations(page)).map((v) => v.id), []);
      await page.evaluate(() => {
        // Styled through the CSSOM: the pages' CSP ignores style attributes.
        const row = document.createElement("div");
        row.style.display = "flex";
        for (const text of ["a", "b"]) {
          const button = document.createElement("button");
          button.textContent = text;
          button.style.cssText = "width:10px;height:10px;padding:0;border:0;font-size:8px;line-height:1";
          row.append(button);
        }
        document.querySelector("main").prepend(row);
        document.querySelector("main").insertAdjacentHTML(
          "beforeend",
          '<p><label for="x-email">E-post</label><input id="x-email" name="email" type="email"></p>',
        );
        console.error("a script failed");
      });
      let found = new Set((await axeViolations(page)).map((v) => v.id));
      for (const id of ["target-size", "personal-data-autocomplete", "page-errors"]) {
        assert.ok(found.has(id), `${id} among ${[...found].join(", ")}`);
      }
      assert.ok(!found.has("focus-not-obscured"), "nothing covers the focus yet");
      await page.evaluate(() => {
        const bar = document.createElement("div");
        bar.style.cssText = "position:sticky;top:0;height:100vh;margin-bottom:-100vh;background:#fff8;pointer-events:none";
        document.body.prepend(bar);
      });
      found = new Set((await axeViolations(page)).map((v) => v.id));
      assert.ok(found.has("focus-not-obscured"), `focus-not-obscured among ${[...found].join(", ")}`);
    } finally {
      await page.context().close();
    }
  });

  test("the interface text differs between the languages", () => {
    assert.deepEqual([...skipTexts.keys()].sort(), [...LANGS].sort(), "every language was visited");
    const distinct = new Set();
    for (const [lang, texts] of skipTexts) {
      assert.equal(texts.size, 1, `one skip link text on every page in ${lang}: ${[...texts]}`);
      distinct.add([...texts][0]);
    }
    assert.equal(distinct.size, LANGS.length, `skip link texts: ${[...distinct].join(" | ")}`);
  });

  // Without JavaScript the live status and its pause button would do nothing, so
  // they must stay hidden (and out of the Tab order).
  test(
    "without JavaScript the hearing page shows no live controls",
    async () => {
      const page = await newPage(browser, { javaScriptEnabled: false });
      try {
        await page.goto(server.url(`${hearingPath}?lang=nn`));
        assert.equal(await page.locator("#live-pause").count(), 1);
        assert.equal(await page.locator(".live-bar").isVisible(), false, "the live bar is hidden without JS");
        assert.equal(await page.locator("#live-pause").isVisible(), false, "the pause button is hidden without JS");
      } finally {
        await page.context().close();
      }
    },
  );

  test("deletion by keyboard signs the participant out; the page after it passes axe", async () => {
    const page = await newPage(browser, { storageState: participant });
    try {
      await page.goto(server.url("/me/delete?lang=nn"));
      await page.locator("#delete-confirm").focus();
      await page.keyboard.press("Space");
      assert.ok(await page.locator("#delete-confirm").isChecked(), "Space ticks the box");
      await page.keyboard.press("Tab");
      await Promise.all([page.waitForNavigation({ timeout: 10_000 }), page.keyboard.press("Enter")]);
      assert.equal((await page.locator("h1").textContent()).trim(), "Du er sletta");
      assert.equal(await page.locator('header a[href="/me"]').count(), 0, "signed out");
      const violations = await axeViolations(page);
      assert.equal(violations.length, 0, `axe on the page after deletion:\n${formatViolations(violations)}`);

      await page.goto(server.url(hearingPath));
      assert.ok(
        (await page.locator("main").textContent()).includes("Namn fjerna"),
        "the input stays, without the name",
      );
      assert.ok(!(await page.locator("main").textContent()).includes("Aud Tilgjengeleg"));
      const me = await page.goto(server.url("/me"));
      assert.match(new URL(me.url()).pathname, /^\/sign-in$/, "/me asks to sign in again");
    } finally {
      await page.context().close();
    }
  });

  test("the server shuts down gracefully on SIGTERM", async () => {
    const { code, signal, ms } = await server.stop();
    assert.equal(signal, null, `server was killed by ${signal}, not shut down\n${server.logs()}`);
    assert.equal(code, 0, `server exit code after SIGTERM (${ms} ms)\n${server.logs()}`);
  });
});
