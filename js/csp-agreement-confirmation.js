// <csp-agreement-confirmation>: the confirmation form as one element, for partner portals.
// One import, one element:
//   <script type="module" src="/pkg/csp-agreement-confirmation.js"></script>
//   <csp-agreement-confirmation customer-id="…" api-base="https://…"></csp-agreement-confirmation>
//   element.tokenProvider = async () => bearerToken;
// Shadow DOM (open): the portal's CSS cannot break the form and the form's CSS cannot leak into
// the portal; style it through the CSS custom properties and ::part() names listed in README.md.
import * as csp from "./csp_agreements.js";
import { AttestationLedger, indexedDbStore } from "./ledger.js";
import {
  attestationText, dayText, fillAgreements, fillCountries, fillLanguages, interpolate, languageName, loadDraft, parseLocale,
  renderAttestation, renderNotice, requestIdFor, saveDraft, showTemplateLink,
} from "./ui.js";

// The attestations the elements of this page send, kept in this origin's IndexedDB unless the
// portal gives its own ledger (`element.ledger`): opened once, shared by every element.
let defaultLedger;
function sharedLedger() {
  defaultLedger ??= AttestationLedger.open(indexedDbStore()).catch(() => new AttestationLedger(memoryFallback()));
  return defaultLedger;
}

/** Where records go when IndexedDB cannot be opened (private mode): this page's memory. */
function memoryFallback() {
  const kept = new Map();
  return {
    load: async () => [...kept.values()],
    put: async (record) => {
      const saved = { ...record, version: (record.version ?? 0) + 1 };
      kept.set(saved.attestationId, saved);
      return saved;
    },
  };
}

// With the `web` target the module must be initialized (once, when the first element is
// connected: importing this file does nothing else, so it is safe in Node for server-side
// rendering); with `bundler` it already is.
let initialized;
const ready = () => (initialized ??= typeof csp.default === "function" ? csp.default() : Promise.resolve());

// Where `HTMLElement` does not exist (Node, server-side rendering), the class extends nothing and
// no element is defined.
const Base = typeof HTMLElement === "undefined" ? class {} : HTMLElement;

/** Each attribute and the property that reflects it (React 19 sets properties it finds). */
const REFLECTED = [
  ["customer-id", "customerId"], ["api-base", "apiBase"], ["today", "today"], ["user-role", "userRole"],
  ["environment", "environment"], ["acceptance-page", "acceptancePage"], ["summary-heading-level", "summaryHeadingLevel"],
];

export const TEXTS = {
  "en-US": {
    legend: "Confirm the customer's acceptance", save: "Save", sending: "Sending to Partner Center…",
    legendEnhanced: "Have the customer accept the agreement", send: "Create the acceptance link",
    sent: "Acceptance link created: pass it on to the customer's signatory.",
    routeChanged: "Partner Center's way of confirming changed since this form was shown: the form now follows today's. Check it, then submit again.",
    saved: "Confirmation saved: accepted on {date} by {name}.", template: "Get the agreement template",
    link: "Download the template ({country}, {language}; the link works for 5 minutes)",
    reads: "The customer will read the agreement in {language}.",
    noCustomer: "Set the customer-id attribute to send the confirmation.", correlation: "Correlation ID: {id}",
    restored: "Your unsent entries were restored.",
    broken: "This form cannot be used: {message}",
    unexpected: "Something went wrong before the request could finish ({message}). What you typed is kept: try again.",
  },
  "fr-FR": {
    legend: "Confirmer l'acceptation du client", save: "Enregistrer", sending: "Envoi à l'Espace partenaires…",
    legendEnhanced: "Faire accepter le contrat par le client", send: "Créer le lien d'acceptation",
    sent: "Lien d'acceptation créé\u00a0: transmettez-le au signataire du client.",
    routeChanged: "La façon de confirmer de l'Espace partenaires a changé depuis l'affichage de ce formulaire\u00a0: il suit désormais celle d'aujourd'hui. Vérifiez-le, puis envoyez-le à nouveau.",
    saved: "Confirmation enregistrée\u00a0: accepté le {date} par {name}.", template: "Obtenir le modèle de contrat",
    link: "Télécharger le modèle ({country}, {language}\u202f; lien valable 5\u00a0minutes)",
    reads: "Le client lira le contrat en {language}.",
    noCustomer: "Renseignez l'attribut customer-id pour envoyer la confirmation.", correlation: "ID de corrélation\u00a0: {id}",
    restored: "Vos saisies non envoyées ont été restaurées.",
    broken: "Ce formulaire est inutilisable\u00a0: {message}",
    unexpected: "Un problème est survenu avant la fin de la demande ({message}). Votre saisie est conservée\u00a0: réessayez.",
  },
};

