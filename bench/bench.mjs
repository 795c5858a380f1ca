// scripts/bench: the module's calls beside the same checks in zod 4 + validator.js, in headless
// Chromium (Debian's, through playwright-core), in one page run. Prints the median and p99 time
// per call, the ratios, the module's instantiation time and the package sizes.
//   node bench/bench.mjs [--smoke] [--pkg pkg-rules]
//   node bench/bench.mjs --bulk [--smoke]   validateCsv on generated files (10k, 100k, 1M rows,
//                                           plain and quoted) beside PapaParse + zod 4 +
//                                           validator.js and a hand parser + the same (pkg/bulk/),
//                                           then 1 000 000 rows in pkg/csv-worker.js (smoke:
//                                           20 000)
//   node bench/bench.mjs --portfolio [--smoke]   the partner's page against the sandbox seeded
//                                           with 10 000 customers (smoke: 1 000): the Portfolio
//                                           tab reads every customer; the time, the requests
//                                           per customer and the page's longest task
//   node bench/bench.mjs --send [--smoke]   sendBulk of 100 000 rows (smoke: 2 000) against a
//                                           stand-in of Partner Center in the page, the ledger
//                                           and the journal kept as the page keeps them: the
//                                           page's longest task; and 2 000 and 10 000 rows with
//                                           the journal written whole on every change, as before
// --smoke: a few batches only, to show that the benchmark runs and that both implementations
// agree on a valid and an invalid form (the test command runs it; its times mean nothing).
import { readFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = fileURLToPath(new URL("../", import.meta.url));
const args = process.argv.slice(2);
const smoke = args.includes("--smoke");
const bulk = args.includes("--bulk");
const portfolio = args.includes("--portfolio");
const send = args.includes("--send");
const pkg = args.includes("--pkg") ? args[args.indexOf("--pkg") + 1] : bulk ? "pkg" : "pkg-rules";
const settings = smoke ? { batches: 5, perBatch: 20 } : { batches: 200, perBatch: 100 };
// localhost: a secure context (needed for cross-origin isolation); the requests never leave the
// browser, page.route answers them.
const ORIGIN = "http://localhost:9";
const TYPES = { ".js": "text/javascript", ".mjs": "text/javascript", ".wasm": "application/wasm", ".html": "text/html" };

/** Files of the repository, served to the page without a server (validator's ES modules import without extensions). */
function file(path) {
  for (const candidate of [path, `${path}.js`]) {
    const full = `${root}${candidate}`;
    if (existsSync(full) && !full.endsWith("/")) {
      const ext = candidate.slice(candidate.lastIndexOf("."));
      return { body: readFileSync(full), contentType: TYPES[ext] ?? "application/octet-stream" };
    }
  }
  return null;
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  // `gc()` for the bulk run: each file's check starts on a heap collected of the one before.
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run", ...(bulk ? ["--js-flags=--expose-gc"] : [])],
});
try {
  if (portfolio) {
    await runPortfolio(browser);
    process.exit(0);
  }
  const page = await browser.newPage();
  await page.route(`${ORIGIN}/**`, (route) => {
    const path = new URL(route.request().url()).pathname.slice(1);
    const found = path === "" ? { body: "<!doctype html><title>bench</title>", contentType: "text/html" } : file(path);
    // Cross-origin isolated, so that performance.now() is precise to 5 µs rather than 100.
    const headers = { "Content-Type": found?.contentType ?? "text/plain", "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp" };
    return route.fulfill({ status: found ? 200 : 404, headers, body: found?.body ?? "" });
  });
  const errors = [];
  page.on("pageerror", (e) => errors.push(e.message));
  await page.goto(`${ORIGIN}/`);
  if (send) {
    const only = args.indexOf("--rows");
    const runs = only >= 0 ? [{ rows: Number(args[only + 1]) }] : smoke ? [{ rows: 2000 }] : [{ rows: 2000, journal: "whole" }, { rows: 10000, journal: "whole" }, { rows: 2000 }, { rows: 10000 }, { rows: 100000 }];
    console.log(`sendBulk (pkg/) against a stand-in of Partner Center in the page, in Chromium ${browser.version()}${smoke ? " (smoke run: the times mean nothing)" : ""}`);
    console.log("rows      journal       s     rows/s   journal writes   entries written   tasks > 50 ms   longest ms   JS heap MB");
    for (const run of runs) {
      if (process.env.BENCH_TRACE) await browser.startTracing(page, { path: process.env.BENCH_TRACE, categories: ["devtools.timeline", "v8", "disabled-by-default-v8.gc", "toplevel", "blink.user_timing"] });
      const r = await page.evaluate(async (run) => {
        const wasm = await import("/pkg/csp_agreements.js");
        const raw = await wasm.default();
        // The file checks: the package's second module.
        const files = await import("/pkg/bulk/csp_agreements.js");
        await files.default();
        const ledger = await import("/pkg/ledger.js");
        const { runSend } = await import("/bench/send.js");
        const result = await runSend(wasm, files, ledger, run);
        // The JavaScript values the module holds at the end (a leak would grow with the rows).
        const table = raw.__wbindgen_externrefs;
        let live = 0;
        for (let i = 0; i < table.length; i++) if (table.get(i) !== undefined && table.get(i) !== null) live += 1;
        return { ...result, externrefs: live, tableLength: table.length };
      }, run);
      if (process.env.BENCH_TRACE) await browser.stopTracing();
      if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
      const journal = run.journal === "whole" ? "whole/change" : "rows/frame";
      console.log(`${String(r.rows).padEnd(9)} ${journal.padEnd(12)} ${(r.ms / 1000).toFixed(1).padStart(6)} ${Math.round(r.rows / (r.ms / 1000)).toString().padStart(9)} ${String(r.writes).padStart(16)} ${String(r.written).padStart(17)} ${String(r.longTasks).padStart(15)} ${r.longestTaskMs.toFixed(0).padStart(12)} ${String(r.heapMb).padStart(12)}`);
      if (r.sent !== r.rows || r.records !== r.rows) throw new Error(`not every row sent and kept: ${JSON.stringify(r)}`);
      if (process.env.BENCH_DEBUG) console.log(`externrefs live ${r.externrefs} of ${r.tableLength}`);
      if (r.written < r.rows) throw new Error(`the journal missed rows: ${JSON.stringify(r)}`);
      // The tasks over 50 ms, with when they began (ms from the start): BENCH_TRACE=file.json
      // writes a Chromium trace of the run, in which each shows what it was.
      if (r.longTasks > 0) console.log(`          tasks over 50 ms (ms, at ms): ${r.tasks.map((t) => `${t.ms} at ${t.at}`).join(", ")}`);
    }
    process.exit(0);
  }
  if (bulk) {
    const sizes = smoke ? [300] : [10000, 100000, 1000000];
    // PapaParse is a classic script (UMD): it defines the global `Papa`.
    await page.addScriptTag({ url: "/node_modules/papaparse/papaparse.min.js" });
    if (!(await page.evaluate(() => typeof globalThis.Papa?.parse === "function"))) throw new Error("PapaParse did not load");
    const rows = await page.evaluate(async ({ pkg, sizes, runs }) => {
      const wasm = await import(`/${pkg}/bulk/csp_agreements.js`);
      await wasm.default();
      // The countries for the portal's schema: the rules' own exports are the main module's.
      const rules = await import(`/${pkg}/csp_agreements.js`);
      await rules.default();
      const { runBulk } = await import("/bench/bulk.js");
      return runBulk(wasm, { sizes, runs, countries: rules.countries() });
    }, { pkg, sizes, runs: smoke ? 1 : 5 });
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    const papa = JSON.parse(readFileSync(`${root}node_modules/papaparse/package.json`, "utf8")).version;
    console.log(`validateCsv (${pkg}/bulk/) beside a portal's JavaScript: PapaParse ${papa} + zod 4 + validator.js, and a hand-written parser + the same, in Chromium ${browser.version()}${smoke ? " (smoke run: the times mean nothing)" : ", median of 5 runs (1 run of 1 000 000)"}, each started on a collected heap`);
    console.log("plain: no quote in the file; quoted: one name in five quoted, a comma and doubled quotes inside; names non-ASCII in both");
    console.log("module: validateCsv's result (its payloads' objects made when first read); read: the same, then every payload read");
    console.log("rows     file      MB    module ms   rows/s      MB/s   read ms   PapaParse+zod ms  ratio  read's   hand parser+zod ms  ratio");
    for (const r of rows) {
      const mb = r.bytes / 1e6;
      console.log(`${String(r.size).padEnd(8)} ${(r.quoted ? "quoted" : "plain").padEnd(6)} ${mb.toFixed(1).padStart(6)} ${r.moduleMs.toFixed(1).padStart(11)} ${Math.round(r.size / (r.moduleMs / 1000)).toString().padStart(9)} ${(mb / (r.moduleMs / 1000)).toFixed(1).padStart(8)} ${r.readMs.toFixed(1).padStart(9)} ${r.papaMs.toFixed(1).padStart(18)} ${(r.papaMs / r.moduleMs).toFixed(1).padStart(5)}× ${(r.papaMs / r.readMs).toFixed(1).padStart(6)}× ${r.handMs.toFixed(1).padStart(20)} ${(r.handMs / r.moduleMs).toFixed(1).padStart(5)}×`);
      for (const other of ["read", "papa", "hand"]) {
        const same = ["rows", "valid", "invalid", "payloads"].every((k) => r.module[k] === r[other][k]);
        if (!same) throw new Error(`the module and the ${other} + zod + validator.js version disagree: ${JSON.stringify(r)}`);
      }
    }
    const crafted = await page.evaluate(async ({ pkg, count, runs }) => {
      const wasm = await import(`/${pkg}/bulk/csp_agreements.js`);
      const { runCrafted } = await import("/bench/bulk.js");
      return runCrafted(wasm, { count, runs });
    }, { pkg, count: smoke ? 20000 : 160000, runs: smoke ? 1 : 5 });
    const ratio = crafted.crafted.ms / crafted.ordinary.ms;
    console.log(`\n${crafted.count} rows whose ids were made to collide in an unkeyed hash: ${crafted.crafted.ms.toFixed(1)} ms; ${crafted.count} ordinary rows: ${crafted.ordinary.ms.toFixed(1)} ms (${ratio.toFixed(2)}×, goal ≤ 2×)`);
    if (crafted.crafted.valid !== crafted.count || crafted.ordinary.valid !== crafted.count) throw new Error(`the crafted rows are not all valid: ${JSON.stringify(crafted)}`);
    const cancelled = await page.evaluate(async (pkg) => (await import("/bench/bulk.js")).runWorkerCancel(pkg), pkg);
    if (cancelled !== "cancelled") throw new Error(`the worker's check, cancelled, ended "${cancelled}"`);
    const inWorker = await page.evaluate(async ({ pkg, rows }) => {
      const { runWorker } = await import("/bench/bulk.js");
      return runWorker(pkg, { rows, options: { localToday: "2019-11-20", utcToday: "2019-11-20", route: "legacy" } });
    }, { pkg, rows: smoke ? 20000 : 1000000 });
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    const mb = inWorker.bytes / 1e6;
    console.log(`\n${inWorker.rows} rows (${mb.toFixed(1)} MB) in ${pkg}/csv-worker.js (CsvValidator, counting only): ${(inWorker.ms / 1000).toFixed(2)} s, ${Math.round(inWorker.rows / (inWorker.ms / 1000))} rows/s, ${(mb / (inWorker.ms / 1000)).toFixed(1)} MB/s`);
    console.log(`  page meanwhile: ${inWorker.longTasks} long tasks (over 50 ms; longest ${inWorker.longestTaskMs.toFixed(0)} ms), longest pause of a 10 ms heartbeat ${inWorker.longestPauseMs.toFixed(0)} ms, ${inWorker.progressMessages} progress messages`);
    console.log(`  the module's memory at the end (its peak): ${(inWorker.memoryBytes / 1048576).toFixed(1)} MiB; ${inWorker.valid} valid, ${inWorker.invalid} invalid`);
    if (inWorker.rows !== (smoke ? 20000 : 1000000) || inWorker.invalid !== inWorker.rows / 10) throw new Error(`the worker's count is wrong: ${JSON.stringify(inWorker)}`);
    if (inWorker.longTasks > 0) throw new Error(`the page had ${inWorker.longTasks} tasks over 50 ms while the worker checked the file`);
    process.exit(0);
  }
  const result = await page.evaluate(async ({ pkg, settings }) => {
    const start = performance.now();
    const wasm = await import(`/${pkg}/csp_agreements.js`);
    await wasm.default();
    const instantiateMs = performance.now() - start;
    const { run } = await import("/bench/cases.js");
    return { instantiateMs, isolated: crossOriginIsolated, ...(await run(wasm, settings)) };
  }, { pkg, settings });
  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);

  const size = (path) => {
    const bytes = readFileSync(`${root}${path}`);
    return `${(bytes.length / 1000).toFixed(1)} KB raw, ${(gzipSync(bytes, { level: 9 }).length / 1000).toFixed(1)} KB gzip`;
  };
  const version = browser.version();
  console.log(`${pkg}/ in Chromium ${version}${smoke ? " (smoke run: the times mean nothing)" : ""}; ${settings.batches} batches of ${settings.perBatch} calls`);
  console.log(`instantiation (fetch, compile, instantiate): ${result.instantiateMs.toFixed(1)} ms; cross-origin isolated: ${result.isolated}`);
  console.log(`sizes: wasm ${size(`${pkg}/csp_agreements_bg.wasm`)}; JS glue ${size(`${pkg}/csp_agreements.js`)}`);
  const width = Math.max(...Object.keys(result.rows).map((k) => k.length));
  console.log(`${"call".padEnd(width)}  median µs   p99 µs`);
  for (const [name, { medianUs, p99Us }] of Object.entries(result.rows)) {
    console.log(`${name.padEnd(width)}  ${medianUs.toFixed(2).padStart(9)}  ${p99Us.toFixed(2).padStart(7)}`);
  }
  const ratio = (a, b) => (result.rows[b].medianUs / result.rows[a].medianUs).toFixed(2);
  console.log(`ratio zod + validator.js / module: form ${ratio("validateConfirmation", "zod + validator.js: the same form")}×, email field ${ratio("validateField", "zod + validator.js: the email field")}× (above 1: the module is faster)`);
  console.log(`ratio zod + validator.js / Validator (options read once): form ${ratio("Validator.validate (options read once)", "zod + validator.js: the same form")}×, email field ${ratio("Validator.validateField (options read once)", "zod + validator.js: the email field")}×`);
  if (!result.agree.valid || !result.agree.invalid || !result.agree.validator) {
    throw new Error(`the module and the zod + validator.js schema disagree: ${JSON.stringify(result.agree)}`);
  }
} finally {
  await browser.close();
}

