// A portal's TypeScript code using the element and attachValidation (checked with tsc --noEmit).
import "../../pkg/csp-agreement-confirmation.js";
import type { ConfirmationSubmittedDetail, CspAgreementConfirmation } from "../../pkg/csp-agreement-confirmation.js";
import { attachValidation, type ValidationHandle } from "../../pkg/csp_agreements.js";

const element: CspAgreementConfirmation = document.createElement("csp-agreement-confirmation");
element.setAttribute("customer-id", "2b8c5e6a-7d3f-4a1c-9e4b-9f3a5c7d1e03");
element.tokenProvider = async () => "token from the portal's sign-in";
element.addEventListener("confirmation-submitted", (event) => {
  const detail: ConfirmationSubmittedDetail = event.detail;
  // The legacy route always has the agreement; the enhanced one has the attestation's id.
  const date: string | undefined = detail.route === "enhanced" ? detail.agreement?.dateAgreed : detail.agreement.dateAgreed;
  const attestation: string | undefined = detail.route === "enhanced" ? detail.attestationId : undefined;
  console.log(detail.customerId, date, attestation, detail.correlationId);
});
element.addEventListener("attestation-created", (event) => {
  const link: string = event.detail.attestation.acceptanceUrl;
  console.log(link, event.detail.attestation.status);
});
element.addEventListener("confirmation-failed", (event) => {
  const stage: "validation" | "backend" = event.detail.stage;
  console.log(stage, event.detail.error?.code, event.detail.errors.map((e) => e.code));
});
element.addEventListener("validation-change", (event) => {
  const valid: boolean = event.detail.valid;
  console.log(valid);
});
const found = document.querySelector("csp-agreement-confirmation");
found?.validate();

const form = document.querySelector("form")!;
const handle: ValidationHandle = attachValidation(form, {
  locale: "fr-FR",
  summaryHeadingLevel: 3,
  onChange: (result) => console.log(result.valid, result.errors.length),
});
const payload = handle.payload();
handle.setOptions({ locale: "en-US" });
handle.reset();
handle.detach();
handle.free();
handle[Symbol.dispose]();
console.log(payload);
// Optional parameters are optional: no `undefined` to write.
attachValidation(form).detach();
// Every attribute has its property, settable.
element.locale = "fr-FR";
element.customerId = "2b8c5e6a-7d3f-4a1c-9e4b-9f3a5c7d1e03";
element.summaryHeadingLevel = 3;

// @ts-expect-error: the detail of confirmation-submitted has no `stage`
element.addEventListener("confirmation-submitted", (event) => event.detail.stage);
