//! Sprig functions: dates (`now`, `date`, `dateInZone`/`date_in_zone`, `htmlDate`,
//! `htmlDateInZone`, `toDate`, `mustToDate`, `unixEpoch`, `dateModify`/`date_modify`,
//! `mustDateModify`/`must_date_modify`, `ago`, `duration`, `durationRound`).
//!
//! Times are Go `time.Time` values (a template [`Object`] of type `time.Time`) with Go's
//! printing, layouts (`2006-01-02T15:04:05Z07:00`), parsing and duration syntax, written from
//! Go's documented behaviour. The crate reads no environment: Go's local zone is taken to be UTC,
//! which is what Helm does under `TZ=UTC` (how chartkit's oracle runs it). Named zones for
//! `dateInZone` come from the IANA database bundled into `jiff`; an unknown name means UTC, as in
//! Sprig.

use std::sync::{Arc, LazyLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use gotmpl::{Func, FuncError, FuncMap, Object, Param, Signature, Value};
use jiff::tz::TimeZone;

/// A `time.Time` parameter: anything else is Go's argument error.
const TIME: Param = Param::Named("time.Time");

/// Adds this family's functions to `m`.
pub(crate) fn register(m: &mut FuncMap) {
    use Param::{Any, String as S};
    m.insert(
        "now",
        Func::infallible(Signature::fixed(&[]), |_, _| GoTime::now().into_value()),
    );
    m.insert(
        "date",
        Func::infallible(Signature::fixed(&[S, Any]), |_, a| {
            Value::from(date_in_zone(s(&a, 0), a.get(1), "Local"))
        }),
    );
    for name in ["dateInZone", "date_in_zone"] {
        m.insert(
            name,
            Func::infallible(Signature::fixed(&[S, Any, S]), |_, a| {
                Value::from(date_in_zone(s(&a, 0), a.get(1), s(&a, 2)))
            }),
        );
    }
    m.insert(
        "htmlDate",
        Func::infallible(Signature::fixed(&[Any]), |_, a| {
            Value::from(date_in_zone("2006-01-02", a.first(), "Local"))
        }),
    );
    m.insert(
        "htmlDateInZone",
        Func::infallible(Signature::fixed(&[Any, S]), |_, a| {
            Value::from(date_in_zone("2006-01-02", a.first(), s(&a, 1)))
        }),
    );
    m.insert(
        "toDate",
        Func::infallible(Signature::fixed(&[S, S]), |_, a| {
            parse_in_local(s(&a, 0), s(&a, 1))
                .unwrap_or_default()
                .into_value()
        }),
    );
    m.insert(
        "mustToDate",
        Func::new(Signature::fixed(&[S, S]), |_, a| {
            Ok(parse_in_local(s(&a, 0), s(&a, 1))?.into_value())
        }),
    );
    m.insert(
        "unixEpoch",
        Func::infallible(Signature::fixed(&[TIME]), |_, a| {
            let t = a.first().and_then(GoTime::from_value).unwrap_or_default();
            Value::from(t.secs.to_string())
        }),
    );
    for name in ["dateModify", "date_modify"] {
        m.insert(
            name,
            Func::infallible(Signature::fixed(&[S, TIME]), |_, a| {
                let t = a.get(1).and_then(GoTime::from_value).unwrap_or_default();
                match parse_duration(s(&a, 0)) {
                    Ok(d) => t.add(d).into_value(),
                    Err(_) => t.into_value(),
                }
            }),
        );
    }
    for name in ["mustDateModify", "must_date_modify"] {
        m.insert(
            name,
            Func::new(Signature::fixed(&[S, TIME]), |_, a| {
                let t = a.get(1).and_then(GoTime::from_value).unwrap_or_default();
                Ok(t.add(parse_duration(s(&a, 0))?).into_value())
            }),
        );
    }
    m.insert(
        "ago",
        Func::infallible(Signature::fixed(&[Any]), |_, a| {
            let t = match a.first() {
                Some(Value::Int(n) | Value::Int64(n)) => GoTime::unix(*n),
                Some(v) => GoTime::from_value(v).unwrap_or_else(GoTime::now),
                None => GoTime::now(),
            };
            let since = GoTime::now().sub(&t);
            Value::from(format_duration(round_duration(since, 1_000_000_000)))
        }),
    );
    m.insert(
        "duration",
        Func::infallible(Signature::fixed(&[Any]), |_, a| {
            let n: i64 = match a.first() {
                Some(Value::String(s)) => parse_go_int(s).unwrap_or(0),
                Some(Value::Int64(n)) => *n,
                _ => 0,
            };
            Value::from(format_duration(n.wrapping_mul(1_000_000_000)))
        }),
    );
    m.insert(
        "durationRound",
        Func::infallible(Signature::fixed(&[Any]), |_, a| {
            let d: i64 = match a.first() {
                Some(Value::String(s)) => parse_duration(s).unwrap_or(0),
                Some(Value::Int64(n)) => *n,
                Some(v) => GoTime::from_value(v).map_or(0, |t| GoTime::now().sub(&t)),
                None => 0,
            };
            Value::from(duration_round(d))
        }),
    );
}

fn s(args: &[Value], i: usize) -> &str {
    args.get(i).and_then(Value::as_str).unwrap_or("")
}

/// `strconv.ParseInt(s, 10, 64)`.
fn parse_go_int(s: &str) -> Option<i64> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

fn date_in_zone(layout: &str, date: Option<&Value>, zone: &str) -> String {
    let t = match date {
        Some(Value::Int(n) | Value::Int64(n)) => GoTime::unix(*n),
        Some(v) => GoTime::from_value(v).unwrap_or_else(GoTime::now),
        None => GoTime::now(),
    };
    t.with_loc(load_location(zone).unwrap_or(Loc::Utc))
        .format(layout)
}

// ---- time values ----

/// A time zone as Go's `*time.Location` behaves for printing.
#[derive(Clone, Debug)]
pub(crate) enum Loc {
    /// UTC, and Go's `Local` (taken to be UTC).
    Utc,
    /// A fixed zone (`time.FixedZone`): its name (possibly empty) and offset in seconds.
    Fixed(String, i32),
    /// An IANA zone.
    Zone(TimeZone),
}

/// Go's `time.LoadLocation`: `""`, `UTC` and `Local` are UTC here; other names are looked up
/// exactly (case-sensitively, as on a Linux file system).
fn load_location(name: &str) -> Option<Loc> {
    match name {
        "" | "UTC" | "Local" => Some(Loc::Utc),
        _ => {
            let tz = jiff::tz::db().get(name).ok()?;
            (tz.iana_name() == Some(name)).then_some(Loc::Zone(tz))
        }
    }
}

/// A Go `time.Time`: an instant (Unix seconds and nanoseconds) in a location.
#[derive(Clone, Debug)]
pub(crate) struct GoTime {
    secs: i64,
    nanos: u32,
    loc: Loc,
    /// The monotonic clock reading `time.Now` attaches (seconds since the process started).
    mono: Option<f64>,
}

/// Go's zero time, `0001-01-01 00:00:00 UTC`.
const ZERO_SECS: i64 = -62_135_596_800;

impl Default for GoTime {
    fn default() -> Self {
        GoTime {
            secs: ZERO_SECS,
            nanos: 0,
            loc: Loc::Utc,
            mono: None,
        }
    }
}

static START: LazyLock<Instant> = LazyLock::new(Instant::now);

const HIDDEN: &str = "\u{0}time";

impl GoTime {
    fn now() -> GoTime {
        let start = *START;
        let d = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default();
        GoTime {
            secs: i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            nanos: d.subsec_nanos(),
            loc: Loc::Utc,
            mono: Some(start.elapsed().as_secs_f64().max(1e-9)),
        }
    }

    fn unix(secs: i64) -> GoTime {
        GoTime {
            secs,
            nanos: 0,
            loc: Loc::Utc,
            mono: None,
        }
    }

    fn with_loc(mut self, loc: Loc) -> GoTime {
        self.loc = loc;
        self.mono = None;
        self
    }

    /// `t.Add(d)` for a duration in nanoseconds.
    fn add(mut self, d: i64) -> GoTime {
        let total = i128::from(self.nanos) + i128::from(d);
        let secs = total.div_euclid(1_000_000_000);
        self.nanos = u32::try_from(total.rem_euclid(1_000_000_000)).unwrap_or(0);
        self.secs = self
            .secs
            .saturating_add(i64::try_from(secs).unwrap_or(i64::MAX));
        if let Some(m) = self.mono.as_mut() {
            *m += d as f64 / 1e9;
        }
        self
    }

    /// `t.Sub(u)` in nanoseconds, saturating as Go does.
    fn sub(&self, u: &GoTime) -> i64 {
        let d = (i128::from(self.secs) - i128::from(u.secs)) * 1_000_000_000
            + (i128::from(self.nanos) - i128::from(u.nanos));
        i64::try_from(d).unwrap_or(if d < 0 { i64::MIN } else { i64::MAX })
    }

    /// The zone abbreviation and offset in force at this instant.
    fn zone(&self) -> (String, i32) {
        match &self.loc {
            Loc::Utc => ("UTC".into(), 0),
            Loc::Fixed(name, off) => (name.clone(), *off),
            Loc::Zone(tz) => match jiff::Timestamp::from_second(self.secs) {
                Ok(ts) => {
                    let info = tz.to_offset_info(ts);
                    (info.abbreviation().to_string(), info.offset().seconds())
                }
                Err(_) => ("UTC".into(), 0),
            },
        }
    }

    fn into_value(self) -> Value {
        Value::Object(Arc::new(TimeObject(self)))
    }

    /// Recovers a time from a template value of type `time.Time`.
    pub(crate) fn from_value(v: &Value) -> Option<GoTime> {
        let Value::Object(o) = v else { return None };
        let Some(Value::List(parts)) = o.field(HIDDEN) else {
            return None;
        };
        let text = |i: usize| parts.get(i).and_then(Value::as_str).unwrap_or("");
        let secs = text(0).parse().ok()?;
        let nanos = text(1).parse().ok()?;
        let offset: i32 = text(4).parse().ok()?;
        let loc = match text(2) {
            "utc" => Loc::Utc,
            "fixed" => Loc::Fixed(text(3).to_string(), offset),
            _ => load_location(text(3)).unwrap_or(Loc::Utc),
        };
        let mono = text(5).parse().ok();
        Some(GoTime {
            secs,
            nanos,
            loc,
            mono,
        })
    }

    /// Go's `Time.String`.
    fn string(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            s.push_str(&format!(" m=+{m:.9}"));
        }
        s
    }

    /// Go's `Time.Format`.
    pub(crate) fn format(&self, layout: &str) -> String {
        let (name, offset) = self.zone();
        let c = Civil::from_unix(self.secs + i64::from(offset));
        let mut out = String::with_capacity(layout.len() + 10);
        let mut rest = layout;
        while !rest.is_empty() {
            let (prefix, std, suffix) = next_std_chunk(rest);
            out.push_str(prefix);
            let Some(std) = std else { break };
            rest = suffix;
            format_std(&mut out, std, &c, self.nanos, &name, offset);
        }
        out
    }
}

