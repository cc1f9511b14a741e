//! URL checks and encoding, without a browser: which URLs may reach the page, how share links and
//! deep links are spelled.

/// The schemes a link or image in a release may use. Anything else (`javascript:`, `data:`,
/// `vbscript:`, `file:`…) is refused.
const ALLOWED_SCHEMES: [&str; 4] = ["http", "https", "mailto", "tel"];

/// Returns the URL to put in the page, or `None` when it must not reach the page.
///
/// Browsers ignore leading control characters and spaces and remove tabs and newlines anywhere in
/// a URL, so `" java\tscript:…"` runs as `javascript:`. We normalise the same way before looking
/// at the scheme, and hand the normalised form on.
pub fn safe_url(raw: &str) -> Option<String> {
    let url: String =
        raw.trim_matches(|c: char| c <= ' ').chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
    if url.is_empty() || url.chars().any(char::is_control) {
        return None;
    }
    match scheme(&url) {
        None => Some(url),
        Some(s) if ALLOWED_SCHEMES.iter().any(|a| s.eq_ignore_ascii_case(a)) => Some(url),
        Some(_) => None,
    }
}

/// True for an absolute `http:` or `https:` URL: the only kind worth sending to a share service.
pub fn is_absolute_http(url: &str) -> bool {
    matches!(scheme(url), Some(s) if s.eq_ignore_ascii_case("http") || s.eq_ignore_ascii_case("https"))
        && url.split_once(':').is_some_and(|(_, rest)| rest.starts_with("//") && rest.len() > 2)
}

/// The scheme of an absolute URL (the part before the first `:` if it comes before any `/?#`).
fn scheme(url: &str) -> Option<&str> {
    let end = url.find([':', '/', '?', '#'])?;
    let candidate = &url[..end];
    let valid = url[end..].starts_with(':')
        && candidate.starts_with(|c: char| c.is_ascii_alphabetic())
        && candidate.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then_some(candidate)
}

/// Resolves `url` against `base`, an absolute `http(s)://` address (RFC 3986, section 5.2). An
/// absolute `url`, or a `base` that is not absolute, gives `url` unchanged.
pub fn resolve(base: &str, url: &str) -> String {
    let (Some(base_scheme), None) = (scheme(base), scheme(url)) else { return url.to_string() };
    let Some(after) = base[base_scheme.len() + 1..].strip_prefix("//") else { return url.to_string() };
    if let Some(rest) = url.strip_prefix("//") {
        return format!("{base_scheme}://{rest}");
    }
    let authority_end = after.find(['/', '?', '#']).unwrap_or(after.len());
    let origin = format!("{base_scheme}://{}", &after[..authority_end]);
    let base_rest = &after[authority_end..];
    let base_path = &base_rest[..base_rest.find(['?', '#']).unwrap_or(base_rest.len())];
    let base_path = if base_path.is_empty() { "/" } else { base_path };
    let split = url.find(['?', '#']).unwrap_or(url.len());
    let (path, tail) = url.split_at(split);
    if path.is_empty() {
        let base_query = &base_rest[base_path.len().min(base_rest.len())..];
        let base_query = &base_query[..base_query.find('#').unwrap_or(base_query.len())];
        return match tail.starts_with('#') {
            true => format!("{origin}{base_path}{base_query}{tail}"),
            false => format!("{origin}{base_path}{tail}"),
        };
    }
    let merged = match path.starts_with('/') {
        true => path.to_string(),
        false => format!("{}{path}", &base_path[..base_path.rfind('/').map_or(0, |i| i + 1)]),
    };
    format!("{origin}{}{tail}", remove_dot_segments(&merged))
}

