//! URL keys for widgets given none (no `id` on the element, no `urlKey` option). Each gets its
//! own in the order widgets start, which for the elements of a page as it loads is document order:
//! `re`, `re-2`, `re-3`… So what one keeps in the page URL never reaches another, and a reload
//! gives each widget the key it had.

use std::cell::{Cell, RefCell};
use std::fmt;

use super::page;
use crate::options::DEFAULT_URL_KEY;

thread_local! {
    /// The keys that live widgets hold.
    static HELD: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    static HINTED: Cell<bool> = const { Cell::new(false) };
}

/// A key one widget holds while it lives; dropping it frees the key for a widget added later.
pub struct AutoKey(String);

impl AutoKey {
    pub fn claim() -> AutoKey {
        let key = HELD.with(|held| {
            let mut held = held.borrow_mut();
            let key = first_free(&held);
            held.push(key.clone());
            key
        });
        if key != DEFAULT_URL_KEY && !HINTED.replace(true) {
            page::info(&format!(
                "release-embed: several widgets on this page have no id, so each keeps its state in the \
                 page URL under a key from its place on the page ({DEFAULT_URL_KEY}, {key}, …). Give each \
                 <release-embed> an id (or mount() a urlKey) so that links to them keep working when the \
                 page's widgets change."
            ));
        }
        AutoKey(key)
    }
}

impl fmt::Display for AutoKey {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Drop for AutoKey {
    fn drop(&mut self) {
        HELD.with(|held| held.borrow_mut().retain(|k| *k != self.0));
    }
}

/// The first of `re`, `re-2`, `re-3`… that no live widget holds.
fn first_free(held: &[String]) -> String {
    let nth = |n: usize| if n == 1 { DEFAULT_URL_KEY.to_string() } else { format!("{DEFAULT_URL_KEY}-{n}") };
    (1..=held.len() + 1).map(nth).find(|k| !held.contains(k)).unwrap_or_else(|| nth(held.len() + 1))
}

#[cfg(test)]
mod tests {
    use super::first_free;

    #[test]
    fn keys_follow_the_order_widgets_start_in_and_freed_keys_are_reused() {
        let held = |keys: &[&str]| keys.iter().map(|k| k.to_string()).collect::<Vec<_>>();
        assert_eq!(first_free(&held(&[])), "re");
        assert_eq!(first_free(&held(&["re"])), "re-2");
        assert_eq!(first_free(&held(&["re", "re-2"])), "re-3");
        assert_eq!(first_free(&held(&["re-2"])), "re", "the first widget was removed");
        assert_eq!(first_free(&held(&["re", "re-3"])), "re-2");
    }
}
