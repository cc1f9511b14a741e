//! Character references in HTML from feeds, decoded as browsers decode them: every HTML5 named
//! reference (the legacy ones such as `&copy` also without `;`, except where an attribute value
//! goes on with `=` or a letter), and numeric ones, with `&#150;`-style references in the
//! windows-1252 range mapped as browsers map them. Anything else is left as written.
//!
//! pulldown-cmark carries the same list but does not expose it, and its table (an array of
//! string pairs) is about 20 kB gzip; this one is packed to about 10 kB (see
//! `tools/entities.py`).
//!
//! The widget's split build (feature `split`) carries only the names most feeds use
//! ([`COMMON`]) in its list view; the whole list is a chunk it fetches when a feed names another
//! ([`needs_whole_list`]), which then calls [`use_whole_list`].

use super::entity_table::{BUCKETS, COMMON, NAMES};

/// The longest name that browsers accept without `;` (`frac12`, `middot`…).
const LONGEST_LEGACY: usize = 6;
/// The longest name in the list, with room for the `;`.
const LONGEST_NAME: usize = 32;

/// `text` (an element's text) with its character references replaced.
pub fn decode(text: &str) -> String {
    decode_in(text, false)
}

/// An attribute value with its character references replaced: `&copy=1` in a URL stays as it is.
pub fn decode_attribute(value: &str) -> String {
    decode_in(value, true)
}

fn decode_in(text: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        match reference(rest, attribute, &mut out) {
            0 => out.push('&'),
            used => rest = &rest[used..],
        }
    }
    out.push_str(rest);
    out
}

/// Decodes the reference that `s` (the text after an `&`) starts with into `out`; returns how
/// many bytes of `s` it used, 0 when `s` starts no reference.
fn reference(s: &str, attribute: bool, out: &mut String) -> usize {
    let bytes = s.as_bytes();
    if bytes.first() == Some(&b'#') {
        return numeric(bytes, out);
    }
    let run = bytes.iter().take(LONGEST_NAME).take_while(|b| b.is_ascii_alphanumeric()).count();
    if run == 0 {
        return 0;
    }
    if bytes.get(run) == Some(&b';') {
        if let Some((value, _)) = lookup(&bytes[..run]) {
            out.push_str(value);
            return run + 1;
        }
    }
    // The longest legacy name the text starts with: `&notit;` is `¬it;`.
    for len in (2..=run.min(LONGEST_LEGACY)).rev() {
        let Some((value, true)) = lookup(&bytes[..len]) else { continue };
        let next = bytes.get(len).copied().unwrap_or(b' ');
        if attribute && (next == b'=' || next.is_ascii_alphanumeric()) {
            return 0;
        }
        out.push_str(value);
        return len;
    }
    0
}

/// `#123;`, `#x7B;` (the `;` may be missing). NUL, surrogates and numbers past U+10FFFF become
/// U+FFFD; 0x80–0x9F are read as windows-1252, which is what pages that write them mean.
fn numeric(bytes: &[u8], out: &mut String) -> usize {
    let (radix, start) = match bytes.get(1) {
        Some(b'x' | b'X') => (16, 2),
        _ => (10, 1),
    };
    let digits = bytes[start..].iter().take_while(|b| (**b as char).is_digit(radix)).count();
    if digits == 0 {
        return 0;
    }
    let code = bytes[start..start + digits].iter().fold(0u32, |n, b| {
        let digit = (*b as char).to_digit(radix).unwrap_or(0);
        n.saturating_mul(radix).saturating_add(digit).min(0x11_0000)
    });
    out.push(match code {
        0x80..=0x9f => windows_1252_high(code as u8),
        _ => char::from_u32(code).filter(|&c| c != '\0').unwrap_or('\u{fffd}'),
    });
    let end = start + digits;
    end + usize::from(bytes.get(end) == Some(&b';'))
}

