//! Reading JSON objects field by field for the feed readers: a field of the wrong kind is
//! dropped with a problem that names the release, never the whole feed.

use serde_json::{Map, Value};

use std::collections::HashSet;

use crate::error::Error;
use crate::model::{Date, Image, Problem, Release};
use crate::url::{resolve, safe_url};

/// Names an entry the way a person reading the feed file would find it: `release #3 ("id")`.
pub fn place(noun: &str, index: usize, id: Option<&str>) -> String {
    match id {
        Some(id) => format!("{noun} #{} (\u{201c}{id}\u{201d})", index + 1),
        None => format!("{noun} #{}", index + 1),
    }
}

/// Reads a list of entries into a feed: `read` makes each release, the first release of each id
/// is kept, and whatever is left out becomes a problem naming the entry (`post #4 ("slug")`).
pub fn read_entries<'a>(
    entries: &'a [Value],
    noun: &str,
    base: &'a str,
    id_of: impl Fn(&Value) -> Option<String>,
    read: impl Fn(&mut Reader<'a>) -> Result<Release, String>,
) -> Result<(Vec<Release>, Vec<Problem>), Error> {
    let mut seen = HashSet::new();
    let mut releases = Vec::with_capacity(entries.len());
    let mut problems = Vec::new();
    let mut undated = Vec::new();
    for (index, entry) in entries.iter().enumerate() {
        let mut r = Reader::new(place(noun, index, id_of(entry).as_deref()), entry, base);
        match read(&mut r) {
            // An entry without an id (JSON Feed requires one; some feeds leave it out) is known
            // by its place, as RSS items are.
            Ok(mut release) if release.id.is_empty() => {
                release.id = format!("{noun}-{}", index + 1);
                push_new(&mut r, release, &mut seen, &mut releases, &mut undated, noun);
            }
            Ok(release) => push_new(&mut r, release, &mut seen, &mut releases, &mut undated, noun),
            Err(message) => r.skip(message),
        }
        problems.append(&mut r.problems);
    }
    problems.extend(super::undated_problem(&format!("{noun}s"), &undated));
    if releases.is_empty() && !entries.is_empty() {
        return Err(Error::NotAFeed { detail: format!("none of its {} {noun}s could be read", entries.len()) });
    }
    Ok((releases, problems))
}

/// Keeps `release` unless an earlier entry has its id; notes it when it is undated.
fn push_new(
    r: &mut Reader,
    release: Release,
    seen: &mut HashSet<String>,
    releases: &mut Vec<Release>,
    undated: &mut Vec<(String, String)>,
    noun: &str,
) {
    if !seen.insert(release.id.clone()) {
        return r.skip(format!("its id is used by an earlier {noun}"));
    }
    if let Some(why) = r.undated.take() {
        undated.push((r.place.clone(), why));
    }
    releases.push(release);
}

pub struct Reader<'a> {
    pub place: String,
    /// Why the entry is undated, when it is (see [`Reader::date`]).
    pub undated: Option<String>,
    obj: Option<&'a Map<String, Value>>,
    /// The feed's address: relative URLs resolve against it.
    base: &'a str,
    pub problems: Vec<Problem>,
}

impl<'a> Reader<'a> {
    pub fn new(place: String, item: &'a Value, base: &'a str) -> Self {
        Reader { place, undated: None, obj: item.as_object(), base, problems: Vec::new() }
    }

    pub fn is_object(&self) -> bool {
        self.obj.is_some()
    }

    pub fn skip(&mut self, message: String) {
        self.problems.push(Problem { place: self.place.clone(), message, skipped: true });
    }

    pub fn ignore(&mut self, message: String) {
        self.problems.push(Problem { place: self.place.clone(), message, skipped: false });
    }

