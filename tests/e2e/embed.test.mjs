// www/embed.html, a stand-in partner portal: the <csp-agreement-confirmation> element, and the
// portal's own form enhanced by attachValidation. Keyboard only, by role and accessible name.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { api, assertAccessible, assertClean, CUSTOMERS, launch, openPage, screenshot, startSandbox, trackedPage } from "./harness.mjs";

let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox({ today: "2019-11-20" });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

const focused = (page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element?.getAttribute("name") ?? (element?.className || element?.tagName);
  });

const events = (page, type) => page.evaluate((t) => window.__events.filter((e) => e.type === t).map((e) => e.detail), type);

test("the element, by keyboard: tab order, Enter submits, focus to the summary, events", async () => {
  const page = await openPage(browser, sandbox, { path: "/embed.html?today=2019-11-20" });
  const element = page.locator("csp-agreement-confirmation");
  const group = element.getByRole("group", { name: "Confirm the customer's acceptance" });
  await group.waitFor();
  await assertAccessible(page, "element, empty");

  // Tab order: the element's controls come in reading order (a date input takes a Tab per part).
  await page.keyboard.press("Tab");
  const order = [];
  for (let i = 0; i < 12 && order.length < 8; i++) {
    const name = await focused(page);
    if (order.at(-1) !== name) order.push(name);
    await page.keyboard.press("Tab");
  }
  assert.deepEqual(order, ["agreementType", "firstName", "lastName", "email", "phoneNumber", "dateAgreed", "country", "language"]);

  // Enter in a field submits; the empty form's summary takes focus.
  await group.getByRole("textbox", { name: "First name" }).focus();
  await page.keyboard.press("Enter");
  const summary = element.getByRole("alert").filter({ hasText: "There is a problem" });
  await summary.waitFor();
  assert.equal(await focused(page), "csp-error-summary");
  const invalid = await events(page, "validation-change");
  assert.ok(invalid.length > 0);
  assert.equal(invalid.at(-1).valid, false);
  assert.deepEqual(invalid.at(-1).errors.map((e) => e.field), ["agreementType", "dateAgreed", "firstName", "lastName", "email"].filter((f) => invalid.at(-1).errors.some((e) => e.field === f)));
  assert.ok(invalid.at(-1).errors.every((e) => e.code && e.message));
  await assertAccessible(page, "element, errors");
  // The first link leads to its field.
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  assert.equal(await focused(page), "firstName");

  // Typed by keyboard, sent with Enter.
  await page.keyboard.type("Tania");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Carr");
  await page.keyboard.press("Tab");
  await page.keyboard.type("tania.carr@northwind.example");
  await group.getByLabel("Date of acceptance of the agreement").fill("2019-11-14");
  assert.equal(await summary.isVisible(), false, "the summary goes once all is fixed");
  await page.keyboard.press("Enter");
  await assert.doesNotReject(element.getByText("Confirmation saved: accepted on November 14, 2019 by Tania Carr.").waitFor());
  const [submitted] = await events(page, "confirmation-submitted");
  assert.equal(submitted.customerId, CUSTOMERS.US);
  assert.equal(submitted.agreement.type, "MicrosoftCustomerAgreement");
  assert.equal(submitted.agreement.dateAgreed, "2019-11-14");
  assert.equal(submitted.agreement.primaryContact.email, "tania.carr@northwind.example");
  assert.ok(submitted.agreements.some((a) => a.primaryContact.firstName === "Tania"));
  assert.match(submitted.correlationId, /^[0-9a-f-]{36}$/);
  const stored = await api(sandbox, `/v1/customers/${CUSTOMERS.US}/agreements?agreementType=MicrosoftCustomerAgreement`);
  assert.equal(stored.totalCount, 1);
  await screenshot(page, "embed-element-saved");
  await assertAccessible(page, "element, saved");

  // The same again: refused before sending, reported by confirmation-failed.
  await page.keyboard.press("Enter");
  await assert.doesNotReject(element.getByText(/already has this confirmation with the same contact/).first().waitFor());
  const [failed] = await events(page, "confirmation-failed");
  assert.equal(failed.stage, "validation");
  assert.equal(failed.customerId, CUSTOMERS.US);
  assert.deepEqual(failed.errors.map((e) => e.code), ["duplicate-confirmation"]);
  await assertClean(page);
  await page.context().close();
});

test("the element follows its attributes: French, and the user's role", async () => {
  const page = await openPage(browser, sandbox, { path: "/embed.html?today=2019-11-20" });
  const element = page.locator("csp-agreement-confirmation");
  await element.getByRole("group", { name: "Confirm the customer's acceptance" }).waitFor();
  await element.evaluate((el) => {
    el.setAttribute("locale", "fr-FR");
    el.setAttribute("user-role", "helpdesk-agent");
  });
  const group = element.getByRole("group", { name: "Confirmer l'acceptation du client" });
  await assert.doesNotReject(group.getByRole("textbox", { name: "Prénom" }).waitFor());
  await element.getByRole("button", { name: "Enregistrer" }).click();
  await assert.doesNotReject(element.getByText("Seul un agent d'administration ou un agent commercial peut confirmer l'acceptation du client.").waitFor());
  // The agreement's language follows the country, and the element says which one the customer reads.
  await group.getByLabel("Pays/région du contrat").selectOption("DE");
  const language = group.getByLabel("Langue du contrat");
  assert.equal(await language.inputValue(), "de-DE");
  assert.equal(await language.getAttribute("aria-describedby").then((id) => element.locator(`#${id}`).textContent()), "Le client lira le contrat en allemand (Allemagne).");
  await language.selectOption("en-US");
  await element.getByText("Le client lira le contrat en anglais américain.").waitFor();
  await assertAccessible(page, "element in French");
  await assertClean(page);
  await page.context().close();
});

