//! The widget's settings: what the `<release-embed>` element's attributes (or a JS caller) give,
//! checked once into a [`Config`] the rest of the code can trust.

use crate::error::{seconds_text, Error, Result};
use crate::feed::Format;

pub const DEFAULT_TIMEOUT_SECS: f64 = 10.0;
/// The longest `timeout`: what `setTimeout` takes (2^31 − 1 ms, about 24.8 days). A longer
/// delay overflows there and fires at once, so every fetch would time out immediately.
pub const MAX_TIMEOUT_SECS: f64 = 2_147_483.0;
pub const DEFAULT_HEADING_LEVEL: u8 = 2;
/// Prefix of the widget's parameters in the page URL when the element has no `id`.
pub const DEFAULT_URL_KEY: &str = "re";
pub const DEFAULT_PAGE_SIZE: usize = 10;
pub const DEFAULT_PAGES: usize = 5;
/// The most of a feed's response that is read: far above any real feed, well below what a tab
/// can hold, so a runaway or endless response ends in a message, not a crash.
pub const DEFAULT_MAX_BYTES: usize = 100_000_000;
/// The largest `max-bytes` accepted (wasm memory is 4 GB at most, and the text is held twice).
const MAX_MAX_BYTES: usize = 1_000_000_000;

/// As given. Attributes arrive as text, JS callers may pass numbers; both are accepted. Read from
/// the script's object (camelCase names) by `web::js_object::options`.
#[derive(Debug, Default)]
pub struct Options {
    pub src: Option<String>,
    pub release: Option<String>,
    pub timeout: Option<NumberOrText>,
    pub heading_level: Option<NumberOrText>,
    pub section_label: Option<String>,
    pub url_key: Option<String>,
    pub page_size: Option<NumberOrText>,
    /// `none`, or the controls to show: `search tags agencies years dates sort` (all by default).
    pub filters: Option<String>,
    /// `auto` (default), `native`, `jsonfeed`, `wordpress`, `rss` or `atom`.
    pub format: Option<String>,
    /// The most pages of a paged feed (JSON Feed `next_url`, WordPress pages) to read.
    pub pages: Option<NumberOrText>,
    /// A feed the page already has, as JSON text (the JS API's `feed` option): nothing is fetched.
    pub feed_text: Option<String>,
    /// `none`, or the Share this controls to show (all by default).
    pub share: Option<String>,
    /// The language for dates (and, with more catalogues, the widget's text); else the page's.
    pub lang: Option<String>,
    /// The most bytes of the feed's response to read.
    pub max_bytes: Option<NumberOrText>,
    /// `list` (default), `cards` or `headlines`.
    pub layout: Option<String>,
    /// Show only the N newest (or best) matches, without paging.
    pub limit: Option<NumberOrText>,
    /// A link after the list (the newsroom page), and its text.
    pub more_href: Option<String>,
    pub more_label: Option<String>,
    /// `inline` (default): titles open the release in the widget; `link`: they go to its `url`.
    pub open: Option<String>,
    /// A Subscribe link beside the list's heading (email alerts, the feed), and its text.
    pub subscribe_href: Option<String>,
    pub subscribe_label: Option<String>,
}

#[derive(Debug, Clone)]
pub enum NumberOrText {
    Number(f64),
    Text(String),
}

impl NumberOrText {
    fn number(&self) -> Option<f64> {
        match self {
            NumberOrText::Number(n) => Some(*n),
            NumberOrText::Text(t) => decimal(t.trim()),
        }
    }

    fn describe(&self) -> String {
        match self {
            NumberOrText::Number(n) => format!("{}", *n as i64),
            NumberOrText::Text(t) => format!("\u{201c}{t}\u{201d}"),
        }
    }
}

/// Checked settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub src: String,
    /// A fixed release to show (no list, no navigation).
    pub release: Option<String>,
    pub timeout_secs: f64,
    pub heading_level: u8,
    pub section_label: Option<String>,
    /// Prefix of this widget's parameters in the page URL (`re` → `?re-release=…&re-q=…`).
    pub url_key: String,
    pub page_size: usize,
    pub controls: Controls,
    /// `None`: detect from the document.
    pub format: Option<Format>,
    pub pages: usize,
    /// A feed given inline instead of fetched from `src`.
    pub feed_text: Option<String>,
    pub shares: Shares,
    pub lang: Option<String>,
    /// The most bytes of a response that are read; the rest is not downloaded.
    pub max_bytes: usize,
    pub presentation: Presentation,
}

