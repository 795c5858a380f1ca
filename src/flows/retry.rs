//! When to try a request again (SPEC §5): only what can be retried (a network failure or a
//! timeout, 408, 429, 500, 502, 503, 504), never a 400/401/403/404/409; with exponential backoff,
//! honouring `Retry-After`. Pure: the caller gives the attempt, the header, the clock and the
//! randomness.

/// How a request attempt ended, for the retry decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// No response (the network failed, CORS, the server is down).
    Network,
    /// No response within the timeout.
    Timeout,
    /// An HTTP status.
    Status(u16),
}

impl Outcome {
    /// Whether trying again may succeed.
    pub fn is_retryable(self) -> bool {
        match self {
            Outcome::Network | Outcome::Timeout => true,
            Outcome::Status(status) => matches!(status, 408 | 429 | 500 | 502 | 503 | 504),
        }
    }
}

/// The retry policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first one included.
    pub max_attempts: u32,
    /// The delay before the second attempt; doubled for each further one.
    pub base_delay_ms: u32,
    /// No delay is longer, `Retry-After` included (a longer one gives up instead of waiting).
    pub max_delay_ms: u32,
    /// Answers 429 that say when to come back (`Retry-After`, within `max_delay_ms`) waited for
    /// without using up an attempt: throttling is the server pacing its clients, not a failure.
    /// Past this many in one request, they count as attempts.
    pub max_throttled: u32,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            base_delay_ms: 500,
            max_delay_ms: 10_000,
            max_throttled: 10,
        }
    }
}

impl RetryPolicy {
    /// The wait asked by an answer 429 with a `Retry-After` within `max_delay_ms`, when the
    /// request has been throttled `throttled` times before and may wait once more without
    /// counting an attempt; None otherwise (the answer then counts as an attempt).
    pub fn throttled_delay(
        &self,
        throttled: u32,
        outcome: Outcome,
        retry_after: Option<&str>,
        now_ms: f64,
    ) -> Option<u32> {
        if outcome != Outcome::Status(429) || throttled >= self.max_throttled {
            return None;
        }
        let asked = retry_after_ms(retry_after?, now_ms)?;
        (asked <= u64::from(self.max_delay_ms)).then_some(asked as u32)
    }

    /// The delay before the next attempt after attempt number `attempt` (1 = the first) ended
    /// with `outcome`, or None to give up. `retry_after` is the response's `Retry-After` header;
    /// `now_ms` the clock (Unix milliseconds, for an HTTP-date); `jitter` a number in [0, 1).
    pub fn next_delay(
        &self,
        attempt: u32,
        outcome: Outcome,
        retry_after: Option<&str>,
        now_ms: f64,
        jitter: f64,
    ) -> Option<u32> {
        if attempt >= self.max_attempts || !outcome.is_retryable() {
            return None;
        }
        if let Some(asked) = retry_after.and_then(|value| retry_after_ms(value, now_ms)) {
            return (asked <= u64::from(self.max_delay_ms)).then_some(asked as u32);
        }
        let exponential = u64::from(self.base_delay_ms) << (attempt - 1).min(16);
        let capped = exponential.min(u64::from(self.max_delay_ms)) as f64;
        // "Equal jitter": half the delay, plus a random part of the other half.
        Some((capped / 2.0 + capped / 2.0 * jitter.clamp(0.0, 1.0)) as u32)
    }
}

/// `Retry-After` in milliseconds from now: delta-seconds (`120`) or an HTTP-date
/// (`Wed, 21 Oct 2015 07:28:00 GMT`). A date in the past is 0.
pub fn retry_after_ms(value: &str, now_ms: f64) -> Option<u64> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse::<u64>().ok().map(|s| s.saturating_mul(1000));
    }
    let at = http_date_ms(value)?;
    Some((at - now_ms).max(0.0) as u64)
}

