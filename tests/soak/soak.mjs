// Exactly once under faults: the sample's customers sent by the module's client in Node
// (validateCsv, then sendBulk at concurrency 8) against the sandbox with a seeded mix of every
// kind of failure on 20% of its requests. Afterwards the database must hold exactly one
// attestation per row the client reports sent, none for the others, and the client's report
// must agree with it row for row.
//   node tests/soak/soak.mjs [rows] [rate] [seed]     default 1000 rows, rate 0.2, seed 7
// The test command runs it with 200 rows. Prints the faults injected, the time and the counts;
// exits non-zero on any loss or duplicate.
import { readFileSync } from "node:fs";
import { startSandbox, TOKEN } from "../e2e/harness.mjs";

const [rows = 1000, rate = 0.2, seed = 7] = process.argv.slice(2).map(Number);
const pkg = new URL("../../pkg/", import.meta.url);
const api = await import(new URL("csp_agreements.js", pkg));
api.initSync({ module: readFileSync(new URL("csp_agreements_bg.wasm", pkg)) });
const TODAY = "2026-11-24";
const sample = readFileSync(new URL("../../www/samples/customers-1000.csv", import.meta.url), "utf8");
const [header, ...lines] = sample.trim().split("\r\n");
const file = [header, ...lines.slice(0, rows)].join("\r\n");

const sandbox = await startSandbox({ today: TODAY, sample: true, faults: `rate=${rate},seed=${seed}` });
const get = async (path) => (await fetch(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
let failed = false;
try {
  const options = { localToday: TODAY, utcToday: TODAY };
  const checked = api.validateCsv(file, options);
  // A short timeout: some answers never come.
  const client = new api.PartnerCenterClient({ apiBase: sandbox.url, getToken: () => TOKEN, timeoutMs: 2000, retryBaseDelayMs: 50 });
  const start = performance.now();
  const sending = client.sendBulk(checked.payloads, { ...options, concurrency: 8 });
  const last = await sending.finished();
  const seconds = (performance.now() - start) / 1000;
  const report = sending.rows();
  const records = await get("/sandbox/records");
  const faults = await get("/sandbox/faults");

  const ours = new Set(checked.payloads.map((p) => p.customerId));
  const stored = records.attestations.filter((a) => ours.has(a.customerId));
  const byCustomer = new Map();
  for (const a of stored) byCustomer.set(a.customerId, [...(byCustomer.get(a.customerId) ?? []), a.id]);
  const duplicates = [...byCustomer].filter(([, ids]) => ids.length > 1);
  const sent = report.filter((r) => r.status === "sent");
  const lost = sent.filter((r) => byCustomer.get(r.customerId)?.[0] !== r.reference);
  const unreported = stored.filter((a) => !sent.some((r) => r.reference === a.id));
  const notFinished = report.filter((r) => !["sent", "skipped", "failed"].includes(r.status));
  const injected = Object.values(faults.injected).reduce((a, b) => a + b, 0);

  console.log(`${rows} rows (${checked.invalid} invalid), ${checked.payloads.length} sent by sendBulk at concurrency 8 in ${seconds.toFixed(1)} s`);
  console.log(`faults injected: ${injected} (${Object.entries(faults.injected).map(([k, v]) => `${k} ${v}`).join(", ")})`);
  console.log(`rows: ${last.sent} sent, ${last.skipped} skipped (already confirmed), ${last.failed} failed`);
  for (const r of report.filter((r) => r.status === "failed")) console.log(`  failed: line ${r.line} ${r.customerId} ${r.error}`);
  console.log(`database: ${stored.length} attestations for these customers; duplicates ${duplicates.length}, sent but missing ${lost.length}, stored but not reported ${unreported.length}, rows left unfinished ${notFinished.length}`);
  failed = duplicates.length + lost.length + unreported.length + notFinished.length > 0 || injected === 0;
} finally {
  await sandbox.stop();
}
process.exit(failed ? 1 : 0);
