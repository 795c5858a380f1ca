// The example portal (examples/react-portal: Vite, React 19, TypeScript, StrictMode), built and
// served by the sandbox under the pages' CSP, driven as a partner would: the element in French,
// its events reaching React, a controlled form checked by attachValidation while typing for real,
// StrictMode's mount, unmount and mount again, the 2026 flow to a recorded agreement.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { acceptAsCustomer, assertAccessible, assertClean, launch, startSandbox, TOKEN, trackedPage } from "./harness.mjs";

let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox({ www: "examples/react-portal/dist" });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

async function openPortal(context) {
  const page = await trackedPage(context);
  await page.goto(`${sandbox.url}/#token=${TOKEN}`);
  return page;
}

test("the element in a React 19 portal: French, its properties, its events, the 2026 flow", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  const page = await openPortal(context);
  // `locale="fr-FR"` in JSX: React 19 sets the element's `locale` property.
  const element = page.locator("csp-agreement-confirmation");
  const group = element.getByRole("group", { name: "Faire accepter le contrat par le client" });
  await group.waitFor();
  const events = page.getByRole("status", { name: "Element events" });

  // An attribute set to the value it has (React, or a portal, on every render): nothing happens.
  await group.getByLabel("Prénom").pressSequentially("Tania");
  await group.getByLabel("Prénom").blur();
  await page.waitForTimeout(100);
  const before = await events.textContent();
  await element.evaluate((el) => {
    for (let i = 0; i < 5; i += 1) {
      el.setAttribute("locale", el.getAttribute("locale"));
      el.locale = "fr-FR";
      el.customerId = el.getAttribute("customer-id");
    }
  });
  await page.waitForTimeout(200);
  assert.equal(await events.textContent(), before, "no validation-change for nothing");

  await group.getByLabel("Nom", { exact: true }).pressSequentially("Carr");
  await group.getByLabel("Adresse e-mail").pressSequentially("tania.carr@northwind.example");
  await group.getByLabel("Pays/région").selectOption("US");
  await element.getByRole("button", { name: "Créer le lien d'acceptation" }).click();
  const link = element.getByLabel("Lien d'acceptation pour le client");
  await link.waitFor();
  await events.getByText(/attestation \S+ created/).waitFor();

  await acceptAsCustomer(browser, await link.inputValue());

  await element.getByRole("button", { name: "Vérifier à nouveau" }).click();
  await element.getByRole("button", { name: "Finaliser" }).click();
  await events.getByText("agreement recorded (enhanced)").waitFor();
  await assertAccessible(page, "React portal, element completed");
  await assertClean(page);
  await context.close();
});

test("a controlled form checked by attachValidation keeps every keystroke, through StrictMode and remounts", async () => {
  const context = await browser.newContext({ viewport: { width: 1100, height: 1000 } });
  const page = await openPortal(context);
  const form = page.getByRole("form", { name: "Your own form, checked by attachValidation" });
  const first = form.getByLabel("Signatory's first name");
  await first.waitFor();
  // StrictMode attached, detached and attached again: one message element per field, one summary.
  assert.equal(await form.locator(".csp-error-summary").count(), 1);
  for (const id of ["signatory-first", "signatory-last", "signatory-email"]) {
    assert.equal(await form.locator(`[id="${id}-error"]`).count(), 1, id);
  }

  // Typed for real, key by key: React owns the value, and none is lost.
  await first.pressSequentially("Núria", { delay: 20 });
  await form.getByLabel("Signatory's last name").pressSequentially("Puig i Soler", { delay: 20 });
  const email = form.getByLabel("Signatory's email address");
  await email.pressSequentially("nuria@", { delay: 20 });
  await email.blur();
  assert.equal(await first.inputValue(), "Núria");
  assert.equal(await form.getByLabel("Signatory's last name").inputValue(), "Puig i Soler");
  assert.equal(await email.getAttribute("aria-invalid"), "true");
  // The message in the portal's language (French), tied to the field.
  assert.match(await form.locator("#signatory-email-error").textContent(), /adresse e-mail/i);
  await email.pressSequentially("adatum.example", { delay: 20 });
  assert.equal(await email.inputValue(), "nuria@adatum.example");
  await form.getByRole("status", { name: "Form status" }).getByText("Ready to send").waitFor();
  assert.equal(await email.getAttribute("aria-invalid"), null);

  // Unmounted, then mounted again: nothing of the first attachment is left.
  const section = page.getByRole("region", { name: "Your own form, checked by attachValidation" });
  await section.getByRole("button", { name: "Hide the form" }).click();
  assert.equal(await section.locator(".csp-field-error, .csp-error-summary").count(), 0);
  await section.getByRole("button", { name: "Show the form" }).click();
  await form.getByLabel("Signatory's first name").pressSequentially("Núria", { delay: 20 });
  assert.equal(await form.locator(".csp-error-summary").count(), 1);

  // Submitted while invalid: stopped before React's handler, the summary takes focus.
  await form.getByRole("button", { name: "Send Adatum Ibérica the agreement" }).click();
  const summary = form.getByRole("alert");
  await summary.waitFor();
  assert.ok(await summary.evaluate((el) => el === document.activeElement));
  await form.getByLabel("Signatory's last name").pressSequentially("Puig", { delay: 20 });
  await form.getByLabel("Signatory's email address").pressSequentially("nuria@adatum.example", { delay: 20 });
  await form.getByRole("button", { name: "Send Adatum Ibérica the agreement" }).click();
  await form.getByText(/^Acceptance link: http:\/\/127\.0\.0\.1:\d+\/accept\//).waitFor();
  await assertAccessible(page, "React portal, controlled form sent");
  await assertClean(page);
  await context.close();
});

test("the portal renders before the wasm arrives, and says so when it cannot be had", async () => {
  const context = await browser.newContext();
  await context.route(/csp_agreements_bg-[^/]*\.wasm$/, (route) => route.fulfill({ status: 503, body: "" }));
  const page = await openPortal(context);
  await page.getByRole("heading", { name: "Contoso partner portal" }).waitFor();
  await page.getByRole("alert").getByText("The agreement tools could not be loaded").waitFor();
  await context.close();
});
