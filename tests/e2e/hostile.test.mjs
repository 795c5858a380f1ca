// Hostile input: payloads of the OWASP XSS filter-evasion cheat sheet and a few polyglots in
// every field of every flow (the page's forms, the element, attachValidation, a bulk CSV), in
// customer and contact names coming back from the backend, and on the customer's acceptance
// page. No script runs, no dialog opens, no CSP violation, no new element: the text appears
// literally. Right-to-left names and combining characters come back as they were typed. A 1 MB
// input and a 60 MB CSV give a clear answer without the page busy for more than 100 ms at a time.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { assertClean, launch, openPage, startSandbox, TOKEN } from "./harness.mjs";

const TODAY = "2026-11-24";
// From https://cheatsheetseries.owasp.org/cheatsheets/XSS_Filter_Evasion_Cheat_Sheet.html, and
// polyglots (0xsobky's, a template injection, a spreadsheet formula).
const PAYLOADS = [
  `<script>alert(1)</script>`,
  `"><img src=x onerror=alert(1)>`,
  `<svg/onload=alert(1)>`,
  `<IMG SRC="jav&#x09;ascript:alert('XSS');">`,
  `<iframe src="javascript:alert(1)"></iframe>`,
  `<BODY ONLOAD=alert('XSS')>`,
  `'';!--"<XSS>=&{()}`,
  `<a href="javascript:alert(1)">x</a>`,
  `<details open ontoggle=alert(1)>`,
  `<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>`,
  `{{constructor.constructor('alert(1)')()}}`,
  `\${alert(1)}`,
  `jaVasCript:/*-/*\`/*\\\`/*'/*"/**/(/* */oNcliCk=alert() )//%0D%0A//</stYle/</titLe/</teXtarEa/</scRipt/--!>\\x3csVg/<sVg/oNloAd=alert()//>\\x3e`,
  `=HYPERLINK("http://evil.example","x")`,
];
// What a payload could have added to the page.
const INJECTED = "script:not([src]), iframe, object, embed, img[src='x'], [onerror], [onload], [onclick], [ontoggle], mglyph, xss";

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

