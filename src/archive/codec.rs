//! The binary encodings of the archive's pieces: unsigned LEB128 numbers, strings, and sets of
//! document numbers stored in whichever of three forms is smallest (a gap list, a bitmap, or the
//! gap list of the documents *not* in the set), so no set costs more than a bit per document.

use crate::search::Bits;

/// FNV-1a, 64 bits: a hash that is the same on every machine and in every Rust version, for
/// cuts that follow content (card pieces, table chunks) rather than places.
#[cfg(feature = "bodies")]
pub fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3))
}

pub fn put_uint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

pub fn put_str(out: &mut Vec<u8>, s: &str) {
    put_uint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

/// Reads what the functions above wrote; running off the end is an error, never a panic.
pub struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

pub type Decoded<T> = std::result::Result<T, String>;

impl<'a> Cursor<'a> {
    pub fn new(bytes: &'a [u8]) -> Cursor<'a> {
        Cursor { bytes, at: 0 }
    }

    pub fn is_done(&self) -> bool {
        self.at >= self.bytes.len()
    }

    pub fn uint(&mut self) -> Decoded<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.bytes.get(self.at).ok_or("the piece ends in the middle of a number")?;
            self.at += 1;
            // The tenth byte holds the 64th bit only: more would be lost, not read.
            if shift == 63 && b > 1 {
                return Err("a number in the piece is too large".into());
            }
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err("a number in the piece is too long".into())
    }

    /// A number that must fit 32 bits (a value's number, a count).
    pub fn u32(&mut self) -> Decoded<u32> {
        u32::try_from(self.uint()?).map_err(|_| "a number in the piece is too large".to_string())
    }

    /// A signed number written zigzag (0, -1, 1, -2 … as 0, 1, 2, 3 …).
    pub fn zigzag(&mut self) -> Decoded<i64> {
        let z = self.uint()?;
        Ok(((z >> 1) as i64) ^ -((z & 1) as i64))
    }

    pub fn usize(&mut self) -> Decoded<usize> {
        usize::try_from(self.uint()?).map_err(|_| "a number in the piece is too large".to_string())
    }

    pub fn bytes(&mut self, len: usize) -> Decoded<&'a [u8]> {
        let end = self.at.checked_add(len).filter(|&e| e <= self.bytes.len()).ok_or("the piece is cut short")?;
        let out = &self.bytes[self.at..end];
        self.at = end;
        Ok(out)
    }

    pub fn str(&mut self) -> Decoded<&'a str> {
        let len = self.usize()?;
        std::str::from_utf8(self.bytes(len)?).map_err(|_| "a string in the piece is not UTF-8".into())
    }
}

const LIST: u8 = 0;
const BITMAP: u8 = 1;
const COMPLEMENT: u8 = 2;

/// Writes the sorted, distinct document numbers `docs` (all below `universe`).
pub fn put_set(out: &mut Vec<u8>, docs: &[u32], universe: u32) {
    let gaps = |list: &mut dyn Iterator<Item = u32>| {
        let mut buf = Vec::new();
        let mut prev = 0u32;
        let mut n = 0u64;
        for d in list {
            put_uint(&mut buf, u64::from(d - prev));
            prev = d + 1;
            n += 1;
        }
        let mut out = Vec::with_capacity(buf.len() + 3);
        put_uint(&mut out, n);
        out.extend(buf);
        out
    };
    let list = gaps(&mut docs.iter().copied());
    let bitmap_len = universe.div_ceil(8) as usize;
    // The complement is worth computing only for dense sets.
    let complement = (docs.len() * 2 > universe as usize).then(|| {
        let mut it = docs.iter().copied().peekable();
        gaps(&mut (0..universe).filter(move |&d| {
            if it.peek() == Some(&d) {
                it.next();
                false
            } else {
                true
            }
        }))
    });
    match complement {
        Some(c) if c.len() < list.len() && c.len() <= bitmap_len => {
            out.push(COMPLEMENT);
            out.extend(c);
        }
        _ if bitmap_len < list.len() => {
            out.push(BITMAP);
            let mut bits = vec![0u8; bitmap_len];
            docs.iter().for_each(|&d| bits[(d / 8) as usize] |= 1 << (d % 8));
            out.extend(bits);
        }
        _ => {
            out.push(LIST);
            out.extend(list);
        }
    }
}

