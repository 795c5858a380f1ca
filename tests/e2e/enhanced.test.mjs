// Today's Partner Center, driven by labels: a new customer in 2026 is sent the agreement, accepts
// it on the sandbox's acceptance page in a second browser context, the partner checks again and
// completes, and the customer can be ordered for. The legacy POST is never sent after its
// retirement. Existing customers show one status each (re-acceptance, direct acceptance), the
// portfolio puts the blockers first. axe-core and the CSP are checked in every new state.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { acceptAsCustomer, api, assertAccessible, assertClean, launch, openPage, screenshot, startSandbox } from "./harness.mjs";

const TODAY = "2026-11-24";
let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox({ today: TODAY });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** Every agreement POST of the page: none may be the legacy one (a body without attestationId). */
function recordAgreementPosts(page) {
  const posts = [];
  page.on("request", (request) => {
    if (request.method() === "POST" && /\/v1\/customers\/[^/]+\/agreements$/.test(new URL(request.url()).pathname)) {
      posts.push(JSON.parse(request.postData() ?? "{}"));
    }
  });
  return posts;
}

test("a new customer in 2026: an acceptance link, the customer accepts, check again, complete, order", async () => {
  const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}` });
  const posts = recordAgreementPosts(page);
  const panel = page.getByRole("tabpanel", { name: "New customer" });
  // The enhanced route asks no date of acceptance and names its button for what it does.
  await assert.doesNotReject(panel.getByText(/Since January 5, 2026 Partner Center takes the customer's own acceptance/).waitFor());
  assert.equal(await panel.getByLabel("Date of acceptance of the agreement").isVisible(), false);
  await assertAccessible(page, "new customer, enhanced route");

  await panel.getByLabel("Company name", { exact: true }).fill("Blue Yonder Airlines");
  await panel.getByLabel("Domain name").fill("blueyonder-e2e.onmicrosoft.com");
  await panel.getByLabel("Country/region", { exact: true }).selectOption("DE");
  const contact = panel.getByRole("group", { name: "Primary contact" });
  await contact.getByLabel("First name").fill("Lena");
  await contact.getByLabel("Last name", { exact: true }).fill("Vogel");
  await contact.getByLabel("Email address").fill("lena.vogel@blueyonder.example");
  await panel.getByRole("button", { name: "Continue to the agreement" }).click();
  await panel.getByRole("button", { name: "Create the customer and the acceptance link" }).click();

  const attestation = panel.getByRole("heading", { name: "Acceptance by the customer" });
  await attestation.waitFor();
  await assert.doesNotReject(panel.getByText(/Status: waiting for the customer's acceptance/).waitFor());
  const link = await panel.getByLabel("Acceptance link for the customer").inputValue();
  assert.match(link, /^http:\/\/127\.0\.0\.1:\d+\/accept\/[0-9a-f-]{36}$/);
  await panel.getByRole("img", { name: "QR code of the acceptance link" }).waitFor();
  assert.equal(await panel.getByRole("button", { name: "Complete" }).count(), 0, "nothing to complete before the acceptance");
  await assertAccessible(page, "attestation pending");
  await screenshot(page, "enhanced-pending");

  // The draft keeps the attestation's id (not its link, not the token); the ledger (kept by the
  // sandbox, as a portal's backend would) keeps its record: no link, no name, no address.
  const kept = await page.evaluate(() => sessionStorage.getItem("csp-agreements:draft:v1"));
  assert.match(kept, /"attestationId":"[0-9a-f-]{36}"/);
  assert.doesNotMatch(kept, /e2e-token|accept\//);
  const ledger = await api(sandbox, "/ledger");
  const record = ledger.items.find((r) => link.endsWith(r.attestationId));
  assert.equal(record.status, "Pending");
  assert.equal(record.companyName, "Blue Yonder Airlines");
  assert.doesNotMatch(JSON.stringify(ledger), /accept\/|lena|vogel|e2e-token|@/i);

  // The customer accepts, in a browser of their own.
  await acceptAsCustomer(browser, link, { asks: "Blue Yonder Airlines is asked to accept" });

  // No polling: the page learns of it when asked.
  assert.equal(await panel.getByRole("button", { name: "Complete" }).count(), 0);
  await panel.getByRole("button", { name: "Check again" }).click();
  await panel.getByText(/Status: accepted by the customer/).waitFor();
  await assertAccessible(page, "attestation accepted");
  await panel.getByRole("button", { name: "Complete" }).click();
  await panel.getByRole("heading", { name: "Customer created and acceptance confirmed" }).waitFor();
  await assert.doesNotReject(page.getByRole("status").getByText(/Agreement recorded/).first().waitFor());
  await assertAccessible(page, "attestation completed");
  await screenshot(page, "enhanced-completed");

  // The customer can now be ordered for.
  await panel.getByRole("button", { name: "Open this customer" }).click();
  const existing = page.getByRole("tabpanel", { name: "Existing customer" });
  await existing.locator("#standing-answer").getByText("Yes.").waitFor();
  await existing.getByRole("button", { name: "Simulate an order in the sandbox" }).click();
  await existing.getByText(/The sandbox would accept the order/).waitFor();

  assert.ok(posts.length > 0);
  for (const body of posts) assert.ok(body.attestationId, `a legacy POST was sent: ${JSON.stringify(body)}`);
  await assertClean(page);
});

test("existing customers in 2026: re-acceptance, direct acceptance, sending from the customer's view, a reload", async () => {
  const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}` });
  const posts = recordAgreementPosts(page);
  await page.getByRole("tab", { name: "Existing customer" }).click();
  const panel = page.getByRole("tabpanel", { name: "Existing customer" });
  const open = async (name) => {
    await panel.getByLabel("Search customers (company name or domain)").fill(name);
    await panel.getByRole("button", { name: "Search", exact: true }).click();
    await panel.getByRole("button", { name: new RegExp(`^${name}`) }).click();
    await panel.getByRole("heading", { name: "Account information" }).waitFor();
  };
  const standing = panel.locator("#standing-answer");

  await open("Trey Research");
  await standing.getByText(/predates the refreshed Microsoft Customer Agreement/).waitFor();
  assert.match(await standing.textContent(), /^No\./);
  assert.match(await standing.textContent(), /13605/);
  await panel.getByRole("button", { name: "Simulate an order in the sandbox" }).click();
  await panel.getByText(/403 13605/).waitFor();
  await assertAccessible(page, "customer attested before the refresh");

  await open("Proseware B.V.");
  await standing.getByText(/accepted the Microsoft Customer Agreement directly/).waitFor();
  assert.match(await standing.textContent(), /^Yes\./);

  await open("Litware Ltd");
  assert.match(await standing.textContent(), /^Yes\./);

  // Re-acceptance from the customer's view: the form asks no date and sends for acceptance.
  await open("Trey Research");
  await panel.getByRole("button", { name: "Update" }).click();
  const form = panel.getByRole("group", { name: "Have the customer accept the agreement" });
  assert.equal(await form.getByLabel("Date of acceptance of the agreement").isVisible(), false);
  await form.getByLabel("First name").fill("Mia");
  await form.getByLabel("Last name", { exact: true }).fill("Wong");
  await form.getByLabel("Email address").fill("mia.wong@treyresearch.example");
  await assertAccessible(page, "existing customer, enhanced form");
  await panel.getByRole("button", { name: "Create the acceptance link" }).click();
  await panel.getByText(/Status: waiting for the customer's acceptance/).waitFor();

  // After a reload the attestation comes back from the ledger, its link rebuilt from its id.
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  await page.getByLabel("Sandbox token").fill("e2e-token");
  await page.getByLabel("Sandbox token").press("Enter");
  await page.getByRole("tab", { name: "Existing customer" }).click();
  await open("Trey Research");
  await panel.getByText(/Status: waiting for the customer's acceptance/).waitFor();
  await panel.getByLabel("Acceptance link for the customer").waitFor();
  await panel.getByRole("button", { name: "Check again" }).click();
  await page.getByRole("status").getByText(/Status checked/).first().waitFor();
  await assertAccessible(page, "attestation restored after a reload");
  for (const body of posts) assert.ok(body.attestationId);
  await assertClean(page);
});

