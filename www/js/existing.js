// The "Existing customer" tab: a customer found, its account, its standing today, the order
// gate, its attestations from the ledger with its evidence, and a new confirmation.

/**
 * Sets up the tab. `page` gives what the page shares (see `app.js`); returns what the page
 * asks of it: `openCustomer(id, focus)`, `openCustomerForm(id)`, `renderAccount()`,
 * `renderCustomerAttestations()`, the form's handle and `restore()`.
 */
export function setUpExisting(page) {
  const {
    $, t, plural, ui, state, saveDraft, client, checkOptions, status, valuesOf, fill, hideNotice,
    showFailure, withBusy, routeChanged, translate, fillLanguages, formatDate, countryName, token,
    attachValidation, attestationEvidence, csvOf, today, ledger, ledgerItems, showAttestation, showTab,
    gateRows,
  } = page;

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
      const found = await client().searchCustomers(textValue);
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
        client().customer(id),
        client().customerAgreementStatus(id, checkOptions()),
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
        headers: { Authorization: `Bearer ${token()}`, "Content-Type": "application/json", "MS-RequestId": crypto.randomUUID() },
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
      const result = await client().confirm(state.customer.id, valuesOf(existingForm), checkOptions({ existing: state.agreements, requestId }));
      status("");
      if (!result.ok) {
        showFailure(existingForm, result);
        return;
      }
      delete slot.requestId;
      closeExistingForm();
      if (result.route === "enhanced") {
        state.standing = await client().customerAgreementStatus(state.customer.id, checkOptions()).catch(() => state.standing);
        renderAccount();
        renderCustomerAttestations();
        status(result.ledgerError ? ui.attestationText(state.locale, "notKept", { message: result.ledgerError, id: result.attestation.attestationId }) : t("new.sent"));
        $("#existing-attestation .attestation-title")?.focus();
        return;
      }
      // The confirmations were read back by confirm(): only the standing is asked again.
      const type = result.agreement.type;
      state.agreements = [...state.agreements.filter((a) => a.type !== type), ...result.agreements];
      state.standing = await client().customerAgreementStatus(state.customer.id, checkOptions()).catch(() => state.standing);
      renderAccount();
      status(result.note ? `${t("existing.saved")} ${result.note.message}` : t("existing.saved"));
      $("#account-title").focus();
    });
  });

  /** The search typed before a reload, back in its field. */
  function restore() {
    $("#search").value = state.draft.existing.search ?? "";
  }

  return { existingHandle, openCustomer, openCustomerForm, renderAccount, renderCustomerAttestations, restore };
}
