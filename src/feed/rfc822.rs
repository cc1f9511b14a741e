//! Dates as RSS and Atom feeds write them. RSS 2.0 asks for RFC 822 (`Wed, 02 Oct 2002 13:00:00
//! GMT`); what feeds send is looser: no weekday or a wrong one, one-digit days, two-digit years,
//! no seconds, full month names, the month before the day, zone names (EST, PDT, UT, military
//! letters), `GMT-01:01`, and ISO dates where an RFC 822 one belongs. Dublin Core and Atom use
//! W3C-DTF, which allows a year or a month alone and minutes without seconds. CMSs add their own
//! forms: Drupal's default `Tuesday, March 5, 2019 - 10:05am` and `Tue, 03/05/2019 - 10:05`,
//! `March 5, 2019 10:05 AM`, US numeric dates (`3/5/2019`), `2006/09/15`, ordinals (`5th`).

use crate::model::Date;

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/// North American zone names (RFC 822 and the short forms feeds use), and a few European ones.
const ZONES: [(&str, i32); 26] = [
    ("ut", 0),
    ("utc", 0),
    ("gmt", 0),
    ("z", 0),
    ("etc/gmt", 0),
    ("wet", 0),
    ("bst", 60),
    ("met", 60),
    ("cet", 60),
    ("mest", 120),
    ("cest", 120),
    ("adt", -180),
    ("ast", -240),
    ("at", -240),
    ("edt", -240),
    ("est", -300),
    ("et", -300),
    ("cdt", -300),
    ("cst", -360),
    ("ct", -360),
    ("mdt", -360),
    ("mst", -420),
    ("mt", -420),
    ("pdt", -420),
    ("pst", -480),
    ("pt", -480),
];

/// Any date a feed may carry: W3C-DTF / ISO 8601 first, then RFC 822 and its variants.
pub fn parse_feed_date(input: &str) -> Result<Date, String> {
    let s = input.trim();
    let bad = || format!("\u{201c}{s}\u{201d} is not a date this widget can read");
    let iso = s.len() >= 4
        && s.as_bytes()[..4].iter().all(u8::is_ascii_digit)
        && matches!(s.as_bytes().get(4), None | Some(b'-'));
    // `2019-03-05 10:05 AM` is not W3C-DTF, but its words are readable one by one.
    let found = if iso { w3c(s).or_else(|| rfc822(s)) } else { rfc822(s) };
    found.ok_or_else(bad)
}

/// W3C-DTF: `2003`, `2003-12`, `2003-12-31`, `2003-12-31T10:14Z`, `…T10:14:55.5+01:00`; also a
/// space for the `T` and an offset without a colon.
fn w3c(s: &str) -> Option<Date> {
    let (date, time) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], Some(s[i + 1..].trim())),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let year = number(parts.next()?, 4, 4)? as i32;
    let month = parts.next().map_or(Some(1), |m| number(m, 2, 2))? as u8;
    let day = parts.next().map_or(Some(1), |d| number(d, 2, 2))? as u8;
    if parts.next().is_some() {
        return None;
    }
    let time = match time {
        None => None,
        Some(t) => {
            let zone_at = t.find(['Z', 'z', '+', '-']).unwrap_or(t.len());
            let offset = match &t[zone_at..] {
                "" => None,
                zone => Some(numeric_zone(zone).or_else(|| named_zone(zone))?),
            };
            Some((clock(t[..zone_at].trim())?, offset))
        }
    };
    Date::from_parts(year, month, day, time).ok()
}

