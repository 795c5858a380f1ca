//! The confirmation flow (SPEC §5) as a state machine, apart from any I/O: check the form, read
//! the agreement's template id, read the customer's confirmations and check again (duplicates,
//! template), send, read back. The caller performs each request the flow asks for (with its
//! retries: `exchange`) and gives the answer back; the flow says what to send next or how it
//! ended. When the answer to the POST was lost, the record may exist although the client never
//! heard the 201: the flow then reads the confirmations back and looks for the one it sent.
//!
//! Before the POST the form was checked against the confirmations already there, so a record
//! with the same content found afterwards is the one this POST made: the same agreement, day
//! and contact (compared as the duplicate check compares them).

use crate::checks::fields::required_customer_id;
use crate::checks::form::{validate, ConfirmationForm, Context, Report};
use crate::checks::issues::{Field, Issue};
use crate::flows::backend::{BackendProblem, Failure};
use crate::flows::endpoints::{self, Endpoint};
use crate::flows::payload::{Agreement, AgreementPayload};
use crate::rules::agreement::AgreementType;

/// How the POST ended, after its retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostEnd {
    /// 201 with a readable agreement.
    Created,
    /// 2xx whose body could not be read as an agreement.
    Unreadable,
    /// A failure, with the number of attempts made.
    Failed {
        /// What the failure means.
        problem: BackendProblem,
        /// How many attempts were made.
        attempts: u32,
    },
}

/// What to do after the POST.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterPost {
    /// Read the confirmations back, to show them.
    ReadBack,
    /// Read them back to find out whether the record exists after all.
    Reconcile,
    /// Report the failure: nothing was recorded.
    Fail,
}

/// What to do after the POST ended as `end`.
///
/// - A 409 "already exists" on a retried attempt: an earlier attempt was recorded and its answer
///   lost (a backend that does not replay by `MS-RequestId`). A first attempt answered so is a
///   real duplicate, made by someone else meanwhile.
/// - No answer, a timeout or an unavailable service after every retry: the record may or may not
///   exist; look.
/// - Anything else (400, 401, 403, 404, another 409): the backend refused; nothing exists.
pub fn after_post(end: PostEnd) -> AfterPost {
    match end {
        PostEnd::Created => AfterPost::ReadBack,
        PostEnd::Unreadable => AfterPost::Reconcile,
        PostEnd::Failed { problem, attempts } => match problem {
            BackendProblem::DuplicateConfirmation if attempts > 1 => AfterPost::Reconcile,
            BackendProblem::Network | BackendProblem::Timeout | BackendProblem::Unavailable => {
                AfterPost::Reconcile
            }
            _ => AfterPost::Fail,
        },
    }
}

crate::wire_enum! {
    /// Why a successful confirmation comes with a note.
    pub enum Note {
        /// The answer to the POST was lost, and the confirmation was found recorded.
        AlreadyRecorded = "already-recorded",
        /// The confirmation was recorded, but reading the confirmations back failed: the list
        /// shown is the one read before, plus the new one.
        ReadBackFailed = "read-back-failed",
    }
}

/// The conclusion of the flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Conclusion {
    /// Recorded: the agreement as recorded, the customer's confirmations, and a note when the
    /// way there was not the straight one.
    Confirmed {
        /// The agreement as the backend recorded it.
        agreement: Agreement,
        /// The customer's confirmations of that agreement type.
        agreements: Vec<Agreement>,
        /// How the flow got there, when not the straight way.
        note: Option<Note>,
    },
    /// Not recorded: report the POST's failure.
    NotRecorded,
}

/// The record among `read_back` that `sent` made, if any.
pub fn find_recorded<'a>(
    sent: &AgreementPayload,
    read_back: &'a [Agreement],
) -> Option<&'a Agreement> {
    let person = sent.primary_contact.person_key();
    read_back.iter().rev().find(|a| {
        a.agreement_type == sent.agreement_type
            && a.date_agreed == sent.date_agreed
            && a.primary_contact.person_key() == person
    })
}

