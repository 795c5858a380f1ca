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
    const response = await globalThis.fetch(request);
    const text = await response.text();
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
