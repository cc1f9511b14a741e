//! Applying a [`FilterState`] to a feed: the matching releases in order, the page to show, and
//! for every facet value the number of releases it would give with the other filters applied.
//! Values combine with OR inside a facet, facets with AND.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::index::{Doc, FxHasher, Index, Matches};
use super::query::Query;
use super::state::{FilterState, Sort};
use crate::model::{Date, Release};

const NONE: u32 = u32::MAX;

/// The values in reading order (ignoring case, then exact), and for each value's number in
/// `values` (order of first appearance) its position in that order. Sorting only the distinct
/// values keeps this fast for 100,000 releases with a few tags each.
fn in_reading_order(values: Vec<&str>) -> (Vec<String>, Vec<u32>) {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_unstable_by_key(|&i| (values[i].to_lowercase(), values[i]));
    let mut position = vec![0; values.len()];
    for (at, &i) in order.iter().enumerate() {
        position[i] = at as u32;
    }
    (order.iter().map(|&i| values[i].to_string()).collect(), position)
}

/// Numbers values in order of first appearance.
#[derive(Default)]
struct Interner<'a> {
    ids: HashMap<&'a str, u32, BuildHasherDefault<FxHasher>>,
    values: Vec<&'a str>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, value: &'a str) -> u32 {
        *self.ids.entry(value).or_insert_with(|| {
            self.values.push(value);
            self.values.len() as u32 - 1
        })
    }
}

/// Builds a [`Catalog`] a release at a time, so a large feed's can be built in slices between
/// the browser's turns: the releases of a 100,000-release feed lie scattered among their bodies,
/// and one pass over their tags is one long task (hundreds of ms). Each release is read once,
/// here; [`CatalogBuilder::finish`] only renumbers compact arrays.
#[derive(Default)]
pub struct CatalogBuilder<'a> {
    tags: Interner<'a>,
    agencies: Interner<'a>,
    tag_start: Vec<u32>,
    /// Numbered in order of first appearance until `finish`.
    tag_ids: Vec<u32>,
    agency: Vec<u32>,
    year_of: Vec<Option<i32>>,
    day: Vec<i64>,
}

/// The day of an undated release: outside every date range, after every date.
const UNDATED: i64 = i64::MIN;

impl<'a> CatalogBuilder<'a> {
    /// Adds the next release (in the feed's display order).
    pub fn add(&mut self, r: &'a Release) {
        self.tag_start.push(self.tag_ids.len() as u32);
        for t in &r.tags {
            let id = self.tags.id(t);
            self.tag_ids.push(id);
        }
        let agency = r.agency.as_deref().map_or(NONE, |a| self.agencies.id(a));
        self.agency.push(agency);
        self.year_of.push(r.date.as_ref().map(|d| d.year));
        self.day.push(r.date.as_ref().map_or(UNDATED, Date::day_number));
    }

    pub fn finish(mut self) -> Catalog {
        self.tag_start.push(self.tag_ids.len() as u32);
        let (tags, tag_position) = in_reading_order(self.tags.values);
        let (agencies, agency_position) = in_reading_order(self.agencies.values);
        for id in &mut self.tag_ids {
            *id = tag_position[*id as usize];
        }
        for id in self.agency.iter_mut().filter(|id| **id != NONE) {
            *id = agency_position[*id as usize];
        }
        let mut years: Vec<i32> = self.year_of.iter().flatten().copied().collect();
        years.sort_unstable_by_key(|&y| Reverse(y));
        years.dedup();
        let year = self
            .year_of
            .iter()
            .map(|&y| y.and_then(|y| years.iter().position(|&x| x == y)).map_or(NONE, |i| i as u32))
            .collect();
        Catalog {
            agency: self.agency,
            year,
            day: self.day,
            tag_start: self.tag_start,
            tag_ids: self.tag_ids,
            tags,
            agencies,
            years,
        }
    }
}

/// The facet values of a feed and each release's place among them.
pub struct Catalog {
    /// Alphabetical.
    pub tags: Vec<String>,
    /// Alphabetical.
    pub agencies: Vec<String>,
    /// Newest first.
    pub years: Vec<i32>,
    /// Release `d`'s tags are `tag_ids[tag_start[d]..tag_start[d + 1]]`.
    tag_start: Vec<u32>,
    tag_ids: Vec<u32>,
    agency: Vec<u32>,
    year: Vec<u32>,
    day: Vec<i64>,
}

impl Catalog {
    pub fn new(releases: &[Release]) -> Catalog {
        let mut builder = CatalogBuilder::default();
        releases.iter().for_each(|r| builder.add(r));
        builder.finish()
    }

    fn doc_tags(&self, d: Doc) -> &[u32] {
        &self.tag_ids[self.tag_start[d] as usize..self.tag_start[d + 1] as usize]
    }
}

/// What the list shows for a state.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub total: usize,
    /// The releases on the current page, in order.
    pub page_docs: Vec<Doc>,
    /// 1-based, clamped to `1..=pages`.
    pub page: usize,
    pub pages: usize,
    pub tag_counts: Vec<u32>,
    pub agency_counts: Vec<u32>,
    pub year_counts: Vec<u32>,
    /// The sort actually used.
    pub sort: Sort,
}

/// Applies `state`. Without an index (still being built) the text query is not applied yet.
pub fn evaluate(
    state: &FilterState,
    catalog: &Catalog,
    index: Option<&Index>,
    releases: &[Release],
    page_size: usize,
) -> Outcome {
    let query = Query::parse(&state.query);
    let matches = index.filter(|_| !query.is_empty()).map(|i| i.search(&query, releases));
    outcome(state, catalog, matches.as_ref(), releases.len(), page_size)
}

