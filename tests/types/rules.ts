// A portal's TypeScript code against the rules-only package (pkg-rules/, checked with tsc).
import init, {
  agreementStatus, countries, isCloudAgreementAcceptable, orderGate, templateLanguages, timeline,
  validateConfirmation, validateField, type FieldIssue, type FieldReport, type IssueCode, type Milestone,
  type OrderGateVerdict, type ValidationResult,
} from "../../pkg-rules/csp_agreements.js";

await init();

const acceptable: boolean = isCloudAgreementAcceptable("2020-01-31");
const result: ValidationResult = validateConfirmation(
  { agreementType: "MicrosoftCloudAgreement", dateAgreed: "2020-01-31", firstName: "Tania", lastName: "Carr", email: "someone@example.com" },
  { localToday: "2020-01-31", locale: "en-US", route: "legacy" },
);
const codes: IssueCode[] = [...result.errors, ...result.warnings].map((issue: FieldIssue) => issue.code);
const typed: FieldReport = validateField("email", "x");
// Narrowed on `code`: each code has its own parameters.
const first = typed.errors[0];
const max: number | undefined = first?.code === "email-too-long" ? first.params.max : undefined;
if (first?.code === "future-date") {
  const latest: string = first.params.latest;
  // @ts-expect-error: a date in the future has no limit of length
  console.log(latest, first.params.max);
}
// Narrowed on `valid`: the payload is there exactly when the form is valid.
if (result.valid) {
  const dateAgreed: string = result.payload.dateAgreed;
  // @ts-expect-error: a valid result has no errors
  const none: FieldIssue = result.errors[0];
  console.log(dateAgreed, none);
} else {
  // @ts-expect-error: an invalid result has no payload
  console.log(result.payload);
}
const phase: "not-yet-available" | "preview" | "available" | "transition" | "retired" =
  agreementStatus("MicrosoftCloudAgreement", "2020-01-31").phase;
const milestones: Milestone[] = timeline(undefined, "fr-FR");
const verdict: OrderGateVerdict = orderGate({ date: "2020-02-01", action: "seat-change", confirmations: [] });
const languages: string[] = templateLanguages("FR");
const names: string[] = countries().map((c) => c.name);
console.log(acceptable, codes, typed, max, phase, milestones, verdict.allowed, languages, names);
