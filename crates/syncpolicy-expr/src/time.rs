//! UTC date and time as 100-nanosecond ticks since 0001-01-01 (the .NET representation), with
//! Windows FILETIME conversion, .NET-style custom formatting and the lenient parsing the
//! expression language accepts. The calendar (validation, month arithmetic, weekdays) and the
//! zone offsets are `jiff`'s; what is written here is the .NET tick representation and the
//! .NET format and parse syntax on top of it.

use jiff::tz::Offset;
use jiff::{civil, SignedDuration, Span, Timestamp};
use std::fmt;
use std::fmt::Write as _;

const TICKS_PER_SECOND: i64 = 10_000_000;
/// Ticks from 0001-01-01 to 1601-01-01 (the FILETIME epoch).
const FILETIME_EPOCH_TICKS: i64 = 504_911_232_000_000_000;
/// Ticks from 0001-01-01 to 1970-01-01 (the Unix epoch).
const UNIX_EPOCH_TICKS: i64 = 621_355_968_000_000_000;
/// 0001-01-01T00:00, tick 0.
const EPOCH: civil::DateTime = civil::datetime(1, 1, 1, 0, 0, 0, 0);
/// 9999-12-31 23:59:59.9999999.
const MAX_TICKS: i64 = 3_155_378_975_999_999_999;

/// A UTC instant, 100 ns resolution, years 1 to 9999.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DateTime {
    ticks: i64,
}

/// Broken-down calendar fields of a [`DateTime`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    /// 100 ns units within the second.
    pub fraction: u32,
}

impl DateTime {
    /// From .NET ticks; `None` outside years 1..=9999.
    pub fn from_ticks(ticks: i64) -> Option<DateTime> {
        (0..=MAX_TICKS)
            .contains(&ticks)
            .then_some(DateTime { ticks })
    }

    pub fn ticks(self) -> i64 {
        self.ticks
    }

    /// From a Windows FILETIME (100 ns since 1601-01-01 UTC), as stored in AD `pwdLastSet`.
    pub fn from_filetime(filetime: i64) -> Option<DateTime> {
        DateTime::from_ticks(filetime.checked_add(FILETIME_EPOCH_TICKS)?)
    }

    pub fn to_filetime(self) -> i64 {
        self.ticks - FILETIME_EPOCH_TICKS
    }

    /// From Unix seconds.
    pub fn from_unix_seconds(seconds: i64) -> Option<DateTime> {
        DateTime::from_ticks(
            seconds
                .checked_mul(TICKS_PER_SECOND)?
                .checked_add(UNIX_EPOCH_TICKS)?,
        )
    }

    /// From a `jiff` instant; `None` outside years 1..=9999.
    pub fn from_timestamp(t: Timestamp) -> Option<DateTime> {
        let ticks = t
            .as_second()
            .checked_mul(TICKS_PER_SECOND)?
            .checked_add(i64::from(t.subsec_nanosecond() / 100))?
            .checked_add(UNIX_EPOCH_TICKS)?;
        DateTime::from_ticks(ticks)
    }

    /// From UTC calendar fields; `None` when a field is out of range.
    pub fn from_civil(c: Civil) -> Option<DateTime> {
        DateTime::from_local(c, Offset::UTC)
    }

    /// From calendar fields at a fixed offset from UTC; `None` when a field is out of range.
    fn from_local(c: Civil, offset: Offset) -> Option<DateTime> {
        if !(1..=9999).contains(&c.year) || c.fraction >= 10_000_000 {
            return None;
        }
        let datetime = civil::DateTime::new(
            i16::try_from(c.year).ok()?,
            i8::try_from(c.month).ok()?,
            i8::try_from(c.day).ok()?,
            i8::try_from(c.hour).ok()?,
            i8::try_from(c.minute).ok()?,
            i8::try_from(c.second).ok()?,
            i32::try_from(c.fraction).ok()? * 100,
        )
        .ok()?;
        DateTime::from_civil_datetime(datetime)?
            .add_ticks(-i64::from(offset.seconds()) * TICKS_PER_SECOND)
    }

