//! The output of a run as the navigator holds it: the latest lines, capped
//! so a runaway command cannot fill memory.

use std::collections::VecDeque;

use crate::runner::Stream;

/// The output of a run as the UI holds it: the latest [`Output::CAP`] lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    lines: VecDeque<(Stream, String)>,
    dropped: usize,
}

impl Output {
    /// Most lines held; older ones are dropped so memory stays bounded.
    pub const CAP: usize = 5000;

    /// Appends a line, dropping the oldest once more than [`Output::CAP`].
    pub fn push(&mut self, stream: Stream, line: String) {
        self.lines.push_back((stream, line));
        if self.lines.len() > Self::CAP {
            self.lines.pop_front();
            self.dropped += 1;
        }
    }

    /// Appends the lines of another buffer (output gathered between two
    /// frames), counting what it dropped.
    pub fn append(&mut self, more: Output) {
        self.dropped += more.dropped;
        for (stream, line) in more.lines {
            self.push(stream, line);
        }
    }

    /// The lines held, oldest first.
    pub fn lines(&self) -> std::collections::vec_deque::Iter<'_, (Stream, String)> {
        self.lines.iter()
    }

    /// How many lines are held.
    pub fn len(&self) -> usize {
        self.lines.len()
    }

    /// True when no line is held.
    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// Replaces every occurrence of each secret's value in the lines held
    /// by `<redacted:NAME>`: a command may print what it was given, and a
    /// secret must reach neither the screen nor the disk.
    pub fn redact(&mut self, secrets: &[(String, String)]) {
        for (_, line) in &mut self.lines {
            if let std::borrow::Cow::Owned(redacted) = crate::journal::secret::redact(line, secrets) {
                *line = redacted;
            }
        }
    }

    /// How many lines were dropped from the front to respect the cap.
    pub fn dropped(&self) -> usize {
        self.dropped
    }
}

#[cfg(test)]
mod tests {
    use super::Output;
    use crate::runner::Stream;

    #[test]
    fn output_keeps_the_latest_lines_and_counts_the_dropped() {
        let mut output = Output::default();
        assert!(output.is_empty());
        for n in 0..Output::CAP + 7 {
            output.push(Stream::Stdout, n.to_string());
        }
        assert_eq!((output.len(), output.dropped()), (Output::CAP, 7));
        assert_eq!(output.lines().next(), Some(&(Stream::Stdout, "7".to_string())));
    }

    #[test]
    fn a_secret_printed_by_a_command_is_redacted() {
        let mut output = Output::default();
        output.push(Stream::Stdout, "Authorization: Bearer s3cret-s3cret".into());
        output.push(Stream::Stderr, "nothing here".into());
        output.redact(&[("token".into(), "s3cret".into()), ("empty".into(), String::new())]);
        let lines: Vec<&str> = output.lines().map(|(_, line)| line.as_str()).collect();
        assert_eq!(lines, ["Authorization: Bearer <redacted:token>-<redacted:token>", "nothing here"]);
    }
}
