// Shared by the end-to-end tests: a sandbox server per test file, headless Chromium (Debian's,
// through playwright-core), CSP and page-error tracking, axe-core, screenshots.
import { spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import assert from "node:assert/strict";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../../", import.meta.url));
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");
export const SCREENSHOTS = `${root}test-results/screenshots`;
mkdirSync(SCREENSHOTS, { recursive: true });
export const TOKEN = "e2e-token";

/**
 * Starts the sandbox (built by scripts/test) on a free port, serving `pkg` (a directory of the
 * repository) at /pkg/, with the bulk sample's customers when `sample` and a seeded mix of
 * failures when `faults` ("rate=0.2,seed=7"), and any further `args`; resolves to
 * { url, stop, kill }.
 */
export function startSandbox({ today, data, token = TOKEN, pkg = "pkg", www = "www", sample = false, faults, args: extra = [] } = {}) {
  const args = ["--port", "0", "--seed-demo", "--www", `${root}${www}`, "--pkg", `${root}${pkg}`, "--token", token, ...extra];
  if (sample) args.push("--seed-sample");
  if (faults) args.push("--faults", faults);
  if (today) args.push("--today", today);
  if (data) args.push("--data", data);
  const child = spawn(`${root}target/debug/csp-sandbox`, args, { stdio: ["ignore", "pipe", "inherit"] });
  return new Promise((resolve, reject) => {
    let output = "";
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`csp-sandbox exited with ${code}: ${output}`)));
    child.stdout.on("data", (chunk) => {
      output += chunk;
      const match = output.match(/^URL: (\S+)\/$/m);
      if (match) {
        resolve({
          url: match[1],
          stop: () => new Promise((done) => {
            child.removeAllListeners("exit");
            child.on("exit", done);
            child.kill("SIGTERM");
          }),
          /** `kill -9`: no shutdown of any kind. */
          kill: () => new Promise((done) => {
            child.removeAllListeners("exit");
            child.on("exit", done);
            child.kill("SIGKILL");
          }),
        });
      }
    });
  });
}

export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run", "--disable-sync"],
  });
}

/**
 * A page with CSP violations and page errors recorded. `path` is the page's path and query;
 * the token goes in the fragment, as the demo URL does.
 */
