// The live workshop board: the facilitator steps through the IGP stages, a member
// of the reference group posts a note by keyboard and is offered dots, the
// large-screen view shows the note only once everyone may see it, and every board
// page passes axe and reflows at 320 px.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  LANGS,
  axeViolations,
  formatViolations,
  launchBrowser,
  newPage,
  newestSignInLink,
  reflowViolations,
  signIn,
  startServer,
} from "./harness.mjs";

// The demo's representative of the pensioners' association, a member of the
// reference group the demo workshop invites.
const MEMBER = "leiar@fjordvik-pensjonistlag.example";
const LIVE_TIMEOUT_MS = 10_000;

async function assertClean(page, what) {
  const violations = [...(await axeViolations(page)), ...(await reflowViolations(page))];
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
}

/** Signs a member in by the emailed link, then opens `next`. */
async function signInTo(page, server, email, next) {
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
  await page.goto(server.url(next));
}

/** Presses a button by keyboard: focus, then Enter. */
async function press(page, selector) {
  const button = page.locator(selector);
  await button.focus();
  await page.keyboard.press("Enter");
}

describe("the workshop board", () => {
  let server;
  let browser;
  let planner;
  let screen;
  let member;
  let boardPath;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    planner = await newPage(browser);
    await signIn(planner, server);
    // The demo workshop, from the plan's meeting plan.
    await planner.goto(server.url("/planner?lang=nn"));
    const hrefs = await planner
      .locator("main a[href^='/planner/plans/']")
      .evaluateAll((links) => links.map((a) => a.getAttribute("href")));
    const planPath = hrefs.find((href) => /^\/planner\/plans\/[0-9a-f-]{36}$/.test(href));
    assert.ok(planPath, `a plan page among ${hrefs}`);
    await planner.goto(server.url(planPath));
    const workshopPath = await planner.locator("main a[href^='/workshops/']").first().getAttribute("href");
    boardPath = `${workshopPath}/board`;
  });

  after(async () => {
    await member?.context().close();
    await screen?.close();
    await planner?.context().close();
    await browser?.close();
    await server?.dispose();
  });

  test("a member writes by keyboard while the large screen follows live", async () => {
    await planner.goto(server.url(`${boardPath}?lang=nn`));
    await planner.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });
    // "Sentrale tema", the agenda's second item, uses every stage.
    const openButtons = planner.locator("button[id^='open-']");
    const itemId = (await openButtons.nth(1).getAttribute("id")).slice("open-".length);
    await press(planner, `#open-${itemId}`);
    await planner.locator("#current-title").filter({ hasText: "Sentrale tema" }).waitFor({ timeout: LIVE_TIMEOUT_MS });

    // The projector: the planner's large-screen view in a second window; the
    // member writes from a browser context of their own.
    screen = await planner.context().newPage();
    screen.problems = [];
    screen.on("pageerror", (err) => screen.problems.push(`pageerror: ${err.message}`));
    await screen.goto(server.url(`${boardPath}/screen?lang=nn`));
    await screen.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });
    await assertClean(screen, "the large screen");

    member = await newPage(browser);
    await signInTo(member, server, MEMBER, `${boardPath}?lang=nn`);
    await member.waitForSelector('main[data-live="connected"]', { timeout: LIVE_TIMEOUT_MS });
    await assertClean(member, "the member's board");

    // A note by keyboard: type, Tab past the naming choice, send.
    const text = `Fleire benker langs gangvegen ${Date.now().toString(36)}`;
    await member.locator("#note-body").focus();
    await member.keyboard.type(text);
    await member.keyboard.press("Tab");
    await member.keyboard.press("Tab");
    await member.keyboard.press("Enter");
    const mine = member.locator(".board-note .note-body", { hasText: text });
    await mine.waitFor({ timeout: LIVE_TIMEOUT_MS });
    assert.match(await member.locator(".board-note", { hasText: text }).textContent(), /Berre du ser han/);
    // The field is emptied once the note is stored, and keeps the focus for the next.
    await member.waitForFunction(() => document.getElementById("note-body")?.value === "", null, { timeout: LIVE_TIMEOUT_MS });
    await member.waitForFunction(() => document.activeElement?.id === "note-body", null, { timeout: LIVE_TIMEOUT_MS });
    await member.waitForFunction(() => document.getElementById("board-announcer")?.textContent.trim().length > 0, null, { timeout: LIVE_TIMEOUT_MS });

    // The group stage: the large screen shows the new stage and still not the note.
    await planner.locator(`#next-${itemId}`).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await press(planner, `#next-${itemId}`);
    await screen.locator("#board-stage", { hasText: "I gruppa" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    assert.equal(await screen.locator(".board-note", { hasText: text }).count(), 0, "not on the wall before plenum");

    // Plenum: now the wall shows it, live.
    await planner.locator("#board-stage", { hasText: "I gruppa" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await press(planner, `#next-${itemId}`);
    await screen.locator(".board-note", { hasText: text }).waitFor({ timeout: LIVE_TIMEOUT_MS });

    // Voting: the member's page offers dots, by keyboard-reachable buttons.
    await planner.locator("#board-stage", { hasText: "I plenum" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await press(planner, `#next-${itemId}`);
    await member.locator("#dots-left", { hasText: "3 av 3" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await member.locator(".board-note", { hasText: text }).locator("button[id^='dot-']").waitFor({ timeout: LIVE_TIMEOUT_MS });
    await assertClean(member, "the member's board while voting");

    // A dot by keyboard: focus the note's dot button, press Enter. The dot is
    // stored (the board's JSON says so), the member's page counts it, the focus
    // stays on the note's buttons and the large screen shows the dot live.
    const noteId = (await member.locator(".board-note", { hasText: text }).getAttribute("id")).slice("note-".length);
    await press(member, `#dot-${noteId}`);
    await member.locator("#dots-left", { hasText: "2 av 3" }).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await member.locator(`#undot-${noteId}`).waitFor({ timeout: LIVE_TIMEOUT_MS });
    await member.waitForFunction(
      (id) => [`dot-${id}`, `undot-${id}`].includes(document.activeElement?.id),
      noteId,
      { timeout: LIVE_TIMEOUT_MS },
    );
    const workshopId = boardPath.split("/")[2];
    const board = await member.evaluate(async (id) => {
      const response = await fetch(`/api/v1/workshops/${id}/board`, { headers: { Accept: "application/json" } });
      return response.json();
    }, workshopId);
    const stored = JSON.stringify(board);
    assert.ok(stored.includes(noteId), `the note in the board's JSON: ${stored.slice(0, 400)}`);
    const dotsOf = (value) => {
      if (Array.isArray(value)) return value.map(dotsOf).find((d) => d !== undefined);
      if (value && typeof value === "object") {
        if (value.id === noteId && "dots" in value) return value.dots;
        return Object.values(value).map(dotsOf).find((d) => d !== undefined);
      }
      return undefined;
    };
    assert.equal(dotsOf(board), 1, "one dot stored on the note");
    await screen
      .locator(`#note-${noteId} .note-dots`)
      .filter({ hasText: "1" })
      .waitFor({ timeout: LIVE_TIMEOUT_MS });
    await assertClean(member, "the member's board after a dot");
    await assertClean(planner, "the facilitator's board");
    assert.deepEqual([...member.problems, ...screen.problems, ...planner.problems], []);
  });

  test("the board pages and the minutes pass axe in every language", async () => {
    for (const lang of LANGS) {
      await planner.goto(server.url(`${boardPath}?lang=${lang}`));
      await assertClean(planner, `the board (${lang})`);
      await planner.goto(server.url(`${boardPath}/screen?lang=${lang}`));
      await assertClean(planner, `the large screen (${lang})`);
      await planner.goto(server.url(`${boardPath.replace(/\/board$/, "/minutes")}?lang=${lang}`));
      await assertClean(planner, `the minutes (${lang})`);
    }
  });

  test("the facilitator writes the minutes and confirms a note as an input by keyboard", async () => {
    const minutesPath = boardPath.replace(/\/board$/, "/minutes");
    await planner.goto(server.url(`${minutesPath}?lang=nn`));
    await planner.locator("#minutes").focus();
    await planner.keyboard.type("# Referat\n\nVi tok opp **sentrale tema**.");
    await press(planner, "main form[action$='/minutes'] button[type=submit]");
    await planner.locator("#status", { hasText: "Referatet er lagra." }).waitFor();
    assert.equal(await planner.locator(".minutes-preview strong").textContent(), "sentrale tema");
    const box = planner.locator("input[name=note_id]:not([disabled])").first();
    await box.focus();
    await planner.keyboard.press("Space");
    await press(planner, "main form[action$='/minutes/inputs'] button[type=submit]");
    await planner.locator("#status", { hasText: "innspelsregisteret" }).waitFor();
    assert.ok((await planner.locator("input[name=note_id][disabled]").count()) >= 1, "the confirmed note is marked");
    await assertClean(planner, "the minutes after confirming");
  });

  test("the facilitator arranges the board by keyboard on the setup page, axe clean in every language", async () => {
    const setupPath = `${boardPath}/setup`;
    for (const lang of LANGS) {
      await planner.goto(server.url(`${setupPath}?lang=${lang}`));
      await assertClean(planner, `the setup page (${lang})`);
    }
    await planner.goto(server.url(`${boardPath}?lang=nn`));
    await press(planner, "#setup-link");
    await planner.waitForURL(/\/board\/setup$/);

    // A table, by keyboard.
    await planner.locator("#table-name").focus();
    await planner.keyboard.type("Vindaugsbordet");
    await planner.keyboard.press("Enter");
    await planner.locator("#status", { hasText: "Bordet er lagt til." }).waitFor();
    assert.ok((await planner.locator("main").textContent()).includes("Vindaugsbordet"));

    // The notes of the current item (in voting, so everyone sees them): tick the
    // member's note, name the group, send.
    const first = planner.locator("#group-form input[name=note_id]").first();
    await first.focus();
    await planner.keyboard.press("Space");
    await planner.locator("#group-label").focus();
    await planner.keyboard.type("Kvile på tur");
    await planner.keyboard.press("Enter");
    await planner.locator("#status", { hasText: "Lappane er grupperte." }).waitFor();
    assert.ok((await planner.locator("#group-form").textContent()).includes("Kvile på tur"));
    await assertClean(planner, "the setup page after grouping");

    // The large screen shows the heading live.
    await screen.locator(".note-group", { hasText: "Kvile på tur" }).waitFor({ timeout: LIVE_TIMEOUT_MS });

    // A budget out of range is refused with a page that says why.
    await planner.goto(server.url(`${setupPath}?lang=nn`));
    const response = await planner.request.post(server.url(`${setupPath}/budget`), { form: { dot_budget: "21" }, maxRedirects: 0 });
    assert.equal(response.status(), 422);
  });
});