test("the portfolio: every customer, blockers first, sortable, exported as CSV", async () => {
  const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}`, locale: "fr-FR" });
  await page.getByRole("tab", { name: "Portefeuille" }).click();
  const panel = page.getByRole("tabpanel", { name: "Portefeuille" });
  await panel.getByRole("button", { name: "Charger l'état de chaque client" }).click();
  // Rows are shown as they arrive; the count says when every customer was read.
  await panel.getByText(/Tous les clients ont été lus/).waitFor();
  const table = panel.getByRole("table");
  await table.waitFor();
  const rows = table.locator("tbody tr");
  const count = await rows.count();
  assert.ok(count >= 10, `${count} rows`);
  const orderable = await table.locator("tbody td:nth-child(3)").allTextContents();
  // Blockers first: every "Non" before every "Oui".
  assert.equal(orderable.join(",").replace(/^(Non,)*(Oui,?)*$/, ""), "", orderable.join(","));
  await assertAccessible(page, "portfolio");

  await table.getByRole("button", { name: "Entreprise" }).click();
  const companies = await table.locator("tbody th").allTextContents();
  assert.deepEqual(companies, [...companies].sort((a, b) => a.localeCompare(b, "fr")));
  assert.equal(await table.locator("th[aria-sort=ascending]").count(), 1);

  const download = page.waitForEvent("download");
  await panel.getByRole("button", { name: "Exporter en CSV" }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), "clients-etat-contrat.csv");
  const csv = readFileSync(await file.path(), "utf8");
  // A French spreadsheet splits on semicolons.
  assert.ok(csv.startsWith("\uFEFFEntreprise;Pays/région;Commande possible aujourd'hui"), csv.slice(0, 80));
  // Trey Research was sent the agreement by the test before: its row says so.
  assert.match(csv, /Trey Research;Australie;Non;"?(Faites accepter de nouveau|Lien d'acceptation créé)/);
  assert.equal(csv.trim().split("\r\n").length, count + 1);
  // Every line opens as the same columns when split on its own separator (no cell holds one).
  for (const line of csv.replace(/^\uFEFF/, "").trim().split("\r\n")) assert.equal(line.split(";").length, 7, line);
  await assertClean(page);
});

test("before the retirement the page confirms with the date, by the legacy POST", async () => {
  const day = "2025-12-15";
  const page = await openPage(browser, sandbox, { path: `/?today=${day}` });
  const panel = page.getByRole("tabpanel", { name: "New customer" });
  assert.equal(await panel.getByLabel("Date of acceptance of the agreement").isVisible(), true);
  await panel.getByRole("button", { name: "Create the customer and confirm" }).waitFor();
  await panel.getByText(/still takes your confirmation/).waitFor();
  const route = await page.evaluate(async (today) => (await import("/pkg/csp_agreements.js")).confirmationRoute({ utcToday: today }).route, day);
  assert.equal(route, "legacy");
  await assertClean(page);
});

test("the element on today's route: send, the customer accepts, check again, complete, its events", async () => {
  const page = await openPage(browser, sandbox, { path: `/embed.html?today=${TODAY}` });
  const posts = recordAgreementPosts(page);
  const element = page.locator("csp-agreement-confirmation");
  const group = element.getByRole("group", { name: "Have the customer accept the agreement" });
  await group.waitFor();
  assert.equal(await group.getByLabel("Date of acceptance of the agreement").isVisible(), false);
  await group.getByLabel("First name").fill("Tania");
  await group.getByLabel("Last name").fill("Carr");
  await group.getByLabel("Email address").fill("tania.carr@northwind.example");
  await group.getByLabel("Country/region").selectOption("US");
  await element.getByRole("button", { name: "Create the acceptance link" }).click();
  const link = element.getByLabel("Acceptance link for the customer");
  await link.waitFor();
  const created = await page.evaluate(() => window.__events.filter((e) => e.type === "attestation-created").map((e) => e.detail));
  assert.equal(created.length, 1);
  assert.equal(created[0].attestation.acceptanceUrl, await link.inputValue());
  await element.getByRole("img", { name: "QR code of the acceptance link" }).waitFor();
  await assertAccessible(page, "element, attestation pending");

  await acceptAsCustomer(browser, await link.inputValue());

  await element.getByRole("button", { name: "Check again" }).click();
  await element.getByRole("button", { name: "Complete" }).click();
  await element.getByRole("alert").getByText(/Agreement recorded/).waitFor();
  const submitted = await page.evaluate(() => window.__events.filter((e) => e.type === "confirmation-submitted").map((e) => e.detail));
  assert.equal(submitted.length, 1);
  assert.equal(submitted[0].route, "enhanced");
  assert.equal(submitted[0].agreement.primaryContact.firstName, "Tania");
  await assertAccessible(page, "element, completed");
  assert.ok(posts.every((body) => body.attestationId));
  await assertClean(page);
});
