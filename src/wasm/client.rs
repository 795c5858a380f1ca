//! The Partner Center client: the requests of SPEC §5 with their headers, retries with backoff
//! and `Retry-After`, a timeout, and the confirmation flow metadata → POST → read back; each
//! request performed by `js/request.js`. The bearer token comes from the portal's provider at
//! every request and is never kept.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Array, Function, Promise, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use super::compact::Node;
use super::convert::{browser_today, context_of, to_js, validation_options};
use super::input::{self, function_of, Args, FromNode, Obj};
use crate::checks::fields::normalize_customer_id;
use crate::checks::form;
use crate::checks::form::ConfirmationForm;
use crate::checks::issues::Issue;
use crate::checks::messages::{self, Locale};
use crate::flows::attestation::{self as enhanced, read_attestation, Attestation, AttestationFlow};
use crate::flows::backend::{ErrorBody, Failure};
use crate::flows::confirm::{Answer, Call, ConfirmFlow, Outcome, Step};
use crate::flows::endpoints::{self, Endpoint};
use crate::flows::exchange::{Ending, Exchange, Next};
use crate::flows::origin::{check_api_base, is_header_value, is_web_link};
use crate::flows::payload::{answers, Agreement};
use crate::flows::retry::RetryPolicy;
use crate::rules::agreement::AgreementType;
use crate::rules::route::Route;
use crate::rules::standing::{customer_standing, Standing};

use super::ledger::{acceptance_page_of, now_on, record_after, Kept, LedgerLink};
use super::page::page_origin;
use super::results::{
    not_accepted_message, AttestationCreated, AttestationRead, AttestationResult, Completed,
    CompletionResult, ConfirmResult, Confirmed, NotAccepted, Outcome as _, PartnerCenterError,
    RequestFailure, Results,
};
use super::shapes::ValidationOptions;
use crate::rules::date::Instant;

#[wasm_bindgen(module = "/js/request.js")]
extern "C" {
    /// One HTTP request, performed by JavaScript (`fetch`): see `js/request.js`.
    #[wasm_bindgen(js_name = fetchJson)]
    fn fetch_json(
        method: &str,
        url: &str,
        headers: &str,
        body: Option<String>,
        timeout_ms: u32,
    ) -> Promise;
}

/// How to reach Partner Center (or the sandbox). `getToken` and `ledger` are read for their
/// presence here, and taken as they are from the argument.
#[allow(dead_code)]
#[csp_agreements_derive::optional_members]
#[derive(Debug, tsify::Tsify, csp_agreements_derive::Readable)]
#[serde(rename_all = "camelCase")]
pub struct ClientOptions {
    /// Base URL of the API, e.g. "https://api.partnercenter.microsoft.com" or "" for the same
    /// origin.
    pub api_base: String,
    /// Called before every request; returns the bearer token (never stored by the module).
    #[tsify(type = "() => string | Promise<string>")]
    pub get_token: Option<input::Given>,
    /// Where the attestations sent are kept, from sending to recorded (an `AttestationLedger`
    /// of csp-agreements/ledger): the client writes each one there, refuses a second live one
    /// for a customer, and refuses to complete one for another customer. Without it, nothing
    /// is kept.
    #[tsify(optional, type = "AttestationLedgerLike")]
    pub ledger: Option<input::Given>,
    /// Language of the error messages; default en-US.
    #[tsify(optional, type = "Locale | string")]
    pub locale: Option<Locale>,
    /// Per-attempt timeout in milliseconds; default 15000.
    #[read(whole(0, u32::MAX))]
    pub timeout_ms: Option<u32>,
    /// Attempts per request for retryable failures (network, 408, 429, 5xx); default 3. A 429
    /// with `Retry-After` is waited for without using up an attempt, ten times at most (none
    /// with `maxAttempts: 1`).
    #[read(whole(0, u32::MAX))]
    pub max_attempts: Option<u32>,
    /// Delay before the first retry in milliseconds (doubled each time, jittered); default 500.
    #[read(whole(0, u32::MAX))]
    pub retry_base_delay_ms: Option<u32>,
    /// Where a customer accepts an attestation, the id appended: default Partner Center's
    /// ("https://cdn.partner.microsoft.com/mca/?attestationid="); the sandbox's is
    /// "<its origin>/accept/". An https: URL, or one of this page's origin.
    pub acceptance_page: Option<String>,
}

/// The options of `confirm` and `createAttestation`: those of `validateConfirmation`, and the
/// `MS-RequestId` of what the call creates. A caller that tries again after a failure gives the
/// same `requestId` each time (a new UUID per confirmation, kept until it succeeds), so that a
/// creation recorded but never answered is not made twice: the backend answers the repeat with
/// the first answer.
#[derive(Debug, Default, tsify::Tsify, csp_agreements_derive::Readable)]
#[serde(rename_all = "camelCase")]
pub struct SendOptions {
    /// The options of `validateConfirmation`.
    #[serde(flatten)]
    pub validation: ValidationOptions,
    /// The `MS-RequestId` of what the call creates.
    #[tsify(optional)]
    pub request_id: Option<String>,
}

const DEFAULT_TIMEOUT_MS: u32 = 15_000;

pub(super) struct Inner {
    api_base: String,
    get_token: Function,
    locale: Locale,
    timeout_ms: u32,
    policy: RetryPolicy,
    /// A confirmation is being sent: a second one is refused until it ends.
    confirming: Cell<bool>,
    /// Where attestations are kept, when the portal gave a ledger.
    pub(super) ledger: Option<LedgerLink>,
    /// Where a customer accepts (the attestation id appended).
    pub(super) acceptance_page: String,
    /// Requests sent, and answers of throttling (429) met, so far (a portfolio's figures and
    /// its backoff).
    pub(super) requests: Cell<u32>,
    pub(super) throttled: Cell<u32>,
}

