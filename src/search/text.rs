//! Words for searching: lower-cased, accents folded ("Peña" → "pena", "São" → "sao"), split on
//! anything that is not a letter or digit.

/// Latin-1 letters U+00C0–U+00FF without accents. Upper-case markers stand for two letters:
/// `A` "ae", `T` "th", `S` "ss"; `*` is not a letter (× and ÷) and is kept.
const LATIN1: &[u8; 64] = b"aaaaaaAceeeeiiiidnooooo*ouuuuyTSaaaaaaAceeeeiiiidnooooo*ouuuuyTy";
/// Latin Extended-A U+0100–U+017F the same way; `I` "ij", `O` "oe".
const LATIN_EXT_A: &[u8; 128] = b"aaaaaaccccccccddddeeeeeeeeeegggggggghhhhiiiiiiiiiiIIjjkkkllllllllllnnnnnnnnnooooooOOrrrrrrssssssssttttttuuuuuuuuuuuuwwyyyzzzzzzs";

/// Appends the folded form of `c` to `out`.
fn push_folded(c: char, out: &mut String) {
    let code = c as u32;
    let mapped = match code {
        0x41..=0x5A => Some(c.to_ascii_lowercase() as u8),
        0xC0..=0xFF => Some(LATIN1[(code - 0xC0) as usize]),
        0x100..=0x17F => Some(LATIN_EXT_A[(code - 0x100) as usize]),
        // Combining accents (text in decomposed form): drop them.
        0x300..=0x36F => return,
        _ => None,
    };
    match mapped {
        Some(b'A') => out.push_str("ae"),
        Some(b'T') => out.push_str("th"),
        Some(b'S') => out.push_str("ss"),
        Some(b'I') => out.push_str("ij"),
        Some(b'O') => out.push_str("oe"),
        Some(b'*') => out.push(c),
        Some(b) => out.push(char::from(b)),
        None if c.is_ascii() => out.push(c),
        None => out.extend(c.to_lowercase()),
    }
}

pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        push_folded(c, &mut out);
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || ('\u{300}'..='\u{36F}').contains(&c)
}

/// Calls `f` with each folded word of `text` and its byte range in `text`.
pub fn for_each_word(text: &str, mut f: impl FnMut(&str, std::ops::Range<usize>)) {
    let bytes = text.as_bytes();
    let mut word = String::new();
    let mut start = None;
    let mut i = 0;
    while i < bytes.len() {
        // ASCII, most of any feed, without decoding characters.
        let (is_word, len) = match bytes[i] {
            b if b.is_ascii_alphanumeric() => {
                word.push(char::from(b.to_ascii_lowercase()));
                (true, 1)
            }
            b if b.is_ascii() => (false, 1),
            _ => {
                let c = text[i..].chars().next().unwrap_or(' ');
                let is_word = is_word_char(c);
                if is_word {
                    push_folded(c, &mut word);
                }
                (is_word, c.len_utf8())
            }
        };
        if is_word {
            start.get_or_insert(i);
        } else if let Some(s) = start.take() {
            f(&word, s..i);
            word.clear();
        }
        i += len;
    }
    if let Some(s) = start {
        f(&word, s..text.len());
    }
}

pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for_each_word(text, |w, _| out.push(w.to_string()));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_and_accents() {
        assert_eq!(fold("Peña São Paulo ÉCOLE Œuvre Straße Łódź Ærø"), "pena sao paulo ecole oeuvre strasse lodz aero");
        assert_eq!(fold("Pen\u{303}a"), "pena", "decomposed accents too");
        assert_eq!(fold("ΑΘΗΝΑ 5×3"), "αθηνα 5×3");
    }

    #[test]
    fn splits_words_with_their_places() {
        let mut seen = Vec::new();
        for_each_word("AG’s “Peña” — 20 states!", |w, r| seen.push((w.to_string(), r)));
        let words: Vec<&str> = seen.iter().map(|(w, _)| w.as_str()).collect();
        assert_eq!(words, ["ag", "s", "pena", "20", "states"]);
        assert_eq!(&"AG’s “Peña” — 20 states!"[seen[2].1.clone()], "Peña");
    }
}
