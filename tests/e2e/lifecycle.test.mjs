// The lifecycle of attestations across days, tabs and people, driven by labels: a partner sends
// the agreement to customers from a file, the customers accept it some day in browsers of their
// own (or never, and the link expires as the sandbox's day moves on), and the partner, back in a
// new tab, checks every attestation and completes the accepted ones. Then the same file, one
// cell fixed, is sent again: no customer with an attestation waiting or completed gets another.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { api, assertAccessible, assertClean, CUSTOMERS, launch, screenshot, startSandbox, TOKEN, trackedPage } from "./harness.mjs";

const DAY0 = "2026-12-01";
const DAY4 = "2026-12-05";
const DAY8 = "2026-12-09";
const SAMPLE = readFileSync(fileURLToPath(new URL("../../www/samples/customers-1000.csv", import.meta.url)), "utf8");
const [HEADER, ...ROWS] = SAMPLE.trim().split("\r\n");
// Twenty rows of the sample that are valid and whose customers hold no agreement yet (every
// tenth row of the sample is wrong, every fortieth customer already holds the agreement).
const TWENTY = [...Array.from({ length: 8 }, (_, i) => 901 + i), ...Array.from({ length: 9 }, (_, i) => 910 + i), 921, 922, 923];
const WRONG = 909; // its email is written "….at.sample.example": one cell to fix
const company = (n) => `Sample Customer ${String(n).padStart(4, "0")}`;

