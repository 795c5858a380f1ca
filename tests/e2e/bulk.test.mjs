// Many customers at once, driven by labels, against the sandbox seeded with the bulk sample:
// blocks of 200 rows of www/samples/customers-1000.csv (20 wrong, 5 customers already holding a
// current Customer Agreement). Each test takes its own block, so that each block's customers
// meet their first sending. The report is compared with the sandbox's database row for row.
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { api, assertAccessible, assertClean, injectFault, launch, openPage, startSandbox, TOKEN } from "./harness.mjs";

const TODAY = "2026-11-24";
const SAMPLE = readFileSync(fileURLToPath(new URL("../../www/samples/customers-1000.csv", import.meta.url)), "utf8");
const [HEADER, ...ROWS] = SAMPLE.trim().split("\r\n");
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

/** Rows `from` to `to` (1-based, inclusive) of the sample, with its header, as a file. */
function block(from, to) {
  const text = [HEADER, ...ROWS.slice(from - 1, to)].join("\r\n") + "\r\n";
  return { name: `customers-${from}-${to}.csv`, mimeType: "text/csv", buffer: Buffer.from(text) };
}

/** RFC 4180 rows (quoted fields with quotes doubled, CRLF), split on `separator`. */
function parseCsv(text, separator = ",") {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === separator) row.push(field), (field = "");
    else if (c === "\n") row.push(field.replace(/\r$/, "")), rows.push(row), (row = []), (field = "");
    else field += c;
  }
  if (field || row.length) row.push(field), rows.push(row);
  return rows;
}

/** The sample customer of row `n`. */
const customerOf = (n) => `b0000000-0000-4000-8000-${String(n).padStart(12, "0")}`;

