//! One request and its retries (SPEC §5), apart from any I/O: the caller sends, says how the
//! attempt ended, and is told what to do next. The same `MS-RequestId` goes with every attempt
//! (the caller keeps it); this machine counts the attempts and decides.
//!
//! How an attempt can end, as the caller reports it:
//! - a readable 2xx answer: done;
//! - another status with its error body: retried if the status is retryable (408, 429, 5xx),
//!   after `Retry-After` when given, else a failure classified by `backend::classify`;
//! - no answer, a body that could not be read, or a 2xx whose JSON is cut short: the answer was
//!   lost; retried (with the same request id, so that a backend that replays by request id does
//!   not do the work twice), and a network failure or timeout once the attempts are spent.

use crate::flows::backend::{classify, BackendProblem, ErrorBody, Failure};
use crate::flows::retry::{Outcome, RetryPolicy};

/// What a flow (a confirmation, an attestation) does now: send a request and give it the
/// answer, or end with its outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step<C, O> {
    /// Send this request, then give the flow its answer.
    Send(C),
    /// The flow is over.
    Done(O),
}

/// How one attempt ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ending {
    /// A 2xx answer whose body was read (and, when JSON was expected, parsed).
    Success,
    /// Any other status, with its `Retry-After` header and its error body (default when none
    /// could be read).
    Refused {
        /// The HTTP status.
        status: u16,
        /// The `Retry-After` header, when present.
        retry_after: Option<String>,
        /// The error body, in either shape.
        body: ErrorBody,
    },
    /// No answer, or an answer lost on the way (its body could not be read, or was cut short).
    Lost {
        /// The per-attempt timeout fired.
        timed_out: bool,
    },
}

/// What to do after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// The answer is good: use it.
    Done,
    /// Send the same request again (same request id) after this many milliseconds.
    Retry {
        /// Milliseconds to wait.
        after_ms: u32,
    },
    /// Give up with this failure.
    Fail(Failure),
}

/// The attempts of one request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    policy: RetryPolicy,
    attempts: u32,
    /// Attempts answered 429 with a `Retry-After` that were waited for without counting.
    throttled: u32,
}

impl Exchange {
    /// The first attempt of a request under this retry policy.
    pub fn new(policy: RetryPolicy) -> Exchange {
        Exchange {
            policy,
            attempts: 0,
            throttled: 0,
        }
    }

    /// Attempts made so far.
    pub fn attempts(&self) -> u32 {
        self.attempts
    }

    /// The next step after an attempt ended as `ending`. `now_ms` is the clock (Unix
    /// milliseconds, for a `Retry-After` date), `jitter` a number in [0, 1).
    pub fn on_ending(&mut self, ending: Ending, now_ms: f64, jitter: f64) -> Next {
        self.attempts += 1;
        let (outcome, retry_after, body) = match ending {
            Ending::Success => return Next::Done,
            Ending::Refused {
                status,
                retry_after,
                body,
            } => (Outcome::Status(status), retry_after, body),
            Ending::Lost { timed_out: true } => (Outcome::Timeout, None, ErrorBody::default()),
            Ending::Lost { timed_out: false } => (Outcome::Network, None, ErrorBody::default()),
        };
        // A server that says a retry cannot succeed (the sandbox's 503 `StorageFull`: "nothing
        // was recorded", `isRetryable: false`) is believed, whatever its status.
        let retry_after = retry_after.as_deref();
        let delay = match body.is_retryable {
            Some(false) => None,
            _ => match self
                .policy
                .throttled_delay(self.throttled, outcome, retry_after, now_ms)
            {
                Some(wait) => {
                    self.throttled += 1;
                    Some(wait)
                }
                None => self.policy.next_delay(
                    self.attempts - self.throttled,
                    outcome,
                    retry_after,
                    now_ms,
                    jitter,
                ),
            },
        };
        match delay {
            Some(after_ms) => Next::Retry { after_ms },
            None => Next::Fail(Failure {
                problem: classify(outcome, &body),
                status: match outcome {
                    Outcome::Status(status) => Some(status),
                    _ => None,
                },
                body,
                attempts: self.attempts,
            }),
        }
    }

