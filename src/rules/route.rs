//! Which way a new partner attestation goes on a day (SPEC §6): the legacy
//! `POST /v1/customers/{id}/agreements` until its retirement, the enhanced attestation flow
//! from it. The choice follows Partner Center's calendar (UTC): the API is retired on its day,
//! whatever the partner's clock says. Never a fallback from one route to the other.

use chrono::NaiveDate;

use crate::rules::agreement::Environment;
use crate::rules::timeline::{MilestoneId, Policy};

crate::wire_enum! {
    /// The way a confirmation is sent.
    pub enum Route {
        /// `POST /v1/customers/{id}/agreements` with the contact and the date of acceptance.
        Legacy = "legacy",
        /// Create an attestation, the customer accepts by its link, then complete it.
        Enhanced = "enhanced",
    }
}

/// The route on a day, and why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteChoice {
    /// The route to take.
    pub route: Route,
    /// Whether the enhanced flow is offered that day (from its sandbox or production date).
    pub enhanced_available: bool,
    /// The milestone the choice rests on: the retirement from its day on, else the enhanced
    /// flow's availability once it is there, else none.
    pub milestone: Option<MilestoneId>,
}

/// The route for a confirmation sent on `utc_day` (Partner Center's date).
pub fn confirmation_route(
    utc_day: NaiveDate,
    environment: Environment,
    policy: &Policy,
) -> RouteChoice {
    let enhanced_available = utc_day >= policy.enhanced_from(environment);
    let (route, milestone) = if utc_day >= policy.legacy_attestation_retired {
        (Route::Enhanced, Some(MilestoneId::LegacyAttestationRetired))
    } else if enhanced_available {
        let id = match environment {
            Environment::Production => MilestoneId::EnhancedAttestationProduction,
            Environment::Sandbox => MilestoneId::EnhancedAttestationSandbox,
        };
        (Route::Legacy, Some(id))
    } else {
        (Route::Legacy, None)
    };
    RouteChoice {
        route,
        enhanced_available,
        milestone,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::date::parse_date;

    fn route(day: &str, environment: Environment) -> (Route, bool) {
        let choice = confirmation_route(parse_date(day).unwrap(), environment, &Policy::DEFAULT);
        (choice.route, choice.enhanced_available)
    }

    #[test]
    fn legacy_until_the_retirement_enhanced_from_it() {
        use Environment::*;
        use Route::*;
        assert_eq!(route("2019-11-15", Production), (Legacy, false));
        assert_eq!(route("2025-04-10", Sandbox), (Legacy, false));
        assert_eq!(route("2025-04-11", Sandbox), (Legacy, true));
        assert_eq!(route("2025-04-11", Production), (Legacy, false));
        assert_eq!(route("2025-07-09", Production), (Legacy, false));
        assert_eq!(route("2025-07-10", Production), (Legacy, true));
        assert_eq!(route("2026-01-04", Production), (Legacy, true));
        assert_eq!(route("2026-01-05", Production), (Enhanced, true));
        assert_eq!(route("2026-01-05", Sandbox), (Enhanced, true));
        assert_eq!(route("2026-11-24", Production), (Enhanced, true));
    }

    #[test]
    fn a_moved_retirement_moves_the_route() {
        let policy = Policy::from_json(r#"{"legacyAttestationRetired":"2026-03-01"}"#).unwrap();
        let day = parse_date("2026-02-01").unwrap();
        assert_eq!(
            confirmation_route(day, Environment::Production, &policy).route,
            Route::Legacy
        );
        assert_eq!(
            Policy::from_json(r#"{"legacyAttestationRetired":"2025-07-09"}"#),
            Err(crate::rules::timeline::PolicyError::Order {
                earlier: "enhancedAttestationProduction",
                later: "legacyAttestationRetired"
            })
        );
    }
}