const STYLE = `
:host { display: block; font-family: var(--csp-font, inherit); color: var(--csp-ink, inherit); }
:host([hidden]) { display: none; }
fieldset { border: 1px solid var(--csp-line, #c9c9c9); padding: .75rem 1rem 1rem; margin: 0 0 1rem; }
legend { font-weight: 600; }
.field { margin: .6rem 0; }
label { display: block; font-weight: 600; }
.hint { margin: .2rem 0 0; font-size: .9em; }
input, select { font: inherit; padding: .35rem .5rem; border: 1px solid var(--csp-input-border, #767676); border-radius: 3px; min-width: 14rem; max-width: 100%; }
input[aria-invalid="true"] { border: 2px solid var(--csp-error, #b00020); }
:focus-visible { outline: 3px solid var(--csp-focus, #ffbf47); outline-offset: 1px; }
button { font: inherit; background: var(--csp-accent, #0b5cad); color: var(--csp-accent-ink, #fff); border: 1px solid var(--csp-accent, #0b5cad); border-radius: 3px; padding: .45rem 1rem; cursor: pointer; margin: .25rem .5rem .25rem 0; }
button.secondary { background: transparent; color: var(--csp-accent, #0b5cad); }
button[disabled] { opacity: .6; }
.csp-field-error { color: var(--csp-error, #b00020); font-weight: 600; margin: .25rem 0; }
.csp-field-warning { color: var(--csp-warning, #7a4b00); margin: .25rem 0; }
.csp-error-summary { border: 3px solid var(--csp-error, #b00020); padding: .5rem 1rem; margin: 0 0 1rem; }
.csp-error-summary a { color: var(--csp-error, #b00020); font-weight: 600; }
.csp-error-summary-title { font-size: 1.1rem; margin: .25rem 0; }
.notice { border-left: 4px solid var(--csp-error, #b00020); padding: .5rem .75rem; margin: 0 0 1rem; }
.notice.ok { border-color: var(--csp-ok, #1e6b2f); }
.status:empty { display: none; }
.attestation { border: 1px solid var(--csp-line, #c9c9c9); padding: .5rem 1rem 1rem; margin: 1rem 0; }
.attestation-link { width: 100%; }
.attestation-actions { display: flex; flex-wrap: wrap; align-items: center; gap: .5rem 1rem; margin: .5rem 0; }
.attestation-qr { width: 10rem; height: 10rem; display: block; margin: .5rem 0; }
[hidden] { display: none !important; }
`;

let sheet;
function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}

let instances = 0;

export class CspAgreementConfirmation extends Base {
  static observedAttributes = ["customer-id", "api-base", "locale", "today", "user-role", "role", "environment", "acceptance-page", "summary-heading-level"];

  #tokenProvider = null;
  #portalLedger = null;
  #id = `csp-confirmation-${++instances}`;
  #handle = null;
  #client = null;
  #sending = false;
  /** The route the form was drawn for: judged again at submission. */
  #shownRoute = null;
  /** The last `validation-change` told (its JSON): the same result is not told twice. */
  #lastValidation = null;
  // The MS-RequestId of the confirmation being sent, kept while the same values are sent again.
  #request = {};
  /** The ledger in use (the portal's, or the default one once opened). */
  #ledger = null;
  #unsubscribe = null;
  #built = false;
  /** Why the checks could not be attached (an attribute's value), if they could not. */
  #configurationError = null;

  constructor() {
    super();
    this.attachShadow({ mode: "open" });
    this.shadowRoot.adoptedStyleSheets = [styleSheet()];
    // Properties a framework set before the element was defined (React sets the properties it
    // finds, attributes otherwise) are own properties hiding the accessors: set them again.
    for (const property of ["tokenProvider", "ledger", "locale", ...REFLECTED.map(([, p]) => p)]) {
      if (Object.hasOwn(this, property)) {
        const value = this[property];
        delete this[property];
        this[property] = value;
      }
    }
  }

  /** Returns the bearer token for each request; never stored by the element. */
  get tokenProvider() {
    return this.#tokenProvider;
  }

