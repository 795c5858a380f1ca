//! The form's fields, declared once. Each row of the table at the end of this file gives a
//! field's variant of [`Field`] and its name on the wire, its member in the shapes, whether it
//! may be left empty (`(optional)`), its control, the TypeScript type of its typed value, its
//! label in en-US and fr-FR and, for the signatory, its name in the body of an enhanced
//! attestation. The rows are grouped by what they are part of, and every form and every shape
//! made of fields is derived from the groups: `Field` and its groups, the labels
//! (`Field::label`) and their table for JavaScript (`FieldLabels`), the controls of the element
//! (`Field::CONTROLS`, `Field::control`), the confirmation form and its borrowed view, the
//! attestation form, the contact sent on the legacy route and the body of the enhanced
//! attestation, with the conversions between them. What stays elsewhere is what a field does:
//! its check (`form::signatory_field_problems` for the signatory, `form::check` for the rest),
//! and the sandbox's store.

use crate::checks::text::Trimmed;

/// A value of a shape made of fields: a text always there, or one left out when empty.
pub trait FieldValue: Default {
    /// The value of a text, trimmed (left out when empty, for an optional one).
    fn of_text(text: &str) -> Self;
    /// The value as text (empty when left out).
    fn text(&self) -> &str;
}

impl FieldValue for String {
    fn of_text(text: &str) -> Self {
        text.trimmed().to_string()
    }
    fn text(&self) -> &str {
        self
    }
}

impl FieldValue for Option<String> {
    fn of_text(text: &str) -> Self {
        let text = text.trimmed();
        (!text.is_empty()).then(|| text.to_string())
    }
    fn text(&self) -> &str {
        self.as_deref().unwrap_or("")
    }
}

/// The type of a signatory's value where it is sent: `String`, or `Option<String>` for an
/// optional one (left out when empty).
macro_rules! sent_type {
    () => { String };
    (optional) => { Option<String> };
}

