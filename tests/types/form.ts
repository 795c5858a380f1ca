// A portal's own form checked by the package's `./form` module (the rules and attachValidation,
// neither the client nor the element), against its generated declarations (tsc --noEmit).
import init, { attachValidation, confirmationRoute, type AttachOptions, type ValidationHandle } from "../../pkg/form/csp_agreements.js";
// @ts-expect-error: the form module has no client
import { PartnerCenterClient } from "../../pkg/form/csp_agreements.js";

await init();
const form = document.querySelector("form")!;
const options: AttachOptions = { locale: "fr-FR", onChange: (result) => console.log(result.valid) };
const handle: ValidationHandle = attachValidation(form, options);
form.addEventListener("submit", (event) => {
  event.preventDefault();
  // Sent through the portal's own backend: the payload of the route of the day.
  const body = handle.payload();
  if (body !== undefined) console.log(JSON.stringify(body), confirmationRoute().route);
});
console.log(PartnerCenterClient);
