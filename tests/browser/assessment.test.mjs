// Assessment of inputs in the workbench: the planner reaches the plan's input
// register, registers a letter and assesses it by keyboard, is told that a second
// planner must review it, and reads the printable report. Then, on a hearing with
// comments: the same assessment for several inputs from the bulk form, a second
// planner's review and publication, the statistics, and from the closed hearing to
// the downloaded DOCX report, all by keyboard. Every page has zero axe violations
// and reflows at 320 CSS px in every language.

import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
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

async function assertNoViolations(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
}

describe("assessment of inputs", () => {
  let server;
  let browser;
  let page;
  let registerPath;
  let inputPath;
  let reportPath;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await newPage(browser);
    await signIn(page, server);
  });

  after(async () => {
    await page?.context().close();
    await browser?.close();
    await server?.dispose();
  });

  test("the planner reaches the input register from the workbench by keyboard", async () => {
    await page.goto(server.url("/planner?lang=nn"));
    const link = page.locator("main a", { hasText: "Innspelsregister og merknadsbehandling" }).first();
    await link.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/plans\/[0-9a-f-]{36}\/register$/);
    registerPath = new URL(page.url()).pathname;
    assert.match(await page.locator("h1").textContent(), /Innspelsregister/);
  });

  test("a letter is registered by keyboard and gets the next number", async () => {
    await page.locator("main a", { hasText: "Registrer brev eller e-post" }).first().focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/letters$/);
    await page.locator("#l-sender").focus();
    await page.keyboard.type("Fjordvik pensjonistlag");
    await page.locator("#l-kind-organisation").focus();
    await page.keyboard.press("Space");
    await page.locator("#l-channel").selectOption("email");
    const today = await page.locator("#l-date").getAttribute("max");
    await page.locator("#l-date").fill(today);
    await page.locator("#l-text").focus();
    await page.keyboard.type("Vi ønskjer eit dagsenter med fleire benkar.");
    await page.locator("main form button[type=submit]").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/register\?done=letter-\d+$/);
    assert.match(await page.locator("p.notice[role=status]").textContent(), /registrert som innspel nr\. \d+/);
    const row = page.locator("li.register-row", { hasText: "Fjordvik pensjonistlag" }).first();
    await row.locator("a").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/planner\/inputs\/[0-9a-f-]{36}$/);
    inputPath = new URL(page.url()).pathname;
  });

  test("the assessment is saved by keyboard, and its author may not review it", async () => {
    await page.locator("#a-summary").focus();
    await page.keyboard.type("Ønskjer dagsenter og benkar.");
    await page.locator("#a-outcome-partly_followed").focus();
    await page.keyboard.press("Space");
    await page.locator("#a-response").focus();
    await page.keyboard.type("Dagsenter blir vurdert i handlingsdelen.");
    await page.locator("form[action$='" + inputPath + "'] button").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/done=saved$/);
    assert.match(await page.locator("p.notice[role=status]").textContent(), /lagra som utkast/);
    assert.match(await page.locator("main table").textContent(), /Samandrag av innspelet/);
    await page.locator("form[action$='/review'] button").focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("p.notice.error[role=alert]");
    assert.match(await page.locator("p.notice.error:not(#idle-error)").textContent(), /Ein annan planleggjar må kontrollere ho/);
    await assertNoViolations(page, "the four-eyes refusal");
  });

  test("the register filters by keyboard", async () => {
    await page.goto(server.url(`${registerPath}?lang=nn`));
    await page.locator("#f-q").focus();
    await page.keyboard.type("dagsenter");
    await page.keyboard.press("Enter");
    await page.waitForURL(/q=dagsenter/);
    assert.match(await page.locator("main").textContent(), /Fjordvik pensjonistlag/);
    const report = page.locator("main a", { hasText: "Merknadsbehandling for" }).first();
    reportPath = new URL(await report.getAttribute("href"), server.baseUrl).pathname;
  });

  test("a letter from a person's own address is on their page /me, in every language without axe violations", async () => {
    await page.goto(server.url(`${registerPath.replace(/register$/, "letters")}?lang=nn`));
    await page.locator("#l-sender").fill("Planleggjaren sjølv");
    await page.locator("#l-kind-person").check();
    await page.locator("#l-contact").fill(DEMO_PLANNER);
    await page.locator("#l-date").fill(await page.locator("#l-date").getAttribute("max"));
    await page.locator("#l-text").fill("Eit brev om gatelys langs skulevegen.");
    await press(page, page.locator("main form button[type=submit]"));
    await page.waitForURL(/\/register\?done=letter-\d+$/);
    for (const lang of LANGS) {
      const response = await page.goto(server.url(`/me?lang=${lang}`));
      assert.equal(response.status(), 200);
      assert.match(await page.locator("#me-letters").textContent(), /Eit brev om gatelys langs skulevegen\./);
      await assertNoViolations(page, `/me with a letter in ${lang}`);
    }
  });

  for (const lang of LANGS) {
    test(`assessment pages in ${lang} have no axe violations and reflow`, async () => {
      const suggestionsPath = reportPath.replace(/report$/, "suggestions");
      for (const p of [registerPath, registerPath.replace(/register$/, "letters"), inputPath, reportPath, suggestionsPath]) {
        const response = await page.goto(server.url(`${p}?lang=${lang}`));
        assert.equal(response.status(), 200, p);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        await assertNoViolations(page, `${p} in ${lang}`);
      }
    });
  }
});