/// Derives every shape made of fields from the table (see the module's documentation). A row:
/// `/// doc  Variant = "wire" member (optional)?: control "TypeScript" ["en-US", "fr-FR"]
/// (=> "sent")?;`.
macro_rules! form_fields {
    (
        customer: [$($(#[$cd:meta])* $cv:ident = $cw:literal $cm:ident $(($co:ident))?: $cc:ident $cy:literal [$ce:literal, $cf:literal];)*]
        agreement: [$($(#[$ad:meta])* $av:ident = $aw:literal $am:ident $(($ao:ident))?: $ac:ident $ay:literal [$ae:literal, $af:literal];)*]
        signatory: [$($(#[$sd:meta])* $sv:ident = $sw:literal $sm:ident $(($so:ident))?: $sc:ident $sy:literal [$se:literal, $sf:literal] => $ss:literal;)*]
        acceptance: [$($(#[$dd:meta])* $dv:ident = $dw:literal $dm:ident $(($do:ident))?: $dc:ident $dy:literal [$de:literal, $df:literal];)*]
        template: [$($(#[$td:meta])* $tv:ident = $tw:literal $tm:ident $(($to:ident))?: $tc:ident $ty:literal [$te:literal, $tf:literal];)*]
        company: [$($(#[$kd:meta])* $kv:ident = $kw:literal $km:ident $(($ko:ident))?: $kc:ident $ky:literal [$ke:literal, $kf:literal];)*]
        other: [$($(#[$od:meta])* $ov:ident = $ow:literal $om:ident $(($oo:ident))?: $oc:ident $oy:literal [$oe:literal, $of:literal];)*]
        whole: $(#[$wd:meta])* $wv:ident = $ww:literal [$we:literal, $wf:literal];
    ) => {
        crate::wire_enum! {
            /// A field of the confirmation form, named as in the form object (`form` for the
            /// whole form, `role` for the user's role given in the options). Declared in
            /// `checks::schema`'s table.
            pub enum Field {
                $($(#[$ad])* $av = $aw,)* $($(#[$dd])* $dv = $dw,)* $($(#[$sd])* $sv = $sw,)*
                $($(#[$cd])* $cv = $cw,)* $($(#[$td])* $tv = $tw,)* $($(#[$od])* $ov = $ow,)*
                $($(#[$kd])* $kv = $kw,)* $(#[$wd])* $wv = $ww,
            }
        }

        /// The groups of fields the forms are made of, each declared once in the table: a
        /// form's field list is its groups joined (`Field::join`).
        impl Field {
            /// The signatory: who accepts for the customer (the same person in every form).
            pub const SIGNATORY: [Field; [$($sw),*].len()] = [$(Field::$sv),*];
            /// The agreement's template: its country and its language.
            pub const TEMPLATE: [Field; [$($tw),*].len()] = [$(Field::$tv),*];
            /// The agreement and the day the customer accepted it.
            pub const AGREEMENT: [Field; [$($aw,)* $($dw),*].len()] =
                [$(Field::$av,)* $(Field::$dv),*];
            /// The controls of a confirmation form, in the order they are shown.
            pub const CONTROLS: [Field; [$($aw,)* $($sw,)* $($dw,)* $($tw),*].len()] =
                [$(Field::$av,)* $(Field::$sv,)* $(Field::$dv,)* $(Field::$tv),*];

            /// The label of the field, as a form shows it.
            pub fn label(self, locale: crate::checks::messages::Locale) -> &'static str {
                use crate::checks::messages::Locale::{EnUs, FrFr};
                match (self, locale) {
                    $((Field::$cv, EnUs) => $ce, (Field::$cv, FrFr) => $cf,)*
                    $((Field::$av, EnUs) => $ae, (Field::$av, FrFr) => $af,)*
                    $((Field::$sv, EnUs) => $se, (Field::$sv, FrFr) => $sf,)*
                    $((Field::$dv, EnUs) => $de, (Field::$dv, FrFr) => $df,)*
                    $((Field::$tv, EnUs) => $te, (Field::$tv, FrFr) => $tf,)*
                    $((Field::$kv, EnUs) => $ke, (Field::$kv, FrFr) => $kf,)*
                    $((Field::$ov, EnUs) => $oe, (Field::$ov, FrFr) => $of,)*
                    (Field::$wv, EnUs) => $we,
                    (Field::$wv, FrFr) => $wf,
                }
            }

            /// The control that takes the field's value: `text`, `email`, `tel`, `date` or
            /// `select` (`none` for the whole form).
            pub fn control(self) -> &'static str {
                match self {
                    $(Field::$cv => stringify!($cc),)* $(Field::$av => stringify!($ac),)*
                    $(Field::$sv => stringify!($sc),)* $(Field::$dv => stringify!($dc),)*
                    $(Field::$tv => stringify!($tc),)* $(Field::$kv => stringify!($kc),)*
                    $(Field::$ov => stringify!($oc),)* Field::$wv => "none",
                }
            }

            /// Whether the field may be left empty in what is sent (the signatory's phone,
            /// the template's language).
            pub fn optional(self) -> bool {
                match self {
                    $($(#[cfg_attr(any(), $so)] Field::$sv => true,)?)*
                    $($(#[cfg_attr(any(), $to)] Field::$tv => true,)?)*
                    _ => false,
                }
            }

            /// Whether only the legacy route asks for the field (the agreement and its date:
            /// on today's route the customer accepts by the link, on the day they do).
            pub fn legacy_only(self) -> bool {
                matches!(self, $(Field::$av)|* $(| Field::$dv)*)
            }
        }

        /// The form as the user typed it. Every value is text as entered; a missing or `null`
        /// value is empty. Values are trimmed before they are checked and sent.
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
        #[serde(rename_all = "camelCase", default)]
        pub struct ConfirmationForm {
            $($(#[$cd])* #[cfg_attr(target_arch = "wasm32", tsify(optional, type = $cy))] pub $cm: String,)*
            $($(#[$ad])* #[cfg_attr(target_arch = "wasm32", tsify(optional, type = $ay))] pub $am: String,)*
            $($(#[$dd])* #[cfg_attr(target_arch = "wasm32", tsify(optional, type = $dy))] pub $dm: String,)*
            $($(#[$sd])* #[cfg_attr(target_arch = "wasm32", tsify(optional, type = $sy))] pub $sm: String,)*
            $($(#[$td])* #[cfg_attr(target_arch = "wasm32", tsify(optional, type = $ty))] pub $tm: String,)*
        }

        /// A form's values, borrowed: a [`ConfirmationForm`], or a row of a file read where it
        /// lies. The checks read this, so that a file's rows are checked without copying them.
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct FormView<'a> {
            $($(#[$cd])* pub $cm: &'a str,)* $($(#[$ad])* pub $am: &'a str,)*
            $($(#[$dd])* pub $dm: &'a str,)* $($(#[$sd])* pub $sm: &'a str,)*
            $($(#[$td])* pub $tm: &'a str,)*
        }

        impl ConfirmationForm {
            /// The fields of the form, in the order a written file puts them.
            pub const FIELDS: [Field; [$($cw,)* $($aw,)* $($dw,)* $($sw,)* $($tw),*].len()] =
                [$(Field::$cv,)* $(Field::$av,)* $(Field::$dv,)* $(Field::$sv,)* $(Field::$tv),*];

            /// The wire names of [`Self::FIELDS`], each followed by U+0000.
            pub const FIELD_NAMES: &'static str =
                concat!($($cw, "\0",)* $($aw, "\0",)* $($dw, "\0",)* $($sw, "\0",)* $($tw, "\0",)*);

            /// The value of one field (`role` and `form` have none here).
            pub fn get(&self, field: Field) -> Option<&str> {
                self.view().get(field)
            }

            /// The value of one field, to change it.
            pub fn slot(&mut self, field: Field) -> Option<&mut String> {
                Some(match field {
                    $(Field::$cv => &mut self.$cm,)* $(Field::$av => &mut self.$am,)*
                    $(Field::$dv => &mut self.$dm,)* $(Field::$sv => &mut self.$sm,)*
                    $(Field::$tv => &mut self.$tm,)*
                    _ => return None,
                })
            }

            /// The form's values, borrowed.
            pub fn view(&self) -> FormView<'_> {
                FormView {
                    $($cm: &self.$cm,)* $($am: &self.$am,)* $($dm: &self.$dm,)*
                    $($sm: &self.$sm,)* $($tm: &self.$tm,)*
                }
            }
        }

        impl<'a> FormView<'a> {
            /// The value of one field (`role` and `form` have none).
            pub fn get(&self, field: Field) -> Option<&'a str> {
                Some(match field {
                    $(Field::$cv => self.$cm,)* $(Field::$av => self.$am,)* $(Field::$dv => self.$dm,)*
                    $(Field::$sv => self.$sm,)* $(Field::$tv => self.$tm,)*
                    _ => return None,
                })
            }

            /// The value of one field, to set it (`role` and `form` have none).
            pub fn slot(&mut self, field: Field) -> Option<&mut &'a str> {
                Some(match field {
                    $(Field::$cv => &mut self.$cm,)* $(Field::$av => &mut self.$am,)*
                    $(Field::$dv => &mut self.$dm,)* $(Field::$sv => &mut self.$sm,)*
                    $(Field::$tv => &mut self.$tm,)*
                    _ => return None,
                })
            }

        }

        /// What the partner types to send the agreement for acceptance. Values are trimmed.
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
        #[serde(rename_all = "camelCase", default)]
        pub struct AttestationForm {
            $($(#[$kd])* $(#[cfg_attr(target_arch = "wasm32", tsify($ko))])? pub $km: String,)*
            $($(#[$sd])* $(#[cfg_attr(target_arch = "wasm32", tsify($so))])? pub $sm: String,)*
            $($(#[$td])* $(#[cfg_attr(target_arch = "wasm32", tsify($to))])? pub $tm: String,)*
        }

        impl AttestationForm {
            /// The fields of the form, in order.
            pub const FIELDS: [Field; [$($kw,)* $($sw,)* $($tw),*].len()] =
                [$(Field::$kv,)* $(Field::$sv,)* $(Field::$tv),*];

            /// The value of a field, to fill it.
            pub fn slot(&mut self, field: Field) -> Option<&mut String> {
                Some(match field {
                    $(Field::$kv => &mut self.$km,)* $(Field::$sv => &mut self.$sm,)*
                    $(Field::$tv => &mut self.$tm,)*
                    _ => return None,
                })
            }

            /// The signatory's and the template's values (and the company's), as the checks
            /// read them.
            pub fn view(&self) -> FormView<'_> {
                FormView { $($sm: &self.$sm,)* $($tm: &self.$tm,)* ..FormView::default() }
            }

            /// The signatory and the template of a form, trimmed (no company: the flow reads
            /// the customer's).
            pub fn of_view(form: FormView<'_>) -> AttestationForm {
                AttestationForm {
                    $($sm: FieldValue::of_text(form.$sm),)* $($tm: FieldValue::of_text(form.$tm),)*
                    ..AttestationForm::default()
                }
            }
        }

        /// The customer-side person who accepted the agreement.
        #[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[cfg_attr(
            target_arch = "wasm32",
            derive(tsify::Tsify, csp_agreements_derive::Readable)
        )]
        #[serde(rename_all = "camelCase")]
        pub struct Contact {
            $(
                $(#[$sd])*
                $(#[doc = "Left out when empty."]
                #[serde(default, skip_serializing_if = "Option::is_none")]
                #[cfg_attr(target_arch = "wasm32", tsify($so))])?
                pub $sm: sent_type!($($so)?),
            )*
        }

        impl Contact {
            /// The signatory of a form, values trimmed.
            pub fn of_view(form: FormView<'_>) -> Contact {
                Contact { $($sm: FieldValue::of_text(form.$sm),)* }
            }

            /// A contact of the signatory's values, each given by `value`; `None` when one is.
            pub fn of_fields(mut value: impl FnMut(Field) -> Option<String>) -> Option<Contact> {
                Some(Contact { $($sm: FieldValue::of_text(&value(Field::$sv)?),)* })
            }
        }

        /// The body of the creation of an enhanced attestation (its field names: the table's
        /// last column for the signatory; see `attestation::wire`).
        #[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
        #[serde(rename_all = "camelCase", default)]
        pub struct AttestationRequest {
            /// The customer it is for: not sent (see `wire`), kept for the ledger. A body that
            /// names one (older clients) is still read.
            #[serde(skip_serializing)]
            pub customer_id: String,
            $($(#[$td])* pub $tm: String,)*
            $($(#[$kd])* pub $km: String,)*
            $(
                $(#[$sd])*
                #[serde(rename = $ss)]
                $(#[serde(skip_serializing_if = "Option::is_none")] #[cfg_attr(any(), $so)])?
                pub $sm: sent_type!($($so)?),
            )*
        }

        impl AttestationRequest {
            /// The body of a checked form: its values trimmed, the template's as the check
            /// wrote them (`template`: the country upper case, the language canonical).
            pub fn of_form(form: &AttestationForm, template: FormView<'_>) -> Self {
                AttestationRequest {
                    customer_id: String::new(),
                    $($tm: template.$tm.to_string(),)*
                    $($km: FieldValue::of_text(&form.$km),)*
                    $($sm: FieldValue::of_text(&form.$sm),)*
                }
            }

            /// The form a request was made from (the sandbox checks a received body this way).
            pub fn form(&self) -> AttestationForm {
                AttestationForm {
                    $($km: self.$km.clone(),)* $($tm: self.$tm.clone(),)*
                    $($sm: self.$sm.text().to_string(),)*
                }
            }

            /// The signatory, as the agreement it completes names them.
            pub fn contact(&self) -> Contact {
                Contact { $($sm: self.$sm.clone(),)* }
            }
        }

        /// The label of each field, for forms, and the agreements' names.
        #[cfg(target_arch = "wasm32")]
        #[derive(Debug, serde::Serialize, tsify::Tsify)]
        #[serde(rename_all = "camelCase")]
        pub struct FieldLabels {
            $(#[doc = concat!("The label of `", $aw, "`.")] pub $am: &'static str,)*
            $(#[doc = concat!("The label of `", $dw, "`.")] pub $dm: &'static str,)*
            $(#[doc = concat!("The label of `", $sw, "`.")] pub $sm: &'static str,)*
            $(#[doc = concat!("The label of `", $cw, "`.")] pub $cm: &'static str,)*
            $(#[doc = concat!("The label of `", $tw, "`.")] pub $tm: &'static str,)*
            $(#[doc = concat!("The label of `", $ow, "`.")] pub $om: &'static str,)*
            $(#[doc = concat!("The label of `", $kw, "`.")] pub $km: &'static str,)*
            /// The name of the Customer Agreement.
            pub microsoft_customer_agreement: &'static str,
            /// The name of the Cloud Agreement.
            pub microsoft_cloud_agreement: &'static str,
        }

        #[cfg(target_arch = "wasm32")]
        impl FieldLabels {
            /// Every label, and the agreements' names, in `locale`.
            pub fn of(locale: crate::checks::messages::Locale) -> FieldLabels {
                use crate::rules::agreement::AgreementType;
                let name = |agreement| crate::checks::messages::agreement_name(agreement, locale);
                FieldLabels {
                    $($am: Field::$av.label(locale),)* $($dm: Field::$dv.label(locale),)*
                    $($sm: Field::$sv.label(locale),)* $($cm: Field::$cv.label(locale),)*
                    $($tm: Field::$tv.label(locale),)* $($om: Field::$ov.label(locale),)*
                    $($km: Field::$kv.label(locale),)*
                    microsoft_customer_agreement: name(AgreementType::MicrosoftCustomerAgreement),
                    microsoft_cloud_agreement: name(AgreementType::MicrosoftCloudAgreement),
                }
            }
        }
    };
}

form_fields! {
    customer: [
        /// The customer's tenant id (a GUID); optional in the checks, required to send.
        CustomerId = "customerId" customer_id: text "string | null"
            ["Customer ID (Microsoft ID)", "ID client (ID Microsoft)"];
    ]
    agreement: [
        /// `MicrosoftCustomerAgreement` or `MicrosoftCloudAgreement`.
        AgreementType = "agreementType" agreement_type: select "AgreementType | \"\" | null"
            ["Agreement", "Contrat"];
    ]
    signatory: [
        /// The signatory's first name.
        FirstName = "firstName" first_name: text "string | null"
            ["First name", "Prénom"] => "signatoryFirstName";
        /// The signatory's last name.
        LastName = "lastName" last_name: text "string | null"
            ["Last name", "Nom"] => "signatoryLastName";
        /// The signatory's email address (inferred name in the attestation's body).
        Email = "email" email: email "string | null"
            ["Email address", "Adresse e-mail"] => "signatoryEmail";
        /// The signatory's phone number, optional (inferred name in the attestation's body).
        PhoneNumber = "phoneNumber" phone_number (optional): tel "string | null"
            ["Phone number (optional)", "Numéro de téléphone (facultatif)"]
            => "signatoryPhoneNumber";
    ]
    acceptance: [
        /// The day the customer accepted: `YYYY-MM-DD`, as an `<input type="date">` gives it.
        DateAgreed = "dateAgreed" date_agreed: date "string | null"
            ["Date of acceptance of the agreement", "Date d'acceptation du contrat"];
    ]
    template: [
        /// Country of the agreement template (`FR`).
        Country = "country" country: select "string | null"
            ["Country/region of the agreement", "Pays/région du contrat"];
        /// Language of the agreement template (`fr-FR`), optional; default `en-US`.
        Language = "language" language (optional): select "string | null"
            ["Language of the agreement", "Langue du contrat"];
    ]
    company: [
        /// The customer's company name (of a new customer's account information).
        CompanyName = "companyName" company_name: text "string | null"
            ["Company name", "Nom de l'entreprise"];
    ]
    other: [
        /// The signed-in user's role, given in the options.
        Role = "role" role: select "string | null" ["Your role", "Votre rôle"];
        /// Of a new customer's account information (`contoso.onmicrosoft.com`).
        Domain = "domain" domain: text "string | null" ["Domain name", "Nom de domaine"];
    ]
    whole:
        /// The whole form.
        Form = "form" ["Confirmation", "Confirmation"];
}
