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
const { drawTimeline } = await import("./timeline.js");

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

// ----- New customer -----------------------------------------------------------------------------

const accountForm = $("#account-form");
const newForm = $("#new-agreement-form");
const signatory = $("#new-signatory");
const signatoryButton = $("#new-signatory-update");
const CONTACT = ["firstName", "lastName", "email", "phoneNumber"];

state.draft.new ??= { account: {}, agreement: {}, signatoryOpen: false };

/** Copies the primary contact (and country) into the agreement form, unless updated. */
function mirrorAccount() {
  const account = valuesOf(accountForm);
  $("#new-agreement-country").value = account.country;
  fillLanguages($("#new-language"));
  if (!state.draft.new.signatoryOpen) fill(newForm, Object.fromEntries(CONTACT.map((f) => [f, account[f]])));
  const values = valuesOf(newForm);
  const name = `${values.firstName} ${values.lastName}`.trim();
  $("#new-signatory-summary").textContent = name
    ? t(state.draft.new.signatoryOpen ? "signatory.other" : "signatory.primary", { who: values.email ? `${name} (${values.email})` : name })
    : t("signatory.none");
}

function openSignatory() {
  state.draft.new.signatoryOpen = true;
  signatory.hidden = false;
  signatoryButton.setAttribute("aria-expanded", "true");
  saveDraft();
}

signatoryButton.addEventListener("click", () => {
  openSignatory();
  $("#new-sig-firstName").focus();
});

// Before attachValidation's own check: show the signatory fields if they need fixing.
newForm.addEventListener("submit", () => {
  mirrorAccount();
  const values = valuesOf(newForm);
  if (CONTACT.slice(0, 3).some((f) => !values[f].trim())) openSignatory();
}, { capture: true });

const accountHandle = attachValidation(accountForm, { kind: "customer", locale: state.locale, summaryHeadingLevel: 3 });
const newHandle = attachValidation(newForm, { ...checkOptions(), summaryHeadingLevel: 3 });

accountForm.addEventListener("submit", (event) => {
  event.preventDefault();
  mirrorAccount();
  $("#new-agreement legend").focus();
});

for (const form of [accountForm, newForm]) {
  form.addEventListener("input", () => {
    if (form === accountForm) mirrorAccount();
    state.draft.new.account = valuesOf(accountForm);
    state.draft.new.agreement = valuesOf(newForm);
    saveDraft();
  });
}
$("#new-country").addEventListener("change", mirrorAccount);

newForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  if (routeChanged(newForm)) return;
  const account = accountHandle.validate();
  if (!account.valid) return;
  hideNotice(newForm);
  await withBusy(newForm, async () => {
    const draft = state.draft.new;
    if (!draft.customerId) {
      try {
        const customer = await client.createCustomer(account.payload);
        draft.customerId = customer.id;
        draft.customerName = customer.companyProfile.companyName;
        saveDraft();
        status(t("new.created", { name: draft.customerName }));
      } catch (error) {
        status("");
        showFailure(newForm, error);
        return;
      }
    }
    const requestId = ui.requestIdFor(draft, draft.customerId, valuesOf(newForm));
    saveDraft();
    const result = await client.confirm(draft.customerId, valuesOf(newForm), checkOptions({ requestId }));
    status("");
    if (result.ok) delete draft.requestId;
    if (!result.ok) {
      const reason = result.stage === "backend" ? result.error.message : result.errors.map((e) => e.message).join(" ");
      showNotice(newForm, `${t("new.createdOnly", { name: draft.customerName })} ${reason}`, result.error?.issues ?? [], result.correlationId);
      return;
    }
    if (result.route === "enhanced") {
      draft.attestationId = result.attestation.attestationId;
      saveDraft();
      showNewAttestation();
      status(result.ledgerError ? ui.attestationText(state.locale, "notKept", { message: result.ledgerError, id: draft.attestationId }) : t("new.sent"));
      $("#new-attestation .attestation-title")?.focus();
      return;
    }
    showNewResult(draft, result.agreement, result.note);
  });
});

