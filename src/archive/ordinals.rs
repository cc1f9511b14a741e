//! Which ordinal each release gets. A release keeps the ordinal the previous build gave it (1.6):
//! a removed release leaves a hole, a new one (of any date) takes the next ordinal, so a change
//! rewrites the pieces that hold that release and no others. Releases whose ordinal is out of
//! date order are listed as late, with the ordinal each sorts after. Past a few holes or late
//! releases (every one costs the manifest a few bytes, and the reader a step), the releases are
//! numbered anew in date order, cut at the previous segments' edges ([`segment_plan`]): a
//! compaction that rewrites the segments around the changes.

use std::collections::{HashMap, VecDeque};

use super::{add_tail, segment_plan, Key, Segment, BLOCK};
use crate::model::Release;

/// The releases numbered: the release at each ordinal (`None`: a hole), the segments, and the
/// late releases as the manifest lists them.
pub struct Ordinals<'r> {
    pub releases: Vec<Option<&'r Release>>,
    pub layout: Vec<(u32, u32)>,
    pub late: Vec<(u32, Option<u32>)>,
}

/// What the previous build numbered: its segments and the id at each of its ordinals.
pub struct Numbered<'a> {
    pub segments: &'a [Segment],
    pub members: Option<&'a [Option<String>]>,
}

/// Holes and late releases allowed before the releases are numbered anew: about one in 64,
/// and never more than 256 (the manifest, read on every first visit, lists them).
fn limit(ordinals: usize) -> usize {
    (ordinals / 64).clamp(16, 256)
}

/// Numbers `dated` (oldest first; releases of one instant in the reverse of the feed's order).
pub fn assign<'r>(dated: &[&'r Release], previous: Option<Numbered<'_>>) -> Ordinals<'r> {
    let segments = previous.as_ref().map_or(&[][..], |p| p.segments);
    if let Some(kept) = previous.and_then(|p| Some((p.segments, p.members?))).and_then(|(s, m)| keep(dated, s, m)) {
        return kept;
    }
    let keys: Vec<Key<'_>> =
        dated.iter().map(|r| (r.date.as_ref().map_or(0, |d| d.timestamp()), r.id.as_str())).collect();
    Ordinals {
        releases: dated.iter().map(|&r| Some(r)).collect(),
        layout: segment_plan(&keys, segments),
        late: Vec::new(),
    }
}

/// The previous ordinals kept, when they are known and the holes and late releases are few.
/// The previous full segments stay; the previous tail's releases and the new ones follow them
/// in date order (the tail is written again in any case).
fn keep<'r>(dated: &[&'r Release], segments: &[Segment], members: &[Option<String>]) -> Option<Ordinals<'r>> {
    let total: usize = segments.iter().map(|s| s.len as usize).sum();
    if segments.is_empty() || members.len() != total {
        return None;
    }
    let kept = match segments.last() {
        Some(tail) if tail.len < BLOCK => &segments[..segments.len() - 1],
        _ => segments,
    };
    let kept_end = kept.last().map_or(0, |s| s.start + s.len);
    let mut places: HashMap<&str, VecDeque<u32>> = HashMap::new();
    for (o, id) in members[..kept_end as usize].iter().enumerate() {
        if let Some(id) = id {
            places.entry(id.as_str()).or_default().push_back(o as u32);
        }
    }
    let mut releases: Vec<Option<&Release>> = vec![None; kept_end as usize];
    // The ordinal of each release in date order (new ones after the kept ones, in date order).
    let mut order: Vec<u32> = Vec::with_capacity(dated.len());
    let mut new = Vec::new();
    for (i, &r) in dated.iter().enumerate() {
        match places.get_mut(r.id.as_str()).and_then(VecDeque::pop_front) {
            Some(o) => {
                releases[o as usize] = Some(r);
                order.push(o);
            }
            None => {
                order.push(0);
                new.push(i);
            }
        }
    }
    for i in new {
        order[i] = u32::try_from(releases.len()).ok()?;
        releases.push(Some(dated[i]));
    }
    let holes = releases.iter().filter(|r| r.is_none()).count();
    let late = late(&order);
    if holes + late.len() > limit(releases.len()) {
        return None;
    }
    let mut layout: Vec<(u32, u32)> = kept.iter().map(|s| (s.start, s.len)).collect();
    add_tail(&mut layout, kept_end, releases.len() as u32);
    Some(Ordinals { releases, layout, late })
}