    pub fn field(&self, key: &str) -> Option<&'a Value> {
        self.obj.and_then(|o| o.get(key)).filter(|v| !v.is_null())
    }

    /// A field inside nested objects: `path(&["title", "rendered"])`.
    pub fn path(&self, keys: &[&str]) -> Option<&'a Value> {
        let (first, rest) = keys.split_first()?;
        rest.iter().try_fold(self.field(first)?, |v, k| v.get(k)).filter(|v| !v.is_null())
    }

    /// The date from the first of `keys` that holds a readable one, read by `parse` (given the
    /// key and its text). `None` when none does; why is kept in `undated`.
    pub fn date(&mut self, keys: &[&str], parse: &dyn Fn(&str, &str) -> Result<Date, String>) -> Option<Date> {
        let mut why = None;
        for key in keys {
            let failed = match self.field(key) {
                None => continue,
                Some(Value::String(s)) => match parse(key, s.trim()) {
                    Ok(date) => return Some(date),
                    Err(e) => format!("bad \"{key}\": {e}"),
                },
                Some(other) => format!("its \"{key}\" is {}, not text", kind(other)),
            };
            why = why.or(Some(failed));
        }
        let names: Vec<String> = keys.iter().map(|k| format!("\"{k}\"")).collect();
        self.undated = Some(why.unwrap_or_else(|| format!("it has no date ({})", names.join(", "))));
        None
    }

    pub fn required(&mut self, key: &str) -> Result<String, String> {
        match self.field(key) {
            None => Err(format!("it has no \"{key}\"")),
            Some(Value::String(s)) if !s.trim().is_empty() => Ok(s.trim().to_string()),
            Some(Value::String(_)) => Err(format!("its \"{key}\" is empty")),
            Some(other) => Err(format!("its \"{key}\" is {}, not text", kind(other))),
        }
    }

    /// An optional text field: absent, empty or of the wrong type gives `None`.
    pub fn text(&mut self, key: &str) -> Option<String> {
        let value = self.field(key)?;
        self.as_text(key, value)
    }

    pub fn as_text(&mut self, key: &str, value: &Value) -> Option<String> {
        match value {
            Value::String(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
            other => {
                self.ignore(format!("\"{key}\" is {}, not text", kind(other)));
                None
            }
        }
    }

    /// A URL field, checked and resolved against the feed's address.
    pub fn url(&mut self, key: &str) -> Option<String> {
        let raw = self.text(key)?;
        self.check_url(key, &raw)
    }

    pub fn check_url(&mut self, key: &str, raw: &str) -> Option<String> {
        let url = safe_url(raw).map(|u| resolve(self.base, &u));
        if url.is_none() {
            self.ignore(format!("\"{key}\" \u{201c}{raw}\u{201d} is not an http, https, mailto, tel or relative URL"));
        }
        url
    }

    pub fn list(&mut self, key: &str) -> Vec<&'a Value> {
        match self.field(key) {
            None => Vec::new(),
            Some(Value::Array(items)) => items.iter().collect(),
            Some(other) => {
                self.ignore(format!("\"{key}\" is {}, not a list", kind(other)));
                Vec::new()
            }
        }
    }

    /// A list of strings, trimmed, without repeats.
    pub fn tags(&mut self, key: &str) -> Vec<String> {
        let mut tags: Vec<String> = Vec::new();
        for item in self.list(key) {
            match item.as_str().map(str::trim) {
                Some(t) if !t.is_empty() && !tags.iter().any(|x| x == t) => tags.push(t.to_string()),
                Some(_) => {}
                None => self.ignore(format!("a tag is {}, not text", kind(item))),
            }
        }
        tags
    }

    /// Reads each object of a list with a sub-reader, so that its problems name the release.
    pub fn each<T>(&mut self, key: &str, mut read: impl FnMut(&mut Reader<'a>) -> Result<T, String>) -> Vec<T> {
        let mut out = Vec::new();
        for (i, item) in self.list(key).into_iter().enumerate() {
            let mut sub = Reader::new(self.place.clone(), item, self.base);
            let result = if sub.is_object() { read(&mut sub) } else { Err(format!("it is {}", kind(item))) };
            self.problems.append(&mut sub.problems);
            match result {
                Ok(value) => out.push(value),
                Err(why) => self.ignore(format!("\"{key}\" item #{} left out: {why}", i + 1)),
            }
        }
        out
    }

    /// An image given as `{ url_key, alt_key }` under `key`.
    pub fn image(&mut self, key: &str, url_key: &str, alt_key: &str) -> Option<Image> {
        let obj = self.field(key)?;
        let mut sub = Reader::new(self.place.clone(), obj, self.base);
        let image = sub.url(url_key).map(|url| Image { url, alt: sub.text(alt_key).unwrap_or_default() });
        self.problems.append(&mut sub.problems);
        if image.is_none() {
            self.ignore(format!("\"{key}\" left out: it has no usable \"{url_key}\""));
        }
        image
    }
}

pub fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}
