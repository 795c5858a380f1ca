// JSX typings of <csp-agreement-confirmation> for React 19 (types only):
//   import type {} from "csp-agreements/react";   // once, anywhere in the portal
//   <csp-agreement-confirmation customer-id={id} locale="fr-FR"
//     onconfirmation-submitted={(e) => setAgreement(e.detail)} />
// React 19 sets the properties an element has (`locale`, `tokenProvider`), attributes otherwise,
// and listens to `on<event-name>` props on custom elements, the event's name as written.
import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type {
  AttestationCreatedDetail, ConfirmationFailedDetail, ConfirmationSubmittedDetail,
  CspAgreementConfirmation, ValidationChangeDetail,
} from "./csp-agreement-confirmation.js";
import type { AttestationLedgerLike, Role } from "./csp_agreements.js";

/** The element's props in JSX: its attributes, its properties, its events. */
export interface CspAgreementConfirmationProps
  extends DetailedHTMLProps<HTMLAttributes<CspAgreementConfirmation>, CspAgreementConfirmation> {
  "customer-id"?: string;
  "api-base"?: string;
  locale?: "en-US" | "fr-FR";
  /** YYYY-MM-DD: checks against this day instead of the clock (demonstrations). */
  today?: string;
  "user-role"?: Role;
  environment?: "production" | "sandbox";
  "acceptance-page"?: string;
  "summary-heading-level"?: 2 | 3 | 4 | 5 | 6;
  /** Called before every request; the element never stores what it returns. */
  tokenProvider?: () => string | Promise<string>;
  ledger?: AttestationLedgerLike;
  "onvalidation-change"?: (event: CustomEvent<ValidationChangeDetail>) => void;
  "onattestation-created"?: (event: CustomEvent<AttestationCreatedDetail>) => void;
  "onconfirmation-submitted"?: (event: CustomEvent<ConfirmationSubmittedDetail>) => void;
  "onconfirmation-failed"?: (event: CustomEvent<ConfirmationFailedDetail>) => void;
}

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "csp-agreement-confirmation": CspAgreementConfirmationProps;
    }
  }
}
