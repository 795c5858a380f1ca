import { useEffect, useMemo, useRef, useState } from "react";
import type {
  AttachOptions, AttestationValidationResult, CustomerValidationResult, ValidationHandle, ValidationResult,
} from "csp-agreements";
import type {} from "csp-agreements/react";
import type { ConfirmationSubmittedDetail } from "csp-agreements/element";
import { type CspModule, useCsp } from "./csp";

/** Northwind Traders and Adatum Ibérica, two of the sandbox's demo customers. */
const NORTHWIND = "2b8c5e6a-7d3f-4a1c-9e4b-9f3a5c7d1e03";
const ADATUM = "5e1f8b9d-0a6c-4d4f-8b7e-2c6d8f0a4b06";

type Locale = "en-US" | "fr-FR";
type Result = ValidationResult | CustomerValidationResult | AttestationValidationResult;

export function App({ token }: { token: string }) {
  const { csp, error } = useCsp();
  const [locale, setLocale] = useState<Locale>("fr-FR");
  const [showForm, setShowForm] = useState(true);
  return (
    <>
      <header>
        <h1>Contoso partner portal</h1>
      </header>
      <main>
        <p className="portal-note">
          An example portal (Vite, React 19, TypeScript, StrictMode) embedding csp-agreements.{" "}
          <button type="button" onClick={() => setLocale(locale === "fr-FR" ? "en-US" : "fr-FR")}>
            {locale === "fr-FR" ? "English" : "Français"}
          </button>
        </p>
        {error && <p role="alert">The agreement tools could not be loaded: {error}</p>}
        {!csp && !error && <p role="status">Loading the agreement tools…</p>}
        {csp && <ElementSection token={token} locale={locale} />}
        {csp && (
          <section aria-labelledby="own-form-title">
            <h2 id="own-form-title">Your own form, checked by attachValidation</h2>
            <button type="button" onClick={() => setShowForm(!showForm)}>
              {showForm ? "Hide the form" : "Show the form"}
            </button>
            {showForm && <ControlledForm csp={csp} token={token} locale={locale} />}
          </section>
        )}
      </main>
    </>
  );
}

/** The element, its properties and its events as React props. */
function ElementSection({ token, locale }: { token: string; locale: Locale }) {
  const [validations, setValidations] = useState(0);
  const [created, setCreated] = useState<string>();
  const [recorded, setRecorded] = useState<ConfirmationSubmittedDetail>();
  const element = useRef<HTMLElementTagNameMap["csp-agreement-confirmation"]>(null);
  // Set on every render, as portals do: the same value changes nothing and emits nothing.
  useEffect(() => {
    if (element.current) element.current.locale = locale;
  });
  return (
    <section aria-labelledby="element-title">
      <h2 id="element-title">Northwind Traders: the customer's acceptance</h2>
      <csp-agreement-confirmation
        ref={element}
        customer-id={NORTHWIND}
        api-base=""
        locale={locale}
        user-role="admin-agent"
        acceptance-page={`${location.origin}/accept/`}
        summary-heading-level={3}
        tokenProvider={() => token}
        onvalidation-change={() => setValidations((n) => n + 1)}
        onattestation-created={(event) => setCreated(event.detail.attestation.attestationId)}
        onconfirmation-submitted={(event) => setRecorded(event.detail)}
      />
      <p role="status" aria-label="Element events">
        {`${validations} validation changes`}
        {created ? `; attestation ${created} created` : ""}
        {recorded ? `; agreement recorded (${recorded.route ?? "legacy"})` : ""}
      </p>
    </section>
  );
}

/** A controlled form (React owns every value) checked by attachValidation. */
function ControlledForm({ csp, token, locale }: { csp: CspModule; token: string; locale: Locale }) {
  const [values, setValues] = useState({ firstName: "", lastName: "", email: "", country: "ES", language: "es-ES" });
  const [result, setResult] = useState<Result>();
  const [sent, setSent] = useState<string>();
  const form = useRef<HTMLFormElement>(null);
  const handle = useRef<ValidationHandle>(null);
  const client = useMemo(
    () => new csp.PartnerCenterClient({ apiBase: "", getToken: () => token, locale, acceptancePage: `${location.origin}/accept/` }),
    [csp, token, locale],
  );
  useEffect(() => {
    const options: AttachOptions = { locale, summaryHeadingLevel: 3, onChange: setResult };
    const attached = csp.attachValidation(form.current!, options);
    handle.current = attached;
    // StrictMode mounts, unmounts and mounts again: the cleanup leaves the form as it was.
    return () => attached[Symbol.dispose]();
  }, [csp, locale]);
  const field = (name: keyof typeof values) => ({
    name,
    value: values[name],
    onChange: (event: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) =>
      setValues((v) => ({ ...v, [name]: event.target.value })),
  });
  const onSubmit = async (event: React.FormEvent) => {
    // Reached only when the form is valid: attachValidation stops an invalid one first.
    event.preventDefault();
    if (!handle.current?.payload()) return;
    const created = await client.createAttestation(ADATUM, { ...values });
    if (created.ok) setSent(created.attestation.acceptanceUrl);
    else setSent(created.stage === "backend" ? created.error.message : created.errors.map((e) => e.message).join(" "));
  };
  return (
    <form ref={form} noValidate onSubmit={onSubmit} aria-labelledby="own-form-title">
      <input type="hidden" name="agreementType" value="MicrosoftCustomerAgreement" />
      <label htmlFor="signatory-first">Signatory's first name</label>
      <input id="signatory-first" {...field("firstName")} />
      <label htmlFor="signatory-last">Signatory's last name</label>
      <input id="signatory-last" {...field("lastName")} />
      <label htmlFor="signatory-email">Signatory's email address</label>
      <input id="signatory-email" type="email" {...field("email")} />
      <label htmlFor="signatory-country">Country</label>
      <select id="signatory-country" {...field("country")}>
        <option value="ES">Spain</option>
        <option value="FR">France</option>
        <option value="US">United States</option>
      </select>
      <label htmlFor="signatory-language">Language of the agreement</label>
      <select id="signatory-language" {...field("language")}>
        <option value="es-ES">Spanish</option>
        <option value="fr-FR">French</option>
        <option value="en-US">English (United States)</option>
      </select>
      <p role="status" aria-label="Form status">
        {result === undefined ? "Not checked yet" : result.valid ? "Ready to send" : `${result.errors.length} problems`}
      </p>
      <button type="submit">Send Adatum Ibérica the agreement</button>
      {sent && <p>Acceptance link: {sent}</p>}
    </form>
  );
}
