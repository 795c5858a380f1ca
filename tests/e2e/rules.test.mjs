// Validation as the user types, the time-zone rule, the Cloud Agreement's last day, a backend
// error with the typed data kept after a reload, retries, and the timeline.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import {
  assertAccessible, assertClean, CUSTOMERS, injectFault, launch, openPage, screenshot, startSandbox,
} from "./harness.mjs";

let browser;
const sandboxes = [];
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await Promise.all(sandboxes.map((s) => s.stop()));
});

async function sandbox(options) {
  const started = await startSandbox(options);
  sandboxes.push(started);
  return started;
}

/** Opens a seeded customer in the existing-customer flow and its Update form. */
async function openForm(page, company) {
  await page.getByRole("tab", { name: "Existing customer" }).click();
  const panel = page.getByRole("tabpanel", { name: "Existing customer" });
  await panel.getByLabel("Search customers").fill(company);
  await panel.getByRole("button", { name: "Search", exact: true }).click();
  await panel.getByRole("button", { name: new RegExp(company) }).click();
  await panel.getByRole("button", { name: "Update", exact: true }).click();
  return panel;
}

const message = (panel, text) => panel.getByText(text, { exact: false });

test("each error is shown next to its field, and cleared as the user types", async () => {
  const server = await sandbox({ today: "2019-11-20" });
  const page = await openPage(browser, server, { path: "/?today=2019-11-20" });
  const panel = await openForm(page, "Northwind");
  const cases = [
    ["Email address", "someone@", "Enter one email address, like name@example.com.", "someone@example.com"],
    ["First name", "Ta\u0007nia", "First name contains characters that are not allowed", "Tania"],
    ["Last name", "C".repeat(101), "Last name is too long: at most 100 characters.", "Carr"],
    ["Phone number (optional)", "12", "Enter a phone number of 7 to 15 digits", "+1 425 555 0100 x12"],
    ["Date of acceptance of the agreement", "2019-11-21", "You cannot set this to a future date (latest: November 20, 2019).", "2019-11-14"],
  ];
  for (const [label, bad, error, good] of cases) {
    const field = panel.getByLabel(label);
    await field.fill(bad);
    await field.blur();
    const shown = message(panel, error);
    await assert.doesNotReject(shown.waitFor(), label);
    assert.equal(await field.getAttribute("aria-invalid"), "true", label);
    const describedBy = await field.getAttribute("aria-describedby");
    assert.match(await page.locator(`#${describedBy.split(" ").at(-1)}`).innerText(), new RegExp(error.slice(0, 20).replace(/[()]/g, "\\$&")), label);
    await assertAccessible(page, `${label} in error`);
    await field.fill(good);
    await assert.doesNotReject(shown.waitFor({ state: "hidden" }), `${label} cleared`);
    assert.equal(await field.getAttribute("aria-invalid"), null, label);
  }
  // Before the Customer Agreement was available: a warning, not an error.
  await panel.getByLabel("Date of acceptance of the agreement").fill("2019-09-15");
  await assert.doesNotReject(message(panel, "before the Microsoft Customer Agreement was available").waitFor());
  // The role of the signed-in user.
  await page.getByLabel("Your role (signed-in user)").selectOption("helpdesk-agent");
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  const summary = panel.getByRole("alert").filter({ hasText: "There is a problem" });
  await assert.doesNotReject(summary.getByText("Only an admin agent or a sales agent can confirm").waitFor());
  await assertAccessible(page, "role not allowed");
  await assertClean(page);
  await page.context().close();
});

test("keyboard only: Enter submits, the summary takes focus, its links lead to the fields", async () => {
  const server = await sandbox({ today: "2019-11-20" });
  const page = await openPage(browser, server, { path: "/?today=2019-11-20" });
  const panel = await openForm(page, "Northwind");
  await panel.getByLabel("First name").focus();
  await page.keyboard.press("Enter");
  const summary = panel.getByRole("alert").filter({ hasText: "There is a problem" });
  await assert.doesNotReject(summary.waitFor());
  assert.ok(await summary.evaluate((el) => el === document.activeElement));
  // The links come in the order of the fields.
  const links = await summary.getByRole("link").allInnerTexts();
  assert.deepEqual(links, ["First name is required.", "Last name is required.", "Email address is required.", "Date of acceptance of the agreement is required."]);
  await page.keyboard.press("Tab");
  const first = summary.getByRole("link", { name: "First name is required." });
  assert.ok(await first.evaluate((el) => el === document.activeElement), "the first link follows the summary");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  assert.ok(await panel.getByLabel("Last name").evaluate((el) => el === document.activeElement));
  await assertClean(page);
  await page.context().close();
});

