// The ledger of attestations with the client of pkg/ in Node 20, against the sandbox of 2026:
// every attestation kept from sending to recorded in the sandbox's ledger (httpStore, the
// contract of a portal's backend), one live attestation per customer, a completion for another
// customer refused, a retried completion answered "already exists" concluded as recorded,
// statuses the toolkit does not know kept as they are, links that expire, multi-factor
// authentication asked for, every customer of the portfolio read page after page.
import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { startSandbox, TOKEN, CUSTOMERS } from "../e2e/harness.mjs";

const pkg = new URL("../../pkg/", import.meta.url);
const api = await import(new URL("csp_agreements.js", pkg));
api.initSync({ module: readFileSync(new URL("csp_agreements_bg.wasm", pkg)) });
const { AttestationLedger, httpStore, memoryStore, StaleRecord } = await import(new URL("ledger.js", pkg));

const TODAY = "2026-11-24";
const OPTIONS = { localToday: TODAY, utcToday: TODAY };
const FORM = { firstName: "José", lastName: "Núñez", email: "jose.nunez@adatum.example", country: "ES", language: "es-ES" };

let sandbox;
before(async () => {
  sandbox = await startSandbox({ today: TODAY });
});
after(() => sandbox?.stop());

const call = (method, path, body) => fetch(`${sandbox.url}${path}`, {
  method,
  headers: { Authorization: `Bearer ${TOKEN}`, "Content-Type": "application/json" },
  body: body === undefined ? undefined : JSON.stringify(body),
});
const fault = async (spec) => assert.equal((await call("POST", "/sandbox/faults", spec)).status, 204);

async function accept(id) {
  const page = await (await fetch(`${sandbox.url}/accept/${id}`)).text();
  const token = page.match(/name="token" value="([0-9a-f]+)"/)[1];
  const accepted = await fetch(`${sandbox.url}/accept/${id}`, {
    method: "POST", body: `token=${token}`, headers: { "Content-Type": "application/x-www-form-urlencoded" },
  });
  assert.equal(accepted.status, 200);
}

function partner(ledger, extra = {}) {
  return new api.PartnerCenterClient({
    apiBase: sandbox.url, getToken: () => TOKEN, retryBaseDelayMs: 10, ledger, acceptancePage: `${sandbox.url}/accept/`, ...extra,
  });
}

