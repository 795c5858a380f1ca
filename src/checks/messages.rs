//! Every text shown to a user, in English (en-US) and French (fr-FR): field labels, the message
//! of each problem and gate reason, milestone texts. Codes are turned into text only here.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize};

use crate::checks::issues::{AcceptableWindow, Field, Issue, Problem, RoleRefusal};
use crate::rules::agreement::AgreementType;
use crate::rules::countries;
use crate::rules::gate::{GateReason, GateVerdict};
use crate::rules::timeline::MilestoneId;

/// The language of messages. Reads any BCP 47 tag: `fr`, `fr-CA`, `FR-fr` are French; anything
/// else is English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
pub enum Locale {
    #[default]
    #[serde(rename = "en-US")]
    /// English (United States): the default.
    EnUs,
    #[serde(rename = "fr-FR")]
    /// French (France).
    FrFr,
}

impl Locale {
    /// Reads a BCP 47 tag (`fr`, `fr-CA`, `en-GB`...); anything else is English.
    pub fn parse(tag: &str) -> Locale {
        let primary = tag.trim().split(['-', '_']).next().unwrap_or_default();
        if primary.eq_ignore_ascii_case("fr") {
            Locale::FrFr
        } else {
            Locale::EnUs
        }
    }

    /// The canonical tag.
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::EnUs => "en-US",
            Locale::FrFr => "fr-FR",
        }
    }
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Locale, D::Error> {
        Ok(Locale::parse(&String::deserialize(d)?))
    }
}

/// Picks the text of the locale.
fn t(locale: Locale, en: &'static str, fr: &'static str) -> &'static str {
    match locale {
        Locale::EnUs => en,
        Locale::FrFr => fr,
    }
}

/// A date written out: "January 31, 2020", "31 janvier 2020", "1er octobre 2019".
pub fn long_date(date: NaiveDate, locale: Locale) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    const FR: [&str; 12] = [
        "janvier",
        "février",
        "mars",
        "avril",
        "mai",
        "juin",
        "juillet",
        "août",
        "septembre",
        "octobre",
        "novembre",
        "décembre",
    ];
    let month = date.month0() as usize;
    match locale {
        Locale::EnUs => crate::text!(EN[month], " ", date.day(), ", ", date.year()),
        Locale::FrFr if date.day() == 1 => crate::text!("1er ", FR[month], " ", date.year()),
        Locale::FrFr => crate::text!(date.day(), " ", FR[month], " ", date.year()),
    }
}

/// The name of an agreement.
pub fn agreement_name(agreement: AgreementType, locale: Locale) -> &'static str {
    match agreement {
        AgreementType::MicrosoftCloudAgreement => t(
            locale,
            "Microsoft Cloud Agreement",
            "Contrat Microsoft Cloud",
        ),
        AgreementType::MicrosoftCustomerAgreement => t(
            locale,
            "Microsoft Customer Agreement",
            "Contrat client Microsoft",
        ),
    }
}

