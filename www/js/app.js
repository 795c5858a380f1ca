// The partner's page: new-customer and existing-customer confirmation, the attestations in
// flight (the ledger), the portfolio, many customers from a file, and the timeline; every
// request through the wasm module's Partner Center client (to the local sandbox).

// The demo URL carries the sandbox token in its fragment (never sent to a server): it leaves
// the address bar (and so the history and any link copied from it) first, before anything can
// fail, and lives in the token field of this page only.
const fragment = new URLSearchParams(location.hash.slice(1));
const fragmentToken = fragment.get("token");
if (fragment.has("token")) {
  fragment.delete("token");
  const rest = fragment.toString();
  history.replaceState(history.state, "", `${location.pathname}${location.search}${rest ? `#${rest}` : ""}`);
}

const {
  default: init, PartnerCenterClient, agreementStatus, attachValidation, attestationEvidence, confirmationRoute, countries,
  csvOf, labels, ledgerView, orderGate, templateLanguages, timeline, today, withdrawAttestation,
} = await import("/pkg/csp_agreements.js");
const ui = await import("/pkg/ui.js");
const { AttestationLedger, httpStore } = await import("/pkg/ledger.js");
const { setUpBulk } = await import("./bulk.js");
const { setUpAcceptances } = await import("./acceptances.js");
const { setUpPortfolio } = await import("./portfolio.js");
const { browserLocale, text } = await import("./i18n.js");
const { setUpTimelineTab } = await import("./timeline-tab.js");
const { setUpNewCustomer } = await import("./new-customer.js");
const { setUpExisting } = await import("./existing.js");

await init();

const $ = (selector, root = document) => root.querySelector(selector);
const $$ = (selector, root = document) => [...root.querySelectorAll(selector)];
const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DRAFT_KEY = "csp-agreements:draft:v1";

// ----- Page state -------------------------------------------------------------------------------

const query = new URLSearchParams(location.search);
const todayParam = query.get("today");
const todayOverride = todayParam && ISO_DATE.test(todayParam) ? todayParam : null;

const state = {
  locale: browserLocale(),
  customer: null, // the customer open in the existing-customer flow
  agreements: [], // its confirmations (both agreements)
  draft: loadDraft(),
};

function loadDraft() {
  return ui.loadDraft(DRAFT_KEY) ?? {};
}

/** Keeps what the user typed (never the token) for a reload in this tab. */
function saveDraft() {
  ui.saveDraft(DRAFT_KEY, state.draft);
}

const t = (key, values) => text(state.locale, key, values);

/** The options every check and the client take. */
function checkOptions(extra = {}) {
  const day = todayOverride ? { localToday: todayOverride, utcToday: todayOverride } : {};
  return { ...day, locale: state.locale, role: $("#role").value, ...extra };
}

const tokenInput = $("#token");
tokenInput.value = fragmentToken ?? "";
const token = () => tokenInput.value.trim();

// The attestations sent, from sending to recorded: kept by the sandbox (the contract of a
// portal's own backend, `httpStore`), so that every browser and every tab of the team sees the
// same ones. No token, no personal data and no link in it.
const ledger = new AttestationLedger(httpStore("", { getToken: token }), { sentBy: "demo partner" });
const ACCEPTANCE_PAGE = `${location.origin}/accept/`;
let client = newClient();

function newClient() {
  return new PartnerCenterClient({
    apiBase: "",
    getToken: token,
    locale: state.locale,
    ledger,
    acceptancePage: ACCEPTANCE_PAGE,
  });
}

/** The ledger's records as read now (the page's day), newest first, with their next steps and the counts. */
function ledgerState(records = ledger.records()) {
  const day = todayOverride ?? today(checkOptions()).utc;
  const now = `${day}T${new Date().toISOString().slice(11, 19)}Z`;
  return ledgerView(records, { now, acceptancePage: ACCEPTANCE_PAGE });
}

const ledgerItems = (records) => ledgerState(records).items;

/** Loads the ledger (again); says why when it cannot. */
async function loadLedger() {
  if (!token()) return;
  try {
    await ledger.reload();
  } catch (error) {
    status(t("ledger.unavailable", { message: error.message }));
  }
}

// ----- Formatting -------------------------------------------------------------------------------

function formatDate(iso, style = "long") {
  if (!iso || !ISO_DATE.test(iso.slice(0, 10))) return iso ?? "";
  return ui.dayText(iso.slice(0, 10), state.locale, style);
}

function countryName(code) {
  return ui.countryName(code, state.locale, COUNTRIES.find((c) => c.code === code)?.name ?? code);
}

const languageName = (tag) => ui.languageName(tag, state.locale);

// ----- Static texts and selects -----------------------------------------------------------------

const COUNTRIES = countries();

function translate() {
  document.documentElement.lang = state.locale.slice(0, 2);
  document.title = t("title");
  for (const element of $$("[data-i18n]")) element.textContent = t(element.dataset.i18n);
  for (const element of $$("[data-i18n-aria-label]")) element.setAttribute("aria-label", t(element.dataset.i18nAriaLabel));
  const fieldLabels = labels(state.locale);
  for (const element of $$("[data-label]")) element.textContent = fieldLabels[element.dataset.label];
  for (const select of $$(".agreement-select")) ui.fillAgreements(select, fieldLabels);
  for (const select of $$(".country-select")) ui.fillCountries(select, COUNTRIES, state.locale, t("choose"));
  for (const select of $$(".language-select")) fillLanguages(select);
  applyRoute();
  const banner = $("#today-banner");
  banner.hidden = !todayOverride;
  if (todayOverride) banner.textContent = t("today.override", { date: formatDate(todayOverride), iso: todayOverride });
}

/** The route of a confirmation today (Partner Center's day): "legacy" or "enhanced". */
const routeOf = () => confirmationRoute(checkOptions()).route;

/** Shows the fields and texts of today's route: no date of acceptance on the enhanced route. */
let shownRoute = null;
function applyRoute() {
  shownRoute = routeOf();
  const enhanced = shownRoute === "enhanced";
  for (const element of $$('[data-route="legacy"]')) element.hidden = enhanced;
  for (const note of $$("[data-route-note]")) note.textContent = t(enhanced ? "route.enhanced" : "route.legacy");
  for (const element of $$("[data-i18n-enhanced]")) element.textContent = t(enhanced ? element.dataset.i18nEnhanced : element.dataset.i18n);
}

/**
 * A form drawn for one route and submitted on the day of the other (a page open across
 * 2026-01-05 00:00 UTC): the page is drawn again for today's and nothing is sent until the user
 * has seen it.
 */
function routeChanged(form) {
  if (routeOf() === shownRoute) return false;
  applyRoute();
  showNotice(form, t("route.changed"));
  return true;
}

/** The template languages of the country chosen for this language select. */
function fillLanguages(select) {
  const country = countryOf(select);
  ui.fillLanguages(select, country ? templateLanguages(country) : ["en-US"], state.locale, country);
  showLanguage(select);
}

function countryOf(languageSelect) {
  return (languageSelect.id === "new-language" ? $("#new-country") : $("#ex-country")).value;
}

/**
 * Says which language the customer will read the agreement in (it goes with the acceptance
 * request), and takes away a template link shown for another country or language.
 */
function showLanguage(select) {
  $(`#${select.id}-hint`).textContent = select.value ? t("language.reads", { language: languageName(select.value) }) : "";
  const output = $(".template-link", select.closest(".template"));
  if (output.dataset.for !== `${countryOf(select)}/${select.value}`) {
    output.replaceChildren();
    delete output.dataset.for;
  }
}

for (const select of $$(".language-select")) select.addEventListener("change", () => showLanguage(select));

// ----- Tabs ---------------------------------------------------------------------------------------

const tabs = $$('[role="tab"]');

function showTab(id, focus = false) {
  for (const tab of tabs) {
    const selected = tab.id === id;
    tab.setAttribute("aria-selected", String(selected));
    tab.tabIndex = selected ? 0 : -1;
    $(`#${tab.getAttribute("aria-controls")}`).hidden = !selected;
    if (selected && focus) tab.focus();
  }
  state.draft.tab = id;
  saveDraft();
  if (id === "tab-timeline") renderTimeline();
  if (id === "tab-acceptances") acceptancesTab.refresh();
}

for (const tab of tabs) {
  tab.addEventListener("click", () => showTab(tab.id));
  tab.addEventListener("keydown", (event) => {
    const index = tabs.indexOf(tab);
    const next = { ArrowRight: index + 1, ArrowLeft: index - 1, Home: 0, End: tabs.length - 1 }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    showTab(tabs[(next + tabs.length) % tabs.length].id, true);
  });
}

// ----- Forms: values, drafts, notices -----------------------------------------------------------

function valuesOf(form) {
  const values = {};
  for (const element of form.elements) if (element.name) values[element.name] = element.value;
  return values;
}

function fill(form, values = {}) {
  for (const [name, value] of Object.entries(values)) {
    const element = form.elements.namedItem(name);
    if (element && typeof value === "string") element.value = value;
  }
}

function status(message) {
  $("#status").textContent = message;
}

/** Shows a failure in the form's notice: the message, the field problems, the correlation id. */
function showNotice(form, message, issues = [], correlationId) {
  // A success said earlier no longer stands beside a new problem.
  status("");
  const footer = correlationId ? t("correlation", { id: correlationId }) : undefined;
  ui.renderNotice($(".notice", form), { message, issues, footer });
}

function hideNotice(form) {
  const notice = $(".notice", form);
  notice.hidden = true;
  notice.replaceChildren();
}

/** A rejected request, or a ConfirmResult that failed, in the form's notice. */
function showFailure(form, failure) {
  if (failure?.stage === "validation") {
    showNotice(form, failure.errors.map((e) => e.message).join(" "), [], failure.correlationId);
  } else if (failure?.stage === "backend") {
    showNotice(form, failure.error.message, failure.error.issues ?? failure.errors ?? [], failure.correlationId);
  } else if (failure?.name === "PartnerCenterError") {
    showNotice(form, failure.message, failure.issues ?? [], failure.correlationId);
  } else {
    showNotice(form, t("unexpected", { message: failure?.message ?? String(failure) }));
  }
}

/** Runs `work` with the form's button disabled; whatever happens, the page comes back. */
async function withBusy(form, work) {
  const button = $('button[type="submit"]', form);
  if (button.disabled) return;
  button.disabled = true;
  status(t("sending"));
  try {
    return await work();
  } catch (error) {
    status("");
    showFailure(form, error);
  } finally {
    button.disabled = false;
  }
}

// ----- Template links -----------------------------------------------------------------------------

for (const button of $$(".template-button")) {
  button.addEventListener("click", async () => {
    const output = $(".template-link", button.closest(".template"));
    const country = $(`#${button.dataset.countryFrom}`).value;
    const language = $(`#${button.dataset.languageFrom}`).value;
    output.replaceChildren();
    if (!country) {
      output.textContent = t("template.noCountry");
      return;
    }
    output.dataset.for = `${country}/${language}`;
    await ui.showTemplateLink(output, {
      client,
      country,
      language,
      linkText: (found) => t("template.link", { country: countryName(found.country), language: languageName(found.language) }),
      failureText: (error) => t("template.offline", { message: error.message }),
    });
  });
}

// ----- Attestations: shown in both customers' tabs ------------------------------------------------

/** The item of the ledger of an attestation (its record with what it means today), if kept. */
function itemOf(attestationId) {
  const record = ledger.get(attestationId);
  return record ? ledgerItems([record])[0] : undefined;
}

/** Withdraws an attestation: a mark in the ledger (Partner Center publishes no cancel). */
async function withdraw(record) {
  await ledger.put(withdrawAttestation(record, { by: ledger.sentBy }));
}

/** Shows an attestation of the ledger in `panel`; `onDone(result)` after its completion. */
function showAttestation(panel, item, { onDone, onSendAgain } = {}) {
  ui.renderAttestation(panel, {
    item, locale: state.locale, client, options: checkOptions(), onDone, onSendAgain, onWithdraw: withdraw, onMessage: status,
  });
}

/** Which orders the gate allows on `date` with `confirmations` (the customer's view and the timeline). */
function gateRows(date, confirmations) {
  return [
    ["gate.new-order", { action: "new-order" }],
    ["gate.seat-change", { action: "seat-change" }],
    ["gate.azure-plan", { action: "new-order", offer: "azure-plan" }],
    ["gate.renewal", { action: "renewal" }],
  ].map(([key, request]) => [key, orderGate({ date, confirmations, locale: state.locale, ...request })]);
}

// ----- The customers' tabs ----------------------------------------------------------------------

const page = {
  $, $$, t, plural, ui, state, saveDraft, client: () => client, checkOptions, status, valuesOf, fill,
  showNotice, hideNotice, showFailure, withBusy, routeChanged, translate, fillLanguages, formatDate,
  countryName, token, labels, attachValidation, attestationEvidence, csvOf, today, ledger, ledgerItems,
  itemOf, showAttestation, gateRows,
  showTab: (id, focus) => showTab(id, focus),
  openCustomer: (id, focus) => existingTab.openCustomer(id, focus),
  openCustomerForm: (id) => existingTab.openCustomerForm(id),
};
const newTab = setUpNewCustomer(page);
const existingTab = setUpExisting(page);
const { accountHandle, newHandle, mirrorAccount, showNewAttestation } = newTab;
const { existingHandle, openCustomer, openCustomerForm, renderAccount, renderCustomerAttestations } = existingTab;

// ----- Portfolio and acceptances ----------------------------------------------------------------

/** A text with a count, by the plural rule of the page's language (`key.one`, `key.other`). */
function plural(key, count, values = {}) {
  const rule = new Intl.PluralRules(state.locale).select(count) === "one" ? "one" : "other";
  return t(`${key}.${rule}`, { count: new Intl.NumberFormat(state.locale).format(count), ...values });
}

const shared = {
  $,
  t,
  plural,
  client: () => client,
  checkOptions,
  status,
  countryName,
  locale: () => state.locale,
  openCustomer: async (id) => {
    showTab("tab-existing", true);
    await openCustomer(id, true);
  },
  openCustomerForm,
};
const portfolioTab = setUpPortfolio(shared);
const acceptancesTab = setUpAcceptances({ ...shared, ledger, view: () => ledgerState(), loadLedger });
// Every change of the ledger (this page's, or read again) is shown where it is looked at.
ledger.subscribe(() => {
  if (!$("#new-attestation").hidden) showNewAttestation();
  if (state.customer) renderCustomerAttestations();
});

// ----- Many customers: a CSV file -----------------------------------------------------------------

const bulkTab = setUpBulk({
  $,
  t,
  plural,
  locale: () => state.locale,
  fieldLabel: (field) => labels(state.locale)[field] ?? field,
  client: () => client,
  checkOptions,
  hasToken: () => Boolean(tokenInput.value.trim()),
  status,
  draft: state.draft,
  saveDraft,
});

// ----- Timeline -----------------------------------------------------------------------------------

const timelineTab = setUpTimelineTab({
  ...page, timeline, agreementStatus, todayOverride: () => todayOverride,
});
const renderTimeline = () => timelineTab.render();

// ----- Settings ---------------------------------------------------------------------------------

$("#settings-form").addEventListener("submit", (event) => event.preventDefault());
const localeSelect = $("#locale");
localeSelect.value = state.locale;
localeSelect.addEventListener("change", () => {
  state.locale = localeSelect.value;
  client = newClient();
  refreshLocale();
});
$("#role").addEventListener("change", () => {
  newHandle.setOptions(checkOptions());
  existingHandle.setOptions(checkOptions({ existing: state.agreements }));
});

function refreshLocale() {
  translate();
  accountHandle.setOptions({ locale: state.locale });
  newHandle.setOptions(checkOptions());
  existingHandle.setOptions(checkOptions({ existing: state.agreements }));
  mirrorAccount();
  renderAccount();
  renderCustomerAttestations();
  if (!$("#new-attestation").hidden) showNewAttestation();
  portfolioTab.refresh();
  acceptancesTab.refresh();
  bulkTab.refresh();
  if (!$("#panel-timeline").hidden) renderTimeline();
}

// ----- Start: texts, the draft back, the tab ----------------------------------------------------

translate();
const restoredNew = newTab.restore();
existingTab.restore();
showTab(state.draft.tab ?? "tab-new");
// The token is not kept across a reload: the ledger and the customer come back once it is
// entered again. An attestation sent before the reload comes back from the ledger.
async function resume() {
  await loadLedger();
  showNewAttestation();
  if (state.draft.existing.customerId && !state.customer) await openCustomer(state.draft.existing.customerId);
  acceptancesTab.refresh();
}
if (token()) await resume();
tokenInput.addEventListener("change", () => {
  if (token()) resume();
});
if (restoredNew || state.draft.existing.formOpen) status(t("draft.restored"));
if (!token()) status(t("token.missing"));
document.documentElement.dataset.ready = "true";
