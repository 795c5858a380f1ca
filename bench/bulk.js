// The bulk benchmark's cases, run inside the page: a generated CSV file of confirmations checked
// by the module (validateCsv, in one call) and by a portal's own JavaScript (a CSV parser and
// the same rules in zod 4 + validator.js, row by row).
import { portalSchema } from "/bench/cases.js";

export const HEADER = "customerId,agreementType,dateAgreed,firstName,lastName,email,phoneNumber,country,language";

/**
 * `count` rows, one in ten with a problem (an email, a date, a country, a name), deterministic.
 * `quoted`: one name in five quoted, with a comma and doubled quotes inside (`"Zoë, ""Jo"""`);
 * otherwise no quote at all (names still non-ASCII: `Zoë12`).
 */
export function generateCsv(count, { quoted = true } = {}) {
  return [HEADER, generateRows(0, count, { quoted })].join("\r\n");
}

/** Rows `from` to `from + count - 1` of the generated file (no header), each ending in CRLF. */
export function generateRows(from, count, { quoted = true } = {}) {
  const lines = [];
  const hex = (n, width) => n.toString(16).padStart(width, "0");
  for (let i = from; i < from + count; i++) {
    const id = `${hex(i, 8)}-c0dc-46e6-9d0c-${hex(i * 7919, 12)}`;
    const day = String(1 + (i % 14)).padStart(2, "0");
    let date = `2019-11-${day}`, email = `person${i}@example.com`, country = "FR", last = `Carr ${i}`;
    switch (i % 40) {
      case 3: email = `person${i}@`; break;
      case 13: date = "2019-11-31"; break;
      case 23: country = "XX"; break;
      case 33: last = ""; break;
    }
    const first = i % 5 !== 0 ? `Tania${i}` : quoted ? `"Zoë, ""Jo"""` : `Zoë${i}`;
    lines.push(`${id},MicrosoftCustomerAgreement,${date},${first},${last},${email},+33 1 23 45 67 ${String(i % 100).padStart(2, "0")},${country},fr-FR`);
  }
  return lines.join("\r\n") + "\r\n";
}

/**
 * A file of `rows` generated rows checked by `pkg/csv-worker.js` (CsvValidator in a Web
 * Worker, counting only): the time, the page's long tasks meanwhile (over 50 ms) and its
 * longest pause (a 10 ms heartbeat), the module's memory at the end.
 */
export async function runWorker(pkg, { rows, options }) {
  // The file is made in slices, the page breathing between them.
  const parts = [`${HEADER}\r\n`];
  for (let from = 0; from < rows; from += 20000) {
    parts.push(generateRows(from, Math.min(20000, rows - from)));
    await new Promise((resolve) => setTimeout(resolve));
  }
  const file = new Blob(parts, { type: "text/csv" });
  parts.length = 0;
  // Making the Blob is the benchmark's own long task: the watch starts in the next task.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const longTasks = [];
  const observer = new PerformanceObserver((list) => longTasks.push(...list.getEntries().map((e) => e.duration)));
  observer.observe({ type: "longtask" });
  let last = performance.now();
  let longestPause = 0;
  const heartbeat = setInterval(() => {
    const now = performance.now();
    longestPause = Math.max(longestPause, now - last);
    last = now;
  }, 10);
  const worker = new Worker(`/${pkg}/csv-worker.js`, { type: "module" });
  const start = performance.now();
  let progressMessages = 0;
  const done = await new Promise((resolve, reject) => {
    worker.onerror = (event) => reject(new Error(event.message));
    worker.onmessage = ({ data }) => {
      if (data.type === "progress") progressMessages += 1;
      else if (data.type === "done") resolve(data);
      else reject(new Error(data.message));
    };
    worker.postMessage({ file, options: { ...options, payloads: false, maxIssues: 1000, maxBytes: 0 } });
  });
  const ms = performance.now() - start;
  clearInterval(heartbeat);
  observer.disconnect();
  worker.terminate();
  return {
    rows: done.result.rows, valid: done.result.valid, invalid: done.result.invalid, bytes: file.size, ms,
    longTasks: longTasks.length, longestTaskMs: Math.max(0, ...longTasks), longestPauseMs: longestPause,
    memoryBytes: done.memoryBytes, progressMessages,
  };
}

/** A CSV parser as a portal would write one (quotes, doubled quotes, newlines in quotes). */
export function parseCsv(text) {
  const rows = [];
  let row = [], field = "", quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') {
        if (text[i + 1] === '"') { field += '"'; i++; } else quoted = false;
      } else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") { row.push(field); field = ""; }
    else if (c === "\n" || c === "\r") {
      if (c === "\r" && text[i + 1] === "\n") i++;
      row.push(field); field = "";
      if (row.some((f) => f !== "")) rows.push(row);
      row = [];
    } else field += c;
  }
  if (field !== "" || row.length) { row.push(field); rows.push(row); }
  return rows;
}

/** PapaParse, as a portal calls it (the whole text, rows as arrays, empty lines skipped). */
export function papaParse(text) {
  return globalThis.Papa.parse(text, { skipEmptyLines: true }).data;
}

/**
 * The same work in zod + validator.js: parse (with `parse`: the hand loop above, or PapaParse),
 * map the header, check every row, keep the valid.
 */
