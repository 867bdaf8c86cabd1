// Shared helpers for the browser tests: start a real `samrad serve --demo` in a
// fresh data folder, launch Debian's chromium through playwright-core, run axe.
//
// Each *.test.mjs file runs in its own process (node --test), so each file starts
// one server and one browser and reuses them for all its tests.

import { spawn } from "node:child_process";
import { accessSync, constants as fsConstants, statSync } from "node:fs";
import { mkdtemp, readFile, readdir, rm, stat } from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { chromium } from "playwright-core";
import { AxeBuilder } from "@axe-core/playwright";

export const LANGS = ["nn", "nb", "en"];
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

const READY_TIMEOUT_MS = 20_000;
const SHUTDOWN_TIMEOUT_MS = 10_000;
const LOG_LIMIT = 64 * 1024;

/** Races a promise against a timer that is cleared afterwards (so it cannot keep node alive). */
async function within(promise, ms) {
  let timer;
  const expired = new Promise((resolve) => {
    timer = setTimeout(() => resolve(null), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}

/** The server binary from SAMRAD_BIN; throws (never skips) when it is not usable. */
export function serverBinary() {
  const bin = process.env.SAMRAD_BIN;
  if (!bin) {
    throw new Error(
      "SAMRAD_BIN is not set. Build the server and point SAMRAD_BIN at it, e.g.\n" +
        "  cargo build -p samrad && SAMRAD_BIN=$PWD/target/debug/samrad npm test",
    );
  }
  const resolved = path.resolve(bin);
  let stat;
  try {
    stat = statSync(resolved);
  } catch {
    throw new Error(`SAMRAD_BIN=${bin}: no such file (${resolved}). Build it with cargo build -p samrad.`);
  }
  if (!stat.isFile()) throw new Error(`SAMRAD_BIN=${bin} is not a file`);
  try {
    accessSync(resolved, fsConstants.X_OK);
  } catch {
    throw new Error(`SAMRAD_BIN=${bin} is not executable`);
  }
  return resolved;
}

/** A free TCP port on 127.0.0.1: listen on port 0, read the port, close. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Keeps the tail of a stream as text. */
function collect(stream) {
  const log = { text: "" };
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    log.text += chunk;
    if (log.text.length > LOG_LIMIT) log.text = log.text.slice(-LOG_LIMIT);
  });
  return log;
}

/**
 * Starts `samrad serve --demo` on a free port in a new temporary data folder
 * (also its working directory, so no ./samrad.toml is picked up) and waits for
 * GET /readyz to answer 200. `env` adds SAMRAD_* settings for this server only.
 */
export async function startServer({ env: extraEnv = {}, demoInputs = false } = {}) {
  const bin = serverBinary();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), "samrad-browser-"));
  const port = await freePort();
  const bind = `127.0.0.1:${port}`;
  const baseUrl = `http://${bind}`;

  // Hermetic: the developer's own SAMRAD_* settings (database URL, config file…)
  // must not leak into the test server.
  const env = { ...process.env, NO_COLOR: "1" };
  for (const key of Object.keys(env)) {
    if (key.startsWith("SAMRAD_")) delete env[key];
  }
  Object.assign(env, extraEnv);

  // The demo's inputs (campaign, themes, screened personal data) only for the tests
  // that look at them: the others start from a hearing without input.
  const args = ["serve", "--demo", "--bind", bind, "--data-dir", dataDir];
  if (!demoInputs) args.push("--demo-without-inputs");
  const child = spawn(bin, args, {
    cwd: dataDir,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  const stdout = collect(child.stdout);
  const stderr = collect(child.stderr);
  const exited = new Promise((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  let exitInfo = null;
  exited.then((info) => {
    exitInfo = info;
  });
  const spawnError = new Promise((resolve) => child.once("error", resolve));

  const logs = () => `--- server stderr ---\n${stderr.text}\n--- server stdout ---\n${stdout.text}`;

  const server = {
    baseUrl,
    port,
    dataDir,
    pid: child.pid,
    logs,
    get running() {
      return exitInfo === null;
    },
    url: (p) => new URL(p, baseUrl).href,
    /**
     * SIGTERM, then wait at most 10 s. Resolves { code, signal, ms }; throws with
     * the server's output when it does not exit in time (and then kills it).
     */
    async stop() {
      if (exitInfo) return { ...exitInfo, ms: 0, alreadyExited: true };
      const started = Date.now();
      child.kill("SIGTERM");
      const result = await within(exited, SHUTDOWN_TIMEOUT_MS);
      if (!result) {
        child.kill("SIGKILL");
        await exited;
        throw new Error(`server did not exit within ${SHUTDOWN_TIMEOUT_MS / 1000} s of SIGTERM\n${logs()}`);
      }
      return { ...result, ms: Date.now() - started };
    },
    /** Last-resort cleanup for after() hooks: never throws. */
    async dispose() {
      try {
        if (!exitInfo) {
          child.kill("SIGKILL");
          await within(exited, 5_000);
        }
      } finally {
        await rm(dataDir, { recursive: true, force: true }).catch(() => {});
      }
    },
  };

  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastProblem = "no answer yet";
  for (;;) {
    const failedToSpawn = await Promise.race([spawnError, sleep(0).then(() => null)]);
    if (failedToSpawn) {
      await server.dispose();
      throw new Error(`could not start ${bin}: ${failedToSpawn.message}`);
    }
    if (exitInfo) {
      await server.dispose();
      throw new Error(
        `server exited before it was ready (code ${exitInfo.code}, signal ${exitInfo.signal})\n${logs()}`,
      );
    }
    try {
      const response = await fetch(`${baseUrl}/readyz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) break;
      lastProblem = `/readyz answered ${response.status}: ${await response.text()}`;
    } catch (err) {
      lastProblem = `/readyz: ${err.cause?.code ?? err.message}`;
    }
    if (Date.now() > deadline) {
      await server.dispose();
      throw new Error(
        `server was not ready within ${READY_TIMEOUT_MS / 1000} s (${lastProblem})\n${logs()}`,
      );
    }
    await sleep(100);
  }
  return server;
}

export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-quic",
  "--no-first-run",
];

/** Debian's chromium (or $CHROMIUM); playwright never downloads a browser here. */
export async function launchBrowser() {
  const executablePath = process.env.CHROMIUM || "/usr/bin/chromium";
  try {
    accessSync(executablePath, fsConstants.X_OK);
  } catch {
    throw new Error(
      `no chromium at ${executablePath}: install it (apt-get install -y chromium) or set CHROMIUM`,
    );
  }
  return chromium.launch({ executablePath, args: CHROMIUM_ARGS });
}

/**
 * A new browser context whose Accept-Language says nynorsk, so pages without
 * ?lang= or a cookie are in the default language whatever the machine's locale.
 * Page errors and console errors are collected in `page.problems`.
 */
export async function newPage(browser, options = {}) {
  const context = await browser.newContext({
    locale: "nn-NO",
    viewport: { width: 1280, height: 900 },
    ...options,
  });
  const page = await context.newPage();
  page.problems = [];
  page.on("pageerror", (err) => page.problems.push(`pageerror: ${err.message}`));
  page.on("console", (msg) => {
    if (msg.type() === "error") page.problems.push(`console.error: ${msg.text()}`);
  });
  return page;
}

/** The path of the demo's open hearing, read from the front page's link. */
export async function findHearingPath(server) {
  const response = await fetch(server.url("/?lang=nn"));
  if (response.status !== 200) throw new Error(`GET / answered ${response.status}`);
  const html = await response.text();
  const match = html.match(/<a href="(\/hearings\/[0-9a-f-]{36})">/);
  if (!match) throw new Error(`the front page links to no hearing:\n${html.slice(0, 2000)}`);
  return match[1];
}

/** The hearing's section ids, in document order, from the server-rendered page. */
export async function sectionIds(page) {
  return page.locator("main section[id^='section-']").evaluateAll((sections) =>
    sections.map((s) => s.id.slice("section-".length)),
  );
}

/**
 * Runs axe with the WCAG 2.0, 2.1 and 2.2 A/AA tags and the checks axe cannot make
 * on its own; returns the violations in axe's shape:
 * - reflow at 320 CSS px (WCAG 1.4.10),
 * - target size (2.5.8): axe's `target-size` rule, switched on by name so it runs
 *   whatever its default, and required to have run,
 * - focus not obscured (2.4.11): every focusable element, focused in turn, is not
 *   covered by a fixed or sticky element,
 * - redundant entry (3.3.7) and input purpose (1.3.5): every field for a person's
 *   name, address or telephone says what it is (or that it is not the reader's own)
 *   with `autocomplete`,
 * - errors and console errors of the page's own scripts (a pattern the browser
 *   cannot compile, for one, is reported there and switches the check off).
 */
export async function axeViolations(page) {
  // options() replaces what withTags() set, so it comes first.
  const results = await new AxeBuilder({ page })
    .options({ rules: { "target-size": { enabled: true } } })
    .withTags(WCAG_TAGS)
    .analyze();
  const ran = [results.passes, results.violations, results.incomplete, results.inapplicable]
    .flat()
    .some((r) => r.id === "target-size");
  if (!ran) throw new Error("axe did not run its target-size rule (WCAG 2.5.8)");
  return [
    ...results.violations,
    ...(await reflowViolations(page)),
    ...(await obscuredFocusViolations(page)),
    ...(await autocompleteViolations(page)),
    ...scriptProblems(page),
  ];
}

/** What may receive focus from the keyboard. */
const FOCUSABLE =
  "a[href], button:not([disabled]), input:not([type=hidden]):not([disabled]), select:not([disabled]), " +
  "textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])";

/**
 * The fixed or sticky elements (not `el` itself, nor what contains it) that cover
 * any part of `el`, as `{ focused, covers: [...] }`; null for no element. Runs in
 * the page, passed as source text (the pages' CSP allows no eval there).
 */
function coveringOf(el) {
  if (!el || el === document.body) return null;
  const name = (e) =>
    `${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\s+/).join(".") : ""}`;
  const rect = el.getBoundingClientRect();
  const covers = [];
  for (const other of document.querySelectorAll("body *")) {
    if (other === el || other.contains(el) || el.contains(other)) continue;
    const style = getComputedStyle(other);
    if ((style.position !== "fixed" && style.position !== "sticky") || style.visibility === "hidden") continue;
    const o = other.getBoundingClientRect();
    if (o.width === 0 || o.height === 0) continue;
    if (o.left < rect.right && o.right > rect.left && o.top < rect.bottom && o.bottom > rect.top) covers.push(name(other));
  }
  return { focused: name(el), covers };
}

/** Focuses each visible element matching `selector` in turn; those `covering` finds covered. */
function focusEach(selector, covering) {
  const before = { el: document.activeElement, x: scrollX, y: scrollY };
  const found = [];
  for (const el of document.querySelectorAll(selector)) {
    if (el.closest("[hidden], [inert]") || el.getClientRects().length === 0) continue;
    el.focus();
    if (document.activeElement !== el) continue;
    const result = covering(el);
    if (result && result.covers.length) {
      found.push({ target: [result.focused], failureSummary: `covered by ${result.covers.join(", ")}` });
    }
  }
  if (before.el && before.el !== document.body) before.el.focus({ preventScroll: true });
  else document.activeElement?.blur();
  scrollTo(before.x, before.y);
  return found;
}

const OBSCURED = {
  id: "focus-not-obscured",
  impact: "serious",
  help: "A focused element is covered by a fixed or sticky element (WCAG 2.4.11)",
  helpUrl: "https://www.w3.org/WAI/WCAG22/Understanding/focus-not-obscured-minimum.html",
};

/** Checks the element that has focus now; a violation in axe's shape, or null. */
export async function focusedObscured(page) {
  const found = await page.evaluate(`(${coveringOf})(document.activeElement)`);
  if (!found || found.covers.length === 0) return null;
  return { ...OBSCURED, nodes: [{ target: [found.focused], failureSummary: `covered by ${found.covers.join(", ")}` }] };
}

/**
 * Focuses every focusable element of the page in document order, as Tab would
 * (the browser scrolls each into view), and reports those a fixed or sticky element
 * covers. Focus and scroll position are restored afterwards.
 */
export async function obscuredFocusViolations(page) {
  const nodes = await page.evaluate(`(${focusEach})(${JSON.stringify(FOCUSABLE)}, ${coveringOf})`);
  return nodes.length === 0 ? [] : [{ ...OBSCURED, nodes }];
}

/**
 * Fields for a person's name, email, telephone or address (by type or by name)
 * must say with `autocomplete` what they hold, so a browser can fill in what the
 * reader entered before (or `off` when it is somebody else's).
 */
export async function autocompleteViolations(page) {
  const nodes = await page.evaluate(() => {
    // A person's own name or contact details (not a group's or an organisation's name).
    const personal = /^(author_name|contact_name|full_name|email|author_email|contact_email|phone|telephone|address|postcode)$/;
    return [...document.querySelectorAll("input, textarea")]
      .filter((el) => el.type !== "hidden" && el.type !== "search")
      .filter((el) => ["email", "tel"].includes(el.type) || personal.test(el.name))
      .filter((el) => !el.getAttribute("autocomplete"))
      .map((el) => ({ target: [`${el.tagName.toLowerCase()}#${el.id || el.name}`], failureSummary: "no autocomplete attribute" }));
  });
  return nodes.length === 0
    ? []
    : [{ id: "personal-data-autocomplete", impact: "moderate", help: "A field for personal data says what it holds with autocomplete (WCAG 1.3.5, 3.3.7)", helpUrl: "https://www.w3.org/WAI/WCAG22/Understanding/redundant-entry.html", nodes }];
}

/** Errors of the page's scripts and what the browser logged as errors, as violations. */
export function scriptProblems(page) {
  // An error page's own status (404, 422…) is logged as a failed load: not a problem.
  const problems = (page.problems ?? []).filter((p) => !p.includes("Failed to load resource: the server responded"));
  return problems.length === 0
    ? []
    : [{ id: "page-errors", impact: "serious", help: "The page logged errors", helpUrl: "about:blank", nodes: problems.map((p) => ({ target: [page.url()], failureSummary: p })) }];
}

/**
 * Tabs through the form `formSelector` from its first field to its last with the
 * keyboard, asserting at each stop that no fixed or sticky element covers the
 * focused element (WCAG 2.4.11). Returns how many stops it made.
 */
export async function tabThroughForm(page, formSelector) {
  const form = page.locator(formSelector);
  const first = form.locator(FOCUSABLE).first();
  await first.focus();
  let stops = 0;
  for (let i = 0; i < 100; i++) {
    const problem = await focusedObscured(page);
    if (problem) throw new Error(`${formSelector}: ${problem.nodes[0].target[0]} ${problem.nodes[0].failureSummary}`);
    stops += 1;
    await page.keyboard.press("Tab");
    if (!(await form.evaluate((f) => f.contains(document.activeElement)))) break;
  }
  return stops;
}

/** The width every page must fit without scrolling sideways (WCAG 1.4.10). */
export const REFLOW_WIDTH = 320;

/**
 * Lays the page out 320 CSS px wide and reports the elements that stick out, in
 * axe's shape. Data tables may scroll inside a region of their own
 * (`.table-scroll`); nothing else may widen the page.
 */
export async function reflowViolations(page) {
  const before = page.viewportSize();
  await page.setViewportSize({ width: REFLOW_WIDTH, height: before?.height ?? 900 });
  try {
    const wide = await page.evaluate((limit) => {
      if (document.documentElement.scrollWidth <= limit) return [];
      return [...document.querySelectorAll("body *")]
        .filter((el) => !el.closest(".table-scroll") && el.getBoundingClientRect().right > limit + 0.5)
        .slice(0, 8)
        .map((el) => ({
          target: [`${el.tagName.toLowerCase()}${el.id ? "#" + el.id : ""}${el.className ? "." + String(el.className).split(" ").join(".") : ""}`],
          failureSummary: `right edge at ${Math.round(el.getBoundingClientRect().right)} px`,
        }));
    }, REFLOW_WIDTH);
    return wide.length === 0
      ? []
      : [{ id: "reflow-320", impact: "serious", help: `The page is wider than ${REFLOW_WIDTH} CSS px (WCAG 1.4.10)`, helpUrl: "https://www.w3.org/WAI/WCAG22/Understanding/reflow.html", nodes: wide }];
  } finally {
    if (before) await page.setViewportSize(before);
  }
}

/** One readable block per violation: id, impact, help, and each node's target. */
export function formatViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .map((n) => `    - ${JSON.stringify(n.target)}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`)
        .join("\n");
      return `  * ${v.id} (${v.impact}): ${v.help}\n    ${v.helpUrl}\n${nodes}`;
    })
    .join("\n");
}

