//! A fixed-size set of document numbers, one bit each: unions and intersections of posting lists
//! stay fast at 100,000 releases.

#[derive(Debug, Clone, PartialEq)]
pub struct Bits {
    words: Vec<u64>,
}

impl Bits {
    pub fn empty(len: usize) -> Bits {
        Bits { words: vec![0; len.div_ceil(64)] }
    }

    pub fn full(len: usize) -> Bits {
        let mut bits = Bits { words: vec![u64::MAX; len.div_ceil(64)] };
        if len % 64 != 0 {
            if let Some(last) = bits.words.last_mut() {
                *last = (1u64 << (len % 64)) - 1;
            }
        }
        bits
    }

    pub fn insert(&mut self, i: usize) {
        self.words[i / 64] |= 1 << (i % 64);
    }

    pub fn contains(&self, i: usize) -> bool {
        self.words.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    pub fn intersect(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a &= b;
        }
    }

    pub fn union(&mut self, other: &Bits) {
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Adds `other`'s members, each moved up by `offset`: a word at a time where `offset` is a
    /// multiple of 64 (an archive's segments start at block edges), else one at a time.
    pub fn union_at(&mut self, other: &Bits, offset: usize) {
        if offset % 64 != 0 {
            other.iter().for_each(|i| self.insert(offset + i));
            return;
        }
        for (a, b) in self.words.iter_mut().skip(offset / 64).zip(&other.words) {
            *a |= b;
        }
    }

    /// Adds the members of a bitmap stored as bytes (bit `i % 8` of byte `i / 8` is member `i`),
    /// each moved up by `offset`; returns how many the bitmap holds.
    pub fn union_bytes_at(&mut self, bytes: &[u8], offset: usize) -> usize {
        if offset % 64 != 0 {
            for (i, &b) in bytes.iter().enumerate() {
                (0..8).filter(|bit| b & (1 << bit) != 0).for_each(|bit| self.insert(offset + i * 8 + bit));
            }
        } else {
            for (a, chunk) in self.words.iter_mut().skip(offset / 64).zip(bytes.chunks(8)) {
                let mut word = [0u8; 8];
                word[..chunk.len()].copy_from_slice(chunk);
                *a |= u64::from_le_bytes(word);
            }
        }
        bytes.iter().map(|b| b.count_ones() as usize).sum()
    }

    pub fn count(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    pub fn iter(&self) -> Members<'_> {
        Members { words: &self.words, at: 0, word: self.words.first().copied().unwrap_or(0) }
    }

    /// The members from the largest down.
    pub fn descending(&self) -> Descending<'_> {
        Descending { words: &self.words, at: self.words.len(), word: 0 }
    }

    /// Adds every member of `start..end`, a word at a time.
    pub fn insert_range(&mut self, start: usize, end: usize) {
        let mut i = start;
        while i < end {
            let (word, bit) = (i / 64, i % 64);
            let n = (64 - bit).min(end - i);
            let mask = if n == 64 { u64::MAX } else { ((1u64 << n) - 1) << bit };
            self.words[word] |= mask;
            i += n;
        }
    }

    pub fn remove(&mut self, i: usize) {
        self.words[i / 64] &= !(1 << (i % 64));
    }
}

/// The members of a [`Bits`], in ascending order.
pub struct Members<'a> {
    words: &'a [u64],
    /// The word being read, and what is left of it.
    at: usize,
    word: u64,
}

/// The members of a [`Bits`], in descending order.
pub struct Descending<'a> {
    words: &'a [u64],
    /// One past the word being read, and what is left of it.
    at: usize,
    word: u64,
}

impl Iterator for Descending<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.word == 0 {
            self.at = self.at.checked_sub(1)?;
            self.word = self.words[self.at];
        }
        let bit = 63 - self.word.leading_zeros() as usize;
        self.word &= !(1 << bit);
        Some(self.at * 64 + bit)
    }
}

impl Iterator for Members<'_> {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        while self.word == 0 {
            self.at += 1;
            self.word = *self.words.get(self.at)?;
        }
        let bit = self.word.trailing_zeros() as usize;
        self.word &= self.word - 1;
        Some(self.at * 64 + bit)
    }
}

#[cfg(test)]
mod tests {
    use super::Bits;

    #[test]
    fn ranges_and_removals() {
        for (start, end) in [(0, 0), (0, 64), (3, 70), (60, 200), (64, 128), (1, 299)] {
            let mut bits = Bits::empty(300);
            bits.insert_range(start, end);
            assert_eq!(bits.iter().collect::<Vec<_>>(), (start..end).collect::<Vec<_>>(), "{start}..{end}");
            if end > start {
                bits.remove(start);
                assert_eq!(bits.count(), end - start - 1);
            }
        }
        assert_eq!(Bits::empty(0).iter().next(), None);
        let mut sparse = Bits::empty(1000);
        [0, 63, 64, 500, 999].iter().for_each(|&i| sparse.insert(i));
        assert_eq!(sparse.iter().collect::<Vec<_>>(), [0, 63, 64, 500, 999]);
        assert_eq!(sparse.descending().collect::<Vec<_>>(), [999, 500, 64, 63, 0]);
        assert_eq!(Bits::empty(0).descending().next(), None);
        assert_eq!(Bits::full(130).descending().collect::<Vec<_>>(), (0..130).rev().collect::<Vec<_>>());
    }

    #[test]
    fn unions_at_an_offset_match_one_by_one_inserts() {
        let mut small = Bits::empty(100);
        [0, 5, 63, 64, 99].iter().for_each(|&i| small.insert(i));
        let bytes: Vec<u8> =
            (0..13).map(|i| (0..8).fold(0u8, |b, bit| b | (u8::from(small.contains(i * 8 + bit)) << bit))).collect();
        for offset in [0, 64, 128, 3, 70] {
            let mut want = Bits::empty(300);
            small.iter().for_each(|i| want.insert(offset + i));
            let mut got = Bits::empty(300);
            got.union_at(&small, offset);
            assert_eq!(got, want, "union_at {offset}");
            let mut got = Bits::empty(300);
            assert_eq!(got.union_bytes_at(&bytes, offset), 5);
            assert_eq!(got, want, "union_bytes_at {offset}");
        }
    }

    #[test]
    fn set_operations() {
        let mut a = Bits::full(130);
        assert_eq!(a.count(), 130);
        let mut b = Bits::empty(130);
        for i in [0, 63, 64, 129] {
            b.insert(i);
        }
        a.intersect(&b);
        assert_eq!(a.iter().collect::<Vec<_>>(), [0, 63, 64, 129]);
        assert!(a.contains(129) && !a.contains(1) && !a.contains(500));
    }
}
