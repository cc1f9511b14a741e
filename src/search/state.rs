//! The reader's filters, and how they live in the page URL: `?<key>-q=…&<key>-tag=…`, namespaced
//! by the widget's key so several widgets and the host page's own parameters do not collide.

use serde::{Deserialize, Serialize};

use crate::url::{query_param, query_params, replace_params};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Sort {
    Relevance,
    Newest,
    Oldest,
}

impl Sort {
    pub const ALL: [Sort; 3] = [Sort::Relevance, Sort::Newest, Sort::Oldest];

    pub fn key(self) -> &'static str {
        match self {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
            Sort::Oldest => "oldest",
        }
    }

    pub fn from_key(key: &str) -> Option<Sort> {
        Sort::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// Also what `setFilters()` takes and the `release-embed:filter` event carries (camelCase in JS).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FilterState {
    pub query: String,
    pub tags: Vec<String>,
    pub agencies: Vec<String>,
    pub years: Vec<i32>,
    /// Inclusive bounds as `YYYY-MM-DD`, as an `<input type="date">` gives them.
    pub from: Option<String>,
    pub to: Option<String>,
    /// `None`: relevance while there is a query, else newest first.
    pub sort: Option<Sort>,
    /// 1-based.
    pub page: usize,
}

impl FilterState {
    pub fn sort(&self) -> Sort {
        match self.sort {
            Some(sort) => sort,
            None if self.query.trim().is_empty() => Sort::Newest,
            None => Sort::Relevance,
        }
    }

    pub fn is_filtered(&self) -> bool {
        !self.query.trim().is_empty()
            || !self.tags.is_empty()
            || !self.agencies.is_empty()
            || !self.years.is_empty()
            || self.from.is_some()
            || self.to.is_some()
    }

    pub fn from_search(search: &str, key: &str) -> FilterState {
        let p = |name: &str| query_param(search, &format!("{key}-{name}")).filter(|v| !v.trim().is_empty());
        let all = |name: &str| query_params(search, &format!("{key}-{name}"));
        FilterState {
            query: p("q").unwrap_or_default(),
            tags: all("tag"),
            agencies: all("agency"),
            years: all("year").iter().filter_map(|y| y.parse().ok()).collect(),
            from: p("from"),
            to: p("to"),
            sort: p("sort").and_then(|s| Sort::from_key(&s)),
            page: p("page").and_then(|n| n.parse().ok()).unwrap_or(1).max(1),
        }
    }

    /// `search` (the page's query string) with this widget's parameters set to this state; the
    /// open release, if any, is closed.
    pub fn to_search(&self, search: &str, key: &str) -> String {
        let name = |n: &str| format!("{key}-{n}");
        let mut add: Vec<(String, String)> = Vec::new();
        if !self.query.trim().is_empty() {
            add.push((name("q"), self.query.clone()));
        }
        add.extend(self.tags.iter().map(|t| (name("tag"), t.clone())));
        add.extend(self.agencies.iter().map(|a| (name("agency"), a.clone())));
        add.extend(self.years.iter().map(|y| (name("year"), y.to_string())));
        add.extend(self.from.iter().map(|d| (name("from"), d.clone())));
        add.extend(self.to.iter().map(|d| (name("to"), d.clone())));
        add.extend(self.sort.map(|s| (name("sort"), s.key().to_string())));
        if self.page > 1 {
            add.push((name("page"), self.page.to_string()));
        }
        let pairs: Vec<(&str, &str)> = add.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        replace_params(search, |k| is_param_of(k, key), &pairs)
    }
}

/// What follows a widget's key in its page-URL parameters (`<key>-q`…), the open release's too.
const PARAMS: [&str; 9] = ["q", "tag", "agency", "year", "from", "to", "sort", "page", "release"];

/// True when `name` is one of the parameters of the widget keyed `key`. Matched whole, so that a
/// widget keyed `news` leaves `news-2-q` (the widget keyed `news-2`) alone.
fn is_param_of(name: &str, key: &str) -> bool {
    name.strip_prefix(key).and_then(|rest| rest.strip_prefix('-')).is_some_and(|rest| PARAMS.contains(&rest))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_url_beside_other_parameters() {
        let state = FilterState {
            query: "peña \"human trafficking\"".into(),
            tags: vec!["Consumer Protection".into(), "Scams".into()],
            agencies: vec!["Civil Rights Division".into()],
            years: vec![2018, 2019],
            from: Some("2018-01-01".into()),
            to: Some("2019-12-31".into()),
            sort: Some(Sort::Oldest),
            page: 3,
        };
        let search = state.to_search("?utm=x&news-release=abc&other-q=keep", "news");
        assert!(search.starts_with("?utm=x&other-q=keep&news-q=pe%C3%B1a%20%22human%20trafficking%22&news-tag=Consumer%20Protection&news-tag=Scams"), "{search}");
        assert!(!search.contains("news-release"));
        assert_eq!(FilterState::from_search(&search, "news"), state);
        assert_eq!(FilterState::from_search(&search, "other").query, "keep");
    }

    #[test]
    fn a_key_that_begins_another_leaves_its_parameters_alone() {
        let theirs = "?news-2-q=budget&news-2-release=x&news-2-tag=Scams&news-q=old&news-release=y&news-x=host";
        let mine = FilterState { query: "fraud".into(), ..Default::default() };
        let search = mine.to_search(theirs, "news");
        assert_eq!(search, "?news-2-q=budget&news-2-release=x&news-2-tag=Scams&news-x=host&news-q=fraud");
        assert_eq!(FilterState::from_search(&search, "news-2").query, "budget");
        assert_eq!(FilterState::from_search(&search, "news-2").tags, ["Scams"]);
        assert_eq!(FilterState::from_search(&search, "news").query, "fraud");
        let theirs_cleared = FilterState::default().to_search(&search, "news-2");
        assert_eq!(theirs_cleared, "?news-x=host&news-q=fraud");
    }

    #[test]
    fn defaults_and_nonsense() {
        let state = FilterState::from_search("?re-page=zero&re-sort=loudest&re-year=abc&re-q=", "re");
        assert_eq!(state, FilterState { page: 1, ..Default::default() });
        assert_eq!(state.sort(), Sort::Newest);
        assert_eq!(FilterState { query: "x".into(), ..Default::default() }.sort(), Sort::Relevance);
        assert_eq!(FilterState::default().to_search("?a=1&re-q=x", "re"), "?a=1");
    }
}
