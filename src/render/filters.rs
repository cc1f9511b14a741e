//! The list view with its filter panel: search box, facets with counts, dates, sort, the result
//! count, highlighted matches and page navigation.

use super::layouts::{self, count_text};
use super::{item, Context};
use crate::model::Feed;
use crate::options::{Controls, Layout, Presentation};
use crate::search::text::for_each_word;
use crate::search::{Catalog, FilterState, Outcome, Query, Sort};
use crate::text::escape::{push, Esc};

/// Everything the list view shows for one state of the filters.
pub struct ListView<'a> {
    pub feed: &'a Feed,
    pub catalog: &'a Catalog,
    pub state: &'a FilterState,
    pub outcome: &'a Outcome,
    pub controls: &'a Controls,
    /// False while the search index is still being built.
    pub search_ready: bool,
    /// Why the search cannot get ready (its code did not arrive), for the reader; with Try again.
    pub search_problem: Option<&'a str>,
    /// The href of another page of results.
    pub page_link: &'a dyn Fn(usize) -> String,
    /// When the network failed and a kept copy is shown: the date it was saved, for the reader.
    pub saved_on: Option<&'a str>,
    /// When the feed was longer than the size limit and only its beginning was read: the limit,
    /// for the reader ("100 MB").
    pub over_limit: Option<&'a str>,
    /// Layout, limit, where titles lead, the links around the list.
    pub presentation: &'a Presentation,
    /// Whether the reader opened the filters behind the Filter button (narrow widths).
    pub filters_open: bool,
}

/// The whole list view. Later changes replace only [`facets`] and [`results`].
pub fn list_view(v: &ListView, cx: &Context) -> String {
    list_view_with(v, cx, &results_parts(v, cx))
}

