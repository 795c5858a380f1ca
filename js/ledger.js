// The ledger of attestations, in JavaScript: the records in memory over a store that keeps
// them (IndexedDB by default, or a portal's backend), one record written at a time. What a
// record means (its next step, whether it still stands, how two copies merge) is decided by the
// module (Rust): this file only loads, keeps and writes.
//
//   import { AttestationLedger, httpStore } from "csp-agreements/ledger";
//   const ledger = await AttestationLedger.open(indexedDbStore(), { sentBy: "agent-42" });
//   const client = new PartnerCenterClient({ apiBase, getToken, ledger });
//
// A record holds no token, no personal data and no link (the link is rebuilt from the id).
//
// Typed by its JSDoc: the build checks it (TypeScript, strict) and writes ledger.d.ts from it.
// @ts-check
import { mergeLedgerRecords } from "./csp_agreements.js";
/** @import { AttestationLedgerLike, LedgerRecord } from "./csp_agreements.js" */

/**
 * Where the records are kept: load them all, write one at a time.
 * @typedef {object} LedgerStore
 * @property {() => Promise<LedgerRecord[]>} load Every record kept.
 * @property {(record: LedgerRecord) => Promise<LedgerRecord>} put Writes a record read at
 *   `record.version`; resolves to it stored (its version one more), or rejects with `StaleRecord`.
 */

/** A write refused because the record changed since it was read; `current` is the store's. */
export class StaleRecord extends Error {
  /** @param {LedgerRecord | null} [current] */
  constructor(current) {
    super("the record changed since it was read");
    /** @readonly @type {"StaleRecord"} */
    this.name = "StaleRecord";
    /** The record as the store has it now. @readonly */
    this.current = current ?? null;
  }
}

/**
 * @template T
 * @param {IDBRequest<T>} r
 * @returns {Promise<T>}
 */
const request = (r) => new Promise((resolve, reject) => {
  r.onsuccess = () => resolve(r.result);
  r.onerror = () => reject(r.error);
});

/**
 * Records kept in this browser's IndexedDB (one database per origin, `name`): they survive
 * reloads and closed tabs, and every tab of the origin shares them. A write is one record, in
 * one transaction that checks its version first.
 * @param {{ name?: string }} [options]
 * @returns {LedgerStore}
 */
export function indexedDbStore({ name = "csp-agreements-ledger" } = {}) {
  /** @type {Promise<IDBDatabase> | undefined} */
  let opened;
  /** @returns {Promise<IDBDatabase>} */
  const db = () => (opened ??= new Promise((resolve, reject) => {
    const open = indexedDB.open(name, 1);
    open.onupgradeneeded = () => open.result.createObjectStore("records", { keyPath: "attestationId" });
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  }));
  return {
    async load() {
      return request((await db()).transaction("records").objectStore("records").getAll());
    },
    async put(record) {
      const tx = (await db()).transaction("records", "readwrite");
      const store = tx.objectStore("records");
      const current = await request(store.get(record.attestationId));
      if ((current?.version ?? 0) !== (record.version ?? 0)) {
        tx.abort();
        throw new StaleRecord(current);
      }
      const saved = { ...record, version: (record.version ?? 0) + 1 };
      store.put(saved);
      await new Promise((resolve, reject) => {
        tx.oncomplete = resolve;
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error("the write was abandoned"));
      });
      return saved;
    },
  };
}

/**
 * Records kept by a portal's backend, for a whole team: `GET {base}/ledger` answers
 * `{ items: [record…] }`; `PUT {base}/ledger/{attestationId}` takes a record at the version it
 * was read at and answers it stored (its version one more), or 409 with `{ current }` when it
 * changed meanwhile. `getToken()` gives the portal's own session token (never Partner Center's).
 * The sandbox implements this contract.
 * @param {string} base
 * @param {{ getToken?: () => string | Promise<string>, fetch?: typeof fetch }} [options]
 * @returns {LedgerStore}
 */
export function httpStore(base, { getToken = () => "", fetch: fetchImpl = globalThis.fetch } = {}) {
  const root = String(base).replace(/\/+$/, "");
  /** @param {Record<string, string>} [extra] */
  const headers = async (extra = {}) => {
    const token = await getToken();
    return { Accept: "application/json", ...(token ? { Authorization: `Bearer ${token}` } : {}), ...extra };
  };
  /** @param {Response} response */
  const failed = async (response) => {
    const body = await response.json().catch(() => ({}));
    return new Error(`the ledger's store answered ${response.status}${body.description ? `: ${body.description}` : ""}`);
  };
  return {
    async load() {
      const response = await fetchImpl(`${root}/ledger`, { headers: await headers() });
      if (!response.ok) throw await failed(response);
      return (await response.json()).items ?? [];
    },
    async put(record) {
      const response = await fetchImpl(`${root}/ledger/${encodeURIComponent(record.attestationId)}`, {
        method: "PUT",
        headers: await headers({ "Content-Type": "application/json" }),
        body: JSON.stringify(record),
      });
      if (response.status === 409) {
        const body = await response.json().catch(() => ({}));
        throw new StaleRecord(body.current);
      }
      if (!response.ok) throw await failed(response);
      return response.json();
    },
  };
}

