//! Release dates: an ISO 8601 calendar date (`2018-06-19`) or an RFC 3339 date-time
//! (`2018-06-19T14:30:00-04:00`). A date-time without an offset is accepted as written, because
//! agencies often omit it and the calendar date is what readers see.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Date {
    pub year: i32,
    pub month: u8,
    pub day: u8,
    /// Seconds since midnight and the UTC offset in minutes, when a time was given.
    time: Option<(u32, Option<i32>)>,
    /// The text as given, for `<time datetime>`; it is valid for that attribute by construction.
    text: String,
}

impl Date {
    pub fn parse(input: &str) -> Result<Date, String> {
        let s = input.trim();
        let bad = || format!("\u{201c}{input}\u{201d} is not an ISO 8601 date (2018-06-19) or RFC 3339 date-time");
        let b = s.as_bytes();
        if b.len() < 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(bad());
        }
        let year = digits(&b[0..4]).ok_or_else(bad)? as i32;
        let month = digits(&b[5..7]).ok_or_else(bad)? as u8;
        let day = digits(&b[8..10]).ok_or_else(bad)? as u8;
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(format!("\u{201c}{input}\u{201d} is not a real calendar date"));
        }
        let time = match &b[10..] {
            [] => None,
            [b'T' | b't' | b' ', rest @ ..] => Some(parse_time(rest).ok_or_else(bad)?),
            _ => return Err(bad()),
        };
        Ok(Date { year, month, day, time, text: s.to_string() })
    }

    /// A date read from another notation (RFC 822 in RSS), written out as RFC 3339 for
    /// `<time datetime>`. `time` is seconds since midnight and the UTC offset in minutes.
    pub(crate) fn from_parts(year: i32, month: u8, day: u8, time: Option<(u32, Option<i32>)>) -> Result<Date, String> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return Err(format!("{year}-{month}-{day} is not a real calendar date"));
        }
        let mut text = format!("{year:04}-{month:02}-{day:02}");
        if let Some((secs, offset)) = time {
            if secs >= 86_400 || offset.is_some_and(|o| o.abs() >= 24 * 60) {
                return Err("the time or its offset is out of range".into());
            }
            text.push_str(&format!("T{:02}:{:02}:{:02}", secs / 3600, secs / 60 % 60, secs % 60));
            match offset {
                None => {}
                Some(0) => text.push('Z'),
                Some(o) => {
                    let sign = if o < 0 { '-' } else { '+' };
                    text.push_str(&format!("{sign}{:02}:{:02}", o.abs() / 60, o.abs() % 60));
                }
            }
        }
        Ok(Date { year, month, day, time, text })
    }

    /// Seconds since 1970-01-01T00:00Z, for ordering. A date without a time counts as midnight UTC.
    pub fn timestamp(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        let (secs, offset) = self.time.unwrap_or((0, None));
        days * 86_400 + i64::from(secs) - i64::from(offset.unwrap_or(0)) * 60
    }

    /// Days since 1970-01-01 of the calendar date as written (for date ranges).
    pub fn day_number(&self) -> i64 {
        days_from_civil(self.year, self.month, self.day)
    }

    /// The value for a `<time datetime="…">` attribute.
    pub fn machine(&self) -> &str {
        &self.text
    }

    /// "June 19, 2018": the fallback when the browser's `Intl` is not available (and in tests).
    pub fn english(&self) -> String {
        const MONTHS: [&str; 12] = [
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
        format!("{} {}, {}", MONTHS[usize::from(self.month) - 1], self.day, self.year)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// `HH:MM:SS[.fraction][Z|±HH:MM]` after the date's separator.
fn parse_time(b: &[u8]) -> Option<(u32, Option<i32>)> {
    if b.len() < 8 || b[2] != b':' || b[5] != b':' {
        return None;
    }
    let (h, m, s) = (digits(&b[0..2])?, digits(&b[3..5])?, digits(&b[6..8])?);
    if h > 23 || m > 59 || s > 60 {
        return None;
    }
    let mut rest = &b[8..];
    if let [b'.', frac @ ..] = rest {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return None;
        }
        rest = &frac[n..];
    }
    let offset = match rest {
        [] => None,
        [b'Z' | b'z'] => Some(0),
        [sign @ (b'+' | b'-'), oh1, oh2, b':', om1, om2] => {
            let (oh, om) = (digits(&[*oh1, *oh2])?, digits(&[*om1, *om2])?);
            if oh > 23 || om > 59 {
                return None;
            }
            let minutes = (oh * 60 + om) as i32;
            Some(if *sign == b'-' { -minutes } else { minutes })
        }
        _ => return None,
    };
    Some((h * 3600 + m * 60 + s, offset))
}

fn digits(b: &[u8]) -> Option<u32> {
    b.iter().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + u32::from(c - b'0')))
}

fn is_leap(y: i32) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i32, m: u8) -> u8 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 in the proleptic Gregorian calendar (Howard Hinnant's algorithm).
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    let y = i64::from(y) - i64::from(m <= 2);
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_dates_and_date_times() {
        assert_eq!(Date::parse("2018-06-19").unwrap().english(), "June 19, 2018");
        assert_eq!(Date::parse("2024-02-29").unwrap().day, 29);
        for ok in [
            "2018-06-19T14:30:00-04:00",
            "2018-06-19T14:30:00Z",
            "2018-06-19t14:30:00.123+05:30",
            "2018-06-19 14:30:00",
            "2018-06-19T14:30:00",
        ] {
            assert!(Date::parse(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "",
            "June 19, 2018",
            "2018-6-19",
            "2018-13-01",
            "2023-02-29",
            "2018-06-31",
            "2018-06-19T25:00:00Z",
            "2018-06-19T14:30",
            "2018-06-19T14:30:00+0400",
            "2018-06-19X",
            "１２３４-01-01",
        ] {
            assert!(Date::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn timestamps_order_across_offsets() {
        let ts = |s| Date::parse(s).unwrap().timestamp();
        assert_eq!(ts("1970-01-01"), 0);
        assert_eq!(ts("2000-03-01"), 951_868_800);
        assert_eq!(ts("2018-06-19T10:00:00-04:00"), ts("2018-06-19T14:00:00Z"));
        assert!(ts("2018-06-19T23:00:00+02:00") < ts("2018-06-19T22:00:00Z"));
    }
}
