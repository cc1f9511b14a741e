//! The widget's stylesheet travels inside the wasm, so it is minified on the way: comments and
//! white space go (about 1 kB gzip of every first load). src/style.css stays the readable source.

use std::{env, fs, path::Path};

fn main() {
    println!("cargo::rerun-if-changed=src/style.css");
    let css = fs::read_to_string("src/style.css").expect("src/style.css");
    let out = Path::new(&env::var("OUT_DIR").expect("OUT_DIR")).join("style.css");
    fs::write(out, minify(&css)).expect("writing the minified stylesheet");
}

/// Drops comments, collapses white space, and removes it where CSS does not need it: around
/// braces, after `;` and `,`, before `!`, and after the colon of a declaration (`color: red`).
/// Other spaces around `:` stay: in a selector they separate a descendant from a pseudo-class.
fn minify(css: &str) -> String {
    let mut text = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        text.push_str(&rest[..start]);
        rest = rest[start..].find("*/").map_or("", |end| &rest[start + end + 2..]);
    }
    text.push_str(rest);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(collapsed.len());
    let chars: Vec<char> = collapsed.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        let prev = out.chars().last();
        let next = chars.get(i + 1).copied();
        let tight = |x: Option<char>| matches!(x, Some('{' | '}' | ';' | ','));
        if c == ' ' && (tight(prev) || matches!(next, Some('{' | '}' | '!')) || prev.is_none()) {
            continue;
        }
        if c == ' ' && prev == Some(':') {
            let segment = out.rsplit(['{', ';']).next().unwrap_or("");
            let name = &segment[..segment.len() - 1];
            if !name.is_empty() && name.chars().all(|ch| ch.is_ascii_lowercase() || ch == '-') {
                continue;
            }
        }
        out.push(c);
    }
    out.replace(";}", "}")
}
