//! The filter form's controls in the DOM: reading what the reader changed, updating results and
//! counts in place without taking focus from the control in use, moving focus on purpose.

use wasm_bindgen::JsCast;
use web_sys::{Element, Event, HtmlElement, HtmlInputElement, HtmlSelectElement};

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

/// Updates the announced count and the facet counts in place (their labels are not redrawn, which
/// keeps each keystroke's layout small) and the sort menu.
pub fn update_list_parts(content: &Element, counts: &[(&str, &[u32])], total: &str, sort: Sort) {
    let find = |selector: &str| content.query_selector(selector).ok().flatten();
    for (name, counts) in counts {
        update_facet(content, name, counts);
    }
    if let Some(live) = find("#re-live") {
        live.set_text_content(Some(total));
    }
    // Typing a query switches the default order to relevance; the menu says so.
    if let Some(select) = find("select[name=sort]").and_then(|s| s.dyn_into::<HtmlSelectElement>().ok()) {
        select.set_value(sort.key());
    }
}

/// Sets each value's count, and disables a value that would give nothing (unless it is ticked).
fn update_facet(content: &Element, name: &str, counts: &[u32]) {
    let Ok(inputs) = content.query_selector_all(&format!("input[name={name}]")) else { return };
    for (i, &count) in counts.iter().enumerate() {
        let Some(input) = inputs.item(i as u32).and_then(|n| n.dyn_into::<HtmlInputElement>().ok()) else { return };
        let disabled = count == 0 && !input.checked();
        if input.disabled() != disabled {
            input.set_disabled(disabled);
            if let Some(label) = input.parent_element() {
                let _ = label.class_list().toggle_with_force("re-disabled", disabled);
            }
        }
        if let Some(span) = input.parent_element().and_then(|label| label.last_element_child()) {
            let text = format!("({count})");
            if span.text_content().as_deref() != Some(text.as_str()) {
                span.set_text_content(Some(&text));
            }
        }
    }
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

pub fn search_has_focus(host: &HtmlElement) -> bool {
    let active = host.shadow_root().and_then(|root| root.active_element());
    active.is_some_and(|el| el.class_list().contains("re-search"))
}

/// The id of the element that has focus inside the widget, if it has one.
pub fn focused_id(host: &HtmlElement) -> Option<String> {
    let active = host.shadow_root().and_then(|root| root.active_element())?;
    Some(active.id()).filter(|id| !id.is_empty())
}

/// Focuses the search box with the caret after its text, as if the reader had never left it.
pub fn focus_search_end(content: &Element) {
    let Some(input) = content.query_selector("input.re-search").ok().flatten() else { return };
    let Ok(input) = input.dyn_into::<HtmlInputElement>() else { return };
    let _ = input.focus();
    let end = input.value().encode_utf16().count() as u32;
    let _ = input.set_selection_range(end, end);
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

/// Flips a disclosure button's `aria-expanded` (the stylesheet shows or hides what it controls
/// from that); true when it is now open. The button is not redrawn, so it keeps focus.
pub fn toggle_expanded(button: &Element) -> bool {
    let open = button.get_attribute("aria-expanded").as_deref() != Some("true");
    let _ = button.set_attribute("aria-expanded", if open { "true" } else { "false" });
    open
}

/// Replaces the content of the element `selector` finds, if any.
pub fn set_html(content: &Element, selector: &str, html: &str) {
    if let Ok(Some(el)) = content.query_selector(selector) {
        if el.inner_html() != html {
            el.set_inner_html(html);
        }
    }
}
