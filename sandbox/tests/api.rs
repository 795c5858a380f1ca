//! The sandbox's contract, request by request (no network: the router is called directly).

use std::sync::Arc;

use axum::body::Body;
use axum::http::{header, Method, Request, StatusCode};
use axum::Router;
use csp_agreements::rules::date::parse_date;
use csp_sandbox::{app, seed, AppState, Config, Store};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

const TOKEN: &str = "test-token";
/// The sandbox's own address in these tests (see `base_url`).
const HOST: &str = "127.0.0.1:9";
const MCUA_TEMPLATE: &str = "117a77b0-9360-443b-8795-c6dedc750cf9";
const CLOUD_TEMPLATE: &str = "998b88de-aa99-4388-a42c-1b3517d49490";

fn sandbox(today: &str) -> (Router, Arc<AppState>) {
    sandbox_with(Store::open(None).unwrap(), today)
}

fn sandbox_with(store: Store, today: &str) -> (Router, Arc<AppState>) {
    sandbox_as(store, today, false)
}

fn sandbox_as(store: Store, today: &str, indirect_reseller: bool) -> (Router, Arc<AppState>) {
    let day = parse_date(today).unwrap();
    seed::seed_demo(&store.lock(), day, csp_sandbox::api::LINK_DAYS).unwrap();
    let root = env!("CARGO_MANIFEST_DIR");
    let config = Config {
        today: Some(day),
        indirect_reseller,
        ..Config::new(
            TOKEN,
            "http://127.0.0.1:9",
            format!("{root}/../www").into(),
            format!("{root}/tests/fixtures/package").into(),
        )
    };
    let state = AppState::new(config, store);
    (app(state.clone()), state)
}

struct Reply {
    status: StatusCode,
    headers: axum::http::HeaderMap,
    body: Value,
    text: String,
}

async fn call(
    app: &Router,
    method: Method,
    uri: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> Reply {
    let mut request = Request::builder()
        .method(method)
        .uri(uri)
        .header(header::HOST, HOST);
    request = request.header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let request = match body {
        Some(body) => request
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string())),
        None => request.body(Body::empty()),
    }
    .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).to_string();
    let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
    Reply {
        status,
        headers,
        body,
        text,
    }
}

async fn get(app: &Router, uri: &str) -> Reply {
    call(app, Method::GET, uri, None, &[]).await
}

async fn post(app: &Router, uri: &str, body: Value) -> Reply {
    call(app, Method::POST, uri, Some(body), &[]).await
}

fn confirmation(template: &str, date: &str, first: &str) -> Value {
    json!({
        "primaryContact": { "firstName": first, "lastName": "Carr", "email": "someone@example.com", "phoneNumber": "1234567890" },
        "templateId": template,
        "dateAgreed": format!("{date}T00:00:00Z"),
        "type": "MicrosoftCustomerAgreement",
    })
}

fn us() -> &'static str {
    seed::demo_customer_id("US").unwrap()
}

#[tokio::test]
async fn the_token_is_required() {
    let (app, _) = sandbox("2019-11-20");
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Basic dGVzdA=="),
        Some(TOKEN),
    ] {
        let mut request = Request::get("/v1/agreements").header(header::HOST, HOST);
        if let Some(auth) = auth {
            request = request.header(header::AUTHORIZATION, auth);
        }
        let response = app
            .clone()
            .oneshot(request.body(Body::empty()).unwrap())
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{auth:?}");
        assert!(response.headers().contains_key(header::WWW_AUTHENTICATE));
        let body: Value =
            serde_json::from_slice(&response.into_body().collect().await.unwrap().to_bytes())
                .unwrap();
        assert_eq!(
            body["code"], "401",
            "the generic error shape, code as a string"
        );
        assert!(body["description"].as_str().unwrap().contains("token"));
    }
    // The documents handed out and the site itself need no token.
    let response = app
        .clone()
        .oneshot(
            Request::get("/index.html")
                .header(header::HOST, HOST)
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    assert_ne!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn agreement_metadata_defaults_to_the_cloud_agreement() {
    let (app, _) = sandbox("2019-11-20");
    let reply = get(&app, "/v1/agreements").await;
    assert_eq!(
        reply.body["items"][0]["agreementType"],
        "MicrosoftCloudAgreement"
    );
    assert_eq!(reply.body["totalCount"], 1);
    let reply = get(
        &app,
        "/v1/agreements?agreementType=MicrosoftCustomerAgreement",
    )
    .await;
    assert_eq!(reply.body["items"][0]["templateId"], MCUA_TEMPLATE);
    assert_eq!(
        reply.body["items"][0]["agreementLink"],
        "https://aka.ms/customeragreement"
    );
    assert_eq!(reply.body["attributes"]["objectType"], "Collection");
    assert_eq!(
        get(&app, "/v1/agreements?agreementType=*").await.body["totalCount"],
        2
    );
    let reply = get(&app, "/v1/agreements?agreementType=Nope").await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["errorName"], "InvalidAgreementType");
}

