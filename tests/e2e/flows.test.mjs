// Both confirmation flows of the reference page, in English and in French, driven by labels as
// a user would: a new customer (account information, then the agreement), and an existing one
// (search, pick, Update, Save). axe-core and the CSP are checked in every state.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { api, assertAccessible, assertClean, launch, openPage, screenshot, startSandbox } from "./harness.mjs";

const TODAY = "2019-11-20";
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

const L = {
  "en-US": {
    newPanel: "New customer", existingPanel: "Existing customer", company: "Company name", domain: "Domain name",
    country: "Country/region", contact: "Primary contact", first: "First name", last: "Last name", email: "Email address",
    phone: "Phone number (optional)", date: "Date of acceptance of the agreement", continue: "Continue to the agreement",
    agreementGroup: "Microsoft agreement", update: "Update", signatory: "Person who accepted the agreement",
    submit: "Create the customer and confirm", done: "Customer created and acceptance confirmed",
    search: "Search customers (company name or domain)", searchButton: "Search", save: "Save",
    provided: /Confirmation provided: accepted on November 15, 2019 by Ana Lima/, missing: "Confirmation not provided.",
    primary: /Signatory: the primary contact, Ana Lima \(ana@litware\.example\)/, problem: "There is a problem",
    required: "First name is required.",
    saved: "Confirmation saved.",
  },
  "fr-FR": {
    newPanel: "Nouveau client", existingPanel: "Client existant", company: "Nom de l'entreprise", domain: "Nom de domaine",
    country: "Pays/région", contact: "Contact principal", first: "Prénom", last: "Nom", email: "Adresse e-mail",
    phone: "Numéro de téléphone (facultatif)", date: "Date d'acceptation du contrat", continue: "Passer au contrat",
    agreementGroup: "Contrat Microsoft", update: "Mettre à jour", signatory: "Personne qui a accepté le contrat",
    submit: "Créer le client et confirmer", done: "Client créé et acceptation confirmée",
    search: "Rechercher des clients (nom de l'entreprise ou domaine)", searchButton: "Rechercher", save: "Enregistrer",
    provided: /Confirmation fournie\u00a0: contrat accepté le 15 novembre 2019 par Ana Lima/, missing: "Confirmation non fournie.",
    primary: /Signataire\u00a0: le contact principal, Ana Lima \(ana@litware\.example\)/, problem: "Il y a un problème",
    required: "Le champ «\u00a0Prénom\u00a0» est obligatoire.",
    saved: "Confirmation enregistrée.",
  },
};