    /// A UTC calendar date-time as ticks. (Not through `jiff::Timestamp`, whose range ends a day
    /// before .NET's, at 9999-12-30 22:00 UTC.)
    fn from_civil_datetime(d: civil::DateTime) -> Option<DateTime> {
        let since = d.duration_since(EPOCH);
        let ticks = since
            .as_secs()
            .checked_mul(TICKS_PER_SECOND)?
            .checked_add(i64::from(since.subsec_nanos() / 100))?;
        DateTime::from_ticks(ticks)
    }

    fn civil_datetime(self) -> civil::DateTime {
        let duration = SignedDuration::new(
            self.ticks / TICKS_PER_SECOND,
            (self.ticks % TICKS_PER_SECOND * 100) as i32,
        );
        // In range: ticks are years 1..=9999.
        EPOCH.checked_add(duration).unwrap_or(civil::DateTime::MAX)
    }

    pub fn civil(self) -> Civil {
        let d = self.civil_datetime();
        Civil {
            year: i64::from(d.year()),
            month: d.month() as u32,
            day: d.day() as u32,
            hour: d.hour() as u32,
            minute: d.minute() as u32,
            second: d.second() as u32,
            fraction: (d.subsec_nanosecond() / 100) as u32,
        }
    }

    /// Day of the week, 0 = Sunday.
    pub fn weekday(self) -> u32 {
        self.civil_datetime().weekday().to_sunday_zero_offset() as u32
    }

    pub fn add_ticks(self, ticks: i64) -> Option<DateTime> {
        DateTime::from_ticks(self.ticks.checked_add(ticks)?)
    }

    /// Adds calendar months, clamping the day to the length of the target month.
    pub fn add_months(self, months: i64) -> Option<DateTime> {
        let span = Span::new().try_months(months).ok()?;
        DateTime::from_civil_datetime(self.civil_datetime().checked_add(span).ok()?)
    }

