// Types of the ledger of attestations (js/ledger.js).
import type { AttestationLedgerLike, LedgerRecord } from "./csp_agreements.js";

/** Where the records are kept: load them all, write one at a time. */
export interface LedgerStore {
  load(): Promise<LedgerRecord[]>;
  /** Writes a record read at `record.version`; resolves to it stored (its version one more), or rejects with `StaleRecord`. */
  put(record: LedgerRecord): Promise<LedgerRecord>;
}

/** A write refused because the record changed since it was read. */
export class StaleRecord extends Error {
  readonly name: "StaleRecord";
  /** The record as the store has it now. */
  readonly current: LedgerRecord | null;
  constructor(current?: LedgerRecord | null);
}

/** Records in this browser's IndexedDB (survive reloads and closed tabs; one per origin). */
export function indexedDbStore(options?: { name?: string }): LedgerStore;

/**
 * Records in a portal's backend: `GET {base}/ledger` → `{ items }`, `PUT {base}/ledger/{id}`
 * (409 with `{ current }` when stale). `getToken` gives the portal's own session token.
 */
export function httpStore(
  base: string,
  options?: { getToken?: () => string | Promise<string>; fetch?: typeof fetch },
): LedgerStore;

/** Records in memory only (tests; a page that must keep nothing). */
export function memoryStore(records?: LedgerRecord[]): LedgerStore;

/** The attestations of a portal, from sending to recorded. Give it to `new PartnerCenterClient({ ledger })`. */
export class AttestationLedger implements AttestationLedgerLike {
  constructor(store?: LedgerStore, options?: { sentBy?: string });
  /** A ledger with its records loaded (default store: `indexedDbStore()`). */
  static open(store?: LedgerStore, options?: { sentBy?: string }): Promise<AttestationLedger>;
  /** Who sends, kept in the records (a user id of the portal's, never a token). */
  sentBy?: string;
  /** Loads the records again. */
  reload(): Promise<void>;
  records(): LedgerRecord[];
  recordsOf(customerId: string): LedgerRecord[];
  get(attestationId: string): LedgerRecord | undefined;
  /** Writes one record (merged and written again when it changed meanwhile). */
  put(record: LedgerRecord): Promise<LedgerRecord>;
  /** Calls `listener` after every change; returns the function that stops it. */
  subscribe(listener: (record?: LedgerRecord) => void): () => void;
}
