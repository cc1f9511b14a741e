//! The page around the widget: its URL and history, the console, the clipboard, date formatting
//! and the widget's stylesheet. Small wrappers, so `mod.rs` reads as widget logic.

use std::cell::RefCell;

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{CssStyleSheet, ShadowRoot, Window};

use crate::error::{Error, Result};
use crate::model::Date;
use crate::url::with_param;

// The widget's stylesheet (src/style.css, minified by build.rs). The release build's list view
// takes the page script's copy instead (js/first.js shows lists with it before the wasm arrives).
#[cfg(feature = "inline-style")]
use crate::render::STYLESHEET as CSS;

pub fn window() -> Result<Window> {
    web_sys::window().ok_or_else(|| Error::Browser { detail: "no window".into() })
}

pub fn browser(e: JsValue) -> Error {
    let detail = e.dyn_ref::<js_sys::Error>().map(|e| String::from(e.message())).or_else(|| e.as_string());
    Error::Browser {
        detail: detail
            .or_else(|| js_sys::JSON::stringify(&e).ok().and_then(|s| s.as_string()))
            .unwrap_or_else(|| "unknown error".into()),
    }
}

/// Dispatches `release-embed:<name>` on the element, with `detail`, in a microtask: after the call
/// that caused it has returned and the widget's state is released, so a listener may change,
/// remove or move the widget, and the page's code never runs inside the widget's. It bubbles and
/// crosses shadow boundaries, so a listener anywhere above the element hears it.
pub fn emit(host: &web_sys::HtmlElement, name: &str, detail: &JsValue) {
    let init = web_sys::CustomEventInit::new();
    init.set_bubbles(true);
    init.set_composed(true);
    init.set_detail(detail);
    let Ok(event) = web_sys::CustomEvent::new_with_event_init_dict(&format!("release-embed:{name}"), &init) else {
        return;
    };
    // `host.dispatchEvent` bound in JS: no Rust code is on the stack when the listeners run.
    let Ok(dispatch) = Reflect::get(host, &"dispatchEvent".into()) else { return };
    let dispatch = dispatch.unchecked_into::<js_sys::Function>().bind1(host, &event);
    if let Some(window) = web_sys::window() {
        window.queue_microtask(dispatch.unchecked_ref());
    }
}

/// Puts structured data for search engines beside the widget (in the element's light DOM, where
/// crawlers read it; a data block, never run), or removes it with `None`.
pub fn set_json_ld(host: &web_sys::HtmlElement, json: Option<&str>) {
    let existing = host.query_selector(":scope > script[type='application/ld+json']").ok().flatten();
    match (existing, json) {
        (Some(script), Some(json)) => script.set_text_content(Some(json)),
        (Some(script), None) => script.remove(),
        (None, Some(json)) => {
            let Some(document) = host.owner_document() else { return };
            if let Ok(script) = document.create_element("script") {
                let _ = script.set_attribute("type", "application/ld+json");
                script.set_text_content(Some(json));
                let _ = host.append_child(&script);
            }
        }
        (None, None) => {}
    }
}

pub fn info(message: &str) {
    web_sys::console::info_1(&message.into());
}

pub fn warn(message: &str) {
    web_sys::console::warn_1(&message.into());
}

pub fn error(message: &str) {
    web_sys::console::error_1(&message.into());
}

/// The page URL with this widget's parameter set to `id` (or removed): absolute, so a host page's
/// `<base href>` cannot send the link elsewhere.
pub fn page_url(param: &str, id: Option<&str>) -> String {
    url_with_search(&with_param(&current_search(), param, id))
}

/// This page's address with another query string (`?…`).
pub fn url_with_search(search: &str) -> String {
    let Some(location) = web_sys::window().map(|w| w.location()) else {
        return String::new();
    };
    let (origin, path) = (location.origin().unwrap_or_default(), location.pathname().unwrap_or_default());
    format!("{origin}{path}{search}")
}

pub fn current_search() -> String {
    web_sys::window().and_then(|w| w.location().search().ok()).unwrap_or_default()
}