// ----- The enhanced flow: the attestation waiting for the customer -------------------------------

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

/** The new customer's attestation, from the ledger (the draft keeps only its id). */
function showNewAttestation() {
  const draft = state.draft.new;
  const item = draft.attestationId && itemOf(draft.attestationId);
  if (!item) return;
  accountForm.hidden = true;
  newForm.hidden = true;
  showAttestation($("#new-attestation"), item, {
    onDone: (completion) => {
      $("#new-attestation").hidden = true;
      showNewResult(draft, completion.agreement, null, ui.attestationText(state.locale, "completed"));
    },
    onSendAgain: () => openCustomerForm(draft.customerId),
  });
}

function showNewResult(draft, agreement, note, done = t("new.done")) {
  const details = $("#new-result-details");
  details.replaceChildren();
  const row = (term, value) => {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = value;
    details.append(dt, dd);
  };
  const fieldLabels = labels(state.locale);
  row(t("details.company"), draft.customerName);
  row(t("details.id"), draft.customerId);
  // A completion whose answer was lost has no agreement to show: the customer's view has it.
  if (agreement) {
    row(t("details.agreement"), ui.capitalize(agreement.type === "MicrosoftCustomerAgreement" ? fieldLabels.microsoftCustomerAgreement : fieldLabels.microsoftCloudAgreement));
    row(t("details.dateAgreed"), formatDate(agreement.dateAgreed));
    const c = agreement.primaryContact;
    row(t("details.signatory"), `${c.firstName} ${c.lastName} (${c.email}${c.phoneNumber ? `, ${c.phoneNumber}` : ""})`);
  }
  $("#new-result").dataset.customerId = draft.customerId;
  accountForm.hidden = true;
  newForm.hidden = true;
  $("#new-result").hidden = false;
  $("#new-result").focus();
  status(note ? `${done} ${note.message}` : done);
  state.draft.new = { account: {}, agreement: {}, signatoryOpen: false };
  saveDraft();
}

$("#new-result-again").addEventListener("click", () => {
  accountForm.reset();
  newForm.reset();
  accountHandle.reset();
  newHandle.reset();
  signatory.hidden = true;
  signatoryButton.setAttribute("aria-expanded", "false");
  $("#new-result").hidden = true;
  $("#new-attestation").hidden = true;
  accountForm.hidden = false;
  newForm.hidden = false;
  translate();
  mirrorAccount();
  $("#new-companyName").focus();
});

$("#new-result-open").addEventListener("click", async () => {
  showTab("tab-existing", true);
  await openCustomer($("#new-result").dataset.customerId);
});

// ----- Existing customer ------------------------------------------------------------------------

const searchForm = $("#search-form");
const existingForm = $("#existing-agreement-form");
const updateButton = $("#update-confirmation");
state.draft.existing ??= { search: "", customerId: null, formOpen: false, form: {} };

searchForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  const textValue = $("#search").value.trim();
  state.draft.existing.search = textValue;
  saveDraft();
  await search(textValue);
});

async function search(textValue) {
  const results = $("#search-results");
  results.replaceChildren();
  status(t("loading"));
  try {
    const found = await client.searchCustomers(textValue);
    status("");
    const summary = document.createElement("p");
    summary.textContent = found.length ? plural("search.count", found.length) : t("search.none", { text: textValue });
    results.append(summary);
    const list = document.createElement("ul");
    for (const customer of found) {
      const item = document.createElement("li");
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = `${customer.companyProfile.companyName} — ${customer.companyProfile.domain} (${countryName(customer.billingProfile.defaultAddress.country)})`;
      button.addEventListener("click", () => openCustomer(customer.id, true));
      item.append(button);
      list.append(item);
    }
    results.append(list);
  } catch (error) {
    status(error.message);
  }
}

