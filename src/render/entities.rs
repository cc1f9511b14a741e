//! Character references in HTML from feeds: numeric ones (`&#8211;`, `&#x2013;`, which WordPress
//! writes for typographic punctuation) and the named ones such feeds use. An unknown name is left
//! as written, so nothing is lost.

const NAMED: [(&str, char); 32] = [
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ndash", '\u{2013}'),
    ("mdash", '\u{2014}'),
    ("hellip", '\u{2026}'),
    ("lsquo", '\u{2018}'),
    ("rsquo", '\u{2019}'),
    ("sbquo", '\u{201a}'),
    ("ldquo", '\u{201c}'),
    ("rdquo", '\u{201d}'),
    ("bdquo", '\u{201e}'),
    ("laquo", '\u{ab}'),
    ("raquo", '\u{bb}'),
    ("copy", '\u{a9}'),
    ("reg", '\u{ae}'),
    ("trade", '\u{2122}'),
    ("deg", '\u{b0}'),
    ("middot", '\u{b7}'),
    ("bull", '\u{2022}'),
    ("sect", '\u{a7}'),
    ("para", '\u{b6}'),
    ("eacute", '\u{e9}'),
    ("aacute", '\u{e1}'),
    ("iacute", '\u{ed}'),
    ("oacute", '\u{f3}'),
    ("uacute", '\u{fa}'),
    ("ntilde", '\u{f1}'),
    ("shy", '\u{ad}'),
];

/// `text` with character references replaced by the characters they stand for.
pub fn decode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        match reference(rest) {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character of the reference at the start of `s` (which starts with `&`), and its length.
fn reference(s: &str) -> Option<(char, usize)> {
    let body = &s[1..];
    let end = body.find(';').filter(|&e| e <= 32)?;
    let name = &body[..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        // NUL and surrogates become U+FFFD, as browsers do.
        char::from_u32(code).filter(|&c| c != '\0').unwrap_or('\u{fffd}')
    } else {
        NAMED.iter().find(|(n, _)| *n == name)?.1
    };
    Some((c, end + 2))
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_what_wordpress_writes() {
        assert_eq!(
            decode("AG&#8217;s office &#8211; &#x201C;now&#x201d; &amp; then&hellip;"),
            "AG\u{2019}s office \u{2013} \u{201c}now\u{201d} & then\u{2026}"
        );
        assert_eq!(decode("&lt;script&gt;"), "<script>");
    }

    #[test]
    fn leaves_what_it_does_not_know() {
        assert_eq!(decode("R&D &unknown; &#xZZ; & &#0; &#1114112;"), "R&D &unknown; &#xZZ; & \u{fffd} \u{fffd}");
    }
}