    /// Formats with a .NET custom date and time format string (`yyyyMMddHHmmss.0Z`,
    /// `yyyy-MM-dd`, ...). Unrecognised characters are copied; `'text'` and `\c` are literal.
    pub fn format(self, pattern: &str) -> String {
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
        const DAYS: [&str; 7] = [
            "Sunday",
            "Monday",
            "Tuesday",
            "Wednesday",
            "Thursday",
            "Friday",
            "Saturday",
        ];
        let c = self.civil();
        let chars: Vec<char> = pattern.chars().collect();
        // `write!` to a `String` cannot fail.
        let mut out = String::with_capacity(pattern.len() + 8);
        /// A number as one letter (`d`) writes it, or as two or more (`dd`): padded to two
        /// digits. Written in place, without a `String` of its own.
        fn number(out: &mut String, v: i64, run: usize) {
            let _ = if run == 1 {
                write!(out, "{v}")
            } else {
                write!(out, "{v:02}")
            };
        }
        let mut i = 0;
        while i < chars.len() {
            let ch = chars[i];
            let run = chars[i..].iter().take_while(|&&x| x == ch).count();
            match ch {
                'y' => {
                    if run <= 2 {
                        number(&mut out, c.year % 100, run);
                    } else {
                        // Padded by hand: `std::fmt` refuses (panics at) a width over
                        // 65,535, and a pattern may hold more `y`s than that. Years are
                        // 1..=9999.
                        let digits = c.year.checked_ilog10().map_or(1, |d| d as usize + 1);
                        out.extend(std::iter::repeat_n('0', run.saturating_sub(digits)));
                        let _ = write!(out, "{}", c.year);
                    }
                }
                'M' => match run {
                    1 | 2 => number(&mut out, c.month.into(), run),
                    3 => out.push_str(&MONTHS[c.month as usize - 1][..3]),
                    _ => out.push_str(MONTHS[c.month as usize - 1]),
                },
                'd' => match run {
                    1 | 2 => number(&mut out, c.day.into(), run),
                    3 => out.push_str(&DAYS[self.weekday() as usize][..3]),
                    _ => out.push_str(DAYS[self.weekday() as usize]),
                },
                'H' | 'h' | 'm' | 's' => {
                    let v = match ch {
                        'H' => c.hour,
                        'h' => (c.hour + 11) % 12 + 1,
                        'm' => c.minute,
                        _ => c.second,
                    };
                    number(&mut out, v.into(), run);
                }
                'f' | 'F' => {
                    let digits = format!("{:07}", c.fraction);
                    let take = &digits[..run.min(7)];
                    if ch == 'F' {
                        out.push_str(take.trim_end_matches('0'));
                    } else {
                        out.push_str(take);
                    }
                }
                't' => {
                    let ampm = if c.hour < 12 { "AM" } else { "PM" };
                    out.push_str(if run == 1 { &ampm[..1] } else { ampm });
                }
                'K' | 'z' => {
                    // Always UTC.
                    out.push_str(if ch == 'K' {
                        "Z"
                    } else if run >= 3 {
                        "+00:00"
                    } else if run == 2 {
                        "+00"
                    } else {
                        "+0"
                    });
                }
                '\'' | '"' => {
                    let end = chars[i + 1..]
                        .iter()
                        .position(|&x| x == ch)
                        .map_or(chars.len(), |p| i + 1 + p);
                    out.extend(&chars[i + 1..end]);
                    i = end + 1;
                    continue;
                }
                '\\' => {
                    if let Some(&next) = chars.get(i + 1) {
                        out.push(next);
                    }
                    i += 2;
                    continue;
                }
                other => {
                    out.push(other);
                    i += 1;
                    continue;
                }
            }
            i += run;
        }
        out
    }

    /// Parses a date with optional time and zone into UTC. Accepts `yyyy-MM-dd`, `yyyy/MM/dd`,
    /// `MM/dd/yyyy`, an optional `T` or space and `H:mm[:ss[.fffffff]]` with optional `AM`/`PM`,
    /// then an optional zone `Z`, `UTC`, `GMT` or `±H[H][[:]mm]`; and the LDAP generalized time
    /// `yyyyMMddHHmmss[.f]Z`.
    pub fn parse(text: &str) -> Option<DateTime> {
        let s = text.trim();
        if let Some(d) = parse_generalized(s) {
            return Some(d);
        }
        let mut p = Cursor {
            chars: s.chars().collect(),
            pos: 0,
        };
        let first = p.number(4)?;
        let (year, month, day) = if p.eat('-') || p.eat('/') {
            let sep = p.chars[p.pos - 1];
            let second = p.number(2)?;
            if !p.eat(sep) {
                return None;
            }
            let third = p.number(4)?;
            if first.1 == 4 {
                (first.0, second.0, third.0)
            } else if third.1 == 4 {
                (third.0, first.0, second.0)
            } else {
                return None;
            }
        } else {
            return None;
        };
        let mut civil = Civil {
            year,
            month: u32::try_from(month).ok()?,
            day: u32::try_from(day).ok()?,
            hour: 0,
            minute: 0,
            second: 0,
            fraction: 0,
        };
        let had_separator = p.eat('T') || p.eat(' ');
        p.skip_spaces();
        if had_separator && p.peek().is_some_and(|c| c.is_ascii_digit()) {
            let (h, _) = p.number(2)?;
            if !p.eat(':') {
                return None;
            }
            let (m, _) = p.number(2)?;
            let mut sec = 0;
            let mut fraction = 0u32;
            if p.eat(':') {
                sec = p.number(2)?.0;
                if p.eat('.') {
                    let (f, digits) = p.number(9)?;
                    let mut f = f;
                    let mut digits = digits;
                    while digits > 7 {
                        f /= 10;
                        digits -= 1;
                    }
                    while digits < 7 {
                        f *= 10;
                        digits += 1;
                    }
                    fraction = u32::try_from(f).ok()?;
                }
            }
            let mut hour = u32::try_from(h).ok()?;
            p.skip_spaces();
            let rest: String = p.chars[p.pos..].iter().collect();
            let upper = rest.to_ascii_uppercase();
            if upper.starts_with("AM") || upper.starts_with("PM") {
                if !(1..=12).contains(&hour) {
                    return None;
                }
                hour %= 12;
                if upper.starts_with("PM") {
                    hour += 12;
                }
                p.pos += 2;
            }
            civil.hour = hour;
            civil.minute = u32::try_from(m).ok()?;
            civil.second = u32::try_from(sec).ok()?;
            civil.fraction = fraction;
        }
        p.skip_spaces();
        let rest: String = p.chars[p.pos..].iter().collect();
        DateTime::from_local(civil, parse_zone(rest.trim())?)
    }
}

