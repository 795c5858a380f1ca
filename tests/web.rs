//! The JS API in real browsers (`wasm-pack test --headless --chrome --firefox`): values crossing
//! the boundary, `undefined` options, malformed calls arriving as JS `Error`s, hostile strings,
//! the browser clock.
#![cfg(target_arch = "wasm32")]

use csp_agreements::wasm as api;
use js_sys::{Array, Error, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(inline_js = r#"
export function loneSurrogate() { return "Ta\uD800nia"; }
export function hugeString(n) { return "a".repeat(n); }
export function controlString() { return "Ta\u0000\u0007\u001b[31mnia"; }
export function clientOptions() { return { apiBase: "", getToken: () => "t", maxAttempts: 1 }; }
export function withThrowingGetter() {
  const o = { agreementType: "MicrosoftCustomerAgreement" };
  Object.defineProperty(o, "firstName", { enumerable: true, get() { throw new Error("boom"); } });
  return o;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = loneSurrogate)]
    fn lone_surrogate() -> JsValue;
    #[wasm_bindgen(js_name = hugeString)]
    fn huge_string(n: u32) -> JsValue;
    #[wasm_bindgen(js_name = controlString)]
    fn control_string() -> JsValue;
    #[wasm_bindgen(js_name = withThrowingGetter)]
    fn with_throwing_getter() -> JsValue;
    #[wasm_bindgen(js_name = clientOptions)]
    fn client_options() -> JsValue;
}

fn js(text: &str) -> JsValue {
    JSON::parse(text).expect("test JSON")
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.')
        .fold(value.clone(), |v, key| match key.parse::<u32>() {
            Ok(i) => Reflect::get_u32(&v, i).unwrap(),
            Err(_) => Reflect::get(&v, &key.into()).unwrap(),
        })
}

fn text(value: &JsValue, path: &str) -> String {
    get(value, path)
        .as_string()
        .unwrap_or_else(|| panic!("{path} is not a string"))
}

fn json(value: &JsValue) -> String {
    JSON::stringify(value).unwrap().as_string().unwrap()
}

/// A `Result<_, JsError>` error as the JS value a caller receives.
fn thrown<T: std::fmt::Debug>(result: Result<T, JsError>) -> Error {
    let value: JsValue = result.expect_err("should throw").into();
    value.dyn_into::<Error>().expect("a JS Error")
}

const FORM: &str = r#"{"agreementType":"MicrosoftCustomerAgreement","dateAgreed":"2019-11-14",
  "firstName":"Tania","lastName":"Carr","email":"someone@example.com","phoneNumber":"1234567890",
  "customerId":"{14876998-C0DC-46E6-9D0C-65A57A6C32EC}","country":"fr","language":"fr-FR"}"#;

#[wasm_bindgen_test]
fn cloud_agreement_acceptable_by_date() {
    assert!(api::is_cloud_agreement_acceptable("2020-01-31").unwrap());
    assert!(!api::is_cloud_agreement_acceptable("2020-02-01").unwrap());
    let error = thrown(api::is_cloud_agreement_acceptable("2020-02-30"));
    assert!(String::from(error.message()).contains("2020-02-30"));
    thrown(api::is_cloud_agreement_acceptable(""));
}