export function portalValidateCsv(text, schema, parse = parseCsv) {
  const [header, ...rows] = parse(text);
  const issues = [], payloads = [];
  rows.forEach((cells, index) => {
    const form = Object.fromEntries(header.map((name, i) => [name, cells[i] ?? ""]));
    const result = schema.safeParse(form);
    if (result.success) payloads.push({ line: index + 2, customerId: form.customerId.toLowerCase(), payload: result.data });
    else for (const issue of result.error.issues) issues.push({ line: index + 2, field: issue.path[0], message: issue.message });
  });
  return { rows: rows.length, valid: payloads.length, invalid: rows.length - payloads.length, issues, payloads };
}

/** A full collection of the page's heap (Chromium started with `--expose-gc`), before a timed check. */
function collect() {
  if (typeof globalThis.gc !== "function") throw new Error("the bulk benchmark needs Chromium's --expose-gc");
  globalThis.gc();
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * Times each size: the module, then zod + validator.js, median of `runs` (of one run from a
 * million rows: the two take a minute then). Files over 50 MB are checked with `maxBytes: 0`.
 * `countries` (the main module's) make the portal's schema.
 */
export async function runBulk(wasm, { sizes, runs, countries }) {
  const schema = portalSchema(countries);
  const results = [];
  const counts = (result) => ({ rows: result.rows, valid: result.valid, invalid: result.invalid, payloads: result.payloads.length });
  for (const size of sizes) {
    for (const quoted of [false, true]) {
      let text = generateCsv(size, { quoted });
      const bytes = new TextEncoder().encode(text).length;
      const options = { localToday: "2019-11-20", utcToday: "2019-11-20", route: "legacy", maxBytes: 0 };
      const times = { module: [], read: [], hand: [], papa: [] };
      const found = {};
      for (let r = 0; r < (size >= 1000000 ? 1 : runs); r++) {
        // One after the other, each result let go before the next starts, and collected: each
        // check's time holds the collection of its own garbage, not of the one before it (the
        // module ran after PapaParse's 100 000 rows of arrays and objects).
        for (const [name, check] of [
          ["module", () => wasm.validateCsv(text, options)],
          // The same check, then every payload read (their objects are made when first read).
          ["read", () => {
            const result = wasm.validateCsv(text, options);
            result.payloads.at(-1).payload.primaryContact.email;
            return result;
          }],
          ["hand", () => portalValidateCsv(text, schema, parseCsv)],
          ["papa", () => portalValidateCsv(text, schema, papaParse)],
        ]) {
          collect();
          const start = performance.now();
          const result = check();
          times[name].push(performance.now() - start);
          found[name] = counts(result);
        }
      }
      text = undefined;
      results.push({
        size, quoted, bytes,
        moduleMs: median(times.module), readMs: median(times.read), handMs: median(times.hand), papaMs: median(times.papa),
        module: found.module, read: found.read, hand: found.hand, papa: found.papa,
      });
    }
  }
  return results;
}

/**
 * `count` valid rows whose customer ids all collide under the unkeyed multiplicative hash the
 * module's tables had (any first half; the second chosen so that the state after it is the
 * same), beside `count` ordinary valid rows: both checked by the module, median of `runs`. With
 * its tables keyed per check, the crafted file costs what the ordinary one does.
 */
export function runCrafted(wasm, { count, runs }) {
  const MASK = (1n << 64n) - 1n;
  const C = 0x517cc1b727220a95n;
  const rotl5 = (x) => ((x << 5n) | (x >> 59n)) & MASK;
  const hex = (x) => x.toString(16).padStart(16, "0");
  const guid = (high, low) => {
    const h = hex(high), l = hex(low);
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${l.slice(0, 4)}-${l.slice(4)}`;
  };
  const row = (id, i) => `${id},MicrosoftCustomerAgreement,2019-11-14,Tania${i},Carr,person${i}@example.com,,FR,fr-FR`;
  const crafted = [HEADER], ordinary = [HEADER];
  for (let i = 1; i <= count; i++) {
    const first = (BigInt(i) * 0x9e3779b97f4a7c15n) & MASK;
    const second = rotl5((first * C) & MASK) ^ 0x12345678n;
    crafted.push(row(guid(second, first), i));
    ordinary.push(row(guid(BigInt(i) * 7919n, BigInt(i)), i));
  }
  const options = { localToday: "2019-11-20", utcToday: "2019-11-20", route: "legacy", maxBytes: 0 };
  const time = (text) => {
    const times = [];
    let result;
    for (let r = 0; r < runs; r++) {
      collect();
      const start = performance.now();
      result = wasm.validateCsv(text, options);
      times.push(performance.now() - start);
    }
    return { ms: median(times), valid: result.valid };
  };
  // The ordinary file first, so that the module is warm for both.
  const plain = time(ordinary.join("\r\n"));
  return { count, crafted: time(crafted.join("\r\n")), ordinary: plain };
}

/** A check in `pkg/csv-worker.js` cancelled by the page as it starts: the worker says so. */
export async function runWorkerCancel(pkg) {
  const file = new Blob([`${HEADER}\r\n`, generateRows(0, 20000)], { type: "text/csv" });
  const worker = new Worker(`/${pkg}/csv-worker.js`, { type: "module" });
  try {
    return await new Promise((resolve, reject) => {
      worker.onerror = (event) => reject(new Error(event.message));
      worker.onmessage = ({ data }) => {
        if (data.type !== "progress") resolve(data.type);
      };
      worker.postMessage({ file, options: { payloads: false, localToday: "2019-11-20", utcToday: "2019-11-20", route: "legacy" } });
      worker.postMessage({ type: "cancel" });
    });
  } finally {
    worker.terminate();
  }
}