/// A zone suffix as an offset from UTC; empty means UTC.
fn parse_zone(z: &str) -> Option<Offset> {
    if z.is_empty()
        || z.eq_ignore_ascii_case("z")
        || z.eq_ignore_ascii_case("utc")
        || z.eq_ignore_ascii_case("gmt")
    {
        return Some(Offset::UTC);
    }
    let (sign, digits) = match z.as_bytes().first()? {
        b'+' => (1, &z[1..]),
        b'-' => (-1, &z[1..]),
        _ => return None,
    };
    let (h, m) = if let Some((h, m)) = digits.split_once(':') {
        (h, m)
    } else if digits.len() == 4 {
        digits.split_at(2)
    } else {
        (digits, "0")
    };
    if h.is_empty() || h.len() > 2 || !h.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if m.is_empty() || m.len() > 2 || !m.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let h: i32 = h.parse().ok()?;
    let m: i32 = m.parse().ok()?;
    if h > 14 || m > 59 {
        return None;
    }
    Offset::from_seconds(sign * (h * 3600 + m * 60)).ok()
}

fn parse_generalized(s: &str) -> Option<DateTime> {
    let bytes = s.as_bytes();
    if bytes.len() < 15 || !bytes[..14].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| s[r].parse::<u32>().ok();
    let mut rest = &s[14..];
    let mut fraction = 0u32;
    if let Some(after) = rest.strip_prefix('.') {
        let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        if digits.is_empty() || digits.len() > 7 {
            return None;
        }
        fraction = format!("{digits:0<7}").parse().ok()?;
        rest = &after[digits.len()..];
    }
    let civil = Civil {
        year: i64::from(num(0..4)?),
        month: num(4..6)?,
        day: num(6..8)?,
        hour: num(8..10)?,
        minute: num(10..12)?,
        second: num(12..14)?,
        fraction,
    };
    DateTime::from_local(civil, parse_zone(rest)?)
}

struct Cursor {
    chars: Vec<char>,
    pos: usize,
}

impl Cursor {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }
    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }
    fn skip_spaces(&mut self) {
        while self.peek() == Some(' ') {
            self.pos += 1;
        }
    }
    /// Up to `max` digits: (value, digit count).
    fn number(&mut self, max: usize) -> Option<(i64, usize)> {
        let mut value = 0i64;
        let mut n = 0;
        while n < max {
            match self.peek().and_then(|c| c.to_digit(10)) {
                Some(d) => {
                    value = value * 10 + i64::from(d);
                    n += 1;
                    self.pos += 1;
                }
                None => break,
            }
        }
        (n > 0).then_some((value, n))
    }
}

