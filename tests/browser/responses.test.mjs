// Official responses (høyringssvar): the demo's organisation representative gives
// and revises the pensioners' association's response by keyboard; the response
// page, its errors and the planner's views have zero axe violations in every language.

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
  newestSignInLink,
  signIn,
  startServer,
} from "./harness.mjs";

const REPRESENTATIVE = "leiar@fjordvik-pensjonistlag.example";
const SECOND_REPRESENTATIVE = "nestleiar@fjordvik-pensjonistlag.example";
const ORGANISATION = "Fjordvik pensjonistlag";
const PDF = Buffer.from("%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n");

async function assertNoViolations(page, what) {
  const violations = await axeViolations(page);
  assert.equal(violations.length, 0, `${what}:\n${formatViolations(violations)}`);
}

/** Signs a person who is not staff in by the emailed link, by keyboard. */
async function signInPerson(page, server, email) {
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

/** Presses Tab until `locator` has focus (at most `limit` times). */
async function tabTo(page, locator, limit = 60) {
  for (let i = 0; i < limit; i++) {
    if (await locator.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  assert.fail(`Tab never reached ${locator}`);
}

describe("official responses", () => {
  let server;
  let browser;
  let page;
  let hearingPath;
  let organisationPath;

  before(async () => {
    server = await startServer();
    browser = await launchBrowser();
    hearingPath = await findHearingPath(server);
    page = await newPage(browser);
    await signInPerson(page, server, REPRESENTATIVE);
  });

  after(async () => {
    await page?.context().close();
    await browser?.close();
    await server?.dispose();
  });

  test("the hearing page leads the representative to the response page by keyboard", async () => {
    await page.goto(server.url(`${hearingPath}?lang=nn`));
    const link = page.locator("main a", { hasText: "Gi høyringssvar" });
    assert.equal(await link.count(), 1);
    await tabTo(page, link);
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/response$/);
    // The one organisation they represent starts chosen, in a group of radio buttons.
    const group = page.getByRole("group", { name: "Kven svarar du for?" });
    assert.equal(await group.count(), 1);
    const organisationChoice = group.getByRole("radio", { name: ORGANISATION });
    assert.equal(await organisationChoice.isChecked(), true);
    const organisationId = await organisationChoice.getAttribute("value");
    assert.match(organisationId, /^[0-9a-f-]{36}$/);
    assert.equal(await page.locator("input[name=organisation_id]").inputValue(), organisationId);
    // Choosing oneself and back again, by keyboard: arrows move within the group.
    await tabTo(page, organisationChoice);
    await page.keyboard.press("ArrowUp");
    assert.equal(await group.getByRole("radio", { name: /Meg sjølv/ }).isChecked(), true);
    await tabTo(page, page.locator("form.behalf button[type=submit]"));
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/response\?organisation=self/);
    assert.equal(await page.locator("input[name=organisation_id]").inputValue(), "");
    await tabTo(page, page.getByRole("radio", { name: /Meg sjølv/ }));
    await page.keyboard.press("ArrowDown");
    await tabTo(page, page.locator("form.behalf button[type=submit]"));
    await page.keyboard.press("Enter");
    await page.waitForURL(new RegExp(`/response\\?organisation=${organisationId}`));
    assert.equal(await page.locator("input[name=organisation_id]").inputValue(), organisationId);
    organisationPath = `${hearingPath}/response?organisation=${organisationId}`;
  });

  test("a refused attachment shows the error and keeps the text", async () => {
    await page.goto(server.url(`${organisationPath}&lang=nn`));
    await page.locator("#response-text").focus();
    await page.keyboard.type("Vi meiner at transport må vere eit eige tema.");
    await page.locator("#attachments").setInputFiles({
      name: "svar.pdf",
      mimeType: "application/pdf",
      buffer: Buffer.from("<!doctype html><title>x</title>"),
    });
    await page.locator("main form.response-form button[type=submit]").focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("#response-error");
    assert.match(await page.locator("#response-error").textContent(), /verken PDF eller Word/);
    assert.equal(
      await page.locator("#response-text").inputValue(),
      "Vi meiner at transport må vere eit eige tema.",
    );
    const described = await page.locator("#response-text").getAttribute("aria-describedby");
    assert.match(described, /response-error/, "the error is tied to the field");
    await assertNoViolations(page, "response page with an error");
  });

  test("the representative sends the response and a new version by keyboard", async () => {
    await page.goto(server.url(`${organisationPath}&lang=nn`));
    await page.locator("#response-text").focus();
    await page.keyboard.type("Pensjonistlaget støttar planprogrammet.\n\nVi saknar meir om transport.");
    // Tick the first section with the keyboard.
    const firstSection = page.locator("input[name=section_ids]").first();
    await tabTo(page, firstSection);
    await page.keyboard.press("Space");
    assert.equal(await firstSection.isChecked(), true);
    await page.locator("#attachments").setInputFiles({ name: "Høyringssvar.pdf", mimeType: "application/pdf", buffer: PDF });
    const submit = page.locator("main form.response-form button[type=submit]");
    await tabTo(page, submit);
    await page.keyboard.press("Enter");
    await page.waitForURL(/saved=1/);
    assert.match(await page.locator("#saved").textContent(), /versjon 1/);
    assert.match(await page.locator(".response-version.current .response-text").textContent(), /transport/);
    assert.equal(await page.locator(".attachments a").count(), 1);

    await page.locator("#response-text").fill("Pensjonistlaget støttar planprogrammet, med ei endring.");
    await page.locator("main form.response-form button[type=submit]").focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/saved=2/);
    assert.equal(await page.locator("details.response-version").count(), 1, "version 1 in the history");
    // The history opens with the keyboard.
    await tabTo(page, page.locator("details.response-version summary"));
    await page.keyboard.press("Enter");
    assert.equal(await page.locator("details.response-version").getAttribute("open"), "");
  });

  for (const lang of LANGS) {
    test(`the response page in ${lang} has no axe violations`, async () => {
      for (const path of [`${hearingPath}/response`, organisationPath]) {
        const separator = path.includes("?") ? "&" : "?";
        const response = await page.goto(server.url(`${path}${separator}lang=${lang}`));
        assert.equal(response.status(), 200, path);
        assert.equal(await page.getAttribute("html", "lang"), lang);
        await page.locator("details.response-version").evaluateAll((all) => {
          for (const d of all) d.open = true;
        });
        await assertNoViolations(page, `${path} in ${lang}`);
      }
    });
  }

  test("the planner sees the response in the workbench, and the page passes axe", async () => {
    const planner = await newPage(browser);
    try {
      await signIn(planner, server, DEMO_PLANNER);
      await planner.goto(server.url("/planner?lang=nn"));
      const hearingId = hearingPath.split("/").pop();
      await planner.goto(server.url(`/planner/hearings/${hearingId}?lang=nn`));
      const row = planner.locator("#responses tbody tr", { hasText: ORGANISATION });
      assert.equal(await row.count(), 1);
      assert.equal((await row.locator(".response-versions").textContent()).trim(), "2");
      const responsePath = await row.locator("a").getAttribute("href");

      // A new version arrives live: announced, and the row counts it.
      await planner.waitForSelector('#responses[data-live="connected"]', { timeout: 10_000 });
      const organisationId = new URLSearchParams(organisationPath.split("?")[1]).get("organisation");
      const status = await page.evaluate(
        async ({ hearingId, organisationId }) => {
          const form = new FormData();
          form.append("text", "Tredje versjon, sendt medan planleggjaren ser på.");
          form.append("organisation_id", organisationId);
          const response = await fetch(`/api/v1/hearings/${hearingId}/responses`, { method: "POST", body: form });
          return response.status;
        },
        { hearingId, organisationId },
      );
      assert.equal(status, 201);
      await planner.waitForSelector("#responses-live:not([hidden])", { timeout: 10_000 });
      assert.match(await planner.locator("#responses-live").textContent(), new RegExp(`${ORGANISATION}.*3`));
      assert.equal(await planner.locator("#responses-live").getAttribute("role"), "status");
      assert.equal((await row.locator(".response-versions").textContent()).trim(), "3");
      await assertNoViolations(planner, "workbench with a live notice");
      for (const lang of LANGS) {
        for (const path of [`/planner/hearings/${hearingId}`, responsePath]) {
          const response = await planner.goto(server.url(`${path}?lang=${lang}`));
          assert.equal(response.status(), 200, path);
          await assertNoViolations(planner, `${path} in ${lang}`);
        }
      }
    } finally {
      await planner.context().close();
    }
  });

  test("two-editor conflict: the second to send sees the first's text beside their own and merges", async () => {
    const second = await newPage(browser);
    try {
      await signInPerson(second, server, SECOND_REPRESENTATIVE);
      // Both open the same version of the association's response.
      await page.goto(server.url(`${organisationPath}&lang=nn`));
      await second.goto(server.url(`${organisationPath}&lang=nn`));
      const basedOn = await page.locator("input[name=based_on_version]").inputValue();
      assert.equal(await second.locator("input[name=based_on_version]").inputValue(), basedOn);

      await page.locator("#response-text").fill("Leiaren si utgåve: vi vil ha fleire benker.");
      await page.locator("main form.response-form button[type=submit]").focus();
      await page.keyboard.press("Enter");
      await page.waitForURL(new RegExp(`saved=${Number(basedOn) + 1}`));

      await second.locator("#response-text").fill("Nestleiaren si utgåve: vi vil ha betre lys.");
      await second.locator("main form.response-form button[type=submit]").focus();
      await second.keyboard.press("Enter");
      await second.waitForSelector("#conflict-current");
      assert.match(await second.locator("#response-error").textContent(), /Nokon andre sende ein ny versjon/);
      assert.equal(
        (await second.locator("#conflict-current").textContent()).trim(),
        "Leiaren si utgåve: vi vil ha fleire benker.",
      );
      assert.equal(await second.locator("#response-text").inputValue(), "Nestleiaren si utgåve: vi vil ha betre lys.");
      assert.equal(
        await second.locator("input[name=based_on_version]").inputValue(),
        String(Number(basedOn) + 1),
      );
      await assertNoViolations(second, "the response page after a conflict");

      // The second editor merges by keyboard and sends again.
      await second.locator("#response-text").focus();
      await second.keyboard.press("Control+Home");
      await second.keyboard.type("Leiaren si utgåve: vi vil ha fleire benker. ");
      await tabTo(second, second.locator("main form.response-form button[type=submit]"));
      await second.keyboard.press("Enter");
      await second.waitForURL(new RegExp(`saved=${Number(basedOn) + 2}`));
      assert.equal(
        (await second.locator(".response-version.current .response-text").textContent()).trim(),
        "Leiaren si utgåve: vi vil ha fleire benker. Nestleiaren si utgåve: vi vil ha betre lys.",
      );
      // Nothing was lost: the first editor's version is in the history.
      const history = await second.locator("details.response-version .response-text").allTextContents();
      assert.ok(history.some((t) => t.trim() === "Leiaren si utgåve: vi vil ha fleire benker."), history.join("\n"));
    } finally {
      await second.context().close();
    }
  });
});
