//! Text from a catalog, a file name or a command is shown as it is, never
//! obeyed: control characters reach a terminal as instructions (an ESC
//! sequence can clear the screen or, with OSC 52, write the clipboard), and
//! bidirectional controls and zero-width characters make text read
//! otherwise than it is. Pure.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::io::{self, Write};

/// Whether `c` makes text read in another order or hides a character:
/// bidirectional embeddings, overrides, isolates and marks, and zero-width
/// spaces and joiners.
#[must_use]
pub fn is_deceptive(c: char) -> bool {
    matches!(
        c,
        '\u{202A}'..='\u{202E}'
            | '\u{2066}'..='\u{2069}'
            | '\u{200E}'
            | '\u{200F}'
            | '\u{061C}'
            | '\u{200B}'..='\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
    )
}

/// `text` with every control character but those in `keep` made visible: a
/// C0 control as its symbol (ESC as `␛`), DEL as `␡`, a C1 control as
/// `<U+009B>`. Borrowed when nothing needed changing.
#[must_use]
pub fn pictures<'a>(text: &'a str, keep: &[char]) -> Cow<'a, str> {
    if !text.chars().any(|c| c.is_control() && !keep.contains(&c)) {
        return Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match u32::from(c) {
            _ if keep.contains(&c) || !c.is_control() => shown.push(c),
            code @ 0..0x20 => shown.push(char::from_u32(0x2400 + code).unwrap_or('\u{FFFD}')),
            0x7f => shown.push('␡'),
            code => {
                let _ = write!(shown, "<U+{code:04X}>");
            }
        }
    }
    Cow::Owned(shown)
}

/// A writer that shows what it is given: every control character but
/// newline and tab becomes visible ([`pictures`]) before it reaches the
/// terminal. The command line writes through one, so no catalog text, file
/// name or diagnostic can act on the terminal. It works on bytes, so text
/// split across writes is handled: C0 controls are single bytes, C1
/// controls the two bytes `C2 80`–`C2 9F` of UTF-8.
pub struct VisibleWriter<W: Write> {
    inner: W,
    /// A `C2` byte at the end of the last write, whose next byte decides.
    pending_c2: bool,
}

impl<W: Write> VisibleWriter<W> {
    /// Wraps `inner`.
    pub fn new(inner: W) -> Self {
        VisibleWriter { inner, pending_c2: false }
    }
}

impl<W: Write> Write for VisibleWriter<W> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut out = Vec::with_capacity(bytes.len());
        for &byte in bytes {
            if std::mem::take(&mut self.pending_c2) {
                if (0x80..=0x9f).contains(&byte) {
                    out.extend_from_slice(format!("<U+{byte:04X}>").as_bytes());
                    continue;
                }
                out.push(0xc2);
            }
            match byte {
                b'\n' | b'\t' => out.push(byte),
                0xc2 => self.pending_c2 = true,
                0..0x20 => out
                    .extend_from_slice(char::from_u32(0x2400 + u32::from(byte)).unwrap_or('?').to_string().as_bytes()),
                0x7f => out.extend_from_slice("␡".as_bytes()),
                _ => out.push(byte),
            }
        }
        self.inner.write_all(&out)?;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if std::mem::take(&mut self.pending_c2) {
            self.inner.write_all(&[0xc2])?;
        }
        self.inner.flush()
    }
}

impl<W: Write> Drop for VisibleWriter<W> {
    fn drop(&mut self) {
        // A lone C2 at the very end: pass it on, as it came.
        let _ = self.flush();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_become_visible_and_the_rest_is_untouched() {
        assert_eq!(pictures("plain ü text", &[]), "plain ü text");
        assert!(matches!(pictures("plain", &[]), Cow::Borrowed(_)));
        assert_eq!(pictures("a\u{1b}]52;c;ZWNobw==\u{7}b", &[]), "a␛]52;c;ZWNobw==␇b");
        assert_eq!(pictures("x\ny\tz\u{7f}\u{9b}", &['\n']), "x\ny␉z␡<U+009B>");
    }

    #[test]
    fn the_writer_shows_escapes_even_split_across_writes() {
        let mut shown = Vec::new();
        {
            let mut writer = VisibleWriter::new(&mut shown);
            writer.write_all(b"title \x1b[2J clear\n").unwrap();
            writer.write_all("8-bit CSI \u{9b}".as_bytes()[..11].as_ref()).unwrap();
            writer.write_all(&"8-bit CSI \u{9b}".as_bytes()[11..]).unwrap();
            writer.write_all(" and é\tend\n".as_bytes()).unwrap();
        }
        assert_eq!(String::from_utf8(shown).unwrap(), "title ␛[2J clear\n8-bit CSI <U+009B> and é\tend\n");
    }

    #[test]
    fn deceptive_characters_are_recognised() {
        for c in ['\u{202E}', '\u{2066}', '\u{200B}', '\u{FEFF}', '\u{061C}'] {
            assert!(is_deceptive(c), "{c:?}");
        }
        assert!(!is_deceptive('a') && !is_deceptive('é'));
    }
}
