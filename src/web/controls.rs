//! The filter form's controls in the DOM: reading what the reader changed, updating results and
//! counts in place without taking focus from the control in use, moving focus on purpose.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement, ShadowRoot};

use crate::search::{FilterState, Sort};

/// One change the reader made in the filter form.
pub enum Change {
    Query(String),
    Toggle { facet: String, value: String, on: bool },
    From(String),
    To(String),
    Sort(String),
}

impl Change {
    /// Applies the change; true when it is typing in the search box.
    pub fn apply(self, state: &mut FilterState) -> bool {
        let date = |d: String| Some(d).filter(|d| !d.is_empty());
        match self {
            Change::Query(q) => {
                state.query = q;
                return true;
            }
            Change::Toggle { facet, value, on } => match facet.as_str() {
                "tag" => toggle(&mut state.tags, value, on),
                "agency" => toggle(&mut state.agencies, value, on),
                _ => {
                    if let Ok(year) = value.parse() {
                        toggle(&mut state.years, year, on);
                    }
                }
            },
            Change::From(d) => state.from = date(d),
            Change::To(d) => state.to = date(d),
            Change::Sort(s) => state.sort = Sort::from_key(&s),
        }
        false
    }
}

fn toggle<T: PartialEq>(list: &mut Vec<T>, value: T, on: bool) {
    list.retain(|v| *v != value);
    if on {
        list.push(value);
    }
}

/// What an `input` or `change` event from the filter form changed, if anything. Text and date
/// fields answer to `input` (every keystroke); checkboxes and the sort menu to `change`.
pub fn read_change(event: &Event) -> Option<Change> {
    let target = event.target()?;
    if let Some(select) = target.dyn_ref::<HtmlSelectElement>() {
        return (select.name() == "sort" && event.type_() == "change").then(|| Change::Sort(select.value()));
    }
    let input = target.dyn_ref::<HtmlInputElement>()?;
    let (name, value) = (input.name(), input.value());
    match (name.as_str(), event.type_().as_str()) {
        ("q", "input") => Some(Change::Query(value)),
        ("from", "input") => Some(Change::From(value)),
        ("to", "input") => Some(Change::To(value)),
        ("tag" | "agency" | "year", "change") => Some(Change::Toggle { facet: name, value, on: input.checked() }),
        _ => None,
    }
}

/// Replaces the results, the facet counts and the announced count. Returns false when the list
/// view is not on screen (the caller then renders it whole).
pub fn replace_list_parts(
    root: &ShadowRoot,
    content: &Element,
    results: &str,
    facets: &str,
    count: &str,
    sort: Sort,
) -> bool {
    let find = |selector: &str| content.query_selector(selector).ok().flatten();
    let Some(results_el) = find(".re-results") else {
        return false;
    };
    results_el.set_inner_html(results);
    if let Some(facets_el) = find(".re-facets") {
        // A ticked box keeps focus although its group is redrawn.
        let focused = root
            .active_element()
            .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
            .filter(|i| i.type_() == "checkbox");
        facets_el.set_inner_html(facets);
        if let Some(input) = focused {
            focus(
                content,
                &format!("input[name=\"{}\"][value=\"{}\"]", css_escape(&input.name()), css_escape(&input.value())),
            );
        }
    }
    if let Some(live) = find("#re-live") {
        live.set_text_content(Some(count));
    }
    // Typing a query switches the default order to relevance; the menu says so.
    if let Some(select) = find("select[name=sort]").and_then(|s| s.dyn_into::<HtmlSelectElement>().ok()) {
        select.set_value(sort.key());
    }
    true
}

/// Turns the search box on once the index is ready.
pub fn enable_search(content: &Element) {
    if let Ok(Some(input)) = content.query_selector("input.re-search") {
        let _ = input.remove_attribute("disabled");
    }
    if let Ok(Some(hint)) = content.query_selector("#re-q-hint") {
        hint.set_text_content(None);
    }
}

pub fn focus(content: &Element, selector: &str) {
    if let Some(el) = content.query_selector(selector).ok().flatten().and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

/// Escapes text for a double-quoted CSS attribute selector.
pub fn css_escape(value: &str) -> String {
    value.chars().flat_map(|c| if c == '"' || c == '\\' { vec!['\\', c] } else { vec![c] }).collect()
}