/// RFC 822 and the variants above, read word by word: each word is a weekday, day, month, year,
/// time or zone by its shape, so their order does not matter (`Thu Aug 30 2012 17:26:16 +0200`).
fn rfc822(s: &str) -> Option<Date> {
    let cleaned: String = s.chars().map(|c| if c == ',' { ' ' } else { c }).collect();
    let (mut day, mut month, mut year, mut secs, mut offset) = (None, None, None, None, None);
    let mut words = cleaned.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let lower = word.to_ascii_lowercase();
        let word = strip_ordinal(word);
        if word.contains(':') && secs.is_none() && word.starts_with(|c: char| c.is_ascii_digit()) {
            // A 12-hour time: `10:05am`, `10:05 AM`, `10:05 p.m.`.
            let (time, meridiem) = split_meridiem(word);
            let meridiem = meridiem.or_else(|| {
                let next = words.peek().and_then(|w| meridiem_of(&w.to_ascii_lowercase()))?;
                words.next();
                Some(next)
            });
            secs = Some(twelve_hour(clock(time)?, meridiem)?);
        } else if is_numeric_date(word) && day.is_none() {
            let (y, m, d) = numeric_date(word)?;
            (year, month, day) = (Some(y), Some(m), Some(d));
        } else if word == "-" || (lower == "at" && secs.is_none()) {
            // Drupal's `March 5, 2019 - 10:05am`; `March 5, 2019 at 10:05 AM`.
        } else if word.bytes().all(|b| b.is_ascii_digit()) {
            match word.len() {
                1 | 2 if day.is_none() => day = Some(number(word, 1, 2)? as u8),
                2 if year.is_none() => year = Some(two_digit_year(number(word, 2, 2)? as i32)),
                4 if year.is_none() => year = Some(number(word, 4, 4)? as i32),
                _ => return None,
            }
        } else if let Some(m) = month_number(&lower).filter(|_| month.is_none()) {
            month = Some(m);
        } else if is_weekday(&lower) || lower.starts_with('(') || (day.is_none() && is_word(word)) {
            // The weekday is redundant (sometimes wrong, sometimes in another language: `mer`);
            // a parenthesised zone name is a comment.
        } else if offset.is_none() {
            offset = Some(numeric_zone(word).or_else(|| named_zone(&lower))?);
        } else {
            return None;
        }
    }
    let time = secs.map(|s| (s, offset));
    Date::from_parts(year?, month?, day?, time).ok()
}

/// `5th` → `5`: an ordinal day (`March 5th, 2019`).
fn strip_ordinal(word: &str) -> &str {
    let lower = word.to_ascii_lowercase();
    match ["st", "nd", "rd", "th"].iter().find(|s| lower.ends_with(*s)) {
        Some(_) if word.len() > 2 && word[..word.len() - 2].bytes().all(|b| b.is_ascii_digit()) => {
            &word[..word.len() - 2]
        }
        _ => word,
    }
}

/// `10:05am` → (`10:05`, Some(pm = false)).
fn split_meridiem(word: &str) -> (&str, Option<bool>) {
    let at = word.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(word.len());
    match meridiem_of(&word[at..].to_ascii_lowercase()) {
        Some(pm) => (&word[..at], Some(pm)),
        None => (word, None),
    }
}

/// `am`, `AM`, `a.m.` → false; `pm`, `p.m.` → true.
fn meridiem_of(lower: &str) -> Option<bool> {
    match lower.trim_end_matches('.') {
        "am" | "a.m" => Some(false),
        "pm" | "p.m" => Some(true),
        _ => None,
    }
}

/// Seconds since midnight from a 12-hour clock's: 12 am is midnight, 12 pm noon; `13:00 pm` is
/// not a time.
fn twelve_hour(secs: u32, pm: Option<bool>) -> Option<u32> {
    let Some(pm) = pm else { return Some(secs) };
    let hour = secs / 3600;
    if hour == 0 || hour > 12 {
        return None;
    }
    let rest = secs % 3600;
    let hour = match (hour, pm) {
        (12, false) => 0,
        (12, true) => 12,
        (h, false) => h,
        (h, true) => h + 12,
    };
    Some(hour * 3600 + rest)
}

/// A numeric date: `2006/09/15` and `2006.09.15` (year first), `03/05/2019` (US: month first),
/// `25/12/2019` and `25.12.2019` (day first, when the first number cannot be a month or the
/// separator is a dot, as in Europe).
fn numeric_date(word: &str) -> Option<(i32, u8, u8)> {
    let sep = ['/', '.', '-'].into_iter().find(|c| word.contains(*c))?;
    let mut parts = word.split(sep);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    if a.len() == 4 {
        return Some((number(a, 4, 4)? as i32, number(b, 1, 2)? as u8, number(c, 1, 2)? as u8));
    }
    let (a, b) = (number(a, 1, 2)? as u8, number(b, 1, 2)? as u8);
    let year = match c.len() {
        2 => two_digit_year(number(c, 2, 2)? as i32),
        _ => number(c, 4, 4)? as i32,
    };
    let (month, day) = if sep == '.' || a > 12 { (b, a) } else { (a, b) };
    Some((year, month, day))
}

