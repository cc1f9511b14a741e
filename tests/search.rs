//! Search and filtering natively against a small fixture: words, accents, prefixes, phrases,
//! facet counts with OR inside a facet and AND across facets, date ranges, ordering, paging.

use release_embed::feed::parse_native;
use release_embed::model::Feed;
use release_embed::search::{evaluate, Catalog, FilterState, Index, IndexBuilder, Outcome, Sort};

fn fixture() -> (Feed, Catalog, Index) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search.json")).unwrap();
    let feed = parse_native(&text).unwrap();
    let mut builder = IndexBuilder::default();
    feed.releases.iter().for_each(|r| builder.add(r));
    let catalog = Catalog::new(&feed.releases);
    (feed, catalog, builder.finish())
}

fn run(state: FilterState) -> (Vec<String>, Outcome) {
    let (feed, catalog, index) = fixture();
    let outcome = evaluate(&state, &catalog, Some(&index), &feed.releases, 10);
    let ids = outcome.page_docs.iter().map(|&d| feed.releases[d].id.clone()).collect();
    (ids, outcome)
}

fn ids_for(query: &str) -> Vec<String> {
    run(FilterState { query: query.into(), sort: Some(Sort::Newest), ..Default::default() }).0
}

#[test]
fn words_are_case_and_accent_insensitive_prefixes_and_all_required() {
    assert_eq!(ids_for("IMMIG"), ["data-2021", "scam-2019", "imm-2018"], "immigration, immigrants, in summary too");
    assert_eq!(ids_for("pena"), ["pena-2019"]);
    assert_eq!(ids_for("PEÑA"), ["pena-2019"]);
    assert_eq!(ids_for("settle privacy"), ["data-2021"], "tags are searched");
    assert_eq!(ids_for("settle deceptive"), ["pena-2019"], "every word is required");
    assert_eq!(ids_for("settle zebra"), Vec::<String>::new());
    assert_eq!(ids_for("criminal"), ["human-2020"], "agency is searched");
}

#[test]
fn quoted_phrases_match_consecutive_words_only() {
    assert_eq!(ids_for("\"human trafficking\""), ["human-2020"]);
    assert_eq!(ids_for("human trafficking"), ["traffic-2020", "human-2020"], "without quotes, anywhere");
    assert_eq!(ids_for("\"human traff"), ["human-2020"], "an unfinished phrase still matches as typed");
}

#[test]
fn title_matches_rank_first_under_relevance() {
    let (ids, outcome) = run(FilterState { query: "settlement".into(), ..Default::default() });
    assert_eq!(outcome.sort, Sort::Relevance);
    assert_eq!(ids, ["data-2021", "pena-2019"], "both in titles: newest first");
    let (ids, _) = run(FilterState { query: "immigration".into(), ..Default::default() });
    assert_eq!(ids[0], "imm-2018", "the title match outranks newer body matches");
}

#[test]
fn facets_or_within_and_across_with_counts_from_the_other_filters() {
    let (feed, catalog, index) = fixture();
    let count = |list: &[String], counts: &[u32], name: &str| counts[list.iter().position(|v| v == name).unwrap()];
    let state = FilterState { tags: vec!["Settlements".into(), "Scams".into()], ..Default::default() };
    let o = evaluate(&state, &catalog, Some(&index), &feed.releases, 10);
    assert_eq!(o.total, 3, "Settlements OR Scams");
    assert_eq!(count(&catalog.tags, &o.tag_counts, "Public Safety"), 2, "tag counts ignore the tag filter itself");
    assert_eq!(count(&catalog.agencies, &o.agency_counts, "Consumer Protection Unit"), 3);
    assert_eq!(count(&catalog.agencies, &o.agency_counts, "Criminal Division"), 0, "zero: shown but disabled");

    let state =
        FilterState { tags: vec!["Settlements".into(), "Scams".into()], years: vec![2019], ..Default::default() };
    let o = evaluate(&state, &catalog, Some(&index), &feed.releases, 10);
    assert_eq!(o.total, 2, "AND across facets");
    assert_eq!(count(&catalog.tags, &o.tag_counts, "Data Privacy"), 0, "2021 only");
    assert_eq!(o.year_counts[catalog.years.iter().position(|&y| y == 2021).unwrap()], 1);
}

#[test]
fn date_ranges_are_inclusive() {
    let (ids, _) =
        run(FilterState { from: Some("2019-07-04".into()), to: Some("2020-05-01".into()), ..Default::default() });
    assert_eq!(ids, ["traffic-2020", "human-2020", "pena-2019"]);
    let (ids, _) = run(FilterState { to: Some("not a date".into()), ..Default::default() });
    assert_eq!(ids.len(), 6, "a bound that is not a date is ignored");
}

#[test]
fn sorting_and_paging() {
    let (ids, _) = run(FilterState { sort: Some(Sort::Oldest), ..Default::default() });
    assert_eq!(ids.first().map(String::as_str), Some("imm-2018"));
    let (feed, catalog, index) = fixture();
    let page2 = evaluate(&FilterState { page: 2, ..Default::default() }, &catalog, Some(&index), &feed.releases, 4);
    assert_eq!((page2.page, page2.pages, page2.page_docs.len()), (2, 2, 2));
    let clamped = evaluate(&FilterState { page: 9, ..Default::default() }, &catalog, Some(&index), &feed.releases, 4);
    assert_eq!(clamped.page, 2);
}

#[test]
fn without_an_index_yet_the_query_waits_but_facets_work() {
    let (feed, catalog, _) = fixture();
    let state = FilterState { query: "zebra".into(), tags: vec!["Public Safety".into()], ..Default::default() };
    assert_eq!(evaluate(&state, &catalog, None, &feed.releases, 10).total, 2);
}

#[test]
fn phrases_with_repeated_words_are_found() {
    let feed = parse_native(r#"{"releases":[{"id":"a","title":"New new new York rules","date":"2020-01-01"},{"id":"b","title":"New York new rules","date":"2020-01-01"}]}"#).unwrap();
    let mut builder = IndexBuilder::default();
    feed.releases.iter().for_each(|r| builder.add(r));
    let (catalog, index) = (Catalog::new(&feed.releases), builder.finish());
    let ids = |q: &str| {
        let o = evaluate(
            &FilterState { query: q.into(), ..Default::default() },
            &catalog,
            Some(&index),
            &feed.releases,
            10,
        );
        o.page_docs.iter().map(|&d| feed.releases[d].id.as_str()).collect::<Vec<_>>()
    };
    assert_eq!(ids("\"new new york\""), ["a"]);
    assert_eq!(ids("\"new york new\""), ["b"]);
    assert_eq!(ids("\"york rul"), ["a"], "an open phrase's last word is a prefix");
}
