// csp-agreements, loaded when first needed and initialized once: the portal renders at once and
// says so if the module cannot be had (a top-level `await init()` would make the whole portal
// wait for the wasm, or fail with it).
import { useEffect, useState } from "react";
import type * as Csp from "csp-agreements";

export type CspModule = typeof Csp;

let loading: Promise<CspModule> | undefined;

export function loadCsp(): Promise<CspModule> {
  loading ??= (async () => {
    const csp = await import("csp-agreements");
    await csp.default();
    // The element, defined once the module is ready (its properties are then React's to set).
    await import("csp-agreements/element");
    return csp;
  })();
  return loading;
}

export function useCsp(): { csp?: CspModule; error?: string } {
  const [state, setState] = useState<{ csp?: CspModule; error?: string }>({});
  useEffect(() => {
    let live = true;
    loadCsp().then(
      (csp) => live && setState({ csp }),
      (error: unknown) => live && setState({ error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      live = false;
    };
  }, []);
  return state;
}