let addressCounter = 0;

/** A fresh address, so no address reaches the limit on confirmation links. */
export function freshEmail(prefix = "innspel") {
  addressCounter += 1;
  return `${prefix}.${Date.now().toString(36)}.${addressCounter}@example.org`;
}

/**
 * Posts a comment over the JSON API from node (not the browser), as someone who is
 * not signed in: it is stored unconfirmed (202). With `confirm` (the default), the
 * author's emailed link is then used, which publishes it.
 */
export async function postCommentApi(server, hearingId, { sectionId, authorName, body, quote, email = freshEmail(), confirm = true }) {
  const response = await fetch(server.url(`/api/v1/hearings/${hearingId}/comments`), {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ section_id: sectionId, author_name: authorName, author_email: email, body, quote }),
  });
  const text = await response.text();
  if (response.status !== 202) {
    throw new Error(`POST comment over the API answered ${response.status}: ${text}`);
  }
  if (confirm) await confirmInput(server, email);
  return JSON.parse(text);
}

/**
 * Confirms the input given under `email` as its author would: the newest
 * confirmation link emailed there, and the POST of the page it opens.
 */
export async function confirmInput(server, email) {
  const { link } = await newestLink(server, email, "/inputs/confirm");
  const token = new URL(link).searchParams.get("token");
  const response = await fetch(server.url("/inputs/confirm"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ token }).toString(),
    redirect: "manual",
  });
  if (response.status !== 303) {
    throw new Error(`confirming the input of ${email} answered ${response.status}: ${await response.text()}`);
  }
  // Confirming signs the author in: their session cookie, as `name=value`.
  const cookie = (response.headers.getSetCookie?.() ?? [])
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("__Host-samrad_session="));
  return { location: response.headers.get("location"), cookie };
}