fn pad(out: &mut String, v: i64, width: usize) {
    if v < 0 {
        out.push('-');
        out.push_str(&format!("{:0width$}", -v));
    } else {
        out.push_str(&format!("{v:0width$}"));
    }
}

const LONG_MONTHS: [&str; 12] = [
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
const LONG_DAYS: [&str; 7] = [
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
];

fn format_std(out: &mut String, std: Std, c: &Civil, nanos: u32, name: &str, offset: i32) {
    match std {
        Std::Year => pad(out, c.year % 100, 2),
        Std::LongYear => pad(out, c.year, 4),
        Std::Month => out.push_str(&LONG_MONTHS[c.month as usize - 1][..3]),
        Std::LongMonth => out.push_str(LONG_MONTHS[c.month as usize - 1]),
        Std::NumMonth => pad(out, c.month, 0),
        Std::ZeroMonth => pad(out, c.month, 2),
        Std::WeekDay => out.push_str(&LONG_DAYS[c.weekday as usize][..3]),
        Std::LongWeekDay => out.push_str(LONG_DAYS[c.weekday as usize]),
        Std::Day => pad(out, c.day, 0),
        Std::UnderDay => {
            if c.day < 10 {
                out.push(' ');
            }
            pad(out, c.day, 0);
        }
        Std::ZeroDay => pad(out, c.day, 2),
        Std::UnderYearDay => {
            if c.yday < 100 {
                out.push(' ');
                if c.yday < 10 {
                    out.push(' ');
                }
            }
            pad(out, c.yday, 0);
        }
        Std::ZeroYearDay => pad(out, c.yday, 3),
        Std::Hour => pad(out, c.hour, 2),
        Std::Hour12 | Std::ZeroHour12 => {
            let h = match c.hour % 12 {
                0 => 12,
                h => h,
            };
            pad(out, h, if std == Std::Hour12 { 0 } else { 2 });
        }
        Std::Minute => pad(out, c.minute, 0),
        Std::ZeroMinute => pad(out, c.minute, 2),
        Std::Second => pad(out, c.second, 0),
        Std::ZeroSecond => pad(out, c.second, 2),
        Std::PM => out.push_str(if c.hour >= 12 { "PM" } else { "AM" }),
        Std::Pm => out.push_str(if c.hour >= 12 { "pm" } else { "am" }),
        Std::Tz(kind, iso) => {
            if iso && offset == 0 {
                out.push('Z');
                return;
            }
            let mut zone = offset / 60;
            let mut abs = offset;
            if zone < 0 {
                out.push('-');
                zone = -zone;
                abs = -abs;
            } else {
                out.push('+');
            }
            pad(out, i64::from(zone / 60), 2);
            if matches!(kind, TzKind::Colon | TzKind::ColonSeconds) {
                out.push(':');
            }
            if kind != TzKind::Short {
                pad(out, i64::from(zone % 60), 2);
            }
            if matches!(kind, TzKind::Seconds | TzKind::ColonSeconds) {
                if kind == TzKind::ColonSeconds {
                    out.push(':');
                }
                pad(out, i64::from(abs % 60), 2);
            }
        }
        Std::Name => {
            if !name.is_empty() {
                out.push_str(name);
            } else {
                let mut zone = offset / 60;
                if zone < 0 {
                    out.push('-');
                    zone = -zone;
                } else {
                    out.push('+');
                }
                pad(out, i64::from(zone / 60), 2);
                pad(out, i64::from(zone % 60), 2);
            }
        }
        Std::Frac { sep, digits, trim } => {
            let all = format!("{nanos:09}");
            let mut d = &all[..digits.min(9)];
            if trim {
                d = d.trim_end_matches('0');
                if d.is_empty() {
                    return;
                }
            }
            out.push(sep);
            out.push_str(d);
        }
    }
}

/// Broken-down civil time.
#[derive(Debug)]
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
    weekday: i64,
    yday: i64,
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in(month: i64, year: i64) -> i64 {
    match month {
        2 if is_leap(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl Civil {
    fn from_unix(t: i64) -> Civil {
        let days = t.div_euclid(86_400);
        let sod = t.rem_euclid(86_400);
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = doy - (153 * mp + 2) / 5 + 1;
        let month = if mp < 10 { mp + 3 } else { mp - 9 };
        let year = yoe + era * 400 + i64::from(month <= 2);
        Civil {
            year,
            month,
            day,
            hour: sod / 3600,
            minute: sod % 3600 / 60,
            second: sod % 60,
            weekday: (days + 4).rem_euclid(7),
            yday: days - days_from_civil(year, 1, 1) + 1,
        }
    }
}

// ---- layouts ----

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum TzKind {
    /// `-0700`
    Plain,
    /// `-07`
    Short,
    /// `-07:00`
    Colon,
    /// `-070000`
    Seconds,
    /// `-07:00:00`
    ColonSeconds,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Std {
    LongMonth,
    Month,
    NumMonth,
    ZeroMonth,
    LongWeekDay,
    WeekDay,
    Day,
    UnderDay,
    ZeroDay,
    UnderYearDay,
    ZeroYearDay,
    Hour,
    Hour12,
    ZeroHour12,
    Minute,
    ZeroMinute,
    Second,
    ZeroSecond,
    LongYear,
    Year,
    PM,
    Pm,
    /// Numeric zone; `true` for the ISO 8601 forms that print `Z` for UTC.
    Tz(TzKind, bool),
    /// `MST`
    Name,
    /// `.000` (fixed digits) or `.999` (trailing zeros trimmed), with `.` or `,`.
    Frac {
        sep: char,
        digits: usize,
        trim: bool,
    },
}

/// Go's `nextStdChunk`: the literal prefix, the element, and the rest of the layout.
fn next_std_chunk(layout: &str) -> (&str, Option<Std>, &str) {
    let b = layout.as_bytes();
    let starts = |i: usize, s: &str| layout[i..].starts_with(s);
    let lower_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_lowercase);
    let digit_at = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    while i < b.len() {
        let hit = |n: usize, std: Std| Some((&layout[..i], Some(std), &layout[i + n..]));
        let found = match b[i] {
            b'J' if starts(i, "Jan") => {
                if starts(i, "January") {
                    hit(7, Std::LongMonth)
                } else if !lower_at(i + 3) {
                    hit(3, Std::Month)
                } else {
                    None
                }
            }
            b'M' => {
                if starts(i, "Monday") {
                    hit(6, Std::LongWeekDay)
                } else if starts(i, "Mon") && !lower_at(i + 3) {
                    hit(3, Std::WeekDay)
                } else if starts(i, "MST") {
                    hit(3, Std::Name)
                } else {
                    None
                }
            }
            b'0' => match b.get(i + 1) {
                Some(b'1') => hit(2, Std::ZeroMonth),
                Some(b'2') => hit(2, Std::ZeroDay),
                Some(b'3') => hit(2, Std::ZeroHour12),
                Some(b'4') => hit(2, Std::ZeroMinute),
                Some(b'5') => hit(2, Std::ZeroSecond),
                Some(b'6') => hit(2, Std::Year),
                Some(b'0') if b.get(i + 2) == Some(&b'2') => hit(3, Std::ZeroYearDay),
                _ => None,
            },
            b'1' => {
                if b.get(i + 1) == Some(&b'5') {
                    hit(2, Std::Hour)
                } else {
                    hit(1, Std::NumMonth)
                }
            }
            b'2' => {
                if starts(i, "2006") {
                    hit(4, Std::LongYear)
                } else {
                    hit(1, Std::Day)
                }
            }
            b'_' => {
                if b.get(i + 1) == Some(&b'2') {
                    if starts(i + 1, "2006") {
                        return (&layout[..i + 1], Some(Std::LongYear), &layout[i + 5..]);
                    }
                    hit(2, Std::UnderDay)
                } else if starts(i, "__2") {
                    hit(3, Std::UnderYearDay)
                } else {
                    None
                }
            }
            b'3' => hit(1, Std::Hour12),
            b'4' => hit(1, Std::Minute),
            b'5' => hit(1, Std::Second),
            b'P' if b.get(i + 1) == Some(&b'M') => hit(2, Std::PM),
            b'p' if b.get(i + 1) == Some(&b'm') => hit(2, Std::Pm),
            c @ (b'-' | b'Z') => {
                let iso = c == b'Z';
                let tz = |k| Std::Tz(k, iso);
                if starts(i + 1, "070000") {
                    hit(7, tz(TzKind::Seconds))
                } else if starts(i + 1, "07:00:00") {
                    hit(9, tz(TzKind::ColonSeconds))
                } else if starts(i + 1, "0700") {
                    hit(5, tz(TzKind::Plain))
                } else if starts(i + 1, "07:00") {
                    hit(6, tz(TzKind::Colon))
                } else if starts(i + 1, "07") {
                    hit(3, tz(TzKind::Short))
                } else {
                    None
                }
            }
            c @ (b'.' | b',') if matches!(b.get(i + 1), Some(b'0' | b'9')) => {
                let ch = b[i + 1];
                let mut j = i + 1;
                while b.get(j) == Some(&ch) {
                    j += 1;
                }
                if !digit_at(j) {
                    let std = Std::Frac {
                        sep: c as char,
                        digits: j - (i + 1),
                        trim: ch == b'9',
                    };
                    return (&layout[..i], Some(std), &layout[j..]);
                }
                None
            }
            _ => None,
        };
        if let Some(f) = found {
            return f;
        }
        i += 1;
    }
    (layout, None, "")
}

// ---- parsing ----

fn go_quote(s: &str) -> String {
    gotmpl::gofmt::quote(s)
}

struct ParseFail {
    layout_elem: String,
    value_elem: String,
    message: String,
}

fn bad(layout_elem: &str, value_elem: &str) -> ParseFail {
    ParseFail {
        layout_elem: layout_elem.into(),
        value_elem: value_elem.into(),
        message: String::new(),
    }
}

fn msg(m: String) -> ParseFail {
    ParseFail {
        layout_elem: String::new(),
        value_elem: String::new(),
        message: m,
    }
}

/// Go's `time.ParseInLocation(layout, value, time.Local)` with Local = UTC.
pub(crate) fn parse_in_local(layout: &str, value: &str) -> Result<GoTime, String> {
    parse(layout, value).map_err(|f| {
        if f.message.is_empty() {
            format!(
                "parsing time {} as {}: cannot parse {} as {}",
                go_quote(value),
                go_quote(layout),
                go_quote(&f.value_elem),
                go_quote(&f.layout_elem)
            )
        } else {
            format!("parsing time {}{}", go_quote(value), f.message)
        }
    })
}

fn skip<'a>(mut value: &'a str, mut prefix: &str) -> Result<&'a str, ()> {
    while let Some(p0) = prefix.chars().next() {
        if p0 == ' ' {
            if value.chars().next().is_some_and(|v| v != ' ') {
                return Err(());
            }
            prefix = prefix.trim_start_matches(' ');
            value = value.trim_start_matches(' ');
            continue;
        }
        if !value.starts_with(p0) {
            return Err(());
        }
        prefix = &prefix[p0.len_utf8()..];
        value = &value[p0.len_utf8()..];
    }
    Ok(value)
}

fn getnum(s: &str, fixed: bool) -> Result<(i64, &str), ()> {
    let b = s.as_bytes();
    if !b.first().is_some_and(u8::is_ascii_digit) {
        return Err(());
    }
    if !b.get(1).is_some_and(u8::is_ascii_digit) {
        if fixed {
            return Err(());
        }
        return Ok((i64::from(b[0] - b'0'), &s[1..]));
    }
    Ok((
        i64::from(b[0] - b'0') * 10 + i64::from(b[1] - b'0'),
        &s[2..],
    ))
}

fn getnum3(s: &str, fixed: bool) -> Result<(i64, &str), ()> {
    let n = s.bytes().take(3).take_while(u8::is_ascii_digit).count();
    if n == 0 || (fixed && n != 3) {
        return Err(());
    }
    Ok((s[..n].parse().map_err(|_| ())?, &s[n..]))
}

fn lookup<'a>(tab: &[&str], val: &'a str) -> Result<(usize, &'a str), ()> {
    for (i, name) in tab.iter().enumerate() {
        if val.len() >= name.len()
            && val.as_bytes()[..name.len()].eq_ignore_ascii_case(name.as_bytes())
        {
            return Ok((i, &val[name.len()..]));
        }
    }
    Err(())
}

/// Parses `value[1..n]` (after a `.` or `,`) as nanoseconds.
fn parse_nanos(value: &str, n: usize) -> Result<i64, ()> {
    if !matches!(value.bytes().next(), Some(b'.' | b',')) {
        return Err(());
    }
    let n = n.min(10);
    let digits = value.get(1..n).ok_or(())?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    let mut ns: i64 = if digits.is_empty() {
        0
    } else {
        digits.parse().map_err(|_| ())?
    };
    for _ in 0..(10 - n) {
        ns *= 10;
    }
    Ok(ns)
}

fn parse_time_zone(value: &str) -> Option<usize> {
    let b = value.as_bytes();
    if b.len() < 3 {
        return None;
    }
    if value.starts_with("ChST") || value.starts_with("MeST") {
        return Some(4);
    }
    if let Some(rest) = value.strip_prefix("GMT") {
        // `GMT` with an optional signed hour offset.
        if let Some(sign_rest) = rest.strip_prefix(['+', '-']) {
            let n = sign_rest.bytes().take_while(u8::is_ascii_digit).count();
            if n > 0
                && sign_rest[..n]
                    .parse::<i64>()
                    .is_ok_and(|h| (-23..=23).contains(&h))
            {
                return Some(4 + n);
            }
        }
        return Some(3);
    }
    if b[0] == b'+' || b[0] == b'-' {
        let n = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 || n > 2 {
            return None;
        }
        return Some(1 + n);
    }
    let upper = b
        .iter()
        .take(6)
        .take_while(|c| c.is_ascii_uppercase())
        .count();
    match upper {
        3 => Some(3),
        4 if b[3] == b'T' || value.starts_with("WITA") => Some(4),
        5 if b[4] == b'T' => Some(5),
        _ => None,
    }
}

fn parse(layout_in: &str, value_in: &str) -> Result<GoTime, ParseFail> {
    let mut layout = layout_in;
    let mut value = value_in;
    let (mut year, mut month, mut day, mut yday) = (0i64, -1i64, -1i64, -1i64);
    let (mut hour, mut min, mut sec, mut nsec) = (0i64, 0i64, 0i64, 0i64);
    let mut utc = false;
    let mut zone_offset: Option<i64> = None;
    let mut zone_name = String::new();
    let (mut pm_set, mut am_set) = (false, false);
    let short_months: Vec<&str> = LONG_MONTHS.iter().map(|m| &m[..3]).collect();
    let short_days: Vec<&str> = LONG_DAYS.iter().map(|d| &d[..3]).collect();
    loop {
        let (prefix, std, suffix) = next_std_chunk(layout);
        let stdstr = &layout[prefix.len()..layout.len() - suffix.len()];
        value = skip(value, prefix).map_err(|()| bad(prefix, value))?;
        let Some(std) = std else {
            if !value.is_empty() {
                return Err(msg(format!(": extra text: {}", go_quote(value))));
            }
            break;
        };
        layout = suffix;
        let hold = value;
        let mut range_err = "";
        let res: Result<(), ()> = (|| {
            match std {
                Std::Year => {
                    if value.len() < 2 {
                        return Err(());
                    }
                    let p = value.get(..2).ok_or(())?;
                    value = &value[2..];
                    year = atoi(p)?;
                    year += if year >= 69 { 1900 } else { 2000 };
                }
                Std::LongYear => {
                    if value.len() < 4 || !value.as_bytes()[0].is_ascii_digit() {
                        return Err(());
                    }
                    let p = value.get(..4).ok_or(())?;
                    value = &value[4..];
                    year = atoi(p)?;
                }
                Std::Month | Std::LongMonth => {
                    let tab: &[&str] = if std == Std::Month {
                        &short_months
                    } else {
                        &LONG_MONTHS
                    };
                    let (m, rest) = lookup(tab, value)?;
                    month = m as i64 + 1;
                    value = rest;
                }
                Std::NumMonth | Std::ZeroMonth => {
                    let (m, rest) = getnum(value, std == Std::ZeroMonth)?;
                    month = m;
                    value = rest;
                    if !(1..=12).contains(&month) {
                        range_err = "month";
                    }
                }
                Std::WeekDay | Std::LongWeekDay => {
                    let tab: &[&str] = if std == Std::WeekDay {
                        &short_days
                    } else {
                        &LONG_DAYS
                    };
                    value = lookup(tab, value)?.1;
                }
                Std::Day | Std::UnderDay | Std::ZeroDay => {
                    if std == Std::UnderDay && value.starts_with(' ') {
                        value = &value[1..];
                    }
                    let (d, rest) = getnum(value, std == Std::ZeroDay)?;
                    day = d;
                    value = rest;
                }
                Std::UnderYearDay | Std::ZeroYearDay => {
                    for _ in 0..2 {
                        if std == Std::UnderYearDay && value.starts_with(' ') {
                            value = &value[1..];
                        }
                    }
                    let (d, rest) = getnum3(value, std == Std::ZeroYearDay)?;
                    yday = d;
                    value = rest;
                }
                Std::Hour => {
                    let (h, rest) = getnum(value, false)?;
                    hour = h;
                    value = rest;
                    if hour >= 24 {
                        range_err = "hour";
                    }
                }
                Std::Hour12 | Std::ZeroHour12 => {
                    let (h, rest) = getnum(value, std == Std::ZeroHour12)?;
                    hour = h;
                    value = rest;
                    if hour > 12 {
                        range_err = "hour";
                    }
                }
                Std::Minute | Std::ZeroMinute => {
                    let (m, rest) = getnum(value, std == Std::ZeroMinute)?;
                    min = m;
                    value = rest;
                    if min >= 60 {
                        range_err = "minute";
                    }
                }
                Std::Second | Std::ZeroSecond => {
                    let (s, rest) = getnum(value, std == Std::ZeroSecond)?;
                    sec = s;
                    value = rest;
                    if sec >= 60 {
                        range_err = "second";
                        return Ok(());
                    }
                    let b = value.as_bytes();
                    if b.len() >= 2 && matches!(b[0], b'.' | b',') && b[1].is_ascii_digit() {
                        if let (_, Some(Std::Frac { .. }), _) = next_std_chunk(layout) {
                            return Ok(());
                        }
                        let n = 2 + b[2..].iter().take_while(|c| c.is_ascii_digit()).count();
                        nsec = parse_nanos(value, n)?;
                        value = &value[n..];
                    }
                }
                Std::PM | Std::Pm => {
                    let p = value.get(..2).ok_or(())?;
                    value = &value[2..];
                    let (pm, am) = if std == Std::PM {
                        ("PM", "AM")
                    } else {
                        ("pm", "am")
                    };
                    if p == pm {
                        pm_set = true;
                    } else if p == am {
                        am_set = true;
                    } else {
                        return Err(());
                    }
                }
                Std::Tz(kind, iso) => {
                    if iso && value.starts_with('Z') {
                        value = &value[1..];
                        utc = true;
                        return Ok(());
                    }
                    let b = value.as_bytes();
                    let (sign, h, m, s, n) = match kind {
                        TzKind::Colon => {
                            if b.len() < 6 || b[3] != b':' {
                                return Err(());
                            }
                            (b[0], sub(value, 1, 3)?, sub(value, 4, 6)?, "00", 6)
                        }
                        TzKind::Short => {
                            if b.len() < 3 {
                                return Err(());
                            }
                            (b[0], sub(value, 1, 3)?, "00", "00", 3)
                        }
                        TzKind::ColonSeconds => {
                            if b.len() < 9 || b[3] != b':' || b[6] != b':' {
                                return Err(());
                            }
                            (
                                b[0],
                                sub(value, 1, 3)?,
                                sub(value, 4, 6)?,
                                sub(value, 7, 9)?,
                                9,
                            )
                        }
                        TzKind::Seconds => {
                            if b.len() < 7 {
                                return Err(());
                            }
                            (
                                b[0],
                                sub(value, 1, 3)?,
                                sub(value, 3, 5)?,
                                sub(value, 5, 7)?,
                                7,
                            )
                        }
                        TzKind::Plain => {
                            if b.len() < 5 {
                                return Err(());
                            }
                            (b[0], sub(value, 1, 3)?, sub(value, 3, 5)?, "00", 5)
                        }
                    };
                    value = value.get(n..).ok_or(())?;
                    let hr = getnum(h, true)?.0;
                    let mm = getnum(m, true)?.0;
                    let ss = getnum(s, true)?.0;
                    if hr > 24 {
                        range_err = "time zone offset hour";
                    }
                    if mm > 60 {
                        range_err = "time zone offset minute";
                    }
                    if ss > 60 {
                        range_err = "time zone offset second";
                    }
                    let off = (hr * 60 + mm) * 60 + ss;
                    zone_offset = Some(match sign {
                        b'+' => off,
                        b'-' => -off,
                        _ => return Err(()),
                    });
                }
                Std::Name => {
                    if value.starts_with("UTC") {
                        utc = true;
                        value = &value[3..];
                        return Ok(());
                    }
                    let n = parse_time_zone(value).ok_or(())?;
                    zone_name = value[..n].to_string();
                    value = &value[n..];
                }
                Std::Frac { digits, trim, .. } => {
                    if !trim {
                        let n = 1 + digits;
                        if value.len() < n {
                            return Err(());
                        }
                        nsec = parse_nanos(value, n)?;
                        value = value.get(n..).ok_or(())?;
                    } else {
                        let b = value.as_bytes();
                        if b.len() < 2 || !matches!(b[0], b'.' | b',') || !b[1].is_ascii_digit() {
                            return Ok(());
                        }
                        let i = b[1..].iter().take_while(|c| c.is_ascii_digit()).count();
                        nsec = parse_nanos(value, 1 + i)?;
                        value = &value[1 + i..];
                    }
                }
            }
            Ok(())
        })();
        if !range_err.is_empty() {
            return Err(msg(format!(": {range_err} out of range")));
        }
        if res.is_err() {
            return Err(bad(stdstr, hold));
        }
    }
    if pm_set && hour < 12 {
        hour += 12;
    } else if am_set && hour == 12 {
        hour = 0;
    }
    if yday >= 0 {
        let leap = is_leap(year);
        if yday < 1 || yday > if leap { 366 } else { 365 } {
            return Err(msg(": day-of-year out of range".into()));
        }
        let mut m = 1;
        let mut d = yday;
        while d > days_in(m, year) {
            d -= days_in(m, year);
            m += 1;
        }
        if month >= 0 && month != m {
            return Err(msg(": day-of-year does not match month".into()));
        }
        month = m;
        if day >= 0 && day != d {
            return Err(msg(": day-of-year does not match day".into()));
        }
        day = d;
    } else {
        if month < 0 {
            month = 1;
        }
        if day < 0 {
            day = 1;
        }
    }
    if day < 1 || day > days_in(month, year) {
        return Err(msg(": day out of range".into()));
    }
    let local = (days_from_civil(year, month, day) * 86_400) + hour * 3600 + min * 60 + sec;
    let mk = |secs: i64, loc: Loc| GoTime {
        secs,
        nanos: u32::try_from(nsec).unwrap_or(0),
        loc,
        mono: None,
    };
    if utc {
        return Ok(mk(local, Loc::Utc));
    }
    if let Some(off) = zone_offset {
        let t = local - off;
        if off == 0 && (zone_name.is_empty() || zone_name == "UTC") {
            return Ok(mk(t, Loc::Utc));
        }
        return Ok(mk(
            t,
            Loc::Fixed(zone_name, i32::try_from(off).unwrap_or(0)),
        ));
    }
    if !zone_name.is_empty() {
        if zone_name == "UTC" {
            return Ok(mk(local, Loc::Utc));
        }
        let mut off = 0i64;
        if zone_name.len() > 3 && zone_name.starts_with("GMT") {
            off = zone_name[3..].parse::<i64>().unwrap_or(0) * 3600;
        }
        return Ok(mk(
            local,
            Loc::Fixed(zone_name, i32::try_from(off).unwrap_or(0)),
        ));
    }
    Ok(mk(local, Loc::Utc))
}

/// `s[a..b]`, failing instead of panicking off a character boundary.
fn sub(s: &str, a: usize, b: usize) -> Result<&str, ()> {
    s.get(a..b).ok_or(())
}

fn atoi(s: &str) -> Result<i64, ()> {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(());
    }
    s.parse().map_err(|_| ())
}

