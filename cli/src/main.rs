//! `release-embed archive SOURCE... --out DIR [--include-future] [--max-bytes N]`: reads every
//! source with the widget's readers and writes a static archive the widget can read piece by
//! piece (see docs/archive.md), plus `fallback.html`. `release-embed views DIR [--check]`: the
//! bytes each view of a built archive downloads.

mod fallback;
mod first_page;
mod output;
mod pages;
mod sitemap;
mod source;
mod syndication;
mod views;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use release_embed::archive::{build, Archive, BuildInput, Manifest};
use release_embed::model::Feed;

/// The commands `main` accepts, in the order the usage text gives them.
const COMMANDS: [&str; 2] = ["archive", "views"];

const USAGE: &str = "usage: release-embed archive SOURCE... --out DIR [--include-future] [--max-bytes N]
           [--site-url URL [--page-template FILE] [--newsroom URL]]
       release-embed views DIR [--check]

archive: reads feeds and writes a static archive the widget reads piece by piece
  SOURCE            a feed file or an http(s) address (native, JSON Feed, WordPress, RSS, Atom;
                    every page is followed); several sources are merged, the first one's agency kept
  --out DIR         where archive.json, the pieces (DIR/p/) and fallback.html go
  --include-future  keep releases dated after now (embargoed ones are left out by default)
  --site-url URL    the address DIR is served at: also write a page per release
                    (DIR/releases/), sitemap.xml, feed.xml and feed.json (docs/release-pages.md)
  --page-template FILE  the pages' HTML, with {{head}} and {{release}} where those go
  --newsroom URL    where a page's \u{201c}All press releases\u{201d} goes (default: the site URL)
  --max-bytes N     refuse an http(s) answer longer than N bytes (default 100000000, the widget's)

views: the bytes each view of the archive in DIR downloads
  --check           exit with status 1 when a view is over its budget";

struct Args {
    sources: Vec<String>,
    out: PathBuf,
    include_future: bool,
    site_url: Option<String>,
    page_template: Option<PathBuf>,
    newsroom: Option<String>,
    max_bytes: u64,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut rest = args.iter();
    match rest.next().map(String::as_str) {
        Some("archive") => {}
        Some("-h" | "--help") | None => return Err(String::new()),
        Some(other) => {
            return Err(format!(
                "unknown command \u{201c}{other}\u{201d}; the commands are {}",
                COMMANDS.map(|c| format!("\u{201c}{c}\u{201d}")).join(" and ")
            ))
        }
    }
    let (mut sources, mut out, mut include_future) = (Vec::new(), None, false);
    let (mut site_url, mut page_template, mut newsroom) = (None, None, None);
    let mut max_bytes = release_embed::options::DEFAULT_MAX_BYTES as u64;
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--out" => out = Some(rest.next().ok_or("--out needs a directory")?.into()),
            "--include-future" => include_future = true,
            "--site-url" => site_url = Some(rest.next().ok_or("--site-url needs an address")?.clone()),
            "--page-template" => page_template = Some(rest.next().ok_or("--page-template needs a file")?.into()),
            "--newsroom" => newsroom = Some(rest.next().ok_or("--newsroom needs an address")?.clone()),
            "--max-bytes" => {
                let n = rest.next().ok_or("--max-bytes needs a number of bytes")?;
                max_bytes = n
                    .parse()
                    .ok()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("--max-bytes {n}: give a whole number of bytes above 0"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            source => sources.push(source.to_string()),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    if sources.is_empty() {
        return Err("give at least one SOURCE".into());
    }
    if site_url.is_none() && (page_template.is_some() || newsroom.is_some()) {
        return Err("--page-template and --newsroom need --site-url".into());
    }
    Ok(Args { sources, out, include_future, max_bytes, site_url, page_template, newsroom })
}

/// A line that rewrites itself on a terminal; nothing when stderr is a file or a pipe.
struct Progress {
    on: bool,
}

impl Progress {
    fn show(&self, text: &str) {
        if self.on {
            let mut err = std::io::stderr();
            let _ = write!(err, "\r\x1b[2K{text}");
            let _ = err.flush();
        }
    }

    fn done(&self) {
        self.show("");
    }
}

fn run(args: Args) -> Result<String, String> {
    let progress = Progress { on: std::io::stderr().is_terminal() };
    let site = match &args.site_url {
        Some(url) => Some(pages::SiteOptions::load(url, args.page_template.as_deref(), args.newsroom.as_deref())?),
        None => None,
    };
    let mut feed: Option<Feed> = None;
    for source in &args.sources {
        let page = source::load(source, args.max_bytes, &mut |text| progress.show(text))
            .map_err(|e| format!("{source}: {e}"))?;
        for problem in &page.problems {
            progress.done();
            eprintln!("{source}: {problem}");
        }
        match &mut feed {
            Some(f) => {
                f.merge(page);
            }
            None => feed = Some(page),
        }
    }
    let mut feed = feed.ok_or("no sources")?;
    // The widget shows undated releases last; an archive is ordered and filtered by date.
    let undated = feed.releases.iter().filter(|r| r.date.is_none()).count();
    feed.releases.retain(|r| r.date.is_some());
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let before = feed.releases.len();
    if !args.include_future {
        feed.releases.retain(|r| r.date.as_ref().is_some_and(|d| d.timestamp() <= now));
    }
    let future = before - feed.releases.len();

    let mut sink = output::DirSink::new(&args.out)?;
    let base = args.sources.first().filter(|s| s.contains("://")).map_or("", String::as_str);
    let site = site.map(|s| s.prepare(&mut feed, base));
    let mut show =
        |what: &str, done: u64, total: u64| progress.show(&format!("building {what}: {done} of {total} releases"));
    // The build this one replaces (read under the folder's lock): its topic and office numbers
    // and its segments are kept, so what did not change keeps its bytes.
    let previous = match std::fs::read_to_string(args.out.join("archive.json")) {
        Ok(text) => Manifest::from_json(&text)
            .map_err(|e| {
                eprintln!("release-embed: the previous archive.json is not used ({e}): every piece is built anew")
            })
            .ok(),
        Err(_) => None,
    };
    // The release at each of its ordinals, from its id tables: each release keeps its ordinal.
    let members = previous.as_ref().and_then(|m| {
        Archive::new(m.clone()).members(&mut output::OnDisk(args.out.clone())).unwrap_or_else(|e| {
            eprintln!("release-embed: the previous archive's id tables are not used ({e}): releases are numbered anew");
            None
        })
    });
    let input = BuildInput { feed: &feed, base, previous: previous.as_ref(), members: members.as_deref() };
    let mut manifest = build(input, &mut sink, &mut show)?;
    progress.done();
    // The list as a reader first sees it, for the page's script to show before the wasm.
    match first_page::first_page(&manifest, &args.out) {
        Ok(page) => manifest.first_page = Some(page),
        Err(e) => eprintln!("release-embed: the archive's first page was left out: {e}"),
    }
    let pages = match site {
        Some((site, slugs)) => {
            progress.show("writing the release pages");
            let written = pages::write_site(site, &feed, &slugs, &args.out, &mut sink)?;
            progress.done();
            Some(written)
        }
        None => None,
    };
    let json = serde_json::to_vec(&manifest).map_err(|e| e.to_string())?;
    // The fallback first, the manifest last: until the manifest is replaced, the old archive is whole.
    sink.replace("fallback.html", fallback::fallback_html(&feed.releases).as_bytes())?;
    sink.replace("archive.json", &json)?;
    let removed = sink.clean_up()?;
    let repaired = sink.repaired;
    let mut report = format!(
        "{}: {} releases, {} files ({} bytes); changed {} files ({} bytes), removed {removed} old pieces",
        args.out.display(),
        manifest.live_releases(),
        // The pieces, the manifest and the fallback.
        sink.names.len() + 2,
        sink.bytes_total,
        sink.files_written,
        sink.bytes_written,
    );
    if let Some(p) = pages {
        report.push_str(&format!(
            "; {} release pages, changed {} and removed {} of them; changed {} of the stylesheet, sitemap and feeds",
            p.pages, p.pages_written, p.pages_removed, p.other_written
        ));
    }
    if repaired > 0 {
        report.push_str(&format!("; wrote again {repaired} damaged pieces (their bytes did not match their names)"));
    }
    if undated > 0 {
        report.push_str(&format!("; left out {undated} releases without a date that could be read (see above)"));
    }
    if future > 0 {
        report.push_str(&format!("; left out {future} releases dated in the future (--include-future keeps them)"));
    }
    Ok(report)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    // `views DIR [--check]`: bytes per view of a built archive, for docs/archive.md and
    // `make bench-archive`; with --check, exits 1 when a view is over its budget.
    if let [views, dir, rest @ ..] = args.as_slice() {
        if views == "views" {
            return match views::report(std::path::Path::new(dir)) {
                Ok((table, met)) => {
                    print!("{table}");
                    if rest.iter().any(|a| a == "--check") && !met {
                        eprintln!("release-embed: some views are over their budget");
                        return ExitCode::FAILURE;
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("release-embed: {e}");
                    ExitCode::FAILURE
                }
            };
        }
    }
    let args = match parse_args(&args) {
        Ok(a) => a,
        Err(e) => {
            if !e.is_empty() {
                eprintln!("release-embed: {e}");
            }
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match run(args) {
        Ok(report) => {
            println!("{report}");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("release-embed: {e}\nrelease-embed: the previous archive (if any) is intact");
            ExitCode::FAILURE
        }
    }
}