/// [`evaluate`] with the search already done: `matches` is what the text query matched among the
/// `count` releases, `None` when no query applies. The widget calls this, so that the index's code
/// stays in the search chunk until a reader searches.
pub fn outcome(
    state: &FilterState,
    catalog: &Catalog,
    matches: Option<&Matches>,
    count: usize,
    page_size: usize,
) -> Outcome {
    let chosen = |all_len: usize, ids: Vec<usize>| {
        let mut set = vec![false; all_len];
        ids.into_iter().for_each(|i| set[i] = true);
        set
    };
    let pick = |values: &[String], wanted: &[String]| {
        wanted.iter().filter_map(|w| values.iter().position(|v| v == w)).collect::<Vec<_>>()
    };
    let tag_ids = pick(&catalog.tags, &state.tags);
    let agency_ids = pick(&catalog.agencies, &state.agencies);
    let year_ids: Vec<usize> = state.years.iter().filter_map(|y| catalog.years.iter().position(|v| v == y)).collect();
    let (any_tag, any_agency, any_year) = (tag_ids.is_empty(), agency_ids.is_empty(), year_ids.is_empty());
    let tag_on = chosen(catalog.tags.len(), tag_ids);
    let agency_on = chosen(catalog.agencies.len(), agency_ids);
    let year_on = chosen(catalog.years.len(), year_ids);
    let bound = |d: &Option<String>| d.as_deref().and_then(|d| Date::parse(d).ok()).map(|d| d.day_number());
    let (from, to) = (bound(&state.from), bound(&state.to));
    // An undated release is outside any range, and in the list when no range is set.
    let ranged = from.is_some() || to.is_some();
    let (from, to) = (from.unwrap_or(UNDATED + 1), to.unwrap_or(i64::MAX));

    let mut tag_counts = vec![0u32; catalog.tags.len()];
    let mut agency_counts = vec![0u32; catalog.agencies.len()];
    let mut year_counts = vec![0u32; catalog.years.len()];
    let mut found: Vec<Doc> = Vec::new();
    let mut consider = |d: Doc| {
        let day = catalog.day[d];
        if (ranged || day != UNDATED) && !(from..=to).contains(&day) {
            return;
        }
        let tags = catalog.doc_tags(d);
        let (agency, year) = (catalog.agency[d], catalog.year[d]);
        let has = |on: &[bool], id: u32| on.get(id as usize).copied().unwrap_or(false);
        let pass_tag = any_tag || tags.iter().any(|&t| has(&tag_on, t));
        let pass_agency = any_agency || has(&agency_on, agency);
        let pass_year = any_year || has(&year_on, year);
        if pass_agency && pass_year {
            for &t in tags {
                tag_counts[t as usize] += 1;
            }
        }
        if pass_tag && pass_year && agency != NONE {
            agency_counts[agency as usize] += 1;
        }
        if pass_tag && pass_agency && year != NONE {
            year_counts[year as usize] += 1;
        }
        if pass_tag && pass_agency && pass_year {
            found.push(d);
        }
    };
    match matches {
        Some(m) => m.docs.iter().for_each(&mut consider),
        None => (0..count).for_each(&mut consider),
    }

    let sort = state.sort();
    match (sort, matches) {
        (Sort::Oldest, _) => {
            // Undated releases stay last, as in the feed's order.
            let undated = found.iter().rev().take_while(|&&d| catalog.day[d] == UNDATED).count();
            let dated = found.len() - undated;
            found[..dated].reverse();
        }
        (Sort::Relevance, Some(m)) => found.sort_by_cached_key(|&d| Reverse(m.title_hits(d))),
        _ => {} // newest first is the feed's order
    }
    let page_size = page_size.max(1);
    let pages = found.len().div_ceil(page_size).max(1);
    let page = state.page.clamp(1, pages);
    let page_docs = found.iter().skip((page - 1) * page_size).take(page_size).copied().collect();
    Outcome { total: found.len(), page_docs, page, pages, tag_counts, agency_counts, year_counts, sort }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feed::parse_native;

    #[test]
    fn catalog_values_in_reading_order_whatever_order_they_first_appear() {
        let feed = parse_native(
            r#"{"version":"1","releases":[
              {"id":"a","title":"A","date":"2019-05-01","tags":["scams","Banking"],"agency":"Office B"},
              {"id":"b","title":"B","date":"2021-01-02","tags":["Banking","Antitrust"]},
              {"id":"c","title":"C","date":"2018-03-04","tags":["Scams"],"agency":"office a"}]}"#,
        )
        .unwrap();
        let catalog = Catalog::new(&feed.releases);
        assert_eq!(catalog.tags, ["Antitrust", "Banking", "Scams", "scams"]);
        assert_eq!(catalog.agencies, ["office a", "Office B"]);
        assert_eq!(catalog.years, [2021, 2019, 2018]);
        // Newest first: b, a, c.
        let tag_names =
            |d: Doc| catalog.doc_tags(d).iter().map(|&t| catalog.tags[t as usize].as_str()).collect::<Vec<_>>();
        assert_eq!(tag_names(0), ["Banking", "Antitrust"]);
        assert_eq!(tag_names(1), ["scams", "Banking"]);
        assert_eq!(tag_names(2), ["Scams"]);
        assert_eq!(catalog.agency, [NONE, 1, 0]);
        assert_eq!(catalog.year, [0, 1, 2]);
    }
}