test("east of UTC in the small hours: the date input's max and the message follow UTC", async () => {
  const server = await sandbox({ today: "2019-11-14" });
  // 02:30 on 15 November in Kiritimati (UTC+14) is still 14 November in UTC.
  const page = await openPage(browser, server, { timezoneId: "Pacific/Kiritimati", clock: new Date("2019-11-14T12:30:00Z") });
  const panel = await openForm(page, "Northwind");
  const date = panel.getByLabel("Date of acceptance of the agreement");
  assert.equal(await date.getAttribute("max"), "2019-11-14");
  await date.fill("2019-11-15");
  await date.blur();
  await assert.doesNotReject(message(panel, "Partner Center counts days in UTC, where it is still November 14, 2019").waitFor());
  await screenshot(page, "time-zone-kiritimati");
  await date.fill("2019-11-14");
  await assert.doesNotReject(message(panel, "Partner Center counts days in UTC").waitFor({ state: "hidden" }));
  await assertClean(page);
  await page.context().close();
});

async function chooseCloud(panel) {
  await panel.getByLabel("Agreement", { exact: true }).selectOption("MicrosoftCloudAgreement");
  await panel.getByLabel("First name").fill("Jürgen");
  await panel.getByLabel("Last name").fill("Weiß");
  await panel.getByLabel("Email address").fill("j.weiss@fabrikam.example");
  await panel.getByLabel("Date of acceptance of the agreement").fill("2020-01-20");
}

test("the Cloud Agreement on 2020-01-31: accepted, with the last-day warning", async () => {
  const server = await sandbox({ today: "2020-01-31" });
  const page = await openPage(browser, server, { path: "/?today=2020-01-31" });
  assert.match(await page.locator("#today-banner").innerText(), /Demonstration date: January 31, 2020/);
  const panel = await openForm(page, "Fabrikam");
  await chooseCloud(panel);
  await assert.doesNotReject(message(panel, "January 31, 2020 is the last day on which the Microsoft Cloud Agreement is accepted").first().waitFor());
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  await assert.doesNotReject(panel.getByText("Confirmation saved.").or(page.getByText("Confirmation saved.")).first().waitFor());
  await assert.doesNotReject(panel.getByText(/Microsoft Cloud Agreement confirmation: accepted on January 20, 2020 by Jürgen Weiß/).waitFor());
  await assertClean(page);
  await page.context().close();
});

test("the Cloud Agreement on 2020-02-01: refused before sending", async () => {
  const server = await sandbox({ today: "2020-02-01" });
  const page = await openPage(browser, server, { path: "/?today=2020-02-01" });
  const posts = [];
  page.on("request", (r) => r.method() === "POST" && posts.push(r.url()));
  const panel = await openForm(page, "Fabrikam");
  await chooseCloud(panel);
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  const summary = panel.getByRole("alert").filter({ hasText: "There is a problem" });
  await assert.doesNotReject(summary.getByText(/The Microsoft Cloud Agreement is no longer accepted: its last day was January 31, 2020/).waitFor());
  assert.deepEqual(posts, []);
  await assertClean(page);
  await page.context().close();
});

