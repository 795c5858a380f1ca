// The Partner Center client's one network call (src/wasm/client.rs decides what to send, when to
// try again and what an answer means; this only performs the request). A wasm-bindgen snippet,
// shipped in the package with the client.

/**
 * One HTTP request: `headers` as `name: value` lines (the module has checked every value: no
 * line break, Latin-1 only), aborted after `timeoutMs` until its body is read. Resolves to
 * `[status, body, bodyRead, retryAfter]`: the body's JSON (`null` when empty), whether it read as
 * JSON, the `Retry-After` header or `undefined`. Rejects with whether it timed out when no
 * answer came or its body was cut short; never throws.
 */
export async function fetchJson(method, url, headers, body, timeoutMs) {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  // The timeout settles the call whether or not `fetch` follows the abort: Node 20's leaves a
  // request to a server that never answers pending until its own limit (300 s), aborted or not.
  const timedOut = new Promise((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(new Error("timed out")), { once: true });
  });
  timedOut.catch(() => {});
  try {
    // One `Request` given to `fetch`, as a portal's own wrapper of `fetch` may expect.
    const request = new Request(url, {
      method,
      headers: headers.split("\n").map((line) => {
        const colon = line.indexOf(": ");
        return [line.slice(0, colon), line.slice(colon + 2)];
      }),
      body,
      signal: controller.signal,
    });
    const response = await Promise.race([globalThis.fetch(request), timedOut]);
    const text = await Promise.race([response.text(), timedOut]);
    let json = null;
    let read = true;
    if (text.trim() !== "") {
      try {
        json = JSON.parse(text);
      } catch {
        read = false;
      }
    }
    return [response.status, json, read, response.headers.get("Retry-After") ?? undefined];
  } catch {
    throw controller.signal.aborted;
  } finally {
    clearTimeout(timer);
  }
}