/// A history state object that marks entries the widget made, so "All press releases" can step
/// back instead of stacking a new entry, and typing can update its entry instead of adding one
/// per keystroke. `typing` holds the widget's URL key while its search box is being typed in.
const STATE_KEY: &str = "releaseEmbed";
const TYPING_KEY: &str = "releaseEmbedTyping";

fn history_state(typing: Option<&str>) -> Result<Object> {
    let state = Object::new();
    Reflect::set(&state, &STATE_KEY.into(), &JsValue::TRUE).map_err(browser)?;
    if let Some(key) = typing {
        Reflect::set(&state, &TYPING_KEY.into(), &key.into()).map_err(browser)?;
    }
    Ok(state)
}

pub fn push_url(url: &str, typing: Option<&str>) -> Result<()> {
    let state = history_state(typing)?;
    window()?.history().map_err(browser)?.push_state_with_url(&state, "", Some(url)).map_err(browser)
}

pub fn replace_url(url: &str, typing: Option<&str>) -> Result<()> {
    let state = history_state(typing)?;
    window()?.history().map_err(browser)?.replace_state_with_url(&state, "", Some(url)).map_err(browser)
}

fn current_state() -> Option<JsValue> {
    web_sys::window().and_then(|w| w.history().ok()).and_then(|h| h.state().ok()).filter(JsValue::is_object)
}

pub fn came_from_widget() -> bool {
    current_state().is_some_and(|s| Reflect::get(&s, &STATE_KEY.into()).is_ok_and(|v| v.is_truthy()))
}

/// True when the current history entry was made by typing into this widget's search box.
pub fn typing_entry(key: &str) -> bool {
    current_state()
        .is_some_and(|s| Reflect::get(&s, &TYPING_KEY.into()).ok().and_then(|v| v.as_string()).as_deref() == Some(key))
}

pub fn go_back() -> Result<()> {
    window()?.history().map_err(browser)?.back().map_err(browser)
}

/// Resolves `url` against `base` (the page, or the feed's address).
pub fn absolute(url: &str, base: &str) -> Option<String> {
    web_sys::Url::new_with_base(url, base).ok().map(|u| u.href())
}

pub fn document_base() -> String {
    web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten()).unwrap_or_default()
}

/// Formats dates with the browser's `Intl`, in `locale`, as the calendar date the feed gives.
pub struct DateFormat(Option<js_sys::Intl::DateTimeFormat>);

impl DateFormat {
    pub fn new(locale: &str) -> DateFormat {
        let options = Object::new();
        for (k, v) in [("year", "numeric"), ("month", "long"), ("day", "numeric"), ("timeZone", "UTC")] {
            let _ = Reflect::set(&options, &k.into(), &v.into());
        }
        let locales = Array::of1(&locale.into());
        // An unknown locale makes the constructor throw; `Reflect::construct` turns that into `Err`.
        let format = Reflect::get(&js_sys::global(), &"Intl".into())
            .and_then(|intl| Reflect::get(&intl, &"DateTimeFormat".into()))
            .and_then(|class| {
                Reflect::construct(class.unchecked_ref::<js_sys::Function>(), &Array::of2(&locales, &options))
            })
            .ok()
            .map(JsCast::unchecked_into);
        DateFormat(format)
    }

    pub fn format(&self, date: &Date) -> String {
        let Some(format) = &self.0 else {
            return date.english();
        };
        let millis = js_sys::Date::utc(f64::from(date.year), f64::from(date.month) - 1.0)
            + (f64::from(date.day) - 1.0) * 86_400_000.0;
        let js_date = js_sys::Date::new(&millis.into());
        format
            .format()
            .call1(&JsValue::UNDEFINED, &js_date)
            .ok()
            .and_then(|s| s.as_string())
            .unwrap_or_else(|| date.english())
    }
}

