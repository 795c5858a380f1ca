// The sending of a file's rows (sendBulk) at scale, in the benchmark page: Partner Center is
// answered in the page itself (fetch replaced by a stand-in that answers at once), so that what
// is measured is the page's own work: the module's sending, its ledger (kept in memory) and the
// journal kept in IndexedDB as the partner's page keeps it (the rows changed, once a frame).
// `journal: "whole"` keeps it the way the page did before, the whole journal written again to
// sessionStorage on every change, for comparison.

/**
 * Answers Partner Center's requests in the page, each in a task of its own as a network answer
 * comes (an answer in the same task would chain every request's work into one microtask run).
 */
function standIn() {
  let created = 0;
  const channel = new MessageChannel();
  const waiting = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  const nextTask = () => new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(0);
  });
  const json = (value, status = 200) => new Response(JSON.stringify(value), { status, headers: { "Content-Type": "application/json" } });
  return async (request) => {
    await nextTask();
    const url = new URL(request.url);
    const path = url.pathname;
    if (request.method === "POST" && path === "/v1/attestations/enhanced") {
      created += 1;
      return json({ attestationId: `att-${created}`, status: "Pending", createdDateTime: "2026-12-06T09:00:00Z", expirationDateTime: "2026-12-13T09:00:00Z" }, 201);
    }
    if (path.endsWith("/directSignedMicrosoftCustomerAgreementStatus")) return json({ isSigned: false });
    if (path.endsWith("/agreements")) return json({ totalCount: 0, items: [] });
    if (path.startsWith("/v1/customers/")) return json({ id: path.split("/")[3], companyProfile: { companyName: "Bench Customer" } });
    return json({ code: 404, description: "not found" }, 404);
  };
}

/** `rows` valid rows for the enhanced route, each its own customer. */
function file(rows) {
  const lines = ["customerId,firstName,lastName,email,country,language"];
  for (let n = 1; n <= rows; n++) {
    lines.push(`c0000000-0000-4000-8000-${String(n).padStart(12, "0")},Ana,Lima,ana${n}@example.com,FR,fr-FR`);
  }
  return lines.join("\n");
}

function journalStore() {
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(`bench-journal-${Math.random()}`, 1);
    open.onupgradeneeded = () => open.result.createObjectStore("rows", { keyPath: "line" });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
}

/**
 * Sends `rows` rows; resolves to the time, the longest task of the page and how many went over
 * 50 ms, and the journal's writes.
 */
export async function runSend(wasm, files, ledgerModule, { rows, journal = "rows", concurrency = 16 }) {
  globalThis.fetch = standIn();
  const checked = files.validateCsv(file(rows), { localToday: "2026-12-06", utcToday: "2026-12-06", route: "enhanced" });
  if (checked.valid !== rows) throw new Error(`${checked.valid} valid rows of ${rows}`);
  const ledger = await ledgerModule.AttestationLedger.open(ledgerModule.memoryStore(), { sentBy: "bench" });
  const client = new wasm.PartnerCenterClient({ apiBase: "", getToken: () => "t", ledger, acceptancePage: `${location.origin}/accept/` });
  const db = await journalStore();
  let start = performance.now();
  const tasks = [];
  const observer = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) tasks.push({ ms: Math.round(e.duration), at: Math.round(e.startTime - start) });
  });
  observer.observe({ type: "longtask" });
  let writes = 0;
  let written = 0;
  const pending = new Map();
  let queued = false;
  let sending;
  const write = (entries) => {
    writes += 1;
    written += entries.length;
    const tx = db.transaction("rows", "readwrite");
    for (const entry of entries) tx.objectStore("rows").put(entry);
  };
  start = performance.now();
  sending = client.sendBulk(checked.payloads, {
    localToday: "2026-12-06",
    utcToday: "2026-12-06",
    concurrency,
    onChange: () => {
      if (!sending) return;
      if (journal === "whole") {
        // As the page did before: the whole journal, on every change, in sessionStorage.
        const entries = sending.journal();
        writes += 1;
        written += entries.length;
        sessionStorage.setItem("bench-journal", JSON.stringify({ hash: "bench", route: "enhanced", entries }));
        return;
      }
      // As the page does: once a frame, the rows changed since the last frame, in one crossing.
      if (queued) return;
      queued = true;
      requestAnimationFrame(() => {
        queued = false;
        sending.progress();
        for (const entry of sending.journalChanges()) pending.set(entry.line, entry);
        write([...pending.values()]);
        pending.clear();
      });
    },
  });
  const last = await sending.finished();
  for (const entry of sending.journalChanges()) pending.set(entry.line, entry);
  if (pending.size) write([...pending.values()]);
  const ms = performance.now() - start;
  await new Promise((resolve) => setTimeout(resolve, 100));
  observer.disconnect();
  return {
    rows,
    ms,
    sent: last.sent,
    records: ledger.records().length,
    heapMb: Math.round((performance.memory?.usedJSHeapSize ?? 0) / 1048576),
    writes,
    written,
    longTasks: tasks.filter((t) => t.ms > 50).length,
    longestTaskMs: Math.max(0, ...tasks.map((t) => t.ms)),
    tasks: tasks.filter((t) => t.ms > 50),
  };
}
