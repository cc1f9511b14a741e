//! The release model every view works on, and the reader for the native feed schema v1
//! (`schema/release-feed.v1.schema.json`).

mod date;
mod native;
mod scan;

pub use date::Date;
pub use native::{parse_native, NativeParser};

#[derive(Debug, Clone, PartialEq)]
pub struct Feed {
    pub agency: Option<Agency>,
    /// Newest first; releases with the same date keep their order in the feed.
    pub releases: Vec<Release>,
    /// What was left out or ignored, for the console: the feed's authors need to know.
    pub problems: Vec<Problem>,
    /// The document broke off (truncated or invalid) after the releases that are here.
    pub cut_off: bool,
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
    pub date: Date,
    pub url: Option<String>,
    pub summary: Option<String>,
    /// CommonMark source.
    pub body: Option<String>,
    pub dateline: Option<String>,
    pub agency: Option<String>,
    pub tags: Vec<String>,
    pub related_links: Vec<Link>,
    pub contacts: Vec<Contact>,
    pub image: Option<Image>,
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
    pub fn release(&self, id: &str) -> Option<&Release> {
        self.releases.iter().find(|r| r.id == id)
    }

    /// Orders newest first. `sort_by_key` is stable, so equal dates keep the feed's order.
    pub(crate) fn sort_newest_first(&mut self) {
        self.releases.sort_by_key(|r| std::cmp::Reverse(r.date.timestamp()));
    }
}
