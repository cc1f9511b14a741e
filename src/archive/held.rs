//! Pieces kept in memory within a byte budget, so a long session on a large archive holds about
//! what its recent views read, not everything it ever fetched. Views are numbered: a piece read
//! or added is marked with the current view; when the pieces pass the budget, those unused the
//! longest go first (down to three quarters of it, so eviction runs now and then, not on every
//! piece), but never one the current view has read or added. A view needing more than the budget
//! still completes, and the excess goes when the next view adds a piece.

use std::borrow::Borrow;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;

pub struct Held<K> {
    pieces: HashMap<K, (Arc<[u8]>, u64)>,
    bytes: usize,
    budget: usize,
    view: u64,
}

impl<K: Eq + Hash + Clone> Held<K> {
    pub fn new(budget: usize) -> Held<K> {
        Held { pieces: HashMap::new(), bytes: 0, budget, view: 0 }
    }

    /// The pieces read or added from now on belong to the next view.
    pub fn next_view(&mut self) {
        self.view += 1;
    }

    pub fn get<Q: Eq + Hash + ?Sized>(&mut self, key: &Q) -> Option<Arc<[u8]>>
    where
        K: Borrow<Q>,
    {
        let (bytes, used) = self.pieces.get_mut(key)?;
        *used = self.view;
        Some(bytes.clone())
    }

    pub fn insert(&mut self, key: K, bytes: Arc<[u8]>) {
        self.bytes += bytes.len();
        if let Some((old, _)) = self.pieces.insert(key, (bytes, self.view)) {
            self.bytes -= old.len();
        }
        if self.bytes > self.budget {
            self.evict();
        }
    }

    pub fn remove<Q: Eq + Hash + ?Sized>(&mut self, key: &Q)
    where
        K: Borrow<Q>,
    {
        if let Some((old, _)) = self.pieces.remove(key) {
            self.bytes -= old.len();
        }
    }

    /// The bytes held.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    fn evict(&mut self) {
        let mut older: Vec<(u64, K, usize)> = self
            .pieces
            .iter()
            .filter(|(_, (_, used))| *used < self.view)
            .map(|(key, (bytes, used))| (*used, key.clone(), bytes.len()))
            .collect();
        older.sort_unstable_by_key(|(used, _, _)| *used);
        let target = self.budget / 4 * 3;
        for (_, key, len) in older {
            if self.bytes <= target {
                break;
            }
            self.pieces.remove(&key);
            self.bytes -= len;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(len: usize) -> Arc<[u8]> {
        vec![0u8; len].into()
    }

    #[test]
    fn the_pieces_unused_longest_go_first_and_never_the_current_views() {
        let mut held = Held::new(1000);
        for i in 0..4 {
            held.insert(i, piece(200));
            held.next_view();
        }
        // Piece 0 read again: now the most recent but for the current view's.
        assert!(held.get(&0).is_some());
        held.next_view();
        held.insert(10, piece(300)); // 1,100 bytes: over, so down to at most 750
        assert_eq!(held.bytes(), 700);
        assert!(held.get(&1).is_none() && held.get(&2).is_none(), "the two unused longest went");
        assert!(held.get(&3).is_some() && held.get(&0).is_some() && held.get(&10).is_some());
    }

    #[test]
    fn a_view_larger_than_the_budget_keeps_its_pieces_until_the_next_view() {
        let mut held = Held::new(1000);
        held.insert("old", piece(500));
        held.next_view();
        for i in 0..6 {
            held.insert(["a", "b", "c", "d", "e", "f"][i], piece(400));
        }
        assert!(held.get(&"old").is_none(), "the earlier view's piece made room");
        assert_eq!(held.bytes(), 2400, "all of the current view's pieces stay");
        held.next_view();
        held.insert("g", piece(100));
        assert!(held.bytes() <= 750, "{} bytes after the next view's first piece", held.bytes());
    }

    #[test]
    fn replacing_or_removing_a_piece_keeps_the_count_right() {
        let mut held = Held::new(1000);
        held.insert("a", piece(100));
        held.insert("a", piece(300));
        assert_eq!(held.bytes(), 300);
        held.remove(&"a");
        held.remove(&"a");
        assert_eq!(held.bytes(), 0);
    }
}