async function openCustomer(id, focus = false) {
  status(t("loading"));
  try {
    const [customer, standing] = await Promise.all([
      client.customer(id),
      client.customerAgreementStatus(id, checkOptions()),
    ]);
    status("");
    if (state.draft.existing.customerId !== id) {
      state.draft.existing = { ...state.draft.existing, customerId: id, formOpen: false, form: {}, attestation: null };
      saveDraft();
    }
    state.customer = customer;
    state.standing = standing;
    state.agreements = standing.agreements;
    renderAccount();
    $("#account").hidden = false;
    $("#order-answer").textContent = "";
    if (state.draft.existing.formOpen) openExistingForm(false);
    renderCustomerAttestations();
    if (focus) $("#account-title").focus();
  } catch (error) {
    status(error.message);
  }
}

/** Opens a customer in the existing-customer tab, its form open (to send the agreement again). */
async function openCustomerForm(id) {
  showTab("tab-existing", true);
  await openCustomer(id);
  if (state.customer?.id === id) openExistingForm();
}

/**
 * The customer's attestations, from the ledger: the one that speaks for it now in full (its
 * link, Check again, Complete, Create a new link, Withdraw), the earlier ones in a list.
 */
function renderCustomerAttestations() {
  const customer = state.customer;
  const panel = $("#existing-attestation");
  const earlier = $("#existing-attestations");
  if (!customer) return;
  const items = ledgerItems(ledger.recordsOf(customer.id));
  const current = items.find((i) => i.live) ?? items.find((i) => !i.record.withdrawnAt && i.record.status !== "Completed");
  if (current) {
    showAttestation(panel, current, {
      onDone: async () => {
        await openCustomer(customer.id);
        status(ui.attestationText(state.locale, "completed"));
      },
      onSendAgain: () => openExistingForm(),
    });
  } else {
    panel.hidden = true;
    panel.replaceChildren();
  }
  earlier.replaceChildren();
  const others = items.filter((i) => i !== current);
  earlier.hidden = others.length === 0;
  if (!others.length) return;
  const table = document.createElement("table");
  const caption = document.createElement("caption");
  caption.textContent = t("attestations.earlier");
  const head = document.createElement("tr");
  for (const key of ["attestations.id", "attestations.status", "attestations.sent", "attestations.ended"]) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = t(key);
    head.append(th);
  }
  const thead = document.createElement("thead");
  thead.append(head);
  const body = document.createElement("tbody");
  for (const item of others) {
    const r = item.record;
    const ended = r.completedAt ?? r.withdrawnAt ?? (item.expired ? r.expiresAt : r.checkedAt);
    const row = document.createElement("tr");
    for (const value of [r.attestationId, ui.statusText(state.locale, item), ui.longDate(r.createdAt, state.locale), ui.longDate(ended, state.locale)]) {
      const cell = document.createElement("td");
      cell.textContent = value;
      row.append(cell);
    }
    body.append(row);
  }
  table.append(caption, thead, body);
  earlier.append(table);
}

/** The customer's evidence (its attestations and agreements), downloaded as CSV or JSON. */
function downloadEvidence(format) {
  const customer = state.customer;
  if (!customer) return;
  const evidence = attestationEvidence(customer.id, ledger.recordsOf(customer.id), state.agreements, { locale: state.locale });
  const name = `${t("evidence.file")}-${customer.companyProfile.domain}.${format}`;
  const content = format === "json" ? JSON.stringify(evidence, null, 2) : ui.spreadsheet(evidence.rows, state.locale, csvOf);
  ui.download(name, content, format === "json" ? "application/json" : "text/csv;charset=utf-8");
}

$("#evidence-csv").addEventListener("click", () => downloadEvidence("csv"));
$("#evidence-json").addEventListener("click", () => downloadEvidence("json"));

function latest(list) {
  return [...list].sort((a, b) => a.dateAgreed.localeCompare(b.dateAgreed)).at(-1);
}

