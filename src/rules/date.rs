//! Calendar dates: the strict `YYYY-MM-DD` form used everywhere in the API of this crate, the
//! date-times Partner Center sends back, and "today" as the two calendars a browser knows.

use chrono::{Datelike, NaiveDate};

/// Parses a calendar date written exactly `YYYY-MM-DD` (four-digit year, two-digit month and
/// day) that exists (no 2019-02-29). Surrounding whitespace is not accepted.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let mut cursor = Cursor(value.as_bytes());
    let date = cursor.date()?;
    cursor.0.is_empty().then_some(date)
}

/// Writes a date as `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    let mut text = String::with_capacity(10);
    write_date(&mut text, date);
    text
}

/// Serializes a date as `YYYY-MM-DD` (serde's `serialize_with`).
pub fn write_day<S: serde::Serializer>(date: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&format_date(*date))
}

/// Serializes a date that may be absent as `YYYY-MM-DD` or nothing (serde's `serialize_with`).
pub fn write_some_day<S: serde::Serializer>(
    date: &Option<NaiveDate>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match date {
        Some(date) => write_day(date, s),
        None => s.serialize_none(),
    }
}

/// Appends a date as `YYYY-MM-DD`.
pub fn write_date(text: &mut String, date: NaiveDate) {
    // By hand rather than `format!`: the formatting machinery is a tenth of a result's time in
    // WebAssembly. Years outside 0..=9999 never reach here (`parse_date` refuses them).
    let year = date.year().clamp(0, 9999) as u32;
    let digit = |n: u32| char::from(b'0' + (n % 10) as u8);
    for n in [year / 1000, year / 100, year / 10, year] {
        text.push(digit(n));
    }
    text.push('-');
    text.push(digit(date.month() / 10));
    text.push(digit(date.month()));
    text.push('-');
    text.push(digit(date.day() / 10));
    text.push(digit(date.day()));
}

/// A date that serializes as `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Day(pub NaiveDate);

impl serde::Serialize for Day {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_date(self.0))
    }
}

impl<'de> serde::Deserialize<'de> for Day {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Day, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_date(&text).map(Day).ok_or_else(|| {
            <D::Error as serde::de::Error>::custom("expected a date written YYYY-MM-DD")
        })
    }
}

/// Reads the `dateAgreed` of an agreement as Partner Center returns it: `2019-08-26T00:00:00`,
/// `2018-06-14T00:00:00.000Z`, `2019-08-26T00:00:00Z`, with an offset, or a bare date. A time
/// with an offset is converted to its UTC calendar day (the API's dates are UTC).
pub fn parse_agreed_date_time(value: &str) -> Option<NaiveDate> {
    let (date, seconds) = date_time(value)?;
    match seconds.div_euclid(DAY_SECONDS as i32) {
        -1 => date.pred_opt(),
        1 => date.succ_opt(),
        _ => Some(date),
    }
}

/// An instant, in whole seconds since 1970-01-01T00:00:00Z: when an attestation was sent,
/// checked, accepted. Written `YYYY-MM-DDTHH:MM:SSZ`; it orders as it reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Instant(pub i64);

/// The days from 0001-01-01 (day 1 of the common era) to 1970-01-01.
const EPOCH_DAYS_FROM_CE: i64 = 719_163;
const DAY_SECONDS: i64 = 86_400;

impl Instant {
    /// The start of a day (midnight UTC).
    pub fn start_of(day: NaiveDate) -> Instant {
        Instant((i64::from(day.num_days_from_ce()) - EPOCH_DAYS_FROM_CE) * DAY_SECONDS)
    }

    /// From milliseconds since the epoch (a JavaScript `Date.now()`), rounded down.
    pub fn from_millis(millis: f64) -> Instant {
        Instant((millis / 1000.0).floor() as i64)
    }

    /// Its UTC calendar day.
    pub fn day(self) -> NaiveDate {
        let days = self.0.div_euclid(DAY_SECONDS) + EPOCH_DAYS_FROM_CE;
        i32::try_from(days)
            .ok()
            .and_then(NaiveDate::from_num_days_from_ce_opt)
            .unwrap_or(NaiveDate::MIN)
    }

    /// This instant plus whole days.
    pub fn plus_days(self, days: i64) -> Instant {
        Instant(self.0.saturating_add(days.saturating_mul(DAY_SECONDS)))
    }

    /// This instant plus seconds.
    pub fn plus_seconds(self, seconds: i64) -> Instant {
        Instant(self.0.saturating_add(seconds))
    }

    /// Whole days from `earlier` to this instant (0 when `earlier` is later).
    pub fn days_since(self, earlier: Instant) -> i64 {
        (self.0 - earlier.0).max(0) / DAY_SECONDS
    }

