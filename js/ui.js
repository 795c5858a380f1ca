// What the page and <csp-agreement-confirmation> both do around the module's answers: one
// locale rule, message interpolation, notices, the agreement/country/language selects, drafts
// and the template link. Plain DOM, text only (never HTML), no state of its own.

/** en-US or fr-FR from a language tag (`fr`, `fr-CA`, `FR-fr`...); anything else is en-US. */
export function parseLocale(tag) {
  return /^fr\b/i.test(tag ?? "") ? "fr-FR" : "en-US";
}

/** The browser's locale: fr-FR when French comes before English in its languages. */
export function browserLocale() {
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language ?? "en-US"];
  return tags.some((tag) => parseLocale(tag) === "fr-FR") && !/^en\b/i.test(tags[0]) ? "fr-FR" : "en-US";
}

/** `template` with its `{name}` placeholders filled from `values`. */
export function interpolate(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/** A country's name in `locale` (the module's English name when the browser has none). */
export function countryName(code, locale, englishName = code) {
  try {
    const name = new Intl.DisplayNames([locale], { type: "region", fallback: "none" }).of(code);
    if (name) return name;
  } catch {
    // User-assigned codes (XK, XJ...) are not known to every browser.
  }
  return englishName;
}

/** A language's name in `locale`. */
export function languageName(tag, locale) {
  try {
    return new Intl.DisplayNames([locale], { type: "language" }).of(tag) ?? tag;
  } catch {
    return tag;
  }
}

/** `s` with its first letter in upper case (agreement names start sentences in the selects). */
export const capitalize = (s) => s.charAt(0).toUpperCase() + s.slice(1);

/** Both agreements, named from the module's `labels(locale)`; keeps the choice. */
export function fillAgreements(select, labels) {
  const value = select.value || "MicrosoftCustomerAgreement";
  select.replaceChildren(
    new Option(capitalize(labels.microsoftCustomerAgreement), "MicrosoftCustomerAgreement"),
    new Option(capitalize(labels.microsoftCloudAgreement), "MicrosoftCloudAgreement"),
  );
  select.value = value;
}

/** The module's `countries()`, named and sorted in `locale`, after an empty first choice. */
export function fillCountries(select, countries, locale, placeholder) {
  const value = select.value;
  const rows = countries.map((c) => [c.code, countryName(c.code, locale, c.name)]);
  rows.sort((a, b) => a[1].localeCompare(b[1], locale));
  select.replaceChildren(new Option(placeholder, ""), ...rows.map(([code, name]) => new Option(name, code)));
  select.value = value;
}

/**
 * The template languages of a country (`en-US` alone without one). The choice is kept when the
 * country offers it; otherwise the user's language when the country has it besides English;
 * otherwise en-US, or the country's first language when it has no English one.
 */
export function fillLanguages(select, languages, locale) {
  const value = select.value;
  select.replaceChildren(...languages.map((tag) => new Option(languageName(tag, locale), tag)));
  const own = languages.find((tag) => tag !== "en-US" && tag.slice(0, 2) === locale.slice(0, 2));
  const fallback = languages.includes("en-US") ? "en-US" : languages[0];
  select.value = languages.includes(value) ? value : (own ?? fallback);
}

/**
 * Shows a notice: a message, the field problems as a list, and a last line (the correlation id
 * to give support). `ok` marks a success.
 */
export function renderNotice(notice, { message, issues = [], footer, ok = false }) {
  notice.replaceChildren();
  notice.classList.toggle("ok", ok);
  const p = document.createElement("p");
  p.textContent = message;
  notice.append(p);
  if (issues.length) {
    const list = document.createElement("ul");
    for (const issue of issues) {
      const item = document.createElement("li");
      item.textContent = issue.message;
      list.append(item);
    }
    notice.append(list);
  }
  if (footer) {
    const line = document.createElement("p");
    line.className = "hint";
    line.textContent = footer;
    notice.append(line);
  }
  notice.hidden = false;
}

/** A draft kept in sessionStorage (never a token): an object, or null when there is none. */
export function loadDraft(key) {
  try {
    const draft = JSON.parse(sessionStorage.getItem(key));
    return draft && typeof draft === "object" ? draft : null;
  } catch {
    return null;
  }
}

/**
 * The `MS-RequestId` of a confirmation (or attestation): the same while the same values are sent
 * again after a failure, so that one recorded but never answered is not made twice (the backend
 * answers the repeat with the first answer); a new one once the values change. `slot` keeps
 * `requestId` and `requestKey` (a hash of the values, not the values).
 */
export function requestIdFor(slot, customerId, values) {
  const text = JSON.stringify([customerId, values]);
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  const key = hash.toString(16);
  if (slot.requestKey !== key || !slot.requestId) {
    slot.requestId = crypto.randomUUID();
    slot.requestKey = key;
  }
  return slot.requestId;
}

/** Keeps a draft in sessionStorage; without storage the form still works. */
export function saveDraft(key, values) {
  try {
    sessionStorage.setItem(key, JSON.stringify(values));
  } catch {
    // No storage (private mode, quota): nothing is kept, nothing breaks.
  }
}

/**
 * Asks the client for the template document of `country` in `language` and shows its link in
 * `output` (its text from `linkText(document)`), or the failure's message from `failureText`.
 */
export async function showTemplateLink(output, { client, country, language, linkText, failureText, part }) {
  output.replaceChildren();
  try {
    const found = await client.templateDocument(country, language);
    const link = document.createElement("a");
    link.href = found.downloadUri;
    if (part) link.setAttribute("part", part);
    link.textContent = linkText(found);
    output.append(link);
  } catch (error) {
    output.textContent = failureText(error);
  }
}


/** The texts of the attestation panel (the page and the element show the same one). */
const ATTESTATION_TEXTS = {
  "en-US": {
    "title": "Acceptance by the customer",
    "status": "Status: {status} (attestation {id}).",
    "status.Pending": "waiting for the customer's acceptance",
    "status.Accepted": "accepted by the customer: complete it to record the agreement",
    "status.Completed": "completed: the agreement is recorded",
    "status.Unknown": "unknown",
    "link": "Acceptance link for the customer",
    "copy": "Copy the link",
    "copied": "Link copied.",
    "open": "Open the link",
    "qr": "QR code of the acceptance link",
    "check": "Check again",
    "complete": "Complete",
    "noLink": "Check again to show the link (it is not kept across a reload).",
    "checked": "Status checked: {status}.",
    "completed": "Agreement recorded: the customer accepted the Microsoft Customer Agreement.",
  },
  "fr-FR": {
    "title": "Acceptation par le client",
    "status": "État : {status} (attestation {id}).",
    "status.Pending": "en attente de l'acceptation du client",
    "status.Accepted": "accepté par le client : finalisez pour enregistrer le contrat",
    "status.Completed": "finalisé : le contrat est enregistré",
    "status.Unknown": "inconnu",
    "link": "Lien d'acceptation pour le client",
    "copy": "Copier le lien",
    "copied": "Lien copié.",
    "open": "Ouvrir le lien",
    "qr": "Code QR du lien d'acceptation",
    "check": "Vérifier à nouveau",
    "complete": "Finaliser",
    "noLink": "Vérifiez à nouveau pour afficher le lien (il n'est pas conservé après un rechargement).",
    "checked": "État vérifié : {status}.",
    "completed": "Contrat enregistré : le client a accepté le contrat client Microsoft.",
  },
};

/** A text of the attestation panel in `locale` (`check`, `status.Pending`...), filled from `values`. */
export function attestationText(locale, key, values) {
  return interpolate(ATTESTATION_TEXTS[parseLocale(locale)][key] ?? key, values);
}

const SVG = "http://www.w3.org/2000/svg";

/**
 * Draws a QR code of `text` into `svg` (one path, text only: no markup from strings). The
 * encoder (`qr.js`, the uqr package) is loaded on first use: a page that never shows an
 * acceptance link never downloads it.
 */
export async function drawQr(svg, text, label) {
  const { encode } = await import("./qr.js");
  const { size, data } = encode(text, { ecc: "M", border: 4 });
  let d = "";
  data.forEach((row, y) => {
    for (let x = 0; x < size; x += 1) {
      if (!row[x]) continue;
      let end = x;
      while (end < size && row[end]) end += 1;
      d += `M${x} ${y}h${end - x}v1h-${end - x}z`;
      x = end;
    }
  });
  const background = document.createElementNS(SVG, "rect");
  background.setAttribute("width", String(size));
  background.setAttribute("height", String(size));
  background.setAttribute("fill", "#fff");
  const path = document.createElementNS(SVG, "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "#000");
  svg.setAttribute("viewBox", `0 0 ${size} ${size}`);
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  svg.replaceChildren(background, path);
}

/**
 * The panel of an attestation (the enhanced flow): the status, the acceptance link to copy or
 * open and its QR code (while the customer has not accepted), "Check again" (no polling:
 * Partner Center asks partners not to poll) and "Complete" once accepted. `attestation` may
 * lack its link (after a reload only its id and status are kept): "Check again" brings it back.
 * The buttons call the `client` for `customerId`; `onChange(attestation, completion)` gets the
 * new state (completion: the CompletionResult once completed) and `onMessage(text)` what to tell
 * the user. Its texts are in `locale`.
 */
export function renderAttestation(panel, { attestation, locale, client, customerId, onChange, onMessage, headingLevel = 3, part = (p) => p }) {
  const text = (key, values) => attestationText(locale, key, values);
  const failure = (result) => {
    const message = result.stage === "validation" ? result.errors.map((e) => e.message).join(" ") : result.error?.message ?? String(result.error);
    return result.correlationId ? `${message} (${result.correlationId})` : message;
  };
  const asResult = (error) => ({ ok: false, stage: "backend", error });
  const onCheck = async (button) => {
    button.disabled = true;
    const result = await client.attestation(customerId, attestationId).catch(asResult);
    if (!result.ok) {
      onMessage(failure(result));
      button.disabled = false;
      return;
    }
    onMessage(text("checked", { status: text(`status.${result.attestation.status}`) }));
    onChange(result.attestation);
  };
  const onComplete = async (button) => {
    button.disabled = true;
    const result = await client.completeAttestation(customerId, attestationId).catch(asResult);
    if (result.ok) {
      onMessage(text("completed"));
      onChange({ ...attestation, status: "Completed" }, result);
    } else if (result.stage === "not-accepted") {
      onMessage(result.message);
      onChange(result.attestation);
    } else {
      onMessage(failure(result));
      button.disabled = false;
    }
  };
  const { attestationId, acceptanceUrl, status } = attestation;
  const heading = document.createElement(`h${headingLevel}`);
  heading.textContent = text("title");
  heading.tabIndex = -1;
  heading.className = "attestation-title";
  const state = document.createElement("p");
  state.className = `attestation-status status-${String(status).toLowerCase()}`;
  state.textContent = text("status", { status: text(`status.${status}`), id: attestationId });
  const children = [heading, state];
  const waiting = status !== "Completed";
  if (waiting && status !== "Accepted") {
    if (acceptanceUrl) {
      const label = document.createElement("label");
      const id = `attestation-link-${attestationId}`;
      label.htmlFor = id;
      label.textContent = text("link");
      const input = document.createElement("input");
      input.id = id;
      input.readOnly = true;
      input.value = acceptanceUrl;
      input.className = "attestation-link";
      input.setAttribute("part", part("input"));
      const copy = button(text("copy"), "secondary", part("button secondary-button"));
      const copied = document.createElement("span");
      copied.setAttribute("role", "status");
      copy.addEventListener("click", async () => {
        input.select();
        try {
          await navigator.clipboard.writeText(acceptanceUrl);
        } catch {
          // No clipboard permission: the link is selected for the user to copy.
        }
        copied.textContent = text("copied");
      });
      const open = document.createElement("a");
      open.href = acceptanceUrl;
      open.target = "_blank";
      open.rel = "noopener noreferrer";
      open.textContent = text("open");
      open.setAttribute("part", part("link"));
      const row = document.createElement("div");
      row.className = "attestation-actions";
      row.append(copy, open, copied);
      const svg = document.createElementNS(SVG, "svg");
      svg.classList.add("attestation-qr");
      drawQr(svg, acceptanceUrl, text("qr")).catch(() => svg.remove());
      children.push(label, input, row, svg);
    } else {
      const missing = document.createElement("p");
      missing.className = "hint";
      missing.textContent = text("noLink");
      children.push(missing);
    }
  }
  if (waiting) {
    const actions = document.createElement("div");
    actions.className = "attestation-actions";
    const check = button(text("check"), "secondary", part("button secondary-button"));
    check.addEventListener("click", () => onCheck(check));
    actions.append(check);
    if (status === "Accepted") {
      const complete = button(text("complete"), "", part("button"));
      complete.addEventListener("click", () => onComplete(complete));
      actions.append(complete);
    }
    children.push(actions);
  }
  panel.replaceChildren(...children);
  panel.hidden = false;
}

function button(label, className, part) {
  const element = document.createElement("button");
  element.type = "button";
  element.textContent = label;
  if (className) element.className = className;
  element.setAttribute("part", part);
  return element;
}