test("the portal's own form with attachValidation, by keyboard", async () => {
  const page = await openPage(browser, sandbox, { path: "/embed.html?today=2019-11-20" });
  const form = page.getByRole("region", { name: "Way 2: the portal's own form, checked by attachValidation" });
  const first = form.getByRole("textbox", { name: "Signatory's first name" });
  await first.focus();
  await page.keyboard.press("Enter");
  const summary = form.getByRole("alert").filter({ hasText: "There is a problem" });
  await summary.waitFor();
  assert.ok(await summary.evaluate((el) => el === document.activeElement), "focus moves to the summary");
  assert.deepEqual(await summary.getByRole("link").allInnerTexts(), [
    "First name is required.", "Last name is required.", "Email address is required.", "Date of acceptance of the agreement is required.",
  ]);
  // Messages are tied to their fields: invalid, and described by the message.
  assert.equal(await first.getAttribute("aria-invalid"), "true");
  const description = await first.evaluate((el) => el.getAttribute("aria-describedby").split(" ").map((id) => document.getElementById(id).textContent).join(" "));
  assert.equal(description, "First name is required.");
  await assertAccessible(page, "portal form, errors");

  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  assert.ok(await first.evaluate((el) => el === document.activeElement));
  await page.keyboard.type("Jean-Luc");
  await page.keyboard.press("Tab");
  await page.keyboard.type("O'Brien");
  await page.keyboard.press("Tab");
  await page.keyboard.type("jl@example.com");
  await form.getByLabel("Accepted on").fill("2019-11-14");
  await page.keyboard.press("Enter");
  const payload = JSON.parse(await page.locator("#portal-payload").innerText());
  assert.deepEqual(payload, {
    primaryContact: { firstName: "Jean-Luc", lastName: "O'Brien", email: "jl@example.com" },
    templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
    dateAgreed: "2019-11-14T00:00:00Z",
    type: "MicrosoftCustomerAgreement",
  });
  assert.equal(await first.getAttribute("aria-invalid"), null);
  await screenshot(page, "embed-portal-form");
  await assertAccessible(page, "portal form, sent");
  await assertClean(page);
  await page.context().close();
});

test("a portal with its own form alone downloads the form module, not the client's", async () => {
  const page = await trackedPage(browser);
  // A page of the origin, with the product's CSP; the browser's own favicon request would be a 404.
  await page.route("**/favicon.ico", (route) => route.fulfill({ status: 204 }));
  await page.goto(`${sandbox.url}/pkg/package.json`);
  const exports = await page.evaluate(async () => {
    document.body.innerHTML = `<form aria-label="Acceptation" novalidate>
      <input type="hidden" name="agreementType" value="MicrosoftCustomerAgreement">
      <label for="first">Prénom</label><input id="first" name="firstName">
      <label for="last">Nom</label><input id="last" name="lastName">
      <label for="mail">E-mail</label><input id="mail" name="email">
      <label for="date">Acceptée le</label><input id="date" name="dateAgreed" type="date">
      <button>Enregistrer</button></form><pre id="sent"></pre>`;
    const api = await import("/pkg/form/csp_agreements.js");
    await api.default();
    const form = document.querySelector("form");
    const handle = api.attachValidation(form, { locale: "fr-FR", localToday: "2019-11-20", utcToday: "2019-11-20" });
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      document.querySelector("#sent").textContent = JSON.stringify(handle.payload());
    });
    return Object.keys(api);
  });
  assert.ok(exports.includes("attachValidation") && exports.includes("validateConfirmation"), exports.join());
  assert.ok(!exports.includes("PartnerCenterClient"), exports.join());
  const form = page.getByRole("form", { name: "Acceptation" });
  await form.getByRole("textbox", { name: "Prénom" }).focus();
  await page.keyboard.type("Élodie");
  await page.keyboard.press("Tab");
  await page.keyboard.type("Carr");
  await page.keyboard.press("Tab");
  await page.keyboard.type("elodie@example");
  await page.keyboard.press("Tab");
  const email = form.getByRole("textbox", { name: "E-mail" });
  const described = () => email.evaluate((el) => (el.getAttribute("aria-describedby") ?? "").split(" ").map((id) => document.getElementById(id)?.textContent ?? "").join(" ").trim());
  assert.equal(await described(), "Entrez une seule adresse e-mail, au format nom@exemple.com.");
  await email.focus();
  await page.keyboard.press("End");
  await page.keyboard.type(".com");
  await form.getByLabel("Acceptée le").fill("2019-11-14");
  await page.keyboard.press("Enter");
  await page.locator("#sent").filter({ hasText: "primaryContact" }).waitFor();
  assert.deepEqual(JSON.parse(await page.locator("#sent").textContent()), {
    primaryContact: { firstName: "Élodie", lastName: "Carr", email: "elodie@example.com" },
    templateId: "117a77b0-9360-443b-8795-c6dedc750cf9",
    dateAgreed: "2019-11-14T00:00:00Z",
    type: "MicrosoftCustomerAgreement",
  });
  assert.equal(await described(), "");
  const wasm = page.requests.filter((url) => url.endsWith(".wasm")).map((url) => new URL(url).pathname);
  assert.deepEqual(wasm, ["/pkg/form/csp_agreements_bg.wasm"]);
  await assertClean(page);
  await page.close();
});
