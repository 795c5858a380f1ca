// Exactly once under faults, through the module's client in Node against the sandbox with a
// seeded mix of every kind of failure on 20% of its requests:
// 1. the sample's customers: validateCsv, then sendBulk at concurrency 8 (their attestations,
//    kept in a ledger);
// 2. the customers accept (the sandbox's page, outside the faults), then "Complete all
//    accepted" (sweep) at concurrency 8, clicked again for what failed: completions whose answer
//    is lost, including those recorded and then refused as "already exists" when tried again;
// 3. new customers, eight at a time: createCustomer, then the attestation (the enhanced flow).
//    A customer whose creation went unanswered may exist: it is found by its domain and
//    finished (a customer without its attestation is reported, never made twice).
// Afterwards the database must hold exactly one attestation per row the client reports sent,
// none for the others, exactly one agreement per attestation completed, one customer per
// domain, and agree with the client's report row by row. The sandbox binds an attestation's
// customer at completion: attestations are matched to customers by company name.
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
// The file checks: the package's second module (`csp-agreements/bulk`).
const files = await import(new URL("bulk/csp_agreements.js", pkg));
files.initSync({ module: readFileSync(new URL("bulk/csp_agreements_bg.wasm", pkg)) });
const { AttestationLedger, memoryStore } = await import(new URL("ledger.js", pkg));
const TODAY = "2026-11-24";
const sample = readFileSync(new URL("../../www/samples/customers-1000.csv", import.meta.url), "utf8");
const [header, ...lines] = sample.trim().split("\r\n");
const file = [header, ...lines.slice(0, rows)].join("\r\n");

