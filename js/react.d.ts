// JSX typings of <csp-agreement-confirmation> for React 19 (types only), made from the element's
// own declarations (csp-agreement-confirmation.d.ts, written from its JSDoc): its attributes,
// the properties that take a function or an object, and its events, none of them listed here.
//   import type {} from "csp-agreements/react";   // once, anywhere in the portal
//   <csp-agreement-confirmation customer-id={id} locale="fr-FR"
//     onconfirmation-submitted={(e) => setAgreement(e.detail)} />
// React 19 sets the properties an element has (`locale`, `tokenProvider`), attributes otherwise,
// and listens to `on<event-name>` props on custom elements, the event's name as written.
import type { DetailedHTMLProps, HTMLAttributes } from "react";
import type {
  CspAgreementConfirmation, CspAgreementConfirmationAttributes, CspAgreementConfirmationEvents,
  CspAgreementConfirmationProperties,
} from "./csp-agreement-confirmation.js";

/** The element's props in JSX: its attributes, its properties, its events. */
export type CspAgreementConfirmationProps =
  & DetailedHTMLProps<HTMLAttributes<CspAgreementConfirmation>, CspAgreementConfirmation>
  & CspAgreementConfirmationAttributes
  & Partial<CspAgreementConfirmationProperties>
  & { [E in keyof CspAgreementConfirmationEvents as `on${E}`]?: (event: CspAgreementConfirmationEvents[E]) => void };

declare module "react" {
  namespace JSX {
    interface IntrinsicElements {
      "csp-agreement-confirmation": CspAgreementConfirmationProps;
    }
  }
}
