//! `release-embed archive SOURCE... --out DIR [--include-future]`: reads every source with the
//! widget's readers and writes a static archive the widget can read piece by piece (see
//! docs/archive.md), plus `fallback.html`.

mod fallback;
mod first_page;
mod output;
mod source;
mod views;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{SystemTime, UNIX_EPOCH};

use release_embed::archive::{build, BuildInput};
use release_embed::model::Feed;

const USAGE: &str = "usage: release-embed archive SOURCE... --out DIR [--include-future]

  SOURCE            a feed file or an http(s) address (native, JSON Feed, WordPress; every page
                    is followed); several sources are merged, the first one's agency kept
  --out DIR         where archive.json, the pieces (DIR/p/) and fallback.html go
  --include-future  keep releases dated after now (embargoed ones are left out by default)";

struct Args {
    sources: Vec<String>,
    out: PathBuf,
    include_future: bool,
}

fn parse_args(args: &[String]) -> Result<Args, String> {
    let mut rest = args.iter();
    if rest.next().map(String::as_str) != Some("archive") {
        return Err("the only command is \u{201c}archive\u{201d}".into());
    }
    let (mut sources, mut out, mut include_future) = (Vec::new(), None, false);
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--out" => out = Some(rest.next().ok_or("--out needs a directory")?.into()),
            "--include-future" => include_future = true,
            "-h" | "--help" => return Err(String::new()),
            flag if flag.starts_with("--") => return Err(format!("unknown option {flag}")),
            source => sources.push(source.to_string()),
        }
    }
    let out = out.ok_or("--out DIR is required")?;
    if sources.is_empty() {
        return Err("give at least one SOURCE".into());
    }
    Ok(Args { sources, out, include_future })
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
    let mut feed: Option<Feed> = None;
    for source in &args.sources {
        let page = source::load(source, &mut |text| progress.show(text)).map_err(|e| format!("{source}: {e}"))?;
        for problem in &page.problems {
            progress.done();
            eprintln!("{source}: {problem}");
        }
        match &mut feed {
            Some(f) => f.merge(page),
            None => feed = Some(page),
        }
    }
    let mut feed = feed.ok_or("no sources")?;
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    let before = feed.releases.len();
    if !args.include_future {
        feed.releases.retain(|r| r.date.timestamp() <= now);
    }
    let future = before - feed.releases.len();

    let mut sink = output::DirSink::new(&args.out)?;
    let base = args.sources.first().filter(|s| s.contains("://")).map_or("", String::as_str);
    let mut show =
        |what: &str, done: u64, total: u64| progress.show(&format!("building {what}: {done} of {total} releases"));
    let mut manifest = build(BuildInput { feed: &feed, base }, &mut sink, &mut show)?;
    progress.done();
    // The list as a reader first sees it, for the page's script to show before the wasm.
    match first_page::first_page(&manifest, &args.out) {
        Ok(page) => manifest.first_page = Some(page),
        Err(e) => eprintln!("release-embed: the archive's first page was left out: {e}"),
    }
    let json = serde_json::to_vec(&manifest).map_err(|e| e.to_string())?;
    // The fallback first, the manifest last: until the manifest is replaced, the old archive is whole.
    sink.replace("fallback.html", fallback::fallback_html(&feed.releases).as_bytes())?;
    sink.replace("archive.json", &json)?;
    let removed = sink.clean_up()?;
    let mut report = format!(
        "{}: {} releases, {} files ({} bytes); changed {} files ({} bytes), removed {removed} old pieces",
        args.out.display(),
        manifest.releases,
        // The pieces, the manifest and the fallback.
        sink.names.len() + 2,
        sink.bytes_total,
        sink.files_written,
        sink.bytes_written,
    );
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
