// A Web Worker that checks a large CSV file off the page's thread: the file is read as a stream
// and fed to CsvValidator chunk by chunk, so memory stays bounded by a chunk and what is kept
// (pass `payloads: false` and a small `maxIssues` to count only).
//
//   const worker = new Worker(new URL("./csv-worker.js", import.meta.url), { type: "module" });
//   worker.postMessage({ file, options: { payloads: false, maxIssues: 1000 } });
//   worker.onmessage = ({ data }) => data.type === "progress" ? draw(data) : done(data.result);
//
// Messages: { type: "progress", bytes, rows } at most every 100 ms; { type: "done", result,
// memoryBytes } (the module's linear memory at the end: its peak, as it never shrinks); or
// { type: "error", message }.
import init, { CsvValidator } from "./csp_agreements.js";

const ready = init();

self.onmessage = async ({ data }) => {
  try {
    const wasm = await ready;
    const validator = new CsvValidator(data.options);
    const reader = data.file.stream().getReader();
    let bytes = 0;
    let rows = 0;
    let told = performance.now();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      bytes += value.length;
      rows = validator.push(value);
      if (performance.now() - told > 100) {
        told = performance.now();
        self.postMessage({ type: "progress", bytes, rows });
      }
    }
    const result = validator.finish();
    self.postMessage({ type: "done", result, bytes, memoryBytes: wasm.memory.buffer.byteLength });
  } catch (error) {
    self.postMessage({ type: "error", message: error?.message ?? String(error) });
  }
};
