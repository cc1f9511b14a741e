//! The documents against the code, so that neither drifts alone: the README's attribute table
//! against the element's attributes, the `mount()` options in the published types and what
//! `web/js_object.rs` reads; the `format` values against `Format`; every path that
//! `docs/architecture.md` names; every link between the documents.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use release_embed::feed::Format;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The text between the first `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> &'a str {
    let from = text.find(start).unwrap_or_else(|| panic!("no {start:?}")) + start.len();
    let to = text[from..].find(end).unwrap_or_else(|| panic!("no {end:?} after {start:?}"));
    &text[from..from + to]
}

/// Every `` `code` `` span of a piece of Markdown.
fn code_spans(text: &str) -> Vec<&str> {
    text.split('`').skip(1).step_by(2).collect()
}

/// Every `"quoted"` string of a piece of source.
fn quoted(text: &str) -> Vec<&str> {
    text.split('"').skip(1).step_by(2).collect()
}

fn set<'a>(items: impl IntoIterator<Item = &'a str>) -> BTreeSet<String> {
    items.into_iter().map(str::to_owned).collect()
}

/// The README's attribute table: (attribute, option) for each row, either side possibly empty.
fn readme_attributes() -> Vec<(String, String)> {
    let readme = read("README.md");
    let table = between(&readme, "### Attributes and options", "\n\n###");
    table
        .lines()
        .filter(|line| line.starts_with("| ") && !line.starts_with("| attribute") && !line.starts_with("| ---"))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').map(str::trim).collect();
            // A cell in code is a name; prose such as "(the attribute)" is none.
            let name =
                |cell: &str| if cell.starts_with('`') { cell.trim_matches('`').to_owned() } else { String::new() };
            (name(cells[1]), name(cells[2]))
        })
        .collect()
}

