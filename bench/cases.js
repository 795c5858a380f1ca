// The benchmark's cases, run inside the page: the module's calls, and the same checks written
// the way a portal's own JavaScript would write them (zod 4 + validator.js).
import { z } from "/node_modules/zod/index.js";
import isEmail from "/node_modules/validator/es/lib/isEmail.js";

export const FORM = {
  agreementType: "MicrosoftCustomerAgreement", dateAgreed: "2019-11-14", firstName: "Tania",
  lastName: "Carr", email: "someone@example.com", phoneNumber: "+33 1 23 45 67 89",
  customerId: "14876998-c0dc-46e6-9d0c-65a57a6c32ec", country: "FR", language: "fr-FR",
};
export const DAYS = { localToday: "2019-11-20", utcToday: "2019-11-20" };

/** The form's rules in zod + validator.js, as close to the module's as a portal would write. */
export function portalSchema(countries) {
  const codes = new Set(countries.map((c) => c.code));
  const languages = new Map(countries.map((c) => [c.code, new Set(c.languages)]));
  const name = z.string().trim().min(1).max(100).refine((s) => !/[\p{Cc}\p{Cf}\u2028\u2029\uFFFD]/u.test(s), "invalid-characters");
  return z
    .object({
      agreementType: z.enum(["MicrosoftCustomerAgreement", "MicrosoftCloudAgreement"]),
      dateAgreed: z.iso.date(),
      firstName: name,
      lastName: name,
      email: z.string().trim().max(254).refine((s) => isEmail(s, { allow_utf8_local_part: true }), "invalid-email"),
      phoneNumber: z.string().trim().refine((s) => s === "" || /^\+?[\d\s().-]{7,20}$/.test(s), "invalid-phone"),
      customerId: z.string().trim().refine((s) => s === "" || z.uuid().safeParse(s).success, "invalid-customer-id"),
      country: z.string().trim().refine((s) => s === "" || codes.has(s.toUpperCase()), "unknown-country"),
      language: z.string().trim(),
    })
    .superRefine((form, ctx) => {
      const latest = DAYS.localToday < DAYS.utcToday ? DAYS.localToday : DAYS.utcToday;
      if (form.dateAgreed > latest) ctx.addIssue({ code: "custom", path: ["dateAgreed"], message: "future-date" });
      if (form.agreementType === "MicrosoftCloudAgreement" && form.dateAgreed > "2020-01-31") {
        ctx.addIssue({ code: "custom", path: ["dateAgreed"], message: "after-retirement" });
      }
      const allowed = form.country ? languages.get(form.country.toUpperCase()) : null;
      if (form.language && allowed && !allowed.has(form.language)) ctx.addIssue({ code: "custom", path: ["language"], message: "unsupported-language" });
    });
}

/** Median and 99th percentile of the time per call, measured over batches (the clock is coarse). */
export function measure(call, { batches, perBatch }) {
  for (let i = 0; i < perBatch * 5; i++) call(); // warm-up
  const perCall = [];
  for (let b = 0; b < batches; b++) {
    const start = performance.now();
    for (let i = 0; i < perBatch; i++) call();
    perCall.push(((performance.now() - start) * 1000) / perBatch);
  }
  perCall.sort((a, b) => a - b);
  const at = (q) => perCall[Math.min(perCall.length - 1, Math.floor(q * perCall.length))];
  return { medianUs: at(0.5), p99Us: at(0.99) };
}

/** Every case, timed; and whether the two implementations agree on a valid and an invalid form. */
export async function run(wasm, { batches, perBatch }) {
  const schema = portalSchema(wasm.countries());
  const invalid = { ...FORM, email: "someone@", dateAgreed: "2019-11-21" };
  const agree = {
    valid: wasm.validateConfirmation(FORM, DAYS).valid === true && schema.safeParse(FORM).success === true,
    invalid: wasm.validateConfirmation(invalid, DAYS).valid === false && schema.safeParse(invalid).success === false,
  };
  const options = { batches, perBatch };
  const validator = new wasm.Validator(DAYS);
  agree.validator = validator.validate(FORM).valid === true && validator.validate(invalid).valid === false;
  const rows = {
    validateConfirmation: measure(() => wasm.validateConfirmation(FORM, DAYS), options),
    "zod + validator.js: the same form": measure(() => schema.safeParse(FORM), options),
    validateField: measure(() => wasm.validateField("email", "someone@example.com", DAYS), options),
    "Validator.validate (options read once)": measure(() => validator.validate(FORM), options),
    "Validator.validateField (options read once)": measure(() => validator.validateField("email", "someone@example.com"), options),
    "zod + validator.js: the email field": measure(() => schema.shape.email.safeParse("someone@example.com"), options),
    agreementStatus: measure(() => wasm.agreementStatus("MicrosoftCloudAgreement", "2020-01-31"), options),
    orderGate: measure(() => wasm.orderGate({ date: "2020-02-01", action: "seat-change", confirmations: [{ type: "MicrosoftCloudAgreement", dateAgreed: "2019-05-14" }] }), options),
    today: measure(() => wasm.today(DAYS), options),
    isCloudAgreementAcceptable: measure(() => wasm.isCloudAgreementAcceptable("2020-01-31"), options),
  };
  return { agree, rows };
}
