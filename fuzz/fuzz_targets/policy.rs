//! A policy given as JSON (the portal's own timeline): read, checked, then every verdict on the
//! days around its milestones. A policy that reads must be in order, and no verdict may panic.
#![no_main]

use chrono::Duration;
use csp_agreements::rules::route::confirmation_route;
use csp_agreements::{agreement_status, AgreementType, Environment, Policy, Scope};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = Policy::from_json(text) else {
        return;
    };
    assert_eq!(policy.clone().check().ok(), Some(policy.clone()));
    let scope = Scope {
        policy: policy.clone(),
        ..Scope::default()
    };
    for milestone in policy.milestones() {
        for shift in [-1, 0, 1] {
            let Some(day) = milestone.date.checked_add_signed(Duration::days(shift)) else {
                continue;
            };
            for agreement in AgreementType::ALL {
                agreement_status(*agreement, day, &scope);
            }
            confirmation_route(day, Environment::Production, &policy);
        }
    }
});