/// The message of a problem on a field.
pub fn issue_message(issue: &Issue, locale: Locale) -> String {
    let label = issue.field.label(locale);
    let date = |d: NaiveDate| long_date(d, locale);
    let fr = locale == Locale::FrFr;
    match &issue.problem {
        Problem::Required {} => match issue.field {
            Field::AgreementType => t(locale, "Choose the agreement.", "Sélectionnez le contrat.").into(),
            _ if fr => crate::text!("Le champ «\u{a0}", label, "\u{a0}» est obligatoire."),
            _ => crate::text!(label, " is required."),
        },
        Problem::InvalidAgreementType {} => t(
            locale,
            "Unknown agreement: choose the Microsoft Customer Agreement or the Microsoft Cloud Agreement.",
            "Contrat inconnu\u{a0}: choisissez le Contrat client Microsoft ou le Contrat Microsoft Cloud.",
        )
        .into(),
        Problem::AgreementNotAcceptable { agreement, window } => {
            let name = agreement_name(*agreement, locale);
            match (window, fr) {
                (AcceptableWindow::Until(last), false) => crate::text!("The ", name, " is no longer accepted: its last day was ", date(*last), ". Confirm the Microsoft Customer Agreement instead."),
                (AcceptableWindow::Until(last), true) => crate::text!("Le ", name, " n'est plus accepté\u{a0}: son dernier jour était le ", date(*last), ". Confirmez plutôt le Contrat client Microsoft."),
                (AcceptableWindow::From(from), false) => {
                    crate::text!("The ", name, " can be confirmed from ", date(*from), " only.")
                }
                (AcceptableWindow::From(from), true) => {
                    crate::text!("Le ", name, " ne peut être confirmé qu'à partir du ", date(*from), ".")
                }
            }
        }
        Problem::LastDayOfTransition { last_day } => {
            if fr {
                crate::text!("Le ", date(*last_day), " est le dernier jour où le Contrat Microsoft Cloud est accepté\u{202f}; dès le lendemain, seul le Contrat client Microsoft est valable.")
            } else {
                crate::text!(date(*last_day), " is the last day on which the Microsoft Cloud Agreement is accepted; from the next day on, only the Microsoft Customer Agreement counts.")
            }
        }
        Problem::InvalidDate {} => t(
            locale,
            "Enter a real date, as YYYY-MM-DD.",
            "Entrez une date qui existe, au format AAAA-MM-JJ.",
        )
        .into(),
        Problem::FutureDate { latest, utc_rule: false } => {
            if fr {
                crate::text!("La date d'acceptation ne peut pas être postérieure à aujourd'hui (le ", date(*latest), " au plus tard).")
            } else {
                crate::text!("You cannot set this to a future date (latest: ", date(*latest), ").")
            }
        }
        Problem::FutureDate { latest, utc_rule: true } => {
            if fr {
                crate::text!("L'Espace partenaires compte les jours en UTC, où nous sommes encore le ", date(*latest), "\u{a0}: la date d'acceptation ne peut pas être postérieure.")
            } else {
                crate::text!("Partner Center counts days in UTC, where it is still ", date(*latest), ": you cannot set this to a later date yet.")
            }
        }
        Problem::AfterRetirement { last_day } => {
            if fr {
                crate::text!("Un Contrat Microsoft Cloud ne peut pas avoir été accepté après son dernier jour, le ", date(*last_day), ".")
            } else {
                crate::text!("A Microsoft Cloud Agreement cannot have been accepted after its last day, ", date(*last_day), ".")
            }
        }
        Problem::BeforeAvailability { available_from } => {
            if fr {
                crate::text!("Cette date précède la disponibilité du Contrat client Microsoft (le ", date(*available_from), ")\u{a0}: vérifiez-la.")
            } else {
                crate::text!("This date is before the Microsoft Customer Agreement was available (", date(*available_from), "): check it.")
            }
        }
        Problem::TooLong { max } => match (issue.field, fr) {
            (_, false) => crate::text!(label, " is too long: at most ", max, " characters."),
            (_, true) => crate::text!("Le champ «\u{a0}", label, "\u{a0}» est trop long\u{a0}: ", max, " caractères au maximum."),
        },
        Problem::InvalidCharacters {} => {
            if fr {
                crate::text!("Le champ «\u{a0}", label, "\u{a0}» contient des caractères non autorisés (caractères de contrôle, retours à la ligne).")
            } else {
                crate::text!(label, " contains characters that are not allowed (control characters, line breaks).")
            }
        }
        Problem::InvalidEmail {} => t(
            locale,
            "Enter one email address, like name@example.com.",
            "Entrez une seule adresse e-mail, au format nom@exemple.com.",
        )
        .into(),
        Problem::EmailTooLong { max } => {
            if fr {
                crate::text!("L'adresse e-mail est trop longue\u{a0}: ", max, "\u{a0}octets au plus (un caractère hors ASCII en compte de deux à quatre).")
            } else {
                crate::text!("The email address is too long: at most ", max, " bytes (a character outside ASCII takes two to four).")
            }
        }
        Problem::EmailLocalPartTooLong { max } => {
            if fr {
                crate::text!("La partie avant le @ est trop longue\u{a0}: ", max, "\u{a0}octets au plus (un caractère hors ASCII en compte de deux à quatre).")
            } else {
                crate::text!("The part before the @ is too long: at most ", max, " bytes (a character outside ASCII takes two to four).")
            }
        }
        Problem::EmailDomainCharacter { character } => {
            let shown = code_point(*character);
            if fr {
                crate::text!("Le domaine de cette adresse contient ", shown, ", un caractère qu'aucun nom de domaine ne peut contenir.")
            } else {
                crate::text!("The domain of this address holds ", shown, ", a character no domain name can hold.")
            }
        }
        Problem::EmailReadAs { address } => {
            if fr {
                crate::text!("Cette adresse serait lue comme «\u{a0}", address, "\u{a0}»\u{a0}: son domaine est écrit avec des caractères qui en remplacent d'autres (des lettres pleine chasse, par exemple). Saisissez-la telle qu'elle se lit.")
            } else {
                crate::text!("This address would be read as “", address, "”: its domain is written with characters that stand for others (fullwidth letters, for instance). Type it as it is read.")
            }
        }
        Problem::EmailTopLevelDomain {} => t(
            locale,
            "The address's domain must end with a top-level domain of letters only, two or more (.com, .fr).",
            "Le domaine de l'adresse doit se terminer par une extension de lettres uniquement, deux au moins (.com, .fr).",
        )
        .into(),
        Problem::InvalidPhone {} => t(
            locale,
            "Enter a phone number of 7 to 15 digits: spaces, dashes, dots and parentheses are allowed, + at the start, an extension as x123.",
            "Entrez un numéro de 7 à 15 chiffres\u{a0}: espaces, tirets, points et parenthèses autorisés, + au début, un poste sous la forme x123.",
        )
        .into(),
        Problem::InvalidCustomerId {} => t(
            locale,
            "Enter the customer's Microsoft ID, a GUID such as 14876998-c0dc-46e6-9d0c-65a57a6c32ec.",
            "Entrez l'ID Microsoft du client, un GUID tel que 14876998-c0dc-46e6-9d0c-65a57a6c32ec.",
        )
        .into(),
        Problem::InvalidAttestationId {} => t(
            locale,
            "Not an attestation ID.",
            "Ce n'est pas un ID d'attestation.",
        )
        .into(),
        Problem::AttestationInProgress { since, expires } => {
            let sent = date(*since);
            let until = expires.map(date);
            match (fr, until) {
                (false, Some(until)) => crate::text!("An attestation sent on ", sent, " is waiting for this customer's acceptance (its link expires on ", until, "). Check it again, complete it once accepted, or withdraw it before sending another."),
                (false, None) => crate::text!("An attestation sent on ", sent, " is waiting for this customer's acceptance. Check it again, complete it once accepted, or withdraw it before sending another."),
                (true, Some(until)) => crate::text!("Une attestation envoyée le ", sent, " attend l'acceptation de ce client (son lien expire le ", until, "). Vérifiez-la à nouveau, finalisez-la une fois acceptée, ou retirez-la avant d'en envoyer une autre."),
                (true, None) => crate::text!("Une attestation envoyée le ", sent, " attend l'acceptation de ce client. Vérifiez-la à nouveau, finalisez-la une fois acceptée, ou retirez-la avant d'en envoyer une autre."),
            }
        }
        Problem::AttestationOfAnotherCustomer {} => t(
            locale,
            "This attestation was sent for another customer: it cannot be completed for this one.",
            "Cette attestation a été envoyée pour un autre client\u{a0}: elle ne peut pas être finalisée pour celui-ci.",
        )
        .into(),
        Problem::InvalidDomain {} => t(
            locale,
            "Enter a domain name such as contoso.onmicrosoft.com (letters, digits and hyphens, at least two labels).",
            "Entrez un nom de domaine tel que contoso.onmicrosoft.com (lettres, chiffres et tirets, au moins deux niveaux).",
        )
        .into(),
        Problem::UnknownCountry {} => t(
            locale,
            "No agreement template is known for this country or region: enter it as its two-letter ISO code (FR for France, DE for Germany).",
            "Aucun modèle de contrat n'est connu pour ce pays ou cette région\u{a0}: saisissez son code ISO à deux lettres (FR pour la France, DE pour l'Allemagne).",
        )
        .into(),
        Problem::UnsupportedLanguage { country: Some(code), supported } => {
            let name = countries::find(code).map_or(*code, |c| c.name);
            let list = crate::checks::text::join(supported, ", ");
            if fr {
                crate::text!("Le modèle pour ", name, " (", code, ") existe en\u{a0}: ", list, ".")
            } else {
                crate::text!("The template for ", name, " (", code, ") exists in: ", list, ".")
            }
        }
        Problem::UnsupportedLanguage { country: None, .. } => t(
            locale,
            "No agreement template exists in this language.",
            "Aucun modèle de contrat n'existe dans cette langue.",
        )
        .into(),
        Problem::RoleNotAllowed { refusal: RoleRefusal::Role } => t(
            locale,
            "Only an admin agent or a sales agent can confirm a customer's acceptance.",
            "Seul un agent d'administration ou un agent commercial peut confirmer l'acceptation du client.",
        )
        .into(),
        Problem::RoleNotAllowed { refusal: RoleRefusal::IndirectReseller } => t(
            locale,
            "Indirect resellers cannot confirm a customer's acceptance: your indirect provider does it.",
            "Les revendeurs indirects ne peuvent pas confirmer l'acceptation du client\u{a0}: votre fournisseur indirect s'en charge.",
        )
        .into(),
        Problem::DuplicateConfirmation {} => t(
            locale,
            "This customer already has this confirmation with the same contact. Change the contact details to record a new one.",
            "Ce client a déjà cette confirmation avec le même contact. Modifiez les coordonnées pour en enregistrer une nouvelle.",
        )
        .into(),
        Problem::TemplateMismatch { agreement } => {
            let name = agreement_name(*agreement, locale);
            if fr {
                crate::text!("L'ID de modèle ne correspond pas au ", name, ".")
            } else {
                crate::text!("The template id does not belong to the ", name, ".")
            }
        }
    }
}

