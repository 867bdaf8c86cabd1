// The sign-in page of a municipality with its own identity provider: the provider's
// button in every language, reachable by keyboard, axe-clean and reflowing at 320 px,
// and a provider that does not answer gives a page that says so (not an error dump).
// The flow itself runs against a real provider in tests/tests/e2e/oidc_sign_in.rs.

import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import {
  LANGS,
  axeViolations,
  formatViolations,
  freePort,
  launchBrowser,
  newPage,
  reflowViolations,
  startServer,
} from "./harness.mjs";

const LABEL = "Fjordvik kommune (tilsette)";
const BUTTON = {
  nn: `Logg inn med ${LABEL}`,
  nb: `Logg inn med ${LABEL}`,
  en: `Sign in with ${LABEL}`,
};
// A browser set to the language, as the reader's own would be.
const LOCALE = { nn: "nn-NO", nb: "nb-NO", en: "en-GB" };
const UNAVAILABLE = {
  nn: /svarer ikkje no/,
  nb: /svarer ikke nå/,
  en: /does not answer right now/,
};

describe("sign-in with the municipality's identity provider", () => {
  let server;
  let browser;

  before(async () => {
    // An issuer on a port where nothing listens: the page lists the provider without
    // asking it anything; following the button finds it unavailable.
    const silent = await freePort();
    server = await startServer({
      env: {
        SAMRAD_SIGN_IN_PROVIDERS: `[{id="fjordvik-tilsette", municipality="fjordvik", label="${LABEL}", audience="staff", issuer="http://127.0.0.1:${silent}", client_id="samrad", client_secret="not-a-real-secret"}]`,
      },
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await server?.dispose();
  });

  for (const lang of LANGS) {
    test(`the provider's button (${lang}) by keyboard, axe-clean, 320 px`, async () => {
      const page = await newPage(browser, { locale: LOCALE[lang] });
      try {
        await page.goto(server.url("/sign-in"));
        const button = page.locator("main a.button-link", { hasText: BUTTON[lang] });
        assert.equal(await button.count(), 1);
        assert.equal(await button.getAttribute("href"), "/sign-in/oidc/fjordvik-tilsette");
        const violations = await axeViolations(page);
        assert.equal(violations.length, 0, formatViolations(violations));
        assert.deepEqual(await reflowViolations(page), []);

        // Tab reaches the button; Enter follows it.
        let reached = false;
        for (let i = 0; i < 30 && !reached; i++) {
          await page.keyboard.press("Tab");
          reached = await button.evaluate((el) => el === document.activeElement);
        }
        assert.ok(reached, "the button is in the tab order");
        const [answer] = await Promise.all([
          page.waitForResponse((r) => r.url().includes("/sign-in/oidc/fjordvik-tilsette")),
          page.keyboard.press("Enter"),
        ]);
        assert.equal(answer.status(), 502);
        await page.waitForLoadState();
        assert.match(await page.locator("main [role=alert]").textContent(), UNAVAILABLE[lang]);
        const after = await axeViolations(page);
        assert.equal(after.length, 0, formatViolations(after));
      } finally {
        await page.context().close();
      }
    });
  }
});