describe("the ledger kept by the sandbox (httpStore)", () => {
  test("sent, refused twice, accepted, completed once; two agents see the same records", async () => {
    const store = httpStore(sandbox.url, { getToken: () => TOKEN });
    const ledger = await AttestationLedger.open(store, { sentBy: "agent-1" });
    // The demo's own attestation to Lucerne Publishing is there from the start.
    assert.ok(ledger.records().some((r) => r.companyName === "Lucerne Publishing"));
    const client = partner(ledger);
    const sent = await client.createAttestation(CUSTOMERS.ES, FORM, OPTIONS);
    assert.equal(sent.ok, true, JSON.stringify(sent));
    const id = sent.attestation.attestationId;
    // The link is built from the id: the sandbox's answer has none.
    assert.equal(sent.attestation.acceptanceUrl, `${sandbox.url}/accept/${id}`);
    const record = ledger.get(id);
    assert.deepEqual(
      [record.customerId, record.status, record.sentBy, record.companyName, record.version],
      [CUSTOMERS.ES, "Pending", "agent-1", "Adatum Ibérica", 1],
    );
    assert.doesNotMatch(JSON.stringify(record), /jose|núñez|@|accept\/|bearer/i, "no personal data, no link, no token");
    const kept = await (await call("GET", "/ledger")).text();
    assert.ok(!kept.includes(TOKEN), "the token is not kept");
    assert.doesNotMatch(kept, /jose|núñez|@|accept\/|bearer/i, "the store holds no personal data, no link, no token");

    // A second attestation while the first waits: refused before anything is sent.
    const again = await client.createAttestation(CUSTOMERS.ES, FORM, OPTIONS);
    assert.equal(again.stage, "validation");
    assert.equal(again.errors[0].code, "attestation-in-progress");
    assert.match(again.errors[0].message, /An attestation sent on November 24, 2026 is waiting/);
    const status = await client.customerAgreementStatus(CUSTOMERS.ES, OPTIONS);
    assert.deepEqual([status.nextStep, status.inFlight.attestationId], ["wait-for-customer", id]);
    assert.match(status.message, /^Acceptance link created on November 24, 2026: waiting .* \(the link expires on December 1, 2026\)\.$/);

    // A second agent, another ledger over the same store, sees it.
    const other = await AttestationLedger.open(httpStore(sandbox.url, { getToken: () => TOKEN }));
    assert.equal(other.get(id)?.status, "Pending");

    // Completing it for another customer is refused before anything is sent.
    const wrong = await client.completeAttestation(CUSTOMERS.FR, id, OPTIONS);
    assert.equal(wrong.errors?.[0]?.code, "attestation-of-another-customer");

    await accept(id);
    const checked = await partner(other).attestation(CUSTOMERS.ES, id, OPTIONS);
    assert.equal(checked.attestation.status, "Accepted");
    // The first agent's copy is stale: its write is merged with the other's, not lost.
    await ledger.reload();
    assert.equal(ledger.get(id).status, "Accepted");
    const done = await client.completeAttestation(CUSTOMERS.ES, id, OPTIONS);
    assert.equal(done.ok, true, JSON.stringify(done));
    const completed = ledger.get(id);
    assert.equal(completed.status, "Completed");
    assert.deepEqual(completed.history.map((s) => s.status), ["Pending", "Accepted", "Completed"]);
    assert.ok(completed.completedAt && completed.acceptedAt);
    // Once recorded, the customer can be ordered for, and may be sent nothing more.
    const after = await client.customerAgreementStatus(CUSTOMERS.ES, OPTIONS);
    assert.deepEqual([after.orderable, after.nextStep], [true, "none"]);
    // The evidence: the attestation and the agreement recorded.
    const evidence = api.attestationEvidence(CUSTOMERS.ES, ledger.records(), after.agreements, { locale: "fr-FR" });
    assert.equal(evidence.attestations.length, 1);
    assert.equal(evidence.rows[0][0], "Enregistrement");
    assert.match(evidence.rows[1].join("|"), new RegExp(`^attestation\\|${id}\\|Completed\\|`));
    assert.match(api.csvOf(evidence.rows, { separator: ";" }), /^\uFEFFEnregistrement;ID;/);
  });

  test("a write of a record changed meanwhile is refused by the store and merged by the ledger", async () => {
    const store = httpStore(sandbox.url, { getToken: () => TOKEN });
    const [a, b] = await Promise.all([AttestationLedger.open(store), AttestationLedger.open(store)]);
    const record = a.records().find((r) => r.companyName === "Lucerne Publishing");
    const withdrawn = api.withdrawAttestation(record, { by: "agent-2", now: "2026-11-24T10:00:00Z" });
    await b.put(withdrawn);
    await assert.rejects(store.put(record), (error) => error instanceof StaleRecord && error.current.withdrawnBy === "agent-2");
    const checked = { ...record, checkedAt: "2026-11-24T11:00:00Z" };
    const merged = await a.put(checked);
    assert.equal(merged.withdrawnBy, "agent-2", "the other agent's mark is kept");
    assert.equal(merged.checkedAt, "2026-11-24T11:00:00Z");
    // Withdrawn, it no longer blocks a new attestation to its customer.
    assert.equal(api.ledgerView([merged], { now: "2026-11-24T12:00:00Z" }).items[0].live, false);
  });
});