    /// The bearer token could not be had (the portal's provider threw, or gave nothing): no
    /// request is sent.
    pub fn no_token(&self) -> Failure {
        Failure {
            problem: BackendProblem::Unauthorized,
            status: None,
            body: ErrorBody::default(),
            attempts: self.attempts + 1,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(status: u16, retry_after: Option<&str>) -> Ending {
        Ending::Refused {
            status,
            retry_after: retry_after.map(str::to_string),
            body: ErrorBody::default(),
        }
    }

    #[test]
    fn success_at_once_or_after_retries() {
        let mut exchange = Exchange::new(RetryPolicy::default());
        assert_eq!(exchange.on_ending(Ending::Success, 0.0, 0.0), Next::Done);
        assert_eq!(exchange.attempts(), 1);

        let mut exchange = Exchange::new(RetryPolicy::default());
        assert_eq!(
            exchange.on_ending(refused(503, None), 0.0, 0.0),
            Next::Retry { after_ms: 250 }
        );
        assert_eq!(
            exchange.on_ending(refused(429, Some("2")), 0.0, 0.0),
            Next::Retry { after_ms: 2000 }
        );
        assert_eq!(exchange.on_ending(Ending::Success, 0.0, 0.0), Next::Done);
        assert_eq!(exchange.attempts(), 3);
    }

    #[test]
    fn throttling_that_says_when_to_come_back_uses_up_no_attempt() {
        let mut exchange = Exchange::new(RetryPolicy::default());
        for _ in 0..10 {
            assert_eq!(
                exchange.on_ending(refused(429, Some("1")), 0.0, 0.0),
                Next::Retry { after_ms: 1000 }
            );
        }
        // The three attempts are still there, then the throttling counts.
        assert_eq!(
            exchange.on_ending(refused(503, None), 0.0, 0.0),
            Next::Retry { after_ms: 250 }
        );
        assert_eq!(
            exchange.on_ending(refused(429, Some("1")), 0.0, 0.0),
            Next::Retry { after_ms: 1000 }
        );
        let Next::Fail(failure) = exchange.on_ending(refused(429, Some("1")), 0.0, 0.0) else {
            panic!("the attempts are spent");
        };
        assert_eq!((failure.status, failure.attempts), (Some(429), 13));
        // Without Retry-After, a 429 is an attempt like a 503.
        let mut exchange = Exchange::new(RetryPolicy::default());
        for retried in [true, true, false] {
            let next = exchange.on_ending(refused(429, None), 0.0, 0.0);
            assert_eq!(matches!(next, Next::Retry { .. }), retried, "{next:?}");
            assert_eq!(matches!(next, Next::Fail(_)), !retried, "{next:?}");
        }
    }

    #[test]
    fn a_status_the_server_says_is_not_retryable_is_not_retried() {
        let full = |retryable| Ending::Refused {
            status: 503,
            retry_after: None,
            body: ErrorBody {
                code: Some("StorageFull".into()),
                is_retryable: retryable,
                ..ErrorBody::default()
            },
        };
        let mut exchange = Exchange::new(RetryPolicy::default());
        let Next::Fail(failure) = exchange.on_ending(full(Some(false)), 0.0, 0.0) else {
            panic!("a 503 said not retryable is final");
        };
        assert_eq!((failure.status, failure.attempts), (Some(503), 1));
        assert_eq!(failure.problem, BackendProblem::NotRetryable);
        assert!(
            !failure.problem.may_have_been_done(),
            "a bulk row is not sent again"
        );
        // Without the server's word, or with its yes, a 503 is retried.
        for retryable in [None, Some(true)] {
            let mut exchange = Exchange::new(RetryPolicy::default());
            assert!(matches!(
                exchange.on_ending(full(retryable), 0.0, 0.0),
                Next::Retry { .. }
            ));
        }
    }

    #[test]
    fn lost_answers_are_retried_then_fail_as_network_or_timeout() {
        for (timed_out, problem) in [
            (false, BackendProblem::Network),
            (true, BackendProblem::Timeout),
        ] {
            let mut exchange = Exchange::new(RetryPolicy::default());
            let lost = || Ending::Lost { timed_out };
            assert!(matches!(
                exchange.on_ending(lost(), 0.0, 0.5),
                Next::Retry { .. }
            ));
            assert!(matches!(
                exchange.on_ending(lost(), 0.0, 0.5),
                Next::Retry { .. }
            ));
            assert_eq!(
                exchange.on_ending(lost(), 0.0, 0.5),
                Next::Fail(Failure {
                    problem,
                    status: None,
                    body: ErrorBody::default(),
                    attempts: 3
                })
            );
        }
    }

    #[test]
    fn refusals_are_not_retried_and_keep_their_body() {
        let body = ErrorBody {
            error_name: Some("PartnerConfirmedAgreementAlreadyExists".into()),
            ..ErrorBody::default()
        };
        let mut exchange = Exchange::new(RetryPolicy::default());
        let next = exchange.on_ending(
            Ending::Refused {
                status: 409,
                retry_after: Some("1".into()),
                body: body.clone(),
            },
            0.0,
            0.0,
        );
        assert_eq!(
            next,
            Next::Fail(Failure {
                problem: BackendProblem::DuplicateConfirmation,
                status: Some(409),
                body,
                attempts: 1
            })
        );
        for status in [400, 401, 403, 404] {
            let mut exchange = Exchange::new(RetryPolicy::default());
            assert!(
                matches!(exchange.on_ending(refused(status, None), 0.0, 0.0), Next::Fail(f) if f.attempts == 1 && f.status == Some(status))
            );
        }
        // A Retry-After longer than the policy allows gives up at once.
        let mut exchange = Exchange::new(RetryPolicy::default());
        assert!(
            matches!(exchange.on_ending(refused(503, Some("60")), 0.0, 0.0), Next::Fail(f) if f.problem == BackendProblem::Unavailable)
        );
    }

    #[test]
    fn without_a_token_nothing_is_sent() {
        let exchange = Exchange::new(RetryPolicy::default());
        let failure = exchange.no_token();
        assert_eq!(failure.problem, BackendProblem::Unauthorized);
        assert_eq!(failure.attempts, 1);
    }
}
