//! Every piece of text the widget itself shows. Each language is one file with one constant of
//! [`Labels`]; [`for_lang`] picks it from a BCP 47 tag.

mod en;
mod es;

pub use en::EN;
pub use es::ES;

/// The catalogue for `lang` ("es-US" → Spanish); English when there is none for it.
pub fn for_lang(lang: &str) -> &'static Labels {
    match lang.split(['-', '_']).next().map(str::to_ascii_lowercase).as_deref() {
        Some("es") => &ES,
        _ => &EN,
    }
}

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
    /// Before [`Labels::code_failed`], when the search's code did not arrive.
    pub search_failed: &'static str,
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
    /// The button that shows the filters on narrow widths, and how many are in use.
    pub filter: &'static str,
    pub one_active: &'static str,
    /// `{n}` is replaced with the number.
    pub n_active: &'static str,
    /// `{shown}` and `{total}` (a count such as "38 releases") are replaced.
    pub shown_of: &'static str,
    pub subscribe: &'static str,
    pub cut_off: &'static str,
    pub by: &'static str,
    /// `{date}` is replaced with the date the copy was saved.
    pub saved_copy: &'static str,
    /// Digits before numbers get a thousands separator (4 in English: 1,000; 5 in Spanish: 10.000).
    pub group_from: usize,
    pub thousands: char,
    pub could_not_load: &'static str,
    pub network_failed: &'static str,
    /// `{status}` is replaced with the HTTP status and its text.
    pub server_answered: &'static str,
    /// `{n}` and `{unit}` are replaced.
    pub no_answer_within: &'static str,
    pub second: &'static str,
    pub seconds: &'static str,
    pub not_json: &'static str,
    pub not_xml: &'static str,
    /// `{name}` is replaced with the encoding the feed declares.
    pub unknown_encoding: &'static str,
    pub browser_refused: &'static str,
    /// A lazily loaded part of the widget's code did not arrive.
    pub code_failed: &'static str,
    /// `{id}` is replaced with the release's id.
    pub unknown_release: &'static str,
    /// Shown over the list when the feed was cut at the size limit; `{size}` is the limit.
    pub over_limit: &'static str,
    /// Why nothing could be shown when the part read held no release.
    pub too_large: &'static str,
    /// A piece of an archive is missing or damaged.
    pub archive_damaged: &'static str,
    /// A release's text while the code that shows it is still loading.
    pub loading_release: &'static str,
    /// That code could not be loaded (a Try again button follows).
    pub part_failed: &'static str,
}

impl Labels {
    pub fn count(&self, n: usize) -> String {
        if n == 1 {
            self.one_release.to_string()
        } else {
            self.n_releases.replace("{n}", &self.group_digits(n))
        }
    }
}

impl Labels {
    /// 12345 → "12,345" (English), "12.345" (Spanish).
    fn group_digits(&self, n: usize) -> String {
        let digits = n.to_string();
        if digits.len() < self.group_from {
            return digits;
        }
        let mut out = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i) % 3 == 0 {
                out.push(self.thousands);
            }
            out.push(c);
        }
        out
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn counts_read_naturally() {
        assert_eq!(super::EN.count(1), "1 release");
        assert_eq!(super::EN.count(0), "0 releases");
        assert_eq!(super::EN.count(100_000), "100,000 releases");
        assert_eq!(super::ES.count(1), "1 comunicado");
        assert_eq!(super::ES.count(1234), "1234 comunicados");
        assert_eq!(super::ES.count(12_345), "12.345 comunicados");
    }

    #[test]
    fn languages_are_picked_by_their_primary_subtag() {
        assert_eq!(super::for_lang("es-US").section, "Comunicados de prensa");
        assert_eq!(super::for_lang("ES").section, "Comunicados de prensa");
        assert_eq!(super::for_lang("en-GB").section, "Press Releases");
        assert_eq!(super::for_lang("fr").section, "Press Releases");
    }
}