/// The message of an order-gate verdict.
pub fn gate_message(verdict: &GateVerdict, locale: Locale) -> String {
    let fr = locale == Locale::FrFr;
    match verdict.reason {
        GateReason::RenewalNotGated => t(
            locale,
            "Renewals do not need a confirmation.",
            "Les renouvellements ne nécessitent pas de confirmation.",
        )
        .into(),
        GateReason::Confirmed(agreement) => {
            let name = agreement_name(agreement, locale);
            if fr {
                crate::text!("Le partenaire a confirmé l'acceptation du ", name, " par le client, et cette confirmation est valable.")
            } else {
                crate::text!("The partner confirmed the customer's acceptance of the ", name, ", and that confirmation counts.")
            }
        }
        GateReason::AcceptedDirectly => t(
            locale,
            "The customer accepted the Microsoft Customer Agreement directly, in the Microsoft 365 admin center.",
            "Le client a accepté directement le Contrat client Microsoft, dans le Centre d'administration Microsoft 365.",
        )
        .into(),
        GateReason::NoConfirmation => {
            let name = agreement_name(
                verdict
                    .required_agreement
                    .unwrap_or(AgreementType::MicrosoftCustomerAgreement),
                locale,
            );
            if fr {
                crate::text!("Aucune acceptation du ", name, " n'est valable à cette date.")
            } else {
                crate::text!("No acceptance of the ", name, " counts on this date.")
            }
        }
        GateReason::CloudAgreementNoLongerCounts => {
            let since = verdict.milestone_date.and_then(|d| d.succ_opt());
            match (since, fr) {
                (Some(d), false) => crate::text!("Since ", long_date(d, locale), ", the Microsoft Cloud Agreement no longer counts, also for customers who confirmed it: confirm the Microsoft Customer Agreement."),
                (Some(d), true) => crate::text!("Depuis le ", long_date(d, locale), ", le Contrat Microsoft Cloud n'est plus valable, même pour les clients qui l'ont confirmé\u{a0}: confirmez le Contrat client Microsoft."),
                (None, _) => t(
                    locale,
                    "The Microsoft Cloud Agreement no longer counts: confirm the Microsoft Customer Agreement.",
                    "Le Contrat Microsoft Cloud n'est plus valable\u{a0}: confirmez le Contrat client Microsoft.",
                )
                .into(),
            }
        }
        GateReason::OfferRequiresCustomerAgreement => t(
            locale,
            "The Azure plan requires a confirmation of the Microsoft Customer Agreement.",
            "Le plan Azure nécessite la confirmation du Contrat client Microsoft.",
        )
        .into(),
        GateReason::AttestationBeforeRefresh => t(
            locale,
            "The partner's confirmation predates the refreshed Microsoft Customer Agreement: it no longer counts.",
            "La confirmation du partenaire précède le Contrat client Microsoft actualisé\u{a0}: elle n'est plus valable.",
        )
        .into(),
        GateReason::OfferNotAvailable => match (verdict.milestone_date, fr) {
            (Some(d), false) => crate::text!("The Azure plan is offered from ", long_date(d, locale), " on."),
            (Some(d), true) => crate::text!("Le plan Azure est proposé à partir du ", long_date(d, locale), "."),
            (None, _) => t(
                locale,
                "The Azure plan is not offered yet.",
                "Le plan Azure n'est pas encore proposé.",
            )
            .into(),
        },
    }
}

