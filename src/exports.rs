//! The whole wasm boundary: one class, `Embed`, that the `<release-embed>` element (and later the
//! npm API) drives with whole option objects. Crate errors become JS `Error`s here and only here.

use wasm_bindgen::prelude::*;
use web_sys::HtmlElement;

use crate::error::Error;
use crate::options::Options;
use crate::web::Widget;

#[wasm_bindgen]
pub struct Embed(Widget);

#[wasm_bindgen]
impl Embed {
    /// Renders into `host`'s shadow root and starts loading the feed named in `options`.
    #[wasm_bindgen(constructor)]
    pub fn new(host: HtmlElement, options: JsValue) -> Result<Embed, JsError> {
        let options = read_options(options)?;
        Widget::attach(host, options).map(Embed).map_err(js_error)
    }

    /// Applies a complete new set of options (every attribute, not only the one that changed).
    pub fn update(&self, options: JsValue) -> Result<(), JsError> {
        self.0.update(read_options(options)?);
        Ok(())
    }

    /// Shows release `id`, or the list when `id` is null.
    pub fn open(&self, id: Option<String>) {
        self.0.open(id.as_deref());
    }

    /// Applies a whole filter state (`{ query, tags, agencies, years, from, to, sort, page }`).
    #[wasm_bindgen(js_name = setFilters)]
    pub fn set_filters(&self, state: JsValue) -> Result<(), JsError> {
        let state = crate::web::js_object::filter_state(&state)
            .map_err(|e| JsError::new(&format!("release-embed: invalid filters: {e}")))?;
        self.0.set_filters(state);
        Ok(())
    }

    /// Sets the search text, keeping the other filters.
    #[wasm_bindgen(js_name = setQuery)]
    pub fn set_query(&self, query: String) {
        self.0.set_query(&query);
    }

    /// Loads the feed again.
    pub fn refresh(&self) {
        self.0.refresh();
    }

    /// Removes the widget's content and listeners. Takes `&self` so that it may be called at any
    /// time, from inside a call on this same widget too (wasm-bindgen refuses to take a borrowed
    /// object by value); JS frees the handle a microtask later (`dispose` in js/element.js).
    pub fn destroy(&self) {
        self.0.destroy();
    }
}

/// Hands the wasm the script's loader of lazily loaded parts (`js/parts.js`), once, after it starts.
#[wasm_bindgen(js_name = useParts)]
pub fn use_parts(loader: crate::web::parts::Loader) {
    crate::web::parts::use_loader(loader);
}

fn read_options(value: JsValue) -> Result<Options, JsError> {
    crate::web::js_object::options(&value).map_err(|e| JsError::new(&format!("release-embed: invalid options: {e}")))
}

fn js_error(e: Error) -> JsError {
    JsError::new(&format!("release-embed: {e}"))
}
