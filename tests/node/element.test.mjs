// The element's module in Node (a server rendering a portal: Next.js, Remix): importing it
// throws nothing, initializes nothing and defines nothing, as HTMLElement and customElements do
// not exist there.
import { test } from "node:test";
import assert from "node:assert/strict";

test("the element's module imports where HTMLElement does not exist", async () => {
  assert.equal(typeof globalThis.HTMLElement, "undefined");
  const unhandled = [];
  const listener = (reason) => unhandled.push(reason);
  process.on("unhandledRejection", listener);
  const module = await import(new URL("../../pkg/csp-agreement-confirmation.js", import.meta.url));
  assert.equal(typeof module.CspAgreementConfirmation, "function");
  // The JSX typings' module has no code.
  assert.deepEqual(Object.keys(await import(new URL("../../pkg/react.js", import.meta.url))), []);
  await new Promise((resolve) => setTimeout(resolve, 50));
  process.off("unhandledRejection", listener);
  assert.deepEqual(unhandled, [], "no wasm fetched, nothing rejected");
});
