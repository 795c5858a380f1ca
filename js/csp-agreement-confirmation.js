// <csp-agreement-confirmation>: the confirmation form as one element, for partner portals.
// One import, one element:
//   <script type="module" src="/pkg/csp-agreement-confirmation.js"></script>
//   <csp-agreement-confirmation customer-id="…" api-base="https://…"></csp-agreement-confirmation>
//   element.tokenProvider = async () => bearerToken;
// Shadow DOM (open): the portal's CSS cannot break the form and the form's CSS cannot leak into
// the portal; style it through the CSS custom properties and ::part() names listed in README.md.
//
// Typed by its JSDoc: the build checks it (TypeScript, strict) and writes its declarations
// (csp-agreement-confirmation.d.ts) from it, so the types a portal reads are the code's.
// @ts-check
import * as csp from "./csp_agreements.js";
import { AttestationLedger, indexedDbStore } from "./ledger.js";
import {
  attestationText, dayText, fillAgreements, fillCountries, fillLanguages, interpolate, languageName, loadDraft, parseLocale,
  renderAttestation, renderNotice, requestIdFor, saveDraft, showTemplateLink,
} from "./ui.js";
/**
 * @import {
 *   Agreement, Attestation, AttestationLedgerLike, BackendProblem, ConfirmNote, FieldIssue, LedgerRecord, Locale,
 *   AttachOptions, Environment, PartnerCenterClient, Role, ValidationHandle,
 * } from "./csp_agreements.js"
 */

/**
 * The element's attributes (strings, as HTML has them), each reflected by the property of its
 * name in camelCase (React 19 sets properties it finds).
 * @typedef {object} CspAgreementConfirmationAttributes
 * @property {string} [customer-id] The customer the confirmation is for.
 * @property {string} [api-base] Partner Center's address, or the portal's relay.
 * @property {Locale} [locale] The language (anything else reads as `en-US`).
 * @property {string} [today] YYYY-MM-DD: checks against this day instead of the clock (demonstrations).
 * @property {Role} [user-role] The signed-in user's Partner Center role (not `role`, which is ARIA's).
 * @property {"production" | "sandbox"} [environment] Where the customer is.
 * @property {string} [acceptance-page] The page of the portal where the customer accepts by the link.
 * @property {2 | 3 | 4 | 5 | 6} [summary-heading-level] The level of the error summary's heading.
 */

/**
 * The element's properties that no attribute can hold (a function, an object), as a portal sets
 * them (React 19 sets them as properties too).
 * @typedef {object} CspAgreementConfirmationProperties
 * @property {(() => string | Promise<string>) | null} tokenProvider Returns the bearer token for each request; never stored by the element.
 * @property {AttestationLedgerLike | null} ledger Where the attestations sent are kept; default: this origin's IndexedDB.
 */

/**
 * Detail of `validation-change`: after every check (as the user types, on submit).
 * @typedef {object} ValidationChangeDetail
 * @property {boolean} valid
 * @property {FieldIssue[]} errors
 * @property {FieldIssue[]} warnings
 */

/**
 * Detail of `confirmation-submitted`: the legacy POST recorded the confirmation, or (the
 * enhanced route) the customer accepted by the link and the attestation was completed.
 * @typedef {{
 *   customerId: string, route?: "legacy", agreement: Agreement, agreements: Agreement[],
 *   correlationId: string, note?: ConfirmNote,
 * } | {
 *   customerId: string, route: "enhanced", attestationId: string, agreement?: Agreement,
 *   correlationId: string,
 * }} ConfirmationSubmittedDetail
 * On the legacy route `agreement` is the stored confirmation (`dateAgreed` as YYYY-MM-DD),
 * `agreements` the customer's confirmations of that agreement read back after saving, and `note`
 * present when the way there was not the straight one (an answer lost, a failed read-back). On
 * the enhanced route `agreement` is the agreement recorded (absent when the completion's answer
 * was lost).
 */

/**
 * Detail of `attestation-created` (the enhanced route): the link to give the customer.
 * @typedef {object} AttestationCreatedDetail
 * @property {string} customerId
 * @property {Attestation} attestation
 * @property {string} correlationId
 */

