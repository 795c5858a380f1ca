// A React 19 portal's TSX using the element through csp-agreements/react's JSX typings, which are
// mapped from the element's own declarations (checked with tsc --noEmit; React's types are the
// example portal's).
import type {} from "../../pkg/react.js";
import type { ConfirmationSubmittedDetail } from "../../pkg/csp-agreement-confirmation.js";

export function Confirm({ customerId, token }: { customerId: string; token: string }) {
  return (
    <csp-agreement-confirmation
      customer-id={customerId}
      locale="fr-FR"
      user-role="admin-agent"
      summary-heading-level={3}
      tokenProvider={() => token}
      onconfirmation-submitted={(event) => {
        const detail: ConfirmationSubmittedDetail = event.detail;
        console.log(detail.correlationId);
      }}
      onvalidation-change={(event) => console.log(event.detail.valid, event.detail.errors.length)}
      onconfirmation-failed={(event) => console.log(event.detail.stage, event.detail.error?.code)}
      onattestation-created={(event) => console.log(event.detail.attestation.acceptanceUrl)}
    />
  );
}

export function Refused() {
  return (
    <>
      {/* @ts-expect-error: not a language of the element */}
      <csp-agreement-confirmation locale="de-DE" />
      {/* @ts-expect-error: not a Partner Center role */}
      <csp-agreement-confirmation user-role="owner" />
      {/* @ts-expect-error: the detail of validation-change has no `stage` */}
      <csp-agreement-confirmation onvalidation-change={(event) => event.detail.stage} />
      {/* @ts-expect-error: the token comes from a function */}
      <csp-agreement-confirmation tokenProvider="a token" />
    </>
  );
}
