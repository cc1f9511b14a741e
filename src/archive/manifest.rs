//! The archive's JSON documents: the manifest (`archive.json`), the per-segment block list, and
//! the list cards and bodies the widget shows. Binary pieces are described in `codec` and `table`.

use serde::{Deserialize, Serialize};

/// Names this kind of file, so a reader given some other JSON says so.
pub const FORMAT_NAME: &str = "release-embed-archive";
/// A reader understands every archive of its major version; a newer minor only adds fields, and
/// lists in [`Manifest::requires`] those a reader that ignores them would misread.
pub const FORMAT_MAJOR: u32 = 1;
pub const FORMAT_MINOR: u32 = 6;

/// What this reader understands of the features an archive can require (`requires`).
/// `card-groups` (1.4): card pieces of varying size, named with their size in the card lists
/// (`cards_per_piece` 0). `stable-ordinals` (1.6): ordinals with no release (a segment's
/// `holes`) and releases out of date order (the manifest's `late`).
pub const UNDERSTOOD: &[&str] = &[CARD_GROUPS, STABLE_ORDINALS];
pub const CARD_GROUPS: &str = "card-groups";
pub const STABLE_ORDINALS: &str = "stable-ordinals";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    /// `MAJOR.MINOR`.
    pub version: String,
    /// (1.4) The features a reader must understand to read this archive correctly: a reader
    /// refuses an archive that requires one it does not know ([`UNDERSTOOD`]), whatever its minor
    /// version. Features an older reader can safely ignore are not listed.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub requires: Vec<String>,
    pub agency: Option<AgencyRef>,
    pub language: Option<String>,
    /// How many ordinals, `0..releases`: releases oldest first but for those in [`Manifest::late`],
    /// and (1.6) the ordinals of removed releases, each segment's `holes`.
    pub releases: u32,
    /// Topics and offices by number: pieces refer to them so. Each build keeps the previous
    /// build's numbers (read back from its manifest) and appends new values in order of first
    /// appearance, so no number ever changes; a value no release has any more stays, with a
    /// count of 0, and the reader does not show it. The reader sorts them for display.
    pub tags: Vec<String>,
    pub agencies: Vec<String>,
    /// Newest first.
    pub years: Vec<i32>,
    /// Counts with no filter at all (in the orders above), so the first list needs no facet data.
    pub tag_counts: Vec<u32>,
    pub agency_counts: Vec<u32>,
    pub year_counts: Vec<u32>,
    /// Releases per card piece (1.1; 1.0 archives have 16); 0 (1.4, with `requires`
    /// `card-groups`): card pieces of varying size, each named with its size in the card lists.
    #[serde(default = "cards_in_1_0")]
    pub cards_per_piece: u32,
    /// Ascending, covering `0..releases` without gaps.
    pub segments: Vec<Segment>,
    /// (1.6, `stable-ordinals`) Releases whose ordinal is not in date order (added after newer
    /// ones, or moved to another date), oldest first, each with the ordinal it sorts just after
    /// (`null`: before every release): `[ordinal, after]`. Every other ordinal is in date order.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub late: Vec<(u32, Option<u32>)>,
    /// (1.3) The list as a reader first sees it, rendered by the command with the widget's own
    /// renderer, for the page's script to show before the wasm arrives. Absent in older archives.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub first_page: Option<FirstPage>,
}

/// The first page of the list as HTML (`release-embed archive`, `cli/src/first_page.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FirstPage {
    /// The language of its labels and dates (BCP 47): shown only to readers of that language.
    pub lang: String,
    /// The widget's list view with its default options, web addresses of the page as `?re-…`
    /// queries and relative addresses as the feed gave them (relative to the manifest).
    pub html: String,
}

