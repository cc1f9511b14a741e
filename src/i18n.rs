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
};