  set tokenProvider(value) {
    this.#tokenProvider = typeof value === "function" ? value : null;
  }

  /**
   * Where the attestations sent are kept (an `AttestationLedger` of csp-agreements/ledger, or
   * any object with its methods); default: this origin's IndexedDB, shared by every element.
   */
  get ledger() {
    return this.#portalLedger;
  }

  set ledger(value) {
    if (value === this.#portalLedger) return;
    this.#portalLedger = value ?? null;
    if (this.#built) this.#openLedger();
  }

  /** The language: `en-US` or `fr-FR` (anything else reads as `en-US`); reflects `locale`. */
  get locale() {
    return parseLocale(this.getAttribute("locale"));
  }

  set locale(value) {
    this.#reflect("locale", value);
  }

  /** Sets or removes an attribute from its property (null or undefined removes it). */
  #reflect(name, value) {
    if (value === null || value === undefined) this.removeAttribute(name);
    else if (this.getAttribute(name) !== String(value)) this.setAttribute(name, String(value));
  }

  #text(key, values = {}) {
    return interpolate(TEXTS[this.locale][key] ?? key, values);
  }

  /** The options of the checks, from the attributes. */
  #options() {
    const today = this.getAttribute("today");
    const options = { locale: this.locale, summaryHeadingLevel: Number(this.getAttribute("summary-heading-level") ?? 2) || 2 };
    if (today && /^\d{4}-\d{2}-\d{2}$/.test(today)) Object.assign(options, { localToday: today, utcToday: today });
    // `user-role`, not `role`: `role` is ARIA's attribute, and a value such as "admin-agent"
    // would tell assistive technologies the element is a widget of that (invalid) role.
    // `role` is still read when `user-role` is absent, for portals that followed the first draft.
    const role = this.getAttribute("user-role") ?? this.getAttribute("role");
    if (role !== null) options.role = role;
    if (this.hasAttribute("environment")) options.environment = this.getAttribute("environment");
    return options;
  }

  async connectedCallback() {
    await ready();
    if (!this.isConnected || this.#built) return;
    this.#built = true;
    this.#render();
    // The element's own submit listener comes first: whatever happens next, the form never
    // submits natively (a GET would put what was typed in the URL).
    this.#form.addEventListener("submit", (event) => this.#submit(event));
    try {
      this.#handle = csp.attachValidation(this.#form, {
        ...this.#options(),
        onChange: (result) => this.#validationChanged(result),
      });
    } catch (error) {
      this.#configurationError = error;
      this.#broken(error);
    }
    this.#form.addEventListener("input", () => this.#saveDraft());
    this.#form.elements.namedItem("country").addEventListener("change", () => this.#fillLanguages());
    this.shadowRoot.querySelector("[data-template]").addEventListener("click", () => this.#templateLink());
    this.#restoreDraft();
    await this.#openLedger();
  }

  disconnectedCallback() {
    this.#handle?.detach();
    this.#handle = null;
    this.#unsubscribe?.();
    this.#unsubscribe = null;
    this.#built = false;
    this.#lastValidation = null;
    this.shadowRoot.replaceChildren();
  }

  /** The ledger (the portal's, or the default), followed: its changes redraw the panel. */
  async #openLedger() {
    this.#ledger = this.ledger ?? (await sharedLedger());
    this.#client = null;
    this.#unsubscribe?.();
    this.#unsubscribe = this.#ledger.subscribe(() => this.#showAttestation());
    this.#showAttestation();
  }

  attributeChangedCallback(name, before, after) {
    // Setting an attribute to the value it has changes nothing, and says nothing.
    if (!this.#built || before === after) return;
    // The language, or the day (which may be on the other route), draws the form again.
    if (name === "locale" || name === "today") this.#translate();
    if (["api-base", "locale", "acceptance-page"].includes(name)) this.#client = null;
    if (name === "customer-id") this.#startAfresh();
    try {
      this.#handle?.setOptions({ ...this.#options() });
    } catch (error) {
      this.#broken(error);
    }
  }

  /** A configuration the checks refuse (an attribute's value): said in the form, not thrown. */
  #broken(error) {
    this.#notice(this.#text("broken", { message: error?.message ?? String(error) }));
  }

  /** Checks the form now and shows every message. */
  validate() {
    return this.#handle?.validate();
  }

  get #form() {
    return this.shadowRoot.querySelector("form");
  }

  #render() {
    const id = this.#id;
    const form = document.createElement("form");
    form.noValidate = true;
    form.id = id;
    form.setAttribute("part", "form");
    const fieldset = document.createElement("fieldset");
    fieldset.setAttribute("part", "fieldset");
    fieldset.append(document.createElement("legend"));
    // The fields, their controls and their order come from the module's table of fields.
    for (const { field: name, control: type, legacyOnly } of csp.formControls()) {
      const wrapper = document.createElement("div");
      wrapper.className = "field";
      // No agreement to choose nor date to give when the customer accepts by the link.
      if (legacyOnly) wrapper.dataset.route = "legacy";
      wrapper.setAttribute("part", "field");
      const label = document.createElement("label");
      label.htmlFor = `${id}-${name}`;
      label.dataset.label = name;
      label.setAttribute("part", "label");
      const control = document.createElement(type === "select" ? "select" : "input");
      if (type !== "select") control.type = type;
      control.id = `${id}-${name}`;
      control.name = name;
      control.autocomplete = "off";
      control.setAttribute("part", "control");
      wrapper.append(label, control);
      // The language goes with the acceptance request: the element says which one the customer reads.
      if (name === "language") {
        const hint = document.createElement("p");
        hint.id = `${id}-language-hint`;
        hint.className = "hint";
        hint.setAttribute("part", "hint");
        control.setAttribute("aria-describedby", hint.id);
        control.addEventListener("change", () => this.#showLanguage());
        wrapper.append(hint);
      }
      fieldset.append(wrapper);
    }
    const template = document.createElement("button");
    template.type = "button";
    template.className = "secondary";
    template.dataset.template = "";
    template.setAttribute("part", "button secondary-button");
    const link = document.createElement("p");
    link.className = "template-link";
    link.setAttribute("aria-live", "polite");
    fieldset.append(template, link);
    const notice = document.createElement("div");
    notice.className = "notice";
    notice.setAttribute("role", "alert");
    notice.setAttribute("part", "notice");
    notice.hidden = true;
    const status = document.createElement("p");
    status.className = "status";
    status.setAttribute("role", "status");
    status.setAttribute("part", "status");
    const save = document.createElement("button");
    save.type = "submit";
    save.setAttribute("part", "button submit-button");
    form.append(fieldset, notice, save);
    const attestation = document.createElement("section");
    attestation.className = "attestation";
    attestation.setAttribute("part", "attestation");
    attestation.hidden = true;
    this.shadowRoot.replaceChildren(status, form, attestation);
    this.#translate();
  }

  #translate() {
    const labels = csp.labels(this.locale);
    const form = this.#form;
    this.#shownRoute = this.#route();
    const enhanced = this.#shownRoute === "enhanced";
    for (const element of form.querySelectorAll('[data-route="legacy"]')) element.hidden = enhanced;
    form.querySelector("legend").textContent = this.#text(enhanced ? "legendEnhanced" : "legend");
    for (const label of form.querySelectorAll("[data-label]")) label.textContent = labels[label.dataset.label];
    fillAgreements(form.elements.namedItem("agreementType"), labels);
    fillCountries(form.elements.namedItem("country"), csp.countries(), this.locale, "—");
    this.#fillLanguages();
    form.querySelector("[data-template]").textContent = this.#text("template");
    form.querySelector('button[type="submit"]').textContent = this.#text(enhanced ? "send" : "save");
    this.#showAttestation();
  }

  /**
   * Another customer: nothing of the last one stays (its typed values, its notice, its
   * attestation); the new customer's own draft and attestation come back.
   */
  #startAfresh() {
    this.#request = {};
    this.#lastValidation = null;
    this.#form.reset();
    this.#handle?.reset();
    const notice = this.shadowRoot.querySelector(".notice");
    notice.hidden = true;
    notice.replaceChildren();
    this.#status("");
    this.#translate();
    this.#restoreDraft();
  }

  /** The route of a confirmation on the element's day: "legacy" or "enhanced". */
  #route() {
    try {
      return csp.confirmationRoute(this.#options()).route;
    } catch {
      return "enhanced";
    }
  }

  /** The options of the client's calls: the element's day and language. */
  #callOptions() {
    const { locale, localToday, utcToday, environment } = this.#options();
    return { locale, localToday, utcToday, environment };
  }

  /**
   * The customer's attestation from the ledger (the one that stands, else the last one not
   * yet recorded): its status, its link and QR code, Check again, Complete, Create a new link,
   * Withdraw. The form shows again once it is recorded, withdrawn or to send again.
   */
  #showAttestation() {
    const panel = this.shadowRoot.querySelector(".attestation");
    const customerId = this.getAttribute("customer-id") ?? "";
    if (!panel || !this.#ledger) return;
    const records = this.#ledger.recordsOf(customerId);
    const today = this.#callOptions().utcToday;
    const now = today ? `${today}T${new Date().toISOString().slice(11, 19)}Z` : undefined;
    const page = this.getAttribute("acceptance-page") || undefined;
    let items = [];
    try {
      items = csp.ledgerView(records, { now, acceptancePage: page }).items;
    } catch {
      // An acceptance page that is not a web link: the form says so when it sends.
    }
    const item = items.find((i) => i.live) ?? items.find((i) => !i.record.withdrawnAt && i.record.status !== "Completed" && i.next !== "send-again");
    if (!item) {
      panel.hidden = true;
      panel.replaceChildren();
      this.#form.hidden = false;
      return;
    }
    this.#form.hidden = true;
    renderAttestation(panel, {
      item,
      locale: this.locale,
      headingLevel: Number(this.getAttribute("summary-heading-level") ?? 2) || 2,
      client: this.#clientFor(),
      options: this.#callOptions(),
      onMessage: (message) => this.#status(message),
      onSendAgain: () => this.#showForm(),
      onWithdraw: async (record) => {
        await this.#ledger.put(csp.withdrawAttestation(record, { by: this.#ledger.sentBy }));
      },
      onDone: (completion) => {
        try {
          sessionStorage.removeItem(this.#draftKey);
        } catch {
          // Nothing to clean.
        }
        this.#notice(attestationText(this.locale, "completed"), [], completion.correlationId, true);
        this.#emit("confirmation-submitted", { customerId, route: "enhanced", attestationId: completion.attestationId, agreement: completion.agreement, correlationId: completion.correlationId });
      },
      part: (p) => p,
    });
  }

  /** The form again, for a new attestation (the last one expired). */
  #showForm() {
    this.shadowRoot.querySelector(".attestation").hidden = true;
    this.#form.hidden = false;
    this.#form.querySelector("input, select")?.focus();
  }

  #fillLanguages() {
    const form = this.#form;
    const country = form.elements.namedItem("country").value;
    fillLanguages(form.elements.namedItem("language"), country ? csp.templateLanguages(country) : ["en-US"], this.locale, country);
    this.#showLanguage();
  }

  #showLanguage() {
    const language = this.#form.elements.namedItem("language").value;
    this.#form.querySelector(".hint").textContent = language ? this.#text("reads", { language: languageName(language, this.locale) }) : "";
  }

  #values() {
    const values = {};
    for (const element of this.#form.elements) if (element.name) values[element.name] = element.value;
    return values;
  }

  get #draftKey() {
    return `csp-agreement-confirmation:${this.getAttribute("customer-id") ?? ""}`;
  }

  #saveDraft() {
    saveDraft(this.#draftKey, this.#values());
  }

  #restoreDraft() {
    // An attestation sent before a reload comes back from the ledger.
    this.#showAttestation();
    const draft = loadDraft(this.#draftKey);
    if (!draft) return;
    const form = this.#form;
    for (const [name, value] of Object.entries(draft)) {
      const control = form.elements.namedItem(name);
      if (control && typeof value === "string") control.value = value;
      if (name === "country") this.#fillLanguages();
    }
    if (Object.values(draft).some((v) => v && v !== "MicrosoftCustomerAgreement" && v !== "en-US")) this.#status(this.#text("restored"));
  }

  #status(message) {
    this.shadowRoot.querySelector(".status").textContent = message;
  }

  #clientFor() {
    const page = this.getAttribute("acceptance-page");
    this.#client ??= new csp.PartnerCenterClient({
      apiBase: this.getAttribute("api-base") ?? "",
      getToken: async () => (typeof this.tokenProvider === "function" ? await this.tokenProvider() : ""),
      locale: this.locale,
      ledger: this.#ledger ?? undefined,
      ...(page ? { acceptancePage: page } : {}),
    });
    return this.#client;
  }

  /** `validation-change`, only when the result differs from the last one told. */
  #validationChanged(result) {
    const detail = { valid: result.valid, errors: result.errors, warnings: result.warnings };
    const text = JSON.stringify(detail);
    if (text === this.#lastValidation) return;
    this.#lastValidation = text;
    this.#emit("validation-change", detail);
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #notice(message, issues = [], correlationId, ok = false) {
    const footer = correlationId ? this.#text("correlation", { id: correlationId }) : undefined;
    renderNotice(this.shadowRoot.querySelector(".notice"), { message, issues, footer, ok });
  }

  async #submit(event) {
    // attachValidation has already stopped an invalid form; this runs for a valid one, or when
    // the checks could not be attached (then nothing is sent).
    event.preventDefault();
    if (this.#sending) return;
    if (!this.#handle) {
      this.#broken(this.#configurationError);
      return;
    }
    // A form drawn for one route and submitted on the day of the other (open across
    // 2026-01-05 00:00 UTC): drawn again, and nothing sent until the user has seen it.
    if (this.#route() !== this.#shownRoute) {
      this.#translate();
      this.#notice(this.#text("routeChanged"));
      return;
    }
    const customerId = this.getAttribute("customer-id") ?? "";
    const button = this.#form.querySelector('button[type="submit"]');
    this.#sending = true;
    button.disabled = true;
    this.#status(this.#text("sending"));
    this.shadowRoot.querySelector(".notice").hidden = true;
    try {
      const requestId = requestIdFor(this.#request, customerId, this.#values());
      const result = await this.#clientFor().confirm(customerId, this.#values(), { ...this.#options(), requestId });
      this.#status("");
      if (result.ok) this.#request = {};
      if (result.ok && result.route === "enhanced") {
        this.#status(result.ledgerError ? attestationText(this.locale, "notKept", { message: result.ledgerError, id: result.attestation.attestationId }) : this.#text("sent"));
        this.#showAttestation();
        this.shadowRoot.querySelector(".attestation-title")?.focus();
        this.#emit("attestation-created", { customerId, attestation: result.attestation, correlationId: result.correlationId });
      } else if (result.ok) {
        const c = result.agreement.primaryContact;
        const date = dayText(result.agreement.dateAgreed, this.locale);
        const saved = this.#text("saved", { date, name: `${c.firstName} ${c.lastName}` });
        this.#notice(result.note ? `${saved} ${result.note.message}` : saved, [], null, true);
        try {
          sessionStorage.removeItem(this.#draftKey);
        } catch {
          // Nothing to clean.
        }
        this.#emit("confirmation-submitted", { customerId, agreement: result.agreement, agreements: result.agreements, correlationId: result.correlationId, note: result.note });
      } else {
        const message = result.stage === "backend" ? result.error.message : result.errors.map((e) => e.message).join(" ");
        this.#notice(message, result.stage === "backend" ? result.error.issues : [], result.correlationId);
        this.#emit("confirmation-failed", {
          customerId, stage: result.stage, errors: result.errors, correlationId: result.correlationId,
          error: result.error && { code: result.error.code, message: result.error.message, status: result.error.status, issues: result.error.issues },
        });
      }
    } catch (error) {
      this.#status("");
      const message = this.#text("unexpected", { message: error?.message ?? String(error) });
      this.#notice(message);
      this.#emit("confirmation-failed", {
        customerId, stage: "backend", errors: [], correlationId: error?.correlationId ?? "",
        error: { code: error?.code ?? "unexpected", message, status: error?.status, issues: error?.issues ?? [] },
      });
    } finally {
      this.#sending = false;
      button.disabled = false;
    }
  }

  async #templateLink() {
    const output = this.shadowRoot.querySelector(".template-link");
    const { country, language } = this.#values();
    output.replaceChildren();
    if (!country) return;
    await showTemplateLink(output, {
      client: this.#clientFor(),
      country,
      language,
      part: "link",
      linkText: (found) => this.#text("link", { country: found.country, language: found.language }),
      failureText: (error) => error.message,
    });
  }
}

for (const [attribute, property] of REFLECTED) {
  Object.defineProperty(CspAgreementConfirmation.prototype, property, {
    configurable: true,
    enumerable: true,
    get() {
      return this.getAttribute(attribute);
    },
    set(value) {
      if (value === null || value === undefined || value === false) this.removeAttribute(attribute);
      else if (this.getAttribute(attribute) !== String(value)) this.setAttribute(attribute, String(value));
    },
  });
}

if (globalThis.customElements && !customElements.get("csp-agreement-confirmation")) {
  customElements.define("csp-agreement-confirmation", CspAgreementConfirmation);
}