/// A client of the Partner Center agreement API (or of the local sandbox, which speaks the same
/// contract). Every method returns a Promise; failed requests reject with a
/// `PartnerCenterError`, except `confirm`, whose failures are values.
#[wasm_bindgen]
pub struct PartnerCenterClient {
    pub(super) inner: Rc<Inner>,
}

/// A JS value (a parsed answer) read as its declared shape; `undefined` or `null` reads as the
/// shape's default.
fn read_as<T: for<'a> FromNode<'a> + Default>(path: &str, value: &JsValue) -> Result<T, JsError> {
    read(value, |node| input::options_of(path, node))
}

/// The template id of an agreement's metadata item (None: it has none, or not as text).
fn template_id_of(metadata: &JsValue) -> Option<String> {
    read_as::<answers::Metadata>("metadata", metadata)
        .ok()
        .and_then(|metadata| metadata.template_id)
}

/// Reads a JS value (an argument, a parsed answer) through its text.
fn read<T>(value: &JsValue, f: impl FnOnce(&Node) -> Result<T, JsError>) -> Result<T, JsError> {
    let args = Args::one(value);
    let [node, _, _] = args.nodes()?;
    f(&node)
}

#[wasm_bindgen]
impl PartnerCenterClient {
    /// A client for `options.apiBase`, taking its bearer token from `options.getToken`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "ClientOptions")] options: JsValue,
    ) -> Result<PartnerCenterClient, JsError> {
        let args = Args::one(&options);
        let [node, _, _] = args.nodes()?;
        let settings = ClientOptions::read("options", &node)?;
        let get_token = function_of(&options, "getToken").ok_or_else(|| {
            JsError::new("options.getToken: expected a function returning the bearer token")
        })?;
        let defaults = RetryPolicy::default();
        let max_attempts = settings
            .max_attempts
            .unwrap_or(defaults.max_attempts)
            .clamp(1, 10);
        Ok(PartnerCenterClient {
            inner: Rc::new(Inner {
                api_base: check_api_base(&settings.api_base, page_origin().as_deref())
                    .map_err(|problem| JsError::new(problem.message()))?,
                get_token,
                locale: settings.locale.unwrap_or_default(),
                timeout_ms: settings.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS).max(1),
                policy: RetryPolicy {
                    max_attempts,
                    base_delay_ms: settings
                        .retry_base_delay_ms
                        .unwrap_or(defaults.base_delay_ms),
                    max_delay_ms: defaults.max_delay_ms,
                    // One attempt asked: no retry at all, throttled or not.
                    max_throttled: if max_attempts == 1 {
                        0
                    } else {
                        defaults.max_throttled
                    },
                },
                confirming: Cell::new(false),
                ledger: LedgerLink::of(&options)?,
                acceptance_page: acceptance_page_of(settings.acceptance_page.as_deref())?,
                requests: Cell::new(0),
                throttled: Cell::new(0),
            }),
        })
    }

    /// The metadata (template id) of an agreement: `GET /v1/agreements?agreementType=...`.
    #[wasm_bindgen(js_name = agreementMetadata, unchecked_return_type = "Promise<AgreementMetadata>")]
    pub fn agreement_metadata(
        &self,
        #[wasm_bindgen(js_name = agreementType, unchecked_param_type = "AgreementType")]
        agreement_type: String,
    ) -> Promise {
        let inner = self.inner.clone();
        super::task::promise(async move {
            let agreement = input::wire_value::<AgreementType>("agreementType", &agreement_type)?;
            let correlation = new_id();
            let metadata = inner
                .metadata(agreement, &correlation)
                .await
                .map_err(|f| inner.error(f, &correlation))?;
            Ok(metadata)
        })
    }

    /// A customer's confirmations of one agreement (default: the Customer Agreement; the API's
    /// own default would be the Cloud Agreement).
    #[wasm_bindgen(js_name = customerAgreements, unchecked_return_type = "Promise<Agreement[]>")]
    pub fn customer_agreements(
        &self,
        #[wasm_bindgen(js_name = customerId)] customer_id: String,
        #[wasm_bindgen(js_name = agreementType, unchecked_param_type = "AgreementType | undefined")]
        agreement_type: Option<String>,
    ) -> Promise {
        let inner = self.inner.clone();
        super::task::promise(async move {
            let agreement = match agreement_type {
                Some(t) => input::wire_value::<AgreementType>("agreementType", &t)?,
                None => AgreementType::MicrosoftCustomerAgreement,
            };
            let id = customer_id_arg(&customer_id)?;
            let correlation = new_id();
            let list = inner
                .agreements(&id, agreement, &correlation)
                .await
                .map_err(|f| inner.error(f, &correlation))?;
            Ok(list)
        })
    }

    /// Confirms a customer's acceptance: checks the form (as `validateConfirmation`, with the
    /// same options), reads the agreement's template id and the customer's confirmations,
    /// checks again (duplicates, template), sends it (one `MS-RequestId`, reused on retries) and
    /// reads the confirmations back. Resolves to a `ConfirmResult`: a refused confirmation is a
    /// value, not a rejection. A second call while one is being sent rejects.
    #[wasm_bindgen(unchecked_return_type = "Promise<ConfirmResult>")]
    pub fn confirm(
        &self,
        #[wasm_bindgen(js_name = customerId)] customer_id: String,
        #[wasm_bindgen(unchecked_param_type = "ConfirmationForm")] form: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SendOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        let (form, context, locale, request_id) =
            match sending_arguments::<ConfirmationForm>(&form, options) {
                Ok(arguments) => arguments,
                Err(error) => return Promise::reject(&error.into()),
            };
        if inner.confirming.replace(true) {
            return Promise::reject(&JsError::new("a confirmation is already being sent").into());
        }
        // The route of the day (Partner Center's, UTC), judged now, at the submission; never
        // a fallback to the other.
        let route = context.route();
        super::task::promise(async move {
            let id = request_id.as_deref();
            let result = match route {
                Route::Legacy => inner.confirm(&customer_id, form, context, locale, id).await,
                Route::Enhanced => {
                    let start =
                        || AttestationFlow::create_from_confirmation(&customer_id, &form, &context);
                    let created = inner.create(&customer_id, &start, context.today, id).await;
                    let (outcome, correlation, kept) = created;
                    let route = Some(Route::Enhanced);
                    inner.attestation_result(outcome, &correlation, locale, route, kept)
                }
            };
            inner.confirming.set(false);
            result
        })
    }

    /// Sends the Customer Agreement for the customer's acceptance (the enhanced attestation
    /// flow): checks the form (and, with `options.role`/`partnerType`, who may), reads the
    /// customer's company name when the form has none, and creates the attestation (one
    /// `MS-RequestId`, reused on retries). Resolves to an `AttestationResult` whose attestation
    /// holds the link to give the customer.
    #[wasm_bindgen(js_name = createAttestation, unchecked_return_type = "Promise<AttestationResult>")]
    pub fn create_attestation(
        &self,
        #[wasm_bindgen(js_name = customerId)] customer_id: String,
        #[wasm_bindgen(unchecked_param_type = "AttestationForm")] form: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "SendOptions")] options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        super::task::promise(async move {
            let (form, context, locale, request_id) =
                sending_arguments::<enhanced::AttestationForm>(&form, options)?;
            let start = || AttestationFlow::create(&customer_id, &form, &context);
            let id = request_id.as_deref();
            let (outcome, correlation, kept) =
                inner.create(&customer_id, &start, context.today, id).await;
            inner.attestation_result(outcome, &correlation, locale, None, kept)
        })
    }

    /// Can this customer be ordered for today, and if not, what the partner must do: the
    /// partner's confirmations of both agreements and the customer's direct acceptance, judged
    /// on Partner Center's day (UTC) under the refresh rule. `options`: the day, environment,
    /// policy and locale, as `validateConfirmation` takes them.
    #[wasm_bindgen(js_name = customerAgreementStatus, unchecked_return_type = "Promise<CustomerAgreementStatus>")]
    pub fn customer_agreement_status(
        &self,
        #[wasm_bindgen(js_name = customerId)] customer_id: String,
        #[wasm_bindgen(unchecked_optional_param_type = "ValidationOptions")] options: Option<
            JsValue,
        >,
    ) -> Promise {
        let inner = self.inner.clone();
        super::task::promise(async move {
            let (context, locale) = options_context(&options.unwrap_or(JsValue::UNDEFINED))?;
            let id = customer_id_arg(&customer_id)?;
            let correlation = new_id();
            let (day, standing, agreements) = inner
                .standing(&id, &context, &correlation)
                .await
                .map_err(|f| inner.error(f, &correlation))?;
            let standing = match &inner.ledger {
                Some(ledger) => {
                    standing.with_ledger(&ledger.records_of(&id), &id, now_on(context.today))
                }
                None => standing,
            };
            to_js(&CustomerAgreementStatus {
                customer_id: id,
                day: crate::rules::date::format_date(day),
                orderable: standing.verdict.allowed,
                next_step: standing.next_step,
                message: messages::standing_message(&standing, locale),
                in_flight: standing.in_flight.clone(),
                reason: standing.verdict.reason.code(),
                reason_message: messages::gate_message(&standing.verdict, locale),
                partner_center_code: standing.verdict.partner_center_code(),
                route: standing.route,
                direct_acceptance: standing.direct_acceptance,
                latest_attestation: standing
                    .latest_attestation
                    .map(crate::rules::date::format_date),
                agreements,
            })
            .map_err(JsValue::from)
        })
    }

    /// Creates a customer: `POST /v1/customers` (one `MS-RequestId`, reused on retries).
    #[wasm_bindgen(js_name = createCustomer, unchecked_return_type = "Promise<Customer>")]
    pub fn create_customer(
        &self,
        #[wasm_bindgen(unchecked_param_type = "NewCustomer")] customer: JsValue,
    ) -> Promise {
        let inner = self.inner.clone();
        super::task::promise(async move {
            read(&customer, |node| Obj::required("customer", node).map(drop))?;
            let body = JSON::stringify(&customer)
                .map(String::from)
                .map_err(|_| JsError::new("customer: not serializable"))?;
            inner
                .request(&endpoints::create_customer(), Some(body))
                .await
        })
    }

    /// Customers whose company name or domain contains `text` (at most `size`, default 20).
    #[wasm_bindgen(js_name = searchCustomers, unchecked_return_type = "Promise<Customer[]>")]
    pub fn search_customers(&self, text: String, size: Option<u32>) -> Promise {
        let inner = self.inner.clone();
        super::task::promise(async move {
            let size = size.unwrap_or(20).clamp(1, 100);
            let endpoint = endpoints::search_customers(text.trim(), size);
            let collection = inner.request(&endpoint, None).await?;
            Ok(items_of(&collection))
        })
    }

    /// One customer.
    #[wasm_bindgen(unchecked_return_type = "Promise<Customer>")]
    pub fn customer(&self, #[wasm_bindgen(js_name = customerId)] customer_id: String) -> Promise {
        let inner = self.inner.clone();
        super::task::promise(async move {
            let id = customer_id_arg(&customer_id)?;
            inner.request(&endpoints::customer(&id), None).await
        })
    }

    /// A download link for the Customer Agreement template of a country, in one of its
    /// languages (`GET /v1/agreementtemplates/{templateId}/document`). The link expires after
    /// five minutes: ask for it when the user clicks.
    #[wasm_bindgen(js_name = templateDocument, unchecked_return_type = "Promise<AgreementDocument>")]
    pub fn template_document(&self, country: String, language: Option<String>) -> Promise {
        let inner = self.inner.clone();
        super::task::promise(async move {
            let found = crate::rules::countries::find(&country).ok_or_else(|| {
                JsError::new(&crate::text!(
                    "country: ",
                    input::quote(&country),
                    " is not a template country"
                ))
            })?;
            let language = language
                .as_deref()
                .and_then(|l| crate::rules::countries::find_language(&found, l))
                .unwrap_or(crate::rules::countries::DEFAULT_LANGUAGE);
            let correlation = new_id();
            let metadata = inner
                .metadata(AgreementType::MicrosoftCustomerAgreement, &correlation)
                .await
                .map_err(|f| inner.error(f, &correlation))?;
            let template_id = read_as::<answers::Metadata>("metadata", &metadata)?
                .template_id
                .ok_or_else(|| JsError::new("metadata.templateId: expected a string"))?;
            let endpoint = endpoints::template_document(&template_id, found.code, language);
            let document = inner
                .send(&endpoint, None, &correlation)
                .await
                .map_err(|f| inner.error(f, &correlation))?;
            // Only http(s) links reach the page: a javascript: link would run when clicked.
            let safe = read_as::<answers::TemplateDocument>("document", &document).map(|links| {
                let origin = page_origin();
                [links.display_uri, links.download_uri].iter().all(|link| {
                    link.as_deref()
                        .is_some_and(|l| is_web_link(l, origin.as_deref()))
                })
            });
            if !safe.unwrap_or(false) {
                return Err(inner.error(Failure::unexpected(), &correlation));
            }
            Ok(document)
        })
    }
}