/// How the list looks and where it leads: its layout, its length, the links around it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Presentation {
    pub layout: Layout,
    /// Only this many releases, and no paging.
    pub limit: Option<usize>,
    /// Titles link to the release's own `url` (when it has one) instead of opening it here.
    pub open_links: bool,
    pub more: Option<PageLink>,
    pub subscribe: Option<PageLink>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Layout {
    #[default]
    List,
    /// A grid of cards, each with the release's image.
    Cards,
    /// Titles and dates only: no filters, summaries or paging (a "Latest news" box).
    Headlines,
}

/// A link the page gives the widget to show (`more-href`, `subscribe-href`).
#[derive(Debug, Clone, PartialEq)]
pub struct PageLink {
    /// Already checked by [`crate::url::safe_url`]; relative URLs resolve against the page.
    pub href: String,
    /// `None`: the widget's own words ("All press releases", "Subscribe").
    pub label: Option<String>,
}

impl Presentation {
    fn read(o: &mut Options, warnings: &mut Vec<String>) -> Presentation {
        let layout = match o.layout.as_deref().map(str::trim) {
            None | Some("" | "list") => Layout::List,
            Some("cards") => Layout::Cards,
            Some("headlines") => Layout::Headlines,
            Some(other) => {
                warnings.push(format!("layout \u{201c}{other}\u{201d} is not list, cards or headlines; using list"));
                Layout::List
            }
        };
        let limit = o.limit.is_some().then(|| whole(&o.limit, "limit", 100, DEFAULT_PAGE_SIZE, warnings));
        let open_links = match o.open.as_deref().map(str::trim) {
            None | Some("" | "inline") => false,
            Some("link") => true,
            Some(other) => {
                warnings.push(format!("open \u{201c}{other}\u{201d} is not inline or link; using inline"));
                false
            }
        };
        let mut link = |name: &str, href: Option<String>, label: Option<String>| {
            let href = non_empty(href)?;
            let label = non_empty(label);
            match crate::url::safe_url(&href) {
                Some(href) => Some(PageLink { href, label }),
                None => {
                    warnings.push(format!("{name}-href \u{201c}{href}\u{201d} is not an http, https, mailto, tel or relative URL; the link is left out"));
                    None
                }
            }
        };
        let more = link("more", o.more_href.take(), o.more_label.take());
        let subscribe = link("subscribe", o.subscribe_href.take(), o.subscribe_label.take());
        Presentation { layout, limit, open_links, more, subscribe }
    }

    /// How many releases one page shows: the limit, else `page_size` (headlines show one page).
    pub fn page_size(&self, page_size: usize) -> usize {
        self.limit.unwrap_or(page_size)
    }

    /// False when the list is one fixed page: a limit, or headlines.
    pub fn pages(&self) -> bool {
        self.limit.is_none() && self.layout != Layout::Headlines
    }

    /// The filter controls shown: none for headlines.
    pub fn controls(&self, controls: Controls) -> Controls {
        if self.layout == Layout::Headlines {
            Controls::NONE
        } else {
            controls
        }
    }
}

/// Which Share this controls are offered.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shares(u8);

