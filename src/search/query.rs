//! What a reader types into the search box, read into words and "quoted phrases".

use super::text::words;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
    /// Each must match the start of a word ("immig" finds "immigration").
    pub words: Vec<String>,
    /// Each must appear as consecutive words.
    pub phrases: Vec<Phrase>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Phrase {
    pub words: Vec<String>,
    /// True while the closing quote is not typed yet: the last word may still be growing.
    pub open: bool,
}

impl Query {
    pub fn parse(input: &str) -> Query {
        let mut query = Query::default();
        let mut rest = input;
        while let Some(start) = rest.find(['"', '\u{201c}', '\u{201d}']) {
            query.words.extend(words(&rest[..start]));
            let after = &rest[start + rest[start..].chars().next().map_or(1, char::len_utf8)..];
            let (inside, tail, open) = match after.find(['"', '\u{201c}', '\u{201d}']) {
                Some(end) => {
                    (&after[..end], &after[end + after[end..].chars().next().map_or(1, char::len_utf8)..], false)
                }
                None => (after, "", true),
            };
            let phrase = words(inside);
            if !phrase.is_empty() {
                query.phrases.push(Phrase { words: phrase, open });
            }
            rest = tail;
        }
        query.words.extend(words(rest));
        query
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty() && self.phrases.is_empty()
    }

    /// Every word to highlight, with whether it may be a prefix of the shown word.
    pub fn highlights(&self) -> Vec<(&str, bool)> {
        let mut out: Vec<(&str, bool)> = self.words.iter().map(|w| (w.as_str(), true)).collect();
        for p in &self.phrases {
            let last = p.words.len() - 1;
            out.extend(p.words.iter().enumerate().map(|(i, w)| (w.as_str(), p.open && i == last)));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_phrases() {
        let q = Query::parse(r#"Immig "Attorney  General" Peña “human traff"#);
        assert_eq!(q.words, ["immig", "pena"]);
        assert_eq!(q.phrases[0], Phrase { words: vec!["attorney".into(), "general".into()], open: false });
        assert_eq!(q.phrases[1], Phrase { words: vec!["human".into(), "traff".into()], open: true });
        assert!(Query::parse("  \"\" ").is_empty());
    }
}
