//! Each key of some texts typed into the search box of an archive, as the widget's worker reads
//! it: the rounds of fetching, the pieces and bytes each key needs (from DIR/p/), the total, and
//! the evaluation's time once its pieces are here (the first, then the mean of 20 more).
//!   cargo run --release -p release-embed-cli --example rounds -- DIR "consumer fraud" '"attorney general"'
//! `SHOW="<text so far>"` prints the pieces of each round of that key; `TAG="<topic>"` and
//! `YEAR=2015` tick a topic or a year for every view (with no text: the filter alone).
use release_embed::archive::reader::{Answer, Reader};
use release_embed::search::FilterState;
fn main() {
    let dir = std::path::PathBuf::from(std::env::args().nth(1).expect("usage: rounds DIR TEXT..."));
    let manifest = std::fs::read_to_string(dir.join("archive.json")).unwrap();
    let mut reader = Reader::open(&manifest).unwrap();
    let mut typed = vec![String::new()];
    for text in std::env::args().skip(2) {
        for n in 1..=text.chars().count() {
            typed.push(text.chars().take(n).collect());
        }
        typed.push(String::new());
    }
    for q in typed {
        let tags: Vec<String> = std::env::var("TAG").ok().into_iter().collect();
        let years: Vec<i32> = std::env::var("YEAR").ok().and_then(|y| y.parse().ok()).into_iter().collect();
        let s = FilterState { query: q.clone(), tags, years, page: 1, ..Default::default() }.to_search("", "re");
        let (mut rounds, mut pieces, mut size) = (0, 0, 0);
        loop {
            let t = std::time::Instant::now();
            let answer = reader.list(&s, "re", 10);
            let took = t.elapsed().as_secs_f64() * 1000.0;
            match answer {
                Answer::Need(names) => {
                    rounds += 1;
                    pieces += names.len();
                    if std::env::var("SHOW").is_ok_and(|v| v == q) {
                        println!("  round {rounds}: {names:?}");
                    }
                    for n in &names {
                        let bytes = std::fs::read(dir.join("p").join(n)).unwrap();
                        size += bytes.len();
                        reader.add(n, &bytes);
                    }
                    if rounds > 80 {
                        println!("{q:?}: >80 rounds");
                        break;
                    }
                }
                Answer::Ready(l) => {
                    let t = std::time::Instant::now();
                    for _ in 0..20 {
                        let _ = reader.list(&s, "re", 10);
                    }
                    let again = t.elapsed().as_secs_f64() * 1000.0 / 20.0;
                    println!(
                        "{q:?}: {rounds} rounds, {pieces} pieces, {size} B, total {}, last {took:.2} ms, again {again:.2} ms",
                        l.total
                    );
                    break;
                }
                Answer::Failed { message, .. } => {
                    println!("{q:?}: failed {message}");
                    break;
                }
            }
        }
    }
}