impl Shares {
    pub const NAMES: [&'static str; 8] = ["email", "x", "facebook", "linkedin", "bluesky", "copy", "print", "native"];
    pub const ALL: Shares = Shares(u8::MAX);
    /// The services' plain links only (email, X, Facebook, LinkedIn, Bluesky): what works without
    /// script, as on a release's static page.
    pub const LINKS: Shares = Shares(0b1_1111);

    pub fn has(self, name: &str) -> bool {
        Shares::NAMES.iter().position(|n| *n == name).is_some_and(|i| self.0 & (1 << i) != 0)
    }

    pub fn none(self) -> bool {
        self.0 == 0
    }

    /// Reads the `share` attribute; unknown names are reported and ignored.
    fn parse(spec: &str, warnings: &mut Vec<String>) -> Shares {
        let spec = spec.trim();
        if spec.is_empty() || spec == "all" {
            return Shares::ALL;
        }
        let mut mask = 0u8;
        for name in spec.split([' ', ',']).filter(|n| !n.is_empty() && *n != "none") {
            match Shares::NAMES.iter().position(|n| *n == name) {
                Some(i) => mask |= 1 << i,
                None => warnings
                    .push(format!("share: \u{201c}{name}\u{201d} is not one of none, {}", Shares::NAMES.join(", "))),
            }
        }
        Shares(mask)
    }
}

impl Config {
    /// The page-URL parameter that holds the open release.
    pub fn release_param(&self) -> String {
        format!("{}-release", self.url_key)
    }
}

/// Which filter controls the list shows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Controls {
    pub search: bool,
    pub tags: bool,
    pub agencies: bool,
    pub years: bool,
    pub dates: bool,
    pub sort: bool,
}

impl Controls {
    pub const ALL: Controls =
        Controls { search: true, tags: true, agencies: true, years: true, dates: true, sort: true };
    pub const NONE: Controls =
        Controls { search: false, tags: false, agencies: false, years: false, dates: false, sort: false };

    pub fn any(&self) -> bool {
        *self != Controls::NONE
    }

    /// Reads the `filters` attribute; unknown names are reported and ignored.
    fn parse(spec: &str, warnings: &mut Vec<String>) -> Controls {
        let spec = spec.trim();
        if spec.is_empty() || spec == "all" {
            return Controls::ALL;
        }
        let mut c = Controls::NONE;
        for name in spec.split([' ', ',']).filter(|n| !n.is_empty()) {
            match name {
                "none" => {}
                "search" => c.search = true,
                "tags" | "topics" => c.tags = true,
                "agencies" | "offices" => c.agencies = true,
                "years" => c.years = true,
                "dates" => c.dates = true,
                "sort" => c.sort = true,
                other => warnings.push(format!(
                    "filters: \u{201c}{other}\u{201d} is not one of none, search, tags, agencies, years, dates, sort"
                )),
            }
        }
        c
    }
}

impl Options {
    /// Problems with optional settings become warnings and their defaults are used; a missing feed
    /// address is an error, since nothing can be shown without it.
    pub fn validate(mut self) -> (Result<Config>, Vec<String>) {
        let mut warnings = Vec::new();
        let presentation = Presentation::read(&mut self, &mut warnings);
        let timeout_secs = match &self.timeout {
            None => DEFAULT_TIMEOUT_SECS,
            Some(t) => match t.number() {
                Some(n) if n > MAX_TIMEOUT_SECS && n.is_finite() => {
                    warnings.push(format!(
                        "timeout {} is longer than a browser timer takes; using {}",
                        t.describe(),
                        seconds_text(MAX_TIMEOUT_SECS)
                    ));
                    MAX_TIMEOUT_SECS
                }
                Some(n) if n > 0.0 && n.is_finite() => n,
                _ => {
                    warnings.push(format!(
                        "timeout {} is not a positive number of seconds; using {}",
                        t.describe(),
                        seconds_text(DEFAULT_TIMEOUT_SECS)
                    ));
                    DEFAULT_TIMEOUT_SECS
                }
            },
        };
        let heading_level =
            whole(&self.heading_level, "heading-level", 6, DEFAULT_HEADING_LEVEL.into(), &mut warnings) as u8;
        let page_size = whole(&self.page_size, "page-size", 100, DEFAULT_PAGE_SIZE, &mut warnings);
        let pages = whole(&self.pages, "pages", 100, DEFAULT_PAGES, &mut warnings);
        let max_bytes = whole(&self.max_bytes, "max-bytes", MAX_MAX_BYTES, DEFAULT_MAX_BYTES, &mut warnings);
        let shares = self.share.as_deref().map_or(Shares::ALL, |spec| Shares::parse(spec, &mut warnings));
        let lang = non_empty(self.lang);
        let controls = self.filters.as_deref().map_or(Controls::ALL, |f| Controls::parse(f, &mut warnings));
        let format = match self.format.as_deref().map(Format::from_name) {
            None => None,
            Some(Some(format)) => format,
            Some(None) => {
                let given = self.format.as_deref().unwrap_or_default();
                warnings.push(format!(
                    "format \u{201c}{given}\u{201d} is not auto, native, jsonfeed, wordpress, rss or atom; detecting it"
                ));
                None
            }
        };
        let url_key = non_empty(self.url_key).unwrap_or_else(|| DEFAULT_URL_KEY.to_string());
        let feed_text = self.feed_text.filter(|t| !t.trim().is_empty());
        let src = non_empty(self.src).or_else(|| feed_text.as_ref().map(|_| String::new()));
        let config = match src {
            None => Err(Error::InvalidOption {
                name: "src",
                detail: "the widget was not given a feed address (its src attribute is empty)".into(),
            }),
            Some(src) => Ok(Config {
                src,
                release: non_empty(self.release),
                timeout_secs,
                heading_level,
                section_label: non_empty(self.section_label),
                url_key,
                page_size,
                controls,
                format,
                pages,
                feed_text,
                shares,
                lang,
                max_bytes,
                presentation,
            }),
        };
        (config, warnings)
    }
}