/// `/a/b/../c/./d` → `/a/c/d`.
fn remove_dot_segments(path: &str) -> String {
    let mut out: Vec<&str> = Vec::new();
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    for (i, segment) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *segment {
            "." if last => out.push(""),
            "." => {}
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// Percent-encodes like JavaScript's `encodeURIComponent`: everything but `A–Z a–z 0–9 - _ . ! ~ * ' ( )`.
pub fn encode_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Decodes `%XX` and (in query strings) `+`; invalid sequences are kept as written.
pub fn decode_component(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => out.push(b' '),
            b'%' => match (b.get(i + 1).and_then(hex), b.get(i + 2).and_then(hex)) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex(c: &u8) -> Option<u8> {
    char::from(*c).to_digit(16).map(|d| d as u8)
}

/// Reads one parameter from a query string (`?a=1&b=2` or `a=1&b=2`).
pub fn query_param(search: &str, key: &str) -> Option<String> {
    pairs(search).find(|(k, _)| *k == key).map(|(_, v)| v)
}

/// The same query string with `key` set to `value` (or removed when `None`); other parameters,
/// the host page's own among them, keep their order and spelling. Returns `?…`, or `?` alone when
/// nothing is left, so it can be used as a relative link that stays on the page.
pub fn with_param(search: &str, key: &str, value: Option<&str>) -> String {
    let add: Vec<(&str, &str)> = value.map(|v| (key, v)).into_iter().collect();
    replace_params(search, |k| k == key, &add)
}

/// The query string without the parameters `remove` selects, and with `add` appended.
pub fn replace_params(search: &str, remove: impl Fn(&str) -> bool, add: &[(&str, &str)]) -> String {
    let mut parts: Vec<String> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !remove(&decode_component(p.split('=').next().unwrap_or(""))))
        .map(str::to_string)
        .collect();
    parts.extend(add.iter().map(|(k, v)| format!("{}={}", encode_component(k), encode_component(v))));
    format!("?{}", parts.join("&"))
}

/// Every value of a repeated parameter, in order.
pub fn query_params(search: &str, key: &str) -> Vec<String> {
    pairs(search).filter(|(k, _)| k == key).map(|(_, v)| v).collect()
}

fn pairs(search: &str) -> impl Iterator<Item = (String, String)> + '_ {
    search.trim_start_matches('?').split('&').filter(|p| !p.is_empty()).map(|p| {
        let (k, v) = p.split_once('=').unwrap_or((p, ""));
        (decode_component(k), decode_component(v))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn allows_web_mail_phone_and_relative_urls() {
        for ok in [
            "https://ag.example.gov/a?b=c#d",
            "HTTP://x.example",
            "mailto:press@example.gov",
            "tel:+15555550100",
            "/news/1",
            "news/1",
            "?page=2",
            "#top",
            "//cdn.example/x.png",
            "a/b:c",
        ] {
            assert_eq!(safe_url(ok).as_deref(), Some(ok), "{ok}");
        }
    }

    #[test]
    fn refuses_script_and_data_urls_however_disguised() {
        for bad in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "data:text/html,<script>alert(1)</script>",
            "vbscript:msgbox(1)",
            "file:///etc/passwd",
            "",
            "   ",
            "javascript\u{0}:alert(1)",
        ] {
            assert_eq!(safe_url(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn absolute_http_is_what_can_be_shared() {
        assert!(is_absolute_http("https://ag.example.gov/x"));
        assert!(!is_absolute_http("/x"));
        assert!(!is_absolute_http("https:/x"));
        assert!(!is_absolute_http("mailto:a@b"));
    }

    #[test]
    fn resolves_relative_urls_like_a_browser() {
        let base = "https://ag.example.gov/news/feed.json?page=2#top";
        for (url, want) in [
            ("/a/b", "https://ag.example.gov/a/b"),
            ("pic.jpg", "https://ag.example.gov/news/pic.jpg"),
            ("../img/./x.png?s=1#f", "https://ag.example.gov/img/x.png?s=1#f"),
            ("//cdn.example/x", "https://cdn.example/x"),
            ("?page=3", "https://ag.example.gov/news/feed.json?page=3"),
            ("#frag", "https://ag.example.gov/news/feed.json?page=2#frag"),
            ("https://other.example/x", "https://other.example/x"),
            ("mailto:a@b.example", "mailto:a@b.example"),
            ("../../../../x", "https://ag.example.gov/x"),
        ] {
            assert_eq!(resolve(base, url), want, "{url}");
        }
        assert_eq!(resolve("https://ag.example.gov", "x"), "https://ag.example.gov/x");
        assert_eq!(resolve("", "/x"), "/x", "no base: unchanged");
    }

    #[test]
    fn encodes_like_encode_uri_component() {
        assert_eq!(
            encode_component("AG Kilmartin: \"cruel\" & illegal?"),
            "AG%20Kilmartin%3A%20%22cruel%22%20%26%20illegal%3F"
        );
        assert_eq!(encode_component("https://a.example/x?y=1&z=2"), "https%3A%2F%2Fa.example%2Fx%3Fy%3D1%26z%3D2");
        assert_eq!(encode_component("Peña – ok"), "Pe%C3%B1a%20%E2%80%93%20ok");
        assert_eq!(encode_component("-_.!~*'()"), "-_.!~*'()");
    }

    #[test]
    fn decoding_reverses_encoding_and_keeps_bad_sequences() {
        for s in ["Peña – ok", "a&b=c d", "100%"] {
            assert_eq!(decode_component(&encode_component(s)), s);
        }
        assert_eq!(decode_component("a+b%2"), "a b%2");
        assert_eq!(decode_component("%zz%"), "%zz%");
    }

    #[test]
    fn query_params_are_set_and_removed_without_touching_others() {
        assert_eq!(with_param("", "re-release", Some("a b")), "?re-release=a%20b");
        assert_eq!(with_param("?page=2&re-release=x&utm=y", "re-release", Some("z")), "?page=2&utm=y&re-release=z");
        assert_eq!(with_param("?page=2&re-release=x", "re-release", None), "?page=2");
        assert_eq!(with_param("?re-release=x", "re-release", None), "?");
        assert_eq!(query_param("?a=1&re-release=ag%2Fx&b", "re-release").as_deref(), Some("ag/x"));
        assert_eq!(query_param("?a=1", "re-release"), None);
    }
}