fn cards_in_1_0() -> u32 {
    16
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AgencyRef {
    pub name: String,
    pub url: Option<String>,
}

/// A run of ordinals `start..start + len` with its own pieces; immutable once full.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Segment {
    pub start: u32,
    pub len: u32,
    /// The earliest and latest day number (days since 1970-01-01 of the date as written; ordinals
    /// follow the instant, so a day can be out of order where time zones differ).
    pub min_day: i64,
    pub max_day: i64,
    /// Root of the word table: folded word → documents, documents with it in the title, counts;
    /// and the same under `prefix\0` for every prefix shared by two or more words.
    pub words: String,
    /// Root of the pair table (1.1): `first second` for two words that follow each other in one
    /// field → the releases, counts and facets, as word entries. Absent in 1.0 archives and for
    /// segments too large to pack (phrases then read their candidates).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub pairs: Option<String>,
    /// Root of the value table (1.1): `t<topic>`, `a<office>`, `y<year>` → the releases with that
    /// value, their counts and facets, so a filter with no search reads one entry per segment.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub values: Option<String>,
    /// (1.5) The value table's chunks, `[first key, chunk]` in key order: a filter with no search
    /// reads the chunk holding its value's entry at once, one round instead of root, page and
    /// chunk. Older readers ignore it and read `values` from its root; a reader of an archive
    /// without it does the same.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub value_chunks: Option<Vec<(String, String)>>,
    /// Root of the id table (1.2): release id → its ordinal within the segment, so a deep link
    /// reads three small pieces per segment instead of the card pieces newest first. Absent in
    /// older archives, which are searched card by card.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ids: Option<String>,
    /// Per block of [`super::BLOCK`] ordinals, the name of its card list (a JSON list of the
    /// names of its card pieces, [`Manifest::cards_per_piece`] releases each).
    pub cards: Vec<String>,
    /// Runs of equal days, for date ranges that cut into the segment.
    pub dates: String,
    /// The segment's blocks of [`super::BLOCK`] ordinals (a JSON list of [`Block`]).
    pub blocks: String,
    /// (1.6, `stable-ordinals`) Ordinals of the segment (local) whose release was removed: in no
    /// set, no card piece and no facet piece (cards and facets are of the other releases).
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub holes: Vec<u32>,
    /// (1.4, for the next build only) The instant (Unix seconds) and id of the segment's oldest
    /// and newest release: the next build keeps the segment's edges there (`segment_plan`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub first: Option<(i64, String)>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub last: Option<(i64, String)>,
}

impl Manifest {
    /// The releases a reader can see: the ordinals less the segments' holes.
    pub fn live_releases(&self) -> u32 {
        self.releases - self.segments.iter().map(|s| s.holes.len() as u32).sum::<u32>()
    }
}

#[cfg(test)]
impl Segment {
    /// A segment of `len` ordinals from `start` with no pieces, for tests of the layout.
    pub(crate) fn bare(start: u32, len: u32) -> Segment {
        Segment {
            start,
            len,
            min_day: 0,
            max_day: 0,
            words: String::new(),
            pairs: None,
            values: None,
            value_chunks: None,
            ids: None,
            cards: Vec::new(),
            dates: String::new(),
            blocks: String::new(),
            holes: Vec::new(),
            first: None,
            last: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Block {
    /// Each release's office and topics (binary: agency + 1 or 0, topic count, topic numbers).
    pub facets: String,
    pub min_day: i64,
    pub max_day: i64,
    /// Counts over the whole block, `[value, count]` for values with a count (years as themselves).
    pub tag_counts: Vec<(u32, u32)>,
    pub agency_counts: Vec<(u32, u32)>,
    pub year_counts: Vec<(u32, u32)>,
}

/// What the list shows of a release (a card piece is a JSON list of these, ordinal order).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Card {
    pub id: String,
    pub title: String,
    pub date: String,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub url: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub summary: Option<String>,
    /// The first words of the body, when there is no summary.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub excerpt: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub agency: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub image: Option<LinkRef>,
    /// The name of the release's body piece.
    pub body: String,
}

/// The rest of a release, fetched when it is opened (or to confirm a phrase).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BodyPiece {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub dateline: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub author: Option<String>,
    /// The body as clean HTML, rendered at build time (headings start at `<h3>`).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub html: Option<String>,
    /// The body's words as the search index read them, for phrase checks.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub related_links: Vec<LinkRef>,
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub contacts: Vec<ContactRef>,
}

/// A link or an image (`title` is the image's alt text).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LinkRef {
    pub title: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ContactRef {
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub phone: Option<String>,
}

impl Manifest {
    /// Reads `archive.json`, refusing other documents and newer major versions with a sentence
    /// that says what to do.
    pub fn from_json(text: &str) -> Result<Manifest, String> {
        #[derive(Deserialize)]
        struct Head {
            format: Option<String>,
            version: Option<String>,
            #[serde(default)]
            requires: Vec<String>,
        }
        let head: Head = serde_json::from_str(text).map_err(|e| format!("archive.json is not valid JSON: {e}"))?;
        if head.format.as_deref() != Some(FORMAT_NAME) {
            return Err(format!("this is not a release-embed archive (its \"format\" is not \"{FORMAT_NAME}\")"));
        }
        let version = head.version.unwrap_or_default();
        let major = version.split('.').next().and_then(|m| m.parse::<u32>().ok());
        match major {
            Some(m) if m == FORMAT_MAJOR => {}
            Some(m) if m > FORMAT_MAJOR => {
                return Err(format!(
                    "this archive was written in format version {version}, newer than this reader \
                     (version {FORMAT_MAJOR}.x): update release-embed"
                ))
            }
            _ => {
                return Err(format!(
                    "this archive's format version \u{201c}{version}\u{201d} is not one this reader knows"
                ))
            }
        }
        // Before the rest is parsed: a newer minor's fields may not be what this reader expects.
        let unknown: Vec<&str> = head.requires.iter().map(String::as_str).filter(|r| !UNDERSTOOD.contains(r)).collect();
        if !unknown.is_empty() {
            return Err(format!(
                "this archive was written in format version {version} and needs a reader that understands {}, \
                 which this reader (version {FORMAT_MAJOR}.{FORMAT_MINOR}) does not: update release-embed",
                unknown.iter().map(|u| format!("\u{201c}{u}\u{201d}")).collect::<Vec<_>>().join(", ")
            ));
        }
        let manifest: Manifest =
            serde_json::from_str(text).map_err(|e| format!("archive.json is not a valid archive manifest: {e}"))?;
        manifest.check()?;
        Ok(manifest)
    }

