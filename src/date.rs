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

/// Reads the `dateAgreed` of an agreement as Partner Center returns it: `2019-08-26T00:00:00`,
/// `2018-06-14T00:00:00.000Z`, `2019-08-26T00:00:00Z`, with an offset, or a bare date. A time
/// with an offset is converted to its UTC calendar day (the API's dates are UTC).
pub fn parse_agreed_date_time(value: &str) -> Option<NaiveDate> {
    let mut c = Cursor(value.trim().as_bytes());
    let date = c.date()?;
    if c.0.is_empty() {
        return Some(date);
    }
    c.one_of(b"Tt ")?;
    let hour = c.number(2).filter(|h| *h < 24)?;
    c.one_of(b":")?;
    let minute = c.number(2).filter(|m| *m < 60)?;
    if c.one_of(b":").is_some() {
        c.number(2).filter(|s| *s < 61)?;
        if c.one_of(b".").is_some() {
            let digits = c.0.iter().take_while(|b| b.is_ascii_digit()).count();
            if !(1..=9).contains(&digits) {
                return None;
            }
            c.0 = &c.0[digits..];
        }
    }
    let local_minutes = (hour * 60 + minute) as i32;
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
    match (local_minutes - offset_minutes).div_euclid(24 * 60) {
        -1 => date.pred_opt(),
        1 => date.succ_opt(),
        _ => Some(date),
    }
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
