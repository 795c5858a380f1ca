// The packages built by `wasm-pack build --target web` (pkg/, the rules-only pkg-rules/ and the
// rules with attachValidation, pkg/form/), loaded in Node through `initSync` and called through
// their generated JS glue, as a portal's code would.
import { describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

async function load(dir) {
  const pkg = new URL(`../../${dir}/`, import.meta.url);
  const api = await import(new URL("csp_agreements.js", pkg));
  api.initSync({ module: readFileSync(new URL("csp_agreements_bg.wasm", pkg)) });
  return api;
}

const form = {
  agreementType: "MicrosoftCustomerAgreement", dateAgreed: "2019-11-14", firstName: "Tania",
  lastName: "Carr", email: "someone@example.com", phoneNumber: "1234567890",
  customerId: "14876998-c0dc-46e6-9d0c-65a57a6c32ec", country: "FR", language: "fr-FR",
};

const packages = { pkg: await load("pkg"), "pkg-rules": await load("pkg-rules"), "pkg/form": await load("pkg/form") };

for (const [dir, api] of Object.entries(packages)) {
  describe(dir, () => {
    test("the Cloud Agreement's last day", () => {
      assert.equal(api.isCloudAgreementAcceptable("2020-01-31"), true);
      assert.equal(api.isCloudAgreementAcceptable("2020-02-01"), false);
      assert.throws(() => api.isCloudAgreementAcceptable("2020-13-01"), (e) => e instanceof Error && /2020-13-01/.test(e.message));
    });

    test("a valid form gives the exact payload", () => {
      const result = api.validateConfirmation(form, { localToday: "2019-11-20", utcToday: "2019-11-20" });
      assert.equal(result.valid, true);
      assert.deepEqual(result.errors, []);
      assert.equal(
        JSON.stringify(result.payload),
        '{"primaryContact":{"firstName":"Tania","lastName":"Carr","email":"someone@example.com","phoneNumber":"1234567890"},"templateId":"117a77b0-9360-443b-8795-c6dedc750cf9","dateAgreed":"2019-11-14T00:00:00Z","type":"MicrosoftCustomerAgreement"}',
      );
    });

    test("optional arguments may be left out", () => {
      assert.equal(api.agreementStatus("MicrosoftCustomerAgreement", "2019-10-01").phase, "available");
      assert.equal(api.timeline().length, 10);
      assert.equal(typeof api.today().latestAgreedDate, "string");
      assert.ok(Array.isArray(api.validateField("email", "x").errors));
      assert.equal(api.labels().firstName, "First name");
      assert.equal(api.validateConfirmation({}).valid, false);
    });

    test("malformed calls throw Errors", () => {
      for (const call of [
        () => api.agreementStatus("Nope", "2020-01-01"),
        () => api.validateConfirmation(null),
        () => api.validateConfirmation(form, { environment: 3 }),
        () => api.orderGate({ date: "2020-02-01", action: "buy" }),
        () => api.checkPolicy({ cloudAgreementLastDay: "2019-01-01" }),
        () => api.validateField("nope", "x"),
      ]) {
        assert.throws(call, Error);
      }
    });

    test("hostile strings through the glue never break the module", () => {
      const lone = "Ta\uD800nia";
      assert.equal(api.validateField("firstName", lone).errors[0].code, "invalid-characters");
      assert.throws(() => api.isCloudAgreementAcceptable("\uDC00"), Error);
      const huge = "x".repeat(1 << 20);
      const tooLong = api.validateField("lastName", huge).errors[0];
      assert.equal(tooLong.code, "too-long");
      assert.equal(tooLong.params.max, 100);
      assert.throws(() => api.agreementStatus("MicrosoftCloudAgreement", huge), (e) => e.message.length < 300);
      assert.equal(api.validateField("email", "\u0000@example.com").errors[0].code, "invalid-email");
      // The module still answers after all that.
      assert.equal(api.isCloudAgreementAcceptable("2019-12-25"), true);
    });

    test("options changed in place between calls are read again", () => {
      const code = (report) => report.errors.map((issue) => `${issue.code}:${issue.message.slice(0, 12)}`).join();
      const options = { localToday: "2019-11-20", utcToday: "2019-11-20" };
      const english = code(api.validateField("email", "someone@", options));
      assert.equal(english, "invalid-email:Enter one em");
      options.locale = "fr-FR";
      const french = code(api.validateField("email", "someone@", options));
      assert.equal(french, "invalid-email:Entrez une s");
      delete options.locale;
      assert.equal(code(api.validateField("email", "someone@", options)), english);
      // A getter is read at every call, as the rest is.
      let locale = "fr-FR";
      const live = { localToday: "2019-11-20", utcToday: "2019-11-20", get locale() { return locale; } };
      assert.equal(code(api.validateField("email", "someone@", live)), french);
      locale = "en-US";
      assert.equal(code(api.validateField("email", "someone@", live)), english);
      // A value that is an object (the rest of the form) changed in place is read again too.
      const withForm = { localToday: "2019-11-20", utcToday: "2019-11-20", form: { agreementType: "MicrosoftCloudAgreement" } };
      const cloud = code(api.validateField("dateAgreed", "2020-02-01", withForm));
      withForm.form.agreementType = "MicrosoftCustomerAgreement";
      assert.notEqual(code(api.validateField("dateAgreed", "2020-02-01", withForm)), cloud);
      // The same keys in another order, and the whole form's check in between.
      assert.equal(code(api.validateField("email", "someone@", { utcToday: "2019-11-20", localToday: "2019-11-20", locale: "fr-FR" })), french);
      assert.equal(api.validateConfirmation({ ...form, email: "someone@" }, { ...options, locale: "fr-FR" }).errors[0].message.slice(0, 11), "Entrez une ");
      assert.equal(code(api.validateField("email", "someone@", options)), english);
      // A day that does not exist throws, every time, and the options before it still answer.
      const wrong = { localToday: "2019-02-30" };
      assert.throws(() => api.validateField("email", "someone@", wrong), Error);
      assert.throws(() => api.validateField("email", "someone@", wrong), Error);
      assert.equal(code(api.validateField("email", "someone@", options)), english);
    });

    test("the country table and template languages", () => {
      const countries = api.countries();
      assert.equal(countries.length, 246);
      assert.deepEqual(countries.find((c) => c.code === "FR"), { code: "FR", name: "France", languages: ["en-US", "fr-FR"] });
      assert.deepEqual(api.templateLanguages("jp"), ["en-US", "ja-JP"]);
      assert.deepEqual(api.templateLanguages("nowhere"), []);
    });
  });
}

test("pkg-rules holds the rules only", () => {
  const { pkg: full, "pkg-rules": rules } = packages;
  assert.equal(rules.PartnerCenterClient, undefined);
  assert.equal(rules.attachValidation, undefined);
  assert.equal(typeof full.PartnerCenterClient, "function");
  assert.equal(typeof full.attachValidation, "function");
  const pkgJson = JSON.parse(readFileSync(new URL("../../pkg-rules/package.json", import.meta.url), "utf8"));
  assert.equal(pkgJson.name, "csp-agreements-rules");
  assert.deepEqual(Object.keys(pkgJson.exports).filter((k) => k.startsWith("./e")), []);
});

test("pkg/form holds the rules and attachValidation, not the client", () => {
  const form = packages["pkg/form"];
  assert.equal(typeof form.attachValidation, "function");
  assert.equal(form.PartnerCenterClient, undefined);
  assert.equal(form.validateCsv, undefined);
  const exports = (api) => Object.keys(api).filter((name) => name !== "initSync" && name !== "default");
  // Every export of the rules package, and attachValidation.
  assert.deepEqual(exports(form).sort(), [...exports(packages["pkg-rules"]), "attachValidation"].sort());
  const pkgJson = JSON.parse(readFileSync(new URL("../../pkg/package.json", import.meta.url), "utf8"));
  assert.deepEqual(pkgJson.exports["./form"], { types: "./form/csp_agreements.d.ts", default: "./form/csp_agreements.js" });
  for (const file of ["form/csp_agreements.js", "form/csp_agreements.d.ts", "form/csp_agreements_bg.wasm", "form/snippets/"]) {
    assert.ok(pkgJson.files.includes(file), file);
  }
});

test("the page's locale rule is the module's: the same language for every tag", async () => {
  const { parseLocale } = await import(new URL("../../pkg/ui.js", import.meta.url));
  const api = packages.pkg;
  const french = api.labels("fr-FR").firstName;
  const tags = ["fr", "fr-FR", "fr-CA", "fr_CA", "FR-fr", " fr", "fr ", "fr-", "french", "fra", "en", "en-GB", "de-DE", "", "f", "r", "-fr", "_fr", "fr-Latn-BE", "FR", "\tfr\n"];
  for (const tag of tags) {
    const module = api.labels(tag).firstName === french ? "fr-FR" : "en-US";
    assert.equal(parseLocale(tag), module, JSON.stringify(tag));
  }
  assert.equal(parseLocale(undefined), "en-US");
  assert.equal(parseLocale(null), "en-US");
});
