//! Ordinals that are not simply "in date order, every one a release" (1.6, `stable-ordinals`):
//! a release keeps its ordinal from build to build, so a removed one leaves a hole (listed in its
//! segment) and one added before newer ones is late (listed in the manifest with the ordinal it
//! sorts after). Archives before 1.6 have neither, and every step here is then a no-op.

use super::manifest::{Manifest, Segment};
use super::BLOCK;

/// Where late releases sort.
pub struct Order {
    /// The manifest's late releases, `(ordinal, after)` in date order, which is also the order of
    /// `after` (each one sorts after the last in-order release before it in date order).
    late: Vec<(u32, Option<u32>)>,
    /// Their ordinals, ascending, to tell them apart.
    ordinals: Vec<u32>,
}

impl Order {
    pub fn new(m: &Manifest) -> Order {
        let mut ordinals: Vec<u32> = m.late.iter().map(|l| l.0).collect();
        ordinals.sort_unstable();
        Order { late: m.late.clone(), ordinals }
    }

    /// `found` (in descending ordinals) newest first: each late release moved to just above
    /// the ordinal it sorts after, in one pass.
    pub fn newest_first(&self, found: &mut Vec<u32>) {
        if self.late.is_empty() {
            return;
        }
        // Descending, as `found` is.
        let mut taken: Vec<u32> = Vec::new();
        found.retain(|o| {
            let late = self.ordinals.binary_search(o).is_ok();
            if late {
                taken.push(*o);
            }
            !late
        });
        if taken.is_empty() {
            return;
        }
        // Newest first: the manifest's order reversed (`after: None`, before every release, last).
        let mut late =
            self.late.iter().rev().filter(|l| taken.binary_search_by(|t| l.0.cmp(t)).is_ok()).copied().peekable();
        let mut out = Vec::with_capacity(found.len() + taken.len());
        for &o in found.iter() {
            while let Some((l, _)) = late.next_if(|l| l.1.is_some_and(|after| after >= o)) {
                out.push(l);
            }
            out.push(o);
        }
        out.extend(late.map(|l| l.0));
        *found = out;
    }
}

/// Whether the segment's ordinal `local` has no release.
pub fn is_hole(seg: &Segment, local: u32) -> bool {
    !seg.holes.is_empty() && seg.holes.binary_search(&local).is_ok()
}

/// The place of `local` among its block's releases (card pieces and facet pieces hold only
/// releases), or `None` for a hole.
pub fn place_in_block(seg: &Segment, local: u32) -> Option<u32> {
    if is_hole(seg, local) {
        return None;
    }
    let block_start = local - local % BLOCK;
    Some(local - block_start - holes_between(seg, block_start, local))
}

/// How many of the segment's ordinals `from..to` are holes.
pub fn holes_between(seg: &Segment, from: u32, to: u32) -> u32 {
    (seg.holes.partition_point(|&h| h < to) - seg.holes.partition_point(|&h| h < from)) as u32
}

/// Every ordinal that holds a release, newest ordinal first.
pub fn live_descending(segments: &[Segment]) -> impl Iterator<Item = u32> + '_ {
    segments.iter().rev().flat_map(|seg| (0..seg.len).rev().filter(|&l| !is_hole(seg, l)).map(|l| seg.start + l))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(late: Vec<(u32, Option<u32>)>) -> Order {
        let mut ordinals: Vec<u32> = late.iter().map(|l| l.0).collect();
        ordinals.sort_unstable();
        Order { late, ordinals }
    }

    #[test]
    fn late_releases_go_just_above_the_ordinal_they_sort_after() {
        // 0..5 in date order; 7 and 8 after 2 (7 older), 6 before everything.
        let order = order(vec![(6, None), (7, Some(2)), (8, Some(2))]);
        let mut all: Vec<u32> = (0..9).rev().collect();
        order.newest_first(&mut all);
        assert_eq!(all, [5, 4, 3, 8, 7, 2, 1, 0, 6]);
        // With some releases filtered out, among them the one they sort after.
        let mut some = vec![8, 6, 4, 1];
        order.newest_first(&mut some);
        assert_eq!(some, [4, 8, 1, 6]);
    }
}
