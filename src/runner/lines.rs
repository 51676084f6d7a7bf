//! A command's raw output → display lines: what a terminal would show at
//! the end of each line, without the terminal.
//!
//! The bytes go through `vte`, the parser of alacritty, which takes apart
//! every escape sequence and control string (OSC, DCS, APC, PM, SOS), cut
//! between reads or not. A hand-written scanner let DCS and APC payloads
//! through as garbled text. What is left is printable characters and
//! a few controls: newline ends a line, a tab expands, and a carriage return
//! means the next text overwrites the line (a progress bar's final state).

use vte::{Params, Parser, Perform};

/// Longer lines are split so one runaway line cannot swamp the view.
pub(super) const MAX_LINE_CHARS: usize = 4096;
use crate::wrap::TAB_STOP;

/// The 8-bit control that starts a CSI, which vte executes but whose
/// parameters it would then print.
const C1_CSI: u8 = 0x9b;

/// Turns a byte stream into cleaned lines of at most [`MAX_LINE_CHARS`].
#[derive(Default)]
pub(super) struct LineSplitter {
    parser: Parser,
    line: Line,
    /// The start of a UTF-8 sequence whose end is still to be read. The
    /// parser is given whole characters only: vte 0.15, completing a
    /// character cut between reads, loses a newline when an invalid byte
    /// follows it closely.
    partial: Vec<u8>,
}

impl LineSplitter {
    /// Feeds bytes as read; each line they complete goes to `emit`.
    pub(super) fn feed(&mut self, bytes: &[u8], emit: &mut impl FnMut(String)) {
        let mut joined = std::mem::take(&mut self.partial);
        joined.extend_from_slice(bytes);
        let mut rest = joined.as_slice();
        while !rest.is_empty() {
            let Err(error) = std::str::from_utf8(rest) else {
                self.parser.advance(&mut self.line, rest);
                break;
            };
            let (valid, invalid) = rest.split_at(error.valid_up_to());
            self.parser.advance(&mut self.line, valid);
            let Some(bad_len) = error.error_len() else {
                // Cut by the read: the next one brings the rest.
                self.partial = invalid.to_vec();
                break;
            };
            self.line.print(char::REPLACEMENT_CHARACTER);
            rest = &invalid[bad_len..];
        }
        self.line.done.drain(..).for_each(emit);
    }

    /// At EOF: a cut-off UTF-8 sequence is invalid, and an unfinished line
    /// is still a line.
    pub(super) fn finish(mut self, emit: &mut impl FnMut(String)) {
        if !self.partial.is_empty() {
            self.line.print(char::REPLACEMENT_CHARACTER);
        }
        self.line.finishing = true;
        self.line.end();
        self.line.done.drain(..).for_each(emit);
    }
}

/// The line being built, and the lines completed by the last feed.
#[derive(Default)]
struct Line {
    text: String,
    chars: usize,
    /// A `\r` is pending: what comes next overwrites the line, unless the
    /// line ends here (CRLF).
    carriage_return: bool,
    /// Inside the parameters of an 8-bit CSI.
    in_c1_csi: bool,
    done: Vec<String>,
    /// At EOF, where an empty last line is no line.
    finishing: bool,
}

impl Line {
    /// Something is drawn after a pending `\r`: the line starts over.
    fn overwrite_if_returned(&mut self) {
        if std::mem::take(&mut self.carriage_return) {
            self.text.clear();
            self.chars = 0;
        }
    }

    fn push(&mut self, c: char) {
        self.text.push(c);
        self.chars += 1;
        if self.chars >= MAX_LINE_CHARS {
            self.done.push(std::mem::take(&mut self.text));
            self.chars = 0;
        }
    }

    fn end(&mut self) {
        let line = std::mem::take(&mut self.text);
        if !(self.finishing && line.is_empty()) {
            self.done.push(line);
        }
        self.chars = 0;
        self.carriage_return = false;
        self.in_c1_csi = false;
    }
}