function renderAccount() {
  const customer = state.customer;
  if (!customer) return;
  const details = $("#account-details");
  details.replaceChildren();
  const address = customer.billingProfile.defaultAddress;
  for (const [term, value] of [
    [t("details.company"), customer.companyProfile.companyName],
    [t("details.domain"), customer.companyProfile.domain],
    [t("details.country"), countryName(address.country)],
    [t("details.contact"), `${address.firstName} ${address.lastName} (${customer.billingProfile.email})`],
    [t("details.id"), customer.id],
  ]) {
    const dt = document.createElement("dt");
    dt.textContent = term;
    const dd = document.createElement("dd");
    dd.textContent = value;
    details.append(dt, dd);
  }
  const mcua = latest(state.agreements.filter((a) => a.type === "MicrosoftCustomerAgreement"));
  const mcloud = latest(state.agreements.filter((a) => a.type === "MicrosoftCloudAgreement"));
  const who = (a) => `${a.primaryContact.firstName} ${a.primaryContact.lastName}`;
  // One story with the standing below: the same merged reads (the partner's confirmations and
  // the customer's direct acceptance), the same refresh rule.
  const direct = Boolean(state.standing?.directAcceptance);
  const stale = state.standing?.reason === "attestation-before-refresh";
  $("#mcua-status").textContent = mcua
    ? [
        t("mcua.provided", { date: formatDate(mcua.dateAgreed), name: who(mcua), email: mcua.primaryContact.email }),
        stale ? t("mcua.stale") : "",
        direct ? t("mcua.alsoDirect") : "",
      ].filter(Boolean).join(" ")
    : t(direct ? "mcua.direct" : "mcua.missing");
  $("#mcloud-status").textContent = mcloud ? t("mcloud.provided", { date: formatDate(mcloud.dateAgreed), name: who(mcloud) }) : t("mcloud.missing");
  renderStanding();
  renderGate();
  existingHandle.setOptions(checkOptions({ existing: state.agreements }));
  // The timeline's confirmations follow the customer.
  $("#tl-cloud").checked = Boolean(mcloud);
  if (mcloud) $("#tl-cloud-date").value = mcloud.dateAgreed;
  $("#tl-mcua").checked = Boolean(mcua);
  if (mcua) $("#tl-mcua-date").value = mcua.dateAgreed;
}

/** The customer's standing: can it be ordered for today, and if not, what to do. */
function renderStanding() {
  const standing = state.standing;
  const answer = $("#standing-answer");
  answer.replaceChildren();
  if (!standing) return;
  const verdict = document.createElement("strong");
  verdict.className = standing.orderable ? "allowed" : "refused";
  verdict.textContent = t(standing.orderable ? "standing.yes" : "standing.no");
  // Why (the gate's reason, crediting who accepted), then what to do when something is left.
  const parts = [standing.reasonMessage];
  if (!standing.orderable) parts.push(standing.message);
  if (standing.partnerCenterCode) parts.push(t("standing.code", { code: standing.partnerCenterCode }));
  answer.append(verdict, ` ${parts.join(" ")}`);
}

/** The sandbox's demo order route: what Partner Center answers an order now (nothing is ordered). */
$("#try-order").addEventListener("click", async () => {
  const output = $("#order-answer");
  output.textContent = t("sending");
  try {
    const response = await fetch(`/v1/customers/${encodeURIComponent(state.customer.id)}/orders`, {
      method: "POST",
      headers: { Authorization: `Bearer ${tokenInput.value.trim()}`, "Content-Type": "application/json", "MS-RequestId": crypto.randomUUID() },
      body: "{}",
    });
    const body = await response.json().catch(() => ({}));
    output.textContent = response.ok ? t("standing.ordered") : `${response.status} ${body.code ?? ""} ${body.description ?? ""}`.replace(/\s+/g, " ").trim();
  } catch (error) {
    output.textContent = t("unexpected", { message: error.message });
  }
});

/**
 * What the gate counts for the customer: the partner's confirmations and, when Partner Center
 * says so, the customer's direct acceptance (it does not say when: it holds on the day read).
 */