/** The page as a hostile test watches it: dialogs, elements added by payloads, long tasks. */
async function watched(path, options = {}) {
  const page = await openPage(browser, sandbox, { path, ...options });
  page.dialogs = [];
  page.on("dialog", async (dialog) => {
    page.dialogs.push(dialog.message());
    await dialog.dismiss();
  });
  await page.evaluate(() => {
    window.__long = [];
    new PerformanceObserver((list) => window.__long.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask" });
  });
  return page;
}

async function assertInert(page, where) {
  assert.deepEqual(page.dialogs, [], `dialogs (${where})`);
  assert.equal(await page.locator(INJECTED).count(), 0, `elements added by a payload (${where})`);
  await assertClean(page);
}

async function api(method, path, body) {
  const response = await fetch(`${sandbox.url}${path}`, {
    method,
    headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
    body: body && JSON.stringify(body),
  });
  return { status: response.status, body: await response.json() };
}

test("names coming back from the backend are shown as text: search, account, portfolio, the acceptance page", async () => {
  const names = PAYLOADS.filter((p) => [...p].length <= 100).slice(0, 6);
  const created = [];
  for (const [i, name] of names.entries()) {
    const customer = await api("POST", "/v1/customers", {
      companyProfile: { domain: `hostile-${i}.onmicrosoft.com` },
      billingProfile: {
        companyName: `Hostile ${i} ${name}`, email: `hostile${i}@example.com`, culture: "fr-FR",
        defaultAddress: { country: "FR", firstName: name.slice(0, 40), lastName: "Lastname", phoneNumber: "+33 6 12 34 56 78" },
      },
    });
    assert.equal(customer.status, 201, JSON.stringify(customer.body));
    created.push({ id: customer.body.id, company: `Hostile ${i} ${name}`, first: name.slice(0, 40) });
  }
  const page = await watched(`/?today=${TODAY}`);
  await page.getByRole("tab", { name: "Existing customer" }).click();
  const panel = page.getByRole("tabpanel", { name: "Existing customer" });
  await panel.getByLabel("Search customers (company name or domain)").fill("Hostile");
  await panel.getByRole("button", { name: "Search", exact: true }).click();
  for (const c of created) await panel.getByRole("button", { name: c.company }).waitFor();
  await assertInert(page, "search results");
  await panel.getByRole("button", { name: created[1].company }).click();
  await panel.getByText(created[1].company, { exact: true }).first().waitFor();
  await assertInert(page, "account information");

  await page.getByRole("tab", { name: "Portfolio" }).click();
  const portfolio = page.getByRole("tabpanel", { name: "Portfolio" });
  await portfolio.getByRole("button", { name: "Load every customer's status" }).click();
  await portfolio.getByRole("table").waitFor();
  for (const c of created) {
    const cell = portfolio.getByRole("rowheader", { name: c.company, exact: true });
    if (await cell.count()) assert.equal(await cell.textContent(), c.company);
  }
  await assertInert(page, "portfolio");

  // The customer's acceptance page shows the partner's texts as text.
  const attestation = await api("POST", "/v1/attestations/enhanced", {
    country: "FR", language: "fr-FR", companyName: created[0].company,
    signatoryFirstName: PAYLOADS[1], signatoryLastName: PAYLOADS[2], signatoryEmail: "hostile0@example.com",
  });
  assert.equal(attestation.status, 201, JSON.stringify(attestation.body));
  const acceptance = await watched("/", { token: null });
  // The sandbox's acceptance page stands for Microsoft's: the link built from the id.
  await acceptance.goto(`${sandbox.url}/accept/${attestation.body.attestationId}`);
  await acceptance.getByText(created[0].company).first().waitFor();
  assert.ok((await acceptance.content()).includes("Hostile 0 &lt;script&gt;alert(1)&lt;/script&gt;"));
  await assertInert(acceptance, "acceptance page");
  await assertInert(page, "after everything");
});

test("every payload in every field of the new-customer form, the element and attachValidation: validated as text", async () => {
  for (const path of [`/?today=${TODAY}`, `/embed.html?today=${TODAY}`]) {
    const page = await watched(path);
    for (const payload of PAYLOADS) {
      for (const input of await page.locator("input:visible:not([type=file]):not([type=password]):not([type=date]):not([type=number]), textarea:visible").all()) {
        await input.fill(payload);
        await input.blur();
        assert.equal(await input.inputValue(), payload.replace(/\r?\n/g, "\n"));
      }
    }
    await assertInert(page, path);
  }
});

test("a bulk file of payloads in every column: every row refused with its problems as text, nothing runs", async () => {
  const page = await watched(`/?today=${TODAY}`);
  await page.getByRole("tab", { name: "Many customers" }).click();
  const panel = page.getByRole("tabpanel", { name: "Many customers" });
  const quote = (s) => `"${s.replace(/"/g, '""')}"`;
  const rows = PAYLOADS.map((p, i) => [p, "MicrosoftCustomerAgreement", p, p.slice(0, 90), "Name", `x${i}@example.com`, p, p, p].map(quote).join(","));
  const header = "customerId,agreementType,dateAgreed,firstName,lastName,email,phoneNumber,country,language";
  await panel.getByLabel("Or paste the rows, with their header").fill([header, ...rows].join("\r\n"));
  await panel.getByRole("button", { name: "Check the rows" }).click();
  await panel.getByRole("heading", { name: `${PAYLOADS.length} rows: 0 valid, ${PAYLOADS.length} with problems` }).waitFor();
  await assertInert(page, "bulk problems");
});

test("right-to-left names and combining characters come back as typed", async () => {
  const names = [["مريم", "الأحمد"], ["אֶסְתֵּר", "כֹּהֵן"], ["Zoe\u0301", "Nguye\u0303n"], ["Zoë", "Đặng"]];
  for (const [i, [first, last]] of names.entries()) {
    const customer = await api("POST", "/v1/customers", {
      companyProfile: { domain: `script-${i}.onmicrosoft.com` },
      billingProfile: {
        companyName: `${first} ${last} ${i}`, email: `script${i}@example.com`, culture: "fr-FR",
        defaultAddress: { country: "FR", firstName: first, lastName: last, phoneNumber: "+33 6 12 34 56 78" },
      },
    });
    assert.equal(customer.status, 201, JSON.stringify(customer.body));
  }
  const page = await watched(`/?today=${TODAY}`);
  await page.getByRole("tab", { name: "Existing customer" }).click();
  const panel = page.getByRole("tabpanel", { name: "Existing customer" });
  for (const [i, [first, last]] of names.entries()) {
    await panel.getByLabel("Search customers (company name or domain)").fill(`script-${i}`);
    await panel.getByRole("button", { name: "Search", exact: true }).click();
    const button = panel.getByRole("button", { name: `${first} ${last} ${i}` });
    await button.waitFor();
    assert.ok((await button.textContent()).includes(`${first} ${last} ${i}`), "the same code points");
  }
  await assertInert(page, "scripts and marks");
});

test("a 1 MB input and a 60 MB CSV: a clear answer, the page never busy for more than 100 ms at a time", async () => {
  const page = await watched(`/?today=${TODAY}`);
  const big = "A".repeat(1_000_000);
  const company = page.getByRole("tabpanel", { name: "New customer" }).getByLabel("Company name", { exact: true });
  await company.fill(big);
  await company.blur();
  await page.getByText(/at most \d+ characters/).first().waitFor();

  await page.getByRole("tab", { name: "Many customers" }).click();
  const panel = page.getByRole("tabpanel", { name: "Many customers" });
  const row = (n) => `${n.toString(16).padStart(8, "0")}-0000-4000-8000-000000000001,MicrosoftCustomerAgreement,2019-11-14,Ana,Lima,ana@example.com,,FR,fr-FR\r\n`;
  const header = "customerId,agreementType,dateAgreed,firstName,lastName,email,phoneNumber,country,language\r\n";
  const dir = mkdtempSync(join(tmpdir(), "csp-big-"));
  const file = join(dir, "big.csv");
  writeFileSync(file, header + Array.from({ length: Math.ceil(60_000_000 / row(0).length) }, (_, n) => row(n)).join(""));
  await page.evaluate(() => (window.__long = []));
  await panel.getByLabel("CSV file").setInputFiles(file);
  await panel.getByRole("button", { name: "Check the rows" }).click();
  await panel.getByRole("table", { name: /Problems, by line/ }).getByText(/larger than/).waitFor({ timeout: 60_000 });
  rmSync(dir, { recursive: true, force: true });
  assert.equal(await panel.getByRole("button", { name: /^(Send the|Create the acceptance link)/ }).isDisabled(), true, "a file over the limit cannot be sent");
  const long = await page.evaluate(() => window.__long);
  assert.deepEqual(long.filter((ms) => ms > 100), [], "tasks over 100 ms while the file was checked");
  await assertInert(page, "large inputs");
});
