// What the page and <csp-agreement-confirmation> both do around the module's answers: one
// locale rule, message interpolation, notices, the agreement/country/language selects, drafts
// and the template link. Plain DOM, text only (never HTML), no state of its own.

/** A tag's primary language, as the module reads it (`Locale::parse`): trimmed, before `-` or `_`. */
const primaryLanguage = (tag) => String(tag ?? "").trim().split(/[-_]/)[0].toLowerCase();

/**
 * en-US or fr-FR from a language tag (`fr`, `fr-CA`, `fr_CA`, `FR-fr`...); anything else is
 * en-US. The module's rule (`Locale::parse`), which a test compares with this one.
 */
export function parseLocale(tag) {
  return primaryLanguage(tag) === "fr" ? "fr-FR" : "en-US";
}

/** The browser's locale: fr-FR when French comes before English in its languages. */
export function browserLocale() {
  const tags = navigator.languages?.length ? navigator.languages : [navigator.language ?? "en-US"];
  return tags.some((tag) => parseLocale(tag) === "fr-FR") && primaryLanguage(tags[0]) !== "en" ? "fr-FR" : "en-US";
}

/** `template` with its `{name}` placeholders filled from `values`. */
export function interpolate(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

/**
 * An `Intl` formatter, made once per kind and options: a table of 250 countries or a page of
 * 100 dates asks for the same one again and again.
 */
const formatters = new Map();
function formatter(Kind, locale, options) {
  const key = `${Kind.name} ${locale} ${JSON.stringify(options)}`;
  if (!formatters.has(key)) formatters.set(key, new Kind([locale], options));
  return formatters.get(key);
}

/** A country's name in `locale` (the module's English name when the browser has none). */
export function countryName(code, locale, englishName = code) {
  try {
    const name = formatter(Intl.DisplayNames, locale, { type: "region", fallback: "none" }).of(code);
    if (name) return oneApostrophe(name);
  } catch {
    // User-assigned codes (XK, XJ...) are not known to every browser.
  }
  return englishName;
}

/** The texts use one apostrophe, `'`; the browser's names may hold `’` (« espagnol d’Espagne »). */
const oneApostrophe = (text) => text.replace(/\u2019/g, "'");

/** A language's name in `locale`. */
export function languageName(tag, locale) {
  try {
    return oneApostrophe(formatter(Intl.DisplayNames, locale, { type: "language" }).of(tag) ?? tag);
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
 * The template languages of `country` (`en-US` alone without one). On today's route the
 * language goes with the acceptance request: the customer reads the agreement in it. A choice
 * is kept while the country stays the same; for a new country the language is the country's
 * own that matches the page's language (fr-FR for France on a French page), else the country's
 * first own language (de-DE for Germany), else en-US, which nearly every country lists besides
 * its own.
 */
export function fillLanguages(select, languages, locale, country = "") {
  const value = select.value;
  const sameCountry = select.dataset.country === country;
  select.dataset.country = country;
  select.replaceChildren(...languages.map((tag) => new Option(languageName(tag, locale), tag)));
  const own = languages.filter((tag) => tag !== "en-US");
  const matching = own.find((tag) => tag.slice(0, 2) === locale.slice(0, 2));
  select.value = sameCountry && languages.includes(value) ? value : (matching ?? own[0] ?? languages[0]);
}

/**
 * Shows a notice: a message, the field problems as a list, and a last line (the correlation id
 * to give support). `ok` marks a success.
 * @param {HTMLElement} notice
 * @param {{ message: string, issues?: { message: string }[], footer?: string, ok?: boolean }} what
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
export const ATTESTATION_TEXTS = {
  "en-US": {
    "title": "Acceptance by the customer",
    "status": "Status: {status} (attestation {id}).",
    "status.Pending": "waiting for the customer's acceptance",
    "status.Accepted": "accepted by the customer: complete it to record the agreement",
    "status.Completed": "completed: the agreement is recorded",
    "status.Expired": "expired: the link no longer works, create a new one",
    "status.Unknown": "unknown to this toolkit ({raw}): check again later",
    "status.Withdrawn": "withdrawn by you: it no longer stands",
    "status.Gone": "unknown to Partner Center: create a new acceptance link",
    "sent": "Sent on {date} ({age}).",
    "sentBy": "Sent on {date} ({age}) by {who}.",
    "age.0": "today",
    "age.one": "{count} day ago",
    "age.other": "{count} days ago",
    "expires": "The link expires on {date}.",
    "expired": "The link expired on {date}.",
    "accepted": "Accepted on {date}.",
    "completedOn": "Agreement recorded on {date}.",
    "link": "Acceptance link for the customer",
    "linkHint": "Nothing is sent by email: pass this link on to the customer's signatory (email, chat…). Only the signatory accepts, on Microsoft's page.",
    "copy": "Copy the link",
    "copied": "Link copied.",
    "open": "Preview the customer's page",
    "qr": "QR code of the acceptance link",
    "check": "Check again",
    "complete": "Complete",
    "sendAgain": "Create a new link",
    "withdraw": "Withdraw",
    "withdrawn": "Attestation withdrawn: you can send a new one.",
    "checked": "Status checked: {status}.",
    "completed": "Agreement recorded: the customer accepted the Microsoft Customer Agreement.",
    "notKept": "The ledger could not keep this attestation ({message}): note its ID, {id}.",
  },
  "fr-FR": {
    "title": "Acceptation par le client",
    "status": "État\u00a0: {status} (attestation {id}).",
    "status.Pending": "en attente de l'acceptation du client",
    "status.Accepted": "acceptée par le client\u00a0: finalisez-la pour enregistrer le contrat",
    "status.Completed": "finalisée\u00a0: le contrat est enregistré",
    "status.Expired": "expirée\u00a0: le lien ne fonctionne plus, créez-en un nouveau",
    "status.Unknown": "inconnu de cet outil ({raw})\u00a0: vérifiez à nouveau plus tard",
    "status.Withdrawn": "retirée par vous\u00a0: elle ne compte plus",
    "status.Gone": "inconnue de l'Espace partenaires\u00a0: créez un nouveau lien d'acceptation",
    "sent": "Envoyée le {date} ({age}).",
    "sentBy": "Envoyée le {date} ({age}) par {who}.",
    "age.0": "aujourd'hui",
    "age.one": "il y a {count}\u00a0jour",
    "age.other": "il y a {count}\u00a0jours",
    "expires": "Le lien expire le {date}.",
    "expired": "Le lien a expiré le {date}.",
    "accepted": "Acceptée le {date}.",
    "completedOn": "Contrat enregistré le {date}.",
    "link": "Lien d'acceptation pour le client",
    "linkHint": "Rien n'est envoyé par e-mail\u202f: transmettez ce lien au signataire du client (e-mail, messagerie…). Seul le signataire accepte, sur la page de Microsoft.",
    "copy": "Copier le lien",
    "copied": "Lien copié.",
    "open": "Prévisualiser la page du client",
    "qr": "Code QR du lien d'acceptation",
    "check": "Vérifier à nouveau",
    "complete": "Finaliser",
    "sendAgain": "Créer un nouveau lien",
    "withdraw": "Retirer",
    "withdrawn": "Attestation retirée\u00a0: vous pouvez en envoyer une nouvelle.",
    "checked": "État vérifié\u00a0: {status}.",
    "completed": "Contrat enregistré\u00a0: le client a accepté le Contrat client Microsoft.",
    "notKept": "Le registre n'a pas pu conserver cette attestation ({message})\u00a0: notez son ID, {id}.",
  },
};

/** A text of the attestation panel in `locale` (`check`, `status.Pending`...), filled from `values`. */
export function attestationText(locale, key, values) {
  return interpolate(ATTESTATION_TEXTS[parseLocale(locale)][key] ?? key, values);
}

/** The status of a ledger item as the panel words it. */
export function statusText(locale, item) {
  const record = item.record;
  const key = record.withdrawnAt ? "Withdrawn" : record.failure === "not-found" ? "Gone" : item.expired ? "Expired" : record.status;
  const raw = record.history?.findLast?.((s) => s.raw)?.raw ?? "";
  return attestationText(locale, `status.${key}`, { raw });
}

/** A day of a `YYYY-MM-DDTHH:MM:SSZ` time, written out in `locale` (UTC). */
export function longDate(time, locale) {
  return dayText(time, locale);
}

/**
 * A day written out in `locale` (UTC): "August 1, 2019", « 1er août 2019 » (French writes the
 * first of a month « 1er », which `Intl` does not). `time` is a date-time or `YYYY-MM-DD`.
 */
export function dayText(time, locale, style = "long") {
  if (!time) return "";
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(time) ? `${time}T00:00:00Z` : time);
  const french = parseLocale(locale) === "fr-FR";
  return formatter(Intl.DateTimeFormat, locale, { dateStyle: style, timeZone: "UTC" })
    .formatToParts(date)
    .map((part) => (french && part.type === "day" && Number(part.value) === 1 ? "1er" : part.value))
    .join("");
}

/** "3 days ago", by the plural rule of `locale`. */
function age(locale, days) {
  if (!days) return attestationText(locale, "age.0");
  const rule = formatter(Intl.PluralRules, parseLocale(locale), {}).select(days) === "one" ? "one" : "other";
  return attestationText(locale, `age.${rule}`, { count: days });
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
 * The panel of an attestation (the enhanced flow), from its record in the ledger (`item`, an
 * item of `ledgerView`): the status, when it was sent and by whom, its expiry, the acceptance
 * link to pass on with its QR code (while the customer has not accepted), "Check again" (no
 * polling: Partner Center asks partners not to poll), "Complete" once accepted, "Create a new link"
 * once expired, "Withdraw" while it stands. The buttons call the `client` (which keeps the
 * outcome in its ledger) with `options` (the day, the locale); `onDone(result)` is told of a
 * completion, `onSendAgain()` and `onWithdraw(record)` are the page's; `onMessage(text)` what
 * to tell the user. Its texts are in `locale`.
 */
export function renderAttestation(panel, { item, locale, client, options = {}, onDone, onSendAgain, onWithdraw, onMessage, headingLevel = 3, part = (p) => p }) {
  const text = (key, values) => attestationText(locale, key, values);
  const { record } = item;
  const customerId = record.customerId;
  const attestationId = record.attestationId;
  const failure = (result) => {
    const message = result.stage === "validation" ? result.errors.map((e) => e.message).join(" ") : result.error?.message ?? String(result.error);
    return result.correlationId ? `${message} (${result.correlationId})` : message;
  };
  const asResult = (error) => ({ ok: false, stage: "backend", error });
  const onCheck = async (control) => {
    control.disabled = true;
    const result = await client.attestation(customerId, attestationId, options).catch(asResult);
    control.disabled = false;
    onMessage(result.ok ? text("checked", { status: text(`status.${result.attestation.status}`, { raw: result.attestation.rawStatus ?? "" }) }) : failure(result));
  };
  const onComplete = async (control) => {
    control.disabled = true;
    const result = await client.completeAttestation(customerId, attestationId, options).catch(asResult);
    control.disabled = false;
    if (result.ok) {
      onMessage(result.note ? `${text("completed")} ${result.note.message}` : text("completed"));
      onDone?.(result);
    } else {
      onMessage(result.stage === "not-accepted" ? result.message : failure(result));
    }
  };
  const heading = document.createElement(`h${headingLevel}`);
  heading.textContent = text("title");
  heading.tabIndex = -1;
  heading.className = "attestation-title";
  const state = document.createElement("p");
  state.className = `attestation-status status-${String(record.status).toLowerCase()}`;
  state.textContent = text("status", { status: statusText(locale, item), id: attestationId });
  const dates = document.createElement("p");
  dates.className = "attestation-dates";
  const when = { date: longDate(record.createdAt, locale), age: age(locale, item.ageDays), who: record.sentBy };
  const parts = [text(record.sentBy ? "sentBy" : "sent", when)];
  if (record.completedAt) parts.push(text("completedOn", { date: longDate(record.completedAt, locale) }));
  else if (record.acceptedAt) parts.push(text("accepted", { date: longDate(record.acceptedAt, locale) }));
  else if (record.expiresAt) parts.push(text(item.expired ? "expired" : "expires", { date: longDate(record.expiresAt, locale) }));
  dates.textContent = parts.join(" ");
  const children = [heading, state, dates];
  const waiting = item.live && record.status !== "Accepted";
  if (waiting) {
    const acceptanceUrl = item.acceptanceUrl;
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
    const hint = document.createElement("p");
    hint.className = "hint";
    hint.id = `${id}-hint`;
    hint.textContent = text("linkHint");
    input.setAttribute("aria-describedby", hint.id);
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
    children.push(label, input, hint, row, svg);
  }
  const actions = document.createElement("div");
  actions.className = "attestation-actions";
  if (["wait", "check", "complete"].includes(item.next)) {
    const check = button(text("check"), "secondary", part("button secondary-button"));
    check.addEventListener("click", () => onCheck(check));
    actions.append(check);
  }
  if (item.next === "complete") {
    const complete = button(text("complete"), "", part("button"));
    complete.addEventListener("click", () => onComplete(complete));
    actions.append(complete);
  }
  if (item.next === "send-again" && onSendAgain) {
    const again = button(text("sendAgain"), "", part("button"));
    again.addEventListener("click", () => onSendAgain(record));
    actions.append(again);
  }
  if (item.live && onWithdraw) {
    const withdraw = button(text("withdraw"), "secondary", part("button secondary-button"));
    withdraw.addEventListener("click", async () => {
      withdraw.disabled = true;
      try {
        await onWithdraw(record);
        onMessage(text("withdrawn"));
      } catch (error) {
        withdraw.disabled = false;
        onMessage(error.message);
      }
    });
    actions.append(withdraw);
  }
  if (actions.childElementCount) children.push(actions);
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

/**
 * Rows as a CSV file a spreadsheet of `locale` opens as columns: `;` for French (where `,` is
 * the decimal mark), `,` otherwise; a byte order mark, formula cells neutralized (`csvOf`).
 */
export function spreadsheet(rows, locale, csvOf) {
  return csvOf(rows, { separator: parseLocale(locale) === "fr-FR" ? ";" : "," });
}

/** Offers `content` as a file named `name` (nothing leaves the page). */
export function download(name, content, type) {
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([content], { type }));
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 1000);
}
