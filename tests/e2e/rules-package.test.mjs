// The rules-only release package (pkg-rules/, `scripts/build --rules`) in headless Chromium:
// served by the sandbox at /pkg/ with the product's CSP, imported and initialized the way a
// portal's module does, then called. (The bindings of the same build run in Chrome and Firefox
// under wasm-pack test; this checks the release build itself, after wasm-opt.)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClean, launch, startSandbox, trackedPage } from "./harness.mjs";

let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox({ pkg: "pkg-rules" });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

test("pkg-rules loads under the CSP and answers", async () => {
  const page = await trackedPage(browser);
  // Any page of the origin will do; the browser's own favicon request would be a 404.
  await page.route("**/favicon.ico", (route) => route.fulfill({ status: 204 }));
  const response = await page.goto(`${sandbox.url}/pkg/package.json`);
  assert.match(response.headers()["content-security-policy"], /'wasm-unsafe-eval'/);
  const answers = await page.evaluate(async () => {
    const api = await import("/pkg/csp_agreements.js");
    await api.default();
    const form = {
      agreementType: "MicrosoftCustomerAgreement", dateAgreed: "2019-11-14", firstName: "Élodie",
      lastName: "Carr", email: "someone@example.com", phoneNumber: "", customerId: "", country: "FR", language: "fr-FR",
    };
    return {
      exports: Object.keys(api).sort(),
      lastDay: api.isCloudAgreementAcceptable("2020-01-31"),
      dayAfter: api.isCloudAgreementAcceptable("2020-02-01"),
      valid: api.validateConfirmation(form, { localToday: "2019-11-20" }).valid,
      future: api.validateField("dateAgreed", "2019-11-21", { localToday: "2019-11-20", locale: "fr-FR" }),
      gate: api.orderGate({ date: "2020-02-01", action: "new-order", confirmations: [{ type: "MicrosoftCloudAgreement", dateAgreed: "2019-06-01" }] }).reason.code,
      countries: api.countries().length,
    };
  });
  assert.equal(answers.lastDay, true);
  assert.equal(answers.dayAfter, false);
  assert.equal(answers.valid, true);
  assert.deepEqual(answers.future.errors.map((i) => i.code), ["future-date"]);
  assert.match(answers.future.errors[0].message, /La date d'acceptation ne peut pas être postérieure à aujourd'hui/);
  assert.equal(answers.future.errors[0].params.latest, "2019-11-20");
  assert.equal(answers.gate, "cloud-agreement-no-longer-counts");
  assert.equal(answers.countries, 246);
  assert.ok(!answers.exports.includes("PartnerCenterClient") && !answers.exports.includes("attachValidation"), answers.exports.join());
  await assertClean(page);
  await page.close();
});