export async function openPage(browser, sandbox, { path = "/", locale = "en-US", timezoneId, token = TOKEN, clock } = {}) {
  const context = await browser.newContext({ locale, timezoneId, viewport: { width: 1100, height: 1000 } });
  const page = await trackedPage(context);
  if (clock) await page.clock.install({ time: clock });
  await page.goto(`${sandbox.url}${path}${token ? `#token=${token}` : ""}`);
  await page.waitForSelector("html[data-ready=true]");
  return page;
}

/**
 * The customer accepts by `link`, in a browser of their own (the acceptance page asks for no
 * sign-in, as Microsoft's does); `asks`, when given, is a text the page shows first.
 */
export async function acceptAsCustomer(browser, link, { asks } = {}) {
  const context = await browser.newContext();
  const page = await trackedPage(context);
  await page.goto(link);
  if (asks) await page.getByText(asks).waitFor();
  await page.getByRole("button", { name: "Accept the Microsoft Customer Agreement" }).click();
  await page.getByRole("status").getByText("Accepted.").waitFor();
  await context.close();
}

/** A new page of `context` (or of `browser`) whose CSP violations and errors `assertClean` checks. */
export async function trackedPage(context) {
  const page = await context.newPage();
  page.problems = [];
  await page.addInitScript(() => {
    window.__csp = [];
    document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  page.on("pageerror", (error) => page.problems.push(`page error: ${error.message}`));
  page.console = [];
  page.on("console", (message) => {
    page.console.push(message.text());
    if (message.type() === "error") page.problems.push(`console error: ${message.text()}`);
  });
  // The threat model's claims, watched in every flow (assertClean checks them).
  page.requests = [];
  page.on("request", (request) => page.requests.push(request.url()));
  page.unprotected = [];
  page.on("response", (response) => {
    const headers = response.headers();
    if (new URL(response.url()).protocol === "http:" && (!headers["content-security-policy"] || headers["x-content-type-options"] !== "nosniff")) {
      page.unprotected.push(`${response.status()} ${response.url()}`);
    }
  });
  return page;
}

/** An email address or a phone number, as the forms and the sample take them. */
const PERSONAL = /[^\s@"']+@[^\s@"']+\.[a-z]{2,}|\+\d[\d ]{6,}/i;

/**
 * No CSP violation, no page error, no console error so far; and the threat model's claims: the
 * token is in no storage, the console never showed an email address or a phone number, no
 * request left for another origin, every response of the sandbox carried the CSP and
 * `X-Content-Type-Options: nosniff`.
 */
export async function assertClean(page) {
  const csp = await page.evaluate(() => window.__csp);
  assert.deepEqual(csp, [], "CSP violations");
  assert.deepEqual(page.problems.filter((p) => !EXPECTED_CONSOLE.some((re) => re.test(p))), [], "page errors");
  const storage = await page.evaluate(() => JSON.stringify([{ ...sessionStorage }, { ...localStorage }]));
  for (const secret of [TOKEN, "Bearer"]) assert.ok(!storage.includes(secret), `the storage holds "${secret}"`);
  // What lasts beyond the tab (IndexedDB: the ledger, the bulk journal) holds no token, no
  // personal data and no acceptance link.
  const lasting = await page.evaluate(readIndexedDb);
  for (const secret of [TOKEN, "Bearer"]) assert.ok(!lasting.includes(secret), `IndexedDB holds "${secret}"`);
  assert.doesNotMatch(lasting, PERSONAL, "personal data in IndexedDB");
  assert.doesNotMatch(lasting, /\/accept\/|attestationid=/i, "an acceptance link in IndexedDB");
  assert.deepEqual(page.console.filter((text) => PERSONAL.test(text)), [], "personal data in the console");
  const origin = new URL(page.url()).origin;
  const elsewhere = page.requests.filter((url) => /^https?:/.test(url) && new URL(url).origin !== origin);
  assert.deepEqual(elsewhere, [], "requests to another origin");
  assert.deepEqual(page.unprotected, [], "responses without the CSP or nosniff");
}

/** Every record of every IndexedDB database of the page's origin, as one JSON text. */
async function readIndexedDb() {
  const all = [];
  for (const { name } of await indexedDB.databases()) {
    const db = await new Promise((resolve, reject) => {
      const open = indexedDB.open(name);
      open.onsuccess = () => resolve(open.result);
      open.onerror = () => reject(open.error);
    });
    for (const store of db.objectStoreNames) {
      const records = await new Promise((resolve, reject) => {
        const read = db.transaction(store).objectStore(store).getAll();
        read.onsuccess = () => resolve(read.result);
        read.onerror = () => reject(read.error);
      });
      all.push({ name, store, records });
    }
    db.close();
  }
  return JSON.stringify(all);
}

// A refused request the test provokes on purpose is logged by the browser as a failed resource.
// A connection the sandbox drops on purpose (a fault "after-commit") is logged as an empty response.
const EXPECTED_CONSOLE = [
  /Failed to load resource: the server responded with a status of (400|401|403|409|503)/,
  /Failed to load resource: net::ERR_EMPTY_RESPONSE/,
];

/** axe-core on the page as it is now: no violation. */
export async function assertAccessible(page, state) {
  await page.evaluate(AXE);
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
  });
  assert.deepEqual(violations, [], `axe violations (${state})`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** Adds a failure to the sandbox's next matching requests. */
export async function injectFault(sandbox, fault) {
  const response = await fetch(`${sandbox.url}/sandbox/faults`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify(fault),
  });
  assert.equal(response.status, 204);
}

/** The sandbox's API, for checking what was stored. */
export async function api(sandbox, path) {
  const response = await fetch(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } });
  return response.json();
}

export const CUSTOMERS = {
  FR: "0f6a3c4e-5b1d-4e8a-9c2f-7d1e3a5b9c01",
  DE: "1a7b4d5f-6c2e-4f9b-8d3a-8e2f4b6c0d02",
  US: "2b8c5e6a-7d3f-4a1c-9e4b-9f3a5c7d1e03",
  JP: "3c9d6f7b-8e4a-4b2d-8f5c-0a4b6d8e2f04",
  ES: "5e1f8b9d-0a6c-4d4f-8b7e-2c6d8f0a4b06",
};