const sandbox = await startSandbox({ today: TODAY, sample: true, faults: `rate=${rate},seed=${seed}` });
const get = async (path) => (await fetch(`${sandbox.url}${path}`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json();
let failed = false;
try {
  const options = { localToday: TODAY, utcToday: TODAY };
  const checked = files.validateCsv(file, options);
  // A short timeout: some answers never come.
  const ledger = await AttestationLedger.open(memoryStore(), { sentBy: "soak" });
  const client = new api.PartnerCenterClient({ apiBase: sandbox.url, getToken: () => TOKEN, timeoutMs: 2000, retryBaseDelayMs: 50, ledger, acceptancePage: `${sandbox.url}/accept/` });
  const start = performance.now();
  const sending = client.sendBulk(checked.payloads, { ...options, concurrency: 8 });
  const last = await sending.finished();
  const seconds = (performance.now() - start) / 1000;
  const report = sending.rows();
  const records = await get("/sandbox/records");
  const faults = await get("/sandbox/faults");

  // Sample customer n is "Sample Customer 000n", its id ends in n.
  const customerOf = (company) => `b0000000-0000-4000-8000-${company.replace("Sample Customer ", "").padStart(12, "0")}`;
  const ours = new Set(checked.payloads.map((p) => p.customerId));
  const stored = records.attestations.map((a) => ({ ...a, customerId: customerOf(a.companyName) })).filter((a) => ours.has(a.customerId));
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

  // 2. The customers accept, on the sandbox's page (outside the faults, which strike /v1).
  for (const r of sent) {
    const page = await (await fetch(`${sandbox.url}/accept/${r.reference}`)).text();
    const token = page.match(/name="token" value="([0-9a-f]+)"/)?.[1];
    await fetch(`${sandbox.url}/accept/${r.reference}`, { method: "POST", body: `token=${token}`, headers: { "Content-Type": "application/x-www-form-urlencoded" } });
  }
  // "Complete all accepted", clicked again (at most three times) for what did not complete.
  const startSweep = performance.now();
  const completions = new Map();
  for (let round = 0; round < 3; round++) {
    const left = ledger.records().filter((r) => r.status !== "Completed" && ours.has(r.customerId));
    if (!left.length) break;
    const sweep = client.sweep(left, { action: "complete", concurrency: 8, utcToday: TODAY });
    await sweep.finished();
    for (const r of sweep.results()) completions.set(r.attestationId, r);
  }
  const secondsSweep = (performance.now() - startSweep) / 1000;
  const afterSweep = await get("/sandbox/records");
  const faultsSweep = await get("/sandbox/faults");
  const mcaOf = new Map();
  for (const a of afterSweep.agreements.filter((a) => a.type === "MicrosoftCustomerAgreement" && a.dateAgreed >= "2026-01-01")) {
    mcaOf.set(a.customerId, (mcaOf.get(a.customerId) ?? 0) + 1);
  }
  const completed = [...completions.values()].filter((r) => r.outcome === "completed");
  const alreadyRecorded = completed.filter((r) => r.note === "already-recorded").length;
  const notCompleted = sent.filter((r) => completions.get(r.reference)?.outcome !== "completed");
  const twiceRecorded = [...mcaOf.values()].filter((n) => n > 1).length;
  const recordedNotReported = [...mcaOf.keys()].filter((c) => ours.has(c) && !completed.some((r) => r.customerId === c)).length;
  console.log(`\n${sent.length} accepted, then completed by "Complete all accepted" at concurrency 8 in ${secondsSweep.toFixed(1)} s; faults injected meanwhile: ${Object.values(faultsSweep.injected).reduce((a, b) => a + b, 0) - injected} (recorded, answer lost, request id forgotten: ${(faultsSweep.injected["recorded-answer-lost"] ?? 0) - (faults.injected["recorded-answer-lost"] ?? 0)})`);
  console.log(`completions: ${completed.length} completed (${alreadyRecorded} concluded as already recorded), not completed ${notCompleted.length}; agreements recorded twice ${twiceRecorded}, recorded but not reported ${recordedNotReported}`);
  for (const r of notCompleted) console.log(`  not completed: ${r.customerId} ${completions.get(r.reference)?.error ?? "?"}`);
  failed ||= notCompleted.length + twiceRecorded + recordedNotReported > 0;

  // 3. New customers: created, then sent for acceptance, eight at a time.
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
  const injected2 = Object.values(faults2.injected).reduce((a, b) => a + b, 0) - Object.values(faultsSweep.injected).reduce((a, b) => a + b, 0);
  // The faults end here: what follows only reads what was stored.
  await fetch(`${sandbox.url}/sandbox/faults`, { method: "DELETE", headers: { Authorization: `Bearer ${TOKEN}` } });
  const after = await get("/sandbox/records");
  const domains = [];
  for (const c of fresh) {
    const found = await get(`/v1/customers?size=10&filter=${encodeURIComponent(JSON.stringify({ Field: "CompanyName", Value: c.domain }))}`);
    domains.push(...(found.items ?? []).map((f) => f.companyProfile.domain).filter((d) => d === c.domain));
  }
  const freshIds = new Set(fresh.map((c) => c.id).filter(Boolean));
  const idOfCompany = new Map(fresh.map((c) => [`Soak ${c.i}`, c.id]));
  const freshStored = after.attestations.map((a) => ({ ...a, customerId: idOfCompany.get(a.companyName) })).filter((a) => freshIds.has(a.customerId));
  const twice = domains.length - new Set(domains).size;
  const withoutCustomer = fresh.filter((c) => !c.id).length;
  const withoutAttestation = fresh.filter((c) => c.id && !c.attestation).length;
  const extra = freshStored.filter((a) => !fresh.some((c) => c.attestation === a.id)).length;
  const perCustomer = new Map();
  for (const a of freshStored) perCustomer.set(a.customerId, (perCustomer.get(a.customerId) ?? 0) + 1);
  const doubled = [...perCustomer.values()].filter((n) => n > 1).length;
  console.log(`\n${fresh.length} new customers created then sent for acceptance, eight at a time, in ${seconds2.toFixed(1)} s; faults injected meanwhile: ${injected2}; requests ${faults2.requests - faultsSweep.requests}, tried again ${faults2.repeated - faultsSweep.repeated}`);
  console.log(`customers: ${domains.length} stored for ${fresh.length} domains (made twice ${twice}), ${halfMade.length} found by their domain after an unanswered creation, ${withoutCustomer} not created`);
  for (const c of fresh.filter((c) => !c.id || !c.attestation)) console.log(`  unfinished: ${c.domain} ${c.id ?? "(no customer)"}`);
  console.log(`attestations: ${freshStored.length} stored; customers without one ${withoutAttestation}, with two ${doubled}, stored but not reported ${extra}`);
  failed ||= twice + withoutCustomer + withoutAttestation + doubled + extra > 0 || domains.length !== fresh.length;
} finally {
  await sandbox.stop();
}
process.exit(failed ? 1 : 0);