    /// The segments must tile the ordinals, so no lookup can run outside them.
    fn check(&self) -> Result<(), String> {
        let mut next = 0u32;
        for s in &self.segments {
            if s.start != next || s.len == 0 || s.cards.len() != s.len.div_ceil(super::BLOCK) as usize {
                return Err("archive.json's segments do not cover the releases in order".into());
            }
            next = s.start.checked_add(s.len).ok_or("archive.json's segments are too long")?;
            // Out of order, a lookup would miss its chunk and read a value as having no releases.
            if s.value_chunks.as_ref().is_some_and(|c| c.windows(2).any(|w| w[0].0 >= w[1].0)) {
                return Err("archive.json's value chunks are not in key order".into());
            }
            if s.holes.windows(2).any(|w| w[0] >= w[1]) || s.holes.last().is_some_and(|&h| h >= s.len) {
                return Err("archive.json's holes are not ordinals of their segment in order".into());
            }
        }
        let stable = self.requires.iter().any(|r| r == STABLE_ORDINALS);
        let used = !self.late.is_empty() || self.segments.iter().any(|s| !s.holes.is_empty());
        if used && !stable {
            return Err("archive.json has holes or late releases but does not require stable-ordinals".into());
        }
        let in_range = |o: u32| o < next;
        if !self.late.iter().all(|&(o, after)| in_range(o) && after.is_none_or(in_range)) {
            return Err("archive.json's late releases are outside its ordinals".into());
        }
        // In date order, so in the order of the releases they sort after (the reader relies on it).
        if self.late.windows(2).any(|w| w[0].1 > w[1].1) {
            return Err("archive.json's late releases are not in date order".into());
        }
        let grouped = self.requires.iter().any(|r| r == CARD_GROUPS);
        if grouped != (self.cards_per_piece == 0) || (!grouped && super::BLOCK % self.cards_per_piece != 0) {
            return Err("archive.json's cards_per_piece does not divide a block".into());
        }
        let counts_ok = self.tag_counts.len() == self.tags.len()
            && self.agency_counts.len() == self.agencies.len()
            && self.year_counts.len() == self.years.len();
        if next != self.releases || !counts_ok {
            return Err("archive.json is inconsistent (segments, years or counts do not match its releases)".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn newer_major_versions_and_other_documents_are_refused_clearly() {
        let newer = r#"{"format":"release-embed-archive","version":"2.0","releases":0}"#;
        let err = Manifest::from_json(newer).unwrap_err();
        assert!(err.contains("version 2.0") && err.contains("update release-embed"), "{err}");
        let err = Manifest::from_json(r#"{"version":"1","releases":[]}"#).unwrap_err();
        assert!(err.contains("not a release-embed archive"), "{err}");
        assert!(Manifest::from_json("{").unwrap_err().contains("not valid JSON"));
    }

    #[test]
    fn a_newer_minor_version_is_read_unless_it_requires_what_this_reader_does_not_know() {
        let manifest = |version: &str, requires: &str| {
            format!(
                r#"{{"format":"release-embed-archive","version":"{version}","requires":{requires},"agency":null,
                "language":null,"releases":0,"tags":[],"agencies":[],"years":[],"tag_counts":[],
                "agency_counts":[],"year_counts":[],"cards_per_piece":0,"segments":[],"new_field":1}}"#
            )
        };
        // A newer minor that only adds fields, or requires what this reader knows: read.
        assert!(Manifest::from_json(&manifest("1.9", r#"["card-groups"]"#)).is_ok());
        // One that requires a feature this reader does not know: refused, saying what and why.
        let err = Manifest::from_json(&manifest("1.9", r#"["card-groups","split-sets"]"#)).unwrap_err();
        assert_eq!(
            err,
            format!(
                "this archive was written in format version 1.9 and needs a reader that understands \u{201c}split-sets\u{201d}, \
                 which this reader (version 1.{FORMAT_MINOR}) does not: update release-embed"
            )
        );
        // Variable card groups without saying so (or the reverse) is not a manifest to trust.
        let err = Manifest::from_json(&manifest("1.4", "[]")).unwrap_err();
        assert!(err.contains("cards_per_piece"), "{err}");
    }

    #[test]
    fn value_chunks_are_optional_and_must_be_in_key_order() {
        let manifest = |chunks: &str| {
            format!(
                r#"{{"format":"release-embed-archive","version":"1.5","requires":["card-groups"],"agency":null,
                "language":null,"releases":1,"tags":[],"agencies":[],"years":[2020],"tag_counts":[],
                "agency_counts":[],"year_counts":[1],"cards_per_piece":0,"segments":[{{"start":0,"len":1,
                "min_day":0,"max_day":0,"words":"w.bin","values":"v.bin"{chunks},"cards":["c.json"],
                "dates":"d.bin","blocks":"b.json"}}]}}"#
            )
        };
        // A 1.4 manifest has none: its value table is read from the root.
        assert_eq!(Manifest::from_json(&manifest("")).unwrap().segments[0].value_chunks, None);
        let read = Manifest::from_json(&manifest(r#","value_chunks":[["a0","x.bin"],["y2020","y.bin"]]"#)).unwrap();
        let want = vec![("a0".to_string(), "x.bin".to_string()), ("y2020".into(), "y.bin".into())];
        assert_eq!(read.segments[0].value_chunks, Some(want));
        let err = Manifest::from_json(&manifest(r#","value_chunks":[["y2020","y.bin"],["a0","x.bin"]]"#)).unwrap_err();
        assert_eq!(err, "archive.json's value chunks are not in key order");
    }

    #[test]
    fn holes_and_late_releases_are_read_only_when_required_and_in_order() {
        let manifest = |requires: &str, holes: &str, late: &str| {
            format!(
                r#"{{"format":"release-embed-archive","version":"1.6","requires":{requires},"agency":null,
                "language":null,"releases":6,"tags":[],"agencies":[],"years":[2020],"tag_counts":[],
                "agency_counts":[],"year_counts":[4],"cards_per_piece":0,"late":{late},"segments":[{{"start":0,
                "len":6,"min_day":0,"max_day":0,"words":"w.bin","cards":["c.json"],"dates":"d.bin",
                "blocks":"b.json","holes":{holes}}}]}}"#
            )
        };
        let stable = r#"["card-groups","stable-ordinals"]"#;
        let read = Manifest::from_json(&manifest(stable, "[1,3]", "[[4,null],[5,2]]")).unwrap();
        assert_eq!((read.segments[0].holes.clone(), read.late.clone()), (vec![1, 3], vec![(4, None), (5, Some(2))]));
        for (requires, holes, late, error) in [
            (
                r#"["card-groups"]"#,
                "[1]",
                "[]",
                "archive.json has holes or late releases but does not require stable-ordinals",
            ),
            (stable, "[3,1]", "[]", "archive.json's holes are not ordinals of their segment in order"),
            (stable, "[6]", "[]", "archive.json's holes are not ordinals of their segment in order"),
            (stable, "[]", "[[9,null]]", "archive.json's late releases are outside its ordinals"),
            (stable, "[]", "[[4,2],[5,null]]", "archive.json's late releases are not in date order"),
        ] {
            assert_eq!(Manifest::from_json(&manifest(requires, holes, late)).unwrap_err(), error);
        }
    }

    #[test]
    fn a_1_0_manifest_reads_with_its_card_pieces_of_16() {
        let old = r#"{"format":"release-embed-archive","version":"1.0","agency":null,"language":null,
            "releases":0,"tags":[],"agencies":[],"years":[],"tag_counts":[],"agency_counts":[],
            "year_counts":[],"segments":[]}"#;
        assert_eq!(Manifest::from_json(old).unwrap().cards_per_piece, 16);
    }

    #[test]
    fn the_first_page_is_optional_and_written_only_when_there_is_one() {
        let old = r#"{"format":"release-embed-archive","version":"1.2","agency":null,"language":null,
            "releases":0,"tags":[],"agencies":[],"years":[],"tag_counts":[],"agency_counts":[],
            "year_counts":[],"cards_per_piece":8,"segments":[]}"#;
        let mut manifest = Manifest::from_json(old).unwrap();
        assert_eq!(manifest.first_page, None);
        assert!(!serde_json::to_string(&manifest).unwrap().contains("first_page"));
        manifest.first_page =
            Some(FirstPage { lang: "en".into(), html: "<section class=\"re-list\"></section>".into() });
        let again = Manifest::from_json(&serde_json::to_string(&manifest).unwrap()).unwrap();
        assert_eq!(again.first_page, manifest.first_page);
    }
}