/**
 * Detail of `confirmation-failed`: refused before sending (`validation`), or by Partner Center or
 * on the way (`backend`; an unexpected failure has the code `unexpected`).
 * @typedef {object} ConfirmationFailedDetail
 * @property {string} customerId
 * @property {"validation" | "backend"} stage
 * @property {FieldIssue[]} errors
 * @property {string} correlationId
 * @property {{ code: BackendProblem | "unexpected", message: string, status?: number, issues: FieldIssue[] }} [error]
 */

/**
 * The element's own events (they bubble and cross the shadow root), by name.
 * @typedef {object} CspAgreementConfirmationEvents
 * @property {CustomEvent<ValidationChangeDetail>} validation-change
 * @property {CustomEvent<ConfirmationSubmittedDetail>} confirmation-submitted
 * @property {CustomEvent<ConfirmationFailedDetail>} confirmation-failed
 * @property {CustomEvent<AttestationCreatedDetail>} attestation-created
 */

/** @typedef {HTMLElementEventMap & CspAgreementConfirmationEvents} CspAgreementConfirmationEventMap */

/** A Partner Center role of the signed-in user, as the form's checks know them. @typedef {Role} UserRole */

// The attestations the elements of this page send, kept in this origin's IndexedDB unless the
// portal gives its own ledger (`element.ledger`): opened once, shared by every element.
/** @type {Promise<AttestationLedger> | undefined} */
let defaultLedger;
function sharedLedger() {
  defaultLedger ??= AttestationLedger.open(indexedDbStore()).catch(() => new AttestationLedger(memoryFallback()));
  return defaultLedger;
}

/**
 * Where records go when IndexedDB cannot be opened (private mode): this page's memory.
 * @returns {import("./ledger.js").LedgerStore}
 */
function memoryFallback() {
  /** @type {Map<string, LedgerRecord>} */
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
/** @type {Promise<unknown> | undefined} */
let initialized;
// (Typed for both targets: the `bundler` target's module has no `default`.)
const init = /** @type {{ default?: () => Promise<unknown> }} */ (/** @type {unknown} */ (csp)).default;
const ready = () => (initialized ??= typeof init === "function" ? init() : Promise.resolve());

// Where `HTMLElement` does not exist (Node, server-side rendering), the class extends nothing and
// no element is defined.
const Base = /** @type {typeof HTMLElement} */ (typeof HTMLElement === "undefined" ? class {} : HTMLElement);

/** The element's own texts in each language (its field labels and messages come from the rules). */
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

/** @type {CSSStyleSheet | undefined} */
let sheet;
function styleSheet() {
  if (!sheet) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLE);
  }
  return sheet;
}

let instances = 0;

/**
 * The confirmation form as one element. Every attribute is reflected by a property (React 19
 * sets properties); setting one to the value it has changes nothing and emits nothing.
 * Importing the module where `HTMLElement` does not exist (server-side rendering) defines
 * nothing.
 */
export class CspAgreementConfirmation extends Base {
  /** @type {readonly (keyof CspAgreementConfirmationAttributes | "role")[]} */
  static observedAttributes = ["customer-id", "api-base", "locale", "today", "user-role", "role", "environment", "acceptance-page", "summary-heading-level"];