impl fmt::Display for DateTime {
    /// ISO 8601 in UTC: `2012-01-01T23:00:00Z` (fractions only when present).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = self.civil();
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )?;
        if c.fraction != 0 {
            let digits = format!("{:07}", c.fraction);
            write!(f, ".{}", digits.trim_end_matches('0'))?;
        }
        f.write_str("Z")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime {
        DateTime::parse(text).unwrap_or_else(|| panic!("{text} parses"))
    }

    #[test]
    fn the_whole_dotnet_range_converts() {
        let max = DateTime::from_ticks(MAX_TICKS).unwrap();
        assert_eq!(max.to_string(), "9999-12-31T23:59:59.9999999Z");
        assert_eq!(max.format("dddd yyyy-MM-dd"), "Friday 9999-12-31");
        let min = DateTime::from_ticks(0).unwrap();
        assert_eq!(min.format("ddd d MMM yyyy"), "Mon 1 Jan 0001");
        assert_eq!(DateTime::from_ticks(MAX_TICKS + 1), None);
        assert_eq!(
            DateTime::from_unix_seconds(0).unwrap().ticks(),
            UNIX_EPOCH_TICKS
        );
        let t = Timestamp::from_second(1_795_680_900).unwrap();
        assert_eq!(
            DateTime::from_timestamp(t).unwrap().to_string(),
            "2026-11-26T08:15:00Z"
        );
    }

    #[test]
    fn every_custom_format_specifier_writes_as_dotnet() {
        // .NET custom date and time format strings: one, two and more of each letter.
        let d = at("2026-03-05T07:04:09.12345Z");
        assert_eq!(
            d.format("y yy yyyy|M MM MMM MMMM|d dd ddd dddd|H HH h hh m mm s ss"),
            "26 26 2026|3 03 Mar March|5 05 Thu Thursday|7 07 7 07 4 04 9 09"
        );
        assert_eq!(
            d.format("f fff FFFFFFF fffffff|t tt|K z zz zzz|'yyyy' \"MM\" \\d"),
            "1 123 12345 1234500|A AM|Z +0 +00 +00:00|yyyy MM d"
        );
        let pm = at("2005-11-20T13:00:00Z");
        assert_eq!(pm.format("y yyyyy h tt dddd F"), "5 02005 1 PM Sunday ");
        let long = pm.format(&"y".repeat(100_000));
        assert_eq!(
            long.len(),
            100_000,
            "padded to the pattern's width, whatever its length"
        );
        assert!(long.ends_with("02005") && long.bytes().rev().skip(4).all(|b| b == b'0'));
        assert_eq!(
            pm.format("yyyyMMddHHmmss.0Z"),
            "20051120130000.0Z",
            "the LDAP generalized time of the out-of-box rules"
        );
    }

    #[test]
    fn months_clamp_to_the_end_of_the_month() {
        assert_eq!(at("2024-01-31").add_months(1), Some(at("2024-02-29")));
        assert_eq!(at("2023-03-31").add_months(-1), Some(at("2023-02-28")));
        assert_eq!(at("9999-12-01").add_months(1), None);
        assert_eq!(at("0001-01-01").add_months(-1), None);
        assert_eq!(at("2024-01-31").add_months(i64::MAX), None);
    }

    #[test]
    fn parsing_validates_the_calendar_and_applies_offsets() {
        assert_eq!(DateTime::parse("2023-02-29"), None);
        assert_eq!(DateTime::parse("2024-02-30"), None);
        assert_eq!(DateTime::parse("2024-01-01 23:59:60"), None);
        assert_eq!(DateTime::parse("2024-01-01 24:00"), None);
        assert_eq!(DateTime::parse("2024-01-01 10:00 +15"), None);
        assert_eq!(at("2013-01-10 4:00 PM -8"), at("2013-01-11T00:00:00Z"));
        assert_eq!(at("2013-01-10T16:00+05:30"), at("2013-01-10T10:30Z"));
        assert_eq!(at("20130110160000.5+0100"), at("2013-01-10T15:00:00.5Z"));
        // An offset may move the instant out of the range.
        assert_eq!(DateTime::parse("9999-12-31 23:00 -2"), None);
    }
}
