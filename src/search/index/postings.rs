//! Postings as LEB128 gaps: a word's entries ascend, so each is stored as
//! its distance from the one before, a byte for a common word.

/// The bytes of a gap in LEB128: seven bits a byte.
pub(super) fn gap_len(gap: u32) -> usize {
    (32 - gap.leading_zeros() as usize).div_ceil(7).max(1)
}

/// Appends a gap in LEB128.
pub(super) fn push_gap(out: &mut Vec<u8>, gap: u32) {
    let mut bytes = [0u8; 5];
    let written = put_gap(&mut bytes, gap);
    out.extend_from_slice(&bytes[..written]);
}

/// Writes a gap in LEB128 at the start of `out`; returns its length.
pub(super) fn put_gap(out: &mut [u8], mut gap: u32) -> usize {
    let mut written = 0;
    loop {
        #[allow(clippy::cast_possible_truncation)] // the low seven bits
        let low = (gap & 0x7f) as u8;
        gap >>= 7;
        out[written] = if gap == 0 { low } else { low | 0x80 };
        written += 1;
        if gap == 0 {
            return written;
        }
    }
}

/// The postings of one word: (entry, saturated weight), entries ascending.
pub(super) struct Postings<'i> {
    gaps: &'i [u8],
    weights: std::slice::Iter<'i, u8>,
    entry: u32,
}

impl<'i> Postings<'i> {
    /// A word's gaps and, one per posting, its weights.
    pub(super) fn new(gaps: &'i [u8], weights: &'i [u8]) -> Self {
        Postings { gaps, weights: weights.iter(), entry: 0 }
    }
}

impl Iterator for Postings<'_> {
    type Item = (usize, u8);

    fn next(&mut self) -> Option<(usize, u8)> {
        let weight = *self.weights.next()?;
        self.entry += take_gap(&mut self.gaps);
        Some((self.entry as usize, weight))
    }
}

/// Reads a LEB128 gap off the front of `gaps`.
pub(super) fn take_gap(gaps: &mut &[u8]) -> u32 {
    let (mut gap, mut shift) = (0u32, 0);
    while let Some((&byte, rest)) = gaps.split_first() {
        *gaps = rest;
        gap |= u32::from(byte & 0x7f) << shift;
        shift += 7;
        if byte & 0x80 == 0 {
            break;
        }
    }
    gap
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_read_back_as_written() {
        let entries = [0u32, 1, 2, 129, 130, 16_514, 16_515, 2_113_667, u32::MAX - 1, u32::MAX];
        let mut gaps = [0u8; 64];
        let (mut at, mut previous) = (0, 0);
        for &entry in &entries {
            let written = put_gap(&mut gaps[at..], entry - previous);
            assert_eq!(written, gap_len(entry - previous), "{entry}");
            (at, previous) = (at + written, entry);
        }
        let weights: Vec<u8> = (0..entries.len()).map(|i| u8::try_from(i).unwrap_or(0)).collect();
        let read: Vec<(usize, u8)> = Postings::new(&gaps[..at], &weights).collect();
        let expected: Vec<(usize, u8)> = entries.iter().map(|&e| e as usize).zip(weights.iter().copied()).collect();
        assert_eq!(read, expected);
        assert_eq!((gap_len(0), gap_len(127), gap_len(128), gap_len(u32::MAX)), (1, 1, 2, 5));
    }
}