/// An IMF-fixdate (RFC 9110 §5.6.7) as Unix milliseconds.
fn http_date_ms(value: &str) -> Option<f64> {
    let mut parts = value.split_whitespace();
    let _weekday = parts.next()?.strip_suffix(',')?;
    let day: u32 = parts.next()?.parse().ok()?;
    let month = match parts.next()? {
        "Jan" => 1,
        "Feb" => 2,
        "Mar" => 3,
        "Apr" => 4,
        "May" => 5,
        "Jun" => 6,
        "Jul" => 7,
        "Aug" => 8,
        "Sep" => 9,
        "Oct" => 10,
        "Nov" => 11,
        "Dec" => 12,
        _ => return None,
    };
    let year: i32 = parts.next()?.parse().ok()?;
    let mut time = parts.next()?.split(':').map(|p| p.parse::<u32>().ok());
    let (h, m, s) = (time.next()??, time.next()??, time.next()??);
    if parts.next()? != "GMT" || parts.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    let date = chrono::NaiveDate::from_ymd_opt(year, month, day)?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    let days = date.signed_duration_since(epoch).num_days() as f64;
    Some(((days * 86_400.0) + f64::from(h * 3600 + m * 60 + s)) * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_retried() {
        for status in [408, 429, 500, 502, 503, 504] {
            assert!(Outcome::Status(status).is_retryable(), "{status}");
        }
        for status in [200, 201, 400, 401, 403, 404, 405, 409, 412, 501] {
            assert!(!Outcome::Status(status).is_retryable(), "{status}");
        }
        assert!(Outcome::Network.is_retryable());
        assert!(Outcome::Timeout.is_retryable());
    }

    #[test]
    fn exponential_backoff_with_jitter_and_a_limit() {
        let policy = RetryPolicy::default();
        let delay =
            |attempt, jitter| policy.next_delay(attempt, Outcome::Status(503), None, 0.0, jitter);
        assert_eq!(delay(1, 0.0), Some(250));
        assert_eq!(delay(1, 0.999_999), Some(499));
        assert_eq!(delay(2, 0.0), Some(500));
        assert_eq!(delay(3, 0.0), None, "three attempts in all");
        assert_eq!(
            policy.next_delay(1, Outcome::Status(409), None, 0.0, 0.5),
            None
        );
        assert_eq!(
            policy.next_delay(1, Outcome::Status(400), Some("1"), 0.0, 0.5),
            None,
            "Retry-After does not make a 400 retryable"
        );
        let long = RetryPolicy {
            max_attempts: 30,
            ..RetryPolicy::default()
        };
        assert_eq!(
            long.next_delay(20, Outcome::Network, None, 0.0, 0.0),
            Some(5_000)
        );
    }

    #[test]
    fn retry_after_is_honoured() {
        let policy = RetryPolicy::default();
        assert_eq!(
            policy.next_delay(1, Outcome::Status(429), Some("2"), 0.0, 0.9),
            Some(2000)
        );
        assert_eq!(
            policy.next_delay(1, Outcome::Status(503), Some(" 0 "), 0.0, 0.9),
            Some(0)
        );
        assert_eq!(
            policy.next_delay(1, Outcome::Status(503), Some("60"), 0.0, 0.9),
            None,
            "longer than the limit: give up"
        );
        // An HTTP-date, three seconds ahead of the clock.
        let now = http_date_ms("Wed, 21 Oct 2015 07:28:00 GMT").unwrap();
        assert_eq!(now, 1_445_412_480_000.0);
        assert_eq!(
            policy.next_delay(
                1,
                Outcome::Status(503),
                Some("Wed, 21 Oct 2015 07:28:03 GMT"),
                now,
                0.0
            ),
            Some(3000)
        );
        assert_eq!(
            retry_after_ms("Wed, 21 Oct 2015 07:27:00 GMT", now),
            Some(0)
        );
        // Unreadable values fall back to the backoff.
        assert_eq!(
            policy.next_delay(1, Outcome::Status(503), Some("soon"), now, 0.0),
            Some(250)
        );
        assert_eq!(retry_after_ms("-1", 0.0), None);
        // A 429 that says when to come back is waited for without counting, ten times at most.
        assert_eq!(
            policy.throttled_delay(0, Outcome::Status(429), Some("1"), 0.0),
            Some(1000)
        );
        assert_eq!(
            policy.throttled_delay(10, Outcome::Status(429), Some("1"), 0.0),
            None
        );
        assert_eq!(
            policy.throttled_delay(0, Outcome::Status(429), None, 0.0),
            None,
            "without Retry-After: an attempt like any other"
        );
        assert_eq!(
            policy.throttled_delay(0, Outcome::Status(429), Some("60"), 0.0),
            None
        );
        assert_eq!(
            policy.throttled_delay(0, Outcome::Status(503), Some("1"), 0.0),
            None,
            "only throttling"
        );
        assert_eq!(retry_after_ms("Wed, 21 Foo 2015 07:28:00 GMT", 0.0), None);
    }
}