/// Reads a set written by [`put_set`] into `into`, each number shifted by `offset`; returns how
/// many numbers it held.
pub fn read_set(c: &mut Cursor<'_>, universe: u32, offset: usize, bits: &mut Bits) -> Decoded<usize> {
    let mut count = 0;
    let mut into = |d: usize| {
        bits.insert(d);
        count += 1;
    };
    let in_range = |d: u64| (d < u64::from(universe)).then_some(d as usize).ok_or("a document number is out of range");
    // The gaps are untrusted: a sum past the universe is an error, and so is one past u64 (which
    // would wrap round to a small, valid-looking number). The count cannot exceed the universe.
    let gaps = |c: &mut Cursor<'_>, f: &mut dyn FnMut(usize)| -> Decoded<()> {
        let n = c.uint()?;
        if n > u64::from(universe) {
            return Err("a set holds more numbers than there are documents".into());
        }
        let mut next = 0u64;
        for _ in 0..n {
            let d = next.checked_add(c.uint()?).ok_or("a document number is out of range")?;
            f(in_range(d)?);
            next = d + 1;
        }
        Ok(())
    };
    let kind = *c.bytes(1)?.first().unwrap_or(&LIST);
    match kind {
        LIST => gaps(c, &mut |d| into(offset + d))?,
        BITMAP => {
            let map = c.bytes(universe.div_ceil(8) as usize)?;
            // A bit past the universe, in the last byte's spare bits, is a damaged set.
            if universe % 8 != 0 && map.last().is_some_and(|&b| b >> (universe % 8) != 0) {
                return Err("a document number is out of range".into());
            }
            return Ok(bits.union_bytes_at(map, offset));
        }
        COMPLEMENT => {
            // Every number of the universe, the listed ones taken out, then added to `bits`
            // (which may hold members in the same range already: a union, never a removal).
            let mut set = Bits::empty(universe as usize);
            set.insert_range(0, universe as usize);
            let mut missing = 0;
            gaps(c, &mut |d| {
                set.remove(d);
                missing += 1;
            })?;
            bits.union_at(&set, offset);
            return Ok(universe as usize - missing);
        }
        _ => return Err("unknown set encoding".into()),
    }
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(docs: &[u32], universe: u32) -> (usize, Vec<usize>) {
        let mut out = Vec::new();
        put_set(&mut out, docs, universe);
        let mut bits = Bits::empty(universe as usize + 5);
        read_set(&mut Cursor::new(&out), universe, 5, &mut bits).unwrap();
        (out.len(), bits.iter().map(|d| d - 5).collect())
    }

    #[test]
    fn sets_take_the_smallest_form_and_come_back_whole() {
        let sparse = [3, 900, 901];
        assert_eq!(round_trip(&sparse, 1000), (1 + 1 + 4, vec![3, 900, 901]));
        let half: Vec<u32> = (0..1000).step_by(2).collect();
        let (len, back) = round_trip(&half, 1000);
        assert_eq!((len, back.len()), (1 + 125, 500), "bitmap");
        let all_but: Vec<u32> = (0..1000).filter(|&d| d != 7).collect();
        let (len, back) = round_trip(&all_but, 1000);
        assert!(len <= 4 && back.len() == 999 && !back.contains(&7), "complement: {len}");
        assert_eq!(round_trip(&[], 1000), (2, vec![]));
    }

    #[test]
    fn truncated_input_is_an_error() {
        let mut out = Vec::new();
        put_set(&mut out, &[1, 2, 300], 1000);
        let mut bits = Bits::empty(1000);
        assert!(read_set(&mut Cursor::new(&out[..out.len() - 1]), 1000, 0, &mut bits).is_err());
        assert!(Cursor::new(&[0x80]).uint().is_err());
    }

    #[test]
    fn untrusted_numbers_are_checked_not_wrapped() {
        // Gaps whose sum passes u64::MAX: 2 numbers, 5 then (u64::MAX - 5), which would wrap to 0.
        let mut bytes = vec![LIST, 2, 5];
        let mut tail = Vec::new();
        put_uint(&mut tail, u64::MAX - 5);
        bytes.extend(tail);
        let mut bits = Bits::empty(16);
        let err = read_set(&mut Cursor::new(&bytes), 10, 0, &mut bits).unwrap_err();
        assert_eq!(err, "a document number is out of range");
        // More numbers than documents: refused before reading them.
        let mut bytes = vec![LIST];
        put_uint(&mut bytes, u64::MAX);
        assert!(read_set(&mut Cursor::new(&bytes), 10, 0, &mut Bits::empty(16)).is_err());
        // A ten-byte number whose last byte has bits beyond the 64th.
        let mut c = Cursor::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f]);
        assert_eq!(c.uint().unwrap_err(), "a number in the piece is too large");
        let mut c = Cursor::new(&[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
        assert_eq!(c.uint(), Ok(u64::MAX));
        // 2^32 does not fit a count; zigzag reads the extremes without overflow.
        let mut out = Vec::new();
        put_uint(&mut out, 1 << 32);
        put_uint(&mut out, u64::MAX);
        put_uint(&mut out, u64::MAX - 1);
        let mut c = Cursor::new(&out);
        assert!(c.u32().is_err());
        assert_eq!(c.zigzag(), Ok(i64::MIN));
        assert_eq!(c.zigzag(), Ok(i64::MAX));
    }
}