let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox({ today: DAY0, sample: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

function file(name, numbers, fix = false) {
  const rows = numbers.map((n) => {
    const row = ROWS[n - 1];
    return fix && n === WRONG ? row.replace(".at.sample.example", "@sample.example") : row;
  });
  return { name, mimeType: "text/csv", buffer: Buffer.from([HEADER, ...rows].join("\r\n") + "\r\n") };
}

async function moveSandboxDay(days) {
  const response = await fetch(`${sandbox.url}/sandbox/clock`, {
    method: "POST",
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body: JSON.stringify({ days }),
  });
  return (await response.json()).today;
}

/** A tab of the partner's browser on `day`, the token given as the demo gives it. */
async function partnerTab(context, day) {
  const page = await trackedPage(context);
  await page.goto(`${sandbox.url}/?today=${day}#token=${TOKEN}`);
  await page.waitForSelector("html[data-ready=true]");
  return page;
}

async function sendFile(page, upload, button) {
  await page.getByRole("tab", { name: "Many customers" }).click();
  const panel = page.getByRole("tabpanel", { name: "Many customers" });
  await panel.getByLabel("CSV file").setInputFiles(upload);
  await panel.getByRole("button", { name: "Check the rows" }).click();
  await panel.getByRole("button", { name: button }).click();
  await panel.getByRole("status").filter({ hasText: "Finished." }).waitFor({ timeout: 60_000 });
  return { panel, counts: await panel.locator("#bulk-counts").textContent() };
}

/** The sandbox's attestations by company (the customer is bound at completion). */
async function attestationsByCompany() {
  const records = await api(sandbox, "/sandbox/records");
  const by = new Map();
  for (const a of records.attestations) by.set(a.companyName, [...(by.get(a.companyName) ?? []), a]);
  return { by, records };
}

test("20 rows sent from a file, 12 accepted elsewhere, 3 expired; back in a new tab: check all, complete all accepted; the file again sends nothing twice", async () => {
  const partner = await browser.newContext({ locale: "en-US", viewport: { width: 1100, height: 1000 } });

  // Day 0: three of the customers are sent the agreement first.
  let page = await partnerTab(partner, DAY0);
  let sent = await sendFile(page, file("first-three.csv", TWENTY.slice(0, 3)), "Create the acceptance links of the 3 valid rows");
  assert.match(sent.counts, /3 of 3 rows done: 3 sent/);
  await assertClean(page);
  await page.close();

  // Four days later, the whole file (its row 909 wrong): the three are not sent again.
  assert.equal(await moveSandboxDay(4), DAY4);
  page = await partnerTab(partner, DAY4);
  sent = await sendFile(page, file("customers.csv", [...TWENTY, WRONG]), "Create the acceptance links of the 20 valid rows");
  assert.match(sent.counts, /20 of 20 rows done: 17 sent, 3 already confirmed \(skipped\), 0 failed/);
  const download = page.waitForEvent("download");
  await sent.panel.getByRole("button", { name: "Download the report (CSV)" }).click();
  const report = readFileSync(await (await download).path(), "utf8");
  assert.equal((report.match(/acceptance link already created on December 1, 2026, waiting for the customer/g) ?? []).length, 3);
  await assertClean(page);
  // The tab is closed: nothing of the lifecycle lives in it.
  await page.close();

  // Twelve of the seventeen accept, in a browser of their own, that same day.
  const { by } = await attestationsByCompany();
  const fresh = TWENTY.slice(3).map((n) => by.get(company(n))[0]);
  assert.ok(fresh.every((a) => a.createdOn.startsWith(DAY4)));
  const customers = await browser.newContext();
  const customerPage = await trackedPage(customers);
  for (const attestation of fresh.slice(0, 12)) {
    await customerPage.goto(`${sandbox.url}/accept/${attestation.id}`);
    await customerPage.getByRole("button", { name: "Accept the Microsoft Customer Agreement" }).click();
    await customerPage.getByRole("status").getByText("Accepted.").waitFor();
  }
  await assertClean(customerPage);
  await customers.close();

  // Eight days after the first sending: its three links expired (they work 7 days); the five
  // sent on day 4 still wait.
  assert.equal(await moveSandboxDay(4), DAY8);
  page = await partnerTab(partner, DAY8);
  await page.getByRole("tab", { name: "Acceptances" }).click();
  const panel = page.getByRole("tabpanel", { name: "Acceptances" });
  const counts = panel.locator("#acceptances-counts");
  await panel.getByRole("button", { name: "Check all" }).click();
  await page.locator("#status").getByText("17 attestations checked; accepted by the customer: 12.").waitFor({ timeout: 60_000 });
  // Three expired, and the demo's own attestation to Lucerne Publishing, sent before day 0.
  await counts.getByText("Waiting: 5 · Accepted: 12 · Expired: 4 · Recorded: 0 · Unknown: 0").waitFor();
  await assertAccessible(page, "acceptances checked");
  await screenshot(page, "acceptances-checked");

  await panel.getByRole("button", { name: "Complete all accepted" }).click();
  await page.locator("#status").getByText("12 agreements recorded.").waitFor({ timeout: 60_000 });
  await counts.getByText("Waiting: 5 · Accepted: 0 · Expired: 4 · Recorded: 12 · Unknown: 0").waitFor();
  for (const n of TWENTY.slice(0, 3)) {
    await panel.getByRole("button", { name: `Create a new link for ${company(n)}` }).waitFor();
  }
  await assertAccessible(page, "acceptances completed");
  await screenshot(page, "acceptances-completed");
  const afterCompletion = await api(sandbox, "/sandbox/records");
  const recorded = afterCompletion.agreements.filter((a) => a.type === "MicrosoftCustomerAgreement" && a.dateAgreed === DAY4);
  assert.equal(recorded.length, 12, "exactly twelve agreements recorded");
  assert.equal(new Set(recorded.map((a) => a.customerId)).size, 12);

  // The same file with its wrong cell fixed: the 17 customers with an attestation waiting or
  // completed get none; the three expired ones and the fixed row are sent.
  sent = await sendFile(page, file("customers-fixed.csv", [...TWENTY, WRONG], true), "Create the acceptance links of the 21 valid rows");
  assert.match(sent.counts, /21 of 21 rows done: 4 sent, 17 already confirmed \(skipped\), 0 failed/);
  const after = await attestationsByCompany();
  for (const n of TWENTY.slice(3)) assert.equal(after.by.get(company(n)).length, 1, `${company(n)}: no second attestation`);
  for (const n of TWENTY.slice(0, 3)) assert.equal(after.by.get(company(n)).length, 2, `${company(n)}: sent again once expired`);
  assert.equal(after.by.get(company(WRONG)).length, 1);
  await assertClean(page);
  await partner.close();
});

test("the element follows its customer-id: another customer starts afresh, the first one's attestation comes back", async () => {
  const { today } = await api(sandbox, "/sandbox/clock");
  const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  const page = await trackedPage(context);
  await page.goto(`${sandbox.url}/embed.html?today=${today}#token=${TOKEN}`);
  await page.waitForSelector("html[data-ready=true]");
  const element = page.locator("csp-agreement-confirmation");
  const group = element.getByRole("group", { name: "Have the customer accept the agreement" });
  await group.getByLabel("First name").pressSequentially("Tania");
  await group.getByLabel("Last name").pressSequentially("Carr");
  await group.getByLabel("Email address").pressSequentially("tania.carr@northwind.example");
  await group.getByLabel("Country/region").selectOption("US");
  await element.getByRole("button", { name: "Create the acceptance link" }).click();
  const link = element.getByLabel("Acceptance link for the customer");
  await link.waitFor();
  const first = await link.inputValue();

  // Another customer: nothing of the first one's stays (no panel, no typed data), and nothing
  // it would send could name the first one's attestation.
  await element.evaluate((e, id) => e.setAttribute("customer-id", id), CUSTOMERS.ES);
  await group.getByLabel("First name").waitFor();
  assert.equal(await link.count(), 0, "the first customer's attestation is not shown for the second");
  assert.equal(await element.getByRole("button", { name: "Complete" }).count(), 0);
  for (const label of ["First name", "Last name", "Email address"]) {
    assert.equal(await group.getByLabel(label).inputValue(), "", `${label}: the first customer's value is gone`);
  }
  // The second customer can be sent its own.
  await group.getByLabel("First name").pressSequentially("José");
  await group.getByLabel("Last name").pressSequentially("Núñez");
  await group.getByLabel("Email address").pressSequentially("jose.nunez@adatum.example");
  await group.getByLabel("Country/region").selectOption("ES");
  await element.getByRole("button", { name: "Create the acceptance link" }).click();
  await link.waitFor();
  assert.notEqual(await link.inputValue(), first);

  // Back to the first customer: its attestation comes back from the ledger, waiting.
  await element.evaluate((e, id) => e.setAttribute("customer-id", id), CUSTOMERS.US);
  await element.getByRole("button", { name: "Check again" }).waitFor();
  assert.equal(await link.inputValue(), first);
  const created = await page.evaluate(() => window.__events.filter((e) => e.type === "attestation-created").map((e) => e.detail.customerId));
  assert.deepEqual(created, [CUSTOMERS.US, CUSTOMERS.ES]);
  await assertAccessible(page, "element, back to the first customer");
  await assertClean(page);
  await context.close();
});
