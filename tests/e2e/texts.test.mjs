// The page as a French partner reads it. Every text of the page, of the attestation panel and of
// the element, in both languages, follows the README's glossary and each language's typography
// (tests/text-rules.mjs); then the French page as it is shown after each flow, on 2019 and 2026
// days. One story per customer (its confirmation, its standing and what may be done today say
// the same thing), the agreement's language following the country, and no sideways scroll at
// 375 px.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { assertClean, launch, openPage, startSandbox } from "./harness.mjs";
import { glossary, problemsOf } from "../text-rules.mjs";

const TODAY = "2026-11-24";
const WORDS = glossary();
let sandbox;
let browser;
before(async () => {
  sandbox = await startSandbox({ today: TODAY, sample: true });
  browser = await launch();
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** Every problem of the texts of `tables` (`{ name: { "en-US": {...}, "fr-FR": {...} } }`). */
function problemsOfTables(tables) {
  const found = [];
  for (const [name, table] of Object.entries(tables)) {
    for (const [locale, texts] of Object.entries(table)) {
      for (const [key, text] of Object.entries(texts)) {
        for (const problem of problemsOf(text, locale, WORDS)) found.push(`${name} ${locale} ${key}: ${problem}\n    ${JSON.stringify(text)}`);
      }
    }
  }
  return found;
}

/** The text a reader meets on the page now: what is shown, and the names of controls and images. */
async function shownText(page) {
  return page.evaluate(() => {
    const lines = document.body.innerText.split("\n");
    for (const element of document.querySelectorAll("[aria-label], [title], [placeholder], svg title, svg desc, svg text")) {
      for (const name of ["aria-label", "title", "placeholder"]) if (element.getAttribute(name)) lines.push(element.getAttribute(name));
      if (element.namespaceURI === "http://www.w3.org/2000/svg" && element.textContent) lines.push(element.textContent);
    }
    return lines.map((line) => line.trim()).filter(Boolean);
  });
}

let linesWalked = 0;
function problemsOfPage(lines, locale, where) {
  linesWalked += new Set(lines).size;
  return [...new Set(lines)].flatMap((line) => problemsOf(line, locale, WORDS).map((p) => `${where}: ${p}\n    ${JSON.stringify(line)}`));
}

test("every text of the page, the attestation panel and the element follows the glossary and the typography", async () => {
  const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}` });
  const tables = await page.evaluate(async () => {
    const { TEXTS } = await import("/js/i18n.js");
    const { ATTESTATION_TEXTS } = await import("/pkg/ui.js");
    const element = await import("/pkg/csp-agreement-confirmation.js");
    return { page: TEXTS, attestation: ATTESTATION_TEXTS, element: element.TEXTS };
  });
  for (const table of Object.values(tables)) {
    assert.ok(Object.keys(table["fr-FR"]).length > 10, "a table of texts in French");
    assert.deepEqual(Object.keys(table["fr-FR"]).sort(), Object.keys(table["en-US"]).sort(), "the same texts in both languages");
  }
  const found = problemsOfTables(tables);
  assert.deepEqual(found, [], found.join("\n"));
  await assertClean(page);
});

/** Opens an existing customer by its name, in French. */
async function openCustomer(page, name) {
  await page.getByRole("tab", { name: "Client existant" }).click();
  const panel = page.getByRole("tabpanel", { name: "Client existant" });
  await panel.getByLabel("Rechercher des clients (nom de l'entreprise ou domaine)").fill(name);
  await panel.getByRole("button", { name: "Rechercher", exact: true }).click();
  await panel.getByRole("button", { name: new RegExp(`^${name}`) }).click();
  await panel.getByRole("heading", { name: "Informations sur le compte" }).waitFor();
  // This customer's account, not the one shown before.
  await panel.locator("#account-details dd").getByText(name, { exact: true }).waitFor();
  await panel.locator("#standing-answer").getByText(/^(Oui|Non)\./).waitFor();
  return {
    panel,
    confirmation: await panel.locator("#mcua-status").textContent(),
    standing: await panel.locator("#standing-answer").textContent(),
    newOrders: await panel.locator("#gate-list li").first().textContent(),
  };
}

test("one customer, one story: its confirmation, its standing and what may be done today agree", async () => {
  const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}`, locale: "fr-FR" });
  const stories = {};
  for (const name of ["Proseware B.V.", "Contoso France", "Litware Ltd"]) {
    const story = await openCustomer(page, name);
    stories[name] = story;
    // Nothing says a thing twice, and the verdicts agree with each other.
    assert.doesNotMatch(`${story.standing} ${story.newOrders}`, /Autorisé — Autorisé|Oui\. Rien|nécessaire.*requise|requise.*nécessaire/, name);
    const orderable = story.standing.startsWith("Oui.");
    assert.equal(story.newOrders.startsWith("Nouvelles commandes\u00a0: Autorisé"), orderable, `${name}: ${story.newOrders}`);
    assert.equal(/non fournie/.test(story.confirmation), false, `${name}: ${story.confirmation}`);
    for (const text of Object.values(story).filter((v) => typeof v === "string")) {
      assert.deepEqual(problemsOf(text, "fr-FR", WORDS), [], text);
    }
  }
  // Accepted directly in the Microsoft 365 admin center: said the same way in all three places.
  const proseware = stories["Proseware B.V."];
  assert.match(proseware.confirmation, /^Accepté directement par le client, dans le Centre d'administration Microsoft 365/);
  assert.match(proseware.standing, /^Oui\. Le client a accepté directement le Contrat client Microsoft/);
  assert.match(proseware.newOrders, /Autorisé — Le client a accepté directement/);
  // Attested in 2019, before the refresh: the confirmation is shown and said to no longer count.
  const contoso = stories["Contoso France"];
  assert.match(contoso.confirmation, /^Confirmation fournie\u00a0: contrat accepté le 14 novembre 2019 .* elle n'est plus valable pour les nouvelles commandes\./);
  assert.match(contoso.standing, /^Non\. La confirmation du partenaire précède .* Faites accepter de nouveau le contrat par le client/);
  assert.match(contoso.newOrders, /Non autorisé — La confirmation du partenaire précède/);
  // Attested after the refresh: the partner is credited.
  const litware = stories["Litware Ltd"];
  assert.match(litware.standing, /^Oui\. Le partenaire a confirmé l'acceptation du Contrat client Microsoft par le client/);
  await assertClean(page);
});

test("the agreement's language follows the country, in both forms, and says which one the customer reads", async () => {
  for (const [locale, country, expected, hint] of [
    ["fr-FR", "ES", "es-ES", "Le client lira le contrat en espagnol d'Espagne."],
    ["fr-FR", "FR", "fr-FR", "Le client lira le contrat en français (France)."],
    ["en-US", "DE", "de-DE", "The customer will read the agreement in German (Germany)."],
    ["en-US", "US", "en-US", "The customer will read the agreement in American English."],
  ]) {
    const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}`, locale });
    const french = locale === "fr-FR";
    const panel = page.getByRole("tabpanel", { name: french ? "Nouveau client" : "New customer" });
    await panel.getByLabel(french ? "Pays/région" : "Country/region", { exact: true }).selectOption(country);
    const language = panel.getByLabel(french ? "Langue du contrat" : "Language of the agreement");
    assert.equal(await language.inputValue(), expected, `${locale} ${country}`);
    assert.equal(await panel.locator("#new-language-hint").textContent(), hint);
    // A language chosen by hand stays while the country does.
    await language.selectOption("en-US");
    await panel.getByLabel(french ? "Prénom" : "First name").first().pressSequentially("Ana");
    assert.equal(await language.inputValue(), "en-US");
    await page.close();
  }
  // The existing customer's form: Contoso France's own country, then Germany.
  const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}`, locale: "fr-FR" });
  const { panel } = await openCustomer(page, "Contoso France");
  await panel.getByRole("button", { name: "Mettre à jour" }).click();
  const language = panel.getByLabel("Langue du contrat");
  assert.equal(await language.inputValue(), "fr-FR");
  await panel.getByLabel("Pays/région du contrat").selectOption("DE");
  assert.equal(await language.inputValue(), "de-DE");
  assert.equal(await panel.locator("#ex-language-hint").textContent(), "Le client lira le contrat en allemand (Allemagne).");
  await assertClean(page);
});