// ---- durations ----

/// Go's `time.ParseDuration`, in nanoseconds.
pub(crate) fn parse_duration(orig: &str) -> Result<i64, String> {
    let invalid = || format!("time: invalid duration {}", go_quote(orig));
    let mut s = orig;
    let mut neg = false;
    if let Some(c) = s.bytes().next()
        && (c == b'-' || c == b'+')
    {
        neg = c == b'-';
        s = &s[1..];
    }
    if s == "0" {
        return Ok(0);
    }
    if s.is_empty() {
        return Err(invalid());
    }
    let mut d: u64 = 0;
    while !s.is_empty() {
        let c = s.as_bytes()[0];
        if !(c == b'.' || c.is_ascii_digit()) {
            return Err(invalid());
        }
        // Leading integer.
        let n = s.bytes().take_while(u8::is_ascii_digit).count();
        let mut v: u64 = 0;
        for b in s[..n].bytes() {
            if v > (1 << 63) / 10 {
                return Err(invalid());
            }
            v = v * 10 + u64::from(b - b'0');
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        let pre = n > 0;
        s = &s[n..];
        let (mut f, mut scale, mut post) = (0u64, 1f64, false);
        if let Some(rest) = s.strip_prefix('.') {
            s = rest;
            let n = s.bytes().take_while(u8::is_ascii_digit).count();
            let mut overflow = false;
            for b in s[..n].bytes() {
                if overflow {
                    continue;
                }
                if f > (1 << 63) / 10 {
                    overflow = true;
                    continue;
                }
                let y = f * 10 + u64::from(b - b'0');
                if y > 1 << 63 {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10.0;
            }
            post = n > 0;
            s = &s[n..];
        }
        if !pre && !post {
            return Err(invalid());
        }
        let i = s
            .bytes()
            .take_while(|c| *c != b'.' && !c.is_ascii_digit())
            .count();
        if i == 0 {
            return Err(format!("time: missing unit in duration {}", go_quote(orig)));
        }
        let u = &s[..i];
        s = &s[i..];
        let unit: u64 = match u {
            "ns" => 1,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1_000,
            "ms" => 1_000_000,
            "s" => 1_000_000_000,
            "m" => 60_000_000_000,
            "h" => 3_600_000_000_000,
            _ => {
                return Err(format!(
                    "time: unknown unit {} in duration {}",
                    go_quote(u),
                    go_quote(orig)
                ));
            }
        };
        if v > (1 << 63) / unit {
            return Err(invalid());
        }
        v *= unit;
        if f > 0 {
            v += (f as f64 * (unit as f64 / scale)) as u64;
            if v > 1 << 63 {
                return Err(invalid());
            }
        }
        d += v;
        if d > 1 << 63 {
            return Err(invalid());
        }
    }
    if neg {
        return Ok((d as i64).wrapping_neg());
    }
    if d > (1 << 63) - 1 {
        return Err(invalid());
    }
    Ok(d as i64)
}

/// Go's `Duration.String`.
pub(crate) fn format_duration(d: i64) -> String {
    let neg = d < 0;
    let mut u = d.unsigned_abs();
    let mut out = String::new();
    if u < 1_000_000_000 {
        let (prec, unit) = match u {
            0 => return "0s".into(),
            1..=999 => (0, "ns"),
            1_000..=999_999 => (3, "\u{b5}s"),
            _ => (6, "ms"),
        };
        let (frac, int) = fmt_frac(u, prec);
        out.push_str(&int.to_string());
        out.push_str(&frac);
        out.push_str(unit);
    } else {
        let (frac, secs) = fmt_frac(u, 9);
        u = secs;
        let s = format!("{}{frac}s", u % 60);
        u /= 60;
        if u > 0 {
            let m = u % 60;
            u /= 60;
            if u > 0 {
                out.push_str(&format!("{u}h"));
            }
            out.push_str(&format!("{m}m"));
        }
        out.push_str(&s);
    }
    if neg {
        out.insert(0, '-');
    }
    out
}

/// The fraction part (`.5`, trailing zeros dropped, empty when zero) and the integer part of
/// `v / 10^prec`.
fn fmt_frac(v: u64, prec: u32) -> (String, u64) {
    let p = 10u64.pow(prec);
    let frac = v % p;
    if frac == 0 {
        return (String::new(), v / p);
    }
    let digits = format!("{frac:0width$}", width = prec as usize);
    (format!(".{}", digits.trim_end_matches('0')), v / p)
}

/// Go's `Duration.Round(m)`.
fn round_duration(d: i64, m: i64) -> i64 {
    let mut r = d % m;
    if d < 0 {
        r = -r;
        if r + r < m {
            return d + r;
        }
        return d.checked_sub(m).map_or(i64::MIN, |x| x + r);
    }
    if r + r < m {
        return d - r;
    }
    d.checked_add(m - r).unwrap_or(i64::MAX)
}

/// Sprig's `durationRound`: the largest whole unit (`y`, `mo`, `d`, `h`, `m`, `s`) strictly
/// below the magnitude.
fn duration_round(d: i64) -> String {
    let u = d.unsigned_abs();
    const H: u64 = 3_600_000_000_000;
    let units: [(u64, &str); 6] = [
        (H * 24 * 365, "y"),
        (H * 24 * 30, "mo"),
        (H * 24, "d"),
        (H, "h"),
        (60_000_000_000, "m"),
        (1_000_000_000, "s"),
    ];
    for (size, name) in units {
        if u > size {
            return format!("{}{name}", u / size);
        }
    }
    "0s".into()
}

// ---- the template object ----

struct TimeObject(GoTime);

impl Object for TimeObject {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    fn kind_name(&self) -> &'static str {
        "struct"
    }

    fn field(&self, name: &str) -> Option<Value> {
        if name != HIDDEN {
            return None;
        }
        let t = &self.0;
        let (kind, zname, off) = match &t.loc {
            Loc::Utc => ("utc", String::new(), 0),
            Loc::Fixed(n, o) => ("fixed", n.clone(), *o),
            Loc::Zone(tz) => ("zone", tz.iana_name().unwrap_or("UTC").to_string(), 0),
        };
        Some(Value::list(vec![
            Value::from(t.secs.to_string()),
            Value::from(t.nanos.to_string()),
            Value::from(kind),
            Value::from(zname),
            Value::from(off.to_string()),
            Value::from(t.mono.map(|m| m.to_string()).unwrap_or_default()),
        ]))
    }

    fn method(&self, name: &str) -> Option<Func> {
        let t = self.0.clone();
        let none = Signature::fixed(&[]);
        let civil = {
            let (_, off) = t.zone();
            Civil::from_unix(t.secs + i64::from(off))
        };
        let int = Value::Int;
        Some(match name {
            "String" => Func::infallible(none, move |_, _| Value::from(t.string())),
            "Format" => Func::infallible(Signature::fixed(&[Param::String]), move |_, a| {
                Value::from(t.format(s(&a, 0)))
            }),
            "Unix" => Func::infallible(none, move |_, _| Value::Int64(t.secs)),
            "UnixMilli" => Func::infallible(none, move |_, _| {
                Value::Int64(t.secs * 1000 + i64::from(t.nanos / 1_000_000))
            }),
            "UnixNano" => Func::infallible(none, move |_, _| {
                Value::Int64(t.secs.wrapping_mul(1_000_000_000) + i64::from(t.nanos))
            }),
            "Year" => Func::infallible(none, move |_, _| int(civil.year)),
            "Month" => Func::infallible(none, move |_, _| {
                Value::from(LONG_MONTHS[civil.month as usize - 1])
            }),
            "Day" => Func::infallible(none, move |_, _| int(civil.day)),
            "Hour" => Func::infallible(none, move |_, _| int(civil.hour)),
            "Minute" => Func::infallible(none, move |_, _| int(civil.minute)),
            "Second" => Func::infallible(none, move |_, _| int(civil.second)),
            "Nanosecond" => Func::infallible(none, move |_, _| int(i64::from(t.nanos))),
            "YearDay" => Func::infallible(none, move |_, _| int(civil.yday)),
            "Weekday" => Func::infallible(none, move |_, _| {
                Value::from(LONG_DAYS[civil.weekday as usize])
            }),
            "IsZero" => Func::infallible(none, move |_, _| {
                Value::Bool(t.secs == ZERO_SECS && t.nanos == 0)
            }),
            "UTC" | "Local" => {
                Func::infallible(none, move |_, _| t.clone().with_loc(Loc::Utc).into_value())
            }
            "Add" => Func::new(Signature::fixed(&[Param::Int64]), move |_, a| {
                let d = match a.first() {
                    Some(Value::Int64(n) | Value::Int(n)) => *n,
                    _ => {
                        return Err(FuncError::new(
                            "wrong type for value; expected time.Duration",
                        ));
                    }
                };
                Ok(t.clone().add(d).into_value())
            }),
            _ => return None,
        })
    }

    fn format(&self, _plus: bool) -> String {
        self.0.string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(layout: &str, v: &str) -> String {
        match parse_in_local(layout, v) {
            Ok(t) => t.string(),
            Err(e) => e,
        }
    }

    #[test]
    fn helm_vectors() {
        assert_eq!(
            p(
                "2006-01-02 15:04:05.000 -0700",
                "2024-03-05 07:08:09.120 +0130"
            ),
            "2024-03-05 07:08:09.12 +0130 +0130"
        );
        assert_eq!(
            p("2006-01-02 MST", "2024-03-05 PST"),
            "2024-03-05 00:00:00 +0000 PST"
        );
        assert_eq!(
            p("2006-01-02 15:04:05", "2024-03-05 07:08:09.5"),
            "2024-03-05 07:08:09.5 +0000 UTC"
        );
        assert_eq!(
            p("2006-01-02", "2024-13-01"),
            "parsing time \"2024-13-01\": month out of range"
        );
        assert_eq!(
            p("2006-01-02", "2024-01-01x"),
            "parsing time \"2024-01-01x\": extra text: \"x\""
        );
        assert_eq!(
            p("2006-01-02", "bad"),
            "parsing time \"bad\" as \"2006-01-02\": cannot parse \"bad\" as \"2006\""
        );
        let t = parse_in_local("2006-01-02T15:04:05", "2024-03-05T07:08:09")
            .ok()
            .unwrap();
        assert_eq!(
            t.format("Mon Jan _2 15:04:05.000 MST 2006 -0700 PM 03"),
            "Tue Mar  5 07:08:09.000 UTC 2024 +0000 AM 07"
        );
        let t = parse_in_local("2006-01-02", "2024-07-01").ok().unwrap();
        let ny = load_location("America/New_York").unwrap();
        assert_eq!(
            t.with_loc(ny).format("2006-01-02 15:04 MST"),
            "2024-06-30 20:00 EDT"
        );
        assert!(load_location("america/new_york").is_none());
        assert_eq!(GoTime::default().string(), "0001-01-01 00:00:00 +0000 UTC");
    }

    proptest::proptest! {
        #[test]
        fn rfc3339_round_trips(secs in -62_135_596_800i64..253_402_300_800, nanos in 0u32..1_000_000_000) {
            let t = GoTime { secs, nanos, loc: Loc::Utc, mono: None };
            let layout = "2006-01-02T15:04:05.999999999Z07:00";
            let back = parse_in_local(layout, &t.format(layout)).expect("parses");
            proptest::prop_assert_eq!((back.secs, back.nanos), (secs, nanos));
            let c = Civil::from_unix(secs);
            proptest::prop_assert_eq!(
                days_from_civil(c.year, c.month, c.day) * 86_400 + c.hour * 3600 + c.minute * 60 + c.second,
                secs
            );
        }

        #[test]
        fn parse_never_panics(layout in "\\PC{0,12}", value in "\\PC{0,12}") {
            let _ = parse_in_local(&layout, &value);
            let _ = parse_duration(&value);
        }
    }

    #[test]
    fn non_ascii_input_never_panics() {
        for (layout, value) in [
            ("é2006", "é2024"),
            ("2006 -0700", "2024 +é700"),
            ("2006 -07:00:00", "2024 +01:0é:00"),
            ("15:04:05.0000000000", "10:00:00.000000000é"),
            ("2006 MST", "2024 ÉST"),
            ("Jan", "Jé"),
        ] {
            let _ = parse_in_local(layout, value);
        }
        assert_eq!(
            parse_in_local("é2006", "é2024").map(|t| t.secs),
            Ok(days_from_civil(2024, 1, 1) * 86_400)
        );
    }

    #[test]
    fn durations() {
        assert_eq!(format_duration(3_700_000_000_000), "1h1m40s");
        assert_eq!(format_duration(1_500_000_000), "1.5s");
        assert_eq!(format_duration(0), "0s");
        assert_eq!(format_duration(1_500), "1.5\u{b5}s");
        assert_eq!(format_duration(-60_000_000_000), "-1m0s");
        assert_eq!(parse_duration("-1.5h"), Ok(-5_400_000_000_000));
        assert_eq!(
            parse_duration("1x"),
            Err("time: unknown unit \"x\" in duration \"1x\"".into())
        );
        assert_eq!(duration_round(parse_duration("-2h10m").unwrap()), "2h");
        assert_eq!(duration_round(parse_duration("1h").unwrap()), "60m");
    }
}
