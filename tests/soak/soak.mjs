// Exactly once under faults, through the module's client in Node against the sandbox with a
// seeded mix of every kind of failure on 20% of its requests:
// 1. the sample's customers: validateCsv, then sendBulk at concurrency 8 (their attestations);
// 2. new customers, eight at a time: createCustomer, then the attestation (the enhanced flow).
//    A customer whose creation went unanswered may exist: it is found by its domain and
//    finished (a customer without its attestation is reported, never made twice).
// Afterwards the database must hold exactly one attestation per row the client reports sent,
// none for the others, one customer per domain, and agree with the client's report row by row.
//   node tests/soak/soak.mjs [rows] [rate] [seed]     default 1000 rows, rate 0.2, seed 7
// The test command runs it with 200 rows. Prints the faults injected, the requests and those
// tried again (the same MS-RequestId), the time and the counts;
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
  console.log(`requests: ${faults.requests}, of which ${faults.repeated} tried again with the same MS-RequestId`);
  console.log(`rows: ${last.sent} sent, ${last.skipped} skipped (already confirmed), ${last.failed} failed`);
  for (const r of report.filter((r) => r.status === "failed")) console.log(`  failed: line ${r.line} ${r.customerId} ${r.error}`);
  console.log(`database: ${stored.length} attestations for these customers; duplicates ${duplicates.length}, sent but missing ${lost.length}, stored but not reported ${unreported.length}, rows left unfinished ${notFinished.length}`);
  failed = duplicates.length + lost.length + unreported.length + notFinished.length > 0 || injected === 0;

  // 2. New customers: created, then sent for acceptance, eight at a time.
  const fresh = Array.from({ length: Math.ceil(rows / 4) }, (_, i) => ({ i, domain: `soak-${seed}-${i}.onmicrosoft.com` }));
  const newCustomer = (c) => ({
    companyProfile: { domain: c.domain },
    billingProfile: {
      companyName: `Soak ${c.i}`, email: `soak${c.i}@example.com`, culture: "fr-FR",
      defaultAddress: { country: "FR", firstName: "Sam", lastName: `Soak ${c.i}`, phoneNumber: "+33 6 12 34 56 78" },
    },
  });
  const attestationOf = (c) => ({ firstName: "Sam", lastName: `Soak ${c.i}`, email: `soak${c.i}@example.com`, country: "FR", language: "fr-FR" });
  const start2 = performance.now();
  let next = 0;
  const halfMade = [];
  const worker = async () => {
    while (next < fresh.length) {
      const c = fresh[next++];
      for (let attempt = 0; attempt < 4 && !c.id; attempt++) {
        try {
          c.id = (await client.createCustomer(newCustomer(c))).id;
        } catch (error) {
          // Unanswered, then refused as taken: the first creation went through. Found by its domain.
          if (error.code === "conflict" || error.code === "invalid-input") {
            const found = await client.searchCustomers(c.domain, 5).catch(() => []);
            c.id = found.find((f) => f.companyProfile.domain === c.domain)?.id;
            if (c.id) halfMade.push(c.domain);
          }
        }
      }
      if (!c.id) continue;
      // Tried again with the same MS-RequestId: a creation recorded but unanswered is answered again.
      const requestId = crypto.randomUUID();
      for (let attempt = 0; attempt < 4 && !c.attestation; attempt++) {
        const result = await client.createAttestation(c.id, attestationOf(c), { ...options, requestId });
        if (result.ok) c.attestation = result.attestation.attestationId;
      }
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  const seconds2 = (performance.now() - start2) / 1000;
  const faults2 = await get("/sandbox/faults");
  const injected2 = Object.values(faults2.injected).reduce((a, b) => a + b, 0) - injected;
  // The faults end here: what follows only reads what was stored.
  await fetch(`${sandbox.url}/sandbox/faults`, { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } });
  const after = await get("/sandbox/records");
  const domains = [];
  for (const c of fresh) {
    const found = await get(`/v1/customers?size=10&filter=${encodeURIComponent(JSON.stringify({ Field: "CompanyName", Value: c.domain }))}`);
    domains.push(...(found.items ?? []).map((f) => f.companyProfile.domain).filter((d) => d === c.domain));
  }
  const freshIds = new Set(fresh.map((c) => c.id).filter(Boolean));
  const freshStored = after.attestations.filter((a) => freshIds.has(a.customerId));
  const twice = domains.length - new Set(domains).size;
  const withoutCustomer = fresh.filter((c) => !c.id).length;
  const withoutAttestation = fresh.filter((c) => c.id && !c.attestation).length;
  const extra = freshStored.filter((a) => !fresh.some((c) => c.attestation === a.id)).length;
  const perCustomer = new Map();
  for (const a of freshStored) perCustomer.set(a.customerId, (perCustomer.get(a.customerId) ?? 0) + 1);
  const doubled = [...perCustomer.values()].filter((n) => n > 1).length;
  console.log(`\n${fresh.length} new customers created then sent for acceptance, eight at a time, in ${seconds2.toFixed(1)} s; faults injected meanwhile: ${injected2}; requests ${faults2.requests - faults.requests}, tried again ${faults2.repeated - faults.repeated}`);
  console.log(`customers: ${domains.length} stored for ${fresh.length} domains (made twice ${twice}), ${halfMade.length} found by their domain after an unanswered creation, ${withoutCustomer} not created`);
  for (const c of fresh.filter((c) => !c.id || !c.attestation)) console.log(`  unfinished: ${c.domain} ${c.id ?? "(no customer)"}`);
  console.log(`attestations: ${freshStored.length} stored; customers without one ${withoutAttestation}, with two ${doubled}, stored but not reported ${extra}`);
  failed ||= twice + withoutCustomer + withoutAttestation + doubled + extra > 0 || domains.length !== fresh.length;
} finally {
  await sandbox.stop();
}
process.exit(failed ? 1 : 0);