function heldConfirmations() {
  const held = state.agreements.map((a) => ({ type: a.type, dateAgreed: a.dateAgreed }));
  if (state.standing?.directAcceptance) held.push({ type: "MicrosoftCustomerAgreement", dateAgreed: state.standing.day, acceptedBy: "customer" });
  return held;
}

function gateRows(date, confirmations) {
  return [
    ["gate.new-order", { action: "new-order" }],
    ["gate.seat-change", { action: "seat-change" }],
    ["gate.azure-plan", { action: "new-order", offer: "azure-plan" }],
    ["gate.renewal", { action: "renewal" }],
  ].map(([key, request]) => [key, orderGate({ date, confirmations, locale: state.locale, ...request })]);
}

function renderGate() {
  const list = $("#gate-list");
  list.replaceChildren();
  // Orders are judged on Partner Center's day (UTC), as the customer's status is: one day rule
  // for both, so that they never contradict each other around a milestone.
  const day = today(checkOptions()).utc;
  for (const [key, verdict] of gateRows(day, heldConfirmations())) {
    const item = document.createElement("li");
    const strong = document.createElement("strong");
    strong.className = verdict.allowed ? "allowed" : "refused";
    strong.textContent = `${t(key)}${state.locale === "fr-FR" ? "\u00a0: " : ": "}${t(verdict.allowed ? "gate.yes" : "gate.no")}`;
    item.append(strong, ` — ${verdict.reason.message}`);
    list.append(item);
  }
}

const existingHandle = attachValidation(existingForm, { ...checkOptions(), summaryHeadingLevel: 4 });

function openExistingForm(focus = true) {
  // A new confirmation begins: the success of the last one is no longer news.
  if (focus) status("");
  existingForm.hidden = false;
  updateButton.setAttribute("aria-expanded", "true");
  updateButton.hidden = true;
  const draft = state.draft.existing;
  if (!draft.formOpen) {
    existingForm.reset();
    translate();
    $("#ex-country").value = state.customer.billingProfile.defaultAddress.country;
    fillLanguages($("#ex-language"));
    draft.formOpen = true;
    draft.form = valuesOf(existingForm);
    saveDraft();
  } else {
    fill(existingForm, draft.form);
    fillLanguages($("#ex-language"));
    fill(existingForm, { language: draft.form.language ?? "" });
  }
  if (focus) $("#ex-agreementType").focus();
}

function closeExistingForm() {
  existingForm.hidden = true;
  existingHandle.reset();
  hideNotice(existingForm);
  updateButton.hidden = false;
  updateButton.setAttribute("aria-expanded", "false");
  state.draft.existing.formOpen = false;
  state.draft.existing.form = {};
  saveDraft();
}

updateButton.addEventListener("click", () => openExistingForm());
$("#existing-cancel").addEventListener("click", () => {
  closeExistingForm();
  updateButton.focus();
});
existingForm.addEventListener("input", () => {
  state.draft.existing.form = valuesOf(existingForm);
  saveDraft();
});
$("#ex-country").addEventListener("change", () => {
  fillLanguages($("#ex-language"));
  state.draft.existing.form = valuesOf(existingForm);
  saveDraft();
});