impl Perform for Line {
    fn print(&mut self, c: char) {
        if self.in_c1_csi {
            // Parameters and intermediates, up to the final byte.
            self.in_c1_csi = matches!(c, ' '..='?');
            return;
        }
        self.overwrite_if_returned();
        if !c.is_control() {
            self.push(c);
        }
    }

    fn execute(&mut self, byte: u8) {
        match byte {
            b'\n' => self.end(),
            b'\r' => self.carriage_return = true,
            b'\t' => {
                self.overwrite_if_returned();
                for _ in 0..TAB_STOP - self.chars % TAB_STOP {
                    self.push(' ');
                }
            }
            C1_CSI => self.in_c1_csi = true,
            _ => {}
        }
    }

    // An escape sequence after `\r` (`\r\x1b[K`, erase the line) starts the
    // line over, as text would.
    fn csi_dispatch(&mut self, _: &Params, _: &[u8], _: bool, _: char) {
        self.overwrite_if_returned();
    }

    fn esc_dispatch(&mut self, _: &[u8], _: bool, _: u8) {
        self.overwrite_if_returned();
    }
}

#[cfg(test)]
mod tests {
    use super::LineSplitter;

    fn lines(chunks: &[&[u8]]) -> Vec<String> {
        let mut lines = Vec::new();
        let mut splitter = LineSplitter::default();
        for bytes in chunks {
            splitter.feed(bytes, &mut |line| lines.push(line));
        }
        splitter.finish(&mut |line| lines.push(line));
        lines
    }

    /// One line through the cleaner every line of output goes through.
    fn strip_controls(text: &str) -> String {
        lines(&[text.as_bytes()]).concat()
    }

    #[test]
    fn strips_escapes_and_controls_and_keeps_the_last_carriage_return_state() {
        assert_eq!(strip_controls("\x1b[31mred\x1b[0m \x1b[1;32mgreen"), "red green");
        assert_eq!(strip_controls("\x1b]0;title\x07a\x1b]8;;http://x\x1b\\link\x1b]8;;\x1b\\"), "alink");
        assert_eq!(strip_controls("a\x1b7b\x1b8c"), "abc");
        assert_eq!(strip_controls("a\x07b\x00c\x7fd"), "abcd");
        assert_eq!(strip_controls("10%\r50%\r\x1b[K100%"), "100%");
        assert_eq!(strip_controls("progress\r\x1b[K"), "");
        assert_eq!(strip_controls("crlf\r"), "crlf");
        assert_eq!([strip_controls("a\tb"), strip_controls("12345678\tc")], ["a       b", "12345678        c"]);
    }

    #[test]
    fn control_strings_and_8_bit_sequences_leave_nothing_behind() {
        // DCS (a sixel image, tmux passthrough), APC, PM, SOS: payload and all.
        assert_eq!(strip_controls("a\x1bP0;1q#0;2;0;0;0~~\x1b\\b"), "ab");
        assert_eq!(strip_controls("a\x1b_Gf=100;AAAA\x1b\\b"), "ab");
        assert_eq!(strip_controls("a\x1b^private\x1b\\b\x1bXstring\x1b\\c"), "abc");
        assert_eq!(strip_controls("a\u{9b}31;1mb\u{9b}?25hc"), "abc");
    }

    #[test]
    fn a_character_cut_between_reads_is_joined() {
        assert_eq!(lines(&[b"h\xc3", b"\xa9\n\xff", b"x\xe2\x82"]), ["h\u{e9}", "\u{FFFD}x\u{FFFD}"]);
        assert_eq!(lines(&[b"\x1b[3", b"1mred\n"]), ["red"], "an escape cut between reads");
    }

    #[test]
    fn a_runaway_line_is_split_and_an_empty_end_is_no_line() {
        let long = vec![b'x'; super::MAX_LINE_CHARS + 10];
        let split = lines(&[&long]);
        assert_eq!(split.iter().map(String::len).collect::<Vec<_>>(), [super::MAX_LINE_CHARS, 10]);
        assert_eq!(lines(&[b"one\n"]), ["one"]);
        assert_eq!(lines(&[b"one\n\n"]), ["one", ""]);
    }
}