/// The title and details of a milestone.
pub fn milestone_text(id: MilestoneId, locale: Locale) -> (&'static str, &'static str) {
    match id {
        MilestoneId::SandboxDashboardPreview => (
            t(locale, "Preview in the sandbox dashboard", "Préversion dans le tableau de bord du bac à sable"),
            t(
                locale,
                "Partners with access to the CSP sandbox can confirm the Microsoft Customer Agreement in the Partner Center dashboard.",
                "Les partenaires ayant accès au bac à sable CSP peuvent confirmer le Contrat client Microsoft dans le tableau de bord de l'Espace partenaires.",
            ),
        ),
        MilestoneId::SandboxApiPreview => (
            t(locale, "API preview in the sandbox", "Préversion de l'API dans le bac à sable"),
            t(
                locale,
                "The confirmation can be made through the Partner Center REST API in the sandbox.",
                "La confirmation peut se faire avec l'API REST de l'Espace partenaires dans le bac à sable.",
            ),
        ),
        MilestoneId::SandboxSdkPreview => (
            t(locale, ".NET SDK preview in the sandbox", "Préversion du SDK .NET dans le bac à sable"),
            t(
                locale,
                "The confirmation can be made with the Partner Center .NET SDK in the sandbox.",
                "La confirmation peut se faire avec le SDK .NET de l'Espace partenaires dans le bac à sable.",
            ),
        ),
        MilestoneId::ProductionAvailable => (
            t(locale, "Microsoft Customer Agreement in production", "Contrat client Microsoft en production"),
            t(
                locale,
                "Confirmable in the dashboard, the API and the SDK. The Microsoft Cloud Agreement is still accepted; new offers such as the Azure plan require the Microsoft Customer Agreement.",
                "Confirmable dans le tableau de bord, l'API et le SDK. Le Contrat Microsoft Cloud reste accepté\u{202f}; les nouvelles offres comme le plan Azure exigent le Contrat client Microsoft.",
            ),
        ),
        MilestoneId::CloudAgreementRetired => (
            t(locale, "Microsoft Cloud Agreement retired", "Fin du Contrat Microsoft Cloud"),
            t(
                locale,
                "Last day on which the Microsoft Cloud Agreement is accepted. From the next day on, new purchases and seat-count changes need a confirmation of the Microsoft Customer Agreement, also for customers who confirmed the Cloud Agreement.",
                "Dernier jour où le Contrat Microsoft Cloud est accepté. Dès le lendemain, les nouveaux achats et les modifications du nombre de licences exigent la confirmation du Contrat client Microsoft, y compris pour les clients qui avaient confirmé le Contrat Microsoft Cloud.",
            ),
        ),
        MilestoneId::CustomerDirectAcceptance => (
            t(locale, "Customers can accept directly", "Acceptation directe par le client"),
            t(
                locale,
                "Customers can accept in the Microsoft 365 admin center; it counts like a partner's confirmation.",
                "Le client peut accepter dans le Centre d'administration Microsoft 365\u{202f}; cela vaut la confirmation du partenaire.",
            ),
        ),
        MilestoneId::McaRefresh => (
            t(locale, "Microsoft Customer Agreement refreshed", "Contrat client Microsoft actualisé"),
            t(
                locale,
                "New terms: partner confirmations from before this day need a new acceptance.",
                "Nouvelles conditions\u{a0}: les confirmations antérieures doivent être acceptées à nouveau.",
            ),
        ),
        MilestoneId::EnhancedAttestationSandbox => (
            t(locale, "Enhanced attestation in the sandbox", "Attestation améliorée dans le bac à sable"),
            t(
                locale,
                "The partner creates an attestation, the customer accepts by its link, the partner completes it.",
                "Le partenaire crée une attestation, le client l'accepte par son lien, le partenaire la finalise.",
            ),
        ),
        MilestoneId::EnhancedAttestationProduction => (
            t(locale, "Enhanced attestation in production", "Attestation améliorée en production"),
            t(
                locale,
                "Generally available; app-only authentication, so a backend makes the calls.",
                "Disponible pour tous\u{202f}; authentification d'application seule, un serveur fait les appels.",
            ),
        ),
        MilestoneId::LegacyAttestationRetired => (
            t(locale, "Legacy attestation retired", "Fin de l'attestation d'origine"),
            t(
                locale,
                "The attestation API, dashboard and bulk tool are retired: partners attest by the enhanced flow. Confirmations from before the refresh no longer count for new orders and seat changes.",
                "L'API, le tableau de bord et l'outil d'attestation en bloc sont retirés\u{a0}: le partenaire atteste par l'attestation améliorée. Les confirmations antérieures à l'actualisation ne valent plus pour les nouvelles commandes ni les modifications du nombre de licences.",
            ),
        ),
    }
}