/// What 0x80–0x9F stand for in windows-1252: what browsers show for `&#128;`…`&#159;` (the
/// WHATWG numeric character reference end state), and what those bytes mean in a document
/// declared ISO-8859-1 or windows-1252. The five codes windows-1252 leaves undefined stay
/// themselves. Other values are their own code points.
pub fn windows_1252_high(byte: u8) -> char {
    match byte {
        0x80..=0x9F => WINDOWS_1252[usize::from(byte - 0x80)],
        _ => char::from(byte),
    }
}

const WINDOWS_1252: [char; 32] = [
    '\u{20ac}', '\u{81}', '\u{201a}', '\u{192}', '\u{201e}', '\u{2026}', '\u{2020}', '\u{2021}', '\u{2c6}', '\u{2030}',
    '\u{160}', '\u{2039}', '\u{152}', '\u{8d}', '\u{17d}', '\u{8f}', '\u{90}', '\u{2018}', '\u{2019}', '\u{201c}',
    '\u{201d}', '\u{2022}', '\u{2013}', '\u{2014}', '\u{2dc}', '\u{2122}', '\u{161}', '\u{203a}', '\u{153}', '\u{9d}',
    '\u{17e}', '\u{178}',
];

/// The value of the named reference `name` (without `&` and `;`), and whether browsers accept it
/// without `;` too.
#[cfg(not(feature = "split"))]
fn lookup(name: &[u8]) -> Option<(&'static str, bool)> {
    whole_list(name)
}

#[cfg(feature = "split")]
fn lookup(name: &[u8]) -> Option<(&'static str, bool)> {
    common(name).or_else(|| WHOLE_LIST.get().and_then(|whole_list| whole_list(name)))
}

