//! The results area in the DOM from one keystroke to the next. Each release's `<li>` is made once
//! from the HTML `render` gives and kept by release id: a keystroke parses only the entries that
//! are new (or whose HTML changed, such as new highlights, which it sets inside the same `<li>`),
//! leaves in place the entries that are already in order, and moves the fewest others. The count
//! line keeps its element and changes its text; the page navigation is replaced only when its
//! HTML changed.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlTemplateElement};

use crate::render::{ListItem, Results, ResultsList};

/// How many entries are kept beyond those on screen: enough to bring back the previous few
/// keystrokes' results without parsing them again (Backspace), not a copy of a whole large feed.
/// (Entries are found by a linear search: a few hundred short ids, no hash table code in the wasm.)
const KEPT: usize = 300;

#[derive(Default)]
pub(super) struct Items {
    /// The entries made so far, one per release id (at most [`KEPT`] more than are on screen).
    known: Vec<Known>,
    /// The ids of the `<li>`s in the list on screen, in order, as this last left them.
    shown: Vec<String>,
    /// The page navigation's HTML as last drawn.
    pager: String,
    /// Parses new entries: a template's content is inert, so the images of cards load only once
    /// an entry is on screen.
    template: Option<HtmlTemplateElement>,
}

struct Known {
    id: String,
    class: &'static str,
    inner: String,
    li: Element,
}

impl Items {
    /// The list view was drawn whole (its HTML holds `results`): takes its entries as they are,
    /// so the next keystroke keeps them. `None`: no list on screen; forgets everything.
    pub(super) fn adopt(&mut self, content: &Element, results: Option<Results>) {
        self.known.clear();
        self.shown.clear();
        self.pager.clear();
        let Some(results) = results else { return };
        if let Ok(Some(root)) = content.query_selector(".re-results") {
            self.take(&root, results);
        }
    }

    /// Shows `results` in the results area `root`, changing only what changed.
    pub(super) fn update(&mut self, root: &Element, results: Results) {
        if !matches!(self.patch(root, &results), Ok(true)) {
            // Another shape (no results before, or now): drawn whole, which is small then.
            root.set_inner_html(&results.html());
            self.known.clear();
            self.take(root, results);
        }
        if self.known.len() > KEPT + self.shown.len() {
            let shown = &self.shown;
            self.known.retain(|k| shown.contains(&k.id));
        }
    }

    /// Records the entries that `results`' HTML put in `root`.
    fn take(&mut self, root: &Element, results: Results) {
        self.pager = results.pager;
        self.shown.clear();
        let ResultsList::Items { items, .. } = results.list else { return };
        let Ok(Some(list)) = root.query_selector(":scope > ul") else { return };
        let mut li = list.first_element_child();
        for item in items {
            let Some(el) = li else { break };
            li = el.next_element_sibling();
            if !self.shown.contains(&item.id) {
                self.known.push(Known { id: item.id.clone(), class: item.class, inner: item.inner, li: el });
            }
            self.shown.push(item.id);
        }
    }

    /// Updates the results area in place; `Ok(false)` when what is there has another shape.
    fn patch(&mut self, root: &Element, results: &Results) -> Result<bool, JsValue> {
        let mut next = root.first_element_child();
        match (&results.count, &next) {
            (Some(text), Some(count)) if count.id() == "re-count" => {
                if count.text_content().as_deref() != Some(text.as_str()) {
                    count.set_text_content(Some(text));
                }
                next = count.next_element_sibling();
            }
            (None, Some(first)) if first.id() != "re-count" => {}
            _ => return Ok(false),
        }
        let ResultsList::Items { class, items } = &results.list else { return Ok(false) };
        let Some(list) = next.filter(|l| l.tag_name() == "UL" && l.class_name() == *class) else { return Ok(false) };
        if !self.place(&list, items)? {
            return Ok(false);
        }
        if self.pager != results.pager {
            if let Some(nav) = list.next_element_sibling() {
                nav.remove();
            }
            list.insert_adjacent_html("afterend", &results.pager)?;
            self.pager.clone_from(&results.pager);
        }
        Ok(true)
    }