/// The message of a backend problem.
pub fn backend_message(
    problem: crate::flows::backend::BackendProblem,
    locale: Locale,
) -> &'static str {
    use crate::flows::backend::BackendProblem::*;
    match problem {
        Unauthorized => t(
            locale,
            "Partner Center did not accept your sign-in (the token is missing, expired or wrong). Sign in again, then retry: what you typed is kept.",
            "L'Espace partenaires n'a pas accepté votre connexion (jeton absent, expiré ou incorrect). Reconnectez-vous puis réessayez\u{a0}: votre saisie est conservée.",
        ),
        MfaRequired => t(
            locale,
            "Partner Center wants you to sign in again with multi-factor authentication (error 900421). Sign in with multi-factor authentication, then retry: what you typed is kept.",
            "L'Espace partenaires demande de vous reconnecter avec l'authentification multifacteur (erreur 900421). Reconnectez-vous avec l'authentification multifacteur, puis réessayez\u{a0}: votre saisie est conservée.",
        ),
        Forbidden => t(
            locale,
            "Your account is not allowed to do this. An admin agent or a sales agent can.",
            "Votre compte n'est pas autorisé à faire cela. Un agent d'administration ou un agent commercial le peut.",
        ),
        NotFound => t(
            locale,
            "Partner Center does not know this customer. Check the customer ID.",
            "L'Espace partenaires ne connaît pas ce client. Vérifiez l'ID client.",
        ),
        DuplicateConfirmation => t(
            locale,
            "Partner Center already has this confirmation with the same contact. Change the contact details to record a new one.",
            "L'Espace partenaires a déjà cette confirmation avec le même contact. Modifiez les coordonnées pour en enregistrer une nouvelle.",
        ),
        FutureDate => t(
            locale,
            "Partner Center refused the date: it is later than Partner Center's current date (it counts days in UTC).",
            "L'Espace partenaires a refusé la date\u{a0}: elle est postérieure à sa date du jour (il compte les jours en UTC).",
        ),
        AgreementNotAcceptable => t(
            locale,
            "Partner Center no longer accepts the Microsoft Cloud Agreement. Confirm the Microsoft Customer Agreement instead.",
            "L'Espace partenaires n'accepte plus le Contrat Microsoft Cloud. Confirmez plutôt le Contrat client Microsoft.",
        ),
        InvalidInput => t(
            locale,
            "Partner Center refused some of the values: see the fields marked.",
            "L'Espace partenaires a refusé certaines valeurs\u{a0}: voyez les champs signalés.",
        ),
        Conflict => t(
            locale,
            "Partner Center refused the request because it conflicts with existing data.",
            "L'Espace partenaires a refusé la demande\u{a0}: elle entre en conflit avec des données existantes.",
        ),
        Unavailable => t(
            locale,
            "Partner Center is unavailable at the moment, even after several tries. Try again in a few minutes: what you typed is kept.",
            "L'Espace partenaires est indisponible pour le moment, même après plusieurs essais. Réessayez dans quelques minutes\u{a0}: votre saisie est conservée.",
        ),
        NotRetryable => t(
            locale,
            "Partner Center could not do it, and says that trying again will not help. Nothing was sent again; what you typed is kept.",
            "L'Espace partenaires n'a pas pu le faire et indique qu'un nouvel essai n'y changerait rien. Rien n'a été renvoyé\u{a0}; votre saisie est conservée.",
        ),
        Timeout => t(
            locale,
            "Partner Center did not answer in time. Try again: what you typed is kept.",
            "L'Espace partenaires n'a pas répondu à temps. Réessayez\u{a0}: votre saisie est conservée.",
        ),
        Network => t(
            locale,
            "Partner Center could not be reached (network). Check your connection and try again: what you typed is kept.",
            "Impossible de joindre l'Espace partenaires (réseau). Vérifiez votre connexion et réessayez\u{a0}: votre saisie est conservée.",
        ),
        RouteRetired => t(
            locale,
            "Partner Center retired this way of confirming: the customer now accepts by an acceptance link the partner creates (enhanced attestation). Nothing was recorded; what you typed is kept.",
            "L'Espace partenaires a retiré ce mode de confirmation\u{a0}: le client accepte désormais par un lien d'acceptation que crée le partenaire (attestation améliorée). Rien n'a été enregistré\u{202f}; votre saisie est conservée.",
        ),
        NotAccepted => t(
            locale,
            "The customer has not accepted the agreement yet. Pass the acceptance link on to the customer's signatory, then check again.",
            "Le client n'a pas encore accepté le contrat. Transmettez le lien d'acceptation au signataire du client, puis vérifiez à nouveau.",
        ),
        OrderBlocked => t(
            locale,
            "Partner Center refused the order (error 13605): the customer must accept the Microsoft Customer Agreement first.",
            "L'Espace partenaires a refusé la commande (erreur 13605)\u{a0}: le client doit d'abord accepter le Contrat client Microsoft.",
        ),
        Unexpected => t(
            locale,
            "Partner Center answered with an unexpected error. Try again; if it persists, contact support with the correlation ID.",
            "L'Espace partenaires a renvoyé une erreur inattendue. Réessayez\u{202f}; si elle persiste, contactez le support avec l'ID de corrélation.",
        ),
    }
}

