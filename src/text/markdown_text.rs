//! The plain text of a Markdown body without a Markdown parser, for what the list view needs from
//! it: the summary of a release that has none, and the words the search index holds. The list
//! view's wasm leaves pulldown-cmark to the lazily loaded body part (about 57 kB gzip), so this
//! reads the Markdown line by line instead. Its words are the ones pulldown-cmark's text gives
//! (tested natively against it, below): markers, link targets, HTML and fences go, words stay.

use super::entities::decode;

/// Plain text of `markdown`, white space collapsed.
pub fn to_plain_text(markdown: &str) -> String {
    let mut out = String::with_capacity(markdown.len());
    let mut para = String::new();
    let mut block = Block::None;
    let mut prev_blank = true;
    // The raw HTML block being read: its text is shown (through the cleaner), so it is searched.
    let mut html = String::new();
    for raw in markdown.lines() {
        match block {
            Block::Fence(ch, n) => {
                if fence(raw.trim_start()).is_some_and(|(c, m, info)| c == ch && m >= n && info.trim().is_empty()) {
                    block = Block::None;
                } else {
                    out.push_str(raw);
                }
                out.push(' ');
                continue;
            }
            Block::Html(end) => {
                let ended = match end {
                    Some(close) => raw.to_ascii_lowercase().contains(close),
                    None => raw.trim().is_empty(),
                };
                if end.is_some() || !ended {
                    html.push_str(raw);
                    html.push('\n');
                }
                if ended {
                    block = Block::None;
                    html_text(&mut html, &mut out);
                }
                prev_blank = raw.trim().is_empty();
                continue;
            }
            Block::None => {}
        }
        let (line, new_item) = strip_containers(raw);
        let trimmed = line.trim();
        let in_para = !para.is_empty() && !new_item;
        if trimmed.is_empty() {
            flush(&mut para, &mut out);
            prev_blank = true;
            continue;
        }
        // Indented code (not a paragraph's continuation): its text as it is.
        if !in_para && prev_blank && line.starts_with("    ") {
            flush(&mut para, &mut out);
            out.push_str(trimmed);
            out.push(' ');
            continue;
        }
        prev_blank = false;
        if let Some((ch, n, _)) = fence(trimmed) {
            flush(&mut para, &mut out);
            block = Block::Fence(ch, n);
            continue;
        }
        if let Some(end) = html_block_start(trimmed, in_para) {
            flush(&mut para, &mut out);
            html.push_str(raw);
            html.push('\n');
            let ends_here = end.is_some_and(|close| trimmed.to_ascii_lowercase().contains(close));
            if ends_here {
                html_text(&mut html, &mut out);
            } else {
                block = Block::Html(end);
            }
            continue;
        }
        if is_rule(trimmed) || is_reference_definition(trimmed) && !in_para {
            flush(&mut para, &mut out);
            continue;
        }
        if let Some(heading) = atx_heading(trimmed) {
            flush(&mut para, &mut out);
            inline(heading, &mut out);
            out.push(' ');
            continue;
        }
        if new_item {
            flush(&mut para, &mut out);
        }
        para.push_str(trimmed);
        para.push('\n');
    }
    flush(&mut para, &mut out);
    html_text(&mut html, &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Adds the text a browser shows of the HTML block read so far, and empties it.
fn html_text(html: &mut String, out: &mut String) {
    if !html.is_empty() {
        out.push(' ');
        out.push_str(&super::clean::plain_text(html));
        out.push(' ');
        html.clear();
    }
}

enum Block {
    None,
    /// Inside a fenced code block opened by this many of this character.
    Fence(char, usize),
    /// Inside an HTML block, until a line holding this end (`None`: a blank line).
    Html(Option<&'static str>),
}

fn flush(para: &mut String, out: &mut String) {
    if !para.is_empty() {
        inline(para, out);
        out.push(' ');
        para.clear();
    }
}

/// Removes block-quote markers and list markers from the line's start; true when a list item
/// starts on it.
fn strip_containers(mut line: &str) -> (&str, bool) {
    let mut item = false;
    loop {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let rest = &line[indent..];
        if indent > 3 && !item {
            return (line, item);
        }
        if let Some(after) = rest.strip_prefix('>') {
            line = after.strip_prefix(' ').unwrap_or(after);
            continue;
        }
        if is_rule(rest) {
            return (line, item);
        }
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let marker = match rest.as_bytes().get(digits) {
            Some(b'-' | b'*' | b'+') if digits == 0 => 1,
            Some(b'.' | b')') if (1..=9).contains(&digits) => digits + 1,
            _ => return (line, item),
        };
        match rest.as_bytes().get(marker) {
            None => return ("", true),
            Some(b' ' | b'\t') => {
                line = &rest[marker + 1..];
                item = true;
            }
            _ => return (line, item),
        }
    }
}

/// A code fence: its character, length and info string.
fn fence(line: &str) -> Option<(char, usize, &str)> {
    let ch = line.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let n = line.chars().take_while(|c| *c == ch).count();
    let info = &line[n..];
    (n >= 3 && !(ch == '`' && info.contains('`'))).then_some((ch, n, info))
}

/// A thematic break or a setext underline: only `-`, `*`, `_` or `=` (and spaces).
fn is_rule(line: &str) -> bool {
    let Some(first) = line.trim().chars().next() else { return false };
    let marks = line.chars().filter(|c| *c == first).count();
    matches!(first, '-' | '*' | '_' | '=')
        && line.chars().all(|c| c == first || c == ' ' || c == '\t')
        && (marks >= 3 || first == '=' || first == '-')
}

fn is_reference_definition(line: &str) -> bool {
    line.starts_with('[') && line.find("]:").is_some_and(|end| end > 1 && !line[1..end].contains(']'))
}

fn atx_heading(line: &str) -> Option<&str> {
    let level = line.bytes().take_while(|b| *b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &line[level..];
    if !(rest.is_empty() || rest.starts_with([' ', '\t'])) {
        return None;
    }
    let rest = rest.trim();
    // A closing run of `#` goes when white space precedes it.
    let without = rest.trim_end_matches('#');
    Some(if without.is_empty() || without.ends_with([' ', '\t']) { without.trim_end() } else { rest })
}

/// Whether an HTML block starts here and what ends it: `Some(Some(end))` ends at a line holding
/// `end`, `Some(None)` at a blank line. A tag of unknown kind cannot interrupt a paragraph.
fn html_block_start(line: &str, in_para: bool) -> Option<Option<&'static str>> {
    let rest = line.strip_prefix('<')?;
    let lower = rest.to_ascii_lowercase();
    for (open, close) in
        [("script", "</script>"), ("pre", "</pre>"), ("style", "</style>"), ("textarea", "</textarea>")]
    {
        if lower.starts_with(open) && lower[open.len()..].starts_with([' ', '>', '\t']) || lower == open {
            return Some(Some(close));
        }
    }
    if lower.starts_with("!--") {
        return Some(Some("-->"));
    }
    let name_at = usize::from(lower.starts_with('/'));
    let name: String = lower[name_at..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-').collect();
    if name.is_empty() || !lower[name_at..].starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let after = &lower[name_at + name.len()..];
    let tag_ends = after.is_empty() || after.starts_with([' ', '\t', '>']) || after.starts_with("/>");
    if !tag_ends {
        return None;
    }
    if BLOCK_TAGS.contains(&name.as_str()) {
        return Some(None);
    }
    // Any other tag alone on its line starts a block too, but not inside a paragraph.
    (!in_para && line.find('>') == Some(line.len() - 1)).then_some(None)
}

/// CommonMark's HTML block names (condition 6).
const BLOCK_TAGS: &[&str] = &[
    "address",
    "article",
    "aside",
    "base",
    "basefont",
    "blockquote",
    "body",
    "caption",
    "center",
    "col",
    "colgroup",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "frame",
    "frameset",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "iframe",
    "legend",
    "li",
    "link",
    "main",
    "menu",
    "menuitem",
    "nav",
    "noframes",
    "ol",
    "optgroup",
    "option",
    "p",
    "param",
    "search",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "track",
    "ul",
];

/// Inline Markdown to text: emphasis markers, link targets and tags go; code spans, link and image
/// text stay; escapes and character references become the characters they stand for.
fn inline(text: &str, out: &mut String) {
    let mut plain = String::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        let c = bytes[i];
        match c {
            b'\\' if bytes.get(i + 1).is_some_and(u8::is_ascii_punctuation) => {
                // Escaped: the character itself, kept from turning into a reference or a marker.
                plain.push_str(&text[i + 1..i + 2].replace('&', "&amp;"));
                i += 2;
            }
            // A hard line break.
            b'\\' if bytes.get(i + 1) == Some(&b'\n') => i += 1,
            b'`' => {
                let n = text[i..].bytes().take_while(|b| *b == b'`').count();
                let ticks = &text[i..i + n];
                let close = text[i + n..].match_indices(ticks).find(|(at, _)| {
                    let end = i + n + at + n;
                    bytes.get(end) != Some(&b'`') && bytes[i + n + at - 1] != b'`'
                });
                match close {
                    Some((at, _)) => {
                        out.push_str(&decode(&plain));
                        plain.clear();
                        // Code is not decoded: it is shown as written.
                        out.push_str(&text[i + n..i + n + at].replace('\n', " "));
                        i += n + at + n;
                    }
                    None => {
                        plain.push_str(ticks);
                        i += n;
                    }
                }
            }
            b'<' => match angle(&text[i..]) {
                Some((len, keep)) => {
                    plain.push_str(&text[i + 1..i + 1 + keep]);
                    i += len;
                }
                None => {
                    plain.push('<');
                    i += 1;
                }
            },
            b'*' | b'_' => {
                let n = text[i..].bytes().take_while(|b| *b == c).count();
                let before = text[..i].chars().next_back();
                let after = text[i + n..].chars().next();
                let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
                let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
                // Text when white space is on both sides, or an underscore is inside a word.
                let literal = space(before) && space(after) || c == b'_' && word(before) && word(after);
                if literal {
                    plain.push_str(&text[i..i + n]);
                }
                i += n;
            }
            b'!' if bytes.get(i + 1) == Some(&b'[') => i += 1,
            b'[' => match link(&text[i..]) {
                Some((label, len)) => {
                    inline_into(label, &mut plain, out);
                    i += len;
                }
                None => {
                    plain.push('[');
                    i += 1;
                }
            },
            _ => {
                let next = text[i..].find(['\\', '`', '<', '*', '_', '!', '[']).map_or(text.len(), |at| i + at.max(1));
                plain.push_str(&text[i..next]);
                i = next;
            }
        }
    }
    out.push_str(&decode(&plain));
}

/// The text of a link's label goes through the same rules (emphasis and code inside links).
fn inline_into(label: &str, plain: &mut String, out: &mut String) {
    out.push_str(&decode(plain));
    plain.clear();
    inline(label, out);
}

/// At `<`: an autolink keeps its address, a tag or comment goes. The length to skip and how many
/// bytes after the `<` to keep.
fn angle(s: &str) -> Option<(usize, usize)> {
    let end = s.find('>')?;
    let inner = &s[1..end];
    if inner.contains(['<', ' ', '\n']) && !inner.starts_with(|c: char| c.is_ascii_alphabetic() || c == '/' || c == '!')
    {
        return None;
    }
    let scheme = inner.split_once(':').is_some_and(|(scheme, _)| {
        (2..=32).contains(&scheme.len()) && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    if (scheme || inner.contains('@')) && !inner.contains([' ', '\n']) {
        return Some((end + 1, inner.len()));
    }
    let tag = inner.strip_prefix('/').unwrap_or(inner);
    (tag.starts_with(|c: char| c.is_ascii_alphabetic()) || inner.starts_with('!') || inner.starts_with('?'))
        .then_some((end + 1, 0))
}

/// At `[`: a link with its target (`[text](url "title")`, `[text][ref]`): its label and length.
fn link(s: &str) -> Option<(&str, usize)> {
    let close = matching(s, b'[', b']')?;
    let label = &s[1..close];
    let rest = &s[close + 1..];
    if rest.starts_with('(') {
        let end = matching(rest, b'(', b')')?;
        return Some((label, close + 1 + end + 1));
    }
    if rest.starts_with('[') {
        let end = matching(rest, b'[', b']')?;
        return Some((label, close + 1 + end + 1));
    }
    None
}

/// The index of the bracket that closes the one `s` starts with, skipping escaped ones.
fn matching(s: &str, open: u8, close: u8) -> Option<usize> {
    let mut depth = 0usize;
    let mut escaped = false;
    for (i, b) in s.bytes().enumerate() {
        match b {
            _ if escaped => escaped = false,
            b'\\' => escaped = true,
            _ if b == open => depth += 1,
            _ if b == close => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
    }
    None
}