test("a backend error is shown, and what was typed survives a reload", async () => {
  // The page believes it is still 31 January; the server's day is already 1 February.
  const server = await sandbox({ today: "2020-02-01" });
  const page = await openPage(browser, server, { path: "/?today=2020-01-31" });
  const panel = await openForm(page, "Fabrikam");
  await chooseCloud(panel);
  await panel.getByLabel("Phone number (optional)").fill("+49 30 1234567");
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  const notice = panel.getByRole("alert").filter({ hasText: "Partner Center no longer accepts the Microsoft Cloud Agreement" });
  await assert.doesNotReject(notice.waitFor());
  assert.match(await notice.innerText(), /Correlation ID: [0-9a-f-]{36}/);
  await screenshot(page, "backend-error");
  await assertAccessible(page, "backend error");

  // The token left the address bar when the page read it: after a reload the user gives it
  // again, and the customer and the form come back as they were.
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  assert.match(await page.locator("#status").innerText(), /Enter the sandbox token/);
  await page.getByLabel("Sandbox token").fill("e2e-token");
  await page.getByLabel("Sandbox token").press("Tab");
  const again = page.getByRole("tabpanel", { name: "Existing customer" });
  await again.getByLabel("First name").waitFor();
  assert.equal(await again.getByLabel("First name").inputValue(), "Jürgen");
  assert.equal(await again.getByLabel("Last name").inputValue(), "Weiß");
  assert.equal(await again.getByLabel("Email address").inputValue(), "j.weiss@fabrikam.example");
  assert.equal(await again.getByLabel("Phone number (optional)").inputValue(), "+49 30 1234567");
  assert.equal(await again.getByLabel("Date of acceptance of the agreement").inputValue(), "2020-01-20");
  assert.equal(await again.getByLabel("Agreement", { exact: true }).inputValue(), "MicrosoftCloudAgreement");
  const stored = await page.evaluate(() => JSON.stringify(sessionStorage));
  assert.ok(!stored.includes("e2e-token"), "the token is never stored");
  await assertClean(page);
  await page.context().close();
});

test("retryable failures are retried with the same MS-RequestId, then succeed", async () => {
  const server = await sandbox({ today: "2019-11-20" });
  const page = await openPage(browser, server, { path: "/?today=2019-11-20" });
  const panel = await openForm(page, "Northwind");
  await panel.getByLabel("First name").fill("Tania");
  await panel.getByLabel("Last name").fill("Carr");
  await panel.getByLabel("Email address").fill("someone@example.com");
  await panel.getByLabel("Date of acceptance of the agreement").fill("2019-11-14");
  await injectFault(server, { method: "POST", path: `/v1/customers/${CUSTOMERS.US}/agreements`, status: 503, times: 2, retryAfter: 0 });
  const sent = [];
  page.on("request", (request) => {
    if (request.url().includes("/v1/")) sent.push({ method: request.method(), headers: request.headers() });
  });
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  await assert.doesNotReject(panel.getByText(/Confirmation provided: accepted on November 14, 2019 by Tania Carr/).waitFor());
  const posts = sent.filter((r) => r.method === "POST");
  assert.equal(posts.length, 3, "two 503s, then the success");
  assert.equal(new Set(posts.map((r) => r.headers["ms-requestid"])).size, 1, "the same MS-RequestId on every attempt");
  const action = sent.slice(0, sent.indexOf(posts[2]) + 2);
  assert.equal(new Set(action.map((r) => r.headers["ms-correlationid"])).size, 1, "one MS-CorrelationId for the user's action");
  assert.ok(posts.every((r) => r.headers.authorization === "Bearer e2e-token"));
  await assertClean(page);
  await page.context().close();
});

test("no second submission while one is being sent", async () => {
  const server = await sandbox({ today: "2019-11-20" });
  const page = await openPage(browser, server, { path: "/?today=2019-11-20" });
  const panel = await openForm(page, "Adatum");
  await panel.getByLabel("First name").fill("José");
  await panel.getByLabel("Last name").fill("Núñez");
  await panel.getByLabel("Email address").fill("jose@adatum.example");
  await panel.getByLabel("Date of acceptance of the agreement").fill("2019-11-14");
  // The first attempt fails and is retried after a second: time enough to click again.
  await injectFault(server, { method: "POST", path: "/v1/customers/", status: 503, times: 1, retryAfter: 1 });
  let posts = 0;
  page.on("request", (r) => r.method() === "POST" && posts++);
  const save = panel.getByRole("button", { name: "Save", exact: true });
  await save.click();
  assert.ok(await save.isDisabled(), "the button is disabled while sending");
  await page.keyboard.press("Enter");
  await assert.doesNotReject(panel.getByText(/Confirmation provided: accepted on November 14, 2019 by José Núñez/).waitFor());
  assert.equal(posts, 2, "one refused attempt and its retry, nothing more");
  await assertClean(page);
  await page.context().close();
});

