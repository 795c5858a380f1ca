// Types of <csp-agreement-confirmation> (js/csp-agreement-confirmation.js).
import type { Agreement, Attestation, FieldIssue, BackendProblem, ConfirmNote } from "./csp_agreements.js";

/** The element's own texts in each language (its field labels and messages come from the rules). */
export declare const TEXTS: Readonly<Record<"en-US" | "fr-FR", Readonly<Record<string, string>>>>;

/** Detail of `validation-change`: after every check (as the user types, on submit). */
export interface ValidationChangeDetail {
  valid: boolean;
  errors: FieldIssue[];
  warnings: FieldIssue[];
}

/**
 * Detail of `confirmation-submitted`: the legacy POST recorded the confirmation, or (the
 * enhanced route) the customer accepted by the link and the attestation was completed.
 */
export type ConfirmationSubmittedDetail =
  | {
      customerId: string;
      route?: "legacy";
      /** The stored confirmation (`dateAgreed` as YYYY-MM-DD). */
      agreement: Agreement;
      /** The customer's confirmations of that agreement, read back after saving. */
      agreements: Agreement[];
      correlationId: string;
      /** Present when the way there was not the straight one (an answer lost, a failed read-back). */
      note?: ConfirmNote;
    }
  | {
      customerId: string;
      route: "enhanced";
      attestationId: string;
      /** The agreement recorded (absent when the completion's answer was lost). */
      agreement?: Agreement;
      correlationId: string;
    };

/** Detail of `attestation-created` (the enhanced route): the link to give the customer. */
export interface AttestationCreatedDetail {
  customerId: string;
  attestation: Attestation;
  correlationId: string;
}

/**
 * Detail of `confirmation-failed`: refused before sending (`validation`), or by Partner Center or
 * on the way (`backend`; an unexpected failure has the code `unexpected`).
 */
export interface ConfirmationFailedDetail {
  customerId: string;
  stage: "validation" | "backend";
  errors: FieldIssue[];
  correlationId: string;
  error?: { code: BackendProblem; message: string; status?: number; issues: FieldIssue[] };
}

export interface CspAgreementConfirmationEventMap extends HTMLElementEventMap {
  "validation-change": CustomEvent<ValidationChangeDetail>;
  "confirmation-submitted": CustomEvent<ConfirmationSubmittedDetail>;
  "confirmation-failed": CustomEvent<ConfirmationFailedDetail>;
  "attestation-created": CustomEvent<AttestationCreatedDetail>;
}

/** A Partner Center role of the signed-in user, as the form's checks know them. */
export type UserRole = import("./csp_agreements.js").Role;

/**
 * The confirmation form as one element. Every attribute is reflected by a property (React 19
 * sets properties): `customer-id` (`customerId`), `api-base` (`apiBase`), `locale`, `today`
 * (YYYY-MM-DD, for demonstrations), `user-role` (`userRole`: the signed-in user's Partner
 * Center role; not `role`, which is ARIA's), `environment`, `acceptance-page`
 * (`acceptancePage`), `summary-heading-level` (`summaryHeadingLevel`). Setting one to the value
 * it has changes nothing and emits nothing. Importing the module where `HTMLElement` does not
 * exist (server-side rendering) defines nothing.
 */
export declare class CspAgreementConfirmation extends HTMLElement {
  /** Called before every request; returns the bearer token. The element never stores it. */
  tokenProvider: (() => string | Promise<string>) | null;
  /** Where the attestations sent are kept; default: this origin's IndexedDB. */
  ledger: import("./csp_agreements.js").AttestationLedgerLike | null;
  /** `en-US` or `fr-FR` (set anything else and it reads as `en-US`). */
  get locale(): "en-US" | "fr-FR";
  set locale(value: "en-US" | "fr-FR" | string | null);
  customerId: string | null;
  apiBase: string | null;
  today: string | null;
  userRole: string | null;
  environment: string | null;
  acceptancePage: string | null;
  get summaryHeadingLevel(): string | null;
  set summaryHeadingLevel(value: 2 | 3 | 4 | 5 | 6 | string | null);
  /** Checks the form now and shows every message. */
  validate(): import("./csp_agreements.js").ValidationResult | undefined;
  addEventListener<K extends keyof CspAgreementConfirmationEventMap>(
    type: K,
    listener: (this: CspAgreementConfirmation, event: CspAgreementConfirmationEventMap[K]) => void,
    options?: boolean | AddEventListenerOptions,
  ): void;
  addEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | AddEventListenerOptions): void;
  removeEventListener<K extends keyof CspAgreementConfirmationEventMap>(
    type: K,
    listener: (this: CspAgreementConfirmation, event: CspAgreementConfirmationEventMap[K]) => void,
    options?: boolean | EventListenerOptions,
  ): void;
  removeEventListener(type: string, listener: EventListenerOrEventListenerObject, options?: boolean | EventListenerOptions): void;
}

declare global {
  interface HTMLElementTagNameMap {
    "csp-agreement-confirmation": CspAgreementConfirmation;
  }
}