existingForm.addEventListener("submit", async (event) => {
  event.preventDefault();
  hideNotice(existingForm);
  status("");
  if (routeChanged(existingForm)) return;
  await withBusy(existingForm, async () => {
    const slot = state.draft.existing;
    const requestId = ui.requestIdFor(slot, state.customer.id, valuesOf(existingForm));
    saveDraft();
    const result = await client.confirm(state.customer.id, valuesOf(existingForm), checkOptions({ existing: state.agreements, requestId }));
    status("");
    if (!result.ok) {
      showFailure(existingForm, result);
      return;
    }
    delete slot.requestId;
    closeExistingForm();
    if (result.route === "enhanced") {
      state.standing = await client.customerAgreementStatus(state.customer.id, checkOptions()).catch(() => state.standing);
      renderAccount();
      renderCustomerAttestations();
      status(result.ledgerError ? ui.attestationText(state.locale, "notKept", { message: result.ledgerError, id: result.attestation.attestationId }) : t("new.sent"));
      $("#existing-attestation .attestation-title")?.focus();
      return;
    }
    // The confirmations were read back by confirm(): only the standing is asked again.
    const type = result.agreement.type;
    state.agreements = [...state.agreements.filter((a) => a.type !== type), ...result.agreements];
    state.standing = await client.customerAgreementStatus(state.customer.id, checkOptions()).catch(() => state.standing);
    renderAccount();
    status(result.note ? `${t("existing.saved")} ${result.note.message}` : t("existing.saved"));
    $("#account-title").focus();
  });
});

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

const timelineDate = $("#timeline-date");
timelineDate.value = todayOverride ?? today(checkOptions()).local;
for (const input of $$("#timeline-form input")) input.addEventListener("input", renderTimeline);
$("#timeline-form").addEventListener("submit", (event) => event.preventDefault());

function renderTimeline() {
  const date = ISO_DATE.test(timelineDate.value) ? timelineDate.value : today(checkOptions()).local;
  const milestones = timeline(undefined, state.locale);
  drawTimeline($("#timeline-svg"), milestones, date, (d, style) => formatDate(d, style), {
    title: t("timeline.svgTitle"),
    description: t("timeline.svgDesc", { first: formatDate(milestones[0].date), last: formatDate(milestones.at(-1).date), date: formatDate(date) }),
  });
  $("#timeline-caption").textContent = t("timeline.caption");
  const status_ = agreementStatus("MicrosoftCloudAgreement", date, { locale: state.locale });
  const answer = $("#cloud-answer");
  answer.textContent = `${t("timeline.question", { date: formatDate(date) })} ${t(status_.acceptable ? "timeline.yes" : "timeline.no")}`;
  for (const warning of status_.warnings) answer.append(` ${warning.message}`);

  const confirmations = [];
  if ($("#tl-cloud").checked && ISO_DATE.test($("#tl-cloud-date").value)) confirmations.push({ type: "MicrosoftCloudAgreement", dateAgreed: $("#tl-cloud-date").value });
  if ($("#tl-mcua").checked && ISO_DATE.test($("#tl-mcua-date").value)) confirmations.push({ type: "MicrosoftCustomerAgreement", dateAgreed: $("#tl-mcua-date").value });
  const body = $("#gate-table-body");
  body.replaceChildren();
  for (const [key, verdict] of gateRows(date, confirmations)) {
    const row = document.createElement("tr");
    const action = document.createElement("th");
    action.scope = "row";
    action.textContent = t(key);
    const allowed = document.createElement("td");
    allowed.className = verdict.allowed ? "allowed" : "refused";
    allowed.textContent = t(verdict.allowed ? "gate.yes" : "gate.no");
    const why = document.createElement("td");
    why.textContent = verdict.reason.message;
    row.append(action, allowed, why);
    body.append(row);
  }
  const list = $("#milestone-list");
  list.replaceChildren();
  for (const milestone of milestones) {
    const item = document.createElement("li");
    const strong = document.createElement("strong");
    strong.textContent = `${formatDate(milestone.date)} — ${milestone.title}.`;
    item.append(strong, ` ${milestone.details}`);
    list.append(item);
  }
}

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
const restoredNew = Object.values(state.draft.new.account ?? {}).some(Boolean) || Object.values(state.draft.new.agreement ?? {}).some(Boolean);
fill(accountForm, state.draft.new.account);
if (state.draft.new.signatoryOpen) {
  signatory.hidden = false;
  signatoryButton.setAttribute("aria-expanded", "true");
}
mirrorAccount(); // the country's languages, then the agreement's own values on top
fill(newForm, state.draft.new.agreement);
$("#search").value = state.draft.existing.search ?? "";
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
