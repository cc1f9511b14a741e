//! `release-embed views DIR`: what the widget would download for typical views of an archive,
//! from the query's own piece accounting (the manifest counted where a view starts cold). For
//! docs/archive.md and the size budgets; not a timing.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use release_embed::archive::manifest::Block;
use release_embed::archive::reader::PREFETCH_PIECES;
use release_embed::archive::{read_directory, Archive, Manifest, Pieces};
use release_embed::search::FilterState;

use crate::output::PIECES;

/// The widget's default page size.
const PAGE_SIZE: usize = 10;

struct DirPieces {
    dir: PathBuf,
    cache: HashMap<String, Arc<[u8]>>,
}

impl Pieces for DirPieces {
    fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
        if let Some(bytes) = self.cache.get(name) {
            return Ok(Some(bytes.clone()));
        }
        let bytes: Arc<[u8]> =
            std::fs::read(self.dir.join(PIECES).join(name)).map_err(|e| format!("{name}: {e}"))?.into();
        self.cache.insert(name.to_string(), bytes.clone());
        Ok(Some(bytes))
    }
}

/// One view, and the views whose pieces the browser already holds when it runs.
struct View {
    name: &'static str,
    /// The ceiling for this view (at 100,000 and at 1,000,000 releases), in bytes, where it sets one.
    budget: Option<usize>,
    after: &'static [&'static str],
    steps: Steps,
}

/// What a view asks of the archive.
enum Steps {
    /// The lists of these filter states, in turn.
    Lists(Vec<FilterState>),
    /// The newest release opened from the list.
    OpenNewest,
    /// A deep link to the oldest release, cold: found by id, then opened.
    DeepLinkToOldest,
    /// What the widget fetches ahead once the first list is drawn and the page is idle.
    Prefetch,
}

/// Counts the pieces a query reads, with their sizes.
struct Counting<'a>(&'a mut DirPieces, &'a mut BTreeMap<String, usize>);

impl Pieces for Counting<'_> {
    fn get(&mut self, name: &str) -> Result<Option<Arc<[u8]>>, String> {
        let got = self.0.get(name)?;
        if let Some(b) = &got {
            self.1.insert(name.to_string(), b.len());
        }
        Ok(got)
    }
}

fn q(query: &str) -> FilterState {
    FilterState { query: query.into(), page: 1, ..Default::default() }
}

/// The views measured, in order; `after` names views listed before.
fn views(archive: &Archive) -> Vec<View> {
    const FIRST_LIST: &str = "first list (newest 10, all counts)";
    const PREFETCH: &str = "fetched ahead when idle after the first list (words roots and pages)";
    let typing: Vec<FilterState> = (1..="immigration".len()).map(|n| q(&"immigration"[..n])).collect();
    let topic = archive.tags.first().cloned().unwrap_or_default();
    let year = archive.manifest.years.get(archive.manifest.years.len() / 2).copied().unwrap_or(2020);
    let view = |name, budget, after, steps| View { name, budget, after, steps };
    let cold = |name, budget, states| view(name, budget, &[], Steps::Lists(states));
    let warm = |name, state| view(name, None, &[FIRST_LIST], Steps::Lists(vec![state]));
    vec![
        cold(FIRST_LIST, Some(60_000), vec![FilterState::default()]),
        view("open the newest release", None, &[FIRST_LIST], Steps::OpenNewest),
        view("deep link to the oldest release, cold", None, &[], Steps::DeepLinkToOldest),
        view(PREFETCH, None, &[FIRST_LIST], Steps::Prefetch),
        cold("search \u{201c}immigration\u{201d}, cold", Some(300_000), vec![q("immigration")]),
        view(
            "search \u{201c}immigration\u{201d}, after the first list and what was fetched ahead",
            None,
            &[FIRST_LIST, PREFETCH],
            Steps::Lists(vec![q("immigration")]),
        ),
        cold("type \u{201c}immigration\u{201d} key by key, cold", Some(300_000), typing),
        cold("search \u{201c}consumer fraud\u{201d}, cold", Some(300_000), vec![q("consumer fraud")]),
        warm("year filter, no search, after the first list", FilterState { years: vec![year], ..q("") }),
        warm(
            "date range (3 months), no search, after the first list",
            FilterState { from: Some(format!("{year}-03-01")), to: Some(format!("{year}-05-31")), ..q("") },
        ),
        warm("topic filter, no search, after the first list", FilterState { tags: vec![topic], ..q("") }),
        cold(
            "oldest first, page 2, cold",
            None,
            vec![FilterState { sort: Some(release_embed::search::Sort::Oldest), page: 2, ..q("") }],
        ),
        cold("phrase \u{201c}\"attorney general\"\u{201d}, cold", Some(300_000), vec![q("\"attorney general\"")]),
    ]
}

