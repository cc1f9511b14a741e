//! What the `layout`, `limit`, `open`, `more-*` and `subscribe-*` settings change in the list:
//! cards with images, compact headlines, where titles lead, the links around the list, and the
//! Filter button that folds the filters away on narrow widths.

use super::{icons, meta, summary, Context, ListView};
use crate::i18n::Labels;
use crate::model::Release;
use crate::options::{Layout, Presentation};
use crate::search::FilterState;
use crate::text::escape::{push, Esc};

/// The box every card image is cropped to (16:9). Given as the image's `width` and `height` so the
/// browser reserves the space before the image arrives and nothing below it moves.
const CARD_IMAGE: (u32, u32) = (640, 360);

/// The filters that apply to what is shown: none in headlines (they show the newest, whatever the
/// page URL says); the first page only when the list is one fixed page.
pub fn shown_state(p: &Presentation, state: &FilterState) -> FilterState {
    match (p.layout, p.pages()) {
        (Layout::Headlines, _) => FilterState::default(),
        (_, false) => FilterState { page: 1, ..state.clone() },
        (_, true) => state.clone(),
    }
}

/// A release's title as a link: to its own `url` when the page asked for that and it has one,
/// else to its deep link here, which the widget opens in place.
pub(super) fn title_link(r: &Release, cx: &Context, open_links: bool, mark: &dyn Fn(&str) -> String) -> String {
    match r.url.as_deref().filter(|_| open_links) {
        Some(url) => format!(r#"<a href="{}">{}</a>"#, Esc(url), mark(&r.title)),
        None => format!(
            r#"<a href="{}" data-re-open="{}">{}</a>"#,
            Esc(&(cx.link)(Some(&r.id))),
            Esc(&r.id),
            mark(&r.title)
        ),
    }
}

/// A card: title, date, summary, and the image (drawn above them by the stylesheet, but after the
/// title in reading order, so a screen reader meets the title first). Writes what goes inside the
/// `<li>` and gives the `<li>`'s class (none).
pub(super) fn card(
    out: &mut String,
    r: &Release,
    cx: &Context,
    open_links: bool,
    mark: &dyn Fn(&str) -> String,
) -> &'static str {
    let h = cx.heading_level;
    push(
        out,
        format_args!(
            r#"<article class="re-item re-card"><h{h} class="re-item-title" dir="auto">{}</h{h}>"#,
            title_link(r, cx, open_links, mark)
        ),
    );
    meta(out, r, cx, false);
    if let Some(text) = summary(r) {
        push(out, format_args!(r#"<p class="re-summary" dir="auto">{}</p>"#, mark(&text)));
    }
    if let Some(img) = &r.image {
        let (w, h) = CARD_IMAGE;
        push(
            out,
            format_args!(
                r#"<div class="re-card-image"><img src="{}" alt="{}" width="{w}" height="{h}" loading="lazy" decoding="async"></div>"#,
                Esc(&img.url),
                Esc(&img.alt)
            ),
        );
    }
    out.push_str("</article>");
    ""
}

/// A headline: the title and the date, nothing else; gives the `<li>`'s class.
pub(super) fn headline(out: &mut String, r: &Release, cx: &Context, open_links: bool) -> &'static str {
    push(
        out,
        format_args!(
            r#"<span class="re-headline-title" dir="auto">{}</span>{}"#,
            title_link(r, cx, open_links, &|t| Esc(t).to_string()),
            super::time(r, cx)
        ),
    );
    "re-headline"
}

/// The class of the list of releases for a layout.
pub(super) fn items_class(layout: Layout) -> &'static str {
    match layout {
        Layout::List => "re-items",
        Layout::Cards => "re-items re-cards",
        Layout::Headlines => "re-items re-headlines",
    }
}

/// The label above the list, with the Subscribe link beside it when the page gave one.
pub(super) fn list_head(out: &mut String, v: &ListView, cx: &Context) {
    let Some(link) = &v.presentation.subscribe else {
        return push(out, format_args!(r#"<p class="re-section">{}</p>"#, Esc(cx.section_label)));
    };
    push(
        out,
        format_args!(
            r#"<div class="re-list-head"><p class="re-section">{}</p><a class="re-subscribe" href="{}">{}<span>{}</span></a></div>"#,
            Esc(cx.section_label),
            Esc(&link.href),
            icons::subscribe(),
            Esc(link.label.as_deref().unwrap_or(cx.labels.subscribe))
        ),
    );
}

/// The link after the list ("All press releases"), when the page gave one.
pub(super) fn more_link(out: &mut String, v: &ListView, cx: &Context) {
    if let Some(link) = &v.presentation.more {
        push(
            out,
            format_args!(
                r#"<p class="re-more"><a href="{}">{}</a></p>"#,
                Esc(&link.href),
                Esc(link.label.as_deref().unwrap_or(cx.labels.all_releases))
            ),
        );
    }
}

/// The Filter button: on narrow widths the stylesheet shows it and folds the panel it controls
/// away until it is pressed; on wide ones it is hidden and the panel always shows.
pub(super) fn filter_toggle(out: &mut String, v: &ListView, cx: &Context) {
    push(
        out,
        format_args!(
            r#"<button type="button" class="re-filter-toggle" data-re-action="filters" aria-expanded="{}" aria-controls="re-filter-panel">{}<span>{}</span><span class="re-filter-count">{}</span></button>"#,
            v.filters_open,
            icons::filter(),
            Esc(cx.labels.filter),
            active_badge(active_filters(v.state), cx.labels)
        ),
    );
}

/// How many filters behind the Filter button are in use (the search box is always in view).
pub fn active_filters(state: &FilterState) -> usize {
    state.tags.len()
        + state.agencies.len()
        + state.years.len()
        + usize::from(state.from.is_some())
        + usize::from(state.to.is_some())
}

/// The count on the Filter button: a number to see, a phrase to hear; nothing when none.
pub fn active_badge(n: usize, l: &Labels) -> String {
    if n == 0 {
        return String::new();
    }
    let phrase = if n == 1 { l.one_active.to_string() } else { l.n_active.replace("{n}", &n.to_string()) };
    format!(
        r#"<span class="re-badge" aria-hidden="true">{n}</span><span class="re-visually-hidden"> {}</span>"#,
        Esc(&phrase)
    )
}

/// "38 releases", or "5 of 38 releases" when a limit leaves some out.
pub fn count_text(v: &ListView, l: &Labels) -> String {
    let (total, shown) = (v.outcome.total, v.outcome.page_docs.len());
    if v.presentation.limit.is_some() && shown < total {
        l.shown_of.replace("{shown}", &shown.to_string()).replace("{total}", &l.count(total))
    } else {
        l.count(total)
    }
}