test("the timeline answers for a date, and shows what the customer's confirmations allow", async () => {
  const server = await sandbox({ today: "2020-01-31" });
  const page = await openPage(browser, server, { path: "/?today=2020-01-31" });
  await page.getByRole("tab", { name: "Timeline" }).click();
  const panel = page.getByRole("tabpanel", { name: "Timeline" });
  await assert.doesNotReject(panel.getByText("Is the Microsoft Cloud Agreement acceptable on January 31, 2020? Yes.").waitFor());
  await assert.doesNotReject(panel.getByText(/is the last day on which the Microsoft Cloud Agreement is accepted/).first().waitFor());
  assert.ok(await panel.getByRole("img", { name: /Timeline of the move/ }).isVisible());
  await panel.getByLabel("Microsoft Cloud Agreement, accepted on").check();
  const rows = panel.getByRole("table", { name: "What a partner may do on this date" });
  await assert.doesNotReject(rows.getByRole("row", { name: /New orders Allowed/ }).first().waitFor());
  await screenshot(page, "timeline-en");
  await assertAccessible(page, "timeline");

  await panel.getByLabel("Date", { exact: true }).fill("2020-02-01");
  await assert.doesNotReject(panel.getByText("Is the Microsoft Cloud Agreement acceptable on February 1, 2020? No.").waitFor());
  await assert.doesNotReject(rows.getByRole("row", { name: /Seat-count changes Not allowed/ }).waitFor());
  await assert.doesNotReject(rows.getByRole("row", { name: /Renewals Allowed/ }).waitFor());
  await page.getByLabel("Language", { exact: true }).selectOption("fr-FR");
  const chronologie = page.getByRole("tabpanel", { name: "Chronologie" });
  await assert.doesNotReject(chronologie.getByText(/Le Contrat Microsoft Cloud est-il acceptable le 1er février 2020\u202f\? Non\./).waitFor());
  await assert.doesNotReject(chronologie.getByRole("row", { name: /Modifications du nombre de licences Non autorisé/ }).waitFor());
  await screenshot(page, "timeline-fr");
  await assertAccessible(page, "timeline, French");
  await assertClean(page);
  await page.context().close();
});

test("around the retirement: one day rule for the status and the gate, the route judged again at submission", async () => {
  const server = await sandbox({ today: "2026-01-04" });
  // Noon UTC on 4 January is already 5 January in Kiritimati: Partner Center's day is the 4th,
  // the day of the legacy route, when Trey Research's attestation of 2022 still counts.
  const page = await openPage(browser, server, { timezoneId: "Pacific/Kiritimati", clock: new Date("2026-01-04T12:00:00Z") });
  const posts = [];
  page.on("request", (r) => r.method() === "POST" && r.url().includes("/agreements") && posts.push(r.url()));
  const panel = await openForm(page, "Trey Research");
  const standing = await panel.locator("#standing-answer").innerText();
  const gate = await panel.locator("#gate-list li").first().innerText();
  assert.match(standing, /^Yes/, standing);
  assert.match(gate, /^New orders: Allowed/, `the gate agrees with the status: ${gate}`);

  // The form was drawn for the legacy route; the user submits it after 00:00 UTC on the 5th.
  await panel.getByLabel("First name").fill("Mia");
  await panel.getByLabel("Last name").fill("Wong");
  await panel.getByLabel("Email address").fill("mia.wong@trey.example");
  await panel.getByLabel("Date of acceptance of the agreement").fill("2026-01-04");
  await page.clock.setSystemTime(new Date("2026-01-05T00:01:00Z"));
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  await panel.getByText("Partner Center's way of confirming changed since this page was shown").waitFor();
  assert.equal(await panel.getByLabel("Date of acceptance of the agreement").isVisible(), false, "the form follows today's route");
  assert.deepEqual(posts, [], "nothing was sent on the route the form was not drawn for");
  await assertClean(page);
  await page.context().close();
});
