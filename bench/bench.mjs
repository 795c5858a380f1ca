// scripts/bench: the module's calls beside the same checks in zod 4 + validator.js, in headless
// Chromium (Debian's, through playwright-core), in one page run. Prints the median and p99 time
// per call, the ratios, the module's instantiation time and the package sizes.
//   node bench/bench.mjs [--smoke] [--pkg pkg-rules]
//   node bench/bench.mjs --bulk [--smoke]   validateCsv on generated files (10k, 100k, 1M rows)
//                                           beside a CSV parser + zod 4 + validator.js (pkg/),
//                                           then 1 000 000 rows in pkg/csv-worker.js (smoke:
//                                           20 000)
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
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
});
try {
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
  if (bulk) {
    const sizes = smoke ? [300] : [10000, 100000, 1000000];
    const rows = await page.evaluate(async ({ pkg, sizes, runs }) => {
      const wasm = await import(`/${pkg}/csp_agreements.js`);
      await wasm.default();
      const { runBulk } = await import("/bench/bulk.js");
      return runBulk(wasm, { sizes, runs });
    }, { pkg, sizes, runs: smoke ? 1 : 5 });
    if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
    console.log(`validateCsv (${pkg}/) beside a CSV parser + zod 4 + validator.js, in Chromium ${browser.version()}${smoke ? " (smoke run: the times mean nothing)" : ", median of 5 runs (1 run of 1 000 000)"}`);
    console.log("rows      MB    module ms   rows/s      MB/s   zod+validator ms   ratio");
    for (const r of rows) {
      const mb = r.bytes / 1e6;
      console.log(`${String(r.size).padEnd(8)} ${mb.toFixed(1).padStart(5)} ${r.moduleMs.toFixed(1).padStart(10)} ${Math.round(r.size / (r.moduleMs / 1000)).toString().padStart(9)} ${(mb / (r.moduleMs / 1000)).toFixed(1).padStart(8)} ${r.portalMs.toFixed(1).padStart(17)} ${(r.portalMs / r.moduleMs).toFixed(1).padStart(6)}×`);
      const same = ["rows", "valid", "invalid"].every((k) => r.module[k] === r.portal[k]);
      if (!same) throw new Error(`the module and the zod + validator.js version disagree: ${JSON.stringify(r)}`);
    }
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
  if (!result.agree.valid || !result.agree.invalid) {
    throw new Error(`the module and the zod + validator.js schema disagree: ${JSON.stringify(result.agree)}`);
  }
} finally {
  await browser.close();
}