for (const [locale, t] of Object.entries(L)) {
  const short = locale.slice(0, 2);

  test(`new customer, then its confirmation (${locale})`, async () => {
    const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}`, locale });
    const panel = page.getByRole("tabpanel", { name: t.newPanel });
    await assertAccessible(page, "new customer, empty");

    // Account information.
    await panel.getByLabel(t.company, { exact: true }).fill(`Litware ${short}`);
    await panel.getByLabel(t.domain).fill(`litware-${short}.onmicrosoft.com`);
    await panel.getByLabel(t.country, { exact: true }).selectOption("FR");
    const contact = panel.getByRole("group", { name: t.contact });
    await contact.getByLabel(t.first).fill("Ana");
    await contact.getByLabel(t.last, { exact: true }).fill("Lima");
    await contact.getByLabel(t.email).fill("ana@litware.example");
    await panel.getByRole("button", { name: t.continue }).click();

    // The agreement section: the signatory is the primary contact until updated.
    const agreement = panel.getByRole("group", { name: t.agreementGroup });
    await assert.doesNotReject(agreement.getByText(t.primary).waitFor());
    await agreement.getByLabel(t.date).fill("2019-11-15");
    assert.equal(await agreement.getByLabel(t.date).getAttribute("max"), TODAY);
    await screenshot(page, `new-customer-${short}-form`);
    await assertAccessible(page, "new customer, filled");

    // Update: another person accepted; first leave a required field empty.
    await agreement.getByRole("button", { name: t.update }).click();
    const signatory = agreement.getByRole("group", { name: t.signatory });
    await signatory.getByLabel(t.first).fill("");
    await panel.getByRole("button", { name: t.submit }).click();
    const summary = panel.getByRole("alert").filter({ hasText: t.problem });
    await assert.doesNotReject(summary.waitFor());
    assert.ok(await summary.evaluate((el) => el === document.activeElement), "the summary takes focus");
    await assert.doesNotReject(panel.getByText(t.required, { exact: true }).first().waitFor());
    await assertAccessible(page, "new customer, errors shown");
    await signatory.getByLabel(t.first).fill("Bruno");

    await panel.getByRole("button", { name: t.submit }).click();
    const result = panel.getByRole("region", { name: t.done });
    await assert.doesNotReject(result.waitFor());
    await assert.doesNotReject(result.getByText("Bruno Lima (ana@litware.example)").waitFor());
    await screenshot(page, `new-customer-${short}-done`);
    await assertAccessible(page, "new customer, done");

    // What the sandbox stored: the customer, and the confirmation with the updated signatory.
    const found = await api(sandbox, `/v1/customers?filter=${encodeURIComponent(JSON.stringify({ Field: "CompanyName", Value: `Litware ${short}` }))}`);
    assert.equal(found.totalCount, 1);
    const stored = await api(sandbox, `/v1/customers/${found.items[0].id}/agreements?agreementType=MicrosoftCustomerAgreement`);
    assert.equal(stored.totalCount, 1);
    assert.equal(stored.items[0].primaryContact.firstName, "Bruno");
    assert.equal(stored.items[0].dateAgreed, "2019-11-15T00:00:00");
    await assertClean(page);
    await page.context().close();
  });

  test(`existing customer: search, pick, update, save (${locale})`, async () => {
    const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}`, locale });
    await page.getByRole("tab", { name: t.existingPanel }).click();
    const panel = page.getByRole("tabpanel", { name: t.existingPanel });
    const company = locale === "en-US" ? "Northwind Traders" : "Adatum Ibérica";
    await panel.getByLabel(t.search).fill(company.slice(0, 5));
    await panel.getByRole("button", { name: t.searchButton, exact: true }).click();
    await panel.getByRole("button", { name: new RegExp(company) }).click();
    await assert.doesNotReject(panel.getByText(t.missing).waitFor());
    await assertAccessible(page, "existing customer, account information");

    await panel.getByRole("button", { name: t.update, exact: true }).click();
    await panel.getByLabel(t.first).fill("Ana");
    await panel.getByLabel(t.last, { exact: true }).fill("Lima");
    await panel.getByLabel(t.email).fill("ana.lima@example.com");
    await panel.getByLabel(t.phone).fill("+1 425 555 0100");
    await panel.getByLabel(t.date).fill("2019-11-15");
    await screenshot(page, `existing-customer-${short}-form`);
    await assertAccessible(page, "existing customer, form");
    await panel.getByRole("button", { name: t.save, exact: true }).click();
    await assert.doesNotReject(panel.getByText(t.provided).waitFor());
    assert.ok(await panel.getByRole("button", { name: t.update, exact: true }).isVisible(), "the form is closed");
    await screenshot(page, `existing-customer-${short}-saved`);
    await assertAccessible(page, "existing customer, saved");
    // A second confirmation with a problem: the earlier success no longer stands beside it.
    assert.match(await page.locator("#status").textContent(), new RegExp(`^${t.saved}`));
    await panel.getByRole("button", { name: t.update, exact: true }).click();
    await panel.getByLabel(t.first).fill("");
    await panel.getByRole("button", { name: t.save, exact: true }).click();
    await panel.getByRole("alert").filter({ hasText: t.problem }).waitFor();
    assert.equal(await page.locator("#status").textContent(), "");
    await assertClean(page);
    await page.context().close();
  });
}

test("a duplicate is refused before anything is sent", async () => {
  const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}` });
  const posts = [];
  page.on("request", (request) => {
    if (request.method() === "POST") posts.push(request.url());
  });
  await page.getByRole("tab", { name: "Existing customer" }).click();
  const panel = page.getByRole("tabpanel", { name: "Existing customer" });
  await panel.getByLabel("Search customers").fill("contoso");
  await panel.getByRole("button", { name: "Search", exact: true }).click();
  await panel.getByRole("button", { name: /Contoso France/ }).click();
  await panel.getByRole("button", { name: "Update", exact: true }).click();
  // The very contact of the confirmation Contoso France already has.
  await panel.getByLabel("First name").fill("Émilie");
  await panel.getByLabel("Last name").fill("Dupré");
  await panel.getByLabel("Email address").fill("EMILIE.DUPRE@contoso.fr");
  await panel.getByLabel("Phone number (optional)").fill("+33 1 23 45 67 89");
  await panel.getByLabel("Date of acceptance of the agreement").fill("2019-11-18");
  await panel.getByRole("button", { name: "Save", exact: true }).click();
  const summary = panel.getByRole("alert").filter({ hasText: "There is a problem" });
  await assert.doesNotReject(summary.getByText(/already has this confirmation with the same contact/).waitFor());
  assert.deepEqual(posts, [], "no request was sent");
  await assertAccessible(page, "duplicate refused");
  await assertClean(page);
  await page.context().close();
});
