// A portal's TypeScript code against the generated declarations (checked with tsc --noEmit).
import init, {
  agreementStatus, countries, orderGate, templateLanguages, timeline, validateConfirmation,
  validateField, type AgreementStatus, type ConfirmationForm, type FieldIssue, type IssueCode,
  type OrderGateVerdict, type ValidationResult,
} from "../../pkg/csp_agreements.js";

await init();

const form: ConfirmationForm = {
  agreementType: "MicrosoftCustomerAgreement",
  dateAgreed: "2019-11-14",
  firstName: "Tania",
  lastName: "Carr",
  email: "someone@example.com",
};
// Pinned to the legacy route: the result is the legacy one, with its payload.
const result: ValidationResult = validateConfirmation(form, { locale: "fr-FR", role: "admin-agent", route: "legacy" });
if (result.valid) {
  const type: "MicrosoftCustomerAgreement" | "MicrosoftCloudAgreement" = result.payload.type;
  const email: string = result.payload.primaryContact.email;
  console.log(type, email);
}
const codes: IssueCode[] = result.errors.map((e: FieldIssue) => e.code);
const issues: FieldIssue[] = validateField("email", "x@", { form }).errors;
// Every code the module can emit is in the union, the new customer's domain included.
const domain: IssueCode = "invalid-domain";
const status: AgreementStatus = agreementStatus("MicrosoftCloudAgreement", "2020-01-31");
const phase: "not-yet-available" | "preview" | "available" | "transition" | "retired" = status.phase;
const verdict: OrderGateVerdict = orderGate({ date: "2020-02-01", action: "seat-change", confirmations: [] });
const allowed: boolean = verdict.allowed;
const languages: string[] = templateLanguages("FR");
const names: string[] = countries().map((c) => c.name);
const dates: string[] = timeline().map((m) => m.date);
console.log(codes, issues, domain, phase, allowed, languages, names, dates);

// On the route of the day: narrow on `valid`, then on `route`.
const today = validateConfirmation({ firstName: "Ana", lastName: "Lima", email: "ana@example.com", country: "FR" });
if (today.valid && today.route === "enhanced") console.log(today.attestation.email);
else if (today.valid) console.log(today.payload.dateAgreed);
else console.log(today.errors.length, today.route);

// Wrong uses the types must refuse.
// @ts-expect-error: not an agreement type
agreementStatus("MicrosoftPartnerAgreement", "2020-01-01");
// @ts-expect-error: not an action
orderGate({ date: "2020-02-01", action: "buy" });
// @ts-expect-error: not a field
validateField("middleName", "x");