/** Focuses `locator` and presses Enter, as a keyboard user follows a link or a button. */
async function press(page, locator) {
  await locator.focus();
  await page.keyboard.press("Enter");
}

describe("the planner's workbench: bulk assessment, statistics and the report by keyboard", () => {
  const ADMINISTRATOR = "it@fjordvik.kommune.example";
  let server;
  let browser;
  let page;
  let hearingPath;
  let hearingId;
  let registerPath;
  let statisticsPath;
  let firstSection;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    page = await newPage(browser);
    hearingPath = await findHearingPath(server);
    hearingId = hearingPath.split("/").pop();
    await page.goto(server.url(`${hearingPath}?lang=nn`));
    [firstSection] = await sectionIds(page);
    for (const body of ["Vi treng fleire benkar langs fjorden.", "Fleire benkar ved butikken, takk."]) {
      await postCommentApi(server, hearingId, { sectionId: firstSection, authorName: "Kari Nordmann", body });
    }
    await signIn(page, server);
  });

  after(async () => {
    await page?.context().close();
    await browser?.close();
    await server?.dispose();
  });

  test("two near-identical comments get the same assessment from the bulk form by keyboard", async () => {
    await page.goto(server.url("/planner?lang=nn"));
    await press(page, page.locator("main a", { hasText: "Innspelsregister og merknadsbehandling" }).first());
    await page.waitForURL(/\/register$/);
    registerPath = new URL(page.url()).pathname;
    statisticsPath = registerPath.replace(/register$/, "statistics");
    const boxes = page.locator('#register-list input[type="checkbox"]');
    assert.equal(await boxes.count(), 2);
    await press(page, page.locator("#select-all"));
    for (const box of await boxes.all()) assert.equal(await box.isChecked(), true);
    await page.locator("#bulk-summary").focus();
    await page.keyboard.type("Ønskjer fleire benkar.");
    await page.locator("#bulk-outcome").focus();
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.locator("#bulk-outcome").inputValue(), "followed");
    await page.locator("#bulk-response").focus();
    await page.keyboard.type("Benkar er tekne inn i tiltaksdelen.");
    await press(page, page.locator('button[name="action"][value="assess"]'));
    await page.waitForURL(/changed=2/);
    assert.match(await page.locator(".notice.success[role=status]").textContent(), /2 innspel er endra/);
    assert.equal(await page.locator(".badge", { hasText: "Utkast" }).count(), 2);
  });

  test("a second planner reviews and publishes one, and the hearing page shows it beside the comment", async () => {
    const inputPath = await page.locator("li.register-row h3 a").first().getAttribute("href");
    const admin = await newPage(browser);
    try {
      await signIn(admin, server, ADMINISTRATOR);
      await admin.goto(server.url(`${inputPath}?lang=nn`));
      await press(admin, admin.locator("form[action$='/review'] button"));
      await admin.waitForURL(/done=reviewed$/);
      await press(admin, admin.locator("form[action$='/publish'] button"));
      await admin.waitForURL(/done=published$/);
    } finally {
      await admin.context().close();
    }
    await page.goto(server.url(`${hearingPath}?lang=nn`));
    assert.match(await page.locator("main").textContent(), /Benkar er tekne inn i tiltaksdelen\./);
  });

  test("the statistics page counts the comments and their outcomes", async () => {
    await page.goto(server.url(`${registerPath}?lang=nn`));
    await press(page, page.locator("main a", { hasText: "Statistikk over innspela" }).first());
    await page.waitForURL(/\/statistics$/);
    assert.match(await page.locator(".stats-total").textContent(), /2 innspel i alt/);
    const outcomes = page.locator("#stats-outcomes").locator("xpath=..").locator("table");
    assert.match(await outcomes.textContent(), /Teke til følgje\s*2/);
    assert.equal(await page.locator('svg[role="img"]').count(), 6);
  });

  test("a comment given while the hearing is open appears in the register without a reload", async () => {
    await page.goto(server.url(`${registerPath}?lang=nn`));
    await page.waitForFunction(() => document.getElementById("register-list")?.dataset.live === "connected");
    await page.evaluate(() => {
      window.notReloaded = true;
    });
    await postCommentApi(server, hearingId, { sectionId: firstSection, authorName: "Ola Nordmann", body: "Og ein benk ved kyrkja." });
    await page.locator("li.register-row", { hasText: "Og ein benk ved kyrkja." }).waitFor();
    assert.equal(await page.evaluate(() => window.notReloaded), true, "the row came without a reload");
    assert.match(await page.locator("#register-live").textContent(), /Nytt innspel i registeret: nr\. 3/);
  });

  test("from the closed hearing to the downloaded DOCX report, by keyboard alone", async () => {
    await page.goto(server.url("/planner?lang=nn"));
    await press(page, page.locator(`main a[href="/planner/hearings/${hearingId}"]`).first());
    await page.waitForURL(new RegExp(`/planner/hearings/${hearingId}$`));
    await page.locator("#close-reason").focus();
    await page.keyboard.type("Alle innspel er komne inn.");
    await press(page, page.locator("form[action$='/state'] button", { hasText: "Avslutt høyringa før fristen" }).first());
    // Waits for the answer's page itself, not only for the current page's load.
    await page.locator("dl.facts", { hasText: "Avslutta" }).waitFor();
    assert.match(await page.locator("dl.facts").textContent(), /Avslutta/);
    await press(page, page.locator("main a", { hasText: "Merknadsbehandling for" }).first());
    await page.waitForURL(/\/report$/);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      press(page, page.locator("main a[href*='report.docx']").first()),
    ]);
    assert.match(download.suggestedFilename(), /\.docx$/);
    const bytes = await readFile(await download.path());
    // A DOCX is a zip archive whose main part is word/document.xml.
    assert.equal(bytes.subarray(0, 2).toString("latin1"), "PK");
    assert.ok(bytes.includes(Buffer.from("word/document.xml")), "the archive holds word/document.xml");
  });

  for (const lang of LANGS) {
    test(`the hearing with a published assessment, the statistics and the bulk form in ${lang} have no axe violations and reflow`, async () => {
      for (const p of [hearingPath, statisticsPath, registerPath, `${registerPath}?select=all`]) {
        const url = p.includes("?") ? `${p}&lang=${lang}` : `${p}?lang=${lang}`;
        const response = await page.goto(server.url(url));
        assert.equal(response.status(), 200, p);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        await assertNoViolations(page, `${p} in ${lang}`);
      }
      // The bulk form refused (nothing ticked): the messages beside the fields.
      await page.goto(server.url(`${registerPath}?lang=${lang}`));
      await press(page, page.locator('button[name="action"][value="assess"]'));
      await page.waitForSelector("#error-summary");
      await assertNoViolations(page, `the refused bulk form in ${lang}`);
    });
  }
});