/// The fewest releases to call late so that the others' ordinals rise with their dates: those
/// off a longest increasing run of `order` (the ordinals in date order), each with the ordinal
/// of the last release before it on that run (`None` if there is none), in date order.
fn late(order: &[u32]) -> Vec<(u32, Option<u32>)> {
    // Patience sorting: `ends[k]` is the place in `order` of the smallest last ordinal of an
    // increasing run of length k + 1; `before[i]`, the place before `i` on its run.
    let mut ends: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; order.len()];
    for (i, &o) in order.iter().enumerate() {
        let k = ends.partition_point(|&e| order[e] < o);
        before[i] = k.checked_sub(1).map(|k| ends[k]);
        if k == ends.len() {
            ends.push(i);
        } else {
            ends[k] = i;
        }
    }
    let mut on_run = vec![false; order.len()];
    let mut at = ends.last().copied();
    while let Some(i) = at {
        on_run[i] = true;
        at = before[i];
    }
    let mut last_on_run = None;
    let mut out = Vec::new();
    for (i, &o) in order.iter().enumerate() {
        if on_run[i] {
            last_on_run = Some(o);
        } else {
            out.push((o, last_on_run));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Releases `ids` oldest first, a day apart from 2020-01-01 (or on the day given after `@`).
    fn feed(ids: &[&str]) -> crate::model::Feed {
        let releases: Vec<serde_json::Value> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let (id, day) = id.split_once('@').unwrap_or((id, ""));
                let day = if day.is_empty() { i + 1 } else { day.parse().unwrap() };
                serde_json::json!({ "id": id, "title": id, "date": format!("2020-01-{day:02}") })
            })
            .rev()
            .collect();
        crate::feed::parse(&serde_json::json!({ "version": "1", "releases": releases }).to_string(), None, "").unwrap()
    }

    fn dated(feed: &crate::model::Feed) -> Vec<&Release> {
        feed.releases.iter().rev().collect()
    }

    /// The ids at each ordinal (`-` for a hole).
    fn ids(o: &Ordinals<'_>) -> Vec<String> {
        o.releases.iter().map(|r| r.map_or("-".to_string(), |r| r.id.clone())).collect()
    }

    /// One full segment of `BLOCK` releases and a tail of 3, as the previous build left them.
    fn previous() -> (Vec<Segment>, Vec<Option<String>>) {
        let n = BLOCK as usize + 3;
        let members = (0..n).map(|i| Some(format!("r{i}"))).collect();
        (vec![Segment::bare(0, BLOCK), Segment::bare(BLOCK, 3)], members)
    }

    /// `r0`… with their dates in `r{i}` order (day numbers only matter in relation).
    fn named(n: usize, changed: impl Fn(&mut Vec<String>)) -> Vec<String> {
        let mut names: Vec<String> = (0..n).map(|i| format!("r{i}@{}", 1 + i / 40)).collect();
        changed(&mut names);
        names
    }

    #[test]
    fn a_rebuild_keeps_each_releases_ordinal_with_holes_and_late_releases() {
        let (segments, members) = previous();
        let n = BLOCK as usize + 3;
        // r5 removed, r1025 (in the old tail) removed, `old` added on r10's day, `new` at the end.
        let names = named(n, |names| {
            names.remove(1025);
            names.remove(5);
            names.insert(10, "old@1".into());
            names.push("new@28".into());
        });
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let feed = feed(&names);
        let got = assign(&dated(&feed), Some(Numbered { segments: &segments, members: Some(&members) }));
        let ids = ids(&got);
        assert_eq!(ids[5], "-", "a hole where r5 was");
        assert_eq!(ids[4..7], ["r4", "-", "r6"]);
        assert_eq!(ids[1023], "r1023");
        // The old tail and the new releases after the full segment, in date order.
        assert_eq!(ids[1024..], ["old", "r1024", "r1026", "new"]);
        assert_eq!(got.late, [(1024, Some(10))], "`old` sorts after r10, the release before it by date");
        assert_eq!(got.layout, [(0, BLOCK), (BLOCK, 4)]);
    }

    #[test]
    fn many_holes_or_late_releases_number_the_releases_anew() {
        let (segments, members) = previous();
        let n = BLOCK as usize + 3;
        let names = named(n, |names| names.retain(|name| !name.starts_with("r1") || name.len() > 7));
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let feed = feed(&names);
        let got = assign(&dated(&feed), Some(Numbered { segments: &segments, members: Some(&members) }));
        assert!(got.releases.iter().all(Option::is_some) && got.late.is_empty(), "compacted: no hole, none late");
        assert_eq!(got.releases.len(), names.len());
        // Without the previous ordinals (or with a map of another length): numbered anew too.
        let short = &members[1..];
        for members in [None, Some(short)] {
            let got = assign(&dated(&feed), Some(Numbered { segments: &segments, members }));
            assert!(got.releases.iter().all(Option::is_some) && got.late.is_empty());
        }
    }

    #[test]
    fn releases_sharing_an_id_keep_their_ordinals_in_date_order() {
        let (segments, mut members) = previous();
        members[7] = Some("twin".into());
        members[9] = Some("twin".into());
        let names = named(BLOCK as usize + 3, |_| {});
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        // A feed is read with one release per id; a merged or hand-made one can still share ids.
        let mut feed = feed(&names);
        let n = feed.releases.len();
        (feed.releases[n - 1 - 7].id, feed.releases[n - 1 - 9].id) = ("twin".into(), "twin".into());
        let got = assign(&dated(&feed), Some(Numbered { segments: &segments, members: Some(&members) }));
        assert!(got.late.is_empty() && got.releases.iter().all(Option::is_some));
        assert_eq!(ids(&got)[7..10], ["twin", "r8", "twin"]);
    }

    #[test]
    fn late_releases_are_the_fewest_out_of_order() {
        assert_eq!(late(&[0, 1, 2, 3]), []);
        // A release added before older ones took the next ordinal, 4.
        assert_eq!(late(&[0, 1, 4, 2, 3]), [(4, Some(1))]);
        // Before every release; and two added at once, after the same one.
        assert_eq!(late(&[5, 0, 1, 2, 3, 4]), [(5, None)]);
        assert_eq!(late(&[0, 6, 7, 1, 2, 3, 4, 5]), [(6, Some(0)), (7, Some(0))]);
        assert_eq!(late(&[]), []);
    }
}
