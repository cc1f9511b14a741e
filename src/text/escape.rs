//! Escaping for HTML text and double-quoted attribute values. Every value from a feed passes
//! through here on its way into a string of HTML.

use std::fmt::{self, Write};

/// Displays its text with `& < > " '` escaped, so it can be `write!`-ed into HTML.
pub struct Esc<'a>(pub &'a str);

impl fmt::Display for Esc<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['&', '<', '>', '"', '\'']) {
            f.write_str(&rest[..i])?;
            f.write_str(match rest.as_bytes()[i] {
                b'&' => "&amp;",
                b'<' => "&lt;",
                b'>' => "&gt;",
                b'"' => "&quot;",
                _ => "&#39;",
            })?;
            rest = &rest[i + 1..];
        }
        f.write_str(rest)
    }
}

/// Appends formatted HTML to a `String`. Writing to a `String` cannot fail, so the `fmt::Result`
/// is dropped here, once, instead of at every call site.
pub fn push(out: &mut String, args: fmt::Arguments<'_>) {
    let _ = out.write_fmt(args);
}

#[cfg(test)]
mod tests {
    use super::Esc;

    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            Esc(r#"<img src=x onerror="alert('1')">&amp;"#).to_string(),
            "&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;amp;"
        );
        assert_eq!(Esc("plain – text").to_string(), "plain – text");
    }
}