/// [`list_view`] around results already rendered (the DOM layer keeps their items).
pub fn list_view_with(v: &ListView, cx: &Context, results: &Results) -> String {
    let l = cx.labels;
    let mut out = String::new();
    push(&mut out, format_args!(r#"<section class="re-list" aria-label="{0}">"#, Esc(cx.section_label)));
    layouts::list_head(&mut out, v, cx);
    if let Some(date) = v.saved_on {
        push(
            &mut out,
            format_args!(
                r#"<div class="re-notice re-warning" role="status"><p>{}</p><p><button type="button" class="re-button" data-re-action="retry">{}</button></p></div>"#,
                Esc(&l.saved_copy.replace("{date}", date)),
                Esc(l.retry)
            ),
        );
    }
    // A feed cut at the limit also breaks off; the limit is the reason the reader can act on.
    if let Some(size) = v.over_limit {
        push(
            &mut out,
            format_args!(r#"<p class="re-notice re-warning">{}</p>"#, Esc(&l.over_limit.replace("{size}", size))),
        );
    } else if v.feed.cut_off {
        push(&mut out, format_args!(r#"<p class="re-notice re-warning">{}</p>"#, Esc(l.cut_off)));
    }
    let controls = v.presentation.controls(*v.controls);
    if controls.any() {
        push(&mut out, format_args!(r#"<form class="re-filters" role="search" aria-label="{}">"#, Esc(l.filter_name)));
        if controls.search {
            let hint = match (v.search_ready, v.search_problem) {
                (true, _) => "",
                (false, Some(problem)) => problem,
                (false, None) => l.preparing_search,
            };
            push(
                &mut out,
                format_args!(
                    r#"<div class="re-field re-field-search"><label for="re-q">{}</label><input id="re-q" class="re-search" type="search" name="q" value="{}" autocomplete="off" spellcheck="false" aria-describedby="re-q-hint"{}><span id="re-q-hint" class="re-hint">{}</span>"#,
                    Esc(l.search),
                    Esc(&v.state.query),
                    if v.search_ready { "" } else { " disabled" },
                    Esc(hint)
                ),
            );
            if v.search_problem.is_some() && !v.search_ready {
                push(
                    &mut out,
                    format_args!(
                        r#" <button type="button" class="re-button" data-re-action="retry">{}</button>"#,
                        Esc(l.retry)
                    ),
                );
            }
            out.push_str("</div>");
        }
        let panel = Controls { search: false, ..controls }.any();
        if panel {
            layouts::filter_toggle(&mut out, v, cx);
            out.push_str(r#"<div class="re-filter-panel" id="re-filter-panel">"#);
        }
        push(&mut out, format_args!(r#"<div class="re-facets">{}</div>"#, facets(v, cx)));
        if controls.dates {
            push(
                &mut out,
                format_args!(
                    r#"<fieldset class="re-dates"><legend>{}</legend><label>{} <input type="date" name="from" value="{}"></label><label>{} <input type="date" name="to" value="{}"></label></fieldset>"#,
                    Esc(l.dates),
                    Esc(l.from),
                    Esc(v.state.from.as_deref().unwrap_or("")),
                    Esc(l.to),
                    Esc(v.state.to.as_deref().unwrap_or(""))
                ),
            );
        }
        if controls.sort {
            push(
                &mut out,
                format_args!(
                    r#"<div class="re-field re-field-sort"><label for="re-sort">{}</label><select id="re-sort" name="sort">"#,
                    Esc(l.sort_by)
                ),
            );
            for sort in Sort::ALL {
                let label = match sort {
                    Sort::Relevance => l.relevance,
                    Sort::Newest => l.newest,
                    Sort::Oldest => l.oldest,
                };
                let selected = if v.outcome.sort == sort { " selected" } else { "" };
                push(&mut out, format_args!(r#"<option value="{}"{selected}>{}</option>"#, sort.key(), Esc(label)));
            }
            out.push_str("</select></div>");
        }
        if panel {
            out.push_str("</div>");
        }
        out.push_str("</form>");
    }
    push(
        &mut out,
        format_args!(
            r#"<p class="re-visually-hidden" id="re-live" role="status" aria-live="polite">{}</p>"#,
            Esc(&count_text(v, l))
        ),
    );
    push(&mut out, format_args!(r#"<div class="re-results">{}</div>"#, results.html()));
    layouts::more_link(&mut out, v, cx);
    out.push_str("</section>");
    out
}

/// The facet groups: every value with the count it would give; a value that would give nothing
/// stays visible but disabled (unless it is ticked, so it can be unticked).
pub fn facets(v: &ListView, cx: &Context) -> String {
    let l = cx.labels;
    let mut out = String::new();
    let years: Vec<String> = v.catalog.years.iter().map(i32::to_string).collect();
    let picked_years: Vec<String> = v.state.years.iter().map(i32::to_string).collect();
    let groups = [
        FacetGroup {
            shown: v.controls.tags,
            name: "tag",
            legend: l.topics,
            values: &v.catalog.tags,
            counts: &v.outcome.tag_counts,
            picked: &v.state.tags,
        },
        FacetGroup {
            shown: v.controls.agencies,
            name: "agency",
            legend: l.offices,
            values: &v.catalog.agencies,
            counts: &v.outcome.agency_counts,
            picked: &v.state.agencies,
        },
        FacetGroup {
            shown: v.controls.years,
            name: "year",
            legend: l.years,
            values: &years,
            counts: &v.outcome.year_counts,
            picked: &picked_years,
        },
    ];
    for g in groups {
        if !g.shown || g.values.is_empty() {
            continue;
        }
        let name = g.name;
        push(
            &mut out,
            // The list scrolls when long; tabindex lets a keyboard reach (and scroll) it even when
            // every value in it is disabled.
            format_args!(
                r#"<fieldset class="re-facet" data-facet="{name}"><legend>{0}</legend><ul tabindex="0" aria-label="{0}">"#,
                Esc(g.legend)
            ),
        );
        for (value, &count) in g.values.iter().zip(g.counts) {
            let checked = g.picked.contains(value);
            let disabled = count == 0 && !checked;
            push(
                &mut out,
                format_args!(
                    r#"<li><label{}><input type="checkbox" name="{name}" value="{}"{}{}> {} <span class="re-facet-count">({count})</span></label></li>"#,
                    if disabled { r#" class="re-disabled""# } else { "" },
                    Esc(value),
                    if checked { " checked" } else { "" },
                    if disabled { " disabled" } else { "" },
                    Esc(value)
                ),
            );
        }
        out.push_str("</ul></fieldset>");
    }
    out
}

struct FacetGroup<'a> {
    shown: bool,
    name: &'static str,
    legend: &'a str,
    values: &'a [String],
    counts: &'a [u32],
    picked: &'a [String],
}

/// The count of each shown facet value, by facet name, in the order [`facets`] draws them.
pub fn facet_counts<'a>(v: &'a ListView) -> Vec<(&'static str, &'a [u32])> {
    let groups: [(bool, &'static str, &'a [u32]); 3] = [
        (v.controls.tags, "tag", &v.outcome.tag_counts),
        (v.controls.agencies, "agency", &v.outcome.agency_counts),
        (v.controls.years, "year", &v.outcome.year_counts),
    ];
    groups.into_iter().filter(|(shown, _, _)| *shown).map(|(_, name, counts)| (name, counts)).collect()
}

/// The results area in parts, so that the DOM layer can keep the entries of releases that stay in
/// the results from one keystroke to the next and parse only the new ones. [`Results::html`]
/// joins the parts into what [`results`] gives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Results {
    /// The count line's text, or `None` in headlines, which have no count line.
    pub count: Option<String>,
    pub list: ResultsList,
    /// Page navigation; empty when there is one page.
    pub pager: String,
}

/// The releases of a page of results, or the block that says there are none.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResultsList {
    /// `<div class="re-empty">…</div>`: nothing matched, or the feed is empty.
    Empty(String),
    /// A `<ul>` of this class holding one `<li>` per release.
    Items { class: &'static str, items: Vec<ListItem> },
}

/// One release's entry in the list: `<li class="{class}">{inner}</li>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// The release's id: an entry with the same id and the same HTML is the same entry.
    pub id: String,
    /// The `<li>`'s class, empty for none.
    pub class: &'static str,
    /// Everything inside the `<li>`, escaped.
    pub inner: String,
}

impl ListItem {
    /// The whole `<li>`.
    pub fn push_html(&self, out: &mut String) {
        match self.class {
            "" => out.push_str("<li>"),
            class => push(out, format_args!(r#"<li class="{class}">"#)),
        }
        out.push_str(&self.inner);
        out.push_str("</li>");
    }
}

impl Results {
    /// The count line as HTML (empty in headlines).
    pub fn count_html(&self) -> String {
        let mut out = String::new();
        if let Some(text) = &self.count {
            push(&mut out, format_args!(r#"<p class="re-count" id="re-count" tabindex="-1">{}</p>"#, Esc(text)));
        }
        out
    }

    /// The whole results area as HTML.
    pub fn html(&self) -> String {
        let mut out = self.count_html();
        match &self.list {
            ResultsList::Empty(html) => out.push_str(html),
            ResultsList::Items { class, items } => {
                push(&mut out, format_args!(r#"<ul class="{class}">"#));
                for item in items {
                    item.push_html(&mut out);
                }
                out.push_str("</ul>");
            }
        }
        out.push_str(&self.pager);
        out
    }
}

/// The result count, the page of releases (query words highlighted) and page navigation.
pub fn results(v: &ListView, cx: &Context) -> String {
    results_parts(v, cx).html()
}

/// [`results`] in parts.
pub fn results_parts(v: &ListView, cx: &Context) -> Results {
    let l = cx.labels;
    let layout = v.presentation.layout;
    let count = (layout != Layout::Headlines).then(|| count_text(v, l));
    if v.outcome.total == 0 {
        let mut out = String::new();
        let message = if v.state.is_filtered() { l.no_match } else { l.empty };
        push(&mut out, format_args!(r#"<div class="re-empty"><p>{}</p>"#, Esc(message)));
        if v.state.is_filtered() {
            push(
                &mut out,
                format_args!(
                    r#"<button type="button" class="re-button" data-re-action="clear">{}</button>"#,
                    Esc(l.clear_filters)
                ),
            );
        }
        out.push_str("</div>");
        return Results { count, list: ResultsList::Empty(out), pager: String::new() };
    }
    let query = Query::parse(&v.state.query);
    let marks = query.highlights();
    let mark = |text: &str| highlight(text, &marks);
    let open_links = v.presentation.open_links;
    let items = v
        .outcome
        .page_docs
        .iter()
        .map(|&d| {
            let r = &v.feed.releases[d];
            let mut inner = String::new();
            let class = match layout {
                Layout::List => item(&mut inner, r, cx, open_links, &mark),
                Layout::Cards => layouts::card(&mut inner, r, cx, open_links, &mark),
                Layout::Headlines => layouts::headline(&mut inner, r, cx, open_links),
            };
            ListItem { id: r.id.clone(), class, inner }
        })
        .collect();
    let mut pager_html = String::new();
    pager(&mut pager_html, v, cx);
    Results { count, list: ResultsList::Items { class: layouts::items_class(layout), items }, pager: pager_html }
}

fn pager(out: &mut String, v: &ListView, cx: &Context) {
    let (page, pages) = (v.outcome.page, v.outcome.pages);
    if pages <= 1 || !v.presentation.pages() {
        return;
    }
    let l = cx.labels;
    push(out, format_args!(r#"<nav class="re-pages" aria-label="{}"><ul>"#, Esc(l.pages)));
    let link = |out: &mut String, n: usize, text: &str, class: &str, label: Option<String>| {
        let label = label.map(|t| format!(r#" aria-label="{}""#, Esc(&t))).unwrap_or_default();
        let current = if n == page && class.is_empty() { r#" aria-current="page""# } else { "" };
        push(
            out,
            format_args!(
                r#"<li><a href="{}" data-re-page="{n}" class="{class}"{label}{current}>{}</a></li>"#,
                Esc(&(v.page_link)(n)),
                Esc(text)
            ),
        );
    };
    if page > 1 {
        link(out, page - 1, l.previous, "re-prev", None);
    }
    let mut last_shown = 0;
    for n in 1..=pages {
        // First, last, and two either side of the current page; gaps become an ellipsis.
        if n == 1 || n == pages || n.abs_diff(page) <= 2 {
            if n > last_shown + 1 {
                out.push_str(r#"<li class="re-gap" aria-hidden="true">…</li>"#);
            }
            link(out, n, &n.to_string(), "", Some(l.page_n.replace("{n}", &n.to_string())));
            last_shown = n;
        }
    }
    if page < pages {
        link(out, page + 1, l.next, "re-next", None);
    }
    out.push_str("</ul></nav>");
}

/// `text`, escaped, with each word that matches a query word wrapped in `<mark>`.
pub fn highlight(text: &str, marks: &[(&str, bool)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut done = 0;
    if !marks.is_empty() {
        for_each_word(text, |word, range| {
            let hit = marks.iter().any(|(m, prefix)| if *prefix { word.starts_with(m) } else { word == *m });
            if hit {
                push(
                    &mut out,
                    format_args!("{}<mark>{}</mark>", Esc(&text[done..range.start]), Esc(&text[range.clone()])),
                );
                done = range.end;
            }
        });
    }
    push(&mut out, format_args!("{}", Esc(&text[done..])));
    out
}

#[cfg(test)]
mod tests {
    use super::highlight;

    #[test]
    fn highlights_matching_words_escaped() {
        let marks = [("immig", true), ("pena", false)];
        assert_eq!(
            highlight("Immigration <b>& Peña</b>, Penalty", &marks),
            "<mark>Immigration</mark> &lt;b&gt;&amp; <mark>Peña</mark>&lt;/b&gt;, Penalty"
        );
        assert_eq!(highlight("a<b", &[]), "a&lt;b");
    }
}
