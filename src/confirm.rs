//! The decisions of the confirmation flow after its POST (SPEC §5), apart from any I/O: when an
//! answer was lost, the record may exist although the client never heard the 201. The client
//! then reads the customer's confirmations back and looks for the one it sent.
//!
//! Before the POST the form was checked against the confirmations already there, so a record
//! with the same content found afterwards is the one this POST made: the same agreement, day
//! and contact (compared as the duplicate check compares them).

use crate::backend::BackendProblem;
use crate::payload::{Agreement, AgreementPayload};
use crate::text::{email_key, name_key, phone_key};

/// How the POST ended, after its retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostEnd {
    /// 201 with a readable agreement.
    Created,
    /// 2xx whose body could not be read as an agreement.
    Unreadable,
    /// A failure, with the number of attempts made.
    Failed {
        problem: BackendProblem,
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
#[allow(clippy::large_enum_variant)] // one value per confirmation: a box would buy nothing
pub enum Conclusion {
    /// Recorded: the agreement as recorded, the customer's confirmations, and a note when the
    /// way there was not the straight one.
    Confirmed {
        agreement: Agreement,
        agreements: Vec<Agreement>,
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
    let contact = &sent.primary_contact;
    read_back.iter().rev().find(|a| {
        let c = &a.primary_contact;
        a.agreement_type == sent.agreement_type
            && a.date_agreed == sent.date_agreed
            && name_key(&c.first_name) == name_key(&contact.first_name)
            && name_key(&c.last_name) == name_key(&contact.last_name)
            && email_key(&c.email) == email_key(&contact.email)
            && phone_key(c.phone_number.as_deref().unwrap_or(""))
                == phone_key(contact.phone_number.as_deref().unwrap_or(""))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::agreement::AgreementType;
    use crate::date::parse_date;
    use crate::payload::Contact;
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
}