    /// Written `YYYY-MM-DDTHH:MM:SSZ`.
    pub fn format(self) -> String {
        let mut text = String::with_capacity(20);
        write_date(&mut text, self.day());
        let seconds = self.0.rem_euclid(DAY_SECONDS) as u32;
        text.push('T');
        for (i, n) in [seconds / 3600, seconds / 60 % 60, seconds % 60]
            .into_iter()
            .enumerate()
        {
            if i > 0 {
                text.push(':');
            }
            text.push(char::from(b'0' + (n / 10) as u8));
            text.push(char::from(b'0' + (n % 10) as u8));
        }
        text.push('Z');
        text
    }
}

impl serde::Serialize for Instant {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.format())
    }
}

impl<'de> serde::Deserialize<'de> for Instant {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Instant, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        parse_instant(&text).ok_or_else(|| {
            <D::Error as serde::de::Error>::custom(
                "expected a date-time such as 2026-12-06T09:30:00Z",
            )
        })
    }
}

/// Reads a date-time as Partner Center and JavaScript write them: `2026-12-06T09:30:00Z`,
/// with fractional seconds, with an offset (converted to UTC), without a zone (taken as UTC),
/// without seconds, or a bare date (its midnight, UTC).
pub fn parse_instant(value: &str) -> Option<Instant> {
    let (date, seconds) = date_time(value)?;
    Some(Instant::start_of(date).plus_seconds(i64::from(seconds)))
}

/// A date-time as its date and the seconds from that date's midnight UTC to the instant (from
/// -86 400 to 172 800: an offset can move it to the day before or after).
fn date_time(value: &str) -> Option<(NaiveDate, i32)> {
    let mut c = Cursor(value.trim().as_bytes());
    let date = c.date()?;
    if c.0.is_empty() {
        return Some((date, 0));
    }
    c.one_of(b"Tt ")?;
    let hour = c.number(2).filter(|h| *h < 24)?;
    c.one_of(b":")?;
    let minute = c.number(2).filter(|m| *m < 60)?;
    let mut second = 0;
    if c.one_of(b":").is_some() {
        // A leap second (60) is read as the last second of its minute.
        second = c.number(2).filter(|s| *s < 61)?.min(59);
        if c.one_of(b".").is_some() {
            let digits = c.0.iter().take_while(|b| b.is_ascii_digit()).count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            c.0 = &c.0[digits..];
        }
    }
    let local = (hour * 3600 + minute * 60 + second) as i32;
    let offset_minutes = match c.one_of(b"Zz+-") {
        None if c.0.is_empty() => 0,
        Some(b'Z' | b'z') => 0,
        Some(sign) => {
            let hours = c.number(2).filter(|h| *h < 24)?;
            c.one_of(b":");
            let minutes = if c.0.is_empty() {
                0
            } else {
                c.number(2).filter(|m| *m < 60)?
            };
            let offset = (hours * 60 + minutes) as i32;
            if sign == b'-' {
                -offset
            } else {
                offset
            }
        }
        None => return None,
    };
    if !c.0.is_empty() {
        return None;
    }
    Some((date, local - offset_minutes * 60))
}

/// A tiny reader over ASCII bytes (no slicing that could panic).
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    /// `n` ASCII digits as a number.
    fn number(&mut self, n: usize) -> Option<u32> {
        let (digits, rest) = self.0.split_at_checked(n)?;
        let value = digits.iter().try_fold(0u32, |acc, &b| {
            b.is_ascii_digit().then(|| acc * 10 + u32::from(b - b'0'))
        })?;
        self.0 = rest;
        Some(value)
    }

    /// One byte among `allowed`.
    fn one_of(&mut self, allowed: &[u8]) -> Option<u8> {
        let (&first, rest) = self.0.split_first()?;
        allowed.contains(&first).then(|| {
            self.0 = rest;
            first
        })
    }

    /// `YYYY-MM-DD`, a date that exists.
    fn date(&mut self) -> Option<NaiveDate> {
        let year = self.number(4)?;
        self.one_of(b"-")?;
        let month = self.number(2)?;
        self.one_of(b"-")?;
        let day = self.number(2)?;
        NaiveDate::from_ymd_opt(year as i32, month, day)
    }
}

/// "Today" as the two calendars that matter: the user's local date and the UTC date. They differ
/// by one day for part of every day in every time zone but UTC's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today {
    /// The user's local calendar date.
    pub local: NaiveDate,
    /// The UTC calendar date (Partner Center's).
    pub utc: NaiveDate,
}

impl Today {
    /// The same date in both calendars (a server, or a test).
    pub fn same(date: NaiveDate) -> Today {
        Today {
            local: date,
            utc: date,
        }
    }

    /// The latest `dateAgreed` Partner Center accepts: the earlier of the two dates (SPEC §4.2).
    pub fn latest_agreed_date(self) -> NaiveDate {
        self.local.min(self.utc)
    }

    /// Whether the local date is ahead of the UTC one (a user east of UTC, early in the day).
    pub fn local_is_ahead(self) -> bool {
        self.local > self.utc
    }