/** Asks to be deleted, as the person whose session cookie this is. */
export async function deleteMe(server, cookie) {
  const response = await fetch(server.url("/me/delete"), {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie },
    body: new URLSearchParams({ confirm: "yes" }).toString(),
    redirect: "manual",
  });
  if (response.status !== 200) {
    throw new Error(`deletion answered ${response.status}: ${await response.text()}`);
  }
}

/** The demo planner, who signs in with an emailed link. */
export const DEMO_PLANNER = "planleggjar@fjordvik.kommune.example";

/** Undoes quoted-printable transfer encoding (soft line breaks and =XX escapes). */
function decodeQuotedPrintable(text) {
  const joined = text.replace(/=\r?\n/g, "");
  const bytes = [];
  for (let i = 0; i < joined.length; i++) {
    const hex = joined.slice(i + 1, i + 3);
    if (joined[i] === "=" && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(joined[i], "utf8"));
    }
  }
  return Buffer.from(bytes).toString("utf8");
}

/** The text of an .eml file, whichever transfer encoding lettre chose. */
function decodeBody(raw) {
  if (/content-transfer-encoding:\s*base64/i.test(raw)) {
    const split = raw.search(/\r?\n\r?\n/);
    const encoded = raw.slice(split).replace(/\s+/g, "");
    return raw.slice(0, split) + "\n\n" + Buffer.from(encoded, "base64").toString("utf8");
  }
  return raw.includes("quoted-printable") ? decodeQuotedPrintable(raw) : raw;
}