/// Why a successful confirmation comes with a note.
pub fn note_message(note: crate::flows::confirm::Note, locale: Locale) -> &'static str {
    use crate::flows::confirm::Note::*;
    match note {
        AlreadyRecorded => t(
            locale,
            "The answer from Partner Center was lost on the way, but the confirmation is recorded: nothing needs to be sent again.",
            "La réponse de l'Espace partenaires s'est perdue en route, mais la confirmation est bien enregistrée\u{a0}: rien n'est à renvoyer.",
        ),
        ReadBackFailed => t(
            locale,
            "The confirmation is recorded, but the customer's confirmations could not be read again: reload them later to see the list as Partner Center has it.",
            "La confirmation est enregistrée, mais les confirmations du client n'ont pas pu être relues\u{a0}: rechargez-les plus tard pour voir la liste de l'Espace partenaires.",
        ),
    }
}

/// What the partner must do before the customer's next order.
pub fn next_step_message(step: crate::rules::standing::NextStep, locale: Locale) -> &'static str {
    use crate::rules::standing::NextStep::*;
    match step {
        None => t(
            locale,
            "Nothing: a new order can be placed today.",
            "Rien\u{a0}: une nouvelle commande peut être passée aujourd'hui.",
        ),
        Confirm => t(
            locale,
            "Confirm the customer's acceptance of the Microsoft Customer Agreement.",
            "Confirmez l'acceptation du Contrat client Microsoft par le client.",
        ),
        SendForAcceptance => t(
            locale,
            "Create an acceptance link and pass it on to the customer's signatory, or have the customer accept in the Microsoft 365 admin center.",
            "Créez un lien d'acceptation et transmettez-le au signataire du client, ou faites accepter le contrat par le client dans le Centre d'administration Microsoft 365.",
        ),
        AcceptAgain => t(
            locale,
            "Have the customer accept again: create an acceptance link and pass it on to the customer's signatory, or have the customer accept in the Microsoft 365 admin center.",
            "Faites accepter de nouveau le contrat par le client\u{a0}: créez un lien d'acceptation et transmettez-le au signataire du client, ou faites-le accepter dans le Centre d'administration Microsoft 365.",
        ),
        WaitForCustomer => t(
            locale,
            "Acceptance link created: waiting for the customer's signatory to accept the agreement by it.",
            "Lien d'acceptation créé\u{a0}: en attente de l'acceptation du contrat par le signataire du client.",
        ),
        Complete => t(
            locale,
            "The customer accepted the Microsoft Customer Agreement: complete the attestation to record it.",
            "Le client a accepté le Contrat client Microsoft\u{a0}: finalisez l'attestation pour l'enregistrer.",
        ),
        SendAgain => t(
            locale,
            "The acceptance link expired before the customer accepted: create a new one.",
            "Le lien d'acceptation a expiré avant l'acceptation du client\u{a0}: créez-en un nouveau.",
        ),
    }
}

