//! Calendar dates: the strict `YYYY-MM-DD` form used everywhere in the API of this crate, the
//! date-times Partner Center sends back, and "today" as the two calendars a browser knows.

use chrono::{Datelike, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};

/// Parses a calendar date written exactly `YYYY-MM-DD` (four-digit year, two-digit month and
/// day) that exists (no 2019-02-29). Surrounding whitespace is not accepted.
pub fn parse_date(value: &str) -> Option<NaiveDate> {
    let b = value.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |acc, &c| {
        c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0'))
    })
}

/// Writes a date as `YYYY-MM-DD`.
pub fn format_date(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// Reads the `dateAgreed` of an agreement as Partner Center returns it: `2019-08-26T00:00:00`,
/// `2018-06-14T00:00:00.000Z`, `2019-08-26T00:00:00Z`, with an offset, or a bare date. A time
/// with an offset is converted to its UTC calendar day (the API's dates are UTC).
pub fn parse_agreed_date_time(value: &str) -> Option<NaiveDate> {
    let value = value.trim();
    let date = parse_date(value.get(..10)?)?;
    let rest = &value[10..];
    if rest.is_empty() {
        return Some(date);
    }
    let rest = rest.strip_prefix(['T', 't', ' '])?;
    let time_end = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time, zone) = rest.split_at(time_end);
    let time = parse_time(time)?;
    let offset_minutes: i64 = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let z = zone[1..].as_bytes();
            let (h, m) = match z.len() {
                5 if z[2] == b':' => (digits(&z[0..2])?, digits(&z[3..5])?),
                4 => (digits(&z[0..2])?, digits(&z[2..4])?),
                2 => (digits(z)?, 0),
                _ => return None,
            };
            if h > 23 || m > 59 {
                return None;
            }
            sign * i64::from(h * 60 + m)
        }
    };
    let utc = NaiveDateTime::new(date, time) - TimeDelta::minutes(offset_minutes);
    Some(utc.date())
}

fn parse_time(value: &str) -> Option<NaiveTime> {
    let b = value.as_bytes();
    if b.len() < 5 || b[2] != b':' {
        return None;
    }
    let hour = digits(&b[0..2])?;
    let minute = digits(&b[3..5])?;
    let mut second = 0;
    if b.len() > 5 {
        if b.len() < 8 || b[5] != b':' {
            return None;
        }
        second = digits(&b[6..8])?;
        if b.len() > 8 {
            // Fractional seconds: a dot and 1 to 9 digits, ignored.
            let fraction = &b[8..];
            if fraction[0] != b'.' || fraction.len() < 2 || fraction.len() > 10 {
                return None;
            }
            digits(&fraction[1..])?;
        }
    }
    NaiveTime::from_hms_opt(hour, minute, second)
}

/// "Today" as the two calendars that matter: the user's local date and the UTC date. They differ
/// by one day for part of every day in every time zone but UTC's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Today {
    pub local: NaiveDate,
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
