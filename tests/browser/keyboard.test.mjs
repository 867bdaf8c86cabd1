// The hearing can be used with the keyboard alone: skip link first, a comment
// typed and sent without the mouse, and the language switch.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  confirmInput,
  findHearingPath,
  freshEmail,
  launchBrowser,
  newestLink,
  newPage,
  sectionIds,
  startServer,
} from "./harness.mjs";

/** What has focus: tag, id, name, class and text, enough to say which element it is. */
function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el) return null;
    return {
      tag: el.tagName.toLowerCase(),
      id: el.id,
      name: el.getAttribute("name"),
      className: el.className,
      type: el.getAttribute("type"),
      text: (el.textContent ?? "").trim().slice(0, 80),
      formSection: el.form?.querySelector("input[name=section_id]")?.value ?? null,
    };
  });
}

describe("keyboard use of the hearing page", () => {
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

  test("the first Tab reaches the skip link, and Enter on it moves focus to main", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url(hearingPath));
      assert.equal(await page.getAttribute("html", "lang"), "nn", "default language is nynorsk");

      await page.keyboard.press("Tab");
      const first = await focused(page);
      assert.equal(first?.tag, "a", `first Tab focused ${JSON.stringify(first)}`);
      assert.match(first.className, /\bskip-link\b/, `first Tab focused ${JSON.stringify(first)}`);
      assert.equal(first.text, "Hopp til hovudinnhaldet");

      // Hidden until focused, then on screen (WCAG 2.4.1 / 2.4.7).
      const box = await page.locator("a.skip-link").boundingBox();
      assert.ok(box, "the focused skip link is rendered");
      const viewport = page.viewportSize();
      assert.ok(
        box.x >= 0 && box.y >= 0 && box.x + box.width <= viewport.width && box.width > 1 && box.height > 1,
        `the focused skip link is visible on screen: ${JSON.stringify(box)}`,
      );

      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement?.id === "main", null, { timeout: 5_000 });
      assert.equal(new URL(page.url()).hash, "#main");

      // The next Tab continues inside main, not back in the header.
      await page.keyboard.press("Tab");
      const next = await page.evaluate(() => document.getElementById("main").contains(document.activeElement));
      assert.ok(next, `Tab after the skip link stays in main: ${JSON.stringify(await focused(page))}`);
    } finally {
      await page.context().close();
    }
  });

  test("a comment can be written and sent with the keyboard alone", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url(hearingPath));
      const sections = await sectionIds(page);
      assert.ok(sections.length >= 2, `the demo hearing has sections: ${sections}`);
      const sid = sections[1];
      const form = page.locator(`#section-${sid} form.comment-form`);
      const stamp = Date.now().toString(36);
      const author = `Tastatur-Tone ${stamp}`;
      const email = `tone.${stamp}@example.org`;
      const body = `Skrive med tastaturet åleine, æøå ${stamp}.`;

      // Every section's form is folded behind one button, so the page stays short.
      for (const id of sections) {
        assert.equal(await page.locator(`#section-${id} form.comment-form`).isVisible(), false, `the form of ${id} is folded`);
      }
      const open = page.locator(`#compose-${sid} > summary`);
      assert.match(await open.textContent(), /^Skriv ein kommentar til /);

      // Reach the button, then only the keyboard.
      await open.focus();
      await page.keyboard.press("Enter");
      assert.ok(await form.isVisible(), "Enter on the button shows the form");
      await page.keyboard.press("Tab");
      let f = await focused(page);
      assert.equal(f?.name, "author_name", `Tab from the button goes to the name: ${JSON.stringify(f)}`);
      await page.keyboard.type(author);
      await page.keyboard.press("Tab");
      f = await focused(page);
      assert.equal(f?.name, "author_email", `Tab from the name goes to the e-mail field: ${JSON.stringify(f)}`);
      await page.keyboard.type(email);
      await page.keyboard.press("Tab");
      f = await focused(page);
      assert.equal(f?.name, "quote", `Tab from the e-mail goes to the optional quote: ${JSON.stringify(f)}`);
      // Quote the first words of the section, typed as a keyboard user would.
      const sectionText = (await page.locator(`#section-${sid} .section-body`).innerText()).trim();
      const quote = sectionText.split(/\s+/).slice(0, 3).join(" ");
      await page.keyboard.type(quote);
      await page.keyboard.press("Tab");
      f = await focused(page);
      assert.equal(f?.name, "body", `Tab from the quote goes to the comment field: ${JSON.stringify(f)}`);
      await page.keyboard.type(body);
      await page.keyboard.press("Tab");
      f = await focused(page);
      assert.equal(f?.tag, "button", `Tab from the comment goes to the submit button: ${JSON.stringify(f)}`);
      assert.equal(f.formSection, sid, "the submit button belongs to the same form");

      assert.equal(await form.locator('[name="author_name"]').inputValue(), author);
      assert.equal(await form.locator('[name="body"]').inputValue(), body);
      assert.equal(await form.locator('[name="quote"]').inputValue(), quote);

      const [response] = await Promise.all([
        page.waitForNavigation({ url: (url) => url.searchParams.get("pending") === sid, timeout: 10_000 }),
        page.keyboard.press("Enter"),
      ]);
      assert.equal(response.status(), 200);
      const post = response.request().redirectedFrom();
      assert.ok(post, "the form post redirected");
      assert.equal(post.method(), "POST");
      assert.equal((await post.response()).status(), 303, "the form post answers 303 See Other");

      const url = new URL(page.url());
      assert.equal(url.pathname, hearingPath);
      assert.equal(url.hash, `#status-${sid}`, "the answer opens at the message");

      // Not signed in: the comment waits until the author confirms the address.
      const list = page.locator(`#comments-${sid}`);
      assert.equal(await list.locator("li.comment", { hasText: stamp }).count(), 0, "not shown before it is confirmed");
      const notice = page.locator(`#section-${sid} .notice.success[role="status"]`);
      assert.equal(await notice.count(), 1, "the section says to look for the email");
      assert.match(await notice.textContent(), /innboksen/);
      // The focus is on that message, not at the top of the page.
      await page.waitForFunction((id) => document.activeElement?.id === `status-${id}`, sid, { timeout: 5_000 });
      await page.keyboard.press("Tab");
      assert.ok(
        await page.evaluate((id) => document.getElementById(`section-${id}`).contains(document.activeElement), sid),
        `Tab after the message stays in its section: ${JSON.stringify(await focused(page))}`,
      );

      // The emailed link opens a page whose button (reached by keyboard) confirms.
      const { link } = await newestLink(server, email, "/inputs/confirm");
      await page.goto(link);
      assert.equal(await page.locator("#comments-" + sid).count(), 0, "the link opened the confirmation page");
      await page.locator("main form button[type=submit]").focus();
      await Promise.all([
        page.waitForURL((url) => url.pathname === hearingPath && url.searchParams.get("done") === "confirmed", { timeout: 10_000 }),
        page.keyboard.press("Enter"),
      ]);
      assert.match(await page.locator("main .notice.success").textContent(), /stadfesta/);
      await page.goto(server.url("/me"));
      assert.equal(await page.locator("#me-inputs tr", { hasText: stamp }).count(), 1, "listed on the author's page");

      await page.goto(server.url(hearingPath));
      const comment = page.locator(`#comments-${sid} li.comment`, { hasText: stamp });
      assert.equal(await comment.count(), 1, "the new comment is listed once, in its section");
      assert.equal((await comment.locator(".comment-body").textContent()).trim(), body);
      assert.match(await comment.locator(".author").textContent(), new RegExp(author));
      assert.ok(
        !(await comment.textContent()).includes(email),
        "the e-mail address is not shown to the public",
      );
      assert.equal(await page.locator(`#no-comments-${sid}`).count(), 0, "no 'no comments yet' text");
      // Signed in now: the form no longer asks for a name or an address.
      assert.equal(await page.locator(`#section-${sid} form.comment-form [name="author_email"]`).count(), 0);
      assert.match(await page.locator(`#section-${sid} form.comment-form .writer`).textContent(), new RegExp(author));
    } finally {
      await page.context().close();
    }
  });

  test("a passage is chosen sentence by sentence with the keyboard alone, and the comment keeps it", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url(hearingPath));
      const [sid] = await sectionIds(page);
      const stamp = Date.now().toString(36);
      const author = `Utdrag-Unni ${stamp}`;
      const email = freshEmail("unni");
      const body = `Om utdraget, valt med tastaturet ${stamp}.`;
      const status = page.locator(`#picker-${sid} [role="status"]`);
      const said = async () => (await status.textContent()).trim();

      const opener = page.locator(`#section-${sid} .passage-start button`);
      assert.equal((await opener.textContent()).trim(), "Kommenter eit utdrag");
      assert.equal(await opener.getAttribute("aria-expanded"), "false");
      await opener.focus();
      await page.keyboard.press("Enter");
      assert.equal(await opener.getAttribute("aria-expanded"), "true");
      let f = await focused(page);
      assert.equal(f?.text, "Neste setning", `the panel opens at its first button: ${JSON.stringify(f)}`);
      await page.waitForFunction((id) => document.querySelector(`#picker-${id} [role="status"]`)?.textContent, sid);
      assert.match(await said(), /^Setning 1 av 4: Fjordvik kommune skal lage/, "the first sentence is read out");

      // The arrow keys step through the sentences; each step is read out.
      await page.keyboard.press("ArrowRight");
      assert.match(await said(), /^Setning 2 av 4: Planen skal seie kva mål og strategiar .* dei komande åra\.$/);
      await page.keyboard.press("Tab");
      f = await focused(page);
      assert.equal(f?.text, "Start her");
      await page.keyboard.press("Enter");
      assert.match(await said(), /^Utdraget startar ved setning 2\./);
      // The next sentence is in the next paragraph.
      await page.keyboard.press("ArrowRight");
      assert.equal(await said(), "Setning 3 av 4: Dette er forslaget til planprogram.");
      await page.keyboard.press("Tab");
      assert.equal((await focused(page))?.text, "Slutt her");
      await page.keyboard.press("Enter");
      assert.match(await said(), /^Utdraget sluttar ved setning 3\./);
      const quote =
        "Planen skal seie kva mål og strategiar kommunen skal arbeide etter, og korleis tenestene skal utviklast dei komande åra. Dette er forslaget til planprogram.";
      assert.equal(
        (await page.locator(`#picker-${sid} .picker-chosen`).textContent()).trim(),
        `Utdraget: «${quote}»`,
        "the panel shows the passage chosen",
      );
      await page.keyboard.press("Tab");
      assert.equal((await focused(page))?.text, "Bruk utdraget");
      await page.keyboard.press("Enter");

      // The passage is in the comment form, which is open, with the focus on it.
      f = await focused(page);
      assert.equal(f?.name, "quote", `the focus moves to the quote: ${JSON.stringify(f)}`);
      assert.equal(f.formSection, sid);
      assert.equal(await page.locator(`#quote-${sid}`).inputValue(), quote);
      assert.equal(await page.locator(`#picker-${sid}`).isVisible(), false, "the panel closes");
      await page.keyboard.press("Shift+Tab");
      await page.keyboard.press("Shift+Tab");
      assert.equal((await focused(page))?.name, "author_name");
      await page.keyboard.type(author);
      await page.keyboard.press("Tab");
      await page.keyboard.type(email);
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      assert.equal((await focused(page))?.name, "body");
      await page.keyboard.type(body);
      await page.keyboard.press("Tab");
      await Promise.all([
        page.waitForNavigation({ url: (url) => url.searchParams.get("pending") === sid, timeout: 10_000 }),
        page.keyboard.press("Enter"),
      ]);
      await confirmInput(server, email);

      // Stored with the passage: the comment shows the quote, and the text marks it.
      await page.goto(server.url(hearingPath));
      const comment = page.locator(`#comments-${sid} > li.comment`, { hasText: stamp });
      assert.equal(await comment.count(), 1);
      const shown = (await comment.locator(".comment-quote").textContent()).replace(/^Sitat: /, "").trim();
      assert.equal(shown, quote, "the comment shows the quote");
      const id = (await comment.getAttribute("id")).slice("comment-".length);
      await page.waitForSelector(`#passage-${id}`);
      const marked = await page
        .locator(`#text-${sid} mark.passage[data-comment="${id}"]`)
        .evaluateAll((marks) => marks.map((m) => m.textContent).join(" ").replace(/\s+/g, " ").trim());
      assert.equal(marked, quote, "the passage is marked in the text");
    } finally {
      await page.context().close();
    }
  });

  test("Escape closes the passage panel and gives the focus back to its button", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url(hearingPath));
      const [, sid] = await sectionIds(page);
      const opener = page.locator(`#section-${sid} .passage-start button`);
      await opener.focus();
      await page.keyboard.press("Enter");
      await page.keyboard.press("End");
      assert.match(await page.locator(`#picker-${sid} [role="status"]`).textContent(), /^Setning 2 av 2: /);
      await page.keyboard.press("Escape");
      assert.equal(await page.locator(`#picker-${sid}`).isVisible(), false);
      assert.equal(await page.evaluate(() => document.activeElement?.textContent.trim()), "Kommenter eit utdrag");
      assert.equal(await page.locator(`#quote-${sid}`).inputValue(), "", "nothing was put in the form");
    } finally {
      await page.context().close();
    }
  });

  test("text selected with the mouse is offered by a visible button that takes it to the form", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url(hearingPath));
      const sections = await sectionIds(page);
      const sid = sections[3];
      const paragraph = page.locator(`#text-${sid} p`).first();
      const offer = page.locator(`#section-${sid} button.selection-comment`);
      assert.equal(await offer.count(), 0, "no button before anything is selected");
      await paragraph.click({ clickCount: 3 });
      await offer.waitFor({ state: "visible", timeout: 5_000 });
      assert.equal((await offer.textContent()).trim(), "Kommenter dette utdraget");
      const box = await offer.boundingBox();
      const viewport = page.viewportSize();
      assert.ok(box.x >= 0 && box.x + box.width <= viewport.width, `the button is on screen: ${JSON.stringify(box)}`);
      // A triple click selects the paragraph (and, in the browser's eyes, what follows).
      const selected = (await paragraph.textContent()).replace(/\s+/g, " ").trim();
      assert.match(selected, /^Eldrerådet, rådet for personar/);

      await offer.click();
      const f = await focused(page);
      assert.equal(f?.name, "quote", `the focus moves to the quote: ${JSON.stringify(f)}`);
      assert.equal(f.formSection, sid);
      assert.equal(await page.locator(`#quote-${sid}`).inputValue(), selected);
      assert.ok(await page.locator(`#quote-${sid}`).isVisible(), "the form is open, the quote in sight");
      assert.equal(await offer.isVisible(), false, "the button has done its work");
    } finally {
      await page.context().close();
    }
  });

  test("every section leads back to the contents, and the contents lead to the sections", async () => {
    const page = await newPage(browser);
    try {
      await page.goto(server.url(hearingPath));
      const sections = await sectionIds(page);
      for (const sid of sections) {
        assert.equal(
          await page.locator(`#section-${sid} a[href="#contents"]`).textContent(),
          "Tilbake til innhaldet",
          `section ${sid} has a way back to the contents`,
        );
      }
      const last = sections[sections.length - 1];
      await page.locator(`#section-${last} a[href="#contents"]`).focus();
      await page.keyboard.press("Enter");
      await page.waitForFunction(() => document.activeElement?.id === "contents", null, { timeout: 5_000 });
      await page.keyboard.press("Tab");
      let f = await focused(page);
      assert.equal(f?.tag, "a", `Tab from the contents goes to its first link: ${JSON.stringify(f)}`);
      assert.equal(await page.evaluate(() => document.activeElement.getAttribute("href")), `#section-${sections[0]}`);

      // Down the contents to the third section: the focus follows.
      await page.keyboard.press("Tab");
      await page.keyboard.press("Tab");
      await page.keyboard.press("Enter");
      await page.waitForFunction((id) => document.activeElement?.id === `section-${id}`, sections[2], { timeout: 5_000 });
      await page.keyboard.press("Tab");
      f = await focused(page);
      assert.ok(
        await page.evaluate((id) => document.getElementById(`section-${id}`).contains(document.activeElement), sections[2]),
        `Tab from the section stays in it: ${JSON.stringify(f)}`,
      );
    } finally {
      await page.context().close();
    }
  });

  test("the language switch sets English and the choice is remembered", async () => {
    // A fresh context: no language cookie, Accept-Language nn-NO.
    const page = await newPage(browser);
    try {
      await page.goto(server.url(hearingPath));
      assert.equal(await page.getAttribute("html", "lang"), "nn");

      const english = page.locator('nav.lang-switch a[hreflang="en"]');
      assert.equal(await english.count(), 1, "the language switch has an English link");
      assert.equal(await english.getAttribute("lang"), "en", "the link's own text is marked as English");
      assert.equal((await english.textContent()).trim(), "English");

      await english.focus();
      await Promise.all([
        page.waitForNavigation({ url: (url) => url.pathname === hearingPath, timeout: 10_000 }),
        page.keyboard.press("Enter"),
      ]);
      assert.equal(await page.getAttribute("html", "lang"), "en", "the page after the switch is in English");
      assert.equal((await page.locator("a.skip-link").textContent()).trim(), "Skip to main content");
      assert.equal(
        await page.locator('nav.lang-switch a[hreflang="en"]').getAttribute("aria-current"),
        "true",
        "the switch marks English as the current language",
      );
      assert.equal(
        await page.locator('nav.lang-switch a[hreflang="nn"]').getAttribute("aria-current"),
        null,
      );

      // Remembered: a plain / (no ?lang=) and a reload of it stay English.
      await page.goto(server.url("/"));
      assert.equal(await page.getAttribute("html", "lang"), "en", "plain / after the switch");
      await page.reload();
      assert.equal(await page.getAttribute("html", "lang"), "en", "reload of / after the switch");
      assert.equal((await page.locator("a.skip-link").textContent()).trim(), "Skip to main content");

      // And switching back works the same way.
      // (waitForNavigation, not waitForURL: the address stays "/".)
      await page.locator('nav.lang-switch a[hreflang="nn"]').focus();
      await Promise.all([
        page.waitForNavigation({ url: (url) => url.pathname === "/", timeout: 10_000 }),
        page.keyboard.press("Enter"),
      ]);
      assert.equal(await page.getAttribute("html", "lang"), "nn");
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