/// A customer's standing today (`customerAgreementStatus`).
#[serde_with::skip_serializing_none]
#[derive(Debug, serde::Serialize, tsify::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct CustomerAgreementStatus {
    /// The customer.
    customer_id: String,
    /// Partner Center's day (UTC) it was judged on, YYYY-MM-DD.
    day: String,
    /// A new order can be placed.
    orderable: bool,
    /// What the partner must do first.
    next_step: crate::rules::standing::NextStep,
    /// The message saying it.
    message: String,
    /// The attestation in flight, from the client's ledger (waiting, to complete, expired).
    in_flight: Option<crate::rules::standing::InFlight>,
    /// The order gate's reason.
    reason: crate::rules::gate::GateReasonCode,
    /// Its message.
    reason_message: String,
    /// Partner Center's code for the refusal.
    partner_center_code: Option<u32>,
    /// The route a confirmation takes on the day.
    route: Route,
    /// The customer accepted directly (Microsoft 365 admin center).
    direct_acceptance: bool,
    /// The latest partner confirmation of the Customer Agreement (YYYY-MM-DD).
    latest_attestation: Option<String>,
    /// The partner's confirmations of both agreements.
    agreements: Vec<Agreement>,
}

/// The form and the options of `confirm` and `createAttestation`: the form read as `F`, the
/// checks' context, their language, and the request id.
fn sending_arguments<F: for<'a> FromNode<'a>>(
    form: &JsValue,
    options: Option<JsValue>,
) -> Result<(F, form::Context, Locale, Option<String>), JsError> {
    let options = options.unwrap_or(JsValue::UNDEFINED);
    let args = Args::of(form, &options, &JsValue::UNDEFINED);
    let [form, options, _] = args.nodes()?;
    let form = F::read("form", &form)?;
    let (validation, request_id) = send_options(&options)?;
    let (context, locale, _) = context_of(validation)?;
    Ok((form, context, locale, request_id))
}

