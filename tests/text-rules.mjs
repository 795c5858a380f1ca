// The rules every text a partner reads follows (README.md, "Glossary"): the glossary's words
// and each language's typography. `tests/messages.rs` holds the same rules for the messages of
// the rules crate; both read the glossary from the README.
import { readFileSync } from "node:fs";

const README = new URL("../README.md", import.meta.url);

/** The glossary's rows: `{ english, french, not: [...] }`, from README.md's table. */
export function glossary(readme = readFileSync(README, "utf8")) {
  const section = readme.split("\n## Glossary\n")[1]?.split("\n## ")[0];
  if (!section) throw new Error("README.md has no Glossary section");
  return section
    .split("\n")
    .filter((line) => line.startsWith("| ") && !line.startsWith("| English"))
    .map((line) => line.split("|").slice(1, -1).map((cell) => cell.trim()))
    .map(([english, french, not]) => ({ english, french, not: not ? not.split(";").map((t) => t.trim()).filter(Boolean) : [] }));
}

const MONTHS = "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre";
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * What is wrong with `text` in `locale` (`en-US` or `fr-FR`), as sentences; empty when
 * nothing is. Addresses (`https://…`) are left out of the typography.
 */
export function problemsOf(text, locale, words = glossary()) {
  const problems = [];
  const prose = text.replace(/https?:\/\/\S+/g, "URL");
  if (/\((s|e|es|x)\)/.test(prose)) problems.push("a plural written with (s): choose the form by the count");
  if (locale === "fr-FR") {
    for (const match of prose.matchAll(/ [:;!?»]/g)) problems.push(`an ordinary space before « ${match[0][1]} » (non-breaking)`);
    for (const match of prose.matchAll(/[^\s\u00a0\u202f]([;!?])/g)) problems.push(`no space before « ${match[1]} »`);
    for (const match of prose.matchAll(/(\D|^)(:)(?!\/\/)/g)) {
      if (match[1] && !/[\s\u00a0\u202f]/.test(match[1])) problems.push("no non-breaking space before « : »");
    }
    if (/«(?![\u00a0\u202f])|(?<![\u00a0\u202f])»/.test(prose)) problems.push("« » without non-breaking spaces inside");
    if (new RegExp(`(?<!\\d)1[ \\u00a0](${MONTHS})`).test(prose)) problems.push("« 1 » for the first of a month: « 1er »");
    if (prose.includes("\u2019")) problems.push("a typographic apostrophe: the texts use '");
    if (/ %/.test(prose)) problems.push("an ordinary space before « % » (non-breaking)");
    if (/\d (Mo|Ko|Go|octets|minutes|min|jours|s)(?!\p{L})/u.test(prose)) problems.push("an ordinary space between a number and its unit (non-breaking)");
    if (/\d \d{3}(?!\d)/.test(prose)) problems.push("thousands separated by an ordinary space (non-breaking)");
    for (const { french, not } of words) {
      for (const term of not) {
        const pattern = new RegExp(`(?<!\\p{L})${escape(term)}(?!\\p{L})`, "u");
        if (pattern.test(prose)) problems.push(`« ${term} »: Partner Center says « ${french} »`);
      }
    }
  } else {
    if (/ [:;!?]/.test(prose)) problems.push("a space before punctuation");
    if (prose.includes("\u2019")) problems.push("a typographic apostrophe: the texts use '");
  }
  return problems;
}
