// A Web Worker that checks a large CSV file off the page's thread: the file is read as a stream
// and fed to CsvValidator chunk by chunk, so memory stays bounded by a chunk and what is kept
// (pass `payloads: false` and a small `maxIssues` to count only).
//
//   const worker = new Worker(new URL("./csv-worker.js", import.meta.url), { type: "module" });
//   worker.postMessage({ file, options: { payloads: false, maxIssues: 1000 } });
//   worker.onmessage = ({ data }) => data.type === "progress" ? draw(data) : done(data.result);
//
// Messages: { type: "progress", bytes, rows } at most every 100 ms; { type: "done", result,
// memoryBytes, sha256 } (the module's linear memory at the end: its peak, as it never shrinks;
// with `sha256: true` in the message, the file's SHA-256 in hex, computed here rather than on
// the page's thread); { type: "cancelled" } after the page posted { type: "cancel" } (the check
// stops at the next chunk and frees what it kept); or { type: "error", message }.
// The file checks are the package's second module (`./bulk`): the element and the client never
// download them.
import init, { CsvValidator } from "./bulk/csp_agreements.js";

const ready = init();
/** The check under way: { cancelled } (one at a time). */
let current = null;

self.onmessage = async ({ data }) => {
  if (data?.type === "cancel") {
    if (current) current.cancelled = true;
    return;
  }
  const check = { cancelled: false };
  if (current) current.cancelled = true;
  current = check;
  let validator;
  try {
    const wasm = await ready;
    validator = new CsvValidator(data.options);
    const reader = data.file.stream().getReader();
    let bytes = 0;
    let rows = 0;
    let told = performance.now();
    for (;;) {
      const { done, value } = await reader.read();
      if (check.cancelled) {
        validator.cancel();
        await reader.cancel().catch(() => {});
        self.postMessage({ type: "cancelled", bytes, rows });
        return;
      }
      if (done) break;
      bytes += value.length;
      rows = validator.push(value);
      if (performance.now() - told > 100) {
        told = performance.now();
        self.postMessage({ type: "progress", bytes, rows });
      }
    }
    const result = validator.finish();
    let sha256;
    if (data.sha256) {
      const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", await data.file.arrayBuffer()));
      sha256 = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    }
    self.postMessage({ type: "done", result, bytes, sha256, memoryBytes: wasm.memory.buffer.byteLength });
  } catch (error) {
    self.postMessage({ type: "error", message: error?.message ?? String(error) });
  } finally {
    validator?.free();
    if (current === check) current = null;
  }
};