test("the French page as shown after each flow, on 2019 and 2026 days, follows the glossary and the typography", async () => {
  const found = [];
  for (const day of ["2019-08-01", TODAY]) {
    const page = await openPage(browser, sandbox, { path: `/?today=${day}`, locale: "fr-FR" });
    found.push(...problemsOfPage(await shownText(page), "fr-FR", `${day} nouveau client`));
    for (const name of ["Proseware B.V.", "Contoso France", "Litware Ltd", "Lucerne Publishing"]) {
      await openCustomer(page, name);
      found.push(...problemsOfPage(await shownText(page), "fr-FR", `${day} ${name}`));
    }
    for (const tab of ["Acceptations", "Portefeuille", "Plusieurs clients", "Chronologie"]) {
      await page.getByRole("tab", { name: tab }).click();
      found.push(...problemsOfPage(await shownText(page), "fr-FR", `${day} ${tab}`));
    }
    const timeline = page.getByRole("tabpanel", { name: "Chronologie" });
    await timeline.getByLabel("Date", { exact: true }).fill("2019-08-01");
    // The first of a month is « 1er », in the text and in the figure.
    await timeline.locator("#milestone-list li").first().getByText(/^1er août 2019/).waitFor();
    assert.ok((await timeline.locator("#timeline-svg text").allTextContents()).includes("1er août 2019"));
    found.push(...problemsOfPage(await shownText(page), "fr-FR", `${day} Chronologie, 1er août 2019`));
    await page.close();
  }
  // The portfolio read and the bulk check, in French.
  const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}`, locale: "fr-FR" });
  await page.getByRole("tab", { name: "Portefeuille" }).click();
  const portfolio = page.getByRole("tabpanel", { name: "Portefeuille" });
  await portfolio.getByRole("button", { name: "Charger l'état de chaque client" }).click();
  await portfolio.getByRole("table").waitFor();
  found.push(...problemsOfPage(await shownText(page), "fr-FR", "portefeuille chargé"));
  await page.getByRole("tab", { name: "Plusieurs clients" }).click();
  const bulk = page.getByRole("tabpanel", { name: "Plusieurs clients" });
  await bulk.getByLabel("Ou collez les lignes, avec leur en-tête").fill(
    "customerId;email;firstName;lastName;country;language\nnot-an-id;ana@example.c;Ana;Lima;France;fr-FR\n",
  );
  await bulk.getByRole("button", { name: "Vérifier les lignes" }).click();
  await bulk.getByRole("table", { name: "Problèmes, par ligne" }).waitFor();
  const shown = await shownText(page);
  // A country written as a name is told to be a code.
  assert.ok(shown.some((line) => line.includes("code ISO à deux lettres")), shown.join("\n"));
  found.push(...problemsOfPage(shown, "fr-FR", "fichier vérifié"));
  assert.deepEqual(found, [], found.join("\n"));
  assert.ok(linesWalked > 500, `${linesWalked} lines walked`);
  await assertClean(page);
});

test("at 375 px wide, no tab scrolls sideways and the timeline stays readable", async () => {
  const context = await browser.newContext({ viewport: { width: 375, height: 800 }, locale: "fr-FR" });
  const page = await context.newPage();
  await page.goto(`${sandbox.url}/?today=${TODAY}#token=e2e-token`);
  await page.waitForSelector("html[data-ready=true]");
  const wide = () => page.evaluate(() => document.documentElement.scrollWidth);
  for (const tab of ["Nouveau client", "Client existant", "Acceptations", "Portefeuille", "Plusieurs clients", "Chronologie"]) {
    await page.getByRole("tab", { name: tab }).click();
    assert.ok((await wide()) <= 375, `${tab}: the page is ${await wide()} px wide`);
  }
  // The figure scrolls within itself, at a size its labels can be read at.
  const label = await page.locator("#timeline-svg text").first().boundingBox();
  assert.ok(label.height >= 9, `the figure's labels are ${label.height} px high`);
  const { panel } = await openCustomer(page, "Contoso France");
  assert.ok((await wide()) <= 375, `a customer: the page is ${await wide()} px wide`);
  await panel.getByRole("button", { name: "Mettre à jour" }).click();
  assert.ok((await wide()) <= 375, `a customer's form: the page is ${await wide()} px wide`);
  await page.getByRole("tab", { name: "Plusieurs clients" }).click();
  const bulk = page.getByRole("tabpanel", { name: "Plusieurs clients" });
  await bulk.getByLabel("Ou collez les lignes, avec leur en-tête").fill("customerId;email\nnot-an-id;ana@example.c\n");
  await bulk.getByRole("button", { name: "Vérifier les lignes" }).click();
  await bulk.getByRole("table", { name: "Problèmes, par ligne" }).waitFor();
  assert.ok((await wide()) <= 375, `a file's problems: the page is ${await wide()} px wide`);
  await context.close();
});