/**
 * Records kept in memory only (tests, a page that must not store anything): gone with the page.
 * @param {LedgerRecord[]} [records]
 * @returns {LedgerStore}
 */
export function memoryStore(records = []) {
  const kept = new Map(records.map((r) => [r.attestationId, r]));
  return {
    async load() {
      return [...kept.values()];
    },
    async put(record) {
      const current = kept.get(record.attestationId);
      if ((current?.version ?? 0) !== (record.version ?? 0)) throw new StaleRecord(current);
      const saved = { ...record, version: (record.version ?? 0) + 1 };
      kept.set(saved.attestationId, saved);
      return saved;
    },
  };
}

/** A customer id as records keep it: lower case, without braces. */
const key = (/** @type {string | null | undefined} */ customerId) => String(customerId ?? "").trim().replace(/^\{|\}$/g, "").toLowerCase();

/**
 * The attestations of a portal, from sending to recorded: loaded from `store`, written back one
 * record at a time. Give it to `new PartnerCenterClient({ ledger })`: the client writes every
 * attestation it creates, reads or completes, refuses a second live one for a customer and a
 * completion for another customer. `subscribe(listener)` tells the page of every change.
 * @implements {AttestationLedgerLike}
 */
export class AttestationLedger {
  /** @type {LedgerStore} */
  #store;
  /** @type {Map<string, LedgerRecord>} */
  #records = new Map();
  /** @type {Map<string, string[]>} */
  #byCustomer = new Map();
  /** @type {Set<(record?: LedgerRecord) => void>} */
  #listeners = new Set();

  /**
   * @param {LedgerStore} [store] Default: `indexedDbStore()`.
   * @param {{ sentBy?: string }} [options]
   */
  constructor(store = indexedDbStore(), { sentBy } = {}) {
    this.#store = store;
    /** Who sends, kept in the records (a user id of the portal's, never a token). @type {string | undefined} */
    this.sentBy = sentBy;
  }

  /**
   * A ledger with its records loaded (default store: `indexedDbStore()`).
   * @param {LedgerStore} [store]
   * @param {{ sentBy?: string }} [options]
   * @returns {Promise<AttestationLedger>}
   */
  static async open(store = indexedDbStore(), options = {}) {
    const ledger = new AttestationLedger(store, options);
    await ledger.reload();
    return ledger;
  }

  /** Loads the records again (another agent may have written some). */
  async reload() {
    const records = await this.#store.load();
    this.#records.clear();
    this.#byCustomer.clear();
    for (const record of records) this.#keep(record);
    this.#notify();
  }

  /**
   * Every record.
   * @returns {LedgerRecord[]}
   */
  records() {
    return [...this.#records.values()];
  }

  /**
   * A customer's records.
   * @param {string} customerId
   * @returns {LedgerRecord[]}
   */
  recordsOf(customerId) {
    const ids = this.#byCustomer.get(key(customerId));
    return ids ? ids.map((id) => /** @type {LedgerRecord} */ (this.#records.get(id))) : [];
  }

  /**
   * The record of an attestation, if kept.
   * @param {string} attestationId
   * @returns {LedgerRecord | undefined}
   */
  get(attestationId) {
    return this.#records.get(attestationId);
  }

  /**
   * Writes one record. When it changed meanwhile (another tab, another agent), both copies are
   * merged (every status either saw) and written again.
   * @param {LedgerRecord} record
   * @returns {Promise<LedgerRecord>}
   */
  async put(record) {
    let next = record;
    for (let attempt = 0; attempt < 5; attempt += 1) {
      try {
        const saved = await this.#store.put(next);
        this.#keep(saved);
        this.#notify(saved);
        return saved;
      } catch (error) {
        // A store's own StaleRecord (another copy of this module) counts: known by its name.
        const stale = /** @type {{ name?: unknown, current?: LedgerRecord | null }} */ (error);
        if (stale?.name !== "StaleRecord") throw error;
        next = stale.current ? mergeLedgerRecords(next, stale.current) : { ...next, version: 0 };
      }
    }
    throw new Error("the record kept changing: try again");
  }

  /**
   * Calls `listener(record?)` after every change; returns the function that stops it.
   * @param {(record?: LedgerRecord) => void} listener
   * @returns {() => void}
   */
  subscribe(listener) {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** @param {LedgerRecord} record */
  #keep(record) {
    this.#records.set(record.attestationId, record);
    const customer = key(record.customerId);
    // Most customers have one attestation: an array, not a Set, per customer.
    const ids = this.#byCustomer.get(customer);
    if (!ids) this.#byCustomer.set(customer, [record.attestationId]);
    else if (!ids.includes(record.attestationId)) ids.push(record.attestationId);
  }

  /** @param {LedgerRecord} [record] */
  #notify(record) {
    for (const listener of this.#listeners) {
      try {
        listener(record);
      } catch {
        // A listener's failure is its own.
      }
    }
  }
}