#[test]
fn the_readme_attributes_are_the_elements() {
    let element = read("js/element.js");
    let block = between(&element, "const ATTRIBUTES = {", "};");
    // `attribute: "option"` pairs; the element also reads `id` as the `urlKey` option.
    let mut from_element: BTreeSet<(String, String)> = block
        .lines()
        .filter_map(|line| line.trim().trim_end_matches(',').split_once(": "))
        .map(|(attribute, option)| (attribute.trim_matches('"').to_owned(), option.trim_matches('"').to_owned()))
        .collect();
    assert!(element.contains(r#"[...Object.keys(ATTRIBUTES), "id"]"#) && element.contains("urlKey: element.id"));
    from_element.insert(("id".into(), "urlKey".into()));
    let rows = readme_attributes();
    // An attribute with no option (`theme`) is read by the stylesheet alone.
    let style = read("src/style.css");
    for (attribute, _) in rows.iter().filter(|(a, option)| !a.is_empty() && option.is_empty()) {
        assert!(
            style.contains(&format!("[{attribute}")),
            "README's {attribute} is in neither js/element.js nor src/style.css"
        );
    }
    let from_readme: BTreeSet<(String, String)> =
        rows.into_iter().filter(|(attribute, option)| !attribute.is_empty() && !option.is_empty()).collect();
    assert_eq!(from_readme, from_element, "README's attribute table against js/element.js's ATTRIBUTES");
}

#[test]
fn the_readme_options_are_the_published_types_and_what_the_widget_reads() {
    let from_readme = set(readme_attributes().iter().map(|(_, option)| option.as_str()).filter(|o| !o.is_empty()));
    let types = read("js/release-embed.d.ts");
    let interface = between(&types, "export interface MountOptions {", "\n}");
    let from_types = set(interface.lines().filter_map(|line| line.trim().split_once("?:")).map(|(name, _)| name));
    assert_eq!(from_readme, from_types, "README's options against MountOptions in js/release-embed.d.ts");

    let reader = read("src/web/js_object.rs");
    let body = between(&reader, "pub fn options(", "\n}");
    // The module entry hands a `feed` option to the wasm as `feedText` (JSON text).
    let from_wasm = set(quoted(body).into_iter().filter(|name| *name != "options").map(|name| {
        if name == "feedText" {
            "feed"
        } else {
            name
        }
    }));
    assert_eq!(from_readme, from_wasm, "README's options against what src/web/js_object.rs reads");
}

#[test]
fn the_listed_formats_are_the_readers() {
    let row = readme_attributes().into_iter().find(|(attribute, _)| attribute == "format").expect("a format row");
    let readme = read("README.md");
    let line = readme.lines().find(|l| l.starts_with(&format!("| `{}`", row.0))).unwrap_or_default();
    let meaning = line.rsplit('|').nth(1).unwrap_or_default();
    let listed = set(code_spans(meaning).into_iter().filter(|name| *name != "auto"));
    let known = set(Format::ALL.iter().map(|f| f.name()));
    assert_eq!(listed, known, "README's format values against Format::ALL");
    for name in &listed {
        assert_eq!(Format::from_name(name), Some(Format::ALL.iter().copied().find(|f| f.name() == name)));
    }
    let types = read("js/release-embed.d.ts");
    let union = between(&types, "format?: ", ";");
    let typed = set(quoted(union).into_iter().filter(|name| *name != "auto"));
    assert_eq!(typed, known, "the format union in js/release-embed.d.ts against Format::ALL");
}

/// Whether `name` is a file name (`view.rs`), as opposed to a path or a word in code.
fn is_file_name(name: &str) -> bool {
    let extensions = [".rs", ".js", ".mjs", ".toml", ".css", ".sh", ".ts"];
    !name.contains('/') && extensions.iter().any(|e| name.ends_with(e)) && !name.contains(' ')
}

fn is_path(name: &str) -> bool {
    name.contains('/')
        && !name.contains(' ')
        && !name.contains("://")
        && !name.starts_with('<')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || "/._-*".contains(c))
}

#[test]
fn every_path_in_the_architecture_exists() {
    let doc = read("docs/architecture.md");
    let mut checked = 0;
    for line in doc.lines() {
        let spans = code_spans(line);
        // A file name alone is in the folder its table row (or sentence) names first.
        let folder = spans.iter().find(|s| s.ends_with('/') && is_path(s)).copied();
        for span in spans {
            let path = if is_path(span) {
                // From the root, or (`archive/` in `src/web/`'s row) inside the row's folder.
                let from_root = root().join(span.trim_end_matches('/'));
                match folder {
                    Some(folder) if !from_root.exists() && folder != span => root().join(folder).join(span),
                    _ => from_root,
                }
            } else if is_file_name(span) {
                match folder {
                    Some(folder) => root().join(folder).join(span),
                    None => continue,
                }
            } else {
                continue;
            };
            assert!(path.exists(), "docs/architecture.md names {span}, which is not at {}", path.display());
            checked += 1;
        }
    }
    assert!(checked > 40, "only {checked} paths found: has the document's form changed?");
}

/// GitHub's anchor for a heading: lower case, spaces to dashes, punctuation dropped.
fn anchor(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

fn anchors(markdown: &str) -> BTreeSet<String> {
    markdown.lines().filter(|l| l.starts_with('#')).map(|l| anchor(l.trim_start_matches('#'))).collect()
}

/// `(target)` of every `[text](target)` in a Markdown text, outside code blocks.
fn links(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_code = false;
    for line in markdown.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
        }
        if in_code {
            continue;
        }
        let mut rest = line;
        while let Some(i) = rest.find("](") {
            let after = &rest[i + 2..];
            let Some(end) = after.find(')') else { break };
            out.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    out
}

#[test]
fn the_links_between_the_documents_work() {
    let mut documents =
        vec!["README.md".to_owned(), "CONTRIBUTING.md".into(), "CHANGELOG.md".into(), "bench/README.md".into()];
    for entry in std::fs::read_dir(root().join("docs")).expect("docs/") {
        let name = entry.expect("an entry").file_name().to_string_lossy().into_owned();
        if name.ends_with(".md") {
            documents.push(format!("docs/{name}"));
        }
    }
    let mut checked = 0;
    for document in &documents {
        let text = read(document);
        let folder = Path::new(document).parent().unwrap_or(Path::new(""));
        for target in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            let (file, fragment) = target.split_once('#').unwrap_or((&target, ""));
            let linked = if file.is_empty() { PathBuf::from(document) } else { folder.join(file) };
            let path = root().join(&linked);
            assert!(path.exists(), "{document} links to {target}, which does not exist");
            if !fragment.is_empty() {
                let headings = anchors(&std::fs::read_to_string(&path).unwrap_or_default());
                assert!(headings.contains(fragment), "{document} links to {target}: no such heading");
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "only {checked} links found");
}

#[test]
fn the_readme_is_for_users() {
    let readme = read("README.md");
    let lines = readme.lines().count();
    assert!(lines <= 400, "the README has {lines} lines: move detail into docs/");
}