/// A moment (milliseconds since 1970) as a date for the reader: "November 29, 2026".
pub fn format_day(ms: f64, locale: &str) -> String {
    let options = Object::new();
    for (k, v) in [("year", "numeric"), ("month", "long"), ("day", "numeric")] {
        let _ = Reflect::set(&options, &k.into(), &v.into());
    }
    String::from(js_sys::Date::new(&ms.into()).to_locale_date_string(locale, &options))
}

/// The reader's language for dates: the nearest `lang` on the page, else the browser's.
pub fn locale(host: &web_sys::Element) -> String {
    let from_page =
        host.closest("[lang]").ok().flatten().and_then(|e| e.get_attribute("lang")).filter(|l| !l.trim().is_empty());
    from_page.or_else(|| web_sys::window().and_then(|w| w.navigator().language())).unwrap_or_else(|| "en".into())
}

thread_local! {
    static SHEET: RefCell<Option<CssStyleSheet>> = const { RefCell::new(None) };
}

/// Styles the shadow root with one constructed stylesheet shared by every widget on the page.
/// Constructed stylesheets are not inline styles, so a strict `style-src 'self'` allows them.
pub fn adopt_styles(root: &ShadowRoot) -> Result<()> {
    let sheet = SHEET.with(|cell| -> Result<CssStyleSheet> {
        if let Some(sheet) = cell.borrow().as_ref() {
            return Ok(sheet.clone());
        }
        #[cfg(feature = "inline-style")]
        let sheet = {
            let sheet = CssStyleSheet::new().map_err(browser)?;
            sheet.replace_sync(CSS).map_err(browser)?;
            sheet
        };
        #[cfg(not(feature = "inline-style"))]
        let sheet = super::first::style_sheet()?;
        *cell.borrow_mut() = Some(sheet.clone());
        Ok(sheet)
    })?;
    root.set_adopted_style_sheets(&Array::of1(&sheet));
    Ok(())
}

pub fn has_native_share() -> bool {
    web_sys::window().is_some_and(|w| Reflect::has(&w.navigator(), &"share".into()).unwrap_or(false))
}

pub fn native_share(title: &str, url: &str) -> Result<js_sys::Promise> {
    let data = web_sys::ShareData::new();
    data.set_title(title);
    data.set_url(url);
    Ok(window()?.navigator().share_with_data(&data))
}

/// Starts copying `text`; `None` when this page has no Clipboard API (an insecure context).
pub fn copy_text(text: &str) -> Option<js_sys::Promise> {
    let navigator = web_sys::window()?.navigator();
    let clipboard = Reflect::get(&navigator, &"clipboard".into()).ok().filter(|c| c.is_object())?;
    Some(clipboard.unchecked_into::<web_sys::Clipboard>().write_text(text))
}

/// Prints the release alone: while the print dialog is open, a stylesheet on the page (not inside
/// the widget, which cannot reach the rest of the page) hides everything but this element.
pub fn print(host: &web_sys::HtmlElement) -> Result<()> {
    const MARK: &str = "data-re-printing";
    const PAGE_PRINT_CSS: &str = "@media print { body * { visibility: hidden !important; } \
        release-embed[data-re-printing] { visibility: visible !important; position: absolute !important; \
        inset: 0 auto auto 0 !important; width: 100% !important; } }";
    let document = host.owner_document().ok_or_else(|| Error::Browser { detail: "no document".into() })?;
    let sheet = CssStyleSheet::new().map_err(browser)?;
    sheet.replace_sync(PAGE_PRINT_CSS).map_err(browser)?;
    let sheets = document.adopted_style_sheets();
    sheets.push(&sheet);
    document.set_adopted_style_sheets(&sheets);
    host.set_attribute(MARK, "").map_err(browser)?;
    let printed = window()?.print().map_err(browser);
    // print() returns when the dialog closes; the page goes back to how it was.
    let _ = host.remove_attribute(MARK);
    let kept = Array::new();
    for s in document.adopted_style_sheets().iter() {
        if s != JsValue::from(&sheet) {
            kept.push(&s);
        }
    }
    document.set_adopted_style_sheets(&kept);
    printed
}