/// The options of `confirm` and `createAttestation`, with `options.requestId` checked: the
/// `MS-RequestId` of what a call creates, kept by a caller that tries again after a failure, so
/// that a creation whose answer was lost is not made twice.
fn send_options(options: &Node) -> Result<(ValidationOptions, Option<String>), JsError> {
    let SendOptions {
        validation,
        request_id,
    } = input::options_of("options", options)?;
    match request_id {
        // It travels in a header: no line break, nothing outside Latin-1.
        Some(id) if id.trim().is_empty() || id.len() > 100 || !is_header_value(&id) => Err(
            JsError::new("options.requestId: expected a non-empty id (a UUID)"),
        ),
        id => Ok((validation, id)),
    }
}

/// A request's JSON body, written by the module's writer (serde_json's would add its error
/// texts to the module).
pub(super) fn json_body<T: serde::Serialize>(value: &T) -> Result<String, JsError> {
    to_js(value).and_then(|value| {
        JSON::stringify(&value)
            .map(String::from)
            .map_err(|_| JsError::new("payload"))
    })
}

/// An attestation in an answer, its link the answer's or built from its id on
/// `acceptance_page`, when that link is a web link (a `javascript:` link would run when
/// clicked; a plain `http:` one to anywhere could be changed on the way).
fn attestation_of(value: &JsValue, acceptance_page: &str) -> Option<Attestation> {
    read(value, |node| {
        Ok(Obj::optional("attestation", node)?
            .and_then(|obj| read_attestation(|key| obj.str(key).ok().flatten(), acceptance_page)))
    })
    .ok()
    .flatten()
    .filter(|a| is_web_link(&a.acceptance_url, page_origin().as_deref()))
}

/// A customer id argument, normalized (lower case, no braces), or the error naming it.
pub(super) fn customer_id_arg(id: &str) -> Result<String, JsError> {
    normalize_customer_id(id.trim()).ok_or_else(|| {
        JsError::new(&crate::text!(
            "customerId: ",
            input::quote(id),
            " is not a GUID"
        ))
    })
}

/// The `items` of a collection (an empty array when there are none).
fn items_of(collection: &JsValue) -> JsValue {
    js_sys::Reflect::get(collection, &"items".into())
        .ok()
        .filter(Array::is_array)
        .unwrap_or_else(|| Array::new().into())
}

/// A random (v4) UUID, from the platform's cryptographic generator.
pub(super) fn new_id() -> String {
    let mut bytes = [0u8; 16];
    super::convert::fill_random(&mut bytes);
    hyphenated(bytes)
}

/// A UUID's usual text, lower case (uuid's own writer: its `Display` would bring the
/// formatting machinery).
fn hyphenated(bytes: [u8; 16]) -> String {
    let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
    uuid.hyphenated()
        .encode_lower(&mut uuid::Uuid::encode_buffer())
        .to_string()
}