/// A validator prepared with its options gives what the functions give with the same options,
/// for every kind of form and field, and refuses what they refuse.
#[wasm_bindgen_test]
fn a_validator_gives_what_the_functions_give() {
    let options = r#"{"localToday":"2019-11-20","utcToday":"2019-11-20","locale":"fr-FR",
      "existing":[{"primaryContact":{"firstName":"Tania","lastName":"Carr","email":"someone@example.com"},
      "templateId":"117a77b0-9360-443b-8795-c6dedc750cf9","dateAgreed":"2019-11-14","type":"MicrosoftCustomerAgreement"}]}"#;
    let mut validator = api::Validator::new(js(options)).unwrap();
    let forms = [
        FORM.to_string(),
        FORM.replace("someone@example.com", "someone@"),
        FORM.replace("2019-11-14", "2019-11-21"),
        FORM.replace(r#""country":"fr""#, r#""country":"zz""#),
        "{}".to_string(),
    ];
    for form in &forms {
        assert_eq!(
            json(&validator.validate(js(form)).unwrap()),
            json(&api::validate_confirmation(js(form), js(options)).unwrap()),
            "{form}"
        );
    }
    for (field, value) in [
        ("email", "someone@"),
        ("dateAgreed", "2019-11-21"),
        ("firstName", ""),
    ] {
        assert_eq!(
            json(
                &validator
                    .validate_field(field, value, JsValue::UNDEFINED)
                    .unwrap()
            ),
            json(&api::validate_field(field, value, js(options)).unwrap()),
        );
    }
    // The rest of the form given with the call, as `options.form` would give it.
    let with_form = options.replacen(
        '{',
        r#"{"form":{"agreementType":"MicrosoftCloudAgreement"},"#,
        1,
    );
    assert_eq!(
        json(
            &validator
                .validate_field(
                    "dateAgreed",
                    "2020-02-01",
                    js(r#"{"agreementType":"MicrosoftCloudAgreement"}"#)
                )
                .unwrap()
        ),
        json(&api::validate_field("dateAgreed", "2020-02-01", js(&with_form)).unwrap()),
    );
    thrown(api::Validator::new(js(r#"{"localToday":"2019-02-30"}"#)).map(drop));
    thrown(validator.validate(js("3")));
    thrown(validator.validate_field("nope", "", JsValue::UNDEFINED));
}

/// The options read once are those of the call: options that change between calls (the
/// language, the day) are read again, whether the form's check or a field's comes next.
#[wasm_bindgen_test]
fn the_options_kept_are_those_of_each_call() {
    let english = r#"{"localToday":"2019-11-20","utcToday":"2019-11-20"}"#;
    let french = r#"{"localToday":"2019-11-20","utcToday":"2019-11-20","locale":"fr-FR"}"#;
    let later = r#"{"localToday":"2019-11-10","utcToday":"2019-11-10"}"#;
    let form = FORM.replace("someone@example.com", "someone@");
    let fresh = |options: &str| {
        let mut validator = api::Validator::new(js(options)).unwrap();
        (
            json(&validator.validate(js(&form)).unwrap()),
            json(
                &validator
                    .validate_field("email", "someone@", JsValue::UNDEFINED)
                    .unwrap(),
            ),
        )
    };
    let expected: Vec<_> = [english, french, later].iter().map(|o| fresh(o)).collect();
    assert_ne!(expected[0], expected[1], "the language shows");
    assert_ne!(expected[0].0, expected[2].0, "the day shows");
    for order in [[0, 1, 2, 0], [2, 2, 1, 0], [1, 0, 0, 2]] {
        for i in order {
            let options = [english, french, later][i];
            let whole = json(&api::validate_confirmation(js(&form), js(options)).unwrap());
            let field = json(&api::validate_field("email", "someone@", js(options)).unwrap());
            assert_eq!((whole, field), expected[i], "{order:?} {i}");
        }
    }
    // A call that fails after its options crossed (its form unreadable, its options wrong)
    // leaves nothing behind: the next call with those options reads them, and answers by them.
    let field = |options: &str| api::validate_field("email", "someone@", js(options));
    assert_eq!(json(&field(english).unwrap()), expected[0].1);
    thrown(api::validate_confirmation(js("3"), js(french)));
    assert_eq!(
        json(&field(french).unwrap()),
        expected[1].1,
        "read, not the last kept"
    );
    let wrong = r#"{"localToday":"2019-02-30","locale":"fr-FR"}"#;
    thrown(field(wrong));
    thrown(field(wrong));
    thrown(api::validate_confirmation(js(&form), js(wrong)));
    assert_eq!(json(&field(french).unwrap()), expected[1].1);
    assert_eq!(
        json(&api::validate_confirmation(js(&form), js(later)).unwrap()),
        expected[2].0
    );
    thrown(api::validate_field("nope", "", js(english)));
    assert_eq!(json(&field(later).unwrap()), expected[2].1);
}

#[wasm_bindgen_test]
fn agreement_status_with_and_without_options() {
    let status = api::agreement_status(
        "MicrosoftCloudAgreement".into(),
        "2020-01-31",
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(get(&status, "acceptable"), JsValue::TRUE);
    assert_eq!(text(&status, "phase"), "transition");
    assert_eq!(text(&status, "milestone"), "cloud-agreement-retired");
    assert_eq!(text(&status, "warnings.0.code"), "last-day-of-transition");
    assert!(text(&status, "warnings.0.message").contains("January 31, 2020"));

    let options = js(r#"{"environment":"sandbox","channel":"api","locale":"fr-FR"}"#);
    let status =
        api::agreement_status("MicrosoftCustomerAgreement".into(), "2019-09-03", options).unwrap();
    assert_eq!(text(&status, "phase"), "preview");
    assert_eq!(text(&status, "milestone"), "sandbox-api-preview");
    assert_eq!(Array::from(&get(&status, "warnings")).length(), 0);

    let status = api::agreement_status(
        "MicrosoftCustomerAgreement".into(),
        "2019-09-30",
        JsValue::NULL,
    )
    .unwrap();
    assert_eq!(text(&status, "phase"), "not-yet-available");
    assert!(get(&status, "milestone").is_string());

    // A custom policy crosses the boundary as a plain object.
    let options = js(r#"{"policy":{"cloudAgreementLastDay":"2020-03-31"}}"#);
    let status =
        api::agreement_status("MicrosoftCloudAgreement".into(), "2020-02-15", options).unwrap();
    assert_eq!(get(&status, "acceptable"), JsValue::TRUE);
}

#[wasm_bindgen_test]
fn malformed_calls_throw_errors_naming_the_problem() {
    let message = |e: Error| String::from(e.message());
    assert!(message(thrown(api::agreement_status(
        "MicrosoftPartnerAgreement".into(),
        "2020-01-01",
        JsValue::UNDEFINED
    )))
    .contains("agreementType"));
    assert!(message(thrown(api::agreement_status(
        JsValue::from(42),
        "2020-01-01",
        JsValue::UNDEFINED
    )))
    .contains("agreementType"));
    assert!(message(thrown(api::agreement_status(
        "MicrosoftCloudAgreement".into(),
        "2020-01-01",
        js(r#"{"environment":"staging"}"#)
    )))
    .contains("options.environment"));
    assert!(message(thrown(api::agreement_status(
        "MicrosoftCloudAgreement".into(),
        "2020-01-01",
        js("[1,2]")
    )))
    .contains("options"));
    assert!(message(thrown(api::agreement_status(
        "MicrosoftCloudAgreement".into(),
        "2020-01-01",
        js(r#"{"policy":{"cloudAgreementLastDay":"2019-01-01"}}"#)
    )))
    .contains("order"));
    assert!(message(thrown(api::check_policy(js(
        r#"{"cloudAgreementLastDate":"2020-01-31"}"#
    ))))
    .contains("unknown field"));
    assert!(message(thrown(api::check_policy(js(
        r#"{"cloudAgreementLastDay":20200131}"#
    ))))
    .contains("cloudAgreementLastDay"));
    assert!(message(thrown(api::validate_confirmation(
        JsValue::UNDEFINED,
        JsValue::UNDEFINED
    )))
    .contains("form"));
    assert!(message(thrown(api::validate_confirmation(
        js(r#"{"firstName":42}"#),
        JsValue::UNDEFINED
    )))
    .contains("form.firstName"));
    assert!(message(thrown(api::validate_confirmation(
        js(FORM),
        js(r#"{"localToday":"tomorrow"}"#)
    )))
    .contains("localToday"));
    assert!(message(thrown(api::validate_field(
        "middleName",
        "x",
        JsValue::UNDEFINED
    )))
    .contains("middleName"));
    assert!(message(thrown(api::order_gate(js(r#"{"date":"2020-02-01"}"#)))).contains("action"));
    assert!(message(thrown(api::order_gate(js(
        r#"{"date":"2020-02-01","action":"new-order","confirmations":{}}"#
    ))))
    .contains("confirmations"));
    assert!(message(thrown(api::order_gate(JsValue::UNDEFINED))).contains("request"));
    // An error message quotes at most 40 characters of a huge input, cut at a character.
    let huge = "x".repeat(1 << 20);
    assert!(message(thrown(api::is_cloud_agreement_acceptable(&huge))).len() < 200);
    let long = format!("{}é", "é".repeat(40));
    assert_eq!(
        message(thrown(api::is_cloud_agreement_acceptable(&long))),
        format!(
            "date: \"{}…\" is not a calendar date written YYYY-MM-DD",
            "é".repeat(40)
        )
    );
    assert_eq!(
        message(thrown(api::is_cloud_agreement_acceptable("2020-1-1"))),
        "date: \"2020-1-1\" is not a calendar date written YYYY-MM-DD"
    );
    assert_eq!(
        message(thrown(api::agreement_status(
            "Nope".into(),
            "2020-01-01",
            JsValue::UNDEFINED
        ))),
        "agreementType: \"Nope\" is not one of MicrosoftCloudAgreement, MicrosoftCustomerAgreement"
    );
}

#[wasm_bindgen(inline_js = r#"
export function isPlainData(value) {
  if (value === null || ["string", "boolean", "number"].includes(typeof value)) return true;
  if (Array.isArray(value)) return value.every(isPlainData);
  return Object.getPrototypeOf(value) === Object.prototype
    && Object.values(value).every((v) => v === undefined || isPlainData(v));
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = isPlainData)]
    fn is_plain_data(value: &JsValue) -> bool;
}

/// Results are plain objects, arrays, strings and booleans (no `Map`, no class instances), so
/// that they can be spread, compared, stored and sent as JSON.
#[wasm_bindgen_test]
fn results_are_plain_data() {
    let options = js(r#"{"localToday":"2019-11-20"}"#);
    for result in [
        api::validate_confirmation(js(FORM), options.clone()).unwrap(),
        api::validate_confirmation(js("{}"), options.clone()).unwrap(),
        api::validate_field("email", "x", options.clone()).unwrap(),
        api::agreement_status(
            "MicrosoftCloudAgreement".into(),
            "2020-01-31",
            JsValue::UNDEFINED,
        )
        .unwrap(),
        api::timeline(JsValue::UNDEFINED, JsValue::UNDEFINED).unwrap(),
        api::order_gate(js(r#"{"date":"2020-02-01","action":"new-order"}"#)).unwrap(),
        api::countries().unwrap(),
        api::template_languages("FR").unwrap(),
        api::templates().unwrap(),
        api::labels(JsValue::UNDEFINED).unwrap(),
        api::default_policy().unwrap(),
        api::today(options).unwrap(),
    ] {
        assert!(is_plain_data(&result), "{}", json(&result));
        assert!(result.is_object(), "{}", json(&result));
    }
}

#[wasm_bindgen_test]
fn validate_confirmation_round_trip() {
    let options = js(
        r#"{"localToday":"2019-11-20","utcToday":"2019-11-20","locale":"en-US","role":"admin-agent"}"#,
    );
    let result = api::validate_confirmation(js(FORM), options).unwrap();
    assert_eq!(get(&result, "valid"), JsValue::TRUE, "{}", json(&result));
    assert_eq!(
        json(&get(&result, "payload")),
        r#"{"primaryContact":{"firstName":"Tania","lastName":"Carr","email":"someone@example.com","phoneNumber":"1234567890"},"templateId":"117a77b0-9360-443b-8795-c6dedc750cf9","dateAgreed":"2019-11-14T00:00:00Z","type":"MicrosoftCustomerAgreement"}"#
    );
    assert_eq!(
        text(&result, "customerId"),
        "14876998-c0dc-46e6-9d0c-65a57a6c32ec"
    );
    assert_eq!(text(&result, "country"), "FR");
    // Left-out values are absent, not null.
    let result =
        api::validate_confirmation(js("{}"), js(r#"{"localToday":"2019-11-20"}"#)).unwrap();
    assert!(!Reflect::has(&result, &"payload".into()).unwrap());
    assert!(!Reflect::has(&result, &"customerId".into()).unwrap());
    assert_eq!(Array::from(&get(&result, "errors")).length(), 5);
    assert_eq!(text(&result, "errors.0.field"), "agreementType");
    assert_eq!(text(&result, "errors.0.code"), "required");
}

#[wasm_bindgen_test]
fn null_and_missing_form_values_are_empty() {
    let form = js(
        r#"{"agreementType":"MicrosoftCustomerAgreement","dateAgreed":"2019-11-14","firstName":"Tania","lastName":"Carr","email":"someone@example.com","phoneNumber":null}"#,
    );
    let result = api::validate_confirmation(form, js(r#"{"localToday":"2019-11-20"}"#)).unwrap();
    assert_eq!(get(&result, "valid"), JsValue::TRUE, "{}", json(&result));
    assert!(!json(&result).contains("phoneNumber"));
}

#[wasm_bindgen_test]
fn messages_in_french_and_the_utc_rule() {
    // Kiritimati in the small hours: local date one day ahead of UTC.
    let options = js(r#"{"localToday":"2019-11-15","utcToday":"2019-11-14","locale":"fr-FR"}"#);
    let form = js(&FORM.replace("2019-11-14", "2019-11-15"));
    let result = api::validate_confirmation(form, options).unwrap();
    assert_eq!(text(&result, "errors.0.code"), "future-date");
    let message = text(&result, "errors.0.message");
    assert!(
        message.contains("UTC") && message.contains("14 novembre 2019"),
        "{message}"
    );
    let today = api::today(js(r#"{"localToday":"2019-11-15","utcToday":"2019-11-14"}"#)).unwrap();
    assert_eq!(text(&today, "latestAgreedDate"), "2019-11-14");
    assert_eq!(get(&today, "localIsAhead"), JsValue::TRUE);
}

#[wasm_bindgen_test]
fn the_duplicate_check_takes_agreements_as_read_back() {
    let existing = r#"[{"userId":null,"primaryContact":{"firstName":"Tania","lastName":"Carr","email":"SOMEONE@example.com","phoneNumber":"1234567890"},
      "templateId":"117a77b0-9360-443b-8795-c6dedc750cf9","dateAgreed":"2019-08-26T00:00:00","type":"MicrosoftCustomerAgreement",
      "agreementLink":"https://aka.ms/customeragreement"}]"#;
    let options = js(&format!(
        r#"{{"localToday":"2019-11-20","existing":{existing}}}"#
    ));
    let result = api::validate_confirmation(js(FORM), options).unwrap();
    assert_eq!(text(&result, "errors.0.field"), "form");
    assert_eq!(text(&result, "errors.0.code"), "duplicate-confirmation");
    let bad = js(
        r#"{"localToday":"2019-11-20","existing":[{"primaryContact":{},"dateAgreed":"x","type":"MicrosoftCustomerAgreement"}]}"#,
    );
    assert!(
        String::from(thrown(api::validate_confirmation(js(FORM), bad)).message())
            .contains("existing[0]")
    );
}

/// The browser's IDNA processing (its URL parser) and its general categories (its regular
/// expressions) give what the native ones give (the `idna` crate, `icu_properties`), on
/// generated domains: the rule is the same in a portal and in the sandbox.
#[wasm_bindgen_test]
fn the_browsers_idna_agrees_with_the_native_one() {
    use csp_agreements::checks::domain;
    use icu_properties::props::GeneralCategory as G;
    const POOL: &[&str] = &[
        "a", "z", "0", "9", "-", "é", "ü", "ß", "ç", "ø", "Ü", "É", "ж", "Ж", "я", "α", "Σ", "ς",
        "例", "え", "中", "テ", "ー", "ｇ", "Ａ", "©", "™", "ﬁ", "①", "\u{301}", "\u{200d}",
        "\u{200c}", "ا", "ب", "١", "א", "ⓐ", "Ⅻ", "℡", "\u{ad}", "ǅ", "ﾃ", "・", "्", "क",
    ];
    let categories = icu_properties::CodePointMapData::<G>::new();
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let (mut accepted, mut refused) = (0, 0);
    for _ in 0..3000 {
        let labels = 1 + next(3);
        let domain: Vec<String> = (0..labels)
            .map(|_| (0..1 + next(6)).map(|_| POOL[next(POOL.len())]).collect())
            .collect();
        let domain = domain.join(".") + "." + ["com", "рф", "テスト", "xn--p1ai"][next(4)];
        let browser = domain::to_ascii(&domain);
        let native = idna::domain_to_ascii(&domain).ok();
        assert_eq!(browser, native, "{domain:?}");
        if browser.is_some() {
            accepted += 1;
        } else {
            refused += 1;
        }
        let label = domain.split('.').next().unwrap();
        let expected = label.chars().find(|&c| {
            c != '-'
                && !matches!(
                    categories.get(c),
                    G::LowercaseLetter
                        | G::OtherLetter
                        | G::ModifierLetter
                        | G::NonspacingMark
                        | G::SpacingMark
                        | G::DecimalNumber
                )
        });
        assert_eq!(domain::first_not_letter_digit(label), expected, "{label:?}");
    }
    // Both outcomes were met often: the comparison compared something.
    assert!(
        accepted > 300 && refused > 300,
        "{accepted} accepted, {refused} refused"
    );
}

/// The four kinds of address a mail system would not take, refused with their own codes, in
/// both languages, and internationalized ones accepted.
#[wasm_bindgen_test]
fn addresses_as_mail_systems_read_them() {
    let fr = js(r#"{"locale":"fr"}"#);
    let local = "é".repeat(33);
    for (email, code, en, fr_text) in [
        (
            "ana@example.co©",
            "email-domain-character",
            "© (U+00A9)",
            "© (U+00A9)",
        ),
        (
            "ana@ｇｍａｉｌ.com",
            "email-read-as",
            "“ana@gmail.com”",
            "«\u{a0}ana@gmail.com\u{a0}»",
        ),
        (
            "ana@example.c",
            "email-top-level-domain",
            "two or more",
            "deux au moins",
        ),
        (
            &format!("{local}@example.com"),
            "email-local-part-too-long",
            "64 bytes",
            "64\u{a0}octets",
        ),
    ] {
        let issues = api::validate_field("email", email, JsValue::UNDEFINED).unwrap();
        assert_eq!(text(&issues, "errors.0.code"), code, "{email}");
        assert_eq!(Array::from(&get(&issues, "errors")).length(), 1, "{email}");
        assert!(text(&issues, "errors.0.message").contains(en), "{email}");
        let issues = api::validate_field("email", email, fr.clone()).unwrap();
        assert!(
            text(&issues, "errors.0.message").contains(fr_text),
            "{email}"
        );
    }
    let issues = api::validate_field("email", "ana@ｇｍａｉｌ.com", JsValue::UNDEFINED).unwrap();
    assert_eq!(text(&issues, "errors.0.params.address"), "ana@gmail.com");
    let issues = api::validate_field("email", "ana@example.co©", JsValue::UNDEFINED).unwrap();
    assert_eq!(text(&issues, "errors.0.params.character"), "© (U+00A9)");
    for good in [
        "hans@müller.example",
        "ivan@пример.рф",
        "taro@例え.テスト",
        "Ana@Example.COM",
    ] {
        let issues = api::validate_field("email", good, JsValue::UNDEFINED).unwrap();
        assert_eq!(Array::from(&get(&issues, "errors")).length(), 0, "{good}");
    }
}

/// An issue is its field, its code with that code's parameters (serde's tagged variant of the
/// problem: `params` is there for every code, empty when the code has none) and its message.
#[wasm_bindgen_test]
fn an_issue_carries_its_code_with_its_own_parameters() {
    let shape = |issue: &JsValue| {
        let mut keys = js_sys::Object::keys(issue.unchecked_ref::<js_sys::Object>()).to_vec();
        keys.retain(|key| key != "message");
        let params = JSON::stringify(&get(issue, "params")).unwrap();
        (keys, String::from(params))
    };
    let keys = |names: &[&str]| names.iter().map(|&n| JsValue::from(n)).collect::<Vec<_>>();
    let issues = api::validate_field("email", "someone@", JsValue::UNDEFINED).unwrap();
    let (names, params) = shape(&get(&issues, "errors.0"));
    assert_eq!(names, keys(&["field", "code", "params"]));
    assert_eq!(params, "{}");
    let retired = js(r#"{"localToday":"2026-12-06","route":"legacy"}"#);
    let issues = api::validate_field("agreementType", "MicrosoftCloudAgreement", retired).unwrap();
    assert_eq!(text(&issues, "errors.0.code"), "agreement-not-acceptable");
    let (_, params) = shape(&get(&issues, "errors.0"));
    assert_eq!(
        params,
        r#"{"agreementType":"MicrosoftCloudAgreement","until":"2020-01-31"}"#
    );
    let late = js(r#"{"localToday":"2019-11-20"}"#);
    let issues = api::validate_field("dateAgreed", "2019-11-21", late).unwrap();
    let (_, params) = shape(&get(&issues, "errors.0"));
    assert_eq!(params, r#"{"latest":"2019-11-20","utcRule":false}"#);
}

#[wasm_bindgen_test]
fn validate_field_as_the_user_types() {
    let issues = api::validate_field("email", "someone@", JsValue::UNDEFINED).unwrap();
    assert_eq!(text(&issues, "errors.0.code"), "invalid-email");
    assert_eq!(text(&issues, "errors.0.field"), "email");
    assert_eq!(Array::from(&get(&issues, "warnings")).length(), 0);
    let issues = api::validate_field(
        "language",
        "de-DE",
        js(r#"{"form":{"country":"FR"},"locale":"fr"}"#),
    )
    .unwrap();
    assert_eq!(text(&issues, "errors.0.code"), "unsupported-language");
    assert!(text(&issues, "errors.0.message").contains("fr-FR"));
    // The message's parameters come with it, for a portal writing its own messages.
    assert_eq!(text(&issues, "errors.0.params.country"), "FR");
    assert_eq!(text(&issues, "errors.0.params.supported.1"), "fr-FR");
    let issues = api::validate_field("firstName", "Tania", JsValue::UNDEFINED).unwrap();
    assert_eq!(Array::from(&get(&issues, "errors")).length(), 0);
}

#[wasm_bindgen_test]
fn hostile_strings_never_panic() {
    let options = js(r#"{"localToday":"2019-11-20"}"#);
    // A lone surrogate becomes U+FFFD on the way in, which no name contains.
    let form = js(FORM);
    Reflect::set(&form, &"firstName".into(), &lone_surrogate()).unwrap();
    let result = api::validate_confirmation(form, options.clone()).unwrap();
    assert_eq!(text(&result, "errors.0.code"), "invalid-characters");
    // Control characters.
    let form = js(FORM);
    Reflect::set(&form, &"lastName".into(), &control_string()).unwrap();
    let result = api::validate_confirmation(form, options.clone()).unwrap();
    assert_eq!(text(&result, "errors.0.code"), "invalid-characters");
    // 1 MB in every field.
    let form = js("{}");
    for field in [
        "agreementType",
        "dateAgreed",
        "firstName",
        "lastName",
        "email",
        "phoneNumber",
        "customerId",
        "country",
        "language",
    ] {
        Reflect::set(&form, &field.into(), &huge_string(1 << 20)).unwrap();
    }
    let result = api::validate_confirmation(form, options.clone()).unwrap();
    assert_eq!(get(&result, "valid"), JsValue::FALSE);
    assert!(Array::from(&get(&result, "errors")).length() >= 9);
    let huge = "é".repeat(1 << 19);
    for field in [
        "firstName",
        "email",
        "phoneNumber",
        "dateAgreed",
        "customerId",
        "country",
        "language",
        "role",
    ] {
        api::validate_field(field, &huge, options.clone()).unwrap();
    }
    for s in ["\u{0}", "\u{FFFF}", "𝕏", "2019-11-14\u{0}", "٢٠١٩-١١-١٤"] {
        api::validate_field("dateAgreed", s, options.clone()).unwrap();
        assert!(api::is_cloud_agreement_acceptable(s).is_err());
    }
    // A throwing getter reads as a missing value.
    let result = api::validate_confirmation(with_throwing_getter(), options).unwrap();
    assert_eq!(get(&result, "valid"), JsValue::FALSE);
}

/// A form of text crosses as its values alone; what that crossing cannot carry (a value with
/// U+0000 or U+0001, an inherited property, a value that is not text) crosses as any object
/// does, and every form reads as it did before.
#[wasm_bindgen_test]
fn a_form_reads_the_same_whichever_way_it_crosses() {
    let options = || js(r#"{"localToday":"2019-11-20","utcToday":"2019-11-20"}"#);
    let check = |form: JsValue| json(&api::validate_confirmation(form, options()).unwrap());
    let with = |field: &str, value: &JsValue| {
        let form = js(FORM);
        Reflect::set(&form, &field.into(), value).unwrap();
        form
    };
    let valid = check(js(FORM));
    assert!(valid.contains(r#""valid":true"#), "{valid}");
    assert!(valid.contains(r#""lastName":"Carr""#), "{valid}");
    // The same values, whether the validator or the function reads them.
    let mut validator = api::Validator::new(options()).unwrap();
    assert_eq!(json(&validator.validate(js(FORM)).unwrap()), valid);
    // A control character, U+0001 included (the values' own separator), is still refused.
    for control in ["Ca\u{1}rr", "Ca\u{2}rr", "Ca\u{0}rr"] {
        let result = check(with("lastName", &control.into()));
        assert!(
            result.contains(r#""code":"invalid-characters""#),
            "{control}: {result}"
        );
    }
    // Properties a form inherits are not its values: a form made from another reads as empty.
    let prototype: js_sys::Object = js(FORM).unchecked_into();
    let inherited = js_sys::Object::create(&prototype);
    assert_eq!(check(inherited.into()), check(js("{}")));
    // null and undefined are empty; anything but text is refused, naming the field.
    assert_eq!(
        check(with("phoneNumber", &JsValue::NULL)),
        check(with("phoneNumber", &"".into()))
    );
    let error = thrown(api::validate_confirmation(
        with("email", &JsValue::from(7)),
        options(),
    ));
    assert_eq!(
        String::from(error.message()),
        "form.email: expected a string"
    );
}

#[wasm_bindgen_test]
fn order_gate_crosses_the_boundary() {
    let request = js(
        r#"{"date":"2020-02-01","action":"seat-change","locale":"fr-FR",
      "confirmations":[{"type":"MicrosoftCloudAgreement","dateAgreed":"2019-05-01T00:00:00"}]}"#,
    );
    let verdict = api::order_gate(request).unwrap();
    assert_eq!(get(&verdict, "allowed"), JsValue::FALSE);
    assert_eq!(
        text(&verdict, "requiredAgreement"),
        "MicrosoftCustomerAgreement"
    );
    assert_eq!(
        text(&verdict, "reason.code"),
        "cloud-agreement-no-longer-counts"
    );
    assert!(text(&verdict, "reason.message").contains("1er février 2020"));
    assert_eq!(text(&verdict, "milestone"), "cloud-agreement-retired");
    let verdict = api::order_gate(js(
        r#"{"date":"2019-12-01","action":"new-order","offer":"azure-plan"}"#,
    ))
    .unwrap();
    assert_eq!(
        text(&verdict, "reason.code"),
        "offer-requires-customer-agreement"
    );
    assert!(!Reflect::has(&verdict, &"nothing".into()).unwrap());
}

#[wasm_bindgen_test]
fn timeline_countries_templates_labels() {
    let milestones = api::timeline(JsValue::UNDEFINED, "fr-FR".into()).unwrap();
    let milestones = Array::from(&milestones);
    assert_eq!(milestones.length(), 10);
    assert_eq!(text(&milestones.get(9), "id"), "legacy-attestation-retired");
    assert_eq!(text(&milestones.get(9), "date"), "2026-01-05");
    assert_eq!(text(&milestones.get(0), "id"), "sandbox-dashboard-preview");
    assert_eq!(text(&milestones.get(4), "date"), "2020-01-31");
    assert_eq!(text(&milestones.get(4), "environment"), "both");
    assert!(text(&milestones.get(3), "title").contains("production"));
    let custom = api::timeline(
        js(r#"{"cloudAgreementLastDay":"2020-02-29"}"#),
        JsValue::UNDEFINED,
    )
    .unwrap();
    assert_eq!(text(&Array::from(&custom).get(4), "date"), "2020-02-29");

    let countries = Array::from(&api::countries().unwrap());
    assert_eq!(countries.length(), 246);
    assert_eq!(
        json(&api::template_languages("fr").unwrap()),
        r#"["en-US","fr-FR"]"#
    );
    assert_eq!(json(&api::template_languages("ZZ").unwrap()), "[]");
    let templates = api::templates().unwrap();
    assert_eq!(
        text(&templates, "1.templateId"),
        "117a77b0-9360-443b-8795-c6dedc750cf9"
    );
    let labels = api::labels("fr-FR".into()).unwrap();
    assert_eq!(text(&labels, "firstName"), "Prénom");
    assert_eq!(text(&labels, "dateAgreed"), "Date d'acceptation du contrat");
    assert_eq!(
        text(&api::default_policy().unwrap(), "cloudAgreementLastDay"),
        "2020-01-31"
    );
}

#[wasm_bindgen_test]
fn the_browser_clock_gives_today() {
    let today = api::today(JsValue::UNDEFINED).unwrap();
    let now = js_sys::Date::new_0();
    let utc = format!(
        "{:04}-{:02}-{:02}",
        now.get_utc_full_year(),
        now.get_utc_month() + 1,
        now.get_utc_date()
    );
    assert_eq!(text(&today, "utc"), utc);
    let local = text(&today, "local");
    assert!(text(&today, "latestAgreedDate") <= local);
    // Without a day in the options, "today" comes from the clock: a date in the future is refused.
    let issues = api::validate_field("dateAgreed", "2999-01-01", JsValue::UNDEFINED).unwrap();
    assert_eq!(text(&issues, "errors.0.code"), "future-date");
}

/// The writer behind every result (`compact`, read back by `js/boundary.js`), on the shapes
/// the results do not have yet.
#[wasm_bindgen_test]
fn results_serializer_edge_cases() {
    use serde::Serialize;
    use std::collections::BTreeMap;

    #[derive(Serialize)]
    enum Shape {
        Unit,
        Newtype(u8),
    }
    #[derive(Serialize)]
    struct Record<'a> {
        #[serde(rename = "camelName")]
        name: &'a str,
        absent: Option<u8>,
        tuple: (u8, bool),
        empty: Vec<u8>,
        nested: Vec<Vec<&'a str>>,
    }

    let to = |v: &dyn erased::Value| v.js();
    let record = to(&Record {
        name: "x\u{0}y",
        absent: None,
        tuple: (1, true),
        empty: vec![],
        nested: vec![vec!["a", ""], vec![]],
    })
    .unwrap();
    assert_eq!(
        text(&record, "camelName"),
        "x\u{FFFD}y",
        "U+0000 separates the tokens"
    );
    assert_eq!(
        json(&record),
        "{\"camelName\":\"x\u{FFFD}y\",\"tuple\":[1,true],\"empty\":[],\"nested\":[[\"a\",\"\"],[]]}"
    );
    assert!(Reflect::has(&record, &"absent".into()).unwrap());
    assert!(get(&record, "absent").is_undefined());
    assert_eq!(
        json(&to(&[1u64, (1 << 53) - 1]).unwrap()),
        "[1,9007199254740991]"
    );
    // Maps are what serde writes a struct with a flattened member as: keys are strings.
    let map: BTreeMap<&str, u64> = [("a", 1), ("b", 2)].into();
    assert_eq!(json(&to(&map).unwrap()), "{\"a\":1,\"b\":2}");
    let numbered: BTreeMap<u8, u64> = [(1, 1)].into();
    assert!(to(&numbered).is_err(), "a map's keys are strings");
    #[derive(Serialize)]
    #[serde(tag = "code", content = "params")]
    enum Tagged {
        Plain {},
        Sized { max: u8 },
    }
    #[derive(Serialize)]
    struct Flat {
        field: &'static str,
        #[serde(flatten)]
        tagged: Tagged,
        message: &'static str,
    }
    let flat = |tagged| Flat {
        field: "email",
        tagged,
        message: "m",
    };
    assert_eq!(
        json(&to(&flat(Tagged::Sized { max: 3 })).unwrap()),
        "{\"field\":\"email\",\"code\":\"Sized\",\"params\":{\"max\":3},\"message\":\"m\"}"
    );
    assert_eq!(
        json(&to(&flat(Tagged::Plain {})).unwrap()),
        "{\"field\":\"email\",\"code\":\"Plain\",\"params\":{},\"message\":\"m\"}"
    );
    assert!(to(&(1u64 << 53)).is_err());
    assert!(to(&i64::MIN).is_err());
    assert_eq!(to(&-5i64).unwrap().as_f64(), Some(-5.0));
    assert_eq!(to(&2.0f64).unwrap().as_f64(), Some(2.0));
    assert!(to(&0.5f64).is_err(), "no float formatting in the module");
    assert_eq!(
        to(&Shape::Unit).unwrap().as_string().as_deref(),
        Some("Unit")
    );
    assert!(to(&Shape::Newtype(1)).is_err());
    assert_eq!(to(&'é').unwrap().as_string().as_deref(), Some("é"));
    let many: Vec<u32> = (0..100_000).collect();
    assert_eq!(Array::from(&to(&many).unwrap()).length(), 100_000);
}

/// `to_js_value` through a trait object, so that the test can list values of several types.
mod erased {
    pub trait Value {
        fn js(&self) -> Result<wasm_bindgen::JsValue, ()>;
    }
    impl<T: serde::Serialize> Value for T {
        fn js(&self) -> Result<wasm_bindgen::JsValue, ()> {
            csp_agreements::wasm::to_js_value(self).map_err(|_| ())
        }
    }
}

/// The derived readers accept what the declared shapes allow and refuse the rest, naming the
/// property: the arguments of the rules' functions, each sample with its verdict (`Ok` or the
/// start of the error).
#[wasm_bindgen_test]
fn the_derived_readers_follow_their_declarations() {
    let contact = r#"{"firstName":"Tania","lastName":"Carr","email":"t@example.com"}"#;
    let agreement = format!(
        r#"{{"primaryContact":{contact},"templateId":"117a77b0-9360-443b-8795-c6dedc750cf9","dateAgreed":"2019-11-14T00:00:00Z","type":"MicrosoftCustomerAgreement"}}"#
    );
    let status = |options: &str| {
        api::agreement_status(
            "MicrosoftCustomerAgreement".into(),
            "2020-01-01",
            js(options),
        )
        .map(drop)
    };
    let gate = |request: &str| api::order_gate(js(request)).map(drop);
    let validate = |options: &str| api::validate_confirmation(js("{}"), js(options)).map(drop);
    let form = |form: &str| api::validate_confirmation(js(form), js("{}")).map(drop);
    let existing = |agreement: &str| validate(&format!(r#"{{"existing":[{agreement}]}}"#));
    let policy = |policy: &str| api::check_policy(js(policy)).map(drop);
    let cases: Vec<(Result<(), JsError>, &str)> = vec![
        (status("{}"), ""),
        (
            status(r#"{"environment":"sandbox","channel":"sdk","locale":"fr-CA"}"#),
            "",
        ),
        (
            status(r#"{"environment":null,"locale":null,"policy":null}"#),
            "",
        ),
        (
            status(r#"{"environment":"Sandbox"}"#),
            "options.environment: \"Sandbox\" is not one of",
        ),
        (
            status(r#"{"channel":3}"#),
            "options.channel: expected a string",
        ),
        (
            status(r#"{"locale":true}"#),
            "options.locale: expected a string",
        ),
        (
            status(r#"{"policy":{"cloudAgreementLastDay":"2020-02-29"}}"#),
            "",
        ),
        (
            status(r#"{"policy":{"cloudAgreementLastDay":"2020-02-30"}}"#),
            "options.policy: cloudAgreementLastDay",
        ),
        (
            status(r#"{"policy":{"unknownDay":"2020-01-01"}}"#),
            "options.policy: unknown field",
        ),
        (
            status(r#"{"policy":"x"}"#),
            "options.policy: expected an object",
        ),
        (status(r#"{"extra":1}"#), ""),
        (status("1"), "options: expected an object"),
        (gate(r#"{"date":"2020-02-01","action":"new-order"}"#), ""),
        (
            gate(
                r#"{"date":"2020-02-01","action":"seat-change","offer":"azure-plan","environment":"sandbox","locale":"fr"}"#,
            ),
            "",
        ),
        (
            gate(
                r#"{"date":"2020-02-01","action":"new-order","confirmations":[{"type":"MicrosoftCloudAgreement","dateAgreed":"2019-05-01"}]}"#,
            ),
            "",
        ),
        (
            gate(
                r#"{"date":"2020-02-01","action":"new-order","confirmations":[{"type":"Other","dateAgreed":"2019-05-01"}]}"#,
            ),
            "request.confirmations[0].type: \"Other\" is not one of",
        ),
        (
            gate(
                r#"{"date":"2020-02-01","action":"new-order","confirmations":[{"dateAgreed":"2019-05-01"}]}"#,
            ),
            "request.confirmations[0].type: expected one of",
        ),
        (
            gate(
                r#"{"date":"2020-02-01","action":"new-order","confirmations":[{"type":"MicrosoftCloudAgreement"}]}"#,
            ),
            "request.confirmations[0].dateAgreed: expected a string",
        ),
        (
            gate(r#"{"date":"2020-02-01","action":"new-order","confirmations":{}}"#),
            "request.confirmations: expected an array",
        ),
        (
            gate(r#"{"date":"2020-02-01","action":"new-order","offer":null,"policy":null}"#),
            "",
        ),
        (
            gate(r#"{"date":"2020-02-01"}"#),
            "request.action: expected one of",
        ),
        (
            gate(r#"{"action":"new-order"}"#),
            "request.date: expected a string",
        ),
        (
            gate(r#"{"date":20200201,"action":"new-order"}"#),
            "request.date: expected a string",
        ),
        (
            gate(r#"{"date":"2020-02-01","action":"renew"}"#),
            "request.action: \"renew\" is not one of",
        ),
        (gate(r#"{"date":"2020-02-01","action":"renewal"}"#), ""),
        (gate("null"), "request: expected an object"),
        (gate("[]"), "request: expected an object"),
        (validate("{}"), ""),
        (
            validate(
                r#"{"localToday":"2019-11-15","utcToday":"2019-11-14","locale":"fr-FR","role":"admin-agent"}"#,
            ),
            "",
        ),
        (
            validate(
                r#"{"partnerType":"indirect-reseller","environment":"sandbox","channel":"api","templateId":"x"}"#,
            ),
            "",
        ),
        (
            validate(r#"{"partnerType":"reseller"}"#),
            "options.partnerType: \"reseller\" is not one of",
        ),
        (validate(r#"{"role":7}"#), "options.role: expected a string"),
        (
            validate(r#"{"templateId":false}"#),
            "options.templateId: expected a string",
        ),
        (validate(r#"{"existing":[]}"#), ""),
        (
            validate(r#"{"existing":"none"}"#),
            "options.existing: expected an array",
        ),
        (
            validate(r#"{"form":{"firstName":"Tania","email":null}}"#),
            "",
        ),
        (
            validate(r#"{"form":{"firstName":1}}"#),
            "options.form.firstName: expected a string",
        ),
        (
            validate(r#"{"form":null,"policy":null,"existing":null,"localToday":null}"#),
            "",
        ),
        (
            validate(r#"{"policy":{"productionAvailable":"2021-10-02"}}"#),
            "options.policy: ",
        ),
        (form(r#"{"firstName":null,"lastName":null}"#), ""),
        (form(r#"{"agreementType":"Anything at all"}"#), ""),
        (
            form(r#"{"firstName":["Tania"]}"#),
            "form.firstName: expected a string",
        ),
        (form(r#"{"email":{}}"#), "form.email: expected a string"),
        (form(r#"{"unknown":"kept out"}"#), ""),
        (existing(&agreement), ""),
        (
            existing(&agreement.replace("T00:00:00Z", "T00:00:00.1234567")),
            "",
        ),
        (
            existing(&agreement.replace(r#""2019-11-14T00:00:00Z""#, r#""2019-11-14""#)),
            "",
        ),
        (
            existing(&agreement.replace(r#""2019-11-14T00:00:00Z""#, r#""14/11/2019""#)),
            "options.existing[0].dateAgreed: expected a date",
        ),
        (
            existing(&agreement.replace(
                r#""type":"MicrosoftCustomerAgreement""#,
                r#""type":"microsoftcustomeragreement""#,
            )),
            "options.existing[0].type: \"microsoftcustomeragreement\" is not one of",
        ),
        (
            existing(&agreement.replace(r#","type":"MicrosoftCustomerAgreement""#, "")),
            "options.existing[0].type: expected one of",
        ),
        (existing(&agreement.replace("{", r#"{"userId":null,"#)), ""),
        (
            existing(&agreement.replace(
                r#""email":"t@example.com""#,
                r#""email":"t@example.com","phoneNumber":"+33 1 23""#,
            )),
            "",
        ),
        (
            existing(&agreement.replace(r#""lastName":"Carr","#, "")),
            "options.existing[0].primaryContact.lastName: expected a string",
        ),
        (
            existing(&agreement.replace(
                r#""templateId":"117a77b0-9360-443b-8795-c6dedc750cf9","#,
                "",
            )),
            "options.existing[0].templateId: expected a string",
        ),
        (policy("{}"), ""),
        (policy(r#"{"cloudAgreementLastDay":"2020-01-30"}"#), ""),
        (policy(r#"{"cloudAgreementLastDay":null}"#), ""),
        (
            policy(r#"{"cloudAgreementLastDay":"2019-01-30"}"#),
            "policy: ",
        ),
        (
            policy(r#"{"cloudAgreementLastDay":"soon"}"#),
            "policy: cloudAgreementLastDay",
        ),
        (
            policy(r#"{"cloudAgreementLastDay":20200130}"#),
            "policy.cloudAgreementLastDay: expected a string",
        ),
        (
            policy(r#"{"nextYear":"2021-01-01"}"#),
            "policy: unknown field \"nextYear\"",
        ),
    ];
    let mut wrong = Vec::new();
    for (i, (result, expected)) in cases.into_iter().enumerate() {
        let got = result.map_err(|e| {
            thrown::<()>(Err(e))
                .message()
                .as_string()
                .unwrap_or_default()
        });
        let fine = match &got {
            Ok(()) => expected.is_empty(),
            Err(message) => !expected.is_empty() && message.starts_with(expected),
        };
        if !fine {
            wrong.push(format!("case {i}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

/// The route follows Partner Center's day (UTC), in both time-zone directions around the
/// legacy attestation's retirement.
#[wasm_bindgen_test]
fn the_route_of_a_confirmation_by_partner_centers_day() {
    let route = |options: &str| json(&api::confirmation_route(js(options)).unwrap());
    assert_eq!(
        route(r#"{"localToday":"2026-01-05","utcToday":"2026-01-04"}"#),
        r#"{"route":"legacy","enhancedAvailable":true,"milestone":"enhanced-attestation-production","milestoneDate":"2025-07-10","day":"2026-01-04"}"#
    );
    assert_eq!(
        route(r#"{"localToday":"2026-01-04","utcToday":"2026-01-05"}"#),
        r#"{"route":"enhanced","enhancedAvailable":true,"milestone":"legacy-attestation-retired","milestoneDate":"2026-01-05","day":"2026-01-05"}"#
    );
    assert_eq!(
        route(r#"{"utcToday":"2019-11-15"}"#),
        r#"{"route":"legacy","enhancedAvailable":false,"day":"2019-11-15"}"#
    );
    assert_eq!(
        text(
            &api::confirmation_route(js(
                r#"{"utcToday":"2026-02-01","policy":{"legacyAttestationRetired":"2026-03-01"}}"#
            ))
            .unwrap(),
            "route"
        ),
        "legacy"
    );
}

/// A partner attestation from before the refresh stops counting at the retirement; a direct
/// acceptance counts; refusals name Partner Center's 13605.
#[wasm_bindgen_test]
fn the_order_gate_knows_the_refresh_and_direct_acceptance() {
    let gate = |confirmations: &str| {
        api::order_gate(js(&format!(
            r#"{{"date":"2026-11-24","action":"new-order","confirmations":{confirmations},"locale":"fr-FR"}}"#
        )))
        .unwrap()
    };
    let stale =
        gate(r#"[{"type":"MicrosoftCustomerAgreement","dateAgreed":"2022-09-15T00:00:00"}]"#);
    assert_eq!(text(&stale, "reason.code"), "attestation-before-refresh");
    assert!(text(&stale, "reason.message").starts_with("La confirmation du partenaire précède"));
    assert_eq!(get(&stale, "partnerCenterCode").as_f64(), Some(13605.0));
    let direct = gate(
        r#"[{"type":"MicrosoftCustomerAgreement","dateAgreed":"2022-09-15","acceptedBy":"customer"}]"#,
    );
    assert_eq!(get(&direct, "allowed").as_bool(), Some(true));
    assert!(get(&direct, "partnerCenterCode").is_undefined());
    let refused = thrown(api::order_gate(js(
        r#"{"date":"2026-11-24","action":"new-order","confirmations":[{"type":"MicrosoftCustomerAgreement","dateAgreed":"2022-09-15","acceptedBy":"reseller"}]}"#,
    )));
    assert!(String::from(refused.message()).contains("acceptedBy"));
}

/// The client's calls that end before any request: the route of `confirm`, the checks of the
/// attestation calls. (Their requests are tested in Node against the sandbox and a mock server.)
#[cfg(feature = "client")]
mod client_calls {
    use super::*;
    use wasm_bindgen_futures::JsFuture;

    async fn resolved(promise: js_sys::Promise) -> JsValue {
        JsFuture::from(promise).await.expect("resolves")
    }

    fn client() -> api::PartnerCenterClient {
        api::PartnerCenterClient::new(client_options()).expect("a client")
    }

    const CUSTOMER: &str = "2b8c5e6a-7d3f-4a1c-9e4b-9f3a5c7d1e03";

    #[wasm_bindgen_test]
    async fn confirm_takes_the_route_of_partner_centers_day() {
        // No email: refused by the checks of each route, before any request.
        let form = r#"{"agreementType":"MicrosoftCustomerAgreement","dateAgreed":"","firstName":"Tania","lastName":"Carr","email":"","country":"FR"}"#;
        let on = |day: &str| js(&format!(r#"{{"localToday":"{day}","utcToday":"{day}"}}"#));
        let enhanced =
            resolved(client().confirm(CUSTOMER.into(), js(form), Some(on("2026-01-05")))).await;
        assert_eq!(text(&enhanced, "route"), "enhanced");
        assert_eq!(text(&enhanced, "stage"), "validation");
        // No date of acceptance is asked on the enhanced route.
        let fields: Vec<String> = Array::from(&get(&enhanced, "errors"))
            .iter()
            .map(|e| text(&e, "field"))
            .collect();
        assert_eq!(fields, ["email"]);
        let legacy =
            resolved(client().confirm(CUSTOMER.into(), js(form), Some(on("2026-01-04")))).await;
        assert_eq!(text(&legacy, "route"), "legacy");
        let fields: Vec<String> = Array::from(&get(&legacy, "errors"))
            .iter()
            .map(|e| text(&e, "field"))
            .collect();
        assert_eq!(fields, ["dateAgreed", "email"]);
    }

    #[wasm_bindgen_test]
    async fn attestation_calls_check_before_sending() {
        let form = js(
            r#"{"firstName":"Tania","lastName":"Carr","email":"tania@example.com","country":"US"}"#,
        );
        let refused = resolved(client().create_attestation(
            CUSTOMER.into(),
            form.clone(),
            Some(js(r#"{"role":"helpdesk-agent","locale":"fr-FR"}"#)),
        ))
        .await;
        assert_eq!(get(&refused, "ok"), JsValue::FALSE);
        assert_eq!(text(&refused, "errors.0.code"), "role-not-allowed");
        assert!(text(&refused, "errors.0.message").starts_with("Seul un agent"));
        let no_customer = resolved(client().create_attestation("nope".into(), form, None)).await;
        assert_eq!(text(&no_customer, "errors.0.field"), "customerId");
        for call in [
            client().attestation(CUSTOMER.into(), "../../v1/customers".into(), None),
            client().complete_attestation(CUSTOMER.into(), "".into(), None),
        ] {
            let result = resolved(call).await;
            assert_eq!(text(&result, "stage"), "validation");
            assert_eq!(text(&result, "errors.0.code"), "invalid-attestation-id");
        }
    }

    #[wasm_bindgen_test]
    fn csv_of_neutralizes_formulas() {
        let rows = r#"[["name","n"],["=1+1",2],["a,b",null],["Acme;=1+1",""]]"#;
        let csv = api::csv_of_rows(js(rows), None).unwrap();
        assert_eq!(
            csv,
            "\u{feff}name,n\r\n'=1+1,2\r\n\"a,b\",\r\n\"Acme;=1+1\",\r\n"
        );
        // For a French spreadsheet: semicolons.
        let french = api::csv_of_rows(js(rows), Some(js(r#"{"separator":";"}"#))).unwrap();
        assert_eq!(
            french,
            "\u{feff}name;n\r\n'=1+1;2\r\n\"a,b\";\r\n\"Acme;=1+1\";\r\n"
        );
        assert!(api::csv_of_rows(js(r#"[{"a":1}]"#), None).is_err());
        assert!(api::csv_of_rows(js(rows), Some(js(r#"{"separator":"|"}"#))).is_err());
    }
}

/// The bulk checks of a file, in one call and in chunks.
#[cfg(feature = "bulk")]
mod bulk {
    use super::*;

    const CSV: &str = "\u{feff}ID client;Contrat;Date d'acceptation;Prénom;Nom;Courriel\r\n\
        14876998-c0dc-46e6-9d0c-65a57a6c32ec;MicrosoftCustomerAgreement;2019-11-14;Tania;Carr;tania@example.com\r\n\
        2b7cc5ff-4e20-4a8c-9b5e-3c1f1c0e9d21;MicrosoftCustomerAgreement;2019-11-14;\"Jo\nAnn\";Carr;jo@\r\n\
        14876998-C0DC-46E6-9D0C-65A57A6C32EC;MicrosoftCustomerAgreement;2019-11-13;Kim;Lee;kim@example.com\r\n";
    const OPTIONS: &str = r#"{"localToday":"2019-11-20","utcToday":"2019-11-20","locale":"fr-FR"}"#;

    #[wasm_bindgen_test]
    fn validate_csv_gives_issues_on_their_lines_and_the_payloads() {
        let result = api::validate_csv(CSV.into(), js(OPTIONS)).unwrap();
        assert_eq!(text(&result, "route"), "legacy");
        assert_eq!(get(&result, "rows").as_f64(), Some(3.0));
        assert_eq!(get(&result, "valid").as_f64(), Some(1.0));
        assert_eq!(text(&result, "issues.0.code"), "invalid-characters");
        assert_eq!(get(&result, "issues.0.line").as_f64(), Some(3.0));
        assert_eq!(text(&result, "issues.1.code"), "invalid-email");
        assert_eq!(text(&result, "issues.2.code"), "duplicate-in-file");
        assert_eq!(
            get(&result, "issues.2.params.firstLine").as_f64(),
            Some(2.0)
        );
        assert_eq!(
            text(&result, "issues.2.message"),
            "Même client et même contrat qu'à la ligne 2."
        );
        assert_eq!(
            text(&result, "payloads.0.customerId"),
            "14876998-c0dc-46e6-9d0c-65a57a6c32ec"
        );
        assert_eq!(
            text(&result, "payloads.0.payload.dateAgreed"),
            "2019-11-14T00:00:00Z"
        );
        // The bytes of a file read the same.
        let bytes = js_sys::Uint8Array::from(CSV.as_bytes());
        let again = api::validate_csv(bytes.into(), js(OPTIONS)).unwrap();
        assert_eq!(json(&again), json(&result));
        // A malformed file is issues, not an exception; a wrong argument is one.
        let broken = api::validate_csv("a,b\n\"x".into(), JsValue::UNDEFINED).unwrap();
        assert_eq!(text(&broken, "issues.0.code"), "missing-column");
        let message = thrown(api::validate_csv(JsValue::from(3), JsValue::UNDEFINED)).message();
        assert_eq!(message, "file: expected a string or a Uint8Array");
    }

    /// A file given as text is written into the module by the browser's encoder, first into
    /// room for one byte per code unit and then for the rest: characters of two, three and
    /// four bytes (a surrogate pair) on either side of where the first room ends, and a lone
    /// surrogate (written as U+FFFD), read as the same file's bytes are.
    #[wasm_bindgen_test]
    fn a_file_given_as_text_reads_as_its_bytes_whatever_its_characters() {
        let header = "customerId,agreementType,dateAgreed,firstName,lastName,email,phoneNumber,country,language";
        for pad in 0..6 {
            let mut rows = vec![header.to_string()];
            for i in 0..40 {
                let first = format!("{}山田{}", "a".repeat(pad), "é".repeat(i % 3));
                rows.push(format!(
                    "3f2504e0-4f89-11d3-9a0c-0305e82c{i:04},MicrosoftCustomerAgreement,2019-11-14,{first},Carr 👩🏽‍💻 Ōno,ann{i}@example.com,,FR,fr-FR"
                ));
            }
            let file = rows.join("\r\n");
            let text = js_sys::JsString::from(file.as_str());
            let bytes = js_sys::Uint8Array::from(file.as_bytes());
            let given = api::validate_csv(text.into(), js(OPTIONS)).unwrap();
            let read = api::validate_csv(bytes.into(), js(OPTIONS)).unwrap();
            assert_eq!(json(&given), json(&read), "pad {pad}");
            assert_eq!(
                get(&given, "valid").as_f64(),
                Some(40.0),
                "{}",
                json(&given)
            );
        }
        // A lone high surrogate in a name: the encoder writes U+FFFD, as for the bytes.
        let (before, after) = CSV.split_at(CSV.find("Kim").unwrap());
        let lone = js_sys::JsString::from(before)
            .concat(&js_sys::JsString::from_char_code1(0xD83D))
            .concat(&after.into());
        let replaced = format!("{before}\u{fffd}{after}");
        let given = api::validate_csv(lone.into(), js(OPTIONS)).unwrap();
        let bytes = js_sys::Uint8Array::from(replaced.as_bytes());
        let read = api::validate_csv(bytes.into(), js(OPTIONS)).unwrap();
        assert_eq!(json(&given), json(&read));
    }

    /// A result's payloads are made when first read, from what its check left: the checks
    /// after it (which reuse the module's memory) change nothing. The property is the result's
    /// own and enumerable, so JSON, spread and `postMessage` see it; once read or set it is a
    /// plain one.
    #[wasm_bindgen_test]
    fn payloads_are_made_when_first_read_whatever_was_checked_since() {
        let header = "customerId,agreementType,dateAgreed,firstName,lastName,email,phoneNumber,country,language";
        let file = |seed: u32| {
            let mut rows = vec![header.to_string()];
            for i in 0..300 {
                let n = seed * 1000 + i;
                rows.push(format!(
                    "3f2504e0-4f89-11d3-9a0c-{n:012x},MicrosoftCustomerAgreement,2019-11-14,\"Zoë, {n}\",Carr{n},p{n}@example.com,,FR,fr-FR"
                ));
            }
            rows.join("\r\n")
        };
        let first = api::validate_csv(file(1).into(), js(OPTIONS)).unwrap();
        let key = JsValue::from("payloads");
        let descriptor = Reflect::get_own_property_descriptor(&first.clone().into(), &key).unwrap();
        assert!(get(&descriptor, "get").is_function(), "made when read");
        assert_eq!(get(&descriptor, "enumerable"), JsValue::TRUE);
        for seed in 2..5 {
            let other = api::validate_csv(file(seed).into(), js(OPTIONS)).unwrap();
            assert_eq!(get(&other, "payloads.length").as_f64(), Some(300.0));
        }
        let expected = api::validate_csv(file(1).into(), js(OPTIONS)).unwrap();
        let expected = json(&expected);
        assert!(
            expected.contains("\"firstName\":\"Zoë, 1299\""),
            "{expected}"
        );
        assert_eq!(json(&first), expected);
        let descriptor = Reflect::get_own_property_descriptor(&first.clone().into(), &key).unwrap();
        assert!(get(&descriptor, "value").is_array());
        assert_eq!(get(&descriptor, "writable"), JsValue::TRUE);
        // Set before it was read: what was set.
        let set = api::validate_csv(file(1).into(), js(OPTIONS)).unwrap();
        Reflect::set(&set, &key, &js_sys::Array::new()).unwrap();
        assert_eq!(get(&set, "payloads.length").as_f64(), Some(0.0));
        // Frozen before it was read (as a store's immer freezes what it holds): the payloads
        // all the same, the same array at every reading.
        let frozen = api::validate_csv(file(1).into(), js(OPTIONS)).unwrap();
        js_sys::Object::freeze(frozen.unchecked_ref::<js_sys::Object>());
        assert_eq!(json(&frozen), expected);
        assert!(js_sys::Object::is(
            &get(&frozen, "payloads"),
            &get(&frozen, "payloads")
        ));
    }

    #[cfg(feature = "span-check")]
    #[wasm_bindgen_test]
    fn the_crossing_of_bulk_results_gives_what_their_serde_shape_gives() {
        use csp_agreements::wasm::bulk_by_serde;
        let header = "customerId,agreementType,dateAgreed,firstName,lastName,email,phoneNumber,country,language";
        let rows = [
            // Read in place; a customer id to rewrite; quoted fields, one with a doubled quote;
            // characters outside the BMP and combining marks before and after the values.
            "14876998-c0dc-46e6-9d0c-65a57a6c32ec,MicrosoftCustomerAgreement,2019-11-14,Zoë,Carr 👩🏽‍💻,zoe@example.com,+33 1 23 45 67 89,FR,fr-FR",
            "{2B7CC5FF-4E20-4A8C-9B5E-3C1F1C0E9D21},MicrosoftCustomerAgreement,2019-11-13,\"Jo \"\"J\"\"\",\"Carr, Jr\",jo@example.com,,fr,FR-fr",
            "3f2504e0-4f89-11d3-9a0c-0305e82c3301,MicrosoftCustomerAgreement,2019-11-14, Nguyễn ,\"Thị\", thi@example.com ,,FR,",
            "3f2504e0-4f89-11d3-9a0c-0305e82c3302,MicrosoftCloudAgreement,2019-11-12,Ann,Lee,ann@example.com,,FR,fr-FR",
            "not-an-id,MicrosoftCustomerAgreement,2019-11-31,,Lee,ann@,x,XX,de-DE",
        ];
        let file = format!("\u{feff}{header}\r\n{}\r\n", rows.join("\r\n"));
        for options in [
            r#"{"localToday":"2019-11-20","utcToday":"2019-11-20","locale":"fr-FR"}"#,
            r#"{"localToday":"2019-11-20","utcToday":"2019-11-20","templateId":" my-template "}"#,
            r#"{"utcToday":"2026-11-24","localToday":"2026-11-24"}"#,
            r#"{"localToday":"2019-11-20","utcToday":"2019-11-20","payloads":false}"#,
        ] {
            let fast = api::validate_csv(file.clone().into(), js(options)).unwrap();
            let slow = bulk_by_serde(&file, &js(options), true).unwrap();
            assert_eq!(json(&fast), json(&slow), "{options}");
            // Bytes, and chunks, give their payloads copied: the same again.
            let bytes = js_sys::Uint8Array::from(file.as_bytes());
            let copied = api::validate_csv(bytes.into(), js(options)).unwrap();
            assert_eq!(json(&copied), json(&slow), "{options}");
            let mut validator = api::CsvValidator::new(js(options)).unwrap();
            for chunk in file.as_bytes().chunks(5) {
                validator.push(chunk).unwrap();
            }
            assert_eq!(json(&validator.finish().unwrap()), json(&slow), "{options}");
        }
        let fast = api::validate_csv(
            file.clone().into(),
            js(r#"{"localToday":"2019-11-20","utcToday":"2019-11-20"}"#),
        )
        .unwrap();
        assert_eq!(get(&fast, "valid").as_f64(), Some(4.0), "{}", json(&fast));
        assert_eq!(
            text(&fast, "payloads.1.customerId"),
            "2b7cc5ff-4e20-4a8c-9b5e-3c1f1c0e9d21"
        );
        assert_eq!(
            text(&fast, "payloads.1.payload.primaryContact.firstName"),
            "Jo \"J\""
        );
        assert_eq!(
            text(&fast, "payloads.0.payload.primaryContact.lastName"),
            "Carr 👩🏽‍💻"
        );
        assert_eq!(
            text(&fast, "payloads.2.payload.primaryContact.email"),
            "thi@example.com"
        );
    }

    #[wasm_bindgen_test]
    fn chunks_give_what_one_call_gives_and_rows_are_checked_alike() {
        let whole = api::validate_csv(CSV.into(), js(OPTIONS)).unwrap();
        let mut validator = api::CsvValidator::new(js(OPTIONS)).unwrap();
        for chunk in CSV.as_bytes().chunks(7) {
            validator.push(chunk).unwrap();
        }
        assert_eq!(json(&validator.finish().unwrap()), json(&whole));
        assert!(validator.finish().is_err(), "finished once");
        // Cancelled between chunks: what it kept is freed, and it says so from then on.
        let mut cancelled = api::CsvValidator::new(js(OPTIONS)).unwrap();
        cancelled.push(&CSV.as_bytes()[..40]).unwrap();
        cancelled.cancel();
        let error = thrown(cancelled.push(&CSV.as_bytes()[40..]));
        assert_eq!(
            String::from(error.message()),
            "this CsvValidator was cancelled"
        );
        assert!(cancelled.finish().is_err());
        let rows = api::validate_rows(
            js(r#"[{"customerId":"14876998-c0dc-46e6-9d0c-65a57a6c32ec","agreementType":"MicrosoftCustomerAgreement","dateAgreed":"2019-11-14","firstName":"Tania","lastName":"Carr","email":"tania@example.com"},{"email":"x"}]"#),
            js(OPTIONS),
        )
        .unwrap();
        assert_eq!(get(&rows, "valid").as_f64(), Some(1.0));
        assert_eq!(get(&rows, "issues.0.line").as_f64(), Some(2.0));
        // The enhanced route on its day: attestations, the date not asked.
        let today = api::validate_csv(
            "customerId,firstName,lastName,email,country\n14876998-c0dc-46e6-9d0c-65a57a6c32ec,Tania,Carr,t@example.com,FR\n".into(),
            js(r#"{"utcToday":"2026-11-24","localToday":"2026-11-24"}"#),
        )
        .unwrap();
        assert_eq!(text(&today, "route"), "enhanced");
        assert_eq!(text(&today, "payloads.0.attestation.country"), "FR");
    }

    #[wasm_bindgen_test]
    fn whole_numbers_out_of_range_are_refused_not_wrapped() {
        // On wasm32 a count read in 32 bits wrapped: 4294967296 read as 0 (no limit at all),
        // 5000000000 as 705032704.
        for value in ["4294967296", "5000000000", "9007199254740993", "-1", "0.5"] {
            let options = js(&format!(
                r#"{{"localToday":"2019-11-20","maxIssues":{value}}}"#
            ));
            let error = thrown(api::validate_csv(CSV.into(), options));
            let message = String::from(error.message());
            assert!(
                message.contains("options.maxIssues") && message.contains("4294967295"),
                "{value}: {message}"
            );
        }
        let kept = api::validate_csv(
            CSV.into(),
            js(r#"{"localToday":"2019-11-20","utcToday":"2019-11-20","maxIssues":1}"#),
        )
        .unwrap();
        assert_eq!(get(&kept, "issuesLeftOff").as_f64(), Some(2.0));
        // The lines of the problems left off are still named, each once (the row on line 3
        // spans two lines in quotes: the next starts on line 5).
        assert_eq!(json(&get(&kept, "linesLeftOff")), "[3,5]");
    }

    /// The sending checks each row's customer id before it goes into a request's path.
    #[cfg(feature = "client")]
    #[wasm_bindgen_test]
    fn send_bulk_refuses_a_customer_id_that_is_not_a_guid() {
        let client = api::PartnerCenterClient::new(client_options()).expect("a client");
        let attestation = r#"{"firstName":"Tania","lastName":"Carr","email":"t@example.com","country":"FR","language":"fr-FR","companyName":"Contoso"}"#;
        for id in [
            "../../v1/agreements",
            "14876998-c0dc-46e6-9d0c-65a57a6c32ec/orders",
            "",
        ] {
            let payloads = js(&format!(
                r#"[{{"line":2,"customerId":{},"attestation":{attestation}}}]"#,
                JSON::stringify(&JsValue::from_str(id)).unwrap()
            ));
            let error = thrown(client.send_bulk(payloads, None).map(|_| ()));
            let message = String::from(error.message());
            assert!(
                message.starts_with("payloads[0].customerId"),
                "{id}: {message}"
            );
        }
        let concurrency = js(r#"{"concurrency":4294967297}"#);
        let payloads = js(&format!(
            r#"[{{"line":2,"customerId":"14876998-c0dc-46e6-9d0c-65a57a6c32ec","attestation":{attestation}}}]"#
        ));
        let error = thrown(client.send_bulk(payloads, Some(concurrency)).map(|_| ()));
        assert!(String::from(error.message()).contains("options.concurrency"));
    }
}

/// `validateConfirmation` follows the route of its day like `attachValidation`: on a 2026 day
/// a form without a date of acceptance passes (the customer accepts on the day they do), and
/// `options.route` pins a route.
#[wasm_bindgen_test]
fn validate_confirmation_follows_the_route_of_its_day() {
    let form = js(
        r#"{"agreementType":"MicrosoftCustomerAgreement","dateAgreed":"","firstName":"Tania","lastName":"Carr","email":"tania@example.com","country":"FR","language":"fr-FR"}"#,
    );
    let today = js(r#"{"localToday":"2026-12-06","utcToday":"2026-12-06"}"#);
    let result = api::validate_confirmation(form.clone(), today).unwrap();
    assert_eq!(
        get(&result, "valid").as_bool(),
        Some(true),
        "{}",
        json(&result)
    );
    assert_eq!(text(&result, "route"), "enhanced");
    assert_eq!(text(&result, "attestation.firstName"), "Tania");
    // Pinned to the legacy route, the date of acceptance is asked again.
    let pinned = js(r#"{"localToday":"2026-12-06","utcToday":"2026-12-06","route":"legacy"}"#);
    let legacy = api::validate_confirmation(form.clone(), pinned).unwrap();
    assert_eq!(get(&legacy, "valid").as_bool(), Some(false));
    assert_eq!(text(&legacy, "route"), "legacy");
    assert_eq!(text(&legacy, "errors.0.field"), "dateAgreed");
    // Before the retirement, the legacy route of the day.
    let before = js(r#"{"localToday":"2025-12-01","utcToday":"2025-12-01"}"#);
    let old = api::validate_confirmation(form, before).unwrap();
    assert_eq!(text(&old, "route"), "legacy");
    assert_eq!(get(&old, "valid").as_bool(), Some(false));
}