/// Runs one view: every piece it reads, with its size.
fn run(archive: &Archive, view: &View, pieces: &mut DirPieces) -> Result<BTreeMap<String, usize>, String> {
    let mut now: BTreeMap<String, usize> = BTreeMap::new();
    match &view.steps {
        Steps::Lists(states) => {
            for state in states {
                let outcome = archive.evaluate(state, PAGE_SIZE, pieces).map_err(|e| e.to_string())?;
                now.extend(outcome.pieces);
            }
        }
        Steps::Prefetch => {
            archive.warm(PREFETCH_PIECES, &mut Counting(pieces, &mut now)).map_err(|e| e.to_string())?;
        }
        Steps::OpenNewest => {
            let newest = archive.manifest.releases.saturating_sub(1);
            archive.open(newest, &mut Counting(pieces, &mut now)).map_err(|e| e.to_string())?;
        }
        Steps::DeepLinkToOldest => {
            let id = archive.open(0, pieces).map_err(|e| e.to_string())?.0.id;
            let mut counting = Counting(pieces, &mut now);
            let ordinal = archive.find(&id, 8, &mut counting).map_err(|e| e.to_string())?;
            let ordinal = ordinal.ok_or_else(|| format!("release {id} not found by its id"))?;
            archive.open(ordinal, &mut counting).map_err(|e| e.to_string())?;
        }
    }
    Ok(now)
}

/// Each table piece's place, from the manifest down (a table's root, pages and chunks, the value
/// chunks the manifest lists, dates, block lists and the blocks' facet pieces, card lists), so
/// that a view's bytes can be traced to the tables they come from.
fn roles(archive: &Archive, pieces: &mut DirPieces) -> Result<HashMap<String, String>, String> {
    fn directory(bytes: &[u8]) -> Result<Vec<String>, String> {
        Ok(read_directory(bytes)?.into_iter().map(|(_, name)| name).collect())
    }
    let mut roles = HashMap::new();
    for seg in &archive.manifest.segments {
        let tables = [("words", Some(&seg.words)), ("pairs", seg.pairs.as_ref()), ("values", seg.values.as_ref())];
        for (table, root) in tables.into_iter().chain([("ids", seg.ids.as_ref())]) {
            let Some(root) = root else { continue };
            roles.insert(root.clone(), format!("{table} root"));
            let root_bytes = pieces.get(root)?.unwrap_or_default();
            for page in directory(&root_bytes)? {
                let page_bytes = pieces.get(&page)?.unwrap_or_default();
                for chunk in directory(&page_bytes)? {
                    roles.insert(chunk, format!("{table} chunk"));
                }
                roles.insert(page, format!("{table} page"));
            }
        }
        for (_, chunk) in seg.value_chunks.iter().flatten() {
            roles.insert(chunk.clone(), "values chunk".into());
        }
        roles.insert(seg.dates.clone(), "dates".into());
        roles.insert(seg.blocks.clone(), "block list".into());
        let blocks: Vec<Block> = serde_json::from_slice(&pieces.get(&seg.blocks)?.unwrap_or_default())
            .map_err(|e| format!("{}: {e}", seg.blocks))?;
        for block in blocks {
            roles.insert(block.facets, "a block's facets".into());
        }
        for list in &seg.cards {
            roles.insert(list.clone(), "card list".into());
        }
    }
    Ok(roles)
}

