// The "Many customers" tab: a CSV file (or pasted rows) checked in one call (validateCsv), its
// valid rows sent by the client's sendBulk (at most N requests at once, pause, resume, cancel),
// a journal in IndexedDB so that a reload (or a closed tab) resumes without sending any row
// twice, and a report to download. The attestations sent go to the ledger too (the client
// writes them), where the Acceptances tab follows them.
//
// The journal holds no personal data: the file's SHA-256, the route, and for each row its line,
// request id, status, the attestation id, the error code and a note. It is written a row at a
// time (the rows changed since the last write, once a frame): the same cost for a file of a
// hundred rows or of a hundred thousand. The file itself is not kept: after a reload the same
// file is chosen again, recognized by its hash. Pasted rows are kept with the page's draft (this
// tab only) when they are under 200 000 characters.
import { csvOf } from "/pkg/csp_agreements.js";
import * as ui from "/pkg/ui.js";

/**
 * The journal of sendings, in IndexedDB: a sending per file (`sendings`, by hash) and its rows
 * (`rows`, by hash and line). Without IndexedDB nothing is kept and nothing breaks.
 */
function journalStore() {
  let opened;
  const db = () => (opened ??= new Promise((resolve, reject) => {
    const open = indexedDB.open("csp-agreements-bulk", 1);
    open.onupgradeneeded = () => {
      open.result.createObjectStore("sendings", { keyPath: "hash" });
      open.result.createObjectStore("rows", { keyPath: ["hash", "line"] }).createIndex("hash", "hash");
    };
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  }));
  const done = (tx) => new Promise((resolve, reject) => {
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
  const result = (request) => new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  return {
    /** The latest sending, with its rows: `{ hash, route, entries }`, or null. */
    async latest() {
      const d = await db();
      const sendings = await result(d.transaction("sendings").objectStore("sendings").getAll());
      const last = sendings.sort((a, b) => b.updatedAt - a.updatedAt)[0];
      if (!last) return null;
      const rows = await result(d.transaction("rows").objectStore("rows").index("hash").getAll(last.hash));
      return { hash: last.hash, route: last.route, seed: last.seed, entries: new Map(rows.map(({ hash, ...entry }) => [entry.line, entry])) };
    },
    /**
     * Starts (or resumes) the sending of a file: its seed, from which each row's request id is
     * derived, is kept before any row is sent.
     */
    async start(hash, route, seed) {
      const tx = (await db()).transaction("sendings", "readwrite");
      tx.objectStore("sendings").put({ hash, route, seed, updatedAt: Date.now() });
      await done(tx);
    },
    /** Writes the entries changed (and the sending), in one transaction. */
    async write(hash, route, seed, entries) {
      const tx = (await db()).transaction(["sendings", "rows"], "readwrite");
      tx.objectStore("sendings").put({ hash, route, seed, updatedAt: Date.now() });
      const rows = tx.objectStore("rows");
      for (const entry of entries) rows.put({ hash, ...entry });
      await done(tx);
    },
    /** Forgets a sending and its rows. */
    async forget(hash) {
      const tx = (await db()).transaction(["sendings", "rows"], "readwrite");
      tx.objectStore("sendings").delete(hash);
      tx.objectStore("rows").delete(IDBKeyRange.bound([hash, -Infinity], [hash, Infinity]));
      await done(tx);
    },
  };
}

/** The largest file whose rows are brought back to be sent (validateCsv's default limit). */
const MAX_BYTES = 50_000_000;
const MAX_PASTE_KEPT = 200_000;
const ISSUES_SHOWN = 200;
/** The problems a check keeps (the lines of the others are still named). */
const MAX_ISSUES = 10_000;

/**
 * Sets up the tab. `page` gives what the page shares: `$`, `t` (texts in the page's language),
 * `fieldLabel(field)` (a column's label in it), `client()` (the current Partner Center client),
 * `checkOptions()`, `hasToken()`, `status()`, and `draft` (kept across reloads by
 * `saveDraft()`).
 */
export function setUpBulk(page) {
  const { $, t } = page;
  const form = $("#bulk-form");
  const fileInput = $("#bulk-file");
  const textInput = $("#bulk-text");
  const sendButton = $("#bulk-send");
  const concurrencyInput = $("#bulk-concurrency");
  const store = journalStore();
  const bulk = {
    checked: null, // { validation, hash }
    sending: null, // the BulkSending under way or last finished
    journal: null, // the last sending's journal: { hash, route, seed, entries: Map by line }
    starting: false, // the sending's seed being kept, before it starts
    pending: new Map(), // journal entries changed and not written yet, by line
    writing: null,
    renderQueued: false,
  };
  store.latest().then((journal) => {
    bulk.journal = journal;
    renderJournal();
  }, () => {});

  page.draft.bulk ??= {};
  textInput.value = page.draft.bulk.text ?? "";
  textInput.addEventListener("input", () => {
    page.draft.bulk.text = textInput.value.length <= MAX_PASTE_KEPT ? textInput.value : "";
    page.saveDraft();
  });
  // A file chosen replaces pasted rows, and the other way round: one source at a time.
  fileInput.addEventListener("change", () => {
    if (fileInput.files.length) textInput.value = "";
  });
  textInput.addEventListener("change", () => {
    if (textInput.value) fileInput.value = "";
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (bulk.sending && !bulk.sending.progress().finished) return;
    const source = fileInput.files[0] ?? new Blob([textInput.value], { type: "text/csv" });
    if (!source.size) {
      page.status(t("bulk.nothing"));
      return;
    }
    const button = $("#bulk-check");
    button.disabled = true;
    try {
      const { validation, hash } = await check(source);
      bulk.checked = { source, validation, hash };
      bulk.sending = null;
      page.status("");
      renderChecked(true);
    } catch (error) {
      page.status(t("unexpected", { message: error.message }));
    } finally {
      button.disabled = false;
    }
  });

  /**
   * Checks a file in the package's Web Worker (csv-worker.js: CsvValidator fed from the file's
   * stream), so that the page never waits on a large file; the worker also gives the file's
   * SHA-256 (the journal's key), a file that can be sent only. A file over the limit is counted
   * only: it cannot be sent, and its rows are not brought back.
   */
  function check(source) {
    const sendable = source.size <= MAX_BYTES;
    const options = { ...page.checkOptions(), payloads: sendable, maxIssues: MAX_ISSUES };
    return new Promise((resolve, reject) => {
      const worker = new Worker("/pkg/csv-worker.js", { type: "module" });
      const mb = (bytes) => (bytes / 1e6).toFixed(1);
      page.status(t("bulk.checking"));
      worker.onmessage = ({ data }) => {
        if (data.type === "progress") {
          page.status(t("bulk.reading", { read: mb(data.bytes), size: mb(source.size), rows: data.rows }));
          return;
        }
        worker.terminate();
        if (data.type === "done") resolve({ validation: data.result, hash: data.sha256 ?? "" });
        else reject(new Error(data.message));
      };
      worker.onerror = (event) => {
        worker.terminate();
        reject(new Error(event.message ?? "csv-worker.js"));
      };
      worker.postMessage({ file: source, options, sha256: sendable });
    });
  }

  sendButton.addEventListener("click", async () => {
    const checked = bulk.checked;
    if (!checked || bulk.starting || (bulk.sending && !bulk.sending.progress().finished)) return;
    if (!page.hasToken()) {
      page.status(t("token.missing"));
      return;
    }
    const resumed = resumable();
    // The seed of the rows' request ids is kept before the first row leaves: a row sent just
    // before a reload keeps its request id even if its journal entry was not written yet.
    const seed = (resumed && bulk.journal.seed) || crypto.randomUUID();
    bulk.starting = true;
    try {
      await store.start(checked.hash, checked.validation.route, seed).catch(() => {
        // No IndexedDB: nothing is kept, and nothing breaks.
      });
    } finally {
      bulk.starting = false;
    }
    bulk.sending = page.client().sendBulk(checked.validation.payloads, {
      ...page.checkOptions(),
      concurrency: concurrency(),
      journal: resumed ? [...bulk.journal.entries.values()] : undefined,
      requestIdSeed: seed,
      onChange: changed,
    });
    // The whole journal once, then only what changes.
    const entries = bulk.sending.journal();
    bulk.journal = { hash: checked.hash, route: checked.validation.route, seed, entries: new Map(entries.map((e) => [e.line, e])) };
    bulk.sending.journalChanges();
    for (const entry of entries) bulk.pending.set(entry.line, entry);
    writeJournal();
    bulk.sending.finished().then(() => {
      takeChanges();
      writeJournal();
      changed();
    });
    render();
  });

  $("#bulk-pause").addEventListener("click", () => bulk.sending?.pause());
  $("#bulk-resume").addEventListener("click", () => {
    if (!page.hasToken()) {
      page.status(t("token.missing"));
      return;
    }
    bulk.sending?.resume();
  });
  $("#bulk-cancel").addEventListener("click", () => bulk.sending?.cancel());
  concurrencyInput.addEventListener("change", () => bulk.sending?.setConcurrency(concurrency()));
  $("#bulk-report").addEventListener("click", downloadReport);
  $("#bulk-journal-forget").addEventListener("click", async () => {
    if (bulk.journal) await store.forget(bulk.journal.hash).catch(() => {});
    bulk.journal = null;
    renderChecked(false);
    renderJournal();
  });

  function concurrency() {
    const n = Math.round(Number(concurrencyInput.value));
    return Number.isFinite(n) ? Math.min(16, Math.max(1, n)) : 4;
  }

  /** The saved journal is this file's: sending resumes it. */
  function resumable() {
    return Boolean(bulk.journal && bulk.checked && bulk.journal.hash === bulk.checked.hash && bulk.journal.route === bulk.checked.validation.route);
  }

  /**
   * Every change of a row: at the next frame, the rows changed since the last one are taken
   * from the sending (one crossing, however many), written to the journal, and the page redrawn.
   */
  function changed() {
    if (bulk.renderQueued) return;
    bulk.renderQueued = true;
    requestAnimationFrame(() => {
      bulk.renderQueued = false;
      takeChanges();
      writeJournal();
      render();
    });
  }

  /** The journal entries changed since the last call, kept to be written. */
  function takeChanges() {
    if (!bulk.sending || !bulk.journal) return;
    for (const entry of bulk.sending.journalChanges()) bulk.pending.set(entry.line, entry);
  }

  /** Writes the journal entries changed since the last write (one transaction at a time). */
  function writeJournal() {
    if (bulk.writing || !bulk.pending.size || !bulk.journal) return;
    const entries = [...bulk.pending.values()];
    bulk.pending.clear();
    for (const entry of entries) bulk.journal.entries.set(entry.line, entry);
    bulk.writing = store.write(bulk.journal.hash, bulk.journal.route, bulk.journal.seed, entries)
      .catch(() => {
        // No IndexedDB (private mode, quota): the sending goes on; a reload could not resume it.
      })
      .finally(() => {
        bulk.writing = null;
        writeJournal();
      });
  }

  /** The summary of the check, its problems, and the send button. */
  function renderChecked(focus) {
    const section = $("#bulk-checked");
    const checked = bulk.checked;
    section.hidden = !checked;
    renderJournal();
    if (!checked) return;
    const { validation } = checked;
    $("#bulk-summary").textContent = page.plural("bulk.summary", validation.rows, { valid: validation.valid, invalid: validation.invalid });
    const issues = $("#bulk-issues");
    issues.replaceChildren();
    if (validation.issues.length) {
      const table = document.createElement("table");
      const caption = document.createElement("caption");
      const total = validation.issues.length + validation.issuesLeftOff;
      caption.textContent = total > ISSUES_SHOWN ? t("bulk.issuesSome", { shown: ISSUES_SHOWN, total }) : t("bulk.issues");
      table.append(caption, headRow(["line", "field", "problem"]));
      const body = document.createElement("tbody");
      for (const issue of validation.issues.slice(0, ISSUES_SHOWN)) {
        body.append(row([issue.line || t("bulk.wholeFile"), issue.field === "form" ? "" : page.fieldLabel(issue.field), issue.message]));
      }
      table.append(body);
      issues.append(table);
    }
    render();
    if (focus) $("#bulk-summary").focus();
  }

  /** The sending's controls, progress, counts and failed rows. */
  function render() {
    const checked = bulk.checked;
    if (!checked) return;
    const sending = bulk.sending;
    const progress = sending?.progress();
    const running = Boolean(progress && !progress.finished);
    const resumed = resumable();
    // Rows failed are tried again (a row whose answer never came is read first).
    // A file over the size limit brought no rows back: nothing to send.
    const payloads = checked.validation.payloads.length;
    const left = resumed && !running ? [...bulk.journal.entries.values()].filter((e) => !["sent", "skipped"].includes(e.status)).length : payloads;
    sendButton.hidden = running;
    sendButton.disabled = left === 0 || payloads === 0;
    sendButton.textContent = resumed
      ? t("bulk.resumeSending", { count: left })
      : page.plural(checked.validation.route === "enhanced" ? "bulk.sendEnhanced" : "bulk.send", payloads);
    $("#bulk-pause").hidden = !running || progress.paused;
    $("#bulk-resume").hidden = !running || !progress.paused;
    $("#bulk-cancel").hidden = !running;
    concurrencyInput.disabled = Boolean(progress?.finished);
    const area = $("#bulk-sending");
    area.hidden = !progress;
    if (!progress) return;
    $("#bulk-progress").max = Math.max(1, progress.total);
    $("#bulk-progress").value = progress.done;
    $("#bulk-progress").setAttribute("aria-valuetext", t("bulk.percent", { percent: percent(progress) }));
    $("#bulk-counts").textContent = countsText(progress);
    renderFailed(progress.finished || progress.paused);
  }

  function percent(progress) {
    return progress.total ? Math.floor((progress.done / progress.total) * 100) : 100;
  }

  function countsText(progress) {
    const parts = [t("bulk.counts", { percent: percent(progress), done: progress.done, total: progress.total, sent: progress.sent, skipped: progress.skipped, failed: progress.failed })];
    if (progress.blocked === "unauthorized") parts.push(t("bulk.blocked"));
    else if (progress.cancelled) parts.push(progress.finished ? t("bulk.cancelled") : t("bulk.cancelling"));
    else if (progress.paused) parts.push(progress.inFlight ? t("bulk.pausing") : t("bulk.paused"));
    else if (progress.finished) parts.push(t("bulk.finished"));
    else if (progress.remainingMs !== undefined) parts.push(t("bulk.remaining", { time: duration(progress.remainingMs) }));
    return parts.join(" ");
  }

  function duration(ms) {
    const seconds = Math.max(1, Math.round(ms / 1000));
    if (seconds < 90) return t("bulk.seconds", { count: seconds });
    return t("bulk.minutes", { count: Math.round(seconds / 60) });
  }

  /** The rows that failed (shown when the sending stops or pauses). */
  function renderFailed(show) {
    const output = $("#bulk-rows");
    output.replaceChildren();
    if (!show || !bulk.sending) return;
    const failed = bulk.sending.rows().filter((r) => r.status === "failed");
    if (!failed.length) return;
    const table = document.createElement("table");
    const caption = document.createElement("caption");
    caption.textContent = t("bulk.failedRows", { count: failed.length });
    table.append(caption, headRow(["line", "customer", "problem", "requestId"]));
    const body = document.createElement("tbody");
    for (const r of failed) body.append(row([r.line, r.customerId, r.message ?? r.error ?? "", r.requestId]));
    table.append(body);
    output.append(table);
  }

  /** The notice about a sending interrupted by a reload (or finished before it). */
  function renderJournal() {
    const notice = $("#bulk-journal");
    const journal = bulk.journal;
    notice.hidden = !journal || bulk.sending !== null;
    if (notice.hidden) return;
    const entries = [...journal.entries.values()];
    const count = (status) => entries.filter((e) => e.status === status).length;
    const done = count("sent") + count("skipped") + count("failed");
    const key = resumable() ? "bulk.journalSameFile" : "bulk.journal";
    $("#bulk-journal-text").textContent = t(key, { done, total: entries.length, sent: count("sent"), skipped: count("skipped"), failed: count("failed"), left: entries.length - done });
  }

  /** Every row of the file: the invalid ones with their problems, the others as sent. */
  function downloadReport() {
    const checked = bulk.checked;
    if (!checked || !bulk.sending) return;
    const enhanced = checked.validation.route === "enhanced";
    const header = ["line", "customer", "status", "requestId", "error"].map((key) => t(`bulk.column.${key}`));
    if (enhanced) header.push(t("bulk.column.attestation"), t("bulk.column.link"));
    const lines = new Map();
    for (const issue of checked.validation.issues) {
      const messages = lines.get(issue.line) ?? [];
      messages.push(issue.message);
      lines.set(issue.line, messages);
    }
    const rows = [];
    // The lines whose problems were past the ones kept: named too, so that every line is there.
    const more = t("bulk.moreProblems", { max: MAX_ISSUES.toLocaleString(page.locale()) });
    for (const line of checked.validation.linesLeftOff ?? []) lines.set(line, [...(lines.get(line) ?? []), more]);
    for (const [line, messages] of lines) rows.push({ line, cells: [line, "", t("bulk.status.invalid"), "", messages.join(" "), "", ""] });
    for (const r of bulk.sending.rows()) {
      const cells = [r.line, r.customerId, statusText(r, enhanced), r.requestId, r.message ?? ""];
      if (enhanced) cells.push(r.reference ?? "", r.acceptanceLink ?? "");
      rows.push({ line: r.line, cells });
    }
    rows.sort((a, b) => a.line - b.line);
    ui.download(t("bulk.reportFile"), ui.spreadsheet([header, ...rows.map((r) => r.cells.map(String))], page.locale(), csvOf), "text/csv;charset=utf-8");
  }

  function statusText(row, enhanced) {
    const { status, note } = row;
    if (status === "skipped" && note === "waiting") return t("bulk.status.waiting", { date: ui.longDate(row.since, page.locale()) });
    if (status === "sent" && note === "already-recorded") return t("bulk.status.alreadyRecorded");
    if (status === "sent" && enhanced) return t("bulk.status.sentForAcceptance");
    if (["sent", "skipped", "failed"].includes(status)) return t(`bulk.status.${status}`);
    if (status === "uncertain") return t("bulk.status.uncertain");
    return t("bulk.status.notSent");
  }

  function headRow(keys) {
    const thead = document.createElement("thead");
    const tr = document.createElement("tr");
    for (const key of keys) {
      const th = document.createElement("th");
      th.scope = "col";
      th.textContent = t(`bulk.column.${key}`);
      tr.append(th);
    }
    thead.append(tr);
    return thead;
  }

  function row(values) {
    const tr = document.createElement("tr");
    for (const value of values) {
      const td = document.createElement("td");
      td.textContent = String(value);
      tr.append(td);
    }
    return tr;
  }

  renderJournal();
  return {
    /** Redraws in the page's language (the file's problems checked again for their texts). */
    async refresh() {
      const checked = bulk.checked;
      if (checked) {
        const { validation } = await check(checked.source).catch(() => ({ validation: checked.validation }));
        if (bulk.checked !== checked) return;
        checked.validation = validation;
        page.status("");
      }
      renderChecked(false);
    },
  };
}
