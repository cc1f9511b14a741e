//! `DIR/sitemap.xml`: the pages search engines should index, with `lastmod`. Beyond 50,000
//! addresses (the protocol's limit per file) it becomes a sitemap index of `sitemap-1.xml`,
//! `sitemap-2.xml`…, oldest releases first, so a new release changes only the last file and the
//! index.

use release_embed::render::Esc;

/// The sitemap protocol's limit of addresses per file.
pub const PER_FILE: usize = 50_000;

const HEAD: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
const NS: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";

/// One address and its `lastmod` (W3C datetime), which an undated release has not.
pub struct Entry {
    pub loc: String,
    pub lastmod: Option<String>,
}

/// `<lastmod>` when there is a date: the element is optional, and an empty one is invalid.
fn lastmod_tag(lastmod: Option<&str>) -> String {
    lastmod.map(|l| format!("<lastmod>{}</lastmod>", Esc(l))).unwrap_or_default()
}

/// A release's date as a W3C datetime: as written when it is a date, or a date-time with its
/// offset; a time without an offset is not one, so it gives the date alone.
pub fn lastmod(machine: &str) -> String {
    let has_zone = machine.len() > 10 && (machine.ends_with(['Z', 'z']) || machine[10..].contains(['+', '-']));
    if machine.len() == 10 || has_zone {
        machine.to_string()
    } else {
        machine[..10.min(machine.len())].to_string()
    }
}

fn urlset(entries: &[Entry]) -> String {
    let mut out = format!("{HEAD}<urlset xmlns=\"{NS}\">\n");
    for e in entries {
        out.push_str(&format!("<url><loc>{}</loc>{}</url>\n", Esc(&e.loc), lastmod_tag(e.lastmod.as_deref())));
    }
    out.push_str("</urlset>\n");
    out
}

/// The files to write, `(name, text)`, for `entries` in oldest-first order: `sitemap.xml` alone,
/// or the index and its parts when there are more than `per_file`.
pub fn files(entries: &[Entry], site_url: &str, per_file: usize) -> Vec<(String, String)> {
    if entries.len() <= per_file {
        return vec![("sitemap.xml".into(), urlset(entries))];
    }
    let mut index = format!("{HEAD}<sitemapindex xmlns=\"{NS}\">\n");
    let mut out = Vec::new();
    for (i, chunk) in entries.chunks(per_file).enumerate() {
        let name = format!("sitemap-{}.xml", i + 1);
        // The newest release of the part: entries are oldest first.
        let newest = chunk.last().and_then(|e| e.lastmod.as_deref());
        index.push_str(&format!("<sitemap><loc>{}{name}</loc>{}</sitemap>\n", Esc(site_url), lastmod_tag(newest)));
        out.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    out.insert(0, ("sitemap.xml".into(), index));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lastmod_is_a_w3c_datetime() {
        assert_eq!(lastmod("2018-06-19"), "2018-06-19");
        assert_eq!(lastmod("2018-06-19T10:00:00-04:00"), "2018-06-19T10:00:00-04:00");
        assert_eq!(lastmod("2018-06-19T10:00:00Z"), "2018-06-19T10:00:00Z");
        assert_eq!(lastmod("2018-06-19T10:00:00"), "2018-06-19");
    }

    #[test]
    fn beyond_50000_addresses_the_sitemap_is_an_index_of_parts() {
        let entries = |n: usize| -> Vec<Entry> {
            (0..n)
                .map(|i| Entry {
                    loc: format!("https://a.example/releases/r{i}/"),
                    lastmod: Some(format!("2020-01-{:02}", 1 + i % 28)),
                })
                .collect()
        };
        let one = files(&entries(PER_FILE), "https://a.example/", PER_FILE);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].0, "sitemap.xml");
        assert_eq!(one[0].1.matches("<url>").count(), PER_FILE);
        assert!(one[0].1.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));

        let split = files(&entries(PER_FILE * 2 + 1), "https://a.example/", PER_FILE);
        let names: Vec<&str> = split.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap.xml", "sitemap-1.xml", "sitemap-2.xml", "sitemap-3.xml"]);
        let index = &split[0].1;
        assert!(index.contains("<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">"));
        assert_eq!(index.matches("<sitemap>").count(), 3);
        assert!(
            index
                .contains("<sitemap><loc>https://a.example/sitemap-3.xml</loc><lastmod>2020-01-13</lastmod></sitemap>"),
            "{index}"
        );
        let counts: Vec<usize> = split[1..].iter().map(|(_, t)| t.matches("<url>").count()).collect();
        assert_eq!(counts, [PER_FILE, PER_FILE, 1]);
        assert!(split[3].1.contains("<loc>https://a.example/releases/r100000/</loc>"));
        // Addresses are escaped as XML asks.
        let odd = files(
            &[Entry { loc: "https://a.example/?a=1&b=2".into(), lastmod: Some("2020-01-01".into()) }],
            "https://a.example/",
            PER_FILE,
        );
        assert!(odd[0].1.contains("<loc>https://a.example/?a=1&amp;b=2</loc>"));
    }
}