/// Where a view's new bytes go, by kind of piece (for docs/archive.md), on standard error; with
/// `names`, each piece too.
fn print_detail(
    view: &View,
    new: &BTreeMap<&String, usize>,
    roles: &HashMap<String, String>,
    names: bool,
    pieces: &mut DirPieces,
) -> Result<(), String> {
    let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut lines = Vec::new();
    for (name, size) in new {
        let head = pieces.get(name)?.map(|b| b.first().copied()).unwrap_or_default();
        let kind = match (roles.get(*name), name.ends_with(".json"), head) {
            (Some(role), _, _) => role.as_str(),
            (None, true, Some(b'[')) => "cards",
            (None, true, _) => "body",
            // Pieces named inside table entries.
            (None, false, _) => "an entry's facets",
        };
        let k = kinds.entry(kind).or_default();
        k.0 += 1;
        k.1 += size;
        lines.push(format!("  {name} {size} {kind}"));
    }
    eprintln!("{}: {kinds:?}", view.name);
    if names {
        lines.iter().for_each(|line| eprintln!("{line}"));
    }
    Ok(())
}

/// The table, and whether every view with a budget kept to it.
pub fn report(dir: &Path) -> Result<(String, bool), String> {
    let text =
        std::fs::read_to_string(dir.join("archive.json")).map_err(|e| format!("cannot read archive.json: {e}"))?;
    let manifest_bytes = text.len();
    let archive = Archive::new(Manifest::from_json(&text)?);
    let mut pieces = DirPieces { dir: dir.to_path_buf(), cache: HashMap::new() };
    // `RELEASE_EMBED_VIEWS_DETAIL=1`: each view's bytes by kind of piece; `=names`: each piece too.
    let detail = std::env::var_os("RELEASE_EMBED_VIEWS_DETAIL");
    let names = detail.as_ref().is_some_and(|v| v == "names");
    let roles = match detail {
        Some(_) => Some(roles(&archive, &mut pieces)?),
        None => None,
    };
    let mut used: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    let mut all_met = true;
    let mut out = format!(
        "{} releases, {} segments; manifest {} bytes\n\n| view | pieces | bytes (incl. manifest when cold) | budget |\n|---|---:|---:|---|\n",
        archive.manifest.releases,
        archive.manifest.segments.len(),
        manifest_bytes
    );
    for view in views(&archive) {
        let mut had: BTreeMap<String, usize> = BTreeMap::new();
        for before in view.after {
            had.extend(used.get(before).cloned().unwrap_or_default());
        }
        let now = run(&archive, &view, &mut pieces)?;
        let new: BTreeMap<&String, usize> =
            now.iter().filter(|(k, _)| !had.contains_key(*k)).map(|(k, v)| (k, *v)).collect();
        if let Some(roles) = &roles {
            print_detail(&view, &new, roles, names, &mut pieces)?;
        }
        let manifest = if view.after.is_empty() { manifest_bytes } else { 0 };
        let bytes = new.values().sum::<usize>() + manifest;
        let verdict = match view.budget {
            Some(b) if bytes <= b => format!("\u{2264} {} kB: met", b / 1000),
            Some(b) => {
                all_met = false;
                format!("\u{2264} {} kB: **over**", b / 1000)
            }
            None => String::new(),
        };
        out.push_str(&format!("| {} | {} | {bytes} | {verdict} |\n", view.name, new.len()));
        had.extend(now);
        used.insert(view.name, had);
    }
    Ok((out, all_met))
}