  /** @type {CspAgreementConfirmationProperties["tokenProvider"]} */
  #tokenProvider = null;
  /** @type {CspAgreementConfirmationProperties["ledger"]} */
  #portalLedger = null;
  #id = `csp-confirmation-${++instances}`;
  /** @type {ValidationHandle | null} */
  #handle = null;
  /** @type {PartnerCenterClient | null} */
  #client = null;
  #sending = false;
  /** The route the form was drawn for: judged again at submission. @type {string | null} */
  #shownRoute = null;
  /** The last `validation-change` told (its JSON): the same result is not told twice. @type {string | null} */
  #lastValidation = null;
  // The MS-RequestId of the confirmation being sent, kept while the same values are sent again.
  #request = {};
  /** The ledger in use (the portal's, or the default one once opened). @type {AttestationLedgerLike & { subscribe?: (listener: () => void) => () => void } | null} */
  #ledger = null;
  /** @type {(() => void) | null} */
  #unsubscribe = null;
  #built = false;
  /** Why the checks could not be attached (an attribute's value), if they could not. @type {unknown} */
  #configurationError = null;
  /** @type {ShadowRoot} */
  #root;

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: "open" });
    this.#root.adoptedStyleSheets = [styleSheet()];
    // Properties a framework set before the element was defined (React sets the properties it
    // finds, attributes otherwise) are own properties hiding the accessors: set them again.
    const self = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (this));
    for (const property of SETTABLE) {
      if (Object.hasOwn(this, property)) {
        const value = self[property];
        delete self[property];
        self[property] = value;
      }
    }
  }

  /**
   * Returns the bearer token for each request; never stored by the element.
   * @returns {CspAgreementConfirmationProperties["tokenProvider"]}
   */
  get tokenProvider() {
    return this.#tokenProvider;
  }

  /** @param {CspAgreementConfirmationProperties["tokenProvider"] | undefined} value */
  set tokenProvider(value) {
    this.#tokenProvider = typeof value === "function" ? value : null;
  }

  /**
   * Where the attestations sent are kept (an `AttestationLedger` of csp-agreements/ledger, or
   * any object with its methods); default: this origin's IndexedDB, shared by every element.
   * @returns {CspAgreementConfirmationProperties["ledger"]}
   */
  get ledger() {
    return this.#portalLedger;
  }

  /** @param {CspAgreementConfirmationProperties["ledger"] | undefined} value */
  set ledger(value) {
    if (value === this.#portalLedger) return;
    this.#portalLedger = value ?? null;
    if (this.#built) this.#openLedger();
  }

  /**
   * The language: `en-US` or `fr-FR` (anything else reads as `en-US`); reflects `locale`.
   * @returns {Locale}
   */
  get locale() {
    return parseLocale(this.getAttribute("locale"));
  }

  /** @param {Locale | string | null | undefined} value */
  set locale(value) {
    this.#reflect("locale", value);
  }

  /**
   * The customer the confirmation is for; reflects `customer-id`.
   * @returns {string | null}
   */
  get customerId() {
    return this.getAttribute("customer-id");
  }

  /** @param {string | null | undefined} value */
  set customerId(value) {
    this.#reflect("customer-id", value);
  }

  /**
   * Partner Center's address, or the portal's relay; reflects `api-base`.
   * @returns {string | null}
   */
  get apiBase() {
    return this.getAttribute("api-base");
  }

  /** @param {string | null | undefined} value */
  set apiBase(value) {
    this.#reflect("api-base", value);
  }

  /**
   * YYYY-MM-DD: checks against this day instead of the clock (demonstrations); reflects `today`.
   * @returns {string | null}
   */
  get today() {
    return this.getAttribute("today");
  }

  /** @param {string | null | undefined} value */
  set today(value) {
    this.#reflect("today", value);
  }

  /**
   * The signed-in user's Partner Center role; reflects `user-role` (not `role`, which is ARIA's).
   * @returns {string | null}
   */
  get userRole() {
    return this.getAttribute("user-role");
  }

  /** @param {Role | string | null | undefined} value */
  set userRole(value) {
    this.#reflect("user-role", value);
  }

  /**
   * `production` or `sandbox`; reflects `environment`.
   * @returns {string | null}
   */
  get environment() {
    return this.getAttribute("environment");
  }

  /** @param {"production" | "sandbox" | string | null | undefined} value */
  set environment(value) {
    this.#reflect("environment", value);
  }

  /**
   * The page of the portal where the customer accepts by the link; reflects `acceptance-page`.
   * @returns {string | null}
   */
  get acceptancePage() {
    return this.getAttribute("acceptance-page");
  }

  /** @param {string | null | undefined} value */
  set acceptancePage(value) {
    this.#reflect("acceptance-page", value);
  }

  /**
   * The level of the error summary's heading (2 to 6); reflects `summary-heading-level`.
   * @returns {string | null}
   */
  get summaryHeadingLevel() {
    return this.getAttribute("summary-heading-level");
  }

  /** @param {2 | 3 | 4 | 5 | 6 | string | null | undefined} value */
  set summaryHeadingLevel(value) {
    this.#reflect("summary-heading-level", value);
  }

  /**
   * Sets or removes an attribute from its property (null, undefined or false removes it).
   * @param {string} name
   * @param {unknown} value
   */
  #reflect(name, value) {
    if (value === null || value === undefined || value === false) this.removeAttribute(name);
    else if (this.getAttribute(name) !== String(value)) this.setAttribute(name, String(value));
  }

  /**
   * @param {keyof typeof TEXTS["en-US"]} key
   * @param {Record<string, string>} [values]
   */
  #text(key, values = {}) {
    return interpolate(TEXTS[this.locale][key] ?? key, values);
  }

  /**
   * The options of the checks, from the attributes.
   * @returns {import("./csp_agreements.js").AttachOptions}
   */
  #options() {
    const today = this.getAttribute("today");
    /** @type {AttachOptions} */
    const options = { locale: this.locale, summaryHeadingLevel: Number(this.getAttribute("summary-heading-level") ?? 2) || 2 };
    if (today && /^\d{4}-\d{2}-\d{2}$/.test(today)) Object.assign(options, { localToday: today, utcToday: today });
    // `user-role`, not `role`: `role` is ARIA's attribute, and a value such as "admin-agent"
    // would tell assistive technologies the element is a widget of that (invalid) role.
    // `role` is still read when `user-role` is absent, for portals that followed the first draft.
    // An attribute's value is the module's to judge: one it does not know is said in the form.
    const role = this.getAttribute("user-role") ?? this.getAttribute("role");
    if (role !== null) options.role = /** @type {Role} */ (role);
    const environment = this.getAttribute("environment");
    if (environment !== null) options.environment = /** @type {Environment} */ (environment);
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
    this.#control("country").addEventListener("change", () => this.#fillLanguages());
    this.#find("[data-template]").addEventListener("click", () => this.#templateLink());
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
    this.#root.replaceChildren();
  }

  /** The ledger (the portal's, or the default), followed: its changes redraw the panel. */
  async #openLedger() {
    const ledger = this.ledger ?? (await sharedLedger());
    this.#ledger = ledger;
    this.#client = null;
    this.#unsubscribe?.();
    this.#unsubscribe = "subscribe" in ledger && typeof ledger.subscribe === "function" ? ledger.subscribe(() => this.#showAttestation()) : null;
    this.#showAttestation();
  }

  /**
   * @param {string} name
   * @param {string | null} before
   * @param {string | null} after
   */
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

  /**
   * A configuration the checks refuse (an attribute's value): said in the form, not thrown.
   * @param {unknown} error
   */
  #broken(error) {
    this.#notice(this.#text("broken", { message: messageOf(error) }));
  }

  /** Checks the form now and shows every message (`undefined` before the element is connected). */
  validate() {
    return this.#handle?.validate();
  }

  get #form() {
    return this.#find("form", HTMLFormElement);
  }

  /**
   * The element of the shadow tree that `selector` finds, of the class given.
   * @template {Element} [T=HTMLElement]
   * @param {string} selector
   * @param {abstract new () => T} [kind]
   * @returns {T}
   */
  #find(selector, kind) {
    const found = this.#root.querySelector(selector);
    if (!(found instanceof (kind ?? HTMLElement))) throw new Error(`csp-agreement-confirmation: no ${selector} in the form`);
    return /** @type {T} */ (found);
  }

  /**
   * The form's control of a field.
   * @param {string} name
   * @returns {HTMLInputElement | HTMLSelectElement}
   */
  #control(name) {
    return /** @type {HTMLInputElement | HTMLSelectElement} */ (this.#form.elements.namedItem(name));
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
      const control = type === "select" ? document.createElement("select") : document.createElement("input");
      if (control instanceof HTMLInputElement) control.type = type;
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
    this.#root.replaceChildren(status, form, attestation);
    this.#translate();
  }

  #translate() {
    const labels = csp.labels(this.locale);
    const form = this.#form;
    this.#shownRoute = this.#route();
    const enhanced = this.#shownRoute === "enhanced";
    for (const element of form.querySelectorAll('[data-route="legacy"]')) if (element instanceof HTMLElement) element.hidden = enhanced;
    this.#find("legend").textContent = this.#text(enhanced ? "legendEnhanced" : "legend");
    for (const label of form.querySelectorAll("label[data-label]")) {
      if (label instanceof HTMLElement) label.textContent = labels[/** @type {keyof typeof labels} */ (label.dataset.label)];
    }
    fillAgreements(this.#control("agreementType"), labels);
    fillCountries(this.#control("country"), csp.countries(), this.locale, "—");
    this.#fillLanguages();
    this.#find("[data-template]").textContent = this.#text("template");
    this.#find('button[type="submit"]').textContent = this.#text(enhanced ? "send" : "save");
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
    const notice = this.#find(".notice");
    notice.hidden = true;
    notice.replaceChildren();
    this.#status("");
    this.#translate();
    this.#restoreDraft();
  }

  /**
   * The route of a confirmation on the element's day.
   * @returns {"legacy" | "enhanced"}
   */
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
    const panel = this.#root.querySelector(".attestation");
    const customerId = this.getAttribute("customer-id") ?? "";
    const ledger = this.#ledger;
    if (!(panel instanceof HTMLElement) || !ledger) return;
    const records = ledger.recordsOf(customerId);
    const today = this.#callOptions().utcToday;
    const now = today ? `${today}T${new Date().toISOString().slice(11, 19)}Z` : undefined;
    const page = this.getAttribute("acceptance-page") || undefined;
    /** @type {import("./csp_agreements.js").LedgerItem[]} */
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
      onMessage: (/** @type {string} */ message) => this.#status(message),
      onSendAgain: () => this.#showForm(),
      onWithdraw: async (/** @type {LedgerRecord} */ record) => {
        await ledger.put(csp.withdrawAttestation(record, { by: ledger.sentBy }));
      },
      onDone: (/** @type {import("./csp_agreements.js").Completed} */ completion) => {
        try {
          sessionStorage.removeItem(this.#draftKey);
        } catch {
          // Nothing to clean.
        }
        this.#notice(attestationText(this.locale, "completed"), [], completion.correlationId, true);
        this.#emit("confirmation-submitted", { customerId, route: "enhanced", attestationId: completion.attestationId, agreement: completion.agreement, correlationId: completion.correlationId });
      },
      part: (/** @type {string} */ p) => p,
    });
  }

  /** The form again, for a new attestation (the last one expired). */
  #showForm() {
    this.#find(".attestation").hidden = true;
    this.#form.hidden = false;
    /** @type {HTMLElement | null} */ (this.#form.querySelector("input, select"))?.focus();
  }

  #fillLanguages() {
    const country = this.#control("country").value;
    fillLanguages(this.#control("language"), country ? csp.templateLanguages(country) : ["en-US"], this.locale, country);
    this.#showLanguage();
  }

  #showLanguage() {
    const language = this.#control("language").value;
    this.#find(".hint").textContent = language ? this.#text("reads", { language: languageName(language, this.locale) }) : "";
  }

  /**
   * What the form holds, by field.
   * @returns {Record<string, string>}
   */
  #values() {
    /** @type {Record<string, string>} */
    const values = {};
    for (const element of this.#form.elements) {
      if ((element instanceof HTMLInputElement || element instanceof HTMLSelectElement) && element.name) values[element.name] = element.value;
    }
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
    for (const [name, value] of Object.entries(draft)) {
      const control = this.#form.elements.namedItem(name);
      if ((control instanceof HTMLInputElement || control instanceof HTMLSelectElement) && typeof value === "string") control.value = value;
      if (name === "country") this.#fillLanguages();
    }
    if (Object.values(draft).some((v) => v && v !== "MicrosoftCustomerAgreement" && v !== "en-US")) this.#status(this.#text("restored"));
  }

  /** @param {string} message */
  #status(message) {
    this.#find(".status").textContent = message;
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

  /**
   * `validation-change`, only when the result differs from the last one told.
   * @param {{ valid: boolean, errors: FieldIssue[], warnings: FieldIssue[] }} result
   */
  #validationChanged(result) {
    const detail = { valid: result.valid, errors: result.errors, warnings: result.warnings };
    const text = JSON.stringify(detail);
    if (text === this.#lastValidation) return;
    this.#lastValidation = text;
    this.#emit("validation-change", detail);
  }

  /**
   * @template {keyof CspAgreementConfirmationEvents} K
   * @param {K} type
   * @param {CspAgreementConfirmationEvents[K]["detail"]} detail
   */
  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  /**
   * @param {string} message
   * @param {FieldIssue[]} [issues]
   * @param {string | null} [correlationId]
   */
  #notice(message, issues = [], correlationId = null, ok = false) {
    const footer = correlationId ? this.#text("correlation", { id: correlationId }) : undefined;
    renderNotice(this.#find(".notice"), { message, issues, footer, ok });
  }

  /** @param {SubmitEvent} event */
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
    const button = this.#find('button[type="submit"]', HTMLButtonElement);
    this.#sending = true;
    button.disabled = true;
    this.#status(this.#text("sending"));
    this.#find(".notice").hidden = true;
    try {
      const requestId = requestIdFor(this.#request, customerId, this.#values());
      const values = /** @type {import("./csp_agreements.js").ConfirmationForm} */ (this.#values());
      const result = await this.#clientFor().confirm(customerId, values, { ...this.#options(), requestId });
      this.#status("");
      if (result.ok) this.#request = {};
      if (result.ok && result.route === "enhanced") {
        this.#status(result.ledgerError ? attestationText(this.locale, "notKept", { message: result.ledgerError, id: result.attestation.attestationId }) : this.#text("sent"));
        this.#showAttestation();
        /** @type {HTMLElement | null} */ (this.#root.querySelector(".attestation-title"))?.focus();
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
        const error = result.stage === "backend" ? result.error : undefined;
        const message = error ? error.message : result.errors.map((e) => e.message).join(" ");
        this.#notice(message, error ? error.issues : [], result.correlationId);
        this.#emit("confirmation-failed", {
          customerId, stage: result.stage, errors: result.errors, correlationId: result.correlationId,
          error: error && { code: error.code, message: error.message, status: error.status, issues: error.issues },
        });
      }
    } catch (error) {
      this.#status("");
      const message = this.#text("unexpected", { message: messageOf(error) });
      this.#notice(message);
      const failure = /** @type {{ correlationId?: string, code?: BackendProblem, status?: number, issues?: FieldIssue[] } | null | undefined} */ (error);
      this.#emit("confirmation-failed", {
        customerId, stage: "backend", errors: [], correlationId: failure?.correlationId ?? "",
        error: { code: failure?.code ?? "unexpected", message, status: failure?.status, issues: failure?.issues ?? [] },
      });
    } finally {
      this.#sending = false;
      button.disabled = false;
    }
  }

  async #templateLink() {
    const output = this.#find(".template-link");
    const { country, language } = this.#values();
    output.replaceChildren();
    if (!country) return;
    await showTemplateLink(output, {
      client: this.#clientFor(),
      country,
      language,
      part: "link",
      linkText: (/** @type {{ country: string, language: string }} */ found) => this.#text("link", { country: found.country, language: found.language }),
      failureText: (/** @type {unknown} */ error) => messageOf(error),
    });
  }

  /**
   * The element's events typed by their name (`CspAgreementConfirmationEventMap`).
   * @template {keyof CspAgreementConfirmationEventMap} K
   * @overload
   * @param {K} type
   * @param {(this: CspAgreementConfirmation, event: CspAgreementConfirmationEventMap[K]) => void} listener
   * @param {boolean | AddEventListenerOptions} [options]
   * @returns {void}
   *
   * @overload
   * @param {string} type
   * @param {EventListenerOrEventListenerObject} listener
   * @param {boolean | AddEventListenerOptions} [options]
   * @returns {void}
   *
   * @param {string} type
   * @param {any} listener
   * @param {boolean | AddEventListenerOptions} [options]
   */
  addEventListener(type, listener, options) {
    super.addEventListener(type, listener, options);
  }

  /**
   * @template {keyof CspAgreementConfirmationEventMap} K
   * @overload
   * @param {K} type
   * @param {(this: CspAgreementConfirmation, event: CspAgreementConfirmationEventMap[K]) => void} listener
   * @param {boolean | EventListenerOptions} [options]
   * @returns {void}
   *
   * @overload
   * @param {string} type
   * @param {EventListenerOrEventListenerObject} listener
   * @param {boolean | EventListenerOptions} [options]
   * @returns {void}
   *
   * @param {string} type
   * @param {any} listener
   * @param {boolean | EventListenerOptions} [options]
   */
  removeEventListener(type, listener, options) {
    super.removeEventListener(type, listener, options);
  }
}

/**
 * An error's message, whatever was thrown.
 * @param {unknown} error
 */
function messageOf(error) {
  return error instanceof Error ? error.message : String(/** @type {{ message?: unknown } | null | undefined} */ (error)?.message ?? error);
}

/** The element's settable properties (its accessors with a setter), found once. */
const SETTABLE = Object.entries(Object.getOwnPropertyDescriptors(CspAgreementConfirmation.prototype))
  .filter(([, { set }]) => set)
  .map(([property]) => property);

if (globalThis.customElements && !customElements.get("csp-agreement-confirmation")) {
  customElements.define("csp-agreement-confirmation", CspAgreementConfirmation);
}