/** The Portfolio tab of the partner's page, against the sandbox seeded with many customers. */
async function runPortfolio(browser) {
  const { startSandbox, TOKEN } = await import("../tests/e2e/harness.mjs");
  const seeded = smoke ? 1000 : 10000;
  const day = "2026-11-24";
  const sandbox = await startSandbox({ today: day, args: ["--seed-customers", String(seeded)] });
  try {
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    const errors = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.addInitScript(() => {
      window.__tasks = [];
      new PerformanceObserver((list) => window.__tasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask", buffered: true });
    });
    await page.goto(`${sandbox.url}/?today=${day}#token=${TOKEN}`);
    await page.waitForSelector("html[data-ready=true]");
    const counts = async () => (await (await fetch(`${sandbox.url}/sandbox/faults`, { headers: { Authorization: `Bearer ${TOKEN}` } })).json()).requests;
    await page.getByRole("tab", { name: "Portfolio" }).click();
    await page.evaluate(() => (window.__tasks = []));
    const before = await counts();
    const start = Date.now();
    await page.getByRole("button", { name: "Load every customer's status" }).click();
    await page.locator("#portfolio-counts").getByText(/Every customer read/).waitFor({ timeout: 600_000 });
    const seconds = (Date.now() - start) / 1000;
    const requests = (await counts()) - before;
    const caption = await page.locator("#portfolio caption").textContent();
    const tasks = await page.evaluate(() => window.__tasks);
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    const customers = seeded + 10;
    const longest = tasks.length ? Math.max(...tasks) : 0;
    console.log(`Portfolio of ${customers.toLocaleString("en-US")} sandbox customers (${seeded} seeded and the 10 of the demo) in Chromium ${browser.version()}${smoke ? " (smoke run: the times mean nothing)" : ""}`);
    console.log(`  ${seconds.toFixed(1)} s; ${requests} API requests, ${(requests / customers).toFixed(2)} per customer (pages included); ${Math.round(customers / seconds)} customers/s`);
    console.log(`  the page meanwhile: ${tasks.length} tasks over 50 ms, the longest ${longest.toFixed(0)} ms`);
    console.log(`  the table says: ${caption}`);
    if (!caption.startsWith(`${customers.toLocaleString("en-US")} customers`)) throw new Error(`the portfolio does not show every customer: ${caption}`);
    if (requests / customers > 2.1) throw new Error(`more than two requests per customer: ${requests}`);
  } finally {
    await sandbox.stop();
  }
}