/**
 * The newest link matching `pattern` in an email to `email`: with no SMTP server
 * configured, Samråd writes each email as an .eml file in <data dir>/mail/.
 */
export async function newestSignInLink(server, email, options = {}) {
  return newestLink(server, email, "/sign-in/confirm", options);
}

/** The newest link to `linkPath?token=…` (with its `&next=…`) emailed to `email`. */
export async function newestLink(server, email, linkPath, { after = new Set(), timeoutMs = 15_000 } = {}) {
  const mailDir = path.join(server.dataDir, "mail");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let names = [];
    try {
      names = (await readdir(mailDir)).filter((n) => n.endsWith(".eml") && !after.has(n));
    } catch {
      // The folder appears with the first email.
    }
    // Newest first, so an earlier link to the same address is not picked up.
    const dated = await Promise.all(
      names.map(async (n) => ({ n, t: (await stat(path.join(mailDir, n))).mtimeMs })),
    );
    dated.sort((a, b) => b.t - a.t);
    for (const { n: name } of dated) {
      const raw = await readFile(path.join(mailDir, name), "utf8");
      if (!raw.includes(email)) continue;
      const body = decodeBody(raw);
      const escaped = linkPath.replace(/[/?]/g, "\\$&");
      // With the page to return to afterwards, when the link carries one.
      const match = body.match(new RegExp(`https?:\\/\\/\\S+${escaped}\\?token=[A-Za-z0-9_-]+(?:&next=[A-Za-z0-9%._~/-]+)?`));
      if (match) return { link: match[0], file: name };
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email with a ${linkPath} link to ${email} in ${mailDir} within ${timeoutMs} ms`);
}

/**
 * The path of the one-click unsubscribe link (its `List-Unsubscribe` header) in
 * the newest email to `email` that has one.
 */
export async function newestUnsubscribePath(server, email, { timeoutMs = 15_000 } = {}) {
  const mailDir = path.join(server.dataDir, "mail");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    let names = [];
    try {
      names = (await readdir(mailDir)).filter((n) => n.endsWith(".eml"));
    } catch {
      // The folder appears with the first email.
    }
    for (const name of names) {
      const raw = await readFile(path.join(mailDir, name), "utf8");
      if (!raw.includes(email)) continue;
      const match = raw.match(/^List-Unsubscribe: <https?:\/\/[^/>]+(\/unsubscribe\/[A-Za-z0-9._-]+)>/m);
      if (match) return match[1];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no email with a List-Unsubscribe header to ${email} in ${mailDir} within ${timeoutMs} ms`);
}

/** Signs the page's context in as `email`, by keyboard, through the emailed link. */
export async function signIn(page, server, email = DEMO_PLANNER) {
  await page.goto(server.url("/sign-in?lang=nn"));
  await page.locator("#email").focus();
  await page.keyboard.type(email);
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/sign-in$/);
  const { link } = await newestSignInLink(server, email);
  await page.goto(link);
  await page.locator("main form button[type=submit]").focus();
  await page.keyboard.press("Enter");
  await page.waitForURL(/\/planner$/);
}
