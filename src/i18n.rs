//! Every piece of text the widget itself shows, in one place, so another language is one more
//! constant of this type.

pub struct Labels {
    pub section: &'static str,
    pub list_name: &'static str,
    pub all_releases: &'static str,
    pub loading: &'static str,
    pub empty: &'static str,
    pub topics: &'static str,
    pub contacts: &'static str,
    pub related_links: &'static str,
    pub share_this: &'static str,
    pub email: &'static str,
    pub copy_link: &'static str,
    pub link_copied: &'static str,
    pub copy_by_hand: &'static str,
    pub print: &'static str,
    pub share_native: &'static str,
    pub new_tab: &'static str,
    pub retry: &'static str,
    pub filter_name: &'static str,
    pub search: &'static str,
    pub preparing_search: &'static str,
    pub offices: &'static str,
    pub years: &'static str,
    pub dates: &'static str,
    pub from: &'static str,
    pub to: &'static str,
    pub sort_by: &'static str,
    pub relevance: &'static str,
    pub newest: &'static str,
    pub oldest: &'static str,
    pub one_release: &'static str,
    /// `{n}` is replaced with the number.
    pub n_releases: &'static str,
    pub no_match: &'static str,
    pub clear_filters: &'static str,
    pub pages: &'static str,
    pub previous: &'static str,
    pub next: &'static str,
    /// `{n}` is replaced with the page number.
    pub page_n: &'static str,
    pub cut_off: &'static str,
    pub by: &'static str,
    /// `{date}` is replaced with the date the copy was saved.
    pub saved_copy: &'static str,
}

pub const EN: Labels = Labels {
    section: "Press Releases",
    list_name: "Press releases",
    all_releases: "All press releases",
    loading: "Loading press releases\u{2026}",
    empty: "There are no press releases to show yet.",
    topics: "Topics",
    contacts: "Media contacts",
    related_links: "Related links",
    share_this: "Share this",
    email: "Email",
    copy_link: "Copy link",
    link_copied: "Link copied",
    copy_by_hand: "Copying is not available here. Copy this link:",
    print: "Print",
    share_native: "Share\u{2026}",
    new_tab: "(opens in a new tab)",
    retry: "Try again",
    filter_name: "Filter press releases",
    search: "Search",
    preparing_search: "Search is getting ready\u{2026}",
    offices: "Offices",
    years: "Years",
    dates: "Dates",
    from: "From",
    to: "To",
    sort_by: "Sort by",
    relevance: "Relevance",
    newest: "Newest first",
    oldest: "Oldest first",
    one_release: "1 release",
    n_releases: "{n} releases",
    no_match: "No releases match these filters.",
    clear_filters: "Clear filters",
    pages: "Pages",
    previous: "Previous",
    next: "Next",
    page_n: "Page {n}",
    cut_off:
        "Some releases could not be loaded: the feed breaks off part-way. The releases before that point are shown.",
    by: "By",
    saved_copy: "Showing releases saved on {date}. The latest could not be loaded.",
};

impl Labels {
    pub fn count(&self, n: usize) -> String {
        if n == 1 {
            self.one_release.to_string()
        } else {
            self.n_releases.replace("{n}", &group_digits(n))
        }
    }
}

/// 12345 → "12,345".
fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_read_naturally() {
        assert_eq!(super::EN.count(1), "1 release");
        assert_eq!(super::EN.count(0), "0 releases");
        assert_eq!(super::EN.count(100_000), "100,000 releases");
    }
}