    /// The day a confirmation is submitted, for the question "is this agreement still
    /// acceptable?": the later of the two dates, so that nothing the server (UTC) would refuse is
    /// ever sent, and nothing is offered on a day the user already sees as past the cut-off.
    pub fn submission_day(self) -> NaiveDate {
        self.local.max(self.utc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn strict_dates() {
        let cases: &[(&str, Option<NaiveDate>)] = &[
            ("2020-01-31", Some(d(2020, 1, 31))),
            ("2020-02-29", Some(d(2020, 2, 29))),
            ("2019-02-29", None),
            ("2019-13-01", None),
            ("2019-00-10", None),
            ("2019-04-31", None),
            ("2019-1-01", None),
            ("19-01-01", None),
            ("2019/01/01", None),
            (" 2019-01-01", None),
            ("2019-01-01 ", None),
            ("2019-01-01T00:00:00", None),
            ("+201-01-01", None),
            ("２０１９-01-01", None),
            ("", None),
            ("0000-01-01", Some(d(0, 1, 1))),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_date(input), *expected, "{input:?}");
        }
        assert_eq!(format_date(d(2019, 9, 3)), "2019-09-03");
    }

    #[test]
    fn agreed_date_times_as_read_back() {
        let cases: &[(&str, Option<NaiveDate>)] = &[
            ("2019-08-26T00:00:00", Some(d(2019, 8, 26))),
            ("2018-06-14T00:00:00.000Z", Some(d(2018, 6, 14))),
            ("2019-11-14T00:00:00Z", Some(d(2019, 11, 14))),
            ("2019-11-14T00:00:00.1234567Z", Some(d(2019, 11, 14))),
            ("2019-11-14", Some(d(2019, 11, 14))),
            ("2019-11-14T01:00:00+02:00", Some(d(2019, 11, 13))),
            ("2019-11-14T23:30:00-01:00", Some(d(2019, 11, 15))),
            ("2019-11-14T10:00", Some(d(2019, 11, 14))),
            ("2019-11-14T25:00:00Z", None),
            ("2019-11-14X00:00:00", None),
            ("2019-11-14T00:00:00.Z", None),
            ("2019-11-14T00:00:00+2", None),
            ("not a date", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(parse_agreed_date_time(input), *expected, "{input:?}");
        }
    }

    #[test]
    fn instants_as_written_and_read() {
        let cases: &[(&str, Option<&str>)] = &[
            ("2026-12-06T09:30:00Z", Some("2026-12-06T09:30:00Z")),
            ("2026-12-06T09:30:00.123Z", Some("2026-12-06T09:30:00Z")),
            ("2026-12-06T09:30", Some("2026-12-06T09:30:00Z")),
            ("2026-12-06", Some("2026-12-06T00:00:00Z")),
            ("2026-12-06T01:00:00+02:00", Some("2026-12-05T23:00:00Z")),
            ("2026-12-31T23:30:00-01:00", Some("2027-01-01T00:30:00Z")),
            ("1969-12-31T23:59:59Z", Some("1969-12-31T23:59:59Z")),
            ("2016-12-31T23:59:60Z", Some("2016-12-31T23:59:59Z")),
            ("2026-12-06T24:00:00Z", None),
            ("2026-12-06T09:30:00X", None),
            ("yesterday", None),
        ];
        for (input, expected) in cases {
            assert_eq!(
                parse_instant(input).map(Instant::format).as_deref(),
                *expected,
                "{input:?}"
            );
        }
        let at = parse_instant("2026-12-06T09:30:00Z").unwrap();
        assert_eq!(at.day(), d(2026, 12, 6));
        assert_eq!(at.plus_days(7).format(), "2026-12-13T09:30:00Z");
        assert_eq!(at.plus_days(7).days_since(at), 7);
        assert_eq!(at.days_since(at.plus_days(1)), 0);
        assert_eq!(
            Instant::from_millis(1_765_013_400_999.0).format(),
            "2025-12-06T09:30:00Z"
        );
        assert_eq!(Instant::start_of(d(1970, 1, 1)), Instant(0));
    }

    #[test]
    fn today_in_both_directions() {
        // East of UTC, early morning: local is ahead.
        let east = Today {
            local: d(2020, 1, 31),
            utc: d(2020, 1, 30),
        };
        assert_eq!(east.latest_agreed_date(), d(2020, 1, 30));
        assert!(east.local_is_ahead());
        assert_eq!(east.submission_day(), d(2020, 1, 31));
        // West of UTC, late evening: UTC is ahead.
        let west = Today {
            local: d(2020, 1, 30),
            utc: d(2020, 1, 31),
        };
        assert_eq!(west.latest_agreed_date(), d(2020, 1, 30));
        assert!(!west.local_is_ahead());
        assert_eq!(west.submission_day(), d(2020, 1, 31));
    }
}