#[cfg(feature = "split")]
type Lookup = fn(&[u8]) -> Option<(&'static str, bool)>;

/// The whole list's lookup once [`use_whole_list`] ran: a pointer, so that only the code that
/// installs it (the entity chunk) refers to the table.
#[cfg(feature = "split")]
static WHOLE_LIST: std::sync::OnceLock<Lookup> = std::sync::OnceLock::new();

/// From now on every named reference decodes, not only the common ones. Called from the chunk
/// that carries the whole list; without the `split` feature the whole list is always there.
pub fn use_whole_list() {
    #[cfg(feature = "split")]
    let _ = WHOLE_LIST.set(whole_list);
}

/// Whether `text` names a reference that is not in [`COMMON`]: `&name;` written as it is, or with
/// its `&` escaped once more as a feed may write it inside XML or JSON (`&amp;`, `&#38;`, `&#x26;`,
/// `\u0026`). Bytes, so that a long document can be looked at a window at a time.
pub fn needs_whole_list(text: &[u8]) -> bool {
    let mut at = 0;
    while let Some(found) = text[at..].iter().position(|&b| b == b'&' || b == b'\\') {
        let start = at + found;
        let rest = &text[start..];
        let after = if rest[0] == b'\\' {
            rest.get(1..6).filter(|u| u.eq_ignore_ascii_case(b"u0026")).map(|_| 6)
        } else {
            [&b"&amp;"[..], b"&#38;", b"&#x26;"]
                .iter()
                .find(|form| rest.get(..form.len()).is_some_and(|r| r.eq_ignore_ascii_case(form)))
                .map(|form| form.len())
                .or(Some(1))
        };
        at = start + 1;
        let Some(after) = after else { continue };
        let name = &rest[after..];
        let run = name.iter().take(LONGEST_NAME).take_while(|b| b.is_ascii_alphanumeric()).count();
        if run > 0 && name.get(run) == Some(&b';') && common(&name[..run]).is_none() {
            return true;
        }
    }
    false
}

/// A name of [`COMMON`]: a walk through its 259 names, short enough not to need an index.
fn common(name: &[u8]) -> Option<(&'static str, bool)> {
    let table = COMMON.as_bytes();
    let mut at = 0;
    while at < table.len() {
        let marker_at = at + table[at..].iter().position(|b| !b.is_ascii_alphanumeric())?;
        let chars = if table[marker_at] == b':' { 2 } else { 1 };
        let value_start = marker_at + 1;
        let value_len: usize = COMMON[value_start..].chars().take(chars).map(char::len_utf8).sum();
        if &table[at..marker_at] == name {
            return Some((&COMMON[value_start..value_start + value_len], table[marker_at] == b','));
        }
        at = value_start + value_len;
    }
    None
}

/// The whole list. Walks the front-coded names of its first letter: `matched` is how much of
/// `name` the previous (smaller) entry shares, which says whether each entry can still be it.
fn whole_list(name: &[u8]) -> Option<(&'static str, bool)> {
    let bucket = match *name.first()? {
        b @ b'A'..=b'Z' => b - b'A',
        b @ b'a'..=b'z' => b - b'a' + 26,
        _ => return None,
    } as usize;
    let table = NAMES.as_bytes();
    let (mut at, end) = (usize::from(BUCKETS[bucket]), usize::from(BUCKETS[bucket + 1]));
    let mut matched = 0;
    while at < end {
        let shared = usize::from(table[at] - b'0');
        let suffix_start = at + 1;
        let marker_at = suffix_start + table[suffix_start..].iter().position(|b| !b.is_ascii_alphanumeric())?;
        let chars = if table[marker_at] == b':' { 2 } else { 1 };
        let value_start = marker_at + 1;
        let value_len: usize = NAMES[value_start..].chars().take(chars).map(char::len_utf8).sum();
        at = value_start + value_len;
        if shared > matched {
            continue; // shares more with the previous entry than `name` does: still smaller
        }
        if shared < matched {
            return None; // differs from `name` where the previous entry agreed: larger
        }
        let (suffix, rest) = (&table[suffix_start..marker_at], &name[matched..]);
        let common = suffix.iter().zip(rest).take_while(|(a, b)| a == b).count();
        if common == suffix.len() && common == rest.len() {
            return Some((&NAMES[value_start..at], table[marker_at] == b','));
        }
        if common == rest.len() || (common < suffix.len() && suffix[common] > rest[common]) {
            return None;
        }
        matched += common;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_what_wordpress_writes() {
        assert_eq!(
            decode("AG&#8217;s office &#8211; &#x201C;now&#x201d; &amp; then&hellip;"),
            "AG\u{2019}s office \u{2013} \u{201c}now\u{201d} & then\u{2026}"
        );
        assert_eq!(decode("&lt;script&gt;"), "<script>");
    }

    #[test]
    fn every_named_reference_decodes() {
        use_whole_list(); // the split build's list view has only the common names until then
        for (written, shown) in [
            ("&eacute;&uuml;&iquest;&euro;&frac12;", "\u{e9}\u{fc}\u{bf}\u{20ac}\u{bd}"),
            ("&AElig;&zwnj;&Zopf;&zscr;", "\u{c6}\u{200c}\u{2124}\u{1d4cf}"),
            ("&CounterClockwiseContourIntegral;", "\u{2233}"),
            ("&fjlig;&NotEqualTilde;", "fj\u{2242}\u{338}"),
            ("&Tab;&NewLine;&semi;", "\t\n;"),
            ("&nbsp;&NonBreakingSpace;&amp;&AMP;", "\u{a0}\u{a0}&&"),
        ] {
            assert_eq!(decode(written), shown, "{written}");
        }
    }

    #[test]
    fn legacy_names_work_without_a_semicolon_but_not_in_attribute_values() {
        assert_eq!(decode("&copy 2025 &notit; &notin; &ampx"), "\u{a9} 2025 \u{ac}it; \u{2209} &x");
        assert_eq!(decode("&eacutex &hellip"), "\u{e9}x &hellip", "hellip needs its ;");
        assert_eq!(decode_attribute("/a?x=1&copy=2&not;&amp"), "/a?x=1&copy=2\u{ac}&");
        assert_eq!(decode_attribute("&notx &not!"), "&notx \u{ac}!");
    }

    #[test]
    fn numbers_decode_as_browsers_do() {
        assert_eq!(decode("&#150;&#147;&#148;&#128;&#x99;&#153"), "\u{2013}\u{201c}\u{201d}\u{20ac}\u{2122}\u{2122}");
        assert_eq!(decode("&#129;&#x9D;"), "\u{81}\u{9d}", "undefined in windows-1252: kept");
        assert_eq!(decode("&#0;&#xD800;&#1114112;&#99999999999999;"), "\u{fffd}".repeat(4));
        assert_eq!(decode("&#65&#x42;&#; &#x; &#xZZ;"), "AB&#; &#x; &#xZZ;");
    }

    #[test]
    fn the_common_names_are_the_whole_lists_with_every_legacy_one() {
        let mut at = 0;
        let (table, mut count) = (COMMON.as_bytes(), 0);
        while at < table.len() {
            let marker = at + table[at..].iter().position(|b| !b.is_ascii_alphanumeric()).unwrap();
            let name = &table[at..marker];
            assert_eq!(common(name), whole_list(name), "{}", String::from_utf8_lossy(name));
            let value = common(name).unwrap().0;
            at = marker + 1 + value.len();
            count += 1;
        }
        assert_eq!(count, 259);
        for legacy in ["AMP", "copy", "frac34", "yuml", "nbsp", "not"] {
            assert_eq!(common(legacy.as_bytes()).map(|(_, legacy)| legacy), Some(true), "{legacy}");
        }
        for name in ["hellip", "rsquo", "mdash", "euro", "trade", "apos", "hearts", "alpha"] {
            assert!(common(name.as_bytes()).is_some(), "{name}");
        }
        assert_eq!(common(b"bigstar"), None);
    }

    #[test]
    fn a_text_needs_the_whole_list_when_it_names_an_uncommon_reference_in_any_escaping() {
        for text in [
            "&bigstar;",
            "Stars &amp;bigstar; here",
            "&#38;bigstar;",
            "&#X26;bigstar;",
            "\\u0026bigstar;",
            "\\U0026Zopf;",
            "R&D;",
        ] {
            assert!(needs_whole_list(text.as_bytes()), "{text}");
        }
        for text in [
            "",
            "Caf&eacute; &amp; &hellip; &rsquo;&#8217;",
            "a=1&b=2&bigstar=3",
            "&amp;amp;eacute;",
            "&copy 2025 &bigstar",
            "\\n\\u0026amp; \\\\",
            "&",
            "trailing &amp",
        ] {
            assert!(!needs_whole_list(text.as_bytes()), "{text}");
        }
    }

    #[test]
    fn leaves_what_it_does_not_know() {
        assert_eq!(decode("R&D &unknown; & &;"), "R&D &unknown; & &;");
    }

    #[test]
    fn the_table_holds_the_whole_list_in_order() {
        let mut count = 0;
        for letter in (b'A'..=b'Z').chain(b'a'..=b'z') {
            assert!(whole_list(&[letter, b'!']).is_none());
        }
        let mut at = 0;
        let (table, mut previous) = (NAMES.as_bytes(), Vec::new());
        while at < table.len() {
            let shared = usize::from(table[at] - b'0');
            let marker = at + 1 + table[at + 1..].iter().position(|b| !b.is_ascii_alphanumeric()).unwrap();
            let mut name = previous[..shared].to_vec();
            name.extend_from_slice(&table[at + 1..marker]);
            let chars = if table[marker] == b':' { 2 } else { 1 };
            let value: String = NAMES[marker + 1..].chars().take(chars).collect();
            assert_eq!(whole_list(&name).map(|(v, _)| v), Some(value.as_str()), "{}", String::from_utf8_lossy(&name));
            assert!(name > previous);
            at = marker + 1 + value.len();
            previous = name;
            count += 1;
        }
        assert_eq!(count, 2125);
    }
}
