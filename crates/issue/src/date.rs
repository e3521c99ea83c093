//! Calendar dates and ISO weeks, just what the archive needs.
//!
//! A small proleptic-Gregorian date keeps this crate free of a date-time dependency;
//! the arithmetic is Howard Hinnant's `days_from_civil` and its inverse.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A calendar date, written `YYYY-MM-DD`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

/// An ISO 8601 week: the week-numbering year and the week (1–53).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct IsoWeek {
    /// The ISO week-numbering year (may differ from the calendar year near New Year).
    pub year: i32,
    /// The week number, 1–53.
    pub week: u32,
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-W{:02}", self.year, self.week)
    }
}

impl Date {
    /// The date, if `year-month-day` exists (years 1–9999).
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 {
            return None;
        }
        if day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    /// The year.
    pub fn year(self) -> i32 {
        self.year
    }

    /// The month, 1–12.
    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    /// The day of the month, 1–31.
    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    /// The date `days` days after 1970-01-01, if it is within years 1–9999.
    pub fn from_days_since_epoch(days: i64) -> Option<Date> {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Date::new(i32::try_from(year).ok()?, month as u32, day as u32)
    }

    /// This date moved by `days` (may be negative), if the result is within years 1–9999.
    pub fn add_days(self, days: i64) -> Option<Date> {
        Date::from_days_since_epoch(self.days_since_epoch().checked_add(days)?)
    }

    /// The ISO weekday, Monday = 1 … Sunday = 7.
    pub fn iso_weekday(self) -> u32 {
        // 1970-01-01 was a Thursday (4).
        ((self.days_since_epoch() + 3).rem_euclid(7) + 1) as u32
    }

    /// The ISO 8601 week this date falls in.
    pub fn iso_week(self) -> IsoWeek {
        // The week's Thursday decides the week-numbering year.
        let thursday = self.days_since_epoch() - i64::from(self.iso_weekday()) + 4;
        let year = Date::from_days_since_epoch(thursday)
            .map(Date::year)
            .unwrap_or(self.year);
        let jan1 = Date::new(year, 1, 1).map_or(thursday, Date::days_since_epoch);
        IsoWeek {
            year,
            week: ((thursday - jan1) / 7 + 1) as u32,
        }
    }

    /// The Monday that starts this date's ISO week.
    pub fn week_start(self) -> Date {
        self.add_days(1 - i64::from(self.iso_weekday()))
            .unwrap_or(self)
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Why a text is not a `YYYY-MM-DD` date.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateParseError(pub String);

impl fmt::Display for DateParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected a date as YYYY-MM-DD, found {:?}", self.0)
    }
}

impl std::error::Error for DateParseError {}

impl FromStr for Date {
    type Err = DateParseError;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || DateParseError(text.to_string());
        let bytes = text.as_bytes();
        if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
            return Err(error());
        }
        let number = |range: std::ops::Range<usize>| -> Option<u32> {
            let part = text.get(range)?;
            if part.bytes().all(|b| b.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        let (year, month, day) = (
            number(0..4).ok_or_else(error)?,
            number(5..7).ok_or_else(error)?,
            number(8..10).ok_or_else(error)?,
        );
        Date::new(year as i32, month, day).ok_or_else(error)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(text: &str) -> Date {
        text.parse().unwrap()
    }

    #[test]
    fn parses_and_prints() {
        assert_eq!(date("2026-03-27").to_string(), "2026-03-27");
        assert!("2026-02-29".parse::<Date>().is_err());
        assert!("2024-02-29".parse::<Date>().is_ok());
        assert!("2026-13-01".parse::<Date>().is_err());
        assert!("26-03-27".parse::<Date>().is_err());
        assert!("2026-0a-27".parse::<Date>().is_err());
        assert!("２０２６-03-27".parse::<Date>().is_err());
    }

    #[test]
    fn day_arithmetic_round_trips() {
        assert_eq!(date("1970-01-01").days_since_epoch(), 0);
        assert_eq!(date("2026-03-27").add_days(7), Some(date("2026-04-03")));
        assert_eq!(date("2026-01-01").add_days(-1), Some(date("2025-12-31")));
        for days in (-719_000..2_900_000).step_by(997) {
            let d = Date::from_days_since_epoch(days).unwrap();
            assert_eq!(d.days_since_epoch(), days);
        }
    }

    #[test]
    fn iso_weeks_match_the_calendar() {
        // 2026-03-27 is a Friday in week 13.
        assert_eq!(date("2026-03-27").iso_weekday(), 5);
        assert_eq!(
            date("2026-03-27").iso_week(),
            IsoWeek {
                year: 2026,
                week: 13
            }
        );
        // 2021-01-03 belongs to 2020-W53; 2024-12-30 to 2025-W01.
        assert_eq!(
            date("2021-01-03").iso_week(),
            IsoWeek {
                year: 2020,
                week: 53
            }
        );
        assert_eq!(
            date("2024-12-30").iso_week(),
            IsoWeek {
                year: 2025,
                week: 1
            }
        );
        assert_eq!(date("2026-03-27").week_start(), date("2026-03-23"));
        assert_eq!(date("2026-03-27").iso_week().to_string(), "2026-W13");
    }
}
