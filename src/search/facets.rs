//! Applying a [`FilterState`] to a feed: the matching releases in order, the page to show, and
//! for every facet value the number of releases it would give with the other filters applied.
//! Values combine with OR inside a facet, facets with AND.

use std::cmp::Reverse;
use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::index::{Doc, FxHasher, Index};
use super::query::Query;
use super::state::{FilterState, Sort};
use crate::model::{Date, Release};

const NONE: u32 = u32::MAX;

/// The distinct values in reading order (ignoring case, then exact), and each value's position.
/// Sorting only the distinct values keeps this fast for 100,000 releases with a few tags each.
fn distinct<'a>(
    values: impl Iterator<Item = &'a str>,
) -> (Vec<String>, HashMap<&'a str, u32, BuildHasherDefault<FxHasher>>) {
    let mut ids: HashMap<&str, u32, BuildHasherDefault<FxHasher>> = HashMap::default();
    for v in values {
        ids.entry(v).or_insert(0);
    }
    let mut list: Vec<&str> = ids.keys().copied().collect();
    list.sort_unstable_by_key(|v| (v.to_lowercase(), *v));
    for (i, v) in list.iter().enumerate() {
        ids.insert(v, i as u32);
    }
    (list.into_iter().map(str::to_string).collect(), ids)
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
        let (tags, tag_id) = distinct(releases.iter().flat_map(|r| r.tags.iter().map(String::as_str)));
        let (agencies, agency_id) = distinct(releases.iter().filter_map(|r| r.agency.as_deref()));
        let mut years: Vec<i32> = releases.iter().map(|r| r.date.year).collect();
        years.sort_unstable_by_key(|&y| Reverse(y));
        years.dedup();
        let mut tag_start = Vec::with_capacity(releases.len() + 1);
        let mut tag_ids = Vec::new();
        for r in releases {
            tag_start.push(tag_ids.len() as u32);
            tag_ids.extend(r.tags.iter().map(|t| tag_id[t.as_str()]));
        }
        tag_start.push(tag_ids.len() as u32);
        Catalog {
            agency: releases.iter().map(|r| r.agency.as_deref().map_or(NONE, |a| agency_id[a])).collect(),
            year: releases
                .iter()
                .map(|r| years.iter().position(|&y| y == r.date.year).map_or(NONE, |i| i as u32))
                .collect(),
            day: releases.iter().map(|r| r.date.day_number()).collect(),
            tag_start,
            tag_ids,
            tags,
            agencies,
            years,
        }
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
    let (from, to) = (bound(&state.from).unwrap_or(i64::MIN), bound(&state.to).unwrap_or(i64::MAX));

    let mut tag_counts = vec![0u32; catalog.tags.len()];
    let mut agency_counts = vec![0u32; catalog.agencies.len()];
    let mut year_counts = vec![0u32; catalog.years.len()];
    let mut found: Vec<Doc> = Vec::new();
    let mut consider = |d: Doc| {
        if !(from..=to).contains(&catalog.day[d]) {
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
    match &matches {
        Some(m) => m.docs.iter().for_each(&mut consider),
        None => (0..releases.len()).for_each(&mut consider),
    }

    let sort = state.sort();
    match (sort, &matches) {
        (Sort::Oldest, _) => found.reverse(),
        (Sort::Relevance, Some(m)) => found.sort_by_cached_key(|&d| Reverse(m.title_hits(d))),
        _ => {} // newest first is the feed's order
    }
    let page_size = page_size.max(1);
    let pages = found.len().div_ceil(page_size).max(1);
    let page = state.page.clamp(1, pages);
    let page_docs = found.iter().skip((page - 1) * page_size).take(page_size).copied().collect();
    Outcome { total: found.len(), page_docs, page, pages, tag_counts, agency_counts, year_counts, sort }
}