/// `count` random (v4) UUIDs from few calls of the platform's generator (one per 4 096 ids:
/// `getRandomValues` takes at most 65 536 bytes; a call per id cost most of a sending's start).
pub(super) fn new_ids(count: usize) -> Vec<String> {
    let mut bytes = vec![0u8; count * 16];
    for chunk in bytes.chunks_mut(65_536) {
        super::convert::fill_random(chunk);
    }
    bytes
        .chunks_exact(16)
        .map(|b| {
            let mut id = [0u8; 16];
            id.copy_from_slice(b);
            hyphenated(id)
        })
        .collect()
}

/// The day, the environment and the language of a call's `options` (those of
/// `validateConfirmation`).
fn options_context(options: &JsValue) -> Result<(crate::checks::form::Context, Locale), JsError> {
    let args = Args::one(options);
    let [options, _, _] = args.nodes()?;
    let (context, locale, _) = context_of(validation_options(&options)?)?;
    Ok((context, locale))
}

/// The methods that take up an attestation already sent, each with its first step (they share
/// their parameters and what they answer: see `existing_attestation`).
macro_rules! existing_attestation_methods {
    ($($(#[doc = $doc:tt])* $name:ident as $js:tt -> $result:tt: $start:path;)*) => {
        #[wasm_bindgen]
        impl PartnerCenterClient {
            $(
                $(#[doc = $doc])*
                #[wasm_bindgen(js_name = $js, unchecked_return_type = $result)]
                pub fn $name(
                    &self,
                    #[wasm_bindgen(js_name = customerId)] customer_id: String,
                    #[wasm_bindgen(js_name = attestationId)] attestation_id: String,
                    #[wasm_bindgen(unchecked_optional_param_type = "ValidationOptions")]
                    options: Option<JsValue>,
                ) -> Promise {
                    self.existing_attestation($start, customer_id, attestation_id, options)
                }
            )*
        }
    };
}

// The docs as `#[doc = "..."]`: wasm-bindgen reads a `///` passed through a macro (a raw
// string) with its quotes.
existing_attestation_methods! {
    #[doc = " Reads an attestation's status again (no polling: call it when the partner asks)."]
    attestation as attestation -> "Promise<AttestationResult>": AttestationFlow::check;
    #[doc = " Completes an attestation the customer accepted, which records the agreement: reads it"]
    #[doc = " first (nothing is sent before the acceptance), then the template id, then sends the"]
    #[doc = " completion; a completion whose answer is lost is concluded from the attestation's"]
    #[doc = " status, never sent twice."]
    complete_attestation as completeAttestation -> "Promise<CompletionResult>":
        AttestationFlow::complete;
}

impl PartnerCenterClient {
    /// Drives the flow that `start` begins on an existing attestation (read it, or complete
    /// it), keeps what it says in the ledger, and answers as `attestation` and
    /// `completeAttestation` do (their `options`: the day and the locale). An attestation the
    /// ledger keeps for another customer is refused before anything is sent.
    fn existing_attestation(
        &self,
        start: impl FnOnce(&str, &str) -> (AttestationFlow, enhanced::Step) + 'static,
        customer_id: String,
        attestation_id: String,
        options: Option<JsValue>,
    ) -> Promise {
        let inner = self.inner.clone();
        let options = options.unwrap_or(JsValue::UNDEFINED);
        let (context, locale) = match options_context(&options) {
            Ok(arguments) => arguments,
            Err(error) => return Promise::reject(&error.into()),
        };
        let given = !options.is_undefined() && !options.is_null();
        let locale = if given { locale } else { inner.locale };
        super::task::promise(async move {
            let correlation = new_id();
            let owner = inner.ledger.as_ref().and_then(|ledger| {
                crate::flows::ledger::owner_problem(
                    ledger.get(attestation_id.trim()).as_ref(),
                    &customer_id,
                )
            });
            let (flow, step) = match owner {
                Some(issue) => AttestationFlow::refused(vec![issue]),
                None => start(&customer_id, &attestation_id),
            };
            let attested = inner.attest(flow, step, &correlation, None).await;
            let at = now_on(context.today);
            let kept = inner
                .keep(&customer_id, attestation_id.trim(), &attested, at)
                .await;
            inner.attestation_result(attested.outcome, &correlation, locale, None, kept)
        })
    }
}

/// A customer's standing read with no request that is not needed (`Inner::lean_standing`).
pub(super) struct LeanStanding {
    pub(super) standing: Standing,
    /// Whether the customer accepted directly, when that was read.
    pub(super) direct: Option<bool>,
    /// The reads made.
    pub(super) requests: u32,
}

/// What `Inner::attest` did: how the flow ended, and the creation it sent (its request id and
/// company name), if it sent one.
pub(super) struct Attested {
    pub(super) outcome: enhanced::Outcome,
    pub(super) created: Option<(String, String)>,
}

impl Inner {
    /// Creates an attestation for the customer (`start` begins the flow; refused at once when
    /// the ledger holds a live one) and keeps it in the ledger: how it ended, its correlation
    /// id, and the store's message when the ledger could not keep it.
    async fn create(
        &self,
        customer_id: &str,
        start: &dyn Fn() -> (AttestationFlow, enhanced::Step),
        today: Option<crate::rules::date::Today>,
        request_id: Option<&str>,
    ) -> (enhanced::Outcome, String, Option<String>) {
        let correlation = new_id();
        let at = now_on(today);
        let (flow, step) = match self.sending_problem(customer_id, at) {
            Some(issue) => AttestationFlow::refused(vec![issue]),
            None => start(),
        };
        let attested = self.attest(flow, step, &correlation, request_id).await;
        let kept = self.keep(customer_id, "", &attested, at).await;
        (attested.outcome, correlation, kept)
    }

    /// The problem a new attestation for the customer meets in the ledger (its live one).
    pub(super) fn sending_problem(&self, customer_id: &str, at: Instant) -> Option<Issue> {
        let ledger = self.ledger.as_ref()?;
        let customer = normalize_customer_id(customer_id.trim())?;
        crate::flows::ledger::sending_problem(&ledger.records_of(&customer), &customer, at)
    }

    /// Keeps what the flow said in the ledger (when the portal gave one): the record of an
    /// attestation created, read or completed. The store's message when it could not.
    pub(super) async fn keep(
        &self,
        customer_id: &str,
        attestation_id: &str,
        attested: &Attested,
        at: Instant,
    ) -> Option<String> {
        let ledger = self.ledger.as_ref()?;
        let id = match &attested.outcome {
            enhanced::Outcome::Attestation(a) | enhanced::Outcome::NotAccepted(a) => {
                a.attestation_id.as_str()
            }
            enhanced::Outcome::Completed { attestation_id, .. } => attestation_id.as_str(),
            _ => attestation_id,
        };
        let kept = match &attested.created {
            Some((request_id, company)) => Kept::Created {
                request_id: request_id.clone(),
                company_name: Some(company.clone()),
            },
            None => Kept::Read,
        };
        let known = if id.is_empty() { None } else { ledger.get(id) };
        let record = record_after(
            known,
            customer_id.trim(),
            id,
            &attested.outcome,
            kept,
            ledger.sent_by(),
            at,
        )?;
        ledger.put(&record).await.err()
    }
}

fn jitter() -> f64 {
    let mut byte = [0u8; 1];
    super::convert::fill_random(&mut byte);
    f64::from(byte[0]) / 256.0
}

impl Inner {
    /// The bearer token, from the portal's provider (a string or a Promise of one).
    async fn token(&self) -> Option<String> {
        let value = self.get_token.call0(&JsValue::NULL).ok()?;
        let value = match value.dyn_into::<Promise>() {
            Ok(promise) => JsFuture::from(promise).await.ok()?,
            Err(value) => value,
        };
        value.as_string().filter(|t| !t.trim().is_empty())
    }

    /// Sends one request, retrying as `Exchange` decides, and returns the parsed JSON body.
    /// One request of its own (a correlation id of its own), its failure as the
    /// `PartnerCenterError` the promises reject with.
    async fn request(&self, endpoint: &Endpoint, body: Option<String>) -> Result<JsValue, JsValue> {
        let correlation = new_id();
        self.send(endpoint, body, &correlation)
            .await
            .map_err(|f| self.error(f, &correlation))
    }

    /// `send_with` with a request id of its own and no more headers.
    fn send<'a>(
        &'a self,
        endpoint: &'a Endpoint,
        body: Option<String>,
        correlation: &'a str,
    ) -> impl Future<Output = Result<JsValue, Failure>> + 'a {
        self.send_with(endpoint, body, correlation, None, &[])
    }

    /// `send_with` with a given `MS-RequestId`, the same for all the attempts of this request:
    /// the idempotency key (a bulk row keeps its own across reloads).
    pub(super) fn send_as<'a>(
        &'a self,
        endpoint: &'a Endpoint,
        body: Option<String>,
        correlation: &'a str,
        request_id: &'a str,
    ) -> impl Future<Output = Result<JsValue, Failure>> + 'a {
        self.send_with(endpoint, body, correlation, Some(request_id), &[])
    }

    /// One request with its retries: its `MS-RequestId` (a new one when not given) and more
    /// headers (a page link's `MS-ContinuationToken`). Every header value is checked before the
    /// request is built: a browser throws on one it cannot send (CR, LF, beyond Latin-1), deep
    /// inside the request, where no promise would ever settle.
    pub(super) async fn send_with(
        &self,
        endpoint: &Endpoint,
        body: Option<String>,
        correlation: &str,
        request_id: Option<&str>,
        extra: &[(String, String)],
    ) -> Result<JsValue, Failure> {
        let request_id = request_id.map_or_else(new_id, str::to_string);
        let request_id = request_id.as_str();
        let Endpoint { method, path } = endpoint;
        let url = crate::text!(self.api_base, path);
        let mut exchange = Exchange::new(self.policy);
        let ours = [request_id, correlation];
        let theirs = extra.iter().map(|(_, value)| value.as_str());
        if !ours.into_iter().chain(theirs).all(is_header_value) {
            return Err(Failure::unexpected());
        }
        loop {
            // A token that cannot travel in a header is no token.
            let Some(token) = self.token().await.filter(|t| is_header_value(t)) else {
                return Err(exchange.no_token());
            };
            self.requests.set(self.requests.get().saturating_add(1));
            let mut headers = crate::text!(
                "Authorization: Bearer ",
                token,
                "\nAccept: application/json\n\
                 MS-RequestId: ",
                request_id,
                "\nMS-CorrelationId: ",
                correlation,
                "\nX-Locale: ",
                self.locale.as_str()
            );
            drop(token);
            for (name, value) in extra {
                headers.push('\n');
                headers.push_str(name);
                headers.push_str(": ");
                headers.push_str(value);
            }
            if body.is_some() {
                headers.push_str("\nContent-Type: application/json");
            }
            // The timer runs until the body is read: a server that stalls after the headers is
            // a timeout like one that never answers.
            let sent = fetch_json(method, &url, &headers, body.clone(), self.timeout_ms);
            drop(headers);
            let answer = JsFuture::from(sent).await;
            let mut parsed = JsValue::NULL;
            let ending = match answer {
                Ok(answer) => {
                    let answer: Array = answer.unchecked_into();
                    let status = answer.get(0).as_f64().map_or(0, |s| s as u16);
                    if status == 429 {
                        self.throttled.set(self.throttled.get().saturating_add(1));
                    }
                    let json = answer.get(1);
                    let read = answer.get(2).is_truthy();
                    match ((200..300).contains(&status), read) {
                        (true, true) => {
                            parsed = json;
                            Ending::Success
                        }
                        // A success whose JSON is cut short: the answer was lost on the way.
                        (true, false) => Ending::Lost { timed_out: false },
                        (false, _) => Ending::Refused {
                            status,
                            retry_after: answer.get(3).as_string(),
                            body: if read {
                                error_body(&json)
                            } else {
                                ErrorBody::default()
                            },
                        },
                    }
                }
                Err(timed_out) => Ending::Lost {
                    timed_out: timed_out.is_truthy(),
                },
            };
            match exchange.on_ending(ending, js_sys::Date::now(), jitter()) {
                Next::Done => return Ok(parsed),
                Next::Retry { after_ms } => gloo_timers::future::TimeoutFuture::new(after_ms).await,
                Next::Fail(failure) => return Err(failure),
            }
        }
    }

    /// A customer's standing on Partner Center's day: the partner's confirmations of both
    /// agreements and the customer's direct acceptance, read and judged.
    pub(super) async fn standing(
        &self,
        id: &str,
        context: &form::Context,
        correlation: &str,
    ) -> Result<(chrono::NaiveDate, Standing, Vec<Agreement>), Failure> {
        let mut agreements = Vec::new();
        for agreement in AgreementType::ALL {
            agreements.extend(self.agreement_list(id, *agreement, correlation).await?);
        }
        let signed = self.direct_acceptance(id, correlation).await?;
        let day = context.today.map_or_else(|| browser_today().utc, |t| t.utc);
        let standing = customer_standing(day, &agreements, signed, &context.scope);
        Ok((day, standing, agreements))
    }

    /// A customer's standing from the reads it needs only (`StandingReads`): the Customer
    /// Agreement confirmations first, then the Cloud Agreement's or the direct acceptance when
    /// they do not settle it. One request for a customer whose confirmation counts, two at most.
    pub(super) async fn lean_standing(
        &self,
        id: &str,
        context: &form::Context,
        correlation: &str,
    ) -> Result<LeanStanding, Failure> {
        use crate::rules::standing::{Read, StandingReads};
        let day = context.today.map_or_else(|| browser_today().utc, |t| t.utc);
        let (mut reads, mut read) = StandingReads::new(day, context.scope, false);
        let mut direct = None;
        loop {
            let next = match read {
                Read::Agreements(agreement) => {
                    let list = self.agreement_list(id, agreement, correlation).await?;
                    reads.on_agreements(list)
                }
                Read::Direct => {
                    let signed = self.direct_acceptance(id, correlation).await?;
                    direct = Some(signed);
                    reads.on_direct(signed)
                }
            };
            match next {
                Some(next) => read = next,
                None => break,
            }
        }
        Ok(LeanStanding {
            standing: reads.standing(),
            direct,
            requests: reads.requests() as u32,
        })
    }

    /// Whether the customer accepted the Customer Agreement directly (Microsoft 365 admin
    /// center): `GET /v1/customers/{id}/directSignedMicrosoftCustomerAgreementStatus`.
    pub(super) async fn direct_acceptance(
        &self,
        id: &str,
        correlation: &str,
    ) -> Result<bool, Failure> {
        let endpoint = endpoints::direct_acceptance(id);
        let direct = self.send(&endpoint, None, correlation).await?;
        let direct = read_as::<answers::DirectAcceptance>("status", &direct)
            .map_err(|_| Failure::unexpected())?;
        Ok(direct.is_signed.unwrap_or(false))
    }

    /// The language of the client's messages.
    pub(super) fn locale(&self) -> Locale {
        self.locale
    }

    /// The metadata item of an agreement type.
    async fn metadata(
        &self,
        agreement: AgreementType,
        correlation: &str,
    ) -> Result<JsValue, Failure> {
        let endpoint = endpoints::agreement_metadata(agreement);
        let collection = self.send(&endpoint, None, correlation).await?;
        let items = Array::from(&items_of(&collection));
        items
            .iter()
            .find(|item| {
                js_sys::Reflect::get(item, &"agreementType".into())
                    .ok()
                    .and_then(|t| t.as_string())
                    .as_deref()
                    == Some(agreement.as_str())
            })
            .ok_or(Failure {
                status: Some(200),
                ..Failure::unexpected()
            })
    }

    /// A customer's confirmations of one agreement, read and normalized.
    async fn agreements(
        &self,
        customer_id: &str,
        agreement: AgreementType,
        correlation: &str,
    ) -> Result<JsValue, Failure> {
        let list = self
            .agreement_list(customer_id, agreement, correlation)
            .await?;
        to_js(&list).map_err(|_| Failure::unexpected())
    }

    pub(super) async fn agreement_list(
        &self,
        customer_id: &str,
        agreement: AgreementType,
        correlation: &str,
    ) -> Result<Vec<Agreement>, Failure> {
        let endpoint = endpoints::customer_agreements(customer_id, agreement);
        let collection = self.send(&endpoint, None, correlation).await?;
        read_as::<answers::AgreementCollection>("collection", &collection)
            .map(|collection| collection.items)
            .map_err(|_| Failure::unexpected())
    }

    /// Drives the confirmation flow of the rules crate: performs each call it asks for and
    /// gives it the answer, until it ends.
    async fn confirm(
        &self,
        customer_id: &str,
        form: form::ConfirmationForm,
        context: form::Context,
        locale: Locale,
        request_id: Option<&str>,
    ) -> Result<JsValue, JsValue> {
        let correlation = new_id();
        let (mut flow, mut step) = ConfirmFlow::start(customer_id, form, context);
        let outcome = loop {
            let call = match step {
                Step::Done(outcome) => break outcome,
                Step::Send(call) => call,
            };
            let answer = match &call {
                Call::Metadata(agreement) => match self.metadata(*agreement, &correlation).await {
                    Ok(metadata) => Answer::Metadata(template_id_of(&metadata)),
                    Err(failure) => Answer::Failed(failure),
                },
                Call::Agreements {
                    customer,
                    agreement,
                } => match self
                    .agreement_list(customer, *agreement, &correlation)
                    .await
                {
                    Ok(list) => Answer::Agreements(list),
                    Err(failure) => Answer::Failed(failure),
                },
                Call::Post { payload, .. } => {
                    let body = json_body(payload)?;
                    let endpoint = call.endpoint();
                    match self
                        .send_with(&endpoint, Some(body), &correlation, request_id, &[])
                        .await
                    {
                        Ok(value) => Answer::Created(
                            read(&value, |node| Agreement::read("response", node)).ok(),
                        ),
                        Err(failure) => Answer::Failed(failure),
                    }
                }
            };
            step = flow.on_answer(answer);
        };

        let results = Results {
            correlation: &correlation,
            locale,
        };
        let legacy = Some(Route::Legacy);
        let result = match outcome {
            Outcome::Confirmed {
                agreement,
                agreements,
                note,
                report,
            } => ConfirmResult::Confirmed(Confirmed {
                ok: true,
                route: Route::Legacy,
                agreement,
                agreements,
                correlation_id: correlation.clone(),
                warnings: results.issues(report.warnings),
                note: results.note(note),
            }),
            Outcome::Invalid(report) => {
                ConfirmResult::Failed(results.invalid(legacy, report.errors, report.warnings))
            }
            Outcome::Failed { report, failure } => ConfirmResult::Failed(results.failed(
                legacy,
                &failure,
                self.locale,
                report.errors,
                report.warnings,
            )),
        };
        result.to_js_result()
    }

    /// Drives the enhanced attestation flow of the rules crate: performs each call it asks for
    /// and gives it the answer, until it ends.
    /// `create_id`: the creation's `MS-RequestId` when the caller keeps one (a new one otherwise).
    pub(super) async fn attest(
        &self,
        mut flow: AttestationFlow,
        mut step: enhanced::Step,
        correlation: &str,
        create_id: Option<&str>,
    ) -> Attested {
        use enhanced::{Answer, Call};
        let mut created = None;
        loop {
            let call = match step {
                enhanced::Step::Done(outcome) => return Attested { outcome, created },
                enhanced::Step::Send(call) => call,
            };
            let sent = match &call {
                Call::Metadata => {
                    self.metadata(AgreementType::MicrosoftCustomerAgreement, correlation)
                        .await
                }
                _ => {
                    let endpoint = call.endpoint();
                    let id = match (&call, create_id) {
                        (Call::Create(_), Some(id)) => id.to_string(),
                        _ => new_id(),
                    };
                    if let Call::Create(request) = &call {
                        created = Some((id.clone(), request.company_name.clone()));
                    }
                    self.send_as(&endpoint, call.body(), correlation, &id).await
                }
            };
            let answer = match (sent, &call) {
                (Err(failure), _) => Answer::Failed(failure),
                (Ok(value), Call::Customer(_)) => Answer::CompanyName(
                    read_as::<answers::Customer>("customer", &value)
                        .ok()
                        .and_then(|customer| customer.company_profile.company_name),
                ),
                (Ok(value), Call::Metadata) => Answer::TemplateId(template_id_of(&value)),
                (Ok(value), Call::Create(_) | Call::Read { .. }) => {
                    Answer::Attestation(attestation_of(&value, &self.acceptance_page))
                }
                (Ok(value), Call::Complete { .. }) => {
                    Answer::Completed(read(&value, |node| Agreement::read("response", node)).ok())
                }
            };
            step = flow.on_answer(answer);
        }
    }

    /// An outcome of the attestation flow as the result its promise resolves to, its messages
    /// in `locale`; `route` tags it for `confirm`; `ledger_error`: why the ledger could not keep
    /// it.
    fn attestation_result(
        &self,
        outcome: enhanced::Outcome,
        correlation: &str,
        locale: Locale,
        route: Option<Route>,
        ledger_error: Option<String>,
    ) -> Result<JsValue, JsValue> {
        use enhanced::Outcome as O;
        let results = Results {
            correlation,
            locale,
        };
        let failure = |failure: RequestFailure| failure.with_ledger_error(ledger_error.clone());
        let attestation_failure = |f: RequestFailure| match route {
            Some(_) => ConfirmResult::Failed(failure(f)).to_js_result(),
            None => AttestationResult::Failed(failure(f)).to_js_result(),
        };
        match outcome {
            O::Attestation(attestation) => match route {
                Some(route) => ConfirmResult::Created(AttestationCreated {
                    ok: true,
                    route,
                    attestation,
                    correlation_id: correlation.into(),
                    warnings: Vec::new(),
                    ledger_error,
                })
                .to_js_result(),
                None => AttestationResult::Read(AttestationRead {
                    ok: true,
                    attestation,
                    correlation_id: correlation.into(),
                    ledger_error,
                })
                .to_js_result(),
            },
            O::Completed {
                attestation_id,
                agreement,
                note,
            } => CompletionResult::Completed(Completed {
                ok: true,
                attestation_id,
                agreement,
                note: results.note(note),
                correlation_id: correlation.into(),
                ledger_error,
            })
            .to_js_result(),
            O::NotAccepted(attestation) => CompletionResult::NotAccepted(NotAccepted {
                ok: false,
                stage: "not-accepted",
                attestation,
                message: not_accepted_message(locale),
                correlation_id: correlation.into(),
                ledger_error,
            })
            .to_js_result(),
            O::Invalid(issues) => attestation_failure(results.invalid(route, issues, Vec::new())),
            O::Failed(failed) => attestation_failure(results.failed(
                route,
                &failed,
                self.locale,
                Vec::new(),
                Vec::new(),
            )),
        }
    }

    /// A failure as the `PartnerCenterError` the promises reject with.
    fn error(&self, failure: Failure, correlation: &str) -> JsValue {
        PartnerCenterError::of(&failure, correlation, self.locale).to_error()
    }
}

/// An error body in either shape (a body that does not read as one is empty).
fn error_body(value: &JsValue) -> ErrorBody {
    read_as::<crate::flows::backend::ErrorAnswer>("error", value)
        .map(ErrorBody::from)
        .unwrap_or_default()
}
