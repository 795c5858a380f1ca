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