/// What the partner must do, with the dates of the attestation in flight when there is one:
/// "Acceptance link created on November 20, 2026: waiting for the customer's signatory … (the link expires on
/// November 27, 2026)."
pub fn standing_message(standing: &crate::rules::standing::Standing, locale: Locale) -> String {
    use crate::rules::standing::NextStep;
    let flight = standing.in_flight.as_ref();
    match (standing.next_step, flight) {
        (NextStep::WaitForCustomer, Some(flight)) => {
            let since = long_date(flight.since.day(), locale);
            let mut text = match locale {
                Locale::EnUs => crate::text!(
                    "Acceptance link created on ",
                    since,
                    ": waiting for the customer's signatory to accept the agreement by it"
                ),
                Locale::FrFr => crate::text!(
                    "Lien d'acceptation créé le ",
                    since,
                    "\u{a0}: en attente de l'acceptation du contrat par le signataire du client"
                ),
            };
            if let Some(expires) = flight.expires_at {
                let expires = long_date(expires.day(), locale);
                text.push_str(&match locale {
                    Locale::EnUs => crate::text!(" (the link expires on ", expires, ")."),
                    Locale::FrFr => crate::text!(" (le lien expire le ", expires, ")."),
                });
            } else {
                text.push('.');
            }
            text
        }
        (step, _) => next_step_message(step, locale).into(),
    }
}