    /// Puts one `<li>` per entry in `list`, in order: kept ones where they are when they are in
    /// order, new ones parsed together in one go. `Ok(false)` when the list is not as last left.
    fn place(&mut self, list: &Element, items: &[ListItem]) -> Result<bool, JsValue> {
        let mut old = Vec::with_capacity(self.shown.len());
        let mut li = list.first_element_child();
        while let Some(el) = li {
            li = el.next_element_sibling();
            old.push(el);
        }
        if old.len() != self.shown.len() {
            return Ok(false);
        }
        // An element for each entry: the kept one (its inside redrawn if its HTML changed), or
        // one parsed below. An id seen twice gets a fresh element the second time.
        let mut els: Vec<Option<Element>> = Vec::with_capacity(items.len());
        let mut kept = Vec::with_capacity(items.len());
        let mut fresh = String::new();
        let mut fresh_at = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let first = !items[..i].iter().any(|earlier| earlier.id == item.id);
            match self.known.iter_mut().find(|k| first && k.id == item.id && k.class == item.class) {
                Some(k) => {
                    if k.inner != item.inner {
                        k.li.set_inner_html(&item.inner);
                        k.inner.clone_from(&item.inner);
                    }
                    els.push(Some(k.li.clone()));
                    kept.push(true);
                }
                None => {
                    item.push_html(&mut fresh);
                    fresh_at.push((i, first));
                    els.push(None);
                    kept.push(false);
                }
            }
        }
        if !fresh.is_empty() {
            let template = self.template(list)?;
            template.set_inner_html(&fresh);
            let mut li = template.content().first_element_child();
            for (i, first) in fresh_at {
                let el = li.ok_or_else(|| JsValue::from_str("an entry did not parse as one <li>"))?;
                li = el.next_element_sibling();
                let item = &items[i];
                if first {
                    self.known.retain(|k| k.id != item.id);
                    let known =
                        Known { id: item.id.clone(), class: item.class, inner: item.inner.clone(), li: el.clone() };
                    self.known.push(known);
                }
                els[i] = Some(el);
            }
        }
        let els: Vec<Element> = els.into_iter().flatten().collect();
        if els.len() != items.len() {
            return Err(JsValue::from_str("an entry has no element"));
        }

        // Where each kept entry was; the longest run of them already in order stays put.
        let shown = &self.shown;
        let unique_before = shown.iter().enumerate().all(|(i, id)| !shown[..i].contains(id));
        let before: Vec<Option<usize>> = items
            .iter()
            .zip(&kept)
            .map(|(item, &kept)| shown.iter().position(|id| *id == item.id).filter(|_| kept && unique_before))
            .collect();
        let stays = longest_in_order(&before);
        let mut reused = vec![false; old.len()];
        for &i in before.iter().flatten() {
            reused[i] = true;
        }
        for (el, reused) in old.iter().zip(reused) {
            if !reused {
                el.remove();
            }
        }
        let mut anchor: Option<&Element> = None;
        for (el, stay) in els.iter().zip(&stays).rev() {
            if !stay {
                list.insert_before(el, anchor.map(|a| a.as_ref()))?;
            }
            anchor = Some(el);
        }
        self.shown = items.iter().map(|i| i.id.clone()).collect();
        Ok(true)
    }

    fn template(&mut self, near: &Element) -> Result<HtmlTemplateElement, JsValue> {
        if let Some(t) = &self.template {
            return Ok(t.clone());
        }
        let document = near.owner_document().ok_or_else(|| JsValue::from_str("no document"))?;
        let t: HtmlTemplateElement = document.create_element("template")?.dyn_into()?;
        self.template = Some(t.clone());
        Ok(t)
    }
}

/// Marks the longest run of positions that rise from left to right (`None`s never stay): those
/// entries keep their place, the others move around them.
fn longest_in_order(before: &[Option<usize>]) -> Vec<bool> {
    // tails[k]: the index (into `before`) ending the best rising run of length k + 1 found so far.
    let mut tails: Vec<usize> = Vec::new();
    let mut prev: Vec<Option<usize>> = vec![None; before.len()];
    for (i, b) in before.iter().enumerate() {
        let Some(b) = *b else { continue };
        let k = tails.partition_point(|&t| before[t].is_some_and(|v| v < b));
        prev[i] = k.checked_sub(1).map(|k| tails[k]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut stays = vec![false; before.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        stays[i] = true;
        at = prev[i];
    }
    stays
}

#[cfg(test)]
mod tests {
    use super::longest_in_order;

    fn staying(before: &[Option<usize>]) -> Vec<usize> {
        let stays = longest_in_order(before);
        before.iter().zip(stays).filter(|(_, s)| *s).filter_map(|(b, _)| *b).collect()
    }

    #[test]
    fn the_longest_rising_run_stays_and_new_entries_never_do() {
        assert_eq!(staying(&[]), Vec::<usize>::new());
        assert_eq!(staying(&[None, None]), Vec::<usize>::new());
        assert_eq!(staying(&[Some(0), Some(1), Some(2)]), [0, 1, 2]);
        // One entry moved from the end to the front: only it moves.
        assert_eq!(staying(&[Some(3), Some(0), Some(1), Some(2)]), [0, 1, 2]);
        // The first moved to the end.
        assert_eq!(staying(&[Some(1), Some(2), Some(3), Some(0)]), [1, 2, 3]);
        assert_eq!(staying(&[Some(2), None, Some(0), Some(5), None, Some(1), Some(3)]), [0, 1, 3]);
        assert_eq!(staying(&[Some(4), Some(3), Some(2)]).len(), 1);
    }
}