async function openBulk({ locale } = {}) {
  const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}`, locale });
  await page.getByRole("tab", { name: "Many customers" }).click();
  return { page, panel: page.getByRole("tabpanel", { name: "Many customers" }) };
}

async function check(panel, file) {
  await panel.getByLabel("CSV file").setInputFiles(file);
  await panel.getByRole("button", { name: "Check the rows" }).click();
}

async function finished(panel, word = "Finished.") {
  await panel.getByRole("status").filter({ hasText: word }).waitFor({ timeout: 60_000 });
  return panel.getByRole("status").textContent();
}

/** The report, downloaded: one object per line of the file. */
async function report(page, panel) {
  const download = page.waitForEvent("download");
  await panel.getByRole("button", { name: "Download the report (CSV)" }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), "bulk-confirmation-report.csv");
  const [header, ...rows] = parseCsv(readFileSync(await file.path(), "utf8").replace(/^\uFEFF/, "")).filter((r) => r.length > 1);
  assert.deepEqual(header, ["Line", "Customer ID", "Status", "Request ID (MS-RequestId)", "Error", "Attestation ID", "Acceptance link"]);
  return rows.map(([line, customer, status, requestId, error, attestation, link]) => ({ line: Number(line), customer, status, requestId, error, attestation, link }));
}

/**
 * The attestations the sandbox holds for the customers of rows `from` to `to`. Partner Center
 * binds an attestation's customer at completion: until then it is the company's (sample
 * customer n is "Sample Customer 000n").
 */
async function attestationsOf(from, to) {
  const ids = new Set(Array.from({ length: to - from + 1 }, (_, i) => customerOf(from + i)));
  const records = await api(sandbox, "/sandbox/records");
  return records.attestations
    .map((a) => ({ ...a, customerId: customerOf(Number(a.companyName.replace("Sample Customer ", ""))) }))
    .filter((a) => ids.has(a.customerId));
}

/** The report and the database agree row for row: every row sent has exactly its one attestation. */
async function assertReportMatchesDatabase(rows, from, to) {
  const stored = await attestationsOf(from, to);
  const sent = rows.filter((r) => r.status === "acceptance link created");
  const byCustomer = new Map();
  for (const a of stored) byCustomer.set(a.customerId, [...(byCustomer.get(a.customerId) ?? []), a.id]);
  for (const [customer, ids] of byCustomer) assert.equal(ids.length, 1, `${customer} has ${ids.length} attestations`);
  assert.deepEqual(new Set(sent.map((r) => r.attestation)), new Set(stored.map((a) => a.id)));
  for (const r of sent) assert.deepEqual(byCustomer.get(r.customer), [r.attestation], `line ${r.line}`);
  const requestIds = rows.filter((r) => r.requestId).map((r) => r.requestId);
  assert.equal(new Set(requestIds).size, requestIds.length, "one request id per row");
  return sent.length;
}

test("200 rows: 20 invalid shown, 5 already confirmed skipped, the rest sent once; the report matches the database", async () => {
  const { page, panel } = await openBulk();
  await assertAccessible(page, "bulk tab");
  await check(panel, block(1, 200));
  await panel.getByRole("heading", { name: "200 rows: 180 valid, 20 with problems" }).waitFor();
  const problems = panel.getByRole("table", { name: "Problems, by line" });
  assert.equal(await problems.locator("tbody tr").count(), 20);
  assert.match(await problems.locator("tbody tr").first().textContent(), /^10Email addressEnter one email address/);
  await assertAccessible(page, "bulk checked");

  await panel.getByRole("button", { name: "Create the acceptance links of the 180 valid rows" }).click();
  const counts = await finished(panel);
  assert.match(counts, /^100% — 180 of 180 rows done: 175 sent, 5 already confirmed \(skipped\), 0 failed\./);
  assert.equal(await panel.getByLabel("Sending").getAttribute("aria-valuetext"), "100%");
  await assertAccessible(page, "bulk finished");

  const rows = await report(page, panel);
  assert.deepEqual(rows.map((r) => r.line), Array.from({ length: 200 }, (_, i) => i + 2));
  const count = (status) => rows.filter((r) => r.status === status).length;
  assert.deepEqual([count("invalid"), count("already confirmed"), count("acceptance link created")], [20, 5, 175]);
  for (const r of rows.filter((r) => r.status === "acceptance link created")) assert.match(r.link, /^http:\/\/127\.0\.0\.1:\d+\/accept\//);
  assert.equal(await assertReportMatchesDatabase(rows, 1, 200), 175);
  // The journal (IndexedDB) and the ledger (the sandbox's, as a portal's backend) hold no
  // personal data, no token and no link.
  const journal = await page.evaluate(() => new Promise((resolve, reject) => {
    const open = indexedDB.open("csp-agreements-bulk");
    open.onsuccess = () => {
      const request = open.result.transaction("rows").objectStore("rows").getAll();
      request.onsuccess = () => resolve(JSON.stringify(request.result));
      request.onerror = () => reject(request.error);
    };
    open.onerror = () => reject(open.error);
  }));
  assert.equal(JSON.parse(journal).length, 180);
  const ledger = JSON.stringify(await api(sandbox, "/ledger"));
  for (const kept of [journal, ledger]) {
    assert.doesNotMatch(kept, /@|sample\.example|Martin|\+\d|accept\//);
    assert.doesNotMatch(kept, new RegExp(TOKEN));
  }
  await assertClean(page);
});

test("cancel midway: the requests under way finish, no row is half-sent, the report says which were sent", async () => {
  const { page, panel } = await openBulk();
  await check(panel, block(201, 400));
  await panel.getByLabel("Requests at once").fill("1");
  await panel.getByRole("button", { name: "Create the acceptance links of the 180 valid rows" }).click();
  await page.waitForFunction(() => document.querySelector("#bulk-progress").value >= 15);
  await panel.getByRole("button", { name: "Cancel" }).click();
  await finished(panel, "Cancelled.");
  const rows = await report(page, panel);
  const sent = await assertReportMatchesDatabase(rows, 201, 400);
  assert.ok(sent > 0 && sent < 175, `${sent} sent before the cancel`);
  const notSent = rows.filter((r) => r.status === "not sent").length;
  assert.equal(rows.filter((r) => r.status !== "invalid").length, sent + notSent + rows.filter((r) => r.status === "already confirmed").length);
  await assertClean(page);
});

test("rows whose answers were lost, then the sending cancelled: the report says uncertain, never 'not sent'", async () => {
  // Every creation is recorded and its answer dropped: each row's attempts are all lost.
  await injectFault(sandbox, { method: "POST", path: "/v1/attestations/enhanced", when: "after-commit", times: 1000 });
  const { page, panel } = await openBulk();
  await check(panel, block(841, 1000));
  await panel.getByLabel("Requests at once").fill("1");
  await panel.getByRole("button", { name: /^Create the acceptance links of the \d+ valid rows$/ }).click();
  for (let waited = 0; ; waited += 100) {
    const faults = await api(sandbox, "/sandbox/faults");
    if ((faults.injected["drop-after-commit"] ?? 0) >= 3) break;
    assert.ok(waited < 30_000, "the faults struck");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await panel.getByRole("button", { name: "Cancel" }).click();
  await finished(panel, "Cancelled.");
  await fetch(`${sandbox.url}/sandbox/faults`, { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } });
  const rows = await report(page, panel);
  const stored = new Set((await attestationsOf(841, 1000)).map((a) => a.customerId));
  const uncertain = rows.filter((r) => r.status === "uncertain: read again before sending");
  assert.ok(uncertain.length >= 1, JSON.stringify(rows.slice(0, 3)));
  // Those rows were recorded indeed (the answers alone were lost): "not sent" would be false.
  for (const r of uncertain) assert.ok(stored.has(r.customer), `line ${r.line}: its attestation exists`);
  for (const r of rows.filter((r) => r.status === "not sent")) assert.ok(!stored.has(r.customer), `line ${r.line} says not sent`);
  await assertClean(page);
});

test("a reload midway, then the same file again: sending resumes and each row is sent exactly once", async () => {
  const { page, panel } = await openBulk();
  const file = block(401, 600);
  await check(panel, file);
  await panel.getByLabel("Requests at once").fill("2");
  await panel.getByRole("button", { name: "Create the acceptance links of the 180 valid rows" }).click();
  await page.waitForFunction(() => document.querySelector("#bulk-progress").value >= 40);
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  // The token is not kept across a reload: it is given again.
  await page.getByLabel("Sandbox token").fill(TOKEN);
  await panel.getByText(/A sending was interrupted: \d+ of 180 rows done/).waitFor();
  await assertAccessible(page, "bulk journal after a reload");
  await check(panel, file);
  await panel.getByText(/This is the file of the interrupted sending/).waitFor();
  await panel.getByRole("button", { name: /^Resume the sending \(\d+ rows left\)$/ }).click();
  const counts = await finished(panel);
  assert.match(counts, /180 of 180 rows done: 175 sent, 5 already confirmed \(skipped\), 0 failed/);
  const rows = await report(page, panel);
  assert.equal(await assertReportMatchesDatabase(rows, 401, 600), 175);
  await assertClean(page);
});

test("with 20% of the requests answered 429 (Retry-After), the sending ends as it does without", async () => {
  await injectFault(sandbox, { method: "POST", path: "/v1/attestations/enhanced", status: 429, retryAfter: 1, rate: 0.2, seed: 7, times: 1000 });
  await injectFault(sandbox, { path: "/v1/", status: 429, retryAfter: 0, rate: 0.2, seed: 11, times: 1000 });
  const { page, panel } = await openBulk();
  let throttled = 0;
  page.on("response", (response) => {
    if (response.status() === 429) throttled += 1;
  });
  await check(panel, block(601, 800));
  await panel.getByLabel("Requests at once").fill("8");
  await panel.getByRole("button", { name: "Create the acceptance links of the 180 valid rows" }).click();
  const counts = await finished(panel);
  const rows = await report(page, panel);
  await fetch(`${sandbox.url}/sandbox/faults`, { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } });
  const failed = rows.filter((r) => r.status === "failed");
  assert.match(counts, /180 of 180 rows done: 175 sent, 5 already confirmed \(skipped\), 0 failed/, JSON.stringify(failed));
  assert.ok(throttled > 100, `${throttled} answers were 429`);
  assert.equal(await assertReportMatchesDatabase(rows, 601, 800), 175);
});

test("in French, pasted rows with French headers and semicolons: the problems and the counts in French", async () => {
  const page = await openPage(browser, sandbox, { path: `/?today=${TODAY}`, locale: "fr-FR" });
  await page.getByRole("tab", { name: "Plusieurs clients" }).click();
  const panel = page.getByRole("tabpanel", { name: "Plusieurs clients" });
  const rows = ROWS.slice(800, 810).map((r) => r.split(",").join(";"));
  const text = ["ID client;Contrat;Date d'acceptation;Prénom;Nom;Courriel;Téléphone;Pays;Langue", ...rows].join("\n");
  await panel.getByLabel("Ou collez les lignes, avec leur en-tête").fill(text);
  await panel.getByRole("button", { name: "Vérifier les lignes" }).click();
  await panel.getByRole("heading", { name: "10\u00a0lignes — valides\u00a0: 9, avec des problèmes\u00a0: 1" }).waitFor();
  const problems = panel.getByRole("table", { name: "Problèmes, par ligne" });
  assert.match(await problems.locator("tbody tr").first().textContent(), /^10/);
  await panel.getByRole("button", { name: "Créer les liens d'acceptation des 9\u00a0lignes valides" }).click();
  const counts = await finished(panel, "Terminé.");
  assert.match(counts, /^100\u00a0% — lignes traitées\u00a0: 9 sur 9 \(envoyées\u00a0: 9, déjà confirmées et ignorées\u00a0: 0, en échec\u00a0: 0\)\./);
  await assertAccessible(page, "bulk in French");
  // The report opens as columns in a French spreadsheet: a byte order mark, then `;` between cells.
  const download = page.waitForEvent("download");
  await panel.getByRole("button", { name: "Télécharger le rapport (CSV)" }).click();
  const file = await download;
  assert.equal(file.suggestedFilename(), "rapport-attestation-en-bloc.csv");
  const csv = readFileSync(await file.path(), "utf8");
  assert.ok(csv.startsWith("\uFEFFLigne;ID client;État;"), csv.slice(0, 60));
  const lines = parseCsv(csv.replace(/^\uFEFF/, ""), ";").filter((r) => r.length > 1);
  assert.equal(lines.length, 11);
  for (const line of lines) assert.equal(line.length, 7, line.join(" | "));
  // The pasted rows come back after a reload (the page's draft, this tab only).
  await page.reload();
  await page.waitForSelector("html[data-ready=true]");
  assert.equal(await panel.getByLabel("Ou collez les lignes, avec leur en-tête").inputValue(), text);
  await assertClean(page);
});