/// The header of a customer's evidence (`attestationEvidence`): one column per fact an
/// auditor asks about.
pub fn evidence_header(locale: Locale) -> [&'static str; 11] {
    match locale {
        Locale::EnUs => [
            "Record",
            "ID",
            "Status or agreement",
            "Sent on",
            "Sent by",
            "Statuses seen",
            "Accepted on",
            "Completed on",
            "Agreement date",
            "Withdrawn on",
            "Signatory",
        ],
        Locale::FrFr => [
            "Enregistrement",
            "ID",
            "État ou contrat",
            "Envoyée le",
            "Envoyée par",
            "États constatés",
            "Acceptée le",
            "Finalisée le",
            "Date du contrat",
            "Retirée le",
            "Signataire",
        ],
    }
}

/// The title of an error summary.
pub fn error_summary_title(locale: Locale) -> &'static str {
    t(locale, "There is a problem", "Il y a un problème")
}

/// Serializes a character as a message shows it (serde's `serialize_with`).
pub fn write_code_point<S: serde::Serializer>(c: &char, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&code_point(*c))
}

/// A character as a message shows it: itself and its code point (`© (U+00A9)`).
pub fn code_point(c: char) -> String {
    let mut shown = String::new();
    shown.push(c);
    shown.push_str(" (U+");
    let value = u32::from(c);
    // Four hex digits at least, as Unicode writes them (U+00A9, U+1F600).
    let digits = ((32 - value.leading_zeros()).div_ceil(4)).max(4);
    for digit in (0..digits).rev() {
        shown.push(char::from(
            b"0123456789ABCDEF"[(value >> (digit * 4) & 0xF) as usize],
        ));
    }
    shown.push(')');
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_points_as_unicode_writes_them() {
        assert_eq!(code_point('©'), "© (U+00A9)");
        assert_eq!(code_point('ｇ'), "ｇ (U+FF47)");
        assert_eq!(code_point('😀'), "😀 (U+1F600)");
        assert_eq!(code_point('\u{10FFFD}'), "\u{10FFFD} (U+10FFFD)");
    }
    use crate::rules::date::parse_date;

    #[test]
    fn locales() {
        for (tag, locale) in [
            ("fr-FR", Locale::FrFr),
            ("fr", Locale::FrFr),
            ("fr-CA", Locale::FrFr),
            ("FR_fr", Locale::FrFr),
            ("en-US", Locale::EnUs),
            ("en-GB", Locale::EnUs),
            ("de-DE", Locale::EnUs),
            ("", Locale::EnUs),
            ("français", Locale::EnUs),
        ] {
            assert_eq!(Locale::parse(tag), locale, "{tag}");
        }
    }

    #[test]
    fn long_dates() {
        let d = |s| parse_date(s).unwrap();
        assert_eq!(long_date(d("2020-01-31"), Locale::EnUs), "January 31, 2020");
        assert_eq!(long_date(d("2020-01-31"), Locale::FrFr), "31 janvier 2020");
        assert_eq!(long_date(d("2019-10-01"), Locale::FrFr), "1er octobre 2019");
        assert_eq!(long_date(d("2019-08-01"), Locale::FrFr), "1er août 2019");
    }

    #[test]
    fn french_wording_of_the_reference_page() {
        assert_eq!(Field::FirstName.label(Locale::FrFr), "Prénom");
        assert_eq!(Field::LastName.label(Locale::FrFr), "Nom");
        assert_eq!(Field::Email.label(Locale::FrFr), "Adresse e-mail");
        assert_eq!(
            Field::PhoneNumber.label(Locale::FrFr),
            "Numéro de téléphone (facultatif)"
        );
        assert_eq!(
            Field::DateAgreed.label(Locale::FrFr),
            "Date d'acceptation du contrat"
        );
        let latest = parse_date("2020-01-30").unwrap();
        let future = Issue::new(
            Field::DateAgreed,
            Problem::FutureDate {
                latest,
                utc_rule: false,
            },
        );
        assert!(issue_message(&future, Locale::FrFr)
            .starts_with("La date d'acceptation ne peut pas être postérieure à aujourd'hui"));
    }
}