describe("answers of today's Partner Center", () => {
  test("a retried completion answered 'already exists' (recorded, the answer lost) ends as success", async () => {
    const ledger = await AttestationLedger.open(memoryStore());
    const client = partner(ledger);
    const form = { ...FORM, email: "ana@fabrikam.example", firstName: "Ana", lastName: "Weber", country: "DE", language: "de-DE" };
    const sent = await client.createAttestation(CUSTOMERS.DE, form, OPTIONS);
    const id = sent.attestation.attestationId;
    await accept(id);
    // The completion is recorded, its answer lost, its request id forgotten: the retry meets
    // the record ("already exists").
    await fault({ method: "POST", path: `/v1/customers/${CUSTOMERS.DE}/agreements`, when: "after-commit", forgetRequestId: true, times: 1 });
    const done = await client.completeAttestation(CUSTOMERS.DE, id, OPTIONS);
    assert.equal(done.ok, true, JSON.stringify(done));
    assert.equal(done.note?.code, "already-recorded");
    assert.equal(ledger.get(id).note, "already-recorded");
    const records = await (await call("GET", "/sandbox/records")).json();
    assert.equal(records.agreements.filter((a) => a.customerId === CUSTOMERS.DE && a.type === "MicrosoftCustomerAgreement").length, 1);
  });

  test("a status the toolkit does not know is kept as it was written, and never completed", async () => {
    const ledger = await AttestationLedger.open(memoryStore());
    const client = partner(ledger);
    const form = { ...FORM, email: "tania@northwind.example", firstName: "Tania", lastName: "Carr", country: "US", language: "en-US" };
    const sent = await client.createAttestation(CUSTOMERS.US, form, OPTIONS);
    const id = sent.attestation.attestationId;
    await fault({ method: "GET", path: "/v1/attestations/enhanced/", when: "status-spelling", spelling: "InReview", times: 2 });
    const read = await client.attestation(CUSTOMERS.US, id, OPTIONS);
    assert.deepEqual([read.attestation.status, read.attestation.rawStatus], ["Unknown", "InReview"]);
    const complete = await client.completeAttestation(CUSTOMERS.US, id, OPTIONS);
    assert.equal(complete.stage, "not-accepted");
    const record = ledger.get(id);
    assert.deepEqual(record.history.map((s) => [s.status, s.raw]), [["Pending", undefined], ["Unknown", "InReview"]]);
    // Four hours after it was last read (the time of day is the clock's), it is to be checked
    // again.
    const due = new Date(Date.parse(record.checkedAt) + 4 * 3600 * 1000).toISOString().replace(/\.\d+Z$/, "Z");
    assert.equal(api.ledgerView([record], { now: due }).items[0].next, "check");
    // Nor sent again by itself: the customer still has one attestation.
    const again = await client.createAttestation(CUSTOMERS.US, form, OPTIONS);
    assert.equal(again.errors?.[0]?.code, "attestation-in-progress");
  });

  test("links expire as the days go by: the attestation is read as expired, and may be sent again", async () => {
    const ledger = await AttestationLedger.open(memoryStore());
    const client = partner(ledger);
    const form = { ...FORM, email: "mia@trey.example", firstName: "Mia", lastName: "Wong", country: "AU", language: "en-US" };
    const sent = await client.createAttestation("6f2a9c0e-1b7d-4e5a-9c8f-3d7e9a1b5c07", form, OPTIONS);
    assert.equal(sent.ok, true, JSON.stringify(sent));
    await call("POST", "/sandbox/clock", { days: 8 });
    try {
      const later = { localToday: "2026-12-02", utcToday: "2026-12-02" };
      const read = await client.attestation("6f2a9c0e-1b7d-4e5a-9c8f-3d7e9a1b5c07", sent.attestation.attestationId, later);
      assert.equal(read.attestation.status, "Expired");
      const status = await client.customerAgreementStatus("6f2a9c0e-1b7d-4e5a-9c8f-3d7e9a1b5c07", later);
      assert.equal(status.nextStep, "send-again");
      const again = await client.createAttestation("6f2a9c0e-1b7d-4e5a-9c8f-3d7e9a1b5c07", form, later);
      assert.equal(again.ok, true, JSON.stringify(again));
    } finally {
      await call("POST", "/sandbox/clock", { today: TODAY });
    }
  });

  test("a 401 with error 900421 says, in both languages, to sign in with multi-factor authentication", async () => {
    for (const [locale, words] of [["en-US", /multi-factor authentication/], ["fr-FR", /authentification multifacteur/]]) {
      await fault({ method: "GET", path: `/v1/customers/${CUSTOMERS.FR}/agreements`, status: 401, errorCode: 900421, times: 1 });
      const client = partner(undefined, { locale });
      const error = await client.customerAgreements(CUSTOMERS.FR).catch((e) => e);
      assert.equal(error.code, "mfa-required");
      assert.match(error.message, words);
      assert.equal(error.status, 401);
    }
  });
});

describe("the portfolio", () => {
  test("every customer, page after page; one request for a customer whose confirmation counts, two at most", async () => {
    const scan = partner(undefined).portfolio({ ...OPTIONS, concurrency: 4 });
    const last = await scan.finished();
    const rows = scan.takeRows();
    assert.equal(last.found, 10);
    assert.equal(last.totalCount, 10);
    assert.equal(rows.length, 10);
    assert.ok(rows.every((r) => r.requests === 1 || r.requests === 2));
    const byName = Object.fromEntries(rows.map((r) => [r.companyName, r]));
    assert.deepEqual([byName["Litware Ltd"].requests, byName["Litware Ltd"].orderable], [1, true]);
    assert.deepEqual([byName["Proseware B.V."].requests, byName["Proseware B.V."].directAcceptance], [2, true]);
    assert.equal(byName["Trey Research"].nextStep, "accept-again");
    assert.deepEqual(scan.takeRows(), [], "each row handed over once");
  });
});
