// The stand-in portal: gives the element its token provider, listens to its events, and checks
// its own form with attachValidation.

// The portal's own way to get a token (here: the demo URL's fragment; a real portal asks its
// sign-in library). The element calls it for every request and keeps nothing.
const token = new URLSearchParams(location.hash.slice(1)).get("token") ?? "";
// Out of the address bar, the history and any link copied from it, before anything is loaded
// (the module is imported below, so that a module that fails to load cannot leave it there).
if (location.hash) history.replaceState(history.state, "", `${location.pathname}${location.search}`);
// The portal's own form needs the rules and attachValidation only: the package's `./form`
// module (neither the client nor the element; the element above loads the main module).
const { default: init, attachValidation } = await import("/pkg/form/csp_agreements.js");
const params = new URLSearchParams(location.search);
const today = params.get("today");

const element = document.querySelector("#confirmation");
element.tokenProvider = async () => token;
// The sandbox's own acceptance page stands for Microsoft's.
element.setAttribute("acceptance-page", `${location.origin}/accept/`);
if (today) element.setAttribute("today", today);

const log = document.querySelector("#events");
window.__events = [];
for (const type of ["validation-change", "attestation-created", "confirmation-submitted", "confirmation-failed"]) {
  element.addEventListener(type, (event) => {
    window.__events.push({ type, detail: event.detail });
    if (type === "validation-change") return;
    const item = document.createElement("li");
    item.textContent = `${type}: ${JSON.stringify(event.detail).slice(0, 200)}`;
    log.append(item);
  });
}

await init();
const form = document.querySelector("#portal-form");
const options = { locale: "en-US", summaryHeadingLevel: 3 };
if (today) Object.assign(options, { localToday: today, utcToday: today });
const handle = attachValidation(form, options);
form.addEventListener("submit", (event) => {
  // Reached only when the form is valid: attachValidation stops an invalid one.
  event.preventDefault();
  document.querySelector("#portal-payload").textContent = JSON.stringify(handle.payload(), null, 2);
});
document.documentElement.dataset.ready = "true";