/// A word shaped like a numeric date: digits first and a `/` or `.`, or `2019-03-05`.
fn is_numeric_date(word: &str) -> bool {
    let b = word.as_bytes();
    let iso = b.len() >= 8 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-';
    iso || (b.first().is_some_and(u8::is_ascii_digit) && word.contains(['/', '.']))
}

/// `HH:MM`, `HH:MM:SS`, `H:M:S`, with an ignored fraction of a second.
fn clock(t: &str) -> Option<u32> {
    let t = t.split('.').next()?;
    let mut fields = t.split(':');
    let h = number(fields.next()?, 1, 2)?;
    let m = number(fields.next()?, 1, 2)?;
    let s = fields.next().map_or(Some(0), |s| number(s, 1, 2))?;
    if fields.next().is_some() || h > 23 || m > 59 || s > 60 {
        return None;
    }
    Some(h * 3600 + m * 60 + s.min(59))
}

/// `+0100`, `-01:01`, `+01`, `GMT+2`, `UTC-05:00`, `Z`: minutes east of UTC.
fn numeric_zone(zone: &str) -> Option<i32> {
    let lower = zone.to_ascii_lowercase();
    let z = lower.strip_prefix("gmt").or_else(|| lower.strip_prefix("utc")).unwrap_or(&lower);
    if z.is_empty() || z == "z" {
        return Some(0);
    }
    let (sign, digits) = match z.as_bytes()[0] {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    let (h, m) = match digits.split_once(':') {
        Some((h, m)) => (number(h, 1, 2)?, number(m, 2, 2)?),
        None if digits.len() == 4 => (number(&digits[..2], 2, 2)?, number(&digits[2..], 2, 2)?),
        None => (number(digits, 1, 2)?, 0),
    };
    // `-9999` and other nonsense offsets are refused rather than wrapped around.
    if h > 23 || m > 59 {
        return None;
    }
    Some(sign * (h * 60 + m) as i32)
}

fn named_zone(lower: &str) -> Option<i32> {
    if let Some((_, minutes)) = ZONES.iter().find(|(name, _)| *name == lower) {
        return Some(*minutes);
    }
    // Military letters, with the signs RFC 822 gives them (A is -1, N is +1; J is not used).
    match lower.as_bytes() {
        [c @ b'a'..=b'i'] => Some(-60 * i32::from(c - b'a' + 1)),
        [c @ b'k'..=b'm'] => Some(-60 * i32::from(c - b'a')),
        [c @ b'n'..=b'y'] => Some(60 * i32::from(c - b'n' + 1)),
        _ => None,
    }
}

/// `jan`, `January`, `Sept`: the first three letters name the month when the rest fits.
fn month_number(lower: &str) -> Option<u8> {
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    let word = lower.trim_end_matches('.');
    let i = MONTHS.iter().position(|m| word.len() >= 3 && word.starts_with(m))?;
    (full[i].starts_with(word) || word == "sept").then_some(i as u8 + 1)
}

fn is_word(word: &str) -> bool {
    word.chars().all(char::is_alphabetic)
}

fn is_weekday(lower: &str) -> bool {
    let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
    let word = lower.trim_end_matches('.');
    word.len() >= 3 && days.iter().any(|d| d.starts_with(word))
}

/// RFC 2822's rule for two-digit years: 00–49 are 2000–2049, 50–99 are 1950–1999.
fn two_digit_year(y: i32) -> i32 {
    if y < 50 {
        2000 + y
    } else {
        1900 + y
    }
}

fn number(s: &str, min: usize, max: usize) -> Option<u32> {
    (s.len() >= min && s.len() <= max && s.bytes().all(|b| b.is_ascii_digit())).then(|| s.parse().ok())?
}
