//! The list view's Markdown-to-text reader (`text::markdown_text`, no pulldown-cmark) against
//! pulldown-cmark's own text: search and summaries must see the same words either way.

#![cfg(feature = "bodies")]
use release_embed::render::markdown;
use release_embed::search::text::fold;
use release_embed::text::markdown_text::to_plain_text;

/// What search sees of a text: its folded words.
fn words(text: &str) -> Vec<String> {
    fold(text).split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_string).collect()
}

fn agree(md: &str) {
    assert_eq!(words(&to_plain_text(md)), words(&markdown::to_plain_text(md)), "for {md:?}");
}

#[test]
fn agrees_with_pulldown_cmark_on_each_construct() {
    for md in [
        "Plain words, nothing else.",
        "# Title\n\nSome *em* text\nand [a link](/x).\n\n- one",
        "Setext\n======\n\nSub\n---\n\ntext",
        "**Bold** and __bold__ and _em_ and snake_case_name and 5 * 3",
        "> Quoted, said the AG.\n> Second line\n\n> - a list in a quote",
        "1. first\n2. second\n   continued\n\n* star\n+ plus",
        "Inline `code *not em*` and ``double `tick` code``",
        "```rust\nlet x = 1; // code\n```\n\nafter",
        "~~~\nfenced *code*\n~~~",
        "    indented code\n\npara",
        "An ![image alt](https://x.example/i.png \"title\") and [ref link][r] and [r].\n\n[r]: https://x.example",
        "Autolink <https://ag.example.gov/a?b=c> and mail <press@ag.example.gov>",
        "Entities &amp; &copy; &#8211; &#x2014; &nbsp;and\\* escaped \\[not a link\\]",
        "Hard break  \nnext\\\nline",
        "Inline <span class=\"x\">html</span> and <br/> tags",
        "<div>\nblock html dropped\n</div>\n\nkept",
        "<script>\nalert(1)\n</script>\nafter",
        "<!-- a comment -->\n\nvisible",
        "***\n\n---\n\n___\n\nrules",
        "| County | Amount |\n|---|---|\n| Kent | $5 |",
        "[link *with* `code`](http://x.example/(paren)) end",
        "Unclosed *star and _underscore and [bracket",
        "## Heading with closing ##\n\n###### Six",
        "Ünïcode wörds — Peña, São Paulo",
    ] {
        agree(md);
    }
}

#[test]
fn agrees_on_the_seed_release_and_every_sample_body() {
    agree(include_str!("fixtures/seed-press-release.txt"));
    let sample: serde_json::Value = serde_json::from_str(include_str!("../www/releases.json")).unwrap();
    let bodies: Vec<&str> = sample["releases"].as_array().unwrap().iter().filter_map(|r| r["body"].as_str()).collect();
    assert!(bodies.len() > 5);
    for body in bodies {
        agree(body);
    }
}

// proptest runs natively only (a dev-dependency for that target).
#[cfg(not(target_arch = "wasm32"))]
proptest::proptest! {
    /// Random bodies the way releases are written: blocks (paragraphs, headings, quotes, list
    /// items, code) of lines of words with inline markup, separated by blank lines.
    #[test]
    fn agrees_with_pulldown_cmark_on_random_bodies(
        blocks in proptest::collection::vec(
            (0usize..BLOCKS.len(), proptest::collection::vec(proptest::collection::vec(0usize..INLINE.len(), 1..10), 1..4)),
            1..8,
        )
    ) {
        let md = blocks
            .iter()
            .map(|(kind, lines)| {
                let lines: Vec<String> = lines.iter().map(|line| line.iter().map(|&i| INLINE[i]).collect::<Vec<_>>().join(" ")).collect();
                BLOCKS[*kind].replace("{}", &lines.join("\n"))
            })
            .collect::<Vec<_>>()
            .join("\n\n");
        proptest::prop_assert_eq!(words(&to_plain_text(&md)), words(&markdown::to_plain_text(&md)), "for {:?}", md);
    }
}

const BLOCKS: &[&str] =
    &["{}", "# {}", "### {}", "> {}", "- {}", "1. {}", "* {}", "```\n{}\n```", "{}\n---", "<div>\n{}\n</div>"];
const INLINE: &[&str] = &[
    "word",
    "Attorney",
    "General",
    "**bold words**",
    "*em*",
    "_em_",
    "__strong__",
    "`code span`",
    "`a*b`",
    "[link text](https://ag.example.gov/target-url)",
    "[rel](/rel \"title\")",
    "![alt text](/i.png)",
    "<https://auto.example/x>",
    "<b>tagged</b>",
    "&amp;",
    "&#8211;",
    "\\*",
    "snake_case",
    "5 * 3",
    "(paren)",
    "\"quoted\"",
    "Peña",
    "$5,000",
    "2018-06-19",
    "U.S.",
    "e-mail:",
    "press@ag.example.gov",
];

#[test]
fn gives_the_same_summary_text_for_ordinary_bodies() {
    let md = "# Title\n\nSome *em* text\nand [a link](/x).\n\n- one";
    assert_eq!(to_plain_text(md), "Title Some em text and a link. one");
}