#[tokio::test]
async fn confirm_then_read_back() {
    let (app, _) = sandbox("2019-11-20");
    let uri = format!("/v1/customers/{}/agreements", us());
    let reply = post(
        &app,
        &uri,
        confirmation(MCUA_TEMPLATE, "2019-11-14", "Tania"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["userId"], "3d6f2c09-eb40-48ca-a4b3-d24c9c007531");
    assert_eq!(reply.body["dateAgreed"], "2019-11-14T00:00:00Z");
    assert_eq!(reply.body["type"], "MicrosoftCustomerAgreement");

    // Reading back needs the type: the default is the Cloud Agreement.
    assert_eq!(get(&app, &uri).await.body["totalCount"], 0);
    let reply = get(
        &app,
        &format!("{uri}?agreementType=MicrosoftCustomerAgreement"),
    )
    .await;
    assert_eq!(reply.body["totalCount"], 1);
    let item = &reply.body["items"][0];
    assert_eq!(
        item["dateAgreed"], "2019-11-14T00:00:00",
        "without a zone, like the documented example"
    );
    assert_eq!(item["primaryContact"]["phoneNumber"], "1234567890");
    assert_eq!(item["agreementLink"], "https://aka.ms/customeragreement");
    // Upper-case ids find the same customer.
    let upper = format!(
        "/v1/customers/{}/agreements?agreementType=*",
        us().to_uppercase()
    );
    assert_eq!(get(&app, &upper).await.body["totalCount"], 1);
}

#[tokio::test]
async fn the_server_applies_the_same_rules() {
    let (app, _) = sandbox("2019-11-20");
    let uri = format!("/v1/customers/{}/agreements", us());

    let reply = post(
        &app,
        &uri,
        confirmation(MCUA_TEMPLATE, "2019-11-21", "Tania"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["code"], 600002);
    assert_eq!(
        reply.body["description"],
        "Date of agreement cannot be greater than the current date."
    );

    assert_eq!(
        post(
            &app,
            &uri,
            confirmation(MCUA_TEMPLATE, "2019-11-20", "Tania")
        )
        .await
        .status,
        StatusCode::CREATED
    );
    let reply = post(
        &app,
        &uri,
        confirmation(MCUA_TEMPLATE, "2019-11-19", " Tania "),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.body["code"], 600061);
    assert_eq!(
        reply.body["errorName"],
        "PartnerConfirmedAgreementAlreadyExists"
    );
    assert_eq!(reply.body["isRetryable"], false);
    // Another contact is a new confirmation.
    assert_eq!(
        post(
            &app,
            &uri,
            confirmation(MCUA_TEMPLATE, "2019-11-19", "Tanya")
        )
        .await
        .status,
        StatusCode::CREATED
    );

    let mut bad = confirmation(MCUA_TEMPLATE, "2019-11-19", "");
    bad["primaryContact"]["email"] = json!("someone@localhost");
    let reply = post(&app, &uri, bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(reply.body["errorName"], "InvalidInput");
    assert_eq!(
        reply.body["parameters"]["issues"],
        json!([{ "field": "firstName", "code": "required" }, { "field": "email", "code": "invalid-email" }])
    );

    let reply = post(
        &app,
        &uri,
        confirmation(
            "00000000-0000-0000-0000-000000000000",
            "2019-11-19",
            "Tania",
        ),
    )
    .await;
    assert_eq!(reply.body["errorName"], "InvalidTemplateId");
    let reply = post(&app, &uri, json!({ "templateId": MCUA_TEMPLATE })).await;
    assert_eq!(reply.body["errorName"], "InvalidRequestBody");
    let reply = post(
        &app,
        "/v1/customers/5b0c3a1e-0000-4000-8000-000000000000/agreements",
        confirmation(MCUA_TEMPLATE, "2019-11-19", "Tania"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::NOT_FOUND);
    assert_eq!(reply.body["code"], "404");
}

#[tokio::test]
async fn the_cloud_agreement_until_its_last_day() {
    let uri = format!("/v1/customers/{}/agreements", us());
    let mut cloud = confirmation(CLOUD_TEMPLATE, "2020-01-15", "Tania");
    cloud["type"] = json!("MicrosoftCloudAgreement");

    let (app, _) = sandbox("2020-01-31");
    let reply = post(&app, &uri, cloud.clone()).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    assert_eq!(reply.body["type"], "MicrosoftCloudAgreement");

    let (app, _) = sandbox("2020-02-01");
    let reply = post(&app, &uri, cloud.clone()).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body["description"],
        "Microsoft Cloud Agreement Template ID '998b88de-aa99-4388-a42c-1b3517d49490' is no longer supported."
    );
    // The server follows the template id, whatever the type says.
    let mut mismatched = confirmation(CLOUD_TEMPLATE, "2020-01-15", "Tania");
    mismatched["type"] = json!("MicrosoftCustomerAgreement");
    let (app, _) = sandbox("2020-01-20");
    let reply = post(&app, &uri, mismatched).await;
    assert_eq!(reply.body["type"], "MicrosoftCloudAgreement");
}

#[tokio::test]
async fn a_repeated_request_id_is_the_same_request() {
    let (app, _) = sandbox("2019-11-20");
    let uri = format!("/v1/customers/{}/agreements", us());
    let body = confirmation(MCUA_TEMPLATE, "2019-11-14", "Tania");
    let id = [
        ("MS-RequestId", "6f1c2f4e-7a5b-4c3d-9e8f-0a1b2c3d4e5f"),
        ("MS-CorrelationId", "c0ffee00-0000-4000-8000-000000000001"),
    ];
    let first = call(&app, Method::POST, &uri, Some(body.clone()), &id).await;
    assert_eq!(first.status, StatusCode::CREATED);
    assert_eq!(
        first.headers["ms-requestid"], "6f1c2f4e-7a5b-4c3d-9e8f-0a1b2c3d4e5f",
        "ids are echoed"
    );
    assert_eq!(
        first.headers["ms-correlationid"],
        "c0ffee00-0000-4000-8000-000000000001"
    );
    let again = call(&app, Method::POST, &uri, Some(body.clone()), &id).await;
    assert_eq!(
        again.status,
        StatusCode::CREATED,
        "the first response, not a duplicate error"
    );
    assert_eq!(again.body, first.body);
    let read = get(
        &app,
        &format!("{uri}?agreementType=MicrosoftCustomerAgreement"),
    )
    .await;
    assert_eq!(read.body["totalCount"], 1, "no second record");
    let other = call(
        &app,
        Method::POST,
        &uri,
        Some(confirmation(MCUA_TEMPLATE, "2019-11-14", "Tanya")),
        &id,
    )
    .await;
    assert_eq!(other.status, StatusCode::CONFLICT);
    assert_eq!(other.body["errorName"], "RequestIdConflict");
}

fn new_customer(domain: &str) -> Value {
    json!({
        "companyProfile": { "domain": domain },
        "billingProfile": {
            "companyName": "Litware Inc.", "email": "ana@litware.example", "culture": "fr-FR",
            "defaultAddress": { "country": "fr", "firstName": "Ana", "lastName": "Lima", "phoneNumber": "+33 6 12 34 56 78" }
        }
    })
}

#[tokio::test]
async fn customers_are_created_searched_and_read() {
    let (app, _) = sandbox("2019-11-20");
    let reply = post(
        &app,
        "/v1/customers",
        new_customer("litware-fr.onmicrosoft.com"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let id = reply.body["id"].as_str().unwrap().to_string();
    assert_eq!(reply.body["companyProfile"]["tenantId"], id.as_str());
    assert_eq!(
        reply.body["billingProfile"]["defaultAddress"]["country"],
        "FR"
    );
    assert_eq!(
        get(&app, &format!("/v1/customers/{id}")).await.body["companyProfile"]["companyName"],
        "Litware Inc."
    );

    let reply = post(
        &app,
        "/v1/customers",
        new_customer("LITWARE-fr.onmicrosoft.com"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::CONFLICT);
    assert_eq!(reply.body["errorName"], "DomainAlreadyExists");

    let mut bad = new_customer("not a domain");
    bad["billingProfile"]["defaultAddress"]["country"] = json!("ZZ");
    bad["billingProfile"]["email"] = json!("ana@");
    let reply = post(&app, "/v1/customers", bad).await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        reply.body["parameters"]["issues"],
        json!([{ "field": "domain", "code": "invalid-domain" }, { "field": "country", "code": "unknown-country" }, { "field": "email", "code": "invalid-email" }])
    );

    let filter = r#"{"Field":"CompanyName","Value":"cont","Operator":"starts_with"}"#;
    let reply = get(
        &app,
        &format!("/v1/customers?size=10&filter={}", urlencode(filter)),
    )
    .await;
    assert_eq!(reply.body["totalCount"], 1);
    assert_eq!(
        reply.body["items"][0]["companyProfile"]["companyName"],
        "Contoso France"
    );
    let reply = get(
        &app,
        &format!(
            "/v1/customers?filter={}",
            urlencode(r#"{"Field":"Domain","Value":"-jp.","Operator":"starts_with"}"#)
        ),
    )
    .await;
    assert_eq!(
        reply.body["items"][0]["companyProfile"]["companyName"],
        "Tailspin 株式会社"
    );
    assert_eq!(get(&app, "/v1/customers").await.body["totalCount"], 11);
    let reply = get(
        &app,
        &format!(
            "/v1/customers?filter={}",
            urlencode(r#"{"Field":"Email","Value":"x"}"#)
        ),
    )
    .await;
    assert_eq!(reply.status, StatusCode::BAD_REQUEST);
    // LIKE wildcards are searched literally.
    assert_eq!(
        get(
            &app,
            &format!(
                "/v1/customers?filter={}",
                urlencode(r#"{"Field":"CompanyName","Value":"%"}"#)
            )
        )
        .await
        .body["totalCount"],
        0
    );
    assert_eq!(
        get(&app, "/v1/customers/not-a-customer").await.status,
        StatusCode::NOT_FOUND
    );
}

fn urlencode(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn template_document_links() {
    let (app, state) = sandbox("2019-11-20");
    let reply = get(
        &app,
        &format!("/v1/agreementtemplates/{MCUA_TEMPLATE}/document?country=FR&language=fr-FR"),
    )
    .await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(
        (
            reply.body["country"].as_str(),
            reply.body["language"].as_str()
        ),
        (Some("FR"), Some("fr-FR"))
    );
    let link = reply.body["downloadUri"].as_str().unwrap().to_string();
    assert!(link.starts_with("http://127.0.0.1:9/sandbox/documents/"));
    let path = link.trim_start_matches("http://127.0.0.1:9");
    let document = get(&app, path).await;
    assert_eq!(document.status, StatusCode::OK);
    assert!(document.text.contains("France"));
    assert!(document.headers[header::CONTENT_DISPOSITION]
        .to_str()
        .unwrap()
        .starts_with("attachment"));
    assert!(document
        .headers
        .contains_key(header::CONTENT_SECURITY_POLICY));

    // Unsupported language: en-US, as the real endpoint does. Countries are case-sensitive.
    let reply = get(
        &app,
        &format!("/v1/agreementtemplates/{MCUA_TEMPLATE}/document?country=US&language=fr-FR"),
    )
    .await;
    assert_eq!(reply.body["language"], "en-US");
    assert_eq!(
        get(
            &app,
            &format!("/v1/agreementtemplates/{MCUA_TEMPLATE}/document")
        )
        .await
        .body["country"],
        "US"
    );
    assert_eq!(
        get(
            &app,
            &format!("/v1/agreementtemplates/{MCUA_TEMPLATE}/document?country=fr")
        )
        .await
        .status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        get(
            &app,
            &format!("/v1/agreementtemplates/{CLOUD_TEMPLATE}/document?country=FR")
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        get(
            &app,
            &format!(
                "/v1/agreementtemplates/{}/document",
                MCUA_TEMPLATE.to_uppercase()
            )
        )
        .await
        .status,
        StatusCode::NOT_FOUND
    );

    // An expired link is gone.
    csp_sandbox::store::insert_document(&state.store.lock(), "expired", "FR", "fr-FR", 0, 0)
        .unwrap();
    assert_eq!(
        get(&app, "/sandbox/documents/expired").await.status,
        StatusCode::GONE
    );
    assert_eq!(
        get(&app, "/sandbox/documents/unknown").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn injected_faults_then_recovery() {
    let (app, _) = sandbox("2019-11-20");
    let fault = json!({ "method": "GET", "path": "/v1/agreements", "status": 503, "times": 2, "retryAfter": 3 });
    assert_eq!(
        post(&app, "/sandbox/faults", fault).await.status,
        StatusCode::NO_CONTENT
    );
    for _ in 0..2 {
        let reply = get(&app, "/v1/agreements").await;
        assert_eq!(reply.status, StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(reply.headers[header::RETRY_AFTER], "3");
        assert_eq!(reply.body["isRetryable"], true);
    }
    assert_eq!(get(&app, "/v1/agreements").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_seeded_rate_strikes_the_same_requests() {
    async fn struck(seed: u64) -> Vec<bool> {
        let (app, _) = sandbox("2019-11-20");
        let fault = json!({ "path": "/v1/agreements", "status": 429, "retryAfter": 0, "rate": 0.2, "seed": seed, "times": 1000 });
        assert_eq!(
            post(&app, "/sandbox/faults", fault).await.status,
            StatusCode::NO_CONTENT
        );
        let mut struck = Vec::new();
        for _ in 0..200 {
            let reply = get(&app, "/v1/agreements").await;
            struck.push(reply.status == StatusCode::TOO_MANY_REQUESTS);
        }
        struck
    }
    let first = struck(7).await;
    assert_eq!(
        first,
        struck(7).await,
        "the same seed strikes the same requests"
    );
    assert_ne!(first, struck(8).await);
    let share = first.iter().filter(|s| **s).count();
    assert!((25..=55).contains(&share), "about 20% of 200: {share}");
    let (app, _) = sandbox("2019-11-20");
    let wrong = json!({ "path": "/v1/", "rate": 1.5 });
    assert_eq!(
        post(&app, "/sandbox/faults", wrong).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn the_records_route_lists_what_the_database_holds() {
    let (app, _) = sandbox("2019-11-20");
    let before = get(&app, "/sandbox/records").await;
    assert_eq!(before.status, StatusCode::OK);
    let count = before.body["agreements"].as_array().unwrap().len();
    let body = confirmation(
        "117a77b0-9360-443b-8795-c6dedc750cf9",
        "2019-11-14",
        "Records",
    );
    let created = post(&app, &format!("/v1/customers/{}/agreements", us()), body).await;
    assert_eq!(created.status, StatusCode::CREATED);
    let after = get(&app, "/sandbox/records").await;
    let agreements = after.body["agreements"].as_array().unwrap();
    assert_eq!(agreements.len(), count + 1);
    assert_eq!(agreements[count]["customerId"], us());
    assert!(after.body["attestations"].is_array());
}

#[tokio::test]
async fn data_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("csp-sandbox-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("data.sqlite");
    let _ = std::fs::remove_file(&path);
    let uri = format!("/v1/customers/{}/agreements", us());
    {
        let (app, _) = sandbox_with(Store::open(Some(&path)).unwrap(), "2019-11-20");
        assert_eq!(
            post(
                &app,
                &uri,
                confirmation(MCUA_TEMPLATE, "2019-11-14", "Tania")
            )
            .await
            .status,
            StatusCode::CREATED
        );
    }
    let (app, _) = sandbox_with(Store::open(Some(&path)).unwrap(), "2019-11-20");
    let reply = get(
        &app,
        &format!("{uri}?agreementType=MicrosoftCustomerAgreement"),
    )
    .await;
    assert_eq!(reply.body["totalCount"], 1);
    assert_eq!(
        get(&app, "/v1/customers").await.body["totalCount"],
        10,
        "the demo data is not added twice"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[tokio::test]
async fn every_response_carries_the_security_headers() {
    let (app, _) = sandbox("2019-11-20");
    for uri in [
        "/",
        "/v1/agreements",
        "/pkg/csp_agreements_bg.wasm",
        "/nothing-here",
    ] {
        let reply = get(&app, uri).await;
        let csp = reply.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap();
        assert!(
            csp.contains("script-src 'self' 'wasm-unsafe-eval'"),
            "{uri}"
        );
        assert_eq!(reply.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    }
    let wasm = get(&app, "/pkg/csp_agreements_bg.wasm").await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.headers[header::CONTENT_TYPE], "application/wasm");
    assert_eq!(
        get(&app, "/v1/agreements").await.headers[header::CACHE_CONTROL],
        "no-store"
    );
}

#[tokio::test]
async fn only_the_loopback_host_is_answered() {
    let (app, _) = sandbox("2019-11-20");
    let request = |host: Option<&str>, uri: &str| {
        let mut request =
            Request::get(uri).header(header::AUTHORIZATION, format!("Bearer {TOKEN}"));
        if let Some(host) = host {
            request = request.header(header::HOST, host);
        }
        request.body(Body::empty()).unwrap()
    };
    for host in ["127.0.0.1:9", "localhost:9", "[::1]:9", "LOCALHOST:9"] {
        let response = app
            .clone()
            .oneshot(request(Some(host), "/v1/agreements"))
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{host}");
    }
    // A rebound name, another port, no Host at all: the API and the site alike.
    for host in [
        Some("evil.example:9"),
        Some("evil.example"),
        Some("127.0.0.1:10"),
        Some("127.0.0.1"),
        None,
    ] {
        for uri in ["/v1/agreements", "/index.html"] {
            let response = app.clone().oneshot(request(host, uri)).await.unwrap();
            assert_eq!(
                response.status(),
                StatusCode::MISDIRECTED_REQUEST,
                "{host:?} {uri}"
            );
        }
    }
}

#[tokio::test]
async fn a_write_and_its_replay_row_are_one_transaction() {
    let (app, state) = sandbox("2019-11-20");
    // Storing the replay row fails (a full disk, say): the confirmation must not stay behind.
    state
        .store
        .lock()
        .execute_batch(
            "CREATE TRIGGER full_disk BEFORE INSERT ON requests BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END;",
        )
        .unwrap();
    let uri = format!("/v1/customers/{}/agreements", us());
    let id = [("MS-RequestId", "0d7c1e55-3f0a-4b43-9a8e-3c2a1b0f9e01")];
    let body = confirmation(MCUA_TEMPLATE, "2019-11-14", "Tania");
    let failed = call(&app, Method::POST, &uri, Some(body.clone()), &id).await;
    assert_eq!(failed.status, StatusCode::INTERNAL_SERVER_ERROR);
    let read = format!("{uri}?agreementType=MicrosoftCustomerAgreement");
    assert_eq!(
        get(&app, &read).await.body["totalCount"],
        0,
        "rolled back with its replay row"
    );
    // The retry, once storage works again, records it once.
    state
        .store
        .lock()
        .execute_batch("DROP TRIGGER full_disk;")
        .unwrap();
    assert_eq!(
        call(&app, Method::POST, &uri, Some(body), &id).await.status,
        StatusCode::CREATED
    );
    assert_eq!(get(&app, &read).await.body["totalCount"], 1);
}

#[tokio::test]
async fn replay_rows_keep_a_hash_and_are_pruned_by_age() {
    let (app, state) = sandbox("2019-11-20");
    state
        .store
        .lock()
        .execute(
            "INSERT INTO requests (request_id, fingerprint, status, body, created_at) VALUES ('old', 'x', 201, '{}', '2020-01-01T00:00:00Z')",
            [],
        )
        .unwrap();
    let uri = format!("/v1/customers/{}/agreements", us());
    let id = [("MS-RequestId", "5b0e3c1a-9d2f-4e6b-8a7c-1f2e3d4c5b6a")];
    let reply = call(
        &app,
        Method::POST,
        &uri,
        Some(confirmation(MCUA_TEMPLATE, "2019-11-14", "Tania")),
        &id,
    )
    .await;
    assert_eq!(reply.status, StatusCode::CREATED);
    let db = state.store.lock();
    let rows: Vec<(String, String)> = db
        .prepare("SELECT request_id, fingerprint FROM requests")
        .unwrap()
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 1, "the day-old row is gone: {rows:?}");
    assert_eq!(rows[0].0, id[0].1);
    assert_eq!(rows[0].1.len(), 64, "a SHA-256, not the request");
    assert!(rows[0].1.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[tokio::test]
async fn document_links_and_faults_do_not_grow_forever() {
    let (app, state) = sandbox("2019-11-20");
    state
        .store
        .lock()
        .execute("INSERT INTO documents (token, country, language, expires_at) VALUES ('expired', 'FR', 'fr-FR', 1)", [])
        .unwrap();
    let link = get(
        &app,
        &format!("/v1/agreementtemplates/{MCUA_TEMPLATE}/document?country=FR&language=fr-FR"),
    )
    .await;
    assert_eq!(link.status, StatusCode::OK);
    assert_eq!(
        csp_sandbox::store::document_count(&state.store.lock()).unwrap(),
        1,
        "the expired link is gone"
    );

    let too_many = post(
        &app,
        "/sandbox/faults",
        json!({ "path": "/v1/", "times": 1001 }),
    )
    .await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
    for _ in 0..100 {
        let fault = json!({ "path": "/v1/nothing", "status": 503 });
        assert_eq!(
            post(&app, "/sandbox/faults", fault).await.status,
            StatusCode::NO_CONTENT
        );
    }
    let refused = post(&app, "/sandbox/faults", json!({ "path": "/v1/nothing" })).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        call(&app, Method::DELETE, "/sandbox/faults", None, &[])
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    assert_eq!(
        post(&app, "/sandbox/faults", json!({ "path": "/v1/nothing" }))
            .await
            .status,
        StatusCode::NO_CONTENT
    );
}

#[tokio::test]
async fn the_culture_is_a_template_language() {
    let (app, _) = sandbox("2019-11-20");
    let mut customer = new_customer("culture-test.example");
    customer["billingProfile"]["culture"] = json!("<script>");
    let refused = post(&app, "/v1/customers", customer.clone()).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused.body["parameters"]["issues"],
        json!([{ "field": "culture", "code": "unsupported-language" }])
    );
    customer["billingProfile"]["culture"] = json!("fr-fr");
    let created = post(&app, "/v1/customers", customer).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_eq!(created.body["billingProfile"]["culture"], "fr-FR");
}

#[tokio::test]
async fn a_fault_after_the_commit_loses_the_answer_not_the_record() {
    let (app, _) = sandbox("2019-11-20");
    let uri = format!("/v1/customers/{}/agreements", us());
    let read = format!("{uri}?agreementType=MicrosoftCustomerAgreement");
    let body = confirmation(MCUA_TEMPLATE, "2019-11-14", "Tania");
    let fault = json!({ "method": "POST", "path": uri, "when": "after-commit" });
    assert_eq!(
        post(&app, "/sandbox/faults", fault).await.status,
        StatusCode::NO_CONTENT
    );
    let send = |id: &'static str| {
        let request = Request::post(uri.as_str())
            .header(header::HOST, HOST)
            .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
            .header(header::CONTENT_TYPE, "application/json")
            .header("MS-RequestId", id)
            .body(Body::from(body.to_string()))
            .unwrap();
        app.clone().oneshot(request)
    };
    let response = send("9a8b7c6d-0000-4000-8000-000000000001").await.unwrap();
    assert_eq!(
        response.status(),
        StatusCode::CREATED,
        "the status line went out"
    );
    assert!(
        response.into_body().collect().await.is_err(),
        "then the connection dropped"
    );
    assert_eq!(
        get(&app, &read).await.body["totalCount"],
        1,
        "the record exists"
    );
    // The retry with the same id gets the first answer.
    let retry = send("9a8b7c6d-0000-4000-8000-000000000001").await.unwrap();
    assert_eq!(retry.status(), StatusCode::CREATED);
    assert_eq!(get(&app, &read).await.body["totalCount"], 1);
    // The counts: four API requests (two reads without an id), one of them tried again.
    let counts = get(&app, "/sandbox/faults").await.body;
    assert_eq!(
        (&counts["requests"], &counts["repeated"]),
        (&json!(4), &json!(1))
    );
    assert_eq!(counts["injected"]["drop-after-commit"], 1);

    // A backend that forgets request ids: the retry meets its own record.
    let other = format!(
        "/v1/customers/{}/agreements",
        seed::demo_customer_id("ES").unwrap()
    );
    let body = confirmation(MCUA_TEMPLATE, "2019-11-14", "José");
    let fault =
        json!({ "method": "POST", "path": other, "when": "after-commit", "forgetRequestId": true });
    assert_eq!(
        post(&app, "/sandbox/faults", fault).await.status,
        StatusCode::NO_CONTENT
    );
    let id = [("MS-RequestId", "9a8b7c6d-0000-4000-8000-000000000002")];
    let first = app
        .clone()
        .oneshot(
            Request::post(other.as_str())
                .header(header::HOST, HOST)
                .header(header::AUTHORIZATION, format!("Bearer {TOKEN}"))
                .header(header::CONTENT_TYPE, "application/json")
                .header("MS-RequestId", id[0].1)
                .body(Body::from(body.to_string()))
                .unwrap(),
        )
        .await
        .unwrap();
    assert!(first.into_body().collect().await.is_err());
    let retry = call(&app, Method::POST, &other, Some(body), &id).await;
    assert_eq!(retry.status, StatusCode::CONFLICT);
    assert_eq!(
        retry.body["errorName"],
        "PartnerConfirmedAgreementAlreadyExists"
    );
}

/// A creation's body: no customer (Partner Center binds it at completion).
fn enhanced_request() -> Value {
    json!({
        "country": "US", "language": "en-US",
        "companyName": "Northwind <Traders>", "signatoryFirstName": "Tania",
        "signatoryLastName": "Carr", "signatoryEmail": "tania.carr@northwind.example",
    })
}

/// The sandbox's acceptance page of an attestation.
fn acceptance_path(id: &str) -> String {
    format!("/accept/{id}")
}

/// The per-page token the acceptance page's form carries.
fn page_token(page: &str) -> String {
    let start = page
        .find("name=\"token\" value=\"")
        .expect("a form with its token")
        + 20;
    page[start..start + 64].to_string()
}

async fn post_form(app: &Router, path: &str, form: &str, origin: Option<&str>) -> Reply {
    let mut request = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    if let Some(origin) = origin {
        request = request.header(header::ORIGIN, origin);
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::from(form.to_string())).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let bytes = response.into_body().collect().await.unwrap().to_bytes();
    let text = String::from_utf8_lossy(&bytes).to_string();
    Reply {
        status,
        headers,
        body: Value::Null,
        text,
    }
}

async fn accept_as_the_customer(app: &Router, id: &str) -> Reply {
    let path = acceptance_path(id);
    let page = call(app, Method::GET, &path, None, &[]).await;
    assert_eq!(page.status, StatusCode::OK);
    // The names the partner typed are shown as text, never as markup.
    assert!(
        page.text.contains("Northwind &lt;Traders&gt;"),
        "{}",
        page.text
    );
    assert!(!page.text.contains("<Traders>"));
    let token = page_token(&page.text);
    post_form(
        app,
        &path,
        &format!("token={token}"),
        Some("http://127.0.0.1:9"),
    )
    .await
}

#[tokio::test]
async fn the_enhanced_flow_create_accept_complete_then_order() {
    let (app, _) = sandbox("2026-11-24");
    let customer = us();
    let order = format!("/v1/customers/{customer}/orders");
    let blocked = post(&app, &order, json!({})).await;
    assert_eq!(blocked.status, StatusCode::FORBIDDEN);
    assert_eq!(blocked.body["code"], 13605);

    let created = call(
        &app,
        Method::POST,
        "/v1/attestations/enhanced",
        Some(enhanced_request()),
        &[("ms-requestid", "7d1c6a0e-0000-4000-8000-000000000001")],
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert_eq!(created.body["status"], "Pending");
    // No link in the answer (the client builds it), no customer yet, an expiry 7 days on.
    assert_eq!(created.body.get("attestationUrl"), None);
    assert_eq!(created.body.get("customerId"), None);
    let made = created.body["createdDateTime"].as_str().unwrap();
    assert!(made.starts_with("2026-11-24T"), "{made}");
    assert!(created.body["expirationDateTime"]
        .as_str()
        .unwrap()
        .starts_with("2026-12-01T"));
    let id = created.body["attestationId"].as_str().unwrap().to_string();
    // The same request id gives the same attestation, not a second one.
    let again = call(
        &app,
        Method::POST,
        "/v1/attestations/enhanced",
        Some(enhanced_request()),
        &[("ms-requestid", "7d1c6a0e-0000-4000-8000-000000000001")],
    )
    .await;
    assert_eq!(again.body["attestationId"], id.as_str());

    let complete = json!({ "attestationId": id, "templateId": MCUA_TEMPLATE, "type": "MicrosoftCustomerAgreement" });
    let agreements = format!("/v1/customers/{customer}/agreements");
    let early = post(&app, &agreements, complete.clone()).await;
    assert_eq!(early.status, StatusCode::CONFLICT);
    assert_eq!(early.body["errorName"], "AttestationNotAccepted");

    let accepted = accept_as_the_customer(&app, &id).await;
    assert!(accepted.text.contains("Accepted."), "{}", accepted.text);
    let status = get(&app, &format!("/v1/attestations/enhanced/{id}")).await;
    assert_eq!(status.body["status"], "Accepted");

    // Completed: bound to the customer of the path, the agreement recorded once.
    let done = post(&app, &agreements, complete.clone()).await;
    assert_eq!(done.status, StatusCode::CREATED, "{}", done.text);
    assert_eq!(done.body["dateAgreed"], "2026-11-24T00:00:00Z");
    assert_eq!(done.body["primaryContact"]["firstName"], "Tania");
    let read = get(&app, &format!("/v1/attestations/enhanced/{id}")).await;
    assert_eq!(
        (
            read.body["status"].as_str(),
            read.body["customerId"].as_str()
        ),
        (Some("Completed"), Some(customer))
    );
    let elsewhere = format!(
        "/v1/customers/{}/agreements",
        seed::demo_customer_id("ES").unwrap()
    );
    assert_eq!(
        post(&app, &elsewhere, complete.clone()).await.status,
        StatusCode::NOT_FOUND,
        "bound to its customer"
    );
    assert_eq!(post(&app, &agreements, complete).await.body["code"], 600061);
    assert_eq!(
        post(&app, &order, json!({})).await.status,
        StatusCode::CREATED
    );
    // A body that names a customer holding a current confirmation gets 600061.
    let mut named = enhanced_request();
    named["customerId"] = json!(customer);
    let duplicate = post(&app, "/v1/attestations/enhanced", named).await;
    assert_eq!(duplicate.body["code"], 600061);
}

#[tokio::test]
async fn two_accepted_attestations_record_one_current_agreement() {
    let (app, _) = sandbox("2026-11-24");
    let customer = us();
    let mut ids = Vec::new();
    for n in 1..=2 {
        let created = call(
            &app,
            Method::POST,
            "/v1/attestations/enhanced",
            Some(enhanced_request()),
            &[(
                "ms-requestid",
                &format!("7d1c6a0e-0000-4000-8000-00000000010{n}"),
            )],
        )
        .await;
        let id = created.body["attestationId"].as_str().unwrap().to_string();
        accept_as_the_customer(&app, &id).await;
        ids.push(id);
    }
    let agreements = format!("/v1/customers/{customer}/agreements");
    let complete = |id: &str| json!({ "attestationId": id, "templateId": MCUA_TEMPLATE, "type": "MicrosoftCustomerAgreement" });
    assert_eq!(
        post(&app, &agreements, complete(&ids[0])).await.status,
        StatusCode::CREATED
    );
    let second = post(&app, &agreements, complete(&ids[1])).await;
    assert_eq!(second.body["code"], 600061, "{}", second.text);
    let read = get(
        &app,
        &format!("{agreements}?agreementType=MicrosoftCustomerAgreement"),
    )
    .await;
    let current = read.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["dateAgreed"].as_str().is_some_and(|d| d >= "2023-04-01"))
        .count();
    assert_eq!(current, 1, "one current Customer Agreement");
}

#[tokio::test]
async fn links_expire_as_the_clock_moves() {
    let (app, state) = sandbox("2026-11-24");
    let created = post(&app, "/v1/attestations/enhanced", enhanced_request()).await;
    let id = created.body["attestationId"].as_str().unwrap().to_string();
    let read = |app: Router, id: String| async move {
        get(&app, &format!("/v1/attestations/enhanced/{id}"))
            .await
            .body["status"]
            .clone()
    };
    // The clock is behind the token.
    let mut anonymous = Request::builder()
        .method(Method::POST)
        .uri("/sandbox/clock")
        .header(header::HOST, HOST)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(r#"{"days":8}"#))
        .unwrap();
    anonymous.headers_mut().remove(header::AUTHORIZATION);
    assert_eq!(
        app.clone().oneshot(anonymous).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let moved = post(&app, "/sandbox/clock", json!({ "days": 6 })).await;
    assert_eq!(moved.body["today"], "2026-11-30");
    assert_eq!(read(app.clone(), id.clone()).await, "Pending");
    post(&app, "/sandbox/clock", json!({ "days": 2 })).await;
    assert_eq!(state.today().to_string(), "2026-12-02");
    assert_eq!(read(app.clone(), id.clone()).await, "Expired");
    // The page says so and accepts nothing; the completion is refused.
    let page = get(&app, &acceptance_path(&id)).await;
    assert!(page.text.contains("expired"), "{}", page.text);
    let complete = json!({ "attestationId": id, "templateId": MCUA_TEMPLATE, "type": "MicrosoftCustomerAgreement" });
    let refused = post(
        &app,
        &format!("/v1/customers/{}/agreements", us()),
        complete,
    )
    .await;
    assert_eq!(refused.body["errorName"], "AttestationNotAccepted");
    let set = post(&app, "/sandbox/clock", json!({ "today": "2026-11-25" })).await;
    assert_eq!(set.body["today"], "2026-11-25");
    assert_eq!(read(app.clone(), id).await, "Pending");
    for wrong in [
        json!({}),
        json!({ "today": "tomorrow" }),
        json!({ "today": "2026-11-25", "days": 1 }),
    ] {
        assert_eq!(
            post(&app, "/sandbox/clock", wrong).await.status,
            StatusCode::BAD_REQUEST
        );
    }
}

#[tokio::test]
async fn the_acceptance_page_takes_no_cross_site_post() {
    let (app, _) = sandbox("2026-11-24");
    let created = post(&app, "/v1/attestations/enhanced", enhanced_request()).await;
    let id = created.body["attestationId"].as_str().unwrap().to_string();
    let path = acceptance_path(&id);
    let page = get(&app, &path).await;
    let token = page_token(&page.text);
    // Without the page's token, with another's, or from another site: refused, nothing accepted.
    for (form, origin) in [
        (String::new(), None),
        ("token=".to_string() + &"0".repeat(64), None),
        (format!("token={token}"), Some("https://evil.example")),
        (format!("token={token}"), Some("http://127.0.0.1:10")),
        (format!("token={token}"), Some("null")),
    ] {
        let refused = post_form(&app, &path, &form, origin).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{form} {origin:?}");
    }
    let status = get(&app, &format!("/v1/attestations/enhanced/{id}")).await;
    assert_eq!(status.body["status"], "Pending");
    let accepted = post_form(&app, &path, &format!("token={token}"), None).await;
    assert!(accepted.text.contains("Accepted."), "{}", accepted.text);
}

#[tokio::test]
async fn the_ledger_keeps_one_record_per_attestation_and_refuses_a_stale_write() {
    let (app, _) = sandbox("2026-11-24");
    // The demo's waiting attestation is there from the start.
    let listed = get(&app, "/ledger").await;
    assert_eq!(listed.status, StatusCode::OK);
    assert_eq!(
        listed.body["items"][0]["attestationId"],
        seed::PENDING_ATTESTATION_ID
    );
    assert_eq!(listed.body["items"][0]["status"], "Pending");
    let record = json!({
        "attestationId": "att-77", "customerId": us(), "createdAt": "2026-11-24T09:00:00Z",
        "status": "Pending", "history": [{ "status": "Pending", "at": "2026-11-24T09:00:00Z" }],
        "version": 0, "acceptanceUrl": "https://cdn.partner.microsoft.com/mca/?attestationid=att-77",
        "signatoryEmail": "tania.carr@northwind.example",
    });
    let put = |body: Value| {
        let app = app.clone();
        async move { call(&app, Method::PUT, "/ledger/att-77", Some(body), &[]).await }
    };
    let first = put(record.clone()).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.body["version"], 1);
    // What the record does not declare (a link, an address) is not kept.
    assert_eq!(first.body.get("acceptanceUrl"), None);
    assert_eq!(first.body.get("signatoryEmail"), None);
    // A second writer that read version 0 is refused, and given the current record.
    let stale = put(record.clone()).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert_eq!(stale.body["current"]["version"], 1);
    let mut next = first.body.clone();
    next["status"] = json!("Accepted");
    assert_eq!(put(next).await.body["version"], 2);
    let mut wrong = record.clone();
    wrong["customerId"] = json!("not a customer");
    assert_eq!(put(wrong).await.status, StatusCode::BAD_REQUEST);
    let other = call(&app, Method::PUT, "/ledger/att-78", Some(record), &[]).await;
    assert_eq!(other.status, StatusCode::BAD_REQUEST, "the id of the path");
    assert_eq!(get(&app, "/ledger").await.body["totalCount"], 2);
}

#[tokio::test]
async fn customers_are_paged_as_partner_center_pages_them() {
    let (app, state) = sandbox("2026-11-24");
    csp_sandbox::sample::seed_customers(&state.store.lock(), 45).unwrap();
    let mut ids = Vec::new();
    let first = get(&app, "/v1/customers?size=20").await;
    assert_eq!(first.body["totalCount"], 55, "45 and the 10 demo customers");
    let mut page = first.body;
    loop {
        ids.extend(
            page["items"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["id"].clone()),
        );
        let Some(next) = page["links"].get("next").cloned() else {
            break;
        };
        let uri = next["uri"].as_str().unwrap();
        assert!(uri.starts_with("/customers?size=20"), "{uri}");
        let header = &next["headers"][0];
        assert_eq!(header["key"], "MS-ContinuationToken");
        page = call(
            &app,
            Method::GET,
            &format!("/v1{uri}"),
            None,
            &[("MS-ContinuationToken", header["value"].as_str().unwrap())],
        )
        .await
        .body;
    }
    assert_eq!(ids.len(), 55);
    ids.sort_by_key(|v| v.to_string());
    ids.dedup();
    assert_eq!(ids.len(), 55, "each customer once");
    let bad = call(
        &app,
        Method::GET,
        "/v1/customers?size=20",
        None,
        &[("MS-ContinuationToken", "nope")],
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn the_enhanced_request_is_checked_with_the_same_rules() {
    let (app, _) = sandbox("2026-11-24");
    let mut bad = enhanced_request();
    bad["signatoryEmail"] = json!("not an address");
    bad["country"] = json!("ZZ");
    let refused = post(&app, "/v1/attestations/enhanced", bad).await;
    assert_eq!(refused.status, StatusCode::BAD_REQUEST);
    let issues = &refused.body["parameters"]["issues"];
    assert_eq!(
        issues[0],
        json!({ "field": "email", "code": "invalid-email" })
    );
    assert_eq!(
        issues[1],
        json!({ "field": "country", "code": "unknown-country" })
    );
    // The address as mail systems read it, with the same codes as the form's.
    for (email, code) in [
        ("ana@ｇｍａｉｌ.com", "email-read-as"),
        ("ana@example.co©", "email-domain-character"),
        ("ana@example.c", "email-top-level-domain"),
        (
            "ééééééééééééééééééééééééééééééééé@example.com",
            "email-local-part-too-long",
        ),
    ] {
        let mut bad = enhanced_request();
        bad["signatoryEmail"] = json!(email);
        let refused = post(&app, "/v1/attestations/enhanced", bad).await;
        assert_eq!(refused.status, StatusCode::BAD_REQUEST, "{email}");
        assert_eq!(
            refused.body["parameters"]["issues"],
            json!([{ "field": "email", "code": code }]),
            "{email}"
        );
    }
    let mut good = enhanced_request();
    good["signatoryEmail"] = json!("hans@müller.example");
    good["companyName"] = json!("Müller GmbH");
    assert_eq!(
        post(&app, "/v1/attestations/enhanced", good).await.status,
        StatusCode::CREATED
    );
    let mut named = enhanced_request();
    named["customerId"] = json!("00000000-0000-4000-8000-000000000000");
    let unknown = post(&app, "/v1/attestations/enhanced", named).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_indirect_reseller_cannot_attest_by_either_route() {
    for (today, path, body) in [
        (
            "2026-11-24",
            "/v1/attestations/enhanced".to_string(),
            enhanced_request(),
        ),
        (
            "2025-12-15",
            format!("/v1/customers/{}/agreements", us()),
            confirmation(MCUA_TEMPLATE, "2025-12-14", "Tania"),
        ),
    ] {
        let (app, _) = sandbox_as(Store::open(None).unwrap(), today, true);
        let refused = post(&app, &path, body).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{path}");
        assert_eq!(refused.body["errorName"], "IndirectResellerNotAllowed");
    }
}

#[tokio::test]
async fn the_legacy_post_is_retired_on_its_day_and_the_enhanced_routes_wait_for_theirs() {
    let agreements = format!("/v1/customers/{}/agreements", us());
    let (app, _) = sandbox("2026-01-04");
    let legacy = post(
        &app,
        &agreements,
        confirmation(MCUA_TEMPLATE, "2026-01-03", "Tania"),
    )
    .await;
    assert_eq!(legacy.status, StatusCode::CREATED);
    let (app, _) = sandbox("2026-01-05");
    let retired = post(
        &app,
        &agreements,
        confirmation(MCUA_TEMPLATE, "2026-01-04", "Tania"),
    )
    .await;
    assert_eq!(retired.status, StatusCode::GONE);
    assert_eq!(retired.body["errorName"], "LegacyAttestationRetired");
    assert_eq!(retired.body["isRetryable"], false);
    let (app, _) = sandbox("2019-11-15");
    let missing = post(&app, "/v1/attestations/enhanced", enhanced_request()).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn direct_acceptance_and_the_refresh_in_the_demo_data() {
    let (app, _) = sandbox("2026-11-24");
    let status = |country: &str| {
        format!(
            "/v1/customers/{}/directSignedMicrosoftCustomerAgreementStatus",
            seed::demo_customer_id(country).unwrap()
        )
    };
    assert_eq!(
        get(&app, &status("NL")).await.body,
        json!({ "isSigned": true })
    );
    assert_eq!(
        get(&app, &status("US")).await.body,
        json!({ "isSigned": false })
    );
    let order = |country: &str| {
        format!(
            "/v1/customers/{}/orders",
            seed::demo_customer_id(country).unwrap()
        )
    };
    // Directly accepted, attested after the refresh: ordered. Attested in 2022 (before the
    // refresh), a pending attestation, none: 13605.
    for (country, allowed) in [
        ("NL", true),
        ("GB", true),
        ("AU", false),
        ("IT", false),
        ("US", false),
    ] {
        let reply = post(&app, &order(country), json!({})).await;
        assert_eq!(
            reply.status == StatusCode::CREATED,
            allowed,
            "{country}: {}",
            reply.text
        );
    }
    let pending = get(
        &app,
        &format!("/v1/attestations/enhanced/{}", seed::PENDING_ATTESTATION_ID),
    )
    .await;
    assert_eq!(pending.body["status"], "Pending");
    // In 2025, before the retirement, the 2022 attestation still counts.
    let (app, _) = sandbox("2025-12-31");
    assert_eq!(
        post(&app, &order("AU"), json!({})).await.status,
        StatusCode::CREATED
    );
}
