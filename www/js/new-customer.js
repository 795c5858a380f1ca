// The "New customer" tab: the customer's account created, then the agreement sent for the
// customer's acceptance (or, before 2026-01-05, confirmed), the attestation shown until it is
// completed.

import { validateConfirmation } from "/pkg/csp_agreements.js";

/**
 * Sets up the tab. `page` gives what the page shares (see `app.js`); returns what the page
 * asks of it: the handles of its two forms, `mirrorAccount()`, `showNewAttestation()` and
 * `restore()` (the draft back after a reload).
 */
export function setUpNewCustomer(page) {
  const {
    $, t, ui, state, saveDraft, client, checkOptions, status, valuesOf, fill, showNotice, hideNotice,
    showFailure, withBusy, routeChanged, translate, fillLanguages, formatDate, labels, attachValidation,
    itemOf, showAttestation, showTab, openCustomer, openCustomerForm,
  } = page;

  const accountForm = $("#account-form");
  const newForm = $("#new-agreement-form");
  const signatory = $("#new-signatory");
  const signatoryButton = $("#new-signatory-update");
  // The signatory's fields: those the signatory's fieldset holds.
  const CONTACT = [...signatory.querySelectorAll("[name]")].map((control) => control.name);

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
    const { errors } = validateConfirmation(valuesOf(newForm), checkOptions());
    if (errors.some((error) => CONTACT.includes(error.field))) openSignatory();
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
          const customer = await client().createCustomer(account.payload);
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
      const result = await client().confirm(draft.customerId, valuesOf(newForm), checkOptions({ requestId }));
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

  /** The draft typed before a reload, back in the forms; whether there was one. */
  function restore() {
    const restored = Object.values(state.draft.new.account ?? {}).some(Boolean) || Object.values(state.draft.new.agreement ?? {}).some(Boolean);
    fill(accountForm, state.draft.new.account);
    if (state.draft.new.signatoryOpen) {
      signatory.hidden = false;
      signatoryButton.setAttribute("aria-expanded", "true");
    }
    mirrorAccount(); // the country's languages, then the agreement's own values on top
    fill(newForm, state.draft.new.agreement);
    return restored;
  }

  return { accountHandle, newHandle, mirrorAccount, showNewAttestation, restore };
}