/// A number as HTML writes one in an attribute (`30`, `2.5`, `.5`, `-1`, `1e3`), read without
/// `str::parse`, whose exact algorithm and tables (about 15 kB) the widget would carry for a
/// handful of settings. Digits past the 19th only scale the value; it is exact to within a few
/// units in the last place, which no setting here can tell apart.
fn decimal(text: &str) -> Option<f64> {
    let (negative, text) = match text.as_bytes().first()? {
        b'-' => (true, &text[1..]),
        b'+' => (false, &text[1..]),
        _ => (false, text),
    };
    let (number, exponent) = match text.find(['e', 'E']) {
        Some(at) => (&text[..at], Some(&text[at + 1..])),
        None => (text, None),
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.len() + fraction.len() == 0 || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }
    let mut scale = -(fraction.len() as i64);
    let mut mantissa: u64 = 0;
    for b in whole.bytes().chain(fraction.bytes()) {
        match mantissa.checked_mul(10).and_then(|m| m.checked_add(u64::from(b - b'0'))) {
            Some(m) => mantissa = m,
            None => scale += 1,
        }
    }
    if let Some(exponent) = exponent {
        let digits = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if digits.is_empty() || !all_digits(digits) {
            return None;
        }
        let value: i64 = digits.bytes().take(6).fold(0, |n, b| n * 10 + i64::from(b - b'0'));
        scale += if exponent.starts_with('-') { -value } else { value };
    }
    // Dividing by an exact power of ten rounds once, so `2.5` and `0.1` come out as written.
    let power = 10f64.powi(scale.unsigned_abs().min(400) as i32);
    let value = match mantissa {
        0 => 0.0,
        _ if scale < 0 => mantissa as f64 / power,
        _ => mantissa as f64 * power,
    };
    Some(if negative { -value } else { value })
}