/// The conclusion once the confirmations were read back (`read_back`: None when reading failed).
/// `created` is the 201's agreement when there was one; `before` the confirmations read before
/// the POST.
pub fn conclude(
    sent: &AgreementPayload,
    created: Option<Agreement>,
    before: &[Agreement],
    read_back: Option<Vec<Agreement>>,
) -> Conclusion {
    match (created, read_back) {
        (Some(created), Some(agreements)) => Conclusion::Confirmed {
            agreement: created,
            agreements,
            note: None,
        },
        (Some(created), None) => {
            let mut agreements = before.to_vec();
            agreements.push(created.clone());
            Conclusion::Confirmed {
                agreement: created,
                agreements,
                note: Some(Note::ReadBackFailed),
            }
        }
        (None, Some(agreements)) => match find_recorded(sent, &agreements).cloned() {
            Some(agreement) => Conclusion::Confirmed {
                agreement,
                agreements,
                note: Some(Note::AlreadyRecorded),
            },
            None => Conclusion::NotRecorded,
        },
        (None, None) => Conclusion::NotRecorded,
    }
}

/// A request the flow needs sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `GET /v1/agreements?agreementType=…`: the agreement's template id.
    Metadata(AgreementType),
    /// `GET /v1/customers/{customer}/agreements?agreementType=…`.
    Agreements {
        /// The customer id.
        customer: String,
        /// The agreement type to read.
        agreement: AgreementType,
    },
    /// `POST /v1/customers/{customer}/agreements` with this body.
    Post {
        /// The customer id.
        customer: String,
        /// The body to send.
        payload: AgreementPayload,
    },
}

impl Call {
    /// The request: its method and path.
    pub fn endpoint(&self) -> Endpoint {
        match self {
            Call::Metadata(agreement) => endpoints::agreement_metadata(*agreement),
            Call::Agreements {
                customer,
                agreement,
            } => endpoints::customer_agreements(customer, *agreement),
            Call::Post { customer, .. } => endpoints::create_agreement(customer),
        }
    }
}

/// What came back for a call, as the caller read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// The agreement's template id (None: the metadata has no item of that type).
    Metadata(Option<String>),
    /// The customer's confirmations of the agreement.
    Agreements(Vec<Agreement>),
    /// The POST's 2xx answer (None: its body is not an agreement).
    Created(Option<Agreement>),
    /// The request failed, after its retries.
    Failed(Failure),
}

/// What to do now: send a request and call `next` with its answer, or end.
pub type Step = crate::flows::exchange::Step<Call, Outcome>;

/// How the flow ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Refused by the checks (before anything was sent, or against what the backend holds).
    Invalid(Report),
    /// Not recorded: the backend refused, or could not be reached. The report's errors are the
    /// field problems the failure stands for; its warnings, the form's.
    Failed {
        /// The field problems the failure stands for, and the form's warnings.
        report: Report,
        /// Why it failed.
        failure: Failure,
    },
    /// Recorded.
    Confirmed {
        /// The agreement as the backend recorded it.
        agreement: Agreement,
        /// The customer's confirmations of that agreement type.
        agreements: Vec<Agreement>,
        /// How the flow got there, when not the straight way.
        note: Option<Note>,
        /// The form's warnings.
        report: Report,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Metadata,
    Existing,
    Posting,
    ReadingBack {
        created: Option<Agreement>,
        failure: Option<Failure>,
    },
    Over,
}

/// One confirmation on its way.
#[derive(Debug, Clone)]
pub struct ConfirmFlow {
    form: ConfirmationForm,
    context: Context,
    customer: String,
    report: Report,
    state: State,
}

impl ConfirmFlow {
    /// Checks the form and a customer id to send it for (required here), and says the first
    /// step.
    pub fn start(
        customer_id: &str,
        form: ConfirmationForm,
        context: Context,
    ) -> (ConfirmFlow, Step) {
        let mut report = validate(&form, &context);
        let customer = required_customer_id(customer_id);
        if let Err(problem) = &customer {
            report
                .errors
                .push(Issue::new(Field::CustomerId, problem.clone()));
        }
        let mut flow = ConfirmFlow {
            form,
            context,
            customer: customer.unwrap_or_default(),
            report,
            state: State::Over,
        };
        let step = match (&flow.report.payload, flow.customer.is_empty()) {
            (Some(payload), false) => {
                flow.state = State::Metadata;
                Step::Send(Call::Metadata(payload.agreement_type))
            }
            _ => Step::Done(Outcome::Invalid(flow.report.clone())),
        };
        (flow, step)
    }

    fn payload(&self) -> Option<&AgreementPayload> {
        self.report.payload.as_ref()
    }

    fn read(&self) -> Call {
        Call::Agreements {
            customer: self.customer.clone(),
            agreement: self
                .payload()
                .map_or(AgreementType::MicrosoftCustomerAgreement, |p| {
                    p.agreement_type
                }),
        }
    }

