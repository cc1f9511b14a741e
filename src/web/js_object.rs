//! The plain objects the page's script hands the wasm (the options, a filter state), read field
//! by field with `Reflect`, and the ones the wasm hands the page (events' details), written the
//! same way. serde_wasm_bindgen's Deserializer did the reading with 5.4 kB more gzip in every
//! first load (its generic visitors and their glue), and its Serializer the writing with about
//! 6 kB more wasm.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::JsValue;

use crate::options::{NumberOrText, Options};
use crate::search::{FilterState, Sort};

/// The options object `js/element.js` and `js/module.js` build (camelCase names). A field of the
/// wrong kind is an error that names it; unknown fields are the script's to refuse.
pub fn options(value: &JsValue) -> Result<Options, String> {
    let o = Fields::of(value, "options")?;
    Ok(Options {
        src: o.text("src")?,
        release: o.text("release")?,
        timeout: o.number_or_text("timeout")?,
        heading_level: o.number_or_text("headingLevel")?,
        section_label: o.text("sectionLabel")?,
        url_key: o.text("urlKey")?,
        page_size: o.number_or_text("pageSize")?,
        filters: o.text("filters")?,
        format: o.text("format")?,
        pages: o.number_or_text("pages")?,
        feed_text: o.text("feedText")?,
        share: o.text("share")?,
        lang: o.text("lang")?,
        max_bytes: o.number_or_text("maxBytes")?,
        layout: o.text("layout")?,
        limit: o.number_or_text("limit")?,
        more_href: o.text("moreHref")?,
        more_label: o.text("moreLabel")?,
        open: o.text("open")?,
        subscribe_href: o.text("subscribeHref")?,
        subscribe_label: o.text("subscribeLabel")?,
    })
}

/// What `setFilters()` takes: `{ query, tags, agencies, years, from, to, sort, page }`, each
/// optional.
pub fn filter_state(value: &JsValue) -> Result<FilterState, String> {
    let o = Fields::of(value, "filters")?;
    let sort = match o.text("sort")? {
        None => None,
        Some(key) => {
            Some(Sort::from_key(&key).ok_or(format!("sort \u{201c}{key}\u{201d} is not relevance, newest or oldest"))?)
        }
    };
    Ok(FilterState {
        query: o.text("query")?.unwrap_or_default(),
        tags: o.list("tags", JsValue::as_string)?,
        agencies: o.list("agencies", JsValue::as_string)?,
        years: o.list("years", |v| v.as_f64().filter(|n| n.fract() == 0.0 && n.abs() < 1e6).map(|n| n as i32))?,
        from: o.text("from")?,
        to: o.text("to")?,
        sort,
        page: match o.get("page") {
            None => 0,
            Some(v) => {
                v.as_f64().filter(|n| *n >= 0.0 && n.fract() == 0.0).ok_or("page is not a whole number")? as usize
            }
        },
    })
}

/// A plain object with these properties, in this order.
pub fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// The `release-embed:filter` event's detail: the filter state with the names [`filter_state`]
/// reads (`setFilters()` takes it back as it is). Absent bounds and sort are `undefined`.
pub fn filter_detail(state: &FilterState) -> JsValue {
    let texts = |list: &[String]| list.iter().map(|t| JsValue::from_str(t)).collect::<Array>().into();
    let text = |t: &Option<String>| t.as_deref().map_or(JsValue::UNDEFINED, JsValue::from_str);
    object(&[
        ("query", state.query.as_str().into()),
        ("tags", texts(&state.tags)),
        ("agencies", texts(&state.agencies)),
        ("years", state.years.iter().map(|&y| JsValue::from(y)).collect::<Array>().into()),
        ("from", text(&state.from)),
        ("to", text(&state.to)),
        ("sort", state.sort.map_or(JsValue::UNDEFINED, |s| s.key().into())),
        ("page", (state.page as f64).into()),
    ])
}

struct Fields<'a> {
    object: &'a JsValue,
}

impl<'a> Fields<'a> {
    fn of(object: &'a JsValue, what: &str) -> Result<Self, String> {
        match object.is_object() {
            true => Ok(Fields { object }),
            false => Err(format!("{what} must be an object")),
        }
    }

    /// The field's value; `undefined` and `null` are absent.
    fn get(&self, key: &str) -> Option<JsValue> {
        Reflect::get(self.object, &JsValue::from_str(key)).ok().filter(|v| !v.is_undefined() && !v.is_null())
    }

    fn text(&self, key: &str) -> Result<Option<String>, String> {
        self.get(key).map(|v| v.as_string().ok_or(format!("{key} is not text"))).transpose()
    }

    fn number_or_text(&self, key: &str) -> Result<Option<NumberOrText>, String> {
        let read = |v: JsValue| match (v.as_f64(), v.as_string()) {
            (Some(n), _) => Ok(NumberOrText::Number(n)),
            (_, Some(t)) => Ok(NumberOrText::Text(t)),
            _ => Err(format!("{key} is not a number or text")),
        };
        self.get(key).map(read).transpose()
    }

    fn list<T>(&self, key: &str, item: impl Fn(&JsValue) -> Option<T>) -> Result<Vec<T>, String> {
        let Some(value) = self.get(key) else { return Ok(Vec::new()) };
        let wrong = || format!("{key} is not a list of the right kind");
        if !Array::is_array(&value) {
            return Err(wrong());
        }
        Array::from(&value).iter().map(|v| item(&v).ok_or_else(wrong)).collect()
    }
}
