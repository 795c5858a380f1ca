// A portal's TypeScript code using the client on today's route (checked with tsc --noEmit).
import init, { PartnerCenterClient, confirmationRoute, csvOf, type Attestation, type NextStep } from "../../pkg/csp_agreements.js";

await init();
const client = new PartnerCenterClient({ apiBase: "/partner-center", getToken: () => "portal session" });
const customerId = "2b8c5e6a-7d3f-4a1c-9e4b-9f3a5c7d1e03";

const result = await client.confirm(customerId, { firstName: "Ana", lastName: "Lima", email: "ana@example.com", country: "FR" });
if (result.ok && result.route === "enhanced") {
  const link: string = result.attestation.acceptanceUrl;
  console.log(link);
} else if (result.ok) {
  const date: string = result.agreement.dateAgreed;
  console.log(date, result.note?.code);
} else if (result.stage === "backend") {
  console.log(result.route, result.error.code, result.error.correlationId);
}

const created = await client.createAttestation(customerId, { companyName: "", firstName: "Ana", lastName: "Lima", email: "ana@example.com", country: "FR" });
if (created.ok) {
  const attestation: Attestation = created.attestation;
  const again = await client.attestation(customerId, attestation.attestationId);
  const done = await client.completeAttestation(customerId, attestation.attestationId);
  if (done.ok) console.log(done.attestationId, done.agreement?.dateAgreed);
  else if (done.stage === "not-accepted") console.log(done.attestation.status, done.message);
  console.log(again.ok);
}

const status = await client.customerAgreementStatus(customerId, { utcToday: "2026-11-24" });
const next: NextStep = status.nextStep;
console.log(status.orderable, next, status.partnerCenterCode ?? 0, confirmationRoute({}).route, confirmationRoute().route);
console.log(csvOf([["company", "orderable"], [status.customerId, status.orderable]]));

// Many rows at once: a file's text or bytes, or rows; the payloads narrow by their route.
import { validateCsv, validateRows, CsvValidator, type BulkValidation, type BulkPayload } from "../../pkg/bulk/csp_agreements.js";
const checked: BulkValidation = validateCsv("customerId,firstName\n", { locale: "fr-FR", route: "enhanced", maxIssues: 100 });
for (const issue of checked.issues) console.log(issue.line, issue.field, issue.code, issue.message);
const payload: BulkPayload | undefined = checked.payloads[0];
if (payload && "attestation" in payload) console.log(payload.attestation.email);
else if (payload) console.log(payload.payload.dateAgreed);
const fromRows = validateRows([{ firstName: "Ana" }], { existing: { [customerId]: [] } });
const streaming = new CsvValidator({ payloads: false });
streaming.push(new Uint8Array([0x61]));
console.log(fromRows.valid, streaming.finish().rows);

// Sending the valid rows: progress, pause, resume, cancel, and a journal to resume after a reload.
import { type BackendProblem, type SendOptions, type BulkJournalEntry, type BulkProgress, type BulkRowState, type RowStatus } from "../../pkg/csp_agreements.js";
const saved: BulkJournalEntry[] = [{ line: 2, requestId: "r-2", status: "sent", reference: "a-1" }];
const sending = client.sendBulk(checked.payloads, { concurrency: 8, journal: saved, locale: "fr-FR", onChange: () => undefined });
sending.pause();
sending.setConcurrency(2);
sending.resume();
const progress: BulkProgress = sending.progress();
const blocked: BackendProblem | undefined = progress.blocked;
const rowsNow: BulkRowState[] = sending.rows();
const statusNow: RowStatus | undefined = rowsNow[0]?.status;
console.log(progress.done, progress.remainingMs ?? 0, blocked, statusNow, rowsNow[0]?.acceptanceLink, sending.journal().length);
void sending.finished().then((last: BulkProgress) => last.finished && sending.cancel());

// A confirmation tried again after a failure keeps its MS-RequestId.
const requestId: SendOptions["requestId"] = crypto.randomUUID();
void client.createAttestation(customerId, { firstName: "Ana", lastName: "Lima", email: "a@example.com", country: "ES" }, { requestId, locale: "fr-FR" });

// The ledger of attestations: kept in IndexedDB (or a portal's backend), given to the client;
// "Check all", "Complete all accepted", the portfolio page after page, the evidence.
import { AttestationLedger, httpStore, indexedDbStore, memoryStore, StaleRecord } from "../../pkg/ledger.js";
import { ledgerView, mergeLedgerRecords, withdrawAttestation, acceptanceLink, attestationEvidence, type LedgerRecord, type LedgerView, type SweepProgress, type PortfolioRow, type PortfolioProgress, type InFlight } from "../../pkg/csp_agreements.js";
const ledger = await AttestationLedger.open(indexedDbStore(), { sentBy: "agent-42" });
const shared = new AttestationLedger(httpStore("/portal", { getToken: () => "session" }));
const tracked = new PartnerCenterClient({ apiBase: "", getToken: () => "t", ledger, acceptancePage: "https://portal.example/accept/" });
const records: LedgerRecord[] = ledger.records();
const view: LedgerView = ledgerView(records, { now: "2026-12-06T10:00:00Z" });
for (const item of view.items) console.log(item.next, item.live, item.record.status, item.acceptanceUrl);
console.log(view.counts.waiting, view.counts.recorded);
const sweep = tracked.sweep(records, { action: "complete", concurrency: 4, onChange: () => undefined });
void sweep.finished().then((last: SweepProgress) => console.log(last.completed, sweep.results().map((r) => r.outcome)));
const scan = tracked.portfolio({ concurrency: 6, utcToday: "2026-12-06" });
const rows: PortfolioRow[] = scan.takeRows();
const flight: InFlight | undefined = rows[0]?.inFlight;
void scan.finished().then((last: PortfolioProgress) => console.log(last.found, last.totalCount, last.requests, flight?.next));
const first = records[0];
if (first) {
  const withdrawn: LedgerRecord = withdrawAttestation(first, { by: "agent-42" });
  await ledger.put(mergeLedgerRecords(withdrawn, first));
  console.log(acceptanceLink(first.attestationId), attestationEvidence(first.customerId, records, []).rows.length);
}
const unsubscribe = shared.subscribe(() => undefined);
unsubscribe();
console.log(new StaleRecord(null).current, await memoryStore().load(), csvOf([["a"]], { separator: ";" }));