/// A whole number from 1 to `max`; anything else is reported and `default` is used.
fn whole(value: &Option<NumberOrText>, name: &str, max: usize, default: usize, warnings: &mut Vec<String>) -> usize {
    let Some(v) = value else { return default };
    match v.number() {
        Some(n) if n >= 1.0 && n <= max as f64 && n.fract() == 0.0 => n as usize,
        _ => {
            warnings.push(format!("{name} {} is not a whole number from 1 to {max}; using {default}", v.describe()));
            default
        }
    }
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// The delay for `setTimeout` for a timeout in seconds: at most 2^31 − 1 ms, which it takes
/// (a larger one overflows to a negative delay and fires at once).
pub fn timeout_millis(secs: f64) -> u32 {
    // A float-to-int `as` saturates; the bound keeps it below i32::MAX.
    (secs * 1000.0).round().clamp(0.0, f64::from(i32::MAX)) as u32
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_read_as_str_parse_reads_them_without_its_tables() {
        let same = [
            "0",
            "30",
            "2.5",
            ".5",
            "5.",
            "-1",
            "+7",
            "0.1",
            "1e3",
            "1E3",
            "2.5e-1",
            "1e+2",
            "007",
            "10.000",
            "2147483.647",
            "123456789012345678",
            "0.000001",
        ];
        for text in same {
            assert_eq!(super::decimal(text), text.parse::<f64>().ok(), "{text}");
        }
        let long = super::decimal("123456789012345678901234567890").unwrap();
        assert!((long / 1.2345678901234568e29 - 1.0).abs() < 1e-15, "{long}");
        assert_eq!(super::decimal("1e400"), Some(f64::INFINITY), "too large: rejected by each setting's range");
        assert_eq!(super::decimal("0e400"), Some(0.0));
        for text in ["", ".", "-", "e3", "1e", "1e+", "1.2.3", "12px", "0x10", "inf", "NaN", "1 0", "١٢"] {
            assert_eq!(super::decimal(text), None, "{text}");
        }
    }

    use super::*;

    fn text(s: &str) -> Option<NumberOrText> {
        Some(NumberOrText::Text(s.into()))
    }

    #[test]
    fn defaults_fill_what_is_not_given() {
        let (config, warnings) = Options { src: Some(" /releases.json ".into()), ..Default::default() }.validate();
        let config = config.unwrap();
        assert_eq!((config.src.as_str(), config.timeout_secs, config.heading_level), ("/releases.json", 10.0, 2));
        assert_eq!(
            (config.release_param().as_str(), config.page_size, config.controls),
            ("re-release", 10, Controls::ALL)
        );
        assert_eq!(config.max_bytes, 100_000_000);
        assert!(warnings.is_empty());
    }

    #[test]
    fn attribute_text_is_read_as_numbers() {
        let options = Options {
            src: Some("f.json".into()),
            timeout: text("2.5"),
            heading_level: text("3"),
            url_key: Some("news".into()),
            max_bytes: text("5000000"),
            ..Default::default()
        };
        let config = options.validate().0.unwrap();
        assert_eq!(config.max_bytes, 5_000_000);
        assert_eq!(
            (config.timeout_secs, config.heading_level, config.release_param().as_str()),
            (2.5, 3, "news-release")
        );
    }

    #[test]
    fn filters_pick_the_controls() {
        let with =
            |f: &str| Options { src: Some("f.json".into()), filters: Some(f.into()), ..Default::default() }.validate();
        assert_eq!(with("none").0.unwrap().controls, Controls::NONE);
        let (config, warnings) = with("search, years sparkles");
        assert_eq!(config.unwrap().controls, Controls { search: true, years: true, ..Controls::NONE });
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn share_picks_the_controls() {
        let with =
            |f: &str| Options { src: Some("f.json".into()), share: Some(f.into()), ..Default::default() }.validate();
        assert!(with("none").0.unwrap().shares.none());
        let (config, warnings) = with("email copy myspace");
        let shares = config.unwrap().shares;
        assert!(shares.has("email") && shares.has("copy") && !shares.has("x"));
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn a_timeout_longer_than_set_timeout_takes_is_clamped() {
        for given in ["2147484", "1e12", "99999999999"] {
            let options = Options { src: Some("f.json".into()), timeout: text(given), ..Default::default() };
            let (config, warnings) = options.validate();
            let config = config.unwrap();
            assert_eq!(config.timeout_secs, MAX_TIMEOUT_SECS, "{given}");
            assert!(warnings[0].contains("longer than a browser timer takes"), "{warnings:?}");
            // What reaches setTimeout, which reads its delay as a signed 32-bit number.
            assert!(timeout_millis(config.timeout_secs) <= i32::MAX as u32, "{given}");
        }
        assert_eq!(timeout_millis(2.5), 2500);
        assert_eq!(timeout_millis(1e300), i32::MAX as u32);
    }

    #[test]
    fn bad_numbers_warn_and_fall_back() {
        let options = Options {
            src: Some("f.json".into()),
            timeout: text("soon"),
            heading_level: text("9"),
            ..Default::default()
        };
        let (config, warnings) = options.validate();
        assert_eq!(config.unwrap().timeout_secs, 10.0);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("\u{201c}soon\u{201d}"));
    }

    #[test]
    fn a_missing_src_is_an_error_the_reader_can_understand() {
        let (config, _) = Options { src: Some("  ".into()), ..Default::default() }.validate();
        let err = config.unwrap_err();
        assert!(err
            .reader_message()
            .starts_with("Releases could not be loaded: the widget was not given a feed address"));
    }
}