    fn failed(&mut self, failure: Failure) -> Step {
        self.state = State::Over;
        let mut report = self.report.clone();
        report.errors = failure.issues();
        report.payload = None;
        Step::Done(Outcome::Failed { report, failure })
    }

    /// The next step, given the answer to the last call.
    pub fn on_answer(&mut self, answer: Answer) -> Step {
        let state = std::mem::replace(&mut self.state, State::Over);
        match (state, answer) {
            (State::Metadata | State::Existing, Answer::Failed(failure)) => self.failed(failure),
            (State::Metadata, Answer::Metadata(Some(template_id))) => {
                self.context.template_id = Some(template_id);
                self.state = State::Existing;
                Step::Send(self.read())
            }
            (State::Existing, Answer::Agreements(existing)) => {
                self.context.existing = existing;
                self.report = validate(&self.form, &self.context);
                match self.payload().cloned() {
                    Some(payload) => {
                        self.state = State::Posting;
                        Step::Send(Call::Post {
                            customer: self.customer.clone(),
                            payload,
                        })
                    }
                    None => Step::Done(Outcome::Invalid(self.report.clone())),
                }
            }
            (State::Posting, answer @ (Answer::Created(_) | Answer::Failed(_))) => {
                let (end, created, failure) = match answer {
                    Answer::Created(Some(agreement)) => (PostEnd::Created, Some(agreement), None),
                    Answer::Created(None) => (PostEnd::Unreadable, None, None),
                    Answer::Failed(failure) => (
                        PostEnd::Failed {
                            problem: failure.problem,
                            attempts: failure.attempts,
                        },
                        None,
                        Some(failure),
                    ),
                    _ => unreachable!("matched above"),
                };
                match after_post(end) {
                    AfterPost::Fail => self.failed(failure.unwrap_or_else(Failure::unexpected)),
                    AfterPost::ReadBack | AfterPost::Reconcile => {
                        self.state = State::ReadingBack { created, failure };
                        Step::Send(self.read())
                    }
                }
            }
            (State::ReadingBack { created, failure }, answer) => {
                let read_back = match answer {
                    Answer::Agreements(list) => Some(list),
                    _ => None,
                };
                let Some(payload) = self.payload().cloned() else {
                    return self.failed(Failure::unexpected());
                };
                match conclude(&payload, created, &self.context.existing, read_back) {
                    Conclusion::Confirmed {
                        agreement,
                        agreements,
                        note,
                    } => Step::Done(Outcome::Confirmed {
                        agreement,
                        agreements,
                        note,
                        report: self.report.clone(),
                    }),
                    Conclusion::NotRecorded => {
                        self.failed(failure.unwrap_or_else(Failure::unexpected))
                    }
                }
            }
            // An answer that does not fit the call (the metadata without the item, say).
            _ => self.failed(Failure::unexpected()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::flows::payload::Contact;
    use crate::rules::agreement::AgreementType;
    use crate::rules::date::parse_date;
    use BackendProblem::*;

    fn sent() -> AgreementPayload {
        AgreementPayload {
            primary_contact: Contact {
                first_name: "José".into(),
                last_name: "Núñez".into(),
                email: "jose@adatum.example".into(),
                phone_number: Some("+34 91 123 45 67".into()),
            },
            template_id: "117a77b0-9360-443b-8795-c6dedc750cf9".into(),
            date_agreed: parse_date("2019-11-14").unwrap(),
            agreement_type: AgreementType::MicrosoftCustomerAgreement,
        }
    }

    fn recorded(payload: &AgreementPayload) -> Agreement {
        Agreement {
            user_id: Some("u".into()),
            primary_contact: payload.primary_contact.clone(),
            template_id: payload.template_id.clone(),
            date_agreed: payload.date_agreed,
            agreement_type: payload.agreement_type,
            agreement_link: None,
        }
    }

    #[test]
    fn what_follows_the_post() {
        let failed = |problem, attempts| after_post(PostEnd::Failed { problem, attempts });
        assert_eq!(after_post(PostEnd::Created), AfterPost::ReadBack);
        assert_eq!(after_post(PostEnd::Unreadable), AfterPost::Reconcile);
        assert_eq!(failed(DuplicateConfirmation, 2), AfterPost::Reconcile);
        assert_eq!(failed(DuplicateConfirmation, 1), AfterPost::Fail);
        for ambiguous in [Network, Timeout, Unavailable] {
            assert_eq!(failed(ambiguous, 3), AfterPost::Reconcile, "{ambiguous:?}");
        }
        for refused in [
            Unauthorized,
            Forbidden,
            NotFound,
            FutureDate,
            AgreementNotAcceptable,
            InvalidInput,
            Conflict,
            Unexpected,
        ] {
            assert_eq!(failed(refused, 2), AfterPost::Fail, "{refused:?}");
        }
    }

    #[test]
    fn conclusions() {
        let sent = sent();
        let mine = recorded(&sent);
        let older = Agreement {
            date_agreed: parse_date("2019-10-01").unwrap(),
            ..mine.clone()
        };
        // The straight way.
        assert_eq!(
            conclude(
                &sent,
                Some(mine.clone()),
                std::slice::from_ref(&older),
                Some(vec![older.clone(), mine.clone()])
            ),
            Conclusion::Confirmed {
                agreement: mine.clone(),
                agreements: vec![older.clone(), mine.clone()],
                note: None
            }
        );
        // Created, then the read-back failed: what was read before, plus the new one.
        assert_eq!(
            conclude(
                &sent,
                Some(mine.clone()),
                std::slice::from_ref(&older),
                None
            ),
            Conclusion::Confirmed {
                agreement: mine.clone(),
                agreements: vec![older.clone(), mine.clone()],
                note: Some(Note::ReadBackFailed)
            }
        );
        // The answer was lost and the record is there, written another way by the backend.
        let mut stored = mine.clone();
        stored.primary_contact.first_name = "Jose\u{301}".into();
        stored.primary_contact.phone_number = Some("+34911234567".into());
        assert_eq!(
            conclude(
                &sent,
                None,
                std::slice::from_ref(&older),
                Some(vec![older.clone(), stored.clone()])
            ),
            Conclusion::Confirmed {
                agreement: stored.clone(),
                agreements: vec![older.clone(), stored],
                note: Some(Note::AlreadyRecorded)
            }
        );
        // The answer was lost and the record is not there; or nothing could be read.
        assert_eq!(
            conclude(
                &sent,
                None,
                std::slice::from_ref(&older),
                Some(vec![older.clone()])
            ),
            Conclusion::NotRecorded
        );
        assert_eq!(conclude(&sent, None, &[], None), Conclusion::NotRecorded);
        // Another day, another agreement or another contact is not this confirmation.
        for other in [
            Agreement {
                date_agreed: parse_date("2019-11-13").unwrap(),
                ..mine.clone()
            },
            Agreement {
                agreement_type: AgreementType::MicrosoftCloudAgreement,
                ..mine.clone()
            },
            Agreement {
                primary_contact: Contact {
                    email: "other@adatum.example".into(),
                    ..mine.primary_contact.clone()
                },
                ..mine.clone()
            },
            Agreement {
                primary_contact: Contact {
                    phone_number: None,
                    ..mine.primary_contact.clone()
                },
                ..mine.clone()
            },
        ] {
            assert_eq!(
                find_recorded(&sent, std::slice::from_ref(&other)),
                None,
                "{other:?}"
            );
        }
    }

    mod flow {
        use super::super::*;
        use crate::flows::backend::ErrorBody;
        use crate::rules::date::{parse_date, Today};

        const US: &str = "2b8c5e6a-7d3f-4a1c-9e4b-9f3a5c7d1e03";
        const MCUA: &str = "117a77b0-9360-443b-8795-c6dedc750cf9";

        fn form() -> ConfirmationForm {
            ConfirmationForm {
                agreement_type: "MicrosoftCustomerAgreement".into(),
                date_agreed: "2019-11-14".into(),
                first_name: "Tania".into(),
                last_name: "Carr".into(),
                email: "someone@example.com".into(),
                ..ConfirmationForm::default()
            }
        }

        fn context() -> Context {
            Context {
                today: Some(Today::same(parse_date("2019-11-20").unwrap())),
                ..Context::default()
            }
        }

        fn recorded(first_name: &str) -> Agreement {
            Agreement {
                user_id: Some("u".into()),
                primary_contact: crate::flows::payload::Contact {
                    first_name: first_name.into(),
                    last_name: "Carr".into(),
                    email: "someone@example.com".into(),
                    phone_number: None,
                },
                template_id: MCUA.into(),
                date_agreed: parse_date("2019-11-14").unwrap(),
                agreement_type: AgreementType::MicrosoftCustomerAgreement,
                agreement_link: None,
            }
        }

        fn failure(problem: BackendProblem, status: Option<u16>, attempts: u32) -> Failure {
            Failure {
                problem,
                status,
                body: ErrorBody::default(),
                attempts,
            }
        }

        /// Runs the flow up to its POST (metadata, then `existing`).
        fn to_post(existing: Vec<Agreement>) -> (ConfirmFlow, Step) {
            let (mut flow, step) = ConfirmFlow::start(US, form(), context());
            assert_eq!(
                step,
                Step::Send(Call::Metadata(AgreementType::MicrosoftCustomerAgreement))
            );
            let step = flow.on_answer(Answer::Metadata(Some(MCUA.into())));
            assert_eq!(
                step.clone(),
                Step::Send(Call::Agreements {
                    customer: US.into(),
                    agreement: AgreementType::MicrosoftCustomerAgreement
                })
            );
            let step = flow.on_answer(Answer::Agreements(existing));
            (flow, step)
        }

        fn posting() -> ConfirmFlow {
            let (flow, step) = to_post(vec![]);
            let Step::Send(Call::Post { customer, payload }) = step else {
                panic!("{step:?}")
            };
            assert_eq!(customer, US);
            assert_eq!(payload.template_id, MCUA);
            flow
        }

        fn read_back() -> Step {
            Step::Send(Call::Agreements {
                customer: US.into(),
                agreement: AgreementType::MicrosoftCustomerAgreement,
            })
        }

        fn codes(report: &Report) -> Vec<(&'static str, &'static str)> {
            report
                .errors
                .iter()
                .map(|i| (i.field.as_str(), i.code().as_str()))
                .collect()
        }

        #[test]
        fn refused_before_anything_is_sent() {
            let (_, step) = ConfirmFlow::start("", form(), context());
            let Step::Done(Outcome::Invalid(report)) = step else {
                panic!("{step:?}")
            };
            assert_eq!(codes(&report), [("customerId", "required")]);
            let (_, step) = ConfirmFlow::start("not-a-guid", form(), context());
            let Step::Done(Outcome::Invalid(report)) = step else {
                panic!("{step:?}")
            };
            assert_eq!(codes(&report), [("customerId", "invalid-customer-id")]);
            let mut empty = form();
            empty.email.clear();
            let (_, step) = ConfirmFlow::start(US, empty, context());
            assert!(matches!(step, Step::Done(Outcome::Invalid(_))));
        }

        #[test]
        fn the_straight_way() {
            let mut flow = posting();
            assert_eq!(
                flow.on_answer(Answer::Created(Some(recorded("Tania")))),
                read_back()
            );
            let step = flow.on_answer(Answer::Agreements(vec![recorded("Tania")]));
            let Step::Done(Outcome::Confirmed {
                agreement,
                agreements,
                note,
                ..
            }) = step
            else {
                panic!("{step:?}")
            };
            assert_eq!(
                (agreement, agreements.len(), note),
                (recorded("Tania"), 1, None)
            );
        }

        #[test]
        fn a_duplicate_found_in_the_existing_confirmations_is_never_sent() {
            let (_, step) = to_post(vec![recorded("Tania")]);
            let Step::Done(Outcome::Invalid(report)) = step else {
                panic!("{step:?}")
            };
            assert_eq!(codes(&report), [("form", "duplicate-confirmation")]);
        }

        #[test]
        fn failures_before_the_post() {
            let (mut flow, _) = ConfirmFlow::start(US, form(), context());
            let step = flow.on_answer(Answer::Failed(failure(
                BackendProblem::Unauthorized,
                Some(401),
                1,
            )));
            assert!(
                matches!(step, Step::Done(Outcome::Failed { failure: ref f, .. }) if f.problem == BackendProblem::Unauthorized)
            );

            let (mut flow, _) = ConfirmFlow::start(US, form(), context());
            let step = flow.on_answer(Answer::Metadata(None));
            assert!(
                matches!(step, Step::Done(Outcome::Failed { failure: ref f, .. }) if f.problem == BackendProblem::Unexpected)
            );

            let (mut flow, _) = ConfirmFlow::start(US, form(), context());
            flow.on_answer(Answer::Metadata(Some(MCUA.into())));
            let step = flow.on_answer(Answer::Failed(failure(
                BackendProblem::NotFound,
                Some(404),
                1,
            )));
            assert!(
                matches!(step, Step::Done(Outcome::Failed { failure: ref f, .. }) if f.problem == BackendProblem::NotFound)
            );

            // An answer that does not fit the call.
            let (mut flow, _) = ConfirmFlow::start(US, form(), context());
            let step = flow.on_answer(Answer::Created(None));
            assert!(
                matches!(step, Step::Done(Outcome::Failed { failure: ref f, .. }) if f.problem == BackendProblem::Unexpected)
            );
        }

        #[test]
        fn a_refused_post_is_reported_with_its_field_problems() {
            let mut flow = posting();
            let mut refused = failure(BackendProblem::InvalidInput, Some(400), 1);
            refused.body.issues = vec![(Field::Email, "invalid-email".into())];
            let step = flow.on_answer(Answer::Failed(refused));
            let Step::Done(Outcome::Failed { report, failure: f }) = step else {
                panic!("{step:?}")
            };
            assert_eq!(codes(&report), [("email", "invalid-email")]);
            assert_eq!(f.status, Some(400));

            // A first attempt answered "already exists": a real duplicate, nothing read back.
            let mut flow = posting();
            let step = flow.on_answer(Answer::Failed(failure(
                BackendProblem::DuplicateConfirmation,
                Some(409),
                1,
            )));
            let Step::Done(Outcome::Failed { report, .. }) = step else {
                panic!("{step:?}")
            };
            assert_eq!(codes(&report), [("form", "duplicate-confirmation")]);
        }

        #[test]
        fn a_lost_answer_is_reconciled_by_reading_back() {
            // A retried attempt answered "already exists": the first one was recorded.
            let mut flow = posting();
            let step = flow.on_answer(Answer::Failed(failure(
                BackendProblem::DuplicateConfirmation,
                Some(409),
                2,
            )));
            assert_eq!(step, read_back());
            let step = flow.on_answer(Answer::Agreements(vec![recorded("Tania")]));
            assert!(
                matches!(
                    step,
                    Step::Done(Outcome::Confirmed {
                        note: Some(Note::AlreadyRecorded),
                        ..
                    })
                ),
                "{step:?}"
            );

            // No answer after every retry, and the record is not there: the network failure.
            let mut flow = posting();
            assert_eq!(
                flow.on_answer(Answer::Failed(failure(BackendProblem::Network, None, 3))),
                read_back()
            );
            let step = flow.on_answer(Answer::Agreements(vec![]));
            assert!(
                matches!(step, Step::Done(Outcome::Failed { failure: ref f, .. }) if f.problem == BackendProblem::Network),
                "{step:?}"
            );

            // A 2xx that is not an agreement, and nothing can be read back.
            let mut flow = posting();
            assert_eq!(flow.on_answer(Answer::Created(None)), read_back());
            let step = flow.on_answer(Answer::Failed(failure(
                BackendProblem::Unavailable,
                Some(503),
                3,
            )));
            assert!(
                matches!(step, Step::Done(Outcome::Failed { failure: ref f, .. }) if f.problem == BackendProblem::Unexpected),
                "{step:?}"
            );
        }

        #[test]
        fn recorded_but_not_read_back() {
            let mut flow = posting();
            flow.on_answer(Answer::Created(Some(recorded("Tania"))));
            let step = flow.on_answer(Answer::Failed(failure(
                BackendProblem::Unavailable,
                Some(503),
                3,
            )));
            let Step::Done(Outcome::Confirmed {
                agreements, note, ..
            }) = step
            else {
                panic!("{step:?}")
            };
            assert_eq!(
                (agreements, note),
                (vec![recorded("Tania")], Some(Note::ReadBackFailed))
            );
        }

        #[test]
        fn calls_and_their_paths() {
            let mcua = AgreementType::MicrosoftCustomerAgreement;
            assert_eq!(
                Call::Metadata(mcua).endpoint().path,
                "/v1/agreements?agreementType=MicrosoftCustomerAgreement"
            );
            assert_eq!(Call::Metadata(mcua).endpoint().method, "GET");
            let read = Call::Agreements {
                customer: US.into(),
                agreement: mcua,
            };
            assert_eq!(
                read.endpoint().path,
                format!("/v1/customers/{US}/agreements?agreementType=MicrosoftCustomerAgreement")
            );
            let (_, step) = to_post(vec![]);
            let Step::Send(post) = step else { panic!() };
            assert_eq!(
                (post.endpoint().method, post.endpoint().path),
                ("POST", format!("/v1/customers/{US}/agreements"))
            );
        }
    }
}
