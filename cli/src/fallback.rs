//! `fallback.html`: the latest releases as plain links, to paste inside `<release-embed>` for
//! readers without script or wasm and for crawlers. Every value from the feed is escaped.

use release_embed::model::Release;
use release_embed::render::Esc;

/// How many releases the fallback lists.
pub const FALLBACK_RELEASES: usize = 20;

/// `releases` newest first, as the feed keeps them.
pub fn fallback_html(releases: &[Release]) -> String {
    let mut out = String::from(
        "<!-- release-embed fallback: shown without script; the widget replaces it when it starts. -->\n\
         <ul class=\"re-fallback\">\n",
    );
    for r in releases.iter().take(FALLBACK_RELEASES) {
        let title = Esc(&r.title);
        out.push_str("  <li>");
        match &r.url {
            Some(url) => out.push_str(&format!("<a href=\"{}\">{title}</a>", Esc(url))),
            None => out.push_str(&format!("<strong>{title}</strong>")),
        }
        if let Some(date) = &r.date {
            out.push_str(&format!(" <time datetime=\"{}\">{}</time>", Esc(date.machine()), Esc(&date.english())));
        }
        let summary = r.summary.clone().or_else(|| r.body.as_ref().map(|b| b.plain_text()));
        if let Some(summary) = summary.filter(|s| !s.trim().is_empty()) {
            let words: Vec<&str> = summary.split_whitespace().collect();
            let short = if words.len() > 60 { format!("{}\u{2026}", words[..60].join(" ")) } else { words.join(" ") };
            out.push_str(&format!("<p>{}</p>", Esc(&short)));
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
    out
}
